//! Field validation shared by every area. Errors carry stable snake_case codes that the UI
//! translates (`error.<code>`), never sentences.

use chrono::NaiveDate;
use serde::Serialize;

/// One problem with one field. `code` is stable; `arg` fills a placeholder such as a maximum length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub arg: Option<String>,
}

/// Every problem found in one input, so a form can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.0.push(FieldError { field, code, arg: None });
    }
    pub fn push_arg(&mut self, field: &'static str, code: &'static str, arg: impl ToString) {
        self.0.push(FieldError { field, code, arg: Some(arg.to_string()) });
    }
    pub fn one(field: &'static str, code: &'static str) -> Self {
        let mut e = Self::default();
        e.push(field, code);
        e
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result<T>(self, ok: T) -> Result<T, Invalid> {
        if self.0.is_empty() { Ok(ok) } else { Err(self) }
    }
    pub fn for_field(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.code)).collect();
        f.write_str(&parts.join(", "))
    }
}

impl std::error::Error for Invalid {}

/// An optional number that, when given, must lie in `range` (a page, a limit).
pub fn within(errs: &mut Invalid, field: &'static str, value: Option<u64>, range: std::ops::RangeInclusive<u64>) {
    if value.is_some_and(|v| !range.contains(&v)) {
        errs.push_arg(field, "out_of_range", format!("{}–{}", range.start(), range.end()));
    }
}

/// Trims a required text field and checks its length in characters (not bytes: names are Chinese).
pub fn required(errs: &mut Invalid, field: &'static str, value: &str, max: usize) -> String {
    let v = value.trim();
    if v.is_empty() {
        errs.push(field, "required");
    } else if v.chars().count() > max {
        errs.push_arg(field, "too_long", max);
    } else if v.chars().any(|c| c.is_control()) {
        errs.push(field, "bad_characters");
    }
    v.to_string()
}

/// A required text of several lines (a need's background, a biography): like `required`, but
/// line breaks and tabs are part of the text.
pub fn required_text(errs: &mut Invalid, field: &'static str, value: &str, max: usize) -> String {
    let v = optional(errs, field, value, max);
    if v.is_none() {
        errs.push(field, "required");
    }
    v.unwrap_or_default()
}

/// A required text of several lines with a least length as well as a most: too short, too
/// long and empty each get their own code, the two lengths naming their limit. The least is
/// counted without white space, since spaces do not make a text say more.
pub fn required_between(errs: &mut Invalid, field: &'static str, value: &str, min: usize, max: usize) -> String {
    let v = required_text(errs, field, value, max);
    if errs.for_field(field).is_none() && v.chars().filter(|c| !c.is_whitespace()).count() < min {
        errs.push_arg(field, "too_short", min);
    }
    v
}

/// Trims an optional text field; empty becomes `None`.
pub fn optional(errs: &mut Invalid, field: &'static str, value: &str, max: usize) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errs.push_arg(field, "too_long", max);
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errs.push(field, "bad_characters");
    }
    Some(v.to_string())
}

/// Accepts `2024-03-01`, `2024/3/1` and `2024年3月1日`, the forms people type in China.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    let normal: String = v.replace(['年', '月', '/', '.'], "-").trim_end_matches('日').to_string();
    NaiveDate::parse_from_str(&normal, "%Y-%m-%d").ok()
}

/// An optional date field; a value that is not a date is an error, not silently dropped.
pub fn optional_date(errs: &mut Invalid, field: &'static str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match parse_date(v) {
        Some(d) if d.year_ce().1 >= 1900 && d.year_ce().1 <= 2100 => Some(d),
        _ => {
            errs.push(field, "bad_date");
            None
        }
    }
}

use chrono::Datelike;

/// A query-string id where an empty value means none (`?campaign=`), for filters.
pub fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let s: Option<String> = serde::Deserialize::deserialize(d)?;
    match s.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Codes are what rosters are joined on: letters, digits, `-` and `_`, at most 32.
pub fn code(errs: &mut Invalid, field: &'static str, value: &str) -> String {
    let v = value.trim().to_ascii_uppercase();
    if v.is_empty() {
        errs.push(field, "required");
    } else if v.len() > 32 || !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        errs.push(field, "bad_code");
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_chinese_forms() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        assert_eq!(parse_date("2024-03-01"), Some(d));
        assert_eq!(parse_date("2024/3/1"), Some(d));
        assert_eq!(parse_date("2024年3月1日"), Some(d));
        assert_eq!(parse_date("2024.3.1"), Some(d));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(parse_date("昨天"), None);
    }

    #[test]
    fn required_counts_characters_not_bytes() {
        let mut e = Invalid::default();
        assert_eq!(required(&mut e, "name", "  通州区科协 ", 5), "通州区科协");
        assert!(e.is_empty());
        required(&mut e, "name", "通州区科学技术协会", 5);
        assert_eq!(e.0[0].code, "too_long");
        assert_eq!(e.0[0].arg.as_deref(), Some("5"));
        required(&mut e, "name", "   ", 5);
        assert_eq!(e.0[1].code, "required");
    }

    #[test]
    fn too_short_too_long_and_empty_each_say_so() {
        let check = |v: &str, min, max| {
            let mut e = Invalid::default();
            let out = required_between(&mut e, "body", v, min, max);
            (out, e.0)
        };
        let (v, e) = check(" 建议增设科普画廊 ", 5, 10);
        assert_eq!((v.as_str(), e.len()), ("建议增设科普画廊", 0));
        let (_, e) = check("太短", 5, 10);
        assert_eq!((e[0].code, e[0].arg.as_deref()), ("too_short", Some("5")));
        let (_, e) = check("好    好    好", 5, 20);
        assert_eq!(e[0].code, "too_short", "spaces do not count");
        let (_, e) = check(&"长".repeat(11), 5, 10);
        assert_eq!((e[0].code, e[0].arg.as_deref(), e.len()), ("too_long", Some("10"), 1));
        let (_, e) = check("  ", 5, 10);
        assert_eq!((e[0].code, e[0].arg.as_deref(), e.len()), ("required", None, 1));
    }

    #[test]
    fn codes_are_normalised_and_checked() {
        let mut e = Invalid::default();
        assert_eq!(code(&mut e, "code", " qy-0001 "), "QY-0001");
        assert!(e.is_empty());
        code(&mut e, "code", "QY 0001");
        code(&mut e, "code", "科协");
        assert_eq!(e.0.len(), 2);
        assert!(e.0.iter().all(|x| x.code == "bad_code"));
    }

    #[test]
    fn bad_optional_date_is_an_error() {
        let mut e = Invalid::default();
        assert_eq!(optional_date(&mut e, "d", ""), None);
        assert!(e.is_empty());
        assert_eq!(optional_date(&mut e, "d", "2023-13-01"), None);
        assert_eq!(e.0[0].code, "bad_date");
        assert_eq!(optional_date(&mut e, "d", "1850-01-01"), None);
        assert_eq!(e.0.len(), 2);
    }
}
