//! The room's side of syncing with a laptop nearby: `POST /api/sync/hello` answers a hello
//! with the changes the other laptop lacks and a ticket; `POST /api/sync/rest` takes in, under
//! that ticket, the changes this laptop lacks. Only the campaign of the room's session is
//! synced, and only when this laptop shares it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, State as Shared};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use base64::Engine;
use powermap_core::i18n::Said;
use powermap_core::sync::nearby::{self, Refusal};
use serde::{Deserialize, Serialize};

use crate::door::{Block, RoomEvent};
use crate::seats::{Barred, WrongCode};
use crate::state::{Failure, State};

/// A request's body: a sealed message, in base 64.
#[derive(Deserialize)]
struct SealedBody {
    sealed: String,
}

#[derive(Serialize)]
pub(crate) struct Answer {
    ticket: String,
    sealed: String,
}

#[derive(Serialize)]
pub(crate) struct Taken {
    /// The rows the changes wrote or removed on this laptop.
    rows: usize,
}

fn sealed_of(body: &Bytes) -> Result<Vec<u8>, Failure> {
    let bad = |detail: String| {
        Failure::new(StatusCode::BAD_REQUEST, "bad-request", Said::new("error.room.bad-request").text("detail", detail))
    };
    let body: SealedBody = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    base64::engine::general_purpose::STANDARD.decode(body.sealed.trim()).map_err(|e| bad(e.to_string()))
}

/// The refusal of a message that did not open or read.
fn refused(why: Refusal) -> Failure {
    let code = match why {
        Refusal::OtherKey | Refusal::Tampered => "wrong-key",
        Refusal::OtherCampaign => "other-campaign",
        Refusal::Damaged => "damaged",
    };
    let status = if why == Refusal::OtherCampaign { StatusCode::CONFLICT } else { StatusCode::FORBIDDEN };
    Failure::new(status, code, Said::new(why.key()))
}

/// The campaign of the room's session, if this laptop shares it; else 404.
async fn campaign(state: &Arc<State>) -> Result<String, Failure> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || state.store.shared_campaign_of(&state.session_id))
        .await
        .map_err(|_| Failure::internal())?
        .map_err(Failure::from)?
        .ok_or_else(|| Failure::new(StatusCode::NOT_FOUND, "not-shared", Said::new("error.nearby.not-shared")))
}

/// Counts a wrong attempt from `address` as a wrong code (the code changes after too many).
fn wrong_attempt(state: &State, address: std::net::IpAddr) {
    state.tell(RoomEvent::WrongCode { address });
    if let WrongCode::CodeChanged(code) = state.seats.wrong_attempt(address) {
        state.tell(RoomEvent::CodeChanged { code, wrong_codes: state.limits.wrong_codes_per_code });
    }
}

/// `POST /api/sync/hello`: a laptop's hello, sealed with the campaign's key and holding the
/// room's code; answered with what it lacks, sealed, and a ticket for the rest.
pub(crate) async fn hello(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Json<Answer>, Failure> {
    let address = peer.ip();
    if state.seats.barred(address) == Some(Barred::WrongCodes) {
        state.tell(RoomEvent::Blocked { address, why: Block::WrongCodes });
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-wrong-codes",
            Said::new("error.room.too-many-wrong-codes"),
        ));
    }
    let sealed = sealed_of(&body)?;
    let campaign = campaign(&state).await?;
    let opened = {
        let (state, campaign) = (state.clone(), campaign.clone());
        tokio::task::spawn_blocking(move || nearby::open_hello(&state.store, &campaign, &sealed))
            .await
            .map_err(|_| Failure::internal())?
            .map_err(Failure::from)?
    };
    let hello = match opened {
        Ok(hello) => hello,
        Err(why) => {
            if why != Refusal::OtherCampaign {
                wrong_attempt(&state, address);
            }
            return Err(refused(why));
        }
    };
    if let Err(wrong) = state.seats.try_code(&hello.code, address) {
        state.tell(RoomEvent::WrongCode { address });
        if let WrongCode::CodeChanged(code) = wrong {
            state.tell(RoomEvent::CodeChanged { code, wrong_codes: state.limits.wrong_codes_per_code });
        }
        return Err(Failure::new(StatusCode::FORBIDDEN, "wrong-code", Said::new("error.room.wrong-code")));
    }
    let laptop = hello.laptop.clone();
    let sealed = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || nearby::answer(&state.store, &campaign, &hello))
            .await
            .map_err(|_| Failure::internal())?
            .map_err(Failure::from)?
    };
    let ticket = state.nearby.give(address, &laptop);
    Ok(Json(Answer { ticket, sealed: base64::engine::general_purpose::STANDARD.encode(sealed) }))
}

/// `POST /api/sync/rest`: under the ticket given with the answer, the changes this laptop
/// lacks, sealed. The guard has checked the ticket before reading the body.
pub(crate) async fn rest(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Taken>, Failure> {
    let address = peer.ip();
    let not_paired = || Failure::new(StatusCode::UNAUTHORIZED, "not-paired", Said::new("error.nearby.not-paired"));
    let ticket = super::ticket_of(&headers).ok_or_else(not_paired)?.to_string();
    let laptop = state.nearby.use_up(&ticket, address).ok_or_else(not_paired)?;
    let sealed = sealed_of(&body)?;
    let campaign = campaign(&state).await?;
    let taken = {
        let state = state.clone();
        tokio::task::spawn_blocking(move || {
            nearby::take_rest(&state.store, &campaign, &ticket, &sealed, powermap_core::clock::now())
        })
        .await
        .map_err(|_| Failure::internal())?
        .map_err(Failure::from)?
        .map_err(refused)?
    };
    state.tell(RoomEvent::Synced { laptop, rows: taken.rows });
    Ok(Json(Taken { rows: taken.rows }))
}
