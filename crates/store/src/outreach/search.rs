//! The search change log: every write to something the index holds appends (kind, id) in the
//! same transaction, and each node's index reads the log from where it stopped.

use crate::entity::search_change;
use crate::{Result, Store, now};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

/// Marks a record for the index to read again.
pub async fn touch(txn: &impl ConnectionTrait, kind: &str, ref_id: i64) -> Result<()> {
    search_change::ActiveModel {
        kind: Set(kind.to_string()),
        ref_id: Set(ref_id),
        at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

impl Store {
    /// Changes after `after`, oldest first, at most `limit`.
    pub async fn search_changes(&self, after: i64, limit: u64) -> Result<Vec<search_change::Model>> {
        Ok(search_change::Entity::find()
            .filter(search_change::Column::Id.gt(after))
            .order_by_asc(search_change::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?)
    }

    /// The newest change id, where a full reindex leaves the follower.
    pub async fn last_search_change(&self) -> Result<i64> {
        let last = search_change::Entity::find()
            .select_only()
            .column_as(search_change::Column::Id.max(), "m")
            .into_tuple::<Option<i64>>()
            .one(&self.db)
            .await?;
        Ok(last.flatten().unwrap_or(0))
    }
}
