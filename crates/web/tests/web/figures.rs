//! Figures that add up: the daily rollup of proof of play kept equal to the plays, reports over
//! a year, airtime and reach by opening hours, and the year's sentence counting the screens.

use crate::helpers::TestApp;
use chrono::{Duration, NaiveDate, Utc};
use kexie_core::estation::proof;
use kexie_core::estation::station::opening;
use kexie_store::entity::{play, play_daily, station};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// (day, station, media, schedule entry, interrupt) → (plays, played ms, open ms, audience)
type Sums = BTreeMap<(i32, i64, i64, i64, i64), (i64, i64, i64, i64)>;

async fn rollup(app: &TestApp) -> Sums {
    let rows = play_daily::Entity::find().order_by_asc(play_daily::Column::Id).all(&app.store.db).await.unwrap();
    rows.into_iter()
        .map(|r| {
            let key = (r.day, r.station_id, r.media_id, r.schedule_id, r.interrupt_id);
            (key, (r.plays, r.played_ms, r.open_ms, r.audience))
        })
        .collect()
}

/// The rollup as it should be, summed from the raw plays and the stations' hours.
async fn from_plays(app: &TestApp) -> Sums {
    let hours: BTreeMap<i64, String> =
        station::Entity::find().all(&app.store.db).await.unwrap().into_iter().map(|s| (s.id, s.hours)).collect();
    let mut out = Sums::new();
    for p in play::Entity::find().all(&app.store.db).await.unwrap() {
        let key = (p.day, p.station_id, p.media_id, p.schedule_id.unwrap_or(0), p.interrupt_id.unwrap_or(0));
        let open = proof::open_ms(&opening(&hours[&p.station_id]), p.started_at, p.duration_ms);
        let e = out.entry(key).or_default();
        *e = (e.0 + 1, e.1 + p.duration_ms, e.2 + open, e.3 + p.audience.unwrap_or(0) as i64);
    }
    out
}

#[tokio::test]
async fn the_rollup_equals_the_plays_whatever_is_sent_again() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let token = crate::estation::screen(&app, &staff, 1, "hw-roll").await;
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
    let item = |i: usize| m["items"][i]["content_id"].as_str().unwrap().to_string();
    let entry = m["schedule"][0]["schedule_id"].as_str().map(str::to_string);
    let yesterday = proof::day_start(proof::day_of(Utc::now()) - Duration::days(1));
    // Two days, two contents, morning to night (some before opening), some with a head count.
    let play = |k: i64| {
        let day = if k % 2 == 0 { yesterday } else { yesterday - Duration::days(1) };
        json!({"play_id": format!("p-{k}"), "content_id": item((k % 3 == 0) as usize),
               "schedule_id": entry, "started_at": day + Duration::minutes(5 * 60 + k * 7),
               "duration_ms": 20_000 + k * 10, "completed": true,
               "audience": if k % 4 == 0 { Some(k % 5) } else { None }})
    };
    let send = |plays: Vec<Value>| {
        let (c, url, token) = (app.client(), app.url("/api/device/v1/plays"), token.clone());
        async move { c.post(url).bearer_auth(token).json(&json!({"plays": plays})).send().await.unwrap() }
    };
    let first: Vec<Value> = (0..120).map(play).collect();
    let v: Value = send(first.clone()).await.json().await.unwrap();
    assert_eq!(v["accepted"], 120);
    assert_eq!(rollup(&app).await, from_plays(&app).await);
    // The same batch again, half of it with new plays, and the same batch twice at once: the
    // device API takes each play once, and so does the rollup.
    let again: Vec<Value> = (60..180).map(play).collect();
    let v: Value = send(again).await.json().await.unwrap();
    assert_eq!((v["accepted"].as_u64(), v["duplicates"].as_u64()), (Some(60), Some(60)));
    let twice: Vec<Value> = (150..240).map(play).collect();
    let (a, b) = tokio::join!(send(twice.clone()), send(twice));
    let (a, b): (Value, Value) = (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a["accepted"].as_u64().unwrap() + b["accepted"].as_u64().unwrap(), 60, "{a} {b}");
    let sums = rollup(&app).await;
    assert_eq!(sums, from_plays(&app).await);
    assert_eq!(sums.values().map(|s| s.0).sum::<i64>(), 240);
    // Plays before the station opened count in the time played, not in what reaches people.
    let (played, open): (i64, i64) = sums.values().fold((0, 0), |(p, o), s| (p + s.1, o + s.2));
    assert!(open > 0 && open < played, "{open} of {played}");
    app.cleanup().await;
}

fn yesterday() -> NaiveDate {
    proof::day_of(Utc::now()) - Duration::days(1)
}

#[tokio::test]
async fn a_year_answers_and_a_longer_range_is_the_forms_error() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let to = yesterday();
    let year = to - Duration::days(365);
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={year}&to={to}&by=day")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("data-error-for"), "a year is one report");
    let longer = year - Duration::days(1);
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={longer}&to={to}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("data-error-for=\"from\">统计区间最长 366 天（一年），请缩短区间<"), "{html}");
    assert!(html.contains(&format!("value=\"{longer}\"")), "the dates stay as typed");
    assert!(html.contains("data-stat=\"plays\">0<"), "the page itself is whole");
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={to}&to={year}")).await;
    assert_eq!(status, 422);
    assert!(html.contains("data-error-for=\"from\">开始日期不能晚于结束日期<"));
    let (status, html) = app.get_text(&staff, "/estation/plays?from=2026-13-01").await;
    assert_eq!(status, 422);
    assert!(html.contains("data-error-for=\"from\""));
    // In English too.
    app.get(&staff, "/lang?to=en&back=/").await;
    let (_, html) = app.get_text(&staff, &format!("/estation/plays?from={longer}&to={to}")).await;
    assert!(html.contains("A report covers at most 366 days (one year); shorten the range"));
    app.cleanup().await;
}

/// A figure as the pages print it, with thousands separators.
fn figure(s: &str) -> i64 {
    s.trim().replace(',', "").parse().unwrap_or_else(|_| panic!("not a figure: {s}"))
}

/// Reads `data-stat="name">N<` from a page.
fn stat(html: &str, name: &str) -> i64 {
    let at = html.find(&format!("data-stat=\"{name}\"")).unwrap_or_else(|| panic!("no {name}"));
    let rest = &html[at..];
    let (attrs, rest) = rest.split_at(rest.find('>').unwrap());
    // A headline tile shows 17.2万 and carries the exact figure in its title.
    match attrs.find("title=\"") {
        Some(t) => figure(attrs[t + 7..].split(|c: char| !c.is_ascii_digit() && c != ',').next().unwrap()),
        None => figure(&rest[1..rest.find('<').unwrap()]),
    }
}

/// The two numbers of the year's sentence, "…科普知识1,367条，惠及群众171,649人次。".
fn sentence(html: &str) -> (i64, i64) {
    let between = |a: &str, b: &str| {
        let at = html.find(a).unwrap_or_else(|| panic!("no {a}")) + a.len();
        figure(&html[at..at + html[at..].find(b).unwrap()])
    };
    (between("共发送科普知识", "条"), between("惠及群众", "人次"))
}

#[tokio::test]
async fn the_demo_year_proves_play_and_the_sentence_counts_the_screens() {
    let started = std::time::Instant::now();
    let app = TestApp::builder().history().spawn().await;
    eprintln!("demo with a year of plays loaded in {:?}", started.elapsed());
    let staff = app.login("staff").await;
    let to = yesterday();
    // A week: the screens that usually play their schedule are not flagged.
    let week = to - Duration::days(6);
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={week}&to={to}&by=station")).await;
    assert_eq!(status, 200);
    let stations = html.matches("href=\"/estation/stations/").count();
    let short = html.matches("data-short").count();
    assert!(stations >= 100, "{stations} stations played");
    assert!(short > 0 && short * 4 < stations, "{short} of {stations} flagged");
    // Each station's reach says what it rests on.
    assert!(html.contains("按开放时间 ") && html.contains("人次估算"), "estimates name hours and audience");
    assert!(html.contains("按客流计数器计数"), "counted stations say so");
    // The year, fast enough to wait for.
    let year = to - Duration::days(365);
    let t = std::time::Instant::now();
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={year}&to={to}&by=station")).await;
    eprintln!("a year's report by station in {:?}", t.elapsed());
    assert_eq!(status, 200);
    assert!(html.matches("data-short").count() * 4 < stations);
    let played = stat(&html, "reach");
    assert!(played > 1_000_000, "a year of 112 stations reaches millions: {played}");
    // The year's sentence counts the screens among the nine channels.
    let y = chrono::Datelike::year(&to);
    let (_, board) = app.get_text(&staff, &format!("/outreach?year={y}")).await;
    for c in kexie_core::outreach::Channel::ALL {
        assert!(board.contains(&format!("data-channel=\"{}\"", c.code())), "{} listed", c.code());
    }
    let row = &board[board.find("data-channel=\"screen\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    let cells: Vec<i64> = row.split("<td class=\"num\">").skip(1).map(|c| figure(&c[..c.find('<').unwrap()])).collect();
    assert!(cells[0] >= 10 && cells[1] > 100_000, "screens: {cells:?}");
    let (items, reach) = sentence(&board);
    assert_eq!(items, stat(&board, "items"), "the sentence and the tile agree");
    assert!(items >= cells[0] && reach >= cells[1]);
    let (items, reach) = (kexie_core::number::grouped(items), kexie_core::number::grouped(reach));
    assert!(board.contains(&format!("{y}年共发送科普知识{items}条，惠及群众{reach}人次。")), "the sentence");
    app.get(&staff, "/lang?to=en&back=/").await;
    let (_, en) = app.get_text(&staff, &format!("/outreach?year={y}")).await;
    assert!(
        en.contains(&format!("In {y}, sent {items} pieces of science knowledge, reaching {reach} person-times.")),
        "the English sentence"
    );
    app.cleanup().await;
}
