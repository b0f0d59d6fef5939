//! Changes to a session, as every view receives them: what was done (a label key with its
//! arguments, put into words only where it is shown), by whom, and the rows it wrote and
//! removed. The window, the command line and the room's devices all follow the same stream
//! of [`SessionChange`]s (a device, a projection of it: see the room crate's `phone`).

//!
//! Here: the change and its rows; `actor.rs` says who made a change and when (`Actor`,
//! `Stamp`); `label.rs` says what it did (`ChangeLabel`).

mod actor;
mod label;

pub use actor::{Actor, Stamp};
pub use label::ChangeLabel;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Commitment, Grid, Millis, Organization, Participant, Placement, Relationship, Review, Round, Session};

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
    /// For an undo or redo in a shared campaign: how many fields it left as another laptop
    /// had set them since (and rows another laptop removed since, which it left removed).
    #[serde(default, skip_serializing_if = "is_zero")]
    #[ts(optional)]
    pub kept_elsewhere: Option<u32>,
}

fn is_zero(count: &Option<u32>) -> bool {
    count.is_none_or(|n| n == 0)
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
    use crate::i18n::Lang;

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
            FromLaptop { laptop: s("Amina's laptop") },
            TakeOtherValue { laptop: s("Ben's laptop") },
            ReferencesBack { count: 2 },
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
                RevealRound { .. }
                | EditRound { .. }
                | EndRound { .. }
                | FromLaptop { .. }
                | ReferencesBack { .. }
                | TakeOtherValue { .. }
                | Recorded { .. } => {}
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
