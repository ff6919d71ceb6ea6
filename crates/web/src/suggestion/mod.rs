//! 建议意见 in the web layer: the public, phone-first pages citizens use without an account
//! (the form, the follow-up page with the answer and the rating, the public answers) and the
//! staff pages (list, moderation, routing, answers, figures, the QR slide for screens).
//!
//! The public form is guarded three ways: a rate limit per client address (checked before the
//! body is read, so a flood costs little and writes nothing), a small sum whose answer is
//! bound to a signed, expiring, single-use token (`core::suggestion::challenge`), and a
//! honeypot field people never see. Its CSRF token is a double-submit cookie, as on the login
//! page, or the session's token when a signed-in user sends one.

pub mod public;
pub mod staff;

use crate::auth::limit::Limiter;
use kexie_core::suggestion::challenge::{self, Challenge};
use rand::RngCore;
use std::collections::HashMap;
use std::sync::Mutex;

/// What guards the public form: the rate limit, the challenge secret and the challenges used.
pub struct Guard {
    limiter: Limiter,
    secret: Vec<u8>,
    /// Nonces of challenges already spent, with when they expire (Unix seconds).
    used: Mutex<HashMap<String, i64>>,
}

fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Guard {
    pub fn new(config: &crate::Config) -> Self {
        let secret = if config.form_secret.is_empty() {
            let mut b = vec![0u8; 32];
            rand::rng().fill_bytes(&mut b);
            b
        } else {
            config.form_secret.as_bytes().to_vec()
        };
        Self {
            limiter: Limiter::new(config.suggest_burst, config.suggest_per_minute),
            secret,
            used: Mutex::new(HashMap::new()),
        }
    }

    /// One more suggestion from this address, or the seconds to wait.
    pub fn allow(&self, address: &str) -> Result<(), u64> {
        self.limiter.check(&format!("suggest:{address}"))
    }

    pub fn challenge(&self) -> Challenge {
        let mut r = [0u8; 16];
        rand::rng().fill_bytes(&mut r);
        challenge::issue(&self.secret, r, unix_now())
    }

    /// Checks the answer; the nonce is spent only by `spend`, once the suggestion is saved.
    pub fn verify(&self, token: &str, answer: &str) -> Result<String, &'static str> {
        let nonce = challenge::verify(&self.secret, token, answer, unix_now())?;
        if self.used.lock().expect("guard lock").contains_key(&nonce) {
            return Err("challenge_expired");
        }
        Ok(nonce)
    }

    /// Marks a challenge as used; false if it was used already (a replay racing this one).
    pub fn spend(&self, nonce: &str) -> bool {
        let now = unix_now();
        let mut used = self.used.lock().expect("guard lock");
        if used.len() > 1000 {
            used.retain(|_, until| *until >= now);
        }
        used.insert(nonce.to_string(), now + challenge::TTL_SECONDS).is_none()
    }
}

/// The slide screens show: the QR code of the public page and "扫码提建议".
pub fn qr_slide(url: &str, site_name: &str) -> String {
    let svg = crate::public::qr_svg(url, 480);
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>扫码提建议</title><style>\
html,body{{margin:0;height:100%}}\
body{{display:flex;align-items:center;justify-content:center;gap:6vw;background:#1f5fbf;color:#fff;\
font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif}}\
.qr{{background:#fff;padding:2.5vh;border-radius:2vh}}.qr svg{{display:block;width:44vh;height:44vh}}\
h1{{font-size:11vh;margin:0 0 3vh;letter-spacing:.1em}}p{{font-size:4vh;margin:0 0 1.5vh;opacity:.92}}\
.url{{font-size:3vh;opacity:.75}}</style></head>\n<body><div class=\"qr\">{svg}</div><div><h1>扫码提建议</h1>\
<p>您对科普工作有什么意见和建议？</p><p>手机扫码即可提交，{site}认真答复每一条</p><p class=\"url\">{url}</p></div></body></html>\n",
        site = esc(site_name),
        url = esc(url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slide_is_a_slide_screens_accept() {
        let html = qr_slide("https://kx.example.cn/suggest?c=3", "通州区科协");
        let kind = kexie_core::estation::media::check("扫码提建议.html", html.as_bytes()).unwrap();
        assert_eq!(kind.media_type, "text/html");
        assert!(html.contains("扫码提建议") && html.contains("<svg"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn a_challenge_is_spent_once() {
        let g = Guard::new(&crate::Config::default());
        let c = g.challenge();
        let nonce = g.verify(&c.token, &c.answer().to_string()).unwrap();
        assert!(g.spend(&nonce));
        assert_eq!(g.verify(&c.token, &c.answer().to_string()), Err("challenge_expired"));
        assert!(!g.spend(&nonce));
    }
}
