use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A piece of science content at its current version.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "content")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub title: String,
    pub kind: String,
    pub topic: String,
    pub audience: String,
    pub source: String,
    pub source_name: Option<String>,
    /// Tags joined by commas.
    pub tags: String,
    pub summary: Option<String>,
    /// Sanitised HTML.
    pub body: String,
    pub status: String,
    pub version: i32,
    pub file_sha: Option<String>,
    pub file_name: Option<String>,
    pub file_type: Option<String>,
    pub file_size: Option<i64>,
    pub media_id: Option<i64>,
    pub campaign_id: Option<i64>,
    pub author_id: i64,
    pub author_name: String,
    pub science_reviewer_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
