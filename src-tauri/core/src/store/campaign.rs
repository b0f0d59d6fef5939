//! Campaigns: a session and the follow-ups that continue it. An organization's card and a
//! grid keep one *identity* through the campaign's sessions (a follow-up's card for the
//! Tenants' Union is last month's card, whatever its label says now); every session knows
//! its campaign (the id of the campaign's first session).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction};

use super::{new_id, Store};
use crate::error::Result;
use crate::model::{
    CommitmentStatus, FollowUpCards, FollowUpFields, LastTime, Millis, Placement, Review, ReviewOutcome, Session,
    SessionListing,
};

/// Identities and campaigns. Existing cards and grids become their own identities, and
/// each session its own campaign (or its first session's, through `follows_up`). A row
/// inserted without an identity (a new one, or one written back by undo from a step
/// recorded before this migration) takes its id.
pub(super) const SCHEMA: &str = "
ALTER TABLE organization ADD COLUMN identity TEXT NOT NULL DEFAULT '';
UPDATE organization SET identity = id;
CREATE INDEX organization_by_identity ON organization(identity);
CREATE TRIGGER organization_identity AFTER INSERT ON organization WHEN NEW.identity = ''
BEGIN UPDATE organization SET identity = NEW.id WHERE id = NEW.id; END;

ALTER TABLE grid ADD COLUMN identity TEXT NOT NULL DEFAULT '';
UPDATE grid SET identity = id;
CREATE TRIGGER grid_identity AFTER INSERT ON grid WHEN NEW.identity = ''
BEGIN UPDATE grid SET identity = NEW.id WHERE id = NEW.id; END;

ALTER TABLE session ADD COLUMN campaign TEXT NOT NULL DEFAULT '';
UPDATE session SET campaign = id;
CREATE INDEX session_by_campaign ON session(campaign, created_at);
CREATE TRIGGER session_campaign AFTER INSERT ON session WHEN NEW.campaign = ''
BEGIN UPDATE session SET campaign = NEW.id WHERE id = NEW.id; END;
";

/// Gives each session that follows up another the campaign of the first session of its
/// chain (sessions imported with `followsUp` set before campaigns existed).
pub(super) fn join_chains(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    // Each round moves campaigns one link down the chains; a chain is never longer than
    // the number of sessions, and a loop (only a hand-edited file has one) stops the rounds.
    let sessions: i64 = tx.query_row("SELECT count(*) FROM session", [], |row| row.get(0))?;
    for _ in 0..sessions {
        let changed = tx.execute(
            "UPDATE session SET campaign = (SELECT p.campaign FROM session p WHERE p.id = session.follows_up)
             WHERE follows_up IS NOT NULL
               AND campaign IS NOT (SELECT p.campaign FROM session p WHERE p.id = session.follows_up)
               AND (SELECT p.campaign FROM session p WHERE p.id = session.follows_up) IS NOT session.id",
            [],
        )?;
        if changed == 0 {
            break;
        }
    }
    Ok(())
}

/// The title a follow-up gets when none is given: "<the campaign's first title> — meeting N".
fn follow_up_title(first_title: &str, meeting: usize) -> String {
    let suffix = format!(" — meeting {meeting}");
    let room = crate::model::text::MAX_NAME.saturating_sub(suffix.chars().count());
    let kept: String = first_title.chars().take(room).collect();
    format!("{kept}{suffix}")
}

/// The campaign's sessions (not the deleted ones), in the order they were held.
pub(crate) fn sessions_of(tx: &Transaction<'_>, campaign: &str) -> Result<Vec<(String, String)>> {
    let mut statement = tx.prepare_cached(
        "SELECT id, title FROM session WHERE campaign = ?1 AND deleted_at IS NULL ORDER BY created_at, id",
    )?;
    let rows = statement.query_map([campaign], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The session `session_id` follows up, with where the cards stood there, on this session's
/// grids and cards (matched by identity); `None` for a session that follows up none.
pub(crate) fn last_time(tx: &Transaction<'_>, session_id: &str) -> Result<Option<LastTime>> {
    let previous: Option<(String, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT p.id, p.title, p.date FROM session s JOIN session p ON p.id = s.follows_up WHERE s.id = ?1",
        )?
        .query_row([session_id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let Some((previous, title, date)) = previous else {
        return Ok(None);
    };
    let mut statement = tx.prepare_cached(
        "SELECT g.id, o.id, p.x, p.y, p.moved_by, p.moved_at
         FROM grid pg
         JOIN grid g ON g.session_id = ?1 AND g.identity = pg.identity
         JOIN placement p ON p.grid_id = pg.id
         JOIN organization po ON po.id = p.organization_id
         JOIN organization o ON o.identity = po.identity AND o.session_id = ?1
         WHERE pg.session_id = ?2
         ORDER BY g.seq, o.seq",
    )?;
    let rows = statement.query_map([session_id, previous.as_str()], |row| {
        Ok(Placement {
            grid_id: row.get(0)?,
            organization_id: row.get(1)?,
            x: row.get(2)?,
            y: row.get(3)?,
            moved_by: row.get(4)?,
            moved_at: row.get(5)?,
        })
    })?;
    let placements = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(LastTime { session_id: previous, title, date, placements }))
}

impl Store {
    /// Starts the next meeting of the session's campaign: the same organizations (by
    /// identity) and participants, grids of the same kinds, titles and labels, the cards
    /// where they stood at the end of last time (or in the tray), and every commitment still
    /// open brought for review — the session's open commitments, and the reviews it left
    /// pending. Returns the new session.
    ///
    /// Errors: not found for a session that is gone; invalid fields.
    pub fn start_follow_up(&self, id: &str, fields: &FollowUpFields, now: Millis) -> Result<Session> {
        let fields = fields.validated()?;
        let previous = self.export_document(id)?;
        self.write(|tx| {
            let last = super::session::get(tx, id)?;
            let campaign = sessions_of(tx, &last.campaign)?;
            let first_title = campaign.first().map(|(_, title)| title.as_str()).unwrap_or(&last.title);
            // Old ids to fresh ones, the same fresh id for the same old id.
            let mut renamed: HashMap<String, String> = HashMap::new();
            let mut fresh = |old: &str| -> String { renamed.entry(old.to_string()).or_insert_with(new_id).clone() };
            let session = Session {
                id: new_id(),
                title: if fields.title.is_empty() {
                    follow_up_title(first_title, campaign.len() + 1)
                } else {
                    fields.title.clone()
                },
                question: last.question.clone(),
                date: fields.date.clone(),
                place: last.place.clone(),
                facilitator: last.facilitator.clone(),
                notes: String::new(),
                follows_up: Some(last.id.clone()),
                campaign: last.campaign.clone(),
                created_at: now,
                updated_at: now,
            };
            super::session::insert(tx, &session)?;
            for organization in &previous.organizations {
                let mut card = organization.clone();
                card.id = fresh(&organization.id);
                super::organization::insert(tx, &session.id, &card)?;
            }
            for grid in &previous.grids {
                let mut copy = grid.clone();
                copy.id = fresh(&grid.id);
                super::grid::insert(tx, &session.id, &copy)?;
            }
            if fields.cards == FollowUpCards::AsLastTime {
                for placement in &previous.placements {
                    let mut copy = placement.clone();
                    copy.grid_id = fresh(&placement.grid_id);
                    copy.organization_id = fresh(&placement.organization_id);
                    super::placement::upsert(tx, &copy)?;
                }
            }
            for participant in &previous.participants {
                let mut copy = participant.clone();
                copy.id = new_id();
                copy.organization_id = participant.organization_id.as_deref().map(&mut fresh);
                super::participant::insert(tx, &session.id, &copy)?;
            }
            let open = previous.commitments.iter().filter(|c| c.status == CommitmentStatus::Open).map(|c| Review {
                id: String::new(),
                commitment_id: c.id.clone(),
                organization_id: c.organization_id.clone(),
                person: c.person.clone(),
                action: c.action.clone(),
                due: c.due.clone(),
                outcome: ReviewOutcome::Pending,
                note: String::new(),
                carried_as: None,
            });
            let still_pending = previous.reviews.iter().filter(|r| r.outcome == ReviewOutcome::Pending).cloned();
            for review in still_pending.chain(open) {
                let copy = Review {
                    id: new_id(),
                    organization_id: review.organization_id.as_deref().map(&mut fresh),
                    note: String::new(),
                    carried_as: None,
                    ..review
                };
                super::review::insert(tx, &session.id, &copy)?;
            }
            super::session::get(tx, &session.id)
        })
    }

    /// The sessions of the campaign `session_id` belongs to, in the order they were held.
    pub fn campaign_sessions(&self, session_id: &str) -> Result<Vec<SessionListing>> {
        let campaign = self.read(|tx| Ok(super::session::get(tx, session_id)?.campaign))?;
        // The list already shows each campaign's sessions together, in the order they were held.
        let mut listings = self.list_sessions()?;
        listings.retain(|s| s.campaign == campaign);
        Ok(listings)
    }
}
