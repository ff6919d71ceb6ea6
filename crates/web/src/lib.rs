//! kexie's HTTP layer: HTML pages (askama + htmx), the JSON API with its OpenAPI document,
//! sessions, CSRF, rate limits, i18n and embedded assets, on one axum router.

rust_i18n::i18n!("locales", fallback = "zh-CN");

pub mod account;
mod activity;
pub mod api;
mod assets;
mod audit;
pub mod auth;
mod error;
mod estation;
mod form;
mod home;
mod html;
pub mod i18n;
mod matchmaking;
mod metrics;
mod notice;
mod org;
mod outreach;
mod person;
mod privacy;
mod public;
mod region;
mod roster;
pub mod routes;
mod sms;
mod suggestion;
mod view;
mod volunteer;
pub mod xlsx;

pub use error::WebError;

use kexie_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;

/// Settings the server reads from `kexie.toml` and `KEXIE_*` (see the CLI).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct Config {
    /// Minutes of inactivity after which a session ends.
    pub session_idle_minutes: i64,
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Login attempts one address may make at once, and per minute after that.
    pub login_burst: u32,
    pub login_per_minute: u32,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    /// The district's name in the page header.
    pub site_name: String,
    /// The association's full registered name, as it issues documents (the certificate of
    /// service): `KEXIE_ASSOCIATION_NAME`.
    pub association_name: String,
    /// Where screens' media files live, by sha256 (default: `media` in the data directory).
    pub media_dir: Option<std::path::PathBuf>,
    /// Screen enrolments one address may attempt at once, and per minute after that.
    pub enroll_burst: u32,
    pub enroll_per_minute: u32,
    /// Suggestions (and, separately counted, service orders) one address may send at once from
    /// the public pages, and per minute after.
    pub suggest_burst: u32,
    pub suggest_per_minute: u32,
    /// Public activity and volunteer forms: sign-ups and registrations one address may send
    /// at once and per minute after; at an activity's door, tries per phone number.
    pub door_burst: u32,
    pub door_per_minute: u32,
    /// Signs the public form's challenges. Set the same value on every node; when empty, each
    /// start makes its own (a form left open across a restart then asks again).
    pub form_secret: String,
    /// The address citizens reach this site at (`https://kx.example.cn`), for the QR code on
    /// screens; when empty, taken from the request.
    pub public_url: String,
    /// The site's ICP 备案 number (`苏ICP备12345678号-1`), shown on the public pages and the
    /// login page, linked to the MIIT register; when empty, not shown.
    pub icp: String,
    /// Where text messages (the codes that give a ticket back) go.
    pub sms_provider: sms::Provider,
}

impl Config {
    pub fn media_dir(&self) -> std::path::PathBuf {
        self.media_dir.clone().unwrap_or_else(|| std::path::PathBuf::from("data/media"))
    }
    /// Where uploads are streamed to as they arrive: beside the media directory, so a stored
    /// file moves there by a rename, and outside it, so a backup never takes a half-received one.
    pub fn upload_dir(&self) -> std::path::PathBuf {
        self.media_dir().parent().map(|p| p.join("uploads")).unwrap_or_else(std::env::temp_dir)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            secure_cookies: false,
            login_burst: 10,
            login_per_minute: 10,
            trust_proxy: false,
            site_name: "通州区科协".to_string(),
            association_name: "南通市通州区科学技术协会".to_string(),
            media_dir: None,
            enroll_burst: 30,
            enroll_per_minute: 30,
            suggest_burst: 5,
            suggest_per_minute: 1,
            door_burst: 20,
            door_per_minute: 20,
            form_secret: String::new(),
            public_url: String::new(),
            icp: String::new(),
            sms_provider: sms::Provider::default(),
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    limiter: Arc<auth::limit::Limiter>,
    /// Failed sign-ins by username and source.
    login_guard: Arc<auth::limit::LoginGuard>,
    enrol_limiter: Arc<auth::limit::Limiter>,
    door_limiter: Arc<auth::limit::Limiter>,
    /// The public service-order form: orders one address may place, as many as suggestions.
    order_limiter: Arc<auth::limit::Limiter>,
    metrics: Arc<metrics::Metrics>,
    /// The public suggestion form's rate limit.
    suggest_limiter: Arc<auth::limit::Limiter>,
    /// The challenges of the public forms that write (suggestions, registration, orders).
    challenges: Arc<public::Challenges>,
    /// The search index over content and suggestions, following the search change log.
    search: Arc<outreach::search::SearchIndex>,
    /// One-time codes that give a registration's ticket back, with their rate limits.
    recovery: Arc<activity::recovery::Codes>,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> Self {
        let limiter = auth::limit::Limiter::new(config.login_burst, config.login_per_minute);
        let enrol_limiter = auth::limit::Limiter::new(config.enroll_burst, config.enroll_per_minute);
        let suggest_limiter = auth::limit::Limiter::new(config.suggest_burst, config.suggest_per_minute);
        let door_limiter = auth::limit::Limiter::new(config.door_burst, config.door_per_minute);
        let order_limiter = auth::limit::Limiter::new(config.suggest_burst, config.suggest_per_minute);
        Self {
            door_limiter: Arc::new(door_limiter),
            order_limiter: Arc::new(order_limiter),
            suggest_limiter: Arc::new(suggest_limiter),
            challenges: Arc::new(public::Challenges::new(&config)),
            search: Arc::default(),
            recovery: Arc::default(),
            store,
            enrol_limiter: Arc::new(enrol_limiter),
            config: Arc::new(config),
            limiter: Arc::new(limiter),
            login_guard: Arc::default(),
            metrics: Arc::new(metrics::Metrics::default()),
        }
    }
}

/// The whole application as one router.
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}

/// Serves until ctrl-c or SIGTERM, then finishes requests in flight; `/metrics` only on
/// `metrics`, when given.
pub async fn serve(
    state: AppState,
    listener: tokio::net::TcpListener,
    metrics: Option<tokio::net::TcpListener>,
) -> std::io::Result<()> {
    form::sweep_uploads(&state.config.upload_dir(), std::time::Duration::from_secs(3600));
    estation::follow_changes(state.store.clone());
    volunteer::shift::send_reminders(state.store.clone());
    if let Some(m) = metrics {
        let router = metrics::router(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(m, router).with_graceful_shutdown(shutdown()).await {
                tracing::error!(error = %e, "metrics listener stopped");
            }
        });
    }
    let app = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
