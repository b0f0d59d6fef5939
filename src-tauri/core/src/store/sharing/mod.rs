//! Campaigns shared across laptops. A shared campaign is also a Loro document (see
//! [`document`]), kept in this database as the updates that made it (`shared_update`), and
//! the rows stay what every view reads:
//!
//! - a local write stages the rows it touched ([`stage`]); before its transaction commits,
//!   [`Sharing::record_staged`] writes what differs into the campaign's document and keeps
//!   the update in the same transaction, so a crash never leaves the rows and the document
//!   apart;
//! - another laptop's updates are imported into the document and become row writes
//!   ([`projection`]), published like any other change;
//! - undo history and the change log stay on each laptop.
//!
//! A campaign no one shares costs one query per write, and nothing else changes for it.

pub(crate) mod document;
mod double;
mod projection;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;

use loro::{ExportMode, IdSpan, LoroDoc};
use rusqlite::{OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use super::table::{self, RowRef};
use super::Store;
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::{Actor, Millis};
pub use double::DoubleChange;
pub use projection::TakenIn;

/// Which file a shared campaign was last written in (see [`Store::take_own_peers`]).
pub(super) const HOME: &str = "ALTER TABLE shared_campaign ADD COLUMN home TEXT;";

pub(super) const SCHEMA: &str = "
CREATE TABLE shared_campaign (
    campaign  TEXT PRIMARY KEY NOT NULL,
    peer      INTEGER NOT NULL,
    laptop    TEXT NOT NULL,
    key       TEXT NOT NULL,
    folder    TEXT,
    sent      INTEGER NOT NULL DEFAULT 0,
    shared_at INTEGER NOT NULL,
    synced_at INTEGER
);
CREATE TABLE shared_update (
    id       INTEGER PRIMARY KEY,
    campaign TEXT NOT NULL REFERENCES shared_campaign(campaign) ON DELETE CASCADE,
    bytes    BLOB NOT NULL
);
CREATE INDEX shared_update_by_campaign ON shared_update(campaign, id);
CREATE TABLE shared_double (
    id         INTEGER PRIMARY KEY,
    campaign   TEXT NOT NULL REFERENCES shared_campaign(campaign) ON DELETE CASCADE,
    table_name TEXT NOT NULL,
    row_name   TEXT NOT NULL,
    field      TEXT NOT NULL,
    stands     TEXT NOT NULL,
    stands_by  TEXT NOT NULL,
    stands_at  INTEGER,
    other      TEXT NOT NULL,
    other_by   TEXT NOT NULL,
    other_at   INTEGER,
    found_at   INTEGER NOT NULL,
    settled    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX shared_double_open ON shared_double(campaign, settled);
CREATE TABLE shared_file (
    campaign TEXT NOT NULL REFERENCES shared_campaign(campaign) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    size     INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    PRIMARY KEY (campaign, name)
) WITHOUT ROWID;
";

/// Updates kept one by one before they are folded into one snapshot of the document.
const KEPT_UPDATES: i64 = 2_000;

/// A campaign this laptop shares, as the window and the command line show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedCampaign {
    /// The campaign's id (its first session's).
    pub campaign: String,
    /// The campaign's first session's title.
    pub title: String,
    /// The campaign's key, as text: whoever has it reads and writes the campaign.
    pub key: String,
    /// The shared folder its changes travel through, if it has one.
    pub folder: Option<String>,
    /// This laptop's name, as the others see it.
    pub laptop: String,
    /// The campaign's sessions on this laptop, in the order they were held.
    pub sessions: Vec<String>,
    /// Every laptop that has changed the campaign, this one included.
    pub laptops: Vec<SharedLaptop>,
    /// When this laptop last synced (`None`: not yet).
    #[ts(type = "number | null")]
    pub synced_at: Option<Millis>,
}

/// A shared campaign's folder, as the sync reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedFolder {
    pub campaign: String,
    /// The campaign's first session's title.
    pub title: String,
    pub folder: String,
}

/// A laptop that shares a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharedLaptop {
    pub name: String,
    /// Whether it is this laptop.
    pub this_one: bool,
    /// When it last changed the campaign, as far as this laptop knows.
    #[ts(type = "number | null")]
    pub last_change: Option<Millis>,
}

/// This laptop's changes to a campaign that have not gone out yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// This laptop's peer id in the campaign.
    pub peer: u64,
    /// The changes' counters, from (included) to (excluded).
    pub from: i32,
    pub to: i32,
    /// The changes, as a Loro update.
    pub bytes: Vec<u8>,
}

/// What a write touched, for the campaign's document.
enum Staged {
    /// Rows a change touched, each with the image it had before the change (`None`: it
    /// was not there).
    Rows {
        session_id: String,
        actor: Actor,
        at: Millis,
        rows: Vec<(RowRef, Option<table::Image>)>,
    },
    Session {
        session_id: String,
        whole: bool,
    },
}

thread_local! {
    static STAGED: RefCell<Vec<Staged>> = const { RefCell::new(Vec::new()) };
}

/// Stages rows a write touched in the session, each with its image before the write, for
/// the campaign's document (if the campaign is shared): only the columns the write changed
/// are written into it.
pub(crate) fn stage(session_id: &str, actor: &Actor, at: Millis, rows: Vec<(RowRef, Option<table::Image>)>) {
    STAGED.with(|s| {
        s.borrow_mut().push(Staged::Rows { session_id: session_id.to_string(), actor: actor.clone(), at, rows })
    });
}

/// Stages the session's own row (`whole`: and every row in it), for writes that are not a
/// change of the session's rows (deleting, restoring, a follow-up made).
pub(crate) fn stage_session(session_id: &str, whole: bool) {
    STAGED.with(|s| s.borrow_mut().push(Staged::Session { session_id: session_id.to_string(), whole }));
}

pub(super) fn drop_staged() {
    STAGED.with(|s| s.borrow_mut().clear());
}

fn broken(detail: impl std::fmt::Display) -> Error {
    Error::internal(Said::new("error.internal.shared-document").text("detail", detail))
}

/// What undo or redo leaves of a row as another laptop set it.
pub(crate) enum Elsewhere {
    Nothing,
    /// This many fields.
    Fields(u32),
    /// The row itself: another laptop removed it.
    Removed,
}

/// A row to record into a document, with its image before the write when known (`None`:
/// record it whole).
type Recording = (RowRef, Option<Option<table::Image>>);

/// A campaign's document as loaded, and the newest kept update it holds.
struct Loaded {
    doc: LoroDoc,
    seen: i64,
    /// How many updates the database keeps of it (folded into one snapshot when many).
    kept: i64,
}

/// The documents of the shared campaigns, loaded when first needed. Used only under the
/// store's write lock.
#[derive(Default)]
pub(crate) struct Sharing {
    loaded: Mutex<HashMap<String, Loaded>>,
    /// Whether a document changed in a transaction not yet committed.
    unsettled: Mutex<bool>,
}

impl Sharing {
    /// Records what the transaction's write staged into the documents of the shared
    /// campaigns it touched, each update kept in the transaction.
    pub(super) fn record_staged(&self, tx: &Transaction<'_>) -> Result<()> {
        let staged = STAGED.with(|s| std::mem::take(&mut *s.borrow_mut()));
        if staged.is_empty() || !any_shared(tx)? {
            return Ok(());
        }
        *self.unsettled.lock().unwrap_or_else(|p| p.into_inner()) = true;
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        for staged in staged {
            // Each row with what it was before, when known (`None`: record it whole).
            let (session_id, actor, at, rows): (String, Option<Actor>, Option<Millis>, Vec<Recording>) = match staged {
                Staged::Rows { session_id, actor, at, rows } => (
                    session_id,
                    Some(actor),
                    Some(at),
                    rows.into_iter().map(|(row, before)| (row, Some(before))).collect(),
                ),
                Staged::Session { session_id, whole } => {
                    let rows = if whole { session_rows(tx, &session_id)? } else { Vec::new() };
                    (session_id, None, None, rows.into_iter().map(|row| (row, None)).collect())
                }
            };
            let Some(campaign) = shared_campaign_of(tx, &session_id)? else {
                continue;
            };
            let doc = load(&mut loaded, tx, &campaign)?;
            let before = doc.doc.oplog_vv();
            let session = RowRef::new(&super::session::TABLE, &[&session_id]);
            let mut appeared = Vec::new();
            for (row, before) in rows.iter().chain(std::iter::once(&(session, None))) {
                let Some(shared) = document::shared(row.table.name) else {
                    continue;
                };
                let image = table::read_without(tx, row, shared.local)?;
                let was_there = document::image(&doc.doc, shared, row).is_some_and(|(_, deleted)| !deleted);
                match (before, &image) {
                    (Some(Some(before)), Some(after)) if was_there => {
                        let changed = |column: &str| before.get(column) != after.get(column);
                        document::record_changed(&doc.doc, shared, row, Some(after), &changed)?;
                    }
                    _ => {
                        document::record(&doc.doc, shared, row, image.as_ref())?;
                    }
                }
                if image.is_some() && !was_there {
                    appeared.push(row.clone());
                }
            }
            commit(&doc.doc, actor.as_ref(), at);
            keep_update(tx, doc, &campaign, &before)?;
            // Rows this write brought back: what other laptops tied to them meanwhile follows.
            if !appeared.is_empty() {
                let by = actor.clone().unwrap_or(Actor::Facilitator);
                projection::follow_appeared(tx, &doc.doc, &appeared, &by, at.unwrap_or_else(crate::clock::now))?;
            }
        }
        Ok(())
    }

    /// The campaign of `session_id`, if it is shared.
    pub(super) fn campaign_of(&self, tx: &Transaction<'_>, session_id: &str) -> Result<Option<String>> {
        shared_campaign_of(tx, session_id)
    }

    /// Before undo or redo writes `image` over a row of a shared campaign: leaves each field
    /// another laptop has set since (where the row as it is now — or as the document keeps
    /// it, if it was removed — differs from what this laptop last knew, `expected`, or the
    /// image itself when the step made or removed the row) as it is now. A row another
    /// laptop removed since is left removed.
    pub(super) fn left_as_set_elsewhere(
        &self,
        tx: &Transaction<'_>,
        campaign: &str,
        row: &RowRef,
        image: Option<&mut table::Image>,
        expected: Option<&table::Image>,
    ) -> Result<Elsewhere> {
        let Some(shared) = document::shared(row.table.name) else {
            return Ok(Elsewhere::Nothing);
        };
        let current = match expected {
            Some(_) => match table::read(tx, row)? {
                Some(current) => Some(current),
                None => return Ok(Elsewhere::Removed),
            },
            None => {
                let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
                let doc = &load(&mut loaded, tx, campaign)?.doc;
                document::image(doc, shared, row).map(|(image, _)| image)
            }
        };
        let (Some(image), Some(current)) = (image, current) else {
            return Ok(Elsewhere::Nothing);
        };
        let baseline = expected.cloned().unwrap_or_else(|| image.clone());
        let mut kept = 0;
        for (column, value) in image.iter_mut() {
            if row.table.key.contains(&column.as_str()) || row.table.untracked.contains(&column.as_str()) {
                continue;
            }
            let (Some(now), Some(known)) = (current.get(column), baseline.get(column)) else {
                continue;
            };
            if now != known && value != now {
                *value = now.clone();
                kept += 1;
            }
        }
        Ok(if kept > 0 { Elsewhere::Fields(kept) } else { Elsewhere::Nothing })
    }

    /// After a transaction: a failed one may have left documents ahead of the database, so
    /// they are read again from it when next needed.
    pub(super) fn settle(&self, committed: bool) {
        let mut unsettled = self.unsettled.lock().unwrap_or_else(|p| p.into_inner());
        if *unsettled && !committed {
            self.loaded.lock().unwrap_or_else(|p| p.into_inner()).clear();
        }
        *unsettled = false;
    }
}

/// Commits the document's pending edits as one change, saying who made it and when.
fn commit(doc: &LoroDoc, actor: Option<&Actor>, at: Option<Millis>) {
    if let Some(actor) = actor {
        if let Ok(message) = serde_json::to_string(actor) {
            doc.set_next_commit_message(&message);
        }
    }
    if let Some(at) = at {
        doc.set_next_commit_timestamp(at.div_euclid(1000));
    }
    doc.commit();
}

/// Keeps, in the transaction, what the document gained since `before` (nothing if nothing).
fn keep_update(tx: &Transaction<'_>, loaded: &mut Loaded, campaign: &str, before: &loro::VersionVector) -> Result<()> {
    // Only this laptop's own operations are made under the write lock: its counter's span.
    let peer = loaded.doc.peer_id();
    let (from, to) = (before.get(&peer).copied().unwrap_or(0), loaded.doc.oplog_vv().get(&peer).copied().unwrap_or(0));
    if to <= from {
        return Ok(());
    }
    let bytes = loaded.doc.export(ExportMode::updates_in_range(vec![IdSpan::new(peer, from, to)])).map_err(broken)?;
    keep(tx, loaded, campaign, &bytes)
}

/// Keeps `bytes`, an update the document holds, in the transaction; folds the kept
/// updates into one snapshot when there are many.
fn keep(tx: &Transaction<'_>, loaded: &mut Loaded, campaign: &str, bytes: &[u8]) -> Result<()> {
    tx.prepare_cached("INSERT INTO shared_update (campaign, bytes) VALUES (?1, ?2)")?.execute((campaign, bytes))?;
    loaded.seen = tx.last_insert_rowid();
    loaded.kept += 1;
    if loaded.kept >= KEPT_UPDATES {
        fold_updates(tx, loaded, campaign)?;
    }
    Ok(())
}

/// Whether this database shares any campaign.
fn any_shared(tx: &Transaction<'_>) -> Result<bool> {
    Ok(tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM shared_campaign)")?.query_row([], |r| r.get(0))?)
}

/// The campaign of the session, if it is shared.
fn shared_campaign_of(tx: &Transaction<'_>, session_id: &str) -> Result<Option<String>> {
    Ok(tx
        .prepare_cached(
            "SELECT s.campaign FROM session s JOIN shared_campaign c ON c.campaign = s.campaign WHERE s.id = ?1",
        )?
        .query_row([session_id], |r| r.get(0))
        .optional()?)
}

/// Every shared row of the session (the session's own row is not among them).
fn session_rows(tx: &Transaction<'_>, session_id: &str) -> Result<Vec<RowRef>> {
    let mut rows = Vec::new();
    for shared in document::SHARED.iter().skip(1) {
        let keys = shared.table.key.join(", ");
        let columns = table::columns(tx, shared.table)?;
        let sql = if columns.iter().any(|c| c == "session_id") {
            format!("SELECT {keys} FROM {} WHERE session_id = ?1", shared.table.name)
        } else {
            // A card's place belongs to its grid's session.
            let parent = table::foreign_keys(tx, shared.table)?
                .into_iter()
                .find(|fk| fk.parent.name != "session")
                .ok_or_else(|| broken(shared.table.name))?;
            let (from, to) = &parent.columns[0];
            format!(
                "SELECT {keys} FROM {} WHERE {from} IN (SELECT {to} FROM {} WHERE session_id = ?1)",
                shared.table.name, parent.parent.name
            )
        };
        let mut statement = tx.prepare_cached(&sql)?;
        let mut found = statement.query([session_id])?;
        while let Some(row) = found.next()? {
            let mut key = table::Image::new();
            for (index, column) in shared.table.key.iter().enumerate() {
                key.insert(column.to_string(), table::from_sql(row.get_ref(index)?));
            }
            rows.push(RowRef { table: shared.table, key });
        }
    }
    Ok(rows)
}

/// The campaign's document, loaded if it is not, with every update kept since it was
/// loaded (another program on this laptop may have written some).
fn load<'a>(loaded: &'a mut HashMap<String, Loaded>, tx: &Transaction<'_>, campaign: &str) -> Result<&'a mut Loaded> {
    if !loaded.contains_key(campaign) {
        let peer: i64 = tx
            .prepare_cached("SELECT peer FROM shared_campaign WHERE campaign = ?1")?
            .query_row([campaign], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::not_found("error.sharing.not-shared"))?;
        let doc = LoroDoc::new();
        doc.set_record_timestamp(true);
        doc.set_peer_id(peer as u64).map_err(broken)?;
        let kept: i64 = tx
            .prepare_cached("SELECT count(*) FROM shared_update WHERE campaign = ?1")?
            .query_row([campaign], |r| r.get(0))?;
        loaded.insert(campaign.to_string(), Loaded { doc, seen: 0, kept });
    }
    let entry = loaded.get_mut(campaign).ok_or_else(|| broken(campaign))?;
    let mut statement =
        tx.prepare_cached("SELECT id, bytes FROM shared_update WHERE campaign = ?1 AND id > ?2 ORDER BY id")?;
    let mut newer = statement.query((campaign, entry.seen))?;
    let mut blobs = Vec::new();
    while let Some(row) = newer.next()? {
        entry.seen = row.get(0)?;
        blobs.push(row.get::<_, Vec<u8>>(1)?);
    }
    if !blobs.is_empty() {
        entry.doc.import_batch(&blobs).map_err(broken)?;
    }
    Ok(entry)
}

/// Folds the campaign's kept updates into one snapshot (and what still waits for earlier
/// changes).
fn fold_updates(tx: &Transaction<'_>, loaded: &mut Loaded, campaign: &str) -> Result<()> {
    let snapshot = loaded.doc.export(ExportMode::Snapshot).map_err(broken)?;
    let pending = loaded.doc.export_pending_updates().map_err(broken)?;
    tx.prepare_cached("DELETE FROM shared_update WHERE campaign = ?1")?.execute([campaign])?;
    loaded.kept = 0;
    for bytes in std::iter::once(snapshot).chain(pending) {
        tx.prepare_cached("INSERT INTO shared_update (campaign, bytes) VALUES (?1, ?2)")?
            .execute((campaign, &bytes))?;
        loaded.kept += 1;
    }
    loaded.seen = tx.last_insert_rowid();
    Ok(())
}

/// A new peer id for this laptop in a campaign: random, below Loro's reserved largest.
fn new_peer() -> u64 {
    let (high, _) = uuid::Uuid::new_v4().as_u64_pair();
    high >> 1
}

/// Which file the database at `path` is, as the file system tells it: its device and inode
/// (a copy is another file; the file moved or renamed on its disk is the same one), or
/// elsewhere its full path.
fn file_identity(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let metadata = std::fs::metadata(path).ok()?;
        Some(format!("{}:{}", metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        path.canonicalize().ok().map(|p| p.to_string_lossy().into_owned())
    }
}

/// The name this computer goes by, for the others sharing a campaign.
pub fn this_computer() -> String {
    let read = std::fs::read_to_string("/etc/hostname").ok().or_else(|| std::env::var("COMPUTERNAME").ok());
    read.map(|name| name.trim().to_string()).filter(|name| !name.is_empty()).unwrap_or_else(|| "Laptop".to_string())
}

impl Store {
    /// Which file this database is ([`file_identity`]); `None` in memory.
    fn home(&self) -> Option<String> {
        self.path().and_then(file_identity)
    }

    /// Gives a copied database file Loro peers of its own. A file copied — to another
    /// laptop instead of joining, beside itself, or restored from a backup — would make its
    /// shared campaigns' changes under the peer of the file it was copied from, and the two
    /// would drop each other's changes as already known when they meet. So a file that is not
    /// the one its campaigns were last written in takes a new peer for each (named as this
    /// laptop was): what it makes from then on is its own. The file opened where it always
    /// was writes nothing.
    pub(super) fn take_own_peers(&self) -> Result<()> {
        let Some(home) = self.home() else { return Ok(()) };
        let elsewhere: bool = self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM shared_campaign WHERE home IS NOT ?1)")?
                .query_row([&home], |r| r.get(0))?)
        })?;
        if !elsewhere {
            return Ok(());
        }
        self.write(|tx| {
            let campaigns: Vec<(String, Option<String>, String)> = tx
                .prepare("SELECT campaign, home, laptop FROM shared_campaign ORDER BY campaign")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            for (campaign, was, laptop) in campaigns {
                match was {
                    Some(was) if was == home => {}
                    // Written before files were told apart: this is its file.
                    None => {
                        tx.execute("UPDATE shared_campaign SET home = ?2 WHERE campaign = ?1", (&campaign, &home))?;
                    }
                    Some(_) => {
                        tx.execute(
                            "UPDATE shared_campaign SET peer = ?2, sent = 0, home = ?3 WHERE campaign = ?1",
                            rusqlite::params![campaign, new_peer() as i64, home],
                        )?;
                        *self.sharing.unsettled.lock().unwrap_or_else(|p| p.into_inner()) = true;
                        loaded.remove(&campaign);
                        let doc = load(&mut loaded, tx, &campaign)?;
                        let before = doc.doc.oplog_vv();
                        document::name_laptop(&doc.doc, &laptop)?;
                        commit(&doc.doc, None, None);
                        keep_update(tx, doc, &campaign, &before)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Shares the campaign of `session_id`: from now on every change to its sessions is also
    /// a change of the campaign's document, which other laptops merge. `laptop` is how this
    /// laptop is named to them; `key` is the campaign's key as text (made by the caller);
    /// `folder` the shared folder changes travel through, if any. Sharing a campaign that is
    /// shared already changes its folder (and its key, when one is given).
    ///
    /// Errors: not found for a session that is not there; invalid for an empty name.
    pub fn share_campaign(
        &self,
        session_id: &str,
        laptop: &str,
        key: &str,
        folder: Option<&str>,
        now: Millis,
    ) -> Result<SharedCampaign> {
        let laptop = crate::model::text::name("word.laptop", laptop)?;
        let campaign = self.write(|tx| {
            let session = super::session::get(tx, session_id)?;
            let campaign = session.campaign;
            let already: Option<i64> = tx
                .prepare_cached("SELECT peer FROM shared_campaign WHERE campaign = ?1")?
                .query_row([&campaign], |r| r.get(0))
                .optional()?;
            if already.is_some() {
                tx.execute(
                    "UPDATE shared_campaign SET folder = coalesce(?2, folder), key = ?3, laptop = ?4 WHERE campaign = ?1",
                    rusqlite::params![campaign, folder, key, laptop],
                )?;
                return Ok(campaign);
            }
            tx.execute(
                "INSERT INTO shared_campaign (campaign, peer, laptop, key, folder, shared_at, home)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![campaign, new_peer() as i64, laptop, key, folder, now, self.home()],
            )?;
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            *self.sharing.unsettled.lock().unwrap_or_else(|p| p.into_inner()) = true;
            let doc = load(&mut loaded, tx, &campaign)?;
            let before = doc.doc.oplog_vv();
            document::name_laptop(&doc.doc, &laptop)?;
            // Every session of the campaign, deleted ones too (a deletion is shared as well).
            let sessions: Vec<String> = tx
                .prepare("SELECT id FROM session WHERE campaign = ?1 ORDER BY created_at, id")?
                .query_map([&campaign], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for session_id in &sessions {
                let session = RowRef::new(&super::session::TABLE, &[session_id]);
                for row in std::iter::once(session).chain(session_rows(tx, session_id)?) {
                    if let Some(shared) = document::shared(row.table.name) {
                        let image = table::read_without(tx, &row, shared.local)?;
                        document::record(&doc.doc, shared, &row, image.as_ref())?;
                    }
                }
            }
            commit(&doc.doc, None, Some(now));
            keep_update(tx, doc, &campaign, &before)?;
            // The list marks shared campaigns.
            super::publisher::stage_sessions();
            Ok(campaign)
        })?;
        self.shared_campaign(&campaign)
    }

    /// Brings the campaign `campaign` onto this laptop: its changes arrive as they are
    /// taken in ([`Store::take_in_changes`]). Joining a campaign this laptop shares already
    /// changes its key and folder.
    pub fn join_shared_campaign(
        &self,
        campaign: &str,
        laptop: &str,
        key: &str,
        folder: Option<&str>,
        now: Millis,
    ) -> Result<()> {
        let laptop = crate::model::text::name("word.laptop", laptop)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO shared_campaign (campaign, peer, laptop, key, folder, shared_at, home)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (campaign) DO UPDATE SET key = excluded.key, folder = coalesce(excluded.folder, folder)",
                rusqlite::params![campaign, new_peer() as i64, laptop, key, folder, now, self.home()],
            )?;
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            *self.sharing.unsettled.lock().unwrap_or_else(|p| p.into_inner()) = true;
            let doc = load(&mut loaded, tx, campaign)?;
            let before = doc.doc.oplog_vv();
            document::name_laptop(&doc.doc, &laptop)?;
            commit(&doc.doc, None, Some(now));
            super::publisher::stage_sessions();
            keep_update(tx, doc, campaign, &before)
        })
    }

    /// The campaigns this laptop shares, the most recently shared first.
    pub fn shared_campaigns(&self) -> Result<Vec<SharedCampaign>> {
        let ids: Vec<String> = self.read(|tx| {
            Ok(tx
                .prepare("SELECT campaign FROM shared_campaign ORDER BY shared_at DESC, campaign")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?)
        })?;
        ids.iter().map(|id| self.shared_campaign(id)).collect()
    }

    /// The shared campaign `campaign`.
    ///
    /// Errors: not found if this laptop does not share it.
    pub fn shared_campaign(&self, campaign: &str) -> Result<SharedCampaign> {
        self.write(|tx| {
            let (key, folder, laptop, synced_at): (String, Option<String>, String, Option<Millis>) = tx
                .prepare_cached("SELECT key, folder, laptop, synced_at FROM shared_campaign WHERE campaign = ?1")?
                .query_row([campaign], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?
                .ok_or_else(|| Error::not_found("error.sharing.not-shared"))?;
            let sessions = super::campaign::sessions_of(tx, campaign)?;
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            let doc = &load(&mut loaded, tx, campaign)?.doc;
            let me = doc.peer_id();
            let vv = doc.oplog_vv();
            let mut laptops: Vec<SharedLaptop> = document::laptops(doc)
                .into_iter()
                .map(|(peer, name)| {
                    let last_change = vv
                        .get(&peer)
                        .filter(|end| **end > 0)
                        .and_then(|end| doc.get_change(loro::ID::new(peer, end - 1)))
                        .map(|change| change.timestamp * 1000);
                    SharedLaptop { name, this_one: peer == me, last_change }
                })
                .collect();
            // One laptop under two peers (its file was copied, or restored) is listed once.
            laptops.sort_by(|a, b| a.name.cmp(&b.name).then(b.this_one.cmp(&a.this_one)));
            laptops.dedup_by(|later, kept| {
                let same = later.name == kept.name;
                if same {
                    kept.this_one |= later.this_one;
                    kept.last_change = kept.last_change.max(later.last_change);
                }
                same
            });
            laptops.sort_by(|a, b| b.this_one.cmp(&a.this_one).then(a.name.cmp(&b.name)));
            Ok(SharedCampaign {
                campaign: campaign.to_string(),
                title: sessions.first().map(|(_, title)| title.clone()).unwrap_or_default(),
                key,
                folder,
                laptop,
                sessions: sessions.into_iter().map(|(id, _)| id).collect(),
                laptops,
                synced_at,
            })
        })
    }

    /// The shared campaigns that have a folder (a read, cheap enough to do every second).
    pub fn shared_folders(&self) -> Result<Vec<SharedFolder>> {
        self.read(|tx| {
            let mut statement = tx.prepare_cached(
                "SELECT c.campaign, coalesce((SELECT s.title FROM session s WHERE s.campaign = c.campaign
                                              ORDER BY s.created_at, s.id LIMIT 1), ''), c.folder
                 FROM shared_campaign c WHERE c.folder IS NOT NULL ORDER BY c.shared_at DESC, c.campaign",
            )?;
            let rows = statement
                .query_map([], |r| Ok(SharedFolder { campaign: r.get(0)?, title: r.get(1)?, folder: r.get(2)? }))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The campaign's key, as text.
    ///
    /// Errors: not found if this laptop does not share it.
    pub fn shared_key(&self, campaign: &str) -> Result<String> {
        self.read(|tx| {
            tx.prepare_cached("SELECT key FROM shared_campaign WHERE campaign = ?1")?
                .query_row([campaign], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::not_found("error.sharing.not-shared"))
        })
    }

    /// The campaign `session_id` belongs to, if this laptop shares it.
    pub fn shared_campaign_of(&self, session_id: &str) -> Result<Option<String>> {
        self.read(|tx| shared_campaign_of(tx, session_id))
    }

    /// This laptop's changes to the campaign that have not gone out yet ([`Store::mark_sent`]
    /// says they have), or `None`.
    pub fn unsent_changes(&self, campaign: &str) -> Result<Option<Outgoing>> {
        self.write(|tx| {
            let sent: i32 = tx
                .prepare_cached("SELECT sent FROM shared_campaign WHERE campaign = ?1")?
                .query_row([campaign], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::not_found("error.sharing.not-shared"))?;
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            let doc = &load(&mut loaded, tx, campaign)?.doc;
            let peer = doc.peer_id();
            let end = doc.oplog_vv().get(&peer).copied().unwrap_or(0);
            if end <= sent {
                return Ok(None);
            }
            let bytes = doc.export(ExportMode::updates_in_range(vec![IdSpan::new(peer, sent, end)])).map_err(broken)?;
            Ok(Some(Outgoing { peer, from: sent, to: end, bytes }))
        })
    }

    /// Every change of the campaign this laptop holds, from every laptop (for a laptop that
    /// lost its own, or one nearby that lacks them), as one Loro update.
    pub fn all_changes(&self, campaign: &str) -> Result<Vec<u8>> {
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            let doc = &load(&mut loaded, tx, campaign)?.doc;
            doc.export(ExportMode::all_updates()).map_err(broken)
        })
    }

    /// Which changes of the campaign this laptop holds (a version vector, encoded): what a
    /// laptop nearby tells this one so that it is sent only what it lacks.
    pub fn shared_version(&self, campaign: &str) -> Result<Vec<u8>> {
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            Ok(load(&mut loaded, tx, campaign)?.doc.oplog_vv().encode())
        })
    }

    /// The changes of the campaign this laptop holds that a laptop holding `version` (see
    /// [`Store::shared_version`]) lacks, as one Loro update.
    ///
    /// Errors: [`Error::BadImport`] for a version that is not one.
    pub fn changes_missing_from(&self, campaign: &str, version: &[u8]) -> Result<Vec<u8>> {
        let version = loro::VersionVector::decode(version)
            .map_err(|e| Error::bad_import(Said::new("error.sharing.damaged").text("detail", e)))?;
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            load(&mut loaded, tx, campaign)?.doc.export(ExportMode::updates(&version)).map_err(broken)
        })
    }

    /// This laptop's peer id in the campaign, and how many operations it has made (the
    /// counter its next file would end at).
    pub fn own_position(&self, campaign: &str) -> Result<(u64, i32)> {
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            let doc = &load(&mut loaded, tx, campaign)?.doc;
            let peer = doc.peer_id();
            Ok((peer, doc.oplog_vv().get(&peer).copied().unwrap_or(0)))
        })
    }

    /// Changes the campaign's key on this laptop: what it writes from now on is sealed with
    /// `key` (its own earlier files are the caller's to write again).
    ///
    /// Errors: not found for a campaign this laptop does not share.
    pub fn change_shared_key(&self, campaign: &str, key: &str) -> Result<()> {
        self.write(|tx| {
            if tx.execute("UPDATE shared_campaign SET key = ?2 WHERE campaign = ?1", (campaign, key))? == 0 {
                return Err(Error::not_found("error.sharing.not-shared"));
            }
            Ok(())
        })
    }

    /// Records that this laptop's changes up to counter `to` went out, at `now`.
    pub fn mark_sent(&self, campaign: &str, to: i32, now: Millis) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE shared_campaign SET sent = max(sent, ?2), synced_at = ?3 WHERE campaign = ?1",
                rusqlite::params![campaign, to, now],
            )?;
            Ok(())
        })
    }

    /// Records that the campaign synced at `now` (even with nothing to send).
    pub fn mark_synced(&self, campaign: &str, now: Millis) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE shared_campaign SET synced_at = ?2 WHERE campaign = ?1", (campaign, now))?;
            Ok(())
        })
    }

    /// Whether the shared folder's file `name` (of `size` bytes, modified at `modified`) was
    /// read already, as it is now.
    pub fn shared_file_read(&self, campaign: &str, name: &str, size: u64, modified: i64) -> Result<bool> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM shared_file WHERE campaign = ?1 AND name = ?2 AND size = ?3 AND modified = ?4)",
                )?
                .query_row(rusqlite::params![campaign, name, size as i64, modified], |r| r.get(0))?)
        })
    }

    /// Records that the shared folder's file `name` was read as it is now.
    pub fn mark_shared_file_read(&self, campaign: &str, name: &str, size: u64, modified: i64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO shared_file (campaign, name, size, modified) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (campaign, name) DO UPDATE SET size = excluded.size, modified = excluded.modified",
                rusqlite::params![campaign, name, size as i64, modified],
            )?;
            Ok(())
        })
    }

    /// Takes in another laptop's changes to the campaign (a Loro update): merged into the
    /// campaign's document, the rows they change written, and every view told, as for any
    /// change. Taking the same changes in twice changes nothing.
    ///
    /// Errors: [`Error::BadImport`] for bytes that are not changes of a campaign; not found
    /// for a campaign this laptop does not share.
    pub fn take_in_changes(&self, campaign: &str, bytes: &[u8], now: Millis) -> Result<TakenIn> {
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            *self.sharing.unsettled.lock().unwrap_or_else(|p| p.into_inner()) = true;
            let doc = load(&mut loaded, tx, campaign)?;
            let (taken, doubles) = projection::take_in(tx, &doc.doc, bytes, now)?;
            double::keep(tx, campaign, &doubles, now)?;
            if taken.changed || taken.waiting {
                keep(tx, doc, campaign, bytes)?;
            }
            Ok(taken)
        })
    }

    /// The rows the campaign's document says there should be, table by table, next to the
    /// rows there are: for tests that the projection holds.
    #[doc(hidden)]
    pub fn shared_projection_check(&self, campaign: &str) -> Result<Vec<String>> {
        self.write(|tx| {
            let mut loaded = self.sharing.loaded.lock().unwrap_or_else(|p| p.into_inner());
            let doc = &load(&mut loaded, tx, campaign)?.doc;
            projection::differences(tx, doc, campaign)
        })
    }

    /// The size in bytes of what this database keeps of the campaign's document.
    pub fn shared_document_size(&self, campaign: &str) -> Result<i64> {
        self.read(|tx| {
            Ok(tx
                .prepare_cached("SELECT coalesce(sum(length(bytes)), 0) FROM shared_update WHERE campaign = ?1")?
                .query_row([campaign], |r| r.get(0))?)
        })
    }
}

/// Groups rows by the session they belong to.
pub(crate) type BySession = BTreeMap<String, Vec<(RowRef, bool)>>;
