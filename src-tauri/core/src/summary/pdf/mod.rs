//! The summary as PDF, written directly with `pdf-writer` (no browser): A4 or Letter pages
//! set in the built-in DejaVu Sans (embedded as a subset of the glyphs used, so names in
//! any script the face covers print as typed and copy out as text), each grid drawn as
//! vectors from [`super::drawing`], tables whose rows never split across pages.

mod file;
mod grid;
mod layout;

use super::document::{TableKind, Words};
use super::drawing::{draw, HEIGHT, WIDTH};
use super::fonts::Style;
use super::shaping::Unprintable;
use super::{Block, Paper, Summary, Table};
use crate::error::Result;
use layout::Layout;

/// The summary as a PDF document.
pub fn to_pdf(summary: &Summary, paper: Paper) -> Result<Vec<u8>> {
    Ok(to_pdf_noting(summary, paper)?.0)
}

/// The summary as a PDF document, and the characters no face could print (left out).
pub fn to_pdf_noting(summary: &Summary, paper: Paper) -> Result<(Vec<u8>, Vec<Unprintable>)> {
    let document = summary.document();
    let mut layout = Layout::new(paper);
    layout.y -= 6.0;
    layout.paragraph(&document.title, Style::Bold, 20.0, 0.0);
    let facts: Vec<String> =
        document.facts.iter().map(|(label, value)| format!("{} {value}", document.labelled(label))).collect();
    if !facts.is_empty() {
        layout.y -= 4.0;
        layout.paragraph(&facts.join("  ·  "), Style::Regular, 11.0, 0.0);
    }
    if let Some(question) = &document.question {
        layout.y -= 4.0;
        layout.paragraph(question, Style::Italic, 12.0, 10.0);
    }
    if !document.participants.is_empty() {
        layout.y -= 4.0;
        let participants =
            format!("{} {}", document.labelled(&document.words.participants), document.participants.join(", "));
        layout.paragraph(&participants, Style::Regular, 10.5, 0.0);
    }
    for block in &document.blocks {
        lay_out(&mut layout, block, &document.words);
    }
    let mut missing = std::mem::take(&mut layout.missing);
    super::shaping::attribute(&mut missing, summary.organizations.iter().map(|o| o.name.as_str()));
    Ok((file::finish(layout, &document.title)?, missing))
}

fn lay_out(layout: &mut Layout, block: &Block<'_>, words: &Words) {
    match block {
        Block::Grid { title, kind, grid, regions, moved } => {
            // A grid's heading goes on the page of its picture.
            let picture_height = layout.measure() * (HEIGHT / WIDTH) as f32;
            layout.keep(picture_height + 60.0);
            let heading = match kind {
                Some(kind) => format!("{title} — {kind}"),
                None => title.clone(),
            };
            layout.heading(&heading, 14.0, true);
            layout.grid(&draw(grid));
            table(layout, regions);
            if !moved.is_empty() {
                layout.y -= 4.0;
                layout.paragraph(&words.moved_during, Style::Bold, 10.0, 0.0);
                for line in moved {
                    layout.paragraph(&format!("• {line}"), Style::Regular, 10.0, 8.0);
                }
            }
        }
        Block::Legend(text) => {
            layout.y -= 4.0;
            layout.paragraph(text, Style::Italic, 9.5, 0.0);
        }
        Block::Section { title, blocks, .. } => {
            layout.heading(title, 14.0, true);
            for block in blocks {
                lay_out(layout, block, words);
            }
        }
        Block::Group(who) => layout.heading(who, 12.0, false),
        Block::Table(t) => table(layout, t),
        Block::Paragraph(text) | Block::Notes(text) => {
            layout.paragraph(text, Style::Regular, 10.5, 0.0);
            // Room for the descenders before what follows (a table's top rule).
            layout.y -= 5.0;
        }
    }
}

/// A table at the width between the margins, its columns as wide as its kind wants.
fn table(layout: &mut Layout, table: &Table) {
    let content = layout.measure();
    let widths: Vec<f32> = match table.kind {
        TableKind::Regions => vec![150.0, content - 150.0],
        TableKind::Commitments => vec![content - 250.0, 100.0, 80.0, 70.0],
        TableKind::Movement => vec![content - 260.0, 130.0, 130.0],
        TableKind::Reviews => vec![content - 330.0, 120.0, 90.0, 120.0],
        TableKind::SaidAndDone => vec![content - 363.0, 105.0, 44.0, 44.0, 50.0, 60.0, 60.0],
        TableKind::Relationships => vec![130.0, 95.0, 130.0, 60.0, content - 415.0],
        TableKind::Disagreement => vec![130.0, 50.0, 110.0, 85.0, content - 375.0],
    };
    let header: Vec<(&str, f32)> = table.header.iter().map(String::as_str).zip(widths.iter().copied()).collect();
    // The header row stays with at least the first row under it.
    layout.keep(if table.rows.is_empty() { 20.0 } else { 60.0 });
    layout.row(&header, 10.0, true);
    for row in &table.rows {
        let cells: Vec<(&str, f32)> = row.cells.iter().map(String::as_str).zip(widths.iter().copied()).collect();
        layout.row(&cells, 10.0, false);
    }
}
