//! People pages: list (name prefix or phone, region, organisation), export, create and edit.

use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::org::region_options;
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::page::PageRequest;
use kexie_core::person::{PersonForm, is_masked};
use kexie_store::person::{PersonFilter, PersonView};

/// Largest export in rows: beyond this, filter first.
const EXPORT_MAX: u64 = 100_000;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub org: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<PersonFilter, WebError> {
        let num = |s: &str, code: &'static str| -> Result<Option<i64>, WebError> {
            if s.is_empty() { Ok(None) } else { s.parse().map(Some).map_err(|_| WebError::BadRequest(code)) }
        };
        Ok(PersonFilter {
            q: self.q.chars().take(50).collect(),
            region_id: num(&self.region, "unknown_region")?,
            org_id: num(&self.org, "unknown_org")?,
        })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("q", self.q.clone()), ("region", self.region.clone()), ("org", self.org.clone())]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/list.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<PersonView>,
    pub pager: Pager,
    pub regions: Vec<(i64, String, bool)>,
    pub org_name: String,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let htmx = web.htmx;
    let actor = web.actor();
    let filter = q.filter()?;
    let page = state.store.list_people(actor, &filter, PageRequest::new(q.page, q.per_page)).await?;
    let tree = state.store.regions().await?;
    let org_name = match filter.org_id {
        Some(o) => state.store.get_org(actor, o).await.map(|v| v.org.name).unwrap_or_default(),
        None => String::new(),
    };
    let page = ListPage {
        pager: Pager::new(&page, "/people", &q.pairs()),
        regions: region_options(&tree, actor, false),
        can_edit: actor.can(Area::Person, Action::Edit),
        ctx: web.ctx(),
        rows: page.items,
        org_name,
        q,
    };
    if htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let rows = state.store.export_people_roster(web.actor(), &q.filter()?, EXPORT_MAX).await?;
    let bytes = xlsx::write_rows("人员", &kexie_core::person::roster::COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("人员名单-{}.xlsx", chrono::Local::now().format("%Y%m%d"))))
}

#[derive(Template, WebTemplate)]
#[template(path = "people/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub p: PersonView,
    pub can_edit: bool,
    pub can_audit: bool,
    /// The person's organisation, where the viewer may open it.
    pub open_orgs: std::collections::HashSet<i64>,
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let p = state.store.get_person(actor, id).await?;
    Ok(ShowPage {
        open_orgs: crate::org::openable(&state, &web, &Vec::from_iter(p.person.org_id)).await?,
        can_edit: actor.can(Area::Person, Action::Edit),
        can_audit: actor.can(Area::Audit, Action::View),
        ctx: web.ctx(),
        p,
    })
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct PersonFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
}

impl PersonFields {
    async fn resolve(&self, state: &AppState) -> Result<PersonForm, WebError> {
        let mut e = Invalid::default();
        let org_id = crate::org::code_ref(state, &mut e, "org_code", &self.org_code).await?;
        let form = PersonForm {
            name: self.name.clone(),
            gender: self.gender.clone(),
            phone: self.phone.clone(),
            id_number: self.id_number.clone(),
            email: self.email.clone(),
            region_id: self.region_id.trim().parse().ok(),
            org_id,
            title: self.title.clone(),
            note: self.note.clone(),
        };
        // Masked values are restored from the stored record by the store, then checked there.
        if let Err(more) = form.check() {
            let masked = |f: &str| match f {
                "phone" => is_masked(&self.phone),
                "id_number" => is_masked(&self.id_number),
                _ => false,
            };
            e.0.extend(more.0.into_iter().filter(|x| !masked(x.field)));
        }
        e.into_result(form).map_err(WebError::Invalid)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "people/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: PersonFields,
    pub errors: Invalid,
    pub regions: Vec<(i64, String, bool)>,
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: PersonFields,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    let errors = Invalid(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                if e.field == "org_id" {
                    e.field = "org_code";
                }
                e
            })
            .collect(),
    );
    Ok(FormPage { ctx: web.ctx(), id, f, errors, regions: region_options(&tree, web.actor(), true) })
}

#[derive(serde::Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    pub org: String,
}

pub async fn new(State(state): State<AppState>, web: Web, Query(q): Query<NewQuery>) -> Result<FormPage, WebError> {
    form_page(&state, &web, None, PersonFields { org_code: q.org, ..Default::default() }, Invalid::default()).await
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<PersonFields>,
) -> Result<Response, WebError> {
    let result = match f.resolve(&state).await {
        Ok(form) => state.store.create_person(web.actor(), &form).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/people/{id}"))),
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, None, f, e).await?)),
        Err(e) => Err(e),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let v = state.store.get_person(web.actor(), id).await?;
    let p = &v.person;
    let s = |x: &Option<String>| x.clone().unwrap_or_default();
    let f = PersonFields {
        name: p.name.clone(),
        gender: s(&p.gender),
        phone: s(&p.phone),
        id_number: s(&p.id_number),
        email: s(&p.email),
        region_id: p.region_id.to_string(),
        org_code: state.store.org_code(p.org_id).await?,
        title: s(&p.title),
        note: s(&p.note),
    };
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<PersonFields>,
) -> Result<Response, WebError> {
    let result = match f.resolve(&state).await {
        Ok(form) => state.store.update_person(web.actor(), id, &form).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/people/{id}"))),
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, Some(id), f, e).await?)),
        Err(e) => Err(e),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub region: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people/pick.html")]
pub struct PickOptions {
    pub items: Vec<PersonView>,
}

/// `<option>`s for the officer picker: people whose name starts with what was typed, nearest
/// the organisation's region first.
pub async fn pick(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<PickQuery>,
) -> Result<PickOptions, WebError> {
    let term: String = q.person.split('#').next().unwrap_or("").trim().chars().take(20).collect();
    if term.is_empty() {
        return Ok(PickOptions { items: Vec::new() });
    }
    let region_id = q.region.parse().ok();
    let near = state
        .store
        .list_people(
            web.actor(),
            &PersonFilter { q: term.clone(), region_id, org_id: None },
            PageRequest::new(Some(1), Some(15)),
        )
        .await?;
    let items = if near.items.is_empty() {
        state
            .store
            .list_people(
                web.actor(),
                &PersonFilter { q: term, region_id: None, org_id: None },
                PageRequest::new(Some(1), Some(15)),
            )
            .await?
            .items
    } else {
        near.items
    };
    Ok(PickOptions { items })
}
