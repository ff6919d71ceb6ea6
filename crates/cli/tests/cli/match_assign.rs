//! `kexie match assign` as a user runs it: the MIDL benchmark optima (when the shared data
//! sits next to the workspace), bad files, an impossible event, and slotting.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kexie(args: &[&Path], flags: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kexie"));
    cmd.args(["match", "assign"]);
    for (flag, path) in ["--scores", "--experts", "--enterprises"].iter().zip(args) {
        cmd.arg(flag).arg(path);
    }
    cmd.args(flags).output().expect("kexie runs")
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "kexie failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr(out: &Output) -> String {
    assert!(!out.status.success(), "kexie should have failed");
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// `total=… lowest=…` of the first output line, without the time.
fn result(out: &Output) -> String {
    let text = stdout(out);
    let line = text.lines().next().unwrap();
    assert!(line.contains(" time_ms="), "{line}");
    line.split(" time_ms=").next().unwrap().to_string()
}

/// A directory of its own for each test's files.
fn scratch(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kexie-match-assign-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

#[test]
fn midl_optima() {
    let midl = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/assignment/midl");
    if !midl.is_dir() {
        eprintln!("SKIPPED midl_optima: no MIDL data at {}", midl.display());
        return;
    }
    let files = |experts: &str| [midl.join("scores.tsv"), midl.join(experts), midl.join("enterprises.tsv")];
    let [s, e, n] = files("experts.tsv");
    assert_eq!(result(&kexie(&[&s, &e, &n], &[])), "total=201.885 lowest=0.903");
    // The fair variant reaches the ceiling (each enterprise's own best three): optimal lowest.
    assert_eq!(result(&kexie(&[&s, &e, &n], &["--fair"])), "total=201.769 lowest=0.945");
    let [s, e, n] = files("experts-lb.tsv");
    assert_eq!(result(&kexie(&[&s, &e, &n], &[])), "total=150.043 lowest=0.000");
}

const EXPERTS: &str = "expert\tmin_load\tmax_load\nR1\t0\t2\nR2\t1\t2\nR3\t0\t1\n";
const ENTERPRISES: &str = "enterprise\tdemand\nP1\t2\nP2\t1\n";
const SCORES: &str = "expert\tenterprise\tscore\n\
    R1\tP1\t0.9\nR2\tP1\t0.5\nR3\tP1\t0.4\nR1\tP2\t0.8\nR2\tP2\t0.1\n";

#[test]
fn small_event_with_slots() {
    let dir = scratch("small", &[("s.tsv", SCORES), ("e.tsv", EXPERTS), ("n.tsv", ENTERPRISES)]);
    let (s, e, n) = (dir.join("s.tsv"), dir.join("e.tsv"), dir.join("n.tsv"));
    // R2 must meet someone: P1 gets R1 + R2 (1.4), P2 gets R1 (0.8).
    assert_eq!(result(&kexie(&[&s, &e, &n], &[])), "total=2.200 lowest=0.800");
    let out = stdout(&kexie(&[&s, &e, &n], &["--slots", "2"]));
    assert!(out.lines().nth(1).unwrap().starts_with("slots=2 meetings=3 time_ms="), "{out}");
    // R1 meets two enterprises and P1 two experts: one slot cannot hold both of either.
    let err = stderr(&kexie(&[&s, &e, &n], &["--slots", "1"]));
    assert!(err.contains("2 of the 3 meetings cannot be placed in 1 slot:"), "{err}");
    assert!(err.contains("R1 has 2 meetings but can attend only 1 slot"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn impossible_event_names_the_enterprises() {
    let enterprises = "enterprise\tdemand\nP1\t2\nP2\t3\n";
    let dir = scratch("impossible", &[("s.tsv", SCORES), ("e.tsv", EXPERTS), ("n.tsv", enterprises)]);
    let err = stderr(&kexie(&[&dir.join("s.tsv"), &dir.join("e.tsv"), &dir.join("n.tsv")], &[]));
    assert!(err.contains("enterprises that cannot be served: P2"), "{err}");
    assert!(err.contains("P2 must meet 3 experts but only 2 may meet it"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn malformed_files_name_file_line_and_problem() {
    let cases = [
        ("s.tsv", "expert\tenterprise\tscore\nR1\tP1\t0.9\nR9\tP1\t0.1\n", "s.tsv: line 3: unknown expert R9"),
        ("s.tsv", "expert\tenterprise\tscore\nR1\tP1\tabc\n", "s.tsv: line 2: score \"abc\" is not a finite number"),
        (
            "s.tsv",
            "expert\tenterprise\tscore\nR1\tP1\t0.9\nR1\tP1\t0.2\n",
            "s.tsv: line 3: pair R1 P1 is already scored on line 2",
        ),
        ("e.tsv", "expert\tload\nR1\t2\n", "e.tsv: line 1: header \"expert\\tload\"; expected"),
        ("e.tsv", "expert\tmin_load\tmax_load\nR1\t3\t2\n", "e.tsv: line 2: min_load 3 is above max_load 2"),
        ("n.tsv", "enterprise\tdemand\nP1\t2\t7\n", "n.tsv: line 2: expected 2 tab-separated fields, found 3"),
        ("n.tsv", "enterprise\tdemand\nP1\t-2\n", "n.tsv: line 2: demand \"-2\" is not a whole number"),
    ];
    for (i, (file, text, expected)) in cases.into_iter().enumerate() {
        let mut files = vec![("s.tsv", SCORES), ("e.tsv", EXPERTS), ("n.tsv", ENTERPRISES)];
        files.retain(|(f, _)| *f != file);
        files.push((file, text));
        let dir = scratch(&format!("bad{i}"), &files);
        let err = stderr(&kexie(&[&dir.join("s.tsv"), &dir.join("e.tsv"), &dir.join("n.tsv")], &[]));
        assert!(err.contains(expected), "expected {expected:?} in {err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
