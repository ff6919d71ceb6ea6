//! Who is calling: browser sessions (cookie → sha256 → session row), bearer tokens for the API,
//! CSRF on every state-changing form, argon2 passwords and the login rate limit.

pub mod limit;
pub mod login;
pub mod password;

use crate::AppState;
use crate::error::WebError;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use kexie_core::account::Actor;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "kexie_session";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in caller of a page request.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
    pub session_hash: String,
}

/// How the request was authenticated, if at all; set by `resolve`.
#[derive(Debug, Clone)]
pub enum Caller {
    Anonymous { expired: bool },
    Browser(Session),
    Token(Actor),
}

impl Caller {
    pub fn actor(&self) -> Option<&Actor> {
        match self {
            Caller::Anonymous { .. } => None,
            Caller::Browser(s) => Some(&s.actor),
            Caller::Token(a) => Some(a),
        }
    }
}

pub use crate::account::new_token;

pub fn random_token(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// Reads one cookie's value.
pub fn cookie(h: &HeaderMap, name: &str) -> Option<String> {
    h.get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A `Set-Cookie` value with the attributes every kexie cookie has.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool, same_site: &str) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Resolves the caller once per request (session cookie, or bearer token on the API) and
/// checks the CSRF token of every state-changing browser request.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Result<Response, WebError> {
    // NUL names no record and matches no text: in a path it is a page that does not exist; in
    // a query (search terms, filters) it is dropped.
    if crate::form::refuse_encoded_nul(req.uri().path().as_bytes()).is_err() {
        return Err(WebError::NotFound);
    }
    if let Some(q) = req.uri().query().filter(|q| q.contains("%00")) {
        let pq = format!("{}?{}", req.uri().path(), q.replace("%00", ""));
        let mut parts = req.uri().clone().into_parts();
        parts.path_and_query = pq.parse().ok();
        *req.uri_mut() = axum::http::Uri::from_parts(parts).map_err(|_| WebError::BadRequest("malformed_query"))?;
    }
    // The API proper takes bearer tokens; its documentation pages are pages like any other.
    let is_api = req.uri().path().starts_with("/api/v1/");
    let caller = if is_api {
        match bearer(req.headers()) {
            Some(token) => match state.store.token_account(&sha256_hex(&token)).await? {
                Some(a) => Caller::Token(state.store.actor(&a).await?),
                None => return Err(WebError::LoginRequired),
            },
            None => Caller::Anonymous { expired: false },
        }
    } else {
        match cookie(req.headers(), SESSION_COOKIE) {
            None => Caller::Anonymous { expired: false },
            Some(token) => {
                let hash = sha256_hex(&token);
                let idle = chrono::Duration::minutes(state.config.session_idle_minutes);
                match state.store.session(&hash, idle).await? {
                    Some((s, a)) => Caller::Browser(Session {
                        actor: state.store.actor(&a).await?,
                        csrf: s.csrf,
                        session_hash: hash,
                    }),
                    None => Caller::Anonymous { expired: true },
                }
            }
        }
    };
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A second line behind the tokens: a browser says where a request comes from, and no
    // state-changing page request may come from another site (API clients send neither).
    if unsafe_method && !is_api && !same_origin(req.headers(), state.config.trust_proxy) {
        return Err(WebError::Csrf);
    }
    if unsafe_method && let Caller::Browser(s) = &caller {
        req = check_csrf(req, &s.csrf).await?;
    }
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}

fn bearer(h: &HeaderMap) -> Option<String> {
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

/// Whether the browser's own headers place the request on this site: `Sec-Fetch-Site` when
/// sent, and `Origin` (when sent) naming the host the request was made to.
fn same_origin(h: &HeaderMap, trust_proxy: bool) -> bool {
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site.is_some_and(|s| s != "same-origin" && s != "none") {
        return false;
    }
    let Some(origin) = h.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) else { return true };
    let host = trust_proxy
        .then(|| h.get("x-forwarded-host"))
        .flatten()
        .or_else(|| h.get(header::HOST))
        .and_then(|v| v.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest);
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// The token may come as a header (htmx sends it on every request), as the `_csrf` field of a
/// url-encoded form, or as the first part of a multipart form. Any other body is refused.
async fn check_csrf(req: Request, expected: &str) -> Result<Request, WebError> {
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        return if constant_eq(h.as_bytes(), expected.as_bytes()) { Ok(req) } else { Err(WebError::Csrf) };
    }
    let ctype = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if ctype.starts_with("multipart/form-data") {
        return check_multipart_csrf(req, &ctype, expected).await;
    }
    if !ctype.starts_with("application/x-www-form-urlencoded") {
        return Err(WebError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, crate::form::FORM_LIMIT).await.map_err(|_| WebError::TooLarge)?;
    let token = form_urlencoded_value(&bytes, CSRF_FIELD);
    if !token.is_some_and(|t| constant_eq(t.as_bytes(), expected.as_bytes())) {
        return Err(WebError::Csrf);
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// How much of a multipart body is read to find its first part, the token.
const FIRST_PART_LIMIT: usize = 8 * 1024;

/// Reads a multipart body only as far as its first part, which must be `_csrf` with the
/// session's token, and hands the request on with the body whole (the rest still streams).
async fn check_multipart_csrf(req: Request, ctype: &str, expected: &str) -> Result<Request, WebError> {
    use futures::StreamExt;
    let boundary = ctype
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_string())
        .next()
        .filter(|b| !b.is_empty())
        .ok_or(WebError::Csrf)?;
    let (parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let token = loop {
        if let Some(t) = first_part(&head, &boundary) {
            break t;
        }
        if head.len() > FIRST_PART_LIMIT {
            return Err(WebError::Csrf);
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(WebError::BadRequest("malformed_upload")),
            None => return Err(WebError::Csrf),
        }
    };
    if !token.is_some_and(|t| constant_eq(t, expected.as_bytes())) {
        return Err(WebError::Csrf);
    }
    let whole = futures::stream::once(async move { Ok::<_, axum::Error>(axum::body::Bytes::from(head)) }).chain(stream);
    Ok(Request::from_parts(parts, axum::body::Body::from_stream(whole)))
}

/// The first part of a multipart body once it is complete in `buf`: `Some(value)` when it is the
/// `_csrf` field, `Some(None)` when it is another part; `None` while more is needed.
fn first_part<'a>(buf: &'a [u8], boundary: &str) -> Option<Option<&'a [u8]>> {
    let open = format!("--{boundary}\r\n");
    let close = format!("\r\n--{boundary}");
    if buf.len() < open.len() {
        return None;
    }
    if !buf.starts_with(open.as_bytes()) {
        return Some(None);
    }
    let rest = &buf[open.len()..];
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&rest[..headers_end]).unwrap_or("");
    let value = &rest[headers_end + 4..];
    let end = find(value, close.as_bytes())?;
    let is_token = headers.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("content-disposition:")
            && l.contains("form-data")
            && l.contains(&format!("name=\"{CSRF_FIELD}\""))
    });
    Some(is_token.then_some(&value[..end]))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

pub(crate) fn form_urlencoded_value(body: &[u8], name: &str) -> Option<String> {
    std::str::from_utf8(body)
        .ok()?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| urlencoding::decode(&v.replace('+', " ")).map(|c| c.into_owned()).unwrap_or_default())
}

pub(crate) fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Extracts the signed-in actor; anonymous callers get `LoginRequired` (or `SessionExpired`).
pub struct CurrentUser(pub Actor);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, WebError> {
        match parts.extensions.get::<Caller>() {
            Some(c) => match c.actor() {
                Some(a) => Ok(CurrentUser(a.clone())),
                None if matches!(c, Caller::Anonymous { expired: true }) => Err(WebError::SessionExpired),
                None => Err(WebError::LoginRequired),
            },
            None => Err(WebError::LoginRequired),
        }
    }
}

/// The caller as resolved, for pages that work signed in or not.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        Ok(parts.extensions.get::<Caller>().cloned().unwrap_or(Caller::Anonymous { expired: false }))
    }
}

/// The client's address: the socket peer, or the proxy's `X-Forwarded-For` when trusted.
pub fn client_ip(parts: &HeaderMap, peer: Option<std::net::SocketAddr>, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(f) = parts.get("x-forwarded-for").and_then(|v| v.to_str().ok()).and_then(|v| v.split(',').next())
    {
        return f.trim().to_string();
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_first_multipart_part_must_be_the_token() {
        let b = "XyZ";
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\nPK..";
        assert_eq!(first_part(body, b), Some(Some(&b"tok123"[..])));
        // Not complete yet: read more.
        assert_eq!(first_part(&body[..40], b), None);
        let other = b"--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nx\r\n--XyZ--";
        assert_eq!(first_part(other, b), Some(None));
        let look_alike = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf_x\"\r\n\r\ntok123\r\n--XyZ--";
        assert_eq!(first_part(look_alike, b), Some(None));
        assert_eq!(first_part(b"garbage that is not multipart at all", b), Some(None));
    }

    #[test]
    fn requests_from_another_site_are_told_apart() {
        let h = |pairs: &[(&'static str, &'static str)]| {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.insert(*k, HeaderValue::from_static(v));
            }
            m
        };
        assert!(same_origin(&h(&[("host", "kx.example:8080")]), false), "no browser headers: API clients");
        assert!(same_origin(&h(&[("host", "kx.example:8080"), ("origin", "http://kx.example:8080")]), false));
        assert!(same_origin(&h(&[("host", "kx.example"), ("sec-fetch-site", "same-origin")]), false));
        assert!(!same_origin(&h(&[("host", "kx.example"), ("origin", "https://evil.example")]), false));
        assert!(!same_origin(&h(&[("host", "kx.example"), ("origin", "null")]), false));
        assert!(!same_origin(&h(&[("host", "kx.example"), ("sec-fetch-site", "cross-site")]), false));
        assert!(!same_origin(&h(&[("host", "kx.example"), ("sec-fetch-site", "same-site")]), false));
        let proxied =
            h(&[("host", "127.0.0.1:8080"), ("x-forwarded-host", "kx.example"), ("origin", "https://kx.example")]);
        assert!(same_origin(&proxied, true));
        assert!(!same_origin(&proxied, false));
    }
}
