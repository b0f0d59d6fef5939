//! Commands on commitments: who will do what, by when.

use powermap_core::model::{Changed, Commitment, CommitmentFields};
use tauri::State;

use super::now;
use crate::error::CommandResult;
use crate::AppState;

#[tauri::command(async)]
pub fn add_commitment(
    state: State<'_, AppState>,
    session_id: String,
    fields: CommitmentFields,
) -> CommandResult<Changed<Commitment>> {
    Ok(state.publish(state.store()?.add_commitment(&session_id, &fields, now())?))
}

#[tauri::command(async)]
pub fn update_commitment(
    state: State<'_, AppState>,
    id: String,
    fields: CommitmentFields,
) -> CommandResult<Changed<Commitment>> {
    Ok(state.publish(state.store()?.update_commitment(&id, &fields, now())?))
}

#[tauri::command(async)]
pub fn remove_commitment(state: State<'_, AppState>, id: String) -> CommandResult<Changed<()>> {
    Ok(state.publish(state.store()?.remove_commitment(&id, now())?))
}
