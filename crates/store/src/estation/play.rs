//! Proof of play: ingesting screens' reports (durable before the answer, each play once) and
//! the reports by content, station, town and day, scheduled against played, with reach.

use super::device::DeviceAuth;
use crate::entity::{device, org, play, screen_interrupt, screen_schedule, station};
use crate::{Result, Store};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::estation::manifest::{self, Network};
use kexie_core::estation::play::Play;
use kexie_core::estation::proof::{self, ReachMethod};
use sea_orm::sea_query::{OnConflict, Query};
use sea_orm::{ColumnTrait, Condition, DbBackend, EntityTrait, QueryFilter, QuerySelect, Statement};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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

/// Plays summed per (day, station, media): count, milliseconds, counted audience.
type PlayTotals = (i32, i64, i64, i64, Option<i64>, Option<i64>);

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
        let backend = self.backend();
        let received = crate::now();
        let stmt = if backend == DbBackend::Postgres {
            postgres_insert(who, plays, received)
        } else {
            values_insert(backend, who, plays, received)
        };
        self.screens.telemetry.submit(&self.db, super::telemetry::Job::Plays(stmt)).await
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

    /// The proof-of-play report over local days `from..=to`, broken down `by`.
    pub async fn play_report(&self, actor: &Actor, from: NaiveDate, to: NaiveDate, by: By) -> Result<Report> {
        if !actor.can(Area::Station, Action::View) {
            return Err(crate::StoreError::NotFound);
        }
        let scope = self.station_scope(actor).await?;
        let tree = self.regions().await?;
        let stations: Vec<(station::Model, Option<org::Model>)> =
            station::Entity::find().find_also_related(org::Entity).all(&self.db).await?;
        let stations: HashMap<i64, (station::Model, org::Model)> = stations
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (s.id, (s, o))))
            .filter(|(_, (_, o))| scope.as_ref().is_none_or(|sc| sc.contains(&o.region_id)))
            .collect();
        let rows: Vec<PlayTotals> = play::Entity::find()
            .select_only()
            .column(play::Column::Day)
            .column(play::Column::StationId)
            .column(play::Column::MediaId)
            .column_as(play::Column::Id.count(), "n")
            .column_as(crate::sum_i64(self.backend(), "duration_ms"), "ms")
            .column_as(crate::sum_i64(self.backend(), "audience"), "aud")
            .filter(play::Column::Day.between(day_number(from), day_number(to)))
            .group_by(play::Column::Day)
            .group_by(play::Column::StationId)
            .group_by(play::Column::MediaId)
            .into_tuple()
            .all(&self.db)
            .await?;
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
        let key = |day: i32, station: i64, media: i64| -> (i64, String) {
            match by {
                By::Station => (station, stations.get(&station).map(|(_, o)| o.name.clone()).unwrap_or_default()),
                By::Content => (media, snap.net.media.get(&media).map(|m| m.title.clone()).unwrap_or_default()),
                By::Town => {
                    let t = stations.get(&station).and_then(|(_, o)| tree.town_of(o.region_id));
                    (t.map_or(0, |t| t.id), t.map(|t| t.name.clone()).unwrap_or_default())
                }
                By::Day => (day as i64, day_of_number(day).map(|d| d.to_string()).unwrap_or_default()),
            }
        };
        let mut out: BTreeMap<i64, (ReportRow, bool, bool)> = BTreeMap::new();
        // Scheduled airtime, one screen, per (manifest version, day): stations whose screens
        // are told the same thing share the work.
        let mut memo: HashMap<(String, NaiveDate), BTreeMap<String, f64>> = HashMap::new();
        let mut day = from;
        while day <= to {
            for (sid, (_, _)) in stations.iter() {
                let n = per_station.get(sid).copied().unwrap_or(0);
                if n == 0 {
                    continue;
                }
                let place = snap.places.get(sid).cloned().unwrap_or_default();
                let m = manifest::build(&net, &place, proof::day_start(day), super::POLL_INTERVAL_S);
                let owed = memo.entry((m.version.clone(), day)).or_insert_with(|| proof::scheduled(&m, day));
                for (content, secs) in owed.iter() {
                    let media: i64 = content.parse().unwrap_or(0);
                    let (k, label) = key(day_number(day), *sid, media);
                    let e = out
                        .entry(k)
                        .or_insert_with(|| (ReportRow { key: k, label, ..Default::default() }, false, false));
                    e.0.scheduled_s += secs * n as f64;
                }
            }
            day = day.succ_opt().unwrap_or(to + Duration::days(1));
        }
        for (d, sid, media, n, ms, aud) in rows {
            let Some((s, _)) = stations.get(&sid) else { continue };
            let (k, label) = key(d, sid, media);
            let e = out.entry(k).or_insert_with(|| (ReportRow { key: k, label, ..Default::default() }, false, false));
            let ms = ms.unwrap_or(0);
            let (reach, how) = proof::reach(s.has_counter, aud.unwrap_or(0), ms, s.audience_per_hour);
            e.0.plays += n;
            e.0.played_s += ms as f64 / 1000.0;
            e.0.reach += reach;
            match how {
                ReachMethod::Counted => e.1 = true,
                ReachMethod::Estimated => e.2 = true,
            }
        }
        let mut total = ReportRow { label: "合计".into(), ..Default::default() };
        let (mut any_counted, mut any_estimated) = (false, false);
        let mut rows: Vec<ReportRow> = out
            .into_values()
            .map(|(mut r, counted, estimated)| {
                r.method = method(counted, estimated);
                r.short = proof::short(r.scheduled_s, r.played_s);
                total.plays += r.plays;
                total.played_s += r.played_s;
                total.scheduled_s += r.scheduled_s;
                total.reach += r.reach;
                any_counted |= counted;
                any_estimated |= estimated;
                r
            })
            .collect();
        total.method = method(any_counted, any_estimated);
        total.short = proof::short(total.scheduled_s, total.played_s);
        if by != By::Day {
            rows.sort_by(|a, b| b.plays.cmp(&a.plays).then(a.label.cmp(&b.label)));
        }
        Ok(Report { rows, total })
    }
}

/// Person-times on screens for one schedule entry or interrupt, one day, one town.
#[derive(Debug, Clone)]
pub struct ScreenReach {
    pub schedule_id: Option<i64>,
    pub interrupt_id: Option<i64>,
    pub day: NaiveDate,
    pub town_id: Option<i64>,
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
    /// interrupt), day and town: the outreach figures' screen channel. `of` keeps to the plays
    /// of some entries and interrupts; `None` reads every play of either.
    pub async fn screen_reach(&self, from: NaiveDate, to: NaiveDate, of: Option<&PlaysOf>) -> Result<Vec<ScreenReach>> {
        let tree = self.regions().await?;
        let stations: HashMap<i64, (station::Model, i64)> = station::Entity::find()
            .find_also_related(org::Entity)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (s.id, (s, o.region_id))))
            .collect();
        // (day, station, schedule entry, interrupt, played ms, audience counted)
        type Row = (i32, i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let rows: Vec<Row> = play::Entity::find()
            .select_only()
            .column(play::Column::Day)
            .column(play::Column::StationId)
            .column(play::Column::ScheduleId)
            .column(play::Column::InterruptId)
            .column_as(crate::sum_i64(self.backend(), "duration_ms"), "ms")
            .column_as(crate::sum_i64(self.backend(), "audience"), "aud")
            .filter(play::Column::Day.between(day_number(from), day_number(to)))
            .filter(match of {
                None => Condition::any()
                    .add(play::Column::ScheduleId.is_not_null())
                    .add(play::Column::InterruptId.is_not_null()),
                Some(of) => Condition::any()
                    .add(play::Column::ScheduleId.is_in(of.schedules.iter().copied()))
                    .add(play::Column::InterruptId.is_in(of.interrupts.iter().copied())),
            })
            .group_by(play::Column::Day)
            .group_by(play::Column::StationId)
            .group_by(play::Column::ScheduleId)
            .group_by(play::Column::InterruptId)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(day, sid, schedule_id, interrupt_id, ms, aud)| {
                let (s, region) = stations.get(&sid)?;
                let (reach, how) = proof::reach(s.has_counter, aud.unwrap_or(0), ms.unwrap_or(0), s.audience_per_hour);
                Some(ScreenReach {
                    schedule_id,
                    interrupt_id,
                    day: day_of_number(day)?,
                    town_id: tree.town_of(*region).map(|t| t.id),
                    reach,
                    counted: how == ReachMethod::Counted,
                })
            })
            .collect())
    }
}
