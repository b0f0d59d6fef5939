//! The `review` table: commitments of earlier meetings, reviewed at a follow-up.

use rusqlite::{OptionalExtension, Row, Transaction};

use super::history::Change;
use super::table::{RowRef, StoredTable};
use super::{new_id, parse_column, Store};
use crate::error::{Error, Result};
use crate::model::{ChangeLabel, Changed, Commitment, CommitmentStatus, Review, ReviewFields, ReviewOutcome, Stamp};

pub(super) const TABLE: StoredTable = StoredTable { name: "review", key: &["id"], untracked: &[] };

/// A review keeps the reviewed commitment's words: the commitment lives in an earlier
/// session (`commitment_id` is no reference the schema keeps, so deleting that session
/// leaves this one's record whole).
pub(super) const SCHEMA: &str = "
CREATE TABLE review (
    id              TEXT PRIMARY KEY NOT NULL,
    session_id      TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    commitment_id   TEXT NOT NULL,
    organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL,
    person          TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL,
    due             TEXT,
    outcome         TEXT NOT NULL DEFAULT 'pending'
                    CHECK (outcome IN ('pending', 'kept', 'partly', 'dropped', 'carried')),
    note            TEXT NOT NULL DEFAULT '',
    carried_as      TEXT REFERENCES commitment(id) ON DELETE SET NULL,
    seq             INTEGER NOT NULL
);
CREATE INDEX review_by_session ON review(session_id, seq);
CREATE INDEX review_by_commitment ON review(commitment_id);
CREATE INDEX review_by_organization ON review(organization_id);
CREATE INDEX review_by_carried ON review(carried_as);
";

const COLUMNS: &str = "id, commitment_id, organization_id, person, action, due, outcome, note, carried_as";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Review> {
    Ok(Review {
        id: row.get(0)?,
        commitment_id: row.get(1)?,
        organization_id: row.get(2)?,
        person: row.get(3)?,
        action: row.get(4)?,
        due: row.get(5)?,
        outcome: parse_column(row, 6, "review", ReviewOutcome::parse)?,
        note: row.get(7)?,
        carried_as: row.get(8)?,
    })
}

/// The reviews of a session, in order.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Review>> {
    let mut statement =
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM review WHERE session_id = ?1 ORDER BY seq"))?;
    let rows = statement.query_map([session_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The review with its session and display order, if it exists (for history).
pub(crate) fn row(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, i64, Review)>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS}, session_id, seq FROM review WHERE id = ?1"))?
        .query_row([id], |row| Ok((row.get(9)?, row.get(10)?, from_row(row)?)))
        .optional()?)
}

/// Inserts `review` at the end of the session's list (already checked).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, review: &Review) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO review ({COLUMNS}, session_id, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
                     (SELECT coalesce(max(seq), 0) + 1 FROM review WHERE session_id = ?10))"
        ),
        rusqlite::params![
            review.id,
            review.commitment_id,
            review.organization_id,
            review.person,
            review.action,
            review.due,
            review.outcome.as_str(),
            review.note,
            review.carried_as,
            session_id,
        ],
    )?;
    Ok(())
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn review_gone() -> Error {
    Error::not_found("error.review.gone")
}

impl Store {
    /// Records what became of a commitment under review: kept, partly, dropped, carried
    /// again, or back to pending, with a note. Carrying it again adds a new open commitment
    /// to this session (the same organization, person and action, due on `fields.due`),
    /// linked from the review; any other outcome removes the commitment an earlier
    /// "carried" added. One step of history either way.
    pub fn review_commitment(
        &self,
        id: &str,
        fields: &ReviewFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Review>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.write(|tx| {
            let (session_id, _, old) = row(tx, id)?.ok_or_else(review_gone)?;
            let action = super::commitment::short(&old.action);
            let label = if old.outcome == fields.outcome && old.note != fields.note {
                ChangeLabel::NoteReview { action }
            } else {
                ChangeLabel::ReviewCommitment { action, outcome: fields.outcome.as_str().to_string() }
            };
            let mut rows = vec![key(id)];
            let carried = match (&old.carried_as, fields.outcome) {
                (Some(existing), ReviewOutcome::Carried) => {
                    // Carried already: only the new due date changes.
                    rows.push(super::commitment::key(existing));
                    Some(existing.clone())
                }
                (Some(existing), _) => {
                    rows.push(super::commitment::key(existing));
                    None
                }
                (None, ReviewOutcome::Carried) => {
                    let new = new_id();
                    rows.push(super::commitment::key(&new));
                    Some(new)
                }
                (None, _) => None,
            };
            let change = Change::begin(tx, &session_id, label, &stamp, rows)?;
            match (&old.carried_as, &carried) {
                (Some(existing), Some(_)) => {
                    tx.execute("UPDATE commitment SET due = ?2 WHERE id = ?1", (existing, &fields.due))?;
                }
                (Some(existing), None) => {
                    tx.execute("DELETE FROM commitment WHERE id = ?1", [existing])?;
                }
                (None, Some(new)) => {
                    let commitment = Commitment {
                        id: new.clone(),
                        organization_id: old.organization_id.clone(),
                        person: old.person.clone(),
                        action: old.action.clone(),
                        due: fields.due.clone(),
                        status: CommitmentStatus::Open,
                        notes: String::new(),
                        created_at: stamp.at,
                    };
                    super::commitment::insert(tx, &session_id, &commitment)?;
                }
                (None, None) => {}
            }
            tx.execute(
                "UPDATE review SET outcome = ?2, note = ?3, carried_as = ?4 WHERE id = ?1",
                (id, fields.outcome.as_str(), &fields.note, &carried),
            )?;
            let change = change.commit(tx)?;
            Ok(Changed { value: row(tx, id)?.map(|(_, _, r)| r).ok_or_else(review_gone)?, change })
        })
    }
}
