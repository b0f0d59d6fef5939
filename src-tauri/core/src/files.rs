//! Files written whole or not at all: every file Powermap writes (an export, a new
//! database) goes to a hidden temporary file beside its place first and is renamed into
//! place, and what a killed write left behind is cleared away. A leaf: it knows nothing of
//! sessions, stores or formats.

use crate::i18n::Said;

/// How the temporary file of a write in progress is named: hidden, and recognisable.
const PARTIAL_PREFIX: &str = ".powermap-";
const PARTIAL_SUFFIX: &str = ".partial";

/// How old a temporary file must be to count as left by a write that was killed (no write
/// takes this long, so one still in progress is never touched).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes the temporary files that writes killed halfway (power cut, `kill -9`) left in
/// `folder`; only Powermap's own, and only old ones.
pub fn remove_stale_partials(folder: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(PARTIAL_PREFIX)
            && (name.ends_with(PARTIAL_SUFFIX) || name.starts_with(".powermap-new-") && name.ends_with(".db"));
        if !ours {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|at| at.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> crate::error::Result<()> {
    use std::io::Write;
    let fail = |e: std::io::Error| crate::error::Error::io(Said::new("error.io.write").text("path", path.display()), e);
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    remove_stale_partials(folder);
    let mut builder = tempfile::Builder::new();
    builder.prefix(PARTIAL_PREFIX).suffix(PARTIAL_SUFFIX);
    // The file keeps the permissions of the one it replaces; a new one gets read-write for
    // its owner and read for others, not a temporary file's owner-only.
    #[cfg(unix)]
    builder.permissions(match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o644),
    });
    let mut temporary = builder.tempfile_in(folder).map_err(fail)?;
    temporary.write_all(bytes).map_err(fail)?;
    temporary.as_file().sync_all().map_err(fail)?;
    temporary.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
