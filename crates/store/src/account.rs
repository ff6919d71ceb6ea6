//! Accounts, browser sessions and API tokens. Passwords arrive here already hashed (argon2
//! runs in the web layer, off the async threads); tokens and session ids only as sha256.

use crate::entity::{account, api_token, session};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area, Role, ScopeKind, normalise_username};
use kexie_core::page::{Page, PageRequest};
use kexie_core::scope::Scope;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Serialize;

/// An account without its password hash, for pages and the API.
#[derive(Debug, Clone, Serialize)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub person_id: Option<i64>,
    pub scope_region_id: Option<i64>,
    pub scope_org_id: Option<i64>,
    pub scope_name: String,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_login_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default)]
pub struct AccountInput {
    pub username: String,
    pub role: String,
    pub person_id: Option<i64>,
    pub scope_region_id: Option<i64>,
    pub scope_org_id: Option<i64>,
    pub disabled: bool,
}

/// An account as it is written: a role and the scope its kind takes (the other scope is
/// dropped), with a password hash given beside it.
pub(crate) struct NewAccount {
    pub username: String,
    pub person_id: Option<i64>,
    pub role: Role,
    pub scope_region_id: Option<i64>,
    pub scope_org_id: Option<i64>,
    pub disabled: bool,
}

/// Inserts an account in the caller's transaction (the caller audits it).
pub(crate) async fn insert_account(
    txn: &DatabaseTransaction,
    a: &NewAccount,
    password_hash: &str,
) -> Result<account::Model> {
    let t = now();
    let kind = a.role.scope_kind();
    Ok(account::ActiveModel {
        username: Set(a.username.clone()),
        person_id: Set(a.person_id),
        role: Set(a.role.code().to_string()),
        scope_region_id: Set(a.scope_region_id.filter(|_| kind == ScopeKind::Region)),
        scope_org_id: Set(a.scope_org_id.filter(|_| kind == ScopeKind::Org)),
        password_hash: Set(password_hash.to_string()),
        failed_logins: Set(0),
        locked_until: Set(None),
        disabled: Set(a.disabled),
        last_login_at: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}

/// What a login attempt found.
pub enum LoginCheck {
    /// The account, to verify the password against.
    Candidate(account::Model),
    Unknown,
}

impl Store {
    /// The actor an account acts as, with its scope resolved to paths.
    pub async fn actor(&self, a: &account::Model) -> Result<Actor> {
        let role = Role::parse(&a.role).unwrap_or(Role::Citizen);
        // Resolved from the in-memory catalog: this runs on every request.
        self.catalog.refresh(&self.db).await?;
        let own = Scope::Own { person_id: a.person_id };
        let scope = match role.scope_kind() {
            ScopeKind::All => Scope::All,
            ScopeKind::Region => match a.scope_region_id.and_then(|id| self.catalog.regions().get(id).cloned()) {
                Some(r) => Scope::Region { id: r.id, path: r.path },
                None => own,
            },
            ScopeKind::Org => {
                match a.scope_org_id.and_then(|id| self.catalog.orgs().get(id).map(|o| (id, o.path.clone()))) {
                    Some((id, path)) => Scope::Org { id, path },
                    None => own,
                }
            }
            ScopeKind::Own => own,
        };
        Ok(Actor { account_id: Some(a.id), username: a.username.clone(), role, scope, person_id: a.person_id })
    }

    pub async fn account_by_username(&self, username: &str) -> Result<Option<account::Model>> {
        let Some(u) = normalise_username(username) else {
            return Ok(None);
        };
        Ok(account::Entity::find().filter(account::Column::Username.eq(u)).one(&self.db).await?)
    }

    pub async fn account(&self, id: i64) -> Result<account::Model> {
        account::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// The account a sign-in may be for (locks are counted by the web layer, per source).
    pub async fn login_check(&self, username: &str) -> Result<LoginCheck> {
        Ok(match self.account_by_username(username).await? {
            None => LoginCheck::Unknown,
            Some(a) if a.disabled => LoginCheck::Unknown,
            Some(a) => LoginCheck::Candidate(a),
        })
    }

    /// Records a failed password and, when it caused a lock, the lock (shown to administrators,
    /// who can lift it).
    pub async fn login_failed(&self, a: &account::Model, ip: &str, lock: Option<DateTime<Utc>>) -> Result<()> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let current = account::Entity::find_by_id(a.id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let failed = current.failed_logins + 1;
        let mut am: account::ActiveModel = current.into();
        am.failed_logins = Set(failed);
        if lock.is_some() {
            am.locked_until = Set(lock);
        }
        am.update(&txn).await?;
        let actor = Actor { account_id: Some(a.id), ..Actor::system(&a.username) };
        let detail = serde_json::json!({ "ip": ip, "failed": failed, "locked_until": lock });
        chain
            .record(
                &txn,
                &actor,
                if lock.is_some() { "lockout" } else { "login_failed" },
                "account",
                Some(a.id),
                None::<&()>,
                Some(&detail),
            )
            .await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Resets the failure count, records the login and opens a session in one transaction.
    pub async fn login_succeeded(&self, a: &account::Model, session_hash: &str, csrf: &str, ip: &str) -> Result<()> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = now();
        account::Entity::update_many()
            .col_expr(account::Column::FailedLogins, Expr::value(0))
            .col_expr(account::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(account::Column::LastLoginAt, Expr::value(t))
            .filter(account::Column::Id.eq(a.id))
            .exec(&txn)
            .await?;
        session::Entity::insert(session::ActiveModel {
            id: Set(session_hash.to_string()),
            account_id: Set(a.id),
            csrf: Set(csrf.to_string()),
            created_at: Set(t),
            last_seen_at: Set(t),
        })
        .exec_without_returning(&txn)
        .await?;
        let actor = Actor { account_id: Some(a.id), ..Actor::system(&a.username) };
        chain
            .record(&txn, &actor, "login", "account", Some(a.id), None::<&()>, Some(&serde_json::json!({ "ip": ip })))
            .await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn logout(&self, actor: &Actor, session_hash: &str) -> Result<()> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        session::Entity::delete_by_id(session_hash.to_string()).exec(&txn).await?;
        chain.record(&txn, actor, "logout", "account", actor.account_id, None::<&()>, None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// A live session and its account; sessions idle longer than `idle` are deleted and refused.
    pub async fn session(
        &self,
        session_hash: &str,
        idle: Duration,
    ) -> Result<Option<(session::Model, account::Model)>> {
        // One joined read: this runs on every page request.
        let Some((s, Some(a))) = session::Entity::find_by_id(session_hash.to_string())
            .find_also_related(account::Entity)
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let t = Utc::now();
        if s.last_seen_at + idle < t {
            session::Entity::delete_by_id(s.id).exec(&self.db).await?;
            return Ok(None);
        }
        if a.disabled {
            return Ok(None);
        }
        // Touch at most once a minute: a write per request would serialise every reader.
        if t - s.last_seen_at > Duration::seconds(60) {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now()))
                .filter(session::Column::Id.eq(s.id.clone()))
                .exec(&self.db)
                .await?;
        }
        Ok(Some((s, a)))
    }

    pub async fn list_accounts(&self, actor: &Actor, q: &str, page: PageRequest) -> Result<Page<AccountView>> {
        if !actor.can(Area::Account, Action::View) {
            return Err(StoreError::NotFound);
        }
        let mut sel = account::Entity::find();
        if !q.trim().is_empty() {
            sel = sel.filter(account::Column::Username.contains(q.trim().to_ascii_lowercase()));
        }
        let total = sel.clone().count(&self.db).await?;
        let rows = sel
            .order_by_asc(account::Column::Username)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        for a in rows {
            items.push(self.account_view(a).await?);
        }
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    pub async fn account_view(&self, a: account::Model) -> Result<AccountView> {
        let tree = self.regions().await?;
        let scope_name = match (a.scope_region_id, a.scope_org_id) {
            (Some(r), _) => tree.display_name(r),
            (_, Some(o)) => self.catalog.orgs().get(o).map(|e| e.name.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        Ok(AccountView {
            id: a.id,
            username: a.username,
            role: a.role,
            person_id: a.person_id,
            scope_region_id: a.scope_region_id,
            scope_org_id: a.scope_org_id,
            scope_name,
            disabled: a.disabled,
            locked_until: a.locked_until.filter(|t| *t > Utc::now()),
            last_login_at: a.last_login_at,
        })
    }

    fn check_account(&self, input: &AccountInput) -> Result<(String, Role)> {
        let mut e = Invalid::default();
        let username = normalise_username(&input.username).unwrap_or_else(|| {
            e.push("username", "bad_username");
            String::new()
        });
        let role = Role::parse(&input.role);
        match role.map(Role::scope_kind) {
            None => e.push("role", "unknown_role"),
            Some(ScopeKind::Region) if input.scope_region_id.is_none() => e.push("scope_region_id", "required"),
            Some(ScopeKind::Org) if input.scope_org_id.is_none() => e.push("scope_org_id", "required"),
            _ => {}
        }
        let role = e.into_result(role).map_err(StoreError::Invalid)?.expect("checked");
        Ok((username, role))
    }

    /// Creates an account; `actor` must administer accounts (the CLI acts as the system).
    pub async fn create_account(&self, actor: &Actor, input: &AccountInput, password_hash: &str) -> Result<i64> {
        if !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (username, role) = self.check_account(input)?;
        if self.account_by_username(&username).await?.is_some() {
            return Err(Invalid::one("username", "duplicate").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let new = NewAccount {
            username,
            person_id: input.person_id,
            role,
            scope_region_id: input.scope_region_id,
            scope_org_id: input.scope_org_id,
            disabled: input.disabled,
        };
        let saved = insert_account(&txn, &new, password_hash).await?;
        chain.record(&txn, actor, "create", "account", Some(saved.id), None::<&()>, Some(&redact(&saved))).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    pub async fn update_account(&self, actor: &Actor, id: i64, input: &AccountInput) -> Result<()> {
        if !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (_, role) = self.check_account(input)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = account::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let kind = role.scope_kind();
        let mut am: account::ActiveModel = before.clone().into();
        am.role = Set(role.code().to_string());
        am.person_id = Set(input.person_id);
        am.scope_region_id = Set(input.scope_region_id.filter(|_| kind == ScopeKind::Region));
        am.scope_org_id = Set(input.scope_org_id.filter(|_| kind == ScopeKind::Org));
        am.disabled = Set(input.disabled);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        if input.disabled {
            session::Entity::delete_many().filter(session::Column::AccountId.eq(id)).exec(&txn).await?;
        }
        chain.record(&txn, actor, "update", "account", Some(id), Some(&redact(&before)), Some(&redact(&after))).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Sets a new password hash, clears any lockout and ends every session of the account but
    /// `keep` (the one in which a person changed their own password).
    pub async fn set_password(&self, actor: &Actor, id: i64, password_hash: &str, keep: Option<&str>) -> Result<()> {
        let own = actor.account_id == Some(id);
        if !own && !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = account::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut am: account::ActiveModel = before.into();
        am.password_hash = Set(password_hash.to_string());
        am.failed_logins = Set(0);
        am.locked_until = Set(None);
        am.updated_at = Set(now());
        am.update(&txn).await?;
        let mut others = session::Entity::delete_many().filter(session::Column::AccountId.eq(id));
        if let Some(keep) = keep {
            others = others.filter(session::Column::Id.ne(keep));
        }
        others.exec(&txn).await?;
        chain.record(&txn, actor, "set_password", "account", Some(id), None::<&()>, None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn unlock_account(&self, actor: &Actor, id: i64) -> Result<()> {
        if !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = account::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mut am: account::ActiveModel = before.into();
        am.failed_logins = Set(0);
        am.locked_until = Set(None);
        am.update(&txn).await?;
        chain.record(&txn, actor, "unlock", "account", Some(id), None::<&()>, None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    // --- API tokens ---

    pub async fn create_token(
        &self,
        actor: &Actor,
        account_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
    ) -> Result<i64> {
        if actor.account_id != Some(account_id) && !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let mut e = Invalid::default();
        let name = kexie_core::validate::required(&mut e, "name", name, 50);
        e.into_result(()).map_err(StoreError::Invalid)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = api_token::ActiveModel {
            account_id: Set(account_id),
            name: Set(name),
            token_hash: Set(token_hash.to_string()),
            prefix: Set(prefix.to_string()),
            created_at: Set(now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let shown = serde_json::json!({ "account_id": account_id, "name": saved.name, "prefix": prefix });
        chain.record(&txn, actor, "create", "api_token", Some(saved.id), None::<&()>, Some(&shown)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    pub async fn tokens(&self, account_id: i64) -> Result<Vec<api_token::Model>> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::AccountId.eq(account_id))
            .order_by_desc(api_token::Column::Id)
            .all(&self.db)
            .await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, token_id: i64) -> Result<()> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = api_token::Entity::find_by_id(token_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if actor.account_id != Some(t.account_id) && !actor.can(Area::Account, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let mut am: api_token::ActiveModel = t.into();
        am.revoked_at = Set(Some(now()));
        am.update(&txn).await?;
        chain.record(&txn, actor, "revoke", "api_token", Some(token_id), None::<&()>, None::<&()>).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// The live account behind a bearer token's hash.
    pub async fn token_account(&self, token_hash: &str) -> Result<Option<account::Model>> {
        let Some(t) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let t_now = Utc::now();
        // Recording use once a minute at most keeps API reads from becoming writes.
        if t.last_used_at.is_none_or(|u| t_now - u > Duration::seconds(60)) {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::LastUsedAt, Expr::value(now()))
                .filter(api_token::Column::Id.eq(t.id))
                .exec(&self.db)
                .await?;
        }
        Ok(account::Entity::find_by_id(t.account_id).one(&self.db).await?.filter(|a| !a.disabled))
    }
}

/// The account as the audit log keeps it: never the password hash.
pub(crate) fn redact(a: &account::Model) -> serde_json::Value {
    let mut v = serde_json::to_value(a).expect("serialises");
    if let Some(o) = v.as_object_mut() {
        o.remove("password_hash");
    }
    v
}
