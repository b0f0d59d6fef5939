//! The room's own accept loop: each connection served by hyper with a deadline for its
//! request headers (an idle kept-alive connection is closed the same way), and no address
//! holding more than its share of connections at once. Stopping the room ends every
//! connection.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt;

use crate::door::{Block, RoomEvent};
use crate::state::State;

/// Open connections per address.
#[derive(Default, Clone)]
struct Open(Arc<Mutex<HashMap<IpAddr, usize>>>);

/// One open connection of an address, given back when dropped.
struct Held {
    open: Open,
    address: IpAddr,
}

impl Open {
    fn take(&self, address: IpAddr, most: usize) -> Option<Held> {
        let mut open = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let count = open.entry(address).or_default();
        if *count >= most {
            return None;
        }
        *count += 1;
        Some(Held { open: self.clone(), address })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` until the room stops.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    state: Arc<State>,
    mut stopped: watch::Receiver<bool>,
) {
    let open = Open::default();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = crate::until_stopped(&mut stopped) => return,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            // Out of file descriptors, or a connection reset before it was taken: a moment
            // for others to close, then on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(held) = open.take(peer.ip(), state.limits.connections_per_address) else {
            state.tell(RoomEvent::Blocked { address: peer.ip(), why: Block::Connections });
            tokio::spawn(turn_away(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = router.clone().map_request(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let request_time = state.limits.request_time;
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let _held = held;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(request_time).keep_alive(true);
            let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
            let connection = connection.with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = crate::until_stopped(&mut stopped) => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(1), connection).await;
                }
            }
        });
    }
}

/// Answers a connection over its address's share with a JSON refusal, and closes it.
async fn turn_away(mut stream: TcpStream) {
    let body = r#"{"code":"too-many-connections","message":"Too many connections from this device at once."}"#;
    let answer = format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
}
