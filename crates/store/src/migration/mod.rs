//! Versioned migrations. Each runs in a transaction where the backend allows DDL in one
//! (PostgreSQL, SQLite); a database migrated by a newer kexie is refused, never downgraded.

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_matchmaking;
mod m0003_estation;
mod m0004_outreach;
mod m0005_suggestion;
mod m0006_volunteer;
mod m0007_service;
mod m0008_signup_duplicate;
mod m0009_play_daily;
mod m0010_privacy;
mod shorthand;

pub struct Migrator;

impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_matchmaking::Migration),
            Box::new(m0003_estation::Migration),
            Box::new(m0004_outreach::Migration),
            Box::new(m0005_suggestion::Migration),
            Box::new(m0006_volunteer::Migration),
            Box::new(m0007_service::Migration),
            Box::new(m0008_signup_duplicate::Migration),
            Box::new(m0009_play_daily::Migration),
            Box::new(m0010_privacy::Migration),
        ]
    }
}
