use powermap_core::model::{GridKind, OrganizationFields, Point};
use powermap_core::store::{backup_path, schema_version};
use powermap_core::{ErrorCode, Store};

use crate::{session, temp_store};

#[test]
fn reopening_keeps_everything() {
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Tenants' first meeting", 1_000);
    let org = store.add_organization(&id, &OrganizationFields::named("Riverside Tenants Union"), 2_000).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].clone();
    store.place_card(&grid.id, &org.id, Point::new(0.25, 0.75).unwrap(), 3_000).unwrap();
    let before = store.load_session(&id).unwrap();
    drop(store);

    let reopened = Store::open(&path).expect("the same file opens again");
    assert_eq!(reopened.load_session(&id).unwrap(), before, "everything is as it was left");
}

#[test]
fn every_change_is_on_disk_before_the_call_returns() {
    // A second connection sees the move without the first being closed: nothing waits
    // in memory for a save.
    let (_dir, path, store) = temp_store();
    let id = session(&store, "Crash test", 1_000);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 2).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].clone();
    store.place_card(&grid.id, &org.id, Point::new(0.5, 0.125).unwrap(), 3).unwrap();

    let other = Store::open(&path).unwrap();
    let seen = other.load_session(&id).unwrap();
    assert_eq!(seen.placements.len(), 1);
    assert_eq!((seen.placements[0].x, seen.placements[0].y), (0.5, 0.125));
    std::mem::forget(store); // as if the app died here
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.db");
    let content = b"These are my workshop notes, not a database.\n".repeat(100);
    std::fs::write(&path, &content).unwrap();

    let error = Store::open(&path).err().expect("a text file is refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase);
    assert!(error.to_string().contains("not a Powermap database"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), content, "the file is untouched");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no -wal or -shm files appear");
}

#[test]
fn another_programs_sqlite_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');").unwrap();
    }
    let content = std::fs::read(&path).unwrap();
    let error = Store::open(&path).err().expect("someone else's database is refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase);
    assert_eq!(std::fs::read(&path).unwrap(), content, "the file is untouched");
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let (_dir, path, store) = temp_store();
    session(&store, "From the future", 1);
    drop(store);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", schema_version() + 1).unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let content = std::fs::read(&path).unwrap();
    let error = Store::open(&path).err().expect("a newer file is refused");
    assert_eq!(error.code(), ErrorCode::NewerDatabase);
    assert!(error.to_string().contains("newer version of Powermap"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), content, "the file is untouched");
}

#[test]
fn an_older_database_is_upgraded_after_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        // A file as the first release would have left it: only the first migration applied.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1347240272;
             CREATE TABLE session (id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL, question TEXT NOT NULL DEFAULT '',
               date TEXT, place TEXT NOT NULL DEFAULT '', facilitator TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '',
               follows_up TEXT REFERENCES session(id) ON DELETE SET NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
             CREATE INDEX session_by_update ON session(updated_at DESC);
             INSERT INTO session (id, title, created_at, updated_at) VALUES ('old-1', 'Last spring', 1, 1);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&path).expect("an older file is upgraded");
    let listed = store.list_sessions().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title, "Last spring", "the old data survives the upgrade");
    store.add_grid("old-1", GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 2).expect("new tables work");

    let backup = backup_path(&path, 1);
    let conn = rusqlite::Connection::open(&backup).expect("a backup copy was taken");
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 1, "the backup is the file as it was before the upgrade");
    let title: String = conn.query_row("SELECT title FROM session", [], |r| r.get(0)).unwrap();
    assert_eq!(title, "Last spring");
}

#[test]
fn a_new_file_is_marked_as_powermap_and_current() {
    let (_dir, path, store) = temp_store();
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    let app: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
    let journal: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(version, schema_version());
    assert_eq!(app, powermap_core::store::APPLICATION_ID);
    assert_eq!(journal, "wal", "WAL keeps a crash from corrupting the file");
}

#[test]
fn another_programs_database_with_a_high_version_is_not_called_newer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE recipes (name TEXT); PRAGMA user_version = 4000;").unwrap();
    }
    let content = std::fs::read(&path).unwrap();
    let error = Store::open(&path).err().expect("someone else's database is refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase, "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), content, "the file is untouched");
}

#[test]
fn a_refused_database_in_wal_mode_keeps_its_bytes_and_its_journal() {
    let dir = tempfile::tempdir().unwrap();
    let running = dir.path().join("running.db");
    // Another program's database whose rows wait in its journal, as a crash leaves them.
    let other = rusqlite::Connection::open(&running).unwrap();
    other.pragma_update(None, "journal_mode", "WAL").unwrap();
    other.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    other.execute_batch("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');").unwrap();
    let path = dir.path().join("left.db");
    let wal = dir.path().join("left.db-wal");
    std::fs::copy(&running, &path).unwrap();
    std::fs::copy(dir.path().join("running.db-wal"), &wal).unwrap();
    drop(other);
    let (file, journal) = (std::fs::read(&path).unwrap(), std::fs::read(&wal).unwrap());
    assert!(!journal.is_empty(), "the rows wait in the journal");

    let error = Store::open(&path).err().expect("someone else's database is refused");
    assert_eq!(error.code(), ErrorCode::NotADatabase, "{error}");
    assert!(std::fs::read(&path).unwrap() == file, "the file's bytes are unchanged");
    assert!(std::fs::read(&wal).unwrap() == journal, "the journal was not copied into the file");
}

#[test]
fn memory_and_empty_paths_are_refused_clearly() {
    for path in ["", "  ", ":memory:"] {
        let error = Store::open(std::path::Path::new(path)).err().unwrap_or_else(|| panic!("{path:?} opened"));
        assert_eq!(error.code(), ErrorCode::InvalidInput, "{path:?}: {error}");
    }
    assert!(!std::path::Path::new(":memory:").exists(), "no file named :memory: appears");
    let dir = tempfile::tempdir().unwrap();
    let error = Store::open(dir.path()).err().expect("a folder is not a database file");
    assert_eq!(error.code(), ErrorCode::InvalidInput, "{error}");
}

#[test]
fn racing_first_openers_all_get_the_same_new_database() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("new-{round}.db"));
        let start = std::sync::Arc::new(std::sync::Barrier::new(6));
        let openers: Vec<_> = (0..6)
            .map(|n| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    let store = Store::open(&path).map_err(|e| e.to_string())?;
                    session(&store, &format!("Opened by {n}"), n);
                    Ok::<_, String>(())
                })
            })
            .collect();
        for opener in openers {
            opener.join().unwrap().unwrap_or_else(|e| panic!("round {round}: an opener failed: {e}"));
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.list_sessions().unwrap().len(), 6, "every opener wrote into the one database");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".powermap-new-"))
            .collect();
        assert!(left.is_empty(), "no temporary file is left: {left:?}");
    }
}
