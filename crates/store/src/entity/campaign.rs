use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A campaign: 科普宣传周, 全国科普日, 科技节, or emergency science with its interrupt.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "campaign")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub description: Option<String>,
    pub content_id: Option<i64>,
    pub interrupt_id: Option<i64>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
