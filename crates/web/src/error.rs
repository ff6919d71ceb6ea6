//! One error type for the HTTP layer, turned into a response in one place. Handlers return a
//! `WebError`; it becomes a bare response carrying an `ErrorInfo`, and `render` (a middleware
//! that knows the request's language and whether it is a page, a partial or the API) writes
//! the body. Database details are logged, never shown.

use crate::i18n::Lang;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kexie_core::Invalid;
use kexie_core::org::roster::RowError;
use kexie_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    LoginRequired,
    #[error("session expired")]
    SessionExpired,
    #[error("csrf token mismatch")]
    Csrf,
    #[error("too many requests")]
    RateLimited(u64),
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("invalid input")]
    Invalid(Invalid),
    #[error("roster rejected")]
    Roster(Vec<RowError>),
    #[error("payload too large")]
    TooLarge,
    /// A file beyond one of the bounds its reader keeps (a spreadsheet bomb): the code and
    /// the bound, which the message names.
    #[error("file beyond a limit: {0} {1}")]
    FileLimit(&'static str, u64),
    #[error("internal: {0}")]
    Internal(String),
}

/// What `render` needs to write the body; attached to the bare response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub fields: Vec<kexie_core::FieldError>,
    pub retry_after: Option<u64>,
    pub arg: Option<String>,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::LoginRequired | Self::SessionExpired => StatusCode::UNAUTHORIZED,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Invalid(_) | Self::Roster(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooLarge | Self::FileLimit(..) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Forbidden => "forbidden",
            Self::LoginRequired => "login_required",
            Self::SessionExpired => "session_expired",
            Self::Csrf => "csrf_mismatch",
            Self::RateLimited(_) => "rate_limited",
            Self::BadRequest(c) => c,
            Self::Invalid(_) => "invalid",
            Self::Roster(_) => "roster_invalid",
            Self::TooLarge => "payload_too_large",
            Self::FileLimit(code, _) => code,
            Self::Internal(_) => "internal",
        }
    }
    /// What the message names besides the code: the bound a file went beyond.
    pub fn arg(&self) -> Option<String> {
        match self {
            Self::FileLimit(_, bound) => Some(bound.to_string()),
            _ => None,
        }
    }
    /// The message in the caller's language.
    pub fn message(&self, lang: Lang) -> String {
        lang.error(self.code(), self.arg().as_deref())
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::Invalid(i) => Self::Invalid(i),
            StoreError::Roster(r) => Self::Roster(r),
            // Pages show each issue; elsewhere the code says enough.
            StoreError::Plan(_) => Self::BadRequest("plan_infeasible"),
            StoreError::NewerSchema(_) | StoreError::Backup(_) | StoreError::Db(_) => {
                tracing::error!(error = %e, "store error");
                Self::Internal(e.code().to_string())
            }
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let info = ErrorInfo {
            code: self.code(),
            arg: self.arg(),
            fields: match &self {
                Self::Invalid(i) => i.0.clone(),
                _ => Vec::new(),
            },
            retry_after: match self {
                Self::RateLimited(s) => Some(s),
                _ => None,
            },
        };
        let mut res = self.status().into_response();
        res.extensions_mut().insert(info);
        res
    }
}

/// Whether the client wants JSON: the API, or a client that asks for it.
fn wants_json(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
        || req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.starts_with("application/json"))
}

/// Writes error bodies: JSON for the API, an HTML page (or a fragment for htmx) otherwise.
/// Also turns axum's own bare rejections (unknown route, wrong method, body too large)
/// into the same clear, translated errors.
pub async fn render(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let json = wants_json(&req);
    let htmx = req.headers().contains_key("hx-request");
    let path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let info = match res.extensions().get::<ErrorInfo>() {
        Some(i) => i.clone(),
        None if res.headers().contains_key(header::CONTENT_TYPE) && status != StatusCode::PAYLOAD_TOO_LARGE => {
            return res;
        }
        None => ErrorInfo {
            code: match status {
                StatusCode::NOT_FOUND => "not_found",
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                s if s.is_server_error() => "internal",
                _ => "bad_request",
            },
            fields: Vec::new(),
            retry_after: None,
            arg: None,
        },
    };
    // An expired or missing session on a page: back to the login, then back here.
    if !json && matches!(info.code, "login_required" | "session_expired") {
        let to = format!("/login?next={}&reason={}", urlencoding::encode(&path), info.code);
        let mut r = if htmx {
            let mut r = StatusCode::OK.into_response();
            r.headers_mut()
                .insert("hx-redirect", HeaderValue::from_str(&to).unwrap_or(HeaderValue::from_static("/login")));
            r
        } else {
            axum::response::Redirect::to(&to).into_response()
        };
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let message = lang.error(info.code, info.arg.as_deref());
    let mut out = if json {
        let fields: Vec<serde_json::Value> = info
            .fields
            .iter()
            .map(|f| serde_json::json!({ "field": f.field, "code": f.code, "message": lang.error(f.code, f.arg.as_deref()) }))
            .collect();
        (status, axum::Json(serde_json::json!({ "error": info.code, "message": message, "fields": fields })))
            .into_response()
    } else {
        let page = crate::view::ErrorPage::new(lang, status, info.code, message, htmx);
        (status, page).into_response()
    };
    if let Some(s) = info.retry_after {
        out.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    out
}
