//! Proof-of-play reports: by station, content, town or day over a date range, scheduled
//! against played with short stations flagged, reach with its method; and the Excel export.

use crate::AppState;
use crate::error::WebError;
use crate::form::Query;
use crate::html::ScriptJson;
use crate::i18n::Lang;
use crate::view::{PageCtx, Web, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, NaiveDate, Utc};
use kexie_core::Invalid;
use kexie_core::estation::proof::{self, ReachMethod, SHORTFALL};
use kexie_store::estation::play::{By, Report, ReportRow};

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub by: Option<By>,
}

/// Longest range one report covers: a leap year, since the year is what people report in.
/// The daily rollup keeps a year to a row per station, day and content.
pub const MAX_DAYS: i64 = 366;

impl ReportQuery {
    /// The range asked for, yesterday by default (the day whose plays have all come in). A
    /// range the report cannot cover comes back as the form's errors, with the dates as typed.
    fn range(&self) -> (NaiveDate, NaiveDate, By, Invalid) {
        let yesterday = proof::day_of(Utc::now()) - Duration::days(1);
        let mut errors = Invalid::default();
        let mut parse = |field: &'static str, v: &str, d: NaiveDate| match v.trim() {
            "" => Some(d),
            v => NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().or_else(|| {
                errors.push(field, "bad_date");
                None
            }),
        };
        let to = parse("to", &self.to, yesterday);
        let from = parse("from", &self.from, to.unwrap_or(yesterday));
        let (from, to) = (from.unwrap_or(yesterday), to.unwrap_or(yesterday));
        if errors.is_empty() {
            if from > to {
                errors.push("from", "report_order");
            } else if (to - from).num_days() >= MAX_DAYS {
                errors.push("from", "report_range");
            }
        }
        (from, to, self.by.unwrap_or_default(), errors)
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
    /// The dates as typed, shown again beside their error.
    pub from_text: String,
    pub to_text: String,
    pub errors: Invalid,
}

pub async fn show(State(state): State<AppState>, web: Web, Query(q): Query<ReportQuery>) -> Result<Response, WebError> {
    let (from, to, by, errors) = q.range();
    let report = match errors.is_empty() {
        true => state.store.play_report(web.actor(), from, to, by).await?,
        false => Report { rows: Vec::new(), total: Default::default() },
    };
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
    let typed = |v: &str, d: NaiveDate| if v.trim().is_empty() { d.to_string() } else { v.trim().to_string() };
    let page = ReportPage {
        ctx: web.ctx(),
        from,
        to,
        by,
        bys: By::ALL,
        report,
        shortfall: (SHORTFALL * 100.0) as u32,
        chart,
        from_text: typed(&q.from, from),
        to_text: typed(&q.to, to),
        errors,
    };
    Ok(match page.errors.is_empty() {
        true => page.into_response(),
        false => unprocessable(page),
    })
}

impl ReportPage {
    pub fn basis(&self, r: &ReportRow) -> String {
        basis(self.ctx.lang, r)
    }
}

/// What a line's reach rests on, in words: one station's counter or its hours and audience,
/// or how many stations were counted and how many estimated.
pub fn basis(lang: Lang, r: &ReportRow) -> String {
    {
        match &r.basis {
            Some(b) if b.method == ReachMethod::Counted => lang.t("es.basis_counted"),
            Some(b) if b.hours.is_empty() => lang.t_with("es.basis_all_day", &[("n", &b.per_hour.to_string())]),
            Some(b) => lang.t_with("es.basis_hours", &[("hours", &b.hours), ("n", &b.per_hour.to_string())]),
            None => lang.t_with(
                "es.basis_stations",
                &[("counted", &r.counted_stations.to_string()), ("estimated", &r.estimated_stations.to_string())],
            ),
        }
    }
}

pub const EXPORT_COLUMNS: [&str; 10] = [
    "维度",
    "名称",
    "播放次数",
    "实际播放（小时）",
    "计划播放（小时）",
    "完成率",
    "是否不足",
    "惠及人次",
    "人次口径",
    "人次依据",
];

pub async fn export(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let (from, to, by, errors) = q.range();
    if !errors.is_empty() {
        return Err(WebError::Invalid(errors));
    }
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
                basis(web.lang, r),
            ]
        })
        .collect();
    let bytes = xlsx::write_rows("播放证明", &EXPORT_COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("播放证明-{from}-{to}.xlsx")))
}
