//! Who made a change, and when.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::super::Millis;
use crate::i18n::{self, Lang};

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum Actor {
    /// The facilitator, at the window.
    Facilitator,
    /// A participant, named as in the room (at the window, "moving cards as", or on their
    /// own device). `id` is the participant's, when the change came from their own device's
    /// seat: a phone knows its own changes by it, not by a name another may share.
    Participant {
        name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[ts(optional)]
        id: Option<String>,
    },
    /// A command run on the command line (`powermap undo`, …).
    Cli,
    /// An import (a CSV file of organizations, a Powermap file).
    Import,
    /// Another laptop sharing the campaign, by its name, and the person who made the
    /// change there (empty for its facilitator).
    Laptop {
        laptop: String,
        #[serde(default)]
        person: String,
    },
}

impl Actor {
    /// The facilitator for an empty name, else the participant of that name (the window's
    /// "moving cards as").
    pub fn moving_as(name: &str) -> Actor {
        let name = name.trim();
        if name.is_empty() {
            Actor::Facilitator
        } else {
            Actor::Participant { name: name.to_string(), id: None }
        }
    }

    /// The participant `participant_id`, named `name`, on their own device's seat.
    pub fn seat(name: &str, participant_id: &str) -> Actor {
        Actor::Participant { name: name.to_string(), id: Some(participant_id.to_string()) }
    }

    /// The name a card remembers as who moved it last: a participant's, else empty.
    pub fn mover_name(&self) -> &str {
        match self {
            Actor::Participant { name, .. } => name,
            _ => "",
        }
    }

    /// Who, in words, for the command line and logs.
    pub fn describe(&self) -> String {
        self.describe_in(Lang::En)
    }

    /// Who, in `lang`'s words ("the command line", "la línea de comandos"); a participant by
    /// name.
    pub fn describe_in(&self, lang: Lang) -> String {
        let key = match self {
            Actor::Participant { name, .. } => return name.clone(),
            Actor::Laptop { laptop, person } if person.is_empty() => return laptop.clone(),
            Actor::Laptop { laptop, person } => {
                let args = [("person", person.clone()), ("laptop", laptop.clone())];
                return i18n::message(lang, "actor.person-on-laptop", &args);
            }
            Actor::Facilitator => "actor.facilitator",
            Actor::Cli => "actor.cli",
            Actor::Import => "actor.import",
        };
        i18n::message(lang, key, &[])
    }
}

/// When and by whom a change is made; passed in, never read from the clock here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub at: Millis,
    pub by: Actor,
}

impl Stamp {
    pub fn new(at: Millis, by: Actor) -> Stamp {
        Stamp { at, by }
    }
}

/// A bare time is a change by the facilitator at that time.
impl From<Millis> for Stamp {
    fn from(at: Millis) -> Stamp {
        Stamp { at, by: Actor::Facilitator }
    }
}
