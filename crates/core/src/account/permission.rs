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
    /// 企业需求
    Need,
    /// 专家 (with patents and 专家工作站 members). Import also covers adding and archiving
    /// profiles one by one: keeping the pool is the association's.
    Expert,
    /// 精准对接活动
    MatchEvent,
    /// 对接记录
    Engagement,
    /// 科普e站: stations, their screens and proof-of-play reports. Towns keep their own.
    Station,
    /// What screens play: the media library, schedules, groups and emergency interrupts.
    Schedule,
    /// 科普宣传: content and its review, publications, reach, campaigns and resources handed out.
    Content,
    /// 建议意见: citizens' suggestions, their moderation, routing and answers.
    Suggestion,
    /// 活动: activities of every kind, their registration, door and report.
    Activity,
    /// 志愿者: volunteers, team membership and the hours ledger. Review is verifying
    /// volunteers, approving requests to join a team and certifying self-logged hours.
    Volunteer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    View,
    Edit,
    Import,
    Export,
    /// Approve or send back what others submitted (needs before they are shown).
    Review,
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
    /// A screen with its device token (the device API checks the token itself; accounts'
    /// sessions play no part).
    Device,
}

pub fn can(role: Role, area: Area, action: Action) -> bool {
    use Action::*;
    use Area::*;
    match role {
        Role::SystemAdmin => true,
        Role::DistrictStaff => match area {
            Region => action == View || action == Export,
            Org
            | Person
            | Area::Need
            | Area::Expert
            | MatchEvent
            | Engagement
            | Station
            | Schedule
            | Content
            | Suggestion
            | Activity
            | Volunteer => true,
            Audit => action == View,
            Account => false,
        },
        Role::TownOfficer => match area {
            Region => action == View,
            Org | Person => action != Review,
            // Towns follow their enterprises' needs and engagements; the association runs them.
            Area::Need | Engagement => action == View || action == Export,
            Area::Expert | MatchEvent => action == View,
            // Towns run their stations and screens; the association decides what they play.
            Station => action != Review,
            Schedule => action == View,
            // Towns see what was sent and its reach; they answer the suggestions routed to them.
            Content => action == View || action == Export,
            Suggestion => action == View || action == Edit,
            // Towns run their own activities and volunteers, and certify their hours.
            Activity | Volunteer => true,
            Audit | Account => false,
        },
        // A team's or practice site's admin runs its activities, approves who joins and
        // certifies its members' hours; verifying volunteers stays with towns and staff.
        Role::OrgAdmin => match area {
            Region => action == View,
            Org | Person => action != Review,
            Activity => action != Review,
            Volunteer => action != Import,
            _ => false,
        },
        // Enterprises post their own needs and record their engagements; experts keep their
        // own profile. The store scopes both to their own records.
        Role::EnterpriseUser => match area {
            Area::Need | Engagement => action == View || action == Edit,
            Area::Expert | MatchEvent => action == View,
            _ => false,
        },
        Role::Expert => match area {
            Area::Expert => action == View || action == Edit,
            Area::Need | MatchEvent | Engagement => action == View,
            _ => false,
        },
        Role::Volunteer | Role::Citizen => false,
    }
}

impl Need {
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Need::Public | Need::Device, _) => true,
            (_, None) => false,
            (Need::Login, Some(_)) => true,
            (Need::Perm(area, action), Some(r)) => can(r, area, action),
        }
    }
}

/// The `Need` of the route a path resolves to among `(pattern, need)` routes, where a pattern's
/// `{name}` segment takes any non-empty segment. As the router does, a literal segment wins
/// over a parameter at the first place two matching patterns differ (`/orgs/new` over
/// `/orgs/{id}`).
pub fn resolve<'a>(routes: impl IntoIterator<Item = (&'a str, Need)>, path: &str) -> Option<Need> {
    routes
        .into_iter()
        .filter_map(|(pattern, need)| literal_segments(pattern, path).map(|rank| (rank, need)))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, need)| need)
}

/// Whether each segment of a matching pattern is literal, in order; None if it does not match.
fn literal_segments(pattern: &str, path: &str) -> Option<Vec<bool>> {
    let (pattern, path): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    if pattern.len() != path.len() {
        return None;
    }
    pattern
        .iter()
        .zip(&path)
        .map(|(p, s)| match p.starts_with('{') && p.ends_with('}') {
            true => (!s.is_empty()).then_some(false),
            false => (p == s).then_some(true),
        })
        .collect()
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
        assert!(can(Role::EnterpriseUser, Area::Need, Action::Edit));
        assert!(!can(Role::EnterpriseUser, Area::Need, Action::Review));
        assert!(!can(Role::EnterpriseUser, Area::Expert, Action::Edit));
        assert!(can(Role::Expert, Area::Expert, Action::Edit));
        assert!(!can(Role::Expert, Area::Expert, Action::Import));
        assert!(!can(Role::TownOfficer, Area::Need, Action::Edit));
        assert!(can(Role::DistrictStaff, Area::Need, Action::Review));
        assert!(!can(Role::OrgAdmin, Area::Org, Action::Review));
        assert!(can(Role::TownOfficer, Area::Station, Action::Edit));
        assert!(!can(Role::TownOfficer, Area::Schedule, Action::Edit));
        assert!(!can(Role::EnterpriseUser, Area::Station, Action::View));
        assert!(can(Role::DistrictStaff, Area::Content, Action::Review));
        assert!(!can(Role::TownOfficer, Area::Content, Action::Edit));
        assert!(can(Role::TownOfficer, Area::Suggestion, Action::Edit));
        assert!(!can(Role::TownOfficer, Area::Suggestion, Action::Review));
        assert!(!can(Role::Citizen, Area::Suggestion, Action::View));
        assert!(can(Role::TownOfficer, Area::Volunteer, Action::Review));
        assert!(can(Role::OrgAdmin, Area::Volunteer, Action::Review));
        assert!(!can(Role::OrgAdmin, Area::Volunteer, Action::Import));
        assert!(!can(Role::Volunteer, Area::Volunteer, Action::View));
        assert!(!can(Role::Expert, Area::Activity, Action::View));
    }

    #[test]
    fn a_path_resolves_as_the_router_would() {
        let review = Need::Perm(Area::Content, Action::Review);
        let view = Need::Perm(Area::Content, Action::View);
        let edit = Need::Perm(Area::Content, Action::Edit);
        let routes = [
            ("/outreach/content", view),
            ("/outreach/content/new", edit),
            ("/outreach/content/{id}", view),
            ("/outreach/content/{id}/channel/{channel}", view),
            ("/outreach/content/{id}/channel/wechat/raw", review),
            ("/outreach/review", review),
        ];
        assert_eq!(resolve(routes, "/outreach/review"), Some(review));
        assert_eq!(resolve(routes, "/outreach/content/new"), Some(edit));
        assert_eq!(resolve(routes, "/outreach/content/7"), Some(view));
        assert_eq!(resolve(routes, "/outreach/content/7/channel/radio"), Some(view));
        assert_eq!(resolve(routes, "/outreach/content/7/channel/wechat/raw"), Some(review));
        assert_eq!(resolve(routes, "/outreach/content/"), None);
        assert_eq!(resolve(routes, "/outreach/content/7/edit"), None);
        assert_eq!(resolve(routes, "/elsewhere"), None);
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
