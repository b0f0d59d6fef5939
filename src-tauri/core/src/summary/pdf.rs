//! The summary as PDF, written directly with `pdf-writer` (no browser): A4 pages in the
//! standard Helvetica fonts, each grid drawn as vectors from [`super::drawing`], tables whose
//! rows never split across pages.
//!
//! The standard fonts speak Windows-1252 only: characters outside it are written as their
//! nearest plain form (★ as *, → as ->) or as `?`.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};

use super::drawing::{draw, text_width, Anchor, Shape, HEIGHT, WIDTH};
use super::{kind_label, marked_name, status_label, Summary};

const PAGE: (f32, f32) = (595.0, 842.0);
const MARGIN: f32 = 50.0;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const ITALIC: Name<'static> = Name(b"F3");

/// `text` in Windows-1252, the encoding of the standard fonts.
fn encode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '★' => out.push(b'*'),
            '→' => out.extend_from_slice(b"->"),
            '—' => out.push(0x97),
            '–' => out.push(0x96),
            '…' => out.push(0x85),
            '‘' => out.push(0x91),
            '’' => out.push(0x92),
            '“' => out.push(0x93),
            '”' => out.push(0x94),
            '•' => out.push(0x95),
            '€' => out.push(0x80),
            '\t' | '\n' | '\r' => out.push(b' '),
            c if (c as u32) < 0x80 => out.push(c as u8),
            c if (0xA0..=0xFF).contains(&(c as u32)) => out.push(c as u32 as u8),
            _ => out.push(b'?'),
        }
    }
    out
}

fn rgb(colour: &str) -> (f32, f32, f32) {
    let hex = colour.trim_start_matches('#');
    let part = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f32 / 255.0;
    (part(0), part(2), part(4))
}

/// Splits `text` into lines no wider than `width` points at `size`.
fn wrap(text: &str, size: f32, width: f32, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if !line.is_empty() && text_width(&candidate, bold) as f32 * size > width {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        lines.push(line);
    }
    lines
}

/// Pages being laid out, top to bottom.
struct Layout {
    pages: Vec<Content>,
    /// The baseline where the next line starts, from the bottom of the page.
    y: f32,
}

impl Layout {
    fn new() -> Layout {
        Layout { pages: vec![Content::new()], y: PAGE.1 - MARGIN }
    }

    fn page(&mut self) -> &mut Content {
        // There is always at least the first page.
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` points still fit on this one.
    fn keep(&mut self, height: f32) {
        if self.y - height < MARGIN && self.y < PAGE.1 - MARGIN {
            self.pages.push(Content::new());
            self.y = PAGE.1 - MARGIN;
        }
    }

    fn text_at(&mut self, x: f32, y: f32, font: Name<'static>, size: f32, text: &str) {
        let page = self.page();
        page.begin_text();
        page.set_font(font, size);
        page.next_line(x, y);
        page.show(Str(&encode(text)));
        page.end_text();
    }

    /// A paragraph, wrapped to the page, that may continue on the next page.
    fn paragraph(&mut self, text: &str, font: Name<'static>, size: f32, indent: f32) {
        let bold = font == BOLD;
        for line in wrap(text, size, PAGE.0 - 2.0 * MARGIN - indent, bold) {
            self.keep(size * 1.35);
            self.y -= size * 1.35;
            let y = self.y;
            self.text_at(MARGIN + indent, y, font, size, &line);
        }
    }

    fn heading(&mut self, text: &str, size: f32, rule: bool) {
        // A heading stays with at least a little of what follows it.
        self.keep(size * 2.0 + 60.0);
        self.y -= size * 0.8;
        self.paragraph(text, BOLD, size, 0.0);
        if rule {
            self.y -= 4.0;
            let y = self.y;
            let page = self.page();
            page.set_line_width(1.2);
            page.set_stroke_rgb(0.0, 0.0, 0.0);
            page.move_to(MARGIN, y);
            page.line_to(PAGE.0 - MARGIN, y);
            page.stroke();
        }
        self.y -= 6.0;
    }

    /// A table row: cells wrapped in their columns; the row is never split across pages.
    fn row(&mut self, cells: &[(&str, f32)], size: f32, bold: bool) {
        let font = if bold { BOLD } else { REGULAR };
        let wrapped: Vec<Vec<String>> =
            cells.iter().map(|(text, width)| wrap(text, size, width - 8.0, bold)).collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * size * 1.3 + 6.0;
        self.keep(height);
        let top = self.y;
        let mut x = MARGIN;
        for ((_, width), cell) in cells.iter().zip(&wrapped) {
            for (n, line) in cell.iter().enumerate() {
                self.text_at(x + 4.0, top - 3.0 - size * (1.0 + 1.3 * n as f32), font, size, line);
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

    /// A grid drawn to the width of the page, kept whole on one page.
    fn grid(&mut self, shapes: &[Shape]) {
        let width = PAGE.0 - 2.0 * MARGIN;
        let scale = width / WIDTH as f32;
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
                    let size = *size as f32 * scale;
                    let advance = text_width(text, *bold) as f32 * size;
                    let shift = match anchor {
                        Anchor::Start => 0.0,
                        Anchor::Middle => advance / 2.0,
                        Anchor::End => advance,
                    };
                    let (px, py) = at(*x, *y);
                    let drop = if *centred { size * 0.35 } else { 0.0 };
                    let grey_level = if *grey { 0.42 } else { 0.07 };
                    let page = self.page();
                    page.set_fill_rgb(grey_level, grey_level, grey_level + 0.03);
                    page.begin_text();
                    page.set_font(if *bold { BOLD } else { REGULAR }, size);
                    if *vertical {
                        page.set_text_matrix([0.0, 1.0, -1.0, 0.0, px + drop, py - shift]);
                    } else {
                        page.set_text_matrix([1.0, 0.0, 0.0, 1.0, px - shift, py - drop]);
                    }
                    page.show(Str(&encode(text)));
                    page.end_text();
                    page.set_fill_rgb(0.0, 0.0, 0.0);
                }
                Shape::Card(card) => {
                    let (px, py) = at(card.x, card.y + card.h);
                    let (w, h) = (card.w as f32 * scale, card.h as f32 * scale);
                    let (r, g, b) = rgb(&card.colour);
                    let size = 18.0 * scale;
                    let advance = text_width(&card.label, true) as f32 * size;
                    let page = self.page();
                    page.set_fill_rgb(1.0, 1.0, 1.0);
                    page.set_stroke_rgb(0.12, 0.16, 0.22);
                    page.set_line_width(1.0);
                    page.rect(px, py, w, h);
                    page.fill_nonzero_and_stroke();
                    page.set_fill_rgb(r, g, b);
                    page.rect(px, py, 8.0 * scale, h);
                    page.fill_nonzero();
                    page.set_fill_rgb(0.07, 0.07, 0.1);
                    page.begin_text();
                    page.set_font(BOLD, size);
                    page.next_line(px + (w - advance) / 2.0 + 2.0 * scale, py + h / 2.0 - size * 0.35);
                    page.show(Str(&encode(&card.label)));
                    page.end_text();
                    page.set_fill_rgb(0.0, 0.0, 0.0);
                }
            }
        }
        self.y = top - height - 8.0;
    }
}

/// The summary as a PDF document.
pub fn to_pdf(summary: &Summary) -> Vec<u8> {
    let s = &summary.session;
    let mut layout = Layout::new();
    layout.y -= 6.0;
    layout.paragraph(&s.title, BOLD, 20.0, 0.0);
    let facts: Vec<String> = summary.facts().iter().map(|(label, value)| format!("{label}: {value}")).collect();
    if !facts.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&facts.join("  ·  "), REGULAR, 11.0, 0.0);
    }
    if !s.question.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&s.question, ITALIC, 12.0, 10.0);
    }
    if !summary.participants.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&format!("Participants: {}", summary.participant_lines().join(", ")), REGULAR, 10.5, 0.0);
    }
    let content = PAGE.0 - 2.0 * MARGIN;
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
    }
    if summary.organizations.iter().any(|o| o.directly_affected) {
        layout.y -= 4.0;
        layout.paragraph("★ led by directly affected people", ITALIC, 9.5, 0.0);
    }
    layout.heading("Commitments", 14.0, true);
    if summary.commitments.is_empty() {
        layout.paragraph("No commitments were recorded.", REGULAR, 10.5, 0.0);
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
        layout.paragraph(&s.notes, REGULAR, 10.5, 0.0);
    }
    finish(layout.pages, &s.title)
}

/// Writes the laid-out pages as a PDF file.
fn finish(pages: Vec<Content>, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let fonts = [Ref::new(3), Ref::new(4), Ref::new(5)];
    let info = Ref::new(6);
    let first_page = 7;
    let page_refs: Vec<Ref> = (0..pages.len()).map(|n| Ref::new(first_page + 2 * n as i32)).collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_refs.iter().copied()).count(pages.len() as i32);
    for (font, name) in fonts.iter().zip([&b"Helvetica"[..], b"Helvetica-Bold", b"Helvetica-Oblique"]) {
        pdf.type1_font(*font).base_font(Name(name)).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.document_info(info).title(pdf_writer::TextStr(title)).creator(pdf_writer::TextStr("Powermap"));
    for (n, content) in pages.into_iter().enumerate() {
        let page_ref = page_refs[n];
        let content_ref = Ref::new(page_ref.get() + 1);
        let mut page = pdf.page(page_ref);
        page.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1));
        page.parent(tree);
        page.contents(content_ref);
        let mut resources = page.resources();
        let mut font_dict = resources.fonts();
        font_dict.pair(REGULAR, fonts[0]);
        font_dict.pair(BOLD, fonts[1]);
        font_dict.pair(ITALIC, fonts[2]);
        font_dict.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_ref, &content.finish());
    }
    pdf.finish()
}
