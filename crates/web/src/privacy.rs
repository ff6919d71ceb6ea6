//! 隐私政策 (`/privacy`): what the public forms collect, why, how long it is kept, who sees it
//! and how to ask for a correction or deletion, in the reader's language. Every public page's
//! footer and each form's consent line link here; the retention periods and the notice's
//! version come from `core::privacy`, the same values the forms state and record.

use crate::AppState;
use crate::i18n::Lang;
use crate::view::PageCtx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use kexie_core::privacy::{NOTICE_VERSION, Purpose};

/// One form's line of the notice.
pub struct Collected {
    pub form: &'static str,
    pub months: u32,
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy.html")]
pub struct PrivacyPage {
    pub ctx: PageCtx,
    pub forms: Vec<Collected>,
    pub version: &'static str,
}

impl PrivacyPage {
    /// A key of the notice's text for one form (`privacy.what_join`, …).
    pub fn of(&self, part: &str, form: &str) -> String {
        self.ctx.t(&format!("privacy.{part}_{form}"))
    }
    pub fn kept(&self, months: &u32) -> String {
        self.ctx.lang.t_with("privacy.kept_months", &[("months", &months.to_string())])
    }
}

pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> PrivacyPage {
    let lang = Lang::from_headers(&headers);
    PrivacyPage {
        ctx: PageCtx::public(lang, &state.config, "/privacy"),
        forms: Purpose::ALL.into_iter().map(|p| Collected { form: p.code(), months: p.retention_months() }).collect(),
        version: NOTICE_VERSION,
    }
}
