//! Campaign benchmark: prints the figures issue 9 asks for, on a real database file.
//!
//! A campaign of 12 meetings of 300 organizations on 3 grids (every card placed on every
//! grid), each meeting started as a follow-up of the one before, with 60 commitments made
//! at each and every open one reviewed at the next (kept, partly, dropped or carried
//! again in turn). Then, median and worst of 30 runs each:
//! - opening the latest meeting (its data, last time's places and its reviews);
//! - said and done over the campaign;
//! - both, as the window does when the latest meeting opens with "Said and done" shown —
//!   target 50 ms.
//!
//! Run: `cargo bench -p powermap-core --bench campaign` (or `./dev bench campaign`)

use std::time::{Duration, Instant};

use powermap_core::i18n::Lang;
use powermap_core::model::{
    CommitmentFields, CommitmentStatus, FollowUpFields, GridKind, Point, ReviewFields, ReviewOutcome, SessionFields,
};
use powermap_core::Store;

const MEETINGS: usize = 12;
const ORGANIZATIONS: usize = 300;
const COMMITMENTS: usize = 60;
const RUNS: usize = 30;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn figures(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!("{name}: median {}, worst {}", ms(times[times.len() / 2]), ms(times[times.len() - 1]));
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bench.db");
    let store = Store::open(&path).expect("a new database");
    let started = Instant::now();
    let fields = SessionFields { title: "Campaign".into(), date: Some("2026-01-05".into()), ..Default::default() };
    let first = store.create_session(&fields, powermap_core::i18n::Lang::En, 1).expect("a session");
    let names: String = (0..ORGANIZATIONS).map(|n| format!("Organization {n}\n")).collect();
    store.add_organizations_from_list(&first.id, &names, 2).expect("organizations");
    store.add_grid(&first.id, GridKind::PowerSupport, "", powermap_core::i18n::Lang::En, 3).expect("a grid");
    store.add_grid(&first.id, GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 4).expect("a grid");
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % 10_000) as f64 / 10_000.0
    };
    let mut session = first.id.clone();
    let mut at = 10;
    for meeting in 0..MEETINGS {
        let data = store.load_session(&session).expect("loads");
        // Every card somewhere new on every grid, as a meeting moves them.
        for grid in &data.grids {
            let moves: Vec<(String, Point)> = data
                .organizations
                .iter()
                .map(|o| (o.id.clone(), Point::new(next(), next()).expect("on the grid")))
                .collect();
            for (organization, point) in moves {
                at += 1;
                store.place_card(&grid.id, &organization, point, at).expect("placed");
            }
        }
        // Last meeting's open commitments reviewed, each outcome in turn.
        for (n, review) in data.reviews.iter().enumerate() {
            let outcome =
                [ReviewOutcome::Kept, ReviewOutcome::Partly, ReviewOutcome::Dropped, ReviewOutcome::Carried][n % 4];
            let fields = ReviewFields { outcome, note: String::new(), due: Some("2026-06-01".into()) };
            at += 1;
            store.review_commitment(&review.id, &fields, at).expect("reviewed");
        }
        for n in 0..COMMITMENTS {
            let organization = &data.organizations[(n * 7 + meeting) % data.organizations.len()];
            let fields = CommitmentFields {
                organization_id: Some(organization.id.clone()),
                person: String::new(),
                action: format!("Action {n} of meeting {meeting}"),
                due: Some("2026-03-01".into()),
                status: if n % 3 == 0 { CommitmentStatus::Done } else { CommitmentStatus::Open },
                notes: String::new(),
            };
            at += 1;
            store.add_commitment(&session, &fields, at).expect("a commitment");
        }
        if meeting + 1 < MEETINGS {
            at += 1;
            let follow_up = FollowUpFields { date: Some(format!("2026-{:02}-05", meeting + 2)), ..Default::default() };
            session = store.start_follow_up(&session, &follow_up, Lang::En, at).expect("a follow-up").id;
        }
    }
    println!(
        "Campaign of {MEETINGS} meetings × {ORGANIZATIONS} organizations × 3 grids, {COMMITMENTS} commitments a \
         meeting, built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    drop(store);

    let store = Store::open(&path).expect("reopens");
    let latest = store.list_sessions().expect("lists").last().expect("the latest meeting").id.clone();
    let (mut opening, mut said, mut both) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let data = store.load_session(&latest).expect("loads");
        let loaded = start.elapsed();
        let records = store.said_and_done(&latest, "2026-12-31").expect("said and done");
        let total = start.elapsed();
        assert!(data.last_time.is_some_and(|l| l.placements.len() == 3 * ORGANIZATIONS));
        rows = records.len();
        opening.push(loaded);
        said.push(total - loaded);
        both.push(total);
    }
    figures("Open the latest meeting", opening);
    figures(&format!("Said and done over the campaign ({rows} organizations)"), said);
    figures("Both (target 50 ms)", both);
}
