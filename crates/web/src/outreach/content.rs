//! The content library as pages: list with search and filters, the editor, a piece with its
//! review actions, history and publications, a version as it was, and the reviewers' queue.

use super::edits;
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, MaybeUpload, Query};
use crate::html::Markup;
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::estation::schedule::{ScheduleForm, format_local};
use kexie_core::outreach::Channel;
use kexie_core::outreach::content::{AUDIENCES, ContentForm, ContentKind, Source, TOPICS, check_file};
use kexie_core::outreach::publication::PublicationForm;
use kexie_core::outreach::review::{ContentStatus, ReviewStep};
use kexie_core::page::PageRequest;
use kexie_store::entity::{campaign, content, content_review, content_version};
use kexie_store::outreach::content::{ContentFile, ContentFilter, Snapshot, status_of, tags_of};
use kexie_store::outreach::publication::{PublicationFilter, PublicationRow};

#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    pub f: ContentFilter,
    pub page: Option<u64>,
}

/// The campaign filter as the query string carries it.
fn campaign_param(c: Option<i64>) -> String {
    c.map(|c| c.to_string()).unwrap_or_default()
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/content_list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<content::Model>,
    pub total: u64,
    pub pager: Pager,
    pub f: ContentFilter,
    pub topics: &'static [&'static str],
    pub statuses: Vec<&'static str>,
    pub kinds: Vec<&'static str>,
    pub edits: bool,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<ListPage, WebError> {
    let page = state.store.list_content(web.actor(), &q.f, PageRequest::new(q.page, None)).await?;
    let pager = Pager::new(
        &page,
        "/outreach/content",
        &[
            ("q", q.f.q.clone()),
            ("status", q.f.status.clone()),
            ("topic", q.f.topic.clone()),
            ("kind", q.f.kind.clone()),
            ("campaign", campaign_param(q.f.campaign)),
        ],
    );
    Ok(ListPage {
        ctx: web.ctx(),
        total: page.total,
        rows: page.items,
        pager,
        f: q.f,
        topics: &TOPICS,
        statuses: ContentStatus::ALL.iter().map(|s| s.code()).collect(),
        kinds: ContentKind::ALL.iter().map(|k| k.code()).collect(),
        edits: edits(&web),
    })
}

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let page = state.store.list_content(web.actor(), &q.f, PageRequest { page: 1, per_page: 100_000 }).await?;
    let lang = web.ctx().lang;
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.title.clone(),
                lang.label("ot.kind", &c.kind),
                c.topic.clone(),
                c.audience.clone(),
                lang.label("ot.source", &c.source),
                c.tags.clone(),
                lang.label("ot.status", &c.status),
                c.version.to_string(),
                c.author_name.clone(),
                c.updated_at.format("%Y-%m-%d %H:%M").to_string(),
            ]
        })
        .collect();
    let header = ["编号", "标题", "类型", "主题", "受众", "来源", "标签", "状态", "版本", "作者", "更新时间"];
    Ok(xlsx::download(xlsx::write_rows("科普内容", &header, &rows)?, "科普内容.xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/content_form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub id: Option<i64>,
    pub f: ContentForm,
    pub file_name: Option<String>,
    pub errors: Invalid,
    pub topics: &'static [&'static str],
    pub audiences: &'static [&'static str],
    pub kinds: Vec<&'static str>,
    pub sources: Vec<&'static str>,
}

/// The form, new or shown again: the editor loads the body as markup, so it gets the body as
/// it would be saved (sanitised), never the text as posted.
fn form_page(web: &Web, id: Option<i64>, f: ContentForm, file_name: Option<String>, errors: Invalid) -> FormPage {
    FormPage {
        ctx: web.ctx(),
        id,
        f: ContentForm { body: kexie_core::outreach::sanitize::rich_text(&f.body), ..f },
        file_name,
        errors,
        topics: &TOPICS,
        audiences: &AUDIENCES,
        kinds: ContentKind::ALL.iter().map(|k| k.code()).collect(),
        sources: Source::ALL.iter().map(|k| k.code()).collect(),
    }
}

fn writes(web: &Web) -> Result<(), WebError> {
    if edits(web) { Ok(()) } else { Err(WebError::Forbidden) }
}

pub async fn new(web: Web) -> Result<FormPage, WebError> {
    writes(&web)?;
    let f = ContentForm {
        kind: "article".into(),
        source: "original".into(),
        audience: AUDIENCES[0].into(),
        ..Default::default()
    };
    Ok(form_page(&web, None, f, None, Invalid::default()))
}

fn form_of(up: &MaybeUpload) -> ContentForm {
    ContentForm {
        title: up.field("title"),
        kind: up.field("kind"),
        topic: up.field("topic"),
        audience: up.field("audience"),
        source: up.field("source"),
        source_name: up.field("source_name"),
        tags: up.field("tags"),
        summary: up.field("summary"),
        body: up.field("body"),
    }
}

/// Checks the form and the file together, so every problem shows at once; stores the file.
async fn checked(
    state: &AppState,
    up: MaybeUpload,
) -> Result<(ContentForm, Result<(kexie_core::outreach::content::ContentInput, Option<ContentFile>), Invalid>), WebError>
{
    let f = form_of(&up);
    let input = f.check();
    let kind = ContentKind::parse(f.kind.trim()).unwrap_or(ContentKind::Article);
    let file = match up.file {
        None => Ok(None),
        Some(received) => match check_file(kind, &received.name, received.sample()) {
            Ok(t) => Ok(Some((t, received))),
            Err(code) => Err(code),
        },
    };
    let mut errs = match &input {
        Ok(_) => Invalid::default(),
        Err(e) => e.clone(),
    };
    if let Err(code) = file {
        errs.push("file", code);
    }
    if !errs.is_empty() {
        return Ok((f, Err(errs)));
    }
    let stored = match file {
        Ok(Some((t, received))) => {
            let name = received.name.chars().take(200).collect();
            let (sha, size) = received.store(state).await?;
            Some(ContentFile { sha256: sha, name, media_type: t.to_string(), size })
        }
        _ => None,
    };
    Ok((f, Ok((input.expect("checked above"), stored))))
}

pub async fn create(State(state): State<AppState>, web: Web, up: MaybeUpload) -> Result<Response, WebError> {
    writes(&web)?;
    let (f, checked) = checked(&state, up).await?;
    let result = match checked {
        Ok((i, file)) => state.store.create_content(web.actor(), &i, file.as_ref()).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/outreach/content/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(form_page(&web, None, f, None, e))),
        Err(e) => Err(e.into()),
    }
}

pub async fn edit(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<FormPage, WebError> {
    writes(&web)?;
    let c = state.store.get_content(web.actor(), id).await?;
    if !status_of(&c).editable() {
        return Err(WebError::BadRequest("not_editable"));
    }
    let f = ContentForm {
        title: c.title.clone(),
        kind: c.kind.clone(),
        topic: c.topic.clone(),
        audience: c.audience.clone(),
        source: c.source.clone(),
        source_name: c.source_name.clone().unwrap_or_default(),
        tags: tags_of(&c).join("，"),
        summary: c.summary.clone().unwrap_or_default(),
        body: c.body.clone(),
    };
    Ok(form_page(&web, Some(id), f, c.file_name.clone(), Invalid::default()))
}

pub async fn update(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    up: MaybeUpload,
) -> Result<Response, WebError> {
    writes(&web)?;
    let before = state.store.get_content(web.actor(), id).await?;
    let (f, checked) = checked(&state, up).await?;
    let result = match checked {
        Ok((i, file)) => state.store.update_content(web.actor(), id, &i, file.as_ref()).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/outreach/content/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            Ok(unprocessable(form_page(&web, Some(id), f, before.file_name, e)))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/content_show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub body: Markup,
    pub c: content::Model,
    pub status: ContentStatus,
    pub tags: Vec<String>,
    pub versions: Vec<content_version::Model>,
    pub reviews: Vec<content_review::Model>,
    pub publications: Vec<PublicationRow>,
    pub campaigns: Vec<campaign::Model>,
    pub edits: bool,
    pub reviews_allowed: bool,
    pub my_turn: bool,
    pub runs_screens: bool,
    pub manual_channels: Vec<&'static str>,
    pub all_accounts: Vec<&'static str>,
    pub pf: PublicationForm,
    pub sf: ScheduleForm,
    pub towns: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub errors: Invalid,
    pub screen_errors: Invalid,
}

/// The piece's page with its forms as given (after a refused publication, with its errors).
pub async fn show_page(
    state: &AppState,
    web: &Web,
    id: i64,
    pf: PublicationForm,
    sf: Option<ScheduleForm>,
    errors: Invalid,
    screen_errors: Invalid,
) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let c = state.store.get_content(actor, id).await?;
    let (versions, reviews) = state.store.content_history(actor, id).await?;
    let publications = state
        .store
        .list_publications(
            actor,
            &PublicationFilter { content: Some(id), ..Default::default() },
            PageRequest::new(None, Some(200)),
        )
        .await?
        .items;
    let status = status_of(&c);
    let me = actor.account_id.unwrap_or(0);
    let reviews_allowed = actor.can(Area::Content, Action::Review) && edits(web);
    let my_turn = reviews_allowed
        && status.in_review()
        && c.author_id != me
        && !(status == ContentStatus::ScienceReviewed && c.science_reviewer_id == Some(me));
    let tree = state.store.regions().await?;
    let runs_screens = actor.can(Area::Schedule, Action::Edit) && edits(web);
    let now = Utc::now();
    let sf = sf.unwrap_or(ScheduleForm {
        priority: "0".into(),
        valid_from: format_local(now),
        valid_to: format_local(now + Duration::days(14)),
        target: "all".into(),
        ..Default::default()
    });
    Ok(ShowPage {
        ctx: web.ctx(),
        body: Markup::rich_text(&c.body),
        status,
        tags: tags_of(&c),
        versions,
        reviews,
        publications,
        campaigns: state.store.list_campaigns(actor).await?,
        edits: edits(web),
        reviews_allowed,
        my_turn,
        runs_screens,
        manual_channels: Channel::ALL.iter().filter(|c| c.is_manual()).map(|c| c.code()).collect(),
        all_accounts: Channel::ALL
            .iter()
            .filter(|c| c.is_manual())
            .flat_map(|c| kexie_core::outreach::publication::accounts(*c).iter().copied())
            .collect(),
        pf,
        sf,
        towns: crate::region::towns(&tree, &actor.scope).into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        groups: if runs_screens {
            state.store.station_groups().await?.into_iter().map(|g| (format!("groups:{}", g.id), g.label)).collect()
        } else {
            Vec::new()
        },
        c,
        errors,
        screen_errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    let pf = PublicationForm {
        channel: "wechat".into(),
        account: "南通州科协".into(),
        published_on: kexie_core::estation::proof::day_of(Utc::now()).to_string(),
        ..Default::default()
    };
    show_page(&state, &web, id, pf, None, Invalid::default(), Invalid::default()).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    pub step: String,
    #[serde(default)]
    pub comment: String,
    #[serde(default)]
    pub campaign_id: String,
}

pub async fn review(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    let step = ReviewStep::parse(&f.step).ok_or(WebError::BadRequest("bad_transition"))?;
    match state.store.review_content(web.actor(), id, step, &f.comment).await {
        Ok(_) => Ok(see_other(&format!("/outreach/content/{id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let pf = PublicationForm::default();
            Ok(unprocessable(show_page(&state, &web, id, pf, None, e, Invalid::default()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Files the piece under a campaign, or takes it out of one.
pub async fn set_campaign(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ReviewForm>,
) -> Result<Response, WebError> {
    state.store.set_content_campaign(web.actor(), id, f.campaign_id.trim().parse().ok()).await?;
    Ok(see_other(&format!("/outreach/content/{id}")))
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/content_version.html")]
pub struct VersionPage {
    pub ctx: PageCtx,
    pub body: Markup,
    pub c: content::Model,
    pub v: content_version::Model,
    pub s: Snapshot,
}

pub async fn version(
    State(state): State<AppState>,
    web: Web,
    Path((id, version)): Path<(i64, i32)>,
) -> Result<VersionPage, WebError> {
    let c = state.store.get_content(web.actor(), id).await?;
    let (v, s) = state.store.content_version(web.actor(), id, version).await?;
    Ok(VersionPage { ctx: web.ctx(), body: Markup::rich_text(&s.body), c, v, s })
}

/// The piece's file, as a download (never rendered in the site's origin).
pub async fn file(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let c = state.store.get_content(web.actor(), id).await?;
    let (Some(sha), Some(t)) = (c.file_sha.clone(), c.file_type.clone()) else { return Err(WebError::NotFound) };
    let path = state.config.media_dir().join(&sha);
    let bytes = tokio::fs::read(path).await.map_err(|_| WebError::NotFound)?;
    let name = c.file_name.unwrap_or_else(|| sha.clone());
    let disposition = format!("attachment; filename*=UTF-8''{}", urlencoding::encode(&name));
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, t),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (axum::http::header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/review_queue.html")]
pub struct QueuePage {
    pub ctx: PageCtx,
    pub rows: Vec<content::Model>,
}

pub async fn queue(State(state): State<AppState>, web: Web) -> Result<QueuePage, WebError> {
    Ok(QueuePage { ctx: web.ctx(), rows: state.store.review_queue(web.actor()).await? })
}
