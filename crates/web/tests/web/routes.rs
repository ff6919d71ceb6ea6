//! Walks every route in the route table for every role (and for nobody), through the real
//! server: each is allowed exactly when the permission table says so, and records outside the
//! caller's data scope answer 404 as if they did not exist.

use crate::helpers::*;
use kexie_core::account::{Need, Role};
use kexie_core::page::PageRequest;
use kexie_web::routes::{RouteSpec, catalog};
use reqwest::{Client, Method};

struct Caller {
    role: Option<Role>,
    username: &'static str,
    browser: Client,
    token: Option<String>,
    /// Ids in the caller's scope, and ids outside it (None for full scope).
    org: i64,
    foreign_org: Option<i64>,
    person: i64,
    foreign_person: Option<i64>,
    region: i64,
    officer: i64,
    revocable_token: i64,
    /// Matchmaking records in the caller's reach, and one outside it.
    need: i64,
    foreign_need: Option<i64>,
    expert: i64,
    foreign_expert: Option<i64>,
    engagement: i64,
    /// A station in the caller's scope, and one outside it.
    station: i64,
    foreign_station: Option<i64>,
    /// A suggestion (with a photo) in the caller's scope, and one outside it; a citizen's
    /// follow-up token.
    suggestion: i64,
    foreign_suggestion: Option<i64>,
    suggestion_token: String,
    /// A piece the caller may see (released, with a file), a draft to edit, and a
    /// publication in the caller's town (or the district's).
    content: i64,
    draft: i64,
    publication: i64,
    /// A signed hand-out (with its receipt) in the caller's town (or the district's).
    distribution: i64,
    /// A published activity (with a photo and a registration) the caller runs, and one it
    /// does not; its check-in key and the registration's ticket.
    activity: i64,
    foreign_activity: Option<i64>,
    activity_key: String,
    ticket: String,
    /// A volunteer and a team in the caller's scope, and a volunteer outside it.
    volunteer: i64,
    foreign_volunteer: Option<i64>,
    team: i64,
    /// A service project with a coming shift in the caller's scope, and (for a town) another
    /// town's.
    project: i64,
    foreign_project: Option<i64>,
    shift: i64,
    foreign_shift: Option<i64>,
    /// A service order the caller sees, one it does not, and an orderer's ticket.
    order: i64,
    foreign_order: Option<i64>,
    order_ticket: String,
}

const USERS: [&str; 9] = ["admin", "staff", "jinsha", "xiting", "nongxue", "expert", "qiye", "volunteer", "citizen"];

async fn callers(app: &TestApp) -> Vec<Caller> {
    let sys = kexie_core::account::Actor::system("t");
    let (suggestions, suggestion_token) = suggestion_fixture(app).await;
    let outreach = outreach_fixture(app).await;
    let activities = activity_fixture(app).await;
    let mut services = std::collections::HashMap::new();
    for u in USERS {
        services.insert(u, service_fixture(app, &app.actor(u).await).await);
    }
    let (orders, order_ticket) = order_fixture(app).await;
    let jc_jinsha = app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap();
    let jc_xiting = app.store.org_id_by_code("JC-320612003").await.unwrap().unwrap();
    let society = app.store.org_id_by_code("XH-0001").await.unwrap().unwrap();
    let first_person = |actor: kexie_core::account::Actor| {
        let store = app.store.clone();
        async move {
            store
                .list_people(&actor, &Default::default(), PageRequest::new(Some(1), Some(1)))
                .await
                .unwrap()
                .items
                .first()
                .map(|p| p.person.id)
        }
    };
    let mut out = Vec::new();
    for u in USERS {
        let actor = app.actor(u).await;
        let (org, foreign_org) = match u {
            "jinsha" => (jc_jinsha, Some(jc_xiting)),
            "xiting" => (jc_xiting, Some(jc_jinsha)),
            "nongxue" => (society, Some(jc_jinsha)),
            "qiye" => (app.store.org_id_by_code("QYKX-0001").await.unwrap().unwrap(), Some(society)),
            _ => (1, None),
        };
        let person = first_person(actor.clone()).await.unwrap_or(1);
        let foreign_person = match foreign_org {
            Some(f) => app
                .store
                .list_people(
                    &sys,
                    &kexie_store::person::PersonFilter { org_id: Some(f), ..Default::default() },
                    PageRequest::new(Some(1), Some(1)),
                )
                .await
                .unwrap()
                .items
                .first()
                .map(|p| p.person.id),
            None => None,
        };
        let region = match actor.scope {
            kexie_core::scope::Scope::Region { id, .. } => id,
            _ => 1,
        };
        let officer_org =
            if app.store.officers(&sys, org).await.map(|o| o.is_empty()).unwrap_or(true) { jc_jinsha } else { org };
        let officer = app.store.officers(&sys, officer_org).await.unwrap().first().map(|o| o.id).unwrap_or(1);
        let account = app.store.account_by_username(u).await.unwrap().unwrap().id;
        let (victim, prefix) = kexie_web::auth::new_token();
        let revocable_token = app
            .store
            .create_token(&sys, account, "victim", &kexie_web::auth::sha256_hex(&victim), &prefix)
            .await
            .unwrap();
        let (need, foreign_need, expert, foreign_expert, engagement) = matchmaking_ids(app, &actor).await;
        let (station, foreign_station) = station_ids(app, &actor).await;
        // Each town officer sees the one routed to their town; the association sees both.
        let (suggestion, foreign_suggestion) = match u {
            "jinsha" => (suggestions.0, Some(suggestions.1)),
            "xiting" => (suggestions.1, Some(suggestions.0)),
            _ => (suggestions.0, None),
        };
        let act = match u {
            "xiting" => &activities[1],
            "nongxue" => &activities[2],
            _ => &activities[0],
        };
        let foreign_activity = match u {
            "jinsha" => Some(activities[1].0),
            "xiting" => Some(activities[0].0),
            _ => None,
        };
        let (volunteer, foreign_volunteer, team) = volunteer_ids(app, &actor).await;
        let (project, shift) = services[u];
        let foreign_service = match u {
            "jinsha" => Some(services["xiting"]),
            "xiting" => Some(services["jinsha"]),
            _ => None,
        };
        // 金沙's order went to a team of the 农学会; 西亭's stayed with the town.
        let (order, foreign_order) = match u {
            "jinsha" | "nongxue" => (orders.0, Some(orders.1)),
            "xiting" => (orders.1, Some(orders.0)),
            _ => (orders.0, None),
        };
        out.push(Caller {
            role: Some(actor.role),
            username: u,
            browser: app.login(u).await,
            token: Some(app.token_for(u).await),
            org,
            foreign_org,
            person,
            foreign_person,
            region,
            officer,
            revocable_token,
            need,
            foreign_need,
            expert,
            foreign_expert,
            engagement,
            station,
            foreign_station,
            suggestion,
            foreign_suggestion,
            suggestion_token: suggestion_token.clone(),
            content: outreach.0,
            draft: outreach.1,
            publication: match u {
                "jinsha" => outreach.2,
                "xiting" => outreach.3,
                _ => outreach.2,
            },
            distribution: match u {
                "xiting" => outreach.5,
                _ => outreach.4,
            },
            activity: act.0,
            foreign_activity,
            activity_key: act.1.clone(),
            ticket: act.2.clone(),
            volunteer,
            foreign_volunteer,
            team,
            project,
            foreign_project: foreign_service.map(|s| s.0),
            shift,
            foreign_shift: foreign_service.map(|s| s.1),
            order,
            foreign_order,
            order_ticket: order_ticket.clone(),
        });
    }
    out.push(Caller {
        role: None,
        username: "anonymous",
        browser: app.client(),
        token: None,
        org: 1,
        foreign_org: None,
        person: 1,
        foreign_person: None,
        region: 1,
        officer: 1,
        revocable_token: 1,
        need: 1,
        foreign_need: None,
        expert: 1,
        foreign_expert: None,
        engagement: 1,
        station: 1,
        foreign_station: None,
        suggestion: suggestions.0,
        foreign_suggestion: None,
        suggestion_token,
        content: outreach.0,
        draft: outreach.1,
        publication: outreach.2,
        distribution: outreach.4,
        activity: activities[0].0,
        foreign_activity: None,
        activity_key: activities[0].1.clone(),
        ticket: activities[0].2.clone(),
        volunteer: 1,
        foreign_volunteer: None,
        team: 1,
        project: 1,
        foreign_project: None,
        shift: 1,
        foreign_shift: None,
        order: orders.0,
        foreign_order: None,
        order_ticket,
    });
    out
}

/// Published activities run by 金沙街道's and 西亭镇's associations and by the 农学会, each
/// with a photo and one registration: (id, check-in key, ticket).
async fn activity_fixture(app: &TestApp) -> Vec<(i64, String, String)> {
    let sys = kexie_core::account::Actor::system("t");
    let staff = app.login("staff").await;
    let tree = app.store.regions().await.unwrap();
    let mut out = Vec::new();
    for (code, town) in [("JC-320612001", Some("jinsha")), ("JC-320612003", Some("xiting")), ("XH-0001", None)] {
        let region = match town {
            Some(u) => match app.actor(u).await.scope {
                kexie_core::scope::Scope::Region { id, .. } => id,
                _ => unreachable!("a town officer"),
            },
            None => tree.roots().next().unwrap().id,
        };
        let now = chrono::Utc::now();
        let input = kexie_core::activity::ActivityInput {
            title: "防范电信诈骗科普讲座".into(),
            kind: kexie_core::activity::ActivityKind::Lecture,
            theme: "冬季防病与反诈".into(),
            month_theme: true,
            organiser_org_id: app.store.org_id_by_code(code).await.unwrap().unwrap(),
            co_organisers: None,
            place: "新时代文明实践所".into(),
            region_id: region,
            starts_at: now - chrono::Duration::minutes(30),
            ends_at: now + chrono::Duration::hours(2),
            capacity: None,
            audience: None,
            summary: None,
            volunteer_hours: true,
        };
        let id = app.store.create_activity(&sys, &input).await.unwrap();
        app.store.activity_step(&sys, id, kexie_core::activity::Step::Publish).await.unwrap();
        let who =
            kexie_core::activity::attendance::Registrant { name: "陈美华".into(), phone: "13962814417".into() };
        let consent = kexie_core::privacy::consent("yes", chrono::Utc::now()).unwrap();
        let r = app.store.register_for_activity(id, &who, &consent).await.unwrap();
        let form = reqwest::multipart::Form::new()
            .text("_csrf", app.csrf(&staff).await)
            .part("file", reqwest::multipart::Part::bytes(crate::suggestion::PNG.to_vec()).file_name("现场.png"));
        let res = staff.post(app.url(&format!("/activities/{id}/photos"))).multipart(form).send().await.unwrap();
        assert_eq!(res.status(), 303, "photo added");
        let key = app.store.get_activity(&sys, id).await.unwrap().row.a.checkin_key;
        out.push((id, key, r.ticket));
    }
    out
}

/// A service project of the first site or team the actor may run one for, with a shift in
/// three days: (project, shift).
async fn service_fixture(app: &TestApp, actor: &kexie_core::account::Actor) -> (i64, i64) {
    use kexie_core::account::{Action, Area};
    if !actor.can(Area::Volunteer, Action::View) {
        return (1, 1);
    }
    let sys = kexie_core::account::Actor::system("t");
    let host = app.store.project_hosts(actor).await.unwrap().first().expect("a site or team").0;
    let input = kexie_core::volunteer::project::ProjectInput {
        org_id: host,
        title: "周末科学小实验课堂".into(),
        kind: kexie_core::activity::ActivityKind::Lecture,
        summary: None,
        orderable: true,
    };
    let project = app.store.create_project(&sys, &input).await.unwrap();
    let shift = kexie_core::volunteer::shift::ShiftInput {
        role: "讲解员".into(),
        place: None,
        starts_at: chrono::Utc::now() + chrono::Duration::days(3),
        minutes: 120,
        quantity: 3,
    };
    let owner = kexie_store::volunteer::shift::Owner::Project(project);
    (project, app.store.create_shift(&sys, owner, &shift).await.unwrap())
}

/// Service orders placed by residents of 金沙街道 (dispatched to a team of the 农学会) and of
/// 西亭镇 (dispatched to the town's team), and the ticket of a third, still waiting.
async fn order_fixture(app: &TestApp) -> ((i64, i64), String) {
    let sys = kexie_core::account::Actor::system("t");
    let society_team = app.store.teams_of(&app.actor("nongxue").await).await.unwrap();
    let society_team = *society_team.first().expect("the 农学会 runs a volunteer team");
    let teams = app.store.list_teams(&sys).await.unwrap();
    let xiting_team = teams.iter().find(|t| t.name == "西亭镇科普志愿服务队").expect("the town's team").id;
    let mut ids = Vec::new();
    let mut ticket = String::new();
    for (town, team) in [("jinsha", Some(society_team)), ("xiting", Some(xiting_team)), ("jinsha", None)] {
        let region_id = match app.actor(town).await.scope {
            kexie_core::scope::Scope::Region { id, .. } => id,
            _ => unreachable!("a town officer"),
        };
        let input = kexie_core::volunteer::order::OrderInput {
            orderer_kind: kexie_core::volunteer::order::OrdererKind::Community,
            orderer: "社区居民委员会".into(),
            contact: "陈美华".into(),
            phone: "13962814417".into(),
            region_id,
            place: "新时代文明实践站".into(),
            kind: kexie_core::activity::ActivityKind::Lecture,
            topic: "家庭用电安全讲座".into(),
            wanted_on: kexie_core::estation::proof::day_of(chrono::Utc::now()) + chrono::Duration::days(10),
            audience: Some(50),
            detail: None,
            project_id: None,
        };
        let consent = kexie_core::privacy::consent("yes", chrono::Utc::now()).unwrap();
        let o = app.store.place_order(&input, &consent).await.unwrap();
        if let Some(team) = team {
            app.store.dispatch_order(&sys, o.id, team).await.unwrap();
        }
        ids.push(o.id);
        ticket = o.ticket;
    }
    ((ids[0], ids[1]), ticket)
}

/// The first volunteer and team the actor sees, and (for a town) a volunteer it does not.
async fn volunteer_ids(app: &TestApp, actor: &kexie_core::account::Actor) -> (i64, Option<i64>, i64) {
    use kexie_core::account::{Action, Area};
    if !actor.can(Area::Volunteer, Action::View) {
        return (1, None, 1);
    }
    let sys = kexie_core::account::Actor::system("t");
    let first = PageRequest::new(Some(1), Some(1));
    let mine = app.store.list_volunteers(actor, &Default::default(), first).await.unwrap();
    let volunteer =
        mine.items.first().map(|v| v.v.id).unwrap_or_else(|| panic!("{} sees no volunteer", actor.username));
    let team = app.store.list_teams(actor).await.unwrap().first().map(|t| t.id).expect("a team");
    let foreign = match actor.scope {
        kexie_core::scope::Scope::Region { .. } => {
            let all = app.store.list_volunteers(&sys, &Default::default(), PageRequest::new(Some(1), Some(200))).await;
            let mut found = None;
            for v in all.unwrap().items {
                if app.store.get_volunteer(actor, v.v.id).await.is_err() {
                    found = Some(v.v.id);
                    break;
                }
            }
            found
        }
        _ => None,
    };
    (volunteer, foreign, team)
}

/// A courseware piece with its PDF, passed by two reviewers; a draft; and a stage show in
/// 金沙街道 and one in 西亭镇.
async fn outreach_fixture(app: &TestApp) -> (i64, i64, i64, i64, i64, i64) {
    use kexie_core::outreach::review::ReviewStep;
    let staff = app.login("staff").await;
    let token = app.csrf(&staff).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("title", "家庭急救技能培训课件")
        .text("kind", "courseware")
        .text("topic", "应急避险")
        .text("audience", "社会公众")
        .text("source", "upstream")
        .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.7 fixture".to_vec()).file_name("急救课件.pdf"));
    let r = staff.post(app.url("/outreach/content")).multipart(form).send().await.unwrap();
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let content: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let (author, science, editor) = (app.actor("staff").await, app.actor("kepu").await, app.actor("bianji").await);
    app.store.review_content(&author, content, ReviewStep::Submit, "").await.unwrap();
    app.store.review_content(&science, content, ReviewStep::Pass, "").await.unwrap();
    app.store.review_content(&editor, content, ReviewStep::Pass, "").await.unwrap();
    let draft = kexie_core::outreach::content::ContentForm {
        title: "草稿：秋冬季节防火常识".into(),
        kind: "article".into(),
        topic: "应急避险".into(),
        audience: "社会公众".into(),
        source: "original".into(),
        body: "<p>草稿</p>".into(),
        ..Default::default()
    };
    let draft = app.store.create_content(&author, &draft.check().unwrap(), None).await.unwrap();
    let town = |u: &'static str| async move {
        match app.actor(u).await.scope {
            kexie_core::scope::Scope::Region { id, .. } => id,
            _ => unreachable!(),
        }
    };
    let mut shows = Vec::new();
    let mut handed = Vec::new();
    for u in ["jinsha", "xiting"] {
        let input = kexie_core::outreach::publication::PublicationInput {
            channel: kexie_core::outreach::Channel::Stage,
            account: "科普文艺小分队".into(),
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
            link: None,
            issue: Some("科普快板《防溺水》".into()),
            region_id: Some(town(u).await),
        };
        shows.push(app.store.record_publication(&author, content, &input, None).await.unwrap());
        let out = kexie_core::outreach::distribution::DistributionInput {
            resource: "《应急科普知识读本》".into(),
            resource_kind: "book".into(),
            quantity: 100,
            recipient: "街道科协".into(),
            region_id: town(u).await,
            sent_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            note: None,
        };
        let id = app.store.create_distribution(&author, &out).await.unwrap();
        let form = reqwest::multipart::Form::new()
            .text("_csrf", app.csrf(&staff).await)
            .text("signed_by", "张丽")
            .text("signed_on", "2026-03-03")
            .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 receipt".to_vec()).file_name("回执.pdf"));
        let r =
            staff.post(app.url(&format!("/outreach/distributions/{id}/sign"))).multipart(form).send().await.unwrap();
        assert_eq!(r.status(), 303, "receipt signed");
        handed.push(id);
    }
    (content, draft, shows[0], shows[1], handed[0], handed[1])
}

/// Two suggestions sent from the public page with a photo each, accepted and routed to
/// 金沙街道 and 西亭镇; and the follow-up token of a third, still waiting.
async fn suggestion_fixture(app: &TestApp) -> ((i64, i64), String) {
    use kexie_core::suggestion::{Assignment, Moderation, Step};
    let sys = kexie_core::account::Actor::system("t");
    let mut ids = Vec::new();
    for town in ["jinsha", "xiting"] {
        crate::suggestion::submit_one(app, &[], vec![("p.png", crate::suggestion::PNG.to_vec())]).await;
        let id = app
            .store
            .list_suggestions(&sys, &Default::default(), PageRequest::new(Some(1), Some(1)))
            .await
            .unwrap()
            .items[0]
            .s
            .id;
        let accept = Moderation { step: Step::Accept, reason: None, note: None };
        app.store.moderate_suggestion(&sys, id, &accept).await.unwrap();
        let region = match app.actor(town).await.scope {
            kexie_core::scope::Scope::Region { id, .. } => id,
            _ => unreachable!("a town officer"),
        };
        let due_on = kexie_core::estation::proof::day_of(chrono::Utc::now()) + chrono::Duration::days(7);
        let a = Assignment { region_id: Some(region), account_id: None, due_on, note: None };
        app.store.assign_suggestion(&sys, id, &a).await.unwrap();
        ids.push(id);
    }
    let follow = crate::suggestion::submit_one(app, &[], vec![]).await;
    ((ids[0], ids[1]), follow.trim_start_matches("/suggest/t/").to_string())
}

/// The first station the actor sees, and one it does not (for a town).
async fn station_ids(app: &TestApp, actor: &kexie_core::account::Actor) -> (i64, Option<i64>) {
    let first = PageRequest::new(Some(1), Some(1));
    let Ok(mine) = app.store.list_stations(actor, &Default::default(), first).await else { return (1, None) };
    let station = mine.page.items.first().map_or(1, |s| s.id);
    let all = app.store.station_names().await.unwrap();
    let foreign = match actor.scope {
        kexie_core::scope::Scope::Region { .. } => {
            let mut ids: Vec<i64> = all.keys().copied().collect();
            ids.sort_unstable();
            let mut found = None;
            for id in ids {
                if app.store.get_station(actor, id).await.is_err() {
                    found = Some(id);
                    break;
                }
            }
            found
        }
        _ => None,
    };
    (station, foreign)
}

/// The first need, expert and engagement the actor sees, and a need and an expert (of the
/// association's) that it does not.
async fn matchmaking_ids(
    app: &TestApp,
    actor: &kexie_core::account::Actor,
) -> (i64, Option<i64>, i64, Option<i64>, i64) {
    use kexie_core::account::{Action, Area};
    let sys = kexie_core::account::Actor::system("t");
    let all = PageRequest::new(Some(1), Some(1000));
    if !actor.can(Area::Need, Action::View) && !actor.can(Area::Expert, Action::View) {
        return (1, None, 1, None, 1);
    }
    let first = PageRequest::new(Some(1), Some(1));
    let need =
        app.store.list_needs(actor, &Default::default(), first).await.map(|p| p.items.first().map(|n| n.need.id));
    let expert = app.store.list_experts(actor, &Default::default(), first).await.map(|p| p.items.first().map(|e| e.id));
    let engagement = app
        .store
        .list_engagements(actor, &Default::default(), first)
        .await
        .map(|p| p.items.first().map(|e| e.engagement.id));
    let mut foreign_need = None;
    for n in app.store.list_needs(&sys, &Default::default(), all).await.unwrap().items {
        if app.store.get_need(actor, n.need.id).await.is_err() {
            foreign_need = Some(n.need.id);
            break;
        }
    }
    let mut foreign_expert = None;
    for e in app.store.list_experts(&sys, &Default::default(), all).await.unwrap().items {
        if app.store.get_expert(actor, e.id).await.is_err() {
            foreign_expert = Some(e.id);
            break;
        }
    }
    let some = |r: Result<Option<i64>, _>, what: &str| {
        r.ok().flatten().unwrap_or_else(|| panic!("{} sees no {what}", actor.username))
    };
    (
        if actor.can(Area::Need, Action::View) { some(need, "need") } else { 1 },
        foreign_need,
        if actor.can(Area::Expert, Action::View) { some(expert, "expert") } else { 1 },
        foreign_expert,
        if actor.can(Area::Engagement, Action::View) { some(engagement, "engagement") } else { 1 },
    )
}

fn fill(path: &str, c: &Caller, foreign: bool) -> Option<String> {
    let area_id = if path.starts_with("/orgs/") || path.starts_with("/api/v1/orgs/") {
        if foreign { c.foreign_org? } else { c.org }
    } else if path.starts_with("/people/") || path.starts_with("/api/v1/people/") {
        if foreign { c.foreign_person? } else { c.person }
    } else if path.starts_with("/match/needs/") || path.starts_with("/api/v1/needs/") {
        if foreign { c.foreign_need? } else { c.need }
    } else if path.starts_with("/match/experts/") || path.starts_with("/api/v1/experts/") {
        if foreign { c.foreign_expert? } else { c.expert }
    } else if path.starts_with("/estation/stations/") {
        if foreign { c.foreign_station? } else { c.station }
    } else if path.starts_with("/outreach/content/") && path.ends_with("/edit") {
        c.draft
    } else if path.starts_with("/outreach/content/") {
        c.content
    } else if path.starts_with("/outreach/publications/") {
        c.publication
    } else if path.starts_with("/outreach/distributions/") {
        c.distribution
    } else if path.starts_with("/suggestions/") {
        if foreign { c.foreign_suggestion? } else { c.suggestion }
    } else if path.starts_with("/activities/") {
        if foreign { c.foreign_activity? } else { c.activity }
    } else if path.starts_with("/orders/") {
        if foreign { c.foreign_order? } else { c.order }
    } else if path.starts_with("/a/") {
        if foreign { return None } else { c.activity }
    } else if path.starts_with("/volunteers/teams/") {
        if foreign { return None } else { c.team }
    } else if path.starts_with("/volunteers/projects/") {
        if foreign { c.foreign_project? } else { c.project }
    } else if path.starts_with("/volunteers/shifts/") || path.starts_with("/volunteers/places/") {
        if foreign { c.foreign_shift? } else { c.shift }
    } else if path.starts_with("/volunteers/")
        && !path.starts_with("/volunteers/members/")
        && !path.starts_with("/volunteers/hours/")
    {
        if foreign { c.foreign_volunteer? } else { c.volunteer }
    } else if foreign {
        return None;
    } else if path.starts_with("/match/engagements/") {
        c.engagement
    } else if path.starts_with("/regions/") {
        c.region
    } else if path.starts_with("/tokens/") {
        c.revocable_token
    } else {
        1
    };
    let mut p = path
        .replace("{id}", &area_id.to_string())
        .replace("{officer}", &c.officer.to_string())
        .replace("{conflict}", "1")
        .replace("{row}", "1")
        .replace("{meeting}", "1")
        .replace("{file}", "app.css")
        .replace("{n}", "1")
        .replace("{token}", &c.suggestion_token)
        .replace("{version}", "1")
        .replace("{channel}", "wechat")
        .replace("{ticket}", if path.starts_with("/order/t/") { &c.order_ticket } else { &c.ticket });
    if p == "/lang" {
        p.push_str("?to=zh-CN");
    }
    if p.starts_with("/a/") && p.ends_with("/door") {
        p.push_str(&format!("?k={}", c.activity_key));
    }
    Some(p)
}

/// The error code a response carries, if it is an error.
async fn outcome(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let location = r.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = r.text().await.unwrap_or_default();
    let code = if location.starts_with("/login?") && !location.contains("reason=logged_out") {
        "login_required".to_string()
    } else if let Some(i) = body.find("data-error-code=\"") {
        let rest = &body[i + 17..];
        rest[..rest.find('"').unwrap()].to_string()
    } else if let Ok(v) = serde_json::from_str::<serde_json::Value>(&body) {
        v["error"].as_str().unwrap_or("").to_string()
    } else {
        String::new()
    };
    (status, code)
}

async fn send(app: &TestApp, c: &Caller, spec: &RouteSpec, path: &str) -> reqwest::Response {
    let api = path.starts_with("/api/v1");
    let client = if api { app.client() } else { c.browser.clone() };
    let mut req = client.request(Method::from_bytes(spec.method.as_str().as_bytes()).unwrap(), app.url(path));
    if api {
        if let Some(t) = &c.token {
            req = req.bearer_auth(t);
        }
        if spec.method != axum::http::Method::GET {
            req = req.json(&serde_json::json!({}));
        }
    } else if spec.method != axum::http::Method::GET {
        let token = if c.role.is_some() { app.csrf(&c.browser).await } else { String::new() };
        req = req.form(&[("_csrf", token)]);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_permission_table_says() {
    let app = TestApp::spawn().await;
    // An emergency broadcast (and so a delivery receipt) for the pages that show one.
    let input = kexie_core::estation::schedule::InterruptInput {
        media_id: 1,
        target: kexie_core::estation::manifest::Target::All,
        until: kexie_store::now() + chrono::Duration::hours(1),
        campaign: None,
    };
    app.store.start_interrupt(&kexie_core::account::Actor::system("t"), &input).await.unwrap();
    let callers = callers(&app).await;
    // The device API answers screens, not accounts: its own tests cover it.
    let mut routes: Vec<_> = catalog().into_iter().filter(|r| r.need != Need::Device).collect();
    // Reads first, then writes, and signing out last of all.
    routes.sort_by_key(|r| (r.method != axum::http::Method::GET, r.path == "/logout"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for spec in &routes {
        for c in &callers {
            let path = fill(spec.path, c, false).unwrap();
            let allowed = spec.need.allows(c.role);
            let (status, code) = outcome(send(&app, c, spec, &path).await).await;
            checked += 1;
            let denied = matches!(code.as_str(), "forbidden" | "login_required");
            let ok = if allowed {
                !denied
                    && (spec.method != axum::http::Method::GET
                        || status == 200
                        || (status == 303 && spec.need == Need::Public))
            } else if c.role.is_none() {
                code == "login_required"
            } else {
                status == 403 && code == "forbidden"
            };
            if !ok {
                failures
                    .push(format!("{} {path} as {}: {status} {code} (allowed: {allowed})", spec.method, c.username));
            }
            // Out of scope: the record does not exist for this caller.
            if allowed
                && spec.method == axum::http::Method::GET
                && let Some(foreign) = fill(spec.path, c, true)
                && foreign != path
            {
                let (status, code) = outcome(send(&app, c, spec, &foreign).await).await;
                checked += 1;
                if status != 404 {
                    failures.push(format!("GET {foreign} as {} (out of scope): {status} {code}", c.username));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} checks failed:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > routes.len() * USERS.len());
    app.cleanup().await;
}
