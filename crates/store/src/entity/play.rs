use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One play a screen reported (proof of play).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "play")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub device_id: i64,
    pub play_id: String,
    pub station_id: i64,
    pub media_id: i64,
    pub schedule_id: Option<i64>,
    pub interrupt_id: Option<i64>,
    pub started_at: DateTimeUtc,
    pub day: i32,
    pub duration_ms: i64,
    pub completed: bool,
    pub audience: Option<i32>,
    pub received_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
