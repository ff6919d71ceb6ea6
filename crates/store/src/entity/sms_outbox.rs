use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A text message as the SMS provider took it (with the `outbox` provider, the only place it
/// goes: an administrator reads it here).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "sms_outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub phone: String,
    pub body: String,
    pub provider: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
