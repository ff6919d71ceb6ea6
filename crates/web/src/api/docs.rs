//! A readable page of the OpenAPI document, rendered on the server from the same document
//! `/api/openapi.json` serves (no external viewer to download).

use super::ApiDoc;
use crate::AppState;
use crate::auth::Caller;
use crate::i18n::Lang;
use crate::view::PageCtx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::Value;
use utoipa::OpenApi;

pub struct Param {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub kind: String,
    pub description: String,
}

pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub tag: String,
    pub params: Vec<Param>,
    pub body: String,
    pub responses: Vec<(String, String)>,
}

pub struct Schema {
    pub name: String,
    pub fields: Vec<Param>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    pub ctx: PageCtx,
    pub title: String,
    pub description: String,
    pub endpoints: Vec<Endpoint>,
    pub schemas: Vec<Schema>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

/// `#/components/schemas/OrgOut` → `OrgOut`; arrays as `[OrgOut]`; plain types by name.
fn type_name(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(items) = schema.get("items") {
        return format!("[{}]", type_name(items));
    }
    if let Some(any) = schema.get("oneOf").and_then(Value::as_array) {
        return any.iter().map(type_name).filter(|t| t != "null").collect::<Vec<_>>().join(" | ");
    }
    match schema.get("type") {
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect::<Vec<_>>().join(" | ")
        }
        Some(Value::String(t)) => match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{t} ({f})"),
            None => t.clone(),
        },
        _ => String::new(),
    }
}

fn body_type(content: Option<&Value>) -> String {
    content.and_then(|c| c.get("application/json")).and_then(|j| j.get("schema")).map(type_name).unwrap_or_default()
}

pub async fn docs(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> DocsPage {
    let lang = Lang::from_headers(&headers);
    let ctx = match &caller {
        Caller::Browser(s) => PageCtx::new(lang, &state.config.site_name, "/api/docs", Some(s)),
        _ => PageCtx::anonymous(lang, &state.config.site_name, "/api/docs"),
    };
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let mut endpoints = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in ["get", "post", "put", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let params = op
                    .get("parameters")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|p| Param {
                        name: text(p, "name"),
                        location: text(p, "in"),
                        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        kind: p.get("schema").map(type_name).unwrap_or_default(),
                        description: text(p, "description"),
                    })
                    .collect();
                let responses = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| (status.clone(), body_type(r.get("content"))))
                    .collect();
                let summary = [text(op, "summary"), text(op, "description")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_default();
                endpoints.push(Endpoint {
                    method: method.to_uppercase(),
                    path: path.clone(),
                    summary,
                    tag: op.get("tags").and_then(|t| t.get(0)).and_then(Value::as_str).unwrap_or("").to_string(),
                    params,
                    body: body_type(op.get("requestBody").and_then(|b| b.get("content"))),
                    responses,
                });
            }
        }
    }
    let mut schemas = Vec::new();
    if let Some(all) = doc.pointer("/components/schemas").and_then(Value::as_object) {
        for (name, s) in all {
            let required: Vec<&str> =
                s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let fields = s
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(f, p)| Param {
                    name: f.clone(),
                    location: String::new(),
                    required: required.contains(&f.as_str()),
                    kind: type_name(p),
                    description: text(p, "description"),
                })
                .collect();
            schemas.push(Schema { name: name.clone(), fields });
        }
    }
    DocsPage {
        ctx,
        title: text(&doc["info"], "title"),
        description: text(&doc["info"], "description"),
        endpoints,
        schemas,
    }
}
