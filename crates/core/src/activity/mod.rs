//! 活动: every kind of activity the association and its towns run — lectures, door-to-door
//! outreach, stage shows, trainings, forums, visits to major projects, party-building days and
//! study sessions, campaign-week events — with registration on a phone, QR check-in and
//! check-out, attendance and a short report.

pub mod attendance;
pub mod figures;
pub mod recovery;

use crate::Invalid;
use crate::estation::schedule::parse_local;
use crate::validate::{optional, required};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    /// 科普讲座
    Lecture,
    /// 入户宣传
    DoorToDoor,
    /// 文艺演出 (科普剧, 小品), usually at a practice station.
    StageShow,
    /// 科技工作者培训
    Training,
    /// 论坛、沙龙
    Forum,
    /// 重大项目观摩
    ProjectVisit,
    /// 主题党日
    PartyDay,
    /// 与企业党支部联建共建的联合党日
    JointPartyDay,
    /// 党史学习教育
    PartyStudy,
    /// 科普宣传周、全国科普日的现场活动
    CampaignEvent,
    /// 志愿服务（点单服务、实践点服务项目）
    Service,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 11] = [
        Self::Lecture,
        Self::DoorToDoor,
        Self::StageShow,
        Self::Training,
        Self::Forum,
        Self::ProjectVisit,
        Self::PartyDay,
        Self::JointPartyDay,
        Self::PartyStudy,
        Self::CampaignEvent,
        Self::Service,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Self::Lecture => "lecture",
            Self::DoorToDoor => "door_to_door",
            Self::StageShow => "stage_show",
            Self::Training => "training",
            Self::Forum => "forum",
            Self::ProjectVisit => "project_visit",
            Self::PartyDay => "party_day",
            Self::JointPartyDay => "joint_party_day",
            Self::PartyStudy => "party_study",
            Self::CampaignEvent => "campaign_event",
            Self::Service => "service",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Party-building activities, listed with their participants in the party view.
    pub fn is_party(self) -> bool {
        matches!(self, Self::PartyDay | Self::JointPartyDay | Self::PartyStudy)
    }
    /// Whether the public may see it: party-building activities are party-internal, never
    /// listed, shown or open to registration on the public pages (staff still see them).
    pub fn is_public(self) -> bool {
        !self.is_party()
    }
}

/// 一月一主题: the theme of each month of the year, as the association sets them.
pub const MONTH_THEMES: [&str; 12] = [
    "冬季健康与防火安全",
    "春节科普与移风易俗",
    "学雷锋志愿服务",
    "世界卫生日·健康生活",
    "防灾减灾",
    "安全生产",
    "防溺水与暑期安全",
    "节约用水与生态环保",
    "全国科普日",
    "食品安全",
    "消防安全",
    "冬季防病与反诈",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being planned; only staff see it.
    Draft,
    /// Open to see and to register for.
    Published,
    /// Over, with its attendance and report kept.
    Closed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [Self::Draft, Self::Published, Self::Closed, Self::Cancelled];
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Closed => "closed",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What may be done to an activity in a given status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Publish,
    Close,
    Cancel,
}

impl Step {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "publish" => Some(Self::Publish),
            "close" => Some(Self::Close),
            "cancel" => Some(Self::Cancel),
            _ => None,
        }
    }
    /// The status after the step, or the error code when it cannot be taken.
    pub fn apply(self, from: Status) -> Result<Status, &'static str> {
        match (self, from) {
            (Self::Publish, Status::Draft) => Ok(Status::Published),
            (Self::Close, Status::Published) => Ok(Status::Closed),
            (Self::Cancel, Status::Draft | Status::Published) => Ok(Status::Cancelled),
            _ => Err("activity_step_not_allowed"),
        }
    }
}

/// Longest activity: a week (a 科普宣传周).
pub const MAX_DAYS: i64 = 7;
pub const MAX_CAPACITY: i32 = 20_000;

/// The form as staff fill it in; times are `datetime-local` values in China time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ActivityForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub theme: String,
    /// Counts toward the month's theme (一月一主题).
    #[serde(default)]
    pub month_theme: Option<String>,
    #[serde(default)]
    pub organiser_org_id: String,
    /// Co-organisers in words, e.g. an enterprise's party branch.
    #[serde(default)]
    pub co_organisers: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub capacity: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub summary: String,
    /// Volunteers who check in and out earn service hours.
    #[serde(default)]
    pub volunteer_hours: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivityInput {
    pub title: String,
    pub kind: ActivityKind,
    pub theme: String,
    pub month_theme: bool,
    pub organiser_org_id: i64,
    pub co_organisers: Option<String>,
    pub place: String,
    pub region_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub capacity: Option<i32>,
    pub audience: Option<String>,
    pub summary: Option<String>,
    pub volunteer_hours: bool,
}

fn id_field(errs: &mut Invalid, field: &'static str, v: &str) -> i64 {
    match v.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            errs.push(field, "required");
            0
        }
    }
}

impl ActivityForm {
    pub fn check(&self) -> Result<ActivityInput, Invalid> {
        let mut e = Invalid::default();
        let title = required(&mut e, "title", &self.title, 80);
        let kind = ActivityKind::parse(self.kind.trim());
        if kind.is_none() {
            e.push("kind", "required");
        }
        let theme = required(&mut e, "theme", &self.theme, 40);
        let organiser_org_id = id_field(&mut e, "organiser_org_id", &self.organiser_org_id);
        let co_organisers = optional(&mut e, "co_organisers", &self.co_organisers, 200);
        let place = required(&mut e, "place", &self.place, 100);
        let region_id = id_field(&mut e, "region_id", &self.region_id);
        let starts_at = parse_local(&self.starts_at);
        if starts_at.is_none() {
            e.push("starts_at", "bad_datetime");
        }
        let ends_at = parse_local(&self.ends_at);
        match (starts_at, ends_at) {
            (_, None) => e.push("ends_at", "bad_datetime"),
            (Some(s), Some(t)) if t <= s => e.push("ends_at", "end_before_start"),
            (Some(s), Some(t)) if t - s > Duration::days(MAX_DAYS) => e.push_arg("ends_at", "too_long_span", MAX_DAYS),
            _ => {}
        }
        let capacity = match self.capacity.trim() {
            "" => None,
            v => match v.parse::<i32>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
                _ => {
                    e.push_arg("capacity", "bad_capacity", MAX_CAPACITY);
                    None
                }
            },
        };
        let audience = optional(&mut e, "audience", &self.audience, 60);
        let summary = optional(&mut e, "summary", &self.summary, 2000);
        let input = ActivityInput {
            title,
            kind: kind.unwrap_or(ActivityKind::Lecture),
            theme,
            month_theme: self.month_theme.is_some(),
            organiser_org_id,
            co_organisers,
            place,
            region_id,
            starts_at: starts_at.unwrap_or_default(),
            ends_at: ends_at.unwrap_or_default(),
            capacity,
            audience,
            summary,
            volunteer_hours: self.volunteer_hours.is_some(),
        };
        e.into_result(input)
    }
}

/// The short report written after the activity.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReportForm {
    #[serde(default)]
    pub report: String,
    /// People reached beyond those checked in (passers-by at a stage show), estimated.
    #[serde(default)]
    pub extra_reach: String,
}

pub struct ReportInput {
    pub report: String,
    pub extra_reach: i32,
}

impl ReportForm {
    pub fn check(&self) -> Result<ReportInput, Invalid> {
        let mut e = Invalid::default();
        let report = crate::validate::required_text(&mut e, "report", &self.report, 5000);
        let extra_reach = match self.extra_reach.trim() {
            "" => 0,
            v => v.parse::<i32>().ok().filter(|n| (0..=1_000_000).contains(n)).unwrap_or_else(|| {
                e.push("extra_reach", "bad_number");
                0
            }),
        };
        e.into_result(ReportInput { report, extra_reach })
    }
}

/// Largest photo of an activity.
pub const MAX_PHOTO_MB: u64 = 10;

/// A photo of the activity: JPEG, PNG or WebP by content, within the size limit.
pub fn check_photo<'a>(
    file_name: &str,
    file: impl Into<crate::estation::media::Sample<'a>>,
) -> Result<&'static str, &'static str> {
    crate::estation::media::check_photo(file_name, file, MAX_PHOTO_MB)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn party_building_kinds_are_party_internal() {
        let internal: Vec<&str> = ActivityKind::ALL.into_iter().filter(|k| !k.is_public()).map(|k| k.code()).collect();
        assert_eq!(internal, ["party_day", "joint_party_day", "party_study"]);
    }

    fn form() -> ActivityForm {
        ActivityForm {
            title: "防范电信诈骗进社区科普讲座".into(),
            kind: "lecture".into(),
            theme: "冬季防病与反诈".into(),
            organiser_org_id: "3".into(),
            place: "金沙街道新时代文明实践站".into(),
            region_id: "2".into(),
            starts_at: "2026-12-05T09:00".into(),
            ends_at: "2026-12-05T11:00".into(),
            capacity: "120".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_reads_china_time() {
        let a = form().check().unwrap();
        assert_eq!(a.starts_at.to_rfc3339(), "2026-12-05T01:00:00+00:00");
        assert_eq!(a.capacity, Some(120));
        assert!(!a.kind.is_party());
    }

    #[test]
    fn bad_times_and_capacity_are_named() {
        let mut f = form();
        f.ends_at = "2026-12-05T08:00".into();
        f.capacity = "0".into();
        f.kind = "picnic".into();
        let e = f.check().unwrap_err();
        assert_eq!(e.for_field("ends_at").unwrap().code, "end_before_start");
        assert_eq!(e.for_field("capacity").unwrap().code, "bad_capacity");
        assert_eq!(e.for_field("kind").unwrap().code, "required");
        let mut f = form();
        f.ends_at = "2026-12-20T08:00".into();
        assert_eq!(f.check().unwrap_err().for_field("ends_at").unwrap().code, "too_long_span");
    }

    #[test]
    fn steps() {
        assert_eq!(Step::Publish.apply(Status::Draft), Ok(Status::Published));
        assert_eq!(Step::Close.apply(Status::Draft), Err("activity_step_not_allowed"));
        assert_eq!(Step::Cancel.apply(Status::Closed), Err("activity_step_not_allowed"));
        assert!(ActivityKind::JointPartyDay.is_party());
        assert_eq!(ActivityKind::parse("party_study"), Some(ActivityKind::PartyStudy));
    }
}
