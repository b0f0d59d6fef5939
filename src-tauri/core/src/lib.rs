//! Powermap's core: the model of a power-mapping workshop, its validation and storage, the
//! interchange format, the summary and every file in and out. Nothing here knows about
//! Tauri or windows, so all of it is tested with plain `cargo test` on real SQLite files.
//!
//! In layers that never import back up: [`model`] and [`interchange`]; [`files`] (a leaf);
//! [`store`], the one publisher of changes; [`summary`], which reads the store; and
//! [`exchange`], every file in and out, and [`sync`], a shared campaign's changes carried
//! between laptops, above them all.

pub mod clock;
pub mod error;
pub mod exchange;
pub mod facts;
pub mod files;
pub mod i18n;
pub mod interchange;
pub mod model;
pub mod sample;
pub mod store;
pub mod summary;
pub mod sync;

pub use error::{Error, ErrorCode, Result};
pub use interchange::InterchangeDocument;
pub use store::Store;
