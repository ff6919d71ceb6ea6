//! 志愿者: science volunteers, the teams they join (up to five, each with its admin's
//! approval), their skills and when they can serve, and the hours ledger kept as
//! 民政部令第67号《志愿服务记录与证明出具办法》 asks.

pub mod certificate;
pub mod ledger;
pub mod order;
pub mod project;
pub mod roster;
pub mod shift;

use crate::Invalid;
use crate::person::{Gender, valid_id_number, valid_phone};
use crate::validate::required;
use serde::{Deserialize, Serialize};

/// A volunteer joins at most this many teams.
pub const MAX_TEAMS: usize = 5;

pub const SKILLS: [&str; 10] = [
    "科普讲解",
    "医疗卫生",
    "农业技术",
    "信息技术",
    "应急救护",
    "文艺表演",
    "摄影宣传",
    "心理咨询",
    "法律咨询",
    "外语翻译",
];

/// When a volunteer can serve: code and label.
pub const AVAILABILITY: [(&str, &str); 4] = [
    ("weekday_day", "工作日白天"),
    ("weekday_evening", "工作日晚上"),
    ("weekend_day", "周末白天"),
    ("weekend_evening", "周末晚上"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Registered, waiting for the association or town to verify.
    Pending,
    Verified,
    /// No longer serving; the ledger stays.
    Suspended,
}

impl Status {
    pub const ALL: [Status; 3] = [Self::Pending, Self::Verified, Self::Suspended];
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Suspended => "suspended",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A volunteer's place in a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Membership {
    Pending,
    Approved,
    Rejected,
    Left,
}

impl Membership {
    pub const ALL: [Membership; 4] = [Self::Pending, Self::Approved, Self::Rejected, Self::Left];
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Left => "left",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Counts toward the five-team limit.
    pub fn holds_a_place(self) -> bool {
        matches!(self, Self::Pending | Self::Approved)
    }
}

/// Whether a volunteer may ask to join another team, given the teams they are in or asked
/// to join (`current`) and whether this team is one of them.
pub fn may_join(current: usize, already: bool) -> Result<(), &'static str> {
    if already {
        Err("already_in_team")
    } else if current >= MAX_TEAMS {
        Err("too_many_teams")
    } else {
        Ok(())
    }
}

/// Skills and availability as stored: codes joined by `,`, unknown ones refused.
fn listed(e: &mut Invalid, field: &'static str, chosen: &[String], known: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for c in chosen.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match known.iter().find(|k| **k == c) {
            Some(k) if !out.contains(k) => out.push(k),
            Some(_) => {}
            None => {
                e.push(field, "unknown_choice");
                break;
            }
        }
    }
    out.join(",")
}

pub fn skills_of(e: &mut Invalid, chosen: &[String]) -> String {
    listed(e, "skills", chosen, &SKILLS)
}

pub fn availability_of(e: &mut Invalid, chosen: &[String]) -> String {
    let codes: Vec<&str> = AVAILABILITY.iter().map(|(c, _)| *c).collect();
    // Rosters write the label; forms send the code.
    let normal: Vec<String> = chosen
        .iter()
        .map(|c| AVAILABILITY.iter().find(|(_, l)| *l == c.trim()).map(|(c, _)| c.to_string()).unwrap_or(c.clone()))
        .collect();
    listed(e, "availability", &normal, &codes)
}

pub fn availability_label(codes: &str) -> String {
    codes
        .split(',')
        .filter_map(|c| AVAILABILITY.iter().find(|(k, _)| *k == c).map(|(_, l)| *l))
        .collect::<Vec<_>>()
        .join("、")
}

/// The self-registration form on a phone: a volunteer signs up and gets an account (their
/// phone is the user name) to check in, log hours and print their certificate.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub availability: Vec<String>,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub csrf: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Joiner {
    pub name: String,
    pub gender: Option<Gender>,
    pub phone: String,
    pub id_number: String,
    pub region_id: i64,
    pub skills: String,
    pub availability: String,
    pub team_id: Option<i64>,
}

pub const MIN_PASSWORD: usize = 8;

impl JoinForm {
    pub fn check(&self) -> Result<Joiner, Invalid> {
        let mut e = Invalid::default();
        let name = required(&mut e, "name", &self.name, 20);
        let gender = Gender::parse(&self.gender);
        if gender.is_none() {
            e.push("gender", "required");
        }
        let phone: String = self.phone.chars().filter(|c| !c.is_whitespace()).collect();
        if phone.is_empty() {
            e.push("phone", "required");
        } else if !(phone.len() == 11 && valid_phone(&phone)) {
            e.push("phone", "bad_phone");
        }
        // 民政部令第67号 records the volunteer's identity; the national platforms key on it.
        let id_number = self.id_number.trim().to_ascii_uppercase();
        if id_number.is_empty() {
            e.push("id_number", "required");
        } else if !valid_id_number(&id_number) {
            e.push("id_number", "bad_id_number");
        }
        let region_id = self.region_id.trim().parse::<i64>().ok().filter(|r| *r > 0);
        if region_id.is_none() {
            e.push("region_id", "required");
        }
        let skills = skills_of(&mut e, &self.skills);
        let availability = availability_of(&mut e, &self.availability);
        if availability.is_empty() {
            e.push("availability", "required");
        }
        let team_id = self.team_id.trim().parse::<i64>().ok().filter(|t| *t > 0);
        if self.password.chars().count() < MIN_PASSWORD {
            e.push_arg("password", "password_too_short", MIN_PASSWORD);
        }
        e.into_result(Joiner {
            name,
            gender,
            phone,
            id_number,
            region_id: region_id.unwrap_or_default(),
            skills,
            availability,
            team_id,
        })
    }
}

/// Staff's edit of a volunteer's skills and availability.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub availability: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(first17: &str) -> String {
        format!("{first17}{}", crate::person::id_check_char(first17))
    }

    fn form() -> JoinForm {
        JoinForm {
            name: "顾晓燕".into(),
            gender: "female".into(),
            phone: "13962814417".into(),
            id_number: id("32061219900315002"),
            region_id: "3".into(),
            skills: vec!["科普讲解".into(), "应急救护".into(), "科普讲解".into()],
            availability: vec!["weekend_day".into()],
            password: "tongzhou2026".into(),
            ..Default::default()
        }
    }

    #[test]
    fn join_form() {
        let j = form().check().unwrap();
        assert_eq!(j.skills, "科普讲解,应急救护");
        assert_eq!(j.gender, Some(Gender::Female));
    }

    #[test]
    fn bad_join_form_names_each_field() {
        let f = JoinForm {
            phone: "0513-86123456".into(),
            id_number: "320612199003150020".into(),
            skills: vec!["吹牛".into()],
            availability: vec![],
            password: "short".into(),
            ..form()
        };
        let e = f.check().unwrap_err();
        for (field, code) in [
            ("phone", "bad_phone"),
            ("id_number", "bad_id_number"),
            ("skills", "unknown_choice"),
            ("availability", "required"),
            ("password", "password_too_short"),
        ] {
            assert_eq!(e.for_field(field).map(|x| x.code), Some(code), "{field}");
        }
    }

    #[test]
    fn five_teams_at_most() {
        assert_eq!(may_join(4, false), Ok(()));
        assert_eq!(may_join(5, false), Err("too_many_teams"));
        assert_eq!(may_join(2, true), Err("already_in_team"));
        assert!(Membership::Pending.holds_a_place());
        assert!(!Membership::Left.holds_a_place());
    }

    #[test]
    fn availability_takes_labels_or_codes() {
        let mut e = Invalid::default();
        assert_eq!(
            availability_of(&mut e, &["周末白天".into(), "weekday_evening".into()]),
            "weekend_day,weekday_evening"
        );
        assert!(e.is_empty());
        assert_eq!(availability_label("weekend_day,weekday_evening"), "周末白天、工作日晚上");
    }
}
