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

/// Today's date, `YYYY-MM-DD` (UTC), read here so the core never reads the clock.
pub(crate) fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().date().format(&format).unwrap_or_default()
}

/// The current time in Unix milliseconds, read here so the core never reads the clock.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
