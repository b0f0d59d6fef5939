//! A placement: an organization's card on a grid.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::i18n::Said;

/// An organization on a grid at normalized `(x, y)`, origin bottom-left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Placement {
    pub grid_id: String,
    pub organization_id: String,
    pub x: f64,
    pub y: f64,
    /// Who moved the card last (a participant's name, or empty for the facilitator).
    #[serde(default)]
    pub moved_by: String,
    #[ts(type = "number")]
    pub moved_at: i64,
}

/// A point on a grid, checked to be finite and within `[0, 1]` on both axes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    /// The point `(x, y)`, or an error if it is not on the grid. Nothing is clamped here:
    /// the window clamps drops to the nearest edge, so an off-grid value is a bug or a bad file.
    pub fn new(x: f64, y: f64) -> Result<Point> {
        for (axis, v) in [("x", x), ("y", y)] {
            if !v.is_finite() || !(0.0..=1.0).contains(&v) {
                return Err(Error::invalid(Said::new("error.placement.off-grid").text("axis", axis).text("value", v)));
            }
        }
        Ok(Point { x, y })
    }
}
