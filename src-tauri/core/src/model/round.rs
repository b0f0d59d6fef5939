//! A private round: the facilitator asks "where does X stand?", each participant places the
//! round's cards on their own device without seeing the others' answers, and on *Reveal*
//! the room sees every answer, the median and how far apart it is — the most disputed
//! cards first.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{GridKind, Millis, Point};

/// A round on one grid of a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Round {
    pub id: String,
    pub grid_id: String,
    /// The cards to place, in the session's order.
    pub organization_ids: Vec<String>,
    #[ts(type = "number")]
    pub started_at: Millis,
    /// When the answers were shown to the room (no more answers are taken after).
    #[ts(type = "number | null")]
    pub revealed_at: Option<Millis>,
    /// When the facilitator ended the round.
    #[ts(type = "number | null")]
    pub closed_at: Option<Millis>,
    /// Whether the revealed answers carry their participants' names (else anonymous).
    pub names_shown: bool,
}

impl Round {
    /// Whether answers are still taken.
    pub fn is_open(&self) -> bool {
        self.revealed_at.is_none() && self.closed_at.is_none()
    }
}

/// An answer as it is kept: which card, whose (the seat that answered, and the name it had
/// then), where and when. Read only by the reveal and by the interchange file, which keeps
/// a revealed round's answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredAnswer {
    pub organization_id: String,
    pub participant_id: String,
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub answered_at: Millis,
}

/// The open round as one participant sees it: the round, and their own answers by card.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnRound {
    pub round: Round,
    pub answers: Vec<(String, Point)>,
}

/// What the facilitator starts a round with.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundFields {
    pub grid_id: String,
    /// The cards to place; empty for every organization of the session.
    #[serde(default)]
    pub organization_ids: Vec<String>,
    /// Names shown on reveal; `None` keeps the choice of the session's last round
    /// (anonymous for its first).
    #[serde(default)]
    pub names_shown: Option<bool>,
}

/// How many have answered so far (what the projector shows during a round).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundProgress {
    pub round_id: String,
    /// Participants who have placed at least one card.
    pub answered: u32,
    /// Participants who have placed every card of the round.
    pub finished: u32,
}

/// One participant's answer for one card: where they placed it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Answer {
    /// The participant's name, when the round shows names.
    pub name: Option<String>,
    pub x: f64,
    pub y: f64,
}

/// One card's answers, revealed: every answer, the median and the spread.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CardSpread {
    pub organization_id: String,
    pub answers: Vec<Answer>,
    /// The median of the answers, axis by axis (the agreed place offered by default).
    pub median_x: f64,
    pub median_y: f64,
    /// How far apart the room is, from 0 (all in one place) to 1 (as far apart as the grid
    /// allows): the standard deviation of the points over its largest possible value; on
    /// the spectrum, of the wedges.
    pub spread: f64,
    /// The region the median falls in (on the spectrum, the median wedge).
    pub region: String,
    /// On the spectrum, the wedges of the first and third quartiles of the answers.
    pub quartiles: Option<(String, String)>,
}

/// A round's answers, revealed: the cards most disputed first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RoundResults {
    pub round: Round,
    /// Participants who answered.
    pub answered: u32,
    pub cards: Vec<CardSpread>,
}

/// The median of `values` (sorted here); the mean of the two middle ones for an even count.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.5,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The population standard deviation of `values`.
fn deviation(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt()
}

/// The value at quantile `q` of sorted `values` (nearest rank).
fn quantile(sorted: &[usize], q: f64) -> usize {
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// One card's spread over `answers` on a grid of `kind` with `regions` names.
pub fn card_spread(organization_id: &str, kind: GridKind, regions: &[String], answers: Vec<Answer>) -> CardSpread {
    let mut xs: Vec<f64> = answers.iter().map(|a| a.x).collect();
    let mut ys: Vec<f64> = answers.iter().map(|a| a.y).collect();
    let region_name = |index: usize| regions.get(index).cloned().unwrap_or_default();
    let (spread, quartiles) = if kind == GridKind::SpectrumOfAllies {
        let mut wedges: Vec<usize> = answers.iter().map(|a| kind.region_at(a.x, a.y)).collect();
        wedges.sort_unstable();
        let as_numbers: Vec<f64> = wedges.iter().map(|&w| w as f64).collect();
        // Five wedges: the widest deviation is 2 (half at each end).
        let largest = (regions.len().max(2) - 1) as f64 / 2.0;
        let quartiles =
            (!wedges.is_empty()).then(|| (region_name(quantile(&wedges, 0.25)), region_name(quantile(&wedges, 0.75))));
        ((deviation(&as_numbers) / largest).min(1.0), quartiles)
    } else {
        // In the unit square the widest deviation is √0.5 (half the answers in each of two
        // opposite corners).
        let combined = (deviation(&xs).powi(2) + deviation(&ys).powi(2)).sqrt();
        ((combined / 0.5f64.sqrt()).min(1.0), None)
    };
    let (median_x, median_y) = (median(&mut xs), median(&mut ys));
    let region = if kind == GridKind::SpectrumOfAllies && !answers.is_empty() {
        let mut wedges: Vec<usize> = answers.iter().map(|a| kind.region_at(a.x, a.y)).collect();
        wedges.sort_unstable();
        region_name(wedges[(wedges.len() - 1) / 2])
    } else {
        region_name(kind.region_at(median_x, median_y))
    };
    CardSpread { organization_id: organization_id.to_string(), answers, median_x, median_y, spread, region, quartiles }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(points: &[(f64, f64)]) -> Vec<Answer> {
        points.iter().map(|&(x, y)| Answer { name: None, x, y }).collect()
    }

    fn regions(kind: GridKind) -> Vec<String> {
        kind.default_labels().regions
    }

    #[test]
    fn agreement_has_no_spread_and_opposite_corners_the_most() {
        let kind = GridKind::PowerInterest;
        let same = card_spread("a", kind, &regions(kind), answers(&[(0.8, 0.8), (0.8, 0.8), (0.8, 0.8)]));
        assert!(same.spread < 1e-9, "{}", same.spread);
        assert_eq!((same.median_x, same.median_y), (0.8, 0.8));
        assert_eq!(same.region, "Manage closely");
        let split = card_spread("a", kind, &regions(kind), answers(&[(0.0, 0.0), (1.0, 1.0)]));
        assert!((split.spread - 1.0).abs() < 1e-9, "{}", split.spread);
        assert_eq!((split.median_x, split.median_y), (0.5, 0.5));
        let some = card_spread("a", kind, &regions(kind), answers(&[(0.2, 0.2), (0.3, 0.2), (0.9, 0.8)]));
        assert!(some.spread > 0.2 && some.spread < 0.8, "{}", some.spread);
        assert_eq!((some.median_x, some.median_y), (0.3, 0.2), "the median, not the mean");
        assert_eq!(some.quartiles, None);
    }

    #[test]
    fn on_the_spectrum_the_median_wedge_and_the_quartiles() {
        let kind = GridKind::SpectrumOfAllies;
        let names = regions(kind);
        // Wedges by angle around the bottom centre: far left is the first (active allies).
        let left = (0.05, 0.1);
        let right = (0.95, 0.1);
        let top = (0.5, 0.9);
        let card = card_spread("a", kind, &names, answers(&[left, left, top, right]));
        assert_eq!(card.region, names[0], "the median of wedges 0, 0, 2, 4 is the lower middle");
        assert_eq!(card.quartiles, Some((names[0].clone(), names[2].clone())));
        let all_left = card_spread("a", kind, &names, answers(&[left, left]));
        assert_eq!(all_left.spread, 0.0);
        let ends = card_spread("a", kind, &names, answers(&[left, right]));
        assert!((ends.spread - 1.0).abs() < 1e-9, "{}", ends.spread);
    }
}
