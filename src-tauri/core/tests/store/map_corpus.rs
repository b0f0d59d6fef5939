//! The corpus of maps of other tools, `tests/fixtures/maps`: small files of the real shapes
//! (Kumu blueprints and spreadsheet sheets, Oligrapher 2 and 3 graphs, Oligrapher's demo
//! embedding), written from the formats' documentation and Oligrapher's source for issue
//! 27. Each `NAME.expected.json` names its files and what importing them must create: the
//! organizations (name, sector, notes, led by directly affected people), the relationships
//! (ends, kind, direction, strength, note), the session's notes, and what is merged and
//! skipped, and why. The preview must say exactly that, and the import must store exactly
//! that: they are one code path.

use std::path::Path;

use powermap_core::exchange::maps::{self, MapFile};
use powermap_core::i18n::Lang;
use powermap_core::model::{RelationshipKind, Sector};
use serde_json::Value;

use crate::temp_store;

fn text(value: &Value, field: &str) -> String {
    value.get(field).and_then(Value::as_str).unwrap_or_default().to_string()
}

#[test]
fn every_map_of_the_corpus_previews_and_imports_as_its_expected_file_says() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/maps");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".expected.json"))
        .collect();
    names.sort();
    assert!(names.len() >= 9, "the corpus is read: {names:?}");
    let (_dir, _path, store) = temp_store();
    for name in &names {
        let expected: Value = serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let files: Vec<(String, Vec<u8>)> = expected["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| {
                let file = f.as_str().expect("a file name");
                (file.to_string(), std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}")))
            })
            .collect();
        let given: Vec<MapFile<'_>> = files.iter().map(|(name, bytes)| MapFile { name, bytes }).collect();
        let map = maps::read(&given, 1_000, Lang::En).unwrap_or_else(|e| panic!("{name}: refused: {e}"));

        // The preview says what the expected file says.
        let preview = &map.preview;
        assert_eq!(preview.format, text(&expected, "format"), "{name}: the kind of file");
        if expected.get("title").is_some() {
            assert_eq!(preview.title, text(&expected, "title"), "{name}: the title");
        }
        let organizations: Vec<(String, String)> = expected["organizations"]
            .as_array()
            .expect("organizations")
            .iter()
            .map(|o| (text(o, "name"), text(o, "sector")))
            .collect();
        let previewed: Vec<(String, String)> =
            preview.organizations.iter().map(|o| (o.name.clone(), o.sector.as_str().to_string())).collect();
        assert_eq!(previewed, organizations, "{name}: the organizations previewed");
        let relationships = expected["relationships"].as_array().expect("relationships");
        let lines: Vec<String> = relationships
            .iter()
            .map(|r| {
                let kind = RelationshipKind::parse(&text(r, "kind")).expect("a kind");
                let both = if r["mutual"].as_bool() == Some(true) { " (both ways)" } else { "" };
                format!("{} {} {}{both}", text(r, "from"), kind.verb(), text(r, "to"))
            })
            .collect();
        assert_eq!(preview.relationships, lines, "{name}: the relationships previewed");
        for (list, said) in [("merged", &preview.merged), ("skipped", &preview.skipped)] {
            let wanted: Vec<(String, String)> = expected[list]
                .as_array()
                .expect(list)
                .iter()
                .map(|p| (p[0].as_str().unwrap_or_default().to_string(), p[1].as_str().unwrap_or_default().to_string()))
                .collect();
            let got: Vec<(String, String)> = said.iter().map(|s| (s.what.clone(), s.why.clone())).collect();
            assert_eq!(got, wanted, "{name}: what the preview says is {list}, and why");
        }

        // The import stores exactly that.
        let id = maps::import(&store, map).unwrap_or_else(|e| panic!("{name}: the previewed map is refused: {e}"));
        let data = store.load_session(&id).unwrap();
        assert_eq!(data.session.notes, text(&expected, "sessionNotes"), "{name}: the session's notes");
        let stored: Vec<(String, Sector, bool, String)> = data
            .organizations
            .iter()
            .map(|o| (o.name.clone(), o.sector, o.directly_affected, o.notes.clone()))
            .collect();
        let wanted: Vec<(String, Sector, bool, String)> = expected["organizations"]
            .as_array()
            .expect("organizations")
            .iter()
            .map(|o| {
                let sector = Sector::parse(&text(o, "sector")).expect("a sector");
                (text(o, "name"), sector, o["directlyAffected"].as_bool() == Some(true), text(o, "notes"))
            })
            .collect();
        assert_eq!(stored, wanted, "{name}: the organizations imported");
        let name_of = |id: &str| data.organizations.iter().find(|o| o.id == id).map(|o| o.name.clone()).unwrap();
        let stored: Vec<(String, String, String, bool, u8, String)> = data
            .relationships
            .iter()
            .map(|r| {
                let kind = r.kind.as_str().to_string();
                (name_of(&r.from_id), kind, name_of(&r.to_id), r.mutual, r.strength, r.note.clone())
            })
            .collect();
        let wanted: Vec<(String, String, String, bool, u8, String)> = relationships
            .iter()
            .map(|r| {
                let strength = r["strength"].as_u64().and_then(|s| u8::try_from(s).ok()).expect("a strength");
                let mutual = r["mutual"].as_bool().expect("mutual");
                (text(r, "from"), text(r, "kind"), text(r, "to"), mutual, strength, text(r, "note"))
            })
            .collect();
        assert_eq!(stored, wanted, "{name}: the relationships imported, their direction, strength and note");
    }
}
