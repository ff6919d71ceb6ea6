//! Static assets compiled into the binary: our own CSS/JS (rust-embed) and the vendored
//! htmx and ECharts that build.rs fetched. Names carry no hash, so they are revalidated by ETag.

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "assets/"]
struct Own;

const HTMX: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/htmx.min.js"));
const ECHARTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/echarts.min.js"));

fn lookup(name: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    match name {
        "htmx.min.js" => Some(HTMX.into()),
        "echarts.min.js" => Some(ECHARTS.into()),
        _ => Own::get(name).map(|f| f.data),
    }
}

/// A short content hash per asset, for the ETag and for cache-busting links in templates;
/// computed once, as ECharts alone is a megabyte.
pub fn version(name: &str) -> String {
    use sha2::{Digest, Sha256};
    use std::collections::HashMap;
    use std::sync::LazyLock;
    static VERSIONS: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
        Own::iter()
            .map(|n| n.to_string())
            .chain(["htmx.min.js".to_string(), "echarts.min.js".to_string()])
            .filter_map(|n| lookup(&n).map(|d| (n, hex::encode(&Sha256::digest(&d)[..6]))))
            .collect()
    });
    VERSIONS.get(name).cloned().unwrap_or_default()
}

pub async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let Some(data) = lookup(&file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let etag = format!("\"{}\"", version(&file));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mime = mime_guess::from_path(&file).first_or_octet_stream();
    let mut res = (StatusCode::OK, data.into_owned()).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime.as_ref()).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    res
}
