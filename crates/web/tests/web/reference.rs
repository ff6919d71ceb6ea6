//! Ids a caller writes into a record (issue 14): for every write that takes one, an id from
//! another town (or outside an organisation's subtree) is refused exactly like an id that does
//! not exist — same status, same error, same body — and nothing is written.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::org::OrgKind;
use kexie_core::page::PageRequest;
use kexie_store::StoreError;
use kexie_store::entity::audit_log;
use kexie_store::org::OrgFilter;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

/// An id no record has.
const MISSING: i64 = 999_999_999;

async fn audit_len(app: &TestApp) -> u64 {
    audit_log::Entity::find().count(&app.store.db).await.unwrap()
}

async fn town(app: &TestApp, name: &str) -> i64 {
    app.store.regions().await.unwrap().all().find(|r| r.name == name).unwrap().id
}

/// The first organisation of a kind in a town.
async fn org_in(app: &TestApp, town_name: &str, kind: OrgKind) -> i64 {
    let f = OrgFilter { kind: Some(kind), region_id: Some(town(app, town_name).await), ..Default::default() };
    let page = app.store.list_orgs(&Actor::system("t"), &f, PageRequest::new(Some(1), Some(1))).await.unwrap();
    page.items.first().unwrap_or_else(|| panic!("a {kind:?} in {town_name}")).org.id
}

/// A person of a town who is not the caller's.
async fn person_in(app: &TestApp, town_name: &str) -> i64 {
    let f = kexie_store::person::PersonFilter { region_id: Some(town(app, town_name).await), ..Default::default() };
    app.store.list_people(&Actor::system("t"), &f, PageRequest::new(Some(1), Some(1))).await.unwrap().items[0].person.id
}

/// The field error code of a refused write.
fn code(e: &StoreError) -> String {
    match e {
        StoreError::Invalid(i) => i.0.iter().map(|f| format!("{}:{}", f.field, f.code)).collect::<Vec<_>>().join(","),
        other => format!("{other:?}"),
    }
}

/// Posts the same JSON write twice, with `field` set to an id outside the caller's scope and
/// to a missing id: both answers must be the same 422 naming `unknown_ref`, and nothing written.
async fn api_case(app: &TestApp, token: &str, path: &str, body: &Value, field: &str, foreign: i64) {
    let c = app.client();
    let before = audit_len(app).await;
    let mut answers = Vec::new();
    for id in [foreign, MISSING] {
        let mut b = body.clone();
        b[field] = json!(id);
        let r = c.post(app.url(path)).bearer_auth(token).json(&b).send().await.unwrap();
        answers.push((r.status().as_u16(), r.text().await.unwrap()));
    }
    assert_eq!(answers[0], answers[1], "{path} {field}: another town's id answers like a missing one");
    assert_eq!(answers[0].0, 422, "{path} {field}");
    let v: Value = serde_json::from_str(&answers[0].1).unwrap();
    assert!(
        v["fields"].as_array().unwrap().iter().any(|f| f["field"] == field && f["code"] == "unknown_ref"),
        "{path} {field}: {v}"
    );
    assert_eq!(audit_len(app).await, before, "{path} {field}: nothing written");
}

/// The same for a write the pages make through the store: the two errors are identical (so
/// the pages and the API answer identically) and name `unknown_ref` on the field.
async fn store_case<F, Fut>(app: &TestApp, what: &str, field: &str, foreign: i64, write: F)
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<(), StoreError>>,
{
    let before = audit_len(app).await;
    let outside = write(foreign).await.expect_err(what);
    let missing = write(MISSING).await.expect_err(what);
    assert_eq!(format!("{outside:?}"), format!("{missing:?}"), "{what}: another town's id answers like a missing one");
    assert!(code(&outside).contains(&format!("{field}:unknown_ref")), "{what}: {}", code(&outside));
    assert_eq!(audit_len(app).await, before, "{what}: nothing written");
}

#[tokio::test]
async fn every_write_refuses_an_id_outside_scope_like_a_missing_one() {
    let app = TestApp::spawn().await;
    let jinsha_town = town(&app, "金沙街道").await;
    let xiting_town = town(&app, "西亭镇").await;
    let xiting_enterprise = org_in(&app, "西亭镇", OrgKind::Enterprise).await;
    let xiting_grassroots = org_in(&app, "西亭镇", OrgKind::Grassroots).await;
    let xiting_team = org_in(&app, "西亭镇", OrgKind::VolunteerTeam).await;
    let xiting_person = person_in(&app, "西亭镇").await;
    let jinsha_grassroots = org_in(&app, "金沙街道", OrgKind::Grassroots).await;

    // The JSON API, as the town officer of 金沙街道 (the finding: an 企业科协 bound to another
    // town's enterprise).
    let token = app.token_for("jinsha").await;
    let ea = json!({"code": "QX-9101", "name": "越权企业科协", "kind": "enterprise_association",
        "region_id": jinsha_town, "parent_id": jinsha_grassroots, "enterprise_id": null});
    api_case(&app, &token, "/api/v1/orgs", &ea, "enterprise_id", xiting_enterprise).await;
    api_case(&app, &token, "/api/v1/orgs", &ea, "parent_id", xiting_grassroots).await;
    api_case(&app, &token, "/api/v1/orgs", &ea, "region_id", xiting_town).await;
    let person = json!({"name": "越权人员", "region_id": jinsha_town, "org_id": null});
    api_case(&app, &token, "/api/v1/people", &person, "region_id", xiting_town).await;
    api_case(&app, &token, "/api/v1/people", &person, "org_id", xiting_grassroots).await;

    // An organisation's admin: only under their own organisation.
    let token = app.token_for("nongxue").await;
    let nongxue = app.actor("nongxue").await;
    let own = match nongxue.scope {
        kexie_core::scope::Scope::Org { id, .. } => id,
        _ => unreachable!("an organisation admin"),
    };
    let branch = json!({"code": "NX-9101", "name": "越权分会", "kind": "society",
        "region_id": jinsha_town, "parent_id": own});
    api_case(&app, &token, "/api/v1/orgs", &branch, "parent_id", xiting_grassroots).await;
    let member = json!({"name": "越权会员", "region_id": jinsha_town, "org_id": own});
    api_case(&app, &token, "/api/v1/people", &member, "org_id", xiting_grassroots).await;

    // Writes the pages make, as the town officer.
    let jinsha = app.actor("jinsha").await;
    let now = chrono::Utc::now();
    let activity = |organiser: i64, region: i64| kexie_core::activity::ActivityInput {
        title: "越权活动".into(),
        kind: kexie_core::activity::ActivityKind::Lecture,
        theme: "反诈".into(),
        month_theme: false,
        organiser_org_id: organiser,
        co_organisers: None,
        place: "金沙街道".into(),
        region_id: region,
        starts_at: now + chrono::Duration::days(1),
        ends_at: now + chrono::Duration::days(1) + chrono::Duration::hours(2),
        capacity: None,
        audience: None,
        summary: None,
        volunteer_hours: false,
    };
    store_case(&app, "activity organiser", "organiser_org_id", xiting_grassroots, |id| {
        let (store, a, input) = (app.store.clone(), jinsha.clone(), activity(id, jinsha_town));
        async move { store.create_activity(&a, &input).await.map(|_| ()) }
    })
    .await;
    store_case(&app, "activity town", "region_id", xiting_town, |id| {
        let (store, a, input) = (app.store.clone(), jinsha.clone(), activity(jinsha_grassroots, id));
        async move { store.create_activity(&a, &input).await.map(|_| ()) }
    })
    .await;
    store_case(&app, "officer", "person_id", xiting_person, |id| {
        let (store, a) = (app.store.clone(), jinsha.clone());
        async move { store.add_officer(&a, jinsha_grassroots, id, "chair").await }
    })
    .await;
    store_case(&app, "station town", "region_id", xiting_town, |id| {
        let (store, a) = (app.store.clone(), jinsha.clone());
        let input = kexie_core::estation::station::StationInput {
            name: "越权e站".into(),
            region_id: id,
            address: None,
            lat: None,
            lng: None,
            hours: "08:00-18:00".into(),
            audience_per_hour: 10,
            has_counter: false,
            tags: Vec::new(),
            five: [false; 5],
        };
        async move { store.create_station(&a, &input).await.map(|_| ()) }
    })
    .await;
    store_case(&app, "service project host", "org_id", xiting_team, |id| {
        let (store, a) = (app.store.clone(), jinsha.clone());
        let input = kexie_core::volunteer::project::ProjectInput {
            org_id: id,
            title: "越权服务项目".into(),
            kind: kexie_core::activity::ActivityKind::Lecture,
            summary: None,
            orderable: false,
        };
        async move { store.create_project(&a, &input).await.map(|_| ()) }
    })
    .await;
    let topic = "越权派单测试讲座";
    crate::order::good_order(&app, &app.client(), "jinsha", topic).await;
    let f = kexie_store::volunteer::order::OrderFilter { q: topic.into(), ..Default::default() };
    let order = app.store.list_orders(&jinsha, &f, PageRequest::new(Some(1), Some(1))).await.unwrap().items[0].o.id;
    store_case(&app, "order dispatch", "team_id", xiting_team, |id| {
        let (store, a) = (app.store.clone(), jinsha.clone());
        async move { store.dispatch_order(&a, order, id).await }
    })
    .await;
    let vf = kexie_store::volunteer::VolunteerFilter { town: Some(jinsha_town), ..Default::default() };
    let volunteer =
        app.store.list_volunteers(&jinsha, &vf, PageRequest::new(Some(1), Some(1))).await.unwrap().items[0].v.id;
    store_case(&app, "hours to a team", "team_id", xiting_team, |id| {
        let (store, a) = (app.store.clone(), jinsha.clone());
        let h = kexie_core::volunteer::ledger::HoursInput {
            served_on: now.date_naive() - chrono::Duration::days(2),
            minutes: 60,
            service: "越权时长".into(),
            place: "金沙街道".into(),
            team_id: Some(id),
            training: false,
            evaluation: None,
        };
        async move { store.enter_hours(&a, volunteer, &h).await.map(|_| ()) }
    })
    .await;
    app.cleanup().await;
}
