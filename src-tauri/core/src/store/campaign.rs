//! Campaigns: a session and the follow-ups that continue it. An organization's card and a
//! grid keep one *identity* through the campaign's sessions (a follow-up's card for the
//! Tenants' Union is last month's card, whatever its label says now); every session knows
//! its campaign (the id of the campaign's first session).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction};

use super::{new_id, Store};
use crate::error::Result;
use crate::i18n::{message, Lang};
use crate::model::{
    CommitmentStatus, FollowUpCards, FollowUpFields, Grid, GridKind, LastTime, Millis, Placement, Review,
    ReviewOutcome, SaidAndDone, Session, SessionListing,
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

/// The title a follow-up gets when none is given: "<the campaign's first title> — meeting N",
/// the suffix in `lang` ("— reunión N", "— réunion N").
fn follow_up_title(first_title: &str, meeting: usize, lang: Lang) -> String {
    let suffix = message(lang, "campaign.meeting-suffix", &[("n", meeting.to_string())]);
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
         ORDER BY g.seq, g.id, o.seq, o.id",
    )?;
    // Columns in the order the placement table reads them.
    let rows = statement
        .query_map([session_id, previous.as_str()], <crate::model::Placement as super::row::StoredRow>::read)?;
    let placements = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut statement = tx.prepare_cached(
        "SELECT r.id, f.id, t.id, r.kind, r.mutual, r.strength, r.note
         FROM relationship r
         JOIN organization pf ON pf.id = r.from_id
         JOIN organization pt ON pt.id = r.to_id
         JOIN organization f ON f.identity = pf.identity AND f.session_id = ?1
         JOIN organization t ON t.identity = pt.identity AND t.session_id = ?1
         WHERE r.session_id = ?2
         ORDER BY r.seq, r.id",
    )?;
    // Columns in the order the relationship table reads them.
    let rows = statement
        .query_map([session_id, previous.as_str()], <crate::model::Relationship as super::row::StoredRow>::read)?;
    let relationships = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(LastTime { session_id: previous, title, date, placements, relationships }))
}

/// Said and done over the campaign of `session_id` (see [`SaidAndDone`]) as of that
/// meeting (its sessions held up to it), for each of the session's organizations, the
/// widest gap between word and deed first. What is overdue is
/// judged on the session's date (the meeting's view), or on `today` (`YYYY-MM-DD`) for a
/// session without one.
pub(crate) fn said_and_done(tx: &Transaction<'_>, session_id: &str, today: &str) -> Result<Vec<SaidAndDone>> {
    let session = super::session::get(tx, session_id)?;
    let today = session.date.as_deref().unwrap_or(today);
    let organizations = super::row::list::<crate::model::Organization>(tx, session_id)?;
    let grids = super::row::list::<Grid>(tx, session_id)?;
    let placements = super::placement::list(tx, session_id)?;

    // Every commitment an organization made at a meeting of the campaign, by identity.
    struct Made {
        identity: String,
        status: CommitmentStatus,
        due: Option<String>,
    }
    let mut made: HashMap<String, Made> = HashMap::new();
    let mut statement = tx.prepare_cached(
        "SELECT c.id, o.identity, c.status, c.due FROM commitment c
         JOIN session s ON s.id = c.session_id
         JOIN organization o ON o.id = c.organization_id
         WHERE s.campaign = ?1 AND s.deleted_at IS NULL AND s.created_at <= ?2",
    )?;
    let rows = statement.query_map((&session.campaign, session.created_at), |row| {
        let id: String = row.get(0)?;
        let status = super::parse_column(row, 2, "commitment", CommitmentStatus::parse)?;
        Ok((id, Made { identity: row.get(1)?, status, due: row.get(3)? }))
    })?;
    for row in rows {
        let (id, commitment) = row?;
        made.insert(id, commitment);
    }
    // What the later meetings said became of them: the last word counts.
    let mut said: HashMap<String, (ReviewOutcome, Option<String>)> = HashMap::new();
    let mut statement = tx.prepare_cached(
        "SELECT r.commitment_id, r.outcome, r.carried_as FROM review r
         JOIN session s ON s.id = r.session_id
         WHERE s.campaign = ?1 AND s.deleted_at IS NULL AND s.created_at <= ?2 AND r.outcome <> 'pending'
         ORDER BY s.created_at, s.id, r.seq, r.id",
    )?;
    let rows = statement.query_map((&session.campaign, session.created_at), |row| {
        let outcome = super::parse_column(row, 1, "review", ReviewOutcome::parse)?;
        Ok((row.get::<_, String>(0)?, outcome, row.get::<_, Option<String>>(2)?))
    })?;
    for row in rows {
        let (commitment, outcome, carried_as) = row?;
        said.insert(commitment, (outcome, carried_as));
    }
    let carried: std::collections::HashSet<&str> =
        said.values().filter_map(|(_, carried_as)| carried_as.as_deref()).collect();

    let mut records: HashMap<&str, SaidAndDone> = HashMap::new();
    for organization in &organizations {
        let (stated, support) = stated_position(&grids, &placements, &organization.id);
        records.insert(
            organization.identity.as_str(),
            SaidAndDone {
                organization_id: organization.id.clone(),
                name: organization.name.clone(),
                stated,
                support,
                made: 0,
                kept: 0,
                partly: 0,
                dropped: 0,
                overdue: 0,
                open: 0,
            },
        );
    }
    for (id, commitment) in &made {
        if carried.contains(id.as_str()) {
            continue; // a later link of a chain counted from its first
        }
        let Some(record) = records.get_mut(commitment.identity.as_str()) else {
            continue; // an organization this session no longer has
        };
        record.made += 1;
        // Follow the chain to its last link.
        let mut link = (id.as_str(), commitment);
        let mut steps = 0;
        let fate = loop {
            steps += 1;
            match said.get(link.0) {
                Some((ReviewOutcome::Carried, Some(next))) if steps <= made.len() => match made.get(next) {
                    Some(following) => link = (next.as_str(), following),
                    None => break Fate::Open(None),
                },
                Some((ReviewOutcome::Kept, _)) => break Fate::Kept,
                Some((ReviewOutcome::Partly, _)) => break Fate::Partly,
                Some((ReviewOutcome::Dropped, _)) => break Fate::Dropped,
                _ => match link.1.status {
                    CommitmentStatus::Done => break Fate::Kept,
                    CommitmentStatus::Dropped => break Fate::Dropped,
                    CommitmentStatus::Open => break Fate::Open(link.1.due.as_deref()),
                },
            }
        };
        match fate {
            Fate::Kept => record.kept += 1,
            Fate::Partly => record.partly += 1,
            Fate::Dropped => record.dropped += 1,
            Fate::Open(Some(due)) if due < today => record.overdue += 1,
            Fate::Open(_) => record.open += 1,
        }
    }
    let mut records: Vec<SaidAndDone> = records.into_values().collect();
    records.sort_by(|a, b| {
        let gap = |r: &SaidAndDone| r.gap().unwrap_or(f64::NEG_INFINITY);
        gap(b)
            .total_cmp(&gap(a))
            .then_with(|| b.made.cmp(&a.made))
            .then_with(|| b.support.unwrap_or(-1.0).total_cmp(&a.support.unwrap_or(-1.0)))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    Ok(records)
}

/// What became of a chain of commitments.
enum Fate<'a> {
    Kept,
    Partly,
    Dropped,
    /// Still open, due on the date given.
    Open(Option<&'a str>),
}

/// An organization's stated position in the session: its wedge on the (first) spectrum of
/// allies it stands on, else its side of the (first) organizer's power map; with how
/// supportive that is, from 0 to 1.
fn stated_position(grids: &[Grid], placements: &[Placement], organization_id: &str) -> (Option<String>, Option<f64>) {
    let on = |kind: GridKind| {
        grids.iter().filter(|g| g.kind == kind).find_map(|g| {
            placements.iter().find(|p| p.grid_id == g.id && p.organization_id == organization_id).map(|p| (g, p))
        })
    };
    if let Some((grid, p)) = on(GridKind::SpectrumOfAllies) {
        let wedge = grid.kind.region_at(p.x, p.y);
        let support = 1.0 - wedge as f64 / (grid.kind.region_count() - 1) as f64;
        return (grid.labels.regions.get(wedge).cloned(), Some(support));
    }
    if let Some((grid, p)) = on(GridKind::PowerSupport) {
        let side = if p.x >= 0.5 { &grid.labels.x_high } else { &grid.labels.x_low };
        return (Some(side.clone()), Some(p.x));
    }
    (None, None)
}

impl Store {
    /// Said and done over the session's campaign: for each of its organizations, its
    /// stated position beside what became of the commitments it made at the campaign's
    /// meetings, the widest gap first. Overdue is judged on the session's date, or on
    /// `today` (`YYYY-MM-DD`) for a session without one.
    pub fn said_and_done(&self, session_id: &str, today: &str) -> Result<Vec<SaidAndDone>> {
        self.read(|tx| said_and_done(tx, session_id, today))
    }

    /// Starts the next meeting of the session's campaign: the same organizations (by
    /// identity), relationships and participants, grids of the same kinds, titles and labels, the cards
    /// where they stood at the end of last time (or in the tray), and every commitment still
    /// open brought for review — the session's open commitments, and the reviews it left
    /// pending. Without a title given, it is named after the campaign's first meeting with
    /// "— meeting N" in `lang`. Returns the new session.
    ///
    /// Errors: not found for a session that is gone; invalid fields.
    pub fn start_follow_up(&self, id: &str, fields: &FollowUpFields, lang: Lang, now: Millis) -> Result<Session> {
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
                    follow_up_title(first_title, campaign.len() + 1, lang)
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
            // A shared campaign's document takes the new meeting whole, once it is written.
            super::sharing::stage_session(&session.id, true);
            for organization in &previous.organizations {
                let mut card = organization.clone();
                card.id = fresh(&organization.id);
                super::row::insert(tx, &session.id, &card)?;
            }
            for grid in &previous.grids {
                let mut copy = grid.clone();
                copy.id = fresh(&grid.id);
                super::row::insert(tx, &session.id, &copy)?;
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
                super::row::insert(tx, &session.id, &copy)?;
            }
            // Relationships come along, to be re-rated.
            for relationship in &previous.relationships {
                let mut copy = relationship.clone();
                copy.id = new_id();
                copy.from_id = fresh(&relationship.from_id);
                copy.to_id = fresh(&relationship.to_id);
                super::row::insert(tx, &session.id, &copy)?;
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
                super::row::insert(tx, &session.id, &copy)?;
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
