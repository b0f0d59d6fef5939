//! Where files go and come from. The window reads and writes only files the person chose in
//! a native dialog, or typed and then confirmed in a native dialog — both opened here, in
//! the shell, where a script in the page cannot answer them. A path the page makes up is
//! asked about before anything is read or written; a file an export would replace is asked
//! about unless the Save dialog already did.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use powermap_core::i18n::{message, Said};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::error::{Arg, CommandResult, IpcError};
use crate::AppState;

/// The paths the person chose or confirmed in this run of the app, and whether they also
/// agreed to replace what is there (the Save dialog asks that itself).
#[derive(Default)]
pub struct ChosenPaths(Mutex<HashMap<PathBuf, bool>>);

impl ChosenPaths {
    /// Remembers `path` as chosen; `replacing` if the person agreed to replace it.
    pub fn remember(&self, path: &Path, replacing: bool) {
        let mut chosen = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let agreed = chosen.entry(absolute(path)).or_insert(false);
        *agreed |= replacing;
    }

    /// `None` if `path` was never chosen; otherwise whether replacing it was agreed to.
    pub fn get(&self, path: &Path) -> Option<bool> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&absolute(path)).copied()
    }
}

/// `path` made absolute (against the working folder), so one file has one name here.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The trimmed path the page sent, refused if empty with the message `empty` (an
/// `error.file.choose-*` key saying what to choose).
pub(crate) fn given_path(path: &str, empty: &'static str) -> Result<PathBuf, IpcError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(powermap_core::Error::Invalid(empty.into()).into());
    }
    Ok(absolute(Path::new(path)))
}

/// Asks the person a yes-or-no question in a native dialog, in the window's language: the
/// title, question and yes-button are the catalog's `dialog.{title, yes}` and `question` with
/// `args`; true if they said yes.
pub(crate) fn ask<R: Runtime>(
    app: &AppHandle<R>,
    (title, yes): (&str, &str),
    question: &str,
    args: &[(&str, String)],
) -> bool {
    let lang = app.state::<AppState>().language();
    let say = |key: &str, args: &[(&str, String)]| message(lang, &format!("dialog.{key}"), args);
    app.dialog()
        .message(say(question, args))
        .title(say(title, &[]))
        .kind(MessageDialogKind::Warning)
        .buttons(MessageDialogButtons::OkCancelCustom(say(yes, &[]), say("cancel", &[])))
        .blocking_show()
}

/// The error when the person said no: nothing happened, as the message `what` (an
/// `error.file.*` key) says.
fn declined(what: &'static str) -> IpcError {
    powermap_core::Error::Conflict(what.into()).into()
}

/// Lets the window read `path` if the person chose it, or confirms it now.
pub(crate) fn may_read<R: Runtime>(app: &AppHandle<R>, state: &AppState, path: &Path) -> Result<(), IpcError> {
    if state.chosen.get(path).is_some() {
        return Ok(());
    }
    if !ask(app, ("read-title", "read-yes"), "read-question", &[("path", path.display().to_string())]) {
        return Err(declined("error.file.not-read"));
    }
    state.chosen.remember(path, false);
    Ok(())
}

/// Lets an export write `paths` (under `target`) if the person chose the target and agreed
/// to replace whatever is there, or asks now.
/// The bytes of the file at `path`, once the person chose or confirmed it (`empty`, an
/// `error.file.choose-*` key, says what to choose when no path was given).
pub(crate) fn read_chosen<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    path: &str,
    empty: &'static str,
) -> Result<Vec<u8>, IpcError> {
    let path = given_path(path, empty)?;
    may_read(app, state, &path)?;
    std::fs::read(&path).map_err(|e| {
        let context = Said::new("error.io.read").text("path", path.display());
        powermap_core::Error::Io { context, source: e }.into()
    })
}

pub(crate) fn may_write<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    target: &Path,
    replaces: &[&Path],
) -> Result<(), IpcError> {
    let chosen = state.chosen.get(target);
    let replacing = !replaces.is_empty() && chosen != Some(true);
    if chosen.is_some() && !replacing {
        return Ok(());
    }
    let place = target.display().to_string();
    let (buttons, question, args) = match (chosen.is_none(), replacing, replaces) {
        (_, false, _) => (("save-title", "save-yes"), "save-question", vec![("target", place)]),
        (unchosen, true, [one]) if *one == target => {
            let question = if unchosen { "save-replace-question" } else { "replace-question" };
            (("replace-title", "replace-yes"), question, vec![("target", place)])
        }
        (unchosen, true, many) => {
            let names: Vec<String> =
                many.iter().map(|p| p.file_name().unwrap_or_default().to_string_lossy().into_owned()).collect();
            let question = if unchosen { "save-replace-many-question" } else { "replace-many-question" };
            (("replace-title", "replace-yes"), question, vec![("target", place), ("names", names.join(", "))])
        }
    };
    if !ask(app, buttons, question, &args) {
        return Err(declined("error.file.not-saved"));
    }
    state.chosen.remember(target, true);
    Ok(())
}

/// The native Save dialog, starting at `default_path`, for files named `*.{extensions}`;
/// the path chosen (the dialog itself asks before replacing a file), or `None`.
#[tauri::command(async)]
pub fn choose_save_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    default_path: Arg<String>,
    filter_name: Arg<String>,
    extensions: Arg<Vec<String>>,
) -> CommandResult<Option<String>> {
    let default_path = PathBuf::from(default_path.get()?);
    let (filter_name, extensions) = (filter_name.get()?, extensions.get()?);
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let title = message(state.language(), "dialog.save-file-title", &[]);
    let mut dialog = app.dialog().file().set_title(title).add_filter(filter_name, &extensions);
    if let Some(folder) = default_path.parent().filter(|f| f.is_dir()) {
        dialog = dialog.set_directory(folder);
    }
    if let Some(name) = default_path.file_name() {
        dialog = dialog.set_file_name(name.to_string_lossy());
    }
    Ok(chosen(&state, dialog.blocking_save_file(), true))
}

/// The native dialog for a folder, starting at `default_path`; the folder chosen, or `None`.
#[tauri::command(async)]
pub fn choose_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    default_path: Arg<String>,
) -> CommandResult<Option<String>> {
    let default_path = PathBuf::from(default_path.get()?);
    let mut dialog = app.dialog().file().set_title(message(state.language(), "dialog.folder-title", &[]));
    if let Some(folder) =
        [Some(default_path.as_path()), default_path.parent()].into_iter().flatten().find(|f| f.is_dir())
    {
        dialog = dialog.set_directory(folder);
    }
    Ok(chosen(&state, dialog.blocking_pick_folder(), false))
}

/// The native Open dialog for one file named `*.{extensions}`; the file chosen, or `None`.
#[tauri::command(async)]
pub fn choose_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    filter_name: Arg<String>,
    extensions: Arg<Vec<String>>,
) -> CommandResult<Option<String>> {
    let (filter_name, extensions) = (filter_name.get()?, extensions.get()?);
    let extensions: Vec<&str> = extensions.iter().map(String::as_str).collect();
    let title = message(state.language(), "dialog.open-file-title", &[]);
    Ok(chosen(
        &state,
        app.dialog().file().set_title(title).add_filter(filter_name, &extensions).blocking_pick_file(),
        false,
    ))
}

fn chosen(state: &AppState, picked: Option<tauri_plugin_dialog::FilePath>, replacing: bool) -> Option<String> {
    let path = picked?.into_path().ok()?;
    state.chosen.remember(&path, replacing);
    Some(path.display().to_string())
}

/// Where an export named `name` is suggested to go: the person's Documents folder (or home
/// folder). `name` is taken as a file name only; the suggestion counts as chosen, but a file
/// already there is still asked about before it is replaced.
#[tauri::command(async)]
pub fn suggest_export_path(state: State<'_, AppState>, name: Arg<String>) -> CommandResult<String> {
    let name = name.get()?;
    let name: String = name.chars().map(|c| if matches!(c, '/' | '\\') || c.is_control() { '-' } else { c }).collect();
    let name = name.trim_start_matches('.');
    let name = if name.trim().is_empty() { "powermap-export" } else { name };
    let folder = dirs::document_dir().filter(|d| d.is_dir()).or_else(dirs::home_dir).unwrap_or_default();
    let path = folder.join(name);
    state.chosen.remember(&path, false);
    Ok(path.display().to_string())
}
