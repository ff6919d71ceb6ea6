//! 找回报名凭证: a person whose phone is registered for an activity gets their ticket back
//! by a six-digit code sent to that phone (the rule is `core::activity::recovery`). Whether
//! the phone is registered is never told: a code is made either way, and the page says the
//! same thing; only a registered phone is sent one. Codes are limited per phone and per
//! address, and held in this process's memory (a restart asks for a new one).

use crate::AppState;
use crate::auth::limit::Limiter;
use crate::auth::{Caller, client_ip};
use crate::error::WebError;
use crate::form::Form;
use crate::i18n::Lang;
use crate::public::{csrf_ok, public_csrf, with_csrf_cookie};
use crate::view::{PageCtx, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kexie_core::Invalid;
use kexie_core::activity::recovery::{ATTEMPTS, CODE_MINUTES, Outcome, Pending, code_of, mobile};
use kexie_store::activity::ActivityRow;
use rand::RngCore;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

/// The codes waiting to be typed, by activity and phone, and how often they may be asked for.
pub struct Codes {
    pending: Mutex<HashMap<String, Pending>>,
    /// Codes one phone may be sent: a few at once, then five an hour.
    per_phone: Limiter,
    /// Codes one address may ask for, whatever the phones: a few at once, then twenty an hour.
    per_address: Limiter,
}

impl Default for Codes {
    fn default() -> Self {
        Self { pending: Mutex::default(), per_phone: Limiter::per_hour(3, 5), per_address: Limiter::per_hour(10, 20) }
    }
}

impl Codes {
    /// Makes a new code for `key`, replacing any earlier one, and returns it.
    fn issue(&self, key: &str) -> String {
        let code = code_of(rand::rng().next_u32());
        let now = Utc::now();
        let mut m = self.pending.lock().expect("codes lock");
        if m.len() > 10_000 {
            m.retain(|_, p| !p.is_over(now));
        }
        m.insert(key.to_string(), Pending::new(key, &code, now));
        code
    }

    /// Checks a typed code; a right one is used up.
    fn attempt(&self, key: &str, typed: &str) -> Outcome {
        let mut m = self.pending.lock().expect("codes lock");
        let Some(p) = m.get_mut(key) else { return Outcome::Expired };
        let outcome = p.attempt(key, typed, Utc::now());
        if outcome == Outcome::Right {
            m.remove(key);
        }
        outcome
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RecoverForm {
    #[serde(default)]
    pub _csrf: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/recover.html")]
pub struct RecoverPage {
    pub ctx: PageCtx,
    pub a: ActivityRow,
    pub csrf: String,
    pub phone: String,
    /// Set once a code was asked for: the page then asks for the code.
    pub sent_to: Option<String>,
    pub errors: Invalid,
}

fn path_id(id: &str) -> Result<i64, WebError> {
    id.parse().map_err(|_| WebError::NotFound)
}

async fn page(
    state: &AppState,
    lang: Lang,
    id: i64,
    csrf: String,
    phone: String,
    sent: bool,
    errors: Invalid,
) -> Result<RecoverPage, WebError> {
    let a = state.store.public_activity(id).await?;
    Ok(RecoverPage {
        ctx: PageCtx::public(lang, &state.config, &format!("/a/{id}")),
        a,
        csrf,
        sent_to: sent.then(|| kexie_core::person::mask_phone(&phone)),
        phone,
        errors,
    })
}

fn private(mut res: Response) -> Response {
    res.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let p = page(&state, lang, path_id(&id)?, csrf, String::new(), false, Invalid::default()).await?;
    Ok(with_csrf_cookie(p.into_response(), new, state.config.secure_cookies))
}

/// Asks for a code: limited per address and per phone, then the same page whether or not the
/// phone is registered; only a registered one is sent the code.
pub async fn send(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RecoverForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let id = path_id(&id)?;
    if !csrf_ok(&caller, &headers, &f._csrf) {
        return Err(WebError::Csrf);
    }
    let (csrf, _) = public_csrf(&caller, &headers);
    let phone = match mobile(&f.phone) {
        Ok(p) => p,
        Err(e) => return Ok(unprocessable(page(&state, lang, id, csrf, f.phone, false, e).await?)),
    };
    let address = client_ip(&headers, Some(peer), state.config.trust_proxy);
    let limited = |w: u64| WebError::RateLimited(w.max(1));
    state.recovery.per_address.check(&address).map_err(limited)?;
    state.recovery.per_phone.check(&phone).map_err(limited)?;
    let ticket = state.store.ticket_of_phone(id, &phone).await?;
    let code = state.recovery.issue(&format!("{id}:{phone}"));
    if ticket.is_some() {
        let body = lang.t_with(
            "recover.sms",
            &[("site", &state.config.site_name), ("code", &code), ("minutes", &CODE_MINUTES.to_string())],
        );
        state.config.sms_provider.send(&state.store, &phone, &body).await?;
    }
    Ok(private(page(&state, lang, id, csrf, phone, true, Invalid::default()).await?.into_response()))
}

/// Checks the typed code and, when it is right, sends the person to their ticket.
pub async fn check(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RecoverForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let id = path_id(&id)?;
    if !csrf_ok(&caller, &headers, &f._csrf) {
        return Err(WebError::Csrf);
    }
    let (csrf, _) = public_csrf(&caller, &headers);
    let phone = match mobile(&f.phone) {
        Ok(p) => p,
        Err(e) => return Ok(unprocessable(page(&state, lang, id, csrf, f.phone, false, e).await?)),
    };
    let outcome = state.recovery.attempt(&format!("{id}:{phone}"), &f.code);
    // A right code for a phone that is not registered cannot be told from a wrong one.
    let ticket = match outcome {
        Outcome::Right => state.store.ticket_of_phone(id, &phone).await?,
        _ => None,
    };
    if let Some(t) = ticket {
        return Ok(see_other(&format!("/a/t/{t}")));
    }
    let mut errors = Invalid::default();
    match outcome {
        Outcome::Wrong(left) if left > 0 => errors.push_arg("code", "code_wrong", left),
        // Only a guess is right for a phone that is not registered: answer as to a wrong one.
        Outcome::Right => errors.push_arg("code", "code_wrong", ATTEMPTS - 1),
        other => errors.push("code", other.error().unwrap_or("code_spent")),
    }
    Ok(private(unprocessable(page(&state, lang, id, csrf, phone, true, errors).await?)))
}
