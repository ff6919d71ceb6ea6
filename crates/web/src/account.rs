//! Accounts (system admin), the caller's own profile, password and API tokens.

use crate::AppState;
use crate::auth::{password, random_token, sha256_hex};
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Role, password as policy};
use kexie_core::page::PageRequest;
use kexie_store::account::{AccountInput, AccountView};
use kexie_store::entity::api_token;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    pub page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<AccountView>,
    pub pager: Pager,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<ListPage, WebError> {
    let page = state.store.list_accounts(web.actor(), &q.q, PageRequest::new(q.page, None)).await?;
    Ok(ListPage { pager: Pager::new(&page, "/accounts", &[("q", q.q.clone())]), ctx: web.ctx(), rows: page.items, q })
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct AccountFields {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub person_id: String,
    #[serde(default)]
    pub scope_region_id: String,
    #[serde(default)]
    pub scope_org_code: String,
    #[serde(default)]
    pub disabled: Option<String>,
    #[serde(default)]
    pub password: String,
}

impl AccountFields {
    async fn input(&self, state: &AppState) -> Result<AccountInput, WebError> {
        let mut e = Invalid::default();
        let scope_org_id = crate::org::code_ref(state, &mut e, "scope_org_code", &self.scope_org_code).await?;
        let person_id = match self.person_id.trim() {
            "" => None,
            p => p.parse().ok().or_else(|| {
                e.push("person_id", "unknown_person");
                None
            }),
        };
        e.into_result(AccountInput {
            username: self.username.clone(),
            role: self.role.clone(),
            person_id,
            scope_region_id: self.scope_region_id.parse().ok(),
            scope_org_id,
            disabled: self.disabled.is_some(),
        })
        .map_err(WebError::Invalid)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: AccountFields,
    pub errors: Invalid,
    pub roles: Vec<(&'static str, String)>,
    pub regions: Vec<(i64, String, bool)>,
    pub tokens: Vec<api_token::Model>,
    pub locked: bool,
    pub notice: Option<String>,
}

async fn form_page(
    state: &AppState,
    web: &Web,
    id: Option<i64>,
    f: AccountFields,
    errors: Invalid,
) -> Result<FormPage, WebError> {
    let tree = state.store.regions().await?;
    let (tokens, locked) = match id {
        Some(i) => (
            state.store.tokens(i).await?,
            state.store.account(i).await?.locked_until.is_some_and(|t| t > chrono::Utc::now()),
        ),
        None => (Vec::new(), false),
    };
    // The store names the scope by id; the form shows it as a code.
    let errors = Invalid(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                if e.field == "scope_org_id" {
                    e.field = "scope_org_code";
                }
                e
            })
            .collect(),
    );
    Ok(FormPage {
        roles: Role::ALL.into_iter().map(|r| (r.code(), web.lang.label("role", r.code()))).collect(),
        regions: crate::org::region_options(&tree, web.actor(), false),
        ctx: web.ctx(),
        id,
        f,
        errors,
        tokens,
        locked,
        notice: None,
    })
}

pub async fn new(State(state): State<AppState>, web: Web) -> Result<FormPage, WebError> {
    form_page(
        &state,
        &web,
        None,
        AccountFields { role: "town_officer".into(), ..Default::default() },
        Invalid::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<AccountFields>,
) -> Result<Response, WebError> {
    let (input, mut errors) = match f.input(&state).await {
        Ok(i) => (Some(i), Invalid::default()),
        Err(WebError::Invalid(e)) => (None, e),
        Err(e) => return Err(e),
    };
    if let Err(code) = policy::check(&f.password, &f.username) {
        errors.push("password", code);
    }
    if let (Some(input), true) = (input, errors.is_empty()) {
        let hash = password::hash(&f.password).await?;
        match state.store.create_account(web.actor(), &input, &hash).await {
            Ok(_) => return Ok(see_other("/accounts")),
            Err(kexie_store::StoreError::Invalid(e)) => errors = e,
            Err(e) => return Err(e.into()),
        }
    }
    let f = AccountFields { password: String::new(), ..f };
    Ok(unprocessable(form_page(&state, &web, None, f, errors).await?))
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let a = state.store.account(id).await?;
    let f = AccountFields {
        username: a.username.clone(),
        role: a.role.clone(),
        person_id: a.person_id.map(|p| p.to_string()).unwrap_or_default(),
        scope_region_id: a.scope_region_id.map(|p| p.to_string()).unwrap_or_default(),
        scope_org_code: state.store.org_code(a.scope_org_id).await?,
        disabled: a.disabled.then(|| "on".to_string()),
        password: String::new(),
    };
    form_page(&state, &web, Some(id), f, Invalid::default()).await
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AccountFields>,
) -> Result<Response, WebError> {
    let result = match f.input(&state).await {
        Ok(input) => state.store.update_account(web.actor(), id, &input).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(see_other("/accounts")),
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&state, &web, Some(id), f, e).await?)),
        Err(e) => Err(e),
    }
}

pub async fn unlock(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.unlock_account(web.actor(), id).await?;
    state.login_guard.clear(&state.store.account(id).await?.username);
    Ok(see_other(&format!("/accounts/{id}")))
}

#[derive(serde::Deserialize)]
pub struct NewPassword {
    #[serde(default)]
    pub password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<NewPassword>,
) -> Result<Response, WebError> {
    let a = state.store.account(id).await?;
    if let Err(code) = policy::check(&f.password, &a.username) {
        let mut page = form_page(
            &state,
            &web,
            Some(id),
            AccountFields { username: a.username, role: a.role, ..Default::default() },
            Invalid::one("password", code),
        )
        .await?;
        page.notice = None;
        return Ok(unprocessable(page));
    }
    let hash = password::hash(&f.password).await?;
    state.store.set_password(web.actor(), id, &hash, None).await?;
    state.login_guard.clear(&a.username);
    Ok(see_other(&format!("/accounts/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "me.html")]
pub struct MePage {
    pub ctx: PageCtx,
    pub account: AccountView,
    pub person_name: String,
    pub tokens: Vec<api_token::Model>,
    /// A token just created, shown once.
    pub new_token: Option<String>,
    pub errors: Invalid,
    pub notice: Option<String>,
}

async fn me_page(state: &AppState, web: &Web) -> Result<MePage, WebError> {
    let id = web.actor().account_id.ok_or(WebError::Forbidden)?;
    let account = state.store.account_view(state.store.account(id).await?).await?;
    let person_name = match web.actor().person_id {
        Some(p) => state
            .store
            .get_person(&kexie_core::account::Actor::system("me"), p)
            .await
            .map(|v| v.person.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok(MePage {
        ctx: web.ctx(),
        account,
        person_name,
        tokens: state.store.tokens(id).await?,
        new_token: None,
        errors: Invalid::default(),
        notice: None,
    })
}

pub async fn me(State(state): State<AppState>, web: Web) -> Result<MePage, WebError> {
    me_page(&state, &web).await
}

#[derive(serde::Deserialize)]
pub struct ChangePassword {
    #[serde(default)]
    pub current: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<ChangePassword>,
) -> Result<Response, WebError> {
    let id = web.actor().account_id.ok_or(WebError::Forbidden)?;
    let a = state.store.account(id).await?;
    let mut e = Invalid::default();
    if !password::verify(&f.current, &a.password_hash).await {
        e.push("current", "bad_current_password");
    }
    if let Err(code) = policy::check(&f.password, &a.username) {
        e.push("password", code);
    } else if f.password != f.confirm {
        e.push("confirm", "passwords_differ");
    }
    let mut page = me_page(&state, &web).await?;
    if !e.is_empty() {
        page.errors = e;
        return Ok(unprocessable(page));
    }
    let hash = password::hash(&f.password).await?;
    state.store.set_password(web.actor(), id, &hash, Some(&web.session.session_hash)).await?;
    page.notice = Some(web.lang.t("me.password_changed"));
    Ok(page.into_response())
}

#[derive(serde::Deserialize)]
pub struct NewToken {
    #[serde(default)]
    pub name: String,
}

/// Token format: `kx_` + 32 random bytes; the first 10 characters identify it in lists.
pub fn new_token() -> (String, String) {
    let token = format!("kx_{}", random_token(32));
    let prefix = token.chars().take(10).collect();
    (token, prefix)
}

pub async fn create_token(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<NewToken>,
) -> Result<Response, WebError> {
    let id = web.actor().account_id.ok_or(WebError::Forbidden)?;
    let (token, prefix) = new_token();
    match state.store.create_token(web.actor(), id, &f.name, &sha256_hex(&token), &prefix).await {
        Ok(_) => {
            let mut page = me_page(&state, &web).await?;
            page.new_token = Some(token);
            Ok(page.into_response())
        }
        Err(kexie_store::StoreError::Invalid(e)) => {
            let mut page = me_page(&state, &web).await?;
            page.errors = e;
            Ok(unprocessable(page))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke_token(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    state.store.revoke_token(web.actor(), id).await?;
    Ok(see_other("/me#tokens"))
}
