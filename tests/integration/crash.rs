//! Crash tests: the CLI killed (SIGKILL) at random moments of its writes — imports, new
//! sessions, undo and redo and follow-ups of a shared campaign, syncs with its folder, and
//! the first start on a new file — then the database checked: SQLite's integrity check
//! passes, Powermap opens it, every action the CLI reported done before it was killed is
//! there, and the shared campaign's rows are exactly what its document says (a row
//! written without its change to the document, or the reverse, would show).
//!
//! `./dev test` runs a short series (POWERMAP_CRASH_KILLS, 40 by default);
//! `./dev crash-test --kills 1000` runs a long one and prints its figures.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A small deterministic random source (xorshift), seeded from the clock and printed, so
/// a failing series can be run again.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the killed run was doing.
#[derive(Debug, Clone, Copy)]
enum Action {
    Import,
    Sample,
    Undo,
    Redo,
    FollowUp,
    Sync,
    FirstStart,
}

/// A session file of `organizations` cards on two grids, for imports that take a while.
fn session_file(dir: &Path, organizations: usize) -> PathBuf {
    let orgs: Vec<serde_json::Value> = (0..organizations)
        .map(|n| {
            serde_json::json!({"id": format!("org-{n}"), "name": format!("Organization {n}"), "shortLabel": "",
                "sector": "ngo", "directlyAffected": n % 3 == 0, "notes": "Met at the spring assembly", "colour": "#457b9d"})
        })
        .collect();
    let labels = serde_json::json!({"xTitle": "Interest", "xLow": "Low", "xHigh": "High", "yTitle": "Power", "yLow": "Low",
        "yHigh": "High", "regions": ["Monitor", "Keep informed", "Keep satisfied", "Manage closely"]});
    let grids: Vec<serde_json::Value> = (1..=2)
        .map(|g| serde_json::json!({"id": format!("grid-{g}"), "kind": "power-interest", "title": format!("Grid {g}"), "labels": labels}))
        .collect();
    let placements: Vec<serde_json::Value> = (0..organizations)
        .flat_map(|n| {
            (1..=2).map(move |g| {
                serde_json::json!({"gridId": format!("grid-{g}"), "organizationId": format!("org-{n}"),
                    "x": (n % 100) as f64 / 100.0, "y": (n % 97) as f64 / 97.0, "movedBy": "", "movedAt": 0})
            })
        })
        .collect();
    let document = serde_json::json!({"format": "powermap/1",
        "session": {"id": "crash", "title": "Crash test", "question": "", "date": null, "place": "", "facilitator": "",
            "notes": "", "followsUp": null, "createdAt": 0, "updatedAt": 0},
        "organizations": orgs, "grids": grids, "placements": placements, "commitments": []});
    let path = dir.join("crash.json");
    std::fs::write(&path, document.to_string()).unwrap();
    path
}

/// Runs `powermap --db db args…`, kills it after `after`, and returns what it printed
/// before (a complete line means it reported its action done).
fn run_and_kill(db: &Path, args: &[&str], after: Duration) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_powermap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("POWERMAP_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary runs");
    std::thread::sleep(after);
    let _ = child.kill(); // SIGKILL; it may have finished already
    let _ = child.wait();
    let mut printed = String::new();
    child.stdout.take().unwrap().read_to_string(&mut printed).unwrap();
    printed
}

/// SQLite's own check of every page and index, through a plain connection.
fn integrity(db: &Path) -> String {
    let connection = rusqlite::Connection::open(db).unwrap();
    connection.query_row("PRAGMA integrity_check", [], |row| row.get::<_, String>(0)).unwrap()
}

fn session_ids(db: &Path) -> Vec<String> {
    let connection = rusqlite::Connection::open(db).unwrap();
    let mut statement = connection.prepare("SELECT id FROM session").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[test]
fn killed_writes_lose_nothing_reported_and_never_corrupt_the_file() {
    let kills: u64 = std::env::var("POWERMAP_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(40);
    let seed = std::env::var("POWERMAP_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(1) | 1);
    let mut random = Random(seed);
    let dir = tempfile::tempdir().unwrap();
    let file = session_file(dir.path(), 400);
    let db = dir.path().join("powermap.db");
    let first = Command::new(env!("CARGO_BIN_EXE_powermap")).arg("--db").arg(&db).arg("sample").output().unwrap();
    assert!(first.status.success());
    let sample = String::from_utf8(first.stdout).unwrap().trim().to_string();
    // The sample's campaign is shared: every change to it is also a change of its document.
    let folder = dir.path().join("shared");
    let shared = Command::new(env!("CARGO_BIN_EXE_powermap"))
        .arg("--db")
        .arg(&db)
        .args(["share", &sample, "--folder", folder.to_str().unwrap(), "--laptop", "crash"])
        .output()
        .unwrap();
    assert!(shared.status.success(), "{}", String::from_utf8_lossy(&shared.stderr));
    // One meeting followed up whole before the kills, so the check below has rows to judge.
    let next = Command::new(env!("CARGO_BIN_EXE_powermap"))
        .arg("--db")
        .arg(&db)
        .args(["follow-up", &sample])
        .output()
        .unwrap();
    assert!(next.status.success());
    let mut apart = Vec::new();

    let (mut reported, mut integrity_failures, mut lost, mut unopenable) = (0, 0, Vec::new(), 0);
    // The shared campaign stops growing at this many meetings, so a long run's kills cost
    // alike (each follow-up copies the whole meeting into the document).
    const MOST_MEETINGS: usize = 8;
    let mut meetings = 2;
    for kill in 0..kills {
        let action = match random.below(12) {
            0..=2 => Action::Import,
            3 => Action::Sample,
            4 | 5 => Action::Undo,
            6 | 7 => Action::Redo,
            8 if meetings < MOST_MEETINGS => Action::FollowUp,
            8 => Action::Undo,
            9 => Action::Sync,
            _ => Action::FirstStart,
        };
        // From before the process has started its work to after it has finished.
        let after = Duration::from_millis(random.below(250));
        let fresh = dir.path().join(format!("fresh-{kill}.db"));
        let (target, printed) = match action {
            Action::Import => (&db, run_and_kill(&db, &["import", file.to_str().unwrap()], after)),
            Action::Sample => (&db, run_and_kill(&db, &["sample"], after)),
            Action::Undo => (&db, run_and_kill(&db, &["undo", &sample], after)),
            Action::Redo => (&db, run_and_kill(&db, &["redo", &sample], after)),
            Action::FollowUp => (&db, run_and_kill(&db, &["follow-up", &sample], after)),
            Action::Sync => (&db, run_and_kill(&db, &["sync"], after)),
            Action::FirstStart => (&fresh, run_and_kill(&fresh, &["sample"], after)),
        };
        let done = printed.ends_with('\n');
        if done {
            reported += 1;
        }
        if target.exists() {
            let check = integrity(target);
            if check != "ok" {
                integrity_failures += 1;
                eprintln!("kill {kill} ({action:?} after {after:?}): integrity check says {check}");
            }
            match powermap_core::Store::open(target) {
                Err(_) => unopenable += 1,
                // The shared campaign's rows and document, after a kill that wrote to them.
                Ok(store)
                    if target == &db
                        && matches!(action, Action::Undo | Action::Redo | Action::FollowUp | Action::Sync) =>
                {
                    let campaign = store.shared_campaign_of(&sample).unwrap().expect("the sample's campaign is shared");
                    meetings = store.shared_campaign(&campaign).unwrap().sessions.len();
                    let differences = store.shared_projection_check(&campaign).unwrap();
                    if !differences.is_empty() {
                        let first: Vec<&String> = differences.iter().take(3).collect();
                        apart.push(format!("kill {kill} ({action:?} after {after:?}): {first:?}"));
                    }
                }
                Ok(_) => {}
            }
        }
        if done && matches!(action, Action::Import | Action::Sample | Action::FollowUp | Action::FirstStart) {
            let id = printed.trim();
            if !session_ids(target).iter().any(|s| s == id) {
                lost.push(format!("kill {kill}: {action:?} reported {id}, which is not in the file"));
            }
        }
    }
    println!(
        "crash test (seed {seed}): {kills} kills, {reported} of them after the action was reported done; \
         integrity failures {integrity_failures}; files that would not open {unopenable}; reported actions lost {}; \
         rows apart from the shared document {}",
        lost.len(),
        apart.len()
    );
    assert!(apart.is_empty(), "seed {seed}: {apart:#?}");
    assert_eq!(integrity_failures, 0, "seed {seed}");
    assert_eq!(unopenable, 0, "seed {seed}");
    assert!(lost.is_empty(), "seed {seed}: {lost:#?}");
}
