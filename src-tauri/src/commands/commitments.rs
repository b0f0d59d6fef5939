//! Commands on commitments: who will do what, by when.

use powermap_core::clock::now;
use powermap_core::model::{Changed, Commitment, CommitmentFields, Review, ReviewFields, SaidAndDone};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

#[tauri::command(async)]
pub fn add_commitment(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    fields: Arg<CommitmentFields>,
) -> CommandResult<Changed<Commitment>> {
    let session_id = session_id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.add_commitment(&session_id, &fields, now())?)
}

#[tauri::command(async)]
pub fn update_commitment(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<CommitmentFields>,
) -> CommandResult<Changed<Commitment>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.update_commitment(&id, &fields, now())?)
}

#[tauri::command(async)]
pub fn remove_commitment(state: State<'_, AppState>, id: Arg<String>) -> CommandResult<Changed<()>> {
    let id = id.get()?;
    Ok(state.store()?.remove_commitment(&id, now())?)
}

/// Records what became of a commitment of an earlier meeting: kept, partly, dropped,
/// carried again (a new commitment of this meeting), or back to pending.
#[tauri::command(async)]
pub fn review_commitment(
    state: State<'_, AppState>,
    id: Arg<String>,
    fields: Arg<ReviewFields>,
) -> CommandResult<Changed<Review>> {
    let id = id.get()?;
    let fields = fields.get()?;
    Ok(state.store()?.review_commitment(&id, &fields, now())?)
}

/// Each organization's word and deed over the session's campaign, the widest gap first
/// (overdue as of the session's date, or of today for a session without one).
#[tauri::command(async)]
pub fn said_and_done(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<Vec<SaidAndDone>> {
    let session_id = session_id.get()?;
    Ok(state.store()?.said_and_done(&session_id, &powermap_core::clock::today())?)
}
