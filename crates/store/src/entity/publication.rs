use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A piece on one channel: done, or a task still to do.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "publication")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub content_id: i64,
    pub channel: String,
    pub status: String,
    pub account: String,
    pub published_on: Option<Date>,
    pub link: Option<String>,
    pub issue: Option<String>,
    pub schedule_id: Option<i64>,
    pub interrupt_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub region_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
