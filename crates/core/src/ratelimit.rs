//! A token bucket per client: `burst` requests at once, refilled at `per_second`. The caller owns
//! the clock so the rule is testable.

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub burst: f64,
    pub per_second: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct Bucket {
    tokens: f64,
    last: f64,
}

impl Bucket {
    pub fn full(limit: Limit, now: f64) -> Self {
        Self { tokens: limit.burst, last: now }
    }

    /// Takes one token if there is one; otherwise says how many seconds until there will be.
    pub fn take(&mut self, limit: Limit, now: f64) -> Result<(), f64> {
        let elapsed = (now - self.last).max(0.0);
        self.tokens = (self.tokens + elapsed * limit.per_second).min(limit.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err((1.0 - self.tokens) / limit.per_second)
        }
    }

    /// A bucket that would be full by now carries no state worth keeping.
    pub fn is_idle(&self, limit: Limit, now: f64) -> bool {
        self.tokens + (now - self.last) * limit.per_second >= limit.burst
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_refill() {
        let l = Limit { burst: 3.0, per_second: 0.5 };
        let mut b = Bucket::full(l, 0.0);
        for _ in 0..3 {
            b.take(l, 0.0).unwrap();
        }
        let wait = b.take(l, 0.0).unwrap_err();
        assert!((wait - 2.0).abs() < 1e-9);
        assert!(b.take(l, 1.0).is_err());
        b.take(l, 2.0).unwrap();
        assert!(!b.is_idle(l, 2.0));
        assert!(b.is_idle(l, 8.0));
    }
}
