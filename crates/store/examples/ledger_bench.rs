//! The hours-ledger benchmark: "the hours ledger of 100,000 volunteers and 5,000,000 records
//! answers a volunteer's total and a team's yearly report in under 100 ms".
//!
//! Migrates an EMPTY database, loads a generated district (one district, 12 towns, about 2,000
//! volunteer teams, the volunteers with their persons and team places, the ledger), runs
//! `ANALYZE`, then times `Store::volunteer_totals` and `Store::team_year_report` one call at a
//! time, as a page would make them, after an untimed warm-up. Every answer, timed or not, is
//! checked against the totals the generator kept, so a fast wrong answer cannot pass.
//!
//! ```text
//! cargo run --release -p kexie-store --example ledger_bench -- URL \
//!     [--volunteers 100000] [--records 5000000] [--teams 2000] [--seed 2026] [--json]
//! ```
//!
//! URL: `sqlite:///abs/path/kexie.db?mode=rwc`, `postgres://postgres@127.0.0.1:5432/DB`,
//! `mysql://root@127.0.0.1:3306/DB`. Progress goes to stderr, the report (plain text, or JSON
//! with `--json`) to stdout. See `bench/volunteer/README.md`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, SecondsFormat, Utc};
use kexie_core::estation::proof::{day_of, day_start};
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::region::RegionKind;
use kexie_store::entity::{org, region};
use kexie_store::volunteer::Totals;
use kexie_store::{Store, now};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait, Set, Statement,
    TransactionTrait,
};
use std::fmt::Write as _;
use std::time::Instant;

type Error = Box<dyn std::error::Error>;

const TOWNS: [&str; 12] = [
    "西亭镇",
    "二甲镇",
    "东社镇",
    "三余镇",
    "十总镇",
    "骑岸镇",
    "五接镇",
    "平潮镇",
    "平东镇",
    "刘桥镇",
    "石港镇",
    "张芝山镇",
];
const TOPICS: [&str; 8] = ["科普", "应急救护", "助老", "科技助农", "青少年科创", "环保", "防诈宣传", "文明实践"];
const SERVICES: [&str; 8] = [
    "社区科普宣传",
    "科普场馆讲解",
    "青少年科技辅导",
    "应急救护培训",
    "防诈骗宣传",
    "科技助农服务",
    "老年人智能手机教学",
    "科普大篷车进村",
];
const SURNAMES: &str =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN: &str = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌波辉鹏宇浩然欣怡子轩梓涵晨阳佳琪";

/// Rows per INSERT statement and statements per transaction: big enough that the round trips
/// and commits are noise, small enough for every backend's statement and packet limits.
const ROWS_PER_INSERT: usize = 1_000;
const INSERTS_PER_TXN: usize = 200;

/// Calls of each query made before timing, on other random picks (plans, caches, pool).
const WARM_TOTALS: usize = 100;
const WARM_REPORTS: usize = 20;
/// How many of the heaviest volunteers and largest teams every timed run includes: the long
/// tail is what a uniform pick would miss.
const HEAVIEST: usize = 10;

struct Args {
    url: String,
    volunteers: usize,
    records: usize,
    teams: usize,
    seed: u64,
    totals_calls: usize,
    report_calls: usize,
    json: bool,
    reuse: bool,
}

fn parse_args() -> Result<Args, Error> {
    let mut a = Args {
        url: String::new(),
        volunteers: 100_000,
        records: 5_000_000,
        teams: 2_000,
        seed: 2026,
        totals_calls: 1_000,
        report_calls: 200,
        json: false,
        reuse: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut num = |name: &str| -> Result<u64, Error> {
            Ok(it.next().ok_or_else(|| format!("{name} needs a number"))?.replace('_', "").parse()?)
        };
        match arg.as_str() {
            "--volunteers" => a.volunteers = num("--volunteers")? as usize,
            "--records" => a.records = num("--records")? as usize,
            "--teams" => a.teams = num("--teams")? as usize,
            "--seed" => a.seed = num("--seed")?,
            "--totals-calls" => a.totals_calls = num("--totals-calls")? as usize,
            "--report-calls" => a.report_calls = num("--report-calls")? as usize,
            "--json" => a.json = true,
            "--reuse" => a.reuse = true,
            s if !s.starts_with("--") && a.url.is_empty() => a.url = s.to_string(),
            s => return Err(format!("unknown argument {s}").into()),
        }
    }
    if a.url.is_empty() || a.volunteers < HEAVIEST || a.teams < HEAVIEST || a.totals_calls == 0 || a.report_calls == 0 {
        return Err("usage: ledger_bench URL [--volunteers N] [--records N] [--teams N] [--seed N] \
                    [--totals-calls N] [--report-calls N] [--json] [--reuse]"
            .into());
    }
    Ok(a)
}

/// One ledger line as generated; ids are 1-based table ids.
struct Rec {
    volunteer: u32,
    team: u32,
    /// Days after `Ledger::first_day`.
    day: u16,
    minutes: u16,
    status: &'static str,
    source: &'static str,
    training: bool,
}

/// The generated district, kept in memory to write it and to check every answer.
struct Ledger {
    first_day: NaiveDate,
    year: i32,
    /// Per team (index = id - 1): its town (index into TOWNS) and approved members.
    team_town: Vec<usize>,
    team_members: Vec<u32>,
    /// Per volunteer: their town and their one or two teams.
    town: Vec<usize>,
    teams: Vec<(u32, Option<u32>)>,
    /// Sorted by day: the ledger grows in time, so a volunteer's lines are scattered over the
    /// table as in production, not stored side by side.
    records: Vec<Rec>,
    /// Expected answers: approved lines per volunteer (all years) and per team (this year).
    totals: Vec<Totals>,
    team_year: Vec<(i64, i64)>,
}

/// A standard normal draw (Box–Muller), for the log-normal record counts.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

fn generate(a: &Args, today: NaiveDate) -> Ledger {
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let year = today.year();
    let first_day = NaiveDate::from_ymd_opt(year - 2, 1, 1).expect("a date");
    let span = (today - first_day).num_days() as u16 + 1;

    // Team sizes follow a Zipf law (exponent 0.6): with 2,000 teams the largest holds about 2%
    // of the places (some 2,600 volunteers), the median some 40, the smallest some 15.
    let mut cumulative = Vec::with_capacity(a.teams);
    let mut sum = 0.0;
    for rank in 1..=a.teams {
        sum += (rank as f64).powf(-0.6);
        cumulative.push(sum);
    }
    let pick_team = |rng: &mut ChaCha8Rng| {
        let x = rng.random::<f64>() * sum;
        cumulative.partition_point(|&c| c < x).min(a.teams - 1) as u32 + 1
    };
    let team_town: Vec<usize> = (0..a.teams).map(|_| rng.random_range(0..TOWNS.len())).collect();
    let mut team_members = vec![0u32; a.teams];
    let mut town = Vec::with_capacity(a.volunteers);
    let mut teams = Vec::with_capacity(a.volunteers);
    for _ in 0..a.volunteers {
        let first = pick_team(&mut rng);
        // Three in ten serve in a second team.
        let second = rng.random_bool(0.3).then(|| pick_team(&mut rng)).filter(|&t| t != first);
        for t in std::iter::once(first).chain(second) {
            team_members[t as usize - 1] += 1;
        }
        town.push(team_town[first as usize - 1]);
        teams.push((first, second));
    }

    // Lines per volunteer: log-normal (sigma 1) scaled to the exact total, so 50 on average
    // but a long tail (the heaviest have some 40 times that), and a handful with none.
    let weights: Vec<f64> = (0..a.volunteers).map(|_| normal(&mut rng).exp()).collect();
    let total_weight: f64 = weights.iter().sum();
    let mut counts: Vec<usize> = weights.iter().map(|w| (w / total_weight * a.records as f64) as usize).collect();
    for _ in counts.iter().sum::<usize>()..a.records {
        counts[rng.random_range(0..a.volunteers)] += 1;
    }

    let mut records = Vec::with_capacity(a.records);
    let mut totals = vec![Totals::default(); a.volunteers];
    let mut team_year = vec![(0i64, 0i64); a.teams];
    let this_year_from = (NaiveDate::from_ymd_opt(year, 1, 1).expect("a date") - first_day).num_days() as u16;
    for (v, &n) in counts.iter().enumerate() {
        let (first, second) = teams[v];
        for _ in 0..n {
            // Three in four of a two-team volunteer's services are with their first team.
            let team = match second {
                Some(s) if rng.random_bool(0.25) => s,
                _ => first,
            };
            let r = Rec {
                volunteer: v as u32 + 1,
                team,
                day: rng.random_range(0..span),
                minutes: 60 + 30 * rng.random_range(0..=14u16),
                status: match rng.random::<f64>() {
                    x if x < 0.90 => "approved",
                    x if x < 0.97 => "pending",
                    _ => "rejected",
                },
                source: match rng.random::<f64>() {
                    x if x < 0.6 => "checkin",
                    x if x < 0.9 => "staff",
                    _ => "self_logged",
                },
                training: rng.random_bool(0.1),
            };
            if r.status == "approved" {
                let t = &mut totals[v];
                t.minutes += i64::from(r.minutes);
                t.records += 1;
                if r.training {
                    t.training_minutes += i64::from(r.minutes);
                }
                if r.day >= this_year_from {
                    let y = &mut team_year[team as usize - 1];
                    y.0 += i64::from(r.minutes);
                    y.1 += 1;
                }
            }
            records.push(r);
        }
    }
    // Shuffle before the stable sort so that lines of one day are not grouped by volunteer.
    records.shuffle(&mut rng);
    records.sort_by_key(|r| r.day);
    Ledger { first_day, year, team_town, team_members, town, teams, records, totals, team_year }
}

/// A timestamp as the backend's driver writes it, so the application reads these rows as its
/// own (sqlx writes RFC 3339 into SQLite; MariaDB takes no offset).
fn ts(backend: DbBackend, t: DateTime<Utc>) -> String {
    match backend {
        DbBackend::MySql => t.format("%F %T").to_string(),
        _ => t.to_rfc3339_opts(SecondsFormat::Secs, false),
    }
}

/// Writes `n` rows with multi-row INSERTs, `row(i, sql)` appending the values of row `i`.
async fn insert_rows(
    db: &DatabaseConnection,
    table: &str,
    columns: &str,
    n: usize,
    mut row: impl FnMut(usize, &mut String),
) -> Result<(), Error> {
    let started = Instant::now();
    let mut i = 0;
    while i < n {
        let txn = db.begin().await?;
        let txn_end = (i + ROWS_PER_INSERT * INSERTS_PER_TXN).min(n);
        while i < txn_end {
            let end = (i + ROWS_PER_INSERT).min(txn_end);
            let mut sql = format!("INSERT INTO {table} ({columns}) VALUES ");
            for k in i..end {
                sql.push_str(if k == i { "(" } else { ",(" });
                row(k, &mut sql);
                sql.push(')');
            }
            txn.execute_unprepared(&sql).await?;
            i = end;
        }
        txn.commit().await?;
        eprint!("\r  {table}: {i}/{n}");
    }
    eprintln!(" in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// A connection for the load alone: one session, and on SQLite no fsync and a 1 GiB page
/// cache (the indexes are written in random order), settings the application never uses.
async fn load_connection(url: &str) -> Result<DatabaseConnection, Error> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.max_connections(1).min_connections(1).sqlx_logging(false);
    opts.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Off)
            .foreign_keys(true)
            .pragma("cache_size", "-1048576")
    });
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // Only the commit waits for the WAL flush, and the load commits rarely anyway.
        db.execute_unprepared("SET synchronous_commit TO off").await?;
    }
    Ok(db)
}

async fn load(db: &DatabaseConnection, l: &Ledger) -> Result<(), Error> {
    let backend = db.get_database_backend();
    let t = now();
    let stamp = ts(backend, t);

    // The district and its towns, and the teams: few rows, through the entities.
    let txn = db.begin().await?;
    let mut regions = vec![region::ActiveModel {
        id: Set(1),
        code: Set("320612".into()),
        name: Set("通州区".into()),
        kind: Set(RegionKind::District.code().into()),
        parent_id: Set(None),
        path: Set("/1/".into()),
        rev: Set(1),
    }];
    for (i, name) in TOWNS.iter().enumerate() {
        let id = i as i64 + 2;
        regions.push(region::ActiveModel {
            id: Set(id),
            code: Set(format!("320612{:03}", 100 + i)),
            name: Set(name.to_string()),
            kind: Set(RegionKind::Town.code().into()),
            parent_id: Set(Some(1)),
            path: Set(format!("/1/{id}/")),
            rev: Set(1),
        });
    }
    region::Entity::insert_many(regions).exec_without_returning(&txn).await?;
    let team_name =
        |i: usize| format!("{}{}志愿服务队{}", TOWNS[l.team_town[i]], TOPICS[i % TOPICS.len()], i / TOPICS.len() + 1);
    let teams: Vec<org::ActiveModel> = (0..l.team_town.len())
        .map(|i| org::ActiveModel {
            id: Set(i as i64 + 1),
            code: Set(format!("ZYD{:06}", i + 1)),
            name: Set(team_name(i)),
            kind: Set(OrgKind::VolunteerTeam.code().into()),
            status: Set(OrgStatus::Active.code().into()),
            region_id: Set(l.team_town[i] as i64 + 2),
            parent_id: Set(None),
            enterprise_id: Set(None),
            path: Set(format!("/{}/", i + 1)),
            credit_code: Set(None),
            address: Set(None),
            contact_name: Set(None),
            contact_phone: Set(None),
            established_on: Set(None),
            patent_platform_on: Set(None),
            kczg_on: Set(None),
            green_platform_on: Set(None),
            note: Set(None),
            rev: Set(1),
            created_at: Set(t),
            updated_at: Set(t),
        })
        .collect();
    // 500 rows of 22 parameters stay under SQLite's 32,766 bound parameters.
    for chunk in teams.chunks(500) {
        org::Entity::insert_many(chunk.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;

    let surnames: Vec<char> = SURNAMES.chars().collect();
    let given: Vec<char> = GIVEN.chars().collect();
    insert_rows(
        db,
        "person",
        "id, name, gender, phone, id_number, email, region_id, org_id, title, note, created_at, updated_at",
        l.town.len(),
        |i, sql| {
            // Names from the index, not the random stream: the same person on every backend.
            let mut name = String::from(surnames[i % surnames.len()]);
            name.push(given[i / surnames.len() % given.len()]);
            if i % 3 != 0 {
                name.push(given[i / 7 % given.len()]);
            }
            let gender = if i % 2 == 0 { "male" } else { "female" };
            let id = i + 1;
            let town = l.town[i] + 2;
            write!(
                sql,
                "{id},'{name}','{gender}','139{id:08}','3206121990{id:08}',NULL,{town},NULL,NULL,NULL,'{stamp}','{stamp}'"
            )
            .expect("a string");
        },
    )
    .await?;
    insert_rows(
        db,
        "volunteer",
        "id, person_id, region_id, status, skills, availability, source, account_id, verified_at, verified_by, \
         created_at, updated_at",
        l.town.len(),
        |i, sql| {
            let id = i + 1;
            let town = l.town[i] + 2;
            let skill = SERVICES[i % SERVICES.len()];
            write!(
                sql,
                "{id},{id},{town},'verified','{skill}','周末','import',NULL,'{stamp}','staff','{stamp}','{stamp}'"
            )
            .expect("a string");
        },
    )
    .await?;
    let places: Vec<(usize, u32)> =
        l.teams.iter().enumerate().flat_map(|(v, (a, b))| std::iter::once((v, *a)).chain(b.map(|b| (v, b)))).collect();
    insert_rows(
        db,
        "team_member",
        "id, volunteer_id, team_id, status, requested_at, decided_at, decided_by",
        places.len(),
        |i, sql| {
            let (v, team) = places[i];
            write!(sql, "{},{},{team},'approved','{stamp}','{stamp}','staff'", i + 1, v + 1).expect("a string");
        },
    )
    .await?;

    // Per-day strings, computed once: recorded the evening of the day, decided the next.
    let days = (l.records.last().map_or(0, |r| r.day) + 2) as i64;
    let served_on: Vec<String> = (0..days).map(|d| (l.first_day + Duration::days(d)).to_string()).collect();
    let recorded: Vec<String> =
        (0..days).map(|d| ts(backend, day_start(l.first_day + Duration::days(d)) + Duration::hours(18))).collect();
    let team_names: Vec<String> = (0..l.team_town.len()).map(team_name).collect();
    insert_rows(
        db,
        "service_record",
        "id, volunteer_id, team_id, activity_id, registration_id, source, status, served_on, minutes, service, \
         place, training, evaluation, recorded_by, recorder_org, certified_by, decided_by, decided_at, \
         decision_note, created_at",
        l.records.len(),
        |i, sql| {
            let r = &l.records[i];
            let d = r.day as usize;
            let team = r.team as usize - 1;
            let decided = if r.status == "pending" {
                "NULL,NULL".to_string()
            } else {
                format!("'staff','{}'", recorded[d + 1])
            };
            write!(
                sql,
                "{},{},{},NULL,NULL,'{}','{}','{}',{},'{}','{}新时代文明实践站',{},NULL,'staff','{}',NULL,{decided},NULL,'{}'",
                i + 1,
                r.volunteer,
                r.team,
                r.source,
                r.status,
                served_on[d],
                r.minutes,
                SERVICES[i % SERVICES.len()],
                TOWNS[l.team_town[team]],
                if r.training { "TRUE" } else { "FALSE" },
                team_names[team],
                recorded[d],
            )
            .expect("a string");
        },
    )
    .await?;

    if backend == DbBackend::Postgres {
        // Explicit ids leave the sequences at 1; the application's next insert would collide.
        for t in ["region", "org", "person", "volunteer", "team_member", "service_record"] {
            let sql = format!("SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))");
            db.execute_raw(Statement::from_string(backend, sql)).await?;
        }
    }
    Ok(())
}

/// Fresh statistics for the planner, as a maintained database has them. PostgreSQL also gets
/// VACUUM: autovacuum would otherwise start on the new table in the middle of the timing.
async fn analyze(db: &DatabaseConnection) -> Result<(), Error> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.execute_unprepared("ANALYZE").await?;
            // Folds the WAL into the file, so the size below is the database's.
            db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        DbBackend::Postgres => {
            db.execute_unprepared("VACUUM ANALYZE").await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE TABLE region, org, person, volunteer, team_member, service_record").await?;
        }
    }
    Ok(())
}

/// Bytes on disk: the whole database and, where the backend tells cheaply, the ledger table.
async fn sizes(db: &DatabaseConnection) -> Result<(i64, Option<i64>), Error> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => "SELECT page_count * page_size, NULL FROM pragma_page_count(), pragma_page_size()",
        DbBackend::Postgres => "SELECT pg_database_size(current_database()), pg_total_relation_size('service_record')",
        _ => {
            "SELECT CAST(SUM(data_length + index_length) AS SIGNED), \
             CAST(SUM(CASE WHEN table_name = 'service_record' THEN data_length + index_length END) AS SIGNED) \
             FROM information_schema.tables WHERE table_schema = DATABASE()"
        }
    };
    let row = db.query_one_raw(Statement::from_string(backend, sql)).await?.ok_or("no size")?;
    Ok((row.try_get_by_index(0)?, row.try_get_by_index(1)?))
}

#[derive(serde::Serialize)]
struct Stats {
    calls: usize,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    max_ms: f64,
    mean_ms: f64,
}

impl Stats {
    /// Nearest-rank percentiles.
    fn of(ms: &[f64]) -> Stats {
        let mut s = ms.to_vec();
        s.sort_by(f64::total_cmp);
        let at = |p: f64| s[((p / 100.0 * s.len() as f64).ceil() as usize).clamp(1, s.len()) - 1];
        Stats {
            calls: s.len(),
            p50_ms: at(50.0),
            p95_ms: at(95.0),
            p99_ms: at(99.0),
            max_ms: at(100.0),
            mean_ms: s.iter().sum::<f64>() / s.len() as f64,
        }
    }

    fn line(&self, what: &str) -> String {
        format!(
            "{what:<38} {:>5} calls  p50 {:>8.3}  p95 {:>8.3}  p99 {:>8.3}  max {:>8.3}  mean {:>8.3} ms",
            self.calls, self.p50_ms, self.p95_ms, self.p99_ms, self.max_ms, self.mean_ms
        )
    }
}

/// Calls `volunteer_totals` for each pick, checking each answer; the milliseconds of each call.
async fn run_totals(store: &Store, l: &Ledger, picks: &[u32]) -> Result<Vec<f64>, Error> {
    let mut ms = Vec::with_capacity(picks.len());
    for &v in picks {
        let started = Instant::now();
        let got = store.volunteer_totals(i64::from(v)).await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        let want = l.totals[v as usize - 1];
        if got != want {
            return Err(format!("volunteer {v}: got {got:?}, want {want:?}").into());
        }
    }
    Ok(ms)
}

/// Calls `team_year_report` for each pick and this year, checking each answer's sums.
async fn run_reports(store: &Store, l: &Ledger, picks: &[u32]) -> Result<Vec<f64>, Error> {
    let mut ms = Vec::with_capacity(picks.len());
    for &t in picks {
        let started = Instant::now();
        let got = store.team_year_report(i64::from(t), l.year).await?;
        ms.push(started.elapsed().as_secs_f64() * 1e3);
        let want = l.team_year[t as usize - 1];
        if (got.minutes, got.records) != want || got.lines.iter().any(|line| line.name.is_empty()) {
            return Err(format!("team {t}: got ({}, {}), want {want:?}", got.minutes, got.records).into());
        }
    }
    Ok(ms)
}

/// `n` picks from 1..=`max`: the `heavy` ids first, then uniform draws.
fn picks(rng: &mut ChaCha8Rng, heavy: &[u32], n: usize, max: usize) -> Vec<u32> {
    let mut p: Vec<u32> = heavy.iter().copied().take(n).collect();
    while p.len() < n {
        p.push(rng.random_range(1..=max as u32));
    }
    p.shuffle(rng);
    p
}

/// The `HEAVIEST` ids (1-based) with the largest `key`.
fn heaviest<T: Ord>(n: usize, key: impl Fn(usize) -> T) -> Vec<u32> {
    let mut ids: Vec<usize> = (0..n).collect();
    ids.sort_by_key(|&i| std::cmp::Reverse(key(i)));
    ids.into_iter().take(HEAVIEST).map(|i| i as u32 + 1).collect()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let a = parse_args()?;
    let today = day_of(now());

    let store = Store::connect(&a.url).await?;
    let backend = store.backend();
    store.migrate().await?;
    let fresh = store.is_empty().await?;
    if !fresh && !a.reuse {
        return Err("the database is not empty: give ledger_bench a new one".into());
    }
    drop(store);

    eprintln!("generating {} volunteers, {} records, {} teams", a.volunteers, a.records, a.teams);
    let started = Instant::now();
    let l = generate(&a, today);
    let generate_s = started.elapsed().as_secs_f64();

    // --reuse times a database loaded before, on the same day with the same sizes and seed, so
    // that the timing can be repeated without the load; the answer checks catch any other one.
    let (mut insert_s, mut analyze_s) = (None, None);
    if fresh {
        let started = Instant::now();
        let db = load_connection(&a.url).await?;
        load(&db, &l).await?;
        insert_s = Some(started.elapsed().as_secs_f64());
        let started = Instant::now();
        analyze(&db).await?;
        analyze_s = Some(started.elapsed().as_secs_f64());
        db.close().await?;
    }

    // The application's own connection, as `kexie serve` opens it.
    let store = Store::connect(&a.url).await?;
    let (db_bytes, ledger_bytes) = sizes(&store.db).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed + 1);
    let heavy_volunteers = heaviest(a.volunteers, |i| l.totals[i].records);
    let large_teams = heaviest(a.teams, |i| l.team_year[i].1);

    eprintln!("warming up: {WARM_TOTALS} totals, {WARM_REPORTS} reports");
    run_totals(&store, &l, &picks(&mut rng, &[], WARM_TOTALS, a.volunteers)).await?;
    run_reports(&store, &l, &picks(&mut rng, &[], WARM_REPORTS, a.teams)).await?;

    eprintln!("timing: {} totals, {} reports", a.totals_calls, a.report_calls);
    let totals_picks = picks(&mut rng, &heavy_volunteers, a.totals_calls, a.volunteers);
    let totals_ms = run_totals(&store, &l, &totals_picks).await?;
    let report_picks = picks(&mut rng, &large_teams, a.report_calls, a.teams);
    let report_ms = run_reports(&store, &l, &report_picks).await?;
    // The heavy picks' own figures, from the same timed calls.
    let subset = |p: &[u32], ms: &[f64], of: &[u32]| -> Vec<f64> {
        p.iter().zip(ms).filter(|(id, _)| of.contains(id)).map(|(_, m)| *m).collect()
    };
    let totals = Stats::of(&totals_ms);
    let heavy_totals = Stats::of(&subset(&totals_picks, &totals_ms, &heavy_volunteers));
    let reports = Stats::of(&report_ms);
    let large_reports = Stats::of(&subset(&report_picks, &report_ms, &large_teams));

    let approved: i64 = l.totals.iter().map(|t| t.records).sum();
    let heaviest_records = l.totals[heavy_volunteers[0] as usize - 1].records;
    let largest = large_teams[0] as usize - 1;
    let backend_name = format!("{backend:?}").to_lowercase();
    let report = serde_json::json!({
        "backend": backend_name,
        "volunteers": a.volunteers,
        "teams": a.teams,
        "team_places": l.team_members.iter().sum::<u32>(),
        "records": l.records.len(),
        "approved_records": approved,
        "first_day": l.first_day.to_string(),
        "last_day": today.to_string(),
        "year": l.year,
        "heaviest_volunteer_approved_records": heaviest_records,
        "largest_team": {
            "id": largest + 1,
            "members": l.team_members[largest],
            "year_approved_records": l.team_year[largest].1,
        },
        "generate_s": generate_s,
        "insert_s": insert_s,
        "analyze_s": analyze_s,
        "db_bytes": db_bytes,
        "service_record_bytes": ledger_bytes,
        "volunteer_totals": totals,
        "volunteer_totals_heaviest": heavy_totals,
        "team_year_report": reports,
        "team_year_report_largest": large_reports,
    });
    if a.json {
        println!("{report}");
        return Ok(());
    }
    let mib = |b: i64| b as f64 / 1_048_576.0;
    println!(
        "ledger_bench on {backend_name}: {} volunteers in {} teams ({} places), {} records ({approved} approved), {} .. {today}",
        a.volunteers,
        a.teams,
        l.team_members.iter().sum::<u32>(),
        l.records.len(),
        l.first_day
    );
    let load = match (insert_s, analyze_s) {
        (Some(i), Some(an)) => {
            format!("insert {i:.1} s ({:.0} records/s overall), analyze {an:.1} s", l.records.len() as f64 / i)
        }
        _ => "reused the loaded database".to_string(),
    };
    println!(
        "load: generate {generate_s:.1} s, {load}; database {:.0} MiB{}",
        mib(db_bytes),
        ledger_bytes.map(|b| format!(", service_record with its indexes {:.0} MiB", mib(b))).unwrap_or_default()
    );
    println!(
        "heaviest volunteer: {heaviest_records} approved records; largest team this year: id {}, {} members, {} approved records",
        largest + 1,
        l.team_members[largest],
        l.team_year[largest].1
    );
    println!("{}", totals.line("volunteer_totals, random + heaviest"));
    println!("{}", heavy_totals.line(&format!("  calls for the {HEAVIEST} heaviest")));
    println!("{}", reports.line(&format!("team_year_report({}), random + largest", l.year)));
    println!("{}", large_reports.line(&format!("  calls for the {HEAVIEST} largest")));
    Ok(())
}
