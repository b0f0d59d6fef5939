use powermap_core::model::{
    Actor, ChangeAction, ChangeLabel, CommitmentFields, CommitmentStatus, GridKind, OrganizationFields,
    ParticipantFields, Point, RowKey, SessionChange, Stamp, WrittenRow,
};
use powermap_core::store::Publication;
use powermap_core::summary::Summary;
use powermap_core::{ErrorCode, Store};

use crate::{session, temp_store};

fn at(x: f64, y: f64) -> Point {
    Point::new(x, y).unwrap()
}

fn maria(at: i64) -> Stamp {
    Stamp::new(at, Actor::moving_as("Maria"))
}

#[test]
fn every_write_returns_its_change_and_the_next_revision() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let start = store.load_session(&id).unwrap().revision;
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    let mut changes: Vec<SessionChange> = Vec::new();

    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    changes.push(org.change.clone());
    assert_eq!(org.change.label, ChangeLabel::AddOrganization { name: "Council".into() });
    assert_eq!(org.change.written, [WrittenRow::Organization { row: org.value.clone(), seq: 1 }]);

    let placed = store.place_card(&grid, &org.id, at(0.2, 0.3), maria(3)).unwrap();
    assert_eq!(placed.change.written, [WrittenRow::Placement { row: placed.value.clone() }]);
    assert_eq!(placed.change.actor, Actor::Participant { name: "Maria".into(), id: None });
    assert_eq!(placed.moved_by, "Maria", "the card remembers who moved it");
    changes.push(placed.change);

    let list = store.add_organizations_from_list(&id, "Union\nParish", 4).unwrap();
    assert_eq!(list.change.written.len(), 2);
    changes.push(list.change.clone());
    let moved =
        store.place_cards(&grid, &[(list[0].id.clone(), at(0.5, 0.5)), (list[1].id.clone(), at(0.6, 0.6))], 5).unwrap();
    assert_eq!(moved.change.label, ChangeLabel::MoveCards { count: 2 });
    changes.push(moved.change);
    changes.push(store.update_organization(&org.id, &OrganizationFields::named("City Council"), 6).unwrap().change);
    let spectrum = store.add_grid(&id, GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 7).unwrap();
    changes.push(spectrum.change.clone());
    changes.push(store.update_grid(&spectrum.id, "Allies", &spectrum.labels, 8).unwrap().change);
    let tray = store.return_card_to_tray(&grid, &list[0].id, 9).unwrap();
    assert_eq!(tray.change.removed, [RowKey::Placement { grid_id: grid.clone(), organization_id: list[0].id.clone() }]);
    changes.push(tray.change);
    let fields = CommitmentFields {
        organization_id: Some(org.id.clone()),
        person: String::new(),
        action: "Hold a hearing".into(),
        due: None,
        status: CommitmentStatus::Open,
        notes: String::new(),
    };
    let commitment = store.add_commitment(&id, &fields, 10).unwrap();
    changes.push(commitment.change.clone());
    let done = CommitmentFields { status: CommitmentStatus::Done, ..fields };
    let marked = store.update_commitment(&commitment.id, &done, 11).unwrap();
    assert_eq!(
        marked.change.label,
        ChangeLabel::MarkCommitment { action: "Hold a hearing".into(), status: "done".into() }
    );
    changes.push(marked.change);
    let amina =
        store.add_participant(&id, &ParticipantFields { name: "Amina".into(), organization_id: None }, 12).unwrap();
    changes.push(amina.change.clone());
    changes.push(
        store
            .update_participant(&amina.id, &ParticipantFields { name: "Amina K".into(), organization_id: None }, 13)
            .unwrap()
            .change,
    );
    changes.push(store.remove_participant(&amina.id, 14).unwrap().change);
    changes.push(store.remove_commitment(&commitment.id, 15).unwrap().change);
    changes.push(store.remove_grid(&spectrum.id, 16).unwrap().change);
    let fields = powermap_core::model::SessionFields { title: "Renamed".into(), ..Default::default() };
    changes.push(store.update_session(&id, &fields, 17).unwrap().change);
    changes.push(store.rename_session(&id, "Workshop two", 18).unwrap().change);
    changes.push(store.remove_organization(&org.id, 19).unwrap().change);
    changes.push(store.undo(&id, 20).unwrap());
    changes.push(store.redo(&id, 21).unwrap());

    for (n, change) in changes.iter().enumerate() {
        assert_eq!(change.session_id, id);
        assert_eq!(change.revision, start + 1 + n as i64, "each write is the next revision: {:?}", change.label);
        assert!(
            !change.written.is_empty() || !change.removed.is_empty(),
            "every change says what it wrote or removed: {:?}",
            change.label
        );
    }
    let last = changes.last().unwrap();
    assert_eq!(store.load_session(&id).unwrap().revision, last.revision, "the session keeps its revision");
    assert_eq!(last.action, ChangeAction::Redo);
    assert_eq!(last.history, store.history_state(&id).unwrap(), "the change carries what undo and redo would do next");
}

#[test]
fn removing_an_organization_says_what_went_with_it_and_what_it_left() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Tenants Union"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, at(0.4, 0.4), 3).unwrap();
    let amina = store
        .add_participant(&id, &ParticipantFields { name: "Amina".into(), organization_id: Some(org.id.clone()) }, 4)
        .unwrap();
    let commit = |person: &str| CommitmentFields {
        organization_id: Some(org.id.clone()),
        person: person.into(),
        action: format!("Task for {person}"),
        due: None,
        status: CommitmentStatus::Open,
        notes: String::new(),
    };
    let only_union = store.add_commitment(&id, &commit(""), 5).unwrap();
    let with_person = store.add_commitment(&id, &commit("Dolores"), 6).unwrap();

    let change = store.remove_organization(&org.id, 7).unwrap().change;
    for key in [
        RowKey::Organization { id: org.id.clone() },
        RowKey::Placement { grid_id: grid.clone(), organization_id: org.id.clone() },
        RowKey::Commitment { id: only_union.id.clone() },
    ] {
        assert!(change.removed.contains(&key), "{key:?} goes with the organization: {:?}", change.removed);
    }
    let participant = change.written.iter().find_map(|r| match r {
        WrittenRow::Participant { row, .. } => Some(row.clone()),
        _ => None,
    });
    assert_eq!(
        participant.map(|p| (p.id, p.organization_id)),
        Some((amina.id.clone(), None)),
        "the participant stays, speaking for no organization, and every view is told so"
    );
    let commitment = change.written.iter().find_map(|r| match r {
        WrittenRow::Commitment { row, .. } => Some(row.clone()),
        _ => None,
    });
    assert_eq!(commitment.map(|c| (c.id, c.organization_id)), Some((with_person.id.clone(), None)));

    let undo = store.undo(&id, 8).unwrap();
    let restored = store.load_session(&id).unwrap();
    assert_eq!(restored.participants[0].organization_id, Some(org.id.clone()), "undo links the participant again");
    assert_eq!(restored.commitments.len(), 2);
    assert!(undo.removed.is_empty(), "undoing a removal removes nothing");
    assert!(undo.written.iter().any(|r| matches!(r, WrittenRow::Organization { row, seq: 1 } if row.id == org.id)));
}

#[test]
fn nudges_of_one_card_within_a_second_are_one_step() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, at(0.5, 0.5), 1_000).unwrap();
    for (n, time) in [5_000, 5_400, 5_800, 6_200].into_iter().enumerate() {
        store.place_card(&grid, &org.id, at(0.5 + 0.02 * (n as f64 + 1.0), 0.5), time).unwrap();
    }
    // More than a second after the last nudge: a step of its own.
    store.place_card(&grid, &org.id, at(0.9, 0.9), 7_300).unwrap();
    // Maria's nudge right after is hers, not merged into the facilitator's.
    store.place_card(&grid, &org.id, at(0.8, 0.9), maria(7_400)).unwrap();

    let history = store.history(&id).unwrap();
    assert_eq!(history.len(), 5, "add, place, one run of nudges, one move, Maria's move: {history:?}");
    store.undo(&id, 8_000).unwrap();
    store.undo(&id, 8_001).unwrap();
    let p = store.load_session(&id).unwrap().placements[0].clone();
    assert!((p.x - 0.58).abs() < 1e-9, "back to the end of the nudges, at {}", p.x);
    store.undo(&id, 8_002).unwrap();
    let p = store.load_session(&id).unwrap().placements[0].clone();
    assert_eq!((p.x, p.y), (0.5, 0.5), "one undo takes back the whole run of nudges");
}

#[test]
fn undo_takes_back_the_last_step_whoever_made_it_and_names_whose() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Riverside Tenants Union"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, at(0.2, 0.2), 3).unwrap();
    store.place_card(&grid, &org.id, at(0.7, 0.7), Stamp::new(10_000, Actor::moving_as("Amina"))).unwrap();

    let waiting = store.history_state(&id).unwrap().undo.unwrap();
    assert_eq!(waiting.label, ChangeLabel::MoveCard { organization: "Riverside Tenants Union".into() });
    assert_eq!(
        waiting.actor,
        Actor::Participant { name: "Amina".into(), id: None },
        "the undo button can say whose step it is"
    );

    let undone = store.undo(&id, Stamp::new(11_000, Actor::Cli)).unwrap();
    assert_eq!(undone.action, ChangeAction::Undo);
    assert_eq!(undone.author, Actor::Participant { name: "Amina".into(), id: None }, "the step was Amina's");
    assert_eq!(undone.actor, Actor::Cli, "and the command line took it back");
    assert_eq!(undone.written, [WrittenRow::Placement { row: store.load_session(&id).unwrap().placements[0].clone() }]);
    let redo = undone.history.redo.unwrap();
    assert_eq!(redo.actor, Actor::Participant { name: "Amina".into(), id: None });

    let lines = store.history(&id).unwrap();
    assert!(lines[0].undone && !lines[1].undone, "newest first, the undone step on top");
    assert_eq!(
        store.undo(&id, 12_000).unwrap().label,
        ChangeLabel::PlaceCard { organization: "Riverside Tenants Union".into() }
    );
    store.undo(&id, 12_001).unwrap();
    assert_eq!(store.undo(&id, 12_002).unwrap_err().code(), ErrorCode::Conflict, "nothing left to undo");
}

#[test]
fn a_step_recorded_before_a_column_was_added_still_undoes_after_it() {
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, at(0.3, 0.3), 3).unwrap();
    store.update_organization(&org.id, &OrganizationFields::named("City Council"), 4).unwrap();
    store.remove_organization(&org.id, 5).unwrap();

    // A later version adds a column, as a migration would.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("ALTER TABLE organization ADD COLUMN website TEXT NOT NULL DEFAULT 'none yet'").unwrap();

    store.undo(&id, 6).unwrap();
    let back = store.load_session(&id).unwrap();
    assert_eq!(back.organizations[0].name, "City Council", "the removal, recorded without the column, is undone");
    assert_eq!(back.placements.len(), 1, "with its placement");
    let website: String =
        other.query_row("SELECT website FROM organization WHERE id = ?1", [&org.id], |r| r.get(0)).unwrap();
    assert_eq!(website, "none yet", "the new column takes its default");
    store.undo(&id, 7).unwrap();
    assert_eq!(store.load_session(&id).unwrap().organizations[0].name, "Council");

    // A step recorded with the column, undone after the column is gone again.
    store.update_organization(&org.id, &OrganizationFields::named("Council of the City"), 8).unwrap();
    other.execute_batch("ALTER TABLE organization DROP COLUMN website").unwrap();
    store.undo(&id, 9).unwrap();
    assert_eq!(store.load_session(&id).unwrap().organizations[0].name, "Council", "a column that is gone is left out");
}

/// A database written by the version before history rows became column maps (data version
/// 8), made with that version: steps of every kind, the last a removal with its cascade.
const FIRST_FORM_FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/history-v8.db");

#[test]
fn history_recorded_in_the_first_form_is_moved_to_the_new_one_and_still_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("powermap.db");
    std::fs::copy(FIRST_FORM_FIXTURE, &path).unwrap();
    let store = Store::open(&path).expect("the version-8 file is upgraded");
    let id = store.list_sessions().unwrap()[0].id.clone();
    let end = store.load_session(&id).unwrap();
    assert_eq!(end.organizations.len(), 1, "the fixture ends with the Tenants Union removed");

    let lines = store.history(&id).unwrap();
    assert_eq!(lines.len(), 13, "every step came along: {lines:?}");
    assert_eq!(lines[0].entry.label, ChangeLabel::Recorded { text: "Remove “Tenants Union”".into() });
    let moved =
        lines.iter().find(|l| l.entry.label == ChangeLabel::Recorded { text: "Move “City Council”".into() });
    assert_eq!(
        moved.map(|l| l.entry.actor.clone()),
        Some(Actor::Participant { name: "Maria".into(), id: None }),
        "Maria's move is hers"
    );

    store.undo(&id, 20_000).unwrap();
    let back = store.load_session(&id).unwrap();
    let union = back.organizations.iter().find(|o| o.name == "Tenants Union").expect("the removal is undone");
    assert!(union.directly_affected, "with its details");
    assert_eq!(union.identity, union.id, "a card recorded before identities existed is its own identity");
    assert_eq!(back.session.campaign, id, "a session of before campaigns is its own campaign");
    assert!(back.grids.iter().all(|g| g.identity == g.id));
    assert_eq!(back.placements.iter().filter(|p| p.organization_id == union.id).count(), 2, "on both grids");
    assert_eq!(back.commitments.len(), 2);
    assert!(back.commitments.iter().all(|c| c.organization_id.as_deref() == Some(union.id.as_str())), "linked again");
    assert_eq!(back.participants[0].organization_id.as_deref(), Some(union.id.as_str()));

    store.undo(&id, 20_001).unwrap();
    assert_eq!(store.load_session(&id).unwrap().organizations[0].name, "City Council", "the rename is undone");
    store.undo(&id, 20_002).unwrap();
    assert_eq!(store.load_session(&id).unwrap().grids[0].title, "Power and interest", "the grid's title is undone");
    while store.undo(&id, 20_003).is_ok() {}
    let start = store.load_session(&id).unwrap();
    assert!(start.organizations.is_empty() && start.placements.is_empty() && start.commitments.is_empty());
    assert_eq!(start.grids.len(), 1, "back to the session as it was created");
    while store.redo(&id, 20_004).is_ok() {}
    let again = store.load_session(&id).unwrap();
    assert_eq!(
        (again.organizations, again.placements, again.commitments, again.participants),
        (end.organizations, end.placements, end.commitments, end.participants),
        "redoing every step arrives where the fixture ended"
    );
}

#[test]
fn the_summary_reads_first_places_from_the_history() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, at(0.1, 0.9), 3).unwrap();
    store.place_card(&grid, &org.id, at(0.9, 0.9), 10_000).unwrap();
    let summary = Summary::read(&store, &id).unwrap();
    let moves: Vec<_> = summary.grids.iter().flat_map(|g| g.moved.iter()).collect();
    assert_eq!(moves.len(), 1, "the card changed region during the session: {moves:?}");
}

#[test]
fn steps_store_rows_without_what_their_key_and_step_already_say() {
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Compact", 1);
    let names: String = (0..50).map(|n| format!("Organization {n}\n")).collect();
    let added = store.add_organizations_from_list(&id, &names, 2).unwrap().value;
    let before = store.load_session(&id).unwrap();
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        let images: Vec<String> = connection
            .prepare("SELECT after FROM history_row WHERE table_name = 'organization'")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(images.len(), 50);
        for image in &images {
            let image: serde_json::Value = serde_json::from_str(image).unwrap();
            assert!(image.get("id").is_none() && image.get("session_id").is_none(), "{image}");
            assert!(image.get("name").is_some(), "the row's own values are kept: {image}");
        }
    }
    store.undo(&id, 3).unwrap();
    assert!(store.load_session(&id).unwrap().organizations.is_empty());
    store.redo(&id, 4).unwrap();
    let again = store.load_session(&id).unwrap();
    assert_eq!(again.organizations, before.organizations, "redo puts every row back whole, ids and session included");
    assert_eq!(again.organizations[0].id, added[0].id);
}

/// The store is the one publisher of changes (issue 28, item 1): each committed write is
/// told to every subscriber exactly once, after its commit; a refused or rolled-back write
/// tells nothing; undo and redo are told like any write; a dropped subscription hears no
/// more.
#[test]
fn the_store_publishes_each_committed_change_once_and_nothing_else() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Published", 1);
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<SessionChange>::new()));
    let ear = heard.clone();
    let subscription = store.subscribe(move |told| {
        if let Publication::Change(change) = told {
            ear.lock().unwrap().push((**change).clone());
        }
    });
    let added = store.add_organization(&id, &OrganizationFields::named("Harbor"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    let placed = store.place_card(&grid, &added.id, at(0.5, 0.5), 3).unwrap();
    // Refused before writing, and rolled back after writing part of it: nothing is told.
    assert!(store.add_organization(&id, &OrganizationFields::named("  "), 4).is_err());
    let refused = store.place_card(&grid, "no such card", at(0.5, 0.5), 5);
    assert!(refused.is_err());
    let undone = store.undo(&id, 6).unwrap();
    let told: Vec<SessionChange> = heard.lock().unwrap().clone();
    assert_eq!(told, [added.change, placed.change, undone], "each change once, in order, as the writes returned it");
    drop(subscription);
    store.redo(&id, 7).unwrap();
    assert_eq!(heard.lock().unwrap().len(), 3, "a dropped subscription hears no more");
}

/// A subscriber is told after the write lock is released: it may read the store in answer.
#[test]
fn a_subscriber_may_read_the_store_when_told() {
    let (_dir, _path, store) = temp_store();
    let store = std::sync::Arc::new(store);
    let id = session(&store, "Read back", 1);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (reader, ear) = (store.clone(), seen.clone());
    let _subscription = store.subscribe(move |told| {
        let Publication::Change(change) = told else { return };
        let now = reader.load_session(&change.session_id).unwrap();
        ear.lock().unwrap().push((change.revision, now.revision));
    });
    let change = store.add_organization(&id, &OrganizationFields::named("Harbor"), 2).unwrap().change;
    assert_eq!(*seen.lock().unwrap(), [(change.revision, change.revision)], "the change is committed when told");
}
