//! The proof-of-play benchmark: "a year's report answers fast at district size and beyond, and
//! keeping the daily rollup costs ingestion little".
//!
//! Migrates the database and, if it is empty, loads the demo district with its year of proof of play at
//! `--scale` (1: the district's 112 stations; 9: 1,008), timing the load. Then times
//! `Store::play_report` over the last 366 days by station, content, town and day (median of
//! `--runs`, after an untimed warm-up), and a week by station. Last, ingestion: `--batches`
//! batches of 500 new plays through `Store::ingest_plays` (duplicate check, insert, rollup, one
//! transaction each) against the same number inserted into `play` alone, one transaction per
//! batch; the rollup is checked to hold every ingested play.
//!
//! ```text
//! cargo run --release -p kexie-store --example play_report_bench -- URL [--scale 1] [--runs 5] [--batches 100]
//! ```
//!
//! URL: `sqlite:///abs/path/bench.db?mode=rwc`, `postgres://postgres@127.0.0.1:5432/DB`,
//! `mysql://root@127.0.0.1:3306/DB`. See `bench/estation/report.sh`.

use chrono::{Duration, Utc};
use kexie_core::account::Actor;
use kexie_core::estation::play::Play;
use kexie_core::estation::proof;
use kexie_store::Store;
use kexie_store::entity::{play, play_daily};
use kexie_store::estation::device::DeviceAuth;
use kexie_store::estation::play::By;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait};
use std::time::{Duration as Elapsed, Instant};

type Error = Box<dyn std::error::Error>;

fn arg(name: &str, default: u32) -> u32 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn ms(d: Elapsed) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Elapsed>) -> Elapsed {
    v.sort();
    v[v.len() / 2]
}

fn batch(run: i64, k: u32, media: i64, schedule: i64) -> Vec<Play> {
    let start = proof::day_start(proof::day_of(Utc::now()) - Duration::days(1)) + Duration::hours(2);
    (0..500)
        .map(|i| Play {
            play_id: format!("bench-{run}-{k}-{i}"),
            media,
            schedule: Some(schedule),
            interrupt: None,
            started_at: start + Duration::seconds(i64::from(k) * 500 + i),
            duration_ms: 15_000,
            completed: true,
            audience: None,
        })
        .collect()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let url = std::env::args().nth(1).ok_or("usage: play_report_bench URL [--scale N] [--runs N] [--batches N]")?;
    let (scale, runs, batches) = (arg("--scale", 1), arg("--runs", 5), arg("--batches", 100));
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let t = Instant::now();
    // A database the benchmark loaded before is used again as it is.
    if store.is_empty().await? {
        let d = kexie_core::demo::generate(scale, 2026);
        store.load_demo_with(&d, "x", None, true, &mut |_, _, _| {}).await?;
    }
    let load = t.elapsed();
    if store.backend() != sea_orm::DbBackend::MySql {
        store.db.execute_unprepared("ANALYZE").await?;
    }
    let stations = kexie_store::entity::station::Entity::find().count(&store.db).await?;
    let rollup_rows = play_daily::Entity::find().count(&store.db).await?;
    println!(
        "backend {:?}, scale {scale}: {stations} stations, {rollup_rows} rollup rows, demo loaded in {:.1} s",
        store.backend(),
        load.as_secs_f64()
    );
    let actor = Actor::system("bench");
    let to = proof::day_of(Utc::now()) - Duration::days(1);
    let year = to - Duration::days(365);
    for (label, from, by) in [
        ("year by station", year, By::Station),
        ("year by content", year, By::Content),
        ("year by town", year, By::Town),
        ("year by day", year, By::Day),
        ("week by station", to - Duration::days(6), By::Station),
    ] {
        let report = store.play_report(&actor, from, to, by).await?;
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            store.play_report(&actor, from, to, by).await?;
            times.push(t.elapsed());
        }
        let short = report.rows.iter().filter(|r| r.short).count();
        println!(
            "{label}: median {} (min {}), {} rows, {short} short, {} plays",
            ms(median(times.clone())),
            ms(*times.iter().min().unwrap()),
            report.rows.len(),
            report.total.plays
        );
    }
    // Ingestion: one screen's batches, with the rollup and without.
    let who = DeviceAuth { device_id: 1, station_id: 1 };
    // Fresh play ids on every run, so a database used again still takes them as new.
    let run = Utc::now().timestamp();
    let sample = play::Entity::find().one(&store.db).await?.ok_or("the demo holds plays")?;
    let (media, schedule) = (sample.media_id, sample.schedule_id.unwrap_or(0));
    let before: i64 = play_daily::Entity::find().all(&store.db).await?.iter().map(|r| r.plays).sum();
    let t = Instant::now();
    for k in 0..batches {
        store.ingest_plays(who, &batch(run, k, media, schedule)).await?;
    }
    let with = t.elapsed();
    let after: i64 = play_daily::Entity::find().all(&store.db).await?.iter().map(|r| r.plays).sum();
    assert_eq!(after - before, i64::from(batches) * 500, "the rollup holds every ingested play");
    let t = Instant::now();
    for k in 0..batches {
        let rows = batch(run, k + batches, media, schedule).into_iter().map(|p| play::ActiveModel {
            device_id: Set(2),
            play_id: Set(p.play_id),
            station_id: Set(2),
            media_id: Set(p.media),
            schedule_id: Set(p.schedule),
            interrupt_id: Set(None),
            started_at: Set(p.started_at),
            day: Set(kexie_store::estation::play::day_number(proof::day_of(p.started_at))),
            duration_ms: Set(p.duration_ms),
            completed: Set(true),
            audience: Set(None),
            received_at: Set(Utc::now()),
            ..Default::default()
        });
        let txn = store.db.begin().await?;
        play::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        txn.commit().await?;
    }
    let without = t.elapsed();
    let rate = |d: Elapsed| f64::from(batches * 500) / d.as_secs_f64();
    println!(
        "ingestion, {batches} batches of 500 one after another: with rollup {:.0} plays/s ({} a batch), play table alone {:.0} plays/s ({} a batch)",
        rate(with),
        ms(with / batches),
        rate(without),
        ms(without / batches)
    );
    Ok(())
}
