//! Every route in one table with what it requires of the caller. The router is built from the
//! table, one middleware enforces each route's `Need`, and the route-walking test reads the
//! same table, so a route cannot exist without a declared permission.

use crate::auth::{self, Caller};
use crate::error::{self, WebError};
use crate::{AppState, account, api, assets, audit, home, metrics, org, person, region, roster};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use kexie_core::account::{Action, Area, Need};
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub need: Need,
}

fn spec(method: Method, path: &'static str, need: Need) -> RouteSpec {
    RouteSpec { method, path, need }
}

fn table() -> Vec<(RouteSpec, MethodRouter<AppState>)> {
    use Action::*;
    use Area::*;
    use Need::*;
    let (g, p) = (Method::GET, Method::POST);
    vec![
        (spec(g.clone(), "/healthz", Public), get(metrics::healthz)),
        (spec(g.clone(), "/metrics", Public), get(metrics::export)),
        (spec(g.clone(), "/assets/{file}", Public), get(assets::serve)),
        (spec(g.clone(), "/login", Public), get(auth::login::show)),
        (spec(p.clone(), "/login", Public), post(auth::login::submit)),
        (spec(p.clone(), "/logout", Login), post(auth::login::logout)),
        (spec(g.clone(), "/lang", Public), get(auth::login::switch_lang)),
        (spec(g.clone(), "/", Login), get(home::show)),
        // Regions
        (spec(g.clone(), "/regions", Perm(Region, View)), get(region::list)),
        (spec(g.clone(), "/regions/new", Perm(Region, Edit)), get(region::new)),
        (spec(p.clone(), "/regions", Perm(Region, Edit)), post(region::create)),
        (spec(g.clone(), "/regions/{id}", Perm(Region, View)), get(region::show)),
        // Organisations
        (spec(g.clone(), "/orgs", Perm(Org, View)), get(org::list)),
        (spec(g.clone(), "/orgs/export.xlsx", Perm(Org, Export)), get(org::export)),
        (spec(g.clone(), "/orgs/template.xlsx", Perm(Org, Import)), get(roster::orgs_template)),
        (spec(g.clone(), "/orgs/import", Perm(Org, Import)), get(roster::orgs_form)),
        (spec(p.clone(), "/orgs/import", Perm(Org, Import)), post(roster::orgs)),
        (spec(g.clone(), "/orgs/pick", Perm(Org, View)), get(org::pick)),
        (spec(g.clone(), "/orgs/new", Perm(Org, Edit)), get(org::new)),
        (spec(p.clone(), "/orgs", Perm(Org, Edit)), post(org::create)),
        (spec(g.clone(), "/orgs/{id}", Perm(Org, View)), get(org::show)),
        (spec(g.clone(), "/orgs/{id}/edit", Perm(Org, Edit)), get(org::edit)),
        (spec(p.clone(), "/orgs/{id}", Perm(Org, Edit)), post(org::update)),
        (spec(p.clone(), "/orgs/{id}/archive", Perm(Org, Edit)), post(org::archive)),
        (spec(p.clone(), "/orgs/{id}/restore", Perm(Org, Edit)), post(org::restore)),
        (spec(p.clone(), "/orgs/{id}/officers", Perm(Org, Edit)), post(org::add_officer)),
        (spec(p.clone(), "/orgs/{id}/officers/{officer}/delete", Perm(Org, Edit)), post(org::remove_officer)),
        // People
        (spec(g.clone(), "/people", Perm(Person, View)), get(person::list)),
        (spec(g.clone(), "/people/export.xlsx", Perm(Person, Export)), get(person::export)),
        (spec(g.clone(), "/people/pick", Perm(Person, View)), get(person::pick)),
        (spec(g.clone(), "/people/template.xlsx", Perm(Person, Import)), get(roster::people_template)),
        (spec(g.clone(), "/people/import", Perm(Person, Import)), get(roster::people_form)),
        (spec(p.clone(), "/people/import", Perm(Person, Import)), post(roster::people)),
        (spec(g.clone(), "/people/new", Perm(Person, Edit)), get(person::new)),
        (spec(p.clone(), "/people", Perm(Person, Edit)), post(person::create)),
        (spec(g.clone(), "/people/{id}", Perm(Person, View)), get(person::show)),
        (spec(g.clone(), "/people/{id}/edit", Perm(Person, Edit)), get(person::edit)),
        (spec(p.clone(), "/people/{id}", Perm(Person, Edit)), post(person::update)),
        // Accounts, own profile and tokens
        (spec(g.clone(), "/accounts", Perm(Account, View)), get(account::list)),
        (spec(g.clone(), "/accounts/new", Perm(Account, Edit)), get(account::new)),
        (spec(p.clone(), "/accounts", Perm(Account, Edit)), post(account::create)),
        (spec(g.clone(), "/accounts/{id}", Perm(Account, Edit)), get(account::edit)),
        (spec(p.clone(), "/accounts/{id}", Perm(Account, Edit)), post(account::update)),
        (spec(p.clone(), "/accounts/{id}/unlock", Perm(Account, Edit)), post(account::unlock)),
        (spec(p.clone(), "/accounts/{id}/password", Perm(Account, Edit)), post(account::reset_password)),
        (spec(g.clone(), "/me", Login), get(account::me)),
        (spec(p.clone(), "/me/password", Login), post(account::change_password)),
        (spec(p.clone(), "/me/tokens", Login), post(account::create_token)),
        (spec(p.clone(), "/tokens/{id}/revoke", Login), post(account::revoke_token)),
        // Audit
        (spec(g.clone(), "/audit", Perm(Audit, View)), get(audit::list)),
        (spec(g.clone(), "/audit/export.xlsx", Perm(Audit, View)), get(audit::export)),
        (spec(p.clone(), "/audit/verify", Perm(Audit, View)), post(audit::verify)),
        (spec(g.clone(), "/audit/{id}", Perm(Audit, View)), get(audit::show)),
        // JSON API (bearer tokens)
        (spec(g.clone(), "/api/openapi.json", Public), get(api::openapi_json)),
        (spec(g.clone(), "/api/docs", Public), get(api::docs)),
        (spec(g.clone(), "/api/v1/me", Login), get(api::me)),
        (spec(g.clone(), "/api/v1/regions", Perm(Region, View)), get(api::regions)),
        (spec(g.clone(), "/api/v1/orgs", Perm(Org, View)), get(api::list_orgs)),
        (spec(p.clone(), "/api/v1/orgs", Perm(Org, Edit)), post(api::create_org)),
        (spec(g.clone(), "/api/v1/orgs/{id}", Perm(Org, View)), get(api::get_org)),
        (spec(Method::PUT, "/api/v1/orgs/{id}", Perm(Org, Edit)), axum::routing::put(api::update_org)),
        (spec(g.clone(), "/api/v1/people", Perm(Person, View)), get(api::list_people)),
        (spec(p.clone(), "/api/v1/people", Perm(Person, Edit)), post(api::create_person)),
        (spec(g.clone(), "/api/v1/people/{id}", Perm(Person, View)), get(api::get_person)),
        (spec(Method::PUT, "/api/v1/people/{id}", Perm(Person, Edit)), axum::routing::put(api::update_person)),
    ]
}

/// The route table without handlers, for tests and documentation.
pub fn catalog() -> Vec<RouteSpec> {
    table().into_iter().map(|(s, _)| s).collect()
}

async fn require(State(need): State<Need>, caller: Caller, req: Request, next: Next) -> Result<Response, WebError> {
    let role = caller.actor().map(|a| a.role);
    if need.allows(role) {
        return Ok(next.run(req).await);
    }
    Err(match caller {
        Caller::Anonymous { expired: true } => WebError::SessionExpired,
        Caller::Anonymous { expired: false } => WebError::LoginRequired,
        _ => WebError::Forbidden,
    })
}

pub fn router(state: AppState) -> Router {
    let mut r: Router<AppState> = Router::new();
    for (s, handler) in table() {
        let upload = s.path.ends_with("/import");
        let handler = handler.layer(from_fn_with_state(s.need, require));
        let handler = if upload { handler.layer(DefaultBodyLimit::max(crate::form::UPLOAD_LIMIT)) } else { handler };
        r = r.route(s.path, handler);
    }
    r.fallback(|| async { WebError::NotFound })
        .layer(from_fn_with_state(state.clone(), auth::resolve))
        .layer(DefaultBodyLimit::max(crate::form::FORM_LIMIT))
        .layer(from_fn(error::render))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(from_fn(view::security_headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(60)))
        .with_state(state)
}

use crate::view;
