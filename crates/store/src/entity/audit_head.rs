use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// One row: the chain's last sequence number and hash. Updating it first in every writing
/// transaction serialises writers on every backend, so the chain never forks, and its `seq`
/// tells readers whether anything changed.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_head")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub seq: i64,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
