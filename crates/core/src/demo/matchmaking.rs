//! 产学研精准对接 content of the demo district: expert profiles, enterprises' technical needs,
//! patents and the members of the expert workstations. Each block adds its own, drawn from the
//! templates of `matchmaking_data` by the trade an enterprise's name tells (家纺, 机械, 船舶 …),
//! so that a 川姜 家纺 firm asks about 起球 and a marine supplier about 焊缝开裂.

use super::matchmaking_data::*;
use super::{ENTERPRISES, Gen, SMALL_ENTERPRISES, WORKSTATIONS, pick, town_index, weighted};
use crate::matchmaking::NeedKind;
use crate::org::OrgKind;
use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom, index};
use std::collections::{HashMap, HashSet};

/// An expert profile; `person` indexes DemoDistrict::people, `org` the institution's org when it
/// is an organisation of the district (a university, society, enterprise…), else None.
pub struct DemoExpert {
    pub person: Option<usize>,
    pub org: Option<usize>,
    pub name: String,
    /// 职称: 教授, 副教授, 研究员, 高级工程师, 正高级工程师 …
    pub title: String,
    pub institution: String,
    /// 2–3 disciplines.
    pub fields: Vec<String>,
    /// 4–6 technical keywords.
    pub keywords: Vec<String>,
    /// 60–140 characters.
    pub bio: String,
    /// 2–4 titles of papers, patents and projects; patents end with "（发明专利）" or "（实用新型专利）".
    pub achievements: Vec<String>,
    pub consent: bool,
    pub visible: bool,
    /// Enterprises (org indexes) with a declared conflict of interest.
    pub conflicts: Vec<usize>,
}

/// A technical need; `enterprise` indexes DemoDistrict::orgs and is an org of kind
/// OrgKind::Enterprise.
pub struct DemoNeed {
    pub enterprise: usize,
    /// 项目名称
    pub title: String,
    /// A GB/T 4754 division name accepted by `crate::matchmaking::lexicon::industry`.
    pub industry: String,
    pub kind: NeedKind,
    /// 需求背景, in the owner's words.
    pub background: String,
    /// 需解决的主要技术难题
    pub problem: String,
    /// 期望实现的主要技术目标
    pub goal: String,
    /// 万元
    pub budget_wan: Option<i64>,
    /// In 2027.
    pub deadline: NaiveDate,
    /// A `NeedStatus` code.
    pub status: &'static str,
}

pub struct DemoPatent {
    /// "ZL" + 12 digits + "." + check digit or X; unique.
    pub number: String,
    pub title: String,
    /// A `PatentKind` code.
    pub kind: &'static str,
    /// The enterprise's or institution's name, exactly as the org or expert institution is named.
    pub applicant: String,
    pub inventors: Vec<String>,
    pub granted_on: NaiveDate,
    /// Indexes experts; when set, the expert is among the inventors and the applicant is the
    /// expert's institution (or the university part of it).
    pub expert: Option<usize>,
    /// Indexes orgs: the district enterprise that holds it.
    pub org: Option<usize>,
}

/// An expert's membership in a 专家工作站 (an org of kind OrgKind::ExpertWorkstation).
pub struct DemoWorkstationMember {
    pub workstation: usize,
    pub expert: usize,
    pub joined_on: NaiveDate,
    pub project: String,
}

// Per block, that is at scale 1.
const EXPERTS_PER_BLOCK: usize = 240;
const NEEDS_PER_BLOCK: usize = 130;
/// Enterprises with needs: with an association of their own, and small ones.
const NEED_ENTERPRISES: (usize, usize) = (45, 35);
const EXPERT_PATENTS: usize = 120;
const ENTERPRISE_PATENTS: usize = 150;
const UNIVERSITY_PATENTS: usize = 30;

const KINDS: [(NeedKind, u32); 5] = [
    (NeedKind::Technology, 65),
    (NeedKind::Expert, 12),
    (NeedKind::Equipment, 10),
    (NeedKind::Funding, 7),
    (NeedKind::Talent, 6),
];
const STATUSES: [(&str, u32); 5] = [("approved", 70), ("submitted", 12), ("draft", 6), ("rejected", 6), ("closed", 6)];
/// The demo enterprise account shows a need in every state it can act on.
const QIYE_STATUSES: [&str; 11] = [
    "draft",
    "submitted",
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "approved",
    "closed",
];
/// The towns of the demo town-officer accounts get approved needs whatever the dice say.
const ANCHOR_TOWNS: [&str; 2] = ["金沙街道", "西亭镇"];
const ANCHORS: usize = 3;

/// A block's enterprises, by trade.
struct Block {
    big: Vec<usize>,
    small: Vec<usize>,
    /// Enterprises whose association is on the patent platform: they hold the most patents.
    platform: Vec<usize>,
    trade: HashMap<usize, usize>,
}

impl Block {
    fn of_trade(&self, trade: usize, big_only: bool) -> Vec<usize> {
        let small = if big_only { &[][..] } else { &self.small[..] };
        self.big.iter().chain(small).copied().filter(|e| self.trade[e] == trade).collect()
    }
}

/// What the generator keeps of an expert beyond the public record.
struct Made {
    trade: Option<usize>,
    /// Who files the expert's patents: the university, institute or enterprise.
    applicant: String,
}

impl Gen {
    /// Experts, needs, patents and workstation members of every block. Runs after the accounts
    /// (expert 0 is the expert account's person; the enterprise account's firm gets needs) and
    /// before `fill_people`, so that the people made for district experts count in the total.
    pub(super) fn matchmaking(&mut self, blocks: usize) {
        let workstations: Vec<usize> =
            (0..self.d.orgs.len()).filter(|&o| self.d.orgs[o].kind == OrgKind::ExpertWorkstation).collect();
        let mut numbers = HashSet::new();
        for k in 0..blocks {
            let b = self.block_trades(k);
            let first = self.d.experts.len();
            let made = self.experts(k, &b);
            self.needs(k, &b);
            self.patents(first, &made, &b, &mut numbers);
            self.members(&workstations[k * WORKSTATIONS..(k + 1) * WORKSTATIONS], first, &made);
        }
    }

    fn block_trades(&self, k: usize) -> Block {
        let big = self.enterprises[k * ENTERPRISES..(k + 1) * ENTERPRISES].to_vec();
        let small = self.small_enterprises[k * SMALL_ENTERPRISES..(k + 1) * SMALL_ENTERPRISES].to_vec();
        let platform = self.associations[k * ENTERPRISES..(k + 1) * ENTERPRISES]
            .iter()
            .filter(|&&a| self.d.orgs[a].patent_platform_on.is_some())
            .filter_map(|&a| self.d.orgs[a].enterprise)
            .collect();
        let trade = big.iter().chain(&small).map(|&e| (e, self.trade_of(e))).collect();
        Block { big, small, platform, trade }
    }

    /// The trade an organisation's name tells (a workstation's starts with its host's name).
    fn trade_of(&self, org: usize) -> usize {
        let o = &self.d.orgs[org];
        let t = TRADES.iter().position(|t| t.markers.iter().any(|m| o.name.contains(m))).unwrap_or(MACHINERY);
        // 通州湾's machine shops mostly serve the shipyards and offshore yards there; its tool and
        // valve makers do not.
        let shop = ["机械", "装备"].iter().any(|w| o.name.contains(w));
        if t == MACHINERY && shop && self.town_of(o.region) == town_index("通州湾示范区") { SHIPS } else { t }
    }

    // ---- experts ----

    fn experts(&mut self, k: usize, b: &Block) -> Vec<Made> {
        let mut made = Vec::with_capacity(EXPERTS_PER_BLOCK);
        if k == 0 {
            made.push(self.account_expert());
        }
        let texts: Vec<&ExpertText> = EXPERTS.iter().flat_map(|g| g.iter()).collect();
        // Every template in turn, in a new order each round, so that all are used alike.
        let mut order = Vec::new();
        while made.len() < EXPERTS_PER_BLOCK {
            if order.is_empty() {
                order = (0..texts.len()).collect();
                order.shuffle(&mut self.rng);
            }
            let t = texts[order.pop().expect("refilled above")];
            if let Some(m) = self.expert(t, b) {
                made.push(m);
            }
        }
        made
    }

    /// The person of the demo expert account, with a profile that suits many of the demo needs.
    fn account_expert(&mut self) -> Made {
        let person = self.d.accounts.iter().find(|a| a.username == "expert").and_then(|a| a.person);
        let person = person.expect("accounts are made first");
        let u = self.universities[0];
        let applicant = self.d.orgs[u].name.clone();
        let p = &self.d.people[person];
        let t = &ACCOUNT_EXPERT;
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        self.d.experts.push(DemoExpert {
            person: Some(person),
            org: Some(u),
            name: p.name.clone(),
            title: p.title.clone().unwrap_or_else(|| t.titles[0].to_string()),
            institution: format!("{applicant}{}", t.institutions[0]),
            fields: strings(t.fields),
            keywords: strings(t.keywords),
            bio: t.bio.to_string(),
            achievements: strings(t.achievements),
            consent: true,
            visible: true,
            conflicts: Vec::new(),
        });
        Made { trade: t.trade, applicant }
    }

    /// An expert from template `t`; `None` when it wants an enterprise of a trade the block
    /// lacks.
    fn expert(&mut self, t: &ExpertText, b: &Block) -> Option<Made> {
        let inst = *pick(&mut self.rng, t.institutions);
        let (org, applicant, institution) = if let Some(words) = inst.strip_prefix('@') {
            let trade = t.trade?;
            let fits = |e: &usize| words.is_empty() || words.split('|').any(|w| self.d.orgs[*e].name.contains(w));
            let mut hosts: Vec<usize> = b.of_trade(trade, true).into_iter().filter(fits).collect();
            if hosts.is_empty() {
                hosts = b.of_trade(trade, false).into_iter().filter(fits).collect();
            }
            let e = *hosts.choose(&mut self.rng)?;
            let name = self.d.orgs[e].name.clone();
            (Some(e), name.clone(), name)
        } else {
            let (applicant, department) = inst.split_once('|').unwrap_or((inst, ""));
            let org = self.universities.iter().copied().find(|&u| self.d.orgs[u].name == applicant);
            (org, applicant.to_string(), format!("{applicant}{department}"))
        };
        let title = *pick(&mut self.rng, t.titles);
        // Experts of district organisations live in the district; the others only visit.
        let person = org.map(|o| {
            let region = self.resident_of(self.d.orgs[o].region);
            self.person(region, Some(o), Some(title), (1962, 1990), 0.7, true)
        });
        let name = match person {
            Some(p) => self.d.people[p].name.clone(),
            None => {
                let male = self.rng.random_bool(0.7);
                self.name(male)
            }
        };
        let n = if t.fields.len() > 2 && self.rng.random_bool(0.5) { 3 } else { 2 };
        let fields = t.fields[..n].iter().map(|f| f.to_string()).collect();
        let n = self.rng.random_range(4..=6);
        let keywords = self.some_of(t.keywords, n);
        let n = self.rng.random_range(2..=4);
        let achievements = self.some_of(t.achievements, n);
        let closers = if inst.starts_with('@') { ENGINEER_CLOSERS } else { ACADEMIC_CLOSERS };
        let closer = *pick(&mut self.rng, closers);
        let bio = if self.rng.random_bool(0.6) && chars(t.bio) + chars(closer) <= 140 {
            format!("{}{closer}", t.bio)
        } else {
            t.bio.to_string()
        };
        let conflicts = if self.rng.random_bool(0.05) {
            let mut near = t.trade.map_or_else(|| b.big.clone(), |trade| b.of_trade(trade, false));
            near.retain(|&e| Some(e) != org);
            near.choose(&mut self.rng).copied().into_iter().collect()
        } else {
            Vec::new()
        };
        let consent = self.rng.random_bool(0.95);
        let visible = self.rng.random_bool(0.85);
        self.d.experts.push(DemoExpert {
            person,
            org,
            name,
            title: title.to_string(),
            institution,
            fields,
            keywords,
            bio,
            achievements,
            consent,
            visible,
            conflicts,
        });
        Some(Made { trade: t.trade, applicant })
    }

    /// `n` of `items` (all when fewer), in their order.
    fn some_of(&mut self, items: &[&str], n: usize) -> Vec<String> {
        let mut chosen = index::sample(&mut self.rng, items.len(), n.min(items.len())).into_vec();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].to_string()).collect()
    }

    // ---- needs ----

    fn needs(&mut self, k: usize, b: &Block) {
        let (mut big, mut small) = (b.big.clone(), b.small.clone());
        big.shuffle(&mut self.rng);
        small.shuffle(&mut self.rng);
        let (nb, ns) = NEED_ENTERPRISES;
        let mut chosen: Vec<usize> = big[..nb].iter().chain(&small[..ns]).copied().collect();
        // Enterprises whose statuses are set in advance.
        let mut fixed: Vec<(usize, Vec<&'static str>)> = Vec::new();
        if k == 0 {
            let qiye = self.d.accounts.iter().find(|a| a.username == "qiye").and_then(|a| a.scope_org);
            if let Some(e) = qiye.and_then(|a| self.d.orgs[a].enterprise) {
                fixed.push((e, QIYE_STATUSES.to_vec()));
            }
            for town in ANCHOR_TOWNS {
                let t = town_index(town);
                let anchors: Vec<usize> = chosen
                    .iter()
                    .chain(&big[nb..])
                    .chain(&small[ns..])
                    .copied()
                    .filter(|&e| self.town_of(self.d.orgs[e].region) == t && fixed.iter().all(|f| f.0 != e))
                    .take(ANCHORS)
                    .collect();
                fixed.extend(anchors.into_iter().map(|e| (e, vec!["approved"])));
            }
            chosen.retain(|e| fixed.iter().all(|f| f.0 != *e));
        }
        // One need each, the rest to some of them again (three at most).
        let mut counts = vec![1; chosen.len()];
        let fixed_needs: usize = fixed.iter().map(|f| f.1.len()).sum();
        let mut extra = NEEDS_PER_BLOCK.saturating_sub(fixed_needs + chosen.len());
        while extra > 0 {
            let i = self.rng.random_range(0..chosen.len());
            if counts[i] < 3 {
                counts[i] += 1;
                extra -= 1;
            }
        }
        let mut uses = HashMap::new();
        for (e, statuses) in fixed {
            self.enterprise_needs(e, &statuses, b, &mut uses);
        }
        for (e, n) in chosen.into_iter().zip(counts) {
            let statuses: Vec<&str> = (0..n).map(|_| STATUSES[weighted(&mut self.rng, &STATUSES, |s| s.1)].0).collect();
            self.enterprise_needs(e, &statuses, b, &mut uses);
        }
    }

    /// One need per status, each from another template: those that fit the enterprise's name
    /// first, then the rest of its trade; among them those the block has used least (`uses`, by
    /// title), so that a block repeats itself as little as it can.
    fn enterprise_needs(
        &mut self,
        e: usize,
        statuses: &[&'static str],
        b: &Block,
        uses: &mut HashMap<&'static str, usize>,
    ) {
        let trade = &TRADES[b.trade[&e]];
        let name = self.d.orgs[e].name.clone();
        let (mut left, mut spare): (Vec<&NeedText>, Vec<&NeedText>) =
            NEEDS[b.trade[&e]].iter().partition(|n| n.fits.is_empty() || n.fits.iter().any(|f| name.contains(f)));
        // Funding and talent needs name the division the enterprise's own needs are filed under.
        let own_industry = left.first().map_or(trade.industry, |n| n.industry);
        left.extend(GENERIC_NEEDS);
        let who = *pick(
            &mut self.rng,
            if name.ends_with('厂') { &["我们厂", "厂里"] } else { &["我们公司", "公司", "我们"] },
        );
        for &status in statuses {
            if left.is_empty() {
                left = std::mem::take(&mut spare);
            }
            let kind = KINDS[weighted(&mut self.rng, &KINDS, |k| k.1)].0;
            let of_kind = |kind: NeedKind| (0..left.len()).filter(|&i| left[i].kind == kind).collect::<Vec<_>>();
            let mut pool = of_kind(kind);
            if pool.is_empty() {
                pool = of_kind(NeedKind::Technology);
            }
            if pool.is_empty() {
                pool = (0..left.len()).collect();
            }
            let used = |i: &usize| uses.get(left[*i].title).copied().unwrap_or(0);
            let least = pool.iter().map(used).min().unwrap_or(0);
            pool.retain(|i| used(i) == least);
            let text = left.remove(*pick(&mut self.rng, &pool));
            *uses.entry(text.title).or_default() += 1;
            let fill = |s: &str| {
                s.replace("{who}", who)
                    .replace("{trade}", trade.name)
                    .replace("{workers}", trade.workers)
                    .replace("{line}", trade.line)
            };
            let industry = if text.industry.is_empty() { own_industry } else { text.industry };
            let budget_wan = self.rng.random_bool(0.85).then(|| self.budget(text.budget));
            let deadline = self.date((2027, 2027));
            self.d.needs.push(DemoNeed {
                enterprise: e,
                title: fill(text.title),
                industry: industry.to_string(),
                kind: text.kind,
                background: fill(text.background),
                problem: fill(text.problem),
                goal: fill(text.goal),
                budget_wan,
                deadline,
                status,
            });
        }
    }

    /// A budget in the template's range, rounded as people round money.
    fn budget(&mut self, (low, high): (i64, i64)) -> i64 {
        let step = match high {
            200.. => 50,
            30.. => 5,
            _ => 1,
        };
        (self.rng.random_range(low..=high) / step * step).max(low)
    }

    // ---- patents ----

    fn patents(&mut self, first: usize, made: &[Made], b: &Block, numbers: &mut HashSet<String>) {
        // The experts' own patents, from the achievements they list.
        let mut theirs: Vec<(usize, usize)> = (first..self.d.experts.len())
            .flat_map(|x| (0..self.d.experts[x].achievements.len()).map(move |a| (x, a)))
            .filter(|&(x, a)| patent_tag(&self.d.experts[x].achievements[a]).is_some())
            .collect();
        theirs.shuffle(&mut self.rng);
        theirs.truncate(EXPERT_PATENTS);
        theirs.sort_unstable();
        for (x, a) in theirs {
            let ex = &self.d.experts[x];
            let (title, kind) = patent_tag(&ex.achievements[a]).expect("filtered above");
            let (title, name) = (title.to_string(), ex.name.clone());
            let org = ex.org.filter(|&o| self.d.orgs[o].kind == OrgKind::Enterprise);
            let mut inventors = self.inventors(0..=3);
            // The expert leads most of their patents.
            let at = if self.rng.random_bool(0.7) { 0 } else { inventors.len() };
            inventors.insert(at, name);
            let applicant = made[x - first].applicant.clone();
            let (number, granted_on) = self.grant(kind, numbers);
            self.d.patents.push(DemoPatent {
                number,
                title,
                kind,
                applicant,
                inventors,
                granted_on,
                expert: Some(x),
                org,
            });
        }
        for _ in 0..ENTERPRISE_PATENTS {
            let e = match self.rng.random_range(0..10) {
                0..5 if !b.platform.is_empty() => *pick(&mut self.rng, &b.platform),
                0..8 => *pick(&mut self.rng, &b.big),
                _ => *pick(&mut self.rng, &b.small),
            };
            let trade = b.trade[&e];
            let (title, kind) = if self.rng.random_bool(0.1) {
                let product = pick(&mut self.rng, TRADES[trade].products);
                (format!("{product}（{}）", pick(&mut self.rng, DESIGN_STYLES)), "design")
            } else {
                self.patent_title(trade)
            };
            let inventors = self.inventors(1..=4);
            let applicant = self.d.orgs[e].name.clone();
            let (number, granted_on) = self.grant(kind, numbers);
            self.d.patents.push(DemoPatent {
                number,
                title,
                kind,
                applicant,
                inventors,
                granted_on,
                expert: None,
                org: Some(e),
            });
        }
        // The district's universities, by staff who keep no expert profile.
        for _ in 0..UNIVERSITY_PATENTS {
            let u = *pick(&mut self.rng, &self.universities);
            let trade = self.rng.random_range(0..TRADES.len());
            let (title, kind) = self.patent_title(trade);
            let inventors = self.inventors(2..=5);
            let applicant = self.d.orgs[u].name.clone();
            let (number, granted_on) = self.grant(kind, numbers);
            self.d.patents.push(DemoPatent {
                number,
                title,
                kind,
                applicant,
                inventors,
                granted_on,
                expert: None,
                org: None,
            });
        }
    }

    /// A title of the trade's pool; methods are inventions, devices mostly utility models.
    fn patent_title(&mut self, trade: usize) -> (String, &'static str) {
        let modifier = *pick(&mut self.rng, PATENT_MODIFIERS);
        let title = pick(&mut self.rng, PATENT_TITLES[trade]).replace("{m}", modifier);
        let method = ["方法", "工艺", "制备"].iter().any(|w| title.contains(w));
        let kind = if method || self.rng.random_bool(0.2) { "invention" } else { "utility_model" };
        (title, kind)
    }

    fn inventors(&mut self, n: std::ops::RangeInclusive<usize>) -> Vec<String> {
        let n = self.rng.random_range(n);
        (0..n)
            .map(|_| {
                let male = self.rng.random_bool(0.65);
                self.name(male)
            })
            .collect()
    }

    /// When a patent of `kind` was granted, and its number (not among `numbers`): the year
    /// filed, the kind's digit, a serial and the check character.
    fn grant(&mut self, kind: &str, numbers: &mut HashSet<String>) -> (String, NaiveDate) {
        let granted_on = self.date((2016, 2025));
        // Inventions take two to three years to examine, utility models and designs about one.
        let lag = match kind {
            "invention" => self.rng.random_range(2..=3),
            _ => self.rng.random_range(0..=1),
        };
        let digit = match kind {
            "invention" => 1,
            "utility_model" => 2,
            _ => 3,
        };
        let number = loop {
            let body = format!("{}{digit}{:07}", granted_on.year() - lag, self.rng.random_range(0..3_000_000));
            let n = format!("ZL{body}.{}", patent_check(&body));
            if numbers.insert(n.clone()) {
                break n;
            }
        };
        (number, granted_on)
    }

    // ---- workstations ----

    /// Two to four experts of the host's trade in each workstation, or else cross-trade ones
    /// (automation, environment, finance, talent); employees of district enterprises and experts
    /// who declined matching are not invited.
    fn members(&mut self, workstations: &[usize], first: usize, made: &[Made]) {
        let outside: Vec<usize> = (first..first + made.len())
            .filter(|&x| {
                let ex = &self.d.experts[x];
                ex.consent && ex.org.is_none_or(|o| self.d.orgs[o].kind != OrgKind::Enterprise)
            })
            .collect();
        for &w in workstations {
            let trade = self.trade_of(w);
            let mut pool: Vec<usize> =
                outside.iter().copied().filter(|&x| made[x - first].trade == Some(trade)).collect();
            let mut others: Vec<usize> = outside.iter().copied().filter(|&x| made[x - first].trade.is_none()).collect();
            pool.shuffle(&mut self.rng);
            others.shuffle(&mut self.rng);
            let n = self.rng.random_range(2..=4);
            let since = self.d.orgs[w].established_on.expect("every org has a date");
            for x in pool.into_iter().chain(others).take(n) {
                let joined_on = self.date((since.year().max(2016), 2025)).max(since);
                let project = pick(&mut self.rng, TRADES[trade].projects).to_string();
                self.d.workstation_members.push(DemoWorkstationMember {
                    workstation: w,
                    expert: x,
                    joined_on,
                    project,
                });
            }
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// An achievement that is a patent: its title without the tag, and its kind.
fn patent_tag(achievement: &str) -> Option<(&str, &'static str)> {
    if let Some(t) = achievement.strip_suffix("（发明专利）") {
        Some((t, "invention"))
    } else {
        achievement.strip_suffix("（实用新型专利）").map(|t| (t, "utility_model"))
    }
}

/// The check character of a twelve-digit Chinese application number: the digits weighted
/// 2 to 9 cyclically, modulo 11; 10 is written X.
fn patent_check(body: &str) -> char {
    let sum: u32 =
        body.bytes().zip([2, 3, 4, 5, 6, 7, 8, 9].iter().cycle()).map(|(b, w)| u32::from(b - b'0') * w).sum();
    match sum % 11 {
        10 => 'X',
        d => char::from(b'0' + d as u8),
    }
}
