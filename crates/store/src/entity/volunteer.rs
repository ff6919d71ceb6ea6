use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A registered volunteer: the person behind them, where they serve, what they can do.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "volunteer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub person_id: i64,
    pub region_id: i64,
    pub status: String,
    pub skills: String,
    pub availability: String,
    pub source: String,
    pub account_id: Option<i64>,
    pub verified_at: Option<DateTimeUtc>,
    pub verified_by: Option<String>,
    /// The person on file this sign-up's ID number or phone matched, until staff merge or dismiss.
    pub duplicate_of: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the person ticked the privacy notice's consent (public sign-up only), and which
    /// version of the notice it was (`core::privacy::NOTICE_VERSION`).
    #[serde(default)]
    pub consent_at: Option<DateTimeUtc>,
    #[serde(default)]
    pub consent_version: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
