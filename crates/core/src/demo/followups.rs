//! What the demo district's matchmaking has led to: two events (one held and checked in, one
//! planned) and engagements at every stage. Computed with the same ranking and planning code
//! the platform runs, over the demo's experts and needs, so the pages show consistent records.

use super::{DemoDistrict, DemoNeed};
use crate::matchmaking::assign::Candidate;
use crate::matchmaking::engagement::{Outcome, Stage};
use crate::matchmaking::event::{Attendee, PlanInput, plan};
use crate::matchmaking::{Expert, ExpertIndex, Need, rank_experts, rank_needs};
use chrono::NaiveDate;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, HashMap, HashSet};

pub struct DemoEvent {
    pub name: &'static str,
    pub held_on: NaiveDate,
    pub place: &'static str,
    pub starts_at: &'static str,
    pub slots: usize,
    pub slot_minutes: u32,
    pub fair: bool,
    /// "draft", "planned" or "published".
    pub status: &'static str,
    /// Needs with the meetings wanted.
    pub needs: Vec<DemoAttendee>,
    /// Experts with their most meetings.
    pub experts: Vec<DemoAttendee>,
    pub meetings: Vec<DemoMeeting>,
}

/// An attendee of an event: who, how many meetings (wanted or at most), slots away.
pub type DemoAttendee = (usize, u32, Vec<usize>);

pub struct DemoMeeting {
    pub expert: usize,
    pub need: usize,
    pub slot: usize,
    pub score: f64,
    pub arrived: bool,
}

pub struct DemoEngagement {
    pub need: usize,
    pub expert: usize,
    pub event: Option<usize>,
    pub stage: Stage,
    pub contract_wan: Option<i64>,
    pub outcome: Option<Outcome>,
    pub follow_up_on: Option<NaiveDate>,
    pub note: Option<&'static str>,
}

/// Needs of the first block at most (scale 1 has about 130).
const FIRST_BLOCK_NEEDS: usize = 200;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn as_need(i: usize, n: &DemoNeed, d: &DemoDistrict) -> Need {
    Need {
        id: i.to_string(),
        enterprise: d.orgs[n.enterprise].name.clone(),
        industry: n.industry.clone(),
        kind: n.kind,
        title: n.title.clone(),
        body: [n.background.as_str(), n.problem.as_str(), n.goal.as_str()].join("\n"),
    }
}

/// The town (a child of the district) a region lies in.
fn town_of(d: &DemoDistrict, mut region: usize) -> usize {
    while let Some(p) = d.regions[region].parent {
        if d.regions[p].parent.is_none() {
            return region;
        }
        region = p;
    }
    region
}

struct Ranking {
    index: ExpertIndex,
    /// Index position → expert number in `DemoDistrict::experts`.
    needs: Vec<Need>,
    conflicts: HashMap<usize, HashSet<String>>,
}

impl Ranking {
    fn new(d: &DemoDistrict) -> Self {
        let experts: Vec<Expert> = d
            .experts
            .iter()
            .enumerate()
            .filter(|(_, e)| e.consent)
            .map(|(i, e)| Expert {
                id: i.to_string(),
                name: e.name.clone(),
                title: e.title.clone(),
                institution: e.institution.clone(),
                fields: e.fields.clone(),
                keywords: e.keywords.clone(),
                bio: e.bio.clone(),
                achievements: e.achievements.clone(),
            })
            .collect();
        let mut conflicts: HashMap<usize, HashSet<String>> = HashMap::new();
        for (i, e) in d.experts.iter().enumerate() {
            for &o in &e.conflicts {
                conflicts.entry(o).or_default().insert(i.to_string());
            }
        }
        let needs = d.needs.iter().enumerate().map(|(i, n)| as_need(i, n, d)).collect();
        Self { index: ExpertIndex::new(&experts), needs, conflicts }
    }

    /// The best experts for need `i`, with their scores.
    fn best(&self, d: &DemoDistrict, i: usize, k: usize) -> Vec<(usize, f64)> {
        let none = HashSet::new();
        let conflicts = self.conflicts.get(&d.needs[i].enterprise).unwrap_or(&none);
        rank_experts(&self.index, &self.needs[i], conflicts, (k < usize::MAX).then_some(k))
            .into_iter()
            .filter(|r| r.score > 0.0)
            .map(|r| (r.id.parse().expect("numeric id"), r.score))
            .collect()
    }
}

/// One event from a set of needs: the experts who rank best for them attend, and the plan is
/// computed by `matchmaking::event::plan`.
fn event_for(
    d: &DemoDistrict,
    r: &Ranking,
    needs: &[usize],
    slots: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<DemoAttendee>, Vec<DemoAttendee>, Vec<DemoMeeting>) {
    // The two best experts of each need attend; every pair is then scored in full.
    let mut experts: Vec<usize> = Vec::new();
    for &n in needs {
        for (e, _) in r.best(d, n, 2) {
            if !experts.contains(&e) {
                experts.push(e);
            }
        }
    }
    let mut scores: HashMap<(usize, usize), f64> = HashMap::new();
    for &n in needs {
        for (e, s) in r.best(d, n, usize::MAX) {
            if experts.contains(&e) {
                scores.insert((e, n), s);
            }
        }
    }
    let need_rows: Vec<DemoAttendee> = needs
        .iter()
        .map(|&n| {
            let away = if rng.random_bool(0.2) { vec![rng.random_range(0..slots)] } else { Vec::new() };
            (n, rng.random_range(2..=3), away)
        })
        .collect();
    let expert_rows: Vec<DemoAttendee> = experts.iter().map(|&e| (e, slots as u32 - 1, Vec::new())).collect();
    // One attendee per enterprise: its needs' wants added up.
    let mut firms: Vec<usize> = Vec::new();
    let mut firm_of_need = HashMap::new();
    for &(n, _, _) in &need_rows {
        let org = d.needs[n].enterprise;
        let at = firms.iter().position(|&f| f == org).unwrap_or_else(|| {
            firms.push(org);
            firms.len() - 1
        });
        firm_of_need.insert(n, at);
    }
    let mut firm_att: Vec<Attendee> = firms.iter().map(|_| Attendee { meetings: 0, unavailable: Vec::new() }).collect();
    for (n, wanted, away) in &need_rows {
        let a = &mut firm_att[firm_of_need[n]];
        a.meetings += wanted;
        a.unavailable.extend(away);
    }
    for a in &mut firm_att {
        a.meetings = a.meetings.min((slots - a.unavailable.len()) as u32);
    }
    let mut best: BTreeMap<(usize, usize), (f64, usize)> = BTreeMap::new();
    for (&(e, n), &s) in &scores {
        let Some(i) = experts.iter().position(|&x| x == e) else { continue };
        let j = firm_of_need[&n];
        let slot = best.entry((i, j)).or_insert((s, n));
        if s > slot.0 {
            *slot = (s, n);
        }
    }
    let input = PlanInput {
        slots,
        experts: expert_rows.iter().map(|(_, m, a)| Attendee { meetings: *m, unavailable: a.clone() }).collect(),
        enterprises: firm_att.clone(),
        candidates: best
            .iter()
            .map(|(&(expert, enterprise), &(score, _))| Candidate { expert, enterprise, score })
            .collect(),
        fair: false,
    };
    // Wants are trimmed until the plan exists: a demo shows a plan, not an error.
    let mut input = input;
    let planned = loop {
        match plan(&input) {
            Ok(p) => break p,
            Err(_) => {
                let Some(most) = input.enterprises.iter_mut().filter(|a| a.meetings > 1).max_by_key(|a| a.meetings)
                else {
                    return (need_rows, expert_rows, Vec::new());
                };
                most.meetings -= 1;
            }
        }
    };
    let meetings = planned
        .meetings
        .iter()
        .map(|m| DemoMeeting {
            expert: experts[m.expert],
            need: best[&(m.expert, m.enterprise)].1,
            slot: m.slot,
            score: m.score,
            arrived: false,
        })
        .collect();
    (need_rows, expert_rows, meetings)
}

/// Events and engagements for the demo district.
pub fn generate(d: &DemoDistrict, seed: u64) -> (Vec<DemoEvent>, Vec<DemoEngagement>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6d61_7463_6800);
    let r = Ranking::new(d);
    // The first block's needs are the ones people read; larger scales exist for load.
    let approved: Vec<usize> =
        (0..d.needs.len().min(FIRST_BLOCK_NEEDS)).filter(|&i| d.needs[i].status == "approved").collect();
    let textile = |i: &usize| matches!(d.needs[*i].industry.as_str(), "纺织业" | "纺织服装、服饰业" | "化学纤维制造业");
    // One need per enterprise at an event: an enterprise brings its most pressing problem.
    let one_each = |ids: Vec<usize>| {
        let mut firms = HashSet::new();
        ids.into_iter().filter(|&i| firms.insert(d.needs[i].enterprise)).take(10).collect::<Vec<usize>>()
    };
    let mut held = one_each(approved.iter().copied().filter(textile).collect());
    let mut others: Vec<usize> = approved.iter().copied().filter(|i| !textile(i)).collect();
    others.shuffle(&mut rng);
    let mut upcoming = one_each(others);
    held.sort_unstable();
    upcoming.sort_unstable();

    let (needs, experts, mut meetings) = event_for(d, &r, &held, 6, &mut rng);
    for m in &mut meetings {
        m.arrived = rng.random_bool(0.9);
    }
    let first = DemoEvent {
        name: "2026年“院士专家通州行”纺织家纺专场精准对接活动",
        held_on: date(2026, 6, 18),
        place: "通州区科技创新中心三楼报告厅",
        starts_at: "09:00",
        slots: 6,
        slot_minutes: 20,
        fair: false,
        status: "published",
        needs,
        experts,
        meetings,
    };
    let (needs, experts, meetings) = event_for(d, &r, &upcoming, 6, &mut rng);
    let second = DemoEvent {
        name: "2026年产学研精准对接活动·智能制造与新材料专场",
        held_on: date(2026, 12, 16),
        place: "南通高新区综合服务中心",
        starts_at: "13:30",
        slots: 6,
        slot_minutes: 25,
        fair: true,
        status: "planned",
        needs,
        experts,
        meetings,
    };

    let mut engagements: Vec<DemoEngagement> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    // Meetings both sides attended became visits; some went on to agreements and results.
    for (k, m) in first.meetings.iter().filter(|m| m.arrived).enumerate() {
        if !seen.insert((m.need, m.expert)) {
            continue;
        }
        // Four in ten still at the visit, three signed, three concluded.
        let roll = (k % 10) as f64 / 10.0;
        let (stage, contract_wan, outcome, follow_up_on, note) = if roll < 0.4 {
            (
                Stage::Visited,
                None,
                None,
                Some(date(2026, 12, rng.random_range(1..=28))),
                Some("活动现场交流后，专家已到企业车间实地查看。"),
            )
        } else if roll < 0.7 {
            let value = rng.random_range(1..=40) * 5;
            (
                Stage::Agreed,
                Some(value),
                None,
                Some(date(2027, 1, rng.random_range(5..=28))),
                Some("已签订技术服务合同，按季度跟进项目进度。"),
            )
        } else {
            let solved = rng.random_bool(0.75);
            let value = rng.random_range(1..=30) * 5;
            let note = if solved {
                "项目已结题，企业确认问题已解决。"
            } else {
                "试验未达到预期指标，企业另寻方案。"
            };
            (
                Stage::Concluded,
                Some(value),
                Some(if solved { Outcome::Solved } else { Outcome::Unsolved }),
                None,
                Some(note),
            )
        };
        engagements.push(DemoEngagement {
            need: m.need,
            expert: m.expert,
            event: Some(0),
            stage,
            contract_wan,
            outcome,
            follow_up_on,
            note,
        });
    }
    // The best-ranked expert for most other published needs, and for at least one in every town.
    let mut towns: HashSet<usize> = HashSet::new();
    for &n in &approved {
        let town = town_of(d, d.orgs[d.needs[n].enterprise].region);
        let first_in_town = towns.insert(town);
        if !first_in_town && !rng.random_bool(0.55) {
            continue;
        }
        let Some(&(e, _)) = r.best(d, n, 1).first() else { continue };
        if !seen.insert((n, e)) {
            continue;
        }
        let stage = if rng.random_bool(0.5) { Stage::Matched } else { Stage::Contacted };
        // Some follow-ups are due already: the list of what to chase today is never empty.
        let follow = if rng.random_bool(0.3) {
            date(2026, 11, rng.random_range(10..=27))
        } else {
            date(2026, 12, rng.random_range(1..=30))
        };
        engagements.push(DemoEngagement {
            need: n,
            expert: e,
            event: None,
            stage,
            contract_wan: None,
            outcome: None,
            follow_up_on: Some(follow),
            note: None,
        });
    }
    // The demo expert account has work of its own.
    let needs_for_expert0 = rank_needs(&r.index, "0", &r.needs, &HashSet::new(), Some(20)).unwrap_or_default();
    for ranked in needs_for_expert0
        .iter()
        .filter(|x| d.needs[x.id.parse::<usize>().expect("numeric")].status == "approved")
        .take(3)
    {
        let n: usize = ranked.id.parse().expect("numeric");
        if seen.insert((n, 0)) {
            engagements.push(DemoEngagement {
                need: n,
                expert: 0,
                event: None,
                stage: Stage::Contacted,
                contract_wan: None,
                outcome: None,
                follow_up_on: Some(date(2026, 12, 10)),
                note: Some("已电话联系，约定下月到企业走访。"),
            });
        }
    }
    (vec![first, second], engagements)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matchmaking::event::clashes;

    #[test]
    fn the_demo_events_have_plans_without_clashes_and_engagements_cover_every_town() {
        let d = crate::demo::generate(1, 2026);
        let (events, engagements) = generate(&d, 2026);
        assert_eq!(events.len(), 2);
        for e in &events {
            assert!(e.meetings.len() >= e.needs.len(), "{}: {} meetings", e.name, e.meetings.len());
            let expert_pos = |x: usize| e.experts.iter().position(|r| r.0 == x).expect("attending expert");
            let firms: Vec<usize> = {
                let mut f: Vec<usize> = e.needs.iter().map(|n| d.needs[n.0].enterprise).collect();
                f.dedup();
                f
            };
            let triples: Vec<(usize, usize, usize)> = e
                .meetings
                .iter()
                .map(|m| {
                    let firm = firms.iter().position(|&f| f == d.needs[m.need].enterprise).expect("attending firm");
                    (expert_pos(m.expert), firm, m.slot)
                })
                .collect();
            let experts: Vec<Attendee> =
                e.experts.iter().map(|r| Attendee { meetings: r.1, unavailable: r.2.clone() }).collect();
            assert!(clashes(&triples, e.slots, &experts, &[]).is_empty(), "{}", e.name);
        }
        assert!(engagements.iter().all(|g| d.needs[g.need].status == "approved"));
        let stages: HashSet<Stage> = engagements.iter().map(|g| g.stage).collect();
        assert_eq!(stages.len(), 5, "every stage is shown: {stages:?}");
        assert!(engagements.iter().any(|g| g.expert == 0), "the demo expert has engagements");
        let towns_with_needs: HashSet<usize> = (0..d.needs.len())
            .filter(|&n| d.needs[n].status == "approved")
            .map(|n| town_of(&d, d.orgs[d.needs[n].enterprise].region))
            .collect();
        let towns_engaged: HashSet<usize> =
            engagements.iter().map(|g| town_of(&d, d.orgs[d.needs[g.need].enterprise].region)).collect();
        assert_eq!(towns_with_needs, towns_engaged);
        let again = generate(&d, 2026).1;
        assert_eq!(again.len(), engagements.len(), "deterministic");
    }
}
