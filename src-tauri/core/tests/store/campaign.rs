use powermap_core::i18n::Lang;
use powermap_core::interchange::InterchangeDocument;
use powermap_core::model::{
    CommitmentFields, CommitmentStatus, FollowUpCards, FollowUpFields, GridKind, OrganizationFields, ParticipantFields,
    Point, ReviewFields, ReviewOutcome, WrittenRow,
};
use powermap_core::summary::Summary;
use powermap_core::{ErrorCode, Store};

use crate::{everything, refused, session, temp_store};

fn at(x: f64, y: f64) -> Point {
    Point::new(x, y).unwrap()
}

fn commitment(store: &Store, session: &str, organization: Option<&str>, action: &str, status: CommitmentStatus) {
    let fields = CommitmentFields {
        organization_id: organization.map(str::to_string),
        person: if organization.is_some() { String::new() } else { "Amina".into() },
        action: action.into(),
        due: Some("2026-03-01".into()),
        status,
        notes: String::new(),
    };
    store.add_commitment(session, &fields, 5).unwrap();
}

/// A first meeting: two organizations, a second grid with its own labels, a card placed on
/// each grid, a participant, and commitments open, done and dropped.
fn first_meeting(store: &Store) -> String {
    let id = session(store, "Riverside coalition", 1);
    let union = store.add_organization(&id, &OrganizationFields::named("Tenants Union"), 2).unwrap();
    store.add_organization(&id, &OrganizationFields::named("City Council"), 2).unwrap();
    let spectrum =
        store.add_grid(&id, GridKind::SpectrumOfAllies, "Where they stand", powermap_core::i18n::Lang::En, 3).unwrap();
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.place_card(&grid, &union.id, at(0.8, 0.3), 4).unwrap();
    store.place_card(&spectrum.id, &union.id, at(0.6, 0.5), 4).unwrap();
    store
        .add_participant(&id, &ParticipantFields { name: "Amina".into(), organization_id: Some(union.id.clone()) }, 4)
        .unwrap();
    commitment(store, &id, Some(&union.id), "Bring ten tenants to the hearing", CommitmentStatus::Open);
    commitment(store, &id, None, "Call the councillor", CommitmentStatus::Open);
    commitment(store, &id, Some(&union.id), "Print flyers", CommitmentStatus::Done);
    commitment(store, &id, Some(&union.id), "Book the hall", CommitmentStatus::Dropped);
    id
}

#[test]
fn a_follow_up_keeps_the_organizations_grids_places_and_people_of_last_time() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let fields = FollowUpFields { date: Some("2026-04-02".into()), ..Default::default() };
    let next = store.start_follow_up(&first, &fields, Lang::En, 100).unwrap();
    assert_eq!(next.title, "Riverside coalition — meeting 2");
    assert_eq!(next.follows_up.as_deref(), Some(first.as_str()));
    assert_eq!(next.campaign, first, "the campaign is named by its first session");
    assert_eq!(next.date.as_deref(), Some("2026-04-02"));

    let before = store.load_session(&first).unwrap();
    let after = store.load_session(&next.id).unwrap();
    assert_eq!(after.organizations.len(), 2);
    for (old, new) in before.organizations.iter().zip(&after.organizations) {
        assert_ne!(old.id, new.id, "each session has its own cards");
        assert_eq!(old.identity, new.identity, "the same organization, by identity");
        assert_eq!(old.name, new.name);
    }
    for (old, new) in before.grids.iter().zip(&after.grids) {
        assert_eq!(
            (old.kind, &old.title, &old.labels, &old.identity),
            (new.kind, &new.title, &new.labels, &new.identity)
        );
    }
    let place = |data: &powermap_core::model::SessionData, grid: usize| {
        let card = data.organizations[0].id.clone();
        data.placements
            .iter()
            .find(|p| p.grid_id == data.grids[grid].id && p.organization_id == card)
            .map(|p| (p.x, p.y))
    };
    assert_eq!(place(&after, 0), Some((0.8, 0.3)), "cards stand where they stood at the end of last time");
    assert_eq!(place(&after, 1), Some((0.6, 0.5)));
    assert_eq!(after.participants[0].name, "Amina");
    assert_eq!(after.participants[0].organization_id.as_deref(), Some(after.organizations[0].id.as_str()));
    assert!(after.commitments.is_empty(), "the new meeting makes its own commitments");
    assert!(after.history.undo.is_none(), "starting a follow-up is not a step of its history");

    // The session list shows the campaign's sessions together, in the order they were held.
    let other = session(&store, "Unrelated workshop", 200);
    let listed: Vec<_> = store.list_sessions().unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(listed, [other.clone(), first.clone(), next.id.clone()]);
    store.add_organization(&first, &OrganizationFields::named("Parish"), 300).unwrap();
    let listed: Vec<_> = store.list_sessions().unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(listed, [first.clone(), next.id.clone(), other], "a change anywhere brings the campaign up");
    let campaign: Vec<_> = store.campaign_sessions(&next.id).unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(campaign, [first.clone(), next.id.clone()]);

    let third = store.start_follow_up(&next.id, &FollowUpFields::default(), Lang::En, 400).unwrap();
    assert_eq!(third.title, "Riverside coalition — meeting 3", "numbered from the campaign's first title");
    assert_eq!(third.campaign, first);
    let fourth = store.start_follow_up(&third.id, &FollowUpFields::default(), Lang::Es, 500).unwrap();
    assert_eq!(fourth.title, "Riverside coalition — reunión 4", "named in the window's language");
}

#[test]
fn a_follow_up_can_start_with_every_card_in_the_tray() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let fields = FollowUpFields { title: "April".into(), cards: FollowUpCards::InTray, ..Default::default() };
    let next = store.start_follow_up(&first, &fields, Lang::En, 100).unwrap();
    assert_eq!(next.title, "April");
    let data = store.load_session(&next.id).unwrap();
    assert!(data.placements.is_empty(), "the room places every card afresh");
    assert_eq!(data.grids.len(), 2);
}

#[test]
fn duplicating_gives_new_identities_and_no_campaign() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let copy = store.duplicate_session(&first, 100).unwrap();
    assert_eq!(copy.campaign, copy.id, "a copy starts its own campaign");
    assert_eq!(copy.follows_up, None);
    let original = store.load_session(&first).unwrap();
    let copied = store.load_session(&copy.id).unwrap();
    for (old, new) in original.organizations.iter().zip(&copied.organizations) {
        assert_ne!(old.identity, new.identity, "an unrelated workshop's organizations are new ones");
        assert_eq!(new.identity, new.id);
    }
    assert_ne!(original.grids[0].identity, copied.grids[0].identity);
}

#[test]
fn open_commitments_come_to_the_follow_up_for_review() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let next = store.start_follow_up(&first, &FollowUpFields::default(), Lang::En, 100).unwrap();
    let data = store.load_session(&next.id).unwrap();
    let actions: Vec<_> = data.reviews.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["Bring ten tenants to the hearing", "Call the councillor"], "only the open ones");
    assert!(data.reviews.iter().all(|r| r.outcome == ReviewOutcome::Pending));
    assert_eq!(
        data.reviews[0].organization_id.as_deref(),
        Some(data.organizations[0].id.as_str()),
        "this session's card"
    );
    assert_eq!((data.reviews[1].organization_id.as_deref(), data.reviews[1].person.as_str()), (None, "Amina"));
    let old = store.load_session(&first).unwrap();
    assert_eq!(data.reviews[0].commitment_id, old.commitments[0].id);

    // Kept, with a note.
    let kept = ReviewFields { outcome: ReviewOutcome::Kept, note: " Twelve came! ".into(), due: None };
    let changed = store.review_commitment(&data.reviews[0].id, &kept, 200).unwrap();
    assert_eq!((changed.outcome, changed.note.as_str()), (ReviewOutcome::Kept, "Twelve came!"));
    assert!(matches!(&changed.change.written[..], [WrittenRow::Review { .. }]), "the views get the review");
    assert_eq!(
        changed.change.label.describe(),
        "Review “Bring ten tenants to the hearing”: kept",
        "the label keeps the outcome's name, put into words where shown"
    );
    let noted = ReviewFields { outcome: ReviewOutcome::Kept, note: "Twelve came, and the press".into(), due: None };
    let changed = store.review_commitment(&data.reviews[0].id, &noted, 200).unwrap();
    assert_eq!(changed.change.label.describe(), "Note on “Bring ten tenants to the hearing”");

    // Carried again: a new dated commitment of this meeting, linked from the review.
    let review = data.reviews[1].id.clone();
    let carry = ReviewFields { outcome: ReviewOutcome::Carried, note: String::new(), due: Some("2026-05-01".into()) };
    let carried = store.review_commitment(&review, &carry, 201).unwrap();
    let now = store.load_session(&next.id).unwrap();
    assert_eq!(now.commitments.len(), 1);
    let new = &now.commitments[0];
    assert_eq!(carried.carried_as.as_deref(), Some(new.id.as_str()));
    assert_eq!(
        (new.action.as_str(), new.person.as_str(), new.due.as_deref()),
        ("Call the councillor", "Amina", Some("2026-05-01"))
    );
    assert_eq!(new.status, CommitmentStatus::Open);
    assert_eq!(carried.change.written.len(), 2, "the review and the new commitment, one change");

    // Changed minds: dropped after all takes the carried commitment away; undo brings it back.
    let dropped = ReviewFields { outcome: ReviewOutcome::Dropped, note: String::new(), due: None };
    let changed = store.review_commitment(&review, &dropped, 202).unwrap();
    assert_eq!(changed.carried_as, None);
    assert_eq!(changed.change.removed.len(), 1, "the carried commitment is removed");
    assert!(store.load_session(&next.id).unwrap().commitments.is_empty());
    store.undo(&next.id, 203).unwrap();
    let back = store.load_session(&next.id).unwrap();
    assert_eq!(back.commitments.len(), 1, "undo brings the carried commitment back");
    assert_eq!(back.reviews[1].outcome, ReviewOutcome::Carried);
    assert_eq!(back.reviews[1].carried_as.as_deref(), Some(back.commitments[0].id.as_str()));

    // Pending reviews come along to the next follow-up; reviewed ones do not.
    let third = store.start_follow_up(&next.id, &FollowUpFields::default(), Lang::En, 300).unwrap();
    let data = store.load_session(&third.id).unwrap();
    let actions: Vec<_> = data.reviews.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["Call the councillor"], "the carried commitment is open in meeting 2, so it is reviewed");
}

#[test]
fn bad_reviews_are_refused_and_change_nothing() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let next = store.start_follow_up(&first, &FollowUpFields::default(), Lang::En, 100).unwrap();
    let review = store.load_session(&next.id).unwrap().reviews[0].id.clone();
    let before = everything(&store);
    let fields = |note: &str, due: Option<&str>| ReviewFields {
        outcome: ReviewOutcome::Carried,
        note: note.into(),
        due: due.map(str::to_string),
    };
    refused(&store, &before, store.review_commitment("no-such-review", &fields("", None), 1), ErrorCode::NotFound);
    refused(&store, &before, store.review_commitment(&review, &fields("\u{1b}[31m", None), 1), ErrorCode::InvalidInput);
    refused(
        &store,
        &before,
        store.review_commitment(&review, &fields("", Some("2026-02-30")), 1),
        ErrorCode::InvalidInput,
    );
    let bad = FollowUpFields { date: Some("tomorrow".into()), ..Default::default() };
    refused(&store, &before, store.start_follow_up(&first, &bad, Lang::En, 1), ErrorCode::InvalidInput);
    let bad = FollowUpFields { title: "Two\nlines".into(), ..Default::default() };
    refused(&store, &before, store.start_follow_up(&first, &bad, Lang::En, 1), ErrorCode::InvalidInput);
    refused(
        &store,
        &before,
        store.start_follow_up("gone", &FollowUpFields::default(), Lang::En, 1),
        ErrorCode::NotFound,
    );
}

#[test]
fn the_interchange_format_carries_identities_and_reviews() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let next = store.start_follow_up(&first, &FollowUpFields::default(), Lang::En, 100).unwrap();
    let review = store.load_session(&next.id).unwrap().reviews[1].id.clone();
    let carry = ReviewFields { outcome: ReviewOutcome::Carried, note: "Next week".into(), due: None };
    store.review_commitment(&review, &carry, 101).unwrap();
    let text = store.export_document(&next.id).unwrap().to_json();
    assert!(text.contains("\"format\": \"powermap/2\""));

    // Into another database, after the first meeting: it joins that meeting's campaign.
    let (_dir2, _path2, other) = temp_store();
    let first_text = store.export_document(&first).unwrap().to_json();
    let imported_first = other.import_document(InterchangeDocument::from_json(&first_text).unwrap()).unwrap();
    let imported = other.import_document(InterchangeDocument::from_json(&text).unwrap()).unwrap();
    let again = other.export_document(&imported).unwrap();
    assert_eq!(again.to_json(), text, "export → import → export is the same file");
    assert_eq!(other.load_session(&imported).unwrap().session.campaign, imported_first);

    // Alone, it starts its own campaign.
    let (_dir3, _path3, alone) = temp_store();
    let id = alone.import_document(InterchangeDocument::from_json(&text).unwrap()).unwrap();
    let session = alone.load_session(&id).unwrap().session;
    assert_eq!((session.follows_up, session.campaign), (None, id));

    // A powermap/1 file: each card and grid is its own identity.
    let mut old: serde_json::Value = serde_json::from_str(&first_text).unwrap();
    old["format"] = "powermap/1".into();
    for list in ["organizations", "grids"] {
        for row in old[list].as_array_mut().unwrap() {
            row.as_object_mut().unwrap().remove("identity");
        }
    }
    let (_dir4, _path4, fresh) = temp_store();
    let id = fresh.import_document(InterchangeDocument::from_json(&old.to_string()).unwrap()).unwrap();
    assert!(fresh.load_session(&id).unwrap().organizations.iter().all(|o| o.identity == o.id));

    // Two cards with one identity, or a review naming a commitment not in the file: refused.
    let before = everything(&fresh);
    let mut twice: serde_json::Value = serde_json::from_str(&text).unwrap();
    let identity = twice["organizations"][0]["identity"].clone();
    twice["organizations"][1]["identity"] = identity;
    let result = InterchangeDocument::from_json(&twice.to_string()).and_then(|d| fresh.import_document(d));
    refused(&fresh, &before, result, ErrorCode::BadImport);
    let mut dangling: serde_json::Value = serde_json::from_str(&text).unwrap();
    dangling["reviews"][1]["carriedAs"] = "nothing".into();
    let result = InterchangeDocument::from_json(&dangling.to_string()).and_then(|d| fresh.import_document(d));
    refused(&fresh, &before, result, ErrorCode::BadImport);
    let mut bad: serde_json::Value = serde_json::from_str(&text).unwrap();
    bad["reviews"][0]["outcome"] = "maybe".into();
    let result = InterchangeDocument::from_json(&bad.to_string()).and_then(|d| fresh.import_document(d));
    refused(&fresh, &before, result, ErrorCode::BadImport);
}

#[test]
fn a_follow_up_knows_where_each_card_stood_last_time_and_the_summary_says_who_moved() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let next = store.start_follow_up(&first, &FollowUpFields::default(), Lang::En, 100).unwrap();
    let data = store.load_session(&next.id).unwrap();
    let last = data.last_time.clone().expect("a follow-up shows last time");
    assert_eq!((last.session_id.as_str(), last.title.as_str()), (first.as_str(), "Riverside coalition"));
    assert_eq!(last.placements.len(), 2, "on this session's grids and cards");
    let union = data.organizations[0].id.clone();
    assert!(last.placements.iter().all(|p| p.organization_id == union));
    assert!(last.placements.iter().all(|p| data.grids.iter().any(|g| g.id == p.grid_id)));
    assert!(store.load_session(&first).unwrap().last_time.is_none(), "a first meeting has no last time");

    // The union moves from Keep informed to Manage closely, and two wedges toward us; the
    // council is placed for the first time.
    let (grid, spectrum) = (data.grids[0].id.clone(), data.grids[1].id.clone());
    let council = data.organizations[1].id.clone();
    store.place_card(&grid, &union, at(0.8, 0.9), 101).unwrap();
    store.place_card(&grid, &council, at(0.2, 0.2), 102).unwrap();
    let before = powermap_core::model::GridKind::SpectrumOfAllies.region_at(0.6, 0.5);
    store.place_card(&spectrum, &union, at(0.02, 0.1), 103).unwrap();
    let after = powermap_core::model::GridKind::SpectrumOfAllies.region_at(0.02, 0.1);
    assert!(before > after, "the new place is nearer the active allies ({before} → {after})");

    let summary = Summary::read(&store, &next.id).unwrap();
    let lines: Vec<String> =
        summary.grids[0].since_last.iter().map(|m| m.line(powermap_core::i18n::Lang::En)).collect();
    assert_eq!(lines, ["Tenants Union: Keep informed → Manage closely", "City Council: not placed → Monitor"]);
    let shift = summary.grids[1].shift.expect("a spectrum counts who moved toward us");
    assert_eq!((shift.toward, shift.wedges_toward, shift.away), (1, u32::try_from(before - after).unwrap(), 0));
    assert_eq!(summary.grids[0].shift, None, "only a spectrum has wedges");

    let markdown = powermap_core::summary::to_markdown(&summary);
    assert!(markdown.contains("## Since last session"), "{markdown}");
    assert!(markdown.contains("| Tenants Union | Keep informed | Manage closely |"), "{markdown}");
    assert!(markdown.contains("1 group moved toward us"), "{markdown}");
    assert!(markdown.contains("## Commitments from last meeting"), "{markdown}");
    assert!(markdown.contains("| Bring ten tenants to the hearing | Tenants Union | Not reviewed |"), "{markdown}");

    // A first meeting's summary has neither section.
    let first_markdown = powermap_core::summary::to_markdown(&Summary::read(&store, &first).unwrap());
    assert!(!first_markdown.contains("Since last session") && !first_markdown.contains("from last meeting"));
}

#[test]
fn said_and_done_follows_each_commitment_to_its_last_link() {
    let (_dir, _path, store) = temp_store();
    let first = first_meeting(&store);
    let fields = FollowUpFields { date: Some("2026-04-02".into()), ..Default::default() };
    let next = store.start_follow_up(&first, &fields, Lang::En, 100).unwrap();
    let data = store.load_session(&next.id).unwrap();
    let (union, council) = (data.organizations[0].id.clone(), data.organizations[1].id.clone());
    let spectrum = data.grids[1].id.clone();
    // The council says it is an active ally, and commits to something it then lets slip.
    store.place_card(&spectrum, &council, at(0.05, 0.2), 101).unwrap();
    commitment(&store, &next.id, Some(&council), "Table the ordinance", CommitmentStatus::Open);
    let council_commitment = store.load_session(&next.id).unwrap().commitments[0].id.clone();
    store
        .update_commitment(
            &council_commitment,
            &CommitmentFields {
                organization_id: Some(council.clone()),
                person: String::new(),
                action: "Table the ordinance".into(),
                due: Some("2026-03-20".into()),
                status: CommitmentStatus::Open,
                notes: String::new(),
            },
            102,
        )
        .unwrap();
    // The union's open commitment from the first meeting is carried again, due before today's meeting.
    let carry = ReviewFields { outcome: ReviewOutcome::Carried, note: String::new(), due: Some("2026-03-15".into()) };
    store.review_commitment(&data.reviews[0].id, &carry, 103).unwrap();

    let records = store.said_and_done(&next.id, "2030-01-01").unwrap();
    let figures = |r: &powermap_core::model::SaidAndDone| (r.made, r.kept, r.partly, r.dropped, r.overdue, r.open);
    assert_eq!(records[0].organization_id, council, "the widest gap first");
    assert_eq!(records[0].line(), "Active allies — kept 0 of 1");
    assert_eq!(figures(&records[0]), (1, 0, 0, 0, 1, 0), "overdue as of the meeting's date");
    assert_eq!(records[1].organization_id, union);
    assert_eq!(records[1].stated.as_deref(), Some("Passive opposition"));
    assert_eq!(figures(&records[1]), (3, 1, 0, 1, 1, 0), "the carried commitment counts once, by its last link");

    // Kept at the next meeting after all: the chain is kept.
    let third = store.start_follow_up(&next.id, &FollowUpFields::default(), Lang::En, 200).unwrap();
    let reviews = store.load_session(&third.id).unwrap().reviews;
    let carried = reviews.iter().find(|r| r.action == "Bring ten tenants to the hearing").expect("carried along");
    let kept = ReviewFields { outcome: ReviewOutcome::Partly, note: String::new(), due: None };
    store.review_commitment(&carried.id, &kept, 201).unwrap();
    let records = store.said_and_done(&third.id, "2030-01-01").unwrap();
    let union_record = records.iter().find(|r| r.name == "Tenants Union").unwrap();
    assert_eq!(figures(union_record), (3, 1, 1, 1, 0, 0));
    let council_record = records.iter().find(|r| r.name == "City Council").unwrap();
    assert_eq!(figures(council_record), (1, 0, 0, 0, 1, 0), "the third meeting has no date: overdue as of today");
    let records = store.said_and_done(&third.id, "2026-03-01").unwrap();
    let council_record = records.iter().find(|r| r.name == "City Council").unwrap();
    assert_eq!(figures(council_record), (1, 0, 0, 0, 0, 1), "not yet due on an earlier day");

    // The summary prints it, and the CSV export has the table: as of that meeting, so what
    // the third meeting said does not change the second's record.
    let summary = Summary::read(&store, &next.id).unwrap();
    let markdown = powermap_core::summary::to_markdown(&summary);
    assert!(markdown.contains("## Said and done"), "{markdown}");
    assert!(markdown.contains("| City Council | Active allies | 1 | 0 | 0 | 0 | 1 |"), "{markdown}");
    let csv = powermap_core::summary::said_and_done_csv(&summary).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "organization,stated position,made,kept,partly,dropped,overdue");
    assert_eq!(lines[1], "City Council,Active allies,1,0,0,0,1");
    assert_eq!(lines[2], "Tenants Union,Passive opposition,3,1,0,1,1");
}
