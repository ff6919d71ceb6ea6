//! 科普宣传: content with versions and review, publications on the nine channels (the screens
//! through the e-station area), reach, campaigns, resources handed out, and the change log
//! the search index follows.

pub mod campaign;
pub mod content;
pub mod demo;
pub mod distribution;
pub mod publication;
pub mod reach;
pub mod search;
pub mod stats;

use crate::{Result, StoreError};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::scope::Scope;

/// Content is the association's: only district-wide accounts write it.
pub(crate) fn edits_content(actor: &Actor, action: Action) -> Result<()> {
    if actor.can(Area::Content, action) && matches!(actor.scope, Scope::All) {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

pub(crate) fn sees_content(actor: &Actor) -> Result<()> {
    if actor.can(Area::Content, Action::View) { Ok(()) } else { Err(StoreError::NotFound) }
}

/// The account id of an actor; the command line acts as account 0.
pub(crate) fn account_of(actor: &Actor) -> i64 {
    actor.account_id.unwrap_or(0)
}
