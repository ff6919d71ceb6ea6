//! Extractors whose rejections are kexie's own errors (translated, 4xx), not axum's plain text.

use crate::AppState;
use crate::auth::CSRF_FIELD;
use crate::error::WebError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use kexie_core::estation::media::{HEAD, Sample};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

/// Largest url-encoded form or JSON body.
pub const FORM_LIMIT: usize = 256 * 1024;
/// Largest upload (an Excel roster).
pub const UPLOAD_LIMIT: usize = 10 * 1024 * 1024;

/// NUL is no character of any text a person types, and PostgreSQL refuses it in text: every
/// extractor turns it away (raw, percent-encoded or JSON-escaped) with one translated error.
pub fn refuse_nul(text: &str) -> Result<(), WebError> {
    if text.contains('\0') { Err(WebError::BadRequest("bad_characters")) } else { Ok(()) }
}

/// The same for text still percent-encoded (a query string, a url-encoded body).
pub fn refuse_encoded_nul(raw: &[u8]) -> Result<(), WebError> {
    let encoded = raw.windows(3).any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0');
    if encoded || raw.contains(&0) { Err(WebError::BadRequest("bad_characters")) } else { Ok(()) }
}

pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| WebError::TooLarge)?;
        refuse_encoded_nul(&bytes)?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(Form(v)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => Err(WebError::TooLarge),
            Err(e) if e.status() == axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Err(WebError::BadRequest("unsupported_media_type"))
            }
            Err(_) => Err(WebError::BadRequest("malformed_form")),
        }
    }
}

pub struct Json<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let mut value = match axum::Json::<serde_json::Value>::from_request(req, state).await {
            Ok(axum::Json(v)) => v,
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => return Err(WebError::TooLarge),
            Err(e) if e.status() == axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                return Err(WebError::BadRequest("unsupported_media_type"));
            }
            Err(_) => return Err(WebError::BadRequest("malformed_json")),
        };
        whole_numbers_as_integers(&mut value);
        // A write whose text holds NUL cannot be stored as it is: refused like any field.
        refuse_nul_in(&value).map_err(|_| WebError::Invalid(kexie_core::Invalid::one("body", "bad_characters")))?;
        serde_json::from_value(value).map(Json).map_err(|_| WebError::BadRequest("malformed_json"))
    }
}

/// JSON has one number type: `12.0` is the integer 12 (as JSON Schema, and so the API's
/// document, counts it), which serde would refuse for an integer field.
fn whole_numbers_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    // Beyond 2^53 a float no longer names one integer.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0 && f.abs() <= EXACT) {
                *n = serde_json::Number::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

fn refuse_nul_in(v: &serde_json::Value) -> Result<(), WebError> {
    use serde_json::Value;
    match v {
        Value::String(s) => refuse_nul(s),
        Value::Array(items) => items.iter().try_for_each(refuse_nul_in),
        Value::Object(fields) => fields.iter().try_for_each(|(k, v)| refuse_nul(k).and_then(|_| refuse_nul_in(v))),
        _ => Ok(()),
    }
}

/// A multipart form's text field, NUL refused.
pub async fn text_field(field: axum::extract::multipart::Field<'_>) -> Result<String, WebError> {
    let v = field.text().await.map_err(multipart_error)?;
    refuse_nul(&v)?;
    Ok(v)
}

pub struct Query<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|_| WebError::BadRequest("malformed_query"))
    }
}

/// A path id that is not a number is a page that does not exist.
pub struct Id(pub i64);

impl FromRequestParts<AppState> for Id {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|p| Id(p.0))
            .map_err(|_| WebError::NotFound)
    }
}

/// A file received in a multipart form: streamed to a temporary file in the upload directory
/// as it arrived, never held whole in memory, hashed and sized on the way. The temporary file
/// goes when this is dropped, unless `store` moved it into the media directory.
pub struct UploadedFile {
    pub name: String,
    pub size: u64,
    pub sha256: String,
    /// The first `media::HEAD` bytes, for the checks by content.
    pub head: Vec<u8>,
    path: tempfile::TempPath,
}

impl UploadedFile {
    /// What the checks by content see.
    pub fn sample(&self) -> Sample<'_> {
        Sample { head: &self.head, size: self.size }
    }

    /// The whole file, for uploads whose route keeps them small (rosters, `UPLOAD_LIMIT`).
    pub async fn read(&self) -> Result<Vec<u8>, WebError> {
        tokio::fs::read(&self.path).await.map_err(|e| WebError::Internal(e.to_string()))
    }

    /// Moves the file into the media directory under its content address; its sha256 and size.
    pub async fn store(self, state: &AppState) -> Result<(String, i64), WebError> {
        let dir = state.config.media_dir();
        let (sha, size) = (self.sha256.clone(), self.size as i64);
        tokio::task::spawn_blocking(move || kexie_store::estation::place_media(&dir, &self.sha256, &self.path))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?
            .map_err(|e| WebError::Internal(e.to_string()))?;
        Ok((sha, size))
    }
}

/// The error of a multipart body: too large for the route's limit, or malformed.
pub fn multipart_error(e: axum::extract::multipart::MultipartError) -> WebError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        WebError::TooLarge
    } else {
        WebError::BadRequest("malformed_upload")
    }
}

/// Removes what a crash left half-received in the upload directory: only kexie's own
/// `upload-` files, and only those untouched for `older_than` (another node sharing the
/// directory may be receiving one now).
pub fn sweep_uploads(dir: &std::path::Path, older_than: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let stale = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|a| a > older_than));
        if e.file_name().to_string_lossy().starts_with("upload-") && stale {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Streams a multipart file field to a temporary file in the upload directory. The route's
/// body limit stops it as soon as the bytes pass it, so the disk holds no more than that.
pub async fn spool(state: &AppState, mut field: axum::extract::multipart::Field<'_>) -> Result<UploadedFile, WebError> {
    use tokio::io::AsyncWriteExt;
    let internal = |e: std::io::Error| WebError::Internal(e.to_string());
    let name = field.file_name().unwrap_or("").to_string();
    let dir = state.config.upload_dir();
    tokio::fs::create_dir_all(&dir).await.map_err(internal)?;
    let (file, path) = tempfile::Builder::new().prefix("upload-").tempfile_in(&dir).map_err(internal)?.into_parts();
    let mut file = tokio::fs::File::from_std(file);
    let (mut hash, mut head, mut size) = (Sha256::new(), Vec::new(), 0u64);
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        hash.update(&chunk);
        let room = HEAD.saturating_sub(head.len()).min(chunk.len());
        head.extend_from_slice(&chunk[..room]);
        size += chunk.len() as u64;
        file.write_all(&chunk).await.map_err(internal)?;
    }
    file.flush().await.map_err(internal)?;
    Ok(UploadedFile { name, size, sha256: hex::encode(hash.finalize()), head, path })
}

/// One uploaded file from a multipart form, with the form's other fields as text. The CSRF
/// token, the form's first part, was checked by `auth::resolve` before the body reached here.
pub struct Upload {
    pub file: UploadedFile,
    pub fields: std::collections::HashMap<String, String>,
}

/// A multipart form whose file is optional (a piece saved again keeps its file).
pub struct MaybeUpload {
    pub file: Option<UploadedFile>,
    pub fields: std::collections::HashMap<String, String>,
}

impl MaybeUpload {
    pub fn field(&self, name: &str) -> String {
        self.fields.get(name).cloned().unwrap_or_default()
    }
}

impl FromRequest<AppState> for MaybeUpload {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let mut mp = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|_| WebError::BadRequest("malformed_upload"))?;
        let mut file = None;
        let mut fields = std::collections::HashMap::new();
        while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
            match field.name().map(str::to_string).as_deref() {
                Some(CSRF_FIELD) => {}
                Some("file") => {
                    let received = spool(state, field).await?;
                    // A form sent with no file chosen carries an empty, nameless part.
                    if received.size > 0 || !received.name.is_empty() {
                        file = Some(received);
                    }
                }
                Some(name) => {
                    let name = name.to_string();
                    fields.insert(name, text_field(field).await?);
                }
                None => {}
            }
        }
        Ok(MaybeUpload { file, fields })
    }
}

impl FromRequest<AppState> for Upload {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let up = MaybeUpload::from_request(req, state).await?;
        match up.file {
            Some(f) if f.size == 0 => Err(WebError::BadRequest("empty_upload")),
            Some(file) => Ok(Upload { file, fields: up.fields }),
            None => Err(WebError::BadRequest("no_file")),
        }
    }
}

/// Stores bytes under their content address in the media directory; returns the sha256.
pub async fn store_file(state: &AppState, bytes: Vec<u8>) -> Result<(String, i64), WebError> {
    let sha = hex::encode(Sha256::digest(&bytes));
    let size = bytes.len() as i64;
    let dir = state.config.media_dir();
    let s = sha.clone();
    tokio::task::spawn_blocking(move || kexie_store::estation::write_media(&dir, &s, &bytes))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((sha, size))
}

/// A url-encoded form whose fields may repeat (a group of checkboxes), as its pairs in order.
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn one(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

impl FromRequest<AppState> for Pairs {
    type Rejection = WebError;
    async fn from_request(req: Request, _state: &AppState) -> Result<Self, WebError> {
        let ctype = req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !ctype.starts_with("application/x-www-form-urlencoded") {
            return Err(WebError::BadRequest("unsupported_media_type"));
        }
        let bytes = axum::body::to_bytes(req.into_body(), FORM_LIMIT).await.map_err(|_| WebError::TooLarge)?;
        refuse_encoded_nul(&bytes)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| WebError::BadRequest("malformed_form"))?;
        let decode = |s: &str| {
            urlencoding::decode(&s.replace('+', " "))
                .map(|c| c.into_owned())
                .map_err(|_| WebError::BadRequest("malformed_form"))
        };
        let mut out = Vec::new();
        for kv in text.split('&').filter(|kv| !kv.is_empty()) {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            out.push((decode(k)?, decode(v)?));
        }
        Ok(Pairs(out))
    }
}

/// Readers of a list's filters from its query string: an empty value filters nothing, any
/// other must read cleanly or the request is malformed (a hand-edited address, not a user's
/// slip, so no form to show again).
pub mod filter {
    use crate::error::WebError;

    pub fn malformed() -> WebError {
        WebError::BadRequest("malformed_query")
    }

    /// A number (an id, a year).
    pub fn num<T: std::str::FromStr>(v: &str) -> Result<Option<T>, WebError> {
        match v.trim() {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| malformed()),
        }
    }

    /// A code of an enumeration, read by its `parse`.
    pub fn code<T>(v: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, WebError> {
        match v.trim() {
            "" => Ok(None),
            v => parse(v).map(Some).ok_or_else(malformed),
        }
    }

    /// A `YYYY-MM` month.
    pub fn month(v: &str) -> Result<Option<String>, WebError> {
        match v.trim() {
            "" => Ok(None),
            m if chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok() => Ok(Some(m.to_string())),
            _ => Err(malformed()),
        }
    }

    /// Years the platform reports on.
    pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

    /// A year to filter by; one outside `YEARS` filters nothing.
    pub fn year(v: &str) -> Result<Option<i32>, WebError> {
        Ok(num::<i32>(v)?.filter(|y| YEARS.contains(y)))
    }

    /// The year a report is for: this year (China time) unless one within `YEARS` is given.
    pub fn report_year(v: &str) -> Result<i32, WebError> {
        match v.trim() {
            "" => Ok(chrono::Datelike::year(&kexie_core::estation::proof::day_of(chrono::Utc::now()))),
            y => y.parse::<i32>().ok().filter(|y| YEARS.contains(y)).ok_or_else(malformed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{sweep_uploads, whole_numbers_as_integers};
    use serde_json::json;

    #[test]
    fn only_stale_uploads_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for name in ["upload-old", "keep.txt"] {
            std::fs::File::create(dir.path().join(name)).unwrap().set_modified(two_hours_ago).unwrap();
        }
        let old = dir.path().join("upload-old");
        std::fs::write(dir.path().join("upload-new"), b"x").unwrap();
        sweep_uploads(dir.path(), std::time::Duration::from_secs(3600));
        assert!(!old.exists());
        assert!(dir.path().join("keep.txt").exists() && dir.path().join("upload-new").exists());
    }

    #[test]
    fn whole_floats_become_integers_and_fractions_stay() {
        let mut v = json!({ "region_id": 1287.0, "ids": [2.0, -3.0], "ratio": 0.5, "big": 1e300, "n": 7 });
        whole_numbers_as_integers(&mut v);
        assert_eq!(v, json!({ "region_id": 1287, "ids": [2, -3], "ratio": 0.5, "big": 1e300, "n": 7 }));
        assert!(serde_json::from_value::<i64>(v["region_id"].clone()).is_ok());
    }
}
