//! 找回报名凭证: a person who registered with a phone gets their ticket back by typing a
//! six-digit code sent to that phone. The code is short, so it is held only as a digest,
//! expires soon and allows few tries; a new code replaces the old one.

use crate::Invalid;
use crate::person::valid_mobile;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

/// How long a code may be used.
pub const CODE_MINUTES: i64 = 10;
/// Wrong tries a code allows before it is dead.
pub const ATTEMPTS: u8 = 5;

/// A code waiting to be typed, as the server keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    digest: [u8; 32],
    expires_at: DateTime<Utc>,
    attempts_left: u8,
}

/// What typing a code came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Right,
    /// Wrong, with the tries still left (0: the code is dead now).
    Wrong(u8),
    Expired,
    /// No tries left: a new code is needed.
    Spent,
}

impl Outcome {
    /// The error code the form shows; `None` when the code was right.
    pub fn error(self) -> Option<&'static str> {
        match self {
            Self::Right => None,
            Self::Wrong(0) | Self::Spent => Some("code_spent"),
            Self::Wrong(_) => Some("code_wrong"),
            Self::Expired => Some("code_expired"),
        }
    }
}

/// The phone a code is asked for: a mobile number (a landline receives no text message),
/// written as registration keeps it.
pub fn mobile(typed: &str) -> Result<String, Invalid> {
    let phone: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if phone.is_empty() {
        return Err(Invalid::one("phone", "required"));
    }
    if valid_mobile(&phone) { Ok(phone) } else { Err(Invalid::one("phone", "not_a_mobile")) }
}

/// Six digits from a random number, leading zeros kept.
pub fn code_of(random: u32) -> String {
    format!("{:06}", random % 1_000_000)
}

fn digest(key: &str, code: &str) -> [u8; 32] {
    Sha256::new().chain_update(key.as_bytes()).chain_update([0]).chain_update(code.as_bytes()).finalize().into()
}

impl Pending {
    /// A code for `key` (the activity and the phone), issued `now`.
    pub fn new(key: &str, code: &str, now: DateTime<Utc>) -> Self {
        Self { digest: digest(key, code), expires_at: now + Duration::minutes(CODE_MINUTES), attempts_left: ATTEMPTS }
    }

    pub fn is_over(&self, now: DateTime<Utc>) -> bool {
        now > self.expires_at || self.attempts_left == 0
    }

    /// Checks a typed code; a wrong one uses up a try. Spaces people type between digits are
    /// ignored.
    pub fn attempt(&mut self, key: &str, typed: &str, now: DateTime<Utc>) -> Outcome {
        if self.attempts_left == 0 {
            return Outcome::Spent;
        }
        if now > self.expires_at {
            return Outcome::Expired;
        }
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if digest(key, &typed) == self.digest {
            Outcome::Right
        } else {
            self.attempts_left -= 1;
            Outcome::Wrong(self.attempts_left)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_go_to_mobiles_only() {
        assert_eq!(mobile(" 139-6281-0077 "), Ok("13962810077".into()));
        assert_eq!(mobile("0513-86123456"), Err(Invalid::one("phone", "not_a_mobile")));
        assert_eq!(mobile("12812345678"), Err(Invalid::one("phone", "not_a_mobile")));
        assert_eq!(mobile(""), Err(Invalid::one("phone", "required")));
    }

    #[test]
    fn a_code_is_six_digits() {
        assert_eq!(code_of(42), "000042");
        assert_eq!(code_of(4_294_967_295), "967295");
    }

    #[test]
    fn the_right_code_for_the_right_key_in_time() {
        let now = Utc::now();
        let mut p = Pending::new("12:13962810077", "031415", now);
        assert_eq!(p.attempt("12:13962810077", "031 415", now + Duration::minutes(9)), Outcome::Right);
        let mut other = Pending::new("12:13962810077", "031415", now);
        assert_eq!(other.attempt("13:13962810077", "031415", now), Outcome::Wrong(ATTEMPTS - 1));
    }

    #[test]
    fn a_code_expires() {
        let now = Utc::now();
        let mut p = Pending::new("k", "123456", now);
        let late = now + Duration::minutes(CODE_MINUTES) + Duration::seconds(1);
        assert!(p.is_over(late));
        assert_eq!(p.attempt("k", "123456", late), Outcome::Expired);
        assert_eq!(Outcome::Expired.error(), Some("code_expired"));
    }

    #[test]
    fn wrong_tries_run_out_and_then_even_the_right_code_is_refused() {
        let now = Utc::now();
        let mut p = Pending::new("k", "123456", now);
        for left in (0..ATTEMPTS).rev() {
            assert_eq!(p.attempt("k", "654321", now), Outcome::Wrong(left));
        }
        assert!(p.is_over(now));
        assert_eq!(p.attempt("k", "123456", now), Outcome::Spent);
        assert_eq!(Outcome::Wrong(0).error(), Some("code_spent"));
        assert_eq!(Outcome::Wrong(2).error(), Some("code_wrong"));
        assert_eq!(Outcome::Right.error(), None);
    }
}
