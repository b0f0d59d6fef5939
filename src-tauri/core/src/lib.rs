//! Powermap's core: the model of a power-mapping workshop, its validation and storage, and
//! the interchange format. Nothing here knows about Tauri or windows, so all of it is
//! tested with plain `cargo test` on real SQLite files.

pub mod clock;
pub mod csv_import;
pub mod error;
pub mod facts;
pub mod i18n;
pub mod interchange;
pub mod model;
pub mod other_tools;
pub mod sample;
pub mod store;
pub mod summary;

pub use error::{Error, ErrorCode, Result};
pub use interchange::InterchangeDocument;
pub use store::Store;
