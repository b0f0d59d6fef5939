//! A shared campaign's key, and the sealed files it opens. Whoever holds the key reads
//! and writes the campaign; the folder's host, without it, reads no names.
//!
//! - The key is 32 random bytes, written for people as `PM1-` and eleven groups of five
//!   letters and digits (Crockford's base 32: no I, L, O or U, so nothing reads as
//!   another; a mistyped one is caught by its last two bytes, a check).
//! - A sealed file is XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`) with a random
//!   24-byte nonce. Its header, in the clear and authenticated with the rest, names the
//!   format, the campaign (an id that says nothing of its names), which key sealed it and
//!   how long the sealed part is (so a file cut short is told from one tampered with).

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

use crate::error::{Error, Result};
use crate::i18n::Said;

/// The first bytes of every sealed file.
const MAGIC: &[u8; 8] = b"PMSYNC1\0";

/// Crockford's base-32 alphabet.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A campaign's key.
#[derive(Clone, PartialEq, Eq)]
pub struct CampaignKey([u8; 32]);

impl std::fmt::Debug for CampaignKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CampaignKey(…)")
    }
}

impl CampaignKey {
    /// A new random key.
    pub fn generate() -> CampaignKey {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        CampaignKey(key.into())
    }

    /// The key as people copy it: `PM1-XXXXX-…` (eleven groups).
    pub fn to_text(&self) -> String {
        let mut bytes = self.0.to_vec();
        bytes.extend_from_slice(&self.id()[..2]);
        let digits = encode(&bytes);
        let groups: Vec<&str> = digits.as_bytes().chunks(5).map(|c| std::str::from_utf8(c).unwrap_or("")).collect();
        format!("PM1-{}", groups.join("-"))
    }

    /// Reads a key as people type or paste it: any case, with or without the hyphens,
    /// spaces or line breaks, O read as 0 and I or L as 1.
    ///
    /// Errors: [`Error::InvalidInput`] for text that is not a key, or a key mistyped.
    pub fn from_text(text: &str) -> Result<CampaignKey> {
        let cleaned: String = text.trim().chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let upper = cleaned.to_ascii_uppercase();
        let Some(digits) = upper.strip_prefix("PM1") else {
            return Err(Error::invalid("error.sharing.not-a-key"));
        };
        let bytes = decode(digits).ok_or_else(|| Error::invalid("error.sharing.not-a-key"))?;
        if bytes.len() != 34 {
            return Err(Error::invalid("error.sharing.not-a-key"));
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes[..32]);
        let key = CampaignKey(key);
        if key.id()[..2] != bytes[32..34] {
            return Err(Error::invalid("error.sharing.key-mistyped"));
        }
        Ok(key)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(&self.0))
    }

    /// Which key this is, for a file's header: the seal of nothing under an all-zero
    /// nonce (never used for a file: theirs are random). Says nothing of the key itself.
    pub fn id(&self) -> [u8; 16] {
        let sealed = self.cipher().encrypt(&XNonce::default(), &b""[..]).unwrap_or_default();
        let mut id = [0u8; 16];
        id.copy_from_slice(&sealed[..16.min(sealed.len())]);
        id
    }

    /// `plain` sealed for the campaign `campaign`.
    pub fn seal(&self, campaign: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let length = u32::try_from(plain.len() + 16).map_err(|_| Error::invalid("error.sharing.too-large"))?;
        let header = header(campaign, &self.id(), length)?;
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(&nonce, Payload { msg: plain, aad: &header })
            .map_err(|_| Error::internal(Said::new("error.internal.shared-document").text("detail", "seal")))?;
        let mut out = header;
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }
}

/// What a sealed file says of itself before it is opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed<'a> {
    pub campaign: String,
    pub key_id: [u8; 16],
    header: &'a [u8],
    nonce: &'a [u8],
    sealed: &'a [u8],
}

/// Why a sealed file could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unopened {
    /// Not a sealed file, or cut short.
    Damaged,
    /// Sealed with another key (a key that has changed since, or another campaign's).
    OtherKey,
    /// The key is right but the contents were changed after sealing, or cut short.
    Tampered,
}

fn header(campaign: &str, key_id: &[u8; 16], sealed_length: u32) -> Result<Vec<u8>> {
    let length = u8::try_from(campaign.len()).map_err(|_| Error::invalid("error.sharing.campaign-id"))?;
    let mut out = MAGIC.to_vec();
    out.push(length);
    out.extend_from_slice(campaign.as_bytes());
    out.extend_from_slice(key_id);
    out.extend_from_slice(&sealed_length.to_be_bytes());
    Ok(out)
}

/// Reads a sealed file's header.
pub fn read_header(bytes: &[u8]) -> std::result::Result<Sealed<'_>, Unopened> {
    if bytes.len() < MAGIC.len() + 1 || &bytes[..MAGIC.len()] != MAGIC {
        return Err(Unopened::Damaged);
    }
    let length = bytes[MAGIC.len()] as usize;
    let campaign_at = MAGIC.len() + 1;
    let key_at = campaign_at + length;
    let length_at = key_at + 16;
    let nonce_at = length_at + 4;
    let sealed_at = nonce_at + 24;
    if bytes.len() < sealed_at + 16 {
        return Err(Unopened::Damaged);
    }
    let sealed_length =
        u32::from_be_bytes([bytes[length_at], bytes[length_at + 1], bytes[length_at + 2], bytes[length_at + 3]]);
    if bytes.len() - sealed_at != sealed_length as usize {
        // Cut short (or run on): the folder's sync has not finished writing it, or broke it.
        return Err(Unopened::Damaged);
    }
    let campaign = std::str::from_utf8(&bytes[campaign_at..key_at]).map_err(|_| Unopened::Damaged)?.to_string();
    let mut key_id = [0u8; 16];
    key_id.copy_from_slice(&bytes[key_at..length_at]);
    Ok(Sealed {
        campaign,
        key_id,
        header: &bytes[..nonce_at],
        nonce: &bytes[nonce_at..sealed_at],
        sealed: &bytes[sealed_at..],
    })
}

/// Opens a sealed file with `key`.
pub fn open(key: &CampaignKey, sealed: &Sealed<'_>) -> std::result::Result<Vec<u8>, Unopened> {
    if sealed.key_id != key.id() {
        return Err(Unopened::OtherKey);
    }
    key.cipher()
        .decrypt(XNonce::from_slice(sealed.nonce), Payload { msg: sealed.sealed, aad: sealed.header })
        .map_err(|_| Unopened::Tampered)
}

fn encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn decode(digits: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in digits.chars() {
        let c = match c {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        let value = ALPHABET.iter().position(|a| *a as char == c)? as u32;
        buffer = ((buffer << 5) | value) & 0xFFFF;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xFF) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_from_its_text_however_it_is_typed() {
        let key = CampaignKey::generate();
        let text = key.to_text();
        assert!(text.starts_with("PM1-"));
        assert_eq!(text.split('-').count(), 12, "{text}");
        assert_eq!(CampaignKey::from_text(&text).expect("read back"), key);
        let typed = text.to_lowercase().replace('-', " ").replace('0', "o");
        assert_eq!(CampaignKey::from_text(&typed).expect("read back as typed"), key);
    }

    #[test]
    fn a_mistyped_key_is_refused_as_mistyped() {
        let text = CampaignKey::generate().to_text();
        let mut chars: Vec<char> = text.chars().collect();
        let at = 6;
        chars[at] = if chars[at] == 'A' { 'B' } else { 'A' };
        let typo: String = chars.into_iter().collect();
        let error = CampaignKey::from_text(&typo).expect_err("a typo");
        assert_eq!(error.said().key(), "error.sharing.key-mistyped");
        assert_eq!(CampaignKey::from_text("hello").expect_err("not a key").said().key(), "error.sharing.not-a-key");
    }

    #[test]
    fn a_sealed_file_opens_with_its_key_only_and_not_once_changed() {
        let key = CampaignKey::generate();
        let sealed = key.seal("campaign-1", b"the changes").expect("sealed");
        let header = read_header(&sealed).expect("a header");
        assert_eq!(header.campaign, "campaign-1");
        assert_eq!(open(&key, &header).expect("opened"), b"the changes");
        assert!(!sealed.windows(11).any(|w| w == b"the changes"), "the contents are not in the clear");
        assert_eq!(open(&CampaignKey::generate(), &header), Err(Unopened::OtherKey));
        for at in [9, sealed.len() / 2, sealed.len() - 1] {
            let mut changed = sealed.clone();
            changed[at] ^= 1;
            let result = read_header(&changed).and_then(|h| open(&key, &h));
            assert!(result.is_err(), "a change at byte {at} is noticed");
        }
        assert_eq!(
            read_header(&sealed[..sealed.len() / 3]).and_then(|h| open(&key, &h)),
            Err(Unopened::Damaged),
            "cut short"
        );
        assert_eq!(read_header(b"not sealed at all"), Err(Unopened::Damaged));
    }
}
