//! Settings: built-in defaults, then `kexie.toml`, then `KEXIE_*` environment variables, then
//! command-line flags.

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub listen: String,
    /// Where `/metrics` is served (e.g. `127.0.0.1:9464`); empty: nowhere. Never on `listen`.
    pub metrics_listen: String,
    pub data: PathBuf,
    /// Empty: SQLite at `<data>/kexie.db`.
    pub database_url: String,
    #[serde(flatten)]
    pub web: kexie_web::Config,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            metrics_listen: String::new(),
            data: PathBuf::from("./data"),
            database_url: String::new(),
            web: kexie_web::Config::default(),
        }
    }
}

impl Settings {
    pub fn load(file: &Path, data: Option<PathBuf>, database_url: Option<String>) -> Result<Self> {
        let mut s: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("KEXIE_").ignore(&["password", "demo_password"]))
            .extract()
            .with_context(|| format!("bad configuration in {} or KEXIE_* variables", file.display()))?;
        if let Some(d) = data {
            s.data = d;
        }
        if let Some(u) = database_url {
            s.database_url = u;
        }
        Ok(s)
    }

    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!("sqlite://{}?mode=rwc", self.data.join("kexie.db").display())
        } else {
            self.database_url.clone()
        }
    }

    /// The URL without a password, for logs.
    pub fn database_label(&self) -> String {
        let url = self.database_url();
        match (url.find("://"), url.rfind('@')) {
            (Some(s), Some(at)) if at > s => format!("{}://…@{}", &url[..s], &url[at + 1..]),
            _ => url,
        }
    }

    /// Where screens' media live: `media_dir` if set, else `media` in the data directory.
    pub fn media_dir(&self) -> PathBuf {
        self.web.media_dir.clone().unwrap_or_else(|| self.data.join("media"))
    }
}
