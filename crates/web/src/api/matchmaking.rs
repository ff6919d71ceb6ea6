//! Matchmaking in the API: needs (list, read, post), experts (list, read) and the rankings
//! both ways, with the same explanations the pages show.

use super::contract::{PageParams, Paging, bounded, one_of, parse_one};
use super::{Created, page_of};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::form::{Id, Json, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use kexie_core::matchmaking::{NeedForm, NeedKind, NeedStatus};
use kexie_store::matchmaking::expert::{ExpertFilter, ExpertView};
use kexie_store::matchmaking::need::{NeedFilter, NeedView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Most ranked entries one call returns.
const RANK_MAX: u64 = 100;

#[derive(Serialize, ToSchema)]
pub struct NeedOut {
    pub id: i64,
    pub org_id: i64,
    pub enterprise: String,
    pub town: String,
    /// 项目名称
    pub title: String,
    /// 行业领域 (GB/T 4754)
    pub industry: String,
    /// technology, expert, equipment, funding or talent
    pub kind: String,
    /// 需求背景
    pub background: String,
    /// 需解决的主要技术难题
    pub problem: String,
    /// 期望实现的主要技术目标
    pub goal: String,
    /// 万元
    pub budget_wan: Option<i64>,
    pub deadline: Option<NaiveDate>,
    /// draft, submitted, approved, rejected or closed
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

impl From<NeedView> for NeedOut {
    fn from(v: NeedView) -> Self {
        let n = v.need;
        Self {
            id: n.id,
            org_id: n.org_id,
            enterprise: v.enterprise_name,
            town: v.town,
            title: n.title,
            industry: n.industry,
            kind: n.kind,
            background: n.background,
            problem: n.problem,
            goal: n.goal,
            budget_wan: n.budget_wan,
            deadline: n.deadline,
            status: n.status,
            updated_at: n.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NeedPage {
    pub items: Vec<NeedOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, IntoParams)]
pub struct NeedQuery {
    /// Words of the title or the enterprise's name.
    pub q: Option<String>,
    #[param(schema_with = need_statuses)]
    pub status: Option<String>,
    #[param(schema_with = need_kinds)]
    pub kind: Option<String>,
    pub industry: Option<String>,
    pub org_id: Option<i64>,
}

fn need_statuses() -> utoipa::openapi::schema::Object {
    one_of(NeedStatus::ALL.map(NeedStatus::code))
}

fn need_kinds() -> utoipa::openapi::schema::Object {
    one_of(NeedKind::ALL.map(NeedKind::code))
}

#[utoipa::path(get, path = "/api/v1/needs", tag = "matchmaking", params(NeedQuery, PageParams), responses((status = 200, body = NeedPage)))]
pub async fn list_needs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<NeedQuery>,
    Paging(paging): Paging,
) -> Result<axum::Json<NeedPage>, WebError> {
    let status = parse_one(q.status.as_deref(), NeedStatus::parse, "unknown_need_status")?;
    let kind = parse_one(q.kind.as_deref(), NeedKind::parse, "unknown_kind")?;
    let f = NeedFilter {
        q: q.q.unwrap_or_default().chars().take(50).collect(),
        status,
        kind,
        industry: q.industry.unwrap_or_default(),
        org_id: q.org_id,
    };
    let (items, total, page, per_page) = page_of(state.store.list_needs(&actor, &f, paging).await?);
    Ok(axum::Json(NeedPage { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "matchmaking", params(("id" = i64, Path)), responses((status = 200, body = NeedOut)))]
pub async fn get_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
) -> Result<axum::Json<NeedOut>, WebError> {
    Ok(axum::Json(state.store.get_need(&actor, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct NeedIn {
    /// The enterprise; the association's tokens must name it, an enterprise's token posts its own.
    #[serde(default)]
    pub org_id: Option<i64>,
    pub title: String,
    pub industry: String,
    pub kind: String,
    pub background: String,
    pub problem: String,
    pub goal: String,
    #[serde(default)]
    pub budget_wan: Option<i64>,
    #[serde(default)]
    pub deadline: Option<String>,
}

/// Posts a need as a draft; it is shown to experts once submitted and approved.
#[utoipa::path(post, path = "/api/v1/needs", tag = "matchmaking", request_body = NeedIn, responses((status = 201, body = Created)))]
pub async fn create_need(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(body): Json<NeedIn>,
) -> Result<Response, WebError> {
    let form = NeedForm {
        title: body.title,
        industry: body.industry,
        kind: body.kind,
        background: body.background,
        problem: body.problem,
        goal: body.goal,
        budget: body.budget_wan.map(|b| b.to_string()).unwrap_or_default(),
        deadline: body.deadline.unwrap_or_default(),
    };
    let id = state.store.create_need(&actor, body.org_id, &form).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ExpertOut {
    pub id: i64,
    pub name: String,
    pub title: Option<String>,
    pub institution: String,
    pub fields: Vec<String>,
    pub keywords: Vec<String>,
    pub bio: Option<String>,
    pub achievements: Vec<String>,
    pub consent: bool,
    pub visible: bool,
    pub status: String,
}

impl From<ExpertView> for ExpertOut {
    fn from(v: ExpertView) -> Self {
        let p = v.profile;
        Self {
            id: v.id,
            name: p.name,
            title: p.title,
            institution: p.institution,
            fields: p.fields,
            keywords: p.keywords,
            bio: p.bio,
            achievements: p.achievements,
            consent: p.consent,
            visible: p.visible,
            status: v.status,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExpertPage {
    pub items: Vec<ExpertOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, IntoParams)]
pub struct ExpertQuery {
    /// Words of the name, institution, fields or keywords.
    pub q: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/experts", tag = "matchmaking", params(ExpertQuery, PageParams), responses((status = 200, body = ExpertPage)))]
pub async fn list_experts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<ExpertQuery>,
    Paging(paging): Paging,
) -> Result<axum::Json<ExpertPage>, WebError> {
    let f = ExpertFilter { q: q.q.unwrap_or_default().chars().take(50).collect(), consent: None };
    let (items, total, page, per_page) = page_of(state.store.list_experts(&actor, &f, paging).await?);
    Ok(axum::Json(ExpertPage { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/experts/{id}", tag = "matchmaking", params(("id" = i64, Path)), responses((status = 200, body = ExpertOut)))]
pub async fn get_expert(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
) -> Result<axum::Json<ExpertOut>, WebError> {
    Ok(axum::Json(state.store.get_expert(&actor, id).await?.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct RankQuery {
    /// How many (default 20).
    #[param(schema_with = rank_limit)]
    pub limit: Option<u64>,
}

fn rank_limit() -> utoipa::openapi::schema::Object {
    bounded(1, RANK_MAX)
}

impl RankQuery {
    fn limit(&self) -> Result<usize, WebError> {
        let mut e = kexie_core::Invalid::default();
        kexie_core::validate::within(&mut e, "limit", self.limit, 1..=RANK_MAX);
        e.into_result(self.limit.unwrap_or(20) as usize).map_err(WebError::Invalid)
    }
}

/// One ranked entry: who or what, its score, and why it matched.
#[derive(Serialize, ToSchema)]
pub struct RankedOut {
    pub id: i64,
    pub name: String,
    /// About 0..1, comparable across needs.
    pub score: f64,
    /// Matched terms (text, how: words / concept / need kind, profile fields, weight) and the
    /// domain fit, as the ranking computed them.
    #[schema(value_type = Object)]
    pub explanation: serde_json::Value,
}

impl RankedOut {
    fn new(id: i64, name: String, score: f64, why: &kexie_core::matchmaking::Explanation) -> Self {
        Self { id, name, score, explanation: serde_json::to_value(why).unwrap_or_default() }
    }
}

/// Experts for a need, best first (declared conflicts and the enterprise's own people left out).
#[utoipa::path(get, path = "/api/v1/needs/{id}/experts", tag = "matchmaking", params(("id" = i64, Path), RankQuery), responses((status = 200, body = [RankedOut])))]
pub async fn need_experts(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
    Query(q): Query<RankQuery>,
) -> Result<axum::Json<Vec<RankedOut>>, WebError> {
    let limit = q.limit()?;
    let ranked = state.store.rank_experts_for_need(&actor, id, limit).await?;
    Ok(axum::Json(ranked.into_iter().map(|r| RankedOut::new(r.expert_id, r.name, r.score, &r.explanation)).collect()))
}

/// Approved needs for an expert, best first, scored as the expert is scored for each need.
#[utoipa::path(get, path = "/api/v1/experts/{id}/needs", tag = "matchmaking", params(("id" = i64, Path), RankQuery), responses((status = 200, body = [RankedOut])))]
pub async fn expert_needs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
    Query(q): Query<RankQuery>,
) -> Result<axum::Json<Vec<RankedOut>>, WebError> {
    let limit = q.limit()?;
    let ranked = state.store.rank_needs_for_expert(&actor, id, limit).await?;
    Ok(axum::Json(
        ranked
            .into_iter()
            .map(|r| RankedOut::new(r.need.need.id, r.need.need.title, r.score, &r.explanation))
            .collect(),
    ))
}
