//! The home page: the district at a glance, within the caller's scope.

use crate::AppState;
use crate::error::WebError;
use crate::html::ScriptJson;
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kexie_core::account::{Action, Area};
use kexie_core::org::OrgKind;

pub struct KindCount {
    pub code: &'static str,
    pub label: String,
    pub count: usize,
}

pub struct TownCount {
    pub id: i64,
    pub name: String,
    pub count: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    pub can_orgs: bool,
    pub total_orgs: usize,
    pub people: u64,
    pub towns: usize,
    pub patent: usize,
    pub enterprise_associations: usize,
    pub kinds: Vec<KindCount>,
    /// Chart data for ECharts, read by app.js from a JSON script element.
    pub chart_json: ScriptJson,
    pub scope_name: String,
    /// 全区概览 for the association, 金沙街道概览 for a town, and so on.
    pub title: String,
}

pub async fn show(State(state): State<AppState>, web: Web) -> Result<HomePage, WebError> {
    let lang = web.lang;
    let actor = web.actor();
    let ctx = web.ctx();
    let tree = state.store.regions().await?;
    let scope_name = match &actor.scope {
        kexie_core::scope::Scope::Region { id, .. } => tree.display_name(*id),
        kexie_core::scope::Scope::Org { id, .. } => {
            state.store.get_org(actor, *id).await.map(|o| o.org.name).unwrap_or_default()
        }
        kexie_core::scope::Scope::All => tree.roots().next().map(|r| r.name.clone()).unwrap_or_default(),
        kexie_core::scope::Scope::Own { .. } => String::new(),
    };
    let title = match &actor.scope {
        kexie_core::scope::Scope::All => lang.t("home.title"),
        kexie_core::scope::Scope::Region { id, .. } => {
            let name = tree.get(*id).map(|r| r.name.clone()).unwrap_or_default();
            lang.t_with("home.scope_title", &[("name", &name)])
        }
        kexie_core::scope::Scope::Org { .. } => lang.t_with("home.scope_title", &[("name", &scope_name)]),
        kexie_core::scope::Scope::Own { .. } => lang.t("nav.home"),
    };
    let can_orgs = actor.can(Area::Org, Action::View);
    if !can_orgs {
        return Ok(HomePage {
            ctx,
            can_orgs,
            total_orgs: 0,
            people: 0,
            towns: 0,
            patent: 0,
            enterprise_associations: 0,
            kinds: Vec::new(),
            chart_json: ScriptJson::new(&serde_json::json!({})),
            scope_name,
            // Without figures to show, the page is a plain welcome.
            title: lang.t("nav.home"),
        });
    }
    let counts = state.store.org_counts(actor).await?;
    let people = state.store.count_people(actor).await?;
    let kinds: Vec<KindCount> = OrgKind::ALL
        .into_iter()
        .map(|k| KindCount {
            code: k.code(),
            label: lang.label("org_kind", k.code()),
            count: counts.by_kind.get(k.code()).copied().unwrap_or(0),
        })
        .filter(|k| k.count > 0)
        .collect();
    let by_town: Vec<TownCount> = counts
        .by_town
        .iter()
        .filter(|t| t.0 != 0 && t.2 > 0)
        .map(|(id, name, n)| TownCount { id: *id, name: name.clone(), count: *n })
        .collect();
    let chart = serde_json::json!({
        "kinds": kinds.iter().map(|k| serde_json::json!({ "name": k.label, "value": k.count, "href": format!("/orgs?kind={}", k.code) })).collect::<Vec<_>>(),
        "towns": by_town.iter().map(|t| serde_json::json!({ "name": t.name, "value": t.count, "href": format!("/orgs?region={}", t.id) })).collect::<Vec<_>>(),
        "kindTitle": lang.t("home.chart_by_kind"),
        "townTitle": lang.t("home.chart_by_town"),
    });
    Ok(HomePage {
        ctx,
        can_orgs,
        total_orgs: counts.total,
        people,
        towns: by_town.len(),
        patent: counts.patent_platform,
        enterprise_associations: counts.by_kind.get(OrgKind::EnterpriseAssociation.code()).copied().unwrap_or(0),
        kinds,
        chart_json: ScriptJson::new(&chart),
        scope_name,
        title,
    })
}
