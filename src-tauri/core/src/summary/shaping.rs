//! A line of text set for the drawn exports: each character in a face that has it (see
//! [`super::fonts`]), the line put in display order by the Unicode bidirectional algorithm
//! (Arabic and Hebrew read right to left, numbers and Latin inside them left to right), and
//! each run shaped by HarfRust (Arabic letters joined, Devanagari conjuncts, marks placed,
//! emoji sequences). Text the built-in face sets glyph by glyph — Latin, Greek, Cyrillic and
//! the summary's symbols — skips the shaper, so the common case stays as fast as it was.

use unicode_bidi::BidiInfo;

use super::fonts::{self, Face, Style};
use crate::i18n::{self, Lang};

/// One glyph as placed: its advance and offsets in ems.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    pub id: u16,
    pub advance: f32,
    pub dx: f32,
    pub dy: f32,
    /// The characters it draws (several for a ligature; none for the second glyph of one).
    pub chars: String,
}

/// Glyphs of one face, left to right.
#[derive(Debug, Clone)]
pub struct Run {
    pub face: &'static Face,
    pub glyphs: Vec<Glyph>,
    /// Whether it reads right to left (its glyphs are in the reverse of reading order).
    pub rtl: bool,
    /// Its text, in reading order.
    pub text: String,
}

/// A line set for drawing.
#[derive(Debug, Clone)]
pub struct Line {
    /// The runs, left to right as drawn.
    pub runs: Vec<Run>,
    /// The width, in ems.
    pub width: f32,
    /// The text drawn, in reading (logical) order.
    pub text: String,
    /// Characters no face has: left out, and reported.
    pub missing: Vec<char>,
    /// Whether it went through the shaper or the bidirectional algorithm (then the order
    /// of its glyphs is not the order of its characters).
    pub shaped: bool,
}

/// A character no face of this computer has, and the first text it was in: left out of a
/// PDF or PNG, and said in the export's notice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Unprintable {
    #[ts(type = "string")]
    pub character: char,
    /// The organization's name it is in (else the line of text).
    pub text: String,
}

/// Adds the characters of `line` that no face has to `found`, each once.
pub fn note_missing(line: &Line, text: &str, found: &mut Vec<Unprintable>) {
    for c in &line.missing {
        if !found.iter().any(|u| u.character == *c) {
            found.push(Unprintable { character: *c, text: text.to_string() });
        }
    }
}

/// Names each character after the first of `names` that holds it (an organization's name
/// rather than the wrapped line of a table it was in).
pub fn attribute<'a>(unprintable: &mut [Unprintable], names: impl Iterator<Item = &'a str> + Clone) {
    for u in unprintable {
        if let Some(name) = names.clone().find(|name| name.contains(u.character)) {
            u.text = name.to_string();
        }
    }
}

/// What an export says of the characters it left out, if any, in `lang`.
pub fn notice(unprintable: &[Unprintable], lang: Lang) -> Option<String> {
    let listed: Vec<String> = unprintable
        .iter()
        .take(5)
        .map(|u| {
            let code = format!("U+{:04X}", u32::from(u.character));
            let args = [("character", u.character.to_string()), ("code", code), ("name", u.text.clone())];
            i18n::message(lang, "export.unprintable-character", &args)
        })
        .collect();
    if listed.is_empty() {
        return None;
    }
    let mut characters = listed.join("; ");
    if unprintable.len() > listed.len() {
        let more = (unprintable.len() - listed.len()).to_string();
        characters = i18n::message(lang, "export.unprintable-more", &[("list", characters), ("count", more)]);
    }
    Some(i18n::message(lang, "export.unprintable", &[("characters", characters)]))
}

/// Whether the built-in face sets `text` glyph by glyph: scripts without joining,
/// reordering or marks to place, every character in the face.
fn simple(text: &str, face: &Face) -> bool {
    text.chars().all(|c| {
        let c = fonts::shown(c);
        let plain = c < '\u{0300}'
            || ('\u{0370}'..'\u{0590}').contains(&c)
            || ('\u{2010}'..'\u{2060}').contains(&c)
            || ('\u{20a0}'..'\u{2bff}').contains(&c);
        plain && face.has(c)
    })
}

/// Characters that go with the one before them, in its face: combining marks, joiners,
/// variation selectors, emoji skin tones and tags.
fn joins_previous(c: char) -> bool {
    matches!(unicode_bidi::bidi_class(c), unicode_bidi::BidiClass::NSM)
        || matches!(c, '\u{200c}' | '\u{200d}' | '\u{fe00}'..='\u{fe0f}' | '\u{1f3fb}'..='\u{1f3ff}'
            | '\u{e0020}'..='\u{e007f}' | '\u{e0100}'..='\u{e01ef}')
}

/// Characters that draw nothing: left out quietly when no face has them.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{00ad}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
            | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{e0000}'..='\u{e0fff}')
}

/// The width of `text` set at size 1 in `style`, in ems.
pub fn width(text: &str, style: Style) -> f64 {
    let face = fonts::face(style);
    if simple(text, face) {
        face.width(text)
    } else {
        f64::from(set(text, style).width)
    }
}

/// `text` set as one line in `style` (line breaks and tabs as spaces).
pub fn set(text: &str, style: Style) -> Line {
    let base = fonts::face(style);
    let text: String = text.chars().map(fonts::shown).collect();
    if simple(&text, base) {
        let glyphs: Vec<Glyph> = text
            .chars()
            .map(|c| {
                let id = base.glyph(c);
                Glyph { id, advance: base.advance(id), dx: 0.0, dy: 0.0, chars: c.to_string() }
            })
            .collect();
        let width = glyphs.iter().map(|g| g.advance).sum();
        return Line {
            runs: vec![Run { face: base, glyphs, rtl: false, text: text.clone() }],
            width,
            text,
            missing: Vec::new(),
            shaped: false,
        };
    }

    let Assigned { kept, faces, mut missing } = assign(&text, style);
    let face_at = |byte: usize| -> &'static Face {
        let i = faces.partition_point(|(start, _)| *start <= byte);
        faces.get(i.wrapping_sub(1)).map_or(base, |(_, face)| *face)
    };

    let mut runs = Vec::new();
    // The summary reads left to right in all its languages: a line that starts with a
    // Hebrew name in a list of names is still a left-to-right line.
    let bidi = BidiInfo::new(&kept, Some(unicode_bidi::Level::ltr()));
    for paragraph in &bidi.paragraphs {
        let (levels, visual) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for range in visual {
            let rtl = levels[range.start].is_rtl();
            // The run's stretches of one face, in reading order, then as drawn.
            let mut pieces: Vec<(usize, usize, &'static Face)> = Vec::new();
            for (offset, _) in kept[range.clone()].char_indices() {
                let at = range.start + offset;
                let face = face_at(at);
                match pieces.last_mut() {
                    Some((_, end, last)) if std::ptr::eq(*last, face) => *end = at,
                    _ => pieces.push((at, at, face)),
                }
            }
            for piece in pieces.iter_mut() {
                let next = kept[piece.1..].chars().next().map_or(0, char::len_utf8);
                piece.1 += next;
            }
            if rtl {
                pieces.reverse();
            }
            for (start, end, face) in pieces {
                runs.push(shape(&kept[start..end], face, rtl, &mut missing));
            }
        }
    }
    let width = runs.iter().flat_map(|run| &run.glyphs).map(|g| g.advance).sum();
    Line { runs, width, text: kept, missing, shaped: true }
}

/// The characters of a text each given the face that sets it.
struct Assigned {
    /// The text without the characters no face has.
    kept: String,
    /// Where each stretch of one face starts in `kept`, in bytes.
    faces: Vec<(usize, &'static Face)>,
    missing: Vec<char>,
}

/// Gives each character of `text` its face: the built-in face of `style` where it has the
/// character, else the system's first that has it; a mark or joiner stays with the
/// character before it.
fn assign(text: &str, style: Style) -> Assigned {
    let base = fonts::face(style);
    let mut kept = String::with_capacity(text.len());
    let mut faces: Vec<(usize, &'static Face)> = Vec::new();
    let mut missing = Vec::new();
    let mut previous: Option<&'static Face> = None;
    for c in text.chars() {
        let face = match previous {
            Some(face) if joins_previous(c) && (face.has(c) || invisible(c)) => Some(face),
            _ if base.has(c) => Some(base),
            _ => fonts::fallback(c, style).or(if invisible(c) { previous.or(Some(base)) } else { None }),
        };
        match face {
            Some(face) => {
                if !previous.is_some_and(|p| std::ptr::eq(p, face)) {
                    faces.push((kept.len(), face));
                }
                kept.push(c);
                previous = Some(face);
            }
            None => {
                if !invisible(c) && !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
    }
    Assigned { kept, faces, missing }
}

/// `text` (line breaks as spaces, characters no face has left out) in stretches of one
/// face, in reading order: how a picture names the face of each part of a text.
pub fn stretches(text: &str, style: Style) -> Vec<(String, &'static Face)> {
    let text: String = text.chars().map(fonts::shown).collect();
    let Assigned { kept, faces, .. } = assign(&text, style);
    let mut out = Vec::with_capacity(faces.len());
    for (n, (start, face)) in faces.iter().enumerate() {
        let end = faces.get(n + 1).map_or(kept.len(), |(next, _)| *next);
        out.push((kept[*start..end].to_string(), *face));
    }
    out
}

/// One stretch of text in one face and one direction, shaped.
fn shape(text: &str, face: &'static Face, rtl: bool, missing: &mut Vec<char>) -> Run {
    let Some((font, data)) = face.shaper() else {
        return Run { face, glyphs: Vec::new(), rtl, text: text.to_string() };
    };
    let shaper = data.shaper(&font).build();
    let mut buffer = harfrust::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl { harfrust::Direction::RightToLeft } else { harfrust::Direction::LeftToRight });
    buffer.guess_segment_properties();
    let (direction, script) = (buffer.direction(), buffer.script());
    let plan = face.plan(rtl, script, || harfrust::ShapePlan::new(&shaper, direction, Some(script), None, &[]));
    let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new().plan(Some(&plan)));
    let em = face.units_per_em();
    let (infos, positions) = (shaped.glyph_infos(), shaped.glyph_positions());
    let mut glyphs = Vec::with_capacity(infos.len());
    for (i, (info, position)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster as usize;
        // A cluster's characters run to the next cluster's start in reading order.
        let next = if rtl { i.checked_sub(1) } else { Some(i + 1) };
        let end = next.and_then(|n| infos.get(n)).map_or(text.len(), |n| n.cluster as usize);
        let chars = if end > start { text.get(start..end).unwrap_or("") } else { "" };
        // The glyph number is at most 65,535 (HarfRust's guarantee).
        let id = u16::try_from(info.glyph_id).unwrap_or(0);
        if id == 0 {
            missing.extend(chars.chars().filter(|c| !invisible(*c) && !missing.contains(c)).collect::<Vec<_>>());
        }
        glyphs.push(Glyph {
            id,
            advance: position.x_advance as f32 / em,
            dx: position.x_offset as f32 / em,
            dy: position.y_offset as f32 / em,
            chars: chars.to_string(),
        });
    }
    Run { face, glyphs, rtl, text: text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text_is_set_glyph_by_glyph_in_the_built_in_face() {
        let line = set("Riverside Tenants Union — ★", Style::Regular);
        assert!(!line.shaped);
        assert_eq!(line.runs.len(), 1);
        assert_eq!(line.runs[0].face.id, fonts::face(Style::Regular).id);
        assert!(
            (f64::from(line.width) - fonts::face(Style::Regular).width("Riverside Tenants Union — ★")).abs() < 1e-4
        );
    }

    #[test]
    fn hebrew_is_drawn_right_to_left_with_its_number_left_to_right() {
        // "ועד 12": the Hebrew reads right to left; the number after it is drawn to its
        // left, its digits in their order.
        let line = set("ועד 12", Style::Regular);
        assert!(line.shaped);
        let drawn: String = line.runs.iter().flat_map(|r| &r.glyphs).map(|g| g.chars.as_str()).collect();
        assert_eq!(drawn, "12 דעו");
        assert_eq!(line.text, "ועד 12", "the text is kept in reading order");
    }

    #[test]
    fn a_character_no_face_has_is_left_out_and_noted() {
        // U+0378 is not a character of any script: no font draws it.
        let line = set("Union \u{378}Sur", Style::Bold);
        assert_eq!(line.missing, ['\u{378}']);
        assert_eq!(line.text, "Union Sur");
        assert!(line.runs.iter().flat_map(|r| &r.glyphs).all(|g| g.id != 0), "no box is drawn");
        let mut found = Vec::new();
        note_missing(&line, "Union \u{378}Sur", &mut found);
        note_missing(&line, "again \u{378}", &mut found);
        assert_eq!(found.len(), 1, "each character is noted once");
        let notice = notice(&found, Lang::En).expect("a notice");
        assert!(notice.contains("(U+0378) in “Union \u{378}Sur”"), "{notice}");
        let spanish = super::notice(&found, Lang::Es).expect("a notice");
        assert!(spanish.contains("(U+0378) en «Union \u{378}Sur»"), "{spanish}");
        assert_eq!(super::notice(&[], Lang::En), None);
    }

    /// Writes the notice for one, five and seven characters in each language beside the
    /// generated types: the window says it itself (ui/src/lib/exportNotice.ts) from the same
    /// catalogs, and its test checks that it says exactly this.
    #[test]
    fn export_notice_samples() {
        let list = |n: u32| -> Vec<Unprintable> {
            (0..n)
                .map(|i| Unprintable {
                    character: char::from_u32(0x378 + i).unwrap_or('?'),
                    text: format!("Union {i}"),
                })
                .collect()
        };
        let mut samples = Vec::new();
        for lang in Lang::ALL {
            for n in [1, 5, 7] {
                let unprintable = list(n);
                samples.push(serde_json::json!({"lang": lang.code(), "unprintable": unprintable, "text": notice(&unprintable, lang)}));
            }
        }
        let folder = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "bindings".into());
        std::fs::create_dir_all(&folder).unwrap();
        let text = serde_json::to_string_pretty(&samples).unwrap() + "\n";
        std::fs::write(std::path::Path::new(&folder).join("notice-samples.json"), text).unwrap();
    }

    #[test]
    fn arabic_letters_are_joined() {
        let line = set("جمعية", Style::Regular);
        let face = line.runs[0].face;
        // Joined, the letters take other glyphs than their isolated forms.
        let isolated: Vec<u16> = "جمعية".chars().rev().map(|c| face.glyph(c)).collect();
        let shaped: Vec<u16> = line.runs.iter().flat_map(|r| &r.glyphs).map(|g| g.id).collect();
        assert_ne!(shaped, isolated);
        assert!(shaped.iter().all(|g| *g != 0));
    }
}
