//! Rules for the text people type: names, labels, notes, colours and dates.
//!
//! Names, labels and titles are one line of printable text; notes may also hold line
//! breaks and tabs. Control characters (a NUL, a form feed, an escape…) are refused with the
//! field's name: they would break the files other programs read (an SVG no parser accepts,
//! a calendar line that starts a new entry) and show as nothing on screen.
//!
//! A field is named by a word of the catalogs (`word.organization-name`), so the error is
//! said in its reader's language; in Spanish and French the word carries its article ("el
//! nombre de la organización"), and the `error.text.*` messages put it where any word reads
//! well, whatever its gender or number.

use crate::error::{Error, Result};
use crate::i18n::Said;

/// The longest name or title, in characters, after trimming.
pub const MAX_NAME: usize = 200;
/// The longest note, in characters.
pub const MAX_NOTES: usize = 20_000;

/// Whether `c` may not appear in one line of text: a control character (C0, DEL, C1 —
/// line breaks and tabs among them) or a Unicode line or paragraph separator.
fn breaks_a_line(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// How a refused character is named in an error.
fn describe(c: char) -> Said {
    match c {
        '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' => Said::new("word.line-break"),
        '\t' => Said::new("word.tab"),
        '\0' => Said::new("word.nul-character"),
        _ => Said::new("word.control-character").text("code", format!("U+{:04X}", c as u32)),
    }
}

/// The error `key` for the `what` (a word of the catalogs) of `count` characters, over `max`.
fn too_long(key: &'static str, what: &'static str, count: usize, max: usize) -> Error {
    Error::invalid(Said::new(key).word("what", what).text("count", count).text("max", max))
}

fn one_line(what: &'static str, value: &str) -> Result<()> {
    match value.chars().find(|&c| breaks_a_line(c)) {
        Some(c) => {
            Err(Error::invalid(Said::new("error.text.one-line").word("what", what).said("character", describe(c))))
        }
        None => Ok(()),
    }
}

/// A required name: trimmed, one line, 1 to [`MAX_NAME`] characters. `what` names it in
/// the error: a word of the catalogs (`word.organization-name`).
pub(crate) fn name(what: &'static str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    one_line(what, trimmed)?;
    if trimmed.is_empty() {
        return Err(Error::invalid(Said::new("error.text.empty").word("what", what)));
    }
    let count = trimmed.chars().count();
    if count > MAX_NAME {
        return Err(too_long("error.text.too-long", what, count, MAX_NAME));
    }
    Ok(trimmed.to_string())
}

/// The most characters one letter may carry stacked on it (its combining marks, a
/// conjunct's parts): more is no script's writing but a way to smear a name over others.
const MAX_CLUSTER: usize = 8;

/// A person's name as others in the room see it: a [`name`], and nothing that hides what
/// it says — no format character (Unicode Cf: the bidirectional overrides that turn
/// "Amina" around, zero-width spaces, a byte-order mark), no blank letter (the Hangul
/// filler), no letter smothered in marks. A zero-width joiner or non-joiner stays where
/// writing needs it: between two letters of a script that joins (Persian, Indic) or inside
/// an emoji.
pub(crate) fn person_name(what: &'static str, value: &str) -> Result<String> {
    let name = name(what, value)?;
    let chars: Vec<char> = name.chars().collect();
    for (at, &c) in chars.iter().enumerate() {
        let (before, after) = (at.checked_sub(1).map(|i| chars[i]), chars.get(at + 1).copied());
        let allowed = match c {
            '\u{200c}' | '\u{200d}' => joins_writing(before, after, c == '\u{200d}'),
            '\u{e0020}'..='\u{e007f}' => matches!(before, Some('\u{1f3f4}' | '\u{e0020}'..='\u{e007f}')),
            _ => !is_format(c) && !is_blank_letter(c),
        };
        if !allowed {
            let character = Said::new("word.invisible-character").text("code", format!("U+{:04X}", c as u32));
            return Err(Error::invalid(
                Said::new("error.text.invisible").word("what", what).said("character", character),
            ));
        }
    }
    for cluster in unicode_segmentation::UnicodeSegmentation::graphemes(name.as_str(), true) {
        let marks = cluster.chars().skip(1).filter(|&c| !is_emoji_part(c)).count();
        if marks > MAX_CLUSTER {
            return Err(Error::invalid(Said::new("error.text.too-many-marks").word("what", what)));
        }
    }
    Ok(name)
}

/// Unicode's format characters (general category Cf, Unicode 15.1).
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{891}' | '\u{8e2}'
        | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{110bd}' | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0001}'
        | '\u{e0020}'..='\u{e007f}')
}

/// Letters that draw nothing (Hangul fillers, the blank Braille cell, the combining
/// grapheme joiner): a name of them looks empty, or like another.
fn is_blank_letter(c: char) -> bool {
    matches!(c, '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{2800}' | '\u{3164}' | '\u{ffa0}')
}

/// What an emoji is made of besides its first picture: joiners, variation selectors, skin
/// tones, tags, the keycap, and the pictures joined to it.
fn is_emoji_part(c: char) -> bool {
    matches!(c, '\u{200d}' | '\u{fe0e}' | '\u{fe0f}' | '\u{20e3}' | '\u{1f3fb}'..='\u{1f3ff}' | '\u{e0020}'..='\u{e007f}')
        || is_pictograph(c)
}

fn is_pictograph(c: char) -> bool {
    matches!(c, '\u{2600}'..='\u{27bf}' | '\u{1f000}'..='\u{1faff}')
}

/// Whether a zero-width (non-)joiner between `before` and `after` does a script's work:
/// between two letters beyond Latin (Persian's non-joiner, Indic half forms), or, for the
/// joiner, inside an emoji sequence.
fn joins_writing(before: Option<char>, after: Option<char>, joiner: bool) -> bool {
    let (Some(before), Some(after)) = (before, after) else { return false };
    let letter = |c: char| (c.is_alphabetic() && c as u32 >= 0x370) || is_combining_sign(c);
    let emoji = |c: char| is_pictograph(c) || matches!(c, '\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}');
    (letter(before) && letter(after)) || (joiner && emoji(before) && emoji(after))
}

/// Indic viramas and vowel signs (not alphabetic to Rust), which a joiner may follow.
fn is_combining_sign(c: char) -> bool {
    matches!(c, '\u{900}'..='\u{dff}')
}

/// An optional short text (label, place, person): trimmed, one line, at most [`MAX_NAME`]
/// characters.
pub(crate) fn short(what: &'static str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    one_line(what, trimmed)?;
    let count = trimmed.chars().count();
    if count > MAX_NAME {
        return Err(too_long("error.text.too-long", what, count, MAX_NAME));
    }
    Ok(trimmed.to_string())
}

/// Free notes: kept as typed (only trailing white space dropped; Windows and old Mac line
/// ends become `\n`), at most [`MAX_NOTES`]. Line breaks and tabs are the only control
/// characters allowed.
pub(crate) fn notes(what: &'static str, value: &str) -> Result<String> {
    let kept = value.trim_end().replace("\r\n", "\n").replace('\r', "\n");
    if let Some(c) = kept.chars().find(|&c| breaks_a_line(c) && c != '\n' && c != '\t') {
        return Err(Error::invalid(
            Said::new("error.text.notes-control").word("what", what).said("character", describe(c)),
        ));
    }
    let count = kept.chars().count();
    if count > MAX_NOTES {
        return Err(too_long("error.text.notes-too-long", what, count, MAX_NOTES));
    }
    Ok(kept)
}

/// The longest id a file may give a session, organization, grid, commitment or participant.
pub const MAX_ID: usize = 100;

/// An id read from a file: 1 to [`MAX_ID`] characters of one line, kept exactly as given.
pub(crate) fn id(what: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(Said::new("error.text.id-empty").word("what", what)));
    }
    one_line(what, value)?;
    let count = value.chars().count();
    if count > MAX_ID {
        return Err(too_long("error.text.too-long", what, count, MAX_ID));
    }
    Ok(())
}

/// A colour as `#rrggbb` (lower-cased).
pub(crate) fn colour(value: &str) -> Result<String> {
    let trimmed = value.trim();
    let hex = trimmed.strip_prefix('#').unwrap_or("");
    if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(format!("#{}", hex.to_ascii_lowercase()))
    } else {
        Err(Error::invalid(Said::new("error.text.colour").text("value", trimmed)))
    }
}

/// An optional calendar date `YYYY-MM-DD`; empty means none.
pub(crate) fn date(what: &'static str, value: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(raw, &format) {
        Ok(date) => Ok(Some(date.format(&format).unwrap_or_else(|_| raw.to_string()))),
        Err(_) => Err(Error::invalid(Said::new("error.text.date").word("what", what).text("value", raw))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("word.organization-name", "  Tenants Union ").unwrap(), "Tenants Union");
        assert!(name("word.organization-name", "   ").is_err(), "blank names are refused");
        assert!(name("word.organization-name", &"x".repeat(200)).is_ok(), "200 characters is the limit, allowed");
        assert!(name("word.organization-name", &"x".repeat(201)).is_err(), "201 characters is over the limit");
        assert!(name("word.organization-name", &"é".repeat(200)).is_ok(), "the limit counts characters, not bytes");
    }

    #[test]
    fn names_and_labels_are_one_line_of_printable_text() {
        for bad in [
            "Tenants\nUnion",
            "Tenants\rUnion",
            "A\tB",
            "nul\0here",
            "form\u{c}feed",
            "esc\u{1b}[31m",
            "del\u{7f}",
            "next\u{85}line",
            "line\u{2028}sep",
        ] {
            let error = name("word.organization-name", bad).expect_err(bad);
            assert!(error.to_string().contains("organization name"), "the error names the field: {error}");
            assert!(short("word.place", bad).is_err(), "{bad:?} is refused in a short text too");
        }
        assert!(name("word.organization-name", "Tenants\nUnion").unwrap_err().to_string().contains("line break"));
        assert!(name("word.organization-name", "nul\0here").unwrap_err().to_string().contains("NUL"));
        assert_eq!(
            name("word.organization-name", "Unión de Inquilinos 租户联盟 👩🏽‍🌾").unwrap(),
            "Unión de Inquilinos 租户联盟 👩🏽‍🌾"
        );
        assert_eq!(
            name("word.organization-name", "  trailing newline\n").unwrap(),
            "trailing newline",
            "outer white space is trimmed"
        );
    }

    #[test]
    fn a_person_s_name_hides_nothing() {
        let what = "word.participant-name";
        for bad in [
            "\u{202e}animA", // a right-to-left override turns the name around
            "Ami\u{200b}na", // a zero-width space
            "Ami\u{200c}na", // a non-joiner between Latin letters does nothing visible
            "\u{feff}Amina", // a byte-order mark
            "Amina\u{2066}", // an isolate
            "\u{3164}",      // a Hangul filler: a name that looks empty
            "Am\u{115f}ina",
        ] {
            let error = person_name(what, bad).expect_err(bad);
            assert!(error.to_string().contains("U+"), "the error names the character: {error}");
            assert!(name(what, bad).is_ok() || bad.trim().is_empty(), "only names of people are this strict");
        }
        let zalgo = format!("A{}", "\u{301}".repeat(199));
        assert!(person_name(what, &zalgo).unwrap_err().to_string().contains("marks"), "199 combining marks");
        for good in [
            "Amina",
            "Nguyễn Thị Minh Khai", // Vietnamese: two marks on a letter
            "می\u{200c}خواهم",      // Persian: the non-joiner is spelling
            "क्\u{200d}ष",           // Devanagari: a joiner for a half form
            "Zoë 👩🏽\u{200d}🌾",     // an emoji sequence with a joiner and a skin tone
            "👨\u{200d}👩\u{200d}👧\u{200d}👦 family",
            "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}", // Scotland's flag: tags after the black flag
            "Ама Сарпонг",
        ] {
            assert_eq!(person_name(what, good).unwrap(), good, "{good} is a real name");
        }
    }

    #[test]
    fn notes_keep_line_breaks_and_tabs_only() {
        assert_eq!(notes("word.session-notes", "one\r\ntwo\rthree\n\tfour").unwrap(), "one\ntwo\nthree\n\tfour");
        for bad in ["bell\u{7}", "nul\0", "esc\u{1b}", "vertical\u{b}tab"] {
            let error = notes("word.organization-notes", bad).expect_err(bad);
            assert!(error.to_string().contains("organization notes"), "{error}");
        }
    }

    #[test]
    fn dates_must_be_real() {
        assert_eq!(date("word.session-date", Some("2026-02-28")).unwrap().as_deref(), Some("2026-02-28"));
        assert!(date("word.session-date", Some("2026-02-30")).is_err(), "30 February does not exist");
        assert!(date("word.session-date", Some("tomorrow")).is_err());
        assert_eq!(date("word.session-date", Some("  ")).unwrap(), None, "blank means no date");
    }

    #[test]
    fn colours_are_hex() {
        assert_eq!(colour("#1D3557").unwrap(), "#1d3557");
        assert!(colour("red").is_err());
        assert!(colour("#12345").is_err());
    }
}
