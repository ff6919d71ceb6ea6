//! Campaigns as pages: the list, a new campaign, and a campaign's page with its pieces and
//! publications; for emergency science, the one-action launch and the live coverage board
//! (refreshed every two seconds while open).

use super::{edits, screen_media};
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id};
use crate::html::Markup;
use crate::view::{PageCtx, Web, fragment, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::schedule::{format_local, parse_local};
use kexie_core::outreach::campaign::{CampaignForm, CampaignKind};
use kexie_core::outreach::content::ContentKind;
use kexie_store::StoreError;
use kexie_store::entity::{campaign, content};
use kexie_store::outreach::campaign::Coverage;
use kexie_store::outreach::content::ContentFilter;

#[derive(Template, WebTemplate)]
#[template(path = "outreach/campaigns.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<campaign::Model>,
    pub edits: bool,
    pub f: CampaignForm,
    pub kinds: Vec<&'static str>,
    pub errors: Invalid,
}

fn list_page(web: &Web, rows: Vec<campaign::Model>, f: CampaignForm, errors: Invalid) -> ListPage {
    ListPage {
        ctx: web.ctx(),
        rows,
        edits: edits(web),
        f,
        kinds: CampaignKind::ALL.iter().map(|k| k.code()).collect(),
        errors,
    }
}

pub async fn list(State(state): State<AppState>, web: Web) -> Result<ListPage, WebError> {
    let rows = state.store.list_campaigns(web.actor()).await?;
    let f = CampaignForm { kind: "science_week".into(), ..Default::default() };
    Ok(list_page(&web, rows, f, Invalid::default()))
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<CampaignForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(i) => state.store.create_campaign(web.actor(), &i).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/outreach/campaigns/{id}"))),
        Err(StoreError::Invalid(e)) => {
            let rows = state.store.list_campaigns(web.actor()).await?;
            Ok(unprocessable(list_page(&web, rows, f, e)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/campaign.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub c: campaign::Model,
    pub emergency: bool,
    pub board: Markup,
    pub pieces: Vec<content::Model>,
    pub released: Vec<content::Model>,
    pub edits: bool,
    pub until: String,
    pub errors: Invalid,
}

#[derive(Template)]
#[template(path = "outreach/_coverage.html")]
pub struct BoardFragment {
    pub ctx: PageCtx,
    pub id: i64,
    /// The emergency interrupt, once launched: the board then follows screens switching.
    pub interrupt: Option<i64>,
    pub cov: Coverage,
}

async fn board(state: &AppState, web: &Web, c: &campaign::Model) -> Result<BoardFragment, WebError> {
    Ok(BoardFragment {
        ctx: web.ctx(),
        id: c.id,
        // Screens are followed by those who may open the interrupt's page.
        interrupt: c.interrupt_id.filter(|_| web.actor().can(Area::Schedule, Action::View)),
        cov: state.store.campaign_coverage(web.actor(), c.id).await?,
    })
}

async fn show_page(
    state: &AppState,
    web: &Web,
    id: i64,
    until: Option<String>,
    errors: Invalid,
) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let c = state.store.get_campaign(actor, id).await?;
    let all = kexie_core::page::PageRequest::new(None, Some(200));
    let pieces =
        state.store.list_content(actor, &ContentFilter { campaign: Some(id), ..Default::default() }, all).await?.items;
    // Pieces that could go out now: released, and something screens can show.
    let mut released = Vec::new();
    for status in ["approved", "published"] {
        let f = ContentFilter { status: status.into(), ..Default::default() };
        released.extend(state.store.list_content(actor, &f, all).await?.items.into_iter().filter(|p| {
            matches!(ContentKind::parse(&p.kind), Some(ContentKind::Article | ContentKind::Image | ContentKind::Video))
        }));
    }
    Ok(ShowPage {
        ctx: web.ctx(),
        emergency: c.kind == CampaignKind::Emergency.code(),
        board: Markup::fragment(&board(state, web, &c).await?),
        pieces,
        released,
        edits: edits(web),
        until: until.unwrap_or_else(|| format_local(Utc::now() + Duration::hours(24))),
        c,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, None, Invalid::default()).await
}

/// The coverage board alone, for the page's two-second refresh.
pub async fn coverage(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let c = state.store.get_campaign(web.actor(), id).await?;
    fragment(board(&state, &web, &c).await?)
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LaunchForm {
    #[serde(default)]
    pub content_id: String,
    #[serde(default)]
    pub until: String,
}

pub async fn launch(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<LaunchForm>,
) -> Result<Response, WebError> {
    let mut errs = Invalid::default();
    let content_id = f.content_id.trim().parse::<i64>().ok();
    if content_id.is_none() {
        errs.push("content_id", "required");
    }
    let now = Utc::now();
    let until = parse_local(&f.until);
    match until {
        None => errs.push("until", "datetime"),
        Some(u) if u <= now => errs.push("until", "until_past"),
        Some(u) if u > now + Duration::hours(kexie_core::estation::schedule::MAX_INTERRUPT_HOURS) => {
            errs.push("until", "until_too_far")
        }
        _ => {}
    }
    let result = match (content_id, until, errs.is_empty()) {
        (Some(cid), Some(u), true) => {
            let piece = state.store.get_content(web.actor(), cid).await?;
            let media = if piece.media_id.is_some() { None } else { screen_media(&state, &piece).await? };
            state.store.launch_emergency(web.actor(), id, cid, media, u).await.map(|_| ())
        }
        _ => Err(errs.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/outreach/campaigns/{id}"))),
        Err(StoreError::Invalid(e)) => Ok(unprocessable(show_page(&state, &web, id, Some(f.until), e).await?)),
        Err(e) => Err(e.into()),
    }
}
