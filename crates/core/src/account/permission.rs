//! What each role may do, by area and action. Routes declare a `Need`; one middleware checks it
//! against this table, and the route-walking test reads the same table.

use super::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Area {
    Region,
    Org,
    Person,
    Account,
    Audit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    Edit,
    Import,
    Export,
}

/// What a route requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in account.
    Login,
    /// A logged-in account whose role may do `Action` in `Area`.
    Perm(Area, Action),
}

pub fn can(role: Role, area: Area, action: Action) -> bool {
    use Action::*;
    use Area::*;
    use Role::*;
    match role {
        SystemAdmin => true,
        DistrictStaff => match area {
            Region => action == View || action == Export,
            Org | Person => true,
            Audit => action == View,
            Account => false,
        },
        TownOfficer | OrgAdmin => match area {
            Region => action == View,
            Org | Person => true,
            Audit | Account => false,
        },
        Expert | EnterpriseUser | Volunteer | Citizen => false,
    }
}

impl Need {
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Need::Public, _) => true,
            (_, None) => false,
            (Need::Login, Some(_)) => true,
            (Need::Perm(area, action), Some(r)) => can(r, area, action),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        assert!(can(Role::SystemAdmin, Area::Account, Action::Edit));
        assert!(!can(Role::DistrictStaff, Area::Account, Action::View));
        assert!(can(Role::DistrictStaff, Area::Audit, Action::View));
        assert!(!can(Role::DistrictStaff, Area::Region, Action::Edit));
        assert!(can(Role::TownOfficer, Area::Org, Action::Import));
        assert!(!can(Role::TownOfficer, Area::Audit, Action::View));
        assert!(!can(Role::Citizen, Area::Org, Action::View));
    }

    #[test]
    fn needs() {
        assert!(Need::Public.allows(None));
        assert!(!Need::Login.allows(None));
        assert!(Need::Login.allows(Some(Role::Citizen)));
        assert!(!Need::Perm(Area::Org, Action::View).allows(Some(Role::Volunteer)));
        assert!(Need::Perm(Area::Org, Action::View).allows(Some(Role::OrgAdmin)));
    }
}
