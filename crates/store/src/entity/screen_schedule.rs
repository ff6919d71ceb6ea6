use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A schedule entry: content, priority, validity, dayparts and targeting.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "screen_schedule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub media_id: i64,
    pub priority: i32,
    pub valid_from: DateTimeUtc,
    pub valid_to: DateTimeUtc,
    pub dayparts: String,
    pub target_kind: String,
    pub target_ids: String,
    pub note: Option<String>,
    pub archived_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
