//! Carrying a shared campaign's changes between laptops: its key ([`key`]), the shared
//! folder ([`folder`]) and a laptop nearby ([`nearby`]). Above the store: what the store
//! keeps of a shared campaign (its document, what went out, which files were read) is in
//! `store::sharing`.

pub mod folder;
pub mod key;
pub mod nearby;

use std::path::Path;

pub use folder::{FolderSync, SkipReason, Skipped};
pub use key::CampaignKey;

use crate::error::{Error, Result};
use crate::model::Millis;
use crate::store::{SharedCampaign, SharedFolder, Store};

/// Shares the campaign of `session_id` through `folder`, under a new key (or the key it
/// has, if it is shared already), and writes its first file there. `laptop` names this
/// laptop to the others.
///
/// Errors: not found for a session that is not there; an I/O error for a folder that
/// cannot be written.
pub fn share(store: &Store, session_id: &str, folder: &Path, laptop: &str, now: Millis) -> Result<SharedCampaign> {
    std::fs::create_dir_all(folder)
        .map_err(|e| Error::io(crate::i18n::Said::new("error.io.create-folder").text("path", folder.display()), e))?;
    let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
    let key = match store.shared_campaign_of(session_id)? {
        Some(campaign) => store.shared_campaign(&campaign)?.key,
        None => CampaignKey::generate().to_text(),
    };
    let shared = store.share_campaign(session_id, laptop, &key, Some(&folder.to_string_lossy()), now)?;
    folder::sync(store, &shared.campaign, &folder, now)?;
    store.shared_campaign(&shared.campaign)
}

/// Changes the key of the campaign of `session_id` (to take a laptop out: what is written
/// from now on, it cannot read), and writes everything this laptop holds under the new key.
/// The others join again with the new key. Returns the campaign with its new key.
///
/// Errors: not found for a session whose campaign this laptop does not share, or shares
/// without a folder.
pub fn new_key(store: &Store, session_id: &str, now: Millis) -> Result<SharedCampaign> {
    let campaign = store.shared_campaign_of(session_id)?.ok_or_else(|| Error::not_found("error.sharing.not-shared"))?;
    let folder =
        store.shared_campaign(&campaign)?.folder.ok_or_else(|| Error::not_found("error.sharing.not-shared"))?;
    store.change_shared_key(&campaign, &CampaignKey::generate().to_text())?;
    folder::write_everything(store, &campaign, Path::new(&folder), now)?;
    store.shared_campaign(&campaign)
}

/// Joins the campaign whose files are in `folder` and open with `key`, and takes them in.
/// Returns the campaigns joined (one, usually).
///
/// Errors: invalid for a key that is not one, or mistyped; not found when no file in the
/// folder opens with the key.
pub fn join(store: &Store, folder: &Path, key: &str, laptop: &str, now: Millis) -> Result<Vec<SharedCampaign>> {
    let key = CampaignKey::from_text(key)?;
    let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
    let campaigns = folder::campaigns_in(&folder, &key)?;
    if campaigns.is_empty() {
        return Err(Error::not_found("error.sharing.nothing-to-join"));
    }
    let mut joined = Vec::new();
    for campaign in campaigns {
        let rejoining = store.shared_campaigns()?.into_iter().find(|c| c.campaign == campaign);
        store.join_shared_campaign(&campaign, laptop, &key.to_text(), Some(&folder.to_string_lossy()), now)?;
        folder::sync(store, &campaign, &folder, now)?;
        // Joining again with a changed key: this laptop's own changes are written anew under it.
        if rejoining.is_some_and(|before| before.key != key.to_text()) {
            folder::write_everything(store, &campaign, &folder, now)?;
        }
        joined.push(store.shared_campaign(&campaign)?);
    }
    Ok(joined)
}

/// Syncs every shared campaign that has a folder. Each campaign's result stands alone: a
/// folder that cannot be reached fails its campaign, not the others.
pub fn sync_all(store: &Store, now: Millis) -> Result<Vec<(SharedFolder, Result<FolderSync>)>> {
    let mut results = Vec::new();
    for shared in store.shared_folders()? {
        let result = folder::sync(store, &shared.campaign, Path::new(&shared.folder), now);
        results.push((shared, result));
    }
    Ok(results)
}
