//! Who has joined the room (a token each, kept for the room's life, so a phone that slept
//! keeps its seat), the room code, and the count of wrong codes per address.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How many wrong codes one address may send in [`WRONG_CODE_WINDOW`] before it must wait.
pub(crate) const WRONG_CODES_ALLOWED: usize = 10;
/// The window in which wrong codes are counted.
pub(crate) const WRONG_CODE_WINDOW: Duration = Duration::from_secs(60);

/// A participant's seat: whom a token stands for (moves are stored under this name).
#[derive(Debug, Clone)]
pub(crate) struct Seat {
    pub name: String,
    /// The participant of the session the seat is.
    pub participant_id: String,
}

#[derive(Default)]
pub(crate) struct Seats {
    by_token: Mutex<HashMap<String, Seat>>,
    wrong_codes: Mutex<HashMap<IpAddr, VecDeque<Instant>>>,
}

impl Seats {
    /// The seat of `token`, if it is one of this room's.
    pub fn get(&self, token: &str) -> Option<Seat> {
        self.by_token.lock().unwrap_or_else(|p| p.into_inner()).get(token).cloned()
    }

    /// Gives `seat` a new token, and returns it.
    pub fn seat(&self, seat: Seat) -> String {
        let token = new_token();
        self.by_token.lock().unwrap_or_else(|p| p.into_inner()).insert(token.clone(), seat);
        token
    }

    pub fn count(&self) -> usize {
        self.by_token.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether `address` sent too many wrong codes lately (and must wait).
    pub fn barred(&self, address: IpAddr) -> bool {
        let mut wrong = self.wrong_codes.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = wrong.get_mut(&address) else {
            return false;
        };
        while times.front().is_some_and(|t| t.elapsed() > WRONG_CODE_WINDOW) {
            times.pop_front();
        }
        times.len() >= WRONG_CODES_ALLOWED
    }

    /// Counts a wrong code from `address`.
    pub fn wrong_code(&self, address: IpAddr) {
        let mut wrong = self.wrong_codes.lock().unwrap_or_else(|p| p.into_inner());
        wrong.entry(address).or_default().push_back(Instant::now());
    }
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
fn new_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}
