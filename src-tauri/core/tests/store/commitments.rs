use powermap_core::model::{CommitmentFields, CommitmentStatus, OrganizationFields, ParticipantFields};
use powermap_core::ErrorCode;

use crate::{everything, refused, session, temp_store};

fn fields(organization: Option<&str>, person: &str, action: &str, due: Option<&str>) -> CommitmentFields {
    CommitmentFields {
        organization_id: organization.map(Into::into),
        person: person.into(),
        action: action.into(),
        due: due.map(Into::into),
        status: CommitmentStatus::Open,
        notes: String::new(),
    }
}

#[test]
fn commitments_are_recorded_edited_and_removed() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Tenants Union"), 2).unwrap();
    let made = store
        .add_commitment(
            &id,
            &fields(Some(&org.id), "Dolores", " Bring 40 tenants to the hearing ", Some("2026-06-01")),
            3,
        )
        .unwrap();
    assert_eq!(made.action, "Bring 40 tenants to the hearing", "actions are trimmed");
    let done = CommitmentFields {
        status: CommitmentStatus::Done,
        ..fields(Some(&org.id), "Dolores", &made.action, Some("2026-06-01"))
    };
    let updated = store.update_commitment(&made.id, &done, 4).unwrap();
    assert_eq!(updated.status, CommitmentStatus::Done);
    assert_eq!(store.load_session(&id).unwrap().commitments, vec![updated.value]);
    store.remove_commitment(&made.id, 5).unwrap();
    assert!(store.load_session(&id).unwrap().commitments.is_empty());
}

#[test]
fn bad_commitments_change_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let other = session(&store, "Other", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 2).unwrap();
    let stranger = store.add_organization(&other, &OrganizationFields::named("Stranger"), 2).unwrap();
    let kept = store.add_commitment(&id, &fields(Some(&org.id), "", "Kept", None), 3).unwrap();
    let before = everything(&store);

    let cases = [
        (fields(Some(&org.id), "", "   ", None), ErrorCode::InvalidInput),
        (fields(Some(&org.id), "", &"a".repeat(501), None), ErrorCode::InvalidInput),
        (fields(Some(&org.id), "", "Act", Some("2026-02-30")), ErrorCode::InvalidInput),
        (fields(None, "", "Nobody does this", None), ErrorCode::InvalidInput),
        (fields(Some(&stranger.id), "", "Not ours", None), ErrorCode::NotFound),
        (fields(Some("gone"), "", "Gone", None), ErrorCode::NotFound),
    ];
    for (bad, code) in &cases {
        refused(&store, &before, store.add_commitment(&id, bad, 4), *code);
        refused(&store, &before, store.update_commitment(&kept.id, bad, 4), *code);
    }
    assert!(
        store.add_commitment(&id, &fields(None, "Maria", &"a".repeat(500), None), 4).is_ok(),
        "500 characters is allowed"
    );
    let before = everything(&store);
    refused(
        &store,
        &before,
        store.update_commitment("gone", &fields(None, "Maria", "x", None), 5),
        ErrorCode::NotFound,
    );
    refused(&store, &before, store.remove_commitment("gone", 5), ErrorCode::NotFound);
    refused(&store, &before, store.add_commitment("gone", &fields(None, "Maria", "x", None), 5), ErrorCode::NotFound);
}

#[test]
fn participants_are_the_people_in_the_room() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Union"), 2).unwrap();
    let maria = store
        .add_participant(&id, &ParticipantFields { name: "Maria".into(), organization_id: Some(org.id.clone()) }, 3)
        .unwrap();
    let renamed = store
        .update_participant(&maria.id, &ParticipantFields { name: "Maria G.".into(), organization_id: None }, 4)
        .unwrap();
    assert_eq!((renamed.name.as_str(), renamed.organization_id.as_deref()), ("Maria G.", None));
    let before = everything(&store);
    let blank = ParticipantFields { name: " ".into(), organization_id: None };
    refused(&store, &before, store.add_participant(&id, &blank, 5), ErrorCode::InvalidInput);
    let gone = ParticipantFields { name: "Ok".into(), organization_id: Some("gone".into()) };
    refused(&store, &before, store.add_participant(&id, &gone, 5), ErrorCode::NotFound);
    refused(&store, &before, store.remove_participant("gone", 5), ErrorCode::NotFound);
    store.remove_participant(&maria.id, 6).unwrap();
    assert!(store.load_session(&id).unwrap().participants.is_empty());
}
