use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A matchmaking event (精准对接活动): its day, slots and how the plan is computed.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "match_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub held_on: Date,
    pub place: Option<String>,
    pub starts_at: String,
    pub slots: i32,
    pub slot_minutes: i32,
    pub fair: bool,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
