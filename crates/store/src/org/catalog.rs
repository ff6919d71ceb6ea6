//! In-memory read models of the region tree and the organisation finder. They follow the
//! database by revision: a row's `rev` is the audit sequence number of the write that made
//! it, so "what changed since I last looked" is one indexed range query, and several kexie
//! nodes over one database stay in step without messages.

use crate::entity::{org, region};
use crate::{Result, audit};
use kexie_core::org::index::{OrgEntry, OrgIndex};
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::region::RegionTree;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::sync::{Arc, RwLock, RwLockReadGuard};

pub struct Catalog {
    seen: RwLock<i64>,
    regions: RwLock<Arc<RegionTree>>,
    orgs: RwLock<OrgIndex>,
    refreshing: tokio::sync::Mutex<()>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self {
            // Below every revision, so the first refresh loads everything.
            seen: RwLock::new(-1),
            regions: Default::default(),
            orgs: Default::default(),
            refreshing: Default::default(),
        }
    }
}

type OrgTuple = (i64, String, String, String, String, i64, String);

impl Catalog {
    pub fn regions(&self) -> Arc<RegionTree> {
        self.regions.read().expect("catalog lock").clone()
    }

    pub fn orgs(&self) -> RwLockReadGuard<'_, OrgIndex> {
        self.orgs.read().expect("catalog lock")
    }

    fn seen(&self) -> i64 {
        *self.seen.read().expect("catalog lock")
    }

    /// Brings both models up to the database's current head; a no-op (one primary-key read)
    /// when nothing was written.
    pub async fn refresh(&self, db: &DatabaseConnection) -> Result<()> {
        let head = audit::head_seq(db).await?;
        if head == self.seen() {
            return Ok(());
        }
        let _one_at_a_time = self.refreshing.lock().await;
        let seen = self.seen();
        if head == seen {
            return Ok(());
        }
        let regions = region::Entity::find()
            .filter(region::Column::Rev.gt(seen))
            .all(db)
            .await?;
        let orgs: Vec<OrgTuple> = org::Entity::find()
            .select_only()
            .columns([
                org::Column::Id,
                org::Column::Code,
                org::Column::Name,
                org::Column::Kind,
                org::Column::Status,
                org::Column::RegionId,
                org::Column::Path,
            ])
            .filter(org::Column::Rev.gt(seen))
            .into_tuple()
            .all(db)
            .await?;
        if !regions.is_empty() {
            let mut tree = (*self.regions()).clone();
            tree.apply(regions.into_iter().map(crate::region::node));
            *self.regions.write().expect("catalog lock") = Arc::new(tree);
        }
        if !orgs.is_empty() {
            let entries = orgs
                .into_iter()
                .map(|(id, code, name, kind, status, region_id, path)| OrgEntry {
                    id,
                    code,
                    name,
                    kind: OrgKind::parse(&kind).unwrap_or(OrgKind::Enterprise),
                    status: OrgStatus::parse(&status).unwrap_or(OrgStatus::Active),
                    region_id,
                    path,
                })
                .collect();
            self.orgs.write().expect("catalog lock").apply(entries);
        }
        *self.seen.write().expect("catalog lock") = head;
        Ok(())
    }
}
