//! 专利: patents read from the CSV files patent search services export, then linked to the
//! experts and enterprises of the district by inventor and applicant names.

use crate::roster::{RowError, Sheet, row_error, text_cell};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatentKind {
    /// 发明
    Invention,
    /// 实用新型
    UtilityModel,
    /// 外观设计
    Design,
}

impl PatentKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Invention => "invention",
            Self::UtilityModel => "utility_model",
            Self::Design => "design",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "invention" | "发明" | "发明专利" | "发明授权" => Some(Self::Invention),
            "utility_model" | "实用新型" | "实用新型专利" => Some(Self::UtilityModel),
            "design" | "外观设计" | "外观设计专利" => Some(Self::Design),
            _ => None,
        }
    }
}

/// Column headers of the patent CSV, as search services name them.
pub const COLUMNS: [&str; 6] = ["专利号", "专利名称", "专利类型", "申请人", "发明人", "授权日"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatentRow {
    pub row: usize,
    /// Normalised: upper case, no spaces, "ZL" prefix.
    pub number: String,
    pub title: String,
    pub kind: PatentKind,
    pub applicant: String,
    pub inventors: Vec<String>,
    pub granted_on: Option<NaiveDate>,
}

/// `ZL202310123456.7`, `CN202310123456.7`, `202310123456.7` and `ZL 2023 1 0123456.7` are the
/// same number. Twelve digits (from 2004) or eight (before), a dot and a check digit or X.
pub fn normalize_number(raw: &str) -> Option<String> {
    let s: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let digits = s.strip_prefix("ZL").or_else(|| s.strip_prefix("CN")).unwrap_or(&s);
    let (body, check) = digits.split_once('.')?;
    let ok = (body.len() == 12 || body.len() == 8)
        && body.chars().all(|c| c.is_ascii_digit())
        && check.len() == 1
        && check.chars().all(|c| c.is_ascii_digit() || c == 'X');
    ok.then(|| format!("ZL{body}.{check}"))
}

/// Reads the rows of a patent sheet (header first). Nothing is returned unless every row is
/// good; a number repeated in the file is an error on its second row.
pub fn read(rows: &[Vec<String>]) -> Result<Vec<PatentRow>, Vec<RowError>> {
    let sheet = Sheet::open(rows, &COLUMNS[..4])?;
    let mut errors = Vec::new();
    let mut out: Vec<PatentRow> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (row, r) in sheet.rows() {
        let cell = |h: &str| sheet.cell(r, h);
        let raw = cell("专利号");
        let number = normalize_number(&raw);
        match &number {
            None => errors.push(row_error(
                row,
                "专利号",
                if raw.is_empty() { "required" } else { "bad_patent_number" },
                &raw,
            )),
            Some(n) => {
                if let Some(first) = seen.insert(n.clone(), row) {
                    errors.push(row_error(row, "专利号", "duplicate_in_file", &first.to_string()));
                }
            }
        }
        let title = cell("专利名称");
        text_cell(&mut errors, row, "专利名称", &title, 200);
        let kind = PatentKind::parse(&cell("专利类型"));
        if kind.is_none() {
            errors.push(row_error(row, "专利类型", "unknown_patent_kind", &cell("专利类型")));
        }
        let applicant = cell("申请人");
        if applicant.is_empty() {
            errors.push(row_error(row, "申请人", "required", ""));
        }
        let inventors = super::expert::split_list(&cell("发明人"), &super::expert::LIST_SEPARATORS);
        let granted = cell("授权日");
        let granted_on = if granted.is_empty() { None } else { crate::validate::parse_date(&granted) };
        if !granted.is_empty() && granted_on.is_none() {
            errors.push(row_error(row, "授权日", "bad_date", &granted));
        }
        if let (Some(number), Some(kind)) = (number, kind) {
            out.push(PatentRow { row, number, title, kind, applicant, inventors, granted_on });
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn numbers_in_every_usual_spelling() {
        assert_eq!(normalize_number("ZL202310123456.7").as_deref(), Some("ZL202310123456.7"));
        assert_eq!(normalize_number("cn 2023 1012 3456.x").as_deref(), Some("ZL202310123456.X"));
        assert_eq!(normalize_number("98123456.1").as_deref(), Some("ZL98123456.1"));
        assert_eq!(normalize_number("ZL2023101234567"), None);
        assert_eq!(normalize_number("ZL20231012345.7"), None);
    }

    #[test]
    fn a_good_file_reads_and_a_bad_one_reports_every_row() {
        let good = sheet(&[
            &["专利号", "专利名称", "专利类型", "申请人", "发明人", "授权日"],
            &["ZL202310123456.7", "一种涤棉织物低温染色方法", "发明", "南通大学", "张伟；李娜", "2024-05-10"],
            &["", "", "", "", "", ""],
            &["202420234567.1", "一种织机断经自停装置", "实用新型", "南通华纶织造有限公司", "王强", ""],
        ]);
        let rows = read(&good).expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].inventors, ["张伟", "李娜"]);
        assert_eq!((rows[1].row, rows[1].kind), (4, PatentKind::UtilityModel));
        let bad = sheet(&[
            &["专利号", "专利名称", "专利类型", "申请人", "授权日"],
            &["ZL202310123456.7", "甲", "发明", "乙", "2024-13-40"],
            &["ZL202310123456.7", "", "软件著作权", "", ""],
            &["12345", "丙", "发明", "丁", ""],
        ]);
        let errors = read(&bad).expect_err("invalid");
        let codes: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.code)).collect();
        assert!(codes.contains(&(2, "bad_date")));
        assert!(codes.contains(&(3, "duplicate_in_file")));
        assert!(codes.contains(&(3, "required")));
        assert!(codes.contains(&(3, "unknown_patent_kind")));
        assert!(codes.contains(&(4, "bad_patent_number")));
    }
}
