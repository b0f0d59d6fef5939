//! The `change_log` table: each session's latest changes as every view received them, by
//! revision, so a view that missed some (another process wrote the file, a window slept, a
//! phone reconnected) catches up by applying them instead of reading the session anew.

use rusqlite::Transaction;

use super::Store;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::SessionChange;

pub(super) const SCHEMA: &str = "
CREATE TABLE change_log (
    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    revision   INTEGER NOT NULL,
    change     TEXT NOT NULL,
    PRIMARY KEY (session_id, revision)
) WITHOUT ROWID;
";

/// How many of a session's latest changes are kept; a view further behind reads the
/// session anew.
pub const KEPT_CHANGES: i64 = 2_000;

/// Every how many changes the ones beyond [`KEPT_CHANGES`] are let go.
const PRUNE_EVERY: i64 = 100;

/// Keeps `change` as the session's newest (and stages it for publication when the write
/// commits), and now and then lets those beyond
/// [`KEPT_CHANGES`] go (so a session keeps at most that many plus [`PRUNE_EVERY`]).
pub(crate) fn keep(tx: &Transaction<'_>, change: &SessionChange) -> Result<()> {
    let text = serde_json::to_string(change)
        .map_err(|e| Error::internal(Said::new("error.internal.change-not-kept").text("detail", e)))?;
    tx.prepare_cached("INSERT INTO change_log (session_id, revision, change) VALUES (?1, ?2, ?3)")?.execute((
        &change.session_id,
        change.revision,
        text,
    ))?;
    // Old changes go in batches, not one by one with every write.
    super::publisher::stage(change);
    if change.revision % PRUNE_EVERY == 0 {
        tx.prepare_cached("DELETE FROM change_log WHERE session_id = ?1 AND revision <= ?2")?
            .execute((&change.session_id, change.revision - KEPT_CHANGES))?;
    }
    Ok(())
}

impl Store {
    /// The session's changes after `revision`, oldest first; `None` if some of them are no
    /// longer kept (then the view reads the session anew).
    ///
    /// Errors: [`Error::NotFound`] if the session is gone.
    pub fn changes_since(&self, session_id: &str, revision: i64) -> Result<Option<Vec<SessionChange>>> {
        self.read(|tx| {
            super::session::get(tx, session_id)?;
            let current: i64 =
                tx.query_row("SELECT revision FROM session WHERE id = ?1", [session_id], |r| r.get(0))?;
            if current <= revision {
                return Ok(Some(Vec::new()));
            }
            let mut statement = tx.prepare_cached(
                "SELECT revision, change FROM change_log WHERE session_id = ?1 AND revision > ?2 ORDER BY revision",
            )?;
            let rows =
                statement.query_map((session_id, revision), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut changes = Vec::new();
            let mut expected = revision + 1;
            for row in rows {
                let (at, text) = row?;
                if at != expected {
                    return Ok(None);
                }
                let change: SessionChange = serde_json::from_str(&text)
                    .map_err(|e| Error::internal(Said::new("error.internal.change-unreadable").text("detail", e)))?;
                changes.push(change);
                expected += 1;
            }
            Ok(if expected == current + 1 { Some(changes) } else { None })
        })
    }
}

/// The session's kept changes that came from other laptops sharing its campaign, as history
/// entries (what, by whom on which laptop, when), oldest first.
pub(crate) fn from_other_laptops(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<crate::model::HistoryEntry>> {
    let mut statement = tx.prepare_cached(
        "SELECT change FROM change_log WHERE session_id = ?1 AND change LIKE '%\"from-laptop\"%' ORDER BY revision",
    )?;
    let rows = statement.query_map([session_id], |r| r.get::<_, String>(0))?;
    let mut found = Vec::new();
    for row in rows {
        let Ok(change) = serde_json::from_str::<SessionChange>(&row?) else { continue };
        if matches!(change.label, crate::model::ChangeLabel::FromLaptop { .. }) {
            found.push(crate::model::HistoryEntry { label: change.label, actor: change.actor, at: change.at });
        }
    }
    Ok(found)
}
