//! The demo district's e-station network: each 科普e站 with its coordinates, opening hours,
//! audience and 五有 checklist, one screen each (the district's 112), a library of HTML science
//! slides, the standing schedule, groups, and a year of proof of play (some stations short,
//! some days offline).
//! Times are offsets from the moment of loading, so the demo always has something on air.

use super::DemoDistrict;
use crate::estation::daypart::{self, Daypart};
use crate::org::OrgKind;
use crate::region::RegionKind;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Town centres (approximate), by town name; stations scatter around them.
const CENTRES: &[(&str, f64, f64)] = &[
    ("金沙街道", 32.084, 121.073),
    ("金新街道", 32.047, 121.092),
    ("西亭镇", 32.118, 120.993),
    ("二甲镇", 32.131, 121.236),
    ("东社镇", 32.176, 121.167),
    ("三余镇", 32.121, 121.372),
    ("十总镇", 32.203, 121.081),
    ("骑岸镇", 32.181, 121.223),
    ("五接镇", 31.972, 121.103),
    ("兴仁镇", 32.083, 120.931),
    ("兴东街道", 32.052, 121.021),
    ("张芝山镇", 31.991, 121.181),
    ("川姜镇", 32.031, 121.252),
    ("先锋街道", 32.029, 121.134),
    ("刘桥镇", 32.198, 121.004),
    ("平潮镇", 32.131, 120.902),
    ("平东镇", 32.127, 120.955),
    ("石港镇", 32.277, 120.983),
    ("南通高新区", 32.018, 121.052),
    ("通州湾示范区", 32.102, 121.451),
];

/// Slides: title, seconds on screen, topic line, three points.
const SLIDES: &[(&str, u32, &str, [&str; 3])] = &[
    (
        "冬季流感防治小贴士",
        20,
        "卫生健康",
        [
            "流感高发季节，老人和儿童尽早接种流感疫苗",
            "出现发热、咳嗽等症状及时就医，居家休息不带病上班上学",
            "勤洗手、常通风，咳嗽打喷嚏用纸巾或肘部遮挡",
        ],
    ),
    (
        "电动自行车安全充电",
        20,
        "消防安全",
        [
            "电动自行车严禁进楼入户、飞线充电",
            "使用原厂充电器，充满后及时断电，充电时间不超过8小时",
            "到小区集中充电桩充电，发现电池鼓包立即停用",
        ],
    ),
    (
        "防范电信网络诈骗",
        20,
        "公共安全",
        [
            "不轻信陌生来电自称公检法、客服要求转账",
            "不点击来历不明的链接，不下载陌生APP",
            "下载“国家反诈中心”APP，遇到可疑情况拨打96110",
        ],
    ),
    (
        "垃圾分类知多少",
        15,
        "生态环保",
        [
            "南通生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾",
            "废电池、过期药品、废灯管属于有害垃圾",
            "厨余垃圾沥干水分后投放，塑料袋投入其他垃圾",
        ],
    ),
    (
        "科学健身 护心行动",
        15,
        "卫生健康",
        [
            "成年人每周至少150分钟中等强度运动",
            "运动前热身5至10分钟，运动中出现胸闷胸痛立即停止",
            "控制体重、限盐限油、戒烟限酒，定期测量血压",
        ],
    ),
    (
        "隔夜菜能不能吃",
        15,
        "食品安全",
        [
            "剩菜及时放入冰箱冷藏，尽量在24小时内吃完",
            "绿叶蔬菜最好现做现吃，剩菜彻底加热后再食用",
            "凉拌菜、海鲜不宜隔夜存放",
        ],
    ),
    (
        "防溺水安全教育",
        20,
        "公共安全",
        [
            "不私自下水游泳，不擅自与他人结伴游泳",
            "不在无家长或老师带领的情况下游泳，不到无安全设施、无救援人员的水域游泳",
            "发现有人溺水，立即呼救并拨打110、120，不盲目下水施救",
        ],
    ),
    (
        "地震应急避险常识",
        20,
        "应急避险",
        [
            "室内避震：就近躲在坚固的桌子下或墙角，护住头颈",
            "不要乘坐电梯，不要跳楼逃生",
            "震后迅速撤离到空旷地带，远离高楼、电线杆",
        ],
    ),
    (
        "节约用水 从我做起",
        15,
        "生态环保",
        [
            "洗菜水可以浇花、冲厕所，一水多用",
            "及时关紧水龙头，发现管道滴漏及时维修",
            "选用节水型器具，一只节水马桶每年可节约用水约1万升",
        ],
    ),
    (
        "读懂碳达峰与碳中和",
        20,
        "科技前沿",
        [
            "碳达峰：二氧化碳排放量达到峰值后逐步回落",
            "碳中和：通过植树造林、节能减排抵消自身排放，实现“净零排放”",
            "我国力争2030年前碳达峰、2060年前碳中和",
        ],
    ),
    (
        "老年人智能手机使用指南",
        20,
        "数字素养",
        [
            "学会网上挂号、扫码乘车和视频通话",
            "开启手机“长辈模式”，字体更大、操作更简单",
            "不随意点击中奖、退款信息，遇事先问子女或社区",
        ],
    ),
    (
        "心肺复苏急救四步法",
        25,
        "应急避险",
        [
            "判断意识：轻拍双肩大声呼唤，无反应立即拨打120",
            "胸外按压：两乳头连线中点，每分钟100至120次，深度5至6厘米",
            "开放气道、人工呼吸，按压与通气比例30:2，有AED尽快使用",
        ],
    ),
    (
        "应急科普：流感季正确佩戴口罩",
        15,
        "应急避险",
        [
            "口罩颜色深的一面朝外，金属条在上方",
            "按压鼻夹使口罩贴合面部，完全覆盖口鼻和下巴",
            "口罩潮湿、污染后及时更换，摘下后不要触碰外侧",
        ],
    ),
];

/// Index into `SLIDES` of the one kept for emergencies: never on the standing schedule.
pub const EMERGENCY_SLIDE: usize = 12;

/// Days of proof of play the demo holds, ending yesterday: a year, what people report over.
pub const HISTORY_DAYS: i64 = 365;

/// Share of one day's scheduled airtime a station's screen played: none on the days it was
/// offline (more often at weak stations), otherwise about its usual share.
pub fn day_share(s: &DemoStation, rng: &mut impl Rng) -> f64 {
    let weak = s.played_share < crate::estation::proof::SHORTFALL;
    if rng.random_bool(if weak { 0.08 } else { 0.02 }) {
        return 0.0;
    }
    (s.played_share + rng.random_range(-0.06..0.06)).clamp(0.0, 1.0)
}

pub struct DemoMedia {
    pub title: &'static str,
    pub duration_s: u32,
    pub html: String,
}

pub struct DemoStation {
    /// Index into `DemoDistrict::orgs`.
    pub org: usize,
    pub lat: f64,
    pub lng: f64,
    pub hours: &'static str,
    pub audience_per_hour: i32,
    pub has_counter: bool,
    pub five: [bool; 5],
    pub tags: Vec<&'static str>,
    /// Minutes since the screen was last heard from, at loading.
    pub last_seen_minutes: i64,
    /// Share of its scheduled airtime the screen usually plays (under `SHORTFALL` for the
    /// weak ones).
    pub played_share: f64,
}

pub struct DemoGroup {
    pub name: &'static str,
    pub parent: Option<usize>,
    /// Indexes into `DemoNetwork::stations`.
    pub stations: Vec<usize>,
}

/// A schedule entry: slide, priority, dayparts, days valid before and after loading,
/// and the group it targets (None: every station).
pub struct DemoEntry {
    pub media: usize,
    pub priority: i32,
    pub dayparts: Vec<Daypart>,
    pub days_before: i64,
    pub days_after: i64,
    pub group: Option<usize>,
}

pub struct DemoNetwork {
    pub media: Vec<DemoMedia>,
    pub stations: Vec<DemoStation>,
    pub groups: Vec<DemoGroup>,
    pub entries: Vec<DemoEntry>,
}

fn slide(title: &str, topic: &str, points: &[&str; 3]) -> String {
    let items: String = points.iter().map(|p| format!("<li>{p}</li>")).collect();
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title><style>\
body{{margin:0;height:100vh;display:flex;flex-direction:column;justify-content:center;padding:0 8vw;\
background:linear-gradient(135deg,#0b4f8a,#1677c9);color:#fff;font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif}}\
.topic{{font-size:3vw;opacity:.8}}h1{{font-size:6vw;margin:.4em 0}}li{{font-size:3.2vw;margin:.5em 0}}\
footer{{position:fixed;bottom:3vh;right:5vw;font-size:2vw;opacity:.7}}</style></head><body>\
<div class=\"topic\">{topic}</div><h1>{title}</h1><ul>{items}</ul><footer>南通市通州区科学技术协会</footer></body></html>"
    )
}

fn town_of(d: &DemoDistrict, mut region: usize) -> &str {
    while let Some(p) = d.regions[region].parent {
        if d.regions[region].kind.level() == 1 {
            break;
        }
        region = p;
    }
    debug_assert!(d.regions[region].kind != RegionKind::District);
    &d.regions[region].name
}

pub fn generate(d: &DemoDistrict, seed: u64) -> DemoNetwork {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let media = SLIDES
        .iter()
        .map(|(title, secs, topic, points)| DemoMedia { title, duration_s: *secs, html: slide(title, topic, points) })
        .collect();
    let hours = ["08:00-20:00", "08:30-17:30", "07:30-21:00", "09:00-18:00"];
    let tag_pool = ["老年人", "青少年", "党群服务中心", "新时代文明实践站", "农村", "城市社区", "学校周边"];
    let mut stations = Vec::new();
    for (i, o) in d.orgs.iter().enumerate().filter(|(_, o)| o.kind == OrgKind::Estation) {
        let town = town_of(d, o.region);
        let (_, lat, lng) = CENTRES.iter().find(|(n, _, _)| *n == town).copied().unwrap_or(("", 32.06, 121.07));
        let missing = if rng.random_bool(0.15) { Some(rng.random_range(0..5)) } else { None };
        let five = std::array::from_fn(|k| Some(k) != missing);
        let n_tags = rng.random_range(1..=2);
        let mut tags: Vec<&'static str> = tag_pool.choose_multiple(&mut rng, n_tags).copied().collect();
        tags.sort_unstable();
        stations.push(DemoStation {
            org: i,
            lat: ((lat + rng.random_range(-0.025..0.025)) * 1e4).round() / 1e4,
            lng: ((lng + rng.random_range(-0.03..0.03)) * 1e4).round() / 1e4,
            hours: hours.choose(&mut rng).copied().unwrap_or(hours[0]),
            audience_per_hour: rng.random_range(15..=90),
            has_counter: rng.random_bool(0.2),
            five,
            tags,
            last_seen_minutes: if rng.random_bool(0.9) {
                rng.random_range(0..2)
            } else {
                rng.random_range(6 * 60..5 * 24 * 60)
            },
            played_share: if rng.random_bool(0.15) { rng.random_range(0.3..0.75) } else { rng.random_range(0.9..1.0) },
        });
    }
    let by_tag = |tag: &str| -> Vec<usize> {
        stations.iter().enumerate().filter(|(_, s)| s.tags.contains(&tag)).map(|(i, _)| i).collect()
    };
    let elderly = by_tag("老年人");
    let youth = by_tag("青少年");
    let mut rural = by_tag("农村");
    rural.retain(|i| !elderly.contains(i));
    let groups = vec![
        DemoGroup { name: "重点人群站点", parent: None, stations: Vec::new() },
        DemoGroup { name: "老年人集中社区", parent: Some(0), stations: elderly },
        DemoGroup { name: "青少年活动站点", parent: Some(0), stations: youth },
        DemoGroup { name: "农村站点", parent: None, stations: rural },
    ];
    // Screens run while stations are open, at the longest 07:00–21:00.
    let open_hours = daypart::parse("1-7 07:00-21:00").expect("valid daypart");
    let mut entries: Vec<DemoEntry> = (0..EMERGENCY_SLIDE)
        .filter(|m| ![10, 6].contains(m))
        .map(|m| DemoEntry {
            media: m,
            priority: 0,
            dayparts: open_hours.clone(),
            days_before: HISTORY_DAYS + 30,
            days_after: 300,
            group: None,
        })
        .collect();
    entries.push(DemoEntry {
        media: 10,
        priority: 5,
        dayparts: daypart::parse("1-5 09:00-11:00").expect("valid"),
        days_before: 30,
        days_after: 120,
        group: Some(1),
    });
    entries.push(DemoEntry {
        media: 6,
        priority: 5,
        dayparts: daypart::parse("6-7 14:00-17:00").expect("valid"),
        days_before: 30,
        days_after: 120,
        group: Some(2),
    });
    entries.push(DemoEntry {
        media: 9,
        priority: 0,
        dayparts: open_hours,
        days_before: 10,
        days_after: 50,
        group: Some(3),
    });
    // After hours the screens that stay on (most are in halls open late) loop two slides.
    for media in [0, 3] {
        entries.push(DemoEntry {
            media,
            priority: -1,
            dayparts: Vec::new(),
            days_before: HISTORY_DAYS + 30,
            days_after: 300,
            group: None,
        });
    }
    DemoNetwork { media, stations, groups, entries }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estation::media;

    #[test]
    fn a_network_per_district() {
        let d = crate::demo::generate(1, 2026);
        let n = generate(&d, 7);
        assert_eq!(n.stations.len(), 112);
        assert!(n.stations.iter().all(|s| (31.9..32.35).contains(&s.lat) && (120.85..121.5).contains(&s.lng)));
        assert!(n.stations.iter().any(|s| s.has_counter) && n.stations.iter().any(|s| !s.has_counter));
        assert!(n.stations.iter().any(|s| s.played_share < proof_threshold()));
        for m in &n.media {
            assert_eq!(media::check("slide.html", m.html.as_bytes()).unwrap().media_type, "text/html", "{}", m.title);
        }
        assert!(n.entries.iter().all(|e| e.media != EMERGENCY_SLIDE));
        assert!(n.groups[1].stations.len() > 5, "the elderly group has stations");
    }

    #[test]
    fn most_days_near_the_usual_share() {
        let d = crate::demo::generate(1, 2026);
        let n = generate(&d, 7);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for s in &n.stations {
            let shares: Vec<f64> = (0..HISTORY_DAYS).map(|_| day_share(s, &mut rng)).collect();
            let offline = shares.iter().filter(|x| **x == 0.0).count();
            assert!(offline < 60, "offline {offline} days");
            let mean = shares.iter().sum::<f64>() / shares.len() as f64;
            assert!((mean - s.played_share).abs() < 0.12, "{mean} vs {}", s.played_share);
        }
    }

    fn proof_threshold() -> f64 {
        crate::estation::proof::SHORTFALL
    }
}
