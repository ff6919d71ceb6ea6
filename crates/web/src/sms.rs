//! 短信: how kexie sends a text message, by the configured provider. kexie has no SMS gateway
//! contract of its own, so the one provider, `outbox`, says so honestly: it keeps the message
//! in the outbox (`/sms`, for the system administrator to read and pass on) and writes it to
//! the log. A gateway is one more variant here.

use crate::AppState;
use crate::error::WebError;
use crate::view::Web;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kexie_core::person::mask_phone;
use kexie_store::Store;
use kexie_store::entity::sms_outbox;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// Kept in the outbox and written to the log; nothing leaves the server.
    #[default]
    Outbox,
}

impl Provider {
    pub fn code(self) -> &'static str {
        match self {
            Self::Outbox => "outbox",
        }
    }

    /// Sends `body` to `phone`.
    pub async fn send(self, store: &Store, phone: &str, body: &str) -> Result<(), WebError> {
        match self {
            Self::Outbox => {
                let id = store.record_sms(phone, body, self.code()).await?;
                tracing::info!(id, phone = %mask_phone(phone), body, "text message kept in the outbox (no SMS gateway)");
            }
        }
        Ok(())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "sms.html")]
pub struct OutboxPage {
    pub ctx: crate::view::PageCtx,
    pub rows: Vec<sms_outbox::Model>,
    pub provider: &'static str,
}

/// The outbox, newest first. Phones are shown whole: the administrator passes each code on
/// to its phone, and no one else may open this page.
pub async fn outbox(State(state): State<AppState>, web: Web) -> Result<OutboxPage, WebError> {
    Ok(OutboxPage {
        ctx: web.ctx(),
        rows: state.store.sms_outbox(web.actor()).await?,
        provider: state.config.sms_provider.code(),
    })
}
