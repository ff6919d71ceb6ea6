//! Registration and attendance: who may register, when the door opens for check-in, the
//! order check-in → check-out, and the service time a volunteer's attendance earns.

use crate::Invalid;
use crate::person::valid_phone;
use crate::validate::required;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Check-in opens this long before the start (people arrive early for a lecture).
pub const OPENS_BEFORE_MIN: i64 = 120;
/// Check-out stays open this long after the end (a show overruns, people leave late).
pub const CLOSES_AFTER_MIN: i64 = 240;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Registrant {
    pub name: String,
    pub phone: String,
}

impl RegistrationForm {
    pub fn check(&self) -> Result<Registrant, Invalid> {
        let mut e = Invalid::default();
        let name = required(&mut e, "name", &self.name, 20);
        let phone: String = self.phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        if phone.is_empty() {
            e.push("phone", "required");
        } else if !valid_phone(&phone) {
            e.push("phone", "bad_phone");
        }
        e.into_result(Registrant { name, phone })
    }
}

/// Where one registration stands at the door.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Door {
    pub checked_in_at: Option<DateTime<Utc>>,
    pub checked_out_at: Option<DateTime<Utc>>,
}

/// The activity's window as the door sees it.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Window {
    pub fn check_in(&self, door: Door, now: DateTime<Utc>) -> Result<(), &'static str> {
        if door.checked_in_at.is_some() {
            return Err("already_checked_in");
        }
        if now < self.starts_at - Duration::minutes(OPENS_BEFORE_MIN) {
            return Err("check_in_not_open");
        }
        if now > self.ends_at {
            return Err("check_in_closed");
        }
        Ok(())
    }

    pub fn check_out(&self, door: Door, now: DateTime<Utc>) -> Result<(), &'static str> {
        if door.checked_in_at.is_none() {
            return Err("not_checked_in");
        }
        if door.checked_out_at.is_some() {
            return Err("already_checked_out");
        }
        if now > self.ends_at + Duration::minutes(CLOSES_AFTER_MIN) {
            return Err("check_out_closed");
        }
        Ok(())
    }

    /// The minutes of service between check-in and check-out, counted inside the activity's
    /// own time only: arriving early or lingering after the end is not service.
    pub fn service_minutes(&self, checked_in_at: DateTime<Utc>, checked_out_at: DateTime<Utc>) -> i32 {
        let from = checked_in_at.max(self.starts_at);
        let to = checked_out_at.min(self.ends_at);
        (to - from).num_minutes().max(0) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, h, m, 0).unwrap()
    }
    const W: fn() -> Window = || Window { starts_at: at(1, 0), ends_at: at(3, 0) };

    #[test]
    fn door_order() {
        let w = W();
        let fresh = Door::default();
        assert_eq!(w.check_in(fresh, at(0, 30)), Ok(()));
        assert_eq!(w.check_out(fresh, at(2, 0)), Err("not_checked_in"));
        let inside = Door { checked_in_at: Some(at(0, 55)), checked_out_at: None };
        assert_eq!(w.check_in(inside, at(1, 0)), Err("already_checked_in"));
        assert_eq!(w.check_out(inside, at(2, 50)), Ok(()));
        let out = Door { checked_out_at: Some(at(2, 50)), ..inside };
        assert_eq!(w.check_out(out, at(2, 55)), Err("already_checked_out"));
        assert_eq!(w.check_in(fresh, at(3, 1)), Err("check_in_closed"));
        assert_eq!(w.check_in(fresh, at(22, 0) - Duration::days(1)), Err("check_in_not_open"));
        assert_eq!(w.check_out(inside, at(7, 1)), Err("check_out_closed"));
    }

    #[test]
    fn service_counts_only_the_activity_time() {
        let w = W();
        assert_eq!(w.service_minutes(at(0, 30), at(3, 30)), 120);
        assert_eq!(w.service_minutes(at(1, 15), at(2, 45)), 90);
        assert_eq!(w.service_minutes(at(3, 10), at(3, 20)), 0);
    }

    #[test]
    fn registration_needs_a_real_phone() {
        let ok = RegistrationForm { name: "陈美华".into(), phone: "139 6281 4417".into() }.check().unwrap();
        assert_eq!(ok.phone, "13962814417");
        let e = RegistrationForm { name: "".into(), phone: "12345".into() }.check().unwrap_err();
        assert_eq!(e.for_field("name").unwrap().code, "required");
        assert_eq!(e.for_field("phone").unwrap().code, "bad_phone");
    }
}
