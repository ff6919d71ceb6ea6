use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// What became of an expert's match with a need (对接记录).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "engagement")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub need_id: i64,
    pub expert_id: i64,
    pub event_id: Option<i64>,
    pub stage: String,
    pub contract_wan: Option<i64>,
    pub outcome: Option<String>,
    pub follow_up_on: Option<Date>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
