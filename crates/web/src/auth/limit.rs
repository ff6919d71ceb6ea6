//! Per-address token buckets for login and public forms (the rule is `core::ratelimit`), and
//! the count of failed sign-ins.

use kexie_core::account::lockout::{self, Failures};
use kexie_core::ratelimit::{Bucket, Limit};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

pub struct Limiter {
    limit: Limit,
    start: Instant,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Limiter {
    pub fn new(burst: u32, per_minute: u32) -> Self {
        Self::with(Limit { burst: f64::from(burst.max(1)), per_second: f64::from(per_minute.max(1)) / 60.0 })
    }

    /// For what may cost money or bother someone (a text message): counted by the hour.
    pub fn per_hour(burst: u32, per_hour: u32) -> Self {
        Self::with(Limit { burst: f64::from(burst.max(1)), per_second: f64::from(per_hour.max(1)) / 3600.0 })
    }

    fn with(limit: Limit) -> Self {
        Self { limit, start: Instant::now(), buckets: Mutex::new(HashMap::new()) }
    }

    /// `Err(seconds)` to wait when the address has used up its allowance.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        let now = self.start.elapsed().as_secs_f64();
        let mut b = self.buckets.lock().expect("limiter lock");
        // Forget idle addresses so the map cannot grow without bound.
        if b.len() > 10_000 {
            let limit = self.limit;
            b.retain(|_, v| !v.is_idle(limit, now));
        }
        let bucket = b.entry(key.to_string()).or_insert_with(|| Bucket::full(self.limit, now));
        bucket.take(self.limit, now).map_err(|wait| wait.ceil() as u64)
    }
}

/// Failed sign-ins by username and source and by username alone (the rule is
/// `core::account::lockout`); unknown usernames are counted like real ones.
#[derive(Default)]
pub struct LoginGuard {
    failures: Mutex<HashMap<(String, String), Failures>>,
}

/// The key for failures from every source together.
const ANY: &str = "*";

impl LoginGuard {
    /// `Err(until)` while the username is locked for this source or for all.
    pub fn check(&self, username: &str, source: &str, now: i64) -> Result<(), i64> {
        let m = self.failures.lock().expect("login guard lock");
        let locked = |s: &str| m.get(&(username.to_string(), s.to_string())).and_then(|f| f.locked(now));
        match locked(source).or_else(|| locked(ANY)) {
            Some(until) => Err(until),
            None => Ok(()),
        }
    }

    /// Counts a failure; returns the lock it caused, if any.
    pub fn fail(&self, username: &str, source: &str, now: i64) -> Option<i64> {
        let mut m = self.failures.lock().expect("login guard lock");
        if m.len() > 10_000 {
            m.retain(|_, f| !f.is_idle(now));
        }
        let here = m.entry((username.to_string(), source.to_string())).or_default().fail(lockout::PER_SOURCE, now);
        let any = m.entry((username.to_string(), ANY.to_string())).or_default().fail(lockout::ANY_SOURCE, now);
        here.or(any)
    }

    /// A successful sign-in forgets the source's failures.
    pub fn succeeded(&self, username: &str, source: &str) {
        self.failures.lock().expect("login guard lock").remove(&(username.to_string(), source.to_string()));
    }

    /// An administrator lifts every lock on the username.
    pub fn clear(&self, username: &str) {
        self.failures.lock().expect("login guard lock").retain(|(u, _), _| u != username);
    }
}
