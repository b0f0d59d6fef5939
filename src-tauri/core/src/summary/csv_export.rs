//! The summary as CSV: one table of organizations with their place on every grid, one of
//! commitments, one of each organization's word and deed over the campaign. Written with the
//! `csv` crate, so quoting follows RFC 4180; no cell can start a spreadsheet formula.

use super::{status_label, Summary};
use crate::error::{Error, Result};
use crate::i18n::Said;

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String> {
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::internal(Said::new("error.internal.table-not-written").text("detail", e)))?;
    String::from_utf8(bytes).map_err(|e| Error::internal(Said::new("error.internal.table-not-text").text("detail", e)))
}

/// A cell as a spreadsheet should read it: text that a spreadsheet would run as a formula
/// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, as
/// OWASP's rule against CSV injection says. Powermap's CSV import takes the `'` off again.
pub(crate) fn guarded(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

fn write_row<I, T>(writer: &mut csv::Writer<Vec<u8>>, row: I) -> Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    let cells: Vec<String> = row.into_iter().map(|cell| guarded(cell.as_ref()).into_owned()).collect();
    writer
        .write_record(&cells)
        .map_err(|e| Error::internal(Said::new("error.internal.table-not-written").text("detail", e)))
}

/// Organizations, one a row: their details, then x, y and region on each grid (empty
/// where the card is still in the tray).
pub fn organizations_csv(summary: &Summary) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> =
        ["id", "name", "short label", "sector", "directly affected", "notes", "colour", "contact"]
            .map(String::from)
            .to_vec();
    for grid in &summary.grids {
        for what in ["x", "y", "region"] {
            header.push(format!("{}: {what}", grid.grid.title));
        }
    }
    write_row(&mut writer, &header)?;
    for o in &summary.organizations {
        let mut row = vec![
            o.id.clone(),
            o.name.clone(),
            o.short_label.clone(),
            o.sector.label().to_string(),
            if o.directly_affected { "yes" } else { "no" }.to_string(),
            o.notes.clone(),
            o.colour.clone(),
            o.contact.clone(),
        ];
        for grid in &summary.grids {
            match grid.cards.iter().find(|c| c.organization.id == o.id) {
                Some(card) => {
                    let region = grid.grid.kind.region_at(card.x, card.y);
                    row.push(format!("{:.4}", card.x));
                    row.push(format!("{:.4}", card.y));
                    row.push(grid.grid.labels.regions.get(region).cloned().unwrap_or_default());
                }
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        write_row(&mut writer, &row)?;
    }
    finish(writer)
}

/// Commitments, one a row, grouped by who as in the summary.
pub fn commitments_csv(summary: &Summary) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    write_row(&mut writer, ["id", "organization", "person", "action", "due", "status", "notes"])?;
    for group in &summary.commitments {
        for c in &group.commitments {
            write_row(
                &mut writer,
                [
                    c.id.as_str(),
                    summary.organization_name(c.organization_id.as_deref()).unwrap_or(""),
                    c.person.as_str(),
                    c.action.as_str(),
                    c.due.as_deref().unwrap_or(""),
                    status_label(c.status),
                    c.notes.as_str(),
                ],
            )?;
        }
    }
    finish(writer)
}

/// Said and done over the campaign, one organization a row, the widest gap first: its
/// stated position and what became of the commitments it made.
pub fn said_and_done_csv(summary: &Summary) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    write_row(&mut writer, ["organization", "stated position", "made", "kept", "partly", "dropped", "overdue"])?;
    for r in &summary.said_and_done {
        write_row(
            &mut writer,
            [
                r.name.clone(),
                r.stated.clone().unwrap_or_default(),
                r.made.to_string(),
                r.kept.to_string(),
                r.partly.to_string(),
                r.dropped.to_string(),
                r.overdue.to_string(),
            ],
        )?;
    }
    finish(writer)
}
