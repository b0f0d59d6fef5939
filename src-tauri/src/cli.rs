//! The headless side of the binary: `powermap list | sample | export | import`, on the same
//! database as the window, for scripts, batch work and tests. Errors go to stderr with a
//! non-zero exit status.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};
use powermap_core::summary::{self, ExportFormat, Paper};
use powermap_core::{Document, Store};

/// Power mapping for facilitated workshops. Without a command, opens the window.
#[derive(Debug, Parser)]
#[command(name = "powermap", version, about)]
pub struct Invocation {
    /// The database file [default: the OS app-data folder]
    #[arg(long = "db", value_name = "PATH", env = "POWERMAP_DB", global = true)]
    pub database: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the sessions, most recent first: id, date, title.
    List,
    /// Add the sample session (a housing-rights coalition) and print its id.
    Sample,
    /// Export a session, named by id or exact title.
    Export {
        /// The session's id or exact title
        session: String,
        /// The format to write
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// The paper a PDF is laid out for
        #[arg(long, value_enum, default_value_t = PaperSize::A4)]
        paper: PaperSize,
        /// The file to write [default: standard output]; a folder for csv and svg, which
        /// write several files
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Import a session from a `powermap/1` JSON file and print its id.
    Import {
        /// The JSON file to read
        file: PathBuf,
    },
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The interchange format, powermap/1 (docs/interchange-format.md)
    Json,
    /// The summary as one self-contained web page (prints as it shows)
    Html,
    /// The summary as Markdown, for email and documents
    Md,
    /// organizations.csv and commitments.csv, into the folder given with -o
    Csv,
    /// Dated commitments as calendar to-dos
    Ics,
    /// Each grid as a picture, into the folder given with -o
    Svg,
    /// The summary as PDF, made without a browser
    Pdf,
    /// Each grid as a PNG picture, into the folder given with -o
    Png,
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

impl From<Format> for ExportFormat {
    fn from(format: Format) -> ExportFormat {
        match format {
            Format::Json => ExportFormat::Json,
            Format::Html => ExportFormat::Html,
            Format::Md => ExportFormat::Md,
            Format::Csv => ExportFormat::Csv,
            Format::Ics => ExportFormat::Ics,
            Format::Svg => ExportFormat::Svg,
            Format::Pdf => ExportFormat::Pdf,
            Format::Png => ExportFormat::Png,
        }
    }
}

/// Parses the command line; exits with usage help on bad arguments.
///
/// Arguments the window's host adds (WebKit's automation, for instance) are not ours, so
/// when the first argument is no subcommand of ours, only `--db` is read from the line.
pub fn parse() -> Invocation {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let is_ours = |arg: &std::ffi::OsString| {
        let arg = arg.to_string_lossy();
        ["list", "sample", "export", "import", "help", "--help", "-h", "--version", "-V"]
            .contains(&arg.as_ref())
    };
    let headless = args.iter().skip(1).any(is_ours);
    if headless {
        return Invocation::parse_from(args);
    }
    let database = args
        .iter()
        .position(|a| a == "--db")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .or_else(|| {
            args.iter()
                .find_map(|a| a.to_string_lossy().strip_prefix("--db=").map(PathBuf::from))
        })
        .or_else(|| std::env::var_os("POWERMAP_DB").map(PathBuf::from));
    Invocation { database, command: None }
}

/// Runs a headless command on the database at `database`; returns the exit status.
pub fn run(command: Command, database: &Path) -> i32 {
    match execute(command, database, &mut std::io::stdout().lock()) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("powermap: {message}");
            1
        }
    }
}

/// Runs `command`, writing its normal output to `out`.
pub fn execute(command: Command, database: &Path, out: &mut dyn Write) -> Result<(), String> {
    let store = Store::open(database).map_err(|e| e.to_string())?;
    let now = crate::commands::now();
    let written = |r: std::io::Result<()>| r.map_err(|e| format!("could not write the output: {e}"));
    match command {
        Command::List => {
            for session in store.list_sessions().map_err(|e| e.to_string())? {
                written(writeln!(
                    out,
                    "{}\t{}\t{}",
                    session.id,
                    session.date.as_deref().unwrap_or("-"),
                    session.title
                ))?;
            }
        }
        Command::Sample => {
            let id = store.create_sample_session(now).map_err(|e| e.to_string())?;
            written(writeln!(out, "{id}"))?;
        }
        Command::Export { session, format, paper, output } => {
            let format = ExportFormat::from(format);
            let session = store.find_session(&session).map_err(|e| e.to_string())?;
            let files = store.export_files(&session.id, format, paper.into()).map_err(|e| e.to_string())?;
            match output {
                Some(target) => {
                    summary::write_files(&files, format, &target).map_err(|e| e.to_string())?;
                }
                None if format.writes_a_folder() => {
                    return Err("csv, svg and png write several files: name a folder with -o FOLDER".into())
                }
                None => {
                    for file in &files {
                        written(out.write_all(&file.contents))?;
                    }
                }
            }
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("could not read {}: {e}", file.display()))?;
            let document = Document::from_json(&text).map_err(|e| e.to_string())?;
            let id = store.import_document(document).map_err(|e| e.to_string())?;
            written(writeln!(out, "{id}"))?;
        }
    }
    Ok(())
}
