use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A change to what screens play, for delivery receipts and for other nodes.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "estation_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub kind: String,
    pub ref_id: Option<i64>,
    pub summary: String,
    pub target_kind: String,
    pub target_ids: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
