//! The room as an attacker on its network tries it: another site's page, a forged Host, a
//! body that is not JSON, requests that never finish, a socket that never reads, too many
//! connections. Each is refused as JSON or cut off, with bounded memory, and watched.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use hyper::{Method, StatusCode};
use powermap_room::{Block, Limits, RoomEvent};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::support::*;

/// Whether `body` is a refusal as docs/room-api.md promises: `{code, message}`.
fn is_refusal(body: &Value) -> bool {
    body["code"].as_str().is_some_and(|c| !c.is_empty()) && body["message"].as_str().is_some_and(|m| !m.is_empty())
}

/// Issue 26, item 7: no route checked Host or Origin, and the WebSocket compared Origin
/// with Host, both chosen by the attacker.
#[test]
fn only_the_room_s_own_address_and_page_are_answered() {
    let setup = setup();
    let address = setup.room.address();
    let port = address.port();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let code = setup.room.code();
        let join_body = json!({"code": code, "name": "Eve"});
        for host in [
            format!("rebound.example:{port}"),
            format!("127.0.0.2:{port}"),
            "127.0.0.1:1".to_string(),
            "localhost".into(),
        ] {
            for (method, path) in [(Method::GET, "/"), (Method::GET, "/api/session"), (Method::POST, "/api/join")] {
                let mut request = Call::new(method.clone(), path).host(host.clone()).token(&token);
                if method == Method::POST {
                    request = request.json(join_body.clone());
                }
                let (status, _, body) = request.send(address).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "Host {host}, {method} {path}");
                assert_eq!(body["code"], "wrong-origin");
            }
        }
        for origin in
            ["http://evil.example", "null", &format!("http://rebound.example:{port}"), &format!("https://{address}")]
        {
            let (status, _, body) = Call::new(Method::POST, "/api/join")
                .json(join_body.clone())
                .header("origin", origin)
                .send(address)
                .await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("wrong-origin")), "{origin}");
        }
        let (status, _, _) = Call::new(Method::GET, "/api/session")
            .token(&token)
            .header("sec-fetch-site", "cross-site")
            .send(address)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a cross-site fetch is refused");
        assert!(!data(&setup).participants.iter().any(|p| p.name == "Eve"), "no refused join added anyone");
        // The page's own origin is welcome.
        let (status, _, body) = Call::new(Method::GET, "/api/session")
            .token(&token)
            .header("origin", format!("http://{address}"))
            .send(address)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // The WebSocket handshake: the same rules.
        for (host, origin) in [
            (format!("rebound.example:{port}"), Some(format!("http://rebound.example:{port}"))),
            (format!("rebound.example:{port}"), None),
            (address.to_string(), Some("http://evil.example".into())),
        ] {
            let mut request = format!("ws://{address}/api/live?token={token}").into_client_request().unwrap();
            request.headers_mut().insert("host", host.parse().unwrap());
            if let Some(origin) = &origin {
                request.headers_mut().insert("origin", origin.parse().unwrap());
            }
            assert!(tokio_tungstenite::connect_async(request).await.is_err(), "host {host}, origin {origin:?}");
        }
        assert!(open_live(address, &token, Some(&format!("http://{address}"))).await.is_ok());
        assert!(setup.room.door().blocks >= 10, "each refusal is counted: {:?}", setup.room.door());
    });
}

/// Issue 26, item 7: bodies were parsed as JSON whatever their Content-Type (a form post
/// from any page could join).
#[test]
fn a_body_must_say_it_is_json() {
    let setup = setup();
    let address = setup.room.address();
    let body = json!({"code": setup.room.code(), "name": "Eve"}).to_string().into_bytes();
    runtime().block_on(async {
        for kind in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            let raw = format!(
                "POST /api/join HTTP/1.1\r\nhost: {address}\r\ncontent-type: {kind}\r\ncontent-length: {}\r\n\r\n{}",
                body.len(),
                String::from_utf8_lossy(&body)
            );
            let answer = raw_request(address, &raw).await;
            assert!(answer.starts_with("HTTP/1.1 415"), "{kind}: {answer}");
            let json: Value =
                serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap_or("")).unwrap_or(Value::Null);
            assert_eq!(json["code"], "not-json", "{answer}");
        }
        let raw = format!(
            "POST /api/join HTTP/1.1\r\nhost: {address}\r\ncontent-length: {}\r\n\r\n{}",
            body.len(),
            String::from_utf8_lossy(&body)
        );
        assert!(raw_request(address, &raw).await.starts_with("HTTP/1.1 415"), "no Content-Type at all");
        let (status, _, reply) = Call::new(Method::POST, "/api/join")
            .body(body.clone())
            .header("content-type", "application/json; charset=utf-8")
            .send(address)
            .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
    });
}

/// Writes `raw` on a new connection and reads the answer until the server closes it (or 12 s).
pub(crate) async fn raw_request(address: std::net::SocketAddr, raw: &str) -> String {
    let mut stream = connect_from(address, None).await;
    stream.write_all(raw.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(12);
    while Instant::now() < deadline {
        match tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            // Nothing more for a moment after a whole answer: done.
            Err(_) if answer.windows(4).any(|w| w == b"\r\n\r\n") => break,
            Err(_) => {}
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

/// Issue 26, items 7 and 12: the page had no security headers; 413 was plain text, 404 and
/// 405 empty.
#[test]
fn every_answer_has_security_headers_and_every_refusal_is_json() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let (status, headers, _) = Call::new(Method::GET, "/").send_raw(address).await;
        assert_eq!(status, StatusCode::OK);
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let policy = header("content-security-policy");
        for rule in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", &format!("ws://{address}")] {
            assert!(policy.contains(rule), "{rule} in {policy}");
        }
        assert!(!policy.contains("unsafe"), "{policy}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("referrer-policy"), "no-referrer");

        let big = json!({"pad": "x".repeat(70 * 1024)}).to_string().into_bytes();
        type Case<'a> = (Method, &'a str, Option<&'a str>, Vec<u8>, StatusCode);
        let cases: Vec<Case> = vec![
            (Method::GET, "/nothing-here", None, Vec::new(), StatusCode::NOT_FOUND),
            (Method::GET, "/assets/nothing.js", None, Vec::new(), StatusCode::NOT_FOUND),
            (Method::DELETE, "/api/session", Some(&token), Vec::new(), StatusCode::METHOD_NOT_ALLOWED),
            (Method::GET, "/api/join", None, Vec::new(), StatusCode::METHOD_NOT_ALLOWED),
            (Method::PUT, "/api/placements", Some(&token), big, StatusCode::PAYLOAD_TOO_LARGE),
            (Method::GET, "/api/session", Some("forged"), Vec::new(), StatusCode::UNAUTHORIZED),
            (Method::PUT, "/api/placements", Some(&token), b"{".to_vec(), StatusCode::BAD_REQUEST),
        ];
        for (method, path, token, body, expected) in cases {
            let mut request = Call::new(method.clone(), path).body(body);
            request.token = token;
            let (status, headers, reply) = request.send(address).await;
            assert_eq!(status, expected, "{method} {path}: {reply}");
            assert!(is_refusal(&reply), "{method} {path} is JSON {{code, message}}: {reply}");
            assert!(headers.get("content-security-policy").is_some(), "{method} {path} has the headers too");
        }
        // The live feed asked for without a WebSocket handshake.
        let (status, _, reply) = Call::new(Method::GET, &format!("/api/live?token={token}")).send(address).await;
        assert!(status.is_client_error(), "{status}");
        assert!(is_refusal(&reply), "{reply}");
    });
}

/// Issue 26, item 4: 200 half-open requests stayed open 60 s; a body announced as 100 bytes
/// and sent as 1 hung forever. With the room's own limits, both end within 10 s.
#[test]
fn requests_that_never_finish_are_closed_within_ten_seconds() {
    let setup = setup();
    let address = setup.room.address();
    assert_eq!(Limits::default().request_time, Duration::from_secs(10));
    runtime().block_on(async {
        let started = Instant::now();
        let mut half_open = Vec::new();
        for n in 0..200u32 {
            let mut stream = connect_from(address, Some(device(n % 50))).await;
            stream.write_all(format!("GET / HTTP/1.1\r\nhost: {address}\r\nx-slow: ").as_bytes()).await.unwrap();
            half_open.push(stream);
        }
        let short_body = async {
            let raw = format!(
                "PUT /api/placements HTTP/1.1\r\nhost: {address}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{"
            );
            raw_request(address, &raw).await
        };
        let closed_all = async {
            for mut stream in half_open {
                let mut buffer = [0u8; 1024];
                loop {
                    match tokio::time::timeout(Duration::from_secs(12), stream.read(&mut buffer)).await {
                        Ok(Ok(0)) | Ok(Err(_)) => break,
                        Ok(Ok(_)) => continue,
                        Err(_) => panic!("a half-open request was still open after 12 s"),
                    }
                }
            }
        };
        let (answer, ()) = tokio::join!(short_body, closed_all);
        assert!(answer.starts_with("HTTP/1.1 408"), "the body that never came: {answer}");
        assert!(answer.contains("\"code\":\"too-slow\""), "{answer}");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(12), "every unfinished request was closed within 10 s (took {took:?})");
        assert!(setup.events.lock().unwrap().iter().any(|e| matches!(e, RoomEvent::Blocked { why: Block::TooSlow, .. })));
    });
}

/// Issue 26, item 4: connections per address are capped (the rest are turned away as JSON),
/// and the process's open-file limit is raised to the most it may have.
#[test]
fn one_address_holds_a_bounded_number_of_connections() {
    let setup = setup();
    let address = setup.room.address();
    let most = Limits::default().connections_per_address;
    runtime().block_on(async {
        let mut held = Vec::new();
        for _ in 0..most {
            held.push(connect_from(address, Some(device(7))).await);
        }
        // Taken by the server before the next one arrives.
        let mut extra = connect_from(address, Some(device(7))).await;
        let mut answer = String::new();
        tokio::time::timeout(Duration::from_secs(3), extra.read_to_string(&mut answer)).await.unwrap().unwrap();
        assert!(answer.starts_with("HTTP/1.1 429"), "{answer}");
        assert!(answer.contains("\"code\":\"too-many-connections\""), "{answer}");
        // Another device is served.
        let (status, _, _) = Call::new(Method::GET, "/").from(device(8)).send(address).await;
        assert_eq!(status, StatusCode::OK);
        drop(held);
    });
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap();
    let open_files = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let numbers: Vec<&str> = open_files.split_whitespace().skip(3).take(2).collect();
    assert_eq!(numbers[0], numbers[1], "the soft limit raised to the hard one: {open_files}");
}

/// Limits short enough to see a socket cut off within a test.
fn quick() -> Limits {
    Limits {
        ping_after: Duration::from_millis(500),
        dead_after: Duration::from_secs(2),
        send_time: Duration::from_secs(1),
        max_unsent: 64 * 1024,
        ..Limits::default()
    }
}

/// This process's resident memory, in MiB.
fn resident_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib: u64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap();
    kib / 1024
}

/// Issue 26, item 3: a socket that pings and never reads grew the server by ~100 MB a
/// second (one pong queued per ping). Now what waits for it is capped, and it is cut off.
#[test]
fn a_socket_that_pings_and_never_reads_is_cut_off_with_bounded_memory() {
    let setup = setup_with(quick());
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Flood").await;
        let socket = open_live(address, &token, None).await.unwrap();
        let (mut sink, _never_read) = socket.split();
        let before = resident_mib();
        let started = Instant::now();
        let ping = Message::Ping(vec![7u8; 125].into());
        let mut sent: u64 = 0;
        let cut_off = loop {
            if started.elapsed() > Duration::from_secs(10) {
                break false;
            }
            match tokio::time::timeout(Duration::from_secs(2), sink.send(ping.clone())).await {
                Ok(Ok(())) => sent += 127,
                Ok(Err(_)) => break true,
                // The server stopped reading: it has cut the socket off (or never will).
                Err(_) => break true,
            }
        };
        let grown = resident_mib().saturating_sub(before);
        println!("ping flood: {} MB sent in {:?}; this process grew {grown} MiB", sent / 1_000_000, started.elapsed());
        assert!(cut_off, "the socket was not cut off in 10 s");
        assert!(grown < 64, "memory bounded: grew {grown} MiB while {} MB of pings came", sent / 1_000_000);
        // The server tells of it once the socket's task has ended, which the flood may see
        // (its writes failing) a moment before.
        let deadline = Instant::now() + Duration::from_secs(3);
        let seen = || {
            setup.events.lock().unwrap().iter().any(|e| matches!(e, RoomEvent::Blocked { why: Block::NotReading, .. }))
        };
        while !seen() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(seen(), "the facilitator sees it: {:?}", setup.events.lock().unwrap());
    });
}

/// Issue 26, item 3: the server pings quiet sockets and closes dead ones (within 60 s with
/// the room's own limits: a ping after 20 s of quiet, closed after 50 s without an answer).
#[test]
fn a_socket_that_answers_nothing_is_closed() {
    let defaults = Limits::default();
    assert!(defaults.dead_after + defaults.ping_after / 2 <= Duration::from_secs(60));
    let setup = setup_with(quick());
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Sleepy").await;
        // A handshake by hand, then silence: no pong, nothing.
        let mut stream = connect_from(address, None).await;
        let handshake = format!(
            "GET /api/live?token={token} HTTP/1.1\r\nhost: {address}\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\
             sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"
        );
        stream.write_all(handshake.as_bytes()).await.unwrap();
        let started = Instant::now();
        let mut pinged = false;
        let mut buffer = [0u8; 4096];
        loop {
            match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                // 0x89: a ping frame from the server.
                Ok(Ok(n)) => pinged |= buffer[..n].contains(&0x89),
                Err(_) => panic!("the silent socket was still open after {:?}", started.elapsed()),
            }
        }
        assert!(pinged, "it was pinged first");
        assert!(started.elapsed() < Duration::from_secs(4), "closed {:?} after it went silent", started.elapsed());
    });
}

/// Issue 26, item 4: sockets per seat are capped.
#[test]
fn a_seat_holds_a_bounded_number_of_live_sockets() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let most = Limits::default().sockets_per_seat;
        let mut open = Vec::new();
        for _ in 0..most {
            open.push(open_live(address, &token, None).await.expect("a socket within the cap"));
        }
        assert!(open_live(address, &token, None).await.is_err(), "one over the cap is refused");
        let mut first = open.remove(0);
        first.close(None).await.unwrap();
        while first.next().await.is_some() {}
        // The server gives the place back as the socket's task ends, a moment after the close.
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut again = open_live(address, &token, None).await;
        while again.is_err() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
            again = open_live(address, &token, None).await;
        }
        assert!(again.is_ok(), "a closed socket frees its place");
    });
}

/// Issue 26, item 11: the facilitator could not see an attack. The door counts joins,
/// wrong codes and blocks, with when last, and tells each — never a token.
#[test]
fn the_door_is_watched() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let wrong = wrong_code(&setup.room);
        for _ in 0..3 {
            post(address, "/api/join", json!({"code": wrong, "name": "Eve"})).await;
        }
        Call::new(Method::GET, "/").host("rebound.example:1").send(address).await;
        let door = setup.room.door();
        assert_eq!((door.joins, door.wrong_codes, door.blocks), (1, 3, 1), "{door:?}");
        assert!(door.last_join.is_some() && door.last_wrong_code.is_some() && door.last_block.is_some());
        let told = format!("{:?}", setup.events.lock().unwrap());
        assert!(told.contains("Amina") && told.contains("WrongCode") && told.contains("ForeignPage"), "{told}");
        assert!(!told.contains(&token) && !told.contains(&setup.room.code()), "no token or code told: {told}");
    });
}
