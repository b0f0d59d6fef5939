//! Rules for the text people type: names, labels, notes, colours and dates.

use crate::error::{Error, Result};

/// The longest name or title, in characters, after trimming.
pub const MAX_NAME: usize = 200;
/// The longest note, in characters.
pub const MAX_NOTES: usize = 20_000;

/// A required name: trimmed, 1 to [`MAX_NAME`] characters. `what` names it in the error.
pub(crate) fn name(what: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(format!("The {what} cannot be empty.")));
    }
    let count = trimmed.chars().count();
    if count > MAX_NAME {
        return Err(Error::invalid(format!("The {what} is too long ({count} characters; at most {MAX_NAME}).")));
    }
    Ok(trimmed.to_string())
}

/// An optional short text (label, place, person): trimmed, at most [`MAX_NAME`] characters.
pub(crate) fn short(what: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    let count = trimmed.chars().count();
    if count > MAX_NAME {
        return Err(Error::invalid(format!("The {what} is too long ({count} characters; at most {MAX_NAME}).")));
    }
    Ok(trimmed.to_string())
}

/// Free notes: kept as typed (only trailing white space dropped), at most [`MAX_NOTES`].
pub(crate) fn notes(what: &str, value: &str) -> Result<String> {
    let kept = value.trim_end();
    let count = kept.chars().count();
    if count > MAX_NOTES {
        return Err(Error::invalid(format!("The {what} are too long ({count} characters; at most {MAX_NOTES}).")));
    }
    Ok(kept.to_string())
}

/// A colour as `#rrggbb` (lower-cased).
pub(crate) fn colour(value: &str) -> Result<String> {
    let trimmed = value.trim();
    let hex = trimmed.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("#{}", hex.to_ascii_lowercase()))
    } else {
        Err(Error::invalid(format!("“{trimmed}” is not a colour; use the form #1d3557.")))
    }
}

/// An optional calendar date `YYYY-MM-DD`; empty means none.
pub(crate) fn date(what: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(raw, &format) {
        Ok(date) => Ok(Some(date.format(&format).unwrap_or_else(|_| raw.to_string()))),
        Err(_) => Err(Error::invalid(format!("The {what} “{raw}” is not a real date; use the form 2026-03-14."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("name", "  Tenants Union ").unwrap(), "Tenants Union");
        assert!(name("name", "   ").is_err(), "blank names are refused");
        assert!(name("name", &"x".repeat(200)).is_ok(), "200 characters is the limit, allowed");
        assert!(name("name", &"x".repeat(201)).is_err(), "201 characters is over the limit");
        assert!(name("name", &"é".repeat(200)).is_ok(), "the limit counts characters, not bytes");
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(date("date", Some("2026-02-28")).unwrap().as_deref(), Some("2026-02-28"));
        assert!(date("date", Some("2026-02-30")).is_err(), "30 February does not exist");
        assert!(date("date", Some("tomorrow")).is_err());
        assert_eq!(date("date", Some("  ")).unwrap(), None, "blank means no date");
    }

    #[test]
    fn colours_are_hex() {
        assert_eq!(colour("#1D3557").unwrap(), "#1d3557");
        assert!(colour("red").is_err());
        assert!(colour("#12345").is_err());
    }
}
