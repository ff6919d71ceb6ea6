//! 班次 storage: shifts of activities and service projects, who holds a place in each, and
//! the moves on a place — sign up, fill (staff), cancel, offer and take over — each checked
//! inside the audited transaction (which serialises writers), with the count of places moved
//! by a conditional update. Reminders go out as notices a day ahead.
//!
//! Scope: staff see the shifts of the activities and projects they see; a volunteer sees
//! every open shift (they are recruiting) and their own places.

use crate::entity::{activity, service_project, shift, shift_signup, volunteer};
use crate::{Result, Store, StoreError, audit, notice, now};
use chrono::{DateTime, Duration, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area, Role};
use kexie_core::person::mask_phone;
use kexie_core::scope::Scope;
use kexie_core::volunteer::Status as VolunteerStatus;
use kexie_core::volunteer::shift::{
    Opening, Place, ShiftInput, Source, Span, Status, due_reminder, may_cancel, may_take, slot,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// What a shift is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Activity(i64),
    Project(i64),
}

/// How far ahead a volunteer sees open shifts.
const AHEAD_DAYS: i64 = 60;
/// Most shifts on one list.
const LISTED: u64 = 300;
/// Most volunteers suggested to fill a gap.
const CANDIDATES: u64 = 12;

#[derive(Debug, Clone, Serialize)]
pub struct SignupRow {
    pub su: shift_signup::Model,
    pub place: Place,
    pub name: String,
    pub phone: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShiftRow {
    pub s: shift::Model,
    pub open: bool,
    /// The activity or project, and its staff page.
    pub owner: String,
    pub link: String,
    pub gap: i32,
    pub signups: Vec<SignupRow>,
}

/// A shift as a volunteer sees it.
#[derive(Debug, Clone, Serialize)]
pub struct OpenShift {
    pub row: ShiftRow,
    /// Falls in the times the volunteer said they can serve.
    pub fits: bool,
    /// The volunteer's own place, if they hold one.
    pub mine: Option<shift_signup::Model>,
    /// A place another volunteer offers to hand over.
    pub offered: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub volunteer_id: i64,
    pub name: String,
    pub phone: String,
    pub town: String,
}

fn opening(s: &shift::Model) -> Opening {
    Opening {
        span: Span { starts_at: s.starts_at, minutes: s.minutes },
        open: s.status == Status::Open.code(),
        quantity: s.quantity,
        taken: s.taken,
    }
}

fn refused(code: &'static str) -> StoreError {
    StoreError::Invalid(Invalid::one("shift", code))
}

impl Store {
    /// The shifts a caller may see as staff, as a condition.
    async fn shift_scope(&self, actor: &Actor) -> Result<Condition> {
        if !actor.can(Area::Volunteer, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match &actor.scope {
            Scope::All => Condition::all(),
            Scope::Region { id, .. } => {
                let ids: Vec<i64> = self.regions().await?.subtree_ids(*id).into_iter().collect();
                Condition::all().add(shift::Column::RegionId.is_in(ids))
            }
            // The shifts of the activities and projects the caller sees, by their own scopes.
            Scope::Org { .. } => {
                let acts = activity::Entity::find()
                    .select_only()
                    .column(activity::Column::Id)
                    .filter(self.activity_scope(actor).await?)
                    .into_query();
                let projects = service_project::Entity::find()
                    .select_only()
                    .column(service_project::Column::Id)
                    .filter(self.project_scope(actor).await?)
                    .into_query();
                Condition::any()
                    .add(shift::Column::ActivityId.in_subquery(acts))
                    .add(shift::Column::ProjectId.in_subquery(projects))
            }
            Scope::Own { .. } => Condition::all().add(shift::Column::Id.eq(-1)),
        })
    }

    async fn scoped_shift(&self, actor: &Actor, id: i64) -> Result<shift::Model> {
        let scope = self.shift_scope(actor).await?;
        shift::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// Shifts as rows: their owner's name and link, and (when `with_signups`) who holds a place.
    async fn shift_rows(&self, models: Vec<shift::Model>, with_signups: bool, personal: bool) -> Result<Vec<ShiftRow>> {
        let act_ids: Vec<i64> = models.iter().filter_map(|s| s.activity_id).collect();
        let proj_ids: Vec<i64> = models.iter().filter_map(|s| s.project_id).collect();
        let acts = titles::<activity::Entity>(&self.db, activity::Column::Id, activity::Column::Title, act_ids).await?;
        let projs = titles::<service_project::Entity>(
            &self.db,
            service_project::Column::Id,
            service_project::Column::Title,
            proj_ids,
        )
        .await?;
        let mut signups: HashMap<i64, Vec<shift_signup::Model>> = HashMap::new();
        if with_signups {
            for su in shift_signup::Entity::find()
                .filter(shift_signup::Column::ShiftId.is_in(models.iter().map(|s| s.id)))
                .order_by_asc(shift_signup::Column::Id)
                .all(&self.db)
                .await?
            {
                signups.entry(su.shift_id).or_default().push(su);
            }
        }
        let people = self.volunteer_people(signups.values().flatten().map(|su| su.volunteer_id).collect()).await?;
        Ok(models
            .into_iter()
            .map(|s| {
                let (owner, link) = match (s.activity_id, s.project_id) {
                    (Some(a), _) => (acts.get(&a).cloned().unwrap_or_default(), format!("/activities/{a}")),
                    (_, Some(p)) => (projs.get(&p).cloned().unwrap_or_default(), format!("/volunteers/projects/{p}")),
                    _ => (String::new(), String::new()),
                };
                let signups = signups
                    .remove(&s.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|su| {
                        let (name, phone) = people.get(&su.volunteer_id).cloned().unwrap_or_default();
                        SignupRow {
                            place: Place::parse(&su.status).unwrap_or(Place::Cancelled),
                            name,
                            phone: if personal { phone } else { mask_phone(&phone) },
                            su,
                        }
                    })
                    .collect();
                ShiftRow {
                    open: s.status == Status::Open.code(),
                    gap: std::cmp::max(s.quantity - s.taken, 0),
                    owner,
                    link,
                    signups,
                    s,
                }
            })
            .collect())
    }

    /// Adds a shift to an activity (not yet over) or an active project in the caller's scope.
    pub async fn create_shift(&self, actor: &Actor, owner: Owner, input: &ShiftInput) -> Result<i64> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (place, region_id) = match owner {
            Owner::Activity(id) => {
                let a = self.scoped_activity(actor, id).await?;
                if !matches!(a.status.as_str(), "draft" | "published") {
                    return Err(Invalid::one("starts_at", "activity_not_editable").into());
                }
                (a.place, a.region_id)
            }
            Owner::Project(id) => {
                let p = self.scoped_project(actor, id).await?;
                let orgs = self.catalog.orgs();
                let org = orgs.get(p.org_id).ok_or(StoreError::NotFound)?;
                (org.name.clone(), org.region_id)
            }
        };
        let t = now();
        let am = shift::ActiveModel {
            activity_id: Set(match owner {
                Owner::Activity(id) => Some(id),
                Owner::Project(_) => None,
            }),
            project_id: Set(match owner {
                Owner::Project(id) => Some(id),
                Owner::Activity(_) => None,
            }),
            role: Set(input.role.clone()),
            place: Set(input.place.clone().unwrap_or(place)),
            region_id: Set(region_id),
            starts_at: Set(input.starts_at),
            minutes: Set(input.minutes),
            quantity: Set(input.quantity),
            taken: Set(0),
            status: Set(Status::Open.code().to_string()),
            created_by: Set(actor.username.chars().take(50).collect()),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = am.insert(&txn).await?;
        chain.record(&txn, actor, "create", "shift", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    /// The shifts of an activity or a project, with who holds a place.
    pub async fn shifts_of(&self, actor: &Actor, owner: Owner) -> Result<Vec<ShiftRow>> {
        let q = shift::Entity::find().filter(self.shift_scope(actor).await?);
        let q = match owner {
            Owner::Activity(id) => q.filter(shift::Column::ActivityId.eq(id)),
            Owner::Project(id) => q.filter(shift::Column::ProjectId.eq(id)),
        };
        let models = q.order_by_asc(shift::Column::StartsAt).limit(LISTED).all(&self.db).await?;
        self.shift_rows(models, true, actor.role.sees_personal_data()).await
    }

    pub async fn get_shift(&self, actor: &Actor, id: i64) -> Result<ShiftRow> {
        let s = self.scoped_shift(actor, id).await?;
        self.shift_rows(vec![s], true, actor.role.sees_personal_data()).await?.pop().ok_or(StoreError::NotFound)
    }

    /// 缺口: upcoming open shifts in the caller's scope that still need volunteers.
    pub async fn shift_gaps(&self, actor: &Actor) -> Result<Vec<ShiftRow>> {
        let models = self.gaps(actor).await?.order_by_asc(shift::Column::StartsAt).limit(LISTED).all(&self.db).await?;
        self.shift_rows(models, false, false).await
    }

    /// How many shifts the gaps page lists (all of them, past its first page).
    pub async fn shift_gap_count(&self, actor: &Actor) -> Result<u64> {
        Ok(self.gaps(actor).await?.count(&self.db).await?)
    }

    async fn gaps(&self, actor: &Actor) -> Result<sea_orm::Select<shift::Entity>> {
        Ok(shift::Entity::find()
            .filter(self.shift_scope(actor).await?)
            .filter(shift::Column::Status.eq(Status::Open.code()))
            .filter(shift::Column::StartsAt.gt(now()))
            .filter(Expr::col(shift::Column::Taken).lt(Expr::col(shift::Column::Quantity))))
    }

    /// Verified volunteers in the caller's scope who can serve at the shift's time and hold no
    /// place in it: whom to ask to fill a gap.
    pub async fn shift_candidates(&self, actor: &Actor, id: i64) -> Result<Vec<Candidate>> {
        let s = self.scoped_shift(actor, id).await?;
        let holding: Vec<i64> = shift_signup::Entity::find()
            .select_only()
            .column(shift_signup::Column::VolunteerId)
            .filter(shift_signup::Column::ShiftId.eq(id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .into_tuple()
            .all(&self.db)
            .await?;
        // Volunteers of the town the shift is in, wherever in the town they registered.
        let tree = self.regions().await?;
        let town = tree.town_of(s.region_id).map(|t| t.id).unwrap_or(s.region_id);
        let town_area: Vec<i64> = tree.subtree_ids(town).into_iter().collect();
        let vs = volunteer::Entity::find()
            .filter(self.volunteer_scope(actor).await?)
            .filter(volunteer::Column::Status.eq(VolunteerStatus::Verified.code()))
            .filter(volunteer::Column::Availability.contains(slot(s.starts_at)))
            .filter(volunteer::Column::Id.is_not_in(holding))
            .filter(volunteer::Column::RegionId.is_in(town_area))
            .order_by_asc(volunteer::Column::Id)
            .limit(CANDIDATES)
            .all(&self.db)
            .await?;
        let people = self.volunteer_people(vs.iter().map(|v| v.id).collect()).await?;
        let personal = actor.role.sees_personal_data();
        Ok(vs
            .into_iter()
            .map(|v| {
                let (name, phone) = people.get(&v.id).cloned().unwrap_or_default();
                Candidate {
                    volunteer_id: v.id,
                    name,
                    phone: if personal { phone } else { mask_phone(&phone) },
                    town: crate::town_name(&tree, v.region_id),
                }
            })
            .collect())
    }

    /// Calls a shift off: every place in it is cancelled and its holders told.
    pub async fn cancel_shift(&self, actor: &Actor, id: i64) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_shift(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let done = shift::Entity::update_many()
            .col_expr(shift::Column::Status, Expr::value(Status::Cancelled.code()))
            .col_expr(shift::Column::Taken, Expr::value(0))
            .col_expr(shift::Column::UpdatedAt, Expr::value(now()))
            .filter(shift::Column::Id.eq(id))
            .filter(shift::Column::Status.eq(Status::Open.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(refused("shift_closed"));
        }
        let held = shift_signup::Entity::find()
            .filter(shift_signup::Column::ShiftId.eq(id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .all(&txn)
            .await?;
        shift_signup::Entity::update_many()
            .col_expr(shift_signup::Column::Status, Expr::value(Place::Cancelled.code()))
            .col_expr(shift_signup::Column::CancelledAt, Expr::value(now()))
            .col_expr(shift_signup::Column::CancelNote, Expr::value("班次取消"))
            .filter(shift_signup::Column::ShiftId.eq(id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .exec(&txn)
            .await?;
        for su in &held {
            self.tell(
                &txn,
                su.volunteer_id,
                "班次已取消",
                &format!("{}的“{}”班次已取消。", local_time(before.starts_at), before.role),
                None,
            )
            .await?;
        }
        chain.record(&txn, actor, "cancel", "shift", Some(id), Some(&before), Some(&held)).await?;
        self.commit(txn, chain).await
    }

    /// Leaves a notice for a volunteer who has an account.
    async fn tell(
        &self,
        txn: &DatabaseTransaction,
        volunteer_id: i64,
        title: &str,
        body: &str,
        link: Option<&str>,
    ) -> Result<()> {
        let account: Option<Option<i64>> = volunteer::Entity::find_by_id(volunteer_id)
            .select_only()
            .column(volunteer::Column::AccountId)
            .into_tuple()
            .one(txn)
            .await?;
        if let Some(Some(a)) = account {
            notice::notify(txn, a, title, body, Some(link.unwrap_or("/me/volunteer/shifts"))).await?;
        }
        Ok(())
    }

    /// The signed-in volunteer, who must be verified to take or give up places.
    async fn me_as_volunteer(&self, actor: &Actor) -> Result<volunteer::Model> {
        let v = self.own_volunteer(actor).await?;
        if v.status != VolunteerStatus::Verified.code() {
            return Err(Invalid::one("volunteer", "volunteer_not_verified").into());
        }
        Ok(v)
    }

    /// Takes a place in a shift for `v`, checked inside the transaction: open, not started,
    /// within availability (unless staff put them in), no overlap with their other places, and
    /// a place left — or, for a hand-over, the offered place still there.
    async fn take_place(
        &self,
        actor: &Actor,
        shift_id: i64,
        v: &volunteer::Model,
        source: Source,
        handover: Option<i64>,
    ) -> Result<()> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let s = shift::Entity::find_by_id(shift_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let mine = shift_signup::Entity::find()
            .filter(shift_signup::Column::ShiftId.eq(shift_id))
            .filter(shift_signup::Column::VolunteerId.eq(v.id))
            .one(&txn)
            .await?;
        if mine.as_ref().is_some_and(|m| m.status == Place::Signed.code()) {
            return Err(refused("shift_already_signed"));
        }
        let have = held_spans(&txn, v.id, shift_id).await?;
        let availability = (source != Source::Staff).then_some(v.availability.as_str());
        may_take(opening(&s), now(), availability, &have, handover.is_none()).map_err(refused)?;
        let t = now();
        match handover {
            Some(from) => {
                let given = shift_signup::Entity::update_many()
                    .col_expr(shift_signup::Column::Status, Expr::value(Place::HandedOver.code()))
                    .col_expr(shift_signup::Column::CancelledAt, Expr::value(t))
                    .filter(shift_signup::Column::Id.eq(from))
                    .filter(shift_signup::Column::ShiftId.eq(shift_id))
                    .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
                    .filter(shift_signup::Column::Offered.eq(true))
                    .exec(&txn)
                    .await?;
                if given.rows_affected == 0 {
                    return Err(refused("shift_place_gone"));
                }
            }
            None => {
                let took = shift::Entity::update_many()
                    .col_expr(shift::Column::Taken, Expr::col(shift::Column::Taken).add(1))
                    .filter(shift::Column::Id.eq(shift_id))
                    .filter(shift::Column::Status.eq(Status::Open.code()))
                    .filter(Expr::col(shift::Column::Taken).lt(Expr::col(shift::Column::Quantity)))
                    .exec(&txn)
                    .await?;
                if took.rows_affected == 0 {
                    return Err(refused("shift_full"));
                }
            }
        }
        let by: String = actor.username.chars().take(50).collect();
        let saved = match mine {
            // Signing up again after cancelling reopens the same row.
            Some(m) => {
                let mut am: shift_signup::ActiveModel = m.into();
                am.status = Set(Place::Signed.code().to_string());
                am.source = Set(source.code().to_string());
                am.offered = Set(false);
                am.signed_by = Set(by);
                am.signed_at = Set(t);
                am.cancelled_at = Set(None);
                am.cancel_note = Set(None);
                am.reminded_at = Set(None);
                am.update(&txn).await?
            }
            None => {
                shift_signup::ActiveModel {
                    shift_id: Set(shift_id),
                    volunteer_id: Set(v.id),
                    status: Set(Place::Signed.code().to_string()),
                    source: Set(source.code().to_string()),
                    offered: Set(false),
                    signed_by: Set(by),
                    signed_at: Set(t),
                    cancelled_at: Set(None),
                    cancel_note: Set(None),
                    reminded_at: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
            }
        };
        let when = local_time(s.starts_at);
        match (source, handover) {
            (Source::Staff, _) => {
                self.tell(
                    &txn,
                    v.id,
                    "您已被安排班次",
                    &format!("{when}“{}”（{}），请准时到岗。", s.role, s.place),
                    None,
                )
                .await?
            }
            (_, Some(from)) => {
                let giver: Option<i64> = shift_signup::Entity::find_by_id(from)
                    .select_only()
                    .column(shift_signup::Column::VolunteerId)
                    .into_tuple()
                    .one(&txn)
                    .await?;
                if let Some(g) = giver {
                    self.tell(&txn, g, "您的班次已有人接替", &format!("{when}“{}”已由其他志愿者接替。", s.role), None)
                        .await?;
                }
            }
            _ => {}
        }
        chain.record(&txn, actor, source.code(), "shift_signup", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await
    }

    /// A volunteer signs up for a shift.
    pub async fn sign_up_shift(&self, actor: &Actor, shift_id: i64) -> Result<()> {
        let v = self.me_as_volunteer(actor).await?;
        self.take_place(actor, shift_id, &v, Source::Volunteer, None).await
    }

    /// Staff fill a gap with a volunteer in their scope (who agreed: availability is theirs to
    /// judge, the overlap and the count are not).
    pub async fn fill_shift(&self, actor: &Actor, shift_id: i64, volunteer_id: i64) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        self.scoped_shift(actor, shift_id).await?;
        let v = volunteer::Entity::find_by_id(volunteer_id)
            .filter(self.volunteer_scope(actor).await?)
            .one(&self.db)
            .await?
            .ok_or_else(|| StoreError::Invalid(Invalid::one("volunteer_id", "unknown_volunteer")))?;
        if v.status != VolunteerStatus::Verified.code() {
            return Err(Invalid::one("volunteer_id", "volunteer_not_verified").into());
        }
        self.take_place(actor, shift_id, &v, Source::Staff, None).await
    }

    /// A volunteer takes over a place another volunteer offers.
    pub async fn take_over_place(&self, actor: &Actor, signup_id: i64) -> Result<()> {
        let v = self.me_as_volunteer(actor).await?;
        let su = shift_signup::Entity::find_by_id(signup_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if su.volunteer_id == v.id {
            return Err(refused("shift_already_signed"));
        }
        self.take_place(actor, su.shift_id, &v, Source::Swap, Some(signup_id)).await
    }

    /// A volunteer offers their place for another to take over, or takes the offer back.
    pub async fn offer_place(&self, actor: &Actor, signup_id: i64, offered: bool) -> Result<()> {
        let v = self.me_as_volunteer(actor).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let su = shift_signup::Entity::find_by_id(signup_id)
            .filter(shift_signup::Column::VolunteerId.eq(v.id))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let s = shift::Entity::find_by_id(su.shift_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
        if s.starts_at <= now() {
            return Err(refused("shift_started"));
        }
        let done = shift_signup::Entity::update_many()
            .col_expr(shift_signup::Column::Offered, Expr::value(offered))
            .filter(shift_signup::Column::Id.eq(signup_id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(refused("shift_place_gone"));
        }
        chain
            .record(
                &txn,
                actor,
                if offered { "offer" } else { "keep" },
                "shift_signup",
                Some(signup_id),
                Some(&su),
                None::<&()>,
            )
            .await?;
        self.commit(txn, chain).await
    }

    /// Gives up a place: a volunteer their own, at least a day ahead; staff any in their scope,
    /// with a reason, and the volunteer is told.
    pub async fn cancel_place(&self, actor: &Actor, signup_id: i64, note: Option<String>) -> Result<()> {
        let by_staff = actor.role != Role::Volunteer;
        let su = shift_signup::Entity::find_by_id(signup_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let s = if by_staff {
            if !actor.can(Area::Volunteer, Action::Edit) {
                return Err(StoreError::NotFound);
            }
            if note.is_none() {
                return Err(Invalid::one("note", "required").into());
            }
            self.scoped_shift(actor, su.shift_id).await?
        } else {
            if self.me_as_volunteer(actor).await?.id != su.volunteer_id {
                return Err(StoreError::NotFound);
            }
            shift::Entity::find_by_id(su.shift_id).one(&self.db).await?.ok_or(StoreError::NotFound)?
        };
        may_cancel(s.starts_at, now(), by_staff).map_err(refused)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let done = shift_signup::Entity::update_many()
            .col_expr(shift_signup::Column::Status, Expr::value(Place::Cancelled.code()))
            .col_expr(shift_signup::Column::Offered, Expr::value(false))
            .col_expr(shift_signup::Column::CancelledAt, Expr::value(now()))
            .col_expr(shift_signup::Column::CancelNote, Expr::value(note.clone()))
            .filter(shift_signup::Column::Id.eq(signup_id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(refused("shift_place_gone"));
        }
        shift::Entity::update_many()
            .col_expr(shift::Column::Taken, Expr::col(shift::Column::Taken).sub(1))
            .filter(shift::Column::Id.eq(s.id))
            .filter(shift::Column::Taken.gt(0))
            .exec(&txn)
            .await?;
        if by_staff {
            let why = note.as_deref().unwrap_or_default();
            self.tell(
                &txn,
                su.volunteer_id,
                "您的班次已被取消",
                &format!("{}“{}”：{why}", local_time(s.starts_at), s.role),
                None,
            )
            .await?;
        }
        chain.record(&txn, actor, "cancel", "shift_signup", Some(signup_id), Some(&su), None::<&()>).await?;
        self.commit(txn, chain).await
    }

    /// What a volunteer sees: their own upcoming places and the open shifts of the coming
    /// weeks that still need people or have a place on offer.
    pub async fn volunteer_shifts(&self, actor: &Actor) -> Result<Vec<OpenShift>> {
        let v = self.own_volunteer(actor).await?;
        let t = now();
        let mine: HashMap<i64, shift_signup::Model> = shift_signup::Entity::find()
            .filter(shift_signup::Column::VolunteerId.eq(v.id))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|su| (su.shift_id, su))
            .collect();
        let offers: HashMap<i64, i64> = shift_signup::Entity::find()
            .select_only()
            .column(shift_signup::Column::ShiftId)
            .column(shift_signup::Column::Id)
            .filter(shift_signup::Column::Offered.eq(true))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .filter(shift_signup::Column::VolunteerId.ne(v.id))
            .into_tuple::<(i64, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let models = shift::Entity::find()
            .filter(shift::Column::Status.eq(Status::Open.code()))
            .filter(shift::Column::StartsAt.gt(t))
            .filter(shift::Column::StartsAt.lt(t + Duration::days(AHEAD_DAYS)))
            .filter(
                Condition::any()
                    .add(Expr::col(shift::Column::Taken).lt(Expr::col(shift::Column::Quantity)))
                    .add(shift::Column::Id.is_in(mine.keys().copied()))
                    .add(shift::Column::Id.is_in(offers.keys().copied())),
            )
            .order_by_asc(shift::Column::StartsAt)
            .limit(LISTED)
            .all(&self.db)
            .await?;
        Ok(self
            .shift_rows(models, false, false)
            .await?
            .into_iter()
            .map(|row| OpenShift {
                fits: kexie_core::volunteer::shift::fits(&v.availability, row.s.starts_at),
                mine: mine.get(&row.s.id).cloned(),
                offered: offers.get(&row.s.id).copied(),
                row,
            })
            .collect())
    }

    /// Reminds every volunteer with a place in a shift starting within a day, once.
    pub async fn send_shift_reminders(&self) -> Result<usize> {
        let t = now();
        let soon: Vec<shift::Model> = shift::Entity::find()
            .filter(shift::Column::Status.eq(Status::Open.code()))
            .filter(shift::Column::StartsAt.gt(t))
            .filter(shift::Column::StartsAt.lte(t + Duration::hours(kexie_core::volunteer::shift::REMIND_HOURS)))
            .all(&self.db)
            .await?;
        let soon: HashMap<i64, shift::Model> =
            soon.into_iter().filter(|s| due_reminder(s.starts_at, t)).map(|s| (s.id, s)).collect();
        if soon.is_empty() {
            return Ok(0);
        }
        let due = shift_signup::Entity::find()
            .filter(shift_signup::Column::ShiftId.is_in(soon.keys().copied()))
            .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
            .filter(shift_signup::Column::RemindedAt.is_null())
            .all(&self.db)
            .await?;
        if due.is_empty() {
            return Ok(0);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut sent = Vec::new();
        for su in due {
            let done = shift_signup::Entity::update_many()
                .col_expr(shift_signup::Column::RemindedAt, Expr::value(t))
                .filter(shift_signup::Column::Id.eq(su.id))
                .filter(shift_signup::Column::RemindedAt.is_null())
                .exec(&txn)
                .await?;
            if done.rows_affected == 1
                && let Some(s) = soon.get(&su.shift_id)
            {
                let body = format!(
                    "{}在{}，“{}”，{}分钟。不能到岗请尽早转让。",
                    local_time(s.starts_at),
                    s.place,
                    s.role,
                    s.minutes
                );
                self.tell(&txn, su.volunteer_id, "班次提醒", &body, None).await?;
                sent.push(su.id);
            }
        }
        chain
            .record(&txn, &Actor::system("班次提醒"), "remind", "shift_signup", None, None::<&()>, Some(&sent))
            .await?;
        self.commit(txn, chain).await?;
        Ok(sent.len())
    }
}

/// Titles by id of the activities or projects shifts belong to.
async fn titles<E: EntityTrait>(
    db: &impl sea_orm::ConnectionTrait,
    id: E::Column,
    title: E::Column,
    ids: Vec<i64>,
) -> Result<HashMap<i64, String>> {
    Ok(E::find()
        .select_only()
        .column(id)
        .column(title)
        .filter(id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

/// The volunteer's other places in open shifts that have not ended, as spans.
async fn held_spans(txn: &DatabaseTransaction, volunteer_id: i64, except: i64) -> Result<Vec<Span>> {
    let ids: Vec<i64> = shift_signup::Entity::find()
        .select_only()
        .column(shift_signup::Column::ShiftId)
        .filter(shift_signup::Column::VolunteerId.eq(volunteer_id))
        .filter(shift_signup::Column::Status.eq(Place::Signed.code()))
        .filter(shift_signup::Column::ShiftId.ne(except))
        .into_tuple()
        .all(txn)
        .await?;
    let spans: Vec<(DateTime<Utc>, i32)> = shift::Entity::find()
        .select_only()
        .column(shift::Column::StartsAt)
        .column(shift::Column::Minutes)
        .filter(shift::Column::Id.is_in(ids))
        .filter(shift::Column::Status.eq(Status::Open.code()))
        .filter(
            shift::Column::StartsAt.gt(now() - Duration::minutes(i64::from(kexie_core::volunteer::shift::MAX_MINUTES))),
        )
        .into_tuple()
        .all(txn)
        .await?;
    Ok(spans.into_iter().map(|(starts_at, minutes)| Span { starts_at, minutes }).collect())
}

/// "12月5日 09:00" in China time, for notices.
fn local_time(t: DateTime<Utc>) -> String {
    kexie_core::estation::daypart::local(t).format("%-m月%-d日 %H:%M").to_string()
}
