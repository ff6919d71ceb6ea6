//! 个人信息保护: the consent each public form's person gave (when, and which version of the
//! privacy notice), kept with the record it came with; and the outbox of text messages the
//! configured SMS provider sent (the one-time codes that give a registration's ticket back).

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0010_privacy"
    }
}

/// The records public forms make. Empty on what staff entered or walked in at the door.
const CONSENTING: [&str; 4] = ["volunteer", "activity_registration", "suggestion", "service_order"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in CONSENTING {
            // One column per statement: SQLite adds one at a time.
            m.alter_table(Table::alter().table(Alias::new(t)).add_column(ts_null("consent_at")).to_owned()).await?;
            m.alter_table(Table::alter().table(Alias::new(t)).add_column(s_null("consent_version", 20)).to_owned())
                .await?;
        }
        m.create_table(
            table("sms_outbox")
                .col(s("phone", 20))
                .col(s("body", 300))
                // Which provider took it: `outbox` keeps it here for an administrator to read.
                .col(s("provider", 16))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sms_outbox", &["created_at"], false)).await
    }
}
