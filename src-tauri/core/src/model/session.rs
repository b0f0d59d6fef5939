//! A session: one workshop meeting.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    text, Commitment, Grid, HistoryState, Millis, Organization, Participant, Placement, Relationship, Review, Round,
};
use crate::error::Result;

/// A workshop meeting, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Session {
    pub id: String,
    pub title: String,
    /// The campaign question the room is mapping power around.
    pub question: String,
    /// The day of the meeting, `YYYY-MM-DD`.
    pub date: Option<String>,
    pub place: String,
    pub facilitator: String,
    pub notes: String,
    /// The session this one follows up, if any.
    pub follows_up: Option<String>,
    /// The campaign the session belongs to: the id of its first session (its own id when it
    /// follows up none). Set by the store, not read from files.
    #[serde(default)]
    pub campaign: String,
    #[ts(type = "number")]
    pub created_at: Millis,
    /// Changes whenever anything in the session changes; the session list sorts on it.
    #[ts(type = "number")]
    pub updated_at: Millis,
}

/// What a person types to create or edit a session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct SessionFields {
    pub title: String,
    pub question: String,
    pub date: Option<String>,
    pub place: String,
    pub facilitator: String,
    pub notes: String,
}

impl SessionFields {
    /// The fields checked and normalised (trimmed; the date a real `YYYY-MM-DD`).
    pub fn validated(&self) -> Result<SessionFields> {
        Ok(SessionFields {
            title: text::name("word.session-title", &self.title)?,
            question: text::notes("word.campaign-question", &self.question)?.trim().to_string(),
            date: text::date("word.session-date", self.date.as_deref())?,
            place: text::short("word.place", &self.place)?,
            facilitator: text::short("word.facilitator-name", &self.facilitator)?,
            notes: text::notes("word.session-notes", &self.notes)?,
        })
    }
}

/// A line of the session list: enough to recognise and open a session.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionListing {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub place: String,
    #[ts(type = "number")]
    pub updated_at: Millis,
    pub organization_count: u32,
    pub grid_count: u32,
    /// The campaign's id (see [`Session::campaign`]): the list shows a campaign's sessions
    /// together.
    pub campaign: String,
    /// The session this one follows up, if any.
    pub follows_up: Option<String>,
    /// When the session was deleted, for one in "recently deleted".
    #[ts(type = "number | null")]
    pub deleted_at: Option<Millis>,
    /// Whether its campaign is shared with other laptops.
    #[serde(default)]
    pub shared: bool,
}

/// Everything in one session, as the window shows it. Lists are in display order.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionData {
    pub session: Session,
    pub organizations: Vec<Organization>,
    pub grids: Vec<Grid>,
    pub placements: Vec<Placement>,
    pub commitments: Vec<Commitment>,
    pub participants: Vec<Participant>,
    /// The earlier meetings' commitments brought here for review, in order.
    pub reviews: Vec<Review>,
    /// Lines between organizations, in the order they were drawn.
    pub relationships: Vec<Relationship>,
    /// The session's private rounds, oldest first (the last one may be open).
    pub rounds: Vec<Round>,
    /// For a follow-up: the session it follows up, and where the cards stood there.
    pub last_time: Option<LastTime>,
    /// What undo and redo would do now.
    pub history: HistoryState,
    /// The session's revision: the number of changes made to it, so a view knows which
    /// changes it has already applied.
    #[ts(type = "number")]
    pub revision: i64,
    /// Each organization's, grid's, commitment's and participant's place in its list (by
    /// id), so a row a change brings back (an undone removal) goes back to its place.
    #[ts(type = "Record<string, number>")]
    pub order: std::collections::BTreeMap<String, i64>,
}

/// The session a follow-up follows up, as the follow-up shows it: where each card stood at
/// the end of last time, by this session's grid and card ids (matched by identity).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LastTime {
    pub session_id: String,
    pub title: String,
    pub date: Option<String>,
    /// Last time's placements, on this session's grids and cards. A card or grid this
    /// session does not have (added since, or removed) has none.
    pub placements: Vec<Placement>,
    /// Last time's relationships between this session's cards (ids of last time's lines,
    /// ends on this session's cards), so a re-rated line shows how it was.
    pub relationships: Vec<Relationship>,
}
