//! 专利: patent lists imported from CSV, linked to experts by inventor and to enterprises by
//! applicant.

use crate::entity::{expert, patent};
use crate::{Result, Store, StoreError, audit, now};
use kexie_core::account::{Action, Actor, Area};
use kexie_core::matchmaking::patent::{self as rules, PatentRow};
use kexie_core::matchmaking::rank::same_organisation;
use kexie_core::page::{Page, PageRequest};
use kexie_core::roster::ImportSummary;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Serialize)]
pub struct PatentView {
    #[serde(flatten)]
    pub patent: patent::Model,
    pub expert_name: Option<String>,
    pub org_name: Option<String>,
}

/// What a patent import did, and how many patents found their expert and enterprise.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct PatentImport {
    #[serde(flatten)]
    pub summary: ImportSummary,
    pub linked_experts: usize,
    pub linked_orgs: usize,
}

/// The expert among `experts` who invented a patent: an inventor of the same name whose
/// institution is the applicant (or the applicant's part), so namesakes are not confused.
fn inventor_of(row: &PatentRow, experts: &[(i64, String, String)]) -> Option<i64> {
    let mut found = experts.iter().filter(|(_, name, institution)| {
        row.inventors.contains(name) && same_organisation(&row.applicant, institution)
    });
    let first = found.next()?;
    // Two experts of one name at one institution: leave the link to a person.
    found.next().is_none().then_some(first.0)
}

impl Store {
    /// Reads a patent sheet (CSV or Excel rows); every row checked first, then all written or
    /// nothing. A number already stored updates that patent.
    pub async fn import_patents(&self, actor: &Actor, rows: &[Vec<String>]) -> Result<PatentImport> {
        if !Self::manages_experts(actor) {
            return Err(StoreError::NotFound);
        }
        let read = rules::read(rows).map_err(StoreError::Roster)?;
        let experts: Vec<(i64, String, String)> = expert::Entity::find()
            .select_only()
            .columns([expert::Column::Id, expert::Column::Name, expert::Column::Institution])
            .into_tuple()
            .all(&self.db)
            .await?;
        self.regions().await?;
        let orgs: HashMap<String, i64> = {
            let mut m = HashMap::new();
            self.catalog.orgs().scan(&Default::default(), |e| {
                m.insert(e.name.clone(), e.id);
            });
            m
        };
        let numbers: Vec<String> = read.iter().map(|r| r.number.clone()).collect();
        let mut stored: HashMap<String, patent::Model> = HashMap::new();
        for chunk in numbers.chunks(500) {
            for p in patent::Entity::find().filter(patent::Column::Number.is_in(chunk.to_vec())).all(&self.db).await? {
                stored.insert(p.number.clone(), p);
            }
        }
        let mut out = PatentImport::default();
        let (txn, mut chain) = audit::begin(&self.db).await?;
        for row in &read {
            let expert_id = inventor_of(row, &experts);
            let org_id = orgs.get(&row.applicant).copied();
            out.linked_experts += usize::from(expert_id.is_some());
            out.linked_orgs += usize::from(org_id.is_some());
            let mut am = patent::ActiveModel {
                number: Set(row.number.clone()),
                title: Set(row.title.clone()),
                kind: Set(row.kind.code().to_string()),
                applicant: Set(row.applicant.chars().take(100).collect()),
                inventors: Set(row.inventors.join("；").chars().take(500).collect()),
                granted_on: Set(row.granted_on),
                expert_id: Set(expert_id),
                org_id: Set(org_id),
                ..Default::default()
            };
            match stored.get(&row.number) {
                None => {
                    am.created_at = Set(now());
                    let saved = am.insert(&txn).await?;
                    chain.record(&txn, actor, "import", "patent", Some(saved.id), None::<&()>, Some(&saved)).await?;
                    out.summary.created += 1;
                }
                Some(before) => {
                    am.id = Set(before.id);
                    am.created_at = Set(before.created_at);
                    let after = am.update(&txn).await?;
                    if &after == before {
                        out.summary.unchanged += 1;
                        continue;
                    }
                    chain.record(&txn, actor, "import", "patent", Some(before.id), Some(before), Some(&after)).await?;
                    out.summary.updated += 1;
                }
            }
        }
        self.commit(txn, chain).await?;
        Ok(out)
    }

    pub async fn list_patents(&self, actor: &Actor, q: &str, page: PageRequest) -> Result<Page<PatentView>> {
        if !actor.can(Area::Expert, Action::View) {
            return Err(StoreError::NotFound);
        }
        let mut query = patent::Entity::find();
        for term in q.split_whitespace().take(5) {
            query = query.filter(
                sea_orm::sea_query::Condition::any()
                    .add(patent::Column::Title.contains(term))
                    .add(patent::Column::Applicant.contains(term))
                    .add(patent::Column::Inventors.contains(term))
                    .add(patent::Column::Number.contains(term.to_ascii_uppercase())),
            );
        }
        let total = query.clone().count(&self.db).await?;
        let rows = query
            .order_by_desc(patent::Column::GrantedOn)
            .order_by_desc(patent::Column::Id)
            .offset(page.offset())
            .limit(page.per_page)
            .all(&self.db)
            .await?;
        let ids: Vec<i64> = rows.iter().filter_map(|p| p.expert_id).collect();
        let names: HashMap<i64, String> = expert::Entity::find()
            .filter(expert::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        self.regions().await?;
        let orgs = self.catalog.orgs();
        let items = rows
            .into_iter()
            .map(|p| PatentView {
                expert_name: p.expert_id.and_then(|e| names.get(&e).cloned()),
                org_name: p.org_id.and_then(|o| orgs.get(o).map(|o| o.name.clone())),
                patent: p,
            })
            .collect();
        Ok(Page { items, total, page: page.page, per_page: page.per_page })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kexie_core::matchmaking::patent::PatentKind;

    #[test]
    fn inventors_are_linked_only_at_their_own_institution() {
        let row = PatentRow {
            row: 2,
            number: "ZL202310123456.7".into(),
            title: "一种涤棉织物低温染色方法".into(),
            kind: PatentKind::Invention,
            applicant: "南通大学".into(),
            inventors: vec!["张伟".into(), "李娜".into()],
            granted_on: None,
        };
        let experts = vec![
            (1, "张伟".to_string(), "江南大学纺织科学与工程学院".to_string()),
            (2, "张伟".to_string(), "南通大学纺织服装学院".to_string()),
            (3, "王强".to_string(), "南通大学".to_string()),
        ];
        assert_eq!(inventor_of(&row, &experts), Some(2));
        let twins =
            vec![(2, "张伟".to_string(), "南通大学".to_string()), (4, "张伟".to_string(), "南通大学".to_string())];
        assert_eq!(inventor_of(&row, &twins), None);
    }
}
