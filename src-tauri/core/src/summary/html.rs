//! The summary as one self-contained HTML page: no external resources, so it opens
//! anywhere and prints the same (A4 or Letter, in black and white; a page break never cuts
//! a grid or a table row).

use std::fmt::Write;

use super::document::{TableKind, Words};
use super::{escape_xml as esc, picture, Block, Summary, Table};

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
    let document = summary.document();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body class=\"summary\">\n",
        document.lang.code(),
        esc(&document.title)
    );
    let _ = write!(out, "<header><h1>{}</h1>", esc(&document.title));
    let facts: Vec<String> = document
        .facts
        .iter()
        .map(|(label, value)| format!("<strong>{}</strong> {}", esc(&document.labelled(label)), esc(value)))
        .collect();
    if !facts.is_empty() {
        let _ = write!(out, "<p class=\"facts\">{}</p>", facts.join(" · "));
    }
    if let Some(question) = &document.question {
        let _ = write!(out, "<p class=\"question\">{}</p>", esc(question));
    }
    if !document.participants.is_empty() {
        let _ = write!(
            out,
            "<p><strong>{}</strong> {}</p>",
            esc(&document.labelled(&document.words.participants)),
            esc(&document.participants.join(", "))
        );
    }
    out.push_str("</header>\n");
    for block in &document.blocks {
        block_html(&mut out, block, &document.words);
    }
    out.push_str("</body></html>\n");
    out
}

fn block_html(out: &mut String, block: &Block<'_>, words: &Words) {
    match block {
        Block::Grid { title, kind, grid, regions, moved } => {
            let kind = kind.as_ref().map(|kind| format!(" <small>— {}</small>", esc(kind))).unwrap_or_default();
            let _ = write!(
                out,
                "<section class=\"grid\"><h2>{}{kind}</h2><figure>{}</figure>",
                esc(title),
                picture::to_svg(grid, false)
            );
            table_html(out, regions);
            if !moved.is_empty() {
                let _ = write!(
                    out,
                    "<p class=\"moved\"><strong>{}</strong></p><ul class=\"moved\">",
                    esc(&words.moved_during)
                );
                for line in moved {
                    let _ = write!(out, "<li>{}</li>", esc(line));
                }
                out.push_str("</ul>");
            }
            out.push_str("</section>\n");
        }
        Block::Legend(text) => {
            let _ = writeln!(out, "<p class=\"legend\">{}</p>", esc(text));
        }
        Block::Section { title, class, blocks } => {
            if class.is_empty() {
                out.push_str("<section>");
            } else {
                let _ = write!(out, "<section class=\"{class}\">");
            }
            let _ = write!(out, "<h2>{}</h2>", esc(title));
            for block in blocks {
                block_html(out, block, words);
            }
            out.push_str("</section>\n");
        }
        Block::Group(who) => {
            let _ = write!(out, "<h3>{}</h3>", esc(who));
        }
        Block::Table(table) => table_html(out, table),
        Block::Paragraph(text) => {
            let _ = write!(out, "<p>{}</p>", esc(text));
        }
        Block::Notes(text) => {
            let _ = write!(out, "<p class=\"notes\">{}</p>", esc(text));
        }
    }
}

fn table_html(out: &mut String, table: &Table) {
    let class = match table.kind {
        TableKind::Regions => "",
        TableKind::Commitments => " class=\"held\"",
        TableKind::Movement => " class=\"movement\"",
        TableKind::Reviews => " class=\"reviewed\"",
        TableKind::SaidAndDone => " class=\"said-and-done\"",
        TableKind::Relationships => " class=\"relationships\"",
        TableKind::Disagreement => " class=\"disagreement\"",
    };
    let _ = write!(out, "<table{class}><thead><tr>");
    for head in &table.header {
        let _ = write!(out, "<th>{head}</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        match &row.commitment {
            Some((id, status)) => {
                let _ = write!(out, "<tr class=\"status-{}\" data-commitment-id=\"{}\">", status.as_str(), esc(id));
            }
            None => out.push_str("<tr>"),
        }
        for (n, cell) in row.cells.iter().enumerate() {
            if row.aside && n == 0 {
                let _ = write!(out, "<td><em>{}</em></td>", esc(cell));
            } else {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}
