//! The home page's workbench (待办): what waits for the caller to act on, by role, and the list
//! each count opens. A to-do is someone's when their role carries the duty; its link needs the
//! permission of the list's route, so every role that gets an item may open it.

use crate::account::{Action, Area, Role, ScopeKind, permission::can};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Todo {
    /// Content waiting for the caller's review (the review queue's rule: never their own
    /// piece, never the second review of a piece they reviewed first).
    ContentReview,
    /// Enterprises' needs submitted for review.
    NeedReview,
    /// New suggestions to moderate.
    SuggestionModerate,
    /// Accepted suggestions to route to a town or an officer.
    SuggestionRoute,
    /// Suggestions routed to the caller's town, not answered yet.
    SuggestionAnswer,
    /// Routed suggestions past their due date without an answer.
    SuggestionOverdue,
    /// Service orders placed and not yet dispatched to a team.
    OrderDispatch,
    /// Service orders dispatched to the caller's teams, to accept or decline.
    OrderAccept,
    /// People who signed up as volunteers, waiting to be verified.
    VolunteerVerify,
    /// Requests to join a team, self-logged hours to certify, possible duplicates to settle.
    Approvals,
    /// Upcoming shifts that still need volunteers.
    ShiftGaps,
    /// Engagements whose follow-up date has come.
    EngagementDue,
}

impl Todo {
    pub const ALL: [Todo; 12] = [
        Self::ContentReview,
        Self::NeedReview,
        Self::SuggestionModerate,
        Self::SuggestionRoute,
        Self::SuggestionAnswer,
        Self::SuggestionOverdue,
        Self::OrderDispatch,
        Self::OrderAccept,
        Self::VolunteerVerify,
        Self::Approvals,
        Self::ShiftGaps,
        Self::EngagementDue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ContentReview => "content_review",
            Self::NeedReview => "need_review",
            Self::SuggestionModerate => "suggestion_moderate",
            Self::SuggestionRoute => "suggestion_route",
            Self::SuggestionAnswer => "suggestion_answer",
            Self::SuggestionOverdue => "suggestion_overdue",
            Self::OrderDispatch => "order_dispatch",
            Self::OrderAccept => "order_accept",
            Self::VolunteerVerify => "volunteer_verify",
            Self::Approvals => "approvals",
            Self::ShiftGaps => "shift_gaps",
            Self::EngagementDue => "engagement_due",
        }
    }

    /// The list that shows exactly what the count counts.
    pub fn href(self) -> &'static str {
        match self {
            Self::ContentReview => "/outreach/review",
            Self::NeedReview => "/match/needs?status=submitted",
            Self::SuggestionModerate => "/suggestions?status=received",
            Self::SuggestionRoute => "/suggestions?status=accepted",
            Self::SuggestionAnswer => "/suggestions?status=assigned",
            Self::SuggestionOverdue => "/suggestions?overdue=1",
            Self::OrderDispatch => "/orders?status=ordered",
            Self::OrderAccept => "/orders?status=dispatched",
            Self::VolunteerVerify => "/volunteers?status=pending",
            Self::Approvals => "/volunteers/approvals",
            Self::ShiftGaps => "/volunteers/shifts",
            Self::EngagementDue => "/match/engagements?due=1",
        }
    }

    /// What the list's route requires (the route table declares the same).
    pub fn route(self) -> (Area, Action) {
        match self {
            Self::ContentReview => (Area::Content, Action::Review),
            Self::NeedReview => (Area::Need, Action::View),
            Self::SuggestionModerate | Self::SuggestionRoute | Self::SuggestionAnswer | Self::SuggestionOverdue => {
                (Area::Suggestion, Action::View)
            }
            Self::OrderDispatch | Self::OrderAccept | Self::VolunteerVerify | Self::ShiftGaps => {
                (Area::Volunteer, Action::View)
            }
            Self::Approvals => (Area::Volunteer, Action::Review),
            Self::EngagementDue => (Area::Engagement, Action::View),
        }
    }

    /// Whether acting on it is the role's duty, not just something the role may look at.
    fn is_duty_of(self, role: Role) -> bool {
        let org = role.scope_kind() == ScopeKind::Org;
        let district_or_town = matches!(role.scope_kind(), ScopeKind::All | ScopeKind::Region);
        match self {
            Self::ContentReview => can(role, Area::Content, Action::Review),
            Self::NeedReview => can(role, Area::Need, Action::Review),
            Self::SuggestionModerate | Self::SuggestionRoute => can(role, Area::Suggestion, Action::Review),
            // Towns answer what is routed to them; the association routes and moderates.
            Self::SuggestionAnswer => {
                can(role, Area::Suggestion, Action::Edit) && !can(role, Area::Suggestion, Action::Review)
            }
            Self::SuggestionOverdue => can(role, Area::Suggestion, Action::Edit),
            // Staff and towns dispatch orders; a team's admin accepts what reaches their teams.
            Self::OrderDispatch | Self::VolunteerVerify => {
                district_or_town && can(role, Area::Volunteer, Action::Review)
            }
            Self::OrderAccept => org && can(role, Area::Volunteer, Action::Edit),
            Self::Approvals => can(role, Area::Volunteer, Action::Review),
            Self::ShiftGaps => can(role, Area::Volunteer, Action::Edit),
            Self::EngagementDue => can(role, Area::Engagement, Action::Edit),
        }
    }
}

/// The role's workbench, in the order the page shows it.
pub fn workbench(role: Role) -> Vec<Todo> {
    Todo::ALL
        .into_iter()
        .filter(|t| {
            let (area, action) = t.route();
            t.is_duty_of(role) && can(role, area, action)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_opens_for_the_roles_that_get_it() {
        for role in Role::ALL {
            for t in workbench(role) {
                let (area, action) = t.route();
                assert!(can(role, area, action), "{role:?} {t:?}");
            }
        }
    }

    #[test]
    fn staff_route_and_towns_answer() {
        let staff = workbench(Role::DistrictStaff);
        assert!(staff.contains(&Todo::ContentReview) && staff.contains(&Todo::NeedReview));
        assert!(staff.contains(&Todo::SuggestionRoute) && !staff.contains(&Todo::SuggestionAnswer));
        assert!(staff.contains(&Todo::OrderDispatch) && !staff.contains(&Todo::OrderAccept));
        let town = workbench(Role::TownOfficer);
        assert!(town.contains(&Todo::SuggestionAnswer) && town.contains(&Todo::SuggestionOverdue));
        assert!(!town.contains(&Todo::SuggestionModerate) && !town.contains(&Todo::ContentReview));
        assert!(town.contains(&Todo::OrderDispatch) && town.contains(&Todo::VolunteerVerify));
        assert!(!town.contains(&Todo::EngagementDue), "towns follow engagements, the association runs them");
    }

    #[test]
    fn a_team_admin_accepts_orders_and_approves_members() {
        let org = workbench(Role::OrgAdmin);
        assert_eq!(org, vec![Todo::OrderAccept, Todo::Approvals, Todo::ShiftGaps]);
    }

    #[test]
    fn people_acting_for_themselves_have_their_own_pages_instead() {
        assert_eq!(workbench(Role::EnterpriseUser), vec![Todo::EngagementDue]);
        for role in [Role::Expert, Role::Volunteer, Role::Citizen] {
            assert!(workbench(role).is_empty(), "{role:?}");
        }
    }
}
