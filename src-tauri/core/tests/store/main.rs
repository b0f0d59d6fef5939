//! The core's integration tests, on real SQLite files in temporary folders.

/// Campaigns: follow-up sessions, identities across them, review of commitments.
mod campaign;
/// The change every write returns (rows, revision, label, actor); history that outlives the
/// schema; nudges merged; the first form of history upgraded.
mod changes;
/// Commitments and participants: who will do what, by when; who is in the room.
mod commitments;
/// The summary's export formats, each read back and checked on its content.
mod exports;
/// Grids and placements: the three kinds, labels, moving cards, bad coordinates and ids.
mod grids;
/// Undo and redo of every change, also after a restart.
mod history;
/// The JSON interchange format: lossless round trip and malformed files.
mod interchange;
/// The corpus of maps of other tools (tests/fixtures/maps), each with what it must create:
/// the preview and the import both meet it.
mod map_corpus;
/// Maps made in other tools: Kumu blueprints and sheets, Oligrapher maps, malformed files.
mod maps;
/// Opening files: new, reopened, upgraded, foreign, newer.
mod opening;
/// Organizations: add, paste a list, edit, remove, and every bad input.
mod organizations;
/// Organizations imported from CSV files: preview, line-by-line problems, all or nothing.
mod organizations_csv;
/// The store's one publisher: each committed change and each change to the list of
/// sessions told once, other programs' writes included.
mod publication;
/// Relationships: drawn, changed, removed with their organizations, carried by follow-ups.
mod relationships;
/// Private rounds: answers kept private until the reveal, spread, names shown or not.
mod rounds;
/// Sessions: create, list order, rename, duplicate, delete.
mod sessions;
/// A campaign shared across laptops: every concurrent case merged, the shared folder's
/// files damaged, duplicated, missing or conflicted, keys wrong or mistyped.
mod sharing;

use std::path::PathBuf;

use powermap_core::model::{SessionData, SessionFields};
use powermap_core::Store;

/// A store on a new file in a temporary folder (kept alive by the returned guard).
pub fn temp_store() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("powermap.db");
    let store = Store::open(&path).expect("a new database opens");
    (dir, path, store)
}

/// A session titled `title`, created at `now`.
pub fn session(store: &Store, title: &str, now: i64) -> String {
    let fields = SessionFields { title: title.into(), ..Default::default() };
    store.create_session(&fields, powermap_core::i18n::Lang::En, now).expect("a valid session is created").id
}

/// Everything in the database, to compare before and after a refused call.
pub fn everything(store: &Store) -> Vec<SessionData> {
    store
        .list_sessions()
        .expect("sessions list")
        .iter()
        .map(|s| store.load_session(&s.id).expect("a listed session loads"))
        .collect()
}

/// Asserts that `result` is an error with `code`, and that the database did not change.
#[track_caller]
pub fn refused<T: std::fmt::Debug>(
    store: &Store,
    before: &[SessionData],
    result: powermap_core::Result<T>,
    code: powermap_core::ErrorCode,
) {
    match result {
        Ok(value) => panic!("expected a {code:?} error, got Ok({value:?})"),
        Err(error) => assert_eq!(error.code(), code, "wrong error: {error}"),
    }
    assert_eq!(everything(store), before, "a refused call must change nothing");
}

/// The JSON text `json` as `change` leaves it (a file edited by hand, for import tests).
pub fn edited(json: &str, change: &dyn Fn(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).expect("JSON to edit");
    change(&mut value);
    value.to_string()
}
