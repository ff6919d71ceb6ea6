use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One step in a suggestion's life (received, accepted, routed, answered, rated …).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "suggestion_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub suggestion_id: i64,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: Option<String>,
    pub by_name: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
