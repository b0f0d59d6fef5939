//! Pages being laid out: text set in the built-in faces and the system's for what they
//! lack (and the glyphs each face needs), wrapped paragraphs, headings that stay with what
//! follows, table rows never split.

use std::collections::BTreeMap;

use pdf_writer::types::SystemInfo;
use pdf_writer::{Content, Name, Str, TextStr};
use subsetter::GlyphRemapper;

use super::super::fonts::{Face, FaceId, Style};
use super::super::shaping::{self, Line, Unprintable};
use super::super::Paper;

pub(super) const MARGIN: f32 = 50.0;
pub(super) const IDENTITY: SystemInfo<'static> =
    SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// The name a page's resources give a face: /F1, /F2, /F3 for the built-in styles, then on.
pub(super) fn resource(face: FaceId) -> String {
    format!("F{}", u32::from(face.0) + 1)
}

/// The glyphs of one face set so far, numbered as in the embedded subset, and the
/// characters each stands for (so text copied out of the PDF reads as typed).
pub(super) struct Glyphs {
    pub(super) face: &'static Face,
    pub(super) remapper: GlyphRemapper,
    pub(super) chars: BTreeMap<u16, String>,
}

impl Glyphs {
    fn new(face: &'static Face) -> Glyphs {
        Glyphs { face, remapper: GlyphRemapper::new(), chars: BTreeMap::new() }
    }

    /// A glyph's number in the subset; remembers what it stands for.
    fn number(&mut self, glyph: u16, chars: &str) -> u16 {
        let number = self.remapper.remap(glyph);
        if glyph != 0 && !chars.is_empty() {
            self.chars.entry(number).or_insert_with(|| chars.to_string());
        }
        number
    }
}

pub(super) fn rgb(colour: &str) -> (f32, f32, f32) {
    let hex = colour.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0;
    (part(0), part(2), part(4))
}

/// The width of `text` at `size` in the face of `style`, in points.
pub(super) fn width(text: &str, style: Style, size: f32) -> f32 {
    shaping::width(text, style) as f32 * size
}

/// Splits `text` into lines no wider than `room` points at `size`; a word wider than a
/// whole line is broken where it must be. Each word is measured once (a line is as wide as
/// its words and spaces), so a long cell of names costs what its words cost.
pub(super) fn wrap(text: &str, style: Style, size: f32, room: f32) -> Vec<String> {
    let space = width(" ", style, size);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let (mut line, mut line_width) = (String::new(), 0.0);
        for word in paragraph.split_whitespace() {
            let word_width = width(word, style, size);
            let wider = if line.is_empty() { word_width } else { line_width + space + word_width };
            if wider <= room {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width = wider;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_width <= room {
                line = word.to_string();
                line_width = word_width;
                continue;
            }
            for c in word.chars() {
                line.push(c);
                if width(&line, style, size) > room && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
            line_width = width(&line, style, size);
        }
        lines.push(line);
    }
    lines
}

/// Glyphs of one run shown at one height.
pub(super) struct Operation {
    face: FaceId,
    /// The run's index in the line, whether it reads right to left, and whether this is
    /// its first and its last operation.
    run: usize,
    rtl: bool,
    first: bool,
    last: bool,
    /// The rise above the baseline, in ems.
    dy: f32,
    items: Vec<Item>,
}

/// A part of a TJ operation: glyph numbers, or a move of the pen.
pub(super) enum Item {
    Show(Vec<u8>),
    Adjust(f32),
}

/// Pages being laid out, top to bottom.
pub(super) struct Layout {
    /// Width and height of a page, in points.
    pub(super) paper: (f32, f32),
    pub(super) pages: Vec<Content>,
    /// Every face used so far, with its glyphs.
    pub(super) glyphs: BTreeMap<FaceId, Glyphs>,
    /// Characters no face has, each with the first text it was in.
    pub(super) missing: Vec<Unprintable>,
    /// The baseline where the next line starts, from the bottom of the page.
    pub(super) y: f32,
}

impl Layout {
    pub(super) fn new(paper: Paper) -> Layout {
        let paper = paper.points();
        Layout { paper, pages: vec![Content::new()], glyphs: BTreeMap::new(), missing: Vec::new(), y: paper.1 - MARGIN }
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
        let line = shaping::set(text, style);
        shaping::note_missing(&line, text, &mut self.missing);
        let operations = self.encode(&line);
        let page = self.page();
        page.begin_text();
        page.set_text_matrix(matrix);
        let mut rise = 0.0;
        for operation in operations {
            // Copied or extracted, a shaped left-to-right run whose glyphs are out of reading
            // order (a Devanagari vowel drawn before its consonant) reads as typed.
            // Right-to-left runs are left to the readers' own bidirectional algorithm,
            // which reverses them (pdftotext does).
            let actual = line.shaped && !operation.rtl && operation.first;
            if actual {
                let text = &line.runs[operation.run].text;
                page.begin_marked_content_with_properties(Name(b"Span")).properties().actual_text(TextStr(text));
            }
            let name = resource(operation.face);
            page.set_font(Name(name.as_bytes()), size);
            if operation.dy != rise {
                page.set_rise(operation.dy * size);
                rise = operation.dy;
            }
            match operation.items.as_slice() {
                [Item::Show(bytes)] => {
                    page.show(Str(bytes));
                }
                items => {
                    let mut positioned = page.show_positioned();
                    let mut out = positioned.items();
                    for item in items {
                        match item {
                            Item::Show(bytes) => out.show(Str(bytes)),
                            Item::Adjust(amount) => out.adjust(*amount),
                        };
                    }
                }
            }
            if line.shaped && !operation.rtl && operation.last {
                page.end_marked_content();
            }
        }
        if rise != 0.0 {
            page.set_rise(0.0);
        }
        page.end_text();
    }

    /// The line as text-showing operations: per run and vertical offset, its glyph numbers
    /// with the moves that put each where the shaper placed it.
    fn encode(&mut self, line: &Line) -> Vec<Operation> {
        let mut operations: Vec<Operation> = Vec::new();
        // Where the shaper puts the pen, and where the PDF's own advances put it, in ems.
        let (mut pen, mut drawn) = (0.0f32, 0.0f32);
        for (index, run) in line.runs.iter().enumerate() {
            let face = run.face;
            let glyphs = self.glyphs.entry(face.id).or_insert_with(|| Glyphs::new(face));
            let first = operations.len();
            for glyph in &run.glyphs {
                let number = glyphs.number(glyph.id, &glyph.chars);
                let start = match operations.last() {
                    Some(last) => last.run != index || last.dy != glyph.dy,
                    None => true,
                };
                if start {
                    operations.push(Operation {
                        face: face.id,
                        run: index,
                        rtl: run.rtl,
                        dy: glyph.dy,
                        first: operations.len() == first,
                        last: false,
                        items: Vec::new(),
                    });
                }
                // Cannot fail: when there was no operation, one was pushed just above.
                let items = &mut operations.last_mut().expect("an operation was just started").items;
                let target = pen + glyph.dx;
                if (target - drawn).abs() > 1e-4 {
                    // TJ's numbers move the pen back, in thousandths of an em.
                    items.push(Item::Adjust(-(target - drawn) * 1000.0));
                }
                match items.last_mut() {
                    Some(Item::Show(bytes)) => bytes.extend_from_slice(&number.to_be_bytes()),
                    _ => items.push(Item::Show(number.to_be_bytes().to_vec())),
                }
                drawn = target + face.advance(glyph.id);
                pen += glyph.advance;
            }
            if let Some(last) = operations.get_mut(first..).and_then(|ops| ops.last_mut()) {
                last.last = true;
            }
        }
        operations
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
