//! The `commitment` table: who will do what, by when.

use rusqlite::Transaction;

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::model::{ChangeLabel, Changed, Commitment, CommitmentFields, Stamp, WrittenRow};

stored_row!(Commitment in "commitment" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Commitment { row, seq },
    { id, organization_id, person, action, due, status, notes, created_at });

pub(super) const SCHEMA: &str = "
CREATE TABLE commitment (
    id              TEXT PRIMARY KEY NOT NULL,
    session_id      TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL,
    person          TEXT NOT NULL DEFAULT '',
    action          TEXT NOT NULL,
    due             TEXT,
    status          TEXT NOT NULL CHECK (status IN ('open', 'done', 'dropped')),
    notes           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL,
    seq             INTEGER NOT NULL
);
CREATE INDEX commitment_by_session ON commitment(session_id, seq);
CREATE INDEX commitment_by_organization ON commitment(organization_id);
";

pub(super) fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

/// The commitments only the organization holds (no person named): they go with it.
pub(crate) fn held_only_by(tx: &Transaction<'_>, organization_id: &str) -> Result<Vec<RowRef>> {
    let mut statement = tx.prepare_cached("SELECT id FROM commitment WHERE organization_id = ?1 AND person = ''")?;
    let ids = statement.query_map([organization_id], |row| row.get::<_, String>(0))?;
    ids.map(|id| Ok(key(&id?))).collect()
}

/// The action cut to 40 characters, for a label.
pub(super) fn short(action: &str) -> String {
    let mut words: String = action.chars().take(40).collect();
    if action.chars().count() > 40 {
        words.push('…');
    }
    words
}

impl Store {
    /// Records a commitment in the session. The organization, if named, must be one of the
    /// session's.
    pub fn add_commitment(
        &self,
        session_id: &str,
        fields: &CommitmentFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Commitment>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            super::organization::check_in_session(tx, session_id, fields.organization_id.as_deref())?;
            let commitment = Commitment {
                id: new_id(),
                organization_id: fields.organization_id,
                person: fields.person,
                action: fields.action,
                due: fields.due,
                status: fields.status,
                notes: fields.notes,
                created_at: stamp.at,
            };
            let label = ChangeLabel::AddCommitment { action: short(&commitment.action) };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&commitment.id)])?;
            row::insert(tx, session_id, &commitment)?;
            Ok((commitment, change))
        })
    }

    /// Replaces a commitment's who, what, when, status and notes.
    pub fn update_commitment(
        &self,
        id: &str,
        fields: &CommitmentFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Commitment>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            let (session_id, _, old) = row::find_placed::<Commitment>(tx, &[id])?.ok_or_else(commitment_gone)?;
            super::organization::check_in_session(tx, &session_id, fields.organization_id.as_deref())?;
            let label = if old.status != fields.status && old.action == fields.action {
                ChangeLabel::MarkCommitment { action: short(&fields.action), status: fields.status.as_str().to_string() }
            } else {
                ChangeLabel::EditCommitment { action: short(&fields.action) }
            };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute(
                "UPDATE commitment SET organization_id = ?2, person = ?3, action = ?4, due = ?5, status = ?6, notes = ?7
                 WHERE id = ?1",
                rusqlite::params![id, fields.organization_id, fields.person, fields.action, fields.due, fields.status.as_str(), fields.notes],
            )?;
            Ok((row::find_placed::<Commitment>(tx, &[id])?.map(|(_, _, c)| c).ok_or_else(commitment_gone)?, change))
        })
    }

    /// Removes a commitment (undoable, like every change).
    pub fn remove_commitment(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let (session_id, _, old) = row::find_placed::<Commitment>(tx, &[id])?.ok_or_else(commitment_gone)?;
            let label = ChangeLabel::RemoveCommitment { action: short(&old.action) };
            let change = Change::removing(tx, &session_id, label, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM commitment WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}

fn commitment_gone() -> Error {
    Error::not_found("error.commitment.gone")
}
