//! The room server over real HTTP and WebSocket on 127.0.0.1, as a participant's browser —
//! or an attacker on the room's network — talks to it. One test binary; its modules:

/// Shared setup: a database with the sample session served, requests and sockets as a
/// browser makes them, and raw TCP for what no browser would send.
mod support;

/// Joining, tokens, moves, speaking for an organization, rounds, the live feed in order.
mod joining_and_moving;

/// One person counts once; seats outlive a restart; the code changes after too many wrong
/// codes from anywhere; joins are rate-limited; names that impersonate are refused; a
/// removed participant is out at once (issue 26, items 2, 6, 8, 10).
mod seats;

/// Private stays private: no response a phone can get gives an answer's author, and a phone
/// gets only what its page draws; a move is compact on the wire (items 1, 5, 9).
mod privacy;

/// A hostile device or page: foreign Host and Origin, bodies that are not JSON, requests that
/// never finish, sockets that never read, too many connections — bounded, refused as JSON,
/// and watched (items 3, 4, 7, 11, 12).
mod hostile;

/// Sync with a laptop nearby: two databases sharing a campaign sync over one's room, paired
/// by its code, each sent what it lacks; hostile hellos and rests refused (issue 29).
mod nearby;
