//! The summary as PDF, written directly with `pdf-writer` (no browser): A4 or Letter pages
//! set in the built-in DejaVu Sans (embedded as a subset of the glyphs used, so names in
//! any script the face covers print as typed and copy out as text), each grid drawn as
//! vectors from [`super::drawing`], tables whose rows never split across pages.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use super::drawing::{draw, Anchor, Shape, HEIGHT, WIDTH};
use super::fonts::{self, Style};
use super::{kind_label, marked_name, status_label, Paper, Summary};
use crate::error::{Error, Result};

const MARGIN: f32 = 50.0;
const IDENTITY: SystemInfo<'static> = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };

/// The name a page's resources give the face of `style`.
fn resource(style: Style) -> Name<'static> {
    match style {
        Style::Regular => Name(b"F1"),
        Style::Bold => Name(b"F2"),
        Style::Italic => Name(b"F3"),
    }
}

fn index(style: Style) -> usize {
    match style {
        Style::Regular => 0,
        Style::Bold => 1,
        Style::Italic => 2,
    }
}

/// The glyphs of one face set so far, numbered as in the embedded subset, and the
/// character each stands for (so text copied out of the PDF reads as typed).
#[derive(Default)]
struct Glyphs {
    remapper: GlyphRemapper,
    chars: std::collections::BTreeMap<u16, char>,
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

fn rgb(colour: &str) -> (f32, f32, f32) {
    let hex = colour.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0;
    (part(0), part(2), part(4))
}

/// The width of `text` at `size` in the face of `style`, in points.
fn width(text: &str, style: Style, size: f32) -> f32 {
    fonts::face(style).width(text) as f32 * size
}

/// Splits `text` into lines no wider than `room` points at `size`; a word wider than a
/// whole line is broken where it must be.
fn wrap(text: &str, style: Style, size: f32, room: f32) -> Vec<String> {
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
struct Layout {
    /// Width and height of a page, in points.
    paper: (f32, f32),
    pages: Vec<Content>,
    glyphs: [Glyphs; 3],
    /// The baseline where the next line starts, from the bottom of the page.
    y: f32,
}

impl Layout {
    fn new(paper: Paper) -> Layout {
        let paper = paper.points();
        Layout { paper, pages: vec![Content::new()], glyphs: Default::default(), y: paper.1 - MARGIN }
    }

    /// The width between the margins.
    fn measure(&self) -> f32 {
        self.paper.0 - 2.0 * MARGIN
    }

    fn page(&mut self) -> &mut Content {
        // There is always at least the first page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn keep(&mut self, height: f32) {
        let top = self.paper.1 - MARGIN;
        if self.y - height < MARGIN && self.y < top {
            self.pages.push(Content::new());
            self.y = top;
        }
    }

    /// Shows `text` with the text matrix `matrix` (which places and turns it).
    fn show(&mut self, matrix: [f32; 6], style: Style, size: f32, text: &str) {
        let encoded = self.glyphs[index(style)].encode(style, text);
        let page = self.page();
        page.begin_text();
        page.set_font(resource(style), size);
        page.set_text_matrix(matrix);
        page.show(Str(&encoded));
        page.end_text();
    }

    fn text_at(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        self.show([1.0, 0.0, 0.0, 1.0, x, y], style, size, text);
    }

    /// A paragraph, wrapped to the page, that may continue on the next page.
    fn paragraph(&mut self, text: &str, style: Style, size: f32, indent: f32) {
        for line in wrap(text, style, size, self.measure() - indent) {
            self.keep(size * 1.35);
            self.y -= size * 1.35;
            let y = self.y;
            self.text_at(MARGIN + indent, y, style, size, &line);
        }
    }

    fn heading(&mut self, text: &str, size: f32, rule: bool) {
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
    fn row(&mut self, cells: &[(&str, f32)], size: f32, bold: bool) {
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

    /// A grid drawn to the width of the page, kept whole on one page.
    fn grid(&mut self, shapes: &[Shape]) {
        let scale = self.measure() / WIDTH as f32;
        let height = HEIGHT as f32 * scale;
        self.keep(height + 10.0);
        let top = self.y - 4.0;
        let at = |x: f64, y: f64| (MARGIN + x as f32 * scale, top - y as f32 * scale);
        for shape in shapes {
            match shape {
                Shape::Rect { x, y, w, h, fill, stroke } => {
                    let (px, py) = at(*x, *y + *h);
                    let page = self.page();
                    page.rect(px, py, *w as f32 * scale, *h as f32 * scale);
                    match (fill, stroke) {
                        (Some(f), _) => {
                            let (r, g, b) = rgb(f);
                            page.set_fill_rgb(r, g, b);
                            page.fill_nonzero();
                        }
                        (None, Some((c, line))) => {
                            let (r, g, b) = rgb(c);
                            page.set_stroke_rgb(r, g, b);
                            page.set_line_width(*line as f32 * scale);
                            page.stroke();
                        }
                        (None, None) => {
                            page.stroke();
                        }
                    }
                }
                Shape::Line { x1, y1, x2, y2, width } => {
                    let (ax, ay) = at(*x1, *y1);
                    let (bx, by) = at(*x2, *y2);
                    let page = self.page();
                    page.set_stroke_rgb(0.12, 0.16, 0.22);
                    page.set_line_width(*width as f32 * scale);
                    page.move_to(ax, ay);
                    page.line_to(bx, by);
                    page.stroke();
                }
                Shape::Polygon { points, fill } => {
                    let (r, g, b) = rgb(fill);
                    let mapped: Vec<(f32, f32)> = points.iter().map(|(x, y)| at(*x, *y)).collect();
                    let page = self.page();
                    page.set_fill_rgb(r, g, b);
                    if let Some((first, rest)) = mapped.split_first() {
                        page.move_to(first.0, first.1);
                        for p in rest {
                            page.line_to(p.0, p.1);
                        }
                        page.close_path();
                        page.fill_nonzero();
                    }
                }
                Shape::Text { x, y, size, bold, grey, anchor, vertical, centred, text } => {
                    let style = Style::of(*bold);
                    let size = *size as f32 * scale;
                    let advance = width(text, style, size);
                    let shift = match anchor {
                        Anchor::Start => 0.0,
                        Anchor::Middle => advance / 2.0,
                        Anchor::End => advance,
                    };
                    let (px, py) = at(*x, *y);
                    let drop = if *centred { size * 0.35 } else { 0.0 };
                    let grey_level = if *grey { 0.42 } else { 0.07 };
                    self.page().set_fill_rgb(grey_level, grey_level, grey_level + 0.03);
                    let matrix = if *vertical {
                        [0.0, 1.0, -1.0, 0.0, px + drop, py - shift]
                    } else {
                        [1.0, 0.0, 0.0, 1.0, px - shift, py - drop]
                    };
                    self.show(matrix, style, size, text);
                    self.page().set_fill_rgb(0.0, 0.0, 0.0);
                }
                Shape::Card(card) => {
                    let (px, py) = at(card.x, card.y + card.h);
                    let (w, h) = (card.w as f32 * scale, card.h as f32 * scale);
                    let (r, g, b) = rgb(&card.colour);
                    let size = 18.0 * scale;
                    let advance = width(&card.label, Style::Bold, size);
                    let page = self.page();
                    page.set_fill_rgb(1.0, 1.0, 1.0);
                    page.set_stroke_rgb(0.12, 0.16, 0.22);
                    page.set_line_width(1.0);
                    page.rect(px, py, w, h);
                    page.fill_nonzero_and_stroke();
                    // The heavier bottom edge, as the window draws a card.
                    page.set_line_width(4.0 * scale);
                    page.move_to(px, py);
                    page.line_to(px + w, py);
                    page.stroke();
                    page.set_fill_rgb(r, g, b);
                    page.rect(px, py, 8.0 * scale, h);
                    page.fill_nonzero();
                    page.set_fill_rgb(0.07, 0.07, 0.1);
                    let origin = (px + (w - advance) / 2.0 + 2.0 * scale, py + h / 2.0 - size * 0.35);
                    self.show([1.0, 0.0, 0.0, 1.0, origin.0, origin.1], Style::Bold, size, &card.label);
                    self.page().set_fill_rgb(0.0, 0.0, 0.0);
                }
            }
        }
        self.y = top - height - 8.0;
    }
}

/// The summary as a PDF document.
pub fn to_pdf(summary: &Summary, paper: Paper) -> Result<Vec<u8>> {
    let s = &summary.session;
    let mut layout = Layout::new(paper);
    layout.y -= 6.0;
    layout.paragraph(&s.title, Style::Bold, 20.0, 0.0);
    let facts: Vec<String> = summary.facts().iter().map(|(label, value)| format!("{label}: {value}")).collect();
    if !facts.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&facts.join("  ·  "), Style::Regular, 11.0, 0.0);
    }
    if !s.question.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&s.question, Style::Italic, 12.0, 10.0);
    }
    if !summary.participants.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(
            &format!("Participants: {}", summary.participant_lines().join(", ")),
            Style::Regular,
            10.5,
            0.0,
        );
    }
    let content = layout.measure();
    let picture_height = content * (HEIGHT / WIDTH) as f32;
    for grid in &summary.grids {
        // A grid's heading goes on the page of its picture.
        layout.keep(picture_height + 60.0);
        layout.heading(&format!("{} — {}", grid.grid.title, kind_label(grid.grid.kind)), 14.0, true);
        layout.grid(&draw(grid));
        layout.row(&[("Region", 150.0), ("Organizations", content - 150.0)], 10.0, true);
        for region in &grid.regions {
            let names: Vec<String> = region.organizations.iter().map(marked_name).collect();
            let shown = if names.is_empty() { "—".to_string() } else { names.join(", ") };
            layout.row(&[(region.name.as_str(), 150.0), (shown.as_str(), content - 150.0)], 10.0, false);
        }
        if !grid.unplaced.is_empty() {
            let names: Vec<String> = grid.unplaced.iter().map(marked_name).collect();
            layout.row(&[("Not placed", 150.0), (names.join(", ").as_str(), content - 150.0)], 10.0, false);
        }
        if !grid.moved.is_empty() {
            layout.y -= 4.0;
            layout.paragraph("Moved during the session:", Style::Bold, 10.0, 0.0);
            for moved in &grid.moved {
                layout.paragraph(&format!("• {}", moved.line()), Style::Regular, 10.0, 8.0);
            }
        }
    }
    if summary.organizations.iter().any(|o| o.directly_affected) {
        layout.y -= 4.0;
        layout.paragraph("★ led by directly affected people", Style::Italic, 9.5, 0.0);
    }
    layout.heading("Commitments", 14.0, true);
    if summary.commitments.is_empty() {
        layout.paragraph("No commitments were recorded.", Style::Regular, 10.5, 0.0);
    }
    let columns = [content - 250.0, 100.0, 80.0, 70.0];
    for group in &summary.commitments {
        layout.heading(&group.who, 12.0, false);
        layout.row(
            &[("What", columns[0]), ("Person", columns[1]), ("By when", columns[2]), ("Status", columns[3])],
            10.0,
            true,
        );
        for c in &group.commitments {
            layout.row(
                &[
                    (c.action.as_str(), columns[0]),
                    (c.person.as_str(), columns[1]),
                    (c.due.as_deref().unwrap_or("—"), columns[2]),
                    (status_label(c.status), columns[3]),
                ],
                10.0,
                false,
            );
        }
    }
    if !s.notes.is_empty() {
        layout.heading("Notes", 14.0, true);
        layout.paragraph(&s.notes, Style::Regular, 10.5, 0.0);
    }
    finish(layout, &s.title)
}

/// Compressed with zlib's deflate, as PDF's `FlateDecode` reads it.
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

/// Writes the laid-out pages, and the subset of each face they use, as a PDF file.
fn finish(layout: Layout, title: &str) -> Result<Vec<u8>> {
    let mut pdf = Pdf::new();
    let mut next = Ref::new(1);
    let catalog = next.bump();
    let tree = next.bump();
    let info = next.bump();
    let faces: Vec<Ref> = Style::ALL.iter().map(|_| next.bump()).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.document_info(info).title(pdf_writer::TextStr(title)).creator(pdf_writer::TextStr("Powermap"));

    for ((style, glyphs), type0) in Style::ALL.into_iter().zip(&layout.glyphs).zip(&faces) {
        let face = fonts::face(style);
        let (cid, descriptor, unicode, file) = (next.bump(), next.bump(), next.bump(), next.bump());
        // A subset's name starts with six capitals of its own.
        let base = format!("PWMAP{}+{}", char::from(b'A' + index(style) as u8), face.name);
        let base = Name(base.as_bytes());
        pdf.type0_font(*type0)
            .base_font(base)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(unicode);
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(IDENTITY)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(0, glyphs.remapper.remapped_gids().map(|g| face.advance(g) * 1000.0));
        cid_font.finish();
        let mut flags = FontFlags::NON_SYMBOLIC;
        if style == Style::Italic {
            flags |= FontFlags::ITALIC;
        }
        let (left, bottom, right, top) = face.bounds;
        pdf.font_descriptor(descriptor)
            .name(base)
            .flags(flags)
            .bbox(Rect::new(left * 1000.0, bottom * 1000.0, right * 1000.0, top * 1000.0))
            .italic_angle(face.italic_angle)
            .ascent(face.ascent * 1000.0)
            .descent(face.descent * 1000.0)
            .cap_height(face.cap_height * 1000.0)
            .stem_v(if style == Style::Bold { 120.0 } else { 80.0 })
            .font_file2(file);
        let mut cmap = UnicodeCmap::new(Name(b"Powermap-UTF16"), IDENTITY);
        for (number, c) in &glyphs.chars {
            cmap.pair(*number, *c);
        }
        pdf.cmap(unicode, &cmap.finish());
        let subset = subsetter::subset(face.data, 0, &glyphs.remapper)
            .map_err(|e| Error::internal(format!("The PDF's font could not be embedded: {e:?}")))?;
        pdf.stream(file, &deflate(&subset)).filter(Filter::FlateDecode);
    }

    let page_refs: Vec<Ref> = layout.pages.iter().map(|_| next.bump()).collect();
    pdf.pages(tree).kids(page_refs.iter().copied()).count(page_refs.len() as i32);
    for (content, page_ref) in layout.pages.into_iter().zip(&page_refs) {
        let content_ref = next.bump();
        let mut page = pdf.page(*page_ref);
        page.media_box(Rect::new(0.0, 0.0, layout.paper.0, layout.paper.1));
        page.parent(tree);
        page.contents(content_ref);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        for (style, face) in Style::ALL.into_iter().zip(&faces) {
            font_dict.pair(resource(style), *face);
        }
        font_dict.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_ref, &deflate(&content.finish())).filter(Filter::FlateDecode);
    }
    Ok(pdf.finish())
}
