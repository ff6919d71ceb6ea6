//! The staff pages: the volunteer list (search, filters, paging, Excel export and import), a
//! volunteer with their teams and ledger, hours entered by staff, verification; teams and a
//! team's year; the approvals queue (requests to join, self-logged hours); the yearly
//! exemplar ranking; and the ledger export for the national platforms.

use super::record_tag;
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query, filter};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::page::PageRequest;
use kexie_core::volunteer::ledger::{self, CommendationForm, HoursForm};
use kexie_core::volunteer::{SKILLS, Status, availability_label};
use kexie_store::entity::team_member;
use kexie_store::volunteer::{Exemplar, RecordRow, TeamRow, TeamYear, VolunteerFilter, VolunteerRow, VolunteerView};
use std::collections::HashSet;

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub skill: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<VolunteerFilter, WebError> {
        let skill = filter::code(&self.skill, |s| SKILLS.contains(&s).then(|| s.to_string()))?;
        Ok(VolunteerFilter {
            q: self.q.chars().take(50).collect(),
            status: filter::code(&self.status, Status::parse)?,
            town: filter::num(&self.town)?,
            team: filter::num(&self.team)?,
            skill: skill.unwrap_or_default(),
        })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("town", self.town.clone()),
            ("team", self.team.clone()),
            ("skill", self.skill.clone()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/list.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<VolunteerRow>,
    pub pager: Pager,
    pub towns: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub skills: [&'static str; 10],
    pub statuses: [Status; 3],
    pub imports: bool,
}

impl ListPage {
    pub fn stars(&self, n: &u8) -> String {
        super::stars(n)
    }
    pub fn hours(&self, m: &i64) -> String {
        super::hours(m)
    }
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let list = state.store.list_volunteers(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let tree = state.store.regions().await?;
    let page = ListPage {
        pager: Pager::new(&list, "/volunteers", &q.pairs()),
        towns: crate::region::towns(&tree, &actor.scope),
        teams: state.store.team_names(actor).await?,
        skills: SKILLS,
        statuses: Status::ALL,
        imports: actor.can(Area::Volunteer, Action::Import),
        ctx: web.ctx(),
        rows: list.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub const COLUMNS: [&str; 11] = [
    "编号",
    "姓名",
    "性别",
    "手机",
    "身份证号",
    "镇（街道）",
    "服务队",
    "技能",
    "可服务时间",
    "累计时长（小时）",
    "状态",
];

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let all = PageRequest { page: 1, per_page: 20_000 };
    let rows = state.store.list_volunteers(web.actor(), &q.filter()?, all).await?.items;
    let lang = crate::i18n::Lang::Zh;
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let teams: Vec<&str> = r
                .teams
                .iter()
                .filter(|t| t.status == kexie_core::volunteer::Membership::Approved)
                .map(|t| t.team.as_str())
                .collect();
            vec![
                r.v.id.to_string(),
                r.name.clone(),
                r.gender
                    .as_deref()
                    .and_then(kexie_core::person::Gender::parse)
                    .map(|g| g.label_zh())
                    .unwrap_or("")
                    .into(),
                r.phone.clone(),
                r.id_number.clone(),
                r.town.clone(),
                teams.join("、"),
                r.v.skills.replace(',', "、"),
                availability_label(&r.v.availability),
                ledger::hours_text(r.minutes),
                lang.label("vol_status", r.status.code()),
            ]
        })
        .collect();
    Ok(xlsx::download(xlsx::write_rows("志愿者", &COLUMNS, &out)?, "志愿者.xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub v: VolunteerView,
    pub reviews: bool,
    pub edits: bool,
    pub f: HoursForm,
    pub errors: Invalid,
    pub next: Option<String>,
    pub honour: CommendationForm,
    pub honour_errors: Invalid,
    /// The volunteer's teams whose page the viewer may open.
    pub open_teams: HashSet<i64>,
}

/// The teams among `ids` whose page this viewer would be let into; others show as names.
pub async fn openable_teams(state: &AppState, web: &Web, ids: &[i64]) -> Result<HashSet<i64>, WebError> {
    if !web.may("/volunteers/teams/0") {
        return Ok(HashSet::new());
    }
    Ok(state.store.openable_teams(web.actor(), ids).await?)
}

impl ShowPage {
    pub fn hours(&self, m: &i64) -> String {
        super::hours(m)
    }
    pub fn minutes(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
    pub fn stars(&self) -> String {
        super::stars(&self.v.row.stars)
    }
    pub fn tag(&self, r: &RecordRow) -> &'static str {
        record_tag(r.status)
    }
    pub fn availability(&self) -> String {
        availability_label(&self.v.row.v.availability)
    }
    pub fn hours_action(&self) -> String {
        format!("/volunteers/{}/hours", self.v.row.v.id)
    }
    pub fn hours_submit(&self) -> &'static str {
        "vol.enter_hours"
    }
    /// The teams hours may be booked to: the volunteer's own.
    pub fn hour_teams(&self) -> Vec<(i64, String)> {
        super::own_teams(&self.v)
    }
}

/// How far the next star is, as a sentence ("距 2★ 还差 12.5 小时").
pub fn next_star(ctx: &PageCtx, minutes: i64) -> Option<String> {
    ledger::next_star(minutes)
        .map(|(s, left)| ctx.lang.t_with("vol.to_next_star", &[("stars", &s.to_string()), ("hours", &ctx.hours(left))]))
}

async fn show_page(state: &AppState, web: &Web, id: i64, f: HoursForm, errors: Invalid) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let v = state.store.get_volunteer(actor, id).await?;
    Ok(ShowPage {
        open_teams: openable_teams(state, web, &v.row.teams.iter().map(|t| t.team_id).collect::<Vec<_>>()).await?,
        next: next_star(&web.ctx(), v.row.minutes),
        ctx: web.ctx(),
        reviews: actor.can(Area::Volunteer, Action::Review) && actor.role != kexie_core::account::Role::OrgAdmin,
        edits: actor.can(Area::Volunteer, Action::Edit),
        v,
        f,
        errors,
        honour: CommendationForm::default(),
        honour_errors: Invalid::default(),
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now());
    let f = HoursForm { served_on: today.to_string(), ..Default::default() };
    show_page(&state, &web, id, f, Invalid::default()).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
}

pub async fn set_status(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    let to = Status::parse(&f.status).ok_or(WebError::BadRequest("malformed_form"))?;
    state.store.set_volunteer_status(web.actor(), id, to).await?;
    Ok(see_other(&format!("/volunteers/{id}")))
}

/// Hours staff enter for a volunteer (approved as entered).
pub async fn enter_hours(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<HoursForm>,
) -> Result<Response, WebError> {
    let result = check_hours(&state, &f, id).await;
    let result = match result {
        Ok(h) => state.store.enter_hours(web.actor(), id, &h).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/volunteers/{id}#ledger"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(show_page(&state, &web, id, f, errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Records a commendation (表彰奖励) for the certificate.
pub async fn add_commendation(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<CommendationForm>,
) -> Result<Response, WebError> {
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now());
    let result = match f.check(today) {
        Ok(c) => state.store.add_commendation(web.actor(), id, &c).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/volunteers/{id}#honours"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let mut page = show_page(&state, &web, id, HoursForm::default(), Invalid::default()).await?;
            page.honour = f;
            page.honour_errors = errors;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The form's check against today and the volunteer's day (the store checks the day again
/// inside its transaction).
pub async fn check_hours(
    state: &AppState,
    f: &HoursForm,
    volunteer_id: i64,
) -> Result<ledger::HoursInput, kexie_store::StoreError> {
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now());
    let day = kexie_core::validate::parse_date(&f.served_on).filter(|d| *d <= today);
    let already = match day {
        Some(d) => state.store.volunteer_day_minutes(volunteer_id, d).await?,
        None => 0,
    };
    f.check(today, |_| already).map_err(Into::into)
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/teams.html")]
pub struct TeamsPage {
    pub ctx: PageCtx,
    pub teams: Vec<TeamRow>,
    pub year: i32,
}

pub async fn teams(State(state): State<AppState>, web: Web) -> Result<TeamsPage, WebError> {
    Ok(TeamsPage { ctx: web.ctx(), teams: state.store.list_teams(web.actor()).await?, year: this_year() })
}

fn this_year() -> i32 {
    chrono::Datelike::year(&kexie_core::estation::proof::day_of(chrono::Utc::now()))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub team: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/team_year.html")]
pub struct TeamYearPage {
    pub ctx: PageCtx,
    pub t: TeamYear,
}

impl TeamYearPage {
    pub fn hours(&self, m: &i64) -> String {
        super::hours(m)
    }
}

pub async fn team_year(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Query(q): Query<YearQuery>,
) -> Result<TeamYearPage, WebError> {
    let t = state.store.team_year(web.actor(), id, filter::report_year(&q.year)?).await?;
    Ok(TeamYearPage { ctx: web.ctx(), t })
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/approvals.html")]
pub struct ApprovalsPage {
    pub ctx: PageCtx,
    pub members: Vec<(team_member::Model, VolunteerRow)>,
    pub hours: Vec<RecordRow>,
    pub duplicates: Vec<kexie_store::volunteer::duplicate::DuplicateHint>,
    pub team_names: std::collections::HashMap<i64, String>,
}

impl ApprovalsPage {
    pub fn minutes(&self, m: &i32) -> String {
        super::hours(&i64::from(*m))
    }
    pub fn team(&self, id: &i64) -> String {
        self.team_names.get(id).cloned().unwrap_or_default()
    }
}

pub async fn approvals(State(state): State<AppState>, web: Web) -> Result<ApprovalsPage, WebError> {
    let actor = web.actor();
    let team_names = state.store.team_names(actor).await?.into_iter().collect();
    Ok(ApprovalsPage {
        ctx: web.ctx(),
        members: state.store.pending_members(actor).await?,
        hours: state.store.pending_hours(actor).await?,
        duplicates: state.store.possible_duplicates(actor).await?,
        team_names,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

impl DecideForm {
    fn approve(&self) -> Result<bool, WebError> {
        match self.decision.as_str() {
            "approve" => Ok(true),
            "reject" => Ok(false),
            _ => Err(WebError::BadRequest("malformed_form")),
        }
    }
}

pub async fn decide_member(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    state.store.decide_member(web.actor(), id, f.approve()?).await?;
    Ok(see_other("/volunteers/approvals"))
}

/// Merges a sign-up into the person on file it matched, or dismisses the hint.
pub async fn resolve_duplicate(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    let merge = match f.decision.as_str() {
        "merge" => true,
        "dismiss" => false,
        _ => return Err(WebError::BadRequest("malformed_form")),
    };
    state.store.resolve_duplicate(web.actor(), id, merge).await?;
    Ok(see_other("/volunteers/approvals"))
}

pub async fn decide_hours(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<DecideForm>,
) -> Result<Response, WebError> {
    let note = Some(f.note.trim().chars().take(200).collect::<String>()).filter(|n| !n.is_empty());
    state.store.decide_hours(web.actor(), id, f.approve()?, note).await?;
    Ok(see_other("/volunteers/approvals"))
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/exemplars.html")]
pub struct ExemplarsPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub people: Vec<Exemplar>,
    pub teams: Vec<Exemplar>,
    /// Teams by their average rating from service orders of the year.
    pub ratings: Vec<kexie_store::volunteer::order::TeamRating>,
    pub open_teams: HashSet<i64>,
}

impl ExemplarsPage {
    /// An average rating to one decimal.
    pub fn average(&self, a: &f64) -> String {
        format!("{a:.1}")
    }
    pub fn hours(&self, m: &i64) -> String {
        super::hours(m)
    }
}

/// 优秀科普志愿者 / 优秀志愿服务组织: the year's ranking from the ledger, each line one click
/// from its evidence (the volunteer's ledger, the team's year).
pub async fn exemplars(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<YearQuery>,
) -> Result<ExemplarsPage, WebError> {
    let year = filter::report_year(&q.year)?;
    let (people, teams) = state.store.exemplars(web.actor(), year, 30).await?;
    let ratings = state.store.team_ratings(web.actor(), year).await?;
    let open_teams = openable_teams(&state, &web, &teams.iter().map(|t| t.id).collect::<Vec<_>>()).await?;
    Ok(ExemplarsPage { ctx: web.ctx(), year, people, teams, ratings, open_teams })
}

/// The year's approved records in the national platforms' import layout.
pub async fn ledger_export(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let year = filter::report_year(&q.year)?;
    let lines = state.store.ledger_export(web.actor(), year, filter::num(&q.team)?).await?;
    let rows: Vec<Vec<String>> = lines.into_iter().map(|l| l.to_vec()).collect();
    let bytes = xlsx::write_rows("志愿服务记录", &ledger::EXPORT_COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("志愿服务时长导入{year}.xlsx")))
}
