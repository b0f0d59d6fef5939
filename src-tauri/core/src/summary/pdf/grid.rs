//! A grid's picture on the page: the shapes of [`super::super::drawing`] as PDF vectors,
//! scaled to the width between the margins and kept whole on one page.

use super::super::drawing::{Anchor, Shape, HEIGHT, WIDTH};
use super::super::fonts::Style;
use super::layout::{rgb, width, Layout, MARGIN};

impl Layout {
    /// A grid drawn to the width of the page, kept whole on one page.
    pub(super) fn grid(&mut self, shapes: &[Shape]) {
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
