//! The window keeps its shared campaigns in sync by itself: a thread syncs every campaign
//! that has a folder each second, and at once (after a short pause, so one drag's moves go
//! out in one file) when this laptop changed something. What came in is published by the
//! store like any change; what is worth saying (files skipped, a folder out of reach) is
//! emitted to the window as a [`SHARED_SYNCED_EVENT`].

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tauri::{Emitter, Manager, Runtime};

use crate::commands::sharing::SyncReport;
use crate::AppState;

/// The event a window hears after a sync that did something: `Vec<SyncReport>`.
pub const SHARED_SYNCED_EVENT: &str = "shared-synced";

/// How often the folders are looked at when nothing wakes the thread.
const EVERY: Duration = Duration::from_secs(1);

/// How long after a change of this laptop's its changes go out: the rest of a drag joins it.
const GATHER: Duration = Duration::from_millis(250);

/// Wakes the sync thread: something of this laptop's may be waiting to go out.
#[derive(Default)]
pub struct Waker {
    woken: Mutex<bool>,
    signal: Condvar,
}

impl Waker {
    fn wake(&self) {
        *self.woken.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.signal.notify_one();
    }

    /// Waits for a wake or `EVERY`; true if woken.
    fn wait(&self) -> bool {
        let woken = self.woken.lock().unwrap_or_else(|p| p.into_inner());
        let (mut woken, _) = self.signal.wait_timeout_while(woken, EVERY, |w| !*w).unwrap_or_else(|p| p.into_inner());
        std::mem::replace(&mut *woken, false)
    }
}

/// Wakes the window's sync thread (after this laptop shared or joined a campaign).
pub fn wake(state: &AppState) {
    state.sync_waker.wake();
}

/// Starts the sync thread, and wakes it whenever the store publishes a change.
pub fn start<R: Runtime>(
    app: &tauri::AppHandle<R>,
    store: Arc<powermap_core::Store>,
) -> powermap_core::store::Subscription {
    let state = app.state::<AppState>();
    let waker = Arc::clone(&state.sync_waker);
    let woken = Arc::clone(&waker);
    let subscription = store.subscribe(move |publication| {
        if matches!(publication, powermap_core::store::Publication::Change(_)) {
            woken.wake();
        }
    });
    let handle = app.clone();
    std::thread::Builder::new()
        .name("powermap-sync".into())
        .spawn(move || {
            // What was said already: a skipped file stays in the folder, a folder out of reach
            // stays so for a while; each is said once, not every second.
            let mut said: std::collections::HashSet<String> = std::collections::HashSet::new();
            // The campaigns whose folder could not be synced last time, with what was said.
            let mut failing: std::collections::HashMap<String, String> = std::collections::HashMap::new();
            loop {
                if waker.wait() {
                    std::thread::sleep(GATHER);
                }
                let lang = handle.state::<AppState>().language();
                let Ok(results) = powermap_core::sync::sync_all(&store, powermap_core::clock::now()) else { continue };
                let mut reports: Vec<SyncReport> =
                    results.iter().map(|(shared, result)| SyncReport::new(shared, result, lang)).collect();
                for report in &mut reports {
                    report.skipped.retain(|s| said.insert(s.clone()));
                    match &report.failed {
                        Some(failed) => {
                            failing.insert(report.campaign.clone(), failed.clone());
                            if !said.insert(failed.clone()) {
                                report.failed = None;
                            }
                        }
                        // The folder is back: said once, and a later failure is said again.
                        None => {
                            if let Some(failed) = failing.remove(&report.campaign) {
                                said.remove(&failed);
                                report.recovered = true;
                            }
                        }
                    }
                }
                if reports.iter().any(SyncReport::eventful) {
                    let _ = handle.emit(SHARED_SYNCED_EVENT, reports);
                }
            }
        })
        .ok();
    subscription
}
