//! 建议意见 storage: a citizen's suggestion arrives from the public page (with photos already
//! stored by sha256 in the media directory), staff moderate, route (派单), answer, adopt and
//! close it, and the citizen rates the answer through a private link (its token stored only as
//! a sha256). Every write is one transaction with its audit record, a line in the suggestion's
//! trail and a row in `search_change` for the search index.
//!
//! Scope: the association sees every suggestion; a town officer only those routed to their
//! town (or a place in it) or to their own account. Phones are masked for roles that may not
//! see personal data.

pub(crate) mod demo;

use crate::entity::{account, search_change, suggestion, suggestion_event, suggestion_photo};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, NaiveDate, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area, Role};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::mask_phone;
use kexie_core::scope::Scope;
use kexie_core::suggestion::figures::{Fact, Figures, tally};
use kexie_core::suggestion::{
    self as rules, Answer, Assignment, Moderation, Rating, Status, Step, SuggestionInput, receipt, receipt_id,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use std::collections::HashMap;

/// The name the audit log gives a citizen writing from the public page.
pub const CITIZEN: &str = "市民（公开页面）";

/// A checked suggestion from the public page.
#[derive(Debug, Clone)]
pub struct NewSuggestion {
    pub input: SuggestionInput,
    pub campaign_id: Option<i64>,
    pub photos: Vec<crate::NewPhoto>,
    /// sha256 of the follow-up token the citizen is given.
    pub token_hash: String,
    /// The citizen's consent to the privacy notice.
    pub consent: kexie_core::privacy::Consent,
}

/// What the citizen is told once it is saved.
#[derive(Debug, Clone, Serialize)]
pub struct Receipt {
    pub id: i64,
    pub receipt: String,
    pub at: DateTime<Utc>,
}

/// List filters; every field optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SuggestionFilter {
    /// Words of the text, answer or name; a receipt number; a phone (staff who see phones).
    #[serde(default)]
    pub q: String,
    pub status: Option<Status>,
    pub category: Option<String>,
    /// The town it concerns or was routed to.
    pub town: Option<i64>,
    /// `YYYY-MM`, China time.
    pub month: Option<String>,
    pub year: Option<i32>,
    pub reason: Option<String>,
    /// Passed moderation (whatever happened after).
    pub accepted: Option<bool>,
    pub adopted: Option<bool>,
    /// Answered (or closed after an answer).
    pub answered: Option<bool>,
    pub rated: Option<bool>,
    /// Routed, unanswered and past its due date.
    pub overdue: Option<bool>,
    pub campaign: Option<i64>,
}

/// One suggestion as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionRow {
    pub s: suggestion::Model,
    pub receipt: String,
    pub status: Status,
    /// Where it concerns (town or district).
    pub place: String,
    /// Whom it was routed to, in words ("西亭镇 · xiting").
    pub assigned_to: String,
    pub photos: u64,
    pub overdue: bool,
}

/// One suggestion with its photos and trail, for its page.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionView {
    pub row: SuggestionRow,
    pub photos: Vec<suggestion_photo::Model>,
    pub events: Vec<suggestion_event::Model>,
}

/// What the citizen sees through the follow-up link: no one's names, no internal notes.
#[derive(Debug, Clone, Serialize)]
pub struct CitizenView {
    pub id: i64,
    pub receipt: String,
    pub category: String,
    pub body: String,
    pub status: Status,
    pub reason: Option<String>,
    pub place: String,
    pub assigned_town: Option<String>,
    pub photos: usize,
    pub answer: Option<String>,
    pub answer_public: bool,
    pub answered_at: Option<DateTime<Utc>>,
    pub adopted: bool,
    pub rating: Option<i32>,
    pub rating_comment: Option<String>,
    pub created_at: DateTime<Utc>,
    /// (action, status after, when).
    pub steps: Vec<(String, String, DateTime<Utc>)>,
}

/// An answered suggestion on the public list: masked name, nothing private.
#[derive(Debug, Clone, Serialize)]
pub struct PublicAnswer {
    pub category: String,
    pub body: String,
    pub who: String,
    pub place: String,
    pub answer: String,
    pub adopted: bool,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// An account suggestions can be routed to.
#[derive(Debug, Clone, Serialize)]
pub struct Officer {
    pub account_id: i64,
    pub username: String,
    pub town: String,
}

/// A suggestion as the search index reads it (see `suggestions_for_index`).
#[derive(Debug, Clone, Serialize)]
pub struct SuggestionDoc {
    pub id: i64,
    /// Category and receipt, e.g. "应急科普建议 JY2026031500042".
    pub title: String,
    /// The citizen's text, followed by the answer when the answer is public.
    pub text: String,
    /// The region whose officers see it (`scope_region`); none until it is routed.
    pub region_id: Option<i64>,
    /// Answered with a public answer: may be shown to anyone.
    pub public: bool,
    pub status: String,
    /// The day it was received, China time.
    pub date: NaiveDate,
}

/// The one definition of where a suggestion is seen below the association: the town it was
/// routed to, not the one the citizen named. Lists, the page, exports and search read it.
pub fn scope_region(m: &suggestion::Model) -> Option<i64> {
    m.assigned_region_id
}

fn status_of(m: &suggestion::Model) -> Status {
    Status::parse(&m.status).unwrap_or(Status::Received)
}

fn today() -> NaiveDate {
    kexie_core::estation::proof::day_of(now())
}

async fn trail(
    txn: &DatabaseTransaction,
    id: i64,
    action: &str,
    from: Option<Status>,
    to: Status,
    note: Option<String>,
    by: &str,
) -> Result<()> {
    suggestion_event::Entity::insert(suggestion_event::ActiveModel {
        suggestion_id: Set(id),
        action: Set(action.to_string()),
        from_status: Set(from.map(|s| s.code().to_string())),
        to_status: Set(to.code().to_string()),
        note: Set(note),
        by_name: Set(by.chars().take(50).collect()),
        at: Set(now()),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

/// Tells the search index to read the suggestion again.
async fn reindex(txn: &DatabaseTransaction, id: i64) -> Result<()> {
    search_change::Entity::insert(search_change::ActiveModel {
        kind: Set("suggestion".to_string()),
        ref_id: Set(id),
        at: Set(now()),
        ..Default::default()
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

impl Store {
    /// The suggestions a caller may see, as a condition: the association every one, a town
    /// those routed to it (`scope_region`, which the search index files them under too).
    async fn suggestion_scope(&self, actor: &Actor) -> Result<Condition> {
        if !actor.can(Area::Suggestion, Action::View) {
            return Err(StoreError::NotFound);
        }
        Ok(match &actor.scope {
            Scope::All => Condition::all(),
            Scope::Region { id, .. } => {
                let towns: Vec<i64> = self.regions().await?.subtree_ids(*id).into_iter().collect();
                Condition::all().add(suggestion::Column::AssignedRegionId.is_in(towns))
            }
            _ => Condition::all().add(suggestion::Column::Id.eq(-1)),
        })
    }

    /// Saves a suggestion from the public page: the record, its photos and the first line of
    /// its trail, in one transaction. The photo files are already in place (by content).
    pub async fn submit_suggestion(&self, s: &NewSuggestion) -> Result<Receipt> {
        let tree = self.regions().await?;
        let region_id = match s.input.region_id {
            Some(r) => match tree.get(r) {
                Some(n) if n.kind.level() <= 1 => r,
                _ => return Err(Invalid::one("region_id", "unknown_region").into()),
            },
            None => tree.roots().next().map(|r| r.id).ok_or(StoreError::NotFound)?,
        };
        if s.photos.len() > rules::MAX_PHOTOS {
            return Err(Invalid::one("photos", "too_many_photos").into());
        }
        // A stale QR code must not cost the citizen their suggestion: an unknown campaign is
        // simply not linked.
        let campaign_id = match s.campaign_id {
            Some(c) => crate::entity::campaign::Entity::find_by_id(c).one(&self.db).await?.map(|c| c.id),
            None => None,
        };
        let actor = Actor::public(CITIZEN);
        let t = now();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let row = suggestion::ActiveModel {
            region_id: Set(region_id),
            category: Set(s.input.category.to_string()),
            body: Set(s.input.body.clone()),
            name: Set(s.input.name.clone()),
            phone: Set(s.input.phone.clone()),
            campaign_id: Set(campaign_id),
            status: Set(Status::Received.code().to_string()),
            reason: Set(None),
            moderation_note: Set(None),
            moderated_at: Set(None),
            assigned_region_id: Set(None),
            assigned_account_id: Set(None),
            due_on: Set(None),
            assigned_at: Set(None),
            answer: Set(None),
            answer_public: Set(false),
            answered_by: Set(None),
            answered_at: Set(None),
            adopted: Set(false),
            closed_at: Set(None),
            rating: Set(None),
            rating_comment: Set(None),
            rated_at: Set(None),
            token_hash: Set(s.token_hash.clone()),
            created_at: Set(t),
            updated_at: Set(t),
            consent_at: Set(Some(s.consent.at)),
            consent_version: Set(Some(s.consent.version.to_string())),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        for (i, p) in s.photos.iter().enumerate() {
            suggestion_photo::Entity::insert(suggestion_photo::ActiveModel {
                suggestion_id: Set(row.id),
                position: Set(i as i32 + 1),
                sha256: Set(p.sha256.clone()),
                media_type: Set(p.media_type.clone()),
                size: Set(p.size),
                ..Default::default()
            })
            .exec_without_returning(&txn)
            .await?;
        }
        trail(&txn, row.id, "submit", None, Status::Received, None, CITIZEN).await?;
        reindex(&txn, row.id).await?;
        let mut recorded = row.clone();
        recorded.token_hash = String::new();
        let after = serde_json::json!({ "suggestion": recorded, "photos": s.photos });
        chain.record(&txn, &actor, "submit", "suggestion", Some(row.id), None::<&()>, Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(Receipt { id: row.id, receipt: receipt(row.id, t), at: t })
    }

    async fn rows(&self, actor: &Actor, models: Vec<suggestion::Model>) -> Result<Vec<SuggestionRow>> {
        let tree = self.regions().await?;
        let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
        let counts: Vec<(i64, i64)> = suggestion_photo::Entity::find()
            .select_only()
            .column(suggestion_photo::Column::SuggestionId)
            .column_as(suggestion_photo::Column::Id.count(), "n")
            .filter(suggestion_photo::Column::SuggestionId.is_in(ids))
            .group_by(suggestion_photo::Column::SuggestionId)
            .into_tuple()
            .all(&self.db)
            .await?;
        let counts: HashMap<i64, i64> = counts.into_iter().collect();
        let account_ids: Vec<i64> = models.iter().filter_map(|m| m.assigned_account_id).collect();
        let names: HashMap<i64, String> = if account_ids.is_empty() {
            HashMap::new()
        } else {
            account::Entity::find()
                .select_only()
                .column(account::Column::Id)
                .column(account::Column::Username)
                .filter(account::Column::Id.is_in(account_ids))
                .into_tuple()
                .all(&self.db)
                .await?
                .into_iter()
                .collect()
        };
        let personal = actor.role.sees_personal_data();
        let today = today();
        Ok(models
            .into_iter()
            .map(|mut s| {
                if !personal {
                    s.phone = s.phone.map(|p| mask_phone(&p));
                }
                s.token_hash = String::new();
                let status = status_of(&s);
                let town = s.assigned_region_id.and_then(|r| tree.get(r)).map(|r| r.name.clone());
                let officer = s.assigned_account_id.and_then(|a| names.get(&a)).cloned();
                let assigned_to = [town, officer].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                SuggestionRow {
                    receipt: receipt(s.id, s.created_at),
                    place: tree.get(s.region_id).map(|r| r.name.clone()).unwrap_or_default(),
                    assigned_to,
                    photos: counts.get(&s.id).copied().unwrap_or(0) as u64,
                    overdue: status == Status::Assigned && s.due_on.is_some_and(|d| d < today),
                    status,
                    s,
                }
            })
            .collect())
    }

    fn filtered(
        &self,
        actor: &Actor,
        scope: Condition,
        f: &SuggestionFilter,
        tree: &kexie_core::region::RegionTree,
    ) -> sea_orm::Select<suggestion::Entity> {
        let mut q = suggestion::Entity::find().filter(scope);
        let text = f.q.trim();
        if !text.is_empty() {
            if let Some(id) = receipt_id(text) {
                q = q.filter(suggestion::Column::Id.eq(id));
            } else {
                let mut c = Condition::any()
                    .add(suggestion::Column::Body.contains(text))
                    .add(suggestion::Column::Answer.contains(text))
                    .add(suggestion::Column::Name.contains(text));
                if actor.role.sees_personal_data() && text.len() >= 4 && text.bytes().all(|b| b.is_ascii_digit()) {
                    c = c.add(suggestion::Column::Phone.contains(text));
                }
                q = q.filter(c);
            }
        }
        if let Some(s) = f.status {
            q = q.filter(suggestion::Column::Status.eq(s.code()));
        }
        if let Some(c) = f.category.as_deref().filter(|c| !c.is_empty()) {
            q = q.filter(suggestion::Column::Category.eq(c));
        }
        if let Some(t) = f.town {
            let ids: Vec<i64> = tree.subtree_ids(t).into_iter().collect();
            q = q.filter(
                Condition::any()
                    .add(suggestion::Column::RegionId.is_in(ids.clone()))
                    .add(suggestion::Column::AssignedRegionId.is_in(ids)),
            );
        }
        let bounds = match (f.month.as_deref().filter(|m| !m.is_empty()), f.year) {
            (Some(m), _) => Some(crate::month_bounds(m).unwrap_or((now(), now()))),
            (None, Some(y)) => Some(crate::year_bounds(y).unwrap_or((now(), now()))),
            _ => None,
        };
        if let Some((from, to)) = bounds {
            q = q.filter(suggestion::Column::CreatedAt.gte(from)).filter(suggestion::Column::CreatedAt.lt(to));
        }
        if let Some(r) = f.reason.as_deref().filter(|r| !r.is_empty()) {
            q = q.filter(suggestion::Column::Reason.eq(r)).filter(suggestion::Column::Status.eq("rejected"));
        }
        let waiting = [Status::Received.code(), Status::Rejected.code()];
        match f.accepted {
            Some(true) => q = q.filter(suggestion::Column::Status.is_not_in(waiting)),
            Some(false) => q = q.filter(suggestion::Column::Status.is_in(waiting)),
            None => {}
        }
        if let Some(a) = f.adopted {
            q = q.filter(suggestion::Column::Adopted.eq(a));
        }
        let answered = [Status::Answered.code(), Status::Closed.code()];
        match f.answered {
            Some(true) => {
                q = q
                    .filter(suggestion::Column::Status.is_in(answered))
                    .filter(suggestion::Column::AnsweredAt.is_not_null())
            }
            Some(false) => q = q.filter(suggestion::Column::Status.is_not_in(answered)),
            None => {}
        }
        match f.rated {
            Some(true) => q = q.filter(suggestion::Column::Rating.is_not_null()),
            Some(false) => q = q.filter(suggestion::Column::Rating.is_null()),
            None => {}
        }
        if f.overdue == Some(true) {
            q = q
                .filter(suggestion::Column::Status.eq(Status::Assigned.code()))
                .filter(suggestion::Column::DueOn.lt(today()));
        }
        if let Some(c) = f.campaign {
            q = q.filter(suggestion::Column::CampaignId.eq(c));
        }
        q
    }

    /// Campaigns a QR code may name, newest first: (id, name).
    pub async fn suggestion_campaigns(&self) -> Result<Vec<(i64, String)>> {
        use crate::entity::campaign;
        Ok(campaign::Entity::find()
            .select_only()
            .column(campaign::Column::Id)
            .column(campaign::Column::Name)
            .order_by_desc(campaign::Column::StartsOn)
            .into_tuple()
            .all(&self.db)
            .await?)
    }

    /// Suggestions in the caller's scope, newest first.
    pub async fn list_suggestions(
        &self,
        actor: &Actor,
        f: &SuggestionFilter,
        page: PageRequest,
    ) -> Result<Page<SuggestionRow>> {
        let scope = self.suggestion_scope(actor).await?;
        let tree = self.regions().await?;
        let q = self.filtered(actor, scope, f, &tree);
        let total = q.clone().count(&self.db).await?;
        let models = q
            .order_by_desc(suggestion::Column::CreatedAt)
            .order_by_desc(suggestion::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let items = self.rows(actor, models).await?;
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// One suggestion with its photos and trail; outside the caller's scope it does not exist.
    pub async fn get_suggestion(&self, actor: &Actor, id: i64) -> Result<SuggestionView> {
        let m = self.scoped_suggestion(actor, id).await?;
        let row = self.rows(actor, vec![m]).await?.pop().ok_or(StoreError::NotFound)?;
        let photos = suggestion_photo::Entity::find()
            .filter(suggestion_photo::Column::SuggestionId.eq(id))
            .order_by_asc(suggestion_photo::Column::Position)
            .all(&self.db)
            .await?;
        let events = suggestion_event::Entity::find()
            .filter(suggestion_event::Column::SuggestionId.eq(id))
            .order_by_asc(suggestion_event::Column::Id)
            .all(&self.db)
            .await?;
        Ok(SuggestionView { row, photos, events })
    }

    async fn scoped_suggestion(&self, actor: &Actor, id: i64) -> Result<suggestion::Model> {
        let scope = self.suggestion_scope(actor).await?;
        suggestion::Entity::find_by_id(id).filter(scope).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    /// One photo of a suggestion the caller may see (`n` counts from 1).
    pub async fn suggestion_photo(&self, actor: &Actor, id: i64, n: i32) -> Result<suggestion_photo::Model> {
        self.scoped_suggestion(actor, id).await?;
        suggestion_photo::Entity::find()
            .filter(suggestion_photo::Column::SuggestionId.eq(id))
            .filter(suggestion_photo::Column::Position.eq(n))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Applies one step to a suggestion the caller may see and act on, in one transaction:
    /// the change, the trail, the search log and the audit record.
    async fn step(
        &self,
        actor: &Actor,
        id: i64,
        step: Option<Step>,
        action: &str,
        note: Option<String>,
        change: impl FnOnce(&mut suggestion::ActiveModel, Status),
    ) -> Result<()> {
        let scope = self.suggestion_scope(actor).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = suggestion::Entity::find_by_id(id).filter(scope).one(&txn).await?.ok_or(StoreError::NotFound)?;
        let from = status_of(&before);
        let to = match step {
            Some(s) => rules::next(from, s).map_err(|code| Invalid::one("step", code))?,
            None => from,
        };
        let mut am: suggestion::ActiveModel = before.clone().into();
        am.status = Set(to.code().to_string());
        am.updated_at = Set(now());
        change(&mut am, from);
        let after = am.update(&txn).await?;
        trail(&txn, id, action, Some(from), to, note, &actor.username).await?;
        reindex(&txn, id).await?;
        let (mut b, mut a) = (before, after);
        b.token_hash = String::new();
        a.token_hash = String::new();
        chain.record(&txn, actor, action, "suggestion", Some(id), Some(&b), Some(&a)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    fn reviews(actor: &Actor) -> Result<()> {
        if actor.can(Area::Suggestion, Action::Review) { Ok(()) } else { Err(StoreError::NotFound) }
    }

    /// Accepts a suggestion or rejects it with a reason (moderation).
    pub async fn moderate_suggestion(&self, actor: &Actor, id: i64, m: &Moderation) -> Result<()> {
        Self::reviews(actor)?;
        let action = m.step.code();
        let note = match (m.reason, &m.note) {
            (Some(r), Some(n)) => Some(format!("{}：{n}", rules::reason_zh(r))),
            (Some(r), None) => Some(rules::reason_zh(r).to_string()),
            (None, n) => n.clone(),
        };
        let (reason, moderation_note) = (m.reason.map(str::to_string), m.note.clone());
        self.step(actor, id, Some(m.step), action, note, move |am, _| {
            am.reason = Set(reason);
            am.moderation_note = Set(moderation_note);
            am.moderated_at = Set(Some(now()));
        })
        .await
    }

    /// Accounts suggestions may be routed to: town officers (and the association's staff).
    pub async fn suggestion_officers(&self) -> Result<Vec<Officer>> {
        let tree = self.regions().await?;
        let rows = account::Entity::find()
            .filter(account::Column::Role.is_in([Role::TownOfficer.code(), Role::DistrictStaff.code()]))
            .filter(account::Column::Disabled.eq(false))
            .order_by_asc(account::Column::ScopeRegionId)
            .order_by_asc(account::Column::Username)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|a| Officer {
                account_id: a.id,
                username: a.username,
                town: a.scope_region_id.and_then(|r| tree.get(r)).map(|r| r.name.clone()).unwrap_or_default(),
            })
            .collect())
    }

    /// Routes a suggestion (派单) to a town, an officer, or both; an officer alone brings
    /// their town with them.
    pub async fn assign_suggestion(&self, actor: &Actor, id: i64, a: &Assignment) -> Result<()> {
        Self::reviews(actor)?;
        let mut refs = self.refs(actor).await?;
        let tree = refs.tree();
        if let Some(r) = a.region_id
            && refs.region("region_id", r).is_some_and(|n| !n.kind.is_town_level())
        {
            refs.refuse("region_id");
        }
        let officer = match a.account_id {
            Some(acc) => {
                let found = account::Entity::find_by_id(acc).one(&self.db).await?.filter(|x| {
                    !x.disabled && (x.role == Role::TownOfficer.code() || x.role == Role::DistrictStaff.code())
                });
                // A town officer named with a town must be that town's: the suggestion is seen
                // by the town it is routed to, so an officer elsewhere could not open it.
                let elsewhere = |o: &account::Model| {
                    a.region_id
                        .is_some_and(|r| o.scope_region_id.is_some_and(|s| tree.town_of(s).map(|t| t.id) != Some(r)))
                };
                if found.as_ref().is_none_or(elsewhere) {
                    refs.push("account_id", "unknown_officer");
                }
                found
            }
            None => None,
        };
        refs.finish()?;
        let officer_town = officer.as_ref().and_then(|o| o.scope_region_id).and_then(|r| tree.town_of(r)).map(|t| t.id);
        let region = a.region_id.or(officer_town);
        let mut words = Vec::new();
        if let Some(t) = region.and_then(|r| tree.get(r)) {
            words.push(t.name.clone());
        }
        if let Some(o) = &officer {
            words.push(o.username.clone());
        }
        let mut note = format!("{}（{} 前答复）", words.join(" · "), a.due_on);
        if let Some(n) = &a.note {
            note.push_str(&format!("：{n}"));
        }
        let (account_id, due_on) = (officer.map(|o| o.id), a.due_on);
        self.step(actor, id, Some(Step::Assign), "assign", Some(note), move |am, _| {
            am.assigned_region_id = Set(region);
            am.assigned_account_id = Set(account_id);
            am.due_on = Set(Some(due_on));
            am.assigned_at = Set(Some(now()));
        })
        .await
    }

    /// The official answer, public or private. A town officer answers what was routed to
    /// them; the association may answer any accepted suggestion.
    pub async fn answer_suggestion(&self, actor: &Actor, id: i64, a: &Answer) -> Result<()> {
        if !actor.can(Area::Suggestion, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let (text, public, by) = (a.text.clone(), a.public, actor.username.clone());
        let note = Some(if a.public { "公开答复" } else { "不公开答复" }.to_string());
        self.step(actor, id, Some(Step::Answer), "answer", note, move |am, _| {
            am.answer = Set(Some(text));
            am.answer_public = Set(public);
            am.answered_by = Set(Some(by));
            am.answered_at = Set(Some(now()));
        })
        .await
    }

    /// Marks an answered suggestion as adopted (采纳), or takes the mark back.
    pub async fn adopt_suggestion(&self, actor: &Actor, id: i64, adopted: bool) -> Result<()> {
        Self::reviews(actor)?;
        let current = self.scoped_suggestion(actor, id).await?;
        if !rules::can_adopt(status_of(&current)) {
            return Err(Invalid::one("step", "step_not_allowed").into());
        }
        let action = if adopted { "adopt" } else { "unadopt" };
        self.step(actor, id, None, action, None, move |am, _| am.adopted = Set(adopted)).await
    }

    pub async fn close_suggestion(&self, actor: &Actor, id: i64) -> Result<()> {
        Self::reviews(actor)?;
        self.step(actor, id, Some(Step::Close), "close", None, |am, _| am.closed_at = Set(Some(now()))).await
    }

    /// What the citizen sees through their follow-up link.
    pub async fn suggestion_by_token(&self, token_hash: &str) -> Result<CitizenView> {
        let s = suggestion::Entity::find()
            .filter(suggestion::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let tree = self.regions().await?;
        let photos = suggestion_photo::Entity::find()
            .filter(suggestion_photo::Column::SuggestionId.eq(s.id))
            .count(&self.db)
            .await? as usize;
        let steps = suggestion_event::Entity::find()
            .filter(suggestion_event::Column::SuggestionId.eq(s.id))
            .order_by_asc(suggestion_event::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.action, e.to_status, e.at))
            .collect();
        let status = status_of(&s);
        let shown = status.has_answer();
        Ok(CitizenView {
            id: s.id,
            receipt: receipt(s.id, s.created_at),
            category: s.category,
            body: s.body,
            status,
            reason: s.reason.filter(|_| status == Status::Rejected),
            place: tree.get(s.region_id).map(|r| r.name.clone()).unwrap_or_default(),
            assigned_town: s.assigned_region_id.and_then(|r| tree.get(r)).map(|r| r.name.clone()),
            photos,
            answer: s.answer.filter(|_| shown),
            answer_public: s.answer_public,
            answered_at: s.answered_at.filter(|_| shown),
            adopted: s.adopted,
            rating: s.rating,
            rating_comment: s.rating_comment,
            created_at: s.created_at,
            steps,
        })
    }

    /// The citizen's rating of the answer: once, after the answer.
    pub async fn rate_suggestion(&self, token_hash: &str, r: &Rating) -> Result<()> {
        let actor = Actor::public(CITIZEN);
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let before = suggestion::Entity::find()
            .filter(suggestion::Column::TokenHash.eq(token_hash))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let status = status_of(&before);
        if !rules::can_rate(status, before.rating.is_some()) {
            let code = if before.rating.is_some() { "already_rated" } else { "not_answered" };
            return Err(Invalid::one("rating", code).into());
        }
        let id = before.id;
        let mut am: suggestion::ActiveModel = before.clone().into();
        am.rating = Set(Some(r.stars));
        am.rating_comment = Set(r.comment.clone());
        am.rated_at = Set(Some(now()));
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        let note = Some(match &r.comment {
            Some(c) => format!("{} 星：{c}", r.stars),
            None => format!("{} 星", r.stars),
        });
        trail(&txn, id, "rate", Some(status), status, note, CITIZEN).await?;
        reindex(&txn, id).await?;
        let (mut b, mut a) = (before, after);
        b.token_hash = String::new();
        a.token_hash = String::new();
        chain.record(&txn, &actor, "rate", "suggestion", Some(id), Some(&b), Some(&a)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Answered suggestions whose answer is public, newest answer first; for anyone.
    pub async fn public_answers(&self, category: Option<&str>, page: PageRequest) -> Result<Page<PublicAnswer>> {
        let tree = self.regions().await?;
        let mut q = suggestion::Entity::find()
            .filter(suggestion::Column::Status.is_in([Status::Answered.code(), Status::Closed.code()]))
            .filter(suggestion::Column::AnswerPublic.eq(true))
            .filter(suggestion::Column::Answer.is_not_null());
        if let Some(c) = category.filter(|c| !c.is_empty()) {
            q = q.filter(suggestion::Column::Category.eq(c));
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(suggestion::Column::AnsweredAt)
            .order_by_desc(suggestion::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let items = rows
            .into_iter()
            .map(|s| PublicAnswer {
                who: s.name.as_deref().map(rules::mask_name).filter(|n| !n.is_empty()).unwrap_or_default(),
                place: tree.get(s.region_id).map(|r| r.name.clone()).unwrap_or_default(),
                category: s.category,
                body: s.body,
                answer: s.answer.unwrap_or_default(),
                adopted: s.adopted,
                created_at: s.created_at,
                answered_at: s.answered_at,
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    /// The figures over the suggestions the caller sees that match the filter (a year, a
    /// town, a category …).
    pub async fn suggestion_figures(&self, actor: &Actor, f: &SuggestionFilter) -> Result<Figures> {
        let scope = self.suggestion_scope(actor).await?;
        let tree = self.regions().await?;
        let rows: Vec<suggestion::Model> = self.filtered(actor, scope, f, &tree).all(&self.db).await?;
        let facts: Vec<Fact> = rows
            .into_iter()
            .map(|s| Fact {
                status: status_of(&s),
                category: s.category,
                reason: s.reason,
                adopted: s.adopted,
                rating: s.rating,
                created_at: s.created_at,
                answered_at: s.answered_at,
            })
            .collect();
        Ok(tally(&facts))
    }

    /// Years that have suggestions, newest first (for the figures' year picker).
    pub async fn suggestion_years(&self) -> Result<Vec<i32>> {
        let first: Option<DateTime<Utc>> = suggestion::Entity::find()
            .select_only()
            .column(suggestion::Column::CreatedAt)
            .order_by_asc(suggestion::Column::CreatedAt)
            .into_tuple()
            .one(&self.db)
            .await?;
        let this = kexie_core::estation::proof::day_of(now()).format("%Y").to_string().parse().unwrap_or(2026);
        let from = first
            .map(|t| kexie_core::estation::proof::day_of(t).format("%Y").to_string())
            .and_then(|y| y.parse().ok())
            .unwrap_or(this);
        Ok((from..=this).rev().collect())
    }

    /// Suggestions for the search index: all of them (`None`) or those with the given ids
    /// (what `search_change` rows of kind `suggestion` name). A suggestion is `public` when it
    /// has a public answer; only then may the index show it to people without the
    /// suggestion permission. Ids that no longer exist are simply absent from the result.
    pub async fn suggestions_for_index(&self, ids: Option<&[i64]>) -> Result<Vec<SuggestionDoc>> {
        let mut q = suggestion::Entity::find().order_by_asc(suggestion::Column::Id);
        if let Some(ids) = ids {
            q = q.filter(suggestion::Column::Id.is_in(ids.to_vec()));
        }
        Ok(q.all(&self.db)
            .await?
            .into_iter()
            .map(|s| {
                let status = status_of(&s);
                let public = status.has_answer() && s.answer_public && s.answer.is_some();
                let mut text = s.body.clone();
                if public && let Some(a) = &s.answer {
                    text.push('\n');
                    text.push_str(a);
                }
                SuggestionDoc {
                    title: format!("{}建议 {}", rules::category_zh(&s.category), receipt(s.id, s.created_at)),
                    text,
                    region_id: scope_region(&s),
                    public,
                    status: s.status,
                    date: kexie_core::estation::proof::day_of(s.created_at),
                    id: s.id,
                }
            })
            .collect())
    }

    /// Rows for the Excel export: the filtered list, unpaged up to a bound, masked for the role.
    pub async fn suggestion_export(&self, actor: &Actor, f: &SuggestionFilter) -> Result<Vec<SuggestionRow>> {
        Ok(self.list_suggestions(actor, f, PageRequest { page: 1, per_page: 100_000 }).await?.items)
    }

    /// Suggestions waiting for the caller: to moderate (the association), or routed to them
    /// and not yet answered (a town).
    pub async fn suggestions_waiting(&self, actor: &Actor) -> Result<u64> {
        let scope = self.suggestion_scope(actor).await?;
        let status = if actor.can(Area::Suggestion, Action::Review) { Status::Received } else { Status::Assigned };
        Ok(suggestion::Entity::find()
            .filter(scope)
            .filter(suggestion::Column::Status.eq(status.code()))
            .count(&self.db)
            .await?)
    }
}

/// Days from receipt to answer, for a row (None until answered).
pub fn days_to_answer(s: &suggestion::Model) -> Option<i64> {
    s.answered_at.map(|a| (a - s.created_at).num_days().max(0))
}

/// The due date as the list shows it.
pub fn due_label(s: &suggestion::Model) -> String {
    s.due_on.map(|d| d.to_string()).unwrap_or_default()
}
