//! The `participant` table: the people in the room.

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::model::{ChangeLabel, Changed, Participant, ParticipantFields, Stamp, WrittenRow};

stored_row!(Participant in "participant" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Participant { row, seq },
    { id, name, organization_id });

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
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            super::organization::check_in_session(tx, session_id, fields.organization_id.as_deref())?;
            let participant = Participant { id: new_id(), name: fields.name, organization_id: fields.organization_id };
            let label = ChangeLabel::AddParticipant { name: participant.name.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&participant.id)])?;
            row::insert(tx, session_id, &participant)?;
            Ok((participant, change))
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
        self.change(|tx| {
            let (session_id, _, _) = row::find_placed::<Participant>(tx, &[id])?.ok_or_else(participant_gone)?;
            super::organization::check_in_session(tx, &session_id, fields.organization_id.as_deref())?;
            let label = ChangeLabel::EditParticipant { name: fields.name.clone() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute(
                "UPDATE participant SET name = ?2, organization_id = ?3 WHERE id = ?1",
                (id, &fields.name, &fields.organization_id),
            )?;
            Ok((row::find_placed::<Participant>(tx, &[id])?.map(|(_, _, p)| p).ok_or_else(participant_gone)?, change))
        })
    }

    /// Removes a participant (the cards they moved keep their name).
    pub fn remove_participant(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let (session_id, _, old) = row::find_placed::<Participant>(tx, &[id])?.ok_or_else(participant_gone)?;
            let label = ChangeLabel::RemoveParticipant { name: old.name };
            let change = Change::removing(tx, &session_id, label, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM participant WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}
