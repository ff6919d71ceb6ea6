//! 专家: an expert's profile as far as matching needs it.

use crate::validate::Invalid;
use serde::{Deserialize, Serialize};

/// An expert profile. The JSONL files of the matching sets carry exactly these fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expert {
    pub id: String,
    pub name: String,
    /// Professional title (职称), e.g. 教授, 高级工程师.
    pub title: String,
    pub institution: String,
    pub fields: Vec<String>,
    pub keywords: Vec<String>,
    pub bio: String,
    /// Titles of papers, patents and projects.
    pub achievements: Vec<String>,
}

/// The part of a profile a match came from, for the explanation shown next to a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpertField {
    Fields,
    Keywords,
    Bio,
    Achievements,
    Institution,
}

impl ExpertField {
    pub const ALL: [ExpertField; 5] = [Self::Fields, Self::Keywords, Self::Bio, Self::Achievements, Self::Institution];

    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// "一种…装置（发明专利）" → "一种…装置": the tag says what kind of achievement it is, not
/// what the expert works on. Left in, it would make every inventor a patent-law expert.
fn without_patent_tag(a: &str) -> &str {
    let trimmed = a.trim_end();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(body) = trimmed.strip_suffix(close)
            && let Some(at) = body.rfind(open)
            && body[at..].contains("专利")
        {
            return &trimmed[..at];
        }
    }
    trimmed
}

impl Expert {
    /// Each part of the profile that matching reads. List items are joined with a separator
    /// so that no bigram spans two keywords.
    pub fn texts(&self) -> [(ExpertField, String); 5] {
        [
            (ExpertField::Fields, self.fields.join("；")),
            (ExpertField::Keywords, self.keywords.join("；")),
            (ExpertField::Bio, self.bio.clone()),
            (
                ExpertField::Achievements,
                self.achievements.iter().map(|a| without_patent_tag(a)).collect::<Vec<_>>().join("；"),
            ),
            (ExpertField::Institution, self.institution.clone()),
        ]
    }

    /// A profile can be matched once it has an id, a name and something to match on.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if self.id.trim().is_empty() {
            e.push("id", "required");
        }
        if self.name.trim().is_empty() {
            e.push("name", "required");
        }
        if self.fields.iter().all(|f| f.trim().is_empty())
            && self.keywords.iter().all(|k| k.trim().is_empty())
            && self.bio.trim().is_empty()
        {
            e.push("fields", "required");
        }
        e.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patent_tags_are_not_topics() {
        assert_eq!(without_patent_tag("一种消失模涂料（发明专利）"), "一种消失模涂料");
        assert_eq!(without_patent_tag("一种夹具(实用新型专利) "), "一种夹具");
        assert_eq!(without_patent_tag("专利质押融资中的价值评估方法"), "专利质押融资中的价值评估方法");
        assert_eq!(without_patent_tag("机械零部件失效分析案例集（专著）"), "机械零部件失效分析案例集（专著）");
    }

    #[test]
    fn a_profile_needs_an_id_a_name_and_a_subject() {
        let e = Expert {
            id: " ".into(),
            name: "张三".into(),
            title: String::new(),
            institution: String::new(),
            fields: vec![String::new()],
            keywords: Vec::new(),
            bio: String::new(),
            achievements: Vec::new(),
        };
        let invalid = e.validate().expect_err("no id, nothing to match");
        assert_eq!(invalid.for_field("id").map(|f| f.code), Some("required"));
        assert_eq!(invalid.for_field("fields").map(|f| f.code), Some("required"));
        assert!(invalid.for_field("name").is_none());
    }
}
