//! 志愿服务记录证明: the certificate of service 民政部令第67号 lets a volunteer ask for. It
//! states who (name, masked ID number), the period, the total hours and the services behind
//! them, the training hours, the star level, who issues it and when, under a number that
//! lets anyone check it with the issuer.

use super::ledger::{hours_text, stars};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub served_on: NaiveDate,
    pub service: String,
    pub place: String,
    pub hours: String,
    pub certified_by: String,
}

/// 表彰奖励 named on the certificate.
#[derive(Debug, Clone, Serialize)]
pub struct Honour {
    pub awarded_on: NaiveDate,
    pub title: String,
    pub awarded_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Certificate {
    pub number: String,
    pub name: String,
    pub id_number: String,
    pub teams: Vec<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub total_hours: String,
    pub training_hours: String,
    pub services: usize,
    pub stars: u8,
    pub lines: Vec<Line>,
    pub honours: Vec<Honour>,
    pub issuer: String,
    pub issued_on: NaiveDate,
}

/// A date as Chinese official documents write it: `2026年3月2日`, no leading zeros.
pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Text that must not break across lines (a date): U+2060 WORD JOINER between every two
/// characters forbids a break there (Unicode line breaking, rule LB11) without changing what
/// is seen.
pub fn unbreakable(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 4);
    for (i, c) in s.chars().enumerate() {
        if i > 0 {
            out.push('\u{2060}');
        }
        out.push(c);
    }
    out
}

/// The certificate's number: issuer's year, volunteer and day, e.g. `ZYFW-2026-000123-1128`.
pub fn number(volunteer_id: i64, issued_on: NaiveDate) -> String {
    format!("ZYFW-{}-{volunteer_id:06}-{}", issued_on.format("%Y"), issued_on.format("%m%d"))
}

/// Builds the certificate from a volunteer's approved ledger lines (newest first or in any
/// order); the period runs from the first to the last service.
#[allow(clippy::too_many_arguments)]
pub fn build(
    volunteer_id: i64,
    name: &str,
    masked_id_number: &str,
    teams: Vec<String>,
    lines: Vec<(Line, i32, bool)>,
    issuer: &str,
    issued_on: NaiveDate,
) -> Certificate {
    let minutes: i64 = lines.iter().map(|(_, m, _)| i64::from(*m)).sum();
    let training: i64 = lines.iter().filter(|(_, _, t)| *t).map(|(_, m, _)| i64::from(*m)).sum();
    let from = lines.iter().map(|(l, _, _)| l.served_on).min();
    let to = lines.iter().map(|(l, _, _)| l.served_on).max();
    let mut lines: Vec<Line> = lines.into_iter().map(|(l, _, _)| l).collect();
    lines.sort_by_key(|l| l.served_on);
    Certificate {
        number: number(volunteer_id, issued_on),
        name: name.to_string(),
        id_number: masked_id_number.to_string(),
        teams,
        from,
        to,
        total_hours: hours_text(minutes),
        training_hours: hours_text(training),
        services: lines.len(),
        stars: stars(minutes),
        lines,
        honours: Vec::new(),
        issuer: issuer.to_string(),
        issued_on,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(d: u32, m: i32, training: bool) -> (Line, i32, bool) {
        let l = Line {
            served_on: NaiveDate::from_ymd_opt(2026, 3, d).unwrap(),
            service: "社区防诈骗宣讲".into(),
            place: "金沙街道".into(),
            hours: hours_text(i64::from(m)),
            certified_by: "金沙街道科协".into(),
        };
        (l, m, training)
    }

    #[test]
    fn totals_period_and_number() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let c = build(
            123,
            "顾晓燕",
            "320612********0026",
            vec![],
            vec![line(9, 150, false), line(2, 90, true)],
            "南通市通州区科学技术协会",
            day,
        );
        assert_eq!(c.total_hours, "4");
        assert_eq!(c.training_hours, "1.5");
        assert_eq!(c.from, NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(c.lines[0].served_on.to_string(), "2026-03-02");
        assert_eq!(c.number, "ZYFW-2026-000123-1128");
        assert_eq!(c.stars, 0);
    }

    #[test]
    fn dates_are_written_whole() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(date_zh(d), "2026年3月2日");
        let joined = unbreakable("3月2日");
        assert_eq!(joined, "3\u{2060}月\u{2060}2\u{2060}日");
        assert_eq!(joined.replace('\u{2060}', ""), "3月2日");
        assert_eq!(unbreakable(""), "");
    }
}
