//! The device API (`specs/estation-device-api.md`, version 1): enrolment, the manifest with
//! ETag, live events, heartbeats and proof of play. Screens are not accounts: this router has
//! its own bearer tokens, its own error body (`{"error", "message"}` in zh-CN) and none of the
//! session machinery, so a manifest poll is one in-memory lookup.

use crate::AppState;
use crate::i18n::Lang;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures::Stream;
use kexie_core::estation::play::{self, MAX_BATCH};
use kexie_store::StoreError;
use kexie_store::estation::POLL_INTERVAL_S;
use kexie_store::estation::device::{DeviceAuth, EnrolInput, Heartbeat};
use serde_json::json;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

/// Every refusal the device API gives, with its status and stable code.
#[derive(Debug)]
pub enum DeviceError {
    Unauthorized,
    InvalidBody,
    InvalidCode,
    BatchTooLarge,
    RateLimited(u64),
    NotFound,
    Internal,
}

impl DeviceError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            Self::InvalidBody => (StatusCode::BAD_REQUEST, "invalid_body"),
            Self::InvalidCode => (StatusCode::BAD_REQUEST, "invalid_enrollment_code"),
            Self::BatchTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "batch_too_large"),
            Self::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

/// The contract's error body, for any code.
pub fn error_body(status: StatusCode, code: &str) -> Response {
    let message = Lang::Zh.error(code, None);
    (status, axum::Json(json!({ "error": code, "message": message }))).into_response()
}

impl IntoResponse for DeviceError {
    fn into_response(self) -> Response {
        let (status, code) = self.parts();
        let mut res = error_body(status, code);
        if let Self::RateLimited(s) = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        res
    }
}

impl From<StoreError> for DeviceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(i) if i.for_field("code").is_some() => Self::InvalidCode,
            StoreError::Invalid(_) => Self::InvalidBody,
            other => {
                tracing::error!(error = %other, "device api");
                Self::Internal
            }
        }
    }
}

/// A screen, from its bearer token.
pub struct Screen(pub DeviceAuth);

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Screen {
    type Rejection = DeviceError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, DeviceError> {
        let token = bearer(&parts.headers).ok_or(DeviceError::Unauthorized)?;
        state.store.device_by_token(token).await?.map(Screen).ok_or(DeviceError::Unauthorized)
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, DeviceError> {
    serde_json::from_slice(body).map_err(|_| DeviceError::InvalidBody)
}

pub async fn enroll(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, DeviceError> {
    let ip = crate::auth::client_ip(&headers, Some(peer), state.config.trust_proxy);
    state.enrol_limiter.check(&ip).map_err(DeviceError::RateLimited)?;
    let input: EnrolInput = parse(&body)?;
    if input.code.trim().is_empty() || input.hardware_id.trim().is_empty() {
        return Err(DeviceError::InvalidBody);
    }
    let e = state.store.enrol(&input).await?;
    let body = json!({
        "device_id": e.device_id.to_string(),
        "token": e.token,
        "station_id": e.station_id.to_string(),
        "station_name": e.station_name,
        "poll_interval_s": POLL_INTERVAL_S,
    });
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// Whether `If-None-Match` names this ETag (a list, a weak form or `*` included).
fn matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').map(str::trim).any(|t| t == "*" || t == etag || t.strip_prefix("W/") == Some(etag)))
}

pub async fn manifest(
    State(state): State<AppState>,
    Screen(s): Screen,
    headers: HeaderMap,
) -> Result<Response, DeviceError> {
    let built = state.store.manifest(s.station_id).await?;
    let etag = HeaderValue::from_str(&built.etag).map_err(|_| DeviceError::Internal)?;
    let mut res = if matches(&headers, &built.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = (StatusCode::OK, built.json.to_string()).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        r
    };
    res.headers_mut().insert(header::ETAG, etag);
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}

/// Seconds between pings on the event stream (the contract asks for at most 25).
const PING_S: u64 = 20;

pub async fn events(
    State(state): State<AppState>,
    Screen(s): Screen,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, DeviceError> {
    let built = state.store.manifest(s.station_id).await?;
    let (first, expires) = (built.manifest.version.clone(), built.manifest.expires_at);
    let rx = state.store.screens().subscribe();
    struct Follow {
        state: AppState,
        station: i64,
        rx: tokio::sync::watch::Receiver<u64>,
        device: i64,
        sent: Option<String>,
        current: String,
        expires: Option<chrono::DateTime<Utc>>,
    }
    let start = Follow { state, station: s.station_id, rx, device: s.device_id, sent: None, current: first, expires };
    let stream = futures::stream::unfold(start, |mut f| async move {
        loop {
            if f.sent.as_deref() != Some(f.current.as_str()) {
                f.sent = Some(f.current.clone());
                let ev = Event::default().event("manifest").data(json!({ "version": f.current }).to_string());
                return Some((Ok(ev), f));
            }
            // Wake on any change, on this manifest's own expiry, or to ping.
            let expiry = f.expires.map(|e| (e - Utc::now()).to_std().unwrap_or_default());
            let wait = expiry.unwrap_or(Duration::MAX).min(Duration::from_secs(PING_S));
            let pinged = tokio::select! {
                changed = f.rx.changed() => {
                    // A revoked screen's stream ends with the change that revoked it.
                    if changed.is_err() || f.state.store.screens().is_revoked(f.device) {
                        return None;
                    }
                    false
                }
                _ = tokio::time::sleep(wait) => true,
            };
            match f.state.store.manifest(f.station).await {
                Ok(b) => {
                    f.current = b.manifest.version.clone();
                    f.expires = b.manifest.expires_at;
                }
                // Try again at the next change or ping, not in a loop.
                Err(_) => f.expires = None,
            }
            if pinged && f.sent.as_deref() == Some(f.current.as_str()) {
                return Some((Ok(Event::default().event("ping").data("{}")), f));
            }
        }
    });
    Ok(Sse::new(stream))
}

pub async fn heartbeat(State(state): State<AppState>, Screen(s): Screen, body: Bytes) -> Result<Response, DeviceError> {
    let hb: Heartbeat = parse(&body)?;
    let version = state.store.heartbeat(s, &hb).await?;
    Ok(axum::Json(json!({ "server_time": kexie_store::now(), "manifest_version": version })).into_response())
}

pub async fn plays(State(state): State<AppState>, Screen(s): Screen, body: Bytes) -> Result<Response, DeviceError> {
    // Each play stays raw JSON until it is checked on its own: a bad one is rejected alone.
    #[derive(serde::Deserialize)]
    struct Batch<'a> {
        #[serde(borrow)]
        plays: Vec<&'a serde_json::value::RawValue>,
    }
    let batch: Batch = serde_json::from_slice(&body).map_err(|_| DeviceError::InvalidBody)?;
    let list: Vec<&str> = batch.plays.iter().map(|r| r.get()).collect();
    if list.is_empty() {
        return Err(DeviceError::InvalidBody);
    }
    if list.len() > MAX_BATCH {
        return Err(DeviceError::BatchTooLarge);
    }
    let snap = state.store.snapshot().await?;
    let checked = play::check_batch(&list, Utc::now(), |m| snap.net.media.contains_key(&m));
    let accepted = state.store.ingest_plays(s, &checked.plays).await?;
    let duplicates = checked.repeated as u64 + (checked.plays.len() as u64 - accepted);
    let rejected: Vec<serde_json::Value> =
        checked.rejected.iter().map(|(i, code)| json!({ "index": i, "error": code })).collect();
    Ok(axum::Json(json!({ "accepted": accepted, "duplicates": duplicates, "rejected": rejected })).into_response())
}

/// Largest body the device API reads: a full batch of plays with room to spare. Larger bodies
/// are refused before they are read.
pub const BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Gives axum's own refusals on device routes (body too large, wrong method, unreadable
/// body) the contract's JSON error body.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return res;
    }
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::RANGE_NOT_SATISFIABLE => return res,
        s if s.is_server_error() => "internal",
        _ => "invalid_body",
    };
    error_body(status, code)
}
