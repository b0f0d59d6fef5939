//! The `participant` table: the people in the room.

use rusqlite::{OptionalExtension, Row, Transaction};

use super::history::Change;
use super::table::{RowRef, StoredTable};
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::model::{ChangeLabel, Changed, Participant, ParticipantFields, Stamp};

pub(super) const TABLE: StoredTable = StoredTable { name: "participant", key: &["id"], untracked: &[] };

pub(super) const SCHEMA: &str = "
CREATE TABLE participant (
    id              TEXT PRIMARY KEY NOT NULL,
    session_id      TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    organization_id TEXT REFERENCES organization(id) ON DELETE SET NULL,
    seq             INTEGER NOT NULL
);
CREATE INDEX participant_by_session ON participant(session_id, seq);
CREATE INDEX participant_by_organization ON participant(organization_id);
";

const COLUMNS: &str = "id, name, organization_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Participant> {
    Ok(Participant { id: row.get(0)?, name: row.get(1)?, organization_id: row.get(2)? })
}

/// The participants of a session, in the order they were added.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Participant>> {
    let mut statement =
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM participant WHERE session_id = ?1 ORDER BY seq"))?;
    let rows = statement.query_map([session_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The participant with its session and display order, if it exists (for history).
pub(crate) fn row(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, i64, Participant)>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS}, session_id, seq FROM participant WHERE id = ?1"))?
        .query_row([id], |row| Ok((row.get(3)?, row.get(4)?, from_row(row)?)))
        .optional()?)
}

/// Inserts a participant at the end of the session's list (already checked).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, p: &Participant) -> Result<()> {
    tx.execute(
        &format!(
            "INSERT INTO participant ({COLUMNS}, session_id, seq)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(seq), 0) + 1 FROM participant WHERE session_id = ?4))"
        ),
        rusqlite::params![p.id, p.name, p.organization_id, session_id],
    )?;
    Ok(())
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn participant_gone() -> Error {
    Error::not_found("error.participant.gone")
}

impl Store {
    /// Adds a person in the room, optionally representing one of the session's organizations.
    pub fn add_participant(
        &self,
        session_id: &str,
        fields: &ParticipantFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Participant>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.write(|tx| {
            super::session::get(tx, session_id)?;
            super::organization::check_in_session(tx, session_id, fields.organization_id.as_deref())?;
            let participant = Participant { id: new_id(), name: fields.name, organization_id: fields.organization_id };
            let label = ChangeLabel::AddParticipant { name: participant.name.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&participant.id)])?;
            insert(tx, session_id, &participant)?;
            Ok(Changed { value: participant, change: change.commit(tx)? })
        })
    }

    /// Renames a participant or changes whom they represent.
    pub fn update_participant(
        &self,
        id: &str,
        fields: &ParticipantFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Participant>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.write(|tx| {
            let (session_id, _, _) = row(tx, id)?.ok_or_else(participant_gone)?;
            super::organization::check_in_session(tx, &session_id, fields.organization_id.as_deref())?;
            let label = ChangeLabel::EditParticipant { name: fields.name.clone() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute(
                "UPDATE participant SET name = ?2, organization_id = ?3 WHERE id = ?1",
                (id, &fields.name, &fields.organization_id),
            )?;
            let change = change.commit(tx)?;
            Ok(Changed { value: row(tx, id)?.map(|(_, _, p)| p).ok_or_else(participant_gone)?, change })
        })
    }

    /// Removes a participant (the cards they moved keep their name).
    pub fn remove_participant(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.write(|tx| {
            let (session_id, _, old) = row(tx, id)?.ok_or_else(participant_gone)?;
            let label = ChangeLabel::RemoveParticipant { name: old.name };
            let change = Change::removing(tx, &session_id, label, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM participant WHERE id = ?1", [id])?;
            Ok(Changed { value: (), change: change.commit(tx)? })
        })
    }
}
