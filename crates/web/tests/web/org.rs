//! Organisations: lists within scope, create/edit/archive with inline errors, officers, and the
//! Excel roster round trip.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::org::roster::COLUMNS;
use kexie_store::org::OrgFilter;

fn header() -> Vec<String> {
    COLUMNS.iter().map(|s| s.to_string()).collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    let mut r = vec![String::new(); COLUMNS.len()];
    for (i, c) in cells.iter().enumerate() {
        r[i] = c.to_string();
    }
    r
}

#[tokio::test]
async fn staff_search_filter_and_page_through_organisations() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    let (s, page) = app.get_text(&c, "/orgs?q=科协&kind=enterprise_association").await;
    assert_eq!(s, 200);
    assert!(page.contains("共 <strong>92</strong> 条"), "92 enterprise associations");
    let (_, page2) = app.get_text(&c, "/orgs?q=科协&kind=enterprise_association&page=2").await;
    assert!(page2.contains("aria-current=\"page\">2<"));
    assert_ne!(ids(&page, "/orgs"), ids(&page2, "/orgs"));
    // htmx asks for the results only.
    let r = c.get(app.url("/orgs?q=农学会")).header("hx-request", "true").send().await.unwrap();
    let fragment = r.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"results\""), "{}", &fragment[..80.min(fragment.len())]);
    assert!(fragment.contains("通州区农学会"));
    // Every list exports to Excel with the same filter.
    let r = app.get(&c, "/orgs/export.xlsx?kind=society").await;
    assert_eq!(r.status(), 200);
    let rows = kexie_web::xlsx::read_rows(&r.bytes().await.unwrap()).unwrap();
    assert_eq!(rows.len(), 15, "header + 14 societies");
    assert_eq!(rows[0], header());
    app.cleanup().await;
}

#[tokio::test]
async fn a_town_officer_sees_and_edits_only_their_own_town() {
    let app = TestApp::spawn().await;
    let jinsha = app.actor("jinsha").await;
    let c = app.login("jinsha").await;
    let (_, home) = app.get_text(&c, "/").await;
    assert!(home.contains("<h1>金沙街道概览</h1>"), "the home page is titled by the town");
    let tree = app.store.regions().await.unwrap();
    let (_, page) = app.get_text(&c, "/orgs?per_page=200").await;
    let seen = ids(&page, "/orgs");
    assert!(!seen.is_empty());
    for id in &seen {
        let o = app.store.get_org(&Actor::system("t"), *id).await.unwrap();
        assert_eq!(tree.town_of(o.org.region_id).unwrap().name, "金沙街道", "{} is not in 金沙", o.org.name);
    }
    // 西亭镇's association: not listed, not readable, not editable.
    let xiting_org = app.store.org_id_by_code("JC-320612003").await.unwrap().unwrap();
    assert!(!seen.contains(&xiting_org));
    assert_eq!(app.get(&c, &format!("/orgs/{xiting_org}")).await.status(), 404);
    assert_eq!(app.get(&c, &format!("/orgs/{xiting_org}/edit")).await.status(), 404);
    assert_eq!(app.post(&c, &format!("/orgs/{xiting_org}/archive"), &[]).await.status(), 404);
    assert!(app.store.get_org(&jinsha, xiting_org).await.is_err());
    // Creating a record in another town is refused with a field error.
    let xiting_region = tree.all().find(|r| r.name == "西亭镇").unwrap().id.to_string();
    let r = app
        .post(
            &c,
            "/orgs",
            &[("code", "JC-9001"), ("name", "越权科协"), ("kind", "grassroots"), ("region_id", &xiting_region)],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不存在，或不在您的数据范围内"));
    // Phones are masked for a town officer, in the list and in the export.
    let (_, page) = app.get_text(&c, "/people").await;
    assert!(page.contains("****"));
    let rows = kexie_web::xlsx::read_rows(&app.get(&c, "/orgs/export.xlsx").await.bytes().await.unwrap()).unwrap();
    let phone_col = COLUMNS.iter().position(|c| *c == "联系电话").unwrap();
    assert!(rows[1..].iter().filter(|r| !r[phone_col].is_empty()).all(|r| r[phone_col].contains("****")));
    // The district staff see them in full.
    let staff = app.login("staff").await;
    let rows = kexie_web::xlsx::read_rows(&app.get(&staff, "/orgs/export.xlsx").await.bytes().await.unwrap()).unwrap();
    assert!(rows[1..].iter().filter(|r| !r[phone_col].is_empty()).all(|r| !r[phone_col].contains('*')));
    app.cleanup().await;
}

#[tokio::test]
async fn create_edit_archive_and_restore_an_organisation() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    // Every problem at once, next to its field.
    let r = app
        .post(
            &c,
            "/orgs",
            &[
                ("code", "bad code"),
                ("name", ""),
                ("kind", "enterprise_association"),
                ("region_id", "2"),
                ("contact_phone", "1234"),
                ("patent_platform_on", "2024-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for msg in ["编码只能包含字母", "此项为必填", "电话号码不正确", "日期格式不正确"] {
        assert!(page.contains(msg), "missing message {msg}");
    }
    // A duplicate code.
    let r = app
        .post(&c, "/orgs", &[("code", "XH-0001"), ("name", "重复学会"), ("kind", "society"), ("region_id", "1")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("已存在相同的记录"));
    // A good enterprise association tied to its enterprise.
    let r = app
        .post(
            &c,
            "/orgs",
            &[
                ("code", "QYKX-9001"),
                ("name", "南通新源纺织科技有限公司科协"),
                ("kind", "enterprise_association"),
                ("region_id", "2"),
                ("parent_code", "KX-0001"),
                ("enterprise_code", "QY-0001"),
                ("contact_phone", "13912345678"),
                ("patent_platform_on", "2024年3月1日"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let id = app.store.org_id_by_code("QYKX-9001").await.unwrap().unwrap();
    let page = app.get_text(&c, &format!("/orgs/{id}")).await.1;
    assert!(page.contains("2024-03-01") && page.contains("南通市通州区科学技术协会"));
    // A parent that is its own descendant is refused.
    let jc = app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap();
    let mut edit = vec![
        ("code", "KX-0001"),
        ("name", "南通市通州区科学技术协会"),
        ("kind", "district_association"),
        ("region_id", "1"),
        ("parent_code", "JC-320612001"),
    ];
    let r = app.post(&c, "/orgs/1", &edit).await;
    assert_eq!(r.status(), 422, "district association cannot get a parent");
    edit = vec![
        ("code", "JC-320612001"),
        ("name", "金沙街道科学技术协会"),
        ("kind", "grassroots"),
        ("region_id", "2"),
        ("parent_code", "QYKX-9001"),
    ];
    assert_eq!(app.post(&c, &format!("/orgs/{jc}"), &edit).await.status(), 303);
    edit = vec![
        ("code", "QYKX-9001"),
        ("name", "南通新源纺织科技有限公司科协"),
        ("kind", "enterprise_association"),
        ("region_id", "2"),
        ("parent_code", "JC-320612001"),
    ];
    let r = app.post(&c, &format!("/orgs/{id}"), &edit).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("上级组织不能是自己或自己的下级"));
    // Archive hides it from the default list; restore brings it back.
    assert_eq!(app.post(&c, &format!("/orgs/{id}/archive"), &[]).await.status(), 303);
    assert!(!app.get_text(&c, "/orgs?q=QYKX-9001").await.1.contains("新源纺织"));
    assert!(app.get_text(&c, "/orgs?q=QYKX-9001&status=archived").await.1.contains("新源纺织"));
    assert_eq!(app.post(&c, &format!("/orgs/{id}/restore"), &[]).await.status(), 303);
    assert!(app.get_text(&c, "/orgs?q=QYKX-9001").await.1.contains("新源纺织"));
    app.cleanup().await;
}

#[tokio::test]
async fn officers_of_a_town_association() {
    let app = TestApp::spawn().await;
    let c = app.login("jinsha").await;
    let jc = app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap();
    let page = app.get_text(&c, &format!("/orgs/{jc}")).await.1;
    assert!(page.contains("中学校长") && page.contains("卫生院院长"), "the four heads are listed");
    assert!(!page.contains("四长尚缺"));
    let person =
        app.store.list_people(&app.actor("jinsha").await, &Default::default(), Default::default()).await.unwrap().items
            [0]
        .person
        .id;
    let r = app
        .post(&c, &format!("/orgs/{jc}/officers"), &[("person", &format!("某某 #{person}")), ("role_code", "member")])
        .await;
    assert_eq!(r.status(), 303);
    let r = app
        .post(&c, &format!("/orgs/{jc}/officers"), &[("person", &format!("#{person}")), ("role_code", "member")])
        .await;
    assert_eq!(r.status(), 422, "the same role twice");
    let r = app.post(&c, &format!("/orgs/{jc}/officers"), &[("person", "nobody"), ("role_code", "member")]).await;
    assert_eq!(r.status(), 422);
    app.cleanup().await;
}

#[tokio::test]
async fn roster_import_reports_every_bad_row_and_writes_nothing_until_all_are_good() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    let before =
        app.store.list_orgs(&Actor::system("t"), &OrgFilter::default(), Default::default()).await.unwrap().total;
    let huayu = row(&[
        "QY-8001",
        "南通华宇电子科技有限公司",
        "企业",
        "金沙街道",
        "",
        "",
        "",
        "",
        "南通市通州区金沙街道建设路18号",
        "顾海峰",
        "13962812345",
        "2015-06-18",
    ]);
    let bad = xlsx(&[
        header(),
        huayu.clone(),
        row(&["QY-8002", "", "企业", "金沙街道"]),
        row(&["QY-8003", "南通永盛机械有限公司", "企业", "火星镇"]),
        row(&["QY-8001", "南通重复公司", "企业", "金沙街道"]),
        row(&["QY-8004", "南通某公司", "企业", "西亭镇", "", "", "", "", "", "", "", "2023-13-45"]),
        row(&["QY-8005", "南通某某公司", "企业", "西亭镇", "", "QY-NOPE"]),
    ]);
    let r = upload(&app, &c, "/orgs/import", "名册.xlsx", bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    for msg in
        ["此项为必填", "找不到该区域", "编码在文件中重复", "日期格式不正确", "找不到该组织编码", "未写入任何数据"]
    {
        assert!(page.contains(msg), "missing {msg}");
    }
    let after =
        app.store.list_orgs(&Actor::system("t"), &OrgFilter::default(), Default::default()).await.unwrap().total;
    assert_eq!(before, after, "nothing written");

    let good = xlsx(&[
        header(),
        huayu,
        row(&[
            "QYKX-8001",
            "南通华宇电子科技有限公司科协",
            "企业科协",
            "金沙街道",
            "",
            "KX-0001",
            "QY-8001",
            "",
            "",
            "",
            "",
            "",
            "2024/5/6",
        ]),
    ]);
    let r = upload(&app, &c, "/orgs/import", "名册.xlsx", good).await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("新增 <strong>2</strong>"), "{page}");
    let id = app.store.org_id_by_code("QYKX-8001").await.unwrap().unwrap();
    let o = app.store.get_org(&Actor::system("t"), id).await.unwrap();
    assert_eq!(o.org.enterprise_id, app.store.org_id_by_code("QY-8001").await.unwrap());
    assert_eq!(o.org.patent_platform_on, chrono::NaiveDate::from_ymd_opt(2024, 5, 6));
    app.cleanup().await;
}

#[tokio::test]
async fn an_export_imports_back_unchanged() {
    let app = TestApp::spawn().await;
    for user in ["staff", "jinsha"] {
        let c = app.login(user).await;
        let bytes = app.get(&c, "/orgs/export.xlsx?status=all").await.bytes().await.unwrap().to_vec();
        let rows = kexie_web::xlsx::read_rows(&bytes).unwrap();
        let r = upload(&app, &c, "/orgs/import", "export.xlsx", bytes).await;
        assert_eq!(r.status(), 200, "{user}");
        let page = r.text().await.unwrap();
        assert!(page.contains(&format!("未变 <strong>{}</strong>", rows.len() - 1)), "{user}: {page}");
        assert!(page.contains("新增 <strong>0</strong>") && page.contains("更新 <strong>0</strong>"));
    }
    app.cleanup().await;
}

#[tokio::test]
async fn uploads_that_are_not_excel_are_refused_clearly() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    let r = upload(&app, &c, "/orgs/import", "名册.csv", "编码,名称\nQY-1,某公司\n".as_bytes().to_vec()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不是 Excel（.xlsx）文件"));
    let r = upload(&app, &c, "/orgs/import", "名册.xlsx", b"PK\x03\x04 broken".to_vec()).await;
    assert!(r.text().await.unwrap().contains("Excel 文件已损坏"));
    let r = upload(&app, &c, "/orgs/import", "big.xlsx", vec![b'P'; 11 * 1024 * 1024]).await;
    assert_eq!(r.status(), 413);
    app.cleanup().await;
}
