//! 建议意见 as citizens and staff live it: a citizen sends a suggestion from the public page on
//! a phone (with the challenge and the form's token), bad input and floods are refused
//! clearly with nothing written, staff moderate with a reason and route to a town, the town
//! officer sees only what was routed there and answers, the citizen reads the answer through
//! their private link and rates it, and the figures count it all.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_core::page::PageRequest;
use kexie_store::suggestion::SuggestionFilter;
use reqwest::Client;
use reqwest::multipart::{Form, Part};

/// The first bytes of a PNG: what the server checks a photo by.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

const TEXT: &str = "建议在社区科普e站多播放一些老年人防范电信诈骗的内容，最好配上方言解说。";

/// The public form as a phone gets it: its token, its challenge and the sum's answer.
pub struct Blank {
    pub csrf: String,
    pub challenge: String,
    pub answer: String,
}

pub async fn blank(app: &TestApp, c: &Client) -> Blank {
    let (status, page) = app.get_text(c, "/suggest").await;
    assert_eq!(status, 200);
    let mut f = public_form(&page).into_iter().map(|(_, v)| v);
    Blank { csrf: f.next().unwrap(), challenge: f.next().unwrap(), answer: f.next().unwrap() }
}

/// Sends the public form; `fields` override the defaults (category, text, answer …).
pub async fn send(
    app: &TestApp,
    c: &Client,
    b: &Blank,
    fields: &[(&str, &str)],
    photos: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut values: Vec<(String, String)> = vec![
        ("_csrf".into(), b.csrf.clone()),
        ("challenge".into(), b.challenge.clone()),
        ("answer".into(), b.answer.clone()),
        ("category".into(), "estation".into()),
        ("body".into(), TEXT.into()),
        ("name".into(), "王建华".into()),
        ("phone".into(), "13812345678".into()),
        ("region_id".into(), String::new()),
        ("website".into(), String::new()),
        ("consent".into(), "yes".into()),
    ];
    for (k, v) in fields {
        match values.iter_mut().find(|(n, _)| n == k) {
            Some(e) => e.1 = v.to_string(),
            None => values.push((k.to_string(), v.to_string())),
        }
    }
    let mut form = Form::new();
    for (k, v) in values {
        form = form.text(k, v);
    }
    for (name, bytes) in photos {
        let part = Part::bytes(bytes).file_name(name.to_string()).mime_str("application/octet-stream").unwrap();
        form = form.part("photos", part);
    }
    c.post(app.url("/suggest")).multipart(form).send().await.unwrap()
}

/// Sends a good suggestion and returns its follow-up path (`/suggest/t/<token>`).
pub async fn submit_one(app: &TestApp, fields: &[(&str, &str)], photos: Vec<(&str, Vec<u8>)>) -> String {
    let c = app.client();
    let b = blank(app, &c).await;
    let res = send(app, &c, &b, fields, photos).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/suggest/t/") && to.ends_with("?new=1"), "{to}");
    to.trim_end_matches("?new=1").to_string()
}

async fn count(app: &TestApp) -> u64 {
    app.store
        .list_suggestions(&Actor::system("t"), &SuggestionFilter::default(), PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap()
        .total
}

/// The newest suggestion's id.
async fn newest(app: &TestApp) -> i64 {
    app.store
        .list_suggestions(&Actor::system("t"), &SuggestionFilter::default(), PageRequest::new(Some(1), Some(1)))
        .await
        .unwrap()
        .items[0]
        .s
        .id
}

fn field_error(page: &str, field: &str) -> String {
    let needle = format!("data-error-for=\"{field}\">");
    page.split(&needle).nth(1).and_then(|r| r.split('<').next()).unwrap_or("").to_string()
}

#[tokio::test]
async fn a_citizen_suggests_staff_route_a_town_answers_and_the_citizen_rates() {
    let app = TestApp::spawn().await;
    let before = count(&app).await;
    assert_eq!(before, 60, "the demo district's suggestions");

    // A phone, no account: the form, then the suggestion with a photo, about 西亭镇.
    let xiting = app.actor("xiting").await;
    let kexie_core::scope::Scope::Region { id: town, .. } = xiting.scope else { panic!("xiting has a town") };
    let phone = app.client();
    let (_, page) = app.get_text(&phone, "/suggest?c=99").await;
    assert!(page.contains("name=\"viewport\"") && page.contains("科普e站") && page.contains("value=\"99\""));
    let b = blank(&app, &phone).await;
    let res =
        send(&app, &phone, &b, &[("region_id", &town.to_string()), ("c", "99")], vec![("现场.png", PNG.to_vec())])
            .await;
    assert_eq!(res.status(), 303);
    let follow = res.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = app.get_text(&phone, &follow).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-receipt>JY"), "a receipt number");
    assert!(page.contains("data-status=\"received\""));
    assert_eq!(count(&app).await, before + 1);
    let id = newest(&app).await;

    // Staff see it with the photo and the phone in full; a town officer sees nothing yet.
    let staff = app.login("staff").await;
    let (status, page) = app.get_text(&staff, &format!("/suggestions/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("13812345678") && page.contains(&format!("/suggestions/{id}/photos/1")));
    let photo = app.get(&staff, &format!("/suggestions/{id}/photos/1")).await;
    assert_eq!(photo.status(), 200);
    assert_eq!(photo.headers()["content-type"], "image/png");
    assert_eq!(photo.bytes().await.unwrap().as_ref(), PNG);
    let xc = app.login("xiting").await;
    assert_eq!(app.get(&xc, &format!("/suggestions/{id}")).await.status(), 404);
    // Town officers neither moderate nor route.
    let r = app.post(&xc, &format!("/suggestions/{id}/moderate"), &[("decision", "accept")]).await;
    assert_eq!(r.status(), 403);

    // Moderation, then routing (派单) to the officer of 西亭镇.
    let r = app.post(&staff, &format!("/suggestions/{id}/moderate"), &[("decision", "accept")]).await;
    assert_eq!(r.status(), 303);
    let officer = app.store.account_by_username("xiting").await.unwrap().unwrap().id.to_string();
    let r = app.post(&staff, &format!("/suggestions/{id}/assign"), &[("account_id", &officer), ("due_on", "")]).await;
    assert_eq!(r.status(), 303);

    // The officer sees it (phone masked), answers it publicly; 金沙街道 never sees it.
    let (_, list) = app.get_text(&xc, "/suggestions").await;
    assert!(list.contains(&format!("data-suggestion=\"{id}\"")));
    assert!(list.contains("138****5678") && !list.contains("13812345678"));
    let jc = app.login("jinsha").await;
    assert_eq!(app.get(&jc, &format!("/suggestions/{id}")).await.status(), 404);
    let (_, jlist) = app.get_text(&jc, "/suggestions").await;
    assert!(!jlist.contains(&format!("data-suggestion=\"{id}\"")));
    let r = app.post(&jc, &format!("/suggestions/{id}/answer"), &[("answer", "不是我们的")]).await;
    assert_eq!(r.status(), 404);
    let answer = "西亭镇科协已将防范电信诈骗方言解说版加入辖区科普e站播放计划，每天早晚各播放两次。";
    let r = app.post(&xc, &format!("/suggestions/{id}/answer"), &[("answer", answer), ("public", "on")]).await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&xc, &format!("/suggestions/{id}")).await;
    assert!(page.contains("data-status=\"answered\"") && page.contains(answer));
    // Every officer list the town sees holds only what was routed there.
    let mine = app
        .store
        .list_suggestions(&xiting, &SuggestionFilter::default(), PageRequest::new(Some(1), Some(200)))
        .await
        .unwrap();
    assert!(mine.total >= 1);
    assert!(mine.items.iter().all(|r| r.s.assigned_region_id == Some(town) || r.s.assigned_account_id.is_some()));

    // The citizen reads the answer through the private link and rates it, once.
    let (_, page) = app.get_text(&phone, &follow).await;
    assert!(page.contains(answer) && page.contains("/rate"));
    let path = follow.trim_end_matches("?new=1");
    let csrf = hidden(&page, "_csrf").unwrap();
    let r = phone
        .post(app.url(&format!("{path}/rate")))
        .form(&[("_csrf", csrf.as_str()), ("rating", "5"), ("comment", "回复很及时")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&phone, path).await;
    assert!(page.contains("data-rating=\"5\"") && !page.contains("/rate\""));
    let again = phone
        .post(app.url(&format!("{path}/rate")))
        .form(&[("_csrf", csrf.as_str()), ("rating", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("您已经评价过了"));
    // A link that is not one is a page that does not exist.
    assert_eq!(app.get(&phone, "/suggest/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await.status(), 404);

    // Staff adopt and close it; the public answers show it with the name masked, no phone.
    assert_eq!(app.post(&staff, &format!("/suggestions/{id}/adopt"), &[("adopted", "1")]).await.status(), 303);
    assert_eq!(app.post(&staff, &format!("/suggestions/{id}/close"), &[]).await.status(), 303);
    let (_, public) = app.get_text(&app.client(), "/suggest/answers").await;
    assert!(public.contains(answer) && public.contains("王**"));
    assert!(!public.contains("王建华") && !public.contains("5678"));

    // The figures count it, and link to the list behind each figure.
    let (status, fig) = app.get_text(&staff, "/suggestions/figures").await;
    assert_eq!(status, 200);
    assert!(fig.contains("data-stat=\"received\"") && fig.contains("href=\"/suggestions?year="));
    let year = kexie_core::estation::proof::day_of(chrono::Utc::now()).format("%Y").to_string();
    let f = app
        .store
        .suggestion_figures(
            &Actor::system("t"),
            &SuggestionFilter { year: Some(year.parse().unwrap()), ..Default::default() },
        )
        .await
        .unwrap();
    assert!(f.total.received >= 1 && f.total.adopted >= 1 && f.total.rated >= 1);
    let estation = f.by_category.iter().find(|(c, _)| c == "estation").unwrap();
    assert!(estation.1.answered >= 1);
    // The trail and the audit log have each step.
    let v = app.store.get_suggestion(&Actor::system("t"), id).await.unwrap();
    let actions: Vec<&str> = v.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["submit", "accept", "assign", "answer", "rate", "adopt", "close"]);
    assert_eq!(v.row.s.campaign_id, None, "an unknown campaign is not linked");
    let docs = app.store.suggestions_for_index(Some(&[id])).await.unwrap();
    assert!(docs[0].public && docs[0].text.contains(answer));
    app.cleanup().await;
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let before = count(&app).await;
    let c = app.client();
    let b = blank(&app, &c).await;

    let wrong = (b.answer.parse::<i64>().unwrap() + 1).to_string();
    let r = send(&app, &c, &b, &[("answer", &wrong)], vec![]).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert_eq!(field_error(&page, "answer"), "计算结果不对，请重新计算");
    // What was typed stays; the sum is a new one.
    assert!(page.contains(TEXT) && hidden(&page, "challenge").unwrap() != b.challenge);

    let r = send(&app, &c, &b, &[("body", "太短了")], vec![]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_error(&r.text().await.unwrap(), "body"), "不能少于 10 个字");

    let r = send(&app, &c, &b, &[("phone", "12345")], vec![]).await;
    assert_eq!(r.status(), 422);
    assert!(field_error(&r.text().await.unwrap(), "phone").contains("电话号码不正确"));

    // A "photo" that is not an image, by its content.
    let r = send(&app, &c, &b, &[], vec![("照片.jpg", b"MZ\x90\0this is a program".to_vec())]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_error(&r.text().await.unwrap(), "photos"), "只能上传 JPG、PNG 或 WebP 格式的照片");
    let r = send(&app, &c, &b, &[], vec![("说明.pdf", b"%PDF-1.7 ...".to_vec())]).await;
    assert_eq!(r.status(), 422);

    // A photo over 5 MB, and too many photos.
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    let r = send(&app, &c, &b, &[], vec![("大.png", big)]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_error(&r.text().await.unwrap(), "photos"), "每张照片不能超过 5 MB");
    let four = (0..4).map(|i| (["a.png", "b.png", "c.png", "d.png"][i], PNG.to_vec())).collect();
    let r = send(&app, &c, &b, &[], four).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_error(&r.text().await.unwrap(), "photos"), "最多上传 3 张照片");

    // More than the form can carry at all: refused before it is read, with the form again.
    let mut huge = PNG.to_vec();
    huge.resize(17 * 1024 * 1024, 0);
    let r = send(&app, &c, &b, &[], vec![("巨大.png", huge)]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("照片太大，未能提交"));

    // No form token, and the field only bots fill.
    let r = send(&app, &c, &b, &[("_csrf", "forged-token-forged-token")], vec![]).await;
    assert_eq!(r.status(), 403);
    let r = send(&app, &c, &b, &[("website", "http://spam.example")], vec![]).await;
    assert_eq!(r.status(), 422);

    assert_eq!(count(&app).await, before, "nothing was written");

    // The same form, put right, goes through once; its challenge cannot be used again.
    let r = send(&app, &c, &b, &[], vec![]).await;
    assert_eq!(r.status(), 303);
    let r = send(&app, &c, &b, &[], vec![]).await;
    assert_eq!(r.status(), 422);
    assert_eq!(field_error(&r.text().await.unwrap(), "answer"), "验证题已过期，请回答新的题目后再提交");
    assert_eq!(count(&app).await, before + 1);
    app.cleanup().await;
}

#[tokio::test]
async fn a_flood_from_one_address_is_refused_whole_and_the_page_stays_up() {
    let app = TestApp::builder()
        .config(|c| {
            c.suggest_burst = 3;
            c.suggest_per_minute = 1;
            c.trust_proxy = true;
        })
        .spawn()
        .await;
    let before = count(&app).await;
    let c = app.client();
    let mut blanks = Vec::new();
    for _ in 0..12 {
        blanks.push(blank(&app, &c).await);
    }
    // Twelve at once from one address, each with a photo.
    let sends = blanks.iter().map(|b| {
        let c = c.clone();
        let app = &app;
        async move {
            let mut form = Form::new();
            for (k, v) in [
                ("_csrf", b.csrf.as_str()),
                ("challenge", b.challenge.as_str()),
                ("answer", b.answer.as_str()),
                ("category", "emergency"),
                ("body", TEXT),
                ("consent", "yes"),
            ] {
                form = form.text(k, v.to_string());
            }
            form = form.part("photos", Part::bytes(PNG.to_vec()).file_name("p.png"));
            c.post(app.url("/suggest")).header("x-forwarded-for", "203.0.113.7").multipart(form).send().await.unwrap()
        }
    });
    let results = futures::future::join_all(sends).await;
    let ok = results.iter().filter(|r| r.status() == 303).count();
    let limited: Vec<_> = results.into_iter().filter(|r| r.status() == 429).collect();
    assert_eq!(ok, 3);
    assert_eq!(limited.len(), 9);
    assert!(limited[0].headers().contains_key("retry-after"));
    let page = limited.into_iter().next().unwrap().text().await.unwrap();
    assert!(page.contains("data-error-code=\"rate_limited\"") && page.contains("提交过于频繁"));
    assert_eq!(count(&app).await, before + 3, "exactly the ones let through, whole");
    for id in [newest(&app).await] {
        let v = app.store.get_suggestion(&Actor::system("t"), id).await.unwrap();
        assert_eq!(v.photos.len(), 1);
    }

    // The page itself stays up, for this address and others; another address may still send.
    let (status, _) = app.get_text(&c, "/suggest").await;
    assert_eq!(status, 200);
    assert_eq!(app.get(&c, "/suggest/answers").await.status(), 200);
    assert_eq!(app.get(&app.client(), "/login").await.status(), 200);
    let b = blank(&app, &c).await;
    let mut form = Form::new();
    for (k, v) in [
        ("_csrf", b.csrf.as_str()),
        ("challenge", b.challenge.as_str()),
        ("answer", b.answer.as_str()),
        ("category", "other"),
        ("body", TEXT),
        ("consent", "yes"),
    ] {
        form = form.text(k, v.to_string());
    }
    let r =
        c.post(app.url("/suggest")).header("x-forwarded-for", "198.51.100.20").multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    app.cleanup().await;
}

#[tokio::test]
async fn moderation_takes_a_reason_and_the_citizen_is_told() {
    let app = TestApp::spawn().await;
    let follow = submit_one(&app, &[("body", "本店新到一批口罩和消毒液，价格优惠，欢迎来电选购！")], vec![]).await;
    let id = newest(&app).await;
    let staff = app.login("staff").await;
    let r = app.post(&staff, &format!("/suggestions/{id}/moderate"), &[("decision", "reject")]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("此项为必填"));
    let r = app
        .post(
            &staff,
            &format!("/suggestions/{id}/moderate"),
            &[("decision", "reject"), ("reason", "advert"), ("note", "推销商品")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = app.get_text(&staff, &format!("/suggestions/{id}")).await;
    assert!(page.contains("data-status=\"rejected\"") && page.contains("data-reason=\"advert\""));
    assert!(page.contains("广告：推销商品"));
    // A rejected suggestion is not routed or answered.
    let town = app.store.regions().await.unwrap().towns()[0].id.to_string();
    let r = app.post(&staff, &format!("/suggestions/{id}/assign"), &[("region_id", &town)]).await;
    assert_eq!(r.status(), 422);
    // The citizen sees the reason, not the note.
    let (_, page) = app.get_text(&app.client(), &follow).await;
    assert!(page.contains("data-reason=\"advert\"") && page.contains("广告") && !page.contains("推销商品"));
    // The list filters by reason; the figures count the rejection by its reason.
    let (_, list) = app.get_text(&staff, "/suggestions?status=rejected&reason=advert").await;
    assert!(list.contains(&format!("data-suggestion=\"{id}\"")));
    let f = app.store.suggestion_figures(&Actor::system("t"), &SuggestionFilter::default()).await.unwrap();
    let advert = f.rejected_by_reason.iter().find(|(r, _)| r == "advert").unwrap().1;
    assert!(advert >= 2, "the demo's and this one");
    // The audit log holds the decision.
    let (_, audit) = app.get_text(&app.login("admin").await, "/audit?entity=suggestion").await;
    assert!(audit.contains("reject"));
    app.cleanup().await;
}

#[tokio::test]
async fn lists_filter_page_and_export_with_phones_masked_for_towns() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let (status, page) = app.get_text(&staff, "/suggestions?per_page=10").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page, "/suggestions").len(), 10);
    assert!(page.contains("data-public-qr") && page.contains("/suggest</code>"));
    let (_, page) = app.get_text(&staff, "/suggestions?category=emergency&status=closed").await;
    assert!(page.contains("data-status=\"closed\"") && !page.contains("data-status=\"received\""));
    let (_, page) = app.get_text(&staff, "/suggestions?q=%E5%8F%A3%E7%BD%A9").await; // 口罩
    assert!(page.contains("口罩"));
    let htmx = staff.get(app.url("/suggestions?status=received")).header("hx-request", "true").send().await.unwrap();
    let fragment = htmx.text().await.unwrap();
    assert!(fragment.starts_with("<div id=\"results\"") && !fragment.contains("<html"));
    let r = app.get(&staff, "/suggestions?status=nonsense").await;
    assert_eq!(r.status(), 400);

    let x = app.get(&staff, "/suggestions/export.xlsx?category=emergency").await;
    assert_eq!(x.status(), 200);
    let rows = kexie_web::xlsx::read_rows(&x.bytes().await.unwrap()).unwrap();
    assert_eq!(rows[0][0], "回执号");
    assert!(rows.len() > 20);
    // Town officers answer; they do not export, and they see phones masked.
    let xc = app.login("xiting").await;
    assert_eq!(app.get(&xc, "/suggestions/export.xlsx").await.status(), 403);
    let (_, page) = app.get_text(&xc, "/suggestions").await;
    let phones: Vec<&str> = page.split("data-phone>").skip(1).filter_map(|r| r.split('<').next()).collect();
    assert!(phones.iter().all(|p| p.contains('*')), "{phones:?}");
    // Citizens and societies have no staff list at all.
    assert_eq!(app.get(&app.login("nongxue").await, "/suggestions").await.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn the_qr_code_becomes_a_slide_for_the_screens() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = app.post(&staff, "/suggestions/slide", &[("campaign", "")]).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/estation/media?added="), "{to}");
    let (_, lib) = app.get_text(&staff, "/estation/media").await;
    assert!(lib.contains("扫码提建议"));
    // The same address gives the same slide.
    let again = app.post(&staff, "/suggestions/slide", &[]).await;
    assert!(again.headers()["location"].to_str().unwrap().ends_with("new=false"));
    // A town officer does not make slides.
    assert_eq!(app.post(&app.login("jinsha").await, "/suggestions/slide", &[]).await.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn search_finds_a_suggestion_where_its_page_opens_in_the_town_it_was_routed_to() {
    let app = TestApp::spawn().await;
    let tree = app.store.regions().await.unwrap();
    let town = |name: &str| tree.all().find(|r| r.name == name).unwrap().id.to_string();
    let (jinsha_town, xiting_town) = (town("金沙街道"), town("西亭镇"));
    let body = "建议在蓝莓采摘园设置科普展板，介绍蓝莓品种和病虫害绿色防控的办法。";
    submit_one(&app, &[("region_id", &jinsha_town), ("body", body)], vec![]).await;
    let id = newest(&app).await;
    let (jc, xc, staff) = (app.login("jinsha").await, app.login("xiting").await, app.login("staff").await);
    let link = format!("href=\"/suggestions/{id}\"");
    // Search and page agree for every caller: found exactly where the page opens.
    let agree = |c: &Client, expect: bool, who: &'static str| {
        let (c, link) = (c.clone(), link.clone());
        let app = &app;
        async move {
            let (status, page) = app.get_text(&c, "/search?q=蓝莓").await;
            assert_eq!(status, 200);
            assert_eq!(page.contains(&link), expect, "{who}: search");
            let status = app.get(&c, &format!("/suggestions/{id}")).await.status().as_u16();
            assert_eq!(status, if expect { 200 } else { 404 }, "{who}: page");
        }
    };
    // Named 金沙街道 but not routed yet: the association only.
    agree(&staff, true, "staff").await;
    agree(&jc, false, "金沙街道, before routing").await;
    let r = app.post(&staff, &format!("/suggestions/{id}/moderate"), &[("decision", "accept")]).await;
    assert_eq!(r.status(), 303);
    let r =
        app.post(&staff, &format!("/suggestions/{id}/assign"), &[("region_id", &xiting_town), ("due_on", "")]).await;
    assert_eq!(r.status(), 303);
    // Routed to 西亭镇: its officer finds and opens it; 金沙街道 does neither.
    agree(&xc, true, "西亭镇").await;
    agree(&jc, false, "金沙街道").await;
    app.cleanup().await;
}
