//! The station roster (科普e站名册): the columns the export writes and the import reads back,
//! one station per row, checked by the same rules as the station form.

use super::station::{StationForm, StationInput};
use crate::roster::{RowError, Sheet, field_row_error, row_error};

pub const COLUMNS: [&str; 16] = [
    "站点编码",
    "站点名称",
    "所在镇（街道）",
    "所在村（社区）",
    "地址",
    "纬度",
    "经度",
    "开放时间",
    "每小时人流",
    "客流计数器",
    "有网络",
    "有人员",
    "有场地",
    "有活动",
    "有终端",
    "标签",
];

const REQUIRED: [&str; 3] = ["站点名称", "所在镇（街道）", "所在村（社区）"];

/// Which column a form field's error belongs to.
fn column(field: &str) -> &'static str {
    match field {
        "name" => "站点名称",
        "region_id" => "所在村（社区）",
        "address" => "地址",
        "lat" => "纬度",
        "lng" => "经度",
        "hours" => "开放时间",
        "audience_per_hour" => "每小时人流",
        _ => "",
    }
}

/// "是" / "否" (or 1/0, yes/no); blank is no.
fn yes(v: &str, row: usize, col: &str, errors: &mut Vec<RowError>) -> Option<String> {
    match v.trim() {
        "是" | "有" | "1" | "yes" | "Y" | "y" | "✓" => Some("on".into()),
        "" | "否" | "无" | "0" | "no" | "N" | "n" => None,
        other => {
            errors.push(row_error(row, col, "yes_no", other));
            None
        }
    }
}

/// One row, ready to store: the code of an existing station (to update) or none (to create).
#[derive(Debug, Clone, PartialEq)]
pub struct StationRow {
    pub row: usize,
    pub code: Option<String>,
    pub input: StationInput,
}

/// Reads the sheet; `community` finds a community's region id from its town's and its own
/// name. Gives the good rows and every problem of the others, so the caller can add its own
/// checks before refusing the whole file; an unreadable sheet is refused at once.
pub fn read(
    rows: &[Vec<String>],
    community: impl Fn(&str, &str) -> Option<i64>,
) -> Result<(Vec<StationRow>, Vec<RowError>), Vec<RowError>> {
    let sheet = Sheet::open(rows, &REQUIRED)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut codes = std::collections::HashSet::new();
    for (n, r) in sheet.rows() {
        let cell = |h: &str| sheet.cell(r, h);
        let (town, place) = (cell("所在镇（街道）"), cell("所在村（社区）"));
        let region = community(&town, &place);
        if region.is_none() && !place.is_empty() {
            errors.push(row_error(n, "所在村（社区）", "unknown_region", &format!("{town}{place}")));
        }
        let code = Some(cell("站点编码")).filter(|c| !c.is_empty());
        if let Some(c) = &code
            && !codes.insert(c.clone())
        {
            errors.push(row_error(n, "站点编码", "duplicate_in_file", c));
        }
        let form = StationForm {
            name: cell("站点名称"),
            region_id: region.map(|r| r.to_string()).unwrap_or_default(),
            address: cell("地址"),
            lat: cell("纬度"),
            lng: cell("经度"),
            hours: cell("开放时间"),
            audience_per_hour: cell("每小时人流"),
            has_counter: yes(&cell("客流计数器"), n, "客流计数器", &mut errors),
            tags: cell("标签"),
            five_network: yes(&cell("有网络"), n, "有网络", &mut errors),
            five_staff: yes(&cell("有人员"), n, "有人员", &mut errors),
            five_venue: yes(&cell("有场地"), n, "有场地", &mut errors),
            five_activities: yes(&cell("有活动"), n, "有活动", &mut errors),
            five_terminal: yes(&cell("有终端"), n, "有终端", &mut errors),
        };
        match form.check() {
            Ok(input) => out.push(StationRow { row: n, code, input }),
            Err(inv) => {
                for e in inv.0 {
                    // The community column already says what is wrong with it.
                    if e.field == "region_id" && region.is_none() && !place.is_empty() {
                        continue;
                    }
                    errors.push(field_row_error(n, column(e.field), &e, &cell(column(e.field))));
                }
            }
        }
    }
    Ok((out, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    fn places(town: &str, place: &str) -> Option<i64> {
        (town == "金沙街道" && place == "向阳村").then_some(7)
    }

    #[test]
    fn reads_good_rows_and_reports_every_bad_cell() {
        let head: Vec<&str> = COLUMNS.to_vec();
        let good = [
            "EZ000001",
            "金沙街道向阳村科普e站",
            "金沙街道",
            "向阳村",
            "",
            "32.08",
            "121.07",
            "08:00-20:00",
            "40",
            "否",
            "是",
            "是",
            "是",
            "是",
            "是",
            "老年人、学校周边",
        ];
        let (rows, errs) = read(&sheet(&[&head, &good]), places).unwrap();
        assert!(errs.is_empty());
        assert_eq!(rows[0].code.as_deref(), Some("EZ000001"));
        assert_eq!(rows[0].input.region_id, 7);
        assert_eq!(rows[0].input.five, [true; 5]);
        assert_eq!(rows[0].input.tags, ["老年人", "学校周边"]);
        let bad = ["", "", "金沙街道", "朝阳村", "", "200", "121", "8点", "x", "也许", "", "", "", "", "", ""];
        let (ok, errs) = read(&sheet(&[&head, &good, &bad, &good]), places).unwrap();
        assert_eq!(ok.len(), 2, "the good rows, for the caller's own checks");
        let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        for want in [
            (3, "所在村（社区）", "unknown_region"),
            (3, "客流计数器", "yes_no"),
            (3, "站点名称", "required"),
            (3, "纬度", "coordinate"),
            (3, "开放时间", "hours_format"),
            (3, "每小时人流", "number"),
            (4, "站点编码", "duplicate_in_file"),
        ] {
            assert!(got.contains(&want), "{want:?} in {got:?}");
        }
    }
}
