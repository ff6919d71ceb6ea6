//! What every operation of the JSON API shares, declared once: the paging parameters with the
//! bounds the server enforces, query values limited to a documented set, and the error
//! responses each operation can give, derived from the route table so that the document says
//! what the server does.

use super::ErrorOut;
use crate::AppState;
use crate::error::WebError;
use crate::form::Query;
use crate::routes::catalog;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use kexie_core::account::Need;
use kexie_core::page::{MAX_PAGE, MAX_PER_PAGE, PageRequest};
use serde::Deserialize;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::openapi::{Content, OpenApi, Ref, Response};
use utoipa::{IntoParams, Modify, ToSchema};

/// `page` and `per_page`, as every list operation takes them.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// 从 1 开始；超过末页时返回空列表。From 1; past the last page the list is empty.
    #[param(schema_with = page_schema)]
    pub page: Option<u64>,
    /// 每页条数，默认 20。Items per page, default 20.
    #[param(schema_with = per_page_schema)]
    pub per_page: Option<u64>,
}

fn page_schema() -> Object {
    bounded(1, MAX_PAGE)
}

fn per_page_schema() -> Object {
    bounded(1, MAX_PER_PAGE)
}

/// The page a list operation was asked for; out of bounds answers 422 with the field.
pub struct Paging(pub PageRequest);

impl FromRequestParts<AppState> for Paging {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        let Query(p) = Query::<PageParams>::from_request_parts(parts, state).await?;
        PageRequest::checked(p.page, p.per_page).map(Paging).map_err(WebError::Invalid)
    }
}

/// An integer parameter between `min` and `max`, as the document shows it.
pub fn bounded(min: u64, max: u64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::Int64)))
        .minimum(Some(min as f64))
        .maximum(Some(max as f64))
        .build()
}

/// A text parameter that takes one of `values`.
pub fn one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).build()
}

/// Reads an optional query value that must be one of a set; anything else is refused with
/// `code` (400), as the document's `enum` says.
pub fn parse_one<T>(
    value: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    code: &'static str,
) -> Result<Option<T>, WebError> {
    value.map(|v| parse(v).ok_or(WebError::BadRequest(code))).transpose()
}

/// Adds to every operation the errors it can answer, from what the route table requires of
/// the caller and what the operation reads: no operation lists them by hand, so none can
/// forget one.
pub struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, doc: &mut OpenApi) {
        let routes = catalog();
        for (path, item) in doc.paths.paths.iter_mut() {
            let ops = [
                ("GET", item.get.as_mut()),
                ("POST", item.post.as_mut()),
                ("PUT", item.put.as_mut()),
                ("DELETE", item.delete.as_mut()),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                let need = routes
                    .iter()
                    .find(|r| r.path == path && r.method.as_str() == method)
                    .map(|r| r.need)
                    .unwrap_or_else(|| panic!("{method} {path} is documented but not in the route table"));
                add_errors(op, need, path.contains('{'));
            }
        }
    }
}

fn add_errors(op: &mut Operation, need: Need, has_path_id: bool) {
    let has_query = op.parameters.iter().flatten().any(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query);
    let has_body = op.request_body.is_some();
    let mut add = |status: &str, text: &str| {
        op.responses.responses.entry(status.to_string()).or_insert_with(|| error_response(text).into());
    };
    if need != Need::Public {
        add("401", "未登录、令牌无效或已撤销 (login_required)。Missing, unknown or revoked token.");
    }
    if matches!(need, Need::Perm(..)) {
        add("403", "角色无此权限 (forbidden)。The token's role may not do this.");
    }
    if has_path_id {
        add("404", "记录不存在或不在数据范围内 (not_found)。No such record in the caller's scope.");
    }
    if has_query || has_body {
        add(
            "400",
            "请求格式不正确：查询参数、JSON 或提交格式 (malformed_query, malformed_json, unsupported_media_type …)。Malformed request.",
        );
        add("422", "内容未通过校验，fields 列出每个字段的问题 (invalid)。Invalid values, listed per field.");
    }
    if has_body {
        add("413", "提交的内容太大 (payload_too_large)。Body too large.");
    }
}

fn error_response(description: &str) -> Response {
    let mut r = Response::new(description);
    r.content.insert("application/json".into(), Content::new(Some(Ref::from_schema_name(ErrorOut::name()))));
    r
}
