//! CSRF, bad input, security headers, and the audit chain.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_store::org::OrgFilter;

async fn org_count(app: &TestApp) -> u64 {
    app.store.list_orgs(&Actor::system("t"), &OrgFilter::default(), Default::default()).await.unwrap().total
}

#[tokio::test]
async fn a_foreign_csrf_token_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let before = org_count(&app).await;
    let fields = [
        ("code", "QY-9001"),
        ("name", "南通测试机械有限公司"),
        ("kind", "enterprise"),
        ("region_id", "2"),
        ("_csrf", "forged-token"),
    ];
    let r = c.post(app.url("/orgs")).form(&fields).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("页面已过期或请求来源不可信"));
    // No token at all, and a token from another session, are refused the same way.
    let r = c.post(app.url("/orgs")).form(&fields[..4]).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let other = app.login("staff").await;
    let other_token = app.csrf(&other).await;
    let mut f = fields.to_vec();
    f[4] = ("_csrf", &other_token);
    assert_eq!(c.post(app.url("/orgs")).form(&f).send().await.unwrap().status(), 403);
    assert_eq!(org_count(&app).await, before);
    // A login form posted from another site (no login cookie) is refused too.
    let fresh = app.client();
    let r = fresh
        .post(app.url("/login"))
        .form(&[("username", "admin"), ("password", PASSWORD), ("_csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let before = org_count(&app).await;
    let long = "长".repeat(101);
    // Oversized field: the form comes back with the message next to the field.
    let r = app
        .post(&c, "/orgs", &[("code", "QY-9002"), ("name", &long), ("kind", "enterprise"), ("region_id", "2")])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("不能超过 100 个字"));
    assert!(page.contains("value=\"QY-9002\""), "what was typed is kept");
    // A whole body over the limit.
    let huge = "x".repeat(300 * 1024);
    let r = app.post(&c, "/orgs", &[("code", "QY-9003"), ("name", &huge)]).await;
    assert!(r.status() == 413 || r.status() == 403, "got {}", r.status());
    // Malformed form encoding, a non-numeric id, an unknown page.
    let token = app.csrf(&c).await;
    let r = c
        .post(app.url("/orgs"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={token}&name=a&name=b"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("表单内容无法识别"));
    assert_eq!(app.get(&c, "/orgs/not-a-number").await.status(), 404);
    let (s, body) = app.get_text(&c, "/no/such/page").await;
    assert_eq!(s, 404);
    assert!(body.contains("找不到该页面或记录"));
    // Script in a name is stored as text and shown escaped.
    let r = app
        .post(
            &c,
            "/orgs",
            &[
                ("code", "QY-9004"),
                ("name", "<script>alert(1)</script>公司"),
                ("kind", "enterprise"),
                ("region_id", "2"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let page = app.get_text(&c, &loc).await.1;
    assert!(page.contains("&#60;script&#62;") || page.contains("&lt;script&gt;"));
    assert!(!page.contains("<script>alert(1)</script>"));
    assert_eq!(org_count(&app).await, before + 1);
    app.cleanup().await;
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::spawn().await;
    let r = app.get(&app.client(), "/login").await;
    let h = r.headers();
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let cookie = h.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect::<Vec<_>>().join(";");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    app.cleanup().await;
}

#[tokio::test]
async fn every_write_is_audited_and_tampering_is_detected() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let r = app
        .post(
            &c,
            "/orgs",
            &[
                ("code", "XH-9001"),
                ("name", "通州区气象学会"),
                ("kind", "society"),
                ("region_id", "1"),
                ("parent_code", "KX-0001"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let id: i64 = app.store.org_id_by_code("XH-9001").await.unwrap().unwrap();
    let r = app.post(&c, &format!("/orgs/{id}/archive"), &[]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&c, &format!("/audit?entity=org&entity_id={id}")).await;
    assert!(page.contains("新建") && page.contains("归档"));
    let r = app.post(&c, "/audit/verify", &[]).await;
    assert!(r.text().await.unwrap().contains("校验通过"));
    let sheet = app.get(&c, &format!("/audit/export.xlsx?entity=org&entity_id={id}")).await.bytes().await.unwrap();
    let rows = kexie_web::xlsx::read_rows(&sheet).unwrap();
    assert_eq!(rows.len(), 3, "header, create, archive");
    assert_eq!(rows[1][3], "归档");

    // Someone edits a stored row behind the application's back.
    use kexie_store::entity::audit_log;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    audit_log::Entity::update_many()
        .col_expr(audit_log::Column::ActorName, Expr::value("mallory"))
        .filter(audit_log::Column::Action.eq("archive"))
        .exec(&app.store.db)
        .await
        .unwrap();
    let result = kexie_store::audit::verify(&app.store.db, |_, _| {}).await.unwrap();
    assert!(matches!(result, Err(kexie_core::audit::Break::Altered { .. })), "{result:?}");
    let r = app.post(&c, "/audit/verify", &[]).await;
    assert!(r.text().await.unwrap().contains("校验失败"));
    app.cleanup().await;
}

/// A route's path with each `{placeholder}` set to 1.
fn fill(path: &str) -> String {
    path.split('/').map(|seg| if seg.starts_with('{') { "1" } else { seg }).collect::<Vec<_>>().join("/")
}

/// One layer covers every router: pages, assets, the API, the device API and its media, the
/// unknown route and the wrong method, for a stranger and for callers with a session or token.
#[tokio::test]
async fn every_response_says_nosniff() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let bytes = crate::estation::png(7);
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    assert_eq!(crate::estation::upload_media(&app, &staff, "海报.png", bytes).await.status(), 303);
    let token = app.token_for("staff").await;
    let anonymous = app.client();
    let mut checked = 0;
    let routes = kexie_web::routes::catalog();
    let extra = [
        (reqwest::Method::GET, format!("/media/{sha}")),
        (reqwest::Method::GET, "/no/such/page".to_string()),
        (reqwest::Method::DELETE, "/api/v1/orgs".to_string()),
        (reqwest::Method::GET, "/api/v1/orgs?per_page=999".to_string()),
    ];
    let requests = routes.iter().map(|r| (r.method.clone(), fill(&r.path.replace("{sha}", &sha)))).chain(extra);
    for (method, path) in requests {
        for (who, c) in [("anonymous", &anonymous), ("staff", &staff)] {
            let mut req = c.request(method.clone(), app.url(&path));
            if who == "staff" && (path.starts_with("/api/") || path.starts_with("/media/")) {
                req = req.bearer_auth(&token);
            }
            let r = req.send().await.unwrap();
            assert_eq!(
                r.headers().get("x-content-type-options").map(|v| v.to_str().unwrap()),
                Some("nosniff"),
                "{who} {method} {path} answered {}",
                r.status()
            );
            checked += 1;
        }
    }
    assert!(checked > 2 * routes.len());
    app.cleanup().await;
}

#[tokio::test]
async fn health_is_public_and_metrics_only_on_their_own_listener() {
    let app = TestApp::builder().metrics().spawn().await;
    let c = app.client();
    let (s, body) = app.get_text(&c, "/healthz").await;
    assert_eq!(s, 200);
    assert!(body.contains("\"status\":\"ok\""));
    app.get(&c, "/login").await;
    let r = app.get(&c, "/metrics").await;
    assert_eq!(r.status(), 404, "never on the public listener");
    assert!(!r.text().await.unwrap().contains("kexie_http_requests_total"));
    let metrics = format!("http://{}/metrics", app.metrics_addr.as_deref().unwrap());
    let r = c.get(&metrics).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let body = r.text().await.unwrap();
    assert!(body.contains("kexie_http_requests_total{method=\"GET\",route=\"/login\",status=\"200\"}"), "{body}");
    assert!(body.contains("kexie_http_request_duration_seconds_bucket"));
    app.cleanup().await;
}
