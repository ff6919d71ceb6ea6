//! 志愿者与活动: volunteers and their teams (teams and practice sites are organisations),
//! activities with registration and check-in, their photos, and the hours ledger.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_volunteer"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("volunteer")
                .col(id("person_id"))
                .col(id("region_id"))
                .col(s("status", 16))
                .col(s("skills", 200))
                .col(s("availability", 100))
                // self, import or staff: how the volunteer came to be registered.
                .col(s("source", 16))
                .col(id_null("account_id"))
                .col(ts_null("verified_at"))
                .col(s_null("verified_by", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("volunteer", "person_id", "person"))
                .foreign_key(&mut fk("volunteer", "region_id", "region"))
                .foreign_key(&mut fk("volunteer", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("volunteer", &["person_id"], true)).await?;
        m.create_index(index("volunteer", &["region_id", "status"], false)).await?;

        m.create_table(
            table("team_member")
                .col(id("volunteer_id"))
                .col(id("team_id"))
                .col(s("status", 16))
                .col(ts("requested_at"))
                .col(ts_null("decided_at"))
                .col(s_null("decided_by", 50))
                .foreign_key(&mut fk("team_member", "volunteer_id", "volunteer"))
                .foreign_key(&mut fk("team_member", "team_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("team_member", &["volunteer_id", "team_id"], true)).await?;
        m.create_index(index("team_member", &["team_id", "status"], false)).await?;

        m.create_table(
            table("activity")
                .col(s("title", 80))
                .col(s("kind", 24))
                .col(s("theme", 40))
                .col(flag("month_theme"))
                .col(id("organiser_org_id"))
                .col(s_null("co_organisers", 200))
                .col(s("place", 100))
                .col(id("region_id"))
                .col(ts("starts_at"))
                .col(ts("ends_at"))
                .col(int_null("capacity"))
                .col(s_null("audience", 60))
                .col(txt_null("summary"))
                .col(flag("volunteer_hours"))
                .col(s("status", 16))
                // The secret in the activity's own QR code: scanning it opens its check-in page.
                .col(s("checkin_key", 32))
                // Seats taken, moved by one conditional update so capacity holds under load.
                .col(int("registered"))
                .col(txt_null("report"))
                .col(int("extra_reach"))
                .col(s("created_by", 50))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("activity", "organiser_org_id", "org"))
                .foreign_key(&mut fk("activity", "region_id", "region"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activity", &["starts_at"], false)).await?;
        m.create_index(index("activity", &["region_id", "starts_at"], false)).await?;

        m.create_table(
            table("activity_registration")
                .col(id("activity_id"))
                .col(s("name", 20))
                .col(s("phone", 20))
                .col(id_null("volunteer_id"))
                // The person's own code: staff scan it to check them in or out.
                .col(s("ticket", 32))
                // online, walk_in or staff
                .col(s("source", 16))
                .col(ts("registered_at"))
                .col(ts_null("checked_in_at"))
                .col(ts_null("checked_out_at"))
                .col(s_null("checked_by", 50))
                .foreign_key(&mut fk("activity_registration", "activity_id", "activity"))
                .foreign_key(&mut fk("activity_registration", "volunteer_id", "volunteer"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activity_registration", &["activity_id", "phone"], true)).await?;
        m.create_index(index("activity_registration", &["ticket"], true)).await?;
        m.create_index(index("activity_registration", &["volunteer_id"], false)).await?;

        m.create_table(
            table("activity_photo")
                .col(id("activity_id"))
                .col(int("position"))
                .col(s("sha256", 64))
                .col(s("media_type", 32))
                .col(id("size"))
                .foreign_key(&mut fk("activity_photo", "activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("activity_photo", &["activity_id", "position"], true)).await?;

        // 志愿服务记录: one service (or training) by one volunteer, with who recorded and who
        // certified it.
        m.create_table(
            table("service_record")
                .col(id("volunteer_id"))
                .col(id_null("team_id"))
                .col(id_null("activity_id"))
                .col(id_null("registration_id"))
                .col(s("source", 16))
                .col(s("status", 16))
                .col(day("served_on"))
                .col(int("minutes"))
                .col(s("service", 100))
                .col(s("place", 100))
                .col(flag("training"))
                .col(s_null("evaluation", 200))
                .col(s("recorded_by", 50))
                .col(s("recorder_org", 100))
                .col(s_null("certified_by", 100))
                .col(s_null("decided_by", 50))
                .col(ts_null("decided_at"))
                .col(s_null("decision_note", 200))
                .col(ts("created_at"))
                .foreign_key(&mut fk("service_record", "volunteer_id", "volunteer"))
                .foreign_key(&mut fk("service_record", "team_id", "org"))
                .foreign_key(&mut fk("service_record", "activity_id", "activity"))
                .to_owned(),
        )
        .await?;
        // A volunteer's total and ledger; a team's year (covering: the ledger grows in date
        // order, so reading each line's status and minutes from the table costs a page a line
        // for a large team); hours earned at an activity only once.
        m.create_index(index("service_record", &["volunteer_id", "served_on"], false)).await?;
        m.create_index(index("service_record", &["team_id", "served_on", "status", "volunteer_id", "minutes"], false))
            .await?;
        m.create_index(index("service_record", &["registration_id"], true)).await?;
        m.create_index(index("service_record", &["status", "created_at"], false)).await?;
        Ok(())
    }
}
