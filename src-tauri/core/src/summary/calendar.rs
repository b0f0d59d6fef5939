//! Commitments with a due date as calendar to-dos (iCalendar, RFC 5545). Each to-do's UID is
//! the commitment's id, so importing a re-export updates the entries instead of duplicating
//! them.
//!
//! Written by hand, because every text a person typed must be escaped as RFC 5545 §3.3.11
//! says (a comma, a semicolon or a line break in a title would otherwise cut a value short
//! or start a line of its own — a to-do nobody made), and every line folded at 75 octets
//! (§3.1).

use super::Summary;
use crate::model::CommitmentStatus;

/// The to-dos of the session's dated commitments, as an `.ics` text.
pub fn to_ics(summary: &Summary) -> String {
    let stamp = utc_stamp(summary.session.updated_at);
    let mut out = Lines::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line("PRODID:-//Powermap//Powermap//EN");
    out.line("CALSCALE:GREGORIAN");
    out.line(&format!("NAME:{}", text(&summary.session.title)));
    out.line(&format!("X-WR-CALNAME:{}", text(&summary.session.title)));
    for group in &summary.commitments {
        for c in &group.commitments {
            let Some(due) = c.due.as_deref().and_then(calendar_date) else {
                continue;
            };
            let mut who = vec![group.who.clone()];
            if !c.person.is_empty() && c.person != group.who {
                who.push(c.person.clone());
            }
            let mut description = [
                summary.say("calendar.who", &[("who", who.join(", "))]),
                summary.say("calendar.session", &[("title", summary.session.title.clone())]),
            ]
            .join("\n");
            if !c.notes.is_empty() {
                description.push('\n');
                description.push_str(&summary.say("calendar.notes", &[("notes", c.notes.clone())]));
            }
            let status = match c.status {
                CommitmentStatus::Open => "NEEDS-ACTION",
                CommitmentStatus::Done => "COMPLETED",
                CommitmentStatus::Dropped => "CANCELLED",
            };
            out.line("BEGIN:VTODO");
            out.line(&format!("UID:{}", text(&format!("{}@powermap", c.id))));
            out.line(&format!("DTSTAMP:{stamp}"));
            out.line(&format!("SUMMARY:{}", text(&format!("{} — {}", c.action, group.who))));
            out.line(&format!("DESCRIPTION:{}", text(&description)));
            out.line(&format!("DUE;VALUE=DATE:{due}"));
            out.line(&format!("STATUS:{status}"));
            out.line("END:VTODO");
        }
    }
    out.line("END:VCALENDAR");
    out.0
}

/// Content lines ending in CRLF, folded so that none is longer than 75 octets: a longer
/// one goes on in lines that start with a space, cut between characters, never inside one.
#[derive(Default)]
struct Lines(String);

impl Lines {
    const LIMIT: usize = 75;

    fn line(&mut self, line: &str) {
        let mut room = Self::LIMIT;
        let mut used = 0;
        for c in line.chars() {
            let size = c.len_utf8();
            if used + size > room {
                self.0.push_str("\r\n ");
                // The leading space counts towards the next line's 75 octets.
                room = Self::LIMIT - 1;
                used = 0;
            }
            self.0.push(c);
            used += size;
        }
        self.0.push_str("\r\n");
    }
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line
/// break written `\n`; any other control character, which no calendar shows, left out.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// `YYYY-MM-DD` as a DATE value `YYYYMMDD`, if it is a real date.
fn calendar_date(date: &str) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(date, &format).ok()?;
    Some(format!("{:04}{:02}{:02}", date.year(), u8::from(date.month()), date.day()))
}

/// Milliseconds since 1970 as a UTC DATE-TIME `YYYYMMDDTHHMMSSZ`.
fn utc_stamp(millis: i64) -> String {
    let at =
        time::OffsetDateTime::from_unix_timestamp(millis.div_euclid(1000)).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_what_would_end_a_value_or_a_line() {
        assert_eq!(text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(text("one\ntwo\r\nthree\rfour"), "one\\ntwo\\nthree\\nfour");
        assert_eq!(text("nul\0bell\u{7}"), "nulbell");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut lines = Lines::default();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        lines.line(&long);
        for line in lines.0.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = lines.0.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long, "unfolding gives the line back");
    }

    #[test]
    fn dates_and_stamps() {
        assert_eq!(calendar_date("2026-03-14").as_deref(), Some("20260314"));
        assert_eq!(calendar_date("2026-02-30"), None);
        assert_eq!(utc_stamp(1_767_225_600_000), "20260101T000000Z");
    }
}
