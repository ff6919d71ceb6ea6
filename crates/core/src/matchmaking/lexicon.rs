//! The domain concept lexicon: everyday and technical words mapped to shared concepts.
//!
//! Owners describe symptoms (噪音, 西红柿, 白模, 小孔, 一搓一手白粉); experts list technical
//! terms (噪声, 番茄, 消失模, 气孔缺陷, 低聚物). Character n-grams cannot bridge words that
//! share no characters, so both sides are also read through this lexicon: every trigger found
//! in a text adds its concept as one more matching term. The table (`concepts.rs`) is written
//! from domain knowledge of a manufacturing district, not from any evaluation file.
//!
//! A trigger may carry a context, `色差@染|布|缸`: it counts only when one of the context
//! words occurs somewhere in the same need or profile; with several groups,
//! `人工@挑|看@瑕疵|颜色`, every group needs one of its words. That is how an ambiguous word picks
//! its sense (色差 of dyed cloth vs 色差 measured by a camera; 焊接 of ship hulls vs
//! soldering of circuit boards). Each concept also belongs to domains; the domain profile of
//! a need (with its industry and kind) against that of an expert is the second guard against
//! trap senses (see `index`).

mod concepts;
mod industries;

use super::need::NeedKind;
use super::text::normalize;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

pub use industries::{Industry, industries, industry};

/// Broad areas of work. A need and an expert that share no domain are unlikely to match even
/// when they share words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Textile,
    Metal,
    Machinery,
    Electronics,
    Electrical,
    Energy,
    Ship,
    Chemical,
    Polymer,
    Medical,
    Food,
    Agriculture,
    Construction,
    Environment,
    Automation,
    Quality,
    Finance,
    Ip,
    Talent,
    Strategy,
    Packaging,
}

pub const DOMAINS: usize = 21;

impl Domain {
    pub const ALL: [Domain; DOMAINS] = [
        Self::Textile,
        Self::Metal,
        Self::Machinery,
        Self::Electronics,
        Self::Electrical,
        Self::Energy,
        Self::Ship,
        Self::Chemical,
        Self::Polymer,
        Self::Medical,
        Self::Food,
        Self::Agriculture,
        Self::Construction,
        Self::Environment,
        Self::Automation,
        Self::Quality,
        Self::Finance,
        Self::Ip,
        Self::Talent,
        Self::Strategy,
        Self::Packaging,
    ];
}

/// A concept of the lexicon, as the explanation shows it.
#[derive(Debug)]
pub struct Concept {
    /// Stable identifier, e.g. `lost_foam_casting`.
    pub id: &'static str,
    /// Chinese label for the UI, e.g. 消失模铸造.
    pub label: &'static str,
    pub domains: &'static [Domain],
}

/// One trigger occurrence: which concept, through which trigger word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub concept: u16,
    pub trigger: u16,
}

struct Trigger {
    text: String,
    concept: u16,
    /// Every group needs one of its words in the same document; no groups: always counts.
    context: Vec<Vec<String>>,
    /// The trigger starts or ends with a Latin letter or digit: it must not be part of a
    /// longer word ("el" must not fire inside "model").
    latin_edges: (bool, bool),
}

pub struct Lexicon {
    concepts: Vec<Concept>,
    /// Per concept, the related techniques (`concepts::RELATED`, both ways).
    related: Vec<Vec<u16>>,
    /// Word → its group of words of one meaning (`concepts::SYNONYMS`).
    synonym_group: HashMap<&'static str, usize>,
    triggers: Vec<Trigger>,
    by_first_char: HashMap<char, Vec<u16>>,
    by_id: HashMap<&'static str, u16>,
}

/// The lexicon, compiled once per process.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::compile(concepts::CONCEPTS, concepts::RELATED, concepts::SYNONYMS))
}

impl Lexicon {
    fn compile(defs: &[concepts::Def], related_pairs: &[(&str, &str)], synonyms: &[&'static [&'static str]]) -> Self {
        let mut concepts = Vec::with_capacity(defs.len());
        let mut triggers = Vec::new();
        let mut by_first_char: HashMap<char, Vec<u16>> = HashMap::new();
        let mut by_id = HashMap::new();
        for (ci, def) in defs.iter().enumerate() {
            let ci = u16::try_from(ci).expect("fewer than 65536 concepts");
            let previous = by_id.insert(def.id, ci);
            assert!(previous.is_none(), "concept {} defined twice", def.id);
            concepts.push(Concept { id: def.id, label: def.label, domains: def.domains });
            for raw in def.triggers {
                let mut parts = raw.split('@');
                let word = parts.next().expect("split yields at least one part");
                let context: Vec<Vec<String>> = parts.map(|group| group.split('|').map(normalize).collect()).collect();
                let text = normalize(word);
                let first = text.chars().next().expect("empty trigger");
                let last = text.chars().last().expect("empty trigger");
                let ti = u16::try_from(triggers.len()).expect("fewer than 65536 triggers");
                by_first_char.entry(first).or_default().push(ti);
                triggers.push(Trigger {
                    latin_edges: (first.is_ascii_alphanumeric(), last.is_ascii_alphanumeric()),
                    text,
                    concept: ci,
                    context,
                });
            }
        }
        let mut related = vec![Vec::new(); concepts.len()];
        for (a, b) in related_pairs {
            let known = |id: &str| *by_id.get(id).unwrap_or_else(|| panic!("related concept {id} is not defined"));
            let (a, b) = (known(a), known(b));
            related[usize::from(a)].push(b);
            related[usize::from(b)].push(a);
        }
        let synonym_group =
            synonyms.iter().enumerate().flat_map(|(g, words)| words.iter().map(move |w| (*w, g))).collect();
        Lexicon { concepts, related, synonym_group, triggers, by_first_char, by_id }
    }

    /// Whether two different words mean the same thing (`concepts::SYNONYMS`).
    pub fn same_meaning(&self, a: &str, b: &str) -> bool {
        a != b && self.synonym_group.get(a).is_some_and(|g| self.synonym_group.get(b) == Some(g))
    }

    /// The techniques related to concept `index`, never the concept itself.
    pub fn related(&self, index: u16) -> &[u16] {
        &self.related[usize::from(index)]
    }

    /// Every trigger word, without its context (a word may repeat).
    pub fn trigger_words(&self) -> impl Iterator<Item = &str> {
        self.triggers.iter().map(|t| t.text.as_str())
    }

    pub fn concept(&self, index: u16) -> &Concept {
        &self.concepts[usize::from(index)]
    }

    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    pub fn index_of(&self, id: &str) -> Option<u16> {
        self.by_id.get(id).copied()
    }

    /// The word that fired a hit, for explanations.
    pub fn trigger_text(&self, trigger: u16) -> &str {
        &self.triggers[usize::from(trigger)].text
    }

    /// Every trigger occurrence in `text` (normalised), with contexts looked up in `document`
    /// (normalised; the whole need or profile `text` belongs to).
    pub fn find(&self, text: &str, document: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        let mut context_ok: HashMap<u16, bool> = HashMap::new();
        for (pos, c) in text.char_indices() {
            let Some(candidates) = self.by_first_char.get(&c) else {
                continue;
            };
            let rest = &text[pos..];
            for &ti in candidates {
                let t = &self.triggers[usize::from(ti)];
                if !rest.starts_with(&t.text) {
                    continue;
                }
                if t.latin_edges.0 && text[..pos].chars().next_back().is_some_and(is_word_char) {
                    continue;
                }
                if t.latin_edges.1 && rest[t.text.len()..].chars().next().is_some_and(is_word_char) {
                    continue;
                }
                let ok = *context_ok.entry(ti).or_insert_with(|| {
                    t.context.iter().all(|group| group.iter().any(|w| document.contains(w.as_str())))
                });
                if ok {
                    hits.push(Hit { concept: t.concept, trigger: ti });
                }
            }
        }
        hits
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Concepts a kind of need implies whatever its wording: a funding need wants finance and
/// policy people even when the owner only writes about the new production line.
pub fn kind_concepts(kind: NeedKind) -> &'static [&'static str] {
    match kind {
        NeedKind::Technology | NeedKind::Expert => &[],
        NeedKind::Equipment => &["instrument_sharing", "testing_services"],
        NeedKind::Funding => &["government_funding", "bank_credit", "equity_investment", "tax_incentives"],
        NeedKind::Talent => &["vocational_training", "recruitment", "hr_management"],
    }
}

/// The domain a kind of need leans to, and how much of the industry's technical domain is
/// left: a talent need of a machine-tool maker is about people, not machine tools. An
/// equipment need stays in its trade: it may want an instrument to borrow or a machine to
/// build, and only its words tell which.
pub fn kind_domain(kind: NeedKind) -> (Option<Domain>, f32) {
    match kind {
        NeedKind::Technology | NeedKind::Expert | NeedKind::Equipment => (None, 1.0),
        NeedKind::Funding => (Some(Domain::Finance), 0.3),
        NeedKind::Talent => (Some(Domain::Talent), 0.3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn ids(text: &str) -> Vec<&'static str> {
        let lx = lexicon();
        let t = normalize(text);
        let mut v: Vec<_> = lx.find(&t, &t).iter().map(|h| lx.concept(h.concept).id).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_kind_concept_exists() {
        for kind in [NeedKind::Equipment, NeedKind::Funding, NeedKind::Talent] {
            for id in kind_concepts(kind) {
                assert!(lexicon().index_of(id).is_some(), "{id}");
            }
        }
    }

    #[test]
    fn plain_words_reach_technical_concepts() {
        assert!(ids("大棚西红柿").contains(&"tomato"));
        assert!(ids("番茄嫁接").contains(&"tomato"));
        assert!(ids("客船太吵，噪音大").contains(&"noise"));
        assert!(ids("舱室噪声").contains(&"noise"));
        assert!(ids("泡沫白模刷涂料").contains(&"lost_foam_casting"));
    }

    #[test]
    fn context_picks_the_sense() {
        // 色差 of dyed cloth is a dyeing problem, 色差 seen by a camera an inspection one.
        assert!(ids("全棉布染色色差大").contains(&"shade_variation"));
        assert!(!ids("全棉布染色色差大").contains(&"colour_measurement"));
        assert!(ids("喷涂面板色差在线检测").contains(&"colour_measurement"));
        assert!(!ids("喷涂面板色差在线检测").contains(&"shade_variation"));
        // 焊接 of hulls is structural welding; a reflow oven is soldering.
        assert!(ids("船体分段焊接变形").contains(&"structural_welding"));
        assert!(!ids("回流焊后焊点空洞").contains(&"structural_welding"));
        assert!(ids("回流焊后焊点空洞").contains(&"smt_process"));
        // 涂层 on a cutting tool is a hard coating, on a catheter a hydrophilic one.
        assert!(ids("铣刀涂层不耐磨").contains(&"hard_coatings"));
        assert!(!ids("铣刀涂层不耐磨").contains(&"medical_coatings"));
        assert!(ids("导尿管涂层插入时摩擦大").contains(&"medical_coatings"));
        assert!(!ids("导尿管涂层插入时摩擦大").contains(&"hard_coatings"));
        // 异味 at the plant boundary is an emission, in a car's interior a product property.
        assert!(ids("喷漆车间异味大，周边投诉").contains(&"voc_treatment"));
        assert!(!ids("汽车内饰件异味大").contains(&"voc_treatment"));
        assert!(ids("汽车内饰件异味大").contains(&"product_odour"));
    }

    #[test]
    fn every_trigger_is_well_formed() {
        for def in concepts::CONCEPTS {
            assert!(!def.label.is_empty() && !def.triggers.is_empty(), "{}", def.id);
            for raw in def.triggers {
                let mut parts = raw.split('@');
                let word = parts.next().unwrap_or_default();
                assert!(!word.trim().is_empty(), "{}: {raw:?}", def.id);
                assert_eq!(word, normalize(word), "{}: {raw:?} is not in normal form", def.id);
                for group in parts {
                    assert!(group.split('|').all(|w| !w.is_empty()), "{}: {raw:?}", def.id);
                }
            }
        }
    }

    #[test]
    fn related_techniques_are_known_and_distinct() {
        let lx = lexicon();
        for (a, b) in concepts::RELATED {
            let (a, b) = (lx.index_of(a).expect("known concept"), lx.index_of(b).expect("known concept"));
            assert_ne!(a, b);
            assert!(lx.related(a).contains(&b) && lx.related(b).contains(&a));
        }
        // 注塑 and 挤出 are two techniques, no longer one concept.
        assert!(ids("注塑件").contains(&"injection_moulding") && !ids("注塑件").contains(&"extrusion"));
        assert!(ids("挤出机").contains(&"extrusion") && !ids("挤出机").contains(&"injection_moulding"));
        assert!(ids("锻造毛坯").contains(&"forging") && !ids("锻造毛坯").contains(&"casting"));
    }

    #[test]
    fn synonyms_are_words_of_one_concept() {
        let lx = lexicon();
        let mut seen = HashSet::new();
        for group in concepts::SYNONYMS {
            let mut shared: Option<HashSet<u16>> = None;
            for w in *group {
                assert!(seen.insert(*w), "{w} is in two groups");
                let found: HashSet<u16> = lx.triggers.iter().filter(|t| t.text == *w).map(|t| t.concept).collect();
                assert!(!found.is_empty(), "{w} is no trigger");
                shared = Some(shared.map_or(found.clone(), |s| s.intersection(&found).copied().collect()));
            }
            assert!(shared.is_some_and(|s| !s.is_empty()), "{group:?} share no concept");
        }
        assert!(lx.same_meaning("噪音", "噪声") && !lx.same_meaning("噪声", "噪声"));
        assert!(!lx.same_meaning("图纸", "有限元"));
    }

    #[test]
    fn every_context_group_must_match() {
        assert!(ids("人工挑颜色").contains(&"machine_vision"));
        assert!(!ids("人工挑出来").contains(&"machine_vision"));
    }

    #[test]
    fn latin_triggers_match_whole_words_only() {
        assert!(ids("EL检测").contains(&"pv_defects"));
        assert!(ids("PP外壳").contains(&"plastics"));
        assert!(!ids("做个app").contains(&"plastics"));
    }
}
