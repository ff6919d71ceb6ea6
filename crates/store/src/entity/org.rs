use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "org")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub kind: String,
    pub status: String,
    pub region_id: i64,
    pub parent_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub path: String,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub established_on: Option<Date>,
    pub patent_platform_on: Option<Date>,
    pub kczg_on: Option<Date>,
    pub green_platform_on: Option<Date>,
    pub note: Option<String>,
    pub rev: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
