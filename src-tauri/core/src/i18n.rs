//! The words of Powermap's messages in English, Spanish and French: one catalog per
//! language, `locales/{en,es,fr}.json` at the repository's root, shared with the window
//! (`ui/src/lib/i18n.svelte.ts` reads the same files). A message is a string with `{name}`
//! placeholders, or its plural forms (`one`, `other`) chosen by its `count`.
//!
//! So far the catalogs hold what a change is called (undo, redo, `powermap history`) and
//! its words (statuses, outcomes, relationship verbs, who made it), the summary's words
//! (`summary.*`, `calendar.*`, dates), the exports' notices (`export.*`), the window's words
//! (`window.*`) and every error (`error.*`, with the words they name: `word.*`). An error
//! carries a [`Said`] — a key and its arguments, not yet put into words — so that each reader
//! gets it in its own language: the window in the window's, the command line in English. A
//! test checks that every language has every key with the same placeholders, and that the
//! window renders each label and notice as this module does.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// A language Powermap speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Lang {
    #[default]
    En,
    Es,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Es, Lang::Fr];

    /// The language's code: `en`, `es` or `fr`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
            Lang::Fr => "fr",
        }
    }

    /// The language of a code or a locale name (`es`, `fr_CA.UTF-8`, `en-GB`), if Powermap
    /// speaks it.
    pub fn parse(name: &str) -> Option<Lang> {
        let code = name.split(['_', '-', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The desktop's language, as the C library finds it (`LC_ALL`, then `LC_MESSAGES`,
    /// then `LANG`); English when it is none of Powermap's.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|value| !value.is_empty())
            .and_then(|value| Lang::parse(&value))
            .unwrap_or(Lang::En)
    }

    /// The plural form for `n` things: French counts 0 and 1 as one.
    fn plural(self, n: u64) -> &'static str {
        let one = match self {
            Lang::Fr => n <= 1,
            Lang::En | Lang::Es => n == 1,
        };
        if one {
            "one"
        } else {
            "other"
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../../../locales/en.json"),
            Lang::Es => include_str!("../../../locales/es.json"),
            Lang::Fr => include_str!("../../../locales/fr.json"),
        }
    }
}

/// One message of a catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Message {
    Text(String),
    /// The forms by plural category (`one`, `other`).
    Plural(BTreeMap<String, String>),
}

/// A language's messages by key.
pub type Catalog = BTreeMap<String, Message>;

/// The catalog of `lang` (read once; the files are built into the program, and a test
/// reads each of them).
pub fn catalog(lang: Lang) -> &'static Catalog {
    static CATALOGS: OnceLock<[Catalog; 3]> = OnceLock::new();
    let all = CATALOGS.get_or_init(|| {
        Lang::ALL.map(|l| {
            serde_json::from_str(l.source())
                .unwrap_or_else(|e| panic!("locales/{}.json is not a catalog: {e}", l.code()))
        })
    });
    &all[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
}

/// The words of `key` in `lang`, with `args` put in for their placeholders (a `count`
/// argument also picks the plural form). A key the language lacks is said in English; one
/// English lacks too is given as it is.
pub fn message(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let (lang, found) = match catalog(lang).get(key) {
        Some(found) => (lang, found),
        None => match catalog(Lang::En).get(key) {
            Some(found) => (Lang::En, found),
            None => return key.to_string(),
        },
    };
    let template = match found {
        Message::Text(text) => text.as_str(),
        Message::Plural(forms) => {
            let count = args.iter().find(|(name, _)| *name == "count").and_then(|(_, v)| v.parse::<u64>().ok());
            let form = lang.plural(count.unwrap_or(0));
            forms.get(form).or_else(|| forms.get("other")).map(String::as_str).unwrap_or("")
        }
    };
    fill(template, args)
}

/// A message of the catalogs not yet put into words: its key and its arguments, said in
/// whichever language its reader speaks ([`Said::render`]). Errors carry one, so the window
/// hears them in its language while the command line and the logs keep English (`Display`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    key: Cow<'static, str>,
    args: Vec<(&'static str, Arg)>,
}

/// An argument of a [`Said`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// Text put in as it is, in every language: a name someone typed, a number, a path,
    /// another program's own words.
    Text(String),
    /// Another message said in the same language: a word such as `word.organization-name`,
    /// or a whole sentence (the reason inside "This file cannot be imported: …").
    Said(Said),
    /// Messages said in the same language, one after the other, each separated by the
    /// catalog's `word.list-separator` ("; ").
    List(Vec<Said>),
}

impl Said {
    /// The message `key`, its arguments still to be given.
    pub fn new(key: impl Into<Cow<'static, str>>) -> Said {
        Said { key: key.into(), args: Vec::new() }
    }

    /// With the argument `name` as `value`'s text, the same in every language (a `count`
    /// also picks the plural form).
    pub fn text(mut self, name: &'static str, value: impl std::fmt::Display) -> Said {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// With the argument `name` as the catalog's word `key`, in the message's language.
    pub fn word(self, name: &'static str, key: impl Into<Cow<'static, str>>) -> Said {
        self.said(name, Said::new(key))
    }

    /// With the argument `name` as another message, in the message's language.
    pub fn said(mut self, name: &'static str, said: Said) -> Said {
        self.args.push((name, Arg::Said(said)));
        self
    }

    /// With the argument `name` as `items` said one after the other, in the message's
    /// language.
    pub fn list(mut self, name: &'static str, items: Vec<Said>) -> Said {
        self.args.push((name, Arg::List(items)));
        self
    }

    /// The message's key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The message's arguments, by name.
    pub fn args(&self) -> &[(&'static str, Arg)] {
        &self.args
    }

    /// The message in `lang`'s words, its arguments put in (those that are messages said in
    /// `lang` too).
    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(name, arg)| {
                let value = match arg {
                    Arg::Text(text) => text.clone(),
                    Arg::Said(said) => said.render(lang),
                    Arg::List(items) => {
                        let rendered: Vec<String> = items.iter().map(|item| item.render(lang)).collect();
                        rendered.join(&message(lang, "word.list-separator", &[]))
                    }
                };
                (*name, value)
            })
            .collect();
        message(lang, &self.key, &args)
    }
}

/// A message without arguments, by its key.
impl From<&'static str> for Said {
    fn from(key: &'static str) -> Said {
        Said::new(key)
    }
}

/// In English, as the command line and the logs show it.
impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// A date written `YYYY-MM-DD` as people of `lang` write it: "November 29, 2026",
/// "29 de noviembre de 2026", "29 novembre 2026" (and "1er décembre"). Anything else is
/// given as it is.
pub fn long_date(lang: Lang, iso: &str) -> String {
    let mut parts = iso.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (Some(Some(year)), Some(Some(month)), Some(Some(day))) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_string();
    };
    if iso.len() != 10 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return iso.to_string();
    }
    let day = if lang == Lang::Fr && day == 1 { "1er".to_string() } else { day.to_string() };
    let month = message(lang, &format!("date.month-{month}"), &[]);
    message(lang, "date.long", &[("day", day), ("month", month), ("year", year.to_string())])
}

/// `template` with each `{name}` replaced by its argument; an unknown name stays as it is.
/// An argument that ends a sentence takes the place of the template's full stop after it
/// ("…: The name cannot be empty. Nothing was added.", not "empty.. Nothing").
fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
                if out.ends_with('.') && rest.starts_with('.') {
                    rest = &rest[1..];
                }
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The names of a message's placeholders, in every form.
pub fn placeholders(message: &Message) -> Vec<std::collections::BTreeSet<String>> {
    let names = |text: &str| {
        text.split('{').skip(1).filter_map(|part| part.split_once('}').map(|(name, _)| name.to_string())).collect()
    };
    match message {
        Message::Text(text) => vec![names(text)],
        Message::Plural(forms) => forms.values().map(|f| names(f)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_put_in_before_a_full_stop_keeps_one() {
        let args = [("reason", "The name cannot be empty.".to_string()), ("n", "3".to_string())];
        assert_eq!(
            fill("Refused: {reason}. Nothing was added.", &args),
            "Refused: The name cannot be empty. Nothing was added."
        );
        assert_eq!(fill("{n}. {reason}", &args), "3. The name cannot be empty.");
        assert_eq!(fill("{missing}.", &args), "{missing}.");
    }

    #[test]
    fn dates_are_written_as_each_language_writes_them() {
        assert_eq!(long_date(Lang::En, "2026-11-29"), "November 29, 2026");
        assert_eq!(long_date(Lang::Es, "2026-11-29"), "29 de noviembre de 2026");
        assert_eq!(long_date(Lang::Fr, "2026-12-01"), "1er décembre 2026");
        assert_eq!(long_date(Lang::Fr, "2026-02-07"), "7 février 2026");
        for odd in ["2026-13-01", "soon", "2026-1-1", ""] {
            assert_eq!(long_date(Lang::Es, odd), odd, "{odd} is not a date: kept as written");
        }
    }

    #[test]
    fn every_language_has_every_key_with_the_same_placeholders() {
        let english = catalog(Lang::En);
        assert!(!english.is_empty());
        for lang in [Lang::Es, Lang::Fr] {
            let other = catalog(lang);
            let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, unknown {extra:?}", lang.code());
            for (key, message) in other {
                let theirs = &english[key];
                let all_english: std::collections::BTreeSet<String> =
                    placeholders(theirs).into_iter().flatten().collect();
                match (theirs, message) {
                    (Message::Text(_), Message::Text(_)) => {
                        assert_eq!(placeholders(message)[0], all_english, "{}: {key}'s placeholders", lang.code());
                    }
                    (Message::Plural(_), Message::Plural(forms)) => {
                        for form in ["one", "other"] {
                            assert!(forms.contains_key(form), "{}: {key} lacks its “{form}” form", lang.code());
                        }
                        for names in placeholders(message) {
                            // A "one" form may say "one card" instead of "{count} card".
                            let mut without_count = all_english.clone();
                            without_count.remove("count");
                            assert!(
                                names.is_subset(&all_english) && without_count.is_subset(&names),
                                "{}: {key}'s placeholders {names:?}, English has {all_english:?}",
                                lang.code()
                            );
                        }
                    }
                    _ => panic!("{}: {key} is plural in one language and not in the other", lang.code()),
                }
            }
        }
        for (key, message) in english {
            if let Message::Plural(forms) = message {
                assert!(forms.contains_key("one") && forms.contains_key("other"), "en: {key}'s forms");
            }
        }
    }

    #[test]
    fn french_keeps_its_punctuation_with_the_word_before_it() {
        // A no-break space before : ; ? ! and », after «, so that no line starts with one.
        for (key, message) in catalog(Lang::Fr) {
            let forms: Vec<&String> = match message {
                Message::Text(text) => vec![text],
                Message::Plural(forms) => forms.values().collect(),
            };
            for text in forms {
                let breakable = [" :", " ;", " ?", " !", " »", "« "].into_iter().find(|pair| text.contains(pair));
                assert!(
                    breakable.is_none(),
                    "fr: {key} has “{}”: use a no-break space (U+00A0)",
                    breakable.unwrap_or("")
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_and_plurals_chosen() {
        let arg = |n: &str| vec![("count", n.to_string())];
        assert_eq!(message(Lang::En, "label.move-cards", &arg("1")), "Move 1 card");
        assert_eq!(message(Lang::En, "label.move-cards", &arg("3")), "Move 3 cards");
        assert_eq!(message(Lang::Fr, "label.move-cards", &arg("0")), "Déplacer 0 carte");
        assert_eq!(message(Lang::Es, "label.move-cards", &arg("0")), "Mover 0 tarjetas");
        assert_eq!(message(Lang::Es, "label.move-card", &[("organization", "Concejo".to_string())]), "Mover «Concejo»");
        assert_eq!(message(Lang::En, "no.such.key", &[]), "no.such.key");
        assert_eq!(fill("a {x} {unknown} {", &[("x", "1".into())]), "a 1 {unknown} {");
    }

    #[test]
    fn a_locale_name_picks_its_language() {
        assert_eq!(Lang::parse("es_ES.UTF-8"), Some(Lang::Es));
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("C.UTF-8"), None);
        assert_eq!(Lang::parse("de_DE"), None);
    }
}
