//! The `kexie` binary: serve the platform and administer it from the command line.

// mimalloc returns freed memory to the system where glibc's per-thread arenas keep it: the
// server's resident size stays near what it actually holds.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod config;
mod loadgen;
mod match_assign;
mod match_eval;
mod matchmaking;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use config::Settings;
use indicatif::{ProgressBar, ProgressStyle};
use kexie_core::account::{Actor, Role};
use kexie_store::Store;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "kexie", version, about = "科协工作平台 kexie: run a district association's work in one place")]
struct Cli {
    /// Configuration file (defaults < kexie.toml < KEXIE_* environment < flags).
    #[arg(long, global = true, default_value = "kexie.toml")]
    config: PathBuf,
    /// Data directory: the SQLite database and media live here.
    #[arg(long, global = true, env = "KEXIE_DATA")]
    data: Option<PathBuf>,
    /// Database URL (sqlite://…, postgres://…, mysql://…); default: SQLite in the data directory.
    #[arg(long, global = true, env = "KEXIE_DATABASE_URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (HTML pages, JSON API).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "KEXIE_LISTEN")]
        listen: Option<String>,
        /// Address for Prometheus `/metrics` (never served on --listen); default: not served.
        #[arg(long, env = "KEXIE_METRICS_LISTEN")]
        metrics_listen: Option<String>,
        /// Load the demo district first if the database is empty.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations.
    Migrate,
    /// Load the demo district into an empty database.
    Demo {
        /// Multiply the district (100 gives about 100,000 organisations and 1,000,000 people).
        #[arg(long, default_value_t = 1)]
        scale: u32,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Import an organisation roster (.xlsx); all rows or none.
    Import { file: PathBuf },
    /// Export every organisation to a roster (.xlsx) that `import` takes back unchanged.
    Export { file: PathBuf },
    /// Write a consistent backup (database and media) while the server may keep running.
    Backup { file: PathBuf },
    /// Restore a backup into an empty database.
    Restore { file: PathBuf },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Matchmaking (产学研对接): ranking evaluation and optimal assignment.
    Match {
        #[command(subcommand)]
        command: matchmaking::MatchCommand,
    },
    /// 科普e站 screens.
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Load generators against a running server on this machine (loopback only).
    Loadgen {
        #[command(subcommand)]
        command: loadgen::LoadgenCommand,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password comes from KEXIE_PASSWORD or is generated and printed.
    Add {
        #[arg(long)]
        username: String,
        /// system_admin, district_staff, town_officer, org_admin, expert, enterprise_user, volunteer, citizen
        #[arg(long, default_value = "system_admin")]
        role: String,
        /// Region code for a town officer's scope.
        #[arg(long)]
        region: Option<String>,
        /// Organisation code for an organisation admin's or enterprise user's scope.
        #[arg(long)]
        org: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create a token for an account and print it (shown once).
    Create {
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Add a screen to a station and print its enrolment code (the code the station page shows
    /// as text and QR); with --count, that many screens, one code per line.
    Code {
        /// The station's number (as in /estation/stations/N), its code (e.g. EZ000123), or
        /// `all` for every station.
        #[arg(long)]
        station: String,
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exits non-zero at the first altered, removed or reordered entry.
    Verify,
}

fn main() -> Result<()> {
    // Hand freed memory back to the system at once: the server loads its read models once and
    // then serves, and mimalloc's default delay kept the transient load as resident memory.
    // mimalloc.h lists purge_delay right before use_numa_nodes, the constant the crate exposes.
    // SAFETY: setting an option is thread-safe and valid at any time.
    unsafe { libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_use_numa_nodes - 1, 0) };
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn".into()),
        )
        .with_target(false)
        .init();
    // Matchmaking commands work on files alone: no database, no runtime.
    let Cli { config, data, database_url, command } = cli;
    let settings = Settings::load(&config, data, database_url)?;
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run(command, settings))
}

async fn open(settings: &Settings) -> Result<Store> {
    std::fs::create_dir_all(&settings.data)
        .with_context(|| format!("cannot create data directory {}", settings.data.display()))?;
    let store = Store::connect(&settings.database_url()).await.context("cannot open the database")?;
    store.migrate().await.context("migration failed")?;
    Ok(store)
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(len);
    b.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({elapsed})")
            .expect("template")
            .progress_chars("=> "),
    );
    b.set_message(what.to_string());
    b
}

/// Progress of a table-by-table copy: the table's name and its rows so far.
fn table_progress(b: &ProgressBar) -> impl FnMut(&str, u64) + '_ {
    |table, n| {
        b.set_message(table.to_string());
        b.set_position(n);
    }
}

async fn run(command: Command, settings: Settings) -> Result<()> {
    match command {
        // Matchmaking works on files alone: no database.
        Command::Match { command } => matchmaking::run(command)?,
        // The load generator talks to a server over HTTP: no database either.
        Command::Loadgen { command } => loadgen::run(command).await?,
        Command::Serve { listen, metrics_listen, demo } => {
            let store = open(&settings).await?;
            if demo && store.is_empty().await? {
                load_demo(&store, &settings, 1, 2026).await?;
            }
            let listen = listen.unwrap_or_else(|| settings.listen.clone());
            let listener =
                tokio::net::TcpListener::bind(&listen).await.with_context(|| format!("cannot listen on {listen}"))?;
            let addr = listener.local_addr()?;
            println!(
                "kexie {} serving on http://{addr}/  (database: {})",
                env!("CARGO_PKG_VERSION"),
                settings.database_label()
            );
            let metrics_listen = metrics_listen.unwrap_or_else(|| settings.metrics_listen.clone());
            let metrics = match metrics_listen.as_str() {
                "" => None,
                at => {
                    let l = tokio::net::TcpListener::bind(at)
                        .await
                        .with_context(|| format!("cannot listen on {at} for metrics"))?;
                    println!("metrics on http://{}/metrics", l.local_addr()?);
                    Some(l)
                }
            };
            let mut web = settings.web.clone();
            web.media_dir.get_or_insert_with(|| settings.media_dir());
            let state = kexie_web::AppState::new(store, web);
            kexie_web::serve(state, listener, metrics).await?;
            println!("kexie stopped");
        }
        Command::Device { command: DeviceCommand::Code { station, count } } => {
            let store = open(&settings).await?;
            let actor = Actor::system("cli");
            let ids: Vec<i64> = match station.as_str() {
                "all" => {
                    let mut ids: Vec<i64> = store.station_names().await.map_err(describe)?.into_keys().collect();
                    ids.sort_unstable();
                    ids
                }
                s => vec![match s.parse::<i64>() {
                    Ok(id) => id,
                    Err(_) => store.station_by_code(s).await.map_err(describe)?,
                }],
            };
            if !(1..=20_000).contains(&count) {
                bail!("--count is between 1 and 20000");
            }
            for id in ids {
                for _ in 0..count {
                    let issued = store.add_screen(&actor, id, "").await.map_err(describe)?;
                    println!("{}", issued.code);
                }
            }
        }
        Command::Migrate => {
            open(&settings).await?;
            println!("database is up to date");
        }
        Command::Demo { scale, seed } => {
            let store = open(&settings).await?;
            load_demo(&store, &settings, scale, seed).await?;
        }
        Command::User { command: UserCommand::Add { username, role, region, org } } => {
            let store = open(&settings).await?;
            let role_parsed = Role::parse(&role).with_context(|| format!("unknown role {role}"))?;
            let (password, generated) = match std::env::var("KEXIE_PASSWORD") {
                Ok(p) => (p, false),
                Err(_) => (format!("Kx-{}", kexie_web::auth::random_token(12)), true),
            };
            if let Err(code) = kexie_core::account::password::check(&password, &username) {
                bail!(
                    "KEXIE_PASSWORD does not meet the password policy ({code}): at least 8 characters from 3 of upper, lower, digits, symbols"
                );
            }
            let tree = store.regions().await?;
            let scope_region_id = match region {
                Some(code) => Some(
                    tree.all()
                        .find(|r| r.code == code)
                        .map(|r| r.id)
                        .with_context(|| format!("no region with code {code}"))?,
                ),
                None => None,
            };
            let scope_org_id = match org {
                Some(code) => Some(
                    store.org_id_by_code(&code).await?.with_context(|| format!("no organisation with code {code}"))?,
                ),
                None => None,
            };
            let input = kexie_store::account::AccountInput {
                username: username.clone(),
                role: role_parsed.code().into(),
                person_id: None,
                scope_region_id,
                scope_org_id,
                disabled: false,
            };
            let hash = kexie_web::auth::password::hash(&password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            store.create_account(&Actor::system("cli"), &input, &hash).await.map_err(describe)?;
            println!("created account {username} ({role})");
            if generated {
                println!("password: {password}");
            }
        }
        Command::Token { command: TokenCommand::Create { user, name } } => {
            let store = open(&settings).await?;
            let account =
                store.account_by_username(&user).await?.with_context(|| format!("no account named {user}"))?;
            let (token, prefix) = kexie_web::auth::new_token();
            store
                .create_token(&Actor::system("cli"), account.id, &name, &kexie_web::auth::sha256_hex(&token), &prefix)
                .await
                .map_err(describe)?;
            println!("{token}");
        }
        Command::Import { file } => {
            let store = open(&settings).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let rows =
                kexie_web::xlsx::read_rows(&bytes).map_err(|e| anyhow::anyhow!("{}: {}", file.display(), e.code()))?;
            match store.import_orgs(&Actor::system("cli"), &rows).await {
                Ok(s) => println!("imported: {} created, {} updated, {} unchanged", s.created, s.updated, s.unchanged),
                Err(kexie_store::StoreError::Roster(errors)) => {
                    let lang = kexie_web::i18n::Lang::Zh;
                    for e in &errors {
                        eprintln!("第{}行 [{}] {}: {}", e.row, e.column, e.value, lang.error(e.code, Some(&e.value)));
                    }
                    bail!("{} problems; nothing was imported", errors.len());
                }
                Err(e) => return Err(describe(e)),
            }
        }
        Command::Export { file } => {
            let store = open(&settings).await?;
            let filter = kexie_store::org::OrgFilter::default();
            let rows = store.export_orgs(&Actor::system("cli"), &filter).await?;
            let bytes = kexie_web::xlsx::write_rows("组织", &kexie_core::org::roster::COLUMNS, &rows)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
            println!("exported {} organisations to {}", rows.len(), file.display());
        }
        Command::Backup { file } => {
            let store = open(&settings).await?;
            let b = bar(0, "backup");
            let m =
                store.backup(&file, Some(&settings.media_dir()), &mut table_progress(&b)).await.map_err(describe)?;
            b.finish_and_clear();
            let rows: u64 = m.tables.values().sum();
            println!(
                "backup written to {}: {rows} rows in {} tables, {} media files",
                file.display(),
                m.tables.len(),
                m.media_files
            );
        }
        Command::Restore { file } => {
            let store = open(&settings).await?;
            let b = bar(0, "restore");
            let m =
                store.restore(&file, Some(&settings.media_dir()), &mut table_progress(&b)).await.map_err(describe)?;
            b.finish_and_clear();
            let rows: u64 = m.tables.values().sum();
            println!("restored {rows} rows from {} (made {} on {})", file.display(), m.created_at, m.backend);
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let store = open(&settings).await?;
            let b = bar(0, "verify");
            let result = kexie_store::audit::verify(&store.db, |done, total| {
                b.set_length(total);
                b.set_position(done);
            })
            .await?;
            b.finish_and_clear();
            match result {
                Ok(n) => println!("audit chain intact: {n} entries verified"),
                Err(kexie_core::audit::Break::Altered { seq }) => {
                    bail!("audit chain broken: entry {seq} was altered")
                }
                Err(kexie_core::audit::Break::Broken { seq }) => {
                    bail!("audit chain broken at entry {seq}: entries removed or reordered")
                }
            }
        }
    }
    Ok(())
}

/// Store errors with their fields spelled out, for the terminal.
fn describe(e: kexie_store::StoreError) -> anyhow::Error {
    match e {
        kexie_store::StoreError::Invalid(i) => anyhow::anyhow!("invalid: {i}"),
        other => anyhow::anyhow!("{other}"),
    }
}

async fn load_demo(store: &Store, settings: &Settings, scale: u32, seed: u64) -> Result<()> {
    let started = std::time::Instant::now();
    let district = kexie_core::demo::generate(scale, seed);
    let password = std::env::var("KEXIE_DEMO_PASSWORD").unwrap_or_else(|_| "kexie-demo-2026".to_string());
    let hash = kexie_web::auth::password::hash(&password).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let total = (district.regions.len() + district.orgs.len() + district.people.len() + district.officers.len()) as u64;
    let b = bar(total, "demo");
    let mut before = 0u64;
    let mut last_stage = String::new();
    let counts = store
        // Yesterday's proof of play only for the district as it is: at larger scales the
        // plays (some 280,000 per block) would dwarf everything else.
        .load_demo_with(&district, &hash, Some(&settings.media_dir()), scale <= 1, &mut |stage, done, _| {
            if stage != last_stage {
                before = b.position();
                last_stage = stage.to_string();
                b.set_message(stage.to_string());
            }
            b.set_position(before + done as u64);
        })
        .await
        .map_err(describe)?;
    b.finish_and_clear();
    println!(
        "demo district loaded in {:.1}s: {} regions, {} organisations, {} people, {} officers",
        started.elapsed().as_secs_f64(),
        counts.regions,
        counts.orgs,
        counts.people,
        counts.officers
    );
    println!(
        "outreach: {} pieces, {} publications, {} person-times this year",
        counts.contents, counts.publications, counts.person_times
    );
    println!("volunteers: {} volunteers, {} activities this year", counts.volunteers, counts.activities);
    println!("demo accounts (password {password}):");
    for a in &district.accounts {
        println!("  {:<10} {}", a.username, a.role.code());
    }
    for (username, _) in kexie_store::outreach::demo::ACCOUNTS {
        println!("  {username:<10} {}", kexie_core::account::Role::DistrictStaff.code());
    }
    Ok(())
}
