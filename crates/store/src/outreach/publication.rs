//! Publications: a released piece on a channel. Screens are published by scheduling the piece
//! (its media item, schedule entry, publication and status in one write); the other channels
//! are recorded by hand, or opened as tasks by an emergency campaign and completed later.

use super::content::{status_of, step_in};
use super::edits_content;
use super::sees_content;
use crate::entity::{content, media, publication};
use crate::estation::content::{NewMedia, insert_media, insert_schedule, runs_screens};
use crate::{Result, Store, StoreError, audit, now};
use chrono::NaiveDate;
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor};
use kexie_core::estation::proof::day_of;
use kexie_core::estation::schedule::ScheduleInput;
use kexie_core::outreach::Channel;
use kexie_core::outreach::publication::{PublicationInput, PublicationStatus};
use kexie_core::outreach::review::ReviewStep;
use kexie_core::page::{Page, PageRequest};
use kexie_core::scope::Scope;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// What screens will play for a piece: an item already in the library, or a new one (its
/// file already stored by content address).
#[derive(Debug, Clone)]
pub enum ScreenMedia {
    Existing(i64),
    New(NewMedia),
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublicationFilter {
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub status: String,
    /// "2026-03"
    #[serde(default)]
    pub month: String,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub year: Option<i64>,
    #[serde(default)]
    pub topic: String,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub campaign: Option<i64>,
    #[serde(default, deserialize_with = "kexie_core::validate::empty_as_none")]
    pub content: Option<i64>,
    #[serde(default)]
    pub q: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PublicationRow {
    pub publication: publication::Model,
    pub title: String,
    pub topic: String,
}

fn month_range(m: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok()?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    Some((first, next.pred_opt()?))
}

impl Store {
    pub async fn list_publications(
        &self,
        actor: &Actor,
        f: &PublicationFilter,
        page: PageRequest,
    ) -> Result<Page<PublicationRow>> {
        sees_content(actor)?;
        let mut q = publication::Entity::find();
        if let Some(towns) = self.publication_towns(actor).await? {
            q = q.filter(publication::Column::RegionId.is_in(towns));
        }
        if !f.channel.is_empty() {
            q = q.filter(publication::Column::Channel.eq(f.channel.as_str()));
        }
        if !f.status.is_empty() {
            q = q.filter(publication::Column::Status.eq(f.status.as_str()));
        }
        if let Some((a, b)) = month_range(&f.month) {
            q = q.filter(publication::Column::PublishedOn.between(a, b));
        }
        if let Some(y) = f.year.and_then(|y| i32::try_from(y).ok())
            && let (Some(a), Some(b)) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31))
        {
            q = q.filter(publication::Column::PublishedOn.between(a, b));
        }
        if let Some(c) = f.campaign {
            q = q.filter(publication::Column::CampaignId.eq(c));
        }
        if let Some(c) = f.content {
            q = q.filter(publication::Column::ContentId.eq(c));
        }
        let text = f.q.trim();
        if !text.is_empty() || !f.topic.is_empty() {
            let mut cq = content::Entity::find();
            if !text.is_empty() {
                cq = cq.filter(content::Column::Title.contains(text));
            }
            if !f.topic.is_empty() {
                cq = cq.filter(content::Column::Topic.eq(f.topic.as_str()));
            }
            let ids: Vec<i64> = cq.all(&self.db).await?.into_iter().map(|c| c.id).collect();
            let mut any = Condition::any().add(publication::Column::ContentId.is_in(ids));
            if !text.is_empty() && f.topic.is_empty() {
                any =
                    any.add(publication::Column::Account.contains(text)).add(publication::Column::Issue.contains(text));
            }
            q = q.filter(any);
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(publication::Column::PublishedOn)
            .order_by_desc(publication::Column::Id)
            .paginate(&self.db, page.per_page)
            .fetch_page(page.page - 1)
            .await?;
        let ids: Vec<i64> = rows.iter().map(|p| p.content_id).collect();
        let pieces: std::collections::HashMap<i64, content::Model> = content::Entity::find()
            .filter(content::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let items = rows
            .into_iter()
            .map(|p| {
                let c = pieces.get(&p.content_id);
                PublicationRow {
                    title: c.map(|c| c.title.clone()).unwrap_or_default(),
                    topic: c.map(|c| c.topic.clone()).unwrap_or_default(),
                    publication: p,
                }
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_publication(&self, actor: &Actor, id: i64) -> Result<publication::Model> {
        sees_content(actor)?;
        let p = publication::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        if !shows_publication(&self.publication_towns(actor).await?, &p) {
            return Err(StoreError::NotFound);
        }
        Ok(p)
    }

    /// The regions whose publications the actor sees, or None for all: a town sees those
    /// placed in it, as the list does.
    pub(crate) async fn publication_towns(&self, actor: &Actor) -> Result<Option<HashSet<i64>>> {
        Ok(match actor.scope {
            Scope::Region { id, .. } => Some(self.regions().await?.subtree_ids(id)),
            _ => None,
        })
    }

    /// The town a publication names must be one the caller may place it in.
    async fn check_publication_refs(&self, actor: &Actor, i: &PublicationInput) -> Result<()> {
        let mut refs = self.refs(actor).await?;
        if let Some(r) = i.region_id {
            refs.region("region_id", r);
        }
        refs.finish()
    }

    /// Records a piece on a channel by hand; the piece must have passed review.
    pub async fn record_publication(
        &self,
        actor: &Actor,
        content_id: i64,
        i: &PublicationInput,
        campaign_id: Option<i64>,
    ) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        let piece = self.releasable(actor, content_id).await?;
        self.check_publication_refs(actor, i).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let id =
            insert_publication(&txn, &mut chain, actor, &piece, i, PublicationStatus::Done, campaign_id, None).await?;
        step_in(&txn, &mut chain, actor, &piece, ReviewStep::Publish, "").await?;
        self.commit(txn, chain).await?;
        Ok(id)
    }

    /// Completes a task an emergency campaign opened.
    pub async fn complete_task(&self, actor: &Actor, id: i64, i: &PublicationInput) -> Result<()> {
        edits_content(actor, Action::Edit)?;
        let before = self.get_publication(actor, id).await?;
        if before.status != PublicationStatus::Task.code() {
            return Err(Invalid::one("status", "already_done").into());
        }
        if before.channel != i.channel.code() {
            return Err(Invalid::one("channel", "channel_mismatch").into());
        }
        let piece = self.releasable(actor, before.content_id).await?;
        self.check_publication_refs(actor, i).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: publication::ActiveModel = before.clone().into();
        am.status = Set(PublicationStatus::Done.code().into());
        am.account = Set(i.account.clone());
        am.published_on = Set(Some(i.published_on));
        am.link = Set(i.link.clone());
        am.issue = Set(i.issue.clone());
        am.region_id = Set(i.region_id);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "complete", "publication", Some(id), Some(&before), Some(&after)).await?;
        step_in(&txn, &mut chain, actor, &piece, ReviewStep::Publish, "").await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Puts a released piece on the screens: its media item (if new), the schedule entry, the
    /// publication and the piece's status, in one write. `schedule.media_id` is filled here.
    pub async fn publish_to_screens(
        &self,
        actor: &Actor,
        content_id: i64,
        media_item: ScreenMedia,
        schedule: &ScheduleInput,
        campaign_id: Option<i64>,
    ) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        runs_screens(actor)?;
        let piece = self.releasable(actor, content_id).await?;
        self.check_target(&schedule.target).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let media_id = match media_item {
            ScreenMedia::Existing(id) => {
                media::Entity::find_by_id(id).one(&txn).await?.ok_or(Invalid::one("media_id", "required"))?;
                id
            }
            ScreenMedia::New(m) => {
                match media::Entity::find().filter(media::Column::Sha256.eq(m.sha256.as_str())).one(&txn).await? {
                    Some(existing) => existing.id,
                    None => insert_media(&txn, &mut chain, actor, &m, piece.title.clone()).await?,
                }
            }
        };
        let schedule = ScheduleInput { media_id, ..schedule.clone() };
        let schedule_id = insert_schedule(&txn, &mut chain, actor, &schedule, &piece.title).await?;
        let mut am: content::ActiveModel = piece.clone().into();
        am.media_id = Set(Some(media_id));
        let piece = am.update(&txn).await?;
        let input = PublicationInput {
            channel: Channel::Screen,
            account: "科普e站".into(),
            published_on: day_of(schedule.valid_from.max(now())),
            link: None,
            issue: Some(kexie_core::estation::schedule::format_local(schedule.valid_from).replace('T', " ")),
            region_id: None,
        };
        let id = insert_publication(
            &txn,
            &mut chain,
            actor,
            &piece,
            &input,
            PublicationStatus::Done,
            campaign_id,
            Some((Some(schedule_id), None)),
        )
        .await?;
        step_in(&txn, &mut chain, actor, &piece, ReviewStep::Publish, "").await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(id)
    }

    async fn releasable(&self, actor: &Actor, content_id: i64) -> Result<content::Model> {
        let piece = self.get_content(actor, content_id).await?;
        if !status_of(&piece).releasable() {
            return Err(Invalid::one("content", "not_released").into());
        }
        Ok(piece)
    }
}

/// Inserts a publication; `screen` carries the schedule entry or interrupt behind it.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_publication(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    piece: &content::Model,
    i: &PublicationInput,
    status: PublicationStatus,
    campaign_id: Option<i64>,
    screen: Option<(Option<i64>, Option<i64>)>,
) -> Result<i64> {
    let t = now();
    let (schedule_id, interrupt_id) = screen.unwrap_or((None, None));
    let row = publication::ActiveModel {
        content_id: Set(piece.id),
        channel: Set(i.channel.code().into()),
        status: Set(status.code().into()),
        account: Set(i.account.clone()),
        published_on: Set((status == PublicationStatus::Done).then_some(i.published_on)),
        link: Set(i.link.clone()),
        issue: Set(i.issue.clone()),
        schedule_id: Set(schedule_id),
        interrupt_id: Set(interrupt_id),
        campaign_id: Set(campaign_id.or(piece.campaign_id)),
        region_id: Set(i.region_id),
        created_by: Set(actor.username.clone()),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    chain.record(txn, actor, "create", "publication", Some(row.id), None::<&()>, Some(&row)).await?;
    Ok(row.id)
}

/// Whether a publication lies in the regions `publication_towns` gave.
pub(crate) fn shows_publication(towns: &Option<HashSet<i64>>, p: &publication::Model) -> bool {
    towns.as_ref().is_none_or(|t| p.region_id.is_some_and(|r| t.contains(&r)))
}
