//! Ids a caller writes into a record (a parent, an enterprise, a region, an organiser, a
//! team, a person, a station, …). Every write checks them here, through the same scope
//! predicates the reads use, so a caller can only point at what they could open. A missing id
//! and an out-of-scope one give the same field error, `unknown_ref`, and never the record's
//! name: the answer tells nothing about what lies outside the caller's scope.

use crate::entity::person;
use crate::{Result, Store, StoreError};
use kexie_core::Invalid;
use kexie_core::account::Actor;
use kexie_core::org::OrgKind;
use kexie_core::org::index::OrgEntry;
use kexie_core::region::{RegionNode, RegionTree};
use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

/// The one error code for a referenced id that is missing or out of scope.
pub const UNKNOWN_REF: &str = "unknown_ref";

/// The references of one write, checked together so the form shows every bad field at once.
pub(crate) struct Refs<'s> {
    store: &'s Store,
    actor: &'s Actor,
    tree: Arc<RegionTree>,
    errors: Invalid,
}

impl Store {
    /// Starts checking the ids a write names, for this caller.
    pub(crate) async fn refs<'s>(&'s self, actor: &'s Actor) -> Result<Refs<'s>> {
        Ok(Refs { tree: self.regions().await?, store: self, actor, errors: Invalid::default() })
    }
}

impl Refs<'_> {
    /// Marks a field as naming nothing the caller may use (for checks a caller adds on top,
    /// e.g. a kind of region; the answer stays the same as for a missing id).
    pub fn refuse(&mut self, field: &'static str) {
        self.errors.push(field, UNKNOWN_REF);
    }

    /// A region the caller may place records in.
    pub fn region(&mut self, field: &'static str, id: i64) -> Option<RegionNode> {
        let found = self.tree.get(id).filter(|r| self.actor.scope.covers_region(&r.path)).cloned();
        if found.is_none() {
            self.refuse(field);
        }
        found
    }

    /// An organisation the caller sees (the same predicate as the organisation list), of one
    /// of these kinds (any kind when empty).
    pub fn org(&mut self, field: &'static str, id: i64, kinds: &[OrgKind]) -> Option<OrgEntry> {
        let found = {
            let idx = self.store.catalog.orgs();
            idx.get(id)
                .filter(|e| kinds.is_empty() || kinds.contains(&e.kind))
                .filter(|e| {
                    let region_path = self.tree.get(e.region_id).map(|r| r.path.as_str()).unwrap_or("");
                    self.actor.scope.covers(region_path, Some(&e.path))
                })
                .cloned()
        };
        if found.is_none() {
            self.refuse(field);
        }
        found
    }

    /// A person the caller sees (the same query as the people list).
    pub async fn person(&mut self, field: &'static str, id: i64) -> Result<bool> {
        let n = self
            .store
            .scoped_people(self.actor, &self.tree, None)
            .filter(person::Column::Id.eq(id))
            .count(&self.store.db)
            .await?;
        if n == 0 {
            self.refuse(field);
        }
        Ok(n > 0)
    }

    /// The caller's region tree, for checks that need more than a yes or no.
    pub fn tree(&self) -> Arc<RegionTree> {
        self.tree.clone()
    }

    /// Other errors of the same form, so that they are answered together.
    pub fn push(&mut self, field: &'static str, code: &'static str) {
        self.errors.push(field, code);
    }

    pub fn finish(self) -> Result<()> {
        self.errors.into_result(()).map_err(StoreError::Invalid)
    }
}
