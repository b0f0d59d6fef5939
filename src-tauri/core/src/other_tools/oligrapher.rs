//! Oligrapher's maps (LittleSis): `graph.nodes` and `graph.edges`, lists or objects keyed
//! by id. Version 3 writes a node's `name` and an edge's `label` and `arrow` ("1->2",
//! "2->1", "both" or none) on the node or edge itself; version 2 writes them under
//! `display` (`arrow`: "right", "left", "both" or false).

use serde_json::Value;

use super::{Element, Foreign, Skipped, Tie};
use crate::error::{Error, Result};
use crate::i18n::Said;

fn text(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// A node's or edge's field: on it (version 3), or under its `display` (version 2).
fn field(item: &Value, name: &str) -> Option<Value> {
    item.get(name).filter(|v| !v.is_null()).or_else(|| item.get("display").and_then(|d| d.get(name))).cloned()
}

/// The items of a list, or of an object keyed by id.
fn items(value: Option<&Value>, what: &str) -> Result<Vec<Value>> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        // Keyed by id: a node or edge without an `id` of its own takes its key.
        Some(Value::Object(map)) => Ok(map
            .iter()
            .map(|(key, item)| {
                let mut item = item.clone();
                if let Some(object) = item.as_object_mut() {
                    object.entry("id").or_insert_with(|| Value::String(key.clone()));
                }
                item
            })
            .collect()),
        Some(_) => Err(Error::bad_import(Said::new("error.map-import.not-list-or-object").text("name", what))),
    }
}

pub(super) fn from_json(value: &Value) -> Result<Foreign> {
    let graph = value.get("graph").ok_or_else(|| Error::bad_import("error.map-import.no-graph"))?;
    let nodes = items(graph.get("nodes"), "nodes")?;
    let edges = items(graph.get("edges"), "edges")?;
    let version_two = value.get("version").and_then(Value::as_i64) == Some(2)
        || nodes.iter().any(|n| n.get("display").is_some() && n.get("name").is_none());
    let mut foreign = Foreign {
        format: if version_two { "map-import.format.oligrapher-2" } else { "map-import.format.oligrapher-3" },
        ..Foreign::default()
    };
    let title = text(value.get("title"));
    let title = if title.is_empty() { text(value.get("attributes").and_then(|a| a.get("title"))) } else { title };
    foreign.title = Some(title).filter(|t| !t.trim().is_empty());
    for (n, node) in nodes.iter().enumerate() {
        if !node.is_object() {
            foreign
                .skipped
                .push(Skipped::new(Said::new("word.map-node").text("n", n + 1), "error.map-skip.not-an-object"));
            continue;
        }
        foreign.elements.push(Element {
            key: text(node.get("id")),
            label: text(field(node, "name").as_ref()),
            kind: text(field(node, "type").as_ref()),
            description: text(field(node, "description").as_ref()),
        });
    }
    for (n, edge) in edges.iter().enumerate() {
        if !edge.is_object() {
            foreign
                .skipped
                .push(Skipped::new(Said::new("word.map-edge").text("n", n + 1), "error.map-skip.not-an-object"));
            continue;
        }
        let (one, two) = (text(edge.get("node1_id")), text(edge.get("node2_id")));
        let arrow = match field(edge, "arrow") {
            Some(Value::String(s)) => s.to_lowercase(),
            _ => String::new(),
        };
        // Which way the arrow points: from node 1 to node 2 unless it says otherwise; both
        // ways, or no arrow at all, is a mutual tie.
        let (from, to, mutual) = match arrow.as_str() {
            "2->1" | "left" => (two, one, false),
            "1->2" | "right" => (one, two, false),
            _ => (one, two, true),
        };
        foreign.ties.push(Tie { from, to, kind: text(field(edge, "label").as_ref()), mutual });
    }
    if foreign.elements.is_empty() {
        return Err(Error::bad_import("error.map-import.no-nodes"));
    }
    Ok(foreign)
}
