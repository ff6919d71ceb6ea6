//! 志愿者 in the web layer: staff keep the roster, verify, approve and certify (`staff`);
//! volunteers sign up on a phone and keep their own hours and teams (`me`); certificates of
//! service as a printable page and a Word document (`certificate`); practice sites' and
//! teams' service projects (`project`), the shifts volunteers sign up for (`shift`), and
//! service orders from the public menu to the team that runs them (`order`).

pub mod certificate;
pub mod me;
pub mod order;
pub mod project;
pub mod shift;
pub mod staff;

use kexie_core::volunteer::ledger;

/// The tag class of a ledger line's status.
pub fn record_tag(s: ledger::Status) -> &'static str {
    match s {
        ledger::Status::Pending => "tag-warn",
        ledger::Status::Approved => "tag-ok",
        ledger::Status::Rejected => "tag-muted",
    }
}

/// Minutes as hours for pages.
pub fn hours(minutes: &i64) -> String {
    ledger::hours_text(*minutes)
}

/// "★★★☆☆" for a star level.
pub fn stars(n: &u8) -> String {
    (0..5).map(|i| if i < *n { '★' } else { '☆' }).collect()
}

/// The teams a volunteer serves with (approved), for booking hours to one.
pub fn own_teams(v: &kexie_store::volunteer::VolunteerView) -> Vec<(i64, String)> {
    v.row
        .teams
        .iter()
        .filter(|t| t.status == kexie_core::volunteer::Membership::Approved)
        .map(|t| (t.team_id, t.team.clone()))
        .collect()
}
