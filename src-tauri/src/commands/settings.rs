//! The window's settings: the language it speaks (its menu and native dialogs too), and its
//! colour theme.

use powermap_core::i18n::Lang;
use tauri::{AppHandle, Runtime, State};

use crate::error::{Arg, CommandResult};
use crate::settings::{LanguageSetting, Theme, WindowSettings};
use crate::AppState;

/// The language the window speaks (the one chosen in Settings, and the desktop's), and its
/// theme: what it reads before its first drawing.
#[tauri::command(async)]
pub fn window_settings(state: State<'_, AppState>) -> CommandResult<WindowSettings> {
    Ok(state.window_settings())
}

/// Chooses the window's colour theme (`null`: follow the desktop's), and remembers the
/// choice for the next runs.
#[tauri::command(async)]
pub fn choose_theme(state: State<'_, AppState>, theme: Arg<Option<Theme>>) -> CommandResult<Option<Theme>> {
    Ok(state
        .choose_theme(theme.get()?)
        .map_err(|e| powermap_core::Error::Io { context: "error.io.remember-theme".into(), source: e })?)
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
