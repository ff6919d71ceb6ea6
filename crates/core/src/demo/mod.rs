//! The demo district: a realistic 通州区-like district generated deterministically.
//!
//! Scale 1 is the district as its association knows it: 20 towns and streets with ~310
//! communities and villages, the district association, 20 town "4+1" associations and most
//! community ones, 14 societies, 92 enterprises with their 92 associations (30 on the patent
//! platform), 300 small and medium enterprises without one (家纺 in 川姜, 机械, 电子, 建材,
//! 食品 …), schools, universities, workstations, science bases, 12 practice sites, volunteer
//! teams, 112 e-stations and 10,000 people: some 1,040 organisations. Scale N keeps the district
//! association, the towns and their associations, the societies and the universities (39
//! organisations), and repeats everything else N times ("blocks"): block 0 carries the
//! real-looking names, later blocks compose theirs from the communities they sit in. Every index
//! in the result points backwards or across vectors, never forward within one, so a loader can
//! insert in order.

#[rustfmt::skip]
mod data;
mod matchmaking;
#[rustfmt::skip]
mod matchmaking_data;
pub mod estation;
pub mod followups;
pub mod order;
pub mod outreach;
pub mod suggestion;
#[cfg(test)]
mod tests;
pub mod volunteer;

use self::data::*;
use crate::account::Role;
use crate::org::OrgKind;
use crate::person::{self, Gender};
use crate::region::RegionKind;
use chrono::{Datelike, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

pub use matchmaking::{DemoExpert, DemoNeed, DemoPatent, DemoWorkstationMember};

/// A region; `parent` indexes `DemoDistrict::regions`.
pub struct DemoRegion {
    pub parent: Option<usize>,
    pub code: String,
    pub name: String,
    pub kind: RegionKind,
}

/// An organisation; `parent` and `enterprise` index `DemoDistrict::orgs`, `region` the regions.
pub struct DemoOrg {
    pub parent: Option<usize>,
    pub region: usize,
    pub enterprise: Option<usize>,
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub patent_platform_on: Option<NaiveDate>,
    pub kczg_on: Option<NaiveDate>,
    pub green_platform_on: Option<NaiveDate>,
}

/// A person living in a town or community, usually belonging to an organisation.
pub struct DemoPerson {
    pub region: usize,
    pub org: Option<usize>,
    pub name: String,
    pub gender: Gender,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub email: Option<String>,
    pub title: Option<String>,
}

/// An officer of a grassroots association; `role` is a code of `grassroots::DEFAULT_OFFICER_ROLES`.
pub struct DemoOfficer {
    pub org: usize,
    pub person: usize,
    pub role: &'static str,
}

/// A login account, one per role; its password is the loader's business.
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    pub person: Option<usize>,
    pub scope_region: Option<usize>,
    pub scope_org: Option<usize>,
}

#[derive(Default)]
pub struct DemoDistrict {
    pub regions: Vec<DemoRegion>,
    pub orgs: Vec<DemoOrg>,
    pub people: Vec<DemoPerson>,
    pub officers: Vec<DemoOfficer>,
    pub accounts: Vec<DemoAccount>,
    pub experts: Vec<DemoExpert>,
    pub needs: Vec<DemoNeed>,
    pub patents: Vec<DemoPatent>,
    pub workstation_members: Vec<DemoWorkstationMember>,
}

/// Real counts of 通州区 at scale 1; each is multiplied by the scale.
const PEOPLE: usize = 10_000;
const ENTERPRISES: usize = 92;
/// Small and medium enterprises the association keeps on its books without an association of
/// their own; they bring a block to about 990 organisations, so scale 100 to about 100,000.
const SMALL_ENTERPRISES: usize = 300;
const PATENT_PLATFORM: usize = 30;
const KCZG: usize = 40;
const GREEN_PLATFORM: usize = 20;
const ESTATIONS: usize = 112;
const PRACTICE_SITES: usize = 12;
const WORKSTATIONS: usize = 15;
/// Share of communities and villages that have set up their own association.
const COMMUNITY_ASSOCIATIONS: f64 = 0.92;
/// The district association is always the first org; the district the first region.
const DA: usize = 0;
const DISTRICT: usize = 0;

/// Generates the demo district; the same `(scale, seed)` always gives the same district.
/// A scale of 0 is taken as 1.
pub fn generate(scale: u32, seed: u64) -> DemoDistrict {
    let blocks = scale.max(1) as usize;
    let mut g = Gen::new(seed);
    g.regions(blocks);
    g.district_orgs();
    for k in 0..blocks {
        g.block(k);
    }
    g.town_officers();
    g.accounts();
    g.matchmaking(blocks);
    g.fill_people(PEOPLE * blocks);
    g.d
}

struct Gen {
    rng: ChaCha8Rng,
    d: DemoDistrict,
    male_first: Vec<char>,
    male: Vec<char>,
    female_first: Vec<char>,
    female: Vec<char>,
    brand: Vec<char>,
    /// Issued numbers, so that phones, ID numbers and credit codes never repeat.
    phones: HashSet<u64>,
    ids: HashSet<u64>,
    credit_codes: HashSet<String>,
    company_names: HashSet<String>,
    /// Org code counters by kind.
    counters: [u32; OrgKind::ALL.len()],
    /// Communities and villages of each town (regions are towns 1..=20, then these ranges).
    comms: Vec<Range<usize>>,
    town_assoc: Vec<usize>,
    town_school: Vec<usize>,
    town_team: Vec<usize>,
    town_enterprise: Vec<Option<usize>>,
    secretaries: Vec<usize>,
    societies: Vec<usize>,
    universities: Vec<usize>,
    staff_contact: usize,
    // Organisations the bulk of people belong to.
    teams: Vec<usize>,
    enterprises: Vec<usize>,
    small_enterprises: Vec<usize>,
    associations: Vec<usize>,
    schools: Vec<usize>,
    expert_orgs: Vec<usize>,
    comm_assocs: Vec<usize>,
}

impl Gen {
    fn new(seed: u64) -> Self {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        Gen {
            rng: ChaCha8Rng::seed_from_u64(seed),
            d: DemoDistrict::default(),
            male_first: chars(&format!("{MALE_CHARS}{SHARED_CHARS}")),
            male: chars(MALE_CHARS),
            female_first: chars(&format!("{FEMALE_CHARS}{SHARED_CHARS}")),
            female: chars(FEMALE_CHARS),
            brand: chars(BRAND_CHARS),
            phones: HashSet::new(),
            ids: HashSet::new(),
            credit_codes: HashSet::new(),
            company_names: HashSet::new(),
            counters: [0; OrgKind::ALL.len()],
            comms: Vec::new(),
            town_assoc: Vec::new(),
            town_school: Vec::new(),
            town_team: Vec::new(),
            town_enterprise: vec![None; TOWNS.len()],
            secretaries: Vec::new(),
            societies: Vec::new(),
            universities: Vec::new(),
            staff_contact: 0,
            teams: Vec::new(),
            enterprises: Vec::new(),
            small_enterprises: Vec::new(),
            associations: Vec::new(),
            schools: Vec::new(),
            expert_orgs: Vec::new(),
            comm_assocs: Vec::new(),
        }
    }

    // ---- regions ----

    fn regions(&mut self, blocks: usize) {
        self.region(None, "320612".into(), "通州区".into(), RegionKind::District);
        for (t, town) in TOWNS.iter().enumerate() {
            let kind = if town.street { RegionKind::Street } else { RegionKind::Town };
            self.region(Some(DISTRICT), format!("320612{:03}", t + 1), town.name.into(), kind);
        }
        // Community codes extend the town code; widen them once a town outgrows 999.
        let most = TOWNS.iter().map(|t| t.communities).max().unwrap_or(1) * blocks;
        let width = most.to_string().len().max(3);
        for (t, town) in TOWNS.iter().enumerate() {
            let start = self.d.regions.len();
            let mut seen: HashMap<String, usize> = HashMap::new();
            for i in 0..town.communities * blocks {
                // Streets are mostly urban communities; a town has a couple around its centre.
                let j = i % town.communities;
                let urban = if town.street { j % 5 != 4 } else { j < 2 };
                let known = KNOWN_PLACES.iter().find(|(town, at, _)| (*town, *at) == (t, i));
                let stem = known.map_or_else(|| self.place_stem(), |k| k.2.to_string());
                let n = seen.entry(stem.clone()).or_default();
                *n += 1;
                // A repeated name gets an ordinal, as real splits do: 新华村, 新华二村.
                let ordinal = if *n == 1 { String::new() } else { cn_number(*n) };
                let (suffix, kind) =
                    if urban { ("社区", RegionKind::Community) } else { ("村", RegionKind::Village) };
                let code = format!("{}{:0width$}", self.d.regions[t + 1].code, i + 1);
                self.region(Some(t + 1), code, format!("{stem}{ordinal}{suffix}"), kind);
            }
            self.comms.push(start..self.d.regions.len());
        }
    }

    fn region(&mut self, parent: Option<usize>, code: String, name: String, kind: RegionKind) {
        self.d.regions.push(DemoRegion { parent, code, name, kind });
    }

    fn place_stem(&mut self) -> String {
        loop {
            let stem = if self.rng.random_bool(0.3) {
                pick(&mut self.rng, PLACE_NAMES).to_string()
            } else {
                format!("{}{}", pick(&mut self.rng, PLACE_FIRST), pick(&mut self.rng, PLACE_SECOND))
            };
            // 西亭社区 in 金沙街道 would read as a mistake.
            if !TOWNS.iter().any(|t| t.short == stem) {
                return stem;
            }
        }
    }

    /// The communities town `t` has in block `k`.
    fn block_comms(&self, t: usize, k: usize) -> Range<usize> {
        let per = TOWNS[t].communities;
        let start = self.comms[t].start + k * per;
        start..start + per
    }

    /// Index into `TOWNS` of a town-level or lower region.
    fn town_of(&self, region: usize) -> usize {
        match self.d.regions[region].kind {
            RegionKind::District => 0,
            RegionKind::Town | RegionKind::Street => region - 1,
            RegionKind::Community | RegionKind::Village => self.d.regions[region].parent.unwrap_or(1) - 1,
        }
    }

    fn any_community(&mut self) -> usize {
        self.rng.random_range(self.comms[0].start..self.d.regions.len())
    }

    /// Where someone working for an organisation in `region` lives: mostly in the same
    /// community, otherwise in the same town; anywhere for district-wide organisations.
    fn resident_of(&mut self, region: usize) -> usize {
        match self.d.regions[region].kind {
            RegionKind::District => self.any_community(),
            RegionKind::Community | RegionKind::Village if self.rng.random_bool(0.8) => region,
            _ => {
                let t = self.town_of(region);
                self.rng.random_range(self.comms[t].clone())
            }
        }
    }

    // ---- organisations ----

    /// The district association and its staff, the town associations, the societies and the
    /// universities: what does not grow with the scale.
    fn district_orgs(&mut self) {
        let da =
            self.org(OrgKind::DistrictAssociation, "南通市通州区科学技术协会".into(), DISTRICT, None, (1958, 1960));
        for title in DISTRICT_STAFF {
            // The association's office sits in 金沙街道, the district seat.
            let p = self.person(1, Some(da), Some(title), (1966, 1996), 0.55, true);
            if *title == "办公室主任" {
                self.staff_contact = p;
            }
        }
        // The office answers the landline.
        let contact = self.d.people[self.staff_contact].name.clone();
        let phone = self.landline();
        let o = &mut self.d.orgs[da];
        o.contact_name = Some(contact);
        o.contact_phone = Some(phone);

        for (t, town) in TOWNS.iter().enumerate() {
            let o = self.org(OrgKind::Grassroots, format!("{}科学技术协会", town.name), t + 1, Some(da), (1984, 2005));
            self.town_assoc.push(o);
        }
        for (name, year, _) in SOCIETIES {
            let o = self.org(OrgKind::Society, name.to_string(), DISTRICT, Some(da), (*year, *year));
            // 51: social organisations registered with the civil affairs bureau.
            self.d.orgs[o].credit_code = Some(self.credit_code("51320612", false));
            self.contact(o, "秘书长", 0.5);
            self.societies.push(o);
        }
        for (name, year) in UNIVERSITIES {
            let o = self.org(OrgKind::University, name.to_string(), DISTRICT, None, (*year, *year));
            // 12: public institutions; universities register with the city.
            self.d.orgs[o].credit_code = Some(self.credit_code("12320600", false));
            self.contact(o, "科技处处长", 0.6);
            self.universities.push(o);
            self.expert_orgs.push(o);
        }
    }

    /// One block: everything that the scale multiplies.
    fn block(&mut self, k: usize) {
        self.community_associations(k);
        let (enterprises, associations) = self.enterprises(k);
        self.platforms(&associations);
        self.workstations(&enterprises);
        self.small_enterprises(k);
        self.schools(k);
        self.science_bases(k);
        self.practice_sites(k);
        self.volunteer_teams(k);
        self.estations(k);
    }

    fn community_associations(&mut self, k: usize) {
        for (t, town) in TOWNS.iter().enumerate() {
            for c in self.block_comms(t, k) {
                if !self.rng.random_bool(COMMUNITY_ASSOCIATIONS) {
                    continue;
                }
                let name = format!("{}{}科学技术协会", town.name, self.d.regions[c].name);
                let o = self.org(OrgKind::Grassroots, name, c, Some(self.town_assoc[t]), (2006, 2023));
                // A village association is usually chaired by the head of the village committee.
                let head = match self.d.regions[c].kind {
                    RegionKind::Community => "社区居委会主任",
                    _ => "村委会主任",
                };
                let chair = self.contact(o, head, 0.7);
                let correspondent = self.person(c, Some(o), Some("科普信息员"), (1970, 2000), 0.45, true);
                self.officer(o, chair, "chair");
                self.officer(o, correspondent, "correspondent");
                self.comm_assocs.push(o);
            }
        }
    }

    /// Enterprises, each followed by its association; returns both lists of this block.
    fn enterprises(&mut self, k: usize) -> (Vec<usize>, Vec<usize>) {
        let (mut enterprises, mut associations) = (Vec::new(), Vec::new());
        for _ in 0..ENTERPRISES {
            let t = weighted(&mut self.rng, TOWNS, |t| t.enterprise_weight);
            let c = self.rng.random_range(self.block_comms(t, k));
            let name = self.company_name(&TOWNS[t]);
            let e = self.org(OrgKind::Enterprise, name.clone(), c, None, (1993, 2022));
            let founded = self.year_of(e);
            // Codes issued since 2015 carry an "MA" registration number; older ones the old
            // organisation code.
            self.d.orgs[e].credit_code = Some(self.credit_code("91320612", founded >= 2015));
            let boss = *pick(&mut self.rng, &["董事长", "总经理"]);
            self.contact(e, boss, 0.75);
            let a = self.org(
                OrgKind::EnterpriseAssociation,
                format!("{name}科协"),
                c,
                Some(DA),
                ((founded + 1).max(2008), 2024),
            );
            self.d.orgs[a].enterprise = Some(e);
            self.contact(a, "科协秘书长", 0.5);
            self.town_enterprise[t].get_or_insert(e);
            enterprises.push(e);
            associations.push(a);
        }
        self.enterprises.extend(&enterprises);
        self.associations.extend(&associations);
        (enterprises, associations)
    }

    /// The small and medium enterprises of a block: no association of their own, spread over
    /// the towns by their own weights (川姜 and its 家纺 firms the most).
    fn small_enterprises(&mut self, k: usize) {
        for _ in 0..SMALL_ENTERPRISES {
            let t = weighted(&mut self.rng, TOWNS, |t| t.sme_weight);
            let c = self.rng.random_range(self.block_comms(t, k));
            let (name, factory) = self.sme_name(&TOWNS[t]);
            // A 厂 is of the older generation; most companies are younger.
            let years = if factory { (1985, 2012) } else { (1998, 2024) };
            let e = self.org(OrgKind::Enterprise, name, c, None, years);
            let founded = self.year_of(e);
            self.d.orgs[e].credit_code = Some(self.credit_code("91320612", founded >= 2015));
            let heads = if factory { SME_FACTORY_HEADS } else { SME_COMPANY_HEADS };
            let head = *pick(&mut self.rng, heads);
            self.contact(e, head, 0.7);
            self.small_enterprises.push(e);
        }
    }

    /// Exact numbers of associations join each platform, each an independent choice.
    fn platforms(&mut self, associations: &[usize]) {
        type Field = fn(&mut DemoOrg) -> &mut Option<NaiveDate>;
        let platforms: [(usize, i32, Field); 3] = [
            (PATENT_PLATFORM, 2021, |o| &mut o.patent_platform_on),
            (KCZG, 2021, |o| &mut o.kczg_on),
            (GREEN_PLATFORM, 2022, |o| &mut o.green_platform_on),
        ];
        for (count, from, field) in platforms {
            let mut chosen = associations.to_vec();
            chosen.shuffle(&mut self.rng);
            for &a in &chosen[..count] {
                // Not before the association itself; every association predates 2025.
                let on =
                    self.date((from.max(self.year_of(a)), 2025)).max(self.d.orgs[a].established_on.unwrap_or_default());
                *field(&mut self.d.orgs[a]) = Some(on);
            }
        }
    }

    fn workstations(&mut self, enterprises: &[usize]) {
        let mut hosts = enterprises.to_vec();
        hosts.shuffle(&mut self.rng);
        for (i, &e) in hosts[..WORKSTATIONS].iter().enumerate() {
            let kind = if i % 3 == 2 { "企业研究生工作站" } else { "院士专家工作站" };
            let name = format!("{}{kind}", self.d.orgs[e].name);
            let since = self.year_of(e).clamp(2010, 2024);
            let w = self.org(OrgKind::ExpertWorkstation, name, self.d.orgs[e].region, Some(DA), (since, 2024));
            self.contact(w, "工作站负责人", 0.7);
            self.expert_orgs.push(w);
        }
    }

    /// Each town's 小学 and 初级中学 (whose head is one of the four heads), and in block 0
    /// the schools known across the district.
    fn schools(&mut self, k: usize) {
        for (t, town) in TOWNS.iter().enumerate() {
            for level in ["初级中学", "小学"] {
                let comms = self.block_comms(t, k);
                let (place, region) = if k == 0 {
                    (town.short.to_string(), comms.start)
                } else {
                    let c = self.rng.random_range(comms);
                    (format!("{}{}", town.short, stem(&self.d.regions[c].name)), c)
                };
                let s = self.school(format!("南通市通州区{place}{level}"), region);
                if k == 0 && level == "初级中学" {
                    self.town_school.push(s);
                }
            }
        }
        if k == 0 {
            for (name, t) in SCHOOLS {
                let region = self.block_comms(*t, 0).start;
                self.school(name.to_string(), region);
            }
        }
    }

    fn school(&mut self, name: String, region: usize) -> usize {
        let s = self.org(OrgKind::School, name, region, None, (1905, 2015));
        self.d.orgs[s].credit_code = Some(self.credit_code("12320612", false));
        self.contact(s, "科技辅导员", 0.4);
        self.schools.push(s);
        s
    }

    fn science_bases(&mut self, k: usize) {
        for (name, t) in SCIENCE_BASES {
            let (name, region) = if k == 0 {
                (name.to_string(), self.block_comms(*t, 0).start)
            } else {
                let t = self.rng.random_range(0..TOWNS.len());
                let c = self.rng.random_range(self.block_comms(t, k));
                let theme = pick(&mut self.rng, BASE_THEMES);
                (format!("{}{}{theme}科普教育基地", TOWNS[t].name, self.d.regions[c].name), c)
            };
            let o = self.org(OrgKind::ScienceBase, name, region, Some(DA), (2008, 2024));
            self.contact(o, "基地负责人", 0.6);
        }
    }

    /// Practice sites, each block's in as many different towns.
    fn practice_sites(&mut self, k: usize) {
        let mut towns: Vec<usize> = (0..TOWNS.len()).collect();
        towns.shuffle(&mut self.rng);
        for &t in &towns[..PRACTICE_SITES] {
            let c = self.rng.random_range(self.block_comms(t, k));
            let name = format!("{}{}新时代文明实践科普志愿者实践点", TOWNS[t].name, self.d.regions[c].name);
            let o = self.org(OrgKind::PracticeSite, name, c, Some(self.town_assoc[t]), (2019, 2024));
            self.contact(o, "实践点负责人", 0.5);
        }
    }

    /// A team per town and the district-wide teams run by societies; later blocks add
    /// village teams and further squads (分队).
    fn volunteer_teams(&mut self, k: usize) {
        for (t, town) in TOWNS.iter().enumerate() {
            let (name, region) = if k == 0 {
                (format!("{}科普志愿服务队", town.name), t + 1)
            } else {
                let c = self.rng.random_range(self.block_comms(t, k));
                (format!("{}{}科普志愿服务队", town.name, self.d.regions[c].name), c)
            };
            let o = self.org(OrgKind::VolunteerTeam, name, region, Some(self.town_assoc[t]), (2015, 2024));
            self.contact(o, "队长", 0.5);
            self.teams.push(o);
            if k == 0 {
                self.town_team.push(o);
            }
        }
        for (name, society) in THEMED_TEAMS {
            let name = if k == 0 { name.to_string() } else { format!("{name}第{}分队", cn_number(k + 1)) };
            let parent = society.map_or(DA, |s| self.societies[s]);
            let o = self.org(OrgKind::VolunteerTeam, name, DISTRICT, Some(parent), (2015, 2024));
            self.contact(o, "队长", 0.5);
            self.teams.push(o);
        }
    }

    /// E-stations spread over the towns in proportion to their communities, one per community
    /// at most.
    fn estations(&mut self, k: usize) {
        for (t, n) in estation_shares().into_iter().enumerate() {
            let mut comms: Vec<usize> = self.block_comms(t, k).collect();
            comms.shuffle(&mut self.rng);
            for &c in &comms[..n] {
                let name = format!("{}{}科普e站", TOWNS[t].name, self.d.regions[c].name);
                let o = self.org(OrgKind::Estation, name, c, Some(self.town_assoc[t]), (2019, 2025));
                self.contact(o, "科普e站管理员", 0.4);
            }
        }
    }

    fn org(&mut self, kind: OrgKind, name: String, region: usize, parent: Option<usize>, years: (i32, i32)) -> usize {
        let code = match kind {
            // One association per region, so the region code makes its code readable.
            OrgKind::Grassroots => format!("JC-{}", self.d.regions[region].code),
            _ => {
                let n = &mut self.counters[kind as usize];
                *n += 1;
                format!("{}-{:04}", code_prefix(kind), n)
            }
        };
        let address = Some(self.address(region));
        let established_on = Some(self.date(years));
        self.d.orgs.push(DemoOrg {
            parent,
            region,
            enterprise: None,
            code,
            name,
            kind,
            credit_code: None,
            address,
            contact_name: None,
            contact_phone: None,
            established_on,
            patent_platform_on: None,
            kczg_on: None,
            green_platform_on: None,
        });
        self.d.orgs.len() - 1
    }

    fn officer(&mut self, org: usize, person: usize, role: &'static str) {
        self.d.officers.push(DemoOfficer { org, person, role });
    }

    fn year_of(&self, org: usize) -> i32 {
        self.d.orgs[org].established_on.map_or(2015, |d| d.year())
    }

    /// A new person who is the organisation's contact.
    fn contact(&mut self, org: usize, title: &str, male: f64) -> usize {
        let region = match self.d.orgs[org].region {
            DISTRICT => self.any_community(),
            r => r,
        };
        let p = self.person(region, Some(org), Some(title), (1962, 1995), male, true);
        self.set_contact(org, p);
        p
    }

    fn set_contact(&mut self, org: usize, person: usize) {
        let p = &self.d.people[person];
        let o = &mut self.d.orgs[org];
        o.contact_name = Some(p.name.clone());
        o.contact_phone = p.phone.clone();
    }

    fn address(&mut self, region: usize) -> String {
        let road = pick(&mut self.rng, ROADS);
        let n = self.rng.random_range(1..=288);
        let r = &self.d.regions[region];
        match r.kind {
            RegionKind::District => format!("南通市通州区{road}{n}号"),
            RegionKind::Town | RegionKind::Street => format!("南通市通州区{}{road}{n}号", r.name),
            RegionKind::Community => format!("南通市通州区{}{road}{n}号", TOWNS[self.town_of(region)].name),
            // Rural addresses go by village group (组).
            RegionKind::Village => {
                format!("南通市通州区{}{}{}组", TOWNS[self.town_of(region)].name, r.name, n % 18 + 1)
            }
        }
    }

    fn company_name(&mut self, town: &Town) -> String {
        let mut tries = 0;
        loop {
            let sector = if self.rng.random_bool(0.6) {
                *pick(&mut self.rng, town.sectors)
            } else {
                self.rng.random_range(0..INDUSTRIES.len())
            };
            let industry = pick(&mut self.rng, INDUSTRIES[sector]);
            let a = *pick(&mut self.rng, &self.brand);
            let b = *pick(&mut self.rng, &self.brand);
            let (prefix, suffix) = (pick(&mut self.rng, COMPANY_PREFIXES), pick(&mut self.rng, COMPANY_SUFFIXES));
            let name = format!("{prefix}{a}{b}{industry}{suffix}");
            // Names may repeat only once the pool is exhausted at very large scales.
            tries += 1;
            if a != b && self.company_names.insert(name.clone()) || tries > 50 {
                return name;
            }
        }
    }

    /// A small enterprise's name, and whether it is a 厂 rather than a company: 南通市通州区川姜镇
    /// 恒达家纺厂, 南通瑞祥机械配件有限公司, 南通市通州区华泰电子科技有限公司.
    fn sme_name(&mut self, town: &Town) -> (String, bool) {
        let mut tries = 0;
        loop {
            let sector = if self.rng.random_bool(0.7) {
                *pick(&mut self.rng, town.sectors)
            } else {
                self.rng.random_range(0..SME_PRODUCTS.len())
            };
            let product = *pick(&mut self.rng, SME_PRODUCTS[sector]);
            let a = *pick(&mut self.rng, &self.brand);
            let b = *pick(&mut self.rng, &self.brand);
            // Nobody registers a 新材料厂; such firms are companies.
            let factory = !product.starts_with('新') && self.rng.random_bool(0.3);
            let name = if factory {
                // A 镇's factories carry its name; a 街道's only the district's.
                let place = if town.street { "" } else { town.name };
                format!("南通市通州区{place}{a}{b}{product}厂")
            } else {
                let prefix = *pick(&mut self.rng, &["南通", "南通", "南通", "南通市通州区"]);
                // 家纺科技, 电子科技, 五金科技; but no 绣品科技 or 酱菜科技.
                let tech = product.chars().count() == 2
                    && !product.ends_with(['品', '巾', '帘', '菜', '艺'])
                    && self.rng.random_bool(0.25);
                let tech = if tech { "科技" } else { "" };
                format!("{prefix}{a}{b}{product}{tech}有限公司")
            };
            // Names may repeat only once the pool is exhausted at very large scales.
            tries += 1;
            if a != b && self.company_names.insert(name.clone()) || tries > 50 {
                return (name, factory);
            }
        }
    }

    // ---- people ----

    fn person(
        &mut self,
        region: usize,
        org: Option<usize>,
        title: Option<&str>,
        years: (i32, i32),
        male: f64,
        full: bool,
    ) -> usize {
        let is_male = self.rng.random_bool(male);
        let name = self.name(is_male);
        let phone = (full || self.rng.random_bool(0.95)).then(|| self.mobile());
        let id_number = (full || self.rng.random_bool(0.9)).then(|| self.id_number(is_male, years));
        let email = self.rng.random_bool(if full { 0.6 } else { 0.3 }).then(|| {
            let tag = pick(&mut self.rng, &["tz", "nt", "kx", "tzkx", "js"]);
            format!("{tag}{}@{}", 10_000 + self.d.people.len(), pick(&mut self.rng, MAIL_DOMAINS))
        });
        self.d.people.push(DemoPerson {
            region,
            org,
            name,
            gender: if is_male { Gender::Male } else { Gender::Female },
            phone,
            id_number,
            email,
            title: title.map(str::to_string),
        });
        self.d.people.len() - 1
    }

    fn name(&mut self, male: bool) -> String {
        loop {
            let surname = SURNAMES[weighted(&mut self.rng, SURNAMES, |s| s.1)].0;
            let (first, second) =
                if male { (&self.male_first, &self.male) } else { (&self.female_first, &self.female) };
            let mut name = String::from(surname);
            // Most given names have two characters.
            if self.rng.random_bool(0.75) {
                name.push(*pick(&mut self.rng, first));
            }
            name.push(*pick(&mut self.rng, second));
            if !FAMOUS.contains(&name.as_str()) {
                return name;
            }
        }
    }

    fn mobile(&mut self) -> String {
        loop {
            let n = pick(&mut self.rng, MOBILE_PREFIXES) * 100_000_000 + self.rng.random_range(0..100_000_000);
            if self.phones.insert(n) {
                return n.to_string();
            }
        }
    }

    fn landline(&mut self) -> String {
        format!("0513-86{:06}", self.rng.random_range(0..1_000_000))
    }

    /// Place of issue, birth date, a sequence number whose parity is the sex (odd = male),
    /// and the check character.
    fn id_number(&mut self, male: bool, years: (i32, i32)) -> String {
        loop {
            let place = weighted(&mut self.rng, ID_PREFIXES, |p| p.1);
            let born = self.date(years);
            let seq = self.rng.random_range(0..500u64) * 2 + u64::from(male);
            let key = (place as u64) << 40 | (born.num_days_from_ce() as u64) << 12 | seq;
            if self.ids.insert(key) {
                let first =
                    format!("{}{:04}{:02}{:02}{seq:03}", ID_PREFIXES[place].0, born.year(), born.month(), born.day());
                let check = person::id_check_char(&first);
                return format!("{first}{check}");
            }
        }
    }

    /// An 18-character unified social credit code: `prefix` is the registration authority type
    /// and region (8 characters), then the registration number and the check character.
    fn credit_code(&mut self, prefix: &str, new_style: bool) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
        loop {
            let mut s = String::from(prefix);
            if new_style {
                s.push_str("MA");
            }
            while s.len() < 16 {
                let max = if new_style { ALPHABET.len() } else { 10 };
                s.push(ALPHABET[self.rng.random_range(0..max)] as char);
            }
            s.push(*pick(&mut self.rng, ALPHABET) as char);
            s.push(person::credit_check_char(&s));
            if self.credit_codes.insert(s.clone()) {
                return s;
            }
        }
    }

    fn date(&mut self, years: (i32, i32)) -> NaiveDate {
        let y = self.rng.random_range(years.0..=years.1);
        let (m, d) = (self.rng.random_range(1..=12), self.rng.random_range(1..=28));
        NaiveDate::from_ymd_opt(y, m, d).expect("day 1-28 exists in every month")
    }

    /// The "4+1" officers of every town association, each a distinct person of the town.
    fn town_officers(&mut self) {
        for (t, town) in TOWNS.iter().enumerate() {
            let o = self.town_assoc[t];
            let roles: [(&'static str, &str, Option<usize>); 11] = [
                ("chair", if town.street { "街道办事处副主任" } else { "副镇长" }, Some(o)),
                ("vice_chair", "科技服务中心主任", Some(o)),
                ("secretary_general", "科协秘书长", Some(o)),
                ("school_head", "校长", Some(self.town_school[t])),
                ("health_centre_head", if town.street { "社区卫生服务中心主任" } else { "卫生院院长" }, None),
                ("agri_station_head", if town.street { "农业服务中心主任" } else { "农技站站长" }, None),
                ("culture_station_head", "文化站站长", None),
                ("enterprise_head", "董事长", self.town_enterprise[t]),
                ("member", "高级农艺师", Some(o)),
                ("member", "主治医师", Some(o)),
                ("correspondent", "科普信息员", Some(o)),
            ];
            for (role, title, org) in roles {
                let p = self.person(t + 1, org, Some(title), (1963, 1992), 0.6, true);
                self.officer(o, p, role);
                if role == "secretary_general" {
                    self.secretaries.push(p);
                    self.set_contact(o, p);
                }
            }
        }
    }

    /// One account per role; the people behind the expert, volunteer and citizen accounts
    /// are made for them, the others are officers or contacts already there.
    fn accounts(&mut self) {
        let (jinsha, xiting) = (town_index("金沙街道"), town_index("西亭镇"));
        let home = self.rng.random_range(self.comms[jinsha].clone());
        let expert = self.person(home, Some(self.universities[0]), Some("教授"), (1965, 1985), 0.6, true);
        let volunteer = self.person(home, Some(self.town_team[jinsha]), Some("科普志愿者"), (1980, 2002), 0.4, true);
        let citizen = self.person(home, None, None, (1975, 2000), 0.5, true);
        let nongxue = self.societies[0];
        let qiye = self.associations.iter().copied().find(|&a| self.d.orgs[a].patent_platform_on.is_some());
        let first_of = |org: Option<usize>| self.d.people.iter().position(|p| p.org.is_some() && p.org == org);
        let accounts = [
            ("admin", Role::SystemAdmin, None, None, None),
            ("staff", Role::DistrictStaff, Some(self.staff_contact), None, None),
            ("jinsha", Role::TownOfficer, Some(self.secretaries[jinsha]), Some(jinsha + 1), None),
            ("xiting", Role::TownOfficer, Some(self.secretaries[xiting]), Some(xiting + 1), None),
            ("nongxue", Role::OrgAdmin, first_of(Some(nongxue)), None, Some(nongxue)),
            ("expert", Role::Expert, Some(expert), None, None),
            ("qiye", Role::EnterpriseUser, first_of(qiye), None, qiye),
            ("volunteer", Role::Volunteer, Some(volunteer), None, None),
            ("citizen", Role::Citizen, Some(citizen), None, None),
        ];
        self.d.accounts = accounts
            .into_iter()
            .map(|(username, role, person, scope_region, scope_org)| DemoAccount {
                username: username.into(),
                role,
                person,
                scope_region,
                scope_org,
            })
            .collect();
    }

    /// The bulk of people: volunteers, society members, enterprise staff, teachers, experts,
    /// village association members and citizens, until there are `target` people.
    fn fill_people(&mut self, target: usize) {
        self.d.people.reserve(target.saturating_sub(self.d.people.len()));
        while self.d.people.len() < target {
            let (org, titles, years, male) = match self.rng.random_range(0..100) {
                0..35 => (Some(*pick(&mut self.rng, &self.teams)), VOLUNTEER_TITLES, (1955, 2004), 0.45),
                35..47 => {
                    let s = self.rng.random_range(0..SOCIETIES.len());
                    (Some(self.societies[s]), SOCIETIES[s].2, (1955, 1998), 0.55)
                }
                47..58 => (Some(*pick(&mut self.rng, &self.enterprises)), ENTERPRISE_TITLES, (1965, 2002), 0.65),
                58..62 => (Some(*pick(&mut self.rng, &self.small_enterprises)), SME_TITLES, (1965, 2002), 0.6),
                62..72 => {
                    let s = *pick(&mut self.rng, &self.schools);
                    let primary = self.d.orgs[s].name.ends_with("小学");
                    let titles = if primary { PRIMARY_TEACHER_TITLES } else { SECONDARY_TEACHER_TITLES };
                    (Some(s), titles, (1965, 2001), 0.35)
                }
                72..77 => (Some(*pick(&mut self.rng, &self.expert_orgs)), EXPERT_TITLES, (1958, 1994), 0.65),
                77..85 => (Some(*pick(&mut self.rng, &self.comm_assocs)), MEMBER_TITLES, (1955, 2000), 0.6),
                _ => (None, CITIZEN_TITLES, (1950, 2004), 0.5),
            };
            // Most citizens leave their occupation blank.
            let title = (org.is_some() || self.rng.random_bool(0.4)).then(|| *pick(&mut self.rng, titles));
            let years = match title {
                Some(t) if t.starts_with("退休") => (1950, 1962),
                Some("学生" | "大学生志愿者") => (1999, 2004),
                _ => years,
            };
            let region = match org {
                Some(o) => self.resident_of(self.d.orgs[o].region),
                None => self.any_community(),
            };
            self.person(region, org, title, years, male, false);
        }
    }
}

fn code_prefix(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::DistrictAssociation => "KX",
        OrgKind::Grassroots => "JC",
        OrgKind::Society => "XH",
        OrgKind::EnterpriseAssociation => "QYKX",
        OrgKind::Enterprise => "QY",
        OrgKind::School => "XX",
        OrgKind::University => "GX",
        OrgKind::ExpertWorkstation => "GZZ",
        OrgKind::ScienceBase => "JD",
        OrgKind::PracticeSite => "SJD",
        OrgKind::VolunteerTeam => "ZYD",
        OrgKind::Estation => "EZ",
    }
}

/// E-stations per town in one block: proportional to communities, remainders to the largest
/// fractions, so that the total is exactly `ESTATIONS`.
fn estation_shares() -> Vec<usize> {
    let total: usize = TOWNS.iter().map(|t| t.communities).sum();
    let mut shares: Vec<usize> = TOWNS.iter().map(|t| ESTATIONS * t.communities / total).collect();
    let rest = ESTATIONS - shares.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..TOWNS.len()).collect();
    order.sort_by_key(|&t| std::cmp::Reverse(ESTATIONS * TOWNS[t].communities % total));
    for &t in &order[..rest] {
        shares[t] += 1;
    }
    shares
}

fn town_index(name: &str) -> usize {
    TOWNS.iter().position(|t| t.name == name).expect("a town of the table")
}

/// A community's name without 社区/村, to name schools after it.
fn stem(name: &str) -> &str {
    name.strip_suffix("社区").or_else(|| name.strip_suffix('村')).unwrap_or(name)
}

/// Chinese numerals for ordinals in names (二, 十一, 二十三); Arabic beyond 99.
fn cn_number(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n == 10 { "" } else { D[n % 10] }),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    items.choose(rng).expect("tables are not empty")
}

fn weighted<T>(rng: &mut ChaCha8Rng, items: &[T], weight: impl Fn(&T) -> u32) -> usize {
    let total: u32 = items.iter().map(&weight).sum();
    let mut x = rng.random_range(0..total);
    for (i, item) in items.iter().enumerate() {
        let w = weight(item);
        if x < w {
            return i;
        }
        x -= w;
    }
    items.len() - 1
}
