//! The web player's files: a page a screen's browser opens in kiosk mode, its script and its
//! service worker (allowed to control `/player` and cache `/media`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "player/"]
struct Files;

fn file(name: &str, content_type: &'static str) -> Response {
    let Some(f) = Files::get(name) else { return StatusCode::NOT_FOUND.into_response() };
    let mut res = (StatusCode::OK, f.data.into_owned()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Revalidated on every load: a screen picks up a new player at its next start.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

pub async fn page() -> Response {
    file("index.html", "text/html; charset=utf-8")
}

pub async fn script() -> Response {
    file("player.js", "text/javascript; charset=utf-8")
}

pub async fn worker() -> Response {
    let mut res = file("sw.js", "text/javascript; charset=utf-8");
    res.headers_mut().insert("service-worker-allowed", HeaderValue::from_static("/"));
    res
}
