//! 建议意见: citizens' suggestions. A citizen sends one from a public page (often by scanning
//! the QR code on a 科普e站 screen); staff moderate it, route it to a town or an officer (点单 →
//! 派单), an officer answers (publicly or privately), the association may adopt it (采纳), and
//! the citizen rates the answer through a private link. This module holds the rules: what the
//! form accepts, the statuses and which step leads where, moderation reasons, receipts, the
//! spam challenge (`challenge`) and the figures (`figures`).

pub mod figures;

use crate::Invalid;
use crate::validate::{optional, required_between};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Categories a citizen chooses from, as codes; labels are the UI's (`sg_category.<code>`).
pub const CATEGORIES: [&str; 5] = ["content", "activity", "estation", "emergency", "other"];

/// The Chinese label of a category, for exports and slides.
pub fn category_zh(code: &str) -> &'static str {
    match code {
        "content" => "科普内容",
        "activity" => "科普活动",
        "estation" => "科普e站",
        "emergency" => "应急科普",
        _ => "其他",
    }
}

/// Why a suggestion is not taken up (moderation), as codes with their Chinese labels.
pub const REASONS: [(&str, &str); 5] = [
    ("advert", "广告"),
    ("duplicate", "重复"),
    ("off_topic", "无关内容"),
    ("improper", "违法或不当言论"),
    ("insufficient", "信息不足"),
];

pub fn reason_zh(code: &str) -> &'static str {
    REASONS.iter().find(|(c, _)| *c == code).map_or("", |(_, l)| l)
}

/// The text: at least this many characters, at most `MAX_TEXT`.
pub const MIN_TEXT: usize = 10;
pub const MAX_TEXT: usize = 1000;
/// Photos per suggestion and the size of each.
pub const MAX_PHOTOS: usize = 3;
pub const MAX_PHOTO_MB: u64 = 5;
/// Days an officer has to answer when routing names no date.
pub const DEFAULT_DUE_DAYS: i64 = 15;

/// Where a suggestion is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Sent, waiting for moderation.
    Received,
    /// Passed moderation, not yet routed.
    Accepted,
    /// Not taken up, with a reason.
    Rejected,
    /// Routed to a town or an officer (派单), waiting for the answer.
    Assigned,
    /// Answered; the citizen may rate the answer.
    Answered,
    /// Done.
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Self::Received, Self::Accepted, Self::Rejected, Self::Assigned, Self::Answered, Self::Closed];

    pub fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Assigned => "assigned",
            Self::Answered => "answered",
            Self::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Received => "待审核",
            Self::Accepted => "已受理",
            Self::Rejected => "未采用",
            Self::Assigned => "办理中",
            Self::Answered => "已答复",
            Self::Closed => "已办结",
        }
    }

    /// Whether the suggestion carries an answer the citizen may read and rate.
    pub fn has_answer(self) -> bool {
        matches!(self, Self::Answered | Self::Closed)
    }

    /// Whether it passed moderation.
    pub fn accepted(self) -> bool {
        !matches!(self, Self::Received | Self::Rejected)
    }
}

/// What staff do to a suggestion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Accept,
    Reject,
    /// Route (or route again) to a town or an officer.
    Assign,
    /// Give the official answer (or correct it before the suggestion is closed).
    Answer,
    Close,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Reject => "reject",
            Self::Assign => "assign",
            Self::Answer => "answer",
            Self::Close => "close",
        }
    }
}

/// The status a step leads to, or `step_not_allowed`. A rejected suggestion may be accepted
/// after all (moderation makes mistakes); a closed one is final.
pub fn next(from: Status, step: Step) -> Result<Status, &'static str> {
    use Status::*;
    match (from, step) {
        (Received | Rejected, Step::Accept) => Ok(Accepted),
        (Received, Step::Reject) => Ok(Rejected),
        (Accepted | Assigned, Step::Assign) => Ok(Assigned),
        (Accepted | Assigned | Answered, Step::Answer) => Ok(Answered),
        (Answered, Step::Close) => Ok(Closed),
        _ => Err("step_not_allowed"),
    }
}

/// The steps open from a status, for the page's buttons.
pub fn steps(from: Status) -> Vec<Step> {
    [Step::Accept, Step::Reject, Step::Assign, Step::Answer, Step::Close]
        .into_iter()
        .filter(|s| next(from, *s).is_ok())
        .collect()
}

/// Adoption (采纳) is a mark on an answered suggestion, not a status of its own.
pub fn can_adopt(status: Status) -> bool {
    status.has_answer()
}

/// A citizen rates once, after the answer.
pub fn can_rate(status: Status, rated: bool) -> bool {
    status.has_answer() && !rated
}

/// The number a citizen is given: `JY` + the day it was received (China time) + the id.
pub fn receipt(id: i64, at: DateTime<Utc>) -> String {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    format!("JY{}{:05}", at.with_timezone(&cst).format("%Y%m%d"), id)
}

/// The id inside a receipt number, so staff can find one a citizen reads out.
pub fn receipt_id(s: &str) -> Option<i64> {
    let s = s.trim().to_ascii_uppercase();
    let digits = s.strip_prefix("JY")?;
    if digits.len() < 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits[8..].parse().ok()
}

/// A name as shown in public: the family name and stars.
pub fn mask_name(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(first) => format!("{first}{}", "*".repeat(c.count().clamp(1, 2))),
        None => String::new(),
    }
}

/// What the public form sends, as typed (photos come separately).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SuggestionForm {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    /// The town it concerns, optional.
    #[serde(default)]
    pub region_id: String,
}

/// A checked suggestion.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionInput {
    pub category: &'static str,
    pub body: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub region_id: Option<i64>,
}

impl SuggestionForm {
    pub fn check(&self) -> Result<SuggestionInput, Invalid> {
        let mut errs = Invalid::default();
        let category = CATEGORIES.iter().copied().find(|c| *c == self.category.trim());
        if category.is_none() {
            errs.push("category", if self.category.trim().is_empty() { "required" } else { "unknown_category" });
        }
        let body = required_between(&mut errs, "body", &self.body, MIN_TEXT, MAX_TEXT);
        let name = optional(&mut errs, "name", &self.name, 20);
        if name.as_deref().is_some_and(|n| n.contains(['\n', '\r', '\t'])) {
            errs.push("name", "bad_characters");
        }
        // People type spaces into numbers, and a full-width dash on Chinese keyboards.
        let phone = Some(self.phone.trim().replace([' ', '\u{3000}'], "").replace('－', "-")).filter(|p| !p.is_empty());
        if let Some(p) = &phone
            && !crate::person::valid_phone(p)
        {
            errs.push("phone", "bad_phone");
        }
        let region_id = match self.region_id.trim() {
            "" => None,
            v => match v.parse::<i64>() {
                Ok(r) => Some(r),
                Err(_) => {
                    errs.push("region_id", "unknown_region");
                    None
                }
            },
        };
        errs.into_result(SuggestionInput { category: category.unwrap_or("other"), body, name, phone, region_id })
    }
}

/// A moderation decision as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModerationForm {
    /// `accept` or `reject`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moderation {
    pub step: Step,
    pub reason: Option<&'static str>,
    pub note: Option<String>,
}

impl ModerationForm {
    pub fn check(&self) -> Result<Moderation, Invalid> {
        let mut errs = Invalid::default();
        let note = optional(&mut errs, "note", &self.note, 200);
        let step = match self.decision.trim() {
            "accept" => Some(Step::Accept),
            "reject" => Some(Step::Reject),
            _ => {
                errs.push("decision", "required");
                None
            }
        };
        let reason = match self.reason.trim() {
            "" if step == Some(Step::Reject) => {
                errs.push("reason", "required");
                None
            }
            "" => None,
            r => match REASONS.iter().find(|(c, _)| *c == r) {
                Some((c, _)) => Some(*c),
                None => {
                    errs.push("reason", "unknown_reason");
                    None
                }
            },
        };
        let step = errs.into_result(step)?.expect("checked");
        Ok(Moderation { step, reason: if step == Step::Reject { reason } else { None }, note })
    }
}

/// Routing (派单) as typed: a town, or an officer's account (whose town it then is), and the
/// date the answer is due.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    pub region_id: String,
    #[serde(default)]
    pub account_id: String,
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub region_id: Option<i64>,
    pub account_id: Option<i64>,
    pub due_on: NaiveDate,
    pub note: Option<String>,
}

impl AssignForm {
    /// `today` is the association's day (China time), for the default due date and the check
    /// that it is not in the past.
    pub fn check(&self, today: NaiveDate) -> Result<Assignment, Invalid> {
        let mut errs = Invalid::default();
        let id = |errs: &mut Invalid, field: &'static str, v: &str| match v.trim() {
            "" => None,
            v => v.parse::<i64>().map_err(|_| errs.push(field, "bad_format")).ok(),
        };
        let region_id = id(&mut errs, "region_id", &self.region_id);
        let account_id = id(&mut errs, "account_id", &self.account_id);
        if region_id.is_none() && account_id.is_none() && errs.is_empty() {
            errs.push("region_id", "route_target_required");
        }
        let due_on = crate::validate::optional_date(&mut errs, "due_on", &self.due_on)
            .unwrap_or(today + chrono::Duration::days(DEFAULT_DUE_DAYS));
        if due_on < today {
            errs.push("due_on", "date_past");
        }
        let note = optional(&mut errs, "note", &self.note, 200);
        errs.into_result(Assignment { region_id, account_id, due_on, note })
    }
}

/// The official answer as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub answer: String,
    /// Shown on the public list of answers when on.
    #[serde(default)]
    pub public: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub text: String,
    pub public: bool,
}

impl AnswerForm {
    pub fn check(&self) -> Result<Answer, Invalid> {
        let mut errs = Invalid::default();
        let text = crate::validate::required_text(&mut errs, "answer", &self.answer, 2000);
        let public = self.public.as_deref().is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
        errs.into_result(Answer { text, public })
    }
}

/// The citizen's rating of the answer as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RatingForm {
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    pub stars: i32,
    pub comment: Option<String>,
}

impl RatingForm {
    pub fn check(&self) -> Result<Rating, Invalid> {
        let mut errs = Invalid::default();
        let stars = match self.rating.trim().parse::<i32>() {
            Ok(n) if (1..=5).contains(&n) => n,
            _ => {
                errs.push("rating", "rating_range");
                0
            }
        };
        let comment = optional(&mut errs, "comment", &self.comment, 300);
        errs.into_result(Rating { stars, comment })
    }
}

/// Checks a photo: JPEG, PNG or WebP by content, at most `MAX_PHOTO_MB`. Returns its media
/// type or the code of what is wrong.
pub fn check_photo<'a>(
    file_name: &str,
    file: impl Into<crate::estation::media::Sample<'a>>,
) -> Result<&'static str, &'static str> {
    crate::estation::media::check_photo(file_name, file, MAX_PHOTO_MB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn form(category: &str, body: &str) -> SuggestionForm {
        SuggestionForm { category: category.into(), body: body.into(), ..Default::default() }
    }

    #[test]
    fn the_public_form_is_checked() {
        let ok = form("emergency", "建议在社区e站多播放一些老年人防疫知识。").check().unwrap();
        assert_eq!(ok.category, "emergency");
        assert_eq!(ok.name, None);
        let e = form("", "太短了").check().unwrap_err();
        assert_eq!(e.for_field("category").unwrap().code, "required");
        assert_eq!(e.for_field("body").unwrap().code, "too_short");
        assert_eq!(
            form("weather", "建议在社区e站多播放一些防疫知识。").check().unwrap_err().0[0].code,
            "unknown_category"
        );
        // Spaces do not make a text long enough.
        assert!(form("other", "好          好").check().is_err());
        let long = "很".repeat(MAX_TEXT + 1);
        assert_eq!(form("other", &long).check().unwrap_err().0[0].code, "too_long");
        let mut f = form("other", "建议在社区e站多播放一些防疫知识。");
        f.phone = "1381234".into();
        assert_eq!(f.check().unwrap_err().0[0].code, "bad_phone");
        f.phone = "138 1234 5678".into();
        assert_eq!(f.check().unwrap().phone.as_deref(), Some("13812345678"));
        f.phone = "0513－86123456".into();
        assert_eq!(f.check().unwrap().phone.as_deref(), Some("0513-86123456"));
        f.region_id = "x".into();
        assert_eq!(f.check().unwrap_err().0[0].code, "unknown_region");
    }

    #[test]
    fn statuses_follow_the_steps() {
        use Status::*;
        assert_eq!(next(Received, Step::Accept), Ok(Accepted));
        assert_eq!(next(Received, Step::Reject), Ok(Rejected));
        assert_eq!(next(Rejected, Step::Accept), Ok(Accepted));
        assert_eq!(next(Accepted, Step::Assign), Ok(Assigned));
        assert_eq!(next(Assigned, Step::Assign), Ok(Assigned));
        assert_eq!(next(Assigned, Step::Answer), Ok(Answered));
        assert_eq!(next(Accepted, Step::Answer), Ok(Answered));
        assert_eq!(next(Answered, Step::Close), Ok(Closed));
        assert_eq!(next(Received, Step::Assign), Err("step_not_allowed"));
        assert_eq!(next(Received, Step::Answer), Err("step_not_allowed"));
        assert_eq!(next(Closed, Step::Answer), Err("step_not_allowed"));
        assert_eq!(next(Answered, Step::Reject), Err("step_not_allowed"));
        assert_eq!(steps(Received), vec![Step::Accept, Step::Reject]);
        assert!(steps(Closed).is_empty());
        assert!(can_rate(Answered, false) && !can_rate(Answered, true) && !can_rate(Assigned, false));
        assert!(can_adopt(Closed) && !can_adopt(Accepted));
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }

    #[test]
    fn moderation_needs_a_reason_to_reject() {
        let f = ModerationForm { decision: "reject".into(), ..Default::default() };
        assert_eq!(f.check().unwrap_err().0[0].code, "required");
        let f = ModerationForm { decision: "reject".into(), reason: "advert".into(), note: "推销保健品".into() };
        let m = f.check().unwrap();
        assert_eq!((m.step, m.reason), (Step::Reject, Some("advert")));
        assert_eq!(reason_zh("advert"), "广告");
        let f = ModerationForm { decision: "reject".into(), reason: "boring".into(), ..Default::default() };
        assert_eq!(f.check().unwrap_err().0[0].code, "unknown_reason");
        let f = ModerationForm { decision: "accept".into(), reason: "advert".into(), ..Default::default() };
        assert_eq!(f.check().unwrap().reason, None);
        assert!(ModerationForm::default().check().is_err());
    }

    #[test]
    fn routing_needs_a_target_and_a_date_ahead() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(AssignForm::default().check(today).unwrap_err().0[0].code, "route_target_required");
        let a = AssignForm { region_id: "3".into(), ..Default::default() }.check(today).unwrap();
        assert_eq!(a.due_on, today + chrono::Duration::days(DEFAULT_DUE_DAYS));
        let past = AssignForm { account_id: "7".into(), due_on: "2026-02-01".into(), ..Default::default() };
        assert_eq!(past.check(today).unwrap_err().0[0].code, "date_past");
    }

    #[test]
    fn answers_and_ratings() {
        assert!(AnswerForm::default().check().is_err());
        let a = AnswerForm { answer: "已安排在e站播放。".into(), public: Some("on".into()) }.check().unwrap();
        assert!(a.public);
        assert_eq!(
            RatingForm { rating: "6".into(), ..Default::default() }.check().unwrap_err().0[0].code,
            "rating_range"
        );
        assert_eq!(RatingForm { rating: "5".into(), comment: "很及时".into() }.check().unwrap().stars, 5);
    }

    #[test]
    fn receipts_round_trip() {
        let at = Utc.with_ymd_and_hms(2026, 3, 14, 17, 0, 0).unwrap();
        // 17:00 UTC is already the 15th in China.
        assert_eq!(receipt(42, at), "JY2026031500042");
        assert_eq!(receipt_id("jy2026031500042"), Some(42));
        assert_eq!(receipt_id("JY20260315123456"), Some(123456));
        assert_eq!(receipt_id("JY2026"), None);
        assert_eq!(receipt_id("金沙"), None);
    }

    #[test]
    fn names_are_masked_in_public() {
        assert_eq!(mask_name("王小明"), "王**");
        assert_eq!(mask_name("李娜"), "李*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn photos_are_images_by_content_and_small() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(check_photo("现场.png", png), Ok("image/png"));
        assert_eq!(check_photo("现场.jpg", png), Err("photo_not_image"));
        assert_eq!(check_photo("说明.pdf", b"%PDF-1.7"), Err("photo_not_image"));
        assert_eq!(check_photo("视频.mp4", b"\0\0\0\x18ftypmp42\0\0\0\0"), Err("photo_not_image"));
        let mut big = png.to_vec();
        big.resize((MAX_PHOTO_MB * 1024 * 1024) as usize + 1, 0);
        assert_eq!(check_photo("大.png", &big), Err("photo_too_large"));
    }
}
