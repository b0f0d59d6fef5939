//! Facts about the database file, shown to the facilitator ("where is my data?").

use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::CommandResult;
use crate::AppState;

/// Where the data lives and which data version it has.
#[derive(Debug, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DatabaseInfo {
    pub path: String,
    #[ts(type = "number")]
    pub schema_version: i64,
}

#[tauri::command(async)]
pub fn database_info(state: State<'_, AppState>) -> CommandResult<DatabaseInfo> {
    let store = state.store()?;
    Ok(DatabaseInfo {
        path: store.path().map(|p| p.display().to_string()).unwrap_or_default(),
        schema_version: powermap_core::store::schema_version(),
    })
}
