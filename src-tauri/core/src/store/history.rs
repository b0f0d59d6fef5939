//! The history of each session: every change as the rows it touched before and after, so it
//! can be undone and redone — also after a restart, and after a migration.
//!
//! A change is recorded by [`Change`]: it reads the rows it will touch (their *before*
//! images, [`super::table::Image`]s), the caller changes them, and [`Change::commit`] reads
//! them again (the *after* images), stores both with the label, the actor and the schema
//! version, moves the session to its next revision and returns the [`SessionChange`] for
//! every view. Undo writes the before images back in reverse order; redo writes the after
//! images in order. History is linear: a new change drops what was undone.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value;

use super::table::{self, Image, RowRef};
use super::{schema_version, Store};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{Actor, ChangeAction, ChangeLabel, HistoryEntry, HistoryState, Millis, SessionChange, Stamp};

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
        let revision = super::touch_session(tx, &session_id, stamp.at)?;
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
        announce(tx, &session_id, revision, ChangeAction::Do, label, &stamp, author, touched)
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
fn restored(row: &RowRef, session_id: &str, mut image: Image) -> Image {
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
fn announce<'a>(
    tx: &Transaction<'_>,
    session_id: &str,
    revision: i64,
    action: ChangeAction,
    label: ChangeLabel,
    stamp: &Stamp,
    author: Actor,
    touched: impl Iterator<Item = (&'a RowRef, bool)>,
) -> Result<SessionChange> {
    let mut written = Vec::new();
    let mut removed = Vec::new();
    for (row, exists) in touched {
        if exists {
            if let Some(record) = super::written_row(tx, row)? {
                written.push(record);
            }
        } else if let Some(key) = super::removed_key(row)? {
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
    };
    super::change_log::keep(tx, &change)?;
    Ok(change)
}

/// The JSON `text` of a step as a `T`; `what` names the part read (a `word.history-*`).
fn parse<T: serde::de::DeserializeOwned>(text: &str, what: &'static str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| {
        Error::internal(Said::new("error.internal.history-unreadable").word("what", what).text("detail", e))
    })
}

fn entry(label: &str, actor: &str, at: Millis) -> Result<HistoryEntry> {
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
}

/// A stored row of a step: which row, and its images.
struct StepRow {
    row: RowRef,
    before: Option<Image>,
    after: Option<Image>,
}

fn step_rows(tx: &Transaction<'_>, session_id: &str, step: i64) -> Result<Vec<StepRow>> {
    let mut statement = tx
        .prepare_cached("SELECT table_name, row_key, before, after FROM history_row WHERE step_id = ?1 ORDER BY seq")?;
    let rows = statement.query_map([step], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut read = Vec::new();
    for row in rows {
        let (name, key, before, after) = row?;
        let row = RowRef { table: table::table(&name)?, key: parse(&key, "word.history-row-key")? };
        let image = |text: Option<String>| -> Result<Option<Image>> {
            text.map(|t| parse(&t, "word.history-row").map(|image| restored(&row, session_id, image))).transpose()
        };
        let (before, after) = (image(before)?, image(after)?);
        read.push(StepRow { row, before, after });
    }
    Ok(read)
}

impl Store {
    /// Where each card of the session was first seen on its grid in the session's history:
    /// its place before the first recorded change to it, or where that change put it. By
    /// (grid id, organization id); undone steps do not count.
    pub(crate) fn first_places(&self, session_id: &str) -> Result<HashMap<(String, String), (f64, f64)>> {
        self.read(|tx| {
            let mut first = HashMap::new();
            let mut statement = tx.prepare_cached(
                "SELECT r.row_key, coalesce(r.before, r.after) FROM history_step s
                 JOIN history_row r ON r.step_id = s.id
                 WHERE s.session_id = ?1 AND s.undone = 0 AND r.table_name = 'placement'
                 ORDER BY s.id, r.seq",
            )?;
            let rows =
                statement.query_map([session_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)))?;
            for row in rows {
                let (key, image) = row?;
                let Some(image) = image else { continue };
                let key: Image = parse(&key, "word.history-row-key")?;
                let image: Image = parse(&image, "word.history-row")?;
                let text = |column: &str| key.get(column).and_then(Value::as_str).unwrap_or("").to_string();
                let (Some(x), Some(y)) =
                    (image.get("x").and_then(Value::as_f64), image.get("y").and_then(Value::as_f64))
                else {
                    continue;
                };
                first.entry((text("grid_id"), text("organization_id"))).or_insert((x, y));
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
                lines.push(HistoryLine { entry: entry(&label, &actor, at)?, undone });
            }
            Ok(lines)
        })
    }

    /// Takes back the newest step of the session that is not undone yet, whoever made it.
    ///
    /// Errors: [`Error::Conflict`] if there is nothing to undo.
    pub fn undo(&self, session_id: &str, stamp: impl Into<Stamp>) -> Result<SessionChange> {
        self.step(session_id, &stamp.into(), ChangeAction::Undo)
    }

    /// Does again the oldest undone step of the session.
    ///
    /// Errors: [`Error::Conflict`] if there is nothing to redo.
    pub fn redo(&self, session_id: &str, stamp: impl Into<Stamp>) -> Result<SessionChange> {
        self.step(session_id, &stamp.into(), ChangeAction::Redo)
    }

    fn step(&self, session_id: &str, stamp: &Stamp, action: ChangeAction) -> Result<SessionChange> {
        let undo = action == ChangeAction::Undo;
        self.write(|tx| {
            super::session::get(tx, session_id)?;
            let query = if undo {
                "SELECT id, label, actor, at FROM history_step WHERE session_id = ?1 AND undone = 0 ORDER BY id DESC LIMIT 1"
            } else {
                "SELECT id, label, actor, at FROM history_step WHERE session_id = ?1 AND undone = 1 ORDER BY id ASC LIMIT 1"
            };
            let found: Option<(i64, String, String, Millis)> = tx
                .prepare_cached(query)?
                .query_row([session_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            let Some((id, label, actor, at)) = found else {
                return Err(Error::conflict(if undo { "error.history.nothing-to-undo" } else { "error.history.nothing-to-redo" }));
            };
            let step = entry(&label, &actor, at)?;
            let mut rows = step_rows(tx, session_id, id)?;
            if undo {
                rows.reverse();
            }
            let mut touched = Vec::with_capacity(rows.len());
            for StepRow { row, before, after } in rows {
                let image = if undo { before } else { after };
                table::write(tx, &row, image.as_ref())?;
                touched.push((row, image.is_some()));
            }
            tx.prepare_cached("UPDATE history_step SET undone = ?2 WHERE id = ?1")?.execute((id, undo))?;
            let revision = super::touch_session(tx, session_id, stamp.at)?;
            let touched = touched.iter().map(|(row, exists)| (row, *exists));
            announce(tx, session_id, revision, action, step.label, stamp, step.actor, touched)
        })
    }
}

/// Moves the first form of history (`history`, rows as the model types' serde form, English
/// labels) into `history_step` and `history_row`, then drops it. Run once, by the migration
/// to the second form, inside its transaction.
pub(super) fn upgrade_first_form(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let steps: Vec<(i64, String, String, String, bool, Millis)> = {
        let mut statement = tx.prepare("SELECT id, session_id, label, changes, undone, at FROM history ORDER BY id")?;
        let rows =
            statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, session_id, label, changes, undone, at) in steps {
        // A step that cannot be read was already beyond undo; it is left behind, not guessed at.
        let Ok(Value::Array(rows)) = serde_json::from_str::<Value>(&changes) else {
            continue;
        };
        let converted: Vec<(String, Image, Option<Image>, Option<Image>)> =
            rows.iter().filter_map(first_form_row).collect();
        if converted.is_empty() {
            continue;
        }
        // Who moved a card is the one first-form fact about its author.
        let mover = converted
            .iter()
            .filter(|(name, ..)| name == "placement")
            .find_map(|(_, _, _, after)| after.as_ref()?.get("moved_by")?.as_str().map(str::to_string))
            .unwrap_or_default();
        let label = serde_json::to_string(&ChangeLabel::Recorded { text: label }).unwrap_or_default();
        let actor = serde_json::to_string(&Actor::moving_as(&mover)).unwrap_or_default();
        tx.execute(
            "INSERT INTO history_step (id, session_id, label, actor, schema_version, undone, at)
             VALUES (?1, ?2, ?3, ?4, 8, ?5, ?6)",
            rusqlite::params![id, session_id, label, actor, undone, at],
        )?;
        for (seq, (name, key, before, after)) in converted.into_iter().enumerate() {
            let text = |image: Option<Image>| image.map(|i| Value::Object(i.into_iter().collect()).to_string());
            tx.execute(
                "INSERT INTO history_row (step_id, seq, table_name, row_key, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![id, seq as i64, name, Value::Object(key.into_iter().collect()).to_string(), text(before), text(after)],
            )?;
        }
    }
    tx.execute_batch("DROP TABLE history;")
}

/// One first-form row change as (table, key, before, after) column maps.
fn first_form_row(change: &Value) -> Option<(String, Image, Option<Image>, Option<Image>)> {
    let key = change.get("key")?.as_object()?;
    let name = key.get("table")?.as_str()?.to_string();
    let key: Image = key.iter().filter(|(k, _)| *k != "table").map(|(k, v)| (snake_case(k), v.clone())).collect();
    let image = |side: &str| -> Option<Image> {
        let outer = change.get(side)?.as_object()?;
        let mut image = Image::new();
        for (field, value) in outer {
            if field == "table" {
                continue;
            }
            match value {
                // The model value itself (`"organization": {…}`): its fields are columns.
                Value::Object(inner) if field == &name => {
                    for (column, value) in inner {
                        image.insert(snake_case(column), column_value(value));
                    }
                }
                other => {
                    image.insert(snake_case(field), column_value(other));
                }
            }
        }
        // The session's time of last change belongs to the moment, not to its history.
        image.remove("updated_at");
        Some(image)
    };
    let (before, after) = (image("before"), image("after"));
    Some((name, key, before, after))
}

/// A model field's value as its column stores it: booleans as 0/1, structures as JSON text.
fn column_value(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::from(i64::from(*b)),
        Value::Object(_) | Value::Array(_) => Value::from(value.to_string()),
        other => other.clone(),
    }
}

fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
