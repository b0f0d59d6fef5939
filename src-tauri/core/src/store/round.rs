//! The `round` and `round_answer` tables: private rounds and the participants' answers.
//!
//! A round's start, reveal and end reach every view as changes (the phones learn that a
//! round is open, the window that it was revealed) but are not steps of history: a round
//! is ended, not undone. Answers are private until the reveal: they are never part of a
//! change, so no device sees another's; only how many have answered is told, when asked.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::row::{stored_row, StoredRow};
use super::table::{RowRef, StoredTable};
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{
    card_spread, Answer, ChangeLabel, Changed, OwnRound, Point, Round, RoundFields, RoundProgress, RoundResults, Stamp,
    StoredAnswer, WrittenRow,
};

stored_row!(Round in "round" keyed by [id], in session order: false,
    written as |row, _| WrittenRow::Round { row },
    { id, grid_id, organization_ids as cards, started_at, revealed_at, closed_at, names_shown });

/// The participants' answers. Giving an answer is no step of history, but a step that
/// removes an answer's card or grid records it, so undoing that step brings the answer back;
/// being private, an answer is never part of a change.
pub(super) const ANSWER_TABLE: StoredTable =
    StoredTable { name: "round_answer", key: &["round_id", "organization_id", "participant_id"], untracked: &[] };

/// A round goes with its grid. Its cards are a JSON list of organization ids: a removed
/// organization's id is left out when the round is read. An answer goes with its round and
/// its organization; `participant_id` is the seat that answered (its name kept beside it,
/// so answers outlive a participant taken off the session).
pub(super) const SCHEMA: &str = "
CREATE TABLE round (
    id            TEXT PRIMARY KEY NOT NULL,
    session_id    TEXT NOT NULL REFERENCES session(id) ON DELETE CASCADE,
    grid_id       TEXT NOT NULL REFERENCES grid(id) ON DELETE CASCADE,
    cards         TEXT NOT NULL,
    started_at    INTEGER NOT NULL,
    revealed_at   INTEGER,
    closed_at     INTEGER,
    names_shown   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX round_by_session ON round(session_id, started_at);
CREATE INDEX round_by_grid ON round(grid_id);
CREATE TABLE round_answer (
    round_id        TEXT NOT NULL REFERENCES round(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organization(id) ON DELETE CASCADE,
    participant_id  TEXT NOT NULL,
    name            TEXT NOT NULL,
    x               REAL NOT NULL CHECK (x BETWEEN 0 AND 1),
    y               REAL NOT NULL CHECK (y BETWEEN 0 AND 1),
    answered_at     INTEGER NOT NULL,
    PRIMARY KEY (round_id, organization_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX round_answer_by_organization ON round_answer(organization_id);
";

/// The round with its cards limited to organizations that still exist (one query for them
/// all: a round may hold every card of a large session).
fn with_existing_cards(tx: &Transaction<'_>, mut round: Round) -> Result<Round> {
    let cards = serde_json::to_string(&round.organization_ids)
        .map_err(|e| Error::internal(Said::new("error.internal.cards-not-recorded").text("detail", e)))?;
    round.organization_ids = tx
        .prepare_cached(
            "SELECT j.value FROM json_each(?1) j
             WHERE EXISTS (SELECT 1 FROM organization o WHERE o.id = j.value)
             ORDER BY j.key",
        )?
        .query_map([&cards], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(round)
}

/// The rounds of a session, oldest first.
pub(crate) fn list(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<Round>> {
    let mut statement = tx.prepare_cached(&format!(
        "SELECT {} FROM round WHERE session_id = ?1 ORDER BY started_at, id",
        Round::COLUMNS.join(", ")
    ))?;
    let rounds = statement.query_map([session_id], Round::read)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rounds.into_iter().map(|round| with_existing_cards(tx, round)).collect()
}

/// The round with its session, if it exists.
pub(crate) fn row(tx: &Transaction<'_>, id: &str) -> Result<Option<(String, Round)>> {
    let n = Round::COLUMNS.len();
    let found: Option<(String, Round)> = tx
        .prepare_cached(&format!("SELECT {}, session_id FROM round WHERE id = ?1", Round::COLUMNS.join(", ")))?
        .query_row([id], |row| Ok((row.get(n)?, Round::read(row)?)))
        .optional()?;
    found.map(|(session, round)| Ok((session, with_existing_cards(tx, round)?))).transpose()
}

/// Inserts `round` into the session (already checked).
fn insert_round(tx: &Transaction<'_>, session_id: &str, round: &Round) -> Result<()> {
    let mut values = round.values()?;
    values.push(rusqlite::types::Value::Text(session_id.to_string()));
    let placeholders: Vec<String> = (1..=values.len()).map(|n| format!("?{n}")).collect();
    tx.prepare_cached(&format!(
        "INSERT INTO round ({}, session_id) VALUES ({})",
        Round::COLUMNS.join(", "),
        placeholders.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Every answer given in `round_id` whose card still exists, in the order given.
pub(crate) fn stored_answers(tx: &Transaction<'_>, round_id: &str) -> Result<Vec<StoredAnswer>> {
    let mut statement = tx.prepare_cached(
        "SELECT a.organization_id, a.participant_id, a.name, a.x, a.y, a.answered_at FROM round_answer a
         JOIN organization o ON o.id = a.organization_id
         WHERE a.round_id = ?1 ORDER BY a.answered_at, a.participant_id, a.organization_id",
    )?;
    let rows = statement.query_map([round_id], |r| {
        Ok(StoredAnswer {
            organization_id: r.get(0)?,
            participant_id: r.get(1)?,
            name: r.get(2)?,
            x: r.get(3)?,
            y: r.get(4)?,
            answered_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Adds a round of `session_id` and its answers as they are (an import).
pub(crate) fn insert(tx: &Transaction<'_>, session_id: &str, round: &Round, answers: &[StoredAnswer]) -> Result<()> {
    insert_round(tx, session_id, round)?;
    let mut statement = tx.prepare_cached(
        "INSERT INTO round_answer (round_id, organization_id, participant_id, name, x, y, answered_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in answers {
        statement.execute(rusqlite::params![
            round.id,
            a.organization_id,
            a.participant_id,
            a.name,
            a.x,
            a.y,
            a.answered_at
        ])?;
    }
    Ok(())
}

fn key(id: &str) -> RowRef {
    RowRef::new(&TABLE, &[id])
}

fn round_gone() -> Error {
    Error::not_found("error.round.gone")
}

/// The grid's title and kind, checked to be the session's.
fn grid_of(tx: &Transaction<'_>, session_id: &str, grid_id: &str) -> Result<(String, crate::model::GridKind)> {
    let grid = super::row::list::<crate::model::Grid>(tx, session_id)?
        .into_iter()
        .find(|g| g.id == grid_id)
        .ok_or_else(|| Error::not_found("error.grid.not-in-session"))?;
    Ok((grid.title, grid.kind))
}

/// The session's open round (answers still taken), if any.
fn open_round(tx: &Transaction<'_>, session_id: &str) -> Result<Option<Round>> {
    Ok(list(tx, session_id)?.into_iter().rev().find(Round::is_open))
}

/// How many participants answered `round`: at least one card, and every card.
fn progress(tx: &Transaction<'_>, round: &Round) -> Result<RoundProgress> {
    let mut statement = tx.prepare_cached(
        "SELECT count(*) FROM round_answer a JOIN organization o ON o.id = a.organization_id
         WHERE a.round_id = ?1 GROUP BY a.participant_id",
    )?;
    let counts = statement.query_map([&round.id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let cards = round.organization_ids.len() as i64;
    Ok(RoundProgress {
        round_id: round.id.clone(),
        answered: counts.len() as u32,
        finished: counts.iter().filter(|&&n| n >= cards).count() as u32,
    })
}

impl Store {
    /// Starts a private round on one of the session's grids, with chosen cards (or all of
    /// the session's). A round still open in the session is ended first.
    ///
    /// Errors: not found for a grid or an organization not in the session; invalid input
    /// for a session without organizations.
    pub fn start_round(
        &self,
        session_id: &str,
        fields: &RoundFields,
        stamp: impl Into<Stamp>,
    ) -> Result<Changed<Round>> {
        let stamp = stamp.into();
        self.change(|tx| {
            super::session::get(tx, session_id)?;
            let (title, _) = grid_of(tx, session_id, &fields.grid_id)?;
            let organizations = super::row::list::<crate::model::Organization>(tx, session_id)?;
            let cards: Vec<String> = if fields.organization_ids.is_empty() {
                organizations.iter().map(|o| o.id.clone()).collect()
            } else {
                // In the session's order, each once.
                for id in &fields.organization_ids {
                    if !organizations.iter().any(|o| &o.id == id) {
                        return Err(Error::not_found("error.organization.not-in-session"));
                    }
                }
                organizations.iter().filter(|o| fields.organization_ids.contains(&o.id)).map(|o| o.id.clone()).collect()
            };
            if cards.is_empty() {
                return Err(Error::invalid("error.round.no-cards"));
            }
            let previous = list(tx, session_id)?;
            let names_shown = fields.names_shown.unwrap_or_else(|| previous.last().is_some_and(|r| r.names_shown));
            let still_open: Vec<&Round> = previous.iter().filter(|r| r.is_open()).collect();
            let id = new_id();
            let mut rows: Vec<RowRef> = still_open.iter().map(|r| key(&r.id)).collect();
            rows.push(key(&id));
            let change =
                Change::begin(tx, session_id, ChangeLabel::StartRound { grid: title }, &stamp, rows)?.unrecorded();
            for open in still_open {
                tx.execute("UPDATE round SET closed_at = ?2 WHERE id = ?1", (&open.id, stamp.at))?;
            }
            let round = Round {
                id: id.clone(),
                grid_id: fields.grid_id.clone(),
                organization_ids: cards,
                started_at: stamp.at,
                revealed_at: None,
                closed_at: None,
                names_shown,
            };
            insert_round(tx, session_id, &round)?;
            Ok((row(tx, &id)?.map(|(_, r)| r).ok_or_else(round_gone)?, change))
        })
    }

    /// Stores where `participant_id` (named `name`) places one card of the open round.
    /// Placing it again replaces the answer. Not a change: no one else is told where.
    ///
    /// Errors: not found for a round or card not in the round; conflict once the round is
    /// revealed or ended; invalid input for a point off the grid.
    pub fn answer_round(
        &self,
        round_id: &str,
        participant_id: &str,
        name: &str,
        organization_id: &str,
        point: Point,
        at: crate::model::Millis,
    ) -> Result<RoundProgress> {
        self.write(|tx| {
            let (_, round) = row(tx, round_id)?.ok_or_else(round_gone)?;
            if !round.is_open() {
                return Err(Error::conflict("error.round.over"));
            }
            if !round.organization_ids.iter().any(|id| id == organization_id) {
                return Err(Error::not_found("error.round.not-a-card"));
            }
            tx.execute(
                "INSERT INTO round_answer (round_id, organization_id, participant_id, name, x, y, answered_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (round_id, organization_id, participant_id)
                 DO UPDATE SET name = excluded.name, x = excluded.x, y = excluded.y, answered_at = excluded.answered_at",
                rusqlite::params![round_id, organization_id, participant_id, name, point.x, point.y, at],
            )?;
            progress(tx, &round)
        })
    }

    /// The session's open round, if any, and `participant_id`'s own answers in it (what a
    /// phone shows: never anyone else's).
    pub fn open_round_for(&self, session_id: &str, participant_id: &str) -> Result<Option<OwnRound>> {
        self.read(|tx| {
            let Some(round) = open_round(tx, session_id)? else { return Ok(None) };
            let mut statement = tx.prepare_cached(
                "SELECT organization_id, x, y FROM round_answer WHERE round_id = ?1 AND participant_id = ?2",
            )?;
            let answers = statement
                .query_map((&round.id, participant_id), |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<(String, f64, f64)>>>()?
                .into_iter()
                .map(|(id, x, y)| (id, Point { x, y }))
                .collect();
            Ok(Some(OwnRound { round, answers }))
        })
    }

    /// How many have answered the round so far.
    ///
    /// Errors: not found for a round that is gone.
    pub fn round_progress(&self, round_id: &str) -> Result<RoundProgress> {
        self.read(|tx| {
            let (_, round) = row(tx, round_id)?.ok_or_else(round_gone)?;
            progress(tx, &round)
        })
    }

    /// Reveals the round: no more answers are taken, and its results can be read.
    ///
    /// Errors: not found; conflict for a round already ended.
    pub fn reveal_round(&self, round_id: &str, stamp: impl Into<Stamp>) -> Result<Changed<Round>> {
        self.change_round(round_id, stamp.into(), |tx, round, at| {
            if round.closed_at.is_some() {
                return Err(Error::conflict("error.round.ended"));
            }
            tx.execute("UPDATE round SET revealed_at = coalesce(revealed_at, ?2) WHERE id = ?1", (&round.id, at))?;
            Ok(RoundStep::Reveal)
        })
    }

    /// Shows or hides the participants' names with the round's answers (remembered for the
    /// session's next round).
    pub fn show_round_names(&self, round_id: &str, shown: bool, stamp: impl Into<Stamp>) -> Result<Changed<Round>> {
        self.change_round(round_id, stamp.into(), |tx, round, _| {
            tx.execute("UPDATE round SET names_shown = ?2 WHERE id = ?1", (&round.id, shown))?;
            Ok(RoundStep::Edit)
        })
    }

    /// Ends the round (revealed or not); its answers stay stored.
    pub fn end_round(&self, round_id: &str, stamp: impl Into<Stamp>) -> Result<Changed<Round>> {
        self.change_round(round_id, stamp.into(), |tx, round, at| {
            tx.execute("UPDATE round SET closed_at = coalesce(closed_at, ?2) WHERE id = ?1", (&round.id, at))?;
            Ok(RoundStep::End)
        })
    }

    fn change_round(
        &self,
        round_id: &str,
        stamp: Stamp,
        update: impl FnOnce(&Transaction<'_>, &Round, crate::model::Millis) -> Result<RoundStep>,
    ) -> Result<Changed<Round>> {
        self.change(|tx| {
            let (session_id, round) = row(tx, round_id)?.ok_or_else(round_gone)?;
            let (grid, _) = grid_of(tx, &session_id, &round.grid_id)?;
            // The label is known once the update says what it did; the before image is
            // read first.
            let mut change = Change::begin(
                tx,
                &session_id,
                ChangeLabel::EditRound { grid: grid.clone() },
                &stamp,
                vec![key(round_id)],
            )?
            .unrecorded();
            change.relabel(match update(tx, &round, stamp.at)? {
                RoundStep::Reveal => ChangeLabel::RevealRound { grid },
                RoundStep::Edit => ChangeLabel::EditRound { grid },
                RoundStep::End => ChangeLabel::EndRound { grid },
            });
            Ok((row(tx, round_id)?.map(|(_, r)| r).ok_or_else(round_gone)?, change))
        })
    }

    /// A revealed (or ended) round's answers: per card every answer (named if the round
    /// shows names), the median, the spread; the most disputed cards first.
    ///
    /// Errors: not found; conflict for a round still taking answers (they are private).
    pub fn round_results(&self, round_id: &str) -> Result<RoundResults> {
        self.read(|tx| {
            let (session_id, round) = row(tx, round_id)?.ok_or_else(round_gone)?;
            if round.is_open() {
                return Err(Error::conflict("error.round.private"));
            }
            results(tx, &session_id, round)
        })
    }
}

/// What a change to a round did.
enum RoundStep {
    Reveal,
    Edit,
    End,
}

/// The results of `round` (revealed or ended) of `session_id`.
pub(crate) fn results(tx: &Transaction<'_>, session_id: &str, round: Round) -> Result<RoundResults> {
    let grid = super::row::list::<crate::model::Grid>(tx, session_id)?
        .into_iter()
        .find(|g| g.id == round.grid_id)
        .ok_or_else(|| Error::not_found("error.round.grid-gone"))?;
    let rows = stored_answers(tx, &round.id)?;
    let mut participants: Vec<&str> = rows.iter().map(|a| a.participant_id.as_str()).collect();
    participants.sort_unstable();
    participants.dedup();
    let mut cards: Vec<_> = round
        .organization_ids
        .iter()
        .map(|id| {
            let answers = rows
                .iter()
                .filter(|a| &a.organization_id == id)
                .map(|a| Answer { name: round.names_shown.then(|| a.name.clone()), x: a.x, y: a.y })
                .collect();
            card_spread(id, grid.kind, &grid.labels.regions, answers)
        })
        .filter(|card| !card.answers.is_empty())
        .collect();
    cards.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    Ok(RoundResults { answered: participants.len() as u32, round, cards })
}
