//! 活动 in the web layer: staff plan, publish, run the door and report (`staff`); people
//! register and check in and out on their phones (`door`), and get a lost ticket back by a
//! code sent to their phone (`recovery`).

pub mod door;
pub mod recovery;
pub mod staff;

use kexie_core::activity::Status;

/// The tag class of a status, shared by the staff and public pages.
pub fn tag_of(s: Status) -> &'static str {
    match s {
        Status::Draft => "tag-muted",
        Status::Published => "tag-ok",
        Status::Closed => "",
        Status::Cancelled => "tag-warn",
    }
}
