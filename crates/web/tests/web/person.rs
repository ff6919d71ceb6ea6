//! People: search by surname or phone, personal data masked by role, validation.

use crate::helpers::*;

#[tokio::test]
async fn people_are_found_by_surname_or_phone_and_masked_by_role() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let (_, page) = app.get_text(&staff, "/people?q=顾").await;
    let found = ids(&page, "/people");
    assert!(!found.is_empty());
    for id in &found {
        let p = app.store.get_person(&kexie_core::account::Actor::system("t"), *id).await.unwrap();
        assert!(p.person.name.starts_with('顾'));
        assert!(page.contains(p.person.phone.as_deref().unwrap()), "staff see full phones");
    }
    let mut with_phone = None;
    for id in &found {
        let p = app.store.get_person(&kexie_core::account::Actor::system("t"), *id).await.unwrap().person;
        if p.phone.is_some() {
            with_phone = Some(p);
            break;
        }
    }
    let p = with_phone.expect("someone named 顾 has a phone");
    let phone = p.phone.clone().unwrap();
    assert!(ids(&app.get_text(&staff, &format!("/people?q={phone}")).await.1, "/people").contains(&p.id));
    // A society's admin sees only the people of the society and its branches, masked.
    let c = app.login("nongxue").await;
    let (_, page) = app.get_text(&c, "/people?per_page=200").await;
    let seen = ids(&page, "/people");
    assert!(!seen.is_empty());
    let nongxue = app.actor("nongxue").await;
    for id in &seen {
        let p = app.store.get_person(&kexie_core::account::Actor::system("t"), *id).await.unwrap();
        let org =
            app.store.get_org(&nongxue, p.person.org_id.unwrap()).await.expect("the person's organisation is in scope");
        assert!(org.org.path.starts_with("/1/22/"), "{}", org.org.name);
        if let Some(id_number) = p.person.id_number {
            assert!(!page.contains(&id_number), "ID numbers are masked");
            assert!(page.contains(&kexie_core::person::mask_id_number(&id_number)));
        }
    }
    app.cleanup().await;
}

#[tokio::test]
async fn adding_and_editing_a_person_checks_every_field() {
    let app = TestApp::spawn().await;
    let c = app.login("jinsha").await;
    let r = app
        .post(
            &c,
            "/people",
            &[
                ("name", "张建国"),
                ("phone", "139123"),
                ("id_number", "320612198513151230"),
                ("email", "zhang@"),
                ("region_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for msg in ["电话号码不正确", "身份证号不正确", "电子邮箱格式不正确", "此项为必填"] {
        assert!(page.contains(msg), "missing {msg}");
    }
    let first17 = "32061219850315123";
    let id_number = format!("{first17}{}", kexie_core::person::id_check_char(first17));
    let r = app
        .post(
            &c,
            "/people",
            &[
                ("name", "张建国"),
                ("gender", "male"),
                ("phone", "13912345678"),
                ("id_number", &id_number),
                ("region_id", "2"),
                ("org_code", "JC-320612001"),
                ("title", "科普信息员"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    // The town officer sees it masked; saving the form back keeps the real numbers.
    let (_, form) = app.get_text(&c, &format!("/people/{id}/edit")).await;
    assert!(form.contains("139****5678"));
    let r = app
        .post(
            &c,
            &format!("/people/{id}"),
            &[
                ("name", "张建国"),
                ("gender", "male"),
                ("phone", "139****5678"),
                ("id_number", &kexie_core::person::mask_id_number(&id_number)),
                ("region_id", "2"),
                ("title", "科普信息员、志愿者"),
            ],
        )
        .await;
    let status = r.status();
    let body = r.text().await.unwrap();
    let errors: Vec<&str> = body.lines().filter(|l| l.contains("field-error") && !l.contains("></p>")).collect();
    assert_eq!(status, 303, "{errors:?}");
    let p = app.store.get_person(&kexie_core::account::Actor::system("t"), id).await.unwrap().person;
    assert_eq!(p.phone.as_deref(), Some("13912345678"));
    assert_eq!(p.id_number.as_deref(), Some(id_number.as_str()));
    assert_eq!(p.title.as_deref(), Some("科普信息员、志愿者"));
    // The same ID number twice is refused.
    let r = app.post(&c, "/people", &[("name", "张建华"), ("id_number", &id_number), ("region_id", "2")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已存在相同的记录"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_people_roster_round_trips_and_bad_rows_are_reported() {
    use kexie_core::person::roster::COLUMNS;
    let app = TestApp::spawn().await;
    for user in ["staff", "jinsha"] {
        let c = app.login(user).await;
        let bytes = app.get(&c, "/people/export.xlsx?region=2").await.bytes().await.unwrap().to_vec();
        let rows = kexie_web::xlsx::read_rows(&bytes).unwrap();
        assert_eq!(rows[0], COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let r = upload(&app, &c, "/people/import", "人员.xlsx", bytes).await;
        let page = r.text().await.unwrap();
        assert!(page.contains(&format!("未变 <strong>{}</strong>", rows.len() - 1)), "{user}: {page}");
    }
    let c = app.login("staff").await;
    let mut header: Vec<String> = COLUMNS.iter().map(|s| s.to_string()).collect();
    header.truncate(9);
    let row = |cells: &[&str]| cells.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let bad = xlsx(&[
        header.clone(),
        row(&["", "顾海燕", "女", "13962800001", "", "", "金沙街道", "", "XH-0001"]),
        row(&["", "", "", "", "", "", "金沙街道"]),
        row(&["", "沈立新", "男", "1396", "", "", "月球镇"]),
    ]);
    let r = upload(&app, &c, "/people/import", "人员.xlsx", bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for msg in ["此项为必填", "电话号码不正确", "找不到该区域", "未写入任何数据"] {
        assert!(page.contains(msg), "missing {msg}");
    }
    let good = xlsx(&[header, row(&["", "顾海燕", "女", "13962800001", "", "", "金沙街道", "", "XH-0001"])]);
    let r = upload(&app, &c, "/people/import", "人员.xlsx", good).await;
    assert!(r.text().await.unwrap().contains("新增 <strong>1</strong>"));
    let (_, page) = app.get_text(&c, "/people?q=13962800001").await;
    assert!(page.contains("顾海燕") && page.contains("通州区农学会"));
    app.cleanup().await;
}
