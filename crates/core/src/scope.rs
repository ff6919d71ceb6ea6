//! Data scope: the part of the district an account may see and change. Every store query is
//! filtered by it; these predicates are the one definition of "in scope".

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// The whole district (system admin, district staff).
    All,
    /// A region and everything under it (a town officer's town).
    Region { id: i64, path: String },
    /// An organisation and its sub-organisations (a society's admin).
    Org { id: i64, path: String },
    /// Nothing but the account's own person record (experts, volunteers, citizens).
    Own { person_id: Option<i64> },
}

impl Scope {
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Region { .. } => "region",
            Scope::Org { .. } => "org",
            Scope::Own { .. } => "own",
        }
    }

    /// Whether a record placed at this region (and, for organisations, at this org path) is in scope.
    pub fn covers(&self, region_path: &str, org_path: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Region { path, .. } => region_path.starts_with(path.as_str()),
            Scope::Org { path, .. } => org_path.is_some_and(|p| p.starts_with(path.as_str())),
            Scope::Own { .. } => false,
        }
    }

    pub fn covers_region(&self, region_path: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Region { path, .. } => region_path.starts_with(path.as_str()),
            // An org admin may place records in any region: their org subtree bounds them.
            Scope::Org { .. } => true,
            Scope::Own { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_scope_is_a_subtree() {
        let s = Scope::Region { id: 7, path: "/1/7/".into() };
        assert!(s.covers("/1/7/", None));
        assert!(s.covers("/1/7/42/", None));
        assert!(!s.covers("/1/8/", None));
        assert!(!s.covers("/1/", None));
        assert!(!s.covers("/1/70/", None));
    }

    #[test]
    fn org_scope_needs_an_org_path() {
        let s = Scope::Org { id: 3, path: "/1/3/".into() };
        assert!(s.covers("/1/9/", Some("/1/3/11/")));
        assert!(!s.covers("/1/9/", Some("/1/4/")));
        assert!(!s.covers("/1/9/", None));
        assert!(Scope::All.covers("/x/", None));
        assert!(!Scope::Own { person_id: Some(1) }.covers("/1/", Some("/1/")));
    }
}
