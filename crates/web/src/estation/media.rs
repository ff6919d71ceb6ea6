//! Screens' media: the public, immutable files under `/media/<sha256>` (ETag, Range) and the
//! library page where staff upload them, checked by content and deduplicated by hash.

use super::device::error_body;
use crate::AppState;
use crate::error::WebError;
use crate::form::{Query, Upload};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::media;
use kexie_store::entity::media as media_row;
use kexie_store::estation::content::NewMedia;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

fn is_sha(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A single `bytes=a-b` range within `len`; anything else is served whole.
fn range(headers: &HeaderMap, len: u64) -> Option<Result<(u64, u64), ()>> {
    let v = headers.get(header::RANGE)?.to_str().ok()?.strip_prefix("bytes=")?;
    if v.contains(',') {
        return None;
    }
    let (a, b) = v.split_once('-')?;
    let r = match (a.trim(), b.trim()) {
        ("", n) => n.parse::<u64>().ok().filter(|n| *n > 0).map(|n| (len.saturating_sub(n), len - 1)),
        (a, "") => a.parse::<u64>().ok().map(|a| (a, len.saturating_sub(1))),
        (a, b) => a.parse::<u64>().ok().zip(b.parse::<u64>().ok()).map(|(a, b)| (a, b.min(len.saturating_sub(1)))),
    };
    Some(r.filter(|(a, b)| a <= b && *a < len).ok_or(()))
}

pub async fn serve(State(state): State<AppState>, Path(sha): Path<String>, headers: HeaderMap) -> Response {
    let not_found = || error_body(StatusCode::NOT_FOUND, "not_found");
    if !is_sha(&sha) {
        return not_found();
    }
    let media_type = match state.store.media_by_sha(&sha).await {
        Ok(Some((_, t))) => t,
        Ok(None) => return not_found(),
        Err(_) => return error_body(StatusCode::INTERNAL_SERVER_ERROR, "internal"),
    };
    let etag = format!("\"{sha}\"");
    let mut h = HeaderMap::new();
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // Slides are shown in a frame; they never run scripts or reach the platform's origin.
    if media_type == "text/html" {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"),
        );
    }
    let if_none = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).unwrap_or("");
    if if_none.split(',').any(|t| t.trim() == etag || t.trim() == "*") {
        return (StatusCode::NOT_MODIFIED, h).into_response();
    }
    let path = state.config.media_dir().join(&sha);
    let Ok(mut file) = tokio::fs::File::open(&path).await else { return not_found() };
    let Ok(meta) = file.metadata().await else { return not_found() };
    let len = meta.len();
    match range(&headers, len) {
        Some(Ok((a, b))) => {
            if file.seek(std::io::SeekFrom::Start(a)).await.is_err() {
                return error_body(StatusCode::INTERNAL_SERVER_ERROR, "internal");
            }
            let n = b - a + 1;
            h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes {a}-{b}/{len}")).expect("ascii"));
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
            let body = Body::from_stream(tokio_util::io::ReaderStream::new(file.take(n)));
            (StatusCode::PARTIAL_CONTENT, h, body).into_response()
        }
        Some(Err(())) => {
            h.insert(header::CONTENT_RANGE, HeaderValue::from_str(&format!("bytes */{len}")).expect("ascii"));
            (StatusCode::RANGE_NOT_SATISFIABLE, h).into_response()
        }
        None => {
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            (StatusCode::OK, h, Body::from_stream(tokio_util::io::ReaderStream::new(file))).into_response()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/media.html")]
pub struct LibraryPage {
    pub ctx: PageCtx,
    pub items: Vec<(media_row::Model, u64)>,
    pub edits: bool,
    pub errors: Invalid,
    pub title: String,
    pub duration_s: String,
    pub added: Option<(i64, bool)>,
    pub max_mb: u64,
}

async fn page(
    state: &AppState,
    web: &Web,
    errors: Invalid,
    title: String,
    duration_s: String,
) -> Result<LibraryPage, WebError> {
    Ok(LibraryPage {
        items: state.store.list_media(web.actor()).await?,
        edits: web.actor().can(Area::Schedule, Action::Edit),
        ctx: web.ctx(),
        errors,
        title,
        duration_s,
        added: None,
        max_mb: media::max_upload() / (1024 * 1024),
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AddedQuery {
    pub added: Option<i64>,
    #[serde(default)]
    pub new: bool,
}

pub async fn library(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<AddedQuery>,
) -> Result<LibraryPage, WebError> {
    let mut p = page(&state, &web, Invalid::default(), String::new(), "15".into()).await?;
    p.added = q.added.map(|id| (id, q.new));
    Ok(p)
}

/// Checks an upload by what it contains, stores the file by its hash (written and synced
/// before the row that names it), and adds it unless the same bytes are there already.
pub async fn upload(State(state): State<AppState>, web: Web, up: Upload) -> Result<Response, WebError> {
    let title = up.fields.get("title").cloned().unwrap_or_default();
    let duration = up.fields.get("duration_s").cloned().unwrap_or_default();
    let kind = match media::check(&up.file.name, up.file.sample()) {
        Ok(k) => k,
        Err(code) => {
            let e = Invalid::one("file", code);
            return Ok(unprocessable(page(&state, &web, e, title, duration).await?));
        }
    };
    let duration_s = match duration.trim().parse::<i32>() {
        Ok(d) if (1..=3600).contains(&d) => d,
        _ => {
            return Ok(unprocessable(
                page(&state, &web, Invalid::one("duration_s", "duration_range"), title, duration).await?,
            ));
        }
    };
    let file_name = up.file.name.clone();
    let (sha256, size) = up.file.store(&state).await?;
    let new =
        NewMedia { sha256, title: title.clone(), media_type: kind.media_type.to_string(), size, duration_s, file_name };
    match state.store.add_media(web.actor(), &new).await {
        Ok((id, fresh)) => Ok(see_other(&format!("/estation/media?added={id}&new={fresh}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(page(&state, &web, e, title, duration).await?)),
        Err(e) => Err(e.into()),
    }
}
