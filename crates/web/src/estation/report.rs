//! Proof-of-play reports: by station, content, town or day over a date range, scheduled
//! against played with short stations flagged, reach with its method; and the Excel export.

use crate::AppState;
use crate::error::WebError;
use crate::form::Query;
use crate::html::ScriptJson;
use crate::view::{PageCtx, Web};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, NaiveDate, Utc};
use kexie_core::estation::proof::{self, SHORTFALL};
use kexie_store::estation::play::{By, Report};

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub by: Option<By>,
}

/// Longest range one report covers.
const MAX_DAYS: i64 = 93;

impl ReportQuery {
    fn range(&self) -> Result<(NaiveDate, NaiveDate, By), WebError> {
        let yesterday = proof::day_of(Utc::now()) - Duration::days(1);
        let parse = |v: &str, d: NaiveDate| match v.trim() {
            "" => Ok(d),
            v => NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| WebError::BadRequest("malformed_query")),
        };
        // Yesterday by default: the day whose plays have all come in.
        let to = parse(&self.to, yesterday)?;
        let from = parse(&self.from, to)?;
        if from > to || (to - from).num_days() >= MAX_DAYS {
            return Err(WebError::BadRequest("report_range"));
        }
        Ok((from, to, self.by.unwrap_or_default()))
    }
}

/// For the template, which compares without importing.
pub const BY_STATION: By = By::Station;

#[derive(Template, WebTemplate)]
#[template(path = "estation/plays.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: By,
    pub bys: [By; 4],
    pub report: Report,
    pub shortfall: u32,
    pub chart: ScriptJson,
}

pub async fn show(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<ReportQuery>,
) -> Result<ReportPage, WebError> {
    let (from, to, by) = q.range()?;
    let report = state.store.play_report(web.actor(), from, to, by).await?;
    // Played hours of the first twenty rows; a station's bar opens the station.
    let played: Vec<serde_json::Value> = report
        .rows
        .iter()
        .take(20)
        .map(|r| {
            let href = (by == By::Station).then(|| format!("/estation/stations/{}", r.key));
            serde_json::json!({ "name": r.label, "value": (r.played_s / 360.0).round() / 10.0, "href": href })
        })
        .collect();
    let chart = ScriptJson::new(&serde_json::json!({ "played": played }));
    Ok(ReportPage { ctx: web.ctx(), from, to, by, bys: By::ALL, report, shortfall: (SHORTFALL * 100.0) as u32, chart })
}

pub const EXPORT_COLUMNS: [&str; 9] =
    ["维度", "名称", "播放次数", "实际播放（小时）", "计划播放（小时）", "完成率", "是否不足", "惠及人次", "人次口径"];

pub async fn export(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let (from, to, by) = q.range()?;
    let report = state.store.play_report(web.actor(), from, to, by).await?;
    let dim = web.lang.label("play_by", by.code());
    let method = |m: &str| web.lang.label("reach_method", m);
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .chain(std::iter::once(&report.total))
        .map(|r| {
            vec![
                dim.clone(),
                r.label.clone(),
                r.plays.to_string(),
                format!("{:.1}", r.played_s / 3600.0),
                format!("{:.1}", r.scheduled_s / 3600.0),
                r.share().map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_default(),
                if r.short { "是" } else { "否" }.to_string(),
                r.reach.to_string(),
                method(r.method),
            ]
        })
        .collect();
    let bytes = xlsx::write_rows("播放证明", &EXPORT_COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("播放证明-{from}-{to}.xlsx")))
}
