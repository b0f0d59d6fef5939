//! The `relationship` table: lines between two organizations of a session.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{ChangeLabel, Changed, Relationship, RelationshipFields, Stamp, WrittenRow};

stored_row!(Relationship in "relationship" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Relationship { row, seq },
    { id, from_id, to_id, kind, mutual, strength, note });

/// A relationship goes with either of its organizations.
pub(super) const SCHEMA: &str = "
CREATE TABLE relationship (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    from_id    TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    to_id      TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL
               CHECK (kind IN ('works-with', 'funds', 'speaks-for', 'leads', 'member-of', 'opposes')),
    mutual     INTEGER NOT NULL DEFAULT 0,
    strength   INTEGER NOT NULL DEFAULT 2 CHECK (strength BETWEEN 1 AND 3),
    note       TEXT NOT NULL DEFAULT '',
    seq        INTEGER NOT NULL
);
CREATE INDEX relationship_by_session ON relationship(session_id, seq);
CREATE INDEX relationship_by_from ON relationship(from_id);
CREATE INDEX relationship_by_to ON relationship(to_id);
";

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn relationship_gone() -> Error {
    Error::not_found("error.relationship.gone")
}

/// Checks that both organizations are the session's, and that the same tie is not drawn
/// twice (`except` the relationship being edited). Returns the two names.
fn check(
    tx: &Transaction<'_>,
    session_id: &str,
    fields: &RelationshipFields,
    except: Option<&str>,
) -> Result<(String, String)> {
    let name = |id: &str| -> Result<String> {
        tx.query_row("SELECT name FROM organization WHERE id = ?1 AND session_id = ?2", (id, session_id), |row| {
            row.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::not_found("error.organization.not-in-session"))
    };
    let names = (name(&fields.from_id)?, name(&fields.to_id)?);
    let twice: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM relationship WHERE session_id = ?1 AND kind = ?2 AND id IS NOT ?5
                          AND ((from_id = ?3 AND to_id = ?4) OR (mutual AND from_id = ?4 AND to_id = ?3)))",
        (session_id, fields.kind.as_str(), &fields.from_id, &fields.to_id, except),
        |row| row.get(0),
    )?;
    if twice {
        return Err(Error::conflict(
            Said::new("error.relationship.twice")
                .text("from", names.0)
                .word("kind", format!("relationship.{}", fields.kind.as_str()))
                .text("to", names.1),
        ));
    }
    Ok(names)
}

impl Store {
    /// Draws a relationship between two of the session's organizations.
    ///
    /// Errors: invalid fields; not found for an organization not in the session; conflict
    /// for a tie already drawn.
    pub fn add_relationship(
        &self,
        session_id: &str,
        fields: &RelationshipFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Relationship>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            let (from, to) = check(tx, session_id, &fields, None)?;
            let relationship = Relationship {
                id: new_id(),
                from_id: fields.from_id,
                to_id: fields.to_id,
                kind: fields.kind,
                mutual: fields.mutual,
                strength: fields.strength,
                note: fields.note,
            };
            let label = ChangeLabel::AddRelationship { from, to, kind: relationship.kind.as_str().to_string() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&relationship.id)])?;
            row::insert(tx, session_id, &relationship)?;
            Ok((relationship, change))
        })
    }

    /// Changes a relationship: its ends, kind, direction, strength or note.
    pub fn update_relationship(
        &self,
        id: &str,
        fields: &RelationshipFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Relationship>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            let (session_id, _, _) = row::find_placed::<Relationship>(tx, &[id])?.ok_or_else(relationship_gone)?;
            let (from, to) = check(tx, &session_id, &fields, Some(id))?;
            let label = ChangeLabel::EditRelationship { from, to, kind: fields.kind.as_str().to_string() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute(
                "UPDATE relationship SET from_id = ?2, to_id = ?3, kind = ?4, mutual = ?5, strength = ?6, note = ?7
                 WHERE id = ?1",
                rusqlite::params![
                    id,
                    fields.from_id,
                    fields.to_id,
                    fields.kind.as_str(),
                    fields.mutual,
                    fields.strength,
                    fields.note
                ],
            )?;
            Ok((row::find_placed::<Relationship>(tx, &[id])?.map(|(_, _, r)| r).ok_or_else(relationship_gone)?, change))
        })
    }

    /// Removes a relationship from the map (undoable, like every change).
    pub fn remove_relationship(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let (session_id, _, old) = row::find_placed::<Relationship>(tx, &[id])?.ok_or_else(relationship_gone)?;
            let name = |id: &str| -> Result<String> {
                Ok(tx.query_row("SELECT name FROM organization WHERE id = ?1", [id], |row| row.get(0))?)
            };
            let label = ChangeLabel::RemoveRelationship {
                from: name(&old.from_id)?,
                to: name(&old.to_id)?,
                kind: old.kind.as_str().to_string(),
            };
            let change = Change::removing(tx, &session_id, label, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM relationship WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}
