//! What every request of one room shares, and how a refusal is answered: JSON
//! `{code, message}`, the message in the device's language.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use powermap_core::i18n::{Lang, Said};
use powermap_core::{ErrorCode, Store};
use tokio::sync::{broadcast, watch};

use crate::door::{RoomEvent, Watch};
use crate::limits::Limits;
use crate::nearby::Tickets;
use crate::seats::Seats;

/// How many messages a device may fall behind before it is told to read the session anew.
const BACKLOG: usize = 512;

/// A message of the live feed, made once for every device.
#[derive(Debug)]
pub(crate) struct Outgoing {
    /// The JSON text each device receives.
    pub text: Arc<str>,
    /// Participants taken out of the session by this change: their sockets close.
    pub out: Vec<String>,
}

impl Outgoing {
    pub fn text(text: &str) -> Arc<Outgoing> {
        Arc::new(Outgoing { text: Arc::from(text), out: Vec::new() })
    }
}

/// What every request shares: the store, the one session, the door, the stream of changes.
pub(crate) struct State {
    pub store: Arc<Store>,
    pub session_id: String,
    /// Where the room listens: the only host its requests may name.
    pub address: SocketAddr,
    pub seats: Seats,
    pub limits: Limits,
    /// Every change of the session, as each device receives it.
    pub live: broadcast::Sender<Arc<Outgoing>>,
    pub stopped: watch::Receiver<bool>,
    pub watch: Watch,
    /// The tickets given to laptops nearby syncing the shared campaign.
    pub nearby: Tickets,
}

impl State {
    pub fn new(
        store: Arc<Store>,
        session_id: String,
        address: SocketAddr,
        limits: Limits,
        stopped: watch::Receiver<bool>,
        watch: Watch,
    ) -> State {
        let (live, _) = broadcast::channel(BACKLOG);
        let seats = Seats::new(limits.clone());
        let nearby = Tickets::new(limits.ticket_time);
        State { store, session_id, address, seats, limits, live, stopped, watch, nearby }
    }

    pub fn tell(&self, event: RoomEvent) {
        self.watch.tell(event);
    }
}

tokio::task_local! {
    /// The language of the device whose request is being answered.
    pub(crate) static DEVICE_LANGUAGE: Lang;
}

/// A refusal: its status, a code to branch on, and a message for the person (said in their
/// device's language when the answer is made).
#[derive(Debug)]
pub(crate) struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub said: Said,
}

impl Failure {
    pub fn new(status: StatusCode, code: &'static str, said: Said) -> Failure {
        Failure { status, code, said }
    }

    pub fn unauthorized() -> Failure {
        Failure::new(StatusCode::UNAUTHORIZED, "not-joined", Said::new("error.room.not-joined"))
    }

    pub fn internal() -> Failure {
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", Said::new("error.room.internal"))
    }

    /// The refusal for a bare status (a route that is not there, a method it does not
    /// take, a body too large…), said in words.
    pub fn of_status(status: StatusCode) -> Failure {
        let (code, key) = match status.as_u16() {
            400 => ("bad-request", "error.room.bad-request-plain"),
            404 => ("no-such-route", "error.room.no-such-route"),
            405 => ("method-not-allowed", "error.room.method-not-allowed"),
            408 => ("too-slow", "error.room.too-slow"),
            401 => ("not-paired", "error.nearby.not-paired"),
            413 => ("too-large", "error.room.too-large"),
            415 => ("not-json", "error.room.not-json"),
            426 => ("upgrade-required", "error.room.upgrade-required"),
            429 => ("too-many-requests", "error.room.too-many-requests"),
            503 => ("busy", "error.room.busy"),
            _ if status.is_client_error() => ("bad-request", "error.room.bad-request-plain"),
            _ => ("internal", "error.room.internal"),
        };
        Failure::new(status, code, Said::new(key))
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
