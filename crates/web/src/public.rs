//! What every public page (no account: citizens, people at an activity's door, volunteers
//! signing up) shares: its CSRF token as a double-submit cookie, the address citizens reach
//! the site at, and QR codes.

use crate::auth::{Caller, constant_eq, cookie, random_token, set_cookie};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// The double-submit CSRF cookie of the public pages.
const CSRF_COOKIE: &str = "kexie_suggest_csrf";

/// The CSRF token a public page's forms carry: the session's for a signed-in user, otherwise
/// the double-submit cookie's (set when missing).
pub fn public_csrf(caller: &Caller, headers: &HeaderMap) -> (String, Option<String>) {
    if let Caller::Browser(s) = caller {
        return (s.csrf.clone(), None);
    }
    match cookie(headers, CSRF_COOKIE).filter(|c| c.len() >= 16 && c.len() <= 64) {
        Some(c) => (c, None),
        None => {
            let t = random_token(24);
            (t.clone(), Some(t))
        }
    }
}

/// Sets the cookie `public_csrf` asked for.
pub fn with_csrf_cookie(mut res: Response, new: Option<String>, secure: bool) -> Response {
    if let Some(t) = new {
        let c = set_cookie(CSRF_COOKIE, &t, Some(24 * 3600), secure, "Strict");
        res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ascii"));
    }
    res
}

pub fn csrf_ok(caller: &Caller, headers: &HeaderMap, given: &str) -> bool {
    let expected = match caller {
        Caller::Browser(s) => Some(s.csrf.clone()),
        _ => cookie(headers, CSRF_COOKIE),
    };
    expected.is_some_and(|e| !e.is_empty() && constant_eq(e.as_bytes(), given.as_bytes()))
}

/// The address citizens reach the site at: the configured one, or this request's host.
pub fn base_url(config: &crate::Config, headers: &HeaderMap) -> String {
    if !config.public_url.trim().is_empty() {
        return config.public_url.trim().trim_end_matches('/').to_string();
    }
    let host = headers
        .get("x-forwarded-host")
        .filter(|_| config.trust_proxy)
        .or_else(|| headers.get(header::HOST))
        .and_then(|v| v.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')))
        .unwrap_or("localhost");
    let forwarded = headers
        .get("x-forwarded-proto")
        .filter(|_| config.trust_proxy)
        .and_then(|v| v.to_str().ok())
        .filter(|p| *p == "https" || *p == "http");
    let scheme = forwarded.unwrap_or(if config.secure_cookies { "https" } else { "http" });
    format!("{scheme}://{host}")
}

/// A QR code as inline SVG.
pub fn qr_svg(text: &str, size: u32) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(q) => q.render::<qrcode::render::svg::Color>().min_dimensions(size, size).quiet_zone(true).build().replacen(
            "<?xml version=\"1.0\" standalone=\"yes\"?>",
            "",
            1,
        ),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_from_config_or_host() {
        let mut c = crate::Config::default();
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("kx.example.cn:8080"));
        assert_eq!(base_url(&c, &h), "http://kx.example.cn:8080");
        h.insert(header::HOST, HeaderValue::from_static("evil\"host"));
        assert_eq!(base_url(&c, &h), "http://localhost");
        c.public_url = "https://kx.example.cn/".into();
        assert_eq!(base_url(&c, &h), "https://kx.example.cn");
    }
}
