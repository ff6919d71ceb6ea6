//! 专家: profiles with consent and visibility, declared conflicts, the roster in Excel, and
//! the 专家工作站 an expert works with.

use crate::entity::{expert, expert_conflict, patent, workstation_expert};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::roster::{self, PlannedExpert};
use kexie_core::matchmaking::{ExpertForm, ExpertInput};
use kexie_core::org::OrgKind;
use kexie_core::page::{Page, PageRequest};
use kexie_core::roster::ImportSummary;
use kexie_core::scope::Scope;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const ACTIVE: &str = "active";
pub const ARCHIVED: &str = "archived";

#[derive(Debug, Clone, Serialize)]
pub struct ExpertView {
    pub id: i64,
    pub person_id: Option<i64>,
    pub org_id: Option<i64>,
    pub org_code: Option<String>,
    pub status: String,
    #[serde(flatten)]
    pub profile: ExpertInput,
}

#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub id: i64,
    pub workstation_id: i64,
    pub workstation: String,
    pub expert_id: i64,
    pub expert: String,
    pub joined_on: Option<chrono::NaiveDate>,
    pub project: Option<String>,
    pub result: Option<String>,
    /// The enterprise that hosts the workstation.
    pub host: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    /// Words of the name, institution, fields or keywords.
    pub q: String,
    pub consent: Option<bool>,
}

pub(crate) fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect()
}

pub(crate) fn profile_of(m: &expert::Model) -> ExpertInput {
    ExpertInput {
        name: m.name.clone(),
        title: m.title.clone(),
        institution: m.institution.clone(),
        fields: lines(&m.fields),
        keywords: lines(&m.keywords),
        bio: m.bio.clone(),
        achievements: lines(&m.achievements),
        consent: m.consent,
        visible: m.visible,
    }
}

fn set_fields(am: &mut expert::ActiveModel, i: &ExpertInput, org_id: Option<i64>) {
    am.name = Set(i.name.clone());
    am.title = Set(i.title.clone());
    am.institution = Set(i.institution.clone());
    am.fields = Set(i.fields.join("\n"));
    am.keywords = Set(i.keywords.join("\n"));
    am.bio = Set(i.bio.clone());
    am.achievements = Set(i.achievements.join("\n"));
    am.consent = Set(i.consent);
    am.visible = Set(i.visible);
    am.org_id = Set(org_id);
}

impl Store {
    /// Experts the caller may see: the association every profile; an expert their own;
    /// others the active profiles that consented and are visible.
    pub(crate) fn scoped_experts(&self, actor: &Actor) -> Result<Select<expert::Entity>> {
        if !actor.can(Area::Expert, Action::View) {
            return Err(StoreError::NotFound);
        }
        let q = expert::Entity::find();
        Ok(match &actor.scope {
            Scope::All => q,
            Scope::Own { person_id } => q.filter(expert::Column::PersonId.eq(person_id.unwrap_or(-1))),
            Scope::Region { .. } | Scope::Org { .. } => q
                .filter(expert::Column::Status.eq(ACTIVE))
                .filter(expert::Column::Consent.eq(true))
                .filter(expert::Column::Visible.eq(true)),
        })
    }

    fn expert_view(&self, m: expert::Model) -> ExpertView {
        let org_code = m.org_id.and_then(|o| self.catalog.orgs().get(o).map(|e| e.code.clone()));
        ExpertView {
            id: m.id,
            person_id: m.person_id,
            org_id: m.org_id,
            org_code,
            status: m.status.clone(),
            profile: profile_of(&m),
        }
    }

    pub async fn list_experts(&self, actor: &Actor, f: &ExpertFilter, page: PageRequest) -> Result<Page<ExpertView>> {
        let mut q = self.scoped_experts(actor)?;
        self.regions().await?;
        for term in f.q.split_whitespace().take(5) {
            q = q.filter(
                Condition::any()
                    .add(expert::Column::Name.contains(term))
                    .add(expert::Column::Institution.contains(term))
                    .add(expert::Column::Fields.contains(term))
                    .add(expert::Column::Keywords.contains(term)),
            );
        }
        if let Some(c) = f.consent {
            q = q.filter(expert::Column::Consent.eq(c));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q.order_by_asc(expert::Column::Id).offset(page.offset()).limit(page.per_page).all(&self.db).await?;
        let items = rows.into_iter().map(|m| self.expert_view(m)).collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_expert(&self, actor: &Actor, id: i64) -> Result<ExpertView> {
        let m = self.scoped_experts(actor)?.filter(expert::Column::Id.eq(id)).one(&self.db).await?;
        self.regions().await?;
        Ok(self.expert_view(m.ok_or(StoreError::NotFound)?))
    }

    /// Which of these experts the actor may open, by the reach `get_expert` applies.
    pub async fn openable_experts(&self, actor: &Actor, ids: &[i64]) -> Result<HashSet<i64>> {
        if ids.is_empty() || !actor.can(Area::Expert, Action::View) {
            return Ok(Default::default());
        }
        let rows: Vec<i64> = self
            .scoped_experts(actor)?
            .filter(expert::Column::Id.is_in(ids.iter().copied()))
            .select_only()
            .column(expert::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// The expert profile of the caller's own person, if any.
    pub async fn own_expert(&self, actor: &Actor) -> Result<Option<i64>> {
        let Some(p) = actor.person_id else { return Ok(None) };
        let m = expert::Entity::find().filter(expert::Column::PersonId.eq(p)).one(&self.db).await?;
        Ok(m.map(|m| m.id))
    }

    /// The association edits every profile; an expert edits their own.
    async fn editable_expert(&self, actor: &Actor, id: i64) -> Result<expert::Model> {
        if !actor.can(Area::Expert, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let m = self.scoped_experts(actor)?.filter(expert::Column::Id.eq(id)).one(&self.db).await?;
        let m = m.ok_or(StoreError::NotFound)?;
        let own = actor.person_id.is_some() && m.person_id == actor.person_id;
        if Self::manages_experts(actor) || own { Ok(m) } else { Err(StoreError::NotFound) }
    }

    async fn institution_ref(&self, code: Option<&str>) -> Result<Option<i64>> {
        let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else { return Ok(None) };
        self.regions().await?;
        match self.catalog.orgs().by_code(&code.to_ascii_uppercase()) {
            Some(o) => Ok(Some(o.id)),
            None => Err(Invalid::one("org_code", "unknown_org").into()),
        }
    }

    pub async fn create_expert(&self, actor: &Actor, form: &ExpertForm, org_code: Option<&str>) -> Result<i64> {
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let (input, org_id) = super::need::merge(form.check(), self.institution_ref(org_code).await)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = insert_expert(&txn, &mut chain, actor, &input, org_id, None).await?;
        self.commit(txn, chain).await?;
        Ok(saved)
    }

    pub async fn update_expert(&self, actor: &Actor, id: i64, form: &ExpertForm, org_code: Option<&str>) -> Result<()> {
        let before = self.editable_expert(actor, id).await?;
        let (input, org_id) = super::need::merge(form.check(), self.institution_ref(org_code).await)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: expert::ActiveModel = before.clone().into();
        set_fields(&mut am, &input, org_id);
        am.rev = Set(chain.next_seq());
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "expert", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Archives (or restores) a profile: archived experts are never ranked.
    pub async fn set_expert_status(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let before = self.editable_expert(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: expert::ActiveModel = before.clone().into();
        am.status = Set(if active { ACTIVE } else { ARCHIVED }.to_string());
        am.rev = Set(chain.next_seq());
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain
            .record(
                &txn,
                actor,
                if active { "restore" } else { "archive" },
                "expert",
                Some(id),
                Some(&before),
                Some(&after),
            )
            .await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn expert_conflicts(&self, actor: &Actor, id: i64) -> Result<Vec<Conflict>> {
        let e = self.get_expert(actor, id).await?;
        let rows = expert_conflict::Entity::find()
            .filter(expert_conflict::Column::ExpertId.eq(e.id))
            .order_by_asc(expert_conflict::Column::Id)
            .all(&self.db)
            .await?;
        let orgs = self.catalog.orgs();
        Ok(rows
            .into_iter()
            .map(|c| Conflict {
                id: c.id,
                org_id: c.org_id,
                org_name: orgs.get(c.org_id).map(|o| o.name.clone()).unwrap_or_default(),
                reason: c.reason,
            })
            .collect())
    }

    /// Declares a conflict of interest with an organisation: the expert is no longer ranked
    /// for its needs, nor it for the expert.
    pub async fn add_conflict(&self, actor: &Actor, id: i64, org_code: &str, reason: &str) -> Result<()> {
        self.editable_expert(actor, id).await?;
        let mut e = Invalid::default();
        let reason = kexie_core::validate::optional(&mut e, "reason", reason, 200);
        let org_id = match self.institution_ref(Some(org_code)).await {
            Ok(Some(o)) => Some(o),
            Ok(None) => {
                e.push("org_code", "required");
                None
            }
            Err(StoreError::Invalid(more)) => {
                e.0.extend(more.0);
                None
            }
            Err(other) => return Err(other),
        };
        let org_id = e.into_result(org_id)?.expect("checked");
        let exists = expert_conflict::Entity::find()
            .filter(expert_conflict::Column::ExpertId.eq(id))
            .filter(expert_conflict::Column::OrgId.eq(org_id))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            return Err(Invalid::one("org_code", "duplicate").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = expert_conflict::ActiveModel {
            expert_id: Set(id),
            org_id: Set(org_id),
            reason: Set(reason),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "expert_conflict", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn remove_conflict(&self, actor: &Actor, id: i64, conflict: i64) -> Result<()> {
        self.editable_expert(actor, id).await?;
        let c = expert_conflict::Entity::find_by_id(conflict).one(&self.db).await?;
        let c = c.filter(|c| c.expert_id == id).ok_or(StoreError::NotFound)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        expert_conflict::Entity::delete_by_id(c.id).exec(&txn).await?;
        chain.record(&txn, actor, "delete", "expert_conflict", Some(c.id), Some(&c), None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Expert ids with a declared conflict with this organisation.
    pub(crate) async fn conflicted_experts(&self, org_id: i64) -> Result<HashSet<String>> {
        let rows =
            expert_conflict::Entity::find().filter(expert_conflict::Column::OrgId.eq(org_id)).all(&self.db).await?;
        Ok(rows.into_iter().map(|c| c.expert_id.to_string()).collect())
    }

    /// The patents an expert invented, newest first.
    pub async fn expert_patents(&self, actor: &Actor, id: i64) -> Result<Vec<patent::Model>> {
        let e = self.get_expert(actor, id).await?;
        Ok(patent::Entity::find()
            .filter(patent::Column::ExpertId.eq(e.id))
            .order_by_desc(patent::Column::GrantedOn)
            .all(&self.db)
            .await?)
    }

    /// Members of 专家工作站: of one workstation, or of every one when `None`.
    pub async fn workstation_members(
        &self,
        actor: &Actor,
        workstation: Option<i64>,
        expert: Option<i64>,
    ) -> Result<Vec<Membership>> {
        if !actor.can(Area::Expert, Action::View) {
            return Err(StoreError::NotFound);
        }
        let mut q = workstation_expert::Entity::find();
        if let Some(w) = workstation {
            q = q.filter(workstation_expert::Column::OrgId.eq(w));
        }
        if let Some(e) = expert {
            q = q.filter(workstation_expert::Column::ExpertId.eq(e));
        }
        let rows = q
            .order_by_asc(workstation_expert::Column::OrgId)
            .order_by_asc(workstation_expert::Column::Id)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.expert_id).collect();
        let visible: HashMap<i64, String> = self
            .scoped_experts(actor)?
            .filter(expert::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        let stations: Vec<i64> = rows.iter().map(|r| r.org_id).collect();
        let hosts: HashMap<i64, i64> = crate::entity::org::Entity::find()
            .filter(crate::entity::org::Column::Id.is_in(stations))
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|o| Some((o.id, o.enterprise_id?)))
            .collect();
        self.regions().await?;
        let orgs = self.catalog.orgs();
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                Some(Membership {
                    host: hosts.get(&r.org_id).and_then(|h| orgs.get(*h)).map(|h| h.name.clone()),
                    result: r.result,
                    id: r.id,
                    workstation_id: r.org_id,
                    workstation: orgs.get(r.org_id).map(|o| o.name.clone()).unwrap_or_default(),
                    expert_id: r.expert_id,
                    expert: visible.get(&r.expert_id)?.clone(),
                    joined_on: r.joined_on,
                    project: r.project,
                })
            })
            .collect())
    }

    pub async fn add_workstation_member(
        &self,
        actor: &Actor,
        expert_id: i64,
        workstation_code: &str,
        joined_on: &str,
        project: &str,
        result: &str,
    ) -> Result<()> {
        self.editable_expert(actor, expert_id).await?;
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let mut e = Invalid::default();
        let joined_on = kexie_core::validate::optional_date(&mut e, "joined_on", joined_on);
        let project = kexie_core::validate::optional(&mut e, "project", project, 200);
        let result = kexie_core::validate::optional(&mut e, "result", result, 500);
        self.regions().await?;
        let ws = self.catalog.orgs().by_code(&workstation_code.trim().to_ascii_uppercase()).map(|o| (o.id, o.kind));
        match ws {
            None => {
                e.push("workstation_code", if workstation_code.trim().is_empty() { "required" } else { "unknown_org" })
            }
            Some((_, kind)) if kind != OrgKind::ExpertWorkstation => e.push("workstation_code", "not_a_workstation"),
            _ => {}
        }
        e.into_result(())?;
        let org_id = ws.expect("checked").0;
        let exists = workstation_expert::Entity::find()
            .filter(workstation_expert::Column::OrgId.eq(org_id))
            .filter(workstation_expert::Column::ExpertId.eq(expert_id))
            .count(&self.db)
            .await?;
        if exists > 0 {
            return Err(Invalid::one("workstation_code", "duplicate").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = workstation_expert::ActiveModel {
            org_id: Set(org_id),
            expert_id: Set(expert_id),
            joined_on: Set(joined_on),
            project: Set(project),
            result: Set(result),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "workstation_expert", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Imports an expert roster: every row checked first, then all written in one
    /// transaction, or nothing.
    pub async fn import_experts(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<ImportSummary> {
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let known: HashSet<i64> = expert::Entity::find()
            .select_only()
            .column(expert::Column::Id)
            .into_tuple::<i64>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        self.regions().await?;
        let codes: HashMap<String, i64> = {
            let orgs = self.catalog.orgs();
            let mut m = HashMap::new();
            orgs.scan(&Default::default(), |e| {
                m.insert(e.code.clone(), e.id);
            });
            m
        };
        let planned = roster::check_experts(rows, &known, &codes).map_err(StoreError::Roster)?;
        let mut summary = ImportSummary::default();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        for PlannedExpert { existing_id, input, org_id, .. } in planned {
            match existing_id {
                None => {
                    insert_expert(&txn, &mut chain, actor, &input, org_id, None).await?;
                    summary.created += 1;
                }
                Some(id) => {
                    let before = expert::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
                    if profile_of(&before) == input && before.org_id == org_id {
                        summary.unchanged += 1;
                        continue;
                    }
                    let mut am: expert::ActiveModel = before.clone().into();
                    set_fields(&mut am, &input, org_id);
                    am.rev = Set(chain.next_seq());
                    am.updated_at = Set(now());
                    let after = am.update(&txn).await?;
                    chain.record(&txn, actor, "import", "expert", Some(id), Some(&before), Some(&after)).await?;
                    summary.updated += 1;
                }
            }
        }
        self.commit(txn, chain).await?;
        Ok(summary)
    }

    /// The roster rows of the experts the caller sees, in `roster::EXPERT_COLUMNS` order.
    pub async fn export_experts(&self, actor: &Actor, f: &ExpertFilter, max: u64) -> Result<Vec<Vec<String>>> {
        if !actor.can(Area::Expert, Action::Export) {
            return Err(StoreError::NotFound);
        }
        let page = self.list_experts(actor, f, PageRequest { page: 1, per_page: max }).await?;
        Ok(page.items.iter().map(|e| roster::expert_row(e.id, &e.profile, e.org_code.as_deref())).collect())
    }
}

pub(crate) async fn insert_expert(
    txn: &sea_orm::DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    input: &ExpertInput,
    org_id: Option<i64>,
    person_id: Option<i64>,
) -> Result<i64> {
    let t = now();
    let mut am = expert::ActiveModel {
        person_id: Set(person_id),
        status: Set(ACTIVE.to_string()),
        rev: Set(chain.next_seq()),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    };
    set_fields(&mut am, input, org_id);
    let saved = am.insert(txn).await?;
    chain.record(txn, actor, "create", "expert", Some(saved.id), None::<&()>, Some(&saved)).await?;
    Ok(saved.id)
}
