//! Signing in, lockout, idle sessions, rate limits and language.

use crate::helpers::*;

#[tokio::test]
async fn a_person_signs_in_sees_the_home_page_and_signs_out() {
    let app = TestApp::spawn().await;
    let c = app.client();
    // Not signed in: pages send to the login, keeping where the person wanted to go.
    let r = app.get(&c, "/orgs?kind=society").await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?next=%2Forgs%3Fkind%3Dsociety"));

    let c = app.login("admin").await;
    let (status, home) = app.get_text(&c, "/").await;
    assert_eq!(status, 200);
    assert!(home.contains("全区概览"), "home page in Chinese by default");
    let orgs = kexie_core::demo::generate(1, 2026).orgs.len();
    assert!(
        home.contains(&format!("data-stat=\"orgs\">{}<", kexie_core::number::grouped(orgs as i64))),
        "organisation count on the home page, as people read it"
    );
    let r = app.post(&c, "/logout", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&c, "/").await.status(), 303, "signed out");
    app.cleanup().await;
}

#[tokio::test]
async fn five_wrong_passwords_from_one_place_lock_the_account_there_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let c = app.client();
    for i in 1..=4 {
        let r = app.try_login(&c, "jinsha", "wrong-Password-1").await;
        assert_eq!(r.status(), 401, "attempt {i}");
        assert!(r.text().await.unwrap().contains("用户名或密码不正确"));
    }
    let r = app.try_login(&c, "jinsha", "wrong-Password-1").await;
    assert!(r.text().await.unwrap().contains("登录失败次数过多，请 15 分钟后再试"));
    // Even the right password is refused while locked.
    let r = app.try_login(&c, "jinsha", PASSWORD).await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("登录失败次数过多"));
    // The admin sees the lock and lifts it.
    let admin = app.login("admin").await;
    let id = app.store.account_by_username("jinsha").await.unwrap().unwrap().id;
    assert!(app.get_text(&admin, &format!("/accounts/{id}")).await.1.contains("解除锁定"));
    assert_eq!(app.post(&admin, &format!("/accounts/{id}/unlock"), &[]).await.status(), 303);
    assert_eq!(app.try_login(&c, "jinsha", PASSWORD).await.status(), 303);
    // Every failure and the lockout are in the audit log.
    let page = kexie_store::audit::list(
        &app.store.db,
        &kexie_store::audit::AuditFilter { action: Some("lockout".into()), ..Default::default() },
        Default::default(),
    )
    .await
    .unwrap();
    assert_eq!(page.total, 1);
    app.cleanup().await;
}

#[tokio::test]
async fn an_unknown_user_gets_the_same_answer_as_a_wrong_password() {
    let app = TestApp::spawn().await;
    let r = app.try_login(&app.client(), "nobody", "whatever-1A").await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("用户名或密码不正确"));
    app.cleanup().await;
}

#[tokio::test]
async fn an_idle_session_expires_and_asks_to_sign_in_again() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    assert_eq!(app.get(&c, "/orgs").await.status(), 200);
    // Thirty-one minutes without a request.
    use kexie_store::entity::session;
    use sea_orm::{EntityTrait, sea_query::Expr};
    let old = kexie_store::now() - chrono::Duration::minutes(31);
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(old))
        .exec(&app.store.db)
        .await
        .unwrap();
    let r = app.get(&c, "/orgs").await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().contains("reason=session_expired"));
    let (_, page) = app.get_text(&c, r.headers()["location"].to_str().unwrap()).await;
    assert!(page.contains("会话已过期"));
    app.cleanup().await;
}

#[tokio::test]
async fn login_attempts_from_one_address_are_rate_limited() {
    let app = TestApp::builder().config(|c| {
        c.login_burst = 3;
        c.login_per_minute = 1;
    });
    let app = app.spawn().await;
    let c = app.client();
    for _ in 0..3 {
        assert_eq!(app.try_login(&c, "citizen", "Wrong-pass-1").await.status(), 401);
    }
    let r = app.try_login(&c, "citizen", "Wrong-pass-1").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("操作过于频繁"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_interface_switches_to_english_and_back() {
    let app = TestApp::spawn().await;
    let c = app.login("admin").await;
    let r = app.get(&c, "/lang?to=en&back=/orgs").await;
    assert_eq!(r.headers()["location"], "/orgs");
    let (_, page) = app.get_text(&c, "/orgs").await;
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Organisations") && page.contains("Export to Excel"));
    app.get(&c, "/lang?to=zh-CN&back=/").await;
    assert!(app.get_text(&c, "/orgs").await.1.contains("导出 Excel"));
    // An open redirect through the language switch is refused.
    assert_eq!(app.get(&c, "/lang?to=en&back=//evil.example").await.headers()["location"], "/");
    app.cleanup().await;
}

#[tokio::test]
async fn a_new_password_must_meet_the_policy() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    let r =
        app.post(&c, "/me/password", &[("current", PASSWORD), ("password", "abcdefgh"), ("confirm", "abcdefgh")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("密码需包含大写字母、小写字母、数字、符号中的至少三类"));
    let r = app
        .post(&c, "/me/password", &[("current", PASSWORD), ("password", "Neu-Pass-77"), ("confirm", "Neu-Pass-77")])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.try_login(&app.client(), "staff", "Neu-Pass-77").await.status(), 303);
    app.cleanup().await;
}
