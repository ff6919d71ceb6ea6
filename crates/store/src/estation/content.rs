//! What screens play: the media library (deduplicated by sha256), schedule entries, emergency
//! interrupts, and the change log with each change's delivery receipt. Every write here also
//! appends to the change log, which wakes every connected screen.

use super::device::DeviceRow;
use super::{Snapshot, ids_text, target_of};
use crate::entity::{device, estation_change, media, screen_interrupt, screen_schedule};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::estation::manifest::Target;
use kexie_core::estation::schedule::{InterruptInput, ScheduleInput};
use kexie_core::estation::station::Health;
use kexie_core::page::{Page, PageRequest};
use kexie_core::scope::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A file to add to the library, already checked and stored by content address.
#[derive(Debug, Clone)]
pub struct NewMedia {
    pub sha256: String,
    pub title: String,
    pub media_type: String,
    pub size: i64,
    pub duration_s: i32,
    pub file_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    pub entry: screen_schedule::Model,
    pub media_title: String,
    pub target: String,
    pub dayparts: String,
    /// Valid now (its dayparts aside).
    pub current: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct InterruptRow {
    pub interrupt: screen_interrupt::Model,
    pub media_title: String,
    pub target: String,
    pub active: bool,
}

/// Who has a change: screens targeted, and those that have it (or have switched, for an
/// interrupt), with the ones behind listed.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub targeted: usize,
    pub done: usize,
    pub behind: Vec<Behind>,
}

/// A targeted screen that does not have the change yet, with where it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Behind {
    pub device: DeviceRow,
    pub station: String,
    pub town: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    pub change: estation_change::Model,
    pub target: String,
    pub targeted: usize,
    pub done: usize,
}

/// Screens a change is meant for: every one enrolled and not revoked, connected or not (a
/// screen that is off still counts as not having switched).
fn enrolled(q: sea_orm::Select<device::Entity>) -> sea_orm::Select<device::Entity> {
    q.filter(device::Column::EnrolledAt.is_not_null()).filter(device::Column::RevokedAt.is_null())
}

pub(crate) fn runs_screens(actor: &Actor) -> Result<()> {
    if actor.can(Area::Schedule, Action::Edit) && matches!(actor.scope, Scope::All) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

fn sees_screens(actor: &Actor) -> Result<()> {
    if actor.can(Area::Schedule, Action::View) { Ok(()) } else { Err(StoreError::NotFound) }
}

impl Store {
    /// Adds a file; the same bytes uploaded again are the same item. Returns its id and
    /// whether it was new.
    pub async fn add_media(&self, actor: &Actor, m: &NewMedia) -> Result<(i64, bool)> {
        runs_screens(actor)?;
        let mut e = Invalid::default();
        let title = kexie_core::validate::required(&mut e, "title", &m.title, 100);
        if !(1..=3600).contains(&m.duration_s) {
            e.push("duration_s", "duration_range");
        }
        e.into_result(())?;
        // Looked for inside the transaction, which serialises writers: the same file sent twice
        // at once is one item, not a unique-key failure.
        let (txn, mut chain) = audit::begin(&self.db).await?;
        if let Some(existing) =
            media::Entity::find().filter(media::Column::Sha256.eq(m.sha256.as_str())).one(&txn).await?
        {
            txn.rollback().await?;
            return Ok((existing.id, false));
        }
        let id = insert_media(&txn, &mut chain, actor, m, title).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok((id, true))
    }

    /// The library, newest first, with how many live schedule entries use each item.
    pub async fn list_media(&self, actor: &Actor) -> Result<Vec<(media::Model, u64)>> {
        sees_screens(actor)?;
        let rows = media::Entity::find().order_by_desc(media::Column::Id).all(&self.db).await?;
        let uses: Vec<(i64, i64)> = screen_schedule::Entity::find()
            .select_only()
            .column(screen_schedule::Column::MediaId)
            .column_as(screen_schedule::Column::Id.count(), "n")
            .filter(screen_schedule::Column::ArchivedAt.is_null())
            .group_by(screen_schedule::Column::MediaId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let uses: HashMap<i64, i64> = uses.into_iter().collect();
        Ok(rows
            .into_iter()
            .map(|m| {
                let n = uses.get(&m.id).copied().unwrap_or(0) as u64;
                (m, n)
            })
            .collect())
    }

    /// A media item by its content address, for serving the file.
    pub async fn media_by_sha(&self, sha256: &str) -> Result<Option<(i64, String)>> {
        Ok(self.snapshot().await?.media_by_sha.get(sha256).cloned())
    }

    async fn media_exists(&self, id: i64) -> Result<String> {
        media::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(|m| m.title)
            .ok_or_else(|| Invalid::one("media_id", "unknown_media").into())
    }

    /// A target in words: 全部站点, a town's name, a group's path, or listed stations.
    pub async fn target_label(&self, target: &Target) -> Result<String> {
        Ok(match target {
            Target::All => "全部站点".to_string(),
            Target::Towns(ids) => {
                let tree = self.regions().await?;
                ids.iter().filter_map(|i| tree.get(*i)).map(|r| r.name.clone()).collect::<Vec<_>>().join("、")
            }
            Target::Groups(ids) => {
                let groups = self.station_groups().await?;
                groups
                    .iter()
                    .filter(|g| ids.contains(&g.id))
                    .map(|g| format!("分组：{}", g.label))
                    .collect::<Vec<_>>()
                    .join("、")
            }
            Target::Stations(ids) => {
                let names = self.station_names().await?;
                let mut v: Vec<String> = ids.iter().filter_map(|i| names.get(i)).map(|(n, _)| n.clone()).collect();
                if v.len() > 3 {
                    let more = v.len() - 3;
                    v.truncate(3);
                    v.push(format!("等{}个站点", more + 3));
                }
                v.join("、")
            }
        })
    }

    pub(crate) async fn check_target(&self, target: &Target) -> Result<()> {
        let snap = self.snapshot().await?;
        let ok = match target {
            Target::All => true,
            Target::Towns(ids) => {
                let tree = self.regions().await?;
                ids.iter().all(|i| tree.get(*i).is_some_and(|r| r.kind.is_town_level()))
            }
            Target::Groups(ids) => {
                let groups: HashSet<i64> = self.station_groups().await?.iter().map(|g| g.id).collect();
                ids.iter().all(|i| groups.contains(i))
            }
            Target::Stations(ids) => ids.iter().all(|i| snap.places.contains_key(i)),
        };
        if ok { Ok(()) } else { Err(Invalid::one("target", "target_invalid").into()) }
    }

    pub async fn list_schedules(&self, actor: &Actor, archived: bool) -> Result<Vec<ScheduleRow>> {
        sees_screens(actor)?;
        let mut q = screen_schedule::Entity::find().order_by_desc(screen_schedule::Column::Priority);
        q = if archived {
            q.filter(screen_schedule::Column::ArchivedAt.is_not_null())
        } else {
            q.filter(screen_schedule::Column::ArchivedAt.is_null())
        };
        let rows = q.order_by_asc(screen_schedule::Column::Id).all(&self.db).await?;
        let titles = self.media_titles().await?;
        let t = now();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let target = self.target_label(&target_of(&r.target_kind, &r.target_ids)).await?;
            let parts: Vec<kexie_core::estation::daypart::Daypart> =
                serde_json::from_str(&r.dayparts).unwrap_or_default();
            out.push(ScheduleRow {
                media_title: titles.get(&r.media_id).cloned().unwrap_or_default(),
                target,
                dayparts: kexie_core::estation::daypart::format(&parts),
                current: r.valid_from <= t && t < r.valid_to,
                entry: r,
            });
        }
        Ok(out)
    }

    async fn media_titles(&self) -> Result<HashMap<i64, String>> {
        Ok(self.snapshot().await?.net.media.iter().map(|(id, m)| (*id, m.title.clone())).collect())
    }

    pub async fn create_schedule(&self, actor: &Actor, i: &ScheduleInput) -> Result<i64> {
        runs_screens(actor)?;
        let title = self.media_exists(i.media_id).await?;
        self.check_target(&i.target).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let id = insert_schedule(&txn, &mut chain, actor, i, &title).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(id)
    }

    /// Takes an entry off the screens; it stays in the history.
    pub async fn archive_schedule(&self, actor: &Actor, id: i64) -> Result<()> {
        runs_screens(actor)?;
        let before = screen_schedule::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if before.archived_at.is_some() {
            return Ok(());
        }
        let title = self.media_exists(before.media_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: screen_schedule::ActiveModel = before.clone().into();
        am.archived_at = Set(Some(now()));
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "archive", "screen_schedule", Some(id), Some(&before), Some(&after)).await?;
        let target = target_of(&before.target_kind, &before.target_ids);
        Self::log_change(&txn, "schedule", Some(id), &format!("停播排期：{title}"), &target).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(())
    }

    /// Starts an emergency broadcast now; every connected screen it targets is told at once.
    pub async fn start_interrupt(&self, actor: &Actor, i: &InterruptInput) -> Result<screen_interrupt::Model> {
        runs_screens(actor)?;
        let title = self.media_exists(i.media_id).await?;
        self.check_target(&i.target).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let row = insert_interrupt(&txn, &mut chain, actor, i, &title).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(row)
    }

    pub async fn cancel_interrupt(&self, actor: &Actor, id: i64) -> Result<()> {
        runs_screens(actor)?;
        let before = screen_interrupt::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if before.cancelled_at.is_some() || before.until <= now() {
            return Ok(());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: screen_interrupt::ActiveModel = before.clone().into();
        am.cancelled_at = Set(Some(now()));
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "cancel", "screen_interrupt", Some(id), Some(&before), Some(&after)).await?;
        let target = target_of(&before.target_kind, &before.target_ids);
        Self::log_change(&txn, "interrupt", Some(id), "结束应急插播", &target).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(())
    }

    pub async fn list_interrupts(&self, actor: &Actor) -> Result<Vec<InterruptRow>> {
        sees_screens(actor)?;
        let rows = screen_interrupt::Entity::find()
            .order_by_desc(screen_interrupt::Column::Id)
            .limit(200)
            .all(&self.db)
            .await?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.interrupt_row(r).await?);
        }
        Ok(out)
    }

    async fn interrupt_row(&self, r: screen_interrupt::Model) -> Result<InterruptRow> {
        let t = now();
        let media_title = self.media_titles().await?.get(&r.media_id).cloned().unwrap_or_default();
        Ok(InterruptRow {
            target: self.target_label(&target_of(&r.target_kind, &r.target_ids)).await?,
            media_title,
            active: r.cancelled_at.is_none() && r.started_at <= t && t < r.until,
            interrupt: r,
        })
    }

    /// An interrupt and, live, how many targeted screens have switched to it (acknowledged a
    /// manifest carrying it) and which have not.
    pub async fn interrupt_status(&self, actor: &Actor, id: i64) -> Result<(InterruptRow, Receipt)> {
        sees_screens(actor)?;
        let r = screen_interrupt::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let target = target_of(&r.target_kind, &r.target_ids);
        let row = self.interrupt_row(r).await?;
        let id_text = id.to_string();
        let receipt = self
            .receipt(actor, &target, |d, (version, interrupt)| {
                interrupt == Some(id_text.as_str()) && d.acked_version.as_deref() == Some(version)
            })
            .await?;
        Ok((row, receipt))
    }

    /// Screens a target reaches that the caller may see, judged by `done` against their
    /// station's current manifest (its version and interrupt).
    async fn receipt(
        &self,
        actor: &Actor,
        target: &Target,
        done: impl Fn(&device::Model, (&str, Option<&str>)) -> bool,
    ) -> Result<Receipt> {
        let snap = self.snapshot().await?;
        let stations = Self::reached(&snap, &self.visible_stations(actor).await?, target);
        let devices = enrolled(device::Entity::find()).all(&self.db).await?;
        let names = self.station_names().await?;
        let tree = self.regions().await?;
        let t = now();
        let mut current: HashMap<i64, std::sync::Arc<super::Built>> = HashMap::new();
        let mut receipt = Receipt { targeted: 0, done: 0, behind: Vec::new() };
        for d in devices.into_iter().filter(|d| stations.contains(&d.station_id)) {
            if let std::collections::hash_map::Entry::Vacant(e) = current.entry(d.station_id) {
                e.insert(self.manifest(d.station_id).await?);
            }
            let m = &current[&d.station_id].manifest;
            let interrupt = m.interrupt.as_ref().map(|i| i.interrupt_id.as_str());
            receipt.targeted += 1;
            if done(&d, (&m.version, interrupt)) {
                receipt.done += 1;
            } else {
                let (station, town) = names
                    .get(&d.station_id)
                    .map(|(n, region)| (n.clone(), tree.town_of(*region).map(|t| t.name.clone()).unwrap_or_default()))
                    .unwrap_or_default();
                receipt.behind.push(Behind { device: Self::device_row(d, Some(&m.version), t), station, town });
            }
        }
        // Connected screens that are behind come first: they are the ones to look into. Then
        // by town and station, as people read such lists.
        receipt.behind.sort_by(|a, b| {
            let key = |x: &Behind| (x.device.health != Health::Online, x.town.clone(), x.station.clone(), x.device.id);
            key(a).cmp(&key(b))
        });
        Ok(receipt)
    }

    /// The stations a caller may see, None for all: read once per page, not per change.
    async fn visible_stations(&self, actor: &Actor) -> Result<Option<HashSet<i64>>> {
        let Some(scope) = self.station_scope(actor).await? else { return Ok(None) };
        let names = self.station_names().await?;
        Ok(Some(names.into_iter().filter(|(_, (_, region))| scope.contains(region)).map(|(id, _)| id).collect()))
    }

    fn reached(snap: &Snapshot, visible: &Option<HashSet<i64>>, target: &Target) -> HashSet<i64> {
        snap.places
            .values()
            .filter(|p| target.reaches(p) && visible.as_ref().is_none_or(|v| v.contains(&p.station)))
            .map(|p| p.station)
            .collect()
    }

    /// The change log, newest first, each with how many targeted screens have it: a screen has
    /// a change once it has held a current manifest, with every file cached, since then.
    pub async fn list_changes(&self, actor: &Actor, page: PageRequest) -> Result<Page<ChangeRow>> {
        sees_screens(actor)?;
        let q = estation_change::Entity::find().order_by_desc(estation_change::Column::Id);
        let total = q.clone().count(&self.db).await?;
        let rows = q.offset(page.offset()).limit(page.per_page).all(&self.db).await?;
        let snap = self.snapshot().await?;
        let visible = self.visible_stations(actor).await?;
        let devices: Vec<(i64, Option<DateTime<Utc>>)> = enrolled(device::Entity::find())
            .select_only()
            .column(device::Column::StationId)
            .column(device::Column::SyncedAt)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut items = Vec::new();
        for c in rows {
            let target = target_of(&c.target_kind, &c.target_ids);
            let stations = Self::reached(&snap, &visible, &target);
            let mine: Vec<&(i64, Option<DateTime<Utc>>)> =
                devices.iter().filter(|(s, _)| stations.contains(s)).collect();
            items.push(ChangeRow {
                target: self.target_label(&target).await?,
                targeted: mine.len(),
                done: mine.iter().filter(|(_, synced)| synced.is_some_and(|t| t >= c.at)).count(),
                change: c,
            });
        }
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// One change's delivery receipt with the screens that do not have it yet.
    pub async fn change_receipt(&self, actor: &Actor, id: i64) -> Result<(ChangeRow, Receipt)> {
        sees_screens(actor)?;
        let c = estation_change::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let target = target_of(&c.target_kind, &c.target_ids);
        let at = c.at;
        let receipt = self.receipt(actor, &target, |d, _| d.synced_at.is_some_and(|t| t >= at)).await?;
        let row = ChangeRow {
            target: self.target_label(&target).await?,
            targeted: receipt.targeted,
            done: receipt.done,
            change: c,
        };
        Ok((row, receipt))
    }
}

/// Adds a library item inside the caller's transaction (the outreach area prepares pieces for
/// screens in the same write as their schedule).
pub(crate) async fn insert_media(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    m: &NewMedia,
    title: String,
) -> Result<i64> {
    let row = media::ActiveModel {
        sha256: Set(m.sha256.clone()),
        title: Set(title),
        media_type: Set(m.media_type.clone()),
        size: Set(m.size),
        duration_s: Set(m.duration_s),
        file_name: Set(m.file_name.chars().take(200).collect()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, "create", "media", Some(row.id), None::<&()>, Some(&row)).await?;
    Ok(row.id)
}

pub(crate) async fn insert_schedule(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    i: &ScheduleInput,
    title: &str,
) -> Result<i64> {
    let t = now();
    let row = screen_schedule::ActiveModel {
        media_id: Set(i.media_id),
        priority: Set(i.priority),
        valid_from: Set(i.valid_from),
        valid_to: Set(i.valid_to),
        dayparts: Set(serde_json::to_string(&i.dayparts).expect("dayparts serialise")),
        target_kind: Set(i.target.kind().to_string()),
        target_ids: Set(ids_text(i.target.ids())),
        note: Set(i.note.clone()),
        archived_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, "create", "screen_schedule", Some(row.id), None::<&()>, Some(&row)).await?;
    Store::log_change(txn, "schedule", Some(row.id), &format!("新增排期：{title}"), &i.target).await?;
    Ok(row.id)
}

pub(crate) async fn insert_interrupt(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    i: &InterruptInput,
    title: &str,
) -> Result<screen_interrupt::Model> {
    let row = screen_interrupt::ActiveModel {
        media_id: Set(i.media_id),
        campaign: Set(i.campaign.clone()),
        target_kind: Set(i.target.kind().to_string()),
        target_ids: Set(ids_text(i.target.ids())),
        started_at: Set(now()),
        until: Set(i.until),
        cancelled_at: Set(None),
        created_by: Set(actor.username.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, "create", "screen_interrupt", Some(row.id), None::<&()>, Some(&row)).await?;
    Store::log_change(txn, "interrupt", Some(row.id), &format!("应急插播：{title}"), &i.target).await?;
    Ok(row)
}
