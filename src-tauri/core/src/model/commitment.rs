//! A commitment: who will do what, by when.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{text, Millis};
use crate::error::{Error, Result};
use crate::i18n::Said;

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum CommitmentStatus {
    Open,
    Done,
    Dropped,
}

impl CommitmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CommitmentStatus::Open => "open",
            CommitmentStatus::Done => "done",
            CommitmentStatus::Dropped => "dropped",
        }
    }

    pub fn parse(name: &str) -> Result<CommitmentStatus> {
        match name {
            "open" => Ok(CommitmentStatus::Open),
            "done" => Ok(CommitmentStatus::Done),
            "dropped" => Ok(CommitmentStatus::Dropped),
            other => Err(Error::invalid(Said::new("error.commitment.status").text("value", other))),
        }
    }
}

/// A commitment of a session, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Commitment {
    pub id: String,
    /// The organization that commits, if any.
    pub organization_id: Option<String>,
    /// The person who commits, if any (a name as the room says it).
    pub person: String,
    /// What will be done, in the words of the room.
    pub action: String,
    /// By when, `YYYY-MM-DD`.
    pub due: Option<String>,
    pub status: CommitmentStatus,
    pub notes: String,
    #[ts(type = "number")]
    pub created_at: Millis,
}

/// What a person types to record a commitment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CommitmentFields {
    pub organization_id: Option<String>,
    #[serde(default)]
    pub person: String,
    pub action: String,
    pub due: Option<String>,
    pub status: CommitmentStatus,
    #[serde(default)]
    pub notes: String,
}

/// The longest action, in characters.
pub const MAX_ACTION: usize = 500;

impl CommitmentFields {
    /// The fields checked: an action of 1 to 500 characters, a real due date, and someone
    /// who commits. Whether the organization belongs to the session is the store's check.
    pub fn validated(&self) -> Result<CommitmentFields> {
        let action = self.action.trim();
        let count = action.chars().count();
        if count == 0 {
            return Err(Error::invalid("error.commitment.no-action"));
        }
        if count > MAX_ACTION {
            return Err(Error::invalid(
                Said::new("error.commitment.action-too-long").text("count", count).text("max", MAX_ACTION),
            ));
        }
        let person = text::short("word.person-name", &self.person)?;
        let organization_id = self.organization_id.clone().filter(|id| !id.is_empty());
        if organization_id.is_none() && person.is_empty() {
            return Err(Error::invalid("error.commitment.no-one"));
        }
        Ok(CommitmentFields {
            organization_id,
            person,
            action: action.to_string(),
            due: text::date("word.due-date", self.due.as_deref())?,
            status: self.status,
            notes: text::notes("word.commitment-notes", &self.notes)?,
        })
    }
}
