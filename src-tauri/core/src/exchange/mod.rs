//! Files in and out: every file Powermap reads or writes besides its database. Maps made in
//! other tools (Kumu, Oligrapher) and Powermap's own JSON read into a new session
//! ([`maps`]); organizations from a CSV file ([`organizations_csv`]); a session exported in
//! every format — the summary's, Powermap's JSON, a Kumu blueprint ([`export`]).
//!
//! The layer sits above the store and the summary and uses them through their public
//! calls; neither knows of it. Writing a file whole or not at all is [`crate::files`].

pub mod export;
pub mod maps;
pub mod organizations_csv;

pub use export::{
    export, notice, write_files, ExportFile, ExportFormat, ExportFormatInfo, ExportReport, Paper, PreparedExport,
};
