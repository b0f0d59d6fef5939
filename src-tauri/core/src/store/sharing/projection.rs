//! The rows a shared campaign's document says there are. A row is there when the document
//! holds it, not marked removed, and every row it refers to is there; where a reference
//! may be emptied (`ON DELETE SET NULL`) it is emptied instead. Another laptop's changes
//! are imported into the document, and the rows they touched are made what the document
//! now says — as row writes in the transaction, told to every view as one change per
//! session. Nothing here writes to the document: the rows follow it, never the reverse.

use std::collections::{BTreeSet, HashMap, HashSet};

use loro::LoroDoc;
use rusqlite::Transaction;
use serde_json::Value;

use super::super::history::announce;
use super::super::table::{self, ForeignKey, Image, RowRef};
use super::document::{self, SharedTable, SHARED};
use super::BySession;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{Actor, ChangeAction, ChangeLabel, Millis, Stamp};

/// What taking in another laptop's changes did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TakenIn {
    /// Whether the campaign gained anything.
    pub changed: bool,
    /// Whether some changes wait for earlier ones not taken in yet (a file still on its way).
    pub waiting: bool,
    /// The rows written or removed.
    pub rows: usize,
    /// The sessions those rows belong to.
    pub sessions: Vec<String>,
    /// Which laptops the changes came from.
    pub laptops: Vec<String>,
    /// Rows the document holds that this version cannot store (left out, not lost: they
    /// stay in the document).
    pub refused: usize,
    /// Fields this laptop and the changes taken in set differently (see
    /// [`Store::double_changes`](crate::store::Store::double_changes)).
    pub doubles: usize,
}

/// Imports `bytes` into `doc` and makes the rows what the document now says.
pub(super) fn take_in(
    tx: &Transaction<'_>,
    doc: &LoroDoc,
    bytes: &[u8],
    now: Millis,
) -> Result<(TakenIn, Vec<super::double::Found>)> {
    let before_vv = doc.oplog_vv();
    let before = doc.oplog_frontiers();
    let status =
        doc.import(bytes).map_err(|e| Error::bad_import(Said::new("error.sharing.damaged").text("detail", e)))?;
    let mut taken = TakenIn { waiting: status.pending.is_some(), ..TakenIn::default() };
    if doc.oplog_vv() == before_vv {
        return Ok((taken, Vec::new()));
    }
    taken.changed = true;
    let spans = doc.find_id_spans_between(&before, &doc.oplog_frontiers());
    let doubles = super::double::find(doc, &before_vv, &spans.forward);
    taken.doubles = doubles.len();
    let mut work = BTreeSet::new();
    let mut peers = Vec::new();
    for (peer, span) in spans.forward.iter() {
        peers.push(*peer);
        let length = usize::try_from(span.end - span.start).unwrap_or(0);
        for container in doc.get_changed_containers_in(loro::ID::new(*peer, span.start), length) {
            if let Some(row) = document::row_at(doc, &container) {
                work.insert((document::rank(row.table.name), document::row_name(&row)));
            }
        }
    }
    let names = document::laptops(doc);
    let mut laptops: Vec<String> = peers
        .iter()
        .map(|peer| {
            names.iter().find(|(p, _)| p == peer).map(|(_, n)| n.clone()).unwrap_or_else(|| format!("#{peer:x}"))
        })
        .collect();
    laptops.sort();
    laptops.dedup();
    let (mut by_session, refused) = project(tx, doc, work)?;
    taken.refused = refused;
    // A field changed on two laptops where this laptop's value stands changes no row here;
    // its session is still told, so the window shows the double change.
    for found in &doubles {
        if let Some(shared) = document::shared(found.table) {
            if let Some(session) = stored_session(tx, &document::row_of(shared.table, &found.row_name))? {
                by_session.entry(session).or_default();
            }
        }
    }
    let person = last_person(doc, &spans.forward);
    let actor = Actor::Laptop { laptop: laptops.join(", "), person: person.clone() };
    let label = ChangeLabel::FromLaptop { laptop: laptops.join(", ") };
    for (session_id, rows) in &by_session {
        let revision: Option<i64> = tx
            .prepare_cached("UPDATE session SET revision = revision + 1 WHERE id = ?1 RETURNING revision")?
            .query_row([session_id], |r| r.get(0))
            .ok();
        let Some(revision) = revision else {
            continue;
        };
        taken.rows += rows.len();
        taken.sessions.push(session_id.clone());
        let stamp = Stamp { at: now, by: actor.clone() };
        let touched = rows.iter().map(|(row, there)| (row, *there));
        announce(tx, session_id, revision, ChangeAction::Do, label.clone(), &stamp, actor.clone(), touched, None)?;
    }
    // The rows follow the document here; nothing of them goes back into it.
    super::drop_staged();
    taken.laptops = laptops;
    Ok((taken, doubles))
}

/// The person who made the newest of the changes taken in, as their laptop recorded them.
fn last_person(doc: &LoroDoc, forward: &HashMap<u64, loro::CounterSpan, impl std::hash::BuildHasher>) -> String {
    let newest = forward
        .iter()
        .filter(|(_, span)| span.end > span.start)
        .filter_map(|(peer, span)| doc.get_change(loro::ID::new(*peer, span.end - 1)))
        .max_by_key(|change| change.lamport);
    newest
        .and_then(|change| change.message.as_deref().and_then(|m| serde_json::from_str::<Actor>(m).ok()))
        .map(|actor| actor.mover_name().to_string())
        .unwrap_or_default()
}

/// The foreign keys of each shared table, read once per batch.
#[derive(Default)]
struct Keys(HashMap<&'static str, Vec<ForeignKey>>);

impl Keys {
    fn of(&mut self, tx: &Transaction<'_>, table: &'static table::StoredTable) -> Result<&Vec<ForeignKey>> {
        if !self.0.contains_key(table.name) {
            self.0.insert(table.name, table::foreign_keys(tx, table)?);
        }
        Ok(&self.0[table.name])
    }
}

/// Makes the rows of `work` (rank in [`SHARED`], name) what the document says, parents
/// first; a row that appears brings back the rows that refer to it. Returns the rows
/// touched, by session, and how many rows could not be stored.
fn project(tx: &Transaction<'_>, doc: &LoroDoc, mut work: BTreeSet<(usize, String)>) -> Result<(BySession, usize)> {
    let mut keys = Keys::default();
    let mut by_session = BySession::new();
    let mut refused = 0;
    let mut appeared: Vec<RowRef> = Vec::new();
    loop {
        while let Some((rank, name)) = work.pop_first() {
            let shared = &SHARED[rank];
            let row = document::row_of(shared.table, &name);
            let current = table::read_without(tx, &row, shared.local)?;
            let desired = desired(tx, doc, shared, &row, &mut keys)?;
            if desired == current {
                continue;
            }
            match desired {
                None => {
                    let removal = table::removal(tx, &row)?;
                    let sessions: Vec<Option<String>> =
                        removal.iter().map(|r| stored_session(tx, r)).collect::<Result<_>>()?;
                    table::write_without(tx, &row, None, shared.local)?;
                    for (removed, session) in removal.into_iter().zip(sessions) {
                        let there = table::read(tx, &removed)?.is_some();
                        if let Some(session) = session {
                            by_session.entry(session).or_default().push((removed, there));
                        }
                    }
                }
                Some(image) => {
                    if !tolerable(&image) {
                        refused += 1;
                        continue;
                    }
                    tx.prepare_cached("SAVEPOINT shared_row")?.execute([])?;
                    let written = table::write_without(tx, &row, Some(&image), shared.local)
                        .and_then(|()| super::super::written_row(tx, &row));
                    if written.is_err() {
                        tx.prepare_cached("ROLLBACK TO shared_row")?.execute([])?;
                        tx.prepare_cached("RELEASE shared_row")?.execute([])?;
                        refused += 1;
                        continue;
                    }
                    tx.prepare_cached("RELEASE shared_row")?.execute([])?;
                    if let Some(session) = stored_session(tx, &row)? {
                        by_session.entry(session).or_default().push((row.clone(), true));
                    }
                    if current.is_none() {
                        appeared.push(row);
                    }
                }
            }
        }
        if appeared.is_empty() {
            break;
        }
        referring(tx, doc, &mut keys, &appeared, &mut work)?;
        appeared.clear();
        if work.is_empty() {
            break;
        }
    }
    Ok((by_session, refused))
}

/// Whether the text of a row another laptop wrote is text Powermap would have taken: no
/// control character but line breaks and tabs, and none longer than the longest note. (What
/// each field takes is checked when it is typed; a laptop holding the key but running
/// something else — or a damaged one — is not trusted to have checked.)
fn tolerable(image: &Image) -> bool {
    image.values().all(|value| match value {
        Value::String(text) => {
            text.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                && text.chars().count() <= crate::model::text::MAX_NOTES
        }
        _ => true,
    })
}

/// Adds to `work` the rows the document holds that refer to one of `appeared` (rows that
/// have just come back or come to be): their references may have been emptied, or they
/// left out, while it was not there.
fn referring(
    tx: &Transaction<'_>,
    doc: &LoroDoc,
    keys: &mut Keys,
    appeared: &[RowRef],
    work: &mut BTreeSet<(usize, String)>,
) -> Result<()> {
    for child in SHARED.iter() {
        let references: Vec<ForeignKey> = keys
            .of(tx, child.table)?
            .iter()
            .filter(|fk| appeared.iter().any(|a| a.table.name == fk.parent.name))
            .map(|fk| ForeignKey { parent: fk.parent, columns: fk.columns.clone(), on_delete: fk.on_delete.clone() })
            .collect();
        if references.is_empty() {
            continue;
        }
        let wanted: HashSet<(&str, String)> =
            appeared.iter().map(|a| (a.table.name, a.key.values().map(Value::to_string).collect())).collect();
        for candidate in document::rows(doc, child) {
            let Some((image, false)) = document::image(doc, child, &candidate) else {
                continue;
            };
            let refers = references.iter().any(|fk| {
                let value: String =
                    fk.columns.iter().map(|(from, _)| image.get(from).unwrap_or(&Value::Null).to_string()).collect();
                wanted.contains(&(fk.parent.name, value))
            });
            if refers {
                work.insert((document::rank(child.table.name), document::row_name(&candidate)));
            }
        }
    }
    Ok(())
}

/// After a write of this laptop's brought rows back (an undo of a removal, a restore): the
/// rows other laptops made that refer to them are made what the document says (a reference
/// emptied while they were gone is filled again; a row left out comes), and each session
/// they belong to is told, as one change.
pub(super) fn follow_appeared(
    tx: &Transaction<'_>,
    doc: &LoroDoc,
    appeared: &[RowRef],
    actor: &Actor,
    now: Millis,
) -> Result<()> {
    let mut keys = Keys::default();
    let mut work = BTreeSet::new();
    referring(tx, doc, &mut keys, appeared, &mut work)?;
    if work.is_empty() {
        return Ok(());
    }
    let (by_session, _) = project(tx, doc, work)?;
    let label = ChangeLabel::ReferencesBack { count: by_session.values().map(Vec::len).sum::<usize>() as u32 };
    for (session_id, rows) in &by_session {
        if rows.is_empty() {
            continue;
        }
        let revision: Option<i64> = tx
            .prepare_cached("UPDATE session SET revision = revision + 1 WHERE id = ?1 RETURNING revision")?
            .query_row([session_id], |r| r.get(0))
            .ok();
        let Some(revision) = revision else { continue };
        let stamp = Stamp { at: now, by: actor.clone() };
        let touched = rows.iter().map(|(row, there)| (row, *there));
        announce(tx, session_id, revision, ChangeAction::Do, label.clone(), &stamp, actor.clone(), touched, None)?;
    }
    // The rows follow the document; nothing of them goes back into it.
    super::drop_staged();
    Ok(())
}

/// The row as the document says it should be stored: `None` if the document does not hold
/// it, marked it removed, or a row it must refer to is not there.
fn desired(
    tx: &Transaction<'_>,
    doc: &LoroDoc,
    shared: &SharedTable,
    row: &RowRef,
    keys: &mut Keys,
) -> Result<Option<Image>> {
    let Some((mut image, false)) = document::image(doc, shared, row) else {
        return Ok(None);
    };
    for fk in keys.of(tx, shared.table)? {
        let values: Vec<&Value> = fk.columns.iter().map(|(from, _)| image.get(from).unwrap_or(&Value::Null)).collect();
        if values.iter().all(|v| v.is_null()) {
            continue;
        }
        let clause = fk.columns.iter().map(|(_, to)| format!("\"{to}\" IS ?")).collect::<Vec<_>>().join(" AND ");
        let there: bool = tx
            .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM \"{}\" WHERE {clause})", fk.parent.name))?
            .query_row(rusqlite::params_from_iter(values.iter().map(|v| table::to_sql(v))), |r| r.get(0))?;
        if there {
            continue;
        }
        if fk.on_delete.eq_ignore_ascii_case("SET NULL") {
            for (from, _) in &fk.columns {
                image.insert(from.clone(), Value::Null);
            }
        } else {
            return Ok(None);
        }
    }
    Ok(Some(image))
}

/// The session a stored row belongs to: its own id for a session, its `session_id`, or
/// (a card's place) its grid's.
pub(super) fn stored_session(tx: &Transaction<'_>, row: &RowRef) -> Result<Option<String>> {
    if row.table.name == "session" {
        return Ok(Some(row.text("id").to_string()));
    }
    if let Some(image) = table::read(tx, row)? {
        if let Some(Value::String(session)) = image.get("session_id") {
            return Ok(Some(session.clone()));
        }
    }
    if row.table.name == "placement" {
        let grid = RowRef::new(&super::super::grid::TABLE, &[row.text("grid_id")]);
        return Ok(
            table::read(tx, &grid)?.and_then(|g| g.get("session_id").and_then(|s| s.as_str().map(str::to_string)))
        );
    }
    Ok(None)
}

/// Where the stored rows of the campaign differ from what its document says: one line
/// each (empty when they agree), and any broken reference `PRAGMA foreign_key_check` finds.
pub(super) fn differences(tx: &Transaction<'_>, doc: &LoroDoc, campaign: &str) -> Result<Vec<String>> {
    let mut keys = Keys::default();
    let mut found = Vec::new();
    let sessions: HashSet<String> = tx
        .prepare("SELECT id FROM session WHERE campaign = ?1")?
        .query_map([campaign], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Parents first, so a row's references are judged against the rows the document says.
    for shared in SHARED {
        let mut seen = HashSet::new();
        for row in document::rows(doc, shared) {
            seen.insert(document::row_name(&row));
            let wanted = desired(tx, doc, shared, &row, &mut keys)?;
            let stored = table::read_without(tx, &row, shared.local)?;
            if wanted != stored {
                found.push(format!(
                    "{} {}: document {:?}, stored {:?}",
                    shared.table.name,
                    document::row_name(&row),
                    wanted,
                    stored
                ));
            }
        }
        // Rows stored in the campaign's sessions that the document does not hold.
        let keys_sql = shared.table.key.join(", ");
        let mut statement = tx.prepare(&format!("SELECT {keys_sql} FROM {}", shared.table.name))?;
        let mut rows = statement.query([])?;
        while let Some(r) = rows.next()? {
            let mut key = Image::new();
            for (index, column) in shared.table.key.iter().enumerate() {
                key.insert(column.to_string(), table::from_sql(r.get_ref(index)?));
            }
            let row = RowRef { table: shared.table, key };
            if seen.contains(&document::row_name(&row)) {
                continue;
            }
            if stored_session(tx, &row)?.is_some_and(|s| sessions.contains(&s)) {
                found.push(format!("{} {}: stored, not in the document", shared.table.name, document::row_name(&row)));
            }
        }
    }
    let mut check = tx.prepare("PRAGMA foreign_key_check")?;
    let mut broken = check.query([])?;
    while let Some(r) = broken.next()? {
        found.push(format!("foreign key broken in {}", r.get::<_, String>(0)?));
    }
    Ok(found)
}
