//! The organisation roster: export to rows, and import of a checked sheet in one transaction.

use super::{OrgFilter, insert_org, move_subtree, set_fields};
use crate::entity::org;
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::org::roster::{self, ExistingOrg, ExportRow, Lookup, OrgRef};
use kexie_core::org::{OrgKind, OrgStatus};
use kexie_core::region::child_path;
use kexie_core::roster::{ImportSummary, RegionRef, Regions};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use std::collections::{HashMap, HashSet};

impl Store {
    /// Rows for an Excel export, in `roster::COLUMNS` order, masked for the actor's role.
    pub async fn export_orgs(&self, actor: &Actor, f: &OrgFilter) -> Result<Vec<Vec<String>>> {
        if !actor.can(Area::Org, Action::Export) {
            return Err(StoreError::NotFound);
        }
        let tree = self.regions().await?;
        let views = self.all_orgs(actor, f).await?;
        let idx = self.catalog.orgs();
        let code = |id: Option<i64>| id.and_then(|i| idx.get(i)).map(|e| e.code.clone());
        Ok(views
            .iter()
            .map(|v| {
                let m = &v.org;
                let region = tree.get(m.region_id);
                let parent_code = code(m.parent_id);
                let enterprise_code = code(m.enterprise_id);
                ExportRow {
                    code: &m.code,
                    name: &m.name,
                    kind: OrgKind::parse(&m.kind).unwrap_or(OrgKind::Enterprise),
                    region_name: region.map(|r| r.name.as_str()).unwrap_or(""),
                    region_code: region.map(|r| r.code.as_str()).unwrap_or(""),
                    parent_code: parent_code.as_deref(),
                    enterprise_code: enterprise_code.as_deref(),
                    credit_code: m.credit_code.as_deref(),
                    address: m.address.as_deref(),
                    contact_name: m.contact_name.as_deref(),
                    contact_phone: m.contact_phone.as_deref(),
                    established_on: m.established_on,
                    patent_platform_on: m.patent_platform_on,
                    kczg_on: m.kczg_on,
                    green_platform_on: m.green_platform_on,
                    status: OrgStatus::parse(&m.status).unwrap_or(OrgStatus::Active),
                    note: m.note.as_deref(),
                }
                // The view's phone is already masked when it must be; keep it as it is.
                .cells(true)
            })
            .collect())
    }

    /// Checks the whole sheet, then writes every row or none.
    pub async fn import_orgs(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<ImportSummary> {
        if !actor.can(Area::Org, Action::Import) {
            return Err(StoreError::NotFound);
        }
        let lookup = self.roster_lookup(rows).await?;
        let plan = roster::check(rows, &lookup, &actor.scope).map_err(StoreError::Roster)?;
        let (txn, mut chain) = audit::begin(&self.db).await?;
        let mut summary = ImportSummary::default();
        // (id, path) of each planned row once written, by its position in the plan.
        let mut written: Vec<(i64, String)> = Vec::with_capacity(plan.len());
        let mut paths: HashMap<i64, String> = lookup.orgs_by_code.values().map(|o| (o.id, o.path.clone())).collect();
        for p in &plan {
            let resolve = |r: &Option<OrgRef>| -> Option<(i64, String)> {
                match r {
                    Some(OrgRef::Stored(id)) => Some((*id, paths.get(id).cloned().unwrap_or_default())),
                    Some(OrgRef::Row(j)) => Some(written[*j].clone()),
                    None => None,
                }
            };
            let parent = resolve(&p.parent);
            let mut input = p.input.clone();
            input.parent_id = parent.as_ref().map(|x| x.0);
            input.enterprise_id = resolve(&p.enterprise).map(|x| x.0);
            let rev = chain.next_seq();
            match p.existing_id {
                None => {
                    let saved = insert_org(&txn, &input, p.status, parent.as_ref().map(|x| x.1.as_str()), rev).await?;
                    chain.record(&txn, actor, "import", "org", Some(saved.id), None::<&()>, Some(&saved)).await?;
                    paths.insert(saved.id, saved.path.clone());
                    written.push((saved.id, saved.path));
                    summary.created += 1;
                }
                Some(id) => {
                    let before = org::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
                    let path = child_path(parent.as_ref().map(|x| x.1.as_str()), id);
                    let mut am: org::ActiveModel = before.clone().into();
                    set_fields(&mut am, &input);
                    am.status.set_if_not_equals(p.status.code().to_string());
                    am.path.set_if_not_equals(path.clone());
                    if !am.is_changed() {
                        summary.unchanged += 1;
                        written.push((id, before.path));
                        continue;
                    }
                    am.rev = Set(rev);
                    am.updated_at = Set(now());
                    let after = am.update(&txn).await?;
                    if path != before.path {
                        move_subtree(&txn, &before.path, &path, rev).await?;
                    }
                    chain.record(&txn, actor, "import", "org", Some(id), Some(&before), Some(&after)).await?;
                    paths.insert(id, path.clone());
                    written.push((id, path));
                    summary.updated += 1;
                }
            }
        }
        self.commit(txn, chain).await?;
        Ok(summary)
    }

    /// What the roster check needs: regions by code and name, and the stored organisations
    /// the sheet mentions.
    async fn roster_lookup(&self, rows: &[Vec<String>]) -> Result<Lookup> {
        let tree = self.regions().await?;
        let mut l = Lookup { regions: region_refs(&tree), ..Default::default() };
        let header = rows.first().cloned().unwrap_or_default();
        let cols: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| matches!(h.trim(), "编码" | "上级组织编码" | "依托企业编码"))
            .map(|(i, _)| i)
            .collect();
        let codes: HashSet<String> = rows
            .iter()
            .skip(1)
            .flat_map(|r| cols.iter().filter_map(|i| r.get(*i)))
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty() && c.len() <= 32)
            .collect();
        let codes: Vec<String> = codes.into_iter().collect();
        for chunk in codes.chunks(500) {
            let found =
                org::Entity::find().filter(org::Column::Code.is_in(chunk.iter().cloned())).all(&self.db).await?;
            for m in found {
                let region_path = tree.get(m.region_id).map(|r| r.path.clone()).unwrap_or_default();
                l.orgs_by_code.insert(
                    m.code.clone(),
                    ExistingOrg {
                        id: m.id,
                        path: m.path,
                        region_path,
                        kind: OrgKind::parse(&m.kind).unwrap_or(OrgKind::Enterprise),
                        contact_phone: m.contact_phone,
                    },
                );
            }
        }
        Ok(l)
    }
}

/// Every region as rosters may name it, by code and by unique name.
pub(crate) fn region_refs(tree: &kexie_core::region::RegionTree) -> Regions {
    Regions::new(tree.all().map(|r| (r.code.clone(), r.name.clone(), RegionRef { id: r.id, path: r.path.clone() })))
}
