use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Resources handed to a town, school or community, and the signed receipt.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "distribution")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub resource: String,
    pub resource_kind: String,
    pub quantity: i32,
    pub recipient: String,
    pub region_id: i64,
    pub sent_on: Date,
    pub signed_by: Option<String>,
    pub signed_on: Option<Date>,
    pub receipt_sha: Option<String>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
