use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// An expert working with a 专家工作站 (`org_id`), on a cooperation project.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "workstation_expert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub org_id: i64,
    pub expert_id: i64,
    pub joined_on: Option<Date>,
    pub project: Option<String>,
    /// What the cooperation produced (成果), once there is something to say.
    pub result: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
