//! Export benchmark: prints the time of every export format for a session of 500
//! organizations on 3 grids with 1,000 commitments — targets: under 100 ms for each text
//! format, under 1 s for PDF and PNG — then SVG, PDF and PNG again with the names in other
//! scripts (shaped, in the system's faces).
//!
//! Run: `cargo bench -p powermap-core --bench exports`

use std::time::{Duration, Instant};

use powermap_core::exchange::export;
use powermap_core::exchange::ExportFormat;
use powermap_core::i18n::Lang;
use powermap_core::model::{CommitmentFields, CommitmentStatus, GridKind, Point, SessionFields};
use powermap_core::summary::Paper;
use powermap_core::Store;

const RUNS: usize = 5;

/// Names in the scripts a coalition's members write in: set through the shaper and the
/// system's faces (Noto, Symbola) instead of glyph by glyph in the built-in face.
const WORLD: [&str; 8] = [
    "北京市民协会",
    "東京の市民ネットワーク",
    "서울 세입자 연대",
    "جمعية سكان الحي",
    "ועד השכונה",
    "किसान संघर्ष समिति",
    "🌱 Green Tenants ✊🏽",
    "Comité de Vivienda",
];

fn main() {
    let store = Store::open_in_memory().expect("a database");
    let latin: String = (0..500).map(|n| format!("Organization number {n}\n")).collect();
    let latin = session(&store, "Export benchmark", &latin);

    println!("Powermap export benchmark — 500 organizations on 3 grids, 1,000 commitments (median of {RUNS})");
    let formats = [
        (ExportFormat::Json, 100),
        (ExportFormat::Html, 100),
        (ExportFormat::Md, 100),
        (ExportFormat::Csv, 100),
        (ExportFormat::Ics, 100),
        (ExportFormat::Svg, 100),
        (ExportFormat::Pdf, 1000),
        (ExportFormat::Png, 1000),
    ];
    for (format, target) in formats {
        measure(&store, &latin, format, target);
    }
    let world: String = (0..500).map(|n| format!("{} {n}\n", WORLD[n % WORLD.len()])).collect();
    let world = session(&store, "Export benchmark in every script", &world);
    println!("The same, the names in Chinese, Japanese, Korean, Arabic, Hebrew, Devanagari and with emoji:");
    for (format, target) in [(ExportFormat::Svg, 100), (ExportFormat::Pdf, 1000), (ExportFormat::Png, 1000)] {
        measure(&store, &world, format, target);
    }
}

/// Prints the median time of exporting `session` as `format`.
fn measure(store: &Store, session: &str, format: ExportFormat, target: u32) {
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let files = export::session_files(store, session, format, Paper::A4, Lang::En).expect("exports");
        times.push(start.elapsed());
        size = files.iter().map(|f| f.contents.len()).sum();
    }
    times.sort();
    println!(
        "{:>5}: {:>8.1} ms  ({} KiB; target < {target} ms)",
        format!("{format:?}").to_lowercase(),
        times[RUNS / 2].as_secs_f64() * 1000.0,
        size / 1024
    );
}

/// A session of the organizations `names` (one a line) on 3 grids, with 1,000 commitments;
/// returns its id.
fn session(store: &Store, title: &str, names: &str) -> String {
    let fields = SessionFields { title: title.into(), ..Default::default() };
    let session = store.create_session(&fields, powermap_core::i18n::Lang::En, 1).expect("a session");
    let organizations = store.add_organizations_from_list(&session.id, names, 2).expect("organizations");
    store.add_grid(&session.id, GridKind::PowerSupport, "", powermap_core::i18n::Lang::En, 3).expect("a grid");
    store.add_grid(&session.id, GridKind::SpectrumOfAllies, "", powermap_core::i18n::Lang::En, 4).expect("a grid");
    let grids = store.load_session(&session.id).expect("loads").grids;
    for (g, grid) in grids.iter().enumerate() {
        let moves: Vec<_> = organizations
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let x = ((n * 37 + g * 11) % 100) as f64 / 100.0;
                let y = ((n * 61 + g * 7) % 97) as f64 / 97.0;
                (o.id.clone(), Point::new(x, y).expect("on the grid"))
            })
            .collect();
        store.place_cards(&grid.id, &moves, 5).expect("placed");
    }
    for n in 0..1000 {
        let commitment = CommitmentFields {
            organization_id: Some(organizations[n % organizations.len()].id.clone()),
            person: String::new(),
            action: format!("Follow-up action number {n}"),
            due: Some(format!("2027-{:02}-{:02}", n % 12 + 1, n % 28 + 1)),
            status: CommitmentStatus::Open,
            notes: String::new(),
        };
        store.add_commitment(&session.id, &commitment, 6).expect("a commitment");
    }

    session.id
}
