//! Scope in every picker: the town and region filters of the list pages offer what the
//! viewer's scope covers, and nothing else.

use crate::helpers::*;

/// The names a page's `<select name="…">` offers, without its "all" choice.
fn options(page: &str, name: &str) -> Vec<String> {
    let start = page.find(&format!("<select name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} select"));
    let select = &page[start..start + page[start..].find("</select>").expect("closed select")];
    select
        .split("<option value=\"")
        .skip(1)
        .filter(|o| !o.starts_with('"'))
        .filter_map(|o| o.split_once('>').and_then(|(_, rest)| rest.split('<').next()))
        .map(str::to_string)
        .collect()
}

const FILTERS: [(&str, &str); 8] = [
    ("/activities", "town"),
    ("/volunteers", "town"),
    ("/orders", "town"),
    ("/suggestions", "town"),
    ("/estation", "town"),
    ("/outreach/distributions", "town"),
    ("/orgs", "region"),
    ("/people", "region"),
];

#[tokio::test]
async fn a_town_officer_filters_by_their_own_town_only() {
    let app = TestApp::spawn().await;
    let jinsha = app.login("jinsha").await;
    let staff = app.login("staff").await;
    for (path, name) in FILTERS {
        let (status, page) = app.get_text(&jinsha, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(options(&page, name), ["金沙街道"], "{path} offers jinsha other towns");
        // The association filters by every town of the district.
        let (_, page) = app.get_text(&staff, path).await;
        let all = options(&page, name);
        assert!(all.len() >= 20 && all.iter().any(|t| t == "西亭镇"), "{path} as staff: {all:?}");
    }
    app.cleanup().await;
}
