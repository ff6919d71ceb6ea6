//! Regions: the tree is read through the catalog's in-memory copy; writes are the system
//! admin's and rare.

use crate::entity::region;
use crate::{Result, Store, StoreError, audit};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::region::{RegionKind, RegionNode, RegionTree, child_path};
use kexie_core::{Invalid, validate};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::sync::Arc;

pub(crate) fn node(m: region::Model) -> RegionNode {
    RegionNode {
        id: m.id,
        code: m.code,
        name: m.name,
        kind: RegionKind::parse(&m.kind).unwrap_or(RegionKind::Community),
        parent_id: m.parent_id,
        path: m.path,
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RegionForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

impl Store {
    /// The current region tree (refreshed if anything was written since the last look).
    pub async fn regions(&self) -> Result<Arc<RegionTree>> {
        self.catalog.refresh(&self.db).await?;
        Ok(self.catalog.regions())
    }

    /// Adds a region under a parent. Only the system admin edits the tree.
    pub async fn create_region(&self, actor: &Actor, form: &RegionForm) -> Result<i64> {
        if !actor.can(Area::Region, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let mut e = Invalid::default();
        let code = validate::code(&mut e, "code", &form.code);
        let name = validate::required(&mut e, "name", &form.name, 50);
        let kind = RegionKind::parse(&form.kind);
        if kind.is_none() {
            e.push("kind", "unknown_kind");
        }
        let tree = self.regions().await?;
        let parent = form.parent_id.and_then(|p| tree.get(p).cloned());
        match (kind, &parent) {
            (Some(RegionKind::District), Some(_)) => e.push("parent_id", "district_has_no_parent"),
            (Some(k), Some(p)) if k.level() != p.kind.level() + 1 => e.push("parent_id", "wrong_parent_level"),
            (Some(k), None) if k != RegionKind::District => e.push("parent_id", "required"),
            _ => {}
        }
        if region::Entity::find().filter(region::Column::Code.eq(code.as_str())).one(&self.db).await?.is_some() {
            e.push("code", "duplicate");
        }
        let kind = e.clone().into_result(kind).map_err(StoreError::Invalid)?.expect("checked");
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let rev = chain.next_seq();
        let inserted = region::ActiveModel {
            code: Set(code),
            name: Set(name),
            kind: Set(kind.code().to_string()),
            parent_id: Set(form.parent_id),
            path: Set(String::new()),
            rev: Set(rev),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let path = child_path(parent.as_ref().map(|p| p.path.as_str()), inserted.id);
        let mut am: region::ActiveModel = inserted.into();
        am.path = Set(path);
        let saved = am.update(&txn).await?;
        chain.record(&txn, actor, "create", "region", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }
}
