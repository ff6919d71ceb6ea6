//! 产学研对接: experts and their declared conflicts, enterprises' needs, patents, 专家工作站
//! members, matchmaking events with their attendees and meetings, and engagements.

use super::shorthand::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0002_matchmaking"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = table;

        m.create_table(
            t("expert")
                .col(id_null("person_id"))
                .col(id_null("org_id"))
                .col(s("name", 50))
                .col(s_null("title", 50))
                .col(s("institution", 100))
                // Lists are stored one item per line: items never hold a line break.
                .col(txt("fields"))
                .col(txt("keywords"))
                .col(txt_null("bio"))
                .col(txt("achievements"))
                .col(boolean(Alias::new("consent")))
                .col(boolean(Alias::new("visible")))
                .col(s("status", 16))
                // The audit sequence number of the last write: the ranking index follows it.
                .col(id("rev"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("expert", "person_id", "person"))
                .foreign_key(&mut fk("expert", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("expert", &["person_id"], false)).await?;
        m.create_index(index("expert", &["name"], false)).await?;
        m.create_index(index("expert", &["rev"], false)).await?;

        m.create_table(
            t("expert_conflict")
                .col(id("expert_id"))
                .col(id("org_id"))
                .col(s_null("reason", 200))
                .col(ts("created_at"))
                .foreign_key(&mut fk("expert_conflict", "expert_id", "expert"))
                .foreign_key(&mut fk("expert_conflict", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("expert_conflict", &["expert_id", "org_id"], true)).await?;

        m.create_table(
            t("need")
                .col(id("org_id"))
                .col(s("title", 100))
                .col(s("industry", 50))
                .col(s("kind", 16))
                .col(txt("background"))
                .col(txt("problem"))
                .col(txt("goal"))
                .col(big_integer_null(Alias::new("budget_wan")))
                .col(date_null(Alias::new("deadline")))
                .col(s("status", 16))
                .col(s_null("review_note", 500))
                .col(s_null("reviewed_by", 50))
                .col(ts_null("reviewed_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("need", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("need", &["org_id"], false)).await?;
        m.create_index(index("need", &["status", "id"], false)).await?;
        m.create_index(index("need", &["updated_at"], false)).await?;

        m.create_table(
            t("patent")
                .col(s("number", 20))
                .col(s("title", 200))
                .col(s("kind", 16))
                .col(s("applicant", 100))
                .col(s("inventors", 500))
                .col(date_null(Alias::new("granted_on")))
                .col(id_null("expert_id"))
                .col(id_null("org_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("patent", "expert_id", "expert"))
                .foreign_key(&mut fk("patent", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("patent", &["number"], true)).await?;
        m.create_index(index("patent", &["expert_id"], false)).await?;
        m.create_index(index("patent", &["org_id"], false)).await?;

        m.create_table(
            t("workstation_expert")
                .col(id("org_id"))
                .col(id("expert_id"))
                .col(date_null(Alias::new("joined_on")))
                .col(s_null("project", 200))
                .col(s_null("result", 500))
                .foreign_key(&mut fk("workstation_expert", "org_id", "org"))
                .foreign_key(&mut fk("workstation_expert", "expert_id", "expert"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("workstation_expert", &["org_id", "expert_id"], true)).await?;
        m.create_index(index("workstation_expert", &["expert_id"], false)).await?;

        m.create_table(
            t("match_event")
                .col(s("name", 100))
                .col(date(Alias::new("held_on")))
                .col(s_null("place", 100))
                .col(s("starts_at", 5))
                .col(int("slots"))
                .col(int("slot_minutes"))
                .col(boolean(Alias::new("fair")))
                .col(s("status", 16))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("match_event", &["held_on"], false)).await?;

        m.create_table(
            t("match_event_need")
                .col(id("event_id"))
                .col(id("need_id"))
                .col(int("wanted"))
                .col(s("unavailable", 100))
                .foreign_key(&mut fk("match_event_need", "event_id", "match_event"))
                .foreign_key(&mut fk("match_event_need", "need_id", "need"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("match_event_need", &["event_id", "need_id"], true)).await?;

        m.create_table(
            t("match_event_expert")
                .col(id("event_id"))
                .col(id("expert_id"))
                .col(int("max_meetings"))
                .col(s("unavailable", 100))
                .foreign_key(&mut fk("match_event_expert", "event_id", "match_event"))
                .foreign_key(&mut fk("match_event_expert", "expert_id", "expert"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("match_event_expert", &["event_id", "expert_id"], true)).await?;

        m.create_table(
            t("match_event_meeting")
                .col(id("event_id"))
                .col(id("expert_id"))
                .col(id("need_id"))
                .col(int("slot"))
                .col(double(Alias::new("score")))
                .col(ts_null("expert_arrived_at"))
                .col(ts_null("enterprise_arrived_at"))
                .foreign_key(&mut fk("match_event_meeting", "event_id", "match_event"))
                .foreign_key(&mut fk("match_event_meeting", "expert_id", "expert"))
                .foreign_key(&mut fk("match_event_meeting", "need_id", "need"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("match_event_meeting", &["event_id", "slot"], false)).await?;

        m.create_table(
            t("engagement")
                .col(id("need_id"))
                .col(id("expert_id"))
                .col(id_null("event_id"))
                .col(s("stage", 16))
                .col(big_integer_null(Alias::new("contract_wan")))
                .col(s_null("outcome", 16))
                .col(date_null(Alias::new("follow_up_on")))
                .col(txt_null("note"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("engagement", "need_id", "need"))
                .foreign_key(&mut fk("engagement", "expert_id", "expert"))
                .foreign_key(&mut fk("engagement", "event_id", "match_event"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("engagement", &["need_id", "expert_id"], true)).await?;
        m.create_index(index("engagement", &["expert_id"], false)).await?;
        m.create_index(index("engagement", &["follow_up_on"], false)).await?;
        Ok(())
    }
}
