use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A service ordered by a community or a citizen (点单), dispatched, accepted, run and rated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "service_order")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket: String,
    pub orderer_kind: String,
    pub orderer: String,
    pub contact: String,
    pub phone: String,
    pub region_id: i64,
    pub place: String,
    pub project_id: Option<i64>,
    pub kind: String,
    pub topic: String,
    pub wanted_on: Date,
    pub audience: Option<i32>,
    pub detail: Option<String>,
    pub status: String,
    pub team_id: Option<i64>,
    pub dispatched_by: Option<String>,
    pub dispatched_at: Option<DateTimeUtc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decline_note: Option<String>,
    pub activity_id: Option<i64>,
    pub done_at: Option<DateTimeUtc>,
    pub done_note: Option<String>,
    pub rating: Option<i32>,
    pub rating_note: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
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
