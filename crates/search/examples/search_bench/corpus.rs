//! A deterministic corpus of Chinese science-outreach documents with ground truth.
//!
//! Every concept a document is about is put into its text by the generator from a known list,
//! and recorded: that record, not any engine's output, says which documents a query should
//! find. The fixed wording around concepts (templates, filler sentences) is checked at start
//! to contain no concept term, except the listed [`TRAPS`]: places where a concept's characters
//! occur across a word boundary ("老人参加" holds 人参, ginseng), which substring search
//! matches and a word index should not.

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

/// Concept terms by topic. A term that contains another term (新能源 ⊃ 能源) implies it.
pub const TOPICS: &[(&str, &[&str])] = &[
    (
        "health",
        &[
            "糖尿病",
            "高血压",
            "疫苗",
            "流感",
            "饮食",
            "运动",
            "睡眠",
            "血糖",
            "心脑血管",
            "中风",
            "肥胖",
            "体检",
            "中医",
            "中药",
            "人参",
            "心理健康",
            "癌症筛查",
            "近视",
        ],
    ),
    (
        "agriculture",
        &[
            "水稻",
            "小麦",
            "病虫害",
            "农药",
            "化肥",
            "大棚",
            "蔬菜",
            "农机",
            "土壤",
            "种子",
            "秸秆",
            "灌溉",
            "农技",
            "农业",
            "中国农业发展银行",
            "养殖",
            "家庭农场",
            "无人机",
        ],
    ),
    (
        "emergency",
        &[
            "防汛",
            "地震",
            "消防",
            "火灾",
            "台风",
            "暴雨",
            "应急演练",
            "避险",
            "灭火器",
            "急救",
            "心肺复苏",
            "溺水",
            "燃气",
        ],
    ),
    ("energy", &["光伏", "新能源", "电动汽车", "充电桩", "节能", "储能", "风电", "碳达峰", "碳中和", "电池", "能源"]),
    ("ai", &["人工智能", "大模型", "机器人", "算法", "数据安全", "编程", "芯片", "机器学习", "虚拟现实", "5G"]),
    (
        "fraud",
        &["反诈", "电信诈骗", "诈骗", "养老诈骗", "保健品", "转账", "验证码", "冒充客服", "老年人", "防骗", "投资理财"],
    ),
    (
        "ecology",
        &[
            "垃圾分类",
            "湿地",
            "生物多样性",
            "候鸟",
            "水质",
            "空气质量",
            "植树",
            "河长制",
            "塑料污染",
            "长江大保护",
            "江豚",
        ],
    ),
    ("space", &["航天", "火箭", "卫星", "空间站", "神舟", "月球", "火星", "北斗", "天文", "望远镜", "航天员"]),
    ("weather", &["气象", "天气预报", "寒潮", "高温", "雷电", "人工降雨", "气候变化"]),
    ("youth", &["青少年", "科技创新", "科学实验", "创客", "科普研学", "天文观测"]),
    ("food", &["食品安全", "添加剂", "保质期", "食物中毒", "转基因", "营养"]),
    ("digital", &["智能手机", "健康码", "网上挂号", "移动支付", "老年大学", "适老化"]),
];

/// The district's towns and streets (also concepts: a document may be about one).
pub const TOWNS: &[&str] = &[
    "金沙街道",
    "西亭镇",
    "二甲镇",
    "东社镇",
    "三余镇",
    "十总镇",
    "川姜镇",
    "石港镇",
    "刘桥镇",
    "平潮镇",
    "五接镇",
    "兴仁镇",
    "先锋街道",
    "张芝山镇",
    "兴东街道",
];

/// (fixed text, concept term): the term occurs there across a word boundary, not as the
/// concept. Substring search matches these; they are not relevant documents.
pub const TRAPS: &[(&str, &str)] = &[
    ("不少老人参加了现场咨询，提出了很多问题。", "人参"),
    ("其中药店三家、村卫生室五家参与了本次义诊。", "中药"),
    ("各村对辖区开展集中风险排查，及时消除隐患。", "中风"),
    ("镇卫生院集中医疗资源，做好现场保障工作。", "中医"),
    ("技术人员建议夜间适当提高温度，白天注意通风。", "高温"),
];

const FILLERS: &[&str] = &[
    "活动现场气氛热烈，居民们纷纷表示收获很大。",
    "本次活动由区科协主办，各镇科协协办。",
    "工作人员还现场发放了宣传资料两百余份。",
    "志愿者耐心解答群众提出的疑问。",
    "下一步，相关部门将继续深入村居开展宣传。",
    "据了解，此类活动今年已累计开展二十余场。",
    "大家一边听讲解，一边动手体验，兴致很高。",
    "科普讲解员用通俗易懂的语言介绍了相关知识。",
    "参加活动的村民表示，这样的讲座很实用。",
    "活动还设置了有奖问答环节，吸引了众多群众参与。",
    "社区负责人表示，将把科普工作纳入日常服务。",
    "现场还展示了多块科普展板和实物模型。",
    "与会人员围绕相关问题进行了深入交流。",
    "学生们认真记录，不时举手提问。",
    "活动结束后，大家纷纷拍照留念。",
    "据统计，全年共有三千余人次参与各类科普活动。",
    "专家提醒，遇到问题要及时咨询专业人员。",
    "这次活动进一步提升了群众的科学素质。",
    "今后还将通过线上线下相结合的方式扩大覆盖面。",
    "科普大篷车也开进了村里，受到热烈欢迎。",
    "网格员上门走访，把宣传资料送到群众手中。",
    "主讲人结合生活中的案例进行了讲解。",
    "活动通过视频号同步直播，在线观看超过一千人次。",
    "居民们表示，以后会把学到的知识讲给家人听。",
    "区科协相关负责人出席活动并讲话。",
    "村里的文化广场上人头攒动，十分热闹。",
    "讲座结束后，专家还留下来为群众答疑。",
    "此次活动是今年科普宣传周的系列活动之一。",
    "各村（社区）也组织了形式多样的配套活动。",
    "通过这样的活动，科学知识真正走进了百姓身边。",
    "有关部门将持续跟踪，确保各项措施落到实处。",
    "群众的参与热情一年比一年高。",
    "宣传员还走进企业车间，面对面讲解。",
    "镇里还专门建立了微信群，方便随时交流。",
    "许多家长带着孩子一起参加，现场其乐融融。",
    "一位村民说：“这些知识很有用，回去要讲给邻居听。”",
    "不少老人参加了现场咨询，提出了很多问题。",
];

/// Fillers holding a trap, drawn less often than the others.
const TRAP_FILLER_WEIGHT: f64 = 0.25;

const CONCEPT_SENTENCES: &[&str] = &[
    "专家围绕{c}进行了深入浅出的讲解。",
    "关于{c}，很多人存在认识上的误区。",
    "{c}与每个人的生活息息相关。",
    "讲座重点介绍了{c}的基本知识和注意事项。",
    "近年来，{c}越来越受到社会关注。",
    "现场发放的手册中详细介绍了{c}的相关内容。",
    "不少居民第一次系统了解{c}。",
    "{c}方面的知识需要长期普及。",
    "工作人员结合实际案例，讲解了{c}的要点。",
    "主讲人提醒大家，要科学认识{c}。",
    "在互动环节，居民们就{c}提出了许多问题。",
    "{c}是本次科普活动的重点内容之一。",
    "说到{c}，很多人并不陌生。",
    "从{c}说起，专家讲了许多生活中的小常识。",
];

const PAIR_SENTENCES: &[&str] =
    &["专家还介绍了{c}和{d}之间的关系。", "{c}与{d}都是大家关心的话题。", "讲解从{c}谈到{d}，内容丰富。"];

const TOPIC_SENTENCES: &[(&str, &[&str])] = &[
    ("health", &["医生提醒，{c}需要早发现、早干预。", "社区医生为居民讲解{c}的防治知识。"]),
    ("agriculture", &["技术员深入田间，指导农户做好{c}相关工作。", "今年{c}方面的新技术在村里推广开来。"]),
    ("emergency", &["一旦发生险情，要牢记{c}的基本要领。", "演练中，队员们重点练习了{c}相关处置。"]),
    ("energy", &["{c}是推动绿色低碳发展的重要方向。", "企业负责人介绍了{c}项目的进展。"]),
    ("ai", &["{c}正在深刻改变人们的生产生活方式。", "工程师现场演示了{c}的实际应用。"]),
    ("fraud", &["民警提醒，与{c}有关的骗局花样翻新，要提高警惕。", "民警用真实案例讲解了{c}的常见套路。"]),
    ("ecology", &["保护好家园，{c}离不开每个人的参与。", "志愿者向居民讲解了{c}的意义。"]),
    ("space", &["{c}的发展体现了我国科技实力的提升。", "孩子们围着展板，认真了解{c}的知识。"]),
    ("weather", &["{c}与生产生活和群众出行密切相关。", "专家解读了{c}的成因和应对措施。"]),
    ("youth", &["{c}活动激发了孩子们的好奇心。", "老师带领学生开展了{c}体验。"]),
    ("food", &["市场监管人员讲解了{c}的相关规定。", "购买食品时，要留意{c}方面的信息。"]),
    ("digital", &["志愿者手把手教老人学习{c}的使用。", "{c}让生活更加便利。"]),
];

/// Topic fillers: fixed sentences typical of a topic's reports (some hold traps).
const TOPIC_FILLERS: &[(&str, &[&str])] = &[
    ("health", &["其中药店三家、村卫生室五家参与了本次义诊。", "医护人员为群众免费测量了身体指标。"]),
    ("agriculture", &["技术人员建议夜间适当提高温度，白天注意通风。", "种植大户们听得格外认真。"]),
    ("emergency", &["各村对辖区开展集中风险排查，及时消除隐患。", "镇卫生院集中医疗资源，做好现场保障工作。"]),
];

const TITLES: &[&str] = &[
    "{t}开展{c}科普活动",
    "{c}知识进社区",
    "专家解读{c}与{d}",
    "{c}，这些误区要避开",
    "科普｜关于{c}你需要知道的事",
    "{t}举办{c}主题讲座",
    "关注{c}：{d}的科学知识",
    "{c}和{d}科普问答",
    "通州科协：{c}宣传周启动",
    "{t}居民学习{c}知识",
    "{c}科普讲座走进{t}",
    "身边的科学：{c}",
    "从{c}到{d}，一堂生动的科普课",
];

const OPENINGS_TOWN: &[&str] = &[
    "近日，{t}科协联合相关部门开展了主题科普活动。",
    "日前，{t}举办了一场别开生面的科普讲座。",
    "为提升群众科学素质，{t}组织开展了系列宣传活动。",
    "上周末，{t}文化广场上热闹非凡。",
];
const OPENINGS: &[&str] = &[
    "近日，区科协组织开展了主题科普活动。",
    "为提升群众科学素质，相关部门开展了系列宣传活动。",
    "日前，一场科普讲座在区文化馆举行。",
];

const CLOSINGS: &[&str] = &["（通讯员 供稿）", "下一步，将持续开展此类活动。", "（区科协）"];

/// All concepts: topic concepts then towns. Index = concept id.
pub struct Vocabulary {
    pub terms: Vec<&'static str>,
    /// Topic of each concept (`TOPICS.len()` for towns).
    pub topic: Vec<usize>,
    /// Concepts each concept implies (its substrings that are concepts), itself included.
    pub implies: Vec<Vec<usize>>,
    by_topic: Vec<Vec<usize>>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        let mut terms = Vec::new();
        let mut topic = Vec::new();
        let mut by_topic = Vec::new();
        for (t, (_, list)) in TOPICS.iter().enumerate() {
            let mut ids = Vec::new();
            for term in *list {
                ids.push(terms.len());
                terms.push(*term);
                topic.push(t);
            }
            by_topic.push(ids);
        }
        for town in TOWNS {
            terms.push(*town);
            topic.push(TOPICS.len());
        }
        assert!(terms.len() <= 256, "concept sets are 256-bit");
        let mut seen = std::collections::HashSet::new();
        assert!(terms.iter().all(|t| seen.insert(*t)), "duplicate concept term");
        let implies =
            terms.iter().map(|outer| (0..terms.len()).filter(|&i| outer.contains(terms[i])).collect()).collect();
        let vocab = Vocabulary { terms, topic, implies, by_topic };
        vocab.check_fixed_text();
        vocab
    }

    pub fn id(&self, term: &str) -> Option<usize> {
        self.terms.iter().position(|t| *t == term)
    }

    /// Fails when fixed wording mentions a concept (or a town's short name) outside [`TRAPS`].
    fn check_fixed_text(&self) {
        let mut fixed: Vec<&str> = Vec::new();
        fixed.extend(FILLERS);
        fixed.extend(CONCEPT_SENTENCES);
        fixed.extend(PAIR_SENTENCES);
        fixed.extend(TITLES);
        fixed.extend(OPENINGS_TOWN);
        fixed.extend(OPENINGS);
        fixed.extend(CLOSINGS);
        for (_, list) in TOPIC_SENTENCES.iter().chain(TOPIC_FILLERS) {
            fixed.extend(*list);
        }
        let stems: Vec<&str> = TOWNS.iter().map(|t| t.trim_end_matches("街道").trim_end_matches('镇')).collect();
        let mut wrong = Vec::new();
        for text in fixed {
            for piece in text.split(['{', '}']) {
                for term in self.terms.iter().chain(&stems) {
                    if piece.contains(term) && !TRAPS.contains(&(text, term)) {
                        wrong.push(format!("{text:?} mentions {term:?}"));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "fixed text mentions concepts:\n{}", wrong.join("\n"));
    }
}

/// 256-bit set of concept ids.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Concepts([u64; 4]);

impl Concepts {
    pub fn insert(&mut self, id: usize) {
        self.0[id / 64] |= 1 << (id % 64);
    }
    pub fn contains(&self, id: usize) -> bool {
        self.0[id / 64] & (1 << (id % 64)) != 0
    }
}

pub struct Generated {
    pub title: String,
    pub body: String,
    /// The town's index in [`TOWNS`], if the document is about one.
    pub town: Option<usize>,
    pub concepts: Concepts,
}

fn fill(template: &str, t: &str, c: &str, d: &str) -> String {
    template.replace("{t}", t).replace("{c}", c).replace("{d}", d)
}

/// Zipf-like pick: the first terms of a topic are more popular.
fn pick_zipf(rng: &mut ChaCha8Rng, ids: &[usize]) -> usize {
    let total: f64 = (1..=ids.len()).map(|r| 1.0 / (r as f64).powf(0.7)).sum();
    let mut x = rng.random::<f64>() * total;
    for (r, id) in ids.iter().enumerate() {
        x -= 1.0 / ((r + 1) as f64).powf(0.7);
        if x <= 0.0 {
            return *id;
        }
    }
    ids[ids.len() - 1]
}

pub fn generate(rng: &mut ChaCha8Rng, vocab: &Vocabulary) -> Generated {
    let topic = rng.random_range(0..TOPICS.len());
    let mut chosen: Vec<usize> = Vec::new();
    let k = rng.random_range(2..=4);
    while chosen.len() < k {
        let c = pick_zipf(rng, &vocab.by_topic[topic]);
        if !chosen.contains(&c) {
            chosen.push(c);
        }
    }
    if rng.random_bool(0.35) {
        let other = (topic + rng.random_range(1..TOPICS.len())) % TOPICS.len();
        let c = pick_zipf(rng, &vocab.by_topic[other]);
        chosen.push(c);
    }
    let town = rng.random_bool(0.8).then(|| rng.random_range(0..TOWNS.len()));
    let town_name = town.map_or("", |t| TOWNS[t]);

    // Title: one or two of the concepts, 10 to 30 characters.
    let mut title = String::new();
    for attempt in 0..20 {
        let template = *TITLES.choose(rng).unwrap();
        if template.contains("{t}") && town.is_none() {
            continue;
        }
        let c = vocab.terms[chosen[0]];
        let d = vocab.terms[chosen[if chosen.len() > 1 { 1 } else { 0 }]];
        title = fill(template, town_name, c, d);
        let len = title.chars().count();
        if (10..=30).contains(&len) {
            break;
        }
        if len < 10 && attempt >= 10 {
            title = format!("【科普】{title}");
            break;
        }
    }

    // Body: an opening, every concept at least once, fillers, a closing.
    let target = 200 + (1300.0 * rng.random::<f64>().powf(1.8)) as usize;
    let mut body = String::with_capacity(target * 3 + 64);
    let opening = match town {
        Some(_) => fill(OPENINGS_TOWN.choose(rng).unwrap(), town_name, "", ""),
        None => OPENINGS.choose(rng).unwrap().to_string(),
    };
    body.push_str(&opening);
    let topic_name = TOPICS[topic].0;
    let topic_sentences = TOPIC_SENTENCES.iter().find(|(n, _)| *n == topic_name).map_or(&[][..], |(_, s)| *s);
    let topic_fillers = TOPIC_FILLERS.iter().find(|(n, _)| *n == topic_name).map_or(&[][..], |(_, s)| *s);
    let mut pending: Vec<usize> = chosen.clone();
    let mut chars = body.chars().count();
    while chars < target || !pending.is_empty() {
        let sentence = if !pending.is_empty() && (rng.random_bool(0.5) || chars >= target) {
            let c = pending.remove(0);
            concept_sentence(rng, vocab, c, topic, topic_sentences)
        } else if rng.random_bool(0.3) {
            let c = *chosen.choose(rng).unwrap();
            if chosen.len() > 1 && rng.random_bool(0.3) {
                let d = *chosen.iter().find(|&&d| d != c).unwrap();
                fill(PAIR_SENTENCES.choose(rng).unwrap(), "", vocab.terms[c], vocab.terms[d])
            } else {
                concept_sentence(rng, vocab, c, topic, topic_sentences)
            }
        } else {
            filler(rng, topic_fillers)
        };
        chars += sentence.chars().count();
        body.push_str(&sentence);
        if chars > 1500 && pending.is_empty() {
            break;
        }
    }
    body.push_str(CLOSINGS.choose(rng).unwrap());

    let mut concepts = Concepts::default();
    for &c in &chosen {
        for &i in &vocab.implies[c] {
            concepts.insert(i);
        }
    }
    if let Some(t) = town {
        concepts.insert(vocab.id(TOWNS[t]).unwrap());
    }
    Generated { title, body, town, concepts }
}

fn concept_sentence(
    rng: &mut ChaCha8Rng,
    vocab: &Vocabulary,
    c: usize,
    topic: usize,
    topic_sentences: &[&str],
) -> String {
    let template = if vocab.topic[c] == topic && !topic_sentences.is_empty() && rng.random_bool(0.3) {
        topic_sentences.choose(rng).unwrap()
    } else {
        CONCEPT_SENTENCES.choose(rng).unwrap()
    };
    fill(template, "", vocab.terms[c], "")
}

fn filler(rng: &mut ChaCha8Rng, topic_fillers: &[&str]) -> String {
    loop {
        let pool = if !topic_fillers.is_empty() && rng.random_bool(0.15) { topic_fillers } else { FILLERS };
        let s = *pool.choose(rng).unwrap();
        if TRAPS.iter().any(|(t, _)| *t == s) && !rng.random_bool(TRAP_FILLER_WEIGHT) {
            continue;
        }
        return s.to_string();
    }
}
