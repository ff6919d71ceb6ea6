//! Rankings over the stored profiles, through the same `kexie_core::matchmaking` code that
//! `kexie match eval` measures. The expert index is built from the active, consenting
//! profiles and rebuilt when any profile's revision moves past the one it was built at.

use super::expert::profile_of;
use super::need::{NeedView, input_of};
use crate::entity::{expert, need};
use crate::{Result, Store, StoreError};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::{ExpertIndex, Explanation, NeedStatus, rank_experts, rank_needs};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// The index and what it was built from.
pub struct Built {
    rev: Option<i64>,
    pub index: ExpertIndex,
    /// Profiles shown to the association only (visible = false).
    hidden: HashSet<String>,
    names: HashMap<String, (String, Option<String>, String)>,
}

#[derive(Default)]
pub struct Rankings {
    built: tokio::sync::RwLock<Option<Arc<Built>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankedExpert {
    pub expert_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub institution: String,
    pub score: f64,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, Serialize)]
pub struct RankedNeed {
    #[serde(flatten)]
    pub need: NeedView,
    pub score: f64,
    pub explanation: Explanation,
}

impl Store {
    /// The expert index as of now: one indexed MAX(rev) read, a rebuild only after a change.
    pub(crate) async fn expert_index(&self) -> Result<Arc<Built>> {
        let rev: Option<i64> = expert::Entity::find()
            .select_only()
            .column_as(expert::Column::Rev.max(), "rev")
            .into_tuple::<Option<i64>>()
            .one(&self.db)
            .await?
            .flatten();
        if let Some(b) = self.rankings.built.read().await.as_ref()
            && b.rev == rev
        {
            return Ok(b.clone());
        }
        let mut slot = self.rankings.built.write().await;
        if let Some(b) = slot.as_ref()
            && b.rev == rev
        {
            return Ok(b.clone());
        }
        let rows = expert::Entity::find()
            .filter(expert::Column::Status.eq(super::expert::ACTIVE))
            .filter(expert::Column::Consent.eq(true))
            .all(&self.db)
            .await?;
        let experts: Vec<_> = rows.iter().map(|m| profile_of(m).to_expert(m.id.to_string())).collect();
        let built = Arc::new(Built {
            rev,
            index: ExpertIndex::new(&experts),
            hidden: rows.iter().filter(|m| !m.visible).map(|m| m.id.to_string()).collect(),
            names: rows
                .iter()
                .map(|m| (m.id.to_string(), (m.name.clone(), m.title.clone(), m.institution.clone())))
                .collect(),
        });
        *slot = Some(built.clone());
        Ok(built)
    }

    /// Experts for a need the caller sees, best first, with why. Left out: experts with a
    /// declared conflict with the enterprise, experts of the enterprise itself, and (for
    /// callers outside the association) profiles not visible to enterprises.
    pub async fn rank_experts_for_need(&self, actor: &Actor, need_id: i64, limit: usize) -> Result<Vec<RankedExpert>> {
        let n = self.get_need(actor, need_id).await?;
        let built = self.expert_index().await?;
        let mut excluded = self.conflicted_experts(n.need.org_id).await?;
        if !matches!(actor.scope, kexie_core::scope::Scope::All) {
            excluded.extend(built.hidden.iter().cloned());
        }
        let query = input_of(&n.need).to_need(n.need.id.to_string(), n.enterprise_name.clone());
        let ranked = rank_experts(&built.index, &query, &excluded, Some(limit));
        Ok(ranked
            .into_iter()
            .filter(|r| r.score > 0.0)
            .map(|r| {
                let (name, title, institution) = built.names.get(&r.id).cloned().unwrap_or_default();
                RankedExpert {
                    expert_id: r.id.parse().unwrap_or_default(),
                    name,
                    title,
                    institution,
                    score: r.score,
                    explanation: r.explanation,
                }
            })
            .collect())
    }

    /// Approved needs for an expert the caller sees, best first, scored exactly as the
    /// expert is scored for each need.
    pub async fn rank_needs_for_expert(&self, actor: &Actor, expert_id: i64, limit: usize) -> Result<Vec<RankedNeed>> {
        let e = self.get_expert(actor, expert_id).await?;
        if !actor.can(Area::Expert, Action::View) {
            return Err(StoreError::NotFound);
        }
        let built = self.expert_index().await?;
        let q = self.need_query(actor).await?.filter(need::Column::Status.eq(NeedStatus::Approved.code()));
        let rows = q.all(&self.db).await?;
        let conflicted: HashSet<i64> = crate::entity::expert_conflict::Entity::find()
            .filter(crate::entity::expert_conflict::Column::ExpertId.eq(e.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| c.org_id)
            .collect();
        let views = self.need_views(rows).await?;
        let needs: Vec<_> =
            views.iter().map(|v| input_of(&v.need).to_need(v.need.id.to_string(), v.enterprise_name.clone())).collect();
        let excluded: HashSet<String> =
            views.iter().filter(|v| conflicted.contains(&v.need.org_id)).map(|v| v.need.id.to_string()).collect();
        // A profile not in the index (no consent, archived) is matched with nothing.
        let Some(ranked) = rank_needs(&built.index, &e.id.to_string(), &needs, &excluded, Some(limit)) else {
            return Ok(Vec::new());
        };
        let by_id: HashMap<String, &NeedView> = views.iter().map(|v| (v.need.id.to_string(), v)).collect();
        Ok(ranked
            .into_iter()
            .filter(|r| r.score > 0.0)
            .filter_map(|r| {
                Some(RankedNeed { need: (*by_id.get(&r.id)?).clone(), score: r.score, explanation: r.explanation })
            })
            .collect())
    }
}
