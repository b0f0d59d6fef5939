//! Maps of the tools people already use. Read into a new session: a Kumu blueprint
//! (JSON, or its element and connection sheets saved as CSV), an Oligrapher map (JSON,
//! version 3 or 2), and Powermap's own JSON. Elements and nodes become organizations (the
//! sector guessed from their type where it says one), connections and edges become
//! relationships; the session gets one power-interest grid with every card in the tray.
//!
//! A session is also written as a Kumu blueprint ([`kumu_blueprint`]).
//!
//! Reading makes a [`MapImport`]: the session as an interchange [`Document`] (so the
//! store's import checks every rule again) and a [`MapPreview`] that names what will be
//! created and everything skipped, and why. Nothing is stored until the import.

mod kumu;
mod oligrapher;

pub use kumu::blueprint as kumu_blueprint;

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::interchange::{Document, FORMAT};
use crate::model::{
    text, Grid, GridKind, Millis, Organization, OrganizationFields, Relationship, RelationshipKind, Sector, Session,
};
use crate::store::{new_id, Store};

/// A file handed to the import: its name (for the session's title and messages) and bytes.
pub struct MapFile<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
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

/// Something of the file an import leaves out.
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
        for skipped in &mut self.skipped {
            skipped.what = skipped.said_what.render(lang);
            skipped.why = skipped.said_why.render(lang);
        }
        self
    }
}

/// A file read and ready to import.
#[derive(Debug, Clone)]
pub struct MapImport {
    pub preview: MapPreview,
    pub document: Document,
}

/// An element or node of a foreign map, as read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    /// Its id in the file (may be empty: then connections name it by label).
    pub key: String,
    pub label: String,
    pub kind: String,
    pub description: String,
}

/// A connection or edge of a foreign map, as read: its ends by id or by label.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tie {
    pub from: String,
    pub to: String,
    /// Its type or label, from which the kind of relationship is guessed.
    pub kind: String,
    pub mutual: bool,
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

/// Reads `files` (one, or a Kumu spreadsheet's two sheets) as a map to import, dated `now`.
///
/// Errors: [`Error::BadImport`] for a file of no kind Powermap reads, a malformed one, or
/// one with nothing to import.
pub fn read(files: &[MapFile<'_>], now: Millis) -> Result<MapImport> {
    let first = files.first().ok_or_else(|| Error::bad_import("error.map-import.no-file"))?;
    if files.len() > 2 {
        return Err(Error::bad_import("error.map-import.too-many"));
    }
    let texts: Vec<&str> = files.iter().map(|f| as_text(f)).collect::<Result<_>>()?;
    let stem = title_from_name(first.name);
    if files.len() == 1 {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(texts[0]) {
            return from_json(value, texts[0], &stem, now);
        }
        if texts[0].trim_start().starts_with(['{', '[']) {
            let error = serde_json::from_str::<serde_json::Value>(texts[0]).err();
            return Err(Error::bad_import(
                Said::new("error.map-import.bad-json").text("detail", error.map(|e| e.to_string()).unwrap_or_default()),
            ));
        }
    }
    build(kumu::from_sheets(&texts)?, &stem, now)
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

fn from_json(value: serde_json::Value, raw: &str, stem: &str, now: Millis) -> Result<MapImport> {
    if value.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("powermap/")) {
        let document = Document::from_json(raw)?;
        return Ok(MapImport { preview: preview_of(&document, "map-import.format.powermap", Vec::new()), document });
    }
    if value.get("elements").is_some() || value.get("connections").is_some() {
        return build(kumu::from_json(&value)?, stem, now);
    }
    if value.get("graph").is_some_and(|g| g.get("nodes").is_some()) {
        return build(oligrapher::from_json(&value)?, stem, now);
    }
    Err(Error::bad_import("error.map-import.unknown-json"))
}

/// The sector a foreign type names, if it names one.
fn guess_sector(kind: &str) -> Option<Sector> {
    let kind = kind.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| kind.contains(w));
    Some(if has(&["union", "labor", "labour", "trades"]) {
        Sector::Union
    } else if has(&["ngo", "nonprofit", "non-profit", "charity", "advocacy", "legal aid"]) {
        Sector::Ngo
    } else if has(&["faith", "church", "parish", "mosque", "synagogue", "temple", "relig"]) {
        Sector::FaithGroup
    } else if has(&[
        "government",
        "agency",
        "council",
        "ministry",
        "department",
        "politic",
        "official",
        "mayor",
        "city",
    ]) {
        Sector::Government
    } else if has(&["business", "company", "corporat", "firm", "developer", "landlord", "bank", "industry"]) {
        Sector::Business
    } else if has(&["media", "news", "press", "paper", "radio", "tv"]) {
        Sector::Media
    } else if has(&["academ", "universit", "research", "school", "college", "institute"]) {
        Sector::Academic
    } else if has(&["funder", "foundation", "donor", "philanthrop"]) {
        Sector::Funder
    } else if has(&["person", "individual", "people", "politician"]) {
        Sector::Individual
    } else if has(&["community", "grassroots", "tenant", "residents", "group", "organization", "organisation"]) {
        Sector::CommunityGroup
    } else {
        return None;
    })
}

/// The kind of relationship a foreign type or label names; works-with when it names none.
fn guess_kind(kind: &str) -> RelationshipKind {
    let kind = kind.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| kind.contains(w));
    if has(&["fund", "donat", "donor", "grant", "financ", "pays"]) {
        RelationshipKind::Funds
    } else if has(&["speaks", "represent", "spokes", "on behalf"]) {
        RelationshipKind::SpeaksFor
    } else if has(&["oppos", "against", "enemy", "conflict", "rival", "sues"]) {
        RelationshipKind::Opposes
    } else if has(&["lead", "board", "chair", "director", "executive", "founder", "runs", "head"]) {
        RelationshipKind::Leads
    } else if has(&["member", "affiliate", "part of"]) {
        RelationshipKind::MemberOf
    } else {
        RelationshipKind::WorksWith
    }
}

/// Makes the new session of a foreign map: organizations from its elements, relationships
/// from its ties, one power-interest grid with every card in the tray.
pub(crate) fn build(foreign: Foreign, stem: &str, now: Millis) -> Result<MapImport> {
    let mut skipped = foreign.skipped;
    let title = foreign
        .title
        .as_deref()
        .and_then(|t| text::name("word.session-title", t).ok())
        .unwrap_or_else(|| stem.to_string());
    let mut organizations: Vec<Organization> = Vec::new();
    let mut from_types = Vec::new();
    let mut by_key: HashMap<String, String> = HashMap::new();
    let mut by_label: HashMap<String, String> = HashMap::new();
    for (n, element) in foreign.elements.iter().enumerate() {
        let what = if element.label.trim().is_empty() {
            Said::new("word.map-element").text("n", n + 1)
        } else {
            Said::new("word.map-element-named").text("name", element.label.trim())
        };
        let sector = guess_sector(&element.kind);
        let mut fields = OrganizationFields::named(&element.label);
        fields.sector = sector.unwrap_or(Sector::CommunityGroup);
        fields.notes = element.description.clone();
        let fields = match fields.validated() {
            Ok(fields) => fields,
            Err(e) => {
                skipped.push(Skipped::new(what, e.said()));
                continue;
            }
        };
        let folded = fields.name.to_lowercase();
        if let Some(existing) = by_label.get(&folded) {
            // The same name twice: one card, and the second's id names it too.
            if !element.key.is_empty() {
                by_key.insert(element.key.clone(), existing.clone());
            }
            skipped.push(Skipped::new(what, "error.map-skip.same-name"));
            continue;
        }
        let id = new_id();
        if !element.key.is_empty() {
            by_key.insert(element.key.clone(), id.clone());
        }
        by_label.insert(folded, id.clone());
        from_types.push(sector.map(|_| element.kind.trim().to_string()));
        organizations.push(Organization {
            identity: id.clone(),
            id,
            colour: fields.colour.clone().unwrap_or_default(),
            name: fields.name,
            short_label: String::new(),
            sector: fields.sector,
            directly_affected: false,
            notes: fields.notes,
        });
    }
    let find = |end: &str| by_key.get(end).or_else(|| by_label.get(&end.trim().to_lowercase())).cloned();
    let mut relationships: Vec<Relationship> = Vec::new();
    let mut drawn = HashSet::new();
    for (n, tie) in foreign.ties.iter().enumerate() {
        let what = Said::new("word.map-connection-ends").text("n", n + 1).text("from", &tie.from).text("to", &tie.to);
        let (Some(from), Some(to)) = (find(&tie.from), find(&tie.to)) else {
            let missing = if find(&tie.from).is_none() { &tie.from } else { &tie.to };
            skipped.push(Skipped::new(what, Said::new("error.map-skip.unknown-end").text("name", missing)));
            continue;
        };
        if from == to {
            skipped.push(Skipped::new(what, "error.map-skip.to-itself"));
            continue;
        }
        let kind = guess_kind(&tie.kind);
        let pair = if tie.mutual && from > to { (to.clone(), from.clone()) } else { (from.clone(), to.clone()) };
        if !drawn.insert((pair, kind, tie.mutual)) {
            skipped.push(Skipped::new(what, "error.map-skip.drawn"));
            continue;
        }
        let note = text::notes("word.relationship-note", tie.kind.trim()).unwrap_or_default();
        relationships.push(Relationship {
            id: new_id(),
            from_id: from,
            to_id: to,
            kind,
            mutual: tie.mutual,
            strength: 2,
            note,
        });
    }
    let session_id = new_id();
    let grid_id = new_id();
    let document = Document {
        format: FORMAT.to_string(),
        session: Session {
            id: session_id,
            title: title.clone(),
            question: String::new(),
            date: None,
            place: String::new(),
            facilitator: String::new(),
            notes: format!("Imported from a {} file.", foreign.format),
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
    let mut preview = preview_of(&document, foreign.format, skipped);
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
fn preview_of(document: &Document, format: &'static str, skipped: Vec<Skipped>) -> MapPreview {
    let name = |id: &str| document.organizations.iter().find(|o| o.id == id).map(|o| o.name.as_str()).unwrap_or("—");
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
        skipped,
        said_format,
        said_relationships,
    }
}

impl Store {
    /// Adds the map's session; returns its id. Every rule is checked again; nothing is
    /// added if one is broken.
    pub fn import_map(&self, map: MapImport) -> Result<String> {
        self.import_document(map.document)
    }
}
