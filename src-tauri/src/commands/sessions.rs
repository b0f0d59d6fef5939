//! Commands on sessions.

use powermap_core::model::{Session, SessionData, SessionFields, SessionListing};
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::AppState;

#[tauri::command(async)]
pub fn list_sessions(state: State<'_, AppState>) -> CommandResult<Vec<SessionListing>> {
    Ok(state.store()?.list_sessions()?)
}

#[tauri::command(async)]
pub fn create_session(state: State<'_, AppState>, fields: SessionFields) -> CommandResult<Session> {
    Ok(state.store()?.create_session(&fields, now())?)
}

#[tauri::command(async)]
pub fn update_session(
    state: State<'_, AppState>,
    id: String,
    fields: SessionFields,
) -> CommandResult<Session> {
    Ok(state.store()?.update_session(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn rename_session(state: State<'_, AppState>, id: String, title: String) -> CommandResult<Session> {
    Ok(state.store()?.rename_session(&id, &title, now())?)
}

#[tauri::command(async)]
pub fn duplicate_session(state: State<'_, AppState>, id: String) -> CommandResult<Session> {
    Ok(state.store()?.duplicate_session(&id, now())?)
}

/// Deletes a session; returns it as a `powermap/1` document, which `restore_session`
/// takes back to undo the deletion.
#[tauri::command(async)]
pub fn delete_session(state: State<'_, AppState>, id: String) -> CommandResult<String> {
    Ok(state.store()?.delete_session(&id)?.to_json())
}

/// Adds a session from a `powermap/1` document (an undone deletion); returns its id.
#[tauri::command(async)]
pub fn restore_session(state: State<'_, AppState>, document: String) -> CommandResult<String> {
    let document = powermap_core::Document::from_json(&document)?;
    Ok(state.store()?.import_document(document)?)
}

#[tauri::command(async)]
pub fn load_session(state: State<'_, AppState>, id: String) -> CommandResult<SessionData> {
    Ok(state.store()?.load_session(&id)?)
}

/// Adds a fresh copy of the sample session; returns its id.
#[tauri::command(async)]
pub fn create_sample_session(state: State<'_, AppState>) -> CommandResult<String> {
    Ok(state.store()?.create_sample_session(now())?)
}
