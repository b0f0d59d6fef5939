//! The core's rules the window draws or offers (the decision band, the export formats).

use powermap_core::facts::Facts;

/// What the window needs to know of the core's rules; the same for the app's whole life.
#[tauri::command]
pub fn facts() -> Facts {
    Facts::now()
}
