//! Certificates of service: a page to print (or save as PDF from the browser's print
//! dialog, laid out for A4) and a Word document for those who add a seal and sign.

use crate::AppState;
use crate::error::WebError;
use crate::form::Id;
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use docx_rs::{AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType};
use kexie_core::volunteer::certificate::{Certificate, date_zh, unbreakable};

#[derive(Template, WebTemplate)]
#[template(path = "volunteer/certificate.html")]
pub struct CertificatePage {
    pub ctx: PageCtx,
    pub c: Certificate,
    pub docx: String,
    pub back: String,
}

impl CertificatePage {
    pub fn stars(&self) -> String {
        super::stars(&self.c.stars)
    }
    /// A date as the certificate writes it (`2026年3月2日`); the page keeps it on one line.
    pub fn date(&self, d: impl AsDate) -> String {
        date_zh(d.date())
    }
}

/// A date however deeply a template borrows it.
pub trait AsDate {
    fn date(&self) -> NaiveDate;
}

impl AsDate for NaiveDate {
    fn date(&self) -> NaiveDate {
        *self
    }
}

impl<T: AsDate + ?Sized> AsDate for &T {
    fn date(&self) -> NaiveDate {
        (**self).date()
    }
}

/// The issuer is the association's registered name from the configuration, never derived
/// from the region's name.
fn issuer(state: &AppState) -> &str {
    &state.config.association_name
}

/// The signed-in volunteer's id, or the page that says this account is not a volunteer's.
async fn own_id(state: &AppState, web: &Web) -> Result<Result<i64, Response>, WebError> {
    match state.store.my_volunteer(web.actor()).await {
        Ok(v) => Ok(Ok(v.row.v.id)),
        Err(kexie_store::StoreError::NotFound) => Ok(Err(super::me::not_volunteer(web))),
        Err(e) => Err(e.into()),
    }
}

pub async fn page(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<CertificatePage, WebError> {
    let c = state.store.certificate(web.actor(), id, issuer(&state)).await?;
    Ok(CertificatePage {
        ctx: web.ctx(),
        c,
        docx: format!("/volunteers/{id}/certificate.docx"),
        back: format!("/volunteers/{id}"),
    })
}

pub async fn my_page(State(state): State<AppState>, web: Web) -> Result<Response, WebError> {
    let id = match own_id(&state, &web).await? {
        Ok(id) => id,
        Err(page) => return Ok(page),
    };
    let c = state.store.certificate(web.actor(), id, issuer(&state)).await?;
    let page = CertificatePage {
        ctx: web.ctx(),
        c,
        docx: "/me/volunteer/certificate.docx".into(),
        back: "/me/volunteer".into(),
    };
    Ok(page.into_response())
}

pub async fn docx(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let c = state.store.certificate(web.actor(), id, issuer(&state)).await?;
    word(&c)
}

pub async fn my_docx(State(state): State<AppState>, web: Web) -> Result<Response, WebError> {
    let id = match own_id(&state, &web).await? {
        Ok(id) => id,
        Err(page) => return Ok(page),
    };
    let c = state.store.certificate(web.actor(), id, issuer(&state)).await?;
    word(&c)
}

fn text(s: &str, size: usize, bold: bool) -> Run {
    let r = Run::new().add_text(s).size(size).fonts(RunFonts::new().east_asia("宋体"));
    if bold { r.bold() } else { r }
}

fn para(s: &str, size: usize, bold: bool) -> Paragraph {
    Paragraph::new().add_run(text(s, size, bold))
}

fn cell(s: &str) -> TableCell {
    TableCell::new().add_paragraph(para(s, 21, false))
}

/// The certificate as a .docx: title, the statement, the services table, issuer and date.
pub fn render_docx(c: &Certificate) -> Result<Vec<u8>, WebError> {
    // Word breaks Chinese text between any two characters: dates are joined so none wraps.
    let date = |d: NaiveDate| unbreakable(&date_zh(d));
    let period = match (c.from, c.to) {
        (Some(f), Some(t)) => format!("{}至{}", date(f), date(t)),
        _ => "—".to_string(),
    };
    let statement = format!(
        "兹证明{}（身份证号：{}）{}参加志愿服务{}次，累计志愿服务时长{}小时，其中参加培训{}小时{}。",
        c.name,
        c.id_number,
        if c.from.is_some() { format!("于{period}") } else { String::new() },
        c.services,
        c.total_hours,
        c.training_hours,
        if c.stars > 0 { format!("，为{}星级志愿者", c.stars) } else { String::new() },
    );
    // Column widths in twips (A4 less margins is about 9,000): the date column holds
    // 2026年12月31日 on one line.
    let widths = [2000, 2600, 1700, 1000, 1700];
    let row = |texts: [&str; 5]| {
        TableRow::new(texts.iter().zip(widths).map(|(t, w)| cell(t).width(w, WidthType::Dxa)).collect())
    };
    let mut rows = vec![row(["服务日期", "服务内容", "服务地点", "时长（小时）", "证明单位"])];
    for l in &c.lines {
        rows.push(row([&date(l.served_on), &l.service, &l.place, &l.hours, &l.certified_by]));
    }
    let mut doc = Docx::new()
        .add_paragraph(para("志愿服务记录证明", 44, true).align(AlignmentType::Center))
        .add_paragraph(para(&format!("编号：{}", c.number), 21, false).align(AlignmentType::Right))
        .add_paragraph(para(&statement, 28, false))
        .add_paragraph(para(
            &format!("所在服务队：{}", if c.teams.is_empty() { "—".to_string() } else { c.teams.join("、") }),
            24,
            false,
        ))
        .add_table(Table::new(rows).set_grid(widths.to_vec()));
    for h in &c.honours {
        let month = unbreakable(&format!("{}年{}月", h.awarded_on.year(), h.awarded_on.month()));
        let line = format!("表彰奖励：{month}，{}授予“{}”", h.awarded_by, h.title);
        doc = doc.add_paragraph(para(&line, 24, false));
    }
    let doc = doc
        .add_paragraph(para(
            "本证明依据《志愿服务记录与证明出具办法》（民政部令第67号）出具，记录可向出具单位查询核实。",
            21,
            false,
        ))
        .add_paragraph(para(&format!("出具单位：{}（盖章）", c.issuer), 24, false).align(AlignmentType::Right))
        .add_paragraph(para(&date(c.issued_on), 24, false).align(AlignmentType::Right));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(out.into_inner())
}

fn word(c: &Certificate) -> Result<Response, WebError> {
    let bytes = render_docx(c)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    );
    let name = format!("志愿服务记录证明-{}.docx", c.name);
    let disposition =
        format!("attachment; filename=\"certificate.docx\"; filename*=UTF-8''{}", urlencoding::encode(&name));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).map_err(|e| WebError::Internal(e.to_string()))?,
    );
    Ok(res)
}
