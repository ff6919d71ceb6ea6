//! Proof of play: ingesting screens' reports (durable before the answer, each play once) and
//! the reports by content, station, town and day, scheduled against played, with reach.

use super::device::DeviceAuth;
use crate::entity::{device, org, play, play_daily, screen_interrupt, screen_schedule, station};
use crate::{Result, Store};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::estation::daypart::Daypart;
use kexie_core::estation::manifest::{Network, Place};
use kexie_core::estation::play::Play;
use kexie_core::estation::proof::{self, Daily, DailyKey, ReachMethod};
use kexie_core::estation::station::opening;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn day_number(d: NaiveDate) -> i32 {
    d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32
}

pub fn day_of_number(n: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(n / 10_000, (n / 100 % 100) as u32, (n % 100) as u32)
}

/// How a report is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum By {
    #[default]
    Station,
    Content,
    Town,
    Day,
}

impl By {
    pub const ALL: [By; 4] = [By::Station, By::Content, By::Town, By::Day];
    pub fn code(self) -> &'static str {
        match self {
            By::Station => "station",
            By::Content => "content",
            By::Town => "town",
            By::Day => "day",
        }
    }
}

/// One line of a proof-of-play report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ReportRow {
    pub key: i64,
    pub label: String,
    pub plays: i64,
    pub played_s: f64,
    pub scheduled_s: f64,
    pub reach: i64,
    /// "counted", "estimated" or "mixed".
    pub method: &'static str,
    /// Played less than `proof::SHORTFALL` of what was scheduled.
    pub short: bool,
    /// What the reach rests on, where the line is one station's.
    pub basis: Option<proof::Basis>,
    /// Stations on the line whose reach was counted, and estimated.
    pub counted_stations: usize,
    pub estimated_stations: usize,
}

impl ReportRow {
    pub fn share(&self) -> Option<f64> {
        (self.scheduled_s > 0.0).then(|| self.played_s / self.scheduled_s)
    }
}

const COLUMNS: &str = "device_id, play_id, station_id, media_id, schedule_id, interrupt_id, started_at, day, \
                       duration_ms, completed, audience, received_at";

/// One multi-row INSERT. A play sent again is skipped, not an error: the unique
/// (device, play_id) decides (`ON CONFLICT DO NOTHING`, `INSERT IGNORE` on MySQL).
fn values_insert(backend: DbBackend, who: DeviceAuth, plays: &[Play], received: DateTime<Utc>) -> Statement {
    let mut q = Query::insert();
    q.into_table(play::Entity).columns([
        play::Column::DeviceId,
        play::Column::PlayId,
        play::Column::StationId,
        play::Column::MediaId,
        play::Column::ScheduleId,
        play::Column::InterruptId,
        play::Column::StartedAt,
        play::Column::Day,
        play::Column::DurationMs,
        play::Column::Completed,
        play::Column::Audience,
        play::Column::ReceivedAt,
    ]);
    for p in plays {
        q.values_panic([
            who.device_id.into(),
            p.play_id.clone().into(),
            who.station_id.into(),
            p.media.into(),
            p.schedule.into(),
            p.interrupt.into(),
            p.started_at.into(),
            day_number(proof::day_of(p.started_at)).into(),
            p.duration_ms.into(),
            p.completed.into(),
            p.audience.into(),
            received.into(),
        ]);
    }
    if backend == DbBackend::MySql {
        let (sql, values) = q.build(sea_orm::sea_query::MysqlQueryBuilder);
        return Statement::from_sql_and_values(backend, sql.replacen("INSERT INTO", "INSERT IGNORE INTO", 1), values);
    }
    q.on_conflict(OnConflict::columns([play::Column::DeviceId, play::Column::PlayId]).do_nothing().to_owned());
    let (sql, values) = q.build(sea_orm::sea_query::SqliteQueryBuilder);
    Statement::from_sql_and_values(backend, sql, values)
}

/// PostgreSQL plans a statement with thousands of parameters slowly (tens of milliseconds for
/// 500 rows); the batch goes as one JSON parameter expanded by `jsonb_to_recordset` instead.
fn postgres_insert(who: DeviceAuth, plays: &[Play], received: DateTime<Utc>) -> Statement {
    let rows: Vec<serde_json::Value> = plays
        .iter()
        .map(|p| {
            serde_json::json!({
                "device_id": who.device_id, "play_id": p.play_id, "station_id": who.station_id, "media_id": p.media,
                "schedule_id": p.schedule, "interrupt_id": p.interrupt, "started_at": p.started_at,
                "day": day_number(proof::day_of(p.started_at)), "duration_ms": p.duration_ms,
                "completed": p.completed, "audience": p.audience, "received_at": received,
            })
        })
        .collect();
    let sql = format!(
        "INSERT INTO play ({COLUMNS}) SELECT {COLUMNS} FROM jsonb_to_recordset($1::jsonb) AS x(device_id bigint, \
         play_id text, station_id bigint, media_id bigint, schedule_id bigint, interrupt_id bigint, \
         started_at timestamptz, day integer, duration_ms bigint, completed boolean, audience integer, \
         received_at timestamptz) ON CONFLICT (device_id, play_id) DO NOTHING"
    );
    Statement::from_sql_and_values(DbBackend::Postgres, sql, [serde_json::Value::Array(rows).to_string().into()])
}

/// One screen's batch of checked plays, as the telemetry writer carries it.
pub(crate) struct Batch {
    pub who: DeviceAuth,
    pub plays: Vec<Play>,
    pub received: DateTime<Utc>,
}

/// Stores a batch and adds the plays that are new to the daily rollup, in the caller's
/// transaction; returns how many were new. A screen's batches take turns on its device row
/// (SQLite has one writer anyway), so the plays found already stored stay the only ones the
/// insert skips, and a batch sent again adds nothing to the rollup.
pub(crate) async fn store_batch(txn: &DatabaseTransaction, b: &Batch) -> std::result::Result<u64, DbErr> {
    let backend = txn.get_database_backend();
    if backend != DbBackend::Sqlite {
        let lock = Query::select()
            .column(device::Column::Id)
            .from(device::Entity)
            .and_where(device::Column::Id.eq(b.who.device_id))
            .lock_exclusive()
            .to_owned();
        txn.query_all_raw(backend.build(&lock)).await?;
    }
    let stored: HashSet<String> = play::Entity::find()
        .select_only()
        .column(play::Column::PlayId)
        .filter(play::Column::DeviceId.eq(b.who.device_id))
        .filter(play::Column::PlayId.is_in(b.plays.iter().map(|p| p.play_id.clone())))
        .into_tuple::<String>()
        .all(txn)
        .await?
        .into_iter()
        .collect();
    let new: Vec<Play> = b.plays.iter().filter(|p| !stored.contains(&p.play_id)).cloned().collect();
    if new.is_empty() {
        return Ok(0);
    }
    let stmt = if backend == DbBackend::Postgres {
        postgres_insert(b.who, &new, b.received)
    } else {
        values_insert(backend, b.who, &new, b.received)
    };
    let n = txn.execute_raw(stmt).await?.rows_affected();
    let hours: Option<String> = station::Entity::find_by_id(b.who.station_id)
        .select_only()
        .column(station::Column::Hours)
        .into_tuple()
        .one(txn)
        .await?;
    let mut daily = BTreeMap::new();
    proof::roll_up(&mut daily, &opening(hours.as_deref().unwrap_or("")), &new);
    txn.execute_raw(add_to_daily(backend, b.who.station_id, &daily)).await?;
    Ok(n)
}

/// Adds to a station's daily rollup in one statement, each row in key order (so two writers
/// on one station lock rows in the same order) and incremented in place where it exists.
fn add_to_daily(backend: DbBackend, station_id: i64, daily: &BTreeMap<DailyKey, Daily>) -> Statement {
    use play_daily::Column as C;
    let sums = [C::Plays, C::PlayedMs, C::OpenMs, C::Audience];
    let mut q = Query::insert();
    q.into_table(play_daily::Entity)
        .columns([C::Day, C::StationId, C::MediaId, C::ScheduleId, C::InterruptId].into_iter().chain(sums));
    for ((day, media, schedule, interrupt), t) in daily {
        q.values_panic([
            day_number(*day).into(),
            station_id.into(),
            (*media).into(),
            (*schedule).into(),
            (*interrupt).into(),
            t.plays.into(),
            t.played_ms.into(),
            t.open_ms.into(),
            t.audience.into(),
        ]);
    }
    let mut upsert = OnConflict::columns([C::Day, C::StationId, C::MediaId, C::ScheduleId, C::InterruptId]);
    for c in sums {
        let name = sea_orm::IdenStatic::as_str(&c);
        let sum = match backend {
            DbBackend::MySql => format!("{name} + VALUES({name})"),
            _ => format!("play_daily.{name} + excluded.{name}"),
        };
        upsert.value(c, Expr::cust(sum));
    }
    q.on_conflict(upsert.to_owned());
    backend.build(&q)
}

/// Fills the daily rollup from the plays already stored (the migration that adds it).
pub(crate) async fn backfill<C: ConnectionTrait>(db: &C) -> std::result::Result<(), DbErr> {
    let backend = db.get_database_backend();
    let hours: HashMap<i64, Vec<Daypart>> = station::Entity::find()
        .select_only()
        .column(station::Column::Id)
        .column(station::Column::Hours)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, h)| (id, opening(&h)))
        .collect();
    let mut daily: HashMap<i64, BTreeMap<DailyKey, Daily>> = HashMap::new();
    let mut after = 0;
    loop {
        let page = play::Entity::find()
            .filter(play::Column::Id.gt(after))
            .order_by_asc(play::Column::Id)
            .limit(20_000)
            .all(db)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for p in page {
            let open = hours.get(&p.station_id).map_or(&[][..], Vec::as_slice);
            let play = Play {
                play_id: p.play_id,
                media: p.media_id,
                schedule: p.schedule_id,
                interrupt: p.interrupt_id,
                started_at: p.started_at,
                duration_ms: p.duration_ms,
                completed: p.completed,
                audience: p.audience,
            };
            proof::roll_up(daily.entry(p.station_id).or_default(), open, [&play]);
        }
    }
    for (station_id, rows) in daily {
        let rows: Vec<(DailyKey, Daily)> = rows.into_iter().collect();
        for chunk in rows.chunks(500) {
            db.execute_raw(add_to_daily(backend, station_id, &chunk.iter().copied().collect())).await?;
        }
    }
    Ok(())
}

pub struct Report {
    pub rows: Vec<ReportRow>,
    pub total: ReportRow,
}

fn method(counted: bool, estimated: bool) -> &'static str {
    match (counted, estimated) {
        (true, true) => "mixed",
        (true, false) => "counted",
        _ => "estimated",
    }
}

impl Store {
    /// Stores a checked batch in one transaction and commits before returning, so a screen
    /// that sees the answer never resends in vain. Returns how many were new.
    pub async fn ingest_plays(&self, who: DeviceAuth, plays: &[Play]) -> Result<u64> {
        if plays.is_empty() {
            return Ok(0);
        }
        let batch = Batch { who, plays: plays.to_vec(), received: crate::now() };
        self.screens.telemetry.submit(&self.db, super::telemetry::Job::Plays(batch)).await
    }

    /// Plays recorded per screen of a station.
    pub async fn plays_by_device(&self, station_id: i64) -> Result<HashMap<i64, i64>> {
        let rows: Vec<(i64, i64)> = play::Entity::find()
            .select_only()
            .column(play::Column::DeviceId)
            .column_as(play::Column::Id.count(), "n")
            .filter(play::Column::StationId.eq(station_id))
            .group_by(play::Column::DeviceId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The network as it stood over a past range: entries archived or interrupts cancelled
    /// count until then, so "scheduled" is what screens were actually told.
    async fn network_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Network> {
        let snap = self.snapshot().await?;
        let rules = screen_schedule::Entity::find()
            .filter(screen_schedule::Column::ValidTo.gt(from))
            .filter(screen_schedule::Column::ValidFrom.lt(to))
            .all(&self.db)
            .await?
            .into_iter()
            .map(super::rule_of)
            .collect();
        let interrupts = screen_interrupt::Entity::find()
            .filter(screen_interrupt::Column::Until.gt(from))
            .filter(screen_interrupt::Column::StartedAt.lt(to))
            .all(&self.db)
            .await?
            .into_iter()
            .map(super::interrupt_of)
            .collect();
        Ok(Network { media: snap.net.media.clone(), rules, interrupts })
    }

    /// The proof-of-play report over local days `from..=to`, broken down `by`: played from the
    /// daily rollup, scheduled from the entries in force while each station was open.
    pub async fn play_report(&self, actor: &Actor, from: NaiveDate, to: NaiveDate, by: By) -> Result<Report> {
        if !actor.can(Area::Station, Action::View) {
            return Err(crate::StoreError::NotFound);
        }
        let scope = self.station_scope(actor).await?;
        let tree = self.regions().await?;
        let stations: Vec<(station::Model, Option<org::Model>)> =
            station::Entity::find().find_also_related(org::Entity).all(&self.db).await?;
        let stations: HashMap<i64, (station::Model, org::Model, Vec<Daypart>)> = stations
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (s.id, (opening(&s.hours), s, o))))
            .filter(|(_, (_, _, o))| scope.as_ref().is_none_or(|sc| sc.contains(&o.region_id)))
            .map(|(id, (open, s, o))| (id, (s, o, open)))
            .collect();
        // Summed only as finely as the breakdown needs: a year of a thousand stations by
        // station is a thousand rows.
        use play_daily::Column as C;
        let backend = self.backend();
        let mut q = play_daily::Entity::find().select_only();
        q = if by == By::Day { q.column(C::Day) } else { q.column_as(Expr::val(0i32), "day") };
        q = q.column(C::StationId);
        q = if by == By::Content { q.column(C::MediaId) } else { q.column_as(Expr::val(0i64), "media") };
        let mut q = q
            .column_as(crate::sum_i64(backend, "plays"), "n")
            .column_as(crate::sum_i64(backend, "played_ms"), "ms")
            .column_as(crate::sum_i64(backend, "open_ms"), "open")
            .column_as(crate::sum_i64(backend, "audience"), "aud")
            .filter(C::Day.between(day_number(from), day_number(to)))
            .group_by(C::StationId);
        if by == By::Day {
            q = q.group_by(C::Day);
        }
        if by == By::Content {
            q = q.group_by(C::MediaId);
        }
        type Summed = (i32, i64, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let rows: Vec<Summed> = q.into_tuple().all(&self.db).await?;
        let snap = self.snapshot().await?;
        let start = proof::day_start(from);
        let end = proof::day_start(to) + Duration::days(1);
        let net = self.network_between(start, end).await?;
        // Screens per station: what a station owes is what one screen owes times its screens.
        let screens: Vec<i64> = device::Entity::find()
            .select_only()
            .column(device::Column::StationId)
            .filter(device::Column::RevokedAt.is_null())
            .filter(device::Column::EnrolledAt.is_not_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut per_station: HashMap<i64, i64> = HashMap::new();
        for s in screens {
            *per_station.entry(s).or_default() += 1;
        }
        let town: HashMap<i64, Option<i64>> =
            stations.iter().map(|(id, (_, o, _))| (*id, tree.town_of(o.region_id).map(|t| t.id))).collect();
        let key = |day: i32, station: i64, media: i64| -> i64 {
            match by {
                By::Station => station,
                By::Content => media,
                By::Town => town.get(&station).copied().flatten().unwrap_or(0),
                By::Day => day as i64,
            }
        };
        let label = |k: i64| -> String {
            match by {
                By::Station => stations.get(&k).map(|(_, o, _)| o.name.clone()),
                By::Content => snap.net.media.get(&k).map(|m| m.title.clone()),
                By::Town => tree.get(k).map(|t| t.name.clone()),
                By::Day => day_of_number(k as i32).map(|d| d.to_string()),
            }
            .unwrap_or_default()
        };
        let mut out: BTreeMap<i64, Acc> = BTreeMap::new();
        // Stations told the same thing (the same entries and interrupts reach them) with the
        // same hours owe the same: their airtime is summed once per group, by day or content
        // where the breakdown needs it, then given to each station times its screens.
        type Told = (Vec<i64>, Vec<i64>, Vec<Daypart>);
        let mut groups: HashMap<Told, (Place, Vec<(i64, i64)>)> = HashMap::new();
        for (sid, (_, _, open)) in stations.iter() {
            let Some(n) = per_station.get(sid).copied() else { continue };
            let place = snap.places.get(sid).cloned().unwrap_or_default();
            let rules = net.rules.iter().filter(|r| r.target.reaches(&place)).map(|r| r.id).collect();
            let interrupts = net.interrupts.iter().filter(|i| i.target.reaches(&place)).map(|i| i.id).collect();
            groups.entry((rules, interrupts, open.clone())).or_insert_with(|| (place, Vec::new())).1.push((*sid, n));
        }
        let mut airtime = proof::Airtime::new(&net, super::POLL_INTERVAL_S);
        for ((_, _, open), (place, members)) in &groups {
            let mut owed: HashMap<(i32, i64), f64> = HashMap::new();
            let mut day = from;
            while day <= to {
                for (content, secs) in airtime.owed(place, open, day) {
                    let d = if by == By::Day { day_number(day) } else { 0 };
                    let media = if by == By::Content { content.parse().unwrap_or(0) } else { 0 };
                    *owed.entry((d, media)).or_default() += secs;
                }
                day = day.succ_opt().unwrap_or(to + Duration::days(1));
            }
            for (sid, n) in members {
                for ((d, media), secs) in &owed {
                    let k = key(*d, *sid, *media);
                    out.entry(k).or_insert_with(|| Acc::new(k, label(k))).row.scheduled_s += secs * *n as f64;
                }
            }
        }
        for (d, sid, media, n, ms, open_ms, aud) in rows {
            let Some((s, _, open)) = stations.get(&sid) else { continue };
            let k = key(d, sid, media);
            let e = out.entry(k).or_insert_with(|| Acc::new(k, label(k)));
            let (reach, how) = proof::reach(s.has_counter, aud.unwrap_or(0), open_ms.unwrap_or(0), s.audience_per_hour);
            e.row.plays += n.unwrap_or(0);
            e.row.played_s += ms.unwrap_or(0) as f64 / 1000.0;
            e.row.reach += reach;
            e.stations.insert(sid, proof::basis(s.has_counter, open, s.audience_per_hour));
            debug_assert_eq!(how, e.stations[&sid].method);
        }
        let mut total = Acc::new(0, "合计".into());
        let mut rows: Vec<ReportRow> = out
            .into_values()
            .map(|a| {
                total.row.plays += a.row.plays;
                total.row.played_s += a.row.played_s;
                total.row.scheduled_s += a.row.scheduled_s;
                total.row.reach += a.row.reach;
                total.stations.extend(a.stations.iter().map(|(k, v)| (*k, v.clone())));
                a.finish()
            })
            .collect();
        if by != By::Day {
            rows.sort_by(|a, b| b.plays.cmp(&a.plays).then(a.label.cmp(&b.label)));
        }
        Ok(Report { rows, total: total.finish() })
    }
}

/// A report line as it is summed, with the stations whose plays it holds.
struct Acc {
    row: ReportRow,
    stations: HashMap<i64, proof::Basis>,
}

impl Acc {
    fn new(key: i64, label: String) -> Self {
        Acc { row: ReportRow { key, label, ..Default::default() }, stations: HashMap::new() }
    }

    fn finish(mut self) -> ReportRow {
        let counted = self.stations.values().filter(|b| b.method == ReachMethod::Counted).count();
        let estimated = self.stations.len() - counted;
        let r = &mut self.row;
        r.method = method(counted > 0, estimated > 0);
        r.short = proof::short(r.scheduled_s, r.played_s);
        r.counted_stations = counted;
        r.estimated_stations = estimated;
        if self.stations.len() == 1 {
            r.basis = self.stations.into_values().next();
        }
        self.row
    }
}

/// Person-times on screens for one content as one schedule entry or interrupt put it there, at
/// one station, over a range of days.
#[derive(Debug, Clone)]
pub struct ScreenReach {
    pub schedule_id: Option<i64>,
    pub interrupt_id: Option<i64>,
    pub media_id: i64,
    pub town_id: Option<i64>,
    pub plays: i64,
    pub reach: i64,
    pub counted: bool,
}

/// The schedule entries and interrupts whose plays `screen_reach` reads.
#[derive(Debug, Clone, Default)]
pub struct PlaysOf {
    pub schedules: Vec<i64>,
    pub interrupts: Vec<i64>,
}

impl Store {
    /// Screens' reach over local days `from..=to` by what was played (schedule entry or
    /// interrupt), content and station, read from the daily rollup: the outreach figures'
    /// screen channel. `of` keeps to the plays of some entries and interrupts; `None` reads
    /// every play that either put on the screens.
    pub async fn screen_reach(&self, from: NaiveDate, to: NaiveDate, of: Option<&PlaysOf>) -> Result<Vec<ScreenReach>> {
        use play_daily::Column as C;
        let tree = self.regions().await?;
        let stations: HashMap<i64, (station::Model, i64)> = station::Entity::find()
            .find_also_related(org::Entity)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (s.id, (s, o.region_id))))
            .collect();
        let backend = self.backend();
        // (station, schedule entry, interrupt, content, plays, open ms, audience counted)
        type Row = (i64, i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);
        let rows: Vec<Row> = play_daily::Entity::find()
            .select_only()
            .column(C::StationId)
            .column(C::ScheduleId)
            .column(C::InterruptId)
            .column(C::MediaId)
            .column_as(crate::sum_i64(backend, "plays"), "n")
            .column_as(crate::sum_i64(backend, "open_ms"), "open")
            .column_as(crate::sum_i64(backend, "audience"), "aud")
            .filter(C::Day.between(day_number(from), day_number(to)))
            .filter(match of {
                None => Condition::any().add(C::ScheduleId.ne(0)).add(C::InterruptId.ne(0)),
                Some(of) => Condition::any()
                    .add(C::ScheduleId.is_in(of.schedules.iter().copied()))
                    .add(C::InterruptId.is_in(of.interrupts.iter().copied())),
            })
            .group_by(C::StationId)
            .group_by(C::ScheduleId)
            .group_by(C::InterruptId)
            .group_by(C::MediaId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(sid, schedule_id, interrupt_id, media_id, n, open, aud)| {
                let (s, region) = stations.get(&sid)?;
                let (reach, how) =
                    proof::reach(s.has_counter, aud.unwrap_or(0), open.unwrap_or(0), s.audience_per_hour);
                Some(ScreenReach {
                    schedule_id: (schedule_id != 0).then_some(schedule_id),
                    interrupt_id: (interrupt_id != 0).then_some(interrupt_id),
                    media_id,
                    town_id: tree.town_of(*region).map(|t| t.id),
                    plays: n.unwrap_or(0),
                    reach,
                    counted: how == ReachMethod::Counted,
                })
            })
            .collect())
    }
}
