//! Every change of the session, whoever made it (a participant, the facilitator's window,
//! the command line, another Powermap on the same file), sent to every connected device in
//! revision order, as phones see it (`phone::PhoneChange`, made and written once for all of
//! them). The session's change log is read a few times a second, and at once after a
//! participant's own write, so one path serves every writer and the order is the stored
//! one. A change that takes a participant out closes their sockets.

use std::sync::Arc;
use std::time::Duration;

use powermap_core::ErrorCode;
use tokio::sync::watch;

use crate::phone::PhoneChange;
use crate::state::{Outgoing, State};

/// How often the change log is read when nothing nudges the feed.
const EVERY: Duration = Duration::from_millis(50);

/// The message that tells a device to read the session anew: a change it would need is no
/// longer kept, or it fell behind.
pub(crate) const RELOAD: &str = r#"{"reload":true}"#;

/// The message that tells every device the session is gone (deleted): the room is over.
pub(crate) const CLOSED: &str = r#"{"closed":true}"#;

/// Follows the session from `revision` on until the room stops.
pub(crate) async fn follow(state: Arc<State>, mut revision: i64, mut stopped: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = state.nudge.notified() => {}
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
                    revision = change.revision;
                    (state.listener)(&change);
                    if let Ok(text) = serde_json::to_string(&PhoneChange::of(&change)) {
                        let out = PhoneChange::removed_people(&change);
                        // No device connected is not an error: the change is in the log.
                        let _ = state.live.send(Arc::new(Outgoing { text: Arc::from(text), out }));
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
