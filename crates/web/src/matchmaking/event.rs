//! Matchmaking events: create, add needs and experts with their limits and availability,
//! compute the plan (or learn who cannot be served and why), move meetings by hand with the
//! clashes shown, publish, print schedules, and check people in.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::matchmaking::NeedStatus;
use kexie_core::matchmaking::event::{EventForm, PlanIssue};
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_store::StoreError;
use kexie_store::entity::match_event;
use kexie_store::matchmaking::event::{EventView, MeetingRow, PlanSummary, slot_label};
use kexie_store::matchmaking::expert::{ExpertFilter, ExpertView};
use kexie_store::matchmaking::need::{NeedFilter, NeedView};

fn runs_events(web: &Web) -> bool {
    let a = web.actor();
    a.can(Area::MatchEvent, Action::Edit) && matches!(a.scope, Scope::All)
}

#[derive(Template, WebTemplate)]
#[template(path = "match/events.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub events: Vec<match_event::Model>,
    pub runs: bool,
    pub f: EventForm,
    pub errors: Invalid,
}

async fn list_page(state: &AppState, web: &Web, f: EventForm, errors: Invalid) -> Result<ListPage, WebError> {
    Ok(ListPage {
        events: state.store.list_events(web.actor()).await?,
        runs: runs_events(web),
        ctx: web.ctx(),
        f,
        errors,
    })
}

pub async fn list(State(state): State<AppState>, web: Web) -> Result<ListPage, WebError> {
    let f = EventForm { starts_at: "09:00".into(), slots: "6".into(), slot_minutes: "20".into(), ..Default::default() };
    list_page(&state, &web, f, Invalid::default()).await
}

pub async fn create(State(state): State<AppState>, web: Web, Form(f): Form<EventForm>) -> Result<Response, WebError> {
    match state.store.create_event(web.actor(), &f).await {
        Ok(id) => Ok(see_other(&format!("/match/events/{id}"))),
        Err(StoreError::Invalid(e)) => Ok(unprocessable(list_page(&state, &web, f, e).await?)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/event.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub v: EventView,
    /// Meetings by slot, for the grid.
    pub slots: Vec<(i32, String, Vec<MeetingRow>)>,
    pub runs: bool,
    pub errors: Invalid,
    pub issues: Vec<String>,
    pub planned: Option<PlanSummary>,
    /// Approved needs and consenting experts not yet at the event, to add.
    pub need_options: Vec<NeedView>,
    pub expert_options: Vec<ExpertView>,
    /// The attending experts whose profile the viewer may open.
    pub open_experts: std::collections::HashSet<i64>,
}

async fn show_page(state: &AppState, web: &Web, id: i64) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let v = state.store.get_event(actor, id).await?;
    let slots = (0..v.event.slots)
        .map(|s| (s + 1, slot_label(&v.event, s), v.meetings.iter().filter(|m| m.slot == s).cloned().collect()))
        .collect();
    let runs = runs_events(web);
    let (need_options, expert_options) = if runs && v.event.status != "published" {
        let taken: std::collections::HashSet<i64> = v.needs.iter().map(|n| n.need_id).collect();
        let needs = state
            .store
            .list_needs(
                actor,
                &NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() },
                PageRequest::new(Some(1), Some(500)),
            )
            .await?
            .items
            .into_iter()
            .filter(|n| !taken.contains(&n.need.id))
            .collect();
        let taken: std::collections::HashSet<i64> = v.experts.iter().map(|e| e.expert_id).collect();
        let experts = state
            .store
            .list_experts(
                actor,
                &ExpertFilter { consent: Some(true), ..Default::default() },
                PageRequest::new(Some(1), Some(1000)),
            )
            .await?
            .items
            .into_iter()
            .filter(|e| !taken.contains(&e.id) && e.status == "active")
            .collect();
        (needs, experts)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ShowPage {
        open_experts: super::expert::openable(state, web, &v.experts.iter().map(|x| x.expert_id).collect::<Vec<_>>())
            .await?,
        ctx: web.ctx(),
        v,
        slots,
        runs,
        errors: Invalid::default(),
        issues: Vec::new(),
        planned: None,
        need_options,
        expert_options,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id).await
}

/// A write on the event page: back to the page, or the page again with what went wrong.
async fn after(
    state: &AppState,
    web: &Web,
    id: i64,
    result: Result<(), StoreError>,
    anchor: &str,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/match/events/{id}{anchor}"))),
        Err(StoreError::Invalid(e)) => {
            let mut page = show_page(state, web, id).await?;
            page.errors = e;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct AttendeeFields {
    #[serde(default)]
    pub need_id: String,
    #[serde(default)]
    pub expert_id: String,
    #[serde(default)]
    pub wanted: String,
    #[serde(default)]
    pub max_meetings: String,
    #[serde(default)]
    pub unavailable: String,
}

pub async fn add_need(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AttendeeFields>,
) -> Result<Response, WebError> {
    let need = super::opt_id(&f.need_id, "unknown_need")?.unwrap_or(-1);
    let r = state.store.add_event_need(web.actor(), id, need, &f.wanted, &f.unavailable).await;
    after(&state, &web, id, r, "#needs").await
}

pub async fn add_expert(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AttendeeFields>,
) -> Result<Response, WebError> {
    let expert = super::opt_id(&f.expert_id, "unknown_expert")?.unwrap_or(-1);
    let r = state.store.add_event_expert(web.actor(), id, expert, &f.max_meetings, &f.unavailable).await;
    after(&state, &web, id, r, "#experts").await
}

pub async fn remove_need(
    State(state): State<AppState>,
    web: Web,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let r = state.store.remove_event_attendee(web.actor(), id, Some(row), None).await;
    after(&state, &web, id, r, "#needs").await
}

pub async fn remove_expert(
    State(state): State<AppState>,
    web: Web,
    Path((id, row)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    let r = state.store.remove_event_attendee(web.actor(), id, None, Some(row)).await;
    after(&state, &web, id, r, "#experts").await
}

/// Says an issue of an infeasible plan in the reader's language.
fn say(web: &Web, i: &PlanIssue) -> String {
    let (a, b) = (i.a.to_string(), i.b.to_string());
    web.lang.t_with(&format!("plan.{}", i.code), &[("who", &i.who), ("a", &a), ("b", &b)])
}

pub async fn plan(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    match state.store.plan_event(web.actor(), id).await {
        Ok(summary) => {
            let mut page = show_page(&state, &web, id).await?;
            page.planned = Some(summary);
            Ok(axum::response::IntoResponse::into_response(page))
        }
        Err(StoreError::Plan(issues)) => {
            let mut page = show_page(&state, &web, id).await?;
            page.issues = issues.iter().map(|i| say(&web, i)).collect();
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct MoveFields {
    #[serde(default)]
    pub slot: String,
    #[serde(default)]
    pub expert_id: String,
}

pub async fn move_meeting(
    State(state): State<AppState>,
    web: Web,
    Path((id, meeting)): Path<(i64, i64)>,
    Form(f): Form<MoveFields>,
) -> Result<Response, WebError> {
    let expert = super::opt_id(&f.expert_id, "unknown_expert")?;
    let r = state.store.move_meeting(web.actor(), id, meeting, &f.slot, expert).await;
    after(&state, &web, id, r, "#plan").await
}

pub async fn publish(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let r = state.store.publish_event(web.actor(), id).await;
    after(&state, &web, id, r, "").await
}

#[derive(serde::Deserialize, Default)]
pub struct CheckInFields {
    #[serde(default)]
    pub side: String,
}

pub async fn check_in(
    State(state): State<AppState>,
    web: Web,
    Path((id, meeting)): Path<(i64, i64)>,
    Form(f): Form<CheckInFields>,
) -> Result<Response, WebError> {
    let r = state.store.check_in(web.actor(), id, meeting, f.side == "expert").await;
    after(&state, &web, id, r, "#plan").await
}

#[derive(serde::Deserialize, Default)]
pub struct ScheduleQuery {
    #[serde(default)]
    pub expert: String,
    #[serde(default)]
    pub org: String,
}

/// One person's (or enterprise's) timetable, or every one, laid out to print.
#[derive(Template, WebTemplate)]
#[template(path = "match/schedule.html")]
pub struct SchedulePage {
    pub ctx: PageCtx,
    pub event: match_event::Model,
    /// Title (who), subtitle, and their meetings in slot order.
    pub sheets: Vec<(String, String, Vec<MeetingRow>)>,
}

pub async fn schedule(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Query(q): Query<ScheduleQuery>,
) -> Result<SchedulePage, WebError> {
    let v = state.store.get_event(web.actor(), id).await?;
    let expert = super::opt_id(&q.expert, "unknown_expert")?;
    let org = super::opt_id(&q.org, "unknown_org")?;
    let mut sheets = Vec::new();
    let by_expert = org.is_none();
    if by_expert {
        for e in v.experts.iter().filter(|e| expert.is_none_or(|x| x == e.expert_id)) {
            let ms: Vec<MeetingRow> = v.meetings.iter().filter(|m| m.expert_id == e.expert_id).cloned().collect();
            sheets.push((e.name.clone(), e.institution.clone(), ms));
        }
    }
    if !by_expert || expert.is_none() {
        let mut seen = std::collections::HashSet::new();
        for n in v.needs.iter().filter(|n| org.is_none_or(|o| o == n.org_id)) {
            if !seen.insert(n.org_id) {
                continue;
            }
            let ms: Vec<MeetingRow> = v.meetings.iter().filter(|m| m.org_id == n.org_id).cloned().collect();
            sheets.push((n.enterprise.clone(), String::new(), ms));
        }
    }
    if sheets.is_empty() {
        return Err(WebError::NotFound);
    }
    Ok(SchedulePage { ctx: web.ctx(), event: v.event, sheets })
}
