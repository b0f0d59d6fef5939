//! Commands on shared campaigns: sharing one through a folder, joining one with its key,
//! what is shared, syncing now, and syncing with a laptop nearby over its room. The window
//! syncs with the folder by itself too ([`crate::sharing`]).

use std::path::Path;

use powermap_core::clock::now;
use powermap_core::i18n::{message, Lang};
use powermap_core::store::{SharedCampaign, SharedFolder};
use powermap_core::sync::FolderSync;
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use super::files;
use crate::error::{Arg, CommandResult};
use crate::AppState;

/// A shared campaign as the *Share this campaign* dialog shows it: with its key as a QR code.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SharingView {
    pub shared: SharedCampaign,
    /// The key as a QR code's modules, row by row (`true` dark), for a phone or a laptop's
    /// camera to read.
    pub key_qr: Vec<Vec<bool>>,
}

/// What one sync of a shared campaign did, in the window's words.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncReport {
    pub campaign: String,
    pub title: String,
    /// Files taken in, and rows they changed.
    pub files_in: u32,
    pub rows_in: u32,
    pub laptops_in: Vec<String>,
    /// This laptop's changes written out.
    pub changes_out: u32,
    /// Files skipped, each with why, in words.
    pub skipped: Vec<String>,
    /// Why the folder could not be synced at all, if it could not.
    pub failed: Option<String>,
    /// Whether the folder synced again after it could not be.
    pub recovered: bool,
    pub waiting: bool,
}

impl SyncReport {
    pub fn new(shared: &SharedFolder, result: &powermap_core::Result<FolderSync>, lang: Lang) -> SyncReport {
        let mut report = SyncReport {
            campaign: shared.campaign.clone(),
            title: shared.title.clone(),
            files_in: 0,
            rows_in: 0,
            laptops_in: Vec::new(),
            changes_out: 0,
            skipped: Vec::new(),
            failed: None,
            recovered: false,
            waiting: false,
        };
        match result {
            Ok(sync) => {
                report.files_in = sync.files_in as u32;
                report.rows_in = sync.rows_in as u32;
                report.laptops_in = sync.laptops_in.clone();
                report.changes_out = sync.changes_out as u32;
                report.waiting = sync.waiting;
                report.skipped = sync
                    .skipped
                    .iter()
                    .map(|s| format!("{}: {}", s.file, message(lang, s.reason.key(), &[])))
                    .collect();
            }
            Err(error) => report.failed = Some(error.message_in(lang)),
        }
        report
    }

    /// Whether anything happened worth telling the window.
    pub fn eventful(&self) -> bool {
        self.files_in > 0 || self.changes_out > 0 || !self.skipped.is_empty() || self.failed.is_some() || self.recovered
    }
}

fn view(shared: SharedCampaign) -> SharingView {
    let key_qr = powermap_room::qr_modules(&shared.key);
    SharingView { shared, key_qr }
}

/// Confirms the folder with the person unless they chose it in the native dialog: sharing
/// writes there and reads what others wrote.
fn may_share_through<R: Runtime>(
    app: &AppHandle<R>,
    state: &AppState,
    folder: &Path,
) -> Result<(), crate::error::IpcError> {
    if state.chosen.get(folder).is_some() {
        return Ok(());
    }
    if !files::ask(app, ("share-title", "share-yes"), "share-question", &[("path", folder.display().to_string())]) {
        return Err(powermap_core::Error::Conflict("error.file.not-shared".into()).into());
    }
    state.chosen.remember(folder, true);
    Ok(())
}

/// This laptop's name: the one given, or the computer's.
fn laptop_name(given: Option<String>) -> String {
    given.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).unwrap_or_else(powermap_core::store::this_computer)
}

/// Shares the campaign of `session_id` through `folder` (made if missing), naming this
/// laptop `laptop` (the computer's name if empty).
#[tauri::command(async)]
pub fn share_campaign<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session_id: Arg<String>,
    folder: Arg<String>,
    laptop: Arg<Option<String>>,
) -> CommandResult<SharingView> {
    let (session_id, laptop) = (session_id.get()?, laptop_name(laptop.get()?));
    let folder = files::given_path(&folder.get()?, "error.file.choose-folder")?;
    may_share_through(&app, &state, &folder)?;
    let shared = powermap_core::sync::share(state.store()?, &session_id, &folder, &laptop, now())?;
    crate::sharing::wake(&state);
    Ok(view(shared))
}

/// Brings the campaign in `folder` that opens with `key` onto this laptop; returns what was
/// joined.
#[tauri::command(async)]
pub fn join_shared_campaign<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    folder: Arg<String>,
    key: Arg<String>,
    laptop: Arg<Option<String>>,
) -> CommandResult<Vec<SharingView>> {
    let (key, laptop) = (key.get()?, laptop_name(laptop.get()?));
    let folder = files::given_path(&folder.get()?, "error.file.choose-folder")?;
    // A key that is no key is said before any question about the folder.
    powermap_core::sync::CampaignKey::from_text(&key)?;
    may_share_through(&app, &state, &folder)?;
    let joined = powermap_core::sync::join(state.store()?, &folder, &key, &laptop, now())?;
    crate::sharing::wake(&state);
    Ok(joined.into_iter().map(view).collect())
}

/// The shared campaign of `session_id`, if it is shared.
#[tauri::command(async)]
pub fn sharing_of(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<Option<SharingView>> {
    let session_id = session_id.get()?;
    let store = state.store()?;
    Ok(match store.shared_campaign_of(&session_id)? {
        Some(campaign) => Some(view(store.shared_campaign(&campaign)?)),
        None => None,
    })
}

/// Syncs every shared campaign with its folder now.
#[tauri::command(async)]
pub fn sync_now(state: State<'_, AppState>) -> CommandResult<Vec<SyncReport>> {
    let lang = state.language();
    let results = powermap_core::sync::sync_all(state.store()?, now())?;
    Ok(results.iter().map(|(shared, result)| SyncReport::new(shared, result, lang)).collect())
}

/// The fields of the session's rows two laptops set differently, not settled yet.
#[tauri::command(async)]
pub fn double_changes(
    state: State<'_, AppState>,
    session_id: Arg<String>,
) -> CommandResult<Vec<powermap_core::store::DoubleChange>> {
    Ok(state.store()?.double_changes(&session_id.get()?)?)
}

/// Leaves a field changed on two laptops as it stands.
#[tauri::command(async)]
pub fn keep_standing_value(state: State<'_, AppState>, id: Arg<i64>) -> CommandResult<()> {
    Ok(state.store()?.keep_standing_value(id.get()?)?)
}

/// Takes the value that did not stand, as the facilitator.
#[tauri::command(async)]
pub fn take_other_value(state: State<'_, AppState>, id: Arg<i64>) -> CommandResult<powermap_core::model::Changed<()>> {
    Ok(state.store()?.take_other_value(id.get()?, now())?)
}

/// Changes the key of the campaign of `session_id`, to take a laptop out of what is written
/// next; the others join again with the new key.
#[tauri::command(async)]
pub fn new_shared_key(state: State<'_, AppState>, session_id: Arg<String>) -> CommandResult<SharingView> {
    let shared = powermap_core::sync::new_key(state.store()?, &session_id.get()?, now())?;
    Ok(view(shared))
}

/// What a sync with a laptop nearby did, for the window to say.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NearbyReport {
    pub campaign: String,
    pub title: String,
    /// The laptop synced with.
    pub laptop: String,
    /// Rows written or removed here.
    pub rows_in: u32,
    /// This laptop's changes sent, and rows they wrote or removed there.
    pub changes_out: u32,
    pub rows_out: u32,
    /// Fields the two laptops had set differently (see *Changed on two laptops*).
    pub doubles: u32,
    /// The campaign's sessions (the ones joined, when joining).
    pub sessions: Vec<String>,
}

/// Syncs with the laptop nearby whose room is at `address`, paired by its room code `code`:
/// the campaign of `session_id` — or, with `key` instead, joins the campaign that laptop
/// shares under it, naming this laptop `laptop`.
#[tauri::command(async)]
pub fn sync_nearby(
    state: State<'_, AppState>,
    session_id: Arg<Option<String>>,
    key: Arg<Option<String>>,
    address: Arg<String>,
    code: Arg<String>,
    laptop: Arg<Option<String>>,
) -> CommandResult<NearbyReport> {
    use powermap_room::nearby::client::{sync_with, Campaign};
    let store = state.store()?;
    let (campaign, laptop) = match (session_id.get()?, key.get()?) {
        (Some(session_id), _) => {
            let campaign = store
                .shared_campaign_of(&session_id)?
                .ok_or_else(|| powermap_core::Error::NotFound("error.sharing.not-shared".into()))?;
            let laptop = store.shared_campaign(&campaign)?.laptop;
            (Campaign::Shared(campaign), laptop)
        }
        (None, Some(key)) => (Campaign::Join { key }, laptop_name(laptop.get()?)),
        (None, None) => return Err(powermap_core::Error::Invalid("error.sharing.not-a-key".into()).into()),
    };
    let synced = sync_with(store, &address.get()?, &code.get()?, &campaign, &laptop, state.language(), now())?;
    crate::sharing::wake(&state);
    let shared = store.shared_campaign(&synced.campaign)?;
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(NearbyReport {
        campaign: synced.campaign,
        title: shared.title,
        laptop: synced.laptop,
        rows_in: count(synced.rows_in),
        changes_out: count(synced.changes_out),
        rows_out: count(synced.rows_out),
        doubles: count(synced.doubles),
        sessions: shared.sessions,
    })
}
