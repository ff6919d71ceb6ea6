//! Proof of play: what a screen was scheduled to show on a day (from the same manifest rules
//! the screen follows), what it reports it played, and the people reached.

use super::daypart::local;
use super::manifest::{Manifest, Playing, timeline};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

/// A station that played less than this share of its scheduled time is flagged.
pub const SHORTFALL: f64 = 0.8;

/// The UTC instant of a local (China) midnight.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")) - Duration::hours(8)
}

/// The local day an instant falls on.
pub fn day_of(t: DateTime<Utc>) -> NaiveDate {
    local(t).date_naive()
}

/// Seconds of airtime one screen owes each content on `day`: a rotation shares its time
/// equally, an interrupt takes it all.
pub fn scheduled(m: &Manifest, day: NaiveDate) -> BTreeMap<String, f64> {
    let start = day_start(day);
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for span in timeline(m, start, start + Duration::days(1)) {
        let secs = (span.to - span.from).num_seconds() as f64;
        let contents = span.playing.contents();
        if matches!(span.playing, Playing::Nothing) {
            continue;
        }
        for c in &contents {
            *out.entry(c.to_string()).or_default() += secs / contents.len() as f64;
        }
    }
    out
}

/// Whether what was played falls short of what was scheduled.
pub fn short(scheduled_s: f64, played_s: f64) -> bool {
    scheduled_s > 0.0 && played_s < SHORTFALL * scheduled_s
}

/// How a reach figure was obtained, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReachMethod {
    /// Summed from the people counter's figure on each play.
    Counted,
    /// The station's audience per hour times the hours played.
    Estimated,
}

/// People reached by plays totalling `played_ms` at a station: counted where it has a people
/// counter, otherwise estimated from its audience per hour.
pub fn reach(has_counter: bool, counted: i64, played_ms: i64, audience_per_hour: i32) -> (i64, ReachMethod) {
    if has_counter {
        (counted, ReachMethod::Counted)
    } else {
        let hours = played_ms as f64 / 3_600_000.0;
        ((hours * audience_per_hour as f64).round() as i64, ReachMethod::Estimated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estation::daypart;
    use crate::estation::manifest::{Media, Network, Place, Rule, Target, build};

    #[test]
    fn scheduled_airtime_follows_the_rules() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(); // a Monday
        let media = |id: i64| Media {
            id,
            title: String::new(),
            media_type: "image/png".into(),
            sha256: String::new(),
            size: 1,
            duration_s: 10,
        };
        let rule = |id, m, priority, parts: &str| Rule {
            id,
            media: m,
            priority,
            valid_from: day_start(day) - Duration::days(1),
            valid_to: day_start(day) + Duration::days(3),
            dayparts: daypart::parse(parts).unwrap(),
            target: Target::All,
        };
        let net = Network {
            media: [(1, media(1)), (2, media(2)), (3, media(3))].into(),
            rules: vec![
                rule(1, 1, 0, "1-7 08:00-18:00"),
                rule(2, 2, 0, "1-7 08:00-18:00"),
                rule(3, 3, 1, "1 09:00-10:00"),
            ],
            interrupts: vec![],
        };
        let m = build(&net, &Place::default(), day_start(day), 60);
        let s = scheduled(&m, day);
        assert_eq!(s["3"], 3600.0);
        assert_eq!(s["1"], 9.0 * 3600.0 / 2.0);
        assert_eq!(s["1"], s["2"]);
        assert_eq!(day_of(day_start(day)), day);
        assert_eq!(day_of(day_start(day) - Duration::seconds(1)), day.pred_opt().unwrap());
    }

    #[test]
    fn reach_counted_or_estimated() {
        assert_eq!(reach(true, 57, 3_600_000, 40), (57, ReachMethod::Counted));
        assert_eq!(reach(false, 0, 5_400_000, 40), (60, ReachMethod::Estimated));
        assert!(short(1000.0, 799.0));
        assert!(!short(1000.0, 800.0));
        assert!(!short(0.0, 0.0));
    }
}
