use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A citizen's suggestion (建议意见) with its moderation, routing, answer and rating.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "suggestion")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub region_id: i64,
    pub category: String,
    pub body: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub campaign_id: Option<i64>,
    pub status: String,
    pub reason: Option<String>,
    pub moderation_note: Option<String>,
    pub moderated_at: Option<DateTimeUtc>,
    pub assigned_region_id: Option<i64>,
    pub assigned_account_id: Option<i64>,
    pub due_on: Option<Date>,
    pub assigned_at: Option<DateTimeUtc>,
    pub answer: Option<String>,
    pub answer_public: bool,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTimeUtc>,
    pub adopted: bool,
    pub closed_at: Option<DateTimeUtc>,
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    /// sha256 of the citizen's follow-up token (the token itself is never stored); never
    /// shown or exported, but kept in backups so follow-up links survive a restore.
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
