//! The `room_seat` table: which participant each of the room's tokens stands for. A phone's
//! seat outlives the room and the app: the token it keeps works again after either restarts
//! on the same file. Only a hash of each token is kept (whoever reads the file cannot sit in
//! anyone's seat), and a seat goes with its participant: removed from the session, by any
//! window or process, their token opens nothing.

use rusqlite::{OptionalExtension, Transaction};

use super::history::Change;
use super::table::RowRef;
use super::{new_id, Store};
use crate::error::{Error, Result};
use crate::i18n::{self, Lang, Said};
use crate::model::{ChangeLabel, Participant, ParticipantFields, SessionChange, Stamp};

pub(super) const SCHEMA: &str = "
CREATE TABLE room_seat (
    token_hash     TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participant(id) ON DELETE CASCADE,
    created_at     INTEGER NOT NULL
);
CREATE INDEX room_seat_by_participant ON room_seat(participant_id);
";

/// How many seats (devices) one participant may hold: a phone, a tablet, a laptop and a
/// spare. A participant who joins from a fifth device gives up their oldest seat.
pub const SEATS_PER_PARTICIPANT: usize = 4;

/// Whom a seat stands for: the participant as they are named now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatHolder {
    pub participant_id: String,
    pub name: String,
}

/// A seat taken: by a new participant (with the change that added them), or back by the
/// participant whose token the device still held.
#[derive(Debug, Clone, PartialEq)]
pub struct Seated {
    pub participant: Participant,
    /// The change that added the participant; `None` when the name was already one of the
    /// session's participants.
    pub change: Option<SessionChange>,
    /// Whether the device took back the seat it held (its token stands).
    pub kept_seat: bool,
}

fn participant_key(id: &str) -> RowRef {
    RowRef::new(&super::participant::TABLE, &[id])
}

/// Words a room reads as the one running it, besides the catalogs' own.
const FACILITATOR_WORDS: &[&str] = &[
    "facilitator",
    "facilitador",
    "facilitadora",
    "animateur",
    "animatrice",
    "moderator",
    "moderador",
    "moderadora",
    "modérateur",
    "modératrice",
    "powermap",
];

/// Whether `name` is the facilitator's: the word for the facilitator in any language the app
/// speaks, or the session's facilitator's own name. Compared as a reader would (case and
/// spacing aside).
fn impersonates_facilitator(name: &str, facilitator: &str) -> bool {
    let plain = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let name = plain(name);
    let facilitator = plain(facilitator);
    let said = Lang::ALL.iter().flat_map(|lang| {
        [i18n::message(*lang, "actor.facilitator", &[]), i18n::message(*lang, "room.facilitator", &[])]
    });
    (!facilitator.is_empty() && name == facilitator)
        || said.chain(FACILITATOR_WORDS.iter().map(|w| w.to_string())).any(|word| plain(&word) == name)
}

/// The participant of `session_id` whose seat `token_hash` is, if any.
fn holder(tx: &Transaction<'_>, session_id: &str, token_hash: &str) -> Result<Option<SeatHolder>> {
    Ok(tx
        .prepare_cached(
            "SELECT p.id, p.name FROM room_seat s JOIN participant p ON p.id = s.participant_id
             WHERE s.token_hash = ?1 AND p.session_id = ?2",
        )?
        .query_row((token_hash, session_id), |row| Ok(SeatHolder { participant_id: row.get(0)?, name: row.get(1)? }))
        .optional()?)
}

/// Gives `participant_id` the seat `token_hash`, giving up their oldest seats beyond
/// [`SEATS_PER_PARTICIPANT`].
fn sit(tx: &Transaction<'_>, participant_id: &str, token_hash: &str, at: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO room_seat (token_hash, participant_id, created_at) VALUES (?1, ?2, ?3)",
        (token_hash, participant_id, at),
    )?;
    tx.execute(
        "DELETE FROM room_seat WHERE participant_id = ?1 AND token_hash NOT IN
         (SELECT token_hash FROM room_seat WHERE participant_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2)",
        rusqlite::params![participant_id, SEATS_PER_PARTICIPANT as i64],
    )?;
    Ok(())
}

impl Store {
    /// Gives up the seat `token_hash` of `session_id` (the participant stays, and may be
    /// joined as again). A token no seat has changes nothing.
    pub fn leave_seat(&self, session_id: &str, token_hash: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "DELETE FROM room_seat WHERE token_hash = ?1
                 AND participant_id IN (SELECT id FROM participant WHERE session_id = ?2)",
                (token_hash, session_id),
            )?;
            Ok(())
        })
    }

    /// The participant whose seat in `session_id` the token hashed as `token_hash` is;
    /// `None` for a token no seat has, or whose participant was removed.
    pub fn seat_holder(&self, session_id: &str, token_hash: &str) -> Result<Option<SeatHolder>> {
        self.read(|tx| holder(tx, session_id, token_hash))
    }

    /// Seats a device in the room of `session_id`. A device that still holds a seat of this
    /// session (`held`, its token's hash) takes it back, whatever name it typed: one person
    /// counts once, across reloads, tabs and restarts. Otherwise `fields` name the person:
    /// a participant of that name whom no device holds yet (one the facilitator added) is
    /// given the seat `new_seat`; a new name adds a participant (a step of the session's
    /// history, by them).
    ///
    /// Errors: invalid input for a bad name or one that is the facilitator's; conflict for
    /// a name a device in the room already holds; not found for an organization not in
    /// the session, or a session that is gone.
    pub fn take_seat(
        &self,
        session_id: &str,
        fields: &ParticipantFields,
        held: Option<&str>,
        new_seat: &str,
        at: i64,
    ) -> Result<Seated> {
        let fields = fields.validated()?;
        self.write(|tx| {
            let session = super::session::get(tx, session_id)?;
            if let Some(held) = held {
                if let Some(holder) = holder(tx, session_id, held)? {
                    let participant =
                        super::row::find_placed::<crate::model::Participant>(tx, &[&holder.participant_id])?
                            .map(|(_, _, p)| p)
                            .ok_or_else(|| Error::not_found("error.participant.gone"))?;
                    return Ok(Seated { participant, change: None, kept_seat: true });
                }
            }
            if impersonates_facilitator(&fields.name, &session.facilitator) {
                return Err(Error::invalid(Said::new("error.room.facilitator-name").text("name", &fields.name)));
            }
            super::organization::check_in_session(tx, session_id, fields.organization_id.as_deref())?;
            let lowered = fields.name.to_lowercase();
            let same_name = super::row::list::<crate::model::Participant>(tx, session_id)?
                .into_iter()
                .find(|p| p.name.to_lowercase() == lowered);
            if let Some(existing) = same_name {
                let seated: i64 = tx
                    .prepare_cached("SELECT count(*) FROM room_seat WHERE participant_id = ?1")?
                    .query_row([&existing.id], |row| row.get(0))?;
                if seated > 0 {
                    return Err(Error::conflict(Said::new("error.room.name-taken").text("name", &existing.name)));
                }
                sit(tx, &existing.id, new_seat, at)?;
                return Ok(Seated { participant: existing, change: None, kept_seat: false });
            }
            let participant = Participant { id: new_id(), name: fields.name, organization_id: fields.organization_id };
            let stamp = Stamp::new(at, crate::model::Actor::seat(&participant.name, &participant.id));
            let label = ChangeLabel::AddParticipant { name: participant.name.clone() };
            let change = Change::begin(tx, session_id, label, &stamp, vec![participant_key(&participant.id)])?;
            super::row::insert(tx, session_id, &participant)?;
            let change = change.commit(tx)?;
            sit(tx, &participant.id, new_seat, at)?;
            Ok(Seated { participant, change: Some(change), kept_seat: false })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_facilitator_is_not_a_name_to_take() {
        for name in ["Facilitator", "  facilitator ", "FACILITADOR", "Animateur", "Maria Lopez", "maria  lopez"] {
            assert!(impersonates_facilitator(name, "Maria Lopez"), "{name}");
        }
        for name in ["Amina", "Facilitators' friend", "Maria"] {
            assert!(!impersonates_facilitator(name, "Maria Lopez"), "{name}");
        }
        assert!(
            !impersonates_facilitator("Amina", ""),
            "a session without a facilitator's name reserves the word only"
        );
    }
}
