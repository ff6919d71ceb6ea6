//! 点单派单: a community or a citizen orders a service (点单) — a lecture on a topic, a
//! door-to-door session, a stage show — staff dispatch it to a team (派单), the team accepts
//! and runs it as an activity or declines it with a reason (接单), and the orderer rates it
//! once it is done (评单). The orderer follows it with a private ticket and may cancel it
//! until a team has accepted it.

use crate::Invalid;
use crate::activity::{ActivityKind, MAX_DAYS};
use crate::estation::schedule::parse_local;
use crate::person::valid_mobile;
use crate::validate::{optional, parse_date, required};
use crate::volunteer::project::KINDS;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrdererKind {
    /// A community, village or unit (社区/单位).
    Community,
    /// A citizen on their own behalf.
    Citizen,
}

impl OrdererKind {
    pub const ALL: [OrdererKind; 2] = [Self::Community, Self::Citizen];
    pub fn code(self) -> &'static str {
        match self {
            Self::Community => "community",
            Self::Citizen => "citizen",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for staff to dispatch it (again, after a team declined it).
    Ordered,
    /// With a team, waiting for it to accept or decline.
    Dispatched,
    /// The team accepted it and planned its activity.
    Accepted,
    /// Held; the orderer may rate it.
    Done,
    Rated,
    /// Withdrawn by the orderer before a team accepted it.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Self::Ordered, Self::Dispatched, Self::Accepted, Self::Done, Self::Rated, Self::Cancelled];
    pub fn code(self) -> &'static str {
        match self {
            Self::Ordered => "ordered",
            Self::Dispatched => "dispatched",
            Self::Accepted => "accepted",
            Self::Done => "done",
            Self::Rated => "rated",
            Self::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What may be done to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Dispatch,
    Accept,
    Decline,
    Done,
    Rate,
    Cancel,
}

impl Move {
    pub const ALL: [Move; 6] = [Self::Dispatch, Self::Accept, Self::Decline, Self::Done, Self::Rate, Self::Cancel];
    pub fn code(self) -> &'static str {
        match self {
            Self::Dispatch => "dispatch",
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Done => "done",
            Self::Rate => "rate",
            Self::Cancel => "cancel",
        }
    }

    /// The status after the move, or the error code saying why it cannot be made.
    pub fn apply(self, from: Status) -> Result<Status, &'static str> {
        use Status::*;
        match (self, from) {
            (Self::Dispatch, Ordered) => Ok(Dispatched),
            (Self::Accept, Dispatched) => Ok(Accepted),
            // A declined order goes back to staff to dispatch to another team.
            (Self::Decline, Dispatched) => Ok(Ordered),
            (Self::Done, Accepted) => Ok(Done),
            (Self::Rate, Done) => Ok(Rated),
            (Self::Rate, Rated) => Err("order_already_rated"),
            (Self::Rate, _) => Err("order_not_done"),
            (Self::Cancel, Ordered | Dispatched) => Ok(Cancelled),
            (Self::Cancel, Accepted | Done | Rated) => Err("order_already_accepted"),
            (Self::Accept | Self::Decline, Accepted | Done | Rated) => Err("order_already_accepted"),
            (_, Cancelled) => Err("order_cancelled"),
            _ => Err("order_move_not_allowed"),
        }
    }
}

/// The furthest ahead a service may be ordered, in days (about six months).
pub const MAX_AHEAD_DAYS: i64 = 183;
pub const MAX_AUDIENCE: i32 = 100_000;

/// The order as the public form sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrderForm {
    #[serde(default)]
    pub orderer_kind: String,
    /// The community or unit, or the person's name.
    #[serde(default)]
    pub orderer: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub phone: String,
    /// The town (镇/街道).
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub wanted_on: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub detail: String,
    /// A project from the menu (服务菜单), when ordered from it.
    #[serde(default)]
    pub project_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderInput {
    pub orderer_kind: OrdererKind,
    pub orderer: String,
    pub contact: String,
    pub phone: String,
    pub region_id: i64,
    pub place: String,
    pub kind: ActivityKind,
    pub topic: String,
    pub wanted_on: NaiveDate,
    pub audience: Option<i32>,
    pub detail: Option<String>,
    pub project_id: Option<i64>,
}

fn positive_id(v: &str) -> Option<i64> {
    v.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

impl OrderForm {
    /// Checks the form against `today` (China time).
    pub fn check(&self, today: NaiveDate) -> Result<OrderInput, Invalid> {
        let mut e = Invalid::default();
        let orderer_kind = OrdererKind::parse(self.orderer_kind.trim());
        if orderer_kind.is_none() {
            e.push("orderer_kind", "required");
        }
        let orderer = required(&mut e, "orderer", &self.orderer, 60);
        let contact = required(&mut e, "contact", &self.contact, 20);
        let phone: String = self.phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        // A mobile, not a landline: the team calls or texts the orderer back on it.
        if phone.is_empty() {
            e.push("phone", "required");
        } else if !valid_mobile(&phone) {
            e.push("phone", "bad_mobile");
        }
        let region_id = positive_id(&self.region_id);
        if region_id.is_none() {
            e.push("region_id", "required");
        }
        let place = required(&mut e, "place", &self.place, 100);
        let kind = ActivityKind::parse(self.kind.trim()).filter(|k| KINDS.contains(k));
        if kind.is_none() {
            e.push("kind", "required");
        }
        let topic = required(&mut e, "topic", &self.topic, 80);
        let wanted_on = match self.wanted_on.trim() {
            "" => {
                e.push("wanted_on", "required");
                None
            }
            v => match parse_date(v) {
                None => {
                    e.push("wanted_on", "bad_date");
                    None
                }
                Some(d) if d < today => {
                    e.push("wanted_on", "date_in_past");
                    None
                }
                Some(d) if d > today + Duration::days(MAX_AHEAD_DAYS) => {
                    e.push_arg("wanted_on", "order_too_far", MAX_AHEAD_DAYS / 30);
                    None
                }
                Some(d) => Some(d),
            },
        };
        let audience = match self.audience.trim() {
            "" => None,
            v => match v.parse::<i32>() {
                Ok(n) if (1..=MAX_AUDIENCE).contains(&n) => Some(n),
                _ => {
                    e.push_arg("audience", "bad_audience", MAX_AUDIENCE);
                    None
                }
            },
        };
        let detail = optional(&mut e, "detail", &self.detail, 1000);
        let project_id = match self.project_id.trim() {
            "" => None,
            v => {
                let id = positive_id(v);
                if id.is_none() {
                    e.push("project_id", "unknown_project");
                }
                id
            }
        };
        e.into_result(OrderInput {
            orderer_kind: orderer_kind.unwrap_or(OrdererKind::Citizen),
            orderer,
            contact,
            phone,
            region_id: region_id.unwrap_or_default(),
            place,
            kind: kind.unwrap_or(ActivityKind::Service),
            topic,
            wanted_on: wanted_on.unwrap_or(today),
            audience,
            detail,
            project_id,
        })
    }
}

/// Staff send the order to a team.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DispatchForm {
    #[serde(default)]
    pub team_id: String,
}

impl DispatchForm {
    pub fn check(&self) -> Result<i64, Invalid> {
        positive_id(&self.team_id).ok_or_else(|| Invalid::one("team_id", "required"))
    }
}

/// The team accepts and says when it will run the service (China time, `datetime-local`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AcceptInput {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl AcceptForm {
    /// Checks the times against `now`: a service is planned ahead, and as long as an activity may be.
    pub fn check(&self, now: DateTime<Utc>) -> Result<AcceptInput, Invalid> {
        let mut e = Invalid::default();
        let starts_at = parse_local(&self.starts_at);
        match starts_at {
            None => e.push("starts_at", "bad_datetime"),
            Some(s) if s < now => e.push("starts_at", "date_in_past"),
            _ => {}
        }
        let ends_at = parse_local(&self.ends_at);
        match (starts_at, ends_at) {
            (_, None) => e.push("ends_at", "bad_datetime"),
            (Some(s), Some(t)) if t <= s => e.push("ends_at", "end_before_start"),
            (Some(s), Some(t)) if t - s > Duration::days(MAX_DAYS) => e.push_arg("ends_at", "too_long_span", MAX_DAYS),
            _ => {}
        }
        e.into_result(AcceptInput { starts_at: starts_at.unwrap_or_default(), ends_at: ends_at.unwrap_or_default() })
    }
}

/// A short text that goes with a move: why a team declines, or how the service went.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub note: String,
}

/// Longest reason for declining (the column's width).
pub const MAX_DECLINE: usize = 200;
pub const MAX_DONE_NOTE: usize = 500;

impl NoteForm {
    pub fn check(&self, max: usize) -> Result<String, Invalid> {
        let mut e = Invalid::default();
        let note = crate::validate::required_text(&mut e, "note", &self.note, max);
        e.into_result(note)
    }
}

/// The orderer's rating as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RateForm {
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub stars: i32,
    pub note: Option<String>,
}

/// Longest comment with a rating (the column's width).
pub const MAX_RATING_NOTE: usize = 200;

impl RateForm {
    /// Checks the stars and the comment; whether the order may be rated now is
    /// `Move::Rate.apply` on its status (only when done, only once).
    pub fn check(&self) -> Result<Rating, Invalid> {
        let mut e = Invalid::default();
        let stars = match self.rating.trim().parse::<i32>() {
            Ok(n) if (1..=5).contains(&n) => n,
            _ => {
                e.push("rating", "rating_range");
                0
            }
        };
        let note = optional(&mut e, "note", &self.note, MAX_RATING_NOTE);
        e.into_result(Rating { stars, note })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
    }

    fn form() -> OrderForm {
        OrderForm {
            orderer_kind: "community".into(),
            orderer: "金沙街道金南社区居委会".into(),
            contact: "陈美华".into(),
            phone: "139 6281 4417".into(),
            region_id: "2".into(),
            place: "金南社区新时代文明实践站二楼活动室".into(),
            kind: "lecture".into(),
            topic: "老年人防诈骗讲座".into(),
            wanted_on: "2026-12-15".into(),
            audience: "60".into(),
            detail: "以社区老人为主，希望结合真实案例。".into(),
            project_id: String::new(),
        }
    }

    #[test]
    fn a_good_order_reads_cleanly() {
        let o = form().check(today()).unwrap();
        assert_eq!(o.orderer_kind, OrdererKind::Community);
        assert_eq!(o.phone, "13962814417");
        assert_eq!(o.kind, ActivityKind::Lecture);
        assert_eq!(o.wanted_on, NaiveDate::from_ymd_opt(2026, 12, 15).unwrap());
        assert_eq!(o.audience, Some(60));
        assert_eq!(o.project_id, None);
        let o = OrderForm { project_id: "4".into(), audience: String::new(), detail: " ".into(), ..form() };
        let o = o.check(today()).unwrap();
        assert_eq!((o.project_id, o.audience, o.detail), (Some(4), None, None));
        // Ordering for today is allowed; a Chinese date form is read.
        let o = OrderForm { wanted_on: "2026年11月29日".into(), ..form() }.check(today()).unwrap();
        assert_eq!(o.wanted_on, today());
    }

    #[test]
    fn every_required_field_is_named() {
        let e = OrderForm::default().check(today()).unwrap_err();
        for f in ["orderer_kind", "orderer", "contact", "phone", "region_id", "place", "kind", "topic", "wanted_on"] {
            assert_eq!(e.for_field(f).map(|x| x.code), Some("required"), "{f}");
        }
        assert!(e.for_field("audience").is_none() && e.for_field("detail").is_none());
        assert!(e.for_field("project_id").is_none());
    }

    #[test]
    fn orderer_kind_and_kind_come_from_their_lists() {
        let e = OrderForm { orderer_kind: "company".into(), kind: "party_day".into(), ..form() }
            .check(today())
            .unwrap_err();
        assert_eq!(e.for_field("orderer_kind").unwrap().code, "required");
        assert_eq!(e.for_field("kind").unwrap().code, "required");
        for k in KINDS {
            let f = OrderForm { kind: k.code().into(), ..form() };
            assert_eq!(f.check(today()).unwrap().kind, k);
        }
        let f = OrderForm { orderer_kind: "citizen".into(), orderer: "顾晓燕".into(), ..form() };
        assert_eq!(f.check(today()).unwrap().orderer_kind, OrdererKind::Citizen);
    }

    #[test]
    fn the_phone_must_be_a_mobile() {
        for bad in ["0513-86123456", "1396281441", "23962814417", "1296281441x", "139628144170"] {
            let e = OrderForm { phone: bad.into(), ..form() }.check(today()).unwrap_err();
            assert_eq!(e.for_field("phone").unwrap().code, "bad_mobile", "{bad}");
        }
        assert!(valid_mobile("19951300000"));
        assert!(!valid_mobile("12951300000"));
    }

    #[test]
    fn lengths_are_counted_in_characters() {
        let e = OrderForm {
            orderer: "社".repeat(61),
            contact: "陈".repeat(21),
            place: "地".repeat(101),
            topic: "题".repeat(81),
            detail: "详".repeat(1001),
            ..form()
        }
        .check(today())
        .unwrap_err();
        for f in ["orderer", "contact", "place", "topic", "detail"] {
            assert_eq!(e.for_field(f).unwrap().code, "too_long", "{f}");
        }
        assert!(OrderForm { topic: "题".repeat(80), ..form() }.check(today()).is_ok());
    }

    #[test]
    fn the_date_is_not_past_nor_beyond_six_months() {
        let code = |d: &str| {
            OrderForm { wanted_on: d.into(), ..form() }.check(today()).unwrap_err().for_field("wanted_on").unwrap().code
        };
        assert_eq!(code("2026-11-28"), "date_in_past");
        assert_eq!(code("2027-06-01"), "order_too_far");
        assert_eq!(code("下周"), "bad_date");
        let last = today() + Duration::days(MAX_AHEAD_DAYS);
        assert!(OrderForm { wanted_on: last.to_string(), ..form() }.check(today()).is_ok());
    }

    #[test]
    fn audience_and_project_are_optional_but_checked() {
        for bad in ["0", "-3", "many", "100001"] {
            let e = OrderForm { audience: bad.into(), ..form() }.check(today()).unwrap_err();
            assert_eq!(e.for_field("audience").unwrap().code, "bad_audience", "{bad}");
        }
        let e = OrderForm { project_id: "menu".into(), ..form() }.check(today()).unwrap_err();
        assert_eq!(e.for_field("project_id").unwrap().code, "unknown_project");
    }

    #[test]
    fn moves_follow_the_order_s_life() {
        use Move::*;
        use Status::*;
        assert_eq!(Dispatch.apply(Ordered), Ok(Dispatched));
        assert_eq!(Accept.apply(Dispatched), Ok(Accepted));
        assert_eq!(Decline.apply(Dispatched), Ok(Ordered));
        assert_eq!(Move::Done.apply(Accepted), Ok(Status::Done));
        assert_eq!(Rate.apply(Status::Done), Ok(Rated));
        assert_eq!(Cancel.apply(Ordered), Ok(Cancelled));
        assert_eq!(Cancel.apply(Dispatched), Ok(Cancelled));
        // Refusals name their reason.
        assert_eq!(Accept.apply(Accepted), Err("order_already_accepted"));
        assert_eq!(Decline.apply(Accepted), Err("order_already_accepted"));
        assert_eq!(Accept.apply(Ordered), Err("order_move_not_allowed"));
        assert_eq!(Dispatch.apply(Dispatched), Err("order_move_not_allowed"));
        assert_eq!(Move::Done.apply(Dispatched), Err("order_move_not_allowed"));
        assert_eq!(Rate.apply(Rated), Err("order_already_rated"));
        assert_eq!(Rate.apply(Accepted), Err("order_not_done"));
        assert_eq!(Rate.apply(Ordered), Err("order_not_done"));
        assert_eq!(Cancel.apply(Accepted), Err("order_already_accepted"));
        assert_eq!(Cancel.apply(Rated), Err("order_already_accepted"));
        assert_eq!(Dispatch.apply(Cancelled), Err("order_cancelled"));
        assert_eq!(Cancel.apply(Cancelled), Err("order_cancelled"));
        // Only rating and cancelling ever leave a finished order alone; nothing leaves Cancelled.
        for m in Move::ALL {
            assert!(m.apply(Cancelled).is_err());
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for k in OrdererKind::ALL {
            assert_eq!(OrdererKind::parse(k.code()), Some(k));
        }
    }

    #[test]
    fn accepting_needs_a_future_time_span() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 1, 0, 0).unwrap();
        let ok = AcceptForm { starts_at: "2026-12-15T09:00".into(), ends_at: "2026-12-15T11:00".into() };
        let a = ok.check(now).unwrap();
        assert_eq!(a.starts_at.to_rfc3339(), "2026-12-15T01:00:00+00:00");
        let e = AcceptForm { starts_at: "2026-11-28T09:00".into(), ends_at: "2026-11-28T08:00".into() }
            .check(now)
            .unwrap_err();
        assert_eq!(e.for_field("starts_at").unwrap().code, "date_in_past");
        assert_eq!(e.for_field("ends_at").unwrap().code, "end_before_start");
        let e = AcceptForm { starts_at: "2026-12-15T09:00".into(), ends_at: "2026-12-30T09:00".into() }
            .check(now)
            .unwrap_err();
        assert_eq!(e.for_field("ends_at").unwrap().code, "too_long_span");
        let e = AcceptForm::default().check(now).unwrap_err();
        assert_eq!(e.for_field("starts_at").unwrap().code, "bad_datetime");
        assert_eq!(e.for_field("ends_at").unwrap().code, "bad_datetime");
    }

    #[test]
    fn notes_and_team() {
        assert_eq!(
            NoteForm { note: " 队员外出培训，时间冲突 ".into() }.check(MAX_DECLINE).unwrap(),
            "队员外出培训，时间冲突"
        );
        assert_eq!(NoteForm::default().check(MAX_DECLINE).unwrap_err().for_field("note").unwrap().code, "required");
        let e = NoteForm { note: "因".repeat(201) }.check(MAX_DECLINE).unwrap_err();
        assert_eq!(e.for_field("note").unwrap().code, "too_long");
        assert_eq!(DispatchForm { team_id: "12".into() }.check(), Ok(12));
        assert_eq!(
            DispatchForm { team_id: "".into() }.check().unwrap_err().for_field("team_id").unwrap().code,
            "required"
        );
    }

    #[test]
    fn a_rating_is_one_to_five_stars_with_a_short_note() {
        let r = RateForm { rating: "5".into(), note: "讲得生动，老人们都听懂了".into() }.check().unwrap();
        assert_eq!(r, Rating { stars: 5, note: Some("讲得生动，老人们都听懂了".into()) });
        assert_eq!(RateForm { rating: "4".into(), note: String::new() }.check().unwrap().note, None);
        for bad in ["0", "6", "", "five"] {
            let e = RateForm { rating: bad.into(), note: String::new() }.check().unwrap_err();
            assert_eq!(e.for_field("rating").unwrap().code, "rating_range", "{bad}");
        }
        let e = RateForm { rating: "3".into(), note: "好".repeat(201) }.check().unwrap_err();
        assert_eq!(e.for_field("note").unwrap().code, "too_long");
    }
}
