//! Oligrapher's maps (LittleSis): `graph.nodes` and `graph.edges`, lists or objects keyed
//! by id — or `nodes` and `edges` without the `graph` around them, as Oligrapher's demo
//! pages embed them. Version 3 writes a node's `name` and an edge's `label` and `arrow`
//! ("1->2", "2->1", "both" or null) on the node or edge itself; version 2 writes them
//! under `display`, where `arrow: true` (set from LittleSis' `is_directional`) points from
//! node 1 to node 2, and `false` or none is no arrow. An edge's label is its
//! relationship's note, and the kind of relationship is guessed from it.

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

/// The items of a list, or of an object keyed by id, each with its id: its own `id`, or
/// else its key.
fn items<'v>(value: Option<&'v Value>, what: &str) -> Result<Vec<(String, &'v Value)>> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.iter().map(|item| (text(item.get("id")), item)).collect()),
        Some(Value::Object(map)) => Ok(map
            .iter()
            .map(|(key, item)| {
                let own = text(item.get("id"));
                (if own.is_empty() { key.clone() } else { own }, item)
            })
            .collect()),
        Some(_) => Err(Error::bad_import(Said::new("error.map-import.not-list-or-object").text("name", what))),
    }
}

/// An Oligrapher map, with or without its `graph` wrapper.
pub(super) fn from_json(value: &Value) -> Result<Foreign> {
    let graph = value.get("graph").unwrap_or(value);
    let nodes = items(graph.get("nodes"), "nodes")?;
    let edges = items(graph.get("edges"), "edges")?;
    let version_two = value.get("version").and_then(Value::as_i64) == Some(2)
        || nodes.iter().any(|(_, n)| n.get("display").is_some() && n.get("name").is_none());
    let mut foreign = Foreign {
        format: if version_two { "map-import.format.oligrapher-2" } else { "map-import.format.oligrapher-3" },
        ..Foreign::default()
    };
    let title = text(value.get("title"));
    let title = if title.is_empty() { text(value.get("attributes").and_then(|a| a.get("title"))) } else { title };
    foreign.title = Some(title).filter(|t| !t.trim().is_empty());
    for (n, (key, node)) in nodes.into_iter().enumerate() {
        let at = Said::new("word.map-node").text("n", n + 1);
        if !node.is_object() {
            foreign.skipped.push(Skipped::new(at, "error.map-skip.not-an-object"));
            continue;
        }
        foreign.elements.push(Element {
            at,
            key,
            label: text(field(node, "name").as_ref()),
            kind: text(field(node, "type").as_ref()),
            description: text(field(node, "description").as_ref()),
            tags: Vec::new(),
        });
    }
    for (n, (_, edge)) in edges.into_iter().enumerate() {
        let at = Said::new("word.map-edge").text("n", n + 1);
        if !edge.is_object() {
            foreign.skipped.push(Skipped::new(at, "error.map-skip.not-an-object"));
            continue;
        }
        let (one, two) = (text(edge.get("node1_id")), text(edge.get("node2_id")));
        let arrow = match field(edge, "arrow") {
            Some(Value::String(s)) => s.to_lowercase(),
            // Oligrapher 2: `true` is an arrow from node 1 to node 2.
            Some(Value::Bool(true)) => "1->2".to_string(),
            _ => String::new(),
        };
        // Which way the arrow points; both ways, or no arrow at all, is a mutual tie.
        let (from, to, mutual) = match arrow.as_str() {
            "2->1" | "left" => (two, one, false),
            "1->2" | "right" => (one, two, false),
            _ => (one, two, true),
        };
        let label = text(field(edge, "label").as_ref());
        foreign.ties.push(Tie { kind: label.clone(), description: label, mutual, ..Tie::between(at, from, to) });
    }
    if foreign.elements.is_empty() {
        return Err(Error::bad_import("error.map-import.no-nodes"));
    }
    Ok(foreign)
}
