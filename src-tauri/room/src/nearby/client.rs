//! The other laptop's side of syncing with a laptop nearby: its hello, the answer taken in,
//! the rest sent — plain HTTP/1.1 on a socket of its own (blocking, with deadlines; no
//! runtime), to the room's address as an IP literal, as the room's guard requires.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use base64::Engine;
use powermap_core::i18n::{Lang, Said};
use powermap_core::model::Millis;
use powermap_core::sync::nearby;
use powermap_core::sync::CampaignKey;
use powermap_core::{Error, Result, Store};
use serde::Deserialize;

/// Which campaign to sync with the laptop nearby.
#[derive(Debug, Clone)]
pub enum Campaign {
    /// One this laptop shares already.
    Shared(String),
    /// Whichever the room's laptop shares under this key (as text): joined here.
    Join { key: String },
}

/// What a sync with a laptop nearby did.
#[derive(Debug, Clone, PartialEq)]
pub struct NearbySync {
    /// The campaign synced (the one joined, when joining).
    pub campaign: String,
    /// The name of the laptop synced with.
    pub laptop: String,
    /// Rows written or removed here by what came in.
    pub rows_in: usize,
    /// Changes sent (Loro operations), and rows they wrote or removed there.
    pub changes_out: usize,
    pub rows_out: usize,
    /// Fields the two laptops had set differently (see the double changes).
    pub doubles: usize,
}

/// How long connecting, and each read or write, may take.
const DEADLINE: Duration = Duration::from_secs(30);

/// The most an answer may hold (a campaign's changes, deflated, in base 64).
const MOST_ANSWERED: usize = 192 * 1024 * 1024;

/// The room's address as typed: `192.168.1.20:8470`, `http://192.168.1.20:8470/` (the join
/// address on the projector), or the IP alone (port 8470).
///
/// Errors: invalid for anything else (a name: the room answers only to its address).
pub fn room_address(typed: &str) -> Result<SocketAddr> {
    let trimmed = typed.trim();
    let bare = trimmed.strip_prefix("http://").unwrap_or(trimmed);
    let bare = bare.split('/').next().unwrap_or("");
    let not = || Error::Invalid(Said::new("error.nearby.not-an-address").text("address", trimmed));
    if let Ok(address) = bare.parse::<SocketAddr>() {
        return Ok(address);
    }
    let ip: std::net::IpAddr = bare.trim_start_matches('[').trim_end_matches(']').parse().map_err(|_| not())?;
    Ok(SocketAddr::new(ip, crate::DEFAULT_PORT))
}

/// Syncs `campaign` with the laptop whose room is at `address` (as typed), paired by its
/// room code `code`; this laptop is named `laptop`, and `lang` is the language refusals are
/// said in.
///
/// Errors: invalid for an address that is not one or a key that is not one; an I/O error
/// when the laptop cannot be reached; a conflict saying why when it refuses (a wrong code,
/// another key, another campaign, no shared campaign).
pub fn sync_with(
    store: &Store,
    address: &str,
    code: &str,
    campaign: &Campaign,
    laptop: &str,
    lang: Lang,
    now: Millis,
) -> Result<NearbySync> {
    let address = room_address(address)?;
    let (ours, key) = match campaign {
        Campaign::Shared(id) => (Some(id.as_str()), CampaignKey::from_text(&store.shared_key(id)?)?),
        Campaign::Join { key } => (None, CampaignKey::from_text(key)?),
    };
    let hello = nearby::hello(store, ours, &key, code, laptop)?;
    let answer: Answer = post(address, "/api/sync/hello", None, &hello, lang)?;
    let sealed = decode(&answer.sealed)?;
    let answered = nearby::take_answer(store, ours, &key, laptop, &sealed, now)?;
    let (rest, changes_out) = nearby::rest(store, &answered, &answer.ticket)?;
    let taken: Taken = post(address, "/api/sync/rest", Some(&answer.ticket), &rest, lang)?;
    Ok(NearbySync {
        campaign: answered.campaign.clone(),
        laptop: answered.laptop.clone(),
        rows_in: answered.taken.rows,
        changes_out,
        rows_out: taken.rows,
        doubles: answered.taken.doubles,
    })
}

#[derive(Deserialize)]
struct Answer {
    ticket: String,
    sealed: String,
}

#[derive(Deserialize)]
struct Taken {
    rows: usize,
}

#[derive(Deserialize)]
struct Refused {
    code: String,
    message: String,
}

fn decode(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| Error::BadImport(Said::new("error.nearby.not-an-answer").text("detail", e)))
}

/// POSTs `sealed` (as `{"sealed": base64}`) to `path` of the room at `address`, and reads
/// the answer as a `T`; a refusal becomes the error saying it.
fn post<T: for<'de> Deserialize<'de>>(
    address: SocketAddr,
    path: &str,
    ticket: Option<&str>,
    sealed: &[u8],
    lang: Lang,
) -> Result<T> {
    let unreachable = |e: std::io::Error| Error::Io {
        context: Said::new("error.nearby.unreachable").text("address", address),
        source: e,
    };
    let body = serde_json::json!({ "sealed": base64::engine::general_purpose::STANDARD.encode(sealed) }).to_string();
    let mut stream = TcpStream::connect_timeout(&address, DEADLINE).map_err(unreachable)?;
    stream.set_read_timeout(Some(DEADLINE)).map_err(unreachable)?;
    stream.set_write_timeout(Some(DEADLINE)).map_err(unreachable)?;
    let authorization = ticket.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nAccept-Language: {}\r\n\
         {authorization}Content-Length: {}\r\nConnection: close\r\n\r\n",
        lang.code(),
        body.len()
    );
    stream.write_all(head.as_bytes()).map_err(unreachable)?;
    stream.write_all(body.as_bytes()).map_err(unreachable)?;
    stream.flush().map_err(unreachable)?;
    let mut answer = Vec::new();
    stream.take(MOST_ANSWERED as u64 + 1).read_to_end(&mut answer).map_err(unreachable)?;
    let (status, body) = response(&answer)?;
    if status == 200 {
        return serde_json::from_slice(&body)
            .map_err(|e| Error::BadImport(Said::new("error.nearby.not-an-answer").text("detail", e)));
    }
    let refused: Option<Refused> = serde_json::from_slice(&body).ok();
    Err(match refused {
        Some(refused) => refusal(&refused.code, &refused.message),
        None => Error::BadImport(Said::new("error.nearby.not-an-answer").text("detail", format!("HTTP {status}"))),
    })
}

/// The error saying a refusal of the laptop nearby (its code, and its own words).
fn refusal(code: &str, message: &str) -> Error {
    match code {
        "wrong-code" => Error::Invalid(Said::new("error.nearby.wrong-code")),
        "too-many-wrong-codes" => Error::Conflict(Said::new("error.nearby.wait")),
        "wrong-key" => Error::Conflict(Said::new("error.nearby.other-key")),
        "other-campaign" => Error::Conflict(Said::new("error.nearby.other-campaign")),
        "not-shared" => Error::Conflict(Said::new("error.nearby.not-shared")),
        "not-paired" => Error::Conflict(Said::new("error.nearby.not-paired")),
        _ => Error::Conflict(Said::new("error.nearby.refused").text("detail", message)),
    }
}

/// An HTTP/1.1 response's status and body (a length-delimited, chunked or closed body).
fn response(bytes: &[u8]) -> Result<(u16, Vec<u8>)> {
    let broken = |what: &str| Error::BadImport(Said::new("error.nearby.not-an-answer").text("detail", what));
    if bytes.len() > MOST_ANSWERED {
        return Err(broken("too large"));
    }
    let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| broken("no headers"))?;
    let head = std::str::from_utf8(&bytes[..end]).map_err(|_| broken("headers"))?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|line| line.strip_prefix("HTTP/1.1 ").or_else(|| line.strip_prefix("HTTP/1.0 ")))
        .and_then(|rest| rest.get(..3))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("status"))?;
    let mut length = None;
    let mut chunked = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else { continue };
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = value.trim().parse::<usize>().ok();
        } else if name.trim().eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.to_ascii_lowercase().contains("chunked");
        }
    }
    let rest = &bytes[end + 4..];
    let body = if chunked {
        unchunk(rest).ok_or_else(|| broken("chunks"))?
    } else if let Some(length) = length {
        rest.get(..length).ok_or_else(|| broken("cut short"))?.to_vec()
    } else {
        rest.to_vec()
    };
    Ok((status, body))
}

fn unchunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_read_as_the_projector_shows_it() {
        let expected: SocketAddr = "192.168.1.20:8470".parse().unwrap();
        for typed in ["192.168.1.20:8470", " http://192.168.1.20:8470/ ", "192.168.1.20", "http://192.168.1.20"] {
            assert_eq!(room_address(typed).unwrap(), expected, "{typed}");
        }
        assert_eq!(room_address("[::1]:9000").unwrap(), "[::1]:9000".parse::<SocketAddr>().unwrap());
        for not in ["", "laptop.local:8470", "http://", "192.168.1.300", "999.1.1.1:80"] {
            assert!(room_address(not).is_err(), "{not}");
        }
    }

    #[test]
    fn a_response_is_read_whole_in_each_of_its_shapes() {
        let sized = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        assert_eq!(response(sized).unwrap(), (200, b"hello".to_vec()));
        let chunked = b"HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
        assert_eq!(response(chunked).unwrap(), (403, b"hello".to_vec()));
        let closed = b"HTTP/1.1 200 OK\r\n\r\nhello";
        assert_eq!(response(closed).unwrap(), (200, b"hello".to_vec()));
        assert!(response(b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nhello").is_err(), "cut short");
        assert!(response(b"garbage").is_err());
    }
}
