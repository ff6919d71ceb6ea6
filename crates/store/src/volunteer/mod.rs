//! 志愿者 storage: registration (self, import, staff), verification, teams and their admins'
//! approvals, and the hours ledger with its totals, a team's year, the export for the
//! national platforms and the yearly exemplar ranking.
//!
//! Scope: the association sees every volunteer; a town officer those registered in their
//! town; a team admin those in (or asking to join) their teams; a volunteer themself.

pub(crate) mod demo;
pub mod duplicate;
pub mod order;
pub mod project;
pub mod shift;

use crate::entity::{account, commendation, org, person, service_record, team_member, volunteer};
use crate::{Result, Store, StoreError, audit, now};
use chrono::NaiveDate;
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area, Role};
use kexie_core::org::OrgKind;
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::{mask_id_number, mask_phone};
use kexie_core::privacy::Consent;
use kexie_core::roster::{ImportSummary, RowError, row_error};
use kexie_core::scope::Scope;
use kexie_core::volunteer::certificate::{self, Certificate};
use kexie_core::volunteer::ledger::{self, CommendationInput, HoursInput, Source};
use kexie_core::volunteer::{Joiner, Membership, Status, may_join, roster};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The minutes a volunteer's ledger holds for one day (pending and approved).
pub(crate) async fn day_minutes(db: &impl ConnectionTrait, volunteer_id: i64, day: NaiveDate) -> Result<i32> {
    let m: Option<i64> = service_record::Entity::find()
        .select_only()
        .column_as(crate::sum_i64(db.get_database_backend(), "minutes"), "m")
        .filter(service_record::Column::VolunteerId.eq(volunteer_id))
        .filter(service_record::Column::ServedOn.eq(day))
        .filter(service_record::Column::Status.ne(ledger::Status::Rejected.code()))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    Ok(m.unwrap_or(0) as i32)
}

/// The volunteer whose mobile this is, among those `among` admits.
pub(crate) async fn volunteer_with_phone(
    db: &impl ConnectionTrait,
    phone: &str,
    among: Condition,
) -> Result<Option<i64>> {
    let people: Vec<i64> = person::Entity::find()
        .select_only()
        .column(person::Column::Id)
        .filter(person::Column::Phone.eq(phone))
        .into_tuple()
        .all(db)
        .await?;
    if people.is_empty() {
        return Ok(None);
    }
    Ok(volunteer::Entity::find()
        .select_only()
        .column(volunteer::Column::Id)
        .filter(among)
        .filter(volunteer::Column::PersonId.is_in(people))
        .into_tuple()
        .one(db)
        .await?)
}

/// A volunteer's commendations, newest first.
async fn commendations_of(db: &impl ConnectionTrait, volunteer_id: i64) -> Result<Vec<commendation::Model>> {
    Ok(commendation::Entity::find()
        .filter(commendation::Column::VolunteerId.eq(volunteer_id))
        .order_by_desc(commendation::Column::AwardedOn)
        .all(db)
        .await?)
}

/// The team an activity's hours count for: the organiser when the volunteer is in it,
/// otherwise the first team they were approved in.
pub(crate) async fn team_for_activity(
    db: &impl ConnectionTrait,
    volunteer_id: i64,
    organiser: i64,
) -> Result<Option<i64>> {
    let teams: Vec<i64> = team_member::Entity::find()
        .select_only()
        .column(team_member::Column::TeamId)
        .filter(team_member::Column::VolunteerId.eq(volunteer_id))
        .filter(team_member::Column::Status.eq(Membership::Approved.code()))
        .order_by_asc(team_member::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    Ok(if teams.contains(&organiser) { Some(organiser) } else { teams.first().copied() })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct VolunteerFilter {
    #[serde(default)]
    pub q: String,
    pub status: Option<Status>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub town: Option<i64>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub team: Option<i64>,
    #[serde(default)]
    pub skill: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamPlace {
    pub member_id: i64,
    pub team_id: i64,
    pub team: String,
    pub status: Membership,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolunteerRow {
    pub v: volunteer::Model,
    pub status: Status,
    pub name: String,
    pub gender: Option<String>,
    pub phone: String,
    pub id_number: String,
    pub town: String,
    pub teams: Vec<TeamPlace>,
    /// Approved minutes in the ledger, all years.
    pub minutes: i64,
    pub stars: u8,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordRow {
    pub r: service_record::Model,
    pub source: Source,
    pub status: ledger::Status,
    pub volunteer: String,
    pub team: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolunteerView {
    pub row: VolunteerRow,
    pub records: Vec<RecordRow>,
    /// (year, approved minutes, records), newest first.
    pub years: Vec<(i32, i64, i64)>,
    pub commendations: Vec<commendation::Model>,
}

/// A volunteer's totals, as the benchmark and the certificate read them.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Totals {
    pub minutes: i64,
    pub records: i64,
    pub training_minutes: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamYearLine {
    pub volunteer_id: i64,
    pub name: String,
    pub minutes: i64,
    pub records: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamYear {
    pub team_id: i64,
    pub team: String,
    pub year: i32,
    pub lines: Vec<TeamYearLine>,
    pub minutes: i64,
    pub records: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub code: String,
    pub town: String,
    pub members: i64,
    pub pending: i64,
}

/// A line of the exemplar ranking: who, the year's approved hours and services, and the
/// activities behind them.
#[derive(Debug, Clone, Serialize)]
pub struct Exemplar {
    pub id: i64,
    pub name: String,
    pub minutes: i64,
    pub records: i64,
    pub activities: i64,
}

/// A line of the export for the national platforms, in `ledger::EXPORT_COLUMNS` order.
pub type ExportLine = [String; 12];

const LEDGER_PAGE: u64 = 200;

fn vstatus(v: &volunteer::Model) -> Status {
    Status::parse(&v.status).unwrap_or(Status::Pending)
}

impl Store {
    /// The volunteers a caller may see, as a condition; `None` means everyone.
    async fn volunteer_scope(&self, actor: &Actor) -> Result<Condition> {
        if actor.role == Role::Volunteer {
            return Ok(Condition::all().add(volunteer::Column::PersonId.eq(actor.person_id.unwrap_or(-1))));
        }
        if !actor.can(Area::Volunteer, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match &actor.scope {
            Scope::All => Condition::all(),
            Scope::Region { id, .. } => {
                let ids: Vec<i64> = self.regions().await?.subtree_ids(*id).into_iter().collect();
                Condition::all().add(volunteer::Column::RegionId.is_in(ids))
            }
            Scope::Org { .. } => {
                let teams = self.teams_of(actor).await?;
                let ids: Vec<i64> = team_member::Entity::find()
                    .select_only()
                    .column(team_member::Column::VolunteerId)
                    .filter(team_member::Column::TeamId.is_in(teams))
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                Condition::all().add(volunteer::Column::Id.is_in(ids))
            }
            Scope::Own { .. } => Condition::all().add(volunteer::Column::Id.eq(-1)),
        })
    }

    /// The teams a caller administers (an org admin: the teams in their organisation's
    /// subtree; staff: every team in their scope).
    pub async fn teams_of(&self, actor: &Actor) -> Result<Vec<i64>> {
        let teams = self.orgs_in_scope(actor, &[OrgKind::VolunteerTeam], false).await?;
        Ok(teams.into_iter().map(|(id, _)| id).collect())
    }

    async fn volunteer_rows(&self, actor: &Actor, models: Vec<volunteer::Model>) -> Result<Vec<VolunteerRow>> {
        let tree = self.regions().await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let people: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(models.iter().map(|m| m.person_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let places = team_member::Entity::find()
            .filter(team_member::Column::VolunteerId.is_in(ids.clone()))
            .order_by_asc(team_member::Column::Id)
            .all(&self.db)
            .await?;
        let minutes: HashMap<i64, i64> = service_record::Entity::find()
            .select_only()
            .column(service_record::Column::VolunteerId)
            .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
            .filter(service_record::Column::VolunteerId.is_in(ids))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()))
            .group_by(service_record::Column::VolunteerId)
            .into_tuple::<(i64, Option<i64>)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(v, m)| (v, m.unwrap_or(0)))
            .collect();
        let orgs = self.catalog.orgs();
        let personal = actor.role.sees_personal_data() || actor.role == Role::Volunteer;
        let mut teams: HashMap<i64, Vec<TeamPlace>> = HashMap::new();
        for p in places {
            teams.entry(p.volunteer_id).or_default().push(TeamPlace {
                member_id: p.id,
                team_id: p.team_id,
                team: orgs.get(p.team_id).map(|o| o.name.clone()).unwrap_or_default(),
                status: Membership::parse(&p.status).unwrap_or(Membership::Pending),
            });
        }
        Ok(models
            .into_iter()
            .map(|v| {
                let p = people.get(&v.person_id);
                let phone = p.and_then(|p| p.phone.clone()).unwrap_or_default();
                let id_number = p.and_then(|p| p.id_number.clone()).unwrap_or_default();
                let m = minutes.get(&v.id).copied().unwrap_or(0);
                VolunteerRow {
                    status: vstatus(&v),
                    name: p.map(|p| p.name.clone()).unwrap_or_default(),
                    gender: p.and_then(|p| p.gender.clone()),
                    phone: if personal { phone } else { mask_phone(&phone) },
                    id_number: if personal { id_number } else { mask_id_number(&id_number) },
                    town: crate::town_name(&tree, v.region_id),
                    teams: teams.remove(&v.id).unwrap_or_default(),
                    minutes: m,
                    stars: ledger::stars(m),
                    v,
                }
            })
            .collect())
    }

    async fn volunteer_query(&self, actor: &Actor, f: &VolunteerFilter) -> Result<sea_orm::Select<volunteer::Entity>> {
        let mut q = volunteer::Entity::find().filter(self.volunteer_scope(actor).await?);
        let text = f.q.trim();
        if !text.is_empty() {
            let mut c = Condition::any().add(person::Column::Name.contains(text));
            if actor.role.sees_personal_data() {
                c = c.add(person::Column::Phone.eq(text));
            }
            let people: Vec<i64> = person::Entity::find()
                .select_only()
                .column(person::Column::Id)
                .filter(c)
                .into_tuple()
                .all(&self.db)
                .await?;
            q = q.filter(volunteer::Column::PersonId.is_in(people));
        }
        if let Some(s) = f.status {
            q = q.filter(volunteer::Column::Status.eq(s.code()));
        }
        if let Some(t) = f.town {
            let ids: Vec<i64> = self.regions().await?.subtree_ids(t).into_iter().collect();
            q = q.filter(volunteer::Column::RegionId.is_in(ids));
        }
        if let Some(team) = f.team {
            let ids: Vec<i64> = team_member::Entity::find()
                .select_only()
                .column(team_member::Column::VolunteerId)
                .filter(team_member::Column::TeamId.eq(team))
                .filter(team_member::Column::Status.eq(Membership::Approved.code()))
                .into_tuple()
                .all(&self.db)
                .await?;
            q = q.filter(volunteer::Column::Id.is_in(ids));
        }
        if !f.skill.trim().is_empty() {
            q = q.filter(volunteer::Column::Skills.contains(f.skill.trim()));
        }
        Ok(q)
    }

    pub async fn list_volunteers(
        &self,
        actor: &Actor,
        f: &VolunteerFilter,
        page: PageRequest,
    ) -> Result<Page<VolunteerRow>> {
        let q = self.volunteer_query(actor, f).await?;
        let total = q.clone().count(&self.db).await?;
        let models =
            q.order_by_desc(volunteer::Column::Id).offset(page.offset()).limit(page.per_page).all(&self.db).await?;
        let items = self.volunteer_rows(actor, models).await?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    async fn scoped_volunteer(&self, actor: &Actor, id: i64) -> Result<volunteer::Model> {
        let scope = self.volunteer_scope(actor).await?;
        volunteer::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// The volunteer behind the signed-in person.
    pub(crate) async fn own_volunteer(&self, actor: &Actor) -> Result<volunteer::Model> {
        let pid = actor.person_id.ok_or(StoreError::NotFound)?;
        volunteer::Entity::find()
            .filter(volunteer::Column::PersonId.eq(pid))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The volunteer record of the logged-in volunteer.
    pub async fn my_volunteer(&self, actor: &Actor) -> Result<VolunteerView> {
        let v = self.own_volunteer(actor).await?;
        self.volunteer_view(actor, v).await
    }

    pub async fn get_volunteer(&self, actor: &Actor, id: i64) -> Result<VolunteerView> {
        let v = self.scoped_volunteer(actor, id).await?;
        self.volunteer_view(actor, v).await
    }

    async fn volunteer_view(&self, actor: &Actor, v: volunteer::Model) -> Result<VolunteerView> {
        let id = v.id;
        let row = self.volunteer_rows(actor, vec![v]).await?.pop().ok_or(StoreError::NotFound)?;
        let models = service_record::Entity::find()
            .filter(service_record::Column::VolunteerId.eq(id))
            .order_by_desc(service_record::Column::ServedOn)
            .order_by_desc(service_record::Column::Id)
            .limit(LEDGER_PAGE)
            .all(&self.db)
            .await?;
        let records = self.record_rows(models).await?;
        // One row a year, summed by the database along the (volunteer, day) index.
        let years: Vec<(i32, Option<i64>, i64)> = service_record::Entity::find()
            .select_only()
            .column_as(crate::year_i32(self.backend(), "served_on"), "y")
            .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
            .column_as(service_record::Column::Id.count(), "n")
            .filter(service_record::Column::VolunteerId.eq(id))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()))
            .group_by(Expr::cust("1"))
            .order_by_desc(Expr::cust("1"))
            .into_tuple()
            .all(&self.db)
            .await?;
        let years = years.into_iter().map(|(y, m, n)| (y, m.unwrap_or(0), n)).collect();
        let commendations = commendations_of(&self.db, id).await?;
        Ok(VolunteerView { row, records, years, commendations })
    }

    async fn record_rows(&self, models: Vec<service_record::Model>) -> Result<Vec<RecordRow>> {
        let vids: Vec<i64> = models.iter().map(|r| r.volunteer_id).collect();
        let names = self.volunteer_names(vids).await?;
        let orgs = self.catalog.orgs();
        Ok(models
            .into_iter()
            .map(|r| RecordRow {
                source: Source::parse(&r.source).unwrap_or(Source::Staff),
                status: ledger::Status::parse(&r.status).unwrap_or(ledger::Status::Pending),
                volunteer: names.get(&r.volunteer_id).cloned().unwrap_or_default(),
                team: r.team_id.and_then(|t| orgs.get(t)).map(|o| o.name.clone()).unwrap_or_default(),
                r,
            })
            .collect())
    }

    /// The certificate of service of a volunteer in the caller's view (a volunteer: their
    /// own), from every approved line of the ledger.
    pub async fn certificate(&self, actor: &Actor, volunteer_id: i64, issuer: &str) -> Result<Certificate> {
        let view = self.get_volunteer(actor, volunteer_id).await?;
        let records = service_record::Entity::find()
            .filter(service_record::Column::VolunteerId.eq(volunteer_id))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()))
            .order_by_asc(service_record::Column::ServedOn)
            .limit(5000)
            .all(&self.db)
            .await?;
        let lines = records
            .into_iter()
            .map(|r| {
                let line = certificate::Line {
                    served_on: r.served_on,
                    service: r.service,
                    place: r.place,
                    hours: ledger::hours_text(i64::from(r.minutes)),
                    certified_by: r.certified_by.unwrap_or(r.recorder_org),
                };
                (line, r.minutes, r.training)
            })
            .collect();
        let teams =
            view.row.teams.iter().filter(|t| t.status == Membership::Approved).map(|t| t.team.clone()).collect();
        let today = kexie_core::estation::proof::day_of(now());
        // The certificate always masks the ID number, whoever prints it.
        let id_number = mask_id_number(
            &person::Entity::find_by_id(view.row.v.person_id)
                .one(&self.db)
                .await?
                .and_then(|p| p.id_number)
                .unwrap_or_default(),
        );
        let mut c = certificate::build(volunteer_id, &view.row.name, &id_number, teams, lines, issuer, today);
        c.honours = view
            .commendations
            .into_iter()
            .map(|h| certificate::Honour { awarded_on: h.awarded_on, title: h.title, awarded_by: h.awarded_by })
            .collect();
        Ok(c)
    }

    /// What a volunteer's ledger holds for one day, for the hours form's check.
    pub async fn volunteer_day_minutes(&self, volunteer_id: i64, day: NaiveDate) -> Result<i32> {
        day_minutes(&self.db, volunteer_id, day).await
    }

    /// Active volunteer teams, for the sign-up form.
    pub async fn team_choices(&self) -> Result<Vec<(i64, String)>> {
        self.regions().await?;
        let mut out = Vec::new();
        let q = kexie_core::org::index::OrgQuery {
            kind: Some(OrgKind::VolunteerTeam),
            status: Some(kexie_core::org::OrgStatus::Active),
            ..Default::default()
        };
        self.catalog.orgs().scan(&q, |e| out.push((e.id, e.name.clone())));
        Ok(out)
    }

    /// The volunteer in the caller's scope with this mobile number.
    pub async fn find_volunteer_by_phone(&self, actor: &Actor, phone: &str) -> Result<i64> {
        volunteer_with_phone(&self.db, phone.trim(), self.volunteer_scope(actor).await?)
            .await?
            .ok_or_else(|| Invalid::one("phone", "unknown_volunteer").into())
    }

    /// Volunteers' names by volunteer id.
    async fn volunteer_names(&self, ids: Vec<i64>) -> Result<HashMap<i64, String>> {
        Ok(self.volunteer_people(ids).await?.into_iter().map(|(v, (name, _))| (v, name)).collect())
    }

    /// Volunteers' names and mobiles by volunteer id.
    pub(crate) async fn volunteer_people(&self, ids: Vec<i64>) -> Result<HashMap<i64, (String, String)>> {
        let persons: Vec<(i64, i64)> = volunteer::Entity::find()
            .select_only()
            .column(volunteer::Column::Id)
            .column(volunteer::Column::PersonId)
            .filter(volunteer::Column::Id.is_in(ids))
            .into_tuple()
            .all(&self.db)
            .await?;
        let people: HashMap<i64, (String, String)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::Name)
            .column(person::Column::Phone)
            .filter(person::Column::Id.is_in(persons.iter().map(|p| p.1)))
            .into_tuple::<(i64, String, Option<String>)>()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|(id, name, phone)| (id, (name, phone.unwrap_or_default())))
            .collect();
        Ok(persons.into_iter().filter_map(|(v, p)| people.get(&p).map(|n| (v, n.clone()))).collect())
    }

    /// A volunteer signs up on their phone: person, volunteer (to be verified), their account
    /// (the phone is the user name) and the team they asked to join, in one transaction.
    ///
    /// A public form proves nothing about who fills it in, so the sign-up always makes its own
    /// person record: an ID number or phone already on file only names that person as a possible
    /// duplicate for staff to merge or dismiss (`resolve_duplicate`), and the answer is the same
    /// whether or not it is on file. Only the user name (the phone) must be free. The consent
    /// the person gave to the privacy notice is kept on the volunteer.
    pub async fn join_as_volunteer(&self, j: &Joiner, password_hash: &str, consent: &Consent) -> Result<i64> {
        let tree = self.regions().await?;
        let mut e = Invalid::default();
        if tree.get(j.region_id).is_none() {
            e.push("region_id", "unknown_region");
        }
        if let Some(t) = j.team_id
            && self.catalog.orgs().get(t).is_none_or(|o| o.kind != OrgKind::VolunteerTeam)
        {
            e.push("team_id", "unknown_team");
        }
        e.into_result(()).map_err(StoreError::Invalid)?;
        let actor = Actor::public("志愿者注册（公开页面）");
        let (txn, mut chain) = audit::begin(&self.db).await?;
        // Read after the audit head is taken: writers are serialised, so nobody takes the
        // user name or the ID number between this read and the insert.
        if account::Entity::find().filter(account::Column::Username.eq(j.phone.as_str())).one(&txn).await?.is_some() {
            return Err(Invalid::one("phone", "username_taken").into());
        }
        let by_id_number =
            person::Entity::find().filter(person::Column::IdNumber.eq(j.id_number.as_str())).one(&txn).await?;
        let by_phone = match &by_id_number {
            Some(_) => None,
            None => person::Entity::find().filter(person::Column::Phone.eq(j.phone.as_str())).one(&txn).await?,
        };
        // The ID number is unique on file: the sign-up's own record goes without it until merged.
        let id_number = by_id_number.is_none().then_some(j.id_number.as_str());
        let duplicate_of = by_id_number.or(by_phone).map(|p| p.id);
        let person_id = person_of(&txn, &mut chain, &actor, "join", None, j, id_number).await?;
        let acc = crate::account::insert_account(
            &txn,
            &crate::account::NewAccount {
                username: j.phone.clone(),
                person_id: Some(person_id),
                role: Role::Volunteer,
                scope_region_id: None,
                scope_org_id: None,
                disabled: false,
            },
            password_hash,
        )
        .await?;
        chain
            .record(&txn, &actor, "join", "account", Some(acc.id), None::<&()>, Some(&crate::account::redact(&acc)))
            .await?;
        let v = self
            .insert_volunteer(
                &txn,
                person_id,
                j.region_id,
                &j.skills,
                &j.availability,
                "self",
                Some(acc.id),
                Status::Pending,
                duplicate_of,
                Some(consent),
            )
            .await?;
        chain.record(&txn, &actor, "join", "volunteer", Some(v.id), None::<&()>, Some(&v)).await?;
        if let Some(team) = j.team_id {
            let m = insert_member(&txn, v.id, team, Membership::Pending, None).await?;
            chain.record(&txn, &actor, "request", "team_member", Some(m.id), None::<&()>, Some(&m)).await?;
        }
        self.commit(txn, chain).await?;
        Ok(v.id)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_volunteer(
        &self,
        txn: &DatabaseTransaction,
        person_id: i64,
        region_id: i64,
        skills: &str,
        availability: &str,
        source: &str,
        account_id: Option<i64>,
        status: Status,
        duplicate_of: Option<i64>,
        consent: Option<&Consent>,
    ) -> Result<volunteer::Model> {
        let t = now();
        Ok(volunteer::ActiveModel {
            person_id: Set(person_id),
            region_id: Set(region_id),
            status: Set(status.code().to_string()),
            skills: Set(skills.to_string()),
            availability: Set(availability.to_string()),
            source: Set(source.to_string()),
            account_id: Set(account_id),
            verified_at: Set(None),
            verified_by: Set(None),
            duplicate_of: Set(duplicate_of),
            created_at: Set(t),
            updated_at: Set(t),
            consent_at: Set(consent.map(|c| c.at)),
            consent_version: Set(consent.map(|c| c.version.to_string())),
            ..Default::default()
        }
        .insert(txn)
        .await?)
    }

    /// Verifies, suspends or reinstates a volunteer.
    pub async fn set_volunteer_status(&self, actor: &Actor, id: i64, to: Status) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Review) || actor.role == Role::OrgAdmin {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_volunteer(actor, id).await?;
        if vstatus(&before) == to {
            return Ok(());
        }
        let mut am: volunteer::ActiveModel = before.clone().into();
        am.status = Set(to.code().to_string());
        if to == Status::Verified {
            am.verified_at = Set(Some(now()));
            am.verified_by = Set(Some(actor.username.chars().take(50).collect()));
        }
        am.updated_at = Set(now());
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, to.code(), "volunteer", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// A volunteer edits their skills and availability (or staff do for them).
    pub async fn set_volunteer_profile(&self, actor: &Actor, id: i64, skills: &str, availability: &str) -> Result<()> {
        // A volunteer edits their own (their scope is themself); staff those in their scope.
        if actor.role != Role::Volunteer && !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_volunteer(actor, id).await?;
        let mut am: volunteer::ActiveModel = before.clone().into();
        am.skills = Set(skills.to_string());
        am.availability = Set(availability.to_string());
        am.updated_at = Set(now());
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "profile", "volunteer", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// The teams in the caller's view: every team for a volunteer choosing one, those in scope
    /// for staff.
    async fn teams_in_view(&self, actor: &Actor) -> Result<Vec<i64>> {
        match actor.role {
            Role::Volunteer => self.teams_of(&Actor { scope: Scope::All, ..actor.clone() }).await,
            _ if actor.can(Area::Volunteer, Action::View) => self.teams_of(actor).await,
            _ => Err(StoreError::NotFound),
        }
    }

    /// Names of the teams in the caller's view, for filters and labels (no counting).
    pub async fn team_names(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        let ids = self.teams_in_view(actor).await?;
        let orgs = self.catalog.orgs();
        Ok(ids.into_iter().filter_map(|id| orgs.get(id).map(|o| (o.id, o.name.clone()))).collect())
    }

    /// Teams in the caller's view with their members and pending requests.
    pub async fn list_teams(&self, actor: &Actor) -> Result<Vec<TeamRow>> {
        let ids = self.teams_in_view(actor).await?;
        let counts: Vec<(i64, String, i64)> = team_member::Entity::find()
            .select_only()
            .column(team_member::Column::TeamId)
            .column(team_member::Column::Status)
            .column_as(team_member::Column::Id.count(), "n")
            .filter(team_member::Column::TeamId.is_in(ids.clone()))
            .group_by(team_member::Column::TeamId)
            .group_by(team_member::Column::Status)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut by: HashMap<i64, (i64, i64)> = HashMap::new();
        for (t, s, n) in counts {
            let e = by.entry(t).or_default();
            match Membership::parse(&s) {
                Some(Membership::Approved) => e.0 += n,
                Some(Membership::Pending) => e.1 += n,
                _ => {}
            }
        }
        let tree = self.regions().await?;
        let orgs = self.catalog.orgs();
        let mut rows: Vec<TeamRow> = ids
            .into_iter()
            .filter_map(|id| orgs.get(id))
            .map(|o| TeamRow {
                id: o.id,
                name: o.name.clone(),
                code: o.code.clone(),
                town: crate::town_name(&tree, o.region_id),
                members: by.get(&o.id).map(|c| c.0).unwrap_or(0),
                pending: by.get(&o.id).map(|c| c.1).unwrap_or(0),
            })
            .collect();
        rows.sort_by(|a, b| b.members.cmp(&a.members).then(a.code.cmp(&b.code)));
        Ok(rows)
    }

    /// A volunteer asks to join a team (at most five at a time, pending or approved).
    pub async fn request_team(&self, actor: &Actor, team_id: i64) -> Result<()> {
        let me = self.my_volunteer(actor).await?;
        if self.catalog.orgs().get(team_id).is_none_or(|o| o.kind != OrgKind::VolunteerTeam) {
            return Err(Invalid::one("team_id", "unknown_team").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let places =
            team_member::Entity::find().filter(team_member::Column::VolunteerId.eq(me.row.v.id)).all(&txn).await?;
        let holding = places.iter().filter(|p| Membership::parse(&p.status).is_some_and(|s| s.holds_a_place()));
        let already = places.iter().find(|p| p.team_id == team_id);
        may_join(
            holding.count(),
            already.is_some_and(|p| Membership::parse(&p.status).is_some_and(|s| s.holds_a_place())),
        )
        .map_err(|c| StoreError::Invalid(Invalid::one("team_id", c)))?;
        let m = match already {
            // Asking again after leaving or a refusal reopens the same place.
            Some(p) => {
                let mut am: team_member::ActiveModel = p.clone().into();
                am.status = Set(Membership::Pending.code().to_string());
                am.requested_at = Set(now());
                am.decided_at = Set(None);
                am.decided_by = Set(None);
                am.update(&txn).await?
            }
            None => insert_member(&txn, me.row.v.id, team_id, Membership::Pending, None).await?,
        };
        chain.record(&txn, actor, "request", "team_member", Some(m.id), None::<&()>, Some(&m)).await?;
        self.commit(txn, chain).await
    }

    /// A volunteer leaves a team; the ledger keeps what they served with it.
    pub async fn leave_team(&self, actor: &Actor, member_id: i64) -> Result<()> {
        let me = self.my_volunteer(actor).await?;
        let before = team_member::Entity::find_by_id(member_id)
            .filter(team_member::Column::VolunteerId.eq(me.row.v.id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut am: team_member::ActiveModel = before.clone().into();
        am.status = Set(Membership::Left.code().to_string());
        am.decided_at = Set(Some(now()));
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "leave", "team_member", Some(member_id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// The team's admin (or staff over the team) approves or refuses a request to join.
    pub async fn decide_member(&self, actor: &Actor, member_id: i64, approve: bool) -> Result<()> {
        if !actor.can(Area::Volunteer, Action::Review) {
            return Err(StoreError::NotFound);
        }
        let teams = self.teams_of(actor).await?;
        let before = team_member::Entity::find_by_id(member_id)
            .filter(team_member::Column::TeamId.is_in(teams))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        if Membership::parse(&before.status) != Some(Membership::Pending) {
            return Err(Invalid::one("status", "not_pending").into());
        }
        let to = if approve { Membership::Approved } else { Membership::Rejected };
        let mut am: team_member::ActiveModel = before.clone().into();
        am.status = Set(to.code().to_string());
        am.decided_at = Set(Some(now()));
        am.decided_by = Set(Some(actor.username.chars().take(50).collect()));
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, to.code(), "team_member", Some(member_id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// Requests waiting for the caller's decision.
    pub async fn pending_members(&self, actor: &Actor) -> Result<Vec<(team_member::Model, VolunteerRow)>> {
        if !actor.can(Area::Volunteer, Action::Review) {
            return Err(StoreError::NotFound);
        }
        let teams = self.teams_of(actor).await?;
        let pending = team_member::Entity::find()
            .filter(team_member::Column::TeamId.is_in(teams))
            .filter(team_member::Column::Status.eq(Membership::Pending.code()))
            .order_by_asc(team_member::Column::RequestedAt)
            .limit(500)
            .all(&self.db)
            .await?;
        let vs = volunteer::Entity::find()
            .filter(volunteer::Column::Id.is_in(pending.iter().map(|p| p.volunteer_id)))
            .all(&self.db)
            .await?;
        let mut rows: HashMap<i64, VolunteerRow> =
            self.volunteer_rows(actor, vs).await?.into_iter().map(|r| (r.v.id, r)).collect();
        Ok(pending.into_iter().filter_map(|p| rows.remove(&p.volunteer_id).map(|r| (p, r))).collect())
    }

    /// Hours a volunteer logs for themself: pending until approved.
    pub async fn log_own_hours(&self, actor: &Actor, h: &HoursInput) -> Result<i64> {
        let me = self.my_volunteer(actor).await?;
        if me.row.status != Status::Verified {
            return Err(Invalid::one("volunteer", "volunteer_not_verified").into());
        }
        self.insert_record(actor, me.row.v.id, h, Source::SelfLogged, ledger::Status::Pending).await
    }

    /// Hours staff (or a team admin) enter for a volunteer: approved as entered.
    pub async fn enter_hours(&self, actor: &Actor, volunteer_id: i64, h: &HoursInput) -> Result<i64> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let v = self.scoped_volunteer(actor, volunteer_id).await?;
        self.insert_record(actor, v.id, h, Source::Staff, ledger::Status::Approved).await
    }

    /// Staff record a commendation (表彰奖励) a volunteer in their scope received.
    pub async fn add_commendation(&self, actor: &Actor, volunteer_id: i64, c: &CommendationInput) -> Result<i64> {
        if !actor.can(Area::Volunteer, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let v = self.scoped_volunteer(actor, volunteer_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = commendation::ActiveModel {
            volunteer_id: Set(v.id),
            title: Set(c.title.clone()),
            awarded_by: Set(c.awarded_by.clone()),
            awarded_on: Set(c.awarded_on),
            recorded_by: Set(actor.username.chars().take(50).collect()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "commendation", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    async fn insert_record(
        &self,
        actor: &Actor,
        volunteer_id: i64,
        h: &HoursInput,
        source: Source,
        status: ledger::Status,
    ) -> Result<i64> {
        if let Some(t) = h.team_id {
            let mut refs = self.refs(actor).await?;
            // A volunteer books hours to a team they serve with; staff to a team in their scope.
            if source == Source::SelfLogged {
                let member = team_member::Entity::find()
                    .filter(team_member::Column::VolunteerId.eq(volunteer_id))
                    .filter(team_member::Column::TeamId.eq(t))
                    .filter(team_member::Column::Status.eq(Membership::Approved.code()))
                    .count(&self.db)
                    .await?;
                if member == 0 {
                    refs.refuse("team_id");
                }
            } else {
                refs.org("team_id", t, &[OrgKind::VolunteerTeam]);
            }
            refs.finish()?;
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        // Read inside the transaction: two logs for one day cannot both pass the 24-hour check.
        let already = day_minutes(&txn, volunteer_id, h.served_on).await?;
        if already + h.minutes > ledger::MAX_DAY_MINUTES {
            let left = ledger::hours_text(i64::from(ledger::MAX_DAY_MINUTES - already).max(0));
            let mut e = Invalid::default();
            e.push_arg("hours", "over_24h_day", left);
            return Err(e.into());
        }
        let recorder_org = match actor.scope {
            Scope::Org { id, .. } => self.catalog.orgs().get(id).map(|o| o.name.clone()),
            _ => None,
        };
        let t = now();
        let approved = status == ledger::Status::Approved;
        let r = service_record::ActiveModel {
            volunteer_id: Set(volunteer_id),
            team_id: Set(h.team_id),
            activity_id: Set(None),
            registration_id: Set(None),
            source: Set(source.code().to_string()),
            status: Set(status.code().to_string()),
            served_on: Set(h.served_on),
            minutes: Set(h.minutes),
            service: Set(h.service.clone()),
            place: Set(h.place.clone()),
            training: Set(h.training),
            evaluation: Set(h.evaluation.clone()),
            recorded_by: Set(actor.username.chars().take(50).collect()),
            recorder_org: Set(recorder_org.unwrap_or_else(|| "通州区科协".to_string()).chars().take(100).collect()),
            certified_by: Set(approved.then(|| actor.username.chars().take(100).collect())),
            decided_by: Set(approved.then(|| actor.username.chars().take(50).collect())),
            decided_at: Set(approved.then_some(t)),
            decision_note: Set(None),
            created_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, source.code(), "service_record", Some(r.id), None::<&()>, Some(&r)).await?;
        self.commit(txn, chain).await?;
        Ok(r.id)
    }

    /// Self-logged hours waiting for a decision in the caller's scope.
    pub async fn pending_hours(&self, actor: &Actor) -> Result<Vec<RecordRow>> {
        let q = self.record_scope(actor).await?;
        let models = q
            .filter(service_record::Column::Status.eq(ledger::Status::Pending.code()))
            .order_by_asc(service_record::Column::CreatedAt)
            .limit(500)
            .all(&self.db)
            .await?;
        self.record_rows(models).await
    }

    /// Ledger lines the caller may decide on: staff by the volunteer's region, a team admin
    /// those served with their teams.
    async fn record_scope(&self, actor: &Actor) -> Result<sea_orm::Select<service_record::Entity>> {
        if !actor.can(Area::Volunteer, Action::Review) {
            return Err(StoreError::NotFound);
        }
        let q = service_record::Entity::find();
        Ok(match &actor.scope {
            Scope::All => q,
            Scope::Org { .. } => q.filter(service_record::Column::TeamId.is_in(self.teams_of(actor).await?)),
            _ => {
                let ids: Vec<i64> = volunteer::Entity::find()
                    .select_only()
                    .column(volunteer::Column::Id)
                    .filter(self.volunteer_scope(actor).await?)
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                q.filter(service_record::Column::VolunteerId.is_in(ids))
            }
        })
    }

    /// Approves (certifies) or rejects a self-logged record.
    pub async fn decide_hours(&self, actor: &Actor, id: i64, approve: bool, note: Option<String>) -> Result<()> {
        let before = self.record_scope(actor).await?.filter(service_record::Column::Id.eq(id)).one(&self.db).await?;
        let before = before.ok_or(StoreError::NotFound)?;
        if !approve && note.as_deref().is_none_or(str::is_empty) {
            return Err(Invalid::one("note", "required").into());
        }
        let to = if approve { ledger::Status::Approved } else { ledger::Status::Rejected };
        let by: String = actor.username.chars().take(50).collect();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut q = service_record::Entity::update_many()
            .col_expr(service_record::Column::Status, Expr::value(to.code()))
            .col_expr(service_record::Column::DecidedBy, Expr::value(by.clone()))
            .col_expr(service_record::Column::DecidedAt, Expr::value(now()))
            .col_expr(service_record::Column::DecisionNote, Expr::value(note.clone()));
        if approve {
            q = q.col_expr(service_record::Column::CertifiedBy, Expr::value(by));
        }
        let done = q
            .filter(service_record::Column::Id.eq(id))
            .filter(service_record::Column::Status.eq(ledger::Status::Pending.code()))
            .exec(&txn)
            .await?;
        if done.rows_affected != 1 {
            return Err(Invalid::one("status", "not_pending").into());
        }
        let after = serde_json::json!({ "status": to.code(), "note": note });
        chain.record(&txn, actor, to.code(), "service_record", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await
    }

    /// A volunteer's approved totals (all years): one indexed aggregate.
    pub async fn volunteer_totals(&self, volunteer_id: i64) -> Result<Totals> {
        let row: Option<(Option<i64>, i64, Option<i64>)> = service_record::Entity::find()
            .select_only()
            .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
            .column_as(service_record::Column::Id.count(), "n")
            .column_as(crate::sum_i64(self.backend(), "CASE WHEN training THEN minutes ELSE 0 END"), "t")
            .filter(service_record::Column::VolunteerId.eq(volunteer_id))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()))
            .into_tuple()
            .one(&self.db)
            .await?;
        let (m, n, t) = row.unwrap_or_default();
        Ok(Totals { minutes: m.unwrap_or(0), records: n, training_minutes: t.unwrap_or(0) })
    }

    /// A team's year: approved hours served with the team, by volunteer.
    pub async fn team_year(&self, actor: &Actor, team_id: i64, year: i32) -> Result<TeamYear> {
        if !self.openable_teams(actor, &[team_id]).await?.contains(&team_id) {
            return Err(StoreError::NotFound);
        }
        self.team_year_report(team_id, year).await
    }

    /// Which of these teams' pages the actor may open: the one rule of `team_year`, which
    /// pages also ask before they link a team.
    pub async fn openable_teams(&self, actor: &Actor, ids: &[i64]) -> Result<HashSet<i64>> {
        if actor.role == Role::SystemAdmin {
            return Ok(ids.iter().copied().collect());
        }
        let mine: HashSet<i64> = self.teams_of(actor).await?.into_iter().collect();
        Ok(ids.iter().copied().filter(|id| mine.contains(id)).collect())
    }

    /// The report itself, without the scope check (the benchmark calls it directly).
    pub async fn team_year_report(&self, team_id: i64, year: i32) -> Result<TeamYear> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
        let to = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(StoreError::NotFound)?;
        let sums: Vec<(i64, Option<i64>, i64)> = service_record::Entity::find()
            .select_only()
            .column(service_record::Column::VolunteerId)
            .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
            // COUNT(*), not COUNT(id): PostgreSQL then answers from the covering index alone.
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(service_record::Column::TeamId.eq(team_id))
            .filter(service_record::Column::ServedOn.gte(from))
            .filter(service_record::Column::ServedOn.lt(to))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()))
            .group_by(service_record::Column::VolunteerId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let names = self.volunteer_names(sums.iter().map(|s| s.0).collect()).await?;
        let mut lines: Vec<TeamYearLine> = sums
            .into_iter()
            .map(|(v, m, n)| TeamYearLine {
                volunteer_id: v,
                name: names.get(&v).cloned().unwrap_or_default(),
                minutes: m.unwrap_or(0),
                records: n,
            })
            .collect();
        lines.sort_by(|a, b| b.minutes.cmp(&a.minutes).then(a.volunteer_id.cmp(&b.volunteer_id)));
        let team = org::Entity::find_by_id(team_id).one(&self.db).await?.map(|o| o.name).unwrap_or_default();
        Ok(TeamYear {
            team_id,
            team,
            year,
            minutes: lines.iter().map(|l| l.minutes).sum(),
            records: lines.iter().map(|l| l.records).sum(),
            lines,
        })
    }

    /// The year's exemplar ranking: volunteers and teams by approved hours in the caller's
    /// scope, with how many services and activities stand behind them.
    pub async fn exemplars(&self, actor: &Actor, year: i32, limit: u64) -> Result<(Vec<Exemplar>, Vec<Exemplar>)> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
        let to = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(StoreError::NotFound)?;
        let base = self
            .record_scope(actor)
            .await?
            .select_only()
            .filter(service_record::Column::ServedOn.gte(from))
            .filter(service_record::Column::ServedOn.lt(to))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()));
        let sums = |col: service_record::Column| {
            base.clone()
                .column(col)
                .column_as(crate::sum_i64(self.backend(), "minutes"), "m")
                .column_as(service_record::Column::Id.count(), "n")
                .column_as(service_record::Column::ActivityId.count(), "a")
                .filter(col.is_not_null())
                .group_by(col)
                .order_by_desc(crate::sum_i64(self.backend(), "minutes"))
                .limit(limit)
        };
        let people: Vec<(i64, Option<i64>, i64, i64)> =
            sums(service_record::Column::VolunteerId).into_tuple().all(&self.db).await?;
        let teams: Vec<(i64, Option<i64>, i64, i64)> =
            sums(service_record::Column::TeamId).into_tuple().all(&self.db).await?;
        let names = self.volunteer_names(people.iter().map(|p| p.0).collect()).await?;
        let orgs = self.catalog.orgs();
        let line = |(id, m, n, a): (i64, Option<i64>, i64, i64), name: String| Exemplar {
            id,
            name,
            minutes: m.unwrap_or(0),
            records: n,
            activities: a,
        };
        let people = people.into_iter().map(|p| line(p, names.get(&p.0).cloned().unwrap_or_default())).collect();
        let teams =
            teams.into_iter().map(|t| line(t, orgs.get(t.0).map(|o| o.name.clone()).unwrap_or_default())).collect();
        Ok((people, teams))
    }

    /// Approved records of a year in the national platforms' layout. ID numbers go out in
    /// full only to roles that see personal data (the platform needs them).
    pub async fn ledger_export(&self, actor: &Actor, year: i32, team: Option<i64>) -> Result<Vec<ExportLine>> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(StoreError::NotFound)?;
        let to = NaiveDate::from_ymd_opt(year + 1, 1, 1).ok_or(StoreError::NotFound)?;
        let mut q = self
            .record_scope(actor)
            .await?
            .filter(service_record::Column::ServedOn.gte(from))
            .filter(service_record::Column::ServedOn.lt(to))
            .filter(service_record::Column::Status.eq(ledger::Status::Approved.code()));
        if let Some(t) = team {
            q = q.filter(service_record::Column::TeamId.eq(t));
        }
        let records = q.order_by_asc(service_record::Column::ServedOn).limit(100_000).all(&self.db).await?;
        let vids: Vec<i64> = records.iter().map(|r| r.volunteer_id).collect();
        let persons: HashMap<i64, i64> = volunteer::Entity::find()
            .select_only()
            .column(volunteer::Column::Id)
            .column(volunteer::Column::PersonId)
            .filter(volunteer::Column::Id.is_in(vids))
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let people: HashMap<i64, person::Model> = person::Entity::find()
            .filter(person::Column::Id.is_in(persons.values().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let personal = actor.role.sees_personal_data();
        let orgs = self.catalog.orgs();
        Ok(records
            .into_iter()
            .map(|r| {
                let p = persons.get(&r.volunteer_id).and_then(|id| people.get(id));
                let idn = p.and_then(|p| p.id_number.clone()).unwrap_or_default();
                let phone = p.and_then(|p| p.phone.clone()).unwrap_or_default();
                [
                    p.map(|p| p.name.clone()).unwrap_or_default(),
                    "居民身份证".to_string(),
                    if personal { idn } else { mask_id_number(&idn) },
                    if personal { phone } else { mask_phone(&phone) },
                    r.served_on.format("%Y-%m-%d").to_string(),
                    ledger::hours_text(i64::from(r.minutes)),
                    r.service.clone(),
                    r.place.clone(),
                    r.team_id.and_then(|t| orgs.get(t)).map(|o| o.name.clone()).unwrap_or_default(),
                    if r.training { "是" } else { "否" }.to_string(),
                    r.recorded_by.clone(),
                    r.certified_by.clone().unwrap_or(r.recorder_org.clone()),
                ]
            })
            .collect())
    }

    /// Registers volunteers from an Excel roster: all rows or none. Imported volunteers are
    /// verified (the importing town vouches for them) and approved in the team named.
    pub async fn import_volunteers(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<ImportSummary> {
        if !actor.can(Area::Volunteer, Action::Import) {
            return Err(StoreError::NotFound);
        }
        let lookup = self.volunteer_lookup(rows).await?;
        let plan = roster::check(rows, &lookup, &actor.scope).map_err(StoreError::Roster)?;
        let teams = self.teams_of(actor).await?;
        let errors: Vec<RowError> = plan
            .iter()
            .filter(|p| p.v.team_id.is_some_and(|t| !teams.contains(&t)))
            .map(|p| row_error(p.row, "服务队编码", "out_of_scope", ""))
            .collect();
        if !errors.is_empty() {
            return Err(StoreError::Roster(errors));
        }
        // A person on file outside the importer's scope is not theirs to attach a volunteer to:
        // the row makes its own person (without the ID number, unique on file) and names the
        // match for staff to merge, as a public sign-up does.
        let on_file: Vec<i64> = plan.iter().filter_map(|p| p.person_id).collect();
        let tree = self.regions().await?;
        let visible: std::collections::HashSet<i64> = self
            .scoped_people(actor, &tree, None)
            .filter(person::Column::Id.is_in(on_file))
            .select_only()
            .column(person::Column::Id)
            .into_tuple::<i64>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let t = now();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        for p in &plan {
            let (known, duplicate_of) = match p.person_id {
                Some(id) if !visible.contains(&id) => (None, Some(id)),
                known => (known, None),
            };
            let id_number = duplicate_of.is_none().then_some(p.v.id_number.as_str());
            let person_id = person_of(&txn, &mut chain, actor, "import", known, &p.v, id_number).await?;
            let mut v = self
                .insert_volunteer(
                    &txn,
                    person_id,
                    p.v.region_id,
                    &p.v.skills,
                    &p.v.availability,
                    "import",
                    None,
                    Status::Verified,
                    duplicate_of,
                    None,
                )
                .await?;
            let mut am: volunteer::ActiveModel = v.clone().into();
            am.verified_at = Set(Some(t));
            am.verified_by = Set(Some(actor.username.chars().take(50).collect()));
            v = am.update(&txn).await?;
            chain.record(&txn, actor, "import", "volunteer", Some(v.id), None::<&()>, Some(&v)).await?;
            if let Some(team) = p.v.team_id {
                insert_member(&txn, v.id, team, Membership::Approved, Some(&actor.username)).await?;
            }
        }
        self.commit(txn, chain).await?;
        Ok(ImportSummary { created: plan.len(), ..Default::default() })
    }

    async fn volunteer_lookup(&self, rows: &[Vec<String>]) -> Result<roster::Lookup> {
        let tree = self.regions().await?;
        let mut l = roster::Lookup { regions: crate::org::roster::region_refs(&tree), ..Default::default() };
        let col = |name: &str| rows.first().and_then(|h| h.iter().position(|c| c.trim() == name));
        let values = |name: &str, upper: bool| -> Vec<String> {
            col(name)
                .map(|i| {
                    rows.iter()
                        .skip(1)
                        .filter_map(|r| r.get(i))
                        .map(|c| if upper { c.trim().to_ascii_uppercase() } else { c.trim().to_string() })
                        .filter(|c| !c.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        {
            let orgs = self.catalog.orgs();
            for code in values("服务队编码", true) {
                if let Some(e) = orgs.by_code(&code).filter(|e| e.kind == OrgKind::VolunteerTeam) {
                    l.teams_by_code.insert(e.code.clone(), roster::TeamRef { id: e.id, path: e.path.clone() });
                }
            }
        }
        let ids = values("身份证号", true);
        let phones = values("手机", false);
        let people: Vec<(i64, Option<String>, Option<String>)> = person::Entity::find()
            .select_only()
            .column(person::Column::Id)
            .column(person::Column::IdNumber)
            .column(person::Column::Phone)
            .filter(Condition::any().add(person::Column::IdNumber.is_in(ids)).add(person::Column::Phone.is_in(phones)))
            .into_tuple()
            .all(&self.db)
            .await?;
        let volunteers: std::collections::HashSet<i64> = volunteer::Entity::find()
            .select_only()
            .column(volunteer::Column::PersonId)
            .filter(volunteer::Column::PersonId.is_in(people.iter().map(|p| p.0)))
            .into_tuple::<i64>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        for (id, idn, phone) in people {
            let is_volunteer = volunteers.contains(&id);
            if let Some(n) = idn {
                if is_volunteer {
                    l.volunteer_id_numbers.insert(n.clone(), id);
                }
                l.people_by_id_number.insert(n, id);
            }
            if let (Some(p), true) = (phone, is_volunteer) {
                l.volunteer_phones.insert(p, id);
            }
        }
        Ok(l)
    }
}

/// The person behind a new volunteer: the one on file, or a new record (audited) carrying this
/// ID number.
async fn person_of(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    action: &str,
    existing: Option<i64>,
    j: &Joiner,
    id_number: Option<&str>,
) -> Result<i64> {
    if let Some(id) = existing {
        return Ok(id);
    }
    let t = now();
    let p = person::ActiveModel {
        name: Set(j.name.clone()),
        gender: Set(j.gender.map(|g| g.code().to_string())),
        phone: Set(Some(j.phone.clone())),
        id_number: Set(id_number.map(str::to_string)),
        email: Set(None),
        region_id: Set(j.region_id),
        org_id: Set(j.team_id),
        title: Set(Some("科普志愿者".to_string())),
        note: Set(None),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, action, "person", Some(p.id), None::<&()>, Some(&p)).await?;
    Ok(p.id)
}

async fn insert_member(
    txn: &DatabaseTransaction,
    volunteer_id: i64,
    team_id: i64,
    status: Membership,
    decided_by: Option<&str>,
) -> Result<team_member::Model> {
    let t = now();
    Ok(team_member::ActiveModel {
        volunteer_id: Set(volunteer_id),
        team_id: Set(team_id),
        status: Set(status.code().to_string()),
        requested_at: Set(t),
        decided_at: Set(decided_by.map(|_| t)),
        decided_by: Set(decided_by.map(|d| d.chars().take(50).collect())),
        ..Default::default()
    }
    .insert(txn)
    .await?)
}
