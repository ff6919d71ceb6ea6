use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One step of a piece's review, with the reviewer's comment.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "content_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub content_id: i64,
    pub version: i32,
    pub step: String,
    pub from_status: String,
    pub to_status: String,
    pub comment: Option<String>,
    pub by_id: i64,
    pub by_name: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
