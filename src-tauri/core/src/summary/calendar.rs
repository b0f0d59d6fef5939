//! Commitments with a due date as calendar to-dos (iCalendar, RFC 5545), written with the
//! `icalendar` crate. Each to-do's UID is the commitment's id, so importing a re-export
//! updates the entries instead of duplicating them.

use icalendar::{Calendar, Component, Todo, TodoStatus};

use super::Summary;
use crate::model::CommitmentStatus;

/// The to-dos of the session's dated commitments, as an `.ics` text.
pub fn to_ics(summary: &Summary) -> String {
    let stamp = chrono::DateTime::from_timestamp_millis(summary.session.updated_at).unwrap_or_default();
    let mut calendar = Calendar::new();
    calendar.name(&summary.session.title);
    for group in &summary.commitments {
        for c in &group.commitments {
            let Some(due) = c.due.as_deref().and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
                continue;
            };
            let mut who = vec![group.who.clone()];
            if !c.person.is_empty() && c.person != group.who {
                who.push(c.person.clone());
            }
            let mut description = format!("Who: {}\nSession: {}", who.join(", "), summary.session.title);
            if !c.notes.is_empty() {
                description.push_str(&format!("\nNotes: {}", c.notes));
            }
            let status = match c.status {
                CommitmentStatus::Open => TodoStatus::NeedsAction,
                CommitmentStatus::Done => TodoStatus::Completed,
                CommitmentStatus::Dropped => TodoStatus::Cancelled,
            };
            let todo = Todo::new()
                .uid(&format!("{}@powermap", c.id))
                .summary(&format!("{} — {}", c.action, group.who))
                .description(&description)
                .due(due)
                .status(status)
                .timestamp(stamp)
                .done();
            calendar.push(todo);
        }
    }
    calendar.done().to_string()
}
