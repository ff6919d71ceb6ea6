//! The hours ledger (志愿服务记录). Each record holds what 民政部令第67号 asks of a service
//! record — whose service, what, where, when, how long, whether it was training, the
//! evaluation — and who recorded and who certified it. Hours come from check-in/out at an
//! activity, from staff entries, or from the volunteer's own log, approved before it counts.

use crate::Invalid;
use crate::validate::{optional, parse_date, required};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// From check-in and check-out at an activity.
    Checkin,
    /// Entered by association or town staff, or a team admin.
    Staff,
    /// Logged by the volunteer; counts once approved.
    SelfLogged,
}

impl Source {
    pub const ALL: [Source; 3] = [Self::Checkin, Self::Staff, Self::SelfLogged];
    pub fn code(self) -> &'static str {
        match self {
            Self::Checkin => "checkin",
            Self::Staff => "staff",
            Self::SelfLogged => "self_logged",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Approved,
    Rejected,
}

impl Status {
    pub const ALL: [Status; 3] = [Self::Pending, Self::Approved, Self::Rejected];
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// 星级志愿者: the hours each star needs (一星 100 h … 五星 1500 h).
pub const STAR_HOURS: [i64; 5] = [100, 300, 600, 1000, 1500];

/// The star level (0–5) of a volunteer with this many approved minutes.
pub fn stars(minutes: i64) -> u8 {
    STAR_HOURS.iter().filter(|h| minutes >= **h * 60).count() as u8
}

/// The next star and the minutes still needed for it, if any is left.
pub fn next_star(minutes: i64) -> Option<(u8, i64)> {
    STAR_HOURS.iter().enumerate().find(|(_, h)| minutes < **h * 60).map(|(i, h)| (i as u8 + 1, *h * 60 - minutes))
}

/// Minutes as hours with one decimal, the way certificates write them ("2.5"): the one
/// hours formatter of `number`, under the name the ledger's callers know.
pub use crate::number::hours as hours_text;

/// A day has 24 hours: no one serves more in one day, whatever the sources say.
pub const MAX_DAY_MINUTES: i32 = 24 * 60;

/// Hours as a volunteer logs them, or staff enter them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HoursForm {
    #[serde(default)]
    pub served_on: String,
    /// Hours, with at most one decimal ("2.5").
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub service: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub team_id: String,
    /// It was training the volunteer received (培训情况).
    #[serde(default)]
    pub training: Option<String>,
    #[serde(default)]
    pub evaluation: String,
    /// Staff entries: whose hours (a volunteer's id).
    #[serde(default)]
    pub volunteer_id: String,
    #[serde(default)]
    pub csrf: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoursInput {
    pub served_on: NaiveDate,
    pub minutes: i32,
    pub service: String,
    pub place: String,
    pub team_id: Option<i64>,
    pub training: bool,
    pub evaluation: Option<String>,
}

/// "2.5" hours as minutes: whole hours up to 24 and at most one decimal.
pub(crate) fn minutes_of(v: &str) -> Option<i32> {
    let v = v.trim();
    let (whole, frac) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 1 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i32 = whole.parse().ok().filter(|h: &i32| *h <= 24)?;
    let tenths: i32 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    Some(whole * 60 + tenths * 6)
}

impl HoursForm {
    /// Checks a record against the calendar and the day's other records: `today` is China
    /// time; `day_minutes` is what the ledger already holds for that volunteer on that day
    /// (not rejected), so one day never adds up to more than 24 hours.
    pub fn check(&self, today: NaiveDate, day_minutes: impl FnOnce(NaiveDate) -> i32) -> Result<HoursInput, Invalid> {
        let mut e = Invalid::default();
        let served_on = parse_date(&self.served_on);
        match served_on {
            None => e.push("served_on", "bad_date"),
            Some(d) if d > today => e.push("served_on", "future_date"),
            _ => {}
        }
        let minutes = minutes_of(&self.hours).filter(|m| *m > 0 && *m <= MAX_DAY_MINUTES);
        if minutes.is_none() {
            e.push("hours", "bad_hours");
        }
        if let (Some(d), Some(m)) = (served_on.filter(|d| *d <= today), minutes) {
            let already = day_minutes(d);
            if already + m > MAX_DAY_MINUTES {
                e.push_arg("hours", "over_24h_day", hours_text(i64::from(MAX_DAY_MINUTES - already).max(0)));
            }
        }
        let service = required(&mut e, "service", &self.service, 100);
        let place = required(&mut e, "place", &self.place, 100);
        let team_id = self.team_id.trim().parse::<i64>().ok().filter(|t| *t > 0);
        let evaluation = optional(&mut e, "evaluation", &self.evaluation, 200);
        e.into_result(HoursInput {
            served_on: served_on.unwrap_or_default(),
            minutes: minutes.unwrap_or_default(),
            service,
            place,
            team_id,
            training: self.training.is_some(),
            evaluation,
        })
    }
}

/// 表彰奖励: a commendation the volunteer received, recorded by staff for the certificate.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CommendationForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub awarded_by: String,
    #[serde(default)]
    pub awarded_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommendationInput {
    pub title: String,
    pub awarded_by: String,
    pub awarded_on: NaiveDate,
}

impl CommendationForm {
    pub fn check(&self, today: NaiveDate) -> Result<CommendationInput, Invalid> {
        let mut e = Invalid::default();
        let title = required(&mut e, "title", &self.title, 100);
        let awarded_by = required(&mut e, "awarded_by", &self.awarded_by, 100);
        let awarded_on = parse_date(&self.awarded_on);
        match awarded_on {
            None => e.push("awarded_on", "bad_date"),
            Some(d) if d > today => e.push("awarded_on", "future_date"),
            _ => {}
        }
        e.into_result(CommendationInput { title, awarded_by, awarded_on: awarded_on.unwrap_or_default() })
    }
}

/// Columns of the export for upload to the national volunteer service platforms
/// (全国志愿服务信息系统 / 志愿江苏 service-hours import): one row per approved record.
pub const EXPORT_COLUMNS: [&str; 12] = [
    "姓名",
    "证件类型",
    "证件号码",
    "手机号码",
    "服务日期",
    "服务时长（小时）",
    "服务内容",
    "服务地点",
    "所属队伍",
    "是否培训",
    "记录人",
    "证明单位",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn form(day: &str, hours: &str) -> HoursForm {
        HoursForm {
            served_on: day.into(),
            hours: hours.into(),
            service: "社区老人防诈骗宣讲".into(),
            place: "金沙街道南山社区".into(),
            ..Default::default()
        }
    }
    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    #[test]
    fn hours_are_read_in_tenths() {
        assert_eq!(form("2026-11-27", "2.5").check(today(), |_| 0).unwrap().minutes, 150);
        assert_eq!(form("2026/11/27", "3").check(today(), |_| 0).unwrap().minutes, 180);
        for bad in ["0", "-1", "2.55", "25", "两小时", ".5", "24.5"] {
            let e = form("2026-11-27", bad).check(today(), |_| 0).unwrap_err();
            assert_eq!(e.for_field("hours").unwrap().code, "bad_hours", "{bad}");
        }
    }

    #[test]
    fn no_future_and_no_day_over_24_hours() {
        let e = form("2026-11-29", "2").check(today(), |_| 0).unwrap_err();
        assert_eq!(e.for_field("served_on").unwrap().code, "future_date");
        let e = form("2026-11-27", "5").check(today(), |_| 20 * 60).unwrap_err();
        let err = e.for_field("hours").unwrap();
        assert_eq!((err.code, err.arg.as_deref()), ("over_24h_day", Some("4")));
        assert!(form("2026-11-27", "4").check(today(), |_| 20 * 60).is_ok());
    }

    #[test]
    fn commendations() {
        let f = CommendationForm {
            title: "2025年度优秀科普志愿者".into(),
            awarded_by: "南通市通州区科学技术协会".into(),
            awarded_on: "2026-01-15".into(),
        };
        assert_eq!(f.check(today()).unwrap().awarded_on, NaiveDate::from_ymd_opt(2026, 1, 15).unwrap());
        let e =
            CommendationForm { awarded_on: "2026-12-01".into(), title: " ".into(), ..f }.check(today()).unwrap_err();
        assert_eq!(e.for_field("awarded_on").unwrap().code, "future_date");
        assert_eq!(e.for_field("title").unwrap().code, "required");
    }

    #[test]
    fn stars() {
        assert_eq!(super::stars(99 * 60), 0);
        assert_eq!(super::stars(100 * 60), 1);
        assert_eq!(super::stars(1500 * 60), 5);
        assert_eq!(next_star(250 * 60), Some((2, 50 * 60)));
        assert_eq!(next_star(2000 * 60), None);
        assert_eq!(hours_text(150), "2.5");
        assert_eq!(hours_text(120), "2");
        assert_eq!(hours_text(100), "1.7");
    }
}
