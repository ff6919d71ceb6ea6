use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An activity: planned, published, held and reported.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub kind: String,
    pub theme: String,
    pub month_theme: bool,
    pub organiser_org_id: i64,
    pub co_organisers: Option<String>,
    pub place: String,
    pub region_id: i64,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub capacity: Option<i32>,
    pub audience: Option<String>,
    pub summary: Option<String>,
    pub volunteer_hours: bool,
    pub status: String,
    pub checkin_key: String,
    pub registered: i32,
    pub report: Option<String>,
    pub extra_reach: i32,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
