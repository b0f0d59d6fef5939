//! The error that crosses IPC: `{code, message}`. The UI branches on `code` and shows
//! `message` to the person in the room, in the window's language (the catalogs' `error.*`).

use std::sync::RwLock;

use powermap_core::i18n::{Lang, Said};
use powermap_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

/// The language the window's error messages are said in; `None` until the app's state
/// says it: the desktop's.
///
/// Global, not a field of [`crate::AppState`], because the conversion every command makes
/// with `?` (`From<powermap_core::Error>`) cannot see the state. A process has one window
/// language — one state, one settings file — which the state keeps here whenever it is
/// settled: when its settings are read ([`crate::AppState::remembering_settings`]) and
/// when the person chooses another ([`crate::AppState::choose_language`]).
static WINDOW_LANGUAGE: RwLock<Option<Lang>> = RwLock::new(None);

/// Says the window's errors in `lang` from now on.
pub(crate) fn speak(lang: Lang) {
    *WINDOW_LANGUAGE.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(lang);
}

/// The language the window's errors are said in: the one the state last set, else the
/// desktop's.
pub fn window_language() -> Lang {
    WINDOW_LANGUAGE.read().unwrap_or_else(|poisoned| poisoned.into_inner()).unwrap_or_else(Lang::from_env)
}

/// A failed command, as the window receives it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
}

impl IpcError {
    /// The error `code` with `message` said in the window's language.
    pub fn new(code: ErrorCode, message: impl Into<Said>) -> IpcError {
        IpcError { code, message: message.into().render(window_language()) }
    }
}

impl From<powermap_core::Error> for IpcError {
    fn from(error: powermap_core::Error) -> Self {
        IpcError::from(&error)
    }
}

/// The core's error, its message in the window's language.
impl From<&powermap_core::Error> for IpcError {
    fn from(error: &powermap_core::Error) -> Self {
        IpcError::new(error.code(), error.said())
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
    /// The argument, or the error that says it could not be read (serde's own words about
    /// it put in as they are).
    pub fn get(self) -> Result<T, IpcError> {
        self.0.map_err(|detail| {
            IpcError::new(ErrorCode::InvalidInput, Said::new("error.window.unreadable").text("detail", detail))
        })
    }
}

impl<'de, R: tauri::Runtime, T: serde::de::DeserializeOwned> tauri::ipc::CommandArg<'de, R> for Arg<T> {
    fn from_command(command: tauri::ipc::CommandItem<'de, R>) -> Result<Self, tauri::ipc::InvokeError> {
        let key = command.key;
        Ok(Arg(T::deserialize(command).map_err(|e| format!("{key}: {e}"))))
    }
}
