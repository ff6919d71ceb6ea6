//! Every route in one table with what it requires of the caller. The router is built from the
//! table, one middleware enforces each route's `Need`, and the route-walking test reads the
//! same table, so a route cannot exist without a declared permission.

use crate::activity::{door as act_door, recovery as act_recovery, staff as act_staff};
use crate::auth::{self, Caller};
use crate::error::{self, WebError};
use crate::estation::{content, device, media, player, report, station};
use crate::matchmaking::{engagement, event, expert, need, overview};
use crate::outreach::{campaign, channel, content as piece, dashboard, distribution, publication, search, stats};
use crate::suggestion::{public as sg_public, staff as sg_staff};
use crate::volunteer::order::{public as ord_public, staff as ord_staff};
use crate::volunteer::{
    certificate as vol_cert, me as vol_me, project as vol_project, shift as vol_shift, staff as vol_staff,
};
use crate::{AppState, account, api, assets, audit, home, metrics, notice, org, person, privacy, region, roster, sms};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::Method;
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{MethodRouter, get, post};
use kexie_core::account::permission::resolve;
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
    use kexie_core::account::Need::{Device, Login, Perm, Public};
    let (g, p) = (Method::GET, Method::POST);
    vec![
        (spec(g.clone(), "/healthz", Public), get(metrics::healthz)),
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
        // Matchmaking (产学研对接)
        (spec(g.clone(), "/match", Perm(Area::Need, View)), get(overview::show)),
        (spec(g.clone(), "/match/needs", Perm(Area::Need, View)), get(need::list)),
        (spec(g.clone(), "/match/needs/export.xlsx", Perm(Area::Need, Export)), get(need::export)),
        (spec(g.clone(), "/match/needs/new", Perm(Area::Need, Edit)), get(need::new)),
        (spec(p.clone(), "/match/needs", Perm(Area::Need, Edit)), post(need::create)),
        (spec(g.clone(), "/match/needs/{id}", Perm(Area::Need, View)), get(need::show)),
        (spec(g.clone(), "/match/needs/{id}/edit", Perm(Area::Need, Edit)), get(need::edit)),
        (spec(p.clone(), "/match/needs/{id}", Perm(Area::Need, Edit)), post(need::update)),
        (spec(p.clone(), "/match/needs/{id}/step", Perm(Area::Need, Edit)), post(need::step)),
        (spec(p.clone(), "/match/needs/{id}/engage", Perm(Engagement, Edit)), post(need::engage)),
        (spec(g.clone(), "/match/experts", Perm(Area::Expert, View)), get(expert::list)),
        (spec(g.clone(), "/match/experts/export.xlsx", Perm(Area::Expert, Export)), get(expert::export)),
        (spec(g.clone(), "/match/experts/template.xlsx", Perm(Area::Expert, Import)), get(roster::experts_template)),
        (spec(g.clone(), "/match/experts/import", Perm(Area::Expert, Import)), get(roster::experts_form)),
        (spec(p.clone(), "/match/experts/import", Perm(Area::Expert, Import)), post(roster::experts)),
        (spec(g.clone(), "/match/experts/new", Perm(Area::Expert, Import)), get(expert::new)),
        (spec(p.clone(), "/match/experts", Perm(Area::Expert, Import)), post(expert::create)),
        (spec(g.clone(), "/match/experts/{id}", Perm(Area::Expert, View)), get(expert::show)),
        (spec(g.clone(), "/match/experts/{id}/edit", Perm(Area::Expert, Edit)), get(expert::edit)),
        (spec(p.clone(), "/match/experts/{id}", Perm(Area::Expert, Edit)), post(expert::update)),
        (spec(p.clone(), "/match/experts/{id}/status", Perm(Area::Expert, Import)), post(expert::set_status)),
        (spec(p.clone(), "/match/experts/{id}/conflicts", Perm(Area::Expert, Edit)), post(expert::add_conflict)),
        (
            spec(p.clone(), "/match/experts/{id}/conflicts/{conflict}/delete", Perm(Area::Expert, Edit)),
            post(expert::remove_conflict),
        ),
        (spec(p.clone(), "/match/experts/{id}/workstations", Perm(Area::Expert, Import)), post(expert::add_membership)),
        (spec(g.clone(), "/match/workstations", Perm(Area::Expert, View)), get(expert::workstations)),
        (spec(g.clone(), "/match/patents", Perm(Area::Expert, View)), get(expert::patents)),
        (spec(g.clone(), "/match/patents/template.xlsx", Perm(Area::Expert, Import)), get(roster::patents_template)),
        (spec(g.clone(), "/match/patents/import", Perm(Area::Expert, Import)), get(roster::patents_form)),
        (spec(p.clone(), "/match/patents/import", Perm(Area::Expert, Import)), post(roster::patents)),
        (spec(g.clone(), "/match/events", Perm(MatchEvent, View)), get(event::list)),
        (spec(p.clone(), "/match/events", Perm(MatchEvent, Edit)), post(event::create)),
        (spec(g.clone(), "/match/events/{id}", Perm(MatchEvent, View)), get(event::show)),
        (spec(g.clone(), "/match/events/{id}/schedule", Perm(MatchEvent, View)), get(event::schedule)),
        (spec(p.clone(), "/match/events/{id}/needs", Perm(MatchEvent, Edit)), post(event::add_need)),
        (spec(p.clone(), "/match/events/{id}/needs/{row}/delete", Perm(MatchEvent, Edit)), post(event::remove_need)),
        (spec(p.clone(), "/match/events/{id}/experts", Perm(MatchEvent, Edit)), post(event::add_expert)),
        (
            spec(p.clone(), "/match/events/{id}/experts/{row}/delete", Perm(MatchEvent, Edit)),
            post(event::remove_expert),
        ),
        (spec(p.clone(), "/match/events/{id}/plan", Perm(MatchEvent, Edit)), post(event::plan)),
        (spec(p.clone(), "/match/events/{id}/publish", Perm(MatchEvent, Edit)), post(event::publish)),
        (spec(p.clone(), "/match/events/{id}/meetings/{meeting}", Perm(MatchEvent, Edit)), post(event::move_meeting)),
        (
            spec(p.clone(), "/match/events/{id}/meetings/{meeting}/check-in", Perm(MatchEvent, Edit)),
            post(event::check_in),
        ),
        (spec(g.clone(), "/match/engagements", Perm(Engagement, View)), get(engagement::list)),
        (spec(g.clone(), "/match/engagements/{id}", Perm(Engagement, View)), get(engagement::show)),
        (spec(p.clone(), "/match/engagements/{id}/step", Perm(Engagement, Edit)), post(engagement::step)),
        // 科普e站: stations and screens, what they play, proof of play
        (spec(g.clone(), "/estation", Perm(Station, View)), get(station::list)),
        (spec(g.clone(), "/estation/stations", Perm(Station, View)), get(station::list)),
        (spec(g.clone(), "/estation/stations/export.xlsx", Perm(Station, Export)), get(station::export)),
        (spec(g.clone(), "/estation/stations/template.xlsx", Perm(Station, Import)), get(roster::stations_template)),
        (spec(g.clone(), "/estation/stations/import", Perm(Station, Import)), get(roster::stations_form)),
        (spec(p.clone(), "/estation/stations/import", Perm(Station, Import)), post(roster::stations)),
        (spec(g.clone(), "/estation/map", Perm(Station, View)), get(station::map)),
        (spec(g.clone(), "/estation/stations/new", Perm(Station, Edit)), get(station::new)),
        (spec(p.clone(), "/estation/stations", Perm(Station, Edit)), post(station::create)),
        (spec(g.clone(), "/estation/stations/{id}", Perm(Station, View)), get(station::show)),
        (spec(g.clone(), "/estation/stations/{id}/edit", Perm(Station, Edit)), get(station::edit)),
        (spec(p.clone(), "/estation/stations/{id}", Perm(Station, Edit)), post(station::update)),
        (spec(p.clone(), "/estation/stations/{id}/screens", Perm(Station, Edit)), post(station::add_screen)),
        (spec(p.clone(), "/estation/stations/{id}/groups", Perm(Schedule, Edit)), post(station::set_group)),
        (spec(p.clone(), "/estation/screens/{id}/code", Perm(Station, Edit)), post(station::new_code)),
        (spec(p.clone(), "/estation/screens/{id}/revoke", Perm(Station, Edit)), post(station::revoke)),
        (spec(g.clone(), "/estation/screens/offline", Perm(Station, View)), get(station::offline)),
        (spec(g.clone(), "/estation/media", Perm(Schedule, View)), get(media::library)),
        (spec(p.clone(), "/estation/media", Perm(Schedule, Edit)), post(media::upload)),
        (spec(g.clone(), "/estation/schedules", Perm(Schedule, View)), get(content::schedules)),
        (spec(p.clone(), "/estation/schedules", Perm(Schedule, Edit)), post(content::create_schedule)),
        (spec(p.clone(), "/estation/schedules/{id}/archive", Perm(Schedule, Edit)), post(content::archive_schedule)),
        (spec(g.clone(), "/estation/groups", Perm(Schedule, View)), get(content::groups)),
        (spec(p.clone(), "/estation/groups", Perm(Schedule, Edit)), post(content::create_group)),
        (spec(g.clone(), "/estation/interrupts", Perm(Schedule, View)), get(content::interrupts)),
        (spec(g.clone(), "/estation/interrupts/new", Perm(Schedule, Edit)), get(content::new_interrupt)),
        (spec(p.clone(), "/estation/interrupts", Perm(Schedule, Edit)), post(content::create_interrupt)),
        (spec(g.clone(), "/estation/interrupts/{id}", Perm(Schedule, View)), get(content::interrupt)),
        (spec(p.clone(), "/estation/interrupts/{id}/cancel", Perm(Schedule, Edit)), post(content::cancel_interrupt)),
        (spec(g.clone(), "/estation/changes", Perm(Schedule, View)), get(content::changes)),
        (spec(g.clone(), "/estation/changes/{id}", Perm(Schedule, View)), get(content::change)),
        (spec(g.clone(), "/estation/plays", Perm(Station, View)), get(report::show)),
        (spec(g.clone(), "/estation/plays/export.xlsx", Perm(Station, Export)), get(report::export)),
        // The web player and the device API (specs/estation-device-api.md)
        (spec(g.clone(), "/player", Public), get(player::page)),
        (spec(g.clone(), "/player/player.js", Public), get(player::script)),
        (spec(g.clone(), "/player/sw.js", Public), get(player::worker)),
        (spec(p.clone(), "/api/device/v1/enroll", Device), post(device::enroll)),
        (spec(g.clone(), "/api/device/v1/manifest", Device), get(device::manifest)),
        (spec(g.clone(), "/api/device/v1/events", Device), get(device::events)),
        (spec(p.clone(), "/api/device/v1/heartbeat", Device), post(device::heartbeat)),
        (spec(p.clone(), "/api/device/v1/plays", Device), post(device::plays)),
        (spec(g.clone(), "/media/{sha}", Device), get(media::serve)),
        // Accounts, own profile and tokens
        (spec(g.clone(), "/accounts", Perm(Account, View)), get(account::list)),
        (spec(g.clone(), "/sms", Perm(Account, View)), get(sms::outbox)),
        (spec(g.clone(), "/accounts/new", Perm(Account, Edit)), get(account::new)),
        (spec(p.clone(), "/accounts", Perm(Account, Edit)), post(account::create)),
        (spec(g.clone(), "/accounts/{id}", Perm(Account, Edit)), get(account::edit)),
        (spec(p.clone(), "/accounts/{id}", Perm(Account, Edit)), post(account::update)),
        (spec(p.clone(), "/accounts/{id}/unlock", Perm(Account, Edit)), post(account::unlock)),
        (spec(p.clone(), "/accounts/{id}/password", Perm(Account, Edit)), post(account::reset_password)),
        (spec(g.clone(), "/me", Login), get(account::me)),
        (spec(g.clone(), "/me/notices", Login), get(notice::mine)),
        (spec(p.clone(), "/me/notices/read", Login), post(notice::read)),
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
        (spec(g.clone(), "/api/v1/needs", Perm(Area::Need, View)), get(api::list_needs)),
        (spec(p.clone(), "/api/v1/needs", Perm(Area::Need, Edit)), post(api::create_need)),
        (spec(g.clone(), "/api/v1/needs/{id}", Perm(Area::Need, View)), get(api::get_need)),
        (spec(g.clone(), "/api/v1/needs/{id}/experts", Perm(Area::Need, View)), get(api::need_experts)),
        (spec(g.clone(), "/api/v1/experts", Perm(Area::Expert, View)), get(api::list_experts)),
        (spec(g.clone(), "/api/v1/experts/{id}", Perm(Area::Expert, View)), get(api::get_expert)),
        (spec(g.clone(), "/api/v1/experts/{id}/needs", Perm(Area::Expert, View)), get(api::expert_needs)),
        (spec(p.clone(), "/api/v1/estation/interrupts", Perm(Schedule, Edit)), post(api::create_interrupt)),
        (spec(g.clone(), "/api/v1/estation/interrupts/{id}", Perm(Schedule, View)), get(api::get_interrupt)),
        (spec(g.clone(), "/api/v1/search", Login), get(api::search)),
        // Outreach (科普宣传)
        (spec(g.clone(), "/outreach", Perm(Content, View)), get(dashboard::show)),
        (spec(g.clone(), "/outreach/content", Perm(Content, View)), get(piece::list)),
        (spec(g.clone(), "/outreach/content/export.xlsx", Perm(Content, Export)), get(piece::export)),
        (spec(g.clone(), "/outreach/content/new", Perm(Content, Edit)), get(piece::new)),
        (spec(p.clone(), "/outreach/content", Perm(Content, Edit)), post(piece::create)),
        (spec(g.clone(), "/outreach/content/{id}", Perm(Content, View)), get(piece::show)),
        (spec(g.clone(), "/outreach/content/{id}/edit", Perm(Content, Edit)), get(piece::edit)),
        (spec(p.clone(), "/outreach/content/{id}", Perm(Content, Edit)), post(piece::update)),
        (spec(p.clone(), "/outreach/content/{id}/review", Perm(Content, Edit)), post(piece::review)),
        (spec(p.clone(), "/outreach/content/{id}/campaign", Perm(Content, Edit)), post(piece::set_campaign)),
        (spec(g.clone(), "/outreach/content/{id}/versions/{version}", Perm(Content, View)), get(piece::version)),
        (spec(g.clone(), "/outreach/content/{id}/file", Perm(Content, View)), get(piece::file)),
        (spec(p.clone(), "/outreach/content/{id}/publications", Perm(Content, Edit)), post(publication::record)),
        (spec(p.clone(), "/outreach/content/{id}/screens", Perm(Schedule, Edit)), post(publication::to_screens)),
        (spec(g.clone(), "/outreach/review", Perm(Content, Review)), get(piece::queue)),
        (spec(g.clone(), "/outreach/publications", Perm(Content, View)), get(publication::list)),
        (spec(g.clone(), "/outreach/publications/export.xlsx", Perm(Content, Export)), get(publication::export)),
        (spec(g.clone(), "/outreach/publications/{id}", Perm(Content, View)), get(publication::show)),
        (spec(p.clone(), "/outreach/publications/{id}/reach", Perm(Content, Edit)), post(publication::set_reach)),
        (spec(p.clone(), "/outreach/publications/{id}/complete", Perm(Content, Edit)), post(publication::complete)),
        (spec(g.clone(), "/outreach/campaigns", Perm(Content, View)), get(campaign::list)),
        (spec(p.clone(), "/outreach/campaigns", Perm(Content, Edit)), post(campaign::create)),
        (spec(g.clone(), "/outreach/campaigns/{id}", Perm(Content, View)), get(campaign::show)),
        (spec(g.clone(), "/outreach/campaigns/{id}/coverage", Perm(Content, View)), get(campaign::coverage)),
        (spec(p.clone(), "/outreach/campaigns/{id}/launch", Perm(Schedule, Edit)), post(campaign::launch)),
        (spec(g.clone(), "/outreach/content/{id}/channel/{channel}", Perm(Content, View)), get(channel::show)),
        (spec(g.clone(), "/outreach/content/{id}/channel/wechat/raw", Perm(Content, View)), get(channel::wechat_raw)),
        (
            spec(g.clone(), "/outreach/content/{id}/channel/short_video/cover.svg", Perm(Content, View)),
            get(channel::cover),
        ),
        (spec(g.clone(), "/outreach/stats/import", Perm(Content, Import)), get(stats::form)),
        (spec(p.clone(), "/outreach/stats/import", Perm(Content, Import)), post(stats::import)),
        (spec(g.clone(), "/outreach/stats/template.xlsx", Perm(Content, Import)), get(stats::template)),
        (spec(g.clone(), "/outreach/distributions", Perm(Content, View)), get(distribution::list)),
        (spec(g.clone(), "/outreach/distributions/export.xlsx", Perm(Content, Export)), get(distribution::export)),
        (spec(p.clone(), "/outreach/distributions", Perm(Content, Edit)), post(distribution::create)),
        (spec(p.clone(), "/outreach/distributions/{id}/sign", Perm(Content, Edit)), post(distribution::sign)),
        (spec(g.clone(), "/outreach/distributions/{id}/receipt", Perm(Content, View)), get(distribution::receipt)),
        (spec(g.clone(), "/search", Login), get(search::page)),
        // 建议意见: the public form, follow-up and answers (no account), and the staff pages
        // Activities (活动)
        (spec(g.clone(), "/activities", Perm(Activity, View)), get(act_staff::list)),
        (spec(g.clone(), "/activities/export.xlsx", Perm(Activity, Export)), get(act_staff::export)),
        (spec(g.clone(), "/activities/figures", Perm(Activity, View)), get(act_staff::figures)),
        (spec(g.clone(), "/activities/party", Perm(Activity, View)), get(act_staff::party)),
        (spec(g.clone(), "/activities/new", Perm(Activity, Edit)), get(act_staff::new)),
        (spec(p.clone(), "/activities", Perm(Activity, Edit)), post(act_staff::create)),
        (spec(g.clone(), "/activities/scan/{ticket}", Perm(Activity, Edit)), get(act_staff::scan)),
        (spec(p.clone(), "/activities/scan/{ticket}", Perm(Activity, Edit)), post(act_staff::scan_post)),
        (spec(g.clone(), "/activities/{id}", Perm(Activity, View)), get(act_staff::show)),
        (spec(g.clone(), "/activities/{id}/edit", Perm(Activity, Edit)), get(act_staff::edit)),
        (spec(p.clone(), "/activities/{id}", Perm(Activity, Edit)), post(act_staff::update)),
        (spec(p.clone(), "/activities/{id}/step", Perm(Activity, Edit)), post(act_staff::step)),
        (spec(p.clone(), "/activities/{id}/report", Perm(Activity, Edit)), post(act_staff::report)),
        (spec(p.clone(), "/activities/{id}/photos", Perm(Activity, Edit)), post(act_staff::add_photo)),
        (spec(g.clone(), "/activities/{id}/photos/{n}", Perm(Activity, View)), get(act_staff::photo)),
        (spec(g.clone(), "/a", Public), get(act_door::upcoming)),
        (spec(g.clone(), "/a/{id}", Public), get(act_door::show)),
        (spec(p.clone(), "/a/{id}/register", Public), post(act_door::register)),
        (spec(g.clone(), "/a/{id}/door", Public), get(act_door::door)),
        (spec(p.clone(), "/a/{id}/door", Public), post(act_door::door_post)),
        (spec(g.clone(), "/a/t/{ticket}", Public), get(act_door::ticket)),
        (spec(g.clone(), "/a/{id}/recover", Public), get(act_recovery::form)),
        (spec(p.clone(), "/a/{id}/recover", Public), post(act_recovery::send)),
        (spec(p.clone(), "/a/{id}/recover/code", Public), post(act_recovery::check)),
        (spec(g.clone(), "/privacy", Public), get(privacy::page)),
        // Volunteers (志愿者)
        (spec(g.clone(), "/join", Public), get(vol_me::join_form)),
        (spec(p.clone(), "/join", Public), post(vol_me::join)),
        (spec(g.clone(), "/me/volunteer", Login), get(vol_me::show)),
        (spec(p.clone(), "/me/volunteer/hours", Login), post(vol_me::log_hours)),
        (spec(p.clone(), "/me/volunteer/teams", Login), post(vol_me::request_team)),
        (spec(p.clone(), "/me/volunteer/teams/{id}/leave", Login), post(vol_me::leave_team)),
        (spec(p.clone(), "/me/volunteer/profile", Login), post(vol_me::profile)),
        (spec(g.clone(), "/me/volunteer/shifts", Login), get(vol_shift::mine)),
        (spec(p.clone(), "/me/volunteer/shifts/{id}/sign", Login), post(vol_shift::sign)),
        (spec(p.clone(), "/me/volunteer/places/{id}/cancel", Login), post(vol_shift::my_cancel)),
        (spec(p.clone(), "/me/volunteer/places/{id}/offer", Login), post(vol_shift::offer)),
        (spec(p.clone(), "/me/volunteer/places/{id}/take", Login), post(vol_shift::take)),
        (spec(g.clone(), "/me/volunteer/certificate", Login), get(vol_cert::my_page)),
        (spec(g.clone(), "/me/volunteer/certificate.docx", Login), get(vol_cert::my_docx)),
        (spec(g.clone(), "/volunteers", Perm(Volunteer, View)), get(vol_staff::list)),
        (spec(g.clone(), "/volunteers/export.xlsx", Perm(Volunteer, Export)), get(vol_staff::export)),
        (spec(g.clone(), "/volunteers/ledger.xlsx", Perm(Volunteer, Review)), get(vol_staff::ledger_export)),
        (spec(g.clone(), "/volunteers/template.xlsx", Perm(Volunteer, Import)), get(roster::volunteers_template)),
        (spec(g.clone(), "/volunteers/import", Perm(Volunteer, Import)), get(roster::volunteers_form)),
        (spec(p.clone(), "/volunteers/import", Perm(Volunteer, Import)), post(roster::volunteers)),
        (spec(g.clone(), "/volunteers/teams", Perm(Volunteer, View)), get(vol_staff::teams)),
        (spec(g.clone(), "/volunteers/teams/{id}", Perm(Volunteer, View)), get(vol_staff::team_year)),
        (spec(g.clone(), "/volunteers/approvals", Perm(Volunteer, Review)), get(vol_staff::approvals)),
        (spec(p.clone(), "/volunteers/members/{id}/decide", Perm(Volunteer, Review)), post(vol_staff::decide_member)),
        (spec(p.clone(), "/volunteers/{id}/duplicate", Perm(Volunteer, Review)), post(vol_staff::resolve_duplicate)),
        (spec(p.clone(), "/volunteers/hours/{id}/decide", Perm(Volunteer, Review)), post(vol_staff::decide_hours)),
        (spec(g.clone(), "/volunteers/exemplars", Perm(Volunteer, View)), get(vol_staff::exemplars)),
        (spec(g.clone(), "/volunteers/projects", Perm(Volunteer, View)), get(vol_project::list)),
        (spec(g.clone(), "/volunteers/projects/new", Perm(Volunteer, Edit)), get(vol_project::new)),
        (spec(p.clone(), "/volunteers/projects", Perm(Volunteer, Edit)), post(vol_project::create)),
        (spec(g.clone(), "/volunteers/projects/{id}", Perm(Volunteer, View)), get(vol_project::show)),
        (spec(g.clone(), "/volunteers/projects/{id}/edit", Perm(Volunteer, Edit)), get(vol_project::edit)),
        (spec(p.clone(), "/volunteers/projects/{id}", Perm(Volunteer, Edit)), post(vol_project::update)),
        (spec(p.clone(), "/volunteers/projects/{id}/status", Perm(Volunteer, Edit)), post(vol_project::set_status)),
        (spec(g.clone(), "/volunteers/shifts", Perm(Volunteer, View)), get(vol_shift::gaps)),
        (spec(p.clone(), "/volunteers/shifts", Perm(Volunteer, Edit)), post(vol_shift::create)),
        (spec(g.clone(), "/volunteers/shifts/{id}", Perm(Volunteer, View)), get(vol_shift::show)),
        (spec(p.clone(), "/volunteers/shifts/{id}/fill", Perm(Volunteer, Edit)), post(vol_shift::fill)),
        (spec(p.clone(), "/volunteers/shifts/{id}/cancel", Perm(Volunteer, Edit)), post(vol_shift::cancel)),
        (spec(p.clone(), "/volunteers/places/{id}/cancel", Perm(Volunteer, Edit)), post(vol_shift::staff_cancel_place)),
        (spec(g.clone(), "/volunteers/{id}", Perm(Volunteer, View)), get(vol_staff::show)),
        (spec(p.clone(), "/volunteers/{id}/status", Perm(Volunteer, Review)), post(vol_staff::set_status)),
        (spec(p.clone(), "/volunteers/{id}/hours", Perm(Volunteer, Edit)), post(vol_staff::enter_hours)),
        (spec(p.clone(), "/volunteers/{id}/commendations", Perm(Volunteer, Edit)), post(vol_staff::add_commendation)),
        (spec(g.clone(), "/volunteers/{id}/certificate", Perm(Volunteer, View)), get(vol_cert::page)),
        (spec(g.clone(), "/volunteers/{id}/certificate.docx", Perm(Volunteer, View)), get(vol_cert::docx)),
        // Service orders (点单派单)
        (spec(g.clone(), "/order", Public), get(ord_public::form)),
        (spec(p.clone(), "/order", Public), post(ord_public::submit)),
        (spec(g.clone(), "/order/t/{ticket}", Public), get(ord_public::ticket)),
        (spec(p.clone(), "/order/t/{ticket}/rate", Public), post(ord_public::rate)),
        (spec(p.clone(), "/order/t/{ticket}/cancel", Public), post(ord_public::cancel)),
        (spec(g.clone(), "/orders", Perm(Volunteer, View)), get(ord_staff::list)),
        (spec(g.clone(), "/orders/export.xlsx", Perm(Volunteer, Export)), get(ord_staff::export)),
        (spec(g.clone(), "/orders/{id}", Perm(Volunteer, View)), get(ord_staff::show)),
        (spec(p.clone(), "/orders/{id}/dispatch", Perm(Volunteer, Edit)), post(ord_staff::dispatch)),
        (spec(p.clone(), "/orders/{id}/accept", Perm(Volunteer, Edit)), post(ord_staff::accept)),
        (spec(p.clone(), "/orders/{id}/decline", Perm(Volunteer, Edit)), post(ord_staff::decline)),
        (spec(p.clone(), "/orders/{id}/done", Perm(Volunteer, Edit)), post(ord_staff::done)),
        (spec(g.clone(), "/suggest", Public), get(sg_public::form)),
        (spec(p.clone(), "/suggest", Public), post(sg_public::submit)),
        (spec(g.clone(), "/suggest/answers", Public), get(sg_public::answers)),
        (spec(g.clone(), "/suggest/t/{token}", Public), get(sg_public::follow_up)),
        (spec(p.clone(), "/suggest/t/{token}/rate", Public), post(sg_public::rate)),
        (spec(g.clone(), "/suggestions", Perm(Suggestion, View)), get(sg_staff::list)),
        (spec(g.clone(), "/suggestions/export.xlsx", Perm(Suggestion, Export)), get(sg_staff::export)),
        (spec(g.clone(), "/suggestions/figures", Perm(Suggestion, View)), get(sg_staff::figures)),
        (spec(p.clone(), "/suggestions/slide", Perm(Schedule, Edit)), post(sg_staff::slide)),
        (spec(g.clone(), "/suggestions/{id}", Perm(Suggestion, View)), get(sg_staff::show)),
        (spec(g.clone(), "/suggestions/{id}/photos/{n}", Perm(Suggestion, View)), get(sg_staff::photo)),
        (spec(p.clone(), "/suggestions/{id}/moderate", Perm(Suggestion, Review)), post(sg_staff::moderate)),
        (spec(p.clone(), "/suggestions/{id}/assign", Perm(Suggestion, Review)), post(sg_staff::assign)),
        (spec(p.clone(), "/suggestions/{id}/answer", Perm(Suggestion, Edit)), post(sg_staff::answer)),
        (spec(p.clone(), "/suggestions/{id}/adopt", Perm(Suggestion, Review)), post(sg_staff::adopt)),
        (spec(p.clone(), "/suggestions/{id}/close", Perm(Suggestion, Review)), post(sg_staff::close)),
    ]
}

/// The route table without handlers, for tests and documentation.
pub fn catalog() -> Vec<RouteSpec> {
    table().into_iter().map(|(s, _)| s).collect()
}

/// Whether a role may open a page: the `Need` of the GET route the path resolves to, as the
/// router resolves it. Navigation, tabs and in-page links ask this, so a page never links to
/// what its viewer would be refused; a path no route serves is never offered.
pub fn may(role: Option<kexie_core::account::Role>, path: &str) -> bool {
    static GETS: std::sync::OnceLock<Vec<RouteSpec>> = std::sync::OnceLock::new();
    let gets = GETS.get_or_init(|| catalog().into_iter().filter(|s| s.method == Method::GET).collect());
    let path = path.split(['?', '#']).next().unwrap_or_default();
    resolve(gets.iter().map(|s| (s.path, s.need)), path).is_some_and(|need| need.allows(role))
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
    // Screens: no sessions, no page errors, no timeout (the event stream stays open).
    let mut screens: Router<AppState> = Router::new();
    for (s, handler) in table() {
        if s.need == Need::Device {
            // Media are served as stored: compressed video gains nothing and ranges stay exact.
            let handler = if s.path.starts_with("/media/") { handler } else { handler.layer(CompressionLayer::new()) };
            screens = screens.route(s.path, handler);
            continue;
        }
        let big = ["/estation/media", "/outreach/content", "/outreach/content/{id}"].contains(&s.path);
        let upload = big || s.path.ends_with("/import") || s.path.ends_with("/sign") || s.path.ends_with("/photos");
        let handler = handler.layer(from_fn_with_state(s.need, require));
        let limit = if big {
            kexie_core::estation::media::max_upload() as usize + 64 * 1024
        } else {
            crate::form::UPLOAD_LIMIT
        };
        let handler = if upload { handler.layer(DefaultBodyLimit::max(limit)) } else { handler };
        // The public suggestion form carries a few photos.
        let handler = if s.path == "/suggest" {
            handler.layer(DefaultBodyLimit::max(crate::suggestion::public::BODY_LIMIT))
        } else {
            handler
        };
        r = r.route(s.path, handler);
    }
    let screens = screens
        .layer(DefaultBodyLimit::max(device::BODY_LIMIT))
        .layer(from_fn(device::json_errors))
        .layer(from_fn_with_state(state.clone(), metrics::track));
    r.fallback(|| async { WebError::NotFound })
        .layer(from_fn_with_state(state.clone(), auth::resolve))
        .layer(DefaultBodyLimit::max(crate::form::FORM_LIMIT))
        .layer(from_fn(error::render))
        .layer(from_fn_with_state(state.clone(), metrics::track))
        .layer(from_fn(view::security_headers))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, Duration::from_secs(60)))
        .merge(screens)
        .layer(from_fn(view::nosniff))
        .with_state(state)
}

use crate::view;
