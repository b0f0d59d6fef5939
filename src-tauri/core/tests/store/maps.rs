use powermap_core::exchange::export;
use powermap_core::exchange::maps::{self, MapFile, MapImport};
use powermap_core::i18n::Lang;
use powermap_core::model::{RelationshipKind, Sector};
use powermap_core::{ErrorCode, Store};

use crate::{everything, refused, temp_store};

fn read(name: &str, text: &str) -> powermap_core::Result<MapImport> {
    maps::read(&[MapFile { name, bytes: text.as_bytes() }], 1_000, Lang::En)
}

/// A relationship by the names of its ends: from, kind, to, both ways.
type Line = (String, RelationshipKind, String, bool);

/// Imports `map` and returns the new session's organizations (name, sector) and
/// relationships, by name.
fn imported(store: &Store, map: MapImport) -> (Vec<(String, Sector)>, Vec<Line>) {
    let id = maps::import(store, map).expect("the map imports");
    let data = store.load_session(&id).unwrap();
    assert_eq!(data.grids.len(), 1, "one power-interest grid");
    assert!(data.placements.is_empty(), "every card in the tray");
    let name = |id: &str| data.organizations.iter().find(|o| o.id == id).unwrap().name.clone();
    (
        data.organizations.iter().map(|o| (o.name.clone(), o.sector)).collect(),
        data.relationships.iter().map(|r| (name(&r.from_id), r.kind, name(&r.to_id), r.mutual)).collect(),
    )
}

const KUMU: &str = r#"{
  "elements": [
    {"id": "e1", "label": "Riverside Tenants Union", "type": "Community organization"},
    {"id": "e2", "label": "Harbor Property Group", "type": "Company"},
    {"id": "e3", "label": "Housing Justice Legal Aid", "type": "Nonprofit"},
    {"id": "e4", "label": "", "type": "Person"},
    {"id": "e5", "label": "riverside tenants union", "type": "Community organization"},
    {"id": "e6", "label": "Someone", "type": "Wizard"}
  ],
  "connections": [
    {"from": "e2", "to": "e1", "type": "Opposes", "direction": "directed"},
    {"from": "Housing Justice Legal Aid", "to": "e1", "type": "Represents", "direction": "directed"},
    {"from": "e1", "to": "e6", "type": "Collaboration", "direction": "mutual"},
    {"from": "e1", "to": "e99", "type": "Funding"},
    {"from": "e1", "to": "e1", "type": "Funding"},
    {"from": "e6", "to": "e1", "type": "Collaboration", "direction": "undirected"}
  ]
}"#;

#[test]
fn a_kumu_blueprint_becomes_a_session_and_the_preview_says_what_was_skipped() {
    let (_dir, _path, store) = temp_store();
    let map = read("riverside.json", KUMU).unwrap();
    let preview = map.preview.clone();
    assert_eq!(preview.format, "Kumu blueprint (JSON)");
    assert_eq!(preview.title, "riverside", "no title in the file: the file's name");
    let names: Vec<_> = preview.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Riverside Tenants Union",
            "Harbor Property Group",
            "Housing Justice Legal Aid",
            "riverside tenants union",
            "Someone"
        ],
        "names are compared exactly, and elements of different ids are different cards (issue 27)"
    );
    assert_eq!(preview.organizations[1].from_type.as_deref(), Some("Company"), "the sector was guessed from the type");
    assert_eq!(preview.organizations[4].from_type, None, "“Wizard” names no sector");
    let skipped: Vec<_> = preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.why)).collect();
    assert_eq!(skipped.len(), 4, "{skipped:#?}");
    assert!(skipped[0].starts_with("element 4: The organization name cannot be empty"), "{skipped:#?}");
    assert!(
        skipped[1].contains("“Riverside Tenants Union” → “e99”): “e99” is not an element of the file"),
        "{skipped:#?}"
    );
    assert!(skipped[2].contains("to itself"), "{skipped:#?}");
    assert!(skipped[3].contains("already drawn"), "the undirected repeat of a mutual line: {skipped:#?}");
    assert_eq!(preview.relationships[0], "Harbor Property Group opposes Riverside Tenants Union");
    assert_eq!(preview.relationships[2], "Riverside Tenants Union works with Someone (both ways)");

    // The same preview in the window's language.
    let spanish = preview.clone().said_in(Lang::Es);
    assert_eq!(spanish.format, "Blueprint de Kumu (JSON)");
    assert_eq!(spanish.relationships[0], "Harbor Property Group se opone a Riverside Tenants Union");
    assert_eq!(spanish.relationships[2], "Riverside Tenants Union trabaja con Someone (en ambos sentidos)");
    let french = preview.said_in(Lang::Fr);
    assert_eq!(french.skipped[1].why, "«\u{a0}e99\u{a0}» n’est pas un élément du fichier");

    let (organizations, relationships) = imported(&store, map);
    assert_eq!(organizations[0], ("Riverside Tenants Union".into(), Sector::CommunityGroup));
    assert_eq!(organizations[1].1, Sector::Business);
    assert_eq!(organizations[2].1, Sector::Ngo);
    assert_eq!(
        relationships,
        [
            ("Harbor Property Group".into(), RelationshipKind::Opposes, "Riverside Tenants Union".into(), false),
            ("Housing Justice Legal Aid".into(), RelationshipKind::SpeaksFor, "Riverside Tenants Union".into(), false),
            ("Riverside Tenants Union".into(), RelationshipKind::WorksWith, "Someone".into(), true),
        ]
    );
}

#[test]
fn kumu_as_it_exports_with_attributes_and_powermap_s_own_kumu_export_read_back() {
    let (_dir, _path, store) = temp_store();
    let nested = r#"{"elements": [
        {"_id": "elem-a", "attributes": {"label": "City Council", "element type": "Government"}},
        {"_id": "elem-b", "attributes": {"label": "Riverside Foundation", "element type": "Foundation"}}],
      "connections": [{"_id": "c", "from": "elem-b", "to": "elem-a", "direction": "directed",
        "attributes": {"connection type": "Grant"}}]}"#;
    let (organizations, relationships) = imported(&store, read("kumu.json", nested).unwrap());
    assert_eq!(
        organizations,
        [("City Council".into(), Sector::Government), ("Riverside Foundation".into(), Sector::Funder)]
    );
    assert_eq!(relationships, [("Riverside Foundation".into(), RelationshipKind::Funds, "City Council".into(), false)]);

    // The sample, written as a Kumu blueprint and read back: the same names and lines.
    let sample = store.create_sample_session(1).unwrap();
    let data = store.load_session(&sample).unwrap();
    let files = export::session_files(
        &store,
        &sample,
        powermap_core::exchange::ExportFormat::Kumu,
        Default::default(),
        Default::default(),
    )
    .unwrap();
    let text = String::from_utf8(files[0].contents.clone()).unwrap();
    let map = read("sample.kumu.json", &text).unwrap();
    assert_eq!(map.preview.title, data.session.title, "the blueprint's name is the title");
    assert!(map.preview.skipped.is_empty(), "{:?}", map.preview.skipped);
    let (organizations, relationships) = imported(&store, map);
    let sectors: Vec<_> = data.organizations.iter().map(|o| (o.name.clone(), o.sector)).collect();
    assert_eq!(organizations, sectors, "names and sectors come back");
    let name = |id: &str| data.organizations.iter().find(|o| o.id == id).unwrap().name.clone();
    let lines: Vec<_> =
        data.relationships.iter().map(|r| (name(&r.from_id), r.kind, name(&r.to_id), r.mutual)).collect();
    assert_eq!(relationships, lines, "every line, its kind and direction come back");
}

#[test]
fn a_kumu_spreadsheet_saved_as_csv_sheets() {
    let (_dir, _path, store) = temp_store();
    let elements = "Label;Type;Description\nTenants Union;Community group;Door to door\nLocal 217;Labor union;\n";
    let connections =
        "From,To,Type,Direction\nLocal 217,Tenants Union,Member of,directed\nTenants Union,Nobody,Ally,\n";
    let files = [
        MapFile { name: "connections.csv", bytes: connections.as_bytes() },
        MapFile { name: "elements.csv", bytes: elements.as_bytes() },
    ];
    let map = maps::read(&files, 1, Lang::En).unwrap();
    assert_eq!(map.preview.format, "Kumu spreadsheet (CSV)");
    assert_eq!(map.preview.skipped.len(), 1, "the connection to an element not in the sheet");
    let (organizations, relationships) = imported(&store, map);
    assert_eq!(organizations, [("Tenants Union".into(), Sector::CommunityGroup), ("Local 217".into(), Sector::Union)]);
    assert_eq!(relationships, [("Local 217".into(), RelationshipKind::MemberOf, "Tenants Union".into(), false)]);

    // The connection sheet alone: its ends are the organizations.
    let (organizations, relationships) = imported(&store, read("connections.csv", connections).unwrap());
    let names: Vec<_> = organizations.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Local 217", "Tenants Union", "Nobody"]);
    assert_eq!(relationships.len(), 2);
}

#[test]
fn oligrapher_maps_of_version_3_and_2() {
    let (_dir, _path, store) = temp_store();
    let three = r#"{"version": 3, "attributes": {"title": "Who owns Riverside"},
      "graph": {"nodes": {"1": {"id": "1", "name": "Harbor Property Group"}, "2": {"name": "Mayor's Office"}},
                "edges": {"9": {"id": "9", "node1_id": "1", "node2_id": "2", "label": "Donor", "arrow": "1->2"},
                          "10": {"id": "10", "node1_id": 2, "node2_id": 1, "label": "Board member", "arrow": "2->1"}},
                "captions": {}}}"#;
    let map = read("x.json", three).unwrap();
    assert_eq!(
        (map.preview.format.as_str(), map.preview.title.as_str()),
        ("Oligrapher map (version 3)", "Who owns Riverside")
    );
    let (organizations, mut relationships) = imported(&store, map);
    assert_eq!(organizations.len(), 2);
    relationships.sort_by_key(|r| r.1 as u8);
    assert_eq!(
        relationships,
        [
            ("Harbor Property Group".into(), RelationshipKind::Funds, "Mayor's Office".into(), false),
            ("Harbor Property Group".into(), RelationshipKind::Leads, "Mayor's Office".into(), false),
        ],
        "“2->1” points from node 2 to node 1"
    );

    let two = r#"{"title": "Old map", "graph": {
        "nodes": [{"id": 1, "display": {"name": "Council"}}, {"id": 2, "display": {"name": "Chamber"}}],
        "edges": [{"id": 5, "node1_id": 1, "node2_id": 2, "display": {"label": "Allies", "arrow": false}}]}}"#;
    let map = read("y.json", two).unwrap();
    assert_eq!(map.preview.format, "Oligrapher map (version 2)");
    let (_, relationships) = imported(&store, map);
    assert_eq!(
        relationships,
        [("Council".into(), RelationshipKind::WorksWith, "Chamber".into(), true)],
        "no arrow: both ways"
    );
}

#[test]
fn malformed_maps_are_refused_clearly_and_add_nothing() {
    let (_dir, _path, store) = temp_store();
    let before = everything(&store);
    let cases: &[(&str, &[u8], &str)] = &[
        ("broken.json", b"{\"elements\": [", "not valid"),
        ("other.json", b"{\"nodes\": []}", "not a map Powermap reads"),
        ("kumu.json", b"{\"elements\": 5}", "is not a list"),
        ("kumu.json", b"{\"elements\": [], \"connections\": []}", "empty"),
        ("kumu.json", b"{\"elements\": [{\"label\": \"\\u0007\"}]}", "no element that can be imported"),
        ("oli.json", b"{\"graph\": {\"nodes\": []}}", "no nodes"),
        ("oli.json", b"{\"graph\": {\"nodes\": 3}}", "neither a list nor an object"),
        ("table.csv", b"Who,Sector\nUnion,union\n", "neither a Kumu element sheet"),
        ("empty.csv", b"", "empty"),
        ("latin1.csv", b"Label\nCaf\xe9\n", "not UTF-8"),
        ("newer.json", b"{\"format\": \"powermap/9\"}", "powermap/9"),
    ];
    for (name, bytes, says) in cases {
        let result = maps::read(&[MapFile { name, bytes }], 1, Lang::En).and_then(|map| maps::import(&store, map));
        match &result {
            Err(e) => assert!(e.to_string().contains(says), "{name}: “{e}” should say “{says}”"),
            Ok(_) => panic!("{name}: a malformed map was imported"),
        }
        refused(&store, &before, result, ErrorCode::BadImport);
    }
    let two = [MapFile { name: "a.csv", bytes: b"Label\nA\n" }, MapFile { name: "b.csv", bytes: b"Label\nB\n" }];
    let result = maps::read(&two, 1, Lang::En).and_then(|map| maps::import(&store, map));
    refused(&store, &before, result, ErrorCode::BadImport);
}

/// Issue 27, item 1: the issue's minimal file previewed clean and then the import refused
/// it whole ("relationship 2 draws the same line twice"). The preview is the import's own
/// checks: it names the second line as skipped, and the import skips it too.
#[test]
fn issue_27_the_preview_names_what_the_import_would_refuse_and_the_import_skips_it() {
    let (_dir, _path, store) = temp_store();
    let file = r#"{"elements":[{"label":"A"},{"label":"B"}],"connections":[{"from":"A","to":"B","direction":"undirected"},{"from":"A","to":"B"}]}"#;
    let map = read("minimal.json", file).unwrap();
    let skipped: Vec<_> = map.preview.skipped.iter().map(|s| format!("{}: {}", s.what, s.why)).collect();
    assert_eq!(skipped, ["connection 2 (“A” → “B”): the same line is already drawn"]);
    assert_eq!(map.preview.relationships, ["A works with B (both ways)"]);
    let (organizations, relationships) = imported(&store, map);
    assert_eq!(organizations.len(), 2);
    assert_eq!(relationships, [("A".into(), RelationshipKind::WorksWith, "B".into(), true)], "the import as previewed");
}

/// Issue 27, item 3: Powermap → Kumu → Powermap keeps every note (the note is the
/// connection's description, the kind its type), strength, direction, and who is led by
/// directly affected people.
#[test]
fn powermap_to_kumu_to_powermap_keeps_every_note() {
    use powermap_core::model::{Actor, OrganizationFields, RelationshipFields, SessionFields, Stamp};
    let (_dir, _path, store) = temp_store();
    let stamp = || Stamp::new(1, Actor::Facilitator);
    let fields = SessionFields { title: "Round trip".into(), ..Default::default() };
    let session = store.create_session(&fields, Lang::En, 1).unwrap();
    let mut union = OrganizationFields::named("Tenants Union");
    union.directly_affected = true;
    union.notes = "Door to door on Saturdays".into();
    let union = store.add_organization(&session.id, &union, stamp()).unwrap().value;
    let bank = store.add_organization(&session.id, &OrganizationFields::named("Harbor Bank"), stamp()).unwrap().value;
    let notes = [
        (RelationshipKind::Funds, false, 1, "$6,600"),
        (RelationshipKind::Opposes, true, 3, "Institutional investor\nsince 2019"),
    ];
    for (kind, mutual, strength, note) in notes {
        let line = RelationshipFields {
            from_id: bank.id.clone(),
            to_id: union.id.clone(),
            kind,
            mutual,
            strength,
            note: note.into(),
        };
        store.add_relationship(&session.id, &line, stamp()).unwrap();
    }
    let files = export::session_files(
        &store,
        &session.id,
        powermap_core::exchange::ExportFormat::Kumu,
        Default::default(),
        Default::default(),
    )
    .unwrap();
    let blueprint = String::from_utf8(files[0].contents.clone()).unwrap();
    let written: serde_json::Value = serde_json::from_str(&blueprint).unwrap();
    assert_eq!(written["connections"][0]["attributes"]["description"], "$6,600", "the note is the description");
    assert_eq!(written["connections"][0]["attributes"]["connection type"], "funds", "the kind is the type");

    let map = read("round-trip.json", &blueprint).unwrap();
    assert!(map.preview.skipped.is_empty() && map.preview.merged.is_empty(), "{:?}", map.preview);
    let id = maps::import(&store, map).unwrap();
    let back = store.load_session(&id).unwrap();
    let original = store.load_session(&session.id).unwrap();
    let organizations = |data: &powermap_core::model::SessionData| -> Vec<_> {
        data.organizations.iter().map(|o| (o.name.clone(), o.sector, o.directly_affected, o.notes.clone())).collect()
    };
    assert_eq!(organizations(&back), organizations(&original), "names, sectors, led by directly affected, notes");
    let lines = |data: &powermap_core::model::SessionData| -> Vec<_> {
        let name = |id: &str| data.organizations.iter().find(|o| o.id == id).unwrap().name.clone();
        data.relationships
            .iter()
            .map(|r| (name(&r.from_id), r.kind, name(&r.to_id), r.mutual, r.strength, r.note.clone()))
            .collect()
    };
    assert_eq!(lines(&back), lines(&original), "every note, kind, direction and strength");
}

/// Issue 27, item 6: the new session's notes say where it came from in the reader's
/// language, not a catalog key.
#[test]
fn the_new_session_s_notes_say_where_it_came_from_in_the_reader_s_language() {
    let file = r#"{"elements":[{"label":"A"}]}"#;
    let bytes = [MapFile { name: "a.json", bytes: file.as_bytes() }];
    for (lang, notes) in [
        (Lang::En, "Imported from a Kumu blueprint (JSON)."),
        (Lang::Es, "Importado de un blueprint de Kumu (JSON)."),
        (Lang::Fr, "Importé d’un blueprint Kumu (JSON)."),
    ] {
        let map = maps::read(&bytes, 1, lang).unwrap();
        assert_eq!(map.document.session.notes, notes, "{lang:?}");
    }
}

/// Issue 27, items 6, 7 and 9: a spreadsheet cut inside a quoted cell, a file nested too
/// deeply and a file over the size limit are refused, saying so, and add nothing.
#[test]
fn cut_deep_and_oversized_maps_are_refused_saying_why() {
    let (dir, _path, store) = temp_store();
    let before = everything(&store);
    let deep = format!("{{\"elements\": {}{}}}", "[".repeat(300), "]".repeat(300));
    let cut = "Label,Description\nTenants Union,\"Meets at the library\nSisters of Mercy,Food bank\n";
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("elements.csv", cut.as_bytes().to_vec(), "ends inside a quoted cell opened on line 2"),
        ("deep.json", deep.into_bytes(), "nested too deeply"),
        ("huge.json", vec![b' '; 20 * 1024 * 1024 + 1], "Powermap imports maps of up to 20 MB"),
    ];
    for (name, bytes, says) in &cases {
        let result = maps::read(&[MapFile { name, bytes }], 1, Lang::En).and_then(|map| maps::import(&store, map));
        match &result {
            Err(e) => assert!(e.to_string().contains(says), "{name}: “{e}” should say “{says}”"),
            Ok(_) => panic!("{name}: imported"),
        }
        refused(&store, &before, result, ErrorCode::BadImport);
    }
    // A file on disk over the limit is refused by the length it states (this one is sparse:
    // 30 MB stated, none written), with its size in the message.
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge).unwrap().set_len(30 * 1024 * 1024).unwrap();
    let error = maps::read_file(&huge).expect_err("too large");
    assert_eq!(error.code(), ErrorCode::BadImport);
    assert!(error.to_string().contains("is 30.0 MB; Powermap imports maps of up to 20 MB"), "{error}");
    let small = dir.path().join("small.json");
    std::fs::write(&small, b"{}").unwrap();
    assert_eq!(maps::read_file(&small).unwrap(), b"{}");
}
