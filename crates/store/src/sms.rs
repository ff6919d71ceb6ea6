//! 短信: the outbox of text messages. Every message the SMS provider takes is kept here with
//! its audit record; with the `outbox` provider (no gateway) this is the only place it goes,
//! and an administrator reads it here.

use crate::entity::sms_outbox;
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::person::mask_phone;
use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, QuerySelect, Set};

/// How many messages the outbox page shows.
const SHOWN: u64 = 100;

/// The audit name of the platform sending a text message.
const SENDER: &str = "短信发送";

impl Store {
    /// Keeps a message the provider took. The audit record masks the phone and leaves the body
    /// out: it may hold a one-time code.
    pub async fn record_sms(&self, phone: &str, body: &str, provider: &str) -> Result<i64> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let m = sms_outbox::ActiveModel {
            phone: Set(phone.chars().take(20).collect()),
            body: Set(body.chars().take(300).collect()),
            provider: Set(provider.chars().take(16).collect()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let shown = serde_json::json!({ "phone": mask_phone(&m.phone), "provider": m.provider });
        chain.record(&txn, &Actor::public(SENDER), "send", "sms_outbox", Some(m.id), None::<&()>, Some(&shown)).await?;
        self.commit(txn, chain).await?;
        Ok(m.id)
    }

    /// The latest messages, newest first: the accounts' administrators only.
    pub async fn sms_outbox(&self, actor: &Actor) -> Result<Vec<sms_outbox::Model>> {
        if !actor.can(Area::Account, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(sms_outbox::Entity::find().order_by_desc(sms_outbox::Column::Id).limit(SHOWN).all(&self.db).await?)
    }
}
