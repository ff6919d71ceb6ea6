//! Per-address token buckets for login and public forms (the rule is `core::ratelimit`).

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
        Self {
            limit: Limit { burst: f64::from(burst.max(1)), per_second: f64::from(per_minute.max(1)) / 60.0 },
            start: Instant::now(),
            buckets: Mutex::new(HashMap::new()),
        }
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
