//! A station as staff keep it: where it is, when it is open, how many people pass, and the
//! 五有 checklist (network, staff, venue, activities, terminal). Screens' health comes from
//! their heartbeats.

use crate::Invalid;
use crate::validate::{optional, required};
use chrono::{DateTime, Duration, Utc};

/// The 五有 checklist, in the order the association's forms list it.
pub const FIVE: [&str; 5] = ["network", "staff", "venue", "activities", "terminal"];

/// What the station form sends, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lng: String,
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub audience_per_hour: String,
    #[serde(default)]
    pub has_counter: Option<String>,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub five_network: Option<String>,
    #[serde(default)]
    pub five_staff: Option<String>,
    #[serde(default)]
    pub five_venue: Option<String>,
    #[serde(default)]
    pub five_activities: Option<String>,
    #[serde(default)]
    pub five_terminal: Option<String>,
}

/// A checked station.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StationInput {
    pub name: String,
    pub region_id: i64,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub hours: String,
    pub audience_per_hour: i32,
    pub has_counter: bool,
    pub tags: Vec<String>,
    /// In the order of `FIVE`.
    pub five: [bool; 5],
}

fn coordinate(errs: &mut Invalid, field: &'static str, v: &str, range: std::ops::RangeInclusive<f64>) -> Option<f64> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(x) if range.contains(&x) => Some(x),
        _ => {
            errs.push(field, "coordinate");
            None
        }
    }
}

/// Opening hours as "08:30-17:30".
pub fn check_hours(v: &str) -> bool {
    super::daypart::parse(&format!("1 {v}")).is_ok()
}

/// A station's opening hours as dayparts: the same hours every day. None set (or a value from
/// before the form checked it) means open all day, which is what an empty daypart list says.
pub fn opening(hours: &str) -> Vec<super::daypart::Daypart> {
    match hours.trim() {
        "" => Vec::new(),
        h => super::daypart::parse(&format!("1-7 {h}")).unwrap_or_default(),
    }
}

impl StationForm {
    pub fn check(&self) -> Result<StationInput, Invalid> {
        let mut errs = Invalid::default();
        let name = required(&mut errs, "name", &self.name, 100);
        let region_id = match self.region_id.trim().parse::<i64>() {
            Ok(r) => r,
            Err(_) => {
                errs.push("region_id", "required");
                0
            }
        };
        let address = optional(&mut errs, "address", &self.address, 200);
        // Mainland China's extent: a coordinate outside it is a typo or swapped fields.
        let lat = coordinate(&mut errs, "lat", &self.lat, 3.0..=54.0);
        let lng = coordinate(&mut errs, "lng", &self.lng, 73.0..=136.0);
        if lat.is_some() != lng.is_some() && errs.for_field("lat").is_none() && errs.for_field("lng").is_none() {
            errs.push(if lat.is_none() { "lat" } else { "lng" }, "coordinate_pair");
        }
        let hours = self.hours.trim().to_string();
        if !hours.is_empty() && !check_hours(&hours) {
            errs.push("hours", "hours_format");
        }
        let audience_per_hour = match self.audience_per_hour.trim() {
            "" => 0,
            v => match v.parse::<i32>() {
                Ok(n) if (0..=100_000).contains(&n) => n,
                _ => {
                    errs.push("audience_per_hour", "number");
                    0
                }
            },
        };
        let tags: Vec<String> = self
            .tags
            .split([',', '，', '、', '\n'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| t.chars().take(20).collect())
            .collect();
        let on = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty() && v != "false");
        let five = [
            on(&self.five_network),
            on(&self.five_staff),
            on(&self.five_venue),
            on(&self.five_activities),
            on(&self.five_terminal),
        ];
        errs.into_result(StationInput {
            name,
            region_id,
            address,
            lat,
            lng,
            hours,
            audience_per_hour,
            has_counter: on(&self.has_counter),
            tags,
            five,
        })
    }
}

/// A screen's health from its last heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Enrolment code issued, never seen.
    Pending,
    Online,
    Offline,
    Revoked,
}

/// Missed heartbeats after which a screen counts as offline.
pub const MISSED_BEATS: i64 = 3;

pub fn health(revoked: bool, last_seen: Option<DateTime<Utc>>, now: DateTime<Utc>, poll_interval_s: u32) -> Health {
    match (revoked, last_seen) {
        (true, _) => Health::Revoked,
        (false, None) => Health::Pending,
        (false, Some(t)) if now - t <= Duration::seconds(MISSED_BEATS * poll_interval_s as i64) => Health::Online,
        _ => Health::Offline,
    }
}

impl Health {
    pub fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Online => "online",
            Self::Offline => "offline",
            Self::Revoked => "revoked",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> StationForm {
        StationForm {
            name: "金沙街道人民路社区科普e站".into(),
            region_id: "5".into(),
            lat: "32.0847".into(),
            lng: "121.0736".into(),
            hours: "08:30-17:30".into(),
            audience_per_hour: "40".into(),
            tags: "老年人，社区、 学校".into(),
            five_network: Some("on".into()),
            five_terminal: Some("on".into()),
            ..Default::default()
        }
    }

    #[test]
    fn checks_a_station() {
        let s = form().check().unwrap();
        assert_eq!(s.tags, ["老年人", "社区", "学校"]);
        assert_eq!(s.five, [true, false, false, false, true]);
        assert_eq!(s.audience_per_hour, 40);
        let bad = StationForm {
            name: " ".into(),
            lat: "121.07".into(),
            lng: "32.08".into(),
            hours: "17:30-08:30".into(),
            audience_per_hour: "-3".into(),
            ..form()
        }
        .check()
        .unwrap_err();
        for f in ["name", "lat", "lng", "hours", "audience_per_hour"] {
            assert!(bad.for_field(f).is_some(), "{f}");
        }
        let half = StationForm { lng: String::new(), ..form() }.check().unwrap_err();
        assert_eq!(half.for_field("lng").unwrap().code, "coordinate_pair");
    }

    #[test]
    fn health_from_heartbeats() {
        let now = Utc::now();
        assert_eq!(health(false, None, now, 60), Health::Pending);
        assert_eq!(health(false, Some(now - Duration::seconds(170)), now, 60), Health::Online);
        assert_eq!(health(false, Some(now - Duration::seconds(190)), now, 60), Health::Offline);
        assert_eq!(health(true, Some(now), now, 60), Health::Revoked);
    }
}
