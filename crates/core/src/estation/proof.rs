//! Proof of play: what a screen was scheduled to show on a day while its station was open
//! (from the same manifest rules the screen follows), what it reports it played, and the
//! people reached, with the basis of that figure.

use super::daypart::{Daypart, format_minute, local};
use super::manifest::{Manifest, Network, Place, Playing, build, timeline};
use super::play::Play;
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use std::collections::{BTreeMap, HashMap};

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

/// The instants of local `day` on which a station with opening hours `open` is open, in
/// order and merged; no hours means the whole day.
pub fn open_spans(open: &[Daypart], day: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let start = day_start(day);
    if open.is_empty() {
        return vec![(start, start + Duration::days(1))];
    }
    let weekday = day.weekday().number_from_monday() as u8;
    let mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)> = open
        .iter()
        .filter(|p| p.days.contains(&weekday))
        .map(|p| (start + Duration::minutes(p.from.into()), start + Duration::minutes(p.to.into())))
        .collect();
    spans.sort();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(spans.len());
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

/// Milliseconds of `[from, to)` that fall within the opening hours.
pub fn open_ms_between(open: &[Daypart], from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    let mut total = 0;
    let mut day = day_of(from);
    while day_start(day) < to {
        for (f, t) in open_spans(open, day) {
            total += (t.min(to) - f.max(from)).num_milliseconds().max(0);
        }
        match day.succ_opt() {
            Some(d) => day = d,
            None => break,
        }
    }
    total
}

/// Milliseconds of a play that fall within its station's opening hours: what an audience
/// estimate may count. A play reported as longer than a day is counted as a day at most.
pub fn open_ms(open: &[Daypart], started_at: DateTime<Utc>, duration_ms: i64) -> i64 {
    let ms = duration_ms.clamp(0, 86_400_000);
    open_ms_between(open, started_at, started_at + Duration::milliseconds(ms))
}

/// Seconds of airtime one screen owes each content on `day` while its station is open (`open`,
/// all day when empty): a rotation shares its time equally, an interrupt takes it all.
pub fn scheduled(m: &Manifest, day: NaiveDate, open: &[Daypart]) -> BTreeMap<String, f64> {
    let start = day_start(day);
    let mut out: BTreeMap<String, f64> = BTreeMap::new();
    for span in timeline(m, start, start + Duration::days(1)) {
        if matches!(span.playing, Playing::Nothing) {
            continue;
        }
        let secs = open_ms_between(open, span.from, span.to) as f64 / 1000.0;
        if secs <= 0.0 {
            continue;
        }
        let contents = span.playing.contents();
        for c in &contents {
            *out.entry(c.to_string()).or_default() += secs / contents.len() as f64;
        }
    }
    out
}

/// What one screen owes each content per day (`scheduled`), shared between stations and days
/// that are told the same: the same entries and interrupts in force, on the same weekday,
/// with the same opening hours. A year of a thousand stations then builds a few hundred
/// timelines rather than a third of a million.
pub struct Airtime<'a> {
    net: &'a Network,
    poll_interval_s: u32,
    memo: HashMap<AirtimeKey, BTreeMap<String, f64>>,
}

/// Entries and interrupts in force (with the day itself where one starts or ends within it),
/// the weekday, and the opening hours.
type AirtimeKey = (Vec<(i64, i32)>, Vec<(i64, i32)>, u32, Vec<Daypart>);

impl<'a> Airtime<'a> {
    pub fn new(net: &'a Network, poll_interval_s: u32) -> Self {
        Airtime { net, poll_interval_s, memo: HashMap::new() }
    }

    pub fn owed(&mut self, place: &Place, open: &[Daypart], day: NaiveDate) -> &BTreeMap<String, f64> {
        let (start, end) = (day_start(day), day_start(day) + Duration::days(1));
        let stamp = |from: DateTime<Utc>, to: DateTime<Utc>| {
            if from <= start && to >= end { 0 } else { day.num_days_from_ce() }
        };
        let rules = self
            .net
            .rules
            .iter()
            .filter(|r| r.valid_from < end && r.valid_to > start && r.target.reaches(place))
            .map(|r| (r.id, stamp(r.valid_from, r.valid_to)))
            .collect();
        let interrupts = self
            .net
            .interrupts
            .iter()
            .filter(|i| i.started_at < end && i.until > start && i.target.reaches(place))
            .map(|i| (i.id, stamp(i.started_at, i.until)))
            .collect();
        let key = (rules, interrupts, day.weekday().num_days_from_monday(), open.to_vec());
        let (net, poll) = (self.net, self.poll_interval_s);
        self.memo.entry(key).or_insert_with(|| scheduled(&build(net, place, start, poll), day, open))
    }
}

/// Whether what was played falls short of what was scheduled.
pub fn short(scheduled_s: f64, played_s: f64) -> bool {
    scheduled_s > 0.0 && played_s < SHORTFALL * scheduled_s
}

/// The daily rollup's key within one station: local day, content, schedule entry and
/// interrupt, 0 standing for none (SQL never finds two NULLs equal, so a unique key on them
/// could not be upserted).
pub type DailyKey = (NaiveDate, i64, i64, i64);

/// One day's plays of one content at one station, summed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Daily {
    pub plays: i64,
    pub played_ms: i64,
    /// The part played within the station's opening hours: what an estimate may count.
    pub open_ms: i64,
    /// The people counter's figures.
    pub audience: i64,
}

impl Daily {
    pub fn add(&mut self, o: &Daily) {
        self.plays += o.plays;
        self.played_ms += o.played_ms;
        self.open_ms += o.open_ms;
        self.audience += o.audience;
    }
}

/// Adds plays stored for one station (opening hours `open`) to its daily rollup.
pub fn roll_up<'a>(out: &mut BTreeMap<DailyKey, Daily>, open: &[Daypart], plays: impl IntoIterator<Item = &'a Play>) {
    for p in plays {
        let key = (day_of(p.started_at), p.media, p.schedule.unwrap_or(0), p.interrupt.unwrap_or(0));
        out.entry(key).or_default().add(&Daily {
            plays: 1,
            played_ms: p.duration_ms,
            open_ms: open_ms(open, p.started_at, p.duration_ms),
            audience: p.audience.unwrap_or(0).into(),
        });
    }
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

/// People reached by plays at a station: counted where it has a people counter, otherwise
/// its audience per hour times the hours played within its opening hours (`open_ms`).
pub fn reach(has_counter: bool, counted: i64, open_ms: i64, audience_per_hour: i32) -> (i64, ReachMethod) {
    if has_counter {
        (counted, ReachMethod::Counted)
    } else {
        let hours = open_ms as f64 / 3_600_000.0;
        ((hours * audience_per_hour as f64).round() as i64, ReachMethod::Estimated)
    }
}

/// What one station's reach figure rests on, written beside it: its people counter, or its
/// opening hours and audience per hour.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Basis {
    pub method: ReachMethod,
    /// "07:30–21:00"; empty when the station keeps no hours (open all day).
    pub hours: String,
    pub per_hour: i32,
}

pub fn basis(has_counter: bool, open: &[Daypart], audience_per_hour: i32) -> Basis {
    let hours = open.first().map(|p| format!("{}–{}", format_minute(p.from), format_minute(p.to))).unwrap_or_default();
    let method = if has_counter { ReachMethod::Counted } else { ReachMethod::Estimated };
    Basis { method, hours, per_hour: audience_per_hour }
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
        let s = scheduled(&m, day, &[]);
        assert_eq!(s["3"], 3600.0);
        assert_eq!(s["1"], 9.0 * 3600.0 / 2.0);
        assert_eq!(s["1"], s["2"]);
        assert_eq!(day_of(day_start(day)), day);
        assert_eq!(day_of(day_start(day) - Duration::seconds(1)), day.pred_opt().unwrap());
    }

    #[test]
    fn airtime_shared_between_alike_days_equals_each_day_built() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let media = |id: i64| Media {
            id,
            title: String::new(),
            media_type: "image/png".into(),
            sha256: String::new(),
            size: 1,
            duration_s: 10,
        };
        let rule = |id, m, priority, parts: &str, from: i64, to: i64, target| Rule {
            id,
            media: m,
            priority,
            valid_from: day_start(monday) + Duration::hours(from),
            valid_to: day_start(monday) + Duration::hours(to),
            dayparts: daypart::parse(parts).unwrap(),
            target,
        };
        let net = Network {
            media: [(1, media(1)), (2, media(2)), (3, media(3))].into(),
            rules: vec![
                rule(1, 1, 0, "1-7 08:00-20:00", -24 * 30, 24 * 30, Target::All),
                rule(2, 2, 0, "1-5 08:00-20:00", -24 * 30, 24 * 30, Target::Groups(vec![7])),
                // Ends mid-morning ten days on: that day is its own.
                rule(3, 3, 1, "1-7 09:00-12:00", -24 * 30, 24 * 10 + 10, Target::All),
            ],
            interrupts: vec![],
        };
        let places =
            [Place { station: 1, town: None, groups: vec![7] }, Place { station: 2, town: None, groups: vec![] }];
        let opens = [crate::estation::station::opening("08:30-17:30"), Vec::new()];
        let mut airtime = Airtime::new(&net, 60);
        for d in 0..21 {
            let day = monday + Duration::days(d);
            for place in &places {
                for open in &opens {
                    let direct = scheduled(&build(&net, place, day_start(day), 60), day, open);
                    assert_eq!(airtime.owed(place, open, day), &direct, "{day} {place:?}");
                }
            }
        }
        // A weekday, place and hours each with and without the third entry, and the day it ends.
        assert_eq!(airtime.memo.len(), 7 * 2 * 2 * 2 + 2 * 2);
    }

    #[test]
    fn airtime_counts_only_opening_hours() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(); // a Monday
        let rule = Rule {
            id: 1,
            media: 1,
            priority: 0,
            valid_from: day_start(day) - Duration::days(1),
            valid_to: day_start(day) + Duration::days(3),
            // Scheduled around the clock, as an after-hours loop is.
            dayparts: Vec::new(),
            target: Target::All,
        };
        let media = Media {
            id: 1,
            title: String::new(),
            media_type: "image/png".into(),
            sha256: String::new(),
            size: 1,
            duration_s: 10,
        };
        let net = Network { media: [(1, media)].into(), rules: vec![rule], interrupts: vec![] };
        let m = build(&net, &Place::default(), day_start(day), 60);
        assert_eq!(scheduled(&m, day, &[])["1"], 24.0 * 3600.0);
        let open = crate::estation::station::opening("07:30-21:00");
        assert_eq!(scheduled(&m, day, &open)["1"], 13.5 * 3600.0);
        // Weekday-only hours owe nothing on a Sunday.
        let weekdays = daypart::parse("1-5 08:00-18:00").unwrap();
        let sunday = day - Duration::days(1);
        let m = build(&net, &Place::default(), day_start(sunday), 60);
        assert!(scheduled(&m, sunday, &weekdays).is_empty());
        // Overlapping hours are not counted twice.
        let twice = daypart::parse("1-7 08:00-12:00\n1-7 10:00-14:00").unwrap();
        assert_eq!(open_spans(&twice, day).len(), 1);
        assert_eq!(open_ms_between(&twice, day_start(day), day_start(day) + Duration::days(1)), 6 * 3_600_000);
    }

    #[test]
    fn plays_count_within_opening_hours() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let open = crate::estation::station::opening("07:30-21:00");
        let at = |h: i64, m: i64| day_start(day) + Duration::hours(h) + Duration::minutes(m);
        assert_eq!(open_ms(&open, at(12, 0), 30_000), 30_000);
        assert_eq!(open_ms(&open, at(6, 0), 30_000), 0);
        // Straddling the opening: only the minute after 07:30.
        assert_eq!(open_ms(&open, at(7, 29), 120_000), 60_000);
        // Across midnight into the next day's opening: 21:00 to 07:30 is closed.
        assert_eq!(open_ms(&open, at(20, 0), 12 * 3_600_000), 5_400_000);
        assert_eq!(open_ms(&[], at(23, 0), 7_200_000), 7_200_000);
        assert_eq!(open_ms(&open, at(12, 0), i64::MAX), 13 * 3_600_000 + 30 * 60_000);
        assert_eq!(open_ms(&open, at(12, 0), -5), 0);
    }

    #[test]
    fn plays_roll_up_by_day_and_content() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let open = crate::estation::station::opening("08:00-20:00");
        let play = |h: i64, media, schedule, audience| Play {
            play_id: String::new(),
            media,
            schedule,
            interrupt: None,
            started_at: day_start(day) + Duration::hours(h),
            duration_ms: 20_000,
            completed: true,
            audience,
        };
        let plays = [
            play(9, 1, Some(4), Some(3)),
            play(10, 1, Some(4), None),
            play(7, 2, None, Some(1)),
            play(24 + 9, 1, Some(4), None),
        ];
        let mut out = BTreeMap::new();
        roll_up(&mut out, &open, &plays);
        assert_eq!(out.len(), 3);
        assert_eq!(out[&(day, 1, 4, 0)], Daily { plays: 2, played_ms: 40_000, open_ms: 40_000, audience: 3 });
        assert_eq!(out[&(day, 2, 0, 0)], Daily { plays: 1, played_ms: 20_000, open_ms: 0, audience: 1 });
        assert_eq!(out[&(day.succ_opt().unwrap(), 1, 4, 0)].plays, 1);
    }

    #[test]
    fn the_basis_names_hours_and_audience() {
        let open = crate::estation::station::opening("07:30-21:00");
        let b = basis(false, &open, 40);
        assert_eq!((b.method, b.hours.as_str(), b.per_hour), (ReachMethod::Estimated, "07:30–21:00", 40));
        assert_eq!(basis(true, &[], 40).method, ReachMethod::Counted);
        assert_eq!(basis(false, &[], 40).hours, "");
        // Ten hours played while open at 40 an hour.
        assert_eq!(reach(false, 0, 10 * 3_600_000, 40), (400, ReachMethod::Estimated));
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
