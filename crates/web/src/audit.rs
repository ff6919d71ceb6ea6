//! The audit log: browse by record, actor and action; one entry with its before and after;
//! verify the hash chain.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Id, Query};
use crate::view::{PageCtx, Pager, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kexie_core::audit::{ACTIONS, Break, ENTITIES, FieldChange, changes};
use kexie_core::page::PageRequest;
use kexie_store::audit::AuditFilter;
use kexie_store::entity::audit_log;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub entity: String,
    #[serde(default)]
    pub entity_id: String,
    #[serde(default)]
    pub actor: String,
    #[serde(default)]
    pub action: String,
    pub page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<audit_log::Model>,
    pub pager: Pager,
    pub verified: Option<String>,
    pub broken: bool,
}

impl ListPage {
    /// Every kind of record, for the filter.
    pub fn entities(&self) -> &'static [&'static str] {
        ENTITIES
    }
    /// Every action, for the filter.
    pub fn actions(&self) -> &'static [&'static str] {
        ACTIONS
    }
}

impl ListQuery {
    fn filter(&self) -> AuditFilter {
        let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        AuditFilter {
            entity: some(&self.entity),
            entity_id: self.entity_id.parse().ok(),
            actor: some(&self.actor),
            action: some(&self.action),
        }
    }
}

async fn list_page(state: &AppState, web: &Web, q: ListQuery) -> Result<ListPage, WebError> {
    let f = q.filter();
    let page = kexie_store::audit::list(&state.store.db, &f, PageRequest::new(q.page, Some(50))).await?;
    let pairs = [
        ("entity", q.entity.clone()),
        ("entity_id", q.entity_id.clone()),
        ("actor", q.actor.clone()),
        ("action", q.action.clone()),
    ];
    Ok(ListPage {
        pager: Pager::new(&page, "/audit", &pairs),
        ctx: web.ctx(),
        rows: page.items,
        q,
        verified: None,
        broken: false,
    })
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<ListPage, WebError> {
    list_page(&state, &web, q).await
}

pub async fn verify(State(state): State<AppState>, web: Web) -> Result<ListPage, WebError> {
    let result = kexie_store::audit::verify(&state.store.db, |_, _| {}).await?;
    let mut page = list_page(&state, &web, ListQuery::default()).await?;
    let lang = web.lang;
    page.broken = result.is_err();
    page.verified = Some(match result {
        Ok(n) => lang.t_with("audit.verified_ok", &[("n", &n.to_string())]),
        Err(Break::Altered { seq }) => lang.t_with("audit.verified_altered", &[("seq", &seq.to_string())]),
        Err(Break::Broken { seq }) => lang.t_with("audit.verified_broken", &[("seq", &seq.to_string())]),
    });
    Ok(page)
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub e: audit_log::Model,
    pub fields: Vec<FieldChange>,
    /// The record's own page, where one exists and the viewer may open it.
    pub link: Option<String>,
}

/// The page of each kind of record that has one, by the route it is served at.
const PAGES: &[(&str, &str)] = &[
    ("org", "/orgs/{id}"),
    ("station", "/estation/stations/{id}"),
    ("person", "/people/{id}"),
    ("region", "/regions/{id}"),
    ("account", "/accounts/{id}"),
    ("content", "/outreach/content/{id}"),
    ("publication", "/outreach/publications/{id}"),
    ("campaign", "/outreach/campaigns/{id}"),
    ("activity", "/activities/{id}"),
    ("volunteer", "/volunteers/{id}"),
    ("service_project", "/volunteers/projects/{id}"),
    ("service_order", "/orders/{id}"),
    ("suggestion", "/suggestions/{id}"),
    ("need", "/match/needs/{id}"),
    ("expert", "/match/experts/{id}"),
    ("match_event", "/match/events/{id}"),
    ("engagement", "/match/engagements/{id}"),
];

/// The record's page, if its kind has one and the route table lets this viewer open it.
fn record_link(actor: &kexie_core::account::Actor, entity: &str, id: Option<i64>) -> Option<String> {
    let (id, (_, route)) = (id?, PAGES.iter().find(|(kind, _)| *kind == entity)?);
    let spec =
        crate::routes::catalog().into_iter().find(|s| s.method == axum::http::Method::GET && s.path == *route)?;
    spec.need.allows(Some(actor.role)).then(|| route.replace("{id}", &id.to_string()))
}

pub async fn show(State(state): State<AppState>, web: Web, Id(seq): Id) -> Result<ShowPage, WebError> {
    let e = kexie_store::audit::get(&state.store.db, seq).await?;
    Ok(ShowPage {
        ctx: web.ctx(),
        fields: changes(e.before.as_deref(), e.after.as_deref()),
        link: record_link(web.actor(), &e.entity, e.entity_id),
        e,
    })
}

/// Largest audit export in rows; narrow the filter for more.
const EXPORT_MAX: u64 = 100_000;

/// The filtered log as Excel, newest first, for auditors who work in spreadsheets.
pub async fn export(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<ListQuery>,
) -> Result<axum::response::Response, WebError> {
    let lang = web.lang;
    let page =
        kexie_store::audit::list(&state.store.db, &q.filter(), PageRequest { page: 1, per_page: EXPORT_MAX }).await?;
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|e| {
            vec![
                e.seq.to_string(),
                e.at.with_timezone(&cst).format("%Y-%m-%d %H:%M:%S").to_string(),
                e.actor_name.clone(),
                lang.label("audit_action", &e.action),
                lang.label("entity", &e.entity),
                e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                e.before.clone().unwrap_or_default(),
                e.after.clone().unwrap_or_default(),
                e.hash.clone(),
            ]
        })
        .collect();
    let header = ["序号", "时间（北京时间）", "操作人", "操作", "对象", "对象ID", "修改前", "修改后", "哈希"];
    let bytes = crate::xlsx::write_rows("审计日志", &header, &rows)?;
    Ok(crate::xlsx::download(bytes, &format!("审计日志-{}.xlsx", chrono::Local::now().format("%Y%m%d"))))
}
