use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Volunteers needed for an activity or a project: role, start, length, how many.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "shift")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: Option<i64>,
    pub project_id: Option<i64>,
    pub role: String,
    pub place: String,
    pub region_id: i64,
    pub starts_at: DateTimeUtc,
    pub minutes: i32,
    pub quantity: i32,
    pub taken: i32,
    pub status: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
