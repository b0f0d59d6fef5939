//! The summary of a session, as a facilitator prints or sends it afterwards: the header,
//! each grid with its organizations by region, the commitments grouped by who, the notes.
//! [`Summary`] is the one reading of a session that every export format writes out.

mod calendar;
mod csv_export;
mod document;
pub mod drawing;
pub mod fonts;
mod html;
mod markdown;
mod outlines;
mod pdf;
pub mod picture;
mod raster;
mod reading;
pub mod shaping;

pub use calendar::to_ics;
pub use csv_export::{commitments_csv, organizations_csv, said_and_done_csv};
pub use document::{Block, Document, Table, TableKind, TableRow, Words};
pub use html::to_html;
pub use markdown::to_markdown;
pub use pdf::{to_pdf, to_pdf_noting};
pub use picture::to_svg;
pub use raster::{to_png, to_png_noting};
pub use reading::{Card, CommitmentGroup, GridSummary, Moved, ParticipantLine, RegionSummary, Shift, Summary};

use crate::model::{CommitmentStatus, Organization};

/// The paper a PDF export is laid out for (printing from the window follows the printer's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 8.5 × 11 in, used in North America.
    Letter,
}

impl Paper {
    /// Width and height in PDF points (1/72 in).
    pub fn points(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// A commitment status as the CSV export writes it (in English, as its importers read it).
pub fn status_label(status: CommitmentStatus) -> &'static str {
    match status {
        CommitmentStatus::Open => "Open",
        CommitmentStatus::Done => "Done",
        CommitmentStatus::Dropped => "Dropped",
    }
}

/// "Name ★" for organizations led by directly affected people.
pub fn marked_name(organization: &Organization) -> String {
    if organization.directly_affected {
        format!("{} ★", organization.name)
    } else {
        organization.name.clone()
    }
}

/// Text made safe inside XML and HTML.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 does not allow at all (a NUL, a form feed…): no parser
            // would read the file, so they are left out.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            _ => out.push(c),
        }
    }
    out
}
