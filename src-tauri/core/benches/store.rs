//! Store benchmark: prints the figures issues 2 and 8 ask for, on a real database file.
//!
//! A session of 500 organizations on 3 grids (every card placed on every grid):
//! - one stored move (a card dropped somewhere new), median and p99 of 100,000 moves —
//!   target under 1 ms at p99 — with publication included: a subscriber writes each
//!   change as JSON (as the shell does to emit it) while the store watches for other
//!   programs' writes;
//! - another program's write (the command line) published by the watching store: time
//!   from its commit to the subscriber, median, p99 and worst of 200 — target well under
//!   300 ms, the window's budget (issue 28);
//! - then, with those 100,000 steps in its history, opening the file and loading the
//!   session (as the window does on start), median and worst of 30 runs — target under
//!   50 ms;
//! - one undo and one redo at the end of that history, median and worst of 200 each —
//!   target under 5 ms;
//! - a CSV file of 100,000 organizations previewed and imported into a session that
//!   already holds 100,000 (issue 11 measured 208 s before the preview was made linear),
//!   and the size of that import's step of history;
//! - a Kumu blueprint of 10 MB (generated here: elements with types, descriptions and tags,
//!   connections between them with types, descriptions, strengths and tags), read and
//!   previewed, then read and imported into a new session — target under 2 s (issue 27).
//!
//! `POWERMAP_BENCH=blueprint` runs only the last.
//!
//! Run: `cargo bench -p powermap-core --bench store`

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use powermap_core::exchange::organizations_csv;
use powermap_core::model::{GridKind, Point, SessionFields};
use powermap_core::store::{Publication, Subscription};
use powermap_core::Store;

const ORGANIZATIONS: usize = 500;
const MOVES: usize = 100_000;
const LOADS: usize = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// The store at `path` as the app opens it: watching for other programs' writes, with a
/// subscriber that writes each change as JSON (as the shell does to emit it) and counts them.
fn as_the_app_opens(path: &std::path::Path) -> (Arc<Store>, Subscription, Arc<AtomicUsize>) {
    let store = Arc::new(Store::open(path).expect("a new database"));
    store.watch_other_programs().expect("watches");
    let told = Arc::new(AtomicUsize::new(0));
    let counter = told.clone();
    let subscription = store.subscribe(move |publication| {
        if let Publication::Change(change) = publication {
            std::hint::black_box(serde_json::to_string(change).expect("serializes"));
            counter.fetch_add(1, Ordering::Relaxed);
        }
    });
    (store, subscription, told)
}

fn main() {
    if std::env::var("POWERMAP_BENCH").as_deref() == Ok("blueprint") {
        let dir = tempfile::tempdir().expect("a temporary folder");
        blueprint_import(dir.path());
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.db");
    let (store, subscription, told) = as_the_app_opens(&path);
    let fields = SessionFields { title: "Benchmark session".into(), ..Default::default() };
    let session = store.create_session(&fields, powermap_core::i18n::Lang::En, 1).expect("a session");
    let names: String = (0..ORGANIZATIONS).map(|n| format!("Organization {n}\n")).collect();
    let organizations = store.add_organizations_from_list(&session.id, &names, 2).expect("organizations").value;
    store.add_grid(&session.id, GridKind::PowerSupport, "", powermap_core::i18n::Lang::En, 3).expect("a grid");
    store.add_grid(&session.id, GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 4).expect("a grid");
    let grids = store.load_session(&session.id).expect("loads").grids;
    // A simple deterministic spread of positions (no randomness crate needed).
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 10_000) as f64 / 10_000.0
    };
    for grid in &grids {
        for organization in &organizations {
            let point = Point::new(next(), next()).expect("on the grid");
            store.place_card(&grid.id, &organization.id, point, 5).expect("placed");
        }
    }
    let mut moves = Vec::with_capacity(MOVES);
    for n in 0..MOVES {
        let grid = &grids[n % grids.len()];
        let organization = &organizations[(n * 7919) % organizations.len()];
        let point = Point::new(next(), next()).expect("on the grid");
        let start = Instant::now();
        store.place_card(&grid.id, &organization.id, point, 10 + n as i64).expect("moved");
        moves.push(start.elapsed());
    }
    moves.sort();
    assert!(told.load(Ordering::Relaxed) >= MOVES, "every move is published");
    let others = other_programs_published(&store, &path, &session.id, &grids[0].id, &organizations[0].id);
    drop(subscription);
    drop(store);

    let mut loads = Vec::with_capacity(LOADS);
    for _ in 0..LOADS {
        let start = Instant::now();
        let store = Store::open(&path).expect("reopens");
        let data = store.load_session(&session.id).expect("loads");
        loads.push(start.elapsed());
        assert_eq!(data.placements.len(), ORGANIZATIONS * grids.len());
    }
    loads.sort();
    let store = Store::open(&path).expect("reopens");

    // The moves above are as many steps of history (plus the setup's): undo and redo now
    // work at the end of a long history.
    let mut undos = Vec::with_capacity(200);
    let mut redos = Vec::with_capacity(200);
    for n in 0..200 {
        let start = Instant::now();
        store.undo(&session.id, 20_000 + n).expect("undoes");
        undos.push(start.elapsed());
    }
    for n in 0..200 {
        let start = Instant::now();
        store.redo(&session.id, 30_000 + n).expect("redoes");
        redos.push(start.elapsed());
    }
    undos.sort();
    redos.sort();

    println!(
        "Powermap store benchmark — {ORGANIZATIONS} organizations on {} grids, file {}",
        grids.len(),
        path.display()
    );
    println!(
        "open + load session with {MOVES} steps of history: median {}  worst {}  (target < 50 ms; {LOADS} runs)",
        ms(percentile(&loads, 0.5)),
        ms(*loads.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "stored move:         median {}  p99 {}  max {}  (target p99 < 1 ms; {MOVES} moves)",
        ms(percentile(&moves, 0.5)),
        ms(percentile(&moves, 0.99)),
        ms(*moves.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "undo / redo with a {}-step history: undo median {} worst {}; redo median {} worst {}  (target < 5 ms)",
        MOVES + ORGANIZATIONS * grids.len() + 3,
        ms(percentile(&undos, 0.5)),
        ms(*undos.last().unwrap_or(&Duration::ZERO)),
        ms(percentile(&redos, 0.5)),
        ms(*redos.last().unwrap_or(&Duration::ZERO))
    );
    println!(
        "another program's move published: median {}  p99 {}  worst {}  (target < 300 ms; {} moves)",
        ms(percentile(&others, 0.5)),
        ms(percentile(&others, 0.99)),
        ms(*others.last().unwrap_or(&Duration::ZERO)),
        others.len()
    );
    drop(store);
    large_csv_import(dir.path());
    blueprint_import(dir.path());
}

/// How long after another program's move commits `store` (watching the file) publishes it:
/// 200 moves, one every 37 ms (out of step with the watcher's turns).
fn other_programs_published(
    store: &Store,
    path: &std::path::Path,
    session: &str,
    grid: &str,
    card: &str,
) -> Vec<Duration> {
    let heard: Arc<Mutex<Vec<(i64, Instant)>>> = Arc::default();
    let ear = heard.clone();
    let session_id = session.to_string();
    let _subscription = store.subscribe(move |publication| {
        if let Publication::Change(change) = publication {
            if change.session_id == session_id {
                ear.lock().unwrap().push((change.revision, Instant::now()));
            }
        }
    });
    let other = Store::open(path).expect("a second program opens the file");
    let mut committed = Vec::new();
    for n in 0..200 {
        let point = Point::new((n % 10) as f64 / 10.0, 0.5).expect("on the grid");
        let change = other.place_card(grid, card, point, 50_000 + n).expect("moved").change;
        committed.push((change.revision, Instant::now()));
        std::thread::sleep(Duration::from_millis(37));
    }
    std::thread::sleep(powermap_core::store::WATCH_EVERY * 4);
    let heard = heard.lock().unwrap();
    let mut latencies: Vec<Duration> = committed
        .iter()
        .map(|(revision, at)| {
            let (_, told) = heard.iter().find(|(r, _)| r == revision).expect("every move is published");
            told.saturating_duration_since(*at)
        })
        .collect();
    latencies.sort();
    latencies
}

/// A Kumu blueprint of at least `bytes`: elements with a type, a description and tags, and
/// about as many connections, each between two of them, with a type, a description, a
/// strength and tags. Returns the text and its numbers of elements and connections.
fn blueprint(bytes: usize) -> (String, usize, usize) {
    let types = ["Community organization", "Municipality", "Foundation", "Company", "Union", "Media", "Person"];
    let kinds = ["Funding", "Member of", "Partner", "Opposes"];
    let mut elements = Vec::new();
    let mut connections = Vec::new();
    let mut size = 0;
    let mut n = 0usize;
    while size < bytes {
        let element = serde_json::json!({
            "_id": format!("elem-{n:08}"),
            "attributes": {
                "label": format!("Organization number {n} of the coalition's map"),
                "element type": types[n % types.len()],
                "description": format!("Met at the hearing on day {}; works on housing, transit and wages across the east side.", n % 28 + 1),
                "tags": ["coalition", "east side"],
            }
        });
        let to = if n == 0 { 1 } else { (n * 7919) % n };
        let connection = serde_json::json!({
            "_id": format!("conn-{n:08}"),
            "from": format!("elem-{n:08}"),
            "to": format!("elem-{to:08}"),
            "direction": if n.is_multiple_of(3) { "mutual" } else { "directed" },
            "attributes": {
                "connection type": kinds[n % kinds.len()],
                "description": format!("Since {}: shared campaigns and a seat at the table.", 1990 + n % 35),
                "strength": n % 5 + 1,
                "tags": ["2025"],
            }
        });
        size += element.to_string().len() + connection.to_string().len() + 4;
        elements.push(element);
        connections.push(connection);
        n += 1;
    }
    let text =
        serde_json::json!({ "name": "Ten megabytes", "elements": elements, "connections": connections }).to_string();
    (text, n, n)
}

fn blueprint_import(dir: &std::path::Path) {
    use powermap_core::exchange::maps::{self, MapFile};
    use powermap_core::i18n::Lang;
    let (text, elements, connections) = blueprint(10 * 1024 * 1024);
    let store = Store::open(&dir.join("blueprint.db")).expect("a new database");
    let file = [MapFile { name: "ten-megabytes.json", bytes: text.as_bytes() }];
    let start = Instant::now();
    let map = maps::read(&file, 1, Lang::En).expect("the blueprint is read");
    let previewed = start.elapsed();
    let (organizations, relationships, skipped) =
        (map.preview.organizations.len(), map.preview.relationships.len(), map.preview.skipped.len());
    let start = Instant::now();
    let map = maps::read(&file, 1, Lang::En).expect("the blueprint is read");
    maps::import(&store, map).expect("the blueprint imports");
    let imported = start.elapsed();
    println!(
        "Kumu blueprint of {:.1} MB ({elements} elements, {connections} connections): preview {:.2} s, import (read + store) {:.2} s (target < 2 s); {organizations} organizations, {relationships} relationships, {skipped} skipped",
        text.len() as f64 / (1024.0 * 1024.0),
        previewed.as_secs_f64(),
        imported.as_secs_f64(),
    );
}

const LARGE: usize = 100_000;

fn large_csv_import(dir: &std::path::Path) {
    let path = dir.join("large.db");
    let (store, _subscription, _told) = as_the_app_opens(&path);
    let fields = SessionFields { title: "Large import".into(), ..Default::default() };
    let session = store.create_session(&fields, powermap_core::i18n::Lang::En, 1).expect("a session").id;
    let names: String = (0..LARGE).map(|n| format!("Existing organization {n}\n")).collect();
    store.add_organizations_from_list(&session, &names, 2).expect("organizations");
    let file: String = std::iter::once("name,sector,notes\n".to_string())
        .chain((0..LARGE).map(|n| format!("Imported organization {n},community group,Met on day {}\n", n % 28 + 1)))
        .collect();
    let start = Instant::now();
    let preview = organizations_csv::preview(&store, &session, file.as_bytes()).expect("a preview");
    let previewed = start.elapsed();
    assert_eq!(preview.organizations.len(), LARGE);
    let start = Instant::now();
    organizations_csv::import(&store, &session, file.as_bytes(), 3).expect("imported");
    let imported = start.elapsed();
    drop(store);
    let connection = rusqlite::Connection::open(&path).expect("reopens");
    let history: i64 = connection
        .query_row(
            "SELECT sum(length(coalesce(before, '')) + length(coalesce(after, ''))) FROM history_row
             WHERE step_id = (SELECT max(id) FROM history_step)",
            [],
            |row| row.get(0),
        )
        .expect("the import's step");
    println!(
        "CSV of {LARGE} organizations into a session of {LARGE}: preview {:.2} s, import {:.2} s; its step of history {:.1} MB ({} bytes an organization)",
        previewed.as_secs_f64(),
        imported.as_secs_f64(),
        history as f64 / 1e6,
        history / LARGE as i64
    );
}
