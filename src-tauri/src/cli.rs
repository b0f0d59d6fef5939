//! The headless side of the binary: `powermap list | sample | follow-up | serve | export |
//! import | history | undo | redo`, on the same database as the window, for scripts, batch work and tests.
//! Errors go to stderr, one line, with an exit status from sysexits.h ([`ExitStatus`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::builder::TypedValueParser;
use clap::{Parser, Subcommand, ValueEnum};
use powermap_core::exchange::maps::{self, MapFile};
use powermap_core::exchange::{self, ExportFormat};
use powermap_core::i18n::{self, Lang};
use powermap_core::model::{Actor, FollowUpCards, FollowUpFields, Stamp};
use powermap_core::summary::Paper;
use powermap_core::{ErrorCode, Store};

/// The exit statuses, from sysexits.h, as `--help` and the README list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    Ok = 0,
    /// An unknown subcommand or flag, or a missing argument.
    Usage = 64,
    /// A malformed or invalid input file or value, a file that is no Powermap database (or a
    /// newer one's), a request that does not fit (nothing to undo, an ambiguous title).
    DataError = 65,
    /// A session or input file that does not exist.
    NoInput = 66,
    /// No display for the window.
    Unavailable = 69,
    /// A bug in Powermap.
    Internal = 70,
    /// The output file or folder cannot be created.
    CannotCreate = 73,
    /// Reading or writing failed (disk, database).
    Io = 74,
    /// Another program held the database too long: try again.
    Busy = 75,
}

impl ExitStatus {
    /// The status for a failure with `code`.
    pub fn of(code: ErrorCode) -> ExitStatus {
        match code {
            ErrorCode::InvalidInput
            | ErrorCode::BadImport
            | ErrorCode::Conflict
            | ErrorCode::NotADatabase
            | ErrorCode::NewerDatabase => ExitStatus::DataError,
            ErrorCode::NotFound => ExitStatus::NoInput,
            ErrorCode::Busy => ExitStatus::Busy,
            ErrorCode::Storage | ErrorCode::Io => ExitStatus::Io,
            ErrorCode::Internal => ExitStatus::Internal,
        }
    }

    pub fn code(self) -> i32 {
        self as i32
    }
}

/// A headless command's failure: what to say, and the exit status.
#[derive(Debug)]
pub struct Failure {
    pub status: ExitStatus,
    pub message: String,
}

impl From<powermap_core::Error> for Failure {
    /// The error in the desktop's language (`LC_ALL`, `LC_MESSAGES`, `LANG`; else English).
    fn from(error: powermap_core::Error) -> Failure {
        Failure { status: ExitStatus::of(error.code()), message: error.message_in(Lang::from_env()) }
    }
}

const EXIT_STATUSES: &str = "Exit status: 0 done; 64 usage (unknown command or flag); 65 bad data (malformed \
or invalid input, not a Powermap database or a newer one's, nothing to undo); 66 no such session or input file; \
69 no display for the window; 70 internal error; 73 cannot create the output; 74 I/O error; 75 database busy, \
try again.";

/// Power mapping for facilitated workshops. Without a command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "powermap", version, about, after_help = EXIT_STATUSES)]
pub struct Invocation {
    /// The database file [default: the OS app-data folder]
    #[arg(long = "db", value_name = "PATH", env = "POWERMAP_DB", global = true)]
    pub database: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the sessions, the most recently changed campaign first, each campaign's
    /// sessions in the order they were held: id, date, title.
    List,
    /// Add the sample session (a housing-rights coalition) and print its id.
    Sample,
    /// Start the next meeting of a session's campaign (same organizations, grids, cards and
    /// people; open commitments brought for review) and print the new session's id.
    FollowUp {
        /// The session's id or exact title
        session: String,
        /// The new session's title [default: "<campaign> — meeting N"]
        #[arg(long)]
        title: Option<String>,
        /// The day of the new meeting, YYYY-MM-DD
        #[arg(long)]
        date: Option<String>,
        /// Start with every card in the tray, so the room places them afresh
        #[arg(long)]
        in_tray: bool,
    },
    /// Let the room join: serve a session to participants' browsers on the local network
    /// until Ctrl+C. Prints one line, `Join at <address> with code <code>`.
    Serve {
        /// The session's id or exact title
        session: String,
        /// The address to listen on [default: this computer's address on the local network]
        #[arg(long, value_name = "ADDR")]
        bind: Option<std::net::IpAddr>,
        /// The port to listen on
        #[arg(long, default_value_t = DEFAULT_PORT)]
        port: u16,
    },
    /// Export a session, named by id or exact title.
    Export {
        /// The session's id or exact title
        session: String,
        /// The format to write
        #[arg(long, default_value = "json", value_parser = formats().map(format_named))]
        format: ExportFormat,
        /// The paper a PDF is laid out for
        #[arg(long, value_enum, default_value_t = PaperSize::A4)]
        paper: PaperSize,
        /// The file to write [default: standard output]; a folder for csv and svg, which
        /// write several files
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of the summary (html, md, pdf, ics) and of what is said on stderr: en, es or fr [default: the desktop's]
        lang: Option<Lang>,
    },
    /// Import a session and print its id: from Powermap's JSON (`powermap/2` or `powermap/1`), a
    /// Kumu blueprint or spreadsheet, or an Oligrapher map. What is skipped, and why, goes to stderr.
    Import {
        /// The file to read: a Powermap JSON file, a Kumu blueprint (JSON), an Oligrapher map
        /// (JSON), or a Kumu spreadsheet's element and connection sheets saved as CSV (two files)
        #[arg(required = true, num_args = 1..=2)]
        files: Vec<PathBuf>,
        /// Print what would be created and skipped, and add nothing
        #[arg(long)]
        preview: bool,
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of what is printed and of the new session's notes: en, es or fr [default: the desktop's]
        lang: Option<Lang>,
    },
    /// The session's steps of history, newest first: when, who, what (and whether undone).
    History {
        /// The session's id or exact title
        session: String,
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of the steps' words: en, es or fr [default: the desktop's, from LC_ALL, LC_MESSAGES or LANG; else en]
        lang: Option<Lang>,
    },
    /// Undo the session's newest step, whoever made it; prints what was undone.
    Undo {
        /// The session's id or exact title
        session: String,
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of what is printed: en, es or fr [default: the desktop's]
        lang: Option<Lang>,
    },
    /// Redo the session's oldest undone step; prints what was redone.
    Redo {
        /// The session's id or exact title
        session: String,
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of what is printed: en, es or fr [default: the desktop's]
        lang: Option<Lang>,
    },
    /// Share a session's campaign with other laptops through a folder the coalition
    /// already syncs (Syncthing, Nextcloud, a network drive, a USB stick). Prints a line
    /// `Key: <key>`: give it to the laptops that join.
    Share {
        /// The session's id or exact title (its whole campaign is shared)
        session: String,
        /// The shared folder
        #[arg(long, value_name = "DIR")]
        folder: PathBuf,
        /// This laptop's name, as the others see it [default: the computer's name]
        #[arg(long, value_name = "NAME")]
        laptop: Option<String>,
        /// Change the campaign's key, to take a laptop out: what is written from now on is
        /// sealed with the new key, which the others join again with (the laptop taken out
        /// keeps what it had, and can still read what was written before)
        #[arg(long)]
        new_key: bool,
    },
    /// Bring a campaign shared in a folder onto this laptop, with its key; prints its
    /// sessions' ids, one a line.
    JoinShared {
        /// The shared folder
        folder: PathBuf,
        /// The campaign's key (PM1-…)
        #[arg(long)]
        key: String,
        /// This laptop's name, as the others see it [default: the computer's name]
        #[arg(long, value_name = "NAME")]
        laptop: Option<String>,
    },
    /// Sync every shared campaign with its folder; prints, for each, what came in and what
    /// went out. Files that could not be read are named on stderr (and skipped). With
    /// `--nearby`, syncs instead with a laptop nearby, over its room (`powermap serve`, or
    /// *Let the room join* in its window, on a session of the campaign).
    Sync {
        #[arg(long, value_name = "LANG", value_parser = language)]
        /// The language of what is said on stderr: en, es or fr [default: the desktop's]
        lang: Option<Lang>,
        /// The address of the laptop nearby, as its room shows it (192.168.1.20:8470)
        #[arg(long, value_name = "ADDRESS", requires = "code")]
        nearby: Option<String>,
        /// The room code the laptop nearby shows
        #[arg(long, requires = "nearby")]
        code: Option<String>,
        /// The session whose campaign to sync [default: the one campaign this laptop shares]
        #[arg(long, requires = "nearby", conflicts_with = "key")]
        session: Option<String>,
        /// Join the campaign the laptop nearby shares under this key (PM1-…); prints its
        /// sessions' ids after the line of what came in
        #[arg(long, requires = "nearby")]
        key: Option<String>,
        /// This laptop's name, as the others see it, when joining [default: the computer's name]
        #[arg(long, value_name = "NAME", requires = "key")]
        laptop: Option<String>,
    },
}

/// The port a room listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = powermap_room::DEFAULT_PORT;

/// The export formats, as core lists them, each with a line of help.
fn formats() -> clap::builder::PossibleValuesParser {
    let help = |format: ExportFormat| match format {
        ExportFormat::Json => "The interchange format, powermap/2 (docs/interchange-format.md)",
        ExportFormat::Html => "The summary as one self-contained web page (prints as it shows)",
        ExportFormat::Md => "The summary as Markdown, for email and documents",
        ExportFormat::Csv => "organizations.csv, commitments.csv and said-and-done.csv, into the folder given with -o",
        ExportFormat::Ics => "Dated commitments as calendar to-dos",
        ExportFormat::Svg => "Each grid as a picture, into the folder given with -o",
        ExportFormat::Pdf => "The summary as PDF, made without a browser",
        ExportFormat::Png => "Each grid as a PNG picture, into the folder given with -o",
        ExportFormat::Kumu => "The organizations and relationships as a Kumu JSON blueprint",
    };
    clap::builder::PossibleValuesParser::new(
        ExportFormat::ALL.map(|f| clap::builder::PossibleValue::new(f.name()).help(help(f))),
    )
}

/// Reads a format name that [`formats`] has already checked.
fn format_named(name: String) -> ExportFormat {
    ExportFormat::parse(&name).unwrap_or(ExportFormat::Json)
}

/// The paper sizes of a PDF export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperSize {
    /// 210 × 297 mm
    A4,
    /// 8.5 × 11 in
    Letter,
}

impl From<PaperSize> for Paper {
    fn from(paper: PaperSize) -> Paper {
        match paper {
            PaperSize::A4 => Paper::A4,
            PaperSize::Letter => Paper::Letter,
        }
    }
}

/// Parses the command line. Bad arguments print clap's message and exit with
/// [`ExitStatus::Usage`] (`--help` and `--version` print and exit 0).
///
/// Flags the window's host adds (WebKit's automation adds `--automation`) are not ours, so
/// a line with no word but flags opens the window, reading only `--db` from it; a word that
/// is no subcommand of ours is a usage error, never the window.
pub fn parse() -> Invocation {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy().into_owned());
    let mut headless = false;
    while let Some(arg) = words.next() {
        if arg == "--db" {
            words.next();
        } else if !arg.starts_with('-') || ["--help", "-h", "--version", "-V"].contains(&arg.as_str()) {
            headless = true;
            break;
        }
    }
    if headless {
        return Invocation::try_parse_from(&args).unwrap_or_else(|error| {
            let status = if error.use_stderr() { ExitStatus::Usage } else { ExitStatus::Ok };
            let _ = error.print();
            std::process::exit(status.code());
        });
    }
    let database = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .or_else(|| args.iter().find_map(|a| a.to_string_lossy().strip_prefix("--db=").map(PathBuf::from)))
        .or_else(|| std::env::var_os("POWERMAP_DB").map(PathBuf::from));
    Invocation { database, command: None }
}

/// Runs a headless command on the database at `database`; returns the exit status.
pub fn run(command: Command, database: &Path) -> i32 {
    // Standard output is not held locked for the whole command: `serve`'s room prints a new
    // join line from its own thread while the command waits.
    match execute(command, database, &mut std::io::stdout()) {
        Ok(()) => ExitStatus::Ok.code(),
        Err(failure) => {
            eprintln!("powermap: {}", failure.message);
            failure.status.code()
        }
    }
}

/// What happened at the room's door, one line on stderr (never a code or a token); a new
/// code's join line on stdout, as the first one was printed.
fn tell_room_event(event: &powermap_room::RoomEvent, url: &str) {
    use powermap_room::RoomEvent;
    match event {
        RoomEvent::Joined { name, again: false } => eprintln!("powermap: {name} joined the room"),
        RoomEvent::Joined { name, again: true } => eprintln!("powermap: {name} is back in the room"),
        RoomEvent::WrongCode { address } => eprintln!("powermap: a wrong room code from {address}"),
        RoomEvent::Blocked { address, why } => eprintln!("powermap: {address} turned away: {}", why.describe()),
        RoomEvent::Synced { laptop, rows } => eprintln!("powermap: synced with {laptop} ({rows} rows came in)"),
        RoomEvent::CodeChanged { code, wrong_codes } => {
            eprintln!(
                "powermap: the room code changed after {wrong_codes} wrong codes; the new one is on the next line"
            );
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "Join at {url} with code {code}");
            let _ = out.flush();
        }
    }
}

/// A step and whose it was: "Move “Council” (Amina)".
fn step_words(lang: Lang, label: &powermap_core::model::ChangeLabel, author: &Actor) -> String {
    format!("{} ({})", label.describe_in(lang), author.describe_in(lang))
}

/// A `--lang` value: a language Powermap speaks.
fn language(value: &str) -> std::result::Result<Lang, String> {
    Lang::parse(value).ok_or_else(|| format!("“{value}” is not a language Powermap speaks; use en, es or fr"))
}

/// A time as the history shows it: `YYYY-MM-DD HH:MM:SS` in UTC (the milliseconds as given
/// if the time is out of range).
fn when(at: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(at.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| at.to_string())
}

/// Runs `command`, writing its normal output to `out`.
pub fn execute(command: Command, database: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    let store = Store::open(database)?;
    let now = powermap_core::clock::now();
    match command {
        Command::List => list(&store, out),
        Command::Sample => sample(&store, now, out),
        Command::FollowUp { session, title, date, in_tray } => {
            follow_up(&store, &session, title, date, in_tray, now, out)
        }
        Command::Serve { session, bind, port } => serve(store, database, &session, bind, port, out),
        Command::Export { session, format, paper, output, lang } => {
            export(&store, &session, format, paper, output, lang, out)
        }
        Command::Import { files, preview, lang } => import(&store, &files, preview, lang, now, out),
        Command::History { session, lang } => history(&store, &session, lang, out),
        Command::Undo { session, lang } => {
            undo_or_redo(&store, &session, lang, Stamp::new(now, Actor::Cli), false, out)
        }
        Command::Redo { session, lang } => undo_or_redo(&store, &session, lang, Stamp::new(now, Actor::Cli), true, out),
        Command::Share { session, folder, laptop, new_key } => {
            share(&store, &session, &folder, laptop, new_key, now, out)
        }
        Command::JoinShared { folder, key, laptop } => join_shared(&store, &folder, &key, laptop, now, out),
        Command::Sync { lang, nearby: None, .. } => sync(&store, lang, now, out),
        Command::Sync { lang, nearby: Some(address), code, session, key, laptop } => {
            let lang = lang.unwrap_or_else(Lang::from_env);
            let nearby = Nearby { address, code: code.unwrap_or_default(), session, key, laptop };
            sync_nearby(&store, nearby, lang, now, out)
        }
    }
}

/// `powermap share`: the session's campaign shared through the folder; its key printed.
fn share(
    store: &Store,
    session: &str,
    folder: &Path,
    laptop: Option<String>,
    new_key: bool,
    now: i64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let session = store.find_session(session)?;
    let laptop = laptop.unwrap_or_else(powermap_core::store::this_computer);
    let mut shared = powermap_core::sync::share(store, &session.id, folder, &laptop, now)?;
    if new_key {
        shared = powermap_core::sync::new_key(store, &session.id, now)?;
    }
    written(writeln!(out, "Key: {}", shared.key))?;
    written(writeln!(
        out,
        "Campaign: {} ({} sessions), shared through {}",
        shared.title,
        shared.sessions.len(),
        folder.display()
    ))?;
    Ok(())
}

/// `powermap join-shared`: the campaign in the folder brought onto this laptop; its
/// sessions' ids printed.
fn join_shared(
    store: &Store,
    folder: &Path,
    key: &str,
    laptop: Option<String>,
    now: i64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let laptop = laptop.unwrap_or_else(powermap_core::store::this_computer);
    for campaign in powermap_core::sync::join(store, folder, key, &laptop, now)? {
        for session in &campaign.sessions {
            written(writeln!(out, "{session}"))?;
        }
    }
    Ok(())
}

/// `powermap sync`: every shared campaign synced with its folder: what came in and went
/// out on stdout, files skipped (and folders out of reach) on stderr. A file that cannot
/// be read is no failure: the others are taken in.
fn sync(store: &Store, lang: Option<Lang>, now: i64, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = lang.unwrap_or_else(Lang::from_env);
    for (campaign, result) in powermap_core::sync::sync_all(store, now)? {
        let report = match result {
            Ok(report) => report,
            Err(error) => {
                eprintln!("powermap: {}: {}", campaign.title, error.message_in(lang));
                continue;
            }
        };
        let from = if report.laptops_in.is_empty() {
            String::new()
        } else {
            format!(" from {}", report.laptops_in.join(", "))
        };
        written(writeln!(
            out,
            "{}: in {} files ({} rows){from}; out {} changes{}",
            campaign.title,
            report.files_in,
            report.rows_in,
            report.changes_out,
            report.file_out.map(|f| format!(" ({f})")).unwrap_or_default()
        ))?;
        for skipped in &report.skipped {
            let why = powermap_core::i18n::message(lang, skipped.reason.key(), &[]);
            eprintln!("powermap: {}: skipped {}: {why}", campaign.title, skipped.file);
        }
        if report.waiting {
            eprintln!("powermap: {}: {}", campaign.title, powermap_core::i18n::message(lang, "sync.waiting", &[]));
        }
    }
    Ok(())
}

/// What `powermap sync --nearby` was given.
struct Nearby {
    address: String,
    code: String,
    session: Option<String>,
    key: Option<String>,
    laptop: Option<String>,
}

/// `powermap sync --nearby`: the campaign synced with a laptop nearby over its room — one
/// line of what came in and went out (and, joining, the sessions' ids).
fn sync_nearby(store: &Store, nearby: Nearby, lang: Lang, now: i64, out: &mut dyn Write) -> Result<(), Failure> {
    use powermap_room::nearby::client::{sync_with, Campaign};
    let joining = nearby.key.is_some();
    let campaign = match (nearby.key, nearby.session) {
        (Some(key), _) => Campaign::Join { key },
        (None, Some(session)) => {
            let session = store.find_session(&session)?;
            let campaign = store.shared_campaign_of(&session.id)?.ok_or_else(|| {
                Failure::from(powermap_core::Error::NotFound(i18n::Said::new("error.sharing.not-shared")))
            })?;
            Campaign::Shared(campaign)
        }
        (None, None) => match store.shared_campaigns()?.as_slice() {
            [one] => Campaign::Shared(one.campaign.clone()),
            [] => return Err(powermap_core::Error::NotFound(i18n::Said::new("error.sharing.not-shared")).into()),
            _ => return Err(powermap_core::Error::Invalid(i18n::Said::new("error.nearby.which-campaign")).into()),
        },
    };
    let laptop = match &campaign {
        Campaign::Shared(id) => store.shared_campaign(id)?.laptop,
        Campaign::Join { .. } => nearby.laptop.unwrap_or_else(powermap_core::store::this_computer),
    };
    let synced = sync_with(store, &nearby.address, &nearby.code, &campaign, &laptop, lang, now)
        .map_err(|error| Failure { status: ExitStatus::of(error.code()), message: error.message_in(lang) })?;
    let shared = store.shared_campaign(&synced.campaign)?;
    written(writeln!(
        out,
        "{}: with {}; in {} rows; out {} changes ({} rows)",
        shared.title, synced.laptop, synced.rows_in, synced.changes_out, synced.rows_out
    ))?;
    if synced.doubles > 0 {
        eprintln!(
            "powermap: {}: {} fields were changed on both laptops (see the window's Changed on two laptops)",
            shared.title, synced.doubles
        );
    }
    if joining {
        for session in &shared.sessions {
            written(writeln!(out, "{session}"))?;
        }
    }
    Ok(())
}

/// A write to the output, or the failure to say when it could not be made.
fn written(result: std::io::Result<()>) -> Result<(), Failure> {
    result.map_err(|e| Failure { status: ExitStatus::Io, message: format!("could not write the output: {e}") })
}

/// `powermap list`: the sessions, a campaign's together in order.
fn list(store: &Store, out: &mut dyn Write) -> Result<(), Failure> {
    for session in store.list_sessions()? {
        written(writeln!(out, "{}\t{}\t{}", session.id, session.date.as_deref().unwrap_or("-"), session.title))?;
    }
    Ok(())
}

/// `powermap sample`: the sample session added; its id printed.
fn sample(store: &Store, now: i64, out: &mut dyn Write) -> Result<(), Failure> {
    let id = store.create_sample_session(now)?;
    written(writeln!(out, "{id}"))?;
    Ok(())
}

/// `powermap follow-up`: the campaign's next meeting started; its id printed.
fn follow_up(
    store: &Store,
    session: &str,
    title: Option<String>,
    date: Option<String>,
    in_tray: bool,
    now: i64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let session = store.find_session(session)?;
    let cards = if in_tray { FollowUpCards::InTray } else { FollowUpCards::AsLastTime };
    let fields = FollowUpFields { title: title.unwrap_or_default(), date, cards };
    let next = store.start_follow_up(&session.id, &fields, Lang::from_env(), now)?;
    written(writeln!(out, "{}", next.id))?;
    Ok(())
}

/// `powermap serve`: the room on the session until Ctrl+C or SIGTERM.
fn serve(
    store: Store,
    database: &Path,
    session: &str,
    bind: Option<std::net::IpAddr>,
    port: u16,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let session = store.find_session(session)?;
    drop(store);
    let address = std::net::SocketAddr::new(
        bind.or_else(powermap_room::lan_address).unwrap_or(std::net::Ipv4Addr::LOCALHOST.into()),
        port,
    );
    let store = std::sync::Arc::new(Store::open(database)?);
    // The join address, once the room listens: a new code's join line names it.
    let url = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
    let options = powermap_room::RoomOptions::default().on_event({
        let url = url.clone();
        move |event| tell_room_event(event, url.get().map(String::as_str).unwrap_or(""))
    });
    let room = powermap_room::Room::start_with(store, &session.id, address, options).map_err(|e| match e {
        powermap_room::RoomError::Session(e) => Failure::from(e),
        other => Failure { status: ExitStatus::Unavailable, message: other.to_string() },
    })?;
    let _ = url.set(room.join_url());
    written(writeln!(out, "Join at {} with code {}", room.join_url(), room.code()))?;
    written(out.flush())?;
    let port = room.address().port();
    room.serve_until_signal(std::time::Duration::from_secs(30), || {
        eprintln!(
            "powermap: no device has joined yet. Check that the phones are on the same Wi-Fi as this computer, \
                 and that its firewall lets them reach port {port}."
        );
    });
    room.stop();
    Ok(())
}

/// `powermap export`: the session in a format, to a file, a folder or standard output.
fn export(
    store: &Store,
    session: &str,
    format: ExportFormat,
    paper: PaperSize,
    output: Option<PathBuf>,
    lang: Option<Lang>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let session = store.find_session(session)?;
    let lang = lang.unwrap_or_else(Lang::from_env);
    match output {
        Some(target) => {
            // Refused targets (the database itself) and failed writes: cannot create.
            let cannot_create = |e: powermap_core::Error| {
                let mut failure = Failure::from(e);
                if matches!(failure.status, ExitStatus::Io | ExitStatus::DataError) {
                    failure.status = ExitStatus::CannotCreate;
                }
                failure
            };
            let export = exchange::export::prepare(store, &session.id, format, paper.into(), lang, &target)
                .map_err(cannot_create)?;
            export.write().map_err(cannot_create)?;
            if let Some(notice) = export.notice() {
                eprintln!("powermap: {notice}");
            }
        }
        None if format.writes_a_folder() => {
            return Err(Failure {
                status: ExitStatus::Usage,
                message: "csv, svg and png write several files: name a folder with -o FOLDER".into(),
            })
        }
        None => {
            let files = exchange::export::session_files(store, &session.id, format, paper.into(), lang)?;
            for file in &files {
                written(out.write_all(&file.contents))?;
            }
            if let Some(notice) = exchange::notice(&files, lang) {
                eprintln!("powermap: {notice}");
            }
        }
    }
    Ok(())
}

/// `powermap import`: a map from a file (or a spreadsheet's two sheets) as a new session,
/// or with `preview`, what it would create and skip.
fn import(
    store: &Store,
    files: &[PathBuf],
    preview: bool,
    lang: Option<Lang>,
    now: i64,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = lang.unwrap_or_else(Lang::from_env);
    let said = |said: powermap_core::i18n::Said| said.render(lang);
    let read: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|file| {
            let bytes = maps::read_file(file).map_err(|e| match &e {
                powermap_core::Error::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => Failure {
                    status: ExitStatus::NoInput,
                    message: format!("could not read {}: {source}", file.display()),
                },
                _ => Failure { status: ExitStatus::of(e.code()), message: e.message_in(lang) },
            })?;
            Ok((file.display().to_string(), bytes))
        })
        .collect::<Result<_, Failure>>()?;
    let given: Vec<MapFile<'_>> = read.iter().map(|(name, bytes)| MapFile { name, bytes }).collect();
    let map = maps::read(&given, now, lang)
        .map_err(|e| Failure { status: ExitStatus::of(e.code()), message: e.message_in(lang) })?;
    let p = map.preview.clone().said_in(lang);
    let count = |key: &'static str, n: usize| said(i18n::Said::new(key).text("count", n));
    if preview {
        written(writeln!(
            out,
            "{}",
            said(i18n::Said::new("cli.import.heading").text("format", &p.format).text("title", &p.title))
        ))?;
        written(writeln!(out, "{}", count("cli.import.organizations", p.organizations.len())))?;
        for o in &p.organizations {
            let sector = i18n::message(lang, &format!("window.organization-form.sector.{}", o.sector.as_str()), &[]);
            let guessed = o
                .from_type
                .as_ref()
                .map(|t| format!(" {}", said(i18n::Said::new("cli.import.from-type").text("type", t))))
                .unwrap_or_default();
            written(writeln!(out, "  {} — {sector}{guessed}", o.name))?;
        }
        written(writeln!(out, "{}", count("cli.import.relationships", p.relationships.len())))?;
        for line in &p.relationships {
            written(writeln!(out, "  {line}"))?;
        }
        if !p.merged.is_empty() {
            written(writeln!(out, "{}", count("cli.import.merged", p.merged.len())))?;
            for m in &p.merged {
                written(writeln!(out, "  {}: {}", m.what, m.why))?;
            }
        }
        if p.skipped.is_empty() {
            written(writeln!(out, "{}", said(i18n::Said::new("cli.import.nothing-skipped"))))?;
        } else {
            written(writeln!(out, "{}", count("cli.import.skipped", p.skipped.len())))?;
        }
        for s in &p.skipped {
            written(writeln!(out, "  {}: {}", s.what, s.why))?;
        }
        return Ok(());
    }
    for m in &p.merged {
        let line = i18n::Said::new("cli.import.merged-line").text("what", &m.what).text("why", &m.why);
        eprintln!("powermap: {}", said(line));
    }
    for s in &p.skipped {
        let line = i18n::Said::new("cli.import.skipped-line").text("what", &s.what).text("why", &s.why);
        eprintln!("powermap: {}", said(line));
    }
    let id = maps::import(store, map)?;
    written(writeln!(out, "{id}"))?;
    Ok(())
}

/// `powermap history`: the session's steps, oldest first.
fn history(store: &Store, session: &str, lang: Option<Lang>, out: &mut dyn Write) -> Result<(), Failure> {
    let lang = lang.unwrap_or_else(Lang::from_env);
    let session = store.find_session(session)?;
    for line in store.history(&session.id)? {
        written(writeln!(
            out,
            "{}\t{}\t{}{}",
            when(line.entry.at),
            line.entry.actor.describe_in(lang),
            line.entry.label.describe_in(lang),
            if line.undone { format!("\t({})", i18n::message(lang, "cli.undone", &[])) } else { String::new() }
        ))?;
    }
    Ok(())
}

/// `powermap undo` and `powermap redo`: the session's newest step taken back, or its oldest
/// undone one done again; what was done said.
fn undo_or_redo(
    store: &Store,
    session: &str,
    lang: Option<Lang>,
    by_cli: Stamp,
    redo: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let lang = lang.unwrap_or_else(Lang::from_env);
    let session = store.find_session(session)?;
    let (change, said) = if redo {
        (store.redo(&session.id, by_cli)?, "cli.redone-step")
    } else {
        (store.undo(&session.id, by_cli)?, "cli.undone-step")
    };
    let step = step_words(lang, &change.label, &change.author);
    written(writeln!(out, "{}", i18n::message(lang, said, &[("step", step)])))?;
    Ok(())
}
