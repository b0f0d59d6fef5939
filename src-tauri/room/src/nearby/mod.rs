//! "Sync with a laptop nearby": two laptops that share a campaign sync it directly over
//! the room server of one of them, paired by the room's code. The other laptop says which
//! changes it holds, is sent those it lacks, and sends those the room's laptop lacks
//! (`powermap_core::sync::nearby` makes and reads the messages, each sealed with the
//! campaign's key: the network, and the room's phones, see no names).
//!
//! - [`routes`]: the room's side, `POST /api/sync/hello` and `POST /api/sync/rest`
//!   (documented in `docs/room-api.md`). They pass the room's guard as every request does
//!   (Host, Origin, JSON), and the door's: a wrong code, or a hello that does not open with
//!   the campaign's key, counts as a wrong code.
//! - [`client`]: the other laptop's side, plain HTTP/1.1 on a socket of its own.

pub mod client;
pub(crate) mod routes;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a ticket lets its holder do: send the rest of one sync, once, from its address.
struct Ticket {
    address: IpAddr,
    laptop: String,
    given: Instant,
}

/// The tickets given with answers, each good once and for a while.
pub(crate) struct Tickets {
    given: Mutex<HashMap<String, Ticket>>,
    lasts: Duration,
}

/// Tickets held at once: a laptop that asks again and again pushes out its oldest.
const MOST_TICKETS: usize = 16;

impl Tickets {
    pub fn new(lasts: Duration) -> Tickets {
        Tickets { given: Mutex::new(HashMap::new()), lasts }
    }

    fn given(&self) -> std::sync::MutexGuard<'_, HashMap<String, Ticket>> {
        let mut given = self.given.lock().unwrap_or_else(|p| p.into_inner());
        let lasts = self.lasts;
        given.retain(|_, ticket| ticket.given.elapsed() <= lasts);
        given
    }

    /// A new ticket for the laptop `laptop` at `address`.
    pub fn give(&self, address: IpAddr, laptop: &str) -> String {
        let mut given = self.given();
        while given.len() >= MOST_TICKETS {
            let Some(oldest) = given.iter().min_by_key(|(_, t)| t.given).map(|(k, _)| k.clone()) else { break };
            given.remove(&oldest);
        }
        let ticket = crate::seats::new_token();
        given.insert(ticket.clone(), Ticket { address, laptop: laptop.to_string(), given: Instant::now() });
        ticket
    }

    /// Whether `ticket` is good for `address` now (it stays good until it is used).
    pub fn holds(&self, ticket: &str, address: IpAddr) -> bool {
        self.given().get(ticket).is_some_and(|t| t.address == address)
    }

    /// Uses `ticket` up: the name of the laptop it was given to, if it was good.
    pub fn use_up(&self, ticket: &str, address: IpAddr) -> Option<String> {
        let mut given = self.given();
        match given.get(ticket) {
            Some(t) if t.address == address => given.remove(ticket).map(|t| t.laptop),
            _ => None,
        }
    }
}

/// The ticket of a request's `Authorization: Bearer <ticket>`.
pub(crate) fn ticket_of(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

/// The route whose body may be as large as a campaign's changes (with a ticket only).
pub(crate) const REST_PATH: &str = "/api/sync/rest";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_good_once_from_its_address_and_for_a_while() {
        let tickets = Tickets::new(Duration::from_secs(60));
        let here = IpAddr::from([192, 168, 1, 20]);
        let there = IpAddr::from([192, 168, 1, 21]);
        let ticket = tickets.give(here, "Amina's laptop");
        assert!(tickets.holds(&ticket, here));
        assert!(!tickets.holds(&ticket, there), "another address");
        assert_eq!(tickets.use_up(&ticket, there), None);
        assert_eq!(tickets.use_up(&ticket, here).as_deref(), Some("Amina's laptop"));
        assert_eq!(tickets.use_up(&ticket, here), None, "used up");
        let gone = Tickets::new(Duration::ZERO);
        let ticket = gone.give(here, "x");
        std::thread::sleep(Duration::from_millis(5));
        assert!(!gone.holds(&ticket, here), "past its time");
        let many = Tickets::new(Duration::from_secs(60));
        let first = many.give(here, "x");
        for _ in 0..MOST_TICKETS {
            many.give(here, "x");
        }
        assert!(!many.holds(&first, here), "the oldest pushed out");
    }
}
