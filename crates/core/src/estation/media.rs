//! The screens' media library: which files are accepted, by what they contain and not only by
//! their name.

/// A kind of file screens play, with its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub media_type: &'static str,
    pub extensions: &'static [&'static str],
    pub max_bytes: u64,
}

const MB: u64 = 1024 * 1024;

pub const KINDS: &[Kind] = &[
    Kind { media_type: "image/jpeg", extensions: &["jpg", "jpeg"], max_bytes: 20 * MB },
    Kind { media_type: "image/png", extensions: &["png"], max_bytes: 20 * MB },
    Kind { media_type: "image/webp", extensions: &["webp"], max_bytes: 20 * MB },
    Kind { media_type: "video/mp4", extensions: &["mp4"], max_bytes: 200 * MB },
    Kind { media_type: "video/webm", extensions: &["webm"], max_bytes: 200 * MB },
    Kind { media_type: "text/html", extensions: &["html", "htm"], max_bytes: 2 * MB },
];

/// What the checks see of a file: its first bytes and its size, so that an upload is checked
/// from the temporary file it was streamed to, never held whole in memory.
#[derive(Debug, Clone, Copy)]
pub struct Sample<'a> {
    /// The first `HEAD` bytes (all of a shorter file).
    pub head: &'a [u8],
    pub size: u64,
}

/// How much of a file the checks read: the first bytes tell a picture or a video, and an HTML
/// slide (at most 2 MB) is read whole.
pub const HEAD: usize = 2 * 1024 * 1024;

impl<'a> Sample<'a> {
    /// A file held whole.
    pub fn whole(bytes: &'a [u8]) -> Self {
        Sample { head: bytes, size: bytes.len() as u64 }
    }
    /// Whether `head` is the whole file.
    pub fn is_whole(&self) -> bool {
        self.head.len() as u64 == self.size
    }
}

impl<'a> From<&'a [u8]> for Sample<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Sample::whole(bytes)
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Sample<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        Sample::whole(bytes)
    }
}

impl<'a> From<&'a Vec<u8>> for Sample<'a> {
    fn from(bytes: &'a Vec<u8>) -> Self {
        Sample::whole(bytes)
    }
}

/// The largest file any kind allows: the upload limit.
pub fn max_upload() -> u64 {
    KINDS.iter().map(|k| k.max_bytes).max().unwrap_or(0)
}

/// What the first bytes say the file is.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("video/webm")
    } else {
        let text = std::str::from_utf8(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head)).ok()?;
        let t = text.trim_start().to_ascii_lowercase();
        (t.starts_with("<!doctype html")
            || t.starts_with("<html")
            || t.starts_with("<section")
            || t.starts_with("<div"))
        .then_some("text/html")
    }
}

/// Checks an upload: the extension names a kind we take, the content is that kind, the size
/// is within its limit. Returns the kind or the code of what is wrong.
pub fn check<'a>(file_name: &str, file: impl Into<Sample<'a>>) -> Result<&'static Kind, &'static str> {
    check_among(file_name, file.into(), |_| true, u64::MAX)
}

/// As `check`, for images only (JPEG, PNG, WebP) and at most `max_bytes` each: citizens'
/// photos with their suggestions.
pub fn check_image<'a>(
    file_name: &str,
    file: impl Into<Sample<'a>>,
    max_bytes: u64,
) -> Result<&'static Kind, &'static str> {
    check_among(file_name, file.into(), |k| is_image(k.media_type), max_bytes)
}

/// A photo people send (with a suggestion, of an activity): an image by content, at most
/// `max_mb`, with the error codes a photo field shows.
pub fn check_photo<'a>(
    file_name: &str,
    file: impl Into<Sample<'a>>,
    max_mb: u64,
) -> Result<&'static str, &'static str> {
    check_image(file_name, file, max_mb * 1024 * 1024).map(|k| k.media_type).map_err(|code| match code {
        "media_too_large" => "photo_too_large",
        "media_type_unknown" | "media_content_mismatch" => "photo_not_image",
        other => other,
    })
}

/// The one check behind both: kinds that `accept` takes, each within the lower of its own
/// limit and `max_bytes`.
fn check_among(
    file_name: &str,
    file: Sample,
    accept: impl Fn(&Kind) -> bool,
    max_bytes: u64,
) -> Result<&'static Kind, &'static str> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).ok_or("media_type_unknown")?;
    let kind = KINDS.iter().find(|k| k.extensions.contains(&ext.as_str()) && accept(k)).ok_or("media_type_unknown")?;
    if file.size == 0 {
        return Err("media_empty");
    }
    if file.size > kind.max_bytes.min(max_bytes) {
        return Err("media_too_large");
    }
    // HTML is checked whole (it is within `HEAD`): a slide must be UTF-8 text throughout.
    let head = if kind.media_type == "text/html" {
        if !file.is_whole() {
            return Err("media_content_mismatch");
        }
        file.head
    } else {
        &file.head[..file.head.len().min(64)]
    };
    if sniff(head) != Some(kind.media_type) {
        return Err("media_content_mismatch");
    }
    Ok(kind)
}

pub fn is_image(media_type: &str) -> bool {
    media_type.starts_with("image/")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn content_must_match_the_name() {
        assert_eq!(check("海报.png", PNG).unwrap().media_type, "image/png");
        assert_eq!(check("海报.PNG", PNG).unwrap().media_type, "image/png");
        assert_eq!(check("海报.jpg", PNG), Err("media_content_mismatch"));
        assert_eq!(check("病毒.exe", PNG), Err("media_type_unknown"));
        assert_eq!(check("无扩展名", PNG), Err("media_type_unknown"));
        assert_eq!(check("空.png", b""), Err("media_empty"));
        let mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0";
        assert_eq!(check("防疫.mp4", mp4).unwrap().media_type, "video/mp4");
        assert_eq!(check("页.html", "<!DOCTYPE html><p>垃圾分类</p>".as_bytes()).unwrap().media_type, "text/html");
        assert_eq!(check("页.html", b"MZ\x90\0binary"), Err("media_content_mismatch"));
    }

    #[test]
    fn size_limit_per_kind() {
        let mut big = PNG.to_vec();
        big.resize(20 * MB as usize + 1, 0);
        assert_eq!(check("大.png", &big), Err("media_too_large"));
        assert_eq!(max_upload(), 200 * MB);
    }

    #[test]
    fn images_only_within_a_lower_limit() {
        assert_eq!(check_image("照片.png", PNG, MB).unwrap().media_type, "image/png");
        assert_eq!(check_image("页.html", b"<!doctype html><p>x</p>", MB), Err("media_type_unknown"));
        let mut big = PNG.to_vec();
        big.resize(MB as usize + 1, 0);
        assert_eq!(check_image("大.png", &big, MB), Err("media_too_large"));
        assert!(check("大.png", &big).is_ok());
    }
}
