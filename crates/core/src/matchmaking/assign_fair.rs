//! The fairer assignment (`match assign --fair`): raise the lowest enterprise total first, then
//! maximise the total without letting any enterprise fall below the floor reached.
//!
//! The exact max–min assignment is NP-hard (it contains max–min allocation), so this is a
//! principled approximation. What it computes, and what is guaranteed:
//!
//! 1. It starts from the maximum-total assignment (`assign::solve`), so it is never less fair:
//!    lowest(fair) ≥ lowest(basic), and it fails only where that fails.
//! 2. Ceiling: no enterprise can do better than the sum of its own best allowed scores (its
//!    best `wanted` of them), so no assignment has a lowest total above the smallest such sum.
//!    When the floor reached equals this ceiling, the lowest total is optimal — the case on the
//!    MIDL instance, both variants (0.945).
//! 3. Floor: binary search on a target T between the current lowest and the ceiling, to within
//!    1e-6 of a score. For each T a local search repairs the enterprises below T with exchange chains:
//!    the enterprise swaps one expert for a better one, whose other enterprise takes a
//!    replacement, and so on until an expert with spare load is reached or the chain closes on
//!    the expert first released; if that expert is at its minimum load, a second chain finds
//!    it a new enterprise. Every chain respects loads (minimums too), wanted counts and
//!    allowed pairs, lowers the first enterprise's shortfall below T, and raises no other
//!    enterprise's shortfall; so total shortfall falls with each chain and the search ends. The
//!    best chain (largest gain, then fewest swaps) is taken each time. A target the search
//!    cannot reach is abandoned and the last state that reached a target is kept.
//! 4. Total: min-cost flow again, with every enterprise that would fall below the floor pinned
//!    to its meetings from step 3, repeated until none does (the pinned set only grows). The
//!    total is then the exact maximum among assignments that keep the pinned enterprises'
//!    meetings, and at least the total after step 3.
//!
//! All sums are in the integer units of `assign::prepare`, so comparisons are exact.

use super::assign::{AssignError, Assignment, ExpertLoad, Pair, Problem, Wanted, optimise, prepare};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The fairer assignment: highest lowest enterprise total found, then highest total.
pub fn solve_fair(problem: &Problem) -> Result<Assignment, AssignError> {
    let prepared = prepare(problem)?;
    let pairs = &prepared.pairs;
    let basic = optimise(&problem.experts, &problem.enterprises, pairs)?;
    let scores = Scores::new(problem, pairs);
    let mut seating = Seating::new(&scores, pairs, &basic);
    let tolerance = ((1e-6 * prepared.scale) as i64).max(1);
    let floor = raise_floor(&scores, &mut seating, tolerance);
    let meetings = keep_floor_maximise_total(problem, pairs, &seating, floor);
    Ok(problem.assignment(meetings))
}

/// What does not change while seats move.
struct Scores<'a> {
    loads: &'a [ExpertLoad],
    wanted: &'a [Wanted],
    /// Per enterprise, (expert, weight) of each candidate, sorted by expert.
    allowed: Vec<Vec<(usize, i64)>>,
    /// Per expert, (enterprise, weight) of each candidate.
    allowed_for: Vec<Vec<(usize, i64)>>,
}

impl<'a> Scores<'a> {
    fn new(problem: &'a Problem, pairs: &[Pair]) -> Self {
        let mut allowed = vec![Vec::new(); problem.enterprises.len()];
        let mut allowed_for = vec![Vec::new(); problem.experts.len()];
        for p in pairs {
            allowed[p.enterprise].push((p.expert, p.weight));
            allowed_for[p.expert].push((p.enterprise, p.weight));
        }
        for a in &mut allowed {
            a.sort_unstable();
        }
        Self { loads: &problem.experts, wanted: &problem.enterprises, allowed, allowed_for }
    }

    fn weight(&self, enterprise: usize, expert: usize) -> i64 {
        let a = &self.allowed[enterprise];
        let at = a.binary_search_by_key(&expert, |&(r, _)| r).expect("seated pairs are candidates");
        a[at].1
    }

    fn may_leave_empty(&self, enterprise: usize) -> bool {
        matches!(self.wanted[enterprise], Wanted::AtMost(_))
    }

    /// Whether an enterprise now at `sum` that swaps a meeting worth `w_old` for one worth
    /// `w_new` keeps its shortfall below `target` from growing.
    fn keeps(sum: i64, w_old: i64, w_new: i64, target: i64) -> bool {
        if sum >= target { sum - w_old + w_new >= target } else { w_new >= w_old }
    }

    /// The smallest over enterprises of the best total each could get on its own.
    fn ceiling(&self) -> i64 {
        (0..self.wanted.len())
            .map(|j| {
                let mut w: Vec<i64> = self.allowed[j].iter().map(|&(_, w)| w).collect();
                w.sort_unstable_by(|a, b| b.cmp(a));
                let best = w.into_iter().take(self.wanted[j].most() as usize);
                if self.may_leave_empty(j) { best.filter(|&w| w > 0).sum() } else { best.sum() }
            })
            .min()
            .unwrap_or(0)
    }
}

/// Who meets whom, with each enterprise's total.
#[derive(Clone)]
struct Seating {
    seats: Vec<Vec<usize>>,
    holders: Vec<Vec<usize>>,
    sum: Vec<i64>,
}

/// One enterprise's part in an exchange chain: it lets `released` go and takes `taken`
/// (`None`: an empty seat, for enterprises that want at most so many meetings).
struct Step {
    enterprise: usize,
    released: Option<usize>,
    taken: Option<usize>,
}

impl Seating {
    fn new(scores: &Scores, pairs: &[Pair], meetings: &[usize]) -> Self {
        let mut s = Self {
            seats: vec![Vec::new(); scores.wanted.len()],
            holders: vec![Vec::new(); scores.loads.len()],
            sum: vec![0; scores.wanted.len()],
        };
        for &m in meetings {
            let p = pairs[m];
            s.seats[p.enterprise].push(p.expert);
            s.holders[p.expert].push(p.enterprise);
            s.sum[p.enterprise] += p.weight;
        }
        s
    }

    fn lowest(&self) -> i64 {
        self.sum.iter().copied().min().unwrap_or(0)
    }

    /// Moves seats until every enterprise reaches `target`; false if the search gets stuck.
    fn repair(&mut self, scores: &Scores, target: i64) -> bool {
        loop {
            let mut poor: Vec<usize> = (0..self.sum.len()).filter(|&j| self.sum[j] < target).collect();
            if poor.is_empty() {
                return true;
            }
            poor.sort_by_key(|&j| self.sum[j]);
            if !poor.iter().any(|&j| self.improve(scores, j, target)) {
                return false;
            }
        }
    }

    /// Applies the best exchange chain that brings `poor` closer to `target`, if there is one.
    fn improve(&mut self, scores: &Scores, poor: usize, target: i64) -> bool {
        let mut outs: Vec<Option<usize>> = self.seats[poor].iter().map(|&r| Some(r)).collect();
        if scores.may_leave_empty(poor) && self.seats[poor].len() < scores.wanted[poor].most() as usize {
            outs.push(None);
        }
        let best = outs
            .into_iter()
            .filter_map(|out| self.chain(scores, poor, out, target))
            .max_by_key(|(gain, steps)| (*gain, Reverse(steps.len())));
        let Some((_, steps)) = best else {
            return false;
        };
        for step in steps {
            let j = step.enterprise;
            if let Some(r) = step.released {
                self.seats[j].retain(|&x| x != r);
                self.holders[r].retain(|&k| k != j);
                self.sum[j] -= scores.weight(j, r);
            }
            if let Some(r) = step.taken {
                self.seats[j].push(r);
                self.holders[r].push(j);
                self.sum[j] += scores.weight(j, r);
            }
        }
        true
    }

    /// The best exchange chain in which `poor` lets `out` go (or fills an empty seat), as
    /// (gain for `poor`, steps). A search over experts: reaching expert x means "x must be
    /// freed from one of its enterprises", which then takes a replacement; the label of a node
    /// is the best gain of a chain start that reaches it, so the first chain that can close
    /// has the best gain.
    fn chain(&self, scores: &Scores, poor: usize, out: Option<usize>, target: i64) -> Option<(i64, Vec<Step>)> {
        let empty = scores.loads.len();
        let mut search = ChainSearch::new(empty + 1);
        let need = target - self.sum[poor];
        let w_out = out.map_or(0, |a| scores.weight(poor, a));
        for &(b, w) in &scores.allowed[poor] {
            if !self.seats[poor].contains(&b) {
                search.offer(b, (w - w_out).min(need), 1, (poor, out));
            }
        }
        if scores.may_leave_empty(poor) && out.is_some() {
            search.offer(empty, (-w_out).min(need), 1, (poor, out));
        }
        let load = |r: usize| self.holders[r].len() as u32;
        let freed_ok = out.is_none_or(|a| load(a) > scores.loads[a].min);
        // A new home for `a` that avoids only `poor`, found once: if there is none, none
        // avoids more enterprises either; if it avoids the chain at hand, it serves as is.
        let mut home: Option<Option<Vec<Step>>> = None;
        while let Some((gain, Reverse(hops), x)) = search.heap.pop() {
            if search.done[x] {
                continue;
            }
            search.done[x] = true;
            if Some(x) == out {
                return Some((gain, search.steps(x, poor, empty)));
            }
            // The chain can end here: nobody needs to give x up.
            let ends = x == empty || load(x) < scores.loads[x].max;
            if ends && freed_ok {
                return Some((gain, search.steps(x, poor, empty)));
            }
            if let (true, Some(a)) = (ends, out) {
                // `a` is at its minimum load: someone else must take it.
                let general = home.get_or_insert_with(|| self.rehome(scores, a, &[poor], target));
                if let Some(general) = general {
                    let path = search.enterprises_on_path(x, poor);
                    let push = if general.iter().all(|s| !path.contains(&s.enterprise)) {
                        Some(std::mem::take(general))
                    } else {
                        self.rehome(scores, a, &path, target)
                    };
                    if let Some(push) = push {
                        let mut steps = search.steps(x, poor, empty);
                        steps.extend(push);
                        return Some((gain, steps));
                    }
                }
            }
            if x == empty {
                continue;
            }
            let on_path = search.enterprises_on_path(x, poor);
            for &k in &self.holders[x] {
                if on_path.contains(&k) {
                    continue;
                }
                // k lets x go and takes c: its shortfall below the target must not grow.
                let w_x = scores.weight(k, x);
                let keeps = |w_c| Scores::keeps(self.sum[k], w_x, w_c, target);
                for &(c, w_c) in &scores.allowed[k] {
                    if !search.done[c] && !self.seats[k].contains(&c) && keeps(w_c) {
                        search.offer(c, gain, hops + 1, (k, Some(x)));
                    }
                }
                if scores.may_leave_empty(k) && keeps(0) {
                    search.offer(empty, gain, hops + 1, (k, Some(x)));
                }
            }
        }
        None
    }

    /// A chain that finds `a` a new enterprise without touching the enterprises in `avoid`:
    /// an enterprise takes `a` and lets one of its experts go, which another takes, and so on
    /// until the expert let go is above its minimum load (or an empty seat is filled). No
    /// enterprise's shortfall below `target` grows. Breadth-first: fewest swaps.
    fn rehome(&self, scores: &Scores, a: usize, avoid: &[usize], target: i64) -> Option<Vec<Step>> {
        // came[y]: the enterprise that took offered expert y, and the expert offered before.
        let mut came: Vec<Option<(usize, usize)>> = vec![None; scores.loads.len()];
        let mut seen = vec![false; scores.loads.len()];
        seen[a] = true;
        let mut queue = std::collections::VecDeque::from([a]);
        let path = |mut y: usize, came: &[Option<(usize, usize)>]| {
            let mut ks = Vec::new();
            while let Some((k, prev)) = came[y] {
                ks.push((k, prev, y));
                y = prev;
            }
            ks
        };
        while let Some(y) = queue.pop_front() {
            let before = path(y, &came);
            for &(k, w_y) in &scores.allowed_for[y] {
                if avoid.contains(&k) || before.iter().any(|&(kk, _, _)| kk == k) || self.seats[k].contains(&y) {
                    continue;
                }
                let finish = |released: Option<usize>| {
                    let mut steps = vec![Step { enterprise: k, released, taken: Some(y) }];
                    // Walking back, each enterprise took the expert offered before and let
                    // go the one offered after it.
                    steps.extend(before.iter().map(|&(kk, prev, yy)| Step {
                        enterprise: kk,
                        released: Some(yy),
                        taken: Some(prev),
                    }));
                    steps
                };
                let has_empty_seat =
                    scores.may_leave_empty(k) && self.seats[k].len() < scores.wanted[k].most() as usize;
                if has_empty_seat && Scores::keeps(self.sum[k], 0, w_y, target) {
                    return Some(finish(None));
                }
                for &z in &self.seats[k] {
                    if seen[z] || !Scores::keeps(self.sum[k], scores.weight(k, z), w_y, target) {
                        continue;
                    }
                    if self.holders[z].len() as u32 > scores.loads[z].min {
                        return Some(finish(Some(z)));
                    }
                    seen[z] = true;
                    came[z] = Some((k, y));
                    queue.push_back(z);
                }
            }
        }
        None
    }
}

struct ChainSearch {
    label: Vec<i64>,
    done: Vec<bool>,
    /// How each node was reached: the enterprise that takes it, and what that one released.
    parent: Vec<(usize, Option<usize>)>,
    heap: BinaryHeap<(i64, Reverse<usize>, usize)>,
}

impl ChainSearch {
    fn new(nodes: usize) -> Self {
        Self {
            label: vec![0; nodes],
            done: vec![false; nodes],
            parent: vec![(usize::MAX, None); nodes],
            heap: BinaryHeap::new(),
        }
    }

    /// Only strict gains start a chain, so a label of 0 means "not reached".
    fn offer(&mut self, node: usize, gain: i64, hops: usize, parent: (usize, Option<usize>)) {
        if gain > self.label[node] && !self.done[node] {
            self.label[node] = gain;
            self.parent[node] = parent;
            self.heap.push((gain, Reverse(hops), node));
        }
    }

    fn enterprises_on_path(&self, mut node: usize, poor: usize) -> Vec<usize> {
        let mut ks = Vec::new();
        loop {
            let (k, released) = self.parent[node];
            ks.push(k);
            match released {
                Some(r) if k != poor => node = r,
                _ => return ks,
            }
        }
    }

    fn steps(&self, mut node: usize, poor: usize, empty: usize) -> Vec<Step> {
        let mut steps = Vec::new();
        loop {
            let (k, released) = self.parent[node];
            steps.push(Step { enterprise: k, released, taken: (node != empty).then_some(node) });
            match released {
                Some(r) if k != poor => node = r,
                _ => return steps,
            }
        }
    }
}

/// Binary search for the highest target the repair reaches; returns the floor reached.
fn raise_floor(scores: &Scores, seating: &mut Seating, tolerance: i64) -> i64 {
    let (mut lo, mut hi) = (seating.lowest(), scores.ceiling());
    // The ceiling first: reaching it ends the search with a proven optimum.
    let mut target = hi;
    while lo < hi {
        let mut trial = seating.clone();
        if trial.repair(scores, target) {
            *seating = trial;
            lo = seating.lowest();
        } else {
            hi = target - 1;
        }
        if hi - lo < tolerance {
            break;
        }
        target = lo + (hi - lo + 1) / 2;
    }
    seating.lowest()
}

/// Step 4: the maximum total that keeps every enterprise at or above `floor`, pinning the
/// enterprises that would fall below it to their current meetings.
fn keep_floor_maximise_total(problem: &Problem, pairs: &[Pair], seating: &Seating, floor: i64) -> Vec<usize> {
    let ne = problem.enterprises.len();
    let current: Vec<usize> =
        (0..pairs.len()).filter(|&k| seating.seats[pairs[k].enterprise].contains(&pairs[k].expert)).collect();
    let mut pinned = vec![false; ne];
    loop {
        let keep: Vec<usize> =
            (0..pairs.len()).filter(|&k| !pinned[pairs[k].enterprise] || current.binary_search(&k).is_ok()).collect();
        let wanted: Vec<Wanted> = (0..ne)
            .map(|j| if pinned[j] { Wanted::Exactly(seating.seats[j].len() as u32) } else { problem.enterprises[j] })
            .collect();
        let sub: Vec<Pair> = keep.iter().map(|&k| pairs[k]).collect();
        // The current seating is feasible here, so the flow always finds an optimum; keep
        // the seating should that ever not hold.
        let Ok(chosen) = optimise(&problem.experts, &wanted, &sub) else {
            return current;
        };
        let meetings: Vec<usize> = chosen.iter().map(|&q| keep[q]).collect();
        let mut sums = vec![0i64; ne];
        for &k in &meetings {
            sums[pairs[k].enterprise] += pairs[k].weight;
        }
        let below: Vec<usize> = (0..ne).filter(|&j| !pinned[j] && sums[j] < floor).collect();
        if below.is_empty() {
            return meetings;
        }
        for j in below {
            pinned[j] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matchmaking::assign::tests::{random_problem, respects};
    use crate::matchmaking::assign::{Candidate, solve};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn trades_total_for_the_poorest() {
        // Basic: enterprise 0 takes expert 0 (1.0) and enterprise 1 gets 0.0. Fair: 0.1 / 0.6.
        let p = Problem {
            experts: vec![ExpertLoad { min: 0, max: 1 }; 2],
            enterprises: vec![Wanted::Exactly(1); 2],
            candidates: [(0, 0, 1.0), (1, 0, 0.1), (0, 1, 0.6), (1, 1, 0.0)]
                .map(|(expert, enterprise, score)| Candidate { expert, enterprise, score })
                .to_vec(),
        };
        let basic = solve(&p).unwrap();
        assert_eq!((basic.total, basic.lowest), (1.0, 0.0));
        let fair = solve_fair(&p).unwrap();
        assert!((fair.total - 0.7).abs() < 1e-12 && (fair.lowest - 0.1).abs() < 1e-12);
    }

    /// The best lowest total over every subset of candidates that meets every count.
    fn brute_force_max_min(p: &Problem) -> Option<f64> {
        let n = p.candidates.len();
        (0u32..1 << n)
            .map(|mask| (0..n).filter(|k| mask >> k & 1 == 1).collect::<Vec<_>>())
            .filter(|chosen| respects(p, chosen))
            .map(|chosen| p.assignment(chosen).lowest)
            .reduce(f64::max)
    }

    #[test]
    fn never_less_fair_and_usually_optimal_on_random_instances() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let (mut optimal, mut feasible) = (0, 0);
        for round in 0..2000 {
            let p = random_problem(&mut rng);
            let Ok(basic) = solve(&p) else {
                assert!(solve_fair(&p).is_err());
                continue;
            };
            feasible += 1;
            let fair = solve_fair(&p).unwrap();
            assert!(respects(&p, &fair.meetings), "round {round}");
            assert!(fair.lowest >= basic.lowest - 1e-9, "round {round}");
            let best = brute_force_max_min(&p).unwrap();
            assert!(fair.lowest <= best + 1e-9, "round {round}");
            if fair.lowest >= best - 1e-9 {
                optimal += 1;
            }
        }
        // Measured with this seed: all 974 feasible instances reach the exact max–min.
        assert!(optimal * 100 >= feasible * 99, "{optimal} of {feasible}");
    }
}
