//! Recording a change: the rows it will touch read before (their *before* images), read
//! again when it commits (the *after* images), stored as one step of history — or folded
//! into the newest step, for a run of nudges — and told to every view as a
//! [`SessionChange`], kept in the change log.

use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value;

use super::super::schema_version;
use super::super::table::{self, Image, RowRef};
use super::state;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{Actor, ChangeAction, ChangeLabel, Millis, SessionChange, Stamp};

/// Steps of one card's moves by one person closer together than this are one step (a run
/// of arrow-key nudges is undone at once).
const MERGE_WITHIN: Millis = 1_000;

/// A change in progress: the before images of the rows it will touch.
pub(crate) struct Change {
    session_id: String,
    label: ChangeLabel,
    stamp: Stamp,
    merge_key: Option<String>,
    /// Whether the change becomes a step of history (a round's start or end does not).
    recorded: bool,
    rows: Vec<(RowRef, Option<Image>)>,
}

impl Change {
    /// Starts a change to `rows` of the session, reading them as they are now.
    pub(crate) fn begin(
        tx: &Transaction<'_>,
        session_id: &str,
        label: ChangeLabel,
        stamp: &Stamp,
        rows: Vec<RowRef>,
    ) -> Result<Change> {
        let mut read = Vec::with_capacity(rows.len());
        for row in rows {
            let before = table::read(tx, &row)?;
            read.push((row, before));
        }
        Ok(Change {
            session_id: session_id.to_string(),
            label,
            stamp: stamp.clone(),
            merge_key: None,
            recorded: true,
            rows: read,
        })
    }

    /// Starts the removal of `row` with everything its removal takes along (cascades and
    /// references set to null, found through the schema's foreign keys).
    pub(crate) fn removing(
        tx: &Transaction<'_>,
        session_id: &str,
        label: ChangeLabel,
        stamp: &Stamp,
        rows: &[RowRef],
    ) -> Result<Change> {
        let mut all: Vec<RowRef> = Vec::new();
        for row in rows {
            for found in table::removal(tx, row)? {
                if !all.contains(&found) {
                    all.push(found);
                }
            }
        }
        Change::begin(tx, session_id, label, stamp, all)
    }

    /// Lets this change join the session's newest step if that step has the same `key`, was
    /// made by the same person, and less than a second ago (nudges of one card).
    pub(crate) fn merging(mut self, key: String) -> Change {
        self.merge_key = Some(key);
        self
    }

    /// Makes this change one that every view is told of but that is no step of history:
    /// undo passes over it (a private round is ended, not undone).
    pub(crate) fn unrecorded(mut self) -> Change {
        self.recorded = false;
        self
    }

    /// Says what the change did, once that is known.
    pub(crate) fn relabel(&mut self, label: ChangeLabel) {
        self.label = label;
    }

    /// Reads the after images, stores the change as the newest step of the session's
    /// history (dropping steps that were undone), moves the session to its next revision
    /// and returns the change for every view.
    pub(crate) fn commit(self, tx: &Transaction<'_>) -> Result<SessionChange> {
        let Change { session_id, label, stamp, merge_key, recorded, rows } = self;
        let mut changed = Vec::with_capacity(rows.len());
        for (row, before) in rows {
            let after = table::read(tx, &row)?;
            if before != after {
                changed.push((row, before, after));
            }
        }
        let revision = super::super::touch_session(tx, &session_id, stamp.at)?;
        // A shared campaign's document takes what the change changed, before the commit.
        let staged = changed.iter().map(|(row, before, _)| (row.clone(), before.clone())).collect();
        super::super::sharing::stage(&session_id, &stamp.by, stamp.at, staged);
        if recorded && !changed.is_empty() {
            let merged = match &merge_key {
                Some(key) => merge_into_newest(tx, &session_id, key, &stamp, &changed)?,
                None => false,
            };
            if !merged {
                insert_step(tx, &session_id, &label, &stamp, merge_key.as_deref(), &changed)?;
            }
        }
        let author = stamp.by.clone();
        let touched = changed.iter().map(|(row, _, after)| (row, after.is_some()));
        announce(tx, &session_id, revision, ChangeAction::Do, label, &stamp, author, touched, None)
    }
}

/// A row's image as history stores it: without the columns of its key (the row's key
/// holds them) nor the session it belongs to where that is the step's own session. That is
/// a third of an organization's image, so most of what a large import stores.
fn to_text(row: &RowRef, session_id: &str, image: &Option<Image>) -> Result<Option<String>> {
    image
        .as_ref()
        .map(|image| {
            let said_elsewhere = |column: &String, value: &Value| {
                row.key.contains_key(column) || (column == "session_id" && value.as_str() == Some(session_id))
            };
            let kept: serde_json::Map<String, Value> = image
                .iter()
                .filter(|(column, value)| !said_elsewhere(column, value))
                .map(|(column, value)| (column.clone(), value.clone()))
                .collect();
            serde_json::to_string(&kept)
                .map_err(|e| Error::internal(Said::new("error.internal.row-not-recorded").text("detail", e)))
        })
        .transpose()
}

/// An image as stored, made whole again: the key's columns and the step's session put back
/// where they were left out (images stored before they were left out hold them already).
/// A table without a `session_id` column drops it again when the image is written.
pub(super) fn restored(row: &RowRef, session_id: &str, mut image: Image) -> Image {
    for (column, value) in &row.key {
        image.entry(column.clone()).or_insert_with(|| value.clone());
    }
    if row.table.name != "session" {
        image.entry("session_id".to_string()).or_insert_with(|| Value::from(session_id));
    }
    image
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::internal(Said::new("error.internal.step-not-recorded").text("detail", e)))
}

fn insert_step(
    tx: &Transaction<'_>,
    session_id: &str,
    label: &ChangeLabel,
    stamp: &Stamp,
    merge_key: Option<&str>,
    rows: &[(RowRef, Option<Image>, Option<Image>)],
) -> Result<()> {
    tx.prepare_cached("DELETE FROM history_step WHERE session_id = ?1 AND undone = 1")?.execute([session_id])?;
    tx.prepare_cached(
        "INSERT INTO history_step (session_id, label, actor, schema_version, merge_key, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        session_id,
        to_json(label)?,
        to_json(&stamp.by)?,
        schema_version(),
        merge_key,
        stamp.at
    ])?;
    let step = tx.last_insert_rowid();
    for (seq, (row, before, after)) in rows.iter().enumerate() {
        insert_row(tx, session_id, step, seq as i64, row, before, after)?;
    }
    Ok(())
}

fn insert_row(
    tx: &Transaction<'_>,
    session_id: &str,
    step: i64,
    seq: i64,
    row: &RowRef,
    before: &Option<Image>,
    after: &Option<Image>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history_row (step_id, seq, table_name, row_key, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(rusqlite::params![
        step,
        seq,
        row.table.name,
        to_json(&row.key)?,
        to_text(row, session_id, before)?,
        to_text(row, session_id, after)?
    ])?;
    Ok(())
}

/// Folds the change into the session's newest step if it may; returns whether it did.
fn merge_into_newest(
    tx: &Transaction<'_>,
    session_id: &str,
    key: &str,
    stamp: &Stamp,
    rows: &[(RowRef, Option<Image>, Option<Image>)],
) -> Result<bool> {
    // Undone steps are always the newest: with one waiting for redo, this change starts anew.
    // (Two queries along the index, where one ordered by id alone would scan the history.)
    let waiting: Option<i64> = tx
        .prepare_cached("SELECT id FROM history_step WHERE session_id = ?1 AND undone = 1 LIMIT 1")?
        .query_row([session_id], |r| r.get(0))
        .optional()?;
    if waiting.is_some() {
        return Ok(false);
    }
    let newest: Option<(i64, Option<String>, String, Millis)> = tx
        .prepare_cached(
            "SELECT id, merge_key, actor, at FROM history_step WHERE session_id = ?1 AND undone = 0
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?;
    let Some((step, Some(merge_key), actor, at)) = newest else {
        return Ok(false);
    };
    let elapsed = stamp.at - at;
    if merge_key != key || actor != to_json(&stamp.by)? || !(0..MERGE_WITHIN).contains(&elapsed) {
        return Ok(false);
    }
    for (row, before, after) in rows {
        let updated = tx
            .prepare_cached(
                "UPDATE history_row SET after = ?3 WHERE step_id = ?1 AND table_name = ?2 AND row_key = ?4",
            )?
            .execute(rusqlite::params![step, row.table.name, to_text(row, session_id, after)?, to_json(&row.key)?])?;
        if updated == 0 {
            let seq: i64 =
                tx.query_row("SELECT coalesce(max(seq), -1) + 1 FROM history_row WHERE step_id = ?1", [step], |r| {
                    r.get(0)
                })?;
            insert_row(tx, session_id, step, seq, row, before, after)?;
        }
    }
    tx.prepare_cached("UPDATE history_step SET at = ?2 WHERE id = ?1")?.execute((step, stamp.at))?;
    Ok(true)
}

/// The change every view receives for what was just done at `revision` (the rows touched,
/// and whether each is there now), kept in the change log for views that catch up later.
#[allow(clippy::too_many_arguments)]
pub(crate) fn announce<'a>(
    tx: &Transaction<'_>,
    session_id: &str,
    revision: i64,
    action: ChangeAction,
    label: ChangeLabel,
    stamp: &Stamp,
    author: Actor,
    touched: impl Iterator<Item = (&'a RowRef, bool)>,
    kept_elsewhere: Option<u32>,
) -> Result<SessionChange> {
    let mut written = Vec::new();
    let mut removed = Vec::new();
    for (row, exists) in touched {
        if exists {
            if let Some(record) = super::super::written_row(tx, row)? {
                written.push(record);
            }
        } else if let Some(key) = super::super::removed_key(row)? {
            removed.push(key);
        }
    }
    let change = SessionChange {
        session_id: session_id.to_string(),
        revision,
        action,
        label,
        actor: stamp.by.clone(),
        author,
        at: stamp.at,
        written,
        removed,
        history: state(tx, session_id)?,
        kept_elsewhere,
    };
    super::super::change_log::keep(tx, &change)?;
    Ok(change)
}

impl super::super::Store {
    /// The write protocol, written once: in one write transaction, `write` checks what it
    /// must against what is stored, begins the change (naming it, and reading the rows it
    /// will touch), writes, and gives back its value with the change; the change is then
    /// committed — its step of history, the session's next revision, its place in the
    /// change log — with the transaction, and told to every subscriber once committed. A
    /// write that fails changes nothing and tells no one. (What the caller was given is
    /// validated before, outside the transaction.)
    pub(crate) fn change<T>(
        &self,
        write: impl FnOnce(&Transaction<'_>) -> Result<(T, Change)>,
    ) -> Result<crate::model::Changed<T>> {
        self.write(|tx| {
            let (value, change) = write(tx)?;
            Ok(crate::model::Changed { value, change: change.commit(tx)? })
        })
    }
}
