//! The region tree: district → town/street → community/village.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionKind {
    District,
    Town,
    Street,
    Community,
    Village,
}

impl RegionKind {
    pub const ALL: [RegionKind; 5] = [Self::District, Self::Town, Self::Street, Self::Community, Self::Village];

    pub fn code(self) -> &'static str {
        match self {
            Self::District => "district",
            Self::Town => "town",
            Self::Street => "street",
            Self::Community => "community",
            Self::Village => "village",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    /// Depth in the tree; towns and streets are peers, as are communities and villages.
    pub fn level(self) -> u8 {
        match self {
            Self::District => 0,
            Self::Town | Self::Street => 1,
            Self::Community | Self::Village => 2,
        }
    }
    /// A town-level region: the unit a "4+1" association and a town officer work in.
    pub fn is_town_level(self) -> bool {
        self.level() == 1
    }
}

/// Materialised paths (`/1/7/42/`) make "everything under X" a prefix test in memory and a
/// `LIKE 'prefix%'` on an index in SQL, on every backend.
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    match parent_path {
        Some(p) => format!("{p}{id}/"),
        None => format!("/{id}/"),
    }
}

/// Ids along a materialised path, root first.
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest() {
        let root = child_path(None, 1);
        let town = child_path(Some(&root), 7);
        assert_eq!(town, "/1/7/");
        assert_eq!(child_path(Some(&town), 42), "/1/7/42/");
        assert_eq!(path_ids("/1/7/42/"), vec![1, 7, 42]);
        // A prefix test must not confuse 1 with 12.
        assert!(!"/12/".starts_with(&root));
    }

    #[test]
    fn kinds_round_trip() {
        for k in RegionKind::ALL {
            assert_eq!(RegionKind::parse(k.code()), Some(k));
        }
        assert!(RegionKind::Street.is_town_level());
        assert!(!RegionKind::Village.is_town_level());
    }
}

/// One region as the tree holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionNode {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: RegionKind,
    pub parent_id: Option<i64>,
    pub path: String,
}

/// The whole region tree in memory: a district has a few hundred regions, a province some
/// tens of thousands, and every list page needs names and subtrees.
#[derive(Debug, Default, Clone)]
pub struct RegionTree {
    by_id: std::collections::HashMap<i64, RegionNode>,
    children: std::collections::HashMap<Option<i64>, Vec<i64>>,
}

impl RegionTree {
    pub fn new(nodes: impl IntoIterator<Item = RegionNode>) -> Self {
        let mut t = Self::default();
        t.apply(nodes);
        t
    }

    /// Inserts or replaces nodes and re-derives the children lists (kept in code order).
    pub fn apply(&mut self, nodes: impl IntoIterator<Item = RegionNode>) {
        for n in nodes {
            self.by_id.insert(n.id, n);
        }
        self.children.clear();
        for n in self.by_id.values() {
            self.children.entry(n.parent_id).or_default().push(n.id);
        }
        for list in self.children.values_mut() {
            list.sort_by(|a, b| self.by_id[a].code.cmp(&self.by_id[b].code));
        }
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
    pub fn get(&self, id: i64) -> Option<&RegionNode> {
        self.by_id.get(&id)
    }
    pub fn children(&self, parent: Option<i64>) -> impl Iterator<Item = &RegionNode> {
        self.children.get(&parent).into_iter().flatten().filter_map(|id| self.by_id.get(id))
    }
    pub fn roots(&self) -> impl Iterator<Item = &RegionNode> {
        self.children(None)
    }
    /// Town-level regions (towns and streets), in code order.
    pub fn towns(&self) -> Vec<&RegionNode> {
        let mut v: Vec<&RegionNode> = self.by_id.values().filter(|n| n.kind.is_town_level()).collect();
        v.sort_by(|a, b| a.code.cmp(&b.code));
        v
    }
    /// The towns a data scope reaches, in code order: those it covers, and the town holding a
    /// scope set below town level. Every filter and picker of towns offers these.
    pub fn towns_in(&self, scope: &crate::scope::Scope) -> Vec<&RegionNode> {
        let holds = |town: &RegionNode| matches!(scope, crate::scope::Scope::Region { path, .. } if path.starts_with(&town.path));
        self.towns().into_iter().filter(|t| scope.covers_region(&t.path) || holds(t)).collect()
    }
    /// The town a region lies in (itself if it is one).
    pub fn town_of(&self, id: i64) -> Option<&RegionNode> {
        let n = self.by_id.get(&id)?;
        path_ids(&n.path).into_iter().filter_map(|a| self.by_id.get(&a)).find(|a| a.kind.is_town_level())
    }
    /// Ids of a region and everything under it.
    pub fn subtree_ids(&self, id: i64) -> std::collections::HashSet<i64> {
        let Some(root) = self.by_id.get(&id) else {
            return Default::default();
        };
        self.by_id.values().filter(|n| n.path.starts_with(&root.path)).map(|n| n.id).collect()
    }
    /// "金沙街道 / 三官殿社区": the path below the district, for lists.
    pub fn display_name(&self, id: i64) -> String {
        let Some(n) = self.by_id.get(&id) else {
            return String::new();
        };
        let names: Vec<&str> = path_ids(&n.path)
            .into_iter()
            .filter_map(|a| self.by_id.get(&a))
            .filter(|a| a.kind != RegionKind::District || a.id == id)
            .map(|a| a.name.as_str())
            .collect();
        names.join(" / ")
    }
    pub fn all(&self) -> impl Iterator<Item = &RegionNode> {
        self.by_id.values()
    }
}

#[cfg(test)]
mod tree_tests {
    use super::*;

    fn node(id: i64, code: &str, name: &str, kind: RegionKind, parent: Option<i64>, path: &str) -> RegionNode {
        RegionNode { id, code: code.into(), name: name.into(), kind, parent_id: parent, path: path.into() }
    }

    #[test]
    fn tree_queries() {
        let t = RegionTree::new([
            node(1, "320612", "通州区", RegionKind::District, None, "/1/"),
            node(3, "320612002", "西亭镇", RegionKind::Town, Some(1), "/1/3/"),
            node(2, "320612001", "金沙街道", RegionKind::Street, Some(1), "/1/2/"),
            node(4, "320612001001", "三官殿社区", RegionKind::Community, Some(2), "/1/2/4/"),
        ]);
        let towns: Vec<&str> = t.towns().iter().map(|n| n.name.as_str()).collect();
        assert_eq!(towns, ["金沙街道", "西亭镇"]);
        assert_eq!(t.town_of(4).unwrap().name, "金沙街道");
        assert_eq!(t.town_of(1), None);
        assert_eq!(t.subtree_ids(2), [2, 4].into());
        assert_eq!(t.display_name(4), "金沙街道 / 三官殿社区");
        assert_eq!(t.display_name(1), "通州区");
        assert_eq!(t.children(Some(1)).count(), 2);
    }

    #[test]
    fn towns_a_scope_reaches() {
        use crate::scope::Scope;
        let t = RegionTree::new([
            node(1, "320612", "通州区", RegionKind::District, None, "/1/"),
            node(3, "320612002", "西亭镇", RegionKind::Town, Some(1), "/1/3/"),
            node(2, "320612001", "金沙街道", RegionKind::Street, Some(1), "/1/2/"),
            node(4, "320612001001", "三官殿社区", RegionKind::Community, Some(2), "/1/2/4/"),
        ]);
        let names = |scope: Scope| t.towns_in(&scope).iter().map(|n| n.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(Scope::All), ["金沙街道", "西亭镇"]);
        assert_eq!(names(Scope::Region { id: 1, path: "/1/".into() }), ["金沙街道", "西亭镇"]);
        assert_eq!(names(Scope::Region { id: 2, path: "/1/2/".into() }), ["金沙街道"]);
        assert_eq!(names(Scope::Region { id: 4, path: "/1/2/4/".into() }), ["金沙街道"]);
        // An organisation's records may lie in any town; their own subtree bounds them.
        assert_eq!(names(Scope::Org { id: 9, path: "/9/".into() }), ["金沙街道", "西亭镇"]);
        assert!(names(Scope::Own { person_id: None }).is_empty());
    }
}
