//! 班次: the volunteers an activity or a service project needs — a role, a start, a length
//! and how many. Volunteers sign up within the times they said they can serve, never for two
//! shifts at once; they cancel with a day's notice or hand their place to another volunteer.

use super::ledger::minutes_of;
use crate::Invalid;
use crate::estation::daypart::local;
use crate::estation::schedule::parse_local;
use crate::validate::{optional, required};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// Shortest and longest shift, in minutes.
pub const MIN_MINUTES: i32 = 30;
pub const MAX_MINUTES: i32 = 12 * 60;
pub const MAX_QUANTITY: i32 = 500;
/// A volunteer cancels at least this long before the start; later, the place is handed over
/// or the organiser is asked.
pub const NOTICE_HOURS: i64 = 24;
/// Reminders go out this long before a shift starts.
pub const REMIND_HOURS: i64 = 24;
/// Evening shifts start at or after this hour, China time.
const EVENING_FROM: u32 = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Cancelled => "cancelled",
        }
    }
}

/// A volunteer's place in a shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Signed,
    Cancelled,
    /// Given to another volunteer, who now holds it.
    HandedOver,
}

impl Place {
    pub const ALL: [Place; 3] = [Self::Signed, Self::Cancelled, Self::HandedOver];
    pub fn code(self) -> &'static str {
        match self {
            Self::Signed => "signed",
            Self::Cancelled => "cancelled",
            Self::HandedOver => "handed_over",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// How the volunteer came to hold the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Signed up themselves.
    Volunteer,
    /// Put in by staff filling a gap.
    Staff,
    /// Took over another volunteer's place.
    Swap,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Self::Volunteer => "self",
            Self::Staff => "staff",
            Self::Swap => "swap",
        }
    }
}

/// The availability slot (`volunteer::AVAILABILITY`) a shift starting then falls in.
pub fn slot(starts_at: DateTime<Utc>) -> &'static str {
    let t = local(starts_at);
    let weekend = matches!(t.weekday(), Weekday::Sat | Weekday::Sun);
    let evening = t.hour() >= EVENING_FROM;
    match (weekend, evening) {
        (false, false) => "weekday_day",
        (false, true) => "weekday_evening",
        (true, false) => "weekend_day",
        (true, true) => "weekend_evening",
    }
}

/// Whether a volunteer who serves at `availability` (codes joined by `,`) can take the shift.
pub fn fits(availability: &str, starts_at: DateTime<Utc>) -> bool {
    let s = slot(starts_at);
    availability.split(',').any(|a| a == s)
}

/// A span of time a volunteer is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
}

impl Span {
    pub fn ends_at(self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(self.minutes as i64)
    }
    /// Two shifts overlap when one starts before the other ends; back to back is fine.
    pub fn overlaps(self, other: Span) -> bool {
        self.starts_at < other.ends_at() && other.starts_at < self.ends_at()
    }
}

/// What a shift looks like to one who would take a place in it.
#[derive(Debug, Clone, Copy)]
pub struct Opening {
    pub span: Span,
    pub open: bool,
    pub quantity: i32,
    pub taken: i32,
}

/// Whether a volunteer may take a place: the shift is open and has not started, the volunteer
/// can serve then (unless staff put them in: they asked), and holds no overlapping shift.
/// `have` are the volunteer's other signed shifts. A place handed over keeps the count, so
/// `counts_place` is false for a swap.
pub fn may_take(
    shift: Opening,
    now: DateTime<Utc>,
    availability: Option<&str>,
    have: &[Span],
    counts_place: bool,
) -> Result<(), &'static str> {
    if !shift.open {
        Err("shift_closed")
    } else if shift.span.starts_at <= now {
        Err("shift_started")
    } else if counts_place && shift.taken >= shift.quantity {
        Err("shift_full")
    } else if availability.is_some_and(|a| !fits(a, shift.span.starts_at)) {
        Err("shift_not_available")
    } else if have.iter().any(|h| h.overlaps(shift.span)) {
        Err("shift_overlaps")
    } else {
        Ok(())
    }
}

/// A volunteer cancels with notice; staff may cancel a place any time, with a reason.
pub fn may_cancel(starts_at: DateTime<Utc>, now: DateTime<Utc>, by_staff: bool) -> Result<(), &'static str> {
    if starts_at <= now {
        Err("shift_started")
    } else if !by_staff && starts_at - now < Duration::hours(NOTICE_HOURS) {
        Err("shift_notice_too_short")
    } else {
        Ok(())
    }
}

/// Whether a signed volunteer should be reminded now.
pub fn due_reminder(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    starts_at > now && starts_at - now <= Duration::hours(REMIND_HOURS)
}

/// The form staff fill in for a shift; the start is a `datetime-local` value in China time.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShiftForm {
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub starts_at: String,
    /// Length in hours, halves allowed ("2.5").
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub quantity: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftInput {
    pub role: String,
    pub place: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    pub quantity: i32,
}

impl ShiftForm {
    pub fn check(&self, now: DateTime<Utc>) -> Result<ShiftInput, Invalid> {
        let mut e = Invalid::default();
        let role = required(&mut e, "role", &self.role, 40);
        let place = optional(&mut e, "place", &self.place, 100);
        let starts_at = parse_local(&self.starts_at);
        match starts_at {
            None => e.push("starts_at", "bad_datetime"),
            Some(s) if s <= now => e.push("starts_at", "shift_in_past"),
            _ => {}
        }
        let minutes = minutes_of(&self.hours).filter(|m| (MIN_MINUTES..=MAX_MINUTES).contains(m));
        if minutes.is_none() {
            e.push_arg("hours", "bad_shift_hours", MAX_MINUTES / 60);
        }
        let quantity = self.quantity.trim().parse::<i32>().ok().filter(|q| (1..=MAX_QUANTITY).contains(q));
        if quantity.is_none() {
            e.push_arg("quantity", "bad_quantity", MAX_QUANTITY);
        }
        e.into_result(ShiftInput {
            role,
            place,
            starts_at: starts_at.unwrap_or_default(),
            minutes: minutes.unwrap_or_default(),
            quantity: quantity.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// China time.
    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap() - Duration::hours(8)
    }

    fn opening(starts_at: DateTime<Utc>, taken: i32) -> Opening {
        Opening { span: Span { starts_at, minutes: 120 }, open: true, quantity: 3, taken }
    }

    #[test]
    fn slots_follow_china_time() {
        // 2026-12-05 is a Saturday.
        assert_eq!(slot(at(2026, 12, 5, 9, 0)), "weekend_day");
        assert_eq!(slot(at(2026, 12, 5, 19, 0)), "weekend_evening");
        assert_eq!(slot(at(2026, 12, 7, 17, 59)), "weekday_day");
        assert_eq!(slot(at(2026, 12, 7, 18, 0)), "weekday_evening");
        // 01:30 on Monday in China is still Sunday in UTC: the local day decides.
        assert_eq!(slot(at(2026, 12, 7, 1, 30)), "weekday_day");
        assert!(fits("weekday_evening,weekend_day", at(2026, 12, 5, 9, 0)));
        assert!(!fits("weekday_evening", at(2026, 12, 5, 9, 0)));
    }

    #[test]
    fn overlap_is_strict() {
        let a = Span { starts_at: at(2026, 12, 5, 9, 0), minutes: 120 };
        assert!(a.overlaps(Span { starts_at: at(2026, 12, 5, 10, 30), minutes: 60 }));
        assert!(a.overlaps(Span { starts_at: at(2026, 12, 5, 8, 0), minutes: 90 }));
        assert!(!a.overlaps(Span { starts_at: at(2026, 12, 5, 11, 0), minutes: 60 }));
        assert!(!a.overlaps(Span { starts_at: at(2026, 12, 5, 7, 0), minutes: 120 }));
    }

    #[test]
    fn taking_a_place() {
        let now = at(2026, 12, 1, 8, 0);
        let sat = at(2026, 12, 5, 9, 0);
        assert_eq!(may_take(opening(sat, 2), now, Some("weekend_day"), &[], true), Ok(()));
        assert_eq!(may_take(opening(sat, 3), now, Some("weekend_day"), &[], true), Err("shift_full"));
        // A swap keeps the count: a full shift still changes hands.
        assert_eq!(may_take(opening(sat, 3), now, Some("weekend_day"), &[], false), Ok(()));
        assert_eq!(may_take(opening(sat, 0), now, Some("weekday_day"), &[], true), Err("shift_not_available"));
        // Staff filling a gap pass no availability: they asked the volunteer.
        assert_eq!(may_take(opening(sat, 0), now, None, &[], true), Ok(()));
        let busy = [Span { starts_at: at(2026, 12, 5, 10, 0), minutes: 60 }];
        assert_eq!(may_take(opening(sat, 0), now, None, &busy, true), Err("shift_overlaps"));
        assert_eq!(may_take(opening(sat, 0), at(2026, 12, 5, 9, 0), None, &[], true), Err("shift_started"));
        let closed = Opening { open: false, ..opening(sat, 0) };
        assert_eq!(may_take(closed, now, None, &[], true), Err("shift_closed"));
    }

    #[test]
    fn cancelling_needs_notice() {
        let start = at(2026, 12, 5, 9, 0);
        assert_eq!(may_cancel(start, at(2026, 12, 4, 8, 59), false), Ok(()));
        assert_eq!(may_cancel(start, at(2026, 12, 4, 9, 1), false), Err("shift_notice_too_short"));
        assert_eq!(may_cancel(start, at(2026, 12, 4, 9, 1), true), Ok(()));
        assert_eq!(may_cancel(start, start, true), Err("shift_started"));
    }

    #[test]
    fn reminders_a_day_ahead() {
        let start = at(2026, 12, 5, 9, 0);
        assert!(due_reminder(start, at(2026, 12, 4, 9, 0)));
        assert!(!due_reminder(start, at(2026, 12, 4, 8, 59)));
        assert!(!due_reminder(start, start));
    }

    #[test]
    fn the_form() {
        let now = at(2026, 12, 1, 8, 0);
        let f = ShiftForm {
            role: "讲解引导".into(),
            place: String::new(),
            starts_at: "2026-12-05T09:00".into(),
            hours: "2.5".into(),
            quantity: "4".into(),
        };
        let s = f.check(now).unwrap();
        assert_eq!((s.minutes, s.quantity, s.place), (150, 4, None));
        let bad = ShiftForm { starts_at: "2026-11-30T09:00".into(), hours: "13".into(), quantity: "0".into(), ..f };
        let e = bad.check(now).unwrap_err();
        assert_eq!(e.for_field("starts_at").unwrap().code, "shift_in_past");
        assert_eq!(e.for_field("hours").unwrap().code, "bad_shift_hours");
        assert_eq!(e.for_field("quantity").unwrap().code, "bad_quantity");
    }
}
