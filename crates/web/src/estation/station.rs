//! Station pages: the district dashboard (counts, list, filters, export), the map, a station
//! with its screens' health, enrolment codes (text and QR), revocation, group membership, and
//! the preview of what its screens play at any time and through tomorrow.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::html::{Markup, ScriptJson};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::daypart::local;
use kexie_core::estation::manifest::{Playing, timeline};
use kexie_core::estation::roster::COLUMNS;
use kexie_core::estation::schedule::{format_local, parse_local};
use kexie_core::estation::station::{FIVE, StationForm};
use kexie_core::page::PageRequest;
use kexie_core::region::RegionNode;
use kexie_store::estation::device::{DeviceRow, IssuedCode};
use kexie_store::estation::station::{GroupRow, ScreenCounts, StationFilter, StationRow};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub tag: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn opt_id(v: &str) -> Result<Option<i64>, WebError> {
    match v.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| WebError::BadRequest("malformed_query")),
    }
}

impl ListQuery {
    fn filter(&self) -> Result<StationFilter, WebError> {
        Ok(StationFilter {
            q: self.q.chars().take(50).collect(),
            town: opt_id(&self.town)?,
            group: opt_id(&self.group)?,
            tag: self.tag.chars().take(20).collect(),
        })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("town", self.town.clone()),
            ("group", self.group.clone()),
            ("tag", self.tag.clone()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/stations.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<StationRow>,
    pub pager: Pager,
    pub stations: u64,
    pub screens: ScreenCounts,
    pub towns: Vec<RegionNode>,
    pub groups: Vec<GroupRow>,
    pub can_edit: bool,
    pub can_import: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let list = state.store.list_stations(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let tree = state.store.regions().await?;
    let page = ListPage {
        pager: Pager::new(&list.page, "/estation", &q.pairs()),
        stations: list.stations,
        screens: list.screens,
        towns: tree.towns_in(&actor.scope).into_iter().cloned().collect(),
        groups: state.store.station_groups().await?,
        can_edit: actor.can(Area::Station, Action::Edit),
        can_import: actor.can(Area::Station, Action::Import),
        ctx: web.ctx(),
        rows: list.page.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let list = state.store.list_stations(web.actor(), &q.filter()?, PageRequest { page: 1, per_page: 100_000 }).await?;
    let yes = |b: bool| if b { "是" } else { "否" }.to_string();
    let rows: Vec<Vec<String>> = list
        .page
        .items
        .iter()
        .map(|s| {
            let mut r = vec![
                s.code.clone(),
                s.name.clone(),
                s.town.clone(),
                s.place.rsplit(" / ").next().unwrap_or_default().to_string(),
                s.address.clone().unwrap_or_default(),
                s.lat.map(|v| v.to_string()).unwrap_or_default(),
                s.lng.map(|v| v.to_string()).unwrap_or_default(),
                s.hours.clone(),
                s.audience_per_hour.to_string(),
                yes(s.has_counter),
            ];
            r.extend(s.five.iter().map(|b| yes(*b)));
            r.push(s.tags.join("、"));
            r
        })
        .collect();
    let bytes = xlsx::write_rows("科普e站", &COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("科普e站-{}.xlsx", local(Utc::now()).format("%Y%m%d"))))
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/map.html")]
pub struct MapPage {
    pub ctx: PageCtx,
    pub chart: ScriptJson,
    pub count: usize,
}

pub async fn map(State(state): State<AppState>, web: Web) -> Result<MapPage, WebError> {
    let points = state.store.station_map(web.actor()).await?;
    Ok(MapPage {
        count: points.len(),
        chart: ScriptJson::new(&serde_json::json!({ "stations": points })),
        ctx: web.ctx(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/station_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: StationForm,
    pub errors: Invalid,
    pub regions: Vec<(i64, String)>,
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: StationForm,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    let scope = match &web.actor().scope {
        kexie_core::scope::Scope::Region { id, .. } => Some(tree.subtree_ids(*id)),
        _ => None,
    };
    let regions = tree
        .all()
        .filter(|r| r.kind.level() >= 1 && scope.as_ref().is_none_or(|s| s.contains(&r.id)))
        .map(|r| (r.id, tree.display_name(r.id)))
        .collect();
    Ok(FormPage { ctx: web.ctx(), id, f, errors, regions })
}

fn on(b: bool) -> Option<String> {
    b.then(|| "on".to_string())
}

pub async fn new(State(state): State<AppState>, web: Web) -> Result<FormPage, WebError> {
    let f = StationForm { hours: "08:30-17:30".into(), audience_per_hour: "30".into(), ..Default::default() };
    form_page(&state, &web, None, f, Invalid::default()).await
}

pub async fn create(State(state): State<AppState>, web: Web, Form(f): Form<StationForm>) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(input) => state.store.create_station(web.actor(), &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/estation/stations/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, None, f, e).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let s = state.store.get_station(web.actor(), id).await?;
    if !web.actor().can(Area::Station, Action::Edit) {
        return Err(WebError::Forbidden);
    }
    let f = StationForm {
        name: s.name,
        region_id: s.region_id.to_string(),
        address: s.address.unwrap_or_default(),
        lat: s.lat.map(|v| v.to_string()).unwrap_or_default(),
        lng: s.lng.map(|v| v.to_string()).unwrap_or_default(),
        hours: s.hours,
        audience_per_hour: s.audience_per_hour.to_string(),
        has_counter: on(s.has_counter),
        tags: s.tags.join("、"),
        five_network: on(s.five[0]),
        five_staff: on(s.five[1]),
        five_venue: on(s.five[2]),
        five_activities: on(s.five[3]),
        five_terminal: on(s.five[4]),
    };
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StationForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(input) => state.store.update_station(web.actor(), id, &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/estation/stations/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, Some(id), f, e).await?)),
        Err(e) => Err(e.into()),
    }
}

/// A stretch of the preview's timeline, in words.
pub struct PreviewSpan {
    pub from: String,
    pub to: String,
    pub mode: &'static str,
    pub titles: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/station.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub s: StationRow,
    pub devices: Vec<DeviceRow>,
    pub plays: HashMap<i64, i64>,
    pub version: String,
    pub groups: Vec<(GroupRow, bool)>,
    pub issued: Option<(IssuedCode, Markup)>,
    pub at: String,
    pub now_playing: PreviewSpan,
    pub tomorrow: Vec<PreviewSpan>,
    pub can_edit: bool,
    pub can_group: bool,
    pub five: [&'static str; 5],
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    pub at: String,
}

fn span_text(p: &Playing, titles: &HashMap<String, String>) -> (&'static str, String) {
    let name = |c: &str| titles.get(c).cloned().unwrap_or_else(|| c.to_string());
    match p {
        Playing::Interrupt { content_id, .. } => ("interrupt", name(content_id)),
        Playing::Rotation(r) => ("schedule", r.iter().map(|(_, c)| name(c)).collect::<Vec<_>>().join(" → ")),
        Playing::Nothing => ("nothing", String::new()),
    }
}

async fn show_page(
    state: &AppState,
    web: &Web,
    id: i64,
    at: &str,
    issued: Option<IssuedCode>,
) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let s = state.store.get_station(actor, id).await?;
    let devices = state.store.station_devices(actor, id).await?;
    let plays = state.store.plays_by_device(id).await?;
    let version = state.store.manifest(id).await?.manifest.version.clone();
    let mine = state.store.groups_of_station(id).await?;
    let groups = state.store.station_groups().await?.into_iter().map(|g| {
        let m = mine.contains(&g.id);
        (g, m)
    });
    let snap = state.store.snapshot().await?;
    let titles: HashMap<String, String> =
        snap.net.media.iter().map(|(k, m)| (k.to_string(), m.title.clone())).collect();
    let t: DateTime<Utc> = parse_local(at).unwrap_or_else(Utc::now);
    let m = state.store.manifest_at(id, t).await?;
    let (mode, names) = span_text(&kexie_core::estation::manifest::playing_at(&m, t), &titles);
    let now_playing = PreviewSpan { from: format_local(t).replace('T', " "), to: String::new(), mode, titles: names };
    let day = kexie_core::estation::proof::day_of(Utc::now()) + Duration::days(1);
    let start = kexie_core::estation::proof::day_start(day);
    let tm = state.store.manifest_at(id, start).await?;
    let tomorrow = timeline(&tm, start, start + Duration::days(1))
        .iter()
        .map(|sp| {
            let (mode, titles) = span_text(&sp.playing, &titles);
            PreviewSpan {
                from: local(sp.from).format("%H:%M").to_string(),
                to: local(sp.to).format("%H:%M").to_string().replace("00:00", "24:00"),
                mode,
                titles,
            }
        })
        .collect();
    let issued = issued.map(|c| {
        let svg = Markup::qr(&c.code, 160);
        (c, svg)
    });
    Ok(ShowPage {
        can_edit: actor.can(Area::Station, Action::Edit),
        can_group: actor.can(Area::Schedule, Action::Edit) && matches!(actor.scope, kexie_core::scope::Scope::All),
        ctx: web.ctx(),
        s,
        devices,
        plays,
        version,
        groups: groups.collect(),
        issued,
        at: format_local(t),
        now_playing,
        tomorrow,
        five: FIVE,
    })
}

pub async fn show(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Query(q): Query<ShowQuery>,
) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, &q.at, None).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ScreenForm {
    #[serde(default)]
    pub name: String,
}

/// Adds a screen and shows its code once, on the station's page.
pub async fn add_screen(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ScreenForm>,
) -> Result<ShowPage, WebError> {
    let issued = state.store.add_screen(web.actor(), id, &f.name).await?;
    show_page(&state, &web, id, "", Some(issued)).await
}

pub async fn new_code(State(state): State<AppState>, web: Web, Id(device): Id) -> Result<ShowPage, WebError> {
    let issued = state.store.new_code(web.actor(), device).await?;
    let station = state.store.device_station(web.actor(), device).await?;
    show_page(&state, &web, station, "", Some(issued)).await
}

pub async fn revoke(State(state): State<AppState>, web: Web, Id(device): Id) -> Result<Response, WebError> {
    let station = state.store.revoke_screen(web.actor(), device).await?;
    Ok(see_other(&format!("/estation/stations/{station}")))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    pub group_id: String,
    #[serde(default)]
    pub member: String,
}

pub async fn set_group(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<GroupForm>,
) -> Result<Response, WebError> {
    let group = f.group_id.trim().parse().map_err(|_| WebError::BadRequest("malformed_form"))?;
    state.store.set_group_member(web.actor(), group, id, f.member == "on").await?;
    Ok(see_other(&format!("/estation/stations/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "estation/offline.html")]
pub struct OfflinePage {
    pub ctx: PageCtx,
    pub hours: i64,
    pub rows: Vec<(DeviceRow, String)>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct OfflineQuery {
    pub hours: Option<i64>,
}

pub async fn offline(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<OfflineQuery>,
) -> Result<OfflinePage, WebError> {
    let hours = q.hours.unwrap_or(24).clamp(0, 24 * 365);
    let rows = state.store.offline_screens(web.actor(), hours).await?;
    Ok(OfflinePage { ctx: web.ctx(), hours, rows })
}
