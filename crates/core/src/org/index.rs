//! An in-memory finder over organisation names and codes. Substring search in Chinese needs no
//! word segmentation when every character pair is indexed; a page of results in code order,
//! with its total, costs microseconds instead of a table scan per request. It also carries the
//! few fields a list row shows, so a list page needs no database read at all.

use super::{OrgKind, OrgStatus};
use std::collections::{HashMap, HashSet};

/// What the finder knows of one organisation: enough to filter, order, count and show a row.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub region_id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
}

/// A query: every whitespace-separated term must occur in the name or code.
#[derive(Debug, Default, Clone)]
pub struct OrgQuery<'a> {
    pub q: &'a str,
    pub kind: Option<OrgKind>,
    pub status: Option<OrgStatus>,
    /// Only organisations in these regions (scope and region filter, already intersected).
    pub regions: Option<&'a HashSet<i64>>,
    /// Only organisations under this org path (an org admin's scope).
    pub under: Option<&'a str>,
}

/// Posting lists of character pairs in one flat array (compressed sparse rows): a hundred
/// thousand names cost a few bytes per pair and no per-list allocation.
#[derive(Default)]
struct Pairs {
    keys: Vec<u64>,
    starts: Vec<u32>,
    positions: Vec<u32>,
}

fn pair_key(a: char, b: char) -> u64 {
    (u64::from(u32::from(a)) << 32) | u64::from(u32::from(b))
}

/// The distinct pair keys of one text, sorted.
fn pair_keys(text: &str, out: &mut Vec<u64>) {
    out.clear();
    let mut prev = None;
    for c in text.chars() {
        if let Some(p) = prev {
            out.push(pair_key(p, c));
        }
        prev = Some(c);
    }
    out.sort_unstable();
    out.dedup();
}

impl Pairs {
    /// Two passes (count, then fill) so that nothing but the final arrays is ever allocated
    /// at full size.
    fn build(haystacks: &[String]) -> Self {
        let mut counts: HashMap<u64, u32> = HashMap::new();
        let mut scratch = Vec::new();
        for h in haystacks {
            pair_keys(h, &mut scratch);
            for k in &scratch {
                *counts.entry(*k).or_default() += 1;
            }
        }
        let mut keys: Vec<u64> = counts.keys().copied().collect();
        keys.sort_unstable();
        let mut starts = Vec::with_capacity(keys.len() + 1);
        let mut total = 0u32;
        for (i, k) in keys.iter().enumerate() {
            starts.push(total);
            total += counts[k];
            // Reuse the map: key → its index, for the fill pass.
            counts.insert(*k, i as u32);
        }
        starts.push(total);
        let mut cursor: Vec<u32> = starts[..keys.len()].to_vec();
        let mut positions = vec![0u32; total as usize];
        for (pos, h) in haystacks.iter().enumerate() {
            pair_keys(h, &mut scratch);
            for k in &scratch {
                let i = counts[k] as usize;
                positions[cursor[i] as usize] = pos as u32;
                cursor[i] += 1;
            }
        }
        Self { keys, starts, positions }
    }

    fn get(&self, a: char, b: char) -> &[u32] {
        match self.keys.binary_search(&pair_key(a, b)) {
            Ok(i) => &self.positions[self.starts[i] as usize..self.starts[i + 1] as usize],
            Err(_) => &[],
        }
    }
}

#[derive(Default)]
pub struct OrgIndex {
    /// Sorted by code: the order lists are shown in.
    entries: Vec<OrgEntry>,
    /// Lower-cased `name \u{1} code` per entry, what terms are matched against.
    haystacks: Vec<String>,
    by_id: HashMap<i64, usize>,
    pairs: Pairs,
}

/// Which entries a query has to look at.
enum Candidates<'a> {
    All,
    Some(&'a [u32]),
}

impl OrgIndex {
    pub fn new(entries: Vec<OrgEntry>) -> Self {
        let mut idx = Self { entries, ..Self::default() };
        idx.rebuild();
        idx
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Inserts or replaces entries (by id) and rebuilds. Writes are rare next to reads, so one
    /// rebuild per batch of changes is cheaper than keeping postings sorted on every insert.
    pub fn apply(&mut self, changed: Vec<OrgEntry>) {
        if changed.is_empty() {
            return;
        }
        for e in changed {
            match self.by_id.get(&e.id) {
                Some(&i) => self.entries[i] = e,
                None => {
                    self.by_id.insert(e.id, self.entries.len());
                    self.entries.push(e);
                }
            }
        }
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.entries.sort_by(|a, b| a.code.cmp(&b.code));
        self.entries.shrink_to_fit();
        self.by_id = self.entries.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        self.haystacks = self.entries.iter().map(|e| normalise(&format!("{}\u{1}{}", e.name, e.code))).collect();
        self.pairs = Pairs::build(&self.haystacks);
    }

    /// Entries are sorted by code, so this is a binary search.
    pub fn by_code(&self, code: &str) -> Option<&OrgEntry> {
        self.entries.binary_search_by(|e| e.code.as_str().cmp(code)).ok().map(|i| &self.entries[i])
    }

    pub fn get(&self, id: i64) -> Option<&OrgEntry> {
        self.by_id.get(&id).map(|i| &self.entries[*i])
    }

    /// Calls `f` on every matching entry, in code order (for counts and charts).
    pub fn scan(&self, query: &OrgQuery, mut f: impl FnMut(&OrgEntry)) {
        self.visit(query, |pos| f(&self.entries[pos]));
    }

    /// The matching entries in code order, `offset..offset+limit`, and how many match in all.
    pub fn search(&self, query: &OrgQuery, offset: usize, limit: usize) -> (usize, Vec<&OrgEntry>) {
        let mut total = 0;
        let mut page = Vec::with_capacity(limit.min(256));
        self.visit(query, |pos| {
            if total >= offset && page.len() < limit {
                page.push(&self.entries[pos]);
            }
            total += 1;
        });
        (total, page)
    }

    fn visit(&self, query: &OrgQuery, f: impl FnMut(usize)) {
        let terms: Vec<String> = query.q.split_whitespace().map(normalise).collect();
        let keep = |pos: usize| -> bool {
            let e = &self.entries[pos];
            query.kind.is_none_or(|k| e.kind == k)
                && query.status.is_none_or(|s| e.status == s)
                && query.regions.is_none_or(|r| r.contains(&e.region_id))
                && query.under.is_none_or(|u| e.path.starts_with(u))
                && terms.iter().all(|t| self.haystacks[pos].contains(t.as_str()))
        };
        match self.candidates(&terms) {
            Candidates::All => (0..self.entries.len()).filter(|p| keep(*p)).for_each(f),
            Candidates::Some(list) => list.iter().map(|p| *p as usize).filter(|p| keep(*p)).for_each(f),
        }
    }

    /// The shortest posting list among the terms' character pairs. One-character terms (and
    /// no terms) look at every entry: a scan of short names is still well under a millisecond.
    fn candidates(&self, terms: &[String]) -> Candidates<'_> {
        let mut best: Option<&[u32]> = None;
        for t in terms {
            let chars: Vec<char> = t.chars().collect();
            for w in chars.windows(2) {
                let l = self.pairs.get(w[0], w[1]);
                if best.is_none_or(|b| l.len() < b.len()) {
                    best = Some(l);
                }
            }
        }
        best.map_or(Candidates::All, Candidates::Some)
    }
}

/// Case-insensitive for Latin letters, and full-width letters and digits folded to ASCII,
/// because people type both.
fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, code: &str, name: &str, kind: OrgKind, region_id: i64) -> OrgEntry {
        OrgEntry {
            id,
            code: code.into(),
            name: name.into(),
            kind,
            status: OrgStatus::Active,
            region_id,
            parent_id: None,
            path: format!("/1/{id}/"),
            contact_name: None,
            contact_phone: None,
        }
    }

    fn sample() -> OrgIndex {
        OrgIndex::new(vec![
            entry(3, "QY-0003", "南通中天科技有限公司", OrgKind::Enterprise, 10),
            entry(1, "QY-0001", "中国农业发展银行通州支行", OrgKind::Enterprise, 11),
            entry(2, "XH-0001", "通州区农学会", OrgKind::Society, 10),
            entry(4, "QYKX-0003", "南通中天科技有限公司科协", OrgKind::EnterpriseAssociation, 10),
        ])
    }

    fn ids(idx: &OrgIndex, q: &OrgQuery, offset: usize, limit: usize) -> (usize, Vec<i64>) {
        let (total, page) = idx.search(q, offset, limit);
        (total, page.iter().map(|e| e.id).collect())
    }

    fn q(text: &str) -> OrgQuery<'_> {
        OrgQuery { q: text, ..Default::default() }
    }

    #[test]
    fn substring_in_chinese_without_segmentation() {
        let idx = sample();
        assert_eq!(ids(&idx, &q("农业"), 0, 10), (1, vec![1]));
        assert_eq!(ids(&idx, &q("农"), 0, 10), (2, vec![1, 2]));
        assert_eq!(ids(&idx, &q("科技"), 0, 10), (2, vec![3, 4]));
        // Pairs present but not adjacent must not match.
        assert_eq!(ids(&idx, &q("中科"), 0, 10).0, 0);
        assert_eq!(ids(&idx, &q("不存在"), 0, 10).0, 0);
        assert_eq!(ids(&idx, &q("鑫"), 0, 10).0, 0);
    }

    #[test]
    fn codes_case_and_width_insensitive() {
        let idx = sample();
        assert_eq!(ids(&idx, &q("xh-0001"), 0, 10).1, vec![2]);
        assert_eq!(ids(&idx, &q("ＸＨ"), 0, 10).1, vec![2]);
    }

    #[test]
    fn filters_terms_and_paging() {
        let idx = sample();
        let kind = OrgQuery { q: "中天 科协", kind: Some(OrgKind::EnterpriseAssociation), ..Default::default() };
        assert_eq!(ids(&idx, &kind, 0, 10), (1, vec![4]));
        let regions: HashSet<i64> = [10].into();
        let r = OrgQuery { regions: Some(&regions), ..Default::default() };
        assert_eq!(ids(&idx, &r, 0, 10), (3, vec![3, 4, 2]));
        assert_eq!(ids(&idx, &r, 1, 1), (3, vec![4]));
        let under = OrgQuery { under: Some("/1/2/"), ..Default::default() };
        assert_eq!(ids(&idx, &under, 0, 10).1, vec![2]);
    }

    #[test]
    fn apply_replaces_and_adds() {
        let mut idx = sample();
        let mut renamed = entry(2, "XH-0001", "通州区林学会", OrgKind::Society, 10);
        renamed.status = OrgStatus::Archived;
        idx.apply(vec![renamed, entry(9, "AA-0001", "通州区农机学会", OrgKind::Society, 12)]);
        assert_eq!(idx.len(), 5);
        assert_eq!(idx.by_code("AA-0001").map(|e| e.id), Some(9));
        assert_eq!(idx.by_code("AA-0002"), None);
        assert_eq!(ids(&idx, &q("农"), 0, 10).1, vec![9, 1]);
        let active = OrgQuery { status: Some(OrgStatus::Active), kind: Some(OrgKind::Society), ..Default::default() };
        assert_eq!(ids(&idx, &active, 0, 10).1, vec![9]);
    }

    #[test]
    fn postings_are_exact_and_ordered() {
        let hay: Vec<String> = ["abcab", "bca", "xyz"].iter().map(|s| s.to_string()).collect();
        let p = Pairs::build(&hay);
        assert_eq!(p.get('a', 'b'), &[0]);
        assert_eq!(p.get('b', 'c'), &[0, 1]);
        assert_eq!(p.get('c', 'a'), &[0, 1]);
        assert_eq!(p.get('y', 'z'), &[2]);
        assert!(p.get('z', 'x').is_empty());
    }
}
