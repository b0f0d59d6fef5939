//! Seats and the door: one person counts once, seats outlive restarts, the code changes
//! after too many wrong codes from anywhere, joins are rate-limited, names that impersonate
//! are refused, and a removed participant is out at once.

use std::time::{Duration, Instant};

use hyper::{Method, StatusCode};
use powermap_core::model::RoundFields;
use powermap_core::Store;
use powermap_room::{Limits, RoomEvent};
use serde_json::json;

use crate::support::*;

/// Issue 26, item 2: the same person joined five times and answered one round five times.
#[test]
fn one_person_counts_once_however_often_they_join() {
    let setup = setup();
    let address = setup.room.address();
    let code = setup.room.code();
    runtime().block_on(async {
        let before = data(&setup).participants.len();
        let (status, first) = post(address, "/api/join", json!({"code": code, "name": "Amina"})).await;
        assert_eq!(status, StatusCode::OK, "{first}");
        let token = first["token"].as_str().unwrap().to_string();
        let amina = first["participantId"].as_str().unwrap().to_string();
        // Four more joins under the same name, from a device that kept no token: refused.
        for _ in 0..4 {
            let (status, body) = post(address, "/api/join", json!({"code": code, "name": " amina "})).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("name-taken")), "{body}");
        }
        // A reload, a second tab: the device still holds its token, and takes its seat back
        // (whatever name it typed this time).
        for typed in ["Amina", "Ami"] {
            let (status, again) =
                post(address, "/api/join", json!({"code": code, "name": typed, "token": token})).await;
            assert_eq!(status, StatusCode::OK, "{again}");
            assert_eq!(again["participantId"].as_str(), Some(amina.as_str()), "the same participant");
            assert_eq!(again["token"].as_str(), Some(token.as_str()), "the same seat");
            assert_eq!(again["name"], "Amina");
        }
        assert_eq!(data(&setup).participants.len(), before + 1, "one person, one participant");

        // So one person's answer counts once in a round.
        let stored = data(&setup);
        let card = stored.organizations[0].id.clone();
        let fields = RoundFields {
            grid_id: stored.grids[0].id.clone(),
            organization_ids: vec![card.clone()],
            names_shown: None,
        };
        let round = setup.store.start_round(&setup.session, &fields, 10).unwrap();
        for x in [0.2, 0.4, 0.9] {
            let body = json!({"organizationId": card, "x": x, "y": 0.5}).to_string().into_bytes();
            assert_eq!(call(address, Method::PUT, "/api/round/answers", Some(&token), body).await.0, StatusCode::OK);
        }
        assert_eq!(setup.store.round_progress(&round.id).unwrap().answered, 1);
        setup.store.reveal_round(&round.id, 20).unwrap();
        let results = setup.store.round_results(&round.id).unwrap();
        assert_eq!(results.cards[0].answers.len(), 1, "the last answer, once");

        // Leaving gives the seat up: the token opens nothing, and the name may join again
        // (as the same participant).
        let leave = Call::new(Method::POST, "/api/leave").token(&token).json(json!({}));
        assert_eq!(leave.send(address).await.0, StatusCode::OK);
        assert_eq!(
            call(address, Method::GET, "/api/session", Some(&token), Vec::new()).await.0,
            StatusCode::UNAUTHORIZED
        );
        let (status, back) = post(address, "/api/join", json!({"code": code, "name": "Amina"})).await;
        assert_eq!(status, StatusCode::OK, "{back}");
        assert_eq!(back["participantId"].as_str(), Some(amina.as_str()));
        assert_ne!(back["token"].as_str(), Some(token.as_str()), "a new seat");
        assert_eq!(data(&setup).participants.len(), before + 1);
    });
}

/// Issue 26, item 2: seats outlive a restart of the room, and of the app on the same file;
/// the file keeps no token.
#[test]
fn a_seat_outlives_a_restart_of_the_room_and_of_the_app() {
    let setup = setup();
    let rt = runtime();
    let token = rt.block_on(join(&setup, "Amina"));
    let session_ok = |room: &powermap_room::Room| {
        rt.block_on(call(room.address(), Method::GET, "/api/session", Some(&token), Vec::new())).0
    };
    assert_eq!(session_ok(&setup.room), StatusCode::OK);
    let Setup { dir, store, session, room, .. } = setup;
    room.stop();
    let (again, _) = start(&store, &session, Limits::default());
    assert_eq!(session_ok(&again), StatusCode::OK, "the room started again knows the seat");
    again.stop();
    drop(store);
    let path = dir.path().join("room.db");
    let reopened = std::sync::Arc::new(Store::open(&path).unwrap());
    let (third, _) = start(&reopened, &session, Limits::default());
    assert_eq!(session_ok(&third), StatusCode::OK, "the app started again on the same file knows it too");
    third.stop();
    drop(reopened);
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "no token is kept in clear");
    }
}

/// Issue 26, item 6: 400 guesses from 40 addresses were answered, and the code never
/// changed. After 100 wrong codes in all, from any mix of addresses, it changes at once.
#[test]
fn a_hundred_wrong_codes_from_any_mix_of_addresses_change_the_code() {
    let setup = setup();
    let address = setup.room.address();
    let first = setup.room.code();
    let wrong = wrong_code(&setup.room);
    runtime().block_on(async {
        for guess in 0..99u32 {
            let (status, _, body) = Call::new(Method::POST, "/api/join")
                .json(json!({"code": wrong, "name": "Guess"}))
                .from(device(guess % 40))
                .send(address)
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "guess {guess}: {body}");
        }
        assert_eq!(setup.room.code(), first, "99 wrong codes: the code stands");
        let (status, _, _) = Call::new(Method::POST, "/api/join")
            .json(json!({"code": wrong, "name": "Guess"}))
            .from(device(41))
            .send(address)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let new = setup.room.code();
        assert_ne!(new, first, "the 100th changes the code at once");
        let told = setup.events.lock().unwrap().clone();
        assert!(told.contains(&RoomEvent::CodeChanged { code: new.clone(), wrong_codes: 100 }), "{told:?}");
        assert_eq!(told.iter().filter(|e| matches!(e, RoomEvent::WrongCode { .. })).count(), 100);
        let door = setup.room.door();
        assert_eq!((door.wrong_codes, door.code_changes), (100, 1));
        assert!(door.last_code_change.is_some());
        // The old code opens nothing; the new one does.
        let (status, _, _) = Call::new(Method::POST, "/api/join")
            .json(json!({"code": first, "name": "Late"}))
            .from(device(50))
            .send(address)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, body) = Call::new(Method::POST, "/api/join")
            .json(json!({"code": new, "name": "Late"}))
            .from(device(50))
            .send(address)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    });
}

/// Issue 26, item 6: a script added 3,000 participants in 8 s with the right code.
#[test]
fn joins_with_the_right_code_are_limited_per_address() {
    let setup = setup();
    let address = setup.room.address();
    let code = setup.room.code();
    runtime().block_on(async {
        let before = data(&setup).participants.len();
        let limit = Limits::default().joins_per_address;
        for n in 0..limit {
            let (status, _, body) = Call::new(Method::POST, "/api/join")
                .json(json!({"code": code, "name": format!("Bot {n}")}))
                .send(address)
                .await;
            assert_eq!(status, StatusCode::OK, "join {n}: {body}");
        }
        let (status, _, body) =
            Call::new(Method::POST, "/api/join").json(json!({"code": code, "name": "Bot again"})).send(address).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too-many-joins")), "{body}");
        assert_eq!(data(&setup).participants.len(), before + limit, "the refused join added nobody");
        // Another device is not held up.
        let (status, _, _) = Call::new(Method::POST, "/api/join")
            .json(json!({"code": code, "name": "Tom"}))
            .from(device(3))
            .send(address)
            .await;
        assert_eq!(status, StatusCode::OK);
    });
}

/// Issue 26, item 10: a right-to-left override, zero-width characters, 199 combining marks
/// and "Facilitator" were accepted as names.
#[test]
fn names_that_impersonate_or_hide_are_refused() {
    let setup = setup();
    let address = setup.room.address();
    let code = setup.room.code();
    let facilitator = data(&setup).session.facilitator;
    assert!(!facilitator.is_empty(), "the sample names its facilitator");
    runtime().block_on(async {
        let before = data(&setup).participants.len();
        let zalgo = format!("A{}", "\u{301}".repeat(199));
        for name in [
            "\u{202e}animA".to_string(),
            "Ami\u{200b}na".to_string(),
            "\u{2066}Tom\u{2069}".to_string(),
            zalgo,
            "Facilitator".to_string(),
            "facilitadora".to_string(),
            facilitator.to_uppercase(),
        ] {
            let (status, body) = post(address, "/api/join", json!({"code": code, "name": name})).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{name:?}: {body}");
            assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        assert_eq!(data(&setup).participants.len(), before, "no refused name was added");
        let (status, body) = post(address, "/api/join", json!({"code": code, "name": "Nguyễn Thị Minh"})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    });
}

/// Issue 26, item 8: after the participant's row was gone, the token still moved cards and
/// opened the feed. Whoever removes them — this process or another on the same file —
/// every route answers 401 and the open socket closes within a second.
#[test]
fn a_removed_participant_is_out_at_once_whoever_removes_them() {
    let setup = setup();
    let address = setup.room.address();
    let stored = data(&setup);
    let (grid, card) = (stored.grids[0].id.clone(), stored.organizations[0].id.clone());
    let path = setup.dir.path().join("room.db");
    runtime().block_on(async {
        for (name, by_another_program) in [("Amina", false), ("Tom", true)] {
            let token = join(&setup, name).await;
            let mut socket = open_live(address, &token, None).await.unwrap();
            let id = data(&setup).participants.into_iter().find(|p| p.name == name).unwrap().id;
            let removed = Instant::now();
            if by_another_program {
                Store::open(&path).unwrap().remove_participant(&id, 30).unwrap();
            } else {
                setup.store.remove_participant(&id, 30).unwrap();
            }
            assert!(closes(&mut socket, Duration::from_secs(1)).await, "{name}'s socket closes within a second");
            assert!(removed.elapsed() < Duration::from_secs(1));
            let moved = json!({"gridId": grid, "organizationId": card, "x": 0.5, "y": 0.5}).to_string().into_bytes();
            let answer = json!({"organizationId": card, "x": 0.5, "y": 0.5}).to_string().into_bytes();
            for (method, path, body) in [
                (Method::GET, "/api/session", Vec::new()),
                (Method::PUT, "/api/placements", moved.clone()),
                (Method::GET, "/api/round", Vec::new()),
                (Method::PUT, "/api/round/answers", answer),
                (Method::PUT, "/api/me", b"{\"organizationId\":null}".to_vec()),
            ] {
                let (status, body) = call(address, method.clone(), path, Some(&token), body).await;
                assert_eq!(
                    (status, body["code"].as_str()),
                    (StatusCode::UNAUTHORIZED, Some("not-joined")),
                    "{method} {path}"
                );
            }
            assert!(open_live(address, &token, None).await.is_err(), "no feed for a removed participant");
        }
        assert_eq!(data(&setup).placements, stored.placements, "no move by a removed participant was stored");
    });
}
