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

/// A command's argument as the window sent it, read by the command itself: an argument that
/// is missing or of the wrong shape becomes an `invalid_input` `{code, message}` like every
/// other refusal, where Tauri would answer with bare text. Anything the window sends is
/// checked before it is used.
pub struct Arg<T>(Result<T, String>);

impl<T> Arg<T> {
    /// The argument, or the error that says it could not be read.
    pub fn get(self) -> Result<T, IpcError> {
        self.0.map_err(|detail| IpcError {
            code: ErrorCode::InvalidInput,
            message: format!("Powermap could not read what the window sent ({detail}). Nothing was changed."),
        })
    }
}

impl<'de, R: tauri::Runtime, T: serde::de::DeserializeOwned> tauri::ipc::CommandArg<'de, R> for Arg<T> {
    fn from_command(command: tauri::ipc::CommandItem<'de, R>) -> Result<Self, tauri::ipc::InvokeError> {
        let key = command.key;
        Ok(Arg(T::deserialize(command).map_err(|e| format!("{key}: {e}"))))
    }
}
