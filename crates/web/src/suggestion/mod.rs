//! 建议意见 in the web layer: the public, phone-first pages citizens use without an account
//! (the form, the follow-up page with the answer and the rating, the public answers) and the
//! staff pages (list, moderation, routing, answers, figures, the QR slide for screens).
//!
//! The public form is guarded three ways: a rate limit per client address (checked before the
//! body is read, so a flood costs little and writes nothing), and the challenge and honeypot
//! every public form that writes has (`public::Challenges`). Its CSRF token is a double-submit
//! cookie, as on the login page, or the session's token when a signed-in user sends one.

pub mod public;
pub mod staff;

/// The slide screens show: the QR code of the public page and "扫码提建议".
pub fn qr_slide(url: &str, site_name: &str) -> String {
    let svg = crate::html::qr_svg(url, 480);
    let esc = kexie_core::outreach::render::escape;
    format!(
        "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>扫码提建议</title><style>\
html,body{{margin:0;height:100%}}\
body{{display:flex;align-items:center;justify-content:center;gap:6vw;background:#1f5fbf;color:#fff;\
font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif}}\
.qr{{background:#fff;padding:2.5vh;border-radius:2vh}}.qr svg{{display:block;width:44vh;height:44vh}}\
h1{{font-size:11vh;margin:0 0 3vh;letter-spacing:.1em}}p{{font-size:4vh;margin:0 0 1.5vh;opacity:.92}}\
.url{{font-size:3vh;opacity:.75}}</style></head>\n<body><div class=\"qr\">{svg}</div><div><h1>扫码提建议</h1>\
<p>您对科普工作有什么意见和建议？</p><p>手机扫码即可提交，{site}认真答复每一条</p><p class=\"url\">{url}</p></div></body></html>\n",
        site = esc(site_name),
        url = esc(url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slide_is_a_slide_screens_accept() {
        let html = qr_slide("https://kx.example.cn/suggest?c=3", "通州区科协");
        let kind = kexie_core::estation::media::check("扫码提建议.html", html.as_bytes()).unwrap();
        assert_eq!(kind.media_type, "text/html");
        assert!(html.contains("扫码提建议") && html.contains("<svg"));
        assert!(!html.contains("<script"));
    }
}
