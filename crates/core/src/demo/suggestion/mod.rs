//! The demo district's citizen suggestions: 43 sent during the emergency (flu season) science
//! campaign and the rest over the year, in every status — waiting for moderation, rejected
//! with a reason, routed to a town (金沙街道 and 西亭镇 to their officers' accounts), answered
//! publicly or privately, adopted, rated. Times are days before loading, so the demo always
//! has recent suggestions and some overdue.

#[rustfmt::skip]
mod data;

use super::DemoDistrict;
use crate::suggestion::{DEFAULT_DUE_DAYS, Status};
use data::{EMERGENCY, GIVEN, Item, SURNAMES, YEAR};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The towns whose demo officers have accounts of their own (see `DemoDistrict::accounts`).
pub const OFFICER_ACCOUNTS: [(&str, &str); 2] = [("金沙街道", "jinsha"), ("西亭镇", "xiting")];

pub struct DemoSuggestion {
    pub category: &'static str,
    pub body: &'static str,
    /// Index into `DemoDistrict::regions`: the town named, or the district.
    pub region: usize,
    pub name: Option<String>,
    pub phone: Option<String>,
    /// Sent during the emergency campaign.
    pub emergency: bool,
    /// Seconds before loading that it arrived.
    pub ago_s: i64,
    pub status: Status,
    pub reason: Option<&'static str>,
    /// Hours after arrival that moderation took.
    pub moderated_after_h: i64,
    /// Routing: the town (index into regions) and the officer's username, hours after arrival.
    pub assigned_town: Option<usize>,
    pub assigned_account: Option<&'static str>,
    pub assigned_after_h: i64,
    /// Days after arrival the answer is due.
    pub due_days: i64,
    pub answer: Option<&'static str>,
    pub answer_public: bool,
    pub answered_by: &'static str,
    pub answered_after_h: i64,
    pub adopted: bool,
    pub closed_after_h: Option<i64>,
    pub rating: Option<(i32, Option<&'static str>)>,
}

/// The emergency campaign's period as days before loading (first, last), when none is given.
pub const DEFAULT_CAMPAIGN_DAYS: (i64, i64) = (150, 129);

/// `campaign_days` is the emergency campaign's period in days before loading (first day,
/// last day); the campaign's 43 suggestions fall within it, the rest over the year.
pub fn generate(d: &DemoDistrict, seed: u64, campaign_days: (i64, i64)) -> Vec<DemoSuggestion> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let town = |name: &str| d.regions.iter().position(|r| r.name == name && r.parent == Some(0));
    let (first, last) = (campaign_days.0.max(campaign_days.1 + 1), campaign_days.1.max(1));
    let mut out = Vec::with_capacity(EMERGENCY.len() + YEAR.len());
    let span = |i: usize, n: usize, from: i64, to: i64| from - (from - to) * i as i64 / n.max(1) as i64;
    for (i, it) in EMERGENCY.iter().enumerate() {
        let day = span(i, EMERGENCY.len(), first, last);
        out.push(one(&mut rng, it, true, day, &town));
    }
    // The rest of the year: from ten months ago to yesterday, the newest still waiting.
    for (i, it) in YEAR.iter().enumerate() {
        let day = span(i, YEAR.len(), 330, 1);
        out.push(one(&mut rng, it, false, day, &town));
    }
    out
}

fn one(
    rng: &mut ChaCha8Rng,
    it: &Item,
    emergency: bool,
    day: i64,
    town: &dyn Fn(&str) -> Option<usize>,
) -> DemoSuggestion {
    let status = Status::parse(it.status).expect("a status code");
    let region = if it.town.is_empty() { 0 } else { town(it.town).unwrap_or(0) };
    // Daytime and evening, China time: 08:00–22:00 is 00:00–14:00 UTC.
    let ago_s = day * 86_400 - rng.random_range(0..14 * 3600);
    let name = rng
        .random_bool(0.6)
        .then(|| format!("{}{}", SURNAMES.choose(rng).expect("names"), GIVEN.choose(rng).expect("names")));
    let phone = rng.random_bool(0.5).then(|| {
        let prefix = ["138", "139", "137", "150", "151", "152", "158", "159", "182", "187", "188", "189", "133", "180"];
        format!("{}{:08}", prefix.choose(rng).expect("prefixes"), rng.random_range(0..100_000_000u32))
    });
    // Everything that happened to it happened before now.
    let hours = (day * 24 - 15).max(2);
    let moderated_after_h = rng.random_range(1..=20).min(hours - 1);
    let routed = matches!(status, Status::Assigned) || (status.has_answer() && !it.town.is_empty());
    let assigned_after_h = (moderated_after_h + rng.random_range(1..=24)).min(hours - 1);
    let answered_after_h = (assigned_after_h + rng.random_range(24..=240)).min(hours - 1).max(assigned_after_h);
    let closed_after_h = (status == Status::Closed).then(|| (answered_after_h + rng.random_range(24..=96)).min(hours));
    let officer = OFFICER_ACCOUNTS.iter().find(|(t, _)| *t == it.town).map(|(_, a)| *a);
    DemoSuggestion {
        category: it.category,
        body: it.text,
        region,
        name,
        phone,
        emergency,
        ago_s,
        status,
        reason: (!it.reason.is_empty()).then_some(it.reason),
        moderated_after_h,
        assigned_town: routed.then_some(region).filter(|r| *r != 0),
        assigned_account: if routed { officer } else { None },
        assigned_after_h,
        due_days: DEFAULT_DUE_DAYS,
        answer: (!it.answer.is_empty()).then_some(it.answer),
        answer_public: it.public,
        answered_by: if routed { officer.unwrap_or("staff") } else { "staff" },
        answered_after_h,
        adopted: it.adopted,
        closed_after_h,
        rating: (it.rating > 0).then(|| (it.rating, (!it.comment.is_empty()).then_some(it.comment))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixty_suggestions_forty_three_from_the_campaign() {
        let d = crate::demo::generate(1, 2026);
        let s = generate(&d, 7, DEFAULT_CAMPAIGN_DAYS);
        assert_eq!(s.iter().filter(|x| x.emergency).count(), 43);
        assert_eq!(s.len(), 60);
        for x in &s {
            // Every text passes the public form's own check.
            let form = crate::suggestion::SuggestionForm {
                category: x.category.into(),
                body: x.body.into(),
                name: x.name.clone().unwrap_or_default(),
                phone: x.phone.clone().unwrap_or_default(),
                region_id: String::new(),
            };
            form.check().unwrap_or_else(|e| panic!("{}: {e}", x.body));
            assert_eq!(x.answer.is_some(), x.status.has_answer(), "{}", x.body);
            assert_eq!(x.reason.is_some(), x.status == Status::Rejected, "{}", x.body);
            assert!(x.rating.is_none() || x.status.has_answer());
            assert!(x.ago_s > 0);
            assert!(
                x.answered_after_h * 3600 <= x.ago_s && x.closed_after_h.is_none_or(|c| c * 3600 <= x.ago_s + 3600)
            );
            if x.status == Status::Assigned {
                assert!(x.assigned_town.is_some(), "{}", x.body);
            }
        }
        let (a, b) = DEFAULT_CAMPAIGN_DAYS;
        assert!(s.iter().filter(|x| x.emergency).all(|x| x.ago_s <= a * 86_400 && x.ago_s > (b - 1) * 86_400));
        // Every status is there for the pages to show.
        for st in Status::ALL {
            assert!(s.iter().any(|x| x.status == st), "{st:?}");
        }
        assert!(s.iter().any(|x| x.assigned_account == Some("jinsha")));
        assert!(s.iter().any(|x| x.assigned_account == Some("xiting") && x.status == Status::Assigned));
    }
}
