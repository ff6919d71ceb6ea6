//! 我的消息: the notices left for the signed-in account (shift reminders, a place taken
//! over, a shift called off), newest first, and marking them read.

use crate::AppState;
use crate::error::WebError;
use crate::view::{PageCtx, Web, see_other};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use kexie_store::entity::notice;

#[derive(Template, WebTemplate)]
#[template(path = "notices.html")]
pub struct NoticesPage {
    pub ctx: PageCtx,
    pub notices: Vec<notice::Model>,
    pub unread: usize,
}

pub async fn mine(State(state): State<AppState>, web: Web) -> Result<NoticesPage, WebError> {
    let notices = state.store.my_notices(web.actor()).await?;
    let unread = notices.iter().filter(|n| n.read_at.is_none()).count();
    Ok(NoticesPage { ctx: web.ctx(), notices, unread })
}

pub async fn read(State(state): State<AppState>, web: Web) -> Result<Response, WebError> {
    state.store.read_notices(web.actor()).await?;
    Ok(see_other("/me/notices"))
}
