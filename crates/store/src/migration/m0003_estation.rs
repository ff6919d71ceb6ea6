//! 科普e站: stations and their groups, screens and enrolment codes, the media library,
//! schedules, emergency interrupts, the change log screens follow, and proof of play.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0003_estation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("station")
                .col(id("org_id"))
                .col(real_null("lat"))
                .col(real_null("lng"))
                .col(s("hours", 20))
                .col(int("audience_per_hour"))
                .col(flag("has_counter"))
                .col(txt("tags"))
                .col(flag("five_network"))
                .col(flag("five_staff"))
                .col(flag("five_venue"))
                .col(flag("five_activities"))
                .col(flag("five_terminal"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("station", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("station", &["org_id"], true)).await?;

        m.create_table(
            table("station_group")
                .col(s("name", 50))
                .col(id_null("parent_id"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("station_group", "parent_id", "station_group"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            table("station_group_member")
                .col(id("group_id"))
                .col(id("station_id"))
                .foreign_key(&mut fk("station_group_member", "group_id", "station_group"))
                .foreign_key(&mut fk("station_group_member", "station_id", "station"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("station_group_member", &["group_id", "station_id"], true)).await?;
        m.create_index(index("station_group_member", &["station_id"], false)).await?;

        m.create_table(
            table("device")
                .col(id("station_id"))
                .col(s("name", 50))
                .col(s_null("hardware_id", 100))
                .col(s_null("token_hash", 64))
                .col(s_null("model", 50))
                .col(s_null("resolution", 20))
                .col(s_null("app_version", 20))
                .col(ts_null("enrolled_at"))
                .col(ts_null("revoked_at"))
                .col(ts_null("last_seen_at"))
                .col(s_null("acked_version", 40))
                // When the screen last held the current manifest with every file cached.
                .col(ts_null("synced_at"))
                .col(flag("cached_all"))
                .col(s_null("playing", 40))
                .col(big_null("free_disk_mb"))
                .col(big_null("uptime_s"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("device", "station_id", "station"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("device", &["station_id"], false)).await?;
        m.create_index(index("device", &["token_hash"], true)).await?;
        m.create_index(index("device", &["hardware_id"], false)).await?;

        m.create_table(
            table("enrollment_code")
                .col(id("device_id"))
                .col(s("code_hash", 64))
                .col(ts("expires_at"))
                .col(ts_null("used_at"))
                .col(ts("created_at"))
                .foreign_key(&mut fk("enrollment_code", "device_id", "device"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("enrollment_code", &["code_hash"], true)).await?;

        m.create_table(
            table("media")
                .col(s("sha256", 64))
                .col(s("title", 100))
                .col(s("media_type", 40))
                .col(id("size"))
                .col(int("duration_s"))
                .col(s("file_name", 200))
                .col(ts("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("media", &["sha256"], true)).await?;

        m.create_table(
            table("screen_schedule")
                .col(id("media_id"))
                .col(int("priority"))
                .col(ts("valid_from"))
                .col(ts("valid_to"))
                // Dayparts as the contract's JSON array.
                .col(txt("dayparts"))
                .col(s("target_kind", 16))
                .col(txt("target_ids"))
                .col(s_null("note", 200))
                .col(ts_null("archived_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("screen_schedule", "media_id", "media"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("screen_schedule", &["valid_to"], false)).await?;

        m.create_table(
            table("screen_interrupt")
                .col(id("media_id"))
                .col(s_null("campaign", 64))
                .col(s("target_kind", 16))
                .col(txt("target_ids"))
                .col(ts("started_at"))
                .col(ts("until"))
                .col(ts_null("cancelled_at"))
                .col(s("created_by", 50))
                .foreign_key(&mut fk("screen_interrupt", "media_id", "media"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("screen_interrupt", &["until"], false)).await?;

        // Every change to what screens play, in order: delivery receipts count screens that
        // have synced since, and other nodes notice changes by its highest id.
        m.create_table(
            table("estation_change")
                .col(ts("at"))
                .col(s("kind", 16))
                .col(id_null("ref_id"))
                .col(s("summary", 200))
                .col(s("target_kind", 16))
                .col(txt("target_ids"))
                .to_owned(),
        )
        .await?;

        // Plays carry no foreign keys: the server checks device and content before inserting,
        // and ingestion is the hottest write path.
        m.create_table(
            table("play")
                .col(id("device_id"))
                .col(s("play_id", 64))
                .col(id("station_id"))
                .col(id("media_id"))
                .col(id_null("schedule_id"))
                .col(id_null("interrupt_id"))
                .col(ts("started_at"))
                // The China-time day as YYYYMMDD: reports group by it on every backend.
                .col(int("day"))
                .col(id("duration_ms"))
                .col(flag("completed"))
                .col(int_null("audience"))
                .col(ts("received_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("play", &["device_id", "play_id"], true)).await?;
        m.create_index(index("play", &["day", "station_id"], false)).await?;
        Ok(())
    }
}
