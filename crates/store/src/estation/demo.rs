//! Loads the demo e-station network (stations, groups, slides, schedule, one screen per
//! station) in the demo's transaction, and optionally writes the slides' files and a year of
//! proof of play: yesterday's plays one by one, played by the same rules screens follow, and
//! the daily rollup of every day of the year, yesterday's summed from those plays.

use super::play::day_number;
use crate::demo::insert_batches;
use crate::entity::{device, media, play, play_daily, screen_schedule, station, station_group, station_group_member};
use crate::{Result, audit};
use chrono::{Duration, Utc};
use kexie_core::demo::DemoDistrict;
use kexie_core::demo::estation::{DemoNetwork, HISTORY_DAYS, day_share};
use kexie_core::estation::manifest::{self, Media, Network, Place, Playing, Rule, Target};
use kexie_core::estation::play::Play;
use kexie_core::estation::proof;
use kexie_core::estation::station::opening;
use rand::{Rng, SeedableRng};
use sea_orm::{DatabaseTransaction, Set};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) const TABLES: [&str; 8] =
    ["station", "station_group", "station_group_member", "device", "media", "screen_schedule", "play", "play_daily"];

fn id(i: usize) -> i64 {
    i as i64 + 1
}

pub(crate) async fn load(
    txn: &DatabaseTransaction,
    _chain: &audit::Chain,
    d: &DemoDistrict,
    n: &DemoNetwork,
    media_dir: Option<&Path>,
    history: bool,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<()> {
    let t = crate::now();
    let shas: Vec<String> = n.media.iter().map(|m| hex::encode(Sha256::digest(m.html.as_bytes()))).collect();
    if let Some(dir) = media_dir {
        for (m, sha) in n.media.iter().zip(&shas) {
            super::write_media(dir, sha, m.html.as_bytes()).map_err(|e| crate::StoreError::Backup(e.to_string()))?;
        }
    }
    let rows = n.media.iter().zip(&shas).enumerate().map(|(i, (m, sha))| media::ActiveModel {
        id: Set(id(i)),
        sha256: Set(sha.clone()),
        title: Set(m.title.to_string()),
        media_type: Set("text/html".into()),
        size: Set(m.html.len() as i64),
        duration_s: Set(m.duration_s as i32),
        file_name: Set(format!("{}.html", m.title)),
        created_at: Set(t - Duration::days(HISTORY_DAYS + 30)),
    });
    insert_batches(txn, rows.collect(), progress, "media").await?;
    let rows = n.stations.iter().enumerate().map(|(i, s)| station::ActiveModel {
        id: Set(id(i)),
        org_id: Set(id(s.org)),
        lat: Set(Some(s.lat)),
        lng: Set(Some(s.lng)),
        hours: Set(s.hours.to_string()),
        audience_per_hour: Set(s.audience_per_hour),
        has_counter: Set(s.has_counter),
        tags: Set(s.tags.join("\n")),
        five_network: Set(s.five[0]),
        five_staff: Set(s.five[1]),
        five_venue: Set(s.five[2]),
        five_activities: Set(s.five[3]),
        five_terminal: Set(s.five[4]),
        created_at: Set(t),
        updated_at: Set(t),
    });
    insert_batches(txn, rows.collect(), progress, "station").await?;
    let rows = n.groups.iter().enumerate().map(|(i, g)| station_group::ActiveModel {
        id: Set(id(i)),
        name: Set(g.name.to_string()),
        parent_id: Set(g.parent.map(id)),
        created_at: Set(t),
    });
    insert_batches(txn, rows.collect(), progress, "station_group").await?;
    let rows = n.groups.iter().enumerate().flat_map(|(g, grp)| grp.stations.iter().map(move |s| (g, *s)));
    let rows = rows.enumerate().map(|(i, (g, s))| station_group_member::ActiveModel {
        id: Set(id(i)),
        group_id: Set(id(g)),
        station_id: Set(id(s)),
    });
    insert_batches(txn, rows.collect(), progress, "station_group_member").await?;
    // Entries start and end at a local midnight, as staff would set them.
    let midnight = proof::day_start(proof::day_of(t));
    let rules: Vec<Rule> = n
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| Rule {
            id: id(i),
            media: id(e.media),
            priority: e.priority,
            valid_from: midnight - Duration::days(e.days_before),
            valid_to: midnight + Duration::days(e.days_after),
            dayparts: e.dayparts.clone(),
            target: e.group.map_or(Target::All, |g| Target::Groups(vec![id(g)])),
        })
        .collect();
    let rows = rules.iter().map(|r| screen_schedule::ActiveModel {
        id: Set(r.id),
        media_id: Set(r.media),
        priority: Set(r.priority),
        valid_from: Set(r.valid_from),
        valid_to: Set(r.valid_to),
        dayparts: Set(serde_json::to_string(&r.dayparts).expect("dayparts serialise")),
        target_kind: Set(r.target.kind().to_string()),
        target_ids: Set(super::ids_text(r.target.ids())),
        note: Set(None),
        archived_at: Set(None),
        created_at: Set(r.valid_from),
        updated_at: Set(r.valid_from),
    });
    insert_batches(txn, rows.collect(), progress, "screen_schedule").await?;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let rows = n.stations.iter().enumerate().map(|(i, s)| device::ActiveModel {
        id: Set(id(i)),
        station_id: Set(id(i)),
        name: Set(format!("{}屏1", d.orgs[s.org].name.trim_end_matches("科普e站"))),
        hardware_id: Set(Some(format!("ZX55-{:08X}", rng.random::<u32>()))),
        // Demo screens are records only: no token anyone holds opens the device API.
        token_hash: Set(None),
        model: Set(Some("ZX-55".into())),
        resolution: Set(Some("1920x1080".into())),
        app_version: Set(Some("1.0.0".into())),
        enrolled_at: Set(Some(t - Duration::days(200))),
        revoked_at: Set(None),
        last_seen_at: Set(Some(t - Duration::minutes(s.last_seen_minutes))),
        acked_version: Set(None),
        synced_at: Set(None),
        cached_all: Set(true),
        playing: Set(None),
        free_disk_mb: Set(Some(rng.random_range(2_000..28_000))),
        uptime_s: Set(Some(rng.random_range(3_600..2_000_000))),
        created_at: Set(t - Duration::days(200)),
    });
    insert_batches(txn, rows.collect(), progress, "device").await?;
    if history {
        let net = network(n, &rules, &shas);
        let places = places(n);
        let (plays, daily) = yesterday(n, &net, &places, t);
        insert_batches(txn, plays, progress, "play").await?;
        let rows = year(n, &net, &places, t).into_iter().chain(daily);
        let rows = rows.enumerate().map(|(i, mut r)| {
            r.id = Set(i as i64 + 1);
            r
        });
        insert_batches(txn, rows.collect(), progress, "play_daily").await?;
    }
    Ok(())
}

fn network(n: &DemoNetwork, rules: &[Rule], shas: &[String]) -> Network {
    let media = n
        .media
        .iter()
        .zip(shas)
        .enumerate()
        .map(|(i, (m, sha))| {
            let x = Media {
                id: id(i),
                title: m.title.to_string(),
                media_type: "text/html".into(),
                sha256: sha.clone(),
                size: m.html.len() as i64,
                duration_s: m.duration_s,
            };
            (x.id, x)
        })
        .collect();
    Network { media, rules: rules.to_vec(), interrupts: Vec::new() }
}

/// Each station's place: its groups with their parents (the demo's stations name no town
/// in their place, as `yesterday` always did).
fn places(n: &DemoNetwork) -> Vec<Place> {
    let mut groups_of: Vec<Vec<i64>> = vec![Vec::new(); n.stations.len()];
    for (g, grp) in n.groups.iter().enumerate() {
        for s in &grp.stations {
            groups_of[*s].push(id(g));
            if let Some(p) = grp.parent {
                groups_of[*s].push(id(p));
            }
        }
    }
    groups_of.into_iter().enumerate().map(|(i, groups)| Place { station: id(i), town: None, groups }).collect()
}

fn daily_row(station: i64, key: proof::DailyKey, t: &proof::Daily) -> play_daily::ActiveModel {
    let (day, media, schedule, interrupt) = key;
    play_daily::ActiveModel {
        id: Set(0),
        day: Set(day_number(day)),
        station_id: Set(station),
        media_id: Set(media),
        schedule_id: Set(schedule),
        interrupt_id: Set(interrupt),
        plays: Set(t.plays),
        played_ms: Set(t.played_ms),
        open_ms: Set(t.open_ms),
        audience: Set(t.audience),
    }
}

/// The daily rollup of the year before yesterday: each station owes what its schedule holds
/// while it is open and plays its share of that day (`day_share`: usually its share, nothing
/// on the days it was offline), every play within opening hours.
fn year(n: &DemoNetwork, net: &Network, places: &[Place], now: chrono::DateTime<Utc>) -> Vec<play_daily::ActiveModel> {
    let yesterday = proof::day_of(now) - Duration::days(1);
    let mut airtime = proof::Airtime::new(net, super::POLL_INTERVAL_S);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(365);
    let mut out = Vec::new();
    for (i, s) in n.stations.iter().enumerate() {
        let open = opening(s.hours);
        for back in 1..HISTORY_DAYS {
            let day = yesterday - Duration::days(back);
            let share = day_share(s, &mut rng);
            if share == 0.0 {
                continue;
            }
            for (content, secs) in airtime.owed(&places[i], &open, day) {
                let media: i64 = content.parse().unwrap_or(0);
                let Some(m) = net.media.get(&media) else { continue };
                // The entry that put it there: the first in force that day reaching the station.
                let (from, to) = (proof::day_start(day), proof::day_start(day) + Duration::days(1));
                let schedule = net
                    .rules
                    .iter()
                    .find(|r| {
                        r.media == media && r.valid_from < to && r.valid_to > from && r.target.reaches(&places[i])
                    })
                    .map_or(0, |r| r.id);
                let plays = (secs * share / m.duration_s.max(1) as f64).round() as i64;
                if plays == 0 {
                    continue;
                }
                let played_ms = plays * m.duration_s as i64 * 1000;
                let hours = played_ms as f64 / 3_600_000.0;
                let audience = match s.has_counter {
                    true => (hours * s.audience_per_hour as f64 * rng.random_range(0.8..1.2)).round() as i64,
                    false => 0,
                };
                let t = proof::Daily { plays, played_ms, open_ms: played_ms, audience };
                out.push(daily_row(id(i), (day, media, schedule, 0), &t));
            }
        }
    }
    out
}

/// Yesterday's plays and their daily rollup: each screen follows its manifest through the
/// hours its station is open and is switched off for the part of the day its station's
/// `played_share` leaves out.
fn yesterday(
    n: &DemoNetwork,
    net: &Network,
    places: &[Place],
    now: chrono::DateTime<Utc>,
) -> (Vec<play::ActiveModel>, Vec<play_daily::ActiveModel>) {
    let day = proof::day_of(now) - Duration::days(1);
    let start = proof::day_start(day);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1128);
    let mut out = Vec::new();
    let mut daily = Vec::new();
    let mut seq = 0usize;
    for (i, s) in n.stations.iter().enumerate() {
        let open = opening(s.hours);
        let m = manifest::build(net, &places[i], start, super::POLL_INTERVAL_S);
        // Off for one stretch of the day: the share not played.
        let day_s = 14.0 * 3600.0;
        let off_len = Duration::seconds(((1.0 - s.played_share) * day_s) as i64);
        let off_from = start + Duration::hours(7) + Duration::seconds(rng.random_range(0..(day_s as i64 / 2)));
        let mut played = Vec::new();
        for span in manifest::timeline(&m, start, start + Duration::days(1)) {
            let Playing::Rotation(items) = &span.playing else { continue };
            let mut at = span.from;
            let mut k = 0;
            while at < span.to {
                let (sched, content) = &items[k % items.len()];
                let secs = net.media[&content.parse::<i64>().unwrap_or(0)].duration_s as i64;
                let on = at < off_from || at >= off_from + off_len;
                if on && proof::open_ms(&open, at, secs * 1000) == secs * 1000 {
                    played.push(Play {
                        play_id: String::new(),
                        media: content.parse().unwrap_or(0),
                        schedule: sched.parse().ok(),
                        interrupt: None,
                        started_at: at,
                        duration_ms: secs * 1000,
                        completed: true,
                        audience: s.has_counter.then(|| rng.random_range(0..4)),
                    });
                }
                at += Duration::seconds(secs);
                k += 1;
            }
        }
        let mut rollup = BTreeMap::new();
        proof::roll_up(&mut rollup, &open, &played);
        daily.extend(rollup.iter().map(|(k, t)| daily_row(id(i), *k, t)));
        for p in played {
            seq += 1;
            out.push(play::ActiveModel {
                id: Set(seq as i64),
                device_id: Set(id(i)),
                play_id: Set(format!("demo-{seq:08}")),
                station_id: Set(id(i)),
                media_id: Set(p.media),
                schedule_id: Set(p.schedule),
                interrupt_id: Set(None),
                started_at: Set(p.started_at),
                day: Set(day_number(day)),
                duration_ms: Set(p.duration_ms),
                completed: Set(true),
                audience: Set(p.audience),
                received_at: Set(p.started_at + Duration::milliseconds(p.duration_ms)),
            });
        }
    }
    (out, daily)
}
