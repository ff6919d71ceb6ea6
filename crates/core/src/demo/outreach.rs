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

/// Per topic (in the order of `TOPICS`): subjects with what to know about each, angles (a
/// title template and the opening it calls for), the usual audience, partner bodies for
/// reprints, and advice sentences for the body. A piece is one subject seen from one angle,
/// so no two bodies are alike.
struct Topic {
    subjects: &'static [(&'static str, &'static str)],
    angles: &'static [(&'static str, &'static str)],
    audience: &'static str,
    partner: &'static str,
    advice: &'static [&'static str],
}

const TOPIC_TABLE: [Topic; 12] = [
    Topic {
        subjects: &[
            (
                "糖尿病",
                "我国成人糖尿病患病率已超过12%，但知晓率不到四成。空腹血糖达到7.0毫摩尔/升或餐后两小时血糖达到11.1毫摩尔/升，就要到医院进一步确诊。",
            ),
            (
                "高血压",
                "高血压被称为“无声的杀手”，诊室血压达到或超过140/90毫米汞柱即可诊断。长期血压控制不好，会损害心、脑、肾等重要器官。",
            ),
            (
                "流感",
                "流感由流感病毒引起，起病急，常见高热、头痛、全身酸痛。和普通感冒不同，儿童、老人和慢性病患者得了流感容易发展为重症，每年接种流感疫苗是最有效的预防手段。",
            ),
            (
                "近视",
                "近视一旦发生就不可逆。儿童青少年每天户外活动两小时以上，是公认有效的预防办法；读写时做到“一尺一拳一寸”，连续用眼40分钟要休息远眺。",
            ),
            (
                "龋齿",
                "龋齿俗称“虫牙”，是口腔细菌分解食物中的糖产生酸、腐蚀牙齿造成的。每天早晚用含氟牙膏刷牙、少吃甜食，儿童可以到医院做窝沟封闭。",
            ),
            (
                "颈椎病",
                "长时间低头看手机、伏案工作，是颈椎病年轻化的主要原因。低头60度时，颈椎承受的压力相当于一个八九岁孩子的体重。",
            ),
        ],
        angles: &[
            (
                "冬季{}防治指南",
                "天气转冷，{}进入高发或容易加重的季节。区人民医院的专家结合门诊中常见的情况，整理了这份冬季防治要点。",
            ),
            (
                "关于{}的五个误区",
                "说起{}，不少人都有一些“想当然”的认识。我们请医生逐一点评了门诊里最常听到的几种说法。",
            ),
            (
                "社区医生讲{}",
                "在社区卫生服务中心，全科医生几乎每天都会被居民问到{}的问题。这期我们请社区医生用大白话讲一讲。",
            ),
            ("{}知识问答", "围绕{}，我们收集了群众最常问的几个问题，请专科医生逐一作答。"),
            ("{}早发现早干预", "{}往往起病隐匿，早期没有明显不适，等到症状明显时，可能已经错过了最佳干预时机。"),
        ],
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
        subjects: &[
            (
                "溺水",
                "溺水者往往无法呼救，几十秒内就可能沉入水中。发现有人落水，应大声呼救并抛投救生圈、竹竿等漂浮物，不要手拉手盲目下水施救。",
            ),
            (
                "火灾",
                "火灾中致人死亡的主要原因是烟气中毒和窒息。逃生时要用湿毛巾捂住口鼻，弯腰低姿沿疏散通道撤离，千万不要乘坐电梯。",
            ),
            (
                "地震",
                "地震发生时，身处楼房不要跳楼逃生，应迅速躲到坚固的桌子下或承重墙墙角，护住头颈部；震动停止后再有序撤离到空旷地带。",
            ),
            (
                "电梯困人",
                "被困电梯时不要扒门、撬门，应立即按下警铃或拨打轿厢内张贴的救援电话，保持冷静，等待专业人员救援。",
            ),
            (
                "燃气泄漏",
                "闻到燃气异味，要立即关闭燃气总阀，打开门窗通风，不要开关电灯、电器或使用明火，到室外安全地点再拨打燃气公司抢修电话。",
            ),
            (
                "触电",
                "发现有人触电，首先要切断电源，或用干燥的木棍、塑料制品挑开电线，切不可直接用手去拉触电者；触电者心跳呼吸停止时应立即实施心肺复苏。",
            ),
        ],
        angles: &[
            ("{}时如何自救", "意外往往发生在一瞬间。掌握正确的自救方法，就能在{}发生时为自己争取宝贵的时间。"),
            ("{}应急处置要点", "区应急管理局的工作人员结合近年处置的真实案例，梳理了{}发生后最关键的几个步骤。"),
            ("孩子遇到{}怎么办", "孩子缺乏安全经验，遇到{}时容易慌乱。家长要提前和孩子一起学、一起练。"),
            ("{}避险知识问答", "关于{}，哪些做法是对的，哪些做法反而更危险？我们整理了几个常见问题。"),
        ],
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
        subjects: &[
            (
                "台风",
                "台风带来的狂风、暴雨和风暴潮往往叠加出现。台风来临前要收好阳台花盆等高空物品，船只回港避风，沿海养殖人员及时撤离。",
            ),
            (
                "暴雨内涝",
                "短时强降雨容易造成低洼路段、地下车库和下穿通道积水。遇到暴雨不要在地下空间停留，积水较深时不要涉水行走，以防跌入窨井。",
            ),
            (
                "雷电",
                "雷雨天气要远离大树、电线杆和空旷地带的高处，不要在户外接打手机；在家中要关好门窗，尽量不要使用太阳能热水器洗澡。",
            ),
            (
                "寒潮",
                "寒潮来袭时气温骤降，老人和心脑血管疾病患者要注意保暖；农户要给大棚加盖保温材料，给露天水管包扎防冻。",
            ),
            (
                "高温",
                "日最高气温达到35摄氏度以上即为高温天气。户外作业要避开午后时段，及时补充淡盐水，出现头晕、恶心等中暑症状要立即到阴凉处休息。",
            ),
            (
                "大雾",
                "大雾天气能见度低，驾车要打开雾灯、降低车速、拉大车距；高速公路因雾封闭时要听从交警指挥，不要在应急车道停车。",
            ),
        ],
        angles: &[
            ("{}来了怎么办", "通州地处江海交汇处，每年都会受到{}的影响。一旦{}来临，我们该做好哪些准备？"),
            ("{}防御指南", "区气象局提醒，{}防御要做到“早知道、早准备、早行动”。"),
            ("{}预警信号怎么看", "气象部门发布{}预警信号时，不同颜色代表不同的危险程度和应对要求。"),
            ("农村{}防范要点", "农村地区的房屋、大棚和农田受{}影响大，防范工作要提前做到位。"),
        ],
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
        subjects: &[
            (
                "野生蘑菇",
                "毒蘑菇和可食用蘑菇外观相似，仅凭颜色、气味或“银针验毒”等民间方法无法辨别。误食毒蘑菇后可能出现呕吐、腹泻甚至肝肾损伤，不采、不买、不吃野生蘑菇是最安全的做法。",
            ),
            (
                "隔夜菜",
                "剩菜放置时间过长，细菌会大量繁殖，绿叶蔬菜中的亚硝酸盐含量也会升高。吃不完的饭菜应在两小时内放进冰箱冷藏，再次食用前要彻底加热。",
            ),
            (
                "食品添加剂",
                "防腐剂、甜味剂、色素都属于食品添加剂，我国对每一种添加剂的使用范围和用量都有严格规定。真正危害健康的是非法添加的非食用物质，二者不能混为一谈。",
            ),
            (
                "预制菜",
                "预制菜是经过预加工的菜肴，包括即食、即热、即烹等不同类型。购买时要看清储存条件，冷冻类产品回家后要及时放入冰箱。",
            ),
            (
                "保健食品",
                "保健食品不是药品，不能治疗疾病。正规保健食品包装上有“蓝帽子”标志和批准文号，凡宣称能“根治”“包治”的都是虚假宣传。",
            ),
            (
                "散装食品",
                "散装食品容易受到灰尘、虫害和交叉污染。选购时要看货架上是否标明名称、生产日期、保质期和生产者，熟食要有防蝇防尘设施。",
            ),
        ],
        angles: &[
            ("{}安全吗", "“{}到底能不能放心吃？”这是市场监管部门接到的常见咨询之一。"),
            ("关于{}的常见误区", "网络上关于{}的说法很多，有的夸大其词，有的以讹传讹。"),
            ("{}选购小贴士", "买{}时多看一眼、多问一句，就能避开不少坑。"),
            ("科学看待{}", "对待{}，既不必谈之色变，也不能掉以轻心，关键是掌握科学知识。"),
        ],
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
        subjects: &[
            (
                "垃圾分类",
                "厨余垃圾要沥干水分再投放，废电池、过期药品、废灯管属于有害垃圾，纸板、塑料瓶、旧衣服则可以回收利用。",
            ),
            (
                "塑料污染",
                "一个塑料袋在自然环境中降解需要几百年，破碎后形成的微塑料会进入土壤、河流和海洋，最终可能通过食物链回到人体。",
            ),
            (
                "长江大保护",
                "长江是中华民族的母亲河，南通地处长江入海口。长江十年禁渔期间，非法捕捞、购买和食用长江野生鱼类都是违法行为。",
            ),
            ("生物多样性", "通州沿江沿海湿地是候鸟迁徙的重要驿站，每年春秋两季都有大批鸻鹬类水鸟在这里停歇觅食。"),
            (
                "水环境治理",
                "农村生活污水、畜禽养殖尾水和农田退水是河道污染的重要来源。通州推行河长制，村里的小河小塘也有了专人管护。",
            ),
            (
                "湿地保护",
                "湿地被称为“地球之肾”，能涵养水源、净化水质、调节气候。围垦、填埋和随意排污都会破坏湿地生态。",
            ),
        ],
        angles: &[
            ("一图读懂{}", "{}听起来是个大话题，其实和我们每天的生活紧密相连。下面几个要点帮您快速读懂。"),
            ("{}从我做起", "{}不只是政府和企业的事，每个家庭、每个人都能出一份力。"),
            ("{}知识问答", "关于{}，您了解多少？一起来看看这几个问题。"),
            ("走近{}", "近年来，通州在{}方面做了大量工作，身边的变化看得见、摸得着。"),
        ],
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
        subjects: &[
            (
                "家庭节电",
                "冰箱、空调、热水器是家庭用电的“大户”。选购时优先选一级能效产品，冰箱不要塞得太满，热水器不用时可以调低温度。",
            ),
            (
                "新能源汽车",
                "新能源汽车冬季续航会有所下降，这是低温下电池活性降低造成的。充电要使用合格的充电桩，不要私拉电线“飞线充电”。",
            ),
            (
                "光伏发电",
                "光伏发电利用半导体材料把太阳光直接转化为电能。一块光伏板的设计寿命通常在25年以上，平时注意清洁表面灰尘就能保持发电效率。",
            ),
            (
                "绿色出行",
                "一辆小汽车行驶100公里大约排放20千克二氧化碳，而骑行和步行几乎零排放。通州城区的公共自行车和公交线路覆盖越来越密。",
            ),
            (
                "节约用水",
                "我国人均水资源量只有世界平均水平的四分之一左右。一个关不紧的水龙头，一个月能白白流掉一吨多水。",
            ),
            (
                "碳足迹",
                "碳足迹是指一个人、一件产品或一项活动直接和间接产生的温室气体排放总量，吃穿用行都有各自的“碳足迹”。",
            ),
        ],
        angles: &[
            ("{}知多少", "说到{}，很多人觉得离自己很远，其实它就藏在日常生活的点滴中。"),
            ("一文读懂{}", "{}是当下的热门话题，这篇文章帮您把来龙去脉理一理。"),
            ("{}的科学道理", "为什么要提倡{}？这背后有实实在在的科学道理。"),
            ("身边的{}", "在通州的街道、乡村和工厂里，{}正在悄悄改变我们的生活。"),
        ],
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
        subjects: &[
            (
                "水稻",
                "通州水稻以机插粳稻为主，稻瘟病、纹枯病和稻飞虱是主要病虫害。合理密植、控制氮肥用量，能有效减轻病害发生。",
            ),
            (
                "小麦",
                "赤霉病是长江中下游小麦的头号病害，扬花期遇阴雨极易暴发，要抓住齐穗至扬花初期的关键时间施药预防。",
            ),
            (
                "设施蔬菜",
                "大棚蔬菜连作多年后容易出现土壤盐渍化和土传病害，可以采用轮作、高温闷棚和增施有机肥等办法改良土壤。",
            ),
            (
                "梨树",
                "通州种植的翠冠梨、黄冠梨深受市场欢迎。花期要做好人工授粉，幼果期及时疏果套袋，才能提高单果重和商品率。",
            ),
            ("蚕桑", "养蚕讲究“小蚕靠温湿度，大蚕靠桑叶和通风”。蚕室蚕具要彻底消毒，发现病蚕及时剔除，防止蚕病蔓延。"),
            (
                "稻田综合种养",
                "稻田养虾、养蟹、养鸭等综合种养模式“一田多用、一水两用”，既减少了化肥农药使用，又增加了农户收入。",
            ),
        ],
        angles: &[
            ("{}病虫害绿色防控", "{}病虫害防治既要保产量，又要减少化学农药用量，绿色防控是方向。"),
            ("{}高产栽培技术", "区农业技术推广中心结合近几年的示范经验，总结了{}高产栽培的几项关键技术。"),
            ("{}春季管理要点", "一年之计在于春，{}的春季管理直接关系到全年的收成。"),
            ("专家田头讲{}", "农技专家走进田间地头，面对面为种植户讲解{}生产中的难题。"),
        ],
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
        subjects: &[
            (
                "人工智能",
                "人工智能是让机器模拟人类感知、学习和决策能力的技术。语音助手、刷脸支付、智能客服背后都有人工智能的身影。",
            ),
            (
                "大模型",
                "大模型通过学习海量文本，能够写文章、答问题、做翻译。但它也会一本正经地“编造”内容，重要信息一定要多方核实。",
            ),
            ("5G", "5G网络速度快、时延低、连接多，不仅让手机上网更快，还支撑着远程医疗、智能工厂和车联网等应用。"),
            (
                "北斗导航",
                "北斗卫星导航系统是我国自主建设的全球卫星导航系统，除了定位导航，还有独特的短报文通信功能，在渔业生产和抢险救灾中发挥了重要作用。",
            ),
            (
                "数据安全",
                "手机号、身份证号、人脸信息都属于个人敏感信息。快递单、车票等含有个人信息的单据，丢弃前要涂抹或撕碎。",
            ),
            ("智能手机", "智能手机的很多功能对老年人非常实用，比如大字模式、语音输入、视频通话和医院预约挂号。"),
        ],
        angles: &[
            ("一文读懂{}", "{}这个词频频出现在新闻里，它到底是什么？我们用几个问题把它说清楚。"),
            ("{}如何改变生活", "从出门导航到看病就医，{}已经悄悄融入了我们的日常。"),
            ("老年人如何用好{}", "不少老年朋友对{}既好奇又担心“学不会”“被骗”，其实掌握几个要点就能放心用。"),
            ("{}的前世今生", "今天我们习以为常的{}，背后是几十年科学家和工程师的接力攻关。"),
        ],
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
        subjects: &[
            (
                "中国空间站",
                "中国空间站由天和核心舱、问天实验舱和梦天实验舱组成，航天员在轨开展了大量空间科学实验，还多次举办“天宫课堂”。",
            ),
            (
                "嫦娥探月",
                "探月工程按照“绕、落、回”三步走，嫦娥五号带回了月球样品，嫦娥六号首次实现了月球背面采样返回。",
            ),
            ("火星探测", "天问一号一次实现了对火星的“绕、着、巡”，祝融号火星车在火星表面开展了巡视探测。"),
            (
                "运载火箭",
                "运载火箭是把航天器送入太空的“太空运输车”。长征系列运载火箭已累计完成数百次发射，成功率位居世界前列。",
            ),
            (
                "北斗卫星",
                "北斗三号全球卫星导航系统由30颗卫星组成，分布在地球静止轨道、倾斜地球同步轨道和中圆地球轨道三种轨道上。",
            ),
            (
                "天文观测",
                "观测星空最好选择远离城市灯光、天气晴朗的夜晚。初学者可以先用双筒望远镜观察月面环形山和木星的卫星。",
            ),
        ],
        angles: &[
            ("{}背后的科学", "{}每一次取得新进展，都牵动着亿万国人的心。它背后有哪些科学原理？"),
            ("青少年眼中的{}", "在区青少年科技活动中心的航天科普课上，同学们围绕{}提出了许多有趣的问题。"),
            ("{}知识问答", "关于{}，你能答对几道题？"),
            ("走近{}", "让我们一起走近{}，看看中国航天人是怎样一步步把梦想变成现实的。"),
        ],
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
        subjects: &[
            (
                "刷单返利",
                "刷单返利诈骗往往先让受害人做几单小任务并及时返利，取得信任后再以“连单”“卡单”为由要求不断垫付大额资金。所有刷单都是诈骗。",
            ),
            (
                "冒充客服",
                "骗子冒充电商或快递客服，以“商品质量问题理赔”“关闭百万保障”为由，诱导受害人开启屏幕共享或下载会议软件，进而转走资金。",
            ),
            (
                "虚假投资理财",
                "虚假投资理财诈骗通常通过交友或“荐股群”引流，用内幕消息、高额回报引诱受害人在虚假平台上投资；前期小额盈利可以提现，大额投入后平台就无法登录。",
            ),
            (
                "冒充公检法",
                "冒充公检法诈骗会编造“涉嫌洗钱”“名下银行卡涉案”等理由，出示伪造的通缉令，要求受害人把资金转到“安全账户”配合调查。",
            ),
            (
                "网络贷款",
                "网络贷款诈骗以“无抵押、低利息、秒到账”为诱饵，在放款前以缴纳“保证金”“解冻费”为由不断要钱。正规贷款机构放款前不会收取任何费用。",
            ),
            (
                "虚假购物",
                "虚假购物诈骗常以远低于市场价的商品为诱饵，引导受害人脱离正规平台私下交易，付款后卖家就拉黑失联。",
            ),
        ],
        angles: &[
            ("警惕{}诈骗", "近期，{}类诈骗在我区仍时有发生，公安机关提醒广大群众提高警惕。"),
            ("{}诈骗案例剖析", "通州分局反诈中心披露了一起{}诈骗的真实案例，我们来看看骗子是怎么一步步设局的。"),
            ("识破{}骗局", "{}骗局花样翻新，但万变不离其宗，记住几个关键特征就能识破。"),
            ("{}诈骗防范要点", "防范{}诈骗，关键在于守住自己的钱袋子和个人信息。"),
        ],
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
        subjects: &[
            (
                "袁隆平",
                "袁隆平院士一生致力于杂交水稻研究，他的“禾下乘凉梦”和“杂交水稻覆盖全球梦”，让中国人把饭碗牢牢端在自己手中。",
            ),
            (
                "钱学森",
                "钱学森冲破重重阻挠回到祖国，主持完成了我国导弹和航天事业的多项奠基性工作，被誉为“中国航天之父”。",
            ),
            (
                "屠呦呦",
                "屠呦呦从古代医书中获得灵感，用低温提取法发现了青蒿素，挽救了全球数百万疟疾患者的生命，获得2015年诺贝尔生理学或医学奖。",
            ),
            (
                "黄大年",
                "黄大年放弃国外优厚条件回国，带领团队在深部探测装备研究中取得一系列突破，他常说“我是国家的人”。",
            ),
            ("南仁东", "南仁东带领团队历时二十余年，在贵州的喀斯特洼地建成了500米口径球面射电望远镜“中国天眼”。"),
            ("李四光", "李四光创立了地质力学，提出陆相地层也能生油的观点，为我国发现大庆等大油田提供了理论依据。"),
        ],
        angles: &[
            ("{}的科学人生", "回顾{}的科学人生，我们看到的是一位科学家对国家和人民的深情。"),
            ("学习{}的科学家精神", "各学校、各单位正在开展学习{}科学家精神的活动。"),
            ("{}的故事", "今天，我们给同学们讲一讲{}的故事。"),
            ("致敬{}", "致敬{}，是致敬一种精神，更是传承一份担当。"),
        ],
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
        subjects: &[
            (
                "青少年焦虑",
                "青少年处在身心快速变化的阶段，学业压力、同伴关系和亲子沟通都可能引发焦虑，表现为烦躁易怒、注意力下降、不愿上学等。",
            ),
            (
                "老年孤独",
                "子女外出工作、老伴离世、退休后社交减少，都会让老年人产生孤独感。长期孤独会增加抑郁和认知功能下降的风险。",
            ),
            ("职场压力", "适度的压力能激发动力，但长期高负荷工作会导致失眠、头痛、情绪低落，甚至出现职业倦怠。"),
            (
                "睡眠障碍",
                "成年人每天需要7至8小时睡眠。入睡困难、夜间易醒、早醒后难以再睡，每周超过三次并持续一个月以上，就要考虑失眠障碍。",
            ),
            (
                "考试焦虑",
                "考前适度紧张有助于发挥，但过度焦虑会出现心慌、手抖、大脑空白。考前保证睡眠、按平时节奏复习，比临时加班加点更有效。",
            ),
            (
                "产后抑郁",
                "产后抑郁多发生在分娩后数周内，表现为持续情绪低落、对孩子缺乏兴趣、自责甚至有伤害自己的念头，家人要及时察觉并陪同就医。",
            ),
        ],
        angles: &[
            ("如何应对{}", "{}并不少见，它不是性格软弱，而是需要被认真对待的心理状态。"),
            ("关注{}", "在我们身边，有不少人正在经历{}，却不知道该向谁求助。"),
            ("{}的自我调适", "面对{}，除了寻求专业帮助，掌握一些自我调适的方法也很重要。"),
            ("心理专家谈{}", "南通市第四人民医院的心理专家结合门诊案例，谈谈如何正确认识{}。"),
        ],
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

/// The flu-season emergency campaign's own pieces (title, topic, audience, opening, what to
/// know); the first one launched it.
const EMERGENCY_TITLES: [(&str, &str, &str, &str, &str); 4] = [
    (
        "流感高发季，这份防护指南请收好",
        "健康卫生",
        "社会公众",
        "进入冬季，我区流感病例明显增多，区疾控中心提醒市民做好个人和家庭防护。",
        "流感病毒主要通过飞沫传播，也可以通过接触被污染的手和物品传播，人群普遍易感，学校、养老机构等人员密集场所容易出现聚集性发病。",
    ),
    (
        "流感和普通感冒有何不同",
        "健康卫生",
        "社会公众",
        "“不就是感冒吗，扛一扛就过去了。”不少人把流感当成普通感冒，这种想法并不可取。",
        "普通感冒多表现为鼻塞、流涕、打喷嚏，全身症状轻；流感则起病急，常有39摄氏度以上的高热、头痛和全身肌肉酸痛，还可能引起肺炎等并发症。",
    ),
    (
        "老人和儿童如何预防流感",
        "健康卫生",
        "老年人",
        "老人和儿童免疫力相对较弱，是流感重症的高危人群，需要家人格外用心。",
        "6月龄以上的儿童和60岁以上的老人都可以接种流感疫苗，接种后约两周产生保护性抗体，最好在流行高峰到来前完成接种。",
    ),
    (
        "出现流感症状怎么办",
        "应急避险",
        "社会公众",
        "如果突然发热、咳嗽、浑身酸痛，怀疑自己得了流感，该怎么办？",
        "发病48小时内在医生指导下使用抗病毒药物效果最好；高热不退、呼吸困难、精神萎靡的患者要及时到发热门诊就诊。",
    ),
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
    let mut combos: Vec<Vec<Piece>> = TOPIC_TABLE
        .iter()
        .enumerate()
        .map(|(topic, t)| {
            let mut c: Vec<Piece> = t
                .subjects
                .iter()
                .flat_map(|&(subject, know)| {
                    t.angles.iter().map(move |(title, opening)| Piece {
                        title: title.replace("{}", subject),
                        topic,
                        subject,
                        audience: None,
                        opening: opening.replace("{}", subject),
                        know,
                    })
                })
                .collect();
            c.shuffle(&mut rng);
            c
        })
        .collect();
    let mut titles: Vec<Piece> = EMERGENCY_TITLES
        .iter()
        .map(|&(title, topic, audience, opening, know)| Piece {
            title: title.to_string(),
            topic: TOPICS.iter().position(|x| *x == topic).expect("a topic"),
            subject: "流感",
            audience: Some(audience),
            opening: opening.to_string(),
            know,
        })
        .collect();
    let mut t = 0;
    while titles.len() < PIECES {
        if let Some(piece) = combos[t % TOPICS.len()].pop()
            && !titles.iter().any(|x| x.title == piece.title)
        {
            titles.push(piece);
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
    titles[EMERGENCY_TITLES.len()..].shuffle(&mut rng);
    let mut pieces: Vec<DemoContent> = titles
        .into_iter()
        .zip(plan)
        .map(|(piece, (status, campaign, on))| {
            let Piece { title, topic: t, subject, audience, opening, know } = piece;
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
            let (summary, body) = body(&mut rng, &opening, know, TOPICS[t], advice, source_name);
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

/// One piece before it is planned: its title and what its body says.
struct Piece {
    title: String,
    /// Index into `TOPICS` and `TOPIC_TABLE`.
    topic: usize,
    subject: &'static str,
    /// Set for the emergency pieces; others take their topic's usual audience or another.
    audience: Option<&'static str>,
    /// The angle's opening, about the subject.
    opening: String,
    /// What to know about the subject.
    know: &'static str,
}

/// The summary (the opening) and the body: the opening, what to know, one or two of the
/// topic's pieces of advice, and where to read more.
fn body(
    rng: &mut ChaCha8Rng,
    opening: &str,
    know: &str,
    topic: &str,
    advice: &[&str],
    source: Option<&str>,
) -> (String, String) {
    let summary = opening.to_string();
    let mut paras = vec![opening.to_string(), know.to_string()];
    let mut tips: Vec<&str> = advice.to_vec();
    tips.shuffle(rng);
    let n = rng.random_range(1..=2);
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
        // Each piece has its own body and opening, not one template with the title put in.
        let bodies: HashSet<String> = o.contents.iter().map(|c| c.body.replace(&c.title, "")).collect();
        assert_eq!(bodies.len(), PIECES, "bodies are distinct");
        let openings: HashSet<&str> = o.contents.iter().map(|c| c.summary.as_str()).collect();
        assert_eq!(openings.len(), PIECES, "openings are distinct");
        for c in &o.contents {
            let text = format!("{}{}{}", c.title, c.summary, c.body);
            assert!(!super::super::tests::EPIDEMIC_ERA.iter().any(|w| text.contains(w)), "{text}");
        }
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
