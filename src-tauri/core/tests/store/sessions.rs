use powermap_core::model::{GridKind, OrganizationFields, Point, SessionFields};
use powermap_core::ErrorCode;
use powermap_core::Store;

use crate::{everything, refused, session, temp_store};

#[test]
fn a_new_session_starts_with_a_power_interest_grid() {
    let (_dir, _path, store) = temp_store();
    let fields = SessionFields {
        title: "  Coalition kick-off ".into(),
        question: "Who can stop the evictions?".into(),
        date: Some("2026-03-14".into()),
        place: "Library".into(),
        facilitator: "Sam".into(),
        notes: String::new(),
    };
    let created = store.create_session(&fields, powermap_core::i18n::Lang::En, 10).unwrap();
    assert_eq!(created.title, "Coalition kick-off", "titles are trimmed");
    let data = store.load_session(&created.id).unwrap();
    assert_eq!(data.grids.len(), 1);
    assert_eq!(data.grids[0].kind, GridKind::PowerInterest);
    assert_eq!(data.session.date.as_deref(), Some("2026-03-14"));
}

#[test]
fn sessions_are_listed_most_recent_first() {
    let (_dir, _path, store) = temp_store();
    let older = session(&store, "March", 100);
    let newer = session(&store, "April", 200);
    let titles = |s: &powermap_core::Store| s.list_sessions().unwrap().into_iter().map(|l| l.title).collect::<Vec<_>>();
    assert_eq!(titles(&store), ["April", "March"]);
    // Working in the older session brings it to the top.
    store.add_organization(&older, &OrganizationFields::named("Union"), 300).unwrap();
    assert_eq!(titles(&store), ["March", "April"]);
    let listed = store.list_sessions().unwrap();
    assert_eq!((listed[0].organization_count, listed[0].grid_count), (1, 1));
    let _ = newer;
}

#[test]
fn rename_duplicate_and_delete() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Draft", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Faith group"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, Point::new(0.1, 0.9).unwrap(), 3).unwrap();

    assert_eq!(store.rename_session(&id, "Final", 4).unwrap().title, "Final");

    let copy = store.duplicate_session(&id, 5).unwrap();
    assert_eq!(copy.title, "Final (copy)");
    assert_ne!(copy.id, id);
    let original = store.load_session(&id).unwrap();
    let duplicated = store.load_session(&copy.id).unwrap();
    assert_eq!(duplicated.organizations.len(), 1);
    assert_ne!(duplicated.organizations[0].id, original.organizations[0].id, "the copy has its own ids");
    assert_eq!(duplicated.placements.len(), 1);
    assert_eq!((duplicated.placements[0].x, duplicated.placements[0].y), (0.1, 0.9));

    let before = store.load_session(&id).unwrap();
    let deleted = store.delete_session(&id, 6).unwrap();
    assert_eq!(deleted.title, "Final");
    assert!(store.load_session(&id).is_err());
    assert_eq!(store.load_session(&copy.id).unwrap().organizations.len(), 1, "the copy is independent");

    // Undoing the deletion brings the session back as it was, ids included.
    assert_eq!(store.restore_session(&id, 7).unwrap().id, id);
    let restored = store.load_session(&id).unwrap();
    assert_eq!((restored.organizations, restored.placements), (before.organizations, before.placements));
    assert_eq!(restored.session.updated_at, 7, "a restored session comes back at the top of the list");
}

#[test]
fn a_deleted_session_waits_in_recently_deleted_until_restored_or_removed_for_good() {
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Spring mapping", 1);
    let kept = session(&store, "Autumn mapping", 2);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 3).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &org.id, Point::new(0.2, 0.3).unwrap(), 4).unwrap();
    let before = store.load_session(&id).unwrap();

    store.delete_session(&id, 10).unwrap();
    let titles =
        |listed: Vec<powermap_core::model::SessionListing>| listed.into_iter().map(|l| l.title).collect::<Vec<_>>();
    assert_eq!(titles(store.list_sessions().unwrap()), ["Autumn mapping"]);
    let deleted = store.deleted_sessions().unwrap();
    assert_eq!(
        (deleted[0].title.as_str(), deleted[0].deleted_at, deleted[0].organization_count),
        ("Spring mapping", Some(10), 1)
    );
    assert_eq!(
        store.find_session("Spring mapping").unwrap_err().code(),
        ErrorCode::NotFound,
        "the CLI no longer finds it"
    );

    // Nothing in a deleted session can be changed.
    assert_eq!(store.load_session(&id).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(
        store.add_organization(&id, &OrganizationFields::named("Parish"), 11).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(
        store.place_card(&grid, &org.id, Point::new(0.9, 0.9).unwrap(), 11).unwrap_err().code(),
        ErrorCode::NotFound
    );
    assert_eq!(store.undo(&id, 11).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(
        store.restore_session(&kept, 11).unwrap_err().code(),
        ErrorCode::NotFound,
        "only deleted sessions are restored"
    );

    // It survives a restart, and comes back whole.
    drop(store);
    let store = powermap_core::Store::open(&path).unwrap();
    assert_eq!(titles(store.deleted_sessions().unwrap()), ["Spring mapping"]);
    store.restore_session(&id, 12).unwrap();
    let restored = store.load_session(&id).unwrap();
    assert_eq!(
        (restored.organizations, restored.placements),
        (before.organizations, before.placements),
        "the refused move changed nothing"
    );
    assert!(store.deleted_sessions().unwrap().is_empty());

    // Sessions deleted before the cut-off go for good; later ones stay.
    store.delete_session(&id, 20).unwrap();
    store.delete_session(&kept, 40).unwrap();
    assert_eq!(store.purge_deleted_sessions(20).unwrap(), 0, "deleted at the cut-off: kept");
    assert_eq!(store.purge_deleted_sessions(30).unwrap(), 1);
    assert_eq!(titles(store.deleted_sessions().unwrap()), ["Autumn mapping"]);
    assert_eq!(store.restore_session(&id, 41).unwrap_err().code(), ErrorCode::NotFound, "removed for good");
    assert!(store.list_sessions().unwrap().is_empty());
}

#[test]
fn bad_session_input_changes_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Kept", 1);
    let before = everything(&store);
    let with = |title: &str, date: Option<&str>| SessionFields {
        title: title.into(),
        date: date.map(Into::into),
        ..Default::default()
    };
    refused(
        &store,
        &before,
        store.create_session(&with("   ", None), powermap_core::i18n::Lang::En, 2),
        ErrorCode::InvalidInput,
    );
    refused(
        &store,
        &before,
        store.create_session(&with(&"t".repeat(201), None), powermap_core::i18n::Lang::En, 2),
        ErrorCode::InvalidInput,
    );
    refused(
        &store,
        &before,
        store.create_session(&with("Ok", Some("2026-13-01")), powermap_core::i18n::Lang::En, 2),
        ErrorCode::InvalidInput,
    );
    refused(&store, &before, store.update_session(&id, &with("", None), 2), ErrorCode::InvalidInput);
    refused(&store, &before, store.rename_session(&id, " ", 2), ErrorCode::InvalidInput);
    refused(&store, &before, store.rename_session("no-such-id", "New", 2), ErrorCode::NotFound);
    refused(&store, &before, store.update_session("no-such-id", &with("New", None), 2), ErrorCode::NotFound);
    refused(&store, &before, store.delete_session("no-such-id", 2).map(|_| ()), ErrorCode::NotFound);
    refused(&store, &before, store.restore_session("no-such-id", 2).map(|_| ()), ErrorCode::NotFound);
    refused(&store, &before, store.duplicate_session("no-such-id", 2), ErrorCode::NotFound);
    refused(&store, &before, store.load_session("no-such-id").map(|_| ()), ErrorCode::NotFound);
}

#[test]
fn sessions_are_found_by_id_or_exact_title() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Spring workshop", 1);
    assert_eq!(store.find_session(&id).unwrap().id, id);
    assert_eq!(store.find_session("Spring workshop").unwrap().id, id);
    assert_eq!(store.find_session("spring").unwrap_err().code(), ErrorCode::NotFound);
    session(&store, "Spring workshop", 2);
    let error = store.find_session("Spring workshop").unwrap_err();
    assert_eq!(error.code(), ErrorCode::Conflict, "an ambiguous title asks for an id");
}

#[test]
fn the_sample_session_shows_what_the_tool_is_for() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let data = store.load_session(&id).unwrap();
    assert!((10..=15).contains(&data.organizations.len()), "about a dozen organizations");
    assert!(data.organizations.iter().any(|o| o.directly_affected));
    assert!(data.organizations.iter().any(|o| !o.directly_affected));
    let sectors: std::collections::HashSet<_> = data.organizations.iter().map(|o| o.sector).collect();
    assert!(sectors.len() >= 6, "organizations of different sectors");
    let kinds: Vec<_> = data.grids.iter().map(|g| g.kind).collect();
    assert_eq!(kinds, [GridKind::PowerInterest, GridKind::SpectrumOfAllies]);
    assert_eq!(data.placements.len(), 2 * data.organizations.len(), "every card placed on both grids");
    assert!(data.commitments.len() >= 3, "a few commitments");
    // A second sample is a separate session, not a clash of ids.
    let again = store.create_sample_session(1_767_225_600_000).unwrap();
    assert_ne!(again, id);
}

/// Reads run on connections of their own, kept for the next reads: whatever read a
/// connection served before, the next one sees every write committed since.
#[test]
fn a_read_sees_every_write_committed_before_it_whatever_was_read_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("reads.db")).unwrap();
    let session = store.create_sample_session(1).unwrap();
    type Read<'a> = Box<dyn Fn(&Store) + 'a>;
    let reads: Vec<(&str, Read)> = vec![
        ("load_session", Box::new(|s: &Store| drop(s.load_session(&session).unwrap()))),
        ("changes_since", Box::new(|s: &Store| drop(s.changes_since(&session, 0).unwrap()))),
        ("list_sessions", Box::new(|s: &Store| drop(s.list_sessions().unwrap()))),
        ("seat_holder", Box::new(|s: &Store| drop(s.seat_holder(&session, "nobody").unwrap()))),
    ];
    for (what, read) in &reads {
        read(&store);
        let before = store.load_session(&session).unwrap().revision;
        store.add_organization(&session, &OrganizationFields::named(what), 5).unwrap();
        assert_eq!(store.load_session(&session).unwrap().revision, before + 1, "after {what}");
        assert_eq!(store.changes_since(&session, before).unwrap().map(|c| c.len()), Some(1), "after {what}");
    }
}
