//! Text drawn as the outlines of its glyphs, set exactly as the PDF sets it (see
//! [`super::shaping`]): how the PNG pictures draw their text, so they use the same faces,
//! the same shaping and the same order of right-to-left text, with no font lookup of
//! their own.

use std::fmt::Write;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::drawing::Anchor;
use super::fonts::Style;
use super::shaping;

/// SVG path data, in the picture's units, for what a pen draws at an offset (y down).
struct SvgPen<'a> {
    d: &'a mut String,
    x: f32,
    y: f32,
}

impl OutlinePen for SvgPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.d, "M{:.1} {:.1}", self.x + x, self.y - y);
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let _ = write!(self.d, "L{:.1} {:.1}", self.x + x, self.y - y);
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let _ = write!(self.d, "Q{:.1} {:.1} {:.1} {:.1}", self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let _ = write!(
            self.d,
            "C{:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            self.x + cx0,
            self.y - cy0,
            self.x + cx1,
            self.y - cy1,
            self.x + x,
            self.y - y
        );
    }

    fn close(&mut self) {
        self.d.push('Z');
    }
}

/// The path of `text` at `size`, placed against the origin as `anchor` says, its baseline
/// on the origin (or, if `centred`, its middle: the baseline 0.35 em below, as the PDF
/// places it). Characters no face has are left out.
pub fn text_path(text: &str, bold: bool, size: f64, anchor: Anchor, centred: bool) -> String {
    let line = shaping::set(text, Style::of(bold));
    let size = size as f32;
    let width = line.width * size;
    let mut pen_x = match anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => -width / 2.0,
        Anchor::End => -width,
    };
    let baseline = if centred { size * 0.35 } else { 0.0 };
    let mut d = String::new();
    for run in &line.runs {
        let Ok(font) = FontRef::from_index(run.face.data, run.face.index) else {
            pen_x += run.glyphs.iter().map(|g| g.advance * size).sum::<f32>();
            continue;
        };
        let outlines = font.outline_glyphs();
        let settings = || DrawSettings::unhinted(Size::new(size), LocationRef::default());
        for glyph in &run.glyphs {
            if let Some(outline) = outlines.get(GlyphId::new(u32::from(glyph.id))) {
                let mut pen = SvgPen { d: &mut d, x: pen_x + glyph.dx * size, y: baseline - glyph.dy * size };
                // A glyph that cannot be drawn is left out; the others still are.
                let _ = outline.draw(settings(), &mut pen);
            }
            pen_x += glyph.advance * size;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_drawn_where_it_is_anchored() {
        let numbers = |d: &str| -> Vec<f32> {
            d.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter_map(|n| n.parse().ok()).collect()
        };
        let xs = |d: &str| numbers(d).chunks(2).map(|p| p[0]).collect::<Vec<f32>>();
        let start = text_path("Union", true, 20.0, Anchor::Start, false);
        let end = text_path("Union", true, 20.0, Anchor::End, false);
        assert!(!start.is_empty());
        let (min, max) = (
            |v: Vec<f32>| v.into_iter().fold(f32::MAX, f32::min),
            |v: Vec<f32>| v.into_iter().fold(f32::MIN, f32::max),
        );
        assert!(min(xs(&start)) >= 0.0 && max(xs(&end)) <= 0.5, "start begins at the origin, end ends there");
        let width = shaping::width("Union", Style::Bold) as f32 * 20.0;
        assert!((max(xs(&start)) - width).abs() < 3.0, "the text is as wide as it is set");
        assert!((min(xs(&end)) + width).abs() < 3.0);
        assert_eq!(text_path("\u{378}", false, 20.0, Anchor::Start, false), "", "nothing is drawn for no face");
    }
}
