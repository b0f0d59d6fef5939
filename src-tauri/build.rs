//! Build script: tauri-build reads tauri.conf.json and the capabilities of the main window.
fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes = tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script can only report by failing; the message names the broken config.
        panic!("tauri-build failed: {error:#}");
    }
}
