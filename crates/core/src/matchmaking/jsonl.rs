//! JSON Lines, the exchange format of expert and need sets: one object per line.
//! Parsing only; reading the file is the caller's business.

use serde::de::DeserializeOwned;
use std::fmt;

/// Which line is wrong and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LineError {}

/// Every non-blank line as one `T`; stops at the first line that is not one.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<Vec<T>, LineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l.trim()).map_err(|e| LineError {
                line: n + 1,
                // serde_json says "missing field `bio` at line 1 column 80": the column is
                // useful, its "line 1" is not.
                message: e.to_string().replace(" at line 1 column", " at column"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matchmaking::Need;

    #[test]
    fn reports_the_line_and_the_field() {
        let text = concat!(
            r#"{"id":"N1","enterprise":"甲","industry":"纺织业","kind":"technology","title":"t","body":"b"}"#,
            "\n\n",
            r#"{"id":"N2","enterprise":"乙","industry":"纺织业","kind":"technology","title":"t"}"#,
        );
        let err = parse::<Need>(text).expect_err("body is missing");
        assert_eq!(err.line, 3);
        assert!(err.message.contains("missing field `body`"), "{err}");
        let err = parse::<Need>(&text.replace("technology\",\"title\":\"t\"}", "x")).expect_err("");
        assert_eq!(err.line, 3);
        let bad_kind = text.replace(r#""kind":"technology","title":"t"}"#, r#""kind":"money","title":"t","body":"b"}"#);
        let err = parse::<Need>(&bad_kind).expect_err("unknown kind");
        assert!(err.message.contains("unknown variant `money`"), "{err}");
        assert_eq!(parse::<Need>(text.split('\n').next().expect("line")).map(|v| v.len()), Ok(1));
    }
}
