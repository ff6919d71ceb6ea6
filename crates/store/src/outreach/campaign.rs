//! Campaigns, and emergency science in one action: the piece goes to every screen as an
//! interrupt, every other channel gets a publication task, and the coverage board follows
//! screens switched, channels done and reach so far.

use super::content::{status_of, step_in};
use super::publication::{insert_publication, shows_publication};
use super::{edits_content, sees_content};
use crate::entity::{campaign, content, media, publication};
use crate::estation::content::{Behind, NewMedia, Receipt, insert_interrupt, insert_media, runs_screens};
use crate::{Result, Store, StoreError, audit, now};
use chrono::{DateTime, Datelike, Utc};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor};
use kexie_core::estation::manifest::Target;
use kexie_core::estation::proof::day_of;
use kexie_core::estation::schedule::InterruptInput;
use kexie_core::outreach::Channel;
use kexie_core::outreach::campaign::{CampaignInput, CampaignKind, emergency_tasks};
use kexie_core::outreach::publication::{PublicationInput, PublicationStatus, accounts};
use kexie_core::outreach::review::ReviewStep;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

/// The live coverage of an emergency campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub screens_targeted: usize,
    pub screens_switched: usize,
    /// The targeted screens not switched yet, with their station and town.
    pub not_switched: Vec<Behind>,
    pub channels_done: usize,
    pub channels_total: usize,
    pub tasks: Vec<publication::Model>,
    pub person_times: i64,
}

impl Store {
    pub async fn list_campaigns(&self, actor: &Actor) -> Result<Vec<campaign::Model>> {
        sees_content(actor)?;
        Ok(campaign::Entity::find().order_by_desc(campaign::Column::StartsOn).all(&self.db).await?)
    }

    pub async fn get_campaign(&self, actor: &Actor, id: i64) -> Result<campaign::Model> {
        sees_content(actor)?;
        campaign::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)
    }

    pub async fn create_campaign(&self, actor: &Actor, i: &CampaignInput) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let row = campaign::ActiveModel {
            name: Set(i.name.clone()),
            kind: Set(i.kind.code().into()),
            starts_on: Set(i.starts_on),
            ends_on: Set(i.ends_on),
            description: Set(i.description.clone()),
            content_id: Set(None),
            interrupt_id: Set(None),
            created_by: Set(actor.username.clone()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "campaign", Some(row.id), None::<&()>, Some(&row)).await?;
        self.commit(txn, chain).await?;
        Ok(row.id)
    }

    /// Files a piece under a campaign (its publications count for the campaign).
    pub async fn set_content_campaign(&self, actor: &Actor, content_id: i64, campaign_id: Option<i64>) -> Result<()> {
        edits_content(actor, Action::Edit)?;
        if let Some(c) = campaign_id {
            self.get_campaign(actor, c).await?;
        }
        let before = self.get_content(actor, content_id).await?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: content::ActiveModel = before.clone().into();
        am.campaign_id = Set(campaign_id);
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "content", Some(content_id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Launches emergency science for a campaign with a released piece: the interrupt on every
    /// screen until `until`, a task on each other channel, all in one write.
    pub async fn launch_emergency(
        &self,
        actor: &Actor,
        campaign_id: i64,
        content_id: i64,
        media_item: Option<NewMedia>,
        until: DateTime<Utc>,
    ) -> Result<i64> {
        edits_content(actor, Action::Edit)?;
        runs_screens(actor)?;
        let c = self.get_campaign(actor, campaign_id).await?;
        if c.kind != CampaignKind::Emergency.code() {
            return Err(Invalid::one("campaign", "not_emergency").into());
        }
        if c.interrupt_id.is_some() {
            return Err(Invalid::one("campaign", "already_launched").into());
        }
        let piece = self.get_content(actor, content_id).await?;
        if !status_of(&piece).releasable() {
            return Err(Invalid::one("content_id", "not_released").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let media_id = match (piece.media_id, media_item) {
            (Some(id), _) => id,
            (None, Some(m)) => {
                match media::Entity::find().filter(media::Column::Sha256.eq(m.sha256.as_str())).one(&txn).await? {
                    Some(existing) => existing.id,
                    None => insert_media(&txn, &mut chain, actor, &m, piece.title.clone()).await?,
                }
            }
            (None, None) => return Err(Invalid::one("content_id", "no_screen_media").into()),
        };
        let interrupt = insert_interrupt(
            &txn,
            &mut chain,
            actor,
            &InterruptInput { media_id, target: Target::All, until, campaign: Some(c.name.clone()) },
            &piece.title,
        )
        .await?;
        let mut am: content::ActiveModel = piece.clone().into();
        am.media_id = Set(Some(media_id));
        am.campaign_id = Set(Some(campaign_id));
        let piece = am.update(&txn).await?;
        let today = day_of(now());
        let screen = PublicationInput {
            channel: Channel::Screen,
            account: "科普e站".into(),
            published_on: today,
            link: None,
            issue: Some("应急插播".into()),
            region_id: None,
        };
        insert_publication(
            &txn,
            &mut chain,
            actor,
            &piece,
            &screen,
            PublicationStatus::Done,
            Some(campaign_id),
            Some((None, Some(interrupt.id))),
        )
        .await?;
        for ch in emergency_tasks() {
            let task = PublicationInput {
                channel: ch,
                account: accounts(ch).first().map(|a| a.to_string()).unwrap_or_default(),
                published_on: today,
                link: None,
                issue: None,
                region_id: None,
            };
            insert_publication(
                &txn,
                &mut chain,
                actor,
                &piece,
                &task,
                PublicationStatus::Task,
                Some(campaign_id),
                None,
            )
            .await?;
        }
        let mut am: campaign::ActiveModel = c.clone().into();
        am.content_id = Set(Some(content_id));
        am.interrupt_id = Set(Some(interrupt.id));
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "launch", "campaign", Some(campaign_id), Some(&c), Some(&after)).await?;
        step_in(&txn, &mut chain, actor, &piece, ReviewStep::Publish, "").await?;
        self.commit(txn, chain).await?;
        self.screens.invalidate();
        Ok(interrupt.id)
    }

    /// Screens switched, channels done and person-times so far, for the live board.
    pub async fn campaign_coverage(&self, actor: &Actor, id: i64) -> Result<Coverage> {
        let c = self.get_campaign(actor, id).await?;
        let pubs = publication::Entity::find()
            .filter(publication::Column::CampaignId.eq(id))
            .order_by_asc(publication::Column::Id)
            .all(&self.db)
            .await?;
        let screens = match c.interrupt_id {
            Some(i) if actor.can(kexie_core::account::Area::Schedule, Action::View) => {
                self.interrupt_status(actor, i).await?.1
            }
            _ => Receipt { targeted: 0, done: 0, behind: Vec::new() },
        };
        let manual: Vec<publication::Model> =
            pubs.iter().filter(|p| p.channel != Channel::Screen.code()).cloned().collect();
        let done = manual.iter().filter(|p| p.status == PublicationStatus::Done.code()).count();
        let person_times = self.person_times_of(actor, &pubs, c.starts_on.year()..=c.ends_on.year()).await?;
        let total = manual.len();
        // The counts are the campaign's; the rows only those the caller may open.
        let towns = self.publication_towns(actor).await?;
        let tasks = manual.into_iter().filter(|p| shows_publication(&towns, p)).collect();
        Ok(Coverage {
            screens_targeted: screens.targeted,
            screens_switched: screens.done,
            not_switched: screens.behind,
            channels_done: done,
            channels_total: total,
            tasks,
            person_times,
        })
    }
}
