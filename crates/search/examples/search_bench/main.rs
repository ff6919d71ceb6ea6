//! Search benchmark, kexie's side (bench/search/run.sh runs it and PostgreSQL's side).
//!
//! Generates N documents deterministically, writes them as TSV for PostgreSQL's COPY and the
//! relevant documents of each labelled query (qrels), indexes them with kexie-search, then
//! times every query of the labelled set (warm, repeated) and measures recall and precision of
//! all its matches against the labels. Prints one JSON object.
//!
//!   cargo run --release -p kexie-search --example search_bench -- \
//!       --n 1000000 --out /tmp/search-bench --queries bench/search/queries.tsv

mod corpus;

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use kexie_search::{Doc, Index, Kind, Query};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

struct Args {
    n: usize,
    seed: u64,
    out: PathBuf,
    queries: PathBuf,
    runs: usize,
    batch: usize,
}

fn args() -> Args {
    let mut a = Args {
        n: 1_000_000,
        seed: 2026,
        out: PathBuf::from("/tmp/search-bench"),
        queries: PathBuf::from("bench/search/queries.tsv"),
        runs: 20,
        batch: 50_000,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--n" => a.n = value.parse().expect("--n"),
            "--seed" => a.seed = value.parse().expect("--seed"),
            "--out" => a.out = value.into(),
            "--queries" => a.queries = value.into(),
            "--runs" => a.runs = value.parse().expect("--runs"),
            "--batch" => a.batch = value.parse().expect("--batch"),
            _ => panic!("unknown flag {flag}"),
        }
    }
    a
}

struct LabelledQuery {
    qid: String,
    text: String,
    /// Relevant documents have all of these concepts.
    label: Vec<usize>,
}

fn read_queries(path: &PathBuf, vocab: &corpus::Vocabulary) -> Vec<LabelledQuery> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 3, "bad query line {line:?}");
        let label = cols[2]
            .split('&')
            .map(|t| vocab.id(t.trim()).unwrap_or_else(|| panic!("{}: {t:?} is not a concept", cols[0])))
            .collect();
        out.push(LabelledQuery { qid: cols[0].to_string(), text: cols[1].to_string(), label });
    }
    out
}

fn kind_of(id: i64) -> Kind {
    match id % 20 {
        0..=13 => Kind::Content,
        14..=16 => Kind::Suggestion,
        17..=18 => Kind::Need,
        _ => Kind::Expert,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

fn main() {
    let a = args();
    std::fs::create_dir_all(&a.out).unwrap();
    let vocab = corpus::Vocabulary::new();
    let queries = read_queries(&a.queries, &vocab);

    // 1. Generate; write the corpus for PostgreSQL and the relevant sets of the queries.
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(a.seed);
    let mut docs = Vec::with_capacity(a.n);
    let mut concepts = Vec::with_capacity(a.n);
    let mut tsv = BufWriter::new(std::fs::File::create(a.out.join("corpus.tsv")).unwrap());
    let mut chars = 0usize;
    let epoch = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    for i in 0..a.n {
        let id = i as i64 + 1;
        let g = corpus::generate(&mut rng, &vocab);
        debug_assert!(!(g.title.contains(['\t', '\n', '\\']) || g.body.contains(['\t', '\n', '\\'])));
        chars += g.title.chars().count() + g.body.chars().count();
        writeln!(tsv, "{id}\t{}\t{}\t{}", kind_of(id).as_str(), g.title, g.body).unwrap();
        concepts.push(g.concepts);
        docs.push(Doc {
            kind: kind_of(id),
            id,
            title: g.title,
            body: g.body,
            tags: Vec::new(),
            region_id: g.town.map(|t| t as i64 + 1),
            public: rng.random_bool(0.9),
            status: "published".into(),
            date: epoch.checked_add_days(chrono::Days::new(rng.random_range(0..2400))),
        });
    }
    tsv.flush().unwrap();
    drop(tsv);
    let relevant: Vec<Vec<i64>> = queries
        .iter()
        .map(|q| (0..a.n).filter(|&i| q.label.iter().all(|&c| concepts[i].contains(c))).map(|i| i as i64 + 1).collect())
        .collect();
    let mut qrels = BufWriter::new(std::fs::File::create(a.out.join("qrels.tsv")).unwrap());
    for (q, rel) in queries.iter().zip(&relevant) {
        for id in rel {
            writeln!(qrels, "{}\t{id}", q.qid).unwrap();
        }
    }
    qrels.flush().unwrap();
    let generate_secs = started.elapsed().as_secs_f64();
    eprintln!("generated {} docs ({} chars) in {generate_secs:.1}s", a.n, chars);

    // 2. Index on disk, in batches (one commit each), as a reindex would.
    let dir = a.out.join("index");
    let _ = std::fs::remove_dir_all(&dir);
    let index = Index::open_or_create(&dir).unwrap();
    let started = Instant::now();
    while !docs.is_empty() {
        let rest = docs.split_off(docs.len().min(a.batch));
        let batch = std::mem::replace(&mut docs, rest);
        index.upsert(batch).unwrap();
    }
    let index_secs = started.elapsed().as_secs_f64();
    assert_eq!(index.len(), a.n as u64);
    eprintln!("indexed in {index_secs:.1}s: {:.0} docs/s", a.n as f64 / index_secs);
    // The background merges go on after the last commit; let them finish before timing
    // searches (and report the build time with them too).
    index.wait_for_merges().unwrap();
    let merged_secs = started.elapsed().as_secs_f64();
    eprintln!("merged by {merged_secs:.1}s");

    // 3. Latency: one warm-up pass, then `runs` passes over all queries (a first page of 10
    //    hits with highlights, and the total, as the search page asks).
    let search = |text: &str| Query { limit: 10, ..Query::new(text) };
    for q in &queries {
        index.search(&search(&q.text)).unwrap();
    }
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::with_capacity(a.runs); queries.len()];
    let mut totals = vec![0usize; queries.len()];
    let mut first_pages: Vec<Vec<i64>> = vec![Vec::new(); queries.len()];
    for _ in 0..a.runs {
        for (i, q) in queries.iter().enumerate() {
            let t = Instant::now();
            let hits = index.search(&search(&q.text)).unwrap();
            per_query[i].push(t.elapsed());
            totals[i] = hits.total;
            first_pages[i] = hits.hits.iter().map(|h| h.id).collect();
        }
    }

    // 4. Recall and precision of all matches against the labels.
    let mut rows = Vec::new();
    let mut all: Vec<Duration> = Vec::new();
    let (mut recall_sum, mut precision_sum, mut page_sum) = (0.0, 0.0, 0.0);
    // Every missed and wrongly found document, to look into.
    let mut errors = BufWriter::new(std::fs::File::create(a.out.join("kexie-errors.tsv")).unwrap());
    for (i, q) in queries.iter().enumerate() {
        let mut found: Vec<i64> =
            index.search_keys(&Query::new(q.text.clone())).unwrap().into_iter().map(|k| k.1).collect();
        found.sort_unstable();
        assert_eq!(found.len(), totals[i], "{}: search_keys and search disagree", q.qid);
        let rel = &relevant[i];
        let hit = found.iter().filter(|id| rel.binary_search(id).is_ok()).count();
        let missed = rel.iter().filter(|id| found.binary_search(id).is_err());
        let wrong = found.iter().filter(|id| rel.binary_search(id).is_err());
        for (what, id) in missed.map(|id| ("missed", id)).chain(wrong.map(|id| ("wrong", id))) {
            writeln!(errors, "{}\t{what}\t{id}", q.qid).unwrap();
        }
        let recall = if rel.is_empty() { 1.0 } else { hit as f64 / rel.len() as f64 };
        let precision = if found.is_empty() { 1.0 } else { hit as f64 / found.len() as f64 };
        let page = &first_pages[i];
        let page_precision = if page.is_empty() {
            1.0
        } else {
            page.iter().filter(|id| rel.binary_search(id).is_ok()).count() as f64 / page.len() as f64
        };
        recall_sum += recall;
        precision_sum += precision;
        page_sum += page_precision;
        let mut times = per_query[i].clone();
        times.sort_unstable();
        all.extend(&times);
        rows.push(serde_json::json!({
            "qid": q.qid, "text": q.text, "relevant": rel.len(), "retrieved": found.len(), "correct": hit,
            "recall": recall, "precision": precision, "first_page_precision": page_precision,
            "p50_ms": percentile(&times, 0.5), "p99_ms": percentile(&times, 0.99),
        }));
    }
    errors.flush().unwrap();
    all.sort_unstable();
    let nq = queries.len() as f64;
    let result = serde_json::json!({
        "engine": "kexie",
        "n": a.n,
        "chars": chars,
        "queries": queries.len(),
        "runs": a.runs,
        "generate_s": generate_secs,
        "index_s": index_secs,
        "docs_per_s": a.n as f64 / index_secs,
        "merged_s": merged_secs,
        "docs_per_s_merged": a.n as f64 / merged_secs,
        "segments": std::fs::read_dir(&dir).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "store")).count(),
        "index_bytes": dir_size(&dir),
        "p50_ms": percentile(&all, 0.5),
        "p99_ms": percentile(&all, 0.99),
        "max_ms": percentile(&all, 1.0),
        "recall": recall_sum / nq,
        "precision": precision_sum / nq,
        "first_page_precision": page_sum / nq,
        "per_query": rows,
    });
    let text = serde_json::to_string_pretty(&result).unwrap();
    std::fs::write(a.out.join("kexie.json"), &text).unwrap();
    println!("{}", serde_json::to_string(&result).unwrap());
}
