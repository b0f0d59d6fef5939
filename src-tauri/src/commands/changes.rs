//! Catching up with changes a window did not see happen (another process wrote the file).

use powermap_core::model::SessionChange;
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

/// The session's changes after `revision`, oldest first; `null` when some are no longer
/// kept, and the window should read the session anew.
#[tauri::command(async)]
pub fn changes_since(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    revision: Arg<i64>,
) -> CommandResult<Option<Vec<SessionChange>>> {
    let session_id = session_id.get()?;
    let revision = revision.get()?;
    Ok(state.store()?.changes_since(&session_id, revision)?)
}
