//! How much one device may take of the room: its connections, its time, its guesses, its
//! joins, its sockets. Every number lives here, with the value docs/room-api.md states;
//! tests shorten the times to see them act.

use std::time::Duration;

/// The room's limits. [`Limits::default`] is what a room runs with.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A request whose headers, or whose body, have not arrived after this is closed (an
    /// idle kept-alive connection too).
    pub request_time: Duration,
    /// The largest request body taken (else 413).
    pub max_body: usize,
    /// The largest body a laptop nearby may send with its ticket: the changes the room's
    /// laptop lacks (else 413).
    pub max_sync_body: usize,
    /// How long a laptop nearby may take between its hello and the rest of its sync.
    pub ticket_time: Duration,
    /// The largest WebSocket message taken from a device (else the socket is closed).
    pub max_message: usize,
    /// What may wait unsent to one device; a device that reads none of it is cut off.
    pub max_unsent: usize,
    /// A write to a device's socket that has not gone out after this cuts the device off
    /// (it does not read).
    pub send_time: Duration,
    /// A socket quiet for this long is pinged.
    pub ping_after: Duration,
    /// A socket from which nothing (not even a pong) has come for this long is closed.
    pub dead_after: Duration,
    /// Open connections one address may hold at once.
    pub connections_per_address: usize,
    /// Live sockets one seat may hold at once.
    pub sockets_per_seat: usize,
    /// The window in which wrong codes and joins are counted per address.
    pub rate_window: Duration,
    /// Wrong codes one address may send in the window before it must wait.
    pub wrong_codes_per_address: usize,
    /// Joins one address may make in the window before it must wait.
    pub joins_per_address: usize,
    /// Wrong codes, from any mix of addresses, after which the code changes.
    pub wrong_codes_per_code: usize,
    /// Database work done at once for the devices; more waits its turn.
    pub blocking_threads: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            request_time: Duration::from_secs(10),
            max_body: 64 * 1024,
            max_sync_body: 64 * 1024 * 1024,
            ticket_time: Duration::from_secs(120),
            max_message: 16 * 1024,
            max_unsent: 256 * 1024,
            send_time: Duration::from_secs(10),
            ping_after: Duration::from_secs(20),
            dead_after: Duration::from_secs(50),
            connections_per_address: 32,
            sockets_per_seat: 4,
            rate_window: Duration::from_secs(60),
            wrong_codes_per_address: 10,
            joins_per_address: 10,
            wrong_codes_per_code: 100,
            blocking_threads: 8,
        }
    }
}

/// Raises this process's limit of open files to the most it may have (macOS starts at 256,
/// which 200 phones reach). Once per process; failures leave the limit as it was.
pub fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            // SAFETY: getrlimit and setrlimit only read and write the struct passed.
            unsafe {
                if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 || limit.rlim_cur >= limit.rlim_max {
                    return;
                }
                // macOS refuses more than OPEN_MAX for the soft limit, whatever the hard one.
                limit.rlim_cur = if cfg!(target_os = "macos") { limit.rlim_max.min(10_240) } else { limit.rlim_max };
                let _ = libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            }
        });
    }
}

/// This process's limit of open files now (the soft one), where the system says.
pub fn open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: getrlimit only writes the struct passed.
        let read = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
        #[allow(clippy::unnecessary_cast)]
        return (read == 0).then_some(limit.rlim_cur as u64);
    }
    #[cfg(not(unix))]
    None
}
