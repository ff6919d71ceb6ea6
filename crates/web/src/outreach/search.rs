//! Search across content and suggestions (and, later, needs and experts): the page and
//! `GET /api/v1/search`. The index lives in memory, is built from the database on first use,
//! and before every query reads the search change log from where it stopped, so a search
//! always sees the writes before it, on any node.

use crate::AppState;
use crate::error::WebError;
use crate::form::Query;
use crate::html::Markup;
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::scope::Scope;
use kexie_search::{Doc, Hit, Index, Kind};
use kexie_store::Store;
use std::collections::HashSet;

/// The index and how far into the change log it has read (`None`: not built yet).
pub struct SearchIndex {
    index: Index,
    seen: tokio::sync::Mutex<Option<i64>>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        Self { index: Index::in_memory().expect("an in-memory index opens"), seen: tokio::sync::Mutex::new(None) }
    }
}

fn content_doc(d: kexie_store::outreach::content::ContentDoc) -> Doc {
    let released = matches!(d.status.as_str(), "approved" | "published");
    Doc {
        kind: Kind::Content,
        id: d.id,
        title: d.title,
        body: d.text,
        tags: d.tags,
        region_id: Some(d.region_id),
        public: released,
        status: d.status,
        date: Some(d.date),
    }
}

fn suggestion_doc(d: kexie_store::suggestion::SuggestionDoc) -> Doc {
    Doc {
        kind: Kind::Suggestion,
        id: d.id,
        title: d.title,
        body: d.text,
        tags: Vec::new(),
        region_id: d.region_id,
        public: d.public,
        status: d.status,
        date: Some(d.date),
    }
}

impl SearchIndex {
    /// Brings the index up to the change log; the first call builds it whole.
    pub async fn catch_up(&self, store: &Store) -> Result<(), WebError> {
        let mut seen = self.seen.lock().await;
        let err = |e: kexie_search::SearchError| WebError::Internal(e.to_string());
        let Some(after) = *seen else {
            let last = store.last_search_change().await?;
            let mut docs: Vec<Doc> = store.content_docs(None).await?.into_iter().map(content_doc).collect();
            docs.extend(store.suggestions_for_index(None).await?.into_iter().map(suggestion_doc));
            self.index.clear_kind(Kind::Content).map_err(err)?;
            self.index.clear_kind(Kind::Suggestion).map_err(err)?;
            self.index.upsert(docs).map_err(err)?;
            *seen = Some(last);
            return Ok(());
        };
        let changes = store.search_changes(after, 10_000).await?;
        let Some(last) = changes.last().map(|c| c.id) else { return Ok(()) };
        let ids = |kind: &str| -> Vec<i64> {
            let set: HashSet<i64> = changes.iter().filter(|c| c.kind == kind).map(|c| c.ref_id).collect();
            set.into_iter().collect()
        };
        let (content, suggestions) = (ids("content"), ids("suggestion"));
        let mut docs: Vec<Doc> = Vec::new();
        if !content.is_empty() {
            docs.extend(store.content_docs(Some(&content)).await?.into_iter().map(content_doc));
        }
        if !suggestions.is_empty() {
            docs.extend(store.suggestions_for_index(Some(&suggestions)).await?.into_iter().map(suggestion_doc));
        }
        self.index.upsert(docs).map_err(err)?;
        *seen = Some(last);
        Ok(())
    }

    /// Searches within what the caller may see: the association sees everything; a town sees
    /// released content and the suggestions of its town.
    pub async fn search(
        &self,
        store: &Store,
        actor: &Actor,
        text: &str,
        kind: Option<Kind>,
        limit: usize,
        offset: usize,
    ) -> Result<kexie_search::Hits, WebError> {
        self.catch_up(store).await?;
        let err = |e: kexie_search::SearchError| WebError::BadRequest(e.code());
        let mut kinds = Vec::new();
        if actor.can(Area::Content, Action::View) {
            kinds.push(Kind::Content);
        }
        if actor.can(Area::Suggestion, Action::View) {
            kinds.push(Kind::Suggestion);
        }
        if let Some(k) = kind {
            kinds.retain(|x| *x == k);
        }
        if kinds.is_empty() {
            return Ok(kexie_search::Hits::default());
        }
        let base = kexie_search::Query { limit: limit + offset, offset: 0, ..kexie_search::Query::new(text) };
        if matches!(actor.scope, Scope::All) {
            let q = kexie_search::Query { kinds, limit, offset, ..base };
            return self.index.search(&q).map_err(err);
        }
        let towns: Vec<i64> = match actor.scope {
            Scope::Region { id, .. } => store.regions().await?.subtree_ids(id).into_iter().collect(),
            _ => Vec::new(),
        };
        let mut all = kexie_search::Hits::default();
        for k in kinds {
            let q = match k {
                Kind::Content => kexie_search::Query { kinds: vec![k], public_only: true, ..base.clone() },
                _ => kexie_search::Query { kinds: vec![k], regions: Some(towns.clone()), ..base.clone() },
            };
            let h = self.index.search(&q).map_err(err)?;
            all.total += h.total;
            all.hits.extend(h.hits);
        }
        all.hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        all.hits = all.hits.into_iter().skip(offset).take(limit).collect();
        Ok(all)
    }
}

/// Where a hit leads.
pub fn href(h: &Hit) -> String {
    match h.kind {
        Kind::Content => format!("/outreach/content/{}", h.id),
        Kind::Suggestion => format!("/suggestions/{}", h.id),
        Kind::Need => format!("/match/needs/{}", h.id),
        Kind::Expert => format!("/match/experts/{}", h.id),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub kind: String,
    pub page: Option<u64>,
}

pub struct HitView {
    pub kind: &'static str,
    pub href: String,
    pub title_html: Markup,
    pub snippet_html: Markup,
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/search.html")]
pub struct SearchPage {
    pub ctx: PageCtx,
    pub q: String,
    pub kind: String,
    pub total: usize,
    pub page: u64,
    pub pages: u64,
    pub hits: Vec<HitView>,
    pub took_ms: String,
}

pub const PER_PAGE: u64 = 20;

pub async fn page(
    State(state): State<AppState>,
    web: Web,
    Query(q): Query<SearchQuery>,
) -> Result<SearchPage, WebError> {
    let kind = q.kind.parse::<Kind>().ok();
    let page = q.page.unwrap_or(1).clamp(1, 50);
    let started = std::time::Instant::now();
    let hits = if q.q.trim().is_empty() {
        kexie_search::Hits::default()
    } else {
        state
            .search
            .search(&state.store, web.actor(), &q.q, kind, PER_PAGE as usize, ((page - 1) * PER_PAGE) as usize)
            .await?
    };
    Ok(SearchPage {
        ctx: web.ctx(),
        total: hits.total,
        page,
        pages: (hits.total as u64).div_ceil(PER_PAGE).min(50),
        hits: hits
            .hits
            .iter()
            .map(|h| HitView {
                kind: h.kind.as_str(),
                href: href(h),
                title_html: Markup::highlight(&h.title_html),
                snippet_html: Markup::highlight(&h.snippet_html),
            })
            .collect(),
        took_ms: format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0),
        q: q.q,
        kind: q.kind,
    })
}
