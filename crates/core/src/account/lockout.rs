//! Failed sign-ins (等保 2.0 login failure handling). They are counted per username and source
//! address, so that one source cannot lock an account for everyone, and per username from any
//! source, so that many sources together cannot guess without limit. Unknown usernames are
//! counted exactly like real ones: a lock never tells whether an account exists.

/// Failures from one source that lock the username there.
pub const PER_SOURCE: u32 = 5;
/// Failures from all sources together that lock the username everywhere.
pub const ANY_SOURCE: u32 = 20;
/// How long a lock lasts, and how long failures are remembered.
pub const LOCKOUT_SECONDS: i64 = 15 * 60;

/// The failures of one key (username and source, or username alone), in Unix seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Failures {
    count: u32,
    first_at: i64,
    locked_until: Option<i64>,
}

impl Failures {
    /// Until when the key is locked, if it is.
    pub fn locked(&self, now: i64) -> Option<i64> {
        self.locked_until.filter(|&t| t > now)
    }

    /// Counts a failure; returns the lock when this one reaches `limit`. Failures older than
    /// the lockout window are forgotten, so a slow trickle never adds up to a lock.
    pub fn fail(&mut self, limit: u32, now: i64) -> Option<i64> {
        if let Some(t) = self.locked(now) {
            return Some(t);
        }
        if self.count == 0 || now - self.first_at > LOCKOUT_SECONDS {
            *self = Self { count: 0, first_at: now, locked_until: None };
        }
        self.count += 1;
        if self.count >= limit {
            let until = now + LOCKOUT_SECONDS;
            *self = Self { count: 0, first_at: now, locked_until: Some(until) };
            return Some(until);
        }
        None
    }

    /// Nothing worth keeping: no lock in force and no failure within the window.
    pub fn is_idle(&self, now: i64) -> bool {
        self.locked(now).is_none() && (self.count == 0 || now - self.first_at > LOCKOUT_SECONDS)
    }
}

/// Minutes to tell the person, rounded up.
pub fn minutes_left(until: i64, now: i64) -> i64 {
    ((until - now).max(1) + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks_for_fifteen_minutes() {
        let mut f = Failures::default();
        for i in 0..4 {
            assert_eq!(f.fail(PER_SOURCE, 1000 + i), None);
        }
        assert_eq!(f.fail(PER_SOURCE, 1004), Some(1004 + 900));
        assert_eq!(f.locked(1005), Some(1904));
        assert_eq!(minutes_left(1904, 1005), 15);
        // A failure while locked neither extends nor lifts the lock.
        assert_eq!(f.fail(PER_SOURCE, 1500), Some(1904));
        assert_eq!(f.locked(1904), None);
        assert!(f.is_idle(1904));
    }

    #[test]
    fn failures_spread_over_more_than_the_window_never_lock() {
        let mut f = Failures::default();
        for i in 0..20 {
            assert_eq!(f.fail(PER_SOURCE, i * 300), None, "failure {i}");
        }
        assert!(!f.is_idle(19 * 300), "the latest failures are still remembered");
    }
}
