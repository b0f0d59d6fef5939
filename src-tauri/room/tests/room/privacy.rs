//! Private stays private: what a phone can get never ties an answer to a name, and holds
//! only what the page draws; a move travels compact.

use hyper::{Method, StatusCode};
use powermap_core::model::{
    CommitmentFields, CommitmentStatus, OrganizationFields, Point, RelationshipFields, RelationshipKind, RoundFields,
    SessionFields,
};
use serde_json::{json, Value};

use crate::support::*;

/// Everything a phone can fetch with its token, as text.
async fn all_a_phone_can_get(setup: &Setup, token: &str) -> Vec<String> {
    let address = setup.room.address();
    let mut got = Vec::new();
    for path in ["/api/session", "/api/round", "/api/rounds", "/api/session/answers", "/api/results"] {
        let (_, _, body) = Call::new(Method::GET, path).token(token).send_raw(address).await;
        got.push(String::from_utf8_lossy(&body).into_owned());
    }
    got
}

/// Issue 26, item 1: `GET /api/session` carried every revealed round with each answer's
/// name, participant id and place, whatever `names_shown` said.
#[test]
fn a_round_s_answers_never_reach_a_phone_with_their_authors() {
    for names_shown in [false, true] {
        let setup = setup();
        let address = setup.room.address();
        runtime().block_on(async {
            let amina = join(&setup, "Amina").await;
            let tom = join(&setup, "Tom").await;
            let mut socket = open_live(address, &tom, None).await.unwrap();
            let stored = data(&setup);
            let card = stored.organizations[0].id.clone();
            let fields = RoundFields {
                grid_id: stored.grids[0].id.clone(),
                organization_ids: vec![card.clone()],
                names_shown: Some(names_shown),
            };
            let round = setup.store.start_round(&setup.session, &fields, 10).unwrap();
            // Answers at places no one else uses, to be found wherever they travel.
            for (token, x, y) in [(&amina, 0.13579, 0.97531), (&tom, 0.24681, 0.86421)] {
                let body = json!({"organizationId": card, "x": x, "y": y}).to_string().into_bytes();
                assert_eq!(call(address, Method::PUT, "/api/round/answers", Some(token), body).await.0, StatusCode::OK);
            }
            setup.store.reveal_round(&round.id, 20).unwrap();
            let results = setup.store.round_results(&round.id).unwrap();
            assert_eq!(results.cards[0].answers.len(), 2, "the window sees both answers");
            // The reveal reaches the phone; then everything it can fetch.
            let mut feed = Vec::new();
            loop {
                let (change, text) = next_text(&mut socket).await;
                feed.push(text);
                if change["label"]["key"] == "reveal-round" {
                    break;
                }
            }
            let mut everything = feed;
            for token in [&amina, &tom] {
                everything.extend(all_a_phone_can_get(&setup, token).await);
            }
            for text in &everything {
                for secret in ["0.13579", "0.97531", "0.24681", "0.86421", "answers", "answeredAt"] {
                    assert!(!text.contains(secret), "names shown {names_shown}: {secret} reached a phone in {text}");
                }
            }
        });
    }
}

/// Issue 26, item 9: phones were sent session notes, the facilitator's name, every
/// organization's notes, commitments and relationships.
#[test]
fn a_phone_gets_only_what_its_page_draws() {
    let setup = setup();
    let address = setup.room.address();
    runtime().block_on(async {
        let token = join(&setup, "Amina").await;
        let mut socket = open_live(address, &token, None).await.unwrap();
        let stored = data(&setup);
        let session = &stored.session;
        let fields = SessionFields {
            title: session.title.clone(),
            question: session.question.clone(),
            date: session.date.clone(),
            place: "SECRET-PLACE".into(),
            facilitator: "SECRET-FACILITATOR".into(),
            notes: "SECRET-SESSION-NOTES".into(),
        };
        setup.store.update_session(&setup.session, &fields, 10).unwrap();
        let org = &stored.organizations[0];
        let mut org_fields = OrganizationFields::named(&org.name);
        org_fields.notes = "SECRET-ORG-NOTES".into();
        setup.store.update_organization(&org.id, &org_fields, 11).unwrap();
        let commitment = CommitmentFields {
            organization_id: Some(org.id.clone()),
            person: "SECRET-PERSON".into(),
            action: "SECRET-ACTION".into(),
            due: Some("2031-01-02".into()),
            status: CommitmentStatus::Open,
            notes: "SECRET-COMMITMENT-NOTES".into(),
        };
        let committed = setup.store.add_commitment(&setup.session, &commitment, 12).unwrap().change.revision;
        let tie = RelationshipFields {
            from_id: stored.organizations[1].id.clone(),
            to_id: stored.organizations[2].id.clone(),
            kind: RelationshipKind::Funds,
            mutual: false,
            strength: 3,
            note: "SECRET-TIE".into(),
        };
        setup.store.add_relationship(&setup.session, &tie, 13).unwrap();
        setup.store.add_organization(&setup.session, &OrganizationFields::named("Newcomers"), 14).unwrap();
        let mut feed = Vec::new();
        loop {
            let (change, text) = next_text(&mut socket).await;
            feed.push(text);
            if change["organizations"][0]["name"] == "Newcomers" {
                break;
            }
        }
        let mut everything = feed.clone();
        everything.extend(all_a_phone_can_get(&setup, &token).await);
        let secrets =
            ["SECRET", "2031-01-02", "notes", "identity", "movedBy", "movedAt", "relationships", "commitments"];
        for text in &everything {
            for secret in secrets {
                assert!(!text.contains(secret), "{secret} reached a phone in {text}");
            }
        }
        // What the page draws is there.
        let (_, body) = call(address, Method::GET, "/api/session", Some(&token), Vec::new()).await;
        assert_eq!(body["title"], session.title.as_str());
        assert_eq!(body["organizations"][0]["name"], org.name.as_str());
        assert!(body["organizations"][0]["colour"].as_str().is_some_and(|c| c.starts_with('#')));
        assert!(body["grids"][0]["labels"]["regions"].is_array() || body["grids"][0]["labels"]["regions"].is_object());
        let fields: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
        let mut fields = fields;
        fields.sort_unstable();
        assert_eq!(
            fields,
            [
                "decisionBand",
                "grids",
                "organizationId",
                "organizations",
                "participantId",
                "people",
                "places",
                "question",
                "revision",
                "title"
            ]
        );
        // A change to what phones do not draw says only that the session moved on.
        let quiet = feed
            .iter()
            .map(|text| serde_json::from_str::<Value>(text).unwrap())
            .find(|change| change["revision"] == committed)
            .expect("the commitment's change reached the phone");
        assert_eq!(quiet.as_object().unwrap().keys().collect::<Vec<_>>(), ["revision"], "{quiet}");
    });
}

/// Issue 26, item 5: each phone got the whole change of a move, ~680 bytes.
#[test]
fn a_move_reaches_a_phone_in_at_most_200_bytes() {
    let setup = setup();
    let address = setup.room.address();
    let stored = data(&setup);
    let grid = stored.grids[0].id.clone();
    runtime().block_on(async {
        // A long name does not make the message longer: the mover is named by id.
        let long_name = "Amina ".repeat(33);
        let mover = join(&setup, long_name.trim()).await;
        let watcher = join(&setup, "Tom").await;
        let mut socket = open_live(address, &watcher, None).await.unwrap();
        let start = data(&setup).revision;
        let card = &stored.organizations[3].id;
        let body = json!({"gridId": grid, "organizationId": card, "x": 0.123456789, "y": 0.987654321});
        let (status, _) =
            call(address, Method::PUT, "/api/placements", Some(&mover), body.to_string().into_bytes()).await;
        assert_eq!(status, StatusCode::OK);
        setup.store.place_card(&grid, card, Point::new(0.3333333333, 0.6666666666).unwrap(), 50).unwrap();
        let mut moves = Vec::new();
        while moves.len() < 2 {
            let (change, text) = next_text(&mut socket).await;
            if change["revision"].as_i64().unwrap() > start {
                moves.push((change, text));
            }
        }
        for (change, text) in &moves {
            // The frame's header: 2 bytes for a text under 126 bytes, 4 up to 64 KiB.
            let on_the_wire = text.len() + if text.len() < 126 { 2 } else { 4 };
            assert!(on_the_wire <= 200, "{on_the_wire} bytes: {text}");
            assert_eq!(change["moves"][0][0], grid.as_str());
            assert_eq!(change["moves"][0][1], card.as_str());
        }
        assert_eq!(moves[0].0["moves"][0][2], 0.12346, "five decimals are plenty for a finger");
        assert!(moves[0].0["by"].is_string(), "the mover, by participant id");
        assert_eq!(moves[1].0["who"]["kind"], "facilitator");
    });
}
