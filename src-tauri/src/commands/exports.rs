//! Commands that turn a session into files and pages: exports and the printable summary.

use powermap_core::summary::{self, ExportFormat, Paper};
use tauri::State;

use crate::error::{Arg, CommandResult};
use crate::AppState;

/// Writes the session in `format` to `path` (a folder for CSV, SVG and PNG; a PDF on
/// `paper`, A4 if not given); returns the paths written. Nothing partial is left behind if
/// it fails.
#[tauri::command(async)]
pub fn export_session(
    state: State<'_, AppState>,
    session_id: Arg<String>,
    format: Arg<ExportFormat>,
    paper: Arg<Option<Paper>>,
    path: Arg<String>,
) -> CommandResult<Vec<String>> {
    let session_id = session_id.get()?;
    let format = format.get()?;
    let paper = paper.get()?;
    let path = path.get()?;
    let path = path.trim();
    if path.is_empty() {
        return Err(powermap_core::Error::Invalid("Choose where to save the export.".into()).into());
    }
    let target = std::path::Path::new(path);
    let written = state.store()?.export_to(&session_id, format, paper.unwrap_or_default(), target)?;
    Ok(written.iter().map(|p| p.display().to_string()).collect())
}

/// The printable summary of the session, as one self-contained HTML page.
#[tauri::command(async)]
pub fn summary_html(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<String> {
    let session_id = session_id.get()?;
    Ok(summary::to_html(&state.store()?.summary(&session_id)?))
}

/// Opens the system print dialog for the window (which shows the summary when printing;
/// the dialog also offers saving as PDF).
#[tauri::command]
pub fn print_window<R: tauri::Runtime>(webview: tauri::Webview<R>) -> CommandResult<()> {
    webview.print().map_err(|e| powermap_core::Error::Internal(format!("the print dialog could not open: {e}")).into())
}
