//! Review before release (三审): a draft is submitted, passes science review, then editorial
//! and political review, and only then may any channel carry it. Reviewers are never the
//! author, and the second review is never by the first reviewer.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentStatus {
    Draft,
    /// Waiting for science review (科学性审核).
    Submitted,
    /// Waiting for editorial and political review (编辑与政治审核).
    ScienceReviewed,
    Approved,
    Published,
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStep {
    Submit,
    /// Pass the review the piece is waiting for.
    Pass,
    /// Send back to the author with a comment.
    Return,
    /// The first publication on any channel.
    Publish,
    Withdraw,
    /// A withdrawn piece becomes a draft again, to be changed and reviewed anew.
    Reopen,
}

/// Who is acting and who acted before, by account id.
#[derive(Debug, Clone, Copy)]
pub struct Actors {
    pub actor: i64,
    pub author: i64,
    pub science_reviewer: Option<i64>,
    /// Whether the actor may review (the role's permission).
    pub reviewer: bool,
}

impl ContentStatus {
    pub const ALL: [ContentStatus; 6] =
        [Self::Draft, Self::Submitted, Self::ScienceReviewed, Self::Approved, Self::Published, Self::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::ScienceReviewed => "science_reviewed",
            Self::Approved => "approved",
            Self::Published => "published",
            Self::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// Only drafts change; anything under review or released is changed by withdrawing it.
    pub fn editable(self) -> bool {
        self == Self::Draft
    }

    /// Whether a channel may carry the piece.
    pub fn releasable(self) -> bool {
        matches!(self, Self::Approved | Self::Published)
    }

    /// Whether the piece waits in a reviewer's queue.
    pub fn in_review(self) -> bool {
        matches!(self, Self::Submitted | Self::ScienceReviewed)
    }

    /// The state after `step`, or the stable code of why it may not happen.
    pub fn after(self, step: ReviewStep, who: Actors, comment: &str) -> Result<ContentStatus, &'static str> {
        use ContentStatus::*;
        use ReviewStep::*;
        let needs_comment = matches!(step, Return | Withdraw);
        if needs_comment && comment.trim().is_empty() {
            return Err("comment_required");
        }
        if matches!(step, Pass | Return) {
            if !who.reviewer {
                return Err("forbidden");
            }
            if who.actor == who.author {
                return Err("review_own_content");
            }
        }
        match (self, step) {
            (Draft, Submit) => Ok(Submitted),
            (Submitted, Pass) => Ok(ScienceReviewed),
            (ScienceReviewed, Pass) if who.science_reviewer == Some(who.actor) => Err("review_twice"),
            (ScienceReviewed, Pass) => Ok(Approved),
            (Submitted | ScienceReviewed, Return) => Ok(Draft),
            (Approved, Publish) => Ok(Published),
            (Published, Publish) => Ok(Published),
            (Approved | Published, Withdraw) if who.reviewer => Ok(Withdrawn),
            (Withdrawn, Reopen) => Ok(Draft),
            _ => Err("bad_transition"),
        }
    }
}

impl ReviewStep {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "submit" => Self::Submit,
            "pass" => Self::Pass,
            "return" => Self::Return,
            "publish" => Self::Publish,
            "withdraw" => Self::Withdraw,
            "reopen" => Self::Reopen,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Pass => "pass",
            Self::Return => "return",
            Self::Publish => "publish",
            Self::Withdraw => "withdraw",
            Self::Reopen => "reopen",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ContentStatus::*;
    use super::ReviewStep::*;
    use super::*;

    fn by(actor: i64, science: Option<i64>) -> Actors {
        Actors { actor, author: 1, science_reviewer: science, reviewer: true }
    }

    #[test]
    fn full_path_needs_two_other_people() {
        let s = Draft.after(Submit, by(1, None), "").unwrap();
        assert_eq!(s, Submitted);
        assert_eq!(s.after(Pass, by(1, None), ""), Err("review_own_content"));
        let s = s.after(Pass, by(2, None), "").unwrap();
        assert_eq!(s, ScienceReviewed);
        assert_eq!(s.after(Pass, by(2, Some(2)), ""), Err("review_twice"));
        let s = s.after(Pass, by(3, Some(2)), "").unwrap();
        assert_eq!(s, Approved);
        assert!(s.releasable());
        let s = s.after(Publish, by(1, Some(2)), "").unwrap();
        assert_eq!(s, Published);
        assert_eq!(s.after(Withdraw, by(3, None), ""), Err("comment_required"));
        let s = s.after(Withdraw, by(3, None), "数据有误").unwrap();
        assert!(!s.releasable());
        assert_eq!(s.after(Reopen, by(1, None), ""), Ok(Draft));
    }

    #[test]
    fn nothing_unreviewed_is_released() {
        for s in [Draft, Submitted, ScienceReviewed, Withdrawn] {
            assert!(!s.releasable());
            assert_eq!(s.after(Publish, by(2, None), ""), Err("bad_transition"));
        }
        assert_eq!(Draft.after(Pass, by(2, None), ""), Err("bad_transition"));
        let editor = Actors { reviewer: false, ..by(2, None) };
        assert_eq!(Submitted.after(Pass, editor, ""), Err("forbidden"));
        assert_eq!(Submitted.after(Return, by(2, None), " "), Err("comment_required"));
        assert_eq!(ScienceReviewed.after(Return, by(3, Some(2)), "来源不明"), Ok(Draft));
    }

    #[test]
    fn codes_round_trip() {
        for s in ContentStatus::ALL {
            assert_eq!(ContentStatus::parse(s.code()), Some(s));
        }
        for s in [Submit, Pass, Return, Publish, Withdraw, Reopen] {
            assert_eq!(ReviewStep::parse(s.code()), Some(s));
        }
    }
}
