//! 匹配说明: why an expert ranks where they do, itemised for the UI and the API.

use super::expert::ExpertField;
use super::lexicon::Domain;
use serde::Serialize;

/// Why an expert ranks where they do, for the UI and the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// What matched, the heaviest first. Their weights plus `scattered` and `domain_bonus`
    /// add up to the score.
    pub terms: Vec<MatchedTerm>,
    /// The part of the score from character pairs both sides share that make no whole word
    /// of the need: counted, but not worth showing to a reader.
    pub scattered: f64,
    /// 0..1: how well the need's trades (industry, kind, wording) meet the expert's. Word
    /// matches count in full at 1 and about a third at 0.
    pub domain_fit: f64,
    /// The small part of the score that comes from the domain fit alone.
    pub domain_bonus: f64,
    pub shared_domains: Vec<Domain>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedTerm {
    /// A phrase of the need, or a concept's label.
    pub text: String,
    pub via: Via,
    /// Where in the profile it was found.
    pub fields: Vec<ExpertField>,
    pub weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Via {
    /// The same word (or run of words) on both sides.
    Words,
    /// Different words with the same meaning (the lexicon's synonyms): 噪音 and 噪声.
    Synonym { concept: &'static str, need_words: Vec<String>, expert_word: String },
    /// Different words of one concept of the lexicon, not synonyms: 图纸 and 有限元 are both
    /// of structural design.
    Concept { concept: &'static str, need_words: Vec<String>, expert_word: String },
    /// A different technique of the same family (注塑 for a 挤出 need), at a lower weight.
    Related { concept: &'static str, need_concept: &'static str, need_words: Vec<String>, expert_word: String },
    /// Implied by the need's kind (funding, talent, equipment).
    NeedKind { concept: &'static str },
}
