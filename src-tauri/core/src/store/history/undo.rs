//! Undo and redo: the newest step taken back (its before images written, in reverse
//! order), or the oldest undone step done again (its after images, in order). History is
//! linear: a new change drops what was undone.

use rusqlite::{OptionalExtension, Transaction};

use super::super::sharing::Elsewhere;
use super::super::table::{self, Image, RowRef};
use super::super::Store;
use super::recording::{announce, restored};
use super::{entry, parse};
use crate::error::{Error, Result};
use crate::model::{ChangeAction, Millis, SessionChange, Stamp};

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
            super::super::session::get(tx, session_id)?;
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
            let shared = self.sharing.campaign_of(tx, session_id)?;
            let mut kept_elsewhere = 0u32;
            let mut staged = Vec::new();
            for StepRow { row, before, after } in rows {
                let (mut image, expected) = if undo { (before, after) } else { (after, before) };
                if let Some(campaign) = &shared {
                    match self.sharing.left_as_set_elsewhere(tx, campaign, &row, image.as_mut(), expected.as_ref())? {
                        Elsewhere::Nothing => {}
                        Elsewhere::Fields(n) => kept_elsewhere += n,
                        Elsewhere::Removed => {
                            kept_elsewhere += 1;
                            continue;
                        }
                    }
                }
                staged.push((row.clone(), table::read(tx, &row)?));
                table::write(tx, &row, image.as_ref())?;
                touched.push((row, image.is_some()));
            }
            // A shared campaign's document takes what undo or redo changed, before the commit.
            super::super::sharing::stage(session_id, &stamp.by, stamp.at, staged);
            tx.prepare_cached("UPDATE history_step SET undone = ?2 WHERE id = ?1")?.execute((id, undo))?;
            let revision = super::super::touch_session(tx, session_id, stamp.at)?;
            let touched = touched.iter().map(|(row, exists)| (row, *exists));
            let kept = Some(kept_elsewhere).filter(|n| *n > 0);
            announce(tx, session_id, revision, action, step.label, stamp, step.actor, touched, kept)
        })
    }
}
