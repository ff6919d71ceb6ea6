//! Laying an event's meetings out in time slots so that nobody is in two places at once: an
//! edge colouring of the bipartite multigraph experts–enterprises, one colour per slot.
//!
//! König: a bipartite multigraph whose busiest person has Δ meetings can be coloured with Δ
//! colours, so Δ ≤ slots always succeeds. Method: place meetings one at a time; for meeting
//! (u, v) take a slot `a` free for u and a slot `b` free for v. If `a` is also free for v, use
//! it. Otherwise swap `a` and `b` along the path of meetings that starts at v and alternates
//! a, b, a, …: in a bipartite graph that path cannot reach u (it would arrive through an
//! `a` meeting, and u has none), and afterwards `a` is free for both. One path walk per meeting:
//! O(meetings × people).
//!
//! Availability (a person who cannot attend some slots) turns this into list edge colouring,
//! NP-hard in general, so it is best effort: the meetings with the fewest usable slots go
//! first, and a swap is made only if every meeting it moves lands in a slot both its people can
//! attend. Meetings that still cannot be placed are reported, each with the reason.

use super::assign::noun;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meeting {
    pub expert: usize,
    pub enterprise: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Person {
    Expert(usize),
    Enterprise(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    /// Position in the meetings given.
    pub meeting: usize,
    pub reason: UnplacedReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnplacedReason {
    /// This person has more meetings than slots they can attend.
    Overbooked { person: Person, meetings: usize, slots: usize },
    /// The two people share no slot they can both attend.
    NoCommonSlot,
    /// Each slot both can attend is taken on one side, and no swap frees one.
    NoSwapFound,
}

impl UnplacedReason {
    /// The reason in words, with people named by the caller.
    pub fn describe(&self, name: &dyn Fn(Person) -> String) -> String {
        match self {
            UnplacedReason::Overbooked { person, meetings, slots } => {
                format!(
                    "{} has {} but can attend only {}",
                    name(*person),
                    noun(*meetings as u64, "meeting"),
                    noun(*slots as u64, "slot")
                )
            }
            UnplacedReason::NoCommonSlot => "the two share no slot they can both attend".into(),
            UnplacedReason::NoSwapFound => "every slot both can attend is taken and no swap frees one".into(),
        }
    }
}

/// Not every meeting could be placed; the others are placed without double booking.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} of the meetings could not be placed", unplaced.len())]
pub struct Unplaceable {
    /// Slot of each meeting, `None` for those not placed.
    pub slots: Vec<Option<usize>>,
    pub unplaced: Vec<Unplaced>,
}

/// Slot of each meeting (0-based, below `slots`), given the slots each person cannot attend.
pub fn lay_out(meetings: &[Meeting], slots: usize, unavailable: &[(Person, usize)]) -> Result<Vec<usize>, Unplaceable> {
    let mut grid = Grid::new(meetings, slots, unavailable);
    let usable = |m: usize| {
        let (u, v) = grid.ends[m];
        (0..slots).filter(|&c| grid.can(u, c) && grid.can(v, c)).count()
    };
    let mut order: Vec<usize> = (0..meetings.len()).collect();
    order.sort_by_cached_key(|&m| usable(m));
    let mut unplaced = Vec::new();
    for m in order {
        if !grid.place(m) {
            unplaced.push(Unplaced { meeting: m, reason: grid.why_not(m, meetings) });
        }
    }
    if unplaced.is_empty() {
        Ok(grid.slot.iter().map(|s| s.expect("all placed")).collect())
    } else {
        unplaced.sort_by_key(|u| u.meeting);
        Err(Unplaceable { slots: grid.slot, unplaced })
    }
}

const FREE: usize = usize::MAX;

/// People are nodes: experts first, then enterprises. `taken[node * slots + c]` is the meeting
/// that node has in slot c, or `FREE`.
struct Grid {
    slots: usize,
    experts: usize,
    enterprises: usize,
    ends: Vec<(usize, usize)>,
    can_attend: Vec<bool>,
    taken: Vec<usize>,
    slot: Vec<Option<usize>>,
}

impl Grid {
    fn new(meetings: &[Meeting], slots: usize, unavailable: &[(Person, usize)]) -> Self {
        let experts = meetings.iter().map(|m| m.expert + 1).max().unwrap_or(0);
        let enterprises = meetings.iter().map(|m| m.enterprise + 1).max().unwrap_or(0);
        let nodes = experts + enterprises;
        let mut grid = Self {
            slots,
            experts,
            enterprises,
            ends: meetings.iter().map(|m| (m.expert, experts + m.enterprise)).collect(),
            can_attend: vec![true; nodes * slots],
            taken: vec![FREE; nodes * slots],
            slot: vec![None; meetings.len()],
        };
        for &(person, c) in unavailable {
            // People without meetings, and slots beyond the event, change nothing.
            if let Some(node) = grid.node(person)
                && c < slots
            {
                grid.can_attend[node * slots + c] = false;
            }
        }
        grid
    }

    fn node(&self, person: Person) -> Option<usize> {
        match person {
            Person::Expert(i) if i < self.experts => Some(i),
            Person::Enterprise(j) if j < self.enterprises => Some(self.experts + j),
            _ => None,
        }
    }

    fn can(&self, node: usize, c: usize) -> bool {
        self.can_attend[node * self.slots + c]
    }

    fn at(&self, node: usize, c: usize) -> usize {
        self.taken[node * self.slots + c]
    }

    fn set(&mut self, m: usize, c: Option<usize>) {
        let (u, v) = self.ends[m];
        if let Some(old) = self.slot[m] {
            self.taken[u * self.slots + old] = FREE;
            self.taken[v * self.slots + old] = FREE;
        }
        if let Some(c) = c {
            self.taken[u * self.slots + c] = m;
            self.taken[v * self.slots + c] = m;
        }
        self.slot[m] = c;
    }

    fn place(&mut self, m: usize) -> bool {
        let (u, v) = self.ends[m];
        let both = |g: &Self, c| g.can(u, c) && g.can(v, c);
        if let Some(c) = (0..self.slots).find(|&c| both(self, c) && self.at(u, c) == FREE && self.at(v, c) == FREE) {
            self.set(m, Some(c));
            return true;
        }
        // Free `a` at one end by swapping a/b along the path from the other end.
        for (here, there) in [(u, v), (v, u)] {
            let open_here: Vec<usize> =
                (0..self.slots).filter(|&a| both(self, a) && self.at(here, a) == FREE).collect();
            let open_there: Vec<usize> = (0..self.slots).filter(|&b| self.at(there, b) == FREE).collect();
            for &a in &open_here {
                for &b in open_there.iter().filter(|&&b| b != a) {
                    if self.swap_path(there, a, b) {
                        self.set(m, Some(a));
                        return true;
                    }
                }
            }
        }
        false
    }

    /// Swaps slots a and b on the alternating path from `start` (which has an `a` meeting and
    /// no `b` meeting), if every meeting on it can be held in its new slot.
    fn swap_path(&mut self, start: usize, a: usize, b: usize) -> bool {
        let mut path = Vec::new();
        let (mut node, mut c) = (start, a);
        loop {
            let m = self.at(node, c);
            if m == FREE {
                break;
            }
            path.push((m, if c == a { b } else { a }));
            let (u, v) = self.ends[m];
            node = if node == u { v } else { u };
            c = if c == a { b } else { a };
        }
        let fits = path.iter().all(|&(m, to)| {
            let (u, v) = self.ends[m];
            self.can(u, to) && self.can(v, to)
        });
        if !fits {
            return false;
        }
        for &(m, _) in &path {
            self.set(m, None);
        }
        for &(m, to) in &path {
            self.set(m, Some(to));
        }
        true
    }

    fn why_not(&self, m: usize, meetings: &[Meeting]) -> UnplacedReason {
        let (u, v) = self.ends[m];
        let people = [(u, Person::Expert(meetings[m].expert)), (v, Person::Enterprise(meetings[m].enterprise))];
        for (node, person) in people {
            let booked = self.ends.iter().filter(|&&(x, y)| x == node || y == node).count();
            let open = (0..self.slots).filter(|&c| self.can(node, c)).count();
            if booked > open {
                return UnplacedReason::Overbooked { person, meetings: booked, slots: open };
            }
        }
        if (0..self.slots).any(|c| self.can(u, c) && self.can(v, c)) {
            UnplacedReason::NoSwapFound
        } else {
            UnplacedReason::NoCommonSlot
        }
    }
}

impl fmt::Display for Person {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Person::Expert(i) => write!(f, "expert #{i}"),
            Person::Enterprise(j) => write!(f, "enterprise #{j}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Nobody twice in one slot, every slot in range and attendable.
    fn check(meetings: &[Meeting], slots: usize, unavailable: &[(Person, usize)], got: &[usize]) {
        let mut seen = std::collections::HashSet::new();
        for (m, &c) in meetings.iter().zip(got) {
            assert!(c < slots);
            for p in [Person::Expert(m.expert), Person::Enterprise(m.enterprise)] {
                assert!(seen.insert((p, c)), "{p} twice in slot {c}");
                assert!(!unavailable.contains(&(p, c)), "{p} cannot attend slot {c}");
            }
        }
    }

    fn meeting(expert: usize, enterprise: usize) -> Meeting {
        Meeting { expert, enterprise }
    }

    #[test]
    fn complete_bipartite_fits_in_degree_slots() {
        let meetings: Vec<Meeting> = (0..4).flat_map(|r| (0..4).map(move |e| meeting(r, e))).collect();
        let got = lay_out(&meetings, 4, &[]).unwrap();
        check(&meetings, 4, &[], &got);
    }

    #[test]
    fn random_multigraphs_fit_in_max_degree_slots() {
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        for _ in 0..300 {
            let (nr, ne) = (rng.random_range(1..8), rng.random_range(1..8));
            let meetings: Vec<Meeting> = (0..rng.random_range(0..40))
                .map(|_| meeting(rng.random_range(0..nr), rng.random_range(0..ne)))
                .collect();
            let mut degree = std::collections::HashMap::new();
            for m in &meetings {
                *degree.entry(Person::Expert(m.expert)).or_insert(0) += 1;
                *degree.entry(Person::Enterprise(m.enterprise)).or_insert(0) += 1;
            }
            let slots = degree.values().copied().max().unwrap_or(0);
            let got = lay_out(&meetings, slots, &[]).unwrap();
            check(&meetings, slots, &[], &got);
        }
    }

    #[test]
    fn availability_is_respected() {
        // Expert 0 can only come in slot 1, so enterprise 0's other meeting goes to slot 0.
        let meetings = [meeting(1, 0), meeting(0, 0), meeting(1, 1)];
        let unavailable = [(Person::Expert(0), 0)];
        let got = lay_out(&meetings, 2, &unavailable).unwrap();
        check(&meetings, 2, &unavailable, &got);
        assert_eq!(got[..2], [0, 1]);
    }

    #[test]
    fn with_random_availability_whatever_is_placed_is_valid() {
        let mut rng = ChaCha8Rng::seed_from_u64(12);
        let (mut complete, mut partial) = (0, 0);
        for _ in 0..300 {
            let slots = rng.random_range(2..6);
            let meetings: Vec<Meeting> =
                (0..rng.random_range(1..25)).map(|_| meeting(rng.random_range(0..5), rng.random_range(0..5))).collect();
            let unavailable: Vec<(Person, usize)> = (0..rng.random_range(0..6))
                .map(|_| (Person::Expert(rng.random_range(0..5)), rng.random_range(0..slots)))
                .collect();
            match lay_out(&meetings, slots, &unavailable) {
                Ok(got) => {
                    complete += 1;
                    check(&meetings, slots, &unavailable, &got);
                }
                Err(e) => {
                    partial += 1;
                    let (placed, slots_of): (Vec<Meeting>, Vec<usize>) =
                        meetings.iter().zip(&e.slots).filter_map(|(m, s)| s.map(|s| (*m, s))).unzip();
                    check(&placed, slots, &unavailable, &slots_of);
                    assert_eq!(placed.len() + e.unplaced.len(), meetings.len());
                }
            }
        }
        assert!(complete > 50 && partial > 50, "{complete} / {partial}");
    }

    #[test]
    fn what_cannot_be_placed_is_reported() {
        let meetings = [meeting(0, 0), meeting(0, 1), meeting(0, 2), meeting(1, 3)];
        let unavailable = [(Person::Expert(1), 0), (Person::Enterprise(3), 1)];
        let err = lay_out(&meetings, 2, &unavailable).unwrap_err();
        assert_eq!(err.unplaced.len(), 2);
        assert_eq!(
            err.unplaced[0].reason,
            UnplacedReason::Overbooked { person: Person::Expert(0), meetings: 3, slots: 2 }
        );
        assert_eq!(err.unplaced[1].meeting, 3);
        assert_eq!(err.unplaced[1].reason, UnplacedReason::NoCommonSlot);
        // The rest are placed without double booking.
        let placed: Vec<usize> = err.slots.iter().flatten().copied().collect();
        assert_eq!(placed.len(), 2);
        assert_ne!(placed[0], placed[1]);
        let text = err.unplaced[0].reason.describe(&|p| p.to_string());
        assert_eq!(text, "expert #0 has 3 meetings but can attend only 2 slots");
        let one = UnplacedReason::Overbooked { person: Person::Enterprise(1), meetings: 2, slots: 1 };
        assert_eq!(one.describe(&|p| p.to_string()), "enterprise #1 has 2 meetings but can attend only 1 slot");
    }
}
