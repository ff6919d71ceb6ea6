//! Resources handed out to towns, schools and communities, and the receipts they sign.

use super::{edits_content, sees_content};
use crate::entity::distribution;
use crate::{Result, Store, StoreError, audit, now};
use chrono::NaiveDate;
use kexie_core::account::{Action, Actor};
use kexie_core::outreach::distribution::DistributionInput;
use kexie_core::scope::Scope;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

impl Store {
    /// Hand-outs, newest first; a town sees what it received.
    pub async fn list_distributions(&self, actor: &Actor) -> Result<Vec<distribution::Model>> {
        sees_content(actor)?;
        let mut q = distribution::Entity::find();
        if let Scope::Region { id, .. } = actor.scope {
            let ids: Vec<i64> = self.regions().await?.subtree_ids(id).into_iter().collect();
            q = q.filter(distribution::Column::RegionId.is_in(ids));
        } else if !matches!(actor.scope, Scope::All) {
            return Ok(Vec::new());
        }
        Ok(q.order_by_desc(distribution::Column::SentOn).order_by_desc(distribution::Column::Id).all(&self.db).await?)
    }

    pub async fn create_distribution(&self, actor: &Actor, i: &DistributionInput) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        let mut refs = self.refs(actor).await?;
        refs.region("region_id", i.region_id);
        refs.finish()?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let row = distribution::ActiveModel {
            resource: Set(i.resource.clone()),
            resource_kind: Set(i.resource_kind.clone()),
            quantity: Set(i.quantity),
            recipient: Set(i.recipient.clone()),
            region_id: Set(i.region_id),
            sent_on: Set(i.sent_on),
            signed_by: Set(None),
            signed_on: Set(None),
            receipt_sha: Set(None),
            note: Set(i.note.clone()),
            created_by: Set(actor.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "distribution", Some(row.id), None::<&()>, Some(&row)).await?;
        self.commit(txn, chain).await?;
        Ok(row.id)
    }

    pub async fn get_distribution(&self, actor: &Actor, id: i64) -> Result<distribution::Model> {
        self.list_distributions(actor).await?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)
    }

    /// Records the signed receipt (with the scan, already stored by content address).
    pub async fn sign_distribution(
        &self,
        actor: &Actor,
        id: i64,
        signed_by: &str,
        signed_on: NaiveDate,
        receipt_sha: Option<String>,
    ) -> Result<()> {
        edits_content(actor, Action::Edit)?;
        let before = self.get_distribution(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: distribution::ActiveModel = before.clone().into();
        am.signed_by = Set(Some(signed_by.to_string()));
        am.signed_on = Set(Some(signed_on));
        if receipt_sha.is_some() {
            am.receipt_sha = Set(receipt_sha);
        }
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "sign", "distribution", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }
}
