//! Publications as pages: the list across channels (filters, export), one publication with
//! its reach (entered with its basis, or read from proof of play for screens), completing a
//! campaign's task, and publishing a piece to a channel from its page.

use super::content::show_page;
use super::{edits, screen_media};
use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::estation::schedule::ScheduleForm;
use kexie_core::outreach::Channel;
use kexie_core::outreach::publication::{PublicationForm, PublicationInput, accounts};
use kexie_core::outreach::reach::ReachForm;
use kexie_core::page::PageRequest;
use kexie_store::StoreError;
use kexie_store::entity::{content, publication, reach};
use kexie_store::outreach::publication::{PublicationFilter, PublicationRow, ScreenMedia};

#[derive(Debug, Default, serde::Deserialize)]
pub struct FilterForm {
    #[serde(flatten)]
    pub f: PublicationFilter,
    pub page: Option<u64>,
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/publications.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub rows: Vec<PublicationRow>,
    pub total: u64,
    pub pager: Pager,
    pub f: PublicationFilter,
    pub channels: Vec<&'static str>,
    pub topics: &'static [&'static str],
    /// Person-times by publication, where a figure was entered or imported.
    pub figures: std::collections::HashMap<i64, i64>,
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<FilterForm>) -> Result<ListPage, WebError> {
    let f = q.f;
    let page = state.store.list_publications(web.actor(), &f, PageRequest::new(q.page, None)).await?;
    let pager = Pager::new(
        &page,
        "/outreach/publications",
        &[
            ("channel", f.channel.clone()),
            ("status", f.status.clone()),
            ("month", f.month.clone()),
            ("year", f.year.map(|y| y.to_string()).unwrap_or_default()),
            ("topic", f.topic.clone()),
            ("campaign", f.campaign.map(|c| c.to_string()).unwrap_or_default()),
            ("q", f.q.clone()),
        ],
    );
    let ids: Vec<i64> = page.items.iter().map(|r| r.publication.id).collect();
    let figures = state.store.reaches(&ids).await?.into_iter().map(|(id, r)| (id, r.person_times)).collect();
    Ok(ListPage {
        ctx: web.ctx(),
        figures,
        total: page.total,
        rows: page.items,
        pager,
        f,
        channels: Channel::ALL.iter().map(|c| c.code()).collect(),
        topics: &kexie_core::outreach::content::TOPICS,
    })
}

pub async fn export(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<FilterForm>,
) -> Result<Response, WebError> {
    let page = state.store.list_publications(web.actor(), &q.f, PageRequest { page: 1, per_page: 100_000 }).await?;
    let lang = web.ctx().lang;
    let ids: Vec<i64> = page.items.iter().map(|r| r.publication.id).collect();
    let mut figures = state.store.reaches(&ids).await?;
    let mut rows = Vec::with_capacity(page.items.len());
    for r in &page.items {
        let p = &r.publication;
        let figure = figures.remove(&p.id);
        rows.push(vec![
            p.id.to_string(),
            r.title.clone(),
            r.topic.clone(),
            lang.label("ot.channel", &p.channel),
            p.account.clone(),
            p.published_on.map(|d| d.to_string()).unwrap_or_default(),
            p.link.clone().or(p.issue.clone()).unwrap_or_default(),
            lang.label("ot.pub_status", &p.status),
            figure.as_ref().map(|f| f.person_times.to_string()).unwrap_or_default(),
            figure.and_then(|f| f.basis).unwrap_or_default(),
        ]);
    }
    let header = ["编号", "标题", "主题", "渠道", "账号", "发布日期", "链接或期次", "状态", "惠及人次", "依据"];
    Ok(xlsx::download(xlsx::write_rows("发布记录", &header, &rows)?, "发布记录.xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/publication.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub p: publication::Model,
    pub c: content::Model,
    pub channel: Channel,
    pub figure: Option<reach::Model>,
    pub screen_reach: i64,
    pub edits: bool,
    pub rf: ReachForm,
    pub tf: PublicationForm,
    pub accounts: &'static [&'static str],
    pub towns: Vec<(String, String)>,
    pub errors: Invalid,
}

async fn show_page_of(
    state: &AppState,
    web: &Web,
    id: i64,
    rf: Option<ReachForm>,
    tf: Option<PublicationForm>,
    errors: Invalid,
) -> Result<ShowPage, WebError> {
    let p = state.store.get_publication(web.actor(), id).await?;
    let c = state.store.get_content(web.actor(), p.content_id).await?;
    let channel = Channel::parse(&p.channel).ok_or(WebError::NotFound)?;
    let figure = state.store.reach_of(id).await?;
    let screen_reach = if channel.is_manual() {
        0
    } else {
        // A screen keeps playing an entry into the year after it went out.
        let year = p.published_on.map(|d| chrono::Datelike::year(&d)).unwrap_or(2026);
        state.store.person_times_of(web.actor(), std::slice::from_ref(&p), year..=year + 1).await?
    };
    let rf = rf.unwrap_or_else(|| ReachForm {
        person_times: figure.as_ref().map(|f| f.person_times.to_string()).unwrap_or_default(),
        basis: figure.as_ref().and_then(|f| f.basis.clone()).unwrap_or_default(),
    });
    let tf = tf.unwrap_or_else(|| PublicationForm {
        channel: p.channel.clone(),
        account: p.account.clone(),
        published_on: kexie_core::estation::proof::day_of(chrono::Utc::now()).to_string(),
        ..Default::default()
    });
    let tree = state.store.regions().await?;
    Ok(ShowPage {
        ctx: web.ctx(),
        accounts: accounts(channel),
        towns: crate::region::towns(&tree, &web.actor().scope)
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect(),
        p,
        c,
        channel,
        figure,
        screen_reach,
        edits: edits(web),
        rf,
        tf,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page_of(&state, &web, id, None, None, Invalid::default()).await
}

pub async fn set_reach(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ReachForm>,
) -> Result<Response, WebError> {
    let p = state.store.get_publication(web.actor(), id).await?;
    let method = Channel::parse(&p.channel).ok_or(WebError::NotFound)?.reach_method();
    let result = match f.check(method) {
        Ok((n, basis)) => state.store.set_reach(web.actor(), id, n, basis).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/outreach/publications/{id}"))),
        Err(StoreError::Invalid(e)) => Ok(unprocessable(show_page_of(&state, &web, id, Some(f), None, e).await?)),
        Err(e) => Err(e.into()),
    }
}

pub async fn complete(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<PublicationForm>,
) -> Result<Response, WebError> {
    save_publication(
        f,
        async |i| state.store.complete_task(web.actor(), id, i).await.map(|()| id),
        async |f, e| show_page_of(&state, &web, id, None, Some(f), e).await,
    )
    .await
}

/// Records the piece on a channel by hand.
pub async fn record(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<PublicationForm>,
) -> Result<Response, WebError> {
    save_publication(
        f,
        async |i| state.store.record_publication(web.actor(), id, i, None).await,
        async |f, e| show_page(&state, &web, id, f, None, e, Invalid::default()).await,
    )
    .await
}

/// Checks a publication form and saves it with `save`, which answers the publication to show
/// next; a refusal shows the form again through `form_page`, with the errors.
async fn save_publication<P: IntoResponse>(
    f: PublicationForm,
    save: impl AsyncFnOnce(&PublicationInput) -> Result<i64, StoreError>,
    form_page: impl AsyncFnOnce(PublicationForm, Invalid) -> Result<P, WebError>,
) -> Result<Response, WebError> {
    let today = kexie_core::estation::proof::day_of(chrono::Utc::now());
    let result = match f.check(today) {
        Ok(i) => save(&i).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/outreach/publications/{p}"))),
        Err(StoreError::Invalid(e)) => Ok(unprocessable(form_page(f, e).await?)),
        Err(e) => Err(e.into()),
    }
}

/// Puts the piece on the screens through the e-station schedule.
pub async fn to_screens(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<ScheduleForm>,
) -> Result<Response, WebError> {
    let c = state.store.get_content(web.actor(), id).await?;
    // The schedule form wants a media id; the piece supplies it, so check with a placeholder.
    let result = match (ScheduleForm { media_id: "0".into(), ..f.clone() }).check() {
        Err(e) => Err(e.into()),
        Ok(s) => {
            let media = match c.media_id {
                Some(m) => Some(ScreenMedia::Existing(m)),
                None => screen_media(&state, &c).await?.map(ScreenMedia::New),
            };
            match media {
                None => Err(Invalid::one("media_id", "no_screen_media").into()),
                Some(m) => state.store.publish_to_screens(web.actor(), id, m, &s, None).await,
            }
        }
    };
    match result {
        Ok(p) => Ok(see_other(&format!("/outreach/publications/{p}"))),
        Err(StoreError::Invalid(e)) => Ok(unprocessable(
            show_page(&state, &web, id, PublicationForm::default(), Some(f), Invalid::default(), e).await?,
        )),
        Err(e) => Err(e.into()),
    }
}
