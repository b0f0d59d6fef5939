//! Embeds the participants' page in the room server: the `room.html` entry of the UI's
//! Vite build (`ui/dist`, written by `npm run build`) and exactly the files it loads, as
//! Vite's manifest lists them (its script, the chunks it imports at once or later — a
//! language's words —, their styles and assets).
//! The window's own files are not served to the room.
//!
//! Its panics stop the build, never a running room; `writeln!` into a String cannot fail.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The page's entry in the manifest (its path under `ui/`).
const ENTRY: &str = "room.html";

// Panics here stop the build with their message (a missing or broken ui/dist, which
// `npm run build` writes): they happen at build time, never in front of a room.
fn main() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    let manifest_path = dist.join(".vite/manifest.json");
    println!("cargo:rerun-if-changed={}", manifest_path.display());
    println!("cargo:rerun-if-changed={}", dist.join(ENTRY).display());
    let manifest = std::fs::read_to_string(&manifest_path).unwrap_or_else(|_| {
        panic!(
            "the participants' page is not built: {} is missing. Build the UI first (npm run build, \
             or ./dev test / ./dev app, which do it).",
            manifest_path.display()
        )
    });
    let manifest: serde_json::Value = serde_json::from_str(&manifest).expect("Vite's manifest is not JSON");

    let mut files = BTreeSet::new();
    gather(&manifest, ENTRY, &mut files, &mut BTreeSet::new());

    let mut out = String::from("/// The participants' page's files: (path served, file embedded).\n");
    out.push_str("pub(crate) static FILES: &[(&str, &[u8])] = &[\n");
    let page = dist.join(ENTRY);
    assert!(page.is_file(), "{} is missing: build the UI again (npm run build)", page.display());
    writeln!(out, "    (\"/\", include_bytes!({:?})),", canonical(&page)).unwrap();
    for file in files {
        let path = dist.join(&file);
        assert!(path.is_file(), "{} is in Vite's manifest but not in ui/dist", path.display());
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    (\"/{file}\", include_bytes!({:?})),", canonical(&path)).unwrap();
    }
    out.push_str("];\n");
    let target = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("page_files.rs");
    std::fs::write(target, out).expect("cannot write the page's file table");
}

/// The files chunk `key` needs: its own, its imports' (recursively), their styles and assets.
fn gather(manifest: &serde_json::Value, key: &str, files: &mut BTreeSet<String>, seen: &mut BTreeSet<String>) {
    if !seen.insert(key.to_string()) {
        return;
    }
    let chunk = manifest.get(key).unwrap_or_else(|| panic!("Vite's manifest has no entry {key}"));
    if let Some(file) = chunk.get("file").and_then(|f| f.as_str()) {
        if !file.ends_with(".html") {
            files.insert(file.to_string());
        }
    }
    for list in ["css", "assets"] {
        for file in chunk.get(list).and_then(|l| l.as_array()).into_iter().flatten() {
            if let Some(file) = file.as_str() {
                files.insert(file.to_string());
            }
        }
    }
    // A chunk read later (a language's words) is part of the page as much as one read at once.
    for list in ["imports", "dynamicImports"] {
        for import in chunk.get(list).and_then(|l| l.as_array()).into_iter().flatten() {
            if let Some(import) = import.as_str() {
                gather(manifest, import, files, seen);
            }
        }
    }
}

fn canonical(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", path.display())).display().to_string()
}
