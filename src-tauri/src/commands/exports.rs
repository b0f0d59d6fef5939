//! Commands that turn a session into files and pages: exports and the printable summary.

use powermap_core::exchange::export;
use powermap_core::exchange::{ExportFormat, ExportReport};
use powermap_core::i18n::{Lang, Said};
use powermap_core::summary::Summary;
use powermap_core::summary::{self, Paper};
use tauri::{AppHandle, Runtime, State};

use super::files;
use crate::error::{Arg, CommandResult};
use crate::AppState;

/// Writes the session in `format` to `path` (a folder for CSV, SVG and PNG; a PDF on
/// `paper`, A4 if not given; the summary's words in `lang`, English if not given); returns
/// the paths written. A path the person did not choose
/// in a dialog, and a file that would be replaced without their saying so, are asked about
/// first in a native dialog (see [`super::files`]). Nothing partial is left behind if it
/// fails. The report says what a PDF or PNG left out (characters no font draws).
#[tauri::command(async)]
pub fn export_session<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: Arg<String>,
    format: Arg<ExportFormat>,
    paper: Arg<Option<Paper>>,
    lang: Arg<Option<Lang>>,
    path: Arg<String>,
) -> CommandResult<ExportReport> {
    let session_id = session_id.get()?;
    let format = format.get()?;
    let paper = paper.get()?;
    let lang = lang.get()?.unwrap_or_default();
    let target = files::given_path(&path.get()?, "error.file.choose-export-target")?;
    let export = export::prepare(state.store()?, &session_id, format, paper.unwrap_or_default(), lang, &target)?;
    files::may_write(&app, &state, &target, &export.replaces())?;
    Ok(export.write_reporting()?)
}

/// The printable summary of the session, as one self-contained HTML page, in the window's
/// language.
#[tauri::command(async)]
pub fn summary_html(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<String> {
    let session_id = session_id.get()?;
    Ok(summary::to_html(&Summary::read(state.store()?, &session_id)?.in_language(state.language())))
}

/// Opens the system print dialog for the window (which shows the summary when printing;
/// the dialog also offers saving as PDF).
#[tauri::command]
pub fn print_window<R: tauri::Runtime>(webview: tauri::Webview<R>) -> CommandResult<()> {
    webview
        .print()
        .map_err(|e| powermap_core::Error::Internal(Said::new("error.internal.print-dialog").text("detail", e)).into())
}
