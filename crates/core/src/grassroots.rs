//! "4+1" grassroots associations and their officers. Officer roles are a dictionary stored in
//! the database; this is the set it starts with.

/// (code, Chinese name, English name). The four heads (四长) of a town association are the heads
/// of its middle school, health centre, agricultural technology station and cultural station;
/// the "+1" is a science-and-technology enterprise.
pub const DEFAULT_OFFICER_ROLES: &[(&str, &str, &str)] = &[
    ("chair", "主席", "Chair"),
    ("vice_chair", "副主席", "Vice chair"),
    ("secretary_general", "秘书长", "Secretary-general"),
    ("school_head", "中学校长", "Head of the middle school"),
    ("health_centre_head", "卫生院院长", "Head of the health centre"),
    ("agri_station_head", "农技站站长", "Head of the agricultural technology station"),
    ("culture_station_head", "文化站站长", "Head of the cultural station"),
    ("enterprise_head", "科技型企业负责人", "Head of a technology enterprise"),
    ("member", "委员", "Member"),
    ("correspondent", "科普信息员", "Outreach correspondent"),
];

/// The four heads (四长) that every town-level "4+1" association should have.
pub const FOUR_HEADS: [&str; 4] = ["school_head", "health_centre_head", "agri_station_head", "culture_station_head"];

/// Which of the four heads a town association still lacks, given the role codes of its officers.
pub fn missing_heads<'a>(roles: impl IntoIterator<Item = &'a str>) -> Vec<&'static str> {
    let have: Vec<&str> = roles.into_iter().collect();
    FOUR_HEADS.into_iter().filter(|h| !have.contains(h)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_heads_are_in_the_dictionary() {
        for h in FOUR_HEADS {
            assert!(DEFAULT_OFFICER_ROLES.iter().any(|(c, _, _)| *c == h));
        }
        assert_eq!(
            missing_heads(["chair", "school_head", "agri_station_head"]),
            vec!["health_centre_head", "culture_station_head"]
        );
    }
}
