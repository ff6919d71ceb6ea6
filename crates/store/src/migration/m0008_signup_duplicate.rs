//! A public sign-up never binds to a person already on file: it makes its own person and, when
//! its ID number or phone is already someone's, names that person here for staff to merge or
//! dismiss.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0008_signup_duplicate"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key: SQLite cannot add one to an existing table, and a merge deletes the
        // sign-up's own person, never the one named here.
        m.alter_table(Table::alter().table(Alias::new("volunteer")).add_column(id_null("duplicate_of")).to_owned())
            .await?;
        m.create_index(index("volunteer", &["duplicate_of"], false)).await
    }
}
