//! Two laptops side by side syncing a shared campaign directly, over the room server of
//! one of them (`powermap-room`'s `/api/sync/…`): what they say to each other, sealed with
//! the campaign's key, and what each does with it. No network here: the room serves these
//! messages, and its client sends them.
//!
//! Three messages, each sealed with the campaign's key (the header names the campaign: an
//! empty one from a laptop that joins with the key alone):
//! 1. **Hello**, from the laptop asking: the room's code (the pairing), its name, and which
//!    changes it holds (Loro's version vector).
//! 2. **Answer**, from the laptop with the room: its name, which changes it holds, and the
//!    changes the asking laptop lacks.
//! 3. **Rest**, from the laptop asking: the changes the room's laptop lacks, and the
//!    ticket the room gave it with the answer (so a rest heard on the network cannot be
//!    sent again under another ticket).
//!
//! A message is its kind (one byte) and its fields, each a 4-byte big-endian length and
//! its bytes; changes travel deflated. Anything that does not read as one is refused.

use super::key::{self, CampaignKey, Unopened};
use crate::error::{Error, Result};
use crate::i18n::Said;
use crate::model::Millis;
use crate::store::{Store, TakenIn};

/// The campaign a laptop names when it joins with the key alone: the room's.
pub const THE_ROOM_S: &str = "";

/// The most changes may inflate to (a message that claims more is refused).
const MOST_INFLATED: usize = 256 * 1024 * 1024;

/// Why a message from the other laptop was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not a sealed message, cut short, or not the message expected.
    Damaged,
    /// Sealed with another key (another campaign's, or one changed since).
    OtherKey,
    /// The key is right but the message was changed on its way.
    Tampered,
    /// A campaign other than the one the room's laptop syncs.
    OtherCampaign,
}

impl Refusal {
    /// The message key saying it, for the laptop that sent it.
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Damaged => "error.nearby.damaged",
            Refusal::OtherKey => "error.nearby.other-key",
            Refusal::Tampered => "error.nearby.tampered",
            Refusal::OtherCampaign => "error.nearby.other-campaign",
        }
    }
}

impl From<Unopened> for Refusal {
    fn from(why: Unopened) -> Refusal {
        match why {
            Unopened::Damaged => Refusal::Damaged,
            Unopened::OtherKey => Refusal::OtherKey,
            Unopened::Tampered => Refusal::Tampered,
        }
    }
}

/// The first message: from the laptop asking to sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    /// The room's code, as typed on the asking laptop.
    pub code: String,
    /// The asking laptop's name.
    pub laptop: String,
    /// The changes it holds (an encoded version vector; empty when it has none yet).
    pub version: Vec<u8>,
}

/// What the asking laptop learns from the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The campaign (the room's: the one joined, for a laptop that joined with the key).
    pub campaign: String,
    /// The room's laptop's name.
    pub laptop: String,
    /// What came in.
    pub taken: TakenIn,
    /// The changes the room's laptop holds.
    version: Vec<u8>,
}

const HELLO: u8 = 1;
const ANSWER: u8 = 2;
const REST: u8 = 3;

fn encode(kind: u8, fields: &[&[u8]]) -> Vec<u8> {
    let mut out = vec![kind];
    for field in fields {
        out.extend_from_slice(&(field.len() as u32).to_be_bytes());
        out.extend_from_slice(field);
    }
    out
}

/// The fields of a message of `kind` with `count` fields, or `Damaged`.
fn decode(bytes: &[u8], kind: u8, count: usize) -> std::result::Result<Vec<&[u8]>, Refusal> {
    let (&first, mut rest) = bytes.split_first().ok_or(Refusal::Damaged)?;
    if first != kind {
        return Err(Refusal::Damaged);
    }
    let mut fields = Vec::with_capacity(count);
    for _ in 0..count {
        if rest.len() < 4 {
            return Err(Refusal::Damaged);
        }
        let length = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        rest = &rest[4..];
        if rest.len() < length {
            return Err(Refusal::Damaged);
        }
        fields.push(&rest[..length]);
        rest = &rest[length..];
    }
    if !rest.is_empty() {
        return Err(Refusal::Damaged);
    }
    Ok(fields)
}

fn text(field: &[u8]) -> std::result::Result<String, Refusal> {
    std::str::from_utf8(field).map(str::to_string).map_err(|_| Refusal::Damaged)
}

/// A laptop's name as the other laptop sent it: one line of printable text, as a name
/// typed here would be (it is shown in the window and written on the command line).
fn laptop_name(field: &[u8]) -> std::result::Result<String, Refusal> {
    crate::model::text::name("word.laptop", &text(field)?).map_err(|_| Refusal::Damaged)
}

fn inflate(field: &[u8]) -> std::result::Result<Vec<u8>, Refusal> {
    miniz_oxide::inflate::decompress_to_vec_with_limit(field, MOST_INFLATED).map_err(|_| Refusal::Damaged)
}

/// Opens `bytes` with `key`: its campaign (as its header names it) and what it holds.
fn open(key: &CampaignKey, bytes: &[u8]) -> std::result::Result<(String, Vec<u8>), Refusal> {
    let sealed = key::read_header(bytes)?;
    let plain = key::open(key, &sealed)?;
    Ok((sealed.campaign, plain))
}

/// The version a laptop holds of `campaign`, or an empty one when it has not joined it.
fn version_of(store: &Store, campaign: Option<&str>) -> Result<Vec<u8>> {
    match campaign {
        Some(campaign) => store.shared_version(campaign),
        None => Ok(loro::VersionVector::new().encode()),
    }
}

/// The hello of this laptop, named `laptop`, for the room whose code is `code`: for the
/// shared campaign `campaign`, or — `None` — for whatever campaign the room's laptop
/// shares under `key` (to join it).
///
/// Errors: not found for a campaign this laptop does not share.
pub fn hello(store: &Store, campaign: Option<&str>, key: &CampaignKey, code: &str, laptop: &str) -> Result<Vec<u8>> {
    let version = version_of(store, campaign)?;
    key.seal(campaign.unwrap_or(THE_ROOM_S), &encode(HELLO, &[code.trim().as_bytes(), laptop.as_bytes(), &version]))
}

/// The room's laptop: opens a hello for its shared campaign `campaign`. The caller checks
/// its code before answering.
///
/// Errors: not found when `campaign` is not shared here. A hello refused is `Ok(Err(_))`.
pub fn open_hello(store: &Store, campaign: &str, bytes: &[u8]) -> Result<std::result::Result<Hello, Refusal>> {
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    Ok(open(&key, bytes).and_then(|(named, plain)| {
        if named != campaign && named != THE_ROOM_S {
            return Err(Refusal::OtherCampaign);
        }
        let fields = decode(&plain, HELLO, 3)?;
        let version = fields[2].to_vec();
        if !version.is_empty() {
            loro::VersionVector::decode(&version).map_err(|_| Refusal::Damaged)?;
        }
        Ok(Hello { code: text(fields[0])?, laptop: laptop_name(fields[1])?, version })
    }))
}

/// The room's laptop: its answer to `hello` — its name, its version, and the changes the
/// asking laptop lacks — sealed for `campaign`.
pub fn answer(store: &Store, campaign: &str, hello: &Hello) -> Result<Vec<u8>> {
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    let shared = store.shared_campaign(campaign)?;
    let theirs = if hello.version.is_empty() { loro::VersionVector::new().encode() } else { hello.version.clone() };
    let changes = store.changes_missing_from(campaign, &theirs)?;
    let version = store.shared_version(campaign)?;
    key.seal(campaign, &encode(ANSWER, &[shared.laptop.as_bytes(), &version, &super::folder::deflate(&changes)]))
}

/// The asking laptop: takes in the answer `bytes` for `campaign` (or, `None`, joins the
/// campaign the answer is for, under `key`, as `laptop`).
///
/// Errors: [`Error::BadImport`] for an answer that does not open with the key or is not
/// one; not found for a campaign this laptop does not share.
pub fn take_answer(
    store: &Store,
    campaign: Option<&str>,
    key: &CampaignKey,
    laptop: &str,
    bytes: &[u8],
    now: Millis,
) -> Result<Answered> {
    let refused = |why: Refusal| Error::bad_import(Said::new(why.key()));
    let (named, plain) = open(key, bytes).map_err(refused)?;
    if named == THE_ROOM_S || campaign.is_some_and(|c| c != named) {
        return Err(refused(Refusal::OtherCampaign));
    }
    let fields = decode(&plain, ANSWER, 3).map_err(refused)?;
    let their_laptop = laptop_name(fields[0]).map_err(refused)?;
    let version = fields[1].to_vec();
    loro::VersionVector::decode(&version).map_err(|_| refused(Refusal::Damaged))?;
    let changes = inflate(fields[2]).map_err(refused)?;
    if campaign.is_none() {
        store.join_shared_campaign(&named, laptop, &key.to_text(), None, now)?;
    }
    let taken = store.take_in_changes(&named, &changes, now)?;
    store.mark_synced(&named, now)?;
    Ok(Answered { campaign: named, laptop: their_laptop, taken, version })
}

/// The asking laptop: the rest — the changes the room's laptop lacks — under `ticket`.
/// Returns the sealed message and how many changes it holds (Loro operations).
pub fn rest(store: &Store, answered: &Answered, ticket: &str) -> Result<(Vec<u8>, usize)> {
    let campaign = &answered.campaign;
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    let changes = store.changes_missing_from(campaign, &answered.version)?;
    let theirs = loro::VersionVector::decode(&answered.version)
        .map_err(|e| Error::bad_import(Said::new("error.sharing.damaged").text("detail", e)))?;
    let ours = loro::VersionVector::decode(&store.shared_version(campaign)?)
        .map_err(|e| Error::bad_import(Said::new("error.sharing.damaged").text("detail", e)))?;
    let count: i32 = ours.iter().map(|(peer, end)| (end - theirs.get(peer).copied().unwrap_or(0)).max(0)).sum();
    let sealed = key.seal(campaign, &encode(REST, &[ticket.as_bytes(), &super::folder::deflate(&changes)]))?;
    Ok((sealed, usize::try_from(count).unwrap_or(0)))
}

/// The room's laptop: takes in the rest `bytes` for `campaign`, sent under `ticket`.
///
/// Errors: not found when `campaign` is not shared here. A rest refused is `Ok(Err(_))`.
pub fn take_rest(
    store: &Store,
    campaign: &str,
    ticket: &str,
    bytes: &[u8],
    now: Millis,
) -> Result<std::result::Result<TakenIn, Refusal>> {
    let key = CampaignKey::from_text(&store.shared_key(campaign)?)?;
    let changes = match open(&key, bytes).and_then(|(named, plain)| {
        if named != campaign {
            return Err(Refusal::OtherCampaign);
        }
        let fields = decode(&plain, REST, 2)?;
        if fields[0] != ticket.as_bytes() {
            return Err(Refusal::Damaged);
        }
        inflate(fields[1])
    }) {
        Ok(changes) => changes,
        Err(why) => return Ok(Err(why)),
    };
    match store.take_in_changes(campaign, &changes, now) {
        Ok(taken) => {
            store.mark_synced(campaign, now)?;
            Ok(Ok(taken))
        }
        Err(error) if error.code() == crate::ErrorCode::BadImport => Ok(Err(Refusal::Damaged)),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_reads_back_and_nothing_else_does() {
        let bytes = encode(HELLO, &[b"123456", "Amina's laptop".as_bytes(), b""]);
        let fields = decode(&bytes, HELLO, 3).unwrap();
        assert_eq!(fields, vec![&b"123456"[..], "Amina's laptop".as_bytes(), &b""[..]]);
        assert_eq!(decode(&bytes, ANSWER, 3), Err(Refusal::Damaged), "another kind");
        assert_eq!(decode(&bytes, HELLO, 2), Err(Refusal::Damaged), "a field left over");
        assert_eq!(decode(&bytes[..bytes.len() - 1], HELLO, 3), Err(Refusal::Damaged), "cut short");
        let mut huge = vec![HELLO];
        huge.extend_from_slice(&u32::MAX.to_be_bytes());
        assert_eq!(decode(&huge, HELLO, 1), Err(Refusal::Damaged), "a length past the end");
        assert_eq!(decode(&[], HELLO, 0), Err(Refusal::Damaged));
    }

    #[test]
    fn a_laptop_s_name_is_one_line_of_printable_text() {
        assert_eq!(laptop_name(" Amina's laptop ".as_bytes()).as_deref(), Ok("Amina's laptop"));
        for bad in [&b"\x1b[2Jgone"[..], b"two\nlines", b"", b"\xff\xfe"] {
            assert_eq!(laptop_name(bad), Err(Refusal::Damaged), "{bad:?}");
        }
    }
}
