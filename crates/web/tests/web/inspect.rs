//! What inspectors and citizens read: the audit log in Chinese (and English) with labelled
//! fields and a link to the record, the certificate's issuer from the configuration with
//! dates that never wrap, English pages in English, and numbers as people read them.

use crate::helpers::*;

fn cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
}

/// The text of every element `tag` (opening `<tag`), markup removed.
fn texts(html: &str, tag: &str) -> Vec<String> {
    html.split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|s| s.split_once('>').map(|(_, rest)| rest))
        .map(|s| {
            let name = tag.split(' ').next().unwrap_or(tag);
            let end = s.find(&format!("</{name}>")).unwrap_or(s.len());
            let mut out = String::new();
            let mut inside = false;
            for c in s[..end].chars() {
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    _ if !inside => out.push(c),
                    _ => {}
                }
            }
            out.trim().to_string()
        })
        .collect()
}

#[tokio::test]
async fn the_audit_log_names_actions_and_records_and_shows_what_changed() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let jc = app.store.org_id_by_code("JC-320612001").await.unwrap().unwrap();
    assert_eq!(app.post(&admin, &format!("/orgs/{jc}/archive"), &[]).await.status(), 303);
    let filter = kexie_store::audit::AuditFilter {
        action: Some("archive".into()),
        entity: Some("org".into()),
        ..Default::default()
    };
    let page =
        kexie_store::audit::list(&app.store.db, &filter, kexie_core::page::PageRequest::new(None, None)).await.unwrap();
    let seq = page.items[0].seq;

    let (status, html) = app.get_text(&admin, &format!("/audit/{seq}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("归档 · 组织"), "the action and the kind in Chinese");
    assert!(html.contains(&format!("href=\"/orgs/{jc}\" data-record-link")), "a link to the record");
    assert!(html.contains("data-changed data-field=\"status\""), "the changed field is marked");
    assert!(html.contains(">状态</th>") && html.contains(">名称</th>"), "fields by their Chinese names");
    assert!(!html.contains("<pre class=\"json\">") && !html.contains("\"status\":"), "no raw JSON");

    // The list filters by action and kind, both offered by name.
    let (_, list) = app.get_text(&admin, "/audit?entity=org&action=archive").await;
    assert!(list.contains(&format!("href=\"/audit/{seq}\"")));
    assert!(list.contains(">科普e站</option>") && list.contains(">点单派单</option>"), "every kind by name");
    assert!(list.contains(">签到</option>") && list.contains(">派单</option>"), "every action by name");

    // In English, English.
    assert_eq!(app.get(&admin, "/lang?to=en&back=/").await.status(), 303);
    let (_, html) = app.get_text(&admin, &format!("/audit/{seq}")).await;
    assert!(html.contains("Archive · Organisation") && html.contains(">Status</th>"), "{html}");

    // A login is recorded for an account; a person's phone is masked in what an entry shows.
    let filter = kexie_store::audit::AuditFilter { entity: Some("person".into()), ..Default::default() };
    let people =
        kexie_store::audit::list(&app.store.db, &filter, kexie_core::page::PageRequest::new(None, None)).await.unwrap();
    if let Some(p) = people.items.iter().find(|e| e.after.as_deref().is_some_and(|a| a.contains("\"phone\":\"1"))) {
        let (_, html) = app.get_text(&admin, &format!("/audit/{}", p.seq)).await;
        assert!(html.contains("****"), "phone masked");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_certificate_is_issued_in_the_configured_name_and_its_dates_do_not_wrap() {
    let app = TestApp::builder().config(|c| c.association_name = "如东县科学技术协会".into()).spawn().await;
    let staff = app.login("staff").await;
    let (_, list) = app.get_text(&staff, "/volunteers").await;
    let id = ids(&list, "/volunteers")[0];
    let (status, page) = app.get_text(&staff, &format!("/volunteers/{id}/certificate")).await;
    assert_eq!(status, 200);
    assert!(page.contains("出具单位：如东县科学技术协会（盖章）"), "the configured registered name");
    let today = kexie_core::volunteer::certificate::date_zh(kexie_core::estation::proof::day_of(chrono::Utc::now()));
    assert!(page.contains(&format!("<span class=\"nowrap\" data-date>{today}</span>")), "the date on one line");
    assert!(!page.contains("年0"), "no zero-padded months or days");

    let bytes = app.get(&staff, &format!("/volunteers/{id}/certificate.docx")).await.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("出具单位：如东县科学技术协会（盖章）"));
    let joined = kexie_core::volunteer::certificate::unbreakable(&today);
    assert!(xml.contains(&joined) && !xml.contains(&today), "the Word file's date cannot break");
    app.cleanup().await;
}

#[tokio::test]
async fn english_pages_are_english_and_numbers_read_as_people_read_them() {
    let app = TestApp::spawn().await;
    let staff = app.login("admin").await;
    let year = chrono::Datelike::year(&kexie_core::estation::proof::day_of(chrono::Utc::now()));

    // Chinese: the yearly sentence with separators and Chinese punctuation only.
    let (_, zh) = app.get_text(&staff, &format!("/outreach?year={year}")).await;
    let sentence = texts(&zh, "p class=\"lead\" data-sentence").remove(0);
    assert!(sentence.starts_with(&format!("{year}年共发送科普知识")) && sentence.ends_with("人次。"), "{sentence}");
    assert!(!sentence.contains(['(', ')', ':', ';']), "{sentence}");

    assert_eq!(app.get(&staff, "/lang?to=en&back=/").await.status(), 303);
    let (_, en) = app.get_text(&staff, &format!("/outreach?year={year}")).await;
    let sentence = texts(&en, "p class=\"lead\" data-sentence").remove(0);
    assert!(sentence.starts_with(&format!("In {year}, ")) && !cjk(&sentence), "{sentence}");
    assert!(sentence.contains("person-time"), "{sentence}");

    // The chrome of the main pages — headings, table heads, labels, buttons — holds no
    // Chinese in English; table cells and links hold data (names, towns) and are left out.
    for path in [
        "/".to_string(),
        format!("/outreach?year={year}"),
        "/activities/figures".into(),
        "/volunteers".into(),
        "/volunteers/exemplars".into(),
        "/match".into(),
        "/estation".into(),
        "/suggestions/figures".into(),
        "/audit".into(),
    ] {
        let (status, html) = app.get_text(&staff, &path).await;
        assert_eq!(status, 200, "{path}");
        for tag in ["h1", "h2", "th", "label", "button", "span class=\"stat-label\""] {
            for t in texts(&html, tag) {
                assert!(!cjk(&t), "{path}: <{tag}> {t}");
            }
        }
    }
    app.cleanup().await;
}
