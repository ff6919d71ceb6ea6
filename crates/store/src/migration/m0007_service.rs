//! 志愿服务的组织: practice sites' service projects, shifts and who signs up for them,
//! service orders (点单 → 派单 → 接单 → 评单), commendations on the ledger, and the in-app
//! notices that carry reminders.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0007_service"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // A service a practice site (or a team) offers again and again; the orderable ones are
        // the public menu citizens order from.
        m.create_table(
            table("service_project")
                .col(id("org_id"))
                .col(s("title", 80))
                .col(s("kind", 24))
                .col(txt_null("summary"))
                .col(flag("orderable"))
                .col(s("status", 16))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("service_project", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("service_project", &["org_id", "status"], false)).await?;

        // Volunteers needed for an activity or a project: a role, a start, a length, how many.
        m.create_table(
            table("shift")
                .col(id_null("activity_id"))
                .col(id_null("project_id"))
                .col(s("role", 40))
                .col(s("place", 100))
                .col(id("region_id"))
                .col(ts("starts_at"))
                .col(int("minutes"))
                .col(int("quantity"))
                // Places taken, moved by one conditional update so the quantity holds.
                .col(int("taken"))
                .col(s("status", 16))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("shift", "activity_id", "activity"))
                .foreign_key(&mut fk("shift", "project_id", "service_project"))
                .foreign_key(&mut fk("shift", "region_id", "region"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("shift", &["starts_at"], false)).await?;
        m.create_index(index("shift", &["activity_id"], false)).await?;
        m.create_index(index("shift", &["project_id"], false)).await?;

        m.create_table(
            table("shift_signup")
                .col(id("shift_id"))
                .col(id("volunteer_id"))
                // signed, cancelled or handed_over
                .col(s("status", 16))
                // self, staff or swap
                .col(s("source", 16))
                // The volunteer offers the place to whoever takes it (a swap).
                .col(flag("offered"))
                .col(s("signed_by", 50))
                .col(ts("signed_at"))
                .col(ts_null("cancelled_at"))
                .col(s_null("cancel_note", 200))
                .col(ts_null("reminded_at"))
                .foreign_key(&mut fk("shift_signup", "shift_id", "shift"))
                .foreign_key(&mut fk("shift_signup", "volunteer_id", "volunteer"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("shift_signup", &["shift_id", "volunteer_id"], true)).await?;
        m.create_index(index("shift_signup", &["volunteer_id", "status"], false)).await?;

        // 点单: a community or a citizen orders a service; staff dispatch it to a team; the
        // team accepts (an activity is planned for it) and runs it; the orderer rates it.
        m.create_table(
            table("service_order")
                // The orderer's own link to follow and rate the order.
                .col(s("ticket", 32))
                // community or citizen
                .col(s("orderer_kind", 16))
                .col(s("orderer", 60))
                .col(s("contact", 20))
                .col(s("phone", 20))
                .col(id("region_id"))
                .col(s("place", 100))
                .col(id_null("project_id"))
                .col(s("kind", 24))
                .col(s("topic", 80))
                .col(day("wanted_on"))
                .col(int_null("audience"))
                .col(txt_null("detail"))
                .col(s("status", 16))
                .col(id_null("team_id"))
                .col(s_null("dispatched_by", 50))
                .col(ts_null("dispatched_at"))
                .col(s_null("decided_by", 50))
                .col(ts_null("decided_at"))
                .col(s_null("decline_note", 200))
                .col(id_null("activity_id"))
                .col(ts_null("done_at"))
                .col(txt_null("done_note"))
                .col(int_null("rating"))
                .col(s_null("rating_note", 200))
                .col(ts_null("rated_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("service_order", "region_id", "region"))
                .foreign_key(&mut fk("service_order", "project_id", "service_project"))
                .foreign_key(&mut fk("service_order", "team_id", "org"))
                .foreign_key(&mut fk("service_order", "activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("service_order", &["ticket"], true)).await?;
        m.create_index(index("service_order", &["status", "created_at"], false)).await?;
        m.create_index(index("service_order", &["team_id", "status"], false)).await?;

        // 表彰奖励: what 民政部令第67号 asks the record to hold beside the hours.
        m.create_table(
            table("commendation")
                .col(id("volunteer_id"))
                .col(s("title", 100))
                .col(s("awarded_by", 100))
                .col(day("awarded_on"))
                .col(s("recorded_by", 50))
                .col(ts("created_at"))
                .foreign_key(&mut fk("commendation", "volunteer_id", "volunteer"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("commendation", &["volunteer_id"], false)).await?;

        // A message for one account: shift reminders, a place taken over, an order dispatched.
        m.create_table(
            table("notice")
                .col(id("account_id"))
                .col(s("title", 100))
                .col(s("body", 400))
                .col(s_null("link", 200))
                .col(ts("created_at"))
                .col(ts_null("read_at"))
                .foreign_key(&mut fk("notice", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notice", &["account_id", "read_at"], false)).await?;
        Ok(())
    }
}
