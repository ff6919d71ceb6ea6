//! The demo district's volunteers and activities for the year of `today`: the people of the
//! volunteer teams registered as volunteers (most verified, some waiting, a few suspended),
//! some in a second team or asking to join one; some 200 activities of every kind over the
//! towns and months — lectures, door-to-door outreach, stage shows, trainings, forums, project
//! visits, party days with enterprise party branches, study sessions and campaign-week events
//! — with registrations, check-ins and check-outs and reports; a few coming up; and the hours
//! ledger that follows: check-out records, staff entries, self-logged hours waiting for
//! approval and a few refused.

use super::{DemoDistrict, TOWNS};
use crate::activity::attendance::Window;
use crate::activity::{ActivityKind, MONTH_THEMES, Status as ActivityStatus};
use crate::org::OrgKind;
use crate::region::RegionKind;
use crate::volunteer::ledger::{Source, Status as RecordStatus};
use crate::volunteer::{AVAILABILITY, Membership, SKILLS, Status};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct DemoVolunteer {
    /// Index into `DemoDistrict::people`.
    pub person: usize,
    pub region: usize,
    pub status: Status,
    pub skills: String,
    pub availability: String,
    /// (team as an index into `DemoDistrict::orgs`, membership).
    pub teams: Vec<(usize, Membership)>,
}

pub struct DemoActivity {
    pub title: String,
    pub kind: ActivityKind,
    pub theme: &'static str,
    pub month_theme: bool,
    /// Index into `DemoDistrict::orgs`.
    pub organiser: usize,
    pub co_organisers: Option<String>,
    pub place: String,
    /// Index into `DemoDistrict::regions` (a town).
    pub region: usize,
    pub starts_at: chrono::DateTime<Utc>,
    pub ends_at: chrono::DateTime<Utc>,
    pub capacity: Option<i32>,
    pub audience: &'static str,
    pub summary: String,
    pub status: ActivityStatus,
    pub report: Option<String>,
    pub extra_reach: i32,
    pub volunteer_hours: bool,
}

pub struct DemoRegistration {
    pub activity: usize,
    pub name: String,
    pub phone: String,
    /// Index into `DemoVolunteering::volunteers`.
    pub volunteer: Option<usize>,
    pub source: &'static str,
    pub checked_in_at: Option<chrono::DateTime<Utc>>,
    pub checked_out_at: Option<chrono::DateTime<Utc>>,
}

pub struct DemoRecord {
    pub volunteer: usize,
    pub team: Option<usize>,
    pub activity: Option<usize>,
    pub registration: Option<usize>,
    pub source: Source,
    pub status: RecordStatus,
    pub served_on: NaiveDate,
    pub minutes: i32,
    pub service: String,
    pub place: String,
    pub training: bool,
    pub evaluation: Option<&'static str>,
    pub recorded_by: String,
    pub recorder_org: String,
    pub certified_by: Option<String>,
    pub note: Option<&'static str>,
}

#[derive(Default)]
pub struct DemoVolunteering {
    pub volunteers: Vec<DemoVolunteer>,
    pub activities: Vec<DemoActivity>,
    pub registrations: Vec<DemoRegistration>,
    pub records: Vec<DemoRecord>,
}

/// Activities held in the year so far, and how many are still to come.
const HELD: usize = 200;
const UPCOMING: usize = 12;

/// Kinds with their share of the year's activities.
const KINDS: [(ActivityKind, u32); 11] = [
    (ActivityKind::Lecture, 30),
    (ActivityKind::DoorToDoor, 14),
    (ActivityKind::StageShow, 10),
    (ActivityKind::Training, 8),
    (ActivityKind::Forum, 4),
    (ActivityKind::ProjectVisit, 3),
    (ActivityKind::PartyDay, 6),
    (ActivityKind::JointPartyDay, 5),
    (ActivityKind::PartyStudy, 4),
    (ActivityKind::CampaignEvent, 6),
    (ActivityKind::Service, 10),
];

const PARTY_BRANCHES: &[&str] = &[
    "江苏通州四建集团党委第二党支部",
    "南通醋酸纤维有限公司党支部",
    "江苏综艺股份有限公司党委",
    "南通二建集团机关党支部",
    "通州湾示范区管委会第三党支部",
    "南通国家高新区企业联合党委",
];

const PROJECTS: &[&str] =
    &["通州湾新出海口吕四起步港区", "南通新机场建设现场", "北沿江高铁通州段", "通州区智能制造产业园"];

const EVALUATIONS: &[&str] = &["讲解认真，群众反映好", "服务热情，准时到岗", "组织有序", "表现突出"];

fn china(day: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    let local = NaiveDateTime::new(day, NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"));
    Utc.from_utc_datetime(&local) - Duration::hours(8)
}

fn title_of(kind: ActivityKind, theme: &str, place: &str, rng: &mut ChaCha8Rng) -> String {
    let short = place.trim_end_matches("新时代文明实践站").trim_end_matches("新时代文明实践所");
    match kind {
        ActivityKind::Lecture => format!("“{theme}”科普讲座进{short}"),
        ActivityKind::DoorToDoor => format!("{theme}入户宣传（{short}）"),
        ActivityKind::StageShow => format!("“{theme}”科普文艺演出"),
        ActivityKind::Training => {
            ["基层科普工作者培训班", "科普信息员业务培训", "志愿者应急救护培训"].choose(rng).expect("items").to_string()
        }
        ActivityKind::Forum => format!("{theme}主题科普沙龙"),
        ActivityKind::ProjectVisit => format!("走进{}观摩活动", PROJECTS.choose(rng).expect("items")),
        ActivityKind::PartyDay => format!("“科普为民 党建引领”主题党日（{theme}）"),
        ActivityKind::JointPartyDay => "支部共建联合党日：科技助企面对面".to_string(),
        ActivityKind::PartyStudy => {
            ["党史学习教育专题读书班", "学习贯彻新时代科技工作重要论述专题学习", "科学家精神主题学习会"]
                .choose(rng)
                .expect("items")
                .to_string()
        }
        ActivityKind::CampaignEvent => format!("科普宣传周现场活动：{theme}"),
        ActivityKind::Service => format!("“{theme}”志愿服务进社区"),
    }
}

fn summary_of(kind: ActivityKind, theme: &str) -> String {
    let how = match kind {
        ActivityKind::Lecture => "邀请专家现场讲解并解答群众提问",
        ActivityKind::DoorToDoor => "志愿者分组入户，发放宣传资料并面对面讲解",
        ActivityKind::StageShow => "以科普小品、快板、情景剧等群众喜闻乐见的形式演出",
        ActivityKind::Training => "系统讲授科普工作方法与相关知识，结业考核",
        ActivityKind::Forum => "专家与基层科技工作者座谈交流",
        ActivityKind::ProjectVisit => "实地观摩重大项目建设，听取项目情况介绍",
        ActivityKind::PartyDay => "重温入党誓词，开展科普志愿服务",
        ActivityKind::JointPartyDay => "与企业党支部联学联建，了解企业技术需求",
        ActivityKind::PartyStudy => "集中学习研讨，交流心得体会",
        ActivityKind::CampaignEvent => "设置展板、互动体验和咨询台",
        ActivityKind::Service => "志愿者进社区开展点单式服务",
    };
    format!("围绕“{theme}”主题，{how}。")
}

fn audience_of(kind: ActivityKind) -> &'static str {
    match kind {
        ActivityKind::Training => "基层科普工作者",
        ActivityKind::PartyDay | ActivityKind::JointPartyDay | ActivityKind::PartyStudy => "党员",
        ActivityKind::ProjectVisit | ActivityKind::Forum => "科技工作者",
        _ => "社区居民",
    }
}

/// The town (index into `DemoDistrict::regions`) a region lies in, if any.
fn town_of(d: &DemoDistrict, mut r: usize) -> Option<usize> {
    loop {
        match d.regions[r].kind {
            RegionKind::Town | RegionKind::Street => return Some(r),
            RegionKind::District => return None,
            _ => r = d.regions[r].parent?,
        }
    }
}

pub fn generate(d: &DemoDistrict, seed: u64, today: NaiveDate) -> DemoVolunteering {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = DemoVolunteering::default();
    let teams: Vec<usize> = (0..d.orgs.len()).filter(|o| d.orgs[*o].kind == OrgKind::VolunteerTeam).collect();
    let is_team = |o: Option<usize>| o.is_some_and(|o| d.orgs[o].kind == OrgKind::VolunteerTeam);

    // Volunteers: the people of the teams.
    for (p, person) in d.people.iter().enumerate() {
        if !is_team(person.org) || person.phone.is_none() || person.id_number.is_none() {
            continue;
        }
        let team = person.org.expect("a team");
        let roll: f64 = rng.random();
        let status = if roll < 0.05 {
            Status::Pending
        } else if roll < 0.08 {
            Status::Suspended
        } else {
            Status::Verified
        };
        let n = rng.random_range(1..=3);
        let mut skills: Vec<&str> = SKILLS.choose_multiple(&mut rng, n).copied().collect();
        skills.sort_by_key(|s| SKILLS.iter().position(|x| x == s));
        let availability: Vec<&str> = AVAILABILITY.choose_multiple(&mut rng, n.min(2)).map(|(c, _)| *c).collect();
        let mut places =
            vec![(team, if status == Status::Pending { Membership::Pending } else { Membership::Approved })];
        if status == Status::Verified && rng.random_bool(0.2) {
            let second = *teams.choose(&mut rng).expect("teams");
            if second != team {
                places.push((second, if rng.random_bool(0.8) { Membership::Approved } else { Membership::Pending }));
            }
        }
        out.volunteers.push(DemoVolunteer {
            person: p,
            region: person.region,
            status,
            skills: skills.join(","),
            availability: availability.join(","),
            teams: places,
        });
    }

    // Organisers: town associations, their teams and practice sites, the association.
    let towns: Vec<usize> =
        (0..d.regions.len()).filter(|r| d.regions[*r].kind.is_town_level()).take(TOWNS.len()).collect();
    let organisers_in = |town: usize| -> Vec<usize> {
        (0..d.orgs.len())
            .filter(|o| {
                matches!(d.orgs[*o].kind, OrgKind::Grassroots | OrgKind::VolunteerTeam | OrgKind::PracticeSite)
                    && town_of(d, d.orgs[*o].region) == Some(town)
                    && d.orgs[*o]
                        .parent
                        .is_some_and(|p| d.orgs[p].kind != OrgKind::Grassroots || d.orgs[p].region == town)
            })
            .collect()
    };
    let organisers: Vec<Vec<usize>> = towns.iter().map(|t| organisers_in(*t)).collect();
    let citizens: Vec<usize> =
        (0..d.people.len()).filter(|p| d.people[*p].phone.is_some() && !is_team(d.people[*p].org)).collect();
    let weights: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("valid date");
    let days_so_far = (today - year_start).num_days().max(30);
    let volunteers_by_town: Vec<Vec<usize>> = towns
        .iter()
        .map(|t| {
            (0..out.volunteers.len())
                .filter(|v| {
                    out.volunteers[*v].status == Status::Verified && town_of(d, out.volunteers[*v].region) == Some(*t)
                })
                .collect()
        })
        .collect();

    for i in 0..HELD + UPCOMING {
        let mut w = rng.random_range(0..weights);
        let kind = KINDS
            .iter()
            .find(|(_, k)| {
                if w < *k {
                    true
                } else {
                    w -= k;
                    false
                }
            })
            .map(|(k, _)| *k)
            .expect("kind");
        let ti = rng.random_range(0..towns.len());
        let town = towns[ti];
        let day = if i < HELD {
            year_start + Duration::days(rng.random_range(0..days_so_far))
        } else {
            today + Duration::days(rng.random_range(2..40))
        };
        // Campaign-week events fall in 科普宣传周 (May) or 全国科普日 (September) where the year allows.
        let day = if kind == ActivityKind::CampaignEvent && i < HELD {
            let m = if day.month() < 9 || today.month() < 9 { 5 } else { 9 };
            NaiveDate::from_ymd_opt(today.year(), m, rng.random_range(15..=22)).filter(|x| *x < today).unwrap_or(day)
        } else {
            day
        };
        // Campaign-week events outside 科普宣传周 (May) and 全国科普日 (September) are lectures.
        let kind = if kind == ActivityKind::CampaignEvent && !matches!(day.month(), 5 | 9) {
            ActivityKind::Lecture
        } else {
            kind
        };
        let theme = match kind {
            ActivityKind::Training => "科普能力提升",
            _ => MONTH_THEMES[day.month0() as usize],
        };
        let organiser = match organisers[ti].choose(&mut rng) {
            Some(o) if !matches!(kind, ActivityKind::Training | ActivityKind::Forum | ActivityKind::ProjectVisit) => *o,
            _ => 0,
        };
        let place = match kind {
            ActivityKind::ProjectVisit => PROJECTS.choose(&mut rng).expect("items").to_string(),
            ActivityKind::Training | ActivityKind::Forum => "通州区科技馆报告厅".to_string(),
            _ => format!("{}新时代文明实践所", d.regions[town].name),
        };
        let (hour, hours) = match kind {
            ActivityKind::StageShow => (19, 2),
            ActivityKind::Training => (9, 6),
            ActivityKind::DoorToDoor | ActivityKind::Service => (8, 3),
            _ => (*[9u32, 14].choose(&mut rng).expect("hours"), 2),
        };
        let starts_at = china(day, hour, if rng.random_bool(0.5) { 0 } else { 30 });
        let ends_at = starts_at + Duration::hours(hours);
        let capacity = match kind {
            ActivityKind::StageShow | ActivityKind::CampaignEvent => Some(300),
            ActivityKind::PartyDay | ActivityKind::JointPartyDay | ActivityKind::PartyStudy => Some(40),
            _ => Some(*[50, 60, 80, 100, 120].choose(&mut rng).expect("sizes")),
        };
        let held = i < HELD;
        let cancelled = held && rng.random_bool(0.02);
        let status = match (held, cancelled) {
            (_, true) => ActivityStatus::Cancelled,
            (true, false) => ActivityStatus::Closed,
            (false, _) if i % 4 == 0 => ActivityStatus::Draft,
            (false, _) => ActivityStatus::Published,
        };
        let co_organisers = match kind {
            ActivityKind::JointPartyDay | ActivityKind::ProjectVisit => {
                Some(PARTY_BRANCHES.choose(&mut rng).expect("items").to_string())
            }
            ActivityKind::Lecture if rng.random_bool(0.3) => Some("区卫健委、区疾控中心".to_string()),
            _ => None,
        };
        let title = title_of(kind, theme, &place, &mut rng);
        let volunteer_hours = matches!(
            kind,
            ActivityKind::Lecture
                | ActivityKind::DoorToDoor
                | ActivityKind::StageShow
                | ActivityKind::CampaignEvent
                | ActivityKind::Service
        );
        let a = out.activities.len();
        let mut attended = 0;
        if status == ActivityStatus::Closed || status == ActivityStatus::Published {
            let cap = capacity.unwrap_or(100) as usize;
            let n = if held { rng.random_range(cap / 3..=cap * 9 / 10) } else { rng.random_range(0..cap / 4) };
            let pool = &volunteers_by_town[ti];
            let helpers = if volunteer_hours { rng.random_range(3..=8).min(pool.len()) } else { 0 };
            let chosen_volunteers: Vec<usize> = pool.choose_multiple(&mut rng, helpers).copied().collect();
            let chosen_citizens: Vec<usize> =
                citizens.choose_multiple(&mut rng, n.saturating_sub(helpers)).copied().collect();
            let window = Window { starts_at, ends_at };
            let people = chosen_volunteers
                .iter()
                .map(|v| (out.volunteers[*v].person, Some(*v)))
                .chain(chosen_citizens.iter().map(|p| (*p, None)));
            for (p, v) in people {
                let person = &d.people[p];
                let came = held && rng.random_bool(if v.is_some() { 0.95 } else { 0.85 });
                let source = if came && v.is_none() && rng.random_bool(0.25) { "walk_in" } else { "online" };
                let checked_in_at = came.then(|| starts_at + Duration::minutes(rng.random_range(-40..15)));
                let checked_out_at = checked_in_at
                    .filter(|_| v.is_some() || rng.random_bool(0.6))
                    .map(|_| ends_at + Duration::minutes(rng.random_range(-25..30)));
                attended += usize::from(came);
                let r = out.registrations.len();
                out.registrations.push(DemoRegistration {
                    activity: a,
                    name: person.name.clone(),
                    phone: person.phone.clone().expect("has a phone"),
                    volunteer: v,
                    source,
                    checked_in_at,
                    checked_out_at,
                });
                if let (Some(v), Some(inside), Some(out_at), true) = (v, checked_in_at, checked_out_at, volunteer_hours)
                {
                    let minutes = window.service_minutes(inside, out_at);
                    let vol = &out.volunteers[v];
                    let team = vol.teams.iter().find(|(_, m)| *m == Membership::Approved).map(|(t, _)| *t);
                    out.records.push(DemoRecord {
                        volunteer: v,
                        team: if vol.teams.iter().any(|(t, m)| *t == organiser && *m == Membership::Approved) {
                            Some(organiser)
                        } else {
                            team
                        },
                        activity: Some(a),
                        registration: Some(r),
                        source: Source::Checkin,
                        status: RecordStatus::Approved,
                        served_on: crate::estation::proof::day_of(inside),
                        minutes,
                        service: title.clone(),
                        place: place.clone(),
                        training: kind == ActivityKind::Training,
                        evaluation: None,
                        recorded_by: "签到（手机扫码）".to_string(),
                        recorder_org: d.orgs[organiser].name.clone(),
                        certified_by: Some(d.orgs[organiser].name.clone()),
                        note: None,
                    });
                }
            }
        }
        let report = (status == ActivityStatus::Closed).then(|| {
            format!(
                "{}在{}举办“{}”，{}名群众到场参加。活动围绕“{}”主题，通过讲解、互动问答和发放资料等形式，普及科学知识，现场气氛热烈。",
                d.orgs[organiser].name, place, title, attended, theme
            )
        });
        out.activities.push(DemoActivity {
            summary: summary_of(kind, theme),
            title,
            kind,
            theme,
            // Trainings, forums, visits and study sessions have their own subjects.
            month_theme: rng.random_bool(0.6)
                && !matches!(
                    kind,
                    ActivityKind::Training
                        | ActivityKind::Forum
                        | ActivityKind::ProjectVisit
                        | ActivityKind::PartyStudy
                        | ActivityKind::JointPartyDay
                ),
            organiser,
            co_organisers,
            place,
            region: town,
            starts_at,
            ends_at,
            capacity,
            audience: audience_of(kind),
            status,
            report,
            extra_reach: if kind == ActivityKind::StageShow && held { rng.random_range(50..200) } else { 0 },
            volunteer_hours,
        });
    }

    // Staff entries, self-logged hours (most certified, some waiting, a few refused).
    let services = [
        "社区科普宣传栏更新",
        "科普e站设备巡查",
        "青少年科技辅导",
        "老年人智能手机使用辅导",
        "防诈骗宣传资料发放",
        "垃圾分类指导",
    ];
    for v in 0..out.volunteers.len() {
        if out.volunteers[v].status != Status::Verified {
            continue;
        }
        let town = town_of(d, out.volunteers[v].region);
        let place = town.map(|t| d.regions[t].name.clone()).unwrap_or_else(|| "通州区".to_string());
        let team = out.volunteers[v].teams.first().map(|(t, _)| *t);
        for _ in 0..rng.random_range(0..6) {
            let self_logged = rng.random_bool(0.4);
            let served_on = year_start + Duration::days(rng.random_range(0..days_so_far));
            let status = if !self_logged {
                RecordStatus::Approved
            } else if served_on > today - Duration::days(10) {
                RecordStatus::Pending
            } else if rng.random_bool(0.05) {
                RecordStatus::Rejected
            } else {
                RecordStatus::Approved
            };
            let team_name = team.map(|t| d.orgs[t].name.clone()).unwrap_or_default();
            out.records.push(DemoRecord {
                volunteer: v,
                team,
                activity: None,
                registration: None,
                source: if self_logged { Source::SelfLogged } else { Source::Staff },
                status,
                served_on,
                minutes: *[60, 90, 120, 150, 180, 240].choose(&mut rng).expect("lengths"),
                service: services.choose(&mut rng).expect("items").to_string(),
                place: format!(
                    "{place}{}",
                    ["社区", "文明实践站", "科普e站", "中心小学"].choose(&mut rng).expect("items")
                ),
                training: false,
                evaluation: (!self_logged && rng.random_bool(0.3))
                    .then(|| *EVALUATIONS.choose(&mut rng).expect("items")),
                recorded_by: if self_logged {
                    d.people[out.volunteers[v].person].name.clone()
                } else {
                    "staff".to_string()
                },
                recorder_org: team_name.clone(),
                certified_by: (status == RecordStatus::Approved).then_some(team_name),
                note: (status == RecordStatus::Rejected).then_some("与活动签到记录重复"),
            });
        }
    }
    // A day's records never add up past 24 hours: the generator's random entries are few
    // and short, so trim only if one ever would.
    let mut by_day: std::collections::HashMap<(usize, NaiveDate), i32> = Default::default();
    out.records.retain(|r| {
        let e = by_day.entry((r.volunteer, r.served_on)).or_default();
        if r.status == RecordStatus::Rejected || *e + r.minutes <= 24 * 60 {
            *e += if r.status == RecordStatus::Rejected { 0 } else { r.minutes };
            true
        } else {
            false
        }
    });
    out
}

pub struct DemoProject {
    /// Index into `DemoDistrict::orgs`: a practice site or a team.
    pub org: usize,
    pub title: &'static str,
    pub kind: ActivityKind,
    pub summary: &'static str,
    pub orderable: bool,
}

pub struct DemoShift {
    /// Index into `DemoVolunteering::activities`, or into `DemoService::projects`.
    pub activity: Option<usize>,
    pub project: Option<usize>,
    pub role: &'static str,
    pub place: String,
    pub region: usize,
    pub starts_at: chrono::DateTime<Utc>,
    pub minutes: i32,
    pub quantity: i32,
}

pub struct DemoPlace {
    pub shift: usize,
    /// Index into `DemoVolunteering::volunteers`.
    pub volunteer: usize,
    pub source: crate::volunteer::shift::Source,
    pub offered: bool,
}

pub struct DemoCommendation {
    pub volunteer: usize,
    pub title: String,
    pub awarded_by: &'static str,
    pub awarded_on: NaiveDate,
}

#[derive(Default)]
pub struct DemoService {
    pub projects: Vec<DemoProject>,
    pub shifts: Vec<DemoShift>,
    pub places: Vec<DemoPlace>,
    pub commendations: Vec<DemoCommendation>,
}

/// Service projects a practice site or a team runs: title, kind, what it is, on the menu.
const SERVICE_PROJECTS: [(&str, ActivityKind, &str, bool); 12] = [
    ("周末科学小实验课堂", ActivityKind::Lecture, "每周六上午为社区青少年开设动手实验课，材料由实践点提供。", true),
    ("老年人智能手机使用辅导", ActivityKind::Service, "一对一教老年人使用网上挂号、移动支付和防诈骗设置。", true),
    ("家庭急救技能培训", ActivityKind::Lecture, "心肺复苏、海姆立克急救法现场教学，红十字会持证志愿者授课。", true),
    ("反诈宣传进万家", ActivityKind::DoorToDoor, "志愿者分组入户讲解常见电信诈骗手法，发放宣传折页。", true),
    ("科普剧巡演", ActivityKind::StageShow, "原创科普小品、快板进村入社区演出。", true),
    ("中医药健康咨询", ActivityKind::Service, "邀请社区卫生服务中心医师开展义诊和健康咨询。", true),
    ("农技服务田间课堂", ActivityKind::Lecture, "农技志愿者到田间讲解病虫害防治和新品种种植。", true),
    ("垃圾分类入户指导", ActivityKind::DoorToDoor, "上门指导居民垃圾分类投放，回收可再生资源。", true),
    ("科普e站内容巡查", ActivityKind::Service, "每周巡查社区科普e站屏幕播放情况并登记问题。", false),
    ("青少年无人机科普体验", ActivityKind::Lecture, "无人机原理讲解与飞行体验，需家长陪同。", true),
    ("心理健康疏导服务", ActivityKind::Service, "持证心理咨询师志愿者提供心理疏导。", true),
    ("防溺水安全宣讲", ActivityKind::Lecture, "暑期前进学校、进社区开展防溺水安全教育。", true),
];

const ROLES: [&str; 5] = ["签到引导", "讲解员", "秩序维护", "摄影宣传", "物资发放"];

/// Projects of the practice sites (two each) and of some teams, shifts for the coming weeks'
/// activities and projects filled in part (gaps left for staff to see), and commendations for
/// the ledger's leading volunteers. `featured` is the volunteer behind the demo account: they
/// get places too, in shifts that fit their times.
pub fn service(
    d: &DemoDistrict,
    g: &DemoVolunteering,
    seed: u64,
    now: chrono::DateTime<Utc>,
    featured: Option<usize>,
) -> DemoService {
    use crate::volunteer::shift::{Source as PlaceSource, Span, fits};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = DemoService::default();
    let sites: Vec<usize> = (0..d.orgs.len()).filter(|o| d.orgs[*o].kind == OrgKind::PracticeSite).collect();
    let teams: Vec<usize> = (0..d.orgs.len()).filter(|o| d.orgs[*o].kind == OrgKind::VolunteerTeam).collect();
    for (i, org) in sites.iter().chain(teams.iter().take(6)).enumerate() {
        let per = if i < sites.len() { 2 } else { 1 };
        for k in 0..per {
            let (title, kind, summary, orderable) = SERVICE_PROJECTS[(i * 2 + k) % SERVICE_PROJECTS.len()];
            out.projects.push(DemoProject { org: *org, title, kind, summary, orderable });
        }
    }
    let today = crate::estation::proof::day_of(now);
    // Upcoming published activities with volunteer hours need helpers.
    for (a, act) in g.activities.iter().enumerate() {
        if act.status != ActivityStatus::Published || act.starts_at <= now || !act.volunteer_hours {
            continue;
        }
        let n = rng.random_range(1..=2);
        let roles: Vec<&str> = ROLES.choose_multiple(&mut rng, n).copied().collect();
        for role in roles {
            out.shifts.push(DemoShift {
                activity: Some(a),
                project: None,
                role,
                place: act.place.clone(),
                region: act.region,
                starts_at: act.starts_at - Duration::minutes(30),
                minutes: ((act.ends_at - act.starts_at).num_minutes() + 60) as i32,
                quantity: rng.random_range(3..=8),
            });
        }
    }
    // Each project meets weekly for the next four weeks: Saturday mornings or Wednesday evenings.
    for (p, proj) in out.projects.iter().enumerate() {
        let org = &d.orgs[proj.org];
        let evening = p % 3 == 2;
        let first = (1..=7)
            .map(|n| today + Duration::days(n))
            .find(|day| day.weekday() == if evening { chrono::Weekday::Wed } else { chrono::Weekday::Sat })
            .expect("a week has every day");
        for w in 0..4 {
            out.shifts.push(DemoShift {
                activity: None,
                project: Some(p),
                role: if proj.kind == ActivityKind::DoorToDoor { "入户宣传员" } else { "服务志愿者" },
                place: org.name.clone(),
                region: town_of(d, org.region).unwrap_or(org.region),
                starts_at: china(first + Duration::weeks(w), if evening { 19 } else { 9 }, 0),
                minutes: if evening { 90 } else { 180 },
                quantity: rng.random_range(3..=6),
            });
        }
    }
    // One shift starts within the day: the reminder task has something to send at start-up.
    if let Some(s) = out.shifts.iter_mut().find(|s| s.project.is_some()) {
        s.starts_at = now + Duration::hours(20);
    }
    // Places: volunteers of the town who can serve then and are free; some shifts left short.
    let mut spans: std::collections::HashMap<usize, Vec<Span>> = Default::default();
    for (si, sh) in out.shifts.iter().enumerate() {
        let span = Span { starts_at: sh.starts_at, minutes: sh.minutes };
        let want = if rng.random_bool(0.35) { rng.random_range(0..sh.quantity) } else { sh.quantity };
        let pool: Vec<usize> = (0..g.volunteers.len())
            .filter(|v| {
                let vol = &g.volunteers[*v];
                vol.status == Status::Verified
                    && town_of(d, vol.region) == Some(sh.region)
                    && fits(&vol.availability, sh.starts_at)
            })
            .collect();
        let mut taken = 0;
        let mut candidates: Vec<usize> = pool.choose_multiple(&mut rng, pool.len().min(40)).copied().collect();
        if let Some(f) = featured
            && si % 9 == 0
            && fits(&g.volunteers[f].availability, sh.starts_at)
        {
            candidates.insert(0, f);
        }
        for v in candidates {
            if taken >= want {
                break;
            }
            let held = spans.entry(v).or_default();
            if held.iter().any(|h| h.overlaps(span)) || out.places.iter().any(|p| p.shift == si && p.volunteer == v) {
                continue;
            }
            held.push(span);
            out.places.push(DemoPlace {
                shift: si,
                volunteer: v,
                source: if rng.random_bool(0.15) { PlaceSource::Staff } else { PlaceSource::Volunteer },
                offered: rng.random_bool(0.04),
            });
            taken += 1;
        }
    }
    // Commendations: last year's 优秀科普志愿者 for the ledger's leaders, and the stars reached.
    let mut minutes = vec![0i64; g.volunteers.len()];
    for r in g.records.iter().filter(|r| r.status == RecordStatus::Approved) {
        minutes[r.volunteer] += i64::from(r.minutes);
    }
    let mut ranked: Vec<usize> = (0..g.volunteers.len()).filter(|v| minutes[*v] > 0).collect();
    ranked.sort_by_key(|v| std::cmp::Reverse(minutes[*v]));
    let year = today.year();
    for (i, v) in ranked.iter().take(30).chain(featured.iter()).enumerate() {
        out.commendations.push(DemoCommendation {
            volunteer: *v,
            title: if i < 10 {
                format!("{}年度通州区优秀科普志愿者", year - 1)
            } else {
                format!("{}年度“最美科普志愿者”", year - 1)
            },
            awarded_by: if i < 10 {
                "南通市通州区科学技术协会"
            } else {
                "中共南通市通州区委宣传部、通州区科协"
            },
            awarded_on: NaiveDate::from_ymd_opt(year, 1, 10 + (i % 15) as u32).expect("valid date"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteer::shift::{Span, fits};

    #[test]
    fn the_demo_service_keeps_the_shift_rules() {
        let d = super::super::generate(1, 1);
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let g = generate(&d, 67, crate::estation::proof::day_of(now));
        let s = service(&d, &g, 67, now, Some(0));
        let sites = d.orgs.iter().filter(|o| o.kind == OrgKind::PracticeSite).count();
        assert!(s.projects.len() >= sites * 2);
        assert!(g.activities.iter().all(|a| a.kind != ActivityKind::CampaignEvent
            || matches!(crate::estation::proof::day_of(a.starts_at).month(), 5 | 9)));
        let mut gaps = 0;
        for (i, sh) in s.shifts.iter().enumerate() {
            let places: Vec<&DemoPlace> = s.places.iter().filter(|p| p.shift == i).collect();
            assert!(places.len() as i32 <= sh.quantity);
            gaps += usize::from((places.len() as i32) < sh.quantity);
            assert!(places.iter().all(|p| fits(&g.volunteers[p.volunteer].availability, sh.starts_at)));
        }
        assert!(gaps > 0, "some shifts are left short for staff to fill");
        for v in 0..g.volunteers.len() {
            let spans: Vec<Span> = s
                .places
                .iter()
                .filter(|p| p.volunteer == v)
                .map(|p| Span { starts_at: s.shifts[p.shift].starts_at, minutes: s.shifts[p.shift].minutes })
                .collect();
            for (a, x) in spans.iter().enumerate() {
                assert!(spans[a + 1..].iter().all(|y| !x.overlaps(*y)), "volunteer {v} holds overlapping shifts");
            }
        }
        assert!(s.shifts.iter().any(|sh| sh.starts_at - now <= Duration::hours(24) && sh.starts_at > now));
        assert!(s.commendations.len() >= 30);
    }
}
