//! 点单派单 in the web layer: citizens and communities order a service from the menu on a
//! phone and follow it, rate it or cancel it by their ticket (`public`); staff and town
//! officers dispatch orders to teams, teams accept (planning the activity), decline or report
//! them done (`staff`).

pub mod public;
pub mod staff;

use kexie_core::volunteer::order::Status;

/// The tag class of an order's status, shared by the staff and public pages.
pub fn tag_of(s: Status) -> &'static str {
    match s {
        Status::Ordered => "tag-warn",
        Status::Dispatched | Status::Accepted => "",
        Status::Done | Status::Rated => "tag-ok",
        Status::Cancelled => "tag-muted",
    }
}
