//! The region tree: district → towns → communities, with organisation counts per region.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::region::{RegionNode, RegionTree};
use kexie_core::scope::Scope;
use kexie_store::region::RegionForm;

/// The towns a scope reaches, as (id, name): the one source of every town filter and picker.
/// Public forms pass `Scope::All` (anyone may name any town).
pub fn towns(tree: &RegionTree, scope: &Scope) -> Vec<(i64, String)> {
    tree.towns_in(scope).into_iter().map(|t| (t.id, t.name.clone())).collect()
}

pub struct TownRow {
    pub town: RegionNode,
    pub children: Vec<RegionNode>,
    pub orgs: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub district: Option<RegionNode>,
    pub towns: Vec<TownRow>,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, web: Web) -> Result<ListPage, WebError> {
    let actor = web.actor();
    let tree = state.store.regions().await?;
    let counts = state.store.org_counts(actor).await?;
    let district = tree.roots().next().cloned();
    let towns = tree
        .towns()
        .into_iter()
        .filter(|t| actor.scope.covers_region(&t.path))
        .map(|t| TownRow {
            children: tree.children(Some(t.id)).cloned().collect(),
            orgs: counts.by_town.iter().find(|x| x.0 == t.id).map(|x| x.2).unwrap_or(0),
            town: t.clone(),
        })
        .collect();
    Ok(ListPage { ctx: web.ctx(), district, towns, can_edit: actor.can(Area::Region, Action::Edit) })
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub r: RegionNode,
    pub trail: String,
    pub children: Vec<RegionNode>,
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    let tree = state.store.regions().await?;
    let r = tree.get(id).cloned().ok_or(WebError::NotFound)?;
    // Regions are visible along the caller's own branch only.
    if !web.actor().scope.covers_region(&r.path) {
        return Err(WebError::NotFound);
    }
    Ok(ShowPage {
        trail: tree.display_name(id),
        children: tree.children(Some(id)).cloned().collect(),
        ctx: web.ctx(),
        r,
    })
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct RegionFields {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "regions/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub f: RegionFields,
    pub errors: Invalid,
    pub parents: Vec<(i64, String, bool)>,
}

pub async fn new(State(state): State<AppState>, web: Web) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    Ok(FormPage {
        parents: crate::org::region_options(&tree, web.actor(), false),
        ctx: web.ctx(),
        f: RegionFields::default(),
        errors: Invalid::default(),
    })
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<RegionFields>,
) -> Result<Response, WebError> {
    let form = RegionForm {
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind.clone(),
        parent_id: f.parent_id.parse().ok(),
    };
    match state.store.create_region(web.actor(), &form).await {
        Ok(id) => Ok(see_other(&format!("/regions/{id}"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let tree = state.store.regions().await?;
            Ok(unprocessable(FormPage {
                parents: crate::org::region_options(&tree, web.actor(), false),
                ctx: web.ctx(),
                f,
                errors,
            }))
        }
        Err(e) => Err(e.into()),
    }
}
