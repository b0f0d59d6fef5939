//! The `relationship` table: lines between two organizations of a session.

use rusqlite::{OptionalExtension, Row, Transaction};

use super::history::Change;
use super::table::{RowRef, StoredTable};
use super::{new_id, parse_column, Store};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{ChangeLabel, Changed, Relationship, RelationshipFields, RelationshipKind, Stamp};

pub(super) const TABLE: StoredTable = StoredTable { name: "relationship", key: &["id"], untracked: &[] };

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

const COLUMNS: &str = "id, from_id, to_id, kind, mutual, strength, note";

pub(super) fn from_row(row: &Row<'_>) -> rusqlite::Result<Relationship> {
    Ok(Relationship {
        id: row.get(0)?,
        from_id: row.get(1)?,
        to_id: row.get(2)?,
        kind: parse_column(row, 3, "relationship", RelationshipKind::parse)?,
        mutual: row.get(4)?,
        strength: row.get(5)?,
        note: row.get(6)?,
    })
}

/// The relationships of a session, in the order they were drawn.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Relationship>> {
    let mut statement =
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM relationship WHERE session_id = ?1 ORDER BY seq"))?;
    let rows = statement.query_map([session_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The relationship with its session and display order, if it exists (for history).
pub(crate) fn row(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, i64, Relationship)>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS}, session_id, seq FROM relationship WHERE id = ?1"))?
        .query_row([id], |row| Ok((row.get(7)?, row.get(8)?, from_row(row)?)))
        .optional()?)
}

/// Inserts a relationship at the end of the session's list (already checked).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, r: &Relationship) -> Result<()> {
    tx.prepare_cached(&format!(
        "INSERT INTO relationship ({COLUMNS}, session_id, seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                     (SELECT coalesce(max(seq), 0) + 1 FROM relationship WHERE session_id = ?8))"
    ))?
    .execute(rusqlite::params![
        r.id,
        r.from_id,
        r.to_id,
        r.kind.as_str(),
        r.mutual,
        r.strength,
        r.note,
        session_id
    ])?;
    Ok(())
}

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
        self.write(|tx| {
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
            insert(tx, session_id, &relationship)?;
            Ok(Changed { value: relationship, change: change.commit(tx)? })
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
        self.write(|tx| {
            let (session_id, _, _) = row(tx, id)?.ok_or_else(relationship_gone)?;
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
            let change = change.commit(tx)?;
            Ok(Changed { value: row(tx, id)?.map(|(_, _, r)| r).ok_or_else(relationship_gone)?, change })
        })
    }

    /// Removes a relationship from the map (undoable, like every change).
    pub fn remove_relationship(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.write(|tx| {
            let (session_id, _, old) = row(tx, id)?.ok_or_else(relationship_gone)?;
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
            Ok(Changed { value: (), change: change.commit(tx)? })
        })
    }
}
