//! `GET /api/v1/search`: the same index and scope as the search page, as JSON.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::form::Query;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// What to look for, in Chinese or English; words are all required. Empty finds nothing.
    #[serde(default)]
    pub q: String,
    /// `content` or `suggestion` (needs and experts will join the same index); empty for all.
    #[serde(default)]
    pub kind: String,
    /// 1–100, default 20.
    pub limit: Option<usize>,
    #[serde(default)]
    pub offset: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitOut {
    pub kind: String,
    pub id: i64,
    pub score: f32,
    /// The title, HTML-escaped, with matched words in `<mark>`.
    pub title_html: String,
    /// The best passage, HTML-escaped, with matched words in `<mark>`.
    pub snippet_html: String,
    /// The record's page.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchOut {
    pub total: usize,
    pub hits: Vec<SearchHitOut>,
}

/// Full-text search (Chinese segmentation) over what the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams), responses((status = 200, body = SearchOut), (status = 400, body = super::ErrorOut)))]
pub async fn search(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<axum::Json<SearchOut>, WebError> {
    let kind = match p.kind.trim() {
        "" => None,
        k => Some(k.parse::<kexie_search::Kind>().map_err(|_| WebError::BadRequest("search_kind"))?),
    };
    let limit = p.limit.unwrap_or(20).clamp(1, 100);
    let hits = state.search.search(&state.store, &actor, &p.q, kind, limit, p.offset.min(1000)).await?;
    Ok(axum::Json(SearchOut {
        total: hits.total,
        hits: hits
            .hits
            .iter()
            .map(|h| SearchHitOut {
                kind: h.kind.as_str().to_string(),
                id: h.id,
                score: h.score,
                title_html: h.title_html.clone(),
                snippet_html: h.snippet_html.clone(),
                url: crate::outreach::search::href(h),
            })
            .collect(),
    }))
}
