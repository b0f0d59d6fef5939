//! The summary as one self-contained HTML page: no external resources, so it opens
//! anywhere and prints the same (A4 or Letter, in black and white; a page break never cuts
//! a grid or a table row).

use std::fmt::Write;

use super::{escape_xml as esc, kind_label, marked_name, picture, status_label, Summary};

const STYLE: &str = r#"
.summary { color: #111; background: #fff; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 11pt; line-height: 1.4; margin: 0 auto; max-width: 60em; padding: 1.5em; }
h1 { font-size: 20pt; margin: 0 0 0.2em; }
h2 { font-size: 14pt; margin: 1.4em 0 0.4em; border-bottom: 2px solid #111; padding-bottom: 0.1em; break-after: avoid; }
h3 { font-size: 12pt; margin: 1em 0 0.3em; break-after: avoid; }
.facts { margin: 0 0 0.6em; }
.question { font-size: 12pt; font-style: italic; border-left: 4px solid #111; padding-left: 0.7em; margin: 0.6em 0; }
figure { margin: 0.5em 0 0.8em; break-inside: avoid; }
figure svg { display: block; box-sizing: border-box; width: 100%; height: auto; border: 1px solid #999; }
figcaption { font-weight: 700; margin-bottom: 0.3em; }
table { border-collapse: collapse; width: 100%; margin: 0.3em 0 0.8em; }
th, td { border: 1px solid #555; padding: 0.25em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { break-inside: avoid; }
/* The commitment tables share their columns, so they line up down the page. */
table.held { table-layout: fixed; }
table.held th:nth-child(1) { width: 52%; }
table.held th:nth-child(2) { width: 18%; }
table.held th:nth-child(3) { width: 16%; }
table.held th:nth-child(4) { width: 14%; }
.status-done { text-decoration: line-through; }
.legend { font-size: 9.5pt; color: #333; }
p.moved { margin: 0.4em 0 0.1em; break-after: avoid; }
ul.moved { margin: 0 0 0.8em; padding-left: 1.4em; }
ul.moved li { break-inside: avoid; }
.notes { white-space: pre-wrap; }
@page { margin: 14mm; }
@media print { .summary { padding: 0; max-width: none; } }
"#;

/// The summary as an HTML document.
pub fn to_html(summary: &Summary) -> String {
    let s = &summary.session;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body class=\"summary\">\n",
        esc(&s.title)
    );
    let _ = write!(out, "<header><h1>{}</h1>", esc(&s.title));
    let facts: Vec<String> =
        summary.facts().iter().map(|(label, value)| format!("<strong>{label}:</strong> {}", esc(value))).collect();
    if !facts.is_empty() {
        let _ = write!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    }
    if !s.question.is_empty() {
        let _ = write!(out, "<p class=\"question\">{}</p>", esc(&s.question));
    }
    if !summary.participants.is_empty() {
        let people: Vec<String> = summary.participant_lines().iter().map(|p| esc(p)).collect();
        let _ = write!(out, "<p><strong>Participants:</strong> {}</p>", people.join(", "));
    }
    out.push_str("</header>\n");

    for grid in &summary.grids {
        let _ = write!(
            out,
            "<section class=\"grid\"><h2>{} <small>— {}</small></h2><figure>{}</figure>",
            esc(&grid.grid.title),
            kind_label(grid.grid.kind),
            picture::to_svg(grid, false)
        );
        out.push_str("<table><thead><tr><th>Region</th><th>Organizations</th></tr></thead><tbody>");
        for region in &grid.regions {
            let names: Vec<String> = region.organizations.iter().map(|o| esc(&marked_name(o))).collect();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&region.name),
                if names.is_empty() { "—".to_string() } else { names.join(", ") }
            );
        }
        if !grid.unplaced.is_empty() {
            let names: Vec<String> = grid.unplaced.iter().map(|o| esc(&marked_name(o))).collect();
            let _ = write!(out, "<tr><td><em>Not placed</em></td><td>{}</td></tr>", names.join(", "));
        }
        out.push_str("</tbody></table>");
        if !grid.moved.is_empty() {
            out.push_str("<p class=\"moved\"><strong>Moved during the session:</strong></p><ul class=\"moved\">");
            for moved in &grid.moved {
                let _ = write!(out, "<li>{}</li>", esc(&moved.line()));
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>\n");
    }
    if summary.organizations.iter().any(|o| o.directly_affected) {
        out.push_str("<p class=\"legend\">★ led by directly affected people</p>\n");
    }

    out.push_str("<section class=\"commitments\"><h2>Commitments</h2>");
    if summary.commitments.is_empty() {
        out.push_str("<p>No commitments were recorded.</p>");
    }
    for group in &summary.commitments {
        let _ = write!(
            out,
            "<h3>{}</h3><table class=\"held\"><thead><tr><th>What</th><th>Person</th><th>By when</th><th>Status</th></tr></thead><tbody>",
            esc(&group.who)
        );
        for c in &group.commitments {
            let _ = write!(
                out,
                "<tr class=\"status-{}\" data-commitment-id=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.status.as_str(),
                esc(&c.id),
                esc(&c.action),
                esc(&c.person),
                esc(c.due.as_deref().unwrap_or("—")),
                status_label(c.status)
            );
        }
        out.push_str("</tbody></table>");
    }
    out.push_str("</section>\n");
    if !s.notes.is_empty() {
        let _ = writeln!(out, "<section><h2>Notes</h2><p class=\"notes\">{}</p></section>", esc(&s.notes));
    }
    out.push_str("</body></html>\n");
    out
}
