//! 建议意见: citizens' suggestions with their photos (files stored by sha256 in the media
//! directory) and the trail of what was done to each (moderation, routing, answer, rating).

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0005_suggestion"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("suggestion")
                // The town it concerns (the district when the citizen named none).
                .col(id("region_id"))
                .col(s("category", 16))
                .col(txt("body"))
                .col(s_null("name", 20))
                .col(s_null("phone", 20))
                // The campaign whose QR code brought the citizen here, if any (no foreign key:
                // campaigns may be tidied away without losing what citizens said).
                .col(id_null("campaign_id"))
                .col(s("status", 16))
                .col(s_null("reason", 16))
                .col(s_null("moderation_note", 200))
                .col(ts_null("moderated_at"))
                // Routing (派单): a town, an officer's account, or both.
                .col(id_null("assigned_region_id"))
                .col(id_null("assigned_account_id"))
                .col(day_null("due_on"))
                .col(ts_null("assigned_at"))
                .col(txt_null("answer"))
                .col(flag("answer_public"))
                .col(s_null("answered_by", 50))
                .col(ts_null("answered_at"))
                .col(flag("adopted"))
                .col(ts_null("closed_at"))
                .col(int_null("rating"))
                .col(s_null("rating_comment", 300))
                .col(ts_null("rated_at"))
                // sha256 of the citizen's follow-up token; the token itself is never stored.
                .col(s("token_hash", 64))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("suggestion", "region_id", "region"))
                .foreign_key(&mut fk("suggestion", "assigned_region_id", "region"))
                .foreign_key(&mut fk("suggestion", "assigned_account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("suggestion", &["token_hash"], true)).await?;
        m.create_index(index("suggestion", &["status"], false)).await?;
        m.create_index(index("suggestion", &["created_at"], false)).await?;
        m.create_index(index("suggestion", &["assigned_region_id"], false)).await?;

        m.create_table(
            table("suggestion_photo")
                .col(id("suggestion_id"))
                .col(int("position"))
                .col(s("sha256", 64))
                .col(s("media_type", 32))
                .col(id("size"))
                .foreign_key(&mut fk("suggestion_photo", "suggestion_id", "suggestion"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("suggestion_photo", &["suggestion_id", "position"], true)).await?;

        // What was done, in order, for the suggestion's page; the audit log keeps the rest.
        m.create_table(
            table("suggestion_event")
                .col(id("suggestion_id"))
                .col(s("action", 16))
                .col(s_null("from_status", 16))
                .col(s("to_status", 16))
                .col(txt_null("note"))
                .col(s("by_name", 50))
                .col(ts("at"))
                .foreign_key(&mut fk("suggestion_event", "suggestion_id", "suggestion"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("suggestion_event", &["suggestion_id"], false)).await?;
        Ok(())
    }
}
