//! The `commitment` table: who will do what, by when.

use rusqlite::{Row, Transaction};

use super::{new_id, parse_column, touch_session, Store};
use crate::error::{Error, Result};
use crate::model::{Commitment, CommitmentFields, CommitmentStatus, Millis};

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

fn from_row(row: &Row<'_>) -> rusqlite::Result<Commitment> {
    Ok(Commitment {
        id: row.get(0)?,
        organization_id: row.get(1)?,
        person: row.get(2)?,
        action: row.get(3)?,
        due: row.get(4)?,
        status: parse_column(5, row.get(5)?, CommitmentStatus::parse)?,
        notes: row.get(6)?,
        created_at: row.get(7)?,
    })
}

/// The commitments of a session, in the order they were made.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Commitment>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, organization_id, person, action, due, status, notes, created_at
         FROM commitment WHERE session_id = ?1 ORDER BY seq",
    )?;
    let rows = statement.query_map([session_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Inserts `commitment` at the end of the session's list (already checked).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, commitment: &Commitment) -> Result<()> {
    tx.execute(
        "INSERT INTO commitment (id, session_id, organization_id, person, action, due, status, notes, created_at, seq)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                 (SELECT coalesce(max(seq), 0) + 1 FROM commitment WHERE session_id = ?2))",
        rusqlite::params![
            commitment.id,
            session_id,
            commitment.organization_id,
            commitment.person,
            commitment.action,
            commitment.due,
            commitment.status.as_str(),
            commitment.notes,
            commitment.created_at,
        ],
    )?;
    Ok(())
}

impl Store {
    /// Records a commitment in the session. The organization, if named, must be one of the
    /// session's.
    pub fn add_commitment(
        &self,
        session_id: &str,
        fields: &CommitmentFields,
        now: Millis,
    ) -> Result<Commitment> {
        let fields = fields.validated()?;
        self.write(|tx| {
            super::session::get(tx, session_id)?;
            if let Some(organization_id) = &fields.organization_id {
                if super::organization::session_of(tx, organization_id)? != session_id {
                    return Err(Error::not_found(
                        "That organization belongs to another session.",
                    ));
                }
            }
            let commitment = Commitment {
                id: new_id(),
                organization_id: fields.organization_id,
                person: fields.person,
                action: fields.action,
                due: fields.due,
                status: fields.status,
                notes: fields.notes,
                created_at: now,
            };
            insert(tx, session_id, &commitment)?;
            touch_session(tx, session_id, now)?;
            Ok(commitment)
        })
    }
}
