//! Possible duplicates from the public sign-up: a sign-up whose ID number or phone was already
//! on file keeps its own person record and names the one on file (`volunteer.duplicate_of`).
//! Staff who can see both merge them (the sign-up's volunteer and account move to the person
//! on file) or dismiss the hint; nobody is bound to a record by the form alone.

use super::VolunteerRow;
use crate::entity::{account, person, volunteer};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::{Action, Actor, Area, Role};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set};
use serde::Serialize;

/// A sign-up and the person on file it may be.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateHint {
    pub volunteer: VolunteerRow,
    /// The person on file, as the caller may see them (masked for their role); `None` when
    /// that person is outside the caller's scope, so only someone who sees both can merge.
    pub existing: Option<crate::person::PersonView>,
}

impl Store {
    /// Who may act on a sign-up: the same people who verify volunteers (a team's admin
    /// approves requests to join but does not vouch for who someone is).
    fn resolves(actor: &Actor) -> bool {
        actor.can(Area::Volunteer, Action::Review) && actor.role != Role::OrgAdmin
    }

    /// Sign-ups in the caller's scope that name a possible duplicate, oldest first (none for
    /// those who do not verify volunteers).
    pub async fn possible_duplicates(&self, actor: &Actor) -> Result<Vec<DuplicateHint>> {
        if !Self::resolves(actor) {
            return Ok(Vec::new());
        }
        let scope = self.volunteer_scope(actor).await?;
        let models = volunteer::Entity::find()
            .filter(scope)
            .filter(volunteer::Column::DuplicateOf.is_not_null())
            .order_by_asc(volunteer::Column::Id)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(models.len());
        for row in self.volunteer_rows(actor, models).await? {
            let existing = match row.v.duplicate_of {
                Some(p) => self.get_person(actor, p).await.ok(),
                None => None,
            };
            out.push(DuplicateHint { volunteer: row, existing });
        }
        Ok(out)
    }

    /// Merges a sign-up into the person on file (`merge`) or dismisses the hint. A merge moves
    /// the volunteer and its account to that person and deletes the sign-up's own record, in
    /// one transaction; the person on file must be in the caller's scope and not a volunteer.
    pub async fn resolve_duplicate(&self, actor: &Actor, volunteer_id: i64, merge: bool) -> Result<()> {
        if !Self::resolves(actor) {
            return Err(StoreError::NotFound);
        }
        let before = self.scoped_volunteer(actor, volunteer_id).await?;
        let Some(existing) = before.duplicate_of else { return Err(StoreError::NotFound) };
        if merge {
            let mut refs = self.refs(actor).await?;
            if refs.person("duplicate_of", existing).await?
                && volunteer::Entity::find().filter(volunteer::Column::PersonId.eq(existing)).count(&self.db).await? > 0
            {
                refs.push("duplicate_of", "already_volunteer");
            }
            refs.finish()?;
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: volunteer::ActiveModel = before.clone().into();
        am.duplicate_of = Set(None);
        am.updated_at = Set(now());
        if merge {
            am.person_id = Set(existing);
        }
        let after = am.update(&txn).await?;
        let action = if merge { "merge" } else { "dismiss_duplicate" };
        chain.record(&txn, actor, action, "volunteer", Some(volunteer_id), Some(&before), Some(&after)).await?;
        if merge {
            if let Some(acc) = before.account_id
                && let Some(a) = account::Entity::find_by_id(acc).one(&txn).await?
            {
                let mut am: account::ActiveModel = a.clone().into();
                am.person_id = Set(Some(existing));
                let moved = am.update(&txn).await?;
                chain
                    .record(
                        &txn,
                        actor,
                        "merge",
                        "account",
                        Some(acc),
                        Some(&crate::account::redact(&a)),
                        Some(&crate::account::redact(&moved)),
                    )
                    .await?;
            }
            let own = person::Entity::find_by_id(before.person_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
            person::Entity::delete_by_id(own.id).exec(&txn).await?;
            chain.record(&txn, actor, "merge", "person", Some(own.id), Some(&own), None::<&()>).await?;
        }
        self.commit(txn, chain).await
    }
}
