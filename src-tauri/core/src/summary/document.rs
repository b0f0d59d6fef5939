//! The summary laid out once, as a document: a header and blocks in reading order. What the
//! summary says, and in which order, is decided here; the writers (HTML, Markdown, PDF)
//! only decide how each kind of block looks.

use super::{marked_name, GridSummary, Summary};
use crate::i18n::Lang;
use crate::model::{CommitmentStatus, GridKind, ReviewOutcome};

/// The summary as a document.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The language it is written in.
    pub lang: Lang,
    pub title: String,
    /// The session's date, place and facilitator, those that are given, as (label, value).
    pub facts: Vec<(String, String)>,
    /// The campaign question, if there is one.
    pub question: Option<String>,
    /// Who was in the room, "Name (Organization)" each.
    pub participants: Vec<String>,
    pub blocks: Vec<Block<'a>>,
    /// The words the writers put before parts of it, in its language.
    pub words: Words,
}

/// The words a writer adds around a document's parts.
#[derive(Debug, Clone)]
pub struct Words {
    /// "Participants"
    pub participants: String,
    /// "Moved during the session:"
    pub moved_during: String,
}

impl Document<'_> {
    /// "Date: …" as the document's language writes a label before its value.
    pub fn labelled(&self, label: &str) -> String {
        crate::i18n::message(self.lang, "summary.label", &[("label", label.to_string())])
    }
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
        kind: Option<String>,
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
    pub header: Vec<String>,
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

/// `text` with its first letter a capital.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
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
    /// Column heads, in the summary's language.
    fn header(&self, keys: &[&str]) -> Vec<String> {
        keys.iter().map(|key| self.say(&format!("summary.{key}"), &[])).collect()
    }

    /// The kind of a grid, in the summary's language.
    fn kind_label(&self, kind: GridKind) -> String {
        self.say(&format!("summary.kind.{}", kind.as_str()), &[])
    }

    /// A commitment's status, capitalized ("Open"), in the summary's language.
    fn status_label(&self, status: CommitmentStatus) -> String {
        capitalized(&self.say(&format!("status.{}", status.as_str()), &[]))
    }

    /// What became of a reviewed commitment, capitalized, in the summary's language.
    fn outcome_label(&self, outcome: ReviewOutcome) -> String {
        match outcome {
            ReviewOutcome::Pending => self.say("summary.outcome-pending", &[]),
            other => capitalized(&self.say(&format!("outcome.{}", other.as_str()), &[])),
        }
    }

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
                    cells: vec![self.say("summary.not-placed-row", &[]), names(&grid.unplaced)],
                    aside: true,
                    commitment: None,
                });
            }
            blocks.push(Block::Grid {
                title: grid.grid.title.clone(),
                kind: Some(self.kind_label(grid.grid.kind)).filter(|kind| !names_kind(&grid.grid.title, kind)),
                grid,
                regions: Table { kind: TableKind::Regions, header: self.header(&["region", "organizations"]), rows },
                moved: grid.moved.iter().map(|m| m.line(self.lang)).collect(),
            });
        }
        if self.organizations.iter().any(|o| o.directly_affected) {
            blocks.push(Block::Legend(self.say("summary.legend-affected", &[])));
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
                    let mut outcome = self.outcome_label(r.outcome);
                    if let Some(due) = r.carried_as.as_ref().and_then(|id| self.commitment_due(id)) {
                        outcome = self.say("summary.outcome-by", &[("outcome", outcome), ("due", self.date(&due))]);
                    }
                    TableRow::plain(vec![r.action.clone(), who, outcome, r.note.clone()])
                })
                .collect();
            blocks.push(Block::Section {
                title: self.say("summary.reviews", &[]),
                class: "reviews",
                blocks: vec![Block::Table(Table {
                    kind: TableKind::Reviews,
                    header: self.header(&["what", "who", "outcome", "note"]),
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
            commitments.push(Block::Paragraph(self.say("summary.no-commitments", &[])));
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
                        c.due.as_deref().map(|due| self.date(due)).unwrap_or_else(|| "—".into()),
                        self.status_label(c.status),
                    ],
                    aside: false,
                    commitment: Some((c.id.clone(), c.status)),
                })
                .collect();
            commitments.push(Block::Table(Table {
                kind: TableKind::Commitments,
                header: self.header(&["what", "person", "by-when", "status"]),
                rows,
            }));
        }
        blocks.push(Block::Section {
            title: self.say("summary.commitments", &[]),
            class: "commitments",
            blocks: commitments,
        });
        if !s.notes.is_empty() {
            blocks.push(Block::Section {
                title: self.say("summary.notes", &[]),
                class: "",
                blocks: vec![Block::Notes(s.notes.clone())],
            });
        }
        Document {
            lang: self.lang,
            title: s.title.clone(),
            facts: self.facts(),
            question: Some(s.question.clone()).filter(|q| !q.is_empty()),
            participants: self.participant_lines(),
            blocks,
            words: Words {
                participants: self.say("summary.participants", &[]),
                moved_during: self.say("summary.moved-during", &[]),
            },
        }
    }
}

impl Summary {
    /// "Since last session": per grid, who stands in another region than at the end of
    /// `last` (one row each), and on a spectrum of allies, how many moved toward us and away.
    fn since_last(&self, last: &str) -> Block<'_> {
        let mut blocks = vec![Block::Paragraph(self.say("summary.compared-with", &[("last", last.to_string())]))];
        for grid in &self.grids {
            if grid.since_last.is_empty() && grid.shift.is_none() {
                continue;
            }
            blocks.push(Block::Group(grid.grid.title.clone()));
            if let Some(shift) = &grid.shift {
                blocks.push(Block::Paragraph(shift.line(self.lang)));
            }
            if grid.since_last.is_empty() {
                continue;
            }
            let rows = grid
                .since_last
                .iter()
                .map(|m| {
                    let to = m.to.clone().unwrap_or_else(|| self.say("summary.not-placed", &[]));
                    TableRow::plain(vec![marked_name(&m.organization), m.from.clone(), to])
                })
                .collect();
            blocks.push(Block::Table(Table {
                kind: TableKind::Movement,
                header: self.header(&["organization", "last-time", "now"]),
                rows,
            }));
        }
        if blocks.len() == 1 {
            blocks.push(Block::Paragraph(self.say("summary.no-region-changed", &[])));
        }
        Block::Section { title: self.say("summary.since-last", &[]), class: "since-last", blocks }
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
            Some(date) => self.say("summary.said-and-done-as-of", &[("date", self.date(date))]),
            None => self.say("summary.said-and-done-all", &[]),
        };
        Block::Section {
            title: self.say("summary.said-and-done", &[]),
            class: "said-and-done",
            blocks: vec![
                Block::Paragraph(as_of),
                Block::Table(Table {
                    kind: TableKind::SaidAndDone,
                    header: self.header(&[
                        "organization",
                        "stated-position",
                        "made",
                        "kept",
                        "partly",
                        "dropped",
                        "overdue",
                    ]),
                    rows,
                }),
            ],
        }
    }

    /// "Where the room disagreed": per revealed private round, each card's answers, median
    /// and spread, the cards the room was most divided on first; where each placed it, by
    /// name if the facilitator chose to show names, else how many in each region.
    fn disagreement_section(&self) -> Block<'_> {
        let mut blocks = vec![Block::Paragraph(self.say("summary.rounds-intro", &[]))];
        for results in self.rounds.iter().filter(|r| !r.cards.is_empty()) {
            let Some(grid) = self.grids.iter().find(|g| g.grid.id == results.round.grid_id) else { continue };
            let region = |x: f64, y: f64| {
                grid.grid.labels.regions.get(grid.grid.kind.region_at(x, y)).cloned().unwrap_or_default()
            };
            blocks.push(Block::Group(self.say(
                "summary.round-heading",
                &[("grid", grid.grid.title.clone()), ("count", results.answered.to_string())],
            )));
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
                        Some((low, high)) if low != high => self.say(
                            "summary.median-half",
                            &[("region", card.region.clone()), ("low", low.clone()), ("high", high.clone())],
                        ),
                        _ => card.region.clone(),
                    };
                    let words = self.say(
                        if card.spread >= 0.5 {
                            "summary.far-apart"
                        } else if card.spread >= 0.25 {
                            "summary.divided"
                        } else {
                            "summary.close"
                        },
                        &[],
                    );
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
                header: self.header(&["organization", "answers", "median", "spread", "where-placed"]),
                rows,
            }));
        }
        Block::Section { title: self.say("summary.disagreement", &[]), class: "disagreement", blocks }
    }

    /// "Relationships": who speaks for whom first (a group not led by directly affected
    /// people speaking for or leading one that is), then every line drawn.
    fn relationships_section(&self) -> Block<'_> {
        let mut blocks = Vec::new();
        let speaking = self.who_speaks_for_whom();
        if !speaking.is_empty() {
            blocks.push(Block::Group(self.say("summary.who-speaks", &[])));
            blocks.push(Block::Paragraph(self.say("summary.who-speaks-intro", &[])));
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
                let verb = self.verb(r.kind);
                let tie = if r.mutual { self.say("summary.both-ways", &[("verb", verb)]) } else { verb };
                let strength = ["summary.weak", "summary.medium", "summary.strong"]
                    .get(usize::from(r.strength).saturating_sub(1))
                    .map(|key| self.say(key, &[]));
                TableRow::plain(vec![
                    name(&r.from_id),
                    tie,
                    name(&r.to_id),
                    strength.unwrap_or_else(|| "—".into()),
                    r.note.clone(),
                ])
            })
            .collect();
        blocks.push(Block::Table(Table {
            kind: TableKind::Relationships,
            header: self.header(&["organization", "relationship", "organization", "strength", "note"]),
            rows,
        }));
        Block::Section { title: self.say("summary.relationships", &[]), class: "relationships", blocks }
    }

    /// The due date of the commitment `id` of this session, if it has one.
    fn commitment_due(&self, id: &str) -> Option<String> {
        self.commitments.iter().flat_map(|g| &g.commitments).find(|c| c.id == id).and_then(|c| c.due.clone())
    }
}
