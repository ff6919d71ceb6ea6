use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A screen at a station, from its enrolment code to its last heartbeat.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "device")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub station_id: i64,
    pub name: String,
    pub hardware_id: Option<String>,
    pub token_hash: Option<String>,
    pub model: Option<String>,
    pub resolution: Option<String>,
    pub app_version: Option<String>,
    pub enrolled_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_seen_at: Option<DateTimeUtc>,
    pub acked_version: Option<String>,
    pub synced_at: Option<DateTimeUtc>,
    pub cached_all: bool,
    pub playing: Option<String>,
    pub free_disk_mb: Option<i64>,
    pub uptime_s: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
