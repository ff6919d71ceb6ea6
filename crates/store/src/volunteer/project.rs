//! 服务项目 storage: what practice sites and teams offer, with the shifts still short of
//! volunteers. Scope: the association sees every project; a town officer those of the sites
//! and teams in their town; a site's or team's admin their own.

use crate::entity::{service_project, shift};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::activity::ActivityKind;
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::scope::Scope;
use kexie_core::volunteer::project::{ProjectInput, Status};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use std::collections::HashMap;

/// The kinds of organisation that run service projects.
const HOSTS: [OrgKind; 2] = [OrgKind::PracticeSite, OrgKind::VolunteerTeam];

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProjectFilter {
    #[serde(default)]
    pub q: String,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub org: Option<i64>,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub p: service_project::Model,
    pub status: Status,
    pub kind: ActivityKind,
    pub org: String,
    pub town: String,
    /// Upcoming open shifts, and the places in them still unfilled.
    pub shifts: i64,
    pub gaps: i64,
}

fn status_of(p: &service_project::Model) -> Status {
    Status::parse(&p.status).unwrap_or(Status::Active)
}

impl Store {
    /// Practice sites and teams in the caller's scope: the organisations that may run a project.
    pub async fn project_hosts(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        if !actor.can(Area::Volunteer, Action::View) {
            return Err(StoreError::NotFound);
        }
        self.orgs_in_scope(actor, &HOSTS, true).await
    }

    pub(crate) async fn project_scope(&self, actor: &Actor) -> Result<Condition> {
        let hosts: Vec<i64> = self.project_hosts(actor).await?.into_iter().map(|(id, _)| id).collect();
        Ok(match actor.scope {
            Scope::All => Condition::all(),
            _ => Condition::all().add(service_project::Column::OrgId.is_in(hosts)),
        })
    }

    pub(crate) async fn scoped_project(&self, actor: &Actor, id: i64) -> Result<service_project::Model> {
        let scope = self.project_scope(actor).await?;
        service_project::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    async fn project_rows(&self, models: Vec<service_project::Model>) -> Result<Vec<ProjectRow>> {
        let tree = self.regions().await?;
        let ids: Vec<i64> = models.iter().map(|p| p.id).collect();
        let open: Vec<(Option<i64>, i32, i32)> = shift::Entity::find()
            .select_only()
            .column(shift::Column::ProjectId)
            .column(shift::Column::Quantity)
            .column(shift::Column::Taken)
            .filter(shift::Column::ProjectId.is_in(ids))
            .filter(shift::Column::Status.eq(kexie_core::volunteer::shift::Status::Open.code()))
            .filter(shift::Column::StartsAt.gt(now()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut by: HashMap<i64, (i64, i64)> = HashMap::new();
        for (p, q, t) in open {
            let e = by.entry(p.unwrap_or_default()).or_default();
            e.0 += 1;
            e.1 += i64::from((q - t).max(0));
        }
        let orgs = self.catalog.orgs();
        Ok(models
            .into_iter()
            .map(|p| {
                let org = orgs.get(p.org_id);
                let (shifts, gaps) = by.get(&p.id).copied().unwrap_or_default();
                ProjectRow {
                    status: status_of(&p),
                    kind: ActivityKind::parse(&p.kind).unwrap_or(ActivityKind::Service),
                    org: org.map(|o| o.name.clone()).unwrap_or_default(),
                    town: org.map(|o| crate::town_name(&tree, o.region_id)).unwrap_or_default(),
                    shifts,
                    gaps,
                    p,
                }
            })
            .collect())
    }

    /// Projects in the caller's view, filtered; a few dozen per district, so one page.
    pub async fn list_projects(&self, actor: &Actor, f: &ProjectFilter) -> Result<Vec<ProjectRow>> {
        let mut q = service_project::Entity::find().filter(self.project_scope(actor).await?);
        let text = f.q.trim();
        if !text.is_empty() {
            q = q.filter(
                Condition::any()
                    .add(service_project::Column::Title.contains(text))
                    .add(service_project::Column::Summary.contains(text)),
            );
        }
        if let Some(o) = f.org {
            q = q.filter(service_project::Column::OrgId.eq(o));
        }
        if let Some(s) = f.status {
            q = q.filter(service_project::Column::Status.eq(s.code()));
        }
        let models = q
            .order_by_asc(service_project::Column::OrgId)
            .order_by_asc(service_project::Column::Id)
            .all(&self.db)
            .await?;
        self.project_rows(models).await
    }

    pub async fn get_project(&self, actor: &Actor, id: i64) -> Result<ProjectRow> {
        let p = self.scoped_project(actor, id).await?;
        self.project_rows(vec![p]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// The public menu (服务菜单): active, orderable projects of every site and team.
    pub async fn orderable_projects(&self) -> Result<Vec<ProjectRow>> {
        let models = service_project::Entity::find()
            .filter(service_project::Column::Orderable.eq(true))
            .filter(service_project::Column::Status.eq(Status::Active.code()))
            .order_by_asc(service_project::Column::OrgId)
            .order_by_asc(service_project::Column::Id)
            .all(&self.db)
            .await?;
        self.project_rows(models).await
    }

    async fn check_host(&self, actor: &Actor, org_id: i64) -> Result<()> {
        let mut refs = self.refs(actor).await?;
        if refs.org("org_id", org_id, &HOSTS).is_some_and(|o| o.status != OrgStatus::Active) {
            refs.refuse("org_id");
        }
        refs.finish()
    }

    pub async fn create_project(&self, actor: &Actor, p: &ProjectInput) -> Result<i64> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        self.check_host(actor, p.org_id).await?;
        let t = now();
        let am = service_project::ActiveModel {
            org_id: Set(p.org_id),
            title: Set(p.title.clone()),
            kind: Set(p.kind.code().to_string()),
            summary: Set(p.summary.clone()),
            orderable: Set(p.orderable),
            status: Set(Status::Active.code().to_string()),
            created_by: Set(actor.username.chars().take(50).collect()),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = am.insert(&txn).await?;
        chain.record(&txn, actor, "create", "service_project", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    pub async fn update_project(&self, actor: &Actor, id: i64, p: &ProjectInput) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_project(actor, id).await?;
        self.check_host(actor, p.org_id).await?;
        let mut am: service_project::ActiveModel = before.clone().into();
        am.org_id = Set(p.org_id);
        am.title = Set(p.title.clone());
        am.kind = Set(p.kind.code().to_string());
        am.summary = Set(p.summary.clone());
        am.orderable = Set(p.orderable);
        am.updated_at = Set(now());
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "service_project", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// Pauses a project or takes it up again.
    pub async fn set_project_status(&self, actor: &Actor, id: i64, to: Status) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_project(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        service_project::Entity::update_many()
            .col_expr(service_project::Column::Status, Expr::value(to.code()))
            .col_expr(service_project::Column::UpdatedAt, Expr::value(now()))
            .filter(service_project::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        chain.record(&txn, actor, to.code(), "service_project", Some(id), Some(&before), None::<&()>).await?;
        self.commit(txn, chain).await
    }
}
