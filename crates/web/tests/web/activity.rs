//! 活动 as staff and the public live them: staff plan an activity (bad input refused with
//! nothing written), publish it; people register on their phones (twice is refused, a full
//! activity says so), check in and out at the door by the activity's code or by staff
//! scanning their ticket (doubles and out-before-in refused); a volunteer's check-out writes
//! their service hours; staff report and close; and a crowd at the door is counted once each.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::estation::schedule::format_local;
use kexie_core::page::PageRequest;
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// A published activity in 金沙街道 that started two hours ago and ends in an hour.
pub async fn open_activity(app: &TestApp, capacity: Option<i32>) -> (i64, String) {
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let town = match app.actor("jinsha").await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id,
        _ => unreachable!("a town officer"),
    };
    let input = kexie_core::activity::ActivityInput {
        title: "老年人防范电信诈骗科普讲座".into(),
        kind: kexie_core::activity::ActivityKind::Lecture,
        theme: "冬季防病与反诈".into(),
        month_theme: true,
        organiser_org_id: app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap(),
        co_organisers: None,
        place: "金沙街道新时代文明实践所".into(),
        region_id: town,
        starts_at: now - chrono::Duration::hours(2),
        ends_at: now + chrono::Duration::hours(1),
        capacity,
        audience: Some("社区居民".into()),
        summary: None,
        volunteer_hours: true,
    };
    let id = app.store.create_activity(&sys, &input).await.unwrap();
    app.store.activity_step(&sys, id, kexie_core::activity::Step::Publish).await.unwrap();
    let key = app.store.get_activity(&sys, id).await.unwrap().row.a.checkin_key;
    (id, key)
}

/// The door page as a phone opens it from the activity's code: its form token.
async fn door_token(app: &TestApp, c: &Client, id: i64, key: &str) -> String {
    let (status, page) = app.get_text(c, &format!("/a/{id}/door?k={key}")).await;
    assert_eq!(status, 200);
    hidden(&page, "_csrf").expect("door token")
}

pub async fn at_door(
    app: &TestApp,
    c: &Client,
    id: i64,
    key: &str,
    name: &str,
    phone: &str,
    action: &str,
) -> (u16, String) {
    let token = door_token(app, c, id, key).await;
    let r = c
        .post(app.url(&format!("/a/{id}/door")))
        .form(&[("_csrf", token.as_str()), ("k", key), ("name", name), ("phone", phone), ("action", action)])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn register(app: &TestApp, c: &Client, id: i64, name: &str, phone: &str) -> reqwest::Response {
    let (_, page) = app.get_text(c, &format!("/a/{id}")).await;
    let mut f = public_form(&page);
    f.extend([("name", name.to_string()), ("phone", phone.to_string())]);
    c.post(app.url(&format!("/a/{id}/register"))).form(&f).send().await.unwrap()
}

/// A verified demo volunteer of 金沙街道 with a phone: (volunteer id, name, phone).
async fn jinsha_volunteer(app: &TestApp) -> (i64, String, String) {
    let jinsha = app.actor("jinsha").await;
    let f = kexie_store::volunteer::VolunteerFilter {
        status: Some(kexie_core::volunteer::Status::Verified),
        ..Default::default()
    };
    let sys = Actor::system("t");
    let id = app.store.list_volunteers(&jinsha, &f, PageRequest::new(Some(1), Some(1))).await.unwrap().items[0].v.id;
    let v = app.store.get_volunteer(&sys, id).await.unwrap();
    (id, v.row.name, v.row.phone)
}

#[tokio::test]
async fn an_activity_from_plan_to_door_to_report() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let staff = app.login("staff").await;
    let total = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            store
                .list_activities(&Actor::system("t"), &Default::default(), PageRequest::new(Some(1), Some(1)))
                .await
                .unwrap()
                .total
        }
    };
    let before = total(&app).await;
    let organiser = app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap().to_string();
    let town = match app.actor("jinsha").await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id.to_string(),
        _ => unreachable!(),
    };
    let now = chrono::Utc::now();
    let (start, end) = (format_local(now - chrono::Duration::hours(2)), format_local(now + chrono::Duration::hours(1)));
    let mut form = vec![
        ("title", "老年人防范电信诈骗科普讲座"),
        ("kind", "lecture"),
        ("theme", "冬季防病与反诈"),
        ("month_theme", "on"),
        ("organiser_org_id", organiser.as_str()),
        ("place", "金沙街道新时代文明实践所"),
        ("region_id", town.as_str()),
        ("starts_at", end.as_str()),
        ("ends_at", start.as_str()),
        ("capacity", "0"),
        ("volunteer_hours", "on"),
    ];
    let r = app.post(&staff, "/activities", &form).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("结束时间应晚于开始时间") && page.contains("名额应为"), "both errors shown");
    assert_eq!(total(&app).await, before, "nothing written");

    form[7] = ("starts_at", start.as_str());
    form[8] = ("ends_at", end.as_str());
    form[9] = ("capacity", "4");
    let r = app.post(&staff, "/activities", &form).await;
    assert_eq!(r.status(), 303);
    let id: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    let public = app.client();
    assert_eq!(app.get(&public, &format!("/a/{id}")).await.status(), 404, "a draft is not public");
    assert_eq!(app.post(&staff, &format!("/activities/{id}/step"), &[("step", "publish")]).await.status(), 303);
    let key = app.store.get_activity(&sys, id).await.unwrap().row.a.checkin_key;

    // Registration asks the public forms' sum: without it, with a wrong answer, or with the
    // honeypot filled, nothing is written; a used question cannot be used again.
    let (_, page) = app.get_text(&public, &format!("/a/{id}")).await;
    let good = public_form(&page);
    let someone = [("name", "钱国强".to_string()), ("phone", "13962810077".to_string())];
    let wrong = (good[2].1.parse::<i64>().unwrap() + 1).to_string();
    for change in [("answer", ""), ("answer", wrong.as_str()), ("website", "http://spam.example")] {
        let mut f: Vec<(&str, String)> = good.iter().cloned().chain(someone.iter().cloned()).collect();
        match f.iter_mut().find(|(k, _)| *k == change.0) {
            Some(e) => e.1 = change.1.to_string(),
            None => f.push((change.0, change.1.to_string())),
        }
        let r = public.post(app.url(&format!("/a/{id}/register"))).form(&f).send().await.unwrap();
        assert_eq!(r.status(), 422, "{change:?}");
        assert!(r.text().await.unwrap().contains("data-error-for=\"answer\">"), "{change:?}");
    }
    let f: Vec<(&str, String)> = good.iter().cloned().chain(someone.iter().cloned()).collect();
    assert_eq!(public.post(app.url(&format!("/a/{id}/register"))).form(&f).send().await.unwrap().status(), 303);
    let mut again = f.clone();
    again.iter_mut().find(|(k, _)| *k == "phone").unwrap().1 = "13962810066".into();
    let r = public.post(app.url(&format!("/a/{id}/register"))).form(&again).send().await.unwrap();
    assert_eq!(r.status(), 422, "a question is answered once");
    assert_eq!(app.store.get_activity(&sys, id).await.unwrap().row.a.registered, 1);

    // Registration on a phone: a volunteer and a neighbour; twice is refused.
    let (vid, vname, vphone) = jinsha_volunteer(&app).await;
    let r = register(&app, &public, id, &vname, &vphone).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/a/t/"));
    let r = register(&app, &public, id, &vname, &vphone).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("该手机号已报名"));
    let r = register(&app, &public, id, "周桂英", "13962810088").await;
    assert_eq!(r.status(), 303);
    let ticket = r.headers()["location"].to_str().unwrap().trim_start_matches("/a/t/").to_string();
    let (status, page) = app.get_text(&public, &format!("/a/t/{ticket}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-ticket-qr") && page.contains("139****0088"), "the ticket shows its code, phone masked");

    // At the door: a walk-in takes the last place; the next registration finds it full.
    let (status, page) = at_door(&app, &public, id, &key, "顾建军", "13706281234", "in").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("签到成功"));
    let r = register(&app, &public, id, "吴秀兰", "13962810099").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("名额已满"));
    // The volunteer checks in; a second check-in is refused; checking out unseen is refused.
    let (status, _) = at_door(&app, &public, id, &key, &vname, &vphone, "in").await;
    assert_eq!(status, 200);
    let (status, page) = at_door(&app, &public, id, &key, &vname, &vphone, "in").await;
    assert_eq!(status, 422);
    assert!(page.contains("已签到，不能重复签到"));
    let (status, page) = at_door(&app, &public, id, &key, "路人", "13812349999", "out").await;
    assert_eq!(status, 422);
    assert!(page.contains("尚未签到，不能签退"));
    let wrong = app.get(&public, &format!("/a/{id}/door?k=0000")).await;
    assert_eq!(wrong.status(), 404, "a wrong key is not this activity's door");

    // Staff scan the neighbour's ticket: in once, not twice.
    let (status, page) = app.get_text(&staff, &format!("/activities/scan/{ticket}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("周桂英"));
    let r = app.post(&staff, &format!("/activities/scan/{ticket}"), &[("action", "in")]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("data-door-done"));
    let r = app.post(&staff, &format!("/activities/scan/{ticket}"), &[("action", "in")]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(app.get(&app.login("xiting").await, &format!("/activities/scan/{ticket}")).await.status(), 404);

    // The volunteer arrived at the start (set back as time passing would) and leaves now:
    // an hour and a half of service, certified by the organiser.
    use kexie_store::entity::activity_registration as reg;
    let row = reg::Entity::find().filter(reg::Column::ActivityId.eq(id)).filter(reg::Column::Phone.eq(vphone.as_str()));
    let mut am: reg::ActiveModel = row.one(&app.store.db).await.unwrap().unwrap().into();
    am.checked_in_at = sea_orm::Set(Some(kexie_store::now() - chrono::Duration::minutes(150)));
    sea_orm::ActiveModelTrait::update(am, &app.store.db).await.unwrap();
    let (status, page) = at_door(&app, &public, id, &key, &vname, &vphone, "out").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("签退成功") && page.contains("已记录志愿服务时长 2 小时"), "{page}");
    let ledger = app.store.get_volunteer(&sys, vid).await.unwrap().records;
    let line = ledger.iter().find(|r| r.r.activity_id == Some(id)).expect("a service record from the check-out");
    assert_eq!(line.r.minutes, 120, "counted from the start, not from arrival");
    assert_eq!(line.r.status, "approved");
    assert_eq!(line.r.certified_by.as_deref(), Some("金沙街道科学技术协会"));
    let (status, page) = at_door(&app, &public, id, &key, &vname, &vphone, "out").await;
    assert_eq!(status, 422);
    assert!(page.contains("已签退"));

    // The staff page: three attended; the report is required, then kept; closing ends the door.
    let (_, page) = app.get_text(&staff, &format!("/activities/{id}")).await;
    assert!(page.contains("data-attended>3<"), "three attended");
    let r = app.post(&staff, &format!("/activities/{id}/report"), &[("report", "  ")]).await;
    assert_eq!(r.status(), 422);
    let report = "金沙街道科协在新时代文明实践所举办防范电信诈骗讲座，社区老人踊跃参加。";
    let r = app.post(&staff, &format!("/activities/{id}/report"), &[("report", report), ("extra_reach", "40")]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.post(&staff, &format!("/activities/{id}/step"), &[("step", "close")]).await.status(), 303);
    let (status, page) = at_door(&app, &public, id, &key, "迟到者", "13812340000", "in").await;
    assert_eq!(status, 422);
    assert!(page.contains("签到码无效"));
    let (_, page) = app.get_text(&staff, &format!("/activities/{id}")).await;
    assert!(page.contains(report));

    // The year's figures count it; the export lists it.
    let year = chrono::Datelike::year(&kexie_core::estation::proof::day_of(now));
    let figures = app.store.activity_figures(&sys, year).await.unwrap();
    let lecture = figures.by_kind.iter().find(|l| l.key == "lecture").unwrap();
    assert!(lecture.attended >= 3);
    let (status, page) = app.get_text(&staff, &format!("/activities/figures?year={year}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-chart=\"kind\""));
    let bytes = app.get(&staff, "/activities/export.xlsx?q=防范电信诈骗").await.bytes().await.unwrap();
    let rows = kexie_web::xlsx::read_rows(&bytes).unwrap();
    assert!(rows.iter().any(|r| r[0] == id.to_string() && r[12] == "3"), "the export carries the attendance");
    // The outreach overview counts the people reached at activities: checked in and beyond.
    let (_, page) = app.get_text(&staff, &format!("/outreach?year={year}")).await;
    let shown: i64 = page
        .split("data-stat=\"activity-reach\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert_eq!(shown, figures.total.reach());
    assert!(figures.total.extra_reach >= 40, "the report's extra reach counts");
    app.cleanup().await;
}

#[tokio::test]
async fn a_crowd_at_the_door_is_counted_once_each() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    // Forty people try for thirty places at once: thirty get in, ten are told it is full.
    let (id, key) = open_activity(&app, Some(30)).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (addr, key) = (app.addr.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let c = Client::builder().cookie_store(true).build().unwrap();
            let base = format!("http://{addr}");
            let page = c.get(format!("{base}/a/{id}/door?k={key}")).send().await.unwrap().text().await.unwrap();
            let token = hidden(&page, "_csrf").unwrap();
            let phone = format!("1390628{:04}", i);
            let r = c
                .post(format!("{base}/a/{id}/door"))
                .form(&[("_csrf", token.as_str()), ("k", &key), ("name", "张三"), ("phone", &phone), ("action", "in")])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }));
    }
    let mut ok = 0;
    let mut full = 0;
    for t in tasks {
        let (status, page) = t.await.unwrap();
        match status {
            200 => ok += 1,
            422 if page.contains("名额已满") => full += 1,
            other => panic!("unexpected {other}: {page}"),
        }
    }
    assert_eq!((ok, full), (30, 10));
    let v = app.store.get_activity(&sys, id).await.unwrap();
    assert_eq!((v.row.attended, v.row.a.registered), (30, 30));

    // One phone pressed ten times at once: one check-in, nine refusals.
    let (id, key) = open_activity(&app, None).await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let (addr, key) = (app.addr.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let c = Client::builder().cookie_store(true).build().unwrap();
            let base = format!("http://{addr}");
            let page = c.get(format!("{base}/a/{id}/door?k={key}")).send().await.unwrap().text().await.unwrap();
            let token = hidden(&page, "_csrf").unwrap();
            let r = c
                .post(format!("{base}/a/{id}/door"))
                .form(&[
                    ("_csrf", token.as_str()),
                    ("k", &key),
                    ("name", "李四"),
                    ("phone", "13906289999"),
                    ("action", "in"),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        let (status, page) = t.await.unwrap();
        assert!(status == 200 || page.contains("已签到，不能重复签到"), "{status}: {page}");
        statuses.push(status);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1);
    let v = app.store.get_activity(&sys, id).await.unwrap();
    assert_eq!((v.row.attended, v.registrations.len()), (1, 1));
    app.cleanup().await;
}
