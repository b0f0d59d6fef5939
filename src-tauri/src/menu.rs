//! The native application menu. Items the window acts on are sent to it as a `menu` event
//! carrying the item's id; the window decides what they mean (as it does for the same
//! keyboard shortcuts), so there is one path for each action.
//!
//! Undo and redo carry no accelerator here: Ctrl+Z inside a text field must undo typing,
//! so the window handles those keys itself and leaves text fields alone.

use powermap_core::i18n::{message, Lang};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::AppState;

/// The ids the window receives in the `menu` event.
pub const ITEMS: [&str; 10] =
    ["new-session", "print", "export", "share", "settings", "undo", "redo", "fullscreen", "projector", "help"];

/// Builds the menu in the window's language: File (New session, Print summary, Export,
/// Share this campaign, Settings, Quit), Edit (Undo, Redo), View (Full screen, Projector mode, Keyboard shortcuts).
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    build_in(app, app.state::<AppState>().language())
}

/// Builds the menu in `lang`.
pub fn build_in<R: Runtime>(app: &AppHandle<R>, lang: Lang) -> tauri::Result<Menu<R>> {
    let say = |key: &str| message(lang, &format!("menu.{key}"), &[]);
    let item = |id: &str, accelerator: Option<&str>| MenuItem::with_id(app, id, say(id), true, accelerator);
    let file = Submenu::with_items(
        app,
        say("file"),
        true,
        &[
            &item("new-session", Some("CmdOrCtrl+N"))?,
            &item("print", Some("CmdOrCtrl+P"))?,
            &item("export", Some("CmdOrCtrl+E"))?,
            &item("share", None)?,
            &item("settings", Some("CmdOrCtrl+Comma"))?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::quit(app, Some(&say("quit")))?,
        ],
    )?;
    let edit = Submenu::with_items(app, say("edit"), true, &[&item("undo", None)?, &item("redo", None)?])?;
    let view = Submenu::with_items(
        app,
        say("view"),
        true,
        &[
            &item("fullscreen", Some("F11"))?,
            &item("projector", None)?,
            &PredefinedMenuItem::separator(app)?,
            &item("help", None)?,
        ],
    )?;
    Menu::with_items(app, &[&file, &edit, &view])
}

/// Sets the menu anew in the window's language, after it changed. An app without a menu
/// (the tests' mock runtime) is left without one.
pub fn speak<R: Runtime>(app: &AppHandle<R>) {
    if app.menu().is_none() {
        return;
    }
    match build(app) {
        Ok(menu) => {
            if let Err(error) = app.set_menu(menu) {
                eprintln!("powermap: the menu could not change language: {error}");
            }
        }
        Err(error) => eprintln!("powermap: the menu could not change language: {error}"),
    }
}

/// Forwards a menu item to the window.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if ITEMS.contains(&id) {
        // The window listens for this; if it is gone there is nobody to tell.
        let _ = app.emit("menu", id);
    }
}
