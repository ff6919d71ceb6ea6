//! 专家: an expert's profile as far as matching needs it.

use crate::validate::{self, Invalid};
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

/// A profile as typed in the form or a roster row. Lists are typed as one text, items
/// separated by "；", "、", "，" or new lines; achievements one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpertForm {
    pub name: String,
    pub title: String,
    pub institution: String,
    pub fields: String,
    pub keywords: String,
    pub bio: String,
    pub achievements: String,
    /// Agreed to be matched with enterprises' needs (专家同意入库).
    pub consent: bool,
    /// Profile shown to enterprises; otherwise only to the association.
    pub visible: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpertInput {
    pub name: String,
    pub title: Option<String>,
    pub institution: String,
    pub fields: Vec<String>,
    pub keywords: Vec<String>,
    pub bio: Option<String>,
    pub achievements: Vec<String>,
    pub consent: bool,
    pub visible: bool,
}

/// Items of a typed list, trimmed, empty ones dropped, each at most `max` characters.
pub fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(|c: char| separators.contains(&c) || c == '\n' || c == '\r')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub const LIST_SEPARATORS: [char; 5] = ['；', ';', '、', '，', ','];

fn checked_list(
    e: &mut Invalid,
    field: &'static str,
    text: &str,
    separators: &[char],
    items: usize,
    each: usize,
) -> Vec<String> {
    let list = split_list(text, separators);
    if list.len() > items {
        e.push_arg(field, "too_many_items", items);
    } else if list.iter().any(|i| i.chars().count() > each) {
        e.push_arg(field, "item_too_long", each);
    }
    list
}

impl ExpertForm {
    pub fn check(&self) -> Result<ExpertInput, Invalid> {
        let mut e = Invalid::default();
        let name = validate::required(&mut e, "name", &self.name, 50);
        let title = validate::optional(&mut e, "title", &self.title, 50);
        let institution = validate::required(&mut e, "institution", &self.institution, 100);
        let fields = checked_list(&mut e, "fields", &self.fields, &LIST_SEPARATORS, 10, 30);
        let keywords = checked_list(&mut e, "keywords", &self.keywords, &LIST_SEPARATORS, 30, 30);
        let bio = validate::optional(&mut e, "bio", &self.bio, 2000);
        // Titles of papers carry commas; only line breaks separate them.
        let achievements = checked_list(&mut e, "achievements", &self.achievements, &[], 50, 200);
        if fields.is_empty() && keywords.is_empty() {
            e.push("fields", "required");
        }
        e.into_result(ExpertInput {
            name,
            title,
            institution,
            fields,
            keywords,
            bio,
            achievements,
            consent: self.consent,
            visible: self.visible,
        })
    }
}

impl ExpertInput {
    /// The form back from stored values, for editing.
    pub fn to_form(&self) -> ExpertForm {
        ExpertForm {
            name: self.name.clone(),
            title: self.title.clone().unwrap_or_default(),
            institution: self.institution.clone(),
            fields: self.fields.join("；"),
            keywords: self.keywords.join("；"),
            bio: self.bio.clone().unwrap_or_default(),
            achievements: self.achievements.join("\n"),
            consent: self.consent,
            visible: self.visible,
        }
    }

    /// The profile as matching reads it.
    pub fn to_expert(&self, id: String) -> Expert {
        Expert {
            id,
            name: self.name.clone(),
            title: self.title.clone().unwrap_or_default(),
            institution: self.institution.clone(),
            fields: self.fields.clone(),
            keywords: self.keywords.clone(),
            bio: self.bio.clone().unwrap_or_default(),
            achievements: self.achievements.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lists_split_on_chinese_and_latin_separators() {
        let f = ExpertForm {
            name: "龙思远".into(),
            institution: "江苏工程职业技术学院".into(),
            fields: "纺织工程；织造".into(),
            keywords: "喷气织机、织疵分析, 经纱上浆\n提花织物".into(),
            achievements: "喷气织机高密织物开口与引纬工艺参数优化，研究报告\n常见织疵图谱".into(),
            ..ExpertForm::default()
        };
        let input = f.check().expect("valid");
        assert_eq!(input.fields, ["纺织工程", "织造"]);
        assert_eq!(input.keywords, ["喷气织机", "织疵分析", "经纱上浆", "提花织物"]);
        assert_eq!(input.achievements.len(), 2, "commas inside a title do not split it");
        assert_eq!(input.to_form().check().expect("round trip"), input);
    }

    #[test]
    fn a_profile_without_a_subject_or_institution_is_refused() {
        let invalid = ExpertForm { name: "张三".into(), ..ExpertForm::default() }.check().expect_err("empty");
        assert_eq!(invalid.for_field("fields").map(|e| e.code), Some("required"));
        assert_eq!(invalid.for_field("institution").map(|e| e.code), Some("required"));
        let long = ExpertForm {
            name: "张三".into(),
            institution: "南通大学".into(),
            keywords: "很".repeat(31),
            ..ExpertForm::default()
        };
        assert_eq!(long.check().expect_err("long").for_field("keywords").map(|e| e.code), Some("item_too_long"));
    }

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
