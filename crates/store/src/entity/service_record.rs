use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One line of the hours ledger (志愿服务记录).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "service_record")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub volunteer_id: i64,
    pub team_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub registration_id: Option<i64>,
    pub source: String,
    pub status: String,
    pub served_on: Date,
    pub minutes: i32,
    pub service: String,
    pub place: String,
    pub training: bool,
    pub evaluation: Option<String>,
    pub recorded_by: String,
    pub recorder_org: String,
    pub certified_by: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
