//! The summary laid out once, as a document: a header and blocks in reading order. What the
//! summary says, and in which order, is decided here; the writers (HTML, Markdown, PDF)
//! only decide how each kind of block looks.

use super::{kind_label, marked_name, status_label, GridSummary, Summary};
use crate::model::CommitmentStatus;

/// The summary as a document.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    pub title: String,
    /// The session's date, place and facilitator, those that are given, as (label, value).
    pub facts: Vec<(&'static str, String)>,
    /// The campaign question, if there is one.
    pub question: Option<String>,
    /// Who was in the room, "Name (Organization)" each.
    pub participants: Vec<String>,
    pub blocks: Vec<Block<'a>>,
}

/// A part of the document.
#[derive(Debug, Clone)]
pub enum Block<'a> {
    /// A grid: its heading, its picture, its organizations by region, and what moved on it
    /// during the session (one line each).
    Grid {
        title: String,
        /// The kind of map, where the title does not already say it ("Power and interest"
        /// is not followed by "— Power and interest grid").
        kind: Option<&'static str>,
        grid: &'a GridSummary,
        regions: Table,
        moved: Vec<String>,
    },
    /// What a mark in the names means (★).
    Legend(String),
    /// A section with a heading; `class` names it for a style sheet ("" for none).
    Section {
        title: String,
        class: &'static str,
        blocks: Vec<Block<'a>>,
    },
    /// A heading inside a section: whose commitments follow.
    Group(String),
    Table(Table),
    Paragraph(String),
    /// Free text whose line breaks are kept (the session's notes).
    Notes(String),
}

/// Which table: the writers give each kind its columns' widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableKind {
    /// Region, organizations.
    Regions,
    /// What, person, by when, status: every commitment table has the same columns, so they
    /// line up down the page.
    Commitments,
    /// Organization, last time's region, now's region.
    Movement,
    /// What, who, outcome, note: last meeting's commitments as this one reviewed them.
    Reviews,
    /// Organization, stated position, made, kept, partly, dropped, overdue.
    SaidAndDone,
    /// Organization, tie, organization, strength, note.
    Relationships,
    /// Organization, answers, median, spread, where they placed it.
    Disagreement,
}

/// A table: its kind, its column heads and its rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: TableKind,
    pub header: Vec<&'static str>,
    pub rows: Vec<TableRow>,
}

/// A row of a table.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub cells: Vec<String>,
    /// A row set apart from the others (the organizations not placed on a grid).
    pub aside: bool,
    /// The commitment the row shows: its id and status.
    pub commitment: Option<(String, CommitmentStatus)>,
}

impl TableRow {
    fn plain(cells: Vec<String>) -> TableRow {
        TableRow { cells, aside: false, commitment: None }
    }
}

/// Whether a grid's title already names its kind ("Power and interest" for a "Power and
/// interest grid"), so a heading need not repeat it.
fn names_kind(title: &str, kind: &str) -> bool {
    let title = title.trim().to_lowercase();
    let kind = kind.to_lowercase();
    let bare = kind.trim_end_matches(" grid");
    !title.is_empty() && (kind.contains(&title) || title.contains(bare))
}

/// Names as a table cell shows them: "A, B ★", or a dash for none.
fn names(organizations: &[crate::model::Organization]) -> String {
    if organizations.is_empty() {
        "—".to_string()
    } else {
        organizations.iter().map(marked_name).collect::<Vec<_>>().join(", ")
    }
}

impl Summary {
    /// The summary laid out as a document.
    pub fn document(&self) -> Document<'_> {
        let s = &self.session;
        let mut blocks = Vec::new();
        for grid in &self.grids {
            let mut rows: Vec<TableRow> = grid
                .regions
                .iter()
                .map(|region| TableRow::plain(vec![region.name.clone(), names(&region.organizations)]))
                .collect();
            if !grid.unplaced.is_empty() {
                rows.push(TableRow {
                    cells: vec!["Not placed".into(), names(&grid.unplaced)],
                    aside: true,
                    commitment: None,
                });
            }
            blocks.push(Block::Grid {
                title: grid.grid.title.clone(),
                kind: Some(kind_label(grid.grid.kind)).filter(|kind| !names_kind(&grid.grid.title, kind)),
                grid,
                regions: Table { kind: TableKind::Regions, header: vec!["Region", "Organizations"], rows },
                moved: grid.moved.iter().map(|m| m.line()).collect(),
            });
        }
        if self.organizations.iter().any(|o| o.directly_affected) {
            blocks.push(Block::Legend("★ led by directly affected people".into()));
        }
        if !self.relationships.is_empty() {
            blocks.push(self.relationships_section());
        }
        if let Some(last) = &self.last_title {
            blocks.push(self.since_last(last));
        }
        if !self.reviews.is_empty() {
            let rows = self
                .reviews
                .iter()
                .map(|r| {
                    let who = [self.organization_name(r.organization_id.as_deref()).unwrap_or(""), &r.person]
                        .into_iter()
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let mut outcome = super::outcome_label(r.outcome).to_string();
                    if let Some(due) = r.carried_as.as_ref().and_then(|id| self.commitment_due(id)) {
                        outcome = format!("{outcome}, by {due}");
                    }
                    TableRow::plain(vec![r.action.clone(), who, outcome, r.note.clone()])
                })
                .collect();
            blocks.push(Block::Section {
                title: "Commitments from last meeting".into(),
                class: "reviews",
                blocks: vec![Block::Table(Table {
                    kind: TableKind::Reviews,
                    header: vec!["What", "Who", "Outcome", "Note"],
                    rows,
                })],
            });
        }
        if self.said_and_done.iter().any(|r| r.made > 0) {
            blocks.push(self.said_and_done_section());
        }
        if self.rounds.iter().any(|r| !r.cards.is_empty()) {
            blocks.push(self.disagreement_section());
        }
        let mut commitments = Vec::new();
        if self.commitments.is_empty() {
            commitments.push(Block::Paragraph("No commitments were recorded.".into()));
        }
        for group in &self.commitments {
            commitments.push(Block::Group(group.who.clone()));
            let rows = group
                .commitments
                .iter()
                .map(|c| TableRow {
                    cells: vec![
                        c.action.clone(),
                        c.person.clone(),
                        c.due.clone().unwrap_or_else(|| "—".into()),
                        status_label(c.status).to_string(),
                    ],
                    aside: false,
                    commitment: Some((c.id.clone(), c.status)),
                })
                .collect();
            commitments.push(Block::Table(Table {
                kind: TableKind::Commitments,
                header: vec!["What", "Person", "By when", "Status"],
                rows,
            }));
        }
        blocks.push(Block::Section { title: "Commitments".into(), class: "commitments", blocks: commitments });
        if !s.notes.is_empty() {
            blocks.push(Block::Section {
                title: "Notes".into(),
                class: "",
                blocks: vec![Block::Notes(s.notes.clone())],
            });
        }
        Document {
            title: s.title.clone(),
            facts: self.facts(),
            question: Some(s.question.clone()).filter(|q| !q.is_empty()),
            participants: self.participant_lines(),
            blocks,
        }
    }
}

impl Summary {
    /// "Since last session": per grid, who stands in another region than at the end of
    /// `last` (one row each), and on a spectrum of allies, how many moved toward us and away.
    fn since_last(&self, last: &str) -> Block<'_> {
        let mut blocks = vec![Block::Paragraph(format!("Compared with the end of “{last}”."))];
        for grid in &self.grids {
            if grid.since_last.is_empty() && grid.shift.is_none() {
                continue;
            }
            blocks.push(Block::Group(grid.grid.title.clone()));
            if let Some(shift) = &grid.shift {
                blocks.push(Block::Paragraph(shift.line()));
            }
            if grid.since_last.is_empty() {
                continue;
            }
            let rows = grid
                .since_last
                .iter()
                .map(|m| {
                    let to = m.to.clone().unwrap_or_else(|| "not placed".into());
                    TableRow::plain(vec![marked_name(&m.organization), m.from.clone(), to])
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Movement,
                header: vec!["Organization", "Last time", "Now"],
                rows,
            }));
        }
        if blocks.len() == 1 {
            blocks.push(Block::Paragraph("No organization stands in another region than last time.".into()));
        }
        Block::Section { title: "Since last session".into(), class: "since-last", blocks }
    }

    /// "Said and done": each organization that made commitments at the campaign's meetings,
    /// its stated position beside what became of them, the widest gap first.
    fn said_and_done_section(&self) -> Block<'_> {
        let rows = self
            .said_and_done
            .iter()
            .filter(|r| r.made > 0)
            .map(|r| {
                let count = |n: u32| n.to_string();
                TableRow::plain(vec![
                    r.name.clone(),
                    r.stated.clone().unwrap_or_else(|| "—".into()),
                    count(r.made),
                    count(r.kept),
                    count(r.partly),
                    count(r.dropped),
                    count(r.overdue),
                ])
            })
            .collect();
        let as_of = match &self.session.date {
            Some(date) => {
                format!("Over every meeting of the campaign, as of {date}; the widest gap between word and deed first.")
            }
            None => "Over every meeting of the campaign; the widest gap between word and deed first.".to_string(),
        };
        Block::Section {
            title: "Said and done".into(),
            class: "said-and-done",
            blocks: vec![
                Block::Paragraph(as_of),
                Block::Table(Table {
                    kind: TableKind::SaidAndDone,
                    header: vec!["Organization", "Stated position", "Made", "Kept", "Partly", "Dropped", "Overdue"],
                    rows,
                }),
            ],
        }
    }

    /// "Where the room disagreed": per revealed private round, each card's answers, median
    /// and spread, the cards the room was most divided on first; where each placed it, by
    /// name if the facilitator chose to show names, else how many in each region.
    fn disagreement_section(&self) -> Block<'_> {
        let mut blocks = vec![Block::Paragraph(
            "In private rounds each participant placed the cards alone before the room saw the answers. \
             Spread runs from 0 (all in one place) to 1 (as far apart as the grid allows)."
                .into(),
        )];
        for results in self.rounds.iter().filter(|r| !r.cards.is_empty()) {
            let Some(grid) = self.grids.iter().find(|g| g.grid.id == results.round.grid_id) else { continue };
            let region = |x: f64, y: f64| {
                grid.grid.labels.regions.get(grid.grid.kind.region_at(x, y)).cloned().unwrap_or_default()
            };
            let people = if results.answered == 1 { "participant" } else { "participants" };
            blocks.push(Block::Group(format!("{} — {} {people} answered", grid.grid.title, results.answered)));
            let rows = results
                .cards
                .iter()
                .map(|card| {
                    let name = self
                        .organizations
                        .iter()
                        .find(|o| o.id == card.organization_id)
                        .map(marked_name)
                        .unwrap_or_else(|| "—".into());
                    let median = match &card.quartiles {
                        Some((low, high)) if low != high => format!("{} (half between {low} and {high})", card.region),
                        _ => card.region.clone(),
                    };
                    let words = if card.spread >= 0.5 {
                        "far apart"
                    } else if card.spread >= 0.25 {
                        "divided"
                    } else {
                        "close"
                    };
                    let placed = if results.round.names_shown {
                        card.answers
                            .iter()
                            .map(|a| format!("{}: {}", a.name.as_deref().unwrap_or("?"), region(a.x, a.y)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    } else {
                        let mut counts: Vec<(String, usize)> = Vec::new();
                        for a in &card.answers {
                            let r = region(a.x, a.y);
                            match counts.iter_mut().find(|(name, _)| *name == r) {
                                Some((_, n)) => *n += 1,
                                None => counts.push((r, 1)),
                            }
                        }
                        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                        counts.iter().map(|(r, n)| format!("{r} ×{n}")).collect::<Vec<_>>().join("; ")
                    };
                    TableRow::plain(vec![
                        name,
                        card.answers.len().to_string(),
                        median,
                        format!("{:.2} — {words}", card.spread),
                        placed,
                    ])
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Disagreement,
                header: vec!["Organization", "Answers", "Median", "Spread", "Where they placed it"],
                rows,
            }));
        }
        Block::Section { title: "Where the room disagreed".into(), class: "disagreement", blocks }
    }

    /// "Relationships": who speaks for whom first (a group not led by directly affected
    /// people speaking for or leading one that is), then every line drawn.
    fn relationships_section(&self) -> Block<'_> {
        let mut blocks = Vec::new();
        let speaking = self.who_speaks_for_whom();
        if !speaking.is_empty() {
            blocks.push(Block::Group("Who speaks for whom".into()));
            blocks.push(Block::Paragraph(
                "Groups not led by directly affected people that speak for, or lead, groups that are:".into(),
            ));
            for line in speaking {
                blocks.push(Block::Paragraph(format!("• {line}")));
            }
        }
        let name =
            |id: &str| self.organizations.iter().find(|o| o.id == id).map(marked_name).unwrap_or_else(|| "—".into());
        let rows = self
            .relationships
            .iter()
            .map(|r| {
                let tie = if r.mutual { format!("{} (both ways)", r.kind.verb()) } else { r.kind.verb().to_string() };
                let strength = ["weak", "medium", "strong"].get(usize::from(r.strength).saturating_sub(1)).copied();
                TableRow::plain(vec![
                    name(&r.from_id),
                    tie,
                    name(&r.to_id),
                    strength.unwrap_or("—").to_string(),
                    r.note.clone(),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            kind: TableKind::Relationships,
            header: vec!["Organization", "Relationship", "Organization", "Strength", "Note"],
            rows,
        }));
        Block::Section { title: "Relationships".into(), class: "relationships", blocks }
    }

    /// The due date of the commitment `id` of this session, if it has one.
    fn commitment_due(&self, id: &str) -> Option<String> {
        self.commitments.iter().flat_map(|g| &g.commitments).find(|c| c.id == id).and_then(|c| c.due.clone())
    }
}
