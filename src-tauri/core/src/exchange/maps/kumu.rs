//! Kumu's blueprints, read and written: the JSON blueprint (`elements`, `connections`),
//! and the spreadsheet's element and connection sheets saved as CSV (read only).
//!
//! An element has a label, a type, a description and tags (flat, or under `attributes` as
//! Kumu writes them: "label", "element type"); a connection names its ends by element id
//! or by label, with a type, a direction (directed, mutual, undirected), a description, a
//! strength and tags. In the spreadsheet, a `From` or `To` cell may name several elements
//! separated by `|` (one connection to each), and tags are separated by `|` too.

use serde_json::Value;

use super::{vocabulary, Element, Foreign, Skipped, Tie};
use crate::error::{Error, Result};
use crate::i18n::Said;

/// Text of `value`: a string as it is, a number written out, anything else empty.
fn scalar(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The first of `names` an object (or its `attributes`) has.
fn found<'v>(object: &'v Value, names: &[&str]) -> Option<&'v Value> {
    for name in names {
        for place in [Some(object), object.get("attributes")] {
            match place.and_then(|p| p.get(*name)) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() => {}
                Some(value) => return Some(value),
            }
        }
    }
    None
}

/// The first of `names` an object (or its `attributes`) has, as text.
fn field(object: &Value, names: &[&str]) -> String {
    scalar(found(object, names))
}

/// Tags as Kumu writes them: a list, or one text separated by `|`.
fn tags(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().map(|t| scalar(Some(t))).flat_map(|t| split(&t)).collect(),
        Some(other) => split(&scalar(Some(other))),
        None => Vec::new(),
    }
}

/// The names of a cell that lists several, separated by `|`.
fn split(cell: &str) -> Vec<String> {
    cell.split('|').map(str::trim).filter(|t| !t.is_empty()).map(String::from).collect()
}

fn mutual(direction: &str) -> bool {
    matches!(direction.trim().to_lowercase().as_str(), "mutual" | "undirected" | "both" | "two-way")
}

/// A Kumu JSON blueprint.
pub(super) fn from_json(value: &Value) -> Result<Foreign> {
    let list = |name: &str| -> Result<&[Value]> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(Error::bad_import(Said::new("error.map-import.not-a-list").text("name", name))),
        }
    };
    let mut foreign = Foreign { format: "map-import.format.kumu-json", ..Foreign::default() };
    foreign.title = Some(scalar(value.get("name"))).filter(|t| !t.trim().is_empty());
    for (n, element) in list("elements")?.iter().enumerate() {
        let at = Said::new("word.map-element").text("n", n + 1);
        if !element.is_object() {
            foreign.skipped.push(Skipped::new(at, "error.map-skip.not-an-object"));
            continue;
        }
        foreign.elements.push(Element {
            at,
            key: field(element, &["_id", "id"]),
            label: field(element, &["label", "name"]),
            kind: field(element, &["type", "element type"]),
            description: field(element, &["description"]),
            tags: tags(found(element, &["tags"])),
        });
    }
    for (n, connection) in list("connections")?.iter().enumerate() {
        let at = Said::new("word.map-connection").text("n", n + 1);
        if !connection.is_object() {
            foreign.skipped.push(Skipped::new(at, "error.map-skip.not-an-object"));
            continue;
        }
        let kind = [field(connection, &["type", "connection type"]), field(connection, &["label"])]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        foreign.ties.push(Tie {
            kind,
            kind_in_note: true,
            description: field(connection, &["description"]),
            tags: tags(found(connection, &["tags"])),
            strength: vocabulary::strength_of(found(connection, &["strength"])),
            mutual: mutual(&field(connection, &["direction", "connection direction"])),
            ..Tie::between(at, field(connection, &["from"]), field(connection, &["to"]))
        });
    }
    if foreign.elements.is_empty() && foreign.ties.is_empty() {
        return Err(Error::bad_import("error.map-import.kumu-empty"));
    }
    elements_from_ties(&mut foreign);
    Ok(foreign)
}

/// A Kumu spreadsheet's sheets saved as CSV: the element sheet (a "Label" column, and
/// "Type", "Description", "Tags"), the connection sheet ("From", "To", and "Type",
/// "Direction", "Label", "Description", "Strength", "Tags"), or both, in either order.
///
/// Errors: [`Error::BadImport`] for a sheet cut inside a quoted cell (as a truncated
/// file is), one of no kind Powermap reads, or two sheets of the same kind.
pub(super) fn from_sheets(texts: &[&str]) -> Result<Foreign> {
    let mut foreign = Foreign { format: "map-import.format.kumu-csv", ..Foreign::default() };
    let mut seen_elements = false;
    let mut seen_connections = false;
    for text in texts {
        let delimiter = crate::exchange::organizations_csv::delimiter(text);
        if let Some(line) = crate::exchange::organizations_csv::open_quote(text, delimiter) {
            return Err(Error::bad_import(Said::new("error.map-import.cut-in-quotes").text("line", line)));
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(e)) => {
                return Err(Error::bad_import(Said::new("error.map-import.header-unreadable").text("detail", e)))
            }
            None => return Err(Error::bad_import("error.map-import.empty")),
        };
        let key = |name: &str| name.trim().to_lowercase();
        let column = |names: &[&str]| header.iter().position(|h| names.contains(&key(h).as_str()));
        let (from, to) = (column(&["from"]), column(&["to"]));
        let label = column(&["label", "name"]);
        let is_connections = from.is_some() && to.is_some();
        if !is_connections && label.is_none() {
            return Err(Error::bad_import("error.map-import.unknown-sheet"));
        }
        let kind = column(&["type", "element type", "connection type"]);
        let description = column(&["description"]);
        let direction = column(&["direction", "connection direction"]);
        let strength = column(&["strength"]);
        let tag_column = column(&["tags", "tag"]);
        for (n, record) in records.enumerate() {
            let line = n + 2;
            let record = match record {
                Ok(record) => record,
                Err(e) => {
                    foreign.skipped.push(Skipped::new(
                        Said::new("word.map-line").text("n", line),
                        Said::new("error.map-skip.unreadable").text("detail", e),
                    ));
                    continue;
                }
            };
            let line = record.position().map(|p| p.line()).unwrap_or(line as u64);
            let at = Said::new("word.map-line").text("n", line);
            let cell = |index: Option<usize>| {
                index.and_then(|i| record.get(i)).map(crate::exchange::organizations_csv::unguarded).unwrap_or_default()
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if is_connections {
                let label_text = cell(label);
                let kind = [cell(kind), label_text].into_iter().filter(|k| !k.is_empty()).collect::<Vec<_>>();
                let tie = Tie {
                    kind: kind.join(" — "),
                    kind_in_note: true,
                    description: cell(description),
                    tags: split(&cell(tag_column)),
                    strength: cell(strength).trim().parse::<f64>().ok().filter(|s| s.is_finite()),
                    mutual: mutual(&cell(direction)),
                    ..Tie::between(at.clone(), String::new(), String::new())
                };
                // A cell naming several elements: one connection to each.
                let ends = |cell: String| {
                    let names = split(&cell);
                    if names.is_empty() {
                        vec![cell]
                    } else {
                        names
                    }
                };
                for from in ends(cell(from)) {
                    for to in ends(cell(to)) {
                        foreign.ties.push(Tie { from: from.clone(), to, ..tie.clone() });
                    }
                }
            } else {
                foreign.elements.push(Element {
                    at,
                    key: String::new(),
                    label: cell(label),
                    kind: cell(kind),
                    description: cell(description),
                    tags: split(&cell(tag_column)),
                });
            }
        }
        if is_connections {
            if seen_connections {
                return Err(Error::bad_import("error.map-import.two-connection-sheets"));
            }
            seen_connections = true;
        } else {
            if seen_elements {
                return Err(Error::bad_import("error.map-import.two-element-sheets"));
            }
            seen_elements = true;
        }
    }
    if !seen_elements {
        elements_from_ties(&mut foreign);
    }
    Ok(foreign)
}

/// Where a map has no element list (a connection sheet alone), its connections' ends,
/// named by label, are its elements (each name once, compared exactly).
fn elements_from_ties(foreign: &mut Foreign) {
    if !foreign.elements.is_empty() {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let mut elements = Vec::new();
    for tie in &foreign.ties {
        for end in [&tie.from, &tie.to] {
            if !end.trim().is_empty() && seen.insert(end.trim().to_string()) {
                let at = Said::new("word.map-element-named").text("name", end.trim());
                elements.push(Element {
                    at,
                    key: String::new(),
                    label: end.clone(),
                    kind: String::new(),
                    description: String::new(),
                    tags: Vec::new(),
                });
            }
        }
    }
    foreign.elements = elements;
}

/// The session as a Kumu JSON blueprint: its organizations as elements (label, type as
/// the sector, description as the notes, the tag "led by directly affected people"), its
/// relationships as connections (type as the kind in words, description as the note,
/// direction, strength 1–3). Kumu reads it with "Import"; Powermap reads it back, every
/// name, kind, direction, strength and note as it was.
pub fn blueprint(data: &crate::model::SessionData) -> String {
    let elements: Vec<Value> = data
        .organizations
        .iter()
        .map(|o| {
            serde_json::json!({
                "_id": o.id,
                "attributes": {
                    "label": o.name,
                    "element type": o.sector.label(),
                    "description": o.notes,
                    "tags": if o.directly_affected { vec![super::AFFECTED_TAG] } else { Vec::new() },
                },
            })
        })
        .collect();
    let connections: Vec<Value> = data
        .relationships
        .iter()
        .map(|r| {
            serde_json::json!({
                "_id": r.id,
                "from": r.from_id,
                "to": r.to_id,
                "direction": if r.mutual { "mutual" } else { "directed" },
                "attributes": {
                    "connection type": r.kind.verb(),
                    "strength": r.strength,
                    "description": r.note,
                },
            })
        })
        .collect();
    let blueprint = serde_json::json!({ "name": data.session.title, "elements": elements, "connections": connections });
    let mut text = serde_json::to_string_pretty(&blueprint).unwrap_or_default();
    text.push('\n');
    text
}
