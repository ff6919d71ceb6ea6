//! No link to a refusal: every demo account signs in, starts at its home page and follows every
//! same-origin GET link (`<a href>`, htmx `hx-get`) breadth-first; none may answer 403, 404 or
//! 5xx. Pages of one shape (numeric segments as a pattern, the same query keys) are visited a
//! few times each, enough to meet every template's links without walking the whole district.

use crate::helpers::*;
use kexie_core::account::Role;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;

const ACCOUNTS: [&str; 10] =
    ["admin", "staff", "kepu", "jinsha", "xiting", "nongxue", "qiye", "expert", "volunteer", "citizen"];

/// Visits of one shape of URL: two records of a kind (one may have a parent, a team, an
/// expert the other lacks), one of a list's filter combination and of a download.
fn visits(url: &str) -> usize {
    if url.contains('?') || is_download(url) { 1 } else { 2 }
}

fn is_download(url: &str) -> bool {
    let path = url.split('?').next().unwrap_or(url);
    [".xlsx", ".docx", ".svg"].iter().any(|x| path.ends_with(x))
}

#[tokio::test]
async fn no_account_meets_a_link_it_may_not_open() {
    let app = TestApp::spawn().await;
    let started = std::time::Instant::now();
    // The accounts crawl side by side: the server answers them all at once.
    let downloads = Mutex::new(HashSet::new());
    let crawls = futures::future::join_all(ACCOUNTS.map(|user| crawl(&app, user, &downloads))).await;
    let visited: usize = crawls.iter().map(|(n, _)| n).sum();
    let failures: Vec<String> = ACCOUNTS
        .iter()
        .zip(crawls)
        .flat_map(|(user, (_, bad))| bad.into_iter().map(move |b| format!("{user}: {b}")))
        .collect();
    assert!(failures.is_empty(), "links answering a refusal:\n{}", failures.join("\n"));
    println!("crawled {visited} URLs for {} accounts in {:?}", ACCOUNTS.len(), started.elapsed());
    app.cleanup().await;
}

/// The URLs visited and the links that failed, each with the page it was found on. A download
/// answers by role (its rows follow the scope, its status does not), so one account of each
/// role fetches it: `downloads` holds the (role, path) pairs fetched.
async fn crawl(app: &TestApp, user: &str, downloads: &Mutex<HashSet<(Role, String)>>) -> (usize, Vec<String>) {
    let role = app.actor(user).await.role;
    let c = app.login(user).await;
    let mut queue = VecDeque::from([("/".to_string(), "(start)".to_string(), false)]);
    let mut seen = HashSet::new();
    let mut shapes: HashMap<String, usize> = HashMap::new();
    let mut failures = Vec::new();
    let mut visited = 0;
    while let Some((url, from, htmx)) = queue.pop_front() {
        if !seen.insert((url.clone(), htmx)) {
            continue;
        }
        let count = shapes.entry(shape(&url)).or_default();
        if *count >= visits(&url) {
            continue;
        }
        if is_download(&url) && !downloads.lock().unwrap().insert((role, shape(&url))) {
            continue;
        }
        *count += 1;
        visited += 1;
        let mut req = c.get(app.url(&url));
        if htmx {
            req = req.header("HX-Request", "true");
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        if status == 403 || status == 404 || status >= 500 {
            failures.push(format!("{status} {url} (linked from {from})"));
            continue;
        }
        if res.status().is_redirection() {
            if let Some(to) = res.headers().get("location").and_then(|l| l.to_str().ok()).and_then(local) {
                queue.push_back((to, url.clone(), false));
            }
            continue;
        }
        let html =
            res.headers().get("content-type").and_then(|t| t.to_str().ok()).unwrap_or("").starts_with("text/html");
        if !html {
            continue;
        }
        let body = res.text().await.unwrap();
        for (link, hx) in links(&body) {
            if let Some(to) = local(&link) {
                queue.push_back((to, url.clone(), hx));
            }
        }
    }
    (visited, failures)
}

/// Every `<a href>` and `hx-get` of a page, attribute entities decoded; `true` for htmx.
fn links(body: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for (attr, hx) in [(" href=\"", false), (" hx-get=\"", true)] {
        for (i, _) in body.match_indices(attr) {
            // Only anchors' hrefs: stylesheets and icons are not links a person follows.
            if !hx && body[..i].rsplit('<').next().and_then(|tag| tag.split_whitespace().next()) != Some("a") {
                continue;
            }
            let rest = &body[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push((decode(&rest[..end]), hx));
            }
        }
    }
    out
}

fn decode(s: &str) -> String {
    s.replace("&amp;", "&").replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&#x2F;", "/")
}

/// A same-origin path to follow, without its fragment; None for other sites, the sign-out and
/// language switch, and anchors within the page.
fn local(link: &str) -> Option<String> {
    let link = link.split('#').next().unwrap_or("");
    if !link.starts_with('/') || link.starts_with("//") {
        return None;
    }
    let path = link.split('?').next().unwrap_or("");
    if path == "/logout" || path == "/lang" {
        return None;
    }
    Some(link.to_string())
}

/// The URL's shape: numeric (and long token-like) path segments as `{n}`, query keys sorted.
/// A download is one shape whatever its filters: it answers the same way for each.
fn shape(url: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let query = if is_download(url) { "" } else { query };
    let segments: Vec<&str> = path
        .split('/')
        .map(|s| if !s.is_empty() && (s.bytes().all(|b| b.is_ascii_digit()) || s.len() >= 32) { "{n}" } else { s })
        .collect();
    let mut keys: Vec<&str> =
        query.split('&').filter(|p| !p.is_empty()).map(|p| p.split('=').next().unwrap_or(p)).collect();
    keys.sort();
    keys.dedup();
    format!("{}?{}", segments.join("/"), keys.join("&"))
}
