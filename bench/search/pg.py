#!/usr/bin/env python3
"""Search benchmark, PostgreSQL's side, and the side-by-side table.

Loads the corpus that search_bench wrote (OUT/corpus.tsv) into a table, builds a pg_trgm GIN
index on title || ' ' || body, and runs each labelled query the way such systems usually do:
one `ILIKE '%term%'` per whitespace-separated term, ANDed, the first page of 10 (newest
first) with the total count. Measures warm p50/p99 over repeated runs, and recall and
precision of all matches against the same labels (OUT/qrels.tsv). Writes OUT/pg.json, then
prints both engines side by side (with OUT/kexie.json). Drops the table at the end.

    python3 bench/search/pg.py --out DIR [--queries bench/search/queries.tsv] [--runs 3]
"""
import argparse
import json
import math
import os
import time

import psycopg

TABLE = "bench_search_docs"
INDEX = "bench_search_docs_trgm"
TEXT = "(title || ' ' || body)"


def percentile(sorted_ms, p):
    if not sorted_ms:
        return 0.0
    i = min(len(sorted_ms), max(1, math.ceil(p * len(sorted_ms)))) - 1
    return sorted_ms[i]


def like_escape(term):
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            out.append((cols[0], cols[1]))
    return out


def read_qrels(path):
    rel = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, doc = line.rstrip("\n").split("\t")
            rel.setdefault(qid, set()).add(int(doc))
    return rel


def where(text):
    terms = text.split()
    return " AND ".join(f"{TEXT} ILIKE %s" for _ in terms), [f"%{like_escape(t)}%" for t in terms]


def uses_index(plan):
    if plan.get("Index Name") == INDEX:
        return True
    return any(uses_index(p) for p in plan.get("Plans", []))


def run_pg(args):
    queries = read_queries(args.queries)
    qrels = read_qrels(os.path.join(args.out, "qrels.tsv"))
    result = {"engine": "postgresql+pg_trgm", "runs": args.runs}
    # No prepared statements: a prepared ILIKE may switch to a generic plan, which cannot use
    # the trigram index (the pattern is unknown when planning). Every query is planned with its
    # own patterns, PostgreSQL's best case.
    with psycopg.connect(args.url, autocommit=True, prepare_threshold=None) as conn:
        cur = conn.cursor()
        result["server"] = cur.execute("SELECT version()").fetchone()[0]
        cur.execute("SET statement_timeout = '10min'")
        cur.execute("SET plan_cache_mode = force_custom_plan")
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cur.execute(f"CREATE TABLE {TABLE} (id bigint PRIMARY KEY, kind text NOT NULL, title text NOT NULL, body text NOT NULL)")

        started = time.perf_counter()
        with open(os.path.join(args.out, "corpus.tsv"), "rb") as f:
            with cur.copy(f"COPY {TABLE} (id, kind, title, body) FROM STDIN") as copy:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
        cur.execute(f"ANALYZE {TABLE}")
        result["load_s"] = time.perf_counter() - started
        result["n"] = cur.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
        print(f"pg: loaded {result['n']} rows in {result['load_s']:.1f}s", flush=True)

        cur.execute(f"SET maintenance_work_mem = '{args.maintenance_work_mem}'")
        started = time.perf_counter()
        cur.execute(f"CREATE INDEX {INDEX} ON {TABLE} USING gin ({TEXT} gin_trgm_ops)")
        cur.execute(f"ANALYZE {TABLE}")
        result["gin_build_s"] = time.perf_counter() - started
        result["docs_per_s"] = result["n"] / (result["load_s"] + result["gin_build_s"])
        result["table_bytes"] = cur.execute(f"SELECT pg_table_size('{TABLE}')").fetchone()[0]
        result["gin_bytes"] = cur.execute(f"SELECT pg_relation_size('{INDEX}')").fetchone()[0]
        print(f"pg: GIN index built in {result['gin_build_s']:.1f}s", flush=True)

        rows = []
        for qid, text in queries:
            cond, params = where(text)
            page_sql = f"SELECT id, count(*) OVER () FROM {TABLE} WHERE {cond} ORDER BY id DESC LIMIT 10"
            plan = cur.execute("EXPLAIN (FORMAT JSON) " + page_sql, params).fetchone()[0][0]["Plan"]
            # All matches, once: recall and precision (and the warm-up of this query).
            found = {r[0] for r in cur.execute(f"SELECT id FROM {TABLE} WHERE {cond}", params)}
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                page = cur.execute(page_sql, params).fetchall()
                times.append((time.perf_counter() - t) * 1000)
            rel = qrels.get(qid, set())
            correct = len(found & rel)
            page_ids = [r[0] for r in page]
            rows.append({
                "qid": qid, "text": text, "relevant": len(rel), "retrieved": len(found), "correct": correct,
                "recall": correct / len(rel) if rel else 1.0,
                "precision": correct / len(found) if found else 1.0,
                "first_page_precision": sum(1 for i in page_ids if i in rel) / len(page_ids) if page_ids else 1.0,
                "gin_index_used": uses_index(plan),
                "times_ms": times,
                "p50_ms": percentile(sorted(times), 0.5), "p99_ms": percentile(sorted(times), 0.99),
            })
            print(f"pg: {qid} {text} {rows[-1]['p50_ms']:.0f} ms, index {'used' if rows[-1]['gin_index_used'] else 'NOT used'}", flush=True)
        cur.execute(f"DROP TABLE {TABLE}")

    all_ms = sorted(t for r in rows for t in r["times_ms"])
    nq = len(rows)
    result.update({
        "queries": nq,
        "p50_ms": percentile(all_ms, 0.5),
        "p99_ms": percentile(all_ms, 0.99),
        "max_ms": all_ms[-1] if all_ms else 0.0,
        "recall": sum(r["recall"] for r in rows) / nq,
        "precision": sum(r["precision"] for r in rows) / nq,
        "first_page_precision": sum(r["first_page_precision"] for r in rows) / nq,
        "queries_using_gin": sum(r["gin_index_used"] for r in rows),
        "per_query": rows,
    })
    with open(os.path.join(args.out, "pg.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
    return result


def compare(out):
    k = json.load(open(os.path.join(out, "kexie.json"), encoding="utf-8"))
    p = json.load(open(os.path.join(out, "pg.json"), encoding="utf-8"))
    print()
    print(f"N = {k['n']} documents, {k['chars'] / k['n']:.0f} characters each on average; {k['queries']} labelled queries")
    print(f"{'':34}{'kexie (tantivy+jieba)':>24}{'PostgreSQL pg_trgm ILIKE':>28}")
    line = lambda name, a, b: print(f"{name:34}{a:>24}{b:>28}")
    line("index build, docs/s", f"{k['docs_per_s']:.0f}", f"{p['docs_per_s']:.0f}")
    line("  build time (s)", f"{k['index_s']:.1f} (+merges: {k['merged_s']:.1f})", f"COPY {p['load_s']:.1f} + GIN {p['gin_build_s']:.1f}")
    line("  index size (MB)", f"{k['index_bytes'] / 1e6:.0f} (incl. stored text)", f"table {p['table_bytes'] / 1e6:.0f} + GIN {p['gin_bytes'] / 1e6:.0f}")
    line("query p50 (ms)", f"{k['p50_ms']:.2f}", f"{p['p50_ms']:.1f}")
    line("query p99 (ms)", f"{k['p99_ms']:.2f}", f"{p['p99_ms']:.1f}")
    line("  timed runs per query", str(k["runs"]), str(p["runs"]))
    line("recall (mean over queries)", f"{k['recall']:.4f}", f"{p['recall']:.4f}")
    line("precision (mean, all matches)", f"{k['precision']:.4f}", f"{p['precision']:.4f}")
    line("precision of the first page", f"{k['first_page_precision']:.4f}", f"{p['first_page_precision']:.4f}")
    line("queries whose plan uses the GIN", "", f"{p['queries_using_gin']} of {p['queries']}")
    print(f"speed-up: p50 {p['p50_ms'] / k['p50_ms']:.0f}x, p99 {p['p99_ms'] / k['p99_ms']:.0f}x")
    kq = {r["qid"]: r for r in k["per_query"]}
    worse = [r["qid"] for r in p["per_query"] if kq[r["qid"]]["recall"] < r["recall"]]
    print(f"queries where kexie's recall is below PostgreSQL's: {worse or 'none'}")
    diff = [(r["qid"], r["text"], kq[r["qid"]]["precision"], r["precision"]) for r in p["per_query"]
            if abs(kq[r["qid"]]["precision"] - r["precision"]) > 1e-9]
    for qid, text, kp, pp in diff:
        print(f"  precision differs on {qid} {text}: kexie {kp:.3f}, PostgreSQL {pp:.3f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--queries", default="bench/search/queries.tsv")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--url", default=os.environ.get("PGURL", "postgresql://postgres@127.0.0.1:5432/test"))
    ap.add_argument("--maintenance-work-mem", default="1GB")
    ap.add_argument("--compare-only", action="store_true")
    args = ap.parse_args()
    if not args.compare_only:
        run_pg(args)
    compare(args.out)


if __name__ == "__main__":
    main()
