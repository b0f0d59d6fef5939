//! The error that crosses IPC: `{code, message}`. The UI branches on `code` and shows
//! `message` to the person in the room.

use powermap_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

/// A failed command, as the window receives it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<powermap_core::Error> for IpcError {
    fn from(error: powermap_core::Error) -> Self {
        IpcError { code: error.code(), message: error.to_string() }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// What every command returns.
pub type CommandResult<T> = Result<T, IpcError>;
