use powermap_core::model::{CommitmentFields, CommitmentStatus, GridKind, OrganizationFields, Point};
use powermap_core::{ErrorCode, Store};

use crate::{session, temp_store};

/// What the Undo button would say.
fn undo_label(store: &Store, id: &str) -> Option<String> {
    store.load_session(id).unwrap().history.undo.map(|e| e.label.describe())
}

#[test]
fn a_move_is_undone_and_redone() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, Point::new(0.2, 0.2).unwrap(), 3).unwrap();
    store
        .place_card(
            &grid,
            &org.id,
            Point::new(0.9, 0.9).unwrap(),
            powermap_core::model::Stamp::new(4, powermap_core::model::Actor::moving_as("Maria")),
        )
        .unwrap();
    assert_eq!(undo_label(&store, &id), Some("Move “Council”".to_string()));

    let step = store.undo(&id, 5).unwrap();
    assert_eq!(step.label.describe(), "Move “Council”");
    let p = &store.load_session(&id).unwrap().placements[0];
    assert_eq!((p.x, p.y, p.moved_by.as_str()), (0.2, 0.2, ""), "back where it was, by whom it was");

    store.undo(&id, 6).unwrap();
    assert!(store.load_session(&id).unwrap().placements.is_empty(), "undoing the first placement sends it to the tray");

    store.redo(&id, 7).unwrap();
    store.redo(&id, 8).unwrap();
    let p = &store.load_session(&id).unwrap().placements[0];
    assert_eq!((p.x, p.y), (0.9, 0.9));
    assert_eq!(store.redo(&id, 9).unwrap_err().code(), ErrorCode::Conflict, "nothing left to redo");
}

#[test]
fn undo_survives_a_restart() {
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, Point::new(0.3, 0.3).unwrap(), 3).unwrap();
    store.place_card(&grid, &org.id, Point::new(0.6, 0.6).unwrap(), 4).unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    store.undo(&id, 5).unwrap();
    let p = &store.load_session(&id).unwrap().placements[0];
    assert_eq!((p.x, p.y), (0.3, 0.3));
    drop(store);
    let store = Store::open(&path).unwrap();
    let redo = store.load_session(&id).unwrap().history.redo.map(|e| e.label.describe());
    assert_eq!(redo.as_deref(), Some("Move “Council”"), "the redo waits too");
}

#[test]
fn undoing_a_removal_restores_its_placements_and_commitments() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Tenants Union"), 2).unwrap();
    let first = store.load_session(&id).unwrap().grids[0].id.clone();
    let second =
        store.add_grid(&id, GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 3).unwrap().value.id;
    store.place_card(&first, &org.id, Point::new(0.1, 0.2).unwrap(), 4).unwrap();
    store.place_card(&second, &org.id, Point::new(0.3, 0.4).unwrap(), 5).unwrap();
    let commit = |person: &str, action: &str| CommitmentFields {
        organization_id: Some(org.id.clone()),
        person: person.into(),
        action: action.into(),
        due: Some("2026-07-01".into()),
        status: CommitmentStatus::Open,
        notes: String::new(),
    };
    store.add_commitment(&id, &commit("", "Only the union"), 6).unwrap();
    store.add_commitment(&id, &commit("Dolores", "Dolores too"), 7).unwrap();
    let before = store.load_session(&id).unwrap();

    store.remove_organization(&org.id, 8).unwrap();
    let removed = store.load_session(&id).unwrap();
    assert!(removed.organizations.is_empty() && removed.placements.is_empty());
    assert_eq!(removed.commitments.len(), 1, "a commitment with a person stays");
    assert_eq!(removed.commitments[0].organization_id, None);

    let step = store.undo(&id, 9).unwrap();
    assert_eq!(step.label.describe(), "Remove “Tenants Union”");
    let restored = store.load_session(&id).unwrap();
    assert_eq!(restored.organizations, before.organizations);
    assert_eq!(restored.placements, before.placements, "both placements come back");
    assert_eq!(restored.commitments, before.commitments, "both commitments come back, linked again");

    store.redo(&id, 10).unwrap();
    let again = store.load_session(&id).unwrap();
    assert_eq!(
        (again.organizations, again.placements, again.commitments),
        (removed.organizations, removed.placements, removed.commitments)
    );
}

#[test]
fn every_kind_of_change_can_be_undone() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let start = store.load_session(&id).unwrap();
    let org = store.add_organization(&id, &OrganizationFields::named("Council"), 2).unwrap();
    store.add_organizations_from_list(&id, "Parish\nUnion", 3).unwrap();
    store.update_organization(&org.id, &OrganizationFields::named("City Council"), 4).unwrap();
    let grid = store.add_grid(&id, GridKind::PowerSupport, "", powermap_core::i18n::Lang::En, 5).unwrap();
    store.update_grid(&grid.id, "Targets", &grid.labels, 6).unwrap();
    store.place_card(&grid.id, &org.id, Point::new(0.5, 0.9).unwrap(), 7).unwrap();
    store.return_card_to_tray(&grid.id, &org.id, 8).unwrap();
    store.remove_grid(&grid.id, 9).unwrap();
    let mut fields = powermap_core::model::SessionFields { title: "Renamed".into(), ..Default::default() };
    store.update_session(&id, &fields, 10).unwrap();
    fields.title = "Renamed again".into();
    store.rename_session(&id, &fields.title, 11).unwrap();

    let mut steps = Vec::new();
    loop {
        match store.undo(&id, 20) {
            Ok(step) => steps.push(step.label.describe()),
            Err(e) if e.code() == ErrorCode::Conflict => break,
            Err(e) => panic!("undo failed after {steps:?}: {e}"),
        }
    }
    assert_eq!(steps.len(), 10, "every change was one step: {steps:?}");
    let end = store.load_session(&id).unwrap();
    assert_eq!(end.organizations, start.organizations);
    assert_eq!(end.grids, start.grids);
    assert_eq!(end.session.title, start.session.title);
}

#[test]
fn a_new_change_drops_what_was_undone() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    store.add_organization(&id, &OrganizationFields::named("A"), 2).unwrap();
    store.undo(&id, 3).unwrap();
    store.add_organization(&id, &OrganizationFields::named("B"), 4).unwrap();
    assert_eq!(store.load_session(&id).unwrap().history.redo, None);
    assert_eq!(store.redo(&id, 5).unwrap_err().code(), ErrorCode::Conflict);
    let names: Vec<_> = store.load_session(&id).unwrap().organizations.into_iter().map(|o| o.name).collect();
    assert_eq!(names, ["B"]);
}

#[test]
fn moving_a_group_of_cards_is_one_step() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let added = store.add_organizations_from_list(&id, "A\nB\nC", 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    let moves: Vec<_> = added.iter().map(|o| (o.id.clone(), Point::new(0.4, 0.4).unwrap())).collect();
    store.place_cards(&grid, &moves, 3).unwrap();
    assert_eq!(store.load_session(&id).unwrap().placements.len(), 3);
    assert_eq!(store.undo(&id, 4).unwrap().label.describe(), "Move 3 cards");
    assert!(store.load_session(&id).unwrap().placements.is_empty());
    assert_eq!(store.undo(&id, 5).unwrap().label.describe(), "Add 3 organizations");
    assert_eq!(store.undo(&id, 6).unwrap_err().code(), ErrorCode::Conflict, "nothing left to undo");
}
