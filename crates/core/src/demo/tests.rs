use super::*;
use crate::account::{ScopeKind, normalise_username};
use crate::grassroots::{DEFAULT_OFFICER_ROLES, FOUR_HEADS};
use crate::validate::{self, Invalid};
use std::hash::{DefaultHasher, Hash, Hasher};

fn count(d: &DemoDistrict, kind: OrgKind) -> usize {
    d.orgs.iter().filter(|o| o.kind == kind).count()
}

/// Every rule the validators and the loader rely on.
fn check(d: &DemoDistrict) {
    let district = &d.regions[0];
    assert_eq!((district.code.as_str(), district.kind, district.parent), ("320612", RegionKind::District, None));
    let mut region_codes = HashSet::new();
    let mut sibling_names = HashSet::new();
    for (i, r) in d.regions.iter().enumerate().skip(1) {
        let p = r.parent.expect("only the district has no parent");
        assert!(p < i, "region {} after its parent", r.code);
        assert_eq!(d.regions[p].kind.level() + 1, r.kind.level(), "{}", r.code);
        assert!(r.code.starts_with(&d.regions[p].code) && r.code.bytes().all(|b| b.is_ascii_digit()));
        assert!(region_codes.insert(r.code.as_str()), "duplicate region code {}", r.code);
        assert!(sibling_names.insert((p, r.name.as_str())), "duplicate name {} in one town", r.name);
        // The store's column widths.
        assert!(r.code.len() <= 32 && r.name.chars().count() <= 50, "{}", r.name);
        match r.kind {
            RegionKind::Community => assert!(r.name.ends_with("社区"), "{}", r.name),
            RegionKind::Village => assert!(r.name.ends_with('村'), "{}", r.name),
            _ => {}
        }
    }

    let mut org_codes = HashSet::new();
    let mut credit_codes = HashSet::new();
    let mut enterprise_names = HashSet::new();
    for (i, o) in d.orgs.iter().enumerate() {
        let mut e = Invalid::default();
        assert_eq!(validate::code(&mut e, "code", &o.code), o.code);
        assert!(e.is_empty(), "bad code {}", o.code);
        assert!(org_codes.insert(o.code.as_str()), "duplicate org code {}", o.code);
        assert!(o.region < d.regions.len());
        assert!(!o.name.is_empty() && o.name.chars().count() <= crate::org::NAME_MAX, "{}", o.name);
        assert!(o.address.as_ref().is_none_or(|a| a.chars().count() <= 200));
        if let Some(p) = o.parent {
            assert!(p < i, "org {} before its parent", o.code);
        }
        match o.enterprise {
            Some(e) => {
                assert_eq!(o.kind, OrgKind::EnterpriseAssociation);
                assert!(e < i && d.orgs[e].kind == OrgKind::Enterprise);
                assert_eq!(d.orgs[e].region, o.region);
            }
            None => assert_ne!(o.kind, OrgKind::EnterpriseAssociation),
        }
        let platforms = [o.patent_platform_on, o.kczg_on, o.green_platform_on];
        if !o.kind.has_platforms() {
            assert!(platforms.iter().all(Option::is_none), "{}", o.name);
        }
        for on in platforms.into_iter().flatten() {
            assert!((2021..=2025).contains(&on.year()) && Some(on) >= o.established_on);
        }
        if o.kind == OrgKind::Enterprise {
            assert!(enterprise_names.insert(o.name.as_str()), "duplicate enterprise {}", o.name);
            let c = o.credit_code.as_deref().expect("enterprises are registered");
            assert!(c.starts_with("91320612"), "{c}");
            assert!(o.contact_name.is_some() && o.address.is_some(), "{}", o.name);
        }
        if let Some(c) = &o.credit_code {
            assert!(person::valid_credit_code(c), "bad credit code {c}");
            assert!(credit_codes.insert(c.as_str()), "duplicate credit code {c}");
        }
        assert!(o.contact_phone.as_deref().is_none_or(person::valid_phone));
        assert!(o.contact_name.as_ref().is_none_or(|n| n.chars().count() <= 50));
        assert_eq!(o.contact_name.is_some(), o.contact_phone.is_some(), "{}", o.name);
        // Every chain of parents ends at the district association, except for the kinds that
        // stand outside the association's tree.
        let mut root = i;
        while let Some(p) = d.orgs[root].parent {
            root = p;
        }
        let free = matches!(o.kind, OrgKind::Enterprise | OrgKind::School | OrgKind::University);
        assert!(root == DA || free && o.parent.is_none(), "{} hangs loose", o.name);
    }
    assert_eq!(count(d, OrgKind::DistrictAssociation), 1);
    assert_eq!((d.orgs[DA].kind, d.orgs[DA].parent), (OrgKind::DistrictAssociation, None));

    let mut phones = HashSet::new();
    let mut ids = HashSet::new();
    for p in &d.people {
        assert!(d.regions[p.region].kind.level() >= 1, "{} lives in no town", p.name);
        assert!(p.org.is_none_or(|o| o < d.orgs.len()));
        assert!((2..=3).contains(&p.name.chars().count()), "{}", p.name);
        if let Some(phone) = &p.phone {
            assert!(person::valid_phone(phone) && phones.insert(phone.as_str()), "{phone}");
        }
        if let Some(id) = &p.id_number {
            assert!(person::valid_id_number(id) && ids.insert(id.as_str()), "{id}");
            let male = (id.as_bytes()[16] - b'0') % 2 == 1;
            assert_eq!(male, p.gender == Gender::Male, "{id}");
            assert!((1950..=2004).contains(&id[6..10].parse::<i32>().unwrap()), "{id}");
        }
        assert!(p.email.as_ref().is_none_or(|m| m.contains('@') && m.len() <= 100));
        assert!(p.title.as_ref().is_none_or(|t| t.chars().count() <= 100));
    }

    for o in &d.officers {
        assert!(DEFAULT_OFFICER_ROLES.iter().any(|(code, _, _)| *code == o.role), "{}", o.role);
        assert_eq!(d.orgs[o.org].kind, OrgKind::Grassroots);
        assert!(o.person < d.people.len());
    }

    let names: Vec<&str> = d.accounts.iter().map(|a| a.username.as_str()).collect();
    assert_eq!(names, ["admin", "staff", "jinsha", "xiting", "nongxue", "expert", "qiye", "volunteer", "citizen"]);
    for a in &d.accounts {
        assert_eq!(normalise_username(&a.username).as_deref(), Some(a.username.as_str()));
        assert!(a.person.is_none_or(|p| p < d.people.len()));
        assert_eq!(a.scope_region.is_some(), a.role.scope_kind() == ScopeKind::Region, "{}", a.username);
        assert_eq!(a.scope_org.is_some(), a.role.scope_kind() == ScopeKind::Org, "{}", a.username);
    }
    let roles: HashSet<Role> = d.accounts.iter().map(|a| a.role).collect();
    assert_eq!(roles.len(), Role::ALL.len());
}

fn fingerprint(d: &DemoDistrict) -> u64 {
    let mut h = DefaultHasher::new();
    for r in &d.regions {
        format!("{:?}{}{}{:?}", r.parent, r.code, r.name, r.kind).hash(&mut h);
    }
    for o in &d.orgs {
        let dates = (o.established_on, o.patent_platform_on, o.kczg_on, o.green_platform_on);
        let people = (&o.contact_name, &o.contact_phone, &o.address, &o.credit_code);
        format!("{:?}{}{:?}{}{}{:?}{people:?}{dates:?}", o.parent, o.region, o.enterprise, o.code, o.name, o.kind)
            .hash(&mut h);
    }
    for p in &d.people {
        let fields = (p.region, p.org, &p.name, p.gender, &p.phone, &p.id_number, &p.email, &p.title);
        format!("{fields:?}").hash(&mut h);
    }
    for o in &d.officers {
        (o.org, o.person, o.role).hash(&mut h);
    }
    for a in &d.accounts {
        (&a.username, a.role, a.person, a.scope_region, a.scope_org).hash(&mut h);
    }
    h.finish()
}

fn summary(d: &DemoDistrict) -> String {
    let kinds: Vec<String> = OrgKind::ALL.iter().map(|&k| format!("{} {}", k.label_zh(), count(d, k))).collect();
    format!(
        "regions {} (towns {}), orgs {} [{}], people {}, officers {}",
        d.regions.len(),
        d.regions.iter().filter(|r| r.kind.is_town_level()).count(),
        d.orgs.len(),
        kinds.join(", "),
        d.people.len(),
        d.officers.len()
    )
}

#[test]
fn scale_one_is_the_district() {
    let d = generate(1, 1);
    check(&d);
    eprintln!("{}", summary(&d));

    let towns: Vec<usize> = (0..d.regions.len()).filter(|&i| d.regions[i].kind.is_town_level()).collect();
    assert_eq!(towns.len(), 20);
    for &t in &towns {
        let n = d.regions.iter().filter(|r| r.parent == Some(t)).count();
        assert!((8..=20).contains(&n), "{} has {n} communities", d.regions[t].name);
    }
    assert!(d.regions.iter().any(|r| r.name == "三官殿社区" && r.parent == Some(1)));
    assert_eq!(d.orgs[DA].name, "南通市通州区科学技术协会");
    assert_eq!(count(&d, OrgKind::Society), 14);
    assert_eq!(count(&d, OrgKind::Enterprise), 92 + 300);
    assert_eq!(count(&d, OrgKind::EnterpriseAssociation), 92);
    assert_eq!(count(&d, OrgKind::University), 4);
    assert_eq!(count(&d, OrgKind::Estation), 112);
    assert_eq!(count(&d, OrgKind::PracticeSite), 12);
    let platform = |f: fn(&DemoOrg) -> Option<NaiveDate>| d.orgs.iter().filter(|o| f(o).is_some()).count();
    assert_eq!(platform(|o| o.patent_platform_on), 30);
    assert_eq!(platform(|o| o.kczg_on), 40);
    assert_eq!(platform(|o| o.green_platform_on), 20);
    assert!((1000..=1080).contains(&d.orgs.len()), "{}", d.orgs.len());
    assert_eq!(d.people.len(), 10_000);

    // Practice sites sit in 12 different towns; e-stations in communities of every town,
    // under that town's association.
    let town_of = |r: usize| {
        if d.regions[r].kind.is_town_level() { r } else { d.regions[r].parent.unwrap() }
    };
    let sites: HashSet<usize> =
        d.orgs.iter().filter(|o| o.kind == OrgKind::PracticeSite).map(|o| town_of(o.region)).collect();
    assert_eq!(sites.len(), 12);
    let mut station_towns = HashSet::new();
    for o in d.orgs.iter().filter(|o| o.kind == OrgKind::Estation) {
        assert!(o.name.ends_with("科普e站") && d.regions[o.region].kind.level() == 2);
        let parent = &d.orgs[o.parent.unwrap()];
        assert_eq!((parent.kind, parent.region), (OrgKind::Grassroots, town_of(o.region)));
        station_towns.insert(town_of(o.region));
    }
    assert_eq!(station_towns.len(), 20);

    // 92 enterprises have their association; the 300 small ones have none, sit in every town,
    // give their town in their address, and 川姜 has the most of them, mostly in 家纺.
    let with_association: HashSet<usize> = d.orgs.iter().filter_map(|o| o.enterprise).collect();
    assert_eq!(with_association.len(), 92);
    let small: Vec<usize> = (0..d.orgs.len())
        .filter(|&i| d.orgs[i].kind == OrgKind::Enterprise && !with_association.contains(&i))
        .collect();
    assert_eq!(small.len(), 300);
    let mut per_town = vec![0; 20];
    let mut textiles = vec![0; 20];
    for &e in &small {
        let o = &d.orgs[e];
        let t = town_of(o.region);
        let town = &d.regions[t].name;
        assert!(
            o.address.as_ref().unwrap().starts_with(&format!("南通市通州区{town}")),
            "{} in {town}: {:?}",
            o.name,
            o.address
        );
        assert!(o.name.ends_with("有限公司") || o.name.ends_with('厂'), "{}", o.name);
        per_town[t - 1] += 1;
        if ["家纺", "纺织", "织造", "床上用品", "绣品", "布艺", "毛巾", "窗帘"].iter().any(|w| o.name.contains(w))
        {
            textiles[t - 1] += 1;
        }
    }
    let chuanjiang = town_index("川姜镇");
    assert!(per_town.iter().all(|&n| n > 0), "{per_town:?}");
    assert_eq!(per_town.iter().max(), Some(&per_town[chuanjiang]));
    assert!(2 * textiles[chuanjiang] > per_town[chuanjiang], "{textiles:?}");
    assert_eq!(textiles.iter().max(), Some(&textiles[chuanjiang]));

    for o in d.orgs.iter().filter(|o| o.kind == OrgKind::EnterpriseAssociation) {
        assert_eq!(o.name, format!("{}科协", d.orgs[o.enterprise.unwrap()].name));
        assert!(d.orgs[o.enterprise.unwrap()].credit_code.as_ref().unwrap().starts_with("913206"));
        assert!(o.contact_name.is_some());
    }
    assert!(d.orgs.iter().filter(|o| o.kind == OrgKind::Society).all(|o| o.contact_name.is_some()));

    // Every town association has its "4+1" officers, distinct people of that town.
    for (i, o) in d.orgs.iter().enumerate().filter(|(_, o)| o.kind == OrgKind::Grassroots && o.parent == Some(DA)) {
        let officers: Vec<&DemoOfficer> = d.officers.iter().filter(|x| x.org == i).collect();
        let roles: Vec<&str> = officers.iter().map(|x| x.role).collect();
        assert!(crate::grassroots::missing_heads(roles.iter().copied()).is_empty(), "{}", o.name);
        for role in ["chair", "vice_chair", "secretary_general", "enterprise_head"].iter().chain(&FOUR_HEADS) {
            assert!(roles.contains(role), "{} lacks {role}", o.name);
        }
        assert!(roles.iter().filter(|r| **r == "member").count() >= 2);
        let people: HashSet<usize> = officers.iter().map(|x| x.person).collect();
        assert_eq!(people.len(), officers.len());
        assert!(people.iter().all(|&p| town_of(d.people[p].region) == o.region));
    }

    let account = |name: &str| d.accounts.iter().find(|a| a.username == name).unwrap();
    assert_eq!(d.regions[account("jinsha").scope_region.unwrap()].name, "金沙街道");
    assert_eq!(d.regions[account("xiting").scope_region.unwrap()].name, "西亭镇");
    assert_eq!(d.orgs[account("nongxue").scope_org.unwrap()].name, "通州区农学会");
    assert_eq!(d.orgs[account("qiye").scope_org.unwrap()].kind, OrgKind::EnterpriseAssociation);
    assert!(account("admin").person.is_none());
    let org_of = |name: &str| d.people[account(name).person.unwrap()].org.map(|o| d.orgs[o].kind);
    assert_eq!(org_of("volunteer"), Some(OrgKind::VolunteerTeam));
    assert_eq!(org_of("expert"), Some(OrgKind::University));
    assert_eq!(org_of("qiye"), Some(OrgKind::EnterpriseAssociation));
    assert_eq!(org_of("staff"), Some(OrgKind::DistrictAssociation));
    assert_eq!(org_of("citizen"), None);
}

#[test]
fn same_seed_same_district() {
    assert_eq!(fingerprint(&generate(1, 7)), fingerprint(&generate(1, 7)));
    assert_ne!(fingerprint(&generate(1, 7)), fingerprint(&generate(1, 8)));
    assert_eq!(fingerprint(&generate(0, 7)), fingerprint(&generate(1, 7)));
}

#[test]
fn scale_three_grows_linearly() {
    let one = generate(1, 3);
    let three = generate(3, 3);
    check(&three);
    assert_eq!(three.people.len(), 3 * one.people.len());
    for (kind, n) in [
        (OrgKind::DistrictAssociation, 1),
        (OrgKind::Society, 14),
        (OrgKind::University, 4),
        (OrgKind::Enterprise, 3 * (92 + 300)),
        (OrgKind::EnterpriseAssociation, 3 * 92),
        (OrgKind::Estation, 3 * 112),
        (OrgKind::PracticeSite, 3 * 12),
    ] {
        assert_eq!(count(&three, kind), n, "{kind:?}");
    }
    assert_eq!(three.orgs.iter().filter(|o| o.patent_platform_on.is_some()).count(), 90);
    let ratio = three.orgs.len() as f64 / one.orgs.len() as f64;
    assert!((2.8..=3.1).contains(&ratio), "orgs grew by {ratio}");
    let ratio = three.regions.len() as f64 / one.regions.len() as f64;
    assert!((2.8..=3.1).contains(&ratio), "regions grew by {ratio}");
}

#[test]
fn ordinals() {
    let names: Vec<String> = [1, 2, 10, 11, 20, 23, 99, 100].map(cn_number).into();
    assert_eq!(names, ["一", "二", "十", "十一", "二十", "二十三", "九十九", "100"]);
    assert_eq!(stem("三官殿社区"), "三官殿");
    assert_eq!(stem("新华二村"), "新华二");
    assert_eq!(estation_shares().iter().sum::<usize>(), ESTATIONS);
}

/// `cargo test --release -p kexie-core demo -- --ignored --nocapture`
#[test]
#[ignore = "a few seconds in release mode; for benchmarks"]
fn scale_hundred_for_benchmarks() {
    let start = std::time::Instant::now();
    let d = generate(100, 1);
    let took = start.elapsed();
    eprintln!("generate(100, 1) took {took:?}: {}", summary(&d));
    check(&d);
    assert_eq!(d.people.len(), 1_000_000);
    // The district association, towns, societies and universities do not grow; the rest
    // makes about 1,000 organisations a block.
    assert!((95_000..105_000).contains(&d.orgs.len()), "{}", d.orgs.len());
    assert_eq!(count(&d, OrgKind::Enterprise), 100 * (92 + 300));
    assert_eq!(count(&d, OrgKind::EnterpriseAssociation), 100 * 92);
}

// ---- 产学研精准对接 ----

use crate::matchmaking::NeedKind;

fn need_of(d: &DemoDistrict, i: usize) -> crate::matchmaking::Need {
    let n = &d.needs[i];
    crate::matchmaking::Need {
        id: format!("N{i}"),
        enterprise: d.orgs[n.enterprise].name.clone(),
        industry: n.industry.clone(),
        kind: n.kind,
        title: n.title.clone(),
        body: [n.background.as_str(), n.problem.as_str(), n.goal.as_str()].join("\n"),
    }
}

fn expert_of(d: &DemoDistrict, i: usize) -> crate::matchmaking::Expert {
    let x = &d.experts[i];
    crate::matchmaking::Expert {
        id: format!("E{i}"),
        name: x.name.clone(),
        title: x.title.clone(),
        institution: x.institution.clone(),
        fields: x.fields.clone(),
        keywords: x.keywords.clone(),
        bio: x.bio.clone(),
        achievements: x.achievements.clone(),
    }
}

fn matchmaking_fingerprint(d: &DemoDistrict) -> u64 {
    let mut h = DefaultHasher::new();
    for x in &d.experts {
        let profile = (&x.name, &x.title, &x.institution, &x.fields, &x.keywords, &x.bio, &x.achievements);
        (x.person, x.org, profile, x.consent, x.visible, &x.conflicts).hash(&mut h);
    }
    for n in &d.needs {
        let texts = (&n.title, &n.industry, &n.background, &n.problem, &n.goal);
        (n.enterprise, texts, n.kind, n.budget_wan, n.deadline, n.status).hash(&mut h);
    }
    for p in &d.patents {
        (&p.number, &p.title, p.kind, &p.applicant, &p.inventors, p.granted_on, p.expert, p.org).hash(&mut h);
    }
    for m in &d.workstation_members {
        (m.workstation, m.expert, m.joined_on, &m.project).hash(&mut h);
    }
    h.finish()
}

/// Every rule of the matchmaking content a loader or the ranking relies on.
fn check_matchmaking(d: &DemoDistrict) {
    use crate::matchmaking::lexicon;
    use crate::matchmaking::patent::{PatentKind, normalize_number};
    let chars = |s: &str| s.chars().count();
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();

    for (i, x) in d.experts.iter().enumerate() {
        assert!(expert_of(d, i).validate().is_ok(), "expert {i}");
        assert!(!x.title.is_empty() && !x.institution.is_empty(), "expert {i}");
        assert!((2..=3).contains(&x.fields.len()), "{}: {:?}", x.name, x.fields);
        assert!((4..=6).contains(&x.keywords.len()), "{}: {:?}", x.name, x.keywords);
        assert!(x.keywords.iter().chain(&x.fields).all(|k| chars(k) <= 30), "{}", x.name);
        assert!((60..=140).contains(&chars(&x.bio)), "{} bio of {}", x.name, chars(&x.bio));
        assert!((2..=4).contains(&x.achievements.len()), "{}", x.name);
        if let Some(o) = x.org {
            let org = &d.orgs[o];
            match org.kind {
                OrgKind::University => assert!(x.institution.starts_with(&org.name), "{}", x.institution),
                OrgKind::Enterprise => assert_eq!(x.institution, org.name),
                kind => panic!("expert {i} belongs to a {kind:?}"),
            }
        }
        if let Some(p) = x.person {
            assert_eq!((&d.people[p].name, d.people[p].org), (&x.name, x.org), "expert {i}");
        }
        assert!(x.conflicts.len() <= 1);
        assert!(x.conflicts.iter().all(|&e| d.orgs[e].kind == OrgKind::Enterprise && Some(e) != x.org));
    }

    let statuses = ["draft", "submitted", "approved", "rejected", "closed"];
    for (i, n) in d.needs.iter().enumerate() {
        assert_eq!(d.orgs[n.enterprise].kind, OrgKind::Enterprise, "need {i}");
        assert!(lexicon::industry(&n.industry).is_some(), "need {i}: {}", n.industry);
        assert!(need_of(d, i).validate().is_ok(), "need {i}");
        assert!(!n.title.contains('{') && !n.background.contains('{') && !n.problem.contains('{'), "{}", n.title);
        assert!((4..=30).contains(&chars(&n.title)), "{}", n.title);
        assert!((40..=120).contains(&chars(&n.background)), "{}: background of {}", n.title, chars(&n.background));
        assert!((30..=100).contains(&chars(&n.problem)), "{}: problem of {}", n.title, chars(&n.problem));
        assert!((20..=80).contains(&chars(&n.goal)), "{}: goal of {}", n.title, chars(&n.goal));
        assert_eq!(n.deadline.year(), 2027);
        assert!(n.budget_wan.is_none_or(|b| b > 0));
        assert!(statuses.contains(&n.status), "{}", n.status);
    }

    // The check character of an application number: its digits weighted 2 to 9 cyclically,
    // modulo 11, 10 written X; 201710601862.3 is a real one.
    let check_char = |body: &str| {
        let sum: u32 =
            body.bytes().zip([2, 3, 4, 5, 6, 7, 8, 9].iter().cycle()).map(|(b, w)| u32::from(b - b'0') * w).sum();
        if sum % 11 == 10 { 'X' } else { char::from(b'0' + (sum % 11) as u8) }
    };
    assert_eq!(check_char("201710601862"), '3');
    let mut numbers = HashSet::new();
    for p in &d.patents {
        assert_eq!(normalize_number(&p.number).as_deref(), Some(p.number.as_str()));
        assert_eq!(p.number.len(), 16, "{}", p.number);
        assert!(p.number.ends_with(check_char(&p.number[2..14])), "{}", p.number);
        assert!(numbers.insert(p.number.as_str()), "duplicate patent {}", p.number);
        let kind = PatentKind::parse(p.kind).expect("a patent kind");
        assert_eq!(kind.code(), p.kind);
        let digit = match kind {
            PatentKind::Invention => b'1',
            PatentKind::UtilityModel => b'2',
            PatentKind::Design => b'3',
        };
        assert_eq!(p.number.as_bytes()[6], digit, "{}", p.number);
        assert!(!p.title.is_empty() && !p.title.contains('{') && !p.title.ends_with("专利）"), "{}", p.title);
        assert!(!p.inventors.is_empty() && !p.applicant.is_empty());
        assert!(p.granted_on < today && p.granted_on.year() >= 2016);
        let year: i32 = p.number[2..6].parse().unwrap();
        assert!(year <= p.granted_on.year());
        if let Some(x) = p.expert {
            let x = &d.experts[x];
            assert!(p.inventors.contains(&x.name), "{} not among {:?}", x.name, p.inventors);
            assert!(x.institution.starts_with(&p.applicant), "{} for {}", p.applicant, x.institution);
        }
        if let Some(o) = p.org {
            assert_eq!((d.orgs[o].kind, &d.orgs[o].name), (OrgKind::Enterprise, &p.applicant));
        }
    }

    let mut members = HashSet::new();
    for m in &d.workstation_members {
        let w = &d.orgs[m.workstation];
        assert_eq!(w.kind, OrgKind::ExpertWorkstation);
        assert!(m.expert < d.experts.len() && members.insert((m.workstation, m.expert)));
        assert!(Some(m.joined_on) >= w.established_on && m.joined_on < today);
        assert!(!m.project.is_empty());
    }
    for (i, _) in d.orgs.iter().enumerate().filter(|(_, o)| o.kind == OrgKind::ExpertWorkstation) {
        let n = d.workstation_members.iter().filter(|m| m.workstation == i).count();
        assert!((2..=4).contains(&n), "workstation {i} has {n} experts");
    }
}

#[test]
fn matchmaking_content_at_scale_one() {
    let d = generate(1, 1);
    check_matchmaking(&d);
    let share = |n: usize, of: usize| n as f64 / of as f64;

    assert!((220..=260).contains(&d.experts.len()), "{} experts", d.experts.len());
    assert!((120..=140).contains(&d.needs.len()), "{} needs", d.needs.len());
    let with_association: HashSet<usize> = d.orgs.iter().filter_map(|o| o.enterprise).collect();
    let enterprises: HashSet<usize> = d.needs.iter().map(|n| n.enterprise).collect();
    assert!((70..=95).contains(&enterprises.len()), "needs of {} enterprises", enterprises.len());
    let big = enterprises.iter().filter(|e| with_association.contains(e)).count();
    assert!(big >= 30 && enterprises.len() - big >= 25, "{big} of {} with an association", enterprises.len());
    assert!((260..=340).contains(&d.patents.len()), "{} patents", d.patents.len());
    let linked = d.patents.iter().filter(|p| p.expert.is_some()).count();
    let held = d.patents.iter().filter(|p| p.org.is_some()).count();
    assert!((100..=140).contains(&linked) && (130..=180).contains(&held), "{linked} linked, {held} held");

    let kind = |k: NeedKind| share(d.needs.iter().filter(|n| n.kind == k).count(), d.needs.len());
    assert!((0.5..=0.8).contains(&kind(NeedKind::Technology)), "{}", kind(NeedKind::Technology));
    for k in [NeedKind::Expert, NeedKind::Equipment, NeedKind::Funding, NeedKind::Talent] {
        assert!((0.01..=0.25).contains(&kind(k)), "{k:?}: {}", kind(k));
    }
    let approved = share(d.needs.iter().filter(|n| n.status == "approved").count(), d.needs.len());
    assert!((0.6..=0.85).contains(&approved), "{approved}");
    let consent = share(d.experts.iter().filter(|x| x.consent).count(), d.experts.len());
    let visible = share(d.experts.iter().filter(|x| x.visible).count(), d.experts.len());
    assert!((0.88..=1.0).contains(&consent) && (0.75..=0.95).contains(&visible), "{consent} {visible}");
    let engineers = d.experts.iter().filter(|x| x.org.is_some_and(|o| d.orgs[o].kind == OrgKind::Enterprise)).count();
    assert!((10..=60).contains(&engineers), "{engineers} enterprise engineers");
    assert!(d.experts.iter().any(|x| x.org.is_none()), "experts from outside the district");
    let conflicted = d.experts.iter().filter(|x| !x.conflicts.is_empty()).count();
    assert!((1..=30).contains(&conflicted), "{conflicted}");

    // Scale 2 doubles the experts and about doubles the needs, with the same rules.
    let two = generate(2, 1);
    check_matchmaking(&two);
    assert_eq!(two.experts.len(), 2 * d.experts.len());
    let ratio = share(two.needs.len(), d.needs.len());
    assert!((1.8..=2.2).contains(&ratio), "needs grew by {ratio}");
}

#[test]
fn demo_accounts_have_matchmaking_content() {
    let d = generate(1, 1);
    let account = |name: &str| d.accounts.iter().find(|a| a.username == name).unwrap();
    let person = account("expert").person.unwrap();
    let x = &d.experts[0];
    let university = d.orgs.iter().position(|o| o.kind == OrgKind::University).unwrap();
    assert_eq!((x.person, x.org, &x.name), (Some(person), Some(university), &d.people[person].name));
    assert!(x.institution.starts_with(&d.orgs[university].name) && x.institution.ends_with("学院"));
    assert!(x.consent && x.visible && x.conflicts.is_empty());

    let qiye = d.orgs[account("qiye").scope_org.unwrap()].enterprise.unwrap();
    let own: Vec<&DemoNeed> = d.needs.iter().filter(|n| n.enterprise == qiye).collect();
    let count = |s: &str| own.iter().filter(|n| n.status == s).count();
    assert!(own.len() >= 10, "{}", own.len());
    assert_eq!(count("draft"), 1);
    assert!(count("submitted") >= 1 && count("approved") * 2 > own.len());
    let titles: HashSet<&str> = own.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(titles.len(), own.len(), "the enterprise account repeats a need");

    for (town, code) in [("金沙街道", "320612001"), ("西亭镇", "320612003")] {
        let t = d.regions.iter().position(|r| r.name == town && r.code == code).unwrap();
        let in_town = |r: usize| r == t || d.regions[r].parent == Some(t);
        let approved =
            d.needs.iter().filter(|n| n.status == "approved" && in_town(d.orgs[n.enterprise].region)).count();
        assert!(approved >= 3, "{town} has {approved} approved needs");
    }
}

#[test]
fn matchmaking_is_deterministic() {
    assert_eq!(matchmaking_fingerprint(&generate(1, 7)), matchmaking_fingerprint(&generate(1, 7)));
    assert_ne!(matchmaking_fingerprint(&generate(1, 7)), matchmaking_fingerprint(&generate(1, 8)));
}

/// The demo must show matching at work: for most approved technology needs the best expert
/// is of the need's trade, and the expert account sees needs it ranks high for.
#[test]
fn demo_experts_suit_demo_needs() {
    use crate::matchmaking::{ExpertIndex, rank_experts};
    let d = generate(1, 1);
    let consenting: Vec<usize> = (0..d.experts.len()).filter(|&i| d.experts[i].consent).collect();
    let index = ExpertIndex::new(&consenting.iter().map(|&i| expert_of(&d, i)).collect::<Vec<_>>());
    let (mut good, mut total, mut account_expert) = (0, 0, 0);
    for (i, n) in d.needs.iter().enumerate() {
        if n.status != "approved" {
            continue;
        }
        let top = rank_experts(&index, &need_of(&d, i), &HashSet::new(), Some(3));
        if top.iter().any(|r| r.id == "E0") {
            account_expert += 1;
        }
        if n.kind != NeedKind::Technology {
            continue;
        }
        let conflicts: HashSet<String> = consenting
            .iter()
            .filter(|&&x| d.experts[x].conflicts.contains(&n.enterprise))
            .map(|x| format!("E{x}"))
            .collect();
        let top = rank_experts(&index, &need_of(&d, i), &conflicts, Some(1));
        let e = &top[0].explanation;
        total += 1;
        if e.domain_fit >= 0.5 || !e.shared_domains.is_empty() {
            good += 1;
        }
    }
    assert!(total >= 40, "{total} approved technology needs");
    assert!(good * 10 >= total * 7, "{good} of {total} needs have a fitting expert first");
    assert!(account_expert >= 3, "the expert account is among the first three for {account_expert} needs");
}

/// Words of the epidemic years that a 2026 district would not publish any more.
pub(super) const EPIDEMIC_ERA: &[&str] = &[
    "健康码",
    "行程卡",
    "场所码",
    "核酸",
    "疫情",
    "防疫",
    "抗疫",
    "新冠",
    "隔离",
    "封控",
    "复工复产",
    "一米线",
    "网课",
];

/// Every text the demo year shows — articles, campaigns, suggestions and their answers,
/// activities and service projects, screen slides, orders — is written in these files.
#[test]
fn the_demo_year_has_no_epidemic_era_items() {
    let sources = [
        include_str!("mod.rs"),
        include_str!("data.rs"),
        include_str!("estation.rs"),
        include_str!("followups.rs"),
        include_str!("matchmaking.rs"),
        include_str!("matchmaking_data.rs"),
        include_str!("order.rs"),
        include_str!("outreach.rs"),
        include_str!("volunteer.rs"),
        include_str!("suggestion/mod.rs"),
        include_str!("suggestion/data.rs"),
    ];
    for source in sources {
        for line in source.lines() {
            assert!(!EPIDEMIC_ERA.iter().any(|w| line.contains(w)), "{line}");
        }
    }
    // The emergency campaign is one a 2026 district runs.
    let d = generate(1, 2026);
    let o = super::outreach::generate(&d, 367, chrono::NaiveDate::from_ymd_opt(2026, 11, 28).expect("a date"));
    let emergency = o.campaigns.iter().find(|c| c.kind == crate::outreach::campaign::CampaignKind::Emergency);
    assert!(emergency.is_some_and(|c| c.name.contains("流感")));
}
