//! Ranking quality against graded judgements (qrels): nDCG@10, Recall@10 and MRR, exactly as
//! the matching sets define them.
//!
//! Grades: 3 ideal, 2 clearly able to help, 1 marginally useful, 0 not useful; an expert not
//! judged for a need has grade 0.

use std::collections::HashMap;
use std::fmt;

/// need id → expert id → grade.
pub type Qrels = HashMap<String, HashMap<String, u8>>;

/// The cut-off of nDCG and recall.
pub const K: usize = 10;

fn dcg(grades: impl Iterator<Item = u8>) -> f64 {
    grades.enumerate().map(|(i, g)| (2f64.powi(i32::from(g)) - 1.0) / ((i + 2) as f64).log2()).sum()
}

/// nDCG@k: gain 2^grade − 1, discount 1/log2(rank + 1), the ideal ordering being the need's
/// judged grades sorted descending. `None` when the need has no positive grade.
pub fn ndcg_at(ranking: &[&str], judged: &HashMap<String, u8>, k: usize) -> Option<f64> {
    let mut ideal: Vec<u8> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal = dcg(ideal.into_iter().take(k));
    if ideal <= 0.0 {
        return None;
    }
    let actual = dcg(ranking.iter().take(k).map(|e| grade(judged, e)));
    Some(actual / ideal)
}

/// Share of the need's grade ≥ 2 experts found in the top k. `None` when it has none.
pub fn recall_at(ranking: &[&str], judged: &HashMap<String, u8>, k: usize) -> Option<f64> {
    let relevant = judged.values().filter(|&&g| g >= 2).count();
    if relevant == 0 {
        return None;
    }
    let found = ranking.iter().take(k).filter(|e| grade(judged, e) >= 2).count();
    Some(found as f64 / relevant as f64)
}

/// 1 / rank of the first grade-3 expert anywhere in the ranking (0 when it is missing).
/// `None` when the need has no grade-3 expert.
pub fn reciprocal_rank(ranking: &[&str], judged: &HashMap<String, u8>) -> Option<f64> {
    if !judged.values().any(|&g| g == 3) {
        return None;
    }
    Some(ranking.iter().position(|e| grade(judged, e) == 3).map_or(0.0, |i| 1.0 / (i + 1) as f64))
}

fn grade(judged: &HashMap<String, u8>, expert: &str) -> u8 {
    judged.get(expert).copied().unwrap_or(0)
}

/// Macro-averages over needs; a need counts for a metric only where that metric is defined.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub ndcg_at_10: f64,
    pub recall_at_10: f64,
    pub mrr: f64,
}

/// Evaluates `rankings` (need id, expert ids best first) against `qrels`.
pub fn evaluate(rankings: &[(String, Vec<String>)], qrels: &Qrels) -> Metrics {
    let empty = HashMap::new();
    let (mut ndcgs, mut recalls, mut rrs) = (Vec::new(), Vec::new(), Vec::new());
    for (need, ranking) in rankings {
        let judged = qrels.get(need).unwrap_or(&empty);
        let ranking: Vec<&str> = ranking.iter().map(String::as_str).collect();
        ndcgs.extend(ndcg_at(&ranking, judged, K));
        recalls.extend(recall_at(&ranking, judged, K));
        rrs.extend(reciprocal_rank(&ranking, judged));
    }
    Metrics { ndcg_at_10: mean(&ndcgs), recall_at_10: mean(&recalls), mrr: mean(&rrs) }
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() { 0.0 } else { xs.iter().sum::<f64>() / xs.len() as f64 }
}

impl fmt::Display for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "nDCG@10={:.4} Recall@10={:.4} MRR={:.4}", self.ndcg_at_10, self.recall_at_10, self.mrr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(e, g)| (e.to_string(), *g)).collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ndcg_by_hand() {
        // Judged grades 3, 2, 0. Ranking: b (2), x (unjudged), a (3).
        // DCG  = 3/log2(2) + 0 + 7/log2(4)        = 3 + 3.5 = 6.5
        // IDCG = 7/log2(2) + 3/log2(3) + 0         = 7 + 1.892789...
        let j = judged(&[("a", 3), ("b", 2), ("c", 0)]);
        let ideal = 7.0 + 3.0 / 3f64.log2();
        let got = ndcg_at(&["b", "x", "a"], &j, 10).expect("defined");
        assert!(close(got, 6.5 / ideal), "{got}");
        // The cut-off: with k = 2 the grade-3 expert at rank 3 no longer counts.
        let got = ndcg_at(&["b", "x", "a"], &j, 2).expect("defined");
        assert!(close(got, 3.0 / ideal), "{got}");
        assert!(close(ndcg_at(&["a", "b"], &j, 10).expect("defined"), 1.0));
        assert_eq!(ndcg_at(&["a"], &judged(&[("a", 0)]), 10), None);
    }

    #[test]
    fn recall_counts_grade_two_and_up() {
        let j = judged(&[("a", 3), ("b", 2), ("c", 1)]);
        let ranking: Vec<String> = (0..12).map(|i| format!("x{i}")).collect();
        let mut r: Vec<&str> = ranking.iter().map(String::as_str).collect();
        r.insert(3, "c");
        r.insert(4, "b");
        r.push("a"); // beyond the top 10
        assert!(close(recall_at(&r, &j, 10).expect("defined"), 0.5));
        assert_eq!(recall_at(&r, &judged(&[("c", 1)]), 10), None);
    }

    #[test]
    fn reciprocal_rank_has_no_cut_off() {
        let j = judged(&[("a", 3), ("b", 2)]);
        let ranking: Vec<String> = (0..19).map(|i| format!("x{i}")).collect();
        let mut r: Vec<&str> = ranking.iter().map(String::as_str).collect();
        r.insert(0, "b");
        r.push("a"); // rank 21
        assert!(close(reciprocal_rank(&r, &j).expect("defined"), 1.0 / 21.0));
        assert_eq!(reciprocal_rank(&["b"], &j), Some(0.0));
        assert_eq!(reciprocal_rank(&["b"], &judged(&[("b", 2)])), None);
    }

    #[test]
    fn evaluate_macro_averages_and_prints_four_decimals() {
        let mut qrels = Qrels::new();
        qrels.insert("n1".into(), judged(&[("a", 3), ("b", 2)]));
        qrels.insert("n2".into(), judged(&[("c", 3)]));
        let rankings = vec![
            ("n1".to_string(), vec!["a".to_string(), "b".to_string()]),
            ("n2".to_string(), vec!["a".to_string(), "c".to_string()]),
        ];
        let m = evaluate(&rankings, &qrels);
        // n1 is perfect; n2 finds its only expert at rank 2.
        assert!(close(m.ndcg_at_10, (1.0 + 1.0 / 3f64.log2()) / 2.0));
        assert!(close(m.recall_at_10, 1.0));
        assert!(close(m.mrr, 0.75));
        assert_eq!(m.to_string(), "nDCG@10=0.8155 Recall@10=1.0000 MRR=0.7500");
    }
}
