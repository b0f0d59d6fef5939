use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use powermap::{build_app, AppState};
use powermap_core::i18n::Lang;
use powermap_core::Store;
use serde_json::{json, Value};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

/// The window's language is the process's: every command's error is said in it, whichever
/// app's command it is. The tests that choose one hold this alone; the others share it, and
/// their windows speak English, whatever the desktop's language.
static WINDOW_LANGUAGE: RwLock<()> = RwLock::new(());

/// The window's language for a test that speaks English.
fn sharing_the_language() -> RwLockReadGuard<'static, ()> {
    WINDOW_LANGUAGE.read().unwrap_or_else(PoisonError::into_inner)
}

/// The window's language for a test that chooses one.
fn choosing_the_language() -> RwLockWriteGuard<'static, ()> {
    WINDOW_LANGUAGE.write().unwrap_or_else(PoisonError::into_inner)
}

/// The app on the mock runtime with a database in a temporary folder, and its window.
struct App {
    _dir: tempfile::TempDir,
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    /// The English the window speaks, shared with the other tests' (none: the test chooses).
    _english: Option<RwLockReadGuard<'static, ()>>,
}

/// The app around `state`, its window open.
fn built(state: AppState, dir: tempfile::TempDir, english: Option<RwLockReadGuard<'static, ()>>) -> App {
    let app = build_app(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    powermap::start(app.handle());
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a mock window");
    App { _dir: dir, _app: app, window, _english: english }
}

fn app_with(opened: powermap_core::Result<Store>, dir: tempfile::TempDir) -> App {
    let english = sharing_the_language();
    let state = AppState::new(opened);
    state.choose_language(Some(Lang::En)).expect("no settings file to write");
    built(state, dir, Some(english))
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("powermap.db"));
    app_with(store, dir)
}

impl App {
    /// Invokes `command` with `args` as the window would; Ok(value) or Err({code, message}).
    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: command.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: args.into(),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }

    fn ok(&self, command: &str, args: Value) -> Value {
        self.call(command, args).unwrap_or_else(|e| panic!("{command} failed: {e}"))
    }

    /// Calls a write command; returns its value (the reply also carries the change).
    fn made(&self, command: &str, args: Value) -> Value {
        let reply = self.ok(command, args);
        assert!(reply["change"]["revision"].is_i64(), "a write replies with its change: {reply}");
        reply["value"].clone()
    }

    /// What the native Save dialog does when the person picks `path` there (and agrees to
    /// replace it): the file commands may then write it without asking. The dialogs
    /// themselves, and the questions about other paths, are tested in the real window.
    fn choose(&self, path: &std::path::Path) {
        use tauri::Manager;
        self._app.state::<AppState>().chosen.remember(path, true);
    }

    /// Calls `command`, expecting the error `code`; returns its message.
    #[track_caller]
    fn refused(&self, command: &str, args: Value, code: &str) -> String {
        let error = self.call(command, args).expect_err("the command should be refused");
        assert_eq!(error["code"], code, "wrong error: {error}");
        error["message"].as_str().expect("errors carry a message").to_string()
    }
}

#[test]
fn a_session_is_built_through_the_commands() {
    let app = app();
    assert_eq!(app.ok("list_sessions", json!({})), json!([]));
    let session = app.ok("create_session", json!({"fields": {"title": "Kick-off", "date": "2026-05-01"}}));
    let id = session["id"].as_str().unwrap();
    let org = app.made(
        "add_organization",
        json!({"sessionId": id, "fields": {"name": "Tenants Union", "sector": "community-group", "directlyAffected": true}}),
    );
    assert_eq!(org["directlyAffected"], true);
    let added = app.made("add_organizations_from_list", json!({"sessionId": id, "names": "Council\nParish"}));
    assert_eq!(added.as_array().unwrap().len(), 2);
    let grid = app.made("add_grid", json!({"sessionId": id, "kind": "spectrum-of-allies", "title": ""}));
    assert_eq!(grid["title"], "Spectrum of allies");

    let placement = app.made(
        "place_card",
        json!({"gridId": grid["id"], "organizationId": org["id"], "x": 0.1, "y": 0.2, "movedBy": ""}),
    );
    assert_eq!((placement["x"].as_f64(), placement["y"].as_f64()), (Some(0.1), Some(0.2)));

    let data = app.ok("load_session", json!({"id": id}));
    assert_eq!(data["organizations"].as_array().unwrap().len(), 3);
    assert_eq!(data["grids"].as_array().unwrap().len(), 2, "the default grid and the spectrum");
    assert_eq!(data["placements"].as_array().unwrap().len(), 1);

    app.ok("return_card_to_tray", json!({"gridId": grid["id"], "organizationId": org["id"]}));
    let listed = app.ok("list_sessions", json!({}));
    assert_eq!(listed[0]["organizationCount"], 3);
}

#[test]
fn new_grids_take_the_window_language_names() {
    let app = app();
    let session = app.ok("create_session", json!({"fields": {"title": "Atelier"}, "lang": "fr"}));
    let id = session["id"].as_str().unwrap();
    let grid = app.made("add_grid", json!({"sessionId": id, "kind": "spectrum-of-allies", "title": "", "lang": "es"}));
    assert_eq!(grid["title"], "Espectro de aliados");
    assert_eq!(grid["labels"]["regions"][0], "Aliados activos");
    let data = app.ok("load_session", json!({"id": id}));
    assert_eq!(data["grids"][0]["labels"]["regions"][3], "Gérer de près", "the session's first grid in French");
    app.refused(
        "add_grid",
        json!({"sessionId": id, "kind": "power-support", "title": "", "lang": "de"}),
        "invalid_input",
    );
}

/// A run of the app on the database in `dir`, its settings kept in the file `settings`.
fn remembering(dir: &std::path::Path, settings: &std::path::Path) -> App {
    let state = AppState::new(Store::open(&dir.join("powermap.db"))).remembering_settings(settings.to_path_buf());
    built(state, tempfile::tempdir().unwrap(), None)
}

#[test]
fn the_chosen_language_is_remembered_for_the_next_run() {
    let _alone = choosing_the_language();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("config/settings.json");
    let first = remembering(dir.path(), &settings);
    let desktop = first.ok("window_settings", json!({}))["language"]["desktop"].clone();
    assert_eq!(first.ok("window_settings", json!({}))["language"]["chosen"], Value::Null, "nothing chosen yet");
    let chosen = first.ok("choose_language", json!({"chosen": "es"}));
    assert_eq!((chosen["speaking"].as_str(), chosen["chosen"].as_str()), (Some("es"), Some("es")));
    first.refused("choose_language", json!({"chosen": "de"}), "invalid_input");
    drop(first);

    let again = remembering(dir.path(), &settings);
    assert_eq!(again.ok("window_settings", json!({}))["language"]["speaking"], "es", "the choice outlives the run");
    let following = again.ok("choose_language", json!({"chosen": null}));
    assert_eq!(following["speaking"], desktop, "no choice follows the desktop");
    assert_eq!(std::fs::read_to_string(&settings).unwrap().trim(), "{\n  \"language\": null,\n  \"theme\": null\n}");
}

#[test]
fn the_chosen_theme_is_remembered_beside_the_language() {
    let _alone = choosing_the_language();
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("config/settings.json");
    let first = remembering(dir.path(), &settings);
    assert_eq!(first.ok("window_settings", json!({}))["theme"], Value::Null, "never chosen: the desktop's");
    first.ok("choose_language", json!({"chosen": "fr"}));
    assert_eq!(first.ok("choose_theme", json!({"theme": "dark"})), "dark");
    first.refused("choose_theme", json!({"theme": "purple"}), "invalid_input");
    first.refused("choose_theme", json!({"theme": 1}), "invalid_input");
    drop(first);

    let again = remembering(dir.path(), &settings);
    let kept = again.ok("window_settings", json!({}));
    assert_eq!(
        (kept["theme"].as_str(), kept["language"]["chosen"].as_str()),
        (Some("dark"), Some("fr")),
        "both outlive the run"
    );
    again.ok("choose_language", json!({"chosen": "es"}));
    assert_eq!(again.ok("window_settings", json!({}))["theme"], "dark", "choosing a language keeps the theme");
    assert_eq!(again.ok("choose_theme", json!({"theme": null})), Value::Null);
    assert_eq!(again.ok("window_settings", json!({}))["theme"], Value::Null, "back to following the desktop");
}

#[test]
fn a_theme_that_cannot_be_kept_is_refused_and_the_window_keeps_its_own() {
    let _alone = choosing_the_language();
    let dir = tempfile::tempdir().unwrap();
    let blocked = dir.path().join("not a folder");
    std::fs::write(&blocked, "").unwrap();
    let state =
        AppState::new(Store::open(&dir.path().join("powermap.db"))).remembering_settings(blocked.join("settings.json"));
    let app = built(state, tempfile::tempdir().unwrap(), None);
    app.refused("choose_theme", json!({"theme": "dark"}), "io");
    assert_eq!(app.ok("window_settings", json!({}))["theme"], Value::Null, "nothing changed");
}

#[test]
fn refusals_are_said_in_the_chosen_language() {
    let _alone = choosing_the_language();
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(Store::open(&dir.path().join("powermap.db")))
        .remembering_settings(dir.path().join("settings.json"));
    let app = built(state, dir, None);
    let id = app.ok("create_session", json!({"fields": {"title": "Taller"}}))["id"].clone();
    let empty = json!({"fields": {"title": "   "}});
    let unreadable = json!({"sessionId": id, "fields": {"name": "Parish", "sector": "circus"}});

    app.ok("choose_language", json!({"chosen": "es"}));
    let message = app.refused("create_session", empty.clone(), "invalid_input");
    assert_eq!(message, "Escribe el título de la sesión: no puede quedar en blanco.");
    assert_eq!(app.refused("undo", json!({"sessionId": id}), "conflict"), "No hay nada que deshacer.");
    assert_eq!(
        app.refused("load_session", json!({"id": "gone"}), "not_found"),
        "Esa sesión ya no existe; puede que se haya eliminado."
    );
    let message = app.refused("add_organization", unreadable.clone(), "invalid_input");
    assert!(message.starts_with("Powermap no pudo leer lo que envió la ventana (fields: "), "{message}");
    let message = app.refused("export_session", json!({"sessionId": id, "format": "md", "path": " "}), "invalid_input");
    assert_eq!(message, "Elige dónde guardar la exportación.");

    app.ok("choose_language", json!({"chosen": "fr"}));
    let message = app.refused("create_session", empty.clone(), "invalid_input");
    assert_eq!(message, "Indiquez le titre de la séance\u{a0}: ce champ ne peut pas rester vide.");
    assert_eq!(app.refused("undo", json!({"sessionId": id}), "conflict"), "Il n’y a rien à annuler.");
    let message = app.refused("add_organization", unreadable, "invalid_input");
    assert!(message.starts_with("Powermap n’a pas pu lire ce que la fenêtre a envoyé"), "{message}");

    // A database that could not open says so in the language spoken when it is asked.
    let broken = tempfile::tempdir().unwrap();
    let path = broken.path().join("notes.txt");
    std::fs::write(&path, "not a database").unwrap();
    let closed = built(AppState::new(Store::open(&path)), broken, None);
    let message = closed.refused("list_sessions", json!({}), "not_a_database");
    assert!(message.ends_with("n’est pas une base de données Powermap\u{a0}: Powermap n’y a pas touché. Choisissez un autre fichier, ou déplacez celui-ci."), "{message}");

    app.ok("choose_language", json!({"chosen": "en"}));
    assert_eq!(app.refused("create_session", empty, "invalid_input"), "The session title cannot be empty.");
}

#[test]
fn bad_input_comes_back_as_code_and_message() {
    let app = app();
    let session = app.ok("create_session", json!({"fields": {"title": "Kick-off"}}));
    let id = session["id"].as_str().unwrap();
    let org = app.made("add_organization", json!({"sessionId": id, "fields": {"name": "Union"}}));
    let grid = app.ok("load_session", json!({"id": id}))["grids"][0].clone();
    let before = app.ok("load_session", json!({"id": id}));

    let message = app.refused("create_session", json!({"fields": {"title": "   "}}), "invalid_input");
    assert!(message.contains("cannot be empty"), "{message}");
    app.refused("add_organization", json!({"sessionId": id, "fields": {"name": "x".repeat(201)}}), "invalid_input");
    let message = app.refused(
        "place_card",
        json!({"gridId": grid["id"], "organizationId": org["id"], "x": 1.5, "y": 0.5, "movedBy": ""}),
        "invalid_input",
    );
    assert!(message.contains("off the grid"), "{message}");
    app.refused(
        "place_card",
        json!({"gridId": grid["id"], "organizationId": "gone", "x": 0.5, "y": 0.5, "movedBy": ""}),
        "not_found",
    );
    app.refused("return_card_to_tray", json!({"gridId": grid["id"], "organizationId": org["id"]}), "not_found");
    app.refused("load_session", json!({"id": "gone"}), "not_found");
    app.refused(
        "add_grid",
        json!({"sessionId": id, "kind": "power-support", "title": "t".repeat(300)}),
        "invalid_input",
    );
    assert_eq!(app.ok("load_session", json!({"id": id})), before, "refused commands changed nothing");
}

#[test]
fn the_sample_session_opens_from_a_command() {
    let app = app();
    let id = app.ok("create_sample_session", json!({}));
    let data = app.ok("load_session", json!({"id": id}));
    assert!(data["session"]["title"].as_str().unwrap().starts_with("Sample"));
    assert!(data["commitments"].as_array().unwrap().len() >= 3);
}

#[test]
fn a_database_that_cannot_open_is_reported_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database").unwrap();
    let app = app_with(Store::open(&path), dir);
    let message = app.refused("list_sessions", json!({}), "not_a_database");
    assert!(message.contains("not a Powermap database"), "{message}");
    app.refused("create_session", json!({"fields": {"title": "x"}}), "not_a_database");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a database");
}

#[test]
fn commitments_participants_and_undo_through_the_commands() {
    let app = app();
    let id = app.ok("create_sample_session", json!({}));
    let data = app.ok("load_session", json!({"id": id}));
    let org = data["organizations"][0]["id"].clone();
    let grid = data["grids"][0]["id"].clone();

    let made = app.made(
        "add_commitment",
        json!({"sessionId": id, "fields": {"organizationId": org, "person": "", "action": "Call the councillor", "due": "2026-09-01", "status": "open", "notes": ""}}),
    );
    let done = app.made(
        "update_commitment",
        json!({"id": made["id"], "fields": {"organizationId": org, "person": "", "action": "Call the councillor", "due": "2026-09-01", "status": "done", "notes": ""}}),
    );
    assert_eq!(done["status"], "done");
    let message = app.refused(
        "add_commitment",
        json!({"sessionId": id, "fields": {"organizationId": org, "person": "", "action": " ", "due": null, "status": "open", "notes": ""}}),
        "invalid_input",
    );
    assert!(message.contains("action"), "{message}");
    app.refused(
        "add_commitment",
        json!({"sessionId": id, "fields": {"organizationId": org, "person": "", "action": "x", "due": "2026-02-30", "status": "open", "notes": ""}}),
        "invalid_input",
    );

    let step = app.ok("undo", json!({"sessionId": id}));
    assert_eq!(step["label"], json!({"key": "mark-commitment", "action": "Call the councillor", "status": "done"}));
    let step = app.ok("redo", json!({"sessionId": id}));
    assert_eq!(step["history"]["redo"], Value::Null);

    let participant =
        app.made("add_participant", json!({"sessionId": id, "fields": {"name": "Sam", "organizationId": null}}));
    app.refused(
        "add_participant",
        json!({"sessionId": id, "fields": {"name": "", "organizationId": null}}),
        "invalid_input",
    );
    app.ok("remove_participant", json!({"id": participant["id"]}));

    let others: Vec<Value> = data["organizations"].as_array().unwrap()[1..4].iter().map(|o| o["id"].clone()).collect();
    let moves: Vec<Value> = others.iter().map(|o| json!({"organizationId": o, "x": 0.5, "y": 0.5})).collect();
    let placed = app.made("place_cards", json!({"gridId": grid, "moves": moves, "movedBy": "Sam"}));
    assert_eq!(placed.as_array().unwrap().len(), 3);
    let undone = app.ok("undo", json!({"sessionId": id}));
    assert_eq!(undone["label"], json!({"key": "move-cards", "count": 3}));
    assert_eq!(undone["author"], json!({"kind": "participant", "name": "Sam"}), "the group move was Sam's");
    app.refused(
        "place_cards",
        json!({"gridId": grid, "moves": [{"organizationId": org, "x": 2.0, "y": 0.5}], "movedBy": ""}),
        "invalid_input",
    );
    let other = app.ok("create_session", json!({"fields": {"title": "Empty"}}));
    app.refused("undo", json!({"sessionId": other["id"]}), "conflict");
}

#[test]
fn exports_through_the_commands_write_the_file_or_nothing() {
    let app = app();
    let id = app.ok("create_sample_session", json!({}));
    let out = tempfile::tempdir().unwrap();
    let letter = out.path().join("summary.pdf");
    app.choose(&letter);
    let written =
        app.ok("export_session", json!({"sessionId": id, "format": "pdf", "paper": "letter", "path": letter}));
    assert_eq!(written, json!({"paths": [letter.display().to_string()], "unprintable": []}), "nothing left out");
    let bytes = std::fs::read(&letter).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert!(String::from_utf8_lossy(&bytes).contains("/MediaBox [0 0 612 792]"), "on Letter paper");
    let html = app.ok("summary_html", json!({"sessionId": id}));
    assert!(html.as_str().unwrap().contains("<svg"), "the printable summary draws its grids");

    let nowhere = out.path().join("missing-folder").join("summary.md");
    app.choose(&nowhere);
    app.refused("export_session", json!({"sessionId": id, "format": "md", "path": nowhere}), "io");
    app.refused(
        "export_session",
        json!({"sessionId": "gone", "format": "md", "path": out.path().join("x.md")}),
        "not_found",
    );
    app.refused("export_session", json!({"sessionId": id, "format": "md", "path": "  "}), "invalid_input");
    let message = app.refused(
        "export_session",
        json!({"sessionId": id, "format": "docx", "path": out.path().join("x.docx")}),
        "invalid_input",
    );
    assert!(message.contains("docx"), "an unknown format is named: {message}");
    let mut left: Vec<_> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    left.sort();
    assert_eq!(left, ["summary.pdf"], "refused exports wrote nothing");
}

#[test]
fn a_deleted_session_is_restored_through_the_commands() {
    let app = app();
    let id = app.ok("create_sample_session", json!({}));
    let deleted = app.ok("delete_session", json!({"id": id}));
    assert!(deleted["title"].as_str().unwrap().starts_with("Sample"));
    assert_eq!(app.ok("list_sessions", json!({})), json!([]));
    let waiting = app.ok("deleted_sessions", json!({}));
    assert_eq!(waiting[0]["id"], id);
    assert!(waiting[0]["deletedAt"].is_i64());
    app.refused("load_session", json!({"id": id}), "not_found");
    app.ok("restore_session", json!({"id": id}));
    assert_eq!(app.ok("list_sessions", json!({}))[0]["id"], id);
    app.refused("restore_session", json!({"id": id}), "not_found");
}

#[test]
fn every_change_is_sent_to_every_window_as_an_event() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener;

    let app = app();
    let heard: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = heard.clone();
    app._app.listen_any(powermap::SESSION_CHANGE_EVENT, move |event| {
        sink.lock().unwrap().push(serde_json::from_str(event.payload()).unwrap());
    });
    let session = app.ok("create_session", json!({"fields": {"title": "Kick-off"}}));
    let id = session["id"].as_str().unwrap();
    let org = app.made("add_organization", json!({"sessionId": id, "fields": {"name": "Union"}}));
    let grid = app.ok("load_session", json!({"id": id}))["grids"][0]["id"].clone();
    let reply = app.ok(
        "place_card",
        json!({"gridId": grid, "organizationId": org["id"], "x": 0.25, "y": 0.75, "movedBy": "Amina"}),
    );
    app.ok("undo", json!({"sessionId": id}));
    app.refused(
        "place_card",
        json!({"gridId": grid, "organizationId": "gone", "x": 0.5, "y": 0.5, "movedBy": ""}),
        "not_found",
    );

    let heard = heard.lock().unwrap();
    assert_eq!(heard.len(), 3, "one event per change, none for a refused call: {heard:?}");
    assert_eq!(heard[1], reply["change"], "the event is the change the caller got");
    assert_eq!(heard[1]["written"][0]["row"]["movedBy"], "Amina");
    assert_eq!(heard[1]["actor"], json!({"kind": "participant", "name": "Amina"}));
    assert_eq!(heard[2]["action"], "undo");
    assert_eq!(heard[2]["author"], json!({"kind": "participant", "name": "Amina"}));
    let revisions: Vec<i64> = heard.iter().map(|c| c["revision"].as_i64().unwrap()).collect();
    assert_eq!(revisions, [revisions[0], revisions[0] + 1, revisions[0] + 2], "in revision order");
}

#[test]
fn an_export_onto_the_open_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("powermap.db");
    let app = app_with(Store::open(&path), dir);
    let id = app.ok("create_sample_session", json!({}));
    let before = std::fs::read(&path).unwrap();
    let message = app.refused("export_session", json!({"sessionId": id, "format": "json", "path": path}), "conflict");
    assert!(message.contains("own database"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the database is untouched");
    assert_eq!(app.ok("load_session", json!({"id": id}))["session"]["id"], id);
}

#[test]
fn arguments_the_window_gets_wrong_come_back_as_code_and_message() {
    let app = app();
    let session = app.ok("create_session", json!({"fields": {"title": "Kick-off"}}));
    let id = session["id"].as_str().unwrap();
    let org = app.made("add_organization", json!({"sessionId": id, "fields": {"name": "Union"}}));
    let grid = app.ok("load_session", json!({"id": id}))["grids"][0]["id"].clone();
    let before = app.ok("load_session", json!({"id": id}));

    let missing = app.refused(
        "place_card",
        json!({"gridId": grid, "organizationId": org["id"], "y": 0.5, "movedBy": ""}),
        "invalid_input",
    );
    assert!(missing.contains('x'), "the missing argument is named: {missing}");
    app.refused(
        "place_card",
        json!({"gridId": grid, "organizationId": org["id"], "x": "left", "y": 0.5, "movedBy": ""}),
        "invalid_input",
    );
    app.refused("add_grid", json!({"sessionId": id, "kind": "pie-chart", "title": ""}), "invalid_input");
    app.refused(
        "add_organization",
        json!({"sessionId": id, "fields": {"name": "Parish", "sector": "circus"}}),
        "invalid_input",
    );
    app.refused("add_organization", json!({"sessionId": 42, "fields": {"name": "Parish"}}), "invalid_input");
    assert_eq!(app.ok("load_session", json!({"id": id})), before, "nothing changed");
}

#[test]
fn a_suggested_export_path_is_a_file_name_in_the_documents_or_home_folder() {
    let app = app();
    for name in ["../../.bashrc", "/etc/passwd", "notes\\..\\x.md", "\u{0}", ""] {
        let suggested = app.ok("suggest_export_path", json!({"name": name}));
        let path = std::path::PathBuf::from(suggested.as_str().unwrap());
        let folder = path.parent().unwrap().to_path_buf();
        let expected = [dirs::document_dir(), dirs::home_dir()];
        assert!(expected.iter().flatten().any(|f| *f == folder), "{name:?} went to {}", path.display());
        let file = path.file_name().unwrap().to_string_lossy();
        assert!(!file.starts_with('.') && !file.contains(['/', '\\', '\0']), "{name:?} became {file:?}");
    }
}
