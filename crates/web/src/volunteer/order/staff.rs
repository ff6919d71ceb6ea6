//! The staff pages of service orders: the list (search, filters, paging, counts by status,
//! Excel export) and an order with its timeline and the forms of its next move — dispatch
//! to a team, accept with the activity's time, decline with a reason, report it done — and a
//! link to the activity its team planned.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Form, Id, Query, filter};
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::xlsx;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::account::{Action, Area};
use kexie_core::page::PageRequest;
use kexie_core::scope::Scope;
use kexie_core::volunteer::order::{AcceptForm, DispatchForm, MAX_DECLINE, MAX_DONE_NOTE, Move, NoteForm, Status};
use kexie_store::volunteer::order::{OrderFilter, OrderRow, OrderView};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub month: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl ListQuery {
    fn filter(&self) -> Result<OrderFilter, WebError> {
        Ok(OrderFilter {
            q: self.q.chars().take(50).collect(),
            status: filter::code(&self.status, Status::parse)?,
            town: filter::num(&self.town)?,
            team: filter::num(&self.team)?,
            month: filter::month(&self.month)?,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("status", self.status.clone()),
            ("town", self.town.clone()),
            ("team", self.team.clone()),
            ("month", self.month.clone()),
        ]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/orders.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<OrderRow>,
    pub pager: Pager,
    pub towns: Vec<(i64, String)>,
    pub teams: Vec<(i64, String)>,
    pub statuses: [Status; 6],
    /// Orders in scope at each status, each a link to them.
    pub counts: Vec<(Status, i64)>,
}

impl ListPage {
    pub fn tag(&self, s: &Status) -> &'static str {
        super::tag_of(*s)
    }
}

pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let actor = web.actor();
    let list = state.store.list_orders(actor, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?;
    let towns = crate::region::towns(&*state.store.regions().await?, &actor.scope);
    let page = ListPage {
        pager: Pager::new(&list, "/orders", &q.pairs()),
        towns,
        // The filter names only teams the caller may see.
        teams: state.store.team_names(actor).await?,
        statuses: Status::ALL,
        counts: state.store.order_counts(actor).await?,
        ctx: web.ctx(),
        rows: list.items,
        q,
    };
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

pub const COLUMNS: [&str; 16] = [
    "编号",
    "点单方",
    "类别",
    "联系人",
    "手机号",
    "镇（街道）",
    "服务地点",
    "服务类型",
    "服务主题",
    "期望日期",
    "受众人数",
    "状态",
    "承接服务队",
    "下单时间",
    "评价星级",
    "评价意见",
];

pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let all = PageRequest { page: 1, per_page: 20_000 };
    let rows = state.store.list_orders(web.actor(), &q.filter()?, all).await?.items;
    let lang = crate::i18n::Lang::Zh;
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.o.id.to_string(),
                r.o.orderer.clone(),
                lang.label("order_orderer", r.orderer_kind.code()),
                r.o.contact.clone(),
                r.o.phone.clone(),
                r.town.clone(),
                r.o.place.clone(),
                lang.label("act_kind", r.kind.code()),
                r.o.topic.clone(),
                r.o.wanted_on.to_string(),
                r.o.audience.map(|a| a.to_string()).unwrap_or_default(),
                lang.label("order_status", r.status.code()),
                r.team.clone().unwrap_or_default(),
                kexie_core::estation::schedule::format_local(r.o.created_at).replace('T', " "),
                r.o.rating.map(|n| n.to_string()).unwrap_or_default(),
                r.o.rating_note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let bytes = xlsx::write_rows("服务点单", &COLUMNS, &out)?;
    Ok(xlsx::download(bytes, "服务点单.xlsx"))
}

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/order.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub v: OrderView,
    pub edits: bool,
    /// Staff and town officers dispatch; a team's admin only answers for their team.
    pub dispatches: bool,
    pub teams: Vec<(i64, String)>,
    pub accept: AcceptForm,
    pub note: NoteForm,
    pub errors: Invalid,
}

impl ShowPage {
    pub fn tag(&self) -> &'static str {
        super::tag_of(self.v.row.status)
    }
    pub fn can(&self, mv: &str) -> bool {
        let Some(m) = Move::ALL.into_iter().find(|m| m.code() == mv) else { return false };
        let allowed = match m {
            Move::Dispatch => self.dispatches,
            Move::Accept | Move::Decline | Move::Done => self.edits,
            Move::Rate | Move::Cancel => false,
        };
        allowed && m.apply(self.v.row.status).is_ok()
    }
}

async fn show_page(
    state: &AppState,
    web: &Web,
    id: i64,
    accept: AcceptForm,
    note: NoteForm,
    errors: Invalid,
) -> Result<ShowPage, WebError> {
    let actor = web.actor();
    let v = state.store.get_order(actor, id).await?;
    let edits = actor.can(Area::Volunteer, Action::Edit);
    Ok(ShowPage {
        ctx: web.ctx(),
        v,
        edits,
        dispatches: edits && matches!(actor.scope, Scope::All | Scope::Region { .. }),
        // Only teams the caller may dispatch to (the store refuses any other like a missing one).
        teams: state.store.team_names(actor).await?,
        accept,
        note,
        errors,
    })
}

pub async fn show(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<ShowPage, WebError> {
    show_page(&state, &web, id, AcceptForm::default(), NoteForm::default(), Invalid::default()).await
}

/// After a move: back to the order, or the page again with why not (422, nothing written).
async fn after(
    state: &AppState,
    web: &Web,
    id: i64,
    accept: AcceptForm,
    note: NoteForm,
    result: Result<(), kexie_store::StoreError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/orders/{id}"))),
        Err(kexie_store::StoreError::Invalid(errors)) => {
            Ok(unprocessable(show_page(state, web, id, accept, note, errors).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn dispatch(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<DispatchForm>,
) -> Result<Response, WebError> {
    let result = match f.check() {
        Ok(team) => state.store.dispatch_order(web.actor(), id, team).await,
        Err(e) => Err(e.into()),
    };
    after(&state, &web, id, AcceptForm::default(), NoteForm::default(), result).await
}

pub async fn accept(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<AcceptForm>,
) -> Result<Response, WebError> {
    let result = match f.check(chrono::Utc::now()) {
        Ok(when) => state.store.accept_order(web.actor(), id, &when).await.map(|_| ()),
        Err(e) => Err(e.into()),
    };
    after(&state, &web, id, f, NoteForm::default(), result).await
}

pub async fn decline(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let result = match f.check(MAX_DECLINE) {
        Ok(reason) => state.store.decline_order(web.actor(), id, &reason).await,
        Err(e) => Err(e.into()),
    };
    after(&state, &web, id, AcceptForm::default(), f, result).await
}

pub async fn done(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Form(f): Form<NoteForm>,
) -> Result<Response, WebError> {
    let result = match f.check(MAX_DONE_NOTE) {
        Ok(note) => state.store.finish_order(web.actor(), id, &note).await,
        Err(e) => Err(e.into()),
    };
    after(&state, &web, id, AcceptForm::default(), f, result).await
}
