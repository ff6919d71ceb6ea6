//! The staff pages: the list (search, filters, paging, Excel export), the form, an activity
//! with its QR code, door list, report and photos, the door page staff reach by scanning a
//! person's code, the year's figures with charts, and the party-building view.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query, Upload, filter};
use crate::html::{Markup, ScriptJson};
use crate::public::base_url;
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::activity::figures::Figures;
use kexie_core::activity::{ActivityForm, ActivityKind, MONTH_THEMES, ReportForm, Status, Step};
use kexie_core::estation::schedule::format_local;
use kexie_core::page::PageRequest;
use kexie_store::activity::{ActivityFilter, ActivityRow, ActivityView, DoorAction, DoorResult};
use kexie_store::entity::activity_registration;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub party: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<ActivityFilter, WebError> {
        Ok(ActivityFilter {
            q: self.q.chars().take(50).collect(),
            kind: filter::code(&self.kind, ActivityKind::parse)?,
            status: filter::code(&self.status, Status::parse)?,
            town: filter::num(&self.town)?,
            year: filter::year(&self.year)?,
            month: filter::month(&self.month)?,
            theme: self.theme.chars().take(40).collect(),
            party: (self.party == "1").then_some(true),
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("kind", self.kind.clone()),
            ("status", self.status.clone()),
            ("town", self.town.clone()),
            ("month", self.month.clone()),
            ("year", self.year.clone()),
            ("theme", self.theme.clone()),
            ("party", self.party.clone()),
        ]
    }

    /// Filters beyond the form's own (from a figure's link), kept as hidden fields.
    pub fn extra(&self) -> Vec<(&'static str, String)> {
        self.pairs().into_iter().filter(|(k, v)| !v.is_empty() && ["year", "theme", "party"].contains(k)).collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/list.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<ActivityRow>,
    pub pager: Pager,
    pub towns: Vec<(i64, String)>,
    pub kinds: [ActivityKind; 11],
    pub statuses: [Status; 4],
    pub edits: bool,
}

impl ListPage {
    pub fn tag(&self, s: &Status) -> &'static str {
        super::tag_of(*s)
    }
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let list = state.store.list_activities(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let page = ListPage {
        pager: Pager::new(&list, "/activities", &q.pairs()),
        towns: crate::region::towns(&*state.store.regions().await?, &actor.scope),
        kinds: ActivityKind::ALL,
        statuses: Status::ALL,
        edits: actor.can(kexie_core::account::Area::Activity, kexie_core::account::Action::Edit),
        ctx: web.ctx(),
        rows: list.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub const COLUMNS: [&str; 14] = [
    "编号",
    "活动名称",
    "类型",
    "主题",
    "一月一主题",
    "主办单位",
    "协办单位",
    "地点",
    "镇（街道）",
    "开始时间",
    "结束时间",
    "报名人数",
    "签到人数",
    "状态",
];

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let all = PageRequest { page: 1, per_page: 20_000 };
    let rows = state.store.list_activities(web.actor(), &q.filter()?, all).await?.items;
    let lang = crate::i18n::Lang::Zh;
    let time = |t: &chrono::DateTime<chrono::Utc>| format_local(*t).replace('T', " ");
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.a.id.to_string(),
                r.a.title.clone(),
                lang.label("act_kind", r.kind.code()),
                r.a.theme.clone(),
                if r.a.month_theme { "是" } else { "否" }.to_string(),
                r.organiser.clone(),
                r.a.co_organisers.clone().unwrap_or_default(),
                r.a.place.clone(),
                r.town.clone(),
                time(&r.a.starts_at),
                time(&r.a.ends_at),
                r.a.registered.to_string(),
                r.attended.to_string(),
                lang.label("act_status", r.status.code()),
            ]
        })
        .collect();
    let bytes = xlsx::write_rows("活动", &COLUMNS, &out)?;
    Ok(xlsx::download(bytes, "活动.xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: ActivityForm,
    pub errors: Invalid,
    pub kinds: [ActivityKind; 11],
    pub themes: [&'static str; 12],
    pub organisers: Vec<(i64, String)>,
    pub regions: Vec<(i64, String)>,
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: ActivityForm,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    let scope = &web.actor().scope;
    let mut regions: Vec<(i64, String)> =
        tree.roots().filter(|r| scope.covers_region(&r.path)).map(|r| (r.id, r.name.clone())).collect();
    regions.extend(crate::region::towns(&tree, scope));
    Ok(FormPage {
        ctx: web.ctx(),
        id,
        f,
        errors,
        kinds: ActivityKind::ALL,
        themes: MONTH_THEMES,
        organisers: state.store.activity_organisers(web.actor()).await?,
        regions,
    })
}

pub async fn new(State(state): State<AppState>, web: Web) -> Result<FormPage, WebError> {
    let f = ActivityForm { capacity: "100".into(), volunteer_hours: Some("on".into()), ..Default::default() };
    form_page(&state, &web, None, f, Invalid::default()).await
}

/// Saves the form, or shows it again with every error (nothing written).
async fn save(state: &AppState, web: &Web, id: Option<i64>, f: ActivityForm) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(input) => match id {
            None => state.store.create_activity(web.actor(), &input).await,
            Some(id) => state.store.update_activity(web.actor(), id, &input).await.map(|_| id),
        },
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/activities/{id}"))),
        Err(kexie_store::StoreError::Invalid(errors)) => Ok(unprocessable(form_page(state, web, id, f, errors).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<ActivityForm>,
) -> Result<Response, WebError> {
    save(&state, &web, None, f).await
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let a = state.store.get_activity(web.actor(), id).await?.row.a;
    let f = ActivityForm {
        title: a.title,
        kind: a.kind,
        theme: a.theme,
        month_theme: a.month_theme.then(|| "on".into()),
        organiser_org_id: a.organiser_org_id.to_string(),
        co_organisers: a.co_organisers.unwrap_or_default(),
        place: a.place,
        region_id: a.region_id.to_string(),
        starts_at: format_local(a.starts_at),
        ends_at: format_local(a.ends_at),
        capacity: a.capacity.map(|c| c.to_string()).unwrap_or_default(),
        audience: a.audience.unwrap_or_default(),
        summary: a.summary.unwrap_or_default(),
        volunteer_hours: a.volunteer_hours.then(|| "on".into()),
    };
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ActivityForm>,
) -> Result<Response, WebError> {
    save(&state, &web, Some(id), f).await
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub v: ActivityView,
    pub edits: bool,
    pub door_url: String,
    pub door_qr: Markup,
    pub report: ReportForm,
    pub errors: Invalid,
    pub hours: String,
    /// The volunteers it needs, in shifts (for those who see volunteers).
    pub shifts: Option<crate::volunteer::shift::ShiftPanel>,
}

impl ShowPage {
    pub fn tag(&self) -> &'static str {
        super::tag_of(self.v.row.status)
    }
    pub fn can(&self, step: &str) -> bool {
        self.edits && Step::parse(step).is_some_and(|s| s.apply(self.v.row.status).is_ok())
    }
    pub fn held(&self) -> bool {
        matches!(self.v.row.status, Status::Published | Status::Closed)
    }
}

async fn show_page(
    state: &AppState,
    web: &Web,
    headers: &HeaderMap,
    id: i64,
    report: Option<ReportForm>,
    errors: Invalid,
) -> Result<ShowPage, WebError> {
    let v = state.store.get_activity(web.actor(), id).await?;
    let door_url = format!("{}/a/{}/door?k={}", base_url(&state.config, headers), v.row.a.id, v.row.a.checkin_key);
    let report = report.unwrap_or_else(|| ReportForm {
        report: v.row.a.report.clone().unwrap_or_default(),
        extra_reach: if v.row.a.extra_reach > 0 { v.row.a.extra_reach.to_string() } else { String::new() },
    });
    let open = matches!(v.row.status, Status::Draft | Status::Published);
    let owner = kexie_store::volunteer::shift::Owner::Activity(v.row.a.id);
    Ok(ShowPage {
        shifts: crate::volunteer::shift::ShiftPanel::load(state, web.actor(), owner, open).await?,
        ctx: web.ctx(),
        edits: web.actor().can(kexie_core::account::Area::Activity, kexie_core::account::Action::Edit),
        door_qr: Markup::qr(&door_url, 200),
        door_url,
        hours: kexie_core::volunteer::ledger::hours_text(v.service_minutes),
        report,
        errors,
        v,
    })
}

pub async fn show(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Id(id): Id,
) -> Result<ShowPage, WebError> {
    show_page(&state, &web, &headers, id, None, Invalid::default()).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StepForm {
    #[serde(default)]
    pub step: String,
}

pub async fn step(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<StepForm>,
) -> Result<Response, WebError> {
    let step = Step::parse(&f.step).ok_or(WebError::BadRequest("malformed_form"))?;
    match state.store.activity_step(web.actor(), id, step).await {
        Ok(()) => Ok(see_other(&format!("/activities/{id}"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(show_page(&state, &web, &headers, id, None, errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn report(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Id(id): Id,
    Form(f): Form<ReportForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(r) => state.store.save_activity_report(web.actor(), id, &r).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/activities/{id}#report"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(show_page(&state, &web, &headers, id, Some(f), errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// One photo at a time, checked by content and written by sha256 before its record.
pub async fn add_photo(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Id(id): Id,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    let upload = match upload {
        Ok(u) => u,
        Err(e @ (WebError::Csrf | WebError::TooLarge)) => return Err(e),
        Err(e) => {
            let errors = Invalid::one("photo", e.code());
            return Ok(unprocessable(show_page(&state, &web, &headers, id, None, errors).await?));
        }
    };
    let media_type = match kexie_core::activity::check_photo(&upload.file.name, upload.file.sample()) {
        Ok(t) => t,
        Err(code) => {
            let mut errors = Invalid::default();
            errors.push_arg("photo", code, kexie_core::activity::MAX_PHOTO_MB);
            return Ok(unprocessable(show_page(&state, &web, &headers, id, None, errors).await?));
        }
    };
    let (sha, size) = upload.file.store(&state).await?;
    let photo = kexie_store::NewPhoto { sha256: sha, media_type: media_type.to_string(), size };
    state.store.add_activity_photos(web.actor(), id, &[photo]).await?;
    Ok(see_other(&format!("/activities/{id}#photos")))
}

pub async fn photo(
    State(state): State<AppState>,
    web: Web,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (Ok(id), Ok(n)) = (id.parse::<i64>(), n.parse::<i32>()) else { return Err(WebError::NotFound) };
    let v = state.store.get_activity(web.actor(), id).await?;
    let p = v.photos.into_iter().find(|p| p.position == n).ok_or(WebError::NotFound)?;
    let bytes = tokio::fs::read(state.config.media_dir().join(&p.sha256)).await.map_err(|_| WebError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&p.media_type).map_err(|_| WebError::NotFound)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/scan.html")]
pub struct ScanPage {
    pub ctx: PageCtx,
    pub ticket: String,
    pub r: activity_registration::Model,
    pub a: ActivityRow,
    pub done: Option<DoorResult>,
    pub done_out: bool,
    pub error: Option<String>,
}

impl ScanPage {
    pub fn hours(&self, m: &i32) -> String {
        kexie_core::volunteer::ledger::hours_text(i64::from(*m))
    }
}

/// What staff see after scanning a person's code with their phone's camera: who it is and
/// where they stand, with check-in and check-out buttons.
pub async fn scan(State(state): State<AppState>, web: Web, Path(ticket): Path<String>) -> Result<ScanPage, WebError> {
    scan_page(&state, &web, &ticket, None, false, None).await
}

async fn scan_page(
    state: &AppState,
    web: &Web,
    ticket: &str,
    done: Option<DoorResult>,
    done_out: bool,
    error: Option<String>,
) -> Result<ScanPage, WebError> {
    let (mut r, a) = state.store.registration_by_ticket(ticket).await?;
    // Only staff over the activity see who holds the ticket.
    state.store.get_activity(web.actor(), a.a.id).await?;
    if !web.actor().role.sees_personal_data() {
        r.phone = kexie_core::person::mask_phone(&r.phone);
    }
    Ok(ScanPage { ctx: web.ctx(), ticket: ticket.to_string(), r, a, done, done_out, error })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ScanForm {
    #[serde(default)]
    pub action: String,
}

pub async fn scan_post(
    State(state): State<AppState>,
    web: Web,
    Path(ticket): Path<String>,
    Form(f): Form<ScanForm>,
) -> Result<Response, WebError> {
    let action = match f.action.as_str() {
        "in" => DoorAction::In,
        "out" => DoorAction::Out,
        _ => return Err(WebError::BadRequest("malformed_form")),
    };
    match state.store.door_by_ticket(web.actor(), &ticket, action).await {
        Ok(d) => Ok(scan_page(&state, &web, &ticket, Some(d), action == DoorAction::Out, None).await?.into_response()),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let msg = e.0.first().map(|x| web.lang.error(x.code, None));
            Ok(unprocessable(scan_page(&state, &web, &ticket, None, false, msg).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub f: Figures,
    pub chart: ScriptJson,
}

impl FiguresPage {
    pub fn kind_label(&self, code: &str) -> String {
        self.ctx.label("act_kind", code)
    }
    /// Party-building activities among the year's.
    pub fn party_count(&self) -> i64 {
        self.f
            .by_kind
            .iter()
            .filter(|l| ActivityKind::parse(&l.key).is_some_and(ActivityKind::is_party))
            .map(|l| l.activities)
            .sum()
    }
}

pub async fn figures(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<YearQuery>,
) -> Result<FiguresPage, WebError> {
    let year = filter::report_year(&q.year)?;
    let f = state.store.activity_figures(web.actor(), year).await?;
    let lang = web.lang;
    let tree = state.store.regions().await?;
    let town_id = |name: &str| tree.towns().into_iter().find(|t| t.name == name).map(|t| t.id);
    let json = |items: Vec<serde_json::Value>| serde_json::Value::Array(items);
    let kind = json(
        f.by_kind
            .iter()
            .map(|l| {
                serde_json::json!({ "name": lang.label("act_kind", &l.key), "value": l.activities,
                "href": format!("/activities?year={year}&kind={}", l.key) })
            })
            .collect(),
    );
    let month = json(
        f.by_month
            .iter()
            .map(|l| {
                let m = format!("{year}-{:02}", l.key.parse::<u32>().unwrap_or(1));
                serde_json::json!({ "name": m, "value": l.attended, "href": format!("/activities?month={m}") })
            })
            .collect(),
    );
    let town = json(
        f.by_town
            .iter()
            .map(|l| {
                let href = town_id(&l.key).map(|t| format!("/activities?year={year}&town={t}")).unwrap_or_default();
                serde_json::json!({ "name": l.key, "value": l.attended, "href": href })
            })
            .collect(),
    );
    let chart = serde_json::json!({ "kind": kind, "month": month, "town": town });
    Ok(FiguresPage { ctx: web.ctx(), year, f, chart: ScriptJson::new(&chart) })
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/party.html")]
pub struct PartyPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub rows: Vec<(ActivityRow, Vec<String>)>,
    pub people: usize,
}

/// 党建活动: the year's party-building activities and who took part.
pub async fn party(State(state): State<AppState>, web: Web, Query(q): Query<YearQuery>) -> Result<PartyPage, WebError> {
    let year = filter::report_year(&q.year)?;
    let rows = state.store.party_activities(web.actor(), year).await?;
    let people = rows.iter().map(|(_, n)| n.len()).sum();
    Ok(PartyPage { ctx: web.ctx(), year, rows, people })
}
