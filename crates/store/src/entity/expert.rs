use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An expert's profile; lists hold one item per line.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "expert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: Option<i64>,
    pub org_id: Option<i64>,
    pub name: String,
    pub title: Option<String>,
    pub institution: String,
    pub fields: String,
    pub keywords: String,
    pub bio: Option<String>,
    pub achievements: String,
    pub consent: bool,
    pub visible: bool,
    pub status: String,
    pub rev: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
