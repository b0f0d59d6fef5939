//! The summary as Markdown, for email and documents.

use std::fmt::Write;

use super::{Block, Summary, Table};

/// A table cell: one line, with pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The summary as a Markdown document.
pub fn to_markdown(summary: &Summary) -> String {
    let document = summary.document();
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {}\n", document.title);
    let facts: Vec<String> = document.facts.iter().map(|(label, value)| format!("**{label}:** {value}")).collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if let Some(question) = &document.question {
        let _ = writeln!(out, "> {}\n", question.replace('\n', "\n> "));
    }
    if !document.participants.is_empty() {
        let _ = writeln!(out, "**Participants:** {}\n", document.participants.join(", "));
    }
    for block in &document.blocks {
        block_markdown(&mut out, block);
    }
    out
}

fn block_markdown(out: &mut String, block: &Block<'_>) {
    match block {
        Block::Grid { title, kind, regions, moved, .. } => {
            let _ = writeln!(out, "## {title} — {kind}\n");
            table_markdown(out, regions);
            if !moved.is_empty() {
                let _ = writeln!(out, "\nMoved during the session:\n");
                for line in moved {
                    let _ = writeln!(out, "- {line}");
                }
            }
            out.push('\n');
        }
        Block::Legend(text) | Block::Paragraph(text) => {
            let _ = writeln!(out, "{text}\n");
        }
        Block::Section { title, blocks, .. } => {
            let _ = writeln!(out, "## {title}\n");
            for block in blocks {
                block_markdown(out, block);
            }
        }
        Block::Group(who) => {
            let _ = writeln!(out, "### {who}\n");
        }
        Block::Table(table) => {
            table_markdown(out, table);
            out.push('\n');
        }
        Block::Notes(text) => {
            let _ = writeln!(out, "{text}\n");
        }
    }
}

fn table_markdown(out: &mut String, table: &Table) {
    let _ = writeln!(out, "| {} |", table.header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(table.header.len()));
    for row in &table.rows {
        let cells: Vec<String> = row
            .cells
            .iter()
            .enumerate()
            .map(|(n, text)| if row.aside && n == 0 { format!("*{}*", cell(text)) } else { cell(text) })
            .collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}
