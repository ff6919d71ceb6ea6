//! Experts: list, the roster in Excel, profile pages with conflicts, workstations, patents
//! and the needs the expert suits best; the patent list and its CSV import.

use super::{Reason, reasons};
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::matchmaking::ExpertForm;
use kexie_core::matchmaking::roster::EXPERT_COLUMNS;
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_store::entity::patent;
use kexie_store::matchmaking::RankedNeed;
use kexie_store::matchmaking::expert::{Conflict, ExpertFilter, ExpertView, Membership};
use kexie_store::matchmaking::patent::PatentView;
use std::collections::HashSet;

const EXPORT_MAX: u64 = 20_000;
const RANKED: usize = 20;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub consent: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> ExpertFilter {
        ExpertFilter {
            q: self.q.chars().take(50).collect(),
            consent: match self.consent.as_str() {
                "yes" => Some(true),
                "no" => Some(false),
                _ => None,
            },
        }
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("q", self.q.clone()), ("consent", self.consent.clone())]
    }
}

/// Only the association keeps the expert pool; an expert keeps their own profile.
fn manages(web: &Web) -> bool {
    let a = web.actor();
    a.can(Area::Expert, Action::Import) && matches!(a.scope, Scope::All)
}

#[derive(Template, WebTemplate)]
#[template(path = "match/experts.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<ExpertView>,
    pub pager: Pager,
    pub manages: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state.store.list_experts(web.actor(), &q.filter(), PageRequest::new(q.page, q.per_page)).await?;
    let page = ListPage {
        pager: Pager::new(&page, "/match/experts", &q.pairs()),
        manages: manages(&web),
        ctx: web.ctx(),
        rows: page.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let rows = state.store.export_experts(web.actor(), &q.filter(), EXPORT_MAX).await?;
    let bytes = xlsx::write_rows("专家", &EXPERT_COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("专家库-{}.xlsx", chrono::Local::now().format("%Y%m%d"))))
}

#[derive(Template, WebTemplate)]
#[template(path = "match/expert.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub e: ExpertView,
    pub conflicts: Vec<Conflict>,
    pub memberships: Vec<Membership>,
    pub patents: Vec<patent::Model>,
    pub ranked: Vec<(RankedNeed, Vec<Reason>)>,
    pub can_edit: bool,
    pub manages: bool,
    pub can_audit: bool,
    pub errors: Invalid,
    pub conflict: ConflictFields,
    pub member: MemberFields,
    /// The workstations the viewer may open.
    pub open_orgs: HashSet<i64>,
}

/// The experts among `ids` this viewer would be let into (the route and the reach of
/// `get_expert`); pages show any other by name alone.
pub async fn openable(state: &AppState, web: &Web, ids: &[i64]) -> Result<HashSet<i64>, WebError> {
    if !web.may("/match/experts/0") {
        return Ok(HashSet::new());
    }
    Ok(state.store.openable_experts(web.actor(), ids).await?)
}

async fn show_page(state: &AppState, web: &Web, id: i64, errors: Invalid) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let e = state.store.get_expert(actor, id).await?;
    let own = actor.person_id.is_some() && e.person_id == actor.person_id;
    let memberships = state.store.workstation_members(actor, None, Some(id)).await?;
    Ok(ShowPage {
        open_orgs: crate::org::openable(state, web, &memberships.iter().map(|m| m.workstation_id).collect::<Vec<_>>())
            .await?,
        conflicts: state.store.expert_conflicts(actor, id).await?,
        memberships,
        patents: state.store.expert_patents(actor, id).await?,
        ranked: state
            .store
            .rank_needs_for_expert(actor, id, RANKED)
            .await?
            .into_iter()
            .map(|r| {
                let why = reasons(web.lang, &r.explanation, 4);
                (r, why)
            })
            .collect(),
        can_edit: actor.can(Area::Expert, Action::Edit) && (manages(web) || own),
        manages: manages(web),
        can_audit: actor.can(Area::Audit, Action::View),
        ctx: web.ctx(),
        e,
        errors,
        conflict: ConflictFields::default(),
        member: MemberFields::default(),
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, Invalid::default()).await
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ExpertFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub fields: String,
    #[serde(default)]
    pub keywords: String,
    #[serde(default)]
    pub bio: String,
    #[serde(default)]
    pub achievements: String,
    #[serde(default)]
    pub consent: Option<String>,
    #[serde(default)]
    pub visible: Option<String>,
}

impl ExpertFields {
    fn form(&self) -> ExpertForm {
        ExpertForm {
            name: self.name.clone(),
            title: self.title.clone(),
            institution: self.institution.clone(),
            fields: self.fields.clone(),
            keywords: self.keywords.clone(),
            bio: self.bio.clone(),
            achievements: self.achievements.clone(),
            consent: self.consent.is_some(),
            visible: self.visible.is_some(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/expert_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: ExpertFields,
    pub errors: Invalid,
}

fn form_page(web: &Web, id: Option<i64>, f: ExpertFields, errors: Invalid) -> FormPage {
    FormPage { ctx: web.ctx(), id, f, errors }
}

pub async fn new(web: Web) -> Result<FormPage, WebError> {
    if !manages(&web) {
        return Err(WebError::NotFound);
    }
    let f = ExpertFields { consent: Some("on".into()), visible: Some("on".into()), ..Default::default() };
    Ok(form_page(&web, None, f, Invalid::default()))
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<ExpertFields>,
) -> Result<Response, WebError> {
    match state.store.create_expert(web.actor(), &f.form(), Some(&f.org_code)).await {
        Ok(id) => Ok(see_other(&format!("/match/experts/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&web, None, f, e))),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let e = state.store.get_expert(web.actor(), id).await?;
    let form = e.profile.to_form();
    let yes = |b: bool| b.then(|| "on".to_string());
    let f = ExpertFields {
        name: form.name,
        title: form.title,
        institution: form.institution,
        org_code: e.org_code.clone().unwrap_or_default(),
        fields: form.fields,
        keywords: form.keywords,
        bio: form.bio,
        achievements: form.achievements,
        consent: yes(form.consent),
        visible: yes(form.visible),
    };
    Ok(form_page(&web, Some(id), f, Invalid::default()))
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ExpertFields>,
) -> Result<Response, WebError> {
    match state.store.update_expert(web.actor(), id, &f.form(), Some(&f.org_code)).await {
        Ok(()) => Ok(see_other(&format!("/match/experts/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&web, Some(id), f, e))),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StatusFields {
    #[serde(default)]
    pub active: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StatusFields>,
) -> Result<Response, WebError> {
    state.store.set_expert_status(web.actor(), id, f.active == "true").await?;
    Ok(see_other(&format!("/match/experts/{id}")))
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ConflictFields {
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn add_conflict(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ConflictFields>,
) -> Result<Response, WebError> {
    match state.store.add_conflict(web.actor(), id, &f.org_code, &f.reason).await {
        Ok(()) => Ok(see_other(&format!("/match/experts/{id}#conflicts"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let mut page = show_page(&state, &web, id, e).await?;
            page.conflict = f;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_conflict(
    State(state): State<AppState>,
    web: Web,
    Path((id, conflict)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    state.store.remove_conflict(web.actor(), id, conflict).await?;
    Ok(see_other(&format!("/match/experts/{id}#conflicts")))
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct MemberFields {
    #[serde(default)]
    pub workstation_code: String,
    #[serde(default)]
    pub joined_on: String,
    #[serde(default)]
    pub project: String,
    #[serde(default)]
    pub result: String,
}

pub async fn add_membership(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<MemberFields>,
) -> Result<Response, WebError> {
    match state
        .store
        .add_workstation_member(web.actor(), id, &f.workstation_code, &f.joined_on, &f.project, &f.result)
        .await
    {
        Ok(()) => Ok(see_other(&format!("/match/experts/{id}#workstations"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let mut page = show_page(&state, &web, id, e).await?;
            page.member = f;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/workstations.html")]
pub struct WorkstationsPage {
    pub ctx: PageCtx,
    pub groups: Vec<(i64, String, Vec<Membership>)>,
    pub open_orgs: HashSet<i64>,
    pub open_experts: HashSet<i64>,
}

/// 专家工作站 with their experts and cooperation projects.
pub async fn workstations(State(state): State<AppState>, web: Web) -> Result<WorkstationsPage, WebError> {
    let members = state.store.workstation_members(web.actor(), None, None).await?;
    let mut groups: Vec<(i64, String, Vec<Membership>)> = Vec::new();
    for m in members {
        match groups.last_mut() {
            Some(g) if g.0 == m.workstation_id => g.2.push(m),
            _ => groups.push((m.workstation_id, m.workstation.clone(), vec![m])),
        }
    }
    let orgs: Vec<i64> = groups.iter().map(|g| g.0).collect();
    let experts: Vec<i64> = groups.iter().flat_map(|g| &g.2).map(|m| m.expert_id).collect();
    let open_orgs = crate::org::openable(&state, &web, &orgs).await?;
    let open_experts = openable(&state, &web, &experts).await?;
    Ok(WorkstationsPage { ctx: web.ctx(), groups, open_orgs, open_experts })
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct PatentQuery {
    #[serde(default)]
    pub q: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "match/patents.html", blocks = ["results"])]
pub struct PatentsPage {
    pub ctx: PageCtx,
    pub q: PatentQuery,
    pub rows: Vec<PatentView>,
    pub pager: Pager,
    pub manages: bool,
    pub open_orgs: HashSet<i64>,
    pub open_experts: HashSet<i64>,
}

pub async fn patents(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<PatentQuery>,
) -> Result<Response, WebError> {
    let term: String = q.q.chars().take(50).collect();
    let page = state.store.list_patents(web.actor(), &term, PageRequest::new(q.page, q.per_page)).await?;
    let orgs: Vec<i64> = page.items.iter().filter_map(|v| v.patent.org_id).collect();
    let experts: Vec<i64> = page.items.iter().filter_map(|v| v.patent.expert_id).collect();
    let open_orgs = crate::org::openable(&state, &web, &orgs).await?;
    let open_experts = openable(&state, &web, &experts).await?;
    let page = PatentsPage {
        open_orgs,
        open_experts,
        pager: Pager::new(&page, "/match/patents", &[("q", q.q.clone())]),
        manages: manages(&web),
        ctx: web.ctx(),
        rows: page.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}
