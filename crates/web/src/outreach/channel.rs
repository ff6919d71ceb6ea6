//! Channel-ready versions of a piece (一稿多发): the WeChat article body with a sandboxed preview
//! and a copy button, the radio script with its length on air, the newspaper column with its
//! character count, and the short-video caption, hashtags and cover. Staff may look at a draft
//! before it is released; the page says so.

use crate::AppState;
use crate::error::WebError;
use crate::form::{Id, Query};
use crate::view::{PageCtx, Web};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kexie_core::outreach::Channel;
use kexie_core::outreach::content::Source;
use kexie_core::outreach::publication::accounts;
use kexie_core::outreach::render::{self, Piece};
use kexie_store::entity::content;
use kexie_store::outreach::content::{status_of, tags_of};

/// The channels that have a ready-made version, in the order of the tabs.
pub const CHANNELS: [Channel; 4] = [Channel::Wechat, Channel::Radio, Channel::Newspaper, Channel::ShortVideo];

/// The preview frame's own policy: no script, no forms, no fetches, nothing of our origin
/// (`sandbox` gives it an opaque one); the article's inline styles and its images.
const PREVIEW_POLICY: &str =
    "sandbox; default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; frame-ancestors 'self'";
/// A download (a cover, a text) opened on its own runs nothing.
const DOWNLOAD_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ChannelQuery {
    /// One of the channel's accounts (`publication::accounts`); the first when absent or unknown.
    #[serde(default)]
    pub account: String,
    /// Any value: the version as a file (.html for WeChat, .txt otherwise).
    #[serde(default)]
    pub download: String,
}

fn channel(code: &str) -> Result<Channel, WebError> {
    Channel::parse(code).filter(|c| CHANNELS.contains(c)).ok_or(WebError::NotFound)
}

/// The account the version is signed with.
fn account(channel: Channel, wanted: &str) -> &'static str {
    let all = accounts(channel);
    all.iter().copied().find(|a| *a == wanted.trim()).unwrap_or(all[0])
}

/// Where a piece came from, as every version names it (Chinese: the text goes out as it is).
/// Our own pieces name no source.
pub fn source_label(c: &content::Model) -> String {
    let named = c.source_name.clone().filter(|s| !s.trim().is_empty());
    match Source::parse(&c.source) {
        Some(Source::Original) | None => String::new(),
        Some(Source::Upstream) => named.unwrap_or_else(|| "上级科协科普资源包".into()),
        Some(Source::KepuChina) => named.unwrap_or_else(|| "科普中国".into()),
        Some(Source::Partner) => named.unwrap_or_default(),
    }
}

/// A piece's text, owned, to lend to `render::Piece`.
struct Parts {
    title: String,
    summary: String,
    body: String,
    topic: String,
    tags: Vec<String>,
    source: String,
    account: &'static str,
}

impl Parts {
    fn new(c: &content::Model, account: &'static str) -> Self {
        Self {
            title: c.title.clone(),
            summary: c.summary.clone().unwrap_or_default(),
            body: c.body.clone(),
            topic: c.topic.clone(),
            tags: tags_of(c),
            source: source_label(c),
            account,
        }
    }
    fn piece(&self) -> Piece<'_> {
        Piece {
            title: &self.title,
            summary: &self.summary,
            body_html: &self.body,
            topic: &self.topic,
            tags: &self.tags,
            source_label: &self.source,
            account: self.account,
        }
    }
}

/// A download with a Chinese file name (RFC 5987), never shown in place.
fn attachment(
    body: impl Into<axum::body::Body>,
    media_type: &'static str,
    file_name: &str,
    policy: &'static str,
) -> Response {
    let safe: String = file_name
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let ext = safe.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default();
    let disposition =
        format!("attachment; filename=\"download.{ext}\"; filename*=UTF-8''{}", urlencoding::encode(&safe));
    let mut res = (axum::http::StatusCode::OK, body.into()).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")),
    );
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    res
}

/// Plain text with a byte-order mark, so that Notepad on a Chinese Windows reads it as UTF-8.
fn text_file(text: &str) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend(text.replace('\n', "\r\n").into_bytes());
    out
}

/// The WeChat body as a page of its own, at the width of a phone.
fn wechat_document(title: &str, body: &str) -> String {
    let title = title.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title></head>\
         <body style=\"margin:0;background:#fff;\"><div style=\"max-width:677px;margin:0 auto;padding:16px;\">{body}</div></body></html>"
    )
}

pub struct Tab {
    pub code: &'static str,
    pub key: &'static str,
    pub active: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "outreach/channel_show.html")]
pub struct ShowPage {
    pub ctx: PageCtx,
    pub id: i64,
    pub title: String,
    pub channel: &'static str,
    pub tabs: Vec<Tab>,
    pub accounts: &'static [&'static str],
    pub account: &'static str,
    pub releasable: bool,
    /// `?account=…` for the links of this version.
    pub query: String,
    /// WeChat: the article body.
    pub html: String,
    /// Radio and newspaper: the text; short video: the caption.
    pub text: String,
    pub chars: usize,
    pub duration: String,
    pub hashtags: Vec<String>,
}

impl ShowPage {
    pub fn base(&self) -> String {
        format!("/outreach/content/{}/channel/{}", self.id, self.channel)
    }
    pub fn hashtag_line(&self) -> String {
        self.hashtags.join(" ")
    }
}

fn duration(ctx: &PageCtx, seconds: u32) -> String {
    let (m, s) = ((seconds / 60).to_string(), (seconds % 60).to_string());
    if seconds < 60 {
        ctx.lang.t_with("ot.ch_seconds", &[("sec", &s)])
    } else {
        ctx.lang.t_with("ot.ch_minutes", &[("min", &m), ("sec", &s)])
    }
}

/// GET /outreach/content/{id}/channel/{channel}: one channel's version, or with `?download=1`
/// the version as a file.
pub async fn show(
    State(state): State<AppState>,
    web: Web,
    Path((id, code)): Path<(String, String)>,
    Query(q): Query<ChannelQuery>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let channel = channel(&code)?;
    let c = state.store.get_content(web.actor(), id).await?;
    let account = account(channel, &q.account);
    let parts = Parts::new(&c, account);
    let piece = parts.piece();
    let download = !q.download.is_empty();
    let ctx = web.ctx();
    let mut page = ShowPage {
        id,
        title: c.title.clone(),
        channel: channel.code(),
        tabs: CHANNELS.iter().map(|ch| Tab { code: ch.code(), key: tab_key(*ch), active: *ch == channel }).collect(),
        accounts: accounts(channel),
        account,
        releasable: status_of(&c).releasable(),
        query: format!("?account={}", urlencoding::encode(account)),
        html: String::new(),
        text: String::new(),
        chars: 0,
        duration: String::new(),
        hashtags: Vec::new(),
        ctx,
    };
    match channel {
        Channel::Wechat => {
            let html = render::wechat_html(&piece);
            if download {
                let doc = wechat_document(&c.title, &html);
                return Ok(attachment(
                    doc,
                    "text/html; charset=utf-8",
                    &format!("{}-公众号.html", c.title),
                    PREVIEW_POLICY,
                ));
            }
            page.chars = render::char_count(&kexie_core::outreach::sanitize::plain_text(&html));
            page.html = html;
        }
        Channel::Radio => {
            let r = render::radio_script(&piece);
            if download {
                return Ok(attachment(
                    text_file(&r.text),
                    "text/plain; charset=utf-8",
                    &format!("{}-播音稿.txt", c.title),
                    DOWNLOAD_POLICY,
                ));
            }
            page.duration = duration(&page.ctx, r.seconds);
            page.chars = r.chars;
            page.text = r.text;
        }
        Channel::Newspaper => {
            let n = render::newspaper_text(&piece);
            if download {
                return Ok(attachment(
                    text_file(&n.text),
                    "text/plain; charset=utf-8",
                    &format!("{}-报纸专栏.txt", c.title),
                    DOWNLOAD_POLICY,
                ));
            }
            page.chars = n.chars;
            page.text = n.text;
        }
        _ => {
            let v = render::short_video(&piece);
            if download {
                let text = format!("{}\n\n{}\n", v.caption, v.hashtags.join(" "));
                return Ok(attachment(
                    text_file(&text),
                    "text/plain; charset=utf-8",
                    &format!("{}-短视频文案.txt", c.title),
                    DOWNLOAD_POLICY,
                ));
            }
            page.chars = v.caption.chars().count();
            page.text = v.caption;
            page.hashtags = v.hashtags;
        }
    }
    Ok(page.into_response())
}

fn tab_key(c: Channel) -> &'static str {
    match c {
        Channel::Wechat => "ot.ch_tab_wechat",
        Channel::Radio => "ot.ch_tab_radio",
        Channel::Newspaper => "ot.ch_tab_newspaper",
        _ => "ot.ch_tab_short_video",
    }
}

/// GET /outreach/content/{id}/channel/wechat/raw: the article as a page for the preview frame,
/// under its own sandboxing policy and framed only by our pages.
pub async fn wechat_raw(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Query(q): Query<ChannelQuery>,
) -> Result<Response, WebError> {
    let c = state.store.get_content(web.actor(), id).await?;
    let parts = Parts::new(&c, account(Channel::Wechat, &q.account));
    let doc = wechat_document(&c.title, &render::wechat_html(&parts.piece()));
    let mut res = axum::response::Html(doc).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PREVIEW_POLICY));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    Ok(res)
}

/// GET /outreach/content/{id}/channel/short_video/cover.svg: the 3:4 cover, as a download.
pub async fn cover(
    State(state): State<AppState>,
    web: Web,
    Id(id): Id,
    Query(q): Query<ChannelQuery>,
) -> Result<Response, WebError> {
    let c = state.store.get_content(web.actor(), id).await?;
    let parts = Parts::new(&c, account(Channel::ShortVideo, &q.account));
    let svg = render::short_video(&parts.piece()).cover_svg;
    Ok(attachment(svg, "image/svg+xml", &format!("{}-封面.svg", c.title), DOWNLOAD_POLICY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_four_channels_have_versions_and_accounts_are_the_channels_own() {
        assert!(channel("wechat").is_ok() && channel("short_video").is_ok());
        for code in ["tv", "screen", "stage", "fax", ""] {
            assert!(matches!(channel(code), Err(WebError::NotFound)), "{code}");
        }
        assert_eq!(account(Channel::Wechat, "通州发布"), "通州发布");
        assert_eq!(account(Channel::Wechat, "FM999通州广播"), "南通州科协");
        assert_eq!(account(Channel::Radio, ""), "FM999通州广播");
    }

    #[test]
    fn text_files_open_in_notepad() {
        let b = text_file("标题\n正文");
        assert!(b.starts_with("\u{feff}".as_bytes()));
        assert!(String::from_utf8(b).unwrap().ends_with("标题\r\n正文"));
    }
}
