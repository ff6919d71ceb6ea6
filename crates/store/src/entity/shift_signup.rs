use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A volunteer's place in a shift.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "shift_signup")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub shift_id: i64,
    pub volunteer_id: i64,
    pub status: String,
    pub source: String,
    pub offered: bool,
    pub signed_by: String,
    pub signed_at: DateTimeUtc,
    pub cancelled_at: Option<DateTimeUtc>,
    pub cancel_note: Option<String>,
    pub reminded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
