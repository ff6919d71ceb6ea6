//! Needs: list with filters, the 科创中国 export, posting and editing, review, and the ranked
//! experts of a need with why each matched.

use super::{Reason, reasons};
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::matchmaking::roster::NEED_EXPORT_COLUMNS;
use kexie_core::matchmaking::{NeedForm, NeedKind, NeedStatus, NeedStep};
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_store::matchmaking::RankedExpert;
use kexie_store::matchmaking::engagement::{EngagementFilter, EngagementView};
use kexie_store::matchmaking::need::{NeedFilter, NeedView};

const EXPORT_MAX: u64 = 10_000;
/// Experts shown for a need.
const RANKED: usize = 20;

#[derive(serde::Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub org: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<NeedFilter, WebError> {
        let status = match self.status.as_str() {
            "" => None,
            s => Some(NeedStatus::parse(s).ok_or(WebError::BadRequest("unknown_need_status"))?),
        };
        let kind = match self.kind.as_str() {
            "" => None,
            s => Some(NeedKind::parse(s).ok_or(WebError::BadRequest("unknown_kind"))?),
        };
        Ok(NeedFilter {
            q: self.q.chars().take(50).collect(),
            status,
            kind,
            industry: self.industry.chars().take(50).collect(),
            org_id: super::opt_id(&self.org, "unknown_org")?,
        })
    }
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("kind", self.kind.clone()),
            ("industry", self.industry.clone()),
            ("org", self.org.clone()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/needs.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<NeedView>,
    pub pager: Pager,
    pub counts: Vec<(NeedStatus, u64)>,
    pub can_edit: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let page = state.store.list_needs(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let page = ListPage {
        pager: Pager::new(&page, "/match/needs", &q.pairs()),
        counts: state.store.need_counts(actor).await?,
        can_edit: posts_needs(&web),
        ctx: web.ctx(),
        rows: page.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

/// The association and enterprises post needs; towns and experts read them.
fn posts_needs(web: &Web) -> bool {
    let a = web.actor();
    a.can(Area::Need, Action::Edit) && matches!(a.scope, Scope::All | Scope::Org { .. })
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let rows = state.store.export_needs(web.actor(), &q.filter()?, EXPORT_MAX).await?;
    let bytes = xlsx::write_rows("技术需求", &NEED_EXPORT_COLUMNS, &rows)?;
    Ok(xlsx::download(bytes, &format!("科创中国需求-{}.xlsx", chrono::Local::now().format("%Y%m%d"))))
}

#[derive(Template, WebTemplate)]
#[template(path = "match/need.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub n: NeedView,
    pub ranked: Vec<(RankedExpert, Vec<Reason>)>,
    pub engagements: Vec<EngagementView>,
    pub steps: Vec<&'static str>,
    pub can_edit: bool,
    pub can_review: bool,
    pub can_engage: bool,
    pub can_audit: bool,
    pub errors: Invalid,
    /// The ranked experts whose profile the viewer may open.
    pub open_experts: std::collections::HashSet<i64>,
}

async fn show_page(state: &AppState, web: &Web, id: i64, errors: Invalid) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let n = state.store.get_need(actor, id).await?;
    let status = n.status();
    let can_review = actor.can(Area::Need, Action::Review);
    let can_edit = posts_needs(web) && status != NeedStatus::Closed;
    let ranked = if status == NeedStatus::Approved || can_review {
        state.store.rank_experts_for_need(actor, id, RANKED).await?
    } else {
        Vec::new()
    };
    let steps = [
        (NeedStep::Submit, "submit"),
        (NeedStep::Approve, "approve"),
        (NeedStep::Reject, "reject"),
        (NeedStep::Close, "close"),
        (NeedStep::Reopen, "reopen"),
    ]
    .into_iter()
    .filter(|(s, _)| posts_needs(web) && status.after(*s, can_review).is_some())
    .map(|(_, code)| code)
    .collect();
    let engagements = state
        .store
        .list_engagements(
            actor,
            &EngagementFilter { need_id: Some(id), ..Default::default() },
            PageRequest::new(Some(1), Some(50)),
        )
        .await?
        .items;
    Ok(ShowPage {
        open_experts: super::expert::openable(state, web, &ranked.iter().map(|r| r.expert_id).collect::<Vec<_>>())
            .await?,
        ranked: ranked
            .into_iter()
            .map(|r| {
                let why = reasons(web.lang, &r.explanation, 4);
                (r, why)
            })
            .collect(),
        engagements,
        steps,
        can_edit,
        can_review,
        can_engage: can_review && status == NeedStatus::Approved,
        can_audit: actor.can(Area::Audit, Action::View),
        ctx: web.ctx(),
        n,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, Invalid::default()).await
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct NeedFields {
    #[serde(default)]
    pub org_code: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub industry: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub background: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub goal: String,
    #[serde(default)]
    pub budget: String,
    #[serde(default)]
    pub deadline: String,
    /// Submit for review at once instead of keeping a draft.
    #[serde(default)]
    pub submit: Option<String>,
}

impl NeedFields {
    fn form(&self) -> NeedForm {
        NeedForm {
            title: self.title.clone(),
            industry: self.industry.clone(),
            kind: self.kind.clone(),
            background: self.background.clone(),
            problem: self.problem.clone(),
            goal: self.goal.clone(),
            budget: self.budget.clone(),
            deadline: self.deadline.clone(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "match/need_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: NeedFields,
    pub errors: Invalid,
    pub kinds: Vec<&'static str>,
    pub industries: Vec<&'static str>,
    /// The association names the enterprise; an enterprise posts its own.
    pub names_enterprise: bool,
}

fn form_page(web: &Web, id: Option<i64>, f: NeedFields, errors: Invalid) -> FormPage {
    FormPage {
        ctx: web.ctx(),
        id,
        f,
        errors,
        kinds: NeedKind::ALL.iter().map(|k| k.code()).collect(),
        industries: kexie_core::matchmaking::lexicon::industries().iter().map(|i| i.name).collect(),
        names_enterprise: matches!(web.actor().scope, Scope::All) && id.is_none(),
    }
}

pub async fn new(web: Web) -> Result<FormPage, WebError> {
    if !posts_needs(&web) {
        return Err(WebError::NotFound);
    }
    Ok(form_page(&web, None, NeedFields::default(), Invalid::default()))
}

pub async fn create(State(state): State<AppState>, web: Web, Form(f): Form<NeedFields>) -> Result<Response, WebError> {
    let mut e = Invalid::default();
    let org_id = if matches!(web.actor().scope, Scope::All) {
        let id = crate::org::code_ref(&state, &mut e, "org_code", &f.org_code).await?;
        if f.org_code.trim().is_empty() {
            e.push("org_code", "required");
        }
        id
    } else {
        None
    };
    let result = if e.is_empty() {
        state.store.create_need(web.actor(), org_id, &f.form()).await.map_err(WebError::from)
    } else {
        // Report the form's own problems with the enterprise's.
        if let Err(more) = f.form().check(chrono::Utc::now().date_naive()) {
            e.0.extend(more.0);
        }
        Err(WebError::Invalid(e))
    };
    match result {
        Ok(id) => {
            if f.submit.is_some() {
                state.store.step_need(web.actor(), id, NeedStep::Submit, "").await?;
            }
            Ok(see_other(&format!("/match/needs/{id}")))
        }
        Err(WebError::Invalid(e)) => Ok(unprocessable(form_page(&web, None, f, e))),
        Err(e) => Err(e),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    let n = state.store.get_need(web.actor(), id).await?;
    if !posts_needs(&web) {
        return Err(WebError::NotFound);
    }
    let f = n.form();
    let fields = NeedFields {
        org_code: n.enterprise_code.clone(),
        title: f.title,
        industry: f.industry,
        kind: f.kind,
        background: f.background,
        problem: f.problem,
        goal: f.goal,
        budget: f.budget,
        deadline: f.deadline,
        submit: None,
    };
    Ok(form_page(&web, Some(id), fields, Invalid::default()))
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<NeedFields>,
) -> Result<Response, WebError> {
    match state.store.update_need(web.actor(), id, &f.form()).await {
        Ok(()) => Ok(see_other(&format!("/match/needs/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&web, Some(id), f, e))),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct StepFields {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub review_note: String,
}

pub async fn step(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<StepFields>,
) -> Result<Response, WebError> {
    let step = match f.step.as_str() {
        "submit" => NeedStep::Submit,
        "approve" => NeedStep::Approve,
        "reject" => NeedStep::Reject,
        "close" => NeedStep::Close,
        "reopen" => NeedStep::Reopen,
        _ => return Err(WebError::BadRequest("unknown_step")),
    };
    match state.store.step_need(web.actor(), id, step, &f.review_note).await {
        Ok(_) => Ok(see_other(&format!("/match/needs/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(show_page(&state, &web, id, e).await?)),
        Err(e) => Err(e.into()),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct EngageFields {
    #[serde(default)]
    pub expert_id: String,
}

/// Proposes a ranked expert for the need: an engagement starts at "matched".
pub async fn engage(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<EngageFields>,
) -> Result<Response, WebError> {
    let expert = super::opt_id(&f.expert_id, "unknown_expert")?.ok_or(WebError::BadRequest("unknown_expert"))?;
    let e = state.store.start_engagement(web.actor(), id, expert).await?;
    Ok(see_other(&format!("/match/engagements/{e}")))
}
