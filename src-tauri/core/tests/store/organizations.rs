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
    };
    let org = store.add_organization(&id, &fields, 2).unwrap();
    assert_eq!(org.name, "Riverside Tenants Union");
    assert_eq!(org.colour, Sector::CommunityGroup.default_colour(), "no colour takes the sector's");

    let edited = OrganizationFields { sector: Sector::Union, colour: Some("#AA0000".into()), ..fields };
    let org = store.update_organization(&org.id, &edited, 3).unwrap();
    assert_eq!((org.sector, org.colour.as_str()), (Sector::Union, "#aa0000"));
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
