use powermap_core::i18n::Lang;
use powermap_core::model::{GridKind, OrganizationFields, Point, SessionFields};
use powermap_core::ErrorCode;

use crate::{everything, refused, session, temp_store};

#[test]
fn grids_of_every_kind_carry_their_default_labels() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let support = store.add_grid(&id, GridKind::PowerSupport, "", Lang::En, 2).unwrap();
    let spectrum = store.add_grid(&id, GridKind::SpectrumOfAllies, "Where they stand", Lang::En, 3).unwrap();
    assert_eq!(support.title, "Power map", "a blank title takes the kind's default");
    assert_eq!(support.labels.regions, ["Opposition", "Allies", "Decision-makers (targets)"]);
    assert_eq!(spectrum.title, "Where they stand");
    assert_eq!(spectrum.labels.regions.len(), 5);
    let kinds: Vec<_> = store.load_session(&id).unwrap().grids.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GridKind::PowerInterest, GridKind::PowerSupport, GridKind::SpectrumOfAllies]);
}

#[test]
fn a_new_grid_speaks_the_language_of_the_window_that_adds_it() {
    let (_dir, _path, store) = temp_store();
    let fields = SessionFields { title: "Taller".into(), ..Default::default() };
    let id = store.create_session(&fields, Lang::Es, 1).unwrap().id;
    let first = store.load_session(&id).unwrap().grids[0].clone();
    assert_eq!(first.title, "Poder e interés");
    assert_eq!(
        first.labels.regions,
        ["Monitorear", "Mantener informados", "Mantener satisfechos", "Gestionar de cerca"]
    );
    assert_eq!((first.labels.x_title.as_str(), first.labels.y_high.as_str()), ("Interés", "Poder alto"));
    let french = store.add_grid(&id, GridKind::PowerInterest, "", Lang::Fr, 2).unwrap();
    assert_eq!(french.title, "Pouvoir et intérêt");
    assert_eq!(french.labels.regions[3], "Gérer de près");
    let spectrum = store.add_grid(&id, GridKind::SpectrumOfAllies, "", Lang::Es, 3).unwrap();
    assert_eq!(spectrum.labels.regions[0], "Aliados activos");
    // Every kind has every name in every language, as many regions as the kind has.
    for kind in [GridKind::PowerInterest, GridKind::PowerSupport, GridKind::SpectrumOfAllies] {
        let english = kind.default_labels_in(Lang::En);
        for lang in [Lang::Es, Lang::Fr] {
            let labels = kind.default_labels_in(lang);
            assert_eq!(labels.regions.len(), kind.region_count());
            assert!(labels.regions.iter().all(|r| !r.is_empty() && !r.starts_with("grid.")), "{lang:?} {kind:?}");
            assert_ne!(labels.regions, english.regions, "{lang:?} {kind:?} has its own words");
            assert_ne!(kind.default_title_in(lang), kind.default_title_in(Lang::En));
        }
    }
}

#[test]
fn grid_titles_and_labels_can_be_changed() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let grid = store.load_session(&id).unwrap().grids[0].clone();
    let mut labels = grid.labels.clone();
    labels.regions[3] = "Actores clave".into();
    labels.y_title = "Poder".into();
    let updated = store.update_grid(&grid.id, "Mapa de poder", &labels, 2).unwrap();
    assert_eq!(updated.title, "Mapa de poder");
    assert_eq!(updated.labels.regions[3], "Actores clave");
    assert_eq!(store.load_session(&id).unwrap().grids[0], updated.value, "labels are stored");
}

#[test]
fn cards_move_onto_around_and_off_a_grid() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();

    let placed = store
        .place_card(
            &grid,
            &org.id,
            Point::new(0.0, 1.0).unwrap(),
            powermap_core::model::Stamp::new(3, powermap_core::model::Actor::moving_as("Maria")),
        )
        .unwrap();
    assert_eq!((placed.x, placed.y, placed.moved_by.as_str(), placed.moved_at), (0.0, 1.0, "Maria", 3));
    store.place_card(&grid, &org.id, Point::new(0.3, 0.4).unwrap(), 4).unwrap();
    let placements = store.load_session(&id).unwrap().placements;
    assert_eq!(placements.len(), 1, "moving a card does not copy it");
    assert_eq!((placements[0].x, placements[0].y), (0.3, 0.4));

    store.return_card_to_tray(&grid, &org.id, 5).unwrap();
    assert!(store.load_session(&id).unwrap().placements.is_empty());
    let again = store.return_card_to_tray(&grid, &org.id, 6).unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound, "a card already in the tray cannot be returned");
}

#[test]
fn removing_a_grid_or_an_organization_removes_its_placements() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let a = store.add_organization(&id, &OrganizationFields::named("A"), 2).unwrap();
    let b = store.add_organization(&id, &OrganizationFields::named("B"), 2).unwrap();
    let first = store.load_session(&id).unwrap().grids[0].id.clone();
    let second = store.add_grid(&id, GridKind::PowerSupport, "", Lang::En, 3).unwrap().value.id;
    for grid in [&first, &second] {
        for org in [&a.id, &b.id] {
            store.place_card(grid, org, Point::new(0.5, 0.5).unwrap(), 4).unwrap();
        }
    }
    store.remove_organization(&a.id, 5).unwrap();
    assert_eq!(store.load_session(&id).unwrap().placements.len(), 2);
    store.remove_grid(&second, 6).unwrap();
    let data = store.load_session(&id).unwrap();
    assert_eq!(data.placements.len(), 1);
    assert_eq!(data.organizations.len(), 1, "removing a grid keeps the organizations");
}

#[test]
fn bad_moves_and_labels_change_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let other = session(&store, "Another workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 2).unwrap();
    let stranger = store.add_organization(&other, &OrganizationFields::named("Stranger"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].clone();
    store.place_card(&grid.id, &org.id, Point::new(0.2, 0.2).unwrap(), 3).unwrap();
    let before = everything(&store);

    for (x, y) in [(-0.01, 0.5), (0.5, 1.0001), (f64::NAN, 0.5), (0.5, f64::INFINITY), (2.0, 2.0)] {
        let error = Point::new(x, y).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidInput, "({x}, {y}) is off the grid");
    }
    let ok = Point::new(0.5, 0.5).unwrap();
    refused(&store, &before, store.place_card(&grid.id, "gone", ok, 4), ErrorCode::NotFound);
    refused(&store, &before, store.place_card("gone", &org.id, ok, 4), ErrorCode::NotFound);
    refused(&store, &before, store.place_card(&grid.id, &stranger.id, ok, 4), ErrorCode::NotFound);
    refused(
        &store,
        &before,
        store.place_card(
            &grid.id,
            &org.id,
            ok,
            powermap_core::model::Stamp::new(4, powermap_core::model::Actor::moving_as(&"m".repeat(201))),
        ),
        ErrorCode::InvalidInput,
    );
    refused(&store, &before, store.return_card_to_tray(&grid.id, &stranger.id, 4), ErrorCode::NotFound);
    refused(
        &store,
        &before,
        store.add_grid(&id, GridKind::PowerSupport, &"t".repeat(201), Lang::En, 4),
        ErrorCode::InvalidInput,
    );
    refused(&store, &before, store.add_grid("gone", GridKind::PowerSupport, "", Lang::En, 4), ErrorCode::NotFound);
    let mut too_few = grid.labels.clone();
    too_few.regions.pop();
    refused(&store, &before, store.update_grid(&grid.id, "Ok", &too_few, 4), ErrorCode::InvalidInput);
    let mut blank_region = grid.labels.clone();
    blank_region.regions[0] = "  ".into();
    refused(&store, &before, store.update_grid(&grid.id, "Ok", &blank_region, 4), ErrorCode::InvalidInput);
    refused(&store, &before, store.update_grid(&grid.id, "", &grid.labels, 4), ErrorCode::InvalidInput);
    refused(&store, &before, store.update_grid("gone", "Ok", &grid.labels, 4), ErrorCode::NotFound);
    refused(&store, &before, store.remove_grid("gone", 4), ErrorCode::NotFound);
}
