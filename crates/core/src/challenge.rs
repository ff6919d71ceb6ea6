//! The public forms' challenge against spam (suggestions, activity registration, service
//! orders): a small sum in Chinese ("3 加 4 等于几？") whose answer is bound to a signed,
//! expiring token. The token is `v1.<expires>.<nonce>.<mac>` with
//! `mac = HMAC-SHA256(secret, "suggest|<expires>|<nonce>|<answer>")`: it does not reveal the
//! answer, cannot be made without the server's secret, and says nothing once it has expired.
//! The nonce lets the server refuse a token used once already.

use sha2::{Digest, Sha256};

/// How long a form may stay open before its question expires.
pub const TTL_SECONDS: i64 = 30 * 60;

/// A question and the token the form carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub a: u32,
    pub b: u32,
    /// Addition, or subtraction (never below zero).
    pub plus: bool,
    pub token: String,
}

impl Challenge {
    pub fn answer(&self) -> u32 {
        if self.plus { self.a + self.b } else { self.a - self.b }
    }
    pub fn question_zh(&self) -> String {
        format!("{} {} {} 等于几？", self.a, if self.plus { "加" } else { "减" }, self.b)
    }
    pub fn question_en(&self) -> String {
        format!("What is {} {} {}?", self.a, if self.plus { "plus" } else { "minus" }, self.b)
    }
}

/// HMAC-SHA256 (RFC 2104).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| k.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

fn mac(secret: &[u8], expires: i64, nonce: &str, answer: u32) -> String {
    hex::encode(hmac_sha256(secret, format!("suggest|{expires}|{nonce}|{answer}").as_bytes()))
}

/// A new question from random bytes, valid for `TTL_SECONDS` from `now` (Unix seconds).
pub fn issue(secret: &[u8], random: [u8; 16], now: i64) -> Challenge {
    let plus = !random[0].is_multiple_of(3);
    let (mut a, mut b) = (u32::from(random[1] % 9) + 1, u32::from(random[2] % 9) + 1);
    if !plus {
        // 12 减 5: a two-digit first number keeps subtraction from being trivial.
        a += 9;
        if b > a {
            std::mem::swap(&mut a, &mut b);
        }
    }
    let expires = now + TTL_SECONDS;
    let nonce = hex::encode(&random[3..15]);
    let mut c = Challenge { a, b, plus, token: String::new() };
    c.token = format!("v1.{expires}.{nonce}.{}", mac(secret, expires, &nonce, c.answer()));
    c
}

/// Reads an answer as people type it: digits (full-width too) or Chinese numerals up to 99.
pub fn parse_answer(typed: &str) -> Option<u32> {
    let t: String = typed
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).map(|p| p as u32);
    let chars: Vec<char> = t.chars().map(|c| if c == '两' { '二' } else { c }).collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => digit(*d).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|t| *t > 0).map(|t| t * 10),
        [t, '十', d] => digit(*t).filter(|t| *t > 0).zip(digit(*d)).map(|(t, d)| t * 10 + d),
        _ => None,
    }
}

/// Checks a typed answer against a token at `now`. Returns the token's nonce (to refuse it
/// the second time) or `challenge_expired` / `challenge_wrong`.
pub fn verify(secret: &[u8], token: &str, typed: &str, now: i64) -> Result<String, &'static str> {
    let mut parts = token.trim().split('.');
    let (Some("v1"), Some(expires), Some(nonce), Some(given), None) =
        (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("challenge_expired");
    };
    let expires: i64 = expires.parse().map_err(|_| "challenge_expired")?;
    if expires < now || expires > now + TTL_SECONDS {
        return Err("challenge_expired");
    }
    let answer = parse_answer(typed).ok_or("challenge_wrong")?;
    let expected = mac(secret, expires, nonce, answer);
    let same = expected.len() == given.len()
        && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if same { Ok(nonce.to_string()) } else { Err("challenge_wrong") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"a server secret";

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 2 of RFC 4231.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(hex::encode(mac), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a key longer than the block.
        let mac = hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First");
        assert_eq!(hex::encode(mac), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    #[test]
    fn the_right_answer_passes_until_it_expires() {
        let now = 1_760_000_000;
        for seed in 0..=255u8 {
            let c = issue(
                SECRET,
                [seed, seed.wrapping_mul(7), seed.wrapping_mul(13), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, seed],
                now,
            );
            assert!(c.answer() <= 18 && (c.plus || c.a >= c.b));
            let answer = c.answer().to_string();
            assert!(verify(SECRET, &c.token, &answer, now + 60).is_ok());
            assert_eq!(verify(SECRET, &c.token, &(c.answer() + 1).to_string(), now), Err("challenge_wrong"));
            assert_eq!(verify(SECRET, &c.token, &answer, now + TTL_SECONDS + 1), Err("challenge_expired"));
            assert_eq!(verify(b"another secret", &c.token, &answer, now), Err("challenge_wrong"));
        }
    }

    #[test]
    fn a_forged_or_stretched_token_fails() {
        let now = 1_760_000_000;
        let c = issue(SECRET, [1; 16], now);
        let a = c.answer().to_string();
        // Moving the expiry invalidates the signature.
        let parts: Vec<&str> = c.token.split('.').collect();
        let later = format!("v1.{}.{}.{}", now + TTL_SECONDS - 1, parts[2], parts[3]);
        assert_eq!(verify(SECRET, &later, &a, now), Err("challenge_wrong"));
        let far = format!("v1.{}.{}.{}", now + 10 * TTL_SECONDS, parts[2], parts[3]);
        assert_eq!(verify(SECRET, &far, &a, now), Err("challenge_expired"));
        assert_eq!(verify(SECRET, "", &a, now), Err("challenge_expired"));
        assert_eq!(verify(SECRET, &c.token, "", now), Err("challenge_wrong"));
        assert_eq!(verify(SECRET, &c.token, &a, now).unwrap(), parts[2]);
    }

    #[test]
    fn answers_in_the_forms_people_type() {
        assert_eq!(parse_answer(" 7 "), Some(7));
        assert_eq!(parse_answer("１２"), Some(12));
        assert_eq!(parse_answer("七"), Some(7));
        assert_eq!(parse_answer("十"), Some(10));
        assert_eq!(parse_answer("十三"), Some(13));
        assert_eq!(parse_answer("二十"), Some(20));
        assert_eq!(parse_answer("两"), Some(2));
        assert_eq!(parse_answer("七个"), None);
        assert_eq!(parse_answer("seven"), None);
    }

    #[test]
    fn questions_read_naturally() {
        let c = Challenge { a: 3, b: 4, plus: true, token: String::new() };
        assert_eq!(c.question_zh(), "3 加 4 等于几？");
        assert_eq!(c.question_en(), "What is 3 plus 4?");
    }
}
