//! Home pages per role: staff and towns find their workbench (待办) above their scope's figures,
//! each count equal to what the list it links to shows; volunteers their shifts, hours and
//! stars; an enterprise its needs and recommended experts; an expert the needs ranked for
//! them; a citizen public activities. No link on any home page answers 403, 404 or 5xx.

use crate::helpers::TestApp;
use reqwest::Client;

/// Every `attr="…"` value in a page.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let key = format!("{attr}=\"");
    html.match_indices(&key)
        .map(|(i, _)| {
            let rest = &html[i + key.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

/// The text of the first element after `marker`.
fn text_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let at = html.find(marker).unwrap_or_else(|| panic!("{marker} in {html}")) + marker.len();
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    &rest[start..start + rest[start..].find('<').unwrap()]
}

/// The workbench: (item, count, link).
fn workbench(html: &str) -> Vec<(String, u64, String)> {
    html.split("data-todo=\"")
        .skip(1)
        .map(|part| {
            let code = &part[..part.find('"').unwrap()];
            let item = &part[..part.find("</li>").unwrap()];
            let href = attr_values(item, "href").first().map(|h| h.to_string()).unwrap_or_default();
            (code.to_string(), text_after(item, "data-count").trim().parse().unwrap(), href)
        })
        .collect()
}

/// How many records the list page shows in all: its pager's total, or the rows of the pages
/// that list everything at once.
fn listed(html: &str) -> u64 {
    if html.contains("pager-total") {
        let at = html.find("pager-total").unwrap();
        return text_after(&html[at..], "<strong").parse().unwrap();
    }
    if html.contains("data-gap-shifts") {
        return text_after(html, "data-gap-shifts").parse().unwrap();
    }
    if html.contains("data-table=\"queue\"") {
        return html.matches("data-content-id=").count() as u64;
    }
    // The approvals page: requests to join, hours to certify, possible duplicates.
    ["data-member=\"", "data-record=\"", "data-duplicate=\""].iter().map(|m| html.matches(m).count() as u64).sum()
}

/// Opens every link of the home page that stays on this site and is a page (not an action).
async fn every_link_opens(app: &TestApp, c: &Client, user: &str, html: &str) {
    let mut seen = std::collections::HashSet::new();
    for href in attr_values(html, "href") {
        let href = href.replace("&amp;", "&");
        let path = href.split('#').next().unwrap().to_string();
        if !path.starts_with('/')
            || path.starts_with("/assets/")
            || path.starts_with("/lang")
            || !seen.insert(path.clone())
        {
            continue;
        }
        let (code, _) = app.get_text(c, &path).await;
        assert!(code == 200, "{user}: {path} answers {code}");
    }
}

async fn home(app: &TestApp, user: &str) -> (Client, String) {
    let c = app.login(user).await;
    let (code, html) = app.get_text(&c, "/").await;
    assert_eq!(code, 200, "{user}");
    // What the page says, outside its tags (attributes may carry templates for scripts).
    let mut text = String::new();
    for part in html.split('<') {
        text.push_str(part.split_once('>').map_or(part, |(_, t)| t));
    }
    for placeholder in ["更多功能将随", "TODO", "home.", "{{", "%{"] {
        assert!(!text.contains(placeholder), "{user}: {placeholder} on the page");
    }
    (c, html)
}

#[tokio::test]
async fn staff_and_towns_find_their_workbench_with_counts_their_lists_agree_with() {
    let app = TestApp::spawn().await;
    for (user, expected) in [
        (
            "staff",
            &[
                "content_review",
                "need_review",
                "suggestion_moderate",
                "suggestion_route",
                "suggestion_overdue",
                "order_dispatch",
                "volunteer_verify",
                "approvals",
                "shift_gaps",
                "engagement_due",
            ][..],
        ),
        (
            "jinsha",
            &[
                "suggestion_answer",
                "suggestion_overdue",
                "order_dispatch",
                "volunteer_verify",
                "approvals",
                "shift_gaps",
            ][..],
        ),
        ("nongxue", &["order_accept", "approvals", "shift_gaps"][..]),
        ("qiye", &["engagement_due"][..]),
    ] {
        let (c, html) = home(&app, user).await;
        let items = workbench(&html);
        let codes: Vec<&str> = items.iter().map(|(code, _, _)| code.as_str()).collect();
        assert_eq!(codes, expected, "{user}");
        for (code, count, href) in &items {
            assert!(!href.is_empty(), "{user}: {code} links to its list");
            let (status, list) = app.get_text(&c, href).await;
            assert_eq!(status, 200, "{user}: {href}");
            assert_eq!(*count, listed(&list), "{user}: {code} counts what {href} lists");
        }
        every_link_opens(&app, &c, user, &html).await;
    }
    // The demo holds work for each of them, and scope tells the counts apart.
    let (_, staff) = home(&app, "staff").await;
    let (_, town) = home(&app, "jinsha").await;
    let count = |html: &str, code: &str| workbench(html).into_iter().find(|(c, _, _)| c == code).unwrap().1;
    assert!(count(&staff, "content_review") > 0 && count(&staff, "order_dispatch") > 0, "{staff}");
    assert!(count(&town, "order_dispatch") <= count(&staff, "order_dispatch"));
    assert!(count(&town, "shift_gaps") < count(&staff, "shift_gaps"));
    // The workbench sits above the figures of the scope, which stay.
    assert!(staff.find("data-workbench").unwrap() < staff.find("data-stat=\"orgs\"").unwrap());
    assert!(town.contains("金沙街道概览") && town.contains("data-chart=\"towns\""));
    app.cleanup().await;
}

#[tokio::test]
async fn a_reviewer_is_not_counted_for_their_own_piece() {
    let app = TestApp::spawn().await;
    let count = |html: &str| workbench(html).into_iter().find(|(c, _, _)| c == "content_review").unwrap().1;
    let (staff, before) = home(&app, "staff").await;
    let (_, kepu_before) = home(&app, "kepu").await;
    // staff writes and submits a piece: it waits for kepu's review, never for staff's own.
    let token = app.csrf(&staff).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .text("title", "水稻秋季病虫害绿色防控要点")
        .text("kind", "article")
        .text("topic", "农业技术")
        .text("audience", "农民")
        .text("source", "original")
        .text("tags", "水稻，绿色防控")
        .text("summary", "")
        .text("body", "<p>稻飞虱发生期优先选用生物农药，减少化学防治次数。</p>");
    let r = staff.post(app.url("/outreach/content")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let id = r.headers()["location"].to_str().unwrap().trim_start_matches("/outreach/content/").to_string();
    let r = app.post(&staff, &format!("/outreach/content/{id}/review"), &[("step", "submit"), ("comment", "")]).await;
    assert_eq!(r.status(), 303);
    let (_, after) = home(&app, "staff").await;
    let (_, kepu_after) = home(&app, "kepu").await;
    assert_eq!(count(&after), count(&before));
    assert_eq!(count(&kepu_after), count(&kepu_before) + 1);
    app.cleanup().await;
}

#[tokio::test]
async fn a_volunteer_sees_their_shifts_hours_stars_and_activities_to_join() {
    let app = TestApp::spawn().await;
    let (c, html) = home(&app, "volunteer").await;
    assert!(workbench(&html).is_empty());
    assert!(html.contains("data-volunteer-home") && !html.contains("data-chart"));
    // Hours and stars agree with 我的志愿服务.
    let (_, me) = app.get_text(&c, "/me/volunteer").await;
    assert_eq!(text_after(&html, "data-stat=\"total-hours\""), text_after(&me, "data-total-hours"));
    let stars = attr_values(&me, "data-stars")[0];
    assert_eq!(attr_values(&html, "data-stars")[0], stars);
    // This year's hours are among the total.
    let year: f64 = text_after(&html, "data-stat=\"year-hours\"").parse().unwrap();
    let total: f64 = text_after(&html, "data-stat=\"total-hours\"").parse().unwrap();
    assert!(year <= total);
    // The places listed are the volunteer's own places of 我的班次; open shifts are counted.
    let (_, shifts) = app.get_text(&c, "/me/volunteer/shifts").await;
    let mine = attr_values(&shifts, "data-my-place").len();
    assert_eq!(attr_values(&html, "data-shift").len(), mine.min(5));
    let open: usize = text_after(&html, "data-stat=\"open-shifts\"").parse().unwrap();
    assert!(open <= attr_values(&shifts, "data-open-shift").len());
    // Public activities to join.
    assert!(!attr_values(&html, "data-activity").is_empty(), "{html}");
    every_link_opens(&app, &c, "volunteer", &html).await;
    app.cleanup().await;
}

#[tokio::test]
async fn an_enterprise_sees_its_needs_by_state_and_experts_recommended() {
    let app = TestApp::spawn().await;
    let (c, html) = home(&app, "qiye").await;
    let states = attr_values(&html, "data-need-status");
    assert_eq!(states, ["draft", "submitted", "approved", "rejected", "closed"]);
    for s in states {
        let marker = format!("data-need-status=\"{s}\"");
        let count: u64 = text_after(&html[html.find(&marker).unwrap()..], "data-count").parse().unwrap();
        let (_, list) = app.get_text(&c, &format!("/match/needs?status={s}")).await;
        assert_eq!(count, listed(&list), "{s}");
    }
    // The experts recommended are the top of the ranking the need's page shows.
    let experts = attr_values(&html, "data-expert");
    assert!(!experts.is_empty(), "{html}");
    let need = html[html.find("data-recommended").unwrap()..]
        .split("href=\"/match/needs/")
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .unwrap();
    let (_, page) = app.get_text(&c, &format!("/match/needs/{need}")).await;
    let first = page.find(&format!("/match/experts/{}\"", experts[0])).expect("the top expert on the need's page");
    for e in &experts[1..] {
        assert!(page.find(&format!("/match/experts/{e}\"")).unwrap() > first);
    }
    every_link_opens(&app, &c, "qiye", &html).await;
    app.cleanup().await;
}

#[tokio::test]
async fn an_expert_sees_the_needs_ranked_for_them_and_a_citizen_public_activities() {
    let app = TestApp::spawn().await;
    let (c, html) = home(&app, "expert").await;
    let needs = attr_values(&html, "data-need");
    assert!(!needs.is_empty(), "{html}");
    let profile =
        attr_values(&html, "href").into_iter().find(|h| h.starts_with("/match/experts/")).unwrap().to_string();
    let (_, page) = app.get_text(&c, &profile).await;
    let ranked = &page[page.find("data-table=\"ranked-needs\"").unwrap()..];
    let order: Vec<usize> = needs.iter().map(|n| ranked.find(&format!("/match/needs/{n}\"")).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "the same order as the profile's ranking");
    every_link_opens(&app, &c, "expert", &html).await;

    let (c, html) = home(&app, "citizen").await;
    assert!(workbench(&html).is_empty() && html.contains("您好"));
    assert!(!attr_values(&html, "data-activity").is_empty());
    assert!(html.contains("href=\"/suggest\"") && html.contains("href=\"/join\""));
    every_link_opens(&app, &c, "citizen", &html).await;
    app.cleanup().await;
}
