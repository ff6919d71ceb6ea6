//! The home page's counts: each workbench item counted by the very list its link opens, under
//! the caller's scope.

use crate::matchmaking::engagement::EngagementFilter;
use crate::matchmaking::need::NeedFilter;
use crate::suggestion::SuggestionFilter;
use crate::volunteer::VolunteerFilter;
use crate::volunteer::order::OrderFilter;
use crate::{Result, Store};
use kexie_core::account::Actor;
use kexie_core::home::Todo;
use kexie_core::matchmaking::NeedStatus;
use kexie_core::page::PageRequest;
use kexie_core::suggestion::Status as SuggestionStatus;
use kexie_core::volunteer::Status as VolunteerStatus;
use kexie_core::volunteer::order::Status as OrderStatus;

impl Store {
    /// How many items wait on the list `todo.href()` names, as that list counts them.
    pub async fn todo_count(&self, actor: &Actor, todo: Todo) -> Result<u64> {
        // Only the total is read; one row comes along with it.
        let one = PageRequest::new(Some(1), Some(1));
        match todo {
            Todo::ContentReview => Ok(self.review_queue(actor).await?.len() as u64),
            Todo::NeedReview => {
                let f = NeedFilter { status: Some(NeedStatus::Submitted), ..Default::default() };
                Ok(self.list_needs(actor, &f, one).await?.total)
            }
            Todo::SuggestionModerate => self.suggestion_total(actor, Some(SuggestionStatus::Received), None).await,
            Todo::SuggestionRoute => self.suggestion_total(actor, Some(SuggestionStatus::Accepted), None).await,
            Todo::SuggestionAnswer => self.suggestion_total(actor, Some(SuggestionStatus::Assigned), None).await,
            Todo::SuggestionOverdue => self.suggestion_total(actor, None, Some(true)).await,
            Todo::OrderDispatch => self.order_total(actor, OrderStatus::Ordered).await,
            Todo::OrderAccept => self.order_total(actor, OrderStatus::Dispatched).await,
            Todo::VolunteerVerify => {
                let f = VolunteerFilter { status: Some(VolunteerStatus::Pending), ..Default::default() };
                Ok(self.list_volunteers(actor, &f, one).await?.total)
            }
            Todo::Approvals => Ok((self.pending_members(actor).await?.len()
                + self.pending_hours(actor).await?.len()
                + self.possible_duplicates(actor).await?.len()) as u64),
            Todo::ShiftGaps => self.shift_gap_count(actor).await,
            Todo::EngagementDue => {
                let f = EngagementFilter { due: true, ..Default::default() };
                Ok(self.list_engagements(actor, &f, one).await?.total)
            }
        }
    }

    async fn suggestion_total(
        &self,
        actor: &Actor,
        status: Option<SuggestionStatus>,
        overdue: Option<bool>,
    ) -> Result<u64> {
        let f = SuggestionFilter { status, overdue, ..Default::default() };
        Ok(self.list_suggestions(actor, &f, PageRequest::new(Some(1), Some(1))).await?.total)
    }

    async fn order_total(&self, actor: &Actor, status: OrderStatus) -> Result<u64> {
        let f = OrderFilter { status: Some(status), ..Default::default() };
        Ok(self.list_orders(actor, &f, PageRequest::new(Some(1), Some(1))).await?.total)
    }
}
