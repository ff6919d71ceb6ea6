//! Resources handed out (资源发放): books, courseware, resource packs and exhibits sent to towns,
//! schools and communities, with quantities, totals by kind, and the recipient's signed receipt
//! (a scan, checked by content and kept by its hash). Towns see what they received; the
//! association's staff record and sign.

use crate::error::WebError;
use crate::form::{Form, Id, MaybeUpload, Query};
use crate::i18n::Lang;
use crate::view::{PageCtx, Pager, Web, see_other, unprocessable};
use crate::{AppState, xlsx};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, Utc};
use kexie_core::Invalid;
use kexie_core::estation::media;
use kexie_core::estation::proof::day_of;
use kexie_core::outreach::distribution::{DistributionForm, RESOURCE_KINDS, check_receipt};
use kexie_core::page::{Page, PageRequest};
use kexie_core::region::{RegionNode, RegionTree};
use kexie_store::entity::distribution;

/// Largest scanned receipt.
pub const RECEIPT_MAX: u64 = 10 * 1024 * 1024;

/// Checks a scanned receipt by what it contains: a JPEG, PNG or WebP image, or a PDF, within
/// `RECEIPT_MAX`. Its media type, or the code of what is wrong.
pub fn check_receipt_file<'a>(
    file_name: &str,
    file: impl Into<media::Sample<'a>>,
) -> Result<&'static str, &'static str> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let file = file.into();
    if ext != "pdf" {
        return media::check_image(file_name, file, RECEIPT_MAX).map(|k| k.media_type);
    }
    if file.size == 0 {
        Err("media_empty")
    } else if file.size > RECEIPT_MAX {
        Err("media_too_large")
    } else if !file.head.starts_with(b"%PDF-") {
        Err("media_content_mismatch")
    } else {
        Ok("application/pdf")
    }
}

/// What a stored receipt is, from its first bytes (it was checked when it came in).
fn receipt_type(bytes: &[u8]) -> (&'static str, &'static str) {
    if bytes.starts_with(b"%PDF-") {
        ("application/pdf", "pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("image/jpeg", "jpg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        ("image/png", "png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        ("image/webp", "webp")
    } else {
        ("application/octet-stream", "bin")
    }
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub town: String,
    /// "yes", "no" or "" for both.
    #[serde(default)]
    pub signed: String,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// After a write: the record just created or signed, to point at.
    pub created: Option<i64>,
    pub done: Option<i64>,
}

impl ListQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![("q", self.q.clone()), ("town", self.town.clone()), ("signed", self.signed.clone())]
    }
    fn town_id(&self) -> Result<Option<i64>, WebError> {
        match self.town.trim() {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| WebError::BadRequest("malformed_query")),
        }
    }
}

/// A hand-out as the list shows it.
pub struct Row {
    pub d: distribution::Model,
    pub town: String,
    pub place: String,
}

pub struct KindTotal {
    pub kind: &'static str,
    pub count: usize,
    pub quantity: i64,
}

/// The sign form of one record, filled in again after a mistake.
#[derive(Default)]
pub struct SignState {
    pub id: i64,
    pub signed_by: String,
    pub signed_on: String,
    pub errors: Invalid,
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/distributions.html", blocks = ["results"])]
pub struct ListPage {
    pub ctx: PageCtx,
    pub q: ListQuery,
    pub rows: Vec<Row>,
    pub pager: Pager,
    pub towns: Vec<RegionNode>,
    pub totals: Vec<KindTotal>,
    pub total_quantity: i64,
    pub can_edit: bool,
    pub kinds: [&'static str; 5],
    pub regions: Vec<(i64, String)>,
    pub f: DistributionForm,
    pub errors: Invalid,
    pub sign: SignState,
    pub today: String,
}

impl ListPage {
    pub fn kind_label(&self, code: &str) -> String {
        self.ctx.label("ot.dist_kind_label", code)
    }
    /// The sign form's value or error for a record's row.
    pub fn sign_value(&self, id: impl std::borrow::Borrow<i64>, field: &str) -> String {
        let id = *id.borrow();
        if self.sign.id != id {
            return if field == "signed_on" { self.today.clone() } else { String::new() };
        }
        match field {
            "signed_by" => self.sign.signed_by.clone(),
            _ => self.sign.signed_on.clone(),
        }
    }
    pub fn sign_error(&self, id: impl std::borrow::Borrow<i64>, field: &str) -> String {
        let id = *id.borrow();
        if self.sign.id == id { self.ctx.err(&self.sign.errors, field) } else { String::new() }
    }
    pub fn sign_open(&self, id: impl std::borrow::Borrow<i64>) -> bool {
        self.sign.id == *id.borrow()
    }
}

fn matches(row: &Row, text: &str) -> bool {
    let d = &row.d;
    text.is_empty()
        || d.resource.contains(text)
        || d.recipient.contains(text)
        || row.place.contains(text)
        || d.signed_by.as_deref().is_some_and(|s| s.contains(text))
        || d.note.as_deref().is_some_and(|s| s.contains(text))
}

/// The caller's hand-outs (scoped by the store) that the filters keep, newest first.
async fn filtered(
    state: &AppState,
    web: &Web,
    q: &ListQuery,
) -> Result<(Vec<Row>, std::sync::Arc<RegionTree>), WebError> {
    let tree = state.store.regions().await?;
    let town = q.town_id()?;
    let within = town.map(|t| tree.subtree_ids(t));
    let text: String = q.q.trim().chars().take(50).collect();
    let rows = state
        .store
        .list_distributions(web.actor())
        .await?
        .into_iter()
        .filter(|d| within.as_ref().is_none_or(|w| w.contains(&d.region_id)))
        .filter(|d| match q.signed.as_str() {
            "yes" => d.signed_on.is_some(),
            "no" => d.signed_on.is_none(),
            _ => true,
        })
        .map(|d| Row {
            town: tree.town_of(d.region_id).map(|t| t.name.clone()).unwrap_or_default(),
            place: tree.display_name(d.region_id),
            d,
        })
        .filter(|r| matches(r, &text))
        .collect();
    Ok((rows, tree))
}

fn totals(rows: &[Row]) -> Vec<KindTotal> {
    RESOURCE_KINDS
        .iter()
        .map(|k| {
            let of: Vec<&Row> = rows.iter().filter(|r| r.d.resource_kind == *k).collect();
            KindTotal { kind: k, count: of.len(), quantity: of.iter().map(|r| i64::from(r.d.quantity)).sum() }
        })
        .filter(|t| t.count > 0)
        .collect()
}

fn today() -> NaiveDate {
    day_of(Utc::now())
}

async fn list_page(
    state: &AppState,
    web: &Web,
    q: ListQuery,
    f: DistributionForm,
    errors: Invalid,
    sign: SignState,
) -> Result<ListPage, WebError> {
    let (rows, tree) = filtered(state, web, &q).await?;
    let totals = totals(&rows);
    let total_quantity = totals.iter().map(|t| t.quantity).sum();
    let req = PageRequest::new(q.page, q.per_page);
    let total = rows.len() as u64;
    let start = ((req.page - 1) * req.per_page) as usize;
    let items: Vec<Row> = rows.into_iter().skip(start).take(req.per_page as usize).collect();
    let page = Page { items, total, page: req.page, per_page: req.per_page };
    let mut regions: Vec<(String, i64, String)> = tree
        .all()
        .filter(|r| r.kind.level() >= 1 && web.actor().scope.covers_region(&r.path))
        .map(|r| (r.path.clone(), r.id, tree.display_name(r.id)))
        .collect();
    regions.sort();
    Ok(ListPage {
        pager: Pager::new(&page, "/outreach/distributions", &q.pairs()),
        rows: page.items,
        towns: tree.towns_in(&web.actor().scope).into_iter().cloned().collect(),
        totals,
        total_quantity,
        can_edit: super::edits(web),
        kinds: RESOURCE_KINDS,
        regions: regions.into_iter().map(|(_, id, name)| (id, name)).collect(),
        f,
        errors,
        sign,
        today: today().to_string(),
        ctx: web.ctx(),
        q,
    })
}

fn blank_form() -> DistributionForm {
    DistributionForm { sent_on: today().to_string(), ..Default::default() }
}

/// GET /outreach/distributions
pub async fn list(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let page = list_page(&state, &web, q, blank_form(), Invalid::default(), SignState::default()).await?;
    if web.htmx {
        return crate::view::fragment(page.as_results());
    }
    Ok(page.into_response())
}

/// GET /outreach/distributions/export.xlsx (the list's filters apply).
pub async fn export(State(state): State<AppState>, web: Web, Query(q): Query<ListQuery>) -> Result<Response, WebError> {
    let (rows, _) = filtered(&state, &web, &q).await?;
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let d = &r.d;
            vec![
                d.resource.clone(),
                Lang::Zh.label("ot.dist_kind_label", &d.resource_kind),
                d.quantity.to_string(),
                d.recipient.clone(),
                r.town.clone(),
                r.place.clone(),
                d.sent_on.to_string(),
                d.signed_by.clone().unwrap_or_default(),
                date(d.signed_on),
                if d.receipt_sha.is_some() { "有" } else { "无" }.to_string(),
                d.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let header = [
        "资源名称",
        "类别",
        "数量",
        "接收单位",
        "所属镇（街道）",
        "接收区域",
        "发放日期",
        "签收人",
        "签收日期",
        "签收单",
        "备注",
    ];
    let bytes = xlsx::write_rows("资源发放", &header, &out)?;
    Ok(xlsx::download(bytes, &format!("资源发放-{}.xlsx", today().format("%Y%m%d"))))
}

/// POST /outreach/distributions: the list again with the form's errors (422), or to the list.
pub async fn create(
    State(state): State<AppState>,
    web: Web,
    Form(f): Form<DistributionForm>,
) -> Result<Response, WebError> {
    let result = match f.check(today()) {
        Ok(input) => state.store.create_distribution(web.actor(), &input).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(id) => Ok(see_other(&format!("/outreach/distributions?created={id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            Ok(unprocessable(list_page(&state, &web, ListQuery::default(), f, e, SignState::default()).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /outreach/distributions/{id}/sign (multipart: `signed_by`, `signed_on`, optional
/// `file`, the scanned receipt). Nothing is stored unless everything is right.
pub async fn sign(State(state): State<AppState>, web: Web, Id(id): Id, up: MaybeUpload) -> Result<Response, WebError> {
    let actor = web.actor();
    let d = state.store.get_distribution(actor, id).await?;
    if !super::edits(&web) {
        return Err(WebError::Forbidden);
    }
    let (signed_by, signed_on) = (up.field("signed_by"), up.field("signed_on"));
    let mut errors = Invalid::default();
    let checked = match check_receipt(&signed_by, &signed_on, d.sent_on, today()) {
        Ok(v) => Some(v),
        Err(e) => {
            errors = e;
            None
        }
    };
    if let Some(received) = &up.file
        && let Err(code) = check_receipt_file(&received.name, received.sample())
    {
        errors.push("file", code);
    }
    let again = |errors: Invalid| SignState { id, signed_by: signed_by.clone(), signed_on: signed_on.clone(), errors };
    let Some((by, on)) = checked.filter(|_| errors.is_empty()) else {
        let page =
            list_page(&state, &web, ListQuery::default(), blank_form(), Invalid::default(), again(errors)).await?;
        return Ok(unprocessable(page));
    };
    let sha = match up.file {
        Some(received) => Some(received.store(&state).await?.0),
        None => None,
    };
    match state.store.sign_distribution(actor, id, &by, on, sha).await {
        Ok(()) => Ok(see_other(&format!("/outreach/distributions?done={id}"))),
        Err(kexie_store::StoreError::Invalid(e)) => Ok(unprocessable(
            list_page(&state, &web, ListQuery::default(), blank_form(), Invalid::default(), again(e)).await?,
        )),
        Err(e) => Err(e.into()),
    }
}

/// GET /outreach/distributions/{id}/receipt: the scan, shown in place, to those who may see
/// the record.
pub async fn receipt(State(state): State<AppState>, web: Web, Id(id): Id) -> Result<Response, WebError> {
    let d = state.store.get_distribution(web.actor(), id).await?;
    let sha = d
        .receipt_sha
        .filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or(WebError::NotFound)?;
    let bytes = tokio::fs::read(state.config.media_dir().join(&sha)).await.map_err(|_| WebError::NotFound)?;
    let (media_type, ext) = receipt_type(&bytes);
    let name = format!("签收单-{}-{id}.{ext}", d.recipient.replace(['/', '\\', '"'], "_"));
    let disposition =
        format!("inline; filename=\"receipt-{id}.{ext}\"; filename*=UTF-8''{}", urlencoding::encode(&name));
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_checked_by_content() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        assert_eq!(check_receipt_file("签收单.png", &png), Ok("image/png"));
        assert_eq!(check_receipt_file("签收单.PDF", b"%PDF-1.7\n%\xe2\xe3"), Ok("application/pdf"));
        assert_eq!(check_receipt_file("签收单.pdf", &png), Err("media_content_mismatch"));
        assert_eq!(check_receipt_file("签收单.exe", b"MZ\x90\0"), Err("media_type_unknown"));
        assert_eq!(check_receipt_file("签收单.pdf", b""), Err("media_empty"));
        assert_eq!(check_receipt_file("签收单.html", b"<html>"), Err("media_type_unknown"));
        let mut big = b"%PDF-1.4".to_vec();
        big.resize(RECEIPT_MAX as usize + 1, b' ');
        assert_eq!(check_receipt_file("签收单.pdf", &big), Err("media_too_large"));
        assert_eq!(receipt_type(b"%PDF-1.4"), ("application/pdf", "pdf"));
        assert_eq!(receipt_type(&png).0, "image/png");
    }
}
