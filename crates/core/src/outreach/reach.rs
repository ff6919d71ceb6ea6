//! Reach (惠及人次): person-times per publication with how they are known.

use super::ReachMethod;
use crate::Invalid;
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
}
