//! Pages being laid out: text set in the built-in faces (and the glyphs each face needs),
//! wrapped paragraphs, headings that stay with what follows, table rows never split.

use pdf_writer::types::SystemInfo;
use pdf_writer::{Content, Name, Str};
use subsetter::GlyphRemapper;

use super::super::fonts::{self, Style};
use super::super::Paper;

pub(super) const MARGIN: f32 = 50.0;
pub(super) const IDENTITY: SystemInfo<'static> =
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// The name a page's resources give the face of `style`.
pub(super) fn resource(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F1"),
        Style::Bold => Name(b"F2"),
        Style::Italic => Name(b"F3"),
    }
}

pub(super) fn index(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Bold => 1,
        Style::Italic => 2,
    }
}

/// The glyphs of one face set so far, numbered as in the embedded subset, and the
/// character each stands for (so text copied out of the PDF reads as typed).
#[derive(Default)]
pub(super) struct Glyphs {
    pub(super) remapper: GlyphRemapper,
    pub(super) chars: std::collections::BTreeMap<u16, char>,
}

impl Glyphs {
    /// `text` as the two-byte glyph numbers the page shows.
    fn encode(&mut self, style: Style, text: &str) -> Vec<u8> {
        let face = fonts::face(style);
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars().map(fonts::shown) {
            let glyph = face.glyph(c);
            let number = self.remapper.remap(glyph);
            if glyph != 0 {
                self.chars.entry(number).or_insert(c);
            }
            out.extend_from_slice(&number.to_be_bytes());
        }
        out
    }
}

pub(super) fn rgb(colour: &str) -> (f32, f32, f32) {
    let hex = colour.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0;
    (part(0), part(2), part(4))
}

/// The width of `text` at `size` in the face of `style`, in points.
pub(super) fn width(text: &str, style: Style, size: f32) -> f32 {
    fonts::face(style).width(text) as f32 * size
}

/// Splits `text` into lines no wider than `room` points at `size`; a word wider than a
/// whole line is broken where it must be.
pub(super) fn wrap(text: &str, style: Style, size: f32, room: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if width(&candidate, style, size) <= room {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if width(&line, style, size) > room && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Pages being laid out, top to bottom.
pub(super) struct Layout {
    /// Width and height of a page, in points.
    pub(super) paper: (f32, f32),
    pub(super) pages: Vec<Content>,
    pub(super) glyphs: [Glyphs; 3],
    /// The baseline where the next line starts, from the bottom of the page.
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new(paper: Paper) -> Layout {
        let paper = paper.points();
        Layout { paper, pages: vec![Content::new()], glyphs: Default::default(), y: paper.1 - MARGIN }
    }

    /// The width between the margins.
    pub(super) fn measure(&self) -> f32 {
        self.paper.0 - 2.0 * MARGIN
    }

    pub(super) fn page(&mut self) -> &mut Content {
        // There is always at least the first page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub(super) fn keep(&mut self, height: f32) {
        let top = self.paper.1 - MARGIN;
        if self.y - height < MARGIN && self.y < top {
            self.pages.push(Content::new());
            self.y = top;
        }
    }

    /// Shows `text` with the text matrix `matrix` (which places and turns it).
    pub(super) fn show(&mut self, matrix: [f32; 6], style: Style, size: f32, text: &str) {
        let encoded = self.glyphs[index(style)].encode(style, text);
        let page = self.page();
        page.begin_text();
        page.set_font(resource(style), size);
        page.set_text_matrix(matrix);
        page.show(Str(&encoded));
        page.end_text();
    }

    pub(super) fn text_at(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        self.show([1.0, 0.0, 0.0, 1.0, x, y], style, size, text);
    }

    /// A paragraph, wrapped to the page, that may continue on the next page.
    pub(super) fn paragraph(&mut self, text: &str, style: Style, size: f32, indent: f32) {
        for line in wrap(text, style, size, self.measure() - indent) {
            self.keep(size * 1.35);
            self.y -= size * 1.35;
            let y = self.y;
            self.text_at(MARGIN + indent, y, style, size, &line);
        }
    }

    pub(super) fn heading(&mut self, text: &str, size: f32, rule: bool) {
        // A heading stays with at least a little of what follows it.
        self.keep(size * 2.0 + 60.0);
        self.y -= size * 0.8;
        self.paragraph(text, Style::Bold, size, 0.0);
        if rule {
            self.y -= 4.0;
            let (y, right) = (self.y, self.paper.0 - MARGIN);
            let page = self.page();
            page.set_line_width(1.2);
            page.set_stroke_rgb(0.0, 0.0, 0.0);
            page.move_to(MARGIN, y);
            page.line_to(right, y);
            page.stroke();
        }
        self.y -= 6.0;
    }

    /// A table row: cells wrapped in their columns. A row is never split across pages,
    /// unless it is taller than a whole page.
    pub(super) fn row(&mut self, cells: &[(&str, f32)], size: f32, bold: bool) {
        let style = Style::of(bold);
        let wrapped: Vec<Vec<String>> =
            cells.iter().map(|(text, width)| wrap(text, style, size, width - 8.0)).collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let leading = size * 1.3;
        let per_page = (((self.paper.1 - 2.0 * MARGIN - 6.0) / leading).floor() as usize).max(1);
        for first in (0..lines).step_by(per_page) {
            let count = per_page.min(lines - first);
            let height = count as f32 * leading + 6.0;
            self.keep(height);
            let top = self.y;
            let mut x = MARGIN;
            for ((_, width), cell) in cells.iter().zip(&wrapped) {
                for (n, line) in cell.iter().enumerate().skip(first).take(count) {
                    let baseline = top - 3.0 - size - leading * (n - first) as f32;
                    self.text_at(x + 4.0, baseline, style, size, line);
                }
                x += width;
            }
            let page = self.page();
            page.set_line_width(0.6);
            page.set_stroke_rgb(0.35, 0.35, 0.35);
            page.rect(MARGIN, top - height, x - MARGIN, height);
            page.stroke();
            self.y = top - height;
        }
    }
}
