//! 活动 storage: plans, publication, registration and the door (check-in and check-out by
//! the activity's QR code or by the person's own code), photos and the report, and the
//! figures. A volunteer's check-out at an activity that earns hours writes their service
//! record in the same transaction.
//!
//! Scope: the association sees every activity; a town officer those held in their town; a
//! team or practice-site admin those their organisation runs. The public sees only published
//! and held activities, never party-internal ones (`ActivityKind::is_public`); phones are
//! masked for roles that may not see personal data.

use crate::entity::{activity, activity_photo, activity_registration, org, service_record, volunteer};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::activity::attendance::{Door, Registrant, Window};
use kexie_core::activity::figures::{Fact, Figures, tally};
use kexie_core::activity::{ActivityInput, ActivityKind, ReportInput, Status, Step};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::mask_phone;
use kexie_core::privacy::Consent;
use kexie_core::scope::Scope;
use kexie_core::volunteer::ledger::{self, MAX_DAY_MINUTES};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, SqlErr,
};
use serde::Serialize;
use std::collections::HashMap;

/// The audit name of a person checking in on their own phone.
pub const DOOR: &str = "签到（手机扫码）";

/// 20 random bytes as hex: the activity's check-in key and each person's ticket.
pub fn random_key() -> String {
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex::encode(b)
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActivityFilter {
    #[serde(default)]
    pub q: String,
    pub kind: Option<ActivityKind>,
    pub status: Option<Status>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub town: Option<i64>,
    pub year: Option<i32>,
    /// `YYYY-MM`, China time.
    pub month: Option<String>,
    #[serde(default)]
    pub theme: String,
    /// Party-building activities only.
    pub party: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    pub a: activity::Model,
    pub kind: ActivityKind,
    pub status: Status,
    pub town: String,
    pub organiser: String,
    pub attended: i64,
}

/// A registration as staff see it (phone masked unless the role sees personal data).
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationRow {
    pub r: activity_registration::Model,
    pub volunteer: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub row: ActivityRow,
    pub registrations: Vec<RegistrationRow>,
    pub photos: Vec<activity_photo::Model>,
    /// Service hours written from this activity's check-outs, in minutes.
    pub service_minutes: i64,
}

/// What happened at the door, for the page that answers the scan.
#[derive(Debug, Clone, Serialize)]
pub struct DoorResult {
    pub registration_id: i64,
    pub name: String,
    pub at: DateTime<Utc>,
    /// Minutes of service recorded for a volunteer at check-out.
    pub minutes: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DoorAction {
    In,
    Out,
}

fn status_of(a: &activity::Model) -> Status {
    Status::parse(&a.status).unwrap_or(Status::Draft)
}

fn kind_of(a: &activity::Model) -> ActivityKind {
    ActivityKind::parse(&a.kind).unwrap_or(ActivityKind::Lecture)
}

fn window(a: &activity::Model) -> Window {
    Window { starts_at: a.starts_at, ends_at: a.ends_at }
}

fn china_day(t: DateTime<Utc>) -> NaiveDate {
    kexie_core::estation::proof::day_of(t)
}

fn refused(code: &'static str) -> StoreError {
    StoreError::Invalid(Invalid::one("door", code))
}

impl Store {
    /// The activities a caller may see, as a condition.
    pub(crate) async fn activity_scope(&self, actor: &Actor) -> Result<Condition> {
        if !actor.can(Area::Activity, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match &actor.scope {
            Scope::All => Condition::all(),
            Scope::Region { id, .. } => {
                let ids: Vec<i64> = self.regions().await?.subtree_ids(*id).into_iter().collect();
                Condition::all().add(activity::Column::RegionId.is_in(ids))
            }
            Scope::Org { path, .. } => {
                self.regions().await?;
                let mut ids = Vec::new();
                self.catalog
                    .orgs()
                    .scan(&kexie_core::org::index::OrgQuery { under: Some(path), ..Default::default() }, |e| {
                        ids.push(e.id)
                    });
                Condition::all().add(activity::Column::OrganiserOrgId.is_in(ids))
            }
            Scope::Own { .. } => Condition::all().add(activity::Column::Id.eq(-1)),
        })
    }

    async fn check_activity_input(&self, actor: &Actor, a: &ActivityInput) -> Result<()> {
        let mut refs = self.refs(actor).await?;
        refs.region("region_id", a.region_id);
        refs.org("organiser_org_id", a.organiser_org_id, &[]);
        refs.finish()
    }

    fn set_activity(am: &mut activity::ActiveModel, a: &ActivityInput) {
        am.title = Set(a.title.clone());
        am.kind = Set(a.kind.code().to_string());
        am.theme = Set(a.theme.clone());
        am.month_theme = Set(a.month_theme);
        am.organiser_org_id = Set(a.organiser_org_id);
        am.co_organisers = Set(a.co_organisers.clone());
        am.place = Set(a.place.clone());
        am.region_id = Set(a.region_id);
        am.starts_at = Set(a.starts_at);
        am.ends_at = Set(a.ends_at);
        am.capacity = Set(a.capacity);
        am.audience = Set(a.audience.clone());
        am.summary = Set(a.summary.clone());
        am.volunteer_hours = Set(a.volunteer_hours);
    }

    pub async fn create_activity(&self, actor: &Actor, a: &ActivityInput) -> Result<i64> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = self.insert_activity(&txn, &mut chain, actor, a, Status::Draft).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    /// Checks and plans an activity in the caller's transaction, audited on its chain: a new
    /// activity from the form, or the one a team plans when it accepts a service order.
    pub(crate) async fn insert_activity(
        &self,
        txn: &DatabaseTransaction,
        chain: &mut audit::Chain,
        actor: &Actor,
        a: &ActivityInput,
        status: Status,
    ) -> Result<activity::Model> {
        self.check_activity_input(actor, a).await?;
        let t = now();
        let mut am = activity::ActiveModel {
            status: Set(status.code().to_string()),
            checkin_key: Set(random_key()),
            registered: Set(0),
            report: Set(None),
            extra_reach: Set(0),
            created_by: Set(actor.username.chars().take(50).collect()),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
        Self::set_activity(&mut am, a);
        let saved = am.insert(txn).await?;
        chain.record(txn, actor, "create", "activity", Some(saved.id), None::<&()>, Some(&saved)).await?;
        Ok(saved)
    }

    pub async fn update_activity(&self, actor: &Actor, id: i64, a: &ActivityInput) -> Result<()> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_activity(actor, id).await?;
        if matches!(status_of(&before), Status::Closed | Status::Cancelled) {
            return Err(Invalid::one("status", "activity_not_editable").into());
        }
        if a.capacity.is_some_and(|c| c < before.registered) {
            return Err(Invalid::one("capacity", "capacity_below_registered").into());
        }
        self.check_activity_input(actor, a).await?;
        let mut am: activity::ActiveModel = before.clone().into();
        Self::set_activity(&mut am, a);
        am.updated_at = Set(now());
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "activity", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    pub async fn activity_step(&self, actor: &Actor, id: i64, step: Step) -> Result<()> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_activity(actor, id).await?;
        let to = step.apply(status_of(&before)).map_err(|c| StoreError::Invalid(Invalid::one("status", c)))?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        // Conditional on the status read, so two clicks cannot both move it.
        let done = activity::Entity::update_many()
            .col_expr(activity::Column::Status, Expr::value(to.code()))
            .col_expr(activity::Column::UpdatedAt, Expr::value(now()))
            .filter(activity::Column::Id.eq(id))
            .filter(activity::Column::Status.eq(before.status.as_str()))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(Invalid::one("status", "activity_step_not_allowed").into());
        }
        let after = serde_json::json!({ "status": to.code() });
        chain.record(&txn, actor, step_name(step), "activity", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    pub async fn save_activity_report(&self, actor: &Actor, id: i64, r: &ReportInput) -> Result<()> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_activity(actor, id).await?;
        if matches!(status_of(&before), Status::Draft | Status::Cancelled) {
            return Err(Invalid::one("report", "activity_not_held").into());
        }
        let mut am: activity::ActiveModel = before.clone().into();
        am.report = Set(Some(r.report.clone()));
        am.extra_reach = Set(r.extra_reach);
        am.updated_at = Set(now());
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "report", "activity", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// Adds photos already written to the media directory.
    pub async fn add_activity_photos(&self, actor: &Actor, id: i64, photos: &[crate::NewPhoto]) -> Result<()> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let a = self.scoped_activity(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let last: Option<i32> = activity_photo::Entity::find()
            .select_only()
            .column_as(activity_photo::Column::Position.max(), "m")
            .filter(activity_photo::Column::ActivityId.eq(a.id))
            .into_tuple()
            .one(&txn)
            .await?
            .flatten();
        let mut position = last.unwrap_or(0);
        for p in photos {
            position += 1;
            activity_photo::Entity::insert(activity_photo::ActiveModel {
                activity_id: Set(a.id),
                position: Set(position),
                sha256: Set(p.sha256.clone()),
                media_type: Set(p.media_type.clone()),
                size: Set(p.size),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
        }
        chain.record(&txn, actor, "add_photos", "activity", Some(a.id), None::<&()>, Some(&photos)).await?;
        self.commit(txn, chain).await
    }

    /// The organisations a caller may name as an activity's organiser: the association,
    /// towns' associations, teams, practice sites, societies and enterprise associations in
    /// their scope.
    pub async fn activity_organisers(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        use kexie_core::org::OrgKind::*;
        let kinds =
            [DistrictAssociation, Grassroots, VolunteerTeam, PracticeSite, Society, EnterpriseAssociation, ScienceBase];
        self.orgs_in_scope(actor, &kinds, true).await
    }

    pub(crate) async fn scoped_activity(&self, actor: &Actor, id: i64) -> Result<activity::Model> {
        let scope = self.activity_scope(actor).await?;
        activity::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    fn activity_query(
        &self,
        scope: Condition,
        f: &ActivityFilter,
        tree: &kexie_core::region::RegionTree,
    ) -> sea_orm::Select<activity::Entity> {
        let mut q = activity::Entity::find().filter(scope);
        let text = f.q.trim();
        if !text.is_empty() {
            q = q.filter(
                Condition::any()
                    .add(activity::Column::Title.contains(text))
                    .add(activity::Column::Place.contains(text))
                    .add(activity::Column::CoOrganisers.contains(text)),
            );
        }
        if let Some(k) = f.kind {
            q = q.filter(activity::Column::Kind.eq(k.code()));
        }
        if f.party == Some(true) {
            let party: Vec<&str> = ActivityKind::ALL.iter().filter(|k| k.is_party()).map(|k| k.code()).collect();
            q = q.filter(activity::Column::Kind.is_in(party));
        }
        if let Some(s) = f.status {
            q = q.filter(activity::Column::Status.eq(s.code()));
        }
        if let Some(t) = f.town {
            let ids: Vec<i64> = tree.subtree_ids(t).into_iter().collect();
            q = q.filter(activity::Column::RegionId.is_in(ids));
        }
        if !f.theme.trim().is_empty() {
            q = q.filter(activity::Column::Theme.eq(f.theme.trim()));
        }
        let bounds = match (f.month.as_deref().filter(|m| !m.is_empty()), f.year) {
            (Some(m), _) => crate::month_bounds(m),
            (None, Some(y)) => crate::year_bounds(y),
            _ => None,
        };
        if let Some((from, to)) = bounds {
            q = q.filter(activity::Column::StartsAt.gte(from)).filter(activity::Column::StartsAt.lt(to));
        }
        q
    }

    async fn activity_rows(&self, models: Vec<activity::Model>) -> Result<Vec<ActivityRow>> {
        let tree = self.regions().await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let attended: HashMap<i64, i64> = activity_registration::Entity::find()
            .select_only()
            .column(activity_registration::Column::ActivityId)
            .column_as(activity_registration::Column::Id.count(), "n")
            .filter(activity_registration::Column::ActivityId.is_in(ids))
            .filter(activity_registration::Column::CheckedInAt.is_not_null())
            .group_by(activity_registration::Column::ActivityId)
            .into_tuple::<(i64, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let orgs = self.catalog.orgs();
        Ok(models
            .into_iter()
            .map(|a| ActivityRow {
                kind: kind_of(&a),
                status: status_of(&a),
                town: crate::town_name(&tree, a.region_id),
                organiser: orgs.get(a.organiser_org_id).map(|o| o.name.clone()).unwrap_or_default(),
                attended: attended.get(&a.id).copied().unwrap_or(0),
                a,
            })
            .collect())
    }

    pub async fn list_activities(
        &self,
        actor: &Actor,
        f: &ActivityFilter,
        page: PageRequest,
    ) -> Result<Page<ActivityRow>> {
        let scope = self.activity_scope(actor).await?;
        let tree = self.regions().await?;
        let q = self.activity_query(scope, f, &tree);
        let total = q.clone().count(&self.db).await?;
        let models = q
            .order_by_desc(activity::Column::StartsAt)
            .order_by_desc(activity::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let items = self.activity_rows(models).await?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// One activity with its registrations and photos.
    pub async fn get_activity(&self, actor: &Actor, id: i64) -> Result<ActivityView> {
        let a = self.scoped_activity(actor, id).await?;
        let row = self.activity_rows(vec![a]).await?.pop().ok_or(StoreError::NotFound)?;
        let personal = actor.role.sees_personal_data();
        let registrations = activity_registration::Entity::find()
            .filter(activity_registration::Column::ActivityId.eq(id))
            .order_by_asc(activity_registration::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|mut r| {
                if !personal {
                    r.phone = mask_phone(&r.phone);
                }
                RegistrationRow { volunteer: r.volunteer_id.is_some(), r }
            })
            .collect();
        let photos = activity_photo::Entity::find()
            .filter(activity_photo::Column::ActivityId.eq(id))
            .order_by_asc(activity_photo::Column::Position)
            .all(&self.db)
            .await?;
        let service_minutes: Option<i64> = service_record::Entity::find()
            .select_only()
            .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
            .filter(service_record::Column::ActivityId.eq(id))
            .into_tuple()
            .one(&self.db)
            .await?
            .flatten();
        Ok(ActivityView { row, registrations, photos, service_minutes: service_minutes.unwrap_or(0) })
    }

    /// A published or held activity, as anyone may see it; a party-internal one is missing.
    pub async fn public_activity(&self, id: i64) -> Result<ActivityRow> {
        let a = activity::Entity::find_by_id(id)
            .filter(activity::Column::Status.is_in([Status::Published.code(), Status::Closed.code()]))
            .filter(public_kinds())
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.activity_rows(vec![a]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// A published or held activity's door, reached with its check-in key: party-internal
    /// activities too, since the key in its QR code is given only to those who attend.
    pub async fn door_activity(&self, id: i64, key: &str) -> Result<ActivityRow> {
        let a = activity::Entity::find_by_id(id)
            .filter(activity::Column::Status.is_in([Status::Published.code(), Status::Closed.code()]))
            .filter(activity::Column::CheckinKey.eq(key))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.activity_rows(vec![a]).await?.pop().ok_or(StoreError::NotFound)
    }

    /// Published activities that have not ended, soonest first, for the public list.
    pub async fn upcoming_activities(&self, limit: u64) -> Result<Vec<ActivityRow>> {
        let models = activity::Entity::find()
            .filter(activity::Column::Status.eq(Status::Published.code()))
            .filter(public_kinds())
            .filter(activity::Column::EndsAt.gte(now()))
            .order_by_asc(activity::Column::StartsAt)
            .limit(limit)
            .all(&self.db)
            .await?;
        self.activity_rows(models).await
    }

    /// Takes a seat: one conditional update, so a full activity refuses the next person
    /// however many arrive at once.
    async fn take_seat(txn: &DatabaseTransaction, a: &activity::Model) -> Result<()> {
        let done = activity::Entity::update_many()
            .col_expr(activity::Column::Registered, Expr::col(activity::Column::Registered).add(1))
            .filter(activity::Column::Id.eq(a.id))
            .filter(
                Condition::any()
                    .add(activity::Column::Capacity.is_null())
                    .add(Expr::col(activity::Column::Registered).lt(Expr::col(activity::Column::Capacity))),
            )
            .exec(txn)
            .await?;
        if done.rows_affected == 1 { Ok(()) } else { Err(Invalid::one("activity", "activity_full").into()) }
    }

    async fn insert_registration(
        &self,
        txn: &DatabaseTransaction,
        a: &activity::Model,
        who: &Registrant,
        source: &str,
        checked_in_at: Option<DateTime<Utc>>,
        consent: Option<&Consent>,
    ) -> Result<activity_registration::Model> {
        Self::take_seat(txn, a).await?;
        let verified =
            Condition::all().add(volunteer::Column::Status.eq(kexie_core::volunteer::Status::Verified.code()));
        let volunteer_id = crate::volunteer::volunteer_with_phone(txn, &who.phone, verified).await?;
        let am = activity_registration::ActiveModel {
            activity_id: Set(a.id),
            name: Set(who.name.clone()),
            phone: Set(who.phone.clone()),
            volunteer_id: Set(volunteer_id),
            ticket: Set(random_key()),
            source: Set(source.to_string()),
            registered_at: Set(now()),
            checked_in_at: Set(checked_in_at),
            checked_out_at: Set(None),
            checked_by: Set(checked_in_at.map(|_| DOOR.to_string())),
            consent_at: Set(consent.map(|c| c.at)),
            consent_version: Set(consent.map(|c| c.version.to_string())),
            ..Default::default()
        };
        match am.insert(txn).await {
            Ok(r) => Ok(r),
            Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Err(Invalid::one("phone", "already_registered").into())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Registers a person for a published activity (online, on a phone), with the consent
    /// they gave to the privacy notice. Their ticket is what staff scan at the door.
    pub async fn register_for_activity(
        &self,
        id: i64,
        who: &Registrant,
        consent: &Consent,
    ) -> Result<activity_registration::Model> {
        let a = self.public_activity(id).await?.a;
        if status_of(&a) != Status::Published || now() > a.ends_at {
            return Err(Invalid::one("activity", "registration_closed").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let taken = activity_registration::Entity::find()
            .filter(activity_registration::Column::ActivityId.eq(id))
            .filter(activity_registration::Column::Phone.eq(who.phone.as_str()))
            .one(&txn)
            .await?;
        if taken.is_some() {
            return Err(Invalid::one("phone", "already_registered").into());
        }
        let r = self.insert_registration(&txn, &a, who, "online", None, Some(consent)).await?;
        chain
            .record(&txn, &Actor::public(DOOR), "register", "activity_registration", Some(r.id), None::<&()>, Some(&r))
            .await?;
        self.commit(txn, chain).await?;
        Ok(r)
    }

    /// The ticket of the registration a phone made for a public activity, if any: what the
    /// person gets back once they prove they hold the phone.
    pub async fn ticket_of_phone(&self, id: i64, phone: &str) -> Result<Option<String>> {
        let a = self.public_activity(id).await?;
        Ok(activity_registration::Entity::find()
            .filter(activity_registration::Column::ActivityId.eq(a.a.id))
            .filter(activity_registration::Column::Phone.eq(phone))
            .select_only()
            .column(activity_registration::Column::Ticket)
            .into_tuple()
            .one(&self.db)
            .await?)
    }

    pub async fn registration_by_ticket(&self, ticket: &str) -> Result<(activity_registration::Model, ActivityRow)> {
        let r = activity_registration::Entity::find()
            .filter(activity_registration::Column::Ticket.eq(ticket))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let a = activity::Entity::find_by_id(r.activity_id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let row = self.activity_rows(vec![a]).await?.pop().ok_or(StoreError::NotFound)?;
        Ok((r, row))
    }

    /// A person at the door with their phone, having scanned the activity's code: checks in
    /// (registering them on the spot if they had not, while seats remain) or checks out.
    pub async fn door_by_phone(&self, id: i64, key: &str, who: &Registrant, action: DoorAction) -> Result<DoorResult> {
        let a = activity::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if a.checkin_key != key || status_of(&a) != Status::Published {
            return Err(refused("bad_checkin_code"));
        }
        match self.door_once(&a, who, action).await {
            // Two first check-ins of one phone at once: the loser's insert met the winner's
            // row; read again, and it is an ordinary second check-in.
            Err(StoreError::Invalid(e)) if e.for_field("phone").is_some_and(|f| f.code == "already_registered") => {
                self.door_once(&a, who, action).await
            }
            other => other,
        }
    }

    async fn door_once(&self, a: &activity::Model, who: &Registrant, action: DoorAction) -> Result<DoorResult> {
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let found = activity_registration::Entity::find()
            .filter(activity_registration::Column::ActivityId.eq(a.id))
            .filter(activity_registration::Column::Phone.eq(who.phone.as_str()))
            .one(&txn)
            .await?;
        let t = now();
        let result = match (found, action) {
            (None, DoorAction::In) => {
                window(a).check_in(Door::default(), t).map_err(refused)?;
                let r = self.insert_registration(&txn, a, who, "walk_in", Some(t), None).await?;
                chain
                    .record(
                        &txn,
                        &Actor::public(DOOR),
                        "check_in",
                        "activity_registration",
                        Some(r.id),
                        None::<&()>,
                        Some(&r),
                    )
                    .await?;
                DoorResult { registration_id: r.id, name: r.name, at: t, minutes: None }
            }
            (None, DoorAction::Out) => return Err(refused("not_checked_in")),
            (Some(r), action) => self.door_step(&txn, &mut chain, &Actor::public(DOOR), a, r, action, t).await?,
        };
        self.commit(txn, chain).await?;
        Ok(result)
    }

    /// Staff at the door scanning a person's own code.
    pub async fn door_by_ticket(&self, actor: &Actor, ticket: &str, action: DoorAction) -> Result<DoorResult> {
        if !actor.can(Area::Activity, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let r = activity_registration::Entity::find()
            .filter(activity_registration::Column::Ticket.eq(ticket))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let a = self.scoped_activity(actor, r.activity_id).await?;
        if status_of(&a) != Status::Published {
            return Err(refused("activity_not_open"));
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let result = self.door_step(&txn, &mut chain, actor, &a, r, action, now()).await?;
        self.commit(txn, chain).await?;
        Ok(result)
    }

    /// Moves one registration through the door. Each move is a conditional update on the
    /// state it was read in: two scans at once move it once, the other is told why not.
    #[allow(clippy::too_many_arguments)]
    async fn door_step(
        &self,
        txn: &DatabaseTransaction,
        chain: &mut audit::Chain,
        actor: &Actor,
        a: &activity::Model,
        r: activity_registration::Model,
        action: DoorAction,
        t: DateTime<Utc>,
    ) -> Result<DoorResult> {
        let door = Door { checked_in_at: r.checked_in_at, checked_out_at: r.checked_out_at };
        let by: String = actor.username.chars().take(50).collect();
        let q = activity_registration::Entity::update_many().filter(activity_registration::Column::Id.eq(r.id));
        let (q, verb, lost) = match action {
            DoorAction::In => {
                window(a).check_in(door, t).map_err(refused)?;
                let q = q
                    .col_expr(activity_registration::Column::CheckedInAt, Expr::value(t))
                    .filter(activity_registration::Column::CheckedInAt.is_null());
                (q, "check_in", "already_checked_in")
            }
            DoorAction::Out => {
                window(a).check_out(door, t).map_err(refused)?;
                let q = q
                    .col_expr(activity_registration::Column::CheckedOutAt, Expr::value(t))
                    .filter(activity_registration::Column::CheckedInAt.is_not_null())
                    .filter(activity_registration::Column::CheckedOutAt.is_null());
                (q, "check_out", "already_checked_out")
            }
        };
        let done = q.col_expr(activity_registration::Column::CheckedBy, Expr::value(by)).exec(txn).await?;
        if done.rows_affected != 1 {
            return Err(refused(lost));
        }
        let mut minutes = None;
        if let (DoorAction::Out, Some(v), Some(inside)) = (action, r.volunteer_id, r.checked_in_at)
            && a.volunteer_hours
        {
            minutes = self.record_attendance_hours(txn, a, &r, v, inside, t).await?;
        }
        let after = serde_json::json!({ "action": verb, "at": t, "minutes": minutes });
        chain.record(txn, actor, verb, "activity_registration", Some(r.id), Some(&r), Some(&after)).await?;
        Ok(DoorResult { registration_id: r.id, name: r.name, at: t, minutes })
    }

    /// The service record a volunteer's check-out earns, certified by the organiser. A day
    /// never adds up to more than 24 hours.
    async fn record_attendance_hours(
        &self,
        txn: &DatabaseTransaction,
        a: &activity::Model,
        r: &activity_registration::Model,
        volunteer_id: i64,
        inside: DateTime<Utc>,
        out: DateTime<Utc>,
    ) -> Result<Option<i32>> {
        let day = china_day(inside);
        let served = window(a).service_minutes(inside, out);
        let already = crate::volunteer::day_minutes(txn, volunteer_id, day).await?;
        let minutes = std::cmp::min(served, MAX_DAY_MINUTES - already);
        if minutes <= 0 {
            return Ok(None);
        }
        let organiser = org::Entity::find_by_id(a.organiser_org_id).one(txn).await?.map(|o| o.name).unwrap_or_default();
        let team_id = crate::volunteer::team_for_activity(txn, volunteer_id, a.organiser_org_id).await?;
        service_record::Entity::insert(service_record::ActiveModel {
            volunteer_id: Set(volunteer_id),
            team_id: Set(team_id),
            activity_id: Set(Some(a.id)),
            registration_id: Set(Some(r.id)),
            source: Set(ledger::Source::Checkin.code().to_string()),
            status: Set(ledger::Status::Approved.code().to_string()),
            served_on: Set(day),
            minutes: Set(minutes),
            service: Set(a.title.chars().take(100).collect()),
            place: Set(a.place.chars().take(100).collect()),
            training: Set(kind_of(a) == ActivityKind::Training),
            evaluation: Set(None),
            recorded_by: Set(DOOR.to_string()),
            recorder_org: Set(organiser.chars().take(100).collect()),
            certified_by: Set(Some(organiser.chars().take(100).collect())),
            decided_by: Set(None),
            decided_at: Set(Some(out)),
            decision_note: Set(None),
            created_at: Set(out),
            ..Default::default()
        })
        .exec_without_returning(txn)
        .await?;
        Ok(Some(minutes))
    }

    /// The year's figures by kind, town, month and theme (held and published activities).
    pub async fn activity_figures(&self, actor: &Actor, year: i32) -> Result<Figures> {
        let scope = self.activity_scope(actor).await?;
        let tree = self.regions().await?;
        let f = ActivityFilter { year: Some(year), ..Default::default() };
        let models = self
            .activity_query(scope, &f, &tree)
            .filter(activity::Column::Status.is_in([Status::Published.code(), Status::Closed.code()]))
            .all(&self.db)
            .await?;
        let rows = self.activity_rows(models).await?;
        let facts: Vec<Fact> = rows
            .into_iter()
            .map(|r| Fact {
                kind: r.kind,
                town: r.town,
                month: china_day(r.a.starts_at).month(),
                theme: r.a.theme.clone(),
                registered: i64::from(r.a.registered),
                attended: r.attended,
                extra_reach: i64::from(r.a.extra_reach),
            })
            .collect();
        Ok(tally(&facts))
    }

    /// Party-building activities of a year with the names of those who attended.
    pub async fn party_activities(&self, actor: &Actor, year: i32) -> Result<Vec<(ActivityRow, Vec<String>)>> {
        let f = ActivityFilter { year: Some(year), party: Some(true), ..Default::default() };
        let rows = self.list_activities(actor, &f, PageRequest { page: 1, per_page: 1000 }).await?.items;
        let ids: Vec<i64> = rows.iter().map(|r| r.a.id).collect();
        let mut names: HashMap<i64, Vec<String>> = HashMap::new();
        for (a, n) in activity_registration::Entity::find()
            .select_only()
            .column(activity_registration::Column::ActivityId)
            .column(activity_registration::Column::Name)
            .filter(activity_registration::Column::ActivityId.is_in(ids))
            .filter(activity_registration::Column::CheckedInAt.is_not_null())
            .order_by_asc(activity_registration::Column::Id)
            .into_tuple::<(i64, String)>()
            .all(&self.db)
            .await?
        {
            names.entry(a).or_default().push(n);
        }
        Ok(rows.into_iter().map(|r| (names.remove(&r.a.id).unwrap_or_default(), r)).map(|(n, r)| (r, n)).collect())
    }
}

fn step_name(s: Step) -> &'static str {
    match s {
        Step::Publish => "publish",
        Step::Close => "close",
        Step::Cancel => "cancel",
    }
}

/// Activities the public may see: every kind but the party-internal ones.
fn public_kinds() -> Condition {
    let codes: Vec<&str> = ActivityKind::ALL.iter().filter(|k| k.is_public()).map(|k| k.code()).collect();
    Condition::all().add(activity::Column::Kind.is_in(codes))
}
