//! The staff pages: the list (search, filters, pagination, Excel export) with the public
//! page's QR code, a suggestion with its photos and trail and the steps open to the caller
//! (moderate, route, answer, adopt, close), the figures, and the QR slide for screens.

use super::public::status_class;
use super::qr_slide;
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query, filter};
use crate::html::{Markup, ScriptJson};
use crate::public::base_url;
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::proof::day_of;
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_core::suggestion::figures::Figures;
use kexie_core::suggestion::{
    self as rules, AnswerForm, AssignForm, CATEGORIES, ModerationForm, REASONS, Status, Step, category_zh, reason_zh,
};
use kexie_store::suggestion::{Officer, SuggestionFilter, SuggestionRow, SuggestionView};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub accepted: String,
    #[serde(default)]
    pub adopted: String,
    #[serde(default)]
    pub answered: String,
    #[serde(default)]
    pub rated: String,
    #[serde(default)]
    pub overdue: String,
    #[serde(default)]
    pub campaign: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn flag(v: &str) -> Result<Option<bool>, WebError> {
    match v.trim() {
        "" => Ok(None),
        "1" | "true" | "yes" => Ok(Some(true)),
        "0" | "false" | "no" => Ok(Some(false)),
        _ => Err(filter::malformed()),
    }
}

impl ListQuery {
    fn filter(&self) -> Result<SuggestionFilter, WebError> {
        Ok(SuggestionFilter {
            q: self.q.chars().take(50).collect(),
            status: filter::code(&self.status, Status::parse)?,
            category: filter::code(&self.category, |c| CATEGORIES.contains(&c).then(|| c.to_string()))?,
            town: filter::num(&self.town)?,
            month: filter::month(&self.month)?,
            year: filter::year(&self.year)?,
            reason: filter::code(&self.reason, |r| REASONS.iter().any(|(c, _)| *c == r).then(|| r.to_string()))?,
            accepted: flag(&self.accepted)?,
            adopted: flag(&self.adopted)?,
            answered: flag(&self.answered)?,
            rated: flag(&self.rated)?,
            overdue: flag(&self.overdue)?,
            campaign: filter::num(&self.campaign)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("category", self.category.clone()),
            ("town", self.town.clone()),
            ("month", self.month.clone()),
            ("year", self.year.clone()),
            ("reason", self.reason.clone()),
            ("accepted", self.accepted.clone()),
            ("adopted", self.adopted.clone()),
            ("answered", self.answered.clone()),
            ("rated", self.rated.clone()),
            ("overdue", self.overdue.clone()),
            ("campaign", self.campaign.clone()),
        ]
    }

    /// Filters beyond the form's own, shown as chips that can be cleared.
    pub fn extra(&self) -> Vec<(&'static str, String)> {
        self.pairs()
            .into_iter()
            .filter(|(k, v)| !v.is_empty() && !matches!(*k, "q" | "status" | "category" | "town" | "month"))
            .collect()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/list.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<SuggestionRow>,
    pub pager: Pager,
    pub towns: Vec<(i64, String)>,
    pub categories: [&'static str; 5],
    pub statuses: [Status; 6],
    pub waiting: u64,
    pub reviews: bool,
    pub slides: bool,
    pub public_url: String,
    pub qr: Markup,
    pub campaigns: Vec<(i64, String)>,
}

fn makes_slides(web: &Web) -> bool {
    web.actor().can(Area::Schedule, Action::Edit) && matches!(web.actor().scope, Scope::All)
}

pub async fn list(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let actor = web.actor();
    let list = state.store.list_suggestions(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let public_url = format!("{}/suggest", base_url(&state.config, &headers));
    let page = ListPage {
        pager: Pager::new(&list, "/suggestions", &q.pairs()),
        towns: crate::region::towns(&*state.store.regions().await?, &web.actor().scope),
        categories: CATEGORIES,
        statuses: Status::ALL,
        waiting: state.store.suggestions_waiting(actor).await?,
        reviews: actor.can(Area::Suggestion, Action::Review),
        slides: makes_slides(&web),
        qr: Markup::qr(&public_url, 160),
        public_url,
        campaigns: state.store.suggestion_campaigns().await?,
        ctx: web.ctx(),
        rows: list.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

/// The export's columns, in order.
pub const COLUMNS: [&str; 19] = [
    "回执号",
    "提交时间",
    "类别",
    "建议内容",
    "所在镇（街道）",
    "姓名",
    "联系电话",
    "状态",
    "未采用原因",
    "承办",
    "办理期限",
    "答复",
    "答复公开",
    "答复人",
    "答复时间",
    "办理天数",
    "采纳",
    "评分",
    "评价",
];

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let rows = state.store.suggestion_export(web.actor(), &q.filter()?).await?;
    let cst = |t: &chrono::DateTime<Utc>| {
        t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("offset")).format("%Y-%m-%d %H:%M").to_string()
    };
    let yes = |b: bool| if b { "是" } else { "否" }.to_string();
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let s = &r.s;
            vec![
                r.receipt.clone(),
                cst(&s.created_at),
                category_zh(&s.category).to_string(),
                s.body.clone(),
                r.place.clone(),
                s.name.clone().unwrap_or_default(),
                s.phone.clone().unwrap_or_default(),
                r.status.label_zh().to_string(),
                s.reason.as_deref().map(reason_zh).unwrap_or_default().to_string(),
                r.assigned_to.clone(),
                kexie_store::suggestion::due_label(s),
                s.answer.clone().unwrap_or_default(),
                if s.answer.is_some() { yes(s.answer_public) } else { String::new() },
                s.answered_by.clone().unwrap_or_default(),
                s.answered_at.as_ref().map(cst).unwrap_or_default(),
                kexie_store::suggestion::days_to_answer(s).map(|d| d.to_string()).unwrap_or_default(),
                yes(s.adopted),
                s.rating.map(|x| x.to_string()).unwrap_or_default(),
                s.rating_comment.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = xlsx::write_rows("建议意见", &COLUMNS, &out)?;
    Ok(xlsx::download(bytes, &format!("建议意见-{}.xlsx", day_of(Utc::now()).format("%Y%m%d"))))
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub v: SuggestionView,
    pub steps: Vec<Step>,
    pub answers: bool,
    pub adopts: bool,
    pub reasons: [(&'static str, &'static str); 5],
    pub towns: Vec<(i64, String)>,
    pub officers: Vec<Officer>,
    pub moderation: ModerationForm,
    pub assign: AssignForm,
    pub answer: AnswerForm,
    pub errors: Invalid,
    pub default_due: String,
}

impl ShowPage {
    pub fn can(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.code() == step)
    }
}

#[derive(Default)]
struct Forms {
    moderation: ModerationForm,
    assign: AssignForm,
    answer: AnswerForm,
    errors: Invalid,
}

async fn show_page(state: &AppState, web: &Web, id: i64, forms: Forms) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let v = state.store.get_suggestion(actor, id).await?;
    let reviews = actor.can(Area::Suggestion, Action::Review);
    let edits = actor.can(Area::Suggestion, Action::Edit);
    let steps: Vec<Step> = rules::steps(v.row.status)
        .into_iter()
        .filter(|s| match s {
            Step::Answer => edits && (reviews || v.row.status != Status::Accepted),
            _ => reviews,
        })
        .collect();
    // Routing again starts from where it is now.
    let mut assign = forms.assign;
    if assign.region_id.is_empty() && assign.account_id.is_empty() {
        let s = &v.row.s;
        assign.region_id = s.assigned_region_id.map(|r| r.to_string()).unwrap_or_default();
        assign.account_id = s.assigned_account_id.map(|a| a.to_string()).unwrap_or_default();
        if let Some(d) = s.due_on.filter(|d| assign.due_on.is_empty() && *d >= day_of(Utc::now())) {
            assign.due_on = d.to_string();
        }
    }
    let mut answer = forms.answer;
    if answer.answer.is_empty()
        && let Some(a) = &v.row.s.answer
    {
        answer.answer = a.clone();
        answer.public = v.row.s.answer_public.then(|| "on".to_string());
    }
    Ok(ShowPage {
        answers: steps.contains(&Step::Answer),
        adopts: reviews && rules::can_adopt(v.row.status),
        steps,
        reasons: REASONS,
        towns: crate::region::towns(&*state.store.regions().await?, &web.actor().scope),
        officers: if reviews { state.store.suggestion_officers().await? } else { Vec::new() },
        moderation: forms.moderation,
        assign,
        answer,
        errors: forms.errors,
        default_due: (day_of(Utc::now()) + chrono::Duration::days(rules::DEFAULT_DUE_DAYS)).to_string(),
        ctx: web.ctx(),
        v,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, Forms::default()).await
}

/// After a step: back to the suggestion, or its page again with the form's errors.
async fn done(
    state: &AppState,
    web: &Web,
    id: i64,
    result: Result<(), kexie_store::StoreError>,
    forms: impl FnOnce(Invalid) -> Forms,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/suggestions/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(show_page(state, web, id, forms(e)).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn moderate(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ModerationForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(m) => state.store.moderate_suggestion(web.actor(), id, &m).await,
        Err(e) => Err(e.into()),
    };
    done(&state, &web, id, result, |errors| Forms { moderation: f, errors, ..Default::default() }).await
}

pub async fn assign(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AssignForm>,
) -> Result<Response, WebError> {
    let result = match f.check(day_of(Utc::now())) {
        Ok(a) => state.store.assign_suggestion(web.actor(), id, &a).await,
        Err(e) => Err(e.into()),
    };
    done(&state, &web, id, result, |errors| Forms { assign: f, errors, ..Default::default() }).await
}

pub async fn answer(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AnswerForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(a) => state.store.answer_suggestion(web.actor(), id, &a).await,
        Err(e) => Err(e.into()),
    };
    done(&state, &web, id, result, |errors| Forms { answer: f, errors, ..Default::default() }).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    pub adopted: String,
}

pub async fn adopt(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AdoptForm>,
) -> Result<Response, WebError> {
    let adopted = match f.adopted.as_str() {
        "1" | "on" | "true" => true,
        "0" | "false" => false,
        _ => return Err(WebError::BadRequest("malformed_form")),
    };
    let result = state.store.adopt_suggestion(web.actor(), id, adopted).await;
    done(&state, &web, id, result, |errors| Forms { errors, ..Default::default() }).await
}

pub async fn close(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let result = state.store.close_suggestion(web.actor(), id).await;
    done(&state, &web, id, result, |errors| Forms { errors, ..Default::default() }).await
}

/// A photo of a suggestion the caller may see, as sent.
pub async fn photo(
    State(state): State<AppState>,
    web: Web,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (Ok(id), Ok(n)) = (id.parse::<i64>(), n.parse::<i32>()) else { return Err(WebError::NotFound) };
    let p = state.store.suggestion_photo(web.actor(), id, n).await?;
    let path = state.config.media_dir().join(&p.sha256);
    let bytes = tokio::fs::read(&path).await.map_err(|_| WebError::NotFound)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(&p.media_type).map_err(|_| WebError::NotFound)?);
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(res)
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/figures.html")]
pub struct FiguresPage {
    pub ctx: PageCtx,
    pub year: i32,
    pub years: Vec<i32>,
    pub f: Figures,
    pub chart: ScriptJson,
}

impl FiguresPage {
    /// The list behind a figure: this year, and the given filters.
    pub fn href(&self, more: &str) -> String {
        if more.is_empty() {
            format!("/suggestions?year={}", self.year)
        } else {
            format!("/suggestions?year={}&{more}", self.year)
        }
    }
    pub fn one(&self, v: Option<f64>) -> String {
        v.map(|x| format!("{x:.1}")).unwrap_or_else(|| "—".into())
    }
    pub fn reason_of(&self, code: &str) -> String {
        self.ctx.label("sg_reason", code)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FiguresQuery {
    #[serde(default)]
    pub year: String,
}

pub async fn figures(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<FiguresQuery>,
) -> Result<FiguresPage, WebError> {
    let years = state.store.suggestion_years().await?;
    let this = years.first().copied().unwrap_or(2026);
    let year = filter::year(&q.year)?.unwrap_or(this);
    let f = state
        .store
        .suggestion_figures(web.actor(), &SuggestionFilter { year: Some(year), ..Default::default() })
        .await?;
    let lang = web.lang;
    let by_category: Vec<serde_json::Value> = f
        .by_category
        .iter()
        .map(|(c, n)| {
            serde_json::json!({ "name": lang.label("sg_category", c), "value": n.received,
                "href": format!("/suggestions?year={year}&category={c}") })
        })
        .collect();
    let by_month: Vec<serde_json::Value> = f
        .by_month
        .iter()
        .map(|(m, n)| serde_json::json!({ "name": m, "value": n.received, "href": format!("/suggestions?month={m}") }))
        .collect();
    let reasons: Vec<serde_json::Value> = f
        .rejected_by_reason
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| {
            serde_json::json!({ "name": lang.label("sg_reason", r), "value": n,
                "href": format!("/suggestions?year={year}&status=rejected&reason={r}") })
        })
        .collect();
    let chart = ScriptJson::new(&serde_json::json!({ "category": by_category, "month": by_month, "reasons": reasons }));
    Ok(FiguresPage { ctx: web.ctx(), year, years, f, chart })
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SlideForm {
    #[serde(default)]
    pub campaign: String,
}

/// Puts the public page's QR code into the screens' media library as an HTML slide, ready to
/// schedule; the same address gives the same slide.
pub async fn slide(
    State(state): State<AppState>,
    web: Web,
    headers: HeaderMap,
    Form(f): Form<SlideForm>,
) -> Result<Response, WebError> {
    let campaign: Option<i64> = filter::num(&f.campaign).map_err(|_| WebError::BadRequest("malformed_form"))?;
    let campaigns = state.store.suggestion_campaigns().await?;
    let named = campaign.and_then(|c| campaigns.iter().find(|(id, _)| *id == c));
    if campaign.is_some() && named.is_none() {
        return Err(WebError::BadRequest("malformed_form"));
    }
    let mut url = format!("{}/suggest", base_url(&state.config, &headers));
    if let Some((id, _)) = named {
        url.push_str(&format!("?c={id}"));
    }
    let html = qr_slide(&url, &state.config.site_name);
    let sha = hex::encode(Sha256::digest(html.as_bytes()));
    let dir = state.config.media_dir();
    let (sha_w, bytes) = (sha.clone(), html.clone().into_bytes());
    tokio::task::spawn_blocking(move || kexie_store::estation::write_media(&dir, &sha_w, &bytes))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let title = match named {
        Some((_, name)) => format!("扫码提建议 · {}", name.chars().take(40).collect::<String>()),
        None => "扫码提建议".to_string(),
    };
    let media = kexie_store::estation::content::NewMedia {
        sha256: sha,
        title,
        media_type: "text/html".into(),
        size: html.len() as i64,
        duration_s: 15,
        file_name: "扫码提建议.html".into(),
    };
    let (id, fresh) = state.store.add_media(web.actor(), &media).await?;
    Ok(see_other(&format!("/estation/media?added={id}&new={fresh}")))
}

/// For templates.
pub fn tag_of(s: &Status) -> &'static str {
    status_class(s)
}
