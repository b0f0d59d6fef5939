//! Powermap's desktop shell: the Tauri app around `powermap-core`, and the headless CLI of
//! the same binary.

pub mod cli;
pub mod commands;
pub mod error;
pub mod menu;
pub mod settings;
pub mod sharing;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use powermap_core::i18n::Lang;
use powermap_core::store::Publication;
use powermap_core::Store;
use tauri::{Builder, Emitter, Manager, Runtime};

use crate::error::IpcError;

/// The event every window receives for each change to a session (a [`powermap_core::model::SessionChange`]).
pub const SESSION_CHANGE_EVENT: &str = "session-change";

/// The event every window receives when the list of sessions changed (one created,
/// renamed, deleted, restored, by this window, another or the command line): it reads the
/// list anew.
pub const SESSIONS_CHANGED_EVENT: &str = "sessions-changed";

/// What the commands share: the open database, or why it could not be opened (the window
/// still opens, and says so in plain words, in its language at the time it asks), and the
/// windows' subscription to its changes.
pub struct AppState {
    opened: powermap_core::Result<Arc<Store>>,
    /// The windows' subscription to the store's changes, taken once at start.
    subscription: OnceLock<powermap_core::store::Subscription>,
    /// The files the person chose or confirmed: the only ones the window reads or writes.
    pub chosen: commands::files::ChosenPaths,
    /// The room, while the participants' devices may join (*Let the room join*).
    pub room: Mutex<Option<powermap_room::Room>>,
    /// The person's settings, and the file they are kept in (none: kept for this run only).
    settings: Mutex<settings::Settings>,
    settings_path: Option<PathBuf>,
    /// The desktop's language, read once at start.
    desktop: Lang,
    /// Wakes the thread that syncs the shared campaigns ([`sharing`]).
    pub sync_waker: Arc<sharing::Waker>,
    /// Its subscription to the store's changes.
    sync_subscription: OnceLock<powermap_core::store::Subscription>,
}

impl AppState {
    /// State around an opened database, or the error that kept it closed.
    pub fn new(opened: powermap_core::Result<Store>) -> Self {
        AppState {
            opened: opened.map(Arc::new),
            subscription: OnceLock::new(),
            chosen: Default::default(),
            room: Mutex::new(None),
            settings: Mutex::default(),
            settings_path: None,
            desktop: Lang::from_env(),
            sync_waker: Default::default(),
            sync_subscription: OnceLock::new(),
        }
    }

    /// The same state, its settings read from (and kept in) the file at `path`. The
    /// window's errors are said in the language they give from now on.
    pub fn remembering_settings(mut self, path: PathBuf) -> Self {
        self.settings = Mutex::new(settings::Settings::load(&path));
        self.settings_path = Some(path);
        error::speak(self.language());
        self
    }

    /// The window's language: the one chosen in Settings, or the desktop's. Native dialogs
    /// and menus speak it too.
    pub fn language(&self) -> Lang {
        self.language_setting().speaking
    }

    /// The window's language, chosen and desktop's, as Settings shows them.
    pub fn language_setting(&self) -> settings::LanguageSetting {
        self.settings.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).language_setting(self.desktop)
    }

    /// The window's language and theme, which it reads before its first drawing.
    pub fn window_settings(&self) -> settings::WindowSettings {
        let settings = self.settings.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        settings::WindowSettings { language: settings.language_setting(self.desktop), theme: settings.theme }
    }

    /// Chooses the window's language (`None`: the desktop's) and keeps the choice; the
    /// window's errors are said in it from now on.
    pub fn choose_language(&self, chosen: Option<Lang>) -> std::io::Result<settings::LanguageSetting> {
        let setting = self.remember(|settings| settings.language = chosen)?.language_setting(self.desktop);
        error::speak(setting.speaking);
        Ok(setting)
    }

    /// Chooses the window's colour theme (`None`: the desktop's) and keeps the choice.
    pub fn choose_theme(&self, theme: Option<settings::Theme>) -> std::io::Result<Option<settings::Theme>> {
        self.remember(|settings| settings.theme = theme)?;
        Ok(theme)
    }

    /// Changes the settings with `change` and keeps them (in the file, when there is one):
    /// all or nothing, the settings in memory unchanged when the file could not be written.
    fn remember(&self, change: impl FnOnce(&mut settings::Settings)) -> std::io::Result<settings::Settings> {
        let mut settings = self.settings.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut changed = *settings;
        change(&mut changed);
        if let Some(path) = &self.settings_path {
            changed.save(path)?;
        }
        *settings = changed;
        Ok(changed)
    }

    /// The database, or the error that kept it from opening.
    pub fn store(&self) -> Result<&Store, IpcError> {
        self.opened.as_deref().map_err(IpcError::from)
    }

    /// The database, to share with the room server.
    pub fn shared_store(&self) -> Result<Arc<Store>, IpcError> {
        self.opened.as_ref().map(Arc::clone).map_err(IpcError::from)
    }
}

/// Assembles the app on any runtime: the real window in `run`, the mock runtime in tests.
/// Every change committed to the store is emitted to every window as
/// [`SESSION_CHANGE_EVENT`] (see [`start`]).
pub fn build_app<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            start(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::database::database_info,
            commands::facts::facts,
            commands::sessions::list_sessions,
            commands::sessions::create_session,
            commands::sessions::update_session,
            commands::sessions::rename_session,
            commands::sessions::duplicate_session,
            commands::sessions::start_follow_up,
            commands::sessions::preview_map_import,
            commands::sessions::import_map,
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
            commands::commitments::review_commitment,
            commands::commitments::said_and_done,
            commands::room::start_room,
            commands::room::room_info,
            commands::room::stop_room,
            commands::relationships::add_relationship,
            commands::relationships::update_relationship,
            commands::relationships::remove_relationship,
            commands::rounds::start_round,
            commands::rounds::round_progress,
            commands::rounds::reveal_round,
            commands::rounds::show_round_names,
            commands::rounds::end_round,
            commands::rounds::round_results,
            commands::participants::add_participant,
            commands::participants::update_participant,
            commands::participants::remove_participant,
            commands::history::undo,
            commands::history::redo,
            commands::changes::changes_since,
            commands::exports::export_session,
            commands::files::choose_save_file,
            commands::files::choose_folder,
            commands::files::choose_file,
            commands::files::suggest_export_path,
            commands::exports::summary_html,
            commands::exports::print_window,
            commands::settings::window_settings,
            commands::settings::choose_theme,
            commands::settings::choose_language,
            commands::sharing::share_campaign,
            commands::sharing::join_shared_campaign,
            commands::sharing::sharing_of,
            commands::sharing::sync_now,
            commands::sharing::sync_nearby,
            commands::sharing::new_shared_key,
            commands::sharing::double_changes,
            commands::sharing::keep_standing_value,
            commands::sharing::take_other_value,
        ])
}

/// Connects the app's state to its windows: everything the store publishes — a change
/// committed by a command, the room, undo, or another program on the same file (the
/// command line, a second Powermap), which the store watches for — reaches each of them, a
/// session's change as a [`SESSION_CHANGE_EVENT`], a change to the list of sessions as a
/// [`SESSIONS_CHANGED_EVENT`]. Runs once, when the app starts (Tauri's setup); tests on the
/// mock runtime, which runs no setup, call it after building the app. A second call changes
/// nothing.
pub fn start<R: Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>();
    let Ok(store) = state.shared_store() else { return };
    if state.subscription.get().is_some() {
        return;
    }
    let handle = app.clone();
    let subscription = store.subscribe(move |publication| {
        // A window that is closing misses it; it reads the session anew when it opens again.
        let _ = match publication {
            Publication::Change(change) => handle.emit(SESSION_CHANGE_EVENT, change),
            Publication::Sessions => handle.emit(SESSIONS_CHANGED_EVENT, ()),
        };
    });
    if state.subscription.set(subscription).is_ok() {
        if let Err(error) = store.watch_other_programs() {
            eprintln!("powermap: changes by other programs will show only when a session is opened again: {error}");
        }
        let _ = state.sync_subscription.set(sharing::start(app, store));
    }
}

/// Where the database lives unless `--db` or `POWERMAP_DB` say otherwise: the OS app-data
/// folder (on Linux `~/.local/share/org.powermap.app/powermap.db`).
pub fn default_database_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("org.powermap.app").join("powermap.db")
}

/// The entry point: a CLI subcommand runs headless; otherwise the window opens.
pub fn run() {
    let invocation = cli::parse();
    let database = invocation.database.clone().unwrap_or_else(default_database_path);
    if let Some(command) = invocation.command {
        std::process::exit(cli::run(command, &database));
    }
    if let Err(reason) = display_available() {
        eprintln!("powermap: {reason}");
        std::process::exit(cli::ExitStatus::Unavailable.code());
    }
    let opened = Store::open(&database);
    match &opened {
        Err(error) => eprintln!("powermap: {error}"),
        // Sessions deleted long enough ago go for good. If that fails they simply wait
        // for the next start; nothing else depends on it.
        Ok(store) => {
            if let Err(error) =
                store.purge_deleted_sessions(powermap_core::clock::now() - powermap_core::store::KEPT_AFTER_DELETION)
            {
                eprintln!("powermap: old deleted sessions could not be removed: {error}");
            }
        }
    }
    // GTK panics when it cannot reach the display it was given; that is a missing display
    // to the person who started Powermap, not a crash.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let app = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        build_app(tauri::Builder::default(), AppState::new(opened).remembering_settings(settings::default_path()))
            .menu(menu::build)
            .on_menu_event(|app, event| menu::forward(app, event.id().as_ref()))
            .build(tauri::generate_context!())
    }));
    std::panic::set_hook(quiet);
    match app {
        Ok(Ok(app)) => app.run(|_, _| {}),
        Ok(Err(error)) => {
            eprintln!("powermap: the window could not open: {error}");
            std::process::exit(cli::ExitStatus::Unavailable.code());
        }
        Err(_) => {
            eprintln!("powermap: the window could not open: the display could not be reached. Run Powermap on a desktop, or use a subcommand (powermap --help).");
            std::process::exit(cli::ExitStatus::Unavailable.code());
        }
    }
}

/// Whether there is a display to open the window on (on Linux: X11 or Wayland).
fn display_available() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty())
        && std::env::var_os("WAYLAND_DISPLAY").is_none_or(|d| d.is_empty())
    {
        return Err("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set). \
Run Powermap on a desktop, or use a subcommand (powermap --help)."
            .into());
    }
    Ok(())
}
