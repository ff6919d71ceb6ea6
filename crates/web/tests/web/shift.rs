//! 服务项目与班次 as staff and volunteers live them: staff set up a practice site's project
//! and its shifts (a bad form refused whole); volunteers sign up on their phones within their
//! times, never twice, never for overlapping shifts, never past the places; a crowd for the
//! last place gets exactly one; cancelling needs a day's notice, a place offered is taken over
//! with the count unchanged; staff fill gaps, take places back with a reason and call shifts
//! off, and the volunteers are told; reminders go out once, a day ahead; commendations reach
//! the certificate.

use crate::helpers::*;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use kexie_core::account::Actor;
use kexie_store::entity::{notice, shift, shift_signup};
use kexie_store::volunteer::project::ProjectFilter;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn china_today() -> NaiveDate {
    kexie_core::estation::proof::day_of(chrono::Utc::now())
}

/// The first `day` of the week at least `ahead` days from today, as a `datetime-local` value.
fn next(day: Weekday, ahead: i64, time: &str) -> String {
    let mut d = china_today() + Duration::days(ahead);
    while d.weekday() != day {
        d += Duration::days(1);
    }
    format!("{d}T{time}")
}

async fn town_of(app: &TestApp, user: &str) -> i64 {
    match app.actor(user).await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id,
        _ => unreachable!("a town officer"),
    }
}

async fn shift_row(app: &TestApp, id: i64) -> shift::Model {
    shift::Entity::find_by_id(id).one(&app.store.db).await.unwrap().unwrap()
}

async fn places(app: &TestApp, shift_id: i64, status: &str) -> u64 {
    shift_signup::Entity::find()
        .filter(shift_signup::Column::ShiftId.eq(shift_id))
        .filter(shift_signup::Column::Status.eq(status))
        .count(&app.store.db)
        .await
        .unwrap()
}

async fn notices_with(app: &TestApp, c: &reqwest::Client, text: &str) -> usize {
    let (status, page) = app.get_text(c, "/me/notices").await;
    assert_eq!(status, 200);
    page.matches(text).count()
}

/// Adds a shift to a project as `c`; the new shift's id.
async fn add_shift(app: &TestApp, c: &reqwest::Client, project: i64, start: &str, hours: &str, quantity: &str) -> i64 {
    let before: Vec<i64> = shift::Entity::find()
        .filter(shift::Column::ProjectId.eq(project))
        .all(&app.store.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .collect();
    let p = project.to_string();
    let r = app
        .post(
            c,
            "/volunteers/shifts",
            &[("project_id", &p), ("role", "讲解员"), ("starts_at", start), ("hours", hours), ("quantity", quantity)],
        )
        .await;
    assert_eq!(r.status(), 303, "add shift at {start}");
    assert_eq!(r.headers()["location"], format!("/volunteers/projects/{project}#shifts").as_str());
    shift::Entity::find()
        .filter(shift::Column::ProjectId.eq(project))
        .all(&app.store.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.id)
        .find(|id| !before.contains(id))
        .expect("the new shift")
}

#[tokio::test]
async fn shifts_from_sign_up_to_reminder() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let staff = app.login("staff").await;
    let jinsha = town_of(&app, "jinsha").await;

    // A project for a 金沙 practice site: a bad form is refused whole, a good one saved.
    let host = app
        .store
        .project_hosts(&sys)
        .await
        .unwrap()
        .into_iter()
        .find(|(_, name)| name.contains("金沙"))
        .expect("a 金沙 site or team")
        .0
        .to_string();
    let projects = app.store.list_projects(&sys, &ProjectFilter::default()).await.unwrap().len();
    let r = app.post(&staff, "/volunteers/projects", &[("org_id", &host), ("title", " "), ("kind", "party_day")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("此项为必填"));
    assert_eq!(app.store.list_projects(&sys, &ProjectFilter::default()).await.unwrap().len(), projects);
    let r = app
        .post(
            &staff,
            "/volunteers/projects",
            &[("org_id", &host), ("title", "社区应急救护体验课"), ("kind", "lecture"), ("orderable", "on")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let project: i64 = r.headers()["location"].to_str().unwrap().rsplit('/').next().unwrap().parse().unwrap();
    assert!(app.store.orderable_projects().await.unwrap().iter().any(|p| p.p.id == project), "on the menu");

    // A bad shift: every field named, nothing written.
    let p = project.to_string();
    let yesterday = format!("{}T09:00", china_today() - Duration::days(1));
    let r = app
        .post(
            &staff,
            "/volunteers/shifts",
            &[("project_id", &p), ("role", ""), ("starts_at", &yesterday), ("hours", "13"), ("quantity", "0")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("开始时间应晚于现在")
            && page.contains("时长应为 0.5 到 12 小时")
            && page.contains("人数应为 1 到 500")
    );
    assert_eq!(
        shift::Entity::find().filter(shift::Column::ProjectId.eq(project)).count(&app.store.db).await.unwrap(),
        0
    );

    // Saturday morning, two places, and the shift is on the project's page.
    let saturday = next(Weekday::Sat, 3, "09:00");
    let sat = add_shift(&app, &staff, project, &saturday, "3", "2").await;
    let (_, page) = app.get_text(&staff, &format!("/volunteers/projects/{project}")).await;
    assert!(page.contains(&format!("data-shift=\"{sat}\"")) && page.contains("0/2"));

    let (a, a_id) = verified_volunteer(&app, "13962810001", "32061219900101001", jinsha, "weekend_day").await;
    let (b, _) = verified_volunteer(&app, "13962810002", "32061219900101002", jinsha, "weekend_day").await;
    let (c, _) = verified_volunteer(&app, "13962810003", "32061219900101003", jinsha, "weekend_day").await;
    let (page_status, page) = app.get_text(&a, "/me/volunteer/shifts").await;
    assert_eq!(page_status, 200);
    assert!(page.contains(&format!("data-open-shift=\"{sat}\"")), "the open shift is offered to the volunteer");

    let sign = |id: i64| format!("/me/volunteer/shifts/{id}/sign");
    assert_eq!(app.post(&a, &sign(sat), &[]).await.status(), 303);
    let r = app.post(&a, &sign(sat), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已报名该班次"));

    // Overlapping: another shift an hour into the first; outside availability: a weekday evening.
    let overlapping = add_shift(&app, &staff, project, &saturday.replace("T09:00", "T10:00"), "2", "5").await;
    let r = app.post(&a, &sign(overlapping), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("时间重叠"));
    let evening = add_shift(&app, &staff, project, &next(Weekday::Wed, 3, "19:00"), "1.5", "5").await;
    let r = app.post(&a, &sign(evening), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不在您的可服务时间"));

    // Two places: the second volunteer gets one, the third is refused; staff cannot overfill.
    assert_eq!(app.post(&b, &sign(sat), &[]).await.status(), 303);
    let r = app.post(&c, &sign(sat), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("人数已满"));
    let r = app.post(&staff, &format!("/volunteers/shifts/{sat}/fill"), &[("phone", "13962810003")]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(shift_row(&app, sat).await.taken, 2);

    // A cancels days ahead; C takes the place, offers it; A takes it over: still two taken.
    let a_place = shift_signup::Entity::find()
        .filter(shift_signup::Column::ShiftId.eq(sat))
        .filter(shift_signup::Column::VolunteerId.eq(a_id))
        .one(&app.store.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(app.post(&a, &format!("/me/volunteer/places/{a_place}/cancel"), &[]).await.status(), 303);
    assert_eq!(shift_row(&app, sat).await.taken, 1);
    assert_eq!(app.post(&c, &sign(sat), &[]).await.status(), 303);
    let c_place = shift_signup::Entity::find()
        .filter(shift_signup::Column::ShiftId.eq(sat))
        .filter(shift_signup::Column::Status.eq("signed"))
        .filter(shift_signup::Column::VolunteerId.ne(a_id))
        .all(&app.store.db)
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|p| p.signed_at)
        .unwrap()
        .id;
    assert_eq!(app.post(&c, &format!("/me/volunteer/places/{c_place}/offer"), &[("offered", "1")]).await.status(), 303);
    let (_, page) = app.get_text(&a, "/me/volunteer/shifts").await;
    assert!(page.contains(&format!("/me/volunteer/places/{c_place}/take")), "the offered place is open to take");
    assert_eq!(app.post(&a, &format!("/me/volunteer/places/{c_place}/take"), &[]).await.status(), 303);
    let r = app.post(&b, &format!("/me/volunteer/places/{c_place}/take"), &[]).await;
    assert_eq!(r.status(), 422, "taken once only");
    assert_eq!(shift_row(&app, sat).await.taken, 2);
    assert_eq!(places(&app, sat, "signed").await, 2);
    assert_eq!(places(&app, sat, "handed_over").await, 1);
    assert_eq!(notices_with(&app, &c, "已由其他志愿者接替").await, 1, "the giver is told");

    // Within a day: staff put C in a shift starting in ten hours; C cannot cancel it now.
    let soon_start = kexie_core::estation::schedule::format_local(chrono::Utc::now() + Duration::hours(10));
    let soon = add_shift(&app, &staff, project, &soon_start, "2", "3").await;
    let (_, page) = app.get_text(&staff, &format!("/volunteers/shifts/{soon}")).await;
    assert!(page.contains("data-table=\"candidates\""));
    assert_eq!(
        app.post(&staff, &format!("/volunteers/shifts/{soon}/fill"), &[("phone", "13962810003")]).await.status(),
        303
    );
    assert_eq!(notices_with(&app, &c, "您已被安排班次").await, 1);
    let late = shift_signup::Entity::find()
        .filter(shift_signup::Column::ShiftId.eq(soon))
        .one(&app.store.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let r = app.post(&c, &format!("/me/volunteer/places/{late}/cancel"), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("24 小时内不能取消"));

    // The reminder goes out once, whoever runs it again.
    app.store.send_shift_reminders().await.unwrap();
    app.store.send_shift_reminders().await.unwrap();
    assert_eq!(notices_with(&app, &c, "班次提醒").await, 1);
    let c_account = app.store.account_by_username("13962810003").await.unwrap().unwrap().id;
    let unread = notice::Entity::find()
        .filter(notice::Column::AccountId.eq(c_account))
        .filter(notice::Column::ReadAt.is_null())
        .count(&app.store.db)
        .await
        .unwrap();
    assert_eq!(unread, 3);
    assert_eq!(app.post(&c, "/me/notices/read", &[]).await.status(), 303);
    let (_, page) = app.get_text(&c, "/me/notices").await;
    assert!(!page.contains("data-unread"));

    // Staff take a place back only with a reason, and the volunteer is told why.
    let r = app
        .post(&staff, &format!("/volunteers/places/{late}/cancel"), &[("shift_id", &soon.to_string()), ("note", "")])
        .await;
    assert_eq!(r.status(), 422);
    let r = app
        .post(
            &staff,
            &format!("/volunteers/places/{late}/cancel"),
            &[("shift_id", &soon.to_string()), ("note", "场地调整，改派他人")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(notices_with(&app, &c, "场地调整，改派他人").await, 1);
    assert_eq!(shift_row(&app, soon).await.taken, 0);

    // The gaps page lists what is short; another town's officer cannot see this shift.
    let (_, page) = app.get_text(&staff, "/volunteers/shifts").await;
    assert!(page.contains(&format!("data-shift=\"{soon}\"")) && !page.contains(&format!("data-shift=\"{sat}\"")));
    let xiting = app.login("xiting").await;
    assert_eq!(app.get(&xiting, &format!("/volunteers/shifts/{sat}")).await.status(), 404);
    assert_eq!(app.get(&xiting, &format!("/volunteers/projects/{project}")).await.status(), 404);

    // Calling the Saturday shift off frees its places and tells both volunteers.
    assert_eq!(app.post(&staff, &format!("/volunteers/shifts/{sat}/cancel"), &[]).await.status(), 303);
    assert_eq!(places(&app, sat, "signed").await, 0);
    assert_eq!(notices_with(&app, &a, "班次已取消。").await, 1);
    assert_eq!(notices_with(&app, &b, "班次已取消。").await, 1);
    let r = app.post(&a, &sign(sat), &[]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("该班次已取消"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_crowd_for_the_last_place_gets_one() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let jinsha = town_of(&app, "jinsha").await;
    let sys = Actor::system("t");
    let project = app.store.list_projects(&sys, &ProjectFilter::default()).await.unwrap()[0].p.id;
    let sat = add_shift(&app, &staff, project, &next(Weekday::Sat, 3, "14:00"), "2", "1").await;
    let mut crowd = Vec::new();
    for i in 0..6 {
        let phone = format!("1386281100{i}");
        let (c, _) = verified_volunteer(&app, &phone, &format!("3206121991020200{i}"), jinsha, "weekend_day").await;
        crowd.push(c);
    }
    let tokens: Vec<String> = futures::future::join_all(crowd.iter().map(|c| app.csrf(c))).await;
    let path = app.url(&format!("/me/volunteer/shifts/{sat}/sign"));
    let results = futures::future::join_all(
        crowd.iter().zip(&tokens).map(|(c, t)| c.post(&path).form(&[("_csrf", t.as_str())]).send()),
    )
    .await;
    let won = results.iter().filter(|r| r.as_ref().unwrap().status() == 303).count();
    assert_eq!(won, 1, "one place, one volunteer");
    assert_eq!(shift_row(&app, sat).await.taken, 1);
    assert_eq!(places(&app, sat, "signed").await, 1);
    app.cleanup().await;
}

#[tokio::test]
async fn commendations_reach_the_certificate() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let jinsha = town_of(&app, "jinsha").await;
    let (me, vid) = verified_volunteer(&app, "13962819999", "32061219851111001", jinsha, "weekday_day").await;
    let path = format!("/volunteers/{vid}/commendations");
    let tomorrow = (china_today() + Duration::days(1)).to_string();
    let r = app
        .post(&staff, &path, &[("title", "优秀科普志愿者"), ("awarded_by", "通州区科协"), ("awarded_on", &tomorrow)])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("data-honour-form"));
    let day = (china_today() - Duration::days(30)).to_string();
    let r = app
        .post(
            &staff,
            &path,
            &[
                ("title", "2025年度通州区优秀科普志愿者"),
                ("awarded_by", "南通市通州区科学技术协会"),
                ("awarded_on", &day),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&me, "/me/volunteer/certificate").await;
    assert!(page.contains("data-certificate-honours") && page.contains("授予“2025年度通州区优秀科普志愿者”"));
    let r = app.get(&me, "/me/volunteer/certificate.docx").await;
    assert_eq!(r.status(), 200);
    let xiting = app.login("xiting").await;
    let r = app.post(&xiting, &path, &[("title", "x"), ("awarded_by", "y"), ("awarded_on", &day)]).await;
    assert_eq!(r.status(), 404, "another town's volunteer");
    app.cleanup().await;
}

#[tokio::test]
async fn an_activity_page_shows_its_shifts() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let demo = shift::Entity::find()
        .filter(shift::Column::ActivityId.is_not_null())
        .one(&app.store.db)
        .await
        .unwrap()
        .expect("the demo plans shifts for coming activities");
    let activity = demo.activity_id.unwrap();
    let (_, page) = app.get_text(&staff, &format!("/activities/{activity}")).await;
    assert!(page.contains(&format!("data-shift=\"{}\"", demo.id)) && page.contains("data-shift-form"));
    let a = activity.to_string();
    let start = next(Weekday::Sun, 2, "08:30");
    let r = app
        .post(
            &staff,
            "/volunteers/shifts",
            &[("activity_id", &a), ("role", "签到引导"), ("starts_at", &start), ("hours", "2"), ("quantity", "4")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/activities/{activity}#shifts").as_str());
    app.cleanup().await;
}
