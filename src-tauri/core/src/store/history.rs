//! The `history` table: every change to a session, as the rows it touched before and after,
//! so it can be undone and redone — also after a restart.
//!
//! A change is recorded by [`Change`]: it reads the rows it will touch (their *before*
//! images), the caller changes them, and [`Change::commit`] reads them again (the *after*
//! images) and stores both. Undo writes the before images back in reverse order; redo
//! writes the after images in order. History is linear: a new change drops what was undone.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::{touch_session, Store};
use crate::error::{Error, Result};
use crate::model::{Commitment, Grid, HistoryState, Millis, Organization, Participant, Placement, Session};

pub(super) const SCHEMA: &str = "
CREATE TABLE history (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    changes    TEXT NOT NULL,
    undone     INTEGER NOT NULL DEFAULT 0,
    at         INTEGER NOT NULL
);
CREATE INDEX history_by_session ON history(session_id, undone, id);
";

/// Which row a change touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "camelCase")]
pub(crate) enum RowKey {
    Session { id: String },
    Organization { id: String },
    Grid { id: String },
    Placement { grid_id: String, organization_id: String },
    Commitment { id: String },
    Participant { id: String },
}

/// A whole row, with the columns the model types leave out (session and display order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", rename_all = "camelCase")]
pub(crate) enum Row {
    Session { session: Session },
    Organization { session_id: String, seq: i64, organization: Organization },
    Grid { session_id: String, seq: i64, grid: Grid },
    Placement { placement: Placement },
    Commitment { session_id: String, seq: i64, commitment: Commitment },
    Participant { session_id: String, seq: i64, participant: Participant },
}

#[derive(Debug, Serialize, Deserialize)]
struct RowChange {
    key: RowKey,
    before: Option<Row>,
    after: Option<Row>,
}

/// A change in progress: the before images of the rows it will touch.
pub(crate) struct Change {
    session_id: String,
    label: String,
    rows: Vec<RowChange>,
}

impl Change {
    /// Starts a change to `keys` in the session, reading their current rows.
    pub(crate) fn begin(tx: &Transaction<'_>, session_id: &str, label: String, keys: Vec<RowKey>) -> Result<Change> {
        let mut rows = Vec::with_capacity(keys.len());
        for key in keys {
            let before = read_row(tx, &key)?;
            rows.push(RowChange { key, before, after: None });
        }
        Ok(Change { session_id: session_id.to_string(), label, rows })
    }

    /// Reads the after images and stores the change as the newest step of the session's
    /// history, dropping any steps that were undone. Marks the session changed at `now`.
    pub(crate) fn commit(mut self, tx: &Transaction<'_>, now: Millis) -> Result<()> {
        for row in &mut self.rows {
            row.after = read_row(tx, &row.key)?;
        }
        self.rows.retain(|row| row.before != row.after);
        touch_session(tx, &self.session_id, now)?;
        if self.rows.is_empty() {
            return Ok(());
        }
        let changes = serde_json::to_string(&self.rows)
            .map_err(|e| Error::invalid(format!("The change could not be recorded: {e}")))?;
        tx.execute("DELETE FROM history WHERE session_id = ?1 AND undone = 1", [&self.session_id])?;
        tx.prepare_cached("INSERT INTO history (session_id, label, changes, at) VALUES (?1, ?2, ?3, ?4)")?
            .execute((&self.session_id, &self.label, changes, now))?;
        Ok(())
    }
}

/// The row under `key` as it is now, or `None` if there is none.
fn read_row(tx: &Transaction<'_>, key: &RowKey) -> Result<Option<Row>> {
    Ok(match key {
        RowKey::Session { id } => super::session::get(tx, id).ok().map(|session| Row::Session { session }),
        RowKey::Organization { id } => super::organization::row(tx, id)?
            .map(|(session_id, seq, organization)| Row::Organization { session_id, seq, organization }),
        RowKey::Grid { id } => {
            super::grid::row(tx, id)?.map(|(session_id, seq, grid)| Row::Grid { session_id, seq, grid })
        }
        RowKey::Placement { grid_id, organization_id } => {
            super::placement::get(tx, grid_id, organization_id)?.map(|placement| Row::Placement { placement })
        }
        RowKey::Commitment { id } => super::commitment::row(tx, id)?
            .map(|(session_id, seq, commitment)| Row::Commitment { session_id, seq, commitment }),
        RowKey::Participant { id } => super::participant::row(tx, id)?
            .map(|(session_id, seq, participant)| Row::Participant { session_id, seq, participant }),
    })
}

/// Makes the row under `key` be `image`: deleted if `None`, inserted or updated otherwise
/// (updated in place, so rows that refer to it are not cascaded away).
fn write_row(tx: &Transaction<'_>, key: &RowKey, image: Option<&Row>) -> Result<()> {
    match (key, image) {
        (RowKey::Session { id }, None) => tx.execute("DELETE FROM session WHERE id = ?1", [id]).map(drop)?,
        (RowKey::Organization { id }, None) => tx.execute("DELETE FROM organization WHERE id = ?1", [id]).map(drop)?,
        (RowKey::Grid { id }, None) => tx.execute("DELETE FROM grid WHERE id = ?1", [id]).map(drop)?,
        (RowKey::Placement { grid_id, organization_id }, None) => tx
            .execute(
                "DELETE FROM placement WHERE grid_id = ?1 AND organization_id = ?2",
                (grid_id, organization_id),
            )
            .map(drop)?,
        (RowKey::Commitment { id }, None) => tx.execute("DELETE FROM commitment WHERE id = ?1", [id]).map(drop)?,
        (RowKey::Participant { id }, None) => tx.execute("DELETE FROM participant WHERE id = ?1", [id]).map(drop)?,
        (_, Some(Row::Session { session })) => super::session::upsert(tx, session)?,
        (_, Some(Row::Organization { session_id, seq, organization })) => {
            super::organization::upsert(tx, session_id, *seq, organization)?
        }
        (_, Some(Row::Grid { session_id, seq, grid })) => super::grid::upsert(tx, session_id, *seq, grid)?,
        (_, Some(Row::Placement { placement })) => super::placement::upsert(tx, placement)?,
        (_, Some(Row::Commitment { session_id, seq, commitment })) => {
            super::commitment::upsert(tx, session_id, *seq, commitment)?
        }
        (_, Some(Row::Participant { session_id, seq, participant })) => {
            super::participant::upsert(tx, session_id, *seq, participant)?
        }
    }
    Ok(())
}

/// What undo and redo would do now in the session.
pub(crate) fn state(tx: &Transaction<'_>, session_id: &str) -> Result<HistoryState> {
    let undo = tx
        .prepare_cached("SELECT label FROM history WHERE session_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1")?
        .query_row([session_id], |row| row.get(0))
        .optional()?;
    let redo = tx
        .prepare_cached("SELECT label FROM history WHERE session_id = ?1 AND undone = 1 ORDER BY id ASC LIMIT 1")?
        .query_row([session_id], |row| row.get(0))
        .optional()?;
    Ok(HistoryState { undo, redo })
}

/// What one undo or redo did.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryStep {
    /// The change undone or redone, as the buttons named it.
    pub label: String,
    /// What undo and redo would do next.
    pub history: HistoryState,
}

impl Store {
    /// Where each card of the session was first seen on its grid in the session's history:
    /// its place before the first recorded change to it, or where that change put it. By
    /// (grid id, organization id); undone steps do not count.
    pub(crate) fn first_places(&self, session_id: &str) -> Result<HashMap<(String, String), (f64, f64)>> {
        self.read(|tx| {
            let mut first = HashMap::new();
            // Only the steps that touched a placement need reading.
            let mut statement = tx.prepare_cached(
                "SELECT changes FROM history WHERE session_id = ?1 AND undone = 0
                 AND changes LIKE '%\"table\":\"placement\"%' ORDER BY id",
            )?;
            let steps = statement.query_map([session_id], |row| row.get::<_, String>(0))?;
            for changes in steps {
                let rows: Vec<RowChange> = serde_json::from_str(&changes?)
                    .map_err(|e| Error::invalid(format!("A step of the history cannot be read ({e}).")))?;
                for row in rows {
                    let (RowKey::Placement { grid_id, organization_id }, Some(Row::Placement { placement })) =
                        (row.key, row.before.or(row.after))
                    else {
                        continue;
                    };
                    first.entry((grid_id, organization_id)).or_insert((placement.x, placement.y));
                }
            }
            Ok(first)
        })
    }

    /// What undo and redo would do now in the session.
    pub fn history_state(&self, session_id: &str) -> Result<HistoryState> {
        self.read(|tx| {
            super::session::get(tx, session_id)?;
            state(tx, session_id)
        })
    }

    /// Undoes the newest change of the session that is not undone yet.
    ///
    /// Errors: [`Error::Invalid`] if there is nothing to undo.
    pub fn undo(&self, session_id: &str, now: Millis) -> Result<HistoryStep> {
        self.step(session_id, now, true)
    }

    /// Redoes the oldest undone change of the session.
    ///
    /// Errors: [`Error::Invalid`] if there is nothing to redo.
    pub fn redo(&self, session_id: &str, now: Millis) -> Result<HistoryStep> {
        self.step(session_id, now, false)
    }

    fn step(&self, session_id: &str, now: Millis, undo: bool) -> Result<HistoryStep> {
        self.write(|tx| {
            super::session::get(tx, session_id)?;
            let query = if undo {
                "SELECT id, label, changes FROM history WHERE session_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1"
            } else {
                "SELECT id, label, changes FROM history WHERE session_id = ?1 AND undone = 1 ORDER BY id ASC LIMIT 1"
            };
            let found: Option<(i64, String, String)> = tx
                .prepare_cached(query)?
                .query_row([session_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
                .optional()?;
            let Some((id, label, changes)) = found else {
                return Err(Error::invalid(if undo { "There is nothing to undo." } else { "There is nothing to redo." }));
            };
            let rows: Vec<RowChange> = serde_json::from_str(&changes)
                .map_err(|e| Error::invalid(format!("This step of the history cannot be read ({e}).")))?;
            if undo {
                for row in rows.iter().rev() {
                    write_row(tx, &row.key, row.before.as_ref())?;
                }
            } else {
                for row in &rows {
                    write_row(tx, &row.key, row.after.as_ref())?;
                }
            }
            tx.execute("UPDATE history SET undone = ?2 WHERE id = ?1", (id, undo))?;
            touch_session(tx, session_id, now)?;
            Ok(HistoryStep { label, history: state(tx, session_id)? })
        })
    }
}
