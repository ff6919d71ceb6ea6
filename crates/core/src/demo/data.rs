//! The fixed tables the demo district is composed from. Plain data, so that a reviewer who knows
//! 通州 can correct a name without reading the generator. Laid out by hand (`rustfmt::skip` on
//! the `mod` item) so that a table stays a table.

/// One town-level area of the district.
pub(super) struct Town {
    pub name: &'static str,
    /// 街道 (and the two development zones run like one) rather than 镇.
    pub street: bool,
    /// The short form used in school names: 南通市通州区{short}小学.
    pub short: &'static str,
    /// Communities and villages at scale 1 (8–20, as in the real district).
    pub communities: usize,
    /// Relative number of enterprises with an association registered there.
    pub enterprise_weight: u32,
    /// Relative number of small and medium enterprises (no association of their own) there.
    pub sme_weight: u32,
    /// Industries the town is known for (indexes into `INDUSTRIES`); others appear too.
    pub sectors: &'static [usize],
}

const fn town(
    name: &'static str,
    street: bool,
    short: &'static str,
    communities: usize,
    enterprise_weight: u32,
    sme_weight: u32,
    sectors: &'static [usize],
) -> Town {
    Town { name, street, short, communities, enterprise_weight, sme_weight, sectors }
}

/// The towns and streets of 通州区; 川姜 is the home-textile town (and has by far the most small
/// firms), 高新区 the electronics and new-materials park, 金沙 the seat of the district.
/// Columns: name, street, short, communities, enterprise weight, SME weight, sectors.
pub(super) const TOWNS: &[Town] = &[
    town("金沙街道", true, "金沙", 20,  8,  6, &[2, 4, 1]),
    town("金新街道", true, "金新", 14,  5,  5, &[2, 1, 6]),
    town("西亭镇", false, "西亭", 18,  4,  5, &[7, 2, 0]),
    town("二甲镇", false, "二甲", 17,  4,  5, &[0, 2, 7]),
    town("东社镇", false, "东社", 15,  3,  4, &[2, 7]),
    town("三余镇", false, "三余", 18,  4,  5, &[3, 2, 7]),
    town("十总镇", false, "十总", 13,  3,  4, &[7, 2, 0]),
    town("骑岸镇", false, "骑岸", 15,  3,  4, &[2, 0]),
    town("五接镇", false, "五接", 16,  4,  5, &[2, 6, 4]),
    town("兴仁镇", false, "兴仁", 17,  4,  6, &[2, 6, 0]),
    town("兴东街道", true, "兴东", 14,  5,  5, &[1, 2, 6]),
    town("张芝山镇", false, "张芝山", 16,  4,  5, &[2, 3]),
    town("川姜镇", false, "川姜", 18, 10, 16, &[0, 0, 0, 2]),
    town("先锋街道", true, "先锋", 12,  4,  5, &[2, 6]),
    town("刘桥镇", false, "刘桥", 16,  3,  4, &[2, 7]),
    town("平潮镇", false, "平潮", 19,  5,  6, &[4, 2, 6]),
    town("平东镇", false, "平东", 13,  3,  4, &[2, 7]),
    town("石港镇", false, "石港", 20,  3,  4, &[7, 0]),
    town("南通高新区", true, "高新", 10, 10,  6, &[1, 3, 5, 6]),
    town("通州湾示范区", true, "通州湾", 9,  4,  3, &[3, 2, 6]),
];

/// Community and village names heard in and around 通州; more are composed from the two lists below.
pub(super) const PLACE_NAMES: &[&str] = &[
    "三官殿", "新华", "红星", "团结", "友谊", "光明", "幸福", "永兴", "联合", "建设", "和平", "胜利",
    "先锋", "前进", "民主", "富民", "兴隆", "金星", "银河", "五总", "八总", "九总", "南园", "北园",
    "东园", "西园", "城中", "城东", "城南", "城西", "城北", "虹西", "碧华", "钟秀", "通甲", "金桥",
    "新桥", "石桥", "板桥", "观音山", "南山", "汤园", "陆洪闸", "余西", "平西", "平南", "戴庄",
    "海晏", "新港", "江海", "沿江", "通吕", "北兴桥", "忠义", "孝友", "仁和", "久安", "长安", "永安",
    "永福", "万福", "福星", "双桥", "双河", "三星", "姜灶", "袁灶", "二窎", "四安", "金北", "金东",
    "新联", "新建", "兴旺", "向阳", "朝阳", "东方红", "育才", "振兴", "富强", "繁荣", "文峰",
];
/// Names the association uses in its own examples, placed in block 0: (town, position, name).
pub(super) const KNOWN_PLACES: &[(usize, usize, &str)] = &[(0, 0, "三官殿"), (2, 2, "新华"), (6, 2, "五总")];
pub(super) const PLACE_FIRST: &[&str] = &[
    "东", "西", "南", "北", "新", "老", "大", "小", "三", "四", "五", "六", "七", "八", "九", "十",
    "双", "金", "银", "红", "青", "富", "兴", "永", "长", "万", "福", "中", "陈", "张", "王", "李",
    "顾", "季", "施", "徐", "姜", "袁", "陆", "曹",
];
pub(super) const PLACE_SECOND: &[&str] = &[
    "港", "桥", "河", "闸", "庄", "灶", "墩", "坝", "园", "湾", "圩", "埭", "总", "甲", "亭", "沙",
    "渡", "洪", "滧", "垛", "场", "堡", "营", "店", "岸", "湖", "坎", "舍", "窑", "里",
];

pub(super) const ROADS: &[&str] = &[
    "人民中路", "人民东路", "建设路", "新金路", "银河路", "通甲路", "金沙大道", "世纪大道", "朝霞路",
    "长江路", "振兴路", "富民路", "兴业路", "工业园路", "团结路", "文化路", "育才路", "健康路",
    "和平路", "青年路", "迎宾路", "开发大道", "滨江路", "城中路", "解放路", "通吕路", "通扬路",
];

/// Surnames with rough weights for Nantong: the national top twenty plus 顾 陆 施 季 缪 瞿 茅 …
pub(super) const SURNAMES: &[(&str, u32)] = &[
    ("陈", 90), ("张", 85), ("王", 80), ("顾", 55), ("朱", 50), ("徐", 50), ("李", 45), ("刘", 40),
    ("吴", 40), ("黄", 35), ("陆", 35), ("施", 30), ("季", 30), ("周", 30), ("杨", 30), ("沈", 25),
    ("曹", 22), ("钱", 20), ("孙", 20), ("姜", 18), ("葛", 15), ("缪", 15), ("赵", 15), ("胡", 15),
    ("高", 15), ("范", 12), ("袁", 12), ("丁", 12), ("许", 12), ("邵", 10), ("冯", 10), ("蒋", 10),
    ("严", 10), ("马", 10), ("郭", 10), ("何", 10), ("瞿", 8), ("茅", 8), ("倪", 8), ("秦", 8),
    ("唐", 8), ("林", 8), ("罗", 8), ("邱", 8), ("郁", 6), ("管", 6), ("龚", 6), ("宋", 6),
    ("于", 6), ("汤", 6), ("蔡", 6), ("金", 6), ("俞", 6), ("仇", 5), ("成", 5), ("卢", 5),
    ("冒", 4), ("保", 3),
];
pub(super) const MALE_CHARS: &str =
    "建国军伟强明华平林峰斌杰涛勇俊磊超鹏宇浩凯健辉刚亮新文志海东进兵春晓飞波锋宏卫忠勤荣德云雷晨轩豪博睿诚正昊阳洋泽翔兴祥光金宝福跃永亚江益炜恒";
pub(super) const FEMALE_CHARS: &str =
    "芳丽敏静红霞燕娟艳玲萍琴英梅兰花慧婷雪倩颖莉晶洁琳佳怡欣悦蓉露丹璐菲雯月秀凤素美娜琦瑶薇妍楠雅蕾晴";
/// Characters that start given names of either sex.
pub(super) const SHARED_CHARS: &str = "晓文春小海金玉建新志云晨宇子雨佳一";
/// Names of well-known people that random composition could produce; demo data must not.
pub(super) const FAMOUS: &[&str] = &[
    "李宁", "刘翔", "王菲", "李娜", "杨洋", "林丹", "张杰", "黄磊", "孙俪", "赵薇", "刘涛", "李健",
    "周迅", "胡军", "孙杨", "王楠", "刘欢", "张静", "陈红", "王刚", "李勇", "周涛", "朱军", "王蒙",
];

/// Mobile prefixes of the three carriers.
pub(super) const MOBILE_PREFIXES: &[u64] = &[
    134, 135, 136, 137, 138, 139, 150, 151, 152, 157, 158, 159, 182, 183, 187, 188, 198, 130, 131,
    132, 155, 156, 185, 186, 166, 176, 133, 153, 180, 181, 189, 177, 173, 199,
];
/// Where ID numbers were first issued: mostly 通州 as county-level city (320683) and as district
/// (320612), some from elsewhere in Nantong.
pub(super) const ID_PREFIXES: &[(&str, u32)] = &[
    ("320683", 55), ("320612", 25), ("320682", 5), ("320684", 5), ("320681", 3), ("320623", 3),
    ("320602", 4),
];
pub(super) const MAIL_DOMAINS: &[&str] = &["163.com", "126.com", "qq.com", "sina.com", "139.com"];

/// Company name parts by sector: 0 home textiles, 1 electronics, 2 machinery, 3 materials and
/// chemicals, 4 construction (通州 is a 建筑之乡), 5 biomedicine, 6 electrical, 7 agriculture.
pub(super) const INDUSTRIES: &[&[&str]] = &[
    &["家纺", "家用纺织品", "纺织科技", "寝具", "织造", "服饰"],
    &["电子", "电子科技", "智能科技", "光电科技", "信息技术", "软件"],
    &["机械", "精密机械", "机械制造", "智能装备", "数控机床", "液压设备", "船舶配件", "五金工具"],
    &["新材料", "高分子材料", "复合材料", "化工", "涂料"],
    &["建设工程", "建筑安装工程", "装饰工程", "钢结构工程", "建材"],
    &["生物科技", "医药科技", "医疗器械"],
    &["电气", "电力设备", "电机", "新能源科技", "照明电器"],
    &["农业科技", "食品", "生态农业", "种业"],
];
pub(super) const BRAND_CHARS: &str = "华通恒泰鑫宏盛达金银东方瑞祥和兴隆昌嘉利德明辉光远天海江润丰源晟创新益安康宇博捷凯";
pub(super) const COMPANY_PREFIXES: &[&str] = &["南通", "南通", "南通", "江苏", "江苏", "南通市"];
pub(super) const COMPANY_SUFFIXES: &[&str] =
    &["有限公司", "有限公司", "有限公司", "有限公司", "有限公司", "股份有限公司", "集团有限公司"];

/// What the district's small and medium enterprises make, by the sectors of `INDUSTRIES`:
/// the products of a 厂 or a small 有限公司 rather than the words a group calls itself by.
/// Repeats weight the common trades: 家纺 in 川姜, 机械 and 五金 everywhere.
pub(super) const SME_PRODUCTS: &[&[&str]] = &[
    &["家纺", "家纺", "家纺", "家用纺织品", "纺织品", "针纺织品", "床上用品", "织造", "纺织", "绣品", "布艺", "毛巾", "窗帘"],
    &["电子", "电子", "电子元件", "电子材料", "线路板", "传感器", "电子配件"],
    &["机械", "机械", "机械配件", "机械制造", "五金", "五金制品", "船舶配件", "阀门", "轴承", "模具", "紧固件", "液压件", "电动工具"],
    &["新材料", "塑料制品", "包装材料", "橡胶制品", "涂料", "玻璃钢制品", "化纤"],
    &["建材", "建材", "新型建材", "水泥制品", "装饰材料", "门窗", "管桩"],
    &["医疗器械", "医疗器械", "医用敷料", "卫生用品", "医疗用品"],
    &["电动工具", "电动工具", "电器", "电机", "电线电缆", "照明电器", "电器配件"],
    &["食品", "食品", "农副产品", "粮油", "饲料", "水产食品", "调味品", "酱菜"],
];
/// Who answers for a small enterprise: a 厂 has a 厂长, a company its manager or owner.
pub(super) const SME_FACTORY_HEADS: &[&str] = &["厂长", "厂长", "负责人"];
pub(super) const SME_COMPANY_HEADS: &[&str] = &["总经理", "总经理", "执行董事", "法定代表人", "办公室主任"];

/// The 14 societies (学会): name, year founded, professional titles of their members.
pub(super) const SOCIETIES: &[(&str, i32, &[&str])] = &[
    ("通州区农学会", 1979, &["农艺师", "高级农艺师", "农业技术推广研究员", "助理农艺师"]),
    ("通州区医学会", 1980, &["主治医师", "副主任医师", "主任医师", "医师"]),
    ("通州区护理学会", 1985, &["护师", "主管护师", "副主任护师", "主任护师"]),
    ("通州区药学会", 1986, &["药师", "主管药师", "副主任药师"]),
    ("通州区水利学会", 1982, &["水利工程师", "高级工程师", "助理工程师"]),
    ("通州区土木建筑学会", 1984, &["工程师", "高级工程师", "一级建造师", "正高级工程师"]),
    ("通州区计算机学会", 1992, &["工程师", "高级工程师", "系统架构设计师", "网络工程师"]),
    ("通州区中医药学会", 1988, &["中医师", "主治中医师", "副主任中医师", "主任中医师"]),
    ("通州区科普作家协会", 1995, &["科普作家", "编辑", "记者", "副编审"]),
    ("通州区老科技工作者协会", 1990, &["退休高级工程师", "退休高级农艺师", "退休主任医师", "退休中学高级教师"]),
    ("通州区教育学会", 1983, &["中学高级教师", "中学一级教师", "小学高级教师", "正高级教师"]),
    ("通州区机械工程学会", 1981, &["机械工程师", "高级工程师", "技师", "高级技师"]),
    ("通州区电机工程学会", 1987, &["电气工程师", "高级工程师", "助理工程师"]),
    ("通州区林学会", 1980, &["林业工程师", "高级林业工程师", "园林工程师"]),
];

/// Universities near the district: name, year founded.
pub(super) const UNIVERSITIES: &[(&str, i32)] =
    &[("南通大学", 2004), ("南通职业大学", 1984), ("江苏工程职业技术学院", 2002), ("南通理工学院", 2006)];

/// Schools known beyond their town (index into `TOWNS`); each town also has its own
/// 小学 and 初级中学, whose head is one of the four heads.
pub(super) const SCHOOLS: &[(&str, usize)] = &[
    ("江苏省通州高级中学", 0),
    ("南通市通州区金沙中学", 0),
    ("南通市通州区二甲中学", 3),
    ("南通市通州区石港中学", 17),
    ("南通市通州区西亭高级中学", 2),
    ("南通市通州区平潮高级中学", 15),
    ("南通市通州区刘桥中学", 14),
    ("南通市通州区兴东中学", 10),
    ("南通市通州区实验中学", 0),
    ("南通市通州区育才中学", 1),
    ("南通市通州区实验小学", 0),
    ("南通市通州区第二实验小学", 1),
    ("南通市通州区中等专业学校", 1),
];

/// 科普教育基地 at scale 1, with their town.
pub(super) const SCIENCE_BASES: &[(&str, usize)] = &[
    ("通州区青少年科技活动中心科普教育基地", 0),
    ("通州区气象科普教育基地", 1),
    ("通州区地震科普教育基地", 0),
    ("川姜家纺科普教育基地", 12),
    ("二甲现代农业科普教育基地", 3),
    ("石港农耕文化科普教育基地", 17),
    ("通州区消防安全科普教育基地", 10),
    ("通州区疾控中心健康科普教育基地", 0),
    ("通州湾海洋科普教育基地", 19),
    ("平潮江海湿地生态科普教育基地", 15),
    ("南通高新区智能制造科普教育基地", 18),
    ("十总现代渔业科普教育基地", 6),
];
/// Themes for the science bases that larger scales add.
pub(super) const BASE_THEMES: &[&str] = &["现代农业", "生态环保", "健康", "防灾减灾", "智能制造", "青少年科技"];

/// District-wide volunteer teams and the society (index into `SOCIETIES`) that runs each.
pub(super) const THEMED_TEAMS: &[(&str, Option<usize>)] = &[
    ("通州区医学会健康科普志愿服务队", Some(1)),
    ("通州区农学会农技科普志愿服务队", Some(0)),
    ("通州区老科技工作者科普志愿服务队", Some(9)),
    ("通州区青少年科技教育志愿服务队", Some(10)),
    ("通州区应急救护科普志愿服务队", None),
    ("通州区气象防灾科普志愿服务队", None),
    ("通州区护理学会健康科普志愿服务队", Some(2)),
    ("通州区中医药科普志愿服务队", Some(7)),
    ("通州区网络安全科普志愿服务队", Some(6)),
    ("通州区科普作家志愿服务队", Some(8)),
];

/// The district association's own staff; the 办公室主任 is its contact.
pub(super) const DISTRICT_STAFF: &[&str] = &[
    "党组书记、主席", "副主席", "副主席", "办公室主任", "科普部部长", "学会部部长", "组宣部部长", "工作人员",
    "工作人员", "工作人员",
];

pub(super) const VOLUNTEER_TITLES: &[&str] =
    &["科普志愿者", "科普志愿者", "科普志愿者", "志愿者", "退休教师", "大学生志愿者", "乡村医生", "科技特派员"];
pub(super) const ENTERPRISE_TITLES: &[&str] =
    &["工程师", "高级工程师", "技术员", "助理工程师", "研发部经理", "技术总监", "质量工程师", "车间主任"];
pub(super) const SME_TITLES: &[&str] =
    &["技术员", "技术员", "车间主任", "质检员", "工程师", "助理工程师", "销售经理", "生产主管", "技工"];
pub(super) const PRIMARY_TEACHER_TITLES: &[&str] = &["小学一级教师", "小学高级教师", "二级教师", "科技辅导员"];
pub(super) const SECONDARY_TEACHER_TITLES: &[&str] =
    &["中学一级教师", "中学高级教师", "正高级教师", "二级教师", "科技辅导员"];
pub(super) const EXPERT_TITLES: &[&str] =
    &["教授", "副教授", "研究员", "副研究员", "高级工程师", "正高级工程师", "讲师", "博士"];
pub(super) const MEMBER_TITLES: &[&str] =
    &["会员", "会员", "种植大户", "家庭农场主", "乡村医生", "农技员", "养殖能手"];
pub(super) const CITIZEN_TITLES: &[&str] = &["农民", "个体工商户", "退休职工", "企业职工", "学生"];
