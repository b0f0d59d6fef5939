use powermap_core::model::{OrganizationFields, Sector};
use powermap_core::ErrorCode;

use crate::{everything, refused, session, temp_store};

#[test]
fn organizations_are_added_edited_and_removed() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let fields = OrganizationFields {
        name: " Riverside Tenants Union ".into(),
        short_label: "RTU".into(),
        sector: Sector::CommunityGroup,
        directly_affected: true,
        notes: "300 households".into(),
        colour: None,
        contact: " Amina Diallo, co-chair ".into(),
    };
    let org = store.add_organization(&id, &fields, 2).unwrap();
    assert_eq!(org.name, "Riverside Tenants Union");
    assert_eq!(org.contact, "Amina Diallo, co-chair", "trimmed like a name");
    assert_eq!(org.colour, Sector::CommunityGroup.default_colour(), "no colour takes the sector's");

    let edited = OrganizationFields {
        sector: Sector::Union,
        colour: Some("#AA0000".into()),
        contact: "Joe Kowalski".into(),
        ..fields
    };
    let org = store.update_organization(&org.id, &edited, 3).unwrap();
    assert_eq!((org.sector, org.colour.as_str(), org.contact.as_str()), (Sector::Union, "#aa0000", "Joe Kowalski"));
    assert_eq!(store.load_session(&id).unwrap().organizations, vec![org.value.clone()]);

    store.remove_organization(&org.id, 4).unwrap();
    assert!(store.load_session(&id).unwrap().organizations.is_empty());
}

#[test]
fn a_pasted_list_adds_one_organization_per_line() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    store.add_organization(&id, &OrganizationFields::named("City Council"), 2).unwrap();
    let added = store
        .add_organizations_from_list(&id, "Tenants Union\n\n  Legal Aid  \ncity council\nTenants Union\r\nParish\n", 3)
        .unwrap();
    let names: Vec<_> = added.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Tenants Union", "Legal Aid", "Parish"], "blank lines and names already there are skipped");
    assert_eq!(store.load_session(&id).unwrap().organizations.len(), 4);
}

#[test]
fn bad_organization_input_changes_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let org = store.add_organization(&id, &OrganizationFields::named("Kept"), 2).unwrap();
    let before = everything(&store);
    let named = OrganizationFields::named;
    refused(&store, &before, store.add_organization(&id, &named(" \t "), 3), ErrorCode::InvalidInput);
    refused(&store, &before, store.add_organization(&id, &named(&"n".repeat(201)), 3), ErrorCode::InvalidInput);
    let bad_colour = OrganizationFields { colour: Some("blue".into()), ..named("Ok") };
    refused(&store, &before, store.add_organization(&id, &bad_colour, 3), ErrorCode::InvalidInput);
    for control in ["Two\nlines", "Nul\0", "Form\u{c}feed", "Escape\u{1b}[2J"] {
        refused(&store, &before, store.add_organization(&id, &named(control), 3), ErrorCode::InvalidInput);
        let label = OrganizationFields { short_label: control.into(), ..named("Ok") };
        refused(&store, &before, store.add_organization(&id, &label, 3), ErrorCode::InvalidInput);
    }
    let bell_in_notes = OrganizationFields { notes: "Ring\u{7}".into(), ..named("Ok") };
    refused(&store, &before, store.add_organization(&id, &bell_in_notes, 3), ErrorCode::InvalidInput);
    refused(&store, &before, store.add_organization("gone", &named("Ok"), 3), ErrorCode::NotFound);
    refused(&store, &before, store.update_organization(&org.id, &named(""), 3), ErrorCode::InvalidInput);
    refused(&store, &before, store.update_organization("gone", &named("Ok"), 3), ErrorCode::NotFound);
    refused(&store, &before, store.remove_organization("gone", 3), ErrorCode::NotFound);
    let list = format!("Fine\n{}\nAlso fine", "x".repeat(300));
    let error = store.add_organizations_from_list(&id, &list, 3).unwrap_err();
    assert!(error.to_string().starts_with("Line 2:"), "the error names the line: {error}");
    refused(&store, &before, store.add_organizations_from_list(&id, &list, 3), ErrorCode::InvalidInput);
    refused(&store, &before, store.add_organizations_from_list(&id, "\n \n", 3), ErrorCode::InvalidInput);
}

/// The contact person, a column added after the rest (issue 28's proof of one description
/// of each table): stored, in the change every view receives, undone and redone, carried by
/// the interchange file and a follow-up, read as empty from a file written before it, and
/// refused like any one-line text when it is not one.
#[test]
fn an_organization_s_contact_travels_with_it_everywhere() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Contacts", 1);
    let added = store.add_organization(&id, &OrganizationFields::named("Parish"), 2).unwrap();
    let fields = OrganizationFields { contact: "Fr. Tomás Reyes".into(), ..OrganizationFields::named("Parish") };
    let edited = store.update_organization(&added.id, &fields, 3).unwrap();
    let told = edited.change.written.iter().find_map(|w| match w {
        powermap_core::model::WrittenRow::Organization { row, .. } => Some(row.contact.clone()),
        _ => None,
    });
    assert_eq!(told.as_deref(), Some("Fr. Tomás Reyes"), "the change carries it to every view");
    store.undo(&id, 4).unwrap();
    assert_eq!(store.load_session(&id).unwrap().organizations[0].contact, "");
    store.redo(&id, 5).unwrap();
    assert_eq!(store.load_session(&id).unwrap().organizations[0].contact, "Fr. Tomás Reyes");

    let document = store.export_document(&id).unwrap();
    let json = document.to_json();
    assert!(json.contains("\"contact\": \"Fr. Tomás Reyes\""), "{json}");
    let (_other_dir, _other_path, other) = temp_store();
    let imported = other.import_document(powermap_core::InterchangeDocument::from_json(&json).unwrap()).unwrap();
    assert_eq!(other.load_session(&imported).unwrap().organizations[0].contact, "Fr. Tomás Reyes");
    let next = store.start_follow_up(&id, &Default::default(), powermap_core::i18n::Lang::En, 6).unwrap();
    assert_eq!(store.load_session(&next.id).unwrap().organizations[0].contact, "Fr. Tomás Reyes");

    // A file written before contacts existed has none.
    let without: String =
        json.replace("\"contact\": \"Fr. Tomás Reyes\",", "").replace(",\n      \"contact\": \"Fr. Tomás Reyes\"", "");
    assert!(!without.contains("contact"), "{without}");
    let older = other.import_document(powermap_core::InterchangeDocument::from_json(&without).unwrap()).unwrap();
    assert_eq!(other.load_session(&older).unwrap().organizations[0].contact, "");

    let before = everything(&store);
    for bad in ["two\nlines", &"x".repeat(201)] {
        let fields = OrganizationFields { contact: bad.into(), ..OrganizationFields::named("Parish") };
        refused(&store, &before, store.update_organization(&added.id, &fields, 7), ErrorCode::InvalidInput);
    }
}
