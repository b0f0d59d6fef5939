//! The session read as a summary: everything the summary shows, in the order it shows it,
//! with what moved during the session (read from its history).

use crate::model::{Commitment, Grid, Organization, Session, SessionData};

/// A session read for people: everything the summary shows, in the order it shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub session: Session,
    pub participants: Vec<ParticipantLine>,
    pub grids: Vec<GridSummary>,
    /// Commitments grouped by who holds them, groups in alphabetical order.
    pub commitments: Vec<CommitmentGroup>,
    pub organizations: Vec<Organization>,
}

/// A person in the room, with the organization they represent.
#[derive(Debug, Clone)]
pub struct ParticipantLine {
    pub name: String,
    pub organization: Option<String>,
}

/// One grid: its cards where they sit, and the organizations in each region.
#[derive(Debug, Clone)]
pub struct GridSummary {
    pub grid: Grid,
    pub cards: Vec<Card>,
    pub regions: Vec<RegionSummary>,
    /// Organizations not placed on this grid (still in its tray).
    pub unplaced: Vec<Organization>,
    /// Cards that ended the session in another region than where they were first placed.
    pub moved: Vec<Moved>,
}

/// A card that changed region during the session: where it was first placed, where it is
/// now (`None`: back in the tray), and who moved it last.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub organization: Organization,
    pub from: String,
    pub to: Option<String>,
    pub by: String,
}

impl Moved {
    /// "Office of the Mayor: Keep satisfied → Manage closely (moved by Dolores)".
    pub fn line(&self) -> String {
        let to = self.to.as_deref().unwrap_or("off the grid");
        let by = if self.by.is_empty() { String::new() } else { format!(" (moved by {})", self.by) };
        format!("{}: {} → {to}{by}", self.organization.name, self.from)
    }
}

/// A card on a grid at normalized `(x, y)`, origin bottom-left, and who moved it last.
#[derive(Debug, Clone)]
pub struct Card {
    pub organization: Organization,
    pub x: f64,
    pub y: f64,
    pub moved_by: String,
}

/// A region of a grid and the organizations in it, in the session's order.
#[derive(Debug, Clone)]
pub struct RegionSummary {
    pub name: String,
    pub organizations: Vec<Organization>,
}

/// The commitments one organization or person holds, by due date (undated last).
#[derive(Debug, Clone)]
pub struct CommitmentGroup {
    pub who: String,
    pub commitments: Vec<Commitment>,
}

impl Summary {
    /// Reads a loaded session as a summary.
    pub fn of(data: SessionData) -> Summary {
        let name_of = |id: &Option<String>| {
            id.as_ref().and_then(|id| data.organizations.iter().find(|o| &o.id == id)).map(|o| o.name.clone())
        };
        let participants = data
            .participants
            .iter()
            .map(|p| ParticipantLine { name: p.name.clone(), organization: name_of(&p.organization_id) })
            .collect();
        let grids =
            data.grids
                .iter()
                .map(|grid| {
                    let cards: Vec<Card> =
                        data.organizations
                            .iter()
                            .filter_map(|o| {
                                data.placements.iter().find(|p| p.grid_id == grid.id && p.organization_id == o.id).map(
                                    |p| Card { organization: o.clone(), x: p.x, y: p.y, moved_by: p.moved_by.clone() },
                                )
                            })
                            .collect();
                    let regions = grid
                        .labels
                        .regions
                        .iter()
                        .enumerate()
                        .map(|(index, name)| RegionSummary {
                            name: name.clone(),
                            organizations: cards
                                .iter()
                                .filter(|c| grid.kind.region_at(c.x, c.y) == index)
                                .map(|c| c.organization.clone())
                                .collect(),
                        })
                        .collect();
                    let unplaced = data
                        .organizations
                        .iter()
                        .filter(|o| !cards.iter().any(|c| c.organization.id == o.id))
                        .cloned()
                        .collect();
                    GridSummary { grid: grid.clone(), cards, regions, unplaced, moved: Vec::new() }
                })
                .collect();
        let mut groups: Vec<CommitmentGroup> = Vec::new();
        for commitment in &data.commitments {
            let who = name_of(&commitment.organization_id).unwrap_or_else(|| commitment.person.clone());
            match groups.iter_mut().find(|g| g.who == who) {
                Some(group) => group.commitments.push(commitment.clone()),
                None => groups.push(CommitmentGroup { who, commitments: vec![commitment.clone()] }),
            }
        }
        groups.sort_by_key(|g| g.who.to_lowercase());
        for group in &mut groups {
            group.commitments.sort_by(|a, b| {
                let due = |c: &Commitment| c.due.clone().unwrap_or_else(|| "9999".into());
                due(a).cmp(&due(b)).then_with(|| a.action.cmp(&b.action))
            });
        }
        Summary { session: data.session, participants, grids, commitments: groups, organizations: data.organizations }
    }

    /// Adds what moved during the session: the cards whose region now differs from the one
    /// at `first_places` (where each card was first seen, by grid and organization id).
    pub fn with_first_places(
        mut self,
        first_places: &std::collections::HashMap<(String, String), (f64, f64)>,
    ) -> Summary {
        for grid in &mut self.grids {
            let region = |x: f64, y: f64| {
                let index = grid.grid.kind.region_at(x, y);
                grid.grid.labels.regions.get(index).cloned().unwrap_or_default()
            };
            let mut moved = Vec::new();
            for organization in &self.organizations {
                let Some(&(x, y)) = first_places.get(&(grid.grid.id.clone(), organization.id.clone())) else {
                    continue;
                };
                let from = region(x, y);
                let card = grid.cards.iter().find(|c| c.organization.id == organization.id);
                let to = card.map(|c| region(c.x, c.y));
                if to.as_ref() != Some(&from) {
                    let by = card.map(|c| c.moved_by.clone()).unwrap_or_default();
                    moved.push(Moved { organization: organization.clone(), from, to, by });
                }
            }
            grid.moved = moved;
        }
        self
    }

    /// The session's date, place and facilitator as (label, value), those that are given.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let s = &self.session;
        let mut facts = Vec::new();
        if let Some(date) = &s.date {
            facts.push(("Date", date.clone()));
        }
        if !s.place.is_empty() {
            facts.push(("Place", s.place.clone()));
        }
        if !s.facilitator.is_empty() {
            facts.push(("Facilitator", s.facilitator.clone()));
        }
        facts
    }

    /// Each participant as "Name (Organization)", or just the name.
    pub fn participant_lines(&self) -> Vec<String> {
        self.participants
            .iter()
            .map(|p| match &p.organization {
                Some(org) => format!("{} ({org})", p.name),
                None => p.name.clone(),
            })
            .collect()
    }

    /// The name of the organization `id`, if it is in the session.
    pub fn organization_name(&self, id: Option<&str>) -> Option<&str> {
        let id = id?;
        self.organizations.iter().find(|o| o.id == id).map(|o| o.name.as_str())
    }
}

impl crate::store::Store {
    /// The session read as a summary, with what moved during it (from its history).
    pub fn summary(&self, session_id: &str) -> crate::error::Result<Summary> {
        let data = self.load_session(session_id)?;
        Ok(Summary::of(data).with_first_places(&self.first_places(session_id)?))
    }
}
