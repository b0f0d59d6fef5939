use std::collections::HashSet;

use powermap_core::exchange::export;
use powermap_core::exchange::organizations_csv;
use powermap_core::exchange::{self, ExportFormat};
use powermap_core::model::Point;
use powermap_core::summary::{self, Paper, Summary};
use powermap_core::Store;

use crate::temp_store;

/// The sample session as the fixture: a dozen organizations on two grids, five commitments.
fn fixture() -> (tempfile::TempDir, Store, Summary) {
    let (dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let summary = Summary::read(&store, &id).unwrap();
    (dir, store, summary)
}

fn all_commitments(summary: &Summary) -> Vec<&powermap_core::model::Commitment> {
    summary.commitments.iter().flat_map(|g| g.commitments.iter()).collect()
}

#[test]
fn html_holds_everything_and_nothing_external() {
    let (_dir, _store, summary) = fixture();
    let html = summary::to_html(&summary);
    for o in &summary.organizations {
        let escaped = o.name.replace('\'', "&#39;");
        assert!(html.contains(&escaped), "the HTML names {}", o.name);
    }
    for c in all_commitments(&summary) {
        assert!(html.contains(&c.action), "the HTML lists the commitment {}", c.action);
    }
    assert_eq!(html.matches("<svg").count(), summary.grids.len(), "one picture per grid");
    for external in ["http:", "https:", "src=", "url(", "@import", "<link"] {
        assert!(!html.contains(external), "a self-contained page has no {external}");
    }
    assert!(html.contains("break-inside: avoid"), "grids and rows are kept whole across pages");
}

#[test]
fn markdown_has_a_table_per_grid_and_per_holder() {
    let (_dir, _store, summary) = fixture();
    let md = summary::to_markdown(&summary);
    assert!(md.starts_with("# Sample: Riverside housing-rights coalition\n"));
    assert_eq!(md.matches("| Region | Organizations |\n|---|---|").count(), summary.grids.len());
    assert!(md.contains("| Manage closely | "), "regions are rows");
    let council_row = md.lines().find(|l| l.starts_with("| Manage closely |")).unwrap();
    assert!(council_row.contains("City Council Housing Committee"), "{council_row}");
    assert_eq!(md.matches("| What | Person | By when | Status |").count(), summary.commitments.len());
    for c in all_commitments(&summary) {
        assert!(md.contains(&format!("| {} |", c.action)), "{} has a row", c.action);
    }
    assert!(md.contains("★ led by directly affected people"));
}

#[test]
fn csv_reads_back_with_every_placement_and_commitment() {
    let (_dir, _store, summary) = fixture();
    let text = summary::organizations_csv(&summary).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 8 + 3 * summary.grids.len());
    assert_eq!(&header[7], "contact");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), summary.organizations.len());
    let union = rows.iter().find(|r| &r[1] == "Building Trades Local 217").unwrap();
    assert_eq!(&union[7], "Joe Kowalski, business agent", "the contact is a column");
    for (grid_index, grid) in summary.grids.iter().enumerate() {
        let base = 8 + 3 * grid_index;
        for card in &grid.cards {
            let row = rows.iter().find(|r| &r[0] == card.organization.id.as_str()).unwrap();
            let x: f64 = row[base].parse().unwrap();
            let y: f64 = row[base + 1].parse().unwrap();
            assert!((x - card.x).abs() < 1e-4 && (y - card.y).abs() < 1e-4);
            let region = &grid.grid.labels.regions[grid.grid.kind.region_at(card.x, card.y)];
            assert_eq!(&row[base + 2], region.as_str());
        }
    }
    let text = summary::commitments_csv(&summary).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), all_commitments(&summary).len());
    let union = rows.iter().find(|r| r[3].contains("union executive")).unwrap();
    assert_eq!((&union[1], &union[2], &union[5]), ("Building Trades Local 217", "Maria", "Open"));
}

#[test]
fn ics_has_a_todo_per_dated_commitment_with_stable_uids() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let (_dir, _store, summary) = fixture();
    let text = summary::to_ics(&summary);
    let calendar: Calendar = text.parse().expect("a calendar library reads it");
    let todos: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Todo(todo) => Some(todo),
            _ => None,
        })
        .collect();
    let dated: Vec<_> = all_commitments(&summary).into_iter().filter(|c| c.due.is_some()).collect();
    assert_eq!(todos.len(), dated.len());
    for c in dated {
        let todo = todos
            .iter()
            .find(|t| t.get_uid() == Some(&format!("{}@powermap", c.id)))
            .unwrap_or_else(|| panic!("a to-do with the commitment's id for {}", c.action));
        let due = todo.property_value("DUE").unwrap();
        assert_eq!(due, c.due.as_deref().unwrap().replace('-', ""), "due on the commitment's date");
        assert!(todo.get_summary().unwrap().starts_with(&c.action));
    }
    assert_eq!(summary::to_ics(&summary), text, "a re-export is identical, so calendars update rather than duplicate");
}

#[test]
fn svg_cards_sit_at_their_placements_whole_inside_the_grid() {
    let (_dir, store, summary) = fixture();
    // Four cards of the first grid in its four corners.
    let grid = &summary.grids[0];
    for (card, (x, y)) in grid.cards.iter().zip([(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)]) {
        store.place_card(&grid.grid.id, &card.organization.id, Point::new(x, y).unwrap(), 1).unwrap();
    }
    let summary = Summary::read(&store, &summary.session.id).unwrap();
    let (left, top, width, height) = summary::drawing::PLOT;
    for grid in &summary.grids {
        let svg = summary::to_svg(grid, true);
        let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        let mut seen = HashSet::new();
        for card in document.descendants().filter(|n| n.has_attribute("data-card")) {
            let id = card.attribute("data-org-id").unwrap();
            let rect = card.children().find(|n| n.has_tag_name("rect")).unwrap();
            let value = |name: &str| rect.attribute(name).unwrap().parse::<f64>().unwrap();
            let (x, y, w, h) = (value("x"), value("y"), value("width"), value("height"));
            let placed = grid.cards.iter().find(|c| c.organization.id == id).unwrap();
            // Centred on its point, slid inward as far as it would stick out of the grid.
            let (px, py) = summary::picture::to_picture(placed.x, placed.y);
            let (px, py) =
                (px.clamp(left + w / 2.0, left + width - w / 2.0), py.clamp(top + h / 2.0, top + height - h / 2.0));
            assert!((x + w / 2.0 - px).abs() < 0.1 && (y + h / 2.0 - py).abs() < 0.1, "{id} drawn at its placement");
            assert!(
                x >= left && y >= top && x + w <= left + width && y + h <= top + height,
                "{id} whole inside the grid"
            );
            seen.insert(id.to_string());
        }
        assert_eq!(seen.len(), grid.cards.len(), "every card of {} is drawn", grid.grid.title);
    }
}

#[test]
fn export_names_its_files() {
    let (_dir, _store, summary) = fixture();
    let names =
        |format| exchange::export(&summary, format, Paper::A4).unwrap().into_iter().map(|f| f.name).collect::<Vec<_>>();
    assert_eq!(names(ExportFormat::Csv), ["organizations.csv", "commitments.csv", "said-and-done.csv"]);
    assert_eq!(names(ExportFormat::Svg), ["1-power-and-interest.svg", "2-spectrum-of-allies.svg"]);
    assert_eq!(names(ExportFormat::Html), ["summary.html"]);
    assert_eq!(names(ExportFormat::Pdf), ["summary.pdf"]);
}

/// Runs a poppler tool (pdftotext, pdfinfo) on a PDF file; returns its output.
fn poppler(tool: &str, pdf: &std::path::Path) -> String {
    let output = std::process::Command::new(tool)
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("{tool} runs (apt-get install poppler-utils): {e}"));
    assert!(output.status.success(), "{tool} reads the PDF: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn pdf_holds_the_title_every_organization_and_commitment() {
    let (dir, _store, summary) = fixture();
    let path = dir.path().join("summary.pdf");
    std::fs::write(&path, summary::to_pdf(&summary, Paper::A4).unwrap()).unwrap();
    let text = poppler("pdftotext", &path);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Sample: Riverside housing-rights coalition"), "{flat}");
    for o in &summary.organizations {
        assert!(flat.contains(&o.name), "the PDF names {}", o.name);
    }
    for c in all_commitments(&summary) {
        assert!(flat.contains(&c.action), "the PDF lists {}", c.action);
    }
    let info = std::process::Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo counts the pages");
    // Two grids of a third of a page each, their region tables, five commitments.
    assert!((2..=4).contains(&pages), "{pages} pages for the sample");
}

#[test]
fn a_long_session_gets_more_pages_and_no_row_is_lost() {
    let (dir, _path, store) = temp_store();
    let id = crate::session(&store, "Big coalition", 1);
    let names: String = (1..=120).map(|n| format!("Member organization number {n}\n")).collect();
    store.add_organizations_from_list(&id, &names, 2).unwrap();
    let summary = Summary::read(&store, &id).unwrap();
    let path = dir.path().join("big.pdf");
    std::fs::write(&path, summary::to_pdf(&summary, Paper::A4).unwrap()).unwrap();
    let text = poppler("pdftotext", &path);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Member organization number 120"), "the last name is printed");
}

#[test]
fn pdf_prints_names_in_other_scripts_as_typed_on_a4_or_letter() {
    let (dir, _path, store) = temp_store();
    let id = crate::session(&store, "Жилищная коалиция — Łódź", 1);
    let names = ["Союз жильцов", "Łódzkie Stowarzyszenie Lokatorów", "Ένωση Ενοικιαστών", "Café Solidarité"];
    store.add_organizations_from_list(&id, &names.join("\n"), 2).unwrap();
    let summary = Summary::read(&store, &id).unwrap();
    for (paper, size) in [(Paper::A4, "595.28 x 841.89 pts (A4)"), (Paper::Letter, "612 x 792 pts (letter)")] {
        let files = exchange::export(&summary, ExportFormat::Pdf, paper).unwrap();
        let path = dir.path().join(format!("{paper:?}.pdf"));
        exchange::write_files(&files, ExportFormat::Pdf, &path).unwrap();
        let flat = poppler("pdftotext", &path).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Жилищная коалиция — Łódź"), "the title reads as typed: {flat}");
        for name in names {
            assert!(flat.contains(name), "the PDF names {name} as typed");
        }
        let info = std::process::Command::new("pdfinfo").arg(&path).output().unwrap();
        assert!(String::from_utf8_lossy(&info.stdout).contains(size), "{paper:?} pages are {size}");
        let fonts = std::process::Command::new("pdffonts").arg(&path).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
        for line in fonts.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                columns[columns.len() - 5..columns.len() - 2],
                ["yes", "yes", "yes"],
                "embedded, subset, with text: {line}"
            );
        }
        let faces: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(faces.iter().all(|f| f.contains("+DejaVuSans")), "the built-in faces only: {fonts}");
    }
}

/// Names in the scripts of the coalitions' members, and how they read back: in reading
/// order, as typed.
const WORLD_NAMES: [&str; 8] = [
    "北京市民协会",
    "東京の市民ネットワーク",
    "서울 세입자 연대",
    "جمعية سكان الحي",
    "ועד השכונה",
    "किसान संघर्ष समिति",
    "🌱 Green Tenants ✊🏽",
    "Comité de Vivienda 🏠",
];

#[test]
fn pdf_prints_every_script_as_typed_in_reading_order() {
    let (dir, _path, store) = temp_store();
    // Each name as a session's title, alone on its line, so the reader's reading order is
    // the one tested (within a line of several names, pdftotext guesses).
    for (n, name) in WORLD_NAMES.iter().enumerate() {
        let id = crate::session(&store, name, 1);
        store.add_organizations_from_list(&id, &WORLD_NAMES.join("\n"), 2).unwrap();
        let summary = Summary::read(&store, &id).unwrap();
        let files = exchange::export(&summary, ExportFormat::Pdf, Paper::A4).unwrap();
        let path = dir.path().join(format!("world-{n}.pdf"));
        exchange::write_files(&files, ExportFormat::Pdf, &path).unwrap();
        // pdftotext marks right-to-left text with embedding controls, which draw nothing.
        let text: String =
            poppler("pdftotext", &path).chars().filter(|c| !('\u{202a}'..='\u{202e}').contains(c)).collect();
        assert_eq!(text.lines().next(), Some(*name), "the title reads back as typed");
        let fonts = std::process::Command::new("pdffonts").arg(&path).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
        for family in ["DejaVuSans", "NotoSansCJK", "NotoSansDevanagari", "Symbola"] {
            assert!(fonts.contains(family), "{family} is embedded: {fonts}");
        }
        for line in fonts.lines().skip(2) {
            let columns: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(columns[columns.len() - 5..columns.len() - 2], ["yes", "yes", "yes"], "embedded: {line}");
        }
    }
}

/// The sample with its organizations renamed to [`WORLD_NAMES`] (their cards keep their
/// places), and one name with a character no font has.
fn world_sample() -> (tempfile::TempDir, std::path::PathBuf, Store, String) {
    let names: Vec<String> = WORLD_NAMES.iter().map(|n| format!("'{n}'")).collect();
    edited_by_hand(&format!(
        "UPDATE organization SET short_label = '', name = CASE (SELECT count(*) FROM organization o \
         WHERE o.rowid < organization.rowid) {} ELSE 'Unión Sur \u{378}' || rowid END",
        names.iter().enumerate().map(|(n, name)| format!("WHEN {n} THEN {name}")).collect::<Vec<_>>().join(" ")
    ))
}

#[test]
fn pictures_set_every_script_in_the_faces_the_pdf_uses() {
    let (dir, _path, store, id) = world_sample();
    let summary = Summary::read(&store, &id).unwrap();
    let grid = &summary.grids[0];
    // The SVG names the face of each stretch the built-in face lacks, as the PDF sets it.
    let svg = summary::to_svg(grid, true);
    let document = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let drawn: String = document
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .flat_map(|n| n.descendants().filter_map(|t| t.text()))
        .collect();
    assert!(drawn.contains("Unión Sur") && !drawn.contains('\u{378}'), "a character no face has is not drawn");
    assert!(svg.contains("<title>Unión Sur \u{378}"), "the card's title keeps the name as it is");
    for family in ["Noto Sans CJK SC", "Noto Sans Devanagari", "Symbola"] {
        assert!(svg.contains(&format!(r#"<tspan font-family="{family}">"#)), "{family} is named: {svg}");
    }
    // The PNG draws each card's name: dark pixels of text inside every card of the picture.
    let png = summary::to_png(grid, 1.0).unwrap();
    let image = resvg::tiny_skia::Pixmap::decode_png(&png).expect("a PNG");
    for card in summary::drawing::draw(grid).iter().filter_map(|shape| match shape {
        summary::drawing::Shape::Card(card) => Some(card),
        _ => None,
    }) {
        let mut dark = 0;
        for x in (card.x + 14.0) as u32..(card.x + card.w - 4.0) as u32 {
            for y in (card.y + 6.0) as u32..(card.y + card.h - 6.0) as u32 {
                let p = image.pixel(x, y).unwrap();
                if p.red() < 100 && p.green() < 100 && p.blue() < 100 {
                    dark += 1;
                }
            }
        }
        assert!(dark > 40, "the name of {} is drawn in its card ({dark} dark pixels)", card.name);
    }
    // What was left out is said, naming the organization.
    let export = export::prepare(
        &store,
        &id,
        ExportFormat::Png,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &dir.path().join("png"),
    )
    .unwrap();
    let notice = export.notice().expect("the export says what it left out");
    assert!(notice.contains("“\u{378}” (U+0378) in “Unión Sur \u{378}"), "{notice}");
}

#[test]
fn a_pdf_says_which_characters_no_face_has_and_draws_no_box_for_them() {
    let (dir, _path, store, id) = world_sample();
    let path = dir.path().join("summary.pdf");
    let export =
        export::prepare(&store, &id, ExportFormat::Pdf, Paper::A4, powermap_core::i18n::Lang::En, &path).unwrap();
    let notice = export.notice().expect("the export says what it left out");
    assert!(notice.contains("(U+0378) in “Unión Sur \u{378}"), "{notice}");
    let report = export.write_reporting().unwrap();
    assert_eq!(report.unprintable.iter().map(|u| u.character).collect::<Vec<_>>(), ['\u{378}']);
    assert!(report.unprintable[0].text.starts_with("Unión Sur"), "{:?}", report.unprintable);
    let text = poppler("pdftotext", &path);
    assert!(text.contains("Unión Sur"), "the rest of the name is printed: {text}");
    assert!(!text.contains('\u{378}'), "the character is not in the PDF");
    // Every glyph shown has a character (glyph 0, the box, would have none).
    for name in WORLD_NAMES {
        assert!(
            text.split_whitespace().collect::<String>().contains(&name.split_whitespace().collect::<String>())
                || name.chars().any(|c| ('\u{0590}'..'\u{0900}').contains(&c)),
            "{name} is printed: {text}"
        );
    }
    // Formats with nothing drawn say nothing.
    let markdown = export::prepare(
        &store,
        &id,
        ExportFormat::Md,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &dir.path().join("s.md"),
    )
    .unwrap();
    assert_eq!(markdown.notice(), None);
}

#[test]
fn the_summary_is_written_in_spanish_or_french() {
    use powermap_core::i18n::Lang;
    let (dir, _store, summary) = fixture();
    let date = summary.session.date.clone().expect("the sample has a date");
    let (year, month, day) = (&date[..4], date[5..7].parse::<usize>().unwrap(), date[8..].parse::<u32>().unwrap());
    let months = |names: &str| names.split(' ').nth(month - 1).unwrap().to_string();
    let english = summary::to_markdown(&summary);
    let spanish = summary::to_markdown(&summary.clone().in_language(Lang::Es));
    let french = summary::to_markdown(&summary.clone().in_language(Lang::Fr));
    let french_day = if day == 1 { "1er".to_string() } else { day.to_string() };
    for (text, words, written_date) in [
        (
            &english,
            ["## Commitments", "**Date:** ", "| What | Person | By when | Status |", "| Open |"],
            format!(
                "{} {day}, {year}",
                months("January February March April May June July August September October November December")
            ),
        ),
        (
            &spanish,
            ["## Compromisos", "**Fecha:** ", "| Qué | Persona | Para cuándo | Estado |", "| Abierto |"],
            format!(
                "{day} de {} de {year}",
                months("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre")
            ),
        ),
        (
            &french,
            ["## Engagements", "**Date\u{a0}:** ", "| Quoi | Personne | Pour quand | État |", "| Ouvert |"],
            format!(
                "{french_day} {} {year}",
                months("janvier février mars avril mai juin juillet août septembre octobre novembre décembre")
            ),
        ),
    ] {
        for word in words {
            assert!(text.contains(word), "{word} in {text}");
        }
        assert!(text.contains(&written_date), "the date written {written_date}: {text}");
    }
    for english_word in ["Commitments", "Organizations", "Region", "Participants:", "Said and done", "Relationships"] {
        assert!(!spanish.contains(english_word), "“{english_word}” is left in the Spanish summary");
    }
    assert!(summary::to_html(&summary.clone().in_language(Lang::Fr)).contains("<html lang=\"fr\">"));
    let ics = summary::to_ics(&summary.clone().in_language(Lang::Es));
    assert!(ics.contains("DESCRIPTION:Quién: "), "{ics}");
    // The PDF too, read back.
    let path = dir.path().join("resumen.pdf");
    std::fs::write(&path, summary::to_pdf(&summary.clone().in_language(Lang::Fr), Paper::A4).unwrap()).unwrap();
    let flat = poppler("pdftotext", &path).split_whitespace().collect::<Vec<_>>().join(" ");
    for word in ["Engagements", "Participants :", "Organisations", "Paroles et actes"] {
        assert!(flat.contains(word), "{word} in the French PDF: {flat}");
    }
}

#[test]
fn a_name_without_spaces_wider_than_its_column_is_broken_not_lost() {
    let (dir, _path, store) = temp_store();
    let id = crate::session(&store, "Long names", 1);
    let long = "Neighbourhood".repeat(15);
    store.add_organizations_from_list(&id, &long, 2).unwrap();
    let summary = Summary::read(&store, &id).unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, summary::to_pdf(&summary, Paper::A4).unwrap()).unwrap();
    let text: String = poppler("pdftotext", &path).split_whitespace().collect();
    assert!(text.contains(&long), "every letter of the name is printed");
}

#[cfg(unix)]
#[test]
fn exported_files_are_readable_like_any_other_file() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _store, summary) = fixture();
    let path = dir.path().join("summary.md");
    let files = exchange::export(&summary, ExportFormat::Md, Paper::A4).unwrap();
    exchange::write_files(&files, ExportFormat::Md, &path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644, "a new file is rw-r--r--");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    exchange::write_files(&files, ExportFormat::Md, &path).unwrap();
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600, "a replaced file keeps its own");
}

#[test]
fn the_summary_says_what_moved_during_the_session() {
    use powermap_core::model::{OrganizationFields, Point};
    let (dir, _path, store) = temp_store();
    let id = crate::session(&store, "Second round", 1);
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    let org = |name: &str| store.add_organization(&id, &OrganizationFields::named(name), 2).unwrap().value.id;
    let (council, parish, union, chamber) = (org("Council"), org("Parish"), org("Union"), org("Chamber"));
    let at = |x, y| Point::new(x, y).unwrap();
    store.place_card(&grid, &council, at(0.2, 0.8), 3).unwrap();
    store
        .place_card(
            &grid,
            &council,
            at(0.8, 0.8),
            powermap_core::model::Stamp::new(4, powermap_core::model::Actor::moving_as("Maria")),
        )
        .unwrap();
    store.place_card(&grid, &parish, at(0.2, 0.2), 5).unwrap();
    store.place_card(&grid, &parish, at(0.3, 0.3), 6).unwrap();
    store.place_card(&grid, &union, at(0.8, 0.2), 7).unwrap();
    store.return_card_to_tray(&grid, &union, 8).unwrap();
    store.place_card(&grid, &chamber, at(0.2, 0.2), 9).unwrap();
    store.place_card(&grid, &chamber, at(0.8, 0.8), 10).unwrap();
    store.undo(&id, 11).unwrap();

    let summary = Summary::read(&store, &id).unwrap();
    let lines: Vec<String> = summary.grids[0].moved.iter().map(|m| m.line(powermap_core::i18n::Lang::En)).collect();
    assert_eq!(
        lines,
        ["Council: Keep satisfied → Manage closely (moved by Maria)", "Union: Keep informed → off the grid"],
        "a move within a region, and one undone, are not news"
    );
    let markdown = summary::to_markdown(&summary);
    assert!(
        markdown.contains("Moved during the session:\n\n- Council: Keep satisfied → Manage closely (moved by Maria)\n"),
        "{markdown}"
    );
    assert!(summary::to_html(&summary).contains("<li>Union: Keep informed → off the grid</li>"));
    let path = dir.path().join("moves.pdf");
    std::fs::write(&path, summary::to_pdf(&summary, Paper::A4).unwrap()).unwrap();
    let flat = poppler("pdftotext", &path).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Council: Keep satisfied → Manage closely (moved by Maria)"), "{flat}");

    let (_dir, _store, sample) = fixture();
    assert!(sample.grids.iter().all(|g| g.moved.is_empty()), "a session with no moves says nothing moved");
}

#[test]
fn png_pictures_are_drawn_at_their_size() {
    let (_dir, _store, summary) = fixture();
    let png = summary::to_png(&summary.grids[0], 1.0).unwrap();
    let image = resvg::tiny_skia::Pixmap::decode_png(&png).expect("a PNG");
    assert_eq!((image.width(), image.height()), (1200, 880));
    // A card is white on a tinted region: the picture is drawn, not blank.
    let card = &summary.grids[0].cards[0];
    let (x, y) = summary::picture::to_picture(card.x, card.y);
    let pixel = image.pixel(x as u32, y as u32 - 10).unwrap();
    assert_eq!((pixel.red(), pixel.green(), pixel.blue()), (255, 255, 255), "the card's box is there");
    let region = image.pixel(100, 30).unwrap();
    assert_ne!((region.red(), region.green(), region.blue()), (255, 255, 255), "the region is tinted");
}

#[test]
fn a_session_with_nothing_in_it_exports_or_says_why_not() {
    let (dir, _path, store) = temp_store();
    let id = crate::session(&store, "Empty", 1);
    let grid = store.load_session(&id).unwrap().grids[0].id.clone();
    store.remove_grid(&grid, 2).unwrap();
    for format in [
        ExportFormat::Json,
        ExportFormat::Html,
        ExportFormat::Md,
        ExportFormat::Csv,
        ExportFormat::Ics,
        ExportFormat::Pdf,
    ] {
        let files = export::session_files(&store, &id, format, Paper::A4, powermap_core::i18n::Lang::En).unwrap();
        let target = dir.path().join(format!("{format:?}"));
        exchange::write_files(&files, format, &target).unwrap();
    }
    let flat = poppler("pdftotext", &dir.path().join("Pdf")).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Empty") && flat.contains("No commitments were recorded."), "{flat}");
    for format in [ExportFormat::Svg, ExportFormat::Png] {
        let refused = export::session_files(&store, &id, format, Paper::A4, powermap_core::i18n::Lang::En).unwrap_err();
        assert_eq!(refused.code(), powermap_core::ErrorCode::Conflict, "a picture of no grid does not fit the session");
        assert!(refused.to_string().contains("no grid to draw"), "{refused}");
    }
}

/// A session whose text is written to attack the programs that open the exports: formulas
/// for spreadsheets, markup for Markdown renderers, separators for calendars, and a long
/// title in a script of three-byte characters.
fn hostile() -> (tempfile::TempDir, Store, Summary) {
    use powermap_core::model::{CommitmentFields, GridKind, OrganizationFields, Point};
    let (dir, _path, store) = temp_store();
    let fields =
        powermap_core::model::SessionFields { title: "Coalition, Spring; \\ review".into(), ..Default::default() };
    let session = store.create_session(&fields, powermap_core::i18n::Lang::En, 1).unwrap().id;
    let grid =
        store.add_grid(&session, GridKind::PowerInterest, &"權".repeat(200), powermap_core::i18n::Lang::En, 2).unwrap();
    let names = [
        "=HYPERLINK(\"http://evil.example\",\"Click\")",
        "+1+2",
        "-2+3",
        "@SUM(A1:A2)",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "# Heading, really",
        "1. Not a list",
    ];
    for (n, name) in names.iter().enumerate() {
        let organization = store.add_organization(&session, &OrganizationFields::named(name), 3).unwrap();
        let point = Point::new(0.1 + n as f64 * 0.1, 0.5).unwrap();
        store.place_card(&grid.id, &organization.id, point, 4).unwrap();
    }
    let commitment = CommitmentFields {
        action: "Call the mayor, then; the press".into(),
        person: "=cmd|' /C calc'!A0".into(),
        due: Some("2026-05-01".into()),
        notes: "First line\nBEGIN:VTODO\nSUMMARY:injected".into(),
        organization_id: None,
        status: powermap_core::model::CommitmentStatus::Open,
    };
    store.add_commitment(&session, &commitment, 5).unwrap();
    let summary = Summary::read(&store, &session).unwrap();
    (dir, store, summary)
}

#[test]
fn csv_cells_never_start_a_formula() {
    let (_dir, _store, summary) = hostile();
    for text in [
        summary::organizations_csv(&summary).unwrap(),
        summary::commitments_csv(&summary).unwrap(),
        summary::said_and_done_csv(&summary).unwrap(),
    ] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a spreadsheet would run {cell:?}");
            }
        }
    }
    let organizations = summary::organizations_csv(&summary).unwrap();
    assert!(organizations.contains("'=HYPERLINK("), "the formula is kept as text behind an apostrophe");
    assert!(organizations.contains("'@SUM(A1:A2)"));
}

#[test]
fn csv_export_reads_back_into_the_same_names() {
    let (_dir, store, summary) = hostile();
    let text = summary::organizations_csv(&summary).unwrap();
    // Only the columns the import knows; ids and places stay behind.
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["name"]).unwrap();
    for record in reader.records() {
        writer.write_record([&record.unwrap()[1]]).unwrap();
    }
    let file = writer.into_inner().unwrap();
    let target = crate::session(&store, "Re-import", 10);
    let preview = organizations_csv::preview(&store, &target, &file).unwrap();
    let names: Vec<&str> = preview.organizations.iter().map(|o| o.name.as_str()).collect();
    let original: Vec<&str> = summary.organizations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, original, "the apostrophe the export adds comes off on import");
}

#[test]
fn ics_text_cannot_add_lines_or_cut_values() {
    use icalendar::{Calendar, CalendarComponent};
    let (_dir, _store, summary) = hostile();
    let text = summary::to_ics(&summary);
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "a line of {} octets: {line}", line.len());
        assert!(!line.contains('\n') && !line.contains('\r'), "lines end in CRLF only");
    }
    let unfolded = text.replace("\r\n ", "");
    let starts = unfolded.split("\r\n").filter(|l| l.starts_with("BEGIN:VTODO")).count();
    assert_eq!(starts, 1, "the note's BEGIN:VTODO stays inside its value");
    let calendar: Calendar = text.parse().expect("a calendar library reads it");
    let todos: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Todo(todo) => Some(todo),
            _ => None,
        })
        .collect();
    assert_eq!(todos.len(), 1);
    assert!(unfolded.contains("NAME:Coalition\\, Spring\\; \\\\ review\r\n"), "the calendar's name is escaped");
    assert!(unfolded.contains("SUMMARY:Call the mayor\\, then\\; the press"), "{unfolded}");
    assert!(unfolded.contains("Notes: First line\\nBEGIN:VTODO\\nSUMMARY:injected"), "{unfolded}");
}

#[test]
fn markdown_shows_markup_as_text() {
    let (_dir, _store, summary) = hostile();
    let md = summary::to_markdown(&summary);
    let unescaped = |c: char| md.match_indices(c).any(|(at, _)| !md[..at].ends_with('\\'));
    assert!(!unescaped('<') && !unescaped('['), "no raw HTML, no link: {md}");
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>"));
    assert!(md.contains("\\[click\\](javascript:alert(1))"));
    assert!(!md.lines().any(|l| l.starts_with("# Heading")), "a name cannot make a heading");
}

#[test]
fn pictures_and_file_names_survive_long_titles_in_any_script() {
    let (dir, store, summary) = hostile();
    for grid in &summary.grids {
        roxmltree::Document::parse(&summary::to_svg(grid, true)).expect("well-formed SVG");
    }
    let files = exchange::export(&summary, ExportFormat::Svg, Paper::A4).unwrap();
    for file in &files {
        assert!(file.name.len() <= 100, "{} bytes: {}", file.name.len(), file.name);
    }
    let session = &summary.session.id;
    let written = export::write_session(
        &store,
        session,
        ExportFormat::Svg,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &dir.path().join("svg"),
    )
    .unwrap();
    assert!(written.iter().all(|p| p.exists()));
    let written = export::write_session(
        &store,
        session,
        ExportFormat::Png,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &dir.path().join("png"),
    )
    .unwrap();
    assert!(written.iter().all(|p| p.exists()));
}

/// The sample session in a file that was then changed by hand with `sql` (as an older
/// version, another tool or a person with sqlite3 could), and the store reopened on it.
fn edited_by_hand(sql: &str) -> (tempfile::TempDir, std::path::PathBuf, Store, String) {
    let (dir, path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    drop(store);
    rusqlite::Connection::open(&path).unwrap().execute(sql, []).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, path, store, id)
}

#[test]
fn characters_xml_forbids_are_left_out_of_pictures() {
    // A name written by an older version, or by hand, straight into the file.
    let (dir, _path, store, id) =
        edited_by_hand("UPDATE organization SET name = 'Nul' || char(0) || 'and' || char(12) || 'feed'");
    let summary = Summary::read(&store, &id).unwrap();
    for grid in &summary.grids {
        roxmltree::Document::parse(&summary::to_svg(grid, true)).expect("well-formed SVG");
    }
    let written = export::write_session(
        &store,
        &id,
        ExportFormat::Png,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &dir.path().join("png"),
    )
    .unwrap();
    assert_eq!(written.len(), summary.grids.len(), "every picture is drawn");
}

#[test]
fn a_grid_edited_by_hand_with_too_few_regions_still_exports() {
    let (dir, _path, store, id) =
        edited_by_hand("UPDATE grid SET labels = json_set(labels, '$.regions', json_array('Only one'))");
    let data = store.load_session(&id).unwrap();
    for grid in &data.grids {
        assert_eq!(grid.labels.regions.len(), grid.kind.region_count(), "one name per region of {}", grid.title);
        assert_eq!(grid.labels.regions[0], "Only one", "the name that was there stays");
    }
    for format in ExportFormat::ALL {
        let target = dir.path().join(format!("out-{}", format.name()));
        export::write_session(&store, &id, format, Paper::A4, powermap_core::i18n::Lang::En, &target)
            .unwrap_or_else(|e| panic!("{}: {e}", format.name()));
    }
}

#[test]
fn a_value_edited_by_hand_into_nonsense_is_a_clear_error() {
    let (_dir, path, store, id) =
        edited_by_hand("UPDATE organization SET sector = 'church' WHERE rowid = (SELECT min(rowid) FROM organization)");
    let named: String = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT id FROM organization WHERE sector = 'church'", [], |row| row.get(0))
        .unwrap();
    let error = store.load_session(&id).expect_err("an unknown sector cannot be shown");
    assert!(error.to_string().contains("church"), "the error names the bad value: {error}");
    assert!(error.to_string().contains(&named), "and the row that holds it: {error}");
}

#[test]
fn temporary_files_of_killed_exports_are_cleared_by_the_next_export() {
    let (dir, _path, store) = temp_store();
    let id = store.create_sample_session(1_767_225_600_000).unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // What an export killed halfway leaves: an hour and a half old, and one just begun.
    let stale = out.join(".powermap-Xy12ab.partial");
    let fresh = out.join(".powermap-Zz99zz.partial");
    let someone_elses = out.join(".hidden-notes.partial");
    for file in [&stale, &fresh, &someone_elses] {
        std::fs::write(file, b"half a file").unwrap();
    }
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(5400);
    for file in [&stale, &someone_elses] {
        std::fs::File::options().write(true).open(file).unwrap().set_modified(long_ago).unwrap();
    }
    export::write_session(
        &store,
        &id,
        ExportFormat::Md,
        Paper::A4,
        powermap_core::i18n::Lang::En,
        &out.join("summary.md"),
    )
    .unwrap();
    assert!(!stale.exists(), "the old temporary file is gone");
    assert!(fresh.exists(), "a write that may still be under way is left alone");
    assert!(someone_elses.exists(), "files that are not Powermap's are never touched");
    let partials = std::fs::read_dir(&out).unwrap().filter(|e| {
        let name = e.as_ref().unwrap().file_name();
        name.to_string_lossy().ends_with(".partial")
    });
    assert_eq!(partials.count(), 2, "the export's own temporary file was renamed into place");
}

#[test]
fn a_grid_heading_names_its_kind_only_where_the_title_does_not() {
    let (_dir, store, summary) = fixture();
    let markdown = summary::to_markdown(&summary);
    assert!(markdown.contains("## Power and interest\n"), "{markdown}");
    assert!(markdown.contains("## Spectrum of allies\n"), "{markdown}");
    assert!(!markdown.contains("Power and interest — Power and interest grid"), "{markdown}");
    let session = summary.session.id.clone();
    let grid = summary.grids[0].grid.clone();
    store.update_grid(&grid.id, "Who moves the council", &grid.labels, 2).unwrap();
    let renamed = Summary::read(&store, &session).unwrap();
    assert!(summary::to_markdown(&renamed).contains("## Who moves the council — Power and interest grid\n"));
    assert!(summary::to_html(&renamed).contains("Who moves the council <small>— Power and interest grid</small>"));
}

#[test]
fn the_pictures_set_each_region_name_clear_of_the_cards() {
    use summary::drawing::{draw, text_width, Anchor, Shape};
    let (_dir, _store, summary) = fixture();
    for grid in &summary.grids {
        let shapes = draw(grid);
        let cards: Vec<_> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Card(c) => Some((c.x, c.y, c.w, c.h)),
                _ => None,
            })
            .collect();
        let names: Vec<_> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text { x, y, size, bold, grey: true, anchor, text, .. } => {
                    let w = text_width(text, *bold) * size;
                    let left = match anchor {
                        Anchor::Start => *x,
                        Anchor::Middle => x - w / 2.0,
                        Anchor::End => x - w,
                    };
                    Some((text.clone(), left, y - size / 2.0, w, *size))
                }
                _ => None,
            })
            .collect();
        assert_eq!(names.len(), grid.grid.labels.regions.len(), "{}: one name per region", grid.grid.title);
        let (left, _, width, _) = summary::drawing::PLOT;
        for (text, x, y, w, h) in names {
            assert!(
                x >= left - 0.5 && x + w <= left + width + 0.5,
                "{}: “{text}” lies inside the plot",
                grid.grid.title
            );
            let covered: f64 = cards
                .iter()
                .map(|(cx, cy, cw, ch)| {
                    ((x + w).min(cx + cw) - x.max(*cx)).max(0.0) * ((y + h).min(cy + ch) - y.max(*cy)).max(0.0)
                })
                .sum();
            assert!(
                covered / (w * h) <= 0.25,
                "{}: “{text}” is {:.0} % under cards",
                grid.grid.title,
                100.0 * covered / (w * h)
            );
        }
    }
}
