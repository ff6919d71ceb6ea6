//! Loads a generated demo district into an empty database, in bulk.

use crate::entity::{officer, org, person, region};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::Actor;
use kexie_core::demo::DemoDistrict;
use kexie_core::org::OrgStatus;
use kexie_core::region::child_path;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, Set, Statement};

/// Rows per INSERT: well inside every backend's limit on bound parameters.
const BATCH: usize = 1000;

/// The demo's events and engagements are drawn with their own seed: the district's seed
/// is not part of the generated district.
const FOLLOWUP_SEED: u64 = 2026;
/// The e-station network is generated from its own seed, so adding to it leaves the rest alone.
const ESTATION_SEED: u64 = 112;

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct DemoCounts {
    pub regions: usize,
    pub orgs: usize,
    pub people: usize,
    pub officers: usize,
    pub accounts: usize,
    pub experts: usize,
    pub needs: usize,
    pub engagements: usize,
    pub contents: usize,
    pub publications: usize,
    pub person_times: i64,
    pub volunteers: usize,
    pub activities: usize,
}

/// After inserting explicit ids, PostgreSQL's sequences must be moved past them (MySQL and
/// SQLite follow the largest id by themselves).
pub(crate) async fn reset_sequences(db: &impl ConnectionTrait, tables: &[&str]) -> Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for t in tables {
        let col = if *t == "audit_log" { continue } else { "id" };
        let sql =
            format!("SELECT setval(pg_get_serial_sequence('{t}', '{col}'), GREATEST((SELECT MAX({col}) FROM {t}), 1))");
        db.execute_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
    }
    Ok(())
}

pub(crate) async fn insert_batches<E, A>(
    txn: &DatabaseTransaction,
    rows: Vec<A>,
    progress: &mut dyn FnMut(&str, usize, usize),
    stage: &str,
) -> Result<()>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    let total = rows.len();
    let mut done = 0;
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        let chunk: Vec<A> = it.by_ref().take(BATCH).collect();
        done += chunk.len();
        E::insert_many(chunk).exec_without_returning(txn).await?;
        progress(stage, done, total);
    }
    Ok(())
}

impl Store {
    /// Writes the district with ids 1..n in each table. Refuses a database that has regions.
    pub async fn load_demo(
        &self,
        d: &DemoDistrict,
        password_hash: &str,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<DemoCounts> {
        self.load_demo_with(d, password_hash, None, false, progress).await
    }

    /// As `load_demo`, also writing the screens' slide files into `media_dir` and, with
    /// `history`, yesterday's proof of play (some 280,000 plays at scale 1).
    pub async fn load_demo_with(
        &self,
        d: &DemoDistrict,
        password_hash: &str,
        media_dir: Option<&std::path::Path>,
        history: bool,
        progress: &mut dyn FnMut(&str, usize, usize),
    ) -> Result<DemoCounts> {
        if !self.is_empty().await? {
            return Err(StoreError::Backup("the database is not empty; the demo loads only into an empty one".into()));
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let rev = chain.next_seq();
        let t = now();

        let mut region_paths: Vec<String> = Vec::with_capacity(d.regions.len());
        let mut rows = Vec::with_capacity(d.regions.len());
        for (i, r) in d.regions.iter().enumerate() {
            let id = i as i64 + 1;
            let path = child_path(r.parent.map(|p| region_paths[p].as_str()), id);
            rows.push(region::ActiveModel {
                id: Set(id),
                code: Set(r.code.clone()),
                name: Set(r.name.clone()),
                kind: Set(r.kind.code().to_string()),
                parent_id: Set(r.parent.map(|p| p as i64 + 1)),
                path: Set(path.clone()),
                rev: Set(rev),
            });
            region_paths.push(path);
        }
        insert_batches(&txn, rows, progress, "region").await?;

        let mut org_paths: Vec<String> = Vec::with_capacity(d.orgs.len());
        let mut rows = Vec::with_capacity(d.orgs.len());
        for (i, o) in d.orgs.iter().enumerate() {
            let id = i as i64 + 1;
            let path = child_path(o.parent.map(|p| org_paths[p].as_str()), id);
            rows.push(org::ActiveModel {
                id: Set(id),
                code: Set(o.code.clone()),
                name: Set(o.name.clone()),
                kind: Set(o.kind.code().to_string()),
                status: Set(OrgStatus::Active.code().to_string()),
                region_id: Set(o.region as i64 + 1),
                parent_id: Set(o.parent.map(|p| p as i64 + 1)),
                enterprise_id: Set(o.enterprise.map(|p| p as i64 + 1)),
                path: Set(path.clone()),
                credit_code: Set(o.credit_code.clone()),
                address: Set(o.address.clone()),
                contact_name: Set(o.contact_name.clone()),
                contact_phone: Set(o.contact_phone.clone()),
                established_on: Set(o.established_on),
                patent_platform_on: Set(o.patent_platform_on),
                kczg_on: Set(o.kczg_on),
                green_platform_on: Set(o.green_platform_on),
                note: Set(None),
                rev: Set(rev),
                created_at: Set(t),
                updated_at: Set(t),
            });
            org_paths.push(path);
        }
        insert_batches(&txn, rows, progress, "org").await?;

        let rows = d
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| person::ActiveModel {
                id: Set(i as i64 + 1),
                name: Set(p.name.clone()),
                gender: Set(Some(p.gender.code().to_string())),
                phone: Set(p.phone.clone()),
                id_number: Set(p.id_number.clone()),
                email: Set(p.email.clone()),
                region_id: Set(p.region as i64 + 1),
                org_id: Set(p.org.map(|o| o as i64 + 1)),
                title: Set(p.title.clone()),
                note: Set(None),
                created_at: Set(t),
                updated_at: Set(t),
            })
            .collect();
        insert_batches(&txn, rows, progress, "person").await?;

        let rows = d
            .officers
            .iter()
            .enumerate()
            .map(|(i, o)| officer::ActiveModel {
                id: Set(i as i64 + 1),
                org_id: Set(o.org as i64 + 1),
                person_id: Set(o.person as i64 + 1),
                role_code: Set(o.role.to_string()),
                created_at: Set(t),
            })
            .collect();
        insert_batches(&txn, rows, progress, "officer").await?;

        let mut accounts = 0;
        for a in &d.accounts {
            let new = crate::account::NewAccount {
                username: a.username.clone(),
                person_id: a.person.map(|p| p as i64 + 1),
                role: a.role,
                scope_region_id: a.scope_region.map(|r| r as i64 + 1),
                scope_org_id: a.scope_org.map(|o| o as i64 + 1),
                disabled: false,
            };
            crate::account::insert_account(&txn, &new, password_hash).await?;
            accounts += 1;
        }
        let (events, engagements) = kexie_core::demo::followups::generate(d, FOLLOWUP_SEED);
        crate::matchmaking::demo::load(&txn, &chain, d, &events, &engagements, progress).await?;
        let network = kexie_core::demo::estation::generate(d, ESTATION_SEED);
        crate::estation::demo::load(&txn, &chain, d, &network, media_dir, history, progress).await?;
        // Before the suggestions, which link to the outreach year's emergency campaign.
        let outreach = crate::outreach::demo::load(&txn, &chain, d, password_hash, progress).await?;
        crate::suggestion::demo::load(&txn, &chain, d, progress).await?;
        let volunteering = crate::volunteer::demo::load(&txn, d, progress).await?;
        let mut tables = vec!["region", "org", "person", "officer"];
        tables.extend(crate::matchmaking::demo::TABLES);
        tables.extend(crate::estation::demo::TABLES);
        tables.extend(crate::outreach::demo::TABLES);
        tables.extend(crate::suggestion::demo::TABLES);
        tables.extend(crate::volunteer::demo::TABLES);
        reset_sequences(&txn, &tables).await?;
        let counts = DemoCounts {
            regions: d.regions.len(),
            orgs: d.orgs.len(),
            people: d.people.len(),
            officers: d.officers.len(),
            accounts: accounts + crate::outreach::demo::ACCOUNTS.len(),
            experts: d.experts.len(),
            needs: d.needs.len(),
            engagements: engagements.len(),
            contents: outreach.contents.len(),
            publications: outreach.publications.len(),
            person_times: outreach.total_reach(),
            volunteers: volunteering.volunteers,
            activities: volunteering.activities,
        };
        chain.record(&txn, &Actor::system("demo"), "demo_load", "district", None, None::<&()>, Some(&counts)).await?;
        self.commit(txn, chain).await?;
        Ok(counts)
    }
}
