//! Commands on the grids of a session.

use powermap_core::model::{Changed, Grid, GridKind, GridLabels};
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::AppState;

#[tauri::command(async)]
pub fn add_grid(
    state: State<'_, AppState>,
    session_id: String,
    kind: GridKind,
    title: String,
) -> CommandResult<Changed<Grid>> {
    Ok(state.publish(state.store()?.add_grid(&session_id, kind, &title, now())?))
}

#[tauri::command(async)]
pub fn update_grid(
    state: State<'_, AppState>,
    id: String,
    title: String,
    labels: GridLabels,
) -> CommandResult<Changed<Grid>> {
    Ok(state.publish(state.store()?.update_grid(&id, &title, &labels, now())?))
}

#[tauri::command(async)]
pub fn remove_grid(state: State<'_, AppState>, id: String) -> CommandResult<Changed<()>> {
    Ok(state.publish(state.store()?.remove_grid(&id, now())?))
}
