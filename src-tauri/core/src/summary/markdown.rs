//! The summary as Markdown, for email and documents.

use std::fmt::Write;

use super::{kind_label, marked_name, status_label, Summary};

/// A table cell: one line, with pipes escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// The summary as a Markdown document.
pub fn to_markdown(summary: &Summary) -> String {
    let s = &summary.session;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {}\n", s.title);
    let facts: Vec<String> = summary.facts().iter().map(|(label, value)| format!("**{label}:** {value}")).collect();
    if !facts.is_empty() {
        let _ = writeln!(out, "{}\n", facts.join(" · "));
    }
    if !s.question.is_empty() {
        let _ = writeln!(out, "> {}\n", s.question.replace('\n', "\n> "));
    }
    if !summary.participants.is_empty() {
        let _ = writeln!(out, "**Participants:** {}\n", summary.participant_lines().join(", "));
    }
    for grid in &summary.grids {
        let _ = writeln!(out, "## {} — {}\n", grid.grid.title, kind_label(grid.grid.kind));
        let _ = writeln!(out, "| Region | Organizations |\n|---|---|");
        for region in &grid.regions {
            let names: Vec<String> = region.organizations.iter().map(marked_name).collect();
            let shown = if names.is_empty() { "—".to_string() } else { names.join(", ") };
            let _ = writeln!(out, "| {} | {} |", cell(&region.name), cell(&shown));
        }
        if !grid.unplaced.is_empty() {
            let names: Vec<String> = grid.unplaced.iter().map(marked_name).collect();
            let _ = writeln!(out, "\nNot placed: {}", names.join(", "));
        }
        if !grid.moved.is_empty() {
            let _ = writeln!(out, "\nMoved during the session:\n");
            for moved in &grid.moved {
                let _ = writeln!(out, "- {}", moved.line());
            }
        }
        out.push('\n');
    }
    if summary.organizations.iter().any(|o| o.directly_affected) {
        let _ = writeln!(out, "★ led by directly affected people\n");
    }
    let _ = writeln!(out, "## Commitments\n");
    if summary.commitments.is_empty() {
        let _ = writeln!(out, "No commitments were recorded.\n");
    }
    for group in &summary.commitments {
        let _ = writeln!(out, "### {}\n", group.who);
        let _ = writeln!(out, "| What | Person | By when | Status |\n|---|---|---|---|");
        for c in &group.commitments {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&c.action),
                cell(&c.person),
                c.due.as_deref().unwrap_or("—"),
                status_label(c.status)
            );
        }
        out.push('\n');
    }
    if !s.notes.is_empty() {
        let _ = writeln!(out, "## Notes\n\n{}\n", s.notes);
    }
    out
}
