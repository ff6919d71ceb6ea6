//! 排序: experts for a need and needs for an expert, by the same score (`index`), with the
//! exclusions the association's rules demand.

use super::explanation::Explanation;
use super::index::{ExpertIndex, Query};
use super::need::Need;
use super::text::normalize;
use serde::Serialize;
use std::collections::HashSet;

/// One entry of a ranking: an expert (when ranking experts) or a need (when ranking needs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub id: String,
    /// About 0..1 and comparable across needs; the ranking sorts by it, ties by id.
    pub score: f64,
    pub explanation: Explanation,
}

/// Every expert of `index` for `need`, best first, with explanations; only the first `limit`
/// when given. Left out: experts in `conflicts` (declared conflicts of interest with this
/// need's enterprise) and experts of the enterprise's own institution.
pub fn rank_experts(
    index: &ExpertIndex,
    need: &Need,
    conflicts: &HashSet<String>,
    limit: Option<usize>,
) -> Vec<Ranked> {
    let q = index.query(need);
    let mut scored: Vec<(f64, usize)> = index
        .scores(&q)
        .into_iter()
        .enumerate()
        .map(|(p, s)| (s, p))
        .filter(|&(_, p)| conflicts.is_empty() || !conflicts.contains(index.id(p)))
        .filter(|&(_, p)| !own_institution(&q, index, p))
        .collect();
    let order = |a: &(f64, usize), b: &(f64, usize)| b.0.total_cmp(&a.0).then_with(|| index.id(a.1).cmp(index.id(b.1)));
    let keep = limit.unwrap_or(usize::MAX).min(scored.len());
    // A page of results needs only its own entries sorted.
    if keep < scored.len() {
        if keep > 0 {
            scored.select_nth_unstable_by(keep - 1, order);
        }
        scored.truncate(keep);
    }
    scored.sort_unstable_by(order);
    scored
        .into_iter()
        .map(|(score, p)| Ranked { id: index.id(p).to_string(), score, explanation: index.explain(&q, p) })
        .collect()
}

/// The needs for expert `expert_id`, best first, scored exactly as `rank_experts` scores the
/// expert for each of them. Left out: needs in `conflicts` (the expert declared a conflict
/// with their enterprise) and needs of the expert's own institution. `None` when the expert
/// is not in the index.
pub fn rank_needs(
    index: &ExpertIndex,
    expert_id: &str,
    needs: &[Need],
    conflicts: &HashSet<String>,
    limit: Option<usize>,
) -> Option<Vec<Ranked>> {
    let p = index.position(expert_id)?;
    let mut scored: Vec<(f64, usize, Query)> = needs
        .iter()
        .enumerate()
        .filter(|(_, n)| !conflicts.contains(&n.id))
        .map(|(i, n)| (i, index.query(n)))
        .filter(|(_, q)| !own_institution(q, index, p))
        .map(|(i, q)| (index.score(&q, p), i, q))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| needs[a.1].id.cmp(&needs[b.1].id)));
    Some(
        scored
            .into_iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(|(score, i, q)| Ranked { id: needs[i].id.clone(), score, explanation: index.explain(&q, p) })
            .collect(),
    )
}

fn own_institution(q: &Query, index: &ExpertIndex, p: usize) -> bool {
    same_key(q.enterprise_key(), index.institution_key(p))
}

/// Whether an enterprise and an expert's institution are the same organisation: one name
/// contains the other ("南通瀚海船舶重工有限公司" and its "…技术中心"). Names shorter than
/// four characters are too generic to decide anything.
pub fn same_organisation(enterprise: &str, institution: &str) -> bool {
    same_key(&organisation_key(enterprise), &organisation_key(institution))
}

fn same_key(a: &str, b: &str) -> bool {
    let long_enough = |s: &str| s.chars().count() >= 4;
    long_enough(a) && long_enough(b) && (a.contains(b) || b.contains(a))
}

/// A name reduced to what identifies the organisation: normalised, without spaces and
/// brackets. Computed once per profile and once per query.
pub(crate) fn organisation_key(name: &str) -> String {
    normalize(name).chars().filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '（' | '）' | '·')).collect()
}
