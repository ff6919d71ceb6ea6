//! 服务项目 in the web layer: the projects of the practice sites and teams in the caller's
//! scope, each with its shifts; add, edit, pause and take up again.

use super::shift::ShiftPanel;
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query, filter};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::activity::ActivityKind;
use kexie_core::volunteer::project::{KINDS, ProjectForm, Status};
use kexie_store::StoreError;
use kexie_store::volunteer::project::{ProjectFilter, ProjectRow};
use kexie_store::volunteer::shift::Owner;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub status: String,
}

impl ListQuery {
    fn filter(&self) -> Result<ProjectFilter, WebError> {
        Ok(ProjectFilter {
            q: self.q.chars().take(50).collect(),
            org: filter::num(&self.org)?,
            status: filter::code(&self.status, Status::parse)?,
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/projects.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<ProjectRow>,
    pub hosts: Vec<(i64, String)>,
    pub statuses: [Status; 2],
    pub edits: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let page = ListPage {
        ctx: web.ctx(),
        rows: state.store.list_projects(actor, &q.filter()?).await?,
        hosts: state.store.project_hosts(actor).await?,
        statuses: Status::ALL,
        edits: actor.can(Area::Volunteer, Action::Edit),
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/project_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: ProjectForm,
    pub errors: Invalid,
    pub hosts: Vec<(i64, String)>,
    pub kinds: [ActivityKind; 4],
}

impl FormPage {
    pub fn action(&self) -> String {
        match self.id {
            Some(id) => format!("/volunteers/projects/{id}"),
            None => "/volunteers/projects".to_string(),
        }
    }
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: ProjectForm,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    Ok(FormPage { ctx: web.ctx(), hosts: state.store.project_hosts(web.actor()).await?, kinds: KINDS, id, f, errors })
}

pub async fn new(State(state): State<AppState>, web: Web) -> Result<FormPage, WebError> {
    let f = ProjectForm { orderable: Some("on".into()), ..Default::default() };
    form_page(&state, &web, None, f, Invalid::default()).await
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let p = state.store.get_project(web.actor(), id).await?.p;
    let f = ProjectForm {
        org_id: p.org_id.to_string(),
        title: p.title,
        kind: p.kind,
        summary: p.summary.unwrap_or_default(),
        orderable: p.orderable.then(|| "on".to_string()),
    };
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

/// Saves a new project (`id` none) or an edit; a bad form comes back with its errors.
async fn save(state: &AppState, web: &Web, id: Option<i64>, f: ProjectForm) -> Result<Response, WebError> {
    let actor = web.actor();
    let result = match (f.check(), id) {
        (Ok(p), None) => state.store.create_project(actor, &p).await,
        (Ok(p), Some(id)) => state.store.update_project(actor, id, &p).await.map(|_| id),
        (Err(e), _) => Err(e.into()),
    };
    match result {
        Ok(saved) => Ok(see_other(&format!("/volunteers/projects/{saved}"))),
        Err(StoreError::Invalid(errors)) => Ok(unprocessable(form_page(state, web, id, f, errors).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(State(state): State<AppState>, web: Web, Form(f): Form<ProjectForm>) -> Result<Response, WebError> {
    save(&state, &web, None, f).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ProjectForm>,
) -> Result<Response, WebError> {
    save(&state, &web, Some(id), f).await
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/project.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub p: ProjectRow,
    pub edits: bool,
    pub shifts: Option<ShiftPanel>,
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let p = state.store.get_project(actor, id).await?;
    let shifts = ShiftPanel::load(&state, actor, Owner::Project(id), p.status == Status::Active).await?;
    Ok(ShowPage { ctx: web.ctx(), edits: actor.can(Area::Volunteer, Action::Edit), p, shifts })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    let to = Status::parse(&f.status).ok_or(WebError::BadRequest("malformed_form"))?;
    state.store.set_project_status(web.actor(), id, to).await?;
    Ok(see_other(&format!("/volunteers/projects/{id}")))
}
