//! The routes of the HTTP API the participants' page uses (documented in
//! `docs/room-api.md`). Anything a device sends is hostile until checked: the guard has
//! checked its Host, Origin and Content-Type and read its body (within the limits); the
//! body is parsed here, so every refusal is a typed JSON error with the status the API
//! names. A phone is answered with what its page draws ([`crate::phone`]), nothing more.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, State as Shared};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use powermap_core::i18n::Said;
use powermap_core::model::{Actor, ParticipantFields, Point, Stamp};
use powermap_core::store::SeatHolder;
use powermap_core::Store;
use serde::{Deserialize, Serialize};

use crate::door::{Block, RoomEvent};
use crate::phone::PhoneSession;
use crate::seats::{token_hash, Barred, WrongCode};
use crate::state::{Failure, State};

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(crate::page::index))
        .route("/assets/{file}", get(crate::page::asset))
        .route("/api/join", post(join))
        .route("/api/leave", post(leave))
        .route("/api/me", put(speak_for))
        .route("/api/session", get(session))
        .route("/api/placements", put(place))
        .route("/api/round", get(round))
        .route("/api/round/answers", put(answer))
        .route("/api/live", get(crate::live::live))
        .route("/api/sync/hello", post(crate::nearby::routes::hello))
        .route(crate::nearby::REST_PATH, post(crate::nearby::routes::rest))
        .layer(middleware::from_fn_with_state(state.clone(), crate::guard::checked))
        .layer(middleware::from_fn_with_state(state.clone(), crate::guard::answered))
        .layer(middleware::from_fn(crate::guard::in_the_device_language))
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}

/// The body as a `T`, or 400 saying what is wrong with it.
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| {
        Failure::new(StatusCode::BAD_REQUEST, "bad-request", Said::new("error.room.bad-request").text("detail", e))
    })
}

/// Runs `work` on the session with the store, on a blocking thread (the database is never
/// used on the server's async threads; the room's runtime bounds how many run at once).
async fn blocking<T: Send + 'static>(
    state: &Arc<State>,
    work: impl FnOnce(&Store, &str) -> powermap_core::Result<T> + Send + 'static,
) -> Result<T, Failure> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || work(&state.store, &state.session_id))
        .await
        .map_err(|_| Failure::internal())?
        .map_err(Failure::from)
}

/// The seat of `token`, or 401: a token no seat has, or whose participant was taken out of
/// the session (by this window, another, or another program on the file).
pub(crate) async fn seat_of_token(state: &Arc<State>, token: &str) -> Result<SeatHolder, Failure> {
    let token = token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(Failure::unauthorized());
    }
    let hash = token_hash(token);
    blocking(state, move |store, session| store.seat_holder(session, &hash)).await?.ok_or_else(Failure::unauthorized)
}

/// The token of the request's `Authorization: Bearer <token>`.
fn bearer(headers: &HeaderMap) -> Result<&str, Failure> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(Failure::unauthorized)
}

/// The seat of the request's bearer token, or 401.
async fn seat_of(state: &Arc<State>, headers: &HeaderMap) -> Result<SeatHolder, Failure> {
    let token = bearer(headers)?.to_string();
    seat_of_token(state, &token).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JoinRequest {
    code: String,
    name: String,
    #[serde(default)]
    organization_id: Option<String>,
    /// The token this device was given before, if it kept one: its seat is taken back.
    #[serde(default)]
    token: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Joined {
    token: String,
    participant_id: String,
    /// The name the seat is under (the one joined with before, for a seat taken back).
    name: String,
}

/// `POST /api/join`: the room's code and a name (and the organization spoken for) give a
/// seat. One person counts once: a device that kept its token takes its seat back, and a
/// name a device already holds is refused.
async fn join(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Json<Joined>, Failure> {
    let address = peer.ip();
    if let Some(barred) = state.seats.barred(address) {
        let (why, code, key) = match barred {
            Barred::WrongCodes => (Block::WrongCodes, "too-many-wrong-codes", "error.room.too-many-wrong-codes"),
            Barred::Joins => (Block::Joins, "too-many-joins", "error.room.too-many-joins"),
        };
        state.tell(RoomEvent::Blocked { address, why });
        return Err(Failure::new(StatusCode::TOO_MANY_REQUESTS, code, Said::new(key)));
    }
    let request: JoinRequest = parse(&body)?;
    if let Err(wrong) = state.seats.try_code(&request.code, address) {
        state.tell(RoomEvent::WrongCode { address });
        if let WrongCode::CodeChanged(code) = wrong {
            state.tell(RoomEvent::CodeChanged { code, wrong_codes: state.limits.wrong_codes_per_code });
        }
        return Err(Failure::new(StatusCode::FORBIDDEN, "wrong-code", Said::new("error.room.wrong-code")));
    }
    state.seats.joined(address);
    let fields = ParticipantFields { name: request.name, organization_id: request.organization_id };
    let held = request.token.filter(|t| !t.trim().is_empty() && t.len() <= 128);
    let held_hash = held.as_deref().map(|t| token_hash(t.trim()));
    let token = crate::seats::new_token();
    let new_seat = token_hash(&token);
    let seated = blocking(&state, move |store, session| {
        store.take_seat(session, &fields, held_hash.as_deref(), &new_seat, powermap_core::clock::now())
    })
    .await
    .map_err(|failure| match failure.said.key() {
        "error.room.name-taken" => Failure { code: "name-taken", ..failure },
        "error.room.facilitator-name" => Failure { code: "facilitator-name", ..failure },
        _ => failure,
    })?;
    state.tell(RoomEvent::Joined { name: seated.participant.name.clone(), again: seated.change.is_none() });
    // A seat taken back keeps the token the device holds; any other has the new token.
    let token = match held {
        Some(held) if seated.kept_seat => held.trim().to_string(),
        _ => token,
    };
    Ok(Json(Joined { token, participant_id: seated.participant.id, name: seated.participant.name }))
}

/// `POST /api/leave`: this device gives up its seat (the participant stays in the session,
/// and may join again under the same name).
async fn leave(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Result<Json<serde_json::Value>, Failure> {
    let hash = token_hash(bearer(&headers)?.trim());
    blocking(&state, move |store, session| store.leave_seat(session, &hash)).await?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /api/session`: the session as a phone draws it, with who the phone is.
async fn session(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Result<Json<PhoneSession>, Failure> {
    let seat = seat_of(&state, &headers).await?;
    let data = blocking(&state, |store, session| store.load_session(session)).await?;
    Ok(Json(PhoneSession::of(&data, &seat.participant_id)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeakFor {
    organization_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    participant_id: String,
    name: String,
    organization_id: Option<String>,
}

/// `PUT /api/me`: which organization the seat's participant speaks for (none with `null`).
async fn speak_for(Shared(state): Shared<Arc<State>>, headers: HeaderMap, body: Bytes) -> Result<Json<Me>, Failure> {
    let seat = seat_of(&state, &headers).await?;
    let request: SpeakFor = parse(&body)?;
    let changed = blocking(&state, move |store, _| {
        // The participant's name as it is now (the facilitator may have corrected it).
        let fields = ParticipantFields { name: seat.name.clone(), organization_id: request.organization_id };
        let stamp = Stamp::new(powermap_core::clock::now(), Actor::seat(&seat.name, &seat.participant_id));
        store.update_participant(&seat.participant_id, &fields, stamp)
    })
    .await?;
    let participant = changed.value;
    Ok(Json(Me {
        participant_id: participant.id,
        name: participant.name,
        organization_id: participant.organization_id,
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Move {
    grid_id: String,
    organization_id: String,
    x: f64,
    y: f64,
}

#[derive(Serialize)]
struct Moved {
    revision: i64,
}

/// `PUT /api/placements`: a card moved by the seat's participant.
async fn place(Shared(state): Shared<Arc<State>>, headers: HeaderMap, body: Bytes) -> Result<Json<Moved>, Failure> {
    let seat = seat_of(&state, &headers).await?;
    let request: Move = parse(&body)?;
    let point = Point::new(request.x, request.y).map_err(Failure::from)?;
    let change = blocking(&state, move |store, session| {
        if store.grid_session(&request.grid_id)? != session {
            return Err(powermap_core::Error::NotFound("error.room.grid-not-in-session".into()));
        }
        let stamp = Stamp::new(powermap_core::clock::now(), Actor::seat(&seat.name, &seat.participant_id));
        store.place_card(&request.grid_id, &request.organization_id, point, stamp)
    })
    .await?;
    Ok(Json(Moved { revision: change.change.revision }))
}

/// The open round as a device sees it: the round, and only this device's own answers.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoundForDevice {
    round: Option<powermap_core::model::Round>,
    mine: Vec<MyAnswer>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MyAnswer {
    organization_id: String,
    x: f64,
    y: f64,
}

/// `GET /api/round`: the session's open private round, if any, and this device's answers
/// (never anyone else's).
async fn round(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Result<Json<RoundForDevice>, Failure> {
    let seat = seat_of(&state, &headers).await?;
    let open = blocking(&state, move |store, session| store.open_round_for(session, &seat.participant_id)).await?;
    Ok(Json(match open {
        None => RoundForDevice { round: None, mine: Vec::new() },
        Some(own) => RoundForDevice {
            round: Some(own.round),
            mine: own
                .answers
                .into_iter()
                .map(|(organization_id, point)| MyAnswer { organization_id, x: point.x, y: point.y })
                .collect(),
        },
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoundAnswer {
    organization_id: String,
    x: f64,
    y: f64,
}

/// `PUT /api/round/answers`: where this device's participant places a card of the open
/// round, privately. 409 when no round is open.
async fn answer(
    Shared(state): Shared<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<powermap_core::model::RoundProgress>, Failure> {
    let seat = seat_of(&state, &headers).await?;
    let request: RoundAnswer = parse(&body)?;
    let point = Point::new(request.x, request.y).map_err(Failure::from)?;
    let progress = blocking(&state, move |store, session| {
        let Some(own) = store.open_round_for(session, &seat.participant_id)? else {
            return Err(powermap_core::Error::Conflict("error.room.no-round".into()));
        };
        store.answer_round(
            &own.round.id,
            &seat.participant_id,
            &seat.name,
            &request.organization_id,
            point,
            powermap_core::clock::now(),
        )
    })
    .await?;
    Ok(Json(progress))
}
