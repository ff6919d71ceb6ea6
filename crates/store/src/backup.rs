//! Backup and restore: every table as JSON lines, plus the media files, in one zip archive.
//! The backup reads inside one snapshot transaction while the server keeps running; restore
//! goes into an empty, freshly migrated database of any backend, in one transaction.

use crate::entity::*;
use crate::{Result, Store, StoreError};
use sea_orm::{
    AccessMode, ActiveModelTrait, DatabaseTransaction, DbBackend, EntityTrait, IntoActiveModel, IsolationLevel,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use zip::write::SimpleFileOptions;

const FORMAT: u32 = 1;
const PAGE: u64 = 5000;

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub kexie: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub backend: String,
    pub migrations: Vec<String>,
    pub tables: BTreeMap<String, u64>,
    pub media_files: u64,
}

fn err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backup(e.to_string())
}

/// Calls `$body` once per table, parents before children, with `$m` the entity module and
/// `$pk` its primary-key column: `Id`, or the one named after the module. Sessions are not
/// backed up: a restore logs everyone out.
macro_rules! each_table {
    (@one $m:ident, $pk:ident, $body:expr, $t:ident) => {
        each_table!(@one $m, $pk, $body, $t, Id)
    };
    (@one $m:ident, $pk:ident, $body:expr, $t:ident, $key:ident) => {{
        use $t as $m;
        use $t::Column::$key as $pk;
        $body
    }};
    (@tables $m:ident, $pk:ident, $body:expr; $($t:ident $(($key:ident))?),* $(,)?) => {{
        $(each_table!(@one $m, $pk, $body, $t $(, $key)?);)*
    }};
    ($m:ident, $pk:ident, $body:expr) => {
        each_table!(@tables $m, $pk, $body;
            region, org, person, dict_item, officer, expert, expert_conflict, need, patent, workstation_expert,
            match_event, match_event_need, match_event_expert, match_event_meeting, engagement,
            station, station_group, station_group_member, device, enrollment_code, media, screen_schedule,
            screen_interrupt, estation_change, play, play_daily,
            campaign, content, content_version, content_review, publication, reach, distribution, search_change,
            account, api_token,
            // 建议意见 (after accounts: a suggestion may be routed to one)
            suggestion, suggestion_photo, suggestion_event,
            // 活动与志愿者 (after accounts: a volunteer may have one)
            volunteer, team_member, activity, activity_registration, activity_photo, service_record,
            service_project, shift, shift_signup, service_order, commendation, notice, sms_outbox,
            audit_log(Seq), audit_head,
        )
    };
}

fn table_name<E: EntityTrait + Default>() -> String {
    E::default().table_name().to_string()
}

impl Store {
    /// Writes a consistent backup of the database (and `media`, if it exists) to `out`.
    pub async fn backup(
        &self,
        out: &Path,
        media: Option<&Path>,
        progress: &mut dyn FnMut(&str, u64),
    ) -> Result<Manifest> {
        let txn = match self.backend() {
            DbBackend::Sqlite => self.db.begin().await?,
            _ => self.db.begin_with_config(Some(IsolationLevel::RepeatableRead), Some(AccessMode::ReadOnly)).await?,
        };
        let tmp = out.with_extension("partial");
        let file = std::fs::File::create(&tmp).map_err(err)?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
        let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let mut tables = BTreeMap::new();
        each_table!(m, pk, {
            let name = table_name::<m::Entity>();
            zip.start_file(format!("tables/{name}.jsonl"), opts).map_err(err)?;
            let mut count = 0u64;
            let mut offset = 0u64;
            loop {
                let rows = m::Entity::find().order_by_asc(pk).offset(offset).limit(PAGE).all(&txn).await?;
                if rows.is_empty() {
                    break;
                }
                offset += rows.len() as u64;
                for r in &rows {
                    serde_json::to_writer(&mut zip, r).map_err(err)?;
                    zip.write_all(b"\n").map_err(err)?;
                }
                count += rows.len() as u64;
                progress(&name, count);
            }
            tables.insert(name, count);
        });
        let migrations = crate::applied_migrations(&self.db).await?;
        txn.commit().await?;

        let mut media_files = 0;
        if let Some(dir) = media.filter(|d| d.is_dir()) {
            for path in walk(dir).map_err(err)? {
                let rel = path.strip_prefix(dir).map_err(err)?.to_string_lossy().replace('\\', "/");
                zip.start_file(format!("media/{rel}"), SimpleFileOptions::default()).map_err(err)?;
                std::io::copy(&mut std::fs::File::open(&path).map_err(err)?, &mut zip).map_err(err)?;
                media_files += 1;
            }
        }
        let manifest = Manifest {
            format: FORMAT,
            kexie: env!("CARGO_PKG_VERSION").to_string(),
            created_at: crate::now(),
            backend: format!("{:?}", self.backend()).to_lowercase(),
            migrations,
            tables,
            media_files,
        };
        zip.start_file("manifest.json", opts).map_err(err)?;
        serde_json::to_writer_pretty(&mut zip, &manifest).map_err(err)?;
        let mut w = zip.finish().map_err(err)?;
        w.flush().map_err(err)?;
        w.get_ref().sync_all().map_err(err)?;
        drop(w);
        // Only a complete archive ever carries the final name.
        std::fs::rename(&tmp, out).map_err(err)?;
        Ok(manifest)
    }

    /// Restores a backup into this database, which must be migrated and hold no data.
    pub async fn restore(
        &self,
        archive: &Path,
        media: Option<&Path>,
        progress: &mut dyn FnMut(&str, u64),
    ) -> Result<Manifest> {
        let file = std::fs::File::open(archive).map_err(err)?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file))
            .map_err(|e| StoreError::Backup(format!("not a kexie backup: {e}")))?;
        let manifest: Manifest = {
            let mut s = String::new();
            zip.by_name("manifest.json")
                .map_err(|_| StoreError::Backup("not a kexie backup: no manifest.json".into()))?
                .read_to_string(&mut s)
                .map_err(err)?;
            serde_json::from_str(&s).map_err(err)?
        };
        if manifest.format != FORMAT {
            return Err(StoreError::Backup(format!("unsupported backup format {}", manifest.format)));
        }
        let known = crate::applied_migrations(&self.db).await?;
        if let Some(m) = manifest.migrations.iter().find(|m| !known.contains(m)) {
            return Err(StoreError::NewerSchema(m.clone()));
        }
        if !self.is_empty().await? {
            return Err(StoreError::Backup("the target database is not empty".into()));
        }
        let txn = self.db.begin().await?;
        // Migrations seed these; the backup carries their real contents.
        dict_item::Entity::delete_many().exec(&txn).await?;
        audit_head::Entity::delete_many().exec(&txn).await?;
        let mut restored = Vec::new();
        each_table!(m, pk, 'table: {
            let _ = pk;
            let name = table_name::<m::Entity>();
            // A table added by a later migration than the backup's stays empty.
            if !manifest.tables.contains_key(&name) {
                break 'table;
            }
            let entry = zip.by_name(&format!("tables/{name}.jsonl")).map_err(err)?;
            let mut batch: Vec<m::ActiveModel> = Vec::with_capacity(1000);
            let mut count = 0u64;
            for line in BufReader::new(entry).lines() {
                let line = line.map_err(err)?;
                if line.is_empty() {
                    continue;
                }
                let model: m::Model = serde_json::from_str(&line).map_err(err)?;
                batch.push(model.into_active_model().reset_all());
                if batch.len() == 1000 {
                    count += flush(&txn, &mut batch).await?;
                    progress(&name, count);
                }
            }
            count += flush(&txn, &mut batch).await?;
            progress(&name, count);
            restored.push(name.clone());
            if manifest.tables.get(&name).copied().unwrap_or(0) != count {
                return Err(StoreError::Backup(format!(
                    "table {name}: expected {} rows, read {count}",
                    manifest.tables.get(&name).copied().unwrap_or(0)
                )));
            }
        });
        // Rows came with their ids: every restored table's sequence moves past them.
        let sequences: Vec<&str> = restored.iter().map(String::as_str).collect();
        crate::demo::reset_sequences(&txn, &sequences).await?;
        txn.commit().await?;

        if let Some(dir) = media {
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).map_err(err)?;
                let Some(rel) = f.enclosed_name() else {
                    continue;
                };
                let Ok(rel) = rel.strip_prefix("media") else {
                    continue;
                };
                let dest = dir.join(rel);
                if let Some(parent) = dest.parent() {
                    std::fs::create_dir_all(parent).map_err(err)?;
                }
                std::io::copy(&mut f, &mut std::fs::File::create(&dest).map_err(err)?).map_err(err)?;
            }
        }
        Ok(manifest)
    }
}

async fn flush<A>(txn: &DatabaseTransaction, batch: &mut Vec<A>) -> Result<u64>
where
    A: ActiveModelTrait + Send,
{
    if batch.is_empty() {
        return Ok(0);
    }
    let n = batch.len() as u64;
    <A::Entity as EntityTrait>::insert_many(std::mem::take(batch)).exec_without_returning(txn).await?;
    Ok(n)
}

fn walk(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)? {
            let p = e?.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    Ok(out)
}
