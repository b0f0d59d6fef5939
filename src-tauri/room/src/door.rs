//! What the facilitator sees of the door: joins, wrong codes, devices cut off or made to
//! wait, the code changing, and laptops nearby syncing — counted with the last time of each for the window, and
//! told one by one to whoever watches (`powermap serve` writes a line each to stderr, and
//! the new code's join line to stdout). No token is ever told; the code only in
//! [`RoomEvent::CodeChanged`], for the join line.

use std::net::IpAddr;
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

/// Why the room turned a device away or cut it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Block {
    /// Too many wrong codes from its address: it waits.
    WrongCodes,
    /// Too many joins from its address: it waits.
    Joins,
    /// Too many connections open from its address.
    Connections,
    /// Too many live sockets on one seat.
    Sockets,
    /// It did not read what it was sent.
    NotReading,
    /// It did not finish a request in time.
    TooSlow,
    /// A request for another host, or from another site's page.
    ForeignPage,
}

impl Block {
    /// In words, for the command line.
    pub fn describe(self) -> &'static str {
        match self {
            Block::WrongCodes => "too many wrong codes",
            Block::Joins => "too many joins",
            Block::Connections => "too many connections at once",
            Block::Sockets => "too many live connections for one seat",
            Block::NotReading => "it did not read what it was sent",
            Block::TooSlow => "a request it did not finish in time",
            Block::ForeignPage => "a request for another address or from another site's page",
        }
    }
}

/// One thing that happened at the door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomEvent {
    /// A device took a seat: a new participant, or one back in their seat.
    Joined { name: String, again: bool },
    /// A wrong code, from `address`.
    WrongCode { address: IpAddr },
    /// A device turned away or cut off.
    Blocked { address: IpAddr, why: Block },
    /// The code changed to `code`, after `wrong_codes` wrong ones in all.
    CodeChanged { code: String, wrong_codes: usize },
    /// A laptop nearby synced the shared campaign with this one; its changes wrote `rows`.
    Synced { laptop: String, rows: usize },
}

/// Counts of what happened at the door, and when last (milliseconds since 1970).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DoorCounts {
    pub joins: u32,
    #[ts(type = "number | null")]
    pub last_join: Option<i64>,
    pub wrong_codes: u32,
    #[ts(type = "number | null")]
    pub last_wrong_code: Option<i64>,
    pub blocks: u32,
    #[ts(type = "number | null")]
    pub last_block: Option<i64>,
    /// How many times the code changed for too many wrong codes, and when last.
    pub code_changes: u32,
    #[ts(type = "number | null")]
    pub last_code_change: Option<i64>,
    /// How many times a laptop nearby synced the shared campaign with this one, and when last.
    pub syncs: u32,
    #[ts(type = "number | null")]
    pub last_sync: Option<i64>,
}

/// Who is told each event.
pub type Observer = Box<dyn Fn(&RoomEvent) + Send + Sync>;

pub(crate) struct Watch {
    counts: Mutex<DoorCounts>,
    observer: Observer,
}

impl Watch {
    pub fn new(observer: Observer) -> Watch {
        Watch { counts: Mutex::new(DoorCounts::default()), observer }
    }

    /// Counts `event` and tells the observer.
    pub fn tell(&self, event: RoomEvent) {
        {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            let now = Some(powermap_core::clock::now());
            match &event {
                RoomEvent::Joined { .. } => {
                    counts.joins += 1;
                    counts.last_join = now;
                }
                RoomEvent::WrongCode { .. } => {
                    counts.wrong_codes += 1;
                    counts.last_wrong_code = now;
                }
                RoomEvent::Blocked { .. } => {
                    counts.blocks += 1;
                    counts.last_block = now;
                }
                RoomEvent::CodeChanged { .. } => {
                    counts.code_changes += 1;
                    counts.last_code_change = now;
                }
                RoomEvent::Synced { .. } => {
                    counts.syncs += 1;
                    counts.last_sync = now;
                }
            }
        }
        (self.observer)(&event);
    }

    pub fn counts(&self) -> DoorCounts {
        self.counts.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}
