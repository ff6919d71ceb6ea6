//! 科普e站 stories: staff add a screen and the screen enrols by the device contract; what it
//! plays follows schedules and interrupts, with instant events; uploads are checked by
//! content; proof of play comes back as reports; delivery receipts and scope hold.

use crate::helpers::{TestApp, upload};
use reqwest::Client;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::{Duration, Instant};

/// The code a station page shows after "添加屏幕并生成注册码".
async fn add_screen(app: &TestApp, staff: &Client, station: i64) -> String {
    let r = app.post(staff, &format!("/estation/stations/{station}/screens"), &[("name", "测试屏")]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let i = html.find("data-enroll-code>").expect("code shown") + "data-enroll-code>".len();
    html[i..i + 9].to_string()
}

async fn enrol(app: &TestApp, code: &str, hardware: &str) -> reqwest::Response {
    let body = json!({"code": code, "hardware_id": hardware, "model": "ZX-55", "resolution": "1920x1080", "app_version": "1.0.0"});
    app.client().post(app.url("/api/device/v1/enroll")).json(&body).send().await.unwrap()
}

pub(crate) async fn screen(app: &TestApp, staff: &Client, station: i64, hardware: &str) -> String {
    let code = add_screen(app, staff, station).await;
    let r = enrol(app, &code, hardware).await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
}

async fn manifest(app: &TestApp, token: &str) -> (Value, String) {
    let r = app.client().get(app.url("/api/device/v1/manifest")).bearer_auth(token).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    (r.json().await.unwrap(), etag)
}

pub(crate) fn png(seed: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend(std::iter::repeat_n(seed, 64));
    b
}

pub(crate) async fn upload_media(app: &TestApp, staff: &Client, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let token = app.csrf(staff).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("title", "垃圾分类宣传海报")
        .text("duration_s", "12")
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    staff.post(app.url("/estation/media")).multipart(form).send().await.unwrap()
}

async fn heartbeat(app: &TestApp, token: &str, version: &str, cached: &[String]) -> Value {
    let body = json!({"manifest_version": version, "cached": cached, "playing": null, "free_disk_mb": 5120, "uptime_s": 60, "app_version": "1.0.0"});
    let r = app.client().post(app.url("/api/device/v1/heartbeat")).bearer_auth(token).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

fn shas(m: &Value) -> Vec<String> {
    m["items"].as_array().unwrap().iter().map(|i| i["sha256"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn a_screen_enrols_plays_reports_and_is_revoked_by_the_contract() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let code = add_screen(&app, &staff, 1).await;
    let r = enrol(&app, &code, "b8:27:eb:12:34:56").await;
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    assert_eq!(e["station_id"], "1");
    assert!(e["station_name"].as_str().unwrap().ends_with("科普e站"));
    assert_eq!(e["poll_interval_s"], 60);
    let token = e["token"].as_str().unwrap().to_string();
    // A code works once; unknown codes get the same answer.
    for c in [code.as_str(), "AAAA-BBBB"] {
        let r = enrol(&app, c, "other").await;
        assert_eq!(r.status(), 400);
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], "invalid_enrollment_code");
        assert!(!v["message"].as_str().unwrap().is_empty());
    }
    // The manifest, then 304 while nothing changes.
    let (m, etag) = manifest(&app, &token).await;
    assert_eq!(etag, format!("\"{}\"", m["version"].as_str().unwrap()));
    assert_eq!(m["timezone"], "Asia/Shanghai");
    assert!(!m["schedule"].as_array().unwrap().is_empty(), "the demo schedule reaches every station");
    let r = app
        .client()
        .get(app.url("/api/device/v1/manifest"))
        .bearer_auth(&token)
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    assert_eq!(r.headers()["etag"].to_str().unwrap(), etag);
    // Heartbeat acknowledges the version.
    let hb = heartbeat(&app, &token, m["version"].as_str().unwrap(), &shas(&m)).await;
    assert_eq!(hb["manifest_version"], m["version"]);
    // Plays: idempotent by play_id, bad ones rejected one by one.
    let content = m["items"][0]["content_id"].as_str().unwrap();
    let now = chrono::Utc::now();
    let plays = json!({"plays": [
        {"play_id": "p-1", "content_id": content, "schedule_id": null, "interrupt_id": null, "started_at": now - chrono::Duration::minutes(3), "duration_ms": 20000, "completed": true, "audience": 12},
        {"play_id": "p-2", "content_id": content, "started_at": now - chrono::Duration::minutes(2), "duration_ms": 20000, "completed": true},
        {"play_id": "p-3", "content_id": "999999", "started_at": now, "duration_ms": 1000, "completed": true},
        {"play_id": "p-4", "content_id": content, "started_at": now + chrono::Duration::minutes(10), "duration_ms": 1000, "completed": true},
        {"play_id": "p-5", "content_id": content, "started_at": now, "duration_ms": -5, "completed": false},
    ]});
    let send = |body: Value| {
        let c = app.client();
        let url = app.url("/api/device/v1/plays");
        let token = token.clone();
        async move { c.post(url).bearer_auth(token).json(&body).send().await.unwrap() }
    };
    let v: Value = send(plays.clone()).await.json().await.unwrap();
    assert_eq!(v["accepted"], 2);
    assert_eq!(v["duplicates"], 0);
    let rejected: Vec<(u64, String)> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_u64().unwrap(), r["error"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(rejected, [(2, "unknown_content".into()), (3, "future_start".into()), (4, "negative_duration".into())]);
    let v: Value = send(plays).await.json().await.unwrap();
    assert_eq!((v["accepted"].as_u64(), v["duplicates"].as_u64()), (Some(0), Some(2)));
    let many: Vec<Value> = (0..1001)
        .map(|i| json!({"play_id": format!("b-{i}"), "content_id": content, "started_at": now, "duration_ms": 1}))
        .collect();
    let r = send(json!({ "plays": many })).await;
    assert_eq!(r.status(), 413);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "batch_too_large");
    let r = app
        .client()
        .post(app.url("/api/device/v1/plays"))
        .bearer_auth(&token)
        .body("{\"plays\": [")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "invalid_body");
    // Nothing from the refused batches was stored: the station page counts two plays.
    let (_, html) = app.get_text(&staff, "/estation/stations/1").await;
    assert!(html.contains("data-plays-total>2<"), "two plays counted");
    // Enrolling the same player with a new code replaces its token.
    let code2 = add_screen(&app, &staff, 1).await;
    let r = enrol(&app, &code2, "b8:27:eb:12:34:56").await;
    let token2 = r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let r = app.client().get(app.url("/api/device/v1/manifest")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "unauthorized");
    // Revoking from the page stops the new token at once and ends its event stream.
    let mut stream = app.client().get(app.url("/api/device/v1/events")).bearer_auth(&token2).send().await.unwrap();
    assert!(next_version(&mut stream, "", Duration::from_secs(2)).await.is_some());
    let (_, html) = app.get_text(&staff, "/estation/stations/1").await;
    let device = html.split("data-device-id=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = app.post(&staff, &format!("/estation/screens/{device}/revoke"), &[]).await;
    assert_eq!(r.status(), 303);
    let r = app.client().get(app.url("/api/device/v1/manifest")).bearer_auth(&token2).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let ended =
        tokio::time::timeout(Duration::from_secs(2), async { while let Ok(Some(_)) = stream.chunk().await {} }).await;
    assert!(ended.is_ok(), "the revoked screen's stream closes");
    app.cleanup().await;
}

/// Reads the event stream until a `manifest` event with another version than `old` arrives.
async fn next_version(resp: &mut reqwest::Response, old: &str, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    let mut buf = String::new();
    while Instant::now() < deadline {
        let chunk = tokio::time::timeout(deadline - Instant::now(), resp.chunk()).await.ok()?.ok()??;
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf.drain(..end + 2).collect();
            if event.contains("event: manifest") {
                let data = event.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or("{}");
                let v: Value = serde_json::from_str(data).unwrap();
                let version = v["version"].as_str().unwrap().to_string();
                if version != old {
                    return Some(version);
                }
            }
        }
    }
    None
}

#[tokio::test]
async fn schedules_and_interrupts_reach_their_screens_at_once() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = upload_media(&app, &staff, "海报.png", png(1)).await;
    assert_eq!(r.status(), 303);
    let media = r.headers()["location"]
        .to_str()
        .unwrap()
        .split("added=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_string();
    let token = screen(&app, &staff, 1, "hw-a").await;
    let (m, _) = manifest(&app, &token).await;
    let v0 = m["version"].as_str().unwrap().to_string();
    let mut events = app.client().get(app.url("/api/device/v1/events")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(events.headers()["content-type"], "text/event-stream");
    assert_eq!(next_version(&mut events, "", Duration::from_secs(2)).await.as_deref(), Some(v0.as_str()));
    // An entry for another town changes nothing here.
    let t = app.store.regions().await.unwrap();
    let towns: Vec<i64> = t.towns().iter().map(|t| t.id).collect();
    let (first_town, other_town) = (towns[0], towns[1]);
    let entry = |town: i64| {
        vec![
            ("media_id", media.clone()),
            ("priority", "10".to_string()),
            ("valid_from", "2026-01-01T00:00".to_string()),
            ("valid_to", "2036-01-01T00:00".to_string()),
            ("dayparts", String::new()),
            ("target", format!("towns:{town}")),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let (app, staff) = (&app, &staff);
        async move {
            let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post(staff, "/estation/schedules", &f).await
        }
    };
    assert_eq!(post(entry(other_town)).await.status(), 303);
    assert_eq!(
        manifest(&app, &token).await.0["version"],
        v0.as_str(),
        "another town's entry is not this screen's change"
    );
    // Its own town's entry: the event arrives and the manifest has it on top.
    let sent = Instant::now();
    assert_eq!(post(entry(first_town)).await.status(), 303);
    let v1 = next_version(&mut events, &v0, Duration::from_secs(2)).await.expect("event within 2 s");
    assert!(sent.elapsed() < Duration::from_secs(2));
    let (m1, _) = manifest(&app, &token).await;
    assert_eq!(m1["version"], v1.as_str());
    assert_eq!(m1["schedule"][0]["content_id"], media.as_str());
    assert_eq!(m1["schedule"][0]["priority"], 10);
    // Bad schedule input: a clear error per field, nothing stored.
    let mut bad = entry(first_town);
    bad[3].1 = "2020-01-01T00:00".into();
    bad[4].1 = "1-5 18:00-08:00".into();
    let r = post(bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("结束时间应晚于开始时间"));
    assert_eq!(manifest(&app, &token).await.0["version"], v1.as_str());
    // An emergency broadcast from the page: event at once, interrupt in the manifest.
    let until = kexie_core::estation::schedule::format_local(chrono::Utc::now() + chrono::Duration::hours(1));
    let sent = Instant::now();
    let r = app
        .post(
            &staff,
            "/estation/interrupts",
            &[("media_id", &media), ("target", "all"), ("until", &until), ("campaign", "流感应急科普")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"].to_str().unwrap().to_string();
    let v2 = next_version(&mut events, &v1, Duration::from_secs(2)).await.expect("interrupt within 2 s");
    assert!(sent.elapsed() < Duration::from_secs(2));
    let (m2, _) = manifest(&app, &token).await;
    assert_eq!(m2["interrupt"]["content_id"], media.as_str());
    assert_eq!(m2["interrupt"]["campaign_id"], "流感应急科普");
    // The live page counts the screen once it acknowledges.
    let (_, html) = app.get_text(&staff, &page).await;
    assert!(html.contains("data-switched>0<"));
    heartbeat(&app, &token, &v2, &shas(&m2)).await;
    let (_, html) = app.get_text(&staff, &page).await;
    assert!(html.contains("data-switched>1<"), "{html}");
    // Ending it restores the schedule.
    let id = page.rsplit('/').next().unwrap();
    assert_eq!(app.post(&staff, &format!("/estation/interrupts/{id}/cancel"), &[]).await.status(), 303);
    assert!(next_version(&mut events, &v2, Duration::from_secs(2)).await.is_some());
    assert!(manifest(&app, &token).await.0["interrupt"].is_null());
    app.cleanup().await;
}

#[tokio::test]
async fn uploads_are_checked_by_content_and_served_by_hash() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let count = || async {
        app.get_text(&app.login("staff").await, "/estation/media").await.1.matches("data-media-id=").count()
    };
    let before = count().await;
    for (name, bytes, code) in [
        ("海报.jpg", png(2), "media_content_mismatch"),
        ("病毒.exe", png(2), "media_type_unknown"),
        ("页面.html", vec![0x4d, 0x5a, 0x90, 0, 0xff], "media_content_mismatch"),
    ] {
        let r = upload_media(&app, &staff, name, bytes).await;
        assert_eq!(r.status(), 422, "{name}");
        let html = r.text().await.unwrap();
        let msg = kexie_web::i18n::Lang::Zh.error(code, None);
        assert!(html.contains(&msg), "{name}: {msg}");
    }
    assert_eq!(count().await, before, "nothing stored");
    let bytes = png(3);
    let sha = hex::encode(Sha256::digest(&bytes));
    let r = upload_media(&app, &staff, "海报.png", bytes.clone()).await;
    assert!(r.headers()["location"].to_str().unwrap().ends_with("new=true"));
    let r = upload_media(&app, &staff, "同一张.png", bytes.clone()).await;
    assert!(r.headers()["location"].to_str().unwrap().ends_with("new=false"), "same bytes are reused");
    assert_eq!(count().await, before + 1);
    let c = app.client();
    let r = c.get(app.url(&format!("/media/{sha}"))).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(r.headers()["etag"].to_str().unwrap(), format!("\"{sha}\""));
    assert_eq!(hex::encode(Sha256::digest(r.bytes().await.unwrap())), sha);
    let r = c.get(app.url(&format!("/media/{sha}"))).header("range", "bytes=0-7").send().await.unwrap();
    assert_eq!(r.status(), 206);
    assert_eq!(r.bytes().await.unwrap().as_ref(), &bytes[..8]);
    let r =
        c.get(app.url(&format!("/media/{sha}"))).header("if-none-match", format!("\"{sha}\"")).send().await.unwrap();
    assert_eq!(r.status(), 304);
    let r = c.get(app.url(&format!("/media/{}", "0".repeat(64)))).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(r.json::<Value>().await.unwrap()["error"], "not_found");
    // Upload is the association's: a town may not.
    let town = app.login("jinsha").await;
    assert_eq!(upload(&app, &town, "/estation/media", "a.png", png(4)).await.status(), 403);
    app.cleanup().await;
}

#[tokio::test]
async fn stations_keep_their_scope_and_reports_count_what_screens_sent() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let (_, html) = app.get_text(&staff, "/estation").await;
    assert!(html.contains("data-stat=\"stations\">112<"), "the district's 112 stations");
    let per_page = "&per_page=200";
    let all = app
        .get_text(&staff, &format!("/estation?q={per_page}"))
        .await
        .1
        .matches("<td><a href=\"/estation/stations/")
        .count();
    let tagged = app.get_text(&staff, &format!("/estation?tag=%E8%80%81%E5%B9%B4%E4%BA%BA{per_page}")).await.1;
    let n = tagged.matches("<td><a href=\"/estation/stations/").count();
    assert!(all == 112 && n > 0 && n < all, "the 老年人 tag picks some stations: {n} of {all}");
    let (_, map) = app.get_text(&staff, "/estation/map").await;
    assert_eq!(map.matches("\"lat\":").count(), 112, "every station on the map");
    assert!(map.contains("\"online\":1") && map.contains("\"online\":0"), "online and offline screens coloured apart");
    // A town officer registers a station in their town; bad input is refused field by field.
    let jinsha = app.login("jinsha").await;
    let tree = app.store.regions().await.unwrap();
    let town = tree.towns().into_iter().find(|t| t.name == "金沙街道").unwrap().clone();
    let other = tree.towns().into_iter().find(|t| t.name == "西亭镇").unwrap().clone();
    let community = tree.children(Some(town.id)).next().unwrap().id.to_string();
    let r = app
        .post(
            &jinsha,
            "/estation/stations",
            &[("name", ""), ("region_id", &community), ("lat", "121.07"), ("lng", "32.08"), ("hours", "17:30-08:30")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    for f in ["name", "lat", "lng", "hours"] {
        assert!(!html.contains(&format!("data-error-for=\"{f}\"></p>")), "{f} has an error");
    }
    let foreign = tree.children(Some(other.id)).next().unwrap().id.to_string();
    let r = app.post(&jinsha, "/estation/stations", &[("name", "金沙测试科普e站"), ("region_id", &foreign)]).await;
    assert_eq!(r.status(), 422, "a town registers only in its own town");
    let r = app
        .post(
            &jinsha,
            "/estation/stations",
            &[
                ("name", "金沙街道新建社区科普e站"),
                ("region_id", &community),
                ("lat", "32.081"),
                ("lng", "121.071"),
                ("hours", "08:30-17:30"),
                ("audience_per_hour", "40"),
                ("five_network", "on"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(app.get(&jinsha, &page).await.status(), 200);
    // Another town's station is not there for this town.
    let xiting = app.login("xiting").await;
    assert_eq!(app.get(&xiting, &page).await.status(), 404);
    let (_, list) = app.get_text(&xiting, "/estation").await;
    assert!(!list.contains("金沙街道新建社区科普e站"));
    // Plays sent by a screen show in the reports by station and by day, and export.
    let token = screen(&app, &staff, 1, "hw-r").await;
    let (m, _) = manifest(&app, &token).await;
    let content = m["items"][0]["content_id"].as_str().unwrap().to_string();
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    let plays: Vec<Value> = (0..30).map(|i| json!({"play_id": format!("r-{i}"), "content_id": content, "started_at": yesterday + chrono::Duration::minutes(i), "duration_ms": 60_000, "completed": true})).collect();
    let r = app
        .client()
        .post(app.url("/api/device/v1/plays"))
        .bearer_auth(&token)
        .json(&json!({"plays": plays}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["accepted"], 30);
    let day = kexie_core::estation::proof::day_of(yesterday);
    let (status, html) = app.get_text(&staff, &format!("/estation/plays?from={day}&to={day}&by=station")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-stat=\"plays\">30<"), "30 plays");
    assert!(html.contains("data-short"), "a screen that played half an hour of a full day is flagged");
    let r = app.get(&staff, &format!("/estation/plays/export.xlsx?from={day}&to={day}&by=content")).await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));
    let (_, html) = app.get_text(&xiting, &format!("/estation/plays?from={day}&to={day}")).await;
    assert!(html.contains("data-stat=\"plays\">0<"), "a town sees its own stations' plays only");
    app.cleanup().await;
}

#[tokio::test]
async fn delivery_receipts_count_screens_that_have_each_change() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let token = screen(&app, &staff, 2, "hw-d").await;
    let groups = app.store.station_groups().await.unwrap();
    let r = app.post(&staff, "/estation/groups", &[("name", "测试分组"), ("parent_id", "")]).await;
    assert_eq!(r.status(), 303);
    let group = app.store.station_groups().await.unwrap().len() as i64;
    assert_eq!(group as usize, groups.len() + 1);
    assert_eq!(
        app.post(&staff, "/estation/stations/2/groups", &[("group_id", &group.to_string()), ("member", "on")])
            .await
            .status(),
        303
    );
    let r = app
        .post(
            &staff,
            "/estation/schedules",
            &[
                ("media_id", "2"),
                ("priority", "3"),
                ("valid_from", "2026-01-01T00:00"),
                ("valid_to", "2036-01-01T00:00"),
                ("dayparts", "1-7 00:00-24:00"),
                ("target", &format!("groups:{group}")),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Every enrolled screen of the station is targeted: the demo's, whose player is not
    // running, and the one enrolled here.
    let actor = app.actor("staff").await;
    let s = app.store.get_station(&actor, 2).await.unwrap().screens;
    let targeted = s.online + s.offline;
    assert_eq!(targeted, 2);
    let (_, html) = app.get_text(&staff, "/estation/changes").await;
    assert!(html.contains(&format!("data-done>0/{targeted}<")), "the screen has not got it yet");
    let (m, _) = manifest(&app, &token).await;
    assert_eq!(m["schedule"][0]["priority"], 3, "the group's entry is on top");
    heartbeat(&app, &token, m["version"].as_str().unwrap(), &[]).await;
    let (_, html) = app.get_text(&staff, "/estation/changes").await;
    assert!(html.contains(&format!("data-done>0/{targeted}<")), "acknowledged but files not cached is not up to date");
    heartbeat(&app, &token, m["version"].as_str().unwrap(), &shas(&m)).await;
    let (_, html) = app.get_text(&staff, "/estation/changes").await;
    assert!(html.contains(&format!("data-done>1/{targeted}<")), "{html}");
    // The change's page lists the screen still behind, with its town.
    let change = crate::helpers::ids(&html, "/estation/changes").into_iter().max().unwrap();
    let (_, page) = app.get_text(&staff, &format!("/estation/changes/{change}")).await;
    let town = app.store.get_station(&actor, 2).await.unwrap().town;
    assert!(page.contains(&format!("<td>{town}</td>")) && page.contains("data-behind>1<"), "{page}");
    app.cleanup().await;
}

#[tokio::test]
async fn the_station_roster_exports_and_imports_back_all_or_nothing() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let r = app.get(&staff, "/estation/stations/export.xlsx").await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap().to_vec();
    // The export imports back unchanged.
    let r = upload(&app, &staff, "/estation/stations/import", "科普e站.xlsx", bytes.clone()).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("112"), "every station reported unchanged");
    // A new row and a bad row: nothing written, every bad cell reported.
    let mut rows = kexie_web::xlsx::read_table(&bytes, "a.xlsx", false).unwrap();
    let header = rows[0].clone();
    let mut new_row = rows[1].clone();
    new_row[0] = String::new();
    new_row[1] = "金沙街道导入测试科普e站".into();
    let mut unknown = rows[1].clone();
    unknown[0] = "EZ999999".into();
    let mut bad = rows[2].clone();
    bad[5] = "999".into();
    rows.truncate(1);
    rows.push(new_row.clone());
    rows.push(unknown);
    rows.push(bad);
    let r = upload(&app, &staff, "/estation/stations/import", "坏.xlsx", crate::helpers::xlsx(&rows)).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("没有这个站点编码") && html.contains("坐标超出范围"), "both problems named");
    let (_, list) = app.get_text(&staff, "/estation?q=导入测试").await;
    assert!(!list.contains("金沙街道导入测试科普e站"), "nothing half-written");
    let r =
        upload(&app, &staff, "/estation/stations/import", "新.xlsx", crate::helpers::xlsx(&[header, new_row])).await;
    assert_eq!(r.status(), 200);
    let (_, list) = app.get_text(&staff, "/estation?q=导入测试").await;
    assert!(list.contains("金沙街道导入测试科普e站"));
    app.cleanup().await;
}
