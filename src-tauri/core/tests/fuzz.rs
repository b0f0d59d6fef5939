//! Fuzzing, with proptest: the JSON importer on damaged and hostile files, the CSV reader on
//! any bytes, and the text rules on any strings. Each must answer with a value or a typed
//! error — never a panic — and a refused import must change nothing.
//!
//! Each target runs for POWERMAP_FUZZ_SECONDS (2 by default, in `./dev test`); `./dev fuzz`
//! runs them for ten minutes in all and prints how many cases each tried.

use std::time::{Duration, Instant};

use powermap_core::exchange::export;
use powermap_core::exchange::ExportFormat;
use powermap_core::model::{CommitmentFields, OrganizationFields, ParticipantFields, SessionFields};
use powermap_core::summary::Paper;
use powermap_core::{ErrorCode, InterchangeDocument, Store};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn seconds() -> Duration {
    let seconds = std::env::var("POWERMAP_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(2.0);
    Duration::from_secs_f64(seconds)
}

/// Runs `test` on values of `strategy` until the time is up; returns the number of cases.
fn fuzz<S: Strategy>(name: &str, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>) -> u64
where
    S::Value: std::fmt::Debug,
{
    let deadline = Instant::now() + seconds();
    let mut cases = 0u64;
    while Instant::now() < deadline {
        let config = Config { cases: 64, failure_persistence: None, ..Config::default() };
        let mut runner = TestRunner::new(config);
        if let Err(failure) = runner.run(&strategy, &test) {
            panic!("{name}: {failure}");
        }
        cases += 64;
    }
    println!("fuzz {name}: {cases} cases, no panic");
    cases
}

/// Text with everything that trips programs up: control characters, separators, markup,
/// formulas, long runs, and any Unicode.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f,;|=+@<>\\[\\]()\"'\\\\ a-z\u{85}\u{2028}\u{202e}é權👩🏽‍🌾]{0,40}",
        ".{190,230}",
    ]
}

fn sample_json() -> String {
    let store = Store::open_in_memory().unwrap();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    store.export_document(&id).unwrap().to_json()
}

/// One damage done to a file's text.
#[derive(Debug, Clone)]
enum Damage {
    Cut(usize, usize),
    Insert(usize, String),
    Repeat(usize, usize),
    Flip(usize, u8),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), 0usize..200).prop_map(|(at, n)| Damage::Cut(at, n)),
        (any::<usize>(), hostile_text()).prop_map(|(at, text)| Damage::Insert(at, text)),
        (any::<usize>(), 0usize..300).prop_map(|(at, n)| Damage::Repeat(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Damage::Flip(at, byte)),
    ]
}

fn damaged(text: &str, damages: &[Damage]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for d in damages {
        let len = bytes.len().max(1);
        match d {
            Damage::Cut(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(bytes.len())..end);
            }
            Damage::Insert(at, inserted) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, inserted.bytes());
            }
            Damage::Repeat(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy = bytes.get(at..end).unwrap_or_default().to_vec();
                bytes.splice(end..end, copy);
            }
            Damage::Flip(at, byte) => {
                if !bytes.is_empty() {
                    let at = at % bytes.len();
                    bytes[at] = *byte;
                }
            }
        }
    }
    bytes
}

fn session_count(store: &Store) -> usize {
    store.list_sessions().unwrap().len()
}

/// Imports `text`: a session that is then exported in every text format, or a typed
/// refusal that added nothing.
fn import_checked(store: &Store, text: &str) -> Result<(), TestCaseError> {
    let before = session_count(store);
    match InterchangeDocument::from_json(text).and_then(|document| store.import_document(document)) {
        Ok(id) => {
            let data = store.load_session(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
            for o in &data.organizations {
                prop_assert!(!o.name.chars().any(char::is_control), "a control character got in: {:?}", o.name);
            }
            for format in
                [ExportFormat::Json, ExportFormat::Html, ExportFormat::Md, ExportFormat::Csv, ExportFormat::Ics]
            {
                export::session_files(store, &id, format, Paper::A4, powermap_core::i18n::Lang::En)
                    .map_err(|e| TestCaseError::fail(e.to_string()))?;
            }
            prop_assert_eq!(session_count(store), before + 1);
        }
        Err(error) => {
            prop_assert!(
                matches!(error.code(), ErrorCode::BadImport | ErrorCode::InvalidInput),
                "an unexpected kind of error: {:?} {}",
                error.code(),
                error
            );
            prop_assert_eq!(session_count(store), before, "a refused import added something");
        }
    }
    Ok(())
}

#[test]
fn damaged_json_files_import_or_are_refused_cleanly() {
    let good = sample_json();
    let store = Store::open_in_memory().unwrap();
    fuzz("damaged JSON", prop::collection::vec(damage(), 1..6), |damages| {
        let bytes = damaged(&good, &damages);
        import_checked(&store, &String::from_utf8_lossy(&bytes))
    });
}

#[test]
fn json_files_with_hostile_text_and_numbers_import_or_are_refused_cleanly() {
    let good: serde_json::Value = serde_json::from_str(&sample_json()).unwrap();
    let store = Store::open_in_memory().unwrap();
    let edits = (hostile_text(), hostile_text(), hostile_text(), any::<f64>(), hostile_text(), 0usize..12);
    fuzz("hostile JSON values", edits, |(name, title, region, x, id, index)| {
        let mut value = good.clone();
        value["organizations"][index % 12]["name"] = name.into();
        value["grids"][0]["title"] = title.into();
        value["grids"][0]["labels"]["regions"][index % 4] = region.into();
        value["placements"][index]["x"] = serde_json::json!(x);
        value["commitments"][index % 5]["id"] = id.into();
        import_checked(&store, &value.to_string())
    });
}

#[test]
fn the_csv_reader_takes_any_bytes() {
    let strategy = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        prop::collection::vec((hostile_text(), hostile_text(), hostile_text()), 0..12).prop_map(|rows| {
            let mut text = String::from("name,sector,notes\n");
            for (a, b, c) in rows {
                text.push_str(&format!("{a},{b},\"{}\"\n", c.replace('"', "\"\"")));
            }
            text.into_bytes()
        }),
    ];
    fuzz("CSV bytes", strategy, |bytes| {
        let (rows, problems) = powermap_core::exchange::organizations_csv::read(&bytes);
        for (_, fields) in &rows {
            prop_assert!(!fields.name.trim().is_empty() && !fields.name.chars().any(char::is_control));
        }
        prop_assert!(!rows.is_empty() || !problems.is_empty(), "a file that adds nothing says why");
        Ok(())
    });
}

#[test]
fn the_text_rules_take_any_string() {
    let strategy = (hostile_text(), hostile_text(), hostile_text(), hostile_text());
    fuzz("text rules", strategy, |(a, b, c, d)| {
        let organization =
            OrganizationFields { short_label: b.clone(), notes: c.clone(), ..OrganizationFields::named(&a) };
        if let Ok(fields) = organization.validated() {
            prop_assert!(fields.name == fields.name.trim() && !fields.name.is_empty());
            prop_assert!(
                !fields.name.chars().any(char::is_control) && !fields.short_label.chars().any(char::is_control)
            );
            prop_assert!(!fields.notes.chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
        }
        let session = SessionFields {
            title: a.clone(),
            place: b.clone(),
            notes: c.clone(),
            date: Some(d.clone()),
            ..Default::default()
        };
        if let Ok(fields) = session.validated() {
            prop_assert!(!fields.title.chars().any(char::is_control));
        }
        let commitment = CommitmentFields {
            organization_id: None,
            person: b.clone(),
            action: a.clone(),
            due: Some(d.clone()),
            status: powermap_core::model::CommitmentStatus::Open,
            notes: c,
        };
        let _ = commitment.validated();
        let _ = ParticipantFields { name: d, organization_id: Some(b) }.validated();
        Ok(())
    });
}

/// A participant's name comes from anyone's phone: whatever it is, an accepted one hides
/// nothing (no bidirectional control, zero-width space, byte-order mark or blank letter; a
/// joiner only between letters beyond Latin or inside an emoji), and is one trimmed line.
#[test]
fn a_participant_s_name_from_any_phone_hides_nothing() {
    let invisible = prop_oneof![
        Just('\u{200b}'),
        Just('\u{200c}'),
        Just('\u{200d}'),
        Just('\u{202a}'),
        Just('\u{202e}'),
        Just('\u{2066}'),
        Just('\u{2069}'),
        Just('\u{feff}'),
        Just('\u{3164}'),
        Just('\u{301}'),
        Just('\u{e0041}'),
    ];
    let letter = prop_oneof![Just('a'), Just('Z'), Just('ی'), Just('क'), Just('👩'), Just(' '), Just('é')];
    let name = proptest::collection::vec(prop_oneof![3 => letter, 1 => invisible], 0..24)
        .prop_map(|chars| chars.into_iter().collect::<String>());
    let strategy = prop_oneof![name, hostile_text()];
    fuzz("participant names", strategy, |typed| {
        if let Ok(fields) = (ParticipantFields { name: typed.clone(), organization_id: None }).validated() {
            let name = fields.name;
            prop_assert!(name == name.trim() && !name.is_empty() && name.chars().count() <= 200);
            prop_assert!(!name.chars().any(char::is_control));
            let hidden = ['\u{200b}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{feff}', '\u{3164}'];
            prop_assert!(!name.chars().any(|c| hidden.contains(&c)), "{name:?} accepted from {typed:?}");
            let chars: Vec<char> = name.chars().collect();
            for (at, c) in chars.iter().enumerate() {
                if *c == '\u{200c}' || *c == '\u{200d}' {
                    let beside = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| !c.is_ascii());
                    prop_assert!(beside(at.checked_sub(1)) && beside(Some(at + 1)), "a joiner between {name:?}");
                }
            }
        }
        Ok(())
    });
}
