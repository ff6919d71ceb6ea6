//! A piece of science content (科普内容): what it is, whom it is for, where it came from. Every
//! save is a new version; the text of an article is sanitised before it is kept.

use super::sanitize;
use crate::Invalid;
use crate::validate::{optional, required};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentKind {
    Article,
    Image,
    Video,
    Audio,
    Courseware,
    /// 资源包: a file of several pieces (zip), usually from the city or 科普中国.
    Pack,
}

impl ContentKind {
    pub const ALL: [ContentKind; 6] =
        [Self::Article, Self::Image, Self::Video, Self::Audio, Self::Courseware, Self::Pack];

    pub fn code(self) -> &'static str {
        match self {
            Self::Article => "article",
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Courseware => "courseware",
            Self::Pack => "pack",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Whether the piece is a file (the article's file is optional: its images).
    pub fn needs_file(self) -> bool {
        self != Self::Article
    }
}

/// Where a piece came from; reprints name their source in every channel-ready version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Original,
    /// 上级资源包 from the city or provincial association.
    Upstream,
    /// 科普中国
    KepuChina,
    Partner,
}

impl Source {
    pub const ALL: [Source; 4] = [Self::Original, Self::Upstream, Self::KepuChina, Self::Partner];

    pub fn code(self) -> &'static str {
        match self {
            Self::Original => "original",
            Self::Upstream => "upstream",
            Self::KepuChina => "kepu_china",
            Self::Partner => "partner",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// Topics as the association's yearly plan groups them.
pub const TOPICS: [&str; 12] = [
    "健康卫生",
    "应急避险",
    "防灾减灾",
    "食品安全",
    "生态环保",
    "节能低碳",
    "农业技术",
    "信息科技",
    "航空航天",
    "反诈防骗",
    "科学家精神",
    "心理健康",
];

/// The five key groups of the national science literacy plan (全民科学素质行动规划纲要), plus
/// the general public.
pub const AUDIENCES: [&str; 6] = ["社会公众", "青少年", "农民", "产业工人", "老年人", "领导干部和公务员"];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ContentForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub audience: String,
    #[serde(default)]
    pub source: String,
    /// The partner or upstream body for reprints.
    #[serde(default)]
    pub source_name: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub body: String,
}

/// A checked version of a piece, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContentInput {
    pub title: String,
    pub kind: ContentKind,
    pub topic: String,
    pub audience: String,
    pub source: Source,
    pub source_name: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    /// Sanitised HTML.
    pub body: String,
}

pub const BODY_MAX: usize = 200_000;

const MB: u64 = 1024 * 1024;

/// Checks a piece's file by what it contains: images and video as the screens take them,
/// audio (MP3, M4A, WAV), courseware (PDF, PPTX, DOCX) and packs (ZIP). Returns the media type.
pub fn check_file<'a>(
    kind: ContentKind,
    file_name: &str,
    file: impl Into<crate::estation::media::Sample<'a>>,
) -> Result<&'static str, &'static str> {
    use crate::estation::media;
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let file = file.into();
    let bytes = file.head;
    if file.size == 0 {
        return Err("media_empty");
    }
    let zip = bytes.starts_with(b"PK\x03\x04");
    let (media_type, max) = match (kind, ext.as_str()) {
        (ContentKind::Image | ContentKind::Article, "jpg" | "jpeg" | "png" | "webp") => {
            return media::check(file_name, file)
                .map(|k| k.media_type)
                .and_then(|t| if media::is_image(t) { Ok(t) } else { Err("media_content_mismatch") });
        }
        (ContentKind::Video, "mp4" | "webm") => return media::check(file_name, file).map(|k| k.media_type),
        (ContentKind::Audio, "mp3")
            if bytes.starts_with(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) =>
        {
            ("audio/mpeg", 100 * MB)
        }
        (ContentKind::Audio, "m4a") if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" => ("audio/mp4", 100 * MB),
        (ContentKind::Audio, "wav") if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WAVE" => {
            ("audio/wav", 100 * MB)
        }
        (ContentKind::Courseware, "pdf") if bytes.starts_with(b"%PDF-") => ("application/pdf", 100 * MB),
        (ContentKind::Courseware, "pptx") if zip => {
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation", 100 * MB)
        }
        (ContentKind::Courseware, "docx") if zip => {
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", 100 * MB)
        }
        (ContentKind::Pack, "zip") if zip => ("application/zip", 200 * MB),
        (
            _,
            "jpg" | "jpeg" | "png" | "webp" | "mp4" | "webm" | "mp3" | "m4a" | "wav" | "pdf" | "pptx" | "docx" | "zip",
        ) => {
            return Err("media_content_mismatch");
        }
        _ => return Err("media_type_unknown"),
    };
    if file.size > max {
        return Err("media_too_large");
    }
    Ok(media_type)
}

/// Tags as typed: separated by commas (either width), 、 or spaces; at most 10 of 20 characters.
pub fn parse_tags(errs: &mut Invalid, v: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for t in v.split([',', '，', '、', ' ', '　', ';', '；']).map(str::trim).filter(|t| !t.is_empty()) {
        if t.chars().count() > 20 {
            errs.push_arg("tags", "too_long", 20);
            break;
        }
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    if tags.len() > 10 {
        errs.push_arg("tags", "too_many", 10);
    }
    tags
}

impl ContentForm {
    pub fn check(&self) -> Result<ContentInput, Invalid> {
        let mut errs = Invalid::default();
        let title = required(&mut errs, "title", &self.title, 80);
        let kind = ContentKind::parse(self.kind.trim());
        if kind.is_none() {
            errs.push("kind", "required");
        }
        let topic = self.topic.trim().to_string();
        if !TOPICS.contains(&topic.as_str()) {
            errs.push("topic", "required");
        }
        let audience = self.audience.trim().to_string();
        if !AUDIENCES.contains(&audience.as_str()) {
            errs.push("audience", "required");
        }
        let source = Source::parse(self.source.trim());
        if source.is_none() {
            errs.push("source", "required");
        }
        let source_name = optional(&mut errs, "source_name", &self.source_name, 60);
        if matches!(source, Some(Source::Partner)) && source_name.is_none() {
            errs.push("source_name", "required");
        }
        let tags = parse_tags(&mut errs, &self.tags);
        let summary = optional(&mut errs, "summary", &self.summary, 300);
        if self.body.len() > BODY_MAX {
            errs.push_arg("body", "too_long", BODY_MAX);
        }
        let body = sanitize::rich_text(&self.body);
        if kind == Some(ContentKind::Article) && sanitize::plain_text(&body).trim().is_empty() {
            errs.push("body", "required");
        }
        errs.into_result(ContentInput {
            title,
            kind: kind.unwrap_or(ContentKind::Article),
            topic,
            audience,
            source: source.unwrap_or(Source::Original),
            source_name,
            tags,
            summary,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ContentForm {
        ContentForm {
            title: "夏季防溺水安全知识".into(),
            kind: "article".into(),
            topic: "应急避险".into(),
            audience: "青少年".into(),
            source: "original".into(),
            tags: "防溺水，暑期、安全 防溺水".into(),
            body: "<p>不私自下水游泳。</p><script>alert(1)</script>".into(),
            ..Default::default()
        }
    }

    #[test]
    fn checks_and_sanitises() {
        let c = form().check().unwrap();
        assert_eq!(c.kind, ContentKind::Article);
        assert_eq!(c.tags, vec!["防溺水", "暑期", "安全"]);
        assert!(c.body.contains("不私自下水游泳"));
        assert!(!c.body.contains("script"));
    }

    #[test]
    fn files_by_content() {
        assert_eq!(check_file(ContentKind::Courseware, "课件.pdf", b"%PDF-1.7 ..."), Ok("application/pdf"));
        assert_eq!(check_file(ContentKind::Courseware, "课件.pdf", b"MZ\x90\0"), Err("media_content_mismatch"));
        assert_eq!(check_file(ContentKind::Pack, "资源包.exe", b"MZ"), Err("media_type_unknown"));
        assert_eq!(check_file(ContentKind::Pack, "资源包.zip", b"PK\x03\x04rest"), Ok("application/zip"));
        assert_eq!(check_file(ContentKind::Audio, "广播.mp3", b"ID3\x04\0"), Ok("audio/mpeg"));
        assert_eq!(check_file(ContentKind::Image, "图.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok("image/png"));
        assert_eq!(check_file(ContentKind::Image, "图.png", b"<html>"), Err("media_content_mismatch"));
        assert_eq!(check_file(ContentKind::Video, "图.png", b"\x89PNG\r\n\x1a\n"), Err("media_content_mismatch"));
    }

    #[test]
    fn every_problem_at_once() {
        let f = ContentForm { title: " ".into(), topic: "八卦".into(), source: "partner".into(), ..form() };
        let e = f.check().unwrap_err();
        for field in ["title", "topic", "source_name"] {
            assert!(e.for_field(field).is_some(), "{field}");
        }
        let f = ContentForm { body: "<script>x</script>".into(), ..form() };
        assert_eq!(f.check().unwrap_err().for_field("body").unwrap().code, "required");
        let f = ContentForm { kind: "video".into(), body: String::new(), ..form() };
        assert!(f.check().is_ok());
    }
}
