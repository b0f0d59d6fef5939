//! The `placement` table: where each card sits on each grid.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{self, stored_row, StoredRow};
use super::table::RowRef;
use super::Store;
use crate::error::{Error, Result};
use crate::model::{text, ChangeLabel, Changed, Placement, Point, Stamp, WrittenRow};

stored_row!(Placement in "placement" keyed by [grid_id, organization_id], in session order: false,
    written as |row, _| WrittenRow::Placement { row },
    { grid_id, organization_id, x, y, moved_by, moved_at });

pub(super) const SCHEMA: &str = "
CREATE TABLE placement (
    grid_id         TEXT NOT NULL REFERENCES grid(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    x               REAL NOT NULL CHECK (x >= 0 AND x <= 1),
    y               REAL NOT NULL CHECK (y >= 0 AND y <= 1),
    moved_by        TEXT NOT NULL DEFAULT '',
    moved_at        INTEGER NOT NULL,
    PRIMARY KEY (grid_id, organization_id)
) WITHOUT ROWID;
CREATE INDEX placement_by_organization ON placement(organization_id);
";

/// The placements of a session, grid by grid, in the organizations' order.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Placement>> {
    // The placement's columns are named by no other of the joined tables.
    let mut statement = tx.prepare_cached(&format!(
        "SELECT {}
         FROM placement
         JOIN grid g ON g.id = grid_id
         JOIN organization o ON o.id = organization_id
         WHERE g.session_id = ?1
         ORDER BY g.seq, g.id, o.seq, o.id",
        Placement::COLUMNS.join(", ")
    ))?;
    let rows = statement.query_map([session_id], Placement::read)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The card of `organization_id` on `grid_id`, if it is there.
pub(crate) fn get(tx: &Transaction<'_>, grid_id: &str, organization_id: &str) -> Result<Option<Placement>> {
    row::find(tx, &[grid_id, organization_id])
}

fn key(grid_id: &str, organization_id: &str) -> RowRef {
    RowRef::new(&TABLE, &[grid_id, organization_id])
}

fn organization_name(tx: &Transaction<'_>, organization_id: &str) -> Result<String> {
    Ok(tx
        .prepare_cached("SELECT name FROM organization WHERE id = ?1")?
        .query_row([organization_id], |row| row.get(0))?)
}

/// Inserts or moves a placement (already checked to join a grid and an organization of
/// one session).
pub(crate) fn upsert(tx: &Transaction<'_>, placement: &Placement) -> Result<()> {
    row::upsert(tx, placement)
}

/// The session both the grid and the organization belong to; an error if either is gone
/// or they belong to different sessions.
fn common_session(tx: &Transaction<'_>, grid_id: &str, organization_id: &str) -> Result<String> {
    let found: Option<(Option<String>, Option<String>)> = tx
        .prepare_cached(
            "SELECT (SELECT session_id FROM grid WHERE id = ?1),
                    (SELECT session_id FROM organization WHERE id = ?2)",
        )?
        .query_row((grid_id, organization_id), |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match found {
        Some((Some(grid_session), Some(organization_session))) => {
            if grid_session == organization_session {
                Ok(grid_session)
            } else {
                Err(Error::not_found("error.placement.other-session"))
            }
        }
        Some((None, _)) | None => Err(super::grid::grid_gone()),
        Some((_, None)) => Err(super::organization::organization_gone()),
    }
}

impl Store {
    /// Puts the organization's card on the grid at `point`, or moves it there, recording who
    /// moved it (a participant's name, empty for anyone else) and when. Moves of one card by
    /// one person less than a second apart are one step of history (arrow-key nudges).
    pub fn place_card(
        &self,
        grid_id: &str,
        organization_id: &str,
        point: Point,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Placement>> {
        let stamp = stamp.into();
        let moved_by = text::short("word.card-mover-name", stamp.by.mover_name())?;
        self.change(|tx| {
            let session_id = common_session(tx, grid_id, organization_id)?;
            let organization = organization_name(tx, organization_id)?;
            let moving = get(tx, grid_id, organization_id)?.is_some();
            let label =
                if moving { ChangeLabel::MoveCard { organization } } else { ChangeLabel::PlaceCard { organization } };
            let mut change = Change::begin(tx, &session_id, label, &stamp, vec![key(grid_id, organization_id)])?;
            if moving {
                change = change.merging(format!("move {grid_id} {organization_id}"));
            }
            let placement = Placement {
                grid_id: grid_id.to_string(),
                organization_id: organization_id.to_string(),
                x: point.x,
                y: point.y,
                moved_by,
                moved_at: stamp.at,
            };
            upsert(tx, &placement)?;
            Ok((placement, change))
        })
    }

    /// Moves several cards of one grid at once (a group dragged together): one step of
    /// history. Every card must be of the grid's session; nothing moves if one is not.
    pub fn place_cards(
        &self,
        grid_id: &str,
        moves: &[(String, Point)],
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Vec<Placement>>> {
        let stamp = stamp.into();
        let moved_by = text::short("word.cards-mover-name", stamp.by.mover_name())?;
        if moves.is_empty() {
            return Err(Error::invalid("error.placement.no-cards"));
        }
        self.change(|tx| {
            let mut session_id = String::new();
            for (organization_id, _) in moves {
                session_id = common_session(tx, grid_id, organization_id)?;
            }
            let label = ChangeLabel::MoveCards { count: u32::try_from(moves.len()).unwrap_or(u32::MAX) };
            let keys = moves.iter().map(|(o, _)| key(grid_id, o)).collect();
            let change = Change::begin(tx, &session_id, label, &stamp, keys)?;
            let mut placed = Vec::with_capacity(moves.len());
            for (organization_id, point) in moves {
                let placement = Placement {
                    grid_id: grid_id.to_string(),
                    organization_id: organization_id.clone(),
                    x: point.x,
                    y: point.y,
                    moved_by: moved_by.clone(),
                    moved_at: stamp.at,
                };
                upsert(tx, &placement)?;
                placed.push(placement);
            }
            Ok((placed, change))
        })
    }

    /// Sends the card back to the grid's tray.
    ///
    /// Errors: [`Error::NotFound`] if the card is not on that grid (any more).
    pub fn return_card_to_tray(
        &self,
        grid_id: &str,
        organization_id: &str,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let session_id = common_session(tx, grid_id, organization_id)?;
            let label = ChangeLabel::ReturnToTray { organization: organization_name(tx, organization_id)? };
            let change = Change::removing(tx, &session_id, label, &stamp, &[key(grid_id, organization_id)])?;
            let removed = tx.execute(
                "DELETE FROM placement WHERE grid_id = ?1 AND organization_id = ?2",
                (grid_id, organization_id),
            )?;
            if removed == 0 {
                return Err(Error::not_found("error.placement.not-on-grid"));
            }
            Ok(((), change))
        })
    }
}
