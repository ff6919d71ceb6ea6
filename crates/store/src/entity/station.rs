use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A 科普e站: the place (an organisation of kind e-station) with what screens need to know.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "station")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub hours: String,
    pub audience_per_hour: i32,
    pub has_counter: bool,
    pub tags: String,
    pub five_network: bool,
    pub five_staff: bool,
    pub five_venue: bool,
    pub five_activities: bool,
    pub five_terminal: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::org::Entity", from = "Column::OrgId", to = "super::org::Column::Id")]
    Org,
}

impl Related<super::org::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Org.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
