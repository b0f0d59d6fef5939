//! The `organization` table: the cards of a session.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{ChangeLabel, Changed, Organization, OrganizationFields, Stamp, WrittenRow};

stored_row!(Organization in "organization" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Organization { row, seq },
    { id, name, short_label, sector, directly_affected, notes, colour, identity, contact });

pub(super) const SCHEMA: &str = "
CREATE TABLE organization (
    id                TEXT PRIMARY KEY NOT NULL,
    session_id        TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    name              TEXT NOT NULL,
    short_label       TEXT NOT NULL DEFAULT '',
    sector            TEXT NOT NULL,
    directly_affected INTEGER NOT NULL DEFAULT 0,
    notes             TEXT NOT NULL DEFAULT '',
    colour            TEXT NOT NULL,
    seq               INTEGER NOT NULL
);
CREATE INDEX organization_by_session ON organization(session_id, seq);
";

/// Who the group knows at an organization.
pub(super) const CONTACT: &str = "
ALTER TABLE organization ADD COLUMN contact TEXT NOT NULL DEFAULT '';
";

/// The session an organization belongs to, or [`Error::NotFound`].
pub(crate) fn session_of(tx: &Transaction<'_>, id: &str) -> Result<String> {
    tx.query_row("SELECT session_id FROM organization WHERE id = ?1", [id], |row| row.get(0))
        .optional()?
        .ok_or_else(organization_gone)
}

/// Checks that the organization a row names, if any (a commitment's, a participant's), is one
/// of the session's: [`Error::NotFound`] if it is gone or belongs to another session.
pub(super) fn check_in_session(tx: &Transaction<'_>, session_id: &str, organization_id: Option<&str>) -> Result<()> {
    if let Some(organization_id) = organization_id {
        if session_of(tx, organization_id)? != session_id {
            return Err(Error::not_found("error.organization.other-session"));
        }
    }
    Ok(())
}

pub(crate) fn organization_gone() -> Error {
    Error::not_found("error.organization.gone")
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn get(tx: &Transaction<'_>, id: &str) -> Result<Organization> {
    row::find(tx, &[id])?.ok_or_else(organization_gone)
}

fn from_fields(id: String, fields: OrganizationFields) -> Organization {
    Organization {
        identity: id.clone(),
        id,
        colour: fields.colour.unwrap_or_else(|| fields.sector.default_colour().to_string()),
        name: fields.name,
        short_label: fields.short_label,
        sector: fields.sector,
        directly_affected: fields.directly_affected,
        notes: fields.notes,
        contact: fields.contact,
    }
}

impl Store {
    /// Adds an organization to the session.
    pub fn add_organization(
        &self,
        session_id: &str,
        fields: &OrganizationFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Organization>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            let organization = from_fields(new_id(), fields);
            let label = ChangeLabel::AddOrganization { name: organization.name.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&organization.id)])?;
            row::insert(tx, session_id, &organization)?;
            Ok((organization, change))
        })
    }

    /// Adds one organization per non-blank line of `names`, skipping names the session
    /// already has (compared without case) and repeats within the list.
    ///
    /// Returns the organizations added, in order. If any line is too long, nothing is added
    /// and the error names the line.
    pub fn add_organizations_from_list(
        &self,
        session_id: &str,
        names: &str,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Vec<Organization>>> {
        let mut wanted = Vec::new();
        for (index, line) in names.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let fields = OrganizationFields::named(line).validated().map_err(|e| {
                Error::invalid(
                    Said::new("error.organization.list-line").text("line", index + 1).said("problem", e.said()),
                )
            })?;
            wanted.push(fields);
        }
        if wanted.is_empty() {
            return Err(Error::invalid("error.organization.empty-list"));
        }
        self.add_organizations(session_id, &wanted, stamp)
    }

    /// Adds checked organizations to the session as one step of history, skipping names it
    /// already has (compared without case) and repeats. Returns those added.
    pub fn add_organizations(
        &self,
        session_id: &str,
        wanted: &[OrganizationFields],
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Vec<Organization>>> {
        let wanted: Vec<OrganizationFields> =
            wanted.iter().map(OrganizationFields::validated).collect::<Result<_>>()?;
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            let mut known: std::collections::HashSet<String> =
                row::list::<Organization>(tx, session_id)?.into_iter().map(|o| o.name.to_lowercase()).collect();
            let mut added = Vec::new();
            for fields in wanted {
                if !known.insert(fields.name.to_lowercase()) {
                    continue;
                }
                added.push(from_fields(new_id(), fields));
            }
            let label = ChangeLabel::AddOrganizations { count: u32::try_from(added.len()).unwrap_or(u32::MAX) };
            let keys = added.iter().map(|o| key(&o.id)).collect();
            let change = Change::begin(tx, session_id, label, &stamp, keys)?;
            for organization in &added {
                row::insert(tx, session_id, organization)?;
            }
            Ok((added, change))
        })
    }

    /// Replaces an organization's details.
    pub fn update_organization(
        &self,
        id: &str,
        fields: &OrganizationFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Organization>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            let session_id = session_of(tx, id)?;
            let organization = from_fields(id.to_string(), fields);
            let label = ChangeLabel::EditOrganization { name: organization.name.clone() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            row::update(tx, &organization)?;
            Ok((get(tx, id)?, change))
        })
    }

    /// Removes an organization with its placements on every grid and the commitments only
    /// it held; a commitment that also names a person stays, with that person, and a
    /// participant who spoke for it stays, for no organization.
    pub fn remove_organization(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let session_id = session_of(tx, id)?;
            let name = get(tx, id)?.name;
            let mut rows = super::commitment::held_only_by(tx, id)?;
            rows.push(key(id));
            let change = Change::removing(tx, &session_id, ChangeLabel::RemoveOrganization { name }, &stamp, &rows)?;
            tx.execute("DELETE FROM commitment WHERE organization_id = ?1 AND person = ''", [id])?;
            tx.execute("DELETE FROM organization WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}
