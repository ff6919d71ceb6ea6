use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A granted patent, linked to an expert (inventor) and an enterprise (holder) where known.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "patent")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub title: String,
    pub kind: String,
    pub applicant: String,
    pub inventors: String,
    pub granted_on: Option<Date>,
    pub expert_id: Option<i64>,
    pub org_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
