//! Commands on the grids of a session.

use powermap_core::clock::now;
use powermap_core::i18n::Lang;
use powermap_core::model::{Changed, Grid, GridKind, GridLabels};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

/// Adds a grid of `kind`, its default title and names in `lang` (the window's language;
/// English if not given).
#[tauri::command(async)]
pub fn add_grid(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    kind: Arg<GridKind>,
    title: Arg<String>,
    lang: Arg<Option<Lang>>,
) -> CommandResult<Changed<Grid>> {
    let session_id = session_id.get()?;
    let kind = kind.get()?;
    let title = title.get()?;
    let lang = lang.get()?.unwrap_or_default();
    Ok(state.store()?.add_grid(&session_id, kind, &title, lang, now())?)
}

#[tauri::command(async)]
pub fn update_grid(
    state: State<'_, AppState>,
    id: Arg<String>,
    title: Arg<String>,
    labels: Arg<GridLabels>,
) -> CommandResult<Changed<Grid>> {
    let id = id.get()?;
    let title = title.get()?;
    let labels = labels.get()?;
    Ok(state.store()?.update_grid(&id, &title, &labels, now())?)
}

#[tauri::command(async)]
pub fn remove_grid(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<()>> {
    let id = id.get()?;
    Ok(state.store()?.remove_grid(&id, now())?)
}
