//! A grid: one map of a session, of one of the three kinds the methods use.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text;
use crate::error::{Error, Result};
use crate::i18n::{self, Lang, Said};

/// The kinds of map, named as in the interchange format (docs/interchange-format.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum GridKind {
    /// Mendelow's stakeholder grid: interest across, power up.
    PowerInterest,
    /// The organizer's power map: position (opposed → supportive) across, power up.
    PowerSupport,
    /// Five wedges from active allies to active opposition, fanned around the bottom centre.
    SpectrumOfAllies,
}

impl GridKind {
    pub const ALL: [GridKind; 3] = [GridKind::PowerInterest, GridKind::PowerSupport, GridKind::SpectrumOfAllies];

    /// The name stored in the database and the interchange format.
    pub fn as_str(self) -> &'static str {
        match self {
            GridKind::PowerInterest => "power-interest",
            GridKind::PowerSupport => "power-support",
            GridKind::SpectrumOfAllies => "spectrum-of-allies",
        }
    }

    /// The kind stored under `name`.
    pub fn parse(name: &str) -> Result<GridKind> {
        GridKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| Error::invalid(Said::new("error.grid.kind").text("value", name)))
    }

    /// The title a new grid of this kind gets (in English).
    pub fn default_title(self) -> String {
        self.default_title_in(Lang::En)
    }

    /// The title a new grid of this kind gets in `lang` ("Poder e interés").
    pub fn default_title_in(self, lang: Lang) -> String {
        i18n::message(lang, &format!("grid.{}.title", self.as_str()), &[])
    }

    /// The labels a new grid of this kind gets (the methods' usual terms, in English).
    pub fn default_labels(self) -> GridLabels {
        self.default_labels_in(Lang::En)
    }

    /// The labels a new grid of this kind gets in `lang`: the method's usual terms in that
    /// language ("Mantener satisfechos", "Gérer de près"), from the catalogs.
    pub fn default_labels_in(self, lang: Lang) -> GridLabels {
        let word = |key: &str| i18n::message(lang, &format!("grid.{}.{key}", self.as_str()), &[]);
        GridLabels {
            x_title: word("x-title"),
            x_low: word("x-low"),
            x_high: word("x-high"),
            y_title: word("y-title"),
            y_low: word("y-low"),
            y_high: word("y-high"),
            regions: (1..=self.region_count()).map(|n| word(&format!("region-{n}"))).collect(),
        }
    }

    /// How many named regions a grid of this kind has (see [`GridKind::region_at`]).
    pub fn region_count(self) -> usize {
        match self {
            GridKind::PowerInterest => 4,
            GridKind::PowerSupport => 3,
            GridKind::SpectrumOfAllies => 5,
        }
    }

    /// The index into [`GridLabels::regions`] of the region holding the point `(x, y)`
    /// (normalized, origin bottom-left).
    ///
    /// - power-interest: 0 low/low *Monitor*, 1 high interest/low power *Keep informed*,
    ///   2 low interest/high power *Keep satisfied*, 3 high/high *Manage closely*;
    /// - power-support: 2 the decision-makers' band (y ≥ [`DECISION_BAND`]), else 0 the left
    ///   half *Opposition* or 1 the right half *Allies*;
    /// - spectrum-of-allies: the wedge by angle around the bottom centre `(0.5, 0)`, measured
    ///   in the normalized square, 0 *Active allies* at the left to 4 *Active opposition* at
    ///   the right. The distance from the centre is free.
    pub fn region_at(self, x: f64, y: f64) -> usize {
        match self {
            GridKind::PowerInterest => usize::from(x >= 0.5) + 2 * usize::from(y >= 0.5),
            GridKind::PowerSupport => {
                if y >= DECISION_BAND {
                    2
                } else {
                    usize::from(x >= 0.5)
                }
            }
            GridKind::SpectrumOfAllies => {
                if (x - 0.5).abs() < 1e-9 && y <= 1e-9 {
                    return 2; // the centre itself: no direction, so neutral
                }
                // Angle from the left (π) to the right (0), scaled so the grid's width is 2.
                let angle = y.max(0.0).atan2((x - 0.5) * 2.0);
                let from_left = std::f64::consts::PI - angle;
                let wedge = (from_left / (std::f64::consts::PI / 5.0)).floor();
                wedge.clamp(0.0, 4.0) as usize
            }
        }
    }
}

/// Where the decision-makers' band of a power-support grid starts (normalized y).
pub const DECISION_BAND: f64 = 0.8;

/// The words drawn on a grid: axis titles, the two ends of each axis, and region names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GridLabels {
    pub x_title: String,
    pub x_low: String,
    pub x_high: String,
    pub y_title: String,
    pub y_low: String,
    pub y_high: String,
    /// One name per region, in the order of [`GridKind::region_at`].
    pub regions: Vec<String>,
}

impl GridLabels {
    /// The labels checked for a grid of `kind`: each at most 200 characters, region
    /// names not empty, as many regions as the kind has.
    pub fn validated(&self, kind: GridKind) -> Result<GridLabels> {
        if self.regions.len() != kind.region_count() {
            return Err(Error::invalid(
                Said::new("error.grid.region-count")
                    .text("kind", kind.as_str())
                    .text("regions", kind.region_count())
                    .text("count", self.regions.len()),
            ));
        }
        Ok(GridLabels {
            x_title: text::short("word.axis-title", &self.x_title)?,
            x_low: text::short("word.axis-label", &self.x_low)?,
            x_high: text::short("word.axis-label", &self.x_high)?,
            y_title: text::short("word.axis-title", &self.y_title)?,
            y_low: text::short("word.axis-label", &self.y_low)?,
            y_high: text::short("word.axis-label", &self.y_high)?,
            regions: self.regions.iter().map(|r| text::name("word.region-name", r)).collect::<Result<_>>()?,
        })
    }
}

/// A grid of a session, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Grid {
    pub id: String,
    /// The grid through a campaign's sessions: a follow-up's grid has the same identity as
    /// the grid it continues (a new grid's identity is its id).
    #[serde(default)]
    pub identity: String,
    pub kind: GridKind,
    pub title: String,
    pub labels: GridLabels,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes which region holds each point of a fine lattice (and points a hair either side
    /// of every boundary), per kind, beside the generated types: the window's own
    /// `regionAt` (ui/src/lib/regions.ts), which describes a card's place in words while it
    /// moves, is tested against this table, so the two cannot drift apart.
    #[test]
    fn export_region_samples() {
        let mut points = Vec::new();
        for i in 0..=40 {
            for j in 0..=40 {
                points.push((f64::from(i) / 40.0, f64::from(j) / 40.0));
            }
        }
        for edge in [0.5, DECISION_BAND] {
            for t in [0.1, 0.37, 0.5, 0.93] {
                for d in [-1e-6, 0.0, 1e-6] {
                    points.push((edge + d, t));
                    points.push((t, edge + d));
                }
            }
        }
        // Either side of the spectrum's wedge boundaries, near the centre and far from it.
        for wedge in 1..5 {
            let angle = std::f64::consts::PI - f64::from(wedge) * std::f64::consts::PI / 5.0;
            for r in [0.05, 0.5, 0.95] {
                for d in [-1e-3, 1e-3] {
                    let (x, y) = (0.5 + r * (angle + d).cos() / 2.0, r * (angle + d).sin());
                    points.push((x, y));
                }
            }
        }
        points.push((0.5, 0.0));
        let table: serde_json::Map<String, serde_json::Value> =
            [GridKind::PowerInterest, GridKind::PowerSupport, GridKind::SpectrumOfAllies]
                .into_iter()
                .map(|kind| {
                    let samples: Vec<_> =
                        points.iter().map(|&(x, y)| serde_json::json!([x, y, kind.region_at(x, y)])).collect();
                    (kind.as_str().to_string(), serde_json::Value::Array(samples))
                })
                .collect();
        let folder = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "bindings".into());
        std::fs::create_dir_all(&folder).unwrap();
        let text = serde_json::to_string(&serde_json::json!({
            "decisionBand": DECISION_BAND,
            "samples": table,
        }))
        .unwrap()
            + "\n";
        std::fs::write(std::path::Path::new(&folder).join("region-samples.json"), text).unwrap();
    }

    #[test]
    fn power_interest_regions_follow_mendelow() {
        let k = GridKind::PowerInterest;
        let labels = k.default_labels();
        let at = |x, y| labels.regions[k.region_at(x, y)].as_str();
        assert_eq!(at(0.1, 0.9), "Keep satisfied", "high power, low interest");
        assert_eq!(at(0.9, 0.9), "Manage closely", "high power, high interest");
        assert_eq!(at(0.1, 0.1), "Monitor");
        assert_eq!(at(0.9, 0.1), "Keep informed", "low power, high interest");
    }

    #[test]
    fn power_support_has_a_decision_band() {
        let k = GridKind::PowerSupport;
        assert_eq!(k.region_at(0.2, 0.3), 0, "left half is the opposition");
        assert_eq!(k.region_at(0.7, 0.3), 1, "right half are allies");
        assert_eq!(k.region_at(0.2, 0.95), 2, "the top band holds the targets");
    }

    #[test]
    fn spectrum_wedges_run_from_allies_to_opposition() {
        let k = GridKind::SpectrumOfAllies;
        assert_eq!(k.region_at(0.02, 0.05), 0, "far left, low: active allies");
        assert_eq!(k.region_at(0.5, 0.8), 2, "straight up: neutral");
        assert_eq!(k.region_at(0.98, 0.05), 4, "far right: active opposition");
        assert_eq!(k.region_at(0.3, 0.6), 1, "up-left: passive allies");
        assert_eq!(k.region_at(0.7, 0.6), 3, "up-right: passive opposition");
        assert_eq!(k.region_at(0.5, 0.0), 2, "the centre itself counts as neutral");
    }
}
