//! The session read as a summary: everything the summary shows, in the order it shows it,
//! with what moved during the session (read from its history).

use crate::i18n::{self, Lang};
use crate::model::{
    Commitment, Grid, GridKind, Organization, Relationship, RelationshipKind, Review, SaidAndDone, Session, SessionData,
};

/// A session read for people: everything the summary shows, in the order it shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub session: Session,
    pub participants: Vec<ParticipantLine>,
    pub grids: Vec<GridSummary>,
    /// Commitments grouped by who holds them, groups in alphabetical order.
    pub commitments: Vec<CommitmentGroup>,
    pub organizations: Vec<Organization>,
    /// For a follow-up: the title of the session it follows up.
    pub last_title: Option<String>,
    /// Commitments of earlier meetings reviewed in this one.
    pub reviews: Vec<Review>,
    /// Lines between organizations, in the order they were drawn.
    pub relationships: Vec<Relationship>,
    /// Each organization's word and deed over the campaign, the widest gap first (empty
    /// until [`Summary::with_said_and_done`]).
    pub said_and_done: Vec<SaidAndDone>,
    /// The revealed private rounds' answers, in the order the rounds were held (empty until
    /// [`Summary::with_rounds`]).
    pub rounds: Vec<crate::model::RoundResults>,
    /// For a campaign shared across laptops: each laptop that changed it, and the day of its
    /// last change (empty until [`Summary::with_laptops`]).
    pub laptops: Vec<(String, Option<crate::model::Millis>)>,
    /// The language the summary is written in (English unless [`Summary::in_language`]).
    pub lang: Lang,
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
    /// For a follow-up: the cards that stand in another region than at the end of last
    /// time (`from` "not placed" for a card placed only now).
    pub since_last: Vec<Moved>,
    /// For a follow-up's spectrum of allies: how the groups moved between wedges.
    pub shift: Option<Shift>,
}

/// How far the groups on a spectrum of allies moved since last time, in wedges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shift {
    /// Groups that moved toward the active allies, and by how many wedges in all.
    pub toward: u32,
    pub wedges_toward: u32,
    /// Groups that moved toward the active opposition, and by how many wedges in all.
    pub away: u32,
    pub wedges_away: u32,
}

impl Shift {
    /// "3 groups moved toward us (4 wedges in all); 1 group moved away (1 wedge in all)."
    pub fn line(&self, lang: Lang) -> String {
        let wedges = |n: u32| i18n::message(lang, "summary.wedges", &[("count", n.to_string())]);
        let moved = |key: &str, none: &str, groups: u32, in_all: u32| {
            if groups == 0 {
                i18n::message(lang, none, &[])
            } else {
                i18n::message(lang, key, &[("count", groups.to_string()), ("wedges", wedges(in_all))])
            }
        };
        let toward = moved("summary.shift-toward", "summary.shift-none-toward", self.toward, self.wedges_toward);
        let away = moved("summary.shift-away", "summary.shift-none-away", self.away, self.wedges_away);
        i18n::message(lang, "summary.shift", &[("toward", toward), ("away", away)])
    }
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
    pub fn line(&self, lang: Lang) -> String {
        let to = self.to.clone().unwrap_or_else(|| i18n::message(lang, "summary.off-grid", &[]));
        let line = i18n::message(
            lang,
            "summary.moved",
            &[("name", self.organization.name.clone()), ("from", self.from.clone()), ("to", to)],
        );
        if self.by.is_empty() {
            line
        } else {
            i18n::message(lang, "summary.moved-by", &[("line", line), ("who", self.by.clone())])
        }
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
                    let (since_last, shift) = since_last(&data, grid, &cards);
                    GridSummary { grid: grid.clone(), cards, regions, unplaced, moved: Vec::new(), since_last, shift }
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
        Summary {
            last_title: data.last_time.as_ref().map(|l| l.title.clone()),
            reviews: data.reviews,
            relationships: data.relationships,
            said_and_done: Vec::new(),
            rounds: Vec::new(),
            laptops: Vec::new(),
            lang: Lang::En,
            session: data.session,
            participants,
            grids,
            commitments: groups,
            organizations: data.organizations,
        }
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

    /// Adds each organization's word and deed over the campaign.
    /// The laptops that share the campaign, for the summary to say who made its changes.
    pub fn with_laptops(mut self, laptops: Vec<(String, Option<crate::model::Millis>)>) -> Summary {
        self.laptops = laptops;
        self
    }

    pub fn with_said_and_done(mut self, records: Vec<SaidAndDone>) -> Summary {
        self.said_and_done = records;
        self
    }

    /// Adds the revealed private rounds' answers.
    pub fn with_rounds(mut self, rounds: Vec<crate::model::RoundResults>) -> Summary {
        self.rounds = rounds;
        self
    }

    /// The summary written in `lang`.
    pub fn in_language(mut self, lang: Lang) -> Summary {
        self.lang = lang;
        self
    }

    /// The words of `key` in the summary's language.
    pub fn say(&self, key: &str, args: &[(&str, String)]) -> String {
        i18n::message(self.lang, key, args)
    }

    /// A `YYYY-MM-DD` date as the summary's language writes it.
    pub fn date(&self, iso: &str) -> String {
        i18n::long_date(self.lang, iso)
    }

    /// The session's date, place and facilitator as (label, value), those that are given.
    pub fn facts(&self) -> Vec<(String, String)> {
        let s = &self.session;
        let mut facts = Vec::new();
        if let Some(date) = &s.date {
            facts.push((self.say("summary.date", &[]), self.date(date)));
        }
        if !s.place.is_empty() {
            facts.push((self.say("summary.place", &[]), s.place.clone()));
        }
        if !s.facilitator.is_empty() {
            facts.push((self.say("summary.facilitator", &[]), s.facilitator.clone()));
        }
        if !self.laptops.is_empty() {
            let laptops: Vec<String> =
                self.laptops
                    .iter()
                    .map(|(name, last)| match last.and_then(iso_day) {
                        Some(day) => self
                            .say("summary.laptop-last-change", &[("laptop", name.clone()), ("day", self.date(&day))]),
                        None => name.clone(),
                    })
                    .collect();
            facts.push((self.say("summary.shared-between", &[]), laptops.join("; ")));
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

    /// Where a group not led by directly affected people speaks for, or leads, one that is:
    /// "Housing Justice Legal Aid speaks for Riverside Tenants Union ★".
    pub fn who_speaks_for_whom(&self) -> Vec<String> {
        let organization = |id: &str| self.organizations.iter().find(|o| o.id == id);
        self.relationships
            .iter()
            .filter(|r| matches!(r.kind, RelationshipKind::SpeaksFor | RelationshipKind::Leads))
            .filter_map(|r| {
                let (from, to) = (organization(&r.from_id)?, organization(&r.to_id)?);
                (!from.directly_affected && to.directly_affected)
                    .then(|| format!("{} {} {}", from.name, self.verb(r.kind), super::marked_name(to)))
            })
            .collect()
    }

    /// What a relationship of `kind` is called in the summary's language ("speaks for").
    pub fn verb(&self, kind: RelationshipKind) -> String {
        self.say(&format!("relationship.{}", kind.as_str()), &[])
    }

    /// The name of the organization `id`, if it is in the session.
    pub fn organization_name(&self, id: Option<&str>) -> Option<&str> {
        let id = id?;
        self.organizations.iter().find(|o| o.id == id).map(|o| o.name.as_str())
    }
}

/// What changed on `grid` since last time (nothing for a session that follows up none):
/// the cards in another region, and on a spectrum of allies, the shift between wedges.
fn since_last(data: &SessionData, grid: &Grid, cards: &[Card]) -> (Vec<Moved>, Option<Shift>) {
    let Some(last) = &data.last_time else {
        return (Vec::new(), None);
    };
    let region = |index: usize| grid.labels.regions.get(index).cloned().unwrap_or_default();
    let mut moved = Vec::new();
    let mut shift = Shift::default();
    for organization in &data.organizations {
        let before = last.placements.iter().find(|p| p.grid_id == grid.id && p.organization_id == organization.id);
        let now = cards.iter().find(|c| c.organization.id == organization.id);
        let before_region = before.map(|p| grid.kind.region_at(p.x, p.y));
        let now_region = now.map(|c| grid.kind.region_at(c.x, c.y));
        if before_region == now_region {
            continue;
        }
        if let (GridKind::SpectrumOfAllies, Some(b), Some(n)) = (grid.kind, before_region, now_region) {
            let distance = u32::try_from(b.abs_diff(n)).unwrap_or(u32::MAX);
            if n < b {
                shift.toward += 1;
                shift.wedges_toward += distance;
            } else {
                shift.away += 1;
                shift.wedges_away += distance;
            }
        }
        moved.push(Moved {
            organization: organization.clone(),
            from: before_region.map(region).unwrap_or_else(|| "not placed".into()),
            to: now_region.map(region),
            by: String::new(),
        });
    }
    let shift = (grid.kind == GridKind::SpectrumOfAllies).then_some(shift);
    (moved, shift)
}

impl Summary {
    /// The session of `store` read as a summary, with what moved during it (from its
    /// history), its organizations' word and deed over the campaign (overdue as of the
    /// session's date, or of today for a session without one) and its revealed private
    /// rounds.
    pub fn read(store: &crate::store::Store, session_id: &str) -> crate::error::Result<Summary> {
        let data = store.load_session(session_id)?;
        let said_and_done = store.said_and_done(session_id, &crate::clock::today())?;
        let rounds = data
            .rounds
            .iter()
            .filter(|r| r.revealed_at.is_some())
            .map(|r| store.round_results(&r.id))
            .collect::<crate::error::Result<Vec<_>>>()?;
        let laptops = match store.shared_campaign_of(session_id)? {
            Some(campaign) => store
                .shared_campaign(&campaign)?
                .laptops
                .into_iter()
                .filter(|laptop| laptop.last_change.is_some())
                .map(|laptop| (laptop.name, laptop.last_change))
                .collect(),
            None => Vec::new(),
        };
        Ok(Summary::of(data)
            .with_laptops(laptops)
            .with_first_places(&store.first_places(session_id)?)
            .with_said_and_done(said_and_done)
            .with_rounds(rounds))
    }
}

/// The day (`YYYY-MM-DD`, UTC) of a moment in milliseconds.
fn iso_day(at: crate::model::Millis) -> Option<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000)).ok()?.format(&format).ok()
}
