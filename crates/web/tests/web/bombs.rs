//! Files made to exhaust the server: spreadsheet bombs sent to every import, and large uploads
//! sent at once. Each is refused (or taken) while the process's memory stays under a bound.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_store::org::OrgFilter;
use kexie_web::i18n::Lang;
use kexie_web::xlsx::{MAX_RATIO, MAX_ROWS, MAX_SHARED_STRINGS, MAX_UNPACKED};
use std::io::Read;

const MB: usize = 1024 * 1024;

/// Every page that imports a spreadsheet.
const IMPORTS: [&str; 7] = [
    "/orgs/import",
    "/people/import",
    "/match/experts/import",
    "/match/patents/import",
    "/estation/stations/import",
    "/outreach/stats/import",
    "/volunteers/import",
];

/// How far the process's resident memory rises during a test. The tests in this binary share
/// the process, so the ones that measure take turns.
struct Peak {
    base_kb: u64,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

static TURN: std::sync::LazyLock<tokio::sync::Mutex<()>> = std::sync::LazyLock::new(Default::default);

fn status_kb(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line[key.len()..].trim().trim_end_matches("kB").trim().parse().unwrap()
}

impl Peak {
    async fn start() -> Peak {
        let turn = TURN.lock().await;
        // "5" resets the peak (VmHWM) to the memory in use now.
        std::fs::write("/proc/self/clear_refs", "5").expect("reset the peak resident memory");
        Peak { base_kb: status_kb("VmRSS:"), _turn: turn }
    }
    fn rise_mb(&self) -> u64 {
        status_kb("VmHWM:").saturating_sub(self.base_kb) / 1024
    }
}

/// A raw deflate stream of `chunk` repeated `times`, made by compressing the chunk once: each
/// copy is a run of complete blocks, so the copies follow one another, and an empty final block
/// closes the stream. A few megabytes that unpack to gigabytes, made in milliseconds.
fn deflate_repeated(prefix: &[u8], chunk: &[u8], times: usize, suffix: &[u8]) -> Vec<u8> {
    let blocks = |data: &[u8]| {
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let mut out = Vec::with_capacity(data.len() + 1024);
        c.compress_vec(data, &mut out, flate2::FlushCompress::Sync).unwrap();
        assert_eq!(c.total_in() as usize, data.len());
        out
    };
    let (head, body, tail) = (blocks(prefix), blocks(chunk), blocks(suffix));
    let mut out = head;
    for _ in 0..times {
        out.extend_from_slice(&body);
    }
    out.extend_from_slice(&tail);
    out.extend_from_slice(&[0x03, 0x00]);
    out
}

/// One part of a hand-made zip archive: its name, what its directory declares, its bytes.
struct Part {
    name: String,
    deflated: bool,
    crc: u32,
    declared: u32,
    data: Vec<u8>,
}

/// A zip archive of the parts as given: the sizes and checksums it declares are whatever the
/// parts say, true or not.
fn zip_of(parts: &[Part]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for p in parts {
        let offset = out.len() as u32;
        let method: u16 = if p.deflated { 8 } else { 0 };
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1980-01-01
            v.extend_from_slice(&p.crc.to_le_bytes());
            v.extend_from_slice(&(p.data.len() as u32).to_le_bytes());
            v.extend_from_slice(&p.declared.to_le_bytes());
            v.extend_from_slice(&(p.name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field
        };
        out.extend_from_slice(&0x04034b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(p.name.as_bytes());
        out.extend_from_slice(&p.data);
        directory.extend_from_slice(&0x02014b50u32.to_le_bytes());
        directory.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut directory);
        directory.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        directory.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(p.name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(&0x06054b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// A real workbook (a header and a row, with shared strings) with one part swapped for
/// `bomb`, the rest stored as they were.
fn workbook_with(bomb: Part) -> Vec<u8> {
    let book = xlsx(&[vec!["名称".into(), "编码".into()], vec!["科协".into(), "QY-1".into()]]);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        if f.name() == bomb.name {
            continue;
        }
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        let mut crc = flate2::Crc::new();
        crc.update(&data);
        parts.push(Part { name: f.name().into(), deflated: false, crc: crc.sum(), declared: data.len() as u32, data });
    }
    parts.push(bomb);
    zip_of(&parts)
}

/// A part of `megabytes` megabytes of `unit`, between `prefix` and `suffix`, declared as
/// `declared` bytes (honestly, or not).
fn bomb(name: &str, prefix: &str, unit: &str, megabytes: usize, suffix: &str, declared: Option<u32>) -> Part {
    let chunk = unit.repeat(MB / unit.len());
    let data = deflate_repeated(prefix.as_bytes(), chunk.as_bytes(), megabytes, suffix.as_bytes());
    let size = prefix.len() + chunk.len() * megabytes + suffix.len();
    Part {
        name: name.into(),
        deflated: true,
        crc: 0,
        declared: declared.unwrap_or_else(|| u32::try_from(size).expect("under 4 GiB")),
        data,
    }
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>"#;
const SHEET_TAIL: &str = "</t></is></c></row></sheetData></worksheet>";
const STRINGS_HEAD: &str =
    r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// The bombs, each with the code and the bound it is refused with.
fn bombs() -> Vec<(&'static str, Vec<u8>, &'static str, Option<u64>)> {
    // The outside test's 1.9 KB file: cells A1 and XFD1048576, a declared grid of 2^34 cells.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "名称").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let grid = wb.save_to_buffer().unwrap();
    let sheet = "xl/worksheets/sheet1.xml";
    let strings = "xl/sharedStrings.xml";
    vec![
        ("grid", grid, "too_many_rows", Some(MAX_ROWS as u64)),
        // 3 MB that unpack to 3 GiB, declared so.
        (
            "zip bomb",
            workbook_with(bomb(sheet, SHEET_HEAD, "0", 3 * 1024, SHEET_TAIL, None)),
            "xlsx_too_large",
            Some(MAX_UNPACKED / MB as u64),
        ),
        // The same stream, its directory claiming a kilobyte.
        (
            "lying size",
            workbook_with(bomb(sheet, SHEET_HEAD, "0", 3 * 1024, SHEET_TAIL, Some(1024))),
            "broken_xlsx",
            None,
        ),
        // 1.2 MB of shared strings that unpack to 1.2 GB, as the outside test sent.
        (
            "shared strings",
            workbook_with(bomb(strings, STRINGS_HEAD, "<si><t>科协</t></si>", 1200, "</sst>", None)),
            "xlsx_strings_too_large",
            Some(MAX_SHARED_STRINGS / MB as u64),
        ),
        // Within the size bounds, but packed a thousand to one.
        (
            "ratio",
            workbook_with(bomb(sheet, SHEET_HEAD, "0", 30, SHEET_TAIL, None)),
            "xlsx_packed_too_tight",
            Some(MAX_RATIO),
        ),
    ]
}

async fn org_count(app: &TestApp) -> u64 {
    app.store.list_orgs(&Actor::system("t"), &OrgFilter::default(), Default::default()).await.unwrap().total
}

#[tokio::test]
async fn spreadsheet_bombs_are_refused_by_every_import_with_the_limit_named_and_memory_bounded() {
    let app = TestApp::spawn().await;
    let admin = app.login("admin").await;
    let before = org_count(&app).await;
    let bombs = bombs();
    assert!(bombs.iter().all(|(_, b, ..)| b.len() < 4 * MB), "each bomb is a small upload");
    let peak = Peak::start().await;
    for path in IMPORTS {
        for (what, bytes, code, bound) in &bombs {
            let r = upload(&app, &admin, path, "名册.xlsx", bytes.clone()).await;
            assert_eq!(r.status(), 422, "{what} at {path}");
            let html = r.text().await.unwrap();
            let message = Lang::Zh.error(code, bound.map(|b| b.to_string()).as_deref());
            assert!(html.contains(&message), "{what} at {path}: {message}");
            if let Some(b) = bound {
                assert!(message.contains(&b.to_string()), "the message names the limit: {message}");
            }
        }
    }
    let rise = peak.rise_mb();
    drop(peak);
    assert!(rise < 200, "memory rose by {rise} MB");
    assert_eq!(org_count(&app).await, before, "nothing written");
    app.cleanup().await;
}

/// A streamed body of `size` bytes: `head`, then zeros, sent a megabyte at a time, so the
/// test itself holds none of it.
fn streamed(head: Vec<u8>, size: usize) -> reqwest::multipart::Part {
    let chunks = (0..size.div_ceil(MB)).map(move |i| {
        let mut c = vec![0u8; MB.min(size - i * MB)];
        if i == 0 {
            c[..head.len()].copy_from_slice(&head);
        }
        Ok::<_, std::io::Error>(c)
    });
    let body = reqwest::Body::wrap_stream(futures::stream::iter(chunks));
    reqwest::multipart::Part::stream_with_length(body, size as u64)
}

/// Sends a file of `size` bytes starting with `head` as a screen video would be sent.
async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
    name: &str,
    head: Vec<u8>,
    size: usize,
) -> reqwest::Result<reqwest::Response> {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", app.csrf(c).await)
        .text("title", "科普讲座录像")
        .text("duration_s", "600")
        .part("file", streamed(head, size).file_name(name.to_string()));
    c.post(app.url(path)).multipart(form).send().await
}

#[tokio::test]
async fn large_uploads_at_once_go_to_disk_not_memory() {
    let app = TestApp::spawn().await;
    let staff = app.login("staff").await;
    let each = 32 * MB;
    // Each video different, so each is stored.
    let video = |n: u8| [&b"\0\0\0\x18ftypmp42\0\0\0"[..], &[n]].concat();
    let peak = Peak::start().await;
    let sent =
        futures::future::join_all((0..4).map(|n| send(&app, &staff, "/estation/media", "讲座.mp4", video(n), each)))
            .await;
    let rise = peak.rise_mb();
    drop(peak);
    for r in sent {
        assert_eq!(r.unwrap().status(), 303, "stored and listed");
    }
    // Held in memory, they would take at least their 128 MB.
    assert!(rise < 96, "four uploads of 32 MB raised memory by {rise} MB");
    let (_, page) = app.get_text(&staff, "/estation/media").await;
    assert_eq!(page.matches("科普讲座录像").count(), 4);
    // Beyond the route's limit (10 MB for an import), the upload stops as it streams: a 413,
    // or the connection cut while the client was still sending.
    let over = 11 * MB;
    if let Ok(r) = send(&app, &staff, "/estation/stations/import", "站点.xlsx", b"PK\x03\x04".to_vec(), over).await {
        assert_eq!(r.status(), 413);
    }
    app.cleanup().await;
}
