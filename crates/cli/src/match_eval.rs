//! `kexie match eval`: rank every expert for every need with the platform's ranking and score
//! the rankings against graded judgements.

use anyhow::{Context, Result, bail};
use kexie_core::matchmaking::jsonl;
use kexie_core::matchmaking::metrics::{self, Qrels};
use kexie_core::matchmaking::{Expert, ExpertIndex, Need, rank_experts};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Prints `nDCG@10=… Recall@10=… MRR=…` for the three files of a matching set.
pub fn run(experts: &Path, needs: &Path, qrels: &Path) -> Result<()> {
    let experts: Vec<Expert> = read_jsonl(experts, "expert")?;
    let needs: Vec<Need> = read_jsonl(needs, "need")?;
    check_experts(&experts)?;
    check_needs(&needs)?;
    let qrels = read_qrels(qrels, &needs, &experts)?;

    let index = ExpertIndex::new(&experts);
    // Declared conflicts are not part of a matching set; the own-institution rule still holds.
    let no_conflicts = HashSet::new();
    let rankings: Vec<(String, Vec<String>)> = needs
        .iter()
        .map(|n| {
            let ranked = rank_experts(&index, n, &no_conflicts, None);
            (n.id.clone(), ranked.into_iter().map(|r| r.id).collect())
        })
        .collect();
    println!("{}", metrics::evaluate(&rankings, &qrels));
    Ok(())
}

/// One JSON object per line; blank lines are skipped. Errors name the file and line.
fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<Vec<T>> {
    let items = jsonl::parse(&read(path)?)
        .map_err(|e| anyhow::anyhow!("{}:{}: not a valid {what} record: {}", path.display(), e.line, e.message))?;
    if items.is_empty() {
        bail!("{}: no {what} records", path.display());
    }
    Ok(items)
}

fn read(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} (UTF-8 text expected)", path.display()))?;
    Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text))
}

fn check_experts(experts: &[Expert]) -> Result<()> {
    let mut seen = HashSet::new();
    for (n, e) in experts.iter().enumerate() {
        if let Err(invalid) = e.validate() {
            bail!("expert record {} ({}): {invalid}", n + 1, e.id);
        }
        if !seen.insert(e.id.as_str()) {
            bail!("expert {} appears twice", e.id);
        }
    }
    Ok(())
}

/// An industry the lexicon does not know only loses its domain prior: a warning, not an
/// error, so an evaluation never stops over a spelling.
fn check_needs(needs: &[Need]) -> Result<()> {
    let mut seen = HashSet::new();
    for (n, need) in needs.iter().enumerate() {
        if let Err(invalid) = need.validate() {
            let (unknown, other): (Vec<_>, Vec<_>) = invalid.0.into_iter().partition(|e| e.code == "unknown_industry");
            if !other.is_empty() {
                let other = kexie_core::Invalid(other);
                bail!("need record {} ({}): {other}", n + 1, need.id);
            }
            if !unknown.is_empty() {
                eprintln!(
                    "warning: need {}: industry {:?} is not a GB/T 4754 division; ranked without an industry prior",
                    need.id, need.industry
                );
            }
        }
        if !seen.insert(need.id.as_str()) {
            bail!("need {} appears twice", need.id);
        }
    }
    Ok(())
}

/// `need_id<TAB>expert_id<TAB>grade` under that header; grades 0–3; ids must exist.
fn read_qrels(path: &Path, needs: &[Need], experts: &[Expert]) -> Result<Qrels> {
    let text = read(path)?;
    let mut lines = text.lines().enumerate();
    let header = lines.next().map(|(_, l)| l.trim_end_matches('\r'));
    if header != Some("need_id\texpert_id\tgrade") {
        bail!(
            "{}:1: expected the header need_id<TAB>expert_id<TAB>grade, found {:?}",
            path.display(),
            header.unwrap_or("")
        );
    }
    let need_ids: HashSet<&str> = needs.iter().map(|n| n.id.as_str()).collect();
    let expert_ids: HashSet<&str> = experts.iter().map(|e| e.id.as_str()).collect();
    let mut qrels: Qrels = HashMap::new();
    for (n, line) in lines {
        let at = || format!("{}:{}", path.display(), n + 1);
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [need, expert, grade] = cols[..] else {
            bail!("{}: expected 3 tab-separated columns, found {}", at(), cols.len());
        };
        let grade: u8 = match grade.trim().parse() {
            Ok(g) if g <= 3 => g,
            _ => bail!("{}: grade must be 0, 1, 2 or 3, found {grade:?}", at()),
        };
        if !need_ids.contains(need) {
            bail!("{}: need {need} is not in the needs file", at());
        }
        if !expert_ids.contains(expert) {
            bail!("{}: expert {expert} is not in the experts file", at());
        }
        let judged = qrels.entry(need.to_string()).or_default();
        if judged.insert(expert.to_string(), grade).is_some() {
            bail!("{}: the pair {need}/{expert} is judged twice", at());
        }
    }
    Ok(qrels)
}
