use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A publication's current person-times and how they are known.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "reach")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub publication_id: i64,
    pub method: String,
    pub person_times: i64,
    pub basis: Option<String>,
    pub updated_by: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
