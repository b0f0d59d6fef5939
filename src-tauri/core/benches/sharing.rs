//! Sharing benchmark: prints the figures issue 29 asks for, on real database files.
//!
//! - A move of a card in a shared campaign, with its Loro change kept in the same
//!   transaction: median and p99 over 5,000 moves, beside the same moves in a campaign
//!   not shared — target p99 ≤ 1 ms.
//! - Three laptops' updates (1,000 moves and 50 edits each) taken in by a fourth holding a
//!   12-meeting × 300-organization campaign — target ≤ 150 ms in all.
//! - The shared folder's file for 1,000 moves, sealed — target ≤ 64 KB.
//! - What the database keeps of the campaign's document after 36,000 moves — target ≤ 5 MB.
//! - Opening the database and the latest meeting, shared or not — startup unchanged.
//!
//! Run: `cargo bench -p powermap-core --bench sharing` (or `./dev bench sharing`)

use std::path::Path;
use std::time::{Duration, Instant};

use powermap_core::i18n::Lang;
use powermap_core::model::{FollowUpFields, GridKind, OrganizationFields, Point, SessionFields, Stamp};
use powermap_core::sync::CampaignKey;
use powermap_core::Store;

const MEETINGS: usize = 12;
const ORGANIZATIONS: usize = 300;

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f64 {
        (self.next() % 10_001) as f64 / 10_000.0
    }
}

/// A campaign of `meetings` meetings of 300 organizations on 3 grids, every card placed.
/// Returns the latest meeting's id.
fn campaign(store: &Store, meetings: usize, random: &mut Random) -> String {
    let fields = SessionFields { title: "Campaign".into(), ..Default::default() };
    let first = store.create_session(&fields, Lang::En, 1).expect("a session");
    let names: String = (0..ORGANIZATIONS).map(|n| format!("Organization {n}\n")).collect();
    store.add_organizations_from_list(&first.id, &names, 2).expect("organizations");
    store.add_grid(&first.id, GridKind::PowerSupport, "", Lang::En, 3).expect("a grid");
    store.add_grid(&first.id, GridKind::SpectrumOfAllies, "", Lang::En, 4).expect("a grid");
    let data = store.load_session(&first.id).expect("loads");
    for grid in &data.grids {
        let moves: Vec<(String, Point)> =
            data.organizations.iter().map(|o| (o.id.clone(), Point { x: random.unit(), y: random.unit() })).collect();
        store.place_cards(&grid.id, &moves, 5).expect("placed");
    }
    let mut session = first.id;
    for meeting in 1..meetings {
        session = store
            .start_follow_up(&session, &FollowUpFields::default(), Lang::En, 10 + meeting as i64)
            .expect("a follow-up")
            .id;
    }
    session
}

/// `moves` moves of random cards of the meeting, each timed.
fn moves(store: &Store, session: &str, count: usize, random: &mut Random, at: i64) -> Vec<Duration> {
    let data = store.load_session(session).expect("loads");
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let grid = &data.grids[random.next() as usize % data.grids.len()];
        let org = &data.organizations[random.next() as usize % data.organizations.len()];
        let point = Point { x: random.unit(), y: random.unit() };
        let started = Instant::now();
        store.place_card(&grid.id, &org.id, point, Stamp::from(at + 2_000 * n as i64)).expect("moved");
        times.push(started.elapsed());
    }
    times
}

fn percentiles(times: &mut [Duration]) -> (Duration, Duration) {
    times.sort();
    (times[times.len() / 2], times[times.len() * 99 / 100])
}

fn open_latest(path: &Path, session: &str) -> Duration {
    let started = Instant::now();
    let store = Store::open(path).expect("opens");
    store.list_sessions().expect("lists");
    store.load_session(session).expect("loads");
    started.elapsed()
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let key = CampaignKey::generate();

    println!("Building a {MEETINGS}-meeting × {ORGANIZATIONS}-organization campaign on two laptops, one sharing it…");
    let plain_path = dir.path().join("plain.db");
    let plain = Store::open(&plain_path).expect("a database");
    let plain_latest = campaign(&plain, MEETINGS, &mut Random(7));
    let shared_path = dir.path().join("a.db");
    let a = Store::open(&shared_path).expect("a database");
    let latest = campaign(&a, MEETINGS, &mut Random(7));
    let started = Instant::now();
    let shared = a.share_campaign(&latest, "A", &key.to_text(), None, 100).expect("shared");
    println!("sharing it (its whole document made): {}", ms(started.elapsed()));
    let campaign_id = shared.campaign;

    // 1. A move, shared or not.
    let mut unshared = moves(&plain, &plain_latest, 5_000, &mut random, 1_000_000);
    let mut with_loro = moves(&a, &latest, 5_000, &mut random, 1_000_000);
    let (p50, p99) = percentiles(&mut unshared);
    println!("a move, campaign not shared: median {}, p99 {}", ms(p50), ms(p99));
    let (p50, p99) = percentiles(&mut with_loro);
    println!(
        "a move, campaign shared (its Loro change in the same transaction): median {}, p99 {} (target ≤ 1 ms)",
        ms(p50),
        ms(p99)
    );

    // 2. Three laptops' updates taken in.
    let everything = a.all_changes(&campaign_id).expect("all");
    // What A holds before the others' changes: each sends what A lacks (its joining too).
    let a_version = a.shared_version(&campaign_id).expect("version");
    let mut updates = Vec::new();
    for name in ["B", "C", "D"] {
        let store = Store::open(&dir.path().join(format!("{name}.db"))).expect("a database");
        store.join_shared_campaign(&campaign_id, name, &key.to_text(), None, 100).expect("joined");
        store.take_in_changes(&campaign_id, &everything, 100).expect("taken in");
        moves(&store, &latest, 1_000, &mut random, 2_000_000_000);
        let data = store.load_session(&latest).expect("loads");
        for n in 0..50 {
            let org = &data.organizations[random.next() as usize % data.organizations.len()];
            let mut fields = OrganizationFields::named(&org.name);
            fields.notes = format!("Edited on {name}, {n}");
            store.update_organization(&org.id, &fields, 3_000_000_000 + n).expect("edited");
        }
        updates.push(store.changes_missing_from(&campaign_id, &a_version).expect("the update"));
    }
    // Taken in by five copies of A (each its document read first, as A's is), for a median.
    let mut rows = 0;
    let mut times = Vec::new();
    for copy in 0..5 {
        let path = dir.path().join(format!("a-copy-{copy}.db"));
        rusqlite::Connection::open(&shared_path)
            .and_then(|db| db.execute("VACUUM INTO ?1", [path.to_string_lossy()]))
            .expect("A copied");
        let a_copy = Store::open(&path).expect("the copy opens");
        a_copy.shared_version(&campaign_id).expect("its document read");
        let started = Instant::now();
        rows = 0;
        for update in &updates {
            let taken = a_copy.take_in_changes(&campaign_id, update, 4_000_000_000).expect("taken in");
            assert!(taken.rows > 0 && !taken.waiting, "the update changed rows: {taken:?}");
            rows += taken.rows;
        }
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "three laptops' updates (1,000 moves and 50 edits each, {} KB in all, {rows} rows written) taken in: \
         median {} of 5 (fastest {}, slowest {}; target ≤ 150 ms)",
        updates.iter().map(Vec::len).sum::<usize>() / 1024,
        ms(times[2]),
        ms(times[0]),
        ms(times[4])
    );

    // 3. The folder's file for 1,000 moves.
    let before = a.shared_version(&campaign_id).expect("version");
    moves(&a, &latest, 1_000, &mut random, 5_000_000_000);
    let update = a.changes_missing_from(&campaign_id, &before).expect("the update");
    let sealed = key.seal(&campaign_id, &powermap_core::sync::folder::deflate(&update)).expect("sealed");
    println!("the shared folder's file for 1,000 moves: {:.1} KB (target ≤ 64 KB)", sealed.len() as f64 / 1024.0);

    // 4. The kept document after 36,000 moves (of a one-meeting campaign).
    let long = Store::open(&dir.path().join("long.db")).expect("a database");
    let one = campaign(&long, 1, &mut Random(11));
    let long_campaign = long.share_campaign(&one, "A", &key.to_text(), None, 100).expect("shared").campaign;
    let started = Instant::now();
    moves(&long, &one, 36_000, &mut random, 6_000_000_000);
    println!(
        "the kept document after 36,000 moves: {:.2} MB (target ≤ 5 MB); the moves took {:.1} s",
        long.shared_document_size(&long_campaign).expect("size") as f64 / 1_048_576.0,
        started.elapsed().as_secs_f64()
    );

    // 5. Startup: the database and the latest meeting opened, shared or not.
    drop((a, plain));
    let mut shared_opens: Vec<Duration> = (0..15).map(|_| open_latest(&shared_path, &latest)).collect();
    let mut plain_opens: Vec<Duration> = (0..15).map(|_| open_latest(&plain_path, &plain_latest)).collect();
    let (plain_median, _) = percentiles(&mut plain_opens);
    let (shared_median, _) = percentiles(&mut shared_opens);
    println!(
        "opening the database and the latest meeting: not shared median {}, shared median {} (startup unchanged)",
        ms(plain_median),
        ms(shared_median)
    );
}
