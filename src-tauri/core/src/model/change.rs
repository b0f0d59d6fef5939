//! Changes to a session, as every view receives them: what was done (a label key with its
//! arguments, put into words only where it is shown), by whom, and the rows it wrote and
//! removed. The window, the command line and (later) the room's devices all follow the
//! same stream of [`SessionChange`]s.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Commitment, Grid, Millis, Organization, Participant, Placement, Relationship, Review, Round, Session};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Actor {
    /// The facilitator, at the window.
    Facilitator,
    /// A participant, named as in the room (at the window, "moving cards as", or on their
    /// own device).
    Participant { name: String },
    /// A command run on the command line (`powermap undo`, …).
    Cli,
    /// An import (a CSV file of organizations, a Powermap file).
    Import,
}

impl Actor {
    /// The facilitator for an empty name, else the participant of that name (the window's
    /// "moving cards as").
    pub fn moving_as(name: &str) -> Actor {
        let name = name.trim();
        if name.is_empty() {
            Actor::Facilitator
        } else {
            Actor::Participant { name: name.to_string() }
        }
    }

    /// The name a card remembers as who moved it last: a participant's, else empty.
    pub fn mover_name(&self) -> &str {
        match self {
            Actor::Participant { name } => name,
            _ => "",
        }
    }

    /// Who, in words, for the command line and logs.
    pub fn describe(&self) -> String {
        match self {
            Actor::Facilitator => "the facilitator".into(),
            Actor::Participant { name } => name.clone(),
            Actor::Cli => "the command line".into(),
            Actor::Import => "an import".into(),
        }
    }
}

/// When and by whom a change is made; passed in, never read from the clock here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub at: Millis,
    pub by: Actor,
}

impl Stamp {
    pub fn new(at: Millis, by: Actor) -> Stamp {
        Stamp { at, by }
    }
}

/// A bare time is a change by the facilitator at that time.
impl From<Millis> for Stamp {
    fn from(at: Millis) -> Stamp {
        Stamp { at, by: Actor::Facilitator }
    }
}

/// What a change did, as a message key with its arguments (names as they were then). The
/// window and the command line put it into words; it is stored this way in the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "key", rename_all = "kebab-case", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum ChangeLabel {
    PlaceCard {
        organization: String,
    },
    MoveCard {
        organization: String,
    },
    MoveCards {
        count: u32,
    },
    ReturnToTray {
        organization: String,
    },
    AddOrganization {
        name: String,
    },
    AddOrganizations {
        count: u32,
    },
    EditOrganization {
        name: String,
    },
    RemoveOrganization {
        name: String,
    },
    EditSession,
    RenameSession {
        title: String,
    },
    AddGrid {
        title: String,
    },
    EditGrid {
        title: String,
    },
    RemoveGrid {
        title: String,
    },
    AddCommitment {
        action: String,
    },
    EditCommitment {
        action: String,
    },
    MarkCommitment {
        action: String,
        status: String,
    },
    RemoveCommitment {
        action: String,
    },
    AddParticipant {
        name: String,
    },
    EditParticipant {
        name: String,
    },
    RemoveParticipant {
        name: String,
    },
    /// A commitment of an earlier meeting reviewed: `outcome` is a [`super::ReviewOutcome`]'s
    /// name (kept, partly, dropped, carried, or pending again).
    ReviewCommitment {
        action: String,
        outcome: String,
    },
    /// `kind` is a [`super::RelationshipKind`]'s name.
    AddRelationship {
        from: String,
        to: String,
        kind: String,
    },
    EditRelationship {
        from: String,
        to: String,
        kind: String,
    },
    RemoveRelationship {
        from: String,
        to: String,
        kind: String,
    },
    /// Only the note of a review changed.
    NoteReview {
        action: String,
    },
    /// A private round started on the grid `grid` (not a step of history: a round is
    /// ended, not undone).
    StartRound {
        grid: String,
    },
    /// A round's answers shown to the room.
    RevealRound {
        grid: String,
    },
    /// A round's names shown or hidden.
    EditRound {
        grid: String,
    },
    EndRound {
        grid: String,
    },
    /// A step recorded before labels were keys: its English words, as they were stored.
    Recorded {
        text: String,
    },
}

impl ChangeLabel {
    /// The label in English words ("Move “City Council”"), for the command line.
    pub fn describe(&self) -> String {
        use ChangeLabel::*;
        match self {
            PlaceCard { organization } => format!("Place “{organization}”"),
            MoveCard { organization } => format!("Move “{organization}”"),
            MoveCards { count } => format!("Move {count} cards"),
            ReturnToTray { organization } => format!("Send “{organization}” to the tray"),
            AddOrganization { name } => format!("Add “{name}”"),
            AddOrganizations { count } => format!("Add {count} organizations"),
            EditOrganization { name } => format!("Edit “{name}”"),
            RemoveOrganization { name } => format!("Remove “{name}”"),
            EditSession => "Edit the session details".into(),
            RenameSession { title } => format!("Rename the session “{title}”"),
            AddGrid { title } => format!("Add the grid “{title}”"),
            EditGrid { title } => format!("Edit the grid “{title}”"),
            RemoveGrid { title } => format!("Remove the grid “{title}”"),
            AddCommitment { action } => format!("Add the commitment “{action}”"),
            EditCommitment { action } => format!("Edit the commitment “{action}”"),
            MarkCommitment { action, status } => format!("Mark “{action}” {status}"),
            RemoveCommitment { action } => format!("Remove the commitment “{action}”"),
            AddParticipant { name } => format!("Add “{name}” to the room"),
            EditParticipant { name } => format!("Edit “{name}”"),
            RemoveParticipant { name } => format!("Remove “{name}” from the room"),
            NoteReview { action } => format!("Note on “{action}”"),
            AddRelationship { from, to, kind } => format!("Draw “{from}” {} “{to}”", verb(kind)),
            EditRelationship { from, to, kind } => format!("Change “{from}” {} “{to}”", verb(kind)),
            RemoveRelationship { from, to, kind } => format!("Remove “{from}” {} “{to}”", verb(kind)),
            ReviewCommitment { action, outcome } => {
                let words = super::ReviewOutcome::parse(outcome).map(|o| o.describe()).unwrap_or(outcome);
                format!("Review “{action}”: {words}")
            }
            StartRound { grid } => format!("Start a private round on “{grid}”"),
            RevealRound { grid } => format!("Reveal the round on “{grid}”"),
            EditRound { grid } => format!("Change the round on “{grid}”"),
            EndRound { grid } => format!("End the round on “{grid}”"),
            Recorded { text } => text.clone(),
        }
    }
}

/// A relationship kind's name as a verb ("funds"); an unknown name as it is.
fn verb(kind: &str) -> &str {
    super::RelationshipKind::parse(kind).map(|k| k.verb()).unwrap_or(kind)
}

/// A step of a session's history, as undo, redo and `powermap history` name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryEntry {
    pub label: ChangeLabel,
    /// Whose change it was.
    pub actor: Actor,
    #[ts(type = "number")]
    pub at: Millis,
}

/// What undo and redo would take back or do again now.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryState {
    pub undo: Option<HistoryEntry>,
    pub redo: Option<HistoryEntry>,
}

/// Whether a change was made, or is an undo or redo of an earlier step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ChangeAction {
    Do,
    Undo,
    Redo,
}

/// A row written by a change, as the views hold it. `seq` is the row's place in its list
/// (organizations, grids, commitments and participants are shown in the order they were
/// added), so a row brought back by undo returns to its place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "table", rename_all = "camelCase")]
#[ts(export)]
pub enum WrittenRow {
    Session {
        row: Session,
    },
    Organization {
        row: Organization,
        #[ts(type = "number")]
        seq: i64,
    },
    Grid {
        row: Grid,
        #[ts(type = "number")]
        seq: i64,
    },
    Placement {
        row: Placement,
    },
    Commitment {
        row: Commitment,
        #[ts(type = "number")]
        seq: i64,
    },
    Participant {
        row: Participant,
        #[ts(type = "number")]
        seq: i64,
    },
    Review {
        row: Review,
        #[ts(type = "number")]
        seq: i64,
    },
    Relationship {
        row: Relationship,
        #[ts(type = "number")]
        seq: i64,
    },
    Round {
        row: Round,
    },
}

/// A row removed by a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "table", rename_all = "camelCase", rename_all_fields = "camelCase")]
#[ts(export)]
pub enum RowKey {
    Session { id: String },
    Organization { id: String },
    Grid { id: String },
    Placement { grid_id: String, organization_id: String },
    Commitment { id: String },
    Participant { id: String },
    Review { id: String },
    Relationship { id: String },
    Round { id: String },
}

/// One change to a session, as every view receives it: apply `written` (insert or replace
/// by key) and `removed`, and take `revision` and `history` as the session's new ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionChange {
    pub session_id: String,
    /// The session's revision after this change: one more than before it.
    #[ts(type = "number")]
    pub revision: i64,
    pub action: ChangeAction,
    /// What was done; for an undo or redo, the step taken back or done again.
    pub label: ChangeLabel,
    /// Who made this change (for an undo, who undid).
    pub actor: Actor,
    /// Whose step it is: the same as `actor` for a change, the step's own for undo and redo.
    pub author: Actor,
    #[ts(type = "number")]
    pub at: Millis,
    pub written: Vec<WrittenRow>,
    pub removed: Vec<RowKey>,
    /// What undo and redo would do after this change.
    pub history: HistoryState,
}

/// The result of a write: its value (the row made or changed) and the change to send to
/// every view. Reads as the value (`changed.id`), for callers that only want that.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Changed<T> {
    pub value: T,
    pub change: SessionChange,
}

impl<T> std::ops::Deref for Changed<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}
