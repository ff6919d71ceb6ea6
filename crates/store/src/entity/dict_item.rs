use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Editable vocabularies (officer roles, …): one row per entry of a named dictionary.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "dict_item")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dict: String,
    pub code: String,
    pub label_zh: String,
    pub label_en: String,
    pub sort: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
