//! The store: one SQLite file holding every session.
//!
//! Invariants kept here:
//! - the schema is an append-only list of migrations (one per table module), applied when
//!   the file opens, after a backup copy of an older file has been taken;
//! - a file that is not a Powermap database, or that a newer Powermap wrote, is refused
//!   before anything is written to it;
//! - every change is one transaction, committed before the call returns (WAL, `synchronous
//!   = FULL`), so a crash loses at most the gesture in flight;
//! - a failed call changes nothing.

mod campaign;
mod change_log;
mod commitment;
mod document;
mod grid;
mod history;
mod organization;
mod participant;
mod placement;
mod publisher;
mod relationship;
mod review;
mod round;
mod row;
mod seat;
mod session;
mod sharing;
mod table;
mod watcher;

pub use change_log::KEPT_CHANGES;
pub use history::HistoryLine;
pub use publisher::{Publication, Subscription};
pub use seat::{SeatHolder, Seated, SEATS_PER_PARTICIPANT};
pub use session::KEPT_AFTER_DELETION;
pub use sharing::{this_computer, DoubleChange, Outgoing, SharedCampaign, SharedFolder, SharedLaptop, TakenIn};
pub use watcher::WATCH_EVERY;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{Millis, RowKey, WrittenRow};

/// Marks a SQLite file as Powermap's (`PRAGMA application_id`, "PMAP").
pub const APPLICATION_ID: i64 = 0x504D_4150;

/// The schema, oldest first, one migration per table module. Append only: a released
/// migration never changes.
fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(session::SCHEMA),
        M::up(organization::SCHEMA),
        M::up(grid::SCHEMA),
        M::up(placement::SCHEMA),
        M::up(commitment::SCHEMA),
        M::up(participant::SCHEMA),
        M::up(history::FIRST_FORM),
        M::up(session::RECENTLY_DELETED),
        M::up_with_hook(history::SCHEMA, |tx: &Transaction<'_>| Ok(history::upgrade_first_form(tx)?)),
        M::up(session::REVISION),
        M::up(change_log::SCHEMA),
        M::up_with_hook(campaign::SCHEMA, |tx: &Transaction<'_>| Ok(campaign::join_chains(tx)?)),
        M::up(review::SCHEMA),
        M::up(relationship::SCHEMA),
        M::up(round::SCHEMA),
        M::up(seat::SCHEMA),
        M::up(organization::CONTACT),
        M::up(sharing::SCHEMA),
        M::up(sharing::HOME),
    ])
}

/// How many migrations there are: [`schema_version`].
const MIGRATION_COUNT: i64 = 19;

/// The data version this build writes (`PRAGMA user_version` after all migrations).
pub fn schema_version() -> i64 {
    MIGRATION_COUNT
}

/// How many idle read connections a store keeps for the next reads.
const KEPT_READERS: usize = 4;

/// All of Powermap's data, in one SQLite file.
///
/// Writes go through one connection, one at a time. Reads of a file take connections of
/// their own (kept for the next reads), so the room's phones read while the window writes
/// (WAL lets readers and one writer work at once), and no read waits behind a write.
pub struct Store {
    conn: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: Option<PathBuf>,
    publisher: std::sync::Arc<publisher::Publisher>,
    /// What of the file has been published, while other programs' writes are watched for
    /// ([`Store::watch_other_programs`]). Locked only under the write lock.
    watched: Mutex<Option<watcher::Watched>>,
    /// The documents of the campaigns this laptop shares.
    sharing: sharing::Sharing,
}

impl Store {
    /// Opens (or creates) the database at `path`, upgrading an older schema after taking a
    /// backup copy beside it (`<file>.v<N>.backup`).
    ///
    /// A file that is there is first judged from its header, read as bytes (and, when the
    /// header cannot tell, through a read-only connection): whose file it is before which
    /// version, so another program's database is never called "newer". A new database is
    /// made whole in a temporary file beside `path` and linked into place, so two programs
    /// creating the same file at once both open the one that won. If another program holds
    /// the file while it is being opened or upgraded, opening is tried once more.
    ///
    /// Errors: [`Error::InvalidInput`] for an empty path or SQLite's `:memory:` (which would
    /// lose everything); [`Error::NotADatabase`] for a file that is not a Powermap database,
    /// [`Error::NewerDatabase`] for one written by a newer version — either way the file is
    /// left untouched; [`Error::Busy`] if another program keeps it locked.
    pub fn open(path: &Path) -> Result<Store> {
        refuse_non_file(path)?;
        match Store::open_once(path) {
            Err(error) if error.code() == crate::error::ErrorCode::Busy || is_racing_upgrade(&error) => {
                std::thread::sleep(std::time::Duration::from_millis(200));
                Store::open_once(path)
            }
            opened => opened,
        }
    }

    fn open_once(path: &Path) -> Result<Store> {
        let shown = path.display().to_string();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error::io(Said::new("error.io.create-folder").text("path", parent.display()), e))?;
        }
        if judge(path)? == Judged::Missing {
            create_atomically(path)?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| not_a_database_or(e, &shown))?;
        // The header said yes; the journal may hold a newer header than the file's bytes.
        let version = check_identity(&conn, &shown)?;
        if version > 0 && version < schema_version() {
            let backup = backup_path(path, version);
            conn.backup(rusqlite::MAIN_DB, &backup, None)?;
        }
        let store = Store::prepare(conn, Some(path.to_path_buf()))?;
        store.take_own_peers()?;
        Ok(store)
    }

    /// A database in memory, for tests and benchmarks that need no file.
    pub fn open_in_memory() -> Result<Store> {
        Store::prepare(Connection::open_in_memory()?, None)
    }

    fn prepare(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Pragmas are per connection, so they live here and not in the migrations.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // The journal is copied into the file every 4,000 pages (16 MB) rather than SQLite's
        // 1,000: a move writes a handful of pages (the card, its step of history, the change
        // log), and the copy is the one slow moment of a write, so it comes four times rarer.
        conn.pragma_update(None, "wal_autocheckpoint", 4000)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
        migrations().to_latest(&mut conn)?;
        Ok(Store {
            conn: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            path,
            publisher: Default::default(),
            watched: Mutex::new(None),
            sharing: Default::default(),
        })
    }

    /// The file this store writes to (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock rolled its transaction back (Transaction's Drop),
        // so the connection is consistent and safe to use again.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one write transaction; commits only if it succeeds, and then publishes
    /// what it changed to every subscriber ([`Store::subscribe`]), once the write lock is
    /// released. A write that fails publishes nothing.
    ///
    /// While other programs are watched for, what they committed before this write is
    /// taken in first, inside the transaction (where none of them can commit), so it is
    /// published before this write's changes and never mistaken for them.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let value = {
            let mut conn = self.lock();
            let mut watched = self.watched.lock().unwrap_or_else(|p| p.into_inner());
            publisher::drop_staged();
            sharing::drop_staged();
            let written =
                conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(Error::from).and_then(|tx| {
                    let caught = match watched.as_ref() {
                        Some(record) => record.caught_up(&tx)?,
                        None => None,
                    };
                    let value = f(&tx)?;
                    // The shared campaigns' documents take what the write changed, in its transaction.
                    self.sharing.record_staged(&tx)?;
                    let staged = publisher::take_staged();
                    let after = match caught.as_ref().map(|(record, _)| record).or(watched.as_ref()) {
                        Some(record) => record.after_own(&tx, &staged)?,
                        None => None,
                    };
                    tx.commit()?;
                    // Recorded only once committed: a write that fails leaves the record as it was.
                    if let Some((record, others)) = caught {
                        *watched = Some(record);
                        self.publisher.enqueue(others);
                    }
                    if let Some(record) = watched.as_mut() {
                        record.record_own(&staged, after);
                    }
                    self.publisher.enqueue(staged);
                    Ok(value)
                });
            if written.is_err() {
                publisher::drop_staged();
                sharing::drop_staged();
            }
            self.sharing.settle(written.is_ok());
            written?
        };
        self.publisher.tell();
        Ok(value)
    }

    /// Tells `subscriber` everything published from now on ([`Publication`]): every change
    /// committed to this store — by any window, command or room of this process, or by
    /// another program once [`Store::watch_other_programs`] runs — exactly once, after its
    /// commit, in the order of the commits; and every change to the list of sessions. Told
    /// until the subscription is dropped.
    pub fn subscribe(&self, subscriber: impl Fn(&Publication) + Send + Sync + 'static) -> Subscription {
        self.publisher.subscribe(std::sync::Arc::new(subscriber))
    }

    /// Runs `f` on a consistent snapshot of what is committed: on a read connection of its
    /// own for a file (in memory, on the one connection there is).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let Some(path) = &self.path else {
            let mut conn = self.lock();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            return f(&tx);
        };
        let kept = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut conn = match kept {
            Some(conn) => conn,
            None => open_reader(path)?,
        };
        let value = {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            f(&tx)
        };
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < KEPT_READERS {
            readers.push(conn);
        }
        value
    }
}

/// A connection for reads of the database at `path` (already opened and migrated by the
/// store's own connection).
fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(STATEMENTS_KEPT);
    Ok(conn)
}

/// Prepared statements each connection keeps. rusqlite keeps 16 by default; one move of a
/// card runs more than that (the card, its step of history, the change log, a shared
/// campaign's document), so with 16 each was parsed anew every time — a third of a move.
const STATEMENTS_KEPT: usize = 256;

/// Where the copy of a version-`version` file is kept before it is upgraded.
pub fn backup_path(path: &Path, version: i64) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".v{version}.backup"));
    path.with_file_name(name)
}

/// Refuses what is not a path to a file: nothing at all, or SQLite's in-memory database.
fn refuse_non_file(path: &Path) -> Result<()> {
    let text = path.as_os_str().to_string_lossy();
    if text.trim().is_empty() {
        return Err(Error::invalid("error.database.no-file"));
    }
    if text == ":memory:" || text.starts_with("file::memory:") {
        return Err(Error::invalid("error.database.in-memory"));
    }
    if path.is_dir() {
        return Err(Error::invalid(Said::new("error.database.folder").text("path", path.display())));
    }
    Ok(())
}

/// What a file's first bytes say about it.
#[derive(Debug, PartialEq)]
enum Judged {
    /// No file, or an empty one: a new database goes there.
    Missing,
    /// Powermap's (or a database still being created): open it.
    Ours,
}

/// Judges the file at `path` without writing to it: SQLite's header (the first 100 bytes),
/// then its application id, then its data version.
fn judge(path: &Path) -> Result<Judged> {
    let shown = || path.display().to_string();
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Judged::Missing),
        Err(e) => return Err(Error::io(Said::new("error.io.read").text("path", path.display()), e)),
    };
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(Error::io(Said::new("error.io.read").text("path", path.display()), e)),
        }
    }
    if read == 0 {
        // An empty file: SQLite makes a database of it, as of a new one.
        return Ok(Judged::Ours);
    }
    if read < header.len() || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::NotADatabase { path: shown() });
    }
    let number =
        |at: usize| i64::from(i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]));
    let (version, application_id) = (number(60), number(68));
    if application_id == APPLICATION_ID {
        if version > schema_version() {
            return Err(Error::NewerDatabase { path: shown(), found: version, supported: schema_version() });
        }
        return Ok(Judged::Ours);
    }
    if application_id != 0 || version != 0 {
        return Err(Error::NotADatabase { path: shown() });
    }
    // No mark yet: a database still being created by another Powermap, or someone else's
    // with tables of its own. Only the schema can tell, read without writing.
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| not_a_database_or(e, &shown()))?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
        .map_err(|e| not_a_database_or(e, &shown()))?;
    if tables > 0 {
        return Err(Error::NotADatabase { path: shown() });
    }
    Ok(Judged::Ours)
}

/// Makes a new database at `path` whole before it appears there: created and migrated in a
/// temporary file beside it, then hard-linked into place, which fails if another program
/// got there first (then that program's database is the one opened). On a file system
/// without hard links the file is renamed into place if nothing is there yet.
fn create_atomically(path: &Path) -> Result<()> {
    let fail = |e: std::io::Error| Error::io(Said::new("error.io.create-database").text("path", path.display()), e);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    crate::files::remove_stale_partials(folder);
    let temporary = tempfile::Builder::new()
        .prefix(".powermap-new-")
        .suffix(".db")
        .tempfile_in(folder)
        .map_err(fail)?
        .into_temp_path();
    {
        let conn = Connection::open_with_flags(
            &temporary,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // Closing checkpoints the journal into the file and removes it.
        drop(Store::prepare(conn, None)?);
    }
    match std::fs::hard_link(&temporary, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(_) if !path.exists() => std::fs::rename(&temporary, path).map_err(fail)?,
        Err(_) => {}
    }
    // The name in the folder is part of what must survive a crash.
    if let Ok(directory) = std::fs::File::open(folder) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// Whether opening failed because another program was upgrading the same file at the same
/// moment (its tables appeared under this one's migration).
fn is_racing_upgrade(error: &Error) -> bool {
    match error {
        Error::Storage(e) => e.to_string().contains("already exists"),
        Error::Migration(e) => {
            let said = e.to_string();
            said.contains("already exists") || said.contains("locked") || said.contains("busy")
        }
        _ => false,
    }
}

/// Reads the file's identity through SQLite (which also sees a header still in the
/// journal); returns its data version. Whose file it is comes before which version.
fn check_identity(conn: &Connection, shown: &str) -> Result<i64> {
    let read = |name: &str| -> Result<i64> {
        conn.pragma_query_value(None, name, |row| row.get(0)).map_err(|e| not_a_database_or(e, shown))
    };
    let version = read("user_version")?;
    let application_id = read("application_id")?;
    let ours = if application_id == APPLICATION_ID {
        true
    } else if application_id == 0 && version == 0 {
        // A new file has no tables; a file with tables but no mark is someone else's.
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(|e| not_a_database_or(e, shown))?;
        tables == 0
    } else {
        false
    };
    if !ours {
        return Err(Error::NotADatabase { path: shown.to_string() });
    }
    if version > schema_version() {
        return Err(Error::NewerDatabase { path: shown.to_string(), found: version, supported: schema_version() });
    }
    Ok(version)
}

fn not_a_database_or(error: rusqlite::Error, shown: &str) -> Error {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => Error::NotADatabase { path: shown.to_string() },
        _ => Error::Storage(error),
    }
}

pub(crate) use crate::model::new_id;

/// Marks the session as changed at `now` (so the session list shows it first) and moves it
/// to its next revision, which it returns.
pub(crate) fn touch_session(tx: &Transaction<'_>, session_id: &str, now: Millis) -> Result<i64> {
    // A deleted session takes no changes: whatever was changed in it is rolled back.
    tx.prepare_cached(
        "UPDATE session SET updated_at = ?2, revision = revision + 1 WHERE id = ?1 AND deleted_at IS NULL
         RETURNING revision",
    )?
    .query_row((session_id, now), |row| row.get(0))
    .optional()?
    .ok_or_else(session::session_gone)
}

/// The row as the views hold it (with its place in its list), or `None` if it is gone or
/// no view holds it (a participant's private answer).
pub(crate) fn written_row(tx: &Transaction<'_>, row: &table::RowRef) -> Result<Option<WrittenRow>> {
    use crate::model::{Commitment, Grid, Organization, Participant, Placement, Relationship, Review};
    Ok(match row.table.name {
        "round_answer" => None,
        // A deleted session is no row any view holds.
        "session" => session::get(tx, row.text("id")).ok().map(|row| row::StoredRow::written(row, 0)),
        "organization" => written::<Organization>(tx, row)?,
        "grid" => written::<Grid>(tx, row)?,
        "placement" => written::<Placement>(tx, row)?,
        "commitment" => written::<Commitment>(tx, row)?,
        "participant" => written::<Participant>(tx, row)?,
        "review" => written::<Review>(tx, row)?,
        "relationship" => written::<Relationship>(tx, row)?,
        "round" => round::row(tx, row.text("id"))?.map(|(_, row)| WrittenRow::Round { row }),
        other => return Err(Error::internal(Said::new("error.internal.no-record").text("table", other))),
    })
}

/// The row of a table described by [`row::StoredRow`] as the views hold it.
fn written<T: row::StoredRow>(tx: &Transaction<'_>, at: &table::RowRef) -> Result<Option<WrittenRow>> {
    let key: Vec<&str> = T::TABLE.key.iter().map(|column| at.text(column)).collect();
    Ok(if T::IN_SESSION_ORDER {
        row::find_placed::<T>(tx, &key)?.map(|(_, seq, found)| found.written(seq))
    } else {
        row::find::<T>(tx, &key)?.map(|found| found.written(0))
    })
}

/// The key of a removed row, as the views know it; `None` for a row no view holds (a
/// participant's private answer).
pub(crate) fn removed_key(row: &table::RowRef) -> Result<Option<RowKey>> {
    let id = row.text("id").to_string();
    Ok(Some(match row.table.name {
        "round_answer" => return Ok(None),
        "session" => RowKey::Session { id },
        "organization" => RowKey::Organization { id },
        "grid" => RowKey::Grid { id },
        "placement" => RowKey::Placement {
            grid_id: row.text("grid_id").to_string(),
            organization_id: row.text("organization_id").to_string(),
        },
        "commitment" => RowKey::Commitment { id },
        "participant" => RowKey::Participant { id },
        "review" => RowKey::Review { id },
        "relationship" => RowKey::Relationship { id },
        "round" => RowKey::Round { id },
        other => return Err(Error::internal(Said::new("error.internal.no-record").text("table", other))),
    }))
}

/// Converts a stored name in column `index` of a row of `table` back into its enum. A
/// mismatch means the file was edited by hand (or by a newer version): the error names the
/// row by its id (column 0) and the value.
pub(crate) fn parse_column<T>(
    row: &rusqlite::Row<'_>,
    index: usize,
    table: &str,
    parse: impl Fn(&str) -> Result<T>,
) -> rusqlite::Result<T> {
    let value: String = row.get(index)?;
    parse(&value).map_err(|e| {
        let id: String = row.get(0).unwrap_or_default();
        let message =
            Said::new("error.database.unreadable-value").text("table", table).text("id", id).said("problem", e.said());
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(Error::invalid(message)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("every migration applies cleanly to an empty database");
    }

    #[test]
    fn the_schema_version_counts_the_migrations() {
        let mut conn = Connection::open_in_memory().expect("an in-memory database");
        migrations().to_latest(&mut conn).expect("the migrations apply");
        let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0)).expect("a version");
        assert_eq!(version, schema_version(), "MIGRATION_COUNT must be the number of migrations");
    }
}
