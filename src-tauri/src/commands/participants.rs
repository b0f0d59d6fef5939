//! Commands on participants: the people in the room.

use powermap_core::clock::now;
use powermap_core::model::{Changed, Participant, ParticipantFields};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn add_participant(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    fields: Arg<ParticipantFields>,
) -> CommandResult<Changed<Participant>> {
    let session_id = session_id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.add_participant(&session_id, &fields, now())?)
}

#[tauri::command(async)]
pub fn update_participant(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<ParticipantFields>,
) -> CommandResult<Changed<Participant>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.update_participant(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn remove_participant(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<()>> {
    let id = id.get()?;
    Ok(state.store()?.remove_participant(&id, now())?)
}
