//! 对接跟踪: what became of a match. An engagement moves forward through contact, visit and
//! agreement to a conclusion that says whether the problem was solved; the figures by town,
//! industry and expert come from these records.

use crate::validate::{self, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 已匹配: the expert was proposed for the need.
    Matched,
    /// 已联系
    Contacted,
    /// 已走访: the expert visited the enterprise (or met it at an event).
    Visited,
    /// 已签约, with a contract value.
    Agreed,
    /// 已结题: the outcome is known.
    Concluded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Solved,
    Unsolved,
}

impl Stage {
    pub const ALL: [Stage; 5] = [Self::Matched, Self::Contacted, Self::Visited, Self::Agreed, Self::Concluded];

    pub fn code(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::Contacted => "contacted",
            Self::Visited => "visited",
            Self::Agreed => "agreed",
            Self::Concluded => "concluded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s.trim())
    }
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Solved => "solved",
            Self::Unsolved => "unsolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Solved, Self::Unsolved].into_iter().find(|k| k.code() == s.trim())
    }
}

/// A step recorded on an engagement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub stage: String,
    /// 万元, whole; required from `agreed` on.
    #[serde(default)]
    pub contract_wan: String,
    #[serde(default)]
    pub outcome: String,
    /// When to look at this engagement again.
    #[serde(default)]
    pub follow_up_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub stage: Stage,
    pub contract_wan: Option<i64>,
    pub outcome: Option<Outcome>,
    pub follow_up_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl StepForm {
    /// Checks a step from `current`: an engagement never moves back, a contract has a value,
    /// a conclusion has an outcome and needs no follow-up, a follow-up is not in the past.
    pub fn check(&self, current: Stage, current_contract: Option<i64>, today: NaiveDate) -> Result<Step, Invalid> {
        let mut e = Invalid::default();
        let stage = match Stage::parse(&self.stage) {
            Some(s) if s < current => {
                e.push("stage", "stage_backwards");
                s
            }
            Some(s) => s,
            None => {
                e.push("stage", "required");
                current
            }
        };
        let contract_wan = match self.contract_wan.trim().trim_end_matches("万元").trim_end_matches('万') {
            "" => current_contract,
            v => match v.trim().parse::<i64>() {
                Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
                _ => {
                    e.push("contract_wan", "bad_amount");
                    None
                }
            },
        };
        if stage >= Stage::Agreed && contract_wan.is_none() && e.for_field("contract_wan").is_none() {
            e.push("contract_wan", "required");
        }
        let outcome = match self.outcome.trim() {
            "" => None,
            o => Outcome::parse(o).or_else(|| {
                e.push("outcome", "unknown_outcome");
                None
            }),
        };
        if stage == Stage::Concluded && outcome.is_none() && e.for_field("outcome").is_none() {
            e.push("outcome", "required");
        }
        let follow_up_on = validate::optional_date(&mut e, "follow_up_on", &self.follow_up_on);
        if follow_up_on.is_some_and(|d| d < today) {
            e.push("follow_up_on", "date_past");
        }
        let note = validate::optional(&mut e, "note", &self.note, 1000);
        e.into_result(Step {
            stage,
            contract_wan,
            outcome: if stage == Stage::Concluded { outcome } else { None },
            follow_up_on: if stage == Stage::Concluded { None } else { follow_up_on },
            note,
        })
    }
}

/// One engagement as the figures read it.
#[derive(Debug, Clone)]
pub struct Fact {
    pub town: String,
    pub industry: String,
    pub expert: String,
    pub stage: Stage,
    pub contract_wan: Option<i64>,
    pub outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub engagements: u64,
    /// Reached at least a visit.
    pub visited: u64,
    pub agreed: u64,
    pub contract_wan: i64,
    pub solved: u64,
}

impl Tally {
    fn add(&mut self, f: &Fact) {
        self.engagements += 1;
        self.visited += u64::from(f.stage >= Stage::Visited);
        self.agreed += u64::from(f.stage >= Stage::Agreed);
        self.contract_wan += f.contract_wan.unwrap_or(0);
        self.solved += u64::from(f.outcome == Some(Outcome::Solved));
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figures {
    pub total: Tally,
    pub by_town: Vec<(String, Tally)>,
    pub by_industry: Vec<(String, Tally)>,
    pub by_expert: Vec<(String, Tally)>,
}

/// Totals and per-group tallies, each group list largest first (then by name).
pub fn figures(facts: &[Fact]) -> Figures {
    let mut total = Tally::default();
    let mut town: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut industry: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut expert: BTreeMap<&str, Tally> = BTreeMap::new();
    for f in facts {
        total.add(f);
        town.entry(&f.town).or_default().add(f);
        industry.entry(&f.industry).or_default().add(f);
        expert.entry(&f.expert).or_default().add(f);
    }
    let sorted = |m: BTreeMap<&str, Tally>| {
        let mut v: Vec<(String, Tally)> = m.into_iter().map(|(k, t)| (k.to_string(), t)).collect();
        v.sort_by(|a, b| b.1.engagements.cmp(&a.1.engagements).then_with(|| a.0.cmp(&b.0)));
        v
    };
    Figures { total, by_town: sorted(town), by_industry: sorted(industry), by_expert: sorted(expert) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn form(stage: &str, contract: &str, outcome: &str) -> StepForm {
        StepForm { stage: stage.into(), contract_wan: contract.into(), outcome: outcome.into(), ..Default::default() }
    }

    #[test]
    fn engagements_only_move_forward_and_agreements_have_a_value() {
        let code = |r: Result<Step, Invalid>, f: &str| r.expect_err("invalid").for_field(f).map(|e| e.code);
        assert_eq!(
            code(form("contacted", "", "").check(Stage::Visited, None, today()), "stage"),
            Some("stage_backwards")
        );
        assert_eq!(code(form("agreed", "", "").check(Stage::Visited, None, today()), "contract_wan"), Some("required"));
        assert_eq!(
            code(form("concluded", "", "").check(Stage::Agreed, Some(30), today()), "outcome"),
            Some("required")
        );
        let past = StepForm { follow_up_on: "2026-01-01".into(), ..form("visited", "", "") };
        assert_eq!(code(past.check(Stage::Matched, None, today()), "follow_up_on"), Some("date_past"));
        let agreed = form("agreed", "30万", "").check(Stage::Visited, None, today()).expect("valid");
        assert_eq!(agreed.contract_wan, Some(30));
        let done = StepForm { follow_up_on: "2027-01-01".into(), ..form("concluded", "", "solved") }
            .check(Stage::Agreed, Some(30), today())
            .expect("valid");
        assert_eq!((done.contract_wan, done.outcome, done.follow_up_on), (Some(30), Some(Outcome::Solved), None));
    }

    #[test]
    fn figures_count_each_engagement_once_per_group() {
        let fact = |town: &str, expert: &str, stage, contract, outcome| Fact {
            town: town.into(),
            industry: "纺织业".into(),
            expert: expert.into(),
            stage,
            contract_wan: contract,
            outcome,
        };
        let f = figures(&[
            fact("川姜镇", "龙思远", Stage::Concluded, Some(30), Some(Outcome::Solved)),
            fact("川姜镇", "田晓峰", Stage::Visited, None, None),
            fact("金沙街道", "龙思远", Stage::Agreed, Some(12), None),
        ]);
        assert_eq!(f.total, Tally { engagements: 3, visited: 3, agreed: 2, contract_wan: 42, solved: 1 });
        assert_eq!(f.by_town[0].0, "川姜镇");
        assert_eq!(f.by_town[0].1.engagements, 2);
        assert_eq!(
            f.by_expert[0],
            ("龙思远".to_string(), Tally { engagements: 2, visited: 2, agreed: 2, contract_wan: 42, solved: 1 })
        );
        assert_eq!(f.by_industry.len(), 1);
    }
}
