//! 科普宣传: content with its versions and review trail, publications on the nine channels,
//! reach per publication, campaigns, resources handed out, and the log the search index follows.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_outreach"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("campaign")
                .col(s("name", 60))
                .col(s("kind", 20))
                .col(day("starts_on"))
                .col(day("ends_on"))
                .col(txt_null("description"))
                .col(id_null("content_id"))
                .col(id_null("interrupt_id"))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            table("content")
                .col(id("region_id"))
                .col(s("title", 80))
                .col(s("kind", 16))
                .col(s("topic", 20))
                .col(s("audience", 20))
                .col(s("source", 16))
                .col(s_null("source_name", 60))
                .col(txt("tags"))
                .col(txt_null("summary"))
                .col(txt("body"))
                .col(s("status", 20))
                .col(int("version"))
                .col(s_null("file_sha", 64))
                .col(s_null("file_name", 200))
                .col(s_null("file_type", 100))
                .col(big_null("file_size"))
                // The screens' media item once the piece has been prepared for screens.
                .col(id_null("media_id"))
                .col(id_null("campaign_id"))
                .col(id("author_id"))
                .col(s("author_name", 50))
                .col(id_null("science_reviewer_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .col(ts_null("published_at"))
                .foreign_key(&mut fk("content", "region_id", "region"))
                .foreign_key(&mut fk("content", "campaign_id", "campaign"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("content", &["status"], false)).await?;

        // Every saved version, whole, so history shows what each review saw.
        m.create_table(
            table("content_version")
                .col(id("content_id"))
                .col(int("version"))
                .col(txt("snapshot"))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .foreign_key(&mut fk("content_version", "content_id", "content"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("content_version", &["content_id", "version"], true)).await?;

        m.create_table(
            table("content_review")
                .col(id("content_id"))
                .col(int("version"))
                .col(s("step", 16))
                .col(s("from_status", 20))
                .col(s("to_status", 20))
                .col(txt_null("comment"))
                .col(id("by_id"))
                .col(s("by_name", 50))
                .col(ts("at"))
                .foreign_key(&mut fk("content_review", "content_id", "content"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("content_review", &["content_id"], false)).await?;

        // A publication is done, or a task (an emergency campaign's channel not yet served).
        m.create_table(
            table("publication")
                .col(id("content_id"))
                .col(s("channel", 16))
                .col(s("status", 10))
                .col(s("account", 60))
                .col(day_null("published_on"))
                .col(s_null("link", 300))
                .col(s_null("issue", 60))
                .col(id_null("schedule_id"))
                .col(id_null("interrupt_id"))
                .col(id_null("campaign_id"))
                .col(id_null("region_id"))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("publication", "content_id", "content"))
                .foreign_key(&mut fk("publication", "campaign_id", "campaign"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("publication", &["content_id"], false)).await?;
        m.create_index(index("publication", &["published_on"], false)).await?;

        // The current person-times of a publication and how they are known; screens' reach is
        // read from proof of play instead. Earlier figures stay in the audit log.
        m.create_table(
            table("reach")
                .col(id("publication_id"))
                .col(s("method", 16))
                .col(id("person_times"))
                .col(txt_null("basis"))
                .col(s("updated_by", 50))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("reach", "publication_id", "publication"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("reach", &["publication_id"], true)).await?;

        m.create_table(
            table("distribution")
                .col(s("resource", 100))
                .col(s("resource_kind", 16))
                .col(int("quantity"))
                .col(s("recipient", 100))
                .col(id("region_id"))
                .col(day("sent_on"))
                .col(s_null("signed_by", 50))
                .col(day_null("signed_on"))
                .col(s_null("receipt_sha", 64))
                .col(txt_null("note"))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .foreign_key(&mut fk("distribution", "region_id", "region"))
                .to_owned(),
        )
        .await?;

        // What the search index must (re)read, in order; each node's index follows it.
        m.create_table(table("search_change").col(s("kind", 16)).col(id("ref_id")).col(ts("at")).to_owned()).await?;
        Ok(())
    }
}
