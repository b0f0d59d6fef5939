//! Commands on the organizations (cards) of a session.

use powermap_core::clock::now;
use powermap_core::exchange::organizations_csv;
use powermap_core::model::{Changed, Organization, OrganizationFields};
use tauri::{AppHandle, Runtime, State};

use super::files;
use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn add_organization(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    fields: Arg<OrganizationFields>,
) -> CommandResult<Changed<Organization>> {
    let session_id = session_id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.add_organization(&session_id, &fields, now())?)
}

/// Adds one organization per line of `names`; returns those added (repeats are skipped).
#[tauri::command(async)]
pub fn add_organizations_from_list(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    names: Arg<String>,
) -> CommandResult<Changed<Vec<Organization>>> {
    let session_id = session_id.get()?;
    let names = names.get()?;
    Ok(state.store()?.add_organizations_from_list(&session_id, &names, now())?)
}

#[tauri::command(async)]
pub fn update_organization(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<OrganizationFields>,
) -> CommandResult<Changed<Organization>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.update_organization(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn remove_organization(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<()>> {
    let id = id.get()?;
    Ok(state.store()?.remove_organization(&id, now())?)
}

/// What importing the CSV file at `path` would add to the session, and every bad line.
#[tauri::command(async)]
pub fn preview_organizations_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: Arg<String>,
    path: Arg<String>,
) -> CommandResult<powermap_core::exchange::organizations_csv::CsvPreview> {
    let session_id = session_id.get()?;
    let bytes = files::read_chosen(&app, &state, &path.get()?, "error.file.choose-csv")?;
    Ok(organizations_csv::preview(state.store()?, &session_id, &bytes)?.said_in(state.language()))
}

/// Adds the organizations of the CSV file at `path`: all, or none if a line is bad.
#[tauri::command(async)]
pub fn import_organizations_csv<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: Arg<String>,
    path: Arg<String>,
) -> CommandResult<Changed<Vec<Organization>>> {
    let session_id = session_id.get()?;
    let bytes = files::read_chosen(&app, &state, &path.get()?, "error.file.choose-csv")?;
    Ok(organizations_csv::import(state.store()?, &session_id, &bytes, now())?)
}
