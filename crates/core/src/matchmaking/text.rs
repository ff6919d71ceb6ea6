//! Text analysis shared by experts and needs: normalisation and n-gram terms.
//!
//! Chinese has no spaces, and owners and experts rarely use the same words, so the lexical
//! layer works on overlapping character bigrams (robust to segmentation, cheap); the concept
//! lexicon (`lexicon`) bridges the words that share no characters at all. Explanations, which a
//! person reads, show whole words only: those come from jieba's dictionary, to which the
//! lexicon's trigger words are added so that trade terms (消失模, 锡膏印刷) stay whole.

use super::lexicon;
use jieba_rs::Jieba;
use std::sync::LazyLock;

/// Lower-case, full-width ASCII folded to half-width, ideographic space to space.
/// Both sides of every comparison go through this, so `ＰＶＤ`, `PVD` and `pvd` meet.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).map_or(c, |h| h.to_ascii_lowercase()),
            _ => c.to_ascii_lowercase(),
        })
        .collect()
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// One run of CJK characters with its bigrams in order, kept so an explanation can stitch
/// matched bigrams back into the phrase the reader wrote ("印染废水", not "印染 染废 废水").
#[derive(Debug, Clone)]
pub struct Run {
    pub chars: Vec<char>,
}

impl Run {
    /// The text of bigrams `first..=last` of this run.
    pub fn phrase(&self, first: usize, last: usize) -> String {
        self.chars[first..last + 2].iter().collect()
    }
    pub fn bigram(&self, i: usize) -> String {
        self.chars[i..i + 2].iter().collect()
    }
    pub fn bigram_count(&self) -> usize {
        self.chars.len().saturating_sub(1)
    }

    /// The run cut into words, as character ranges `start..end` covering it in order. Only
    /// dictionary words (no guessed new words): what is shown must be a word a reader knows.
    pub fn words(&self) -> Vec<(usize, usize)> {
        let text: String = self.chars.iter().collect();
        SEGMENTER.cut(&text, false).into_iter().map(|t| (t.start, t.end)).collect()
    }
}

/// Loaded on first use (a few hundred milliseconds): only explanations need it.
static SEGMENTER: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in lexicon::lexicon().trigger_words() {
        if word.chars().count() >= 2 && word.chars().all(is_cjk) {
            jieba.add_word(word, None, None);
        }
    }
    jieba
});

/// Splits normalised text into CJK runs (for bigrams) and Latin/alphanumeric words.
/// Pure numbers and single letters are dropped: "3", "200", "A/O" carry no topic.
pub fn analyze(normalized: &str) -> (Vec<Run>, Vec<String>) {
    let mut runs = Vec::new();
    let mut words = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush_word = |word: &mut String, words: &mut Vec<String>| {
        if word.chars().count() >= 2 && !word.chars().all(|c| c.is_ascii_digit()) {
            words.push(std::mem::take(word));
        } else {
            word.clear();
        }
    };
    for c in normalized.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut words);
            cjk.push(c);
        } else {
            if cjk.len() >= 2 {
                runs.push(Run { chars: std::mem::take(&mut cjk) });
            }
            cjk.clear();
            if c.is_ascii_alphanumeric() {
                word.push(c);
            } else {
                flush_word(&mut word, &mut words);
            }
        }
    }
    flush_word(&mut word, &mut words);
    if cjk.len() >= 2 {
        runs.push(Run { chars: cjk });
    }
    (runs, words)
}

/// Function-word and filler bigrams of plain-language requests ("我们", "想找", "一下"):
/// they say nothing about the topic, and where an expert's text happens to share them the
/// match is noise. Domain words are never listed here; rarity (idf) handles those.
pub fn is_stop_bigram(b: &str) -> bool {
    STOP_BIGRAMS.binary_search(&b).is_ok()
}

// Sorted (checked by a test) so lookup is a binary search.
const STOP_BIGRAMS: &[&str] = &[
    "一下", "一个", "一些", "一样", "一次", "一点", "一直", "一般", "一起", "不到", "不少", "不是", "不知", "不能",
    "为什", "之前", "之后", "之间", "也是", "了一", "什么", "今年", "他们", "以上", "以下", "以前", "以后", "但是",
    "你们", "公司", "其中", "几个", "几年", "厂子", "厂里", "去年", "可以", "可是", "听说", "哪个", "哪些", "哪里",
    "因为", "多少", "如何", "如果", "存在", "对于", "就是", "左右", "已经", "希望", "帮我", "帮着", "很多", "怎么",
    "怎样", "总是", "情况", "想找", "想知", "想要", "想请", "我们", "我厂", "所以", "找个", "找人", "方面", "时候",
    "时间", "最近", "有时", "有没", "有的", "本厂", "比较", "没有", "然后", "特别", "现在", "由于", "的时", "的话",
    "目前", "知道", "等等", "经常", "老是", "而且", "能不", "能够", "自己", "虽然", "要求", "请人", "还是", "还有",
    "这个", "这些", "这样", "这种", "那个", "那些", "那样", "那种", "都是", "问题", "需要", "非常",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_list_is_sorted_for_binary_search() {
        let mut sorted = STOP_BIGRAMS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, STOP_BIGRAMS);
    }

    #[test]
    fn normalises_width_and_case() {
        assert_eq!(normalize("ＰＶＤ涂层　EMC"), "pvd涂层 emc");
    }

    #[test]
    fn splits_runs_and_words() {
        let (runs, words) = analyze(&normalize("过炉后0402元件翘头，AOI报警；A/O工艺 3米"));
        let texts: Vec<String> = runs.iter().map(|r| r.chars.iter().collect()).collect();
        assert_eq!(texts, ["过炉后", "元件翘头", "报警", "工艺"]);
        assert_eq!(words, ["aoi"]);
        assert_eq!(runs[1].bigram(1), "件翘");
        assert_eq!(runs[1].phrase(0, 2), "元件翘头");
    }

    fn cut(text: &str) -> Vec<String> {
        let (runs, _) = analyze(&normalize(text));
        runs.iter()
            .flat_map(|r| {
                r.words().into_iter().map(|(s, e)| r.chars[s..e].iter().collect::<String>()).collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn runs_are_cut_into_whole_words_and_trade_terms() {
        assert_eq!(cut("焊接变形控制"), ["焊接变形", "控制"]);
        assert_eq!(cut("外形控制"), ["外形", "控制"]);
        // 消失模 is a lexicon term, not in jieba's own dictionary.
        assert!(cut("消失模铸件表面粘砂").contains(&"消失模".to_string()), "{:?}", cut("消失模铸件表面粘砂"));
        let words = cut("这个大问题");
        assert!(!words.iter().any(|w| w == "个大"), "{words:?}");
    }
}
