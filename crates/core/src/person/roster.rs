//! The people roster in Excel: the columns, and the check of an uploaded sheet. A row with a
//! `编号` (the person's number in kexie, as exported) updates that person; a row without one
//! adds a person. Nothing is written unless every row is good.

use super::{PersonForm, PersonInput, is_masked, mask_id_number, mask_phone};
use crate::roster::{Regions, RowError, Sheet, field_row_error, row_error};
use crate::scope::Scope;
use std::collections::HashMap;

/// Column headers, in order. `所属组织` (the organisation's name) is for reading; the import
/// goes by `所属组织编码`.
pub const COLUMNS: [&str; 12] = [
    "编号",
    "姓名",
    "性别",
    "手机",
    "身份证号",
    "电子邮箱",
    "所属区域",
    "区域代码",
    "所属组织编码",
    "所属组织",
    "职务/职称",
    "备注",
];
const REQUIRED: [&str; 1] = ["姓名"];

/// A stored person as the roster may update it.
#[derive(Debug, Clone)]
pub struct ExistingPerson {
    pub region_path: String,
    pub org_path: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
}

/// An organisation as the roster may name it.
#[derive(Debug, Clone)]
pub struct OrgRef {
    pub id: i64,
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Lookup {
    pub regions: Regions,
    pub orgs_by_code: HashMap<String, OrgRef>,
    pub people: HashMap<i64, ExistingPerson>,
    /// ID numbers already stored, and whose they are.
    pub id_numbers: HashMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedPerson {
    pub row: usize,
    pub existing_id: Option<i64>,
    pub input: PersonInput,
}

fn column_of(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "gender" => "性别",
        "phone" => "手机",
        "id_number" => "身份证号",
        "email" => "电子邮箱",
        "region_id" => "所属区域",
        "org_id" => "所属组织编码",
        "title" => "职务/职称",
        _ => "备注",
    }
}

/// A masked value sent back unchanged stands for the stored one; any other masked value is
/// an error (a masked number cannot be imported).
fn unmask(value: String, stored: Option<&String>, mask: fn(&str) -> String) -> Result<String, String> {
    if !is_masked(&value) {
        return Ok(value);
    }
    match stored {
        Some(s) if mask(s) == value => Ok(s.clone()),
        _ => Err(value),
    }
}

pub fn check(rows: &[Vec<String>], lookup: &Lookup, scope: &Scope) -> Result<Vec<PlannedPerson>, Vec<RowError>> {
    let sheet = Sheet::open(rows, &REQUIRED)?;
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut ids_in_file: HashMap<i64, usize> = HashMap::new();
    let mut id_numbers_in_file: HashMap<String, usize> = HashMap::new();
    for (row, r) in sheet.rows() {
        let cell = |h: &str| sheet.cell(r, h);
        let number = cell("编号");
        let existing_id = match number.as_str() {
            "" => None,
            n => match n.parse::<i64>().ok().filter(|id| lookup.people.contains_key(id)) {
                Some(id) => {
                    if let Some(first) = ids_in_file.insert(id, row) {
                        errors.push(row_error(row, "编号", "duplicate_in_file", &format!("{n} (第{first}行)")));
                    }
                    Some(id)
                }
                None => {
                    errors.push(row_error(row, "编号", "unknown_person", n));
                    None
                }
            },
        };
        let existing = existing_id.and_then(|id| lookup.people.get(&id));
        if let Some(p) = existing {
            let covered = match scope {
                Scope::Org { path, .. } => p.org_path.as_deref().is_some_and(|o| o.starts_with(path.as_str())),
                other => other.covers_region(&p.region_path),
            };
            if !covered {
                errors.push(row_error(row, "编号", "out_of_scope", &number));
            }
        }
        let region_name = cell("所属区域");
        let region = lookup.regions.resolve(row, &region_name, &cell("区域代码"), &mut errors);
        if region.is_some_and(|r| !scope.covers_region(&r.path)) {
            errors.push(row_error(row, "所属区域", "out_of_scope", &region_name));
        }
        let org_code = cell("所属组织编码").to_ascii_uppercase();
        let org = match org_code.as_str() {
            "" => None,
            c => {
                let found = lookup.orgs_by_code.get(c);
                match found {
                    None => errors.push(row_error(row, "所属组织编码", "unknown_org", c)),
                    Some(o) if matches!(scope, Scope::Org { path, .. } if !o.path.starts_with(path.as_str())) => {
                        errors.push(row_error(row, "所属组织编码", "out_of_scope", c))
                    }
                    Some(_) => {}
                }
                found
            }
        };
        if org.is_none() && matches!(scope, Scope::Org { .. }) && org_code.is_empty() {
            errors.push(row_error(row, "所属组织编码", "required", ""));
        }
        let phone = unmask(cell("手机"), existing.and_then(|p| p.phone.as_ref()), mask_phone).unwrap_or_else(|v| {
            errors.push(row_error(row, "手机", "masked_value", &v));
            String::new()
        });
        let id_number = unmask(cell("身份证号"), existing.and_then(|p| p.id_number.as_ref()), mask_id_number)
            .unwrap_or_else(|v| {
                errors.push(row_error(row, "身份证号", "masked_value", &v));
                String::new()
            });
        let form = PersonForm {
            name: cell("姓名"),
            gender: cell("性别"),
            phone,
            id_number,
            email: cell("电子邮箱"),
            region_id: region.map(|r| r.id),
            org_id: org.map(|o| o.id),
            title: cell("职务/职称"),
            note: cell("备注"),
        };
        match form.check() {
            Ok(input) => {
                if let Some(n) = &input.id_number {
                    if let Some(first) = id_numbers_in_file.insert(n.clone(), row) {
                        errors.push(row_error(row, "身份证号", "duplicate_in_file", &format!("第{first}行")));
                    } else if lookup.id_numbers.get(n).is_some_and(|owner| Some(*owner) != existing_id) {
                        errors.push(row_error(row, "身份证号", "duplicate", ""));
                    }
                }
                planned.push(PlannedPerson { row, existing_id, input });
            }
            Err(invalid) => errors.extend(
                invalid
                    .0
                    .iter()
                    // The region's own problem was reported from its columns already.
                    .filter(|e| e.field != "region_id" || region.is_some())
                    .map(|e| field_row_error(row, column_of(e.field), e, "")),
            ),
        }
    }
    if errors.is_empty() { Ok(planned) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::id_check_char;
    use crate::roster::RegionRef;

    fn id_number(first17: &str) -> String {
        format!("{first17}{}", id_check_char(first17))
    }

    fn lookup() -> Lookup {
        let mut l = Lookup {
            regions: Regions::new([
                ("320612001".to_string(), "金沙街道".to_string(), RegionRef { id: 2, path: "/1/2/".into() }),
                ("320612003".to_string(), "西亭镇".to_string(), RegionRef { id: 3, path: "/1/3/".into() }),
            ]),
            ..Default::default()
        };
        l.orgs_by_code.insert("XH-0001".into(), OrgRef { id: 22, path: "/1/22/".into() });
        l.people.insert(
            7,
            ExistingPerson {
                region_path: "/1/2/".into(),
                org_path: None,
                phone: Some("13912345678".into()),
                id_number: Some(id_number("32061219850315123")),
            },
        );
        l.id_numbers.insert(id_number("32061219850315123"), 7);
        l
    }

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        let mut out = vec![COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        out.extend(rows.iter().map(|r| {
            let mut row = vec![String::new(); COLUMNS.len()];
            for (i, v) in r.iter().enumerate() {
                row[i] = v.to_string();
            }
            row
        }));
        out
    }

    #[test]
    fn new_and_updated_people_with_masked_numbers_kept() {
        let masked_id = mask_id_number(&id_number("32061219850315123"));
        let s = sheet(&[
            &["7", "张建国", "男", "139****5678", &masked_id, "", "金沙街道"],
            &["", "陆美华", "女", "13812345678", "", "lu@tzkx.cn", "", "320612003", "XH-0001", "", "农艺师"],
        ]);
        let plan = check(&s, &lookup(), &Scope::All).unwrap();
        assert_eq!(plan[0].existing_id, Some(7));
        assert_eq!(plan[0].input.phone.as_deref(), Some("13912345678"));
        assert_eq!(plan[0].input.id_number, Some(id_number("32061219850315123")));
        assert_eq!(plan[1].existing_id, None);
        assert_eq!(plan[1].input.org_id, Some(22));
        assert_eq!(plan[1].input.region_id, 3);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let s = sheet(&[
            &["", "", "", "", "", "", "金沙街道"],
            &["99", "王五", "", "", "", "", "金沙街道"],
            &["", "赵六", "未知", "12345", "", "", "火星镇"],
            &["", "钱七", "", "", &id_number("32061219850315123"), "", "金沙街道"],
            &["", "孙八", "", "138****0000", "", "", "金沙街道"],
            &["", "周九", "", "", "", "", "金沙街道", "", "QY-NONE"],
        ]);
        let errs = check(&s, &lookup(), &Scope::All).unwrap_err();
        let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        for want in [
            (2, "姓名", "required"),
            (3, "编号", "unknown_person"),
            (4, "性别", "unknown_gender"),
            (4, "手机", "bad_phone"),
            (4, "所属区域", "unknown_region"),
            (5, "身份证号", "duplicate"),
            (6, "手机", "masked_value"),
            (7, "所属组织编码", "unknown_org"),
        ] {
            assert!(got.contains(&want), "missing {want:?} in {got:?}");
        }
    }

    #[test]
    fn scope_limits_rows() {
        let xiting = Scope::Region { id: 3, path: "/1/3/".into() };
        let s = sheet(&[&["7", "张建国", "", "", "", "", "西亭镇"], &["", "李四", "", "", "", "", "金沙街道"]]);
        let errs = check(&s, &lookup(), &xiting).unwrap_err();
        let got: Vec<(usize, &str)> = errs.iter().map(|e| (e.row, e.code)).collect();
        assert_eq!(got, [(2, "out_of_scope"), (3, "out_of_scope")]);
    }
}
