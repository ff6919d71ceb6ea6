//! Organisation pages: list (search, filters, pages, export), detail with officers, create and
//! edit with inline errors, archive, and the Excel roster import.

use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::org::roster::COLUMNS;
use kexie_core::org::{OrgForm, OrgKind, OrgStatus};
use kexie_core::page::PageRequest;
use kexie_core::region::RegionTree;
use kexie_store::org::{OfficerView, OrgFilter, OrgRow, OrgView};
use std::collections::HashSet;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub status: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    pub fn filter(&self) -> Result<OrgFilter, WebError> {
        let kind = match self.kind.as_str() {
            "" => None,
            k => Some(OrgKind::parse(k).ok_or(WebError::BadRequest("unknown_kind"))?),
        };
        let region_id = match self.region.as_str() {
            "" => None,
            r => Some(r.parse().map_err(|_| WebError::BadRequest("unknown_region"))?),
        };
        let status = match self.status.as_str() {
            "" | "active" => Some(OrgStatus::Active),
            "archived" => Some(OrgStatus::Archived),
            "all" => None,
            _ => return Err(WebError::BadRequest("unknown_status")),
        };
        Ok(OrgFilter { q: self.q.chars().take(100).collect(), kind, region_id, status })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("region", self.region.clone()),
            ("status", self.status.clone()),
        ]
    }
}

/// Towns and their communities as `<select>` options: (id, label, indented).
pub fn region_options(
    tree: &RegionTree,
    actor: &kexie_core::account::Actor,
    include_children: bool,
) -> Vec<(i64, String, bool)> {
    let mut out = Vec::new();
    for root in tree.roots() {
        if actor.scope.covers_region(&root.path) {
            out.push((root.id, root.name.clone(), false));
        }
        for town in tree.children(Some(root.id)) {
            if !actor.scope.covers_region(&town.path) {
                continue;
            }
            out.push((town.id, town.name.clone(), false));
            if include_children {
                out.extend(tree.children(Some(town.id)).map(|c| (c.id, c.name.clone(), true)));
            }
        }
    }
    out
}

fn kind_options(lang: crate::i18n::Lang) -> Vec<(&'static str, String)> {
    OrgKind::ALL.into_iter().map(|k| (k.code(), lang.label("org_kind", k.code()))).collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/list.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<OrgRow>,
    pub pager: Pager,
    pub kinds: Vec<(&'static str, String)>,
    pub regions: Vec<(i64, String, bool)>,
    pub can_edit: bool,
    pub can_import: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let htmx = web.htmx;
    let actor = web.actor();
    let filter = q.filter()?;
    let page = state.store.browse_orgs(actor, &filter, PageRequest::new(q.page, q.per_page)).await?;
    let tree = state.store.regions().await?;
    let pager = Pager::new(&page, "/orgs", &q.pairs());
    let page = ListPage {
        kinds: kind_options(web.lang),
        regions: region_options(&tree, actor, false),
        can_edit: actor.can(Area::Org, Action::Edit),
        can_import: actor.can(Area::Org, Action::Import),
        ctx: web.ctx(),
        rows: page.items,
        pager,
        q,
    };
    if htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let rows = state.store.export_orgs(web.actor(), &q.filter()?).await?;
    let bytes = xlsx::write_rows("组织", &COLUMNS, &rows)?;
    let name = format!("组织名册-{}.xlsx", chrono::Local::now().format("%Y%m%d"));
    Ok(xlsx::download(bytes, &name))
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub o: OrgView,
    pub officers: Vec<OfficerView>,
    pub has_officers: bool,
    pub missing_heads: Vec<String>,
    pub roles: Vec<(String, String)>,
    pub can_edit: bool,
    pub can_audit: bool,
    pub errors: Invalid,
    /// The parent and enterprise, where the viewer may open them.
    pub open_orgs: HashSet<i64>,
}

/// The organisations among `ids` this viewer would be let into: the route admits their role
/// and the record is in their scope. Pages show any other as its name, without a link.
pub async fn openable(state: &AppState, web: &Web, ids: &[i64]) -> Result<HashSet<i64>, WebError> {
    if !web.may("/orgs/0") {
        return Ok(HashSet::new());
    }
    Ok(state.store.openable_orgs(web.actor(), ids).await?)
}

async fn show_page(state: &AppState, web: &Web, id: i64, errors: Invalid) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let o = state.store.get_org(actor, id).await?;
    let has_officers = OrgKind::parse(&o.org.kind).is_some_and(|k| k.has_officers());
    let officers = if has_officers { state.store.officers(actor, id).await? } else { Vec::new() };
    let roles: Vec<(String, String)> = state
        .store
        .officer_roles()
        .await?
        .into_iter()
        .map(|(c, zh, en)| (c, if web.lang == crate::i18n::Lang::En { en } else { zh }))
        .collect();
    let is_town_level = state.store.regions().await?.get(o.org.region_id).is_some_and(|r| r.kind.is_town_level());
    let missing_heads = if has_officers && is_town_level {
        kexie_core::grassroots::missing_heads(officers.iter().map(|x| x.role_code.as_str()))
            .into_iter()
            .map(|c| roles.iter().find(|r| r.0 == c).map(|r| r.1.clone()).unwrap_or_default())
            .collect()
    } else {
        Vec::new()
    };
    let open_orgs =
        openable(state, web, &[o.org.parent_id, o.org.enterprise_id].into_iter().flatten().collect::<Vec<_>>()).await?;
    Ok(ShowPage {
        ctx: web.ctx(),
        open_orgs,
        can_edit: actor.can(Area::Org, Action::Edit),
        can_audit: actor.can(Area::Audit, Action::View),
        o,
        officers,
        has_officers,
        missing_heads,
        roles,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, Invalid::default()).await
}

/// The form as typed: references by code, as people know them.
#[derive(serde::Deserialize, Default, Clone)]
pub struct OrgFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub parent_code: String,
    #[serde(default)]
    pub enterprise_code: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub contact_phone: String,
    #[serde(default)]
    pub established_on: String,
    #[serde(default)]
    pub patent_platform_on: String,
    #[serde(default)]
    pub kczg_on: String,
    #[serde(default)]
    pub green_platform_on: String,
    #[serde(default)]
    pub note: String,
}

impl OrgFields {
    fn from_view(v: &OrgView, parent_code: String, enterprise_code: String) -> Self {
        let m = &v.org;
        let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        Self {
            code: m.code.clone(),
            name: m.name.clone(),
            kind: m.kind.clone(),
            region_id: m.region_id.to_string(),
            parent_code,
            enterprise_code,
            credit_code: s(&m.credit_code),
            address: s(&m.address),
            contact_name: s(&m.contact_name),
            contact_phone: s(&m.contact_phone),
            established_on: d(m.established_on),
            patent_platform_on: d(m.patent_platform_on),
            kczg_on: d(m.kczg_on),
            green_platform_on: d(m.green_platform_on),
            note: s(&m.note),
        }
    }

    /// Resolves codes to ids; unknown codes become field errors, reported with every other.
    async fn resolve(&self, state: &AppState) -> Result<OrgForm, WebError> {
        let mut e = Invalid::default();
        let parent_id = code_ref(state, &mut e, "parent_code", &self.parent_code).await?;
        let enterprise_id = code_ref(state, &mut e, "enterprise_code", &self.enterprise_code).await?;
        let form = OrgForm {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind.clone(),
            region_id: self.region_id.trim().parse().ok(),
            parent_id,
            enterprise_id,
            credit_code: self.credit_code.clone(),
            address: self.address.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            established_on: self.established_on.clone(),
            patent_platform_on: self.patent_platform_on.clone(),
            kczg_on: self.kczg_on.clone(),
            green_platform_on: self.green_platform_on.clone(),
            note: self.note.clone(),
        };
        // Report code problems together with every other field's.
        // Code fields were checked above; a masked phone is restored from the stored record
        // and checked by the store.
        if let Err(more) = form.check() {
            let skip = |f: &str| match f {
                "parent_id" | "enterprise_id" => true,
                "contact_phone" => kexie_core::person::is_masked(&self.contact_phone),
                _ => false,
            };
            e.0.extend(more.0.into_iter().filter(|f| !skip(f.field)));
        }
        e.into_result(form).map_err(WebError::Invalid)
    }
}

/// The id of the organisation a form field names by code; an unknown code is a field error,
/// the same one the store gives for a code outside the caller's scope (`store::reference`).
pub async fn code_ref(
    state: &AppState,
    e: &mut Invalid,
    field: &'static str,
    code: &str,
) -> Result<Option<i64>, WebError> {
    let c = code.trim();
    if c.is_empty() {
        return Ok(None);
    }
    let id = state.store.org_id_by_code(c).await?;
    if id.is_none() {
        e.push(field, kexie_store::reference::UNKNOWN_REF);
    }
    Ok(id)
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: OrgFields,
    pub errors: Invalid,
    pub kinds: Vec<(&'static str, String)>,
    pub regions: Vec<(i64, String, bool)>,
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: OrgFields,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    Ok(FormPage {
        ctx: web.ctx(),
        id,
        f,
        errors,
        kinds: kind_options(web.lang),
        regions: region_options(&tree, web.actor(), true),
    })
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent: String,
}

pub async fn new(State(state): State<AppState>, web: Web, Query(q): Query<NewQuery>) -> Result<FormPage, WebError> {
    let f = OrgFields { kind: q.kind, parent_code: q.parent, ..Default::default() };
    form_page(&state, &web, None, f, Invalid::default()).await
}

/// Store errors on `parent_id`/`enterprise_id` belong to the code fields the form shows.
fn form_errors(e: Invalid) -> Invalid {
    Invalid(
        e.0.into_iter()
            .map(|mut f| {
                f.field = match f.field {
                    "parent_id" => "parent_code",
                    "enterprise_id" => "enterprise_code",
                    other => other,
                };
                f
            })
            .collect(),
    )
}

pub async fn create(State(state): State<AppState>, web: Web, Form(f): Form<OrgFields>) -> Result<Response, WebError> {
    let result = match f.resolve(&state).await {
        Ok(form) => state.store.create_org(web.actor(), &form).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/orgs/{id}"))),
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, None, f, form_errors(e)).await?)),
        Err(e) => Err(e),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let v = state.store.get_org(web.actor(), id).await?;
    let parent = state.store.org_code(v.org.parent_id).await?;
    let enterprise = state.store.org_code(v.org.enterprise_id).await?;
    let f = OrgFields::from_view(&v, parent, enterprise);
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<OrgFields>,
) -> Result<Response, WebError> {
    let result = match f.resolve(&state).await {
        Ok(form) => state.store.update_org(web.actor(), id, &form).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/orgs/{id}"))),
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, Some(id), f, form_errors(e)).await?)),
        Err(e) => Err(e),
    }
}

pub async fn archive(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.set_org_status(web.actor(), id, OrgStatus::Archived).await?;
    Ok(see_other(&format!("/orgs/{id}")))
}

pub async fn restore(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.set_org_status(web.actor(), id, OrgStatus::Active).await?;
    Ok(see_other(&format!("/orgs/{id}")))
}

#[derive(serde::Deserialize)]
pub struct OfficerForm {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub role_code: String,
}

pub async fn add_officer(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<OfficerForm>,
) -> Result<Response, WebError> {
    // The picker fills in "name #id"; a bare id works too.
    let person_id = f.person.rsplit('#').next().and_then(|s| s.trim().parse::<i64>().ok());
    let result = match person_id {
        Some(p) => state.store.add_officer(web.actor(), id, p, &f.role_code).await.map_err(WebError::from),
        None => Err(WebError::Invalid(Invalid::one("person_id", "unknown_person"))),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/orgs/{id}#officers"))),
        Err(WebError::Invalid(e)) => Ok(unprocessable(show_page(&state, &web, id, e).await?)),
        Err(e) => Err(e),
    }
}

pub async fn remove_officer(
    State(state): State<AppState>,
    web: Web,
    Path((id, officer)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    state.store.remove_officer(web.actor(), id, officer).await?;
    Ok(see_other(&format!("/orgs/{id}#officers")))
}

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    /// The term arrives under the name of the input it was typed into.
    #[serde(
        default,
        alias = "parent_code",
        alias = "enterprise_code",
        alias = "org_code",
        alias = "scope_org_code",
        alias = "workstation_code"
    )]
    pub q: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "orgs/pick.html")]
pub struct PickOptions {
    pub items: Vec<(i64, String, String)>,
}

/// `<option>`s for a datalist: organisations whose name or code contains the term.
pub async fn pick(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<PickQuery>,
) -> Result<PickOptions, WebError> {
    let kind = OrgKind::parse(&q.kind);
    let term: String = q.q.chars().take(50).collect();
    let items =
        if term.trim().is_empty() { Vec::new() } else { state.store.pick_orgs(web.actor(), &term, kind, 20).await? };
    Ok(PickOptions { items })
}
