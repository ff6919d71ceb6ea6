//! Organisations of every kind in the glossary, their tree, and the rules on their fields.

pub mod index;
pub mod roster;

use crate::validate::{self, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 区科协: the district association itself.
    DistrictAssociation,
    /// 基层科协: town/street "4+1" associations and community/village associations.
    Grassroots,
    /// 学会
    Society,
    /// 企业科协, tied to its enterprise.
    EnterpriseAssociation,
    /// 企业
    Enterprise,
    /// 学校
    School,
    /// 高校
    University,
    /// 专家工作站
    ExpertWorkstation,
    /// 科普教育基地
    ScienceBase,
    /// 新时代文明实践点 (科普志愿者实践点)
    PracticeSite,
    /// 志愿服务队
    VolunteerTeam,
    /// 科普e站, as a place; its screens belong to the e-station area.
    Estation,
}

impl OrgKind {
    pub const ALL: [OrgKind; 12] = [
        Self::DistrictAssociation,
        Self::Grassroots,
        Self::Society,
        Self::EnterpriseAssociation,
        Self::Enterprise,
        Self::School,
        Self::University,
        Self::ExpertWorkstation,
        Self::ScienceBase,
        Self::PracticeSite,
        Self::VolunteerTeam,
        Self::Estation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::DistrictAssociation => "district_association",
            Self::Grassroots => "grassroots",
            Self::Society => "society",
            Self::EnterpriseAssociation => "enterprise_association",
            Self::Enterprise => "enterprise",
            Self::School => "school",
            Self::University => "university",
            Self::ExpertWorkstation => "expert_workstation",
            Self::ScienceBase => "science_base",
            Self::PracticeSite => "practice_site",
            Self::VolunteerTeam => "volunteer_team",
            Self::Estation => "estation",
        }
    }

    /// The Chinese name, as the glossary and the rosters people fill in use it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::DistrictAssociation => "区科协",
            Self::Grassroots => "基层科协",
            Self::Society => "学会",
            Self::EnterpriseAssociation => "企业科协",
            Self::Enterprise => "企业",
            Self::School => "学校",
            Self::University => "高校",
            Self::ExpertWorkstation => "专家工作站",
            Self::ScienceBase => "科普教育基地",
            Self::PracticeSite => "新时代文明实践点",
            Self::VolunteerTeam => "志愿服务队",
            Self::Estation => "科普e站",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.into_iter().find(|k| k.code() == s || k.label_zh() == s)
    }

    /// Enterprise associations record their enterprise and its platform registrations.
    pub fn has_platforms(self) -> bool {
        self == Self::EnterpriseAssociation
    }

    /// Grassroots associations have officers (四长 and other roles).
    pub fn has_officers(self) -> bool {
        self == Self::Grassroots
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgStatus {
    Active,
    Archived,
}

impl OrgStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Active => "正常",
            Self::Archived => "已归档",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        [Self::Active, Self::Archived].into_iter().find(|k| k.code() == s || k.label_zh() == s)
    }
}

/// An organisation's editable fields as a person typed them (form, API or roster row).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OrgForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub region_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub credit_code: String,
    pub address: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub established_on: String,
    pub patent_platform_on: String,
    pub kczg_on: String,
    pub green_platform_on: String,
    pub note: String,
}

/// The checked, typed fields of an organisation, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgInput {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
    pub region_id: i64,
    pub parent_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub credit_code: Option<String>,
    pub address: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub established_on: Option<NaiveDate>,
    pub patent_platform_on: Option<NaiveDate>,
    pub kczg_on: Option<NaiveDate>,
    pub green_platform_on: Option<NaiveDate>,
    pub note: Option<String>,
}

pub const NAME_MAX: usize = 100;

impl OrgForm {
    /// Checks every field and reports every problem at once.
    pub fn check(&self) -> Result<OrgInput, Invalid> {
        let mut e = Invalid::default();
        let code = validate::code(&mut e, "code", &self.code);
        let name = validate::required(&mut e, "name", &self.name, NAME_MAX);
        let kind = match OrgKind::parse(&self.kind) {
            Some(k) => Some(k),
            None => {
                e.push("kind", if self.kind.trim().is_empty() { "required" } else { "unknown_kind" });
                None
            }
        };
        if self.region_id.is_none() {
            e.push("region_id", "required");
        }
        let credit_code = validate::optional(&mut e, "credit_code", &self.credit_code, 18);
        if let Some(c) = &credit_code
            && !crate::person::valid_credit_code(c)
        {
            e.push("credit_code", "bad_credit_code");
        }
        let address = validate::optional(&mut e, "address", &self.address, 200);
        let contact_name = validate::optional(&mut e, "contact_name", &self.contact_name, 50);
        let contact_phone = validate::optional(&mut e, "contact_phone", &self.contact_phone, 20);
        if let Some(p) = &contact_phone
            && !crate::person::valid_phone(p)
        {
            e.push("contact_phone", "bad_phone");
        }
        let established_on = validate::optional_date(&mut e, "established_on", &self.established_on);
        let patent_platform_on = validate::optional_date(&mut e, "patent_platform_on", &self.patent_platform_on);
        let kczg_on = validate::optional_date(&mut e, "kczg_on", &self.kczg_on);
        let green_platform_on = validate::optional_date(&mut e, "green_platform_on", &self.green_platform_on);
        let note = validate::optional(&mut e, "note", &self.note, 1000);
        let platforms = patent_platform_on.is_some() || kczg_on.is_some() || green_platform_on.is_some();
        if let Some(k) = kind {
            if !k.has_platforms() && (platforms || self.enterprise_id.is_some()) {
                e.push("kind", "platforms_only_for_enterprise_association");
            }
            if k == OrgKind::DistrictAssociation && self.parent_id.is_some() {
                e.push("parent_id", "district_association_has_no_parent");
            }
        }
        match (e.is_empty(), kind, self.region_id) {
            (true, Some(kind), Some(region_id)) => Ok(OrgInput {
                code,
                name,
                kind,
                region_id,
                parent_id: self.parent_id,
                enterprise_id: self.enterprise_id,
                credit_code,
                address,
                contact_name,
                contact_phone,
                established_on,
                patent_platform_on,
                kczg_on,
                green_platform_on,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// A new parent must not be the organisation itself or one of its descendants.
pub fn parent_is_cyclic(own_path: &str, new_parent_path: &str) -> bool {
    new_parent_path.starts_with(own_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> OrgForm {
        OrgForm {
            code: "qykx-001".into(),
            name: "江苏中天科技股份有限公司科协".into(),
            kind: "企业科协".into(),
            region_id: Some(3),
            parent_id: Some(1),
            enterprise_id: Some(9),
            contact_phone: "13812345678".into(),
            patent_platform_on: "2023年5月8日".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_enterprise_association() {
        let i = form().check().unwrap();
        assert_eq!(i.code, "QYKX-001");
        assert_eq!(i.kind, OrgKind::EnterpriseAssociation);
        assert_eq!(i.patent_platform_on, NaiveDate::from_ymd_opt(2023, 5, 8));
    }

    #[test]
    fn every_problem_is_reported() {
        let mut f = form();
        f.name = String::new();
        f.kind = "协会".into();
        f.contact_phone = "12345".into();
        f.kczg_on = "明年".into();
        f.region_id = None;
        let e = f.check().unwrap_err();
        let codes: Vec<_> = e.0.iter().map(|x| (x.field, x.code)).collect();
        assert!(codes.contains(&("name", "required")));
        assert!(codes.contains(&("kind", "unknown_kind")));
        assert!(codes.contains(&("contact_phone", "bad_phone")));
        assert!(codes.contains(&("kczg_on", "bad_date")));
        assert!(codes.contains(&("region_id", "required")));
    }

    #[test]
    fn platforms_belong_to_enterprise_associations() {
        let mut f = form();
        f.kind = "学会".into();
        let e = f.check().unwrap_err();
        assert_eq!(e.0[0].code, "platforms_only_for_enterprise_association");
    }

    #[test]
    fn cycles() {
        assert!(parent_is_cyclic("/1/5/", "/1/5/"));
        assert!(parent_is_cyclic("/1/5/", "/1/5/9/"));
        assert!(!parent_is_cyclic("/1/5/", "/1/6/"));
        assert!(!parent_is_cyclic("/1/5/", "/1/"));
    }

    #[test]
    fn kinds_parse_from_code_or_chinese() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::parse(k.code()), Some(k));
            assert_eq!(OrgKind::parse(k.label_zh()), Some(k));
        }
    }
}
