//! Administration from the command line on a fresh data directory: demo, accounts, tokens,
//! the roster round trip, backup into another directory and restore, and the audit check
//! that catches a row edited behind kexie's back.

use std::path::Path;
use std::process::{Command, Output};

fn kexie(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kexie"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env_remove("KEXIE_DATABASE_URL")
        .env("KEXIE_PASSWORD", "Cli-Admin-2026")
        .env("RUST_LOG", "warn")
        .output()
        .expect("kexie runs")
}

fn ok(out: Output) -> String {
    assert!(out.status.success(), "kexie failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn fails(out: Output) -> String {
    assert!(!out.status.success(), "kexie should have failed: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn an_administrator_runs_the_district_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let out = ok(kexie(&data, &["demo"]));
    assert!(out.contains("demo district loaded"), "{out}");
    assert!(out.contains("admin"));
    // The demo refuses to load twice.
    assert!(fails(kexie(&data, &["demo"])).contains("not empty"));

    let out =
        ok(kexie(&data, &["user", "add", "--username", "gu.hua", "--role", "town_officer", "--region", "320612001"]));
    assert!(out.contains("created account gu.hua"));
    assert!(fails(kexie(&data, &["user", "add", "--username", "gu.hua"])).contains("duplicate"));
    let token = ok(kexie(&data, &["token", "create", "--user", "gu.hua"]));
    assert!(token.trim().starts_with("kx_"));

    // Export, then import the same file: nothing changes.
    let roster = tmp.path().join("roster.xlsx");
    let out = ok(kexie(&data, &["export", roster.to_str().unwrap()]));
    assert!(out.starts_with("exported "));
    let out = ok(kexie(&data, &["import", roster.to_str().unwrap()]));
    assert!(out.contains(" 0 created, 0 updated,"), "{out}");
    // A file that is not Excel is refused by name.
    let bogus = tmp.path().join("roster.csv");
    std::fs::write(&bogus, "编码,名称\n").unwrap();
    assert!(fails(kexie(&data, &["import", bogus.to_str().unwrap()])).contains("not_xlsx"));

    // Backup, restore elsewhere, same answer from both.
    let backup = tmp.path().join("backup.zip");
    assert!(ok(kexie(&data, &["backup", backup.to_str().unwrap()])).contains("backup written"));
    let other = tmp.path().join("restored");
    assert!(ok(kexie(&other, &["restore", backup.to_str().unwrap()])).contains("restored"));
    let copy = tmp.path().join("copy.xlsx");
    ok(kexie(&other, &["export", copy.to_str().unwrap()]));
    assert_eq!(
        kexie_web::xlsx::read_rows(&std::fs::read(&roster).unwrap()).unwrap(),
        kexie_web::xlsx::read_rows(&std::fs::read(&copy).unwrap()).unwrap()
    );
    assert!(fails(kexie(&other, &["restore", backup.to_str().unwrap()])).contains("not empty"));

    // The chain verifies until a row is edited directly in the database.
    assert!(ok(kexie(&other, &["audit", "verify"])).contains("audit chain intact"));
    let url = format!("sqlite://{}", other.join("kexie.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sea_orm::ConnectionTrait;
        let db = sea_orm::Database::connect(&url).await.unwrap();
        db.execute_unprepared("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 2").await.unwrap();
    });
    assert!(fails(kexie(&other, &["audit", "verify"])).contains("entry 2 was altered"));
}
