//! 精准对接活动: events, who attends, the computed plan, hand adjustments, schedules and
//! check-in. Meeting both sides at an event moves the pair's engagement to "visited".

use super::need::input_of;
use crate::entity::{engagement, expert, match_event, match_event_expert, match_event_meeting, match_event_need, need};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::engagement::Stage;
use kexie_core::matchmaking::event::{self as rules, Attendee, Clash, EventForm, EventInput, PlanInput, PlanIssue};
use kexie_core::matchmaking::{NeedStatus, assign::Candidate, rank_experts};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub const DRAFT: &str = "draft";
pub const PLANNED: &str = "planned";
pub const PUBLISHED: &str = "published";

#[derive(Debug, Clone, Serialize)]
pub struct EventNeedRow {
    pub id: i64,
    pub need_id: i64,
    pub title: String,
    pub org_id: i64,
    pub enterprise: String,
    pub wanted: i32,
    pub unavailable: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventExpertRow {
    pub id: i64,
    pub expert_id: i64,
    pub name: String,
    pub institution: String,
    pub max_meetings: i32,
    pub unavailable: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MeetingRow {
    pub id: i64,
    pub slot: i32,
    pub slot_label: String,
    pub expert_id: i64,
    pub expert: String,
    pub need_id: i64,
    pub need: String,
    pub org_id: i64,
    pub enterprise: String,
    pub score: f64,
    pub expert_arrived: bool,
    pub enterprise_arrived: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub event: match_event::Model,
    pub needs: Vec<EventNeedRow>,
    pub experts: Vec<EventExpertRow>,
    pub meetings: Vec<MeetingRow>,
    /// Problems with the meetings as they stand, in words the page translates.
    pub clashes: Vec<ClashRow>,
    pub total: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClashRow {
    pub code: &'static str,
    pub who: String,
    pub slot: String,
}

/// Summary of a computed plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub meetings: usize,
    pub total: f64,
    pub lowest: f64,
}

fn set_fields(am: &mut match_event::ActiveModel, i: &EventInput) {
    am.name = Set(i.name.clone());
    am.held_on = Set(i.held_on);
    am.place = Set(i.place.clone());
    am.starts_at = Set(i.starts_at.format("%H:%M").to_string());
    am.slots = Set(i.slots as i32);
    am.slot_minutes = Set(i.slot_minutes as i32);
    am.fair = Set(i.fair);
}

fn starts(e: &match_event::Model) -> chrono::NaiveTime {
    chrono::NaiveTime::parse_from_str(&e.starts_at, "%H:%M").unwrap_or_default()
}

pub fn slot_label(e: &match_event::Model, slot: i32) -> String {
    EventInput::slot_label(starts(e), e.slot_minutes as u32, slot.max(0) as usize)
}

fn attendee(meetings: i32, unavailable: &str, slots: usize) -> Attendee {
    Attendee {
        meetings: meetings.max(0) as u32,
        unavailable: rules::parse_slots(unavailable, slots).unwrap_or_default(),
    }
}

impl Store {
    /// Events are the association's to run and public to everyone taking part in matchmaking:
    /// only approved needs and consenting experts attend.
    fn sees_events(actor: &Actor) -> Result<()> {
        if actor.can(Area::MatchEvent, Action::View) { Ok(()) } else { Err(StoreError::NotFound) }
    }

    pub async fn list_events(&self, actor: &Actor) -> Result<Vec<match_event::Model>> {
        Self::sees_events(actor)?;
        Ok(match_event::Entity::find().order_by_desc(match_event::Column::HeldOn).all(&self.db).await?)
    }

    fn runs_events(actor: &Actor) -> bool {
        matches!(actor.scope, kexie_core::scope::Scope::All) && actor.can(Area::MatchEvent, Action::Edit)
    }

    pub async fn get_event(&self, actor: &Actor, id: i64) -> Result<EventView> {
        Self::sees_events(actor)?;
        let event = match_event::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let slots = event.slots.max(0) as usize;
        let need_rows = match_event_need::Entity::find()
            .filter(match_event_need::Column::EventId.eq(id))
            .order_by_asc(match_event_need::Column::Id)
            .all(&self.db)
            .await?;
        let needs: HashMap<i64, need::Model> = need::Entity::find()
            .filter(need::Column::Id.is_in(need_rows.iter().map(|r| r.need_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        let expert_rows = match_event_expert::Entity::find()
            .filter(match_event_expert::Column::EventId.eq(id))
            .order_by_asc(match_event_expert::Column::Id)
            .all(&self.db)
            .await?;
        let meetings = match_event_meeting::Entity::find()
            .filter(match_event_meeting::Column::EventId.eq(id))
            .order_by_asc(match_event_meeting::Column::Slot)
            .order_by_asc(match_event_meeting::Column::Id)
            .all(&self.db)
            .await?;
        let mut expert_ids: Vec<i64> = expert_rows.iter().map(|r| r.expert_id).collect();
        expert_ids.extend(meetings.iter().map(|m| m.expert_id));
        let experts: HashMap<i64, expert::Model> = expert::Entity::find()
            .filter(expert::Column::Id.is_in(expert_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        self.regions().await?;
        let orgs = self.catalog.orgs();
        let org_name = |o: i64| orgs.get(o).map(|e| e.name.clone()).unwrap_or_default();
        let need_of = |n: i64| needs.get(&n);
        let expert_name = |e: i64| experts.get(&e).map(|e| e.name.clone()).unwrap_or_default();
        let need_list: Vec<EventNeedRow> = need_rows
            .iter()
            .filter_map(|r| {
                let n = need_of(r.need_id)?;
                Some(EventNeedRow {
                    id: r.id,
                    need_id: n.id,
                    title: n.title.clone(),
                    org_id: n.org_id,
                    enterprise: org_name(n.org_id),
                    wanted: r.wanted,
                    unavailable: r.unavailable.clone(),
                })
            })
            .collect();
        let expert_list: Vec<EventExpertRow> = expert_rows
            .iter()
            .map(|r| EventExpertRow {
                id: r.id,
                expert_id: r.expert_id,
                name: expert_name(r.expert_id),
                institution: experts.get(&r.expert_id).map(|e| e.institution.clone()).unwrap_or_default(),
                max_meetings: r.max_meetings,
                unavailable: r.unavailable.clone(),
            })
            .collect();
        let meeting_list: Vec<MeetingRow> = meetings
            .iter()
            .map(|m| {
                let n = need_of(m.need_id);
                MeetingRow {
                    id: m.id,
                    slot: m.slot,
                    slot_label: slot_label(&event, m.slot),
                    expert_id: m.expert_id,
                    expert: expert_name(m.expert_id),
                    need_id: m.need_id,
                    need: n.map(|n| n.title.clone()).unwrap_or_default(),
                    org_id: n.map(|n| n.org_id).unwrap_or_default(),
                    enterprise: n.map(|n| org_name(n.org_id)).unwrap_or_default(),
                    score: m.score,
                    expert_arrived: m.expert_arrived_at.is_some(),
                    enterprise_arrived: m.enterprise_arrived_at.is_some(),
                }
            })
            .collect();
        // Clashes: attendees numbered by their position in the lists above.
        let expert_pos: HashMap<i64, usize> = expert_list.iter().enumerate().map(|(i, r)| (r.expert_id, i)).collect();
        let mut enterprise_pos: HashMap<i64, usize> = HashMap::new();
        let mut enterprise_att: Vec<(i64, Attendee)> = Vec::new();
        for r in &need_list {
            let at = *enterprise_pos.entry(r.org_id).or_insert_with(|| {
                enterprise_att.push((r.org_id, Attendee { meetings: 0, unavailable: Vec::new() }));
                enterprise_att.len() - 1
            });
            let a = &mut enterprise_att[at].1;
            a.meetings += r.wanted.max(0) as u32;
            a.unavailable.extend(attendee(0, &r.unavailable, slots).unavailable);
        }
        let expert_att: Vec<Attendee> =
            expert_list.iter().map(|r| attendee(r.max_meetings, &r.unavailable, slots)).collect();
        let triples: Vec<(usize, usize, usize)> = meeting_list
            .iter()
            .map(|m| {
                (
                    expert_pos.get(&m.expert_id).copied().unwrap_or(usize::MAX),
                    enterprise_pos.get(&m.org_id).copied().unwrap_or(usize::MAX),
                    m.slot.max(0) as usize,
                )
            })
            .collect();
        let enterprise_only: Vec<Attendee> = enterprise_att.iter().map(|(_, a)| a.clone()).collect();
        let person = |p: rules::PersonRef| match p {
            rules::PersonRef::Expert(i) => expert_list.get(i).map(|r| r.name.clone()).unwrap_or_default(),
            rules::PersonRef::Enterprise(j) => enterprise_att.get(j).map(|(o, _)| org_name(*o)).unwrap_or_default(),
        };
        let meeting_who = |i: usize| format!("{} × {}", meeting_list[i].expert, meeting_list[i].enterprise);
        let clashes = rules::clashes(&triples, slots, &expert_att, &enterprise_only)
            .into_iter()
            .map(|c| match c {
                Clash::DoubleBooked { person: p, slot, .. } => {
                    ClashRow { code: "clash_double_booked", who: person(p), slot: slot_label(&event, slot as i32) }
                }
                Clash::Unavailable { person: p, slot, .. } => {
                    ClashRow { code: "clash_unavailable", who: person(p), slot: slot_label(&event, slot as i32) }
                }
                Clash::Repeated { meetings } => {
                    ClashRow { code: "clash_repeated", who: meeting_who(meetings[0]), slot: String::new() }
                }
                Clash::OutOfRange { meeting, .. } => {
                    ClashRow { code: "clash_out_of_range", who: meeting_who(meeting), slot: String::new() }
                }
            })
            .collect();
        let total = meeting_list.iter().map(|m| m.score).sum();
        drop(orgs);
        Ok(EventView { event, needs: need_list, experts: expert_list, meetings: meeting_list, clashes, total })
    }

    pub async fn create_event(&self, actor: &Actor, form: &EventForm) -> Result<i64> {
        if !Self::runs_events(actor) {
            return Err(StoreError::NotFound);
        }
        let input = form.check()?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = now();
        let mut am = match_event::ActiveModel {
            status: Set(DRAFT.to_string()),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        };
        set_fields(&mut am, &input);
        let saved = am.insert(&txn).await?;
        chain.record(&txn, actor, "create", "match_event", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    async fn editable_event(&self, actor: &Actor, id: i64) -> Result<match_event::Model> {
        if !Self::runs_events(actor) {
            return Err(StoreError::NotFound);
        }
        match_event::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// An event whose attendees and plan may still change: published schedules are final.
    async fn unpublished_event(&self, actor: &Actor, id: i64) -> Result<match_event::Model> {
        let e = self.editable_event(actor, id).await?;
        if e.status == PUBLISHED {
            return Err(Invalid::one("status", "event_published").into());
        }
        Ok(e)
    }

    /// Adds a need (its enterprise attends) wanting `wanted` meetings, away in `unavailable`
    /// slots ("1,3", 1-based). Only approved needs come to events.
    pub async fn add_event_need(
        &self,
        actor: &Actor,
        id: i64,
        need_id: i64,
        wanted: &str,
        unavailable: &str,
    ) -> Result<()> {
        let event = self.unpublished_event(actor, id).await?;
        let mut e = Invalid::default();
        let n = need::Entity::find_by_id(need_id).one(&self.db).await?;
        match &n {
            None => e.push("need_id", "unknown_need"),
            Some(n) if n.status != NeedStatus::Approved.code() => e.push("need_id", "need_not_approved"),
            _ => {}
        }
        let (wanted, away) = rules::check_attendance(&mut e, "wanted", wanted, unavailable, event.slots as usize);
        let exists = match_event_need::Entity::find()
            .filter(match_event_need::Column::EventId.eq(id))
            .filter(match_event_need::Column::NeedId.eq(need_id))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            e.push("need_id", "duplicate");
        }
        e.into_result(())?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = match_event_need::ActiveModel {
            event_id: Set(id),
            need_id: Set(need_id),
            wanted: Set(wanted as i32),
            unavailable: Set(rules::format_slots(&away)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "match_event_need", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn add_event_expert(
        &self,
        actor: &Actor,
        id: i64,
        expert_id: i64,
        max: &str,
        unavailable: &str,
    ) -> Result<()> {
        let event = self.unpublished_event(actor, id).await?;
        let mut e = Invalid::default();
        match expert::Entity::find_by_id(expert_id).one(&self.db).await? {
            None => e.push("expert_id", "unknown_expert"),
            Some(x) if !x.consent || x.status != super::expert::ACTIVE => e.push("expert_id", "expert_not_available"),
            _ => {}
        }
        let (max, away) = rules::check_attendance(&mut e, "max_meetings", max, unavailable, event.slots as usize);
        let exists = match_event_expert::Entity::find()
            .filter(match_event_expert::Column::EventId.eq(id))
            .filter(match_event_expert::Column::ExpertId.eq(expert_id))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            e.push("expert_id", "duplicate");
        }
        e.into_result(())?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let saved = match_event_expert::ActiveModel {
            event_id: Set(id),
            expert_id: Set(expert_id),
            max_meetings: Set(max as i32),
            unavailable: Set(rules::format_slots(&away)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "match_event_expert", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Takes a need or an expert off the event, with their meetings.
    pub async fn remove_event_attendee(
        &self,
        actor: &Actor,
        id: i64,
        need_row: Option<i64>,
        expert_row: Option<i64>,
    ) -> Result<()> {
        self.unpublished_event(actor, id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        if let Some(r) = need_row {
            let row = match_event_need::Entity::find_by_id(r)
                .one(&txn)
                .await?
                .filter(|x| x.event_id == id)
                .ok_or(StoreError::NotFound)?;
            match_event_meeting::Entity::delete_many()
                .filter(match_event_meeting::Column::EventId.eq(id))
                .filter(match_event_meeting::Column::NeedId.eq(row.need_id))
                .exec(&txn)
                .await?;
            match_event_need::Entity::delete_by_id(r).exec(&txn).await?;
            chain.record(&txn, actor, "delete", "match_event_need", Some(r), Some(&row), None::<&()>).await?;
        }
        if let Some(r) = expert_row {
            let row = match_event_expert::Entity::find_by_id(r)
                .one(&txn)
                .await?
                .filter(|x| x.event_id == id)
                .ok_or(StoreError::NotFound)?;
            match_event_meeting::Entity::delete_many()
                .filter(match_event_meeting::Column::EventId.eq(id))
                .filter(match_event_meeting::Column::ExpertId.eq(row.expert_id))
                .exec(&txn)
                .await?;
            match_event_expert::Entity::delete_by_id(r).exec(&txn).await?;
            chain.record(&txn, actor, "delete", "match_event_expert", Some(r), Some(&row), None::<&()>).await?;
        }
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Computes the plan (maximum total relevance, or the fairer one), lays it out in slots
    /// and replaces the event's meetings with it. When no plan exists, nothing changes and
    /// the error names who cannot be served and why.
    pub async fn plan_event(&self, actor: &Actor, id: i64) -> Result<PlanSummary> {
        let event = self.unpublished_event(actor, id).await?;
        let view = self.get_event(actor, id).await?;
        let slots = event.slots.max(0) as usize;
        if view.needs.is_empty() || view.experts.is_empty() {
            return Err(StoreError::Plan(vec![PlanIssue {
                code: "plan_no_attendees",
                who: String::new(),
                a: 0,
                b: 0,
            }]));
        }
        // Enterprises: one attendee per organisation, its needs' wants added up.
        let mut enterprises: Vec<(i64, String, Attendee, Vec<i64>)> = Vec::new();
        for r in &view.needs {
            let a = attendee(r.wanted, &r.unavailable, slots);
            match enterprises.iter_mut().find(|e| e.0 == r.org_id) {
                Some(e) => {
                    e.2.meetings += a.meetings;
                    e.2.unavailable.extend(a.unavailable);
                    e.3.push(r.need_id);
                }
                None => enterprises.push((r.org_id, r.enterprise.clone(), a, vec![r.need_id])),
            }
        }
        let experts: Vec<Attendee> =
            view.experts.iter().map(|r| attendee(r.max_meetings, &r.unavailable, slots)).collect();
        let expert_pos: HashMap<String, usize> =
            view.experts.iter().enumerate().map(|(i, r)| (r.expert_id.to_string(), i)).collect();
        // A pair's relevance is its best need's score; remember which need that was.
        let built = self.expert_index().await?;
        let needs: HashMap<i64, need::Model> = need::Entity::find()
            .filter(need::Column::Id.is_in(view.needs.iter().map(|r| r.need_id).collect::<Vec<_>>()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|n| (n.id, n))
            .collect();
        let mut best: BTreeMap<(usize, usize), (f64, i64)> = BTreeMap::new();
        for (j, (org_id, name, _, need_ids)) in enterprises.iter().enumerate() {
            let conflicts = self.conflicted_experts(*org_id).await?;
            for nid in need_ids {
                let Some(n) = needs.get(nid) else { continue };
                let q = input_of(n).to_need(n.id.to_string(), name.clone());
                for r in rank_experts(&built.index, &q, &conflicts, None) {
                    let Some(&i) = expert_pos.get(&r.id) else { continue };
                    if r.score <= 0.0 {
                        continue;
                    }
                    let slot = best.entry((i, j)).or_insert((r.score, *nid));
                    if r.score > slot.0 {
                        *slot = (r.score, *nid);
                    }
                }
            }
        }
        let candidates: Vec<Candidate> =
            best.iter().map(|(&(expert, enterprise), &(score, _))| Candidate { expert, enterprise, score }).collect();
        let input = PlanInput {
            slots,
            experts,
            enterprises: enterprises.iter().map(|e| e.2.clone()).collect(),
            candidates,
            fair: event.fair,
        };
        let plan = rules::plan(&input).map_err(|e| {
            StoreError::Plan(e.issues(&|i| view.experts[i].name.clone(), &|j| enterprises[j].1.clone()))
        })?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        match_event_meeting::Entity::delete_many()
            .filter(match_event_meeting::Column::EventId.eq(id))
            .exec(&txn)
            .await?;
        for m in &plan.meetings {
            match_event_meeting::ActiveModel {
                event_id: Set(id),
                expert_id: Set(view.experts[m.expert].expert_id),
                need_id: Set(best[&(m.expert, m.enterprise)].1),
                slot: Set(m.slot as i32),
                score: Set(m.score),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        let mut am: match_event::ActiveModel = event.clone().into();
        am.status = Set(PLANNED.to_string());
        am.updated_at = Set(now());
        am.update(&txn).await?;
        let summary = PlanSummary { meetings: plan.meetings.len(), total: plan.total, lowest: plan.lowest };
        chain.record(&txn, actor, "plan", "match_event", Some(id), None::<&()>, Some(&summary)).await?;
        self.commit(txn, chain).await?;
        Ok(summary)
    }

    /// Moves a meeting to another slot or expert by hand. Clashes are allowed and shown on
    /// the event page, because staff sometimes agree them with the people concerned.
    pub async fn move_meeting(
        &self,
        actor: &Actor,
        id: i64,
        meeting: i64,
        slot: &str,
        expert_id: Option<i64>,
    ) -> Result<()> {
        let event = self.unpublished_event(actor, id).await?;
        let before = match_event_meeting::Entity::find_by_id(meeting)
            .one(&self.db)
            .await?
            .filter(|m| m.event_id == id)
            .ok_or(StoreError::NotFound)?;
        let slot = match rules::parse_slots(slot, event.slots as usize).as_deref() {
            Ok([s]) => *s as i32,
            _ => return Err(Invalid::one("slot", "bad_slots").into()),
        };
        let expert_id = expert_id.unwrap_or(before.expert_id);
        let attends = match_event_expert::Entity::find()
            .filter(match_event_expert::Column::EventId.eq(id))
            .filter(match_event_expert::Column::ExpertId.eq(expert_id))
            .one(&self.db)
            .await?;
        if attends.is_none() {
            return Err(Invalid::one("expert_id", "not_attending").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: match_event_meeting::ActiveModel = before.clone().into();
        am.slot = Set(slot);
        am.expert_id = Set(expert_id);
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "move", "match_event_meeting", Some(meeting), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Publishes the plan: schedules become visible to the attendees and every meeting
    /// starts an engagement ("matched").
    pub async fn publish_event(&self, actor: &Actor, id: i64) -> Result<()> {
        let event = self.editable_event(actor, id).await?;
        if event.status == DRAFT {
            return Err(Invalid::one("status", "event_not_planned").into());
        }
        let meetings = match_event_meeting::Entity::find()
            .filter(match_event_meeting::Column::EventId.eq(id))
            .all(&self.db)
            .await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        for m in &meetings {
            advance_engagement(&txn, &mut chain, actor, m.need_id, m.expert_id, id, Stage::Matched).await?;
        }
        let mut am: match_event::ActiveModel = event.clone().into();
        am.status = Set(PUBLISHED.to_string());
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "publish", "match_event", Some(id), Some(&event), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Records arrival of the expert or the enterprise at a meeting; once both are there,
    /// the engagement is "visited".
    pub async fn check_in(&self, actor: &Actor, id: i64, meeting: i64, expert_side: bool) -> Result<()> {
        let event = self.editable_event(actor, id).await?;
        if event.status != PUBLISHED {
            return Err(Invalid::one("status", "event_not_published").into());
        }
        let before = match_event_meeting::Entity::find_by_id(meeting)
            .one(&self.db)
            .await?
            .filter(|m| m.event_id == id)
            .ok_or(StoreError::NotFound)?;
        let already =
            if expert_side { before.expert_arrived_at.is_some() } else { before.enterprise_arrived_at.is_some() };
        if already {
            return Err(Invalid::one("meeting", "already_checked_in").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: match_event_meeting::ActiveModel = before.clone().into();
        if expert_side {
            am.expert_arrived_at = Set(Some(now()));
        } else {
            am.enterprise_arrived_at = Set(Some(now()));
        }
        let after = am.update(&txn).await?;
        chain
            .record(&txn, actor, "check_in", "match_event_meeting", Some(meeting), Some(&before), Some(&after))
            .await?;
        if after.expert_arrived_at.is_some() && after.enterprise_arrived_at.is_some() {
            advance_engagement(&txn, &mut chain, actor, after.need_id, after.expert_id, id, Stage::Visited).await?;
        }
        self.commit(txn, chain).await?;
        Ok(())
    }
}

/// Creates the pair's engagement at `stage`, or moves an earlier one up to it; never back.
pub(crate) async fn advance_engagement(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    need_id: i64,
    expert_id: i64,
    event_id: i64,
    stage: Stage,
) -> Result<()> {
    let existing = engagement::Entity::find()
        .filter(engagement::Column::NeedId.eq(need_id))
        .filter(engagement::Column::ExpertId.eq(expert_id))
        .one(txn)
        .await?;
    match existing {
        None => {
            let t = now();
            let saved = engagement::ActiveModel {
                need_id: Set(need_id),
                expert_id: Set(expert_id),
                event_id: Set(Some(event_id)),
                stage: Set(stage.code().to_string()),
                created_at: Set(t),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            chain.record(txn, actor, "create", "engagement", Some(saved.id), None::<&()>, Some(&saved)).await?;
        }
        Some(e) if Stage::parse(&e.stage).is_some_and(|s| s < stage) => {
            let mut am: engagement::ActiveModel = e.clone().into();
            am.stage = Set(stage.code().to_string());
            am.event_id = Set(e.event_id.or(Some(event_id)));
            am.updated_at = Set(now());
            let after = am.update(txn).await?;
            chain.record(txn, actor, "update", "engagement", Some(e.id), Some(&e), Some(&after)).await?;
        }
        Some(_) => {}
    }
    Ok(())
}
