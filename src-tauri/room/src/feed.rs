//! Every change of the session, whoever made it (a participant, the facilitator's window,
//! the command line, another Powermap on the same file), sent to every connected device in
//! revision order, as phones see it (`phone::PhoneChange`, made and written once for all of
//! them). This process's changes arrive from the store's publisher as they commit; another
//! program's on the same file are found by reading the change log a few times a second
//! (until the store watches other programs itself). A gap is filled from the log, so the
//! order is the stored one. A change that takes a participant out closes their sockets.

use std::sync::Arc;
use std::time::Duration;

use powermap_core::model::SessionChange;
use powermap_core::ErrorCode;
use tokio::sync::watch;

use crate::phone::PhoneChange;
use crate::state::{Outgoing, State};

/// How often the change log is read for other programs' writes.
const EVERY: Duration = Duration::from_millis(50);

/// The message that tells a device to read the session anew: a change it would need is no
/// longer kept, or it fell behind.
pub(crate) const RELOAD: &str = r#"{"reload":true}"#;

/// The message that tells every device the session is gone (deleted): the room is over.
pub(crate) const CLOSED: &str = r#"{"closed":true}"#;

/// Follows the session from `revision` on until the room stops.
pub(crate) async fn follow(state: Arc<State>, mut revision: i64, mut stopped: watch::Receiver<bool>) {
    let (published, mut arriving) = tokio::sync::mpsc::unbounded_channel();
    let session = state.session_id.clone();
    let _subscription = state.store.subscribe(move |change: &SessionChange| {
        if change.session_id == session {
            let _ = published.send(change.clone());
        }
    });
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            Some(change) = arriving.recv() => {
                if change.revision <= revision {
                    continue;
                }
                if change.revision == revision + 1 {
                    revision = change.revision;
                    tell_devices(&state, &change);
                    continue;
                }
                // A gap (another program wrote in between): filled from the log below.
            }
            _ = tick.tick() => {}
            _ = crate::until_stopped(&mut stopped) => return,
        }
        let (store, session) = (state.store.clone(), state.session_id.clone());
        let since = revision;
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
                    if change.revision > revision {
                        revision = change.revision;
                        tell_devices(&state, &change);
                    }
                }
            }
            Ok(Ok((None, Some(current)))) => {
                revision = current;
                let _ = state.live.send(Outgoing::text(RELOAD));
            }
            Ok(Err(error)) if error.code() == ErrorCode::NotFound => {
                let _ = state.live.send(Outgoing::text(CLOSED));
                return;
            }
            // A busy database or a failed read: tried again at the next tick.
            _ => {}
        }
    }
}

/// Sends `change` to every device, as phones see it (made and written once for all).
fn tell_devices(state: &State, change: &SessionChange) {
    if let Ok(text) = serde_json::to_string(&PhoneChange::of(change)) {
        let out = PhoneChange::removed_people(change);
        // No device connected is not an error: the change is in the log.
        let _ = state.live.send(Arc::new(Outgoing { text: Arc::from(text), out }));
    }
}
