//! Sync with a laptop nearby: two laptops (two databases) sharing a campaign sync over the
//! room server of one of them, on 127.0.0.1 — and everything an attacker on the room's
//! network could send to the sync routes is refused and changes nothing.

use base64::Engine;
use hyper::{Method, StatusCode};
use powermap_core::i18n::Lang;
use powermap_core::model::{Actor, Point, Stamp};
use powermap_core::sync::{nearby, CampaignKey};
use powermap_core::{ErrorCode, Store};
use powermap_room::nearby::client::{sync_with, Campaign, NearbySync};
use powermap_room::{Limits, RoomEvent};
use serde_json::json;

use crate::hostile::raw_request;
use crate::support::{device, runtime, setup, setup_with, wrong_code, Call, Setup};

const NOW: i64 = 1_765_000_000_000;

/// The session's campaign shared on the room's laptop ("Amina's laptop"); its key.
fn share(setup: &Setup) -> (String, String) {
    let key = CampaignKey::generate().to_text();
    let shared = setup.store.share_campaign(&setup.session, "Amina's laptop", &key, None, NOW).unwrap();
    (shared.campaign, key)
}

/// Another laptop: an empty database of its own.
fn laptop() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("other.db")).unwrap();
    (dir, store)
}

fn exported(store: &Store, session: &str) -> String {
    serde_json::to_string_pretty(&store.export_document(session).unwrap()).unwrap()
}

/// The campaign's version on `store`, as sorted (laptop, count) pairs.
fn version(store: &Store, campaign: &str) -> Vec<(u64, i32)> {
    let vv = loro::VersionVector::decode(&store.shared_version(campaign).unwrap()).unwrap();
    let mut pairs: Vec<(u64, i32)> = vv.iter().map(|(peer, end)| (*peer, *end)).collect();
    pairs.sort();
    pairs
}

fn by(name: &str) -> Stamp {
    Stamp::new(NOW, Actor::moving_as(name))
}

fn address(setup: &Setup) -> String {
    setup.room.join_url()
}

/// `other`, as Ben's laptop, syncs `campaign` with the room of `setup`, typing `code`.
fn sync_nearby(other: &Store, setup: &Setup, code: &str, campaign: &Campaign) -> powermap_core::Result<NearbySync> {
    sync_with(other, &address(setup), code, campaign, "Ben's laptop", Lang::En, NOW)
}

#[test]
fn a_laptop_nearby_joins_with_the_key_and_then_changes_go_both_ways() {
    let setup = setup();
    let (campaign, key) = share(&setup);
    let (_dir, other) = laptop();
    let joined =
        sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Join { key: key.clone() }).expect("joined nearby");
    assert_eq!(joined.campaign, campaign);
    assert_eq!(joined.laptop, "Amina's laptop");
    assert!(joined.rows_in > 10, "the whole session came in: {joined:?}");
    assert_eq!(exported(&other, &setup.session), exported(&setup.store, &setup.session));
    assert_eq!(other.shared_campaign(&campaign).unwrap().key, key, "joined under the key");

    // Each laptop moves a card; one sync brings each move to the other.
    let data = setup.store.load_session(&setup.session).unwrap();
    let grid = &data.grids[0].id;
    let (first, second) = (&data.organizations[0].id, &data.organizations[1].id);
    setup.store.place_card(grid, first, Point { x: 0.11, y: 0.22 }, by("Amina")).unwrap();
    other.place_card(grid, second, Point { x: 0.77, y: 0.88 }, by("Ben")).unwrap();
    let synced =
        sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Shared(campaign.clone())).expect("synced nearby");
    assert!(synced.rows_in >= 1 && synced.rows_out >= 1 && synced.changes_out >= 1, "{synced:?}");
    assert_eq!(exported(&other, &setup.session), exported(&setup.store, &setup.session));
    assert_eq!(version(&setup.store, &campaign), version(&other, &campaign));
    let moved = setup.store.load_session(&setup.session).unwrap();
    let place = |org: &str| moved.placements.iter().find(|p| p.organization_id == org && &p.grid_id == grid).cloned();
    assert_eq!(place(second).map(|p| (p.x, p.y)), Some((0.77, 0.88)), "Ben's move is on Amina's laptop");
    let synced_events: Vec<_> = setup
        .events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            RoomEvent::Synced { laptop, rows } => Some((laptop.clone(), *rows)),
            _ => None,
        })
        .collect();
    assert_eq!(synced_events.len(), 2, "each sync told to the window");
    assert_eq!(synced_events[1].0, "Ben's laptop");
    assert_eq!(setup.room.door().syncs, 2);

    // Nothing new on either side: a sync changes nothing.
    let again = sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Shared(campaign.clone())).unwrap();
    assert_eq!((again.rows_in, again.rows_out, again.changes_out), (0, 0, 0));
}

#[test]
fn a_wrong_code_or_another_key_is_refused_counted_and_changes_nothing() {
    let setup = setup();
    let (_, key) = share(&setup);
    let (_dir, other) = laptop();
    let wrong = sync_nearby(&other, &setup, wrong_code(&setup.room), &Campaign::Join { key: key.clone() })
        .expect_err("a wrong code");
    assert_eq!(wrong.code(), ErrorCode::InvalidInput);
    assert!(wrong.message_in(Lang::En).contains("code"), "{}", wrong.message_in(Lang::En));
    let stranger = CampaignKey::generate().to_text();
    let other_key = sync_with(
        &other,
        &address(&setup),
        &setup.room.code(),
        &Campaign::Join { key: stranger },
        "Ben's laptop",
        Lang::Fr,
        NOW,
    )
    .expect_err("another key");
    assert_eq!(other_key.code(), ErrorCode::Conflict);
    assert!(other.shared_campaigns().unwrap().is_empty(), "nothing joined");
    assert!(other.list_sessions().unwrap().is_empty(), "nothing came in");
    assert_eq!(setup.room.door().wrong_codes, 2, "both counted at the door");
    // Not an address: refused before anything is sent.
    let named =
        sync_with(&other, "laptop.local", "123456", &Campaign::Join { key }, "B", Lang::En, NOW).expect_err("a name");
    assert_eq!(named.code(), ErrorCode::InvalidInput);
}

#[test]
fn too_many_wrong_hellos_make_the_address_wait_and_change_the_code() {
    let limits = Limits { wrong_codes_per_address: 3, wrong_codes_per_code: 5, ..Limits::default() };
    let setup = setup_with(limits);
    let (_, key) = share(&setup);
    let (_dir, other) = laptop();
    let first_code = setup.room.code();
    let join = Campaign::Join { key };
    for _ in 0..3 {
        let wrong = wrong_code(&setup.room);
        sync_nearby(&other, &setup, wrong, &join).expect_err("wrong");
    }
    let waiting = sync_nearby(&other, &setup, &setup.room.code(), &join)
        .expect_err("this address waits, even with the right code");
    assert_eq!(waiting.code(), ErrorCode::Conflict);
    assert!(waiting.message_in(Lang::En).contains("wait"), "{}", waiting.message_in(Lang::En));
    // Wrong hellos from other addresses change the code.
    runtime().block_on(async {
        for n in 1..=2 {
            let body = json!({"sealed": base64::engine::general_purpose::STANDARD.encode(b"not sealed")});
            let (status, _, _) =
                Call::new(Method::POST, "/api/sync/hello").json(body).from(device(n)).send(setup.room.address()).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
    });
    assert_ne!(setup.room.code(), first_code, "the code changed after five wrong attempts");
}

/// A hello sealed as the other laptop's program makes it, for `campaign` under `key`.
fn sealed_hello(store: &Store, key: &str, code: &str) -> String {
    let key = CampaignKey::from_text(key).unwrap();
    let hello = nearby::hello(store, None, &key, code, "Mallory").unwrap();
    base64::engine::general_purpose::STANDARD.encode(hello)
}

#[test]
fn the_sync_routes_keep_the_room_s_rules_and_names_never_travel_in_the_clear() {
    let limits = Limits { max_body: 4096, ..Limits::default() };
    let setup = setup_with(limits);
    let (campaign, key) = share(&setup);
    let (_dir, other) = laptop();
    let room = setup.room.address();
    let names: Vec<String> =
        setup.store.load_session(&setup.session).unwrap().organizations.iter().map(|o| o.name.clone()).collect();
    runtime().block_on(async {
        let hello = json!({"sealed": sealed_hello(&other, &key, &setup.room.code())});
        // Another site's page, or a name for the host (DNS rebinding): refused before the code.
        let (status, _, body) = Call::new(Method::POST, "/api/sync/hello")
            .json(hello.clone())
            .header("origin", "http://evil.example")
            .send(room)
            .await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("wrong-origin")));
        let (status, _, _) =
            Call::new(Method::POST, "/api/sync/hello").json(hello.clone()).host("rebound.example:8470").send(room).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // A form's body (no preflight): refused.
        let form = hello.to_string();
        let raw = format!(
            "POST /api/sync/hello HTTP/1.1\r\nhost: {room}\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{form}",
            form.len()
        );
        let answer = raw_request(room, &raw).await;
        assert!(answer.starts_with("HTTP/1.1 415"), "{answer}");
        // Not base 64, not JSON: 400.
        let (status, _, _) =
            Call::new(Method::POST, "/api/sync/hello").json(json!({"sealed": "%%%"})).send(room).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        // The rest without a ticket, or with one made up, is refused before its body is read.
        for ticket in [None, Some("made-up")] {
            let mut call = Call::new(Method::POST, "/api/sync/rest").body(vec![b' '; 100_000]);
            call.token = ticket;
            let (status, headers, body) = call.send(room).await;
            assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("not-paired")));
            assert_eq!(headers.get("connection").map(|v| v.to_str().unwrap()), Some("close"));
        }

        // The right hello: answered with a ticket and a sealed answer that names nothing.
        let (status, _, answer) = Call::new(Method::POST, "/api/sync/hello").json(hello.clone()).send(room).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let text = answer.to_string();
        for name in &names {
            assert!(!text.contains(name.as_str()), "{name} in the clear");
        }
        let ticket = answer["ticket"].as_str().unwrap().to_string();
        // The ticket from another address: refused.
        let rest = json!({"sealed": "AAAA"});
        let (status, _, _) =
            Call::new(Method::POST, "/api/sync/rest").json(rest.clone()).token(&ticket).from(device(7)).send(room).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // A rest that does not open: refused, and the ticket is used up.
        let (status, _, body) = Call::new(Method::POST, "/api/sync/rest").json(rest.clone()).token(&ticket).send(room).await;
        assert_eq!((status, body["code"].as_str()), (StatusCode::FORBIDDEN, Some("damaged")), "{body}");
        let (status, _, _) = Call::new(Method::POST, "/api/sync/rest").json(rest).token(&ticket).send(room).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a ticket is good once");
    });

    // A whole sync whose rest is larger than any other request may be: taken with its ticket.
    let joined = sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Join { key: key.clone() }).unwrap();
    let data = other.load_session(&setup.session).unwrap();
    for (n, org) in data.organizations.iter().cycle().take(300).enumerate() {
        let x = (n as f64 * 0.013 + 0.001) % 1.0;
        other.place_card(&data.grids[0].id, &org.id, Point { x, y: 1.0 - x }, by("Ben")).unwrap();
    }
    let synced = sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Shared(joined.campaign))
        .expect("a large rest is taken with its ticket");
    assert!(synced.changes_out >= 300, "{synced:?}");
    assert_eq!(exported(&other, &setup.session), exported(&setup.store, &setup.session));
    assert_eq!(version(&setup.store, &campaign), version(&other, &campaign));
}

#[test]
fn a_room_whose_campaign_is_not_shared_syncs_nothing() {
    let setup = setup();
    let (_dir, other) = laptop();
    let key = CampaignKey::generate().to_text();
    let refused = sync_nearby(&other, &setup, &setup.room.code(), &Campaign::Join { key }).expect_err("nothing shared");
    assert_eq!(refused.code(), ErrorCode::Conflict);
    assert!(other.list_sessions().unwrap().is_empty());
}
