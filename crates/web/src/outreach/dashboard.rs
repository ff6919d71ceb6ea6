//! The outreach dashboard: pieces sent and person-times reached in a year, by channel, month,
//! topic, town and campaign, as charts whose every figure links to its publications; and the
//! sentence of the yearly report.

use crate::AppState;
use crate::error::WebError;
use crate::form::Query;
use crate::html::ScriptJson;
use crate::i18n::Lang;
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use chrono::Datelike;
use kexie_store::outreach::reach::Figures;

#[derive(Debug, Default, serde::Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The year's sentence, "2026年共发送科普知识1,367条，惠及群众171,649人次。" and its English,
/// each count exact (a report is signed) and in its plural.
pub fn sentence(lang: Lang, year: i32, items: i64, person_times: i64) -> String {
    let count = |key: &str, n: i64| lang.t_with(&lang.plural(key, n as f64), &[("n", &kexie_core::number::grouped(n))]);
    let (items, reach) = (count("ot.sentence_items", items), count("ot.sentence_reach", person_times));
    lang.t_with("ot.sentence", &[("year", &year.to_string()), ("items", &items), ("reach", &reach)])
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/dashboard.html")]
pub struct Page {
    pub ctx: PageCtx,
    pub f: Figures,
    pub sentence: String,
    pub years: Vec<i32>,
    /// The figures for the charts, as JSON the chart script reads from a data attribute.
    pub chart_json: ScriptJson,
    /// The year's activities (held on site), for callers who may see them.
    pub activities: Option<kexie_core::activity::figures::Line>,
}

pub async fn show(State(state): State<AppState>, web: Web, Query(q): Query<YearQuery>) -> Result<Page, WebError> {
    let this_year = kexie_core::estation::proof::day_of(chrono::Utc::now()).year();
    let year = q.year.unwrap_or(this_year).clamp(2000, this_year + 1);
    let f = state.store.outreach_figures(web.actor(), year).await?;
    let ctx = web.ctx();
    let year_q = format!("&status=done&year={year}");
    let points = |v: &[kexie_store::outreach::reach::Bucket], name: &dyn Fn(&str, &str) -> String, filter: &str| {
        v.iter()
            .map(|b| {
                let href = if filter == "month" {
                    format!("/outreach/publications?month={}", b.key)
                } else {
                    format!("/outreach/publications?{filter}={}{year_q}", urlencoding::encode(&b.key))
                };
                serde_json::json!({ "name": name(&b.key, &b.label), "value": b.person_times, "items": b.items, "href": href })
            })
            .collect::<Vec<_>>()
    };
    let chart_json = ScriptJson::new(&serde_json::json!({
        "channel": points(&f.by_channel, &|k, _| ctx.label("ot.channel", k), "channel"),
        "month": points(&f.by_month, &|k, _| k.to_string(), "month"),
        "topic": points(&f.by_topic, &|_, l| l.to_string(), "topic"),
        "campaign": points(&f.by_campaign, &|_, l| l.to_string(), "campaign"),
    }));
    let activities = if web.actor().can(kexie_core::account::Area::Activity, kexie_core::account::Action::View) {
        Some(state.store.activity_figures(web.actor(), year).await?.total)
    } else {
        None
    };
    Ok(Page {
        activities,
        sentence: sentence(ctx.lang, f.year, f.items as i64, f.person_times),
        years: (this_year - 4..=this_year).rev().collect(),
        chart_json,
        ctx,
        f,
    })
}
