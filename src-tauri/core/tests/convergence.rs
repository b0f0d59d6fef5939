//! Convergence of a shared campaign, as a property: three laptops make random edits of
//! every kind a campaign shares (moves, cards back to the tray, organizations, commitments,
//! participants, relationships added, edited and removed, renames, follow-ups, undo and
//! redo), and sync in random pairs with messages duplicated, reordered and dropped. After
//! a last full sync they hold the same version of the campaign, byte-identical `powermap/2`
//! files of every session, and rows that are exactly what the document says.
//!
//! `./dev test` runs POWERMAP_CONVERGENCE_CASES cases (200 by default); `./dev fuzz` runs
//! 20,000 in release.

use powermap_core::i18n::Lang;
use powermap_core::model::{
    Actor, CommitmentFields, CommitmentStatus, FollowUpFields, OrganizationFields, ParticipantFields, Point,
    RelationshipFields, RelationshipKind, Stamp,
};
use powermap_core::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const NOW: i64 = 1_765_000_000_000;

/// One step of a run: who does what, with numbers that pick among what that laptop has.
#[derive(Debug, Clone)]
struct Step {
    laptop: usize,
    kind: u8,
    a: u16,
    b: u16,
    c: u16,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (0usize..3, 0u8..16, any::<u16>(), any::<u16>(), any::<u16>()).prop_map(|(laptop, kind, a, b, c)| Step {
            laptop,
            kind,
            a,
            b,
            c,
        }),
        1..40,
    )
}

/// A laptop: its store and the updates its own edits made, in order (its outbox).
struct Laptop {
    store: Store,
    sent: Vec<Vec<u8>>,
}

fn stamp(laptop: usize, at: i64) -> Stamp {
    Stamp::new(at, Actor::moving_as(["Amina", "Ben", "Chen"][laptop]))
}

fn pick<T: Clone>(items: &[T], n: u16) -> Option<T> {
    (!items.is_empty()).then(|| items[n as usize % items.len()].clone())
}

/// Does the step's edit on its laptop; a refused edit (a row another laptop removed, a
/// tie drawn twice) changes nothing, as for a person. Returns the update it made, if any.
fn edit(laptop: &Laptop, campaign: &str, step: &Step, at: i64) -> Option<Vec<u8>> {
    let store = &laptop.store;
    let before = store.shared_version(campaign).expect("a version");
    let sessions = store.shared_campaign(campaign).expect("shared").sessions;
    let session = pick(&sessions, step.c)?;
    let data = store.load_session(&session).expect("loads");
    let by = stamp(step.laptop, at);
    let org = pick(&data.organizations, step.a).map(|o| o.id);
    let grid = pick(&data.grids, step.b).map(|g| g.id);
    let x = f64::from(step.a % 101) / 100.0;
    let y = f64::from(step.b % 101) / 100.0;
    let _ = match step.kind {
        0..=3 => match (grid, org) {
            (Some(grid), Some(org)) => store.place_card(&grid, &org, Point { x, y }, by).map(drop),
            _ => Ok(()),
        },
        4 => match (grid, org) {
            (Some(grid), Some(org)) => store.return_card_to_tray(&grid, &org, by).map(drop),
            _ => Ok(()),
        },
        5 => store.add_organization(&session, &OrganizationFields::named(&format!("Group {}", step.a)), by).map(drop),
        6 => match pick(&data.organizations, step.a) {
            Some(o) => {
                let mut fields = OrganizationFields::named(&o.name);
                fields.notes = format!("note {}", step.b);
                fields.contact =
                    if step.c.is_multiple_of(2) { format!("person {}", step.c) } else { o.contact.clone() };
                store.update_organization(&o.id, &fields, by).map(drop)
            }
            None => Ok(()),
        },
        7 => match org {
            Some(org) => store.remove_organization(&org, by).map(drop),
            None => Ok(()),
        },
        8 => {
            let fields = CommitmentFields {
                organization_id: org,
                person: "Rosa".into(),
                action: format!("Call {}", step.b),
                due: None,
                status: CommitmentStatus::Open,
                notes: String::new(),
            };
            store.add_commitment(&session, &fields, by).map(drop)
        }
        9 => match pick(&data.commitments, step.a) {
            Some(c) => {
                let fields = CommitmentFields {
                    organization_id: c.organization_id.clone(),
                    person: c.person.clone(),
                    action: c.action.clone(),
                    due: c.due.clone(),
                    status: if step.b.is_multiple_of(2) { CommitmentStatus::Done } else { c.status },
                    notes: format!("notes {}", step.c),
                };
                store.update_commitment(&c.id, &fields, by).map(drop)
            }
            None => Ok(()),
        },
        10 => match pick(&data.commitments, step.a) {
            Some(c) => store.remove_commitment(&c.id, by).map(drop),
            None => Ok(()),
        },
        11 => {
            let fields = ParticipantFields { name: format!("Person {}", step.a % 7), organization_id: org };
            store.add_participant(&session, &fields, by).map(drop)
        }
        12 => match (pick(&data.organizations, step.a), pick(&data.organizations, step.b)) {
            (Some(from), Some(to)) if from.id != to.id => {
                let fields = RelationshipFields {
                    from_id: from.id,
                    to_id: to.id,
                    kind: RelationshipKind::Funds,
                    mutual: false,
                    strength: 2,
                    note: String::new(),
                };
                store.add_relationship(&session, &fields, by).map(drop)
            }
            _ => Ok(()),
        },
        13 => store.undo(&session, by).map(drop),
        14 => store.redo(&session, by).map(drop),
        _ => {
            if step.a.is_multiple_of(4) {
                store.start_follow_up(&session, &FollowUpFields::default(), Lang::En, at).map(drop)
            } else {
                store.rename_session(&session, &format!("Meeting {}", step.b % 9), by).map(drop)
            }
        }
    };
    let update = store.changes_missing_from(campaign, &before).expect("the update");
    let after = store.shared_version(campaign).expect("a version");
    (after != before).then_some(update)
}

/// Carries some of `from`'s updates to `to`: a random choice of them (some dropped), some
/// twice, in a shuffled order.
fn carry_some(from: &Laptop, to: &Laptop, campaign: &str, seed: u16, at: i64) {
    let mut order: Vec<usize> = (0..from.sent.len()).collect();
    let mut state = u32::from(seed) | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    for i in (1..order.len()).rev() {
        let j = next() as usize % (i + 1);
        order.swap(i, j);
    }
    for index in order {
        match next() % 4 {
            0 => continue, // dropped
            1 => {
                to.store.take_in_changes(campaign, &from.sent[index], at).expect("taken in");
                to.store.take_in_changes(campaign, &from.sent[index], at).expect("taken in twice");
            }
            _ => {
                to.store.take_in_changes(campaign, &from.sent[index], at).expect("taken in");
            }
        }
    }
}

fn run(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let a = Store::open_in_memory().expect("a store");
    let session = a.create_sample_session(NOW).expect("the sample");
    let key = powermap_core::sync::CampaignKey::generate().to_text();
    let campaign = a.share_campaign(&session, "Amina's laptop", &key, None, NOW).expect("shared").campaign;
    let mut laptops = vec![Laptop { store: a, sent: Vec::new() }];
    for name in ["Ben's laptop", "Chen's laptop"] {
        let store = Store::open_in_memory().expect("a store");
        store.join_shared_campaign(&campaign, name, &key, None, NOW).expect("joined");
        laptops.push(Laptop { store, sent: Vec::new() });
    }
    let everything = laptops[0].store.all_changes(&campaign).expect("all");
    for laptop in &laptops[1..] {
        laptop.store.take_in_changes(&campaign, &everything, NOW).expect("taken in");
    }
    for (n, step) in steps.iter().enumerate() {
        let at = NOW + 1_000 * n as i64;
        if step.kind == 15 && step.a % 2 == 1 {
            // A sync between two laptops instead of an edit.
            let other = (step.laptop + 1 + step.b as usize % 2) % 3;
            carry_some(&laptops[step.laptop], &laptops[other], &campaign, step.c, at);
            continue;
        }
        if let Some(update) = edit(&laptops[step.laptop], &campaign, step, at) {
            laptops[step.laptop].sent.push(update);
        }
    }
    // The last sync: everyone's everything to everyone.
    for (from, sender) in laptops.iter().enumerate() {
        let all = sender.store.all_changes(&campaign).expect("all");
        for (to, receiver) in laptops.iter().enumerate() {
            if from != to {
                receiver.store.take_in_changes(&campaign, &all, NOW).expect("taken in");
            }
        }
    }
    // A version vector, as sorted (laptop, count) pairs (its encoding follows a hash map's order).
    let version_of = |store: &Store| -> Vec<(u64, i32)> {
        let bytes = store.shared_version(&campaign).expect("version");
        let vv = loro::VersionVector::decode(&bytes).expect("a version vector");
        let mut pairs: Vec<(u64, i32)> = vv.iter().map(|(peer, counter)| (*peer, *counter)).collect();
        pairs.sort();
        pairs
    };
    let version = version_of(&laptops[0].store);
    let sessions = laptops[0].store.shared_campaign(&campaign).expect("shared").sessions;
    let files = |store: &Store| -> Vec<String> {
        sessions
            .iter()
            .map(|s| serde_json::to_string(&store.export_document(s).expect("exports")).expect("JSON"))
            .collect()
    };
    let first = files(&laptops[0].store);
    for laptop in &laptops {
        prop_assert_eq!(&version_of(&laptop.store), &version, "the same version");
        prop_assert_eq!(&laptop.store.shared_campaign(&campaign).expect("shared").sessions, &sessions);
        prop_assert_eq!(&files(&laptop.store), &first, "byte-identical sessions");
        let differences = laptop.store.shared_projection_check(&campaign).expect("checked");
        prop_assert!(differences.is_empty(), "rows apart from the document: {:?}", differences);
    }
    Ok(())
}

#[test]
fn three_laptops_editing_and_syncing_at_random_end_the_same() {
    let cases: u32 = std::env::var("POWERMAP_CONVERGENCE_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200);
    let config = Config { cases, failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let started = std::time::Instant::now();
    if let Err(failure) = runner.run(&steps(), run) {
        panic!("{failure}");
    }
    println!("convergence: {cases} cases of three laptops converged in {:.1} s", started.elapsed().as_secs_f64());
}
