//! The first form of history (until data version 8), moved into the second by its
//! migration, once.

use rusqlite::Transaction;
use serde_json::Value;

use super::super::table::Image;
use crate::model::{Actor, ChangeLabel, Millis};

/// Moves the first form of history (`history`, rows as the model types' serde form, English
/// labels) into `history_step` and `history_row`, then drops it. Run once, by the migration
/// to the second form, inside its transaction.
pub(crate) fn upgrade_first_form(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let steps: Vec<(i64, String, String, String, bool, Millis)> = {
        let mut statement = tx.prepare("SELECT id, session_id, label, changes, undone, at FROM history ORDER BY id")?;
        let rows =
            statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, session_id, label, changes, undone, at) in steps {
        // A step that cannot be read was already beyond undo; it is left behind, not guessed at.
        let Ok(Value::Array(rows)) = serde_json::from_str::<Value>(&changes) else {
            continue;
        };
        let converted: Vec<(String, Image, Option<Image>, Option<Image>)> =
            rows.iter().filter_map(first_form_row).collect();
        if converted.is_empty() {
            continue;
        }
        // Who moved a card is the one first-form fact about its author.
        let mover = converted
            .iter()
            .filter(|(name, ..)| name == "placement")
            .find_map(|(_, _, _, after)| after.as_ref()?.get("moved_by")?.as_str().map(str::to_string))
            .unwrap_or_default();
        let label = serde_json::to_string(&ChangeLabel::Recorded { text: label }).unwrap_or_default();
        let actor = serde_json::to_string(&Actor::moving_as(&mover)).unwrap_or_default();
        tx.execute(
            "INSERT INTO history_step (id, session_id, label, actor, schema_version, undone, at)
             VALUES (?1, ?2, ?3, ?4, 8, ?5, ?6)",
            rusqlite::params![id, session_id, label, actor, undone, at],
        )?;
        for (seq, (name, key, before, after)) in converted.into_iter().enumerate() {
            let text = |image: Option<Image>| image.map(|i| Value::Object(i.into_iter().collect()).to_string());
            tx.execute(
                "INSERT INTO history_row (step_id, seq, table_name, row_key, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![id, seq as i64, name, Value::Object(key.into_iter().collect()).to_string(), text(before), text(after)],
            )?;
        }
    }
    tx.execute_batch("DROP TABLE history;")
}

/// One first-form row change as (table, key, before, after) column maps.
fn first_form_row(change: &Value) -> Option<(String, Image, Option<Image>, Option<Image>)> {
    let key = change.get("key")?.as_object()?;
    let name = key.get("table")?.as_str()?.to_string();
    let key: Image = key.iter().filter(|(k, _)| *k != "table").map(|(k, v)| (snake_case(k), v.clone())).collect();
    let image = |side: &str| -> Option<Image> {
        let outer = change.get(side)?.as_object()?;
        let mut image = Image::new();
        for (field, value) in outer {
            if field == "table" {
                continue;
            }
            match value {
                // The model value itself (`"organization": {…}`): its fields are columns.
                Value::Object(inner) if field == &name => {
                    for (column, value) in inner {
                        image.insert(snake_case(column), column_value(value));
                    }
                }
                other => {
                    image.insert(snake_case(field), column_value(other));
                }
            }
        }
        // The session's time of last change belongs to the moment, not to its history.
        image.remove("updated_at");
        Some(image)
    };
    let (before, after) = (image("before"), image("after"));
    Some((name, key, before, after))
}

/// A model field's value as its column stores it: booleans as 0/1, structures as JSON text.
fn column_value(value: &Value) -> Value {
    match value {
        Value::Bool(b) => Value::from(i64::from(*b)),
        Value::Object(_) | Value::Array(_) => Value::from(value.to_string()),
        other => other.clone(),
    }
}

fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
