//! The public, phone-first pages of an activity: what is coming up, registering, the
//! person's own ticket (a QR code staff scan at the door), and the door page that the
//! activity's own QR code opens, where people check themselves in and out with their phone
//! number. Forms carry the public CSRF token; registration is rate-limited per address and
//! the door per activity and phone (a venue's Wi-Fi puts a hall full of phones behind one
//! address, so the door may not be limited by address).

use crate::AppState;
use crate::auth::{Caller, client_ip};
use crate::error::WebError;
use crate::form::{Form, Query};
use crate::html::Markup;
use crate::i18n::Lang;
use crate::public::{HumanCheck, Question, base_url, csrf_ok, public_csrf, with_csrf_cookie};
use crate::view::{PageCtx, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::activity::Status;
use kexie_core::activity::attendance::RegistrationForm;
use kexie_core::privacy::consented;
use kexie_store::activity::{ActivityRow, DoorAction};
use kexie_store::entity::activity_registration;
use std::net::SocketAddr;

#[derive(Debug, Default, serde::Deserialize)]
pub struct PublicForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub _csrf: String,
    /// The activity's check-in key, from its QR code.
    #[serde(default)]
    pub k: String,
    /// `in` or `out` at the door.
    #[serde(default)]
    pub action: String,
    /// The privacy notice's consent box (registration): `yes` when ticked.
    #[serde(default)]
    pub consent: String,
    /// Registration asks the public forms' challenge (the door has the activity's key instead).
    #[serde(flatten)]
    pub human: HumanCheck,
}

impl PublicForm {
    fn registration(&self) -> RegistrationForm {
        RegistrationForm { name: self.name.clone(), phone: self.phone.clone() }
    }
}

fn too_many(wait: u64) -> WebError {
    WebError::RateLimited(wait.max(1))
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/public_list.html")]
pub struct PublicList {
    pub ctx: PageCtx,
    pub rows: Vec<ActivityRow>,
}

pub async fn upcoming(State(state): State<AppState>, headers: HeaderMap) -> Result<PublicList, WebError> {
    let lang = Lang::from_headers(&headers);
    Ok(PublicList { ctx: PageCtx::public(lang, &state.config, "/a"), rows: state.store.upcoming_activities(50).await? })
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/public_show.html")]
pub struct PublicShow {
    pub ctx: PageCtx,
    pub a: ActivityRow,
    pub csrf: String,
    pub question: Question,
    pub f: RegistrationForm,
    pub errors: Invalid,
    pub open: bool,
    pub seats_left: Option<i32>,
    /// The consent box as the person left it.
    pub consent: bool,
}

impl PublicShow {
    /// The phone is registered already: the page offers the ticket back.
    pub fn taken(&self) -> bool {
        self.errors.for_field("phone").is_some_and(|e| e.code == "already_registered")
    }
}

async fn show_page(
    state: &AppState,
    lang: Lang,
    id: i64,
    csrf: String,
    f: RegistrationForm,
    errors: Invalid,
    consent: bool,
) -> Result<PublicShow, WebError> {
    let a = state.store.public_activity(id).await?;
    let open = a.status == Status::Published && chrono::Utc::now() <= a.a.ends_at;
    Ok(PublicShow {
        ctx: PageCtx::public(lang, &state.config, &format!("/a/{id}")),
        seats_left: a.a.capacity.map(|c| (c - a.a.registered).max(0)),
        a,
        csrf,
        question: state.challenges.question(lang),
        f,
        errors,
        open,
        consent,
    })
}

fn path_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page =
        show_page(&state, lang, path_id(&id)?, csrf, RegistrationForm::default(), Invalid::default(), false).await?;
    Ok(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies))
}

/// Registers for an activity and sends the person to their ticket.
pub async fn register(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PublicForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let id = path_id(&id)?;
    let address = client_ip(&headers, Some(peer), state.config.trust_proxy);
    state.door_limiter.check(&format!("register:{address}")).map_err(too_many)?;
    if !csrf_ok(&caller, &headers, &f._csrf) {
        return Err(WebError::Csrf);
    }
    let (csrf, _) = public_csrf(&caller, &headers);
    let form = f.registration();
    let checked = consented(form.check(), &f.consent, chrono::Utc::now());
    let result = match state.challenges.checked(checked, &f.human) {
        Ok((who, consent)) => state.store.register_for_activity(id, &who, &consent).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("/a/t/{}", r.ticket))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let ticked = f.consent == "yes";
            Ok(unprocessable(show_page(&state, lang, id, csrf, form, errors, ticked).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/ticket.html")]
pub struct TicketPage {
    pub ctx: PageCtx,
    pub r: activity_registration::Model,
    pub a: ActivityRow,
    pub qr: Markup,
}

/// The person's own page: their code for staff to scan, and where they stand.
pub async fn ticket(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(ticket): Path<String>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (mut r, a) = state.store.registration_by_ticket(&ticket).await?;
    r.phone = kexie_core::person::mask_phone(&r.phone);
    let url = format!("{}/activities/scan/{}", base_url(&state.config, &headers), r.ticket);
    let page = TicketPage { ctx: PageCtx::public(lang, &state.config, "/a"), qr: Markup::qr(&url, 240), r, a };
    let mut res = page.into_response();
    // The ticket's address is its secret: never send it on as a referrer.
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/door.html")]
pub struct DoorPage {
    pub ctx: PageCtx,
    pub a: ActivityRow,
    pub key: String,
    pub csrf: String,
    pub f: RegistrationForm,
    pub errors: Invalid,
    /// The sentence after a successful check-in or check-out.
    pub done: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct DoorQuery {
    #[serde(default)]
    pub k: String,
}

/// The door page with an empty form; callers fill in what the person sent and the outcome.
async fn door_page(state: &AppState, lang: Lang, id: i64, key: &str, csrf: String) -> Result<DoorPage, WebError> {
    // A page without the activity's key is not its door (the key is in its QR code).
    let a = state.store.door_activity(id, key).await?;
    Ok(DoorPage {
        ctx: PageCtx::public(lang, &state.config, &format!("/a/{id}/door")),
        a,
        key: key.to_string(),
        csrf,
        f: RegistrationForm::default(),
        errors: Invalid::default(),
        done: None,
    })
}

pub async fn door(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<DoorQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page = door_page(&state, lang, path_id(&id)?, &q.k, csrf).await?;
    let mut res = with_csrf_cookie(page.into_response(), new, state.config.secure_cookies);
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(res)
}

/// Checks a person in or out. Every outcome is a page that says what happened; a refusal
/// (already in, not yet in, closed) is a 422 with the reason, and nothing is written.
pub async fn door_post(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<PublicForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let id = path_id(&id)?;
    if !csrf_ok(&caller, &headers, &f._csrf) {
        return Err(WebError::Csrf);
    }
    let action = match f.action.as_str() {
        "in" => DoorAction::In,
        "out" => DoorAction::Out,
        _ => return Err(WebError::BadRequest("malformed_form")),
    };
    let (csrf, _) = public_csrf(&caller, &headers);
    let form = f.registration();
    let result = match form.check() {
        Ok(who) => {
            state.door_limiter.check(&format!("door:{id}:{}", who.phone)).map_err(too_many)?;
            state.store.door_by_phone(id, &f.k, &who, action).await
        }
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(d) => {
            let key = if action == DoorAction::In { "act.checked_in" } else { "act.checked_out" };
            let mut done =
                lang.t_with(key, &[("name", &d.name), ("time", &PageCtx::anonymous(lang, "", "").time(&d.at))]);
            if let Some(m) = d.minutes {
                done.push(' ');
                done.push_str(&lang.t_with(
                    "act.hours_recorded",
                    &[("hours", &kexie_core::volunteer::ledger::hours_text(i64::from(m)))],
                ));
            }
            let page = DoorPage { f: form, done: Some(done), ..door_page(&state, lang, id, &f.k, csrf).await? };
            Ok(page.into_response())
        }
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(DoorPage { f: form, errors, ..door_page(&state, lang, id, &f.k, csrf).await? }))
        }
        Err(e) => Err(e.into()),
    }
}
