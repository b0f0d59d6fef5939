//! A whole session read or written at once: as an interchange document (export, import,
//! duplicate, follow-up), and the sample session.

use rusqlite::OptionalExtension;

use super::Store;
use crate::error::Result;
use crate::interchange::{InterchangeDocument, RoundRecord, FORMAT};
use crate::model::Millis;

impl Store {
    /// The session as an interchange document.
    pub fn export_document(&self, session_id: &str) -> Result<InterchangeDocument> {
        let data = self.load_session(session_id)?;
        let rounds = self.read(|tx| {
            let mut rounds = Vec::new();
            for round in data.rounds.iter().filter(|r| r.revealed_at.is_some()) {
                rounds
                    .push(RoundRecord { round: round.clone(), answers: super::round::stored_answers(tx, &round.id)? });
            }
            Ok(rounds)
        })?;
        Ok(InterchangeDocument {
            format: FORMAT.to_string(),
            session: data.session,
            organizations: data.organizations,
            grids: data.grids,
            placements: data.placements,
            commitments: data.commitments,
            participants: data.participants,
            reviews: data.reviews,
            relationships: data.relationships,
            rounds,
        })
    }

    /// Adds the document's session to the database; returns the new session's id.
    ///
    /// Ids are kept, unless any of them is already in this database (the file was imported
    /// before, or is a copy): then the whole session gets new ids, so importing twice gives
    /// two sessions. Nothing is added if any rule is broken.
    pub fn import_document(&self, document: InterchangeDocument) -> Result<String> {
        let mut document = document.validated()?;
        self.write(|tx| {
            let taken = {
                let mut statement = tx.prepare(
                    "SELECT EXISTS (SELECT 1 FROM session WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM organization WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM grid WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM commitment WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM participant WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM review WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM relationship WHERE id = ?1)
                         OR EXISTS (SELECT 1 FROM round WHERE id = ?1)",
                )?;
                let mut taken = false;
                for id in document.all_ids() {
                    if statement.query_row([id], |row| row.get::<_, bool>(0))? {
                        taken = true;
                        break;
                    }
                }
                taken
            };
            if taken {
                document.renew_ids();
            }
            // The session joins the campaign of the session it follows up, if that is here;
            // else it starts its own (its own id, set on insert).
            document.session.campaign = String::new();
            if let Some(previous) = &document.session.follows_up {
                let campaign: Option<String> = tx
                    .query_row("SELECT campaign FROM session WHERE id = ?1", [previous], |row| row.get(0))
                    .optional()?;
                match campaign {
                    Some(campaign) => document.session.campaign = campaign,
                    None => document.session.follows_up = None,
                }
            }
            let session_id = document.session.id.clone();
            super::session::insert(tx, &document.session)?;
            for organization in &document.organizations {
                super::row::insert(tx, &session_id, organization)?;
            }
            for grid in &document.grids {
                super::row::insert(tx, &session_id, grid)?;
            }
            for placement in &document.placements {
                super::placement::upsert(tx, placement)?;
            }
            for commitment in &document.commitments {
                super::row::insert(tx, &session_id, commitment)?;
            }
            for participant in &document.participants {
                super::row::insert(tx, &session_id, participant)?;
            }
            for review in &document.reviews {
                super::row::insert(tx, &session_id, review)?;
            }
            for relationship in &document.relationships {
                super::row::insert(tx, &session_id, relationship)?;
            }
            for record in &document.rounds {
                super::round::insert(tx, &session_id, &record.round, &record.answers)?;
            }
            Ok(session_id)
        })
    }

    /// Adds a fresh copy of the sample session; returns its id.
    pub fn create_sample_session(&self, now: Millis) -> Result<String> {
        let mut document = crate::sample::sample_document(now);
        document.renew_ids();
        self.import_document(document)
    }
}
