//! Schedule entries and emergency interrupts as staff enter them: content, priority, validity
//! window (China time), dayparts and one target (everything, a town, a group or listed
//! stations; a group serves any other set).

use super::daypart::{self, Daypart};
use super::manifest::Target;
use crate::Invalid;
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};

/// Reads a `datetime-local` value ("2026-11-28T08:00") as China time.
pub fn parse_local(v: &str) -> Option<DateTime<Utc>> {
    let v = v.trim();
    let t = NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M"))
        .ok()?;
    Some(Utc.from_utc_datetime(&t) - Duration::hours(8))
}

/// The `datetime-local` value of an instant, in China time.
pub fn format_local(t: DateTime<Utc>) -> String {
    daypart::local(t).format("%Y-%m-%dT%H:%M").to_string()
}

/// "all", "towns:ID", "groups:ID" or "stations" with the ids typed beside it.
pub fn parse_target(choice: &str, station_ids: &str) -> Option<Target> {
    let ids = |s: &str| -> Option<Vec<i64>> {
        s.split([',', '，', ' ', '\n']).filter(|x| !x.trim().is_empty()).map(|x| x.trim().parse().ok()).collect()
    };
    match choice.split_once(':') {
        None if choice == "all" => Some(Target::All),
        None if choice == "stations" => Target::from_parts("stations", ids(station_ids)?),
        Some((kind, id)) if kind == "towns" || kind == "groups" => Target::from_parts(kind, vec![id.parse().ok()?]),
        _ => None,
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ScheduleForm {
    #[serde(default)]
    pub media_id: String,
    #[serde(default)]
    pub priority: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub dayparts: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub station_ids: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleInput {
    pub media_id: i64,
    pub priority: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_to: DateTime<Utc>,
    pub dayparts: Vec<Daypart>,
    pub target: Target,
    pub note: Option<String>,
}

fn media(errs: &mut Invalid, v: &str) -> i64 {
    v.trim().parse().unwrap_or_else(|_| {
        errs.push("media_id", "required");
        0
    })
}

fn target(errs: &mut Invalid, choice: &str, station_ids: &str) -> Target {
    parse_target(choice, station_ids).unwrap_or_else(|| {
        errs.push(if choice == "stations" { "station_ids" } else { "target" }, "target_invalid");
        Target::All
    })
}

impl ScheduleForm {
    pub fn check(&self) -> Result<ScheduleInput, Invalid> {
        let mut errs = Invalid::default();
        let media_id = media(&mut errs, &self.media_id);
        let priority = match self.priority.trim() {
            "" => 0,
            v => v.parse::<i32>().ok().filter(|p| (-100..=100).contains(p)).unwrap_or_else(|| {
                errs.push("priority", "priority_range");
                0
            }),
        };
        let from = parse_local(&self.valid_from);
        let to = parse_local(&self.valid_to);
        if from.is_none() {
            errs.push("valid_from", "datetime");
        }
        if to.is_none() {
            errs.push("valid_to", "datetime");
        }
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            errs.push("valid_to", "window_order");
        }
        let dayparts = daypart::parse(&self.dayparts).unwrap_or_else(|code| {
            errs.push("dayparts", code);
            Vec::new()
        });
        let target = target(&mut errs, &self.target, &self.station_ids);
        let note = crate::validate::optional(&mut errs, "note", &self.note, 200);
        errs.into_result(ScheduleInput {
            media_id,
            priority,
            valid_from: from.unwrap_or_default(),
            valid_to: to.unwrap_or_default(),
            dayparts,
            target,
            note,
        })
    }
}

/// An emergency broadcast as staff start it.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct InterruptForm {
    #[serde(default)]
    pub media_id: String,
    #[serde(default)]
    pub target: String,
    #[serde(default)]
    pub station_ids: String,
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub campaign: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InterruptInput {
    pub media_id: i64,
    pub target: Target,
    pub until: DateTime<Utc>,
    pub campaign: Option<String>,
}

/// The longest an interrupt may run: beyond that it is a schedule.
pub const MAX_INTERRUPT_HOURS: i64 = 72;

impl InterruptForm {
    pub fn check(&self, now: DateTime<Utc>) -> Result<InterruptInput, Invalid> {
        let mut errs = Invalid::default();
        let media_id = media(&mut errs, &self.media_id);
        let target = target(&mut errs, &self.target, &self.station_ids);
        let until = parse_local(&self.until);
        match until {
            None => errs.push("until", "datetime"),
            Some(u) if u <= now => errs.push("until", "until_past"),
            Some(u) if u > now + Duration::hours(MAX_INTERRUPT_HOURS) => errs.push("until", "until_too_far"),
            _ => {}
        }
        let campaign = crate::validate::optional(&mut errs, "campaign", &self.campaign, 64);
        errs.into_result(InterruptInput { media_id, target, until: until.unwrap_or(now), campaign })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_form() {
        let f = ScheduleForm {
            media_id: "3".into(),
            priority: "5".into(),
            valid_from: "2026-12-01T08:00".into(),
            valid_to: "2026-12-31T20:00".into(),
            dayparts: "1-5 08:00-18:00".into(),
            target: "towns:7".into(),
            ..Default::default()
        };
        let s = f.check().unwrap();
        assert_eq!(s.valid_from.to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(s.target, Target::Towns(vec![7]));
        assert_eq!(format_local(s.valid_from), "2026-12-01T08:00");
        let bad = ScheduleForm {
            valid_to: "2026-11-01T08:00".into(),
            dayparts: "1-5 18:00-08:00".into(),
            target: "stations".into(),
            station_ids: "12,abc".into(),
            priority: "1000".into(),
            ..f
        }
        .check()
        .unwrap_err();
        for (field, code) in [
            ("valid_to", "window_order"),
            ("dayparts", "daypart_order"),
            ("station_ids", "target_invalid"),
            ("priority", "priority_range"),
        ] {
            assert_eq!(bad.for_field(field).map(|e| e.code), Some(code), "{field}");
        }
        assert_eq!(parse_target("stations", "12, 15"), Some(Target::Stations(vec![12, 15])));
        assert_eq!(parse_target("all", ""), Some(Target::All));
        assert_eq!(parse_target("towns:x", ""), None);
    }

    #[test]
    fn interrupt_form() {
        let now = parse_local("2026-11-28T10:00").unwrap();
        let f = InterruptForm {
            media_id: "1".into(),
            target: "all".into(),
            until: "2026-11-28T18:00".into(),
            ..Default::default()
        };
        assert_eq!(f.check(now).unwrap().until, parse_local("2026-11-28T18:00").unwrap());
        let past = InterruptForm { until: "2026-11-28T09:00".into(), ..f.clone() }.check(now).unwrap_err();
        assert_eq!(past.for_field("until").unwrap().code, "until_past");
        let far = InterruptForm { until: "2026-12-28T09:00".into(), ..f }.check(now).unwrap_err();
        assert_eq!(far.for_field("until").unwrap().code, "until_too_far");
    }
}
