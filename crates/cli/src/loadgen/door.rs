//! `kexie loadgen door`: a crowd arriving at an activity's door. Each person opens the door
//! page from the activity's QR code on their own phone (their own cookies and form token) and
//! checks in with their name and phone number; some tap the button twice at once, and the
//! second tap must be refused, not counted. Arrivals spread over the run with a peak in the
//! middle, as people arrive around the start of a lecture.
//!
//! Every outcome is counted by kind; the latency of the page and of the check-in are reported
//! separately. Whether the database holds exactly one check-in per person is for the caller to
//! check (bench/activity/door.sh reads the database after the run).

use super::{loopback_base, micros, new_histogram, percentiles};
use anyhow::{Context, Result, bail};
use clap::Args;
use hdrhistogram::Histogram;
use reqwest::Client;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Args)]
pub struct DoorArgs {
    /// Base URL of the server; loopback only (127.0.0.1, ::1, localhost).
    #[arg(long)]
    url: String,
    /// The activity's id (published, its check-in open).
    #[arg(long)]
    activity: i64,
    /// The activity's check-in key (the `k` of its door address).
    #[arg(long)]
    key: String,
    /// People arriving (1 to 100000).
    #[arg(long, default_value_t = 2000)]
    people: u32,
    /// Seconds over which they arrive.
    #[arg(long, default_value_t = 600)]
    duration: u64,
    /// Share of people who tap the check-in button twice at once.
    #[arg(long, default_value_t = 0.05)]
    double_tap: f64,
    /// The first phone number; person i uses this plus i.
    #[arg(long, default_value_t = 13_900_000_000)]
    first_phone: u64,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Default)]
struct Tally {
    page: Option<Histogram<u64>>,
    check_in: Option<Histogram<u64>>,
    /// Check-ins the server accepted.
    accepted: u64,
    /// Second taps refused as already checked in.
    refused_double: u64,
    /// Anything else, by a short description.
    errors: std::collections::BTreeMap<String, u64>,
}

impl Tally {
    fn error(&mut self, what: String) {
        *self.errors.entry(what).or_default() += 1;
    }
}

fn hidden(html: &str, name: &str) -> Option<String> {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle)? + needle.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

/// One tap of the button: status and whether the page says the person is in, or why not.
async fn tap(c: &Client, url: &str, form: &[(&str, String)]) -> Result<(u16, String, Duration)> {
    let t = Instant::now();
    let r = c.post(url).form(form).send().await?;
    let status = r.status().as_u16();
    let body = r.text().await?;
    Ok((status, body, t.elapsed()))
}

async fn person(base: String, id: i64, key: String, phone: u64, double: bool, tally: Arc<Mutex<Tally>>) {
    let c = match Client::builder().cookie_store(true).timeout(Duration::from_secs(30)).build() {
        Ok(c) => c,
        Err(e) => return tally.lock().expect("tally").error(format!("client: {e}")),
    };
    let t = Instant::now();
    let page = match c.get(format!("{base}/a/{id}/door?k={key}")).send().await {
        Ok(r) if r.status().is_success() => r.text().await.unwrap_or_default(),
        Ok(r) => return tally.lock().expect("tally").error(format!("door page {}", r.status().as_u16())),
        Err(e) => return tally.lock().expect("tally").error(format!("door page: {e}")),
    };
    let page_time = t.elapsed();
    let Some(token) = hidden(&page, "_csrf") else {
        return tally.lock().expect("tally").error("door page without a form token".into());
    };
    let form = [
        ("_csrf", token),
        ("k", key.clone()),
        ("name", format!("参会群众{:04}", phone % 10_000)),
        ("phone", phone.to_string()),
        ("action", "in".to_string()),
    ];
    let url = format!("{base}/a/{id}/door");
    let taps = if double {
        let (a, b) = tokio::join!(tap(&c, &url, &form), tap(&c, &url, &form));
        vec![a, b]
    } else {
        vec![tap(&c, &url, &form).await]
    };
    let mut t = tally.lock().expect("tally");
    t.page.get_or_insert_with(new_histogram).saturating_record(micros(page_time));
    for outcome in taps {
        match outcome {
            Ok((200, body, took)) if body.contains("data-door-done") => {
                t.accepted += 1;
                t.check_in.get_or_insert_with(new_histogram).saturating_record(micros(took));
            }
            Ok((422, body, took)) if body.contains("data-door-error") && double => {
                t.refused_double += 1;
                t.check_in.get_or_insert_with(new_histogram).saturating_record(micros(took));
            }
            Ok((status, _, _)) => t.error(format!("check-in {status}")),
            Err(e) => t.error(format!("check-in: {e}")),
        }
    }
}

pub async fn run(args: DoorArgs) -> Result<()> {
    let base = loopback_base(&args.url)?;
    if !(1..=100_000).contains(&args.people) {
        bail!("--people must be 1 to 100000");
    }
    if !(0.0..=1.0).contains(&args.double_tap) {
        bail!("--double-tap must be a share from 0 to 1");
    }
    let span = Duration::from_secs(args.duration.max(1));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.people as usize);
    let mut doubles = 0u64;
    for i in 0..args.people {
        // Two uniform draws averaged: arrivals peak in the middle of the span.
        let at = span.mul_f64((rand::random::<f64>() + rand::random::<f64>()) / 2.0);
        let double = rand::random::<f64>() < args.double_tap;
        doubles += u64::from(double);
        let (base, key, tally) = (base.clone(), args.key.clone(), tally.clone());
        let phone = args.first_phone + u64::from(i);
        tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + at)).await;
            person(base, args.activity, key, phone, double, tally).await;
        }));
    }
    for t in tasks {
        t.await.context("a person's task failed")?;
    }
    let elapsed = started.elapsed();
    let t = tally.lock().expect("tally");
    let check_in = t.check_in.as_ref().and_then(percentiles);
    let page = t.page.as_ref().and_then(percentiles);
    if args.json {
        let p = |x: Option<super::Percentiles>| {
            x.map(|p| serde_json::json!({ "p50_ms": p.p50, "p90_ms": p.p90, "p99_ms": p.p99, "max_ms": p.max }))
        };
        let report = serde_json::json!({
            "people": args.people,
            "double_taps": doubles,
            "seconds": elapsed.as_secs_f64(),
            "accepted": t.accepted,
            "refused_double": t.refused_double,
            "errors": t.errors,
            "check_in": p(check_in),
            "door_page": p(page),
        });
        println!("{report}");
        return Ok(());
    }
    println!("door load: {} people ({doubles} double taps) over {:.0} s", args.people, elapsed.as_secs_f64());
    println!("  check-ins accepted   {}", t.accepted);
    println!("  second taps refused  {}", t.refused_double);
    for (what, n) in &t.errors {
        println!("  error: {what}  ×{n}");
    }
    for (name, p) in [("check-in (POST)", check_in), ("door page (GET)", page)] {
        if let Some(p) = p {
            println!("  {name:<16} p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms", p.p50, p.p90, p.p99, p.max);
        }
    }
    Ok(())
}
