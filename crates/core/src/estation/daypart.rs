//! Dayparts: on which ISO weekdays and between which local times a schedule entry plays.
//! Staff write one per line, "1-5 08:00-18:00" or "6,7 09:30-17:00"; screens get them as JSON.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// China Standard Time: screens and staff both think in it; the manifest names it.
pub const TIMEZONE: &str = "Asia/Shanghai";

pub fn local(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&FixedOffset::east_opt(8 * 3600).expect("valid offset"))
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Daypart {
    /// ISO weekdays, 1 = Monday, ascending, no repeats.
    pub days: Vec<u8>,
    /// Minutes after local midnight; `to` may be 1440 ("24:00").
    #[serde(with = "hhmm")]
    pub from: u16,
    #[serde(with = "hhmm")]
    pub to: u16,
}

impl Daypart {
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let t = local(at);
        let day = t.weekday().number_from_monday() as u8;
        let minute = (t.hour() * 60 + t.minute()) as u16;
        self.days.contains(&day) && self.from <= minute && minute < self.to
    }
}

/// Whether any daypart holds at `at`; no dayparts means all day, every day.
pub fn any_contains(parts: &[Daypart], at: DateTime<Utc>) -> bool {
    parts.is_empty() || parts.iter().any(|p| p.contains(at))
}

pub fn format_minute(m: u16) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn parse_minute(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

mod hhmm {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(m: &u16, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_minute(*m))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_minute(&s).ok_or_else(|| serde::de::Error::custom("expected HH:MM"))
    }
}

/// Why a daypart line was refused: a stable code the page translates.
pub type DaypartError = &'static str;

fn parse_days(s: &str) -> Result<Vec<u8>, DaypartError> {
    let mut days = Vec::new();
    for part in s.split([',', '，']) {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let (a, b): (u8, u8) = match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) if (1..=7).contains(&a) && (1..=7).contains(&b) && a <= b => (a, b),
            _ => return Err("daypart_days"),
        };
        days.extend(a..=b);
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

/// Parses one line per daypart; blank lines are skipped. An empty text means "all day".
pub fn parse(text: &str) -> Result<Vec<Daypart>, DaypartError> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (days, times) = line.split_once(char::is_whitespace).ok_or("daypart_format")?;
        let (from, to) = times.trim().split_once('-').ok_or("daypart_format")?;
        let (from, to) = match (parse_minute(from), parse_minute(to)) {
            (Some(f), Some(t)) => (f, t),
            _ => return Err("daypart_time"),
        };
        if from >= to {
            return Err("daypart_order");
        }
        out.push(Daypart { days: parse_days(days)?, from, to });
    }
    Ok(out)
}

/// The text `parse` reads back to the same dayparts.
pub fn format(parts: &[Daypart]) -> String {
    parts
        .iter()
        .map(|p| {
            let mut runs: Vec<String> = Vec::new();
            let mut i = 0;
            while i < p.days.len() {
                let mut j = i;
                while j + 1 < p.days.len() && p.days[j + 1] == p.days[j] + 1 {
                    j += 1;
                }
                runs.push(if i == j { p.days[i].to_string() } else { format!("{}-{}", p.days[i], p.days[j]) });
                i = j + 1;
            }
            format!("{} {}-{}", runs.join(","), format_minute(p.from), format_minute(p.to))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn parses_and_formats_back() {
        let parts = parse("1-5 08:00-18:00\n6,7 09:30-24:00\n").unwrap();
        assert_eq!(parts[0].days, vec![1, 2, 3, 4, 5]);
        assert_eq!((parts[1].from, parts[1].to), (570, 1440));
        assert_eq!(format(&parts), "1-5 08:00-18:00\n6-7 09:30-24:00");
        assert_eq!(parse(&format(&parts)).unwrap(), parts);
        assert!(parse("").unwrap().is_empty());
    }

    #[test]
    fn refuses_bad_lines() {
        assert_eq!(parse("1-5"), Err("daypart_format"));
        assert_eq!(parse("8 08:00-09:00"), Err("daypart_days"));
        assert_eq!(parse("5-1 08:00-09:00"), Err("daypart_days"));
        assert_eq!(parse("1 08:00-25:00"), Err("daypart_time"));
        assert_eq!(parse("1 18:00-08:00"), Err("daypart_order"));
    }

    #[test]
    fn contains_in_china_time() {
        let p = &parse("1-5 08:00-18:00").unwrap()[0];
        // Monday 2026-11-30 08:30 in Beijing is 00:30 UTC.
        assert!(p.contains(Utc.with_ymd_and_hms(2026, 11, 30, 0, 30, 0).unwrap()));
        // Sunday 23:59 UTC is Monday 07:59 in Beijing: not yet.
        assert!(!p.contains(Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 0).unwrap()));
        // Saturday in Beijing.
        assert!(!p.contains(Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap()));
        assert!(any_contains(&[], Utc::now()));
    }

    #[test]
    fn json_shape_is_the_contract() {
        let p = parse("1-5 08:00-18:00").unwrap();
        assert_eq!(serde_json::to_string(&p[0]).unwrap(), r#"{"days":[1,2,3,4,5],"from":"08:00","to":"18:00"}"#);
    }
}
