//! Excel in and out: a sheet becomes rows of text (dates as `YYYY-MM-DD`, whole numbers without
//! `.0`, so a phone typed as a number survives), and rows become a sheet with every cell
//! stored as text, so Excel never turns a phone or code into a number.

use crate::error::WebError;
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// Largest sheet read, in rows; beyond this the upload is refused before any check.
const MAX_READ_ROWS: usize = 50_000;

/// Reads the first sheet of an .xlsx file.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, WebError> {
    // Every .xlsx is a zip archive; anything else (a renamed .xls, a CSV, a picture) is refused
    // with a message that says so.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(WebError::BadRequest("not_xlsx"));
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| WebError::BadRequest("broken_xlsx"))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or(WebError::BadRequest("empty_workbook"))?
        .map_err(|_| WebError::BadRequest("broken_xlsx"))?;
    if range.height() > MAX_READ_ROWS {
        return Err(WebError::BadRequest("too_many_rows"));
    }
    Ok(range.rows().map(|r| r.iter().map(cell_text).collect()).collect())
}

/// Reads a table from an .xlsx file or, where `csv_too` and the name says so, a CSV file:
/// UTF-8 (with or without a byte-order mark) or GB18030, the encoding Chinese Excel and
/// patent search services save CSV in.
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
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| WebError::BadRequest("broken_csv"))?;
        rows.push(record.iter().map(|c| c.trim().to_string()).collect());
        if rows.len() > MAX_READ_ROWS {
            return Err(WebError::BadRequest("too_many_rows"));
        }
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

    #[test]
    fn non_excel_is_refused() {
        assert_eq!(read_rows(b"name,code\n").unwrap_err().code(), "not_xlsx");
        assert_eq!(read_rows(b"PK\x03\x04garbage").unwrap_err().code(), "broken_xlsx");
    }
}
