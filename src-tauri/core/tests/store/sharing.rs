//! A campaign shared across laptops: each laptop a database of its own, changes carried
//! as Loro updates (directly, or sealed in a shared folder), every concurrent case merged
//! without loss, and the rows always what the campaign's document says.

use std::path::Path;

use powermap_core::i18n::Lang;
use powermap_core::model::{Actor, CommitmentFields, FollowUpFields, OrganizationFields, Point, SessionChange, Stamp};
use powermap_core::store::Publication;
use powermap_core::sync::{self, CampaignKey, SkipReason};
use powermap_core::{ErrorCode, Store};

use super::temp_store;

const NOW: i64 = 1_765_000_000_000;

fn commitment(action: &str, person: &str, notes: &str) -> CommitmentFields {
    CommitmentFields {
        organization_id: None,
        person: person.into(),
        action: action.into(),
        due: None,
        status: powermap_core::model::CommitmentStatus::Open,
        notes: notes.into(),
    }
}

fn by(name: &str, at: i64) -> Stamp {
    Stamp::new(at, Actor::moving_as(name))
}

/// The session as its `powermap/2` file says it, byte for byte.
fn exported(store: &Store, session: &str) -> String {
    serde_json::to_string_pretty(&store.export_document(session).expect("the session exports")).expect("JSON")
}

/// Every session of the campaign, exported, in the order they were held.
fn campaign_files(store: &Store, campaign: &str) -> Vec<String> {
    let shared = store.shared_campaign(campaign).expect("the campaign is shared here");
    shared.sessions.iter().map(|s| exported(store, s)).collect()
}

#[track_caller]
fn projection_holds(store: &Store, campaign: &str) {
    let differences = store.shared_projection_check(campaign).expect("the projection is checked");
    assert!(differences.is_empty(), "the rows are not what the document says:\n{}", differences.join("\n"));
}

/// Carries everything `from` has of the campaign to `to`.
fn carry(from: &Store, to: &Store, campaign: &str) -> powermap_core::store::TakenIn {
    let changes = from.all_changes(campaign).expect("changes to carry");
    to.take_in_changes(campaign, &changes, NOW).expect("the changes are taken in")
}

/// A session with two organizations, one placed, and a commitment; shared by `a`, joined
/// by `b` (which takes in all of it). Returns the session, the campaign and the ids.
struct Pair {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    a: Store,
    b: Store,
    session: String,
    campaign: String,
    grid: String,
    orgs: Vec<String>,
    commitment: String,
}

fn pair() -> Pair {
    let (dir_a, _, a) = temp_store();
    let (dir_b, _, b) = temp_store();
    let session = super::session(&a, "Fair rents campaign", NOW);
    let grid = a.load_session(&session).expect("loads").grids[0].id.clone();
    let mut orgs = Vec::new();
    for name in ["Tenants' Union", "City Council", "Harbor Property Group"] {
        orgs.push(
            a.add_organization(&session, &OrganizationFields::named(name), by("", NOW)).expect("added").id.clone(),
        );
    }
    a.place_card(&grid, &orgs[0], Point { x: 0.2, y: 0.3 }, by("", NOW)).expect("placed");
    let fields = commitment("Call the council", "Amina", "");
    let commitment_id = a.add_commitment(&session, &fields, by("", NOW)).expect("added").id.clone();
    let key = CampaignKey::generate().to_text();
    let shared = a.share_campaign(&session, "Amina's laptop", &key, None, NOW).expect("shared");
    b.join_shared_campaign(&shared.campaign, "Ben's laptop", &key, None, NOW).expect("joined");
    carry(&a, &b, &shared.campaign);
    Pair { _dirs: (dir_a, dir_b), a, b, session, campaign: shared.campaign, grid, orgs, commitment: commitment_id }
}

/// Syncs both ways until neither gains anything.
fn meet(p: &Pair) {
    carry(&p.a, &p.b, &p.campaign);
    carry(&p.b, &p.a, &p.campaign);
}

#[test]
fn a_shared_campaign_arrives_whole_on_the_laptop_that_joins() {
    let p = pair();
    assert_eq!(campaign_files(&p.b, &p.campaign), campaign_files(&p.a, &p.campaign));
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
    let listed = p.b.list_sessions().expect("sessions");
    assert_eq!(listed.len(), 1, "the campaign's session is in B's list");
    let names: Vec<String> =
        p.b.shared_campaign(&p.campaign).expect("shared").laptops.iter().map(|l| l.name.clone()).collect();
    assert_eq!(names, vec!["Ben's laptop".to_string(), "Amina's laptop".to_string()], "this laptop first");
}

#[test]
fn changes_made_on_both_laptops_meet_on_both() {
    let p = pair();
    p.a.place_card(&p.grid, &p.orgs[1], Point { x: 0.9, y: 0.9 }, by("Amina", NOW + 10)).expect("moved on A");
    let mut edited = OrganizationFields::named("City Council (Housing Committee)");
    edited.notes = "Chair: J. Ruiz".into();
    p.b.update_organization(&p.orgs[1], &edited, by("", NOW + 20)).expect("edited on B");
    let fields = commitment("Bring ten tenants", "Ben", "");
    p.b.add_commitment(&p.session, &fields, by("", NOW + 30)).expect("added on B");
    meet(&p);
    let on_a = p.a.load_session(&p.session).expect("loads");
    assert_eq!(on_a.organizations[1].name, "City Council (Housing Committee)", "B's edit reached A");
    assert_eq!(on_a.commitments.len(), 2, "B's commitment reached A");
    let on_b = p.b.load_session(&p.session).expect("loads");
    assert!(on_b.placements.iter().any(|pl| pl.organization_id == p.orgs[1] && pl.x == 0.9), "A's move reached B");
    assert_eq!(campaign_files(&p.a, &p.campaign), campaign_files(&p.b, &p.campaign));
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
}

#[test]
fn two_laptops_editing_different_fields_of_one_row_keep_both() {
    let p = pair();
    let mut on_a = OrganizationFields::named("Tenants' Union");
    on_a.notes = "Meets on Tuesdays".into();
    p.a.update_organization(&p.orgs[0], &on_a, by("", NOW + 10)).expect("notes on A");
    let mut on_b = OrganizationFields::named("Tenants' Union");
    on_b.contact = "Rosa".into();
    p.b.update_organization(&p.orgs[0], &on_b, by("", NOW + 10)).expect("contact on B");
    meet(&p);
    for store in [&p.a, &p.b] {
        let card = store.load_session(&p.session).expect("loads").organizations[0].clone();
        assert_eq!((card.notes.as_str(), card.contact.as_str()), ("Meets on Tuesdays", "Rosa"));
    }
}

#[test]
fn a_card_moved_on_two_laptops_lands_where_one_of_them_put_it() {
    let p = pair();
    p.a.place_card(&p.grid, &p.orgs[0], Point { x: 0.1, y: 0.9 }, by("Amina", NOW + 10)).expect("moved on A");
    p.b.place_card(&p.grid, &p.orgs[0], Point { x: 0.8, y: 0.2 }, by("Ben", NOW + 10)).expect("moved on B");
    meet(&p);
    let place = |store: &Store| {
        let data = store.load_session(&p.session).expect("loads");
        let placed = data.placements.iter().find(|pl| pl.organization_id == p.orgs[0]).expect("placed").clone();
        (placed.x, placed.y, placed.moved_by)
    };
    let (on_a, on_b) = (place(&p.a), place(&p.b));
    assert_eq!(on_a, on_b, "both laptops show the card in one place");
    assert!(
        on_a == (0.1, 0.9, "Amina".to_string()) || on_a == (0.8, 0.2, "Ben".to_string()),
        "x and y come from one laptop: {on_a:?}"
    );
}

#[test]
fn a_commitment_edited_on_one_laptop_and_removed_on_the_other_stays_removed_with_the_edit_kept() {
    let p = pair();
    let edited = commitment("Call the council", "Amina", "Ask for Tuesday");
    p.a.update_commitment(&p.commitment, &edited, by("", NOW + 10)).expect("edited on A");
    p.b.remove_commitment(&p.commitment, by("", NOW + 10)).expect("removed on B");
    meet(&p);
    for store in [&p.a, &p.b] {
        assert!(store.load_session(&p.session).expect("loads").commitments.is_empty(), "removed on both");
    }
    projection_holds(&p.a, &p.campaign);
    // Undone on the laptop that removed it: it comes back on both, with A's edit.
    p.b.undo(&p.session, by("", NOW + 20)).expect("undone on B");
    meet(&p);
    for store in [&p.a, &p.b] {
        let commitments = store.load_session(&p.session).expect("loads").commitments;
        assert_eq!(commitments.len(), 1, "restored");
        assert_eq!(commitments[0].notes, "Ask for Tuesday", "the edit made meanwhile is kept");
    }
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
}

#[test]
fn an_organization_removed_on_one_laptop_takes_its_places_along_on_both() {
    let p = pair();
    p.a.place_card(&p.grid, &p.orgs[2], Point { x: 0.5, y: 0.5 }, by("", NOW + 5)).expect("placed");
    meet(&p);
    p.a.remove_organization(&p.orgs[2], by("", NOW + 10)).expect("removed on A");
    // Meanwhile B moves it.
    p.b.place_card(&p.grid, &p.orgs[2], Point { x: 0.6, y: 0.4 }, by("", NOW + 10)).expect("moved on B");
    meet(&p);
    for store in [&p.a, &p.b] {
        let data = store.load_session(&p.session).expect("loads");
        assert_eq!(data.organizations.len(), 2);
        assert!(data.placements.iter().all(|pl| pl.organization_id != p.orgs[2]));
    }
    assert_eq!(campaign_files(&p.a, &p.campaign), campaign_files(&p.b, &p.campaign));
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
}

#[test]
fn a_meeting_followed_up_on_two_laptops_keeps_both_follow_ups() {
    let p = pair();
    let fields = FollowUpFields::default();
    p.a.start_follow_up(&p.session, &fields, Lang::En, NOW + 10).expect("follow-up on A");
    p.b.start_follow_up(&p.session, &fields, Lang::En, NOW + 20).expect("follow-up on B");
    meet(&p);
    let on_a = p.a.shared_campaign(&p.campaign).expect("shared").sessions;
    let on_b = p.b.shared_campaign(&p.campaign).expect("shared").sessions;
    assert_eq!(on_a.len(), 3, "both follow-ups are kept");
    assert_eq!(on_a, on_b);
    assert_eq!(campaign_files(&p.a, &p.campaign), campaign_files(&p.b, &p.campaign));
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
}

#[test]
fn a_session_deleted_on_one_laptop_is_deleted_on_the_other_and_comes_back_when_restored() {
    let p = pair();
    p.a.delete_session(&p.session, NOW + 10).expect("deleted on A");
    meet(&p);
    assert!(p.b.list_sessions().expect("sessions").is_empty(), "deleted on B too");
    assert_eq!(p.b.deleted_sessions().expect("deleted").len(), 1, "restorable on B");
    p.b.restore_session(&p.session, NOW + 20).expect("restored on B");
    meet(&p);
    assert_eq!(p.a.list_sessions().expect("sessions").len(), 1, "restored on A too");
}

#[test]
fn changes_from_another_laptop_are_published_like_any_change() {
    let p = pair();
    let heard = std::sync::Arc::new(std::sync::Mutex::new(Vec::<SessionChange>::new()));
    let kept = heard.clone();
    let _subscription = p.b.subscribe(move |publication| {
        if let Publication::Change(change) = publication {
            kept.lock().expect("lock").push((**change).clone());
        }
    });
    let revision = p.b.load_session(&p.session).expect("loads").revision;
    p.a.place_card(&p.grid, &p.orgs[1], Point { x: 0.7, y: 0.7 }, by("Amina", NOW + 10)).expect("moved on A");
    let taken = carry(&p.a, &p.b, &p.campaign);
    assert!(taken.changed);
    assert_eq!(taken.laptops, vec!["Amina's laptop".to_string()]);
    let heard = heard.lock().expect("lock").clone();
    assert_eq!(heard.len(), 1, "one change for the session: {heard:?}");
    let change = &heard[0];
    assert_eq!(change.revision, revision + 1);
    assert_eq!(change.actor, Actor::Laptop { laptop: "Amina's laptop".into(), person: "Amina".into() });
    assert!(change
        .written
        .iter()
        .any(|w| matches!(w, powermap_core::model::WrittenRow::Placement { row } if row.organization_id == p.orgs[1])));
    // Kept in the change log too, for a view that catches up later.
    let since = p.b.changes_since(&p.session, revision).expect("read").expect("kept");
    assert_eq!(since, heard);
    // Taking the same changes in again changes nothing and tells no one.
    let again = carry(&p.a, &p.b, &p.campaign);
    assert!(!again.changed);
    assert_eq!(p.b.load_session(&p.session).expect("loads").revision, revision + 1);
}

#[test]
fn undo_stays_on_the_laptop_that_made_the_change() {
    let p = pair();
    p.a.place_card(&p.grid, &p.orgs[1], Point { x: 0.7, y: 0.7 }, by("", NOW + 10)).expect("moved on A");
    meet(&p);
    let history_b = p.b.load_session(&p.session).expect("loads").history;
    assert!(history_b.undo.is_none(), "B has nothing of A's to undo: {history_b:?}");
    p.a.undo(&p.session, by("", NOW + 20)).expect("A undoes its move");
    meet(&p);
    let on_b = p.b.load_session(&p.session).expect("loads");
    assert!(on_b.placements.iter().all(|pl| pl.organization_id != p.orgs[1]), "A's undo reached B");
}

#[test]
fn a_campaign_never_shared_keeps_no_document() {
    let (_dir, path, store) = temp_store();
    let session = super::session(&store, "Alone", NOW);
    store.add_organization(&session, &OrganizationFields::named("Food bank"), by("", NOW)).expect("added");
    drop(store);
    let conn = rusqlite::Connection::open(path).expect("opens");
    let kept: i64 = conn.query_row("SELECT count(*) FROM shared_update", [], |r| r.get(0)).expect("counted");
    assert_eq!(kept, 0);
}

#[test]
fn bytes_that_are_not_changes_are_refused_and_change_nothing() {
    let p = pair();
    let before = super::everything(&p.b);
    for bytes in [&b""[..], b"garbage", &[0u8; 64]] {
        let error = p.b.take_in_changes(&p.campaign, bytes, NOW).expect_err("refused");
        assert_eq!(error.code(), ErrorCode::BadImport);
    }
    assert_eq!(super::everything(&p.b), before);
    // And the document still takes real changes afterwards.
    p.a.place_card(&p.grid, &p.orgs[1], Point { x: 0.4, y: 0.4 }, by("", NOW + 10)).expect("moved");
    assert!(carry(&p.a, &p.b, &p.campaign).changed);
}

// ---- The shared folder ----

fn folder_files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("the folder lists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn laptops_sharing_a_folder_find_each_other_s_changes_and_nothing_else() {
    let (_da, _, a) = temp_store();
    let (_db, _, b) = temp_store();
    let folder = tempfile::tempdir().expect("a folder");
    let session = a.create_sample_session(NOW).expect("the sample");
    let shared = sync::share(&a, &session, folder.path(), "Amina's laptop", NOW).expect("shared");
    assert_eq!(folder_files(folder.path()).len(), 1, "A wrote its first file");
    // The folder's host reads no names.
    for name in folder_files(folder.path()) {
        let bytes = std::fs::read(folder.path().join(&name)).expect("read");
        assert!(!bytes.windows(12).any(|w| w == b"Tenants' Uni"), "{name} holds names in the clear");
    }
    let joined = sync::join(&b, folder.path(), &shared.key, "Ben's laptop", NOW).expect("joined");
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].sessions, vec![session.clone()]);
    assert_eq!(exported(&b, &session), exported(&a, &session));
    // B edits; its file appears; A takes it in.
    let data = b.load_session(&session).expect("loads");
    let (grid, org) = (data.grids[0].id.clone(), data.organizations[0].id.clone());
    b.place_card(&grid, &org, Point { x: 0.05, y: 0.95 }, by("Ben", NOW + 10)).expect("moved on B");
    let out = sync::folder::sync(&b, &shared.campaign, folder.path(), NOW + 10).expect("B syncs");
    assert!(out.changes_out > 0);
    let came = sync::folder::sync(&a, &shared.campaign, folder.path(), NOW + 20).expect("A syncs");
    assert_eq!(came.files_in, 2, "B's files are read (its joining, its move): {came:?}");
    assert_eq!(came.laptops_in, vec!["Ben's laptop".to_string()]);
    assert!(came.skipped.is_empty(), "{:?}", came.skipped);
    assert_eq!(exported(&a, &session), exported(&b, &session));
    // Nothing new: nothing read, nothing written.
    let idle = sync::folder::sync(&a, &shared.campaign, folder.path(), NOW + 30).expect("A syncs again");
    assert_eq!((idle.files_in, idle.changes_out), (0, 0));
}

#[test]
fn a_folder_with_damaged_duplicated_missing_and_conflicted_files_loses_nothing() {
    let (_da, _, a) = temp_store();
    let (_db, _, b) = temp_store();
    let folder = tempfile::tempdir().expect("a folder");
    let session = a.create_sample_session(NOW).expect("the sample");
    let shared = sync::share(&a, &session, folder.path(), "Amina's laptop", NOW).expect("shared");
    let first = folder_files(folder.path())[0].clone();
    let data = a.load_session(&session).expect("loads");
    let (grid, org) = (data.grids[0].id.clone(), data.organizations[0].id.clone());
    // A second file of A's, made a day ahead by A's clock.
    let tomorrow = NOW + 24 * 3600 * 1000;
    a.place_card(&grid, &org, Point { x: 0.33, y: 0.66 }, by("Amina", tomorrow)).expect("moved on A");
    sync::folder::sync(&a, &shared.campaign, folder.path(), tomorrow).expect("A syncs");
    let files = folder_files(folder.path());
    assert_eq!(files.len(), 2);
    let second = files[1].clone();
    let path = |name: &str| folder.path().join(name);
    let bytes = std::fs::read(path(&second)).expect("read");
    // The first file has not arrived yet at B's end of the folder.
    let held_back = std::fs::read(path(&first)).expect("read");
    std::fs::remove_file(path(&first)).expect("removed");
    // The folder's sync made a conflicted copy, a truncated file, and a tampered one.
    std::fs::write(path(&second.replace(".pmsync", ".sync-conflict-20261207-101010-ABCDEFG.pmsync")), &bytes)
        .expect("w");
    std::fs::write(path("powermap-00000000000000aa-0000000001.pmsync"), &bytes[..bytes.len() / 2]).expect("w");
    let mut tampered = bytes.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 0x40;
    std::fs::write(path("powermap-00000000000000bb-0000000001.pmsync"), &tampered).expect("w");
    // And a stranger's file, with another key, for the same campaign.
    let stranger = CampaignKey::generate().seal(&shared.campaign, b"anything").expect("sealed");
    std::fs::write(path("powermap-00000000000000cc-0000000001.pmsync"), stranger).expect("w");

    b.join_shared_campaign(&shared.campaign, "Ben's laptop", &shared.key, Some(&folder.path().to_string_lossy()), NOW)
        .expect("joined");
    let report =
        sync::folder::sync(&b, &shared.campaign, folder.path(), NOW).expect("a sync with bad files still syncs");
    let mut reasons: Vec<SkipReason> = report.skipped.iter().map(|s| s.reason).collect();
    reasons.sort_by_key(|r| r.key());
    assert_eq!(
        reasons,
        vec![SkipReason::ConflictedCopy, SkipReason::Damaged, SkipReason::OtherKey, SkipReason::Tampered],
        "{report:?}"
    );
    assert!(report.waiting, "A's second file waits for its first");
    assert!(b.list_sessions().expect("sessions").is_empty(), "nothing half-taken");
    // The first file arrives; everything comes together, the skipped files still skipped.
    std::fs::write(path(&first), held_back).expect("w");
    let report = sync::folder::sync(&b, &shared.campaign, folder.path(), NOW + 1).expect("syncs");
    assert!(!report.waiting, "{report:?}");
    assert_eq!(exported(&b, &session), exported(&a, &session));
    projection_holds(&b, &shared.campaign);
    // Reading every file again (as after a reinstall) changes nothing.
    let again =
        b.take_in_changes(&shared.campaign, &a.all_changes(&shared.campaign).expect("all"), NOW + 2).expect("ok");
    assert!(!again.changed);
}

#[test]
fn joining_with_a_wrong_or_mistyped_key_is_refused() {
    let (_da, _, a) = temp_store();
    let (_db, _, b) = temp_store();
    let folder = tempfile::tempdir().expect("a folder");
    let session = a.create_sample_session(NOW).expect("the sample");
    let shared = sync::share(&a, &session, folder.path(), "Amina's laptop", NOW).expect("shared");
    let other = CampaignKey::generate().to_text();
    let error = sync::join(&b, folder.path(), &other, "Ben's laptop", NOW).expect_err("another key");
    assert_eq!(error.code(), ErrorCode::NotFound);
    let mut typo: Vec<char> = shared.key.chars().collect();
    typo[5] = if typo[5] == '7' { '8' } else { '7' };
    let error =
        sync::join(&b, folder.path(), &typo.into_iter().collect::<String>(), "Ben's laptop", NOW).expect_err("a typo");
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(b.list_sessions().expect("sessions").is_empty());
    assert!(b.shared_campaigns().expect("shared").is_empty());
}

// ---- Changed on two laptops ----

#[test]
fn a_field_set_differently_on_two_laptops_shows_both_values_and_the_other_can_be_taken() {
    let p = pair();
    let mut on_a = OrganizationFields::named("City Council");
    on_a.notes = "Three of five undecided".into();
    p.a.update_organization(&p.orgs[1], &on_a, by("", NOW + 10)).expect("edited on A");
    let mut on_b = OrganizationFields::named("City Council");
    on_b.notes = "Two undecided after the hearing".into();
    p.b.update_organization(&p.orgs[1], &on_b, by("", NOW + 20)).expect("edited on B");
    // A different field on each side is no double change.
    let mut contact = OrganizationFields::named("Harbor Property Group");
    contact.contact = "Legal department".into();
    p.b.update_organization(&p.orgs[2], &contact, by("", NOW + 20)).expect("edited on B");
    meet(&p);
    let standing = p.a.load_session(&p.session).expect("loads").organizations[1].notes.clone();
    assert_eq!(
        p.b.load_session(&p.session).expect("loads").organizations[1].notes,
        standing,
        "one value stands on both"
    );
    for store in [&p.a, &p.b] {
        let doubles = store.double_changes(&p.session).expect("read");
        assert_eq!(doubles.len(), 1, "one field changed on two laptops: {doubles:?}");
        let double = &doubles[0];
        assert_eq!(
            (double.table.as_str(), double.row.as_str(), double.field.as_str()),
            ("organization", "City Council", "notes")
        );
        assert_eq!(double.stands, serde_json::Value::from(standing.clone()));
        let both = [double.stands.as_str().unwrap_or(""), double.other.as_str().unwrap_or("")];
        assert!(
            both.contains(&"Three of five undecided") && both.contains(&"Two undecided after the hearing"),
            "{double:?}"
        );
        let bys = [double.stands_by.as_str(), double.other_by.as_str()];
        assert!(bys.contains(&"Amina's laptop") && bys.contains(&"Ben's laptop"), "{double:?}");
        assert!(double.stands_at.is_some() && double.other_at.is_some());
    }
    // On A, the person takes the other value: it stands on both, and the double is settled.
    let double = p.a.double_changes(&p.session).expect("read")[0].clone();
    let taken = p.a.take_other_value(double.id, by("", NOW + 30)).expect("taken");
    assert!(matches!(taken.change.label, powermap_core::model::ChangeLabel::TakeOtherValue { .. }));
    meet(&p);
    for store in [&p.a, &p.b] {
        assert_eq!(
            serde_json::Value::from(store.load_session(&p.session).expect("loads").organizations[1].notes.clone()),
            double.other
        );
    }
    assert!(p.a.double_changes(&p.session).expect("read").is_empty());
    assert_eq!(p.a.take_other_value(double.id, by("", NOW + 40)).expect_err("settled").code(), ErrorCode::NotFound);
    // B keeps what stands; nothing more to show there.
    let on_b = p.b.double_changes(&p.session).expect("read");
    assert_eq!(on_b.len(), 1, "B still shows its own finding until settled");
    p.b.keep_standing_value(on_b[0].id).expect("kept");
    assert!(p.b.double_changes(&p.session).expect("read").is_empty());
}

#[test]
fn a_card_moved_on_two_laptops_is_a_double_change_of_its_place() {
    let p = pair();
    p.a.place_card(&p.grid, &p.orgs[0], Point { x: 0.1, y: 0.9 }, by("Amina", NOW + 10)).expect("moved on A");
    p.b.place_card(&p.grid, &p.orgs[0], Point { x: 0.8, y: 0.2 }, by("Ben", NOW + 10)).expect("moved on B");
    meet(&p);
    let doubles = p.a.double_changes(&p.session).expect("read");
    assert_eq!(doubles.len(), 1, "{doubles:?}");
    assert_eq!((doubles[0].table.as_str(), doubles[0].row.as_str()), ("placement", "Tenants' Union"));
    let other = doubles[0].other.clone();
    p.a.take_other_value(doubles[0].id, by("", NOW + 20)).expect("taken");
    let placed =
        p.a.load_session(&p.session)
            .expect("loads")
            .placements
            .into_iter()
            .find(|pl| pl.organization_id == p.orgs[0])
            .expect("placed");
    assert_eq!(
        serde_json::json!([placed.x, placed.y, placed.moved_by, placed.moved_at]),
        other,
        "x, y, who and when, together"
    );
}

#[test]
fn changes_taken_in_while_this_laptop_was_idle_are_no_double_change() {
    let p = pair();
    let mut edited = OrganizationFields::named("City Council");
    edited.notes = "first".into();
    p.a.update_organization(&p.orgs[1], &edited, by("", NOW + 10)).expect("edited on A");
    meet(&p);
    edited.notes = "second".into();
    p.b.update_organization(&p.orgs[1], &edited, by("", NOW + 20)).expect("edited again on B, knowing A's");
    meet(&p);
    assert!(p.a.double_changes(&p.session).expect("read").is_empty());
    assert!(p.b.double_changes(&p.session).expect("read").is_empty());
}

#[test]
fn a_double_change_where_this_laptop_s_value_stands_still_tells_the_session() {
    // Whichever laptop's value stands, both are told of the double change: the one whose
    // value lost sees its row change, the other an otherwise empty change of the session.
    for _ in 0..6 {
        let p = pair();
        let heard = std::sync::Arc::new(std::sync::Mutex::new(0usize));
        let kept = heard.clone();
        let _subscription = p.b.subscribe(move |publication| {
            if let Publication::Change(change) = publication {
                if matches!(change.label, powermap_core::model::ChangeLabel::FromLaptop { .. }) {
                    *kept.lock().expect("lock") += 1;
                }
            }
        });
        p.a.place_card(&p.grid, &p.orgs[0], Point { x: 0.1, y: 0.9 }, by("", NOW + 10)).expect("moved on A");
        p.b.place_card(&p.grid, &p.orgs[0], Point { x: 0.8, y: 0.2 }, by("", NOW + 10)).expect("moved on B");
        carry(&p.a, &p.b, &p.campaign);
        assert_eq!(*heard.lock().expect("lock"), 1, "B's session is told once");
        assert_eq!(p.b.double_changes(&p.session).expect("read").len(), 1);
    }
}

#[test]
fn a_new_key_takes_a_laptop_out_of_what_is_written_next() {
    let (_da, _, a) = temp_store();
    let (_db, _, b) = temp_store();
    let (_dc, _, c) = temp_store();
    let folder = tempfile::tempdir().expect("a folder");
    let session = a.create_sample_session(NOW).expect("the sample");
    let shared = sync::share(&a, &session, folder.path(), "Amina's laptop", NOW).expect("shared");
    sync::join(&b, folder.path(), &shared.key, "Ben's laptop", NOW).expect("B joined");
    sync::join(&c, folder.path(), &shared.key, "Chen's laptop", NOW).expect("C joined");
    // Chen's laptop is taken out: Amina makes a new key.
    let renewed = sync::new_key(&a, &session, NOW + 10).expect("a new key");
    assert_ne!(renewed.key, shared.key);
    let amina_files: Vec<String> = folder_files(folder.path())
        .into_iter()
        .filter(|f| f.starts_with(&format!("powermap-{:016x}", a.own_position(&shared.campaign).expect("peer").0)))
        .collect();
    assert_eq!(amina_files.len(), 1, "Amina's earlier files are folded into one under the new key: {amina_files:?}");
    // Ben joins again with the new key; Amina moves a card.
    sync::join(&b, folder.path(), &renewed.key, "Ben's laptop", NOW + 20).expect("B joined again");
    let data = a.load_session(&session).expect("loads");
    let (grid, org) = (data.grids[0].id.clone(), data.organizations[0].id.clone());
    a.place_card(&grid, &org, Point { x: 0.42, y: 0.24 }, by("", NOW + 30)).expect("moved");
    sync::folder::sync(&a, &shared.campaign, folder.path(), NOW + 30).expect("A syncs");
    let on_b = sync::folder::sync(&b, &shared.campaign, folder.path(), NOW + 40).expect("B syncs");
    // What Ben has not read of Chen's (written with the old key) is said and skipped.
    let chen = format!("powermap-{:016x}-", c.own_position(&shared.campaign).expect("peer").0);
    assert!(on_b.skipped.iter().all(|s| s.reason == SkipReason::OtherKey && s.file.starts_with(&chen)), "{on_b:?}");
    assert_eq!(exported(&b, &session), exported(&a, &session), "Ben, with the new key, has the move");
    // Chen, with the old key, cannot read what was written since: said, skipped, nothing lost.
    let on_c = sync::folder::sync(&c, &shared.campaign, folder.path(), NOW + 40).expect("C syncs");
    assert!(on_c.skipped.iter().all(|s| s.reason == SkipReason::OtherKey) && !on_c.skipped.is_empty(), "{on_c:?}");
    let placed = c
        .load_session(&session)
        .expect("loads")
        .placements
        .into_iter()
        .find(|p| p.grid_id == grid && p.organization_id == org);
    assert_ne!(placed.map(|p| (p.x, p.y)), Some((0.42, 0.24)), "Chen does not get the move");
    // A laptop that joins later with the new key gets the whole campaign.
    let (_dd, _, d) = temp_store();
    sync::join(&d, folder.path(), &renewed.key, "Dana's laptop", NOW + 50).expect("D joined");
    assert_eq!(exported(&d, &session), exported(&a, &session));
}

#[test]
fn the_summary_and_the_history_say_which_laptop_changed_the_campaign() {
    let p = pair();
    p.b.place_card(&p.grid, &p.orgs[1], Point { x: 0.6, y: 0.6 }, by("Ben", NOW + 86_400_000)).expect("moved on B");
    meet(&p);
    let summary = powermap_core::summary::Summary::read(&p.a, &p.session).expect("the summary");
    let facts = summary.facts();
    let (_, laptops) = facts.iter().find(|(label, _)| label == "Changed on").expect("a line for the laptops");
    assert!(laptops.contains("Amina's laptop (last on") && laptops.contains("Ben's laptop (last on"), "{laptops}");
    // A's history lists Ben's changes beside its own steps, and undo passes over them.
    let history = p.a.history(&p.session).expect("history");
    let theirs: Vec<_> = history.iter().filter(|line| line.from_laptop).collect();
    assert!(!theirs.is_empty(), "{history:?}");
    assert_eq!(theirs[0].entry.actor, Actor::Laptop { laptop: "Ben's laptop".into(), person: "Ben".into() });
    assert!(history.iter().any(|line| !line.from_laptop), "A's own steps are there too");
    // A session never shared says nothing of laptops.
    let (_dir, _, alone) = temp_store();
    let single = super::session(&alone, "Alone", NOW);
    let facts = powermap_core::summary::Summary::read(&alone, &single).expect("the summary").facts();
    assert!(facts.iter().all(|(label, _)| label != "Changed on"));
}

#[test]
fn an_organization_brought_back_by_undo_gets_back_what_other_laptops_tied_to_it_meanwhile() {
    // Found by the convergence test (20,000 cases): A records a commitment for the Council
    // while B has removed the Council; B takes it in with its organization emptied, then
    // undoes the removal — the commitment must point at the Council again, as on A.
    let p = pair();
    let mut fields = commitment("Ask the council for a hearing", "Rosa", "");
    fields.organization_id = Some(p.orgs[1].clone());
    let made = p.a.add_commitment(&p.session, &fields, by("", NOW + 10)).expect("added on A").id.clone();
    p.b.remove_organization(&p.orgs[1], by("", NOW + 10)).expect("removed on B");
    carry(&p.a, &p.b, &p.campaign);
    let on_b =
        |store: &Store| store.load_session(&p.session).expect("loads").commitments.into_iter().find(|c| c.id == made);
    assert_eq!(on_b(&p.b).expect("there").organization_id, None, "while the Council is gone on B");
    projection_holds(&p.b, &p.campaign);
    p.b.undo(&p.session, by("", NOW + 20)).expect("undone on B");
    assert_eq!(on_b(&p.b).expect("there").organization_id, Some(p.orgs[1].clone()), "tied again on B");
    projection_holds(&p.b, &p.campaign);
    meet(&p);
    assert_eq!(campaign_files(&p.a, &p.campaign), campaign_files(&p.b, &p.campaign));
}

#[test]
fn an_edit_writes_into_the_shared_campaign_only_what_it_changed() {
    // B edits the notes of a commitment whose organization is gone on B (so B shows it
    // without one): the document keeps the organization, and when B brings the
    // organization back the commitment is tied to it again — the edit did not erase it.
    let p = pair();
    let mut fields = commitment("Ask the council for a hearing", "Rosa", "");
    fields.organization_id = Some(p.orgs[1].clone());
    let made = p.a.add_commitment(&p.session, &fields, by("", NOW + 10)).expect("added on A").id.clone();
    p.b.remove_organization(&p.orgs[1], by("", NOW + 10)).expect("removed on B");
    carry(&p.a, &p.b, &p.campaign);
    let mut edited = commitment("Ask the council for a hearing", "Rosa", "Before the budget vote");
    edited.organization_id = None;
    p.b.update_commitment(&made, &edited, by("", NOW + 20)).expect("notes edited on B");
    projection_holds(&p.b, &p.campaign);
    p.b.undo(&p.session, by("", NOW + 30)).expect("the edit undone");
    p.b.undo(&p.session, by("", NOW + 31)).expect("the removal undone");
    meet(&p);
    for store in [&p.a, &p.b] {
        let c = store
            .load_session(&p.session)
            .expect("loads")
            .commitments
            .into_iter()
            .find(|c| c.id == made)
            .expect("there");
        assert_eq!(c.organization_id, Some(p.orgs[1].clone()), "tied to the Council again");
    }
    projection_holds(&p.a, &p.campaign);
    projection_holds(&p.b, &p.campaign);
    assert_eq!(campaign_files(&p.a, &p.campaign), campaign_files(&p.b, &p.campaign));
}

#[test]
fn text_no_one_could_have_typed_is_refused_and_the_rest_taken_in() {
    let p = pair();
    // A laptop holding the key but running something else: a NUL in a name, a note longer
    // than any, and beside them a change that is fine.
    let other = loro::LoroDoc::new();
    other.set_peer_id(0xE71).expect("a peer");
    other.import(&p.a.all_changes(&p.campaign).expect("changes")).expect("imported");
    let before = other.oplog_vv();
    let organizations = other.get_map("organization");
    let row = |id: &str| organizations.ensure_mergeable_map(id).expect("the row");
    row(&p.orgs[1]).insert("name", "City\u{0}Council").expect("set");
    row(&p.orgs[2]).insert("notes", "x".repeat(20_001)).expect("set");
    row(&p.orgs[0]).insert("notes", "Met them on Tuesday").expect("set");
    other.commit();
    let update = other.export(loro::ExportMode::updates(&before)).expect("the update");

    let taken = p.a.take_in_changes(&p.campaign, &update, NOW).expect("taken in");
    assert_eq!(taken.refused, 2, "{taken:?}");
    let data = p.a.load_session(&p.session).expect("loads");
    let named = |id: &str| data.organizations.iter().find(|o| o.id == id).expect("there").clone();
    assert_eq!(named(&p.orgs[1]).name, "City Council", "the name as it was");
    assert_eq!(named(&p.orgs[2]).notes, "", "the notes as they were");
    assert_eq!(named(&p.orgs[0]).notes, "Met them on Tuesday", "what is fine is taken in");
}

#[test]
fn a_copied_database_file_takes_peers_of_its_own_and_loses_nothing_when_it_meets_the_original() {
    let (dir, path, a) = temp_store();
    let session = super::session(&a, "Fair rents campaign", NOW);
    let key = CampaignKey::generate().to_text();
    let campaign = a.share_campaign(&session, "Amina's laptop", &key, None, NOW).expect("shared").campaign;
    let data = a.load_session(&session).expect("loads");
    let grid = data.grids[0].id.clone();
    let orgs: Vec<String> = ["Tenants' Union", "City Council"]
        .iter()
        .map(|name| {
            a.add_organization(&session, &OrganizationFields::named(name), by("", NOW)).expect("added").id.clone()
        })
        .collect();
    let (peer, _) = a.own_position(&campaign).expect("a peer");
    drop(a);
    // Copied to a second laptop instead of joining (the file, closed, as a person copies it).
    let copy_path = dir.path().join("copied to Ben's laptop.db");
    std::fs::copy(&path, &copy_path).expect("copied");
    let copy = Store::open(&copy_path).expect("the copy opens");
    let a = Store::open(&path).expect("the original opens again");
    assert_eq!(a.own_position(&campaign).expect("a peer").0, peer, "the original keeps its peer");
    assert_ne!(copy.own_position(&campaign).expect("a peer").0, peer, "the copy takes one of its own");
    let again = Store::open(&copy_path).expect("the copy opens again");
    assert_eq!(
        again.own_position(&campaign).expect("a peer").0,
        copy.own_position(&campaign).expect("a peer").0,
        "a file opened where it is keeps its peer"
    );
    drop(again);

    // Each moves a card offline; when they meet, both moves are on both.
    a.place_card(&grid, &orgs[0], Point { x: 0.1, y: 0.2 }, by("Amina", NOW + 1)).expect("placed");
    copy.place_card(&grid, &orgs[1], Point { x: 0.8, y: 0.9 }, by("Ben", NOW + 1)).expect("placed");
    carry(&a, &copy, &campaign);
    carry(&copy, &a, &campaign);
    assert_eq!(exported(&a, &session), exported(&copy, &session));
    let placed = a.load_session(&session).expect("loads").placements;
    assert_eq!(placed.len(), 2, "neither move was dropped as already known: {placed:?}");
    projection_holds(&a, &campaign);
    projection_holds(&copy, &campaign);
    let laptops = copy.shared_campaign(&campaign).expect("shared").laptops;
    assert_eq!(laptops.len(), 1, "one laptop's name, listed once: {laptops:?}");
    assert!(laptops[0].this_one);
}
