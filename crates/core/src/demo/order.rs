//! The demo district's service orders (点单派单) over the year up to `today`: communities and
//! citizens of the towns order lectures, door-to-door sessions, stage shows and services; most
//! were dispatched to their town's team, held and rated (mostly four or five stars, a few
//! lower, with what people said); some were cancelled, one was declined and waits to be
//! dispatched again; the latest wait at every step.

use super::DemoDistrict;
use crate::activity::ActivityKind;
use crate::org::OrgKind;
use crate::region::RegionKind;
use crate::volunteer::order::{OrdererKind, Status};
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// An orderable service project already in the database, to order from the menu.
#[derive(Debug, Clone)]
pub struct MenuItem {
    pub id: i64,
    pub kind: ActivityKind,
    pub title: String,
}

pub struct DemoOrder {
    pub orderer_kind: OrdererKind,
    pub orderer: String,
    pub contact: String,
    pub phone: String,
    /// Index into `DemoDistrict::regions` (a town).
    pub region: usize,
    pub place: String,
    pub project: Option<i64>,
    pub kind: ActivityKind,
    pub topic: String,
    pub wanted_on: NaiveDate,
    pub audience: Option<i32>,
    pub detail: Option<String>,
    pub status: Status,
    /// Index into `DemoDistrict::orgs` (a team), once dispatched.
    pub team: Option<usize>,
    pub created_at: DateTime<Utc>,
    pub dispatched_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decline_note: Option<&'static str>,
    /// The activity the team planned, once accepted: (starts, ends).
    pub held: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_note: Option<String>,
    pub rating: Option<i32>,
    pub rating_note: Option<&'static str>,
    pub rated_at: Option<DateTime<Utc>>,
}

/// Orders in the demo year.
pub const ORDERS: usize = 60;

const TOPICS: [(ActivityKind, &[&str]); 4] = [
    (
        ActivityKind::Lecture,
        &[
            "老年人防诈骗讲座",
            "家庭用电安全讲座",
            "冬季流感防治讲座",
            "食品安全与合理膳食讲座",
            "青少年网络安全讲座",
            "高血压糖尿病防治讲座",
            "科学健身与防跌倒讲座",
        ],
    ),
    (
        ActivityKind::DoorToDoor,
        &["垃圾分类入户宣传", "燃气安全入户宣传", "防溺水安全入户宣传", "反电信诈骗入户宣传", "节约用水入户宣传"],
    ),
    (ActivityKind::StageShow, &["青少年科学实验秀", "科普情景剧《识破骗局》", "应急科普快板演出", "科普魔术进社区"]),
    (
        ActivityKind::Service,
        &["健康义诊与科普咨询", "老年人智能手机使用辅导", "家电义务维修与安全检查", "农技专家田头指导"],
    ),
];

const DETAILS: &[&str] = &[
    "以社区老年居民为主，希望多讲真实案例。",
    "周末上午为宜，社区可提供投影和音响。",
    "暑期托管班的孩子参加，希望有动手环节。",
    "村里留守老人多，最好用方言讲解。",
    "希望活动后留出时间答疑。",
];

const DECLINES: &[&str] =
    &["当天队员外出参加培训，时间冲突，请改派其他服务队。", "该主题需要医务人员，本队暂无合适人选。"];

const DONE_NOTES: &[&str] = &[
    "按计划完成，发放宣传资料一百余份，现场答疑二十余人次。",
    "活动顺利开展，居民参与积极，社区希望定期再来。",
    "完成服务，现场演示效果好，已留下联系方式便于回访。",
];

const PRAISE: &[&str] = &[
    "讲得生动易懂，老人们都说受益匪浅",
    "志愿者准时到场，准备充分，孩子们很喜欢",
    "内容实用，希望以后多来几次",
    "服务热情周到，居民反响很好",
];

const CRITICISM: &[&str] = &["时间偏短，提问没来得及回答", "开始晚了半个小时，音响效果一般"];

fn china(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = NaiveDateTime::new(day, NaiveTime::from_hms_opt(hour, 0, 0).expect("valid time"));
    Utc.from_utc_datetime(&local) - Duration::hours(8)
}

/// The statuses of the orders, oldest first: the year's orders were held and mostly rated, a
/// few cancelled; the newest wait at each step.
fn status_of(i: usize) -> Status {
    match ORDERS - i {
        1..=4 => Status::Ordered,
        5..=8 => Status::Dispatched,
        9..=13 => Status::Accepted,
        14..=20 => Status::Done,
        _ if i % 13 == 5 => Status::Cancelled,
        _ => Status::Rated,
    }
}

pub fn generate(d: &DemoDistrict, seed: u64, today: NaiveDate, menu: &[MenuItem]) -> Vec<DemoOrder> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let towns: Vec<usize> =
        (0..d.regions.len()).filter(|r| matches!(d.regions[*r].kind, RegionKind::Town | RegionKind::Street)).collect();
    let teams: Vec<usize> = (0..d.orgs.len()).filter(|o| d.orgs[*o].kind == OrgKind::VolunteerTeam).collect();
    let callers: Vec<usize> = (0..d.people.len()).filter(|p| d.people[*p].phone.is_some()).collect();
    let mut out = Vec::new();
    if towns.is_empty() || teams.is_empty() || callers.is_empty() {
        return out;
    }
    for i in 0..ORDERS {
        let status = status_of(i);
        let town = *towns.choose(&mut rng).expect("towns");
        let communities: Vec<usize> = (0..d.regions.len()).filter(|r| d.regions[*r].parent == Some(town)).collect();
        let community =
            communities.choose(&mut rng).map_or(d.regions[town].name.clone(), |c| d.regions[*c].name.clone());
        let person = &d.people[*callers.choose(&mut rng).expect("people")];
        let citizen = rng.random_bool(0.3);
        let (orderer_kind, orderer, place) = if citizen {
            let place = format!("{}{}{}号楼前广场", d.regions[town].name, community, rng.random_range(1..=30));
            (OrdererKind::Citizen, person.name.clone(), place)
        } else {
            let unit = if community.ends_with('村') { "村民委员会" } else { "居民委员会" };
            let place = format!("{community}新时代文明实践站");
            (OrdererKind::Community, format!("{}{community}{unit}", d.regions[town].name), place)
        };
        // Orders come through the year; the newest are the ones still moving.
        let age = ((ORDERS - i) as i64 * 320 / ORDERS as i64).max(1);
        let ordered_on = today - Duration::days(age);
        let wanted_on = if matches!(status, Status::Ordered | Status::Dispatched | Status::Accepted) {
            today + Duration::days(rng.random_range(5..40))
        } else {
            ordered_on + Duration::days(rng.random_range(7..25)).min(today - ordered_on)
        };
        let from_menu = (!menu.is_empty() && rng.random_bool(0.4)).then(|| menu.choose(&mut rng).expect("menu"));
        let (kind, topic, project) = match from_menu {
            Some(p) => (p.kind, p.title.chars().take(80).collect(), Some(p.id)),
            None => {
                let (kind, topics) = TOPICS.choose(&mut rng).expect("topics");
                (*kind, topics.choose(&mut rng).expect("topic").to_string(), None)
            }
        };
        let created_at = china(ordered_on, rng.random_range(8..21));
        // Half the cancelled orders were withdrawn before staff dispatched them.
        let withdrawn_early = status == Status::Cancelled && rng.random_bool(0.5);
        let dispatched = status != Status::Ordered && !withdrawn_early;
        let home_team = teams.iter().copied().find(|t| d.orgs[*t].region == town);
        let team = dispatched.then(|| home_team.unwrap_or_else(|| *teams.choose(&mut rng).expect("teams")));
        let dispatched_at = dispatched.then(|| created_at + Duration::hours(rng.random_range(2..48)));
        let accepted = matches!(status, Status::Accepted | Status::Done | Status::Rated);
        let decided_at =
            accepted.then(|| dispatched_at.unwrap_or(created_at) + Duration::hours(rng.random_range(1..24)));
        let held = accepted.then(|| {
            let start = china(wanted_on, *[9, 14, 19].choose(&mut rng).expect("hours"));
            (start, start + Duration::minutes(*[90, 120, 150].choose(&mut rng).expect("lengths")))
        });
        let done = matches!(status, Status::Done | Status::Rated);
        let done_at = held.filter(|_| done).map(|(_, end)| end + Duration::hours(2));
        let rating = (status == Status::Rated).then(|| {
            let roll: f64 = rng.random();
            if roll < 0.6 {
                5
            } else if roll < 0.9 {
                4
            } else if roll < 0.96 {
                3
            } else {
                2
            }
        });
        let rating_note = rating.and_then(|r| {
            if r <= 3 {
                CRITICISM.choose(&mut rng).copied()
            } else {
                rng.random_bool(0.7).then(|| *PRAISE.choose(&mut rng).expect("praise"))
            }
        });
        // The first order waiting for staff was declined once by the team it went to.
        let declined = status == Status::Ordered && ORDERS - i == 4;
        out.push(DemoOrder {
            orderer_kind,
            orderer,
            contact: person.name.clone(),
            phone: person.phone.clone().unwrap_or_default(),
            region: town,
            place,
            project,
            kind,
            topic,
            wanted_on,
            audience: rng.random_bool(0.8).then(|| rng.random_range(3..=24) * 10),
            detail: rng.random_bool(0.6).then(|| DETAILS.choose(&mut rng).expect("details").to_string()),
            status,
            team,
            created_at,
            dispatched_at,
            decided_at: if declined { Some(created_at + Duration::hours(30)) } else { decided_at },
            decline_note: declined.then(|| *DECLINES.choose(&mut rng).expect("reasons")),
            held,
            done_at,
            done_note: done_at.map(|_| DONE_NOTES.choose(&mut rng).expect("notes").to_string()),
            rated_at: rating.and(done_at).map(|t| t + Duration::hours(rng.random_range(3..72))),
            rating,
            rating_note,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::volunteer::order::OrderForm;

    #[test]
    fn orders_in_every_state_that_pass_their_own_checks() {
        let d = super::super::generate(1, 2026);
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let menu = [MenuItem { id: 3, kind: ActivityKind::Lecture, title: "周末科学小实验课堂".into() }];
        let orders = generate(&d, 11, today, &menu);
        assert_eq!(orders.len(), ORDERS);
        for s in Status::ALL {
            assert!(orders.iter().any(|o| o.status == s), "{s:?}");
        }
        assert!(orders.iter().any(|o| o.project == Some(3)));
        assert!(orders.iter().any(|o| o.decline_note.is_some() && o.status == Status::Ordered));
        let rated: Vec<i32> = orders.iter().filter_map(|o| o.rating).collect();
        assert!(rated.iter().filter(|r| **r >= 4).count() * 10 >= rated.len() * 8, "mostly four or five stars");
        for o in &orders {
            assert_eq!(o.team.is_some(), o.dispatched_at.is_some());
            assert_eq!(o.held.is_some(), matches!(o.status, Status::Accepted | Status::Done | Status::Rated));
            assert_eq!(o.rating.is_some(), o.status == Status::Rated);
            assert!(o.created_at <= china(today, 23));
            // What the public form would have accepted the day it was sent.
            let f = OrderForm {
                orderer_kind: o.orderer_kind.code().into(),
                orderer: o.orderer.clone(),
                contact: o.contact.clone(),
                phone: o.phone.clone(),
                region_id: "1".into(),
                place: o.place.clone(),
                kind: o.kind.code().into(),
                topic: o.topic.clone(),
                wanted_on: o.wanted_on.to_string(),
                audience: o.audience.map(|a| a.to_string()).unwrap_or_default(),
                detail: o.detail.clone().unwrap_or_default(),
                project_id: o.project.map(|p| p.to_string()).unwrap_or_default(),
            };
            let sent_on = crate::estation::proof::day_of(o.created_at);
            assert!(f.check(sent_on).is_ok(), "{:?}", f.check(sent_on));
        }
    }
}
