//! Load benchmark of the room (issue 10): 60 simulated participants, each moving a card once
//! a second for 60 s over loopback, every one of them following the session on its own
//! WebSocket, as phones do. Prints the moves sent, answered and stored (all of them, or
//! the run failed), the time from a move being sent to its change reaching every other
//! participant (p50, p99, worst; target p99 ≤ 100 ms), and the server's CPU time and
//! memory.
//!
//! The server runs in a process of its own (this binary, started again as the server), so
//! its CPU and memory are its own; the participants share the other core(s) with it, as
//! they would not in a room.
//!
//! Run: `cargo bench -p powermap-room --bench load` (or `./dev bench room`).
//! `POWERMAP_LOAD_PARTICIPANTS` and `POWERMAP_LOAD_SECONDS` change the 60 and the 60.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
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

const SERVE: &str = "POWERMAP_LOAD_SERVE";

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|&n| n > 0).unwrap_or(default)
}

fn main() {
    if let Ok(db) = std::env::var(SERVE) {
        serve(&db);
        return;
    }
    let participants = setting("POWERMAP_LOAD_PARTICIPANTS", 60);
    let seconds = setting("POWERMAP_LOAD_SECONDS", 60);
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
    println!("Room load: {participants} participants, each moving a card every second for {seconds} s, on 127.0.0.1");

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    let report = runtime.block_on(run(address, code.to_string(), participants, seconds));

    let revision_after = Store::open(&db).and_then(|s| s.load_session(&session)).expect("the session").revision;
    let (cpu, peak, rss) = process_figures(pid);
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
        "move → its change at every other participant ({} moves, {} deliveries): p50 {}, p99 {} (target ≤ 100 ms), worst {}",
        latencies.len(),
        report.deliveries,
        ms(at(0.5)),
        ms(at(0.99)),
        ms(latencies.last().copied()),
    );
    println!("moves not seen by every other participant: {}; told to reload: {}", report.incomplete, report.reloads);
    println!(
        "server: {cpu:.1} s of CPU in {seconds} s ({:.0} % of one core), memory {rss} MiB now, {peak} MiB at most",
        cpu / seconds as f64 * 100.0
    );
    let all_stored = report.sent == report.answered && stored == report.sent as i64;
    if !all_stored || report.incomplete > 0 {
        eprintln!("FAILED: not every move was stored and seen by everyone");
        std::process::exit(1);
    }
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
}

/// When each participant's k-th move was sent, and when each other participant saw it.
struct Clock {
    sent: Vec<Vec<Option<Instant>>>,
    seen: Vec<Vec<Vec<Instant>>>,
    reloads: usize,
}

async fn run(address: SocketAddr, code: String, participants: usize, seconds: usize) -> Report {
    let clock = Arc::new(Mutex::new(Clock {
        sent: vec![vec![None; seconds]; participants],
        seen: vec![vec![Vec::new(); seconds]; participants],
        reloads: 0,
    }));
    // Everyone joins and follows the session first.
    let mut seats = Vec::new();
    for i in 0..participants {
        let joined = call(address, Method::POST, "/api/join", None, json!({"code": code, "name": name(i)})).await;
        seats.push(joined["token"].as_str().expect("a token").to_string());
    }
    let document = call(address, Method::GET, "/api/session", Some(&seats[0]), Value::Null).await;
    let revision_before = document["revision"].as_i64().expect("a revision");
    let grid = document["grids"][0]["id"].as_str().expect("a grid").to_string();
    let cards: Vec<String> =
        document["organizations"].as_array().expect("cards").iter().map(|o| o["id"].as_str().unwrap().into()).collect();
    let mut followers = Vec::new();
    for token in &seats {
        let url = format!("ws://{address}/api/live?token={token}");
        let (socket, _) = tokio_tungstenite::connect_async(url).await.expect("the live feed");
        let clock = clock.clone();
        followers.push(tokio::spawn(async move {
            let (_, mut incoming) = socket.split();
            while let Some(Ok(message)) = incoming.next().await {
                let arrived = Instant::now();
                let Ok(text) = message.into_text() else { continue };
                let Ok(change) = serde_json::from_str::<Value>(&text) else { continue };
                if change.get("reload").is_some() {
                    clock.lock().unwrap().reloads += 1;
                    continue;
                }
                let (Some(who), Some(x)) = (
                    change["actor"]["name"].as_str().and_then(|n| n.strip_prefix('p')?.parse::<usize>().ok()),
                    change["written"].get(0).and_then(|w| w["row"]["x"].as_f64()),
                ) else {
                    continue;
                };
                let k = ((x - 0.1) * 100.0).round() as usize;
                let mut clock = clock.lock().unwrap();
                if let Some(seen) = clock.seen.get_mut(who).and_then(|s| s.get_mut(k)) {
                    seen.push(arrived);
                }
            }
        }));
    }

    // Then each moves a card once a second, the participants spread over the second.
    let start = Instant::now() + Duration::from_millis(200);
    let mut movers = Vec::new();
    for (i, token) in seats.iter().enumerate() {
        let (token, grid, card, clock) = (token.clone(), grid.clone(), cards[i % cards.len()].clone(), clock.clone());
        let offset = Duration::from_secs_f64(i as f64 / participants as f64);
        movers.push(tokio::spawn(async move {
            let mut answered = 0;
            for k in 0..seconds {
                tokio::time::sleep_until((start + offset + Duration::from_secs(k as u64)).into()).await;
                let body = json!({"gridId": grid, "organizationId": card, "x": 0.1 + k as f64 / 100.0, "y": 0.5});
                clock.lock().unwrap().sent[i][k] = Some(Instant::now());
                let reply = call(address, Method::PUT, "/api/placements", Some(&token), body).await;
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
    };
    for (i, moves) in clock.sent.iter().enumerate() {
        for (k, sent) in moves.iter().enumerate() {
            let Some(sent) = sent else { continue };
            report.sent += 1;
            let seen = &clock.seen[i][k];
            report.deliveries += seen.len();
            // Every participant follows the session, the mover too: all of them must see it.
            if seen.len() < participants {
                report.incomplete += 1;
                continue;
            }
            let last = seen.iter().max().copied().unwrap_or(*sent);
            report.latencies.push(last.saturating_duration_since(*sent));
        }
    }
    report
}

fn name(i: usize) -> String {
    format!("p{i}")
}

/// One request on a new connection; the reply as JSON (Null if it is not JSON).
async fn call(address: SocketAddr, method: Method, path: &str, token: Option<&str>, body: Value) -> Value {
    let Ok(stream) = tokio::net::TcpStream::connect(address).await else { return Value::Null };
    let Ok((mut sender, connection)) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await else {
        return Value::Null;
    };
    tokio::spawn(connection);
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", address.to_string())
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let body = if body.is_null() { Vec::new() } else { body.to_string().into_bytes() };
    let Ok(request) = request.body(Full::new(Bytes::from(body))) else { return Value::Null };
    let Ok(response) = sender.send_request(request).await else { return Value::Null };
    let Ok(bytes) = response.into_body().collect().await else { return Value::Null };
    serde_json::from_slice(&bytes.to_bytes()).unwrap_or(Value::Null)
}
