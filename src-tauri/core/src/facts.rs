//! The rules the views draw or offer but do not decide: sent to the window once, as data,
//! so that no rule is written twice across the IPC line.

use serde::Serialize;
use ts_rs::TS;

use crate::exchange::ExportFormatInfo;

/// What the window needs to know of the core's rules.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Facts {
    /// Where the decision-makers' band of an organizer's power map starts (normalized y).
    pub decision_band: f64,
    /// The export formats, in the order to offer them.
    pub export_formats: Vec<ExportFormatInfo>,
}

impl Facts {
    pub fn now() -> Facts {
        Facts { decision_band: crate::model::grid::DECISION_BAND, export_formats: ExportFormatInfo::all() }
    }
}
