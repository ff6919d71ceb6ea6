use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An organisation an expert declared a conflict of interest with; they are never matched.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "expert_conflict")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub expert_id: i64,
    pub org_id: i64,
    pub reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
