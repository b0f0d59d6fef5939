//! The JSON interchange format, `powermap/2`: one session with everything in it
//! (`powermap/1`, without identities and reviews, is still read).
//!
//! Documented for people in `docs/interchange-format.md`. Export then import is lossless:
//! ids, times and order are kept, so exporting the imported session gives the same file.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::new_id;
use crate::model::{
    Commitment, CommitmentFields, Grid, Organization, OrganizationFields, Participant, ParticipantFields, Placement,
    Point, Relationship, RelationshipFields, Review, Round, Session, SessionFields, StoredAnswer,
};

/// The format name this version writes (and reads).
pub const FORMAT: &str = "powermap/2";

/// The earlier format names this version still reads: `powermap/1` has no identities
/// (each card and grid is its own) and no reviews.
pub const EARLIER_FORMATS: &[&str] = &["powermap/1"];

/// A session as one self-contained document. Lists are in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InterchangeDocument {
    pub format: String,
    pub session: Session,
    pub organizations: Vec<Organization>,
    pub grids: Vec<Grid>,
    pub placements: Vec<Placement>,
    pub commitments: Vec<Commitment>,
    /// The people in the room (optional in files written before participants existed).
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Earlier meetings' commitments reviewed here (`powermap/2`).
    #[serde(default)]
    pub reviews: Vec<Review>,
    /// Lines between organizations (`powermap/2`).
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// Private rounds that were revealed, with every answer given in them (`powermap/2`):
    /// what the summary's "where the room disagreed" is made of. A round still taking
    /// answers is left out, its answers private.
    #[serde(default)]
    pub rounds: Vec<RoundRecord>,
}

/// A revealed private round and its answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundRecord {
    #[serde(flatten)]
    pub round: Round,
    pub answers: Vec<StoredAnswer>,
}

impl InterchangeDocument {
    /// Reads a document from JSON text.
    ///
    /// Errors: [`Error::BadImport`] for text that is not JSON, a missing or unknown
    /// `format`, or fields of the wrong shape (the message says where).
    pub fn from_json(text: &str) -> Result<InterchangeDocument> {
        // A byte-order mark, as some Windows editors write, is not part of the JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::bad_import(Said::new("error.import.not-json").text("detail", e)))?;
        match value.get("format").and_then(|f| f.as_str()) {
            Some(format) if format == FORMAT || EARLIER_FORMATS.contains(&format) => {}
            Some(other) if other.starts_with("powermap/") => {
                return Err(Error::bad_import(
                    Said::new("error.import.format").text("format", other).text("supported", FORMAT),
                ))
            }
            _ => return Err(Error::bad_import(Said::new("error.import.not-powermap").text("format", FORMAT))),
        }
        serde_json::from_value(value)
            .map_err(|e| Error::bad_import(Said::new("error.import.wrong-shape").text("detail", e)))
    }

    /// The document as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        // Serializing plain structs with string keys cannot fail.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Gives the session and everything in it new ids, keeping every reference between them.
    pub fn renew_ids(&mut self) {
        use std::collections::HashMap;
        let mut renamed: HashMap<String, String> = HashMap::new();
        let mut renew = |id: &mut String| {
            let fresh = renamed.entry(id.clone()).or_insert_with(new_id).clone();
            *id = fresh;
        };
        renew(&mut self.session.id);
        self.session.follows_up = None;
        self.session.campaign = String::new();
        // New identities too: a copy is not the same campaign's organizations.
        for organization in &mut self.organizations {
            renew(&mut organization.id);
            renew(&mut organization.identity);
        }
        for grid in &mut self.grids {
            renew(&mut grid.id);
            renew(&mut grid.identity);
        }
        for placement in &mut self.placements {
            renew(&mut placement.grid_id);
            renew(&mut placement.organization_id);
        }
        for commitment in &mut self.commitments {
            renew(&mut commitment.id);
            if let Some(organization_id) = &mut commitment.organization_id {
                renew(organization_id);
            }
        }
        for participant in &mut self.participants {
            renew(&mut participant.id);
            if let Some(organization_id) = &mut participant.organization_id {
                renew(organization_id);
            }
        }
        for relationship in &mut self.relationships {
            renew(&mut relationship.id);
            renew(&mut relationship.from_id);
            renew(&mut relationship.to_id);
        }
        for record in &mut self.rounds {
            renew(&mut record.round.id);
            renew(&mut record.round.grid_id);
            for organization_id in &mut record.round.organization_ids {
                renew(organization_id);
            }
            for answer in &mut record.answers {
                renew(&mut answer.organization_id);
            }
        }
        for review in &mut self.reviews {
            renew(&mut review.id);
            if let Some(organization_id) = &mut review.organization_id {
                renew(organization_id);
            }
            if let Some(carried_as) = &mut review.carried_as {
                renew(carried_as);
            }
        }
    }

    /// Checks every rule the store keeps: names, labels, coordinates, unique ids, and
    /// references that stay inside the document. Normalises text as the store would.
    ///
    /// Errors: [`Error::BadImport`] naming the first part of the document that breaks a rule.
    pub(crate) fn validated(self) -> Result<InterchangeDocument> {
        self.checked(Lines::Refuse).map(|(document, _)| document)
    }

    /// The same checks as [`InterchangeDocument::validated`], except that a relationship that breaks a
    /// rule (drawn twice, a note too long, an end not in the document) is left out rather
    /// than refusing the document: returned with each left out relationship's place in the
    /// document's list (counted from 0) and why. Maps of other tools are read this way, so
    /// their preview is the import's own checks.
    pub(crate) fn validated_skipping_lines(self) -> Result<(InterchangeDocument, Vec<(usize, Said)>)> {
        self.checked(Lines::Skip)
    }

    fn checked(mut self, lines: Lines) -> Result<(InterchangeDocument, Vec<(usize, Said)>)> {
        let fields = SessionFields {
            title: self.session.title.clone(),
            question: self.session.question.clone(),
            date: self.session.date.clone(),
            place: self.session.place.clone(),
            facilitator: self.session.facilitator.clone(),
            notes: self.session.notes.clone(),
        }
        .validated()
        .map_err(|e| bad_at(Said::new("word.import-session"), &e))?;
        self.session.title = fields.title;
        self.session.question = fields.question;
        self.session.date = fields.date;
        self.session.place = fields.place;
        self.session.facilitator = fields.facilitator;
        self.session.notes = fields.notes;
        crate::model::text::id("word.session-id", &self.session.id)
            .map_err(|e| bad_at(Said::new("word.import-session"), &e))?;

        let mut ids = HashSet::new();
        ids.insert(self.session.id.clone());
        let mut unique = |id: &str, at: &Said| -> Result<()> {
            crate::model::text::id("word.id", id).map_err(|e| bad_at(at.clone(), &e))?;
            if !ids.insert(id.to_string()) {
                Err(Error::bad_import(Said::new("error.import.duplicate-id").said("at", at.clone()).text("id", id)))
            } else {
                Ok(())
            }
        };
        let mut identities = HashSet::new();
        for (n, organization) in self.organizations.iter_mut().enumerate() {
            let at = entry("word.import-organization", n);
            unique(&organization.id, &at)?;
            identity(&mut organization.identity, &organization.id, &mut identities)
                .map_err(|e| bad_at(at.clone(), &e))?;
            let checked = OrganizationFields {
                name: organization.name.clone(),
                short_label: organization.short_label.clone(),
                sector: organization.sector,
                directly_affected: organization.directly_affected,
                notes: organization.notes.clone(),
                colour: Some(organization.colour.clone()),
                contact: organization.contact.clone(),
            }
            .validated()
            .map_err(|e| bad_at(Said::new("error.import.named").said("at", at).text("name", &organization.name), &e))?;
            organization.name = checked.name;
            organization.short_label = checked.short_label;
            organization.notes = checked.notes;
            organization.colour = checked.colour.unwrap_or_default();
            organization.contact = checked.contact;
        }
        for (n, grid) in self.grids.iter_mut().enumerate() {
            let at = entry("word.import-grid", n);
            unique(&grid.id, &at)?;
            identity(&mut grid.identity, &grid.id, &mut identities).map_err(|e| bad_at(at.clone(), &e))?;
            grid.title =
                crate::model::text::name("word.grid-title", &grid.title).map_err(|e| bad_at(at.clone(), &e))?;
            grid.labels = grid
                .labels
                .validated(grid.kind)
                .map_err(|e| bad_at(Said::new("error.import.named").said("at", at).text("name", &grid.title), &e))?;
        }
        let organizations: HashSet<&str> = self.organizations.iter().map(|o| o.id.as_str()).collect();
        let grids: HashSet<&str> = self.grids.iter().map(|g| g.id.as_str()).collect();
        let mut placed = HashSet::new();
        for (n, placement) in self.placements.iter().enumerate() {
            let at = entry("word.import-placement", n);
            if !grids.contains(placement.grid_id.as_str()) {
                return Err(refused("error.import.missing-grid", at));
            }
            if !organizations.contains(placement.organization_id.as_str()) {
                return Err(refused("error.import.missing-organization", at));
            }
            if !placed.insert((placement.grid_id.as_str(), placement.organization_id.as_str())) {
                return Err(refused("error.import.card-twice", at));
            }
            Point::new(placement.x, placement.y).map_err(|e| bad_at(at, &e))?;
        }
        for (n, placement) in self.placements.iter_mut().enumerate() {
            placement.moved_by = crate::model::text::short("word.card-mover-name", &placement.moved_by)
                .map_err(|e| bad_at(entry("word.import-placement", n), &e))?;
        }
        for (n, commitment) in self.commitments.iter_mut().enumerate() {
            let at = entry("word.import-commitment", n);
            unique(&commitment.id, &at)?;
            if let Some(organization_id) = &commitment.organization_id {
                if !organizations.contains(organization_id.as_str()) {
                    return Err(refused("error.import.missing-organization", at));
                }
            }
            let checked = CommitmentFields {
                organization_id: commitment.organization_id.clone(),
                person: commitment.person.clone(),
                action: commitment.action.clone(),
                due: commitment.due.clone(),
                status: commitment.status,
                notes: commitment.notes.clone(),
            }
            .validated()
            .map_err(|e| bad_at(at, &e))?;
            commitment.person = checked.person;
            commitment.action = checked.action;
            commitment.due = checked.due;
            commitment.notes = checked.notes;
        }
        for (n, participant) in self.participants.iter_mut().enumerate() {
            let at = entry("word.import-participant", n);
            unique(&participant.id, &at)?;
            if let Some(organization_id) = &participant.organization_id {
                if !organizations.contains(organization_id.as_str()) {
                    return Err(refused("error.import.missing-organization", at));
                }
            }
            let checked = ParticipantFields {
                name: participant.name.clone(),
                organization_id: participant.organization_id.clone(),
            }
            .validated()
            .map_err(|e| bad_at(at, &e))?;
            participant.name = checked.name;
        }
        // Two relationships are the same line when they are of the same kind and join the
        // same organizations in the same direction, or are both ways between the same two.
        let mut ties = HashSet::new();
        let mut both_ways = HashSet::new();
        let mut dropped = Vec::new();
        for (n, mut relationship) in std::mem::take(&mut self.relationships).into_iter().enumerate() {
            let at = entry("word.import-relationship", n);
            unique(&relationship.id, &at)?;
            let problem = (|| {
                for end in [&relationship.from_id, &relationship.to_id] {
                    if !organizations.contains(end.as_str()) {
                        return Err(LineProblem::MissingEnd);
                    }
                }
                let checked = RelationshipFields {
                    from_id: relationship.from_id.clone(),
                    to_id: relationship.to_id.clone(),
                    kind: relationship.kind,
                    mutual: relationship.mutual,
                    strength: relationship.strength,
                    note: relationship.note.clone(),
                }
                .validated()
                .map_err(LineProblem::Invalid)?;
                let (from, to, kind) = (relationship.from_id.clone(), relationship.to_id.clone(), relationship.kind);
                if ties.contains(&(from.clone(), to.clone(), kind))
                    || (relationship.mutual && both_ways.contains(&(to.clone(), from.clone(), kind)))
                {
                    return Err(LineProblem::Twice);
                }
                ties.insert((from.clone(), to.clone(), kind));
                if relationship.mutual {
                    both_ways.insert((from, to, kind));
                }
                Ok(checked.note)
            })();
            match problem {
                Ok(note) => {
                    relationship.note = note;
                    self.relationships.push(relationship);
                }
                Err(problem) => match lines {
                    Lines::Refuse => return Err(problem.refusal(at)),
                    Lines::Skip => dropped.push((n, problem.why())),
                },
            }
        }
        let commitments: HashSet<&str> = self.commitments.iter().map(|c| c.id.as_str()).collect();
        for (n, review) in self.reviews.iter_mut().enumerate() {
            let at = entry("word.import-review", n);
            unique(&review.id, &at)?;
            crate::model::text::id("word.commitment-id", &review.commitment_id).map_err(|e| bad_at(at.clone(), &e))?;
            if review.organization_id.as_deref().is_some_and(|id| !organizations.contains(id)) {
                return Err(refused("error.import.missing-organization", at));
            }
            if review.carried_as.as_deref().is_some_and(|id| !commitments.contains(id)) {
                return Err(refused("error.import.missing-carried", at));
            }
            let checked = CommitmentFields {
                organization_id: review.organization_id.clone(),
                person: review.person.clone(),
                action: review.action.clone(),
                due: review.due.clone(),
                status: crate::model::CommitmentStatus::Open,
                notes: review.note.clone(),
            }
            .validated()
            .map_err(|e| bad_at(at, &e))?;
            review.person = checked.person;
            review.action = checked.action;
            review.due = checked.due;
            review.note = checked.notes.trim().to_string();
        }
        for (n, record) in self.rounds.iter_mut().enumerate() {
            let at = entry("word.import-round", n);
            unique(&record.round.id, &at)?;
            if !grids.contains(record.round.grid_id.as_str()) {
                return Err(refused("error.import.missing-grid", at));
            }
            if record.round.organization_ids.iter().any(|id| !organizations.contains(id.as_str())) {
                return Err(refused("error.import.missing-organization", at));
            }
            if record.round.revealed_at.is_none() {
                return Err(refused("error.import.round-open", at));
            }
            let mut answered = HashSet::new();
            for answer in &mut record.answers {
                if !record.round.organization_ids.contains(&answer.organization_id) {
                    return Err(refused("error.import.missing-organization", at));
                }
                crate::model::text::id("word.answer-seat", &answer.participant_id)
                    .map_err(|e| bad_at(at.clone(), &e))?;
                answer.name = crate::model::text::name("word.participant-name", &answer.name)
                    .map_err(|e| bad_at(at.clone(), &e))?;
                Point::new(answer.x, answer.y).map_err(|e| bad_at(at.clone(), &e))?;
                if !answered.insert((answer.organization_id.clone(), answer.participant_id.clone())) {
                    return Err(refused("error.import.answer-twice", at));
                }
            }
        }
        Ok((self, dropped))
    }

    pub(crate) fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.session.id.as_str())
            .chain(self.organizations.iter().map(|o| o.id.as_str()))
            .chain(self.grids.iter().map(|g| g.id.as_str()))
            .chain(self.commitments.iter().map(|c| c.id.as_str()))
            .chain(self.participants.iter().map(|p| p.id.as_str()))
            .chain(self.reviews.iter().map(|r| r.id.as_str()))
            .chain(self.relationships.iter().map(|r| r.id.as_str()))
            .chain(self.rounds.iter().map(|r| r.round.id.as_str()))
    }
}

/// What to do with a relationship that breaks a rule.
#[derive(Clone, Copy)]
enum Lines {
    /// Refuse the whole document (Powermap's own files: they were written whole).
    Refuse,
    /// Leave the relationship out, and say why (maps of other tools).
    Skip,
}

/// The rule a relationship breaks.
enum LineProblem {
    /// One of its ends is not an organization of the document.
    MissingEnd,
    /// Its fields break a rule (a strength out of 1–3, a note too long…).
    Invalid(Error),
    /// The same line is drawn already.
    Twice,
}

impl LineProblem {
    /// The refusal of the document because of the relationship at `at`.
    fn refusal(self, at: Said) -> Error {
        match self {
            LineProblem::MissingEnd => refused("error.import.missing-organization", at),
            LineProblem::Invalid(e) => bad_at(at, &e),
            LineProblem::Twice => refused("error.import.line-twice", at),
        }
    }

    /// Why the relationship is left out.
    fn why(self) -> Said {
        match self {
            LineProblem::MissingEnd => Said::new("error.map-skip.no-end"),
            LineProblem::Invalid(e) => e.said(),
            LineProblem::Twice => Said::new("error.map-skip.drawn"),
        }
    }
}

/// Entry `n` (counted from 0) of the file's list of `key` (`word.import-organization`…),
/// as an error names it ("organization 3").
fn entry(key: &'static str, n: usize) -> Said {
    Said::new(key).text("n", n + 1)
}

/// The import refused because `at` (a part of the file) broke a rule, as `problem` says.
fn bad_at(at: Said, problem: &Error) -> Error {
    Error::bad_import(Said::new("error.import.at").said("at", at).said("problem", problem.said()))
}

/// The import refused with the message `key` about `at` (a part of the file).
fn refused(key: &'static str, at: Said) -> Error {
    Error::bad_import(Said::new(key).said("at", at))
}

/// Checks an identity (an empty one, as `powermap/1` files have, becomes the row's id):
/// one line of 1–100 characters, no two rows of the file sharing one.
fn identity(identity: &mut String, id: &str, seen: &mut HashSet<String>) -> Result<()> {
    if identity.is_empty() {
        *identity = id.to_string();
    }
    crate::model::text::id("word.identity", identity)?;
    if !seen.insert(identity.clone()) {
        return Err(Error::invalid(Said::new("error.import.duplicate-identity").text("identity", identity)));
    }
    Ok(())
}
