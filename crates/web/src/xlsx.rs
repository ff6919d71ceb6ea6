//! Excel in and out: a sheet becomes rows of text (dates as `YYYY-MM-DD`, whole numbers without
//! `.0`, so a phone typed as a number survives), and rows become a sheet with every cell
//! stored as text, so Excel never turns a phone or code into a number.

use crate::error::WebError;
use calamine::{Data, DataRef, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use std::io::{Cursor, Read};

// Bounds on what a spreadsheet may make the server hold, checked before the part they concern
// is unpacked or placed. Rosters and platform statistics files stay far below them.
const MB: u64 = 1024 * 1024;
/// Rows read from a sheet or CSV file.
pub const MAX_ROWS: usize = 50_000;
/// Columns read from a sheet or CSV file.
pub const MAX_COLUMNS: usize = 100;
/// Cells of the grid read (rows × columns), empty ones included.
pub const MAX_CELLS: usize = 1_000_000;
/// Unpacked size of a whole workbook, as declared and as actually unpacked.
pub const MAX_UNPACKED: u64 = 50 * MB;
/// Unpacked size of the shared-strings part, which the Excel reader holds whole.
pub const MAX_SHARED_STRINGS: u64 = 20 * MB;
/// Parts (files) in the workbook's zip archive.
pub const MAX_PARTS: usize = 1_000;
/// How many times a part may unpack beyond its packed size, for parts over a megabyte (real
/// sheets pack 5–20 to 1; a bomb packs a thousand to 1).
pub const MAX_RATIO: u64 = 100;

fn broken() -> WebError {
    WebError::BadRequest("broken_xlsx")
}

/// Checks every part of the archive against the bounds, by the sizes its directory declares
/// and then by unpacking it, stopping one byte past the declared size, so that a directory
/// that lies gets no further than one that tells the truth.
fn check_parts(bytes: &[u8]) -> Result<(), WebError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| broken())?;
    if zip.len() > MAX_PARTS {
        return Err(WebError::FileLimit("xlsx_too_many_parts", MAX_PARTS as u64));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| broken())?;
        let declared = part.size();
        if part.name().to_ascii_lowercase().ends_with("sharedstrings.xml") && declared > MAX_SHARED_STRINGS {
            return Err(WebError::FileLimit("xlsx_strings_too_large", MAX_SHARED_STRINGS / MB));
        }
        total = total.saturating_add(declared);
        if total > MAX_UNPACKED {
            return Err(WebError::FileLimit("xlsx_too_large", MAX_UNPACKED / MB));
        }
        if declared > MB && declared / part.compressed_size().max(1) > MAX_RATIO {
            return Err(WebError::FileLimit("xlsx_packed_too_tight", MAX_RATIO));
        }
        let unpacked =
            std::io::copy(&mut (&mut part).take(declared + 1), &mut std::io::sink()).map_err(|_| broken())?;
        if unpacked != declared {
            return Err(broken());
        }
    }
    Ok(())
}

/// Refuses a cell beyond the row or column bound (positions count from 0).
fn check_position(row: u32, column: u32) -> Result<(), WebError> {
    if row as usize >= MAX_ROWS {
        return Err(WebError::FileLimit("too_many_rows", MAX_ROWS as u64));
    }
    if column as usize >= MAX_COLUMNS {
        return Err(WebError::FileLimit("too_many_columns", MAX_COLUMNS as u64));
    }
    Ok(())
}

/// Refuses more than `MAX_CELLS` cells.
fn check_cells(cells: usize) -> Result<(), WebError> {
    if cells > MAX_CELLS {
        return Err(WebError::FileLimit("too_many_cells", MAX_CELLS as u64));
    }
    Ok(())
}

/// Refuses a grid of more than `MAX_CELLS`.
fn check_grid(rows: usize, columns: usize) -> Result<(), WebError> {
    check_cells(rows.saturating_mul(columns))
}

/// Reads the first sheet of an .xlsx file within the bounds above: the parts are checked
/// before the Excel reader opens the file, the sheet's declared dimension before its cells,
/// and the cells are read one at a time, each position checked, so that nothing is ever
/// allocated for the grid a file merely declares. Leading empty rows and columns are dropped
/// and every row has the width of the widest.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, WebError> {
    // Every .xlsx is a zip archive; anything else (a renamed .xls, a CSV, a picture) is refused
    // with a message that says so.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(WebError::BadRequest("not_xlsx"));
    }
    check_parts(bytes)?;
    // The Excel reader indexes the shared strings with the number a cell gives, unchecked: a
    // cell naming a string past the table panics it. Such a file is damaged, not a crash.
    std::panic::catch_unwind(|| read_sheet(bytes)).unwrap_or_else(|_| Err(broken()))
}

/// Reads the first sheet's cells, once its parts are known to be within the bounds.
fn read_sheet(bytes: &[u8]) -> Result<Vec<Vec<String>>, WebError> {
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| broken())?;
    let name = wb.sheet_names().into_iter().next().ok_or(WebError::BadRequest("empty_workbook"))?;
    let mut cells = match wb.worksheet_cells_reader(&name) {
        Ok(c) => c,
        // A chart sheet first: no cells, as the Excel reader itself would say.
        Err(calamine::XlsxError::NotAWorksheet(_)) => return Ok(Vec::new()),
        Err(_) => return Err(broken()),
    };
    let declared = cells.dimensions();
    check_position(declared.end.0, declared.end.1)?;
    check_grid(declared.end.0 as usize + 1, declared.end.1 as usize + 1)?;
    let mut read: Vec<((u32, u32), String)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| broken())? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        check_position(row, column)?;
        read.push(((row, column), cell_text(&Data::from(cell.get_value().clone()))));
        // A position may repeat, so the count is bounded too.
        check_cells(read.len())?;
    }
    grid(read)
}

/// Lays cells out in rows, from the first row and column that hold anything.
fn grid(cells: Vec<((u32, u32), String)>) -> Result<Vec<Vec<String>>, WebError> {
    let Some(top) = cells.iter().map(|((r, _), _)| *r).min() else { return Ok(Vec::new()) };
    let left = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let height = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(top) - top + 1;
    let width = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(left) - left + 1;
    check_grid(height as usize, width as usize)?;
    let mut rows = vec![vec![String::new(); width as usize]; height as usize];
    for ((r, c), text) in cells {
        rows[(r - top) as usize][(c - left) as usize] = text;
    }
    Ok(rows)
}

/// Reads a table from an .xlsx file or, where `csv_too` and the name says so, a CSV file:
/// UTF-8 (with or without a byte-order mark) or GB18030, the encoding Chinese Excel and
/// patent search services save CSV in. The same row, column and cell bounds apply.
pub fn read_table(bytes: &[u8], file_name: &str, csv_too: bool) -> Result<Vec<Vec<String>>, WebError> {
    if !(csv_too && file_name.to_ascii_lowercase().ends_with(".csv")) {
        return read_rows(bytes);
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t.trim_start_matches('\u{feff}')),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(WebError::BadRequest("bad_encoding"));
            }
            t
        }
    };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cells = 0;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|_| WebError::BadRequest("broken_csv"))? {
        check_position(rows.len() as u32, record.len().saturating_sub(1) as u32)?;
        cells += record.len();
        check_cells(cells)?;
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(_) => String::new(),
    }
}

/// A workbook with one sheet: a bold, frozen header row and text cells.
pub fn write_rows(sheet: &str, header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, WebError> {
    let internal = |e: rust_xlsxwriter::XlsxError| WebError::Internal(e.to_string());
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet).map_err(internal)?;
    let bold = Format::new().set_bold().set_background_color("#E8EEF7");
    let text = Format::new().set_num_format("@");
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold).map_err(internal)?;
        let widest = rows.iter().take(200).filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0);
        let width = widest.max(h.chars().count()).clamp(6, 40) as f64 * 2.0;
        ws.set_column_width(c as u16, width).map_err(internal)?;
        ws.set_column_format(c as u16, &text).map_err(internal)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string_with_format(r as u32 + 1, c as u16, v, &text).map_err(internal)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(internal)?;
    wb.save_to_buffer().map_err(internal)
}

/// The response headers for a download with a Chinese file name (RFC 5987).
pub fn download(bytes: Vec<u8>, file_name: &str) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    let disposition =
        format!("attachment; filename=\"export.xlsx\"; filename*=UTF-8''{}", urlencoding::encode(file_name));
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_text() {
        let rows =
            vec![vec!["QY-0001".to_string(), "13812345678".to_string(), "2023-05-01".to_string(), String::new()]];
        let bytes = write_rows("组织", &["编码", "电话", "日期", "备注"], &rows).unwrap();
        let back = read_rows(&bytes).unwrap();
        assert_eq!(back[0], vec!["编码", "电话", "日期", "备注"]);
        assert_eq!(back[1][..3], rows[0][..3]);
    }

    /// A workbook with text written at the given cells.
    fn sheet_with(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, c, v) in cells {
            ws.write_string(*r, *c, *v).unwrap();
        }
        wb.save_to_buffer().unwrap()
    }

    fn limit(e: WebError) -> (&'static str, u64) {
        match e {
            WebError::FileLimit(code, bound) => (code, bound),
            other => panic!("not a limit: {other:?}"),
        }
    }

    #[test]
    fn a_declared_grid_beyond_the_bounds_is_refused_before_any_cell() {
        // The outside test's 1.9 KB file: A1 and XFD1048576, a grid of 2^34 cells.
        let bomb = sheet_with(&[(0, 0, "a"), (1_048_575, 16_383, "b")]);
        assert!(bomb.len() < 10_000);
        assert_eq!(limit(read_rows(&bomb).unwrap_err()), ("too_many_rows", MAX_ROWS as u64));
        let wide = sheet_with(&[(0, 0, "a"), (0, MAX_COLUMNS as u16, "b")]);
        assert_eq!(limit(read_rows(&wide).unwrap_err()), ("too_many_columns", MAX_COLUMNS as u64));
        let area = sheet_with(&[(0, 0, "a"), (MAX_ROWS as u32 - 1, MAX_COLUMNS as u16 - 1, "b")]);
        assert_eq!(limit(read_rows(&area).unwrap_err()), ("too_many_cells", MAX_CELLS as u64));
    }

    #[test]
    fn a_sheet_within_the_bounds_reads_from_its_first_filled_cell() {
        let ok = sheet_with(&[(2, 1, "编码"), (2, 3, "名称"), (4, 2, "QY-1")]);
        assert_eq!(read_rows(&ok).unwrap(), vec![vec!["编码", "", "名称"], vec!["", "", ""], vec!["", "QY-1", ""]]);
    }

    #[test]
    fn a_cell_naming_a_missing_shared_string_is_damage_not_a_panic() {
        let book = sheet_with(&[(0, 0, "名称")]);
        let mut zip = zip::ZipArchive::new(Cursor::new(book)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let mut text = String::new();
            part.read_to_string(&mut text).unwrap();
            let text = text.replace("<v>0</v>", "<v>7</v>");
            out.start_file(part.name(), zip::write::SimpleFileOptions::default()).unwrap();
            std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        assert_eq!(read_rows(&bytes).unwrap_err().code(), "broken_xlsx");
    }

    #[test]
    fn csv_keeps_the_same_bounds() {
        let wide = format!("{}\n", vec!["x"; MAX_COLUMNS + 1].join(","));
        assert_eq!(limit(read_table(wide.as_bytes(), "a.csv", true).unwrap_err()).0, "too_many_columns");
        let long = "a\n".repeat(MAX_ROWS + 1);
        assert_eq!(limit(read_table(long.as_bytes(), "a.csv", true).unwrap_err()).0, "too_many_rows");
        assert_eq!(read_table("名称,数\n甲,1\n".as_bytes(), "a.csv", true).unwrap().len(), 2);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Whatever the bytes, the reader answers rows or a clean error, and never panics.
        #[test]
        fn any_bytes_read_or_refused(tail in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            let _ = read_rows(&bytes);
            let _ = read_table(&bytes, "a.csv", true);
        }

        /// A real workbook with bytes changed here and there: rows or a clean error.
        #[test]
        fn damaged_workbooks_read_or_refused(
            hits in proptest::collection::vec((proptest::num::usize::ANY, proptest::num::u8::ANY), 1..8)
        ) {
            let mut bytes = sheet_with(&[(0, 0, "编码"), (0, 1, "名称"), (1, 0, "QY-1"), (1, 1, "科协")]);
            let n = bytes.len();
            for (at, b) in hits {
                bytes[at % n] = b;
            }
            if let Ok(rows) = read_rows(&bytes) {
                proptest::prop_assert!(rows.len() <= MAX_ROWS);
            }
        }
    }

    #[test]
    fn non_excel_is_refused() {
        assert_eq!(read_rows(b"name,code\n").unwrap_err().code(), "not_xlsx");
        assert_eq!(read_rows(b"PK\x03\x04garbage").unwrap_err().code(), "broken_xlsx");
    }
}
