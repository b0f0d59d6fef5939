use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use powermap_core::i18n::Lang;
use powermap_core::model::{FollowUpFields, OrganizationFields, Point, SessionChange, SessionFields};
use powermap_core::store::Publication;
use powermap_core::Store;

use crate::{session, temp_store};

/// Everything a store publishes, as it is told.
fn listen(store: &Store) -> (Arc<Mutex<Vec<Publication>>>, powermap_core::store::Subscription) {
    let heard = Arc::new(Mutex::new(Vec::new()));
    let ear = heard.clone();
    let subscription = store.subscribe(move |told| ear.lock().unwrap().push(told.clone()));
    (heard, subscription)
}

/// Takes what was heard so far.
fn taken(heard: &Mutex<Vec<Publication>>) -> Vec<Publication> {
    std::mem::take(&mut *heard.lock().unwrap())
}

/// Waits (up to 5 s) until `heard` holds something that `done` accepts, and takes it all.
fn heard_until(heard: &Mutex<Vec<Publication>>, done: impl Fn(&[Publication]) -> bool) -> Vec<Publication> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        {
            let mut heard = heard.lock().unwrap();
            if done(&heard) {
                return std::mem::take(&mut *heard);
            }
        }
        assert!(Instant::now() < deadline, "not heard in time: {:?}", heard.lock().unwrap());
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn changes(heard: &[Publication]) -> Vec<SessionChange> {
    heard
        .iter()
        .filter_map(|p| match p {
            Publication::Change(change) => Some((**change).clone()),
            Publication::Sessions => None,
        })
        .collect()
}

/// A write, named for the assertion that follows it.
type Write<'a> = (&'a str, Box<dyn Fn(&Store) + 'a>);

fn lists(heard: &[Publication]) -> usize {
    heard.iter().filter(|p| **p == Publication::Sessions).count()
}

/// Sessions are changes too (issue 28, item 2): every write that changes the list of
/// sessions — created, imported, duplicated, a follow-up, the sample, renamed, edited,
/// deleted, restored, removed for good, a rename undone — publishes "the list changed",
/// once; a write inside a session (a card added) does not.
#[test]
fn every_change_to_the_list_of_sessions_is_published_once() {
    let (_dir, _path, store) = temp_store();
    let (heard, _subscription) = listen(&store);
    let first = session(&store, "Harbor coalition", 1);
    assert_eq!(lists(&taken(&heard)), 1, "created");
    store.add_organization(&first, &OrganizationFields::named("Port authority"), 2).unwrap();
    let told = taken(&heard);
    assert_eq!((lists(&told), changes(&told).len()), (0, 1), "a card added changes no list: {told:?}");
    let writes: Vec<Write> = vec![
        ("renamed", Box::new(|s| drop(s.rename_session(&first, "Harbor alliance", 3).unwrap()))),
        ("rename undone", Box::new(|s| drop(s.undo(&first, 4).unwrap()))),
        (
            "edited",
            Box::new(|s| {
                let fields = SessionFields { title: "Harbor, edited".into(), ..Default::default() };
                drop(s.update_session(&first, &fields, 5).unwrap())
            }),
        ),
        ("duplicated", Box::new(|s| drop(s.duplicate_session(&first, 6).unwrap()))),
        (
            "followed up",
            Box::new(|s| drop(s.start_follow_up(&first, &FollowUpFields::default(), Lang::En, 7).unwrap())),
        ),
        (
            "imported",
            Box::new(|s| {
                let mut document = s.export_document(&first).unwrap();
                document.renew_ids();
                s.import_document(document).unwrap();
            }),
        ),
        ("the sample", Box::new(|s| drop(s.create_sample_session(8).unwrap()))),
        ("deleted", Box::new(|s| drop(s.delete_session(&first, 9).unwrap()))),
        ("restored", Box::new(|s| drop(s.restore_session(&first, 10).unwrap()))),
        (
            "removed for good",
            Box::new(|s| {
                s.delete_session(&first, 11).unwrap();
                assert_eq!(s.purge_deleted_sessions(12).unwrap(), 1);
            }),
        ),
    ];
    for (what, write) in writes {
        write(&store);
        let told = taken(&heard);
        let expected = if what == "removed for good" { 2 } else { 1 };
        assert_eq!(lists(&told), expected, "{what}: {told:?}");
    }
    // Nothing to remove: nothing changed, nothing told.
    assert_eq!(store.purge_deleted_sessions(13).unwrap(), 0);
    assert!(taken(&heard).is_empty());
}

/// Another program's writes (the command line, a second Powermap on the same file) are
/// published by the watching store like its own: each change once, as the writer made it,
/// and the list's changes; this store's own writes are never published twice.
#[test]
fn another_program_s_writes_are_published_like_this_store_s_own() {
    let (_dir, path, store) = temp_store();
    let store = Arc::new(store);
    let id = session(&store, "Watched", 1);
    store.watch_other_programs().unwrap();
    store.watch_other_programs().unwrap();
    let (heard, _subscription) = listen(&store);
    let other = Store::open(&path).unwrap();
    let added = other.add_organization(&id, &OrganizationFields::named("Dockworkers"), 2).unwrap();
    let grid = other.load_session(&id).unwrap().grids[0].id.clone();
    let placed = other.place_card(&grid, &added.id, Point::new(0.2, 0.8).unwrap(), 3).unwrap();
    let told = heard_until(&heard, |h| changes(h).len() >= 2);
    assert_eq!(changes(&told), [added.change, placed.change]);
    assert_eq!(lists(&told), 0, "no session was created or renamed");
    let own = store.add_organization(&id, &OrganizationFields::named("Own"), 4).unwrap();
    other
        .create_session(&SessionFields { title: "From the command line".into(), ..Default::default() }, Lang::En, 5)
        .unwrap();
    let told = heard_until(&heard, |h| lists(h) >= 1);
    assert_eq!(changes(&told), [own.change], "this store's write, once: {told:?}");
    assert_eq!(lists(&told), 1);
    other.delete_session(&id, 6).unwrap();
    assert_eq!(lists(&heard_until(&heard, |h| lists(h) >= 1)), 1, "deleted");
    other.restore_session(&id, 7).unwrap();
    assert_eq!(lists(&heard_until(&heard, |h| lists(h) >= 1)), 1, "restored");
    // Nothing more arrives: the watcher looked several times meanwhile.
    std::thread::sleep(powermap_core::store::WATCH_EVERY * 4);
    assert!(taken(&heard).is_empty());
}

/// Two programs writing the same session at once: the watching store publishes every
/// revision exactly once, in order, whichever program wrote it — its own writes take in
/// the other's before them, under the file's write lock.
#[test]
fn two_programs_writing_at_once_are_published_once_each_in_order() {
    let (_dir, path, store) = temp_store();
    let store = Arc::new(store);
    let id = session(&store, "Busy", 1);
    let start = store.load_session(&id).unwrap().revision;
    store.watch_other_programs().unwrap();
    let (heard, _subscription) = listen(&store);
    const EACH: i64 = 60;
    let writer = |store: Arc<Store>, name: &'static str| {
        let id = id.clone();
        std::thread::spawn(move || {
            for n in 0..EACH {
                store.add_organization(&id, &OrganizationFields::named(&format!("{name} {n}")), n).unwrap();
            }
        })
    };
    let other = Arc::new(Store::open(&path).unwrap());
    // Taking turns, faster than the watcher looks: each of this store's writes comes right
    // after one of the other program's.
    for n in 0..EACH {
        other.add_organization(&id, &OrganizationFields::named(&format!("Turn there {n}")), n).unwrap();
        store.add_organization(&id, &OrganizationFields::named(&format!("Turn here {n}")), n).unwrap();
    }
    // And at once, from two threads.
    let (a, b) = (writer(store.clone(), "Here"), writer(other, "There"));
    a.join().unwrap();
    b.join().unwrap();
    let told = heard_until(&heard, |h| changes(h).len() as i64 >= 4 * EACH);
    let revisions: Vec<i64> = changes(&told).iter().map(|c| c.revision).collect();
    assert_eq!(revisions, ((start + 1)..=(start + 4 * EACH)).collect::<Vec<_>>());
}
