//! The errors of Powermap's core. Every message is written for the person in the room.

use serde::Serialize;
use ts_rs::TS;

/// What went wrong, as a stable code the UI and the CLI's exit status branch on (never on
/// message text). Each code is used for its own case only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Input that breaks a rule (empty name, coordinate off the grid, …). Nothing changed.
    InvalidInput,
    /// An id that does not exist (any more), or belongs to another session. Nothing changed.
    NotFound,
    /// The request does not fit the state it met: nothing to undo, a target that is the
    /// open database itself. Nothing changed.
    Conflict,
    /// The file is not a Powermap database. It was not modified.
    NotADatabase,
    /// The database was written by a newer Powermap. It was not modified.
    NewerDatabase,
    /// An import file that is malformed or of an unknown format version. Nothing was added.
    BadImport,
    /// Another program held the database longer than Powermap waits. Nothing changed.
    Busy,
    /// The database failed underneath (disk full, corrupt).
    Storage,
    /// Reading or writing a file failed.
    Io,
    /// Powermap itself went wrong (a bug): nothing changed, and the message says what.
    Internal,
}

/// Every failure of the core. Each variant leaves the database as it was.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "{path} is not a Powermap database, so Powermap left it untouched. Choose another file, or move this one away."
    )]
    NotADatabase { path: String },
    #[error("{path} was saved by a newer version of Powermap (data version {found}; this version knows up to {supported}). It was left untouched: open it with the newer Powermap.")]
    NewerDatabase { path: String, found: i64, supported: i64 },
    #[error("This file cannot be imported: {0}. Nothing was added.")]
    BadImport(String),
    #[error("The database failed: {0}")]
    Storage(#[from] rusqlite::Error),
    #[error("The database could not be prepared: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    #[error("Something went wrong inside Powermap ({0}). Nothing was changed.")]
    Internal(String),
}

impl Error {
    /// The stable code of this error, for the UI and the CLI's exit status.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::BadImport(_) => ErrorCode::BadImport,
            Error::Storage(e) if is_busy(e) => ErrorCode::Busy,
            Error::Storage(_) | Error::Migration(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound(message.into())
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict(message.into())
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }

    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
