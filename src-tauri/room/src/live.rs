//! `GET /api/live`: the WebSocket on which a phone follows the session. One task per
//! socket sends it every change, several at a time when it fell behind (one write for
//! them all). A phone that does not read is cut off — what waits for it is capped, and a
//! write that does not go out in time ends the socket — and so is one that has gone
//! silent: quiet sockets are pinged, and one from which nothing comes back is closed.
//! Taken out of the session, a participant's sockets close at once.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Query, State as Shared};
use axum::http::StatusCode;
use axum::response::Response;
use futures_util::SinkExt;
use powermap_core::i18n::Said;
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::door::{Block, RoomEvent};
use crate::feed::RELOAD;
use crate::state::{Failure, Outgoing, State};

/// The most messages written to a socket at once, when it fell behind.
const BATCH: usize = 64;

#[derive(Deserialize)]
pub(crate) struct LiveQuery {
    #[serde(default)]
    token: String,
}

/// `GET /api/live?token=…`: every change of the session, as a phone sees it. Host and
/// Origin were checked before (the room's own page, or no page).
pub(crate) async fn live(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<LiveQuery>,
    upgrade: WebSocketUpgrade,
) -> Result<Response, Failure> {
    let seat = crate::api::seat_of_token(&state, &query.token).await?;
    if !state.seats.open_socket(&seat.participant_id) {
        state.tell(RoomEvent::Blocked { address: peer.ip(), why: Block::Sockets });
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-sockets",
            Said::new("error.room.too-many-sockets"),
        ));
    }
    let limits = &state.limits;
    let upgrade = upgrade
        .max_message_size(limits.max_message)
        .max_frame_size(limits.max_message)
        .write_buffer_size(0)
        .max_write_buffer_size(limits.max_unsent);
    let participant = seat.participant_id;
    // Listening starts before the handshake's answer: a change made the moment the device
    // is told it is connected reaches it.
    let changes = state.live.subscribe();
    Ok(upgrade.on_upgrade(move |socket| async move {
        let cut_off = forward(&state, socket, changes, &participant).await;
        state.seats.socket_closed(&participant);
        if cut_off {
            state.tell(RoomEvent::Blocked { address: peer.ip(), why: Block::NotReading });
        }
    }))
}

/// Sends every change to one device until it leaves, is taken out of the session, stops
/// reading, goes silent, or the room stops. Returns whether the device was cut off for
/// not reading.
async fn forward(
    state: &State,
    mut socket: WebSocket,
    mut changes: broadcast::Receiver<Arc<Outgoing>>,
    participant: &str,
) -> bool {
    let mut stopped = state.stopped.clone();
    let limits = &state.limits;
    let mut heard = Instant::now();
    let mut pinged = Instant::now();
    let mut tick = tokio::time::interval(limits.ping_after.min(limits.dead_after) / 2);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            first = changes.recv() => {
                let mut batch: Vec<Arc<Outgoing>> = Vec::new();
                let mut next = Some(first);
                while let Some(received) = next.take() {
                    match received {
                        Ok(message) => batch.push(message),
                        Err(broadcast::error::RecvError::Lagged(_)) => batch.push(Outgoing::text(RELOAD)),
                        Err(broadcast::error::RecvError::Closed) => return false,
                    }
                    if batch.len() < BATCH {
                        next = changes.try_recv().ok().map(Ok);
                    }
                }
                if batch.iter().any(|m| m.out.iter().any(|p| p == participant)) {
                    let _ = tokio::time::timeout(limits.send_time, socket.send(Message::Close(None))).await;
                    return false;
                }
                let sent = async {
                    for message in &batch {
                        socket.feed(Message::Text(message.text.as_ref().into())).await?;
                    }
                    socket.flush().await
                };
                match tokio::time::timeout(limits.send_time, sent).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) | Err(_) => return true,
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return false,
                // What a device sends is not read for anything (the API is HTTP); it only
                // says the device is there.
                Some(Ok(_)) => heard = Instant::now(),
            },
            _ = tick.tick() => {
                if heard.elapsed() >= limits.dead_after {
                    return false;
                }
                // Pinged every so often, busy or quiet: a device that answers nothing is
                // dead, and one that reads nothing (however much it sends) lets no ping out.
                if pinged.elapsed() >= limits.ping_after {
                    pinged = Instant::now();
                    match tokio::time::timeout(limits.send_time, socket.send(Message::Ping(Default::default()))).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) | Err(_) => return true,
                    }
                }
            }
            _ = crate::until_stopped(&mut stopped) => {
                let _ = tokio::time::timeout(limits.send_time, socket.send(Message::Close(None))).await;
                return false;
            }
        }
    }
}
