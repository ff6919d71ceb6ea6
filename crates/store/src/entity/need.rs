use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An enterprise's technical need with the 科创中国 fields; `org_id` is the enterprise.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "need")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    pub industry: String,
    pub kind: String,
    pub background: String,
    pub problem: String,
    pub goal: String,
    pub budget_wan: Option<i64>,
    pub deadline: Option<Date>,
    pub status: String,
    pub review_note: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
