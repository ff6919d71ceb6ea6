"""Writes a synthetic matchmaking instance in the MIDL TSV layout, deterministically.

    python3 synth.py OUT_DIR [--enterprises 1000] [--experts 300] [--seed 2026]

Every expert may meet every enterprise. Scores come from latent topics, as relevance does:
each side gets a random mixture of 12 topics, the score is their overlap plus a little noise,
clipped to [0, 1] with 6 decimals (about a fifth are 0; MIDL has a third). Enterprises want 3..8
meetings; expert maximum loads are 15..23, scaled so that all experts together have about 5%
more places than the enterprises want: feasible, but tight enough that the solver has to
move meetings around. Standard library only.
"""

import argparse
import os
import random

TOPICS = 12


def mixture(rng):
    w = [rng.random() ** 3 for _ in range(TOPICS)]
    s = sum(w)
    return [x / s for x in w]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--enterprises", type=int, default=1000)
    ap.add_argument("--experts", type=int, default=300)
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    demand = [rng.randint(3, 8) for _ in range(a.enterprises)]
    wanted = sum(demand)
    raw = [rng.randint(15, 23) for _ in range(a.experts)]
    factor = wanted * 1.05 / sum(raw)
    loads = [max(1, round(x * factor)) for x in raw]
    i = 0
    while sum(loads) < wanted:  # rounding must not make it infeasible
        loads[i % a.experts] += 1
        i += 1

    experts = [f"R{i:03d}" for i in range(a.experts)]
    enterprises = [f"E{j:04d}" for j in range(a.enterprises)]
    with open(os.path.join(a.out, "enterprises.tsv"), "w") as f:
        f.write("enterprise\tdemand\n")
        for e, d in zip(enterprises, demand):
            f.write(f"{e}\t{d}\n")
    with open(os.path.join(a.out, "experts.tsv"), "w") as f:
        f.write("expert\tmax_load\n")
        for r, l in zip(experts, loads):
            f.write(f"{r}\t{l}\n")

    rx = [mixture(rng) for _ in experts]
    ex = [mixture(rng) for _ in enterprises]
    with open(os.path.join(a.out, "scores.tsv"), "w") as f:
        f.write("expert\tenterprise\tscore\n")
        for r, u in zip(experts, rx):
            for e, v in zip(enterprises, ex):
                overlap = sum(min(x, y) for x, y in zip(u, v))
                s = min(1.0, max(0.0, 1.6 * overlap - 0.45 + rng.gauss(0, 0.05)))
                f.write(f"{r}\t{e}\t{s:.6f}\n")
    print(f"{a.enterprises} enterprises want {wanted} meetings; {a.experts} experts, "
          f"{sum(loads)} places, busiest load {max(loads)}")


if __name__ == "__main__":
    main()
