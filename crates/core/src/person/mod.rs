//! People: one record behind every role (staff, officer, expert, volunteer, judge). Holds the
//! checks on Chinese phone, ID and credit-code numbers and how personal data is masked.

pub mod roster;

use crate::validate::{self, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "male",
            Self::Female => "female",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Male => "男",
            Self::Female => "女",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        [Self::Male, Self::Female].into_iter().find(|g| g.code() == s || g.label_zh() == s)
    }
}

/// Mainland mobile numbers: 11 digits, 13x–19x.
pub fn valid_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// Mainland mobile numbers and landlines with area code (0513-86123456).
pub fn valid_phone(s: &str) -> bool {
    let s = s.trim();
    let mobile = valid_mobile(s);
    let landline = {
        let digits: String = s.chars().filter(|c| *c != '-').collect();
        s.starts_with('0')
            && s.chars().all(|c| c.is_ascii_digit() || c == '-')
            && s.matches('-').count() <= 1
            && (10..=12).contains(&digits.len())
    };
    mobile || landline
}

/// Resident ID numbers (GB 11643-1999): 17 digits, a check character, and a real birth date.
pub fn valid_id_number(s: &str) -> bool {
    let s = s.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let sum: u32 = b[..17].iter().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").is_ok();
    birth && C[(sum % 11) as usize] == b[17]
}

/// The check character for the first 17 digits of an ID number.
pub fn id_check_char(first17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.bytes().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// Unified social credit codes (GB 32100-2015): 18 characters with a check character.
pub fn valid_credit_code(s: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let s = s.trim().to_ascii_uppercase();
    if s.chars().count() != 18 {
        return false;
    }
    let vals: Option<Vec<usize>> = s.chars().map(|c| ALPHABET.find(c)).collect();
    let Some(vals) = vals else { return false };
    let sum: usize = vals[..17].iter().zip(W).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31 == vals[17]
}

/// The check character for the first 17 characters of a credit code.
pub fn credit_check_char(first17: &str) -> char {
    const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    let sum: usize = first17.chars().zip(W).map(|(c, w)| ALPHABET.find(c).unwrap_or(0) * w).sum();
    ALPHABET.as_bytes()[(31 - sum % 31) % 31] as char
}

/// `138****5678`; landlines keep the area code and the last 2 digits.
pub fn mask_phone(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() == 11 && !s.contains('-') {
        return format!("{}****{}", &s[..3], &s[7..]);
    }
    match s.split_once('-') {
        Some((area, num)) if num.len() > 2 => format!("{area}-{}{}", "*".repeat(num.len() - 2), &num[num.len() - 2..]),
        _ => "*".repeat(chars.len()),
    }
}

/// `320612**********1X`: the birth date and sequence hidden, region and check kept.
pub fn mask_id_number(s: &str) -> String {
    if s.len() == 18 && s.is_ascii() {
        format!("{}{}{}", &s[..6], "*".repeat(10), &s[16..])
    } else {
        "*".repeat(s.chars().count())
    }
}

/// Whether a value from an export is a masked form; importing it keeps the stored value.
pub fn is_masked(s: &str) -> bool {
    s.contains('*')
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PersonForm {
    pub name: String,
    pub gender: String,
    pub phone: String,
    pub id_number: String,
    pub email: String,
    pub region_id: Option<i64>,
    pub org_id: Option<i64>,
    pub title: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonInput {
    pub name: String,
    pub gender: Option<Gender>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub region_id: i64,
    pub org_id: Option<i64>,
    pub title: Option<String>,
    pub note: Option<String>,
}

impl PersonForm {
    pub fn check(&self) -> Result<PersonInput, Invalid> {
        let mut e = Invalid::default();
        let name = validate::required(&mut e, "name", &self.name, 50);
        let gender = match self.gender.trim() {
            "" => None,
            g => Gender::parse(g).or_else(|| {
                e.push("gender", "unknown_gender");
                None
            }),
        };
        let phone = validate::optional(&mut e, "phone", &self.phone, 20);
        if phone.as_deref().is_some_and(|p| !valid_phone(p)) {
            e.push("phone", "bad_phone");
        }
        let id_number = validate::optional(&mut e, "id_number", &self.id_number, 18).map(|s| s.to_ascii_uppercase());
        if id_number.as_deref().is_some_and(|p| !valid_id_number(p)) {
            e.push("id_number", "bad_id_number");
        }
        let email = validate::optional(&mut e, "email", &self.email, 100);
        if email.as_deref().is_some_and(|m| {
            let Some((user, host)) = m.split_once('@') else {
                return true;
            };
            user.is_empty() || !host.contains('.') || m.contains(char::is_whitespace)
        }) {
            e.push("email", "bad_email");
        }
        if self.region_id.is_none() {
            e.push("region_id", "required");
        }
        let title = validate::optional(&mut e, "title", &self.title, 100);
        let note = validate::optional(&mut e, "note", &self.note, 1000);
        match (e.is_empty(), self.region_id) {
            (true, Some(region_id)) => {
                Ok(PersonInput { name, gender, phone, id_number, email, region_id, org_id: self.org_id, title, note })
            }
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert!(valid_phone("13812345678"));
        assert!(valid_phone("0513-86123456"));
        assert!(valid_phone("051386123456"));
        assert!(!valid_phone("12812345678"));
        assert!(!valid_phone("1381234567"));
        assert!(!valid_phone("0513--8612345"));
        assert!(!valid_phone("电话"));
    }

    #[test]
    fn id_numbers_check_digit_and_birth_date() {
        let first = "32061219850315123";
        let good = format!("{first}{}", id_check_char(first));
        assert!(valid_id_number(&good));
        let wrong = format!("{first}{}", if id_check_char(first) == '0' { '1' } else { '0' });
        assert!(!valid_id_number(&wrong));
        let bad_date = "32061219851315123";
        assert!(!valid_id_number(&format!("{bad_date}{}", id_check_char(bad_date))));
    }

    #[test]
    fn credit_codes() {
        let first = "91320612MA1N2B3C4";
        let good = format!("{first}{}", credit_check_char(first));
        assert!(valid_credit_code(&good));
        assert!(!valid_credit_code("91320612MA1N2B3C4Z"[..17].trim()));
        let other = if credit_check_char(first) == '0' { '1' } else { '0' };
        assert!(!valid_credit_code(&format!("{first}{other}")));
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0513-86123456"), "0513-******56");
        assert_eq!(mask_id_number("32061219850315123X"), "320612**********3X");
        assert!(is_masked(&mask_phone("13812345678")));
        assert!(!is_masked("13812345678"));
    }

    #[test]
    fn person_form() {
        let f = PersonForm {
            name: "张建国".into(),
            gender: "男".into(),
            phone: "139 1234".into(),
            region_id: Some(2),
            ..Default::default()
        };
        let e = f.check().unwrap_err();
        assert_eq!(e.0[0].field, "phone");
        let f = PersonForm { phone: "13912345678".into(), email: "zhang@tzkx.gov.cn".into(), ..f };
        let p = f.check().unwrap();
        assert_eq!(p.gender, Some(Gender::Male));
        let f2 = PersonForm { email: "zhang@".into(), ..f };
        assert_eq!(f2.check().unwrap_err().0[0].code, "bad_email");
    }
}
