//! 对接记录: engagements from match to outcome, follow-up reminders, and the figures by town,
//! industry and expert.

use super::Reach;
use crate::entity::{engagement, expert, need};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::NeedStatus;
use kexie_core::matchmaking::engagement::{Fact, Figures, Outcome, Stage, StepForm, figures};
use kexie_core::page::{Page, PageRequest};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct EngagementView {
    #[serde(flatten)]
    pub engagement: engagement::Model,
    pub need_title: String,
    pub industry: String,
    pub enterprise: String,
    pub town: String,
    pub expert: String,
}

impl EngagementView {
    pub fn stage(&self) -> Stage {
        Stage::parse(&self.engagement.stage).unwrap_or(Stage::Matched)
    }
}

#[derive(Debug, Clone, Default)]
pub struct EngagementFilter {
    pub stage: Option<Stage>,
    pub need_id: Option<i64>,
    pub expert_id: Option<i64>,
    /// Only those whose follow-up date has come.
    pub due: bool,
    pub town: String,
    pub industry: String,
}

impl Store {
    /// Engagements on needs the caller sees; an expert sees their own.
    async fn scoped_engagements(&self, actor: &Actor) -> Result<Select<engagement::Entity>> {
        if !actor.can(Area::Engagement, Action::View) {
            return Err(StoreError::NotFound);
        }
        let reach = self.reach(actor).await?;
        let q = engagement::Entity::find();
        Ok(match reach {
            Reach::All => q,
            Reach::Approved => q.filter(engagement::Column::ExpertId.eq(self.own_expert(actor).await?.unwrap_or(-1))),
            _ => {
                let needs: Vec<i64> = self
                    .need_query(actor)
                    .await?
                    .select_only()
                    .column(need::Column::Id)
                    .into_tuple()
                    .all(&self.db)
                    .await?;
                q.filter(engagement::Column::NeedId.is_in(needs))
            }
        })
    }

    async fn engagement_views(&self, rows: Vec<engagement::Model>) -> Result<Vec<EngagementView>> {
        let need_ids: Vec<i64> = rows.iter().map(|e| e.need_id).collect();
        let expert_ids: Vec<i64> = rows.iter().map(|e| e.expert_id).collect();
        let mut needs: HashMap<i64, need::Model> = HashMap::new();
        for chunk in need_ids.chunks(500) {
            for n in need::Entity::find().filter(need::Column::Id.is_in(chunk.to_vec())).all(&self.db).await? {
                needs.insert(n.id, n);
            }
        }
        let mut experts: HashMap<i64, String> = HashMap::new();
        for chunk in expert_ids.chunks(500) {
            for e in expert::Entity::find().filter(expert::Column::Id.is_in(chunk.to_vec())).all(&self.db).await? {
                experts.insert(e.id, e.name);
            }
        }
        let tree = self.regions().await?;
        let orgs = self.catalog.orgs();
        Ok(rows
            .into_iter()
            .map(|e| {
                let n = needs.get(&e.need_id);
                let o = n.and_then(|n| orgs.get(n.org_id));
                EngagementView {
                    need_title: n.map(|n| n.title.clone()).unwrap_or_default(),
                    industry: n.map(|n| n.industry.clone()).unwrap_or_default(),
                    enterprise: o.map(|o| o.name.clone()).unwrap_or_default(),
                    town: o.and_then(|o| tree.town_of(o.region_id)).map(|t| t.name.clone()).unwrap_or_default(),
                    expert: experts.get(&e.expert_id).cloned().unwrap_or_default(),
                    engagement: e,
                }
            })
            .collect())
    }

    pub async fn list_engagements(
        &self,
        actor: &Actor,
        f: &EngagementFilter,
        page: PageRequest,
    ) -> Result<Page<EngagementView>> {
        let mut q = self.scoped_engagements(actor).await?;
        if let Some(s) = f.stage {
            q = q.filter(engagement::Column::Stage.eq(s.code()));
        }
        if let Some(n) = f.need_id {
            q = q.filter(engagement::Column::NeedId.eq(n));
        }
        if let Some(e) = f.expert_id {
            q = q.filter(engagement::Column::ExpertId.eq(e));
        }
        if f.due {
            q = q.filter(engagement::Column::FollowUpOn.lte(super::need::today()));
        }
        // Town and industry are attributes of the need's enterprise: filtered after the join in
        // memory, on the caller's (bounded) set.
        if !f.town.is_empty() || !f.industry.is_empty() {
            let all =
                self.engagement_views(q.order_by_desc(engagement::Column::UpdatedAt).all(&self.db).await?).await?;
            let kept: Vec<EngagementView> = all
                .into_iter()
                .filter(|v| {
                    (f.town.is_empty() || v.town == f.town) && (f.industry.is_empty() || v.industry == f.industry)
                })
                .collect();
            let total = kept.len() as u64;
            let items = kept.into_iter().skip(page.offset() as usize).take(page.per_page as usize).collect();
            return Ok(Page { items, total, page: page.page, per_page: page.per_page });
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q
            .order_by_desc(engagement::Column::UpdatedAt)
            .order_by_desc(engagement::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        Ok(Page { items: self.engagement_views(rows).await?, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_engagement(&self, actor: &Actor, id: i64) -> Result<EngagementView> {
        let e = self.scoped_engagements(actor).await?.filter(engagement::Column::Id.eq(id)).one(&self.db).await?;
        Ok(self.engagement_views(vec![e.ok_or(StoreError::NotFound)?]).await?.remove(0))
    }

    /// Starts an engagement from a ranking: the association proposes an expert for a need.
    pub async fn start_engagement(&self, actor: &Actor, need_id: i64, expert_id: i64) -> Result<i64> {
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let n = self.get_need(actor, need_id).await?;
        if n.status() != NeedStatus::Approved {
            return Err(Invalid::one("need_id", "need_not_approved").into());
        }
        self.get_expert(actor, expert_id).await?;
        let exists = engagement::Entity::find()
            .filter(engagement::Column::NeedId.eq(need_id))
            .filter(engagement::Column::ExpertId.eq(expert_id))
            .one(&self.db)
            .await?;
        if let Some(e) = exists {
            return Ok(e.id);
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = now();
        let saved = engagement::ActiveModel {
            need_id: Set(need_id),
            expert_id: Set(expert_id),
            stage: Set(Stage::Matched.code().to_string()),
            follow_up_on: Set(Some(super::need::today() + chrono::Duration::days(14))),
            created_at: Set(t),
            updated_at: Set(t),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        chain.record(&txn, actor, "create", "engagement", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    /// Records a step (contact, visit, agreement, conclusion). The association records every
    /// engagement's steps; an enterprise those on its own needs.
    pub async fn step_engagement(&self, actor: &Actor, id: i64, form: &StepForm) -> Result<()> {
        if !actor.can(Area::Engagement, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let reach = self.reach(actor).await?;
        if !matches!(reach, Reach::All | Reach::Enterprises(_)) {
            return Err(StoreError::NotFound);
        }
        let before = self.get_engagement(actor, id).await?.engagement;
        let current = Stage::parse(&before.stage).unwrap_or(Stage::Matched);
        let step = form.check(current, before.contract_wan, super::need::today())?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: engagement::ActiveModel = before.clone().into();
        am.stage = Set(step.stage.code().to_string());
        am.contract_wan = Set(step.contract_wan);
        am.outcome = Set(step.outcome.map(|o| o.code().to_string()));
        am.follow_up_on = Set(step.follow_up_on);
        if step.note.is_some() {
            am.note = Set(step.note);
        }
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "step", "engagement", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// The figures by town, industry and expert over the engagements the caller sees.
    pub async fn engagement_figures(&self, actor: &Actor) -> Result<Figures> {
        let rows = self.scoped_engagements(actor).await?.all(&self.db).await?;
        let views = self.engagement_views(rows).await?;
        let facts: Vec<Fact> = views
            .iter()
            .map(|v| Fact {
                town: v.town.clone(),
                industry: v.industry.clone(),
                expert: v.expert.clone(),
                stage: v.stage(),
                contract_wan: v.engagement.contract_wan,
                outcome: v.engagement.outcome.as_deref().and_then(Outcome::parse),
            })
            .collect();
        Ok(figures(&facts))
    }
}
