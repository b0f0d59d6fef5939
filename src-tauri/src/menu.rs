//! The native application menu. Items the window acts on are sent to it as a `menu` event
//! carrying the item's id; the window decides what they mean (as it does for the same
//! keyboard shortcuts), so there is one path for each action.
//!
//! Undo and redo carry no accelerator here: Ctrl+Z inside a text field must undo typing,
//! so the window handles those keys itself and leaves text fields alone.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem, Submenu};
use tauri::{AppHandle, Emitter, Runtime};

/// The ids the window receives in the `menu` event.
pub const ITEMS: [&str; 8] = ["new-session", "print", "export", "undo", "redo", "fullscreen", "projector", "help"];

/// Builds the menu: File (New session, Print summary, Export, Quit), Edit (Undo, Redo), View (Full screen,
/// Projector mode, Keyboard shortcuts).
pub fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<Menu<R>> {
    let item = |id: &str, text: &str, accelerator: Option<&str>| MenuItem::with_id(app, id, text, true, accelerator);
    let file = Submenu::with_items(
        app,
        "File",
        true,
        &[
            &item("new-session", "New session", Some("CmdOrCtrl+N"))?,
            &item("print", "Print summary…", Some("CmdOrCtrl+P"))?,
            &item("export", "Export…", Some("CmdOrCtrl+E"))?,
            &PredefinedMenuItem::separator(app)?,
            &PredefinedMenuItem::quit(app, Some("Quit"))?,
        ],
    )?;
    let edit = Submenu::with_items(
        app,
        "Edit",
        true,
        &[&item("undo", "Undo (Ctrl+Z)", None)?, &item("redo", "Redo (Ctrl+Shift+Z)", None)?],
    )?;
    let view = Submenu::with_items(
        app,
        "View",
        true,
        &[
            &item("fullscreen", "Full screen", Some("F11"))?,
            &item("projector", "Projector mode", None)?,
            &PredefinedMenuItem::separator(app)?,
            &item("help", "Keyboard shortcuts (?)", None)?,
        ],
    )?;
    Menu::with_items(app, &[&file, &edit, &view])
}

/// Forwards a menu item to the window.
pub fn forward<R: Runtime>(app: &AppHandle<R>, id: &str) {
    if ITEMS.contains(&id) {
        // The window listens for this; if it is gone there is nobody to tell.
        let _ = app.emit("menu", id);
    }
}
