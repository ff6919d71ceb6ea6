//! Reach: person-times per publication, entered with their basis or imported from a
//! platform's statistics file, and read from proof of play for screens; and the figures the
//! dashboard and the yearly sentence come from.

use super::{edits_content, sees_content};
use crate::entity::{content, publication, reach};
use crate::estation::play::PlaysOf;
use crate::{Result, Store, StoreError, audit, now};
use chrono::{Datelike, NaiveDate};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor};
use kexie_core::outreach::Channel;
use kexie_core::outreach::publication::PublicationStatus;
use kexie_core::scope::Scope;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::RangeInclusive;

/// A piece of science knowledge as the year's sentence counts it: a piece of content, or a
/// file the screens played through a schedule entry or interrupt that no publication made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Piece {
    Content(i64),
    Media(i64),
}

/// One publication's contribution to the figures; the screens give one line per month, town,
/// station and what was played (a publication, or an entry staff put on the screens directly).
#[derive(Debug, Clone, Serialize)]
pub struct ReachLine {
    /// None for what staff scheduled on the screens without a publication.
    pub publication_id: Option<i64>,
    pub piece: Piece,
    pub channel: Channel,
    pub topic: String,
    pub campaign_id: Option<i64>,
    /// "2026-03"
    pub month: String,
    pub town_id: Option<i64>,
    pub person_times: i64,
    /// The method code, or "missing" where no figure was entered yet.
    pub method: &'static str,
}

/// A labelled total with the filter that lists its records.
#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub key: String,
    pub label: String,
    pub items: usize,
    pub person_times: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub year: i32,
    pub items: usize,
    pub publications: usize,
    pub person_times: i64,
    pub missing: usize,
    pub by_channel: Vec<Bucket>,
    pub by_month: Vec<Bucket>,
    pub by_topic: Vec<Bucket>,
    pub by_town: Vec<Bucket>,
    pub by_campaign: Vec<Bucket>,
}

fn bucket<K: Ord + Clone>(
    lines: &[ReachLine],
    key: impl Fn(&ReachLine) -> Option<K>,
) -> BTreeMap<K, (HashSet<Piece>, i64)> {
    let mut out: BTreeMap<K, (HashSet<Piece>, i64)> = BTreeMap::new();
    for l in lines {
        if let Some(k) = key(l) {
            let e = out.entry(k).or_default();
            e.0.insert(l.piece);
            e.1 += l.person_times;
        }
    }
    out
}

/// The months of local days `from..=to`, each with its first and last day within the range.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let next = NaiveDate::from_ymd_opt(start.year() + i32::from(start.month() == 12), start.month() % 12 + 1, 1);
        let Some(next) = next else { break };
        out.push((start, (next - chrono::Duration::days(1)).min(to)));
        start = next;
    }
    out
}

impl Store {
    /// Sets a publication's person-times (an estimate with its basis, a head count, or a
    /// platform's figure typed in); the figure before stays in the audit log.
    pub async fn set_reach(
        &self,
        actor: &Actor,
        publication_id: i64,
        person_times: i64,
        basis: Option<String>,
    ) -> Result<()> {
        edits_content(actor, Action::Edit)?;
        let p = self.get_publication(actor, publication_id).await?;
        let channel = Channel::parse(&p.channel).ok_or(StoreError::NotFound)?;
        if !channel.is_manual() {
            return Err(Invalid::one("person_times", "reach_from_plays").into());
        }
        if p.status != PublicationStatus::Done.code() {
            return Err(Invalid::one("person_times", "not_published").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        put_reach(&txn, &mut chain, actor, publication_id, channel.reach_method().code(), person_times, basis).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    pub async fn reach_of(&self, publication_id: i64) -> Result<Option<reach::Model>> {
        Ok(reach::Entity::find().filter(reach::Column::PublicationId.eq(publication_id)).one(&self.db).await?)
    }

    /// The figures of several publications at once, by publication.
    pub async fn reaches(&self, publication_ids: &[i64]) -> Result<HashMap<i64, reach::Model>> {
        Ok(reach::Entity::find()
            .filter(reach::Column::PublicationId.is_in(publication_ids.to_vec()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.publication_id, r))
            .collect())
    }

    /// Every publication's contribution in a year, within the caller's scope: a town sees
    /// its own screens and the publications placed in it.
    pub async fn reach_lines(&self, actor: &Actor, year: i32) -> Result<Vec<ReachLine>> {
        self.lines(actor, year..=year, None).await
    }

    /// Some publications' person-times over whole years (a campaign's, or one publication's),
    /// as their lines in `reach_lines` add up, reading only their own figures and plays.
    pub async fn person_times_of(
        &self,
        actor: &Actor,
        pubs: &[publication::Model],
        years: RangeInclusive<i32>,
    ) -> Result<i64> {
        Ok(self.lines(actor, years, Some(pubs)).await?.iter().map(|l| l.person_times).sum())
    }

    /// The lines of every publication done over `years`, or of those among `only`.
    async fn lines(
        &self,
        actor: &Actor,
        years: RangeInclusive<i32>,
        only: Option<&[publication::Model]>,
    ) -> Result<Vec<ReachLine>> {
        sees_content(actor)?;
        let from = NaiveDate::from_ymd_opt(*years.start(), 1, 1).ok_or(StoreError::NotFound)?;
        let to = NaiveDate::from_ymd_opt(*years.end(), 12, 31).ok_or(StoreError::NotFound)?;
        let town_scope: Option<HashSet<i64>> = match actor.scope {
            Scope::All => None,
            Scope::Region { id, .. } => Some(self.regions().await?.subtree_ids(id)),
            _ => Some(HashSet::new()),
        };
        let done = PublicationStatus::Done.code();
        let (pubs, pieces, figures, plays) = match only {
            None => (
                publication::Entity::find().filter(publication::Column::Status.eq(done)).all(&self.db).await?,
                content::Entity::find().all(&self.db).await?,
                reach::Entity::find().all(&self.db).await?.into_iter().map(|r| (r.publication_id, r)).collect(),
                None,
            ),
            Some(only) => {
                let pubs: Vec<publication::Model> = only.iter().filter(|p| p.status == done).cloned().collect();
                let ids: Vec<i64> = pubs.iter().map(|p| p.id).collect();
                let pieces = content::Entity::find()
                    .filter(content::Column::Id.is_in(pubs.iter().map(|p| p.content_id)))
                    .all(&self.db)
                    .await?;
                let plays = PlaysOf {
                    schedules: pubs.iter().filter_map(|p| p.schedule_id).collect(),
                    interrupts: pubs.iter().filter_map(|p| p.interrupt_id).collect(),
                };
                (pubs, pieces, self.reaches(&ids).await?, Some(plays))
            }
        };
        let pieces: HashMap<i64, content::Model> = pieces.into_iter().map(|c| (c.id, c)).collect();
        // A file on the screens is the piece of content it was made from, where there is one.
        // (Only the whole year's figures read plays no publication made.)
        let content_of_media: HashMap<i64, i64> = match only {
            None => content::Entity::find()
                .filter(content::Column::MediaId.is_not_null())
                .all(&self.db)
                .await?
                .into_iter()
                .filter_map(|c| c.media_id.map(|m| (m, c.id)))
                .collect(),
            Some(_) => HashMap::new(),
        };
        let by_schedule: HashMap<i64, &publication::Model> =
            pubs.iter().filter_map(|p| p.schedule_id.map(|s| (s, p))).collect();
        let by_interrupt: HashMap<i64, &publication::Model> =
            pubs.iter().filter_map(|p| p.interrupt_id.map(|s| (s, p))).collect();
        let tree = self.regions().await?;
        let mut lines = Vec::new();
        let topic = |p: &publication::Model| pieces.get(&p.content_id).map(|c| c.topic.clone()).unwrap_or_default();
        for p in &pubs {
            let channel = Channel::parse(&p.channel).unwrap_or(Channel::Website);
            if !channel.is_manual() {
                continue;
            }
            let Some(day) = p.published_on.filter(|d| *d >= from && *d <= to) else { continue };
            let town_id = p.region_id.and_then(|r| tree.town_of(r).map(|t| t.id).or(Some(r)));
            if let Some(scope) = &town_scope
                && !p.region_id.is_some_and(|r| scope.contains(&r))
            {
                continue;
            }
            let f = figures.get(&p.id);
            lines.push(ReachLine {
                publication_id: Some(p.id),
                piece: Piece::Content(p.content_id),
                channel,
                topic: topic(p),
                campaign_id: p.campaign_id,
                month: format!("{}-{:02}", day.year(), day.month()),
                town_id,
                person_times: f.map_or(0, |f| f.person_times),
                method: if f.is_some() { channel.reach_method().code() } else { "missing" },
            });
        }
        // Screens, by their proof of play, a month at a time from the daily rollup.
        for (first, last) in months(from, to) {
            let month = format!("{}-{:02}", first.year(), first.month());
            for r in self.screen_reach(first, last, plays.as_ref()).await? {
                if let Some(scope) = &town_scope
                    && !r.town_id.is_some_and(|t| scope.contains(&t))
                {
                    continue;
                }
                let p = r
                    .interrupt_id
                    .and_then(|i| by_interrupt.get(&i))
                    .or_else(|| r.schedule_id.and_then(|s| by_schedule.get(&s)));
                let piece = match (p, content_of_media.get(&r.media_id)) {
                    (Some(p), _) => Piece::Content(p.content_id),
                    (None, Some(c)) => Piece::Content(*c),
                    (None, None) => Piece::Media(r.media_id),
                };
                let topic = match (p, piece) {
                    (Some(p), _) => topic(p),
                    (None, Piece::Content(c)) => pieces.get(&c).map(|c| c.topic.clone()).unwrap_or_default(),
                    (None, Piece::Media(_)) => String::new(),
                };
                lines.push(ReachLine {
                    publication_id: p.map(|p| p.id),
                    piece,
                    channel: Channel::Screen,
                    topic,
                    campaign_id: p.and_then(|p| p.campaign_id),
                    month: month.clone(),
                    town_id: r.town_id,
                    person_times: r.reach,
                    method: Channel::Screen.reach_method().code(),
                });
            }
        }
        Ok(lines)
    }

    /// The year's figures: pieces sent, person-times, and both by channel, month, topic, town
    /// and campaign.
    pub async fn outreach_figures(&self, actor: &Actor, year: i32) -> Result<Figures> {
        let lines = self.reach_lines(actor, year).await?;
        let tree = self.regions().await?;
        let campaigns: HashMap<i64, String> =
            crate::entity::campaign::Entity::find().all(&self.db).await?.into_iter().map(|c| (c.id, c.name)).collect();
        let to_buckets = |m: BTreeMap<String, (HashSet<Piece>, i64)>, label: &dyn Fn(&str) -> String| -> Vec<Bucket> {
            m.into_iter()
                .map(|(k, (items, n))| Bucket { label: label(&k), key: k, items: items.len(), person_times: n })
                .collect()
        };
        // Every channel, each by its own method, listed even in a year it carried nothing.
        let mut by_channel = bucket(&lines, |l| Some(l.channel.code().to_string()));
        for c in Channel::ALL {
            by_channel.entry(c.code().to_string()).or_default();
        }
        let by_channel = to_buckets(by_channel, &|k| k.to_string());
        let by_month = to_buckets(bucket(&lines, |l| Some(l.month.clone())), &|k| k.to_string());
        let by_topic =
            to_buckets(bucket(&lines, |l| (!l.topic.is_empty()).then(|| l.topic.clone())), &|k| k.to_string());
        let by_town = to_buckets(bucket(&lines, |l| l.town_id.map(|t| t.to_string())), &|k| {
            k.parse().ok().and_then(|id| tree.get(id)).map(|t| t.name.clone()).unwrap_or_default()
        });
        let by_campaign = to_buckets(bucket(&lines, |l| l.campaign_id.map(|c| c.to_string())), &|k| {
            k.parse().ok().and_then(|id: i64| campaigns.get(&id).cloned()).unwrap_or_default()
        });
        let items: HashSet<Piece> = lines.iter().map(|l| l.piece).collect();
        let pubs: HashSet<i64> = lines.iter().filter_map(|l| l.publication_id).collect();
        let mut by_channel = by_channel;
        by_channel.sort_by_key(|b| Channel::parse(&b.key).map(|c| Channel::ALL.iter().position(|x| *x == c)));
        Ok(Figures {
            year,
            items: items.len(),
            publications: pubs.len(),
            person_times: lines.iter().map(|l| l.person_times).sum(),
            missing: lines.iter().filter(|l| l.method == "missing").count(),
            by_channel,
            by_month,
            by_topic,
            by_town,
            by_campaign,
        })
    }
}

pub(crate) async fn put_reach(
    txn: &DatabaseTransaction,
    chain: &mut audit::Chain,
    actor: &Actor,
    publication_id: i64,
    method: &str,
    person_times: i64,
    basis: Option<String>,
) -> Result<()> {
    let before = reach::Entity::find().filter(reach::Column::PublicationId.eq(publication_id)).one(txn).await?;
    let t = now();
    let after = match before.clone() {
        Some(b) => {
            let mut am: reach::ActiveModel = b.into();
            am.method = Set(method.to_string());
            am.person_times = Set(person_times);
            am.basis = Set(basis);
            am.updated_by = Set(actor.username.clone());
            am.updated_at = Set(t);
            am.update(txn).await?
        }
        None => {
            reach::ActiveModel {
                publication_id: Set(publication_id),
                method: Set(method.to_string()),
                person_times: Set(person_times),
                basis: Set(basis),
                updated_by: Set(actor.username.clone()),
                updated_at: Set(t),
                ..Default::default()
            }
            .insert(txn)
            .await?
        }
    };
    chain.record(txn, actor, "set", "reach", Some(after.id), before.as_ref(), Some(&after)).await?;
    Ok(())
}
