//! Stations: the e-station organisation with its screen-facing details, groups, the district
//! dashboard's counts and the map. Towns see and keep their own stations.

use crate::entity::{device, org, station, station_group, station_group_member};
use crate::org::insert_org;
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::estation::station::{Health, MISSED_BEATS, StationInput};
use kexie_core::org::{OrgInput, OrgKind, OrgStatus};
use kexie_core::page::{Page, PageRequest};
use kexie_core::roster::{ImportSummary, row_error};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::POLL_INTERVAL_S;

/// Screens by health; `synced` are those holding the current manifest with every file.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct ScreenCounts {
    pub total: u64,
    pub online: u64,
    pub offline: u64,
    pub pending: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StationRow {
    pub id: i64,
    pub org_id: i64,
    pub code: String,
    pub name: String,
    pub region_id: i64,
    pub town: String,
    pub place: String,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub hours: String,
    pub audience_per_hour: i32,
    pub has_counter: bool,
    pub five: [bool; 5],
    pub tags: Vec<String>,
    pub screens: ScreenCounts,
}

impl StationRow {
    pub fn five_count(&self) -> usize {
        self.five.iter().filter(|x| **x).count()
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StationFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub town: Option<i64>,
    #[serde(default)]
    pub group: Option<i64>,
    /// One of a station's tags (老年人, 学校周边 …).
    #[serde(default)]
    pub tag: String,
}

pub struct StationList {
    pub page: Page<StationRow>,
    /// Over every station the caller sees, not only this page.
    pub stations: u64,
    pub screens: ScreenCounts,
}

/// A point on the district map.
#[derive(Debug, Clone, Serialize)]
pub struct MapPoint {
    pub id: i64,
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    pub screens: u64,
    pub online: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    /// "上级 / 本组" for pickers.
    pub label: String,
    pub stations: u64,
}

fn online_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::seconds(MISSED_BEATS * POLL_INTERVAL_S as i64)
}

pub(crate) fn health_of(d: &device::Model, now: DateTime<Utc>) -> Health {
    kexie_core::estation::station::health(d.revoked_at.is_some(), d.last_seen_at, now, POLL_INTERVAL_S)
}

fn tags(text: &str) -> Vec<String> {
    text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
}

impl Store {
    /// Stations a caller may see, as a condition on the organisation behind each.
    pub(crate) async fn station_condition(&self, actor: &Actor) -> Result<Condition> {
        if !actor.can(Area::Station, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match self.station_scope(actor).await? {
            None => Condition::all(),
            Some(regions) => Condition::all().add(org::Column::RegionId.is_in(regions)),
        })
    }

    fn row(&self, tree: &kexie_core::region::RegionTree, s: station::Model, o: org::Model) -> StationRow {
        StationRow {
            id: s.id,
            org_id: o.id,
            code: o.code,
            name: o.name,
            region_id: o.region_id,
            town: tree.town_of(o.region_id).map(|t| t.name.clone()).unwrap_or_default(),
            place: tree.display_name(o.region_id),
            address: o.address,
            lat: s.lat,
            lng: s.lng,
            hours: s.hours,
            audience_per_hour: s.audience_per_hour,
            has_counter: s.has_counter,
            five: [s.five_network, s.five_staff, s.five_venue, s.five_activities, s.five_terminal],
            tags: tags(&s.tags),
            screens: ScreenCounts::default(),
        }
    }

    async fn counts(&self, stations: Option<&[i64]>) -> Result<ScreenCounts> {
        let cutoff = online_cutoff(now());
        let base = || {
            let q = device::Entity::find().filter(device::Column::RevokedAt.is_null());
            match stations {
                Some(ids) => q.filter(device::Column::StationId.is_in(ids.to_vec())),
                None => q,
            }
        };
        let total = base().count(&self.db).await?;
        let online = base().filter(device::Column::LastSeenAt.gte(cutoff)).count(&self.db).await?;
        let pending = base().filter(device::Column::LastSeenAt.is_null()).count(&self.db).await?;
        Ok(ScreenCounts { total, online, offline: total - online - pending, pending })
    }

    pub async fn list_stations(&self, actor: &Actor, f: &StationFilter, page: PageRequest) -> Result<StationList> {
        let cond = self.station_condition(actor).await?;
        let tree = self.regions().await?;
        let mut q = station::Entity::find().find_also_related(org::Entity).filter(cond.clone());
        if !f.q.trim().is_empty() {
            q = q.filter(
                Condition::any()
                    .add(org::Column::Name.contains(f.q.trim()))
                    .add(org::Column::Code.eq(f.q.trim()))
                    .add(org::Column::Address.contains(f.q.trim())),
            );
        }
        if let Some(t) = f.town {
            q = q.filter(org::Column::RegionId.is_in(tree.subtree_ids(t)));
        }
        if !f.tag.trim().is_empty() {
            // Tags are stored one per line: match a whole line.
            let t = f.tag.trim();
            q = q.filter(
                Condition::any()
                    .add(station::Column::Tags.eq(t))
                    .add(station::Column::Tags.starts_with(format!("{t}\n")))
                    .add(station::Column::Tags.ends_with(format!("\n{t}")))
                    .add(station::Column::Tags.contains(format!("\n{t}\n"))),
            );
        }
        if let Some(g) = f.group {
            let members: Vec<i64> = station_group_member::Entity::find()
                .select_only()
                .column(station_group_member::Column::StationId)
                .filter(station_group_member::Column::GroupId.eq(g))
                .into_tuple()
                .all(&self.db)
                .await?;
            q = q.filter(station::Column::Id.is_in(members));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_asc(org::Column::RegionId)
            .order_by_asc(station::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let mut items: Vec<StationRow> =
            rows.into_iter().filter_map(|(s, o)| o.map(|o| self.row(&tree, s, o))).collect();
        let ids: Vec<i64> = items.iter().map(|r| r.id).collect();
        let per = self.counts_by_station(&ids).await?;
        for r in &mut items {
            r.screens = per.get(&r.id).copied().unwrap_or_default();
        }
        let scoped = matches!(actor.scope, kexie_core::scope::Scope::All);
        let (stations, screens) = if scoped {
            (station::Entity::find().count(&self.db).await?, self.counts(None).await?)
        } else {
            let all: Vec<i64> = station::Entity::find()
                .inner_join(org::Entity)
                .filter(cond)
                .select_only()
                .column(station::Column::Id)
                .into_tuple()
                .all(&self.db)
                .await?;
            (all.len() as u64, self.counts(Some(&all)).await?)
        };
        Ok(StationList { page: Page { items, total, page: page.page, per_page: page.per_page }, stations, screens })
    }

    async fn counts_by_station(&self, ids: &[i64]) -> Result<HashMap<i64, ScreenCounts>> {
        let t = now();
        let mut out: HashMap<i64, ScreenCounts> = HashMap::new();
        let devices = device::Entity::find()
            .filter(device::Column::StationId.is_in(ids.to_vec()))
            .filter(device::Column::RevokedAt.is_null())
            .all(&self.db)
            .await?;
        for d in devices {
            let c = out.entry(d.station_id).or_default();
            c.total += 1;
            match health_of(&d, t) {
                Health::Online => c.online += 1,
                Health::Offline => c.offline += 1,
                Health::Pending => c.pending += 1,
                Health::Revoked => {}
            }
        }
        Ok(out)
    }

    /// A station's number from its organisation code (for the command line).
    pub async fn station_by_code(&self, code: &str) -> Result<i64> {
        let o =
            org::Entity::find().filter(org::Column::Code.eq(code)).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let s = station::Entity::find().filter(station::Column::OrgId.eq(o.id)).one(&self.db).await?;
        s.map(|s| s.id).ok_or(StoreError::NotFound)
    }

    /// One station the caller may see.
    pub async fn get_station(&self, actor: &Actor, id: i64) -> Result<StationRow> {
        let cond = self.station_condition(actor).await?;
        let (s, o) = station::Entity::find_by_id(id)
            .find_also_related(org::Entity)
            .filter(cond)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let o = o.ok_or(StoreError::NotFound)?;
        let tree = self.regions().await?;
        let mut row = self.row(&tree, s, o);
        row.screens = self.counts_by_station(&[id]).await?.remove(&id).unwrap_or_default();
        Ok(row)
    }

    /// Every station with coordinates the caller may see, for the map.
    pub async fn station_map(&self, actor: &Actor) -> Result<Vec<MapPoint>> {
        let cond = self.station_condition(actor).await?;
        // Only the columns a point needs, and every screen's last heartbeat in one read: the
        // map of a large district is one pass over both tables.
        let rows: Vec<(i64, Option<f64>, Option<f64>, String)> = station::Entity::find()
            .inner_join(org::Entity)
            .filter(cond)
            .filter(station::Column::Lat.is_not_null())
            .select_only()
            .column(station::Column::Id)
            .column(station::Column::Lat)
            .column(station::Column::Lng)
            .column(org::Column::Name)
            .into_tuple()
            .all(&self.db)
            .await?;
        let beats: Vec<(i64, Option<DateTime<Utc>>)> = device::Entity::find()
            .select_only()
            .column(device::Column::StationId)
            .column(device::Column::LastSeenAt)
            .filter(device::Column::RevokedAt.is_null())
            .into_tuple()
            .all(&self.db)
            .await?;
        let t = now();
        let mut per: HashMap<i64, (u64, u64)> = HashMap::new();
        for (station, seen) in beats {
            let e = per.entry(station).or_default();
            e.0 += 1;
            if kexie_core::estation::station::health(false, seen, t, POLL_INTERVAL_S) == Health::Online {
                e.1 += 1;
            }
        }
        Ok(rows
            .into_iter()
            .filter_map(|(id, lat, lng, name)| {
                let (screens, online) = per.get(&id).copied().unwrap_or_default();
                Some(MapPoint { id, name, lat: lat?, lng: lng?, screens, online })
            })
            .collect())
    }

    fn edits_stations(actor: &Actor) -> Result<()> {
        if actor.can(Area::Station, Action::Edit) { Ok(()) } else { Err(StoreError::NotFound) }
    }

    async fn check_station_region(&self, actor: &Actor, region_id: i64) -> Result<()> {
        let mut refs = self.refs(actor).await?;
        if let Some(r) = refs.region("region_id", region_id) {
            // The same set the station list reads, so a station is only placed where it is seen.
            if self.station_scope(actor).await?.is_some_and(|scope| !scope.contains(&region_id)) {
                refs.refuse("region_id");
            } else if r.kind.level() < 1 {
                refs.push("region_id", "region_too_high");
            }
        }
        refs.finish()
    }

    /// Registers a station: its organisation and its screen-facing details in one write.
    pub async fn create_station(&self, actor: &Actor, input: &StationInput) -> Result<i64> {
        Self::edits_stations(actor)?;
        self.check_station_region(actor, input.region_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let id = insert_station(&txn, &mut chain, actor, input).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(id)
    }

    pub async fn update_station(&self, actor: &Actor, id: i64, input: &StationInput) -> Result<()> {
        Self::edits_stations(actor)?;
        self.get_station(actor, id).await?;
        self.check_station_region(actor, input.region_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        write_station(&txn, &mut chain, actor, id, input).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(())
    }

    /// Imports a station roster (the export's columns): rows with a known 站点编码 update that
    /// station, rows without one register a new station; all rows or none.
    pub async fn import_stations(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<ImportSummary> {
        if !actor.can(Area::Station, Action::Import) {
            return Err(StoreError::NotFound);
        }
        let tree = self.regions().await?;
        let community = |town: &str, place: &str| {
            let t = tree.towns().into_iter().find(|t| t.name == town)?;
            tree.children(Some(t.id)).find(|c| c.name == place).map(|c| c.id)
        };
        let (parsed, mut errors) = kexie_core::estation::roster::read(rows, community).map_err(StoreError::Roster)?;
        let scope = self.station_scope(actor).await?;
        let codes: Vec<String> = parsed.iter().filter_map(|r| r.code.clone()).collect();
        let known: HashMap<String, i64> = station::Entity::find()
            .find_also_related(org::Entity)
            .filter(org::Column::Code.is_in(codes))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(s, o)| o.map(|o| (o.code, (s.id, o.region_id))))
            .filter(|(_, (_, region))| scope.as_ref().is_none_or(|sc| sc.contains(region)))
            .map(|(code, (id, _))| (code, id))
            .collect();
        for r in &parsed {
            if scope.as_ref().is_some_and(|sc| !sc.contains(&r.input.region_id)) {
                errors.push(row_error(r.row, "所在村（社区）", "out_of_scope", ""));
            }
            if let Some(c) = &r.code
                && !known.contains_key(c)
            {
                errors.push(row_error(r.row, "站点编码", "unknown_station", c));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(StoreError::Roster(errors));
        }
        let mut summary = ImportSummary::default();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        for r in &parsed {
            match r.code.as_ref().and_then(|c| known.get(c)) {
                Some(id) => {
                    if write_station(&txn, &mut chain, actor, *id, &r.input).await? {
                        summary.updated += 1;
                    } else {
                        summary.unchanged += 1;
                    }
                }
                None => {
                    insert_station(&txn, &mut chain, actor, &r.input).await?;
                    summary.created += 1;
                }
            }
        }
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(summary)
    }

    pub async fn station_groups(&self) -> Result<Vec<GroupRow>> {
        let groups = station_group::Entity::find().order_by_asc(station_group::Column::Id).all(&self.db).await?;
        let counts: Vec<(i64, i64)> = station_group_member::Entity::find()
            .select_only()
            .column(station_group_member::Column::GroupId)
            .column_as(station_group_member::Column::Id.count(), "n")
            .group_by(station_group_member::Column::GroupId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let counts: HashMap<i64, i64> = counts.into_iter().collect();
        let names: HashMap<i64, (String, Option<i64>)> =
            groups.iter().map(|g| (g.id, (g.name.clone(), g.parent_id))).collect();
        Ok(groups
            .iter()
            .map(|g| {
                let mut label = vec![g.name.clone()];
                let mut seen = HashSet::from([g.id]);
                let mut p = g.parent_id;
                while let Some(pid) = p.filter(|x| seen.insert(*x)) {
                    let (n, pp) = &names[&pid];
                    label.push(n.clone());
                    p = *pp;
                }
                label.reverse();
                GroupRow {
                    id: g.id,
                    name: g.name.clone(),
                    parent_id: g.parent_id,
                    label: label.join(" / "),
                    stations: counts.get(&g.id).copied().unwrap_or(0) as u64,
                }
            })
            .collect())
    }

    /// Groups a station is in (directly).
    pub async fn groups_of_station(&self, id: i64) -> Result<Vec<i64>> {
        Ok(station_group_member::Entity::find()
            .select_only()
            .column(station_group_member::Column::GroupId)
            .filter(station_group_member::Column::StationId.eq(id))
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Creates a group; groups are the association's to keep.
    pub async fn create_group(&self, actor: &Actor, name: &str, parent_id: Option<i64>) -> Result<i64> {
        if !(actor.can(Area::Schedule, Action::Edit) && matches!(actor.scope, kexie_core::scope::Scope::All)) {
            return Err(StoreError::NotFound);
        }
        let mut e = Invalid::default();
        let name = kexie_core::validate::required(&mut e, "name", name, 50);
        if let Some(p) = parent_id
            && station_group::Entity::find_by_id(p).one(&self.db).await?.is_none()
        {
            e.push("parent_id", "unknown_group");
        }
        e.into_result(())?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let g = station_group::ActiveModel {
            name: Set(name),
            parent_id: Set(parent_id),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "station_group", Some(g.id), None::<&()>, Some(&g)).await?;
        self.commit(txn, chain).await?;
        Ok(g.id)
    }

    /// Puts a station in a group or takes it out; what its screens play may change.
    pub async fn set_group_member(&self, actor: &Actor, group_id: i64, station_id: i64, member: bool) -> Result<()> {
        if !(actor.can(Area::Schedule, Action::Edit) && matches!(actor.scope, kexie_core::scope::Scope::All)) {
            return Err(StoreError::NotFound);
        }
        self.get_station(actor, station_id).await?;
        station_group::Entity::find_by_id(group_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let existing = station_group_member::Entity::find()
            .filter(station_group_member::Column::GroupId.eq(group_id))
            .filter(station_group_member::Column::StationId.eq(station_id))
            .one(&txn)
            .await?;
        match (existing, member) {
            (None, true) => {
                let m = station_group_member::ActiveModel {
                    group_id: Set(group_id),
                    station_id: Set(station_id),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                chain.record(&txn, actor, "create", "station_group_member", Some(m.id), None::<&()>, Some(&m)).await?;
            }
            (Some(m), false) => {
                station_group_member::Entity::delete_by_id(m.id).exec(&txn).await?;
                chain.record(&txn, actor, "delete", "station_group_member", Some(m.id), Some(&m), None::<&()>).await?;
            }
            _ => {}
        }
        let target = kexie_core::estation::manifest::Target::Stations(vec![station_id]);
        Self::log_change(&txn, "group", Some(group_id), "分组调整", &target).await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(())
    }
}

async fn insert_station(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    input: &StationInput,
) -> Result<i64> {
    let next: Option<i64> = org::Entity::find()
        .select_only()
        .column_as(org::Column::Id.max(), "m")
        .into_tuple::<Option<i64>>()
        .one(txn)
        .await?
        .flatten();
    let org_input = OrgInput {
        code: format!("EZ{:06}", next.unwrap_or(0) + 1),
        name: input.name.clone(),
        kind: OrgKind::Estation,
        region_id: input.region_id,
        parent_id: None,
        enterprise_id: None,
        credit_code: None,
        address: input.address.clone(),
        contact_name: None,
        contact_phone: None,
        established_on: Some(now().date_naive()),
        patent_platform_on: None,
        kczg_on: None,
        green_platform_on: None,
        note: None,
    };
    let o = insert_org(txn, &org_input, OrgStatus::Active, None, chain.next_seq()).await?;
    chain.record(txn, actor, "create", "org", Some(o.id), None::<&()>, Some(&o)).await?;
    let t = now();
    let mut am = station::ActiveModel { org_id: Set(o.id), created_at: Set(t), ..Default::default() };
    set_station(&mut am, input, t);
    let s = am.insert(txn).await?;
    chain.record(txn, actor, "create", "station", Some(s.id), None::<&()>, Some(&s)).await?;
    Ok(s.id)
}

/// Writes a station's details and its organisation's name, place and address; false when
/// nothing differed.
async fn write_station(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    id: i64,
    input: &StationInput,
) -> Result<bool> {
    let before = station::Entity::find_by_id(id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let org_before = org::Entity::find_by_id(before.org_id).one(txn).await?.ok_or(StoreError::NotFound)?;
    let mut am: station::ActiveModel = before.clone().into();
    set_station(&mut am, input, before.updated_at);
    let same_org =
        org_before.name == input.name && org_before.region_id == input.region_id && org_before.address == input.address;
    if !am.is_changed() && same_org {
        return Ok(false);
    }
    let mut om: org::ActiveModel = org_before.clone().into();
    om.name = Set(input.name.clone());
    om.region_id = Set(input.region_id);
    om.address = Set(input.address.clone());
    om.rev = Set(chain.next_seq());
    om.updated_at = Set(now());
    let org_after = om.update(txn).await?;
    chain.record(txn, actor, "update", "org", Some(org_after.id), Some(&org_before), Some(&org_after)).await?;
    am.updated_at = Set(now());
    let after = am.update(txn).await?;
    chain.record(txn, actor, "update", "station", Some(id), Some(&before), Some(&after)).await?;
    Ok(true)
}

fn set_station(am: &mut station::ActiveModel, i: &StationInput, t: DateTime<Utc>) {
    am.lat.set_if_not_equals(i.lat);
    am.lng.set_if_not_equals(i.lng);
    am.hours.set_if_not_equals(i.hours.clone());
    am.audience_per_hour.set_if_not_equals(i.audience_per_hour);
    am.has_counter.set_if_not_equals(i.has_counter);
    am.tags.set_if_not_equals(i.tags.join("\n"));
    am.five_network.set_if_not_equals(i.five[0]);
    am.five_staff.set_if_not_equals(i.five[1]);
    am.five_venue.set_if_not_equals(i.five[2]);
    am.five_activities.set_if_not_equals(i.five[3]);
    am.five_terminal.set_if_not_equals(i.five[4]);
    am.updated_at.set_if_not_equals(t);
}
