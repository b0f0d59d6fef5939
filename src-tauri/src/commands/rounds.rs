//! Commands on private rounds: the facilitator starts one on a grid, watches how many have
//! answered, reveals the answers, shows or hides names, and ends it. The participants answer
//! through the room (`powermap-room`), never through the window.

use powermap_core::clock::now;
use powermap_core::model::{Changed, Round, RoundFields, RoundProgress, RoundResults};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn start_round(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    fields: Arg<RoundFields>,
) -> CommandResult<Changed<Round>> {
    let session_id = session_id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.start_round(&session_id, &fields, now())?)
}

#[tauri::command(async)]
pub fn round_progress(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<RoundProgress> {
    let id = id.get()?;
    Ok(state.store()?.round_progress(&id)?)
}

#[tauri::command(async)]
pub fn reveal_round(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<Round>> {
    let id = id.get()?;
    Ok(state.store()?.reveal_round(&id, now())?)
}

#[tauri::command(async)]
pub fn show_round_names(
    state: State<'_, AppState>,
    id: Arg<String>,
    shown: Arg<bool>,
) -> CommandResult<Changed<Round>> {
    let id = id.get()?;
    let shown = shown.get()?;
    Ok(state.store()?.show_round_names(&id, shown, now())?)
}

#[tauri::command(async)]
pub fn end_round(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<Round>> {
    let id = id.get()?;
    Ok(state.store()?.end_round(&id, now())?)
}

#[tauri::command(async)]
pub fn round_results(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<RoundResults> {
    let id = id.get()?;
    Ok(state.store()?.round_results(&id)?)
}
