//! GB/T 4754-2017 industry divisions (大类) and the domains each one usually needs.
//!
//! The industry is a prior, not a filter: a 专用设备制造业 enterprise may make catheters or
//! assembly lines, so broad divisions spread over several domains and the need's own words
//! decide. Weights are relative within a division.

use super::Domain::{self, *};

#[derive(Debug)]
pub struct Industry {
    /// The division's name as in GB/T 4754-2017.
    pub name: &'static str,
    pub domains: &'static [(Domain, f32)],
}

/// The division named `name`, ignoring punctuation and spaces ("计算机,通信和其他电子设备
/// 制造业" and "计算机、通信和其他电子设备制造业" are the same division).
pub fn industry(name: &str) -> Option<&'static Industry> {
    let key = squash(name);
    INDUSTRIES.iter().find(|i| squash(i.name) == key)
}

/// Every division, in the standard's order: what a form offers to choose from.
pub fn industries() -> &'static [Industry] {
    INDUSTRIES
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '、' | '，' | ',' | '；' | ';' | '·')).collect()
}

const fn i(name: &'static str, domains: &'static [(Domain, f32)]) -> Industry {
    Industry { name, domains }
}

const INDUSTRIES: &[Industry] = &[
    // A 农、林、牧、渔业
    i("农业", &[(Agriculture, 1.0)]),
    i("林业", &[(Agriculture, 1.0)]),
    i("畜牧业", &[(Agriculture, 1.0), (Food, 0.3)]),
    i("渔业", &[(Agriculture, 1.0), (Environment, 0.3)]),
    i("农、林、牧、渔专业及辅助性活动", &[(Agriculture, 1.0)]),
    // B 采矿业
    i("煤炭开采和洗选业", &[(Energy, 0.6), (Machinery, 0.4), (Environment, 0.3)]),
    i("石油和天然气开采业", &[(Energy, 0.6), (Chemical, 0.4)]),
    i("黑色金属矿采选业", &[(Metal, 0.8), (Environment, 0.3)]),
    i("有色金属矿采选业", &[(Metal, 0.8), (Environment, 0.3)]),
    i("非金属矿采选业", &[(Construction, 0.6), (Environment, 0.3)]),
    i("开采专业及辅助性活动", &[(Machinery, 0.5), (Energy, 0.5)]),
    i("其他采矿业", &[(Metal, 0.5), (Environment, 0.3)]),
    // C 制造业
    i("农副食品加工业", &[(Food, 1.0), (Agriculture, 0.3)]),
    i("食品制造业", &[(Food, 1.0)]),
    i("酒、饮料和精制茶制造业", &[(Food, 1.0)]),
    i("烟草制品业", &[(Food, 0.6), (Agriculture, 0.4)]),
    i("纺织业", &[(Textile, 1.0)]),
    i("纺织服装、服饰业", &[(Textile, 1.0), (Strategy, 0.2)]),
    i("皮革、毛皮、羽毛及其制品和制鞋业", &[(Textile, 0.7), (Polymer, 0.4), (Chemical, 0.3)]),
    i("木材加工和木、竹、藤、棕、草制品业", &[(Construction, 0.5), (Polymer, 0.3)]),
    i("家具制造业", &[(Construction, 0.4), (Polymer, 0.4), (Machinery, 0.3), (Strategy, 0.2)]),
    i("造纸和纸制品业", &[(Packaging, 0.7), (Chemical, 0.5), (Environment, 0.4)]),
    i("印刷和记录媒介复制业", &[(Packaging, 0.5), (Polymer, 0.4), (Environment, 0.4)]),
    i("文教、工美、体育和娱乐用品制造业", &[(Polymer, 0.5), (Strategy, 0.3), (Textile, 0.2)]),
    i("石油、煤炭及其他燃料加工业", &[(Chemical, 0.8), (Energy, 0.5)]),
    i("化学原料和化学制品制造业", &[(Chemical, 1.0), (Environment, 0.3)]),
    i("医药制造业", &[(Chemical, 0.8), (Medical, 0.6)]),
    i("化学纤维制造业", &[(Textile, 0.7), (Chemical, 0.6), (Polymer, 0.4)]),
    i("橡胶和塑料制品业", &[(Polymer, 1.0)]),
    i("非金属矿物制品业", &[(Construction, 1.0), (Polymer, 0.2)]),
    i("黑色金属冶炼和压延加工业", &[(Metal, 1.0), (Energy, 0.2), (Environment, 0.2)]),
    i("有色金属冶炼和压延加工业", &[(Metal, 1.0), (Energy, 0.2), (Environment, 0.2)]),
    i("金属制品业", &[(Metal, 0.8), (Machinery, 0.6)]),
    i("通用设备制造业", &[(Machinery, 0.8), (Metal, 0.4), (Automation, 0.3), (Electrical, 0.2)]),
    i("专用设备制造业", &[(Machinery, 0.6), (Automation, 0.5), (Medical, 0.3), (Electrical, 0.2)]),
    i("汽车制造业", &[(Machinery, 0.8), (Metal, 0.4), (Electrical, 0.3), (Polymer, 0.2)]),
    i("铁路、船舶、航空航天和其他运输设备制造业", &[(Ship, 0.8), (Machinery, 0.6), (Metal, 0.4)]),
    i("电气机械和器材制造业", &[(Electrical, 0.8), (Energy, 0.6), (Electronics, 0.4), (Machinery, 0.2)]),
    i("计算机、通信和其他电子设备制造业", &[(Electronics, 1.0), (Automation, 0.3)]),
    i("仪器仪表制造业", &[(Electronics, 0.7), (Automation, 0.5), (Quality, 0.3)]),
    i("其他制造业", &[(Machinery, 0.3), (Polymer, 0.3), (Strategy, 0.2)]),
    i("废弃资源综合利用业", &[(Environment, 1.0), (Metal, 0.3), (Polymer, 0.3)]),
    i("金属制品、机械和设备修理业", &[(Machinery, 0.8), (Metal, 0.5)]),
    // D 电力、热力、燃气及水生产和供应业
    i("电力、热力生产和供应业", &[(Electrical, 0.8), (Energy, 0.8)]),
    i("燃气生产和供应业", &[(Energy, 0.8), (Chemical, 0.3)]),
    i("水的生产和供应业", &[(Environment, 1.0)]),
    // E 建筑业
    i("房屋建筑业", &[(Construction, 1.0)]),
    i("土木工程建筑业", &[(Construction, 1.0)]),
    i("建筑安装业", &[(Construction, 0.8), (Electrical, 0.4)]),
    i("建筑装饰、装修和其他建筑业", &[(Construction, 1.0), (Strategy, 0.2)]),
    // F 批发和零售业
    i("批发业", &[(Strategy, 0.6), (Automation, 0.3)]),
    i("零售业", &[(Strategy, 0.6), (Automation, 0.3)]),
    // G 交通运输、仓储和邮政业
    i("铁路运输业", &[(Machinery, 0.5), (Strategy, 0.3)]),
    i("道路运输业", &[(Machinery, 0.4), (Automation, 0.3), (Strategy, 0.3)]),
    i("水上运输业", &[(Ship, 0.8), (Strategy, 0.3)]),
    i("航空运输业", &[(Machinery, 0.5), (Strategy, 0.3)]),
    i("管道运输业", &[(Energy, 0.5), (Metal, 0.4)]),
    i("多式联运和运输代理业", &[(Strategy, 0.6), (Automation, 0.4)]),
    i("装卸搬运和仓储业", &[(Automation, 0.6), (Food, 0.2), (Strategy, 0.3)]),
    i("邮政业", &[(Automation, 0.5), (Strategy, 0.4)]),
    // H 住宿和餐饮业
    i("住宿业", &[(Strategy, 0.6)]),
    i("餐饮业", &[(Food, 0.8), (Strategy, 0.3)]),
    // I 信息传输、软件和信息技术服务业
    i("电信、广播电视和卫星传输服务", &[(Electronics, 0.6), (Automation, 0.6)]),
    i("互联网和相关服务", &[(Automation, 1.0), (Strategy, 0.3)]),
    i("软件和信息技术服务业", &[(Automation, 1.0), (Electronics, 0.2)]),
    // J 金融业
    i("货币金融服务", &[(Finance, 1.0)]),
    i("资本市场服务", &[(Finance, 1.0)]),
    i("保险业", &[(Finance, 1.0)]),
    i("其他金融业", &[(Finance, 1.0)]),
    // K 房地产业
    i("房地产业", &[(Construction, 0.7), (Strategy, 0.4)]),
    // L 租赁和商务服务业
    i("租赁业", &[(Strategy, 0.6), (Finance, 0.3)]),
    i("商务服务业", &[(Strategy, 0.8), (Ip, 0.2)]),
    // M 科学研究和技术服务业
    i("研究和试验发展", &[(Quality, 0.3), (Ip, 0.4)]),
    i("专业技术服务业", &[(Quality, 0.6), (Construction, 0.3), (Environment, 0.3)]),
    i("科技推广和应用服务业", &[(Ip, 0.6), (Finance, 0.3), (Strategy, 0.3)]),
    // N 水利、环境和公共设施管理业
    i("水利管理业", &[(Environment, 0.8), (Construction, 0.4)]),
    i("生态保护和环境治理业", &[(Environment, 1.0)]),
    i("公共设施管理业", &[(Environment, 0.5), (Construction, 0.5)]),
    i("土地管理业", &[(Agriculture, 0.5), (Environment, 0.5)]),
    // O 居民服务、修理和其他服务业
    i("居民服务业", &[(Strategy, 0.5)]),
    i("机动车、电子产品和日用产品修理业", &[(Machinery, 0.5), (Electronics, 0.5)]),
    i("其他服务业", &[(Strategy, 0.5)]),
    // P 教育
    i("教育", &[(Talent, 1.0)]),
    // Q 卫生和社会工作
    i("卫生", &[(Medical, 1.0)]),
    i("社会工作", &[(Medical, 0.4), (Strategy, 0.3)]),
    // R 文化、体育和娱乐业
    i("新闻和出版业", &[(Strategy, 0.5), (Automation, 0.3)]),
    i("广播、电视、电影和录音制作业", &[(Strategy, 0.5), (Electronics, 0.3)]),
    i("文化艺术业", &[(Strategy, 0.6)]),
    i("体育", &[(Strategy, 0.5)]),
    i("娱乐业", &[(Strategy, 0.5)]),
    // S 公共管理、社会保障和社会组织
    i("中国共产党机关", &[]),
    i("国家机构", &[]),
    i("人民政协、民主党派", &[]),
    i("社会保障", &[(Finance, 0.3)]),
    i("群众团体、社会团体和其他成员组织", &[]),
    i("基层群众自治组织及其他组织", &[]),
    // T 国际组织
    i("国际组织", &[]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lookup_ignores_punctuation() {
        for (n, a) in INDUSTRIES.iter().enumerate() {
            for b in &INDUSTRIES[n + 1..] {
                assert_ne!(squash(a.name), squash(b.name), "{}", a.name);
            }
        }
        assert_eq!(INDUSTRIES.len(), 97);
        let e = industry("计算机,通信和其他电子设备制造业").expect("known");
        assert_eq!(e.name, "计算机、通信和其他电子设备制造业");
        assert!(industry("宇宙飞船维修业").is_none());
    }
}
