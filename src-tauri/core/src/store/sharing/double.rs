//! Changed on two laptops: a field two laptops set differently, each not knowing of the
//! other's change. Loro keeps one value (the same on every laptop); the other is kept here,
//! found when the changes meet, so the window can show both — who set each and when — and
//! the person can take the other.
//!
//! Found by comparing, from the last version both laptops knew, what this laptop had
//! changed with what came in — the last value each side's own operations gave each field —
//! : a field in both, with different values, is changed on two laptops. Nothing is found when only one side changed anything (the common case of
//! taking in changes while this laptop was idle), and then nothing is computed.

use std::collections::HashMap;

use loro::{ContainerID, Frontiers, IdSpan, JsonMapOp, JsonOpContent, LoroDoc, VersionVector, ID};
use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use super::super::history::Change;
use super::super::table;
use super::super::Store;
use super::document::{self, from_loro, DELETED};
use crate::error::{Error, Result};
use crate::model::{ChangeLabel, Changed, Millis, Stamp};

/// A field two laptops set differently, as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DoubleChange {
    #[ts(type = "number")]
    pub id: i64,
    /// The session the row belongs to (the one open, when the window asks).
    pub session_id: String,
    /// The table, and the row in words: an organization's name, a commitment's action…
    pub table: String,
    pub row: String,
    /// The column (for a card's place, `x`: its x and y, who moved it and when).
    pub field: String,
    /// The value every laptop shows now, who set it and when.
    pub stands: Value,
    pub stands_by: String,
    #[ts(type = "number | null")]
    pub stands_at: Option<Millis>,
    /// The value it won over.
    pub other: Value,
    pub other_by: String,
    #[ts(type = "number | null")]
    pub other_at: Option<Millis>,
}

/// One field found changed on two laptops.
pub(super) struct Found {
    pub table: &'static str,
    pub row_name: String,
    pub field: String,
    pub stands: Value,
    pub stands_by: String,
    pub stands_at: Option<Millis>,
    pub other: Value,
    pub other_by: String,
    pub other_at: Option<Millis>,
}

/// The laptops whose operations lie between `from` and `to`, by name, and the newest of
/// their changes' times.
fn who_and_when(doc: &LoroDoc, from: &VersionVector, to: &VersionVector) -> (String, Option<Millis>) {
    let names = document::laptops(doc);
    let mut who = Vec::new();
    let mut when: Option<Millis> = None;
    for (peer, end) in to.iter() {
        let start = from.get(peer).copied().unwrap_or(0);
        if *end <= start {
            continue;
        }
        let name =
            names.iter().find(|(p, _)| p == peer).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{peer:x}"));
        if !who.contains(&name) {
            who.push(name);
        }
        if let Some(change) = doc.get_change(ID::new(*peer, end - 1)) {
            when = when.max(Some(change.timestamp * 1000));
        }
    }
    who.sort();
    (who.join(", "), when)
}

/// The value each field of a row was last given (as Loro orders them: by Lamport time, then
/// peer) by the operations between the versions `from` and `to`. Read from the operations
/// themselves, so no version is checked out.
fn last_values(
    doc: &LoroDoc,
    from: &VersionVector,
    to: &VersionVector,
) -> HashMap<(ContainerID, String), (u32, u64, Value)> {
    let mut last: HashMap<(ContainerID, String), (u32, u64, Value)> = HashMap::new();
    for (peer, end) in to.iter() {
        let start = from.get(peer).copied().unwrap_or(0);
        if *end <= start {
            continue;
        }
        for change in doc.export_json_in_id_span(IdSpan::new(*peer, start, *end)) {
            for op in change.ops {
                let JsonOpContent::Map(JsonMapOp::Insert { key, value }) = op.content else { continue };
                // Only a row's fields: not the laptops' names, nor a table's rows coming to be.
                let laptops =
                    matches!(&op.container, ContainerID::Root { name, .. } if name.as_str() == document::LAPTOPS);
                if laptops || matches!(value, loro::LoroValue::Container(_)) {
                    continue;
                }
                let lamport = change.lamport + u32::try_from(op.counter - change.id.counter).unwrap_or(0);
                let slot = (op.container, key);
                if last.get(&slot).is_none_or(|(l, p, _)| (lamport, *peer) > (*l, *p)) {
                    last.insert(slot, (lamport, *peer, from_loro(&value)));
                }
            }
        }
    }
    last
}

/// The fields of rows that this laptop (as of `before`) and the changes just imported
/// (`forward`, their spans) set differently since the last version both knew.
pub(super) fn find(
    doc: &LoroDoc,
    before: &VersionVector,
    forward: &HashMap<u64, loro::CounterSpan, impl std::hash::BuildHasher>,
) -> Vec<Found> {
    let heads: Frontiers =
        forward.iter().filter(|(_, s)| s.end > s.start).map(|(p, s)| ID::new(*p, s.end - 1)).collect();
    let Some(remote) = doc.frontiers_to_vv(&heads) else {
        return Vec::new();
    };
    let common = before.intersection(&remote);
    if &common == before || common == remote {
        // One side changed nothing the other did not know: nothing can be double.
        return Vec::new();
    }
    let mine = last_values(doc, &common, before);
    if mine.is_empty() {
        return Vec::new();
    }
    // The fields both sides set, to values that differ.
    let mut both: Vec<(ContainerID, String, Value, Value)> = last_values(doc, &common, &remote)
        .into_iter()
        .filter(|((_, key), _)| key != DELETED)
        .filter_map(|(slot, (_, _, theirs))| {
            let (_, _, ours) = mine.get(&slot)?;
            (*ours != theirs).then(|| (slot.0, slot.1, ours.clone(), theirs))
        })
        .collect();
    if both.is_empty() {
        return Vec::new();
    }
    // In one order on every laptop.
    both.sort_by_cached_key(|(container, key, _, _)| (container.to_string(), key.clone()));
    let (local_by, local_at) = who_and_when(doc, &common, before);
    let (remote_by, remote_at) = who_and_when(doc, &common, &remote);
    let mut found = Vec::new();
    for (container, key, ours, theirs) in both {
        let Some(row) = document::row_at(doc, &container) else { continue };
        let Some(shared) = document::shared(row.table.name) else { continue };
        // Fields that only follow others (when the session last changed) are no one's choice.
        if shared.table.name == "session" && key == "updated_at" {
            continue;
        }
        let standing = document::image(doc, shared, &row).and_then(|(image, _)| {
            if shared.together.first() == Some(&key.as_str()) {
                Some(Value::Array(
                    shared.together.iter().map(|c| image.get(*c).cloned().unwrap_or(Value::Null)).collect(),
                ))
            } else {
                image.get(key.as_str()).cloned()
            }
        });
        let remote_stands = standing.as_ref() == Some(&theirs);
        let (stands, stands_by, stands_at, other, other_by, other_at) = if remote_stands {
            (theirs, remote_by.clone(), remote_at, ours, local_by.clone(), local_at)
        } else {
            (ours, local_by.clone(), local_at, theirs, remote_by.clone(), remote_at)
        };
        found.push(Found {
            table: shared.table.name,
            row_name: document::row_name(&row),
            field: key,
            stands,
            stands_by,
            stands_at,
            other,
            other_by,
            other_at,
        });
    }
    found
}

/// Keeps what was found, for the window to show until the person settles it.
pub(super) fn keep(tx: &Transaction<'_>, campaign: &str, found: &[Found], now: Millis) -> Result<()> {
    if found.is_empty() {
        return Ok(());
    }
    // The fields kept open already, read once (not once a field: many are found at a time).
    let mut open: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
    {
        let mut statement = tx.prepare_cached(
            "SELECT id, table_name, row_name, field FROM shared_double WHERE campaign = ?1 AND settled = 0",
        )?;
        let rows = statement.query_map([campaign], |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))?;
        for row in rows {
            let (id, field) = row?;
            open.entry(field).or_default().push(id);
        }
    }
    for f in found {
        // A field found double again replaces what was kept of it.
        let field = (f.table.to_string(), f.row_name.clone(), f.field.clone());
        for id in open.remove(&field).unwrap_or_default() {
            tx.prepare_cached("UPDATE shared_double SET settled = 1 WHERE id = ?1")?.execute([id])?;
        }
        tx.prepare_cached(
            "INSERT INTO shared_double (campaign, table_name, row_name, field, stands, stands_by, stands_at,
                                        other, other_by, other_at, found_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(rusqlite::params![
            campaign,
            f.table,
            f.row_name,
            f.field,
            f.stands.to_string(),
            f.stands_by,
            f.stands_at,
            f.other.to_string(),
            f.other_by,
            f.other_at,
            now
        ])?;
    }
    Ok(())
}

/// The session a stored row belongs to and the row in words, or `None` if it is gone.
fn placed(tx: &Transaction<'_>, row: &table::RowRef) -> Result<Option<(String, String)>> {
    let Some(image) = table::read(tx, row)? else {
        return Ok(None);
    };
    let text = |image: &table::Image, column: &str| image.get(column).and_then(Value::as_str).unwrap_or("").to_string();
    let name_of = |id: &str| -> Result<String> {
        let organization = table::RowRef::new(&super::super::organization::TABLE, &[id]);
        Ok(table::read(tx, &organization)?.map(|o| text(&o, "name")).unwrap_or_default())
    };
    let session = super::projection::stored_session(tx, row)?.unwrap_or_default();
    let words = match row.table.name {
        "session" | "grid" => text(&image, "title"),
        "commitment" | "review" => text(&image, "action"),
        "placement" => name_of(row.text("organization_id"))?,
        "relationship" => format!("{} → {}", name_of(&text(&image, "from_id"))?, name_of(&text(&image, "to_id"))?),
        _ => text(&image, "name"),
    };
    Ok(Some((session, words)))
}

fn gone() -> Error {
    Error::not_found("error.sharing.double-gone")
}

impl Store {
    /// The fields of the session's rows that two laptops set differently and that no one
    /// has settled yet, the newest found first. None for a session not shared.
    pub fn double_changes(&self, session_id: &str) -> Result<Vec<DoubleChange>> {
        self.read(|tx| {
            let Some(campaign) = super::shared_campaign_of(tx, session_id)? else {
                return Ok(Vec::new());
            };
            let mut statement = tx.prepare_cached(
                "SELECT id, table_name, row_name, field, stands, stands_by, stands_at, other, other_by, other_at
                 FROM shared_double WHERE campaign = ?1 AND settled = 0 ORDER BY id DESC",
            )?;
            let rows = statement.query_map([&campaign], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<Millis>>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<Millis>>(9)?,
                ))
            })?;
            let mut found = Vec::new();
            for row in rows {
                let (id, table_name, row_name, field, stands, stands_by, stands_at, other, other_by, other_at) = row?;
                let Some(shared) = document::shared(&table_name) else { continue };
                let row = document::row_of(shared.table, &row_name);
                let Some((session, words)) = placed(tx, &row)? else { continue };
                if session != session_id {
                    continue;
                }
                found.push(DoubleChange {
                    id,
                    session_id: session,
                    table: table_name,
                    row: words,
                    field,
                    stands: serde_json::from_str(&stands).unwrap_or(Value::Null),
                    stands_by,
                    stands_at,
                    other: serde_json::from_str(&other).unwrap_or(Value::Null),
                    other_by,
                    other_at,
                });
            }
            Ok(found)
        })
    }

    /// Leaves a field changed on two laptops as it stands, and stops showing it.
    ///
    /// Errors: not found for one settled already, or never found.
    pub fn keep_standing_value(&self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("UPDATE shared_double SET settled = 1 WHERE id = ?1 AND settled = 0", [id])? == 0 {
                return Err(gone());
            }
            Ok(())
        })
    }

    /// Takes the value that did not stand for a field changed on two laptops: a change like
    /// any other (undoable here, shared with every laptop).
    ///
    /// Errors: not found for one settled already, or whose row is gone; invalid for a value
    /// this version cannot store.
    pub fn take_other_value(&self, id: i64, stamp: impl Into<Stamp>) -> Result<Changed<()>> {
        let stamp = stamp.into();
        self.change(|tx| {
            let (table_name, row_name, field, other, other_by): (String, String, String, String, String) = tx
                .prepare_cached(
                    "SELECT table_name, row_name, field, other, other_by FROM shared_double WHERE id = ?1 AND settled = 0",
                )?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                .optional()?
                .ok_or_else(gone)?;
            let shared = document::shared(&table_name).ok_or_else(gone)?;
            let row = document::row_of(shared.table, &row_name);
            let (session, _) = placed(tx, &row)?.ok_or_else(gone)?;
            let mut image = table::read(tx, &row)?.ok_or_else(gone)?;
            let other: Value = serde_json::from_str(&other).map_err(|_| gone())?;
            match (shared.together.first() == Some(&field.as_str()), other) {
                (true, Value::Array(items)) => {
                    for (column, value) in shared.together.iter().zip(items) {
                        image.insert(column.to_string(), value);
                    }
                }
                (_, value) => {
                    image.insert(field.clone(), value);
                }
            }
            let label = ChangeLabel::TakeOtherValue { laptop: other_by };
            let change = Change::begin(tx, &session, label, &stamp, vec![row.clone()])?;
            table::write(tx, &row, Some(&image))?;
            // What is stored must read back as the model says (a value from a newer version may not).
            super::super::written_row(tx, &row).map_err(|_| Error::invalid("error.sharing.value-not-stored"))?;
            tx.execute("UPDATE shared_double SET settled = 1 WHERE id = ?1", [id])?;
            Ok(((), change))
        })
    }
}
