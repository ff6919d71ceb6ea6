//! The matchmaking overview: needs by state, engagements from match to outcome, and the
//! figures by town, industry and expert, each linking to its records.

use crate::AppState;
use crate::error::WebError;
use crate::html::ScriptJson;
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kexie_core::matchmaking::NeedStatus;
use kexie_core::matchmaking::engagement::Figures;
use serde_json::json;

#[derive(Template, WebTemplate)]
#[template(path = "match/overview.html")]
pub struct Page {
    pub ctx: PageCtx,
    pub needs: Vec<(NeedStatus, u64)>,
    pub f: Figures,
    /// Engagements whose follow-up date has come.
    pub due: u64,
    pub chart_json: ScriptJson,
}

pub async fn show(State(state): State<AppState>, web: Web) -> Result<Page, WebError> {
    let actor = web.actor();
    let needs = state.store.need_counts(actor).await?;
    let f = state.store.engagement_figures(actor).await?;
    let due_filter = kexie_store::matchmaking::engagement::EngagementFilter { due: true, ..Default::default() };
    let due = state
        .store
        .list_engagements(actor, &due_filter, kexie_core::page::PageRequest::new(Some(1), Some(1)))
        .await?
        .total;
    let bars = |rows: &[(String, kexie_core::matchmaking::engagement::Tally)], key: &str| {
        rows.iter()
            .take(20)
            .map(|(name, t)| {
                json!({"name": name, "value": t.engagements, "href": format!("/match/engagements?{key}={}", urlencoding::encode(name))})
            })
            .collect::<Vec<_>>()
    };
    let pie: Vec<_> = needs
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| json!({"name": web.lang.label("need_status", s.code()), "value": n, "href": format!("/match/needs?status={}", s.code())}))
        .collect();
    let chart_json = ScriptJson::new(
        &json!({ "needs": pie, "by_town": bars(&f.by_town, "town"), "by_industry": bars(&f.by_industry, "industry") }),
    );
    Ok(Page { ctx: web.ctx(), needs, f, due, chart_json })
}
