//! Accounts: roles, what each role may do, the password policy and login lockout.

pub mod lockout;
pub mod password;
pub mod permission;

pub use permission::{Action, Area, Need};

use crate::scope::Scope;
use serde::{Deserialize, Serialize};

/// Who is doing something: every store write takes one, and every query its scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub account_id: Option<i64>,
    pub username: String,
    pub role: Role,
    pub scope: Scope,
    pub person_id: Option<i64>,
}

impl Actor {
    /// The command line and start-up jobs act as the system, with full scope.
    pub fn system(name: &str) -> Self {
        Self {
            account_id: None,
            username: name.to_string(),
            role: Role::SystemAdmin,
            scope: Scope::All,
            person_id: None,
        }
    }
    /// Someone without an account writing from a public page (a citizen's suggestion, a
    /// check-in at an activity's door, a volunteer signing up), named for the audit log.
    pub fn public(name: &str) -> Self {
        Self {
            account_id: None,
            username: name.to_string(),
            role: Role::Citizen,
            scope: Scope::Own { person_id: None },
            person_id: None,
        }
    }
    pub fn can(&self, area: Area, action: Action) -> bool {
        permission::can(self.role, area, action)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    SystemAdmin,
    DistrictStaff,
    TownOfficer,
    OrgAdmin,
    Expert,
    EnterpriseUser,
    Volunteer,
    Citizen,
}

/// What kind of scope a role's accounts carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    All,
    Region,
    Org,
    Own,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Self::SystemAdmin,
        Self::DistrictStaff,
        Self::TownOfficer,
        Self::OrgAdmin,
        Self::Expert,
        Self::EnterpriseUser,
        Self::Volunteer,
        Self::Citizen,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::SystemAdmin => "system_admin",
            Self::DistrictStaff => "district_staff",
            Self::TownOfficer => "town_officer",
            Self::OrgAdmin => "org_admin",
            Self::Expert => "expert",
            Self::EnterpriseUser => "enterprise_user",
            Self::Volunteer => "volunteer",
            Self::Citizen => "citizen",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }

    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Self::SystemAdmin | Self::DistrictStaff => ScopeKind::All,
            Self::TownOfficer => ScopeKind::Region,
            Self::OrgAdmin | Self::EnterpriseUser => ScopeKind::Org,
            Self::Expert | Self::Volunteer | Self::Citizen => ScopeKind::Own,
        }
    }

    /// Whether phone and ID numbers are shown in full to this role (otherwise masked).
    pub fn sees_personal_data(self) -> bool {
        matches!(self, Self::SystemAdmin | Self::DistrictStaff)
    }
}

/// Usernames: 3–32 of letters, digits, `.`, `_` and `-`; case-insensitive.
pub fn normalise_username(s: &str) -> Option<String> {
    let v = s.trim().to_ascii_lowercase();
    let ok =
        (3..=32).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_scope() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::TownOfficer.scope_kind(), ScopeKind::Region);
        assert!(!Role::TownOfficer.sees_personal_data());
        assert!(Role::DistrictStaff.sees_personal_data());
    }

    #[test]
    fn usernames() {
        assert_eq!(normalise_username(" Admin "), Some("admin".into()));
        assert_eq!(normalise_username("ab"), None);
        assert_eq!(normalise_username("张三"), None);
        assert_eq!(normalise_username("zhang.san-01"), Some("zhang.san-01".into()));
    }
}
