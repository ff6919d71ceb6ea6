//! What every page shares: the context (language, user, CSRF token, navigation), the pager,
//! the error and login pages, and the security headers.

use crate::assets;
use crate::auth::Session;
use crate::i18n::Lang;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area, permission::can};
use kexie_core::number::{self, Figure, Unit};
use kexie_core::page::Page;

pub struct NavItem {
    pub href: &'static str,
    pub key: &'static str,
    pub icon: &'static str,
    pub active: bool,
}

pub struct NavGroup {
    pub key: &'static str,
    pub items: Vec<NavItem>,
}

pub struct PageCtx {
    pub lang: Lang,
    pub site_name: String,
    pub path: String,
    pub csrf: String,
    pub username: String,
    pub role: String,
    pub nav: Vec<NavGroup>,
    /// The signed-in viewer's role, for `may`.
    viewer: Option<kexie_core::account::Role>,
    /// The ICP 备案 number public pages and the login page show (empty: none).
    pub icp: String,
}

impl PageCtx {
    pub fn anonymous(lang: Lang, site_name: &str, path: &str) -> Self {
        Self {
            lang,
            site_name: site_name.to_string(),
            path: path.to_string(),
            csrf: String::new(),
            username: String::new(),
            role: String::new(),
            nav: Vec::new(),
            viewer: None,
            icp: String::new(),
        }
    }

    /// A public page's (and the login page's): anonymous, with the site's ICP 备案 number.
    pub fn public(lang: Lang, config: &crate::Config, path: &str) -> Self {
        Self { icp: config.icp.trim().to_string(), ..Self::anonymous(lang, &config.site_name, path) }
    }

    /// The purpose-and-retention line a public form shows above its consent box.
    pub fn purpose(&self, form: &str) -> String {
        let months = kexie_core::privacy::Purpose::ALL
            .into_iter()
            .find(|p| p.code() == form)
            .map(|p| p.retention_months().to_string())
            .unwrap_or_default();
        self.lang.t_with(&format!("privacy.purpose_{form}"), &[("months", &months)])
    }

    pub fn new(lang: Lang, site_name: &str, path: &str, session: Option<&Session>) -> Self {
        let mut ctx = Self::anonymous(lang, site_name, path);
        if let Some(s) = session {
            ctx.csrf = s.csrf.clone();
            ctx.username = s.actor.username.clone();
            ctx.role = s.actor.role.code().to_string();
            ctx.nav = nav(&s.actor, path);
            ctx.viewer = Some(s.actor.role);
        }
        ctx
    }

    /// Whether the viewer may open this page: tabs and links to pages ask before they show.
    pub fn may(&self, path: &str) -> bool {
        crate::routes::may(self.viewer, path)
    }
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }
    pub fn label(&self, group: &str, code: &str) -> String {
        self.lang.label(group, code)
    }
    /// The translated error for one field, or an empty string.
    pub fn err(&self, errors: &Invalid, field: &str) -> String {
        errors.for_field(field).map(|e| self.lang.error(e.code, e.arg.as_deref())).unwrap_or_default()
    }
    pub fn error(&self, code: &str) -> String {
        self.lang.error(code, None)
    }
    /// A form field's constraint attributes, checked (see `html::field_attrs`).
    pub fn attrs(&self, attrs: &str) -> crate::html::Markup {
        crate::html::field_attrs(attrs)
    }
    pub fn asset(&self, name: &str) -> String {
        format!("/assets/{name}?v={}", assets::version(name))
    }
    pub fn other_lang(&self) -> &'static str {
        self.lang.other().code()
    }
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
    pub fn lang_switch_href(&self) -> String {
        format!("/lang?to={}&back={}", self.lang.other().code(), urlencoding::encode(&self.path))
    }
    /// A timestamp in China Standard Time, as every user of the platform reads the clock.
    pub fn time(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
        t.with_timezone(&cst).format("%Y-%m-%d %H:%M").to_string()
    }
    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    /// A count or measure with thousands separators (171,649; 1,234.5).
    pub fn num(&self, x: impl Figure) -> String {
        number::decimal(x.as_f64(), 1)
    }
    /// A headline figure for a tile: 17.2万 in Chinese, 172K in English.
    pub fn big(&self, x: impl Figure) -> String {
        number::headline(x.as_i64(), self.lang.numerals())
    }
    /// A count with its unit (`unit` is a `number::Unit` code): `171,649 人次`, `1 hour`.
    pub fn count(&self, x: impl Figure, unit: &str) -> String {
        self.with_unit(&self.num(x), unit)
    }
    /// A headline figure with its unit: `17.2万人次`, `172K person-times`.
    pub fn big_count(&self, x: impl Figure, unit: &str) -> String {
        self.with_unit(&self.big(x), unit)
    }
    /// Minutes as hours with the unit: `12.5 小时`, `1 hour`.
    pub fn hours(&self, minutes: impl Figure) -> String {
        self.with_unit(&number::hours(minutes.as_i64()), "hour")
    }
    /// A count followed by a noun from the locale (`3 次服务`, `3 services`); English takes
    /// `<key>_one` for one where the locale has it (`1 service`).
    pub fn counted(&self, x: impl Figure, key: &str) -> String {
        let n = x.as_f64();
        format!("{} {}", self.num(x), self.t(&self.lang.plural(key, n)))
    }
    /// The unit alone, for a number set apart from it (a tile's figure and its caption).
    pub fn unit(&self, x: impl Figure, unit: &str) -> String {
        debug_assert!(Unit::parse(unit).is_some(), "no unit {unit}");
        Unit::parse(unit).map(|u| u.word(self.lang.numerals(), x.as_f64() == 1.0).to_string()).unwrap_or_default()
    }
    fn with_unit(&self, n: &str, unit: &str) -> String {
        debug_assert!(Unit::parse(unit).is_some(), "no unit {unit}");
        match Unit::parse(unit) {
            Some(u) => number::with_unit(n, u, self.lang.numerals()),
            None => n.to_string(),
        }
    }
}

/// The menu: every page of every group, each shown only if its route lets the viewer in
/// (`routes::may`), so the menu never offers a refusal.
/// A menu entry: its link, its label's key and its icon.
type NavEntry = (&'static str, &'static str, &'static str);

fn nav(actor: &Actor, path: &str) -> Vec<NavGroup> {
    use kexie_core::account::Role;
    let active = |href: &str| {
        if href == "/" || href == "/match" || href == "/outreach" {
            path == href
        } else {
            path == href || path.starts_with(&format!("{href}/"))
        }
    };
    let volunteer = actor.role == Role::Volunteer;
    // Pages every account may open that only some have a use for.
    let wanted = |href: &str| match href {
        "/search" => can(actor.role, Area::Content, Action::View) || can(actor.role, Area::Suggestion, Action::View),
        "/me/volunteer" | "/me/volunteer/shifts" | "/a" => volunteer,
        _ => true,
    };
    let groups: [(&'static str, &[NavEntry]); 7] = [
        ("nav.group_work", &[("/", "nav.home", "home")]),
        (
            "nav.group_organisation",
            &[("/regions", "nav.regions", "map"), ("/orgs", "nav.orgs", "org"), ("/people", "nav.people", "people")],
        ),
        (
            "nav.group_match",
            &[
                ("/match", "nav.match", "chart"),
                ("/match/needs", "nav.needs", "need"),
                ("/match/experts", "nav.experts", "expert"),
                ("/match/events", "nav.events", "event"),
                ("/match/engagements", "nav.engagements", "link"),
            ],
        ),
        (
            "nav.group_outreach",
            &[
                ("/outreach", "nav.outreach", "chart"),
                ("/outreach/content", "ot.tab_content", "need"),
                ("/outreach/publications", "ot.tab_publications", "link"),
                ("/outreach/campaigns", "ot.tab_campaigns", "alert"),
                ("/outreach/review", "ot.tab_review", "event"),
                ("/search", "ot.tab_search", "api"),
                // 建议意见: what citizens say about the outreach, and the answers they get.
                ("/suggestions", "nav.suggestions", "need"),
            ],
        ),
        (
            "nav.group_volunteer",
            &[
                ("/activities", "nav.activities", "event"),
                ("/activities/figures", "act.figures", "chart"),
                ("/volunteers", "nav.volunteers", "people"),
                ("/volunteers/projects", "vol.tab_projects", "link"),
                ("/volunteers/shifts", "vol.tab_shifts", "alert"),
                ("/orders", "nav.orders", "need"),
                ("/volunteers/approvals", "vol.tab_approvals", "key"),
                ("/me/volunteer", "vol.me_title", "user"),
                ("/me/volunteer/shifts", "vol.my_shifts", "event"),
                ("/a", "act.public_list", "event"),
            ],
        ),
        (
            "nav.group_estation",
            &[
                ("/estation", "nav.estation", "screen"),
                ("/estation/plays", "es.tab_plays", "chart"),
                ("/estation/schedules", "es.tab_schedules", "event"),
                ("/estation/interrupts", "es.tab_interrupts", "alert"),
            ],
        ),
        (
            "nav.group_system",
            &[
                ("/accounts", "nav.accounts", "key"),
                ("/sms", "nav.sms", "alert"),
                ("/audit", "nav.audit", "log"),
                ("/me", "nav.me", "user"),
                ("/me/notices", "nav.notices", "alert"),
                ("/api/docs", "nav.api", "api"),
            ],
        ),
    ];
    groups
        .into_iter()
        .map(|(key, items)| NavGroup {
            key,
            items: items
                .iter()
                .filter(|(href, ..)| crate::routes::may(Some(actor.role), href) && wanted(href))
                .map(|&(href, key, icon)| NavItem { href, key, icon, active: active(href) })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect()
}

/// A pager's links keep every other query parameter.
pub struct Pager {
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub window: Vec<Option<u64>>,
    base: String,
}

impl Pager {
    pub fn new<T>(p: &Page<T>, path: &str, query: &[(&str, String)]) -> Self {
        let qs: Vec<String> = query
            .iter()
            .filter(|(k, v)| *k != "page" && !v.is_empty())
            .map(|(k, v)| format!("{k}={}", urlencoding::encode(v)))
            .collect();
        let base = if qs.is_empty() { format!("{path}?") } else { format!("{path}?{}&", qs.join("&")) };
        Self { total: p.total, page: p.page, pages: p.pages(), window: p.window(), base }
    }
    pub fn href(&self, page: impl std::borrow::Borrow<u64>) -> String {
        let page = *page.borrow();
        format!("{}page={page}", self.base)
    }
    /// The same filters as a query string, for the export link.
    pub fn query(&self) -> String {
        self.base.split_once('?').map(|(_, q)| q.trim_end_matches('&').to_string()).unwrap_or_default()
    }
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
    pub fn has_next(&self) -> bool {
        self.page < self.pages
    }
    pub fn prev(&self) -> u64 {
        self.page.saturating_sub(1).max(1)
    }
    pub fn next(&self) -> u64 {
        self.page + 1
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub code: &'static str,
    pub message: String,
    pub fragment: bool,
}

impl ErrorPage {
    pub fn new(lang: Lang, status: StatusCode, code: &'static str, message: String, fragment: bool) -> Self {
        Self { ctx: PageCtx::anonymous(lang, "", ""), status: status.as_u16(), code, message, fragment }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub username: String,
    pub next: String,
    pub notice: Option<String>,
    pub error: Option<String>,
}

/// Headers that every response carries: no framing, no sniffing, a strict content policy
/// (all scripts and styles are our own files), and no caching of pages with personal data.
/// Every response of every listener, pages, API, device API and media alike: a browser never
/// guesses a type other than the one declared (an uploaded file served as a script or page).
pub async fn nosniff(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut().insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().starts_with("/assets/");
    let is_player = req.uri().path().starts_with("/player");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A response with a policy of its own keeps it, and its framing rule: those are stricter
    // still (a sandboxed preview framed by our own pages, a downloaded SVG that runs nothing).
    let own_policy = h.contains_key(header::CONTENT_SECURITY_POLICY);
    if !(own_policy && h.contains_key(header::X_FRAME_OPTIONS)) {
        h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    }
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    // The player shows cached media from blob: URLs and styles itself inline; it still runs
    // only its own scripts.
    let policy = if is_player {
        "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; frame-src 'self' blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; worker-src 'self'; frame-ancestors 'none'; form-action 'self'"
    } else {
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    };
    if !own_policy {
        h.insert("content-security-policy", HeaderValue::from_static(policy));
    }
    if !is_asset && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// A signed-in browser request: the session, its language and where it is. Pages take this.
pub struct Web {
    pub session: Session,
    pub lang: Lang,
    pub path: String,
    pub htmx: bool,
    site_name: String,
}

impl axum::extract::FromRequestParts<crate::AppState> for Web {
    type Rejection = crate::WebError;
    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, crate::WebError> {
        let session = match parts.extensions.get::<crate::auth::Caller>() {
            Some(crate::auth::Caller::Browser(s)) => s.clone(),
            Some(crate::auth::Caller::Anonymous { expired: true }) => {
                return Err(crate::WebError::SessionExpired);
            }
            _ => return Err(crate::WebError::LoginRequired),
        };
        let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
        Ok(Self {
            session,
            lang: Lang::from_headers(&parts.headers),
            path,
            htmx: parts.headers.contains_key("hx-request") && !parts.headers.contains_key("hx-boosted"),
            site_name: state.config.site_name.clone(),
        })
    }
}

impl Web {
    pub fn actor(&self) -> &Actor {
        &self.session.actor
    }
    pub fn ctx(&self) -> PageCtx {
        PageCtx::new(self.lang, &self.site_name, &self.path, Some(&self.session))
    }
    /// Whether this viewer's role may open a page (`routes::may`).
    pub fn may(&self, path: &str) -> bool {
        crate::routes::may(Some(self.session.actor.role), path)
    }
}

/// Redirect after a successful form post (303, so a reload does not post again).
pub fn see_other(to: &str) -> Response {
    use axum::response::IntoResponse;
    axum::response::Redirect::to(&local_target(to)).into_response()
}

/// Where a redirect may send the browser: a path on this site, else `/`. Browsers drop tabs
/// and line breaks inside URLs (`/\t/evil.example` becomes `//evil.example`) and read `\` as
/// `/`, so any control character, white space or backslash refuses the target, as does `//`.
/// Other non-ASCII characters are percent-encoded, so the `Location` header is always valid.
pub fn local_target(to: &str) -> String {
    let on_site = to.starts_with('/')
        && !to.starts_with("//")
        && !to.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if !on_site {
        return "/".into();
    }
    let mut out = String::with_capacity(to.len());
    for c in to.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&urlencoding::encode(c.encode_utf8(&mut [0; 4])));
        }
    }
    out
}

/// A page re-rendered with its form's errors: 422, so tests and clients can tell.
pub fn unprocessable(page: impl axum::response::IntoResponse) -> Response {
    use axum::response::IntoResponse;
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// Renders a block of a page on its own: what an htmx request gets instead of the whole page.
pub fn fragment(t: impl Template) -> Result<Response, crate::WebError> {
    use axum::response::IntoResponse;
    let html = t.render().map_err(|e| crate::WebError::Internal(e.to_string()))?;
    Ok(axum::response::Html(html.trim().to_string()).into_response())
}
