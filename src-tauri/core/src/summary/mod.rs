//! The summary of a session, as a facilitator prints or sends it afterwards: the header,
//! each grid with its organizations by region, the commitments grouped by who, the notes.
//! [`Summary`] is the one reading of a session that every export format writes out.

mod calendar;
pub mod drawing;
pub mod fonts;
mod html;
mod markdown;
mod pdf;
pub mod picture;
mod raster;
mod table;

pub use calendar::to_ics;
pub use fonts::picture_fonts;
pub use html::to_html;
pub use markdown::to_markdown;
pub use pdf::to_pdf;
pub use picture::to_svg;
pub use raster::to_png;
pub use table::{commitments_csv, organizations_csv};

use crate::model::{Commitment, CommitmentStatus, Grid, GridKind, Organization, Session, SessionData};

/// A session read for people: everything the summary shows, in the order it shows it.
#[derive(Debug, Clone)]
pub struct Summary {
    pub session: Session,
    pub participants: Vec<ParticipantLine>,
    pub grids: Vec<GridSummary>,
    /// Commitments grouped by who holds them, groups in alphabetical order.
    pub commitments: Vec<CommitmentGroup>,
    pub organizations: Vec<Organization>,
}

/// A person in the room, with the organization they represent.
#[derive(Debug, Clone)]
pub struct ParticipantLine {
    pub name: String,
    pub organization: Option<String>,
}

/// One grid: its cards where they sit, and the organizations in each region.
#[derive(Debug, Clone)]
pub struct GridSummary {
    pub grid: Grid,
    pub cards: Vec<Card>,
    pub regions: Vec<RegionSummary>,
    /// Organizations not placed on this grid (still in its tray).
    pub unplaced: Vec<Organization>,
    /// Cards that ended the session in another region than where they were first placed.
    pub moved: Vec<Moved>,
}

/// A card that changed region during the session: where it was first placed, where it is
/// now (`None`: back in the tray), and who moved it last.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    pub organization: Organization,
    pub from: String,
    pub to: Option<String>,
    pub by: String,
}

impl Moved {
    /// "Office of the Mayor: Keep satisfied → Manage closely (moved by Dolores)".
    pub fn line(&self) -> String {
        let to = self.to.as_deref().unwrap_or("off the grid");
        let by = if self.by.is_empty() { String::new() } else { format!(" (moved by {})", self.by) };
        format!("{}: {} → {to}{by}", self.organization.name, self.from)
    }
}

/// A card on a grid at normalized `(x, y)`, origin bottom-left, and who moved it last.
#[derive(Debug, Clone)]
pub struct Card {
    pub organization: Organization,
    pub x: f64,
    pub y: f64,
    pub moved_by: String,
}

/// A region of a grid and the organizations in it, in the session's order.
#[derive(Debug, Clone)]
pub struct RegionSummary {
    pub name: String,
    pub organizations: Vec<Organization>,
}

/// The commitments one organization or person holds, by due date (undated last).
#[derive(Debug, Clone)]
pub struct CommitmentGroup {
    pub who: String,
    pub commitments: Vec<Commitment>,
}

impl Summary {
    /// Reads a loaded session as a summary.
    pub fn of(data: SessionData) -> Summary {
        let name_of = |id: &Option<String>| {
            id.as_ref().and_then(|id| data.organizations.iter().find(|o| &o.id == id)).map(|o| o.name.clone())
        };
        let participants = data
            .participants
            .iter()
            .map(|p| ParticipantLine { name: p.name.clone(), organization: name_of(&p.organization_id) })
            .collect();
        let grids =
            data.grids
                .iter()
                .map(|grid| {
                    let cards: Vec<Card> =
                        data.organizations
                            .iter()
                            .filter_map(|o| {
                                data.placements.iter().find(|p| p.grid_id == grid.id && p.organization_id == o.id).map(
                                    |p| Card { organization: o.clone(), x: p.x, y: p.y, moved_by: p.moved_by.clone() },
                                )
                            })
                            .collect();
                    let regions = grid
                        .labels
                        .regions
                        .iter()
                        .enumerate()
                        .map(|(index, name)| RegionSummary {
                            name: name.clone(),
                            organizations: cards
                                .iter()
                                .filter(|c| grid.kind.region_at(c.x, c.y) == index)
                                .map(|c| c.organization.clone())
                                .collect(),
                        })
                        .collect();
                    let unplaced = data
                        .organizations
                        .iter()
                        .filter(|o| !cards.iter().any(|c| c.organization.id == o.id))
                        .cloned()
                        .collect();
                    GridSummary { grid: grid.clone(), cards, regions, unplaced, moved: Vec::new() }
                })
                .collect();
        let mut groups: Vec<CommitmentGroup> = Vec::new();
        for commitment in &data.commitments {
            let who = name_of(&commitment.organization_id).unwrap_or_else(|| commitment.person.clone());
            match groups.iter_mut().find(|g| g.who == who) {
                Some(group) => group.commitments.push(commitment.clone()),
                None => groups.push(CommitmentGroup { who, commitments: vec![commitment.clone()] }),
            }
        }
        groups.sort_by_key(|g| g.who.to_lowercase());
        for group in &mut groups {
            group.commitments.sort_by(|a, b| {
                let due = |c: &Commitment| c.due.clone().unwrap_or_else(|| "9999".into());
                due(a).cmp(&due(b)).then_with(|| a.action.cmp(&b.action))
            });
        }
        Summary { session: data.session, participants, grids, commitments: groups, organizations: data.organizations }
    }

    /// Adds what moved during the session: the cards whose region now differs from the one
    /// at `first_places` (where each card was first seen, by grid and organization id).
    pub fn with_first_places(
        mut self,
        first_places: &std::collections::HashMap<(String, String), (f64, f64)>,
    ) -> Summary {
        for grid in &mut self.grids {
            let region = |x: f64, y: f64| {
                let index = grid.grid.kind.region_at(x, y);
                grid.grid.labels.regions.get(index).cloned().unwrap_or_default()
            };
            let mut moved = Vec::new();
            for organization in &self.organizations {
                let Some(&(x, y)) = first_places.get(&(grid.grid.id.clone(), organization.id.clone())) else {
                    continue;
                };
                let from = region(x, y);
                let card = grid.cards.iter().find(|c| c.organization.id == organization.id);
                let to = card.map(|c| region(c.x, c.y));
                if to.as_ref() != Some(&from) {
                    let by = card.map(|c| c.moved_by.clone()).unwrap_or_default();
                    moved.push(Moved { organization: organization.clone(), from, to, by });
                }
            }
            grid.moved = moved;
        }
        self
    }

    /// The session's date, place and facilitator as (label, value), those that are given.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let s = &self.session;
        let mut facts = Vec::new();
        if let Some(date) = &s.date {
            facts.push(("Date", date.clone()));
        }
        if !s.place.is_empty() {
            facts.push(("Place", s.place.clone()));
        }
        if !s.facilitator.is_empty() {
            facts.push(("Facilitator", s.facilitator.clone()));
        }
        facts
    }

    /// Each participant as "Name (Organization)", or just the name.
    pub fn participant_lines(&self) -> Vec<String> {
        self.participants
            .iter()
            .map(|p| match &p.organization {
                Some(org) => format!("{} ({org})", p.name),
                None => p.name.clone(),
            })
            .collect()
    }

    /// The name of the organization `id`, if it is in the session.
    pub fn organization_name(&self, id: Option<&str>) -> Option<&str> {
        let id = id?;
        self.organizations.iter().find(|o| o.id == id).map(|o| o.name.as_str())
    }
}

impl crate::store::Store {
    /// The session read as a summary, with what moved during it (from its history).
    pub fn summary(&self, session_id: &str) -> crate::error::Result<Summary> {
        let data = self.load_session(session_id)?;
        Ok(Summary::of(data).with_first_places(&self.first_places(session_id)?))
    }

    /// Writes the session in `format` to `target` (a folder for the formats that write
    /// several files); returns the paths written.
    ///
    /// Errors: [`crate::Error::Conflict`] if a file would replace this database (or its
    /// journal), which is refused before anything is written; I/O errors as they come.
    pub fn export_to(
        &self,
        session_id: &str,
        format: ExportFormat,
        paper: Paper,
        target: &std::path::Path,
    ) -> crate::error::Result<Vec<std::path::PathBuf>> {
        let files = self.export_files(session_id, format, paper)?;
        if let Some(database) = self.path() {
            let paths: Vec<std::path::PathBuf> = if format.writes_a_folder() {
                files.iter().map(|f| target.join(&f.name)).collect()
            } else {
                vec![target.to_path_buf()]
            };
            if paths.iter().any(|p| is_database_file(p, database)) {
                return Err(crate::error::Error::conflict(format!(
                    "{} is Powermap's own database: an export there would destroy it. Choose another file.",
                    target.display()
                )));
            }
        }
        write_files(&files, format, target)
    }
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
}

impl ExportFile {
    fn text(name: &str, text: String) -> ExportFile {
        ExportFile { name: name.to_string(), contents: text.into_bytes() }
    }
}

/// The formats a session exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    /// The interchange format, `powermap/1`.
    Json,
    /// The summary as one self-contained web page.
    Html,
    /// The summary as Markdown.
    Md,
    /// Two files: organizations.csv and commitments.csv.
    Csv,
    /// Dated commitments as calendar to-dos.
    Ics,
    /// One picture per grid.
    Svg,
    /// The summary as a PDF document.
    Pdf,
    /// One PNG picture per grid.
    Png,
}

/// The paper a PDF export is laid out for (printing from the window follows the printer's).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 8.5 × 11 in, used in North America.
    Letter,
}

impl Paper {
    /// Width and height in PDF points (1/72 in).
    pub fn points(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

impl ExportFormat {
    /// Every format, in the order the export dialog offers them.
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Html,
        ExportFormat::Pdf,
        ExportFormat::Md,
        ExportFormat::Csv,
        ExportFormat::Ics,
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Json,
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
        }
    }

    /// The format named `name` (as [`ExportFormat::name`] gives it).
    pub fn parse(name: &str) -> Option<ExportFormat> {
        ExportFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The extension of the one file the format writes; `None` for a folder of files.
    pub fn extension(self) -> Option<&'static str> {
        if self.writes_a_folder() {
            None
        } else {
            Some(self.name())
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

/// The files of `summary` in `format` (for JSON, use [`crate::store::Store::export_files`]).
/// Single-file formats give one file named `summary.<ext>`; CSV gives two, SVG one per
/// grid (named after the grid, numbered). `paper` is the PDF's page size.
pub fn export(summary: &Summary, format: ExportFormat, paper: Paper) -> crate::error::Result<Vec<ExportFile>> {
    let one = |name: &str, text: String| vec![ExportFile::text(name, text)];
    if matches!(format, ExportFormat::Svg | ExportFormat::Png) && summary.grids.is_empty() {
        return Err(crate::error::Error::conflict("This session has no grid to draw: add one first."));
    }
    Ok(match format {
        ExportFormat::Json => {
            return Err(crate::error::Error::internal("The JSON export is made from the store, not the summary."))
        }
        ExportFormat::Html => one("summary.html", to_html(summary)),
        ExportFormat::Md => one("summary.md", to_markdown(summary)),
        ExportFormat::Ics => one("commitments.ics", to_ics(summary)),
        ExportFormat::Pdf => vec![ExportFile { name: "summary.pdf".into(), contents: to_pdf(summary, paper)? }],
        ExportFormat::Csv => vec![
            ExportFile::text("organizations.csv", organizations_csv(summary)?),
            ExportFile::text("commitments.csv", commitments_csv(summary)?),
        ],
        ExportFormat::Svg => summary
            .grids
            .iter()
            .enumerate()
            .map(|(n, grid)| {
                ExportFile::text(&format!("{}-{}.svg", n + 1, file_stem(&grid.grid.title)), to_svg(grid, true))
            })
            .collect(),
        ExportFormat::Png => {
            // Pictures are drawn side by side, one thread per grid: the machine's cores
            // share the rasterizing.
            let fonts = picture_fonts();
            std::thread::scope(|scope| {
                let drawings: Vec<_> = summary
                    .grids
                    .iter()
                    .enumerate()
                    .map(|(n, grid)| {
                        let fonts = &fonts;
                        let name = format!("{}-{}.png", n + 1, file_stem(&grid.grid.title));
                        scope.spawn(move || to_png(grid, 1.5, fonts).map(|contents| ExportFile { name, contents }))
                    })
                    .collect();
                drawings
                    .into_iter()
                    .map(|drawing| {
                        drawing
                            .join()
                            .unwrap_or_else(|_| Err(crate::error::Error::internal("Drawing a picture failed.")))
                    })
                    .collect::<crate::error::Result<Vec<_>>>()
            })?
        }
    })
}

impl crate::store::Store {
    /// The session exported as `format` (a PDF on `paper`): its files, named and in memory.
    pub fn export_files(
        &self,
        session_id: &str,
        format: ExportFormat,
        paper: Paper,
    ) -> crate::error::Result<Vec<ExportFile>> {
        match format {
            ExportFormat::Json => {
                Ok(vec![ExportFile::text("session.json", self.export_document(session_id)?.to_json())])
            }
            _ => export(&self.summary(session_id)?, format, paper),
        }
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
            .map_err(|e| Error::io(format!("Could not create the folder {}", target.display()), e))?;
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

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> crate::error::Result<()> {
    use std::io::Write;
    let fail = |e: std::io::Error| crate::error::Error::io(format!("Could not write {}", path.display()), e);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".powermap-");
    // The file keeps the permissions of the one it replaces; a new one gets read-write for
    // its owner and read for others, not a temporary file's owner-only.
    #[cfg(unix)]
    builder.permissions(match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    });
    let mut temporary = builder.tempfile_in(folder).map_err(fail)?;
    temporary.write_all(bytes).map_err(fail)?;
    temporary.as_file().sync_all().map_err(fail)?;
    temporary.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A title made safe as part of a file name: letters, digits and dashes.
fn file_stem(title: &str) -> String {
    let stem: String = title.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let stem = stem.split('-').filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    if stem.is_empty() {
        "grid".into()
    } else {
        stem
    }
}

/// The name of a grid kind for people.
pub fn kind_label(kind: GridKind) -> &'static str {
    match kind {
        GridKind::PowerInterest => "Power and interest grid",
        GridKind::PowerSupport => "Power map",
        GridKind::SpectrumOfAllies => "Spectrum of allies",
    }
}

/// A commitment status for people.
pub fn status_label(status: CommitmentStatus) -> &'static str {
    match status {
        CommitmentStatus::Open => "Open",
        CommitmentStatus::Done => "Done",
        CommitmentStatus::Dropped => "Dropped",
    }
}

/// "Name ★" for organizations led by directly affected people.
pub fn marked_name(organization: &Organization) -> String {
    if organization.directly_affected {
        format!("{} ★", organization.name)
    } else {
        organization.name.clone()
    }
}

/// Text made safe inside XML and HTML.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
