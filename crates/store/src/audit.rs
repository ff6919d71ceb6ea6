//! Appending to and reading the hash-chained audit log.

use crate::entity::{audit_head, audit_log};
use crate::{Result, StoreError, now};
use kexie_core::account::Actor;
use kexie_core::audit::{AuditFields, Break, Verifier, chain_hash};
use kexie_core::page::{Page, PageRequest};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;

/// The chain's head, held for the length of one writing transaction.
pub struct Chain {
    seq: i64,
    hash: String,
    started: i64,
}

impl Chain {
    /// The sequence number the next record will get; writes use it as the row's revision.
    pub fn next_seq(&self) -> i64 {
        self.seq + 1
    }

    /// Appends one entry: who did what to which record, with its state before and after.
    #[allow(clippy::too_many_arguments)]
    pub async fn record(
        &mut self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        action: &str,
        entity: &str,
        entity_id: Option<i64>,
        before: Option<&(impl Serialize + ?Sized)>,
        after: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<i64> {
        let (before, after) = (to_json(before), to_json(after));
        let at = now();
        let seq = self.seq + 1;
        let fields = AuditFields {
            seq,
            at,
            actor_id: actor.account_id,
            actor_name: &actor.username,
            action,
            entity,
            entity_id,
            before: before.as_deref(),
            after: after.as_deref(),
        };
        let hash = chain_hash(&self.hash, &fields);
        audit_log::Entity::insert(audit_log::ActiveModel {
            seq: Set(seq),
            at: Set(at),
            actor_id: Set(actor.account_id),
            actor_name: Set(actor.username.clone()),
            action: Set(action.to_string()),
            entity: Set(entity.to_string()),
            entity_id: Set(entity_id),
            before: Set(before),
            after: Set(after),
            prev_hash: Set(self.hash.clone()),
            hash: Set(hash.clone()),
        })
        .exec_without_returning(txn)
        .await?;
        self.seq = seq;
        self.hash = hash;
        Ok(seq)
    }
}

fn to_json<T: Serialize + ?Sized>(v: Option<&T>) -> Option<String> {
    v.map(|v| serde_json::to_string(v).expect("records serialise"))
}

/// Starts a writing transaction holding the chain's head. The first statement is an update of
/// the head row, which serialises writers on every backend.
pub async fn begin(db: &DatabaseConnection) -> Result<(DatabaseTransaction, Chain)> {
    let txn = db.begin().await?;
    audit_head::Entity::update_many()
        .col_expr(audit_head::Column::Seq, Expr::col(audit_head::Column::Seq))
        .filter(audit_head::Column::Id.eq(1))
        .exec(&txn)
        .await?;
    let head = audit_head::Entity::find_by_id(1).one(&txn).await?.ok_or(StoreError::NotFound)?;
    Ok((txn, Chain { seq: head.seq, hash: head.hash, started: head.seq }))
}

/// Moves the head to the last record and commits.
pub async fn commit(txn: DatabaseTransaction, chain: Chain) -> Result<()> {
    if chain.seq != chain.started {
        audit_head::Entity::update(audit_head::ActiveModel { id: Set(1), seq: Set(chain.seq), hash: Set(chain.hash) })
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The head's sequence number: it changes exactly when something was written.
pub async fn head_seq(db: &impl ConnectionTrait) -> Result<i64> {
    let seq: Option<i64> =
        audit_head::Entity::find_by_id(1).select_only().column(audit_head::Column::Seq).into_tuple().one(db).await?;
    Ok(seq.unwrap_or(0))
}

/// Verifies the whole chain in sequence order, streaming so that millions of rows fit.
pub async fn verify(db: &DatabaseConnection, mut progress: impl FnMut(u64, u64)) -> Result<Result<u64, Break>> {
    let total = audit_log::Entity::find().count(db).await?;
    let mut v = Verifier::default();
    let mut after = 0i64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gt(after))
            .order_by_asc(audit_log::Column::Seq)
            .limit(5000)
            .all(db)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for r in &rows {
            let f = AuditFields {
                seq: r.seq,
                at: r.at,
                actor_id: r.actor_id,
                actor_name: &r.actor_name,
                action: &r.action,
                entity: &r.entity,
                entity_id: r.entity_id,
                before: r.before.as_deref(),
                after: r.after.as_deref(),
            };
            if let Err(b) = v.step(&f, &r.prev_hash, &r.hash) {
                return Ok(Err(b));
            }
        }
        progress(v.checked, total);
    }
    // Rows cut off the end leave the head pointing past the last row.
    let head = head_seq(db).await?;
    if head != after {
        return Ok(Err(Break::Broken { seq: head }));
    }
    Ok(Ok(v.checked))
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    pub action: Option<String>,
}

/// Newest first.
pub async fn list(db: &DatabaseConnection, f: &AuditFilter, page: PageRequest) -> Result<Page<audit_log::Model>> {
    let mut q = audit_log::Entity::find();
    if let Some(e) = &f.entity {
        q = q.filter(audit_log::Column::Entity.eq(e.as_str()));
    }
    if let Some(id) = f.entity_id {
        q = q.filter(audit_log::Column::EntityId.eq(id));
    }
    if let Some(a) = &f.actor {
        q = q.filter(audit_log::Column::ActorName.eq(a.as_str()));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_log::Column::Action.eq(a.as_str()));
    }
    let total = q.clone().count(db).await?;
    let items = q.order_by_desc(audit_log::Column::Seq).offset(page.offset()).limit(page.per_page).all(db).await?;
    Ok(Page { items, total, page: page.page, per_page: page.per_page })
}

pub async fn get(db: &DatabaseConnection, seq: i64) -> Result<audit_log::Model> {
    audit_log::Entity::find_by_id(seq).one(db).await?.ok_or(StoreError::NotFound)
}
