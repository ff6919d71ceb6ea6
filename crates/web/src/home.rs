//! The home page, by role: a workbench (待办) for those who act on others' submissions, the
//! figures of their scope, and for people acting for themselves what is theirs — a volunteer's
//! shifts, hours and stars, an enterprise's needs and recommended experts, the needs ranked
//! for an expert, a citizen's profile and public activities.

use crate::AppState;
use crate::error::WebError;
use crate::html::ScriptJson;
use crate::matchmaking::{Reason, reasons};
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Datelike;
use kexie_core::account::{Action, Actor, Area, Role};
use kexie_core::home::workbench;
use kexie_core::matchmaking::NeedStatus;
use kexie_core::org::OrgKind;
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_core::volunteer::ledger;
use kexie_store::StoreError;
use kexie_store::activity::ActivityRow;
use kexie_store::matchmaking::need::NeedFilter;
use kexie_store::matchmaking::{RankedExpert, RankedNeed};
use kexie_store::volunteer::shift::OpenShift;

/// Activities, shifts and ranked records a home page lists at most.
const LISTED: usize = 5;

/// A link the viewer may open, or none: every link on the home page goes through here, and the
/// route table decides, as it does for the menu.
fn link(actor: &Actor, href: impl Into<String>) -> Option<String> {
    let href = href.into();
    crate::routes::may(Some(actor.role), &href).then_some(href)
}

pub struct KindCount {
    pub code: &'static str,
    pub label: String,
    pub count: usize,
}

/// One workbench item: what waits, how many, and the list that shows them.
pub struct TodoItem {
    pub code: &'static str,
    pub count: u64,
    pub href: Option<String>,
}

/// The organisation figures of the caller's scope, with their charts.
pub struct Figures {
    pub total_orgs: usize,
    pub people: u64,
    pub towns: usize,
    pub patent: usize,
    pub enterprise_associations: usize,
    pub kinds: Vec<KindCount>,
    /// Chart data for ECharts, read by app.js from a JSON script element.
    pub chart_json: ScriptJson,
}

pub struct VolunteerHome {
    /// Places the volunteer holds in coming shifts, soonest first.
    pub places: Vec<OpenShift>,
    /// Coming shifts that still need people.
    pub open_shifts: usize,
    /// "2026年服务时长".
    pub year_label: String,
    pub year_hours: String,
    pub hours: String,
    pub stars: u8,
    /// ★★☆☆☆
    pub stars_text: String,
    /// How far the next star is, or that the last one is reached.
    pub next_star: String,
    /// Minutes counted towards the next star, and the minutes it takes.
    pub progress: (i64, i64),
}

pub struct NeedCount {
    pub code: &'static str,
    pub count: u64,
    pub href: Option<String>,
}

pub struct Recommended {
    pub need_id: i64,
    /// 为「…」推荐的专家
    pub heading: String,
    pub experts: Vec<(RankedExpert, Option<String>, Vec<Reason>)>,
}

pub struct EnterpriseHome {
    pub needs: Vec<NeedCount>,
    pub new_need: Option<String>,
    pub recommended: Option<Recommended>,
}

pub struct ExpertHome {
    pub profile: Option<String>,
    pub ranked: Vec<(RankedNeed, Option<String>, Vec<Reason>)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ctx: PageCtx,
    /// 全区概览 for the association, 金沙街道概览 for a town, a greeting for people acting for
    /// themselves.
    pub title: String,
    pub scope_name: String,
    pub todos: Vec<TodoItem>,
    pub figures: Option<Figures>,
    pub volunteer: Option<VolunteerHome>,
    pub enterprise: Option<EnterpriseHome>,
    pub expert: Option<ExpertHome>,
    /// Activities open to the public that have not ended (volunteers and citizens).
    pub activities: Vec<ActivityRow>,
    /// A volunteer or citizen: public pages to take part through.
    pub public: bool,
}

pub async fn show(State(state): State<AppState>, web: Web) -> Result<HomePage, WebError> {
    let lang = web.lang;
    let actor = web.actor();
    let tree = state.store.regions().await?;
    let scope_name = match &actor.scope {
        Scope::Region { id, .. } => tree.display_name(*id),
        Scope::Org { id, .. } => state.store.get_org(actor, *id).await.map(|o| o.org.name).unwrap_or_default(),
        Scope::All => tree.roots().next().map(|r| r.name.clone()).unwrap_or_default(),
        Scope::Own { .. } => String::new(),
    };
    let title = match &actor.scope {
        Scope::All => lang.t("home.title"),
        Scope::Region { id, .. } => {
            let name = tree.get(*id).map(|r| r.name.clone()).unwrap_or_default();
            lang.t_with("home.scope_title", &[("name", &name)])
        }
        Scope::Org { .. } if actor.can(Area::Org, Action::View) => {
            lang.t_with("home.scope_title", &[("name", &scope_name)])
        }
        _ => match actor.person_id {
            // The caller's own record, which their role may not otherwise open.
            Some(p) => match state.store.get_person(&Actor::system("home"), p).await {
                Ok(v) => lang.t_with("home.hello", &[("name", &v.person.name)]),
                Err(_) => lang.t("nav.home"),
            },
            None => lang.t("nav.home"),
        },
    };
    let mut todos = Vec::new();
    for t in workbench(actor.role) {
        todos.push(TodoItem {
            code: t.code(),
            count: state.store.todo_count(actor, t).await?,
            href: link(actor, t.href()),
        });
    }
    let public = matches!(actor.role, Role::Volunteer | Role::Citizen);
    Ok(HomePage {
        figures: figures(&state, &web).await?,
        volunteer: volunteer(&state, &web).await?,
        enterprise: enterprise(&state, &web).await?,
        expert: expert(&state, &web).await?,
        activities: if public { state.store.upcoming_activities(LISTED as u64).await? } else { Vec::new() },
        ctx: web.ctx(),
        title,
        scope_name,
        todos,
        public,
    })
}

async fn figures(state: &AppState, web: &Web) -> Result<Option<Figures>, WebError> {
    let (lang, actor) = (web.lang, web.actor());
    if !actor.can(Area::Org, Action::View) {
        return Ok(None);
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
    let by_town: Vec<(i64, String, usize)> =
        counts.by_town.iter().filter(|t| t.0 != 0 && t.2 > 0).map(|(id, name, n)| (*id, name.clone(), *n)).collect();
    let chart = serde_json::json!({
        "kinds": kinds.iter().map(|k| serde_json::json!({ "name": k.label, "value": k.count, "href": format!("/orgs?kind={}", k.code) })).collect::<Vec<_>>(),
        "towns": by_town.iter().map(|(id, name, n)| serde_json::json!({ "name": name, "value": n, "href": format!("/orgs?region={id}") })).collect::<Vec<_>>(),
        "kindTitle": lang.t("home.chart_by_kind"),
        "townTitle": lang.t("home.chart_by_town"),
    });
    Ok(Some(Figures {
        total_orgs: counts.total,
        people,
        towns: by_town.len(),
        patent: counts.patent_platform,
        enterprise_associations: counts.by_kind.get(OrgKind::EnterpriseAssociation.code()).copied().unwrap_or(0),
        kinds,
        chart_json: ScriptJson::new(&chart),
    }))
}

/// Not being the kind of person a section is about is no error: the section is left out.
fn absent<T>(r: Result<T, StoreError>) -> Result<Option<T>, WebError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn volunteer(state: &AppState, web: &Web) -> Result<Option<VolunteerHome>, WebError> {
    let (lang, actor) = (web.lang, web.actor());
    if actor.role != Role::Volunteer {
        return Ok(None);
    }
    let Some(v) = absent(state.store.my_volunteer(actor).await)? else { return Ok(None) };
    let shifts = state.store.volunteer_shifts(actor).await?;
    let year = kexie_core::estation::proof::day_of(chrono::Utc::now()).year();
    let minutes = v.row.minutes;
    let next = ledger::next_star(minutes);
    // Progress is measured from the star already reached to the next one.
    let reached = ledger::STAR_HOURS.iter().rev().find(|h| minutes >= **h * 60).map_or(0, |h| h * 60);
    let progress = next.map_or((1, 1), |(_, left)| (minutes - reached, minutes - reached + left));
    let open_shifts = shifts.iter().filter(|o| o.mine.is_none() && o.row.gap > 0).count();
    let stars = ledger::stars(minutes);
    let year_minutes = v.years.iter().find(|(y, _, _)| *y == year).map_or(0, |(_, m, _)| *m);
    Ok(Some(VolunteerHome {
        places: shifts.into_iter().filter(|o| o.mine.is_some()).take(LISTED).collect(),
        open_shifts,
        year_label: lang.t_with("home.vol_hours_year", &[("year", &year.to_string())]),
        year_hours: crate::volunteer::hours(&year_minutes),
        hours: crate::volunteer::hours(&minutes),
        stars,
        stars_text: crate::volunteer::stars(&stars),
        next_star: match next {
            Some((star, left)) => {
                lang.t_with("home.vol_next_star", &[("hours", &ledger::hours_text(left)), ("star", &star.to_string())])
            }
            None => lang.t("home.vol_top_star"),
        },
        progress,
    }))
}

async fn enterprise(state: &AppState, web: &Web) -> Result<Option<EnterpriseHome>, WebError> {
    let actor = web.actor();
    if actor.role != Role::EnterpriseUser {
        return Ok(None);
    }
    let needs = state
        .store
        .need_counts(actor)
        .await?
        .into_iter()
        .map(|(s, n)| NeedCount {
            code: s.code(),
            count: n,
            href: link(actor, format!("/match/needs?status={}", s.code())),
        })
        .collect();
    // Experts for the enterprise's newest published need, by the ranking its page shows.
    let published = NeedFilter { status: Some(NeedStatus::Approved), ..Default::default() };
    let newest = state.store.list_needs(actor, &published, PageRequest::new(Some(1), Some(1))).await?.items;
    let recommended = match newest.into_iter().next() {
        Some(n) => {
            let experts = state.store.rank_experts_for_need(actor, n.need.id, LISTED).await?;
            Some(Recommended {
                need_id: n.need.id,
                heading: web.lang.t_with("home.ent_recommended", &[("title", &n.need.title)]),
                experts: experts
                    .into_iter()
                    .map(|e| {
                        let href = link(actor, format!("/match/experts/{}", e.expert_id));
                        let why = reasons(web.lang, &e.explanation, 3);
                        (e, href, why)
                    })
                    .collect(),
            })
        }
        None => None,
    };
    Ok(Some(EnterpriseHome { needs, new_need: link(actor, "/match/needs/new"), recommended }))
}

async fn expert(state: &AppState, web: &Web) -> Result<Option<ExpertHome>, WebError> {
    let actor = web.actor();
    if actor.role != Role::Expert {
        return Ok(None);
    }
    let Some(id) = state.store.own_expert(actor).await? else {
        return Ok(Some(ExpertHome { profile: None, ranked: Vec::new() }));
    };
    let ranked = state
        .store
        .rank_needs_for_expert(actor, id, LISTED * 2)
        .await?
        .into_iter()
        .map(|r| {
            let href = link(actor, format!("/match/needs/{}", r.need.need.id));
            let why = reasons(web.lang, &r.explanation, 3);
            (r, href, why)
        })
        .collect();
    Ok(Some(ExpertHome { profile: link(actor, format!("/match/experts/{id}")), ranked }))
}
