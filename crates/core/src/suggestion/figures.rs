//! The figures of suggestions over a period: received, moderated (accepted, rejected by
//! reason), answered, adopted, the average rating and the average time to an answer, by
//! category and by month (China time).

use super::{CATEGORIES, REASONS, Status};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the figures need of one suggestion.
#[derive(Debug, Clone)]
pub struct Fact {
    pub status: Status,
    pub category: String,
    pub reason: Option<String>,
    pub adopted: bool,
    pub rating: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// Counts for one slice (everything, a category, a month).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub received: u64,
    /// Passed moderation (whatever happened after).
    pub accepted: u64,
    pub rejected: u64,
    /// Still waiting for moderation.
    pub pending: u64,
    pub answered: u64,
    pub adopted: u64,
    pub rated: u64,
    rating_sum: u64,
    answer_hours_sum: f64,
}

impl Counts {
    fn add(&mut self, f: &Fact) {
        self.received += 1;
        match f.status {
            Status::Received => self.pending += 1,
            Status::Rejected => self.rejected += 1,
            _ => self.accepted += 1,
        }
        if let Some(at) = f.answered_at.filter(|_| f.status.has_answer()) {
            self.answered += 1;
            self.answer_hours_sum += (at - f.created_at).num_seconds().max(0) as f64 / 3600.0;
        }
        if f.adopted {
            self.adopted += 1;
        }
        if let Some(r) = f.rating {
            self.rated += 1;
            self.rating_sum += r.clamp(0, 5) as u64;
        }
    }

    /// Mean stars of rated answers.
    pub fn average_rating(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.rating_sum as f64 / self.rated as f64)
    }

    /// Mean days from receipt to answer.
    pub fn average_days_to_answer(&self) -> Option<f64> {
        (self.answered > 0).then(|| self.answer_hours_sum / 24.0 / self.answered as f64)
    }

    /// Share of accepted suggestions answered, in percent.
    pub fn answer_rate(&self) -> Option<f64> {
        (self.accepted > 0).then(|| self.answered as f64 * 100.0 / self.accepted as f64)
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub total: Counts,
    /// Every category, in the form's order, even when empty.
    pub by_category: Vec<(String, Counts)>,
    /// `YYYY-MM` → counts, months in order.
    pub by_month: Vec<(String, Counts)>,
    /// Rejections by reason code, in the list's order, even when zero.
    pub rejected_by_reason: Vec<(String, u64)>,
}

/// The month (`YYYY-MM`) a moment falls in, China time.
pub fn month_of(t: DateTime<Utc>) -> String {
    let cst = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    t.with_timezone(&cst).format("%Y-%m").to_string()
}

pub fn tally(facts: &[Fact]) -> Figures {
    let mut total = Counts::default();
    let mut by_category: Vec<(String, Counts)> =
        CATEGORIES.iter().map(|c| (c.to_string(), Counts::default())).collect();
    let mut by_month: BTreeMap<String, Counts> = BTreeMap::new();
    let mut reasons: Vec<(String, u64)> = REASONS.iter().map(|(c, _)| (c.to_string(), 0)).collect();
    for f in facts {
        total.add(f);
        match by_category.iter_mut().find(|(c, _)| *c == f.category) {
            Some((_, c)) => c.add(f),
            None => by_category.last_mut().expect("categories").1.add(f),
        }
        by_month.entry(month_of(f.created_at)).or_default().add(f);
        if f.status == Status::Rejected
            && let Some(r) = reasons.iter_mut().find(|(c, _)| Some(c.as_str()) == f.reason.as_deref())
        {
            r.1 += 1;
        }
    }
    Figures { total, by_category, by_month: by_month.into_iter().collect(), rejected_by_reason: reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn fact(status: Status, category: &str, day: u32) -> Fact {
        let created_at = Utc.with_ymd_and_hms(2026, 2, day, 2, 0, 0).unwrap();
        Fact {
            status,
            category: category.into(),
            reason: None,
            adopted: false,
            rating: None,
            created_at,
            answered_at: status.has_answer().then(|| created_at + Duration::days(3)),
        }
    }

    #[test]
    fn figures_add_up() {
        let mut facts = vec![
            fact(Status::Received, "content", 1),
            fact(Status::Assigned, "emergency", 2),
            fact(Status::Answered, "emergency", 3),
            fact(Status::Closed, "estation", 4),
        ];
        facts[3].adopted = true;
        facts[3].rating = Some(5);
        facts[2].rating = Some(4);
        let mut rejected = fact(Status::Rejected, "other", 5);
        rejected.reason = Some("advert".into());
        facts.push(rejected);
        let mut march = fact(Status::Accepted, "content", 28);
        march.created_at = Utc.with_ymd_and_hms(2026, 2, 28, 17, 0, 0).unwrap(); // 1 March in China
        facts.push(march);
        let f = tally(&facts);
        let t = &f.total;
        assert_eq!((t.received, t.accepted, t.rejected, t.pending), (6, 4, 1, 1));
        assert_eq!((t.answered, t.adopted, t.rated), (2, 1, 2));
        assert_eq!(t.average_rating(), Some(4.5));
        assert_eq!(t.average_days_to_answer(), Some(3.0));
        assert_eq!(t.answer_rate(), Some(50.0));
        assert_eq!(f.by_category.len(), CATEGORIES.len());
        assert_eq!(f.by_category.iter().find(|(c, _)| c == "emergency").unwrap().1.received, 2);
        assert_eq!(
            f.by_month.iter().map(|(m, c)| (m.as_str(), c.received)).collect::<Vec<_>>(),
            vec![("2026-02", 5), ("2026-03", 1)]
        );
        assert_eq!(f.rejected_by_reason[0], ("advert".to_string(), 1));
        assert_eq!(f.rejected_by_reason.iter().map(|r| r.1).sum::<u64>(), 1);
    }

    #[test]
    fn nothing_gives_no_averages() {
        let f = tally(&[]);
        assert_eq!(f.total.average_rating(), None);
        assert_eq!(f.total.average_days_to_answer(), None);
        assert!(f.by_month.is_empty());
    }
}
