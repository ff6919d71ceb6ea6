//! 服务项目: what a practice site (新时代文明实践科普志愿者实践点) or a team offers again and
//! again — a weekly science corner, a health check-up day. The orderable ones make the menu
//! citizens order from; each needs volunteers in shifts.

use crate::Invalid;
use crate::activity::ActivityKind;
use crate::validate::{optional, required};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Active,
    /// Not offered for now; its shifts and history stay.
    Paused,
}

impl Status {
    pub const ALL: [Status; 2] = [Self::Active, Self::Paused];
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// The kinds of activity a project runs: the ones a community would order.
pub const KINDS: [ActivityKind; 4] =
    [ActivityKind::Lecture, ActivityKind::DoorToDoor, ActivityKind::StageShow, ActivityKind::Service];

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProjectForm {
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub summary: String,
    /// On the public menu (点单).
    #[serde(default)]
    pub orderable: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectInput {
    pub org_id: i64,
    pub title: String,
    pub kind: ActivityKind,
    pub summary: Option<String>,
    pub orderable: bool,
}

impl ProjectForm {
    pub fn check(&self) -> Result<ProjectInput, Invalid> {
        let mut e = Invalid::default();
        let org_id = self.org_id.trim().parse::<i64>().ok().filter(|o| *o > 0);
        if org_id.is_none() {
            e.push("org_id", "required");
        }
        let title = required(&mut e, "title", &self.title, 80);
        let kind = ActivityKind::parse(self.kind.trim()).filter(|k| KINDS.contains(k));
        if kind.is_none() {
            e.push("kind", "required");
        }
        let summary = optional(&mut e, "summary", &self.summary, 1000);
        e.into_result(ProjectInput {
            org_id: org_id.unwrap_or_default(),
            title,
            kind: kind.unwrap_or(ActivityKind::Service),
            summary,
            orderable: self.orderable.is_some(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form() {
        let f = ProjectForm {
            org_id: "7".into(),
            title: "周末科学小实验课堂".into(),
            kind: "lecture".into(),
            orderable: Some("on".into()),
            ..Default::default()
        };
        let p = f.check().unwrap();
        assert!(p.orderable);
        assert_eq!(p.kind, ActivityKind::Lecture);
        let e = ProjectForm { kind: "party_day".into(), org_id: "x".into(), ..f }.check().unwrap_err();
        assert_eq!(e.for_field("kind").unwrap().code, "required");
        assert_eq!(e.for_field("org_id").unwrap().code, "required");
    }
}
