//! `TestApp`: a running kexie on its own database, and clients that sign in as demo accounts.

use kexie_core::account::Actor;
use kexie_store::Store;
use reqwest::redirect::Policy;
use reqwest::{Client, Response};
use std::sync::atomic::{AtomicU32, Ordering};

pub const PASSWORD: &str = "Test-pass-2026";

pub struct TestApp {
    pub addr: String,
    /// The metrics listener's address, when the builder asked for one.
    pub metrics_addr: Option<String>,
    pub store: Store,
    db: TestDb,
    /// Screens' media files for this app.
    _media: tempfile::TempDir,
}

enum TestDb {
    /// The directory lives as long as the app; dropping it removes the database.
    Sqlite {
        _dir: tempfile::TempDir,
    },
    Server {
        admin_url: String,
        name: String,
    },
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database: a file in a temp dir, or a new database on the server that
/// TEST_DATABASE_URL points to.
async fn fresh_database() -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty() && !u.starts_with("sqlite")) {
        None => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("kexie.db").display());
            (url, TestDb::Sqlite { _dir: dir })
        }
        Some(admin_url) => {
            let name = format!("kexie_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
            let admin = sea_orm::Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
            use sea_orm::ConnectionTrait;
            let create = if admin_url.starts_with("mysql") {
                format!("CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            } else {
                format!("CREATE DATABASE {name}")
            };
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.expect("drop");
            admin.execute_unprepared(&create).await.expect("create database");
            admin.close().await.ok();
            let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
            (format!("{base}/{name}"), TestDb::Server { admin_url, name })
        }
    }
}

pub struct Builder {
    demo: bool,
    history: bool,
    metrics: bool,
    config: kexie_web::Config,
}

impl TestApp {
    /// The demo district (scale 1), every demo account with password `PASSWORD`.
    pub fn builder() -> Builder {
        Builder {
            demo: true,
            history: false,
            metrics: false,
            config: kexie_web::Config {
                login_burst: 1000,
                login_per_minute: 1000,
                suggest_burst: 1000,
                suggest_per_minute: 1000,
                ..Default::default()
            },
        }
    }

    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(Policy::none()).build().expect("client")
    }

    /// Signs in through the login form; panics unless it succeeds.
    pub async fn login(&self, username: &str) -> Client {
        let c = self.client();
        let res = self.try_login(&c, username, PASSWORD).await;
        assert_eq!(res.status(), 303, "login as {username} failed");
        c
    }

    pub async fn try_login(&self, c: &Client, username: &str, password: &str) -> Response {
        let page = c.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        let token = hidden(&page, "_csrf").expect("login csrf");
        c.post(self.url("/login"))
            .form(&[("username", username), ("password", password), ("next", "/"), ("_csrf", &token)])
            .send()
            .await
            .unwrap()
    }

    /// The CSRF token of the signed-in session, read from any page.
    pub async fn csrf(&self, c: &Client) -> String {
        let page = c.get(self.url("/me")).send().await.unwrap().text().await.unwrap();
        hidden(&page, "_csrf").expect("session csrf")
    }

    pub async fn get(&self, c: &Client, path: &str) -> Response {
        c.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, c: &Client, path: &str) -> (u16, String) {
        let r = self.get(c, path).await;
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Posts a form with the session's CSRF token added.
    pub async fn post(&self, c: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf(c).await;
        let mut f: Vec<(&str, &str)> = fields.to_vec();
        f.push(("_csrf", &token));
        c.post(self.url(path)).form(&f).send().await.unwrap()
    }

    pub async fn token_for(&self, username: &str) -> String {
        let a = self.store.account_by_username(username).await.unwrap().unwrap();
        let (token, prefix) = kexie_web::auth::new_token();
        self.store
            .create_token(&Actor::system("test"), a.id, "test", &kexie_web::auth::sha256_hex(&token), &prefix)
            .await
            .unwrap();
        token
    }

    pub async fn actor(&self, username: &str) -> Actor {
        let a = self.store.account_by_username(username).await.unwrap().unwrap();
        self.store.actor(&a).await.unwrap()
    }

    /// Drops the per-test server database.
    pub async fn cleanup(self) {
        let TestApp { store, db, .. } = self;
        store.db.close().await.ok();
        if let TestDb::Server { admin_url, name } = db {
            use sea_orm::ConnectionTrait;
            if let Ok(admin) = sea_orm::Database::connect(&admin_url).await {
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}")).await.ok();
            }
        }
    }
}

impl Builder {
    pub fn empty(mut self) -> Self {
        self.demo = false;
        self
    }
    /// The demo with its year of proof of play, as `kexie demo` loads it.
    pub fn history(mut self) -> Self {
        self.history = true;
        self
    }
    /// Serve `/metrics` on a second listener of its own.
    pub fn metrics(mut self) -> Self {
        self.metrics = true;
        self
    }
    pub fn config(mut self, f: impl FnOnce(&mut kexie_web::Config)) -> Self {
        f(&mut self.config);
        self
    }
    pub async fn spawn(self) -> TestApp {
        let (url, db) = fresh_database().await;
        let store = Store::connect(&url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let media = tempfile::tempdir().expect("media dir");
        if self.demo {
            let d = kexie_core::demo::generate(1, 2026);
            let hash = kexie_web::auth::password::hash(PASSWORD).await.unwrap();
            // The slides' files too, as `serve --demo` writes them, so that links to them open.
            store.load_demo_with(&d, &hash, Some(media.path()), self.history, &mut |_, _, _| {}).await.expect("demo");
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let mut config = self.config.clone();
        config.media_dir = Some(media.path().to_path_buf());
        let state = kexie_web::AppState::new(store.clone(), config);
        let metrics = match self.metrics {
            true => Some(tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap()),
            false => None,
        };
        let metrics_addr = metrics.as_ref().map(|l| l.local_addr().unwrap().to_string());
        tokio::spawn(kexie_web::serve(state, listener, metrics));
        TestApp { addr, metrics_addr, store, db, _media: media }
    }
}

/// The value of a hidden input (or the CSRF header attribute) in a page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// Ids from links like `/orgs/123"` in a page, in order.
pub fn ids(html: &str, prefix: &str) -> Vec<i64> {
    html.match_indices(&format!("href=\"{prefix}/"))
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let end = rest.find('"')?;
            rest[..end].parse().ok()
        })
        .collect()
}

/// An .xlsx workbook from rows, as a person would make in Excel.
pub fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let header: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    kexie_web::xlsx::write_rows("Sheet1", &header, &rows[1..]).unwrap()
}

pub async fn upload(app: &TestApp, c: &Client, path: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    let token = app.csrf(c).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", token)
        .part("file", reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()));
    c.post(app.url(path)).multipart(form).send().await.unwrap()
}

/// A valid ID number from its first 17 digits.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", kexie_core::person::id_check_char(first17))
}

/// Posts the public volunteer sign-up form (`/join`) with its CSRF token and, unless `fields`
/// say otherwise, the privacy notice's consent ticked.
pub async fn join(app: &TestApp, c: &Client, fields: &[(&str, &str)]) -> Response {
    let (status, page) = app.get_text(c, "/join").await;
    assert_eq!(status, 200);
    let token = hidden(&page, "_csrf").expect("join token");
    let mut f: Vec<(&str, &str)> = vec![("_csrf", token.as_str())];
    if !fields.iter().any(|(k, _)| *k == "consent") {
        f.push(("consent", "yes"));
    }
    f.extend_from_slice(fields);
    c.post(app.url("/join")).form(&f).send().await.unwrap()
}

/// A verified volunteer of a town who can serve at `availability`, signed in on their phone:
/// their client and volunteer id.
pub async fn verified_volunteer(
    app: &TestApp,
    phone: &str,
    id17: &str,
    town: i64,
    availability: &str,
) -> (Client, i64) {
    let c = app.client();
    let town = town.to_string();
    let id = id_number(id17);
    let fields = [
        ("name", "陆建华"),
        ("gender", "male"),
        ("phone", phone),
        ("id_number", id.as_str()),
        ("region_id", town.as_str()),
        ("skills", "科普讲解"),
        ("availability", availability),
        ("password", PASSWORD),
    ];
    assert_eq!(join(app, &c, &fields).await.status(), 303, "sign-up of {phone}");
    let sys = Actor::system("t");
    let v = app.store.find_volunteer_by_phone(&sys, phone).await.unwrap();
    app.store.set_volunteer_status(&sys, v, kexie_core::volunteer::Status::Verified).await.unwrap();
    assert_eq!(app.try_login(&c, phone, PASSWORD).await.status(), 303);
    (c, v)
}

/// What a phone sends back of a public form's page: its token, its challenge and the sum's
/// answer, read from the question as a person would, and the privacy notice's consent ticked.
pub fn public_form(page: &str) -> Vec<(&'static str, String)> {
    let question = page.split("data-question>").nth(1).and_then(|r| r.split('<').next()).expect("a question");
    let words: Vec<&str> = question.split_whitespace().collect();
    let (a, b): (i64, i64) = (words[0].parse().unwrap(), words[2].parse().unwrap());
    let answer = if words[1] == "加" { a + b } else { a - b };
    vec![
        ("_csrf", hidden(page, "_csrf").expect("form token")),
        ("challenge", hidden(page, "challenge").expect("challenge")),
        ("answer", answer.to_string()),
        ("consent", "yes".to_string()),
    ]
}
