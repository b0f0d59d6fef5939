//! The room's door: its code (changed at once when too many wrong codes were tried, from
//! any mix of addresses), the wrong codes and joins counted per address, the tokens given
//! to seats (kept in the database only as hashes: see the core's `room_seat` table), and
//! the live sockets each seat holds.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::limits::Limits;

/// Why an address must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Barred {
    /// It sent too many wrong codes lately.
    WrongCodes,
    /// It joined too many times lately.
    Joins,
}

/// What a wrong code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WrongCode {
    /// Counted: the code stands.
    Counted,
    /// The last one the code takes: the room's code is now this new one.
    CodeChanged(String),
}

/// Times of recent events per address, forgotten after the limits' window.
#[derive(Default)]
struct Recent(HashMap<IpAddr, VecDeque<Instant>>);

impl Recent {
    /// How many events `address` had within `window`, forgetting older ones.
    fn count(&mut self, address: IpAddr, window: std::time::Duration) -> usize {
        let Some(times) = self.0.get_mut(&address) else { return 0 };
        while times.front().is_some_and(|t| t.elapsed() > window) {
            times.pop_front();
        }
        let count = times.len();
        if count == 0 {
            self.0.remove(&address);
        }
        count
    }

    fn add(&mut self, address: IpAddr) {
        self.0.entry(address).or_default().push_back(Instant::now());
    }
}

struct Door {
    code: String,
    /// Wrong codes since the code was last changed, from any address.
    wrong_since_code: usize,
    wrong: Recent,
    joins: Recent,
}

/// The door of one room.
pub(crate) struct Seats {
    door: Mutex<Door>,
    /// Live sockets open per participant.
    sockets: Mutex<HashMap<String, usize>>,
    limits: Limits,
}

impl Seats {
    pub fn new(limits: Limits) -> Seats {
        let door = Door { code: new_code(), wrong_since_code: 0, wrong: Recent::default(), joins: Recent::default() };
        Seats { door: Mutex::new(door), sockets: Mutex::new(HashMap::new()), limits }
    }

    fn door(&self) -> std::sync::MutexGuard<'_, Door> {
        self.door.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The room's code now.
    pub fn code(&self) -> String {
        self.door().code.clone()
    }

    /// Whether `address` must wait before joining, and why.
    pub fn barred(&self, address: IpAddr) -> Option<Barred> {
        let mut door = self.door();
        let window = self.limits.rate_window;
        if door.wrong.count(address, window) >= self.limits.wrong_codes_per_address {
            return Some(Barred::WrongCodes);
        }
        if door.joins.count(address, window) >= self.limits.joins_per_address {
            return Some(Barred::Joins);
        }
        None
    }

    /// Whether `typed` is the room's code; a wrong one is counted against `address` and
    /// against the code itself, which changes once it has taken
    /// [`Limits::wrong_codes_per_code`] wrong ones from any mix of addresses.
    pub fn try_code(&self, typed: &str, address: IpAddr) -> Result<(), WrongCode> {
        if same(typed.trim().as_bytes(), self.door().code.as_bytes()) {
            return Ok(());
        }
        Err(self.wrong_attempt(address))
    }

    /// Counts a wrong attempt from `address` (a wrong code, or a laptop's hello that does not
    /// open with the campaign's key) against the address and against the code, which changes
    /// once it has taken [`Limits::wrong_codes_per_code`] of them.
    pub fn wrong_attempt(&self, address: IpAddr) -> WrongCode {
        let mut door = self.door();
        door.wrong.add(address);
        door.wrong_since_code += 1;
        if door.wrong_since_code < self.limits.wrong_codes_per_code {
            return WrongCode::Counted;
        }
        let mut code = new_code();
        while code == door.code {
            code = new_code();
        }
        door.code = code.clone();
        door.wrong_since_code = 0;
        WrongCode::CodeChanged(code)
    }

    /// Counts a join from `address`.
    pub fn joined(&self, address: IpAddr) {
        self.door().joins.add(address);
    }

    /// Takes a live socket for `participant_id`, or `None` when the seat holds as many as
    /// allowed already. The socket gives it back with [`Seats::socket_closed`].
    pub fn open_socket(&self, participant_id: &str) -> bool {
        let mut sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        let open = sockets.entry(participant_id.to_string()).or_default();
        if *open >= self.limits.sockets_per_seat {
            return false;
        }
        *open += 1;
        true
    }

    pub fn socket_closed(&self, participant_id: &str) {
        let mut sockets = self.sockets.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(open) = sockets.get_mut(participant_id) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                sockets.remove(participant_id);
            }
        }
    }
}

/// Compares two codes in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Random bytes from the system's generator (through uuid's v4).
fn random() -> [u8; 16] {
    *uuid::Uuid::new_v4().as_bytes()
}

/// A new room code: 6 digits.
pub(crate) fn new_code() -> String {
    let bytes = random();
    let number = u64::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7]]);
    format!("{:06}", number % 1_000_000)
}

/// A new token: 244 random bits, as hex.
pub(crate) fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// What the database keeps of a token: its SHA-256, as hex. A token is 244 random bits, so
/// no one can find it again from the hash.
pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_changes_after_its_wrong_codes_from_any_address() {
        let limits = Limits { wrong_codes_per_code: 5, ..Limits::default() };
        let seats = Seats::new(limits);
        let first = seats.code();
        let wrong = if first == "000000" { "111111" } else { "000000" };
        for n in 0..4u8 {
            let address = IpAddr::from([127, 0, 0, n + 1]);
            assert_eq!(seats.try_code(wrong, address), Err(WrongCode::Counted));
        }
        let Err(WrongCode::CodeChanged(code)) = seats.try_code(wrong, IpAddr::from([127, 0, 0, 9])) else {
            panic!("the fifth wrong code changes the code");
        };
        assert_ne!(code, first);
        assert_eq!(seats.code(), code);
        assert!(seats.try_code(&first, IpAddr::from([127, 0, 0, 1])).is_err(), "the old code is void");
        assert!(seats.try_code(&format!(" {code} "), IpAddr::from([127, 0, 0, 1])).is_ok());
    }

    #[test]
    fn a_token_is_kept_as_a_hash() {
        let token = new_token();
        assert_eq!(token.len(), 64);
        let hash = token_hash(&token);
        assert_eq!(hash.len(), 64);
        assert!(!hash.contains(&token[..16]));
        assert_eq!(hash, token_hash(&token), "the same token, the same hash");
    }
}
