//! Campaigns: 科普宣传周, 全国科普日, 科技节, and emergency science (应急科普), which in one
//! action puts a piece on every screen and opens a task for every other channel.

use super::Channel;
use crate::Invalid;
use crate::validate::{optional_date, required};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CampaignKind {
    ScienceWeek,
    ScienceDay,
    TechFestival,
    Emergency,
    Other,
}

impl CampaignKind {
    pub const ALL: [CampaignKind; 5] =
        [Self::ScienceWeek, Self::ScienceDay, Self::TechFestival, Self::Emergency, Self::Other];

    pub fn code(self) -> &'static str {
        match self {
            Self::ScienceWeek => "science_week",
            Self::ScienceDay => "science_day",
            Self::TechFestival => "tech_festival",
            Self::Emergency => "emergency",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// The channels an emergency campaign opens a publication task on: all but the screens,
/// which get the interrupt at once.
pub fn emergency_tasks() -> Vec<Channel> {
    Channel::ALL.into_iter().filter(|c| c.is_manual()).collect()
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignInput {
    pub name: String,
    pub kind: CampaignKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: Option<String>,
}

impl CampaignForm {
    pub fn check(&self) -> Result<CampaignInput, Invalid> {
        let mut errs = Invalid::default();
        let name = required(&mut errs, "name", &self.name, 60);
        let kind = CampaignKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push("kind", "required");
        }
        let mut date = |field: &'static str, v: &str| {
            let d = optional_date(&mut errs, field, v);
            if d.is_none() && v.trim().is_empty() {
                errs.push(field, "required");
            }
            d
        };
        let starts_on = date("starts_on", &self.starts_on);
        let ends_on = date("ends_on", &self.ends_on);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errs.push("ends_on", "ends_before_start");
        }
        let description = crate::validate::optional(&mut errs, "description", &self.description, 2000);
        let today = NaiveDate::default();
        errs.into_result(CampaignInput {
            name,
            kind: kind.unwrap_or(CampaignKind::Other),
            starts_on: starts_on.unwrap_or(today),
            ends_on: ends_on.unwrap_or(today),
            description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_order() {
        let f = CampaignForm {
            name: "2026年全国科普日".into(),
            kind: "science_day".into(),
            starts_on: "2026-09-15".into(),
            ends_on: "2026-09-21".into(),
            description: String::new(),
        };
        assert_eq!(f.check().unwrap().kind, CampaignKind::ScienceDay);
        let bad = CampaignForm { ends_on: "2026-09-01".into(), ..f.clone() };
        assert_eq!(bad.check().unwrap_err().for_field("ends_on").unwrap().code, "ends_before_start");
        let bad = CampaignForm { starts_on: String::new(), kind: "x".into(), ..f };
        let e = bad.check().unwrap_err();
        assert!(e.for_field("starts_on").is_some() && e.for_field("kind").is_some());
    }

    #[test]
    fn emergency_opens_eight_tasks() {
        let t = emergency_tasks();
        assert_eq!(t.len(), 8);
        assert!(!t.contains(&Channel::Screen));
    }
}
