//! People: scoped lists (name prefix, phone, org), reads and audited writes.

use crate::entity::person;
use crate::org::region_set;
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::Invalid;
use kexie_core::account::{Action, Actor, Area};
use kexie_core::page::{Page, PageRequest};
use kexie_core::person::{Gender, PersonForm, PersonInput, is_masked, mask_id_number, mask_phone, roster};
use kexie_core::roster::ImportSummary;
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
    pub(crate) fn scoped_people(
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
        let mut refs = self.refs(actor).await?;
        refs.region("region_id", input.region_id);
        match input.org_id {
            Some(o) => {
                refs.org("org_id", o, &[]);
            }
            None if matches!(actor.scope, Scope::Org { .. }) => refs.push("org_id", "required"),
            None => {}
        }
        refs.finish()
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

/// Sets only what differs, so an import can tell unchanged rows apart.
fn set_fields(am: &mut person::ActiveModel, i: &PersonInput) {
    am.name.set_if_not_equals(i.name.clone());
    am.gender.set_if_not_equals(i.gender.map(|g| g.code().to_string()));
    am.phone.set_if_not_equals(i.phone.clone());
    am.id_number.set_if_not_equals(i.id_number.clone());
    am.email.set_if_not_equals(i.email.clone());
    am.region_id.set_if_not_equals(i.region_id);
    am.org_id.set_if_not_equals(i.org_id);
    am.title.set_if_not_equals(i.title.clone());
    am.note.set_if_not_equals(i.note.clone());
}

impl Store {
    /// The people roster (`person::roster::COLUMNS`), masked for the actor's role, for an
    /// export that imports back unchanged.
    pub async fn export_people_roster(&self, actor: &Actor, f: &PersonFilter, max: u64) -> Result<Vec<Vec<String>>> {
        let tree = self.regions().await?;
        let rows = self.export_people(actor, f, max).await?;
        let idx = self.catalog.orgs();
        let s = |x: &Option<String>| x.clone().unwrap_or_default();
        Ok(rows
            .iter()
            .map(|v| {
                let p = &v.person;
                let region = tree.get(p.region_id);
                let org = p.org_id.and_then(|o| idx.get(o));
                vec![
                    p.id.to_string(),
                    p.name.clone(),
                    p.gender.as_deref().and_then(Gender::parse).map(|g| g.label_zh().to_string()).unwrap_or_default(),
                    s(&p.phone),
                    s(&p.id_number),
                    s(&p.email),
                    region.map(|r| r.name.clone()).unwrap_or_default(),
                    region.map(|r| r.code.clone()).unwrap_or_default(),
                    org.map(|o| o.code.clone()).unwrap_or_default(),
                    org.map(|o| o.name.clone()).unwrap_or_default(),
                    s(&p.title),
                    s(&p.note),
                ]
            })
            .collect())
    }

    /// Checks the whole sheet, then writes every row or none.
    pub async fn import_people(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<ImportSummary> {
        if !actor.can(Area::Person, Action::Import) {
            return Err(StoreError::NotFound);
        }
        let lookup = self.people_lookup(rows).await?;
        let plan = roster::check(rows, &lookup, &actor.scope).map_err(StoreError::Roster)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut summary = ImportSummary::default();
        let t = now();
        for p in &plan {
            match p.existing_id {
                None => {
                    let mut am = person::ActiveModel { created_at: Set(t), updated_at: Set(t), ..Default::default() };
                    set_fields(&mut am, &p.input);
                    let saved = am.insert(&txn).await?;
                    chain.record(&txn, actor, "import", "person", Some(saved.id), None::<&()>, Some(&saved)).await?;
                    summary.created += 1;
                }
                Some(id) => {
                    let before = person::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
                    let mut am: person::ActiveModel = before.clone().into();
                    set_fields(&mut am, &p.input);
                    if !am.is_changed() {
                        summary.unchanged += 1;
                        continue;
                    }
                    am.updated_at = Set(t);
                    let after = am.update(&txn).await?;
                    chain.record(&txn, actor, "import", "person", Some(id), Some(&before), Some(&after)).await?;
                    summary.updated += 1;
                }
            }
        }
        self.commit(txn, chain).await?;
        Ok(summary)
    }

    /// What the people roster check needs: regions, the organisations and people the sheet
    /// names, and who holds the ID numbers it carries.
    async fn people_lookup(&self, rows: &[Vec<String>]) -> Result<roster::Lookup> {
        let tree = self.regions().await?;
        let mut l = roster::Lookup { regions: crate::org::roster::region_refs(&tree), ..Default::default() };
        let col = |name: &str| rows.first().and_then(|h| h.iter().position(|c| c.trim() == name));
        let values = |name: &str| -> Vec<String> {
            col(name)
                .map(|i| {
                    rows.iter()
                        .skip(1)
                        .filter_map(|r| r.get(i))
                        .map(|c| c.trim().to_string())
                        .filter(|c| !c.is_empty())
                        .collect()
                })
                .unwrap_or_default()
        };
        {
            let idx = self.catalog.orgs();
            for code in values("所属组织编码") {
                if let Some(e) = idx.by_code(&code.to_ascii_uppercase()) {
                    l.orgs_by_code.insert(e.code.clone(), roster::OrgRef { id: e.id, path: e.path.clone() });
                }
            }
        }
        let ids: Vec<i64> = values("编号").iter().filter_map(|v| v.parse().ok()).collect();
        for chunk in ids.chunks(500) {
            for p in person::Entity::find().filter(person::Column::Id.is_in(chunk.to_vec())).all(&self.db).await? {
                let org_path = p.org_id.and_then(|o| self.catalog.orgs().get(o).map(|e| e.path.clone()));
                let region_path = tree.get(p.region_id).map(|r| r.path.clone()).unwrap_or_default();
                l.people.insert(
                    p.id,
                    roster::ExistingPerson { region_path, org_path, phone: p.phone, id_number: p.id_number },
                );
            }
        }
        let numbers: Vec<String> =
            values("身份证号").into_iter().filter(|n| !is_masked(n)).map(|n| n.to_ascii_uppercase()).collect();
        for chunk in numbers.chunks(500) {
            let found: Vec<(i64, Option<String>)> = person::Entity::find()
                .select_only()
                .columns([person::Column::Id, person::Column::IdNumber])
                .filter(person::Column::IdNumber.is_in(chunk.to_vec()))
                .into_tuple()
                .all(&self.db)
                .await?;
            l.id_numbers.extend(found.into_iter().filter_map(|(id, n)| n.map(|n| (n, id))));
        }
        Ok(l)
    }
}
