//! The demo district's citizen suggestions, as citizens wrote them: 43 from the emergency
//! (flu season) science campaign, the rest over the year. `status` is the code of where each
//! ended up; `reason` the moderation reason of a rejected one; `rating` 0 for none.

pub(super) struct Item {
    pub category: &'static str,
    /// The town it concerns ("" for none named).
    pub town: &'static str,
    pub text: &'static str,
    pub status: &'static str,
    pub reason: &'static str,
    pub answer: &'static str,
    pub public: bool,
    pub adopted: bool,
    pub rating: i32,
    pub comment: &'static str,
}

const fn item(category: &'static str, town: &'static str, text: &'static str, status: &'static str) -> Item {
    Item { category, town, text, status, reason: "", answer: "", public: false, adopted: false, rating: 0, comment: "" }
}

const fn answered(category: &'static str, town: &'static str, text: &'static str, status: &'static str, answer: &'static str, public: bool) -> Item {
    Item { category, town, text, status, reason: "", answer, public, adopted: false, rating: 0, comment: "" }
}

const fn rejected(category: &'static str, town: &'static str, text: &'static str, reason: &'static str) -> Item {
    Item { category, town, text, status: "rejected", reason, answer: "", public: false, adopted: false, rating: 0, comment: "" }
}

const fn adopt(mut i: Item) -> Item {
    i.adopted = true;
    i
}

const fn rate(mut i: Item, rating: i32, comment: &'static str) -> Item {
    i.rating = rating;
    i.comment = comment;
    i
}

/// Sent during the emergency (flu season) campaign, oldest first.
pub(super) const EMERGENCY: &[Item] = &[
    rate(answered("emergency", "金沙街道", "建议在小区门口的科普e站滚动播放流感季正确佩戴口罩的方法，很多老人把口罩戴在下巴上，起不到防护作用。", "closed",
        "感谢您的建议。金沙街道科协已将《流感季正确佩戴口罩》动画加入辖区科普e站的播放计划，每天早晚高峰各加播一次，并安排志愿者在小区门口现场示范。", true), 5, "回复很快，小区门口已经在放了。"),
    adopt(rate(answered("emergency", "西亭镇", "农村老年人不会用手机预约流感疫苗接种，建议科协组织志愿者到村里手把手教，或者在村委会设个帮办点。", "closed",
        "西亭镇科协已联合镇志愿服务队在各村委会设立“疫苗预约帮办点”，每周二、四上午有志愿者值守，已帮助六百余名老人完成预约。", true), 5, "志愿者很耐心，我妈已经约上了。")),
    rate(answered("emergency", "二甲镇", "希望e站能播放一些独居老人冬季健康提醒，子女不在身边，老人发烧咳嗽了也不知道该怎么办。", "closed",
        "已在“应急科普”栏目增加《独居老人冬季健康提醒》系列短片，共五集，并公布家庭医生签约电话和区心理援助热线，相关内容已在全区科普e站排播。", true), 4, ""),
    adopt(rate(answered("content", "", "建议把流感疫苗接种的常见问题做成问答海报，比如有基础病能不能打、是不是每年都要打，这些大家最关心。", "closed",
        "区科协会同区疾控中心编制了《流感疫苗接种十问十答》海报和短视频，已在科普e站、微信公众号同步发布，并向各村（社区）发放纸质海报三千份。", true), 5, "海报很实用，贴在电梯里了。")),
    rate(answered("estation", "石港镇", "石港镇卫生院候诊大厅的e站屏幕声音太小，排队挂号的人根本听不到流感防治广播，建议调大音量或者加装音箱。", "closed",
        "经现场查看，该屏幕位于大厅角落，已协调镇卫生院加装一台音箱并调整播放音量，目前候诊区域可以清楚听到。", true), 4, "现在听得清了。"),
    answered("emergency", "平潮镇", "菜场人流大，建议在平潮菜场附近的e站增加“咳嗽喷嚏要遮挡、回家先洗手”的提示，早上七八点人最多。", "closed",
        "平潮镇已将菜场周边两个科普e站的早间时段（6:30—9:00）调整为流感防护提示专场，并在菜场入口设置了洗手点。", true),
    adopt(rate(answered("activity", "", "建议科协组织医生到社区开一次线上直播讲座，讲讲孩子发烧该怎么办，什么时候需要去医院。", "closed",
        "区科协联合区人民医院举办“流感季孩子发烧怎么办”线上直播，观看约一万二千人次，回放已上传至“通州科协”公众号。", true), 5, "讲得很清楚，全家都看了。")),
    rate(answered("emergency", "兴仁镇", "很多村民相信喝板蓝根、熏白醋能防流感，建议多做一些辟谣的科普，告诉大家什么是科学的防护。", "closed",
        "已制作《流感谣言辨一辨》科普专题，在科普e站和村村通广播轮播，并由村科普宣传员入户讲解。", true), 4, ""),
    adopt(rate(answered("content", "", "建议推出方言版的流感防治科普视频，用通州话讲出来，村里的老人更容易听懂。", "closed",
        "采纳您的建议。区科协邀请本地广播主持人录制了通州话版《流感防护三件事》音视频，在全区科普e站和农村大喇叭播放。", true), 5, "通州话版本老人都说好懂。")),
    answered("emergency", "先锋街道", "小区里有不少外卖和快递小哥，冬天风里来雨里去，建议给他们也做一些防寒和预防流感的科普，可以在驿站放宣传单。", "closed",
        "先锋街道已在辖区快递驿站和外卖站点投放《户外工作者冬季健康指引》宣传单一千余份，并在附近科普e站同步播放。", true),
    rate(answered("estation", "张芝山镇", "张芝山镇卫生院门口的e站最近总是黑屏，流感防治信息看不到，请尽快派人修一下。", "closed",
        "经查为设备电源适配器故障，已于次日更换，屏幕恢复正常播放。感谢您的反馈。", false), 5, "修得很快。"),
    answered("emergency", "川姜镇", "川姜家纺市场外地客商多，建议在市场里的e站播放流感防护提示时加上普通话配音和英文字幕。", "closed",
        "川姜镇科协已为家纺市场内的科普e站更换带中英文字幕和普通话配音的流感防护提示。", true),
    rate(answered("emergency", "", "建议公布各个流感疫苗接种点的位置和开放时间，在e站上滚动显示，大家就不用到处打听了。", "closed",
        "区科协已与区卫健委对接，每周更新全区流感疫苗接种点信息，在科普e站“便民信息”时段滚动播放。", true), 4, "希望更新再及时一点。"),
    answered("content", "三余镇", "希望出一期寒假里保护孩子视力的科普，一放假孩子天天盯着手机平板，眼睛受不了。", "closed",
        "已联合区眼科医院制作《寒假护眼小课堂》短视频，并在三余镇各校家长群转发。", true),
    answered("emergency", "东社镇", "东社镇很多村民在外打工，春节前陆续返乡，建议提醒大家路上做好防护，回来后发烧咳嗽要及时看病。", "answered",
        "东社镇已在各村科普e站和村口公示栏发布《春节返乡健康提示》，并由网格员在村民微信群转发。", true),
    answered("activity", "十总镇", "建议在学校放寒假前搞一次“防流感、防诺如”进校园活动，教孩子正确洗手和咳嗽礼仪。", "closed",
        "十总镇科协于期末前一周在镇中心小学、初中开展“防流感、防诺如”健康知识进校园活动，覆盖学生一千二百余人。", true),
    answered("emergency", "刘桥镇", "刘桥镇集市逢单日开市，建议集市当天派志愿者在e站旁边讲解流感防护知识，比光放视频效果好。", "closed",
        "刘桥镇已安排科普志愿者在单日集市上午驻点讲解，每次两人，持续到流感高发期结束。", true),
    rate(answered("emergency", "五接镇", "建议给村里的独居老人发放冬季健康包，里面放体温计、口罩和一张简单的流感防护说明。", "closed",
        "五接镇科协联合镇慈善分会向辖区独居老人发放“冬季健康爱心包”三百八十份，内含体温计、口罩和图文防护说明。", true), 5, "老人收到很高兴。"),
    answered("content", "", "建议把科学消毒的方法讲清楚，有邻居天天用84消毒液拖地还兑得很浓，反而对身体不好。", "closed",
        "已在“应急科普”栏目发布《家庭消毒别过度》图解，说明含氯消毒剂的正确配比和通风要求，以及家人呕吐后如何处理才能防止诺如病毒传播。", true),
    answered("emergency", "兴东街道", "兴东街道新建小区入住率高，但物业宣传不到位，建议e站播放流感季开窗通风、公共区域清洁等注意事项。", "closed",
        "兴东街道已协调辖区物业企业，在小区科普e站和电梯广告屏播放流感季居家防护注意事项。", true),
    rate(answered("estation", "金沙街道", "金沙街道e站播放的流感防护内容文字太多，字太小老人看不清，建议字体放大或者多放图片和动画。", "closed",
        "已要求各科普e站应急科普内容正文字号不小于屏幕高度的二十分之一，并优先排播动画类内容。", true), 3, "有改进，但个别屏幕字还是小。"),
    answered("emergency", "", "希望科协能联合医院出一份“慢性病患者流感季健康指南”，高血压糖尿病病人得了流感更容易出问题。", "closed",
        "区科协联合区医学会发布《慢性病患者流感季防护与就医指引》，并公布家庭医生签约和长处方服务电话。", true),
    answered("emergency", "二甲镇", "建议在e站播放预约接种流感疫苗的流程，很多人不知道要在哪里预约，要带什么证件。", "closed",
        "二甲镇已在各村科普e站播放流感疫苗接种预约流程，并注明需携带身份证和医保卡。", true),
    adopt(answered("activity", "西亭镇", "建议组织中小学生开展“健康过冬”主题的科普绘画或征文比赛，寒假里孩子们也有事做。", "closed",
        "西亭镇科协联合镇教育办举办“科学防流感·我来画”线上绘画征集活动，收到作品三百余幅，优秀作品在科普e站展播。", true)),
    answered("emergency", "石港镇", "石港渔民冬天出海风大浪急，希望有关部门在码头附近的e站讲讲防寒保暖和防冻伤的知识。", "closed",
        "石港镇已在渔港码头科普e站播放《渔民冬季出海健康须知》，并在码头设置咨询点。", true),
    answered("content", "", "过年前家家户户都在囤年货，建议科普一下食物储存的知识，比如冰箱怎么放、剩菜能放几天。", "closed",
        "已发布《年货储存小常识》科普短片，在科普e站和公众号同步推送。", true),
    answered("emergency", "平潮镇", "春运快到了，建议在平潮高铁站附近的科普点增加旅客出行防护的提示，比如人多的地方戴口罩、勤洗手。", "closed",
        "平潮镇已在高铁站周边科普点增加春运出行防护提示，并配发免洗洗手液。", true),
    answered("emergency", "", "建议做一些针对孕妇和婴幼儿家庭的流感防护科普，她们是特殊人群，普通的宣传不够细。", "answered",
        "区科协联合区妇幼保健院制作了《孕产妇及婴幼儿家庭流感防护指南》，已在母婴室和科普e站发布。", true),
    answered("estation", "先锋街道", "先锋街道社区服务中心的e站只在白天播放，晚上散步的人很多，建议延长播放时间到晚上九点。", "closed",
        "已将该站点的播放时段延长至21:00，夜间自动调低亮度。", false),
    answered("emergency", "川姜镇", "川姜镇的工厂员工集中在食堂吃饭，冬天诺如病毒容易传开，建议科普一下食堂卫生和分餐的要求。", "closed",
        "川姜镇已向辖区企业下发《冬季职工食堂诺如病毒防控指引》，并在企业科协所在单位的科普屏播放。", true),
    answered("emergency", "", "建议每周在e站发布一下本地流感监测情况和就医提示，大家心里好有个数。", "answered",
        "区科协已与区疾控中心建立流感监测信息每周发布机制，在科普e站“健康速递”时段播放。", true),
    answered("activity", "", "建议开展应急救护志愿者培训，很多人想当志愿者但不知道怎么做好自身防护。", "closed",
        "区科协联合区红十字会开展应急救护和个人防护线上培训两期，参训四百余人。", true),
    answered("emergency", "三余镇", "三余镇靠海，冬天风大，建议流感疫苗接种点排队的地方搭个棚子，放一块屏幕播放科普内容，老人排队不无聊。", "closed",
        "已协调镇卫生院在接种点排队区搭建临时挡风棚，并借用一台移动科普屏播放科普内容。", false),
    item("content", "兴仁镇", "建议科普一下流感抗原自测的正确操作方法，很多人鼻拭子采样不规范，结果不准。", "assigned"),
    answered("emergency", "十总镇", "十总镇敬老院的老人冬天出不了门，建议通过e站或者电视给他们播放一些室内锻炼的视频。", "closed",
        "十总镇科协已为敬老院提供《老年人居家健身操》视频，每天上午在活动室播放。", false),
    answered("emergency", "", "希望在社区e站上公布发热门诊的地址和电话，万一家里有人发烧能第一时间找到。", "closed",
        "全区发热门诊地址和电话已在科普e站“便民信息”时段滚动播放。", true),
    rejected("other", "", "本店新到一批防护口罩和消毒液，价格优惠，量大从优，欢迎来电选购，送货上门！", "advert"),
    rejected("emergency", "金沙街道", "小区门口的屏幕能不能多放放口罩怎么戴的视频，好多老人戴法不对。", "duplicate"),
    rejected("other", "", "那个屏幕有问题，你们去看一下吧。", "insufficient"),
    rejected("other", "兴东街道", "建议把我们小区门口那条路的路灯修一下，晚上太黑了，走路不安全。", "off_topic"),
    rejected("emergency", "", "流感疫苗在哪里打？希望在屏幕上公布一下时间和地点。", "duplicate"),
    item("emergency", "东社镇", "东社镇部分村的广播喇叭坏了，流感防护通知听不到，建议检修并配合e站一起播放。", "assigned"),
    adopt(answered("content", "", "建议将这次流感季制作的优秀科普视频整理成合集，以后遇到类似情况可以直接调用。", "closed",
        "采纳您的建议。区科协已将本次应急科普期间的视频、海报整理入“应急科普资源库”，供各镇街和科普e站随时调用。", true)),
];

/// Sent over the rest of the year, oldest first.
pub(super) const YEAR: &[Item] = &[
    rate(answered("content", "石港镇", "建议在石港镇的科普e站多放一些防范电信诈骗的内容，最近村里好几个人接到冒充公检法的电话。", "closed",
        "石港镇已将《防范电信网络诈骗》列入科普e站常态播放内容，并联合派出所开展反诈宣传进村活动。", true), 5, "很及时，村里老人都看到了。"),
    rate(answered("estation", "川姜镇", "川姜镇政务中心的e站能不能加一个查询功能，比如查科普活动的报名时间？现在只能看不能点。", "closed",
        "科普e站屏幕目前为播放终端，暂不支持触摸查询。我们已在屏幕播放内容中加入活动报名二维码，扫码即可查看报名时间。", true), 4, "扫码也挺方便。"),
    rejected("other", "", "科协的人都是吃白饭的，搞这些有什么用，浪费纳税人的钱！！！", "improper"),
    answered("content", "", "我是一名退休的中学物理老师，想参加科普志愿服务，不知道怎么报名？", "answered",
        "您好，欢迎加入！请携带身份证到所在街道科协登记，或关注“通州科协”公众号在志愿服务栏目报名，工作人员会与您联系。", false),
    rate(answered("other", "刘桥镇", "建议科协和农技站合作，在e站上定期发布天气和农事提醒，对我们种地的很有用。", "answered",
        "刘桥镇科协已与镇农技站商定，每周一在科普e站发布一周天气和农事提醒。", true), 3, "希望内容再具体一些，比如病虫害防治。"),
    adopt(answered("content", "", "希望多一些关于电动自行车电池安全的科普，楼道里充电太危险了，别的地方还发生过火灾。", "closed",
        "区科协联合区消防救援大队制作《电动自行车安全充电》科普片，已在全区科普e站播放，并组织进社区演示活动。", true)),
    adopt(rate(answered("activity", "金沙街道", "建议周末在金沙公园搞一次天文观测的科普活动，孩子们都很喜欢看星星。", "answered",
        "金沙街道科协已联合区天文学会在金沙公园举办“星空观测夜”活动，后续将每季度举办一次。", true), 5, "孩子玩得很开心，期待下一次！")),
    answered("activity", "兴东街道", "希望能组织社区老年人学习使用智能手机的培训，比如网上挂号、视频通话这些。", "answered",
        "兴东街道科协已在各社区开设“银龄数字课堂”，每月两期，欢迎报名。", true),
    item("content", "金沙街道", "建议在e站播放一些夏季防溺水的安全知识，金沙这边河道多，每年都有孩子出事。", "assigned"),
    item("activity", "二甲镇", "二甲镇的果农很需要果树种植的技术培训，建议请农业专家来村里讲课，最好能到田间地头指导。", "assigned"),
    item("estation", "先锋街道", "先锋街道某小区门口的e站晚上屏幕太亮，对面住户反映影响休息，建议晚上调暗一点。", "assigned"),
    item("estation", "西亭镇", "西亭镇汽车站旁边的e站屏幕被树枝挡住了一半，路过的人看不全，建议修剪一下树木或者挪个位置。", "assigned"),
    item("emergency", "平潮镇", "台风季节快到了，建议提前在e站播放防台防汛的应急知识，告诉大家家里要准备哪些物资。", "accepted"),
    item("activity", "西亭镇", "暑假期间孩子在家没事做，建议科协在镇上的科普馆办一些青少年科技夏令营或者机器人体验活动。", "received"),
    item("content", "", "建议多做一些垃圾分类的科普，特别是厨余垃圾和其他垃圾怎么分，我们小区很多人还是分不清。", "received"),
    item("other", "", "建议在科协网站上公布一下今年全国科普日的活动安排，方便我们提前报名参加。", "received"),
    item("estation", "金沙街道", "金沙街道老年活动中心的科普e站能不能增加一些防范养老诈骗的内容？最近听说有老人被骗买保健品。", "received"),
];

pub(super) const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "朱", "马", "胡", "郭", "顾", "季", "陆", "曹", "施", "姜", "瞿", "保"];
pub(super) const GIVEN: &[&str] = &["建华", "秀英", "志强", "桂芳", "海燕", "国平", "丽娟", "春兰", "小军", "晓东", "玉梅", "卫东", "美玲", "永忠", "红霞", "雪峰", "静", "磊", "敏", "军", "芳", "勇", "婷", "杰"];
