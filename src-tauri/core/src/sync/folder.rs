//! A shared campaign carried through a folder the coalition already syncs (Syncthing,
//! Nextcloud, a network drive, a USB stick).
//!
//! - Each laptop writes only files of its own, each whole or not at all (a temporary name,
//!   then a rename), so the folder's own sync never sees two writers on one file:
//!   `powermap-<laptop>-<n>.pmsync`, this laptop's changes up to its `n`th (a Loro update,
//!   deflated — a quarter of its size — then sealed with the campaign's key). A file is
//!   never written twice.
//! - It reads everyone's files (its own too: a database restored from a backup gets back
//!   what it had sent). Reading a file twice changes nothing; a file read already, and
//!   unchanged, is not read again.
//! - A damaged, cut-short, tampered, other-key or "conflicted copy" file is reported and
//!   skipped, never fatal, and nothing of it is taken in.

use std::path::{Path, PathBuf};

use super::key::{self, CampaignKey, Unopened};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::Millis;
use crate::store::Store;

/// A file of the folder that was not taken in, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: SkipReason,
}

/// Why a file was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Not a sealed file, or cut short.
    Damaged,
    /// Sealed with another key: one that has changed since, or a stranger's.
    OtherKey,
    /// Changed after it was sealed.
    Tampered,
    /// A copy the folder's sync made of a file two devices changed at once (Syncthing's
    /// `.sync-conflict-`, Nextcloud's and Dropbox's "conflicted copy"), or another name
    /// that is not one Powermap writes.
    ConflictedCopy,
    /// Opened, but its contents are not changes of a campaign.
    NotChanges,
}

impl SkipReason {
    /// The reason's message key.
    pub fn key(self) -> &'static str {
        match self {
            SkipReason::Damaged => "sync.skipped.damaged",
            SkipReason::OtherKey => "sync.skipped.other-key",
            SkipReason::Tampered => "sync.skipped.tampered",
            SkipReason::ConflictedCopy => "sync.skipped.conflicted-copy",
            SkipReason::NotChanges => "sync.skipped.not-changes",
        }
    }
}

/// What one sync of a campaign with its folder did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FolderSync {
    /// Files read and taken in.
    pub files_in: usize,
    /// Rows written or removed by what came in.
    pub rows_in: usize,
    /// The laptops whose changes came in.
    pub laptops_in: Vec<String>,
    /// Changes of this laptop written out (Loro operations), and the file they went to.
    pub changes_out: usize,
    pub file_out: Option<String>,
    /// Files not taken in.
    pub skipped: Vec<Skipped>,
    /// Whether some changes wait for earlier ones still on their way.
    pub waiting: bool,
}

/// The most a file's changes may inflate to (a file that claims more is damaged).
const MOST_INFLATED: usize = 256 * 1024 * 1024;

/// The name of a laptop's file holding its changes up to `to`.
fn file_name(peer: u64, to: i32) -> String {
    format!("powermap-{peer:016x}-{to:010}.pmsync")
}

/// What a name in the folder is.
enum Named {
    /// One of the files Powermap writes.
    Ours,
    /// Looks like one of ours, altered by the folder's sync or by hand.
    Altered,
    /// Not Powermap's (a README, `.stfolder`, a temporary file being written).
    Other,
}

fn judge_name(name: &str) -> Named {
    if name.starts_with('.') || !name.starts_with("powermap-") {
        return Named::Other;
    }
    let Some(middle) = name.strip_prefix("powermap-").and_then(|rest| rest.strip_suffix(".pmsync")) else {
        return if name.contains(".pmsync") { Named::Altered } else { Named::Other };
    };
    match middle.split_once('-') {
        Some((peer, to))
            if peer.len() == 16
                && peer.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                && to.len() == 10
                && to.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Named::Ours
        }
        _ => Named::Altered,
    }
}

fn modified_millis(metadata: &std::fs::Metadata) -> i64 {
    metadata
        .modified()
        .ok()
        .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Syncs the shared campaign `campaign` with `folder`: takes in every file of the folder
/// not read yet, then writes this laptop's new changes as one new file.
///
/// Errors: not found for a campaign this laptop does not share; an I/O error if the folder
/// cannot be read or written. A file that cannot be taken in is no error: it is in
/// [`FolderSync::skipped`].
pub fn sync(store: &Store, campaign: &str, folder: &Path, now: Millis) -> Result<FolderSync> {
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    let mut report = FolderSync::default();
    let entries = std::fs::read_dir(folder)
        .map_err(|e| Error::io(Said::new("error.io.read").text("path", folder.display()), e))?;
    let mut names: Vec<(String, PathBuf, std::fs::Metadata)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(metadata) = entry.metadata() else { continue };
        if !metadata.is_file() {
            continue;
        }
        names.push((entry.file_name().to_string_lossy().into_owned(), entry.path(), metadata));
    }
    // In name order: a laptop's files in the order it wrote them.
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, path, metadata) in names {
        match judge_name(&name) {
            Named::Other => continue,
            Named::Altered => {
                report.skipped.push(Skipped { file: name, reason: SkipReason::ConflictedCopy });
                continue;
            }
            Named::Ours => {}
        }
        let (size, modified) = (metadata.len(), modified_millis(&metadata));
        if store.shared_file_read(campaign, &name, size, modified)? {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            // Gone between the listing and the read (the folder's sync replacing it).
            continue;
        };
        let header = match key::read_header(&bytes) {
            Ok(header) => header,
            Err(_) => {
                report.skipped.push(Skipped { file: name, reason: SkipReason::Damaged });
                continue;
            }
        };
        if header.campaign != campaign {
            // Another campaign shared through the same folder: not this one's, and no fault.
            store.mark_shared_file_read(campaign, &name, size, modified)?;
            continue;
        }
        let changes = match key::open(&key, &header) {
            Ok(deflated) => match miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MOST_INFLATED) {
                Ok(changes) => changes,
                Err(_) => {
                    report.skipped.push(Skipped { file: name, reason: SkipReason::NotChanges });
                    continue;
                }
            },
            Err(why) => {
                let reason = match why {
                    Unopened::Damaged => SkipReason::Damaged,
                    Unopened::OtherKey => SkipReason::OtherKey,
                    Unopened::Tampered => SkipReason::Tampered,
                };
                report.skipped.push(Skipped { file: name, reason });
                continue;
            }
        };
        match store.take_in_changes(campaign, &changes, now) {
            Ok(taken) => {
                report.files_in += 1;
                report.rows_in += taken.rows;
                report.waiting |= taken.waiting;
                for laptop in taken.laptops {
                    if !report.laptops_in.contains(&laptop) {
                        report.laptops_in.push(laptop);
                    }
                }
                store.mark_shared_file_read(campaign, &name, size, modified)?;
            }
            Err(error) if error.code() == crate::ErrorCode::BadImport => {
                report.skipped.push(Skipped { file: name, reason: SkipReason::NotChanges });
            }
            Err(error) => return Err(error),
        }
    }
    if let Some(outgoing) = store.unsent_changes(campaign)? {
        let name = file_name(outgoing.peer, outgoing.to);
        let sealed = key.seal(campaign, &deflate(&outgoing.bytes))?;
        let path = folder.join(&name);
        crate::files::write_atomically(&path, &sealed)?;
        // Its own file is read already: it holds nothing this laptop lacks.
        if let Ok(metadata) = std::fs::metadata(&path) {
            store.mark_shared_file_read(campaign, &name, metadata.len(), modified_millis(&metadata))?;
        }
        store.mark_sent(campaign, outgoing.to, now)?;
        report.changes_out = usize::try_from(outgoing.to - outgoing.from).unwrap_or(0);
        report.file_out = Some(name);
    } else if report.files_in > 0 {
        store.mark_synced(campaign, now)?;
    }
    Ok(report)
}

/// Writes everything this laptop holds of the campaign — every laptop's changes — as one
/// file of its own sealed with the key it has now, and removes its own earlier files: after
/// the key changed (a laptop removed), or when this laptop joins again with a new key. A
/// laptop that joins later with the new key finds the whole campaign in it.
pub fn write_everything(store: &Store, campaign: &str, folder: &Path, now: Millis) -> Result<String> {
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    let (peer, end) = store.own_position(campaign)?;
    let everything = store.all_changes(campaign)?;
    let name = file_name(peer, end);
    let path = folder.join(&name);
    crate::files::write_atomically(&path, &key.seal(campaign, &deflate(&everything))?)?;
    if let Ok(metadata) = std::fs::metadata(&path) {
        store.mark_shared_file_read(campaign, &name, metadata.len(), modified_millis(&metadata))?;
    }
    store.mark_sent(campaign, end, now)?;
    // This laptop's earlier files: what they held is in the new one.
    let own = format!("powermap-{peer:016x}-");
    if let Ok(entries) = std::fs::read_dir(folder) {
        for entry in entries.flatten() {
            let other = entry.file_name().to_string_lossy().into_owned();
            if other != name && other.starts_with(&own) && matches!(judge_name(&other), Named::Ours) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(name)
}

/// Changes as a file holds them before sealing: deflated.
pub fn deflate(changes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(changes, 6)
}

/// The campaigns whose files are in `folder` and open with `key`: what joining with that
/// key brings (one, usually).
pub fn campaigns_in(folder: &Path, key: &CampaignKey) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(folder)
        .map_err(|e| Error::io(Said::new("error.io.read").text("path", folder.display()), e))?;
    let mut found: Vec<String> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !matches!(judge_name(&name), Named::Ours) {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else { continue };
        if let Ok(header) = key::read_header(&bytes) {
            if header.key_id == key.id() && key::open(key, &header).is_ok() && !found.contains(&header.campaign) {
                found.push(header.campaign);
            }
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_judged_as_the_folder_s_sync_leaves_them() {
        let ours = file_name(0x1234_5678_9abc_def0, 42);
        assert_eq!(ours, "powermap-123456789abcdef0-0000000042.pmsync");
        assert!(matches!(judge_name(&ours), Named::Ours));
        for altered in [
            "powermap-123456789abcdef0-0000000042.sync-conflict-20261207-101010-ABCDEFG.pmsync",
            "powermap-123456789abcdef0-0000000042 (conflicted copy 2026-12-07).pmsync",
            "powermap-123456789abcdef0-0000000042 (Amina's conflicted copy).pmsync",
            "powermap-123456789abcdef0-0000000042-1.pmsync",
            "powermap-123456789ABCDEF0-0000000042.pmsync",
            "powermap-123456789abcdef0-0000000042.pmsync.sync-conflict-20261207-101010-ABCDEFG",
        ] {
            assert!(matches!(judge_name(altered), Named::Altered), "{altered}");
        }
        for other in
            [".stfolder", "README.txt", ".powermap-abc.partial", ".syncthing.powermap-x.pmsync.tmp", "desktop.ini"]
        {
            assert!(matches!(judge_name(other), Named::Other), "{other}");
        }
    }
}
