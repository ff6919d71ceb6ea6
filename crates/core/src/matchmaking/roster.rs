//! Matchmaking sheets in Excel: the expert roster (import and export, the same columns), and
//! needs laid out for re-posting on the 科创中国 platform.

use super::expert::{ExpertForm, ExpertInput};
use crate::roster::{RowError, Sheet, field_row_error, row_error};
use std::collections::{HashMap, HashSet};

/// Expert roster columns, in order. A row with a `编号` (as exported) updates that expert.
pub const EXPERT_COLUMNS: [&str; 11] = [
    "编号",
    "姓名",
    "职称",
    "工作单位",
    "单位编码",
    "研究领域",
    "关键词",
    "个人简介",
    "主要成果",
    "同意入库",
    "对企业公开",
];
const EXPERT_REQUIRED: [&str; 3] = ["姓名", "工作单位", "研究领域"];

/// Needs in the column order of the 科创中国 需求发布 form.
pub const NEED_EXPORT_COLUMNS: [&str; 13] = [
    "项目名称",
    "需求类型",
    "行业领域",
    "需求背景",
    "需解决的主要技术难题",
    "期望实现的主要技术目标",
    "预算（万元）",
    "截止日期",
    "需求单位",
    "统一社会信用代码",
    "所在地区",
    "联系人",
    "联系电话",
];

#[derive(Debug, Clone, PartialEq)]
pub struct PlannedExpert {
    pub row: usize,
    pub existing_id: Option<i64>,
    pub input: ExpertInput,
    pub org_id: Option<i64>,
}

fn column_of(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "title" => "职称",
        "institution" => "工作单位",
        "fields" => "研究领域",
        "keywords" => "关键词",
        "bio" => "个人简介",
        _ => "主要成果",
    }
}

/// "是/否", "Y/N", "1/0"; empty means yes, the usual answer.
fn yes_no(row: usize, column: &str, v: &str, errors: &mut Vec<RowError>) -> bool {
    match v.trim() {
        "" | "是" | "Y" | "y" | "1" | "yes" | "同意" => true,
        "否" | "N" | "n" | "0" | "no" | "不同意" => false,
        other => {
            errors.push(row_error(row, column, "bad_yes_no", other));
            false
        }
    }
}

/// Checks an uploaded expert roster. `known` holds the ids the uploader may update,
/// `orgs_by_code` the organisations a row may name. Nothing is planned unless every row is good.
pub fn check_experts(
    rows: &[Vec<String>],
    known: &HashSet<i64>,
    orgs_by_code: &HashMap<String, i64>,
) -> Result<Vec<PlannedExpert>, Vec<RowError>> {
    let sheet = Sheet::open(rows, &EXPERT_REQUIRED)?;
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut ids_in_file: HashMap<i64, usize> = HashMap::new();
    for (row, r) in sheet.rows() {
        let cell = |h: &str| sheet.cell(r, h);
        let number = cell("编号");
        let existing_id = match number.as_str() {
            "" => None,
            n => match n.parse::<i64>().ok().filter(|id| known.contains(id)) {
                Some(id) => {
                    if let Some(first) = ids_in_file.insert(id, row) {
                        errors.push(row_error(row, "编号", "duplicate_in_file", &format!("{n} (第{first}行)")));
                    }
                    Some(id)
                }
                None => {
                    errors.push(row_error(row, "编号", "unknown_expert", n));
                    None
                }
            },
        };
        let code = cell("单位编码").to_ascii_uppercase();
        let org_id = match code.as_str() {
            "" => None,
            c => {
                let found = orgs_by_code.get(c).copied();
                if found.is_none() {
                    errors.push(row_error(row, "单位编码", "unknown_org", c));
                }
                found
            }
        };
        let consent = yes_no(row, "同意入库", &cell("同意入库"), &mut errors);
        let visible = yes_no(row, "对企业公开", &cell("对企业公开"), &mut errors);
        let form = ExpertForm {
            name: cell("姓名"),
            title: cell("职称"),
            institution: cell("工作单位"),
            fields: cell("研究领域"),
            keywords: cell("关键词"),
            bio: cell("个人简介"),
            achievements: cell("主要成果"),
            consent,
            visible,
        };
        match form.check() {
            Ok(input) => planned.push(PlannedExpert { row, existing_id, input, org_id }),
            Err(invalid) => errors.extend(
                invalid.0.iter().map(|e| field_row_error(row, column_of(e.field), e, &cell(column_of(e.field)))),
            ),
        }
    }
    if errors.is_empty() { Ok(planned) } else { Err(errors) }
}

/// An expert as a roster row, in `EXPERT_COLUMNS` order; reads back unchanged.
pub fn expert_row(id: i64, input: &ExpertInput, org_code: Option<&str>) -> Vec<String> {
    let form = input.to_form();
    let yn = |b: bool| if b { "是" } else { "否" }.to_string();
    vec![
        id.to_string(),
        form.name,
        form.title,
        form.institution,
        org_code.unwrap_or_default().to_string(),
        form.fields,
        form.keywords,
        form.bio,
        form.achievements,
        yn(form.consent),
        yn(form.visible),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn an_exported_row_imports_back_unchanged() {
        let input = ExpertForm {
            name: "田晓峰".into(),
            title: "教授".into(),
            institution: "南通大学化学化工学院".into(),
            fields: "环境工程；水污染控制".into(),
            keywords: "印染废水；脱色；膜处理".into(),
            bio: "长期研究印染废水处理。".into(),
            achievements: "一种印染废水脱色方法（发明专利）\n高盐废水膜浓缩工艺".into(),
            consent: true,
            visible: false,
        }
        .check()
        .expect("valid");
        let orgs = HashMap::from([("GX001".to_string(), 7)]);
        let mut rows = vec![EXPERT_COLUMNS.iter().map(|c| c.to_string()).collect::<Vec<_>>()];
        rows.push(expert_row(12, &input, Some("GX001")));
        let planned = check_experts(&rows, &HashSet::from([12]), &orgs).expect("valid");
        assert_eq!(planned, [PlannedExpert { row: 2, existing_id: Some(12), input, org_id: Some(7) }]);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_column() {
        let rows = sheet(&[
            &["编号", "姓名", "工作单位", "研究领域", "单位编码", "同意入库"],
            &["99", "张三", "南通大学", "材料", "", ""],
            &["", "李四", "", "材料", "NOPE", "也许"],
            &["", "王五", "南通大学", "", "", ""],
        ]);
        let errors = check_experts(&rows, &HashSet::new(), &HashMap::new()).expect_err("invalid");
        let got: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        assert!(got.contains(&(2, "编号", "unknown_expert")));
        assert!(got.contains(&(3, "工作单位", "required")));
        assert!(got.contains(&(3, "单位编码", "unknown_org")));
        assert!(got.contains(&(3, "同意入库", "bad_yes_no")));
        assert!(got.contains(&(4, "研究领域", "required")));
        let missing = check_experts(&sheet(&[&["姓名"], &["张三"]]), &HashSet::new(), &HashMap::new());
        assert_eq!(missing.expect_err("no columns").len(), 2);
    }
}
