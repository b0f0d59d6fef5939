use powermap_core::interchange::InterchangeDocument;
use powermap_core::model::{Actor, ChangeLabel, Point, RoundFields, Stamp, WrittenRow};
use powermap_core::summary::Summary;
use powermap_core::{ErrorCode, Store};

use crate::{edited, everything, refused, temp_store};

/// The sample session: its power/interest grid and spectrum, and three of its cards.
struct Sample {
    session: String,
    grid: String,
    spectrum: String,
    cards: Vec<String>,
}

fn sample(store: &Store) -> Sample {
    let session = store.create_sample_session(1).unwrap();
    let data = store.load_session(&session).unwrap();
    Sample {
        grid: data.grids[0].id.clone(),
        spectrum: data.grids[1].id.clone(),
        cards: data.organizations.iter().take(3).map(|o| o.id.clone()).collect(),
        session,
    }
}

fn at(x: f64, y: f64) -> Point {
    Point::new(x, y).unwrap()
}

#[test]
fn a_round_takes_private_answers_until_it_is_revealed() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let history_before = store.load_session(&s.session).unwrap().history;
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: None };
    let started = store.start_round(&s.session, &fields, 10).unwrap();
    assert_eq!(started.change.label, ChangeLabel::StartRound { grid: "Power and interest".into() });
    assert!(matches!(&started.change.written[..], [WrittenRow::Round { row }] if row.id == started.id));
    assert_eq!(started.organization_ids, s.cards);
    assert!(started.is_open() && !started.names_shown, "anonymous unless chosen");
    assert_eq!(store.load_session(&s.session).unwrap().history, history_before, "a round is no step of history");

    // Two participants answer; answering again replaces an answer.
    let (amina, tom) = (("p-amina", "Amina"), ("p-tom", "Tom"));
    store.answer_round(&started.id, amina.0, amina.1, &s.cards[0], at(0.9, 0.9), 11).unwrap();
    store.answer_round(&started.id, amina.0, amina.1, &s.cards[0], at(0.8, 0.9), 12).unwrap();
    let progress = store.answer_round(&started.id, tom.0, tom.1, &s.cards[0], at(0.1, 0.2), 13).unwrap();
    assert_eq!((progress.answered, progress.finished), (2, 0));
    store.answer_round(&started.id, amina.0, amina.1, &s.cards[1], at(0.5, 0.5), 14).unwrap();
    let progress = store.answer_round(&started.id, amina.0, amina.1, &s.cards[2], at(0.6, 0.5), 15).unwrap();
    assert_eq!((progress.answered, progress.finished), (2, 1), "Amina placed every card");
    assert_eq!(store.round_progress(&started.id).unwrap(), progress);

    // Each sees only their own answers; no one sees the results before the reveal.
    let own = store.open_round_for(&s.session, tom.0).unwrap().unwrap();
    assert_eq!(own.round.id, started.id);
    assert_eq!(own.answers, vec![(s.cards[0].clone(), at(0.1, 0.2))]);
    assert_eq!(store.round_results(&started.id).unwrap_err().code(), ErrorCode::Conflict);

    // Bad answers change nothing.
    let before = everything(&store);
    let progress_before = store.round_progress(&started.id).unwrap();
    let other = store.load_session(&s.session).unwrap().organizations[5].id.clone();
    refused(
        &store,
        &before,
        store.answer_round(&started.id, tom.0, tom.1, &other, at(0.5, 0.5), 16),
        ErrorCode::NotFound,
    );
    refused(
        &store,
        &before,
        store.answer_round("gone", tom.0, tom.1, &s.cards[0], at(0.5, 0.5), 16),
        ErrorCode::NotFound,
    );
    assert_eq!(store.round_progress(&started.id).unwrap(), progress_before);

    // Reveal: the most disputed card first, named only when the facilitator chooses.
    let revealed = store.reveal_round(&started.id, 20).unwrap();
    assert_eq!(revealed.change.label, ChangeLabel::RevealRound { grid: "Power and interest".into() });
    assert!(!revealed.is_open());
    let late = store.answer_round(&started.id, tom.0, tom.1, &s.cards[1], at(0.5, 0.5), 21);
    assert_eq!(late.unwrap_err().code(), ErrorCode::Conflict, "no answers after the reveal");
    let results = store.round_results(&started.id).unwrap();
    assert_eq!(results.answered, 2);
    assert_eq!(results.cards[0].organization_id, s.cards[0], "the card the room split on comes first");
    assert_eq!(results.cards[0].answers.len(), 2);
    assert!(results.cards[0].answers.iter().all(|a| a.name.is_none()), "anonymous");
    assert!(results.cards[0].spread > results.cards[1].spread);
    assert_eq!(results.cards.len(), 3);
    store.show_round_names(&started.id, true, 22).unwrap();
    let named = store.round_results(&started.id).unwrap();
    let mut names: Vec<_> = named.cards[0].answers.iter().filter_map(|a| a.name.clone()).collect();
    names.sort();
    assert_eq!(names, ["Amina", "Tom"]);

    // The choice is remembered for the next round; starting one ends the open one.
    let next =
        store.start_round(&s.session, &RoundFields { grid_id: s.spectrum.clone(), ..Default::default() }, 30).unwrap();
    assert!(next.names_shown, "the last round's choice");
    assert_eq!(next.organization_ids.len(), store.load_session(&s.session).unwrap().organizations.len(), "every card");
    let ended = store.end_round(&next.id, Stamp::new(31, Actor::Facilitator)).unwrap();
    assert!(ended.closed_at.is_some());
    let rounds = store.load_session(&s.session).unwrap().rounds;
    assert_eq!(rounds.len(), 2);
    assert!(store.open_round_for(&s.session, tom.0).unwrap().is_none());
    assert_eq!(store.load_session(&s.session).unwrap().history, history_before, "still no steps");
}

#[test]
fn a_round_is_refused_for_a_grid_or_card_not_in_the_session() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let other = sample(&store);
    let before = everything(&store);
    let bad_grid = RoundFields { grid_id: other.grid.clone(), ..Default::default() };
    refused(&store, &before, store.start_round(&s.session, &bad_grid, 5), ErrorCode::NotFound);
    let bad_card =
        RoundFields { grid_id: s.grid.clone(), organization_ids: vec![other.cards[0].clone()], names_shown: None };
    refused(&store, &before, store.start_round(&s.session, &bad_card, 5), ErrorCode::NotFound);
    refused(&store, &before, store.reveal_round("gone", 5), ErrorCode::NotFound);
}

#[test]
fn removing_a_card_leaves_the_round_without_it() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: Some(false) };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "p", "Amina", &s.cards[1], at(0.2, 0.3), 11).unwrap();
    store.remove_organization(&s.cards[1], 12).unwrap();
    let own = store.open_round_for(&s.session, "p").unwrap().unwrap();
    assert_eq!(own.round.organization_ids, vec![s.cards[0].clone(), s.cards[2].clone()]);
    assert!(own.answers.is_empty(), "the removed card's answer went with it");
    store.reveal_round(&round.id, 13).unwrap();
    assert!(store.round_results(&round.id).unwrap().cards.is_empty());
}

#[test]
fn undoing_a_cards_removal_brings_its_answers_back_and_no_view_sees_them() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: Some(true) };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "p-amina", "Amina", &s.cards[1], at(0.2, 0.3), 11).unwrap();
    store.answer_round(&round.id, "p-tom", "Tom", &s.cards[1], at(0.7, 0.6), 12).unwrap();
    store.answer_round(&round.id, "p-tom", "Tom", &s.cards[0], at(0.4, 0.4), 13).unwrap();

    // Removed by mistake: the card's answers go with it, and no change names them.
    let removed = store.remove_organization(&s.cards[1], 14).unwrap();
    let debug = format!("{:?}", removed.change);
    assert!(!debug.contains("p-amina") && !debug.contains("p-tom"), "no answer in the removal's change: {debug}");
    assert!(store.open_round_for(&s.session, "p-amina").unwrap().unwrap().answers.is_empty());

    // Undone: the card is back in the round with both answers, and still no view is told them.
    let undone = store.undo(&s.session, 15).unwrap();
    let debug = format!("{undone:?}");
    assert!(!debug.contains("p-amina") && !debug.contains("p-tom"), "no answer in the undo's change: {debug}");
    assert!(undone.written.iter().any(|w| matches!(w, WrittenRow::Organization { row, .. } if row.id == s.cards[1])));
    let amina = store.open_round_for(&s.session, "p-amina").unwrap().unwrap();
    assert_eq!(amina.round.organization_ids, s.cards);
    assert_eq!(amina.answers, vec![(s.cards[1].clone(), at(0.2, 0.3))]);
    let tom = store.open_round_for(&s.session, "p-tom").unwrap().unwrap();
    assert_eq!(tom.answers.len(), 2, "Tom's answers for both cards");
    assert_eq!(store.round_progress(&round.id).unwrap().answered, 2);

    // Redone and undone again, the same.
    store.redo(&s.session, 16).unwrap();
    assert!(store.open_round_for(&s.session, "p-tom").unwrap().unwrap().answers.len() == 1);
    store.undo(&s.session, 17).unwrap();
    store.reveal_round(&round.id, 18).unwrap();
    let results = store.round_results(&round.id).unwrap();
    let card = results.cards.iter().find(|c| c.organization_id == s.cards[1]).unwrap();
    let mut names: Vec<_> = card.answers.iter().map(|a| a.name.clone().unwrap_or_default()).collect();
    names.sort();
    assert_eq!(names, ["Amina", "Tom"]);
}

#[test]
fn undoing_a_grids_removal_brings_its_round_and_answers_back() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: None };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "p-amina", "Amina", &s.cards[0], at(0.2, 0.3), 11).unwrap();
    store.remove_grid(&s.grid, 12).unwrap();
    assert!(store.open_round_for(&s.session, "p-amina").unwrap().is_none());
    store.undo(&s.session, 13).unwrap();
    let amina = store.open_round_for(&s.session, "p-amina").unwrap().unwrap();
    assert_eq!(amina.round.id, round.id);
    assert_eq!(amina.answers, vec![(s.cards[0].clone(), at(0.2, 0.3))]);
}

#[test]
fn the_summary_says_where_the_room_disagreed() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: Some(false) };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "a", "Amina", &s.cards[0], at(0.9, 0.9), 11).unwrap();
    store.answer_round(&round.id, "t", "Tom", &s.cards[0], at(0.1, 0.1), 12).unwrap();
    store.answer_round(&round.id, "a", "Amina", &s.cards[1], at(0.8, 0.2), 13).unwrap();
    let markdown = powermap_core::summary::to_markdown(&Summary::read(&store, &s.session).unwrap());
    assert!(!markdown.contains("Where the room disagreed"), "answers stay private until the reveal: {markdown}");

    store.reveal_round(&round.id, 14).unwrap();
    let markdown = powermap_core::summary::to_markdown(&Summary::read(&store, &s.session).unwrap());
    assert!(markdown.contains("## Where the room disagreed"), "{markdown}");
    assert!(markdown.contains("Power and interest — 2 participants answered"), "{markdown}");
    let first = store.load_session(&s.session).unwrap().organizations[0].name.clone();
    let row = markdown.lines().find(|l| l.contains(&first) && l.contains("far apart")).expect("the split card's row");
    assert!(row.contains("Manage closely ×1; Monitor ×1"), "anonymous: counts per region: {row}");
    assert!(!markdown.contains("Amina: "), "no names unless chosen");
    let split_at = markdown.find(&first).unwrap();
    let agreed = store.load_session(&s.session).unwrap().organizations[1].name.clone();
    assert!(markdown.rfind(&agreed).unwrap() > split_at, "the most disputed card first");

    store.show_round_names(&round.id, true, 15).unwrap();
    let html = powermap_core::summary::to_html(&Summary::read(&store, &s.session).unwrap());
    assert!(
        html.contains("Amina: Manage closely; Tom: Monitor") || html.contains("Tom: Monitor; Amina: Manage closely"),
        "{html}"
    );
}

#[test]
fn a_revealed_round_travels_in_the_file_with_its_answers_and_an_open_one_does_not() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: Some(true) };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "a", "Amina", &s.cards[0], at(0.9, 0.9), 11).unwrap();
    store.answer_round(&round.id, "t", "Tom", &s.cards[0], at(0.1, 0.1), 12).unwrap();
    store.reveal_round(&round.id, 13).unwrap();
    store.end_round(&round.id, 14).unwrap();
    // A second round, still taking answers: they stay private, out of the file.
    let only =
        RoundFields { grid_id: s.spectrum.clone(), organization_ids: vec![s.cards[1].clone()], names_shown: None };
    let open = store.start_round(&s.session, &only, 15).unwrap();
    store.answer_round(&open.id, "a", "Amina", &s.cards[1], at(0.5, 0.5), 16).unwrap();

    let text = store.export_document(&s.session).unwrap().to_json();
    assert!(!text.contains(&open.id), "an open round is left out of the file");
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["rounds"].as_array().unwrap().len(), 1);
    assert_eq!(value["rounds"][0]["id"], round.id.as_str());
    assert_eq!(value["rounds"][0]["answers"].as_array().unwrap().len(), 2);

    // Imported elsewhere: the summary still says where the room disagreed, and a second
    // export is the same file.
    let (_dir2, _path2, other) = temp_store();
    let imported = other.import_document(InterchangeDocument::from_json(&text).unwrap()).unwrap();
    let markdown = powermap_core::summary::to_markdown(&Summary::read(&other, &imported).unwrap());
    assert!(markdown.contains("## Where the room disagreed") && markdown.contains("Amina: "), "{markdown}");
    assert_eq!(other.export_document(&imported).unwrap().to_json(), text, "the round trip loses nothing");
    assert!(other.open_round_for(&imported, "a").unwrap().is_none(), "no round is open in the copy");

    // Into the same database: new ids, the answers following their cards.
    let again = store.import_document(InterchangeDocument::from_json(&text).unwrap()).unwrap();
    let copy = store.load_session(&again).unwrap();
    assert_ne!(copy.rounds[0].id, round.id);
    let results = store.round_results(&copy.rounds[0].id).unwrap();
    assert_eq!(results.cards.len(), 1);
    assert_eq!(results.cards[0].organization_id, copy.organizations[0].id);
    assert_eq!(results.cards[0].answers.len(), 2);
}

#[test]
fn a_file_with_a_bad_round_is_refused_and_adds_nothing() {
    let (_dir, _path, store) = temp_store();
    let s = sample(&store);
    let fields = RoundFields { grid_id: s.grid.clone(), organization_ids: s.cards.clone(), names_shown: None };
    let round = store.start_round(&s.session, &fields, 10).unwrap();
    store.answer_round(&round.id, "a", "Amina", &s.cards[0], at(0.9, 0.9), 11).unwrap();
    store.reveal_round(&round.id, 12).unwrap();
    let good = store.export_document(&s.session).unwrap().to_json();
    let (_dir2, _path2, target) = temp_store();
    let before = everything(&target);
    let edit = |f: &dyn Fn(&mut serde_json::Value)| edited(&good, f);
    let other_card = s.cards[2].clone();
    let cases = [
        ("never revealed", edit(&|v| v["rounds"][0]["revealedAt"] = serde_json::Value::Null)),
        ("a grid not in the file", edit(&|v| v["rounds"][0]["gridId"] = "nowhere".into())),
        ("a card not in the file", edit(&|v| v["rounds"][0]["organizationIds"][0] = "nobody".into())),
        ("an answer for a card not in the round", {
            edit(&|v| {
                v["rounds"][0]["organizationIds"] = serde_json::json!([s.cards[0]]);
                v["rounds"][0]["answers"][0]["organizationId"] = other_card.clone().into();
            })
        }),
        ("an answer off the grid", edit(&|v| v["rounds"][0]["answers"][0]["x"] = 1.5.into())),
        ("an answer without a name", edit(&|v| v["rounds"][0]["answers"][0]["name"] = "\n".into())),
        ("the same answer twice", {
            edit(&|v| {
                let answer = v["rounds"][0]["answers"][0].clone();
                v["rounds"][0]["answers"].as_array_mut().unwrap().push(answer);
            })
        }),
    ];
    for (what, text) in cases {
        let result = InterchangeDocument::from_json(&text).and_then(|document| target.import_document(document));
        match &result {
            Ok(_) => panic!("{what}: imported"),
            Err(e) => assert_eq!(e.code(), ErrorCode::BadImport, "{what}: {e}"),
        }
        refused(&target, &before, result, ErrorCode::BadImport);
    }
}
