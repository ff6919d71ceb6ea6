//! 企业需求: enterprises' needs with the 科创中国 fields, their review, and their export.

use super::Reach;
use crate::entity::{need, org};
use crate::reference::UNKNOWN_REF;
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::{NeedForm, NeedInput, NeedKind, NeedStatus, NeedStep};
use kexie_core::org::OrgKind;
use kexie_core::page::{Page, PageRequest};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct NeedView {
    #[serde(flatten)]
    pub need: need::Model,
    pub enterprise_name: String,
    pub enterprise_code: String,
    /// The town (镇/街道) the enterprise is in.
    pub town: String,
}

#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    /// Words of the title or the enterprise's name.
    pub q: String,
    pub status: Option<NeedStatus>,
    pub kind: Option<NeedKind>,
    pub industry: String,
    pub org_id: Option<i64>,
}

impl NeedView {
    pub fn status(&self) -> NeedStatus {
        NeedStatus::parse(&self.need.status).unwrap_or(NeedStatus::Draft)
    }

    pub fn input(&self) -> NeedInput {
        input_of(&self.need)
    }

    pub fn form(&self) -> NeedForm {
        let n = &self.need;
        NeedForm {
            title: n.title.clone(),
            industry: n.industry.clone(),
            kind: n.kind.clone(),
            background: n.background.clone(),
            problem: n.problem.clone(),
            goal: n.goal.clone(),
            budget: n.budget_wan.map(|b| b.to_string()).unwrap_or_default(),
            deadline: n.deadline.map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

pub(crate) fn input_of(n: &need::Model) -> NeedInput {
    NeedInput {
        title: n.title.clone(),
        industry: n.industry.clone(),
        kind: NeedKind::parse(&n.kind).unwrap_or(NeedKind::Technology),
        background: n.background.clone(),
        problem: n.problem.clone(),
        goal: n.goal.clone(),
        budget_wan: n.budget_wan,
        deadline: n.deadline,
    }
}

fn set_fields(am: &mut need::ActiveModel, i: &NeedInput) {
    am.title = Set(i.title.clone());
    am.industry = Set(i.industry.clone());
    am.kind = Set(i.kind.code().to_string());
    am.background = Set(i.background.clone());
    am.problem = Set(i.problem.clone());
    am.goal = Set(i.goal.clone());
    am.budget_wan = Set(i.budget_wan);
    am.deadline = Set(i.deadline);
}

/// China's calendar day, for deadlines.
pub(crate) fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

impl Store {
    /// Needs the caller may see, by reach; `approved_only` for the lists experts and rankings read.
    pub(crate) fn scoped_needs(&self, reach: &Reach, region_orgs: Option<&[i64]>) -> Select<need::Entity> {
        let q = need::Entity::find();
        match reach {
            Reach::All => q,
            Reach::Regions(_) => q.filter(need::Column::OrgId.is_in(region_orgs.unwrap_or_default().to_vec())),
            Reach::Enterprises(ids) => q.filter(need::Column::OrgId.is_in(ids.iter().copied().collect::<Vec<_>>())),
            Reach::Approved => q.filter(need::Column::Status.eq(NeedStatus::Approved.code())),
        }
    }

    /// The organisations of a town reach (needs are joined to regions through their enterprise).
    pub(crate) fn orgs_in(&self, reach: &Reach) -> Option<Vec<i64>> {
        let Reach::Regions(regions) = reach else { return None };
        let mut ids = Vec::new();
        self.catalog.orgs().scan(
            &kexie_core::org::index::OrgQuery {
                regions: Some(regions),
                kind: Some(OrgKind::Enterprise),
                ..Default::default()
            },
            |e| ids.push(e.id),
        );
        Some(ids)
    }

    pub(crate) async fn need_query(&self, actor: &Actor) -> Result<Select<need::Entity>> {
        if !actor.can(Area::Need, Action::View) {
            return Err(StoreError::NotFound);
        }
        let reach = self.reach(actor).await?;
        let orgs = self.orgs_in(&reach);
        Ok(self.scoped_needs(&reach, orgs.as_deref()))
    }

    pub(crate) async fn need_views(&self, rows: Vec<need::Model>) -> Result<Vec<NeedView>> {
        let tree = self.regions().await?;
        let orgs = self.catalog.orgs();
        Ok(rows
            .into_iter()
            .map(|n| {
                let e = orgs.get(n.org_id);
                NeedView {
                    enterprise_name: e.map(|e| e.name.clone()).unwrap_or_default(),
                    enterprise_code: e.map(|e| e.code.clone()).unwrap_or_default(),
                    town: e.and_then(|e| tree.town_of(e.region_id)).map(|t| t.name.clone()).unwrap_or_default(),
                    need: n,
                }
            })
            .collect())
    }

    pub async fn list_needs(&self, actor: &Actor, f: &NeedFilter, page: PageRequest) -> Result<Page<NeedView>> {
        let mut q = self.need_query(actor).await?;
        if let Some(s) = f.status {
            q = q.filter(need::Column::Status.eq(s.code()));
        }
        if let Some(k) = f.kind {
            q = q.filter(need::Column::Kind.eq(k.code()));
        }
        if !f.industry.trim().is_empty() {
            q = q.filter(need::Column::Industry.eq(f.industry.trim()));
        }
        if let Some(o) = f.org_id {
            q = q.filter(need::Column::OrgId.eq(o));
        }
        for term in f.q.split_whitespace().take(5) {
            let mut any = Condition::any().add(need::Column::Title.contains(term));
            let orgs: Vec<i64> = {
                let idx = self.catalog.orgs();
                let query =
                    kexie_core::org::index::OrgQuery { q: term, kind: Some(OrgKind::Enterprise), ..Default::default() };
                idx.search(&query, 0, 1000).1.into_iter().map(|e| e.id).collect()
            };
            if !orgs.is_empty() {
                any = any.add(need::Column::OrgId.is_in(orgs));
            }
            q = q.filter(any);
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q.order_by_desc(need::Column::Id).offset(page.offset()).limit(page.per_page).all(&self.db).await?;
        Ok(Page { items: self.need_views(rows).await?, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_need(&self, actor: &Actor, id: i64) -> Result<NeedView> {
        let n = self.need_query(actor).await?.filter(need::Column::Id.eq(id)).one(&self.db).await?;
        let n = n.ok_or(StoreError::NotFound)?;
        Ok(self.need_views(vec![n]).await?.remove(0))
    }

    /// The enterprise a need is posted for: the one named (the association enters needs for
    /// any enterprise) or the caller's own.
    async fn need_owner(&self, actor: &Actor, named: Option<i64>) -> Result<i64> {
        let reach = self.reach(actor).await?;
        let org_id = match (&reach, named) {
            (Reach::All, Some(o)) => o,
            (Reach::Enterprises(ids), Some(o)) if ids.contains(&o) => o,
            (Reach::Enterprises(_), Some(_)) => return Err(Invalid::one("org_code", UNKNOWN_REF).into()),
            (Reach::Enterprises(ids), None) if ids.len() == 1 => *ids.iter().next().expect("one"),
            (Reach::All | Reach::Enterprises(_), _) => return Err(Invalid::one("org_code", "required").into()),
            _ => return Err(StoreError::NotFound),
        };
        let o = org::Entity::find_by_id(org_id).one(&self.db).await?;
        match o {
            Some(o) if o.kind == OrgKind::Enterprise.code() => Ok(org_id),
            Some(_) => Err(Invalid::one("org_code", "need_owner_not_enterprise").into()),
            None => Err(Invalid::one("org_code", UNKNOWN_REF).into()),
        }
    }

    pub async fn create_need(&self, actor: &Actor, org_id: Option<i64>, form: &NeedForm) -> Result<i64> {
        if !actor.can(Area::Need, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let input = form.check(today());
        let owner = self.need_owner(actor, org_id).await;
        let (input, owner) = merge(input, owner)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = now();
        let mut am = need::ActiveModel {
            org_id: Set(owner),
            status: Set(NeedStatus::Draft.code().to_string()),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
        set_fields(&mut am, &input);
        let saved = am.insert(&txn).await?;
        chain.record(&txn, actor, "create", "need", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    /// Changes a need's text. The enterprise's edit of an approved need sends it back to
    /// review; the association's edits keep the state.
    pub async fn update_need(&self, actor: &Actor, id: i64, form: &NeedForm) -> Result<()> {
        let before = self.editable_need(actor, id).await?;
        let input = form.check(today())?;
        let reviewer = actor.can(Area::Need, Action::Review);
        let status = NeedStatus::parse(&before.status).unwrap_or(NeedStatus::Draft);
        if status == NeedStatus::Closed {
            return Err(Invalid::one("status", "need_closed").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: need::ActiveModel = before.clone().into();
        set_fields(&mut am, &input);
        am.status = Set(status.after_edit(reviewer).code().to_string());
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "need", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    async fn editable_need(&self, actor: &Actor, id: i64) -> Result<need::Model> {
        if !actor.can(Area::Need, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let reach = self.reach(actor).await?;
        if !matches!(reach, Reach::All | Reach::Enterprises(_)) {
            return Err(StoreError::NotFound);
        }
        Ok(self.get_need(actor, id).await?.need)
    }

    /// Submits, reviews, closes or reopens a need. Sending a need back needs a reason.
    pub async fn step_need(&self, actor: &Actor, id: i64, step: NeedStep, note: &str) -> Result<NeedStatus> {
        let before = self.editable_need(actor, id).await?;
        let reviewer = actor.can(Area::Need, Action::Review);
        let status = NeedStatus::parse(&before.status).unwrap_or(NeedStatus::Draft);
        let Some(next) = status.after(step, reviewer) else {
            return Err(Invalid::one("status", "step_not_allowed").into());
        };
        let mut e = Invalid::default();
        let note = kexie_core::validate::optional(&mut e, "review_note", note, 500);
        if step == NeedStep::Reject && note.is_none() {
            e.push("review_note", "required");
        }
        e.into_result(())?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: need::ActiveModel = before.clone().into();
        am.status = Set(next.code().to_string());
        if matches!(step, NeedStep::Approve | NeedStep::Reject) {
            am.review_note = Set(note);
            am.reviewed_by = Set(Some(actor.username.clone()));
            am.reviewed_at = Set(Some(now()));
        }
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        let action = match step {
            NeedStep::Submit => "submit",
            NeedStep::Approve => "approve",
            NeedStep::Reject => "reject",
            NeedStep::Close => "close",
            NeedStep::Reopen => "reopen",
        };
        chain.record(&txn, actor, action, "need", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(next)
    }

    /// Needs for re-posting on 科创中国, in the platform's column order; contacts masked
    /// for roles without personal-data rights.
    pub async fn export_needs(&self, actor: &Actor, f: &NeedFilter, max: u64) -> Result<Vec<Vec<String>>> {
        if !actor.can(Area::Need, Action::Export) {
            return Err(StoreError::NotFound);
        }
        let needs = self.list_needs(actor, f, PageRequest { page: 1, per_page: max }).await?.items;
        let ids: Vec<i64> = needs.iter().map(|n| n.need.org_id).collect();
        let orgs: std::collections::HashMap<i64, org::Model> = org::Entity::find()
            .filter(org::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
        let tree = self.regions().await?;
        let mask = !actor.role.sees_personal_data();
        Ok(needs
            .into_iter()
            .map(|v| {
                let n = &v.need;
                let o = orgs.get(&n.org_id);
                let phone = o.and_then(|o| o.contact_phone.clone()).unwrap_or_default();
                vec![
                    n.title.clone(),
                    NeedKind::parse(&n.kind).map(|k| k.label_zh().to_string()).unwrap_or_default(),
                    n.industry.clone(),
                    n.background.clone(),
                    n.problem.clone(),
                    n.goal.clone(),
                    n.budget_wan.map(|b| b.to_string()).unwrap_or_default(),
                    n.deadline.map(|d| d.to_string()).unwrap_or_default(),
                    v.enterprise_name.clone(),
                    o.and_then(|o| o.credit_code.clone()).unwrap_or_default(),
                    o.map(|o| tree.display_name(o.region_id)).unwrap_or_default(),
                    o.and_then(|o| o.contact_name.clone()).unwrap_or_default(),
                    if mask && !phone.is_empty() { kexie_core::person::mask_phone(&phone) } else { phone },
                ]
            })
            .collect())
    }

    pub async fn need_counts(&self, actor: &Actor) -> Result<Vec<(NeedStatus, u64)>> {
        let q = self.need_query(actor).await?;
        let mut out = Vec::new();
        for s in NeedStatus::ALL {
            out.push((s, q.clone().filter(need::Column::Status.eq(s.code())).count(&self.db).await?));
        }
        Ok(out)
    }
}

/// Both checks' field errors together, so a form shows every problem at once.
pub(crate) fn merge<A, B>(a: std::result::Result<A, Invalid>, b: Result<B>) -> Result<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut x), Err(StoreError::Invalid(y))) => {
            x.0.extend(y.0);
            Err(x.into())
        }
        (_, Err(e)) => Err(e),
        (Err(x), Ok(_)) => Err(x.into()),
    }
}
