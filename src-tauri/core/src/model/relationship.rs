//! A relationship: a line between two organizations of a session — who works with, funds,
//! speaks for, leads, belongs to or opposes whom, how strongly. Re-rated at each meeting
//! (a follow-up carries them), so trust over time shows.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text;
use crate::error::{Error, Result};
use crate::i18n::Said;

/// The kinds of tie the methods name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum RelationshipKind {
    /// Works with, trusts.
    WorksWith,
    Funds,
    /// Speaks on behalf of.
    SpeaksFor,
    Leads,
    MemberOf,
    Opposes,
}

impl RelationshipKind {
    pub const ALL: [RelationshipKind; 6] = [
        RelationshipKind::WorksWith,
        RelationshipKind::Funds,
        RelationshipKind::SpeaksFor,
        RelationshipKind::Leads,
        RelationshipKind::MemberOf,
        RelationshipKind::Opposes,
    ];

    /// The name stored in the database and the interchange format.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationshipKind::WorksWith => "works-with",
            RelationshipKind::Funds => "funds",
            RelationshipKind::SpeaksFor => "speaks-for",
            RelationshipKind::Leads => "leads",
            RelationshipKind::MemberOf => "member-of",
            RelationshipKind::Opposes => "opposes",
        }
    }

    pub fn parse(name: &str) -> Result<RelationshipKind> {
        RelationshipKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| Error::invalid(Said::new("error.relationship.kind").text("value", name)))
    }

    /// The kind as a verb phrase between two names: "A funds B".
    pub fn verb(self) -> &'static str {
        match self {
            RelationshipKind::WorksWith => "works with",
            RelationshipKind::Funds => "funds",
            RelationshipKind::SpeaksFor => "speaks for",
            RelationshipKind::Leads => "leads",
            RelationshipKind::MemberOf => "is a member of",
            RelationshipKind::Opposes => "opposes",
        }
    }
}

/// A relationship of a session, as stored: `from` → `to`, or both ways when `mutual`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Relationship {
    pub id: String,
    pub from_id: String,
    pub to_id: String,
    pub kind: RelationshipKind,
    pub mutual: bool,
    /// 1 (weak) to 3 (strong).
    pub strength: u8,
    pub note: String,
}

/// What a person says about a relationship.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RelationshipFields {
    pub from_id: String,
    pub to_id: String,
    pub kind: RelationshipKind,
    #[serde(default)]
    pub mutual: bool,
    #[serde(default = "default_strength")]
    pub strength: u8,
    #[serde(default)]
    pub note: String,
}

fn default_strength() -> u8 {
    2
}

impl RelationshipFields {
    /// The fields checked: two different organizations, a strength of 1 to 3, a note of
    /// allowed text. Whether both organizations are the session's is the store's check.
    pub fn validated(&self) -> Result<RelationshipFields> {
        if self.from_id.is_empty() || self.to_id.is_empty() {
            return Err(Error::invalid("error.relationship.no-ends"));
        }
        if self.from_id == self.to_id {
            return Err(Error::invalid("error.relationship.same-ends"));
        }
        if !(1..=3).contains(&self.strength) {
            return Err(Error::invalid(Said::new("error.relationship.strength").text("strength", self.strength)));
        }
        Ok(RelationshipFields {
            from_id: self.from_id.clone(),
            to_id: self.to_id.clone(),
            kind: self.kind,
            mutual: self.mutual,
            strength: self.strength,
            note: text::notes("word.relationship-note", &self.note)?.trim().to_string(),
        })
    }
}
