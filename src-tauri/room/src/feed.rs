//! Every change of the session, whoever made it (a participant, the facilitator's window,
//! the command line, another Powermap on the same file), sent to every connected device in
//! revision order, as phones see it (`phone::PhoneChange`, made and written once for all of
//! them). The changes arrive from the store's one publisher — this process's as they
//! commit, other programs' as the store's watcher finds them — with no timer here (but a
//! retry after a failed read). A gap is filled from the change log, so the order is the
//! stored one; a change no longer kept tells the devices to read the session anew. A change
//! that takes a participant out closes their sockets; the session deleted closes the room.

use std::sync::Arc;

use powermap_core::model::SessionChange;
use powermap_core::store::Publication;
use powermap_core::ErrorCode;
use tokio::sync::watch;

use crate::phone::PhoneChange;
use crate::state::{Outgoing, State};

/// The message that tells a device to read the session anew: a change it would need is no
/// longer kept, or it fell behind.
pub(crate) const RELOAD: &str = r#"{"reload":true}"#;

/// The message that tells every device the session is gone (deleted): the room is over.
pub(crate) const CLOSED: &str = r#"{"closed":true}"#;

/// Follows the session from `revision` on until the room stops.
pub(crate) async fn follow(state: Arc<State>, mut revision: i64, mut stopped: watch::Receiver<bool>) {
    let (published, mut arriving) = tokio::sync::mpsc::unbounded_channel();
    let session = state.session_id.clone();
    let _subscription = state.store.subscribe(move |publication: &Publication| {
        let ours = match publication {
            Publication::Change(change) => change.session_id == session,
            // The session may have been deleted.
            Publication::Sessions => true,
        };
        if ours {
            let _ = published.send(publication.clone());
        }
    });
    // What was committed between the room reading its revision and subscribing.
    let mut read_log = true;
    loop {
        if read_log {
            match catch_up(&state, &mut revision).await {
                CaughtUp::Yes => read_log = false,
                CaughtUp::Gone => return,
                // A busy database or a failed read: tried again in a moment (the one wait
                // here, and only after a failure).
                CaughtUp::NotYet => {
                    tokio::select! {
                        _ = tokio::time::sleep(RETRY_AFTER) => continue,
                        _ = crate::until_stopped(&mut stopped) => return,
                    }
                }
            }
        }
        tokio::select! {
            Some(publication) = arriving.recv() => match publication {
                Publication::Change(change) if change.revision <= revision => {}
                Publication::Change(change) if change.revision == revision + 1 => {
                    revision = change.revision;
                    tell_devices(&state, &change);
                }
                // A gap: filled from the log.
                Publication::Change(_) => read_log = true,
                Publication::Sessions => {
                    let (store, session) = (state.store.clone(), state.session_id.clone());
                    let gone = tokio::task::spawn_blocking(move || store.load_session(&session))
                        .await
                        .is_ok_and(|read| read.is_err_and(|e| e.code() == ErrorCode::NotFound));
                    if gone {
                        let _ = state.live.send(Outgoing::text(CLOSED));
                        return;
                    }
                }
            },
            _ = crate::until_stopped(&mut stopped) => return,
        }
    }
}

/// How long the feed waits before reading the change log again after a read failed.
const RETRY_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

/// Whether the devices have been sent what the change log holds.
enum CaughtUp {
    Yes,
    /// The read failed (a busy database): to try again.
    NotYet,
    /// The session is gone; the devices were told the room is over.
    Gone,
}

/// Sends the devices the changes after `revision` from the change log (or tells them to
/// read the session anew if some are no longer kept), and moves `revision` on.
async fn catch_up(state: &Arc<State>, revision: &mut i64) -> CaughtUp {
    let (store, session) = (state.store.clone(), state.session_id.clone());
    let since = *revision;
    let read = tokio::task::spawn_blocking(move || {
        let changes = store.changes_since(&session, since)?;
        let current = match &changes {
            Some(_) => None,
            None => Some(store.load_session(&session)?.revision),
        };
        Ok::<_, powermap_core::Error>((changes, current))
    })
    .await;
    match read {
        Ok(Ok((Some(changes), _))) => {
            for change in changes {
                if change.revision > *revision {
                    *revision = change.revision;
                    tell_devices(state, &change);
                }
            }
        }
        Ok(Ok((None, Some(current)))) => {
            *revision = current;
            let _ = state.live.send(Outgoing::text(RELOAD));
        }
        Ok(Err(error)) if error.code() == ErrorCode::NotFound => {
            let _ = state.live.send(Outgoing::text(CLOSED));
            return CaughtUp::Gone;
        }
        _ => return CaughtUp::NotYet,
    }
    CaughtUp::Yes
}

/// Sends `change` to every device, as phones see it (made and written once for all).
fn tell_devices(state: &State, change: &SessionChange) {
    if let Ok(text) = serde_json::to_string(&PhoneChange::of(change)) {
        let out = PhoneChange::removed_people(change);
        // No device connected is not an error: the change is in the log.
        let _ = state.live.send(Arc::new(Outgoing { text: Arc::from(text), out }));
    }
}
