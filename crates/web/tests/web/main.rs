//! kexie's integration tests, all in one binary: each test spawns the real server on a random
//! port over its own database (SQLite in a temp dir, or a fresh PostgreSQL/MySQL database when
//! TEST_DATABASE_URL is set) and drives it as a user would.

mod helpers;

mod activity;
mod api;
mod auth;
mod backup;
mod bombs;
mod crawl;
mod estation;
mod figures;
mod home;
mod hostile;
mod inspect;
mod matchmaking;
mod order;
mod org;
mod outreach;
mod outreach_extra;
mod person;
mod pickers;
mod privacy;
mod reference;
mod routes;
mod security;
mod shift;
mod suggestion;
mod volunteer;
