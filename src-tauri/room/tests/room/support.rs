use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use powermap_core::model::{SessionChange, SessionData};
use powermap_core::store::{Publication, Subscription};
use powermap_core::Store;
use powermap_room::{Limits, Room, RoomEvent, RoomOptions};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// A database with the sample session (served) and another session (not served).
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub store: Arc<Store>,
    pub session: String,
    pub other: String,
    pub room: Room,
    /// What the room told of its door, in order.
    pub events: Arc<Mutex<Vec<RoomEvent>>>,
}

pub fn setup() -> Setup {
    setup_with(Limits::default())
}

pub fn setup_with(limits: Limits) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("room.db")).unwrap());
    let session = store.create_sample_session(1).unwrap();
    let other = store.create_sample_session(2).unwrap();
    let (room, events) = start(&store, &session, limits);
    Setup { dir, store, session, other, room, events }
}

/// Starts a room on `session` of `store` on 127.0.0.1, recording its events.
pub fn start(store: &Arc<Store>, session: &str, limits: Limits) -> (Room, Arc<Mutex<Vec<RoomEvent>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let heard = events.clone();
    let options =
        RoomOptions::default().limits(limits).on_event(move |event| heard.lock().unwrap().push(event.clone()));
    let room = Room::start_with(store.clone(), session, "127.0.0.1:0".parse().unwrap(), options).unwrap();
    (room, events)
}

/// Every change `store` publishes from now on, as the window hears them (kept until the
/// subscription is dropped).
pub fn hear_changes(store: &Store) -> (Arc<Mutex<Vec<SessionChange>>>, Subscription) {
    let heard = Arc::new(Mutex::new(Vec::new()));
    let ear = heard.clone();
    let subscription = store.subscribe(move |told| {
        if let Publication::Change(change) = told {
            ear.lock().unwrap().push((**change).clone());
        }
    });
    (heard, subscription)
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// A request as a browser on the room's page sends it (Host the room's address, a JSON
/// body); `from` picks the loopback address it comes from (127.0.0.1 when `None`).
pub struct Call<'a> {
    pub method: Method,
    pub path: &'a str,
    pub token: Option<&'a str>,
    pub body: Vec<u8>,
    pub headers: Vec<(&'a str, String)>,
    pub from: Option<IpAddr>,
    pub host: Option<String>,
}

impl<'a> Call<'a> {
    pub fn new(method: Method, path: &'a str) -> Call<'a> {
        Call { method, path, token: None, body: Vec::new(), headers: Vec::new(), from: None, host: None }
    }
    pub fn token(mut self, token: &'a str) -> Self {
        self.token = Some(token);
        self
    }
    pub fn json(mut self, body: Value) -> Self {
        self.body = body.to_string().into_bytes();
        self
    }
    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = body;
        self
    }
    pub fn header(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    pub fn from(mut self, address: IpAddr) -> Self {
        self.from = Some(address);
        self
    }
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// Sends it on a new connection: the status, the headers and the body as JSON (Null if
    /// it is not JSON).
    pub async fn send(self, address: SocketAddr) -> (StatusCode, hyper::HeaderMap, Value) {
        let (status, headers, bytes) = self.send_raw(address).await;
        (status, headers, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub async fn send_raw(self, address: SocketAddr) -> (StatusCode, hyper::HeaderMap, Vec<u8>) {
        let stream = connect_from(address, self.from).await;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
        tokio::spawn(connection);
        let mut request = Request::builder()
            .method(self.method)
            .uri(self.path)
            .header("host", self.host.unwrap_or_else(|| address.to_string()));
        if !self.body.is_empty() {
            request = request.header("content-type", "application/json");
        }
        if let Some(token) = self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in self.headers {
            request = request.header(name, value);
        }
        let response = sender.send_request(request.body(Full::new(Bytes::from(self.body))).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
        (status, headers, bytes)
    }
}

/// A TCP connection to `address` from the loopback address `from` (127.0.0.1 when `None`):
/// every 127.x.y.z is this computer, so one test can be many devices.
pub async fn connect_from(address: SocketAddr, from: Option<IpAddr>) -> tokio::net::TcpStream {
    match from {
        None => tokio::net::TcpStream::connect(address).await.unwrap(),
        Some(from) => {
            let socket = tokio::net::TcpSocket::new_v4().unwrap();
            socket.bind(SocketAddr::new(from, 0)).unwrap();
            socket.connect(address).await.unwrap()
        }
    }
}

/// The loopback address of device `n` (1 → 127.0.1.1, …).
pub fn device(n: u32) -> IpAddr {
    let n = n + 256;
    IpAddr::from([127, 0, (n >> 8) as u8, (n & 0xff) as u8])
}

/// One request, as [`Call`]: status and JSON body.
pub async fn call(
    address: SocketAddr,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let mut request = Call::new(method, path).body(body);
    request.token = token;
    let (status, _, body) = request.send(address).await;
    (status, body)
}

pub async fn post(address: SocketAddr, path: &str, body: Value) -> (StatusCode, Value) {
    call(address, Method::POST, path, None, body.to_string().into_bytes()).await
}

/// Joins as `name`; returns the token.
pub async fn join(setup: &Setup, name: &str) -> String {
    join_room(&setup.room, name).await
}

pub async fn join_room(room: &Room, name: &str) -> String {
    let (status, body) = post(room.address(), "/api/join", json!({"code": room.code(), "name": name})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_string()
}

pub fn data(setup: &Setup) -> SessionData {
    setup.store.load_session(&setup.session).unwrap()
}

/// A code that is not the room's.
pub fn wrong_code(room: &Room) -> &'static str {
    if room.code() == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// A device's end of the live stream.
pub type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens the live WebSocket with `token`, as a page of `origin` would.
pub async fn open_live(
    address: SocketAddr,
    token: &str,
    origin: Option<&str>,
) -> Result<Socket, tokio_tungstenite::tungstenite::Error> {
    let mut request = format!("ws://{address}/api/live?token={token}").into_client_request().unwrap();
    if let Some(origin) = origin {
        request.headers_mut().insert("origin", origin.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request).await.map(|(socket, _)| socket)
}

/// The next text message, as JSON and as its text, within 2 s.
pub async fn next_text(socket: &mut Socket) -> (Value, String) {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(2), socket.next()).await.expect("a message in time");
        match message.expect("the socket is open").expect("a message") {
            Message::Text(text) => return (serde_json::from_str(&text).unwrap(), text.to_string()),
            Message::Ping(_) | Message::Pong(_) => continue,
            other => panic!("unexpected message {other:?}"),
        }
    }
}

/// The next text message, as JSON, within 2 s.
pub async fn next(socket: &mut Socket) -> Value {
    next_text(socket).await.0
}

/// Whether the server closes `socket` within `limit` (messages before the close are skipped).
pub async fn closes(socket: &mut Socket, limit: Duration) -> bool {
    let closed = async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => continue,
            }
        }
    };
    tokio::time::timeout(limit, closed).await.is_ok()
}
