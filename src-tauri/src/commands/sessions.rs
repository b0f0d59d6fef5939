//! Commands on sessions.

use powermap_core::clock::now;
use powermap_core::exchange::maps::{self, MapFile, MapPreview};
use powermap_core::i18n::Lang;
use powermap_core::model::{Changed, FollowUpFields, Session, SessionData, SessionFields, SessionListing};
use tauri::{AppHandle, Runtime, State};

use super::files;
use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn list_sessions(state: State<'_, AppState>) -> CommandResult<Vec<SessionListing>> {
    Ok(state.store()?.list_sessions()?)
}

/// Creates a session with a power-interest grid, its names in `lang` (the window's
/// language; English if not given).
#[tauri::command(async)]
pub fn create_session(
    state: State<'_, AppState>,
    fields: Arg<SessionFields>,
    lang: Arg<Option<Lang>>,
) -> CommandResult<Session> {
    let fields = fields.get()?;
    let lang = lang.get()?.unwrap_or_default();
    Ok(state.store()?.create_session(&fields, lang, now())?)
}

#[tauri::command(async)]
pub fn update_session(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<SessionFields>,
) -> CommandResult<Changed<Session>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.update_session(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn rename_session(
    state: State<'_, AppState>,
    id: Arg<String>,
    title: Arg<String>,
) -> CommandResult<Changed<Session>> {
    let id = id.get()?;
    let title = title.get()?;
    Ok(state.store()?.rename_session(&id, &title, now())?)
}

#[tauri::command(async)]
pub fn duplicate_session(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Session> {
    let id = id.get()?;
    Ok(state.store()?.duplicate_session(&id, now())?)
}

/// Starts the next meeting of the session's campaign; returns the new session.
#[tauri::command(async)]
pub fn start_follow_up(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<FollowUpFields>,
) -> CommandResult<Session> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.start_follow_up(&id, &fields, state.language(), now())?)
}

/// Reads the chosen files as a map to import (Powermap, Kumu, Oligrapher), refusing one
/// larger than the import's limit before reading it whole.
fn read_map<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    paths: &[String],
) -> Result<powermap_core::exchange::maps::MapImport, crate::error::IpcError> {
    let read: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let path = files::given_path(p, "error.file.choose-import")?;
            files::may_read(app, state, &path)?;
            Ok((p.clone(), maps::read_file(&path)?))
        })
        .collect::<Result<_, crate::error::IpcError>>()?;
    let given: Vec<MapFile<'_>> = read.iter().map(|(name, bytes)| MapFile { name, bytes }).collect();
    Ok(maps::read(&given, now(), state.language())?)
}

/// What importing the files at `paths` would create, and what it would skip, and why.
#[tauri::command(async)]
pub fn preview_map_import<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Arg<Vec<String>>,
) -> CommandResult<MapPreview> {
    let paths = paths.get()?;
    Ok(read_map(&app, &state, &paths)?.preview.said_in(state.language()))
}

/// Imports the files at `paths` as a new session; returns its id.
#[tauri::command(async)]
pub fn import_map<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    paths: Arg<Vec<String>>,
) -> CommandResult<String> {
    let paths = paths.get()?;
    let map = read_map(&app, &state, &paths)?;
    Ok(maps::import(state.store()?, map)?)
}

/// Deletes a session: it moves to "recently deleted", from where `restore_session` brings
/// it back. Returns it as it was.
#[tauri::command(async)]
pub fn delete_session(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Session> {
    let id = id.get()?;
    Ok(state.store()?.delete_session(&id, now())?)
}

/// Brings a deleted session back into the list.
#[tauri::command(async)]
pub fn restore_session(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Session> {
    let id = id.get()?;
    Ok(state.store()?.restore_session(&id, now())?)
}

/// The recently deleted sessions, the latest deletion first.
#[tauri::command(async)]
pub fn deleted_sessions(state: State<'_, AppState>) -> CommandResult<Vec<SessionListing>> {
    Ok(state.store()?.deleted_sessions()?)
}

#[tauri::command(async)]
pub fn load_session(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<SessionData> {
    let id = id.get()?;
    Ok(state.store()?.load_session(&id)?)
}

/// Adds a fresh copy of the sample session; returns its id.
#[tauri::command(async)]
pub fn create_sample_session(state: State<'_, AppState>) -> CommandResult<String> {
    Ok(state.store()?.create_sample_session(now())?)
}
