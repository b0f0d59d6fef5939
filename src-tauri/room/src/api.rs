//! The HTTP API the participants' page uses (documented in `docs/room-api.md`). Anything a
//! device sends is hostile until checked: bodies are read as bytes (at most 64 KiB) and
//! parsed here, so every refusal is a typed JSON error with the status the API names.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, Request, State as Shared};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use powermap_core::i18n::{Lang, Said};
use powermap_core::model::{Actor, ParticipantFields, Point, Stamp};
use powermap_core::{ErrorCode, Store};
use serde::{Deserialize, Serialize};
use tokio::sync::{broadcast, watch, Notify};
use tower_http::limit::RequestBodyLimitLayer;

use crate::feed::RELOAD;
use crate::seats::{Seat, Seats};

/// The largest request body taken: 64 KiB.
pub(crate) const MAX_BODY: usize = 64 * 1024;
/// The largest WebSocket message taken from a device: 16 KiB.
pub(crate) const MAX_MESSAGE: usize = 16 * 1024;
/// How many changes a device may fall behind before it is told to read the session anew.
const BACKLOG: usize = 512;

/// What every request shares: the store, the one session, the code, the seats and the
/// stream of changes.
pub(crate) struct State {
    pub store: Arc<Store>,
    pub session_id: String,
    pub code: String,
    pub seats: Seats,
    /// Every change of the session, as the JSON text each device receives.
    pub live: broadcast::Sender<Arc<str>>,
    /// Wakes the feed after a participant's own write, so it is sent at once.
    pub nudge: Notify,
    pub stopped: watch::Receiver<bool>,
    /// Told every change, in order, before the devices (the window sharing the store).
    pub listener: Listener,
}

/// Told every change of the session.
pub(crate) type Listener = Box<dyn Fn(&powermap_core::model::SessionChange) + Send + Sync>;

impl State {
    pub fn new(
        store: Arc<Store>,
        session_id: String,
        code: String,
        stopped: watch::Receiver<bool>,
        listener: Listener,
    ) -> State {
        let (live, _) = broadcast::channel(BACKLOG);
        State { store, session_id, code, seats: Seats::default(), live, nudge: Notify::new(), stopped, listener }
    }
}

pub(crate) fn router(state: Arc<State>) -> Router {
    Router::new()
        .route("/", get(crate::page::index))
        .route("/assets/{file}", get(crate::page::asset))
        .route("/api/join", post(join))
        .route("/api/me", put(speak_for))
        .route("/api/session", get(session))
        .route("/api/placements", put(place))
        .route("/api/round", get(round))
        .route("/api/round/answers", put(answer))
        .route("/api/live", get(live))
        .layer(middleware::from_fn(in_the_device_language))
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .with_state(state)
}

tokio::task_local! {
    /// The language of the device whose request is being answered.
    static DEVICE_LANGUAGE: Lang;
}

/// Answers each request in its device's language: the first of its `Accept-Language` that
/// Powermap speaks (a browser sends the phone's languages), else English. Refusals are said
/// in it.
async fn in_the_device_language(request: Request, next: Next) -> Response {
    let lang = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(device_language)
        .unwrap_or(Lang::En);
    DEVICE_LANGUAGE.scope(lang, next.run(request)).await
}

/// The first language of an `Accept-Language` value ("es-MX,es;q=0.9,en;q=0.8") that
/// Powermap speaks, in the device's order of preference.
fn device_language(accepted: &str) -> Option<Lang> {
    let mut ranked: Vec<(f32, usize, Lang)> = accepted
        .split(',')
        .enumerate()
        .filter_map(|(order, item)| {
            let mut parts = item.split(';');
            let lang = Lang::parse(parts.next()?.trim())?;
            let weight =
                parts.find_map(|p| p.trim().strip_prefix("q=")).map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (weight > 0.0).then_some((weight, order, lang))
        })
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.first().map(|(_, _, lang)| *lang)
}

/// A refusal: its status, a code to branch on, and a message for the person (said in their
/// device's language when the answer is made).
#[derive(Debug)]
pub(crate) struct Failure {
    status: StatusCode,
    code: &'static str,
    said: Said,
}

impl Failure {
    fn new(status: StatusCode, code: &'static str, said: Said) -> Failure {
        Failure { status, code, said }
    }

    fn unauthorized() -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "not-joined", Said::new("error.room.not-joined"))
    }

    fn internal() -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", Said::new("error.room.internal"))
    }
}

impl From<powermap_core::Error> for Failure {
    fn from(error: powermap_core::Error) -> Failure {
        let (status, code) = match error.code() {
            ErrorCode::InvalidInput => (StatusCode::BAD_REQUEST, "invalid-input"),
            ErrorCode::NotFound => (StatusCode::NOT_FOUND, "not-found"),
            ErrorCode::Conflict => (StatusCode::CONFLICT, "conflict"),
            ErrorCode::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        };
        Failure::new(status, code, error.said())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let lang = DEVICE_LANGUAGE.try_with(|lang| *lang).unwrap_or(Lang::En);
        let body = serde_json::json!({ "code": self.code, "message": self.said.render(lang) });
        (self.status, Json(body)).into_response()
    }
}

/// The body as a `T`, or 400 saying what is wrong with it.
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| {
        Failure::new(StatusCode::BAD_REQUEST, "bad-request", Said::new("error.room.bad-request").text("detail", e))
    })
}

/// Runs `work` on the session with the store, on a blocking thread (the database is never
/// used on the server's async threads).
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

/// The seat of the request's `Authorization: Bearer <token>`, or 401.
fn seat_of(state: &State, headers: &HeaderMap) -> Result<Seat, Failure> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(Failure::unauthorized)?;
    state.seats.get(token.trim()).ok_or_else(Failure::unauthorized)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct JoinRequest {
    code: String,
    name: String,
    #[serde(default)]
    organization_id: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Joined {
    token: String,
    participant_id: String,
}

/// `POST /api/join`: the room's code and a name (and the organization spoken for) give a
/// seat: a participant of the session, and a token.
async fn join(
    Shared(state): Shared<Arc<State>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Result<Json<Joined>, Failure> {
    let address = peer.ip();
    if state.seats.barred(address) {
        return Err(Failure::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too-many-wrong-codes",
            Said::new("error.room.too-many-wrong-codes"),
        ));
    }
    let request: JoinRequest = parse(&body)?;
    if request.code.trim() != state.code {
        state.seats.wrong_code(address);
        return Err(Failure::new(StatusCode::FORBIDDEN, "wrong-code", Said::new("error.room.wrong-code")));
    }
    let fields = ParticipantFields { name: request.name, organization_id: request.organization_id };
    let added = blocking(&state, move |store, session| {
        let fields = fields.validated()?;
        let stamp = Stamp::new(now(), Actor::moving_as(&fields.name));
        store.add_participant(session, &fields, stamp)
    })
    .await?;
    state.nudge.notify_one();
    let participant_id = added.value.id.clone();
    let token = state.seats.seat(Seat { name: added.value.name.clone(), participant_id: participant_id.clone() });
    Ok(Json(Joined { token, participant_id }))
}

/// `GET /api/session`: the session in the interchange format, with what the page needs
/// beside it: the revision it is at, who the device is, and where the decision-makers'
/// band starts.
async fn session(Shared(state): Shared<Arc<State>>, headers: HeaderMap) -> Result<Response, Failure> {
    let seat = seat_of(&state, &headers)?;
    let (revision, document) = blocking(&state, |store, session| {
        // The revision first: a change landing in between is then in the document and
        // also arrives on the socket (applying it again changes nothing), never lost.
        let revision = store.load_session(session)?.revision;
        Ok((revision, store.export_document(session)?))
    })
    .await?;
    let mut body = serde_json::to_value(document).map_err(|_| Failure::internal())?;
    if let Some(fields) = body.as_object_mut() {
        fields.insert("revision".into(), revision.into());
        fields.insert("participantId".into(), seat.participant_id.into());
        fields.insert("decisionBand".into(), powermap_core::facts::Facts::now().decision_band.into());
    }
    Ok(Json(body).into_response())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeakFor {
    organization_id: Option<String>,
}

/// `PUT /api/me`: which organization the seat's participant speaks for (none with `null`).
async fn speak_for(
    Shared(state): Shared<Arc<State>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<powermap_core::model::Participant>, Failure> {
    let seat = seat_of(&state, &headers)?;
    let request: SpeakFor = parse(&body)?;
    let changed = blocking(&state, move |store, session| {
        // The participant's name as it is now: the facilitator may have corrected it.
        let name = store
            .load_session(session)?
            .participants
            .into_iter()
            .find(|p| p.id == seat.participant_id)
            .map(|p| p.name)
            .ok_or_else(|| powermap_core::Error::NotFound("error.room.name-removed".into()))?;
        let fields = ParticipantFields { name, organization_id: request.organization_id };
        let stamp = Stamp::new(now(), Actor::Participant { name: seat.name });
        store.update_participant(&seat.participant_id, &fields, stamp)
    })
    .await?;
    state.nudge.notify_one();
    Ok(Json(changed.value))
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
    let seat = seat_of(&state, &headers)?;
    let request: Move = parse(&body)?;
    let point = Point::new(request.x, request.y).map_err(Failure::from)?;
    let change = blocking(&state, move |store, session| {
        if store.grid_session(&request.grid_id)? != session {
            return Err(powermap_core::Error::NotFound("error.room.grid-not-in-session".into()));
        }
        let stamp = Stamp::new(now(), Actor::Participant { name: seat.name });
        store.place_card(&request.grid_id, &request.organization_id, point, stamp)
    })
    .await?;
    state.nudge.notify_one();
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
    let seat = seat_of(&state, &headers)?;
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
    let seat = seat_of(&state, &headers)?;
    let request: RoundAnswer = parse(&body)?;
    let point = Point::new(request.x, request.y).map_err(Failure::from)?;
    let progress = blocking(&state, move |store, session| {
        let Some(own) = store.open_round_for(session, &seat.participant_id)? else {
            return Err(powermap_core::Error::Conflict("error.room.no-round".into()));
        };
        store.answer_round(&own.round.id, &seat.participant_id, &seat.name, &request.organization_id, point, now())
    })
    .await?;
    Ok(Json(progress))
}

#[derive(Deserialize)]
struct LiveQuery {
    #[serde(default)]
    token: String,
}

/// `GET /api/live?token=…`: a WebSocket on which every change of the session arrives as a
/// JSON text message. Only pages of this server may open it (the Origin is checked).
async fn live(
    Shared(state): Shared<Arc<State>>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, Failure> {
    state.seats.get(&query.token).ok_or_else(Failure::unauthorized)?;
    if let Some(origin) = headers.get(header::ORIGIN) {
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
        if origin.to_str().ok() != Some(format!("http://{host}").as_str()) {
            return Err(Failure::new(StatusCode::FORBIDDEN, "wrong-origin", Said::new("error.room.wrong-origin")));
        }
    }
    let upgrade = upgrade.max_message_size(MAX_MESSAGE).max_frame_size(MAX_MESSAGE);
    Ok(upgrade.on_upgrade(move |socket| forward(state, socket)))
}

/// Sends every change to one device until it leaves or the room stops. What the device
/// sends is not read for anything (the API is HTTP); its messages are only capped.
async fn forward(state: Arc<State>, mut socket: WebSocket) {
    let mut changes = state.live.subscribe();
    let mut stopped = state.stopped.clone();
    loop {
        tokio::select! {
            change = changes.recv() => {
                let text: Arc<str> = match change {
                    Ok(text) => text,
                    Err(broadcast::error::RecvError::Lagged(_)) => Arc::from(RELOAD),
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if socket.send(Message::Text(text.as_ref().into())).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            },
            _ = crate::until_stopped(&mut stopped) => {
                let _ = socket.send(Message::Close(None)).await;
                return;
            }
        }
    }
}
