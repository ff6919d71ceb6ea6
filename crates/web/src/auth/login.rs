//! Signing in and out, and choosing the language.

use super::{Caller, SESSION_COOKIE, client_ip, constant_eq, cookie, password, random_token, set_cookie, sha256_hex};
use crate::AppState;
use crate::error::WebError;
use crate::form::Form;
use crate::i18n::{self, Lang};
use crate::view::{LoginPage, PageCtx, local_target};
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use kexie_core::account::lockout;
use kexie_store::account::LoginCheck;
use std::net::SocketAddr;

/// Before there is a session, the login form is protected by a double-submit token: a
/// SameSite=Strict cookie that a foreign page can neither read nor send.
const LOGIN_CSRF_COOKIE: &str = "kexie_login_csrf";

#[derive(serde::Deserialize, Default)]
pub struct LoginQuery {
    pub next: Option<String>,
    pub reason: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub next: String,
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
}

fn login_page(
    state: &AppState,
    lang: Lang,
    username: &str,
    next: &str,
    notice: Option<String>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let token = random_token(24);
    let ctx = PageCtx::public(lang, &state.config, "/login");
    let page =
        LoginPage { ctx, csrf: token.clone(), username: username.to_string(), next: next.to_string(), notice, error };
    let mut res = (status, page).into_response();
    let c = set_cookie(LOGIN_CSRF_COOKIE, &token, Some(3600), state.config.secure_cookies, "Strict");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ascii"));
    res
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<LoginQuery>,
) -> Response {
    let lang = Lang::from_headers(&headers);
    let next = local_target(q.next.as_deref().unwrap_or("/"));
    if caller.actor().is_some() {
        return Redirect::to(&next).into_response();
    }
    let notice = q
        .reason
        .as_deref()
        .filter(|r| matches!(*r, "session_expired" | "login_required" | "logged_out" | "joined"))
        .map(|r| lang.t(&format!("login.reason_{r}")));
    login_page(&state, lang, "", &next, notice, None, StatusCode::OK)
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let ip = client_ip(&headers, Some(peer), state.config.trust_proxy);
    let next = local_target(&f.next);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_eq(expected.as_bytes(), f.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    if let Err(wait) = state.limiter.check(&format!("login:{ip}")) {
        return Err(WebError::RateLimited(wait));
    }
    let fail =
        |msg: String| Ok(login_page(&state, lang, &f.username, &next, None, Some(msg), StatusCode::UNAUTHORIZED));
    // Failures are counted by the name as typed (normalised), whether or not it is an account,
    // so a lock answers the same for every name.
    let name = kexie_core::account::normalise_username(&f.username).unwrap_or_else(|| f.username.trim().to_lowercase());
    let now = chrono::Utc::now().timestamp();
    let locked = |until: i64| fail(lang.error("account_locked", Some(&lockout::minutes_left(until, now).to_string())));
    if let Err(until) = state.login_guard.check(&name, &ip, now) {
        return locked(until);
    }
    // Ok: the account whose password was right; Err: the account, if any, that was tried.
    let verified = match state.store.login_check(&f.username).await? {
        LoginCheck::Unknown => {
            // Spend the same time as a real check so that timing does not reveal usernames.
            let _ = password::verify(&f.password, DUMMY_HASH).await;
            Err(None)
        }
        LoginCheck::Candidate(a) if password::verify(&f.password, &a.password_hash).await => Ok(a),
        LoginCheck::Candidate(a) => Err(Some(a)),
    };
    let account = match verified {
        Ok(a) => a,
        Err(known) => {
            let lock = state.login_guard.fail(&name, &ip, now);
            if let Some(a) = known {
                state.store.login_failed(&a, &ip, lock.and_then(|t| chrono::DateTime::from_timestamp(t, 0))).await?;
            }
            return match lock {
                Some(until) => locked(until),
                None => fail(lang.error("bad_credentials", None)),
            };
        }
    };
    state.login_guard.succeeded(&name, &ip);
    let token = random_token(32);
    let csrf = random_token(24);
    state.store.login_succeeded(&account, &sha256_hex(&token), &csrf, &ip).await?;
    let mut res = Redirect::to(&next).into_response();
    let c = set_cookie(SESSION_COOKIE, &token, None, state.config.secure_cookies, "Lax");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ascii"));
    let clear = set_cookie(LOGIN_CSRF_COOKIE, "", Some(0), state.config.secure_cookies, "Strict");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&clear).expect("cookie is ascii"));
    Ok(res)
}

/// A valid argon2 hash of a random string, verified against for unknown usernames.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1vVdpvQ2gXNHD0yV5n1hbWexRHA9VH1uwS/aYEH5uaA";

pub async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, WebError> {
    if let Caller::Browser(s) = &caller {
        state.store.logout(&s.actor, &s.session_hash).await?;
    }
    let mut res = Redirect::to("/login?reason=logged_out").into_response();
    let c = set_cookie(SESSION_COOKIE, "", Some(0), state.config.secure_cookies, "Lax");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ascii"));
    Ok(res)
}

#[derive(serde::Deserialize)]
pub struct LangQuery {
    pub to: String,
    pub back: Option<String>,
}

pub async fn switch_lang(State(state): State<AppState>, Query(q): Query<LangQuery>) -> Result<Response, WebError> {
    let lang = Lang::parse(&q.to).ok_or(WebError::BadRequest("unknown_language"))?;
    let mut res = Redirect::to(&local_target(q.back.as_deref().unwrap_or("/"))).into_response();
    let c = set_cookie(i18n::COOKIE, lang.code(), Some(365 * 24 * 3600), state.config.secure_cookies, "Lax");
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&c).expect("cookie is ascii"));
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(local_target("/orgs?page=2"), "/orgs?page=2");
        assert_eq!(local_target("//evil.example/x"), "/");
        assert_eq!(local_target("https://evil.example"), "/");
        assert_eq!(local_target("/\\evil"), "/");
        assert_eq!(local_target("/\t/evil.example"), "/");
        assert_eq!(local_target("/\n/evil.example"), "/");
        assert_eq!(local_target("/ /evil.example"), "/");
        assert_eq!(local_target("/\u{7f}x"), "/");
        assert_eq!(local_target("/search?q=农业"), "/search?q=%E5%86%9C%E4%B8%9A");
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_hash() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!password::verify("anything", DUMMY_HASH).await);
    }
}
