//! E-stations in the API: start an emergency broadcast (应急插播) and read how far it has
//! reached; the same store calls as the pages.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::WebError;
use crate::form::{Id, Json};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::estation::schedule::{InterruptInput, MAX_INTERRUPT_HOURS, parse_target};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct InterruptIn {
    /// The media item to play (its content id).
    pub content_id: String,
    /// "all", "towns:ID", "groups:ID" or "stations" with `station_ids`.
    pub target: String,
    #[serde(default)]
    pub station_ids: Vec<i64>,
    /// Minutes from now until the interrupt ends (1 to 4,320).
    pub minutes: i64,
    /// The campaign it belongs to, if any.
    #[serde(default)]
    pub campaign_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedOut {
    pub interrupt_id: String,
    pub published_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct InterruptOut {
    pub interrupt_id: String,
    pub published_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// Screens the interrupt targets (enrolled, not revoked).
    pub screens: usize,
    /// Of those, screens that have acknowledged a manifest carrying it.
    pub switched: usize,
}

/// Starts an emergency broadcast now: every connected screen it targets is told at once.
#[utoipa::path(post, path = "/api/v1/estation/interrupts", tag = "estation", request_body = InterruptIn, responses((status = 201, body = PublishedOut)))]
pub async fn create_interrupt(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Json(body): Json<InterruptIn>,
) -> Result<Response, WebError> {
    let mut e = Invalid::default();
    let media_id = body.content_id.trim().parse::<i64>().unwrap_or_else(|_| {
        e.push("content_id", "unknown_media");
        0
    });
    let ids = body.station_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let target = parse_target(&body.target, &ids).unwrap_or_else(|| {
        e.push("target", "target_invalid");
        kexie_core::estation::manifest::Target::All
    });
    if !(1..=MAX_INTERRUPT_HOURS * 60).contains(&body.minutes) {
        e.push("minutes", "until_too_far");
    }
    e.into_result(()).map_err(WebError::Invalid)?;
    let input = InterruptInput {
        media_id,
        target,
        until: kexie_store::now() + Duration::minutes(body.minutes),
        campaign: body.campaign_id.filter(|c| !c.trim().is_empty()).map(|c| c.chars().take(64).collect()),
    };
    let row = state.store.start_interrupt(&actor, &input).await?;
    // Screens are told at commit; counting them here would only compete with that. The
    // broadcast's own URL counts them.
    let out = PublishedOut { interrupt_id: row.id.to_string(), published_at: row.started_at, until: row.until };
    Ok((StatusCode::CREATED, axum::Json(out)).into_response())
}

/// An emergency broadcast's reach so far.
#[utoipa::path(get, path = "/api/v1/estation/interrupts/{id}", tag = "estation", params(("id" = i64, Path)), responses((status = 200, body = InterruptOut)))]
pub async fn get_interrupt(
    State(state): State<AppState>,
    CurrentUser(actor): CurrentUser,
    Id(id): Id,
) -> Result<axum::Json<InterruptOut>, WebError> {
    let (row, receipt) = state.store.interrupt_status(&actor, id).await?;
    Ok(axum::Json(InterruptOut {
        interrupt_id: row.interrupt.id.to_string(),
        published_at: row.interrupt.started_at,
        until: row.interrupt.cancelled_at.unwrap_or(row.interrupt.until),
        screens: receipt.targeted,
        switched: receipt.done,
    }))
}
