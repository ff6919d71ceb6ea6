//! The volunteer's own pages: signing up on a phone (public), and, once logged in, their
//! star level and hours, logging hours for approval, the teams they are in or asked to join,
//! their skills and availability, and their certificate.

use crate::AppState;
use crate::auth::{Caller, client_ip};
use crate::error::WebError;
use crate::form::{Form, Pairs};
use crate::i18n::Lang;
use crate::public::{csrf_ok, public_csrf, with_csrf_cookie};
use crate::view::{PageCtx, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::privacy::consented;
use kexie_core::volunteer::ledger::HoursForm;
use kexie_core::volunteer::{AVAILABILITY, JoinForm, MAX_TEAMS, ProfileForm, SKILLS, availability_of, skills_of};
use kexie_store::volunteer::{RecordRow, TeamRow, VolunteerView};
use std::net::SocketAddr;

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/join.html")]
pub struct JoinPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub f: JoinForm,
    pub errors: Invalid,
    pub towns: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub skills: [&'static str; 10],
    pub availability: [(&'static str, &'static str); 4],
    /// The consent box as the person left it.
    pub consent: bool,
}

impl JoinPage {
    pub fn has_skill(&self, s: &&str) -> bool {
        self.f.skills.iter().any(|x| x == s)
    }
    pub fn has_time(&self, c: &&str) -> bool {
        self.f.availability.iter().any(|x| x == c)
    }
}

async fn join_page(
    state: &AppState,
    lang: Lang,
    csrf: String,
    f: JoinForm,
    errors: Invalid,
    consent: bool,
) -> Result<JoinPage, WebError> {
    let tree = state.store.regions().await?;
    Ok(JoinPage {
        ctx: PageCtx::public(lang, &state.config, "/join"),
        csrf,
        f,
        errors,
        towns: crate::region::towns(&tree, &kexie_core::scope::Scope::All),
        teams: state.store.team_choices().await?,
        skills: SKILLS,
        availability: AVAILABILITY,
        consent,
    })
}

pub async fn join_form(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page = join_page(&state, lang, csrf, JoinForm::default(), Invalid::default(), false).await?;
    Ok(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies))
}

/// Signs a volunteer up: checked in full before anything is written, then person, volunteer,
/// account and team request in one transaction; they go on to log in.
pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    headers: HeaderMap,
    p: Pairs,
) -> Result<Response, WebError> {
    let mut f = JoinForm {
        name: p.one("name"),
        gender: p.one("gender"),
        phone: p.one("phone"),
        id_number: p.one("id_number"),
        region_id: p.one("region_id"),
        skills: p.all("skills"),
        availability: p.all("availability"),
        team_id: p.one("team_id"),
        password: p.one("password"),
        csrf: p.one("_csrf"),
    };
    let lang = Lang::from_headers(&headers);
    let address = client_ip(&headers, Some(peer), state.config.trust_proxy);
    state.door_limiter.check(&format!("join:{address}")).map_err(|w| WebError::RateLimited(w.max(1)))?;
    if !csrf_ok(&caller, &headers, &f.csrf) {
        return Err(WebError::Csrf);
    }
    let (csrf, _) = public_csrf(&caller, &headers);
    let ticked = p.one("consent");
    let result = match consented(f.check(), &ticked, chrono::Utc::now()) {
        Ok((j, consent)) => {
            let hash = crate::auth::password::hash(&f.password).await?;
            state.store.join_as_volunteer(&j, &hash, &consent).await
        }
        Err(e) => Err(e.into()),
    };
    f.password.clear();
    match result {
        Ok(_) => Ok(see_other("/login?reason=joined&next=%2Fme%2Fvolunteer")),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let page = join_page(&state, lang, csrf, f, errors, ticked == "yes").await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/me.html")]
pub struct MePage {
    pub ctx: PageCtx,
    pub v: VolunteerView,
    pub f: HoursForm,
    pub errors: Invalid,
    pub teams: Vec<TeamRow>,
    pub next: Option<String>,
    pub skills: [&'static str; 10],
    pub availability: [(&'static str, &'static str); 4],
    pub max_teams: usize,
}

impl MePage {
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
        super::record_tag(r.status)
    }
    pub fn has_skill(&self, s: &&str) -> bool {
        self.v.row.v.skills.split(',').any(|x| x == *s)
    }
    pub fn has_time(&self, c: &&str) -> bool {
        self.v.row.v.availability.split(',').any(|x| x == *c)
    }
    /// Teams the volunteer may still ask to join.
    pub fn joinable(&self) -> Vec<&TeamRow> {
        self.teams
            .iter()
            .filter(|t| !self.v.row.teams.iter().any(|p| p.team_id == t.id && p.status.holds_a_place()))
            .collect()
    }
    pub fn hours_action(&self) -> &'static str {
        "/me/volunteer/hours"
    }
    pub fn hours_submit(&self) -> &'static str {
        "vol.log_hours"
    }
    pub fn hour_teams(&self) -> Vec<(i64, String)> {
        super::own_teams(&self.v)
    }
    pub fn places_held(&self) -> usize {
        self.v.row.teams.iter().filter(|p| p.status.holds_a_place()).count()
    }
}

async fn me_page(state: &AppState, web: &Web, f: HoursForm, errors: Invalid) -> Result<MePage, WebError> {
    let v = state.store.my_volunteer(web.actor()).await?;
    Ok(MePage {
        ctx: web.ctx(),
        teams: state.store.list_teams(web.actor()).await?,
        next: super::staff::next_star(&web.ctx(), v.row.minutes),
        v,
        f,
        errors,
        skills: SKILLS,
        availability: AVAILABILITY,
        max_teams: MAX_TEAMS,
    })
}

fn today_form() -> HoursForm {
    HoursForm { served_on: kexie_core::estation::proof::day_of(chrono::Utc::now()).to_string(), ..Default::default() }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/not_volunteer.html")]
pub struct NotVolunteerPage {
    pub ctx: PageCtx,
}

/// What an account that is not a volunteer's sees where a volunteer's own page would be.
pub fn not_volunteer(web: &Web) -> Response {
    NotVolunteerPage { ctx: web.ctx() }.into_response()
}

pub async fn show(State(state): State<AppState>, web: Web) -> Result<Response, WebError> {
    match me_page(&state, &web, today_form(), Invalid::default()).await {
        Ok(p) => Ok(p.into_response()),
        Err(WebError::NotFound) => Ok(not_volunteer(&web)),
        Err(e) => Err(e),
    }
}

/// Hours the volunteer logs for approval: never in the future, never over 24 h a day.
pub async fn log_hours(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<HoursForm>,
) -> Result<Response, WebError> {
    let me = state.store.my_volunteer(web.actor()).await?;
    let result = match super::staff::check_hours(&state, &f, me.row.v.id).await {
        Ok(h) => state.store.log_own_hours(web.actor(), &h).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/me/volunteer#ledger")),
        Err(kexie_store::StoreError::Invalid(errors)) => Ok(unprocessable(me_page(&state, &web, f, errors).await?)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TeamForm {
    #[serde(default)]
    pub team_id: String,
}

pub async fn request_team(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<TeamForm>,
) -> Result<Response, WebError> {
    let team = f.team_id.trim().parse::<i64>().map_err(|_| WebError::BadRequest("malformed_form"))?;
    match state.store.request_team(web.actor(), team).await {
        Ok(()) => Ok(see_other("/me/volunteer#teams")),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(me_page(&state, &web, today_form(), errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn leave_team(
    State(state): State<AppState>,
    web: Web,
    crate::form::Id(id): crate::form::Id,
) -> Result<Response, WebError> {
    state.store.leave_team(web.actor(), id).await?;
    Ok(see_other("/me/volunteer#teams"))
}

pub async fn profile(State(state): State<AppState>, web: Web, p: Pairs) -> Result<Response, WebError> {
    let f = ProfileForm { skills: p.all("skills"), availability: p.all("availability") };
    let me = state.store.my_volunteer(web.actor()).await?;
    let mut e = Invalid::default();
    let skills = skills_of(&mut e, &f.skills);
    let availability = availability_of(&mut e, &f.availability);
    if availability.is_empty() {
        e.push("availability", "required");
    }
    if !e.is_empty() {
        return Ok(unprocessable(me_page(&state, &web, today_form(), e).await?));
    }
    state.store.set_volunteer_profile(web.actor(), me.row.v.id, &skills, &availability).await?;
    Ok(see_other("/me/volunteer#profile"))
}
