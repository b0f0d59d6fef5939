//! Load benchmark of the room (issues 10 and 26): simulated phones, each moving a card once a
//! second over loopback, every one of them following the session on its own WebSocket, as
//! phones do — first the 60 of issue 10, then a full hall of 200. For each, prints the moves
//! sent, answered and stored (all of them, or the run failed), the time from a move being
//! sent to its change reaching every phone (p50, p99, worst; target p99 ≤ 100 ms), the bytes
//! each phone received per move (target ≤ 200), and the server's CPU time (target ≤ one
//! core) and memory.
//!
//! The server runs in a process of its own (this binary, started again as the server), so
//! its CPU and memory are its own; the phones share the machine's cores with it, as they
//! would not in a room. Each phone comes from its own loopback address (127.0.x.y), as each
//! phone in a room has its own.
//!
//! Run: `cargo bench -p powermap-room --bench load` (or `./dev bench room`).
//! `POWERMAP_LOAD_PARTICIPANTS` runs that many phones only; `POWERMAP_LOAD_SECONDS` changes
//! the 60 s of each run.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use powermap_core::Store;
use powermap_room::Room;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

const SERVE: &str = "POWERMAP_LOAD_SERVE";

fn setting(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0)
}

fn main() {
    if let Ok(db) = std::env::var(SERVE) {
        serve(&db);
        return;
    }
    let seconds = setting("POWERMAP_LOAD_SECONDS").unwrap_or(60);
    let halls = match setting("POWERMAP_LOAD_PARTICIPANTS") {
        Some(n) => vec![n],
        None => vec![60, 200],
    };
    let mut failed = false;
    for phones in halls {
        failed |= !hall(phones, seconds);
    }
    if failed {
        std::process::exit(1);
    }
}

/// One run with `phones` phones for `seconds`; whether every move was stored and seen by
/// every phone.
fn hall(phones: usize, seconds: usize) -> bool {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("load.db");
    let session = Store::open(&db).and_then(|s| s.create_sample_session(1)).expect("the sample session");

    let mut server = Command::new(std::env::current_exe().expect("this benchmark's path"))
        .env(SERVE, &db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the server process");
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("the server's output")).read_line(&mut line).expect("its address");
    let (address, code) = line.trim().split_once(' ').expect("'address code'");
    let address: SocketAddr = address.parse().expect("an address");
    let pid = server.id();
    println!();
    println!("Room load: {phones} phones, each moving a card every second for {seconds} s, on 127.0.0.1");

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let report = runtime.block_on(run(address, code.to_string(), phones, seconds, pid));

    let revision_after = Store::open(&db).and_then(|s| s.load_session(&session)).expect("the session").revision;
    let (_, peak, rss) = process_figures(pid);
    if let Some(mut stdin) = server.stdin.take() {
        let _ = stdin.write_all(b"stop\n");
    }
    let _ = server.wait();

    let stored = revision_after - report.revision_before;
    println!("moves sent: {}, answered 200: {}, stored: {stored}", report.sent, report.answered);
    let mut latencies = report.latencies;
    latencies.sort();
    let at = |q: f64| latencies.get(((latencies.len() as f64 - 1.0) * q).round() as usize).copied();
    let ms = |d: Option<Duration>| d.map_or("–".to_string(), |d| format!("{:.1} ms", d.as_secs_f64() * 1000.0));
    println!(
        "move → its change at every phone ({} moves, {} deliveries): p50 {}, p99 {} (target ≤ 100 ms), worst {}",
        latencies.len(),
        report.deliveries,
        ms(at(0.5)),
        ms(at(0.99)),
        ms(latencies.last().copied()),
    );
    println!("moves not seen by every phone: {}; told to reload: {}", report.incomplete, report.reloads);
    if report.deliveries > 0 {
        println!(
            "bytes on the wire per move per phone: {:.0} (target ≤ 200; the WebSocket frames of the moves)",
            report.move_bytes as f64 / report.deliveries as f64
        );
    }
    let cpu = report.server_cpu;
    println!(
        "server: {cpu:.1} s of CPU in the {seconds} s of moves ({:.0} % of one core; target ≤ 100 %), memory {rss} MiB now, {peak} MiB at most",
        cpu / seconds as f64 * 100.0
    );
    let all_stored = report.sent == report.answered && stored == report.sent as i64;
    if !all_stored || report.incomplete > 0 {
        eprintln!("FAILED: not every move was stored and seen by every phone");
        return false;
    }
    true
}

/// The server: the room on the database's session, until its standard input closes.
fn serve(db: &str) {
    let store = Arc::new(Store::open(std::path::Path::new(db)).expect("the database"));
    let session = store.list_sessions().expect("its sessions")[0].id.clone();
    let room = Room::start(store, &session, "127.0.0.1:0".parse().expect("an address")).expect("the room");
    println!("{} {}", room.address(), room.code());
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    room.stop();
}

/// CPU seconds used, peak and current resident memory (MiB) of process `pid`.
fn process_figures(pid: u32) -> (f64, u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let ticks: f64 = [11, 12].iter().filter_map(|&i| fields.get(i)?.parse::<f64>().ok()).sum();
    // The kernel counts in clock ticks: 100 a second on Linux.
    let cpu = ticks / 100.0;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (cpu, kib("VmHWM:") / 1024, kib("VmRSS:") / 1024)
}

struct Report {
    revision_before: i64,
    sent: usize,
    answered: usize,
    deliveries: usize,
    latencies: Vec<Duration>,
    incomplete: usize,
    reloads: usize,
    /// The bytes of the moves' WebSocket frames every phone received.
    move_bytes: usize,
    /// The server's CPU seconds during the moves.
    server_cpu: f64,
}

/// When each phone's k-th move was sent, and when each phone saw it.
struct Clock {
    sent: Vec<Vec<Option<Instant>>>,
    seen: Vec<Vec<Vec<Instant>>>,
    reloads: usize,
    move_bytes: usize,
}

/// The loopback address of phone `i`: 127.0.1.0, 127.0.1.1, …
fn phone_address(i: usize) -> IpAddr {
    let n = i + 256;
    IpAddr::from([127, 0, (n >> 8) as u8, (n & 0xff) as u8])
}

/// A TCP connection to `address` from phone `i`'s own address.
async fn connect(address: SocketAddr, i: usize) -> std::io::Result<tokio::net::TcpStream> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(phone_address(i), 0))?;
    socket.connect(address).await
}

/// A WebSocket frame's size on the wire from the server (unmasked): its payload and header.
fn frame_bytes(payload: usize) -> usize {
    payload
        + match payload {
            0..=125 => 2,
            126..=65535 => 4,
            _ => 10,
        }
}

async fn run(address: SocketAddr, code: String, phones: usize, seconds: usize, pid: u32) -> Report {
    let clock = Arc::new(Mutex::new(Clock {
        sent: vec![vec![None; seconds]; phones],
        seen: vec![vec![Vec::new(); seconds]; phones],
        reloads: 0,
        move_bytes: 0,
    }));
    // Everyone joins and follows the session first.
    let mut seats = Vec::new();
    let mut who = HashMap::new();
    for i in 0..phones {
        let body = json!({"code": code, "name": format!("Phone {i}")});
        let joined = call(address, i, Method::POST, "/api/join", None, body).await;
        seats.push(joined["token"].as_str().expect("a token").to_string());
        who.insert(joined["participantId"].as_str().expect("an id").to_string(), i);
    }
    let who = Arc::new(who);
    let session = call(address, 0, Method::GET, "/api/session", Some(&seats[0]), Value::Null).await;
    let revision_before = session["revision"].as_i64().expect("a revision");
    let grid = session["grids"][0]["id"].as_str().expect("a grid").to_string();
    let cards: Vec<String> =
        session["organizations"].as_array().expect("cards").iter().map(|o| o["id"].as_str().unwrap().into()).collect();
    let mut followers = Vec::new();
    for (i, token) in seats.iter().enumerate() {
        let stream = connect(address, i).await.expect("a connection");
        let url = format!("ws://{address}/api/live?token={token}");
        let (socket, _) = tokio_tungstenite::client_async(url, stream).await.expect("the live feed");
        let (clock, who) = (clock.clone(), who.clone());
        followers.push(tokio::spawn(async move {
            let (_, mut incoming) = socket.split();
            while let Some(Ok(message)) = incoming.next().await {
                let arrived = Instant::now();
                let Message::Text(text) = message else { continue };
                let Ok(change) = serde_json::from_str::<Value>(&text) else { continue };
                if change.get("reload").is_some() {
                    clock.lock().unwrap().reloads += 1;
                    continue;
                }
                let (Some(mover), Some(x)) = (
                    change["by"].as_str().and_then(|id| who.get(id)).copied(),
                    change["moves"].get(0).and_then(|m| m[2].as_f64()),
                ) else {
                    continue;
                };
                let k = ((x - 0.1) * 100.0).round() as usize;
                let mut clock = clock.lock().unwrap();
                clock.move_bytes += frame_bytes(text.len());
                if let Some(seen) = clock.seen.get_mut(mover).and_then(|s| s.get_mut(k)) {
                    seen.push(arrived);
                }
            }
        }));
    }

    // Then each moves a card once a second, the phones spread over the second.
    let cpu_before = process_figures(pid).0;
    let start = Instant::now() + Duration::from_millis(200);
    let mut movers = Vec::new();
    for (i, token) in seats.iter().enumerate() {
        let (token, grid, card, clock) = (token.clone(), grid.clone(), cards[i % cards.len()].clone(), clock.clone());
        let offset = Duration::from_secs_f64(i as f64 / phones as f64);
        movers.push(tokio::spawn(async move {
            let mut answered = 0;
            for k in 0..seconds {
                tokio::time::sleep_until((start + offset + Duration::from_secs(k as u64)).into()).await;
                let body = json!({"gridId": grid, "organizationId": card, "x": 0.1 + k as f64 / 100.0, "y": 0.5});
                clock.lock().unwrap().sent[i][k] = Some(Instant::now());
                let reply = call(address, i, Method::PUT, "/api/placements", Some(&token), body).await;
                if reply.get("revision").is_some() {
                    answered += 1;
                }
            }
            answered
        }));
    }
    let mut answered = 0;
    for mover in movers {
        answered += mover.await.unwrap_or(0);
    }
    let server_cpu = process_figures(pid).0 - cpu_before;
    // The last changes arrive.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for follower in followers {
        follower.abort();
    }

    let clock = clock.lock().unwrap();
    let mut report = Report {
        revision_before,
        sent: 0,
        answered,
        deliveries: 0,
        latencies: Vec::new(),
        incomplete: 0,
        reloads: clock.reloads,
        move_bytes: clock.move_bytes,
        server_cpu,
    };
    for (i, moves) in clock.sent.iter().enumerate() {
        for (k, sent) in moves.iter().enumerate() {
            let Some(sent) = sent else { continue };
            report.sent += 1;
            let seen = &clock.seen[i][k];
            report.deliveries += seen.len();
            // Every phone follows the session, the mover's too: all of them must see it.
            if seen.len() < phones {
                report.incomplete += 1;
                continue;
            }
            let last = seen.iter().max().copied().unwrap_or(*sent);
            report.latencies.push(last.saturating_duration_since(*sent));
        }
    }
    report
}

/// One request from phone `i`'s address on a new connection; the reply as JSON (Null if it
/// is not JSON).
async fn call(address: SocketAddr, i: usize, method: Method, path: &str, token: Option<&str>, body: Value) -> Value {
    let Ok(stream) = connect(address, i).await else { return Value::Null };
    let Ok((mut sender, connection)) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await else {
        return Value::Null;
    };
    tokio::spawn(connection);
    let mut request = Request::builder().method(method).uri(path).header("host", address.to_string());
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let body = if body.is_null() {
        Vec::new()
    } else {
        request = request.header("content-type", "application/json");
        body.to_string().into_bytes()
    };
    let Ok(request) = request.body(Full::new(Bytes::from(body))) else { return Value::Null };
    let Ok(response) = sender.send_request(request).await else { return Value::Null };
    let Ok(bytes) = response.into_body().collect().await else { return Value::Null };
    serde_json::from_slice(&bytes.to_bytes()).unwrap_or(Value::Null)
}
