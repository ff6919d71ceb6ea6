//! 志愿者 as volunteers and staff live it: a volunteer signs up on a phone (bad input refused,
//! nothing written), logs in, waits for verification, asks to join teams (five at most), logs
//! hours (never in the future, never over 24 h a day) that the town certifies; staff enter
//! hours; stars follow; the certificate comes as a page and a Word file; the ledger exports in
//! the national platforms' layout; the exemplar ranking and the team's year show it; and an
//! Excel roster is imported whole or not at all.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::page::PageRequest;
use kexie_store::volunteer::VolunteerFilter;
use reqwest::Client;

fn china_today() -> chrono::NaiveDate {
    kexie_core::estation::proof::day_of(chrono::Utc::now())
}

async fn count(app: &TestApp) -> u64 {
    let all = PageRequest::new(Some(1), Some(1));
    app.store.list_volunteers(&Actor::system("t"), &VolunteerFilter::default(), all).await.unwrap().total
}

async fn town_of(app: &TestApp, user: &str) -> i64 {
    match app.actor(user).await.scope {
        kexie_core::scope::Scope::Region { id, .. } => id,
        _ => unreachable!("a town officer"),
    }
}

async fn post(app: &TestApp, c: &Client, path: &str, f: Vec<(&'static str, String)>) -> reqwest::Response {
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.post(c, path, &f).await
}

#[tokio::test]
async fn a_volunteer_signs_up_is_verified_and_builds_a_ledger() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let phone_c = app.client();
    let before = count(&app).await;
    let jinsha_town = town_of(&app, "jinsha").await.to_string();
    let teams = app.store.list_teams(&sys).await.unwrap();
    let jinsha_team =
        teams.iter().find(|t| t.name == "金沙街道科普志愿服务队").expect("the town's team").id.to_string();
    let good_id = id_number("32061219950505002");
    let r = join(
        &app,
        &phone_c,
        &[
            ("name", "顾晓燕"),
            ("gender", "female"),
            ("phone", "13706285566"),
            ("id_number", "320612199505050000"),
            ("region_id", &jinsha_town),
            ("skills", "科普讲解"),
            ("password", "short"),
        ],
    )
    .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("身份证号不正确") && page.contains("密码至少 8 位") && page.contains("此项为必填"));
    assert_eq!(count(&app).await, before, "nothing written");
    let fields = [
        ("name", "顾晓燕"),
        ("gender", "female"),
        ("phone", "13706285566"),
        ("id_number", good_id.as_str()),
        ("region_id", jinsha_town.as_str()),
        ("skills", "科普讲解"),
        ("skills", "应急救护"),
        ("availability", "weekend_day"),
        ("availability", "weekday_evening"),
        ("team_id", jinsha_team.as_str()),
        ("password", "tongzhou-2026"),
    ];
    let r = join(&app, &phone_c, &fields).await;
    assert_eq!(r.status(), 303);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?reason=joined"));
    assert_eq!(count(&app).await, before + 1);
    let r = join(&app, &app.client(), &fields).await;
    assert_eq!(r.status(), 422, "the same phone twice");
    assert!(r.text().await.unwrap().contains("该手机号不能用于注册新账号"));

    // They sign in with their phone; they must be verified before logging hours.
    let me = app.client();
    assert_eq!(app.try_login(&me, "13706285566", "tongzhou-2026").await.status(), 303);
    let (status, page) = app.get_text(&me, "/me/volunteer").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-status=\"pending\"") && page.contains("周末白天"), "pending, with their profile");
    let yesterday = (china_today() - chrono::Duration::days(1)).to_string();
    let hours = |day: &str, h: &str| {
        vec![
            ("served_on", day.to_string()),
            ("hours", h.to_string()),
            ("service", "社区老人防诈骗宣讲".to_string()),
            ("place", "金沙街道南山社区".to_string()),
        ]
    };
    let r = post(&app, &me, "/me/volunteer/hours", hours(&yesterday, "2")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("审核通过后才能申报时长"));

    let vid = app
        .store
        .list_volunteers(
            &sys,
            &VolunteerFilter { q: "顾晓燕".into(), ..Default::default() },
            PageRequest::new(Some(1), Some(5)),
        )
        .await
        .unwrap()
        .items
        .iter()
        .find(|v| v.phone == "13706285566")
        .unwrap()
        .v
        .id;
    let xiting = app.login("xiting").await;
    assert_eq!(app.get(&xiting, &format!("/volunteers/{vid}")).await.status(), 404, "another town's volunteer");
    let jinsha = app.login("jinsha").await;
    let (_, page) = app.get_text(&jinsha, &format!("/volunteers/{vid}")).await;
    assert!(page.contains("137****5566"), "a town officer sees the phone masked");
    assert_eq!(app.post(&jinsha, &format!("/volunteers/{vid}/status"), &[("status", "verified")]).await.status(), 303);

    // Hours: not in the future, not over 24 h, and the day adds up.
    let tomorrow = (china_today() + chrono::Duration::days(1)).to_string();
    let r = post(&app, &me, "/me/volunteer/hours", hours(&tomorrow, "2")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不能申报未来日期的服务"));
    let r = post(&app, &me, "/me/volunteer/hours", hours(&yesterday, "25")).await;
    assert_eq!(r.status(), 422);
    assert_eq!(post(&app, &me, "/me/volunteer/hours", hours(&yesterday, "20")).await.status(), 303);
    let r = post(&app, &me, "/me/volunteer/hours", hours(&yesterday, "5")).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("最多还可填 4 小时"));

    // Teams: the one asked at sign-up plus four more; a sixth is refused.
    let others: Vec<i64> = teams.iter().map(|t| t.id).filter(|t| t.to_string() != jinsha_team).take(5).collect();
    for t in &others[..4] {
        assert_eq!(post(&app, &me, "/me/volunteer/teams", vec![("team_id", t.to_string())]).await.status(), 303);
    }
    let r = post(&app, &me, "/me/volunteer/teams", vec![("team_id", others[4].to_string())]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("最多加入 5 个服务队"));

    // The town approves the request to its team and certifies the logged hours.
    let (_, page) = app.get_text(&jinsha, "/volunteers/approvals").await;
    let me_row = app.store.get_volunteer(&sys, vid).await.unwrap();
    let place = me_row.row.teams.iter().find(|t| t.team_id.to_string() == jinsha_team).unwrap().member_id;
    assert!(page.contains(&format!("data-member=\"{place}\"")));
    assert_eq!(
        app.post(&jinsha, &format!("/volunteers/members/{place}/decide"), &[("decision", "approve")]).await.status(),
        303
    );
    let record = me_row.records.iter().find(|r| r.r.minutes == 20 * 60).unwrap().r.id;
    assert!(page.contains(&format!("data-record=\"{record}\"")));
    let r = app.post(&jinsha, &format!("/volunteers/hours/{record}/decide"), &[("decision", "reject")]).await;
    assert_ne!(r.status(), 303, "refusing needs a reason");
    assert_eq!(
        app.post(&jinsha, &format!("/volunteers/hours/{record}/decide"), &[("decision", "approve")]).await.status(),
        303
    );
    let totals = app.store.volunteer_totals(vid).await.unwrap();
    assert_eq!((totals.minutes, totals.records), (20 * 60, 1));

    // Staff enter four days of twenty hours: a hundred hours, one star.
    let staff = app.login("staff").await;
    for d in 2..6 {
        let day = (china_today() - chrono::Duration::days(d)).to_string();
        let mut f = hours(&day, "20");
        f.push(("team_id", jinsha_team.clone()));
        f.push(("evaluation", "讲解认真，群众反映好".into()));
        assert_eq!(post(&app, &staff, &format!("/volunteers/{vid}/hours"), f).await.status(), 303);
    }
    let (_, page) = app.get_text(&me, "/me/volunteer").await;
    assert!(page.contains("data-total-hours>100<") && page.contains("data-stars=\"1\""), "100 hours, one star");

    // The certificate: a page and a Word document naming them and the hours.
    let (status, page) = app.get_text(&me, "/me/volunteer/certificate").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-certificate-hours>100<") && !page.contains(&good_id), "ID number masked");
    let r = app.get(&me, "/me/volunteer/certificate.docx").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("wordprocessingml"));
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("顾晓燕") && xml.contains("累计志愿服务时长100小时"), "the Word file states the total");
    assert!(!xml.contains(&good_id), "the ID number is masked on the certificate");

    // The ledger export for the national platform; the team's year; the exemplars.
    let year = chrono::Datelike::year(&china_today());
    let bytes = app.get(&staff, &format!("/volunteers/ledger.xlsx?year={year}")).await.bytes().await.unwrap();
    let rows = kexie_web::xlsx::read_rows(&bytes).unwrap();
    assert_eq!(rows[0], kexie_core::volunteer::ledger::EXPORT_COLUMNS);
    let mine: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == good_id).collect();
    assert_eq!(mine.len(), 5, "every certified record, ID number in full for staff");
    assert!(mine.iter().all(|r| r[5] == "20" && r[1] == "居民身份证"));
    let (_, page) = app.get_text(&jinsha, &format!("/volunteers/teams/{jinsha_team}?year={year}")).await;
    assert!(page.contains(&format!("data-volunteer=\"{vid}\"")), "the team's year lists them");
    let (_, page) = app.get_text(&staff, &format!("/volunteers/exemplars?year={year}")).await;
    assert!(page.contains(&format!("data-exemplar=\"{vid}\"")), "ranked, with their ledger a click away");
    app.cleanup().await;
}

#[tokio::test]
async fn a_volunteer_roster_is_imported_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let sys = Actor::system("t");
    let jinsha = app.login("jinsha").await;
    let before = count(&app).await;
    let team = app.store.list_teams(&app.actor("jinsha").await).await.unwrap()[0].code.clone();
    let header: Vec<String> = kexie_core::volunteer::roster::COLUMNS.iter().map(|s| s.to_string()).collect();
    let row = |name: &str, phone: &str, id: &str, town: &str, team: &str, skills: &str| {
        vec![name, "女", phone, id, town, "", team, skills, "周末白天"]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let a = id_number("32061219880808002");
    let b = id_number("32061219900909003");
    let bad = xlsx(&[
        header.clone(),
        row("陆美玲", "13706280001", &a, "金沙街道", &team, "科普讲解、应急救护"),
        row("沈丽", "12345", &b, "西亭镇", "ZYD-NONE", "吹拉弹唱"),
    ]);
    let r = upload(&app, &jinsha, "/volunteers/import", "志愿者.xlsx", bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for msg in ["电话号码不正确", "超出您的数据范围", "找不到该服务队", "选项不在可选范围内"]
    {
        assert!(page.contains(msg), "{msg} in the report");
    }
    assert_eq!(count(&app).await, before, "nothing written");
    let good = xlsx(&[
        header,
        row("陆美玲", "13706280001", &a, "金沙街道", &team, "科普讲解、应急救护"),
        row("沈丽", "13706280002", &b, "金沙街道", "", ""),
    ]);
    let r = upload(&app, &jinsha, "/volunteers/import", "志愿者.xlsx", good).await;
    assert_eq!(r.status(), 200);
    assert_eq!(count(&app).await, before + 2);
    let f = VolunteerFilter { q: "陆美玲".into(), ..Default::default() };
    let v = &app.store.list_volunteers(&sys, &f, PageRequest::new(Some(1), Some(5))).await.unwrap().items[0];
    assert_eq!(v.status, kexie_core::volunteer::Status::Verified);
    assert_eq!(v.v.skills, "科普讲解,应急救护");
    assert!(v.teams.iter().any(|t| t.status == kexie_core::volunteer::Membership::Approved));
    app.cleanup().await;
}

#[tokio::test]
async fn an_imported_row_never_attaches_to_a_person_outside_the_importers_scope() {
    use kexie_store::entity::{person, volunteer};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::spawn().await;
    let db = &app.store.db;
    let xiting = app.store.regions().await.unwrap().subtree_ids(town_of(&app, "xiting").await);
    let volunteers: std::collections::HashSet<i64> =
        volunteer::Entity::find().all(db).await.unwrap().into_iter().map(|v| v.person_id).collect();
    // A person of 西亭镇 with an ID number, not a volunteer: 金沙街道 may not reach them.
    let other = person::Entity::find()
        .filter(person::Column::IdNumber.is_not_null())
        .filter(person::Column::RegionId.is_in(xiting))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| !volunteers.contains(&p.id))
        .expect("a person of 西亭镇 on file");
    let jinsha = app.login("jinsha").await;
    let header: Vec<String> = kexie_core::volunteer::roster::COLUMNS.iter().map(|s| s.to_string()).collect();
    let idn = other.id_number.clone().unwrap();
    let row: Vec<String> =
        ["顾小燕", "女", "13706280011", idn.as_str(), "金沙街道", "", "", "", "周末白天"].map(String::from).to_vec();
    let r = upload(&app, &jinsha, "/volunteers/import", "志愿者.xlsx", xlsx(&[header, row])).await;
    assert_eq!(r.status(), 200);
    let v = volunteer::Entity::find().filter(volunteer::Column::DuplicateOf.eq(other.id)).one(db).await.unwrap();
    let v = v.expect("the row names the match for staff instead of taking the person");
    assert_ne!(v.person_id, other.id);
    let mine = person::Entity::find_by_id(v.person_id).one(db).await.unwrap().unwrap();
    assert_eq!((mine.name.as_str(), mine.id_number), ("顾小燕", None));
    let theirs = person::Entity::find_by_id(other.id).one(db).await.unwrap().unwrap();
    assert_eq!(theirs, other, "the other town's person is untouched");
    app.cleanup().await;
}

#[tokio::test]
async fn a_sign_up_with_an_id_number_on_file_makes_its_own_person_and_answers_alike() {
    use kexie_store::entity::{person, volunteer};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let app = TestApp::spawn().await;
    let db = &app.store.db;
    let town = town_of(&app, "jinsha").await;
    let in_town = app.store.regions().await.unwrap().subtree_ids(town);
    let volunteers: std::collections::HashSet<i64> =
        volunteer::Entity::find().all(db).await.unwrap().into_iter().map(|v| v.person_id).collect();
    // A person on file in 金沙街道 with an ID number, not a volunteer (e.g. an association's head).
    let on_file = person::Entity::find()
        .filter(person::Column::IdNumber.is_not_null())
        .order_by_asc(person::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .find(|p| in_town.contains(&p.region_id) && !volunteers.contains(&p.id))
        .expect("a person on file");
    let their_id = on_file.id_number.clone().unwrap();
    let fresh_id = id_number("32061219990101001");
    let town = town.to_string();
    let form = |name: &'static str, phone: &'static str, id: String, password: &'static str| {
        let town = town.clone();
        move || {
            vec![
                ("name", name.to_string()),
                ("gender", "female".to_string()),
                ("phone", phone.to_string()),
                ("id_number", id.clone()),
                ("region_id", town.clone()),
                ("skills", "科普讲解".to_string()),
                ("availability", "weekend_day".to_string()),
                ("password", password.to_string()),
            ]
        }
    };
    let send = |c: Client, f: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let r = join(app, &c, &f).await;
            let (status, to) = (r.status(), r.headers().get("location").map(|l| l.to_str().unwrap().to_string()));
            (status, to, r.text().await.unwrap())
        }
    };
    // Refused for another reason: the same page whether or not the ID number is on file.
    let c = app.client();
    let (s1, _, p1) = send(c.clone(), form("冒名者", "13900001111", their_id.clone(), "short")()).await;
    let (s2, _, p2) = send(c.clone(), form("冒名者", "13900001111", fresh_id.clone(), "short")()).await;
    assert_eq!((s1.as_u16(), s2.as_u16()), (422, 422));
    let token = hidden(&p1, "_csrf").unwrap();
    let plain = |p: &str, id: &str| p.replace(id, "ID").replace(&token, "TOKEN");
    assert_eq!(plain(&p1, &their_id), plain(&p2, &fresh_id), "no oracle for ID numbers on file");
    // Accepted: the same answer for an ID number on file and a new one.
    let on = send(app.client(), form("冒名者", "13900001111", their_id.clone(), PASSWORD)()).await;
    let new = send(app.client(), form("新报名", "13900002222", fresh_id.clone(), PASSWORD)()).await;
    assert_eq!(on.0.as_u16(), 303, "{}", on.2);
    assert_eq!(on, new, "status, location and body alike");

    // The sign-up is its own person; the person on file is untouched and never shown to it.
    let signed = volunteer::Entity::find()
        .filter(volunteer::Column::DuplicateOf.eq(on_file.id))
        .one(db)
        .await
        .unwrap()
        .expect("named as a possible duplicate");
    assert_ne!(signed.person_id, on_file.id);
    assert_eq!(person::Entity::find_by_id(on_file.id).one(db).await.unwrap().unwrap(), on_file);
    let me = app.client();
    assert_eq!(app.try_login(&me, "13900001111", PASSWORD).await.status(), 303);
    let (status, page) = app.get_text(&me, "/me/volunteer").await;
    assert_eq!(status, 200);
    assert!(page.contains("冒名者") && !page.contains(&on_file.name), "the account shows only its own record");

    // Staff see the hint and merge after checking; the new sign-up had nothing to merge.
    let staff = app.login("staff").await;
    let (_, page) = app.get_text(&staff, "/volunteers/approvals").await;
    assert!(page.contains(&format!("data-duplicate=\"{}\"", signed.id)) && page.contains(&on_file.name));
    assert_eq!(page.matches("data-duplicate=").count(), 1, "only the sign-up that matched");
    let r = app.post(&staff, &format!("/volunteers/{}/duplicate", signed.id), &[("decision", "merge")]).await;
    assert_eq!(r.status(), 303);
    let merged = volunteer::Entity::find_by_id(signed.id).one(db).await.unwrap().unwrap();
    assert_eq!((merged.person_id, merged.duplicate_of), (on_file.id, None));
    assert!(person::Entity::find_by_id(signed.person_id).one(db).await.unwrap().is_none(), "its own record went");
    let (_, page) = app.get_text(&staff, "/volunteers/approvals").await;
    assert!(!page.contains("data-duplicate="));
    app.cleanup().await;
}
