use powermap_core::interchange::{InterchangeDocument, FORMAT};
use powermap_core::ErrorCode;

use crate::{edited, everything, refused, temp_store};

#[test]
fn export_import_export_is_identical() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let exported = store.export_document(&id).unwrap().to_json();

    let (_dir2, _path2, fresh) = temp_store();
    let imported = fresh.import_document(InterchangeDocument::from_json(&exported).unwrap()).unwrap();
    assert_eq!(imported, id, "ids are kept when they are free");
    let again = fresh.export_document(&imported).unwrap().to_json();
    assert_eq!(again, exported, "the round trip loses nothing");
}

#[test]
fn importing_the_same_file_twice_gives_two_sessions() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let exported = store.export_document(&id).unwrap().to_json();
    let second = store.import_document(InterchangeDocument::from_json(&exported).unwrap()).unwrap();
    assert_ne!(second, id);
    let a = store.load_session(&id).unwrap();
    let b = store.load_session(&second).unwrap();
    assert_eq!(a.organizations.len(), b.organizations.len());
    assert_eq!(a.placements.len(), b.placements.len(), "placements follow the new ids");
    assert_eq!(a.commitments.len(), b.commitments.len());
}

#[test]
fn the_format_has_the_documented_shape() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let value: serde_json::Value = serde_json::from_str(&store.export_document(&id).unwrap().to_json()).unwrap();
    assert_eq!(value["format"], FORMAT);
    let org = &value["organizations"][0];
    assert!(org["id"].is_string() && org["name"].is_string());
    let grid = &value["grids"][0];
    assert_eq!(grid["kind"], "power-interest");
    assert!(grid["title"].is_string());
    let placement = &value["placements"][0];
    for key in ["gridId", "organizationId", "x", "y"] {
        assert!(!placement[key].is_null(), "placements carry {key}");
    }
    assert!(value["commitments"].is_array() && value["session"]["title"].is_string());
}

#[test]
fn a_file_with_a_byte_order_mark_imports() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let document = store.export_document(&id).unwrap();
    let text = format!("\u{feff}{}", document.to_json());
    let (_dir2, _path2, target) = temp_store();
    let imported = target.import_document(InterchangeDocument::from_json(&text).unwrap()).unwrap();
    assert_eq!(target.load_session(&imported).unwrap().organizations.len(), document.organizations.len());
}

#[test]
fn malformed_files_are_refused_and_add_nothing() {
    let (_dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let good = store.export_document(&id).unwrap().to_json();
    let (_dir2, _path2, target) = temp_store();
    let before = everything(&target);

    let edit = |f: &dyn Fn(&mut serde_json::Value)| edited(&good, f);
    let cases: Vec<(&str, String)> = vec![
        ("not JSON", "{ this is not json".into()),
        ("empty", String::new()),
        (
            "no format",
            edit(&|v| {
                v.as_object_mut().unwrap().remove("format");
            }),
        ),
        ("newer format", edit(&|v| v["format"] = "powermap/3".into())),
        (
            "missing organizations",
            edit(&|v| {
                v.as_object_mut().unwrap().remove("organizations");
            }),
        ),
        ("blank organization name", edit(&|v| v["organizations"][0]["name"] = " ".into())),
        ("unknown grid kind", edit(&|v| v["grids"][0]["kind"] = "pie-chart".into())),
        ("coordinate off the grid", edit(&|v| v["placements"][0]["x"] = 1.5.into())),
        ("dangling placement", edit(&|v| v["placements"][0]["organizationId"] = "nobody".into())),
        (
            "repeated id",
            edit(&|v| {
                let first = v["organizations"][0]["id"].clone();
                v["organizations"][1]["id"] = first;
            }),
        ),
        ("bad due date", edit(&|v| v["commitments"][0]["due"] = "2026-02-31".into())),
        ("line break in a name", edit(&|v| v["organizations"][0]["name"] = "Two\nlines".into())),
        ("NUL in a grid title", edit(&|v| v["grids"][0]["title"] = "Grid\u{0}".into())),
        ("control character in a region", edit(&|v| v["grids"][0]["labels"]["regions"][0] = "\u{1b}[31m".into())),
        ("escape in a participant's name", edit(&|v| v["participants"][0]["name"] = "Amina\u{1b}".into())),
        ("an id of 10,000 characters", edit(&|v| v["organizations"][0]["id"] = "x".repeat(10_000).into())),
        ("an empty session id", edit(&|v| v["session"]["id"] = "".into())),
        ("a mover's name over two lines", edit(&|v| v["placements"][0]["movedBy"] = "A\nB".into())),
        (
            "too few region names",
            edit(&|v| {
                v["grids"][0]["labels"]["regions"].as_array_mut().unwrap().pop();
            }),
        ),
    ];
    for (what, text) in cases {
        let result = InterchangeDocument::from_json(&text).and_then(|d| target.import_document(d));
        match &result {
            Err(e) => assert_eq!(e.code(), ErrorCode::BadImport, "{what}: {e}"),
            Ok(_) => panic!("{what}: a malformed file was imported"),
        }
        refused(&target, &before, result, ErrorCode::BadImport);
    }
}
