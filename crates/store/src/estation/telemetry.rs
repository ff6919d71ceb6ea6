//! Group commit for what screens send most often: heartbeats and plays. On SQLite, requests
//! that arrive together share one transaction (one fsync for many screens); each is answered
//! only after that transaction has committed, so an acknowledged play is durable. Ten thousand
//! screens beating every minute would otherwise queue one synced write each behind SQLite's
//! single writer.

use crate::entity::device;
use crate::{Result, StoreError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{Notify, oneshot};

/// What a heartbeat changes on its screen's row.
#[derive(Debug, Clone)]
pub(crate) struct Beat {
    pub device: i64,
    pub at: DateTime<Utc>,
    pub acked_version: Option<String>,
    pub cached_all: bool,
    pub playing: Option<String>,
    pub free_disk_mb: Option<i64>,
    pub uptime_s: Option<i64>,
    pub app_version: Option<String>,
    /// Holds the current manifest with every file: the screen is in sync as of `at`.
    pub synced: bool,
}

pub(crate) enum Job {
    Beat(Beat),
    /// One screen's batch of plays; its answer is how many were new.
    Plays(super::play::Batch),
}

type Waiting = (Job, oneshot::Sender<std::result::Result<u64, String>>);

#[derive(Default)]
struct Inner {
    queue: Mutex<Vec<Waiting>>,
    wake: Notify,
}

#[derive(Default)]
pub struct Telemetry {
    inner: Arc<Inner>,
    started: OnceLock<()>,
}

impl Telemetry {
    /// Queues a write and waits until the transaction that carries it has committed.
    /// PostgreSQL and MySQL take concurrent writers (and group their commits themselves):
    /// there each write goes straight in, in its own transaction.
    pub(crate) async fn submit(&self, db: &DatabaseConnection, job: Job) -> Result<u64> {
        if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
            let txn = db.begin().await?;
            let n = exec(&txn, &job).await?;
            txn.commit().await?;
            return Ok(n);
        }
        self.started.get_or_init(|| {
            tokio::spawn(run(self.inner.clone(), db.clone()));
        });
        let (tx, rx) = oneshot::channel();
        self.inner.queue.lock().expect("telemetry lock").push((job, tx));
        self.inner.wake.notify_one();
        match rx.await {
            Ok(Ok(n)) => Ok(n),
            Ok(Err(e)) => Err(StoreError::Db(sea_orm::DbErr::Custom(e))),
            Err(_) => Err(StoreError::Db(sea_orm::DbErr::Custom("telemetry writer stopped".into()))),
        }
    }
}

async fn run(inner: Arc<Inner>, db: DatabaseConnection) {
    loop {
        inner.wake.notified().await;
        loop {
            let jobs = std::mem::take(&mut *inner.queue.lock().expect("telemetry lock"));
            if jobs.is_empty() {
                break;
            }
            flush(&db, jobs).await;
        }
    }
}

async fn exec(txn: &DatabaseTransaction, job: &Job) -> std::result::Result<u64, sea_orm::DbErr> {
    match job {
        Job::Plays(batch) => super::play::store_batch(txn, batch).await,
        Job::Beat(b) => {
            let mut q = device::Entity::update_many()
                .col_expr(device::Column::LastSeenAt, Expr::value(b.at))
                .col_expr(device::Column::AckedVersion, Expr::value(b.acked_version.clone()))
                .col_expr(device::Column::CachedAll, Expr::value(b.cached_all))
                .col_expr(device::Column::Playing, Expr::value(b.playing.clone()))
                .col_expr(device::Column::FreeDiskMb, Expr::value(b.free_disk_mb))
                .col_expr(device::Column::UptimeS, Expr::value(b.uptime_s));
            if let Some(v) = &b.app_version {
                q = q.col_expr(device::Column::AppVersion, Expr::value(v.clone()));
            }
            if b.synced {
                q = q.col_expr(device::Column::SyncedAt, Expr::value(b.at));
            }
            Ok(q.filter(device::Column::Id.eq(b.device)).exec(txn).await?.rows_affected)
        }
    }
}

/// All jobs in one transaction; if anything fails, each job alone, so one bad write never
/// takes the others with it.
async fn flush(db: &DatabaseConnection, jobs: Vec<Waiting>) {
    if jobs.len() > 1
        && let Ok(txn) = db.begin().await
    {
        let mut results = Vec::with_capacity(jobs.len());
        for (job, _) in &jobs {
            match exec(&txn, job).await {
                Ok(n) => results.push(n),
                Err(_) => break,
            }
        }
        if results.len() == jobs.len() {
            if txn.commit().await.is_ok() {
                for ((_, tx), n) in jobs.into_iter().zip(results) {
                    let _ = tx.send(Ok(n));
                }
                return;
            }
        } else {
            let _ = txn.rollback().await;
        }
    }
    for (job, tx) in jobs {
        let one = async {
            let txn = db.begin().await?;
            let n = exec(&txn, &job).await?;
            txn.commit().await?;
            Ok::<u64, sea_orm::DbErr>(n)
        };
        let _ = tx.send(one.await.map_err(|e| e.to_string()));
    }
}
