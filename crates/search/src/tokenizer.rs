//! Chinese segmentation for tantivy over `jieba-rs`.
//!
//! Three analyzers share one dictionary:
//! - `jieba_search` cuts in jieba's *search* mode, for the title, body and tags: a long word
//!   also yields the dictionary words inside it, so "中国农业发展银行" is found by "农业";
//! - `jieba_query` cuts in *normal* mode, for queries: the user's "农业发展银行" stays one word;
//! - `jieba_all` cuts in *full* mode (every dictionary word of two characters or more at every
//!   position), for the recall field: such a word is found wherever its characters occur, even
//!   where the sentence is segmented otherwise ("人参与" is 人/参与 in the other modes).
//!
//! All three fold full-width ASCII to half-width, lowercase ASCII, and drop tokens without a
//! letter or digit (punctuation, spaces).
//!
//! This is our own small adapter rather than the `tantivy-jieba` crate: that crate either uses
//! its own global default dictionary or owns a `Jieba` by value, and tantivy clones the
//! analyzer for every query and every snippet generator, which would copy the whole dictionary
//! each time; it has no full mode either. Ours points at one process-wide `Jieba` with the
//! default dictionary plus [`USER_DICT`] (the district's towns and streets, which the default
//! dictionary cuts apart, and science-outreach words newer than it).

use std::borrow::Cow;
use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

/// Name of the index-time (search mode) analyzer.
pub const SEARCH_TOKENIZER: &str = "jieba_search";
/// Name of the query-time (normal mode) analyzer.
pub const QUERY_TOKENIZER: &str = "jieba_query";
/// Name of the full-mode analyzer of the recall field.
pub const ALL_TOKENIZER: &str = "jieba_all";

/// Words added to jieba's default dictionary, one per line (`word` or `word frequency`).
/// Part of the index version: changing it rebuilds on-disk indexes at the next open.
pub const USER_DICT: &str = include_str!("dict.txt");

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for line in USER_DICT.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let freq = parts.next().and_then(|f| f.parse().ok());
        jieba.add_word(word, freq, None);
    }
    jieba
});

/// Loads the dictionary now (it takes a few hundred milliseconds) rather than on first use.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// The analyzers, to register on an index.
pub(crate) fn analyzers() -> [(&'static str, TextAnalyzer); 3] {
    [
        (SEARCH_TOKENIZER, TextAnalyzer::from(JiebaTokenizer::new(Mode::Search))),
        (QUERY_TOKENIZER, TextAnalyzer::from(JiebaTokenizer::new(Mode::Normal))),
        (ALL_TOKENIZER, TextAnalyzer::from(JiebaTokenizer::new(Mode::Full))),
    ]
}

/// How jieba cuts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The most likely words (queries).
    Normal,
    /// The most likely words and the dictionary words of two and three characters inside them.
    Search,
    /// Every dictionary word at every position, overlapping.
    Full,
}

/// A jieba tokenizer for tantivy; cheap to clone (the dictionary is shared).
#[derive(Clone, Copy, Debug)]
pub struct JiebaTokenizer {
    mode: Mode,
}

impl JiebaTokenizer {
    pub fn new(mode: Mode) -> Self {
        Self { mode }
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = JiebaTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> JiebaTokenStream<'a> {
        JiebaTokenStream { segmented: Segmented::new(text, self.mode), next: 0, token: Token::default() }
    }
}

/// A text cut into words: the (normalized) text and the byte spans of its words in it.
struct Segmented<'a> {
    text: Cow<'a, str>,
    /// For a normalized text: the original byte offset of each of its byte offsets (and its end).
    original_offsets: Option<Vec<usize>>,
    spans: Vec<(usize, usize)>,
}

impl<'a> Segmented<'a> {
    fn new(text: &'a str, mode: Mode) -> Self {
        let (text, original_offsets) = normalize(text);
        let words = match mode {
            Mode::Normal => JIEBA.cut(&text, true),
            Mode::Search => JIEBA.cut_for_search(&text, true),
            Mode::Full => JIEBA.cut_all(&text),
        };
        // Full mode: single Chinese characters would match like `LIKE '%猫%'` (熊猫), and would
        // be two thirds of its tokens.
        let keep = |w: &jieba_rs::Token| is_word(w.word) && (mode != Mode::Full || !is_single_han(w.word));
        let spans = words.iter().filter(|w| keep(w)).map(|w| (w.byte_start, w.byte_end)).collect();
        drop(words);
        Segmented { text, original_offsets, spans }
    }

    fn word(&self, i: usize) -> &str {
        let (from, to) = self.spans[i];
        &self.text[from..to]
    }

    fn original_span(&self, i: usize) -> (usize, usize) {
        let (from, to) = self.spans[i];
        match &self.original_offsets {
            Some(map) => (map[from], map[to]),
            None => (from, to),
        }
    }
}

/// Full-width ASCII (and the ideographic space) to half-width, before jieba sees the text, so
/// "ＡＩ" is one word like "AI". Borrows the text when there is nothing to change.
fn normalize(text: &str) -> (Cow<'_, str>, Option<Vec<usize>>) {
    let wide = |c: char| matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}');
    if !text.chars().any(wide) {
        return (Cow::Borrowed(text), None);
    }
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        out.push(c);
        map.resize(out.len(), i);
    }
    map.push(text.len());
    (Cow::Owned(out), Some(map))
}

/// Tokens of one text; positions are ordinals (the index keeps no positions).
pub struct JiebaTokenStream<'a> {
    segmented: Segmented<'a>,
    next: usize,
    token: Token,
}

impl TokenStream for JiebaTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.next >= self.segmented.spans.len() {
            return false;
        }
        let (from, to) = self.segmented.original_span(self.next);
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next;
        self.token.position_length = 1;
        self.token.text.clear();
        self.token.text.push_str(self.segmented.word(self.next));
        self.token.text.make_ascii_lowercase();
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// A token worth indexing: it has a letter or a digit (CJK ideographs count as letters).
fn is_word(word: &str) -> bool {
    word.chars().any(char::is_alphanumeric)
}

fn is_single_han(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if !c.is_ascii())
}

/// The words of a query, as the query analyzer cuts them (normal mode, folded, no punctuation).
pub(crate) fn query_words(text: &str) -> Vec<String> {
    let segmented = Segmented::new(text, Mode::Normal);
    (0..segmented.spans.len()).map(|i| segmented.word(i).to_ascii_lowercase()).collect()
}

/// The single Chinese characters of a query written against a longer Chinese word (黑星病 is
/// cut 黑星 / 病). In a sentence such a character often joins the next word instead (梨树黑星
/// 病要在 gives 黑星 / 病要), so it cannot be required as a word of its own.
pub(crate) fn glued_characters(text: &str) -> Vec<String> {
    let segmented = Segmented::new(text, Mode::Normal);
    let n = segmented.spans.len();
    let long_han = |i: usize| {
        let w = segmented.word(i);
        w.chars().count() >= 2 && w.chars().all(|c| !c.is_ascii())
    };
    (0..n)
        .filter(|&i| is_single_han(segmented.word(i)))
        .filter(|&i| {
            let (from, to) = segmented.spans[i];
            (i > 0 && segmented.spans[i - 1].1 == from && long_han(i - 1))
                || (i + 1 < n && segmented.spans[i + 1].0 == to && long_han(i + 1))
        })
        .map(|i| segmented.word(i).to_string())
        .collect()
}

/// How the recall field (full mode) can match `word` (a word from [`query_words`]): the
/// dictionary words that make it up (just `word` when it is one), each of which full mode
/// indexes wherever its characters occur. `None` when a part is not such a word (a single
/// character, Latin letters or digits): then only the word itself can match.
pub(crate) fn dictionary_parts(word: &str) -> Option<Vec<String>> {
    let indexed = |w: &str| JIEBA.has_word(w) && w.chars().count() >= 2 && w.chars().all(|c| !c.is_ascii());
    if indexed(word) {
        return Some(vec![word.to_string()]);
    }
    let mut parts: Vec<String> = Vec::new();
    for part in JIEBA.cut(word, false) {
        if !indexed(part.word) {
            return None;
        }
        if !parts.iter().any(|p| p == part.word) {
            parts.push(part.word.to_string());
        }
    }
    (!parts.is_empty()).then_some(parts)
}

/// The dictionary words inside `word` (a word from [`query_words`]) that search mode indexes
/// besides `word` itself, when together they cover every character of it; empty otherwise.
pub(crate) fn covering_parts(word: &str) -> Vec<String> {
    let mut covered = vec![false; word.len()];
    let mut parts: Vec<String> = Vec::new();
    for part in JIEBA.cut_for_search(word, true) {
        if part.word == word || !is_word(part.word) {
            continue;
        }
        covered[part.byte_start..part.byte_end].iter_mut().for_each(|c| *c = true);
        let part = part.word.to_ascii_lowercase();
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    if covered.iter().all(|c| *c) { parts } else { Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mode: Mode, text: &str) -> Vec<String> {
        let mut tokenizer = JiebaTokenizer::new(mode);
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            let (original, _) = normalize(&text[token.offset_from..token.offset_to]);
            assert_eq!(original.to_ascii_lowercase(), token.text);
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn search_mode_yields_the_words_inside_long_words() {
        let t = tokens(Mode::Search, "中国农业发展银行");
        for w in ["中国", "农业", "发展", "银行"] {
            assert!(t.contains(&w.to_string()), "{w} missing from {t:?}");
        }
        assert!(tokens(Mode::Search, "安装简单").contains(&"简单".to_string()));
    }

    #[test]
    fn query_mode_keeps_words_whole() {
        assert_eq!(query_words("糖尿病的饮食"), ["糖尿病", "的", "饮食"]);
        assert_eq!(tokens(Mode::Normal, "糖尿病的饮食"), ["糖尿病", "的", "饮食"]);
    }

    #[test]
    fn lowercases_and_drops_punctuation() {
        assert_eq!(tokens(Mode::Normal, "Hello，ＷＯＲＬＤ！  5G网络"), ["hello", "world", "5g", "网络"]);
        assert!(tokens(Mode::Search, "，。！？、 ：；").is_empty());
    }

    #[test]
    fn district_places_stay_whole() {
        for (text, place) in [
            ("川姜镇家纺企业", "川姜镇"),
            ("张芝山镇开展防汛演练", "张芝山镇"),
            ("二甲镇东部", "二甲镇"),
            ("五接镇开沙岛", "五接镇"),
        ] {
            assert!(query_words(text).contains(&place.to_string()), "{text}: {:?}", query_words(text));
            let stem = place.trim_end_matches('镇');
            assert!(tokens(Mode::Search, text).contains(&stem.to_string()), "{text}: {:?}", tokens(Mode::Search, text));
        }
    }

    #[test]
    fn full_mode_has_every_dictionary_word() {
        let t = tokens(Mode::Full, "人参与每个人的生活息息相关");
        assert!(t.contains(&"人参".to_string()) && t.contains(&"参与".to_string()), "{t:?}");
        assert!(!tokens(Mode::Search, "人参与每个人的生活息息相关").contains(&"人参".to_string()));
        assert_eq!(tokens(Mode::Full, "5G，Ｃ++"), ["5g", "c++"]);
        assert_eq!(tokens(Mode::Full, "熊猫"), ["熊猫"]);
    }

    #[test]
    fn dictionary_parts_of_query_words() {
        assert_eq!(dictionary_parts("糖尿病").unwrap(), ["糖尿病"]);
        assert_eq!(dictionary_parts("5g"), None);
        assert_eq!(dictionary_parts("猫"), None);
        assert_eq!(dictionary_parts("农业发展银行").unwrap(), ["农业发展银行"]);
        assert_eq!(dictionary_parts("睡眠饮食").unwrap(), ["睡眠", "饮食"]);
    }

    #[test]
    fn covering_parts_of_a_long_word() {
        assert_eq!(covering_parts("农业发展"), ["农业", "发展"]);
        assert!(covering_parts("农业").is_empty());
    }
}
