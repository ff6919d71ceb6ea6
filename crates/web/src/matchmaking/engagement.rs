//! Engagements: the list with follow-ups due, one engagement's steps, and recording a step.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::matchmaking::engagement::{Stage, StepForm};
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_store::StoreError;
use kexie_store::matchmaking::engagement::{EngagementFilter, EngagementView};

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub expert: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<EngagementFilter, WebError> {
        Ok(EngagementFilter {
            stage: match self.stage.as_str() {
                "" => None,
                s => Some(Stage::parse(s).ok_or(WebError::BadRequest("unknown_stage"))?),
            },
            need_id: None,
            expert_id: super::opt_id(&self.expert, "unknown_expert")?,
            due: self.due == "1",
            town: self.town.chars().take(50).collect(),
            industry: self.industry.chars().take(50).collect(),
        })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("stage", self.stage.clone()),
            ("due", self.due.clone()),
            ("town", self.town.clone()),
            ("industry", self.industry.clone()),
            ("expert", self.expert.clone()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/engagements.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<EngagementView>,
    pub pager: Pager,
    pub stages: Vec<&'static str>,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state.store.list_engagements(web.actor(), &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let page = ListPage {
        pager: Pager::new(&page, "/match/engagements", &q.pairs()),
        stages: Stage::ALL.iter().map(|s| s.code()).collect(),
        ctx: web.ctx(),
        rows: page.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "match/engagement.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub e: EngagementView,
    pub can_step: bool,
    pub can_audit: bool,
    pub next_stages: Vec<&'static str>,
    pub f: StepForm,
    pub errors: Invalid,
    /// Whether the viewer may open the expert's profile.
    pub opens_expert: bool,
}

async fn show_page(state: &AppState, web: &Web, id: i64, f: StepForm, errors: Invalid) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let e = state.store.get_engagement(actor, id).await?;
    let current = e.stage();
    Ok(ShowPage {
        opens_expert: !super::expert::openable(state, web, &[e.engagement.expert_id]).await?.is_empty(),
        can_step: actor.can(Area::Engagement, Action::Edit)
            && matches!(actor.scope, Scope::All | Scope::Org { .. })
            && current != Stage::Concluded,
        can_audit: actor.can(Area::Audit, Action::View),
        next_stages: Stage::ALL.iter().filter(|s| **s >= current).map(|s| s.code()).collect(),
        f: StepForm { stage: current.code().to_string(), ..f },
        ctx: web.ctx(),
        e,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, StepForm::default(), Invalid::default()).await
}

pub async fn step(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    match state.store.step_engagement(web.actor(), id, &f).await {
        Ok(()) => Ok(see_other(&format!("/match/engagements/{id}"))),
        Err(StoreError::Invalid(e)) => {
            let mut page = show_page(&state, &web, id, StepForm::default(), e).await?;
            page.f = f;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}
