//! Minimum-cost flow with integer capacities and costs, so that optima are exact.
//!
//! Method: successive shortest paths. One node with supply left at a time, Dijkstra on reduced
//! costs (Johnson potentials) from that node, stopped at the first node with demand left; the
//! potentials of the nodes it settled are then moved so that every residual arc keeps a
//! non-negative reduced cost. Why this and not cost scaling: the matchmaking networks have a
//! few thousand nodes, up to a few hundred thousand arcs, and a total flow of a few thousand
//! meetings; a search from one enterprise usually settles only a handful of nodes before it
//! finds an expert with room, so each augmentation is cheap and the code stays small.
//!
//! Lower bounds are the standard transformation: `lower` units are sent up front (the tail
//! owes them, the head receives them) and the arc keeps `upper - lower` of capacity. A network
//! must not contain a cycle of negative cost; the networks built here have none.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// A flow network: node supplies (positive) or demands (negative), and arcs that carry between
/// a lower and an upper bound of units at a cost per unit.
#[derive(Debug, Clone, Default)]
pub struct Network {
    supply: Vec<i64>,
    arcs: Vec<Arc>,
}

#[derive(Debug, Clone, Copy)]
struct Arc {
    from: usize,
    to: usize,
    lower: i64,
    upper: i64,
    cost: i64,
}

/// A flow meeting every supply, demand and bound at minimum total cost.
#[derive(Debug, Clone)]
pub struct Flow {
    flow: Vec<i64>,
}

impl Flow {
    /// Units on the arc that `Network::add_arc` numbered `arc`.
    pub fn on(&self, arc: usize) -> i64 {
        self.flow[arc]
    }
}

/// No flow meets every supply and demand. What could be sent was sent at least cost; what
/// remains is reported with the cut that blocks it.
#[derive(Debug, Clone)]
pub struct Stuck {
    /// Nodes whose supply could not all be sent, with the units left.
    pub unsent: Vec<(usize, i64)>,
    /// Nodes whose demand could not all be met, with the units missing.
    pub unmet: Vec<(usize, i64)>,
    /// Nodes reachable from the unsent supply through arcs with spare capacity. No such arc
    /// leaves this set and it holds no unmet demand: the proof that nothing more can be sent.
    pub reachable: Vec<bool>,
}

impl Network {
    pub fn new(nodes: usize) -> Self {
        Self { supply: vec![0; nodes], arcs: Vec::new() }
    }

    /// Adds `amount` to a node's supply; a negative amount is a demand.
    pub fn add_supply(&mut self, node: usize, amount: i64) {
        self.supply[node] += amount;
    }

    /// Adds an arc carrying between `lower` and `upper` units at `cost` each; returns its
    /// number for `Flow::on`.
    pub fn add_arc(&mut self, from: usize, to: usize, lower: i64, upper: i64, cost: i64) -> usize {
        assert!(0 <= lower && lower <= upper, "arc bounds {lower}..={upper} are not a range of non-negative units");
        assert!(from < self.supply.len() && to < self.supply.len(), "arc to an unknown node");
        self.arcs.push(Arc { from, to, lower, upper, cost });
        self.arcs.len() - 1
    }

    pub fn solve(&self) -> Result<Flow, Stuck> {
        let n = self.supply.len();
        let mut excess = self.supply.clone();
        for a in &self.arcs {
            excess[a.from] -= a.lower;
            excess[a.to] += a.lower;
        }
        let mut g = Residual::new(n, &self.arcs);
        let mut potential = g.initial_potentials();
        let mut search = Search::new(n);
        let mut stranded = Vec::new();
        for s in 0..n {
            while excess[s] > 0 {
                let Some(z) = search.nearest_demand(&g, &potential, &excess, s) else {
                    // Nothing reachable from `s` has demand, and sending flow elsewhere never
                    // opens a way out of the set `s` reaches: `s` stays stuck.
                    search.clear();
                    stranded.push(s);
                    break;
                };
                search.update_potentials(&mut potential, z);
                let amount = search.augment(&mut g, s, z, excess[s].min(-excess[z]));
                excess[s] -= amount;
                excess[z] += amount;
                search.clear();
            }
        }
        if !stranded.is_empty() {
            return Err(Stuck {
                unsent: stranded.iter().map(|&s| (s, excess[s])).collect(),
                unmet: (0..n).filter(|&v| excess[v] < 0).map(|v| (v, -excess[v])).collect(),
                reachable: g.reachable_from(&stranded),
            });
        }
        Ok(Flow { flow: self.arcs.iter().zip(&g.forward).map(|(a, &e)| a.lower + g.cap[g.rev[e]]).collect() })
    }
}

/// The residual network in compressed adjacency form: the arcs leaving node `v` are
/// `start[v]..start[v + 1]`, and `rev[e]` is the arc running the other way.
struct Residual {
    start: Vec<usize>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    rev: Vec<usize>,
    /// Position of each network arc's forward residual arc.
    forward: Vec<usize>,
}

impl Residual {
    fn new(n: usize, arcs: &[Arc]) -> Self {
        let mut start = vec![0; n + 1];
        for a in arcs {
            start[a.from + 1] += 1;
            start[a.to + 1] += 1;
        }
        for v in 0..n {
            start[v + 1] += start[v];
        }
        let m = 2 * arcs.len();
        let mut next = start.clone();
        let mut g = Self {
            start,
            to: vec![0; m],
            cap: vec![0; m],
            cost: vec![0; m],
            rev: vec![0; m],
            forward: Vec::with_capacity(arcs.len()),
        };
        for a in arcs {
            let (f, b) = (next[a.from], next[a.to]);
            next[a.from] += 1;
            next[a.to] += 1;
            (g.to[f], g.cap[f], g.cost[f], g.rev[f]) = (a.to, a.upper - a.lower, a.cost, b);
            (g.to[b], g.cap[b], g.cost[b], g.rev[b]) = (a.from, 0, -a.cost, f);
            g.forward.push(f);
        }
        g
    }

    fn arcs(&self, v: usize) -> std::ops::Range<usize> {
        self.start[v]..self.start[v + 1]
    }

    /// Shortest distances from a virtual root joined to every node at cost 0 (Bellman–Ford,
    /// queue-based): they make every reduced cost non-negative even where costs are negative.
    fn initial_potentials(&self) -> Vec<i64> {
        let n = self.start.len() - 1;
        let mut dist = vec![0i64; n];
        let mut queued = vec![true; n];
        let mut relaxed = vec![0usize; n];
        let mut queue: VecDeque<usize> = (0..n).collect();
        while let Some(u) = queue.pop_front() {
            queued[u] = false;
            for e in self.arcs(u) {
                let v = self.to[e];
                if self.cap[e] > 0 && dist[u] + self.cost[e] < dist[v] {
                    dist[v] = dist[u] + self.cost[e];
                    if !queued[v] {
                        relaxed[v] += 1;
                        assert!(relaxed[v] <= n, "the network has a negative-cost cycle");
                        queued[v] = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        dist
    }

    fn reachable_from(&self, sources: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.start.len() - 1];
        let mut stack = sources.to_vec();
        for &s in sources {
            seen[s] = true;
        }
        while let Some(u) = stack.pop() {
            for e in self.arcs(u) {
                let v = self.to[e];
                if self.cap[e] > 0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }
}

/// Dijkstra's state, kept between searches; only the nodes a search touched are reset.
struct Search {
    dist: Vec<i64>,
    parent: Vec<usize>,
    settled: Vec<bool>,
    touched: Vec<usize>,
    order: Vec<usize>,
    heap: BinaryHeap<Reverse<(i64, usize)>>,
}

impl Search {
    fn new(n: usize) -> Self {
        Self {
            dist: vec![i64::MAX; n],
            parent: vec![usize::MAX; n],
            settled: vec![false; n],
            touched: Vec::new(),
            order: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    /// The node with unmet demand nearest to `s` in reduced cost, if any is reachable.
    fn nearest_demand(&mut self, g: &Residual, potential: &[i64], excess: &[i64], s: usize) -> Option<usize> {
        self.dist[s] = 0;
        self.touched.push(s);
        self.heap.push(Reverse((0, s)));
        while let Some(Reverse((d, u))) = self.heap.pop() {
            if self.settled[u] {
                continue;
            }
            self.settled[u] = true;
            self.order.push(u);
            if excess[u] < 0 {
                return Some(u);
            }
            for e in g.arcs(u) {
                let v = g.to[e];
                if g.cap[e] == 0 || self.settled[v] {
                    continue;
                }
                let reduced = g.cost[e] + potential[u] - potential[v];
                debug_assert!(reduced >= 0, "reduced cost {reduced} < 0");
                let nd = d + reduced;
                if nd < self.dist[v] {
                    if self.dist[v] == i64::MAX {
                        self.touched.push(v);
                    }
                    self.dist[v] = nd;
                    self.parent[v] = e;
                    self.heap.push(Reverse((nd, v)));
                }
            }
        }
        None
    }

    /// Raises the potential of every node by min(its distance, the distance to `z`). Nodes
    /// not settled would all rise by the same amount, which no reduced cost can see, so only
    /// the settled ones move (by their distance minus the distance to `z`).
    fn update_potentials(&self, potential: &mut [i64], z: usize) {
        let dz = self.dist[z];
        for &v in &self.order {
            potential[v] += self.dist[v] - dz;
        }
    }

    /// Sends up to `limit` units along the search tree's path from `s` to `z`.
    fn augment(&self, g: &mut Residual, s: usize, z: usize, limit: i64) -> i64 {
        let mut amount = limit;
        let mut v = z;
        while v != s {
            let e = self.parent[v];
            amount = amount.min(g.cap[e]);
            v = g.to[g.rev[e]];
        }
        let mut v = z;
        while v != s {
            let e = self.parent[v];
            g.cap[e] -= amount;
            g.cap[g.rev[e]] += amount;
            v = g.to[g.rev[e]];
        }
        amount
    }

    fn clear(&mut self) {
        for &v in &self.touched {
            self.dist[v] = i64::MAX;
            self.settled[v] = false;
        }
        self.touched.clear();
        self.order.clear();
        self.heap.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cost(net: &Network, flow: &Flow) -> i64 {
        net.arcs.iter().enumerate().map(|(k, a)| a.cost * flow.on(k)).sum()
    }

    #[test]
    fn picks_the_cheaper_of_two_routes() {
        // 0 → 1 → 3 costs 2 + 2, 0 → 2 → 3 costs 1 + 1 but takes only 1 unit.
        let mut net = Network::new(4);
        net.add_supply(0, 2);
        net.add_supply(3, -2);
        let a = net.add_arc(0, 1, 0, 5, 2);
        net.add_arc(1, 3, 0, 5, 2);
        let b = net.add_arc(0, 2, 0, 1, 1);
        net.add_arc(2, 3, 0, 5, 1);
        let flow = net.solve().unwrap();
        assert_eq!((flow.on(a), flow.on(b)), (1, 1));
        assert_eq!(cost(&net, &flow), 6);
    }

    #[test]
    fn negative_costs_and_rerouting() {
        // Two sources, two sinks; the greedy first choice of source 0 must be undone.
        let mut net = Network::new(4);
        net.add_supply(0, 1);
        net.add_supply(1, 1);
        net.add_supply(2, -1);
        net.add_supply(3, -1);
        net.add_arc(0, 2, 0, 1, -10);
        net.add_arc(0, 3, 0, 1, -9);
        net.add_arc(1, 2, 0, 1, -10);
        net.add_arc(1, 3, 0, 1, -1);
        let flow = net.solve().unwrap();
        assert_eq!(cost(&net, &flow), -19);
    }

    #[test]
    fn lower_bounds_are_honoured() {
        // The cheap arc would take everything, but the dear one must carry at least 2.
        let mut net = Network::new(2);
        net.add_supply(0, 3);
        net.add_supply(1, -3);
        let cheap = net.add_arc(0, 1, 0, 3, 1);
        let dear = net.add_arc(0, 1, 2, 3, 5);
        let flow = net.solve().unwrap();
        assert_eq!((flow.on(cheap), flow.on(dear)), (1, 2));
    }

    #[test]
    fn stuck_flow_names_the_cut() {
        // Node 0 can only reach node 1, whose arc to the sink takes 1 of 2 units.
        let mut net = Network::new(4);
        net.add_supply(0, 2);
        net.add_supply(3, -2);
        net.add_arc(0, 1, 0, 2, 0);
        net.add_arc(1, 3, 0, 1, 0);
        net.add_arc(2, 3, 0, 5, 0);
        let stuck = net.solve().unwrap_err();
        assert_eq!(stuck.unsent, vec![(0, 1)]);
        assert_eq!(stuck.unmet, vec![(3, 1)]);
        assert_eq!(stuck.reachable, vec![true, true, false, false]);
    }
}
