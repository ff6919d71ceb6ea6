//! 点单派单 as citizens, staff and a team live it: a resident orders a service on the public
//! page (bad input refused with every reason and nothing written); staff dispatch it to a
//! team; the team's admin accepts it, which plans a published activity the team organises (a
//! second accept is refused); the team reports it done and the resident rates it (before
//! done, and twice, refused; cancelling after acceptance refused); a team declines another
//! order with a reason and it goes back to staff, and its orderer cancels it; a town officer
//! of another town does not see the order; the list filters, masks phones and exports.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::estation::schedule::format_local;
use kexie_core::page::PageRequest;
use kexie_store::volunteer::order::OrderFilter;
use reqwest::Client;

async fn total(app: &TestApp) -> u64 {
    let all = PageRequest::new(Some(1), Some(1));
    app.store.list_orders(&Actor::system("t"), &OrderFilter::default(), all).await.unwrap().total
}

async fn town_of(app: &TestApp, user: &str) -> i64 {
    match app.actor(user).await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id,
        _ => unreachable!("a town officer"),
    }
}

fn china_today() -> chrono::NaiveDate {
    kexie_core::estation::proof::day_of(chrono::Utc::now())
}

/// Sends the public order form as a phone would: the page first, for its token.
pub async fn order(app: &TestApp, c: &Client, fields: &[(&str, &str)]) -> reqwest::Response {
    let (status, page) = app.get_text(c, "/order").await;
    assert_eq!(status, 200);
    let mut f: Vec<(&str, String)> = public_form(&page);
    for (k, v) in fields {
        match f.iter_mut().find(|(n, _)| n == k) {
            Some(e) => e.1 = v.to_string(),
            None => f.push((*k, v.to_string())),
        }
    }
    c.post(app.url("/order")).form(&f).send().await.unwrap()
}

/// A good order from a resident of the town of `user`, wanted in ten days: its ticket path.
pub async fn good_order(app: &TestApp, c: &Client, user: &str, topic: &str) -> String {
    let town = town_of(app, user).await.to_string();
    let wanted = (china_today() + chrono::Duration::days(10)).to_string();
    let r = order(
        app,
        c,
        &[
            ("orderer_kind", "community"),
            ("orderer", "金沙街道金南社区居民委员会"),
            ("contact", "陈美华"),
            ("phone", "139 6281 4417"),
            ("region_id", &town),
            ("place", "金南社区新时代文明实践站二楼"),
            ("kind", "lecture"),
            ("topic", topic),
            ("wanted_on", &wanted),
            ("audience", "60"),
            ("detail", "以社区老人为主，希望结合真实案例。"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303, "order placed");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/order/t/") && to.ends_with("?new=1"), "{to}");
    to.trim_end_matches("?new=1").to_string()
}

/// A team admin's account for `team`, signed in.
pub async fn team_admin(app: &TestApp, username: &str, team: i64) -> Client {
    let input = kexie_store::account::AccountInput {
        username: username.into(),
        role: "org_admin".into(),
        scope_org_id: Some(team),
        ..Default::default()
    };
    let hash = kexie_web::auth::password::hash(PASSWORD).await.unwrap();
    app.store.create_account(&Actor::system("t"), &input, &hash).await.unwrap();
    app.login(username).await
}

/// A move by ticket, with the phone's public form token (a finished order's page has no form).
async fn ticket_post(app: &TestApp, c: &Client, ticket: &str, what: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let (_, page) = app.get_text(c, "/order").await;
    let token = hidden(&page, "_csrf").expect("public form token");
    let mut f: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    f.extend_from_slice(fields);
    let r = c.post(app.url(&format!("{ticket}/{what}"))).form(&f).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn order_id(app: &TestApp, topic: &str) -> i64 {
    let f = OrderFilter { q: topic.into(), ..Default::default() };
    let list = app.store.list_orders(&Actor::system("t"), &f, PageRequest::new(Some(1), Some(5))).await.unwrap();
    assert_eq!(list.total, 1, "one order on {topic}");
    list.items[0].o.id
}

#[tokio::test]
async fn an_order_from_the_public_page_to_the_team_and_its_rating() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let phone_c = app.client();
    let before = total(&app).await;
    let jinsha = town_of(&app, "jinsha").await.to_string();

    // Every problem at once, in Chinese, and nothing written.
    let yesterday = (china_today() - chrono::Duration::days(1)).to_string();
    let r = order(
        &app,
        &phone_c,
        &[
            ("orderer_kind", "citizen"),
            ("orderer", "顾晓燕"),
            ("contact", "顾晓燕"),
            ("phone", "0513-86123456"),
            ("region_id", &jinsha),
            ("place", "金沙街道金南社区"),
            ("kind", "party_day"),
            ("topic", ""),
            ("wanted_on", &yesterday),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("请填写 11 位手机号"), "mobile only");
    assert!(page.contains("日期不能早于今天"), "no past dates");
    assert!(page.contains("此项为必填"), "topic and kind required");
    assert!(page.contains("value=\"顾晓燕\""), "what was typed is kept");
    assert_eq!(total(&app).await, before, "nothing written");

    // A good order lands on its ticket page.
    let topic = "老年人防诈骗讲座（金南社区专场）";
    let ticket = good_order(&app, &phone_c, "jinsha", topic).await;
    let (status, page) = app.get_text(&phone_c, &format!("{ticket}?new=1")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-ordered") && page.contains("data-status=\"ordered\""));
    assert!(page.contains("139****4417"), "the orderer's phone masked on the page behind the link");
    assert_eq!(total(&app).await, before + 1);
    let id = order_id(&app, topic).await;

    // Rating before the service is done is refused.
    let (status, page) = ticket_post(&app, &phone_c, &ticket, "rate", &[("rating", "5")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("服务完成后才能评价"));

    // Staff dispatch it to 金沙街道's team.
    let staff = app.login("staff").await;
    let (status, page) = app.get_text(&staff, &format!("/orders/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("13962814417"), "staff see the phone to call back");
    let teams = app.store.list_teams(&sys).await.unwrap();
    let team = teams.iter().find(|t| t.name == "金沙街道科普志愿服务队").expect("the town's team").id;
    let r = app.post(&staff, &format!("/orders/{id}/dispatch"), &[("team_id", "")]).await;
    assert_eq!(r.status(), 422, "a team must be chosen");
    let r = app.post(&staff, &format!("/orders/{id}/dispatch"), &[("team_id", &team.to_string())]).await;
    assert_eq!(r.status(), 303);

    // The team's admin sees it, and accepts with the activity's time.
    let leader = team_admin(&app, "jinsha_team", team).await;
    let (status, page) = app.get_text(&leader, "/orders").await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("data-order=\"{id}\"")), "dispatched to the team: on its list");
    let other = teams.iter().find(|t| t.id != team).expect("another team");
    assert!(!page.contains(&other.name), "the team filter names only the team's own");
    let r = app.post(&leader, &format!("/orders/{id}/dispatch"), &[("team_id", &team.to_string())]).await;
    assert_eq!(r.status(), 422, "a team does not dispatch");
    let day = chrono::Utc::now() + chrono::Duration::days(10);
    let (start, end) = (format_local(day), format_local(day + chrono::Duration::hours(2)));
    let r = app.post(&leader, &format!("/orders/{id}/accept"), &[("starts_at", &end), ("ends_at", &start)]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("结束时间应晚于开始时间"));
    let r = app.post(&leader, &format!("/orders/{id}/accept"), &[("starts_at", &start), ("ends_at", &end)]).await;
    assert_eq!(r.status(), 303);
    let v = app.store.get_order(&sys, id).await.unwrap();
    let (activity, _) = v.activity.expect("the planned activity");
    let a = app.store.get_activity(&sys, activity).await.unwrap().row;
    assert_eq!(a.status, kexie_core::activity::Status::Published);
    assert_eq!(a.a.organiser_org_id, team);
    assert_eq!(a.a.kind, "lecture");
    assert_eq!(a.a.place, "金南社区新时代文明实践站二楼");
    assert_eq!(a.a.region_id.to_string(), jinsha);

    // A second accept is refused, and plans nothing.
    let activities = app.store.list_activities(&sys, &Default::default(), PageRequest::new(Some(1), Some(1))).await;
    let r = app.post(&leader, &format!("/orders/{id}/accept"), &[("starts_at", &start), ("ends_at", &end)]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("服务队已接单"));
    let again = app.store.list_activities(&sys, &Default::default(), PageRequest::new(Some(1), Some(1))).await;
    assert_eq!(activities.unwrap().total, again.unwrap().total, "no second activity");

    // The orderer can no longer cancel; their page links the activity.
    let (status, page) = ticket_post(&app, &phone_c, &ticket, "cancel", &[]).await;
    assert_eq!(status, 422);
    assert!(page.contains("不能再取消"));
    assert!(page.contains(&format!("href=\"/a/{activity}\"")));

    // Done, then rated once.
    let r = app.post(&leader, &format!("/orders/{id}/done"), &[("note", "")]).await;
    assert_eq!(r.status(), 422, "a note is required");
    let r = app.post(&leader, &format!("/orders/{id}/done"), &[("note", "讲座按计划完成，到场老人 58 人。")]).await;
    assert_eq!(r.status(), 303);
    let (status, _) = ticket_post(&app, &phone_c, &ticket, "rate", &[("rating", "6")]).await;
    assert_eq!(status, 422, "one to five stars");
    let (status, _) =
        ticket_post(&app, &phone_c, &ticket, "rate", &[("rating", "5"), ("note", "讲得生动，老人们都听懂了")]).await;
    assert_eq!(status, 303);
    let (_, page) = app.get_text(&phone_c, &ticket).await;
    assert!(page.contains("data-rating=\"5\"") && page.contains("data-status=\"rated\""));
    for step in ["ordered", "dispatched", "accepted", "done", "rated"] {
        assert!(page.contains(&format!("data-step=\"{step}\"")), "timeline shows {step}");
    }
    let (status, page) = ticket_post(&app, &phone_c, &ticket, "rate", &[("rating", "1")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("已评价过"));
    assert_eq!(app.store.get_order(&sys, id).await.unwrap().row.o.rating, Some(5), "the first rating stands");

    // The town sees it; another town does not.
    let jinsha_c = app.login("jinsha").await;
    assert_eq!(app.get(&jinsha_c, &format!("/orders/{id}")).await.status(), 200);
    let xiting = app.login("xiting").await;
    assert_eq!(app.get(&xiting, &format!("/orders/{id}")).await.status(), 404);
    let (_, page) = app.get_text(&xiting, "/orders").await;
    assert!(!page.contains(&format!("data-order=\"{id}\"")));

    // The list filters (status, town, team, month, search), masks phones for towns, exports.
    let month = (china_today() + chrono::Duration::days(10)).format("%Y-%m").to_string();
    let q = format!("/orders?status=rated&town={jinsha}&team={team}&month={month}&q=%E9%98%B2%E8%AF%88%E9%AA%97");
    let (status, page) = app.get_text(&jinsha_c, &q).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("data-order=\"{id}\"")));
    assert!(page.contains("139****4417") && !page.contains("13962814417"), "phones masked in lists");
    let (_, page) = app.get_text(&jinsha_c, "/orders?status=cancelled&q=%E9%98%B2%E8%AF%88%E9%AA%97").await;
    assert!(!page.contains(&format!("data-order=\"{id}\"")));
    let r = app.get(&staff, &format!("/orders/export.xlsx?status=rated&team={team}")).await;
    assert_eq!(r.status(), 200);
    let rows = kexie_web::xlsx::read_rows(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(rows[0][0], "编号");
    assert!(rows.iter().any(|row| row[0] == id.to_string() && row[8] == topic && row[14] == "5"));

    // The team's rating counts in the year's exemplar view.
    let ratings = app.store.team_ratings(&sys, chrono::Datelike::year(&china_today())).await.unwrap();
    assert!(ratings.iter().any(|t| t.team_id == team && t.rated >= 1));
    app.cleanup().await;
}

#[tokio::test]
async fn a_declined_order_goes_back_to_staff_and_its_orderer_may_cancel_it() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let phone_c = app.client();
    let topic = "垃圾分类入户宣传活动";
    let ticket = good_order(&app, &phone_c, "jinsha", topic).await;
    let id = order_id(&app, topic).await;
    let team =
        app.store.list_teams(&sys).await.unwrap().iter().find(|t| t.name == "金沙街道科普志愿服务队").unwrap().id;
    // A town officer dispatches in their own town.
    let jinsha_c = app.login("jinsha").await;
    let r = app.post(&jinsha_c, &format!("/orders/{id}/dispatch"), &[("team_id", &team.to_string())]).await;
    assert_eq!(r.status(), 303);
    let leader = team_admin(&app, "jinsha_team2", team).await;
    let r = app.post(&leader, &format!("/orders/{id}/decline"), &[("note", "")]).await;
    assert_eq!(r.status(), 422, "a reason is required");
    let reason = "当天队员外出参加培训，请改派其他服务队。";
    let r = app.post(&leader, &format!("/orders/{id}/decline"), &[("note", reason)]).await;
    assert_eq!(r.status(), 303);
    let v = app.store.get_order(&sys, id).await.unwrap();
    assert_eq!(v.row.status, kexie_core::volunteer::order::Status::Ordered);
    assert_eq!(v.row.o.team_id, None);
    assert_eq!(v.row.o.decline_note.as_deref(), Some(reason));
    // Back with staff, it is no longer the team's.
    assert_eq!(app.get(&leader, &format!("/orders/{id}")).await.status(), 404);
    let (_, page) = app.get_text(&phone_c, &ticket).await;
    assert!(page.contains("data-step=\"declined\"") && page.contains(reason));
    // The orderer withdraws it; then nothing more moves it.
    let (status, _) = ticket_post(&app, &phone_c, &ticket, "cancel", &[]).await;
    assert_eq!(status, 303);
    let (_, page) = app.get_text(&phone_c, &ticket).await;
    assert!(page.contains("data-status=\"cancelled\"") && !page.contains("data-cancel"));
    let r = app.post(&jinsha_c, &format!("/orders/{id}/dispatch"), &[("team_id", &team.to_string())]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("该点单已取消"));
    // A ticket that is not one is simply not found.
    assert_eq!(app.get(&phone_c, "/order/t/not-a-ticket").await.status(), 404);
    assert_eq!(app.get(&phone_c, &format!("/order/t/{}", "0".repeat(32))).await.status(), 404);
    app.cleanup().await;
}

#[tokio::test]
async fn the_demo_year_has_orders_in_every_state() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let (status, page) = app.get_text(&staff, "/orders").await;
    assert_eq!(status, 200);
    let counts = app.store.order_counts(&Actor::system("t")).await.unwrap();
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    assert!(page.contains("data-count=\"rated\""));
    let (status, page) = app.get_text(&staff, "/volunteers/exemplars").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-team-rating="), "teams rated from orders");
    app.cleanup().await;
}

#[tokio::test]
async fn two_accepts_at_once_move_the_order_once() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let topic = "家庭用电安全讲座（两队同时接单）";
    good_order(&app, &app.client(), "jinsha", topic).await;
    let id = order_id(&app, topic).await;
    let team =
        app.store.list_teams(&sys).await.unwrap().iter().find(|t| t.name == "金沙街道科普志愿服务队").unwrap().id;
    app.store.dispatch_order(&sys, id, team).await.unwrap();
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    let when =
        kexie_core::volunteer::order::AcceptInput { starts_at: start, ends_at: start + chrono::Duration::hours(2) };
    let count = || async {
        app.store.list_activities(&sys, &Default::default(), PageRequest::new(Some(1), Some(1))).await.unwrap().total
    };
    let before = count().await;
    let (a, b) = tokio::join!(app.store.accept_order(&sys, id, &when), app.store.accept_order(&sys, id, &when));
    assert_eq!(a.is_ok() as u8 + b.is_ok() as u8, 1, "exactly one accept wins: {a:?} {b:?}");
    let lost = if a.is_ok() { b } else { a };
    match lost {
        Err(kexie_store::StoreError::Invalid(e)) => {
            assert_eq!(e.for_field("status").unwrap().code, "order_already_accepted")
        }
        other => panic!("the other accept is told why: {other:?}"),
    }
    assert_eq!(count().await, before + 1, "one activity planned");
    app.cleanup().await;
}

#[tokio::test]
async fn one_address_may_place_only_so_many_orders() {
    let app = TestApp::builder()
        .config(|c| {
            c.suggest_burst = 2;
            c.suggest_per_minute = 1;
        })
        .spawn()
        .await;
    let c = app.client();
    good_order(&app, &c, "jinsha", "青少年科学实验秀（第一场）").await;
    good_order(&app, &c, "jinsha", "青少年科学实验秀（第二场）").await;
    let before = total(&app).await;
    let r = order(&app, &c, &[("topic", "青少年科学实验秀（第三场）")]).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert_eq!(total(&app).await, before, "nothing read, nothing written");
    app.cleanup().await;
}
