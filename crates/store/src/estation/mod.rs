//! 科普e站 storage: stations and groups, screens and their enrolment, the media library,
//! schedules and interrupts, delivery receipts and proof of play. What screens play is held in
//! memory (`Screens`): the network as one snapshot and each station's manifest, rebuilt when
//! the change log moves or time alone changes a manifest; a watch channel tells every
//! connected screen at once.

pub mod content;
pub(crate) mod demo;
pub mod device;
pub mod play;
pub mod station;
mod telemetry;

use crate::entity::{
    estation_change, media, org, screen_interrupt, screen_schedule, station as station_row, station_group,
    station_group_member,
};
use crate::{Result, Store};
use chrono::{DateTime, Utc};
use kexie_core::account::Actor;
use kexie_core::estation::manifest::{self, Interrupt, Manifest, Media, Network, Place, Rule, Target};
use kexie_core::scope::Scope;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

/// How long a checked token is believed without asking the database again: a revocation on
/// another node takes effect here within this time.
const TOKEN_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// Seconds between a screen's polls and heartbeats, sent in every manifest.
pub const POLL_INTERVAL_S: u32 = 60;

/// The network as screens see it, at one moment.
pub struct Snapshot {
    pub net: Network,
    pub places: HashMap<i64, Place>,
    pub media_by_sha: HashMap<String, (i64, String)>,
}

/// One station's manifest, serialised once for every screen that asks.
pub struct Built {
    pub manifest: Manifest,
    pub json: Arc<str>,
    pub etag: String,
}

/// What screens play, in memory; see the module note.
pub struct Screens {
    snapshot: RwLock<Option<Arc<Snapshot>>>,
    manifests: RwLock<HashMap<i64, Arc<Built>>>,
    /// Moves on every invalidation: what was built from an older generation is not kept.
    generation: std::sync::atomic::AtomicU64,
    /// The highest change-log id this node has applied.
    seen: AtomicI64,
    changed: tokio::sync::watch::Sender<u64>,
    tokens: RwLock<HashMap<String, (device::DeviceAuth, Instant)>>,
    telemetry: telemetry::Telemetry,
    /// Screens revoked or replaced on this node while it runs: their event streams end.
    revoked: RwLock<HashSet<i64>>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Default for Screens {
    fn default() -> Self {
        Self {
            snapshot: RwLock::new(None),
            manifests: RwLock::default(),
            generation: Default::default(),
            seen: AtomicI64::new(-1),
            changed: tokio::sync::watch::Sender::new(0),
            tokens: RwLock::default(),
            telemetry: Default::default(),
            revoked: RwLock::default(),
            refreshing: Default::default(),
        }
    }
}

impl Screens {
    /// Drops what is held and wakes every connected screen to look again.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        *self.snapshot.write().expect("screens lock") = None;
        self.manifests.write().expect("screens lock").clear();
        self.changed.send_modify(|v| *v += 1);
    }

    fn token(&self, hash: &str) -> Option<device::DeviceAuth> {
        let held = self.tokens.read().expect("screens lock");
        held.get(hash).filter(|(_, at)| at.elapsed() < TOKEN_TTL).map(|(a, _)| *a)
    }

    fn remember_token(&self, hash: String, a: device::DeviceAuth) {
        let mut held = self.tokens.write().expect("screens lock");
        if held.len() > 200_000 {
            held.clear();
        }
        held.insert(hash, (a, Instant::now()));
    }

    /// Forgets the tokens of one screen (revoked, or replaced by a new enrolment).
    fn forget_device(&self, device_id: i64) {
        self.tokens.write().expect("screens lock").retain(|_, (a, _)| a.device_id != device_id);
    }

    /// Marks a screen's identity as ended and wakes the event streams, so its own stream
    /// closes (others see no change and stay quiet).
    fn revoke(&self, device_id: i64) {
        self.forget_device(device_id);
        self.revoked.write().expect("screens lock").insert(device_id);
        self.changed.send_modify(|v| *v += 1);
    }

    /// Whether a screen was revoked (or replaced) since this node started: checked from memory
    /// by every event stream when it wakes.
    pub fn is_revoked(&self, device_id: i64) -> bool {
        self.revoked.read().expect("screens lock").contains(&device_id)
    }

    /// A station's manifest if it is held and has not run out.
    fn held(&self, station_id: i64) -> Option<Arc<Built>> {
        let now = Utc::now();
        let held = self.manifests.read().expect("screens lock");
        held.get(&station_id).filter(|b| b.manifest.expires_at.is_none_or(|e| e > now)).cloned()
    }

    /// A receiver that wakes whenever anything screens play may have changed.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

fn ids(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

pub(crate) fn ids_text(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A stored schedule entry as the rules read it: an archived entry ran until it was archived.
pub(crate) fn rule_of(r: screen_schedule::Model) -> Rule {
    Rule {
        id: r.id,
        media: r.media_id,
        priority: r.priority,
        valid_from: r.valid_from,
        valid_to: r.archived_at.map_or(r.valid_to, |a| a.min(r.valid_to)),
        dayparts: serde_json::from_str(&r.dayparts).unwrap_or_default(),
        target: target_of(&r.target_kind, &r.target_ids),
    }
}

/// A stored interrupt as the rules read it: a cancelled one ran until it was cancelled.
pub(crate) fn interrupt_of(i: screen_interrupt::Model) -> Interrupt {
    Interrupt {
        id: i.id,
        campaign: i.campaign,
        media: i.media_id,
        target: target_of(&i.target_kind, &i.target_ids),
        started_at: i.started_at,
        until: i.cancelled_at.map_or(i.until, |c| c.min(i.until)),
    }
}

pub(crate) fn target_of(kind: &str, text: &str) -> Target {
    Target::from_parts(kind, ids(text)).unwrap_or(Target::Stations(Vec::new()))
}

impl Store {
    pub fn screens(&self) -> &Screens {
        &self.screens
    }

    /// Notices changes other nodes (or the command line) made: one indexed read. The server
    /// calls it every second.
    pub async fn follow_screen_changes(&self) -> Result<()> {
        let max: Option<i64> = estation_change::Entity::find()
            .select_only()
            .column_as(estation_change::Column::Id.max(), "m")
            .into_tuple::<Option<i64>>()
            .one(&self.db)
            .await?
            .flatten();
        let max = max.unwrap_or(0);
        if self.screens.seen.swap(max, Ordering::AcqRel) != max {
            self.screens.invalidate();
        }
        Ok(())
    }

    /// The network snapshot, loaded once after each change.
    pub async fn snapshot(&self) -> Result<Arc<Snapshot>> {
        if let Some(s) = self.screens.snapshot.read().expect("screens lock").clone() {
            return Ok(s);
        }
        let _one = self.screens.refreshing.lock().await;
        if let Some(s) = self.screens.snapshot.read().expect("screens lock").clone() {
            return Ok(s);
        }
        let generation = self.screens.generation.load(Ordering::Acquire);
        let s = Arc::new(self.load_snapshot().await?);
        let mut held = self.screens.snapshot.write().expect("screens lock");
        if self.screens.generation.load(Ordering::Acquire) == generation {
            *held = Some(s.clone());
        }
        Ok(s)
    }

    async fn load_snapshot(&self) -> Result<Snapshot> {
        let now = crate::now();
        let tree = self.regions().await?;
        let media_rows = media::Entity::find().all(&self.db).await?;
        let media_by_sha = media_rows.iter().map(|m| (m.sha256.clone(), (m.id, m.media_type.clone()))).collect();
        let media = media_rows
            .into_iter()
            .map(|m| {
                let x = Media {
                    id: m.id,
                    title: m.title,
                    media_type: m.media_type,
                    sha256: m.sha256,
                    size: m.size,
                    duration_s: m.duration_s.max(1) as u32,
                };
                (m.id, x)
            })
            .collect();
        let rules = screen_schedule::Entity::find()
            .filter(screen_schedule::Column::ArchivedAt.is_null())
            .filter(screen_schedule::Column::ValidTo.gt(now))
            .order_by_asc(screen_schedule::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(rule_of)
            .collect();
        let interrupts = screen_interrupt::Entity::find()
            .filter(screen_interrupt::Column::CancelledAt.is_null())
            .filter(screen_interrupt::Column::Until.gt(now))
            .all(&self.db)
            .await?
            .into_iter()
            .map(interrupt_of)
            .collect();
        let groups: HashMap<i64, Option<i64>> =
            station_group::Entity::find().all(&self.db).await?.into_iter().map(|g| (g.id, g.parent_id)).collect();
        let mut member: HashMap<i64, Vec<i64>> = HashMap::new();
        for m in station_group_member::Entity::find().all(&self.db).await? {
            // A station in a group is in every group above it too.
            let mut g = Some(m.group_id);
            let mut seen = HashSet::new();
            while let Some(id) = g.filter(|id| seen.insert(*id)) {
                member.entry(m.station_id).or_default().push(id);
                g = groups.get(&id).copied().flatten();
            }
        }
        let stations: Vec<(i64, i64)> = station_row::Entity::find()
            .select_only()
            .column(station_row::Column::Id)
            .column(station_row::Column::OrgId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let org_region: HashMap<i64, i64> = org::Entity::find()
            .select_only()
            .column(org::Column::Id)
            .column(org::Column::RegionId)
            .filter(org::Column::Kind.eq(kexie_core::org::OrgKind::Estation.code()))
            .into_tuple::<(i64, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let places = stations
            .into_iter()
            .map(|(id, org)| {
                let town = org_region.get(&org).and_then(|r| tree.town_of(*r)).map(|t| t.id);
                (id, Place { station: id, town, groups: member.remove(&id).unwrap_or_default() })
            })
            .collect();
        Ok(Snapshot { net: Network { media, rules, interrupts }, places, media_by_sha })
    }

    /// The manifest of a station's screens now: built once, until a change or its expiry.
    pub async fn manifest(&self, station_id: i64) -> Result<Arc<Built>> {
        if let Some(b) = self.screens.held(station_id) {
            return Ok(b);
        }
        let generation = self.screens.generation.load(Ordering::Acquire);
        let snap = self.snapshot().await?;
        // After a change every screen of a station asks at once: the first to get here builds,
        // the others find its manifest.
        if let Some(b) = self.screens.held(station_id) {
            return Ok(b);
        }
        let b = Arc::new(build(&snap, station_id, crate::now()));
        let mut held = self.screens.manifests.write().expect("screens lock");
        if self.screens.generation.load(Ordering::Acquire) == generation {
            held.insert(station_id, b.clone());
        }
        Ok(b)
    }

    /// The manifest a station's screens would get at another time: the preview.
    pub async fn manifest_at(&self, station_id: i64, at: DateTime<Utc>) -> Result<Manifest> {
        let snap = self.snapshot().await?;
        Ok(build(&snap, station_id, at).manifest)
    }

    /// Records a change to what screens play, in the writing transaction.
    pub(crate) async fn log_change(
        txn: &impl ConnectionTrait,
        kind: &str,
        ref_id: Option<i64>,
        summary: &str,
        target: &Target,
    ) -> Result<i64> {
        use sea_orm::{ActiveModelTrait, Set};
        let row = estation_change::ActiveModel {
            at: Set(crate::now()),
            kind: Set(kind.to_string()),
            ref_id: Set(ref_id),
            summary: Set(summary.chars().take(200).collect()),
            target_kind: Set(target.kind().to_string()),
            target_ids: Set(ids_text(target.ids())),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        Ok(row.id)
    }

    /// The stations a caller may see: None for all of them.
    pub(crate) async fn station_scope(&self, actor: &Actor) -> Result<Option<HashSet<i64>>> {
        Ok(match &actor.scope {
            Scope::All => None,
            Scope::Region { id, .. } => Some(self.regions().await?.subtree_ids(*id)),
            _ => Some(HashSet::new()),
        })
    }
}

/// Writes a file under its content address, atomically.
pub fn write_media(dir: &std::path::Path, sha256: &str, bytes: &[u8]) -> std::io::Result<()> {
    write_media_from(dir, sha256, &mut &bytes[..])
}

/// As `write_media`, from a reader (a file received whole).
fn write_media_from(dir: &std::path::Path, sha256: &str, from: &mut impl std::io::Read) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(sha256);
    if path.exists() {
        return Ok(());
    }
    // A temporary name of this writer's own: two uploads of the same bytes at once (a photo
    // sent twice, a flood) must not rename each other's half-written file.
    let tmp = dir.join(format!(".{sha256}.{:016x}.tmp", rand::random::<u64>()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::copy(from, &mut f)?;
        f.sync_all()?;
    }
    std::fs::rename(tmp, path)
}

/// Moves a file received whole (an upload streamed to disk, its sha256 taken on the way) into
/// the media directory under its hash: a rename when both are on one file system, else a copy.
/// The same bytes already there stay as they are.
pub fn place_media(dir: &std::path::Path, sha256: &str, file: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(sha256);
    if path.exists() {
        return Ok(());
    }
    std::fs::File::open(file)?.sync_all()?;
    if std::fs::rename(file, &path).is_ok() {
        return Ok(());
    }
    write_media_from(dir, sha256, &mut std::fs::File::open(file)?)
}

fn build(snap: &Snapshot, station_id: i64, now: DateTime<Utc>) -> Built {
    let place = snap.places.get(&station_id).cloned().unwrap_or(Place { station: station_id, ..Default::default() });
    let manifest = manifest::build(&snap.net, &place, now, POLL_INTERVAL_S);
    let json: Arc<str> = serde_json::to_string(&manifest).expect("manifest serialises").into();
    let etag = format!("\"{}\"", manifest.version);
    Built { manifest, json, etag }
}
