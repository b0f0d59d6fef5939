//! The `grid` table: the maps of a session.

use rusqlite::{OptionalExtension, Row, Transaction};

use super::history::Change;
use super::table::{RowRef, StoredTable};
use super::{new_id, parse_column, Store};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Said};
use crate::model::{text, ChangeLabel, Changed, Grid, GridKind, GridLabels, Stamp};

pub(super) const TABLE: StoredTable = StoredTable { name: "grid", key: &["id"], untracked: &[] };

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

const COLUMNS: &str = "id, kind, title, labels, identity";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Grid> {
    let labels: String = row.get(3)?;
    let kind = parse_column(row, 1, "grid", GridKind::parse)?;
    let mut labels: crate::model::GridLabels = serde_json::from_str(&labels)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e)))?;
    // A file edited by hand may name too few or too many regions for the grid's kind: the
    // missing ones get their default names, the extra ones are not shown, and every view
    // and export can count on one name per region.
    let defaults = kind.default_labels().regions;
    labels.regions.truncate(defaults.len());
    labels.regions.extend(defaults.into_iter().skip(labels.regions.len()));
    Ok(Grid { id: row.get(0)?, identity: row.get(4)?, kind, title: row.get(2)?, labels })
}

/// The grids of a session, in the order they were added.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Grid>> {
    let mut statement = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM grid WHERE session_id = ?1 ORDER BY seq"))?;
    let rows = statement.query_map([session_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn grid_gone() -> Error {
    Error::not_found("error.grid.gone")
}

/// The session a grid belongs to, or [`Error::NotFound`].
pub(crate) fn session_of(tx: &Transaction<'_>, id: &str) -> Result<String> {
    tx.query_row("SELECT session_id FROM grid WHERE id = ?1", [id], |row| row.get(0)).optional()?.ok_or_else(grid_gone)
}

/// The grid with its session and display order, if it exists (for history).
pub(crate) fn row(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, i64, Grid)>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS}, session_id, seq FROM grid WHERE id = ?1"))?
        .query_row([id], |row| Ok((row.get(5)?, row.get(6)?, from_row(row)?)))
        .optional()?)
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn get(tx: &Transaction<'_>, id: &str) -> Result<Grid> {
    tx.query_row(&format!("SELECT {COLUMNS} FROM grid WHERE id = ?1"), [id], from_row).optional()?.ok_or_else(grid_gone)
}

/// Inserts `grid` into the session after its other grids (fields already checked).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, grid: &Grid) -> Result<()> {
    let labels = serde_json::to_string(&grid.labels)
        .map_err(|e| Error::internal(Said::new("error.internal.grid-labels-not-stored").text("detail", e)))?;
    tx.execute(
        &format!(
            "INSERT INTO grid ({COLUMNS}, session_id, seq)
             VALUES (?1, ?2, ?3, ?4, coalesce(nullif(?5, ''), ?1), ?6,
                     (SELECT coalesce(max(seq), 0) + 1 FROM grid WHERE session_id = ?6))"
        ),
        (&grid.id, grid.kind.as_str(), &grid.title, labels, &grid.identity, session_id),
    )?;
    Ok(())
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
    insert(tx, session_id, &grid)?;
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
        self.write(|tx| {
            super::session::get(tx, session_id)?;
            let id = new_id();
            let shown = title.clone().unwrap_or_else(|| kind.default_title_in(lang));
            let label = ChangeLabel::AddGrid { title: shown.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![key(&id)])?;
            let grid = Grid { identity: id.clone(), id, kind, title: shown, labels: kind.default_labels_in(lang) };
            insert(tx, session_id, &grid)?;
            Ok(Changed { value: grid, change: change.commit(tx)? })
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
        self.write(|tx| {
            let session_id = session_of(tx, id)?;
            let kind = get(tx, id)?.kind;
            let labels = labels.validated(kind)?;
            let labels = serde_json::to_string(&labels)
                .map_err(|e| Error::internal(Said::new("error.internal.labels-not-stored").text("detail", e)))?;
            let label = ChangeLabel::EditGrid { title: title.clone() };
            let change = Change::begin(tx, &session_id, label, &stamp, vec![key(id)])?;
            tx.execute("UPDATE grid SET title = ?2, labels = ?3 WHERE id = ?1", (id, &title, labels))?;
            let change = change.commit(tx)?;
            Ok(Changed { value: get(tx, id)?, change })
        })
    }

    /// Removes a grid and the placements on it; the organizations stay in the session.
    pub fn remove_grid(&self, id: &str, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.write(|tx| {
            let session_id = session_of(tx, id)?;
            let title = get(tx, id)?.title;
            let change = Change::removing(tx, &session_id, ChangeLabel::RemoveGrid { title }, &stamp, &[key(id)])?;
            tx.execute("DELETE FROM grid WHERE id = ?1", [id])?;
            Ok(Changed { value: (), change: change.commit(tx)? })
        })
    }
}
