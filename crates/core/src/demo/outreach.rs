//! The demo district's outreach (科普宣传) year: some 120 pieces of science content with
//! realistic titles, the year's campaigns (科普宣传周, 全国科普日, 科技节 and a flu-season
//! emergency campaign), their publications on the eight hand-recorded channels with reach and
//! its basis (about 150,000 person-times), a few pieces still in review, and resources handed
//! out to towns and schools. Everything falls in the year of `today` and never after it.

use super::DemoDistrict;
use crate::org::OrgKind;
use crate::outreach::Channel;
use crate::outreach::campaign::CampaignKind;
use crate::outreach::content::{AUDIENCES, Source, TOPICS};
use crate::outreach::publication::accounts;
use crate::outreach::review::ContentStatus;
use chrono::{Datelike, Duration, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub struct DemoContent {
    pub title: String,
    pub topic: &'static str,
    pub audience: &'static str,
    pub source: Source,
    pub source_name: Option<&'static str>,
    pub tags: Vec<String>,
    pub summary: String,
    /// HTML of 3–5 paragraphs.
    pub body: String,
    pub status: ContentStatus,
    /// Index into `DemoOutreach::campaigns`.
    pub campaign: Option<usize>,
    /// The day the draft was written; reviews follow over the next days.
    pub created_on: NaiveDate,
    /// The day it was released (approved) and first published; `None` while in review.
    pub released_on: Option<NaiveDate>,
}

pub struct DemoCampaign {
    pub name: String,
    pub kind: CampaignKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: String,
    /// The piece an emergency campaign launched with.
    pub content: Option<usize>,
}

pub struct DemoPublication {
    /// Index into `DemoOutreach::contents`.
    pub content: usize,
    pub channel: Channel,
    pub account: &'static str,
    pub published_on: NaiveDate,
    pub link: Option<String>,
    pub issue: Option<String>,
    /// Index into `DemoDistrict::regions` (a town), for stage shows.
    pub region: Option<usize>,
    pub campaign: Option<usize>,
    /// `None` where nobody entered the figure yet.
    pub person_times: Option<i64>,
    pub basis: Option<String>,
}

pub struct DemoDistribution {
    pub resource: String,
    pub resource_kind: &'static str,
    pub quantity: i32,
    pub recipient: String,
    /// Index into `DemoDistrict::regions`.
    pub region: usize,
    pub sent_on: NaiveDate,
    pub note: Option<String>,
    pub signed: Option<(String, NaiveDate)>,
}

#[derive(Default)]
pub struct DemoOutreach {
    pub contents: Vec<DemoContent>,
    pub campaigns: Vec<DemoCampaign>,
    pub publications: Vec<DemoPublication>,
    pub distributions: Vec<DemoDistribution>,
}

impl DemoOutreach {
    /// Person-times entered over the year.
    pub fn total_reach(&self) -> i64 {
        self.publications.iter().filter_map(|p| p.person_times).sum()
    }
}

/// Per topic (in the order of `TOPICS`): subjects, angle templates, the usual audience,
/// partner bodies for reprints, and advice sentences for the body.
struct Topic {
    subjects: &'static [&'static str],
    angles: &'static [&'static str],
    audience: &'static str,
    partner: &'static str,
    advice: &'static [&'static str],
}

const TOPIC_TABLE: [Topic; 12] = [
    Topic {
        subjects: &["糖尿病", "高血压", "流感", "近视", "龋齿", "颈椎病"],
        angles: &["冬季{}防治指南", "关于{}的五个误区", "社区医生讲{}", "{}知识问答", "{}早发现早干预"],
        audience: "社会公众",
        partner: "通州区人民医院",
        advice: &[
            "专家提醒，定期体检是早发现、早干预的关键，40岁以上人群每年至少检查一次。",
            "饮食上要少盐少油少糖，多吃蔬菜水果，保持每天6000步以上的身体活动。",
            "出现不适症状要及时到正规医疗机构就诊，不要轻信偏方和保健品宣传。",
            "家庭医生签约居民可通过社区卫生服务中心预约随访，享受慢病管理服务。",
        ],
    },
    Topic {
        subjects: &["溺水", "火灾", "地震", "电梯困人", "燃气泄漏", "触电"],
        angles: &["{}时如何自救", "{}应急处置要点", "孩子遇到{}怎么办", "{}避险知识问答"],
        audience: "青少年",
        partner: "通州区应急管理局",
        advice: &[
            "遇到险情首先要保持冷静，迅速判断周围环境，第一时间拨打119、120或110求助。",
            "家中应常备手电筒、急救包和灭火器，并定期检查是否在有效期内。",
            "学校和社区每年组织应急疏散演练，大家要熟悉身边的安全出口和应急避难场所。",
            "不要盲目施救，在保证自身安全的前提下寻求专业救援力量帮助。",
        ],
    },
    Topic {
        subjects: &["台风", "暴雨内涝", "雷电", "寒潮", "高温", "大雾"],
        angles: &["{}来了怎么办", "{}防御指南", "{}预警信号怎么看", "农村{}防范要点"],
        audience: "社会公众",
        partner: "通州区气象局",
        advice: &[
            "气象部门发布预警后，请及时关注“通州发布”和科普e站滚动信息，减少不必要的外出。",
            "预警信号分为蓝色、黄色、橙色、红色四级，红色为最高级别。",
            "农村地区要提前加固大棚和简易房屋，疏通田间沟渠，转移低洼地带人员和物资。",
            "驾车出行遇到积水路段不要强行通过，车辆熄火后不要再次启动。",
        ],
    },
    Topic {
        subjects: &["野生蘑菇", "隔夜菜", "食品添加剂", "预制菜", "保健食品", "散装食品"],
        angles: &["{}安全吗", "关于{}的常见误区", "{}选购小贴士", "科学看待{}"],
        audience: "社会公众",
        partner: "通州区市场监督管理局",
        advice: &[
            "购买食品要查看生产日期、保质期和生产许可编号，到正规商超和农贸市场选购。",
            "食品添加剂在国家标准范围内使用是安全的，不必谈之色变。",
            "发现食品安全问题可拨打12315投诉举报，保留好购物小票和实物。",
            "生熟分开、烧熟煮透、低温保存，是家庭厨房防止食源性疾病的基本要求。",
        ],
    },
    Topic {
        subjects: &["垃圾分类", "塑料污染", "长江大保护", "生物多样性", "水环境治理", "湿地保护"],
        angles: &["一图读懂{}", "{}从我做起", "{}知识问答", "走近{}"],
        audience: "社会公众",
        partner: "南通市通州生态环境局",
        advice: &[
            "南通生活垃圾分为可回收物、有害垃圾、厨余垃圾和其他垃圾四类，请分类投放。",
            "减少一次性塑料制品使用，购物时自带环保袋，外卖尽量选择“无需餐具”。",
            "通州境内河网密布，保护好每一条河道，就是保护我们共同的家园。",
            "发现偷排偷倒等环境违法行为，可拨打12345或通过“江苏生态环境”小程序举报。",
        ],
    },
    Topic {
        subjects: &["家庭节电", "新能源汽车", "光伏发电", "绿色出行", "节约用水", "碳足迹"],
        angles: &["{}知多少", "一文读懂{}", "{}的科学道理", "身边的{}"],
        audience: "社会公众",
        partner: "国网南通市通州区供电公司",
        advice: &[
            "空调夏季设定在26摄氏度以上，冬季不高于20摄氏度，既舒适又节能。",
            "家用电器不用时拔掉插头，待机能耗一年下来也是一笔不小的开支。",
            "短途出行优先选择步行、骑行和公共交通，既锻炼身体又减少排放。",
            "农村屋顶分布式光伏发展迅速，安装前要选择有资质的企业并签订规范合同。",
        ],
    },
    Topic {
        subjects: &["水稻", "小麦", "设施蔬菜", "梨树", "蚕桑", "稻田综合种养"],
        angles: &["{}病虫害绿色防控", "{}高产栽培技术", "{}春季管理要点", "专家田头讲{}"],
        audience: "农民",
        partner: "通州区农业技术推广中心",
        advice: &[
            "农技专家建议，根据田间病虫情况科学选药、精准施药，严格遵守农药安全间隔期。",
            "推广使用杀虫灯、性诱剂和生物农药，减少化学农药用量。",
            "合理轮作、测土配方施肥，既能提高产量，又能保护耕地质量。",
            "遇到技术难题可联系镇农技站，或通过“科技特派员”服务热线预约专家上门指导。",
        ],
    },
    Topic {
        subjects: &["人工智能", "大模型", "5G", "北斗导航", "数据安全", "智能手机"],
        angles: &["一文读懂{}", "{}如何改变生活", "老年人如何用好{}", "{}的前世今生"],
        audience: "社会公众",
        partner: "南通大学信息科学技术学院",
        advice: &[
            "新技术正在走进日常生活，从看病挂号到农田管理，都能看到它们的身影。",
            "使用智能应用时要注意保护个人信息，不随意授权通讯录、位置等权限。",
            "子女可以多花一点时间教家中老人使用智能手机，帮助他们跨越“数字鸿沟”。",
            "社区科普e站设有体验区，欢迎居民前来了解和体验最新科技成果。",
        ],
    },
    Topic {
        subjects: &["中国空间站", "嫦娥探月", "火星探测", "运载火箭", "北斗卫星", "天文观测"],
        angles: &["{}背后的科学", "青少年眼中的{}", "{}知识问答", "走近{}"],
        audience: "青少年",
        partner: "南通市科技馆",
        advice: &[
            "我国航天事业从“两弹一星”到载人航天、探月工程，走出了一条自力更生的发展道路。",
            "航天员在失重环境下生活和工作，需要经过长期严格的训练。",
            "同学们可以在学校科技社团和区青少年科技活动中心参加航模、天文观测等活动。",
            "仰望星空、脚踏实地，每一个航天梦都从好奇心和勤学好问开始。",
        ],
    },
    Topic {
        subjects: &["刷单返利", "冒充客服", "虚假投资理财", "冒充公检法", "网络贷款", "虚假购物"],
        angles: &["警惕{}诈骗", "{}诈骗案例剖析", "识破{}骗局", "{}诈骗防范要点"],
        audience: "老年人",
        partner: "南通市公安局通州分局",
        advice: &[
            "凡是要求转账到“安全账户”的，都是诈骗；公检法机关不会通过电话办案。",
            "不点击来历不明的链接，不下载陌生APP，不向陌生人透露验证码。",
            "下载安装“国家反诈中心”APP，遇到可疑情况及时拨打96110咨询。",
            "家中老人是诈骗分子的重点目标，子女要多沟通、多提醒。",
        ],
    },
    Topic {
        subjects: &["袁隆平", "钱学森", "屠呦呦", "黄大年", "南仁东", "李四光"],
        angles: &["{}的科学人生", "学习{}的科学家精神", "{}的故事", "致敬{}"],
        audience: "青少年",
        partner: "南通市科学技术协会",
        advice: &[
            "胸怀祖国、服务人民的爱国精神，是科学家精神的核心。",
            "他们几十年如一日扎根一线，用实际行动诠释了淡泊名利、潜心研究的奉献精神。",
            "学校可结合“科学家精神进校园”活动，组织学生阅读科学家传记、观看纪录片。",
            "弘扬科学家精神，激励更多青少年树立科技报国的远大志向。",
        ],
    },
    Topic {
        subjects: &["青少年焦虑", "老年孤独", "职场压力", "睡眠障碍", "考试焦虑", "产后抑郁"],
        angles: &["如何应对{}", "关注{}", "{}的自我调适", "心理专家谈{}"],
        audience: "社会公众",
        partner: "南通市第四人民医院",
        advice: &[
            "心理专家建议，保持规律作息、适度运动，是调节情绪最简单有效的方法。",
            "遇到烦恼不要独自承受，可以向家人朋友倾诉，必要时寻求专业心理咨询。",
            "全国统一心理援助热线12356提供免费心理咨询服务。",
            "家人之间多一些陪伴和理解，是最好的“心理保健品”。",
        ],
    },
];

/// The flu-season emergency campaign's own pieces; the first one launched it.
const EMERGENCY_TITLES: [(&str, &str, &str); 4] = [
    ("流感高发季，这份防护指南请收好", "健康卫生", "社会公众"),
    ("流感和普通感冒有何不同", "健康卫生", "社会公众"),
    ("老人和儿童如何预防流感", "健康卫生", "老年人"),
    ("出现流感症状怎么办", "应急避险", "社会公众"),
];

const FLU_ADVICE: [&str; 4] = [
    "当前正值流感高发季节，疾控部门提醒，60岁以上老人、慢性病患者和儿童尽早接种流感疫苗。",
    "出现发热、咳嗽、咽痛等症状应及时就医，居家休息，不带病上班上学。",
    "勤洗手、常通风、戴口罩，咳嗽打喷嚏时用纸巾或肘部遮挡口鼻。",
    "公共场所和人员密集区域要做好通风消毒，学校、养老机构要落实晨午检制度。",
];

const PIECES: usize = 120;

/// Publications per channel beyond each piece's first (on WeChat or the website).
const EXTRA: [(Channel, usize); 8] = [
    (Channel::Wechat, 6),
    (Channel::ShortVideo, 9),
    (Channel::Website, 8),
    (Channel::App, 14),
    (Channel::Newspaper, 2),
    (Channel::Radio, 8),
    (Channel::Tv, 1),
    (Channel::Stage, 10),
];

const STAGE_FORMS: [&str; 4] = ["快板", "小品", "相声", "三句半"];
const STAGE_PLACES: [&str; 4] = ["文化广场", "新时代文明实践站", "社区广场", "文体中心"];

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// Generates the outreach year of `today`; the same `(seed, today)` gives the same year.
pub fn generate(d: &DemoDistrict, seed: u64, today: NaiveDate) -> DemoOutreach {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let y = today.year();
    let jan1 = day(y, 1, 1);
    let mut out = DemoOutreach::default();

    // ---- campaigns ----
    let campaigns = [
        (
            "流感季应急科普".to_string(),
            CampaignKind::Emergency,
            day(y, 1, 5),
            day(y, 1, 31),
            "流感进入高发期，全区科普e站插播防护提示，各渠道同步发布流感防治知识。",
        ),
        (
            format!("{y}年科普宣传周"),
            CampaignKind::ScienceWeek,
            day(y, 5, 16),
            day(y, 5, 22),
            "以“科技创新 全民共享”为主题，在各镇（街道）开展科普进社区、进校园、进农村活动。",
        ),
        (
            format!("{y}年全国科普日"),
            CampaignKind::ScienceDay,
            day(y, 9, 15),
            day(y, 9, 21),
            "全国科普日通州区主场活动及各镇（街道）分会场活动，线上线下同步开展。",
        ),
        (
            "通州区第十届科技节".to_string(),
            CampaignKind::TechFestival,
            day(y, 10, 20),
            day(y, 11, 5),
            "青少年科技创新大赛、机器人竞赛、科普剧展演和科技成果展。",
        ),
    ];
    for (name, kind, starts_on, ends_on, description) in campaigns {
        out.campaigns.push(DemoCampaign {
            name,
            kind,
            starts_on,
            ends_on,
            description: description.into(),
            content: None,
        });
    }

    // ---- titles: the emergency pieces, then subjects × angles, round-robin over topics ----
    let mut combos: Vec<Vec<(String, &'static str)>> = TOPIC_TABLE
        .iter()
        .map(|t| {
            let mut c: Vec<(String, &'static str)> =
                t.subjects.iter().flat_map(|s| t.angles.iter().map(move |a| (a.replace("{}", s), *s))).collect();
            c.shuffle(&mut rng);
            c
        })
        .collect();
    let mut titles: Vec<(String, usize, &'static str, Option<&'static str>)> = EMERGENCY_TITLES
        .iter()
        .map(|(title, topic, audience)| {
            let t = TOPICS.iter().position(|x| x == topic).expect("a topic");
            (title.to_string(), t, "流感", Some(*audience))
        })
        .collect();
    let mut t = 0;
    while titles.len() < PIECES {
        if let Some((title, subject)) = combos[t % TOPICS.len()].pop()
            && !titles.iter().any(|x| x.0 == title)
        {
            titles.push((title, t % TOPICS.len(), subject, None));
        }
        t += 1;
    }

    // ---- statuses and dates ----
    // The 4 emergency pieces open the year; the rest are spread over it, campaign pieces in
    // their windows, the last ones still in review.
    let open = |c: &DemoCampaign| c.starts_on <= today;
    let mut plan: Vec<(ContentStatus, Option<usize>, NaiveDate)> = Vec::with_capacity(PIECES);
    for i in 0..EMERGENCY_TITLES.len() {
        let on = day(y, 1, 5) + Duration::days(i as i64 * 3);
        let status = if on <= today { ContentStatus::Published } else { ContentStatus::Approved };
        plan.push((status, Some(0), on.min(today)));
    }
    let in_review = [
        (ContentStatus::Draft, 6),
        (ContentStatus::Submitted, 4),
        (ContentStatus::ScienceReviewed, 3),
        (ContentStatus::Approved, 2),
    ];
    let reviewing: usize = in_review.iter().map(|r| r.1).sum();
    let per_campaign = [(1, 8), (2, 8), (3, 6)];
    let last_release = (today - Duration::days(4)).max(jan1);
    for (c, n) in per_campaign {
        let camp = &out.campaigns[c];
        for _ in 0..n {
            if open(camp) {
                let span = (camp.ends_on.min(today) - camp.starts_on).num_days().max(0);
                let on = camp.starts_on + Duration::days(rng.random_range(0..=span));
                plan.push((ContentStatus::Published, Some(c), on));
            } else {
                // A campaign still to come has its pieces ready.
                plan.push((ContentStatus::Approved, Some(c), today));
            }
        }
    }
    while plan.len() < PIECES - reviewing {
        let span = (last_release - jan1).num_days().max(0);
        plan.push((ContentStatus::Published, None, jan1 + Duration::days(rng.random_range(0..=span))));
    }
    for (status, n) in in_review {
        for _ in 0..n {
            let back = rng.random_range(0..20.min((today - jan1).num_days() + 1));
            plan.push((status, None, today - Duration::days(back)));
        }
    }
    // Emergency pieces keep their titles; the others are dealt to the plan at random.
    let (emergency, rest) = titles.split_at_mut(EMERGENCY_TITLES.len());
    rest.shuffle(&mut rng);
    let titles: Vec<_> = emergency.iter().chain(rest.iter()).cloned().collect();
    let mut pieces: Vec<DemoContent> = titles
        .into_iter()
        .zip(plan)
        .map(|((title, t, subject, audience), (status, campaign, on))| {
            let topic = &TOPIC_TABLE[t];
            let released = matches!(status, ContentStatus::Published | ContentStatus::Approved);
            let created_on = if released { (on - Duration::days(rng.random_range(3..8))).max(jan1) } else { on };
            let released_on = (status == ContentStatus::Published).then_some(on.max(created_on));
            let (source, source_name) = match rng.random_range(0..100) {
                0..70 => (Source::Original, None),
                70..82 => (Source::KepuChina, Some("科普中国")),
                82..90 => (Source::Upstream, Some("南通市科协")),
                _ => (Source::Partner, Some(topic.partner)),
            };
            let audience = audience.unwrap_or_else(|| {
                if rng.random_bool(0.7) { topic.audience } else { *AUDIENCES.choose(&mut rng).expect("audiences") }
            });
            let advice: &[&str] = if subject == "流感" && campaign == Some(0) { &FLU_ADVICE } else { topic.advice };
            let (summary, body) = body(&mut rng, &title, subject, TOPICS[t], advice, source_name);
            DemoContent {
                tags: vec![subject.to_string(), TOPICS[t].to_string()],
                title,
                topic: TOPICS[t],
                audience,
                source,
                source_name,
                summary,
                body,
                status,
                campaign,
                created_on,
                released_on,
            }
        })
        .collect();
    // Ids follow the order pieces were written in.
    pieces.sort_by_key(|p| (p.created_on, p.released_on));
    out.contents = pieces;
    out.campaigns[0].content = out.contents.iter().position(|c| c.title == EMERGENCY_TITLES[0].0);

    // ---- publications ----
    let released: Vec<usize> = (0..out.contents.len()).filter(|&i| out.contents[i].released_on.is_some()).collect();
    let towns: Vec<usize> = (0..d.regions.len()).filter(|&r| d.regions[r].parent == Some(0)).collect();
    let mut pubs: Vec<(usize, Channel, i64)> = Vec::new();
    // Every released piece first goes out on WeChat or the website, the same day.
    for &i in &released {
        let ch = if rng.random_bool(0.72) { Channel::Wechat } else { Channel::Website };
        pubs.push((i, ch, 0));
    }
    // The emergency piece went out on every channel within three days.
    if let Some(e) = out.campaigns[0].content {
        let first = pubs.iter().find(|p| p.0 == e).map(|p| p.1);
        for ch in Channel::ALL.into_iter().filter(|c| c.is_manual() && Some(*c) != first) {
            pubs.push((e, ch, rng.random_range(0..3)));
        }
    }
    for (ch, n) in EXTRA {
        // Campaign pieces are likelier to be taken up by the papers, radio, TV and stage.
        let mut pool: Vec<usize> =
            released.iter().copied().filter(|i| !pubs.iter().any(|p| p.0 == *i && p.1 == ch)).collect();
        pool.shuffle(&mut rng);
        let mut keyed: Vec<(bool, usize)> =
            pool.into_iter().map(|i| (out.contents[i].campaign.is_none() && rng.random_bool(0.5), i)).collect();
        keyed.sort_by_key(|k| k.0);
        for &(_, i) in keyed.iter().take(n) {
            pubs.push((i, ch, rng.random_range(0..8)));
        }
    }
    pubs.sort_by_key(|p| (out.contents[p.0].released_on, p.0, p.2));
    let mut seq = 0u32;
    for (i, ch, later) in pubs {
        let c = &out.contents[i];
        let on = (c.released_on.expect("released") + Duration::days(later)).min(today);
        let account = *pick_account(&mut rng, ch);
        seq += 1;
        let (link, issue) = locator(&mut rng, ch, account, on, seq);
        let region = (ch == Channel::Stage).then(|| *towns.choose(&mut rng).expect("towns"));
        let issue = match (ch, region) {
            (Channel::Stage, Some(r)) => Some(format!(
                "{}{} {}《{}》",
                d.regions[r].name,
                STAGE_PLACES.choose(&mut rng).expect("places"),
                STAGE_FORMS.choose(&mut rng).expect("forms"),
                c.tags[0]
            )),
            _ => issue,
        };
        let (reach, basis) = reach(&mut rng, ch, account);
        // The last week's figures are not all in yet.
        let missing = (today - on).num_days() < 7 && rng.random_bool(0.4);
        out.publications.push(DemoPublication {
            content: i,
            channel: ch,
            account,
            published_on: on,
            link,
            issue,
            region,
            campaign: c.campaign,
            person_times: (!missing).then_some(reach),
            basis: (!missing).then_some(basis).flatten(),
        });
    }

    // ---- distributions ----
    out.distributions = distributions(&mut rng, d, today);
    out
}

fn pick_account(rng: &mut ChaCha8Rng, ch: Channel) -> &'static &'static str {
    let a = accounts(ch);
    // The association's own account carries most.
    if rng.random_bool(0.8) { &a[0] } else { a.choose(rng).expect("accounts") }
}

fn token(rng: &mut ChaCha8Rng, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..n).map(|_| A[rng.random_range(0..A.len())] as char).collect()
}

/// Where to find a publication: a link, or the issue, page or slot.
fn locator(
    rng: &mut ChaCha8Rng,
    ch: Channel,
    account: &str,
    on: NaiveDate,
    seq: u32,
) -> (Option<String>, Option<String>) {
    let date = on.format("%Y-%m-%d");
    match ch {
        Channel::Wechat => (Some(format!("https://mp.weixin.qq.com/s/{}", token(rng, 22))), None),
        Channel::ShortVideo if account.contains("抖音") => (
            Some(format!("https://www.douyin.com/video/74{:017}", rng.random_range(0..100_000_000_000_000_000u64))),
            None,
        ),
        Channel::ShortVideo => (Some(format!("https://weixin.qq.com/sph/A{}", token(rng, 8))), None),
        Channel::Website => (
            Some(format!(
                "https://www.tzkx.gov.cn/art/{}/{}/{}/art_1052_{}.html",
                on.year(),
                on.month(),
                on.day(),
                30_000 + seq
            )),
            None,
        ),
        Channel::App if account.contains("科普中国") => (
            Some(format!("https://www.kepuchina.cn/article/articleinfo?id={}", rng.random_range(1_000_000..9_999_999))),
            None,
        ),
        Channel::App => (Some(format!("https://jrtz.tongzhou.gov.cn/news/{}", 200_000 + seq * 7)), None),
        Channel::Newspaper if account.contains("南通日报") => {
            (None, Some(format!("《南通日报》A{}版 {date}", rng.random_range(5..9))))
        }
        Channel::Newspaper => (None, Some(format!("《通州日报》第{}版 {date}", rng.random_range(3..8)))),
        Channel::Radio if account.contains("交通") => (None, Some("FM92.9《健康直通车》08:10".into())),
        Channel::Radio => {
            (None, Some(format!("FM999《科普时间》{}", ["07:30", "12:30", "17:30"].choose(rng).expect("slots"))))
        }
        Channel::Tv if account.contains("科教") => (None, Some(format!("南通科教频道《科普园地》{date} 19:40"))),
        Channel::Tv => (None, Some(format!("《通州新闻》{date} 18:30"))),
        Channel::Stage | Channel::Screen => (None, None),
    }
}

/// A figure skewed towards the low end of `lo..hi`, as reads and plays are.
fn skewed(rng: &mut ChaCha8Rng, lo: f64, hi: f64, power: f64) -> i64 {
    let u: f64 = rng.random();
    (lo * (hi / lo).powf(u.powf(power))).round() as i64
}

fn reach(rng: &mut ChaCha8Rng, ch: Channel, account: &str) -> (i64, Option<String>) {
    match ch {
        Channel::Wechat => (skewed(rng, 300.0, 5_000.0, 8.0), None),
        Channel::ShortVideo => (skewed(rng, 1_000.0, 30_000.0, 6.0), None),
        Channel::Website => (skewed(rng, 80.0, 900.0, 1.5), None),
        Channel::App => (skewed(rng, 150.0, 1_500.0, 1.5), None),
        Channel::Newspaper if account.contains("南通日报") => {
            (rng.random_range(12_000..16_000), Some("发行量约12万份，按区内发行约1.5万份估算".into()))
        }
        Channel::Newspaper => (rng.random_range(8_000..12_000), Some("发行量约1.6万份".into())),
        Channel::Radio => (rng.random_range(800..2_500), Some("收听率抽样估算（区内常住人口约3%）".into())),
        Channel::Tv => (rng.random_range(5_000..10_000), Some("收视率估算（融媒体中心提供）".into())),
        Channel::Stage => (rng.random_range(80..=400), Some("现场清点".into())),
        Channel::Screen => (0, None),
    }
}

fn body(
    rng: &mut ChaCha8Rng,
    title: &str,
    subject: &str,
    topic: &str,
    advice: &[&str],
    source: Option<&str>,
) -> (String, String) {
    let summary = format!("{subject}是{topic}方面群众普遍关心的话题，本文介绍相关科学知识和实用建议。");
    let mut paras = vec![format!(
        "{subject}与我们每个人的生活息息相关。为帮助群众科学认识{subject}，通州区科协组织专家编写了《{title}》，用通俗易懂的语言讲清楚其中的科学道理。"
    )];
    let mut tips: Vec<&str> = advice.to_vec();
    tips.shuffle(rng);
    let n = rng.random_range(1..=3);
    paras.extend(tips.into_iter().take(n).map(str::to_string));
    let closing = match source {
        Some(s) => format!("本文来源：{s}。更多{topic}知识，请关注“南通州科协”微信公众号，或到就近的科普e站查看。"),
        None => format!("更多{topic}知识，请关注“南通州科协”微信公众号，或到就近的科普e站查看。"),
    };
    paras.push(closing);
    let html = paras.iter().map(|p| format!("<p>{p}</p>")).collect::<String>();
    (summary, html)
}

fn distributions(rng: &mut ChaCha8Rng, d: &DemoDistrict, today: NaiveDate) -> Vec<DemoDistribution> {
    let y = today.year();
    let towns: Vec<usize> = (0..d.regions.len()).filter(|&r| d.regions[r].parent == Some(0)).collect();
    let schools: Vec<usize> = (0..d.orgs.len()).filter(|&o| d.orgs[o].kind == OrgKind::School).collect();
    // Who signs: a town association's secretary general, a school's first staff member.
    let signer_of_org = |o: usize| d.people.iter().find(|p| p.org == Some(o)).map(|p| p.name.clone());
    let town_signer = |r: usize| {
        d.orgs.iter().position(|o| o.kind == OrgKind::Grassroots && o.region == r).and_then(|o| {
            d.officers
                .iter()
                .find(|x| x.org == o && x.role == "secretary_general")
                .map(|x| d.people[x.person].name.clone())
                .or_else(|| signer_of_org(o))
        })
    };
    let plan: [(&str, &str, i32, bool, u32, &str); 8] = [
        ("《应急科普知识读本》", "book", 200, true, 1, "流感季应急科普配套读本"),
        ("《农村实用技术手册（{y}版）》", "book", 300, true, 3, "春耕前发放至各村农技服务点"),
        ("科普中国资源包（{y}年第一季度）", "pack", 1, true, 4, "含图文、短视频，供科普e站和宣传栏使用"),
        ("青少年航天科普视频课件", "courseware", 1, false, 5, "科普宣传周进校园配套课件"),
        ("《防范电信网络诈骗》宣传折页", "other", 2000, true, 6, ""),
        ("《科学家精神》主题图书", "book", 120, false, 9, "全国科普日进校园活动"),
        ("科普中国资源包（{y}年第三季度）", "pack", 1, false, 9, ""),
        ("《青少年科技创新优秀作品集》", "book", 150, false, 10, "科技节配套读物"),
    ];
    let mut out = Vec::new();
    for (k, (resource, kind, quantity, to_town, month, note)) in plan.into_iter().enumerate() {
        let sent_on = day(y, month, rng.random_range(2..26));
        if sent_on > today {
            continue;
        }
        let (recipient, region, signer) = if to_town || schools.is_empty() {
            let r = towns[(k * 7 + rng.random_range(0..towns.len())) % towns.len()];
            (format!("{}科协", d.regions[r].name), r, town_signer(r))
        } else {
            let o = *schools.choose(rng).expect("schools");
            (d.orgs[o].name.clone(), d.orgs[o].region, signer_of_org(o))
        };
        // Older hand-outs are signed for; the latest may still be on their way back.
        let signed = (k % 4 != 3 && (today - sent_on).num_days() > 10)
            .then(|| signer.map(|s| (s, (sent_on + Duration::days(rng.random_range(1..6))).min(today))))
            .flatten();
        out.push(DemoDistribution {
            resource: resource.replace("{y}", &y.to_string()),
            resource_kind: kind,
            quantity,
            recipient,
            region,
            sent_on,
            note: (!note.is_empty()).then(|| note.to_string()),
            signed,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_outreach_year() {
        let d = super::super::generate(1, 2026);
        let today = day(2026, 11, 28);
        let o = generate(&d, 367, today);
        assert_eq!(o.contents.len(), PIECES);
        let titles: HashSet<&str> = o.contents.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(titles.len(), PIECES, "titles are distinct");
        for c in &o.contents {
            assert!(TOPICS.contains(&c.topic) && AUDIENCES.contains(&c.audience), "{}", c.title);
            let paras = c.body.matches("<p>").count();
            assert!((3..=5).contains(&paras), "{}", c.body);
            assert!(c.title.chars().count() <= 80);
            assert!(c.created_on.year() == 2026 && c.created_on <= today);
        }
        assert!(o.contents.iter().filter(|c| c.status.in_review()).count() >= 5);
        assert!(o.contents.iter().any(|c| c.status == ContentStatus::Draft));
        assert_eq!(o.campaigns.len(), 4);
        assert!(o.campaigns.iter().any(|c| c.kind == CampaignKind::Emergency && c.content.is_some()));
        for p in &o.publications {
            assert!(p.published_on.year() == 2026 && p.published_on <= today);
            assert!(p.channel.is_manual());
            assert!(p.link.is_some() || p.issue.is_some());
            assert!(p.issue.as_ref().is_none_or(|i| i.chars().count() <= 60), "{:?}", p.issue);
            let c = &o.contents[p.content];
            assert!(c.released_on.is_some_and(|r| r <= p.published_on));
            if p.person_times.is_some()
                && matches!(p.channel, Channel::Newspaper | Channel::Radio | Channel::Tv | Channel::Stage)
            {
                assert!(p.basis.is_some());
            }
        }
        let channels: HashSet<Channel> = o.publications.iter().map(|p| p.channel).collect();
        assert_eq!(channels.len(), 8);
        let wechat = o.publications.iter().filter(|p| p.channel == Channel::Wechat).count();
        assert!(o.publications.iter().filter(|p| p.channel == Channel::ShortVideo).count() < wechat);
        let total = o.total_reach();
        assert!((120_000..=185_000).contains(&total), "{total}");
        assert!((6..=8).contains(&o.distributions.len()));
        assert!(o.distributions.iter().any(|x| x.signed.is_some()));
        // Early in the year nothing lies ahead of today.
        let early = generate(&d, 367, day(2026, 2, 10));
        assert!(early.publications.iter().all(|p| p.published_on <= day(2026, 2, 10)));
        assert!(early.distributions.iter().all(|x| x.sent_on <= day(2026, 2, 10)));
        assert_eq!(early.contents.len(), PIECES);
    }
}
