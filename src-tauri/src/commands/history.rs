//! Undo and redo of the changes in a session.

use powermap_core::model::HistoryState;
use powermap_core::store::HistoryStep;
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::AppState;

#[tauri::command(async)]
pub fn undo(state: State<'_, AppState>, session_id: String) -> CommandResult<HistoryStep> {
    Ok(state.store()?.undo(&session_id, now())?)
}

#[tauri::command(async)]
pub fn redo(state: State<'_, AppState>, session_id: String) -> CommandResult<HistoryStep> {
    Ok(state.store()?.redo(&session_id, now())?)
}

#[tauri::command(async)]
pub fn history_state(state: State<'_, AppState>, session_id: String) -> CommandResult<HistoryState> {
    Ok(state.store()?.history_state(&session_id)?)
}
