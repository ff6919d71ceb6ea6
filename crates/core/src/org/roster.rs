//! The organisation roster as people keep it in Excel: the columns, and the check of an
//! uploaded sheet. Nothing is written unless every row is good, so the check resolves every
//! reference (region, parent, enterprise) before the store sees a row.

use super::{OrgForm, OrgInput, OrgKind, OrgStatus};
use crate::person::{is_masked, mask_phone};
pub use crate::roster::{RegionRef, RowError};
use crate::roster::{Regions, Sheet, field_row_error, row_error};
use crate::scope::Scope;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// Column headers, in order. Export writes them; import finds them by name in any order.
pub const COLUMNS: [&str; 17] = [
    "编码",
    "名称",
    "类型",
    "所属区域",
    "区域代码",
    "上级组织编码",
    "依托企业编码",
    "统一社会信用代码",
    "地址",
    "联系人",
    "联系电话",
    "成立日期",
    "专利信息平台注册日期",
    "科创中国注册日期",
    "绿平台注册日期",
    "状态",
    "备注",
];
const REQUIRED: [&str; 3] = ["编码", "名称", "类型"];

/// An organisation already stored, as the roster may reference or update it.
#[derive(Debug, Clone)]
pub struct ExistingOrg {
    pub id: i64,
    pub path: String,
    pub region_path: String,
    pub kind: OrgKind,
    pub contact_phone: Option<String>,
}

/// What the check needs to know of the stored world.
#[derive(Debug, Default)]
pub struct Lookup {
    pub regions: Regions,
    pub orgs_by_code: HashMap<String, ExistingOrg>,
}

/// A reference to another organisation: stored already, or a row of this same file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum OrgRef {
    Stored(i64),
    Row(usize),
}

/// One good row, ready to write. Rows come out parents first.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    /// The sheet row number (1 is the header).
    pub row: usize,
    pub input: OrgInput,
    pub status: OrgStatus,
    pub parent: Option<OrgRef>,
    pub enterprise: Option<OrgRef>,
    /// Set when the code is stored already: the row updates that organisation.
    pub existing_id: Option<i64>,
}

/// One exported row: the same columns the import reads back.
pub struct ExportRow<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: OrgKind,
    pub region_name: &'a str,
    pub region_code: &'a str,
    pub parent_code: Option<&'a str>,
    pub enterprise_code: Option<&'a str>,
    pub credit_code: Option<&'a str>,
    pub address: Option<&'a str>,
    pub contact_name: Option<&'a str>,
    pub contact_phone: Option<&'a str>,
    pub established_on: Option<NaiveDate>,
    pub patent_platform_on: Option<NaiveDate>,
    pub kczg_on: Option<NaiveDate>,
    pub green_platform_on: Option<NaiveDate>,
    pub status: OrgStatus,
    pub note: Option<&'a str>,
}

impl ExportRow<'_> {
    /// Cells in `COLUMNS` order; phones masked unless `personal` is allowed.
    pub fn cells(&self, personal: bool) -> Vec<String> {
        let s = |v: Option<&str>| v.unwrap_or_default().to_string();
        let d = |v: Option<NaiveDate>| v.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
        let phone = self.contact_phone.map(|p| if personal { p.to_string() } else { mask_phone(p) });
        vec![
            self.code.to_string(),
            self.name.to_string(),
            self.kind.label_zh().to_string(),
            self.region_name.to_string(),
            self.region_code.to_string(),
            s(self.parent_code),
            s(self.enterprise_code),
            s(self.credit_code),
            s(self.address),
            s(self.contact_name),
            phone.unwrap_or_default(),
            d(self.established_on),
            d(self.patent_platform_on),
            d(self.kczg_on),
            d(self.green_platform_on),
            self.status.label_zh().to_string(),
            s(self.note),
        ]
    }
}

/// Checks a whole sheet (`rows[0]` is the header row). Either every row is good and comes back
/// planned, parents first, or every problem comes back with its row and column.
pub fn check(rows: &[Vec<String>], lookup: &Lookup, scope: &Scope) -> Result<Vec<PlannedRow>, Vec<RowError>> {
    let sheet = Sheet::open(rows, &REQUIRED)?;
    let body = sheet.body;
    let cell = |r: &Vec<String>, h: &str| sheet.cell(r, h);

    let mut errors = Vec::new();
    let mut first_row_of_code: HashMap<String, usize> = HashMap::new();
    for (i, r) in body.iter().enumerate() {
        let code = cell(r, "编码").to_ascii_uppercase();
        if code.is_empty() {
            continue;
        }
        if let Some(first) = first_row_of_code.get(&code) {
            errors.push(row_error(i + 2, "编码", "duplicate_code_in_file", &format!("{code} (第{}行)", first)));
        } else {
            first_row_of_code.insert(code, i + 2);
        }
    }
    // Index into `body` of the row declaring a code.
    let row_of = |code: &str| first_row_of_code.get(code).map(|n| n - 2);

    let mut planned: Vec<Option<PlannedRow>> = Vec::with_capacity(body.len());
    for (i, r) in body.iter().enumerate() {
        let row = i + 2;
        if r.iter().all(|c| c.trim().is_empty()) {
            planned.push(None);
            continue;
        }
        let code = cell(r, "编码").to_ascii_uppercase();
        let existing = lookup.orgs_by_code.get(&code);

        let region_name = cell(r, "所属区域");
        let region = lookup.regions.resolve(row, &region_name, &cell(r, "区域代码"), &mut errors);
        if let Some(reg) = region
            && !scope.covers_region(&reg.path)
        {
            errors.push(row_error(row, "所属区域", "out_of_scope", &region_name));
        }
        if let Some(ex) = existing
            && !scope.covers(&ex.region_path, Some(&ex.path))
        {
            errors.push(row_error(row, "编码", "out_of_scope", &code));
        }

        let resolve = |column: &'static str, value: &str, errors: &mut Vec<RowError>| -> Option<OrgRef> {
            let v = value.to_ascii_uppercase();
            if v.is_empty() {
                return None;
            }
            if v == code {
                errors.push(row_error(row, column, "cyclic_parent", value));
                return None;
            }
            if let Some(j) = row_of(&v) {
                return Some(OrgRef::Row(j));
            }
            match lookup.orgs_by_code.get(&v) {
                Some(o) => Some(OrgRef::Stored(o.id)),
                None => {
                    errors.push(row_error(row, column, "unknown_org", value));
                    None
                }
            }
        };
        let parent = resolve("上级组织编码", &cell(r, "上级组织编码"), &mut errors);
        let enterprise = resolve("依托企业编码", &cell(r, "依托企业编码"), &mut errors);
        if let Scope::Org { path, .. } = scope {
            let parent_in_scope = match &parent {
                Some(OrgRef::Stored(id)) => {
                    lookup.orgs_by_code.values().any(|o| o.id == *id && o.path.starts_with(path.as_str()))
                }
                Some(OrgRef::Row(_)) => true,
                None => false,
            };
            if !parent_in_scope && existing.is_none() {
                errors.push(row_error(row, "上级组织编码", "out_of_scope", &cell(r, "上级组织编码")));
            }
        }

        let mut phone = cell(r, "联系电话");
        if is_masked(&phone) {
            match existing.and_then(|e| e.contact_phone.as_ref()) {
                Some(stored) if mask_phone(stored) == phone => phone = stored.clone(),
                _ => errors.push(row_error(row, "联系电话", "masked_value", &phone)),
            }
        }
        let status_text = cell(r, "状态");
        let status = if status_text.is_empty() {
            OrgStatus::Active
        } else {
            OrgStatus::parse(&status_text).unwrap_or_else(|| {
                errors.push(row_error(row, "状态", "unknown_status", &status_text));
                OrgStatus::Active
            })
        };

        let form = OrgForm {
            code: code.clone(),
            name: cell(r, "名称"),
            kind: cell(r, "类型"),
            // Placeholders: the references are resolved above and carried separately.
            region_id: region.map(|r| r.id),
            parent_id: parent.as_ref().map(|_| 0),
            enterprise_id: enterprise.as_ref().map(|_| 0),
            credit_code: cell(r, "统一社会信用代码"),
            address: cell(r, "地址"),
            contact_name: cell(r, "联系人"),
            contact_phone: phone,
            established_on: cell(r, "成立日期"),
            patent_platform_on: cell(r, "专利信息平台注册日期"),
            kczg_on: cell(r, "科创中国注册日期"),
            green_platform_on: cell(r, "绿平台注册日期"),
            note: cell(r, "备注"),
        };
        match form.check() {
            Ok(input) => {
                if let Some(ex) = existing
                    && ex.kind != input.kind
                    && !errors.iter().any(|e| e.row == row)
                {
                    errors.push(row_error(row, "类型", "kind_change_not_allowed", &cell(r, "类型")));
                }
                planned.push(Some(PlannedRow {
                    row,
                    input,
                    status,
                    parent,
                    enterprise,
                    existing_id: existing.map(|e| e.id),
                }));
            }
            Err(invalid) => {
                if region.is_none() {
                    // The region problem was reported with its own column already.
                    errors.extend(
                        invalid
                            .0
                            .iter()
                            .filter(|e| e.field != "region_id")
                            .map(|e| field_row_error(row, column_of(e.field), e, &field_value(&form, e.field))),
                    );
                } else {
                    errors.extend(
                        invalid
                            .0
                            .iter()
                            .map(|e| field_row_error(row, column_of(e.field), e, &field_value(&form, e.field))),
                    );
                }
                planned.push(None);
            }
        }
    }
    if let Some(cycle_row) = find_cycle(&planned) {
        errors.push(row_error(cycle_row, "上级组织编码", "cyclic_parent", ""));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(errors);
    }
    Ok(parents_first(planned.into_iter().flatten().collect()))
}

fn column_of(field: &str) -> &'static str {
    match field {
        "code" => "编码",
        "name" => "名称",
        "kind" => "类型",
        "region_id" => "所属区域",
        "parent_id" => "上级组织编码",
        "credit_code" => "统一社会信用代码",
        "address" => "地址",
        "contact_name" => "联系人",
        "contact_phone" => "联系电话",
        "established_on" => "成立日期",
        "patent_platform_on" => "专利信息平台注册日期",
        "kczg_on" => "科创中国注册日期",
        "green_platform_on" => "绿平台注册日期",
        "note" => "备注",
        _ => "",
    }
}

fn field_value(f: &OrgForm, field: &str) -> String {
    match field {
        "code" => f.code.clone(),
        "name" => f.name.clone(),
        "kind" => f.kind.clone(),
        "credit_code" => f.credit_code.clone(),
        "address" => f.address.clone(),
        "contact_name" => f.contact_name.clone(),
        "contact_phone" => f.contact_phone.clone(),
        "established_on" => f.established_on.clone(),
        "patent_platform_on" => f.patent_platform_on.clone(),
        "kczg_on" => f.kczg_on.clone(),
        "green_platform_on" => f.green_platform_on.clone(),
        "note" => f.note.chars().take(30).collect(),
        _ => String::new(),
    }
}

/// A chain of in-file parents that loops back on itself; returns a row on the loop.
fn find_cycle(planned: &[Option<PlannedRow>]) -> Option<usize> {
    for start in 0..planned.len() {
        let mut seen = 0;
        let mut at = start;
        while let Some(Some(p)) = planned.get(at) {
            match p.parent {
                Some(OrgRef::Row(next)) => {
                    at = next;
                    seen += 1;
                    if seen > planned.len() {
                        return planned[start].as_ref().map(|p| p.row);
                    }
                }
                _ => break,
            }
        }
    }
    None
}

/// Orders rows so that a row referencing another row of the file comes after it; references
/// are renumbered to the new order.
fn parents_first(rows: Vec<PlannedRow>) -> Vec<PlannedRow> {
    let by_sheet_index: HashMap<usize, usize> = rows.iter().enumerate().map(|(i, r)| (r.row - 2, i)).collect();
    let deps = |r: &PlannedRow| -> Vec<usize> {
        [&r.parent, &r.enterprise]
            .into_iter()
            .filter_map(|x| match x {
                Some(OrgRef::Row(j)) => by_sheet_index.get(j).copied(),
                _ => None,
            })
            .collect()
    };
    let mut order = Vec::with_capacity(rows.len());
    let mut placed = vec![false; rows.len()];
    fn place(
        i: usize,
        rows: &[PlannedRow],
        deps: &dyn Fn(&PlannedRow) -> Vec<usize>,
        placed: &mut [bool],
        order: &mut Vec<usize>,
    ) {
        if placed[i] {
            return;
        }
        placed[i] = true;
        for d in deps(&rows[i]) {
            place(d, rows, deps, placed, order);
        }
        order.push(i);
    }
    for i in 0..rows.len() {
        place(i, &rows, &deps, &mut placed, &mut order);
    }
    let new_pos: HashMap<usize, usize> = order.iter().enumerate().map(|(new, old)| (rows[*old].row - 2, new)).collect();
    let renumber = |r: Option<OrgRef>| match r {
        Some(OrgRef::Row(j)) => Some(OrgRef::Row(new_pos[&j])),
        other => other,
    };
    let mut slots: Vec<Option<PlannedRow>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|i| {
            let mut r = slots[i].take().expect("each row placed once");
            r.parent = renumber(r.parent.take());
            r.enterprise = renumber(r.enterprise.take());
            r
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup() -> Lookup {
        let mut l = Lookup {
            regions: Regions::new([
                ("320612001".to_string(), "金沙街道".to_string(), RegionRef { id: 2, path: "/1/2/".into() }),
                ("320612003".to_string(), "西亭镇".to_string(), RegionRef { id: 3, path: "/1/3/".into() }),
                ("320612001001".to_string(), "新华村".to_string(), RegionRef { id: 5, path: "/1/2/5/".into() }),
                ("320612003001".to_string(), "新华村".to_string(), RegionRef { id: 6, path: "/1/3/6/".into() }),
            ]),
            ..Default::default()
        };
        l.orgs_by_code.insert(
            "KX-0001".into(),
            ExistingOrg {
                id: 1,
                path: "/1/".into(),
                region_path: "/1/".into(),
                kind: OrgKind::DistrictAssociation,
                contact_phone: None,
            },
        );
        l.orgs_by_code.insert(
            "QY-0001".into(),
            ExistingOrg {
                id: 5,
                path: "/5/".into(),
                region_path: "/1/2/".into(),
                kind: OrgKind::Enterprise,
                contact_phone: Some("13812345678".into()),
            },
        );
        l
    }

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        let mut out = vec![COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        for r in rows {
            let mut row = vec![String::new(); COLUMNS.len()];
            for (i, v) in r.iter().enumerate() {
                row[i] = v.to_string();
            }
            out.push(row);
        }
        out
    }

    #[test]
    fn good_rows_come_out_parents_first() {
        let s = sheet(&[
            &[
                "QYKX-0001",
                "南通新源纺织科技有限公司科协",
                "企业科协",
                "金沙街道",
                "",
                "KX-0001",
                "QY-0002",
                "",
                "",
                "",
                "",
                "",
                "2023-05-01",
            ],
            &["QY-0002", "南通新源纺织科技有限公司", "企业", "", "320612001"],
        ]);
        let plan = check(&s, &lookup(), &Scope::All).unwrap();
        assert_eq!(plan.len(), 2);
        assert_eq!(plan[0].input.code, "QY-0002");
        assert_eq!(plan[1].enterprise, Some(OrgRef::Row(0)));
        assert_eq!(plan[1].parent, Some(OrgRef::Stored(1)));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_column() {
        let s = sheet(&[
            &["QY-0009", "", "企业", "金沙街道"],
            &["QY-0010", "南通某公司", "企业", "火星镇"],
            &["QY-0010", "南通某某公司", "企业", "金沙街道"],
            &["QY-0011", "南通某某某公司", "企业", "金沙街道", "", "", "", "", "", "", "", "2023-02-30"],
            &["QY-0012", "南通某公司", "企业", "新华村"],
            &["QY-0013", "南通某公司", "公司", "金沙街道"],
        ]);
        let errs = check(&s, &lookup(), &Scope::All).unwrap_err();
        let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        assert!(got.contains(&(2, "名称", "required")));
        assert!(got.contains(&(3, "所属区域", "unknown_region")));
        assert!(got.contains(&(4, "编码", "duplicate_code_in_file")));
        assert!(got.contains(&(5, "成立日期", "bad_date")));
        assert!(got.contains(&(6, "所属区域", "ambiguous_region")));
        assert!(got.contains(&(7, "类型", "unknown_kind")));
    }

    #[test]
    fn cycles_in_the_file_are_caught() {
        let s = sheet(&[
            &["JC-0001", "甲镇科协", "基层科协", "金沙街道", "", "JC-0002"],
            &["JC-0002", "乙镇科协", "基层科协", "金沙街道", "", "JC-0001"],
        ]);
        let errs = check(&s, &lookup(), &Scope::All).unwrap_err();
        assert_eq!(errs[0].code, "cyclic_parent");
    }

    #[test]
    fn scope_and_masked_phones() {
        let xiting_only = Scope::Region { id: 3, path: "/1/3/".into() };
        let s = sheet(&[&["QY-0001", "南通某公司", "企业", "金沙街道", "", "", "", "", "", "", "138****5678"]]);
        let errs = check(&s, &lookup(), &xiting_only).unwrap_err();
        assert!(errs.iter().all(|e| e.code == "out_of_scope"));
        // The masked phone of the stored row round-trips to the stored value.
        let plan = check(&s, &lookup(), &Scope::All).unwrap();
        assert_eq!(plan[0].input.contact_phone.as_deref(), Some("13812345678"));
        assert_eq!(plan[0].existing_id, Some(5));
        let wrong = sheet(&[&["QY-0001", "南通某公司", "企业", "金沙街道", "", "", "", "", "", "", "139****0000"]]);
        assert_eq!(check(&wrong, &lookup(), &Scope::All).unwrap_err()[0].code, "masked_value");
    }

    #[test]
    fn header_problems() {
        let errs = check(&[vec!["名称".to_string()]], &lookup(), &Scope::All).unwrap_err();
        assert_eq!(errs.len(), 2);
        assert!(errs.iter().all(|e| e.code == "missing_column"));
        assert_eq!(check(&[], &lookup(), &Scope::All).unwrap_err()[0].code, "empty_sheet");
    }

    #[test]
    fn export_cells_round_trip_through_check() {
        let row = ExportRow {
            code: "QY-0001",
            name: "南通某公司",
            kind: OrgKind::Enterprise,
            region_name: "金沙街道",
            region_code: "320612001",
            parent_code: None,
            enterprise_code: None,
            credit_code: None,
            address: Some("南通市通州区金沙街道人民中路88号"),
            contact_name: Some("顾建华"),
            contact_phone: Some("13812345678"),
            established_on: NaiveDate::from_ymd_opt(2001, 6, 18),
            patent_platform_on: None,
            kczg_on: None,
            green_platform_on: None,
            status: OrgStatus::Active,
            note: None,
        };
        let masked = vec![COLUMNS.iter().map(|s| s.to_string()).collect(), row.cells(false)];
        let plan = check(&masked, &lookup(), &Scope::All).unwrap();
        assert_eq!(plan[0].input.contact_phone.as_deref(), Some("13812345678"));
        assert_eq!(plan[0].input.established_on, NaiveDate::from_ymd_opt(2001, 6, 18));
    }
}
