//! Across meetings: starting a follow-up session, and reviewing there the commitments the
//! last meeting left open.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text;
use crate::error::{Error, Result};
use crate::i18n::Said;

/// What became of a commitment, as the follow-up meeting says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ReviewOutcome {
    /// Not reviewed yet.
    Pending,
    /// Done, as promised.
    Kept,
    /// Partly done.
    Partly,
    /// Not done, and not taken up again.
    Dropped,
    /// Not done yet; committed again, as a new dated commitment of this meeting.
    Carried,
}

impl ReviewOutcome {
    pub const ALL: [ReviewOutcome; 5] = [
        ReviewOutcome::Pending,
        ReviewOutcome::Kept,
        ReviewOutcome::Partly,
        ReviewOutcome::Dropped,
        ReviewOutcome::Carried,
    ];

    /// The name stored in the database and the interchange format.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Pending => "pending",
            ReviewOutcome::Kept => "kept",
            ReviewOutcome::Partly => "partly",
            ReviewOutcome::Dropped => "dropped",
            ReviewOutcome::Carried => "carried",
        }
    }

    /// The outcome in words, as a label or the summary says it.
    pub fn describe(self) -> &'static str {
        match self {
            ReviewOutcome::Pending => "not yet reviewed",
            ReviewOutcome::Kept => "kept",
            ReviewOutcome::Partly => "partly kept",
            ReviewOutcome::Dropped => "dropped",
            ReviewOutcome::Carried => "carried again",
        }
    }

    pub fn parse(name: &str) -> Result<ReviewOutcome> {
        ReviewOutcome::ALL
            .into_iter()
            .find(|o| o.as_str() == name)
            .ok_or_else(|| Error::invalid(Said::new("error.review.outcome").text("value", name)))
    }
}

/// A commitment of an earlier meeting, brought to this one for review. It keeps the
/// commitment's words as they were, so the review reads the same even if the earlier
/// session changes later.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Review {
    pub id: String,
    /// The commitment reviewed (in an earlier session of the campaign).
    pub commitment_id: String,
    /// This session's card for the organization that committed, if any.
    pub organization_id: Option<String>,
    pub person: String,
    pub action: String,
    /// The date it was due, `YYYY-MM-DD`.
    pub due: Option<String>,
    pub outcome: ReviewOutcome,
    pub note: String,
    /// For a carried commitment: the new commitment of this session that carries it.
    pub carried_as: Option<String>,
}

/// What the room says about a commitment under review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewFields {
    pub outcome: ReviewOutcome,
    #[serde(default)]
    pub note: String,
    /// For a carried commitment: the new due date (`YYYY-MM-DD`), if any.
    #[serde(default)]
    pub due: Option<String>,
}

impl ReviewFields {
    /// The fields checked: a note of allowed text, a real date.
    pub fn validated(&self) -> Result<ReviewFields> {
        Ok(ReviewFields {
            outcome: self.outcome,
            note: text::notes("word.review-note", &self.note)?.trim().to_string(),
            due: text::date("word.new-due-date", self.due.as_deref())?,
        })
    }
}

/// Where a follow-up's cards start.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum FollowUpCards {
    /// Where they stood at the end of last time.
    #[default]
    AsLastTime,
    /// In the tray, so the room places them afresh (last time's place is shown faintly).
    InTray,
}

/// What a person chooses when starting a follow-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct FollowUpFields {
    /// The new session's title; empty gives "<campaign> — meeting N".
    pub title: String,
    /// The day of the new meeting, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub cards: FollowUpCards,
}

impl FollowUpFields {
    pub fn validated(&self) -> Result<FollowUpFields> {
        let title =
            if self.title.trim().is_empty() { String::new() } else { text::name("word.session-title", &self.title)? };
        Ok(FollowUpFields { title, date: text::date("word.session-date", self.date.as_deref())?, cards: self.cards })
    }
}

/// One organization's word and deed over a campaign: where it says it stands (now) beside
/// what became of the commitments it made at any of the campaign's meetings. A commitment
/// carried again from meeting to meeting counts once, with the fate of its last link.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaidAndDone {
    /// This session's card for the organization.
    pub organization_id: String,
    pub name: String,
    /// Its stated position: its wedge on the spectrum of allies, or its side of the
    /// organizer's power map ("Active allies", "Supportive"); `None` if it is on neither.
    pub stated: Option<String>,
    /// How supportive that position is, from 0 (active opposition) to 1 (active allies).
    pub support: Option<f64>,
    pub made: u32,
    pub kept: u32,
    pub partly: u32,
    pub dropped: u32,
    /// Still open and past due.
    pub overdue: u32,
    /// Still open, not yet due.
    pub open: u32,
}

impl SaidAndDone {
    /// Kept out of made (0 when none were made).
    pub fn kept_rate(&self) -> f64 {
        if self.made == 0 {
            0.0
        } else {
            f64::from(self.kept) / f64::from(self.made)
        }
    }

    /// How far its deeds fall short of its word: its support less its kept rate. Only for
    /// organizations with a stated position and commitments.
    pub fn gap(&self) -> Option<f64> {
        let support = self.support?;
        (self.made > 0).then(|| support - self.kept_rate())
    }

    /// "Active allies — kept 0 of 3".
    pub fn line(&self) -> String {
        let stated = self.stated.as_deref().unwrap_or("No stated position");
        format!("{stated} — kept {} of {}", self.kept, self.made)
    }
}
