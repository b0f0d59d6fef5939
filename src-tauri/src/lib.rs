//! Powermap's desktop shell: the Tauri app around `powermap-core`, and the headless CLI of
//! the same binary.

pub mod cli;
pub mod commands;
pub mod error;
pub mod menu;

use std::path::PathBuf;

use powermap_core::Store;
use tauri::{Builder, Runtime};

use crate::error::IpcError;

/// What the commands share: the open database, or why it could not be opened (the window
/// still opens, and says so in plain words).
pub struct AppState {
    opened: Result<Store, IpcError>,
}

impl AppState {
    /// State around an opened database, or the error that kept it closed.
    pub fn new(opened: powermap_core::Result<Store>) -> Self {
        AppState { opened: opened.map_err(IpcError::from) }
    }

    /// The database, or the error that kept it from opening.
    pub fn store(&self) -> Result<&Store, IpcError> {
        self.opened.as_ref().map_err(Clone::clone)
    }
}

/// Assembles the app on any runtime: the real window in `run`, the mock runtime in tests.
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder.plugin(tauri_plugin_dialog::init()).manage(state).invoke_handler(tauri::generate_handler![
        commands::database::database_info,
        commands::sessions::list_sessions,
        commands::sessions::create_session,
        commands::sessions::update_session,
        commands::sessions::rename_session,
        commands::sessions::duplicate_session,
        commands::sessions::delete_session,
        commands::sessions::restore_session,
        commands::sessions::deleted_sessions,
        commands::sessions::load_session,
        commands::sessions::create_sample_session,
        commands::organizations::add_organization,
        commands::organizations::add_organizations_from_list,
        commands::organizations::update_organization,
        commands::organizations::remove_organization,
        commands::organizations::preview_organizations_csv,
        commands::organizations::import_organizations_csv,
        commands::grids::add_grid,
        commands::grids::update_grid,
        commands::grids::remove_grid,
        commands::placements::place_card,
        commands::placements::place_cards,
        commands::placements::return_card_to_tray,
        commands::commitments::add_commitment,
        commands::commitments::update_commitment,
        commands::commitments::remove_commitment,
        commands::participants::add_participant,
        commands::participants::update_participant,
        commands::participants::remove_participant,
        commands::history::undo,
        commands::history::redo,
        commands::history::history_state,
        commands::exports::export_session,
        commands::exports::summary_html,
        commands::exports::print_window,
    ])
}

/// Where the database lives unless `--db` or `POWERMAP_DB` say otherwise: the OS app-data
/// folder (on Linux `~/.local/share/org.powermap.app/powermap.db`).
pub fn default_database_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("org.powermap.app")
        .join("powermap.db")
}

/// The entry point: a CLI subcommand runs headless; otherwise the window opens.
pub fn run() {
    let invocation = cli::parse();
    let database = invocation.database.clone().unwrap_or_else(default_database_path);
    if let Some(command) = invocation.command {
        std::process::exit(cli::run(command, &database));
    }
    let opened = Store::open(&database);
    match &opened {
        Err(error) => eprintln!("powermap: {error}"),
        // Sessions deleted long enough ago go for good. If that fails they simply wait
        // for the next start; nothing else depends on it.
        Ok(store) => {
            if let Err(error) = store.purge_deleted_sessions(commands::now() - powermap_core::store::KEPT_AFTER_DELETION) {
                eprintln!("powermap: old deleted sessions could not be removed: {error}");
            }
        }
    }
    let app = build_app(tauri::Builder::default(), AppState::new(opened))
        .menu(menu::build)
        .on_menu_event(|app, event| menu::forward(app, event.id().as_ref()))
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("powermap: the window could not open: {error}");
            std::process::exit(1);
        }
    }
}
