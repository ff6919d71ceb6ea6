//! 消息: short notices for one account — a shift tomorrow, a place taken over, a shift
//! called off. Written in the same transaction as what they tell of; read on the account's
//! own page.

use crate::entity::notice;
use crate::{Result, Store, now};
use kexie_core::account::Actor;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// How many notices the page shows.
const SHOWN: u64 = 100;

/// Leaves a notice for an account.
pub(crate) async fn notify(
    db: &impl ConnectionTrait,
    account_id: i64,
    title: &str,
    body: &str,
    link: Option<&str>,
) -> Result<()> {
    notice::ActiveModel {
        account_id: Set(account_id),
        title: Set(title.chars().take(100).collect()),
        body: Set(body.chars().take(400).collect()),
        link: Set(link.map(|l| l.chars().take(200).collect())),
        created_at: Set(now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

impl Store {
    /// The caller's notices, newest first.
    pub async fn my_notices(&self, actor: &Actor) -> Result<Vec<notice::Model>> {
        Ok(notice::Entity::find()
            .filter(notice::Column::AccountId.eq(actor.account_id.unwrap_or(-1)))
            .order_by_desc(notice::Column::Id)
            .limit(SHOWN)
            .all(&self.db)
            .await?)
    }

    /// Marks all the caller's notices read. Not audited: it changes only what the caller
    /// sees of their own messages.
    pub async fn read_notices(&self, actor: &Actor) -> Result<()> {
        notice::Entity::update_many()
            .col_expr(notice::Column::ReadAt, Expr::value(now()))
            .filter(notice::Column::AccountId.eq(actor.account_id.unwrap_or(-1)))
            .filter(notice::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
