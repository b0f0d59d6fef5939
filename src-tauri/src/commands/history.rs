//! Undo and redo of the changes in a session.

use powermap_core::clock::now;
use powermap_core::model::SessionChange;
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

/// Takes back the session's newest step, whoever made it; every window is told.
#[tauri::command(async)]
pub fn undo(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<SessionChange> {
    let session_id = session_id.get()?;
    let change = state.store()?.undo(&session_id, now())?;
    Ok(change)
}

/// Does the session's oldest undone step again; every window is told.
#[tauri::command(async)]
pub fn redo(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<SessionChange> {
    let session_id = session_id.get()?;
    let change = state.store()?.redo(&session_id, now())?;
    Ok(change)
}
