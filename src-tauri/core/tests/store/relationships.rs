use powermap_core::i18n::Lang;
use powermap_core::model::{
    FollowUpFields, OrganizationFields, RelationshipFields, RelationshipKind, RowKey, WrittenRow,
};
use powermap_core::summary::Summary;
use powermap_core::ErrorCode;

use crate::{everything, refused, session, temp_store};

fn tie(from: &str, to: &str, kind: RelationshipKind) -> RelationshipFields {
    RelationshipFields { from_id: from.into(), to_id: to.into(), kind, mutual: false, strength: 2, note: String::new() }
}

#[test]
fn relationships_are_drawn_changed_removed_and_go_with_their_organizations() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let legal = store.add_organization(&id, &OrganizationFields::named("Legal Aid"), 2).unwrap().value;
    let union = store
        .add_organization(&id, &OrganizationFields { directly_affected: true, ..OrganizationFields::named("Union") }, 2)
        .unwrap()
        .value;

    let drawn = store.add_relationship(&id, &tie(&legal.id, &union.id, RelationshipKind::SpeaksFor), 3).unwrap();
    assert!(matches!(&drawn.change.written[..], [WrittenRow::Relationship { .. }]));
    assert_eq!(drawn.change.label.describe(), "Draw “Legal Aid” speaks for “Union”");
    let mut fields = tie(&legal.id, &union.id, RelationshipKind::SpeaksFor);
    fields.strength = 3;
    fields.note = "  At every hearing ".into();
    let changed = store.update_relationship(&drawn.id, &fields, 4).unwrap();
    assert_eq!((changed.strength, changed.note.as_str()), (3, "At every hearing"));

    // The summary says who speaks for whom.
    let summary = Summary::read(&store, &id).unwrap();
    assert_eq!(summary.who_speaks_for_whom(), ["Legal Aid speaks for Union ★"]);
    let markdown = powermap_core::summary::to_markdown(&summary);
    assert!(markdown.contains("Who speaks for whom"), "{markdown}");
    assert!(markdown.contains("| Legal Aid | speaks for | Union ★ | strong | At every hearing |"), "{markdown}");

    // Removing an organization takes its lines with it; undo brings both back.
    let removed = store.remove_organization(&union.id, 5).unwrap();
    assert!(removed.change.removed.contains(&RowKey::Relationship { id: drawn.id.clone() }));
    assert!(store.load_session(&id).unwrap().relationships.is_empty());
    store.undo(&id, 6).unwrap();
    let back = store.load_session(&id).unwrap();
    assert_eq!(back.relationships.len(), 1, "undo brings the line back with its organization");
    assert_eq!(back.relationships[0].strength, 3);

    let gone = store.remove_relationship(&drawn.id, 7).unwrap();
    assert_eq!(gone.change.removed, [RowKey::Relationship { id: drawn.id.clone() }]);
    store.undo(&id, 8).unwrap();
    assert_eq!(store.load_session(&id).unwrap().relationships.len(), 1);
}

#[test]
fn bad_relationships_are_refused_and_change_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let other = session(&store, "Elsewhere", 1);
    let a = store.add_organization(&id, &OrganizationFields::named("A"), 2).unwrap().value.id;
    let b = store.add_organization(&id, &OrganizationFields::named("B"), 2).unwrap().value.id;
    let c = store.add_organization(&other, &OrganizationFields::named("C"), 2).unwrap().value.id;
    let mutual = RelationshipFields { mutual: true, ..tie(&a, &b, RelationshipKind::WorksWith) };
    store.add_relationship(&id, &mutual, 3).unwrap();
    let before = everything(&store);
    let with = |f: &dyn Fn(&mut RelationshipFields)| {
        let mut fields = tie(&a, &b, RelationshipKind::Funds);
        f(&mut fields);
        fields
    };
    let invalid = ErrorCode::InvalidInput;
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.to_id = a.clone()), 4), invalid);
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.strength = 0), 4), invalid);
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.strength = 4), 4), invalid);
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.note = "\u{7}".into()), 4), invalid);
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.to_id = c.clone()), 4), ErrorCode::NotFound);
    refused(&store, &before, store.add_relationship(&id, &with(&|f| f.to_id = "gone".into()), 4), ErrorCode::NotFound);
    let again = RelationshipFields { mutual: false, ..tie(&b, &a, RelationshipKind::WorksWith) };
    refused(&store, &before, store.add_relationship(&id, &again, 4), ErrorCode::Conflict);
    refused(&store, &before, store.remove_relationship("gone", 4), ErrorCode::NotFound);
}

#[test]
fn a_follow_up_carries_the_relationships_and_the_sample_has_them() {
    let (_dir, _path, store) = temp_store();
    let sample = store.create_sample_session(1).unwrap();
    let data = store.load_session(&sample).unwrap();
    assert!(data.relationships.len() >= 5, "the sample draws its relationships");
    let summary = Summary::read(&store, &sample).unwrap();
    assert_eq!(
        summary.who_speaks_for_whom(),
        ["Housing Justice Legal Aid speaks for Riverside Tenants Union ★"],
        "the sample has a case of speaking for"
    );

    let next = store.start_follow_up(&sample, &FollowUpFields::default(), Lang::En, 2).unwrap();
    let after = store.load_session(&next.id).unwrap();
    assert_eq!(after.relationships.len(), data.relationships.len(), "carried, to be re-rated");
    let identity = |d: &powermap_core::model::SessionData, id: &str| {
        d.organizations.iter().find(|o| o.id == id).map(|o| o.identity.clone()).unwrap()
    };
    for (old, new) in data.relationships.iter().zip(&after.relationships) {
        assert_ne!(old.id, new.id);
        assert_eq!(identity(&data, &old.from_id), identity(&after, &new.from_id));
        assert_eq!(identity(&data, &old.to_id), identity(&after, &new.to_id));
        assert_eq!((old.kind, old.strength, old.mutual), (new.kind, new.strength, new.mutual));
    }

    // Re-rated: last time's strength is there to compare with.
    let trust = after.relationships.iter().find(|r| r.kind == RelationshipKind::WorksWith).unwrap();
    let mut fields = RelationshipFields {
        from_id: trust.from_id.clone(),
        to_id: trust.to_id.clone(),
        kind: trust.kind,
        mutual: trust.mutual,
        strength: 1,
        note: trust.note.clone(),
    };
    store.update_relationship(&trust.id, &fields, 3).unwrap();
    let last = store.load_session(&next.id).unwrap().last_time.unwrap();
    let was = last
        .relationships
        .iter()
        .find(|r| r.from_id == fields.from_id && r.to_id == fields.to_id && r.kind == fields.kind)
        .expect("last time's line, on this session's cards");
    assert_eq!(was.strength, 3, "it was strong last time");
    fields.strength = 3;
    store.update_relationship(&trust.id, &fields, 4).unwrap();

    // Through the interchange format and back.
    let text = store.export_document(&next.id).unwrap().to_json();
    let (_dir2, _path2, other) = temp_store();
    let imported = other.import_document(powermap_core::InterchangeDocument::from_json(&text).unwrap()).unwrap();
    assert_eq!(other.load_session(&imported).unwrap().relationships.len(), after.relationships.len());
    let mut bad: serde_json::Value = serde_json::from_str(&text).unwrap();
    bad["relationships"][0]["strength"] = 9.into();
    let before = everything(&other);
    let result = powermap_core::InterchangeDocument::from_json(&bad.to_string()).and_then(|d| other.import_document(d));
    refused(&other, &before, result, ErrorCode::BadImport);
    let mut dangling: serde_json::Value = serde_json::from_str(&text).unwrap();
    dangling["relationships"][0]["toId"] = "nobody".into();
    let result =
        powermap_core::InterchangeDocument::from_json(&dangling.to_string()).and_then(|d| other.import_document(d));
    refused(&other, &before, result, ErrorCode::BadImport);
}
