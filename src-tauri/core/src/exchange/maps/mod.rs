//! Maps made in the tools people already use, read into a new session: a Kumu blueprint
//! (JSON, or its element and connection sheets saved as CSV), an Oligrapher map (JSON,
//! version 3 or 2), and Powermap's own JSON. Elements and nodes become organizations (the
//! sector guessed from their type where it says one), connections and edges become
//! relationships; the session gets one power-interest grid with every card in the tray.
//!
//! A session is also written as a Kumu blueprint ([`kumu_blueprint`]).
//!
//! Reading makes a [`MapImport`]: the session as an interchange [`InterchangeDocument`] that has
//! already been through the import's own checks, and a [`MapPreview`] made from that
//! document, naming what will be created, every element merged into another, and
//! everything skipped, and why. The preview and the import are one code path: what the
//! import's checks would refuse in a foreign map (a line drawn twice, a note too long) is
//! skipped, and listed, rather than refusing the map. Nothing is stored until the import.
//!
//! Files larger than [`MAX_MAP_BYTES`] are refused before they are read whole.

mod kumu;
mod oligrapher;
mod vocabulary;

pub use kumu::blueprint as kumu_blueprint;

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::i18n::{Lang, Said};
use crate::interchange::{InterchangeDocument, FORMAT};
use crate::model::new_id;
use crate::model::{text, Grid, GridKind, Millis, Organization, OrganizationFields, Relationship, Sector, Session};
use crate::store::Store;

/// The largest map file Powermap imports: 20 MB. A 10 MB Kumu blueprint (some 40,000
/// elements and connections) imports in about a second; reading a much larger one would
/// hold hundreds of megabytes while it is read. Larger files are refused before they are
/// read whole.
pub const MAX_MAP_BYTES: u64 = 20 * 1024 * 1024;

/// A file handed to the import: its name (for the session's title and messages) and bytes.
pub struct MapFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The refusal of a file of `size` bytes, over [`MAX_MAP_BYTES`].
fn too_large(name: &str, size: u64) -> Error {
    let megabytes = |bytes: u64| format!("{:.1}", bytes as f64 / (1024.0 * 1024.0));
    Error::bad_import(
        Said::new("error.map-import.too-large")
            .text("name", name)
            .text("size", megabytes(size))
            .text("limit", MAX_MAP_BYTES / (1024 * 1024)),
    )
}

/// Reads the file at `path` to import it, refusing one larger than [`MAX_MAP_BYTES`]
/// before reading it whole: its length is checked first, and the reading stops past the
/// limit (a file that grows meanwhile, or a device that states no length).
///
/// Errors: [`Error::BadImport`] for a file too large; [`Error::Io`] if it cannot be read.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    let io =
        |source: std::io::Error| Error::Io { context: Said::new("error.io.read").text("path", path.display()), source };
    let file = std::fs::File::open(path).map_err(io)?;
    let stated = file.metadata().map_err(io)?.len();
    let name = path.display().to_string();
    if stated > MAX_MAP_BYTES {
        return Err(too_large(&name, stated));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(stated).unwrap_or(0));
    file.take(MAX_MAP_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > MAX_MAP_BYTES {
        return Err(too_large(&name, bytes.len() as u64));
    }
    Ok(bytes)
}

/// What an import will create, and what it skips.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct MapPreview {
    /// The kind of file read, for people ("Kumu blueprint (JSON)").
    pub format: String,
    /// The new session's title.
    pub title: String,
    pub organizations: Vec<PreviewOrganization>,
    /// Each relationship in words ("Legal Aid speaks for Tenants Union").
    pub relationships: Vec<String>,
    /// Elements that are one card with an earlier element (the same id, or the same name
    /// in a file without ids), and why.
    pub merged: Vec<Skipped>,
    /// What is left out, and why.
    pub skipped: Vec<Skipped>,
    /// `format`, to be said in any language.
    #[serde(skip)]
    #[ts(skip)]
    pub said_format: Said,
    /// `relationships`, to be said in any language.
    #[serde(skip)]
    #[ts(skip)]
    pub said_relationships: Vec<Said>,
}

/// An organization an import will create.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PreviewOrganization {
    pub name: String,
    pub sector: Sector,
    /// The type the file gave it, when the sector was guessed from it.
    pub from_type: Option<String>,
}

/// Something of the file an import leaves out (or merges into another card), and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Skipped {
    /// Which part of the file ("connection 3", "node “Acme”").
    pub what: String,
    pub why: String,
    /// `what`, to be said in any language (the field above is its English).
    #[serde(skip)]
    #[ts(skip)]
    pub said_what: Said,
    /// `why`, to be said in any language.
    #[serde(skip)]
    #[ts(skip)]
    pub said_why: Said,
}

impl Skipped {
    /// `what` (a `word.map-*`) left out, and why.
    pub(crate) fn new(what: Said, why: impl Into<Said>) -> Skipped {
        let why = why.into();
        Skipped { what: what.to_string(), why: why.to_string(), said_what: what, said_why: why }
    }
}

impl MapPreview {
    /// The preview said in `lang` (the window's language): the format, the relationships,
    /// and what it skips, and why.
    pub fn said_in(mut self, lang: crate::i18n::Lang) -> MapPreview {
        self.format = self.said_format.render(lang);
        self.relationships = self.said_relationships.iter().map(|line| line.render(lang)).collect();
        for skipped in self.skipped.iter_mut().chain(self.merged.iter_mut()) {
            skipped.what = skipped.said_what.render(lang);
            skipped.why = skipped.said_why.render(lang);
        }
        self
    }
}

/// A file read and ready to import: the document the import will store, already through
/// the import's checks, and the preview made from it.
#[derive(Debug, Clone)]
pub struct MapImport {
    pub preview: MapPreview,
    pub document: InterchangeDocument,
}

/// An element or node of a foreign map, as read.
#[derive(Debug, Clone)]
pub(crate) struct Element {
    /// Where it is in the file ("element 3", "line 4"), for messages.
    pub at: Said,
    /// Its id in the file (may be empty: then connections name it by label).
    pub key: String,
    pub label: String,
    pub kind: String,
    pub description: String,
    pub tags: Vec<String>,
}

/// A connection or edge of a foreign map, as read: its ends by id or by label.
#[derive(Debug, Clone)]
pub(crate) struct Tie {
    /// Where it is in the file ("connection 3", "line 4"), for messages.
    pub at: Said,
    pub from: String,
    pub to: String,
    /// Its type (or label), from which the kind of relationship is guessed.
    pub kind: String,
    /// Whether the type is kept in the note when it is not one of Powermap's own kinds
    /// (Kumu's types; an Oligrapher edge's label is its description already).
    pub kind_in_note: bool,
    pub description: String,
    pub tags: Vec<String>,
    /// Its strength on the file's own scale, if it has one.
    pub strength: Option<f64>,
    pub mutual: bool,
}

impl Tie {
    /// A tie at `at` from `from` to `to`, with nothing else said of it.
    pub(crate) fn between(at: Said, from: String, to: String) -> Tie {
        Tie {
            at,
            from,
            to,
            kind: String::new(),
            kind_in_note: false,
            description: String::new(),
            tags: Vec::new(),
            strength: None,
            mutual: false,
        }
    }
}

/// A foreign map as read: a title if it has one, its elements and ties, and what could not
/// be read at all.
#[derive(Debug, Clone, Default)]
pub(crate) struct Foreign {
    /// The kind of file, as a catalog key (`map-import.format.*`).
    pub format: &'static str,
    pub title: Option<String>,
    pub elements: Vec<Element>,
    pub ties: Vec<Tie>,
    pub skipped: Vec<Skipped>,
}

/// The tag Powermap's Kumu export gives an organization led by directly affected people.
pub(crate) const AFFECTED_TAG: &str = "led by directly affected people";

/// Reads `files` (one, or a Kumu spreadsheet's two sheets) as a map to import, dated `now`;
/// the new session's notes, and the words added to notes ("Tags: …"), are said in `lang`.
///
/// Errors: [`Error::BadImport`] for a file larger than [`MAX_MAP_BYTES`], of no kind
/// Powermap reads, malformed (truncated JSON, a spreadsheet cut inside a quoted cell,
/// nesting too deep), or with nothing to import.
pub fn read(files: &[MapFile<'_>], now: Millis, lang: Lang) -> Result<MapImport> {
    let first = files.first().ok_or_else(|| Error::bad_import("error.map-import.no-file"))?;
    if files.len() > 2 {
        return Err(Error::bad_import("error.map-import.too-many"));
    }
    for file in files {
        if file.bytes.len() as u64 > MAX_MAP_BYTES {
            return Err(too_large(file.name, file.bytes.len() as u64));
        }
    }
    let texts: Vec<&str> = files.iter().map(|f| as_text(f)).collect::<Result<_>>()?;
    let stem = title_from_name(first.name);
    if files.len() == 1 && texts[0].trim_start().starts_with(['{', '[']) {
        return match serde_json::from_str::<serde_json::Value>(texts[0]) {
            Ok(value) => from_json(value, texts[0], &stem, now, lang),
            Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
                Err(Error::bad_import("error.map-import.too-deep"))
            }
            Err(e) => Err(Error::bad_import(Said::new("error.map-import.bad-json").text("detail", e))),
        };
    }
    build(kumu::from_sheets(&texts)?, &stem, now, lang)
}

fn as_text<'a>(file: &MapFile<'a>) -> Result<&'a str> {
    let bytes = file.bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(file.bytes);
    std::str::from_utf8(bytes)
        .map_err(|_| Error::bad_import(Said::new("error.map-import.not-utf8").text("name", file.name)))
}

/// A title from a file name: its stem, one line, within the name limit.
fn title_from_name(name: &str) -> String {
    let stem = std::path::Path::new(name).file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let clean: String = stem.chars().filter(|c| !c.is_control()).take(text::MAX_NAME).collect();
    if clean.trim().is_empty() {
        "Imported map".into()
    } else {
        clean.trim().to_string()
    }
}

fn from_json(value: serde_json::Value, raw: &str, stem: &str, now: Millis, lang: Lang) -> Result<MapImport> {
    if value.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("powermap/")) {
        let document = InterchangeDocument::from_json(raw)?.validated()?;
        let preview = preview_of(&document, "map-import.format.powermap", Vec::new(), Vec::new());
        return Ok(MapImport { preview, document });
    }
    if value.get("elements").is_some() || value.get("connections").is_some() {
        return build(kumu::from_json(&value)?, stem, now, lang);
    }
    // Oligrapher's maps, with their `graph`, or its bare `nodes` and `edges` as the demo
    // pages embed them.
    if value.get("graph").is_some_and(|g| g.get("nodes").is_some())
        || (value.get("nodes").is_some() && value.get("edges").is_some())
    {
        return build(oligrapher::from_json(&value)?, stem, now, lang);
    }
    Err(Error::bad_import("error.map-import.unknown-json"))
}

/// How a connection's end names an element of the file.
enum End {
    /// One organization to be created (its place in the list).
    Found(usize),
    /// An element that was skipped (its label or id, as the file names it).
    Skipped(String),
    /// Several elements of that label, and no id to tell them apart.
    Ambiguous,
    Unknown,
}

/// The notes of an imported element or connection: its description, then its tags (and,
/// for a connection, its type when the kind of relationship had to be guessed from it),
/// each on a line of its own, said in `lang`.
fn notes_of(description: &str, kind: Option<&str>, tags: &[String], lang: Lang) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !description.trim().is_empty() {
        lines.push(description.to_string());
    }
    if let Some(kind) = kind.map(str::trim).filter(|k| !k.is_empty()) {
        lines.push(Said::new("map-import.note-type").text("type", kind).render(lang));
    }
    if !tags.is_empty() {
        lines.push(Said::new("map-import.note-tags").text("tags", tags.join(", ")).render(lang));
    }
    lines.join("\n")
}

/// Makes the new session of a foreign map: organizations from its elements, relationships
/// from its ties, one power-interest grid with every card in the tray. The session passes
/// the import's own checks here, and whatever they would refuse is skipped and said.
pub(crate) fn build(foreign: Foreign, stem: &str, now: Millis, lang: Lang) -> Result<MapImport> {
    let mut skipped = foreign.skipped;
    let mut merged = Vec::new();
    let title = foreign
        .title
        .as_deref()
        .and_then(|t| text::name("word.session-title", t).ok())
        .unwrap_or_else(|| stem.to_string());
    let mut organizations: Vec<Organization> = Vec::new();
    let mut from_types = Vec::new();
    // Where a file has ids, its elements are told apart by id; names are compared exactly.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_label: HashMap<String, Vec<usize>> = HashMap::new();
    let mut unkeyed_by_label: HashMap<String, usize> = HashMap::new();
    let mut gone: HashSet<&str> = HashSet::new();
    for element in &foreign.elements {
        let label = element.label.trim();
        let what =
            if label.is_empty() { element.at.clone() } else { Said::new("word.map-element-named").text("name", label) };
        let sector = vocabulary::sector(&element.kind);
        let affected = element.tags.iter().any(|t| t.trim().eq_ignore_ascii_case(AFFECTED_TAG));
        let tags: Vec<String> =
            element.tags.iter().filter(|t| !t.trim().eq_ignore_ascii_case(AFFECTED_TAG)).cloned().collect();
        let mut fields = OrganizationFields::named(&element.label);
        fields.sector = sector.unwrap_or(Sector::CommunityGroup);
        fields.directly_affected = affected;
        fields.notes = notes_of(&element.description, None, &tags, lang);
        let fields = match fields.validated() {
            Ok(fields) => fields,
            Err(e) => {
                skipped.push(Skipped::new(what, e.said()));
                for name in [element.key.as_str(), element.label.as_str()] {
                    if !name.trim().is_empty() {
                        gone.insert(name);
                    }
                }
                continue;
            }
        };
        let key = element.key.as_str();
        let same = if key.is_empty() { unkeyed_by_label.get(&fields.name) } else { by_key.get(key) };
        if let Some(&earlier) = same {
            // A true duplicate: the same id, or the same name in a file without ids.
            let why = if key.is_empty() {
                Said::new("map-import.merged-name").text("name", &organizations[earlier].name)
            } else {
                Said::new("map-import.merged-id").text("id", key).text("name", &organizations[earlier].name)
            };
            merged.push(Skipped::new(what, why));
            continue;
        }
        let index = organizations.len();
        if key.is_empty() {
            unkeyed_by_label.insert(fields.name.clone(), index);
        } else {
            by_key.insert(key, index);
        }
        by_label.entry(fields.name.clone()).or_default().push(index);
        from_types.push(sector.map(|_| element.kind.trim().to_string()));
        let id = new_id();
        organizations.push(Organization {
            identity: id.clone(),
            id,
            colour: fields.colour.clone().unwrap_or_default(),
            name: fields.name,
            short_label: String::new(),
            sector: fields.sector,
            directly_affected: fields.directly_affected,
            notes: fields.notes,
            contact: fields.contact,
        });
    }
    let find = |end: &str| -> End {
        if let Some(&index) = by_key.get(end) {
            return End::Found(index);
        }
        match by_label.get(end.trim()).map(Vec::as_slice) {
            Some([index]) => End::Found(*index),
            Some([_, _, ..]) => End::Ambiguous,
            _ if gone.contains(end) || gone.contains(end.trim()) => End::Skipped(end.trim().to_string()),
            _ => End::Unknown,
        }
    };
    let scale = vocabulary::StrengthScale::of(foreign.ties.iter().filter_map(|t| t.strength));
    let mut relationships: Vec<Relationship> = Vec::new();
    // What each relationship is, in the file's words, and the skipped ties by their place.
    let mut whats: Vec<(usize, Said)> = Vec::new();
    let mut skipped_ties: Vec<(usize, Skipped)> = Vec::new();
    for (n, tie) in foreign.ties.iter().enumerate() {
        let (from, to) = (find(&tie.from), find(&tie.to));
        // Ends are named by label where they were found, as the file wrote them otherwise.
        let said_end = |end: &End, written: &str| match end {
            End::Found(index) => organizations[*index].name.clone(),
            _ => written.trim().to_string(),
        };
        let what = Said::new("word.map-ends")
            .said("at", tie.at.clone())
            .text("from", said_end(&from, &tie.from))
            .text("to", said_end(&to, &tie.to));
        let missing = [(&from, &tie.from), (&to, &tie.to)].into_iter().find(|(end, _)| !matches!(end, End::Found(_)));
        let why = missing.map(|(end, written)| match end {
            End::Skipped(name) => Said::new("error.map-skip.end-skipped").text("name", name),
            End::Ambiguous => Said::new("error.map-skip.end-ambiguous").text("name", written.trim()),
            _ if written.trim().is_empty() => Said::new("error.map-skip.no-end"),
            _ => Said::new("error.map-skip.unknown-end").text("name", written.trim()),
        });
        let (End::Found(from), End::Found(to), None) = (from, to, why.as_ref()) else {
            skipped_ties.push((n, Skipped::new(what, why.unwrap_or_else(|| Said::new("error.map-skip.no-end")))));
            continue;
        };
        if from == to {
            skipped_ties.push((n, Skipped::new(what, "error.map-skip.to-itself")));
            continue;
        }
        let kind = vocabulary::kind(&tie.kind);
        let guessed = tie.kind_in_note && vocabulary::own_kind(&tie.kind).is_none();
        let note = notes_of(&tie.description, guessed.then_some(tie.kind.as_str()), &tie.tags, lang);
        whats.push((n, what));
        relationships.push(Relationship {
            id: new_id(),
            from_id: organizations[from].id.clone(),
            to_id: organizations[to].id.clone(),
            kind,
            mutual: tie.mutual,
            strength: scale.strength(tie.strength),
            note,
        });
    }
    let session_id = new_id();
    let grid_id = new_id();
    let notes_key = foreign.format.replace("map-import.format.", "map-import.notes.");
    let document = InterchangeDocument {
        format: FORMAT.to_string(),
        session: Session {
            id: session_id,
            title: title.clone(),
            question: String::new(),
            date: None,
            place: String::new(),
            facilitator: String::new(),
            notes: Said::new(notes_key).render(lang),
            follows_up: None,
            campaign: String::new(),
            created_at: now,
            updated_at: now,
        },
        grids: vec![Grid {
            identity: grid_id.clone(),
            id: grid_id,
            kind: GridKind::PowerInterest,
            title: GridKind::PowerInterest.default_title(),
            labels: GridKind::PowerInterest.default_labels(),
        }],
        placements: Vec::new(),
        commitments: Vec::new(),
        participants: Vec::new(),
        reviews: Vec::new(),
        relationships,
        organizations,
        rounds: Vec::new(),
    };
    // The import's own checks: what they would refuse is skipped, and said why.
    let (document, dropped) = document.validated_skipping_lines()?;
    for (index, why) in dropped {
        if let Some((n, what)) = whats.get(index) {
            skipped_ties.push((*n, Skipped::new(what.clone(), why)));
        }
    }
    skipped_ties.sort_by_key(|(n, _)| *n);
    skipped.extend(skipped_ties.into_iter().map(|(_, s)| s));
    let mut preview = preview_of(&document, foreign.format, merged, skipped);
    for (organization, from_type) in preview.organizations.iter_mut().zip(from_types) {
        organization.from_type = from_type;
    }
    if document.organizations.is_empty() {
        let reason = match preview.skipped.first() {
            Some(s) => Said::new("error.map-import.nothing-because")
                .said("what", s.said_what.clone())
                .said("why", s.said_why.clone()),
            None => Said::new("error.map-import.nothing"),
        };
        return Err(Error::bad_import(reason));
    }
    Ok(MapImport { preview, document })
}

/// What importing `document` creates, in words.
fn preview_of(
    document: &InterchangeDocument,
    format: &'static str,
    merged: Vec<Skipped>,
    skipped: Vec<Skipped>,
) -> MapPreview {
    let names: HashMap<&str, &str> = document.organizations.iter().map(|o| (o.id.as_str(), o.name.as_str())).collect();
    let name = |id: &str| names.get(id).copied().unwrap_or("—");
    let said_format = Said::new(format);
    let said_relationships: Vec<Said> = document
        .relationships
        .iter()
        .map(|r| {
            let line = if r.mutual { "map-import.relationship-both-ways" } else { "map-import.relationship" };
            Said::new(line)
                .text("from", name(&r.from_id))
                .word("verb", format!("relationship.{}", r.kind.as_str()))
                .text("to", name(&r.to_id))
        })
        .collect();
    MapPreview {
        format: said_format.to_string(),
        title: document.session.title.clone(),
        organizations: document
            .organizations
            .iter()
            .map(|o| PreviewOrganization { name: o.name.clone(), sector: o.sector, from_type: None })
            .collect(),
        relationships: said_relationships.iter().map(Said::to_string).collect(),
        merged,
        skipped,
        said_format,
        said_relationships,
    }
}

/// Adds the map's session to `store`; returns its id. The document has been through the
/// import's checks when it was read (what they refuse was skipped then, and the preview
/// said so); they run again here, and nothing is added if one is broken.
pub fn import(store: &Store, map: MapImport) -> Result<String> {
    store.import_document(map.document)
}
