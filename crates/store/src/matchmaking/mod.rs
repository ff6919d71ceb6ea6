//! 产学研对接 storage: needs, experts (with conflicts, patents and workstation members),
//! rankings over the stored profiles, matchmaking events and engagements. Every read goes
//! through the reach of the caller (`Reach`); every write is audited.

pub(crate) mod demo;
pub mod engagement;
pub mod event;
pub mod expert;
pub mod need;
pub mod patent;
mod ranking;

pub use ranking::{RankedExpert, RankedNeed, Rankings};

use crate::entity::org;
use crate::{Result, Store};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::org::OrgKind;
use kexie_core::scope::Scope;
use sea_orm::EntityTrait;
use std::collections::HashSet;

/// Whose needs a caller sees, and in which states.
#[derive(Debug, Clone)]
pub(crate) enum Reach {
    /// The association: every need in every state.
    All,
    /// A town: its enterprises' needs, every state.
    Regions(HashSet<i64>),
    /// An enterprise (or an organisation with enterprises under it): its own needs, every state.
    Enterprises(HashSet<i64>),
    /// An expert: approved needs only, and only through rankings and engagements.
    Approved,
}

impl Store {
    pub(crate) async fn reach(&self, actor: &Actor) -> Result<Reach> {
        Ok(match &actor.scope {
            Scope::All => Reach::All,
            Scope::Region { id, .. } => Reach::Regions(self.regions().await?.subtree_ids(*id)),
            Scope::Org { id, path } => {
                let mut ids = HashSet::new();
                self.regions().await?;
                self.catalog.orgs().scan(
                    &kexie_core::org::index::OrgQuery {
                        under: Some(path),
                        kind: Some(OrgKind::Enterprise),
                        ..Default::default()
                    },
                    |e| {
                        ids.insert(e.id);
                    },
                );
                // An enterprise association acts for the enterprise it belongs to.
                if let Some(e) = org::Entity::find_by_id(*id).one(&self.db).await?.and_then(|o| o.enterprise_id) {
                    ids.insert(e);
                }
                Reach::Enterprises(ids)
            }
            Scope::Own { .. } => Reach::Approved,
        })
    }

    /// Whether this caller may see and change every expert (the association), rather than
    /// only visible profiles or their own.
    pub(crate) fn manages_experts(actor: &Actor) -> bool {
        matches!(actor.scope, Scope::All) && actor.can(Area::Expert, Action::Import)
    }
}
