//! The watcher of other programs' writes: the command line, or a second Powermap, writing
//! the same file. It notices them by SQLite's `data_version` (which this store's own
//! writes do not move), reads what they changed — each session's new changes from the
//! change log, and whether the list of sessions changed — and publishes it through the
//! store's one publisher, like any write of this process.
//!
//! What has been published is recorded as the session revisions and the list last seen.
//! This process's writes record theirs under the write lock, inside their transaction
//! (where no other program can commit), after first taking in what other programs wrote
//! before them: so each change is published once, by whoever saw it first, and in the
//! order of the commits.

use std::collections::HashMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use rusqlite::{Connection, TransactionBehavior};

use super::publisher::Publication;
use super::Store;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::SessionChange;

/// How often the file is checked for other programs' writes.
pub const WATCH_EVERY: Duration = Duration::from_millis(50);

/// What has been published of the file: the moment of it, by `data_version`; each session's
/// revision; and the list of sessions as the session list shows it (id, title, deleted).
#[derive(Debug, Default)]
pub(crate) struct Watched {
    data_version: i64,
    revisions: HashMap<String, i64>,
    listing: Vec<(String, String, Option<i64>)>,
}

impl Watched {
    /// The file as it is now (nothing of it to publish).
    fn read(conn: &Connection) -> Result<Watched> {
        let mut watched = Watched { data_version: data_version(conn)?, ..Watched::default() };
        watched.take_in(conn)?;
        Ok(watched)
    }

    /// What other programs committed since this was recorded: this record brought up to
    /// date, and what to publish — each session's new changes, and whether the list
    /// changed. `None` when nothing moved (the common case, which copies nothing). Runs
    /// inside a transaction of `conn`, so what it reads is one moment of the file.
    pub(crate) fn caught_up(&self, conn: &Connection) -> Result<Option<(Watched, Vec<Publication>)>> {
        let now = data_version(conn)?;
        if now == self.data_version {
            return Ok(None);
        }
        let mut updated = Watched { data_version: now, ..Watched::default() };
        updated.take_in(conn)?;
        let mut publications = Vec::new();
        for (session, revision) in &updated.revisions {
            // A session this store has not seen is new: the list says so; no view holds it.
            let Some(&seen) = self.revisions.get(session) else { continue };
            if *revision > seen {
                publications
                    .extend(changes_after(conn, session, seen)?.into_iter().map(|c| Publication::Change(Box::new(c))));
            }
        }
        if updated.listing != self.listing {
            publications.push(Publication::Sessions);
        }
        Ok(Some((updated, publications)))
    }

    /// The file as this process's write leaves it, if the write changed the list of
    /// sessions (read inside its transaction, before it commits, where no other program
    /// can write); `None` otherwise.
    pub(crate) fn after_own(&self, conn: &Connection, staged: &[Publication]) -> Result<Option<Watched>> {
        if !staged.contains(&Publication::Sessions) {
            return Ok(None);
        }
        let mut after = Watched { data_version: self.data_version, ..Watched::default() };
        after.take_in(conn)?;
        Ok(Some(after))
    }

    /// Records this process's committed write: the file as [`Watched::after_own`] read it,
    /// or else its changes' revisions.
    pub(crate) fn record_own(&mut self, staged: &[Publication], after: Option<Watched>) {
        if let Some(after) = after {
            *self = after;
            return;
        }
        for publication in staged {
            if let Publication::Change(change) = publication {
                self.revisions.insert(change.session_id.clone(), change.revision);
            }
        }
    }

    /// Reads every session's revision and the list as it is.
    fn take_in(&mut self, conn: &Connection) -> Result<()> {
        let mut statement = conn.prepare_cached("SELECT id, revision, title, deleted_at FROM session ORDER BY id")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, row.get::<_, String>(2)?, row.get(3)?))
        })?;
        self.revisions.clear();
        self.listing.clear();
        for row in rows {
            let (id, revision, title, deleted_at) = row?;
            self.revisions.insert(id.clone(), revision);
            self.listing.push((id, title, deleted_at));
        }
        Ok(())
    }
}

fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.pragma_query_value(None, "data_version", |row| row.get(0))?)
}

/// The session's kept changes after `revision`, oldest first. Those no longer kept are
/// skipped: a view that sees the gap reads the session anew.
fn changes_after(conn: &Connection, session_id: &str, revision: i64) -> Result<Vec<SessionChange>> {
    let mut statement =
        conn.prepare_cached("SELECT change FROM change_log WHERE session_id = ?1 AND revision > ?2 ORDER BY revision")?;
    let texts = statement.query_map((session_id, revision), |row| row.get::<_, String>(0))?;
    let mut changes = Vec::new();
    for text in texts {
        changes.push(
            serde_json::from_str(&text?)
                .map_err(|e| Error::internal(Said::new("error.internal.change-unreadable").text("detail", e)))?,
        );
    }
    Ok(changes)
}

impl Store {
    /// Watches the file for other programs' writes (the command line, a second Powermap)
    /// and publishes them to this store's subscribers ([`Store::subscribe`]) like its own,
    /// within [`WATCH_EVERY`] of their commit. Watches until the store is dropped; a second
    /// call changes nothing; a store in memory has no other writers.
    pub fn watch_other_programs(self: &Arc<Store>) -> Result<()> {
        if self.path.is_none() {
            return Ok(());
        }
        {
            let conn = self.lock();
            let mut watched = self.watched.lock().unwrap_or_else(|p| p.into_inner());
            if watched.is_some() {
                return Ok(());
            }
            *watched = Some(Watched::read(&conn)?);
        }
        let store: Weak<Store> = Arc::downgrade(self);
        std::thread::Builder::new()
            .name("powermap-watch".into())
            .spawn(move || loop {
                std::thread::sleep(WATCH_EVERY);
                let Some(store) = store.upgrade() else { return };
                // A busy file or a failed read: looked at again at the next turn.
                let _ = store.take_in_other_programs();
            })
            .map_err(|e| Error::io(Said::new("error.io.watch"), e))?;
        Ok(())
    }

    /// Publishes what other programs have committed since the last look.
    fn take_in_other_programs(&self) -> Result<()> {
        {
            let mut conn = self.lock();
            let mut watched = self.watched.lock().unwrap_or_else(|p| p.into_inner());
            let Some(watched) = watched.as_mut() else { return Ok(()) };
            // Cheap when nothing moved: one pragma, no transaction.
            if data_version(&conn)? == watched.data_version {
                return Ok(());
            }
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            let caught = watched.caught_up(&tx)?;
            tx.commit()?;
            if let Some((updated, publications)) = caught {
                *watched = updated;
                self.publisher.enqueue(publications);
            }
        }
        self.publisher.tell();
        Ok(())
    }
}
