//! 科普宣传 in the web layer: the content library and its review, publications on the nine
//! channels with their channel-ready versions, reach and its imports, campaigns with the
//! emergency coverage board, resources handed out, the dashboard, and search.

pub mod campaign;
pub mod channel;
pub mod content;
pub mod dashboard;
pub mod distribution;
pub mod publication;
pub mod search;
pub mod stats;

use crate::AppState;
use crate::error::WebError;
use kexie_core::account::{Action, Area};
use kexie_core::scope::Scope;
use kexie_store::estation::content::NewMedia;

/// Whether the caller writes content (the association's staff).
pub fn edits(web: &crate::view::Web) -> bool {
    let a = web.actor();
    a.can(Area::Content, Action::Edit) && matches!(a.scope, Scope::All)
}

/// What screens will play for a piece that has no library item yet: its image or video, or
/// for an article a slide made from its text. `None` for files screens cannot play.
pub async fn screen_media(
    state: &AppState,
    c: &kexie_store::entity::content::Model,
) -> Result<Option<NewMedia>, WebError> {
    let playable = c.file_type.as_deref().filter(|t| t.starts_with("image/") || t.starts_with("video/"));
    if let (Some(sha), Some(t)) = (&c.file_sha, playable) {
        return Ok(Some(NewMedia {
            sha256: sha.clone(),
            title: c.title.clone(),
            media_type: t.to_string(),
            size: c.file_size.unwrap_or(0),
            duration_s: if t.starts_with("video/") { 60 } else { 15 },
            file_name: c.file_name.clone().unwrap_or_default(),
        }));
    }
    if c.kind != "article" {
        return Ok(None);
    }
    let html =
        kexie_core::outreach::render::screen_slide(&c.title, c.summary.as_deref().unwrap_or(""), &c.body, &c.topic);
    let (sha, size) = crate::form::store_file(state, html.into_bytes()).await?;
    Ok(Some(NewMedia {
        sha256: sha,
        title: c.title.clone(),
        media_type: "text/html".into(),
        size,
        duration_s: 20,
        file_name: format!("{}.html", c.id),
    }))
}
