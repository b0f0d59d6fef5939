//! The words of other tools read as Powermap's: an element's type as a sector, a
//! connection's type as a kind of relationship, and a connection's strength on Kumu's open
//! scale as Powermap's 1–3.

use crate::model::{RelationshipKind, Sector};

/// The lower-case words of `text` (letters and digits; everything else separates them).
fn words(text: &str) -> Vec<String> {
    text.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(String::from).collect()
}

/// Whether a word of `words` starts with one of `stems` ("corporat" finds "Corporation"),
/// or two words in a row make one of `pairs` ("public entity").
fn names(words: &[String], stems: &[&str], pairs: &[(&str, &str)]) -> bool {
    words.iter().any(|w| stems.iter().any(|s| w.starts_with(s)))
        || words.windows(2).any(|two| pairs.iter().any(|(a, b)| two[0] == *a && two[1].starts_with(b)))
}

/// A sector and the words that name it: stems, and pairs of words in a row.
type SectorWords = (Sector, &'static [&'static str], &'static [(&'static str, &'static str)]);

/// The sector a foreign element type names, if it names one. A sector's own name or label
/// ("ngo", "Faith group", as Powermap's Kumu export writes them) is that sector; otherwise
/// the type's words are looked up, the more telling words first, so "Labor Union" is a
/// union, "Government Agency" government, "Family Foundation" a funder and "Community
/// organization" a community group. Words are matched whole or by their stem, never inside
/// another word ("city" does not find "capacity").
pub(crate) fn sector(kind: &str) -> Option<Sector> {
    let simple: String = kind.trim().to_lowercase();
    if let Some(own) = Sector::ALL.into_iter().find(|s| s.as_str() == simple || s.label().to_lowercase() == simple) {
        return Some(own);
    }
    let w = words(kind);
    let table: &[SectorWords] = &[
        (Sector::Union, &["union", "labor", "labour", "trades", "syndicat", "sindicat", "teamster"], &[]),
        (
            Sector::FaithGroup,
            &[
                "faith",
                "church",
                "parish",
                "mosque",
                "synagog",
                "temple",
                "relig",
                "congregation",
                "diocese",
                "interfaith",
                "ministries",
            ],
            &[],
        ),
        (
            Sector::Funder,
            &["funder", "foundation", "donor", "philanthrop", "grantmaker", "grantmaking", "endowment"],
            &[("funding", "body"), ("fund", "manager")],
        ),
        (
            Sector::Government,
            &[
                "government",
                "governmental",
                "municipal",
                "municipality",
                "agency",
                "council",
                "ministry",
                "department",
                "official",
                "mayor",
                "city",
                "county",
                "state",
                "federal",
                "legislat",
                "parliament",
                "congress",
                "senate",
                "court",
                "police",
                "regulator",
                "authority",
                "commission",
                "governor",
                "embassy",
                "military",
                "public",
                "politic",
            ],
            &[],
        ),
        (
            Sector::Media,
            &["media", "news", "newspaper", "journal", "radio", "tv", "television", "magazine", "broadcast", "podcast"],
            &[],
        ),
        (
            Sector::Academic,
            &["academ", "universit", "research", "school", "college", "institute", "think", "scholar", "professor"],
            &[],
        ),
        (
            Sector::Business,
            &[
                "business",
                "company",
                "companies",
                "corporat",
                "firm",
                "developer",
                "landlord",
                "bank",
                "industry",
                "industrial",
                "investor",
                "investment",
                "enterprise",
                "llc",
                "ltd",
                "startup",
                "employer",
                "contractor",
                "consult",
                "utility",
                "commercial",
                "retail",
                "private",
                "chamber",
                "fintech",
                "insurer",
                "insurance",
            ],
            &[("trade", "association")],
        ),
        (
            Sector::Ngo,
            &["ngo", "nonprofit", "charity", "charitable", "advocacy", "legal"],
            &[("non", "profit"), ("not", "for"), ("civil", "society")],
        ),
        (Sector::Individual, &["person", "individual", "people", "politician", "activist"], &[]),
        (
            Sector::CommunityGroup,
            &[
                "community",
                "grassroots",
                "tenant",
                "resident",
                "neighborhood",
                "neighbourhood",
                "coalition",
                "alliance",
                "network",
                "cooperative",
                "coop",
                "association",
                "movement",
                "group",
                "organization",
                "organisation",
                "club",
                "collective",
            ],
            &[],
        ),
    ];
    // "Public" alone is a weak word: "Public radio" is media, "Public school" academic.
    let weak = ["public", "state", "politic"];
    for (sector, stems, pairs) in table {
        let strong: Vec<&str> = stems.iter().copied().filter(|s| !weak.contains(s)).collect();
        if names(&w, &strong, pairs) {
            return Some(*sector);
        }
    }
    if names(&w, &weak, &[]) {
        return Some(Sector::Government);
    }
    None
}

/// The kind of relationship a foreign type or label names; works-with when it names none.
/// Powermap's own words for a kind ("works with", "member-of", as its Kumu export writes
/// them) are that kind.
pub(crate) fn kind(text: &str) -> RelationshipKind {
    if let Some(own) = own_kind(text) {
        return own;
    }
    let kind = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| kind.contains(w));
    if has(&["fund", "donat", "donor", "grant", "financ", "pays", "invest", "sponsor", "contribut"]) {
        RelationshipKind::Funds
    } else if has(&["speaks", "represent", "spokes", "on behalf"]) {
        RelationshipKind::SpeaksFor
    } else if has(&["oppos", "against", "enemy", "conflict", "rival", "compet", "sues"]) {
        RelationshipKind::Opposes
    } else if has(&["lead", "board", "chair", "director", "executive", "founder", "runs", "head"]) {
        RelationshipKind::Leads
    } else if has(&["member", "affiliate", "part of"]) {
        RelationshipKind::MemberOf
    } else {
        RelationshipKind::WorksWith
    }
}

/// The kind `text` names in Powermap's own words (its verb or its stored name), if any.
pub(crate) fn own_kind(text: &str) -> Option<RelationshipKind> {
    let text = text.trim().to_lowercase();
    RelationshipKind::ALL.into_iter().find(|k| k.verb() == text || k.as_str() == text)
}

/// How the strengths of a file's connections map onto Powermap's 1 (weak) to 3 (strong).
///
/// Kumu's `strength` is a number on whatever scale the map's author chose. If every
/// strength in the file is a whole number from 1 to 3 (Powermap's own scale, as its Kumu
/// export writes it), each is kept as it is. Otherwise the file's range, from its smallest
/// strength to its largest, is cut into three equal parts: the weakest third becomes 1,
/// the middle third 2, the strongest 3 (a file whose strengths are all equal gets 2). A
/// connection without a strength, or with one that is not a number, gets 2.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StrengthScale {
    lowest: f64,
    highest: f64,
    as_is: bool,
}

impl StrengthScale {
    /// The scale of a file whose connections have `strengths`.
    pub(crate) fn of(strengths: impl IntoIterator<Item = f64>) -> StrengthScale {
        let mut scale = StrengthScale { lowest: f64::INFINITY, highest: f64::NEG_INFINITY, as_is: true };
        for s in strengths.into_iter().filter(|s| s.is_finite()) {
            scale.lowest = scale.lowest.min(s);
            scale.highest = scale.highest.max(s);
            scale.as_is &= s.fract() == 0.0 && (1.0..=3.0).contains(&s);
        }
        scale
    }

    /// The strength, 1 to 3, of a connection whose file says `strength`.
    pub(crate) fn strength(&self, strength: Option<f64>) -> u8 {
        let Some(s) = strength.filter(|s| s.is_finite()) else {
            return 2;
        };
        if self.as_is {
            return s as u8;
        }
        let span = self.highest - self.lowest;
        if span <= f64::EPSILON {
            return 2;
        }
        let part = (s - self.lowest) / span;
        if part < 1.0 / 3.0 {
            1
        } else if part < 2.0 / 3.0 {
            2
        } else {
            3
        }
    }
}

/// A strength as a file writes it: a number, or text that is one.
pub(crate) fn strength_of(value: Option<&serde_json::Value>) -> Option<f64> {
    match value? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
    .filter(|s| s.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_types_real_maps_use_name_their_sectors() {
        let cases = [
            ("Municipality", Sector::Government),
            ("Public Entity", Sector::Government),
            ("Government Agency", Sector::Government),
            ("City Council", Sector::Government),
            ("Foundation", Sector::Funder),
            ("Funder", Sector::Funder),
            ("Company", Sector::Business),
            ("Corporation", Sector::Business),
            ("Labor Union", Sector::Union),
            ("Union", Sector::Union),
            ("Faith-based organization", Sector::FaithGroup),
            ("Media", Sector::Media),
            ("Public radio", Sector::Media),
            ("University", Sector::Academic),
            ("Person", Sector::Individual),
            ("Individual", Sector::Individual),
            ("Nonprofit", Sector::Ngo),
            ("Non-profit", Sector::Ngo),
            ("Community organization", Sector::CommunityGroup),
            ("Community group", Sector::CommunityGroup),
            ("NGO", Sector::Ngo),
            ("Faith group", Sector::FaithGroup),
        ];
        for (kind, sector) in cases {
            assert_eq!(super::sector(kind), Some(sector), "the type “{kind}”");
        }
        assert_eq!(super::sector("Capacity"), None, "“city” is not found inside another word");
        assert_eq!(super::sector("Wizard"), None);
    }

    #[test]
    fn strengths_keep_powermap_s_scale_and_spread_any_other_over_three() {
        let own = StrengthScale::of([1.0, 3.0, 2.0]);
        assert_eq!([own.strength(Some(1.0)), own.strength(Some(3.0)), own.strength(None)], [1, 3, 2]);
        let five = StrengthScale::of([1.0, 2.0, 3.0, 4.0, 5.0]);
        let got: Vec<u8> = [1.0, 2.0, 3.0, 4.0, 5.0].iter().map(|s| five.strength(Some(*s))).collect();
        assert_eq!(got, [1, 1, 2, 3, 3], "1–5 cut in thirds");
        let tenths = StrengthScale::of([0.1, 0.5, 0.9]);
        assert_eq!([tenths.strength(Some(0.1)), tenths.strength(Some(0.5)), tenths.strength(Some(0.9))], [1, 2, 3]);
        assert_eq!(StrengthScale::of([7.0]).strength(Some(7.0)), 2, "all equal: medium");
    }
}
