//! The participants' page, embedded in the binary (see `build.rs`): `/` is the page, and
//! `/assets/…` the files it loads. Nothing else of the UI is served.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

include!(concat!(env!("OUT_DIR"), "/page_files.rs"));

/// `GET /`: the page. Never cached, so a phone always loads the running room's page.
pub(crate) async fn index() -> Response {
    serve("/", "no-cache")
}

/// `GET /assets/{file}`: a file of the page. Their names carry a hash of their content, so
/// a phone may keep them.
pub(crate) async fn asset(Path(file): Path<String>) -> Response {
    serve(&format!("/assets/{file}"), "public, max-age=31536000, immutable")
}

fn serve(path: &str, cache: &'static str) -> Response {
    match FILES.iter().find(|(served, _)| *served == path) {
        Some((_, bytes)) => {
            ([(header::CONTENT_TYPE, content_type(path)), (header::CACHE_CONTROL, cache)], *bytes).into_response()
        }
        None => (StatusCode::NOT_FOUND, "Not found").into_response(),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, ext)| ext) {
        None => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}
