//! Loads the demo district's volunteers, activities, registrations and hours ledger, and the
//! year's service orders with the activities their teams planned, in the demo's transaction.
//! The demo `volunteer` account is the volunteer its person is.

use crate::demo::insert_batches;
use crate::entity::{
    account, activity, activity_registration, commendation, service_order, service_project, service_record, shift,
    shift_signup, team_member, volunteer,
};
use crate::{Result, now};
use kexie_core::activity::Status as ActivityStatus;
use kexie_core::demo::DemoDistrict;
use kexie_core::demo::order::{DemoOrder, MenuItem};
use kexie_core::demo::volunteer::{generate, service};
use kexie_core::volunteer::order::{OrdererKind, Status as OrderStatus};
use kexie_core::volunteer::{Membership, Status};
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use std::collections::HashMap;

pub(crate) const TABLES: [&str; 10] = [
    "volunteer",
    "team_member",
    "activity",
    "activity_registration",
    "service_record",
    "service_project",
    "shift",
    "shift_signup",
    "commendation",
    "service_order",
];

const SEED: u64 = 67;
const ORDER_SEED: u64 = 68;

/// What the demo loaded, for its summary.
pub(crate) struct Loaded {
    pub volunteers: usize,
    pub activities: usize,
}

pub(crate) async fn load(
    txn: &DatabaseTransaction,
    d: &DemoDistrict,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<Loaded> {
    let t = now();
    let today = kexie_core::estation::proof::day_of(t);
    let g = generate(d, SEED, today);
    let accounts: HashMap<i64, i64> = account::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .filter(|a| a.role == kexie_core::account::Role::Volunteer.code())
        .filter_map(|a| a.person_id.map(|p| (p, a.id)))
        .collect();
    let id = |i: usize| i as i64 + 1;
    let rows = g
        .volunteers
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let account = accounts.get(&id(v.person)).copied();
            // The demo account signs in as a verified volunteer.
            let status = if account.is_some() { Status::Verified } else { v.status };
            // Those who signed up themselves ticked the public form's consent box.
            let signed_up = i % 3 == 0;
            volunteer::ActiveModel {
                id: Set(id(i)),
                person_id: Set(id(v.person)),
                region_id: Set(id(v.region)),
                status: Set(status.code().to_string()),
                skills: Set(v.skills.clone()),
                availability: Set(v.availability.clone()),
                source: Set(if signed_up { "self" } else { "import" }.to_string()),
                account_id: Set(account),
                verified_at: Set((status == Status::Verified).then_some(t)),
                verified_by: Set((status == Status::Verified).then(|| "staff".to_string())),
                duplicate_of: Set(None),
                created_at: Set(t),
                updated_at: Set(t),
                consent_at: Set(signed_up.then_some(t)),
                consent_version: Set(signed_up.then(|| kexie_core::privacy::NOTICE_VERSION.to_string())),
            }
        })
        .collect();
    insert_batches(txn, rows, progress, "volunteer").await?;
    let mut members = Vec::new();
    for (i, v) in g.volunteers.iter().enumerate() {
        for (team, m) in &v.teams {
            members.push(team_member::ActiveModel {
                id: Set(members.len() as i64 + 1),
                volunteer_id: Set(id(i)),
                team_id: Set(id(*team)),
                status: Set(m.code().to_string()),
                requested_at: Set(t),
                decided_at: Set((*m != Membership::Pending).then_some(t)),
                decided_by: Set((*m == Membership::Approved).then(|| "staff".to_string())),
            });
        }
    }
    insert_batches(txn, members, progress, "team_member").await?;
    let mut registered: HashMap<usize, i32> = HashMap::new();
    for r in &g.registrations {
        *registered.entry(r.activity).or_default() += 1;
    }
    let rows = g
        .activities
        .iter()
        .enumerate()
        .map(|(i, a)| activity::ActiveModel {
            id: Set(id(i)),
            title: Set(a.title.chars().take(80).collect()),
            kind: Set(a.kind.code().to_string()),
            theme: Set(a.theme.to_string()),
            month_theme: Set(a.month_theme),
            organiser_org_id: Set(id(a.organiser)),
            co_organisers: Set(a.co_organisers.clone()),
            place: Set(a.place.clone()),
            region_id: Set(id(a.region)),
            starts_at: Set(a.starts_at),
            ends_at: Set(a.ends_at),
            capacity: Set(a.capacity),
            audience: Set(Some(a.audience.to_string())),
            summary: Set(Some(a.summary.clone())),
            volunteer_hours: Set(a.volunteer_hours),
            status: Set(a.status.code().to_string()),
            checkin_key: Set(crate::activity::random_key()),
            registered: Set(registered.get(&i).copied().unwrap_or(0)),
            report: Set(a.report.clone()),
            extra_reach: Set(a.extra_reach),
            created_by: Set("staff".to_string()),
            created_at: Set(t),
            updated_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "activity").await?;
    let rows = g
        .registrations
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = r.checked_in_at.unwrap_or(t).min(t);
            // Online registrations came through the public form and its consent box.
            let online = r.source == "online";
            activity_registration::ActiveModel {
                id: Set(id(i)),
                activity_id: Set(id(r.activity)),
                name: Set(r.name.clone()),
                phone: Set(r.phone.clone()),
                volunteer_id: Set(r.volunteer.map(id)),
                ticket: Set(crate::activity::random_key()),
                source: Set(r.source.to_string()),
                registered_at: Set(at),
                checked_in_at: Set(r.checked_in_at),
                checked_out_at: Set(r.checked_out_at),
                checked_by: Set(r.checked_in_at.map(|_| crate::activity::DOOR.to_string())),
                consent_at: Set(online.then_some(at)),
                consent_version: Set(online.then(|| kexie_core::privacy::NOTICE_VERSION.to_string())),
            }
        })
        .collect();
    insert_batches(txn, rows, progress, "activity_registration").await?;
    let rows = g
        .records
        .iter()
        .enumerate()
        .map(|(i, r)| service_record::ActiveModel {
            id: Set(id(i)),
            volunteer_id: Set(id(r.volunteer)),
            team_id: Set(r.team.map(id)),
            activity_id: Set(r.activity.map(id)),
            registration_id: Set(r.registration.map(id)),
            source: Set(r.source.code().to_string()),
            status: Set(r.status.code().to_string()),
            served_on: Set(r.served_on),
            minutes: Set(r.minutes),
            service: Set(r.service.chars().take(100).collect()),
            place: Set(r.place.chars().take(100).collect()),
            training: Set(r.training),
            evaluation: Set(r.evaluation.map(str::to_string)),
            recorded_by: Set(r.recorded_by.clone()),
            recorder_org: Set(r.recorder_org.chars().take(100).collect()),
            certified_by: Set(r.certified_by.clone().map(|c| c.chars().take(100).collect())),
            decided_by: Set((r.status.code() != "pending").then(|| "staff".to_string())),
            decided_at: Set((r.status.code() != "pending").then_some(t)),
            decision_note: Set(r.note.map(str::to_string)),
            created_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "service_record").await?;

    let featured = g.volunteers.iter().position(|v| accounts.contains_key(&id(v.person)));
    let sv = service(d, &g, SEED, t, featured);
    let rows = sv
        .projects
        .iter()
        .enumerate()
        .map(|(i, p)| service_project::ActiveModel {
            id: Set(id(i)),
            org_id: Set(id(p.org)),
            title: Set(p.title.to_string()),
            kind: Set(p.kind.code().to_string()),
            summary: Set(Some(p.summary.to_string())),
            orderable: Set(p.orderable),
            status: Set(kexie_core::volunteer::project::Status::Active.code().to_string()),
            created_by: Set("staff".to_string()),
            created_at: Set(t),
            updated_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "service_project").await?;
    let mut taken: HashMap<usize, i32> = HashMap::new();
    for p in &sv.places {
        *taken.entry(p.shift).or_default() += 1;
    }
    let rows = sv
        .shifts
        .iter()
        .enumerate()
        .map(|(i, s)| shift::ActiveModel {
            id: Set(id(i)),
            activity_id: Set(s.activity.map(id)),
            project_id: Set(s.project.map(id)),
            role: Set(s.role.to_string()),
            place: Set(s.place.chars().take(100).collect()),
            region_id: Set(id(s.region)),
            starts_at: Set(s.starts_at),
            minutes: Set(s.minutes),
            quantity: Set(s.quantity),
            taken: Set(taken.get(&i).copied().unwrap_or(0)),
            status: Set(kexie_core::volunteer::shift::Status::Open.code().to_string()),
            created_by: Set("staff".to_string()),
            created_at: Set(t),
            updated_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "shift").await?;
    let rows = sv
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| shift_signup::ActiveModel {
            id: Set(id(i)),
            shift_id: Set(id(p.shift)),
            volunteer_id: Set(id(p.volunteer)),
            status: Set(kexie_core::volunteer::shift::Place::Signed.code().to_string()),
            source: Set(p.source.code().to_string()),
            offered: Set(p.offered),
            signed_by: Set("staff".to_string()),
            signed_at: Set(t),
            cancelled_at: Set(None),
            cancel_note: Set(None),
            reminded_at: Set(None),
        })
        .collect();
    insert_batches(txn, rows, progress, "shift_signup").await?;
    let rows = sv
        .commendations
        .iter()
        .enumerate()
        .map(|(i, c)| commendation::ActiveModel {
            id: Set(id(i)),
            volunteer_id: Set(id(c.volunteer)),
            title: Set(c.title.clone()),
            awarded_by: Set(c.awarded_by.to_string()),
            awarded_on: Set(c.awarded_on),
            recorded_by: Set("staff".to_string()),
            created_at: Set(t),
        })
        .collect();
    insert_batches(txn, rows, progress, "commendation").await?;
    // Orders after the projects: the menu they order from.
    let planned = load_orders(txn, d, today, g.activities.len(), progress).await?;
    Ok(Loaded { volunteers: g.volunteers.len(), activities: g.activities.len() + planned })
}

/// When an order last moved; a cancelled one was withdrawn the day after its last step.
fn last_change(o: &DemoOrder) -> chrono::DateTime<chrono::Utc> {
    let last = [o.rated_at, o.done_at, o.decided_at, o.dispatched_at].into_iter().flatten().next();
    let last = last.unwrap_or(o.created_at);
    if o.status == OrderStatus::Cancelled { last + chrono::Duration::hours(20) } else { last }
}

/// The year's service orders, ordered from the menu where one exists; each accepted order
/// brings the activity its team planned (ids after `activities`). Returns how many.
async fn load_orders(
    txn: &DatabaseTransaction,
    d: &DemoDistrict,
    today: chrono::NaiveDate,
    activities: usize,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<usize> {
    let menu: Vec<MenuItem> = service_project::Entity::find()
        .filter(service_project::Column::Orderable.eq(true))
        .filter(service_project::Column::Status.eq(kexie_core::volunteer::project::Status::Active.code()))
        .all(txn)
        .await?
        .into_iter()
        .filter_map(|p| {
            Some(MenuItem { id: p.id, kind: kexie_core::activity::ActivityKind::parse(&p.kind)?, title: p.title })
        })
        .collect();
    let orders = kexie_core::demo::order::generate(d, ORDER_SEED, today, &menu);
    let t = now();
    let id = |i: usize| i as i64 + 1;
    let held: Vec<(usize, &DemoOrder)> = orders.iter().enumerate().filter(|(_, o)| o.held.is_some()).collect();
    let rows = held
        .iter()
        .enumerate()
        .map(|(n, (_, o))| {
            let (starts_at, ends_at) = o.held.expect("held");
            let closed = o.done_at.is_some();
            activity::ActiveModel {
                id: Set(id(activities + n)),
                title: Set(o.topic.chars().take(80).collect()),
                kind: Set(o.kind.code().to_string()),
                theme: Set(o.topic.chars().take(40).collect()),
                month_theme: Set(false),
                organiser_org_id: Set(id(o.team.expect("a held order has its team"))),
                co_organisers: Set((o.orderer_kind == OrdererKind::Community).then(|| o.orderer.clone())),
                place: Set(o.place.clone()),
                region_id: Set(id(o.region)),
                starts_at: Set(starts_at),
                ends_at: Set(ends_at),
                capacity: Set(None),
                audience: Set(o.audience.map(|n| format!("约 {n} 人"))),
                summary: Set(o.detail.clone()),
                volunteer_hours: Set(true),
                status: Set(if closed { ActivityStatus::Closed } else { ActivityStatus::Published }.code().to_string()),
                checkin_key: Set(crate::activity::random_key()),
                registered: Set(0),
                report: Set(o.done_note.clone()),
                extra_reach: Set(if closed { o.audience.unwrap_or(0) } else { 0 }),
                created_by: Set("staff".to_string()),
                created_at: Set(o.decided_at.unwrap_or(t)),
                updated_at: Set(o.done_at.unwrap_or(t)),
            }
        })
        .collect();
    insert_batches(txn, rows, progress, "activity").await?;
    let planned: std::collections::HashMap<usize, i64> =
        held.iter().enumerate().map(|(n, (i, _))| (*i, id(activities + n))).collect();
    let rows = orders
        .iter()
        .enumerate()
        .map(|(i, o)| service_order::ActiveModel {
            id: Set(id(i)),
            ticket: Set(crate::activity::random_key()),
            orderer_kind: Set(o.orderer_kind.code().to_string()),
            orderer: Set(o.orderer.clone()),
            contact: Set(o.contact.clone()),
            phone: Set(o.phone.clone()),
            region_id: Set(id(o.region)),
            place: Set(o.place.clone()),
            project_id: Set(o.project),
            kind: Set(o.kind.code().to_string()),
            topic: Set(o.topic.clone()),
            wanted_on: Set(o.wanted_on),
            audience: Set(o.audience),
            detail: Set(o.detail.clone()),
            status: Set(o.status.code().to_string()),
            team_id: Set(o.team.map(id)),
            dispatched_by: Set(o.dispatched_at.map(|_| "staff".to_string())),
            dispatched_at: Set(o.dispatched_at),
            decided_by: Set(o.decided_at.map(|_| "staff".to_string())),
            decided_at: Set(o.decided_at),
            decline_note: Set(o.decline_note.map(str::to_string)),
            activity_id: Set(planned.get(&i).copied()),
            done_at: Set(o.done_at),
            done_note: Set(o.done_note.clone()),
            rating: Set(o.rating),
            rating_note: Set(o.rating_note.map(str::to_string)),
            rated_at: Set(o.rated_at),
            created_at: Set(o.created_at),
            updated_at: Set(last_change(o)),
            consent_at: Set(Some(o.created_at)),
            consent_version: Set(Some(kexie_core::privacy::NOTICE_VERSION.to_string())),
        })
        .collect();
    insert_batches(txn, rows, progress, "service_order").await?;
    Ok(held.len())
}
