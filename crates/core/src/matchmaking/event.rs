//! 精准对接活动: planning an event's meetings from who comes, how many meetings each wants or
//! can take, when they can attend and how relevant each pair is; and checking a plan after
//! staff have moved meetings by hand.
//!
//! An enterprise may bring several needs; it meets an expert once, for the need that expert
//! suits best, so the pair's relevance is the best score over its needs.

use super::assign::{self, AssignError, Candidate, ExpertLoad, Problem, Reason, Wanted};
use super::assign_fair::solve_fair;
use super::schedule::{self, Meeting, Person, UnplacedReason};
use crate::validate::{self, Invalid};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

/// Most slots in one event day, and longest slot.
pub const MAX_SLOTS: usize = 24;
const MAX_SLOT_MINUTES: u32 = 240;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    /// First slot's start, "09:00".
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub slots: String,
    #[serde(default)]
    pub slot_minutes: String,
    #[serde(default)]
    pub fair: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventInput {
    pub name: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub starts_at: NaiveTime,
    pub slots: u32,
    pub slot_minutes: u32,
    pub fair: bool,
}

impl EventForm {
    pub fn check(&self) -> Result<EventInput, Invalid> {
        let mut e = Invalid::default();
        let name = validate::required(&mut e, "name", &self.name, 100);
        let held_on = validate::optional_date(&mut e, "held_on", &self.held_on);
        if held_on.is_none() && self.held_on.trim().is_empty() {
            e.push("held_on", "required");
        }
        let place = validate::optional(&mut e, "place", &self.place, 100);
        let starts_at = NaiveTime::parse_from_str(self.starts_at.trim(), "%H:%M").ok();
        if starts_at.is_none() {
            e.push("starts_at", "bad_time");
        }
        let number = |e: &mut Invalid, field: &'static str, v: &str, max: u32| match v.trim().parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => n,
            _ => {
                e.push_arg(field, "out_of_range", format!("1–{max}"));
                1
            }
        };
        let slots = number(&mut e, "slots", &self.slots, MAX_SLOTS as u32);
        let slot_minutes = number(&mut e, "slot_minutes", &self.slot_minutes, MAX_SLOT_MINUTES);
        e.into_result(EventInput {
            name,
            held_on: held_on.unwrap_or_default(),
            place,
            starts_at: starts_at.unwrap_or_default(),
            slots,
            slot_minutes,
            fair: self.fair.is_some(),
        })
    }
}

impl EventInput {
    /// "09:00–09:20" for slot `i`.
    pub fn slot_label(starts_at: NaiveTime, minutes: u32, i: usize) -> String {
        let from = starts_at + chrono::Duration::minutes(i64::from(minutes) * i as i64);
        let to = from + chrono::Duration::minutes(i64::from(minutes));
        format!("{}–{}", from.format("%H:%M"), to.format("%H:%M"))
    }
}

/// Slots typed as "1,3" (1-based, as people count them) → 0-based slots, checked against
/// the event's slot count.
pub fn parse_slots(text: &str, slots: usize) -> Result<Vec<usize>, &'static str> {
    let mut out = Vec::new();
    for part in text.split(|c: char| c == ',' || c == '，' || c == '、' || c.is_whitespace()).filter(|p| !p.is_empty())
    {
        match part.parse::<usize>() {
            Ok(n) if (1..=slots).contains(&n) => out.push(n - 1),
            _ => return Err("bad_slots"),
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// An attendee's meeting count (1 to `slots`) and slots away as typed, each problem added to
/// `e` under `count_field` or `unavailable`.
pub fn check_attendance(
    e: &mut Invalid,
    count_field: &'static str,
    count: &str,
    unavailable: &str,
    slots: usize,
) -> (u32, Vec<usize>) {
    let count = match count.trim().parse::<u32>() {
        Ok(n) if (1..=slots as u32).contains(&n) => n,
        _ => {
            e.push_arg(count_field, "out_of_range", format!("1–{slots}"));
            0
        }
    };
    let away = parse_slots(unavailable, slots).unwrap_or_else(|code| {
        e.push("unavailable", code);
        Vec::new()
    });
    (count, away)
}

/// `parse_slots` backwards: "1,3".
pub fn format_slots(slots: &[usize]) -> String {
    slots.iter().map(|s| (s + 1).to_string()).collect::<Vec<_>>().join(",")
}

/// One reason an event cannot be planned, for the page: a stable code, whom it concerns
/// (names, already joined) and up to two numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanIssue {
    pub code: &'static str,
    pub who: String,
    pub a: u64,
    pub b: u64,
}

impl PlanError {
    /// Every reason, with attendees named by the caller.
    pub fn issues(&self, expert: &dyn Fn(usize) -> String, enterprise: &dyn Fn(usize) -> String) -> Vec<PlanIssue> {
        let issue = |code, who: String, a: u64, b: u64| PlanIssue { code, who, a, b };
        let names = |ids: &[usize], f: &dyn Fn(usize) -> String| {
            ids.iter().take(10).map(|&i| f(i)).collect::<Vec<_>>().join("、")
        };
        match self {
            PlanError::NoSlots => vec![issue("plan_no_slots", String::new(), 0, 0)],
            PlanError::MoreWantedThanSlots { enterprise: j, wanted, slots } => {
                vec![issue("plan_more_wanted_than_slots", enterprise(*j), u64::from(*wanted), *slots as u64)]
            }
            PlanError::Assign(AssignError::Infeasible(why)) => why
                .reasons
                .iter()
                .map(|r| match r {
                    Reason::TooFewExperts { enterprise: j, wanted, allowed } => {
                        issue("plan_too_few_experts", enterprise(*j), u64::from(*wanted), *allowed as u64)
                    }
                    Reason::TooFewEnterprises { expert: i, min_load, allowed } => {
                        issue("plan_too_few_enterprises", expert(*i), u64::from(*min_load), *allowed as u64)
                    }
                    Reason::CapacityShort { wanted, capacity } => {
                        issue("plan_capacity_short", String::new(), *wanted, *capacity)
                    }
                    Reason::MinimumsExceedWanted { minimums, wanted } => {
                        issue("plan_minimums_exceed_wanted", String::new(), *minimums, *wanted)
                    }
                    Reason::Crowded { enterprises, wanted, at_most, .. } => {
                        issue("plan_crowded", names(enterprises, enterprise), *wanted, *at_most)
                    }
                    Reason::Unserved { enterprise: j, got, wanted } => {
                        issue("plan_unserved", enterprise(*j), u64::from(*got), u64::from(*wanted))
                    }
                    Reason::BelowMinimum { expert: i, got, min_load } => {
                        issue("plan_below_minimum", expert(*i), u64::from(*got), u64::from(*min_load))
                    }
                })
                .collect(),
            PlanError::Assign(other) => vec![issue("plan_bad_input", other.to_string(), 0, 0)],
            PlanError::Unplaceable(list) => list
                .iter()
                .map(|(m, why)| {
                    let who = format!("{} × {}", expert(m.expert), enterprise(m.enterprise));
                    match why {
                        UnplacedReason::Overbooked { meetings, slots, .. } => {
                            issue("plan_overbooked", who, *meetings as u64, *slots as u64)
                        }
                        UnplacedReason::NoCommonSlot => issue("plan_no_common_slot", who, 0, 0),
                        UnplacedReason::NoSwapFound => issue("plan_no_swap", who, 0, 0),
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Meetings an enterprise wants, or the most an expert takes.
    pub meetings: u32,
    /// Slots (0-based) this attendee cannot attend.
    pub unavailable: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub slots: usize,
    pub experts: Vec<Attendee>,
    pub enterprises: Vec<Attendee>,
    /// Pairs that may meet; a pair absent here (a conflict, the enterprise's own institution,
    /// no relevance at all) never meets.
    pub candidates: Vec<Candidate>,
    /// Raise the lowest enterprise's total first.
    pub fair: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlannedMeeting {
    pub expert: usize,
    pub enterprise: usize,
    pub slot: usize,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub meetings: Vec<PlannedMeeting>,
    pub total: f64,
    pub lowest: f64,
}

/// Why an event cannot be planned as asked. Every variant names who is concerned, so the page
/// can say which enterprises cannot be served and why.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    NoSlots,
    /// Wants more meetings than slots it can attend.
    MoreWantedThanSlots {
        enterprise: usize,
        wanted: u32,
        slots: usize,
    },
    Assign(AssignError),
    /// The assignment exists but some meetings find no slot.
    Unplaceable(Vec<(PlannedMeeting, schedule::UnplacedReason)>),
}

fn usable_slots(a: &Attendee, slots: usize) -> usize {
    (0..slots).filter(|s| !a.unavailable.contains(s)).count()
}

pub fn plan(input: &PlanInput) -> Result<Plan, PlanError> {
    if input.slots == 0 {
        return Err(PlanError::NoSlots);
    }
    if let Some((enterprise, a)) =
        input.enterprises.iter().enumerate().find(|(_, a)| a.meetings as usize > usable_slots(a, input.slots))
    {
        return Err(PlanError::MoreWantedThanSlots {
            enterprise,
            wanted: a.meetings,
            slots: usable_slots(a, input.slots),
        });
    }
    let problem = Problem {
        // An expert takes no more meetings than slots they can attend.
        experts: input
            .experts
            .iter()
            .map(|a| ExpertLoad { min: 0, max: a.meetings.min(usable_slots(a, input.slots) as u32) })
            .collect(),
        enterprises: input.enterprises.iter().map(|a| Wanted::Exactly(a.meetings)).collect(),
        candidates: input.candidates.clone(),
    };
    let solved = if input.fair { solve_fair(&problem) } else { assign::solve(&problem) }.map_err(PlanError::Assign)?;
    let chosen: Vec<Candidate> = solved.meetings.iter().map(|&i| input.candidates[i]).collect();
    let meetings: Vec<Meeting> =
        chosen.iter().map(|c| Meeting { expert: c.expert, enterprise: c.enterprise }).collect();
    let unavailable: Vec<(Person, usize)> = input
        .experts
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.unavailable.iter().map(move |&s| (Person::Expert(i), s)))
        .chain(
            input
                .enterprises
                .iter()
                .enumerate()
                .flat_map(|(j, a)| a.unavailable.iter().map(move |&s| (Person::Enterprise(j), s))),
        )
        .collect();
    let planned =
        |c: &Candidate, slot| PlannedMeeting { expert: c.expert, enterprise: c.enterprise, slot, score: c.score };
    match schedule::lay_out(&meetings, input.slots, &unavailable) {
        Ok(slots) => Ok(Plan {
            meetings: chosen.iter().zip(slots).map(|(c, s)| planned(c, s)).collect(),
            total: solved.total,
            lowest: solved.lowest,
        }),
        Err(e) => Err(PlanError::Unplaceable(
            e.unplaced.into_iter().map(|u| (planned(&chosen[u.meeting], usize::MAX), u.reason)).collect(),
        )),
    }
}

/// A problem with a plan as it stands after manual changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Clash {
    /// Two or more meetings of one person in one slot (positions in the meetings given).
    DoubleBooked { person: PersonRef, slot: usize, meetings: Vec<usize> },
    /// A meeting in a slot one of its people cannot attend.
    Unavailable { person: PersonRef, slot: usize, meeting: usize },
    /// The same pair twice.
    Repeated { meetings: Vec<usize> },
    /// A slot outside the event.
    OutOfRange { meeting: usize, slot: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "side", content = "index", rename_all = "snake_case")]
pub enum PersonRef {
    Expert(usize),
    Enterprise(usize),
}

/// Every clash of `meetings` (expert, enterprise, slot), in a stable order.
pub fn clashes(
    meetings: &[(usize, usize, usize)],
    slots: usize,
    experts: &[Attendee],
    enterprises: &[Attendee],
) -> Vec<Clash> {
    use std::collections::BTreeMap;
    let mut out = Vec::new();
    let mut by_person_slot: BTreeMap<(PersonRef, usize), Vec<usize>> = BTreeMap::new();
    let mut by_pair: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, &(r, e, s)) in meetings.iter().enumerate() {
        if s >= slots {
            out.push(Clash::OutOfRange { meeting: i, slot: s });
            continue;
        }
        by_person_slot.entry((PersonRef::Expert(r), s)).or_default().push(i);
        by_person_slot.entry((PersonRef::Enterprise(e), s)).or_default().push(i);
        by_pair.entry((r, e)).or_default().push(i);
        let away = |who: Option<&Attendee>| who.is_some_and(|a| a.unavailable.contains(&s));
        if away(experts.get(r)) {
            out.push(Clash::Unavailable { person: PersonRef::Expert(r), slot: s, meeting: i });
        }
        if away(enterprises.get(e)) {
            out.push(Clash::Unavailable { person: PersonRef::Enterprise(e), slot: s, meeting: i });
        }
    }
    for ((person, slot), ms) in by_person_slot {
        if ms.len() > 1 {
            out.push(Clash::DoubleBooked { person, slot, meetings: ms });
        }
    }
    for (_, ms) in by_pair {
        if ms.len() > 1 {
            out.push(Clash::Repeated { meetings: ms });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(meetings: u32, unavailable: &[usize]) -> Attendee {
        Attendee { meetings, unavailable: unavailable.to_vec() }
    }

    fn c(expert: usize, enterprise: usize, score: f64) -> Candidate {
        Candidate { expert, enterprise, score }
    }

    #[test]
    fn the_best_pairs_meet_and_nobody_is_double_booked() {
        let input = PlanInput {
            slots: 2,
            experts: vec![who(2, &[]), who(2, &[1]), who(1, &[])],
            enterprises: vec![who(2, &[]), who(1, &[])],
            candidates: vec![c(0, 0, 0.9), c(1, 0, 0.8), c(2, 0, 0.1), c(0, 1, 0.7), c(1, 1, 0.2)],
            fair: false,
        };
        let plan = plan(&input).expect("feasible");
        let mut pairs: Vec<(usize, usize)> = plan.meetings.iter().map(|m| (m.expert, m.enterprise)).collect();
        pairs.sort();
        assert_eq!(pairs, [(0, 0), (0, 1), (1, 0)]);
        assert!((plan.total - 2.4).abs() < 1e-9);
        let triples: Vec<(usize, usize, usize)> =
            plan.meetings.iter().map(|m| (m.expert, m.enterprise, m.slot)).collect();
        assert!(clashes(&triples, 2, &input.experts, &input.enterprises).is_empty(), "{triples:?}");
        assert!(plan.meetings.iter().all(|m| !(m.expert == 1 && m.slot == 1)), "expert 1 is away in slot 1");
    }

    #[test]
    fn an_enterprise_wanting_more_than_its_slots_is_named() {
        let input = PlanInput {
            slots: 3,
            experts: vec![who(3, &[])],
            enterprises: vec![who(1, &[]), who(3, &[0])],
            candidates: vec![c(0, 0, 0.5), c(0, 1, 0.5)],
            fair: false,
        };
        assert_eq!(plan(&input), Err(PlanError::MoreWantedThanSlots { enterprise: 1, wanted: 3, slots: 2 }));
    }

    #[test]
    fn too_few_experts_is_infeasible_with_the_enterprise_named() {
        let input = PlanInput {
            slots: 4,
            experts: vec![who(1, &[])],
            enterprises: vec![who(1, &[]), who(2, &[])],
            candidates: vec![c(0, 0, 0.5), c(0, 1, 0.5)],
            fair: true,
        };
        let Err(PlanError::Assign(AssignError::Infeasible(why))) = plan(&input) else { panic!("must be infeasible") };
        assert!(why.enterprises().contains(&1));
    }

    #[test]
    fn infeasible_events_name_the_enterprises_in_words_the_page_translates() {
        let input = PlanInput {
            slots: 4,
            experts: vec![who(1, &[])],
            enterprises: vec![who(1, &[]), who(2, &[])],
            candidates: vec![c(0, 0, 0.5), c(0, 1, 0.5)],
            fair: false,
        };
        let err = plan(&input).expect_err("infeasible");
        let names = ["南通华纶织造有限公司", "江苏恒达精细化工有限公司"];
        let issues = err.issues(&|i| format!("专家{i}"), &|j| names[j].to_string());
        assert!(issues.iter().any(|i| i.who.contains("江苏恒达精细化工有限公司")), "{issues:?}");
        assert!(issues.iter().all(|i| i.code.starts_with("plan_")));
    }

    #[test]
    fn event_forms_and_slot_lists() {
        let f = EventForm {
            name: "院士专家通州行·纺织专场".into(),
            held_on: "2026-12-10".into(),
            starts_at: "09:00".into(),
            slots: "6".into(),
            slot_minutes: "20".into(),
            ..EventForm::default()
        };
        let input = f.check().expect("valid");
        assert_eq!(EventInput::slot_label(input.starts_at, 20, 2), "09:40–10:00");
        let bad = EventForm { slots: "30".into(), starts_at: "9点".into(), ..f }.check().expect_err("invalid");
        assert_eq!(bad.for_field("slots").map(|e| e.code), Some("out_of_range"));
        assert_eq!(bad.for_field("starts_at").map(|e| e.code), Some("bad_time"));
        assert_eq!(parse_slots("3，1 3", 4), Ok(vec![0, 2]));
        assert_eq!(parse_slots("5", 4), Err("bad_slots"));
        assert_eq!(format_slots(&[0, 2]), "1,3");
        let mut e = Invalid::default();
        assert_eq!(check_attendance(&mut e, "wanted", "2", "3", 4), (2, vec![2]));
        assert!(e.is_empty());
        check_attendance(&mut e, "wanted", "5", "0", 4);
        assert_eq!(e.for_field("wanted").map(|x| x.code), Some("out_of_range"));
        assert_eq!(e.for_field("unavailable").map(|x| x.code), Some("bad_slots"));
    }

    #[test]
    fn hand_moved_meetings_show_their_clashes() {
        let experts = [who(2, &[1])];
        let enterprises = [who(2, &[]), who(1, &[])];
        let moved = [(0, 0, 0), (0, 1, 0), (0, 0, 1), (0, 1, 5)];
        let found = clashes(&moved, 2, &experts, &enterprises);
        assert!(found.contains(&Clash::OutOfRange { meeting: 3, slot: 5 }));
        assert!(found.contains(&Clash::DoubleBooked { person: PersonRef::Expert(0), slot: 0, meetings: vec![0, 1] }));
        assert!(found.contains(&Clash::Unavailable { person: PersonRef::Expert(0), slot: 1, meeting: 2 }));
        assert!(found.contains(&Clash::Repeated { meetings: vec![0, 2] }));
    }
}
