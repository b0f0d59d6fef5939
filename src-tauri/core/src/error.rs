//! The errors of Powermap's core. Every message is written for the person in the room, in
//! the catalogs (`error.*` in `locales/*.json`): an error carries its message as a [`Said`],
//! said in English by `Display` (the command line, the logs) and in any language by
//! [`Error::message_in`] (the window).

use serde::Serialize;
use ts_rs::TS;

use crate::i18n::{Lang, Said};

/// What went wrong, as a stable code the UI and the CLI's exit status branch on (never on
/// message text). Each code is used for its own case only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// Input that breaks a rule (empty name, coordinate off the grid, …). Nothing changed.
    InvalidInput,
    /// An id that does not exist (any more), or belongs to another session. Nothing changed.
    NotFound,
    /// The request does not fit the state it met: nothing to undo, a target that is the
    /// open database itself. Nothing changed.
    Conflict,
    /// The file is not a Powermap database. It was not modified.
    NotADatabase,
    /// The database was written by a newer Powermap. It was not modified.
    NewerDatabase,
    /// An import file that is malformed or of an unknown format version. Nothing was added.
    BadImport,
    /// Another program held the database longer than Powermap waits. Nothing changed.
    Busy,
    /// The database failed underneath (disk full, corrupt).
    Storage,
    /// Reading or writing a file failed.
    Io,
    /// Powermap itself went wrong (a bug): nothing changed, and the message says what.
    Internal,
}

/// Every failure of the core. Each variant leaves the database as it was.
#[derive(Debug)]
pub enum Error {
    Invalid(Said),
    NotFound(Said),
    Conflict(Said),
    NotADatabase {
        path: String,
    },
    NewerDatabase {
        path: String,
        found: i64,
        supported: i64,
    },
    /// Why the file cannot be imported (`error.import.refused` says it around the reason).
    BadImport(Said),
    Storage(rusqlite::Error),
    Migration(rusqlite_migration::Error),
    /// What could not be done (`error.io.*`), and the system's reason, in its own words.
    Io {
        context: Said,
        source: std::io::Error,
    },
    /// What went wrong inside (`error.internal.*`), put in `error.internal`.
    Internal(Said),
}

impl Error {
    /// The stable code of this error, for the UI and the CLI's exit status.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Invalid(_) => ErrorCode::InvalidInput,
            Error::NotFound(_) => ErrorCode::NotFound,
            Error::Conflict(_) => ErrorCode::Conflict,
            Error::NotADatabase { .. } => ErrorCode::NotADatabase,
            Error::NewerDatabase { .. } => ErrorCode::NewerDatabase,
            Error::BadImport(_) => ErrorCode::BadImport,
            Error::Storage(e) if is_busy(e) => ErrorCode::Busy,
            Error::Storage(_) | Error::Migration(_) => ErrorCode::Storage,
            Error::Io { .. } => ErrorCode::Io,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The whole message, not yet put into words: what another message says around it
    /// (an import names the entry a rule refused), or what [`Error::message_in`] renders.
    /// SQLite's and the system's own words (a failed database, a file that could not be
    /// written) are put in as they are: they come in English.
    pub fn said(&self) -> Said {
        match self {
            Error::Invalid(said) | Error::NotFound(said) | Error::Conflict(said) => said.clone(),
            Error::NotADatabase { path } => Said::new("error.database.not-a-database").text("path", path),
            Error::NewerDatabase { path, found, supported } => {
                Said::new("error.database.newer").text("path", path).text("found", found).text("supported", supported)
            }
            Error::BadImport(reason) => Said::new("error.import.refused").said("reason", reason.clone()),
            Error::Storage(e) => Said::new("error.database.failed").text("detail", e),
            Error::Migration(e) => Said::new("error.database.not-prepared").text("detail", e),
            Error::Io { context, source } => {
                Said::new("error.io.failed").said("context", context.clone()).text("detail", source)
            }
            Error::Internal(detail) => Said::new("error.internal").said("detail", detail.clone()),
        }
    }

    /// The message in `lang`'s words, for the window.
    pub fn message_in(&self, lang: Lang) -> String {
        self.said().render(lang)
    }

    pub(crate) fn invalid(message: impl Into<Said>) -> Self {
        Error::Invalid(message.into())
    }

    pub(crate) fn not_found(message: impl Into<Said>) -> Self {
        Error::NotFound(message.into())
    }

    pub(crate) fn conflict(message: impl Into<Said>) -> Self {
        Error::Conflict(message.into())
    }

    pub(crate) fn bad_import(reason: impl Into<Said>) -> Self {
        Error::BadImport(reason.into())
    }

    pub(crate) fn internal(message: impl Into<Said>) -> Self {
        Error::Internal(message.into())
    }

    pub(crate) fn io(context: impl Into<Said>, source: std::io::Error) -> Self {
        Error::Io { context: context.into(), source }
    }
}

/// In English, as the command line and the logs show it.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message_in(Lang::En))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Storage(e) => Some(e),
            Error::Migration(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Self {
        Error::Storage(error)
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(error: rusqlite_migration::Error) -> Self {
        Error::Migration(error)
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(error.sqlite_error_code(), Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{catalog, Arg};
    use crate::model::{text, CommitmentFields, CommitmentStatus, GridKind, GridLabels, OrganizationFields, Point};
    use crate::model::{RelationshipFields, RelationshipKind, ReviewOutcome, Sector, SessionFields};

    /// Every `"error.…"` and `"word.…"` string in the Rust sources under `dir`.
    fn keys_in(dir: &std::path::Path, found: &mut std::collections::BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                keys_in(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("a source file");
                for prefix in ["\"error.", "\"word."] {
                    for (at, _) in source.match_indices(prefix) {
                        let rest = &source[at + 1..];
                        let Some(end) = rest.find('"') else { continue };
                        let key = &rest[..end];
                        let named =
                            key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-".contains(c));
                        if named && !key.ends_with('.') {
                            found.insert(key.to_string());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn every_error_the_code_says_is_in_every_catalog() {
        // The core, the room and the app: every crate of src-tauri says its errors here.
        let mut keys = std::collections::BTreeSet::new();
        keys_in(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".."), &mut keys);
        assert!(keys.len() > 150, "the sources were read: {} keys", keys.len());
        for lang in Lang::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !catalog(lang).contains_key(*k)).collect();
            assert!(missing.is_empty(), "{}: no message for {missing:?}", lang.code());
        }
    }

    /// Every key `said` uses, its arguments' too.
    fn keys_of(said: &Said, into: &mut Vec<String>) {
        into.push(said.key().to_string());
        for (_, arg) in said.args() {
            match arg {
                Arg::Text(_) => {}
                Arg::Said(inner) => keys_of(inner, into),
                Arg::List(items) => items.iter().for_each(|item| keys_of(item, into)),
            }
        }
    }

    /// Errors of every kind, as the code makes them.
    fn errors() -> Vec<Error> {
        let store = crate::Store::open_in_memory().unwrap();
        let create = |title: &str| {
            store.create_session(&SessionFields { title: title.into(), ..Default::default() }, Lang::En, 1).unwrap().id
        };
        let (session, untouched) = (create("Kick-off"), create("Untouched"));
        store.add_organization(&session, &OrganizationFields::named("Union"), 2).unwrap();
        let mut duplicated = store.export_document(&session).unwrap();
        duplicated.organizations.push(duplicated.organizations[0].clone());
        let commitment = |action: &str, person: &str, due: Option<&str>| CommitmentFields {
            organization_id: None,
            person: person.into(),
            action: action.into(),
            due: due.map(str::to_string),
            status: CommitmentStatus::Open,
            notes: String::new(),
        };
        let relationship = |from: &str, to: &str, strength| RelationshipFields {
            from_id: from.into(),
            to_id: to.into(),
            kind: RelationshipKind::Funds,
            mutual: false,
            strength,
            note: String::new(),
        };
        let io = || std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let file = |name, bytes| crate::exchange::maps::MapFile { name, bytes };
        let csv = |text: &str| crate::exchange::organizations_csv::import(&store, &session, text.as_bytes(), 3);
        let all: Vec<Result<()>> = vec![
            text::name("word.organization-name", " ").map(drop),
            text::name("word.region-name", &"x".repeat(201)).map(drop),
            text::short("word.place", "a\tb").map(drop),
            text::short("word.facilitator-name", "esc\u{1b}").map(drop),
            text::notes("word.session-notes", "nul\0").map(drop),
            text::notes("word.organization-notes", &"x".repeat(20_001)).map(drop),
            text::id("word.identity", " ").map(drop),
            text::colour("red").map(drop),
            text::date("word.due-date", Some("2026-02-30")).map(drop),
            CommitmentStatus::parse("maybe").map(drop),
            commitment(" ", "Sam", None).validated().map(drop),
            commitment(&"x".repeat(1_001), "Sam", None).validated().map(drop),
            commitment("Call", "", None).validated().map(drop),
            RelationshipKind::parse("likes").map(drop),
            relationship("", "b", 1).validated().map(drop),
            relationship("a", "a", 1).validated().map(drop),
            relationship("a", "b", 7).validated().map(drop),
            GridKind::parse("pie").map(drop),
            GridLabels { regions: vec!["One".into()], ..GridKind::PowerInterest.default_labels() }
                .validated(GridKind::PowerInterest)
                .map(drop),
            Point::new(1.5, 0.5).map(drop),
            Sector::parse("circus").map(drop),
            OrganizationFields { short_label: "x".repeat(25), ..OrganizationFields::named("Union") }
                .validated()
                .map(drop),
            ReviewOutcome::parse("perhaps").map(drop),
            store.load_session("gone").map(drop),
            store.undo(&untouched, 4).map(drop),
            store.redo(&session, 4).map(drop),
            store.find_session("nothing").map(drop),
            store.add_organizations_from_list(&session, "Union\n\u{7}", 5).map(drop),
            store.add_organizations_from_list(&session, "\n \n", 5).map(drop),
            store.import_document(duplicated).map(drop),
            crate::InterchangeDocument::from_json("{").map(drop),
            crate::InterchangeDocument::from_json(r#"{"format": "powermap/99"}"#).map(drop),
            crate::InterchangeDocument::from_json("{}").map(drop),
            crate::InterchangeDocument::from_json(r#"{"format": "powermap/2", "session": 3}"#).map(drop),
            csv("name,colour\nUnion,red\n,\nParish,#123456,x\n").map(drop),
            crate::exchange::maps::read(&[], 6, crate::i18n::Lang::En).map(drop),
            crate::exchange::maps::read(&[file("a.json", b"{\"nodes\": []}".as_slice())], 6, crate::i18n::Lang::En)
                .map(drop),
            crate::exchange::maps::read(
                &[file("a.json", b"{\"graph\": {\"nodes\": 3}}".as_slice())],
                6,
                crate::i18n::Lang::En,
            )
            .map(drop),
            crate::exchange::maps::read(&[file("a.csv", b"Label\n\xe9".as_slice())], 6, crate::i18n::Lang::En)
                .map(drop),
            crate::exchange::maps::read(&[file("a.csv", b"Who\nx".as_slice())], 6, crate::i18n::Lang::En).map(drop),
            crate::exchange::maps::read(
                &[file("a.json", b"{\"elements\": [{\"label\": \"\\u0007\"}]}".as_slice())],
                6,
                crate::i18n::Lang::En,
            )
            .map(drop),
        ];
        let mut errors: Vec<Error> =
            all.into_iter().enumerate().map(|(n, r)| r.expect_err(&format!("call {n} is refused"))).collect();
        errors.extend([
            Error::NotADatabase { path: "/tmp/notes.txt".into() },
            Error::NewerDatabase { path: "/tmp/new.db".into(), found: 9, supported: 8 },
            Error::Storage(rusqlite::Error::QueryReturnedNoRows),
            Error::io(Said::new("error.io.read").text("path", "/tmp/x"), io()),
            Error::internal(
                Said::new("error.internal.history-unreadable").word("what", "word.history-row").text("detail", "eof"),
            ),
            Error::internal(Said::new("error.internal.no-record").text("table", "chair")),
        ]);
        errors
    }

    #[test]
    fn errors_are_said_whole_in_every_language() {
        for error in errors() {
            let mut keys = Vec::new();
            keys_of(&error.said(), &mut keys);
            for lang in Lang::ALL {
                let said = error.message_in(lang);
                for key in &keys {
                    assert!(catalog(lang).contains_key(key), "{}: no {key} for “{said}”", lang.code());
                }
                let left = said.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(name, _)| name);
                let left: Vec<_> = left.filter(|name| name.chars().all(|c| c.is_ascii_lowercase())).collect();
                assert!(left.is_empty(), "{}: {left:?} not filled in “{said}”", lang.code());
                assert!(
                    !said.contains("error.") && !said.contains("word."),
                    "{}: a key is echoed: {said}",
                    lang.code()
                );
            }
            assert_ne!(error.message_in(Lang::Es), error.to_string(), "said in Spanish: {error}");
        }
    }

    #[test]
    fn display_is_english_as_before_and_the_window_hears_its_language() {
        let empty = text::name("word.organization-name", " ").unwrap_err();
        assert_eq!(empty.to_string(), "The organization name cannot be empty.");
        assert_eq!(empty.message_in(Lang::En), empty.to_string());
        assert_eq!(empty.message_in(Lang::Es), "Escribe el nombre de la organización: no puede quedar en blanco.");
        assert_eq!(
            empty.message_in(Lang::Fr),
            "Indiquez le nom de l’organisation\u{a0}: ce champ ne peut pas rester vide."
        );
        let control = text::name("word.session-title", "esc\u{1b}").unwrap_err();
        assert_eq!(
            control.to_string(),
            "The session title must be one line of text; it contains the control character U+001B."
        );
        assert_eq!(
            control.message_in(Lang::Es),
            "Hay un carácter de control (U+001B) en el título de la sesión, que debe ser una sola línea de texto."
        );
        let long = text::name("word.grid-title", &"x".repeat(300)).unwrap_err();
        assert_eq!(long.to_string(), "The grid title is too long (300 characters; at most 200).");
        assert_eq!(
            long.message_in(Lang::Fr),
            "Il y a trop de texte dans le titre de la grille (300 caractères\u{a0}; 200 au maximum)."
        );
        let newer = Error::NewerDatabase { path: "/tmp/new.db".into(), found: 9, supported: 8 };
        assert_eq!(
            newer.to_string(),
            "/tmp/new.db was saved by a newer version of Powermap (data version 9; this version knows up to 8). It was \
             left untouched: open it with the newer Powermap."
        );
        let bad = crate::InterchangeDocument::from_json("{}").unwrap_err();
        assert_eq!(
            bad.to_string(),
            "This file cannot be imported: it is not a Powermap export (no \"format\": \"powermap/2\" at the top). \
             Nothing was added."
        );
        let io = Error::io(Said::new("error.io.write").text("path", "/tmp/x"), std::io::Error::other("disk full"));
        assert_eq!(io.to_string(), "Could not write /tmp/x: disk full");
        assert_eq!(io.message_in(Lang::Es), "No se pudo escribir /tmp/x: disk full", "the system's words as they are");
        let internal = Error::internal("error.internal.table-loop");
        assert_eq!(
            internal.to_string(),
            "Something went wrong inside Powermap (the tables refer to each other in a loop). Nothing was changed."
        );
    }
}
