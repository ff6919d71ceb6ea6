use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An expert at an event: most meetings, slots they cannot attend (comma list).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "match_event_expert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub expert_id: i64,
    pub max_meetings: i32,
    pub unavailable: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
