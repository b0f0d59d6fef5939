//! Thin `#[tauri::command]` adapters, a file per area: each takes the state, calls one core
//! function with the current time, and converts the error. Database work runs on the async
//! runtime's threads (`async`), never on the main thread that draws the window.

pub mod changes;
pub mod commitments;
pub mod database;
pub mod exports;
pub mod facts;
pub mod files;
pub mod grids;
pub mod history;
pub mod organizations;
pub mod participants;
pub mod placements;
pub mod relationships;
pub mod room;
pub mod rounds;
pub mod sessions;
pub mod settings;
pub mod sharing;
