//! `GET /api/v1/search`: the same index and scope as the search page, as JSON.

use super::contract::{bounded, one_of, parse_one};
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
    /// One kind of record; absent for all.
    #[param(schema_with = kinds)]
    pub kind: Option<String>,
    /// Default 20.
    #[param(schema_with = limit_schema)]
    pub limit: Option<u64>,
    /// Hits to skip, default 0.
    #[param(schema_with = offset_schema)]
    pub offset: Option<u64>,
}

const MAX_LIMIT: u64 = 100;
const MAX_OFFSET: u64 = 1000;

fn kinds() -> utoipa::openapi::schema::Object {
    one_of(kexie_search::Kind::ALL.map(kexie_search::Kind::as_str))
}

fn limit_schema() -> utoipa::openapi::schema::Object {
    bounded(1, MAX_LIMIT)
}

fn offset_schema() -> utoipa::openapi::schema::Object {
    bounded(0, MAX_OFFSET)
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
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams), responses((status = 200, body = SearchOut)))]
pub async fn search(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(p): Query<SearchParams>,
) -> Result<axum::Json<SearchOut>, WebError> {
    let kind = parse_one(p.kind.as_deref(), |k| k.parse::<kexie_search::Kind>().ok(), "search_kind")?;
    let mut e = kexie_core::Invalid::default();
    kexie_core::validate::within(&mut e, "limit", p.limit, 1..=MAX_LIMIT);
    kexie_core::validate::within(&mut e, "offset", p.offset, 0..=MAX_OFFSET);
    e.into_result(()).map_err(WebError::Invalid)?;
    let (limit, offset) = (p.limit.unwrap_or(20) as usize, p.offset.unwrap_or(0) as usize);
    let hits = state.search.search(&state.store, &actor, &p.q, kind, limit, offset).await?;
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
