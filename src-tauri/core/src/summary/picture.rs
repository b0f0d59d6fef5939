//! A grid as a vector picture (SVG), drawn from [`super::drawing`]. The same picture goes
//! into the HTML summary and into `.svg` files for slides.

use std::fmt::Write;

use super::drawing::{draw, Anchor, Shape, HEIGHT, WIDTH};
use super::{escape_xml, GridSummary};

pub use super::drawing::to_picture;

/// A text's content, each stretch the built-in face lacks in a `<tspan>` naming the face
/// the PDF sets it in (so the PNG renderer and a viewer with the face use it); characters no
/// face has are left out, as in the PDF.
fn spans(text: &str, bold: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for (stretch, face) in super::shaping::stretches(text, super::fonts::Style::of(bold)) {
        if face.id.0 < 3 {
            out.push_str(&escape_xml(&stretch));
        } else {
            let _ =
                write!(out, r#"<tspan font-family="{}">{}</tspan>"#, escape_xml(&face.family), escape_xml(&stretch));
        }
    }
    out
}

/// The faces the picture's text is set in, as the PDF sets it (the built-in face, then the
/// system's for what it lacks), then the usual sans-serif faces of a viewer without them.
fn font_families(shapes: &[Shape]) -> String {
    let mut families = vec!["DejaVu Sans".to_string()];
    for (text, bold) in super::drawing::texts(shapes) {
        for run in super::shaping::set(text, super::fonts::Style::of(bold)).runs {
            if !families.contains(&run.face.family) {
                families.push(run.face.family.clone());
            }
        }
    }
    families.extend(["Helvetica", "Arial", "sans-serif"].map(String::from));
    families.join(", ")
}

/// The grid as SVG. `standalone` adds the XML namespace a separate `.svg` file needs (an
/// SVG inside HTML does without it).
pub fn to_svg(grid: &GridSummary, standalone: bool) -> String {
    render(grid, standalone, false)
}

/// The grid as SVG with its text drawn as glyph outlines, set as the PDF sets it: what the
/// PNG is rasterized from.
pub(super) fn to_outlined_svg(grid: &GridSummary) -> String {
    render(grid, true, true)
}

fn render(grid: &GridSummary, standalone: bool, outlined: bool) -> String {
    let mut out = String::new();
    let namespace = if standalone { r#" xmlns="http://www.w3.org/2000/svg""# } else { "" };
    let shapes = draw(grid);
    let _ = write!(
        out,
        r#"<svg{namespace} viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}" font-family="{}" data-grid-kind="{}">"#,
        escape_xml(&grid.grid.title),
        escape_xml(&font_families(&shapes)),
        grid.grid.kind.as_str()
    );
    for shape in shapes {
        match shape {
            Shape::Rect { x, y, w, h, fill, stroke } => {
                let _ = write!(
                    out,
                    r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{}"{}/>"#,
                    fill.unwrap_or("none"),
                    stroke.map(|(c, width)| format!(r#" stroke="{c}" stroke-width="{width}""#)).unwrap_or_default()
                );
            }
            Shape::Line { x1, y1, x2, y2, width } => {
                let _ = write!(
                    out,
                    r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#1f2937" stroke-width="{width}"/>"##
                );
            }
            Shape::Polygon { points, fill } => {
                let points: Vec<String> = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect();
                let _ = write!(out, r#"<polygon points="{}" fill="{fill}"/>"#, points.join(" "));
            }
            Shape::Text { x, y, size, bold, grey, anchor, vertical, centred, text } => {
                let colour = if grey { "#6b7280" } else { "#111827" };
                if outlined {
                    let turn = if vertical { " rotate(-90)" } else { "" };
                    let _ = write!(
                        out,
                        r#"<path transform="translate({x:.1},{y:.1}){turn}" fill="{colour}" d="{}"/>"#,
                        super::outlines::text_path(&text, bold, size, anchor, centred)
                    );
                    continue;
                }
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let place = if vertical {
                    format!(r#"transform="translate({x:.1},{y:.1}) rotate(-90)""#)
                } else {
                    format!(r#"x="{x:.1}" y="{y:.1}""#)
                };
                let _ = write!(
                    out,
                    r#"<text {place} font-size="{size}"{}{} fill="{colour}" text-anchor="{anchor}">{}</text>"#,
                    if bold { r#" font-weight="700""# } else { "" },
                    if centred { r#" dominant-baseline="middle""# } else { "" },
                    spans(&text, bold)
                );
            }
            Shape::Card(card) => {
                let label = if outlined {
                    let d = super::outlines::text_path(&card.label, true, 18.0, Anchor::Middle, true);
                    format!(
                        r##"<path transform="translate({:.1},{:.1})" fill="#111827" d="{d}"/>"##,
                        card.x + card.w / 2.0 + 4.0,
                        card.y + card.h / 2.0
                    )
                } else {
                    format!(
                        r##"<text x="{:.1}" y="{:.1}" font-size="18" font-weight="700" fill="#111827" text-anchor="middle" dominant-baseline="central">{}</text>"##,
                        card.x + card.w / 2.0 + 4.0,
                        card.y + card.h / 2.0,
                        spans(&card.label, true)
                    )
                };
                let _ = write!(
                    out,
                    r##"<g data-card="" data-org-id="{}" data-x="{}" data-y="{}"><title>{}</title><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{}" fill="#ffffff" stroke="#1f2937" stroke-width="2"/><path d="M{:.1} {:.1}h{:.1}" stroke="#1f2937" stroke-width="4"/><rect x="{:.1}" y="{:.1}" width="8" height="{}" fill="{}"/>{label}</g>"##,
                    escape_xml(&card.organization_id),
                    card.at.0,
                    card.at.1,
                    escape_xml(&card.name),
                    card.x,
                    card.y,
                    card.w,
                    card.h,
                    card.x,
                    card.y + card.h,
                    card.w,
                    card.x,
                    card.y,
                    card.h,
                    escape_xml(&card.colour),
                );
            }
        }
    }
    out.push_str("</svg>");
    out
}
