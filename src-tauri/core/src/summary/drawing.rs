//! A grid as a list of shapes in picture units (1200 × 880, y pointing down): its regions,
//! axes and cards. The SVG, PDF and PNG exports all draw from this one list, so a grid looks
//! the same in every format.

use super::GridSummary;
use crate::model::grid::DECISION_BAND;
use crate::model::GridKind;

/// The picture's size, in its own units.
pub const WIDTH: f64 = 1200.0;
pub const HEIGHT: f64 = 880.0;
/// The plotting area inside the picture: left, top, width, height.
pub const PLOT: (f64, f64, f64, f64) = (90.0, 20.0, 1090.0, 790.0);

/// Where the normalized point `(x, y)` (origin bottom-left) falls in the picture.
pub fn to_picture(x: f64, y: f64) -> (f64, f64) {
    let (left, top, width, height) = PLOT;
    (left + x * width, top + (1.0 - y) * height)
}

/// How text is placed against its point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One thing to draw. Colours are `#rrggbb`.
#[derive(Debug, Clone)]
pub enum Shape {
    Rect {
        x: f64,
        y: f64,
        w: f64,
        h: f64,
        fill: Option<&'static str>,
        stroke: Option<(&'static str, f64)>,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        width: f64,
    },
    Polygon {
        points: Vec<(f64, f64)>,
        fill: &'static str,
    },
    /// Text whose baseline (or, if `centred`, middle) is at `y`; `vertical` turns it to read
    /// upwards.
    Text {
        x: f64,
        y: f64,
        size: f64,
        bold: bool,
        grey: bool,
        anchor: Anchor,
        vertical: bool,
        centred: bool,
        text: String,
    },
    Card(CardShape),
}

/// A card: a square white box with a heavier bottom edge and the organization's colour down
/// its left side, as the window draws it.
#[derive(Debug, Clone)]
pub struct CardShape {
    pub organization_id: String,
    pub name: String,
    /// The normalized placement.
    pub at: (f64, f64),
    /// The box: left, top, width, height.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub colour: String,
    pub label: String,
}

/// The advance width of `text` at font size 1 in the built-in face the pictures and the
/// PDF are set in.
pub fn text_width(text: &str, bold: bool) -> f64 {
    super::shaping::width(text, super::fonts::Style::of(bold))
}

/// Every text the shapes draw, with whether it is bold: what the pictures' faces must set.
pub fn texts(shapes: &[Shape]) -> impl Iterator<Item = (&str, bool)> {
    shapes.iter().filter_map(|shape| match shape {
        Shape::Text { text, bold, .. } => Some((text.as_str(), *bold)),
        Shape::Card(card) => Some((card.label.as_str(), true)),
        _ => None,
    })
}

/// The characters of the shapes' texts that no face has (the pictures leave them out),
/// each named after the card's organization where it is one's.
pub fn unprintable(shapes: &[Shape]) -> Vec<super::shaping::Unprintable> {
    use super::{fonts::Style, shaping};
    let mut missing = Vec::new();
    for (text, bold) in texts(shapes) {
        shaping::note_missing(&shaping::set(text, Style::of(bold)), text, &mut missing);
    }
    let names = shapes.iter().filter_map(|shape| match shape {
        Shape::Card(card) => Some(card.name.as_str()),
        _ => None,
    });
    shaping::attribute(&mut missing, names);
    missing
}

/// Where a wedge's name may go, best first, as (share of the wedge's angle, share of the
/// radius): near the rim in its middle, to either side, then further in. The window places
/// the names the same way (ui/src/components/GridBackdrop.svelte).
const SPOTS: [(f64, f64); 8] =
    [(0.5, 0.88), (0.3, 0.88), (0.7, 0.88), (0.5, 0.7), (0.3, 0.7), (0.7, 0.7), (0.5, 0.5), (0.5, 0.3)];

/// The spot of the wedge between the angles `from` and `to` where a name `w` × `h` wide
/// (in the picture's units, centred on the spot, moved inward to lie whole inside the plot)
/// lies under no card, the first such in [`SPOTS`]; else the one it lies least under.
/// Normalized, from the bottom left.
fn clear_spot(from: f64, to: f64, (w, h): (f64, f64), cards: &[CardShape]) -> (f64, f64) {
    let (plot_left, _, plot_width, _) = PLOT;
    let mut best = (0.0, 0.0, f64::INFINITY);
    for (share, r) in SPOTS {
        let angle = from + (to - from) * share;
        let (x, y) = (0.5 + r * angle.cos() / 2.0, r * angle.sin());
        let (px, py) = to_picture(x, y);
        // Whole inside the plot, clear of its frame: an outer wedge's spot is near its side.
        let (least, most) = (plot_left + 12.0 + w / 2.0, plot_left + plot_width - 12.0 - w / 2.0);
        let px = px.clamp(least, most.max(least));
        let x = (px - plot_left) / plot_width;
        let (left, top) = (px - w / 2.0, py - h / 2.0);
        let covered: f64 = cards
            .iter()
            .map(|c| {
                ((left + w).min(c.x + c.w) - left.max(c.x)).max(0.0)
                    * ((top + h).min(c.y + c.h) - top.max(c.y)).max(0.0)
            })
            .sum();
        if covered < best.2 {
            best = (x, y, covered);
        }
        if covered == 0.0 {
            break;
        }
    }
    (best.0, best.1)
}

/// The shapes of one grid.
pub fn draw(grid: &GridSummary) -> Vec<Shape> {
    let (left, top, width, height) = PLOT;
    let labels = &grid.grid.labels;
    let mut shapes = Vec::new();
    let cards = card_shapes(grid);
    let rect = |x, y, w, h, fill| Shape::Rect { x, y, w, h, fill: Some(fill), stroke: None };
    let line = |x1, y1, x2, y2| Shape::Line { x1, y1, x2, y2, width: 2.0 };
    // Region names sit along the regions' outer edges and corners, where cards rarely go
    // (as the window sets them).
    let region_at = |x: f64, y: f64, text: &str, size: f64, anchor: Anchor| {
        let (px, py) = to_picture(x, y);
        Shape::Text {
            x: px,
            y: py,
            size,
            bold: true,
            grey: true,
            anchor,
            vertical: false,
            centred: true,
            text: text.to_uppercase(),
        }
    };
    let (mid_x, mid_y) = (left + width / 2.0, top + height / 2.0);
    match grid.grid.kind {
        GridKind::PowerInterest => {
            shapes.push(rect(left, mid_y, width / 2.0, height / 2.0, "#f3f4f6"));
            shapes.push(rect(mid_x, mid_y, width / 2.0, height / 2.0, "#e0f2fe"));
            shapes.push(rect(left, top, width / 2.0, height / 2.0, "#fef3c7"));
            shapes.push(rect(mid_x, top, width / 2.0, height / 2.0, "#dcfce7"));
            shapes.push(line(mid_x, top, mid_x, top + height));
            shapes.push(line(left, mid_y, left + width, mid_y));
            let corners = [
                (0.015, 0.04, Anchor::Start),
                (0.985, 0.04, Anchor::End),
                (0.015, 0.955, Anchor::Start),
                (0.985, 0.955, Anchor::End),
            ];
            for (index, (x, y, anchor)) in corners.into_iter().enumerate() {
                shapes.push(region_at(x, y, &labels.regions[index], 30.0, anchor));
            }
        }
        GridKind::PowerSupport => {
            let band = top + (1.0 - DECISION_BAND) * height;
            shapes.push(rect(left, top, width / 2.0, height, "#fee2e2"));
            shapes.push(rect(mid_x, top, width / 2.0, height, "#dcfce7"));
            shapes.push(rect(left, top, width, band - top, "#e5e7eb"));
            shapes.push(line(mid_x, band, mid_x, top + height));
            shapes.push(line(left, band, left + width, band));
            shapes.push(region_at(0.015, 0.04, &labels.regions[0], 30.0, Anchor::Start));
            shapes.push(region_at(0.985, 0.04, &labels.regions[1], 30.0, Anchor::End));
            shapes.push(region_at(0.5, 0.955, &labels.regions[2], 30.0, Anchor::Middle));
        }
        GridKind::SpectrumOfAllies => {
            let tints = ["#bbf7d0", "#dcfce7", "#f3f4f6", "#fee2e2", "#fecaca"];
            let arc = |angle: f64| to_picture(0.5 + angle.cos() / 2.0, angle.sin());
            let centre = to_picture(0.5, 0.0);
            for (k, tint) in tints.iter().enumerate() {
                let from = std::f64::consts::PI * (1.0 - k as f64 / 5.0);
                let to = std::f64::consts::PI * (1.0 - (k as f64 + 1.0) / 5.0);
                let mut points = vec![centre];
                for step in 0..=16 {
                    points.push(arc(from + (to - from) * step as f64 / 16.0));
                }
                shapes.push(Shape::Polygon { points, fill: tint });
                shapes.push(line(centre.0, centre.1, arc(from).0, arc(from).1));
                let name = &labels.regions[k];
                let size = (22.0 * text_width(&name.to_uppercase(), true), 22.0);
                let (x, y) = clear_spot(from, to, size, &cards);
                shapes.push(region_at(x, y, name, 22.0, Anchor::Middle));
            }
            shapes.push(line(centre.0, centre.1, arc(0.0).0, arc(0.0).1));
            let mut rim = Vec::new();
            for step in 0..=80 {
                rim.push(arc(std::f64::consts::PI * step as f64 / 80.0));
            }
            for pair in rim.windows(2) {
                shapes.push(line(pair[0].0, pair[0].1, pair[1].0, pair[1].1));
            }
        }
    }
    shapes.push(Shape::Rect { x: left, y: top, w: width, h: height, fill: None, stroke: Some(("#1f2937", 3.0)) });
    let axis_y = top + height + 36.0;
    let axis = |x, y, text: &str, anchor, bold, vertical| Shape::Text {
        x,
        y,
        size: 22.0,
        bold,
        grey: false,
        anchor,
        vertical,
        centred: false,
        text: text.to_string(),
    };
    shapes.push(axis(left, axis_y, &labels.x_low, Anchor::Start, false, false));
    shapes.push(axis(mid_x, axis_y, &format!("{} →", labels.x_title), Anchor::Middle, true, false));
    shapes.push(axis(left + width, axis_y, &labels.x_high, Anchor::End, false, false));
    if grid.grid.kind != GridKind::SpectrumOfAllies {
        let axis_x = left - 30.0;
        shapes.push(axis(axis_x, top + height, &labels.y_low, Anchor::Start, false, true));
        shapes.push(axis(axis_x, mid_y, &format!("{} →", labels.y_title), Anchor::Middle, true, true));
        shapes.push(axis(axis_x, top, &labels.y_high, Anchor::End, false, true));
    }
    shapes.extend(cards.into_iter().map(Shape::Card));
    shapes
}

/// The cards of a grid, as drawn over everything else.
fn card_shapes(grid: &GridSummary) -> Vec<CardShape> {
    let (left, top, width, height) = PLOT;
    let mut cards = Vec::with_capacity(grid.cards.len());
    for card in &grid.cards {
        let (cx, cy) = to_picture(card.x, card.y);
        let o = &card.organization;
        let mut label = if o.short_label.is_empty() { o.name.clone() } else { o.short_label.clone() };
        if o.directly_affected {
            label = format!("★ {label}");
        }
        let w = 30.0 + 18.0 * text_width(&label, true);
        let h = 34.0;
        cards.push(CardShape {
            organization_id: o.id.clone(),
            name: o.name.clone(),
            at: (card.x, card.y),
            // Centred on its point, slid inward near an edge so it stays whole inside the
            // grid (as the window draws it).
            x: (cx - w / 2.0).min(left + width - w).max(left),
            y: (cy - h / 2.0).min(top + height - h).max(top),
            w,
            h,
            colour: o.colour.clone(),
            label,
        });
    }
    cards
}
