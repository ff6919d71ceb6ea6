//! kexie's storage: SeaORM over SQLite, PostgreSQL or MySQL/MariaDB with one code path.
//! Every query takes the caller's data scope; every write runs in one transaction that also
//! appends to the hash-chained audit log.

pub mod account;
pub mod activity;
pub mod audit;
pub mod backup;
pub mod demo;
pub mod entity;
mod error;
pub mod estation;
pub mod home;
pub mod matchmaking;
pub mod migration;
pub mod notice;
pub mod org;
pub mod outreach;
pub mod person;
pub mod reference;
pub mod region;
pub mod sms;
pub mod suggestion;
pub mod volunteer;

pub use error::StoreError;
pub use sea_orm::DatabaseConnection;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DbBackend};
use sea_orm_migration::MigratorTrait;
use std::sync::Arc;
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whole seconds, UTC: what every backend stores exactly (MySQL's TIMESTAMP has no fraction by
/// default), so a row reads back equal to what was hashed into the audit chain.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(0)
}

/// A handle on the database and the in-memory read models that follow it.
/// The UTC instants a China-time month starts and ends.
pub(crate) fn month_bounds(month: &str) -> Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    let first = chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((kexie_core::estation::proof::day_start(first), kexie_core::estation::proof::day_start(next)))
}

pub(crate) fn year_bounds(year: i32) -> Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)> {
    let first = chrono::NaiveDate::from_ymd_opt(year, 1, 1)?;
    let next = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1)?;
    Some((kexie_core::estation::proof::day_start(first), kexie_core::estation::proof::day_start(next)))
}

/// The town a region is in, by name (the district's name for the district itself).
pub(crate) fn town_name(tree: &kexie_core::region::RegionTree, region_id: i64) -> String {
    tree.town_of(region_id).or_else(|| tree.get(region_id)).map(|r| r.name.clone()).unwrap_or_default()
}

/// A photo already written to the media directory under its sha256.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewPhoto {
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
}

/// SUM of an integer column as a 64-bit integer on every backend (PostgreSQL and MySQL sum
/// integers into decimals).
pub(crate) fn sum_i64(backend: sea_orm::DbBackend, col: &str) -> sea_orm::sea_query::SimpleExpr {
    let t = match backend {
        sea_orm::DbBackend::Postgres => "BIGINT",
        sea_orm::DbBackend::MySql => "SIGNED",
        _ => "INTEGER",
    };
    sea_orm::sea_query::Expr::cust(format!("CAST(SUM({col}) AS {t})"))
}

/// The year of a date column as an integer on every backend.
pub(crate) fn year_i32(backend: sea_orm::DbBackend, col: &str) -> sea_orm::sea_query::SimpleExpr {
    sea_orm::sea_query::Expr::cust(match backend {
        sea_orm::DbBackend::Postgres => format!("CAST(EXTRACT(YEAR FROM {col}) AS INTEGER)"),
        sea_orm::DbBackend::MySql => format!("YEAR({col})"),
        _ => format!("CAST(strftime('%Y', {col}) AS INTEGER)"),
    })
}

#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    url: Arc<str>,
    catalog: Arc<org::catalog::Catalog>,
    rankings: Arc<matchmaking::Rankings>,
    screens: Arc<estation::Screens>,
}

impl Store {
    /// Connects; SQLite gets WAL, full fsync and foreign keys, and its file is created if missing.
    pub async fn connect(url: &str) -> Result<Self> {
        let mut opts = ConnectOptions::new(url.to_string());
        opts.max_connections(if url.starts_with("sqlite") { 8 } else { 16 })
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(false);
        if url.starts_with("sqlite") {
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30))
            });
        }
        let db = Database::connect(opts).await?;
        Ok(Self { db, url: url.into(), catalog: Arc::default(), rankings: Arc::default(), screens: Arc::default() })
    }

    /// The URL this store was opened with.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// Applies pending migrations. Refuses a database that a newer kexie has migrated.
    pub async fn migrate(&self) -> Result<()> {
        let known: Vec<String> = migration::Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
        let applied = applied_migrations(&self.db).await?;
        if let Some(unknown) = applied.iter().find(|a| !known.contains(a)) {
            return Err(StoreError::NewerSchema(unknown.clone()));
        }
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Commits a writing transaction and tells the read models to look again before the next
    /// read, so this node reads its own writes at once.
    pub(crate) async fn commit(&self, txn: sea_orm::DatabaseTransaction, chain: audit::Chain) -> Result<()> {
        audit::commit(txn, chain).await?;
        self.catalog.invalidate();
        Ok(())
    }

    /// Whether the database holds no region yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        use sea_orm::{EntityTrait, PaginatorTrait};
        Ok(entity::region::Entity::find().count(&self.db).await? == 0)
    }

    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }
}

async fn applied_migrations(db: &DatabaseConnection) -> Result<Vec<String>> {
    use sea_orm::Statement;
    let probe = Statement::from_string(db.get_database_backend(), "SELECT version FROM seaql_migrations");
    match db.query_all_raw(probe).await {
        Ok(rows) => Ok(rows.iter().filter_map(|r| r.try_get::<String>("", "version").ok()).collect()),
        // No migration table yet: nothing applied.
        Err(_) => Ok(Vec::new()),
    }
}
