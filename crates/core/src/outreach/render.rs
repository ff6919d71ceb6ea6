//! Channel-ready versions of one content item: the WeChat article body, the radio script
//! (播音稿), the newspaper column text and the short-video caption, hashtags and cover.

use super::sanitize;
use ammonia::Builder;
use std::sync::LazyLock;

/// What every version is made from.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    /// Already sanitised (`sanitize::rich_text`).
    pub body_html: &'a str,
    pub topic: &'a str,
    pub tags: &'a [String],
    pub source_label: &'a str,
    /// Who publishes it, e.g. "南通州科协" or "FM999通州广播".
    pub account: &'a str,
}

/// Escapes text for HTML and XML alike.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Length as Chinese editors count it (Word's 字数): every character but whitespace counts
/// one, except that a run of Latin letters and digits counts as one word.
pub fn char_count(text: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word = c.is_ascii_alphanumeric();
        if !(c.is_whitespace() || word && in_word) {
            count += 1;
        }
        in_word = word;
    }
    count
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- WeChat ----------------------------------------------------------------------------

/// The WeChat editor drops classes and `<style>`, so every element carries its own style.
const WECHAT_STYLES: [(&str, &str); 17] = [
    ("p", "margin:0 0 1em;"),
    ("h2", "margin:1.6em 0 0.8em;font-size:20px;font-weight:bold;line-height:1.4;color:#1a5fb4;"),
    ("h3", "margin:1.4em 0 0.6em;font-size:18px;font-weight:bold;line-height:1.4;color:#1a5fb4;"),
    ("h4", "margin:1.2em 0 0.5em;font-size:16px;font-weight:bold;line-height:1.4;color:#333;"),
    ("img", "display:block;width:100%;height:auto;margin:0 auto;"),
    ("figure", "margin:1em 0;"),
    ("figcaption", "margin-top:0.4em;font-size:14px;color:#888;text-align:center;"),
    ("blockquote", "margin:1em 0;padding:0.6em 1em;border-left:4px solid #1a5fb4;background:#f4f7fb;color:#555;"),
    ("ul", "margin:0 0 1em;padding-left:1.5em;"),
    ("ol", "margin:0 0 1em;padding-left:1.5em;"),
    ("li", "margin:0.3em 0;"),
    ("table", "width:100%;margin:1em 0;border-collapse:collapse;font-size:14px;"),
    ("th", "padding:6px 8px;border:1px solid #ddd;background:#f4f7fb;font-weight:bold;"),
    ("td", "padding:6px 8px;border:1px solid #ddd;"),
    ("hr", "margin:1.5em 0;border:0;border-top:1px solid #ddd;"),
    ("pre", "margin:1em 0;padding:0.8em;background:#f6f6f6;font-size:14px;white-space:pre-wrap;word-break:break-all;"),
    ("a", "color:#1a5fb4;"),
];

/// The article sanitiser with the styles set on every element (any style the body had is
/// already gone: the allow-list has none).
static WECHAT: LazyLock<Builder<'static>> = LazyLock::new(|| {
    let mut b = sanitize::builder();
    for (tag, style) in WECHAT_STYLES {
        b.set_tag_attribute_value(tag, "style", style);
    }
    b
});

/// The body of a WeChat article (公众号图文). The title is not in it: WeChat shows its own
/// title field above the body.
pub fn wechat_html(p: &Piece) -> String {
    let mut out = String::from(
        "<section style=\"font-size:16px;line-height:1.75;color:#333;letter-spacing:0.5px;word-wrap:break-word;\">",
    );
    let summary = p.summary.trim();
    if !summary.is_empty() {
        out.push_str(&format!(
            "<section style=\"margin:0 0 1.5em;padding:0.8em 1em;background:#f4f7fb;border-radius:4px;\
             font-size:15px;color:#555;\">{}</section>",
            escape(summary)
        ));
    }
    // Sanitised again so that the styles reach every element, whatever the stored body is.
    out.push_str(&WECHAT.clean(p.body_html).to_string());
    out.push_str(
        "<section style=\"margin-top:2em;padding-top:1em;border-top:1px solid #eee;font-size:14px;color:#888;\">",
    );
    let source = p.source_label.trim();
    if !source.is_empty() {
        out.push_str(&format!("<p style=\"margin:0;\">来源：{}</p>", escape(source)));
    }
    out.push_str(&format!("<p style=\"margin:0;\">编辑：{}</p></section></section>", escape(p.account.trim())));
    out
}

// ---- Radio -----------------------------------------------------------------------------

/// A 播音稿 and how long it takes to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RadioScript {
    pub text: String,
    /// Characters read aloud (title and body, see `char_count`), not the header lines.
    pub chars: usize,
    pub seconds: u32,
}

/// Chinese read aloud per minute on air.
const READING_SPEED: usize = 240;
/// An announcer's paragraph: sentences are joined up to this many characters.
const RADIO_PARAGRAPH: usize = 80;

pub fn radio_script(p: &Piece) -> RadioScript {
    let title = read_out(&collapse(p.title));
    let mut paragraphs = Vec::new();
    for line in sanitize::plain_text(p.body_html).lines() {
        let mut current = String::new();
        for sentence in sentences(&read_out(line)) {
            if !current.is_empty() && current.chars().count() + sentence.chars().count() > RADIO_PARAGRAPH {
                paragraphs.push(std::mem::take(&mut current));
            }
            current.push_str(&sentence);
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
    }
    let chars = char_count(&title) + paragraphs.iter().map(|s| char_count(s)).sum::<usize>();
    let seconds = (chars * 60).div_ceil(READING_SPEED) as u32;
    let duration = match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} 秒"),
        (m, s) => format!("{m} 分 {s} 秒"),
    };
    let topic = match p.topic.trim() {
        "" => "科普",
        t => t,
    };
    let text = format!("栏目：{topic}\n标题：{title}\n时长：约 {duration}\n\n{}\n", paragraphs.join("\n\n"));
    RadioScript { text, chars, seconds }
}

/// Splits after sentence ends; closing quotes and repeated marks ("！？", "……") stay with
/// their sentence.
fn sentences(text: &str) -> Vec<String> {
    let end = |c: char| matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | '…');
    let close = |c: char| matches!(c, '”' | '’' | '」' | '』' | '）' | ')');
    let mut out = Vec::new();
    let mut current = String::new();
    let mut ended = false;
    for c in text.chars() {
        if ended && !end(c) && !close(c) {
            out.push(std::mem::take(&mut current));
        }
        current.push(c);
        ended = end(c) || (ended && close(c));
    }
    if !current.trim().is_empty() {
        out.push(current);
    }
    out
}

/// Writes out what an announcer should not have to work out on air: whole percentages up to a
/// hundred (30% → 百分之三十), degrees Celsius (-5℃ → 零下5摄氏度) and ranges (20~30 → 20至30).
fn read_out(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let celsius = |i: usize| at(i) == '℃' || (at(i) == '°' && at(i + 1) == 'C');
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < c.len() {
        let prev = if i == 0 { '\0' } else { c[i - 1] };
        if matches!(c[i], '-' | '－' | '−') && at(i + 1).is_ascii_digit() && !prev.is_ascii_alphanumeric() {
            let mut j = i + 1;
            while at(j).is_ascii_digit() || at(j) == '.' {
                j += 1;
            }
            if celsius(j) {
                out.push_str("零下");
                i += 1;
                continue;
            }
        }
        if c[i].is_ascii_digit() && !prev.is_ascii_digit() && prev != '.' {
            let mut j = i;
            while at(j).is_ascii_digit() {
                j += 1;
            }
            let digits: String = c[i..j].iter().collect();
            if at(j) == '.' && at(j + 1).is_ascii_digit() {
                // A decimal stays as written; its digits are not read as a number of their own.
                j += 1;
                while at(j).is_ascii_digit() {
                    j += 1;
                }
                out.extend(&c[i..j]);
            } else if matches!(at(j), '%' | '％')
                && let Some(n) = digits.parse::<u32>().ok().filter(|n| *n <= 100)
            {
                out.push_str("百分之");
                out.push_str(&chinese_number(n));
                j += 1;
            } else {
                out.push_str(&digits);
            }
            i = j;
            continue;
        }
        match c[i] {
            '℃' => out.push_str("摄氏度"),
            '°' if at(i + 1) == 'C' => {
                out.push_str("摄氏度");
                i += 1;
            }
            '~' | '～' if prev.is_ascii_digit() && at(i + 1).is_ascii_digit() => out.push('至'),
            ch => out.push(ch),
        }
        i += 1;
    }
    out
}

/// 0–100 in Chinese numerals, as read: 十, 十二, 三十, 四十五, 一百.
fn chinese_number(n: u32) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let unit = |d: u32| if d == 0 { String::new() } else { DIGITS[d as usize].to_string() };
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!("十{}", unit(n % 10)),
        20..=99 => format!("{}十{}", DIGITS[(n / 10) as usize], unit(n % 10)),
        _ => "一百".to_string(),
    }
}

// ---- Newspaper -------------------------------------------------------------------------

/// The text of a newspaper column (专栏) and its length in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewspaperText {
    pub text: String,
    /// See `char_count`.
    pub chars: usize,
}

/// Two full-width spaces open every paragraph in Chinese print.
const INDENT: &str = "\u{3000}\u{3000}";

pub fn newspaper_text(p: &Piece) -> NewspaperText {
    let mut lines = vec![collapse(p.title)];
    let summary = collapse(p.summary);
    if !summary.is_empty() {
        lines.push(format!("【导语】{summary}"));
    }
    lines.extend(sanitize::plain_text(p.body_html).lines().map(|l| format!("{INDENT}{l}")));
    lines.push(format!("（{}供稿）", p.account.trim()));
    let text = lines.join("\n");
    NewspaperText { chars: char_count(&text), text }
}

// ---- Short video -----------------------------------------------------------------------

/// What a short-video post needs besides the video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortVideo {
    pub caption: String,
    pub hashtags: Vec<String>,
    /// A 1080×1440 (3:4) cover.
    pub cover_svg: String,
}

const CAPTION_MAX: usize = 55;
/// A cut at a boundary earlier than this loses too much; the caption is cut mid-phrase instead.
const CAPTION_MIN_CUT: usize = 20;
const HASHTAGS_MAX: usize = 5;
const COVER_LINE: usize = 10;
const COVER_LINES: usize = 4;

const SENTENCE_END: [char; 7] = ['。', '！', '？', '!', '?', '；', ';'];
const PHRASE_END: [char; 7] = ['，', '、', '：', ',', ':', ' ', '…'];
/// May not open a line.
const CLOSING: [char; 19] =
    ['，', '。', '、', '！', '？', '；', '：', '”', '’', '》', '）', '」', '』', '】', ',', '.', '!', '?', ')'];
/// May not close a line.
const OPENING: [char; 7] = ['“', '‘', '《', '（', '「', '『', '【'];
/// Dropped where a cover line ends.
const LINE_END_TRIM: [char; 10] = ['，', '、', '；', '：', '。', ',', ';', ':', '.', ' '];

pub fn short_video(p: &Piece) -> ShortVideo {
    let from = if p.summary.trim().is_empty() { p.title } else { p.summary };
    ShortVideo { caption: caption(&collapse(from)), hashtags: hashtags(p.topic, p.tags), cover_svg: cover(p) }
}

/// At most `CAPTION_MAX` characters: whole sentences if they fit, else up to a phrase boundary
/// followed by "…".
fn caption(text: &str) -> String {
    let c: Vec<char> = text.chars().collect();
    if c.len() <= CAPTION_MAX {
        return text.to_string();
    }
    if let Some(i) = c[..CAPTION_MAX].iter().rposition(|ch| SENTENCE_END.contains(ch))
        && i + 1 >= CAPTION_MIN_CUT
    {
        return c[..=i].iter().collect();
    }
    let room = &c[..CAPTION_MAX - 1];
    let cut = match room.iter().rposition(|ch| PHRASE_END.contains(ch) || SENTENCE_END.contains(ch)) {
        Some(i) if i >= CAPTION_MIN_CUT => i,
        _ => room.len(),
    };
    let mut out: String = c[..cut].iter().collect();
    out.push('…');
    out
}

/// `#科普` first, then the topic and the tags, each once, at most `HASHTAGS_MAX`.
fn hashtags(topic: &str, tags: &[String]) -> Vec<String> {
    let mut out = vec!["#科普".to_string()];
    for t in std::iter::once(topic).chain(tags.iter().map(String::as_str)) {
        // A hashtag ends at whitespace or at the next '#'.
        let name: String = t.chars().filter(|c| !c.is_whitespace() && !matches!(c, '#' | '＃')).collect();
        let tag = format!("#{name}");
        if !name.is_empty() && !out.contains(&tag) && out.len() < HASHTAGS_MAX {
            out.push(tag);
        }
    }
    out
}

/// The title in lines of at most `width` characters, broken after punctuation where possible,
/// never opening a line with closing punctuation; "…" ends the last line if it does not fit.
fn wrap(title: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut phrases: Vec<Vec<char>> = Vec::new();
    let mut current = Vec::new();
    for c in collapse(title).chars() {
        if current.is_empty()
            && CLOSING.contains(&c)
            && let Some(last) = phrases.last_mut()
        {
            last.push(c);
            continue;
        }
        current.push(c);
        if PHRASE_END.contains(&c) || SENTENCE_END.contains(&c) {
            phrases.push(std::mem::take(&mut current));
        }
    }
    phrases.push(current);
    let trimmed = |p: &[char]| p.len() - p.iter().rev().take_while(|c| LINE_END_TRIM.contains(c)).count();
    let mut lines: Vec<Vec<char>> = Vec::new();
    let mut line: Vec<char> = Vec::new();
    for phrase in phrases {
        if line.len() + trimmed(&phrase) <= width {
            line.extend(&phrase);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = &phrase[..trimmed(&phrase)];
        while rest.len() > width {
            let mut cut = width;
            while cut > 1 && (CLOSING.contains(&rest[cut]) || OPENING.contains(&rest[cut - 1])) {
                cut -= 1;
            }
            lines.push(rest[..cut].to_vec());
            rest = &rest[cut..];
        }
        line = rest.to_vec();
    }
    lines.push(line);
    let mut out: Vec<String> =
        lines.iter().map(|l| l[..trimmed(l)].iter().collect()).filter(|l: &String| !l.is_empty()).collect();
    if out.len() > max_lines {
        out.truncate(max_lines);
        let last = &mut out[max_lines - 1];
        *last = last.chars().take(width - 1).chain(['…']).collect();
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    let s = collapse(s);
    if s.chars().count() <= max { s } else { s.chars().take(max - 1).chain(['…']).collect() }
}

/// The cover: title in large type on a blue ground, a band with the topic, the account below.
fn cover(p: &Piece) -> String {
    let lines = wrap(p.title, COVER_LINE, COVER_LINES);
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1080\" height=\"1440\" viewBox=\"0 0 1080 1440\">\
         <defs><linearGradient id=\"bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">\
         <stop offset=\"0\" stop-color=\"#0b3d91\"/><stop offset=\"1\" stop-color=\"#1a7f8e\"/></linearGradient></defs>\
         <rect width=\"1080\" height=\"1440\" fill=\"url(#bg)\"/>\
         <g font-family=\"'Noto Sans CJK SC', sans-serif\" text-anchor=\"middle\" fill=\"#ffffff\">\
         <text x=\"540\" y=\"180\" font-size=\"48\" letter-spacing=\"12\" opacity=\"0.85\">科普</text>",
    );
    // 96px lines, 136px apart, centred on y = 640.
    let n = lines.len() as i64;
    for (i, line) in lines.iter().enumerate() {
        let y = 640 + (2 * i as i64 - (n - 1)) * 68 + 34;
        svg.push_str(&format!(
            "<text x=\"540\" y=\"{y}\" font-size=\"96\" font-weight=\"bold\">{}</text>",
            escape(line)
        ));
    }
    let topic = match p.topic.trim() {
        "" => "科普",
        t => t,
    };
    svg.push_str(&format!(
        "<rect x=\"0\" y=\"1120\" width=\"1080\" height=\"120\" fill=\"#f6b93b\"/>\
         <text x=\"540\" y=\"1200\" font-size=\"56\" font-weight=\"bold\" fill=\"#0b3d91\">{}</text>\
         <text x=\"540\" y=\"1360\" font-size=\"44\">{}</text></g></svg>",
        escape(&truncate(topic, 16)),
        escape(&truncate(p.account, 20))
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece<'a>(body: &'a str, tags: &'a [String]) -> Piece<'a> {
        Piece {
            title: "夏季防溺水安全知识，这些要点请牢记",
            summary: "暑假将至，牢记“六不”，远离溺水。",
            body_html: body,
            topic: "防溺水",
            tags,
            source_label: "应急管理部",
            account: "南通州科协",
        }
    }

    #[test]
    fn counts_characters_the_chinese_way() {
        assert_eq!(char_count("防溺水 安全\u{3000}知识"), 7);
        assert_eq!(char_count("2026年 COVID-19 防护"), 7);
        assert_eq!(char_count("“六不”。"), 5);
        assert_eq!(char_count(""), 0);
    }

    #[test]
    fn wechat_has_inline_styles_only_and_escapes_everything_else() {
        let body = "<h2>什么是溺水</h2><p>溺水是<strong>意外</strong>死亡的主要原因。</p>\
                    <img src=\"https://mmbiz.qpic.cn/a.jpg\" alt=\"图\"><script>alert(1)</script>";
        let p = Piece {
            summary: "<b>导读</b> & 摘要",
            source_label: "\"应急\"<部>",
            account: "南通州科协'",
            ..piece(body, &[])
        };
        let html = wechat_html(&p);
        assert!(html.starts_with("<section style=\"font-size:16px;line-height:1.75;"));
        assert!(html.ends_with("</section></section>"));
        assert!(html.contains("&lt;b&gt;导读&lt;/b&gt; &amp; 摘要"));
        assert!(html.contains("来源：&quot;应急&quot;&lt;部&gt;"));
        assert!(html.contains("编辑：南通州科协&#39;"));
        assert!(html.contains("<h2 style=\"margin:1.6em 0 0.8em;font-size:20px;"));
        assert!(html.contains("<p style=\"margin:0 0 1em;\">溺水是<strong>意外</strong>死亡的主要原因。</p>"));
        assert!(html.contains("<img src=\"https://mmbiz.qpic.cn/a.jpg\" alt=\"图\" style=\"display:block;width:100%;"));
        assert!(!html.contains("class=") && !html.contains("<style") && !html.contains("<script"));
        assert!(!html.contains("夏季防溺水"), "WeChat shows the title itself");
        let bare = wechat_html(&Piece { summary: " ", source_label: "", ..piece("<p>正文</p>", &[]) });
        assert!(!bare.contains("来源") && bare.contains("编辑：南通州科协"));
        assert!(!bare.contains("background:#f4f7fb;border-radius"), "no lead box without a summary");
    }

    #[test]
    fn radio_reads_numbers_and_symbols_out() {
        assert_eq!(read_out("约30%的溺水发生在5%以下"), "约百分之三十的溺水发生在百分之五以下");
        assert_eq!(read_out("100%、12％、0%"), "百分之一百、百分之十二、百分之零");
        assert_eq!(read_out("150%与12.5%不变"), "150%与12.5%不变");
        assert_eq!(read_out("气温-5℃到20~30°C"), "气温零下5摄氏度到20至30摄氏度");
        assert_eq!(read_out("2026-03-05发布"), "2026-03-05发布");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(45), "四十五");
        assert_eq!(chinese_number(70), "七十");
    }

    #[test]
    fn radio_script_has_header_short_paragraphs_and_duration() {
        let long = "溺水是夏季青少年意外死亡的主要原因之一。".repeat(6);
        let body = format!("<p>{long}</p><p>水温低于20℃时，约30%的人会抽筋。</p>");
        let s = radio_script(&piece(&body, &[]));
        let mut lines = s.text.lines();
        assert_eq!(lines.next(), Some("栏目：防溺水"));
        assert_eq!(lines.next(), Some("标题：夏季防溺水安全知识，这些要点请牢记"));
        assert!(s.text.contains("水温低于20摄氏度时，约百分之三十的人会抽筋。"));
        let paragraphs: Vec<&str> = s.text.split("\n\n").skip(1).map(str::trim).collect();
        assert_eq!(paragraphs.len(), 3, "{paragraphs:?}");
        assert!(paragraphs.iter().all(|p| p.chars().count() <= RADIO_PARAGRAPH));
        assert_eq!(s.chars, 17 + 20 * 6 + 22);
        assert_eq!(s.seconds, 40);
        assert!(s.text.contains("时长：约 40 秒"));
        let longer = radio_script(&piece(&format!("<p>{}</p>", "科".repeat(300)), &[]));
        assert_eq!((longer.chars, longer.seconds), (317, 80));
        assert!(longer.text.contains("时长：约 1 分 20 秒"));
    }

    #[test]
    fn newspaper_text_is_indented_with_lead_and_credit() {
        let n = newspaper_text(&piece("<p>第一段。</p><p>第二 段。</p>", &[]));
        assert_eq!(
            n.text,
            "夏季防溺水安全知识，这些要点请牢记\n【导语】暑假将至，牢记“六不”，远离溺水。\n\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二 段。\n（南通州科协供稿）"
        );
        assert_eq!(n.chars, 17 + 21 + 4 + 4 + 9);
        let bare = newspaper_text(&Piece { summary: "", ..piece("<p>正文</p>", &[]) });
        assert!(!bare.text.contains("导语"));
    }

    #[test]
    fn captions_are_cut_on_boundaries() {
        let short = short_video(&piece("", &[]));
        assert_eq!(short.caption, "暑假将至，牢记“六不”，远离溺水。");
        let untitled = short_video(&Piece { summary: "  ", ..piece("", &[]) });
        assert_eq!(untitled.caption, "夏季防溺水安全知识，这些要点请牢记");
        let two = "夏天到了，很多孩子喜欢到河边、池塘边玩水，这非常危险。家长要看管好孩子，不让孩子私自下水游泳，更不能到不熟悉的水域。";
        assert_eq!(caption(two), "夏天到了，很多孩子喜欢到河边、池塘边玩水，这非常危险。");
        let one = "夏天到了，很多孩子喜欢到河边、池塘边玩水，家长要看管好孩子，不让孩子私自下水游泳，更不能到不熟悉的水域去游泳玩耍。";
        let cut = caption(one);
        assert_eq!(cut, "夏天到了，很多孩子喜欢到河边、池塘边玩水，家长要看管好孩子，不让孩子私自下水游泳…");
        assert!(cut.chars().count() <= CAPTION_MAX);
        let solid = "溺".repeat(80);
        assert_eq!(caption(&solid).chars().count(), CAPTION_MAX);
        assert!(caption(&solid).ends_with('…'));
    }

    #[test]
    fn hashtags_are_unique_and_few() {
        let tags: Vec<String> = ["防溺水", "暑期 安全", "#科普", "学生", "家长", "游泳"].map(String::from).to_vec();
        assert_eq!(short_video(&piece("", &tags)).hashtags, ["#科普", "#防溺水", "#暑期安全", "#学生", "#家长"]);
        assert_eq!(hashtags("", &[]), ["#科普"]);
    }

    #[test]
    fn cover_titles_wrap_on_phrases_within_ten() {
        assert_eq!(wrap("夏季防溺水安全知识，这些要点请牢记", 10, 4), ["夏季防溺水安全知识", "这些要点请牢记"]);
        assert_eq!(wrap("夏季防溺水安全知识这些要点请牢记", 10, 4), ["夏季防溺水安全知识这", "些要点请牢记"]);
        assert_eq!(wrap("一二三四五六七八九十。十一", 10, 4), ["一二三四五六七八九十", "十一"]);
        assert_eq!(wrap("一二三四五六七八九“十一”", 10, 4), ["一二三四五六七八九", "“十一”"]);
        assert_eq!(wrap("一二三四五六七八九十”后", 10, 4), ["一二三四五六七八九", "十”后"]);
        let long = wrap(&"溺".repeat(50), 10, 4);
        assert_eq!(long.len(), 4);
        assert_eq!(long[3], format!("{}…", "溺".repeat(9)));
        assert!(long.iter().all(|l| l.chars().count() <= 10));
    }

    #[test]
    fn cover_is_a_three_by_four_svg_with_escaped_text() {
        let p =
            Piece {
                title: "<防溺水> & \"安全\"", topic: "应急&科普", account: "南通州科协<script>", ..piece("", &[])
            };
        let svg = short_video(&p).cover_svg;
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1080\" height=\"1440\""));
        assert!(svg.contains("font-family=\"'Noto Sans CJK SC', sans-serif\""));
        assert!(svg.contains("&lt;防溺水&gt; &amp;"));
        assert!(svg.contains("&quot;安全&quot;"));
        assert!(svg.contains(">应急&amp;科普</text>"));
        assert!(svg.contains(">南通州科协&lt;script&gt;</text>"));
        assert!(!svg.contains("<script"));
        let texts = svg.matches("font-size=\"96\"").count();
        assert_eq!(texts, 2);
    }
}

/// A full-screen HTML slide of an article for the e-station screens (1920×1080 landscape):
/// the title, the summary or the opening paragraphs, and the topic. Scripts never run on
/// screens' slides; this one has none.
pub fn screen_slide(title: &str, summary: &str, body_html: &str, topic: &str) -> String {
    let text = if summary.trim().is_empty() { super::sanitize::plain_text(body_html) } else { summary.to_string() };
    let mut shown = String::new();
    for para in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if char_count(&shown) + char_count(para) > 180 {
            break;
        }
        shown.push_str(&format!("<p>{}</p>", escape(para)));
    }
    if shown.is_empty() {
        let cut: String = text.chars().take(180).collect();
        shown = format!("<p>{}…</p>", escape(&cut));
    }
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{t}</title><style>\
html,body{{margin:0;height:100%;background:#0b4a8b;color:#fff;font-family:\"Noto Sans CJK SC\",sans-serif}}\
main{{box-sizing:border-box;height:100%;padding:6vh 7vw;display:flex;flex-direction:column;justify-content:center}}\
.topic{{font-size:3.2vh;letter-spacing:.3em;color:#ffd45c}}h1{{font-size:7vh;line-height:1.25;margin:2vh 0 4vh}}\
p{{font-size:4vh;line-height:1.7;margin:0 0 2vh}}footer{{font-size:2.6vh;opacity:.8;margin-top:auto}}</style></head>\
<body><main><div class=\"topic\">{topic}</div><h1>{t}</h1>{shown}<footer>通州区科协 · 科普e站</footer></main></body></html>",
        t = escape(title),
        topic = escape(topic),
    )
}

#[cfg(test)]
mod slide_tests {
    use super::*;

    #[test]
    fn slide_is_html_the_screens_take_and_escapes() {
        let s = screen_slide("防溺水<b>", "", "<p>不私自下水。</p><script>x</script>", "应急避险");
        assert!(s.starts_with("<!doctype html>"));
        assert!(s.contains("防溺水&lt;b&gt;") && s.contains("不私自下水"));
        assert!(!s.contains("<script"));
        assert!(crate::estation::media::check("s.html", s.as_bytes()).is_ok());
    }
}
