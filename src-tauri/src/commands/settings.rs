//! The window's settings: the language it speaks (its menu and native dialogs too).

use powermap_core::i18n::Lang;
use tauri::{AppHandle, Runtime, State};

use crate::error::{Arg, CommandResult};
use crate::settings::LanguageSetting;
use crate::AppState;

/// The language the window speaks, the one chosen in Settings, and the desktop's.
#[tauri::command(async)]
pub fn language_setting(state: State<'_, AppState>) -> CommandResult<LanguageSetting> {
    Ok(state.language_setting())
}

/// Chooses the window's language (`null`: follow the desktop's), remembers the choice for
/// the next runs, and sets the menu in it.
#[tauri::command(async)]
pub fn choose_language<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    chosen: Arg<Option<Lang>>,
) -> CommandResult<LanguageSetting> {
    let setting = state
        .choose_language(chosen.get()?)
        .map_err(|e| powermap_core::Error::Io { context: "error.io.remember-language".into(), source: e })?;
    crate::menu::speak(&app);
    Ok(setting)
}
