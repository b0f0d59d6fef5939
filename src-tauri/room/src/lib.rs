//! The room server: one session served to the participants' own devices on the room's
//! local network — axum on tokio, no Tauri. A participant's browser joins with the room's
//! code and a name, reads the session, moves cards (stored as that participant's moves),
//! and follows every change to the session, whoever made it, over a WebSocket.
//!
//! The API is documented in `docs/room-api.md`. Invariants kept here:
//! - only the one session is reachable; a participant cannot delete, export, or see other
//!   sessions, and a phone is sent only what its page draws (never who answered what in a
//!   private round);
//! - every request is checked (its Host and Origin, its body's type, size and time, typed
//!   values, ids of this session) before anything is stored; wrong codes are slowed down
//!   per address and change the code after too many from anywhere;
//! - every device is bounded: its connections, its sockets, what waits unsent to it, the
//!   time it may take; one that does not read or never finishes is cut off;
//! - the database is used on a bounded number of blocking threads, never on the server's
//!   async ones, and a slow or vanished phone never holds up the others (each follows the
//!   changes on its own; one that falls behind is told to read the session anew);
//! - stopping the room (or dropping it) ends every connection.

mod api;
mod door;
mod feed;
mod guard;
mod limits;
mod live;
pub mod nearby;
mod page;
pub mod phone;
mod seats;
mod serve;
mod state;

pub use door::{Block, DoorCounts, RoomEvent};
pub use limits::{open_file_limit, raise_open_file_limit, Limits};

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use powermap_core::Store;
use tokio::sync::watch;

/// The port a room listens on unless told otherwise (another, if it is taken).
pub const DEFAULT_PORT: u16 = 8470;

/// Why a room could not start.
#[derive(Debug, thiserror::Error)]
pub enum RoomError {
    /// The session cannot be served (gone, or the database failed).
    #[error("{0}")]
    Session(#[from] powermap_core::Error),
    /// The address cannot be listened on (in use, or not this computer's).
    #[error("Powermap cannot listen on {address}: {source}")]
    Listen { address: SocketAddr, source: std::io::Error },
    #[error("the room's threads could not start: {0}")]
    Runtime(std::io::Error),
}

/// A running room: where it listens, its code, and the way to stop it. Dropping it stops
/// it too.
pub struct Room {
    address: SocketAddr,
    session_id: String,
    state: Arc<state::State>,
    stop: watch::Sender<bool>,
    runtime: Option<tokio::runtime::Runtime>,
}

/// How a room is started: its limits, and who hears its door's events. (The session's
/// changes are the store's to publish: subscribe to the store for them.)
#[derive(Default)]
pub struct RoomOptions {
    limits: Limits,
    observer: Option<door::Observer>,
}

impl RoomOptions {
    /// Runs with `limits` instead of the default ones.
    pub fn limits(mut self, limits: Limits) -> RoomOptions {
        self.limits = limits;
        self
    }

    /// Tells `observer` what happens at the door: joins, wrong codes, devices turned away,
    /// the code changing.
    pub fn on_event(mut self, observer: impl Fn(&RoomEvent) + Send + Sync + 'static) -> RoomOptions {
        self.observer = Some(Box::new(observer));
        self
    }
}

impl Room {
    /// Starts serving the session `session_id` of `store` on `bind` (port 0 takes any free
    /// port), with a new room code.
    ///
    /// Errors: the session is gone; the address cannot be listened on.
    pub fn start(store: Arc<Store>, session_id: &str, bind: SocketAddr) -> Result<Room, RoomError> {
        Room::start_with(store, session_id, bind, RoomOptions::default())
    }

    /// [`Room::start`] with `options`.
    pub fn start_with(
        store: Arc<Store>,
        session_id: &str,
        bind: SocketAddr,
        options: RoomOptions,
    ) -> Result<Room, RoomError> {
        limits::raise_open_file_limit();
        let revision = store.load_session(session_id)?.revision;
        // The command line's and a second Powermap's writes reach the phones too.
        store.watch_other_programs()?;
        let RoomOptions { limits, observer } = options;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(limits.blocking_threads.max(1))
            .thread_name("powermap-room")
            .enable_all()
            .build()
            .map_err(RoomError::Runtime)?;
        // Bound here, without blocking on the runtime: the caller may itself be on one (a
        // command of the window).
        let listen = |source| RoomError::Listen { address: bind, source };
        let socket = std::net::TcpListener::bind(bind).map_err(listen)?;
        socket.set_nonblocking(true).map_err(listen)?;
        let address = socket.local_addr().map_err(listen)?;
        let listener_socket = {
            let _inside = runtime.enter();
            tokio::net::TcpListener::from_std(socket).map_err(listen)?
        };
        let (stop, stopped) = watch::channel(false);
        let state = Arc::new(state::State::new(
            store,
            session_id.to_string(),
            address,
            limits,
            stopped.clone(),
            door::Watch::new(observer.unwrap_or_else(|| Box::new(|_| {}))),
        ));
        runtime.spawn(feed::follow(state.clone(), revision, stopped.clone()));
        let app = api::router(state.clone());
        runtime.spawn(serve::serve(listener_socket, app, state.clone(), stopped));
        Ok(Room { address, session_id: session_id.to_string(), state, stop, runtime: Some(runtime) })
    }

    /// Where the room listens.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The address participants open: `http://<address>/`.
    pub fn join_url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// The session the room serves.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    /// A QR code of [`Room::join_url`] for the projector (a phone's camera opens the page):
    /// its rows of modules, `true` for dark, without the quiet zone around it.
    pub fn join_qr(&self) -> Vec<Vec<bool>> {
        qr_modules(&self.join_url())
    }

    /// The room code participants type now: 6 digits. It changes when too many wrong codes
    /// were tried ([`RoomEvent::CodeChanged`]).
    pub fn code(&self) -> String {
        self.state.seats.code()
    }

    /// How many devices have joined since the room started.
    pub fn joined(&self) -> usize {
        self.state.watch.counts().joins as usize
    }

    /// What happened at the door since the room started: joins, wrong codes, devices turned
    /// away, code changes — each counted, with when last.
    pub fn door(&self) -> DoorCounts {
        self.state.watch.counts()
    }

    /// Serves until Ctrl+C or SIGTERM (the command line's `powermap serve`). If no device has
    /// joined after `quiet`, calls `hint` once (to say what to check).
    pub fn serve_until_signal(&self, quiet: Duration, hint: impl FnOnce()) {
        let Ok(waiting) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
            return;
        };
        waiting.block_on(async {
            let mut hint = Some(hint);
            let terminate = async {
                #[cfg(unix)]
                {
                    use tokio::signal::unix::{signal, SignalKind};
                    if let Ok(mut term) = signal(SignalKind::terminate()) {
                        term.recv().await;
                        return;
                    }
                }
                std::future::pending::<()>().await
            };
            tokio::pin!(terminate);
            let interrupt = tokio::signal::ctrl_c();
            tokio::pin!(interrupt);
            let quiet_over = tokio::time::sleep(quiet);
            tokio::pin!(quiet_over);
            loop {
                tokio::select! {
                    _ = &mut interrupt => return,
                    _ = &mut terminate => return,
                    _ = &mut quiet_over, if hint.is_some() => {
                        if self.joined() == 0 {
                            if let Some(hint) = hint.take() {
                                hint();
                            }
                        }
                        hint = None;
                    }
                }
            }
        });
    }

    /// Stops the room: no new requests, every WebSocket closed, every token void.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let _ = self.stop.send(true);
        if let Some(runtime) = self.runtime.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // On another runtime's thread, waiting is not allowed: the tasks end on
                // their own (every one of them watches the stop signal).
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(2));
            }
        }
    }
}

impl Drop for Room {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// Returns once the room is told to stop (or the one who could tell it is gone).
pub(crate) async fn until_stopped(stopped: &mut watch::Receiver<bool>) {
    while !*stopped.borrow_and_update() {
        if stopped.changed().await.is_err() {
            return;
        }
    }
}

/// This computer's address on the local network: the one of the interface the default
/// route leaves by (so not a container's or a VPN's adapter), found without sending
/// anything; `None` without a network.
pub fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // Connecting a UDP socket sends nothing: it only asks the kernel for the route.
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let address = socket.local_addr().ok()?.ip();
    (!address.is_unspecified() && !address.is_loopback()).then_some(address)
}

/// `text` as a QR code: rows of modules, `true` for dark; empty if it does not fit one (an
/// address or a campaign key always does; the words remain beside it).
pub fn qr_modules(text: &str) -> Vec<Vec<bool>> {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => {
            let width = code.width();
            let dark: Vec<bool> = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
            dark.chunks(width).map(<[bool]>::to_vec).collect()
        }
        Err(_) => Vec::new(),
    }
}
