//! 点单派单 storage: an order placed on the public page with its private ticket; staff (and
//! town officers for their town) dispatch it to a team; the team accepts it — planning its
//! activity, published, in the same transaction — or declines it with a reason; the team
//! reports it done; the orderer rates it or cancels it by ticket. Every move is one
//! transaction with its audit record and a conditional update on the status it was read in,
//! so two clicks at once move it once and the other is told why.
//!
//! Scope: the association sees every order; a town officer the orders of their town; a
//! team's admin the orders dispatched to their teams.

use crate::entity::{service_order, service_project};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, NaiveDate, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::activity::{ActivityInput, ActivityKind};
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::mask_phone;
use kexie_core::privacy::Consent;
use kexie_core::region::RegionKind;
use kexie_core::scope::Scope;
use kexie_core::volunteer::order::{AcceptInput, Move, OrderInput, OrdererKind, Rating, Status};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// The audit name of an orderer acting by their ticket.
pub const ORDERER: &str = "点单人（凭单号）";

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OrderFilter {
    #[serde(default)]
    pub q: String,
    pub status: Option<Status>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub town: Option<i64>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub team: Option<i64>,
    /// `YYYY-MM` of the wanted date.
    pub month: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderRow {
    pub o: service_order::Model,
    pub status: Status,
    pub kind: ActivityKind,
    pub orderer_kind: OrdererKind,
    pub town: String,
    pub team: Option<String>,
    pub project: Option<String>,
}

/// One step of an order's life, for its timeline.
#[derive(Debug, Clone, Serialize)]
pub struct OrderStep {
    /// `ordered`, `dispatched`, `declined`, `accepted`, `done`, `rated` or `cancelled`.
    pub step: &'static str,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderView {
    pub row: OrderRow,
    pub steps: Vec<OrderStep>,
    /// The activity the team planned: (id, title).
    pub activity: Option<(i64, String)>,
}

/// An orderable project of the public menu (服务菜单).
#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub id: i64,
    pub title: String,
    pub kind: ActivityKind,
    pub summary: Option<String>,
    pub org: String,
}

/// A team's orders of a year and their average rating.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TeamRating {
    pub team_id: i64,
    pub team: String,
    pub rated: i64,
    pub average: f64,
}

fn status_of(o: &service_order::Model) -> Status {
    Status::parse(&o.status).unwrap_or(Status::Ordered)
}

fn refused(code: &'static str) -> StoreError {
    StoreError::Invalid(Invalid::one("status", code))
}

fn by(actor: &Actor) -> String {
    actor.username.chars().take(50).collect()
}

/// The timeline from the order's own columns. A decline shows while the order waits to be
/// dispatched again (the accepting team's decision then takes its time; its reason stays on
/// the order); a cancelled order's last change is its cancellation.
fn steps_of(o: &service_order::Model, status: Status) -> Vec<OrderStep> {
    let step = |step, at: DateTime<Utc>, note: Option<&String>| OrderStep { step, at, note: note.cloned() };
    let mut out = vec![step("ordered", o.created_at, None)];
    if let (Some(note), Some(at), None) = (&o.decline_note, o.decided_at, o.activity_id) {
        out.push(step("declined", at, Some(note)));
    }
    if let Some(at) = o.dispatched_at {
        out.push(step("dispatched", at, None));
    }
    if let (Some(at), true) = (o.decided_at, o.activity_id.is_some()) {
        out.push(step("accepted", at, None));
    }
    if let Some(at) = o.done_at {
        out.push(step("done", at, o.done_note.as_ref()));
    }
    if let Some(at) = o.rated_at {
        out.push(step("rated", at, o.rating_note.as_ref()));
    }
    if status == Status::Cancelled {
        out.push(step("cancelled", o.updated_at, None));
    }
    out.sort_by_key(|s| s.at);
    out
}

impl Store {
    /// The orders a caller may see, as a condition.
    async fn order_scope(&self, actor: &Actor) -> Result<Condition> {
        if !actor.can(Area::Volunteer, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match &actor.scope {
            Scope::All => Condition::all(),
            Scope::Region { id, .. } => {
                let ids: Vec<i64> = self.regions().await?.subtree_ids(*id).into_iter().collect();
                Condition::all().add(service_order::Column::RegionId.is_in(ids))
            }
            Scope::Org { .. } => Condition::all().add(service_order::Column::TeamId.is_in(self.teams_of(actor).await?)),
            Scope::Own { .. } => Condition::all().add(service_order::Column::Id.eq(-1)),
        })
    }

    async fn scoped_order(&self, actor: &Actor, id: i64) -> Result<service_order::Model> {
        let scope = self.order_scope(actor).await?;
        service_order::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    async fn order_rows(&self, models: Vec<service_order::Model>, personal: bool) -> Result<Vec<OrderRow>> {
        let tree = self.regions().await?;
        let projects: HashMap<i64, String> = service_project::Entity::find()
            .select_only()
            .column(service_project::Column::Id)
            .column(service_project::Column::Title)
            .filter(service_project::Column::Id.is_in(models.iter().filter_map(|m| m.project_id)))
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let orgs = self.catalog.orgs();
        Ok(models
            .into_iter()
            .map(|mut o| {
                if !personal {
                    o.phone = mask_phone(&o.phone);
                }
                OrderRow {
                    status: status_of(&o),
                    kind: ActivityKind::parse(&o.kind).unwrap_or(ActivityKind::Service),
                    orderer_kind: OrdererKind::parse(&o.orderer_kind).unwrap_or(OrdererKind::Citizen),
                    town: crate::town_name(&tree, o.region_id),
                    team: o.team_id.and_then(|t| orgs.get(t).map(|g| g.name.clone())),
                    project: o.project_id.and_then(|p| projects.get(&p).cloned()),
                    o,
                }
            })
            .collect())
    }

    async fn order_view(&self, o: service_order::Model, personal: bool) -> Result<OrderView> {
        let activity = match o.activity_id {
            Some(id) => crate::entity::activity::Entity::find_by_id(id).one(&self.db).await?.map(|a| (a.id, a.title)),
            None => None,
        };
        let row = self.order_rows(vec![o], personal).await?.pop().ok_or(StoreError::NotFound)?;
        Ok(OrderView { steps: steps_of(&row.o, row.status), row, activity })
    }

    /// The orderable, active projects: the public menu.
    pub async fn order_menu(&self) -> Result<Vec<MenuItem>> {
        let projects = service_project::Entity::find()
            .filter(service_project::Column::Orderable.eq(true))
            .filter(service_project::Column::Status.eq(kexie_core::volunteer::project::Status::Active.code()))
            .order_by_asc(service_project::Column::Id)
            .all(&self.db)
            .await?;
        self.regions().await?;
        let orgs = self.catalog.orgs();
        Ok(projects
            .into_iter()
            .map(|p| MenuItem {
                org: orgs.get(p.org_id).map(|o| o.name.clone()).unwrap_or_default(),
                kind: ActivityKind::parse(&p.kind).unwrap_or(ActivityKind::Service),
                id: p.id,
                title: p.title,
                summary: p.summary,
            })
            .collect())
    }

    /// Places an order from the public page, with the consent the orderer gave to the privacy
    /// notice; the orderer follows it by the returned ticket.
    pub async fn place_order(&self, o: &OrderInput, consent: &Consent) -> Result<service_order::Model> {
        let tree = self.regions().await?;
        let mut e = Invalid::default();
        if !tree.get(o.region_id).is_some_and(|r| matches!(r.kind, RegionKind::Town | RegionKind::Street)) {
            e.push("region_id", "unknown_region");
        }
        if let Some(p) = o.project_id
            && !self.order_menu().await?.iter().any(|m| m.id == p)
        {
            e.push("project_id", "unknown_project");
        }
        e.into_result(()).map_err(StoreError::Invalid)?;
        let t = now();
        let am = service_order::ActiveModel {
            ticket: Set(crate::activity::random_key()),
            orderer_kind: Set(o.orderer_kind.code().to_string()),
            orderer: Set(o.orderer.clone()),
            contact: Set(o.contact.clone()),
            phone: Set(o.phone.clone()),
            region_id: Set(o.region_id),
            place: Set(o.place.clone()),
            project_id: Set(o.project_id),
            kind: Set(o.kind.code().to_string()),
            topic: Set(o.topic.clone()),
            wanted_on: Set(o.wanted_on),
            audience: Set(o.audience),
            detail: Set(o.detail.clone()),
            status: Set(Status::Ordered.code().to_string()),
            created_at: Set(t),
            updated_at: Set(t),
            consent_at: Set(Some(consent.at)),
            consent_version: Set(Some(consent.version.to_string())),
            ..Default::default()
        };
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = am.insert(&txn).await?;
        chain
            .record(&txn, &Actor::public(ORDERER), "order", "service_order", Some(saved.id), None::<&()>, Some(&saved))
            .await?;
        self.commit(txn, chain).await?;
        Ok(saved)
    }

    fn order_query(
        &self,
        scope: Condition,
        f: &OrderFilter,
        tree: &kexie_core::region::RegionTree,
    ) -> sea_orm::Select<service_order::Entity> {
        let mut q = service_order::Entity::find().filter(scope);
        let text = f.q.trim();
        if !text.is_empty() {
            q = q.filter(
                Condition::any()
                    .add(service_order::Column::Topic.contains(text))
                    .add(service_order::Column::Orderer.contains(text)),
            );
        }
        if let Some(s) = f.status {
            q = q.filter(service_order::Column::Status.eq(s.code()));
        }
        if let Some(t) = f.town {
            let ids: Vec<i64> = tree.subtree_ids(t).into_iter().collect();
            q = q.filter(service_order::Column::RegionId.is_in(ids));
        }
        if let Some(t) = f.team {
            q = q.filter(service_order::Column::TeamId.eq(t));
        }
        let month = f.month.as_deref().and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok());
        if let Some((from, to)) = month.and_then(|m| Some((m, m.checked_add_months(chrono::Months::new(1))?))) {
            q = q.filter(service_order::Column::WantedOn.gte(from)).filter(service_order::Column::WantedOn.lt(to));
        }
        q
    }

    /// Orders in the caller's scope, newest first. Phones are masked unless the role sees
    /// personal data.
    pub async fn list_orders(&self, actor: &Actor, f: &OrderFilter, page: PageRequest) -> Result<Page<OrderRow>> {
        let scope = self.order_scope(actor).await?;
        let tree = self.regions().await?;
        let q = self.order_query(scope, f, &tree);
        let total = q.clone().count(&self.db).await?;
        let models = q
            .order_by_desc(service_order::Column::CreatedAt)
            .order_by_desc(service_order::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let items = self.order_rows(models, actor.role.sees_personal_data()).await?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// One order with its timeline. Whoever may act on it sees the orderer's phone in full,
    /// to call them back.
    pub async fn get_order(&self, actor: &Actor, id: i64) -> Result<OrderView> {
        let o = self.scoped_order(actor, id).await?;
        self.order_view(o, actor.can(Area::Volunteer, Action::Edit)).await
    }

    /// The order as its orderer sees it by their ticket (their phone masked: the link may be
    /// passed on).
    pub async fn order_by_ticket(&self, ticket: &str) -> Result<OrderView> {
        let o = self.order_with_ticket(ticket).await?;
        self.order_view(o, false).await
    }

    async fn order_with_ticket(&self, ticket: &str) -> Result<service_order::Model> {
        service_order::Entity::find()
            .filter(service_order::Column::Ticket.eq(ticket))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Moves an order from the status it was read in, setting `sets` with it. Another move
    /// that got there first leaves no row to update: the error then says what the order's
    /// status is now.
    async fn move_order(
        txn: &DatabaseTransaction,
        before: &service_order::Model,
        mv: Move,
        sets: Vec<(service_order::Column, SimpleExpr)>,
    ) -> Result<Status> {
        let to = mv.apply(status_of(before)).map_err(refused)?;
        let mut q = service_order::Entity::update_many()
            .col_expr(service_order::Column::Status, Expr::value(to.code()))
            .col_expr(service_order::Column::UpdatedAt, Expr::value(now()));
        for (col, v) in sets {
            q = q.col_expr(col, v);
        }
        let done = q
            .filter(service_order::Column::Id.eq(before.id))
            .filter(service_order::Column::Status.eq(before.status.as_str()))
            .exec(txn)
            .await?;
        if done.rows_affected == 1 {
            return Ok(to);
        }
        let now_status = service_order::Entity::find_by_id(before.id)
            .one(txn)
            .await?
            .map(|o| status_of(&o))
            .ok_or(StoreError::NotFound)?;
        Err(refused(mv.apply(now_status).err().unwrap_or("order_move_not_allowed")))
    }

    async fn record_move(
        &self,
        txn: DatabaseTransaction,
        mut chain: audit::Chain,
        actor: &Actor,
        before: &service_order::Model,
        mv: Move,
    ) -> Result<()> {
        let after = service_order::Entity::find_by_id(before.id).one(&txn).await?;
        chain.record(&txn, actor, mv.code(), "service_order", Some(before.id), Some(before), after.as_ref()).await?;
        self.commit(txn, chain).await
    }

    /// The order for a move by staff or a team, in scope and with the right to act.
    async fn order_to_move(&self, actor: &Actor, id: i64) -> Result<service_order::Model> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        self.scoped_order(actor, id).await
    }

    /// Staff, or a town officer for their town, send the order to a team (派单).
    pub async fn dispatch_order(&self, actor: &Actor, id: i64, team_id: i64) -> Result<()> {
        let before = self.order_to_move(actor, id).await?;
        if matches!(actor.scope, Scope::Org { .. } | Scope::Own { .. }) {
            return Err(Invalid::one("team_id", "order_dispatch_by_staff").into());
        }
        let mut refs = self.refs(actor).await?;
        if refs.org("team_id", team_id, &[OrgKind::VolunteerTeam]).is_some_and(|t| t.status != OrgStatus::Active) {
            refs.refuse("team_id");
        }
        refs.finish()?;
        let (txn, chain) = audit::begin(&self.db).await?;
        let sets = vec![
            (service_order::Column::TeamId, Expr::value(team_id)),
            (service_order::Column::DispatchedBy, Expr::value(by(actor))),
            (service_order::Column::DispatchedAt, Expr::value(now())),
        ];
        Self::move_order(&txn, &before, Move::Dispatch, sets).await?;
        self.record_move(txn, chain, actor, &before, Move::Dispatch).await
    }

    /// The team accepts (接单) and plans the service as a published activity it organises, at
    /// the order's place and town, in the same transaction. Returns the activity's id.
    pub async fn accept_order(&self, actor: &Actor, id: i64, when: &AcceptInput) -> Result<i64> {
        let before = self.order_to_move(actor, id).await?;
        Move::Accept.apply(status_of(&before)).map_err(refused)?;
        let team = before.team_id.ok_or_else(|| refused("order_move_not_allowed"))?;
        let kind = ActivityKind::parse(&before.kind).unwrap_or(ActivityKind::Service);
        let community = before.orderer_kind == OrdererKind::Community.code();
        let plan = ActivityInput {
            title: before.topic.chars().take(80).collect(),
            kind,
            theme: before.topic.chars().take(40).collect(),
            month_theme: false,
            organiser_org_id: team,
            co_organisers: community.then(|| before.orderer.clone()),
            place: before.place.clone(),
            region_id: before.region_id,
            starts_at: when.starts_at,
            ends_at: when.ends_at,
            capacity: None,
            audience: before.audience.map(|n| format!("约 {n} 人")),
            summary: before.detail.clone(),
            volunteer_hours: true,
        };
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let a = self.insert_activity(&txn, &mut chain, actor, &plan, kexie_core::activity::Status::Published).await?;
        let sets = vec![
            (service_order::Column::ActivityId, Expr::value(a.id)),
            (service_order::Column::DecidedBy, Expr::value(by(actor))),
            (service_order::Column::DecidedAt, Expr::value(now())),
        ];
        // The conditional update refuses a second accept; its activity goes with the rollback.
        Self::move_order(&txn, &before, Move::Accept, sets).await?;
        self.record_move(txn, chain, actor, &before, Move::Accept).await?;
        Ok(a.id)
    }

    /// The team declines with a reason; the order goes back to staff to dispatch again.
    pub async fn decline_order(&self, actor: &Actor, id: i64, reason: &str) -> Result<()> {
        let before = self.order_to_move(actor, id).await?;
        let (txn, chain) = audit::begin(&self.db).await?;
        let sets = vec![
            (service_order::Column::TeamId, Expr::value(Option::<i64>::None)),
            (service_order::Column::DispatchedAt, Expr::value(Option::<DateTime<Utc>>::None)),
            (service_order::Column::DecidedBy, Expr::value(by(actor))),
            (service_order::Column::DecidedAt, Expr::value(now())),
            (service_order::Column::DeclineNote, Expr::value(reason)),
        ];
        Self::move_order(&txn, &before, Move::Decline, sets).await?;
        self.record_move(txn, chain, actor, &before, Move::Decline).await
    }

    /// The team reports the service held, with a short note; the orderer may now rate it.
    pub async fn finish_order(&self, actor: &Actor, id: i64, note: &str) -> Result<()> {
        let before = self.order_to_move(actor, id).await?;
        let (txn, chain) = audit::begin(&self.db).await?;
        let sets = vec![
            (service_order::Column::DoneAt, Expr::value(now())),
            (service_order::Column::DoneNote, Expr::value(note)),
        ];
        Self::move_order(&txn, &before, Move::Done, sets).await?;
        self.record_move(txn, chain, actor, &before, Move::Done).await
    }

    /// The orderer rates the service by their ticket: once, and only when it is done.
    pub async fn rate_order(&self, ticket: &str, r: &Rating) -> Result<()> {
        let before = self.order_with_ticket(ticket).await?;
        let (txn, chain) = audit::begin(&self.db).await?;
        let sets = vec![
            (service_order::Column::Rating, Expr::value(r.stars)),
            (service_order::Column::RatingNote, Expr::value(r.note.clone())),
            (service_order::Column::RatedAt, Expr::value(now())),
        ];
        Self::move_order(&txn, &before, Move::Rate, sets).await?;
        self.record_move(txn, chain, &Actor::public(ORDERER), &before, Move::Rate).await
    }

    /// The orderer withdraws the order by their ticket, while no team has accepted it.
    pub async fn cancel_order(&self, ticket: &str) -> Result<()> {
        let before = self.order_with_ticket(ticket).await?;
        let (txn, chain) = audit::begin(&self.db).await?;
        Self::move_order(&txn, &before, Move::Cancel, Vec::new()).await?;
        self.record_move(txn, chain, &Actor::public(ORDERER), &before, Move::Cancel).await
    }

    /// How many orders in the caller's scope stand at each status (every status listed).
    pub async fn order_counts(&self, actor: &Actor) -> Result<Vec<(Status, i64)>> {
        let scope = self.order_scope(actor).await?;
        let counts: HashMap<String, i64> = service_order::Entity::find()
            .select_only()
            .column(service_order::Column::Status)
            .column_as(service_order::Column::Id.count(), "n")
            .filter(scope)
            .group_by(service_order::Column::Status)
            .into_tuple::<(String, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        Ok(Status::ALL.into_iter().map(|s| (s, counts.get(s.code()).copied().unwrap_or(0))).collect())
    }

    /// Each team's rated orders of a year (by the rating's date) and their average stars,
    /// best first, for the exemplar view.
    pub async fn team_ratings(&self, actor: &Actor, year: i32) -> Result<Vec<TeamRating>> {
        let scope = self.order_scope(actor).await?;
        let (from, to) = crate::year_bounds(year).ok_or(StoreError::NotFound)?;
        let sums: Vec<(i64, Option<i64>, i64)> = service_order::Entity::find()
            .select_only()
            .column(service_order::Column::TeamId)
            .column_as(crate::sum_i64(self.backend(), "rating"), "s")
            .column_as(service_order::Column::Id.count(), "n")
            .filter(scope)
            .filter(service_order::Column::TeamId.is_not_null())
            .filter(service_order::Column::Rating.is_not_null())
            .filter(service_order::Column::RatedAt.gte(from))
            .filter(service_order::Column::RatedAt.lt(to))
            .group_by(service_order::Column::TeamId)
            .into_tuple()
            .all(&self.db)
            .await?;
        self.regions().await?;
        let orgs = self.catalog.orgs();
        let mut out: Vec<TeamRating> = sums
            .into_iter()
            .filter(|(_, _, n)| *n > 0)
            .map(|(team_id, s, n)| TeamRating {
                team: orgs.get(team_id).map(|o| o.name.clone()).unwrap_or_default(),
                team_id,
                rated: n,
                average: s.unwrap_or(0) as f64 / n as f64,
            })
            .collect();
        out.sort_by(|a, b| b.average.total_cmp(&a.average).then(b.rated.cmp(&a.rated)).then(a.team_id.cmp(&b.team_id)));
        Ok(out)
    }
}
