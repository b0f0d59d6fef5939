//! The `session` table: workshop meetings.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{self, stored_row, StoredRow};
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Said};
use crate::model::{
    ChangeLabel, Changed, GridKind, Millis, Session, SessionData, SessionFields, SessionListing, Stamp, WrittenRow,
};

// History records a session's details; its time of last change, revision and deletion
// belong to the moment.
stored_row!(Session in "session" keyed by [id] untracked [updated_at, revision, deleted_at],
    in session order: false,
    written as |row, _| WrittenRow::Session { row },
    { id, title, question, date, place, facilitator, notes, follows_up, created_at, updated_at, campaign });

pub(super) const SCHEMA: &str = "
PRAGMA application_id = 1347240272;
CREATE TABLE session (
    id          TEXT PRIMARY KEY NOT NULL,
    title       TEXT NOT NULL,
    question    TEXT NOT NULL DEFAULT '',
    date        TEXT,
    place       TEXT NOT NULL DEFAULT '',
    facilitator TEXT NOT NULL DEFAULT '',
    notes       TEXT NOT NULL DEFAULT '',
    follows_up  TEXT REFERENCES session(id) ON DELETE SET NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX session_by_update ON session(updated_at DESC);
";

/// Deleting a session moves it to "recently deleted" (`deleted_at` set) until it is
/// restored, or removed for good after [`KEPT_AFTER_DELETION`].
pub(super) const RECENTLY_DELETED: &str = "
ALTER TABLE session ADD COLUMN deleted_at INTEGER;
";

/// Every change to a session moves it to its next revision, so a view can tell which
/// changes it has seen.
pub(super) const REVISION: &str = "
ALTER TABLE session ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
";

/// How long a deleted session can still be restored: 30 days.
pub const KEPT_AFTER_DELETION: Millis = 30 * 24 * 60 * 60 * 1000;

/// The session `id`, or [`Error::NotFound`] (also for a deleted one).
pub(crate) fn get(tx: &Transaction<'_>, id: &str) -> Result<Session> {
    tx.query_row(
        &format!("SELECT {} FROM session WHERE id = ?1 AND deleted_at IS NULL", columns()),
        [id],
        Session::read,
    )
    .optional()?
    .ok_or_else(session_gone)
}

pub(crate) fn session_gone() -> Error {
    Error::not_found("error.session.gone")
}

/// Inserts `session` as it is (ids and times included); used by create and import. An
/// empty campaign is the session's own (it starts one).
pub(crate) fn insert(tx: &Transaction<'_>, session: &Session) -> Result<()> {
    super::publisher::stage_sessions();
    row::insert(tx, "", session)
}

/// The session's columns, for a query of its own.
fn columns() -> String {
    Session::COLUMNS.join(", ")
}

impl Store {
    /// Every session (not the deleted ones), a campaign's sessions together in the order
    /// they were held; the campaign changed most recently first.
    pub fn list_sessions(&self) -> Result<Vec<SessionListing>> {
        self.read(|tx| {
            listings(
                tx,
                "s.deleted_at IS NULL
                 ORDER BY (SELECT max(c.updated_at) FROM session c WHERE c.campaign = s.campaign AND c.deleted_at IS NULL) DESC,
                          s.campaign, s.created_at, s.id",
            )
        })
    }

    /// The deleted sessions not yet removed for good, the latest deletion first.
    pub fn deleted_sessions(&self) -> Result<Vec<SessionListing>> {
        self.read(|tx| listings(tx, "s.deleted_at IS NOT NULL ORDER BY s.deleted_at DESC, s.title"))
    }

    /// Creates a session with one power-interest grid (its names in `lang`, the language of
    /// the window that creates it), as a new workshop starts.
    pub fn create_session(&self, fields: &SessionFields, lang: Lang, now: Millis) -> Result<Session> {
        let fields = fields.validated()?;
        self.write(|tx| {
            let session = Session {
                id: new_id(),
                title: fields.title,
                question: fields.question,
                date: fields.date,
                place: fields.place,
                facilitator: fields.facilitator,
                notes: fields.notes,
                follows_up: None,
                created_at: now,
                updated_at: now,
                campaign: String::new(),
            };
            insert(tx, &session)?;
            super::grid::insert_new(tx, &session.id, GridKind::PowerInterest, None, lang)?;
            get(tx, &session.id)
        })
    }

    /// Replaces the session's details (title, question, date, place, facilitator, notes).
    pub fn update_session(
        &self,
        id: &str,
        fields: &SessionFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Session>> {
        let fields = fields.validated()?;
        let stamp = stamp.into();
        self.change(|tx| {
            get(tx, id)?;
            let change = Change::begin(tx, id, ChangeLabel::EditSession, &stamp, vec![RowRef::new(&TABLE, &[id])])?;
            super::publisher::stage_sessions();
            tx.execute(
                "UPDATE session SET title = ?2, question = ?3, date = ?4, place = ?5,
                        facilitator = ?6, notes = ?7 WHERE id = ?1",
                rusqlite::params![
                    id,
                    fields.title,
                    fields.question,
                    fields.date,
                    fields.place,
                    fields.facilitator,
                    fields.notes
                ],
            )?;
            Ok((get(tx, id)?, change))
        })
    }

    /// Renames the session, keeping its other details.
    pub fn rename_session(&self, id: &str, title: &str, stamp: impl Into<Stamp>) -> Result<Changed<Session>> {
        let title = crate::model::text::name("word.session-title", title)?;
        let stamp = stamp.into();
        self.change(|tx| {
            get(tx, id)?;
            let label = ChangeLabel::RenameSession { title: title.clone() };
            let change = Change::begin(tx, id, label, &stamp, vec![RowRef::new(&TABLE, &[id])])?;
            super::publisher::stage_sessions();
            tx.execute("UPDATE session SET title = ?2 WHERE id = ?1", (id, &title))?;
            Ok((get(tx, id)?, change))
        })
    }

    /// Deletes the session: it leaves the list for "recently deleted", whole, where
    /// [`Store::restore_session`] brings it back (also after a restart) until
    /// [`Store::purge_deleted_sessions`] removes it for good. Returns it as it was.
    pub fn delete_session(&self, id: &str, now: Millis) -> Result<Session> {
        self.write(|tx| {
            let session = get(tx, id)?;
            tx.execute("UPDATE session SET deleted_at = ?2 WHERE id = ?1", (id, now))?;
            super::publisher::stage_sessions();
            super::sharing::stage_session(id, false);
            Ok(session)
        })
    }

    /// Brings a deleted session back into the list, as it was.
    ///
    /// Errors: [`Error::NotFound`] if no deleted session has that id.
    pub fn restore_session(&self, id: &str, now: Millis) -> Result<Session> {
        self.write(|tx| {
            let restored = tx.execute(
                "UPDATE session SET deleted_at = NULL, updated_at = ?2 WHERE id = ?1 AND deleted_at IS NOT NULL",
                (id, now),
            )?;
            if restored == 0 {
                return Err(Error::not_found("error.session.not-deleted"));
            }
            super::publisher::stage_sessions();
            super::sharing::stage_session(id, false);
            get(tx, id)
        })
    }

    /// Removes for good, with everything in them, the sessions deleted before `deleted_before`.
    /// Returns how many.
    pub fn purge_deleted_sessions(&self, deleted_before: Millis) -> Result<usize> {
        self.write(|tx| {
            let removed =
                tx.execute("DELETE FROM session WHERE deleted_at IS NOT NULL AND deleted_at < ?1", [deleted_before])?;
            if removed > 0 {
                super::publisher::stage_sessions();
            }
            Ok(removed)
        })
    }

    /// A copy of the session with new ids, titled "<title> (copy)", dated `now`.
    pub fn duplicate_session(&self, id: &str, now: Millis) -> Result<Session> {
        let mut document = self.export_document(id)?;
        document.session.title = copy_title(&document.session.title);
        document.session.created_at = now;
        document.session.updated_at = now;
        document.renew_ids();
        let new_id = self.import_document(document)?;
        self.read(|tx| get(tx, &new_id))
    }

    /// The session with its organizations, grids, placements and commitments.
    pub fn load_session(&self, id: &str) -> Result<SessionData> {
        self.read(|tx| {
            Ok(SessionData {
                session: get(tx, id)?,
                organizations: super::row::list(tx, id)?,
                grids: super::row::list(tx, id)?,
                placements: super::placement::list(tx, id)?,
                commitments: super::row::list(tx, id)?,
                participants: super::row::list(tx, id)?,
                reviews: super::row::list(tx, id)?,
                relationships: super::row::list(tx, id)?,
                rounds: super::round::list(tx, id)?,
                last_time: super::campaign::last_time(tx, id)?,
                history: super::history::state(tx, id)?,
                revision: tx.query_row("SELECT revision FROM session WHERE id = ?1", [id], |row| row.get(0))?,
                order: order(tx, id)?,
            })
        })
    }

    /// Finds a session by id, or else by its exact title (for the command line).
    ///
    /// Errors: not found, or several sessions with that title (then the ids are listed).
    pub fn find_session(&self, id_or_title: &str) -> Result<Session> {
        self.read(|tx| {
            if let Ok(session) = get(tx, id_or_title) {
                return Ok(session);
            }
            let mut statement =
                tx.prepare(&format!("SELECT {} FROM session WHERE title = ?1 AND deleted_at IS NULL", columns()))?;
            let mut found = statement.query_map([id_or_title], Session::read)?.collect::<rusqlite::Result<Vec<_>>>()?;
            match found.len() {
                0 => Err(Error::not_found(Said::new("error.session.no-such").text("name", id_or_title))),
                1 => Ok(found.remove(0)),
                _ => Err(Error::conflict(
                    Said::new("error.session.ambiguous")
                        .text("title", id_or_title)
                        .text("ids", found.iter().map(|s| s.id.as_str()).collect::<Vec<_>>().join(", ")),
                )),
            }
        })
    }
}

/// The place of every listed row of the session in its list, by id.
fn order(tx: &Transaction<'_>, session_id: &str) -> Result<std::collections::BTreeMap<String, i64>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, seq FROM organization WHERE session_id = ?1
         UNION ALL SELECT id, seq FROM grid WHERE session_id = ?1
         UNION ALL SELECT id, seq FROM commitment WHERE session_id = ?1
         UNION ALL SELECT id, seq FROM participant WHERE session_id = ?1
         UNION ALL SELECT id, seq FROM review WHERE session_id = ?1
         UNION ALL SELECT id, seq FROM relationship WHERE session_id = ?1",
    )?;
    let rows = statement.query_map([session_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The session list's lines for the sessions `filter_and_order` picks (an SQL tail on `s`).
fn listings(tx: &Transaction<'_>, filter_and_order: &str) -> Result<Vec<SessionListing>> {
    let mut statement = tx.prepare(&format!(
        "SELECT s.id, s.title, s.date, s.place, s.updated_at,
                (SELECT count(*) FROM organization o WHERE o.session_id = s.id),
                (SELECT count(*) FROM grid g WHERE g.session_id = s.id),
                s.deleted_at, s.campaign, s.follows_up,
                EXISTS (SELECT 1 FROM shared_campaign c WHERE c.campaign = s.campaign)
         FROM session s WHERE {filter_and_order}"
    ))?;
    let rows = statement.query_map([], |row| {
        Ok(SessionListing {
            id: row.get(0)?,
            title: row.get(1)?,
            date: row.get(2)?,
            place: row.get(3)?,
            updated_at: row.get(4)?,
            organization_count: row.get(5)?,
            grid_count: row.get(6)?,
            deleted_at: row.get(7)?,
            campaign: row.get(8)?,
            follows_up: row.get(9)?,
            shared: row.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// "Title (copy)", kept within the name limit.
fn copy_title(title: &str) -> String {
    let suffix = " (copy)";
    let room = crate::model::text::MAX_NAME - suffix.chars().count();
    let kept: String = title.chars().take(room).collect();
    format!("{kept}{suffix}")
}
