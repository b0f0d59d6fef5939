//! Joining with the code, moving cards, speaking for an organization, private rounds, and
//! every change reaching every device in order.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::SinkExt;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use powermap_core::model::{OrganizationFields, ParticipantFields, Point, RoundFields};
use powermap_core::Store;
use powermap_room::Room;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::*;

#[test]
fn joining_takes_the_room_code_and_a_name_and_gives_a_seat() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        assert_eq!(setup.room.code().len(), 6);
        assert!(setup.room.code().chars().all(|c| c.is_ascii_digit()));
        let wrong = if setup.room.code() == "000000" { "111111" } else { "000000" };
        let (status, body) = post(address, "/api/join", json!({"code": wrong, "name": "Amina"})).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("wrong-code")));
        assert_eq!(body["message"], "That is not this room's code: type the 6 digits on the projector.");
        // Said in the device's language: the first of its browser's that Powermap speaks.
        let wrong_join = json!({"code": wrong, "name": "Amina"}).to_string().into_bytes();
        for (accepted, said) in [
            ("es-MX,es;q=0.9,en;q=0.8", "Ese no es el código de esta sala: escribe los 6 dígitos del proyector."),
            (
                "de-DE, fr;q=0.7, en;q=0.5",
                "Ce n’est pas le code de cette salle\u{a0}: tapez les 6 chiffres affichés au projecteur.",
            ),
            ("en;q=0.2, es;q=0.9", "Ese no es el código de esta sala: escribe los 6 dígitos del proyector."),
            ("de, es;q=0", "That is not this room's code: type the 6 digits on the projector."),
        ] {
            let (status, _, body) = Call::new(Method::POST, "/api/join")
                .body(wrong_join.clone())
                .header("accept-language", accepted)
                .send(address)
                .await;
            assert_eq!((status, body["message"].as_str()), (StatusCode::FORBIDDEN, Some(said)), "{accepted}");
        }

        let union = data(&setup).organizations[0].id.clone();
        let request = json!({"code": setup.room.code(), "name": "  Amina ", "organizationId": union});
        let (status, body) = post(address, "/api/join", request).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let participant = data(&setup).participants.into_iter().find(|p| p.name == "Amina").expect("a participant");
        assert_eq!(body["participantId"].as_str(), Some(participant.id.as_str()));
        assert_eq!(participant.organization_id.as_deref(), Some(union.as_str()));
        assert_eq!(setup.room.joined(), 1);

        // Bad names and another session's organization change nothing.
        let before = data(&setup).participants.len();
        for (request, expected) in [
            (json!({"code": setup.room.code(), "name": "Ami\u{1b}na"}), StatusCode::BAD_REQUEST),
            (json!({"code": setup.room.code(), "name": ""}), StatusCode::BAD_REQUEST),
            (json!({"code": setup.room.code(), "name": "x".repeat(500)}), StatusCode::BAD_REQUEST),
            (json!({"code": setup.room.code()}), StatusCode::BAD_REQUEST),
            (json!({"code": 123456, "name": "Bo"}), StatusCode::BAD_REQUEST),
        ] {
            assert_eq!(post(address, "/api/join", request.clone()).await.0, expected, "{request}");
        }
        let elsewhere = setup.store.load_session(&setup.other).unwrap().organizations[0].id.clone();
        let request = json!({"code": setup.room.code(), "name": "Bo", "organizationId": elsewhere});
        assert_eq!(post(address, "/api/join", request).await.0, StatusCode::NOT_FOUND);
        assert_eq!(data(&setup).participants.len(), before, "refused joins add nobody");
    });
}

#[test]
fn more_than_ten_wrong_codes_a_minute_bar_the_address() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let wrong = if setup.room.code() == "000000" { "111111" } else { "000000" };
        for attempt in 1..=10 {
            let (status, _) = post(address, "/api/join", json!({"code": wrong, "name": "Guess"})).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "attempt {attempt}");
        }
        let (status, body) = post(address, "/api/join", json!({"code": wrong, "name": "Guess"})).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        let right = json!({"code": setup.room.code(), "name": "Late"});
        assert_eq!(
            post(address, "/api/join", right).await.0,
            StatusCode::TOO_MANY_REQUESTS,
            "even the right code waits"
        );
    });
}

#[test]
fn only_a_seat_reads_the_session_and_only_this_one() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        assert_eq!(call(address, Method::GET, "/api/session", None, Vec::new()).await.0, StatusCode::UNAUTHORIZED);
        let (status, _) = call(address, Method::GET, "/api/session", Some("forged"), Vec::new()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let token = join(&setup, "Amina").await;
        let (status, body) = call(address, Method::GET, "/api/session", Some(&token), Vec::new()).await;
        assert_eq!(status, StatusCode::OK);
        let stored = data(&setup);
        assert_eq!(body["title"], stored.session.title.as_str(), "the session served, not the other one");
        // Beside the rows: the revision they are at, who this device is, the band.
        assert_eq!(body["revision"].as_i64(), Some(stored.revision));
        let me = stored.participants.iter().find(|p| p.name == "Amina").unwrap();
        assert_eq!(body["participantId"].as_str(), Some(me.id.as_str()));
        assert!(body["decisionBand"].as_f64().is_some_and(|band| band > 0.0 && band < 1.0));
        assert_eq!(body["organizations"].as_array().map(Vec::len), Some(stored.organizations.len()));
        assert_eq!(body["places"].as_array().map(Vec::len), Some(stored.placements.len()));
        // No route reaches another session, deletes, or exports.
        for (method, path) in [
            (Method::DELETE, "/api/session"),
            (Method::GET, "/api/sessions"),
            (Method::GET, "/api/export"),
            (Method::DELETE, "/api/placements"),
        ] {
            let (status, _) = call(address, method.clone(), path, Some(&token), Vec::new()).await;
            assert!(
                status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {status}"
            );
        }
    });
}

#[test]
fn a_participant_moves_a_card_and_bad_moves_change_nothing() {
    let setup = setup();
    let address = setup.room.address();
    let session = data(&setup);
    let grid = session.grids[0].id.clone();
    let card = session.organizations[2].id.clone();
    let other = setup.store.load_session(&setup.other).unwrap();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let put = |body: Vec<u8>, token: Option<String>| async move {
            call(address, Method::PUT, "/api/placements", token.as_deref(), body).await
        };
        let body = |v: Value| v.to_string().into_bytes();
        let good = json!({"gridId": grid, "organizationId": card, "x": 0.25, "y": 0.75});
        let (status, reply) = put(body(good.clone()), Some(token.clone())).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let placed =
            data(&setup).placements.into_iter().find(|p| p.grid_id == grid && p.organization_id == card).unwrap();
        assert_eq!((placed.x, placed.y, placed.moved_by.as_str()), (0.25, 0.75, "Amina"), "stored as Amina's move");
        assert_eq!(reply["revision"].as_i64(), Some(data(&setup).revision));

        let before = data(&setup);
        let with = |key: &str, value: Value| {
            let mut v = good.clone();
            v[key] = value;
            body(v)
        };
        let cases: Vec<(&str, Vec<u8>, Option<String>, StatusCode)> = vec![
            ("no token", body(good.clone()), None, StatusCode::UNAUTHORIZED),
            ("x off the grid", with("x", json!(1.5)), Some(token.clone()), StatusCode::BAD_REQUEST),
            ("y below it", with("y", json!(-0.1)), Some(token.clone()), StatusCode::BAD_REQUEST),
            ("x as text", with("x", json!("0.5")), Some(token.clone()), StatusCode::BAD_REQUEST),
            (
                "x missing",
                body(json!({"gridId": grid, "organizationId": card, "y": 0.5})),
                Some(token.clone()),
                StatusCode::BAD_REQUEST,
            ),
            ("not JSON", b"x=1&y=2".to_vec(), Some(token.clone()), StatusCode::BAD_REQUEST),
            ("a grid that is not there", with("gridId", json!("nowhere")), Some(token.clone()), StatusCode::NOT_FOUND),
            (
                "another session's grid",
                with("gridId", json!(other.grids[0].id)),
                Some(token.clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "another session's card",
                with("organizationId", json!(other.organizations[0].id)),
                Some(token.clone()),
                StatusCode::NOT_FOUND,
            ),
            (
                "a body over 64 KiB",
                with("pad", json!("x".repeat(70 * 1024))),
                Some(token.clone()),
                StatusCode::PAYLOAD_TOO_LARGE,
            ),
        ];
        for (what, request, token, expected) in cases {
            let (status, reply) = put(request, token).await;
            assert_eq!(status, expected, "{what}: {reply}");
        }
        assert_eq!(data(&setup), before, "refused moves change nothing");
        assert_eq!(setup.store.load_session(&setup.other).unwrap(), other, "nor the other session");
    });
}

#[test]
fn every_change_reaches_every_device_in_order_whoever_made_it() {
    let setup = setup();
    let address = setup.room.address();
    let session = data(&setup);
    let grid = session.grids[0].id.clone();
    let cards: Vec<String> = session.organizations.iter().map(|o| o.id.clone()).collect();
    runtime().block_on(async {
        let (amina, bo) = (join(&setup, "Amina").await, join(&setup, "Bo").await);
        let origin = format!("http://{address}");
        let mut first = open_live(address, &amina, Some(&origin)).await.expect("the page's own origin may follow");
        let mut second = open_live(address, &bo, None).await.expect("no origin (not a browser) may follow");
        let start = data(&setup).revision;
        for round in 0..6 {
            let card = &cards[round % cards.len()];
            if round % 2 == 0 {
                let body = json!({"gridId": grid, "organizationId": card, "x": 0.1 * round as f64, "y": 0.5});
                let (status, _) =
                    call(address, Method::PUT, "/api/placements", Some(&amina), body.to_string().into_bytes()).await;
                assert_eq!(status, StatusCode::OK);
            } else {
                // The facilitator's window, writing the same file: the room follows it too.
                let point = Point::new(0.9, 0.1 * round as f64).unwrap();
                setup.store.place_card(&grid, card, point, 10_000 + round as i64).unwrap();
            }
        }
        setup.store.add_organization(&setup.session, &OrganizationFields::named("Latecomers"), 20_000).unwrap();
        for socket in [&mut first, &mut second] {
            let mut revisions = Vec::new();
            let mut actors = Vec::new();
            while revisions.len() < 7 {
                let change = next(socket).await;
                // The joins' own changes may still be on their way when the sockets open.
                if change["revision"].as_i64().unwrap() <= start {
                    continue;
                }
                revisions.push(change["revision"].as_i64().unwrap());
                actors.push((change["by"].clone(), change["who"]["kind"].clone()));
            }
            let expected: Vec<i64> = (start + 1..=start + 7).collect();
            assert_eq!(revisions, expected, "every change, once, in the stored order");
            let amina_id = data(&setup).participants.into_iter().find(|p| p.name == "Amina").unwrap().id;
            assert_eq!(actors[0], (json!(amina_id), Value::Null), "Amina's move, known by her participant id");
            assert_eq!(actors[1], (Value::Null, json!("facilitator")));
        }
    });
}

#[test]
fn the_live_stream_checks_its_token_origin_and_message_size_and_ends_with_the_room() {
    let setup = setup();
    let address = setup.room.address();
    let rt = runtime();
    let token = rt.block_on(join(&setup, "Amina"));
    rt.block_on(async {
        assert!(open_live(address, "forged", None).await.is_err(), "a bad token is refused");
        assert!(
            open_live(address, &token, Some("http://evil.example")).await.is_err(),
            "another site's page is refused"
        );
        // A message over 16 KiB ends the connection.
        let mut socket = open_live(address, &token, None).await.unwrap();
        socket.send(Message::Text("x".repeat(20 * 1024).into())).await.ok();
        assert!(closes(&mut socket, Duration::from_secs(2)).await, "the oversized message closed the socket");
    });
    let mut socket = rt.block_on(open_live(address, &token, None)).unwrap();
    setup.room.stop();
    rt.block_on(async {
        assert!(closes(&mut socket, Duration::from_secs(3)).await, "stopping the room closes every socket");
        assert!(tokio::net::TcpStream::connect(address).await.is_err(), "and nothing listens any more");
    });
}

#[test]
fn the_join_address_is_offered_as_a_qr_code_and_the_store_tells_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("room.db")).unwrap());
    let session = store.create_sample_session(1).unwrap();
    let (heard, _subscription) = hear_changes(&store);
    let room = Room::start(store.clone(), &session, "127.0.0.1:0".parse().unwrap()).unwrap();
    let qr = room.join_qr();
    assert!(qr.len() >= 21 && qr.iter().all(|row| row.len() == qr.len()), "a square of at least 21 modules");
    // The three finder patterns: a dark 7-module square ring in three corners.
    let n = qr.len();
    for (top, left) in [(0, 0), (0, n - 7), (n - 7, 0)] {
        assert!(
            (0..7).all(|i| qr[top][left + i] && qr[top + 6][left + i] && qr[top + i][left] && qr[top + i][left + 6])
        );
        assert!(!qr[top + 1][left + 1], "with a light ring inside");
    }
    assert_eq!(room.session_id(), session);
    let start = store.load_session(&session).unwrap().revision;
    store.add_organization(&session, &OrganizationFields::named("A"), 5).unwrap();
    store.add_organization(&session, &OrganizationFields::named("B"), 6).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while heard.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let revisions: Vec<i64> = heard.lock().unwrap().iter().map(|c| c.revision).collect();
    assert_eq!(revisions, [start + 1, start + 2], "every change, in order, once");
    room.stop();
}

/// A GET on a new connection: the status, the content type and the body's bytes.
async fn get_raw(address: SocketAddr, path: &str) -> (StatusCode, String, Vec<u8>) {
    let stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.unwrap();
    tokio::spawn(connection);
    let request = Request::builder().uri(path).header("host", address.to_string()).body(Full::new(Bytes::new()));
    let response = sender.send_request(request.unwrap()).await.unwrap();
    let status = response.status();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, kind, response.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[test]
fn the_participants_page_and_only_its_files_are_served() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let (status, kind, page) = get_raw(address, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(kind.starts_with("text/html"), "{kind}");
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("<div id=\"room\">"), "the participants' page, not the window's: {page}");
        // Every file the page loads is served, with its type.
        let loaded: Vec<&str> = page.split('"').filter(|part| part.starts_with("/assets/")).collect();
        assert!(loaded.iter().any(|f| f.ends_with(".js")) && loaded.iter().any(|f| f.ends_with(".css")), "{page}");
        for file in &loaded {
            let (status, kind, bytes) = get_raw(address, file).await;
            assert_eq!(status, StatusCode::OK, "{file}");
            let expected = if file.ends_with(".js") { "text/javascript" } else { "text/css" };
            assert!(kind.starts_with(expected), "{file}: {kind}");
            assert!(!bytes.is_empty());
        }
        // Not the window's files, nor anything else.
        let window = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../ui/dist/index.html")).unwrap();
        let window_script =
            window.split('"').find(|part| part.starts_with("/assets/window-")).expect("the window's script");
        for path in [window_script, "/index.html", "/assets/", "/assets/../Cargo.toml", "/.vite/manifest.json"] {
            assert_eq!(get_raw(address, path).await.0, StatusCode::NOT_FOUND, "{path}");
        }
    });
}

#[test]
fn a_participant_says_which_organization_they_speak_for() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let union = data(&setup).organizations[0].id.clone();
        let (status, body) = call(
            address,
            Method::PUT,
            "/api/me",
            Some(&token),
            json!({"organizationId": union}).to_string().into_bytes(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let amina = || data(&setup).participants.into_iter().find(|p| p.name == "Amina").unwrap();
        assert_eq!(amina().organization_id.as_deref(), Some(union.as_str()));
        let elsewhere = setup.store.load_session(&setup.other).unwrap().organizations[0].id.clone();
        let body = json!({"organizationId": elsewhere}).to_string().into_bytes();
        assert_eq!(call(address, Method::PUT, "/api/me", Some(&token), body).await.0, StatusCode::NOT_FOUND);
        let body = json!({"organizationId": null}).to_string().into_bytes();
        assert_eq!(call(address, Method::PUT, "/api/me", None, body.clone()).await.0, StatusCode::UNAUTHORIZED);
        assert_eq!(amina().organization_id.as_deref(), Some(union.as_str()), "refusals change nothing");
        // The facilitator corrects the name: saying whom one speaks for keeps the correction.
        let fields = ParticipantFields { name: "Amina K.".into(), organization_id: Some(union.clone()) };
        setup.store.update_participant(&amina().id, &fields, 5).unwrap();
        assert_eq!(call(address, Method::PUT, "/api/me", Some(&token), body).await.0, StatusCode::OK);
        let renamed = data(&setup).participants.into_iter().find(|p| p.name == "Amina K.").expect("the corrected name");
        assert_eq!(renamed.organization_id, None);
        // Taken off the session: the seat is void.
        setup.store.remove_participant(&renamed.id, 6).unwrap();
        let body = json!({"organizationId": null}).to_string().into_bytes();
        assert_eq!(call(address, Method::PUT, "/api/me", Some(&token), body).await.0, StatusCode::UNAUTHORIZED);
    });
}

#[test]
fn round_answers_are_private_and_taken_only_while_the_round_is_open() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let amina = join(&setup, "Amina").await;
        let tom = join(&setup, "Tom").await;
        let put = |token: String, body: Value| async move {
            call(address, Method::PUT, "/api/round/answers", Some(&token), body.to_string().into_bytes()).await
        };
        let get =
            |token: String| async move { call(address, Method::GET, "/api/round", Some(&token), Vec::new()).await };
        let stored = data(&setup);
        let (grid, union, mayor) =
            (stored.grids[0].id.clone(), stored.organizations[0].id.clone(), stored.organizations[10].id.clone());

        // No round yet: nothing to answer.
        assert_eq!(get(amina.clone()).await.1["round"], Value::Null);
        let answer = json!({"organizationId": union, "x": 0.9, "y": 0.8});
        assert_eq!(put(amina.clone(), answer.clone()).await.0, StatusCode::CONFLICT);

        let fields = RoundFields { grid_id: grid, organization_ids: vec![union.clone()], names_shown: None };
        let round = setup.store.start_round(&setup.session, &fields, 10).unwrap();
        let (status, body) = put(amina.clone(), answer).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["answered"], 1);
        assert_eq!(put(tom.clone(), json!({"organizationId": union, "x": 0.1, "y": 0.1})).await.0, StatusCode::OK);
        // Bad answers: off the grid, a card not in the round, no seat.
        assert_eq!(
            put(tom.clone(), json!({"organizationId": union, "x": 1.5, "y": 0.1})).await.0,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            put(tom.clone(), json!({"organizationId": mayor, "x": 0.5, "y": 0.1})).await.0,
            StatusCode::NOT_FOUND
        );
        let no_seat = call(address, Method::PUT, "/api/round/answers", None, b"{}".to_vec()).await.0;
        assert_eq!(no_seat, StatusCode::UNAUTHORIZED);

        // Each device reads the round and its own answers only.
        let (status, body) = get(tom.clone()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["round"]["id"], round.id.as_str());
        assert_eq!(body["mine"], json!([{"organizationId": union, "x": 0.1, "y": 0.1}]));
        assert_eq!(setup.store.round_progress(&round.id).unwrap().answered, 2);

        // Revealed: no more answers, and no open round to read.
        setup.store.reveal_round(&round.id, 20).unwrap();
        let late = put(tom.clone(), json!({"organizationId": union, "x": 0.5, "y": 0.5})).await.0;
        assert_eq!(late, StatusCode::CONFLICT);
        assert_eq!(get(tom).await.1["round"], Value::Null);
    });
}

#[test]
fn a_round_reaches_every_device_but_the_answers_never_do() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let amina = join(&setup, "Amina").await;
        let tom = join(&setup, "Tom").await;
        let mut socket = open_live(address, &tom, None).await.unwrap();
        let stored = data(&setup);
        let fields =
            RoundFields { grid_id: stored.grids[0].id.clone(), organization_ids: Vec::new(), names_shown: None };
        let round = setup.store.start_round(&setup.session, &fields, 10).unwrap();
        // The joins may still be on their way to this device: the round comes after them.
        let mut started = next(&mut socket).await;
        while started["label"]["key"] == "add-participant" {
            started = next(&mut socket).await;
        }
        assert_eq!(started["label"]["key"], "start-round");
        assert_eq!(started["round"], true, "the page reads the round anew: {started}");
        let body = json!({"organizationId": stored.organizations[0].id, "x": 0.25, "y": 0.75}).to_string();
        let (status, _) = call(address, Method::PUT, "/api/round/answers", Some(&amina), body.into_bytes()).await;
        assert_eq!(status, StatusCode::OK);
        setup.store.reveal_round(&round.id, 11).unwrap();
        let revealed = next(&mut socket).await;
        assert_eq!(revealed["label"]["key"], "reveal-round", "the answer sent nothing between: {revealed}");
        assert!(!revealed.to_string().contains("0.25"), "no answer travels on the feed: {revealed}");
    });
}

/// The window that shares the store hears a device's join as it hears every change: the
/// new participant's row with it (its People count follows).
#[test]
fn a_device_s_join_reaches_the_window_with_its_participant() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("room.db")).unwrap());
    let session = store.create_sample_session(1).unwrap();
    let (heard, _subscription) = hear_changes(&store);
    let room = Room::start(store.clone(), &session, "127.0.0.1:0".parse().unwrap()).unwrap();
    let token = runtime().block_on(join_room(&room, "Ngozi"));
    assert!(!token.is_empty());
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while heard.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 1, "{heard:?}");
    assert!(
        heard[0]
            .written
            .iter()
            .any(|w| matches!(w, powermap_core::model::WrittenRow::Participant { row, .. } if row.name == "Ngozi")),
        "{:?}",
        heard[0]
    );
    drop(heard);
    // A name the facilitator already listed (the sample's Dolores) seats the phone as that
    // participant: no second Dolores, and no change to tell.
    let before = store.load_session(&session).unwrap();
    let dolores =
        before.participants.iter().find(|p| p.name == "Dolores").expect("the sample lists Dolores").id.clone();
    let (status, body) =
        runtime().block_on(post(room.address(), "/api/join", json!({"code": room.code(), "name": "dolores"})));
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["participantId"].as_str(), Some(dolores.as_str()));
    assert_eq!(store.load_session(&session).unwrap(), before, "nothing added");
    room.stop();
}

/// A move reaches a phone as it commits, with no timer running anywhere (issue 28): the
/// store is in memory (no other program can write it, so nothing watches it), and the
/// room's feed only listens to the store's publisher.
#[test]
fn a_move_reaches_a_phone_with_no_timer_running() {
    let store = Arc::new(Store::open_in_memory().unwrap());
    let session = store.create_sample_session(1).unwrap();
    let (room, _events) = start(&store, &session, powermap_room::Limits::default());
    let before = store.load_session(&session).unwrap();
    let (grid, card) = (before.grids[0].id.clone(), before.organizations[0].id.clone());
    runtime().block_on(async {
        let token = join_room(&room, "Amina").await;
        let mut phone = open_live(room.address(), &token, None).await.unwrap();
        let joined = store.load_session(&session).unwrap().revision;
        let placed = store.place_card(&grid, &card, Point::new(0.25, 0.75).unwrap(), 5).unwrap();
        loop {
            let change = next(&mut phone).await;
            if change["revision"].as_i64().unwrap() <= joined {
                continue;
            }
            assert_eq!(change["revision"].as_i64(), Some(placed.change.revision));
            assert_eq!(change["moves"], json!([[grid, card, 0.25, 0.75]]), "{change}");
            break;
        }
    });
    room.stop();
}

/// The command line (another program on the same file) writes; the store's watcher finds
/// it and the phones are told, like any change.
#[test]
fn another_program_s_move_reaches_the_phones() {
    let setup = setup();
    let before = data(&setup);
    let (grid, card) = (before.grids[0].id.clone(), before.organizations[1].id.clone());
    runtime().block_on(async {
        let token = join(&setup, "Bo").await;
        let mut phone = open_live(setup.room.address(), &token, None).await.unwrap();
        let joined = data(&setup).revision;
        let other = Store::open(&setup.dir.path().join("room.db")).unwrap();
        let placed = other.place_card(&grid, &card, Point::new(0.5, 0.125).unwrap(), 7).unwrap();
        loop {
            let change = next(&mut phone).await;
            if change["revision"].as_i64().unwrap() <= joined {
                continue;
            }
            assert_eq!(change["revision"].as_i64(), Some(placed.change.revision));
            assert_eq!(change["moves"], json!([[grid, card, 0.5, 0.125]]), "{change}");
            break;
        }
    });
    setup.room.stop();
}

/// The session deleted — in this window, or by another program on the file — ends the room:
/// every phone is told so at once (the list of sessions changed, and the feed found its
/// session gone).
#[test]
fn deleting_the_session_tells_every_phone_the_room_is_over() {
    for by_another_program in [false, true] {
        let setup = setup();
        runtime().block_on(async {
            let token = join(&setup, "Amina").await;
            let mut phone = open_live(setup.room.address(), &token, None).await.unwrap();
            if by_another_program {
                let other = Store::open(&setup.dir.path().join("room.db")).unwrap();
                other.delete_session(&setup.session, 9).unwrap();
            } else {
                setup.store.delete_session(&setup.session, 9).unwrap();
            }
            loop {
                let message = next(&mut phone).await;
                if message.get("closed").is_some() {
                    assert_eq!(message, json!({"closed": true}));
                    break;
                }
            }
        });
        setup.room.stop();
    }
}
