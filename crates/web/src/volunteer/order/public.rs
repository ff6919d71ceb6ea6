//! The public, phone-first pages of a service order: the menu and the order form (`/order`),
//! and the orderer's own page behind their ticket (`/order/t/<ticket>`) with the order's
//! progress, where they rate it once it is done or cancel it while no team has accepted it.
//! Forms carry the public CSRF token; placing an order is limited per address like the
//! suggestion form.

use crate::AppState;
use crate::auth::{Caller, client_ip};
use crate::error::WebError;
use crate::form::{Form, Query};
use crate::i18n::Lang;
use crate::public::{HumanCheck, Question, base_url, csrf_ok, public_csrf, with_csrf_cookie};
use crate::view::{PageCtx, see_other};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::activity::ActivityKind;
use kexie_core::privacy::consented;
use kexie_core::volunteer::order::{MAX_AHEAD_DAYS, Move, OrderForm, OrdererKind, RateForm, Status};
use kexie_core::volunteer::project::KINDS;
use kexie_store::volunteer::order::{MenuItem, OrderView};
use std::net::SocketAddr;

fn today() -> chrono::NaiveDate {
    kexie_core::estation::proof::day_of(chrono::Utc::now())
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/order_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub question: Question,
    pub f: OrderForm,
    pub errors: Invalid,
    pub menu: Vec<MenuItem>,
    pub towns: Vec<(i64, String)>,
    pub kinds: [ActivityKind; 4],
    pub orderer_kinds: [OrdererKind; 2],
    pub min_date: String,
    pub max_date: String,
    /// The consent box as the person left it.
    pub consent: bool,
}

impl FormPage {
    /// The menu item the form was opened from, if any.
    pub fn picked(&self) -> Option<&MenuItem> {
        self.menu.iter().find(|m| m.id.to_string() == self.f.project_id)
    }
    /// The date field's bounds: from today to the furthest day a service may be ordered for.
    pub fn date_attrs(&self) -> String {
        format!("required min=\"{}\" max=\"{}\"", self.min_date, self.max_date)
    }
}

async fn form_page(
    state: &AppState,
    lang: Lang,
    csrf: String,
    f: OrderForm,
    errors: Invalid,
    consent: bool,
) -> Result<FormPage, WebError> {
    let today = today();
    let towns = crate::region::towns(&*state.store.regions().await?, &kexie_core::scope::Scope::All);
    Ok(FormPage {
        ctx: PageCtx::public(lang, &state.config, "/order"),
        csrf,
        question: state.challenges.question(lang),
        f,
        errors,
        menu: state.store.order_menu().await?,
        towns,
        kinds: KINDS,
        orderer_kinds: OrdererKind::ALL,
        min_date: today.to_string(),
        max_date: (today + chrono::Duration::days(MAX_AHEAD_DAYS)).to_string(),
        consent,
    })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct MenuQuery {
    /// The menu item chosen (`?project=3`): the form starts with its kind and title.
    #[serde(default)]
    pub project: String,
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<MenuQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let mut page = form_page(&state, lang, csrf, OrderForm::default(), Invalid::default(), false).await?;
    if let Some(m) = page.menu.iter().find(|m| m.id.to_string() == q.project.trim()) {
        page.f.project_id = m.id.to_string();
        page.f.kind = m.kind.code().to_string();
        page.f.topic = m.title.chars().take(80).collect();
    }
    Ok(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct OrderPost {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
    #[serde(flatten)]
    pub f: OrderForm,
    #[serde(flatten)]
    pub human: HumanCheck,
    /// The privacy notice's consent box: `yes` when ticked.
    #[serde(default)]
    pub consent: String,
}

/// Places an order and sends the orderer to their ticket page. The address's allowance is
/// taken first; every field's problem is shown at once and nothing is written.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    headers: HeaderMap,
    Form(post): Form<OrderPost>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let address = client_ip(&headers, Some(peer), state.config.trust_proxy);
    if let Err(wait) = state.order_limiter.check(&format!("order:{address}")) {
        tracing::info!(%address, "service order rate limited");
        return Err(WebError::RateLimited(wait.max(1)));
    }
    if !csrf_ok(&caller, &headers, &post.csrf) {
        return Err(WebError::Csrf);
    }
    let checked = consented(post.f.check(today()), &post.consent, chrono::Utc::now());
    let result = match state.challenges.checked(checked, &post.human) {
        Ok((input, consent)) => state.store.place_order(&input, &consent).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(o) => Ok(see_other(&format!("/order/t/{}?new=1", o.ticket))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let (csrf, new) = public_csrf(&caller, &headers);
            let page = form_page(&state, lang, csrf, post.f, errors, post.consent == "yes").await?;
            Ok(with_csrf_cookie(
                (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
                new,
                state.config.secure_cookies,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/order_ticket.html")]
pub struct TicketPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub ticket: String,
    pub v: OrderView,
    pub link: String,
    pub fresh: bool,
    pub f: RateForm,
    pub errors: Invalid,
}

impl TicketPage {
    pub fn tag(&self) -> &'static str {
        super::tag_of(self.v.row.status)
    }
    pub fn can_rate(&self) -> bool {
        Move::Rate.apply(self.v.row.status).is_ok()
    }
    pub fn can_cancel(&self) -> bool {
        Move::Cancel.apply(self.v.row.status).is_ok()
    }
    pub fn held(&self) -> bool {
        matches!(self.v.row.status, Status::Accepted | Status::Done | Status::Rated)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TicketQuery {
    #[serde(default)]
    pub new: Option<String>,
}

/// Tickets are `store::activity::random_key`s: 32 hex digits.
fn ticket_ok(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

#[allow(clippy::too_many_arguments)]
async fn ticket_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    csrf: String,
    ticket: &str,
    fresh: bool,
    f: RateForm,
    errors: Invalid,
) -> Result<TicketPage, WebError> {
    if !ticket_ok(ticket) {
        return Err(WebError::NotFound);
    }
    let v = state.store.order_by_ticket(ticket).await?;
    Ok(TicketPage {
        ctx: PageCtx::public(lang, &state.config, "/order"),
        csrf,
        link: format!("{}/order/t/{ticket}", base_url(&state.config, headers)),
        ticket: ticket.to_string(),
        v,
        fresh,
        f,
        errors,
    })
}

/// The ticket's address is its secret: never sent on as a referrer.
fn no_referrer(mut res: Response) -> Response {
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

pub async fn ticket(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(ticket): Path<String>,
    Query(q): Query<TicketQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page =
        ticket_page(&state, &headers, lang, csrf, &ticket, q.new.is_some(), RateForm::default(), Invalid::default())
            .await?;
    Ok(no_referrer(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies)))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RatePost {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
    #[serde(flatten)]
    pub f: RateForm,
}

/// The orderer's move by ticket: the page again with the outcome, or with the reason it was
/// refused (422, nothing written).
async fn after_move(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    ticket: &str,
    f: RateForm,
    result: Result<(), kexie_store::StoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/order/t/{ticket}"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            let (csrf, new) = public_csrf(caller, headers);
            let lang = Lang::from_headers(headers);
            let page = ticket_page(state, headers, lang, csrf, ticket, false, f, errors).await?;
            let res = (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
            Ok(no_referrer(with_csrf_cookie(res, new, state.config.secure_cookies)))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(ticket): Path<String>,
    Form(post): Form<RatePost>,
) -> Result<Response, WebError> {
    if !ticket_ok(&ticket) {
        return Err(WebError::NotFound);
    }
    if !csrf_ok(&caller, &headers, &post.csrf) {
        return Err(WebError::Csrf);
    }
    let result = match post.f.check() {
        Ok(r) => state.store.rate_order(&ticket, &r).await,
        Err(e) => Err(e.into()),
    };
    after_move(&state, &caller, &headers, &ticket, post.f, result).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct CancelPost {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(ticket): Path<String>,
    Form(post): Form<CancelPost>,
) -> Result<Response, WebError> {
    if !ticket_ok(&ticket) {
        return Err(WebError::NotFound);
    }
    if !csrf_ok(&caller, &headers, &post.csrf) {
        return Err(WebError::Csrf);
    }
    let result = state.store.cancel_order(&ticket).await;
    after_move(&state, &caller, &headers, &ticket, RateForm::default(), result).await
}
