//! 个人信息保护 as citizens meet it: every public form that takes a phone or an ID number says
//! why and for how long, and refuses to write anything until the consent box is ticked, which
//! is then kept with the record; the privacy page and the ICP 备案 line are on every public
//! page; party-internal activities never reach the public; and a registered phone gets its
//! lost ticket back by a code sent to it, without telling anyone else whether it registered.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::activity::{ActivityInput, ActivityKind, Step};
use kexie_core::privacy::NOTICE_VERSION;
use kexie_store::entity::{activity_registration as reg, service_order, sms_outbox, suggestion, volunteer};
use reqwest::Client;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const CONSENT_ERROR: &str = "data-error-for=\"consent\">请阅读《隐私政策》并勾选同意后再提交";

async fn town(app: &TestApp, user: &str) -> i64 {
    match app.actor(user).await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id,
        _ => unreachable!("a town officer"),
    }
}

/// A published activity of 金沙街道 running now, of `kind`.
async fn activity(app: &TestApp, kind: ActivityKind, title: &str) -> i64 {
    let sys = Actor::system("t");
    let now = chrono::Utc::now();
    let input = ActivityInput {
        title: title.into(),
        kind,
        theme: "学习贯彻党的二十届四中全会精神".into(),
        month_theme: false,
        organiser_org_id: app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap(),
        co_organisers: None,
        place: "金沙街道新时代文明实践所".into(),
        region_id: town(app, "jinsha").await,
        starts_at: now + chrono::Duration::hours(1),
        ends_at: now + chrono::Duration::hours(3),
        capacity: None,
        audience: None,
        summary: None,
        volunteer_hours: false,
    };
    let id = app.store.create_activity(&sys, &input).await.unwrap();
    app.store.activity_step(&sys, id, Step::Publish).await.unwrap();
    id
}

async fn register(app: &TestApp, c: &Client, id: i64, phone: &str, consent: &str) -> reqwest::Response {
    let (_, page) = app.get_text(c, &format!("/a/{id}")).await;
    let mut f = public_form(&page);
    f.retain(|(k, _)| *k != "consent");
    f.extend([("name", "钱国强".to_string()), ("phone", phone.to_string()), ("consent", consent.to_string())]);
    c.post(app.url(&format!("/a/{id}/register"))).form(&f).send().await.unwrap()
}

async fn registrations(app: &TestApp, id: i64) -> u64 {
    reg::Entity::find().filter(reg::Column::ActivityId.eq(id)).count(&app.store.db).await.unwrap()
}

fn ticket_of(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().trim_start_matches("/a/t/").to_string()
}

#[tokio::test]
async fn every_public_form_asks_consent_before_writing_and_keeps_it_with_the_record() {
    let app = TestApp::spawn().await;
    let c = app.client();

    // Activity registration: the purpose and retention are stated, the box starts unticked.
    let id = activity(&app, ActivityKind::Lecture, "冬季用电安全科普讲座").await;
    let (_, page) = app.get_text(&c, &format!("/a/{id}")).await;
    assert!(page.contains("仅用于本次活动的报名、签到和必要的活动通知；活动结束后保存 12 个月"), "purpose");
    let boxed = page.split("name=\"consent\"").nth(1).and_then(|r| r.split('>').next()).expect("a consent box");
    assert!(boxed.contains("required") && !boxed.contains("checked"), "required and unticked: {boxed}");
    assert!(page.contains("href=\"/privacy#register\""), "the consent line links the notice");
    let r = register(&app, &c, id, "13962810077", "").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(CONSENT_ERROR));
    assert_eq!(registrations(&app, id).await, 0, "nothing written");
    let r = register(&app, &c, id, "13962810077", "yes").await;
    assert_eq!(r.status(), 303);
    let row = reg::Entity::find().filter(reg::Column::Ticket.eq(ticket_of(&r))).one(&app.store.db).await.unwrap();
    let row = row.unwrap();
    assert_eq!(row.consent_version.as_deref(), Some(NOTICE_VERSION));
    assert!(row.consent_at.is_some_and(|t| (chrono::Utc::now() - t).num_seconds() < 60), "when");

    // Volunteer sign-up: the ID number is asked only with consent.
    let fields = |consent: &'static str| {
        vec![
            ("name", "顾晓燕"),
            ("gender", "female"),
            ("phone", "13706285566"),
            ("id_number", "320612199505050026"),
            ("region_id", "__town__"),
            ("skills", "科普讲解"),
            ("availability", "weekend_day"),
            ("password", "tongzhou-2026"),
            ("consent", consent),
        ]
    };
    let town = town(&app, "jinsha").await.to_string();
    let id_no = id_number("32061219950505002");
    let with = |consent| {
        fields(consent)
            .into_iter()
            .map(|(k, v)| match k {
                "region_id" => (k, town.clone()),
                "id_number" => (k, id_no.clone()),
                _ => (k, v.to_string()),
            })
            .collect::<Vec<_>>()
    };
    let volunteers = || volunteer::Entity::find().count(&app.store.db);
    let before = volunteers().await.unwrap();
    let (_, page) = app.get_text(&c, "/join").await;
    assert!(page.contains("身份证号和所在镇街仅用于志愿者身份核验") && page.contains("退出志愿服务后 36 个月"));
    let f = with("");
    let r = join(&app, &c, &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(CONSENT_ERROR));
    assert_eq!(volunteers().await.unwrap(), before, "nothing written");
    let f = with("yes");
    let r = join(&app, &c, &f.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    assert_eq!(r.status(), 303);
    let v = volunteer::Entity::find().order_by_desc(volunteer::Column::Id).one(&app.store.db).await.unwrap().unwrap();
    assert_eq!(v.consent_version.as_deref(), Some(NOTICE_VERSION));
    assert!(v.consent_at.is_some());

    // Service orders.
    let orders = || service_order::Entity::find().count(&app.store.db);
    let before = orders().await.unwrap();
    let order = |consent: &'static str| {
        let (c, town) = (c.clone(), town.clone());
        let app = &app;
        async move {
            let wanted =
                (kexie_core::estation::proof::day_of(chrono::Utc::now()) + chrono::Duration::days(10)).to_string();
            crate::order::order(
                app,
                &c,
                &[
                    ("orderer_kind", "community"),
                    ("orderer", "金沙街道金南社区居民委员会"),
                    ("contact", "陈美华"),
                    ("phone", "13962814417"),
                    ("region_id", &town),
                    ("place", "金南社区新时代文明实践站二楼"),
                    ("kind", "lecture"),
                    ("topic", "老年人防范电信诈骗"),
                    ("wanted_on", &wanted),
                    ("consent", consent),
                ],
            )
            .await
        }
    };
    let r = order("").await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(CONSENT_ERROR));
    assert_eq!(orders().await.unwrap(), before, "nothing written");
    assert_eq!(order("yes").await.status(), 303);
    let o = service_order::Entity::find()
        .order_by_desc(service_order::Column::Id)
        .one(&app.store.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(o.consent_version.as_deref(), Some(NOTICE_VERSION));

    // Suggestions.
    let suggestions = || suggestion::Entity::find().count(&app.store.db);
    let before = suggestions().await.unwrap();
    let b = crate::suggestion::blank(&app, &c).await;
    let r = crate::suggestion::send(&app, &c, &b, &[("consent", "")], vec![]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(CONSENT_ERROR));
    assert_eq!(suggestions().await.unwrap(), before, "nothing written");
    let b = crate::suggestion::blank(&app, &c).await;
    assert_eq!(crate::suggestion::send(&app, &c, &b, &[], vec![]).await.status(), 303);
    let s = suggestion::Entity::find().order_by_desc(suggestion::Column::Id).one(&app.store.db).await.unwrap();
    assert_eq!(s.unwrap().consent_version.as_deref(), Some(NOTICE_VERSION));
    app.cleanup().await;
}

#[tokio::test]
async fn the_privacy_page_and_the_icp_line_are_on_every_public_page() {
    let app = TestApp::builder().config(|c| c.icp = "苏ICP备12345678号-1".into()).spawn().await;
    let c = app.client();
    let (status, page) = app.get_text(&c, "/privacy").await;
    assert_eq!(status, 200);
    for part in [
        "隐私政策",
        "我们收集哪些信息、为什么、保存多久",
        "身份证号",
        "事项结束后 36 个月",
        "谁能看到您的信息",
        "139****0077",
        "查询、更正和删除",
        "15 个工作日",
    ] {
        assert!(page.contains(part), "{part}");
    }
    assert!(page.contains(&format!("data-privacy-version=\"{NOTICE_VERSION}\"")));
    for form in ["join", "register", "suggest", "order"] {
        assert!(page.contains(&format!("id=\"{form}\"")), "the consent line's anchor {form}");
    }
    let en = app.client();
    assert_eq!(app.get(&en, "/lang?to=en").await.status(), 303);
    let (_, page) = app.get_text(&en, "/privacy").await;
    assert!(page.contains("Access, correction and deletion") && page.contains("36 months after the matter ends"));
    assert!(!page.contains("privacy."), "every key translated");

    let id = activity(&app, ActivityKind::Lecture, "冬季用电安全科普讲座").await;
    let icp = "<a href=\"https://beian.miit.gov.cn/\" target=\"_blank\" rel=\"noopener noreferrer\" data-icp>苏ICP备12345678号-1</a>";
    for path in
        ["/a".to_string(), format!("/a/{id}"), "/join".into(), "/order".into(), "/suggest".into(), "/privacy".into()]
    {
        let (status, page) = app.get_text(&c, &path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains(icp), "ICP on {path}");
        assert!(page.contains("<a href=\"/privacy\" data-privacy-link>隐私政策</a>"), "privacy link on {path}");
    }
    let (_, login) = app.get_text(&c, "/login").await;
    assert!(login.contains(icp) && login.contains("href=\"/privacy\""), "the login page too");

    // Without a number configured, no line at all.
    let plain = TestApp::builder().empty().spawn().await;
    let (_, login) = plain.get_text(&plain.client(), "/login").await;
    assert!(!login.contains("data-icp") && !login.contains("beian.miit.gov.cn"));
    plain.cleanup().await;
    app.cleanup().await;
}

#[tokio::test]
async fn party_internal_activities_never_reach_the_public_but_staff_see_them() {
    let app = TestApp::spawn().await;
    let public = app.client();
    let open = activity(&app, ActivityKind::Lecture, "冬季用电安全科普讲座").await;
    let mut internal = Vec::new();
    for (kind, title) in [
        (ActivityKind::PartyDay, "十二月主题党日：重温入党誓词"),
        (ActivityKind::JointPartyDay, "与江海机械党支部联合党日"),
        (ActivityKind::PartyStudy, "党纪学习教育专题读书班"),
    ] {
        internal.push((activity(&app, kind, title).await, title));
    }
    let (_, list) = app.get_text(&public, "/a").await;
    assert!(list.contains(&format!("href=\"/a/{open}\"")), "an ordinary activity is listed");
    let staff = app.login("staff").await;
    let sys = Actor::system("t");
    for (id, title) in internal {
        assert!(!list.contains(title) && !list.contains(&format!("/a/{id}\"")), "{title} not listed");
        assert_eq!(app.get(&public, &format!("/a/{id}")).await.status(), 404, "{title}");
        assert_eq!(app.get(&public, &format!("/a/{id}/recover")).await.status(), 404, "{title}");
        let (_, page) = app.get_text(&public, &format!("/a/{open}")).await;
        let mut f = public_form(&page);
        f.extend([("name", "钱国强".to_string()), ("phone", "13962810077".to_string())]);
        let r = public.post(app.url(&format!("/a/{id}/register"))).form(&f).send().await.unwrap();
        assert_eq!(r.status(), 404, "registration refused like a missing activity: {title}");
        assert_eq!(registrations(&app, id).await, 0);
        let (status, page) = app.get_text(&staff, &format!("/activities/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains(title), "staff still see {title}");
        // Those who attend still check in with the key from its QR code.
        let key = app.store.get_activity(&sys, id).await.unwrap().row.a.checkin_key;
        assert_eq!(app.get(&public, &format!("/a/{id}/door?k={key}")).await.status(), 200);
    }
    app.cleanup().await;
}

/// The last message the outbox holds for `phone`, as the administrator reads it.
async fn outbox_code(app: &TestApp, admin: &Client, phone: &str) -> Option<String> {
    let (status, page) = app.get_text(admin, "/sms").await;
    assert_eq!(status, 200);
    let row = page.split("<tr data-sms=").skip(1).find(|r| r.contains(phone))?;
    let at = row.find("验证码 ")? + "验证码 ".len();
    Some(row[at..at + 6].to_string())
}

async fn ask_code(app: &TestApp, c: &Client, id: i64, phone: &str) -> (u16, String) {
    let (_, page) = app.get_text(c, &format!("/a/{id}/recover")).await;
    let token = hidden(&page, "_csrf").unwrap();
    let r = c.post(app.url(&format!("/a/{id}/recover"))).form(&[("_csrf", token.as_str()), ("phone", phone)]);
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn type_code(app: &TestApp, c: &Client, id: i64, phone: &str, code: &str) -> reqwest::Response {
    let (_, page) = app.get_text(c, &format!("/a/{id}/recover")).await;
    let token = hidden(&page, "_csrf").unwrap();
    let f = [("_csrf", token.as_str()), ("phone", phone), ("code", code)];
    c.post(app.url(&format!("/a/{id}/recover/code"))).form(&f).send().await.unwrap()
}

#[tokio::test]
async fn a_registered_phone_gets_its_ticket_back_by_a_code_sent_to_it() {
    let app = TestApp::spawn().await;
    let phone = app.client();
    let admin = app.login("admin").await;
    let id = activity(&app, ActivityKind::Lecture, "冬季用电安全科普讲座").await;
    let r = register(&app, &phone, id, "13962810077", "yes").await;
    let ticket = ticket_of(&r);

    // Registering again says so, and now offers the way back.
    let r = register(&app, &app.client(), id, "13962810077", "yes").await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("该手机号已报名") && page.contains(&format!("<a href=\"/a/{id}/recover\">找回报名凭证</a>")));

    // A phone that is registered and one that is not get the same answer; only the first a code.
    let lost = app.client();
    let (status, registered) = ask_code(&app, &lost, id, "139 6281 0077").await;
    assert_eq!(status, 200);
    assert!(registered.contains("如该手机号已报名本活动，验证码已发送至 <strong>139****0077</strong>"));
    let stranger = app.client();
    let (status, unknown) = ask_code(&app, &stranger, id, "13812345678").await;
    assert_eq!(status, 200);
    assert_eq!(
        unknown.replace("138****5678", "PHONE").replace("13812345678", "FULL"),
        registered
            .replace("139****0077", "PHONE")
            .replace("13962810077", "FULL")
            .replace(&hidden(&registered, "_csrf").unwrap(), &hidden(&unknown, "_csrf").unwrap()),
        "the same page either way"
    );
    assert_eq!(outbox_code(&app, &admin, "13812345678").await, None, "no message to an unregistered phone");
    let code = outbox_code(&app, &admin, "13962810077").await.expect("a code in the outbox");
    assert_eq!(code.len(), 6);
    let sent = sms_outbox::Entity::find().filter(sms_outbox::Column::Phone.eq("13962810077")).count(&app.store.db);
    assert_eq!(sent.await.unwrap(), 1);

    // A wrong code is refused with the tries left; the right one opens the same ticket.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = type_code(&app, &lost, id, "13962810077", wrong).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("验证码不正确，还可尝试 4 次"));
    let r = type_code(&app, &lost, id, "13962810077", &code).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/a/t/{ticket}").as_str());
    assert_eq!(app.get(&lost, &format!("/a/t/{ticket}")).await.status(), 200);
    // Used once: typing it again is refused.
    assert_eq!(type_code(&app, &lost, id, "13962810077", &code).await.status(), 422);

    // A code never asked for is refused like an expired one, whoever types it.
    let r = type_code(&app, &stranger, id, "13962819999", "123456").await;
    assert!(r.text().await.unwrap().contains("验证码已过期或尚未获取"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_code_allows_few_tries_and_codes_are_limited_per_phone() {
    let app = TestApp::spawn().await;
    let c = app.client();
    let admin = app.login("admin").await;
    let id = activity(&app, ActivityKind::Lecture, "冬季用电安全科普讲座").await;
    assert_eq!(register(&app, &c, id, "13962810077", "yes").await.status(), 303);
    assert_eq!(ask_code(&app, &c, id, "13962810077").await.0, 200);
    let code = outbox_code(&app, &admin, "13962810077").await.unwrap();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..kexie_core::activity::recovery::ATTEMPTS).rev() {
        let r = type_code(&app, &c, id, "13962810077", wrong).await;
        assert!(r.text().await.unwrap().contains(&format!("还可尝试 {left} 次")), "{left}");
    }
    let r = type_code(&app, &c, id, "13962810077", wrong).await;
    assert!(r.text().await.unwrap().contains("错误次数过多"), "the fifth wrong try kills the code");
    let r = type_code(&app, &c, id, "13962810077", &code).await;
    assert_eq!(r.status(), 422, "even the right code is refused now");
    assert!(r.text().await.unwrap().contains("错误次数过多"));

    // A phone is sent a few codes at once, then must wait, from whatever address.
    for _ in 0..2 {
        assert_eq!(ask_code(&app, &app.client(), id, "13962810077").await.0, 200);
    }
    assert_eq!(ask_code(&app, &app.client(), id, "13962810077").await.0, 429);
    // A landline cannot receive a code.
    let (status, page) = ask_code(&app, &c, id, "0513-86123456").await;
    assert_eq!(status, 422);
    assert!(page.contains("请填写报名时使用的 11 位手机号（座机收不到验证码）"));
    app.cleanup().await;
}
