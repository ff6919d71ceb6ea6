//! 科普宣传 stories: a piece goes from draft through two reviews by other people to the
//! channels; nothing unreviewed reaches one; screens get it through their schedule; an
//! emergency campaign interrupts every screen and opens a task per channel in one action;
//! reach and the year's sentence come from the records; search finds Chinese words inside
//! longer words and keeps to the caller's scope.

use crate::helpers::TestApp;
use reqwest::Client;
use serde_json::{Value, json};

async fn create_piece(
    app: &TestApp,
    c: &Client,
    title: &str,
    body: &str,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(c).await;
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("title", title.to_string())
        .text("kind", "article")
        .text("topic", "农业技术")
        .text("audience", "农民")
        .text("source", "original")
        .text("tags", "水稻，病虫害")
        .text("summary", "")
        .text("body", body.to_string());
    if let Some((name, bytes)) = file {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    }
    c.post(app.url("/outreach/content")).multipart(form).send().await.unwrap()
}

/// The id in a redirect's target (the client does not follow redirects).
fn id_from(r: &reqwest::Response, prefix: &str) -> i64 {
    let path = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string();
    path.strip_prefix(prefix)
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{path}"))
}

/// The numbers of "共发送科普知识N条，惠及群众M人次" on the dashboard.
fn sentence(html: &str) -> (u64, i64) {
    let at = html.find("共发送科普知识").expect("sentence") + "共发送科普知识".len();
    let rest = html[at..].replace(',', "");
    let n = rest[..rest.find('条').unwrap()].parse().unwrap();
    let m_at = rest.find("惠及群众").unwrap() + "惠及群众".len();
    let m = rest[m_at..m_at + rest[m_at..].find("人次").unwrap()].parse().unwrap();
    (n, m)
}

async fn step(app: &TestApp, c: &Client, id: i64, step: &str, comment: &str) -> (u16, String) {
    let r = app.post(c, &format!("/outreach/content/{id}/review"), &[("step", step), ("comment", comment)]).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Drafted by `staff`, science review by `admin`, editorial review by `kepu`.
async fn approved_piece(app: &TestApp, staff: &Client, title: &str, body: &str) -> i64 {
    let r = create_piece(app, staff, title, body, None).await;
    assert_eq!(r.status(), 303);
    let id = id_from(&r, "/outreach/content/");
    assert_eq!(step(app, staff, id, "submit", "").await.0, 303);
    let admin = app.login("admin").await;
    assert_eq!(step(app, &admin, id, "pass", "").await.0, 303);
    let kepu = app.login("kepu").await;
    assert_eq!(step(app, &kepu, id, "pass", "").await.0, 303);
    id
}

#[tokio::test]
async fn a_piece_passes_two_reviews_by_others_before_any_channel_carries_it() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let body = "<p>水稻纹枯病高发期在分蘖末期至孕穗期。</p><script>alert('x')</script><img src=x onerror=alert(1)>";
    let r = create_piece(&app, &staff, "水稻纹枯病的识别与防治", body, None).await;
    assert_eq!(r.status(), 303);
    let id = id_from(&r, "/outreach/content/");
    let (_, html) = app.get_text(&staff, &format!("/outreach/content/{id}")).await;
    assert!(html.contains("水稻纹枯病高发期") && !html.contains("alert("), "sanitised body shown");

    // A draft cannot go out.
    let wechat = [
        ("channel", "wechat"),
        ("account", "南通州科协"),
        ("published_on", "2026-01-05"),
        ("link", "https://mp.weixin.qq.com/s/abc"),
    ];
    let r = app.post(&staff, &format!("/outreach/content/{id}/publications"), &wechat).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("尚未通过审核"));

    assert_eq!(step(&app, &staff, id, "submit", "").await.0, 303);
    let (code, html) = step(&app, &staff, id, "pass", "").await;
    assert_eq!(code, 422);
    assert!(html.contains("不能审核自己提交的内容"));
    let admin = app.login("admin").await;
    let (code, html) = step(&app, &admin, id, "return", "").await;
    assert_eq!(code, 422, "a return needs a comment");
    assert!(html.contains("请填写意见"));
    assert_eq!(step(&app, &admin, id, "pass", "").await.0, 303);
    let (code, html) = step(&app, &admin, id, "pass", "").await;
    assert_eq!(code, 422);
    assert!(html.contains("两级审核须由不同的人完成"));
    // The queue shows the piece to the next reviewer only.
    let kepu = app.login("kepu").await;
    let (_, queue) = app.get_text(&kepu, "/outreach/review").await;
    assert!(queue.contains("水稻纹枯病的识别与防治"));
    let (_, queue) = app.get_text(&admin, "/outreach/review").await;
    assert!(!queue.contains("水稻纹枯病的识别与防治"));
    assert_eq!(step(&app, &kepu, id, "pass", "").await.0, 303);

    let (_, dash) = app.get_text(&staff, "/outreach?year=2026").await;
    let before = sentence(&dash);
    let r = app.post(&staff, &format!("/outreach/content/{id}/publications"), &wechat).await;
    assert_eq!(r.status(), 303);
    let p = id_from(&r, "/outreach/publications/");
    let r = app
        .post(&staff, &format!("/outreach/publications/{p}/reach"), &[("person_times", "1.2万"), ("basis", "")])
        .await;
    assert_eq!(r.status(), 303);
    let radio = [
        ("channel", "radio"),
        ("account", "FM999通州广播"),
        ("published_on", "2026-01-06"),
        ("issue", "《科普时间》07:30"),
    ];
    let r = app.post(&staff, &format!("/outreach/content/{id}/publications"), &radio).await;
    let radio_id = id_from(&r, "/outreach/publications/");
    let r = app
        .post(&staff, &format!("/outreach/publications/{radio_id}/reach"), &[("person_times", "5000"), ("basis", "")])
        .await;
    assert_eq!(r.status(), 422, "an estimate needs its basis");
    let r = app
        .post(
            &staff,
            &format!("/outreach/publications/{radio_id}/reach"),
            &[("person_times", "5000"), ("basis", "收听率0.8%×常住人口")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // The list shows each figure; a year that has none lists nothing.
    let (_, list) = app.get_text(&staff, &format!("/outreach/publications?content={id}&year=2026")).await;
    assert_eq!(crate::helpers::ids(&list, "/outreach/publications").len(), 2);
    assert!(list.contains(">5000<") && list.contains(">12000<"));
    let (_, list) = app.get_text(&staff, &format!("/outreach/publications?content={id}&year=2025")).await;
    assert!(crate::helpers::ids(&list, "/outreach/publications").is_empty());

    let (code, dash) = app.get_text(&staff, "/outreach?year=2026").await;
    assert_eq!(code, 200);
    let (items, reach) = sentence(&dash);
    assert_eq!((items, reach), (before.0 + 1, before.1 + 17_000), "the sentence comes from the records");
    // History: the status steps and the version.
    let (_, page) = app.get_text(&staff, &format!("/outreach/content/{id}")).await;
    assert!(page.contains("data-status=\"published\""));
    assert!(page.contains(&format!("/outreach/content/{id}/versions/1")));
    let r = app.get(&staff, "/outreach/publications/export.xlsx").await;
    assert_eq!(r.status(), 200);
    app.cleanup().await;
}

#[tokio::test]
async fn screens_and_an_emergency_campaign_in_one_action() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let id = approved_piece(&app, &staff, "流感季如何科学佩戴口罩", "<p>人群密集场所请规范佩戴口罩。</p>").await;

    let r = app
        .post(
            &staff,
            &format!("/outreach/content/{id}/screens"),
            &[
                ("target", "all"),
                ("valid_from", "2026-01-01T08:00"),
                ("valid_to", "2026-01-31T20:00"),
                ("priority", "5"),
                ("dayparts", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let slide = id_from(&r, "/outreach/publications/");
    let (_, schedules) = app.get_text(&staff, "/estation/schedules").await;
    assert!(schedules.contains("流感季如何科学佩戴口罩"), "the slide is on the screens' schedule");

    let r = app
        .post(
            &staff,
            "/outreach/campaigns",
            &[
                ("name", "流感季应急科普"),
                ("kind", "emergency"),
                ("starts_on", "2026-01-10"),
                ("ends_on", "2026-02-10"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let campaign = id_from(&r, "/outreach/campaigns/");
    let until = (chrono::Utc::now() + chrono::Duration::hours(32)).format("%Y-%m-%dT%H:%M").to_string();
    let r = app
        .post(
            &staff,
            &format!("/outreach/campaigns/{campaign}/launch"),
            &[("content_id", &id.to_string()), ("until", &until)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, board) = app.get_text(&staff, &format!("/outreach/campaigns/{campaign}/coverage")).await;
    assert!(board.contains("0 / 8"), "eight channel tasks opened: {board}");
    let (_, interrupts) = app.get_text(&staff, "/estation/interrupts").await;
    assert!(interrupts.contains("流感季如何科学佩戴口罩"));
    // Launching twice is refused; the one launch stands.
    let r = app
        .post(
            &staff,
            &format!("/outreach/campaigns/{campaign}/launch"),
            &[("content_id", &id.to_string()), ("until", &until)],
        )
        .await;
    assert_eq!(r.status(), 422);
    // A task done moves the board.
    let (_, tasks) =
        app.get_text(&staff, &format!("/outreach/publications?campaign={campaign}&status=task&channel=wechat")).await;
    let task = *crate::helpers::ids(&tasks, "/outreach/publications").first().unwrap_or_else(|| panic!("{tasks}"));
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now()).to_string();
    let r = app
        .post(
            &staff,
            &format!("/outreach/publications/{task}/complete"),
            &[
                ("channel", "wechat"),
                ("account", "南通州科协"),
                ("published_on", &today),
                ("link", "https://mp.weixin.qq.com/s/flu"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, board) = app.get_text(&staff, &format!("/outreach/campaigns/{campaign}/coverage")).await;
    assert!(board.contains("1 / 8"), "{board}");
    // A task done once is not done again: its page comes back, refusing.
    let r = app
        .post(
            &staff,
            &format!("/outreach/publications/{task}/complete"),
            &[
                ("channel", "wechat"),
                ("account", "南通州科协"),
                ("published_on", &today),
                ("link", "https://mp.weixin.qq.com/s/flu"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("data-reach"), "the publication's page");

    // A screen plays the slide and the interrupt: the slide's page and the board show the
    // person-times the year's figures count for them.
    let actor = app.actor("staff").await;
    let schedule = app.store.get_publication(&actor, slide).await.unwrap().schedule_id.unwrap();
    let media = app.store.get_content(&actor, id).await.unwrap().media_id.unwrap();
    let interrupt = app.store.get_campaign(&actor, campaign).await.unwrap().interrupt_id.unwrap();
    let token = crate::estation::screen(&app, &staff, 1, "hw-flu").await;
    // Played at noon, when every demo station is open (what is played after hours reaches no
    // one by estimate): today's noon if it has passed, else yesterday's.
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now());
    let noon = kexie_core::estation::proof::day_start(today) + chrono::Duration::hours(12);
    let noon = if noon < chrono::Utc::now() { noon } else { noon - chrono::Duration::days(1) };
    let plays = json!({"plays": [
        {"play_id": "s-1", "content_id": media.to_string(), "schedule_id": schedule.to_string(), "started_at": noon, "duration_ms": 600_000, "completed": true, "audience": 9},
        {"play_id": "i-1", "content_id": media.to_string(), "interrupt_id": interrupt.to_string(), "started_at": "2026-01-15T02:00:00Z", "duration_ms": 600_000, "completed": true, "audience": 7},
    ]});
    let r = app.client().post(app.url("/api/device/v1/plays")).bearer_auth(&token).json(&plays).send().await.unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["accepted"], 2);
    let year = chrono::Datelike::year(&kexie_core::estation::proof::day_of(noon));
    let lines = app.store.reach_lines(&actor, year).await.unwrap();
    let of_slide: i64 = lines.iter().filter(|l| l.publication_id == Some(slide)).map(|l| l.person_times).sum();
    let (_, page) = app.get_text(&staff, &format!("/outreach/publications/{slide}")).await;
    assert!(of_slide > 0 && page.contains(&format!("data-reach>{of_slide}<")), "{of_slide}: {page}");
    let figures = app.store.outreach_figures(&actor, 2026).await.unwrap();
    let of_campaign = figures.by_campaign.iter().find(|b| b.key == campaign.to_string()).unwrap().person_times;
    let (_, board) = app.get_text(&staff, &format!("/outreach/campaigns/{campaign}/coverage")).await;
    assert!(
        of_campaign > 0 && board.contains(&format!("data-stat=\"reach\">{of_campaign}<")),
        "{of_campaign}: {board}"
    );
    app.cleanup().await;
}

/// The board's "屏幕已切换 N / M".
fn switched(board: &str) -> (usize, usize) {
    let at = board.find("data-stat=\"switched\">").expect("screens on the board") + "data-stat=\"switched\">".len();
    let text = &board[at..at + board[at..].find('<').unwrap()];
    let (n, m) = text.split_once(" / ").unwrap();
    (n.trim().parse().unwrap(), m.trim().parse().unwrap())
}

/// Enrolled screens the caller sees, by the stations list's own counts (connected or not).
async fn enrolled_screens(app: &TestApp, username: &str) -> usize {
    let actor = app.actor(username).await;
    let all = kexie_core::page::PageRequest::new(None, Some(1));
    let c = app.store.list_stations(&actor, &Default::default(), all).await.unwrap().screens;
    (c.online + c.offline) as usize
}

#[tokio::test]
async fn the_emergency_board_counts_every_enrolled_screen_and_follows_them_switching() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let id = approved_piece(&app, &staff, "暴雨天气出行安全提示", "<p>暴雨期间请远离河道、涵洞和低洼地带。</p>").await;
    // A player enrolled through the device API, at the first station.
    let token = crate::estation::screen(&app, &staff, 1, "hw-storm").await;
    let r = app
        .post(
            &staff,
            "/outreach/campaigns",
            &[
                ("name", "暴雨防汛应急科普"),
                ("kind", "emergency"),
                ("starts_on", "2026-06-10"),
                ("ends_on", "2026-07-10"),
                ("description", ""),
            ],
        )
        .await;
    let campaign = id_from(&r, "/outreach/campaigns/");
    let until = kexie_core::estation::schedule::format_local(chrono::Utc::now() + chrono::Duration::hours(6));
    let r = app
        .post(
            &staff,
            &format!("/outreach/campaigns/{campaign}/launch"),
            &[("content_id", &id.to_string()), ("until", &until)],
        )
        .await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    // Every enrolled screen is targeted, the demo's (which hold no token) included.
    let targeted = enrolled_screens(&app, "staff").await;
    assert!(targeted > 100, "the demo's screens count: {targeted}");
    let path = format!("/outreach/campaigns/{campaign}/coverage");
    let (_, board) = app.get_text(&staff, &path).await;
    assert_eq!(switched(&board), (0, targeted), "{board}");
    // Those not switched are listed with station and town; the ones silent for long are 离线.
    assert!(board.contains("data-health=\"offline\">离线<"), "{board}");
    let actor = app.actor("staff").await;
    let town = app.store.get_station(&actor, 1).await.unwrap().town;
    assert!(board.contains(&format!("<td>{town}</td>")), "{board}");
    let mine = app
        .store
        .station_devices(&actor, 1)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.hardware_id.as_deref() == Some("hw-storm"))
        .unwrap()
        .id;
    assert!(board.contains(&format!("data-device=\"{mine}\"")));
    // The player fetches the manifest carrying the interrupt and acknowledges it: switched.
    let m: Value = app
        .client()
        .get(app.url("/api/device/v1/manifest"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!m["interrupt"].is_null(), "{m}");
    let hb = json!({"manifest_version": m["version"], "cached": [], "playing": null, "free_disk_mb": 4096, "uptime_s": 30, "app_version": "1.0.0"});
    let r = app.client().post(app.url("/api/device/v1/heartbeat")).bearer_auth(&token).json(&hb).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (_, board) = app.get_text(&staff, &path).await;
    assert_eq!(switched(&board), (1, targeted), "{board}");
    assert!(!board.contains(&format!("data-device=\"{mine}\"")), "a switched screen leaves the list");
    // The interrupt's own page agrees.
    let interrupt = app.store.get_campaign(&actor, campaign).await.unwrap().interrupt_id.unwrap();
    let (_, page) = app.get_text(&staff, &format!("/estation/interrupts/{interrupt}")).await;
    assert!(page.contains(&format!("data-targeted>{targeted}<")) && page.contains("data-switched>1<"), "{page}");
    // A town officer's board counts the screens of their town only.
    let jinsha = app.login("jinsha").await;
    let (_, board) = app.get_text(&jinsha, &path).await;
    let theirs = enrolled_screens(&app, "jinsha").await;
    assert!(theirs < targeted);
    let ours = usize::from(app.store.get_station(&app.actor("jinsha").await, 1).await.is_ok());
    assert_eq!(switched(&board), (ours, theirs), "{board}");
    assert!(!board.contains("<td>西亭镇</td>"));
    app.cleanup().await;
}

#[tokio::test]
async fn search_finds_words_inside_longer_words_within_scope() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    approved_piece(&app, &staff, "中国农业发展银行支持高标准农田建设", "<p>智能灌溉设备安装简单，农户一学就会。</p>")
        .await;
    create_piece(&app, &staff, "农业无人机植保草稿", "<p>尚未审核的草稿。</p>", None).await;

    let (_, page) = app.get_text(&staff, "/search?q=农业").await;
    assert!(page.contains("<mark>农业</mark>"), "highlighted: {page}");
    assert!(page.contains("无人机植保草稿"), "the association finds its drafts");
    let token = app.token_for("staff").await;
    let r = app.client().get(app.url("/api/v1/search?q=简单&kind=content")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let hit = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title_html"].as_str().unwrap().contains("发展银行支持"))
        .expect("found");
    assert!(hit["snippet_html"].as_str().unwrap().contains("<mark>简单</mark>"));
    assert_eq!(hit["kind"], "content");
    let r = app.client().get(app.url("/api/v1/search?q=农业&kind=planet")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 400);
    let r = app.client().get(app.url("/api/v1/search?q=农业")).send().await.unwrap();
    assert_eq!(r.status(), 401);

    // A town officer sees released content only.
    let jinsha = app.login("jinsha").await;
    let (_, page) = app.get_text(&jinsha, "/search?q=农业").await;
    assert!(page.contains("发展银行支持") && !page.contains("无人机植保草稿"));
    let r = app
        .post(
            &jinsha,
            "/outreach/campaigns",
            &[("name", "x"), ("kind", "other"), ("starts_on", "2026-01-01"), ("ends_on", "2026-01-02")],
        )
        .await;
    assert_eq!(r.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn bad_files_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let (_, before) = app.get_text(&staff, "/outreach/content").await;
    let r = create_piece(&app, &staff, "病虫害识别课件", "<p>课件</p>", Some(("课件.exe", b"MZ\x90\0".to_vec()))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("f-file"));
    let r =
        create_piece(&app, &staff, "病虫害识别图", "<p>图</p>", Some(("图.png", b"<html>not a png</html>".to_vec())))
            .await;
    assert_eq!(r.status(), 422);
    let (_, after) = app.get_text(&staff, "/outreach/content").await;
    assert_eq!(crate::helpers::ids(&before, "/outreach/content"), crate::helpers::ids(&after, "/outreach/content"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_refused_article_comes_back_with_its_body_as_it_would_be_saved() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    let body = "<p>文</p><meta http-equiv=\"refresh\" content=\"0;url=/__x14\"><object data=\"/__x14/obj\"></object>";
    let r = create_piece(&app, &c, "", body, None).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    // The editor loads the textarea as markup: only what the sanitiser keeps may be there.
    assert!(page.contains("&#60;p&#62;文&#60;/p&#62;"), "the kept text comes back");
    assert!(!page.contains("http-equiv") && !page.contains("__x14"), "nothing the sanitiser drops comes back");
    app.cleanup().await;
}
