//! What an outside security test found (issue 14), kept closed: planted markup stays text,
//! every state-changing request carries the session's token whatever its body, requests from
//! other sites are refused, redirects stay on the site, and sign-ins are throttled per source.

use crate::helpers::*;
use kexie_store::entity::{org, station};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};

const PLANTED: &str = "</script><form hx-post=/accounts/9/password hx-trigger=load><meta http-equiv=refresh content=0>";

/// The text of the page's `<script type="application/json" id="chart-data">` element.
fn chart_data(html: &str) -> serde_json::Value {
    let start = html.find("id=\"chart-data\">").expect("chart data element") + "id=\"chart-data\">".len();
    let end = start + html[start..].find("</script>").expect("element closed");
    serde_json::from_str(&html[start..end]).expect("chart data is JSON")
}

#[tokio::test]
async fn a_planted_station_name_stays_text_on_the_map_and_in_the_reports() {
    let app = TestApp::spawn().await;
    let (sid, org_id): (i64, i64) = station::Entity::find()
        .filter(station::Column::Lat.is_not_null())
        .select_only()
        .column(station::Column::Id)
        .column(station::Column::OrgId)
        .into_tuple()
        .one(&app.store.db)
        .await
        .unwrap()
        .expect("a demo station with coordinates");
    let name = format!("金沙{PLANTED}站");
    org::Entity::update_many()
        .col_expr(org::Column::Name, Expr::value(name.clone()))
        .filter(org::Column::Id.eq(org_id))
        .exec(&app.store.db)
        .await
        .unwrap();
    let c = app.login("admin").await;
    let (status, map) = app.get_text(&c, "/estation/map").await;
    assert_eq!(status, 200);
    assert!(!map.contains("<form hx-post"), "planted markup is live on the map");
    assert!(!map.contains("<meta http-equiv=refresh"), "planted meta is live on the map");
    let data = chart_data(&map);
    let names: Vec<&str> = data["stations"].as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    assert!(names.contains(&name.as_str()), "the name reaches the chart as the text it is");
    let (status, station_page) = app.get_text(&c, &format!("/estation/stations/{sid}")).await;
    assert_eq!(status, 200);
    assert!(!station_page.contains("<form hx-post") && station_page.contains("&#60;/script&#62;"));
    for path in ["/estation/plays?by=station", "/estation/stations", "/orgs?q=%E9%87%91%E6%B2%99", "/"] {
        let (status, page) = app.get_text(&c, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains("<form hx-post") && !page.contains("<meta http-equiv=refresh"), "{path}");
    }
    app.cleanup().await;
}

async fn archived(app: &TestApp, id: i64) -> bool {
    org::Entity::find_by_id(id).one(&app.store.db).await.unwrap().unwrap().status == "archived"
}

#[tokio::test]
async fn a_multipart_post_needs_the_token_as_its_first_part() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let id = org::Entity::find().one(&app.store.db).await.unwrap().unwrap().id;
    let path = format!("/orgs/{id}/archive");
    // An empty multipart body, and one whose token is not the first part: refused, nothing done.
    let empty = c
        .post(app.url(&path))
        .header("content-type", "multipart/form-data; boundary=x14")
        .body("")
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 403);
    let token = app.csrf(&c).await;
    let late = reqwest::multipart::Form::new().text("reason", "清理").text("_csrf", token.clone());
    assert_eq!(c.post(app.url(&path)).multipart(late).send().await.unwrap().status(), 403);
    let forged = reqwest::multipart::Form::new().text("_csrf", "forged");
    assert_eq!(c.post(app.url(&path)).multipart(forged).send().await.unwrap().status(), 403);
    // A JSON or text body without the header is refused too.
    let json = c.post(app.url(&path)).header("content-type", "application/json").body("{}").send().await.unwrap();
    assert_eq!(json.status(), 403);
    assert!(!archived(&app, id).await);
    // The token first, as the app's own upload forms send it: the action goes through.
    let good = reqwest::multipart::Form::new().text("_csrf", token);
    assert_eq!(c.post(app.url(&path)).multipart(good).send().await.unwrap().status(), 303);
    assert!(archived(&app, id).await);
    app.cleanup().await;
}

#[tokio::test]
async fn a_request_from_another_site_is_refused_even_with_the_token() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let id = org::Entity::find().one(&app.store.db).await.unwrap().unwrap().id;
    let token = app.csrf(&c).await;
    let path = format!("/orgs/{id}/archive");
    for (name, value) in [("origin", "https://evil.example"), ("origin", "null"), ("sec-fetch-site", "cross-site")] {
        let r = c.post(app.url(&path)).header(name, value).form(&[("_csrf", token.as_str())]).send().await.unwrap();
        assert_eq!(r.status(), 403, "{name}: {value}");
    }
    // Public forms too: the suggestion form from another site.
    let r = app
        .client()
        .post(app.url("/suggest"))
        .header("origin", "https://evil.example")
        .form(&[("a", "b")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(!archived(&app, id).await);
    let own = format!("http://{}", app.addr);
    let r = c.post(app.url(&path)).header("origin", own).form(&[("_csrf", token.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert!(archived(&app, id).await);
    app.cleanup().await;
}

#[tokio::test]
async fn redirects_stay_on_the_site_whatever_the_target_holds() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for back in [
        "/%09/evil.example",
        "/%0a/evil.example",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
    ] {
        let r = app.get(&c, &format!("/lang?to=en&back={back}")).await;
        assert_eq!(r.status(), 303, "{back}");
        assert_eq!(r.headers()["location"], "/", "{back}");
        let r = app.get(&c, &format!("/login?next={back}")).await;
        assert_eq!(r.status(), 200, "{back}");
        assert!(!r.text().await.unwrap().contains("evil.example"), "{back}");
    }
    let r = app.get(&c, "/lang?to=en&back=/search%3Fq%3D%E5%86%9C%E4%B8%9A").await;
    assert_eq!(r.headers()["location"], "/search?q=%E5%86%9C%E4%B8%9A");
    app.cleanup().await;
}

#[tokio::test]
async fn changing_ones_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let here = app.login("staff").await;
    let there = app.login("staff").await;
    let new = "Kexie-new-2026";
    let r = app.post(&here, "/me/password", &[("current", PASSWORD), ("password", new), ("confirm", new)]).await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.get(&here, "/orgs").await.status(), 200, "the session that changed it goes on");
    assert_eq!(app.get(&there, "/orgs").await.status(), 303, "the other session is over");
    app.cleanup().await;
}

#[tokio::test]
async fn failed_sign_ins_lock_a_name_per_source_and_say_nothing_of_whether_it_exists() {
    let app = TestApp::builder().config(|c| c.trust_proxy = true).spawn().await;
    let attempt = |name: &'static str, ip: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let c = app.client();
            let page = c.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
            let token = hidden(&page, "_csrf").unwrap();
            let r = c
                .post(app.url("/login"))
                .header("x-forwarded-for", ip)
                .form(&[("username", name), ("password", password), ("next", "/"), ("_csrf", &token)])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    let mut answers = Vec::new();
    for name in ["jinsha", "nobody-here"] {
        for _ in 0..4 {
            let (s, page) = attempt(name, "203.0.113.7", "wrong-Password-1").await;
            assert_eq!(s, 401);
            assert!(page.contains("用户名或密码不正确"));
        }
        let (s, page) = attempt(name, "203.0.113.7", "wrong-Password-1").await;
        assert_eq!(s, 401);
        assert!(page.contains("登录失败次数过多，请 15 分钟后再试"), "{name}");
        answers
            .push(page.replace(name, "NAME").lines().filter(|l| !l.contains("_csrf")).collect::<Vec<_>>().join("\n"));
    }
    assert_eq!(answers[0], answers[1], "a real and an unknown name get the same lock page");
    // Locked from that source even with the right password; another source signs in.
    assert_eq!(attempt("jinsha", "203.0.113.7", PASSWORD).await.0, 401);
    assert_eq!(attempt("jinsha", "198.51.100.9", PASSWORD).await.0, 303);
    app.cleanup().await;
}

#[tokio::test]
async fn nul_is_refused_wherever_text_comes_in() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let before = org::Entity::find().all(&app.store.db).await.unwrap().len();
    let fields = [("code", "QY-9101"), ("name", "南通\0机械"), ("kind", "enterprise"), ("region_id", "2")];
    let r = app.post(&c, "/orgs", &fields).await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("含有不允许的字符"));
    // In a search it matches nothing and is dropped; in a path it names nothing.
    assert_eq!(app.get(&c, "/orgs?q=%E9%87%91%00%E6%B2%99").await.status(), 200);
    assert_eq!(app.get(&c, "/people?q=%00").await.status(), 200);
    assert_eq!(app.get(&c, "/a/t/abc%00def").await.status(), 404);
    let token = app.token_for("admin").await;
    let r = app
        .client()
        .post(app.url("/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"code": "QY-9102", "name": "南通\u{0}机械", "kind": "enterprise", "region_id": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap()["error"], "invalid");
    assert_eq!(org::Entity::find().all(&app.store.db).await.unwrap().len(), before, "nothing written");
    app.cleanup().await;
}
