//! What every public page (no account: citizens, people at an activity's door, volunteers
//! signing up) shares: its CSRF token as a double-submit cookie, the challenge and honeypot of
//! the forms that write for anyone (suggestions, activity registration, service orders), and
//! the address citizens reach the site at.

use crate::auth::{Caller, constant_eq, cookie, random_token, set_cookie};
use crate::i18n::Lang;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use kexie_core::Invalid;
use kexie_core::challenge;
use rand::RngCore;
use std::collections::HashMap;
use std::sync::Mutex;

/// A field people never see; a form that fills it is a robot's.
pub const HONEYPOT: &str = "website";

/// The sums public forms ask: signed and expiring (`core::challenge`), each spent once.
pub struct Challenges {
    secret: Vec<u8>,
    /// Nonces of challenges already spent, with when they expire (Unix seconds).
    used: Mutex<HashMap<String, i64>>,
}

/// What a form sends back of its challenge: the token, the answer and the honeypot.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct HumanCheck {
    #[serde(default)]
    pub challenge: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default, rename = "website")]
    pub honeypot: String,
}

/// What a form shows and carries of its challenge.
pub struct Question {
    pub text: String,
    pub token: String,
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Challenges {
    pub fn new(config: &crate::Config) -> Self {
        let secret = if config.form_secret.is_empty() {
            let mut b = vec![0u8; 32];
            rand::rng().fill_bytes(&mut b);
            b
        } else {
            config.form_secret.as_bytes().to_vec()
        };
        Self { secret, used: Mutex::new(HashMap::new()) }
    }

    pub fn question(&self, lang: Lang) -> Question {
        let mut r = [0u8; 16];
        rand::rng().fill_bytes(&mut r);
        let c = challenge::issue(&self.secret, r, unix_now());
        Question { text: if lang == Lang::En { c.question_en() } else { c.question_zh() }, token: c.token }
    }

    /// Checks the honeypot and the answer; `Err` is the error code for the `answer` field. The
    /// nonce is spent only by `spend`, once everything else on the form is right.
    pub fn verify(&self, token: &str, answer: &str, honeypot: &str) -> Result<String, &'static str> {
        if !honeypot.trim().is_empty() {
            return Err("spam_suspected");
        }
        let nonce = challenge::verify(&self.secret, token, answer, unix_now())?;
        if self.used.lock().expect("challenges lock").contains_key(&nonce) {
            return Err("challenge_expired");
        }
        Ok(nonce)
    }

    /// A form's own check and its challenge together: every problem at once, and the
    /// challenge spent only when everything else on the form is right.
    pub fn checked<T>(&self, form: Result<T, Invalid>, human: &HumanCheck) -> Result<T, Invalid> {
        match (form, self.verify(&human.challenge, &human.answer, &human.honeypot)) {
            (Ok(v), Ok(nonce)) if self.spend(&nonce) => Ok(v),
            (Ok(_), Ok(_)) => Err(Invalid::one("answer", "challenge_expired")),
            (form, nonce) => {
                let mut e = form.err().unwrap_or_default();
                if let Err(code) = nonce {
                    e.push("answer", code);
                }
                Err(e)
            }
        }
    }

    /// Marks a challenge as used; false if it was used already (a replay racing this one).
    pub fn spend(&self, nonce: &str) -> bool {
        let now = unix_now();
        let mut used = self.used.lock().expect("challenges lock");
        if used.len() > 1000 {
            used.retain(|_, until| *until >= now);
        }
        used.insert(nonce.to_string(), now + challenge::TTL_SECONDS).is_none()
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_challenge_is_spent_once_and_a_filled_honeypot_is_refused() {
        let g = Challenges::new(&crate::Config::default());
        let c = challenge::issue(&g.secret, [7; 16], unix_now());
        let answer = c.answer().to_string();
        assert_eq!(g.verify(&c.token, &answer, "http://spam.example"), Err("spam_suspected"));
        let nonce = g.verify(&c.token, &answer, "").unwrap();
        assert!(g.spend(&nonce));
        assert_eq!(g.verify(&c.token, &answer, ""), Err("challenge_expired"));
        assert!(!g.spend(&nonce));
    }

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
