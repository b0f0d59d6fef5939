//! A shared campaign as a Loro document. Each shared table is a root map; each row is a
//! *mergeable* map in it, under the row's key (so a row made on two laptops is one row,
//! and neither side's later edits are lost); each column is a field of the row's map, last
//! writer wins in Loro's order. A card's place — x, y, who moved it and when — is one
//! value, so a merge never pairs one laptop's x with another's y. A removed row keeps its
//! fields and is marked [`DELETED`], so an edit made meanwhile on another laptop is kept,
//! and the row can come back.

use loro::{LoroDoc, LoroMap, LoroValue, ValueOrContainer};
use serde_json::Value;

use super::super::table::{Image, RowRef, StoredTable};
use crate::error::{Error, Result};
use crate::i18n::Said;

/// A table a shared campaign holds.
pub(crate) struct SharedTable {
    pub table: &'static StoredTable,
    /// Columns that stay on each laptop (a session's revision, which counts this laptop's
    /// changes). Every other column is shared, those history leaves alone included (when the
    /// session last changed, and whether it was deleted).
    pub local: &'static [&'static str],
    /// Columns kept together as one value (the field named first), never merged apart.
    pub together: &'static [&'static str],
}

/// The shared tables, parents before the tables that refer to them. A private round and
/// its answers stay in the room they were taken in.
pub(crate) const SHARED: &[SharedTable] = &[
    SharedTable { table: &super::super::session::TABLE, local: &["revision"], together: &[] },
    SharedTable { table: &super::super::organization::TABLE, local: &[], together: &[] },
    SharedTable { table: &super::super::grid::TABLE, local: &[], together: &[] },
    SharedTable { table: &super::super::placement::TABLE, local: &[], together: &["x", "y", "moved_by", "moved_at"] },
    SharedTable { table: &super::super::commitment::TABLE, local: &[], together: &[] },
    SharedTable { table: &super::super::participant::TABLE, local: &[], together: &[] },
    SharedTable { table: &super::super::review::TABLE, local: &[], together: &[] },
    SharedTable { table: &super::super::relationship::TABLE, local: &[], together: &[] },
];

/// The field that marks a row removed (`true`) or brought back (`false`). No column starts
/// with `$`.
pub(crate) const DELETED: &str = "$deleted";

/// The root map of the laptops that share the campaign: peer id → the laptop's name.
pub(crate) const LAPTOPS: &str = "$laptops";

/// The shared table `name`, if it is one.
pub(crate) fn shared(name: &str) -> Option<&'static SharedTable> {
    SHARED.iter().find(|s| s.table.name == name)
}

/// Where in [`SHARED`] the table is (parents first).
pub(crate) fn rank(name: &str) -> usize {
    SHARED.iter().position(|s| s.table.name == name).unwrap_or(SHARED.len())
}

/// The row's name in its table's map: its id, or its key's values as a JSON list.
pub(crate) fn row_name(row: &RowRef) -> String {
    if let [only] = row.table.key {
        return row.text(only).to_string();
    }
    let values: Vec<&Value> = row.table.key.iter().map(|c| row.key.get(*c).unwrap_or(&Value::Null)).collect();
    serde_json::to_string(&values).unwrap_or_default()
}

/// The row a map name stands for (see [`row_name`]).
pub(crate) fn row_of(table: &'static StoredTable, name: &str) -> RowRef {
    if table.key.len() == 1 {
        return RowRef::new(table, &[name]);
    }
    let values: Vec<Value> = serde_json::from_str(name).unwrap_or_default();
    let key = table.key.iter().zip(values).map(|(c, v)| (c.to_string(), v)).collect();
    RowRef { table, key }
}

fn broken(detail: impl std::fmt::Display) -> Error {
    Error::internal(Said::new("error.internal.shared-document").text("detail", detail))
}

pub(crate) fn to_loro(value: &Value) -> LoroValue {
    match value {
        Value::Null => LoroValue::Null,
        Value::Bool(b) => LoroValue::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) if !n.is_f64() => LoroValue::I64(i),
            _ => LoroValue::Double(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => LoroValue::from(s.as_str()),
        Value::Array(items) => LoroValue::from(items.iter().map(to_loro).collect::<Vec<_>>()),
        Value::Object(_) => LoroValue::from(value.to_string()),
    }
}

pub(crate) fn from_loro(value: &LoroValue) -> Value {
    match value {
        LoroValue::Null => Value::Null,
        LoroValue::Bool(b) => Value::Bool(*b),
        LoroValue::I64(i) => Value::from(*i),
        LoroValue::Double(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        LoroValue::String(s) => Value::from(s.to_string()),
        LoroValue::List(items) => Value::Array(items.iter().map(from_loro).collect()),
        _ => Value::Null,
    }
}

fn field(map: &LoroMap, name: &str) -> Option<LoroValue> {
    match map.get(name)? {
        ValueOrContainer::Value(value) => Some(value),
        ValueOrContainer::Container(_) => None,
    }
}

/// The image's fields as the document keeps them: each column its own field, but the
/// columns kept together, which are one list under the first one's name.
fn fields(shared: &SharedTable, image: &Image) -> Vec<(String, LoroValue)> {
    let mut out = Vec::with_capacity(image.len());
    for (column, value) in image {
        if shared.local.contains(&column.as_str()) || shared.together.contains(&column.as_str()) {
            continue;
        }
        out.push((column.clone(), to_loro(value)));
    }
    if let Some(first) = shared.together.first() {
        let values: Vec<LoroValue> =
            shared.together.iter().map(|c| to_loro(image.get(*c).unwrap_or(&Value::Null))).collect();
        out.push((first.to_string(), LoroValue::from(values)));
    }
    out
}

/// The row's map, if the document has it.
fn existing(doc: &LoroDoc, row: &RowRef) -> Option<LoroMap> {
    match doc.get_map(row.table.name).get(&row_name(row))? {
        ValueOrContainer::Container(loro::Container::Map(map)) => Some(map),
        _ => None,
    }
}

/// Makes the document's row be `image` (removed, for `None`), writing only the fields that
/// differ, so a field this laptop did not change never overrides another laptop's change.
/// Returns whether anything was written.
pub(crate) fn record(doc: &LoroDoc, shared: &SharedTable, row: &RowRef, image: Option<&Image>) -> Result<bool> {
    record_changed(doc, shared, row, image, &|_| true)
}

/// [`record`], for the columns `changed` says the write changed only: a column it did not
/// change keeps what the document says, even where the stored row shows something else for
/// a while (a reference emptied while the row it names is gone).
pub(crate) fn record_changed(
    doc: &LoroDoc,
    shared: &SharedTable,
    row: &RowRef,
    image: Option<&Image>,
    changed: &dyn Fn(&str) -> bool,
) -> Result<bool> {
    let Some(image) = image else {
        // A row the document never held (removed before the campaign was shared) needs no mark.
        return match existing(doc, row) {
            Some(map) if field(&map, DELETED) != Some(LoroValue::Bool(true)) => {
                map.insert(DELETED, true).map_err(broken)?;
                Ok(true)
            }
            _ => Ok(false),
        };
    };
    let map = doc.get_map(row.table.name).ensure_mergeable_map(&row_name(row)).map_err(broken)?;
    let mut wrote = false;
    for (name, value) in fields(shared, image) {
        let touched = if shared.together.first() == Some(&name.as_str()) {
            shared.together.iter().any(|column| changed(column))
        } else {
            changed(&name)
        };
        if touched && field(&map, &name).as_ref() != Some(&value) {
            map.insert(&name, value).map_err(broken)?;
            wrote = true;
        }
    }
    if field(&map, DELETED) == Some(LoroValue::Bool(true)) {
        map.insert(DELETED, false).map_err(broken)?;
        wrote = true;
    }
    Ok(wrote)
}

/// The row as the document holds it, and whether it is marked removed; `None` if the
/// document has no such row.
pub(crate) fn image(doc: &LoroDoc, shared: &SharedTable, row: &RowRef) -> Option<(Image, bool)> {
    let map = existing(doc, row)?;
    let mut image = Image::new();
    let mut deleted = false;
    map.for_each(|name, value| {
        let ValueOrContainer::Value(value) = value else {
            return;
        };
        if name == DELETED {
            deleted = value == LoroValue::Bool(true);
        } else if shared.together.first() == Some(&name) {
            if let LoroValue::List(items) = &value {
                for (column, item) in shared.together.iter().zip(items.iter()) {
                    image.insert(column.to_string(), from_loro(item));
                }
            }
        } else {
            image.insert(name.to_string(), from_loro(&value));
        }
    });
    for (column, value) in &row.key {
        image.entry(column.clone()).or_insert_with(|| value.clone());
    }
    Some((image, deleted))
}

/// Every row the document holds in the shared table, removed ones too.
pub(crate) fn rows(doc: &LoroDoc, shared: &SharedTable) -> Vec<RowRef> {
    doc.get_map(shared.table.name).keys().map(|name| row_of(shared.table, &name)).collect()
}

/// The row a container of the document is (a row's map), if it is one.
pub(crate) fn row_at(doc: &LoroDoc, container: &loro::ContainerID) -> Option<RowRef> {
    let path = doc.get_path_to_container(container)?;
    let names: Vec<String> = path
        .iter()
        .filter_map(|(_, index)| match index {
            loro::Index::Key(key) => Some(key.to_string()),
            _ => None,
        })
        .collect();
    let [table, name] = names.as_slice() else {
        return None;
    };
    let shared = shared(table)?;
    Some(row_of(shared.table, name))
}

/// The laptops that share the campaign: peer id → name.
pub(crate) fn laptops(doc: &LoroDoc) -> Vec<(u64, String)> {
    let mut found = Vec::new();
    doc.get_map(LAPTOPS).for_each(|peer, value| {
        if let (Ok(peer), ValueOrContainer::Value(LoroValue::String(name))) = (peer.parse::<u64>(), value) {
            found.push((peer, name.to_string()));
        }
    });
    found
}

/// Names this laptop in the document, if its name there is not `name` already.
pub(crate) fn name_laptop(doc: &LoroDoc, name: &str) -> Result<()> {
    let laptops = doc.get_map(LAPTOPS);
    let peer = doc.peer_id().to_string();
    if field(&laptops, &peer) != Some(LoroValue::from(name)) {
        laptops.insert(&peer, name).map_err(broken)?;
    }
    Ok(())
}
