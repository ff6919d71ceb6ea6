//! The only ways markup or script data reach a page unescaped. Templates never say `|safe`
//! (a test reads every template); a value of these two types is safe by how it was made, so
//! askama prints it as it is and escapes everything else.

use askama::filters::HtmlSafe;
use serde::Serialize;
use std::fmt;

/// Data for the page's scripts, printed inside `<script type="application/json">`. Every `<`,
/// `>` and `&` is written as a JSON escape, so no text in it can close the element or open
/// markup; line and paragraph separators too, for older JSON readers.
pub struct ScriptJson(String);

impl ScriptJson {
    pub fn new(value: &impl Serialize) -> Self {
        let raw = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            match c {
                '<' => out.push_str("\\u003c"),
                '>' => out.push_str("\\u003e"),
                '&' => out.push_str("\\u0026"),
                '\u{2028}' => out.push_str("\\u2028"),
                '\u{2029}' => out.push_str("\\u2029"),
                c => out.push(c),
            }
        }
        Self(out)
    }
}

impl fmt::Display for ScriptJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl HtmlSafe for ScriptJson {}

/// Markup made by kexie itself: an article body through the allow-list sanitiser, a search
/// highlight (escaped text with `<mark>`), a QR code, or a rendered template.
#[derive(Debug, Clone, Default)]
pub struct Markup(String);

impl Markup {
    /// An article body, sanitised again as it is shown: the stored body was sanitised on save,
    /// and showing it never trusts that alone.
    pub fn rich_text(html: &str) -> Self {
        Self(kexie_core::outreach::sanitize::rich_text(html))
    }

    /// A search highlight: the search crate escapes the text and adds only `<mark>` and
    /// `</mark>`. Anything else in it means the text was not escaped, and it is shown as text.
    pub fn highlight(html: &str) -> Self {
        let rest = html.replace("<mark>", "").replace("</mark>", "");
        if rest.contains(['<', '>', '"']) {
            Self(kexie_core::outreach::render::escape(html))
        } else {
            Self(html.to_string())
        }
    }

    /// A QR code as inline SVG (the encoded text is never shown as markup).
    pub fn qr(text: &str, size: u32) -> Self {
        Self(qr_svg(text, size))
    }

    /// A template rendered into another page; askama escaped its values.
    pub fn fragment(t: &impl askama::Template) -> Self {
        Self(t.render().unwrap_or_default())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl HtmlSafe for Markup {}

/// Attributes a form field's template passes through (`required maxlength="50"`): only the
/// input constraints named here, with values that cannot leave their quotes. Anything else is
/// dropped whole, so no handler or `hx-` attribute can be passed.
pub fn field_attrs(attrs: &str) -> Markup {
    const ALLOWED: [&str; 12] = [
        "required",
        "maxlength",
        "minlength",
        "min",
        "max",
        "step",
        "pattern",
        "inputmode",
        "autocomplete",
        "placeholder",
        "list",
        "readonly",
    ];
    let mut rest = attrs.trim();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| !(c.is_ascii_lowercase() || c == '-')).unwrap_or(rest.len());
        if !ALLOWED.contains(&&rest[..name_end]) {
            return Markup::default();
        }
        rest = &rest[name_end..];
        if let Some(v) = rest.strip_prefix("=\"") {
            let Some(close) = v.find('"') else { return Markup::default() };
            if v[..close].contains(['<', '>', '&']) {
                return Markup::default();
            }
            rest = &v[close + 1..];
        }
        let trimmed = rest.trim_start();
        if trimmed.len() == rest.len() && !rest.is_empty() {
            return Markup::default();
        }
        rest = trimmed;
    }
    Markup(attrs.trim().to_string())
}

/// A QR code as an SVG document without its XML declaration (it goes inside pages and slides).
pub fn qr_svg(text: &str, size: u32) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(q) => q.render::<qrcode::render::svg::Color>().min_dimensions(size, size).quiet_zone(true).build().replacen(
            "<?xml version=\"1.0\" standalone=\"yes\"?>",
            "",
            1,
        ),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule that keeps user text out of markup: no template may switch escaping off.
    #[test]
    fn no_template_switches_escaping_off() {
        fn walk(dir: &std::path::Path, bad: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, bad);
                } else {
                    let text = std::fs::read_to_string(&p).unwrap();
                    let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
                    if squashed.contains("|safe")
                        || squashed.contains("escape=\"none\"")
                        || text.contains("{% autoescape")
                    {
                        bad.push(p.display().to_string());
                    }
                }
            }
        }
        let mut bad = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"), &mut bad);
        assert!(bad.is_empty(), "templates that print unescaped text: {bad:?}");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let j = ScriptJson::new(&serde_json::json!({"name": "</script><form hx-post=/x>&\u{2028}"}));
        let s = j.to_string();
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><form hx-post=/x>&\u{2028}");
    }

    #[test]
    fn a_highlight_with_other_markup_is_shown_as_text() {
        assert_eq!(Markup::highlight("中国<mark>农业</mark>&lt;b&gt;").as_str(), "中国<mark>农业</mark>&lt;b&gt;");
        assert_eq!(
            Markup::highlight("<mark>a</mark><img src=x>").as_str(),
            "&lt;mark&gt;a&lt;/mark&gt;&lt;img src=x&gt;"
        );
    }

    #[test]
    fn field_attrs_pass_constraints_only() {
        let ok = r#"required maxlength="18" pattern="[0-9]{17}[0-9Xx*]|.*\*.*" autocomplete="off""#;
        assert_eq!(field_attrs(ok).as_str(), ok);
        for bad in [r#"onfocus="x""#, r#"hx-post="/x""#, r#"min="1"><script>"#, r#"max="1"x"#, r#"placeholder="a&b""#] {
            assert_eq!(field_attrs(bad).as_str(), "", "{bad}");
        }
    }

    #[test]
    fn rich_text_is_sanitised_when_shown() {
        let m = Markup::rich_text(
            "<p hx-post=\"/x\" hx-trigger=\"load\">文</p><meta http-equiv=\"refresh\" content=\"0\">",
        );
        assert_eq!(m.as_str(), "<p>文</p>");
    }

    #[test]
    fn templates_print_these_types_unescaped_and_text_escaped() {
        #[derive(askama::Template)]
        #[template(source = "<script type=\"application/json\">{{ j }}</script>{{ m }}{{ t }}", ext = "html")]
        struct T {
            j: ScriptJson,
            m: Markup,
            t: String,
        }
        let out = askama::Template::render(&T {
            j: ScriptJson::new(&"</script>"),
            m: Markup::highlight("<mark>科普</mark>"),
            t: "<b>".into(),
        })
        .unwrap();
        assert_eq!(
            out,
            "<script type=\"application/json\">\"\\u003c/script\\u003e\"</script><mark>科普</mark>&#60;b&#62;"
        );
    }
}
