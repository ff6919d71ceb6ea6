//! Screens: added to a station with a single-use enrolment code, enrolled by the device API
//! (which gives them a bearer token), revoked, and kept current by heartbeats.

use super::station::health_of;
use crate::entity::{device, enrollment_code, org, station};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::estation::code;
use kexie_core::estation::station::Health;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// How long an enrolment code stays usable.
pub const CODE_DAYS: i64 = 7;

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// What the device API knows about the caller once its token is checked.
#[derive(Debug, Clone, Copy)]
pub struct DeviceAuth {
    pub device_id: i64,
    pub station_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeviceRow {
    pub id: i64,
    pub station_id: i64,
    pub name: String,
    pub health: Health,
    pub hardware_id: Option<String>,
    pub model: Option<String>,
    pub resolution: Option<String>,
    pub app_version: Option<String>,
    pub last_seen_at: Option<DateTime<Utc>>,
    pub acked_version: Option<String>,
    /// Holds the station's current manifest with every file cached.
    pub up_to_date: bool,
    pub cached_all: bool,
    pub free_disk_mb: Option<i64>,
    pub synced_at: Option<DateTime<Utc>>,
}

/// A code issued to an administrator, shown once.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedCode {
    pub device_id: i64,
    pub code: String,
    pub expires_at: DateTime<Utc>,
}

/// What enrolment answers, in the contract's terms.
#[derive(Debug, Clone, Serialize)]
pub struct Enrolled {
    pub device_id: i64,
    pub token: String,
    pub station_id: i64,
    pub station_name: String,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EnrolInput {
    pub code: String,
    pub hardware_id: String,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub resolution: Option<String>,
    #[serde(default)]
    pub app_version: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Heartbeat {
    #[serde(default)]
    pub manifest_version: Option<String>,
    #[serde(default)]
    pub cached: Vec<String>,
    #[serde(default)]
    pub playing: Option<String>,
    #[serde(default)]
    pub free_disk_mb: Option<i64>,
    #[serde(default)]
    pub uptime_s: Option<i64>,
    #[serde(default)]
    pub app_version: Option<String>,
}

fn clip(s: Option<String>, n: usize) -> Option<String> {
    s.map(|s| s.chars().take(n).collect())
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl Store {
    pub(crate) fn device_row(d: device::Model, current: Option<&str>, t: DateTime<Utc>) -> DeviceRow {
        let health = health_of(&d, t);
        let up_to_date = d.cached_all && current.is_some() && d.acked_version.as_deref() == current;
        DeviceRow {
            id: d.id,
            station_id: d.station_id,
            name: d.name,
            health,
            hardware_id: d.hardware_id,
            model: d.model,
            resolution: d.resolution,
            app_version: d.app_version,
            last_seen_at: d.last_seen_at,
            acked_version: d.acked_version,
            up_to_date,
            cached_all: d.cached_all,
            free_disk_mb: d.free_disk_mb,
            synced_at: d.synced_at,
        }
    }

    /// A station's screens with their health, newest first.
    pub async fn station_devices(&self, actor: &Actor, station_id: i64) -> Result<Vec<DeviceRow>> {
        self.get_station(actor, station_id).await?;
        let current = self.manifest(station_id).await?.manifest.version.clone();
        let t = now();
        Ok(device::Entity::find()
            .filter(device::Column::StationId.eq(station_id))
            .order_by_desc(device::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| Self::device_row(d, Some(&current), t))
            .collect())
    }

    /// Adds a screen to a station and issues its enrolment code.
    pub async fn add_screen(&self, actor: &Actor, station_id: i64, name: &str) -> Result<IssuedCode> {
        if !actor.can(Area::Station, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let s = self.get_station(actor, station_id).await?;
        let name = match name.trim() {
            "" => format!("{}屏{}", s.name.trim_end_matches("科普e站"), s.screens.total + 1),
            n => n.chars().take(50).collect(),
        };
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let d = device::ActiveModel {
            station_id: Set(station_id),
            name: Set(name),
            cached_all: Set(false),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "device", Some(d.id), None::<&()>, Some(&d)).await?;
        let issued = issue_code(&txn, &mut chain, actor, d.id).await?;
        self.commit(txn, chain).await?;
        Ok(issued)
    }

    /// A fresh code for an existing screen (a replaced player, a lost token).
    pub async fn new_code(&self, actor: &Actor, device_id: i64) -> Result<IssuedCode> {
        let d = self.device_in_scope(actor, device_id).await?;
        if d.revoked_at.is_some() {
            return Err(Invalid::one("device", "device_revoked").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let issued = issue_code(&txn, &mut chain, actor, device_id).await?;
        self.commit(txn, chain).await?;
        Ok(issued)
    }

    async fn device_in_scope(&self, actor: &Actor, device_id: i64) -> Result<device::Model> {
        if !actor.can(Area::Station, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let d = device::Entity::find_by_id(device_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        self.get_station(actor, d.station_id).await?;
        Ok(d)
    }

    /// The station a screen the caller may see belongs to.
    pub async fn device_station(&self, actor: &Actor, device_id: i64) -> Result<i64> {
        let d = device::Entity::find_by_id(device_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        self.get_station(actor, d.station_id).await?;
        Ok(d.station_id)
    }

    /// Revokes a screen: its token stops working at once, its history stays.
    pub async fn revoke_screen(&self, actor: &Actor, device_id: i64) -> Result<i64> {
        let before = self.device_in_scope(actor, device_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: device::ActiveModel = before.clone().into();
        am.revoked_at = Set(Some(now()));
        am.token_hash = Set(None);
        let after = am.update(&txn).await?;
        enrollment_code::Entity::update_many()
            .col_expr(enrollment_code::Column::UsedAt, Expr::value(now()))
            .filter(enrollment_code::Column::DeviceId.eq(device_id))
            .filter(enrollment_code::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        chain.record(&txn, actor, "revoke", "device", Some(device_id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        self.screens.revoke(device_id);
        Ok(before.station_id)
    }

    /// Enrols a screen with a code. Unknown, used and expired codes are all the same refusal.
    pub async fn enrol(&self, input: &EnrolInput) -> Result<Enrolled> {
        let hardware_id = input.hardware_id.trim();
        if hardware_id.is_empty() || hardware_id.len() > 100 {
            return Err(Invalid::one("hardware_id", "required").into());
        }
        let hash = sha256_hex(&code::normalize(&input.code));
        let t = now();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let refused = || StoreError::Invalid(Invalid::one("code", "invalid_enrollment_code"));
        let c = enrollment_code::Entity::find()
            .filter(enrollment_code::Column::CodeHash.eq(hash))
            .one(&txn)
            .await?
            .filter(|c| c.used_at.is_none() && c.expires_at > t)
            .ok_or_else(refused)?;
        let before = device::Entity::find_by_id(c.device_id).one(&txn).await?.ok_or_else(refused)?;
        if before.revoked_at.is_some() {
            return Err(refused());
        }
        let used = enrollment_code::Entity::update_many()
            .col_expr(enrollment_code::Column::UsedAt, Expr::value(t))
            .filter(enrollment_code::Column::Id.eq(c.id))
            .filter(enrollment_code::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(refused());
        }
        // The same player enrolled before under another screen record: that record's token
        // goes, so one piece of hardware holds one identity.
        let system = Actor::system("device");
        let mut replaced = Vec::new();
        for other in device::Entity::find()
            .filter(device::Column::HardwareId.eq(hardware_id))
            .filter(device::Column::Id.ne(before.id))
            .filter(device::Column::TokenHash.is_not_null())
            .all(&txn)
            .await?
        {
            let mut am: device::ActiveModel = other.clone().into();
            am.token_hash = Set(None);
            am.revoked_at = Set(Some(t));
            let after = am.update(&txn).await?;
            chain.record(&txn, &system, "replace", "device", Some(other.id), Some(&other), Some(&after)).await?;
            replaced.push(other.id);
        }
        let token = random_token();
        let mut am: device::ActiveModel = before.clone().into();
        am.token_hash = Set(Some(sha256_hex(&token)));
        am.hardware_id = Set(Some(hardware_id.to_string()));
        am.model = Set(clip(input.model.clone(), 50));
        am.resolution = Set(clip(input.resolution.clone(), 20));
        am.app_version = Set(clip(input.app_version.clone(), 20));
        am.enrolled_at = Set(Some(t));
        am.last_seen_at = Set(Some(t));
        am.acked_version = Set(None);
        am.synced_at = Set(None);
        am.cached_all = Set(false);
        let after = am.update(&txn).await?;
        let mut shown = after.clone();
        shown.token_hash = None;
        chain.record(&txn, &system, "enroll", "device", Some(after.id), None::<&()>, Some(&shown)).await?;
        let (_, o) = station::Entity::find_by_id(after.station_id)
            .find_also_related(org::Entity)
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.commit(txn, chain).await?;
        self.screens.forget_device(before.id);
        for d in replaced {
            self.screens.revoke(d);
        }
        Ok(Enrolled {
            device_id: after.id,
            token,
            station_id: after.station_id,
            station_name: o.map(|o| o.name).unwrap_or_default(),
        })
    }

    /// The screen a bearer token belongs to: one indexed read, then held in memory for a few
    /// seconds (this node forgets at once when it revokes or enrols).
    pub async fn device_by_token(&self, token: &str) -> Result<Option<DeviceAuth>> {
        let hash = sha256_hex(token);
        if let Some(a) = self.screens.token(&hash) {
            return Ok(Some(a));
        }
        let d = device::Entity::find()
            .filter(device::Column::TokenHash.eq(hash.as_str()))
            .filter(device::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?;
        let a = d.map(|d| DeviceAuth { device_id: d.id, station_id: d.station_id });
        if let Some(a) = a {
            self.screens.remember_token(hash, a);
        }
        Ok(a)
    }

    /// Records a heartbeat: last seen, the version acknowledged, whether every file of the
    /// current manifest is cached. Returns the station's current version.
    pub async fn heartbeat(&self, who: DeviceAuth, hb: &Heartbeat) -> Result<String> {
        let built = self.manifest(who.station_id).await?;
        let current = &built.manifest.version;
        let cached: HashSet<&str> = hb.cached.iter().map(String::as_str).collect();
        let cached_all = built.manifest.items.iter().all(|i| cached.contains(i.sha256.as_str()));
        let beat = super::telemetry::Beat {
            device: who.device_id,
            at: now(),
            acked_version: clip(hb.manifest_version.clone(), 40),
            cached_all,
            playing: clip(hb.playing.clone(), 40),
            free_disk_mb: hb.free_disk_mb,
            uptime_s: hb.uptime_s,
            app_version: clip(hb.app_version.clone(), 20),
            synced: cached_all && hb.manifest_version.as_deref() == Some(current.as_str()),
        };
        self.screens.telemetry.submit(&self.db, super::telemetry::Job::Beat(beat)).await?;
        Ok(current.clone())
    }

    /// Screens not heard from for more than `hours`, across the caller's stations.
    pub async fn offline_screens(&self, actor: &Actor, hours: i64) -> Result<Vec<(DeviceRow, String)>> {
        self.station_condition(actor).await?;
        let cutoff = now() - Duration::hours(hours.max(0));
        let rows = device::Entity::find()
            .filter(device::Column::RevokedAt.is_null())
            .filter(device::Column::LastSeenAt.lt(cutoff))
            .order_by_asc(device::Column::LastSeenAt)
            .all(&self.db)
            .await?;
        let scope = self.station_scope(actor).await?;
        let names = self.station_names().await?;
        let t = now();
        Ok(rows
            .into_iter()
            .filter_map(|d| {
                let (name, region) = names.get(&d.station_id)?.clone();
                if scope.as_ref().is_some_and(|s| !s.contains(&region)) {
                    return None;
                }
                Some((Self::device_row(d, None, t), name))
            })
            .collect())
    }

    /// Every station's name and region, for lists that span stations.
    pub async fn station_names(&self) -> Result<std::collections::HashMap<i64, (String, i64)>> {
        Ok(station::Entity::find()
            .find_also_related(org::Entity)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (s.id, (o.name, o.region_id))))
            .collect())
    }
}

async fn issue_code(
    txn: &sea_orm::DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    device_id: i64,
) -> Result<IssuedCode> {
    let mut b = [0u8; 8];
    rand::rng().fill_bytes(&mut b);
    let code = code::format(b);
    let expires_at = now() + Duration::days(CODE_DAYS);
    let c = enrollment_code::ActiveModel {
        device_id: Set(device_id),
        code_hash: Set(sha256_hex(&code::normalize(&code))),
        expires_at: Set(expires_at),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, "issue_code", "device", Some(device_id), None::<&()>, Some(&c.id)).await?;
    Ok(IssuedCode { device_id, code, expires_at })
}
