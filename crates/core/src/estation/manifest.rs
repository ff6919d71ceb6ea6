//! The manifest: what one screen plays over the next 72 hours, built from the network's
//! schedules and interrupts. The device API, the preview ("what plays on screen X at time T")
//! and proof-of-play's "scheduled" figures all read what this module builds, so they agree.

use super::daypart::{self, Daypart};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};

/// How far ahead a manifest reaches, so a screen keeps playing while offline.
pub const HORIZON_HOURS: i64 = 72;

/// A file screens can play.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    pub id: i64,
    pub title: String,
    pub media_type: String,
    pub sha256: String,
    pub size: i64,
    pub duration_s: u32,
}

/// Which stations a schedule entry or an interrupt reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    All,
    Towns(Vec<i64>),
    Groups(Vec<i64>),
    Stations(Vec<i64>),
}

impl Target {
    pub const KINDS: [&'static str; 4] = ["all", "towns", "groups", "stations"];

    pub fn kind(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Towns(_) => "towns",
            Self::Groups(_) => "groups",
            Self::Stations(_) => "stations",
        }
    }

    pub fn ids(&self) -> &[i64] {
        match self {
            Self::All => &[],
            Self::Towns(v) | Self::Groups(v) | Self::Stations(v) => v,
        }
    }

    /// From the stored kind and ids; anything but "all" needs at least one id.
    pub fn from_parts(kind: &str, ids: Vec<i64>) -> Option<Self> {
        match kind {
            "all" => Some(Self::All),
            _ if ids.is_empty() => None,
            "towns" => Some(Self::Towns(ids)),
            "groups" => Some(Self::Groups(ids)),
            "stations" => Some(Self::Stations(ids)),
            _ => None,
        }
    }

    pub fn reaches(&self, place: &Place) -> bool {
        match self {
            Self::All => true,
            Self::Towns(t) => place.town.is_some_and(|town| t.contains(&town)),
            Self::Groups(g) => place.groups.iter().any(|x| g.contains(x)),
            Self::Stations(s) => s.contains(&place.station),
        }
    }
}

/// Where a station sits: its town and every group it belongs to, nested groups' ancestors
/// included.
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub station: i64,
    pub town: Option<i64>,
    pub groups: Vec<i64>,
}

/// A schedule entry as staff set it.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: i64,
    pub media: i64,
    pub priority: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_to: DateTime<Utc>,
    pub dayparts: Vec<Daypart>,
    pub target: Target,
}

/// An emergency broadcast: plays instead of every schedule until `until`.
#[derive(Debug, Clone)]
pub struct Interrupt {
    pub id: i64,
    pub campaign: Option<String>,
    pub media: i64,
    pub target: Target,
    pub started_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// Everything the network plays: the input of every manifest.
#[derive(Debug, Clone, Default)]
pub struct Network {
    pub media: HashMap<i64, Media>,
    pub rules: Vec<Rule>,
    pub interrupts: Vec<Interrupt>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub content_id: String,
    pub title: String,
    pub media_type: String,
    pub sha256: String,
    pub size: i64,
    pub url: String,
    pub duration_s: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub schedule_id: String,
    pub content_id: String,
    pub priority: i32,
    pub valid_from: DateTime<Utc>,
    pub valid_to: DateTime<Utc>,
    pub dayparts: Vec<Daypart>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterruptEntry {
    pub interrupt_id: String,
    pub campaign_id: Option<String>,
    pub content_id: String,
    pub title: String,
    pub started_at: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// One screen's manifest, in the contract's JSON shape.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub version: String,
    pub generated_at: DateTime<Utc>,
    pub timezone: &'static str,
    pub poll_interval_s: u32,
    pub items: Vec<Item>,
    pub schedule: Vec<Entry>,
    pub interrupt: Option<InterruptEntry>,
    /// When time alone changes what this manifest holds (an entry ends or comes within the
    /// horizon, an interrupt runs out): rebuild it then.
    #[serde(skip)]
    pub expires_at: Option<DateTime<Utc>>,
}

fn item(m: &Media) -> Item {
    Item {
        content_id: m.id.to_string(),
        title: m.title.clone(),
        media_type: m.media_type.clone(),
        sha256: m.sha256.clone(),
        size: m.size,
        url: format!("/media/{}", m.sha256),
        duration_s: m.duration_s,
    }
}

/// Builds the manifest of a station's screens at `now`. Entries come highest priority first,
/// then in the order staff created them: the order equal priorities rotate in.
pub fn build(net: &Network, place: &Place, now: DateTime<Utc>, poll_interval_s: u32) -> Manifest {
    let horizon = now + Duration::hours(HORIZON_HOURS);
    let mut expires: Option<DateTime<Utc>> = None;
    let mut soonest = |t: DateTime<Utc>| expires = Some(expires.map_or(t, |e| e.min(t)));
    let mut rules: Vec<&Rule> = Vec::new();
    for r in net.rules.iter().filter(|r| r.target.reaches(place) && net.media.contains_key(&r.media)) {
        if r.valid_to <= now {
            continue;
        }
        if r.valid_from > horizon {
            soonest(r.valid_from - Duration::hours(HORIZON_HOURS));
            continue;
        }
        soonest(r.valid_to);
        rules.push(r);
    }
    rules.sort_by_key(|r| (-r.priority, r.id));
    let interrupt = net
        .interrupts
        .iter()
        .filter(|i| i.started_at <= now && now < i.until && i.target.reaches(place) && net.media.contains_key(&i.media))
        .max_by_key(|i| (i.started_at, i.id));
    if let Some(i) = interrupt {
        soonest(i.until);
    }
    let mut used: BTreeSet<i64> = rules.iter().map(|r| r.media).collect();
    used.extend(interrupt.map(|i| i.media));
    let items: Vec<Item> = used.iter().map(|id| item(&net.media[id])).collect();
    let schedule: Vec<Entry> = rules
        .iter()
        .map(|r| Entry {
            schedule_id: r.id.to_string(),
            content_id: r.media.to_string(),
            priority: r.priority,
            valid_from: r.valid_from,
            valid_to: r.valid_to,
            dayparts: r.dayparts.clone(),
        })
        .collect();
    let interrupt = interrupt.map(|i| InterruptEntry {
        interrupt_id: i.id.to_string(),
        campaign_id: i.campaign.clone(),
        content_id: i.media.to_string(),
        title: net.media[&i.media].title.clone(),
        started_at: i.started_at,
        until: i.until,
    });
    let version = version_of(&items, &schedule, &interrupt);
    Manifest {
        version,
        generated_at: now,
        timezone: daypart::TIMEZONE,
        poll_interval_s,
        items,
        schedule,
        interrupt,
        expires_at: expires,
    }
}

/// A digest of what the screen would play, and of nothing else: the same content gives the
/// same version on every node and after every restart.
fn version_of(items: &[Item], schedule: &[Entry], interrupt: &Option<InterruptEntry>) -> String {
    let body = serde_json::to_vec(&(items, schedule, interrupt)).expect("manifest serialises");
    hex::encode(&Sha256::digest(&body)[..10])
}

/// What a screen with this manifest shows at `at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Playing {
    Interrupt {
        interrupt_id: String,
        content_id: String,
    },
    /// The entries of the highest priority valid now, in rotation order: (schedule, content).
    Rotation(Vec<(String, String)>),
    Nothing,
}

impl Playing {
    pub fn contents(&self) -> Vec<&str> {
        match self {
            Self::Interrupt { content_id, .. } => vec![content_id],
            Self::Rotation(r) => r.iter().map(|(_, c)| c.as_str()).collect(),
            Self::Nothing => Vec::new(),
        }
    }
}

pub fn playing_at(m: &Manifest, at: DateTime<Utc>) -> Playing {
    if let Some(i) = &m.interrupt
        && i.started_at <= at
        && at < i.until
    {
        return Playing::Interrupt { interrupt_id: i.interrupt_id.clone(), content_id: i.content_id.clone() };
    }
    let valid: Vec<&Entry> = m
        .schedule
        .iter()
        .filter(|e| e.valid_from <= at && at < e.valid_to && daypart::any_contains(&e.dayparts, at))
        .collect();
    let Some(top) = valid.iter().map(|e| e.priority).max() else { return Playing::Nothing };
    Playing::Rotation(
        valid
            .into_iter()
            .filter(|e| e.priority == top)
            .map(|e| (e.schedule_id.clone(), e.content_id.clone()))
            .collect(),
    )
}

/// A stretch of time in which the screen shows the same thing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub playing: Playing,
}

/// What the screen shows from `from` to `to`, minute by minute, merged into spans. Dayparts and
/// validity windows are whole minutes, so a minute's step misses nothing staff can set. What
/// plays changes only where an interrupt, an entry's validity or a daypart starts or ends, or
/// at a local midnight (the weekday), so only the minutes at or after those instants are
/// looked at: the same spans, from a few dozen looks a day rather than 1,440.
pub fn timeline(m: &Manifest, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Span> {
    let mut cuts: Vec<DateTime<Utc>> = vec![from];
    if let Some(i) = &m.interrupt {
        cuts.extend([i.started_at, i.until]);
    }
    for e in &m.schedule {
        cuts.extend([e.valid_from, e.valid_to]);
    }
    let mut minutes: Vec<u16> =
        m.schedule.iter().flat_map(|e| e.dayparts.iter().flat_map(|p| [p.from, p.to])).collect();
    minutes.push(0);
    minutes.sort_unstable();
    minutes.dedup();
    let mut day = super::proof::day_of(from);
    while super::proof::day_start(day) < to {
        let midnight = super::proof::day_start(day);
        cuts.extend(minutes.iter().map(|m| midnight + Duration::minutes((*m).into())));
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    // Onto the minute grid from `from`, where a minute's step would first see the change.
    let grid = |t: DateTime<Utc>| {
        let ms = (t - from).num_milliseconds();
        from + Duration::minutes((ms + 59_999).div_euclid(60_000))
    };
    let mut cuts: Vec<DateTime<Utc>> = cuts.into_iter().filter(|t| *t >= from).map(grid).filter(|t| *t < to).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut spans: Vec<Span> = Vec::new();
    for (k, t) in cuts.iter().enumerate() {
        let next = cuts.get(k + 1).copied().unwrap_or(to);
        let p = playing_at(m, *t);
        match spans.last_mut() {
            Some(s) if s.playing == p => s.to = next,
            _ => spans.push(Span { from: *t, to: next, playing: p }),
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        // Hours given in Beijing time.
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap() - Duration::hours(8)
    }

    fn media(id: i64) -> Media {
        Media {
            id,
            title: format!("科普片{id}"),
            media_type: "video/mp4".into(),
            sha256: format!("{id:064x}"),
            size: 1000 + id,
            duration_s: 30,
        }
    }

    fn rule(id: i64, media: i64, priority: i32, dayparts: &str, target: Target) -> Rule {
        Rule {
            id,
            media,
            priority,
            valid_from: at(1, 0, 0),
            valid_to: at(30, 0, 0),
            dayparts: daypart::parse(dayparts).unwrap(),
            target,
        }
    }

    fn net() -> Network {
        Network {
            media: (1..=4).map(|i| (i, media(i))).collect(),
            rules: vec![
                rule(10, 1, 0, "", Target::All),
                rule(11, 2, 0, "", Target::Towns(vec![100])),
                rule(12, 3, 5, "1-5 12:00-13:00", Target::Groups(vec![7])),
            ],
            interrupts: vec![],
        }
    }

    fn place() -> Place {
        Place { station: 1, town: Some(100), groups: vec![7, 3] }
    }

    #[test]
    fn priority_wins_and_equals_rotate_in_order() {
        let m = build(&net(), &place(), at(23, 9, 0), 60);
        assert_eq!(m.schedule.iter().map(|e| e.schedule_id.as_str()).collect::<Vec<_>>(), ["12", "10", "11"]);
        // Monday 30 Nov is past the window; Monday 23 Nov at noon the group's entry plays alone.
        assert_eq!(playing_at(&m, at(23, 12, 30)), Playing::Rotation(vec![("12".into(), "3".into())]));
        assert_eq!(
            playing_at(&m, at(23, 14, 0)),
            Playing::Rotation(vec![("10".into(), "1".into()), ("11".into(), "2".into())])
        );
        // Saturday noon: the weekday entry does not hold.
        assert_eq!(playing_at(&m, at(28, 12, 30)).contents(), ["1", "2"]);
    }

    #[test]
    fn targeting_decides_what_a_station_gets() {
        let elsewhere = Place { station: 2, town: Some(200), groups: vec![] };
        let m = build(&net(), &elsewhere, at(23, 9, 0), 60);
        assert_eq!(m.schedule.len(), 1);
        assert_eq!(m.items.len(), 1);
        let only = Network { rules: vec![rule(20, 4, 0, "", Target::Stations(vec![2]))], ..net() };
        assert_eq!(build(&only, &elsewhere, at(23, 9, 0), 60).items[0].content_id, "4");
        assert!(build(&only, &place(), at(23, 9, 0), 60).items.is_empty());
    }

    #[test]
    fn interrupt_plays_instead_until_it_ends() {
        let mut n = net();
        n.interrupts.push(Interrupt {
            id: 9,
            campaign: Some("c1".into()),
            media: 4,
            target: Target::All,
            started_at: at(23, 9, 0),
            until: at(23, 10, 0),
        });
        let m = build(&n, &place(), at(23, 9, 5), 60);
        let i = m.interrupt.as_ref().unwrap();
        assert_eq!((i.content_id.as_str(), i.title.as_str()), ("4", "科普片4"));
        assert!(m.items.iter().any(|x| x.content_id == "4"));
        assert_eq!(
            playing_at(&m, at(23, 9, 30)),
            Playing::Interrupt { interrupt_id: "9".into(), content_id: "4".into() }
        );
        assert_eq!(playing_at(&m, at(23, 10, 0)).contents(), ["1", "2"]);
        assert_eq!(m.expires_at, Some(at(23, 10, 0)));
        // After it ends the manifest is the one without it, version included.
        let after = build(&n, &place(), at(23, 10, 0), 60);
        assert!(after.interrupt.is_none());
        assert_eq!(after.version, build(&net(), &place(), at(23, 10, 0), 60).version);
        assert_ne!(after.version, m.version);
    }

    #[test]
    fn version_moves_with_content_only() {
        let a = build(&net(), &place(), at(23, 9, 0), 60);
        let b = build(&net(), &place(), at(24, 18, 0), 30);
        assert_eq!(a.version, b.version, "time and poll interval are not content");
        let mut n = net();
        n.media.get_mut(&1).unwrap().title = "新标题".into();
        assert_ne!(build(&n, &place(), at(23, 9, 0), 60).version, a.version);
        let mut n = net();
        n.rules[0].dayparts = daypart::parse("1-7 06:00-22:00").unwrap();
        assert_ne!(build(&n, &place(), at(23, 9, 0), 60).version, a.version);
    }

    #[test]
    fn horizon_and_expiry() {
        let mut n = net();
        let mut later = rule(30, 4, 9, "", Target::All);
        later.valid_from = at(27, 0, 0);
        n.rules.push(later);
        let m = build(&n, &place(), at(23, 9, 0), 60);
        assert!(m.schedule.iter().all(|e| e.schedule_id != "30"), "beyond 72 h");
        assert_eq!(m.expires_at, Some(at(24, 0, 0)), "comes within the horizon 72 h before it starts");
        let m = build(&n, &place(), at(24, 0, 0), 60);
        assert_eq!(m.schedule[0].schedule_id, "30");
        assert_eq!(m.expires_at, Some(at(30, 0, 0)));
    }

    #[test]
    fn timeline_merges_minutes() {
        let m = build(&net(), &place(), at(23, 0, 0), 60);
        let spans = timeline(&m, at(23, 0, 0), at(24, 0, 0));
        assert_eq!(spans.len(), 3);
        assert_eq!((spans[1].from, spans[1].to), (at(23, 12, 0), at(23, 13, 0)));
        assert_eq!(spans[1].playing.contents(), ["3"]);
    }

    #[test]
    fn timeline_equals_a_look_every_minute() {
        let every_minute = |m: &Manifest, from: DateTime<Utc>, to: DateTime<Utc>| {
            let mut spans: Vec<Span> = Vec::new();
            let mut t = from;
            while t < to {
                let next = (t + Duration::minutes(1)).min(to);
                let p = playing_at(m, t);
                match spans.last_mut() {
                    Some(s) if s.playing == p => s.to = next,
                    _ => spans.push(Span { from: t, to: next, playing: p }),
                }
                t = next;
            }
            spans
        };
        let mut n = net();
        // An interrupt launched at an odd second, an entry ending mid-minute, a late-night part.
        n.interrupts.push(Interrupt {
            id: 9,
            campaign: None,
            media: 4,
            target: Target::All,
            started_at: at(24, 9, 0) + Duration::seconds(17),
            until: at(24, 11, 30) + Duration::seconds(40),
        });
        let mut short = rule(13, 4, 7, "2,3 21:30-24:00\n4 00:00-02:15", Target::All);
        short.valid_to = at(25, 22, 10) + Duration::seconds(5);
        n.rules.push(short);
        for start in [at(23, 0, 0), at(24, 8, 59) + Duration::seconds(30), at(28, 0, 0)] {
            let m = build(&n, &place(), start, 60);
            let end = start + Duration::hours(72);
            assert_eq!(timeline(&m, start, end), every_minute(&m, start, end), "from {start}");
        }
    }

    #[test]
    fn json_has_the_contract_fields() {
        let v = serde_json::to_value(build(&net(), &place(), at(23, 9, 0), 60)).unwrap();
        for k in ["version", "generated_at", "timezone", "poll_interval_s", "items", "schedule", "interrupt"] {
            assert!(v.get(k).is_some(), "{k}");
        }
        assert!(v.get("expires_at").is_none());
        assert_eq!(v["timezone"], "Asia/Shanghai");
        assert_eq!(v["items"][0]["url"], format!("/media/{:064x}", 1));
        assert_eq!(v["generated_at"], "2026-11-23T01:00:00Z");
    }
}
