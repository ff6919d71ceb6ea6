use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One person registered for an activity, and where they stand at the door.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "activity_registration")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: i64,
    pub name: String,
    pub phone: String,
    pub volunteer_id: Option<i64>,
    pub ticket: String,
    pub source: String,
    pub registered_at: DateTimeUtc,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_out_at: Option<DateTimeUtc>,
    pub checked_by: Option<String>,
    /// When the person ticked the privacy notice's consent (public forms only), and which
    /// version of the notice it was (`core::privacy::NOTICE_VERSION`).
    #[serde(default)]
    pub consent_at: Option<DateTimeUtc>,
    #[serde(default)]
    pub consent_version: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
