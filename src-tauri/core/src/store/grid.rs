//! The `grid` table: the maps of a session.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{self, stored_row};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Said};
use crate::model::{text, ChangeLabel, Changed, Grid, GridKind, GridLabels, Stamp, WrittenRow};

stored_row!(Grid in "grid" keyed by [id], in session order: true,
    written as |row, seq| WrittenRow::Grid { row, seq },
    tidied by one_name_per_region,
    { id, kind, title, labels, identity });

pub(super) const SCHEMA: &str = "
CREATE TABLE grid (
    id         TEXT PRIMARY KEY NOT NULL,
    session_id TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('power-interest', 'power-support', 'spectrum-of-allies')),
    title      TEXT NOT NULL,
    labels     TEXT NOT NULL,
    seq        INTEGER NOT NULL
);
CREATE INDEX grid_by_session ON grid(session_id, seq);
";

/// A file edited by hand may name too few or too many regions for the grid's kind: the
/// missing ones get their default names, the extra ones are not shown, and every view and
/// export can count on one name per region.
fn one_name_per_region(mut grid: Grid) -> Grid {
    let defaults = grid.kind.default_labels().regions;
    grid.labels.regions.truncate(defaults.len());
    grid.labels.regions.extend(defaults.into_iter().skip(grid.labels.regions.len()));
    grid
}

pub(crate) fn grid_gone() -> Error {
    Error::not_found("error.grid.gone")
}

/// The session a grid belongs to, or [`Error::NotFound`].
pub(crate) fn session_of(tx: &Transaction<'_>, id: &str) -> Result<String> {
    tx.query_row("SELECT session_id FROM grid WHERE id = ?1", [id], |row| row.get(0)).optional()?.ok_or_else(grid_gone)
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn get(tx: &Transaction<'_>, id: &str) -> Result<Grid> {
    row::find(tx, &[id])?.ok_or_else(grid_gone)
}

/// Inserts a new grid of `kind` with its default labels in `lang`, titled `title` or the
/// default.
pub(crate) fn insert_new(
    tx: &Transaction<'_>,
    session_id: &str,
    kind: GridKind,
    title: Option<String>,
    lang: Lang,
) -> Result<Grid> {
    let id = new_id();
    let grid = Grid {
        identity: id.clone(),
        id,
        kind,
        title: title.unwrap_or_else(|| kind.default_title_in(lang)),
        labels: kind.default_labels_in(lang),
    };
    row::insert(tx, session_id, &grid)?;
    Ok(grid)
}

impl Store {
    /// The session the grid belongs to.
    ///
    /// Errors: [`Error::NotFound`] for a grid that is gone.
    pub fn grid_session(&self, grid_id: &str) -> Result<String> {
        self.read(|tx| session_of(tx, grid_id))
    }

    /// Adds a grid of `kind` to the session, with the kind's default labels in `lang` (the
    /// language of the window that adds it). A blank title takes the kind's default.
    pub fn add_grid(
        &self,
        session_id: &str,
        kind: GridKind,
        title: &str,
        lang: Lang,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Grid>> {
        let title = if title.trim().is_empty() { None } else { Some(text::name("word.grid-title", title)?) };
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            let id = new_id();
            let shown = title.clone().unwrap_or_else(|| kind.default_title_in(lang));
            let label = ChangeLabel::AddGrid { title: shown.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&id)])?;
            let grid = Grid { identity: id.clone(), id, kind, title: shown, labels: kind.default_labels_in(lang) };
            row::insert(tx, session_id, &grid)?;
            Ok((grid, change))
        })
    }

    /// Renames a grid and replaces its labels (as many region names as its kind has).
    pub fn update_grid(
        &self,
        id: &str,
        title: &str,
        labels: &GridLabels,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Grid>> {
        let title = text::name("word.grid-title", title)?;
        let stamp = stamp.into();
        self.change(|tx| {
            let session_id = session_of(tx, id)?;
            let kind = get(tx, id)?.kind;
            let labels = labels.validated(kind)?;
            let labels = serde_json::to_string(&labels)
                .map_err(|e| Error::internal(Said::new("error.internal.labels-not-stored").text("detail", e)))?;
            let label = ChangeLabel::EditGrid { title: title.clone() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute("UPDATE grid SET title = ?2, labels = ?3 WHERE id = ?1", (id, &title, labels))?;
            Ok((get(tx, id)?, change))
        })
    }

    /// Removes a grid and the placements on it; the organizations stay in the session.
    pub fn remove_grid(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let session_id = session_of(tx, id)?;
            let title = get(tx, id)?.title;
            let change = Change::removing(tx, &session_id, ChangeLabel::RemoveGrid { title }, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM grid WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}
