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
