//! People: scoped lists (name prefix, phone, org), reads and audited writes.

use crate::entity::person;
use crate::org::region_set;
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::{PersonForm, PersonInput, is_masked, mask_id_number, mask_phone};
use kexie_core::scope::Scope;
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    #[serde(flatten)]
    pub person: person::Model,
    pub region_name: String,
    pub org_name: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    /// A name prefix (surname first, as Chinese names are searched) or a full phone number.
    pub q: String,
    pub region_id: Option<i64>,
    pub org_id: Option<i64>,
}

fn masked(actor: &Actor, mut p: person::Model) -> person::Model {
    if !actor.role.sees_personal_data() {
        p.phone = p.phone.map(|x| mask_phone(&x));
        p.id_number = p.id_number.map(|x| mask_id_number(&x));
    }
    p
}

impl Store {
    fn scoped_people(
        &self,
        actor: &Actor,
        tree: &kexie_core::region::RegionTree,
        region: Option<i64>,
    ) -> Select<person::Entity> {
        let mut q = person::Entity::find();
        match &actor.scope {
            Scope::Own { person_id } => q = q.filter(person::Column::Id.eq(person_id.unwrap_or(-1))),
            Scope::Org { path, .. } => {
                let orgs = self.catalog.orgs();
                let mut ids = Vec::new();
                orgs.scan(&kexie_core::org::index::OrgQuery { under: Some(path), ..Default::default() }, |e| {
                    ids.push(e.id)
                });
                q = q.filter(person::Column::OrgId.is_in(ids));
            }
            Scope::All | Scope::Region { .. } => {}
        }
        if let Some(set) = region_set(tree, &actor.scope, region) {
            q = q.filter(person::Column::RegionId.is_in(set));
        }
        q
    }

    pub async fn list_people(&self, actor: &Actor, f: &PersonFilter, page: PageRequest) -> Result<Page<PersonView>> {
        let tree = self.regions().await?;
        let mut q = self.scoped_people(actor, &tree, f.region_id);
        if let Some(o) = f.org_id {
            q = q.filter(person::Column::OrgId.eq(o));
        }
        let term = f.q.trim();
        if !term.is_empty() {
            // A prefix range on the name index; `\u{10FFFF}` sorts after every character.
            let upper = format!("{term}\u{10FFFF}");
            q = q.filter(
                Condition::any()
                    .add(Condition::all().add(person::Column::Name.gte(term)).add(person::Column::Name.lt(upper)))
                    .add(person::Column::Phone.eq(term)),
            );
        }
        let total = q.clone().count(&self.db).await?;
        let rows = q.order_by_asc(person::Column::Id).offset(page.offset()).limit(page.per_page).all(&self.db).await?;
        let orgs = self.catalog.orgs();
        let items = rows
            .into_iter()
            .map(|p| PersonView {
                region_name: tree.display_name(p.region_id),
                org_name: p.org_id.and_then(|o| orgs.get(o)).map(|e| e.name.clone()),
                person: masked(actor, p),
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }

    pub async fn get_person(&self, actor: &Actor, id: i64) -> Result<PersonView> {
        let tree = self.regions().await?;
        let p = self
            .scoped_people(actor, &tree, None)
            .filter(person::Column::Id.eq(id))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound)?;
        let org_name = p.org_id.and_then(|o| self.catalog.orgs().get(o).map(|e| e.name.clone()));
        Ok(PersonView { region_name: tree.display_name(p.region_id), org_name, person: masked(actor, p) })
    }

    async fn check_person_refs(&self, actor: &Actor, input: &PersonInput) -> Result<()> {
        let tree = self.regions().await?;
        let mut e = Invalid::default();
        match tree.get(input.region_id) {
            None => e.push("region_id", "unknown_region"),
            Some(r) if !actor.scope.covers_region(&r.path) => e.push("region_id", "out_of_scope"),
            _ => {}
        }
        match input.org_id {
            Some(o) if self.get_org(actor, o).await.is_err() => e.push("org_id", "unknown_org"),
            None if matches!(actor.scope, Scope::Org { .. }) => e.push("org_id", "required"),
            _ => {}
        }
        e.into_result(()).map_err(StoreError::Invalid)
    }

    async fn id_number_taken(&self, id_number: Option<&str>, own: Option<i64>) -> Result<bool> {
        let Some(n) = id_number else { return Ok(false) };
        let found = person::Entity::find().filter(person::Column::IdNumber.eq(n)).one(&self.db).await?;
        Ok(found.is_some_and(|p| Some(p.id) != own))
    }

    pub async fn create_person(&self, actor: &Actor, form: &PersonForm) -> Result<i64> {
        if !actor.can(Area::Person, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        let input = form.check()?;
        self.check_person_refs(actor, &input).await?;
        if self.id_number_taken(input.id_number.as_deref(), None).await? {
            return Err(Invalid::one("id_number", "duplicate").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let t = now();
        let mut am = person::ActiveModel { created_at: Set(t), updated_at: Set(t), ..Default::default() };
        set_fields(&mut am, &input);
        let saved = am.insert(&txn).await?;
        chain.record(&txn, actor, "create", "person", Some(saved.id), None::<&()>, Some(&saved)).await?;
        self.commit(txn, chain).await?;
        Ok(saved.id)
    }

    pub async fn update_person(&self, actor: &Actor, id: i64, form: &PersonForm) -> Result<()> {
        if !actor.can(Area::Person, Action::Edit) {
            return Err(StoreError::NotFound);
        }
        self.get_person(actor, id).await?;
        let before = person::Entity::find_by_id(id).one(&self.db).await?.ok_or(StoreError::NotFound)?;
        let mut form = form.clone();
        // Masked values sent back unchanged keep what is stored.
        if let Some(p) = &before.phone
            && is_masked(&form.phone)
            && form.phone == mask_phone(p)
        {
            form.phone = p.clone();
        }
        if let Some(n) = &before.id_number
            && is_masked(&form.id_number)
            && form.id_number == mask_id_number(n)
        {
            form.id_number = n.clone();
        }
        let input = form.check()?;
        self.check_person_refs(actor, &input).await?;
        if self.id_number_taken(input.id_number.as_deref(), Some(id)).await? {
            return Err(Invalid::one("id_number", "duplicate").into());
        }
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut am: person::ActiveModel = before.clone().into();
        set_fields(&mut am, &input);
        am.updated_at = Set(now());
        let after = am.update(&txn).await?;
        chain.record(&txn, actor, "update", "person", Some(id), Some(&before), Some(&after)).await?;
        self.commit(txn, chain).await?;
        Ok(())
    }

    /// Rows for export: the same list, unpaged up to a bound, masked for the role.
    pub async fn export_people(&self, actor: &Actor, f: &PersonFilter, max: u64) -> Result<Vec<PersonView>> {
        if !actor.can(Area::Person, Action::Export) {
            return Err(StoreError::NotFound);
        }
        Ok(self.list_people(actor, f, PageRequest { page: 1, per_page: max }).await?.items)
    }

    pub async fn count_people(&self, actor: &Actor) -> Result<u64> {
        let tree = self.regions().await?;
        Ok(self.scoped_people(actor, &tree, None).count(&self.db).await?)
    }
}

fn set_fields(am: &mut person::ActiveModel, i: &PersonInput) {
    am.name = Set(i.name.clone());
    am.gender = Set(i.gender.map(|g| g.code().to_string()));
    am.phone = Set(i.phone.clone());
    am.id_number = Set(i.id_number.clone());
    am.email = Set(i.email.clone());
    am.region_id = Set(i.region_id);
    am.org_id = Set(i.org_id);
    am.title = Set(i.title.clone());
    am.note = Set(i.note.clone());
}
