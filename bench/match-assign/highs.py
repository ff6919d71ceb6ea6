"""The same assignment as `kexie match assign`, solved as a linear program by SciPy's HiGHS.

    python3 highs.py --scores F --experts F --enterprises F

The constraint matrix (each enterprise meets exactly `demand` experts, each expert between
`min_load` and `max_load` enterprises, 0 <= x <= 1 per scored pair) is totally unimodular,
so the LP optimum at a vertex is an integral assignment: its value is the true optimum.
Prints `total=… lowest=… time_ms=…` like kexie; time_ms is linprog alone (not reading or
building the matrix), and `integral=yes/no` checks the vertex really is 0/1.
"""

import argparse
import time

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack


def read(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return header, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scores", required=True)
    ap.add_argument("--experts", required=True)
    ap.add_argument("--enterprises", required=True)
    a = ap.parse_args()

    header, rows = read(a.experts)
    expert = {r[0]: i for i, r in enumerate(rows)}
    if header == ["expert", "min_load", "max_load"]:
        lo = np.array([int(r[1]) for r in rows])
        hi = np.array([int(r[2]) for r in rows])
    else:
        lo = np.zeros(len(rows), dtype=int)
        hi = np.array([int(r[1]) for r in rows])
    _, rows = read(a.enterprises)
    enterprise = {r[0]: j for j, r in enumerate(rows)}
    demand = np.array([int(r[1]) for r in rows])
    _, rows = read(a.scores)
    ri = np.array([expert[r[0]] for r in rows])
    ej = np.array([enterprise[r[1]] for r in rows])
    w = np.array([float(r[2]) for r in rows])

    n, ne, nr = len(w), len(demand), len(hi)
    k = np.arange(n)
    one = np.ones(n)
    a_eq = csr_matrix((one, (ej, k)), shape=(ne, n))
    load = csr_matrix((one, (ri, k)), shape=(nr, n))
    a_ub, b_ub = load, hi
    if lo.any():
        a_ub = vstack([load, -load]).tocsr()
        b_ub = np.concatenate([hi, -lo])

    t = time.perf_counter()
    res = linprog(-w, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=demand, bounds=(0, 1), method="highs")
    ms = (time.perf_counter() - t) * 1e3
    if res.status != 0:
        raise SystemExit(f"HiGHS: {res.message}")
    x = res.x
    totals = np.bincount(ej, weights=w * x, minlength=ne)
    integral = np.all(np.minimum(np.abs(x), np.abs(1 - x)) < 1e-6)
    print(f"total={-res.fun:.3f} lowest={totals.min():.3f} time_ms={ms:.1f} "
          f"integral={'yes' if integral else 'no'}")


if __name__ == "__main__":
    main()
