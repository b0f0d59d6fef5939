//! An empty Tauri v2 window that marks its first drawn frame the way Powermap marks its
//! session list (`powermap:sessions-shown`), for the startup benchmark to compare.
fn main() {
    tauri::Builder::default().run(tauri::generate_context!()).expect("the empty window could not start");
}
