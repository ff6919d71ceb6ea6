//! The statistics files the platforms' back offices export (公众号 图文分析, 抖音/视频号 作品数据):
//! the format is recognised from the header row, and a file is taken whole or not at all.

use crate::roster::{RowError, Sheet, row_error};
use crate::validate::parse_date;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Wechat,
    ShortVideo,
}

/// One published item's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    /// The sheet row number (1 is the header).
    pub row: usize,
    pub title: String,
    pub published_on: NaiveDate,
    /// Reads or plays, in person-times.
    pub reach: i64,
    pub likes: Option<i64>,
    pub shares: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum StatsError {
    /// The header row is not that of a known export.
    #[error("stats_unknown_format")]
    UnknownFormat,
    /// Every problem in the file, in the roster report's shape.
    #[error("{} problems in the statistics file", .0.len())]
    Rows(Vec<RowError>),
}

/// The header names a platform uses for each column, the preferred one first.
struct Format {
    platform: Platform,
    title: &'static [&'static str],
    date: &'static [&'static str],
    reach: &'static [&'static str],
    likes: &'static [&'static str],
    shares: &'static [&'static str],
}

const FORMATS: [Format; 2] = [
    Format {
        platform: Platform::Wechat,
        title: &["内容标题", "标题", "文章标题"],
        date: &["发表时间", "发布时间", "群发时间"],
        // Reach is person-times (次数), so readers (人数) only when there is nothing else.
        reach: &["阅读次数", "阅读量", "阅读人数"],
        // 在看 (recommended to friends) stands in for likes in exports without 点赞.
        likes: &["点赞数", "点赞次数", "点赞人数", "在看数", "在看次数", "在看人数"],
        shares: &["分享次数", "转发次数", "分享人数", "转发人数"],
    },
    Format {
        platform: Platform::ShortVideo,
        title: &["作品名称", "视频标题", "标题", "描述", "作品描述"],
        date: &["发布时间", "发表时间"],
        reach: &["播放量", "播放次数", "播放数"],
        likes: &["点赞量", "点赞数", "点赞次数"],
        shares: &["分享量", "分享数", "分享次数", "转发量"],
    },
];

/// A column found in the header: `key` as `Sheet` knows it, `name` as the error report shows it.
struct Column<'a> {
    key: &'a str,
    name: &'static str,
}

/// The first of `names` the header has.
fn find<'a>(header: &'a [String], names: &[&'static str]) -> Option<Column<'a>> {
    names.iter().find_map(|&name| {
        // Exports from Excel on Windows start with a byte-order mark.
        let i = header.iter().position(|h| h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}') == name)?;
        Some(Column { key: header[i].trim(), name })
    })
}

/// Reads a statistics export; `rows[0]` is the header. Gives every row or every problem.
pub fn read(rows: &[Vec<String>]) -> Result<(Platform, Vec<StatRow>), StatsError> {
    let header = rows.first().map(Vec::as_slice).unwrap_or_default();
    let (format, reach) =
        FORMATS.iter().find_map(|f| find(header, f.reach).map(|c| (f, c))).ok_or(StatsError::UnknownFormat)?;
    let (Some(title), Some(date)) = (find(header, format.title), find(header, format.date)) else {
        let missing = [format.title, format.date]
            .into_iter()
            .filter(|names| find(header, names).is_none())
            .map(|names| row_error(1, names[0], "missing_column", ""))
            .collect();
        return Err(StatsError::Rows(missing));
    };
    let (likes_column, shares_column) = (find(header, format.likes), find(header, format.shares));
    let sheet = Sheet::open(rows, &[]).map_err(StatsError::Rows)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (n, r) in sheet.rows() {
        let title_text = sheet.cell(r, title.key).split_whitespace().collect::<Vec<_>>().join(" ");
        if title_text.is_empty() {
            errors.push(row_error(n, title.name, "required", ""));
        }
        let date_text = sheet.cell(r, date.key);
        let published_on = published(&date_text);
        if published_on.is_none() {
            let code = if date_text.is_empty() { "required" } else { "bad_date" };
            errors.push(row_error(n, date.name, code, &date_text));
        }
        let mut count = |c: &Column, required: bool| {
            let value = sheet.cell(r, c.key);
            match number(&value) {
                Ok(None) if required => errors.push(row_error(n, c.name, "required", &value)),
                Ok(v) => return v,
                Err(code) => errors.push(row_error(n, c.name, code, &value)),
            }
            None
        };
        let reach_value = count(&reach, true);
        let likes = likes_column.as_ref().and_then(|c| count(c, false));
        let shares = shares_column.as_ref().and_then(|c| count(c, false));
        if let (Some(published_on), Some(reach)) = (published_on, reach_value)
            && !title_text.is_empty()
        {
            out.push(StatRow { row: n, title: title_text, published_on, reach, likes, shares });
        }
    }
    if errors.is_empty() { Ok((format.platform, out)) } else { Err(StatsError::Rows(errors)) }
}

/// The day of a publication time such as `2026-03-05`, `2026-03-05 18:30` or `2026/3/5`.
fn published(value: &str) -> Option<NaiveDate> {
    let day = value.split(|c: char| c.is_whitespace() || c == 'T').next()?;
    // Before 2000 there were no such platforms: an earlier year is a misread date (`3/5/26`).
    parse_date(day).filter(|d| (2000..=2100).contains(&d.year()))
}

/// A count as the back offices write it: `12,345`, `1.2万`, `3亿`; blank or a dash is none.
pub fn number(value: &str) -> Result<Option<i64>, &'static str> {
    let s: String = value.chars().filter(|c| !c.is_whitespace() && !matches!(c, ',' | '，')).collect();
    if matches!(s.as_str(), "" | "-" | "--" | "—" | "/") {
        return Ok(None);
    }
    let (negative, s) = match s.strip_prefix(['-', '－', '−']) {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    // Digits after the decimal point that the unit turns into whole numbers.
    let (digits, shift) = if let Some(d) = s.strip_suffix(['万', 'w', 'W']) {
        (d, 4)
    } else if let Some(d) = s.strip_suffix('亿') {
        (d, 8)
    } else {
        (s, 0)
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let fractional_count = shift == 0 && fraction.bytes().any(|d| d != b'0');
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) || fractional_count {
        return Err("bad_number");
    }
    // 1.23456万 is 12345.6 people: rounded, as the platform itself rounded to show it.
    let kept: String = fraction.chars().chain(std::iter::repeat('0')).take(shift).collect();
    let round_up = fraction.as_bytes().get(shift).is_some_and(|d| *d >= b'5');
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| "bad_number")? };
    let kept: i64 = if kept.is_empty() { 0 } else { kept.parse().map_err(|_| "bad_number")? };
    let n = whole
        .checked_mul(10_i64.pow(shift as u32))
        .and_then(|w| w.checked_add(kept + i64::from(round_up)))
        .ok_or("bad_number")?;
    if negative && n > 0 { Err("negative") } else { Ok(Some(n)) }
}

/// Titles as compared: full-width letters and digits made half-width, lower case, and only
/// letters and digits kept (punctuation, spaces and emoji of either width dropped).
fn normalise(title: &str) -> String {
    title
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which of our publications `(id, title)` a row's title is: the one with the same title once
/// normalised, else the only one whose title contains the row's or is contained in it.
/// `None` when none or several fit.
pub fn match_title(title: &str, candidates: &[(i64, &str)]) -> Option<i64> {
    let wanted = normalise(title);
    if wanted.is_empty() {
        return None;
    }
    let normalised: Vec<(i64, String)> =
        candidates.iter().map(|(id, t)| (*id, normalise(t))).filter(|(_, t)| !t.is_empty()).collect();
    let only = |mut ids: Vec<i64>| {
        ids.sort_unstable();
        ids.dedup();
        (ids.len() == 1).then(|| ids[0])
    };
    let exact: Vec<i64> = normalised.iter().filter(|(_, t)| *t == wanted).map(|(id, _)| *id).collect();
    if !exact.is_empty() {
        return only(exact);
    }
    only(normalised.iter().filter(|(_, t)| t.contains(&wanted) || wanted.contains(t)).map(|(id, _)| *id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn codes(e: StatsError) -> Vec<(usize, String, &'static str)> {
        let StatsError::Rows(rows) = e else { panic!("{e:?}") };
        rows.into_iter().map(|e| (e.row, e.column, e.code)).collect()
    }

    #[test]
    fn reads_a_wechat_export() {
        let rows = sheet(&[
            &[
                "\u{feff}内容标题",
                " 发表时间 ",
                "阅读人数",
                "阅读次数",
                "分享次数",
                "在看数",
                "点赞数",
                "完读率",
                "备注",
            ],
            &[
                "夏季防溺水安全知识，这些要点请牢记",
                "2026-06-20 18:30",
                "9,876",
                "1.2万",
                "356",
                "12",
                "88",
                "45.2%",
                "",
            ],
            &["", "", "", "", "", "", "", "", ""],
            &["“全国科普日”通州区主场活动邀您参加", "2026/9/5", "3,456", "4,321", "-", "", "", "", "转载"],
            &[" 秋冬季 流感防护指南 ", "2026年11月2日", "800", "1,024", "0", "3", "5", "", ""],
        ]);
        let (platform, got) = read(&rows).unwrap();
        assert_eq!(platform, Platform::Wechat);
        assert_eq!(
            got[0],
            StatRow {
                row: 2,
                title: "夏季防溺水安全知识，这些要点请牢记".into(),
                published_on: day(2026, 6, 20),
                reach: 12_000,
                likes: Some(88),
                shares: Some(356),
            }
        );
        assert_eq!((got[1].row, got[1].reach, got[1].likes, got[1].shares), (4, 4321, None, None));
        assert_eq!(got[1].published_on, day(2026, 9, 5));
        assert_eq!((got[2].title.as_str(), got[2].reach, got[2].likes), ("秋冬季 流感防护指南", 1024, Some(5)));
    }

    #[test]
    fn reads_a_short_video_export_in_any_column_order() {
        let rows = sheet(&[
            &["播放量", "评论量", "作品名称", "点赞量", "发布时间", "分享量"],
            &["1.5万", "23", "防溺水“六不”，记住了吗？#科普 #防溺水", "1,203", "2026-07-01 12:00:00", "88"],
            &["865", "0", "科普e站带你认识台风", "41", "2026-08-12T09:15:00", ""],
        ]);
        let (platform, got) = read(&rows).unwrap();
        assert_eq!(platform, Platform::ShortVideo);
        assert_eq!((got[0].reach, got[0].likes, got[0].shares), (15_000, Some(1203), Some(88)));
        assert_eq!(got[1].published_on, day(2026, 8, 12));
        assert_eq!(got[1].shares, None);
        let title_only = sheet(&[&["视频标题", "发布时间", "播放次数"], &["台风来了怎么办", "2026/8/1", "100"]]);
        assert_eq!(read(&title_only).unwrap().1[0].title, "台风来了怎么办");
    }

    #[test]
    fn every_bad_row_is_reported_and_nothing_is_taken() {
        let rows = sheet(&[
            &["标题", "发表时间", "阅读次数", "分享次数", "点赞数"],
            &["好的一行", "2026-03-05", "100", "1", "2"],
            &["", "2026-13-01", "abc", "-5", "1.5"],
            &["没有阅读数", "", "", "", ""],
            &["旧日期", "26-3-5", "12%", "1,000", "3"],
        ]);
        let got = codes(read(&rows).unwrap_err());
        let want = [
            (3, "阅读次数", "bad_number"),
            (3, "分享次数", "negative"),
            (3, "点赞数", "bad_number"),
            (3, "标题", "required"),
            (3, "发表时间", "bad_date"),
            (4, "发表时间", "required"),
            (4, "阅读次数", "required"),
            (5, "阅读次数", "bad_number"),
            (5, "发表时间", "bad_date"),
        ];
        for w in want {
            assert!(got.contains(&(w.0, w.1.to_string(), w.2)), "{w:?} in {got:?}");
        }
        assert_eq!(got.len(), want.len(), "{got:?}");
    }

    #[test]
    fn unknown_and_incomplete_headers() {
        assert_eq!(read(&[]), Err(StatsError::UnknownFormat));
        assert_eq!(read(&sheet(&[&["姓名", "电话"], &["张三", "123"]])), Err(StatsError::UnknownFormat));
        assert_eq!(StatsError::UnknownFormat.to_string(), "stats_unknown_format");
        let no_date = sheet(&[&["内容标题", "阅读次数"], &["标题", "1"]]);
        assert_eq!(codes(read(&no_date).unwrap_err()), [(1, "发表时间".to_string(), "missing_column")]);
        let no_rows = sheet(&[&["作品名称", "发布时间", "播放量"]]);
        assert_eq!(codes(read(&no_rows).unwrap_err()), [(2, String::new(), "no_rows")]);
    }

    #[test]
    fn numbers_as_back_offices_write_them() {
        assert_eq!(number("12,345"), Ok(Some(12_345)));
        assert_eq!(number(" 1.2万 "), Ok(Some(12_000)));
        assert_eq!(number("1.23456万"), Ok(Some(12_346)));
        assert_eq!(number("3w"), Ok(Some(30_000)));
        assert_eq!(number("1.5亿"), Ok(Some(150_000_000)));
        assert_eq!(number(".5万"), Ok(Some(5_000)));
        assert_eq!(number("12345.0"), Ok(Some(12_345)));
        assert_eq!(number("0"), Ok(Some(0)));
        assert_eq!(number("--"), Ok(None));
        assert_eq!(number("12.5"), Err("bad_number"));
        assert_eq!(number("万"), Err("bad_number"));
        assert_eq!(number("1.2.3"), Err("bad_number"));
        assert_eq!(number("99999999999999999999"), Err("bad_number"));
        assert_eq!(number("-1.2万"), Err("negative"));
    }

    #[test]
    fn titles_match_after_normalising() {
        let ours = [
            (1, "夏季防溺水安全知识，这些要点请牢记"),
            (2, "秋冬季流感防护指南"),
            (3, "秋冬季流感防护指南（老年人版）"),
            (4, "台风来了怎么办？"),
            (5, "ＡＩ科普：大模型是什么"),
        ];
        assert_eq!(match_title(" 夏季防溺水安全知识,这些要点请牢记 ", &ours), Some(1));
        assert_eq!(match_title("夏季防溺水安全知识 这些要点请牢记！", &ours), Some(1));
        assert_eq!(match_title("秋冬季流感防护指南", &ours), Some(2), "exact wins over containment");
        assert_eq!(match_title("台风来了怎么办？#科普 #防灾减灾", &ours), Some(4));
        assert_eq!(match_title("ai科普: 大模型是什么", &ours), Some(5));
        assert_eq!(match_title("流感防护", &ours), None, "two contain it");
        assert_eq!(match_title("地震来了怎么办", &ours), None);
        assert_eq!(match_title("！？", &ours), None);
        assert_eq!(match_title("防溺水", &[(7, "防溺水"), (7, "防溺水安全")]), Some(7));
    }

    mod property {
        use super::super::*;
        use proptest::prelude::*;

        /// A cell as exports hold them: a header name, a count, a date, or anything.
        fn cell() -> impl Strategy<Value = String> {
            let names: Vec<&'static str> =
                FORMATS.iter().flat_map(|f| [f.title, f.date, f.reach, f.likes, f.shares]).flatten().copied().collect();
            prop_oneof![
                proptest::sample::select(names).prop_map(str::to_string),
                any::<u32>().prop_map(|n| n.to_string()),
                "[0-9]{1,3}(\\.[0-9]{1,6})?[万亿w]?",
                "-?[0-9,，]{0,24}",
                "20[0-9]{2}[-/][0-9]{1,2}[-/][0-9]{1,2}( [0-9]{2}:[0-9]{2})?",
                ".{0,12}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            /// Any table is read or refused with row errors; what is read keeps the rules.
            #[test]
            fn any_table_is_read_or_refused(rows in proptest::collection::vec(proptest::collection::vec(cell(), 0..8), 0..12)) {
                match read(&rows) {
                    Ok((_, read)) => {
                        for r in read {
                            prop_assert!(r.row >= 2 && r.row <= rows.len());
                            prop_assert!(r.reach >= 0 && r.likes.is_none_or(|n| n >= 0) && r.shares.is_none_or(|n| n >= 0));
                            prop_assert!((2000..=2100).contains(&r.published_on.year()));
                            prop_assert!(!r.title.is_empty());
                        }
                    }
                    Err(StatsError::UnknownFormat) => {}
                    Err(StatsError::Rows(errors)) => prop_assert!(!errors.is_empty()),
                }
            }

            /// A count is never negative, and the ways back offices write a whole number read
            /// back as that number.
            #[test]
            fn counts_read_as_written(text in ".{0,16}", n in 0u32..2_000_000_000) {
                prop_assert!(!matches!(number(&text), Ok(Some(v)) if v < 0));
                let grouped = n.to_string().as_bytes().rchunks(3).rev().map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(",");
                prop_assert_eq!(number(&n.to_string()), Ok(Some(i64::from(n))));
                prop_assert_eq!(number(&grouped), Ok(Some(i64::from(n))));
                prop_assert_eq!(number(&format!("{n}万")), Ok(Some(i64::from(n) * 10_000)));
            }
        }
    }
}
