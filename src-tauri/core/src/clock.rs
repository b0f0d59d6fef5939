//! The clock, read in one place. The store's writes take the time as an argument (a `now`
//! in milliseconds, or a `Stamp`): the shell's commands, the command line and the room read
//! it here and pass it in, so tests can give any time they like. The one reader inside this
//! crate is the summary, for the date of a session that has none of its own.

/// The current time in Unix milliseconds (0 if the system clock is set before 1970).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Today's date, `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().date().format(&format).unwrap_or_default()
}
