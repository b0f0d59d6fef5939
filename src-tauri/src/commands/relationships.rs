//! Commands on relationships: lines between organizations.

use powermap_core::clock::now;
use powermap_core::model::{Changed, Relationship, RelationshipFields};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn add_relationship(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    fields: Arg<RelationshipFields>,
) -> CommandResult<Changed<Relationship>> {
    let session_id = session_id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.add_relationship(&session_id, &fields, now())?)
}

#[tauri::command(async)]
pub fn update_relationship(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<RelationshipFields>,
) -> CommandResult<Changed<Relationship>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.update_relationship(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn remove_relationship(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<()>> {
    let id = id.get()?;
    Ok(state.store()?.remove_relationship(&id, now())?)
}
