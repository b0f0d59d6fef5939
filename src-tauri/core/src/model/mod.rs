//! The domain model: what a workshop is made of. Plain data with validation, no storage.
//!
//! Ids are opaque strings (UUIDs) so that a session exported from one database can be
//! imported into another without renumbering. Times are Unix milliseconds, passed in by
//! the caller rather than read from the clock here.

mod change;
mod commitment;
pub mod grid;
mod organization;
mod participant;
mod placement;
mod relationship;
mod review;
mod round;
mod session;
pub mod text;

pub use change::{
    Actor, ChangeAction, ChangeLabel, Changed, HistoryEntry, HistoryState, RowKey, SessionChange, Stamp, WrittenRow,
};
pub use commitment::{Commitment, CommitmentFields, CommitmentStatus};
pub use grid::{Grid, GridKind, GridLabels};
pub use organization::{Organization, OrganizationFields, Sector};
pub use participant::{Participant, ParticipantFields};
pub use placement::{Placement, Point};
pub use relationship::{Relationship, RelationshipFields, RelationshipKind};
pub use review::{FollowUpCards, FollowUpFields, Review, ReviewFields, ReviewOutcome, SaidAndDone};
pub use round::{
    card_spread, Answer, CardSpread, OwnRound, Round, RoundFields, RoundProgress, RoundResults, StoredAnswer,
};
pub use session::{LastTime, Session, SessionData, SessionFields, SessionListing};

/// Unix time in milliseconds.
pub type Millis = i64;

/// A fresh id for a new row (a random UUID).
pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
