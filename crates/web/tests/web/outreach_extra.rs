//! 科普宣传 stories beyond the library: one piece made ready for four channels, the platforms'
//! statistics files bringing in reach (whole or not at all), and resources handed out to the
//! towns with their signed receipts.

use crate::helpers::{TestApp, upload, xlsx};
use chrono::{Duration, NaiveDate};
use kexie_core::account::Actor;
use kexie_core::outreach::Channel;
use kexie_core::outreach::content::ContentForm;
use kexie_core::outreach::publication::PublicationInput;
use kexie_core::outreach::review::ReviewStep;
use reqwest::Client;

fn today() -> NaiveDate {
    kexie_core::estation::proof::day_of(chrono::Utc::now())
}

fn days_ago(n: i64) -> NaiveDate {
    today() - Duration::days(n)
}

/// A district staff account of our own (the demo district has one), to review with.
async fn staff_actor(app: &TestApp, username: &str) -> Actor {
    let input = kexie_store::account::AccountInput {
        username: username.into(),
        role: "district_staff".into(),
        ..Default::default()
    };
    app.store.create_account(&Actor::system("test"), &input, "not-a-real-hash").await.unwrap();
    app.actor(username).await
}

/// Two reviewers other than the author (`staff`), each passing one review.
struct Reviewers {
    science: Actor,
    editor: Actor,
}

async fn reviewers(app: &TestApp) -> Reviewers {
    Reviewers { science: staff_actor(app, "shen_kexue").await, editor: staff_actor(app, "shen_bianji").await }
}

/// A piece written by `staff` and left as a draft.
async fn draft(app: &TestApp, title: &str, summary: &str, body: &str) -> i64 {
    let input = ContentForm {
        title: title.into(),
        kind: "article".into(),
        topic: "应急避险".into(),
        audience: "青少年".into(),
        source: "kepu_china".into(),
        tags: "防溺水，暑期安全".into(),
        summary: summary.into(),
        body: body.into(),
        ..Default::default()
    }
    .check()
    .unwrap();
    app.store.create_content(&app.actor("staff").await, &input, None).await.unwrap()
}

/// A piece through 三审: submitted by its author, passed by two other staff.
async fn released(app: &TestApp, r: &Reviewers, title: &str, body: &str) -> i64 {
    let id = draft(app, title, "", body).await;
    let author = app.actor("staff").await;
    app.store.review_content(&author, id, ReviewStep::Submit, "").await.unwrap();
    app.store.review_content(&r.science, id, ReviewStep::Pass, "").await.unwrap();
    app.store.review_content(&r.editor, id, ReviewStep::Pass, "").await.unwrap();
    id
}

async fn publish(app: &TestApp, content: i64, channel: Channel, account: &str, on: NaiveDate) -> i64 {
    let input = PublicationInput {
        channel,
        account: account.into(),
        published_on: on,
        link: Some(format!("https://mp.weixin.qq.com/s/kexie{content}")),
        issue: None,
        region_id: None,
    };
    app.store.record_publication(&app.actor("staff").await, content, &input, None).await.unwrap()
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

const BODY: &str = "<h2>什么是“六不”</h2><p>不私自下水游泳，不擅自与他人结伴游泳。</p>\
    <p>暑期溺水事故约占青少年意外死亡的30%，气温超过35℃时尤其要注意。</p>\
    <script>alert('溺水-xss')</script><p onclick=\"alert('溺水-xss')\">发现有人溺水，要大声呼救。</p>";

#[tokio::test]
async fn a_piece_is_made_ready_for_four_channels_and_nothing_unsafe_comes_out() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = reviewers(&app).await;
    let id = released(&app, &r, "夏季防溺水“六不”安全知识", BODY).await;
    let base = format!("/outreach/content/{id}/channel");

    // WeChat: a preview framed from a sandboxed page of its own, and the HTML to copy.
    let (status, page) = app.get_text(&staff, &format!("{base}/wechat")).await;
    assert_eq!(status, 200, "{page}");
    assert!(!page.contains("data-unreleased"), "a released piece is not marked");
    assert!(page.contains("data-copy=\"#ch-html\""));
    assert!(page.contains(&format!("src=\"{base}/wechat/raw?account=")));
    assert!(page.contains("不私自下水游泳") && page.contains("来源：科普中国") && page.contains("编辑：南通州科协"));
    assert!(page.contains("&#60;h2 style=") && !page.contains("alert("), "the HTML is shown as text, never run");
    let raw = app.get(&staff, &format!("{base}/wechat/raw")).await;
    assert_eq!(raw.status(), 200);
    let policy = header(&raw, "content-security-policy").to_string();
    assert!(policy.starts_with("sandbox") && policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("frame-ancestors 'self'"), "{policy}");
    assert_eq!(header(&raw, "x-frame-options"), "SAMEORIGIN");
    let raw = raw.text().await.unwrap();
    assert!(raw.contains("<h2 style=") && raw.contains("发现有人溺水"));
    assert!(!raw.contains("<script") && !raw.contains("alert(") && !raw.contains("onclick"));
    // Another of the channel's accounts signs it; an account of another channel does not.
    let (_, other) = app.get_text(&staff, &format!("{base}/wechat/raw?account=通州发布")).await;
    assert!(other.contains("编辑：通州发布"));
    let (_, foreign) = app.get_text(&staff, &format!("{base}/wechat/raw?account=FM999通州广播")).await;
    assert!(foreign.contains("编辑：南通州科协"));
    let dl = app.get(&staff, &format!("{base}/wechat?download=1")).await;
    assert_eq!(dl.status(), 200);
    assert!(header(&dl, "content-type").starts_with("text/html"));
    assert!(header(&dl, "content-disposition").starts_with("attachment"));
    assert!(!dl.text().await.unwrap().contains("<script"));

    // Radio: the script as read aloud, with its length.
    let (status, page) = app.get_text(&staff, &format!("{base}/radio")).await;
    assert_eq!(status, 200);
    assert!(page.contains("栏目：应急避险") && page.contains("百分之三十") && page.contains("35摄氏度"), "{page}");
    assert!(page.contains("data-duration") && page.contains("FM999通州广播"));
    assert!(!page.contains("alert("));
    let dl = app.get(&staff, &format!("{base}/radio?download=1")).await;
    assert!(header(&dl, "content-type").starts_with("text/plain"));
    assert!(header(&dl, "content-disposition").contains(".txt"));
    let bytes = dl.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "Notepad reads it as UTF-8");
    assert!(String::from_utf8_lossy(&bytes).contains("标题：夏季防溺水“六不”安全知识"));

    // Newspaper: indented paragraphs and the column's byline, with the character count.
    let (status, page) = app.get_text(&staff, &format!("{base}/newspaper")).await;
    assert_eq!(status, 200);
    assert!(page.contains("\u{3000}\u{3000}不私自下水游泳") && page.contains("（《通州日报》科普专栏供稿）"));
    assert!(page.contains("data-chars>") && !page.contains("alert("));

    // Short video: caption, hashtags and a cover that is an SVG download running nothing.
    let (status, page) = app.get_text(&staff, &format!("{base}/short_video")).await;
    assert_eq!(status, 200);
    assert!(page.contains("#科普 #应急避险 #防溺水 #暑期安全"), "{page}");
    assert!(page.contains(&format!("{base}/short_video/cover.svg?account=")));
    let cover = app.get(&staff, &format!("{base}/short_video/cover.svg")).await;
    assert_eq!(cover.status(), 200);
    assert_eq!(header(&cover, "content-type"), "image/svg+xml");
    assert!(header(&cover, "content-disposition").starts_with("attachment"));
    assert!(header(&cover, "content-security-policy").starts_with("default-src 'none'"));
    let svg = cover.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("通州科协抖音号") && !svg.contains("<script"));

    // Other channels have no ready-made version; unknown pieces none at all.
    for path in [format!("{base}/tv"), format!("{base}/screen"), "/outreach/content/999999/channel/wechat".into()] {
        assert_eq!(app.get(&staff, &path).await.status(), 404, "{path}");
    }

    // Staff preview a draft before release, marked as such; a town sees released pieces only.
    let d = draft(
        &app,
        "西亭镇秋冬季流感疫苗接种科普问答",
        "勤洗手、戴口罩、多通风。",
        "<p>流感高发季，老人和儿童要及时接种疫苗。</p>",
    )
    .await;
    let (status, page) = app.get_text(&staff, &format!("/outreach/content/{d}/channel/newspaper")).await;
    assert_eq!(status, 200);
    assert!(page.contains("data-unreleased") && page.contains("【导语】勤洗手、戴口罩、多通风。"));
    let town = app.login("jinsha").await;
    assert_eq!(app.get(&town, &format!("{base}/radio")).await.status(), 200);
    assert_eq!(app.get(&town, &format!("/outreach/content/{d}/channel/radio")).await.status(), 404);
    assert_eq!(app.get(&town, &format!("/outreach/content/{d}/channel/short_video/cover.svg")).await.status(), 404);
    app.cleanup().await;
}

/// A statistics file as a back office exports it.
async fn import_stats(app: &TestApp, c: &Client, name: &str, bytes: Vec<u8>) -> (u16, String) {
    let r = upload(app, c, "/outreach/stats/import", name, bytes).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn reach(app: &TestApp, publication: i64) -> Option<(i64, String, String)> {
    app.store.reach_of(publication).await.unwrap().map(|r| (r.person_times, r.method, r.basis.unwrap_or_default()))
}

#[tokio::test]
async fn platform_statistics_set_reach_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = reviewers(&app).await;
    let swim = released(&app, &r, "金沙街道小学生防溺水安全课堂实录，这些要点请牢记", "<p>不私自下水游泳。</p>").await;
    let flu = released(&app, &r, "西亭镇秋冬季流感疫苗接种科普问答", "<p>勤洗手，多通风。</p>").await;
    let quake = released(&app, &r, "石港镇地震应急演练观摩手记", "<p>伏地、遮挡、手抓牢。</p>").await;
    let (d1, d2) = (days_ago(40), days_ago(12));
    let swim_pub = publish(&app, swim, Channel::Wechat, "南通州科协", d1).await;
    let flu_pub = publish(&app, flu, Channel::Wechat, "南通州科协", d2).await;
    // The same piece on the association's Douyin account: a short-video export reaches it,
    // a WeChat export never does.
    let quake_video = publish(&app, quake, Channel::ShortVideo, "通州科协抖音号", d2).await;

    // The import page explains the formats with their Chinese column names.
    let (status, page) = app.get_text(&staff, "/outreach/stats/import").await;
    assert_eq!(status, 200);
    for col in ["内容标题", "发表时间", "阅读次数", "作品名称", "播放量"] {
        assert!(page.contains(col), "{col}");
    }
    let t = app.get(&staff, "/outreach/stats/template.xlsx?platform=short_video").await;
    assert_eq!(t.status(), 200);
    let sheet = kexie_web::xlsx::read_rows(&t.bytes().await.unwrap()).unwrap();
    assert_eq!(sheet[0][..3], ["作品名称", "发布时间", "播放量"]);

    // A WeChat export (CSV, UTF-8 with a byte-order mark as Excel saves it).
    let csv = format!(
        "\u{feff}内容标题,发表时间,阅读人数,阅读次数,分享次数,点赞数\n\
         金沙街道小学生防溺水安全课堂实录，这些要点请牢记,{d1} 18:30,\"9,876\",1.2万,356,88\n\
         西亭镇秋冬季流感疫苗接种科普问答！,{d2} 07:00,800,\"1,024\",0,5\n"
    );
    let (status, page) = import_stats(&app, &staff, "图文分析.csv", csv.into_bytes()).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("data-updated>2<"), "{page}");
    assert!(page.contains(&format!("href=\"/outreach/publications/{swim_pub}\"")));
    let (n, method, basis) = reach(&app, swim_pub).await.unwrap();
    assert_eq!((n, method.as_str()), (12_000, "platform_stats"));
    assert!(basis.contains("公众号后台导出") && basis.contains("图文分析.csv") && basis.contains("第2行"), "{basis}");
    assert!(basis.contains("点赞88") && basis.contains("分享356"), "{basis}");
    assert_eq!(reach(&app, flu_pub).await.unwrap().0, 1_024);

    // A later export in GB18030 (as Chinese Excel saves CSV) replaces the figures.
    let later = format!("内容标题,发表时间,阅读次数\n金沙街道小学生防溺水安全课堂实录，这些要点请牢记,{d1},1.5万\n");
    let (gbk, _, _) = encoding_rs::GB18030.encode(&later);
    let (status, page) = import_stats(&app, &staff, "图文分析-12月.csv", gbk.into_owned()).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(reach(&app, swim_pub).await.unwrap().0, 15_000);
    assert!(page.contains(">12000<") && page.contains(">15000<"), "before and after: {page}");

    // A short-video export (Excel) reaches the Douyin publication only.
    let video = xlsx(&[
        vec!["作品名称".into(), "发布时间".into(), "播放量".into(), "点赞量".into()],
        vec![
            "石港镇地震应急演练观摩手记！#科普 #防灾减灾".into(),
            format!("{d2} 12:00:00"),
            "3.4万".into(),
            "1,203".into(),
        ],
    ]);
    let (status, page) = import_stats(&app, &staff, "作品数据.xlsx", video).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(reach(&app, quake_video).await.unwrap().0, 34_000);

    // One unknown title and one bad figure: every row's problem, nothing written.
    let audit_before = kexie_store::audit::head_seq(&app.store.db).await.unwrap();
    let bad = format!(
        "内容标题,发表时间,阅读次数\n\
         西亭镇秋冬季流感疫苗接种科普问答,{d2},2000\n\
         兴仁镇科普大篷车巡展侧记,{d2},300\n\
         金沙街道小学生防溺水安全课堂实录，这些要点请牢记,{d1},很多\n"
    );
    let (status, page) = import_stats(&app, &staff, "有错.csv", bad.into_bytes()).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("data-row=\"3\" data-code=\"stats_no_match\""), "{page}");
    assert!(page.contains("data-row=\"4\" data-code=\"bad_number\""), "{page}");
    assert!(page.contains("没有找到标题相符的已发布记录") && page.contains("请填写有效的数字"));
    assert_eq!(reach(&app, flu_pub).await.unwrap().0, 1_024, "the good row is not taken either");
    assert_eq!(kexie_store::audit::head_seq(&app.store.db).await.unwrap(), audit_before, "nothing written");

    // Two rows for one publication: the file says two things about one figure.
    let twice = format!(
        "内容标题,发表时间,阅读次数\n西亭镇秋冬季流感疫苗接种科普问答,{d2},2000\n西亭镇秋冬季流感疫苗接种科普问答,{d2},2100\n"
    );
    let (status, page) = import_stats(&app, &staff, "重复.csv", twice.into_bytes()).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("data-row=\"3\" data-code=\"stats_duplicate\"") && page.contains("与第 2 行是同一条发布记录")
    );
    assert_eq!(reach(&app, flu_pub).await.unwrap().0, 1_024);

    // The same piece twice on WeChat: the row's date decides, or the account, or it is ambiguous.
    let again = publish(&app, flu, Channel::Wechat, "通州发布", d2).await;
    let same_day = format!("内容标题,发表时间,阅读次数\n西亭镇秋冬季流感疫苗接种科普问答,{d2},2000\n");
    let (status, page) = import_stats(&app, &staff, "两个账号.csv", same_day.clone().into_bytes()).await;
    assert_eq!(status, 422);
    assert!(page.contains("data-code=\"stats_ambiguous\""), "{page}");
    let token = app.csrf(&staff).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("account", "通州发布")
        .part("file", reqwest::multipart::Part::bytes(same_day.into_bytes()).file_name("通州发布.csv"));
    let res = staff.post(app.url("/outreach/stats/import")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(reach(&app, again).await.unwrap().0, 2_000);
    assert_eq!(reach(&app, flu_pub).await.unwrap().0, 1_024);

    // An export of something else is refused with its code, in the user's language.
    let (status, page) = import_stats(&app, &staff, "名单.csv", "姓名,电话\n张三,13800000000\n".into()).await;
    assert_eq!(status, 422);
    assert!(page.contains("data-error-code=\"stats_unknown_format\"") && page.contains("无法识别的统计文件"));
    let (status, page) = import_stats(&app, &staff, "图片.png", b"\x89PNG\r\n\x1a\n".to_vec()).await;
    assert_eq!(status, 422);
    assert!(page.contains("data-error-code=\"not_xlsx\""), "{page}");

    // Importing is the association's.
    let town = app.login("jinsha").await;
    assert_eq!(app.get(&town, "/outreach/stats/import").await.status(), 403);
    let (status, _) = import_stats(&app, &town, "图文分析.csv", csv_line(d2)).await;
    assert_eq!(status, 403);
    app.cleanup().await;
}

fn csv_line(d: NaiveDate) -> Vec<u8> {
    format!("内容标题,发表时间,阅读次数\n西亭镇秋冬季流感疫苗接种科普问答,{d},9999\n").into_bytes()
}

fn town_id(tree: &kexie_core::region::RegionTree, name: &str) -> i64 {
    tree.towns().into_iter().find(|t| t.name == name).unwrap().id
}

async fn sign(
    app: &TestApp,
    c: &Client,
    id: i64,
    by: &str,
    on: &str,
    file: Option<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let token = app.csrf(c).await;
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("signed_by", by.to_string())
        .text("signed_on", on.to_string());
    if let Some((name, bytes)) = file {
        form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    }
    c.post(app.url(&format!("/outreach/distributions/{id}/sign"))).multipart(form).send().await.unwrap()
}

fn created_id(r: &reqwest::Response) -> i64 {
    let loc = header(r, "location");
    loc.rsplit_once("created=").and_then(|(_, id)| id.parse().ok()).unwrap_or_else(|| panic!("{loc}"))
}

/// The ids of the hand-outs a list page shows.
fn rows(page: &str) -> Vec<i64> {
    page.match_indices("data-distribution=\"")
        .filter_map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"')?].parse().ok()
        })
        .collect()
}

/// What our hand-outs carry in their note, to tell them from the demo district's own.
const BATCH: &str = "科普大篷车冬季补发";

fn ours(extra: &str) -> String {
    format!("/outreach/distributions?q={}{extra}", urlencoding::encode(BATCH))
}

#[tokio::test]
async fn resources_go_out_to_towns_and_come_back_signed() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let staff_actor = app.actor("staff").await;
    let count = || async { app.store.list_distributions(&app.actor("staff").await).await.unwrap().len() };
    let before = count().await;
    let tree = app.store.regions().await.unwrap();
    let (jinsha, xiting) = (town_id(&tree, "金沙街道"), town_id(&tree, "西亭镇"));
    let sent = days_ago(5).to_string();
    let hand_out =
        |resource: &'static str, kind: &'static str, qty: &'static str, recipient: &'static str, town: i64| {
            vec![
                ("resource", resource.to_string()),
                ("resource_kind", kind.to_string()),
                ("quantity", qty.to_string()),
                ("recipient", recipient.to_string()),
                ("region_id", town.to_string()),
                ("sent_on", sent.clone()),
                ("note", BATCH.to_string()),
            ]
        };
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, staff) = (&app, &staff);
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(staff, "/outreach/distributions", &f).await
        }
    };
    let r = post(hand_out("《防溺水安全口袋书》", "book", "200", "金沙街道科协", jinsha)).await;
    assert_eq!(r.status(), 303);
    let book = created_id(&r);
    let r = post(hand_out("防溺水安全教育视频课件（冬季版）", "courseware", "15", "西亭镇中心小学", xiting)).await;
    let courseware = created_id(&r);
    let r = post(hand_out("《家庭防灾减灾手册（冬季版）》", "book", "120", "西亭镇科协", xiting)).await;
    let manual = created_id(&r);
    assert_eq!(count().await, before + 3);

    // Mistakes come back on the same page, field by field, and nothing is recorded.
    let mut bad = hand_out("", "book", "0", "金沙街道科协", jinsha);
    bad[5].1 = (today() + Duration::days(3)).to_string();
    let r = post(bad).await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("请填写有效的数字") && page.contains("日期不能晚于今天") && page.contains("此项为必填"),
        "{page}"
    );
    assert_eq!(count().await, before + 3);

    // The list: totals by kind, filters, search.
    let (status, page) = app.get_text(&staff, "/outreach/distributions").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&page).len(), before + 3);
    let (_, page) = app.get_text(&staff, &ours("")).await;
    assert_eq!(rows(&page), [manual, courseware, book]);
    assert!(page.contains("data-total-quantity>335<"), "{page}");
    assert!(page.contains("data-kind=\"book\"") && page.contains("data-quantity>320<"));
    let (_, page) = app.get_text(&staff, &ours(&format!("&town={xiting}"))).await;
    assert_eq!(rows(&page), [manual, courseware]);
    let (_, page) = app.get_text(&staff, &format!("/outreach/distributions?q={}", urlencoding::encode("口袋书"))).await;
    assert_eq!(rows(&page), [book]);

    // Signed with a scanned PDF: kept by content and served in place.
    let pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec();
    let r = sign(&app, &staff, book, "张丽", &today().to_string(), Some(("金沙签收单.pdf", pdf.clone()))).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let d = app.store.get_distribution(&staff_actor, book).await.unwrap();
    assert_eq!((d.signed_by.as_deref(), d.signed_on), (Some("张丽"), Some(today())));
    let receipt = app.get(&staff, &format!("/outreach/distributions/{book}/receipt")).await;
    assert_eq!(receipt.status(), 200);
    assert_eq!(header(&receipt, "content-type"), "application/pdf");
    assert!(header(&receipt, "content-disposition").starts_with("inline"));
    assert_eq!(receipt.bytes().await.unwrap().to_vec(), pdf);
    let (_, page) = app.get_text(&staff, &ours("&signed=yes")).await;
    assert_eq!(rows(&page), [book]);
    assert!(page.contains(&format!("/outreach/distributions/{book}/receipt")));
    let (_, page) = app.get_text(&staff, &ours("&signed=no")).await;
    assert_eq!(rows(&page), [manual, courseware]);

    // A picture named .pdf, a program, a date before sending: refused, nothing written.
    let audit_before = kexie_store::audit::head_seq(&app.store.db).await.unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec();
    let r = sign(&app, &staff, manual, "王强", &today().to_string(), Some(("签收单.pdf", png.clone()))).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("文件内容与扩展名不符"));
    let exe = Some(("签收单.exe", b"MZ\x90\0\x03".to_vec()));
    let r = sign(&app, &staff, manual, "王强", &today().to_string(), exe).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("不支持的文件类型"));
    let r = sign(&app, &staff, manual, "王强", &days_ago(9).to_string(), None).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("签收日期不能早于发放日期"));
    assert_eq!(kexie_store::audit::head_seq(&app.store.db).await.unwrap(), audit_before, "nothing written");
    let d = app.store.get_distribution(&staff_actor, manual).await.unwrap();
    assert!(d.signed_on.is_none() && d.receipt_sha.is_none());
    // A photographed receipt of a realistic size (more than a form's limit) goes through.
    let mut photo = png.clone();
    photo.resize(600 * 1024, 7);
    let r = sign(&app, &staff, manual, "王强", &today().to_string(), Some(("签收单.png", photo.clone()))).await;
    assert_eq!(r.status(), 303, "a 600 KB scan is taken");
    let receipt = app.get(&staff, &format!("/outreach/distributions/{manual}/receipt")).await;
    assert_eq!(header(&receipt, "content-type"), "image/png");
    assert_eq!(receipt.bytes().await.unwrap().len(), photo.len());

    // The export carries the list's rows and each receipt's state.
    let x = app.get(&staff, "/outreach/distributions/export.xlsx").await;
    assert_eq!(x.status(), 200);
    let sheet = kexie_web::xlsx::read_rows(&x.bytes().await.unwrap()).unwrap();
    assert_eq!(sheet.len(), before + 4);
    assert!(sheet.iter().any(|r| r[0] == "《防溺水安全口袋书》" && r[1] == "图书" && r[7] == "张丽" && r[9] == "有"));
    let x =
        app.get(&staff, &ours("").replace("/outreach/distributions?", "/outreach/distributions/export.xlsx?")).await;
    assert_eq!(kexie_web::xlsx::read_rows(&x.bytes().await.unwrap()).unwrap().len(), 4);

    // A town sees what it received, and writes nothing.
    let town = app.login("jinsha").await;
    let town_actor = app.actor("jinsha").await;
    let mine = tree.subtree_ids(jinsha);
    let theirs = app.store.list_distributions(&town_actor).await.unwrap();
    assert!(theirs.iter().all(|d| mine.contains(&d.region_id)) && theirs.iter().any(|d| d.id == book));
    let (status, page) = app.get_text(&town, "/outreach/distributions").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&page).len(), theirs.len());
    assert!(rows(&page).contains(&book) && !rows(&page).contains(&manual));
    assert!(!page.contains("name=\"resource\"") && !page.contains("/sign\""), "no forms to write with");
    assert_eq!(app.get(&town, &format!("/outreach/distributions/{book}/receipt")).await.status(), 200);
    assert_eq!(app.get(&town, &format!("/outreach/distributions/{manual}/receipt")).await.status(), 404);
    let x = app.get(&town, "/outreach/distributions/export.xlsx").await;
    assert_eq!(kexie_web::xlsx::read_rows(&x.bytes().await.unwrap()).unwrap().len(), theirs.len() + 1);
    let f: Vec<(&str, String)> = hand_out("《防溺水安全口袋书》", "book", "10", "金沙街道科协", jinsha);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post(&town, "/outreach/distributions", &f).await.status(), 403);
    let r = sign(&app, &town, courseware, "李明", &today().to_string(), None).await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
    assert!(app.store.get_distribution(&staff_actor, courseware).await.unwrap().signed_on.is_none());
    assert_eq!(count().await, before + 3);
    app.cleanup().await;
}
