//! Reach (惠及人次): person-times per publication with how they are known, and the year's
//! sentence "共发送科普知识N条，惠及群众M人次".

use super::ReachMethod;
use crate::Invalid;
use crate::number::{self, Numerals, Unit};
use crate::validate::optional;
use serde::Deserialize;

/// Reads a count as people write it ("12,345", "1.2万"); beyond a billion is implausible.
pub fn parse_count(v: &str) -> Option<i64> {
    super::stats::number(v).ok().flatten().filter(|n| *n <= 1_000_000_000)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ReachForm {
    #[serde(default)]
    pub person_times: String,
    #[serde(default)]
    pub basis: String,
}

impl ReachForm {
    /// An estimate must say what it rests on (ratings, circulation, a head count).
    pub fn check(&self, method: ReachMethod) -> Result<(i64, Option<String>), Invalid> {
        let mut errs = Invalid::default();
        let n = parse_count(&self.person_times);
        if n.is_none() {
            errs.push("person_times", "bad_number");
        }
        let basis = optional(&mut errs, "basis", &self.basis, 300);
        if basis.is_none() && matches!(method, ReachMethod::Estimate | ReachMethod::Attendance) {
            errs.push("basis", "required");
        }
        errs.into_result((n.unwrap_or(0), basis))
    }
}

/// The sentence of the yearly report. Its figures are exact (a report is signed), with
/// thousands separators: 惠及群众171,649人次.
pub fn sentence(year: i32, items: u64, person_times: i64, numerals: Numerals) -> String {
    let items = i64::try_from(items).unwrap_or(i64::MAX);
    match numerals {
        Numerals::Chinese => format!(
            "{year}年共发送科普知识{}条，惠及群众{}人次。",
            number::grouped(items),
            number::grouped(person_times)
        ),
        Numerals::English => format!(
            "In {year}, {} of science content {} sent, reaching {}.",
            number::with_unit(&number::grouped(items), Unit::Piece, numerals),
            if items == 1 { "was" } else { "were" },
            number::with_unit(&number::grouped(person_times), Unit::PersonTime, numerals)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_as_written() {
        assert_eq!(parse_count("12,345"), Some(12345));
        assert_eq!(parse_count("1.2万"), Some(12000));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("很多"), None);
        assert_eq!(parse_count("200000万"), None);
    }

    #[test]
    fn estimates_need_a_basis() {
        let f = ReachForm { person_times: "8000".into(), basis: String::new() };
        assert_eq!(f.check(ReachMethod::Estimate).unwrap_err().for_field("basis").unwrap().code, "required");
        assert_eq!(f.check(ReachMethod::PlatformStats).unwrap(), (8000, None));
    }

    #[test]
    fn the_yearly_sentence_in_both_languages() {
        assert_eq!(
            sentence(2026, 1367, 171_649, Numerals::Chinese),
            "2026年共发送科普知识1,367条，惠及群众171,649人次。"
        );
        assert_eq!(sentence(2026, 367, 9_800, Numerals::Chinese), "2026年共发送科普知识367条，惠及群众9,800人次。");
        assert_eq!(
            sentence(2026, 1367, 171_649, Numerals::English),
            "In 2026, 1,367 pieces of science content were sent, reaching 171,649 person-times."
        );
        assert_eq!(
            sentence(2026, 1, 1, Numerals::English),
            "In 2026, 1 piece of science content was sent, reaching 1 person-time."
        );
    }
}
