//! Organisations: scoped lists through the in-memory finder, scoped reads, audited writes,
//! officers of grassroots associations, and the Excel roster (see `roster`).

pub mod catalog;
pub mod roster;

use crate::entity::{dict_item, officer, org, person};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::org::index::OrgQuery;
use kexie_core::org::{OrgForm, OrgInput, OrgKind, OrgStatus, parent_is_cyclic};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::{is_masked, mask_phone};
use kexie_core::region::{RegionTree, child_path};
use kexie_core::scope::Scope;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// A list or detail row: the organisation with the names a person wants to read next to it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgView {
    #[serde(flatten)]
    pub org: org::Model,
    pub region_name: String,
    pub parent_name: Option<String>,
    pub enterprise_name: Option<String>,
}

/// A list row: what the organisation list shows, read from the in-memory finder.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub archived: bool,
    pub region_name: String,
    pub parent_name: Option<String>,
    pub contact_name: Option<String>,
    /// Masked unless the actor may see personal data.
    pub contact_phone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub q: String,
    pub kind: Option<OrgKind>,
    pub region_id: Option<i64>,
    /// `None` lists every status.
    pub status: Option<OrgStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfficerView {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub person_title: Option<String>,
    pub phone: Option<String>,
    pub role_code: String,
    pub role_label: String,
}

/// Counts for the home page's charts, within the caller's scope.
#[derive(Debug, Clone, Serialize, Default)]
pub struct OrgCounts {
    pub total: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    /// (town id, town name, count), in code order; the district's own orgs under id 0.
    pub by_town: Vec<(i64, String, usize)>,
    pub patent_platform: usize,
}

/// The regions an actor may see, intersected with a region filter; `None` means no limit.
pub(crate) fn region_set(tree: &RegionTree, scope: &Scope, filter: Option<i64>) -> Option<HashSet<i64>> {
    let scoped = match scope {
        Scope::Region { id, .. } => Some(tree.subtree_ids(*id)),
        Scope::Own { .. } => Some(HashSet::new()),
        Scope::All | Scope::Org { .. } => None,
    };
    let filtered = filter.map(|r| tree.subtree_ids(r));
    match (scoped, filtered) {
        (Some(a), Some(b)) => Some(a.intersection(&b).copied().collect()),
        (a, b) => a.or(b),
    }
}

fn under(scope: &Scope) -> Option<&str> {
    match scope {
        Scope::Org { path, .. } => Some(path.as_str()),
        _ => None,
    }
}

/// Phones are shown masked to roles that may not see personal data.
fn masked(actor: &Actor, mut m: org::Model) -> org::Model {
    if !actor.role.sees_personal_data() {
        m.contact_phone = m.contact_phone.map(|p| mask_phone(&p));
    }
    m
}

impl Store {
    /// Organisations of these kinds in the caller's scope (active ones only, if asked), by
    /// kind in the order given, then id: (id, name). What a form offers as an organiser, a
    /// host, a team.
    pub(crate) async fn orgs_in_scope(
        &self,
        actor: &Actor,
        kinds: &[OrgKind],
        active_only: bool,
    ) -> Result<Vec<(i64, String)>> {
        let tree = self.regions().await?;
        let mut out = Vec::new();
        self.catalog.orgs().scan(&OrgQuery::default(), |e| {
            let region_path = tree.get(e.region_id).map(|r| r.path.as_str()).unwrap_or("");
            let ours = actor.scope.covers(region_path, Some(&e.path));
            if ours && kinds.contains(&e.kind) && (!active_only || e.status == OrgStatus::Active) {
                out.push((e.kind, e.id, e.name.clone()));
            }
        });
        out.sort_by_key(|(k, id, _)| (kinds.iter().position(|x| x == k), *id));
        Ok(out.into_iter().map(|(_, id, name)| (id, name)).collect())
    }

    fn org_visible(&self, actor: &Actor, tree: &RegionTree, m: &org::Model) -> bool {
        let region_path = tree.get(m.region_id).map(|r| r.path.as_str()).unwrap_or("");
        actor.scope.covers(region_path, Some(&m.path))
    }

    /// Which of these organisations the actor may open, by the scope rule `get_org` applies:
    /// a page links a parent, an enterprise or a workstation only when it would open.
    pub async fn openable_orgs(&self, actor: &Actor, ids: &[i64]) -> Result<HashSet<i64>> {
        let tree = self.regions().await?;
        let idx = self.catalog.orgs();
        Ok(ids
            .iter()
            .copied()
            .filter(|id| {
                idx.get(*id).is_some_and(|e| {
                    let region_path = tree.get(e.region_id).map(|r| r.path.as_str()).unwrap_or("");
                    actor.scope.covers(region_path, Some(&e.path))
                })
            })
            .collect())
    }

    fn view(&self, actor: &Actor, tree: &RegionTree, m: org::Model) -> OrgView {
        let idx = self.catalog.orgs();
        let name = |id: Option<i64>| id.and_then(|i| idx.get(i)).map(|e| e.name.clone());
        OrgView {
            region_name: tree.display_name(m.region_id),
            parent_name: name(m.parent_id),
            enterprise_name: name(m.enterprise_id),
            org: masked(actor, m),
        }
    }

    /// One page of organisations in the actor's scope, in code order.
    /// One page of light rows for the list page, straight from the finder: no database read.
    pub async fn browse_orgs(&self, actor: &Actor, f: &OrgFilter, page: PageRequest) -> Result<Page<OrgRow>> {
        let tree = self.regions().await?;
        let regions = region_set(&tree, &actor.scope, f.region_id);
        let q =
            OrgQuery { q: &f.q, kind: f.kind, status: f.status, regions: regions.as_ref(), under: under(&actor.scope) };
        let idx = self.catalog.orgs();
        let (total, entries) = idx.search(&q, page.offset() as usize, page.per_page as usize);
        let personal = actor.role.sees_personal_data();
        let items = entries
            .into_iter()
            .map(|e| OrgRow {
                id: e.id,
                code: e.code.clone(),
                name: e.name.clone(),
                kind: e.kind.code(),
                archived: e.status == OrgStatus::Archived,
                region_name: tree.display_name(e.region_id),
                parent_name: e.parent_id.and_then(|p| idx.get(p)).map(|p| p.name.clone()),
                contact_name: e.contact_name.clone(),
                contact_phone: e.contact_phone.as_ref().map(|p| if personal { p.clone() } else { mask_phone(p) }),
            })
            .collect();
        Ok(Page { items, total: total as u64, page: page.page, per_page: page.per_page })
    }

    /// One page of full organisations in the actor's scope, in code order (API, exports).
    pub async fn list_orgs(&self, actor: &Actor, f: &OrgFilter, page: PageRequest) -> Result<Page<OrgView>> {
        let tree = self.regions().await?;
        let regions = region_set(&tree, &actor.scope, f.region_id);
        let (total, ids) = {
            let q = OrgQuery {
                q: &f.q,
                kind: f.kind,
                status: f.status,
                regions: regions.as_ref(),
                under: under(&actor.scope),
            };
            let idx = self.catalog.orgs();
            let (total, entries) = idx.search(&q, page.offset() as usize, page.per_page as usize);
            (total, entries.iter().map(|e| e.id).collect::<Vec<i64>>())
        };
        let mut rows: HashMap<i64, org::Model> = if ids.is_empty() {
            HashMap::new()
        } else {
            org::Entity::find()
                .filter(org::Column::Id.is_in(ids.clone()))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|m| (m.id, m))
                .collect()
        };
        let items = ids.iter().filter_map(|id| rows.remove(id)).map(|m| self.view(actor, &tree, m)).collect();
        Ok(Page { items, total: total as u64, page: page.page, per_page: page.per_page })
    }

    /// Every organisation matching a filter, for export (no paging).
    pub async fn all_orgs(&self, actor: &Actor, f: &OrgFilter) -> Result<Vec<OrgView>> {
        let page = self.list_orgs(actor, f, PageRequest { page: 1, per_page: u64::MAX / 2 }).await?;
        Ok(page.items)
    }

    /// Organisations for pickers: id, code and name, matching a term, in scope.
    pub async fn pick_orgs(
        &self,
        actor: &Actor,
        q: &str,
        kind: Option<OrgKind>,
        limit: usize,
    ) -> Result<Vec<(i64, String, String)>> {
        let tree = self.regions().await?;
        let regions = region_set(&tree, &actor.scope, None);
        let idx = self.catalog.orgs();
        let query = OrgQuery {
            q,
            kind,
            status: Some(OrgStatus::Active),
            regions: regions.as_ref(),
            under: under(&actor.scope),
        };
        let (_, entries) = idx.search(&query, 0, limit);
        Ok(entries.into_iter().map(|e| (e.id, e.code.clone(), e.name.clone())).collect())
    }

    /// The id of the organisation with this code (any scope: the write checks scope).
    pub async fn org_id_by_code(&self, code: &str) -> Result<Option<i64>> {
        self.catalog.refresh(&self.db).await?;
        Ok(self.catalog.orgs().by_code(&code.trim().to_ascii_uppercase()).map(|e| e.id))
    }

    /// The code of an organisation, empty for none: what forms show in a code field.
    pub async fn org_code(&self, id: Option<i64>) -> Result<String> {
        self.catalog.refresh(&self.db).await?;
        Ok(id.and_then(|i| self.catalog.orgs().get(i).map(|e| e.code.clone())).unwrap_or_default())
    }

    pub async fn get_org(&self, actor: &Actor, id: i64) -> Result<OrgView> {
        let tree = self.regions().await?;
        let m = org::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if !self.org_visible(actor, &tree, &m) {
            return Err(StoreError::NotFound);
        }
        Ok(self.view(actor, &tree, m))
    }

    pub async fn org_counts(&self, actor: &Actor) -> Result<OrgCounts> {
        let tree = self.regions().await?;
        let regions = region_set(&tree, &actor.scope, None);
        let q = OrgQuery {
            status: Some(OrgStatus::Active),
            regions: regions.as_ref(),
            under: under(&actor.scope),
            ..Default::default()
        };
        let mut c = OrgCounts::default();
        let mut towns: HashMap<i64, usize> = HashMap::new();
        self.catalog.orgs().scan(&q, |e| {
            c.total += 1;
            *c.by_kind.entry(e.kind.code()).or_default() += 1;
            *towns.entry(tree.town_of(e.region_id).map(|t| t.id).unwrap_or(0)).or_default() += 1;
        });
        c.by_town =
            tree.towns().into_iter().map(|t| (t.id, t.name.clone(), towns.get(&t.id).copied().unwrap_or(0))).collect();
        if let Some(n) = towns.get(&0) {
            c.by_town.push((0, String::new(), *n));
        }
        let mut patent = org::Entity::find()
            .filter(org::Column::Kind.eq(OrgKind::EnterpriseAssociation.code()))
            .filter(org::Column::Status.eq(OrgStatus::Active.code()))
            .filter(org::Column::PatentPlatformOn.is_not_null());
        if let Some(set) = &regions {
            patent = patent.filter(org::Column::RegionId.is_in(set.iter().copied()));
        }
        if let Some(p) = under(&actor.scope) {
            patent = patent.filter(org::Column::Path.starts_with(p));
        }
        c.patent_platform = sea_orm::PaginatorTrait::count(patent, &self.db).await? as usize;
        Ok(c)
    }

    /// Checks references of an input through `Refs` (a missing parent or enterprise answers
    /// like one out of scope), the tree for cycles, and the code for duplicates.
    async fn check_refs(
        &self,
        txn: &DatabaseTransaction,
        actor: &Actor,
        input: &OrgInput,
        own: Option<&org::Model>,
    ) -> Result<Option<org::Model>> {
        let mut refs = self.refs(actor).await?;
        refs.region("region_id", input.region_id);
        let parent = match input.parent_id {
            None => None,
            Some(pid) => {
                // A root of the org tree (the district association) may be anyone's parent.
                let root = self.catalog.orgs().get(pid).is_some_and(|p| p.parent_id.is_none());
                let ok = root || refs.org("parent_id", pid, &[]).is_some();
                let p = if ok { org::Entity::find_by_id(pid).one(txn).await? } else { None };
                if let Some(p) = &p
                    && own.is_some_and(|o| parent_is_cyclic(&o.path, &p.path))
                {
                    refs.push("parent_id", "cyclic_parent");
                }
                p
            }
        };
        // An organisation's admin adds organisations only under their own.
        if let Scope::Org { path, .. } = &actor.scope
            && own.is_none()
            && parent.as_ref().is_some_and(|p| !p.path.starts_with(path.as_str()))
        {
            refs.refuse("parent_id");
        }
        if let Scope::Org { .. } = &actor.scope
            && own.is_none()
            && input.parent_id.is_none()
        {
            refs.push("parent_id", "required");
        }
        if let Some(eid) = input.enterprise_id {
            refs.org("enterprise_id", eid, &[OrgKind::Enterprise]);
        }
        let dup = org::Entity::find().filter(org::Column::Code.eq(input.code.as_str())).one(txn).await?;
        if dup.is_some_and(|d| own.is_none_or(|o| o.id != d.id)) {
            refs.push("code", "duplicate");
        }
        refs.finish()?;
        Ok(parent)
    }

    pub async fn create_org(&self, actor: &Actor, form: &OrgForm) -> Result<i64> {
        if !actor.can(Area::Org, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let input = form.check()?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let parent = self.check_refs(&txn, actor, &input, None).await?;
        let saved =
            insert_org(&txn, &input, OrgStatus::Active, parent.as_ref().map(|p| p.path.as_str()), chain.next_seq())
                .await?;
        chain.record(&txn, actor, "create", "org", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    pub async fn update_org(&self, actor: &Actor, id: i64, form: &OrgForm) -> Result<()> {
        if !actor.can(Area::Org, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let mut form = form.clone();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = org::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let tree = self.regions().await?;
        if !self.org_visible(actor, &tree, &before) {
            return Err(StoreError::NotFound);
        }
        // A masked phone sent back unchanged keeps the stored number.
        if let Some(stored) = &before.contact_phone
            && is_masked(&form.contact_phone)
            && form.contact_phone == mask_phone(stored)
        {
            form.contact_phone = stored.clone();
        }
        let input = form.check()?;
        let parent = self.check_refs(&txn, actor, &input, Some(&before)).await?;
        let rev = chain.next_seq();
        let path = child_path(parent.as_ref().map(|p| p.path.as_str()), id);
        let mut am: org::ActiveModel = before.clone().into();
        set_fields(&mut am, &input);
        am.path = Set(path.clone());
        am.rev = Set(rev);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        if path != before.path {
            move_subtree(&txn, &before.path, &path, rev).await?;
        }
        chain.record(&txn, actor, "update", "org", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Archives (or restores) an organisation; nothing is deleted, so history stays whole.
    pub async fn set_org_status(&self, actor: &Actor, id: i64, status: OrgStatus) -> Result<()> {
        if !actor.can(Area::Org, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = org::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let tree = self.regions().await?;
        if !self.org_visible(actor, &tree, &before) {
            return Err(StoreError::NotFound);
        }
        let mut am: org::ActiveModel = before.clone().into();
        am.status = Set(status.code().to_string());
        am.rev = Set(chain.next_seq());
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        let action = if status == OrgStatus::Archived { "archive" } else { "restore" };
        chain.record(&txn, actor, action, "org", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// The officer-role dictionary: (code, Chinese label, English label).
    pub async fn officer_roles(&self) -> Result<Vec<(String, String, String)>> {
        Ok(dict_item::Entity::find()
            .filter(dict_item::Column::Dict.eq("officer_role"))
            .order_by_asc(dict_item::Column::Sort)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.code, d.label_zh, d.label_en))
            .collect())
    }

    pub async fn officers(&self, actor: &Actor, org_id: i64) -> Result<Vec<OfficerView>> {
        self.get_org(actor, org_id).await?;
        let roles = self.officer_roles().await?;
        let rows = officer::Entity::find().filter(officer::Column::OrgId.eq(org_id)).all(&self.db).await?;
        let people: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(rows.iter().map(|o| o.person_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let rank = |c: &str| roles.iter().position(|r| r.0 == c).unwrap_or(usize::MAX);
        let mut out: Vec<OfficerView> = rows
            .into_iter()
            .filter_map(|o| {
                let p = people.get(&o.person_id)?;
                Some(OfficerView {
                    id: o.id,
                    person_id: p.id,
                    person_name: p.name.clone(),
                    person_title: p.title.clone(),
                    phone: p
                        .phone
                        .as_ref()
                        .map(|x| if actor.role.sees_personal_data() { x.clone() } else { mask_phone(x) }),
                    role_label: roles
                        .iter()
                        .find(|r| r.0 == o.role_code)
                        .map(|r| r.1.clone())
                        .unwrap_or_else(|| o.role_code.clone()),
                    role_code: o.role_code,
                })
            })
            .collect();
        out.sort_by_key(|o| (rank(&o.role_code), o.id));
        Ok(out)
    }

    pub async fn add_officer(&self, actor: &Actor, org_id: i64, person_id: i64, role_code: &str) -> Result<()> {
        let org = self.get_org(actor, org_id).await?;
        if !actor.can(Area::Org, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let mut refs = self.refs(actor).await?;
        if OrgKind::parse(&org.org.kind).is_none_or(|k| !k.has_officers()) {
            refs.push("org_id", "no_officers_for_kind");
        }
        if !self.officer_roles().await?.iter().any(|r| r.0 == role_code) {
            refs.push("role_code", "unknown_role");
        }
        refs.person("person_id", person_id).await?;
        refs.finish()?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let exists = officer::Entity::find()
            .filter(officer::Column::OrgId.eq(org_id))
            .filter(officer::Column::PersonId.eq(person_id))
            .filter(officer::Column::RoleCode.eq(role_code))
            .one(&txn)
            .await?;
        if exists.is_some() {
            return Err(Invalid::one("person_id", "duplicate").into());
        }
        let saved = officer::ActiveModel {
            org_id: Set(org_id),
            person_id: Set(person_id),
            role_code: Set(role_code.to_string()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "officer", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn remove_officer(&self, actor: &Actor, org_id: i64, officer_id: i64) -> Result<()> {
        self.get_org(actor, org_id).await?;
        if !actor.can(Area::Org, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let o = officer::Entity::find_by_id(officer_id)
            .one(&txn)
            .await?
            .filter(|o| o.org_id == org_id)
            .ok_or(StoreError::NotFound)?;
        officer::Entity::delete_by_id(officer_id).exec(&txn).await?;
        chain.record(&txn, actor, "delete", "officer", Some(officer_id), Some(&o), None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }
}

/// Sets only what differs, so that an update with nothing new changes nothing (and the roster
/// import can tell "unchanged" rows apart).
fn set_fields(am: &mut org::ActiveModel, i: &OrgInput) {
    am.code.set_if_not_equals(i.code.clone());
    am.name.set_if_not_equals(i.name.clone());
    am.kind.set_if_not_equals(i.kind.code().to_string());
    am.region_id.set_if_not_equals(i.region_id);
    am.parent_id.set_if_not_equals(i.parent_id);
    am.enterprise_id.set_if_not_equals(i.enterprise_id);
    am.credit_code.set_if_not_equals(i.credit_code.clone());
    am.address.set_if_not_equals(i.address.clone());
    am.contact_name.set_if_not_equals(i.contact_name.clone());
    am.contact_phone.set_if_not_equals(i.contact_phone.clone());
    am.established_on.set_if_not_equals(i.established_on);
    am.patent_platform_on.set_if_not_equals(i.patent_platform_on);
    am.kczg_on.set_if_not_equals(i.kczg_on);
    am.green_platform_on.set_if_not_equals(i.green_platform_on);
    am.note.set_if_not_equals(i.note.clone());
}

/// Inserts, then sets the path (it contains the new id).
pub(crate) async fn insert_org(
    txn: &DatabaseTransaction,
    input: &OrgInput,
    status: OrgStatus,
    parent_path: Option<&str>,
    rev: i64,
) -> Result<org::Model> {
    let t = now();
    let mut am = org::ActiveModel {
        status: Set(status.code().to_string()),
        path: Set(String::new()),
        rev: Set(rev),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    };
    set_fields(&mut am, input);
    let inserted = am.insert(txn).await?;
    let mut am: org::ActiveModel = inserted.clone().into();
    am.path = Set(child_path(parent_path, inserted.id));
    Ok(am.update(txn).await?)
}

/// Rewrites the paths of every descendant after a move.
pub(crate) async fn move_subtree(txn: &DatabaseTransaction, old: &str, new: &str, rev: i64) -> Result<()> {
    let below = org::Entity::find()
        .filter(org::Column::Path.starts_with(old))
        .filter(org::Column::Path.ne(old))
        .all(txn)
        .await?;
    for m in below {
        let path = format!("{new}{}", &m.path[old.len()..]);
        let mut am: org::ActiveModel = m.into();
        am.path = Set(path);
        am.rev = Set(rev);
        am.update(txn).await?;
    }
    Ok(())
}
