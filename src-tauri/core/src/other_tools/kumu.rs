//! Kumu's blueprints, read and written: the JSON blueprint (`elements`, `connections`),
//! and the spreadsheet's element and connection sheets saved as CSV (read only). An element has a label and a type (flat, or
//! under `attributes` as Kumu writes them: "label", "element type"); a connection names
//! its ends by element id or by label, with a type and a direction (directed, mutual,
//! undirected).

use serde_json::Value;

use super::{Element, Foreign, Skipped, Tie};
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

/// The first of `names` an object (or its `attributes`) has, as text.
fn field(object: &Value, names: &[&str]) -> String {
    for name in names {
        for place in [Some(object), object.get("attributes")] {
            let found = scalar(place.and_then(|p| p.get(*name)));
            if !found.is_empty() {
                return found;
            }
        }
    }
    String::new()
}

fn mutual(direction: &str) -> bool {
    matches!(direction.trim().to_lowercase().as_str(), "mutual" | "undirected" | "both" | "two-way")
}

/// A Kumu JSON blueprint.
pub(super) fn from_json(value: &Value) -> Result<Foreign> {
    let list = |name: &str| -> Result<Vec<Value>> {
        match value.get(name) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(_) => Err(Error::bad_import(Said::new("error.map-import.not-a-list").text("name", name))),
        }
    };
    let mut foreign = Foreign { format: "map-import.format.kumu-json", ..Foreign::default() };
    foreign.title = Some(scalar(value.get("name"))).filter(|t| !t.trim().is_empty());
    for (n, element) in list("elements")?.iter().enumerate() {
        if !element.is_object() {
            foreign
                .skipped
                .push(Skipped::new(Said::new("word.map-element").text("n", n + 1), "error.map-skip.not-an-object"));
            continue;
        }
        foreign.elements.push(Element {
            key: field(element, &["_id", "id"]),
            label: field(element, &["label", "name"]),
            kind: field(element, &["type", "element type"]),
            description: field(element, &["description"]),
        });
    }
    for (n, connection) in list("connections")?.iter().enumerate() {
        if !connection.is_object() {
            foreign
                .skipped
                .push(Skipped::new(Said::new("word.map-connection").text("n", n + 1), "error.map-skip.not-an-object"));
            continue;
        }
        let kind = [field(connection, &["type", "connection type"]), field(connection, &["label"])]
            .into_iter()
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join(" — ");
        foreign.ties.push(Tie {
            from: field(connection, &["from"]),
            to: field(connection, &["to"]),
            kind,
            mutual: mutual(&field(connection, &["direction", "connection direction"])),
        });
    }
    if foreign.elements.is_empty() && foreign.ties.is_empty() {
        return Err(Error::bad_import("error.map-import.kumu-empty"));
    }
    elements_from_ties(&mut foreign);
    Ok(foreign)
}

/// A Kumu spreadsheet's sheets saved as CSV: the element sheet (a "Label" column, and
/// "Type", "Description"), the connection sheet ("From", "To", and "Type", "Direction",
/// "Label"), or both, in either order.
pub(super) fn from_sheets(texts: &[&str]) -> Result<Foreign> {
    let mut foreign = Foreign { format: "map-import.format.kumu-csv", ..Foreign::default() };
    let mut seen_elements = false;
    let mut seen_connections = false;
    for text in texts {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(crate::csv_import::delimiter(text))
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
            let cell = |index: Option<usize>| {
                index.and_then(|i| record.get(i)).map(crate::csv_import::unguarded).unwrap_or_default()
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            if is_connections {
                let label_text = cell(label);
                let kind = [cell(kind), label_text].into_iter().filter(|k| !k.is_empty()).collect::<Vec<_>>();
                foreign.ties.push(Tie {
                    from: cell(from),
                    to: cell(to),
                    kind: kind.join(" — "),
                    mutual: mutual(&cell(direction)),
                });
            } else {
                foreign.elements.push(Element {
                    key: String::new(),
                    label: cell(label),
                    kind: cell(kind),
                    description: cell(description),
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
/// named by label, are its elements.
fn elements_from_ties(foreign: &mut Foreign) {
    if !foreign.elements.is_empty() {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    let ends: Vec<String> = foreign.ties.iter().flat_map(|t| [t.from.clone(), t.to.clone()]).collect();
    for end in ends {
        if !end.trim().is_empty() && seen.insert(end.trim().to_lowercase()) {
            foreign.elements.push(Element { label: end, ..Element::default() });
        }
    }
}

/// The session as a Kumu JSON blueprint: its organizations as elements (label, type as
/// the sector, description as the notes), its relationships as connections (type as the
/// kind in words, direction, strength). Kumu reads it with "Import"; Powermap reads it back.
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
                    "tags": if o.directly_affected { vec!["led by directly affected people"] } else { Vec::new() },
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
