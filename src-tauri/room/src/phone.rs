//! What a phone is sent: the fields its page draws, nothing more. The session as a phone
//! reads it ([`PhoneSession`]) and each change as the live feed sends it ([`PhoneChange`]),
//! both made here from the store's own, so nothing the page does not show — notes, the
//! facilitator's name, commitments, relationships, reviews, rounds' answers, who moved a
//! card when — can leave the room server by another route.
//!
//! A move, the room's most frequent change, is sent compact (well under 200 bytes): its
//! revision, who moved (a participant's id, which the page names from the session's
//! people), and the grid, card and point; the page puts it into words itself.

use powermap_core::model::{
    Actor, ChangeAction, ChangeLabel, Grid, GridKind, GridLabels, Organization, Participant, RowKey, SessionChange,
    SessionData, WrittenRow,
};
use serde::Serialize;
use ts_rs::TS;

/// A card as a phone draws it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhoneCard {
    pub id: String,
    pub name: String,
    pub short_label: String,
    pub colour: String,
    /// Led by the people most directly affected (the card's ★).
    pub directly_affected: bool,
}

impl From<&Organization> for PhoneCard {
    fn from(o: &Organization) -> PhoneCard {
        PhoneCard {
            id: o.id.clone(),
            name: o.name.clone(),
            short_label: o.short_label.clone(),
            colour: o.colour.clone(),
            directly_affected: o.directly_affected,
        }
    }
}

/// A grid as a phone draws it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhoneGrid {
    pub id: String,
    pub kind: GridKind,
    pub title: String,
    pub labels: GridLabels,
}

impl From<&Grid> for PhoneGrid {
    fn from(g: &Grid) -> PhoneGrid {
        PhoneGrid { id: g.id.clone(), kind: g.kind, title: g.title.clone(), labels: g.labels.clone() }
    }
}

/// A person in the room, as the page names who moved a card.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhonePerson {
    pub id: String,
    pub name: String,
}

impl From<&Participant> for PhonePerson {
    fn from(p: &Participant) -> PhonePerson {
        PhonePerson { id: p.id.clone(), name: p.name.clone() }
    }
}

/// A card's place on a grid: `[gridId, organizationId, x, y]`.
pub type PhonePlace = (String, String, f64, f64);

/// `GET /api/session`: the session as a phone draws it, with who the phone is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhoneSession {
    /// The revision the rows are at: apply the live changes after it.
    #[ts(type = "number")]
    pub revision: i64,
    pub title: String,
    /// The campaign question.
    pub question: String,
    pub organizations: Vec<PhoneCard>,
    pub grids: Vec<PhoneGrid>,
    pub places: Vec<PhonePlace>,
    pub people: Vec<PhonePerson>,
    /// This phone's participant, and the organization they speak for.
    pub participant_id: String,
    pub organization_id: Option<String>,
    /// Where the decision-makers' band of an organizer's power map starts (normalized y).
    pub decision_band: f64,
}

impl PhoneSession {
    /// The phone's view of `data`, for the participant `participant_id`.
    pub fn of(data: &SessionData, participant_id: &str) -> PhoneSession {
        let me = data.participants.iter().find(|p| p.id == participant_id);
        PhoneSession {
            revision: data.revision,
            title: data.session.title.clone(),
            question: data.session.question.clone(),
            organizations: data.organizations.iter().map(PhoneCard::from).collect(),
            grids: data.grids.iter().map(PhoneGrid::from).collect(),
            places: data
                .placements
                .iter()
                .map(|p| (p.grid_id.clone(), p.organization_id.clone(), coordinate(p.x), coordinate(p.y)))
                .collect(),
            people: data.participants.iter().map(PhonePerson::from).collect(),
            participant_id: participant_id.to_string(),
            organization_id: me.and_then(|p| p.organization_id.clone()),
            decision_band: powermap_core::facts::Facts::now().decision_band,
        }
    }
}

/// The session's words a phone shows: its title and question.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhoneHead {
    pub title: String,
    pub question: String,
}

/// One change, as the live feed sends it to phones. Only `revision` is always there: a
/// change to what phones do not draw (a commitment, a note) says only that the session
/// moved on, so the page still sees a gap when it missed one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PhoneChange {
    #[ts(type = "number")]
    pub revision: i64,
    /// Omitted for a change made now; `undo` or `redo` for one taken back or done again.
    #[serde(skip_serializing_if = "is_do")]
    #[ts(optional)]
    pub action: Option<ChangeAction>,
    /// The participant who made it from their own device.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub by: Option<String>,
    /// Who made it, when it was not a participant's device (the facilitator, the command
    /// line, a participant named at the window).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub who: Option<Actor>,
    /// What was done, for a change the page cannot name from its rows alone (moves it
    /// names itself).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label: Option<ChangeLabel>,
    /// Cards put at a place: `[gridId, organizationId, x, y]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<(String, String, f64, f64)>>", optional)]
    pub moves: Vec<PhonePlace>,
    /// Cards sent back to a grid's tray: `[gridId, organizationId]`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<(String, String)>>", optional)]
    pub trays: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub session: Option<PhoneHead>,
    // Organizations, grids and people written: replace by id, or add at the end.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<PhoneCard>>", optional)]
    pub organizations: Vec<PhoneCard>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<PhoneGrid>>", optional)]
    pub grids: Vec<PhoneGrid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<PhonePerson>>", optional)]
    pub people: Vec<PhonePerson>,
    /// Ids of organizations, grids and people taken out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<String>>", optional)]
    pub gone: Vec<String>,
    /// A private round started, revealed or ended: read `GET /api/round` again.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub round: bool,
}

fn is_do(action: &Option<ChangeAction>) -> bool {
    action.is_none()
}

/// A coordinate as phones get it: five decimals (a 100,000th of the grid, far finer than a
/// finger), so a move stays short on the wire.
fn coordinate(value: f64) -> f64 {
    (value * 100_000.0).round() / 100_000.0
}

/// Whether a label may be shown on phones: never one that quotes a commitment or a
/// relationship (their words are the facilitator's, not the room's).
fn shown_on_phones(label: &ChangeLabel) -> bool {
    use ChangeLabel::*;
    !matches!(
        label,
        AddCommitment { .. }
            | EditCommitment { .. }
            | MarkCommitment { .. }
            | RemoveCommitment { .. }
            | ReviewCommitment { .. }
            | NoteReview { .. }
            | AddRelationship { .. }
            | EditRelationship { .. }
            | RemoveRelationship { .. }
            | EditSession
            | Recorded { .. }
    )
}

impl PhoneChange {
    /// The phone's view of `change`.
    pub fn of(change: &SessionChange) -> PhoneChange {
        let mut out = PhoneChange {
            revision: change.revision,
            action: (change.action != ChangeAction::Do).then_some(change.action),
            by: None,
            who: None,
            label: None,
            moves: Vec::new(),
            trays: Vec::new(),
            session: None,
            organizations: Vec::new(),
            grids: Vec::new(),
            people: Vec::new(),
            gone: Vec::new(),
            round: false,
        };
        for written in &change.written {
            match written {
                WrittenRow::Placement { row } => out.moves.push((
                    row.grid_id.clone(),
                    row.organization_id.clone(),
                    coordinate(row.x),
                    coordinate(row.y),
                )),
                WrittenRow::Organization { row, .. } => out.organizations.push(PhoneCard::from(row)),
                WrittenRow::Grid { row, .. } => out.grids.push(PhoneGrid::from(row)),
                WrittenRow::Participant { row, .. } => out.people.push(PhonePerson::from(row)),
                WrittenRow::Session { row } => {
                    out.session = Some(PhoneHead { title: row.title.clone(), question: row.question.clone() })
                }
                WrittenRow::Round { .. } => out.round = true,
                WrittenRow::Commitment { .. } | WrittenRow::Review { .. } | WrittenRow::Relationship { .. } => {}
            }
        }
        for removed in &change.removed {
            match removed {
                RowKey::Placement { grid_id, organization_id } => {
                    out.trays.push((grid_id.clone(), organization_id.clone()))
                }
                RowKey::Organization { id } | RowKey::Grid { id } | RowKey::Participant { id } => {
                    out.gone.push(id.clone())
                }
                RowKey::Round { .. } => out.round = true,
                RowKey::Session { .. }
                | RowKey::Commitment { .. }
                | RowKey::Review { .. }
                | RowKey::Relationship { .. } => {}
            }
        }
        let others = out.session.is_some()
            || !out.organizations.is_empty()
            || !out.grids.is_empty()
            || !out.people.is_empty()
            || !out.gone.is_empty()
            || out.round;
        let shown = others || !out.moves.is_empty() || !out.trays.is_empty();
        if shown {
            // Moves and trays alone the page names itself, from its own cards.
            if others && shown_on_phones(&change.label) {
                out.label = Some(change.label.clone());
            }
            match &change.actor {
                Actor::Participant { id: Some(id), .. } => out.by = Some(id.clone()),
                actor => out.who = Some(actor.clone()),
            }
        }
        out
    }

    /// The participants this change took out of the session (their seats are void).
    pub fn removed_people(change: &SessionChange) -> Vec<String> {
        change
            .removed
            .iter()
            .filter_map(|key| match key {
                RowKey::Participant { id } => Some(id.clone()),
                _ => None,
            })
            .collect()
    }
}
