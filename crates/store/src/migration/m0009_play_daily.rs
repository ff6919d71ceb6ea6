//! The daily rollup of proof of play (`play_daily`), so that reports and the outreach figures
//! over a year read a row per station, day and content rather than every play; filled here
//! from the plays already stored, then kept in step as plays arrive.

use super::shorthand::*;
use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0009_play_daily"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("play_daily")
                .col(int("day"))
                .col(id("station_id"))
                .col(id("media_id"))
                // 0 where none: the unique key below must find equal keys equal.
                .col(id("schedule_id"))
                .col(id("interrupt_id"))
                .col(id("plays"))
                .col(id("played_ms"))
                .col(id("open_ms"))
                .col(id("audience"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("play_daily", &["day", "station_id", "media_id", "schedule_id", "interrupt_id"], true))
            .await?;
        crate::estation::play::backfill(m.get_connection()).await
    }
}
