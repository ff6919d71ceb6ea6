//! 企业需求: an enterprise's need as far as matching reads it.

use super::lexicon;
use crate::validate::{self, Invalid};
use chrono::NaiveDate;
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

impl NeedKind {
    pub const ALL: [NeedKind; 5] = [Self::Technology, Self::Expert, Self::Equipment, Self::Funding, Self::Talent];

    pub fn code(self) -> &'static str {
        match self {
            Self::Technology => "technology",
            Self::Expert => "expert",
            Self::Equipment => "equipment",
            Self::Funding => "funding",
            Self::Talent => "talent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }

    /// The 科创中国 label, which rosters also accept.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Technology => "技术需求",
            Self::Expert => "专家需求",
            Self::Equipment => "设备需求",
            Self::Funding => "资金需求",
            Self::Talent => "人才需求",
        }
    }

    pub fn from_label(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.label_zh() == s || k.label_zh().trim_end_matches("需求") == s)
            .or(Self::parse(s))
    }
}

/// Where a need stands. Only approved needs are shown to experts and ranked; the enterprise
/// sees its own needs in every state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NeedStatus {
    Draft,
    /// Waiting for the association's review.
    Submitted,
    Approved,
    /// Sent back with a reason; the enterprise may edit and submit again.
    Rejected,
    /// Solved or withdrawn.
    Closed,
}

/// What may be done to a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedStep {
    Submit,
    Approve,
    Reject,
    Close,
    Reopen,
}

impl NeedStatus {
    pub const ALL: [NeedStatus; 5] = [Self::Draft, Self::Submitted, Self::Approved, Self::Rejected, Self::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The state after `step`, or `None` when the step does not apply. Review steps are the
    /// association's (`reviewer`); the others are the enterprise's as well.
    pub fn after(self, step: NeedStep, reviewer: bool) -> Option<NeedStatus> {
        use NeedStatus::*;
        use NeedStep::*;
        match (self, step) {
            (Draft | Rejected, Submit) => Some(Submitted),
            // The association may approve a need it entered itself, from a visit, without a round trip.
            (Draft | Submitted, Approve) if reviewer => Some(Approved),
            (Submitted, Reject) if reviewer => Some(Rejected),
            (Draft | Submitted | Approved | Rejected, Close) => Some(Closed),
            (Closed, Reopen) => Some(Draft),
            _ => None,
        }
    }

    /// The state after the enterprise edits the need: a reviewed need goes back to review,
    /// so nothing unreviewed is ever shown. The association's own edits keep the state.
    pub fn after_edit(self, reviewer: bool) -> NeedStatus {
        match self {
            NeedStatus::Approved if !reviewer => NeedStatus::Submitted,
            s => s,
        }
    }
}

/// A need as typed in the form: the 科创中国 fields plus kind, budget and deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedForm {
    /// 项目名称
    pub title: String,
    /// 行业领域, a GB/T 4754 division.
    pub industry: String,
    pub kind: String,
    /// 需求背景
    pub background: String,
    /// 需解决的主要技术难题
    pub problem: String,
    /// 期望实现的主要技术目标
    pub goal: String,
    /// 万元, whole.
    pub budget: String,
    pub deadline: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedInput {
    pub title: String,
    pub industry: String,
    pub kind: NeedKind,
    pub background: String,
    pub problem: String,
    pub goal: String,
    pub budget_wan: Option<i64>,
    pub deadline: Option<NaiveDate>,
}

/// Largest budget accepted, in 万元: ten billion yuan.
const MAX_BUDGET_WAN: i64 = 1_000_000;

impl NeedForm {
    /// Checks every field; `today` rules out deadlines already past.
    pub fn check(&self, today: NaiveDate) -> Result<NeedInput, Invalid> {
        let mut e = Invalid::default();
        let title = validate::required(&mut e, "title", &self.title, 100);
        let industry = validate::required(&mut e, "industry", &self.industry, 50);
        let industry = match lexicon::industry(&industry) {
            Some(i) => i.name.to_string(),
            None => {
                if !industry.is_empty() {
                    e.push_arg("industry", "unknown_industry", &industry);
                }
                industry
            }
        };
        let kind = NeedKind::parse(&self.kind).or_else(|| NeedKind::from_label(&self.kind));
        if kind.is_none() {
            e.push("kind", if self.kind.trim().is_empty() { "required" } else { "unknown_kind" });
        }
        let background = validate::required_text(&mut e, "background", &self.background, 2000);
        let problem = validate::required_text(&mut e, "problem", &self.problem, 2000);
        let goal = validate::required_text(&mut e, "goal", &self.goal, 1000);
        let budget = self.budget.trim().trim_end_matches("万元").trim_end_matches('万').trim();
        let budget_wan = match budget {
            "" => None,
            b => match b.parse::<i64>() {
                Ok(n) if (0..=MAX_BUDGET_WAN).contains(&n) => Some(n),
                _ => {
                    e.push_arg("budget", "bad_budget", MAX_BUDGET_WAN);
                    None
                }
            },
        };
        let deadline = validate::optional_date(&mut e, "deadline", &self.deadline);
        if deadline.is_some_and(|d| d < today) {
            e.push("deadline", "date_past");
        }
        e.into_result(NeedInput {
            title,
            industry,
            kind: kind.unwrap_or(NeedKind::Technology),
            background,
            problem,
            goal,
            budget_wan,
            deadline,
        })
    }
}

impl NeedInput {
    /// The need as matching reads it: the title states the problem, the three texts are the body.
    pub fn to_need(&self, id: String, enterprise: String) -> Need {
        Need {
            id,
            enterprise,
            industry: self.industry.clone(),
            kind: self.kind,
            title: self.title.clone(),
            body: [self.background.as_str(), self.problem.as_str(), self.goal.as_str()].join("\n"),
        }
    }
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

    fn form() -> NeedForm {
        NeedForm {
            title: "涤棉混纺布染色缸差大".into(),
            industry: "纺织业".into(),
            kind: "technology".into(),
            background: "公司年产色织布三千万米。".into(),
            problem: "同一配方不同缸次颜色差异明显。".into(),
            goal: "缸差控制在4级以上。".into(),
            budget: "50".into(),
            deadline: "2027-06-30".into(),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn a_complete_need_passes_and_reads_as_one_text() {
        let input = form().check(today()).expect("valid");
        assert_eq!(input.budget_wan, Some(50));
        let need = input.to_need("1".into(), "南通华纶织造有限公司".into());
        assert!(need.validate().is_ok());
        assert!(need.body.contains("缸次") && need.body.contains("4级"));
    }

    #[test]
    fn every_problem_of_a_need_is_reported_at_once() {
        let f = NeedForm {
            industry: "纺织行业".into(),
            kind: "loan".into(),
            budget: "-3".into(),
            deadline: "2025-01-01".into(),
            ..NeedForm::default()
        };
        let invalid = f.check(today()).expect_err("nothing right");
        let code = |field: &str| invalid.for_field(field).map(|e| e.code);
        assert_eq!(code("title"), Some("required"));
        assert_eq!(code("industry"), Some("unknown_industry"));
        assert_eq!(code("kind"), Some("unknown_kind"));
        assert_eq!(code("background"), Some("required"));
        assert_eq!(code("problem"), Some("required"));
        assert_eq!(code("goal"), Some("required"));
        assert_eq!(code("budget"), Some("bad_budget"));
        assert_eq!(code("deadline"), Some("date_past"));
    }

    #[test]
    fn kinds_by_code_or_by_platform_label() {
        assert_eq!(NeedKind::from_label("资金需求"), Some(NeedKind::Funding));
        assert_eq!(NeedKind::from_label("人才"), Some(NeedKind::Talent));
        assert_eq!(NeedKind::from_label("equipment"), Some(NeedKind::Equipment));
        assert_eq!(NeedKind::from_label("贷款"), None);
    }

    #[test]
    fn review_steps_belong_to_the_association() {
        use NeedStatus::*;
        use NeedStep::*;
        assert_eq!(Draft.after(Submit, false), Some(Submitted));
        assert_eq!(Submitted.after(Approve, false), None);
        assert_eq!(Submitted.after(Approve, true), Some(Approved));
        assert_eq!(Submitted.after(Reject, true), Some(Rejected));
        assert_eq!(Rejected.after(Submit, false), Some(Submitted));
        assert_eq!(Approved.after(Submit, true), None);
        assert_eq!(Closed.after(Reopen, false), Some(Draft));
        assert_eq!(Approved.after_edit(false), Submitted);
        assert_eq!(Approved.after_edit(true), Approved);
    }

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
