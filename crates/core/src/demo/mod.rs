//! The demo district: a realistic 通州区-like district generated deterministically.
//! (Being written; the interface below is fixed.)

use crate::account::Role;
use crate::org::OrgKind;
use crate::person::Gender;
use crate::region::RegionKind;
use chrono::NaiveDate;

pub struct DemoRegion {
    pub parent: Option<usize>,
    pub code: String,
    pub name: String,
    pub kind: RegionKind,
}

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

pub struct DemoOfficer {
    pub org: usize,
    pub person: usize,
    pub role: &'static str,
}

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
}

pub fn generate(_scale: u32, _seed: u64) -> DemoDistrict {
    DemoDistrict::default()
}
