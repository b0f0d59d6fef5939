//! The history of each session: every change as the rows it touched before and after, so it
//! can be undone and redone — also after a restart, and after a migration.
//!
//! A change is recorded by [`Change`]: it reads the rows it will touch (their *before*
//! images, [`super::table::Image`]s), the caller changes them, and [`Change::commit`] reads
//! them again (the *after* images), stores both with the label, the actor and the schema
//! version, moves the session to its next revision and returns the [`SessionChange`] for
//! every view. Undo writes the before images back in reverse order; redo writes the after
//! images in order. History is linear: a new change drops what was undone.

//!
//! Here: the two tables and reading them (what undo and redo would do, the list of steps);
//! `recording.rs` records a change and tells it; `undo.rs` takes a step back or does it
//! again; `first_places.rs` is the summary's question to history; `first_form.rs` moves
//! the first form of history into this one.

mod first_form;
mod first_places;
mod recording;
mod undo;

pub(crate) use first_form::upgrade_first_form;
pub(crate) use recording::{announce, Change};

use rusqlite::{OptionalExtension, Transaction};

use super::Store;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{HistoryEntry, HistoryState, Millis};
/// Steps and their rows. Rows are column → value maps (JSON), tagged through their step
/// with the schema version they were recorded at.
pub(super) const SCHEMA: &str = "
CREATE TABLE history_step (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id     TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    label          TEXT NOT NULL,
    actor          TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    merge_key      TEXT,
    undone         INTEGER NOT NULL DEFAULT 0,
    at             INTEGER NOT NULL
);
CREATE INDEX history_step_by_session ON history_step(session_id, undone, id);
CREATE TABLE history_row (
    step_id    INTEGER NOT NULL REFERENCES history_step(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    row_key    TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    PRIMARY KEY (step_id, seq)
) WITHOUT ROWID;
";

/// The first form of history (until data version 8): one `history` table whose steps held
/// their rows as the serde form of the model types, labelled in English.
pub(super) const FIRST_FORM: &str = "
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

/// The JSON `text` of a step as a `T`; `what` names the part read (a `word.history-*`).
pub(super) fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::internal(Said::new("error.internal.history-unreadable").word("what", what).text("detail", e))
    })
}

pub(super) fn entry(label: &str, actor: &str, at: Millis) -> Result<HistoryEntry> {
    Ok(HistoryEntry { label: parse(label, "word.history-label")?, actor: parse(actor, "word.history-author")?, at })
}

/// What undo and redo would do now in the session.
pub(crate) fn state(tx: &Transaction<'_>, session_id: &str) -> Result<HistoryState> {
    let read = |sql: &str| -> Result<Option<HistoryEntry>> {
        let found: Option<(String, String, Millis)> =
            tx.prepare_cached(sql)?.query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
        found.map(|(label, actor, at)| entry(&label, &actor, at)).transpose()
    };
    Ok(HistoryState {
        undo: read(
            "SELECT label, actor, at FROM history_step WHERE session_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1",
        )?,
        redo: read(
            "SELECT label, actor, at FROM history_step WHERE session_id = ?1 AND undone = 1 ORDER BY id ASC LIMIT 1",
        )?,
    })
}

/// A step as `powermap history` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    pub entry: HistoryEntry,
    /// Undone, and waiting for redo.
    pub undone: bool,
    /// Changes that came from another laptop sharing the campaign (no step of this
    /// laptop's history: undo passes over them), as far as the change log keeps them.
    pub from_laptop: bool,
}

impl Store {
    /// What undo and redo would do now in the session.
    pub fn history_state(&self, session_id: &str) -> Result<HistoryState> {
        self.read(|tx| {
            super::session::get(tx, session_id)?;
            state(tx, session_id)
        })
    }

    /// The session's steps, newest first (undone steps, waiting for redo, are the newest).
    pub fn history(&self, session_id: &str) -> Result<Vec<HistoryLine>> {
        self.read(|tx| {
            super::session::get(tx, session_id)?;
            let mut statement = tx.prepare_cached(
                "SELECT label, actor, at, undone FROM history_step WHERE session_id = ?1 ORDER BY id DESC",
            )?;
            let rows = statement.query_map([session_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, Millis>(2)?, r.get::<_, bool>(3)?))
            })?;
            let mut lines = Vec::new();
            for row in rows {
                let (label, actor, at, undone) = row?;
                lines.push(HistoryLine { entry: entry(&label, &actor, at)?, undone, from_laptop: false });
            }
            // Other laptops' changes, between this laptop's steps by time (undone steps stay on top).
            let elsewhere = super::change_log::from_other_laptops(tx, session_id)?;
            if !elsewhere.is_empty() {
                let waiting = lines.iter().take_while(|l| l.undone).count();
                let mut rest: Vec<HistoryLine> = lines.split_off(waiting);
                rest.extend(elsewhere.into_iter().map(|entry| HistoryLine { entry, undone: false, from_laptop: true }));
                // Newest first; at one moment, this laptop's own step first.
                rest.sort_by(|a, b| b.entry.at.cmp(&a.entry.at).then(a.from_laptop.cmp(&b.from_laptop)));
                lines.extend(rest);
            }
            Ok(lines)
        })
    }
}
