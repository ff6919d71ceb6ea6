//! In-memory read models of the region tree and the organisation finder. They follow the
//! database by revision: a row's `rev` is the audit sequence number of the write that made
//! it, so "what changed since I last looked" is one indexed range query, and several kexie
//! nodes over one database stay in step without messages.

use crate::entity::{org, region};
use crate::{Result, audit};
use kexie_core::org::index::{OrgEntry, OrgIndex};
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::region::RegionTree;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard};
use std::time::Instant;

/// Writes from other nodes (or the command line) become visible within this long; this
/// node's own writes mark the models stale at commit and are visible at once.
const RECHECK_MICROS: u64 = 20_000;

/// Rows per read when loading. SQLite hands each row's values out in buffers of its own
/// (system malloc), which are kept by the allocator once freed: small pages let every page
/// reuse the last one's memory instead of growing the process by the whole table.
const LOAD_PAGE: u64 = 2_000;

pub struct Catalog {
    seen: AtomicI64,
    stale: AtomicBool,
    checked_at: AtomicU64,
    epoch: Instant,
    regions: RwLock<Arc<RegionTree>>,
    orgs: RwLock<OrgIndex>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self {
            // Below every revision, so the first refresh loads everything.
            seen: AtomicI64::new(-1),
            stale: AtomicBool::new(true),
            checked_at: AtomicU64::new(0),
            epoch: Instant::now(),
            regions: Default::default(),
            orgs: Default::default(),
            refreshing: Default::default(),
        }
    }
}

type OrgTuple = (i64, String, String, String, String, i64, Option<i64>, String, Option<String>, Option<String>);

impl Catalog {
    pub fn regions(&self) -> Arc<RegionTree> {
        self.regions.read().expect("catalog lock").clone()
    }

    pub fn orgs(&self) -> RwLockReadGuard<'_, OrgIndex> {
        self.orgs.read().expect("catalog lock")
    }

    pub fn invalidate(&self) {
        self.stale.store(true, Ordering::Release);
    }

    fn fresh(&self) -> bool {
        !self.stale.load(Ordering::Acquire)
            && self.now_micros().saturating_sub(self.checked_at.load(Ordering::Acquire)) < RECHECK_MICROS
    }

    fn now_micros(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }

    /// Brings both models up to the database's current head. Cheap when nothing changed: at
    /// most one primary-key read per `RECHECK_MICROS`, however many requests arrive.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<()> {
        if self.fresh() {
            return Ok(());
        }
        let _one_at_a_time = self.refreshing.lock().await;
        // Whoever held the lock may have just refreshed for us.
        if self.fresh() {
            return Ok(());
        }
        // Clear the flag before reading the head: a commit after this point sets it again.
        self.stale.store(false, Ordering::Release);
        let head = audit::head_seq(db).await?;
        let seen = self.seen.load(Ordering::Acquire);
        if head != seen {
            self.load_since(db, seen).await?;
            self.seen.store(head, Ordering::Release);
        }
        self.checked_at.store(self.now_micros(), Ordering::Release);
        Ok(())
    }

    async fn load_since(&self, db: &DatabaseConnection, seen: i64) -> Result<()> {
        let mut regions = Vec::new();
        let mut after = 0i64;
        loop {
            let rows = region::Entity::find()
                .filter(region::Column::Rev.gt(seen))
                .filter(region::Column::Id.gt(after))
                .order_by_asc(region::Column::Id)
                .limit(LOAD_PAGE)
                .all(db)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            regions.extend(rows.into_iter().map(crate::region::node));
        }
        if !regions.is_empty() {
            let mut tree = (*self.regions()).clone();
            tree.apply(regions);
            *self.regions.write().expect("catalog lock") = Arc::new(tree);
        }
        let mut entries = Vec::new();
        let mut after = 0i64;
        loop {
            let rows: Vec<OrgTuple> = org::Entity::find()
                .select_only()
                .columns([
                    org::Column::Id,
                    org::Column::Code,
                    org::Column::Name,
                    org::Column::Kind,
                    org::Column::Status,
                    org::Column::RegionId,
                    org::Column::ParentId,
                    org::Column::Path,
                    org::Column::ContactName,
                    org::Column::ContactPhone,
                ])
                .filter(org::Column::Rev.gt(seen))
                .filter(org::Column::Id.gt(after))
                .order_by_asc(org::Column::Id)
                .limit(LOAD_PAGE)
                .into_tuple()
                .all(db)
                .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            entries.extend(rows.into_iter().map(
                |(id, code, name, kind, status, region_id, parent_id, path, contact_name, contact_phone)| OrgEntry {
                    id,
                    code,
                    name,
                    kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Enterprise),
                    status: OrgStatus::parse(&status).unwrap_or(OrgStatus::Active),
                    region_id,
                    parent_id,
                    path,
                    contact_name,
                    contact_phone,
                },
            ));
        }
        if !entries.is_empty() {
            self.orgs.write().expect("catalog lock").apply(entries);
        }
        Ok(())
    }
}
