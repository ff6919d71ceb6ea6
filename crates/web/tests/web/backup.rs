//! Backup and restore, and refusing to run on a database from a newer kexie.

use crate::helpers::*;
use kexie_core::account::Actor;
use kexie_store::Store;

#[tokio::test]
async fn backup_then_restore_into_an_empty_database_gives_the_same_records() {
    let app = TestApp::spawn().await;
    let c = app.login("staff").await;
    app.post(
        &c,
        "/orgs",
        &[("code", "XH-9101"), ("name", "通州区科技史学会"), ("kind", "society"), ("region_id", "1")],
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let media = dir.path().join("media");
    std::fs::create_dir_all(media.join("ab")).unwrap();
    std::fs::write(media.join("ab/abcdef.jpg"), b"not really a jpeg").unwrap();
    let file = dir.path().join("kexie-backup.zip");
    let manifest = app.store.backup(&file, Some(&media), &mut |_, _| {}).await.unwrap();
    assert!(manifest.tables["org"] > 1000);
    assert_eq!(manifest.media_files, 1);

    let target = TestApp::builder().empty().spawn().await;
    let restored_media = dir.path().join("restored-media");
    target.store.restore(&file, Some(&restored_media), &mut |_, _| {}).await.unwrap();
    assert_eq!(std::fs::read(restored_media.join("ab/abcdef.jpg")).unwrap(), b"not really a jpeg");

    let sys = Actor::system("t");
    let all = kexie_core::page::PageRequest::new(Some(1), Some(200));
    let f = kexie_store::org::OrgFilter { status: None, ..Default::default() };
    let a = app.store.list_orgs(&sys, &f, all).await.unwrap();
    let b = target.store.list_orgs(&sys, &f, all).await.unwrap();
    assert_eq!(a.total, b.total);
    let names = |p: &kexie_core::page::Page<kexie_store::org::OrgView>| {
        p.items.iter().map(|o| (o.org.id, o.org.code.clone(), o.org.name.clone(), o.org.updated_at)).collect::<Vec<_>>()
    };
    assert_eq!(names(&a), names(&b));
    assert_eq!(target.store.count_people(&sys).await.unwrap(), app.store.count_people(&sys).await.unwrap());
    // The restored audit chain verifies, the accounts sign in, and new ids do not collide.
    assert!(kexie_store::audit::verify(&target.store.db, |_, _| {}).await.unwrap().is_ok());
    let tc = target.login("staff").await;
    let r = target
        .post(
            &tc,
            "/orgs",
            &[("code", "XH-9102"), ("name", "通州区地方志学会"), ("kind", "society"), ("region_id", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    // Tables of later areas too (a campaign, a station group): every sequence moved past the
    // restored ids.
    let r = target
        .post(
            &tc,
            "/outreach/campaigns",
            &[
                ("name", "2027年科普宣传周"),
                ("kind", "science_week"),
                ("starts_on", "2027-05-15"),
                ("ends_on", "2027-05-21"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = target.post(&tc, "/estation/groups", &[("name", "恢复后新建分组"), ("parent_id", "")]).await;
    assert_eq!(r.status(), 303);
    // A second restore into the now non-empty database is refused.
    assert!(target.store.restore(&file, None, &mut |_, _| {}).await.is_err());
    app.cleanup().await;
    target.cleanup().await;
}

/// An archive as an earlier kexie wrote it: without the tables a later migration added.
fn without_table(from: &std::path::Path, to: &std::path::Path, table: &str) {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut dst = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..src.len() {
        let mut entry = src.by_index(i).unwrap();
        let name = entry.name().to_string();
        if name == format!("tables/{table}.jsonl") {
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            m["tables"].as_object_mut().unwrap().remove(table);
            bytes = serde_json::to_vec(&m).unwrap();
        }
        dst.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        dst.write_all(&bytes).unwrap();
    }
    dst.finish().unwrap();
}

#[tokio::test]
async fn an_archive_older_than_a_table_restores_with_that_table_empty() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().unwrap();
    let (full, old) = (dir.path().join("full.zip"), dir.path().join("old.zip"));
    app.store.backup(&full, None, &mut |_, _| {}).await.unwrap();
    without_table(&full, &old, "engagement");
    let target = TestApp::builder().empty().spawn().await;
    target.store.restore(&old, None, &mut |_, _| {}).await.unwrap();
    let sys = Actor::system("t");
    let any = kexie_core::page::PageRequest::new(Some(1), Some(1));
    let f = kexie_store::matchmaking::engagement::EngagementFilter::default();
    assert_eq!(target.store.list_engagements(&sys, &f, any).await.unwrap().total, 0);
    assert!(app.store.list_engagements(&sys, &f, any).await.unwrap().total > 0);
    let experts = |s: &Store| {
        let s = s.clone();
        let sys = sys.clone();
        async move { s.list_experts(&sys, &Default::default(), any).await.unwrap().total }
    };
    assert_eq!(experts(&target.store).await, experts(&app.store).await, "the other tables are restored");
    app.cleanup().await;
    target.cleanup().await;
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_kexie_is_refused() {
    let app = TestApp::builder().empty().spawn().await;
    use sea_orm::ConnectionTrait;
    app.store
        .db
        .execute_unprepared("INSERT INTO seaql_migrations (version, applied_at) VALUES ('m9999_from_the_future', 0)")
        .await
        .unwrap();
    let again = Store::connect(&app_url(&app)).await.unwrap();
    let err = again.migrate().await.unwrap_err();
    assert_eq!(err.code(), "newer_schema");
    app.cleanup().await;
}

fn app_url(app: &TestApp) -> String {
    app.store.url().to_string()
}
