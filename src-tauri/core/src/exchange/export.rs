//! The export formats: which files each writes — the summary's (HTML, Markdown, PDF,
//! calendar, CSV, pictures), Powermap's JSON and a Kumu blueprint — and writing them safely
//! (never half a file, never over the open database).

use crate::files::write_atomically;
use crate::i18n::{Lang, Said};
use crate::store::Store;
use crate::summary::shaping::Unprintable;
pub use crate::summary::Paper;
use crate::summary::{
    commitments_csv, organizations_csv, said_and_done_csv, to_html, to_ics, to_markdown, to_pdf_noting, to_png_noting,
    to_svg, Summary,
};

/// An export made and checked, not yet written: its files and the paths they go to.
#[derive(Debug)]
pub struct PreparedExport {
    pub files: Vec<ExportFile>,
    pub format: ExportFormat,
    /// The language of the summary's words, and of the notice.
    pub lang: Lang,
    pub target: std::path::PathBuf,
    /// Where each file goes, in the order of `files`.
    pub paths: Vec<std::path::PathBuf>,
}

impl PreparedExport {
    /// The files already there that writing would replace.
    pub fn replaces(&self) -> Vec<&std::path::Path> {
        self.paths.iter().filter(|p| p.exists()).map(|p| p.as_path()).collect()
    }

    /// What the export says of the characters it had to leave out, if any.
    pub fn notice(&self) -> Option<String> {
        notice(&self.files, self.lang)
    }

    /// Writes the files (see [`write_files`]); returns the paths written.
    pub fn write(&self) -> crate::error::Result<Vec<std::path::PathBuf>> {
        write_files(&self.files, self.format, &self.target)
    }

    /// Writes the files; says what was written and what was left out.
    pub fn write_reporting(&self) -> crate::error::Result<ExportReport> {
        let paths = self.write()?.iter().map(|p| p.display().to_string()).collect();
        Ok(ExportReport { paths, unprintable: unprintable(&self.files) })
    }
}

/// Makes the session's export in `format` for `target` (a folder for the formats that
/// write several files) without writing it, so the caller can ask before replacing a file.
///
/// Errors: [`crate::Error::Conflict`] if a file would replace the store's database (or its
/// journal).
pub fn prepare(
    store: &Store,
    session_id: &str,
    format: ExportFormat,
    paper: Paper,
    lang: Lang,
    target: &std::path::Path,
) -> crate::error::Result<PreparedExport> {
    let files = session_files(store, session_id, format, paper, lang)?;
    let paths: Vec<std::path::PathBuf> = if format.writes_a_folder() {
        files.iter().map(|f| target.join(&f.name)).collect()
    } else {
        vec![target.to_path_buf()]
    };
    if let Some(database) = store.path() {
        if paths.iter().any(|p| is_database_file(p, database)) {
            return Err(crate::error::Error::conflict(
                Said::new("error.export.own-database").text("path", target.display()),
            ));
        }
    }
    Ok(PreparedExport { files, format, lang, target: target.to_path_buf(), paths })
}

/// Writes the session in `format` to `target` (a folder for the formats that write several
/// files), replacing what is there; returns the paths written.
///
/// Errors: [`crate::Error::Conflict`] if a file would replace the store's database (or its
/// journal), which is refused before anything is written; I/O errors as they come.
pub fn write_session(
    store: &Store,
    session_id: &str,
    format: ExportFormat,
    paper: Paper,
    lang: Lang,
    target: &std::path::Path,
) -> crate::error::Result<Vec<std::path::PathBuf>> {
    prepare(store, session_id, format, paper, lang, target)?.write()
}

/// Whether writing `path` would replace the database at `database` or its WAL journal.
fn is_database_file(path: &std::path::Path, database: &std::path::Path) -> bool {
    let canonical = |p: &std::path::Path| -> Option<std::path::PathBuf> {
        let folder = p.parent().filter(|f| !f.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        Some(folder.canonicalize().ok()?.join(p.file_name()?))
    };
    let (Some(path), Some(database)) = (canonical(path), canonical(database)) else {
        return false;
    };
    ["", "-wal", "-shm", "-journal"].iter().any(|suffix| {
        let mut name = database.as_os_str().to_os_string();
        name.push(suffix);
        path == std::path::Path::new(&name)
    })
}

/// A file an export writes: its name (for formats that write several) and its contents.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFile {
    pub name: String,
    pub contents: Vec<u8>,
    /// Characters no face could draw, left out of a PDF or PNG.
    pub unprintable: Vec<Unprintable>,
}

impl ExportFile {
    fn text(name: &str, text: String) -> ExportFile {
        ExportFile { name: name.to_string(), contents: text.into_bytes(), unprintable: Vec::new() }
    }

    fn drawn(name: String, (contents, unprintable): (Vec<u8>, Vec<Unprintable>)) -> ExportFile {
        ExportFile { name, contents, unprintable }
    }
}

/// What an export wrote, and what it says of the characters it had to leave out.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ExportReport {
    /// The files written.
    pub paths: Vec<String>,
    /// The characters no face draws, left out of a PDF or PNG (each once): the window says
    /// so in its own language (`export.unprintable` in the catalogs).
    pub unprintable: Vec<Unprintable>,
}

/// The characters the export of `files` had to leave out, each once.
fn unprintable(files: &[ExportFile]) -> Vec<Unprintable> {
    let mut all: Vec<Unprintable> = Vec::new();
    for u in files.iter().flat_map(|f| &f.unprintable) {
        if !all.iter().any(|a| a.character == u.character) {
            all.push(u.clone());
        }
    }
    all
}

/// What an export of `files` says of the characters it had to leave out, if any, in `lang`.
pub fn notice(files: &[ExportFile], lang: Lang) -> Option<String> {
    crate::summary::shaping::notice(&unprintable(files), lang)
}

/// The formats a session exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    /// The interchange format, `powermap/2`.
    Json,
    /// The summary as one self-contained web page.
    Html,
    /// The summary as Markdown.
    Md,
    /// Three files: organizations.csv, commitments.csv and said-and-done.csv.
    Csv,
    /// Dated commitments as calendar to-dos.
    Ics,
    /// One picture per grid.
    Svg,
    /// The summary as a PDF document.
    Pdf,
    /// One PNG picture per grid.
    Png,
    /// The organizations and relationships as a Kumu JSON blueprint.
    Kumu,
}

impl ExportFormat {
    /// Every format, in the order the export dialog offers them.
    pub const ALL: [ExportFormat; 9] = [
        ExportFormat::Html,
        ExportFormat::Pdf,
        ExportFormat::Md,
        ExportFormat::Csv,
        ExportFormat::Ics,
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Json,
        ExportFormat::Kumu,
    ];

    /// Whether the format writes several files (into a folder).
    pub fn writes_a_folder(self) -> bool {
        matches!(self, ExportFormat::Csv | ExportFormat::Svg | ExportFormat::Png)
    }

    /// The format's name, as the command line takes it (`--format pdf`).
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Html => "html",
            ExportFormat::Md => "md",
            ExportFormat::Csv => "csv",
            ExportFormat::Ics => "ics",
            ExportFormat::Svg => "svg",
            ExportFormat::Pdf => "pdf",
            ExportFormat::Png => "png",
            ExportFormat::Kumu => "kumu",
        }
    }

    /// The format named `name` (as [`ExportFormat::name`] gives it).
    pub fn parse(name: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The extension of the one file the format writes; `None` for a folder of files.
    pub fn extension(self) -> Option<&'static str> {
        match self {
            _ if self.writes_a_folder() => None,
            ExportFormat::Kumu => Some("json"),
            _ => Some(self.name()),
        }
    }
}

/// What the export dialog needs to know of a format.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportFormatInfo {
    pub format: ExportFormat,
    /// The extension of the file it writes, or `None` when it writes a folder of files.
    pub extension: Option<String>,
}

impl ExportFormatInfo {
    /// Every format, in the export dialog's order.
    pub fn all() -> Vec<ExportFormatInfo> {
        ExportFormat::ALL
            .into_iter()
            .map(|format| ExportFormatInfo { format, extension: format.extension().map(str::to_string) })
            .collect()
    }
}

/// The files of `summary` in `format` (for JSON and Kumu, use [`session_files`]).
/// Single-file formats give one file named `summary.<ext>`; CSV gives two, SVG one per
/// grid (named after the grid, numbered). `paper` is the PDF's page size.
pub fn export(summary: &Summary, format: ExportFormat, paper: Paper) -> crate::error::Result<Vec<ExportFile>> {
    let one = |name: &str, text: String| vec![ExportFile::text(name, text)];
    if matches!(format, ExportFormat::Svg | ExportFormat::Png) && summary.grids.is_empty() {
        return Err(crate::error::Error::conflict("error.export.no-grid"));
    }
    Ok(match format {
        ExportFormat::Json | ExportFormat::Kumu => {
            return Err(crate::error::Error::internal("error.internal.json-from-summary"))
        }
        ExportFormat::Html => one("summary.html", to_html(summary)),
        ExportFormat::Md => one("summary.md", to_markdown(summary)),
        ExportFormat::Ics => one("commitments.ics", to_ics(summary)),
        ExportFormat::Pdf => vec![ExportFile::drawn("summary.pdf".into(), to_pdf_noting(summary, paper)?)],
        ExportFormat::Csv => vec![
            ExportFile::text("organizations.csv", organizations_csv(summary)?),
            ExportFile::text("commitments.csv", commitments_csv(summary)?),
            ExportFile::text("said-and-done.csv", said_and_done_csv(summary)?),
        ],
        ExportFormat::Svg => summary
            .grids
            .iter()
            .enumerate()
            .map(|(n, grid)| ExportFile {
                name: format!("{}-{}.svg", n + 1, file_stem(&grid.grid.title)),
                contents: to_svg(grid, true).into_bytes(),
                unprintable: crate::summary::drawing::unprintable(&crate::summary::drawing::draw(grid)),
            })
            .collect(),
        ExportFormat::Png => {
            // Pictures are drawn side by side, one thread per grid: the machine's cores
            // share the rasterizing.
            std::thread::scope(|scope| {
                let drawings: Vec<_> = summary
                    .grids
                    .iter()
                    .enumerate()
                    .map(|(n, grid)| {
                        let name = format!("{}-{}.png", n + 1, file_stem(&grid.grid.title));
                        scope.spawn(move || to_png_noting(grid, 1.5).map(|drawn| ExportFile::drawn(name, drawn)))
                    })
                    .collect();
                drawings
                    .into_iter()
                    .map(|drawing| {
                        drawing
                            .join()
                            .unwrap_or_else(|_| Err(crate::error::Error::internal("error.internal.drawing-failed")))
                    })
                    .collect::<crate::error::Result<Vec<_>>>()
            })?
        }
    })
}

/// The session exported as `format` (a PDF on `paper`; the summary's formats written in
/// `lang`): its files, named and in memory.
pub fn session_files(
    store: &Store,
    session_id: &str,
    format: ExportFormat,
    paper: Paper,
    lang: Lang,
) -> crate::error::Result<Vec<ExportFile>> {
    match format {
        ExportFormat::Json => Ok(vec![ExportFile::text("session.json", store.export_document(session_id)?.to_json())]),
        ExportFormat::Kumu => {
            Ok(vec![ExportFile::text("kumu.json", super::maps::kumu_blueprint(&store.load_session(session_id)?))])
        }
        _ => export(&Summary::read(store, session_id)?.in_language(lang), format, paper),
    }
}

/// Writes exported files to `target`: the file itself for a one-file format, or a folder
/// (created if need be) for CSV and SVG. Each file goes to a temporary file first and is
/// renamed into place, so a failure never leaves a partial file. Returns the paths written.
pub fn write_files(
    files: &[ExportFile],
    format: ExportFormat,
    target: &std::path::Path,
) -> crate::error::Result<Vec<std::path::PathBuf>> {
    use crate::error::Error;
    let mut written = Vec::new();
    if format.writes_a_folder() {
        std::fs::create_dir_all(target)
            .map_err(|e| Error::io(Said::new("error.io.create-folder").text("path", target.display()), e))?;
        for file in files {
            let path = target.join(&file.name);
            write_atomically(&path, &file.contents)?;
            written.push(path);
        }
    } else if let Some(file) = files.first() {
        write_atomically(target, &file.contents)?;
        written.push(target.to_path_buf());
    }
    Ok(written)
}

/// The most bytes a title gives a file name: file systems allow 255, and the name also
/// holds a number, a dash and an extension.
const MAX_STEM_BYTES: usize = 80;

/// A title made safe as part of a file name: letters, digits and dashes, at most
/// [`MAX_STEM_BYTES`] bytes (cut between characters).
pub(crate) fn file_stem(title: &str) -> String {
    let stem: String = title.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let mut stem = stem.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if stem.len() > MAX_STEM_BYTES {
        let mut end = MAX_STEM_BYTES;
        while !stem.is_char_boundary(end) {
            end -= 1;
        }
        stem.truncate(end);
        stem = stem.trim_end_matches('-').to_string();
    }
    if stem.is_empty() {
        "grid".into()
    } else {
        stem
    }
}
