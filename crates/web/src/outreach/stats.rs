//! Reach from the platforms' own statistics (公众号 图文分析, 抖音/视频号 作品数据): staff upload
//! the export as it comes (CSV in UTF-8 or GB18030, or Excel); each row is matched to a
//! publication by its title and the file is taken whole or not at all, with every row's
//! problem listed.

use crate::error::WebError;
use crate::form::Upload;
use crate::view::{PageCtx, Web, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use kexie_core::outreach::Channel;
use kexie_core::outreach::publication::accounts;
use kexie_core::outreach::stats::{self, Platform, StatRow, StatsError};
use kexie_core::roster::RowError;
use kexie_store::StoreError;
use kexie_store::outreach::stats::ImportReport;
use std::collections::HashSet;

/// A column of an export: the name we look for first, the other names it goes by, and
/// whether a file must have it.
pub struct ColumnHelp {
    pub name: &'static str,
    pub aliases: &'static str,
    pub required: bool,
}

/// What the upload takes, platform by platform (the names `core::outreach::stats` reads).
pub struct FormatHelp {
    pub key: &'static str,
    pub platform: &'static str,
    pub columns: &'static [ColumnHelp],
}

const fn col(name: &'static str, aliases: &'static str, required: bool) -> ColumnHelp {
    ColumnHelp { name, aliases, required }
}

pub const FORMATS: [FormatHelp; 2] = [
    FormatHelp {
        key: "ot.stats_format_wechat",
        platform: "wechat",
        columns: &[
            col("内容标题", "标题、文章标题", true),
            col("发表时间", "发布时间、群发时间", true),
            col("阅读次数", "阅读量、阅读人数", true),
            col("点赞数", "点赞次数、点赞人数、在看数", false),
            col("分享次数", "转发次数、分享人数", false),
        ],
    },
    FormatHelp {
        key: "ot.stats_format_short_video",
        platform: "short_video",
        columns: &[
            col("作品名称", "视频标题、标题、描述、作品描述", true),
            col("发布时间", "发表时间", true),
            col("播放量", "播放次数、播放数", true),
            col("点赞量", "点赞数、点赞次数", false),
            col("分享量", "分享数、分享次数、转发量", false),
        ],
    },
];

#[derive(Template, WebTemplate)]
#[template(path = "outreach/stats_import.html")]
pub struct ImportPage {
    pub ctx: PageCtx,
    pub file_name: String,
    /// The account the export came from ("" for any).
    pub account: String,
    pub accounts: Vec<(&'static str, &'static [&'static str])>,
    pub formats: &'static [FormatHelp],
    /// A problem with the file as a whole, and its code.
    pub error: Option<(&'static str, String)>,
    pub errors: Vec<RowError>,
    pub report: Option<ImportReport>,
}

impl ImportPage {
    pub fn message(&self, e: &RowError) -> String {
        self.ctx.lang.row_error(e)
    }
    pub fn platform_label(&self) -> String {
        match self.report.as_ref().map(|r| r.platform) {
            Some(Platform::ShortVideo) => self.ctx.t("ot.stats_format_short_video"),
            _ => self.ctx.t("ot.stats_format_wechat"),
        }
    }
    pub fn total(&self) -> i64 {
        self.report.as_ref().map(|r| r.updated.iter().map(|u| u.person_times).sum()).unwrap_or(0)
    }
}

fn page(web: &Web) -> ImportPage {
    ImportPage {
        ctx: web.ctx(),
        file_name: String::new(),
        account: String::new(),
        accounts: vec![
            ("ot.stats_format_wechat", accounts(Channel::Wechat)),
            ("ot.stats_format_short_video", accounts(Channel::ShortVideo)),
        ],
        formats: &FORMATS,
        error: None,
        errors: Vec::new(),
        report: None,
    }
}

/// GET /outreach/stats/import
pub async fn form(web: Web) -> ImportPage {
    page(&web)
}

/// The rows of a file with problems that could be read, each read alone under the header, so
/// that the report also says which of them match no publication. `None` when the header or
/// the sheet as a whole is at fault.
fn readable_rows(table: &[Vec<String>], errors: &[RowError]) -> Option<(Platform, Vec<StatRow>)> {
    if errors.iter().any(|e| e.row <= 1 || e.column.is_empty()) {
        return None;
    }
    let bad: HashSet<usize> = errors.iter().map(|e| e.row).collect();
    let header = table.first()?;
    let mut platform = None;
    let mut out = Vec::new();
    for (i, r) in table.iter().enumerate().skip(1) {
        if bad.contains(&(i + 1)) {
            continue;
        }
        if let Ok((p, rows)) = stats::read(&[header.clone(), r.clone()]) {
            platform = Some(p);
            out.extend(rows.into_iter().map(|s| StatRow { row: i + 1, ..s }));
        }
    }
    Some((platform?, out))
}

/// POST /outreach/stats/import
pub async fn import(
    State(state): State<AppState>,
    web: Web,
    upload: Result<Upload, WebError>,
) -> Result<Response, WebError> {
    let actor = web.actor().clone();
    let mut page = page(&web);
    let upload = match upload {
        Ok(u) => u,
        Err(e @ (WebError::Csrf | WebError::TooLarge)) => return Err(e),
        Err(e) => {
            page.error = Some((e.code(), e.message(page.ctx.lang)));
            return Ok(unprocessable(page));
        }
    };
    page.file_name = upload.file.name.clone();
    page.account = upload.fields.get("account").map(|a| a.trim().chars().take(60).collect()).unwrap_or_default();
    let account = Some(page.account.as_str()).filter(|a| !a.is_empty()).map(str::to_string);
    let bytes = upload.file.read().await?;
    let table = match xlsx::read_table(&bytes, &upload.file.name, true) {
        Ok(t) => t,
        Err(e) => {
            page.error = Some((e.code(), e.message(page.ctx.lang)));
            return Ok(unprocessable(page));
        }
    };
    match stats::read(&table) {
        Ok((platform, rows)) => {
            match state
                .store
                .import_platform_stats(&actor, platform, &rows, &upload.file.name, account.as_deref())
                .await
            {
                Ok(report) => {
                    page.report = Some(report);
                    Ok(page.into_response())
                }
                Err(StoreError::Roster(errors)) => {
                    page.errors = errors;
                    Ok(unprocessable(page))
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(StatsError::UnknownFormat) => {
            let code = "stats_unknown_format";
            page.error = Some((code, page.ctx.error(code)));
            Ok(unprocessable(page))
        }
        Err(StatsError::Rows(mut errors)) => {
            if let Some((platform, rows)) = readable_rows(&table, &errors) {
                errors.extend(state.store.check_platform_stats(&actor, platform, &rows, account.as_deref()).await?);
            }
            errors.sort_by_key(|e| e.row);
            page.errors = errors;
            Ok(unprocessable(page))
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct TemplateQuery {
    #[serde(default)]
    pub platform: String,
}

/// GET /outreach/stats/template.xlsx?platform=wechat|short_video: an empty sheet with the
/// columns the import reads, for figures copied by hand from a platform's page.
pub async fn template(
    _web: Web,
    crate::form::Query(q): crate::form::Query<TemplateQuery>,
) -> Result<Response, WebError> {
    let f = FORMATS.iter().find(|f| f.platform == q.platform).unwrap_or(&FORMATS[0]);
    let header: Vec<&str> = f.columns.iter().map(|c| c.name).collect();
    let name = if f.platform == "wechat" { "公众号数据" } else { "短视频数据" };
    let bytes = xlsx::write_rows(name, &header, &[])?;
    Ok(xlsx::download(bytes, &format!("{name}导入模板.xlsx")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn the_help_names_columns_the_reader_takes() {
        for f in &FORMATS {
            let header: Vec<&str> = f.columns.iter().map(|c| c.name).collect();
            let row: Vec<&str> = header
                .iter()
                .map(|h| {
                    if h.contains("时间") {
                        "2026-05-20"
                    } else if h.contains("名称") || h.contains("标题") {
                        "台风来了怎么办"
                    } else {
                        "12"
                    }
                })
                .collect();
            let (platform, rows) = stats::read(&sheet(&[&header, &row])).unwrap();
            assert_eq!(serde_json::to_value(platform).unwrap(), f.platform);
            assert_eq!(rows[0].reach, 12);
        }
    }

    #[test]
    fn rows_that_read_are_kept_with_their_numbers() {
        let t = sheet(&[
            &["内容标题", "发表时间", "阅读次数"],
            &["台风来了怎么办", "2026-05-20", "1.2万"],
            &["秋冬季流感防护指南", "2026-05-21", "很多"],
            &["", "", ""],
            &["夏季防溺水安全知识", "2026-05-22", "800"],
        ]);
        let StatsError::Rows(errors) = stats::read(&t).unwrap_err() else { panic!() };
        let (platform, rows) = readable_rows(&t, &errors).unwrap();
        assert_eq!(platform, Platform::Wechat);
        assert_eq!(rows.iter().map(|r| (r.row, r.reach)).collect::<Vec<_>>(), [(2, 12_000), (5, 800)]);
        let no_date = sheet(&[&["内容标题", "阅读次数"], &["台风", "1"]]);
        let StatsError::Rows(errors) = stats::read(&no_date).unwrap_err() else { panic!() };
        assert!(readable_rows(&no_date, &errors).is_none());
    }
}
