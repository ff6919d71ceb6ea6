use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// The daily rollup of proof of play: one station's plays of one content on one China-time day,
/// by schedule entry or interrupt (0 where none), kept in step with `play` as plays arrive.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "play_daily")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// YYYYMMDD, as `play.day`.
    pub day: i32,
    pub station_id: i64,
    pub media_id: i64,
    pub schedule_id: i64,
    pub interrupt_id: i64,
    pub plays: i64,
    pub played_ms: i64,
    /// The part of `played_ms` within the station's opening hours when the plays arrived.
    pub open_ms: i64,
    /// The people counter's figures summed.
    pub audience: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
