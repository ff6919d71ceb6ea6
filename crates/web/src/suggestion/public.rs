//! The public pages: the suggestion form (a phone's screen, reached by the QR code on a
//! 科普e站), the follow-up page behind the citizen's private link (status, answer, rating),
//! and the answers made public.

use crate::AppState;
use crate::auth::{Caller, client_ip, sha256_hex};
use crate::error::WebError;
use crate::form::{Form, Query};
use crate::i18n::Lang;
use crate::public::{HONEYPOT, Question, csrf_ok, public_csrf, with_csrf_cookie};
use crate::view::{PageCtx, Pager, see_other};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::page::PageRequest;
use kexie_core::privacy::consented;
use kexie_core::suggestion::{self as rules, CATEGORIES, RatingForm, Status, SuggestionForm};
use kexie_store::NewPhoto;
use kexie_store::suggestion::{CitizenView, NewSuggestion, PublicAnswer};
use std::net::SocketAddr;

/// The body limit of the form: three photos at their limit, and the text around them.
pub const BODY_LIMIT: usize = (rules::MAX_PHOTOS as u64 * rules::MAX_PHOTO_MB * 1024 * 1024) as usize + 512 * 1024;

/// The field people never see; a bot that fills every field fills this one too.

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub f: SuggestionForm,
    pub campaign: String,
    pub errors: Invalid,
    /// A problem with the whole submission (expired page, too large), as a sentence.
    pub alert: Option<String>,
    pub question: Question,
    pub towns: Vec<(i64, String)>,
    pub categories: [&'static str; 5],
    pub min_text: usize,
    pub max_text: usize,
    pub body_hint: String,
    pub photos_hint: String,
    /// The consent box as the person left it.
    pub consent: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FormQuery {
    /// The campaign whose QR code was scanned.
    #[serde(default)]
    pub c: String,
}

fn campaign_param(v: &str) -> String {
    v.trim().parse::<i64>().ok().filter(|c| *c > 0).map(|c| c.to_string()).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    lang: Lang,
    csrf: String,
    f: SuggestionForm,
    campaign: String,
    errors: Invalid,
    alert: Option<String>,
    consent: bool,
) -> Result<FormPage, WebError> {
    let question = state.challenges.question(lang);
    let towns = crate::region::towns(&*state.store.regions().await?, &kexie_core::scope::Scope::All);
    Ok(FormPage {
        ctx: PageCtx::public(lang, &state.config, "/suggest"),
        csrf,
        f,
        campaign,
        errors,
        alert,
        question,
        towns,
        categories: CATEGORIES,
        min_text: rules::MIN_TEXT,
        max_text: rules::MAX_TEXT,
        body_hint: lang
            .t_with("sg.body_hint", &[("min", &rules::MIN_TEXT.to_string()), ("max", &rules::MAX_TEXT.to_string())]),
        photos_hint: lang.t_with(
            "sg.photos_hint",
            &[("n", &rules::MAX_PHOTOS.to_string()), ("mb", &rules::MAX_PHOTO_MB.to_string())],
        ),
        consent,
    })
}

pub async fn form(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<FormQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page =
        form_page(&state, lang, csrf, SuggestionForm::default(), campaign_param(&q.c), Invalid::default(), None, false)
            .await?;
    Ok(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies))
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/notice.html")]
pub struct NoticePage {
    pub ctx: PageCtx,
    pub code: &'static str,
    pub message: String,
    pub back: &'static str,
}

/// A flood from one address: a clear page that says when to try again, and nothing read.
fn too_many(state: &AppState, lang: Lang, wait: u64) -> Response {
    let minutes = wait.div_ceil(60).max(1).to_string();
    let page = NoticePage {
        ctx: PageCtx::public(lang, &state.config, "/suggest"),
        code: "rate_limited",
        message: lang.t_with("sg.too_many", &[("minutes", &minutes)]),
        back: "/suggest",
    };
    let mut res = (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.max(1)));
    res
}

/// What the multipart form carried.
struct Submitted {
    fields: std::collections::HashMap<String, String>,
    photos: Vec<crate::form::UploadedFile>,
    too_many_photos: bool,
}

async fn read_form(req: Request, state: &AppState) -> Result<Submitted, WebError> {
    use axum::extract::FromRequest;
    let mut mp = axum::extract::Multipart::from_request(req, state)
        .await
        .map_err(|_| WebError::BadRequest("malformed_upload"))?;
    let too_large = crate::form::multipart_error;
    let mut out = Submitted { fields: Default::default(), photos: Vec::new(), too_many_photos: false };
    while let Some(field) = mp.next_field().await.map_err(too_large)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photos" {
            let photo = crate::form::spool(state, field).await?;
            // A form sent with no photo chosen carries an empty, nameless part.
            if photo.size == 0 && photo.name.is_empty() {
                continue;
            }
            if out.photos.len() == rules::MAX_PHOTOS {
                out.too_many_photos = true;
                continue;
            }
            out.photos.push(photo);
        } else if !name.is_empty() {
            out.fields.insert(name, crate::form::text_field(field).await?);
        }
    }
    Ok(out)
}

/// Receives a suggestion. The address's allowance is taken before the body is read; the
/// checks all run before anything is written; the photos are written by content, then the
/// record in one transaction; the citizen lands on their follow-up page.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    caller: Caller,
    req: Request,
) -> Result<Response, WebError> {
    let headers = req.headers().clone();
    let lang = Lang::from_headers(&headers);
    let address = client_ip(&headers, Some(peer), state.config.trust_proxy);
    if let Err(wait) = state.suggest_limiter.check(&format!("suggest:{address}")) {
        tracing::info!(%address, "suggestion rate limited");
        return Ok(too_many(&state, lang, wait));
    }
    let (csrf, new) = public_csrf(&caller, &headers);
    let secure = state.config.secure_cookies;
    let sub = match read_form(req, &state).await {
        Ok(s) => s,
        Err(WebError::TooLarge) => {
            let alert = Some(lang.error("suggestion_too_large", Some(&rules::MAX_PHOTO_MB.to_string())));
            let blank = SuggestionForm::default();
            let page = form_page(&state, lang, csrf, blank, String::new(), Invalid::default(), alert, false).await?;
            // 422, not 413: the error page would stand in for a 413, and the citizen needs the
            // form again with the reason.
            return Ok(with_csrf_cookie((StatusCode::UNPROCESSABLE_ENTITY, page).into_response(), new, secure));
        }
        Err(e) => return Err(e),
    };
    let field = |k: &str| sub.fields.get(k).cloned().unwrap_or_default();
    let f = SuggestionForm {
        category: field("category"),
        body: field("body"),
        name: field("name"),
        phone: field("phone"),
        region_id: field("region_id"),
    };
    let campaign = campaign_param(&field("c"));
    let ticked = field("consent");
    let again = |errors: Invalid, alert: Option<String>, status: StatusCode| {
        let (state, csrf, new, f, campaign) = (&state, csrf.clone(), new.clone(), f.clone(), campaign.clone());
        let ticked = ticked == "yes";
        async move {
            let page = form_page(state, lang, csrf, f, campaign, errors, alert, ticked).await?;
            Ok::<_, WebError>(with_csrf_cookie((status, page).into_response(), new, secure))
        }
    };
    if !csrf_ok(&caller, &headers, &field("_csrf")) {
        return again(Invalid::default(), Some(lang.error("csrf_mismatch", None)), StatusCode::FORBIDDEN).await;
    }
    let mut errors = Invalid::default();
    let nonce = match state.challenges.verify(&field("challenge"), &field("answer"), &field(HONEYPOT)) {
        Ok(n) => Some(n),
        Err(code) => {
            errors.push("answer", code);
            None
        }
    };
    let input = match consented(f.check(), &ticked, chrono::Utc::now()) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    let mut photos = Vec::new();
    if sub.too_many_photos {
        errors.push_arg("photos", "too_many_photos", rules::MAX_PHOTOS);
    }
    for photo in sub.photos {
        match rules::check_photo(&photo.name, photo.sample()) {
            Ok(media_type) => photos.push((media_type, photo)),
            Err(code) => {
                if errors.for_field("photos").is_none() {
                    errors.push_arg("photos", code, rules::MAX_PHOTO_MB);
                }
            }
        }
    }
    let (Some((input, consent)), Some(nonce), true) = (input, nonce, errors.is_empty()) else {
        return again(errors, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    if !state.challenges.spend(&nonce) {
        return again(Invalid::one("answer", "challenge_expired"), None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    // Files first (by content, so a failure later leaves nothing that names them), then the
    // record in one transaction.
    let mut stored = Vec::with_capacity(photos.len());
    for (media_type, photo) in photos {
        let (sha256, size) = photo.store(&state).await?;
        stored.push(NewPhoto { sha256, media_type: media_type.to_string(), size });
    }
    let token = crate::auth::random_token(32);
    let new_suggestion = NewSuggestion {
        input,
        campaign_id: campaign.parse().ok(),
        photos: stored,
        token_hash: sha256_hex(&token),
        consent,
    };
    match state.store.submit_suggestion(&new_suggestion).await {
        Ok(_) => Ok(see_other(&format!("/suggest/t/{token}?new=1"))),
        Err(kexie_store::StoreError::Invalid(e)) => again(e, None, StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/followup.html")]
pub struct FollowUpPage {
    pub ctx: PageCtx,
    pub csrf: String,
    pub token: String,
    pub s: CitizenView,
    pub fresh: bool,
    pub rated_now: bool,
    pub can_rate: bool,
    pub f: RatingForm,
    pub errors: Invalid,
    pub link: String,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct FollowUpQuery {
    #[serde(default)]
    pub new: Option<String>,
    #[serde(default)]
    pub rated: Option<String>,
}

fn token_ok(t: &str) -> bool {
    (20..=64).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[allow(clippy::too_many_arguments)]
async fn follow_up_page(
    state: &AppState,
    headers: &HeaderMap,
    lang: Lang,
    csrf: String,
    token: &str,
    f: RatingForm,
    errors: Invalid,
    q: &FollowUpQuery,
) -> Result<FollowUpPage, WebError> {
    if !token_ok(token) {
        return Err(WebError::NotFound);
    }
    let s = state.store.suggestion_by_token(&sha256_hex(token)).await?;
    Ok(FollowUpPage {
        ctx: PageCtx::public(lang, &state.config, "/suggest"),
        csrf,
        can_rate: rules::can_rate(s.status, s.rating.is_some()),
        link: format!("{}/suggest/t/{token}", crate::public::base_url(&state.config, headers)),
        token: token.to_string(),
        s,
        fresh: q.new.is_some(),
        rated_now: q.rated.is_some(),
        f,
        errors,
    })
}

pub async fn follow_up(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(q): Query<FollowUpQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    let (csrf, new) = public_csrf(&caller, &headers);
    let page =
        follow_up_page(&state, &headers, lang, csrf, &token, RatingForm::default(), Invalid::default(), &q).await?;
    Ok(with_csrf_cookie(page.into_response(), new, state.config.secure_cookies))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct RateForm {
    #[serde(rename = "_csrf", default)]
    pub csrf: String,
    #[serde(flatten)]
    pub f: RatingForm,
}

pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(form): Form<RateForm>,
) -> Result<Response, WebError> {
    let lang = Lang::from_headers(&headers);
    if !token_ok(&token) {
        return Err(WebError::NotFound);
    }
    if !csrf_ok(&caller, &headers, &form.csrf) {
        return Err(WebError::Csrf);
    }
    let result = match form.f.check() {
        Ok(r) => state.store.rate_suggestion(&sha256_hex(&token), &r).await,
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("/suggest/t/{token}?rated=1"))),
        Err(kexie_store::StoreError::Invalid(e)) => {
            let (csrf, new) = public_csrf(&caller, &headers);
            let q = FollowUpQuery::default();
            let page = follow_up_page(&state, &headers, lang, csrf, &token, form.f, e, &q).await?;
            let res = (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
            Ok(with_csrf_cookie(res, new, state.config.secure_cookies))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "suggestion/answers.html")]
pub struct AnswersPage {
    pub ctx: PageCtx,
    pub rows: Vec<PublicAnswer>,
    pub pager: Pager,
    pub category: String,
    pub categories: [&'static str; 5],
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AnswersQuery {
    #[serde(default)]
    pub category: String,
    pub page: Option<u64>,
}

pub async fn answers(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<AnswersQuery>,
) -> Result<AnswersPage, WebError> {
    let lang = Lang::from_headers(&headers);
    let category = CATEGORIES.iter().find(|c| **c == q.category).map(|c| c.to_string()).unwrap_or_default();
    let list = state.store.public_answers(Some(&category), PageRequest::new(q.page, Some(10))).await?;
    Ok(AnswersPage {
        ctx: PageCtx::public(lang, &state.config, "/suggest/answers"),
        pager: Pager::new(&list, "/suggest/answers", &[("category", category.clone())]),
        rows: list.items,
        category,
        categories: CATEGORIES,
    })
}

/// For templates: the status as a tag's class.
pub fn status_class(s: &Status) -> &'static str {
    match s {
        Status::Received | Status::Accepted => "",
        Status::Rejected => "tag-muted",
        Status::Assigned => "tag-warn",
        Status::Answered | Status::Closed => "tag-ok",
    }
}
