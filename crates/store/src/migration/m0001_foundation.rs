//! Regions, organisations, people, officers, dictionaries, accounts, sessions, API tokens and
//! the audit chain.

use super::shorthand::*;
use kexie_core::audit::GENESIS;
use kexie_core::grassroots::DEFAULT_OFFICER_ROLES;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = |name: &str| Table::create().table(Alias::new(name)).to_owned();

        m.create_table(
            t("region")
                .col(big_pk_auto(Alias::new("id")))
                .col(s("code", 32))
                .col(s("name", 50))
                .col(s("kind", 16))
                .col(id_null("parent_id"))
                .col(s("path", 255))
                .col(big_integer(Alias::new("rev")))
                .foreign_key(&mut fk("region", "parent_id", "region"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("region", &["code"], true)).await?;
        m.create_index(index("region", &["path"], false)).await?;
        m.create_index(index("region", &["rev"], false)).await?;

        m.create_table(
            t("org")
                .col(big_pk_auto(Alias::new("id")))
                .col(s("code", 32))
                .col(s("name", 100))
                .col(s("kind", 32))
                .col(s("status", 16))
                .col(big_integer(Alias::new("region_id")))
                .col(id_null("parent_id"))
                .col(id_null("enterprise_id"))
                .col(s("path", 255))
                .col(s_null("credit_code", 18))
                .col(s_null("address", 200))
                .col(s_null("contact_name", 50))
                .col(s_null("contact_phone", 20))
                .col(date_null(Alias::new("established_on")))
                .col(date_null(Alias::new("patent_platform_on")))
                .col(date_null(Alias::new("kczg_on")))
                .col(date_null(Alias::new("green_platform_on")))
                .col(text_null(Alias::new("note")))
                .col(big_integer(Alias::new("rev")))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("org", "region_id", "region"))
                .foreign_key(&mut fk("org", "parent_id", "org"))
                .foreign_key(&mut fk("org", "enterprise_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("org", &["code"], true)).await?;
        m.create_index(index("org", &["region_id"], false)).await?;
        m.create_index(index("org", &["parent_id"], false)).await?;
        m.create_index(index("org", &["path"], false)).await?;
        m.create_index(index("org", &["kind", "status"], false)).await?;
        m.create_index(index("org", &["rev"], false)).await?;

        m.create_table(
            t("person")
                .col(big_pk_auto(Alias::new("id")))
                .col(s("name", 50))
                .col(s_null("gender", 8))
                .col(s_null("phone", 20))
                .col(s_null("id_number", 18))
                .col(s_null("email", 100))
                .col(big_integer(Alias::new("region_id")))
                .col(id_null("org_id"))
                .col(s_null("title", 100))
                .col(text_null(Alias::new("note")))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("person", "region_id", "region"))
                .foreign_key(&mut fk("person", "org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("person", &["name"], false)).await?;
        m.create_index(index("person", &["phone"], false)).await?;
        m.create_index(index("person", &["id_number"], true)).await?;
        m.create_index(index("person", &["region_id", "id"], false)).await?;
        m.create_index(index("person", &["org_id"], false)).await?;

        m.create_table(
            t("dict_item")
                .col(big_pk_auto(Alias::new("id")))
                .col(s("dict", 32))
                .col(s("code", 32))
                .col(s("label_zh", 50))
                .col(s("label_en", 100))
                .col(integer(Alias::new("sort")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("dict_item", &["dict", "code"], true)).await?;

        m.create_table(
            t("officer")
                .col(big_pk_auto(Alias::new("id")))
                .col(big_integer(Alias::new("org_id")))
                .col(big_integer(Alias::new("person_id")))
                .col(s("role_code", 32))
                .col(ts("created_at"))
                .foreign_key(&mut fk("officer", "org_id", "org"))
                .foreign_key(&mut fk("officer", "person_id", "person"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("officer", &["org_id", "person_id", "role_code"], true)).await?;
        m.create_index(index("officer", &["person_id"], false)).await?;

        m.create_table(
            t("account")
                .col(big_pk_auto(Alias::new("id")))
                .col(s("username", 32))
                .col(id_null("person_id"))
                .col(s("role", 32))
                .col(id_null("scope_region_id"))
                .col(id_null("scope_org_id"))
                .col(s("password_hash", 255))
                .col(integer(Alias::new("failed_logins")))
                .col(ts_null("locked_until"))
                .col(boolean(Alias::new("disabled")))
                .col(ts_null("last_login_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .foreign_key(&mut fk("account", "person_id", "person"))
                .foreign_key(&mut fk("account", "scope_region_id", "region"))
                .foreign_key(&mut fk("account", "scope_org_id", "org"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("account", &["username"], true)).await?;

        m.create_table(
            t("session")
                .col(string_len(Alias::new("id"), 64).primary_key())
                .col(big_integer(Alias::new("account_id")))
                .col(s("csrf", 64))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .foreign_key(&mut fk("session", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("session", &["account_id"], false)).await?;

        m.create_table(
            t("api_token")
                .col(big_pk_auto(Alias::new("id")))
                .col(big_integer(Alias::new("account_id")))
                .col(s("name", 50))
                .col(s("token_hash", 64))
                .col(s("prefix", 16))
                .col(ts("created_at"))
                .col(ts_null("last_used_at"))
                .col(ts_null("revoked_at"))
                .foreign_key(&mut fk("api_token", "account_id", "account"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("api_token", &["token_hash"], true)).await?;
        m.create_index(index("api_token", &["account_id"], false)).await?;

        m.create_table(
            t("audit_log")
                .col(big_integer(Alias::new("seq")).primary_key())
                .col(ts("at"))
                .col(id_null("actor_id"))
                .col(s("actor_name", 64))
                .col(s("action", 32))
                .col(s("entity", 32))
                .col(id_null("entity_id"))
                .col(text_null(Alias::new("before")))
                .col(text_null(Alias::new("after")))
                .col(s("prev_hash", 64))
                .col(s("hash", 64))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["entity", "entity_id"], false)).await?;
        m.create_index(index("audit_log", &["actor_id"], false)).await?;

        m.create_table(
            t("audit_head")
                .col(integer(Alias::new("id")).primary_key())
                .col(big_integer(Alias::new("seq")))
                .col(s("hash", 64))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(Alias::new("audit_head"))
                .columns([Alias::new("id"), Alias::new("seq"), Alias::new("hash")])
                .values_panic([1.into(), 0i64.into(), GENESIS.into()])
                .to_owned(),
        )
        .await?;

        let mut roles = Query::insert();
        roles
            .into_table(Alias::new("dict_item"))
            .columns(["dict", "code", "label_zh", "label_en", "sort"].map(Alias::new));
        for (i, (code, zh, en)) in DEFAULT_OFFICER_ROLES.iter().enumerate() {
            roles.values_panic([
                "officer_role".into(),
                (*code).into(),
                (*zh).into(),
                (*en).into(),
                (i as i32 * 10).into(),
            ]);
        }
        m.exec_stmt(roles.to_owned()).await?;
        Ok(())
    }
}
