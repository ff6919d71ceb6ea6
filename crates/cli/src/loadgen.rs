//! `kexie loadgen screens`: simulated 科普e站 screens against a local server, following the device
//! API contract (`/api/device/v1`): enrol, hold the event stream, poll the manifest with
//! `If-None-Match`, heartbeat, send proof of play; optionally publish an emergency broadcast and
//! measure how fast it reaches every screen, or measure manifest-poll throughput alone.
//!
//! `kexie loadgen door` (module `door`): a crowd checking in at an activity's door.
//!
//! Every request outcome is counted (by HTTP status and error code, or transport failure); nothing
//! panics on a bad answer. Deviations from the contract seen on the wire are listed at the end.

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use hdrhistogram::Histogram;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, ETAG, HeaderValue, IF_NONE_MATCH};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::{Notify, Semaphore, watch};

mod door;

const MAX_SCREENS: u32 = 20_000;
const MAX_DURATION_S: u64 = 3600;
const MAX_PLAYS_BATCH: u32 = 1000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// A broadcast counts as received when the screen's stream delivered it within this time.
const BROADCAST_WINDOW: Duration = Duration::from_secs(10);
/// After the deadline the run goes on until every targeted screen has the broadcast (and has
/// checked its manifest), or this long after publishing: late receipts are measured too.
const BROADCAST_WATCH: Duration = Duration::from_secs(30);
/// The contract promises a `ping` at least every 25 s; silence longer than this is reported.
const SSE_SILENCE: Duration = Duration::from_secs(30);
const APP_VERSION: &str = concat!("kexie-loadgen/", env!("CARGO_PKG_VERSION"));
/// Latencies are kept in microseconds, up to ten minutes (longer ones count as ten minutes).
const HIST_MAX_US: u64 = 600_000_000;

#[derive(Subcommand)]
pub enum LoadgenCommand {
    /// Simulate e-station screens against a local server: enrol, hold the event stream, poll the
    /// manifest, heartbeat, send plays; optionally measure an emergency broadcast's fan-out.
    Screens(ScreensArgs),
    /// A crowd checking in at an activity's door on their phones: latency of each check-in,
    /// and every refusal counted.
    Door(door::DoorArgs),
}

#[derive(Args)]
pub struct ScreensArgs {
    /// Base URL of the server; loopback only (127.0.0.1, ::1, localhost).
    #[arg(long)]
    url: String,
    /// Number of simulated screens (1 to 20000).
    #[arg(long)]
    count: u32,
    /// Run time in seconds, enrolment included (1 to 3600); the run stops by itself.
    #[arg(long)]
    duration: u64,
    /// Enrolment codes, one a line (as `kexie device code` prints them); at least --count.
    #[arg(long)]
    codes: PathBuf,
    /// Plays per proof-of-play call (1 to 1000); each screen sends one batch per poll interval.
    #[arg(long, default_value_t = 50)]
    plays_batch: u32,
    /// Seconds between manifest polls, heartbeats and play batches (first ones jittered);
    /// default: the poll_interval_s the server gives at enrolment.
    #[arg(long)]
    poll_interval: Option<u64>,
    /// Enrolment requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Bearer token of an account allowed to publish emergency broadcasts: turns on the fan-out
    /// measurement (POST /api/v1/estation/interrupts to all stations).
    #[arg(long, requires = "broadcast_content")]
    broadcast_token: Option<String>,
    /// content_id of the content to broadcast.
    #[arg(long, requires = "broadcast_token")]
    broadcast_content: Option<String>,
    /// Seconds after the start before broadcasting (and not before every enrolled screen's event
    /// stream is connected).
    #[arg(long, default_value_t = 10)]
    broadcast_after: u64,
    /// Manifest-poll throughput only: after enrolling, each screen loops on GET manifest with
    /// If-None-Match as fast as it can (no event stream, heartbeats or plays).
    #[arg(long, conflicts_with = "broadcast_token")]
    poll_only: bool,
    /// Print the report as one JSON object (progress still goes to stderr).
    #[arg(long)]
    json: bool,
}

pub async fn run(command: LoadgenCommand) -> Result<()> {
    match command {
        LoadgenCommand::Screens(args) => screens(args).await,
        LoadgenCommand::Door(args) => door::run(args).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments

/// The base URL (without a trailing slash) if `url` is http(s) on a loopback host.
fn loopback_base(url: &str) -> Result<String> {
    let parsed = reqwest::Url::parse(url).with_context(|| format!("--url {url:?} is not a URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        bail!("--url must be http:// or https://, not {}://", parsed.scheme());
    }
    let host = parsed.host_str().unwrap_or("");
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    if !loopback {
        bail!("--url host {host:?} is not loopback: the load generator only targets 127.0.0.1, ::1 or localhost");
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        bail!("--url must not carry credentials");
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        bail!("--url must not have a query or fragment");
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// Enrolment codes from a file: one a line; blank lines and `#` comments are skipped.
fn parse_codes(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

struct Config {
    base: String,
    count: usize,
    duration: Duration,
    codes: Vec<String>,
    plays_batch: usize,
    poll_interval: Option<Duration>,
    concurrency: usize,
    broadcast: Option<(String, String, Duration)>,
    poll_only: bool,
    json: bool,
}

fn validate(a: ScreensArgs) -> Result<Config> {
    let base = loopback_base(&a.url)?;
    if !(1..=MAX_SCREENS).contains(&a.count) {
        bail!("--count must be 1 to {MAX_SCREENS}, not {}", a.count);
    }
    if !(1..=MAX_DURATION_S).contains(&a.duration) {
        bail!("--duration must be 1 to {MAX_DURATION_S} seconds, not {}", a.duration);
    }
    if !(1..=MAX_PLAYS_BATCH).contains(&a.plays_batch) {
        bail!("--plays-batch must be 1 to {MAX_PLAYS_BATCH} (the contract's limit), not {}", a.plays_batch);
    }
    if let Some(p) = a.poll_interval
        && !(1..=MAX_DURATION_S).contains(&p)
    {
        bail!("--poll-interval must be 1 to {MAX_DURATION_S} seconds, not {p}");
    }
    if !(1..=4096).contains(&a.concurrency) {
        bail!("--concurrency must be 1 to 4096, not {}", a.concurrency);
    }
    let broadcast = match (a.broadcast_token, a.broadcast_content) {
        (Some(token), Some(content)) => {
            if a.broadcast_after + BROADCAST_WINDOW.as_secs() > a.duration {
                bail!(
                    "--broadcast-after ({}) plus the {} s receipt window must fit in --duration ({})",
                    a.broadcast_after,
                    BROADCAST_WINDOW.as_secs(),
                    a.duration
                );
            }
            Some((token, content, Duration::from_secs(a.broadcast_after)))
        }
        (None, None) => None,
        _ => bail!("--broadcast-token and --broadcast-content go together"),
    };
    let text = std::fs::read_to_string(&a.codes).with_context(|| format!("cannot read {}", a.codes.display()))?;
    let mut codes = parse_codes(&text);
    if codes.len() < a.count as usize {
        bail!(
            "{} holds {} enrolment codes; {} screens need {} (mint them with `kexie device code --station ID --count N`)",
            a.codes.display(),
            codes.len(),
            a.count,
            a.count
        );
    }
    codes.truncate(a.count as usize);
    Ok(Config {
        base,
        count: a.count as usize,
        duration: Duration::from_secs(a.duration),
        codes,
        plays_batch: a.plays_batch as usize,
        poll_interval: a.poll_interval.map(Duration::from_secs),
        concurrency: a.concurrency,
        broadcast,
        poll_only: a.poll_only,
        json: a.json,
    })
}

/// Raise the open-file limit: to 2^20 where the process may raise its hard limit, else the soft
/// limit to the hard one. Returns the soft limit in force.
#[cfg(unix)]
fn raise_nofile_limit() -> Option<u64> {
    const WANT: libc::rlim_t = 1 << 20;
    let mut r = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes into the struct we pass and nothing else.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut r) } != 0 {
        return None;
    }
    let hard = r.rlim_max;
    let mut tries = Vec::new();
    if hard != libc::RLIM_INFINITY && hard < WANT {
        tries.push((WANT, WANT)); // needs CAP_SYS_RESOURCE
    }
    tries.push((if hard == libc::RLIM_INFINITY { WANT } else { hard }, hard));
    for (cur, max) in tries {
        if cur <= r.rlim_cur {
            continue;
        }
        let new = libc::rlimit { rlim_cur: cur, rlim_max: max };
        // SAFETY: setrlimit only reads the struct we pass.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &new) } == 0 {
            r.rlim_cur = cur;
            break;
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    Some(r.rlim_cur as u64)
}

#[cfg(not(unix))]
fn raise_nofile_limit() -> Option<u64> {
    None
}

// ---------------------------------------------------------------------------------------------
// Pure helpers: event-stream parsing, play ids, percentiles

/// One dispatched server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    pub event: String,
    pub data: String,
}

/// Incremental `text/event-stream` parser: feed it chunks as they arrive, split anywhere.
/// Lines end in LF, CRLF or CR; `:` lines are comments; a blank line dispatches the event.
/// Unlike a browser it also dispatches an event that has a type but no `data` line (a bare
/// `event: ping`), so keep-alives are counted.
#[derive(Default)]
pub(crate) struct SseParser {
    line: Vec<u8>,
    event: String,
    data: String,
    has_data: bool,
    after_cr: bool,
}

impl SseParser {
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) {
        for &b in chunk {
            if std::mem::take(&mut self.after_cr) && b == b'\n' {
                continue;
            }
            match b {
                b'\n' => self.end_line(out),
                b'\r' => {
                    self.after_cr = true;
                    self.end_line(out);
                }
                _ => self.line.push(b),
            }
        }
    }

    fn end_line(&mut self, out: &mut Vec<SseEvent>) {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() {
            if self.has_data || !self.event.is_empty() {
                out.push(SseEvent {
                    event: if self.event.is_empty() { "message".into() } else { std::mem::take(&mut self.event) },
                    data: std::mem::take(&mut self.data),
                });
            }
            self.event.clear();
            self.data.clear();
            self.has_data = false;
            return;
        }
        if line[0] == b':' {
            return;
        }
        let line = String::from_utf8_lossy(&line);
        let (field, value) = match line.find(':') {
            Some(i) => (&line[..i], line[i + 1..].strip_prefix(' ').unwrap_or(&line[i + 1..])),
            None => (&line[..], ""),
        };
        match field {
            "event" => self.event = value.to_string(),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            _ => {} // id, retry, unknown fields: not needed here
        }
    }
}

/// A random (version 4) UUID, 8-4-4-4-12 lowercase hex.
fn uuid_v4() -> String {
    let mut b = rand::random::<u128>().to_be_bytes();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, HIST_MAX_US, 3).expect("valid histogram bounds")
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// p50, p90, p99 and max of a latency histogram (microseconds), in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Percentiles {
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
}

fn percentiles(h: &Histogram<u64>) -> Option<Percentiles> {
    if h.is_empty() {
        return None;
    }
    let ms = |us: u64| us as f64 / 1000.0;
    Some(Percentiles {
        p50: ms(h.value_at_quantile(0.50)),
        p90: ms(h.value_at_quantile(0.90)),
        p99: ms(h.value_at_quantile(0.99)),
        max: ms(h.max()),
    })
}

fn jitter(upto: Duration) -> Duration {
    let ms = upto.as_millis().min(u128::from(u64::MAX)) as u64;
    if ms == 0 { Duration::ZERO } else { Duration::from_millis(rand::random_range(0..ms)) }
}

// ---------------------------------------------------------------------------------------------
// Statistics

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Enroll,
    Manifest,
    Manifest200,
    Manifest304,
    Heartbeat,
    Plays,
    SseConnect,
    EventReceipt,
    Broadcast,
}

impl Op {
    const ALL: [Op; 9] = [
        Op::Enroll,
        Op::Manifest,
        Op::Manifest200,
        Op::Manifest304,
        Op::Heartbeat,
        Op::Plays,
        Op::SseConnect,
        Op::EventReceipt,
        Op::Broadcast,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::Enroll => "enroll",
            Op::Manifest => "manifest",
            Op::Manifest200 => "manifest_200",
            Op::Manifest304 => "manifest_304",
            Op::Heartbeat => "heartbeat",
            Op::Plays => "plays",
            Op::SseConnect => "sse_connect",
            Op::EventReceipt => "event_receipt",
            Op::Broadcast => "broadcast_post",
        }
    }
}

struct OpStats {
    /// Latencies of the successful requests, in microseconds.
    hist: Histogram<u64>,
    count: u64,
    errors: BTreeMap<String, u64>,
    /// One example message per error key.
    samples: BTreeMap<String, String>,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl OpStats {
    fn new() -> Self {
        OpStats {
            hist: new_histogram(),
            count: 0,
            errors: BTreeMap::new(),
            samples: BTreeMap::new(),
            first: None,
            last: None,
        }
    }

    fn span(&mut self, started: Instant, ended: Instant) {
        self.first = Some(self.first.map_or(started, |f| f.min(started)));
        self.last = Some(self.last.map_or(ended, |l| l.max(ended)));
    }

    fn error_total(&self) -> u64 {
        self.errors.values().sum()
    }

    /// Requests per second over the span from the first request to the last answer.
    fn span_rate(&self) -> f64 {
        let window = match (self.first, self.last) {
            (Some(f), Some(l)) => l - f,
            _ => Duration::ZERO,
        };
        self.count as f64 / window.as_secs_f64().max(0.001)
    }
}

#[derive(Default)]
struct PlayTotals {
    generated: AtomicU64,
    resent: AtomicU64,
    /// In a batch still waiting for its answer when the run stopped.
    unanswered: AtomicU64,
    accepted: AtomicU64,
    duplicates: AtomicU64,
    rejected: AtomicU64,
    rejected_codes: Mutex<BTreeMap<String, u64>>,
    skipped_no_content: AtomicU64,
}

struct Stats {
    ops: Vec<Mutex<OpStats>>,
    violations: Mutex<BTreeMap<String, u64>>,
    events: Mutex<BTreeMap<String, u64>>,
    plays: PlayTotals,
    broadcast_ok: AtomicU64,
    broadcast_mismatch: AtomicU64,
    broadcast_unverified: AtomicU64,
    mismatch_sample: Mutex<Option<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stats {
    fn new() -> Self {
        Stats {
            ops: Op::ALL.iter().map(|_| Mutex::new(OpStats::new())).collect(),
            violations: Mutex::new(BTreeMap::new()),
            events: Mutex::new(BTreeMap::new()),
            plays: PlayTotals::default(),
            broadcast_ok: AtomicU64::new(0),
            broadcast_mismatch: AtomicU64::new(0),
            broadcast_unverified: AtomicU64::new(0),
            mismatch_sample: Mutex::new(None),
        }
    }

    fn op(&self, op: Op) -> MutexGuard<'_, OpStats> {
        lock(&self.ops[op as usize])
    }

    fn ok(&self, op: Op, started: Instant) {
        let now = Instant::now();
        let mut s = self.op(op);
        s.count += 1;
        s.hist.saturating_record(micros(now - started));
        s.span(started, now);
    }

    fn err(&self, op: Op, started: Option<Instant>, key: String, sample: String) {
        let now = Instant::now();
        let mut s = self.op(op);
        s.count += 1;
        if let Some(t) = started {
            s.span(t, now);
        }
        s.samples.entry(key.clone()).or_insert(sample);
        *s.errors.entry(key).or_default() += 1;
    }

    fn transport_err(&self, op: Op, started: Instant, e: &reqwest::Error) {
        let key = if e.is_timeout() {
            "timeout"
        } else if e.is_connect() {
            "connect"
        } else if e.is_body() || e.is_decode() {
            "body"
        } else {
            "transport"
        };
        self.err(op, Some(started), key.into(), error_chain(e));
    }

    /// Count a non-success answer under `<status> <error code>`; checks the error body's shape.
    async fn http_err(&self, op: Op, started: Instant, resp: Response) {
        let status = resp.status();
        let body = resp.bytes().await.unwrap_or_default();
        let parsed = serde_json::from_slice::<Value>(&body).ok();
        let code = parsed.as_ref().and_then(|v| v.get("error")?.as_str().map(str::to_string));
        let has_message = parsed.as_ref().is_some_and(|v| v.get("message").is_some_and(Value::is_string));
        if code.is_none() || !has_message {
            self.violation(format!("{}: {} body is not {{\"error\", \"message\"}}", op.name(), status.as_u16()));
        }
        let key = format!("{} {}", status.as_u16(), code.as_deref().unwrap_or("-"));
        let sample = String::from_utf8_lossy(&body[..body.len().min(300)]).into_owned();
        self.err(op, Some(started), key, sample);
    }

    fn violation(&self, what: String) {
        *lock(&self.violations).entry(what).or_default() += 1;
    }

    fn event(&self, kind: &str) {
        let mut e = lock(&self.events);
        match e.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                e.insert(kind.to_string(), 1);
            }
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let _ = write!(s, ": {c}");
        cur = c.source();
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Shared state

struct Item {
    content_id: String,
    sha256: String,
    duration_s: u64,
}

#[derive(Default)]
struct ManifestState {
    etag: Option<HeaderValue>,
    version: Option<String>,
    items: Vec<Item>,
    interrupt_id: Option<String>,
}

struct Screen {
    auth: HeaderValue,
    enrolled_at: Instant,
    state: Mutex<ManifestState>,
    refetch: Notify,
    connected: AtomicBool,
    /// Its stream was connected when the broadcast was published.
    targeted: AtomicBool,
    /// Publish-to-receipt of the broadcast, in microseconds; `u64::MAX` until received.
    broadcast_us: AtomicU64,
    /// The next manifest fetch must show the broadcast's interrupt.
    broadcast_check: AtomicBool,
    next_play: AtomicUsize,
}

struct Shared {
    client: Client,
    /// Requests in flight besides the event streams, bounded so that the open-file limit is not
    /// hit: a request waits for a slot (counted) rather than fail with EMFILE.
    slots: Semaphore,
    slot_waits: AtomicU64,
    base: String,
    stats: Stats,
    stop: watch::Receiver<bool>,
    count: usize,
    plays_batch: usize,
    poll_interval: Option<Duration>,
    poll_only: bool,
    enroll_done: AtomicUsize,
    /// Enrolment answers 429 (each is retried).
    enroll_limited: AtomicU64,
    enrolled: AtomicUsize,
    connected: AtomicUsize,
    max_connected: AtomicUsize,
    screens: Mutex<Vec<Arc<Screen>>>,
    broadcast_t0: OnceLock<Instant>,
    broadcast_id: watch::Receiver<Option<String>>,
    broadcast_targeted: AtomicUsize,
    broadcast_received: AtomicUsize,
}

impl Shared {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    async fn slot(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        if let Ok(p) = self.slots.try_acquire() {
            return Some(p);
        }
        self.slot_waits.fetch_add(1, Relaxed);
        self.slots.acquire().await.ok()
    }
}

/// Run `f` unless the run stops first (then `None`: the request is abandoned, not counted).
async fn or_stop<F: Future>(stop: &mut watch::Receiver<bool>, f: F) -> Option<F::Output> {
    tokio::select! {
        biased;
        _ = stop.wait_for(|s| *s) => None,
        v = f => Some(v),
    }
}

/// Sleep; false if the run stopped meanwhile.
async fn sleep_or_stop(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    or_stop(stop, tokio::time::sleep(d)).await.is_some()
}

// ---------------------------------------------------------------------------------------------
// One screen

struct Enrolled {
    token: String,
    poll_interval_s: u64,
}

enum Enrolment {
    Done(Enrolled),
    /// 429: try again after this long (the code is still unused).
    Later(Duration),
    Failed,
}

async fn enroll(sh: &Shared, i: usize, code: &str) -> Enrolment {
    match enroll_once(sh, i, code).await {
        Ok(e) => Enrolment::Done(e),
        Err(Some(wait)) => Enrolment::Later(wait),
        Err(None) => Enrolment::Failed,
    }
}

/// `Err(Some(wait))`: rate-limited, retry after `wait`; `Err(None)`: failed for good.
async fn enroll_once(sh: &Shared, i: usize, code: &str) -> Result<Enrolled, Option<Duration>> {
    let body = json!({
        "code": code,
        "hardware_id": format!("loadgen-{i}"),
        "model": "kexie-loadgen",
        "resolution": "1920x1080",
        "app_version": APP_VERSION,
    });
    let t = Instant::now();
    let resp = match sh.client.post(sh.url("/api/device/v1/enroll")).json(&body).timeout(REQUEST_TIMEOUT).send().await {
        Ok(r) => r,
        Err(e) => {
            sh.stats.transport_err(Op::Enroll, t, &e);
            return Err(None);
        }
    };
    let status = resp.status();
    if !status.is_success() {
        let retry_after =
            resp.headers().get(reqwest::header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok());
        sh.stats.http_err(Op::Enroll, t, resp).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            sh.enroll_limited.fetch_add(1, Relaxed);
            let wait = Duration::from_secs(retry_after.unwrap_or(1).clamp(1, 60));
            return Err(Some(wait + jitter(Duration::from_millis(500))));
        }
        return Err(None);
    }
    if status != StatusCode::CREATED {
        sh.stats.violation(format!("enroll: success is {} (contract: 201)", status.as_u16()));
    }
    let v = match resp.json::<Value>().await {
        Ok(v) => v,
        Err(e) => {
            sh.stats.err(Op::Enroll, Some(t), format!("{} invalid_json", status.as_u16()), error_chain(&e));
            return Err(None);
        }
    };
    for field in ["device_id", "token", "station_id", "station_name"] {
        if !v.get(field).is_some_and(Value::is_string) {
            sh.stats.violation(format!("enroll: {field} missing or not a string"));
        }
    }
    let Some(token) = v.get("token").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
        sh.stats.err(Op::Enroll, Some(t), format!("{} no_token", status.as_u16()), v.to_string());
        return Err(None);
    };
    let poll_interval_s = match v.get("poll_interval_s").and_then(Value::as_u64) {
        Some(p) if p > 0 => p,
        _ => {
            sh.stats.violation("enroll: poll_interval_s missing or not a positive integer".into());
            60
        }
    };
    sh.stats.ok(Op::Enroll, t);
    Ok(Enrolled { token: token.to_string(), poll_interval_s })
}

async fn screen_task(sh: Arc<Shared>, i: usize, code: String, sem: Arc<Semaphore>) {
    let mut stop = sh.stop.clone();
    // Rate-limited enrolments (429) are tried again after Retry-After, the permit let go meanwhile.
    let enrolled = loop {
        let Some(Ok(permit)) = or_stop(&mut stop, sem.acquire()).await else { return };
        let r = or_stop(&mut stop, enroll(&sh, i, &code)).await;
        drop(permit);
        match r {
            Some(Enrolment::Later(wait)) => {
                if !sleep_or_stop(&mut stop, wait).await {
                    return;
                }
            }
            Some(Enrolment::Done(e)) => {
                sh.enroll_done.fetch_add(1, Relaxed);
                break e;
            }
            Some(Enrolment::Failed) | None => {
                sh.enroll_done.fetch_add(1, Relaxed);
                return;
            }
        }
    };
    let Ok(auth) = HeaderValue::from_str(&format!("Bearer {}", enrolled.token)) else {
        sh.stats.violation("enroll: token is not a valid header value".into());
        return;
    };
    let scr = Arc::new(Screen {
        auth,
        enrolled_at: Instant::now(),
        state: Mutex::new(ManifestState::default()),
        refetch: Notify::new(),
        connected: AtomicBool::new(false),
        targeted: AtomicBool::new(false),
        broadcast_us: AtomicU64::new(u64::MAX),
        broadcast_check: AtomicBool::new(false),
        next_play: AtomicUsize::new(i),
    });
    lock(&sh.screens).push(scr.clone());
    sh.enrolled.fetch_add(1, Relaxed);
    if sh.poll_only {
        poll_only_loop(&sh, &scr, stop).await;
        return;
    }
    let interval = sh.poll_interval.unwrap_or(Duration::from_secs(enrolled.poll_interval_s));
    tokio::join!(
        sse_loop(&sh, &scr, sh.stop.clone()),
        manifest_loop(&sh, &scr, interval, sh.stop.clone()),
        heartbeat_loop(&sh, &scr, interval, sh.stop.clone()),
        plays_loop(&sh, &scr, interval, sh.stop.clone()),
    );
}

/// GET the manifest with If-None-Match; true if it answered 200 or 304.
async fn fetch_manifest(sh: &Shared, scr: &Screen) -> bool {
    let etag = lock(&scr.state).etag.clone();
    let mut rb = sh.client.get(sh.url("/api/device/v1/manifest")).header(AUTHORIZATION, &scr.auth);
    if let Some(e) = &etag {
        rb = rb.header(IF_NONE_MATCH, e.clone());
    }
    let _slot = sh.slot().await;
    let t = Instant::now();
    let resp = match rb.timeout(REQUEST_TIMEOUT).send().await {
        Ok(r) => r,
        Err(e) => {
            sh.stats.transport_err(Op::Manifest, t, &e);
            return false;
        }
    };
    match resp.status() {
        StatusCode::NOT_MODIFIED => {
            let body = resp.bytes().await;
            if etag.is_none() {
                sh.stats.violation("manifest: 304 to a request without If-None-Match".into());
            }
            if body.as_ref().is_ok_and(|b| !b.is_empty()) {
                sh.stats.violation("manifest: 304 with a body".into());
            }
            sh.stats.ok(Op::Manifest, t);
            sh.stats.ok(Op::Manifest304, t);
            true
        }
        StatusCode::OK => {
            let header_etag = resp.headers().get(ETAG).cloned();
            let body = match resp.bytes().await {
                Ok(b) => b,
                Err(e) => {
                    sh.stats.transport_err(Op::Manifest, t, &e);
                    return false;
                }
            };
            let v = match serde_json::from_slice::<Value>(&body) {
                Ok(v) => v,
                Err(e) => {
                    sh.stats.err(Op::Manifest, Some(t), "200 invalid_json".into(), e.to_string());
                    return false;
                }
            };
            sh.stats.ok(Op::Manifest, t);
            sh.stats.ok(Op::Manifest200, t);
            apply_manifest(sh, scr, &v, header_etag);
            true
        }
        s if s.is_success() => {
            sh.stats.violation(format!("manifest: success is {} (contract: 200 or 304)", s.as_u16()));
            sh.stats.err(Op::Manifest, Some(t), format!("{} unexpected", s.as_u16()), String::new());
            false
        }
        _ => {
            sh.stats.http_err(Op::Manifest, t, resp).await;
            false
        }
    }
}

/// Keep what the screen needs from a 200 manifest; note where it departs from the contract.
fn apply_manifest(sh: &Shared, scr: &Screen, v: &Value, etag: Option<HeaderValue>) {
    let version = v.get("version").and_then(Value::as_str).map(str::to_string);
    if version.is_none() {
        sh.stats.violation("manifest: version missing or not a string".into());
    }
    match (&etag, &version) {
        (None, _) => sh.stats.violation("manifest: 200 without ETag".into()),
        (Some(e), Some(ver)) if e.as_bytes() != format!("\"{ver}\"").as_bytes() => {
            sh.stats.violation("manifest: ETag is not \"<version>\"".into());
        }
        _ => {}
    }
    let mut items = Vec::new();
    for it in v.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default() {
        let content_id = it.get("content_id").and_then(Value::as_str);
        let sha256 = it.get("sha256").and_then(Value::as_str);
        match (content_id, sha256) {
            (Some(c), Some(s)) => items.push(Item {
                content_id: c.to_string(),
                sha256: s.to_string(),
                duration_s: it.get("duration_s").and_then(Value::as_u64).unwrap_or(30),
            }),
            _ => sh.stats.violation("manifest: item without string content_id and sha256".into()),
        }
    }
    if !v.get("items").is_some_and(Value::is_array) {
        sh.stats.violation("manifest: items missing or not an array".into());
    }
    let interrupt_id = match v.get("interrupt") {
        Some(Value::Null) => None,
        Some(i) => {
            let id = i.get("interrupt_id").and_then(Value::as_str).map(str::to_string);
            if id.is_none() {
                sh.stats.violation("manifest: interrupt without a string interrupt_id".into());
            }
            id
        }
        None => {
            sh.stats.violation("manifest: interrupt field missing (contract: null when none)".into());
            None
        }
    };
    let mut st = lock(&scr.state);
    st.etag = etag;
    st.version = version;
    st.items = items;
    st.interrupt_id = interrupt_id;
}

/// After the broadcast reached this screen's stream: its manifest must carry that interrupt.
async fn verify_broadcast(sh: &Shared, scr: &Screen) {
    let mut rx = sh.broadcast_id.clone();
    let id = match tokio::time::timeout(BROADCAST_WATCH, rx.wait_for(Option::is_some)).await {
        Ok(Ok(v)) => v.clone(),
        _ => None,
    };
    let Some(id) = id else {
        sh.stats.broadcast_unverified.fetch_add(1, Relaxed);
        return;
    };
    let got = lock(&scr.state).interrupt_id.clone();
    if got.as_deref() == Some(id.as_str()) {
        sh.stats.broadcast_ok.fetch_add(1, Relaxed);
    } else {
        sh.stats.broadcast_mismatch.fetch_add(1, Relaxed);
        lock(&sh.stats.mismatch_sample)
            .get_or_insert_with(|| format!("expected interrupt_id {id:?}, manifest has {got:?}"));
    }
}

/// Fetch at once, then every interval on the screen's own jittered cadence, and besides whenever
/// the stream or a heartbeat says the manifest changed. Those extra fetches leave the cadence
/// alone: otherwise every screen would poll in step after a broadcast.
async fn manifest_loop(sh: &Shared, scr: &Screen, interval: Duration, mut stop: watch::Receiver<bool>) {
    let mut next_poll = tokio::time::Instant::now() + jitter(interval);
    loop {
        let check = scr.broadcast_check.swap(false, Relaxed);
        let Some(fetched) = or_stop(&mut stop, fetch_manifest(sh, scr)).await else { return };
        let mut retry_at = None;
        if check && !fetched {
            // The check needs a manifest fetched after the event: try again shortly.
            scr.broadcast_check.store(true, Relaxed);
            retry_at = Some(tokio::time::Instant::now() + Duration::from_millis(500) + jitter(Duration::from_secs(1)));
        } else if check && or_stop(&mut stop, verify_broadcast(sh, scr)).await.is_none() {
            return;
        }
        let now = tokio::time::Instant::now();
        while next_poll <= now {
            next_poll += interval;
        }
        let wake = retry_at.map_or(next_poll, |r| r.min(next_poll));
        tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => return,
            _ = scr.refetch.notified() => {}
            _ = tokio::time::sleep_until(wake) => {}
        }
    }
}

async fn poll_only_loop(sh: &Shared, scr: &Screen, mut stop: watch::Receiver<bool>) {
    loop {
        match or_stop(&mut stop, fetch_manifest(sh, scr)).await {
            None => return,
            Some(true) => tokio::task::yield_now().await,
            // Do not spin on a refusing server.
            Some(false) => {
                if !sleep_or_stop(&mut stop, Duration::from_millis(100)).await {
                    return;
                }
            }
        }
    }
}

async fn heartbeat_loop(sh: &Shared, scr: &Screen, interval: Duration, mut stop: watch::Receiver<bool>) {
    if !sleep_or_stop(&mut stop, jitter(interval)).await {
        return;
    }
    loop {
        let body = {
            let st = lock(&scr.state);
            st.version.as_ref().map(|v| {
                json!({
                    "manifest_version": v,
                    "cached": st.items.iter().map(|i| i.sha256.as_str()).collect::<Vec<_>>(),
                    "playing": st.items.first().map(|i| i.content_id.as_str()),
                    "free_disk_mb": 5120,
                    "uptime_s": scr.enrolled_at.elapsed().as_secs(),
                    "app_version": APP_VERSION,
                })
            })
        };
        // No heartbeat before the first manifest: there is no version to acknowledge yet.
        if let Some(body) = body
            && or_stop(&mut stop, heartbeat(sh, scr, body)).await.is_none()
        {
            return;
        }
        if !sleep_or_stop(&mut stop, interval).await {
            return;
        }
    }
}

async fn heartbeat(sh: &Shared, scr: &Screen, body: Value) {
    let _slot = sh.slot().await;
    let t = Instant::now();
    let req = sh.client.post(sh.url("/api/device/v1/heartbeat")).header(AUTHORIZATION, &scr.auth).json(&body);
    let resp = match req.timeout(REQUEST_TIMEOUT).send().await {
        Ok(r) => r,
        Err(e) => return sh.stats.transport_err(Op::Heartbeat, t, &e),
    };
    let status = resp.status();
    if !status.is_success() {
        return sh.stats.http_err(Op::Heartbeat, t, resp).await;
    }
    if status != StatusCode::OK {
        sh.stats.violation(format!("heartbeat: success is {} (contract: 200)", status.as_u16()));
    }
    match resp.json::<Value>().await {
        Ok(v) => {
            sh.stats.ok(Op::Heartbeat, t);
            if !v.get("server_time").is_some_and(Value::is_string) {
                sh.stats.violation("heartbeat: server_time missing".into());
            }
            match v.get("manifest_version").and_then(Value::as_str) {
                None => sh.stats.violation("heartbeat: manifest_version missing".into()),
                Some(current) => {
                    if lock(&scr.state).version.as_deref() != Some(current) {
                        scr.refetch.notify_one();
                    }
                }
            }
        }
        Err(e) => sh.stats.err(Op::Heartbeat, Some(t), format!("{} invalid_json", status.as_u16()), error_chain(&e)),
    }
}

/// A batch of plays of the manifest's items; `None` if there is no manifest yet or it lists no
/// content (counted).
fn make_batch(sh: &Shared, scr: &Screen) -> Option<Vec<Value>> {
    let st = lock(&scr.state);
    if st.items.is_empty() {
        if st.version.is_some() {
            sh.stats.plays.skipped_no_content.fetch_add(1, Relaxed);
        }
        return None;
    }
    let now = chrono::Utc::now();
    let batch = (0..sh.plays_batch)
        .map(|_| {
            let item = &st.items[scr.next_play.fetch_add(1, Relaxed) % st.items.len()];
            let secs = i64::try_from(item.duration_s).unwrap_or(30);
            let started = now - chrono::Duration::seconds(secs);
            json!({
                "play_id": uuid_v4(),
                "content_id": item.content_id,
                "schedule_id": null,
                "interrupt_id": null,
                "started_at": started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "duration_ms": item.duration_s * 1000,
                "completed": true,
            })
        })
        .collect::<Vec<_>>();
    sh.stats.plays.generated.fetch_add(batch.len() as u64, Relaxed);
    Some(batch)
}

async fn plays_loop(sh: &Shared, scr: &Screen, interval: Duration, mut stop: watch::Receiver<bool>) {
    if !sleep_or_stop(&mut stop, jitter(interval)).await {
        return;
    }
    // A batch that failed in transit or with a 5xx is sent again, same play_ids, as a player would.
    let mut pending: Option<Vec<Value>> = None;
    loop {
        let batch = match pending.take() {
            Some(b) => {
                sh.stats.plays.resent.fetch_add(b.len() as u64, Relaxed);
                Some(b)
            }
            None => make_batch(sh, scr),
        };
        if let Some(batch) = batch {
            match or_stop(&mut stop, post_plays(sh, scr, &batch)).await {
                None => {
                    sh.stats.plays.unanswered.fetch_add(batch.len() as u64, Relaxed);
                    return;
                }
                Some(true) => pending = Some(batch),
                Some(false) => {}
            }
        }
        if !sleep_or_stop(&mut stop, interval).await {
            return;
        }
    }
}

/// POST one batch; true if it should be sent again (transport failure or 5xx).
async fn post_plays(sh: &Shared, scr: &Screen, batch: &[Value]) -> bool {
    let _slot = sh.slot().await;
    let t = Instant::now();
    let req =
        sh.client.post(sh.url("/api/device/v1/plays")).header(AUTHORIZATION, &scr.auth).json(&json!({"plays": batch}));
    let resp = match req.timeout(REQUEST_TIMEOUT).send().await {
        Ok(r) => r,
        Err(e) => {
            sh.stats.transport_err(Op::Plays, t, &e);
            return true;
        }
    };
    let status = resp.status();
    if !status.is_success() {
        sh.stats.http_err(Op::Plays, t, resp).await;
        return status.is_server_error();
    }
    if status != StatusCode::OK {
        sh.stats.violation(format!("plays: success is {} (contract: 200)", status.as_u16()));
    }
    let v = match resp.json::<Value>().await {
        Ok(v) => v,
        Err(e) => {
            sh.stats.err(Op::Plays, Some(t), format!("{} invalid_json", status.as_u16()), error_chain(&e));
            return true;
        }
    };
    sh.stats.ok(Op::Plays, t);
    let p = &sh.stats.plays;
    let accepted = v.get("accepted").and_then(Value::as_u64);
    let duplicates = v.get("duplicates").and_then(Value::as_u64);
    let rejected = v.get("rejected").and_then(Value::as_array);
    let (Some(accepted), Some(duplicates), Some(rejected)) = (accepted, duplicates, rejected) else {
        sh.stats.violation("plays: answer lacks accepted, duplicates or rejected".into());
        return false;
    };
    p.accepted.fetch_add(accepted, Relaxed);
    p.duplicates.fetch_add(duplicates, Relaxed);
    p.rejected.fetch_add(rejected.len() as u64, Relaxed);
    if !rejected.is_empty() {
        let mut codes = lock(&p.rejected_codes);
        for r in rejected {
            let code = r.get("error").and_then(Value::as_str).unwrap_or("-").to_string();
            *codes.entry(code).or_default() += 1;
        }
    }
    if accepted + duplicates + rejected.len() as u64 != batch.len() as u64 {
        sh.stats.violation("plays: accepted + duplicates + rejected differs from the batch size".into());
    }
    false
}

enum StreamEnd {
    Stopped,
    Ended,
    Failed(String),
}

/// Hold the event stream; reconnect after a failure with a short jittered pause.
async fn sse_loop(sh: &Shared, scr: &Screen, mut stop: watch::Receiver<bool>) {
    loop {
        let t = Instant::now();
        let req = sh
            .client
            .get(sh.url("/api/device/v1/events"))
            .header(AUTHORIZATION, &scr.auth)
            .header(ACCEPT, "text/event-stream");
        let Some(r) = or_stop(&mut stop, req.send()).await else { return };
        match r {
            Err(e) => sh.stats.transport_err(Op::SseConnect, t, &e),
            Ok(resp) if resp.status() == StatusCode::OK => {
                let ct = resp.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
                if !ct.starts_with("text/event-stream") {
                    sh.stats.violation(format!("events: Content-Type {ct:?} (contract: text/event-stream)"));
                }
                sh.stats.ok(Op::SseConnect, t);
                scr.connected.store(true, Relaxed);
                let now = sh.connected.fetch_add(1, Relaxed) + 1;
                sh.max_connected.fetch_max(now, Relaxed);
                let end = read_stream(sh, scr, resp, &mut stop).await;
                scr.connected.store(false, Relaxed);
                sh.connected.fetch_sub(1, Relaxed);
                match end {
                    StreamEnd::Stopped => return,
                    StreamEnd::Ended => sh.stats.err(Op::SseConnect, None, "stream ended".into(), String::new()),
                    StreamEnd::Failed(e) => sh.stats.err(Op::SseConnect, None, "stream error".into(), e),
                }
            }
            Ok(resp) => sh.stats.http_err(Op::SseConnect, t, resp).await,
        }
        let pause = Duration::from_millis(1000) + jitter(Duration::from_millis(2000));
        if !sleep_or_stop(&mut stop, pause).await {
            return;
        }
    }
}

async fn read_stream(sh: &Shared, scr: &Screen, mut resp: Response, stop: &mut watch::Receiver<bool>) -> StreamEnd {
    let mut parser = SseParser::default();
    let mut events = Vec::new();
    loop {
        let next = tokio::select! {
            biased;
            _ = stop.wait_for(|s| *s) => return StreamEnd::Stopped,
            r = tokio::time::timeout(SSE_SILENCE, resp.chunk()) => r,
        };
        match next {
            Err(_) => {
                sh.stats.violation(format!(
                    "events: silent for {} s (contract: ping at least every 25 s)",
                    SSE_SILENCE.as_secs()
                ));
            }
            Ok(Ok(Some(bytes))) => {
                let received = Instant::now();
                parser.feed(&bytes, &mut events);
                for ev in events.drain(..) {
                    on_event(sh, scr, &ev, received);
                }
            }
            Ok(Ok(None)) => return StreamEnd::Ended,
            Ok(Err(e)) => return StreamEnd::Failed(error_chain(&e)),
        }
    }
}

fn on_event(sh: &Shared, scr: &Screen, ev: &SseEvent, received: Instant) {
    sh.stats.event(&ev.event);
    if ev.event != "manifest" {
        return;
    }
    {
        let mut s = sh.stats.op(Op::EventReceipt);
        s.count += 1;
        s.span(received, received);
    }
    let version = serde_json::from_str::<Value>(&ev.data)
        .ok()
        .and_then(|v| v.get("version").and_then(Value::as_str).map(str::to_string));
    if version.is_none() {
        sh.stats.violation("events: manifest event data is not {\"version\": \"…\"}".into());
    }
    let mut refetch = version.is_none() || lock(&scr.state).version != version;
    if let Some(&t0) = sh.broadcast_t0.get()
        && received >= t0
        && scr.targeted.load(Relaxed)
        && scr.broadcast_us.load(Relaxed) == u64::MAX
    {
        let us = micros(received - t0);
        if scr.broadcast_us.compare_exchange(u64::MAX, us, Relaxed, Relaxed).is_ok() {
            sh.broadcast_received.fetch_add(1, Relaxed);
            scr.broadcast_check.store(true, Relaxed);
            refetch = true;
        }
    }
    if refetch {
        scr.refetch.notify_one();
    }
}

// ---------------------------------------------------------------------------------------------
// Emergency broadcast

#[derive(Default)]
struct BroadcastOutcome {
    sent: bool,
    waited_s: f64,
    enrolled: usize,
    connected: usize,
    status: Option<u16>,
    interrupt_id: Option<String>,
    stations: Option<u64>,
    screens: Option<u64>,
    published_at: Option<String>,
    error: Option<String>,
}

async fn broadcast(
    sh: Arc<Shared>,
    token: String,
    content: String,
    not_before: Instant,
    give_up: Instant,
    id_tx: watch::Sender<Option<String>>,
) -> BroadcastOutcome {
    let mut stop = sh.stop.clone();
    let mut out = BroadcastOutcome::default();
    if or_stop(&mut stop, tokio::time::sleep_until(not_before.into())).await.is_none() {
        return out;
    }
    let wait_from = Instant::now();
    let mut last_note = Instant::now();
    loop {
        let done = sh.enroll_done.load(Relaxed) >= sh.count;
        let enrolled = sh.enrolled.load(Relaxed);
        let connected = sh.connected.load(Relaxed);
        if done && connected >= enrolled {
            break;
        }
        if Instant::now() >= give_up {
            eprintln!(
                "broadcast: waited long enough; {connected} of {enrolled} enrolled streams connected, \
                 {} of {} enrolments done — publishing anyway",
                sh.enroll_done.load(Relaxed),
                sh.count
            );
            break;
        }
        if last_note.elapsed() >= Duration::from_secs(5) {
            last_note = Instant::now();
            eprintln!(
                "broadcast: waiting for streams: {connected} of {enrolled} enrolled connected ({} of {} enrolments done)",
                sh.enroll_done.load(Relaxed),
                sh.count
            );
        }
        if !sleep_or_stop(&mut stop, Duration::from_millis(100)).await {
            return out;
        }
    }
    out.waited_s = wait_from.elapsed().as_secs_f64();
    let mut targeted = 0;
    for s in lock(&sh.screens).iter() {
        let c = s.connected.load(Relaxed);
        s.targeted.store(c, Relaxed);
        targeted += usize::from(c);
    }
    out.enrolled = sh.enrolled.load(Relaxed);
    out.connected = targeted;
    sh.broadcast_targeted.store(targeted, Relaxed);
    eprintln!(
        "broadcast: {targeted} of {} enrolled screens have their event stream connected; publishing",
        out.enrolled
    );
    let body = json!({"content_id": content, "target": "all", "minutes": 10});
    let req = sh.client.post(sh.url("/api/v1/estation/interrupts")).bearer_auth(&token).json(&body);
    let t0 = Instant::now();
    let _ = sh.broadcast_t0.set(t0);
    out.sent = true;
    let resp = match req.timeout(REQUEST_TIMEOUT).send().await {
        Ok(r) => r,
        Err(e) => {
            sh.stats.transport_err(Op::Broadcast, t0, &e);
            out.error = Some(error_chain(&e));
            return out;
        }
    };
    let status = resp.status();
    out.status = Some(status.as_u16());
    if !status.is_success() {
        let body = resp.text().await.unwrap_or_default();
        let code = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.get("error").and_then(Value::as_str).map(str::to_string));
        sh.stats.err(
            Op::Broadcast,
            Some(t0),
            format!("{} {}", status.as_u16(), code.as_deref().unwrap_or("-")),
            body.clone(),
        );
        out.error = Some(body);
        return out;
    }
    match resp.json::<Value>().await {
        Ok(v) => {
            sh.stats.ok(Op::Broadcast, t0);
            if status != StatusCode::CREATED {
                sh.stats.violation(format!("interrupts: success is {} (expected 201)", status.as_u16()));
            }
            out.interrupt_id = v.get("interrupt_id").and_then(Value::as_str).map(str::to_string);
            // The answer's reach: `stations`, or `screens` (with `switched`) as the server has it.
            out.stations = v.get("stations").and_then(Value::as_u64);
            out.screens = v.get("screens").and_then(Value::as_u64);
            out.published_at = v.get("published_at").and_then(Value::as_str).map(str::to_string);
            if out.interrupt_id.is_none() {
                sh.stats.violation("interrupts: answer without a string interrupt_id".into());
            }
            let _ = id_tx.send(out.interrupt_id.clone());
        }
        Err(e) => {
            sh.stats.err(Op::Broadcast, Some(t0), format!("{} invalid_json", status.as_u16()), error_chain(&e));
            out.error = Some(error_chain(&e));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The run

async fn screens(args: ScreensArgs) -> Result<()> {
    let cfg = validate(args)?;
    // An event stream and about one pooled connection per screen.
    let need = cfg.count as u64 * 2 + 256;
    let limit = raise_nofile_limit();
    match limit {
        Some(limit) if limit < need => eprintln!(
            "warning: the open-file limit is {limit}; {} screens need about {need} (raise the hard limit: ulimit -Hn)",
            cfg.count
        ),
        Some(limit) => eprintln!("open-file limit: {limit}"),
        None => eprintln!("warning: could not read the open-file limit"),
    }
    // What the event streams, the enrolments in flight and a margin leave of the open-file limit,
    // in thirds: a request holds a connection, may race a second one being opened (the pool
    // connects while it waits for an idle one), and idle pooled connections hold files too.
    let slots = match limit {
        Some(l) => (l.saturating_sub(cfg.count as u64 + 2 * cfg.concurrency as u64 + 256) / 3).max(64),
        None => 10_000,
    }
    .min(Semaphore::MAX_PERMITS as u64) as usize;
    // One client for every screen: HTTP/1.1 as a player speaks it, a pool as large as the
    // open-file limit allows.
    let client = Client::builder()
        .http1_only()
        .pool_max_idle_per_host(slots)
        .pool_idle_timeout(Duration::from_secs(90))
        .connect_timeout(Duration::from_secs(10))
        .tcp_nodelay(true)
        .user_agent(APP_VERSION)
        .build()
        .context("cannot build the HTTP client")?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let (id_tx, id_rx) = watch::channel(None);
    let sh = Arc::new(Shared {
        client,
        slots: Semaphore::new(slots),
        slot_waits: AtomicU64::new(0),
        base: cfg.base.clone(),
        stats: Stats::new(),
        stop: stop_rx,
        count: cfg.count,
        plays_batch: cfg.plays_batch,
        poll_interval: cfg.poll_interval,
        poll_only: cfg.poll_only,
        enroll_done: AtomicUsize::new(0),
        enroll_limited: AtomicU64::new(0),
        enrolled: AtomicUsize::new(0),
        connected: AtomicUsize::new(0),
        max_connected: AtomicUsize::new(0),
        screens: Mutex::new(Vec::with_capacity(cfg.count)),
        broadcast_t0: OnceLock::new(),
        broadcast_id: id_rx,
        broadcast_targeted: AtomicUsize::new(0),
        broadcast_received: AtomicUsize::new(0),
    });
    eprintln!(
        "loadgen: {} screens against {} for {} s{}; at most {slots} requests in flight besides event streams",
        cfg.count,
        cfg.base,
        cfg.duration.as_secs(),
        if cfg.poll_only { " (manifest polls only)" } else { "" }
    );
    let start = Instant::now();
    let deadline = start + cfg.duration;
    let sem = Arc::new(Semaphore::new(cfg.concurrency));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, code) in cfg.codes.iter().enumerate() {
        tasks.spawn(screen_task(sh.clone(), i, code.clone(), sem.clone()));
    }
    let bcast = cfg.broadcast.clone().map(|(token, content, after)| {
        tokio::spawn(broadcast(sh.clone(), token, content, start + after, deadline - BROADCAST_WINDOW, id_tx))
    });

    // Progress on stderr until the end. Past the deadline the run goes on only while a published
    // broadcast has not yet reached (and been checked by) every targeted screen, at most until
    // BROADCAST_WATCH after publishing.
    let mut enrolled_at: Option<Duration> = None;
    let mut last_note = Instant::now();
    let mut noted_overtime = false;
    loop {
        let now = Instant::now();
        if now >= deadline {
            let Some(&t0) = sh.broadcast_t0.get() else { break };
            let s = &sh.stats;
            let checked = s.broadcast_ok.load(Relaxed)
                + s.broadcast_mismatch.load(Relaxed)
                + s.broadcast_unverified.load(Relaxed);
            if now >= t0 + BROADCAST_WATCH || checked >= sh.broadcast_targeted.load(Relaxed) as u64 {
                break;
            }
            if !std::mem::replace(&mut noted_overtime, true) {
                eprintln!(
                    "[{:>5.1}s] past the duration: waiting (at most {} s after publishing) for the broadcast to reach every screen",
                    start.elapsed().as_secs_f64(),
                    BROADCAST_WATCH.as_secs()
                );
            }
        }
        let end = if now < deadline { deadline } else { now + Duration::from_millis(100) };
        if enrolled_at.is_none() && sh.enroll_done.load(Relaxed) >= cfg.count {
            enrolled_at = Some(start.elapsed());
            eprintln!(
                "[{:>5.1}s] enrolment done: {} of {} enrolled",
                start.elapsed().as_secs_f64(),
                sh.enrolled.load(Relaxed),
                cfg.count
            );
        }
        if last_note.elapsed() >= Duration::from_secs(5) {
            last_note = now;
            eprintln!("{}", progress_line(&sh, start));
        }
        tokio::time::sleep((end - now).min(Duration::from_millis(100))).await;
    }
    let connected_at_end = sh.connected.load(Relaxed);
    let elapsed = start.elapsed();
    let _ = stop_tx.send(true);
    let drained =
        tokio::time::timeout(Duration::from_secs(15), async { while tasks.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tasks.abort_all();
    }
    let outcome = match bcast {
        Some(h) => Some(h.await.unwrap_or_default()),
        None => None,
    };
    let report = Report { cfg: &cfg, sh: &sh, elapsed, enrolled_at, connected_at_end, broadcast: outcome.as_ref() };
    if cfg.json {
        println!("{}", serde_json::to_string_pretty(&report.json())?);
    } else {
        print!("{}", report.text());
    }
    Ok(())
}

fn progress_line(sh: &Shared, start: Instant) -> String {
    let s = &sh.stats;
    let errors: u64 = Op::ALL.iter().map(|&op| s.op(op).error_total()).sum();
    format!(
        "[{:>5.1}s] enrolled {}/{} · streams {} · manifest 200 {} / 304 {} · heartbeats {} · play batches {} · errors {}",
        start.elapsed().as_secs_f64(),
        sh.enrolled.load(Relaxed),
        sh.count,
        sh.connected.load(Relaxed),
        s.op(Op::Manifest200).count,
        s.op(Op::Manifest304).count,
        s.op(Op::Heartbeat).count,
        s.op(Op::Plays).count,
        errors
    )
}

// ---------------------------------------------------------------------------------------------
// Report

struct Report<'a> {
    cfg: &'a Config,
    sh: &'a Shared,
    elapsed: Duration,
    enrolled_at: Option<Duration>,
    connected_at_end: usize,
    broadcast: Option<&'a BroadcastOutcome>,
}

struct BroadcastReceipt {
    targeted: usize,
    /// Received within BROADCAST_WINDOW of publishing.
    within: usize,
    /// Received later, before the run ended.
    late: usize,
    never: usize,
    hist: Histogram<u64>,
}

impl Report<'_> {
    fn ops(&self) -> Vec<Op> {
        Op::ALL
            .into_iter()
            .filter(|&op| match op {
                Op::Enroll | Op::Manifest | Op::Manifest200 | Op::Manifest304 => true,
                Op::Broadcast => self.broadcast.is_some_and(|b| b.sent),
                _ => !self.cfg.poll_only,
            })
            .collect()
    }

    /// Requests per second: enrolment (and, polling alone, the manifest loop) over its own span
    /// from first request to last answer; the steady operations over the whole run.
    fn rate(&self, op: Op, o: &OpStats) -> Option<f64> {
        match op {
            Op::Broadcast => None,
            Op::Enroll => Some(o.span_rate()),
            Op::Manifest | Op::Manifest200 | Op::Manifest304 if self.cfg.poll_only => Some(o.span_rate()),
            _ => Some(o.count as f64 / self.elapsed.as_secs_f64().max(0.001)),
        }
    }

    fn receipt(&self) -> BroadcastReceipt {
        let mut r = BroadcastReceipt { targeted: 0, within: 0, late: 0, never: 0, hist: new_histogram() };
        for s in lock(&self.sh.screens).iter() {
            if !s.targeted.load(Relaxed) {
                continue;
            }
            r.targeted += 1;
            let us = s.broadcast_us.load(Relaxed);
            if us != u64::MAX {
                r.hist.saturating_record(us);
            }
            if us <= micros(BROADCAST_WINDOW) {
                r.within += 1;
            } else if us == u64::MAX {
                r.never += 1;
            } else {
                r.late += 1;
            }
        }
        r
    }

    fn json(&self) -> Value {
        let s = &self.sh.stats;
        let mut ops = serde_json::Map::new();
        let receipt = self.receipt();
        for op in self.ops() {
            let o = s.op(op);
            let p = percentiles(if op == Op::EventReceipt { &receipt.hist } else { &o.hist });
            ops.insert(
                op.name().into(),
                json!({
                    "count": o.count,
                    "ok": o.count - o.error_total(),
                    "errors": o.errors,
                    "error_samples": o.samples,
                    "p50_ms": p.map(|p| p.p50), "p90_ms": p.map(|p| p.p90),
                    "p99_ms": p.map(|p| p.p99), "max_ms": p.map(|p| p.max),
                    "per_s": self.rate(op, &o),
                }),
            );
        }
        let p = &s.plays;
        let broadcast = self.broadcast.map(|b| {
            let r = self.receipt();
            let pc = percentiles(&r.hist);
            json!({
                "sent": b.sent, "waited_for_streams_s": b.waited_s, "enrolled": b.enrolled,
                "targeted": r.targeted, "status": b.status, "interrupt_id": b.interrupt_id,
                "stations": b.stations, "screens": b.screens, "published_at": b.published_at, "error": b.error,
                "received_within_10s": r.within, "received_later": r.late, "never_received": r.never,
                "not_received_within_10s": r.late + r.never,
                "p50_ms": pc.map(|p| p.p50), "p90_ms": pc.map(|p| p.p90),
                "p99_ms": pc.map(|p| p.p99), "max_ms": pc.map(|p| p.max),
                "manifest_check_ok": s.broadcast_ok.load(Relaxed),
                "manifest_check_mismatch": s.broadcast_mismatch.load(Relaxed),
                "manifest_check_unverified": s.broadcast_unverified.load(Relaxed),
                "mismatch_sample": *lock(&s.mismatch_sample),
            })
        });
        json!({
            "url": self.cfg.base,
            "screens": self.cfg.count,
            "duration_s": self.cfg.duration.as_secs(),
            "poll_only": self.cfg.poll_only,
            "elapsed_s": self.elapsed.as_secs_f64(),
            "enrolled": self.sh.enrolled.load(Relaxed),
            "enrolment_s": self.enrolled_at.map(|d| d.as_secs_f64()),
            "sse_connected_at_end": self.connected_at_end,
            "sse_connected_max": self.sh.max_connected.load(Relaxed),
            "request_slot_waits": self.sh.slot_waits.load(Relaxed),
            "enroll_rate_limited": self.sh.enroll_limited.load(Relaxed),
            "operations": ops,
            "events": *lock(&s.events),
            "plays": {
                "sent": p.generated.load(Relaxed),
                "resent": p.resent.load(Relaxed),
                "unanswered_at_stop": p.unanswered.load(Relaxed),
                "accepted": p.accepted.load(Relaxed),
                "duplicates": p.duplicates.load(Relaxed),
                "rejected": p.rejected.load(Relaxed),
                "rejected_by_code": *lock(&p.rejected_codes),
                "batches_skipped_no_content": p.skipped_no_content.load(Relaxed),
            },
            "broadcast": broadcast,
            "contract_deviations": *lock(&s.violations),
        })
    }

    fn text(&self) -> String {
        let s = &self.sh.stats;
        let mut t = String::new();
        let _ = writeln!(
            t,
            "kexie loadgen screens: {} screens against {} for {:.1} s{}",
            self.cfg.count,
            self.cfg.base,
            self.elapsed.as_secs_f64(),
            if self.cfg.poll_only { " (manifest polls only)" } else { "" }
        );
        let _ = writeln!(
            t,
            "enrolled {} of {}{}; event streams connected at the end: {} (most at once: {})",
            self.sh.enrolled.load(Relaxed),
            self.cfg.count,
            self.enrolled_at.map(|d| format!(" in {:.1} s", d.as_secs_f64())).unwrap_or_default(),
            self.connected_at_end,
            self.sh.max_connected.load(Relaxed),
        );
        let _ = writeln!(
            t,
            "\n{:<15} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>10}",
            "operation", "count", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "per s"
        );
        let mut error_lines = Vec::new();
        let receipt = self.receipt();
        for op in self.ops() {
            let o = s.op(op);
            let cell = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into());
            let p = percentiles(if op == Op::EventReceipt { &receipt.hist } else { &o.hist });
            let _ = writeln!(
                t,
                "{:<15} {:>9} {:>7} {:>9} {:>9} {:>9} {:>9} {:>10}",
                op.name(),
                o.count,
                o.error_total(),
                cell(p.map(|p| p.p50)),
                cell(p.map(|p| p.p90)),
                cell(p.map(|p| p.p99)),
                cell(p.map(|p| p.max)),
                cell(self.rate(op, &o))
            );
            for (k, n) in &o.errors {
                let sample = o.samples.get(k).filter(|x| !x.is_empty());
                error_lines.push(format!(
                    "  {:<15} {k}: {n}{}",
                    op.name(),
                    sample.map(|x| format!("  (e.g. {})", x.replace('\n', " "))).unwrap_or_default()
                ));
            }
        }
        if !self.cfg.poll_only {
            let _ = writeln!(
                t,
                "(manifest = all manifest requests; event_receipt counts manifest events, its latencies are broadcast publish→receipt)"
            );
        }
        if !error_lines.is_empty() {
            let _ = writeln!(t, "\nerrors:");
            for l in error_lines {
                let _ = writeln!(t, "{l}");
            }
        }
        let limited = self.sh.enroll_limited.load(Relaxed);
        if limited > 0 {
            let _ = writeln!(
                t,
                "\nthe server rate-limited {limited} enrolments (429, retried after Retry-After); for a load test raise \
                 its limit, e.g. KEXIE_ENROLL_BURST=20000 KEXIE_ENROLL_PER_MINUTE=1000000 kexie serve"
            );
        }
        let waits = self.sh.slot_waits.load(Relaxed);
        if waits > 0 {
            let _ = writeln!(
                t,
                "\n{waits} requests waited for a slot: the open-file limit caps requests in flight (latencies exclude that wait)"
            );
        }
        if !self.cfg.poll_only {
            let events = lock(&s.events);
            let list: Vec<String> = events.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = writeln!(t, "\nevents received: {}", if list.is_empty() { "none".into() } else { list.join(", ") });
            let p = &s.plays;
            let _ = writeln!(
                t,
                "plays: sent {} (resent {}; unanswered when the run stopped {}), accepted {}, duplicates {}, rejected {}{}",
                p.generated.load(Relaxed),
                p.resent.load(Relaxed),
                p.unanswered.load(Relaxed),
                p.accepted.load(Relaxed),
                p.duplicates.load(Relaxed),
                p.rejected.load(Relaxed),
                {
                    let codes = lock(&p.rejected_codes);
                    if codes.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", codes.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", "))
                    }
                }
            );
            let skipped = p.skipped_no_content.load(Relaxed);
            if skipped > 0 {
                let _ = writeln!(t, "  {skipped} play batches not sent: the manifest listed no content");
            }
        }
        if let Some(b) = self.broadcast {
            let _ = writeln!(t, "\nbroadcast:");
            if !b.sent {
                let _ = writeln!(t, "  not published (the run stopped first)");
            } else {
                let r = self.receipt();
                let _ = writeln!(
                    t,
                    "  published {:.1} s after --broadcast-after (waiting for streams); {} of {} enrolled screens connected",
                    b.waited_s, r.targeted, b.enrolled
                );
                let _ = writeln!(
                    t,
                    "  POST /api/v1/estation/interrupts → {}; interrupt_id {}, stations {}, screens {}, published_at {}",
                    b.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".into()),
                    b.interrupt_id.as_deref().unwrap_or("-"),
                    b.stations.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    b.screens.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
                    b.published_at.as_deref().unwrap_or("-"),
                );
                if let Some(e) = &b.error {
                    let _ = writeln!(t, "  error: {e}");
                }
                match percentiles(&r.hist) {
                    Some(p) => {
                        let _ = writeln!(
                            t,
                            "  publish→receipt ms: p50 {:.1}, p90 {:.1}, p99 {:.1}, max {:.1}",
                            p.p50, p.p90, p.p99, p.max
                        );
                    }
                    None => {
                        let _ = writeln!(t, "  no screen received a manifest event after publishing");
                    }
                }
                let _ = writeln!(
                    t,
                    "  received within 10 s: {} of {}; not within 10 s: {} (of which later: {}, never: {})",
                    r.within,
                    r.targeted,
                    r.late + r.never,
                    r.late,
                    r.never
                );
                let _ = writeln!(
                    t,
                    "  manifest after the event shows the interrupt: {} ok, {} mismatches, {} unverified",
                    s.broadcast_ok.load(Relaxed),
                    s.broadcast_mismatch.load(Relaxed),
                    s.broadcast_unverified.load(Relaxed)
                );
                if let Some(m) = &*lock(&s.mismatch_sample) {
                    let _ = writeln!(t, "  e.g. {m}");
                }
            }
        }
        let v = lock(&s.violations);
        if !v.is_empty() {
            let _ = writeln!(t, "\ncontract deviations seen:");
            for (k, n) in v.iter() {
                let _ = writeln!(t, "  {k} ×{n}");
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed_all(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut p = SseParser::default();
        let mut out = Vec::new();
        for c in chunks {
            p.feed(c, &mut out);
        }
        out
    }

    fn ev(event: &str, data: &str) -> SseEvent {
        SseEvent { event: event.into(), data: data.into() }
    }

    #[test]
    fn sse_event_split_across_chunks() {
        let out = feed_all(&[b"event: man", b"ifest\ndata: {\"version\":", b" \"v2\"}\r", b"\n", b"\r\n"]);
        assert_eq!(out, vec![ev("manifest", "{\"version\": \"v2\"}")]);
    }

    #[test]
    fn sse_several_events_in_one_chunk_and_comments() {
        let out = feed_all(&[
            b": keep-alive\n\nevent: ping\ndata: {}\n\n:another\nevent: manifest\ndata:{\"version\":\"a\"}\n\ndata: x\n",
            b"data: y\n\n",
        ]);
        assert_eq!(out, vec![ev("ping", "{}"), ev("manifest", "{\"version\":\"a\"}"), ev("message", "x\ny")]);
    }

    #[test]
    fn sse_bare_cr_line_ends_and_typed_event_without_data() {
        let out = feed_all(&[b"event: ping\r\revent: manifest\rdata: 1\r", b"\r"]);
        assert_eq!(out, vec![ev("ping", ""), ev("manifest", "1")]);
        // Incomplete event: nothing yet.
        assert!(feed_all(&[b"event: manifest\ndata: 1\n"]).is_empty());
    }

    #[test]
    fn url_must_be_loopback() {
        assert_eq!(loopback_base("http://127.0.0.1:18556/").unwrap(), "http://127.0.0.1:18556");
        assert_eq!(loopback_base("http://localhost:8080").unwrap(), "http://localhost:8080");
        assert_eq!(loopback_base("http://[::1]:8080").unwrap(), "http://[::1]:8080");
        assert!(loopback_base("https://127.0.0.2").is_ok());
        for bad in [
            "http://10.0.0.1:8080",
            "http://example.com",
            "http://localhost.example.com",
            "http://[::ffff:127.0.0.1]/",
            "ftp://127.0.0.1",
            "127.0.0.1:8080",
            "http://user:pw@127.0.0.1/",
            "http://127.0.0.1/?x=1",
        ] {
            assert!(loopback_base(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn percentiles_of_a_uniform_spread() {
        let mut h = new_histogram();
        for ms in 1..=1000u64 {
            h.record(ms * 1000).unwrap();
        }
        let p = percentiles(&h).unwrap();
        let near = |a: f64, b: f64| (a - b).abs() <= b * 0.002;
        assert!(near(p.p50, 500.0), "{p:?}");
        assert!(near(p.p90, 900.0), "{p:?}");
        assert!(near(p.p99, 990.0), "{p:?}");
        assert!(near(p.max, 1000.0), "{p:?}");
        assert!(percentiles(&new_histogram()).is_none());
    }

    #[test]
    fn play_ids_are_uuid_v4() {
        let a = uuid_v4();
        assert_eq!(a.len(), 36);
        for (i, c) in a.chars().enumerate() {
            if [8, 13, 18, 23].contains(&i) {
                assert_eq!(c, '-', "{a}");
            } else {
                assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{a}");
            }
        }
        assert_eq!(&a[14..15], "4", "{a}");
        assert!("89ab".contains(&a[19..20]), "{a}");
        assert_ne!(a, uuid_v4());
    }

    #[test]
    fn codes_file_lines() {
        assert_eq!(parse_codes("K7Q2-9XMD\n\n  AB12-CD34 \r\n# note\n"), vec!["K7Q2-9XMD", "AB12-CD34"]);
    }
}
