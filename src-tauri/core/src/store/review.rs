//! The `review` table: commitments of earlier meetings, reviewed at a follow-up.

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::model::{
    ChangeLabel, Changed, Commitment, CommitmentStatus, Review, ReviewFields, ReviewOutcome, Stamp, WrittenRow,
};

stored_row!(Review in "review" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Review { row, seq },
    { id, commitment_id, organization_id, person, action, due, outcome, note, carried_as });

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
        self.change(|tx| {
            let (session_id, _, old) = row::find_placed::<Review>(tx, &[id])?.ok_or_else(review_gone)?;
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
                    super::row::insert(tx, &session_id, &commitment)?;
                }
                (None, None) => {}
            }
            tx.execute(
                "UPDATE review SET outcome = ?2, note = ?3, carried_as = ?4 WHERE id = ?1",
                (id, fields.outcome.as_str(), &fields.note, &carried),
            )?;
            Ok((row::find_placed::<Review>(tx, &[id])?.map(|(_, _, r)| r).ok_or_else(review_gone)?, change))
        })
    }
}
