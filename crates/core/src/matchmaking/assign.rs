//! Who meets whom at a matchmaking event (精准对接活动): the assignment of experts to enterprises
//! that maximises total relevance, each enterprise meeting its wanted number of experts
//! (exactly, or at most), each expert between a minimum and a maximum number of enterprises,
//! each pair at most once. A pair that may not meet (a declared conflict, no shared time) is
//! simply not a candidate.
//!
//! The problem is a min-cost flow (`super::flow`): enterprise → expert arcs of capacity 1 and
//! cost −score, expert → sink arcs bounded by the loads. Scores are floats; they are scaled to
//! integers (a power of two, about 12 significant decimal digits) so the flow is exact and the
//! optimum found is the optimum of the given scores to within 1e-12 of the largest score per
//! meeting. Totals are then summed from the original floats. `super::assign_fair` builds the
//! fairer variant on top, `super::schedule` lays the meetings out in time slots.

use super::flow::{Network, Stuck};
use std::fmt;

/// How many enterprises an expert meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpertLoad {
    pub min: u32,
    pub max: u32,
}

/// How many experts an enterprise meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    Exactly(u32),
    /// As many as raise the total, up to this many.
    AtMost(u32),
}

impl Wanted {
    pub fn most(self) -> u32 {
        match self {
            Wanted::Exactly(n) | Wanted::AtMost(n) => n,
        }
    }
}

/// A pair that may meet, with its relevance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub expert: usize,
    pub enterprise: usize,
    pub score: f64,
}

/// Experts and enterprises are numbered by their position in these lists.
#[derive(Debug, Clone, Default)]
pub struct Problem {
    pub experts: Vec<ExpertLoad>,
    pub enterprises: Vec<Wanted>,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Positions in `Problem::candidates` of the pairs that meet, ascending.
    pub meetings: Vec<usize>,
    /// Per enterprise, the sum of its meetings' scores.
    pub enterprise_totals: Vec<f64>,
    pub total: f64,
    /// The smallest enterprise total (0 when there are no enterprises).
    pub lowest: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssignError {
    #[error("candidate pair {index}: {problem}")]
    BadCandidate { index: usize, problem: CandidateProblem },
    #[error("expert #{expert}: minimum load {min} is above maximum load {max}")]
    LoadsInverted { expert: usize, min: u32, max: u32 },
    #[error("no assignment meets every constraint: {0}")]
    Infeasible(Infeasible),
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CandidateProblem {
    #[error("no such expert")]
    UnknownExpert,
    #[error("no such enterprise")]
    UnknownEnterprise,
    #[error("the same pair as candidate {first}")]
    Duplicate { first: usize },
    #[error("the score is not a finite number")]
    NotFinite,
}

/// Why no assignment exists. Each reason names the enterprises or experts concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Infeasible {
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// An enterprise may meet fewer experts than it must meet.
    TooFewExperts { enterprise: usize, wanted: u32, allowed: usize },
    /// An expert may meet fewer enterprises than their minimum load.
    TooFewEnterprises { expert: usize, min_load: u32, allowed: usize },
    /// The meetings enterprises must have exceed what all experts can take.
    CapacityShort { wanted: u64, capacity: u64 },
    /// The experts' minimum loads exceed the meetings enterprises want at most.
    MinimumsExceedWanted { minimums: u64, wanted: u64 },
    /// These enterprises must have `wanted` meetings, but no assignment can give them more
    /// than `at_most`: the full loads of `experts` plus one meeting for each other pair of
    /// theirs that may meet.
    Crowded { enterprises: Vec<usize>, experts: Vec<usize>, wanted: u64, at_most: u64 },
    /// In the best attempt, this enterprise got only `got` of its meetings.
    Unserved { enterprise: usize, got: u32, wanted: u32 },
    /// In the best attempt, this expert got only `got` meetings, below their minimum.
    BelowMinimum { expert: usize, got: u32, min_load: u32 },
}

impl Reason {
    /// The reason in words, with experts and enterprises named by the caller.
    pub fn describe(&self, expert: &dyn Fn(usize) -> String, enterprise: &dyn Fn(usize) -> String) -> String {
        match self {
            Reason::TooFewExperts { enterprise: e, wanted, allowed } => {
                format!("{} must meet {} but only {allowed} may meet it", enterprise(*e), noun(*wanted, "expert"))
            }
            Reason::TooFewEnterprises { expert: r, min_load, allowed } => {
                format!(
                    "{} must meet at least {} but only {allowed} may meet them",
                    expert(*r),
                    noun(*min_load, "enterprise")
                )
            }
            Reason::CapacityShort { wanted, capacity } => format!(
                "the enterprises must have {} in all but the experts can take at most {capacity}",
                noun(*wanted, "meeting")
            ),
            Reason::MinimumsExceedWanted { minimums, wanted } => format!(
                "the experts' minimum loads add up to {} but the enterprises want at most {wanted}",
                noun(*minimums, "meeting")
            ),
            Reason::Crowded { enterprises, experts, wanted, at_most } => format!(
                "{} must have {} together, but at most {at_most} are possible: \
                 the full loads of {} and one meeting for each other pair of theirs that may meet",
                list(enterprises, enterprise),
                noun(*wanted, "meeting"),
                if experts.is_empty() { "no expert".to_string() } else { list(experts, expert) }
            ),
            Reason::Unserved { enterprise: e, got, wanted } => {
                format!(
                    "{} cannot be served: it would get only {got} of its {}",
                    enterprise(*e),
                    noun(*wanted, "meeting")
                )
            }
            Reason::BelowMinimum { expert: r, got, min_load } => {
                format!(
                    "{} would meet only {}, below their minimum of {min_load}",
                    expert(*r),
                    noun(*got, "enterprise")
                )
            }
        }
    }
}

/// "1 meeting", "2 meetings".
pub(super) fn noun(n: impl Into<u64>, word: &str) -> String {
    match n.into() {
        1 => format!("1 {word}"),
        n => format!("{n} {word}s"),
    }
}

/// Names up to ten ids, then says how many more.
fn list(ids: &[usize], name: &dyn Fn(usize) -> String) -> String {
    const SHOWN: usize = 10;
    let mut s: Vec<String> = ids.iter().take(SHOWN).map(|&i| name(i)).collect();
    if ids.len() > SHOWN {
        s.push(format!("and {} more", ids.len() - SHOWN));
    }
    s.join(", ")
}

impl Infeasible {
    /// Every enterprise a reason names, ascending.
    pub fn enterprises(&self) -> Vec<usize> {
        let mut ids: Vec<usize> = self
            .reasons
            .iter()
            .flat_map(|r| match r {
                Reason::TooFewExperts { enterprise, .. } | Reason::Unserved { enterprise, .. } => {
                    vec![*enterprise]
                }
                Reason::Crowded { enterprises, .. } => enterprises.clone(),
                _ => Vec::new(),
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
}

impl fmt::Display for Infeasible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expert = |i| format!("expert #{i}");
        let enterprise = |j| format!("enterprise #{j}");
        let all: Vec<String> = self.reasons.iter().map(|r| r.describe(&expert, &enterprise)).collect();
        f.write_str(&all.join("; "))
    }
}

impl From<Infeasible> for AssignError {
    fn from(e: Infeasible) -> Self {
        AssignError::Infeasible(e)
    }
}

/// The best assignment: maximum total score.
pub fn solve(problem: &Problem) -> Result<Assignment, AssignError> {
    let prepared = prepare(problem)?;
    let meetings = optimise(&problem.experts, &problem.enterprises, &prepared.pairs)?;
    Ok(problem.assignment(meetings))
}

impl Problem {
    pub(super) fn assignment(&self, mut meetings: Vec<usize>) -> Assignment {
        meetings.sort_unstable();
        let mut totals = vec![0.0; self.enterprises.len()];
        for &m in &meetings {
            let c = self.candidates[m];
            totals[c.enterprise] += c.score;
        }
        Assignment {
            total: meetings.iter().map(|&m| self.candidates[m].score).sum(),
            lowest: totals.iter().copied().reduce(f64::min).unwrap_or(0.0),
            enterprise_totals: totals,
            meetings,
        }
    }
}

/// A candidate with its score as an integer (score × `Prepared::scale`).
#[derive(Debug, Clone, Copy)]
pub(super) struct Pair {
    pub expert: usize,
    pub enterprise: usize,
    pub weight: i64,
}

pub(super) struct Prepared {
    /// One per candidate, same order.
    pub pairs: Vec<Pair>,
    /// Integer units per unit of score.
    pub scale: f64,
}

/// Checks the input and scales the scores.
pub(super) fn prepare(problem: &Problem) -> Result<Prepared, AssignError> {
    for (expert, load) in problem.experts.iter().enumerate() {
        if load.min > load.max {
            return Err(AssignError::LoadsInverted { expert, min: load.min, max: load.max });
        }
    }
    for (index, c) in problem.candidates.iter().enumerate() {
        let problem_with = |p| Err(AssignError::BadCandidate { index, problem: p });
        if c.expert >= problem.experts.len() {
            return problem_with(CandidateProblem::UnknownExpert);
        }
        if c.enterprise >= problem.enterprises.len() {
            return problem_with(CandidateProblem::UnknownEnterprise);
        }
        if !c.score.is_finite() {
            return problem_with(CandidateProblem::NotFinite);
        }
    }
    if let Some((index, first)) = first_duplicate(&problem.candidates) {
        return Err(AssignError::BadCandidate { index, problem: CandidateProblem::Duplicate { first } });
    }
    let largest = problem.candidates.iter().map(|c| c.score.abs()).fold(0.0, f64::max);
    let nodes = problem.experts.len() + problem.enterprises.len() + 1;
    let scale = scale_for(largest, nodes);
    let pairs = problem
        .candidates
        .iter()
        .map(|c| Pair { expert: c.expert, enterprise: c.enterprise, weight: (c.score * scale).round() as i64 })
        .collect();
    Ok(Prepared { pairs, scale })
}

/// The earliest candidate that repeats an earlier pair, with that earlier one. By sorting
/// rather than hashing: a few hundred thousand pairs hash noticeably slower.
fn first_duplicate(candidates: &[Candidate]) -> Option<(usize, usize)> {
    let mut order: Vec<(usize, usize, usize)> =
        candidates.iter().enumerate().map(|(i, c)| (c.expert, c.enterprise, i)).collect();
    order.sort_unstable();
    order
        .windows(2)
        .filter(|w| (w[0].0, w[0].1) == (w[1].0, w[1].1))
        .map(|w| {
            // Within a run of one pair, the first position is the original.
            let first = order.partition_point(|x| (x.0, x.1) < (w[0].0, w[0].1));
            (w[1].2, order[first].2)
        })
        .min()
}

/// The largest power of two that keeps a scaled score within 2^40 (finer steps would only
/// scale float noise) and a path through every node within 2^60, so no sum of costs or
/// potentials can overflow an i64.
fn scale_for(largest: f64, nodes: usize) -> f64 {
    if largest == 0.0 {
        return 1.0;
    }
    let limit = (2f64.powi(40)).min(2f64.powi(60) / nodes as f64);
    2f64.powi((limit / largest).log2().floor() as i32)
}

/// The maximum-weight assignment over `pairs`; returns the positions of the pairs that meet.
pub(super) fn optimise(experts: &[ExpertLoad], wanted: &[Wanted], pairs: &[Pair]) -> Result<Vec<usize>, Infeasible> {
    check_counts(experts, wanted, pairs)?;
    // Nodes: enterprises, then experts, then one sink.
    let (ne, nr) = (wanted.len(), experts.len());
    let sink = ne + nr;
    let mut net = Network::new(ne + nr + 1);
    let mut seats = 0;
    for (j, w) in wanted.iter().enumerate() {
        let most = i64::from(w.most());
        net.add_supply(j, most);
        seats += most;
        if let Wanted::AtMost(_) = w {
            // Seats left empty go straight to the sink at no gain.
            net.add_arc(j, sink, 0, most, 0);
        }
    }
    net.add_supply(sink, -seats);
    for (i, load) in experts.iter().enumerate() {
        net.add_arc(ne + i, sink, load.min.into(), load.max.into(), 0);
    }
    let arcs: Vec<usize> = pairs.iter().map(|p| net.add_arc(p.enterprise, ne + p.expert, 0, 1, -p.weight)).collect();
    match net.solve() {
        Ok(flow) => Ok((0..pairs.len()).filter(|&p| flow.on(arcs[p]) == 1).collect()),
        Err(stuck) => Err(explain(&stuck, experts, wanted, pairs)),
    }
}

/// Infeasibility that counting alone shows, with the clearest reasons.
fn check_counts(experts: &[ExpertLoad], wanted: &[Wanted], pairs: &[Pair]) -> Result<(), Infeasible> {
    let mut per_enterprise = vec![0usize; wanted.len()];
    let mut per_expert = vec![0usize; experts.len()];
    for p in pairs {
        per_enterprise[p.enterprise] += 1;
        per_expert[p.expert] += 1;
    }
    let mut reasons = Vec::new();
    for (j, w) in wanted.iter().enumerate() {
        if let Wanted::Exactly(n) = *w
            && per_enterprise[j] < n as usize
        {
            reasons.push(Reason::TooFewExperts { enterprise: j, wanted: n, allowed: per_enterprise[j] });
        }
    }
    for (i, load) in experts.iter().enumerate() {
        if per_expert[i] < load.min as usize {
            reasons.push(Reason::TooFewEnterprises { expert: i, min_load: load.min, allowed: per_expert[i] });
        }
    }
    let must: u64 = wanted
        .iter()
        .map(|w| match w {
            Wanted::Exactly(n) => u64::from(*n),
            Wanted::AtMost(_) => 0,
        })
        .sum();
    let capacity: u64 = experts.iter().map(|l| u64::from(l.max)).sum();
    if must > capacity {
        reasons.push(Reason::CapacityShort { wanted: must, capacity });
    }
    let minimums: u64 = experts.iter().map(|l| u64::from(l.min)).sum();
    let most: u64 = wanted.iter().map(|w| u64::from(w.most())).sum();
    if minimums > most {
        reasons.push(Reason::MinimumsExceedWanted { minimums, wanted: most });
    }
    if reasons.is_empty() { Ok(()) } else { Err(Infeasible { reasons }) }
}

/// Turns a stuck flow into reasons: the crowded group of enterprises when the cut proves one
/// (a Hall violator), then who was left short in the best attempt.
fn explain(stuck: &Stuck, experts: &[ExpertLoad], wanted: &[Wanted], pairs: &[Pair]) -> Infeasible {
    let ne = wanted.len();
    let mut reasons = Vec::new();
    let group: Vec<usize> = (0..ne).filter(|&j| stuck.reachable[j]).collect();
    let booked: Vec<usize> = (0..experts.len()).filter(|&i| stuck.reachable[ne + i]).collect();
    let must: u64 = group
        .iter()
        .map(|&j| match wanted[j] {
            Wanted::Exactly(n) => u64::from(n),
            Wanted::AtMost(_) => 0,
        })
        .sum();
    let at_most: u64 = booked.iter().map(|&i| u64::from(experts[i].max)).sum::<u64>()
        + pairs.iter().filter(|p| stuck.reachable[p.enterprise] && !stuck.reachable[ne + p.expert]).count() as u64;
    if must > at_most {
        reasons.push(Reason::Crowded { enterprises: group, experts: booked, wanted: must, at_most });
    }
    for &(node, left) in &stuck.unsent {
        if let Wanted::Exactly(n) = wanted[node] {
            reasons.push(Reason::Unserved { enterprise: node, got: n - left as u32, wanted: n });
        }
    }
    for &(node, missing) in &stuck.unmet {
        if (ne..ne + experts.len()).contains(&node) {
            let min_load = experts[node - ne].min;
            reasons.push(Reason::BelowMinimum { expert: node - ne, got: min_load - missing as u32, min_load });
        }
    }
    Infeasible { reasons }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn problem(loads: &[(u32, u32)], wanted: &[Wanted], scores: &[(usize, usize, f64)]) -> Problem {
        Problem {
            experts: loads.iter().map(|&(min, max)| ExpertLoad { min, max }).collect(),
            enterprises: wanted.to_vec(),
            candidates: scores
                .iter()
                .map(|&(expert, enterprise, score)| Candidate { expert, enterprise, score })
                .collect(),
        }
    }

    fn pairs_of(p: &Problem, a: &Assignment) -> Vec<(usize, usize)> {
        a.meetings.iter().map(|&m| (p.candidates[m].expert, p.candidates[m].enterprise)).collect()
    }

    #[test]
    fn hand_checked_instance() {
        // Expert 0 is best for both enterprises but meets only one; enterprise 0 loses less
        // by taking expert 1 (0.9 + 0.8 = 1.7 > 1.0 + 0.2).
        let p = problem(
            &[(0, 1), (0, 1)],
            &[Wanted::Exactly(1), Wanted::Exactly(1)],
            &[(0, 0, 1.0), (1, 0, 0.8), (0, 1, 0.9), (1, 1, 0.2)],
        );
        let a = solve(&p).unwrap();
        assert_eq!(pairs_of(&p, &a), vec![(1, 0), (0, 1)]);
        assert!((a.total - 1.7).abs() < 1e-12);
        assert!((a.lowest - 0.8).abs() < 1e-12);
        assert_eq!(a.enterprise_totals, vec![0.8, 0.9]);
    }

    #[test]
    fn lower_loads_force_a_worse_expert_in() {
        // Without the minimum, expert 0 takes both; expert 1 must meet one enterprise.
        let scores = [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 0.1), (1, 1, 0.3)];
        let wanted = [Wanted::Exactly(1), Wanted::Exactly(1)];
        let free = solve(&problem(&[(0, 2), (0, 2)], &wanted, &scores)).unwrap();
        assert!((free.total - 2.0).abs() < 1e-12);
        let p = problem(&[(0, 2), (1, 2)], &wanted, &scores);
        let bound = solve(&p).unwrap();
        assert_eq!(pairs_of(&p, &bound), vec![(0, 0), (1, 1)]);
        assert!((bound.total - 1.3).abs() < 1e-12);
    }

    #[test]
    fn at_most_leaves_harmful_meetings_out() {
        let p = problem(&[(0, 1), (0, 1)], &[Wanted::AtMost(2)], &[(0, 0, 0.5), (1, 0, -0.25)]);
        let a = solve(&p).unwrap();
        assert_eq!(pairs_of(&p, &a), vec![(0, 0)]);
        let exact = solve(&Problem { enterprises: vec![Wanted::Exactly(2)], ..p }).unwrap();
        assert!((exact.total - 0.25).abs() < 1e-12);
    }

    #[test]
    fn counting_shows_what_cannot_be() {
        let p = problem(&[(0, 1), (3, 3)], &[Wanted::Exactly(2), Wanted::Exactly(1)], &[(0, 0, 1.0), (1, 1, 1.0)]);
        let Err(AssignError::Infeasible(why)) = solve(&p) else { panic!("expected infeasible") };
        assert_eq!(
            why.reasons,
            vec![
                Reason::TooFewExperts { enterprise: 0, wanted: 2, allowed: 1 },
                Reason::TooFewEnterprises { expert: 1, min_load: 3, allowed: 1 },
            ]
        );
        assert_eq!(why.enterprises(), vec![0]);

        let p = problem(&[(0, 1)], &[Wanted::Exactly(1), Wanted::Exactly(1)], &[(0, 0, 1.0), (0, 1, 1.0)]);
        let Err(AssignError::Infeasible(why)) = solve(&p) else { panic!("expected infeasible") };
        assert_eq!(why.reasons, vec![Reason::CapacityShort { wanted: 2, capacity: 1 }]);

        let p = problem(&[(2, 2)], &[Wanted::AtMost(1)], &[(0, 0, 1.0)]);
        let Err(AssignError::Infeasible(why)) = solve(&p) else { panic!("expected infeasible") };
        assert!(why.reasons.contains(&Reason::MinimumsExceedWanted { minimums: 2, wanted: 1 }));
    }

    #[test]
    fn a_crowded_group_is_named() {
        // Enterprises 0 and 1 want two meetings each but may only meet experts 0 and 1, who
        // take one each; expert 2 has room but only for enterprise 2.
        let p = problem(
            &[(0, 1), (0, 1), (0, 5)],
            &[Wanted::Exactly(2), Wanted::Exactly(2), Wanted::Exactly(1)],
            &[(0, 0, 0.5), (1, 0, 0.5), (0, 1, 0.5), (1, 1, 0.5), (2, 2, 0.5)],
        );
        let Err(AssignError::Infeasible(why)) = solve(&p) else { panic!("expected infeasible") };
        assert_eq!(
            why.reasons[0],
            Reason::Crowded { enterprises: vec![0, 1], experts: vec![0, 1], wanted: 4, at_most: 2 }
        );
        assert_eq!(why.enterprises(), vec![0, 1]);
        let text = why.to_string();
        assert!(text.contains("enterprise #0, enterprise #1 must have 4 meetings together"));
        assert!(text.contains("cannot be served"), "{text}");
    }

    #[test]
    fn minimum_loads_that_cannot_be_met_are_named() {
        // Expert 1 needs two meetings; only enterprise 0 may meet them, and only once.
        let p = problem(
            &[(0, 2), (1, 2)],
            &[Wanted::Exactly(1), Wanted::Exactly(1)],
            &[(0, 0, 1.0), (0, 1, 1.0), (1, 0, 0.1)],
        );
        assert!(solve(&p).is_ok());
        let p = problem(
            &[(0, 2), (1, 2), (1, 1)],
            &[Wanted::Exactly(1), Wanted::Exactly(1)],
            &[(0, 0, 1.0), (0, 1, 1.0), (1, 0, 0.1), (2, 0, 0.1)],
        );
        let Err(AssignError::Infeasible(why)) = solve(&p) else { panic!("expected infeasible") };
        assert!(why.reasons.iter().any(|r| matches!(r, Reason::BelowMinimum { got: 0, .. })), "{why}");
    }

    #[test]
    fn bad_input_is_named() {
        let cases = [
            ((5, 0, 0.1), CandidateProblem::UnknownExpert),
            ((0, 5, 0.1), CandidateProblem::UnknownEnterprise),
            ((0, 0, f64::NAN), CandidateProblem::NotFinite),
            ((0, 0, 0.2), CandidateProblem::Duplicate { first: 0 }),
        ];
        for (extra, expected) in cases {
            let p = problem(&[(0, 1)], &[Wanted::Exactly(1)], &[(0, 0, 0.1), extra]);
            assert_eq!(solve(&p), Err(AssignError::BadCandidate { index: 1, problem: expected }));
        }
        let p = problem(&[(2, 1)], &[Wanted::Exactly(1)], &[(0, 0, 0.1)]);
        assert!(matches!(solve(&p), Err(AssignError::LoadsInverted { expert: 0, .. })));
    }

    /// Whether the chosen candidates meet every count.
    pub(in crate::matchmaking) fn respects(p: &Problem, chosen: &[usize]) -> bool {
        let mut per_e = vec![0u32; p.enterprises.len()];
        let mut per_r = vec![0u32; p.experts.len()];
        for &k in chosen {
            per_e[p.candidates[k].enterprise] += 1;
            per_r[p.candidates[k].expert] += 1;
        }
        let enterprises_ok = p.enterprises.iter().zip(&per_e).all(|(w, &n)| match w {
            Wanted::Exactly(d) => n == *d,
            Wanted::AtMost(d) => n <= *d,
        });
        enterprises_ok && p.experts.iter().zip(&per_r).all(|(l, &n)| l.min <= n && n <= l.max)
    }

    /// The best total over every subset of candidates, or None if no subset is feasible.
    pub(in crate::matchmaking) fn brute_force(p: &Problem) -> Option<f64> {
        let n = p.candidates.len();
        (0u32..1 << n)
            .map(|mask| (0..n).filter(|k| mask >> k & 1 == 1).collect::<Vec<_>>())
            .filter(|chosen| respects(p, chosen))
            .map(|chosen| chosen.iter().map(|&k| p.candidates[k].score).sum::<f64>())
            .reduce(f64::max)
    }

    pub(in crate::matchmaking) fn random_problem(rng: &mut ChaCha8Rng) -> Problem {
        let ne = rng.random_range(1..=3);
        let nr = rng.random_range(1..=4);
        let experts = (0..nr)
            .map(|_| {
                let min = rng.random_range(0..=1);
                ExpertLoad { min, max: rng.random_range(min.max(1)..=3) }
            })
            .collect();
        let enterprises = (0..ne)
            .map(|_| {
                let n = rng.random_range(0..=2);
                if rng.random_bool(0.7) { Wanted::Exactly(n) } else { Wanted::AtMost(n) }
            })
            .collect();
        let mut candidates = Vec::new();
        for r in 0..nr {
            for e in 0..ne {
                if rng.random_bool(0.75) {
                    candidates.push(Candidate { expert: r, enterprise: e, score: rng.random_range(-0.3..1.0) });
                }
            }
        }
        Problem { experts, enterprises, candidates }
    }

    #[test]
    fn agrees_with_brute_force_on_random_instances() {
        let mut rng = ChaCha8Rng::seed_from_u64(2026);
        let (mut feasible, mut infeasible) = (0, 0);
        for round in 0..2000 {
            let p = random_problem(&mut rng);
            match (brute_force(&p), solve(&p)) {
                (Some(best), Ok(a)) => {
                    feasible += 1;
                    assert!((best - a.total).abs() < 1e-9, "round {round}: {best} vs {a:?}");
                    assert!(respects(&p, &a.meetings), "round {round}");
                }
                (None, Err(AssignError::Infeasible(why))) => {
                    infeasible += 1;
                    assert!(!why.reasons.is_empty());
                }
                (best, got) => panic!("round {round}: brute force {best:?}, solver {got:?}"),
            }
        }
        assert!(feasible > 500 && infeasible > 100, "{feasible} / {infeasible}");
    }
}
