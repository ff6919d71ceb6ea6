//! What every Excel roster shares: reading a sheet by its header names, the per-row error
//! report, and naming a region by name or by code. Each area's roster (`org::roster`,
//! `person::roster`) adds its own columns and rules.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Largest roster accepted in one upload.
pub const MAX_ROWS: usize = 20_000;

/// One problem in one cell (or row, with an empty column), for the error report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The sheet row number (1 is the header).
    pub row: usize,
    pub column: String,
    pub code: &'static str,
    pub value: String,
    /// What the message names besides the value: a length's limit (`too_long` of 20).
    pub arg: Option<String>,
}

pub fn row_error(row: usize, column: &str, code: &'static str, value: &str) -> RowError {
    RowError { row, column: column.to_string(), code, value: value.chars().take(60).collect(), arg: None }
}

/// A required text cell of at most `max` characters, checked as a form field is (empty, too
/// long naming the limit, control characters); its problem goes on the row's report.
pub fn text_cell(errors: &mut Vec<RowError>, row: usize, column: &str, value: &str, max: usize) {
    let mut e = crate::Invalid::default();
    crate::validate::required(&mut e, "cell", value, max);
    errors.extend(e.0.iter().map(|f| field_row_error(row, column, f, value)));
}

/// A field's problem from a form check, reported against its cell with the check's limit.
pub fn field_row_error(row: usize, column: &str, e: &crate::FieldError, value: &str) -> RowError {
    RowError { arg: e.arg.clone(), ..row_error(row, column, e.code, value) }
}

/// A sheet whose columns are found by header name, in any order.
pub struct Sheet<'a> {
    columns: HashMap<&'a str, usize>,
    pub body: &'a [Vec<String>],
}

impl<'a> Sheet<'a> {
    /// Checks the header and the size; `rows[0]` is the header row.
    pub fn open(rows: &'a [Vec<String>], required: &[&str]) -> Result<Self, Vec<RowError>> {
        let Some(header) = rows.first() else {
            return Err(vec![row_error(1, "", "empty_sheet", "")]);
        };
        let columns: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.trim(), i)).collect();
        let missing: Vec<RowError> = required
            .iter()
            .filter(|h| !columns.contains_key(*h))
            .map(|h| row_error(1, h, "missing_column", ""))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let body = &rows[1..];
        if body.is_empty() {
            return Err(vec![row_error(2, "", "no_rows", "")]);
        }
        if body.len() > MAX_ROWS {
            return Err(vec![row_error(MAX_ROWS + 2, "", "too_many_rows", &MAX_ROWS.to_string())]);
        }
        Ok(Self { columns, body })
    }

    /// The trimmed text of a row's cell under a header ("" when the column or cell is absent).
    pub fn cell(&self, row: &[String], header: &str) -> String {
        self.columns.get(header).and_then(|i| row.get(*i)).map(|s| s.trim().to_string()).unwrap_or_default()
    }

    /// Rows with their sheet row numbers, blank rows skipped.
    pub fn rows(&self) -> impl Iterator<Item = (usize, &'a Vec<String>)> {
        self.body.iter().enumerate().map(|(i, r)| (i + 2, r)).filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// A region as a roster may name it.
#[derive(Debug, Clone)]
pub struct RegionRef {
    pub id: i64,
    pub path: String,
}

/// Regions by code, and by name where the name is unique.
#[derive(Debug, Default)]
pub struct Regions {
    pub by_code: HashMap<String, RegionRef>,
    pub by_name: HashMap<String, RegionRef>,
    pub ambiguous_names: HashSet<String>,
}

impl Regions {
    pub fn new(all: impl IntoIterator<Item = (String, String, RegionRef)>) -> Self {
        let mut r = Self::default();
        for (code, name, reference) in all {
            if r.by_name.contains_key(&name) || r.ambiguous_names.contains(&name) {
                r.by_name.remove(&name);
                r.ambiguous_names.insert(name);
            } else {
                r.by_name.insert(name, reference.clone());
            }
            r.by_code.insert(code, reference);
        }
        r
    }

    /// The region a row names in its `所属区域` (name) and `区域代码` (code) columns: the code
    /// decides, a name must be unique, and the two must agree.
    pub fn resolve(&self, row: usize, name: &str, code: &str, errors: &mut Vec<RowError>) -> Option<&RegionRef> {
        match (code.is_empty(), name.is_empty()) {
            (true, true) => {
                errors.push(row_error(row, "所属区域", "required", ""));
                None
            }
            (false, _) => {
                let Some(found) = self.by_code.get(code) else {
                    errors.push(row_error(row, "区域代码", "unknown_region", code));
                    return None;
                };
                if !name.is_empty() && self.by_name.get(name).is_some_and(|n| n.id != found.id) {
                    errors.push(row_error(row, "所属区域", "region_mismatch", name));
                }
                Some(found)
            }
            (true, false) if self.ambiguous_names.contains(name) => {
                errors.push(row_error(row, "所属区域", "ambiguous_region", name));
                None
            }
            (true, false) => {
                let found = self.by_name.get(name);
                if found.is_none() {
                    errors.push(row_error(row, "所属区域", "unknown_region", name));
                }
                found
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions() -> Regions {
        Regions::new([
            ("320612001".into(), "金沙街道".into(), RegionRef { id: 2, path: "/1/2/".into() }),
            ("320612001001".into(), "新华村".into(), RegionRef { id: 5, path: "/1/2/5/".into() }),
            ("320612002001".into(), "新华村".into(), RegionRef { id: 6, path: "/1/3/6/".into() }),
        ])
    }

    #[test]
    fn regions_by_code_or_unique_name() {
        let r = regions();
        let mut e = Vec::new();
        assert_eq!(r.resolve(2, "金沙街道", "", &mut e).map(|x| x.id), Some(2));
        assert_eq!(r.resolve(2, "新华村", "320612002001", &mut e).map(|x| x.id), Some(6));
        assert!(e.is_empty());
        assert!(r.resolve(3, "新华村", "", &mut e).is_none());
        assert!(r.resolve(4, "", "999", &mut e).is_none());
        assert!(r.resolve(5, "", "", &mut e).is_none());
        assert_eq!(r.resolve(6, "金沙街道", "320612001001", &mut e).map(|x| x.id), Some(5));
        let codes: Vec<&str> = e.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["ambiguous_region", "unknown_region", "required", "region_mismatch"]);
    }

    #[test]
    fn sheets_by_header() {
        let rows = vec![
            vec!["名称".to_string(), "编码".to_string()],
            vec!["".into(), "".into()],
            vec!["农学会".into(), " XH-1 ".into()],
        ];
        let s = Sheet::open(&rows, &["编码"]).unwrap();
        let got: Vec<(usize, String)> = s.rows().map(|(n, r)| (n, s.cell(r, "编码"))).collect();
        assert_eq!(got, [(3, "XH-1".to_string())]);
        assert_eq!(Sheet::open(&rows, &["类型"]).err().unwrap()[0].code, "missing_column");
        assert_eq!(Sheet::open(&rows[..1], &[]).err().unwrap()[0].code, "no_rows");
    }
}
