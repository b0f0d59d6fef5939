//! A grid as a vector picture (SVG): its regions and axes, and each card where it sits.
//! The same drawing goes into the HTML summary and into `.svg` files for slides.

use std::fmt::Write;

use super::{escape_xml, GridSummary};
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

/// The grid as SVG. `standalone` adds the XML namespace a separate `.svg` file needs (an
/// SVG inside HTML does without it).
pub fn to_svg(grid: &GridSummary, standalone: bool) -> String {
    let (left, top, width, height) = PLOT;
    let labels = &grid.grid.labels;
    let mut out = String::new();
    let namespace = if standalone { r#" xmlns="http://www.w3.org/2000/svg""# } else { "" };
    let _ = write!(
        out,
        r#"<svg{namespace} viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" data-grid-kind="{}">"#,
        escape_xml(&grid.grid.title),
        grid.grid.kind.as_str()
    );
    let rect = |out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str| {
        let _ = write!(out, r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{fill}"/>"#);
    };
    let line = |out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64| {
        let _ = write!(out, r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#1f2937" stroke-width="2"/>"##);
    };
    let region_label = |out: &mut String, x: f64, y: f64, text: &str, size: f64| {
        let (px, py) = to_picture(x, y);
        let _ = write!(
            out,
            r##"<text x="{px:.1}" y="{py:.1}" font-size="{size}" font-weight="700" fill="#6b7280" text-anchor="middle" dominant-baseline="middle">{}</text>"##,
            escape_xml(&text.to_uppercase())
        );
    };
    let (mid_x, mid_y) = (left + width / 2.0, top + height / 2.0);
    match grid.grid.kind {
        GridKind::PowerInterest => {
            rect(&mut out, left, mid_y, width / 2.0, height / 2.0, "#f3f4f6");
            rect(&mut out, mid_x, mid_y, width / 2.0, height / 2.0, "#e0f2fe");
            rect(&mut out, left, top, width / 2.0, height / 2.0, "#fef3c7");
            rect(&mut out, mid_x, top, width / 2.0, height / 2.0, "#dcfce7");
            line(&mut out, mid_x, top, mid_x, top + height);
            line(&mut out, left, mid_y, left + width, mid_y);
            for (index, (x, y)) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)].into_iter().enumerate() {
                region_label(&mut out, x, y, &labels.regions[index], 34.0);
            }
        }
        GridKind::PowerSupport => {
            let band = top + (1.0 - DECISION_BAND) * height;
            rect(&mut out, left, top, width / 2.0, height, "#fee2e2");
            rect(&mut out, mid_x, top, width / 2.0, height, "#dcfce7");
            rect(&mut out, left, top, width, band - top, "#e5e7eb");
            line(&mut out, mid_x, band, mid_x, top + height);
            line(&mut out, left, band, left + width, band);
            region_label(&mut out, 0.25, 0.4, &labels.regions[0], 34.0);
            region_label(&mut out, 0.75, 0.4, &labels.regions[1], 34.0);
            region_label(&mut out, 0.5, 0.9, &labels.regions[2], 30.0);
        }
        GridKind::SpectrumOfAllies => {
            let tints = ["#bbf7d0", "#dcfce7", "#f3f4f6", "#fee2e2", "#fecaca"];
            let arc = |angle: f64, r: f64| to_picture(0.5 + r * angle.cos() / 2.0, r * angle.sin());
            let (cx, cy) = to_picture(0.5, 0.0);
            for (k, tint) in tints.iter().enumerate() {
                let from = std::f64::consts::PI * (1.0 - k as f64 / 5.0);
                let to = std::f64::consts::PI * (1.0 - (k as f64 + 1.0) / 5.0);
                let (ax, ay) = arc(from, 1.0);
                let (bx, by) = arc(to, 1.0);
                let _ = write!(
                    out,
                    r##"<path d="M{cx:.1},{cy:.1} L{ax:.1},{ay:.1} A{:.1},{:.1} 0 0 1 {bx:.1},{by:.1} Z" fill="{tint}" stroke="#1f2937" stroke-width="2"/>"##,
                    width / 2.0,
                    height
                );
                let middle = (from + to) / 2.0;
                let (lx, ly) = (0.5 + 0.8 * middle.cos() / 2.0, 0.8 * middle.sin());
                region_label(&mut out, lx, ly, &labels.regions[k], 22.0);
            }
        }
    }
    let _ = write!(out, r##"<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#1f2937" stroke-width="3"/>"##);
    // Axes: the x axis under the plot; the y axis (not for the spectrum) up its left side.
    let axis_y = top + height + 36.0;
    let _ = write!(
        out,
        r##"<g font-size="22" fill="#111827"><text x="{left}" y="{axis_y}">{}</text><text x="{mid_x}" y="{axis_y}" text-anchor="middle" font-weight="700">{} →</text><text x="{}" y="{axis_y}" text-anchor="end">{}</text></g>"##,
        escape_xml(&labels.x_low),
        escape_xml(&labels.x_title),
        left + width,
        escape_xml(&labels.x_high)
    );
    if grid.grid.kind != GridKind::SpectrumOfAllies {
        let axis_x = left - 30.0;
        let _ = write!(
            out,
            r##"<g font-size="22" fill="#111827"><text transform="translate({axis_x},{}) rotate(-90)">{}</text><text transform="translate({axis_x},{mid_y}) rotate(-90)" text-anchor="middle" font-weight="700">{} →</text><text transform="translate({axis_x},{top}) rotate(-90)" text-anchor="end">{}</text></g>"##,
            top + height,
            escape_xml(&labels.y_low),
            escape_xml(&labels.y_title),
            escape_xml(&labels.y_high)
        );
    }
    for card in &grid.cards {
        let (cx, cy) = to_picture(card.x, card.y);
        let o = &card.organization;
        let mut text = if o.short_label.is_empty() { o.name.clone() } else { o.short_label.clone() };
        if o.directly_affected {
            text = format!("★ {text}");
        }
        let w = 28.0 + 11.5 * text.chars().count() as f64;
        let h = 34.0;
        let _ = write!(
            out,
            r##"<g data-card="" data-org-id="{}" data-x="{}" data-y="{}"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h}" rx="7" fill="#ffffff" stroke="#1f2937" stroke-width="2"/><rect x="{:.1}" y="{:.1}" width="8" height="{h}" rx="3" fill="{}"/><text x="{:.1}" y="{cy:.1}" font-size="18" font-weight="700" fill="#111827" text-anchor="middle" dominant-baseline="central">{}</text></g>"##,
            escape_xml(&o.id),
            card.x,
            card.y,
            escape_xml(&o.name),
            cx - w / 2.0,
            cy - h / 2.0,
            cx - w / 2.0,
            cy - h / 2.0,
            escape_xml(&o.colour),
            cx + 4.0,
            escape_xml(&text)
        );
    }
    out.push_str("</svg>");
    out
}
