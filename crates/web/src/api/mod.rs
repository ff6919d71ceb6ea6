//! The JSON API (`/api/v1`, bearer tokens) and its OpenAPI 3 document.

mod contract;
mod docs;
mod estation;
mod matchmaking;
mod search;

pub use docs::docs;
pub use estation::{create_interrupt, get_interrupt};
pub use matchmaking::{create_need, expert_needs, get_expert, get_need, list_experts, list_needs, need_experts};
pub use search::search;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::form::{Id, Json, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use contract::{ErrorResponses, PageParams, Paging, one_of, parse_one};
use kexie_core::org::{OrgForm, OrgKind, OrgStatus};
use kexie_core::page::Page;
use kexie_core::person::PersonForm;
use kexie_store::org::{OrgFilter, OrgView};
use kexie_store::person::{PersonFilter, PersonView};
use serde::{Deserialize, Serialize};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    info(title = "kexie API", description = "科协工作平台 JSON API。所有 /api/v1 接口使用个人 API 令牌（Authorization: Bearer kx_…），数据范围与令牌所属账号相同。"),
    paths(me, regions, list_orgs, get_org, create_org, update_org, list_people, get_person, create_person, update_person, matchmaking::list_needs, matchmaking::get_need, matchmaking::create_need, matchmaking::need_experts, matchmaking::list_experts, matchmaking::get_expert, matchmaking::expert_needs, estation::create_interrupt, estation::get_interrupt, search::search),
    components(schemas(MeOut, RegionOut, OrgOut, OrgIn, PersonOut, PersonIn, OrgPage, PersonPage, ErrorOut, FieldErrorOut, Created, matchmaking::NeedOut, matchmaking::NeedIn, matchmaking::NeedPage, matchmaking::ExpertOut, matchmaking::ExpertPage, matchmaking::RankedOut, estation::InterruptIn, estation::InterruptOut, estation::PublishedOut, search::SearchOut, search::SearchHitOut)),
    modifiers(&Bearer, &ErrorResponses),
    tags((name = "account", description = "当前账号"), (name = "region", description = "区域"), (name = "org", description = "组织"), (name = "person", description = "人员"), (name = "matchmaking", description = "产学研对接：需求、专家与匹配"))
)]
pub struct ApiDoc;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        openapi.security =
            Some(vec![utoipa::openapi::security::SecurityRequirement::new("bearer", Vec::<String>::new())]);
    }
}

pub async fn openapi_json() -> Response {
    axum::Json(ApiDoc::openapi()).into_response()
}

/// An error: a stable code, a sentence in the caller's language, and per-field problems.
#[derive(Serialize, ToSchema)]
pub struct ErrorOut {
    #[schema(example = "invalid")]
    pub error: String,
    pub message: String,
    pub fields: Vec<FieldErrorOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorOut {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MeOut {
    pub username: String,
    pub role: String,
    /// all, region, org or own
    pub scope: String,
    pub scope_id: Option<i64>,
}

/// The account behind the token.
#[utoipa::path(get, path = "/api/v1/me", tag = "account", responses((status = 200, body = MeOut)))]
pub async fn me(CurrentUser(actor): CurrentUser) -> axum::Json<MeOut> {
    let scope_id = match &actor.scope {
        kexie_core::scope::Scope::Region { id, .. } | kexie_core::scope::Scope::Org { id, .. } => Some(*id),
        _ => None,
    };
    axum::Json(MeOut {
        username: actor.username.clone(),
        role: actor.role.code().into(),
        scope: actor.scope.kind().into(),
        scope_id,
    })
}

#[derive(Serialize, ToSchema)]
pub struct RegionOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// district, town, street, community or village
    pub kind: String,
    pub parent_id: Option<i64>,
}

/// The region tree within the caller's scope, parents before children.
#[utoipa::path(get, path = "/api/v1/regions", tag = "region", responses((status = 200, body = [RegionOut])))]
pub async fn regions(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
) -> Result<axum::Json<Vec<RegionOut>>, WebError> {
    let tree = state.store.regions().await?;
    let mut out: Vec<_> = tree
        .all()
        .filter(|r| actor.scope.covers_region(&r.path))
        .map(|r| {
            (
                r.path.matches('/').count(),
                RegionOut {
                    id: r.id,
                    code: r.code.clone(),
                    name: r.name.clone(),
                    kind: r.kind.code().into(),
                    parent_id: r.parent_id,
                },
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.code.cmp(&b.1.code)));
    Ok(axum::Json(out.into_iter().map(|x| x.1).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct OrgOut {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// One of the organisation kinds (district_association, grassroots, society, enterprise_association, …)
    pub kind: String,
    /// active or archived
    pub status: String,
    pub region_id: i64,
    pub region_name: String,
    pub parent_id: Option<i64>,
    pub parent_name: Option<String>,
    pub enterprise_id: Option<i64>,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    /// Masked unless the role may see personal data.
    pub contact_phone: Option<String>,
    pub established_on: Option<NaiveDate>,
    /// 专利信息平台 registration date (enterprise associations).
    pub patent_platform_on: Option<NaiveDate>,
    /// 科创中国 registration date.
    pub kczg_on: Option<NaiveDate>,
    /// 绿平台 registration date.
    pub green_platform_on: Option<NaiveDate>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OrgView> for OrgOut {
    fn from(v: OrgView) -> Self {
        let m = v.org;
        Self {
            id: m.id,
            code: m.code,
            name: m.name,
            kind: m.kind,
            status: m.status,
            region_id: m.region_id,
            region_name: v.region_name,
            parent_id: m.parent_id,
            parent_name: v.parent_name,
            enterprise_id: m.enterprise_id,
            credit_code: m.credit_code,
            address: m.address,
            contact_name: m.contact_name,
            contact_phone: m.contact_phone,
            established_on: m.established_on,
            patent_platform_on: m.patent_platform_on,
            kczg_on: m.kczg_on,
            green_platform_on: m.green_platform_on,
            note: m.note,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrgPage {
    pub items: Vec<OrgOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, IntoParams)]
pub struct OrgQuery {
    /// Terms that must all occur in the name or code.
    pub q: Option<String>,
    #[param(schema_with = org_kinds)]
    pub kind: Option<String>,
    /// A region id: that region and everything under it.
    pub region_id: Option<i64>,
    /// active (default), archived or all
    #[param(schema_with = org_statuses)]
    pub status: Option<String>,
}

fn org_kinds() -> utoipa::openapi::schema::Object {
    one_of(OrgKind::ALL.map(OrgKind::code))
}

fn org_statuses() -> utoipa::openapi::schema::Object {
    one_of(["active", "archived", "all"])
}

fn page_of<T, U: From<T>>(p: Page<T>) -> (Vec<U>, u64, u64, u64) {
    let (total, page, per_page) = (p.total, p.page, p.per_page);
    (p.items.into_iter().map(U::from).collect(), total, page, per_page)
}

/// Organisations in the caller's scope, in code order.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "org", params(OrgQuery, PageParams), responses((status = 200, body = OrgPage)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<OrgQuery>,
    Paging(paging): Paging,
) -> Result<axum::Json<OrgPage>, WebError> {
    let kind = parse_one(q.kind.as_deref(), OrgKind::parse, "unknown_kind")?;
    let status = parse_one(
        q.status.as_deref(),
        |s| match s {
            "active" => Some(Some(OrgStatus::Active)),
            "archived" => Some(Some(OrgStatus::Archived)),
            "all" => Some(None),
            _ => None,
        },
        "unknown_status",
    )?
    .unwrap_or(Some(OrgStatus::Active));
    let f = OrgFilter { q: q.q.unwrap_or_default().chars().take(100).collect(), kind, region_id: q.region_id, status };
    let (items, total, page, per_page) = page_of(state.store.list_orgs(&actor, &f, paging).await?);
    Ok(axum::Json(OrgPage { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "org", params(("id" = i64, Path)), responses((status = 200, body = OrgOut)))]
pub async fn get_org(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
) -> Result<axum::Json<OrgOut>, WebError> {
    Ok(axum::Json(state.store.get_org(&actor, id).await?.into()))
}

/// An organisation to create or replace. Dates as `YYYY-MM-DD`.
#[derive(Deserialize, ToSchema)]
pub struct OrgIn {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_id: i64,
    pub parent_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub established_on: Option<String>,
    #[serde(default)]
    pub patent_platform_on: Option<String>,
    #[serde(default)]
    pub kczg_on: Option<String>,
    #[serde(default)]
    pub green_platform_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<OrgIn> for OrgForm {
    fn from(i: OrgIn) -> Self {
        let s = |x: Option<String>| x.unwrap_or_default();
        Self {
            code: i.code,
            name: i.name,
            kind: i.kind,
            region_id: Some(i.region_id),
            parent_id: i.parent_id,
            enterprise_id: i.enterprise_id,
            credit_code: s(i.credit_code),
            address: s(i.address),
            contact_name: s(i.contact_name),
            contact_phone: s(i.contact_phone),
            established_on: s(i.established_on),
            patent_platform_on: s(i.patent_platform_on),
            kczg_on: s(i.kczg_on),
            green_platform_on: s(i.green_platform_on),
            note: s(i.note),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/orgs", tag = "org", request_body = OrgIn, responses((status = 201, body = Created)))]
pub async fn create_org(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(body): Json<OrgIn>,
) -> Result<Response, WebError> {
    let id = state.store.create_org(&actor, &body.into()).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })).into_response())
}

#[utoipa::path(put, path = "/api/v1/orgs/{id}", tag = "org", params(("id" = i64, Path)), request_body = OrgIn, responses((status = 200, body = OrgOut)))]
pub async fn update_org(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
    Json(body): Json<OrgIn>,
) -> Result<axum::Json<OrgOut>, WebError> {
    state.store.update_org(&actor, id, &body.into()).await?;
    Ok(axum::Json(state.store.get_org(&actor, id).await?.into()))
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    pub id: i64,
    pub name: String,
    /// male or female
    pub gender: Option<String>,
    /// Masked unless the role may see personal data.
    pub phone: Option<String>,
    /// Masked unless the role may see personal data.
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub region_id: i64,
    pub region_name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub title: Option<String>,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PersonView> for PersonOut {
    fn from(v: PersonView) -> Self {
        let p = v.person;
        Self {
            id: p.id,
            name: p.name,
            gender: p.gender,
            phone: p.phone,
            id_number: p.id_number,
            email: p.email,
            region_id: p.region_id,
            region_name: v.region_name,
            org_id: p.org_id,
            org_name: v.org_name,
            title: p.title,
            note: p.note,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PersonPage {
    pub items: Vec<PersonOut>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Deserialize, IntoParams)]
pub struct PersonQuery {
    /// A name prefix or a full phone number.
    pub q: Option<String>,
    pub region_id: Option<i64>,
    pub org_id: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/people", tag = "person", params(PersonQuery, PageParams), responses((status = 200, body = PersonPage)))]
pub async fn list_people(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Query(q): Query<PersonQuery>,
    Paging(paging): Paging,
) -> Result<axum::Json<PersonPage>, WebError> {
    let f = PersonFilter {
        q: q.q.unwrap_or_default().chars().take(50).collect(),
        region_id: q.region_id,
        org_id: q.org_id,
    };
    let (items, total, page, per_page) = page_of(state.store.list_people(&actor, &f, paging).await?);
    Ok(axum::Json(PersonPage { items, total, page, per_page }))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "person", params(("id" = i64, Path)), responses((status = 200, body = PersonOut)))]
pub async fn get_person(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
) -> Result<axum::Json<PersonOut>, WebError> {
    Ok(axum::Json(state.store.get_person(&actor, id).await?.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct PersonIn {
    pub name: String,
    /// male / female (or 男 / 女)
    #[serde(default)]
    pub gender: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub region_id: i64,
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl From<PersonIn> for PersonForm {
    fn from(i: PersonIn) -> Self {
        let s = |x: Option<String>| x.unwrap_or_default();
        Self {
            name: i.name,
            gender: s(i.gender),
            phone: s(i.phone),
            id_number: s(i.id_number),
            email: s(i.email),
            region_id: Some(i.region_id),
            org_id: i.org_id,
            title: s(i.title),
            note: s(i.note),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/people", tag = "person", request_body = PersonIn, responses((status = 201, body = Created)))]
pub async fn create_person(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(body): Json<PersonIn>,
) -> Result<Response, WebError> {
    let id = state.store.create_person(&actor, &body.into()).await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })).into_response())
}

#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "person", params(("id" = i64, Path)), request_body = PersonIn, responses((status = 200, body = PersonOut)))]
pub async fn update_person(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
    Json(body): Json<PersonIn>,
) -> Result<axum::Json<PersonOut>, WebError> {
    state.store.update_person(&actor, id, &body.into()).await?;
    Ok(axum::Json(state.store.get_person(&actor, id).await?.into()))
}
