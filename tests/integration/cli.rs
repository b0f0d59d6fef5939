use std::path::Path;
use std::process::{Command, Output};

fn powermap(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_powermap"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("POWERMAP_DB")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "expected success, got {:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn sample_list_export_import_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let id = stdout(&powermap(&db, &["sample"])).trim().to_string();
    let listed = stdout(&powermap(&db, &["list"]));
    assert!(listed.contains(&id) && listed.contains("Sample: Riverside"), "{listed}");

    let file = dir.path().join("session.json");
    stdout(&powermap(&db, &["export", "Sample: Riverside housing-rights coalition", "--format", "json", "-o", file.to_str().unwrap()]));
    let by_id = stdout(&powermap(&db, &["export", &id, "--format", "json"]));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), by_id, "by title or by id, the same export");

    let other = dir.path().join("b.db");
    let imported = stdout(&powermap(&other, &["import", file.to_str().unwrap()])).trim().to_string();
    let again = stdout(&powermap(&other, &["export", &imported, "--format", "json"]));
    assert_eq!(again, by_id, "import of an export is lossless");
}

#[test]
fn errors_go_to_stderr_with_a_failing_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let missing = powermap(&db, &["export", "No such session", "--format", "json"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("No session has the id or title"));
    assert!(missing.stdout.is_empty());

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"format": "powermap/9"}"#).unwrap();
    let refused = powermap(&db, &["import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("powermap/9"));
    assert_eq!(stdout(&powermap(&db, &["list"])), "", "a refused import adds nothing");

    let unknown = powermap(&db, &["export", "x", "--format", "docx"]);
    assert!(!unknown.status.success(), "an unknown format is a usage error");

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "my notes").unwrap();
    let foreign = powermap(&text, &["list"]);
    assert!(!foreign.status.success());
    assert!(String::from_utf8_lossy(&foreign.stderr).contains("not a Powermap database"));
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "my notes");
}

#[test]
fn a_failed_export_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let id = stdout(&powermap(&db, &["sample"])).trim().to_string();
    let target = dir.path().join("no-such-folder").join("out.json");
    let failed = powermap(&db, &["export", &id, "--format", "json", "-o", target.to_str().unwrap()]);
    assert!(!failed.status.success());
    assert!(!target.exists());
}

#[test]
fn summary_formats_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    let id = stdout(&powermap(&db, &["sample"])).trim().to_string();

    let md = stdout(&powermap(&db, &["export", &id, "--format", "md"]));
    assert!(md.starts_with("# Sample: Riverside"), "{md}");
    let html_file = dir.path().join("summary.html");
    stdout(&powermap(&db, &["export", &id, "--format", "html", "-o", html_file.to_str().unwrap()]));
    assert!(std::fs::read_to_string(&html_file).unwrap().contains("<svg"));
    let ics = stdout(&powermap(&db, &["export", &id, "--format", "ics"]));
    assert!(ics.contains("BEGIN:VTODO"));

    let folder = dir.path().join("tables");
    stdout(&powermap(&db, &["export", &id, "--format", "csv", "-o", folder.to_str().unwrap()]));
    let mut written: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().file_name()).collect();
    written.sort();
    assert_eq!(written, ["commitments.csv", "organizations.csv"]);

    let pictures = dir.path().join("pictures");
    stdout(&powermap(&db, &["export", &id, "--format", "svg", "-o", pictures.to_str().unwrap()]));
    assert_eq!(std::fs::read_dir(&pictures).unwrap().count(), 2, "one picture per grid");

    let pdf = dir.path().join("summary.pdf");
    stdout(&powermap(&db, &["export", &id, "--format", "pdf", "--paper", "letter", "-o", pdf.to_str().unwrap()]));
    assert!(String::from_utf8_lossy(&std::fs::read(&pdf).unwrap()).contains("/MediaBox [0 0 612 792]"), "a Letter page");
    let bad_paper = powermap(&db, &["export", &id, "--format", "pdf", "--paper", "a5"]);
    assert!(!bad_paper.status.success(), "an unknown paper size is refused");

    let no_folder = powermap(&db, &["export", &id, "--format", "csv"]);
    assert!(!no_folder.status.success());
    assert!(String::from_utf8_lossy(&no_folder.stderr).contains("name a folder"));
}
