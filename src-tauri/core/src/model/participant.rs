//! A participant: a person in the room, optionally representing an organization.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text;
use crate::error::Result;

/// A person in the room, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Participant {
    pub id: String,
    pub name: String,
    /// The organization they speak for, if any.
    pub organization_id: Option<String>,
}

/// What a person types to add or edit a participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ParticipantFields {
    pub name: String,
    #[serde(default)]
    pub organization_id: Option<String>,
}

impl ParticipantFields {
    /// The fields checked: a name of 1 to 200 characters that hides nothing (see
    /// [`text::person_name`]). Whether the organization belongs
    /// to the session is the store's check.
    pub fn validated(&self) -> Result<ParticipantFields> {
        Ok(ParticipantFields {
            name: text::person_name("word.participant-name", &self.name)?,
            organization_id: self.organization_id.clone().filter(|id| !id.is_empty()),
        })
    }
}
