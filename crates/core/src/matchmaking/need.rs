//! 企业需求: an enterprise's need as far as matching reads it.

use super::lexicon;
use crate::validate::Invalid;
use serde::{Deserialize, Serialize};

/// What the enterprise is after. Non-technical kinds want different people: funding needs
/// want finance and policy experts, talent needs want vocational training and HR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedKind {
    Technology,
    Expert,
    Equipment,
    Funding,
    Talent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub id: String,
    pub enterprise: String,
    /// Industry by its GB/T 4754 name, e.g. 纺织业.
    pub industry: String,
    pub kind: NeedKind,
    pub title: String,
    /// Written as the owner would: symptoms and business context.
    pub body: String,
}

impl Need {
    /// A need can be matched once it has an id, an enterprise, a known industry and some text.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if self.id.trim().is_empty() {
            e.push("id", "required");
        }
        if self.enterprise.trim().is_empty() {
            e.push("enterprise", "required");
        }
        if self.industry.trim().is_empty() {
            e.push("industry", "required");
        } else if lexicon::industry(&self.industry).is_none() {
            e.push_arg("industry", "unknown_industry", &self.industry);
        }
        if self.title.trim().is_empty() && self.body.trim().is_empty() {
            e.push("body", "required");
        }
        e.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn industries_must_be_gb_t_4754_divisions() {
        let mut n = Need {
            id: "N1".into(),
            enterprise: "某公司".into(),
            industry: "纺织业".into(),
            kind: NeedKind::Technology,
            title: "缸差大".into(),
            body: String::new(),
        };
        assert!(n.validate().is_ok());
        n.industry = "纺织行业".into();
        let invalid = n.validate().expect_err("not a division");
        let e = invalid.for_field("industry").expect("industry flagged");
        assert_eq!((e.code, e.arg.as_deref()), ("unknown_industry", Some("纺织行业")));
    }
}
