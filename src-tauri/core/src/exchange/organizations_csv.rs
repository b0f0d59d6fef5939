//! Organizations from a CSV file: a header row naming the columns (name, short label,
//! sector, directly affected, notes, colour, contact — in any order, any case), then one
//! organization a row. A preview lists what would be added and every bad line; the import
//! adds everything or, if any line is bad, nothing.

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::i18n::{Lang, Said};
use crate::model::{Actor, Changed, Millis, Organization, OrganizationFields, Sector, Stamp};
use crate::store::Store;

/// A problem with one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CsvProblem {
    pub line: u32,
    pub message: String,
    /// The problem, to be said in any language (`message` is its English).
    #[serde(skip)]
    #[ts(skip)]
    pub said: Said,
}

impl CsvProblem {
    fn new(line: u32, said: impl Into<Said>) -> CsvProblem {
        let said = said.into();
        CsvProblem { line, message: said.to_string(), said }
    }
}

/// What an import would do.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CsvPreview {
    /// The organizations that would be added, in the file's order.
    pub organizations: Vec<OrganizationFields>,
    /// Names already in the session, which would be skipped.
    pub already_there: Vec<String>,
    /// Every bad line; while there is one, nothing can be imported.
    pub problems: Vec<CsvProblem>,
}

impl CsvPreview {
    /// The preview with every problem said in `lang` (the window's language).
    pub fn said_in(mut self, lang: Lang) -> CsvPreview {
        for problem in &mut self.problems {
            problem.message = problem.said.render(lang);
        }
        self
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Column {
    Name,
    ShortLabel,
    Sector,
    Affected,
    Notes,
    Colour,
    Contact,
}

fn column(header: &str) -> Option<Column> {
    let key: String = header.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    Some(match key.as_str() {
        "name" | "organization" | "organisation" => Column::Name,
        "shortlabel" | "label" | "short" | "shortname" => Column::ShortLabel,
        "sector" | "type" => Column::Sector,
        "directlyaffected" | "affected" | "ledbydirectlyaffectedpeople" | "ledbydirectlyaffected" => Column::Affected,
        "notes" | "note" => Column::Notes,
        "colour" | "color" => Column::Colour,
        "contact" | "contactperson" | "contacts" | "whoweknow" => Column::Contact,
        _ => return None,
    })
}

fn sector(value: &str) -> Option<Sector> {
    let key: String = value.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
    if key.is_empty() {
        return Some(Sector::CommunityGroup);
    }
    Sector::ALL.into_iter().find(|s| {
        let name: String = s.as_str().chars().filter(|c| c.is_alphanumeric()).collect();
        let label: String = s.label().to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        key == name || key == label
    })
}

fn yes_no(value: &str) -> Option<bool> {
    match value.trim().to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" => Some(false),
        "yes" | "y" | "true" | "1" | "x" | "★" => Some(true),
        _ => None,
    }
}

/// The separator of the file's values: a comma, or the semicolon or tab that spreadsheets
/// write in many languages, whichever the header row holds most of.
pub(crate) fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| (header.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// The line where a quoted cell opens that the file never closes, if one does: a file cut
/// inside a quoted cell (a download or a copy that stopped short), which CSV readers would
/// otherwise read as one long last cell. Quotes are read as RFC 4180 writes them: a cell
/// that starts with `"` runs to the next `"` not doubled.
pub(crate) fn open_quote(text: &str, delimiter: u8) -> Option<u64> {
    #[derive(PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    let mut line = 1u64;
    let mut opened_at = 1u64;
    for &byte in text.as_bytes() {
        state = match (state, byte) {
            (State::CellStart, b'"') => {
                opened_at = line;
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n') => State::CellStart,
            (_, b) if b == delimiter => State::CellStart,
            _ => State::Unquoted,
        };
        if byte == b'\n' {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened_at)
}

/// A value as typed: without the apostrophe that Powermap's own CSV export (and OWASP's
/// rule against spreadsheet formulas) puts before a leading `=`, `+`, `-` or `@`.
pub(crate) fn unguarded(value: &str) -> String {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => value.to_string(),
    }
}

/// Reads the file: the organizations it names and the problems of each bad line.
pub fn read(bytes: &[u8]) -> (Vec<(u32, OrganizationFields)>, Vec<CsvProblem>) {
    let mut problems = Vec::new();
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(text) => text,
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            problems.push(CsvProblem::new(line, "error.csv.not-utf8"));
            return (Vec::new(), problems);
        }
    };
    if let Some(line) = open_quote(text, delimiter(text)) {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        problems.push(CsvProblem::new(line, "error.csv.cut-in-quotes"));
        return (Vec::new(), problems);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(header)) => header,
        Some(Err(e)) => {
            problems.push(CsvProblem::new(1, Said::new("error.csv.header-unreadable").text("detail", e)));
            return (Vec::new(), problems);
        }
        None => {
            problems.push(CsvProblem::new(1, "error.csv.empty"));
            return (Vec::new(), problems);
        }
    };
    let mut columns = Vec::new();
    for name in header.iter() {
        match column(name) {
            Some(c) if columns.contains(&Some(c)) => {
                problems.push(CsvProblem::new(1, Said::new("error.csv.column-twice").text("name", name)))
            }
            Some(c) => columns.push(Some(c)),
            None => {
                problems.push(CsvProblem::new(1, Said::new("error.csv.unknown-column").text("name", name)));
                columns.push(None);
            }
        }
    }
    if !columns.contains(&Some(Column::Name)) {
        problems.push(CsvProblem::new(1, "error.csv.no-name-column"));
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                problems.push(CsvProblem::new(line, Said::new("error.csv.line-unreadable").text("detail", e)));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        if record.len() != columns.len() {
            problems.push(CsvProblem::new(
                line,
                Said::new("error.csv.value-count").text("count", record.len()).text("columns", columns.len()),
            ));
            continue;
        }
        let mut fields = OrganizationFields::named("");
        let mut bad = None;
        for (value, column) in record.iter().zip(&columns) {
            match column {
                Some(Column::Name) => fields.name = unguarded(value),
                Some(Column::ShortLabel) => fields.short_label = unguarded(value),
                Some(Column::Notes) => fields.notes = unguarded(value),
                Some(Column::Contact) => fields.contact = unguarded(value),
                Some(Column::Colour) => fields.colour = Some(value.to_string()),
                Some(Column::Sector) => match sector(value) {
                    Some(s) => fields.sector = s,
                    None => bad = Some(Said::new("error.organization.sector").text("value", value)),
                },
                Some(Column::Affected) => match yes_no(value) {
                    Some(b) => fields.directly_affected = b,
                    None => bad = Some(Said::new("error.csv.affected").text("value", value)),
                },
                None => {}
            }
        }
        let checked = match bad {
            Some(message) => Err(Error::invalid(message)),
            None => fields.validated(),
        };
        match checked {
            Ok(fields) => rows.push((line, fields)),
            Err(e) => problems.push(CsvProblem::new(line, e.said())),
        }
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(CsvProblem::new(2, "error.csv.no-organizations"));
    }
    (rows, problems)
}

/// What importing `bytes` as organizations into the session of `store` would add, and why
/// not.
pub fn preview(store: &Store, session_id: &str, bytes: &[u8]) -> Result<CsvPreview> {
    let existing: std::collections::HashSet<String> =
        store.load_session(session_id)?.organizations.into_iter().map(|o| o.name.to_lowercase()).collect();
    let (rows, problems) = read(bytes);
    let mut seen = std::collections::HashSet::new();
    let mut organizations = Vec::new();
    let mut already_there = Vec::new();
    for (_, fields) in rows {
        let key = fields.name.to_lowercase();
        if existing.contains(&key) || !seen.insert(key) {
            already_there.push(fields.name);
        } else {
            organizations.push(fields);
        }
    }
    Ok(CsvPreview { organizations, already_there, problems })
}

/// Adds the organizations of the CSV file to the session: all of them, as one step of
/// history made by [`Actor::Import`], or none if any line is bad (the error lists the
/// lines).
pub fn import(store: &Store, session_id: &str, bytes: &[u8], now: Millis) -> Result<Changed<Vec<Organization>>> {
    let preview = preview(store, session_id, bytes)?;
    if !preview.problems.is_empty() {
        let lines = preview
            .problems
            .into_iter()
            .map(|p| Said::new("error.csv.at-line").text("line", p.line).said("problem", p.said))
            .collect();
        return Err(Error::bad_import(Said::new("error.csv.bad-lines").list("lines", lines)));
    }
    store.add_organizations(session_id, &preview.organizations, Stamp::new(now, Actor::Import))
}
