//! Article bodies from the rich-text editor or pasted from WeChat: an explicit allow-list of
//! tags and attributes, and the plain text and images of what is left.

use ammonia::{Builder, Url};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const TAGS: [&str; 29] = [
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "span",
    "sub",
    "sup",
    "hr",
    "pre",
    "code",
];

/// Removed together with everything inside: their content is code or another document, never
/// article text.
const DROPPED_WITH_CONTENT: [&str; 9] =
    ["script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"];

/// The sanitiser every article body goes through; `render` adds inline styles to the same one.
pub(crate) fn builder() -> Builder<'static> {
    let mut b = Builder::default();
    b.tags(TAGS.into_iter().collect())
        .clean_content_tags(DROPPED_WITH_CONTENT.into_iter().collect())
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([("a", HashSet::from(["href"])), ("img", HashSet::from(["src", "alt"]))]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            // ammonia lets relative URLs through; links must be absolute, images absolute web
            // addresses or our own media.
            ("a", "href") => Url::parse(value).is_ok().then_some(Cow::Borrowed(value)),
            ("img", "src") => image_source(value).then_some(Cow::Borrowed(value)),
            _ => Some(Cow::Borrowed(value)),
        });
    b
}

fn image_source(src: &str) -> bool {
    match Url::parse(src) {
        Ok(url) => matches!(url.scheme(), "http" | "https"),
        Err(_) => {
            src.strip_prefix("/media/").is_some_and(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        }
    }
}

static SANITISER: LazyLock<Builder<'static>> = LazyLock::new(builder);

/// The body with only the allowed tags and attributes.
pub fn rich_text(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// Blocks whose start and end break a paragraph.
const BLOCKS: [&str; 15] =
    ["p", "br", "h2", "h3", "h4", "blockquote", "ul", "ol", "li", "table", "tr", "figure", "figcaption", "hr", "pre"];

/// The text of the body: one paragraph a line, entities decoded, runs of whitespace one space.
pub fn plain_text(html: &str) -> String {
    let clean = rich_text(html);
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut flush = |current: &mut String| {
        // Editors paste zero-width spaces; they would only inflate character counts.
        let text: String = current.chars().filter(|c| !matches!(c, '\u{200b}' | '\u{feff}')).collect();
        let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if !line.is_empty() {
            paragraphs.push(line);
        }
        current.clear();
    };
    for token in Tokens(&clean) {
        match token {
            Token::Text(t) => current.push_str(&decode(t)),
            Token::Tag { name, .. } if BLOCKS.contains(&name) => flush(&mut current),
            Token::Tag { name: "td" | "th", end: false, .. } => current.push(' '),
            Token::Tag { .. } => {}
        }
    }
    flush(&mut current);
    paragraphs.join("\n")
}

/// The sources of the body's images, in order, as they are after sanitising.
pub fn images(html: &str) -> Vec<String> {
    let clean = rich_text(html);
    Tokens(&clean)
        .filter_map(|t| match t {
            Token::Tag { name: "img", end: false, attrs } => attribute(attrs, "src"),
            _ => None,
        })
        .collect()
}

/// A piece of ammonia's output. That output is html5ever's serialisation of an allow-listed
/// tree, so its grammar is small: tags are `<name attr="value">` or `</name>`, attribute values
/// are double-quoted with `"` escaped (but may hold `>`), text has `&`, `<`, `>` and no-break
/// spaces escaped, and there are no comments or raw-text elements.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Text(&'a str),
    Tag { name: &'a str, end: bool, attrs: &'a str },
}

struct Tokens<'a>(&'a str);

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let rest = self.0;
        if rest.is_empty() {
            return None;
        }
        if !rest.starts_with('<') {
            let end = rest.find('<').unwrap_or(rest.len());
            self.0 = &rest[end..];
            return Some(Token::Text(&rest[..end]));
        }
        let mut quoted = false;
        let close = rest
            .char_indices()
            .find(|&(_, c)| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == '>' && !quoted
            })
            .map_or(rest.len(), |(i, _)| i);
        self.0 = rest.get(close + 1..).unwrap_or("");
        let inner = &rest[1..close];
        let (end, inner) = match inner.strip_prefix('/') {
            Some(i) => (true, i),
            None => (false, inner),
        };
        let split = inner.find(' ').unwrap_or(inner.len());
        Some(Token::Tag { name: &inner[..split], end, attrs: &inner[split..] })
    }
}

/// One attribute's decoded value from a serialised tag's ` name="value"` list.
fn attribute(attrs: &str, wanted: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].trim();
        let value_end = rest[eq + 2..].find('"')? + eq + 2;
        if name == wanted {
            return Some(decode(&rest[eq + 2..value_end]));
        }
        rest = &rest[value_end + 1..];
    }
    None
}

/// Undoes the serialiser's escaping (exactly these entities, see `Token`).
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let entity = [("&amp;", '&'), ("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&nbsp;", '\u{a0}')]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e));
        match entity {
            Some((e, c)) => {
                out.push(c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEDIA: &str = "/media/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn keeps_the_allowed_structure_and_chinese_text() {
        let html = "<h2>夏季防溺水</h2><p>不要<strong>私自</strong>下水游泳，<em>结伴</em>也不行。</p>\
                    <ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote><hr>\
                    <table><thead><tr><th>项目</th></tr></thead><tbody><tr><td>内容</td></tr></tbody></table>\
                    <figure><img src=\"https://mp.weixin.qq.com/a.png\" alt=\"示意图\"><figcaption>图</figcaption></figure>\
                    <p>H<sub>2</sub>O 与 x<sup>2</sup>，<u>下划线</u><s>删除</s><span>段</span></p><pre><code>a &lt; b</code></pre>";
        assert_eq!(rich_text(html), html);
    }

    #[test]
    fn removes_scripts_handlers_styles_and_frames() {
        let out = rich_text(
            "<p onclick=\"x()\" style=\"color:red\" class=\"c\" id=\"i\">安全</p><script>alert(1)</script>\
             <style>p{}</style><iframe src=\"https://evil.example/\">框</iframe><img src=x onerror=\"alert(1)\">",
        );
        assert_eq!(out, "<p>安全</p><img>");
    }

    #[test]
    fn removes_javascript_and_foreign_urls() {
        for evil in [
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>",
            "<a href=\" javascript:alert(1)\">x</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<a href=\"//evil.example/\">x</a>",
            "<a href=\"/relative\">x</a>",
        ] {
            assert_eq!(rich_text(evil), "<a rel=\"noopener noreferrer\">x</a>", "{evil}");
        }
        assert_eq!(
            rich_text("<a href=\"https://www.cast.org.cn/\" target=\"_blank\" rel=\"opener\">中国科协</a>"),
            "<a href=\"https://www.cast.org.cn/\" rel=\"noopener noreferrer\">中国科协</a>"
        );
        assert_eq!(
            rich_text("<a href=\"mailto:kx@tongzhou.gov.cn\">来信</a>"),
            "<a href=\"mailto:kx@tongzhou.gov.cn\" rel=\"noopener noreferrer\">来信</a>"
        );
    }

    #[test]
    fn images_only_from_the_web_or_our_media() {
        let html = format!(
            "<img src=\"{MEDIA}\"><img src=\"/media/abc\"><img src=\"javascript:alert(1)\">\
             <img src=\"data:image/png;base64,AAAA\"><img src=\"mailto:a@b.c\"><img src=\"/etc/passwd\">\
             <img src=\"http://img.example/b.jpg?x=1&amp;y=2\" alt=\"乙\">"
        );
        assert_eq!(images(&html), [MEDIA, "http://img.example/b.jpg?x=1&y=2"]);
    }

    #[test]
    fn svg_and_nested_tricks_leave_nothing_active() {
        for evil in [
            "<svg onload=alert(1)><circle r=1></circle></svg>",
            "<svg><script>alert(1)</script></svg>",
            "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<scr<script>ipt>alert(1)</script>",
            "<<script>script>alert(1)<</script>/script>",
            "<img src=\"x\" alt=\"\"><img src=x:alert(1) onerror=eval(src)>",
            "<p><iframe srcdoc=\"<script>alert(1)</script>\"></iframe></p>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
            "<a href=\"https://ok.example/\" onmouseover=\"alert(1)\">x</a><div onclick=alert(1)>y</div>",
            "<!--<img src=x onerror=alert(1)>--><p>z</p>",
            "<form action=\"javascript:alert(1)\"><button>b</button></form>",
        ] {
            let out = rich_text(evil).to_lowercase();
            for bad in
                ["<script", "onerror", "onload", "onmouseover", "onclick", "javascript:", "<iframe", "<svg", "<math"]
            {
                assert!(!out.contains(bad), "{evil} gave {out}");
            }
        }
    }

    #[test]
    fn plain_text_is_paragraphs_of_decoded_collapsed_text() {
        let html = "<h2>  防溺水 </h2><p>“六不”&nbsp;原则：<br>不私自\n   下水&amp;不擅自游泳</p>\
                    <p>\u{200b}</p><script>alert(1)</script><ul><li>第一条</li><li>第二条</li></ul>\
                    <table><tr><td>时间</td><td>地点</td></tr></table><p>温度 &lt; 30℃</p>";
        assert_eq!(
            plain_text(html),
            "防溺水\n“六不” 原则：\n不私自 下水&不擅自游泳\n第一条\n第二条\n时间 地点\n温度 < 30℃"
        );
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn tokens_read_quoted_angle_brackets() {
        let clean = rich_text("<img src=\"https://a.example/x.png\" alt=\"a > b &quot;c&quot;\">后");
        let tokens: Vec<Token> = Tokens(&clean).collect();
        assert_eq!(tokens.len(), 2);
        let Token::Tag { attrs, .. } = &tokens[0] else { panic!("{tokens:?}") };
        assert_eq!(attribute(attrs, "alt").as_deref(), Some("a > b \"c\""));
        assert_eq!(tokens[1], Token::Text("后"));
    }

    /// Pieces that attacks are made of, for the property below to combine.
    const PIECES: [&str; 28] = [
        "<script>",
        "</script>",
        "<SCRIPT SRC=//x>",
        "<a href=\"",
        "javascript:",
        "JaVaScRiPt:",
        "java&#x09;script:",
        "\" onclick=\"x()\"",
        " onerror=alert(1) ",
        "<img src=x ",
        "<img src=\"/media/",
        " hx-get=\"/x\"",
        "<meta http-equiv=refresh content=0>",
        "<svg><script>",
        "<!--",
        "-->",
        "<p>",
        "科普",
        "&lt;",
        "&#x3C;script",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "<div hx-post=/a>",
        "<iframe src=//x>",
        "<math><mi xlink:href=x>",
    ];

    /// The names of a tag's attributes in ammonia's output (every value double-quoted); a
    /// name left without a value comes last.
    fn attribute_names(attrs: &str) -> Vec<&str> {
        let mut names = Vec::new();
        let mut rest = attrs;
        while let Some(eq) = rest.find("=\"") {
            names.push(rest[..eq].trim());
            let Some(end) = rest[eq + 2..].find('"') else { return names };
            rest = &rest[eq + 2 + end + 1..];
        }
        names.extend(rest.split_whitespace().filter(|n| *n != "/"));
        names
    }

    mod property {
        use super::super::*;
        use super::{PIECES, attribute_names};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            /// Whatever goes in, what comes out has no script, no meta, no event handler, no
            /// htmx attribute, and no link or image that is not http(s), mailto or our media.
            #[test]
            fn nothing_active_survives(parts in proptest::collection::vec(
                prop_oneof![proptest::sample::select(&PIECES[..]).prop_map(str::to_string), ".{0,12}"],
                0..40,
            )) {
                let out = rich_text(&parts.concat());
                let lower = out.to_ascii_lowercase();
                prop_assert!(!lower.contains("<script") && !lower.contains("<meta"), "{}", out);
                for token in Tokens(&out) {
                    let Token::Tag { name, attrs, .. } = token else { continue };
                    prop_assert!(TAGS.contains(&name), "{} in {}", name, out);
                    for attr in attribute_names(attrs) {
                        prop_assert!(["href", "src", "alt", "rel"].contains(&attr), "{} in {}", attr, out);
                    }
                    for url in ["href", "src"].iter().filter_map(|a| attribute(attrs, a)) {
                        let url = url.to_ascii_lowercase();
                        prop_assert!(
                            ["http:", "https:", "mailto:", "/media/"].iter().any(|s| url.starts_with(s)),
                            "{} in {}", url, out
                        );
                    }
                }
            }
        }
    }
}
