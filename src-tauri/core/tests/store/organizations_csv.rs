use powermap_core::exchange::organizations_csv;
use powermap_core::model::{OrganizationFields, Sector};
use powermap_core::ErrorCode;

use crate::{everything, refused, session, temp_store};

#[test]
fn a_good_file_is_previewed_then_imported_in_one_step() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    store.add_organization(&id, &OrganizationFields::named("City Council"), 2).unwrap();
    let file = "Name,Short label,Sector,Directly affected,Notes,Colour,Contact person\n\
                Tenants Union,TU,community group,yes,\"Meets Tuesdays, 7pm\",#2a9d8f,Amina (co-chair)\n\
                city council,,government,no,,,\n\
                Local Paper,,Media,,,,\n";
    let preview = organizations_csv::preview(&store, &id, file.as_bytes()).unwrap();
    assert!(preview.problems.is_empty(), "{:?}", preview.problems);
    assert_eq!(preview.already_there, ["city council"]);
    let names: Vec<_> = preview.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["Tenants Union", "Local Paper"]);
    assert_eq!(store.load_session(&id).unwrap().organizations.len(), 1, "a preview adds nothing");

    let added = organizations_csv::import(&store, &id, file.as_bytes(), 3).unwrap();
    assert_eq!(added.len(), 2);
    assert_eq!(
        (added[0].sector, added[0].directly_affected, added[0].notes.as_str(), added[0].contact.as_str()),
        (Sector::CommunityGroup, true, "Meets Tuesdays, 7pm", "Amina (co-chair)")
    );
    assert_eq!(added[1].sector, Sector::Media);
    assert_eq!(store.undo(&id, 4).unwrap().label.describe(), "Add 2 organizations", "the import is one step to undo");
}

#[test]
fn spreadsheets_separated_by_semicolons_or_tabs_are_read() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    for file in [
        "name;sector;notes\nTenants Union;community group;\"Tuesdays; 7pm\"\nLocal Paper;media;\n",
        "name\tsector\tnotes\nTenants Union\tcommunity group\tTuesdays; 7pm\nLocal Paper\tmedia\t\n",
    ] {
        let preview = organizations_csv::preview(&store, &id, file.as_bytes()).unwrap();
        assert!(preview.problems.is_empty(), "{file:?}: {:?}", preview.problems);
        let read: Vec<_> =
            preview.organizations.iter().map(|o| (o.name.as_str(), o.sector, o.notes.as_str())).collect();
        assert_eq!(
            read,
            [("Tenants Union", Sector::CommunityGroup, "Tuesdays; 7pm"), ("Local Paper", Sector::Media, "")]
        );
    }
}

#[test]
fn bad_files_are_reported_line_by_line_and_add_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = session(&store, "Workshop", 1);
    let before = everything(&store);
    let cases: [(&[u8], &[u32]); 5] = [
        (b"Title,Colour\nTenants,#fff000\n", &[1, 1]),
        (b"name,sector\nTenants,church\nUnion,union,extra\n,ngo\n", &[2, 3, 4]),
        (b"name,directly affected\nTenants,maybe\n", &[2]),
        (b"name\nTenants\n\xff\xfe bad bytes\n", &[3]),
        (b"", &[1]),
    ];
    for (file, lines) in cases {
        let preview = organizations_csv::preview(&store, &id, file).unwrap();
        let got: Vec<u32> = preview.problems.iter().map(|p| p.line).collect();
        assert_eq!(got, lines, "problems of {:?}: {:?}", String::from_utf8_lossy(file), preview.problems);
        refused(&store, &before, organizations_csv::import(&store, &id, file, 2), ErrorCode::BadImport);
    }
}
