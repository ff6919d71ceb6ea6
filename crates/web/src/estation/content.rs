//! What screens play, as pages: schedule entries (with dayparts and targeting), groups,
//! emergency interrupts with their live switch-over count, and every change's delivery
//! receipt.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::schedule::{InterruptForm, ScheduleForm, format_local};
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_store::entity::media;
use kexie_store::estation::content::{ChangeRow, InterruptRow, Receipt, ScheduleRow};
use kexie_store::estation::station::GroupRow;

fn runs(web: &Web) -> bool {
    let a = web.actor();
    a.can(Area::Schedule, Action::Edit) && matches!(a.scope, Scope::All)
}

/// Choices every targeting form offers: towns and groups as (value, label), and the media.
pub struct Targets {
    pub towns: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub media: Vec<media::Model>,
}

async fn targets(state: &AppState, web: &Web) -> Result<Targets, WebError> {
    let tree = state.store.regions().await?;
    Ok(Targets {
        towns: crate::region::towns(&tree, &web.actor().scope)
            .into_iter()
            .map(|(id, name)| (format!("towns:{id}"), name))
            .collect(),
        groups: state
            .store
            .station_groups()
            .await?
            .into_iter()
            .map(|g| (format!("groups:{}", g.id), g.label))
            .collect(),
        media: state.store.list_media(web.actor()).await?.into_iter().map(|(m, _)| m).collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/schedules.html")]
pub struct SchedulesPage {
    pub ctx: PageCtx,
    pub rows: Vec<ScheduleRow>,
    pub archived: bool,
    pub runs: bool,
    pub t: Targets,
    pub f: ScheduleForm,
    pub errors: Invalid,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SchedulesQuery {
    #[serde(default)]
    pub archived: String,
}

async fn schedules_page(
    state: &AppState,
    web: &Web,
    archived: bool,
    f: ScheduleForm,
    errors: Invalid,
) -> Result<SchedulesPage, WebError> {
    Ok(SchedulesPage {
        rows: state.store.list_schedules(web.actor(), archived).await?,
        archived,
        runs: runs(web),
        t: targets(state, web).await?,
        ctx: web.ctx(),
        f,
        errors,
    })
}

pub async fn schedules(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<SchedulesQuery>,
) -> Result<SchedulesPage, WebError> {
    let now = Utc::now();
    let f = ScheduleForm {
        priority: "0".into(),
        valid_from: format_local(now),
        valid_to: format_local(now + Duration::days(30)),
        target: "all".into(),
        ..Default::default()
    };
    schedules_page(&state, &web, q.archived == "1", f, Invalid::default()).await
}

pub async fn create_schedule(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<ScheduleForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(i) => state.store.create_schedule(web.actor(), &i).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(_) => Ok(see_other("/estation/schedules")),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(schedules_page(&state, &web, false, f, e).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn archive_schedule(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.archive_schedule(web.actor(), id).await?;
    Ok(see_other("/estation/schedules"))
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/groups.html")]
pub struct GroupsPage {
    pub ctx: PageCtx,
    pub groups: Vec<GroupRow>,
    pub runs: bool,
    pub group_name: String,
    pub errors: Invalid,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NewGroup {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub parent_id: String,
}

pub async fn groups(State(state): State<AppState>, web: Web) -> Result<GroupsPage, WebError> {
    if !web.actor().can(Area::Schedule, Action::View) {
        return Err(WebError::Forbidden);
    }
    Ok(GroupsPage {
        groups: state.store.station_groups().await?,
        runs: runs(&web),
        ctx: web.ctx(),
        group_name: String::new(),
        errors: Invalid::default(),
    })
}

pub async fn create_group(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<NewGroup>,
) -> Result<Response, WebError> {
    let parent = match f.parent_id.trim() {
        "" => None,
        v => Some(v.parse().map_err(|_| WebError::BadRequest("malformed_form"))?),
    };
    match state.store.create_group(web.actor(), &f.name, parent).await {
        Ok(id) => Ok(see_other(&format!("/estation?group={id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(GroupsPage {
            groups: state.store.station_groups().await?,
            runs: runs(&web),
            ctx: web.ctx(),
            group_name: f.name,
            errors: e,
        })),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/interrupts.html")]
pub struct InterruptsPage {
    pub ctx: PageCtx,
    pub rows: Vec<InterruptRow>,
    pub runs: bool,
}

pub async fn interrupts(State(state): State<AppState>, web: Web) -> Result<InterruptsPage, WebError> {
    Ok(InterruptsPage { rows: state.store.list_interrupts(web.actor()).await?, runs: runs(&web), ctx: web.ctx() })
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/interrupt_form.html")]
pub struct InterruptFormPage {
    pub ctx: PageCtx,
    pub t: Targets,
    pub f: InterruptForm,
    pub errors: Invalid,
}

pub async fn new_interrupt(State(state): State<AppState>, web: Web) -> Result<InterruptFormPage, WebError> {
    if !runs(&web) {
        return Err(WebError::Forbidden);
    }
    let f = InterruptForm {
        target: "all".into(),
        until: format_local(Utc::now() + Duration::hours(2)),
        campaign: String::new(),
        ..Default::default()
    };
    Ok(InterruptFormPage { t: targets(&state, &web).await?, ctx: web.ctx(), f, errors: Invalid::default() })
}

pub async fn create_interrupt(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<InterruptForm>,
) -> Result<Response, WebError> {
    let result = match f.check(Utc::now()) {
        Ok(i) => state.store.start_interrupt(web.actor(), &i).await.map(|r| r.id),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/estation/interrupts/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let page = InterruptFormPage { t: targets(&state, &web).await?, ctx: web.ctx(), f, errors: e };
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/interrupt.html", blocks = ["live"])]
pub struct InterruptPage {
    pub ctx: PageCtx,
    pub row: InterruptRow,
    pub r: Receipt,
    pub runs: bool,
}

pub async fn interrupt(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let (row, r) = state.store.interrupt_status(web.actor(), id).await?;
    let page = InterruptPage { row, r, runs: runs(&web), ctx: web.ctx() };
    if web.htmx {
        return crate::view::fragment(page.as_live());
    }
    Ok(page.into_response())
}

pub async fn cancel_interrupt(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.cancel_interrupt(web.actor(), id).await?;
    Ok(see_other(&format!("/estation/interrupts/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/changes.html")]
pub struct ChangesPage {
    pub ctx: PageCtx,
    pub rows: Vec<ChangeRow>,
    pub pager: Pager,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PageQuery {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub async fn changes(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<PageQuery>,
) -> Result<ChangesPage, WebError> {
    let page = state.store.list_changes(web.actor(), PageRequest::new(q.page, q.per_page)).await?;
    Ok(ChangesPage { pager: Pager::new(&page, "/estation/changes", &[]), rows: page.items, ctx: web.ctx() })
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/change.html")]
pub struct ChangePage {
    pub ctx: PageCtx,
    pub row: ChangeRow,
    pub r: Receipt,
}

pub async fn change(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ChangePage, WebError> {
    let (row, r) = state.store.change_receipt(web.actor(), id).await?;
    Ok(ChangePage { row, r, ctx: web.ctx() })
}
