//! Changes to a session, as every view receives them: what was done (a label key with its
//! arguments, put into words only where it is shown), by whom, and the rows it wrote and
//! removed. The window, the command line and the room's devices all follow the same stream
//! of [`SessionChange`]s (a device, a projection of it: see the room crate's `phone`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Commitment, Grid, Millis, Organization, Participant, Placement, Relationship, Review, Round, Session};
use crate::i18n::{self, Lang};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Actor {
    /// The facilitator, at the window.
    Facilitator,
    /// A participant, named as in the room (at the window, "moving cards as", or on their
    /// own device). `id` is the participant's, when the change came from their own device's
    /// seat: a phone knows its own changes by it, not by a name another may share.
    Participant {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        id: Option<String>,
    },
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
            Actor::Participant { name: name.to_string(), id: None }
        }
    }

    /// The participant `participant_id`, named `name`, on their own device's seat.
    pub fn seat(name: &str, participant_id: &str) -> Actor {
        Actor::Participant { name: name.to_string(), id: Some(participant_id.to_string()) }
    }

    /// The name a card remembers as who moved it last: a participant's, else empty.
    pub fn mover_name(&self) -> &str {
        match self {
            Actor::Participant { name, .. } => name,
            _ => "",
        }
    }

    /// Who, in words, for the command line and logs.
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    /// Who, in `lang`'s words ("the command line", "la línea de comandos"); a participant by
    /// name.
    pub fn describe_in(&self, lang: Lang) -> String {
        let key = match self {
            Actor::Participant { name, .. } => return name.clone(),
            Actor::Facilitator => "actor.facilitator",
            Actor::Cli => "actor.cli",
            Actor::Import => "actor.import",
        };
        i18n::message(lang, key, &[])
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
        self.describe_in(Lang::En)
    }

    /// The label in `lang`'s words, from the catalog's `label.<key>` message with the
    /// label's arguments; a status, an outcome and a relationship kind put into words too
    /// (`status.done`, `outcome.kept`, `relationship.funds`). The window renders labels the
    /// same way (ui/src/lib/changeLabels.ts), from the same catalogs.
    pub fn describe_in(&self, lang: Lang) -> String {
        if let ChangeLabel::Recorded { text } = self {
            return text.clone();
        }
        let serde_json::Value::Object(fields) = serde_json::to_value(self).unwrap_or_default() else {
            return String::new();
        };
        let key = fields.get("key").and_then(|k| k.as_str()).unwrap_or("").to_string();
        let args: Vec<(&str, String)> = fields
            .iter()
            .filter(|(name, _)| name.as_str() != "key")
            .map(|(name, value)| {
                let value = match value {
                    serde_json::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let words = match name.as_str() {
                    "status" => Some(format!("status.{value}")),
                    "outcome" => Some(format!("outcome.{value}")),
                    "kind" => Some(format!("relationship.{value}")),
                    _ => None,
                };
                // A word this version does not know (a newer file's) stays as it was stored.
                let value = match words {
                    Some(key) if i18n::catalog(Lang::En).contains_key(&key) => i18n::message(lang, &key, &[]),
                    _ => value,
                };
                (name.as_str(), value)
            })
            .collect();
        i18n::message(lang, &format!("label.{key}"), &args)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One label of each kind; the match has no catch-all, so a new kind of label does not
    /// compile until it is added here (and so to the catalogs' test and the window's).
    fn one_of_each() -> Vec<ChangeLabel> {
        use ChangeLabel::*;
        let s = |v: &str| v.to_string();
        let all = vec![
            PlaceCard { organization: s("Riverside Tenants Union") },
            MoveCard { organization: s("City Council") },
            MoveCards { count: 1 },
            MoveCards { count: 3 },
            ReturnToTray { organization: s("Harbor") },
            AddOrganization { name: s("Harbor") },
            AddOrganizations { count: 12 },
            EditOrganization { name: s("Harbor") },
            RemoveOrganization { name: s("Harbor") },
            EditSession,
            RenameSession { title: s("Spring") },
            AddGrid { title: s("Power") },
            EditGrid { title: s("Power") },
            RemoveGrid { title: s("Power") },
            AddCommitment { action: s("Call the mayor") },
            EditCommitment { action: s("Call the mayor") },
            MarkCommitment { action: s("Call the mayor"), status: s("done") },
            RemoveCommitment { action: s("Call the mayor") },
            AddParticipant { name: s("Amina") },
            EditParticipant { name: s("Amina") },
            RemoveParticipant { name: s("Amina") },
            ReviewCommitment { action: s("Call the mayor"), outcome: s("partly") },
            AddRelationship { from: s("A"), to: s("B"), kind: s("funds") },
            EditRelationship { from: s("A"), to: s("B"), kind: s("member-of") },
            RemoveRelationship { from: s("A"), to: s("B"), kind: s("speaks-for") },
            NoteReview { action: s("Call the mayor") },
            StartRound { grid: s("Power") },
            RevealRound { grid: s("Power") },
            EditRound { grid: s("Power") },
            EndRound { grid: s("Power") },
            Recorded { text: s("Move “Council”") },
        ];
        for label in &all {
            match label {
                PlaceCard { .. }
                | MoveCard { .. }
                | MoveCards { .. }
                | ReturnToTray { .. }
                | AddOrganization { .. } => {}
                AddOrganizations { .. } | EditOrganization { .. } | RemoveOrganization { .. } | EditSession => {}
                RenameSession { .. } | AddGrid { .. } | EditGrid { .. } | RemoveGrid { .. } | AddCommitment { .. } => {}
                EditCommitment { .. } | MarkCommitment { .. } | RemoveCommitment { .. } | AddParticipant { .. } => {}
                EditParticipant { .. }
                | RemoveParticipant { .. }
                | ReviewCommitment { .. }
                | AddRelationship { .. } => {}
                EditRelationship { .. } | RemoveRelationship { .. } | NoteReview { .. } | StartRound { .. } => {}
                RevealRound { .. } | EditRound { .. } | EndRound { .. } | Recorded { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_label_reads_in_every_language() {
        for lang in Lang::ALL {
            for label in one_of_each() {
                let words = label.describe_in(lang);
                assert!(!words.is_empty() && !words.contains('{') && !words.starts_with("label."), "{lang:?}: {words}");
            }
        }
        assert_eq!(ChangeLabel::MoveCard { organization: "City Council".into() }.describe(), "Move “City Council”");
        let mark = ChangeLabel::MarkCommitment { action: "Call".into(), status: "done".into() };
        assert_eq!(mark.describe_in(Lang::Es), "Marcar «Call» como hecho");
        let tie = ChangeLabel::AddRelationship { from: "A".into(), to: "B".into(), kind: "funds".into() };
        assert_eq!(
            tie.describe_in(Lang::Fr),
            "Tracer «\u{a0}A\u{a0}» finance «\u{a0}B\u{a0}»",
            "no break inside guillemets"
        );
        let unknown = ChangeLabel::AddRelationship { from: "A".into(), to: "B".into(), kind: "sues".into() };
        assert_eq!(unknown.describe(), "Draw “A” sues “B”", "a kind this version does not know, as stored");
        assert_eq!(Actor::Cli.describe_in(Lang::Fr), "la ligne de commande");
    }

    /// Writes each label and actor in each language beside the generated types: the window
    /// renders labels itself (ui/src/lib/changeLabels.ts) from the same catalogs, and its test
    /// checks that it says exactly this.
    #[test]
    fn export_label_samples() {
        let mut samples = Vec::new();
        for lang in Lang::ALL {
            for label in one_of_each() {
                samples.push(serde_json::json!({"lang": lang.code(), "label": label, "text": label.describe_in(lang)}));
            }
            for actor in
                [Actor::Facilitator, Actor::Cli, Actor::Import, Actor::Participant { name: "Amina".into(), id: None }]
            {
                samples.push(serde_json::json!({"lang": lang.code(), "actor": actor, "text": actor.describe_in(lang)}));
            }
        }
        let folder = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "bindings".into());
        std::fs::create_dir_all(&folder).unwrap();
        let text = serde_json::to_string_pretty(&samples).unwrap() + "\n";
        std::fs::write(std::path::Path::new(&folder).join("label-samples.json"), text).unwrap();
    }
}
