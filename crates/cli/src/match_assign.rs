//! `kexie match assign`: read an assignment instance in the TSV layout of
//! `data/assignment/midl`, solve it with `kexie_core::matchmaking::assign`, print
//! `total=… lowest=… time_ms=…` (time of the solve alone), and with `--slots` lay the meetings
//! out in time slots.
//!
//! Files (tab-separated, one header line):
//! - experts:     `expert  max_load` or `expert  min_load  max_load`
//! - enterprises: `enterprise  demand` (each enterprise meets exactly `demand` experts)
//! - scores:      `expert  enterprise  score`; a pair with no line here may not meet.

use anyhow::{Context, Result, bail};
use kexie_core::matchmaking::assign::{AssignError, Candidate, ExpertLoad, Problem, Wanted, solve};
use kexie_core::matchmaking::assign_fair::solve_fair;
use kexie_core::matchmaking::schedule::{Meeting, Person, lay_out};
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

pub fn run(scores: &Path, experts: &Path, enterprises: &Path, fair: bool, slots: Option<usize>) -> Result<()> {
    let instance = Instance::read(scores, experts, enterprises)?;
    let started = Instant::now();
    let solved = if fair { solve_fair(&instance.problem) } else { solve(&instance.problem) };
    let solve_ms = started.elapsed().as_secs_f64() * 1e3;
    let assignment = solved.map_err(|e| instance.explain(e))?;
    println!("total={} lowest={} time_ms={solve_ms:.1}", three(assignment.total), three(assignment.lowest));
    if let Some(slots) = slots {
        let meetings: Vec<Meeting> = assignment
            .meetings
            .iter()
            .map(|&m| {
                let c = instance.problem.candidates[m];
                Meeting { expert: c.expert, enterprise: c.enterprise }
            })
            .collect();
        let started = Instant::now();
        let laid = lay_out(&meetings, slots, &[]);
        let slot_ms = started.elapsed().as_secs_f64() * 1e3;
        match laid {
            Ok(_) => println!("slots={slots} meetings={} time_ms={slot_ms:.1}", meetings.len()),
            Err(e) => {
                let name = |p: Person| match p {
                    Person::Expert(i) => instance.experts[i].clone(),
                    Person::Enterprise(j) => instance.enterprises[j].clone(),
                };
                // One line per reason, with the meetings it keeps out.
                let mut groups: Vec<(String, Vec<String>)> = Vec::new();
                for u in &e.unplaced {
                    let m = meetings[u.meeting];
                    let pair = format!("{}–{}", instance.experts[m.expert], instance.enterprises[m.enterprise]);
                    let why = u.reason.describe(&name);
                    match groups.iter_mut().find(|(w, _)| *w == why) {
                        Some((_, pairs)) => pairs.push(pair),
                        None => groups.push((why, vec![pair])),
                    }
                }
                let lines: Vec<String> = groups
                    .into_iter()
                    .map(|(why, pairs)| {
                        let more = pairs.len().saturating_sub(5);
                        let shown = pairs.into_iter().take(5).collect::<Vec<_>>().join(" ");
                        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
                        format!("  {why}: {shown}{more}")
                    })
                    .collect();
                bail!(
                    "{} of the {} meetings cannot be placed in {}:\n{}",
                    e.unplaced.len(),
                    meetings.len(),
                    if slots == 1 { "1 slot".to_string() } else { format!("{slots} slots") },
                    shorten(lines)
                );
            }
        }
    }
    Ok(())
}

/// Three decimals, without a minus sign on a total that rounds to zero.
fn three(x: f64) -> String {
    let s = format!("{x:.3}");
    if s == "-0.000" { "0.000".into() } else { s }
}

/// The first twenty lines, then how many more.
fn shorten(mut lines: Vec<String>) -> String {
    const SHOWN: usize = 20;
    if lines.len() > SHOWN {
        let more = lines.len() - SHOWN;
        lines.truncate(SHOWN);
        lines.push(format!("  … and {more} more"));
    }
    lines.join("\n")
}

/// The problem with the ids behind its numbers.
struct Instance {
    experts: Vec<String>,
    enterprises: Vec<String>,
    problem: Problem,
}

impl Instance {
    fn read(scores: &Path, experts: &Path, enterprises: &Path) -> Result<Self> {
        let mut problem = Problem::default();
        let mut expert_ids = Vec::new();
        let experts_file = Tsv::read(experts, &[&["expert", "max_load"], &["expert", "min_load", "max_load"]])?;
        let with_min = experts_file.columns == 3;
        let mut expert_index = HashMap::new();
        for row in &experts_file.rows {
            let id = row.id(0)?;
            let (min, max) = if with_min {
                (row.whole(1, "min_load")?, row.whole(2, "max_load")?)
            } else {
                (0, row.whole(1, "max_load")?)
            };
            if min > max {
                return Err(row.error(format!("min_load {min} is above max_load {max}")));
            }
            if let Some(first) = expert_index.insert(id.to_string(), expert_ids.len()) {
                return Err(
                    row.error(format!("expert {id} is listed twice (first on line {})", experts_file.rows[first].line))
                );
            }
            expert_ids.push(id.to_string());
            problem.experts.push(ExpertLoad { min, max });
        }

        let mut enterprise_ids = Vec::new();
        let enterprises_file = Tsv::read(enterprises, &[&["enterprise", "demand"]])?;
        let mut enterprise_index = HashMap::new();
        for row in &enterprises_file.rows {
            let id = row.id(0)?;
            let demand = row.whole(1, "demand")?;
            if let Some(first) = enterprise_index.insert(id.to_string(), enterprise_ids.len()) {
                return Err(row.error(format!(
                    "enterprise {id} is listed twice (first on line {})",
                    enterprises_file.rows[first].line
                )));
            }
            enterprise_ids.push(id.to_string());
            problem.enterprises.push(Wanted::Exactly(demand));
        }

        let scores_file = Tsv::read(scores, &[&["expert", "enterprise", "score"]])?;
        let mut seen = HashMap::with_capacity(scores_file.rows.len());
        for row in &scores_file.rows {
            let (r, e) = (row.id(0)?, row.id(1)?);
            let expert = *expert_index
                .get(r)
                .ok_or_else(|| row.error(format!("unknown expert {r} (not in {})", experts.display())))?;
            let enterprise = *enterprise_index
                .get(e)
                .ok_or_else(|| row.error(format!("unknown enterprise {e} (not in {})", enterprises.display())))?;
            let score: f64 = row.fields[2]
                .parse()
                .ok()
                .filter(|s: &f64| s.is_finite())
                .ok_or_else(|| row.error(format!("score {:?} is not a finite number", row.fields[2])))?;
            if let Some(first) = seen.insert((expert, enterprise), row.line) {
                return Err(row.error(format!("pair {r} {e} is already scored on line {first}")));
            }
            problem.candidates.push(Candidate { expert, enterprise, score });
        }
        Ok(Self { experts: expert_ids, enterprises: enterprise_ids, problem })
    }

    /// The solver's error in the files' ids.
    fn explain(&self, e: AssignError) -> anyhow::Error {
        match e {
            AssignError::Infeasible(why) => {
                let expert = |i: usize| self.experts[i].clone();
                let enterprise = |j: usize| self.enterprises[j].clone();
                let lines: Vec<String> =
                    why.reasons.iter().map(|r| format!("  {}", r.describe(&expert, &enterprise))).collect();
                let unserved: Vec<&str> = why.enterprises().iter().map(|&j| self.enterprises[j].as_str()).collect();
                anyhow::anyhow!(
                    "no assignment meets every constraint{}:\n{}",
                    if unserved.is_empty() {
                        String::new()
                    } else {
                        format!("; enterprises that cannot be served: {}", unserved.join(" "))
                    },
                    shorten(lines)
                )
            }
            // The reader rejects bad pairs and loads first; this is only a safety net.
            other => anyhow::anyhow!(other),
        }
    }
}

/// A tab-separated file whose header is one of a few accepted forms.
struct Tsv {
    columns: usize,
    rows: Vec<Row>,
}

struct Row {
    file: String,
    line: usize,
    fields: Vec<String>,
}

impl Tsv {
    fn read(path: &Path, headers: &[&[&str]]) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file = path.display().to_string();
        let accepted = || headers.iter().map(|h| format!("\"{}\"", h.join("\\t"))).collect::<Vec<_>>().join(" or ");
        let mut lines = text
            .trim_start_matches('\u{feff}')
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
            .filter(|(_, l)| !l.trim().is_empty());
        let Some((header_line, header)) = lines.next() else {
            bail!("{file}: empty file; expected a header line {}", accepted());
        };
        let names: Vec<&str> = header.split('\t').map(str::trim).collect();
        let Some(columns) = headers.iter().find(|h| **h == names.as_slice()).map(|h| h.len()) else {
            bail!("{file}: line {header_line}: header {:?}; expected {}", header, accepted());
        };
        let mut rows = Vec::new();
        for (line, text) in lines {
            let fields: Vec<String> = text.split('\t').map(|f| f.trim().to_string()).collect();
            if fields.len() != columns {
                bail!("{file}: line {line}: expected {columns} tab-separated fields, found {}", fields.len());
            }
            rows.push(Row { file: file.clone(), line, fields });
        }
        Ok(Self { columns, rows })
    }
}

impl Row {
    fn error(&self, problem: String) -> anyhow::Error {
        anyhow::anyhow!("{}: line {}: {problem}", self.file, self.line)
    }

    fn id(&self, i: usize) -> Result<&str> {
        match self.fields[i].as_str() {
            "" => Err(self.error(format!("field {} is empty", i + 1))),
            id => Ok(id),
        }
    }

    fn whole(&self, i: usize, name: &str) -> Result<u32> {
        self.fields[i].parse().map_err(|_| self.error(format!("{name} {:?} is not a whole number", self.fields[i])))
    }
}
