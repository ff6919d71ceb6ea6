//! Recording a piece on a channel: which account carried it, when, and where to find it (a
//! link, or the issue/page/time slot of print and broadcast).

use super::Channel;
use crate::Invalid;
use crate::validate::{optional, optional_date, required};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicationStatus {
    /// To be done (an emergency campaign opens one per channel).
    Task,
    Done,
}

impl PublicationStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Task, Self::Done].into_iter().find(|k| k.code() == s)
    }
}

/// The association's own accounts per channel, offered as suggestions in the form.
pub fn accounts(channel: Channel) -> &'static [&'static str] {
    match channel {
        Channel::Screen => &["科普e站"],
        Channel::Tv => &["通州区融媒体中心·通州新闻", "南通电视台·科教频道"],
        Channel::Radio => &["FM999通州广播", "南通交通广播"],
        Channel::Newspaper => &["《通州日报》科普专栏", "《南通日报》"],
        Channel::Website => &["通州区科协门户网站"],
        Channel::Wechat => &["南通州科协", "通州发布"],
        Channel::App => &["今日通州App", "科普中国App"],
        Channel::ShortVideo => &["通州科协抖音号", "通州科协视频号"],
        Channel::Stage => &["科普文艺小分队"],
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublicationForm {
    #[serde(default)]
    pub channel: String,
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub published_on: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub issue: String,
    /// The town of a stage show or a town channel; empty for district-wide channels.
    #[serde(default)]
    pub region_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicationInput {
    pub channel: Channel,
    pub account: String,
    pub published_on: NaiveDate,
    pub link: Option<String>,
    pub issue: Option<String>,
    pub region_id: Option<i64>,
}

impl PublicationForm {
    /// Checks a hand-recorded publication; `today` bounds the date (nothing is published in
    /// the future).
    pub fn check(&self, today: NaiveDate) -> Result<PublicationInput, Invalid> {
        let mut errs = Invalid::default();
        let channel = Channel::parse(self.channel.trim()).filter(|c| c.is_manual());
        if channel.is_none() {
            errs.push("channel", "required");
        }
        let account = required(&mut errs, "account", &self.account, 60);
        let published_on = optional_date(&mut errs, "published_on", &self.published_on);
        match published_on {
            None if errs.for_field("published_on").is_none() => errs.push("published_on", "required"),
            Some(d) if d > today => errs.push("published_on", "date_in_future"),
            _ => {}
        }
        let link = optional(&mut errs, "link", &self.link, 300);
        if let Some(l) = &link
            && !(l.starts_with("https://") || l.starts_with("http://"))
        {
            errs.push("link", "bad_link");
        }
        let issue = optional(&mut errs, "issue", &self.issue, 60);
        // Print and broadcast are found by issue or slot, the rest by link.
        if let Some(c) = channel
            && link.is_none()
            && issue.is_none()
        {
            let field = if matches!(c, Channel::Tv | Channel::Radio | Channel::Newspaper | Channel::Stage) {
                "issue"
            } else {
                "link"
            };
            errs.push(field, "required");
        }
        let region_id = match self.region_id.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errs.push("region_id", "required");
                    None
                }
            },
        };
        errs.into_result(PublicationInput {
            channel: channel.unwrap_or(Channel::Wechat),
            account,
            published_on: published_on.unwrap_or(today),
            link,
            issue,
            region_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    #[test]
    fn wechat_needs_a_link_and_radio_a_slot() {
        let f = PublicationForm {
            channel: "wechat".into(),
            account: "南通州科协".into(),
            published_on: "2026-05-20".into(),
            link: "https://mp.weixin.qq.com/s/abc".into(),
            ..Default::default()
        };
        let p = f.check(today()).unwrap();
        assert_eq!(p.channel, Channel::Wechat);
        let e = PublicationForm { link: String::new(), ..f.clone() }.check(today()).unwrap_err();
        assert_eq!(e.for_field("link").unwrap().code, "required");
        let e = PublicationForm { link: "javascript:alert(1)".into(), ..f.clone() }.check(today()).unwrap_err();
        assert_eq!(e.for_field("link").unwrap().code, "bad_link");
        let r = PublicationForm { channel: "radio".into(), link: String::new(), ..f.clone() };
        assert_eq!(r.check(today()).unwrap_err().for_field("issue").unwrap().code, "required");
        let r = PublicationForm { issue: "《科普时间》5月20日 07:30".into(), ..r };
        assert!(r.check(today()).is_ok());
    }

    #[test]
    fn screens_are_not_recorded_by_hand_and_dates_are_past() {
        let f = PublicationForm {
            channel: "screen".into(),
            account: "科普e站".into(),
            published_on: "2026-05-20".into(),
            issue: "x".into(),
            ..Default::default()
        };
        assert!(f.check(today()).unwrap_err().for_field("channel").is_some());
        let f = PublicationForm { channel: "tv".into(), published_on: "2026-06-02".into(), ..f };
        assert_eq!(f.check(today()).unwrap_err().for_field("published_on").unwrap().code, "date_in_future");
    }
}
