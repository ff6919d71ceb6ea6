use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An emergency broadcast (应急科普) interrupting the schedule until a set time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "screen_interrupt")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub media_id: i64,
    pub campaign: Option<String>,
    pub target_kind: String,
    pub target_ids: String,
    pub started_at: DateTimeUtc,
    pub until: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
