//! An organization: a card of a session.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text;
use crate::error::{Error, Result};
use crate::i18n::Said;

/// The kind of body an organization is (community group, union, NGO, … individual).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum Sector {
    CommunityGroup,
    Union,
    Ngo,
    FaithGroup,
    Government,
    Business,
    Media,
    Academic,
    Funder,
    Individual,
}

impl Sector {
    pub const ALL: [Sector; 10] = [
        Sector::CommunityGroup,
        Sector::Union,
        Sector::Ngo,
        Sector::FaithGroup,
        Sector::Government,
        Sector::Business,
        Sector::Media,
        Sector::Academic,
        Sector::Funder,
        Sector::Individual,
    ];

    /// The name stored in the database and the interchange format.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::CommunityGroup => "community-group",
            Sector::Union => "union",
            Sector::Ngo => "ngo",
            Sector::FaithGroup => "faith-group",
            Sector::Government => "government",
            Sector::Business => "business",
            Sector::Media => "media",
            Sector::Academic => "academic",
            Sector::Funder => "funder",
            Sector::Individual => "individual",
        }
    }

    /// The sector stored under `name`.
    pub fn parse(name: &str) -> Result<Sector> {
        Sector::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| Error::invalid(Said::new("error.organization.sector").text("value", name)))
    }

    /// The sector's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Sector::CommunityGroup => "Community group",
            Sector::Union => "Union",
            Sector::Ngo => "NGO",
            Sector::FaithGroup => "Faith group",
            Sector::Government => "Government",
            Sector::Business => "Business",
            Sector::Media => "Media",
            Sector::Academic => "Academic",
            Sector::Funder => "Funder",
            Sector::Individual => "Individual",
        }
    }

    /// The card colour a new organization of this sector gets unless one is chosen.
    pub fn default_colour(self) -> &'static str {
        match self {
            Sector::CommunityGroup => "#2a9d8f",
            Sector::Union => "#e76f51",
            Sector::Ngo => "#457b9d",
            Sector::FaithGroup => "#9b5de5",
            Sector::Government => "#6c757d",
            Sector::Business => "#b08900",
            Sector::Media => "#d62872",
            Sector::Academic => "#3a86ff",
            Sector::Funder => "#2b9348",
            Sector::Individual => "#8d6e63",
        }
    }
}

/// An organization of a session, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Organization {
    pub id: String,
    /// The organization through a campaign's sessions: a follow-up's card for it has the
    /// same identity as last time's (a new card's identity is its id). Files written before
    /// identities existed (`powermap/1`) read it as the id.
    #[serde(default)]
    pub identity: String,
    pub name: String,
    /// A few letters shown on the card when the name is long; empty means use the name.
    pub short_label: String,
    pub sector: Sector,
    /// Led by the people most directly affected by the issue.
    pub directly_affected: bool,
    pub notes: String,
    /// `#rrggbb`.
    pub colour: String,
    /// Who the group knows there: a name, a role, a way to reach them (one line, like a
    /// name). Files written before it existed read it as empty.
    #[serde(default)]
    pub contact: String,
}

/// The longest short label, in characters: it must fit on the card.
const MAX_SHORT_LABEL: usize = 24;

/// What a person types to add or edit an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OrganizationFields {
    pub name: String,
    #[serde(default)]
    pub short_label: String,
    #[serde(default = "default_sector")]
    pub sector: Sector,
    #[serde(default)]
    pub directly_affected: bool,
    #[serde(default)]
    pub notes: String,
    /// `#rrggbb`; empty or missing takes the sector's colour.
    #[serde(default)]
    #[ts(optional)]
    pub colour: Option<String>,
    #[serde(default)]
    pub contact: String,
}

fn default_sector() -> Sector {
    Sector::CommunityGroup
}

impl OrganizationFields {
    /// Fields with just a name; the rest take their defaults.
    pub fn named(name: &str) -> Self {
        OrganizationFields {
            name: name.to_string(),
            short_label: String::new(),
            sector: default_sector(),
            directly_affected: false,
            notes: String::new(),
            colour: None,
            contact: String::new(),
        }
    }

    /// The fields checked and normalised; the colour filled in from the sector if empty.
    pub fn validated(&self) -> Result<OrganizationFields> {
        let colour = match self.colour.as_deref().map(str::trim) {
            None | Some("") => self.sector.default_colour().to_string(),
            Some(given) => text::colour(given)?,
        };
        let short_label = text::short("word.short-label", &self.short_label)?;
        if short_label.chars().count() > MAX_SHORT_LABEL {
            return Err(Error::invalid(Said::new("error.organization.short-label").text("max", MAX_SHORT_LABEL)));
        }
        Ok(OrganizationFields {
            contact: text::short("word.contact", &self.contact)?,
            name: text::name("word.organization-name", &self.name)?,
            short_label,
            sector: self.sector,
            directly_affected: self.directly_affected,
            notes: text::notes("word.organization-notes", &self.notes)?,
            colour: Some(colour),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes the sectors' names and colours for the UI beside the generated types, so the
    /// window offers exactly the sectors and default colours the core knows.
    #[test]
    fn export_sector_table() {
        let table: Vec<_> = Sector::ALL
            .iter()
            .map(|s| serde_json::json!({"value": s, "label": s.label(), "colour": s.default_colour()}))
            .collect();
        let folder = std::env::var("TS_RS_EXPORT_DIR").unwrap_or_else(|_| "bindings".into());
        std::fs::create_dir_all(&folder).unwrap();
        let text = serde_json::to_string_pretty(&table).unwrap() + "\n";
        std::fs::write(std::path::Path::new(&folder).join("sectors.json"), text).unwrap();
        for sector in Sector::ALL {
            assert_eq!(Sector::parse(sector.as_str()).unwrap(), sector, "names round-trip");
            assert!(text::colour(sector.default_colour()).is_ok(), "default colours are valid");
        }
    }
}
