//! Platform statistics (公众号 图文分析, 抖音/视频号 作品数据): each row of an export is matched
//! to a publication on the platform's channel by its title, and the file's reach is written in
//! one transaction, whole or not at all.

use super::edits_content;
use super::reach::put_reach;
use crate::entity::{content, publication, reach};
use crate::{Result, Store, StoreError, audit};
use chrono::NaiveDate;
use kexie_core::account::{Action, Actor};
use kexie_core::outreach::Channel;
use kexie_core::outreach::publication::PublicationStatus;
use kexie_core::outreach::stats::{Platform, StatRow, match_title};
use kexie_core::roster::{RowError, row_error};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use std::collections::HashMap;

/// The channel a platform's publications are recorded on.
pub fn channel_of(platform: Platform) -> Channel {
    match platform {
        Platform::Wechat => Channel::Wechat,
        Platform::ShortVideo => Channel::ShortVideo,
    }
}

/// What the basis of an imported figure says the file was.
fn export_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Wechat => "公众号后台导出",
        Platform::ShortVideo => "短视频平台导出",
    }
}

/// The column a row's title was read from, as the error report names it.
pub fn title_column(platform: Platform) -> &'static str {
    match platform {
        Platform::Wechat => "内容标题",
        Platform::ShortVideo => "作品名称",
    }
}

/// One publication whose reach an import set.
#[derive(Debug, Clone, Serialize)]
pub struct StatUpdate {
    /// The file's row.
    pub row: usize,
    pub publication_id: i64,
    pub content_id: i64,
    pub title: String,
    pub account: String,
    pub published_on: Option<NaiveDate>,
    /// The figure before, if there was one.
    pub before: Option<i64>,
    pub person_times: i64,
    pub basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub platform: Platform,
    pub updated: Vec<StatUpdate>,
}

/// A publication a row may be.
struct Candidate {
    id: i64,
    content_id: i64,
    title: String,
    account: String,
    published_on: Option<NaiveDate>,
}

/// The row's publication: the one whose title matches best; when several fit, the one
/// published on the row's day. The error code otherwise.
fn pick<'a>(row: &StatRow, candidates: &'a [Candidate]) -> std::result::Result<&'a Candidate, &'static str> {
    let all: Vec<(i64, &str)> = candidates.iter().map(|c| (c.id, c.title.as_str())).collect();
    let found = |id: i64| candidates.iter().find(|c| c.id == id).ok_or("stats_no_match");
    if let Some(id) = match_title(&row.title, &all) {
        return found(id);
    }
    let fits: Vec<(i64, &str)> = all.iter().copied().filter(|c| match_title(&row.title, &[*c]).is_some()).collect();
    if fits.is_empty() {
        return Err("stats_no_match");
    }
    let same_day: Vec<(i64, &str)> = fits
        .iter()
        .copied()
        .filter(|(id, _)| candidates.iter().any(|c| c.id == *id && c.published_on == Some(row.published_on)))
        .collect();
    match match_title(&row.title, &same_day) {
        Some(id) => found(id),
        None => Err("stats_ambiguous"),
    }
}

impl Store {
    /// Done publications on the platform's channel (of one account, if given), with their
    /// pieces' titles.
    async fn stat_candidates(&self, platform: Platform, account: Option<&str>) -> Result<Vec<Candidate>> {
        let mut q = publication::Entity::find()
            .filter(publication::Column::Channel.eq(channel_of(platform).code()))
            .filter(publication::Column::Status.eq(PublicationStatus::Done.code()));
        if let Some(a) = account {
            q = q.filter(publication::Column::Account.eq(a));
        }
        let pubs = q.all(&self.db).await?;
        let ids: Vec<i64> = pubs.iter().map(|p| p.content_id).collect();
        let titles: HashMap<i64, String> = content::Entity::find()
            .filter(content::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.title))
            .collect();
        Ok(pubs
            .into_iter()
            .filter_map(|p| {
                Some(Candidate {
                    title: titles.get(&p.content_id)?.clone(),
                    id: p.id,
                    content_id: p.content_id,
                    account: p.account,
                    published_on: p.published_on,
                })
            })
            .collect())
    }

    /// Each row's publication, or every row's problem (no publication, several, or the same
    /// publication named by two rows: the file would say two things about one figure).
    async fn match_stat_rows(
        &self,
        platform: Platform,
        rows: &[StatRow],
        account: Option<&str>,
    ) -> Result<std::result::Result<Vec<(usize, Candidate)>, Vec<RowError>>> {
        let candidates = self.stat_candidates(platform, account).await?;
        let column = title_column(platform);
        let mut errors = Vec::new();
        let mut seen: HashMap<i64, usize> = HashMap::new();
        let mut matched = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            match pick(row, &candidates) {
                Ok(c) => {
                    if let Some(first) = seen.insert(c.id, row.row) {
                        errors.push(row_error(row.row, column, "stats_duplicate", &first.to_string()));
                        seen.insert(c.id, first);
                    } else {
                        matched.push((i, c.id));
                    }
                }
                Err(code) => errors.push(row_error(row.row, column, code, &row.title)),
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let mut by_id: HashMap<i64, Candidate> = candidates.into_iter().map(|c| (c.id, c)).collect();
        Ok(Ok(matched.into_iter().filter_map(|(i, id)| Some((i, by_id.remove(&id)?))).collect()))
    }

    /// The problems matching would find in `rows`, without writing: for a file that has other
    /// problems too, so that its report lists them all.
    pub async fn check_platform_stats(
        &self,
        actor: &Actor,
        platform: Platform,
        rows: &[StatRow],
        account: Option<&str>,
    ) -> Result<Vec<RowError>> {
        edits_content(actor, Action::Import)?;
        Ok(self.match_stat_rows(platform, rows, account).await?.err().unwrap_or_default())
    }

    /// Sets the reach of every row's publication from a platform's export, in one transaction:
    /// if any row matches no publication, several, or one another row also names, nothing is
    /// written and every such row is reported. `account` narrows the match to one account's
    /// publications (an export is one account's).
    pub async fn import_platform_stats(
        &self,
        actor: &Actor,
        platform: Platform,
        rows: &[StatRow],
        file_name: &str,
        account: Option<&str>,
    ) -> Result<ImportReport> {
        edits_content(actor, Action::Import)?;
        if rows.is_empty() {
            return Err(StoreError::Roster(vec![row_error(2, "", "no_rows", "")]));
        }
        let matched = self.match_stat_rows(platform, rows, account).await?.map_err(StoreError::Roster)?;
        let file: String = file_name.trim().chars().take(100).collect();
        let method = channel_of(platform).reach_method().code();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut updated = Vec::with_capacity(matched.len());
        for (i, c) in matched {
            let row = &rows[i];
            let mut basis = format!("{} {} 第{}行", export_name(platform), file, row.row);
            let extras: Vec<String> = [("点赞", row.likes), ("分享", row.shares)]
                .into_iter()
                .filter_map(|(name, n)| n.map(|n| format!("{name}{n}")))
                .collect();
            if !extras.is_empty() {
                basis.push_str(&format!("（{}）", extras.join("，")));
            }
            let before = reach::Entity::find()
                .filter(reach::Column::PublicationId.eq(c.id))
                .one(&txn)
                .await?
                .map(|r| r.person_times);
            put_reach(&txn, &mut chain, actor, c.id, method, row.reach, Some(basis.clone())).await?;
            updated.push(StatUpdate {
                row: row.row,
                publication_id: c.id,
                content_id: c.content_id,
                title: c.title,
                account: c.account,
                published_on: c.published_on,
                before,
                person_times: row.reach,
                basis,
            });
        }
        self.commit(txn, chain).await?;
        Ok(ImportReport { platform, updated })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, day).unwrap()
    }

    fn cand(id: i64, title: &str, day: u32) -> Candidate {
        Candidate {
            id, content_id: id, title: title.into(), account: "南通州科协".into(), published_on: Some(d(day))
        }
    }

    fn row(title: &str, day: u32) -> StatRow {
        StatRow { row: 2, title: title.into(), published_on: d(day), reach: 100, likes: None, shares: None }
    }

    #[test]
    fn the_same_day_decides_between_equal_titles() {
        let c = [cand(1, "夏季防溺水安全知识", 1), cand(2, "夏季防溺水安全知识", 20), cand(3, "秋冬季流感防护指南", 5)];
        assert_eq!(pick(&row("夏季防溺水安全知识", 20), &c).map(|c| c.id), Ok(2));
        assert_eq!(pick(&row("夏季防溺水安全知识！", 1), &c).map(|c| c.id), Ok(1));
        assert_eq!(pick(&row("夏季防溺水安全知识", 9), &c).map(|c| c.id), Err("stats_ambiguous"));
        assert_eq!(pick(&row("流感防护", 30), &c).map(|c| c.id), Ok(3));
        assert_eq!(pick(&row("地震来了怎么办", 5), &c).map(|c| c.id), Err("stats_no_match"));
    }
}
