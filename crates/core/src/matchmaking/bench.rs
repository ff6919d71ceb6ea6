//! Ranking latency over 10,000 experts, run by `bench/match-rank/run.sh`:
//! `cargo test --release -p kexie-core --lib matchmaking::bench -- --ignored --nocapture`.
//!
//! The pool is the development set's 84 experts varied deterministically (keywords, fields,
//! bio sentences and achievements recombined across experts, so vocabularies and lengths stay
//! realistic and no two profiles are equal). Every one of the 31 needs is ranked many times;
//! each sample is one call of `rank_experts`, the call the UI and the API make.

use super::{Expert, ExpertIndex, Need, rank_experts};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

const POOL: usize = 10_000;
const ROUNDS: usize = 30;

fn vary(base: &[Expert], n: usize, rng: &mut ChaCha8Rng) -> Vec<Expert> {
    (0..n)
        .map(|i| {
            let a = &base[i % base.len()];
            let b = &base[rng.random_range(0..base.len())];
            let mut keywords = a.keywords.clone();
            keywords.shuffle(rng);
            keywords.truncate(keywords.len().saturating_sub(1).max(3));
            keywords.push(b.keywords[rng.random_range(0..b.keywords.len())].clone());
            let mut fields = a.fields.clone();
            if rng.random_bool(0.3) {
                fields.push(b.fields[0].clone());
            }
            // The expert's own bio plus, often, one sentence of another's.
            let mut bio = a.bio.clone();
            if rng.random_bool(0.5)
                && let Some(sentence) = b.bio.split('。').find(|s| !s.is_empty())
            {
                bio.push_str(sentence);
                bio.push('。');
            }
            let mut achievements = a.achievements.clone();
            achievements.shuffle(rng);
            achievements[0] = b.achievements[rng.random_range(0..b.achievements.len())].clone();
            Expert {
                id: format!("X{i:05}"),
                name: format!("{}{}", a.name, i),
                title: a.title.clone(),
                institution: if rng.random_bool(0.5) { a.institution.clone() } else { b.institution.clone() },
                fields,
                keywords,
                bio,
                achievements,
            }
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Vec<T> {
    let text = std::fs::read_to_string(path).expect("readable");
    super::jsonl::parse(&text).expect("valid JSON lines")
}

#[test]
#[ignore = "benchmark: run bench/match-rank/run.sh"]
fn rank_latency_over_ten_thousand_experts() {
    let dir = Path::new(super::tests::DEV_SET);
    if !dir.is_dir() {
        println!("SKIPPED: development set not found at {}", dir.display());
        return;
    }
    let base: Vec<Expert> = read_jsonl(&dir.join("experts.jsonl"));
    let needs: Vec<Need> = read_jsonl(&dir.join("needs.jsonl"));
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let pool = vary(&base, POOL, &mut rng);

    let started = Instant::now();
    let index = ExpertIndex::new(&pool);
    let build = started.elapsed();
    println!("index: {} experts built in {:.0} ms", index.len(), ms(build));

    let none = HashSet::new();
    // Warm-up: the lexicon and the allocator.
    for n in &needs {
        rank_experts(&index, n, &none, Some(20));
    }
    for (label, limit) in
        [("top 20 with explanations (UI, API)", Some(20)), ("all 10,000 with explanations (match eval)", None)]
    {
        let mut samples = Vec::with_capacity(needs.len() * ROUNDS);
        for _ in 0..ROUNDS {
            for n in &needs {
                let t = Instant::now();
                let ranked = rank_experts(&index, n, &none, limit);
                samples.push(t.elapsed());
                assert!(!ranked.is_empty());
            }
        }
        samples.sort_unstable();
        println!(
            "{label}: {} rankings, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            samples.len(),
            ms(percentile(&samples, 50.0)),
            ms(percentile(&samples, 99.0)),
            ms(samples[samples.len() - 1]),
        );
    }
}
