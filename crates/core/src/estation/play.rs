//! Proof of play as screens report it: checking each play on its own, so one bad play never
//! fails its batch.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use std::collections::HashSet;

pub const MAX_BATCH: usize = 1000;
/// How far ahead of the server's clock a play may start (screens' clocks drift).
pub const CLOCK_SKEW_MINUTES: i64 = 5;

/// One play as the contract describes it. Fields are checked after parsing, so that a wrong
/// value rejects this play and not the batch.
#[derive(Debug, Clone, Deserialize)]
pub struct PlayIn {
    pub play_id: String,
    pub content_id: String,
    #[serde(default)]
    pub schedule_id: Option<String>,
    #[serde(default)]
    pub interrupt_id: Option<String>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    #[serde(default)]
    pub completed: bool,
    #[serde(default)]
    pub audience: Option<i64>,
}

/// A play ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Play {
    pub play_id: String,
    pub media: i64,
    pub schedule: Option<i64>,
    pub interrupt: Option<i64>,
    pub started_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub completed: bool,
    pub audience: Option<i32>,
}

/// The batch after checking: plays to store, plays repeated within it, and the refused ones
/// with their index and code.
#[derive(Debug, Default)]
pub struct Checked {
    pub plays: Vec<Play>,
    pub repeated: usize,
    pub rejected: Vec<(usize, &'static str)>,
}

fn id(s: &Option<String>) -> Option<i64> {
    s.as_deref().and_then(|s| s.parse().ok())
}

/// Checks one play, given as its JSON text. `content` says whether a content id is known.
pub fn check(raw: &str, now: DateTime<Utc>, content: impl Fn(i64) -> bool) -> Result<Play, &'static str> {
    let p: PlayIn = serde_json::from_str(raw).map_err(|_| "invalid_play")?;
    if p.play_id.trim().is_empty() || p.play_id.len() > 64 {
        return Err("invalid_play");
    }
    let media = p.content_id.parse::<i64>().ok().filter(|m| content(*m)).ok_or("unknown_content")?;
    if p.duration_ms < 0 {
        return Err("negative_duration");
    }
    if p.started_at > now + Duration::minutes(CLOCK_SKEW_MINUTES) {
        return Err("future_start");
    }
    Ok(Play {
        play_id: p.play_id,
        media,
        schedule: id(&p.schedule_id),
        interrupt: id(&p.interrupt_id),
        started_at: p.started_at,
        duration_ms: p.duration_ms,
        completed: p.completed,
        audience: p.audience.filter(|a| *a >= 0).map(|a| a.min(i32::MAX as i64) as i32),
    })
}

/// Checks a batch; a play_id seen earlier in the same batch counts as a duplicate.
pub fn check_batch(raw: &[&str], now: DateTime<Utc>, content: impl Fn(i64) -> bool) -> Checked {
    let mut out = Checked::default();
    let mut seen = HashSet::new();
    for (i, v) in raw.iter().enumerate() {
        match check(v, now, &content) {
            Ok(p) if !seen.insert(p.play_id.clone()) => out.repeated += 1,
            Ok(p) => out.plays.push(p),
            Err(code) => out.rejected.push((i, code)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn play(id: &str, content: &str, start: &str, ms: i64) -> serde_json::Value {
        json!({"play_id": id, "content_id": content, "schedule_id": "3", "interrupt_id": null,
               "started_at": start, "duration_ms": ms, "completed": true, "audience": 12})
    }

    #[test]
    fn each_bad_play_is_rejected_alone() {
        let now: DateTime<Utc> = "2026-11-28T08:00:00Z".parse().unwrap();
        let batch = [
            play("a", "1", "2026-11-28T07:59:00Z", 30000),
            play("b", "99", "2026-11-28T07:59:00Z", 30000),
            play("c", "1", "2026-11-28T08:06:00Z", 30000),
            play("d", "1", "2026-11-28T07:59:00Z", -1),
            json!({"play_id": "e", "content_id": "1", "started_at": "yesterday", "duration_ms": 1}),
            play("a", "1", "2026-11-28T07:59:00Z", 30000),
            play("f", "1", "2026-11-28T08:04:00Z", 0),
        ];
        let texts: Vec<String> = batch.iter().map(|v| v.to_string()).collect();
        let raws: Vec<&str> = texts.iter().map(String::as_str).collect();
        let c = check_batch(&raws, now, |m| m == 1);
        assert_eq!(c.plays.iter().map(|p| p.play_id.as_str()).collect::<Vec<_>>(), ["a", "f"]);
        assert_eq!(c.repeated, 1);
        assert_eq!(
            c.rejected,
            vec![(1, "unknown_content"), (2, "future_start"), (3, "negative_duration"), (4, "invalid_play")]
        );
        assert_eq!(c.plays[0].schedule, Some(3));
        assert_eq!(c.plays[0].audience, Some(12));
    }

    mod property {
        use super::super::*;
        use proptest::prelude::*;
        use serde_json::json;

        /// A play as a screen might send it, right or wrong in any field, or any text at all.
        fn raw_play() -> impl Strategy<Value = String> {
            let field = |good: &'static str| {
                prop_oneof![
                    Just(json!(good)),
                    any::<i64>().prop_map(|n| json!(n)),
                    ".{0,8}".prop_map(|s| json!(s)),
                    Just(json!(null))
                ]
            };
            prop_oneof![
                4 => (
                    prop_oneof![Just("p1".to_string()), Just("p2".to_string()), ".{0,70}"],
                    field("1"),
                    field("3"),
                    prop_oneof![Just("2026-11-28T07:59:00Z"), Just("2026-11-28T08:06:00Z"), Just("yesterday")],
                    any::<i64>(),
                    any::<Option<i64>>(),
                )
                    .prop_map(|(id, content, schedule, start, ms, audience)| {
                        json!({"play_id": id, "content_id": content, "schedule_id": schedule,
                               "started_at": start, "duration_ms": ms, "completed": true, "audience": audience})
                        .to_string()
                    }),
                1 => ".{0,40}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            /// Every play of a batch is stored, counted as repeated or refused, exactly once,
            /// and every stored play keeps the contract's rules.
            #[test]
            fn every_play_is_accounted_for_once(batch in proptest::collection::vec(raw_play(), 0..30)) {
                let now: DateTime<Utc> = "2026-11-28T08:00:00Z".parse().unwrap();
                let raws: Vec<&str> = batch.iter().map(String::as_str).collect();
                let c = check_batch(&raws, now, |m| m == 1);
                prop_assert_eq!(c.plays.len() + c.repeated + c.rejected.len(), batch.len());
                prop_assert!(c.rejected.windows(2).all(|w| w[0].0 < w[1].0));
                prop_assert!(c.rejected.iter().all(|(i, _)| *i < batch.len()));
                let ids: HashSet<&str> = c.plays.iter().map(|p| p.play_id.as_str()).collect();
                prop_assert_eq!(ids.len(), c.plays.len());
                for p in &c.plays {
                    prop_assert!(!p.play_id.trim().is_empty() && p.play_id.len() <= 64);
                    prop_assert_eq!(p.media, 1);
                    prop_assert!(p.duration_ms >= 0);
                    prop_assert!(p.started_at <= now + Duration::minutes(CLOCK_SKEW_MINUTES));
                    prop_assert!(p.audience.is_none_or(|a| a >= 0));
                }
            }
        }
    }
}
