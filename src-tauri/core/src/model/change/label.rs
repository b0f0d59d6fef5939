//! What a change did, as a message key with its arguments.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::i18n::{self, Lang};

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
    /// Changes that came from other laptops sharing the campaign (their names).
    FromLaptop {
        laptop: String,
    },
    /// Rows other laptops made that refer to rows this laptop brought back, put back as the
    /// shared campaign says (how many).
    ReferencesBack {
        count: u32,
    },
    /// A field changed on two laptops set to the value that did not stand (the laptop that
    /// had set it).
    TakeOtherValue {
        laptop: String,
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
