//! An in-memory finder over organisation names and codes. Substring search in Chinese needs no
//! word segmentation when every character pair is indexed; a page of results in code order,
//! with its total, costs microseconds instead of a table scan per request.

use super::{OrgKind, OrgStatus};
use std::collections::{HashMap, HashSet};

/// What the finder knows of one organisation: enough to filter, order and count.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgEntry {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub status: OrgStatus,
    pub region_id: i64,
    pub path: String,
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

#[derive(Default)]
pub struct OrgIndex {
    /// Sorted by code: the order lists are shown in.
    entries: Vec<OrgEntry>,
    /// Lower-cased `name \u{1} code` per entry, what terms are matched against.
    haystacks: Vec<String>,
    by_id: HashMap<i64, usize>,
    /// Positions (into `entries`, ascending) of entries containing a character pair.
    pairs: HashMap<(char, char), Vec<u32>>,
    /// Positions of entries containing a character, for one-character terms.
    singles: HashMap<char, Vec<u32>>,
}

impl OrgIndex {
    pub fn new(entries: Vec<OrgEntry>) -> Self {
        let mut idx = Self {
            entries,
            ..Self::default()
        };
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
        self.by_id = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id, i))
            .collect();
        self.haystacks = self
            .entries
            .iter()
            .map(|e| normalise(&format!("{}\u{1}{}", e.name, e.code)))
            .collect();
        self.pairs.clear();
        self.singles.clear();
        for (pos, h) in self.haystacks.iter().enumerate() {
            let pos = pos as u32;
            let chars: Vec<char> = h.chars().collect();
            for c in &chars {
                push_once(self.singles.entry(*c).or_default(), pos);
            }
            for w in chars.windows(2) {
                push_once(self.pairs.entry((w[0], w[1])).or_default(), pos);
            }
        }
    }

    /// Entries are sorted by code, so this is a binary search.
    pub fn by_code(&self, code: &str) -> Option<&OrgEntry> {
        self.entries
            .binary_search_by(|e| e.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.entries[i])
    }

    pub fn get(&self, id: i64) -> Option<&OrgEntry> {
        self.by_id.get(&id).map(|i| &self.entries[*i])
    }

    /// Calls `f` on every matching entry, in code order (for counts and charts).
    pub fn scan(&self, query: &OrgQuery, mut f: impl FnMut(&OrgEntry)) {
        self.visit(query, |pos| f(&self.entries[pos]));
    }

    /// Ids of the matching organisations in code order, `offset..offset+limit`, and how many match in all.
    pub fn search(&self, query: &OrgQuery, offset: usize, limit: usize) -> (usize, Vec<i64>) {
        let mut total = 0;
        let mut ids = Vec::with_capacity(limit.min(256));
        self.visit(query, |pos| {
            if total >= offset && ids.len() < limit {
                ids.push(self.entries[pos].id);
            }
            total += 1;
        });
        (total, ids)
    }

    fn visit(&self, query: &OrgQuery, mut f: impl FnMut(usize)) {
        let terms: Vec<String> = query.q.split_whitespace().map(normalise).collect();
        let keep = |pos: usize| -> bool {
            let e = &self.entries[pos];
            query.kind.is_none_or(|k| e.kind == k)
                && query.status.is_none_or(|s| e.status == s)
                && query.regions.is_none_or(|r| r.contains(&e.region_id))
                && query.under.is_none_or(|u| e.path.starts_with(u))
                && terms
                    .iter()
                    .all(|t| self.haystacks[pos].contains(t.as_str()))
        };
        let mut visit = |pos: usize| {
            if keep(pos) {
                f(pos);
            }
        };
        match self.rarest_postings(&terms) {
            Some(candidates) => candidates.iter().for_each(|p| visit(*p as usize)),
            None if terms.is_empty() => (0..self.entries.len()).for_each(visit),
            None => {}
        }
    }

    /// The shortest posting list among the terms' character pairs (or single characters);
    /// `None` when there is no term, or a term has a pair no entry contains.
    fn rarest_postings(&self, terms: &[String]) -> Option<&Vec<u32>> {
        let mut best: Option<&Vec<u32>> = None;
        for t in terms {
            let chars: Vec<char> = t.chars().collect();
            let lists: Vec<Option<&Vec<u32>>> = if chars.len() == 1 {
                vec![self.singles.get(&chars[0])]
            } else {
                chars
                    .windows(2)
                    .map(|w| self.pairs.get(&(w[0], w[1])))
                    .collect()
            };
            for l in lists {
                let l = l?;
                if best.is_none_or(|b| l.len() < b.len()) {
                    best = Some(l);
                }
            }
        }
        best
    }
}

fn push_once(list: &mut Vec<u32>, pos: u32) {
    if list.last() != Some(&pos) {
        list.push(pos);
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
            path: format!("/1/{id}/"),
        }
    }

    fn sample() -> OrgIndex {
        OrgIndex::new(vec![
            entry(
                3,
                "QY-0003",
                "南通中天科技有限公司",
                OrgKind::Enterprise,
                10,
            ),
            entry(
                1,
                "QY-0001",
                "中国农业发展银行通州支行",
                OrgKind::Enterprise,
                11,
            ),
            entry(2, "XH-0001", "通州区农学会", OrgKind::Society, 10),
            entry(
                4,
                "QYKX-0003",
                "南通中天科技有限公司科协",
                OrgKind::EnterpriseAssociation,
                10,
            ),
        ])
    }

    #[test]
    fn substring_in_chinese_without_segmentation() {
        let idx = sample();
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "农业",
                    ..Default::default()
                },
                0,
                10
            ),
            (1, vec![1])
        );
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "农",
                    ..Default::default()
                },
                0,
                10
            ),
            (2, vec![1, 2])
        );
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "科技",
                    ..Default::default()
                },
                0,
                10
            ),
            (2, vec![3, 4])
        );
        // Pairs present but not adjacent must not match.
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "中科",
                    ..Default::default()
                },
                0,
                10
            )
            .0,
            0
        );
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "不存在",
                    ..Default::default()
                },
                0,
                10
            )
            .0,
            0
        );
    }

    #[test]
    fn codes_case_and_width_insensitive() {
        let idx = sample();
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "xh-0001",
                    ..Default::default()
                },
                0,
                10
            )
            .1,
            vec![2]
        );
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "ＸＨ",
                    ..Default::default()
                },
                0,
                10
            )
            .1,
            vec![2]
        );
    }

    #[test]
    fn filters_terms_and_paging() {
        let idx = sample();
        let kind = OrgQuery {
            q: "中天 科协",
            kind: Some(OrgKind::EnterpriseAssociation),
            ..Default::default()
        };
        assert_eq!(idx.search(&kind, 0, 10), (1, vec![4]));
        let regions: HashSet<i64> = [10].into();
        let q = OrgQuery {
            regions: Some(&regions),
            ..Default::default()
        };
        assert_eq!(idx.search(&q, 0, 10), (3, vec![3, 4, 2]));
        assert_eq!(idx.search(&q, 1, 1), (3, vec![4]));
        let under = OrgQuery {
            under: Some("/1/2/"),
            ..Default::default()
        };
        assert_eq!(idx.search(&under, 0, 10).1, vec![2]);
    }

    #[test]
    fn apply_replaces_and_adds() {
        let mut idx = sample();
        let mut renamed = entry(2, "XH-0001", "通州区林学会", OrgKind::Society, 10);
        renamed.status = OrgStatus::Archived;
        idx.apply(vec![
            renamed,
            entry(9, "AA-0001", "通州区农机学会", OrgKind::Society, 12),
        ]);
        assert_eq!(idx.len(), 5);
        assert_eq!(idx.by_code("AA-0001").map(|e| e.id), Some(9));
        assert_eq!(idx.by_code("AA-0002"), None);
        assert_eq!(
            idx.search(
                &OrgQuery {
                    q: "农",
                    ..Default::default()
                },
                0,
                10
            )
            .1,
            vec![9, 1]
        );
        let active = OrgQuery {
            status: Some(OrgStatus::Active),
            kind: Some(OrgKind::Society),
            ..Default::default()
        };
        assert_eq!(idx.search(&active, 0, 10).1, vec![9]);
    }
}
