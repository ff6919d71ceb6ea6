use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A planned meeting of an expert with a need's enterprise in a slot, and who arrived.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "match_event_meeting")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub expert_id: i64,
    pub need_id: i64,
    pub slot: i32,
    pub score: f64,
    pub expert_arrived_at: Option<DateTimeUtc>,
    pub enterprise_arrived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
