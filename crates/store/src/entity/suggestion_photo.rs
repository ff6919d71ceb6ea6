use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A photo sent with a suggestion; the file is in the media directory under its sha256.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "suggestion_photo")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub suggestion_id: i64,
    pub position: i32,
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
