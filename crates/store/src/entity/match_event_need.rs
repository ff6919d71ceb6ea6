use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A need brought to an event: meetings wanted, slots its enterprise cannot attend (comma list).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "match_event_need")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: i64,
    pub need_id: i64,
    pub wanted: i32,
    pub unavailable: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
