//! The volunteer roster in Excel: a town or the association registers many volunteers at
//! once. Every bad row is reported with its row, column and reason; nothing is written unless
//! all rows are good. A person already on file (same ID number) is linked, not duplicated.

use super::{Joiner, availability_of, skills_of};
use crate::Invalid;
use crate::person::{Gender, valid_id_number, valid_phone};
use crate::roster::{Regions, RowError, Sheet, row_error, text_cell};
use crate::scope::Scope;
use std::collections::HashMap;

pub const COLUMNS: [&str; 9] =
    ["姓名", "性别", "手机", "身份证号", "所属区域", "区域代码", "服务队编码", "技能", "可服务时间"];
const REQUIRED: [&str; 4] = ["姓名", "手机", "身份证号", "所属区域"];

#[derive(Debug, Clone)]
pub struct TeamRef {
    pub id: i64,
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Lookup {
    pub regions: Regions,
    pub teams_by_code: HashMap<String, TeamRef>,
    /// People on file by ID number.
    pub people_by_id_number: HashMap<String, i64>,
    /// People who are volunteers already, by ID number and by phone.
    pub volunteer_id_numbers: HashMap<String, i64>,
    pub volunteer_phones: HashMap<String, i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedVolunteer {
    pub row: usize,
    /// The person already on file with this ID number, if any.
    pub person_id: Option<i64>,
    pub v: Joiner,
}

fn split(v: &str) -> Vec<String> {
    v.split(['、', ',', '，', ';', '；', ' ']).filter(|s| !s.trim().is_empty()).map(|s| s.trim().to_string()).collect()
}

fn cell_errors(row: usize, column: &str, value: &str, e: Invalid, errors: &mut Vec<RowError>) {
    for f in e.0 {
        errors.push(row_error(row, column, f.code, value));
    }
}

pub fn check(rows: &[Vec<String>], lookup: &Lookup, scope: &Scope) -> Result<Vec<PlannedVolunteer>, Vec<RowError>> {
    let sheet = Sheet::open(rows, &REQUIRED)?;
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut ids_in_file: HashMap<String, usize> = HashMap::new();
    let mut phones_in_file: HashMap<String, usize> = HashMap::new();
    for (row, r) in sheet.rows() {
        let cell = |h: &str| sheet.cell(r, h);
        let name = cell("姓名");
        text_cell(&mut errors, row, "姓名", &name, 20);
        let gender_text = cell("性别");
        let gender = Gender::parse(&gender_text);
        if gender.is_none() && !gender_text.is_empty() {
            errors.push(row_error(row, "性别", "unknown_gender", &gender_text));
        }
        let phone: String = cell("手机").chars().filter(|c| !c.is_whitespace()).collect();
        if phone.is_empty() {
            errors.push(row_error(row, "手机", "required", ""));
        } else if !(phone.len() == 11 && valid_phone(&phone)) {
            errors.push(row_error(row, "手机", "bad_phone", &phone));
        } else if lookup.volunteer_phones.contains_key(&phone) {
            errors.push(row_error(row, "手机", "already_volunteer", &phone));
        } else if let Some(first) = phones_in_file.insert(phone.clone(), row) {
            errors.push(row_error(row, "手机", "duplicate_in_file", &format!("{phone} (第{first}行)")));
        }
        let id_number = cell("身份证号").to_ascii_uppercase();
        if id_number.is_empty() {
            errors.push(row_error(row, "身份证号", "required", ""));
        } else if !valid_id_number(&id_number) {
            errors.push(row_error(row, "身份证号", "bad_id_number", &id_number));
        } else if lookup.volunteer_id_numbers.contains_key(&id_number) {
            errors.push(row_error(row, "身份证号", "already_volunteer", &id_number));
        } else if let Some(first) = ids_in_file.insert(id_number.clone(), row) {
            errors.push(row_error(row, "身份证号", "duplicate_in_file", &format!("{id_number} (第{first}行)")));
        }
        let region_name = cell("所属区域");
        let region = lookup.regions.resolve(row, &region_name, &cell("区域代码"), &mut errors);
        if region.is_some_and(|r| !scope.covers_region(&r.path)) {
            errors.push(row_error(row, "所属区域", "out_of_scope", &region_name));
        }
        let team_code = cell("服务队编码").to_ascii_uppercase();
        let team = match team_code.as_str() {
            "" => None,
            c => match lookup.teams_by_code.get(c) {
                None => {
                    errors.push(row_error(row, "服务队编码", "unknown_team", c));
                    None
                }
                Some(t) => Some(t.id),
            },
        };
        let (skills_text, avail_text) = (cell("技能"), cell("可服务时间"));
        let mut e = Invalid::default();
        let skills = skills_of(&mut e, &split(&skills_text));
        cell_errors(row, "技能", &skills_text, e, &mut errors);
        let mut e = Invalid::default();
        let availability = availability_of(&mut e, &split(&avail_text));
        cell_errors(row, "可服务时间", &avail_text, e, &mut errors);
        planned.push(PlannedVolunteer {
            row,
            person_id: lookup.people_by_id_number.get(&id_number).copied(),
            v: Joiner {
                name,
                gender,
                phone,
                id_number,
                region_id: region.map(|r| r.id).unwrap_or_default(),
                team_id: team,
                skills,
                availability,
            },
        });
    }
    if errors.is_empty() { Ok(planned) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::id_check_char;
    use crate::roster::RegionRef;

    fn id(first17: &str) -> String {
        format!("{first17}{}", id_check_char(first17))
    }

    fn lookup() -> Lookup {
        let jinsha = RegionRef { id: 2, path: "1/2".into() };
        let mut l = Lookup {
            regions: Regions::new([("320612001".to_string(), "金沙街道".to_string(), jinsha)]),
            ..Default::default()
        };
        l.teams_by_code.insert("ZYD0001".into(), TeamRef { id: 40, path: "1/40".into() });
        l.volunteer_phones.insert("13800001111".into(), 9);
        l.people_by_id_number.insert(id("32061219850101001"), 77);
        l
    }

    fn sheet(rows: &[[&str; 9]]) -> Vec<Vec<String>> {
        let mut v = vec![COLUMNS.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
        v.extend(rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()));
        v
    }

    #[test]
    fn good_rows_plan_people_and_teams() {
        let a = id("32061219850101001");
        let b = id("32061219920202002");
        let rows = sheet(&[
            ["张建国", "男", "13962810001", &a, "金沙街道", "", "zyd0001", "科普讲解、应急救护", "周末白天"],
            ["李秀英", "女", "13962810002", &b, "金沙街道", "", "", "", "工作日晚上"],
        ]);
        let p = check(&rows, &lookup(), &Scope::All).unwrap();
        assert_eq!(p[0].person_id, Some(77));
        assert_eq!(p[0].v.team_id, Some(40));
        assert_eq!(p[0].v.skills, "科普讲解,应急救护");
        assert_eq!(p[1].v.availability, "weekday_evening");
    }

    #[test]
    fn every_bad_cell_is_named() {
        let a = id("32061219850101001");
        let rows = sheet(&[
            ["", "男", "13800001111", "320612198501010000", "金沙街道", "", "ZYD9999", "吹拉弹唱", "半夜"],
            ["王芳", "女", "13962810003", &a, "火星镇", "", "", "", ""],
            ["赵敏", "女", "13962810004", &a, "金沙街道", "", "", "", ""],
        ]);
        let e = check(&rows, &lookup(), &Scope::All).unwrap_err();
        let codes: Vec<(usize, &str, &str)> = e.iter().map(|x| (x.row, x.column.as_str(), x.code)).collect();
        for want in [
            (2, "姓名", "required"),
            (2, "手机", "already_volunteer"),
            (2, "身份证号", "bad_id_number"),
            (2, "服务队编码", "unknown_team"),
            (2, "技能", "unknown_choice"),
            (2, "可服务时间", "unknown_choice"),
            (3, "所属区域", "unknown_region"),
            (4, "身份证号", "duplicate_in_file"),
        ] {
            assert!(codes.contains(&want), "{want:?} in {codes:?}");
        }
    }
}
