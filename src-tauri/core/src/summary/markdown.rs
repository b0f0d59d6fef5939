//! The summary as Markdown, for email and documents.

use std::fmt::Write;

use super::document::Words;
use super::{Block, Summary, Table};

/// Text as Markdown shows it, not as Markdown reads it: characters that would start
/// emphasis, code, a link, an image, raw HTML or an entity are escaped with a backslash, and
/// so is a line's start that would make a heading, a list or a quote. A name such as
/// `<img src=x onerror=…>` or `[click](javascript:…)` stays text in every renderer.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        out.push_str(&line[..line.len() - body.len()]);
        // A heading, a list item, a quote or a setext underline at the line's start.
        let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if body.starts_with(['#', '-', '+', '=', '>']) {
            out.push('\\');
        } else if digits > 0 && body[digits..].starts_with(['.', ')']) {
            out.push_str(&body[..digits]);
            out.push('\\');
            push_escaped(&mut out, &body[digits..]);
            continue;
        }
        push_escaped(&mut out, body);
    }
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!') {
            out.push('\\');
        }
        if !c.is_control() || c == '\t' {
            out.push(c);
        }
    }
}

/// A table cell: one line of escaped text.
fn cell(text: &str) -> String {
    inline(&text.replace(['\r', '\n'], " "))
}

/// The summary as a Markdown document.
pub fn to_markdown(summary: &Summary) -> String {
    let document = summary.document();
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {}\n", inline(&document.title));
    let facts: Vec<String> = document
        .facts
        .iter()
        .map(|(label, value)| format!("**{}** {}", inline(&document.labelled(label)), inline(value)))
        .collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if let Some(question) = &document.question {
        let _ = writeln!(out, "> {}\n", inline(question).replace('\n', "\n> "));
    }
    if !document.participants.is_empty() {
        let names: Vec<String> = document.participants.iter().map(|p| inline(p)).collect();
        let _ =
            writeln!(out, "**{}** {}\n", inline(&document.labelled(&document.words.participants)), names.join(", "));
    }
    for block in &document.blocks {
        block_markdown(&mut out, block, &document.words);
    }
    out
}

fn block_markdown(out: &mut String, block: &Block<'_>, words: &Words) {
    match block {
        Block::Grid { title, kind, regions, moved, .. } => {
            match kind {
                Some(kind) => {
                    let _ = writeln!(out, "## {} — {}\n", inline(title), inline(kind));
                }
                None => {
                    let _ = writeln!(out, "## {}\n", inline(title));
                }
            }
            table_markdown(out, regions);
            if !moved.is_empty() {
                let _ = writeln!(out, "\n{}\n", inline(&words.moved_during));
                for line in moved {
                    let _ = writeln!(out, "- {}", cell(line));
                }
            }
            out.push('\n');
        }
        Block::Legend(text) | Block::Paragraph(text) => {
            let _ = writeln!(out, "{}\n", inline(text));
        }
        Block::Section { title, blocks, .. } => {
            let _ = writeln!(out, "## {}\n", inline(title));
            for block in blocks {
                block_markdown(out, block, words);
            }
        }
        Block::Group(who) => {
            let _ = writeln!(out, "### {}\n", inline(who));
        }
        Block::Table(table) => {
            table_markdown(out, table);
            out.push('\n');
        }
        Block::Notes(text) => {
            // Each line of the notes a line of its own (two spaces make the break).
            let _ = writeln!(out, "{}\n", inline(text).replace('\n', "  \n"));
        }
    }
}

fn table_markdown(out: &mut String, table: &Table) {
    let header: Vec<String> = table.header.iter().map(|h| cell(h)).collect();
    let _ = writeln!(out, "| {} |", header.join(" | "));
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
