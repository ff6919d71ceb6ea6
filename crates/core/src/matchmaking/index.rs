//! The expert index and the one scoring function every ranking goes through.
//!
//! Score of an expert for a need = BM25F over two kinds of terms, times a domain fit:
//! - terms: character bigrams and Latin words of the text, and lexicon concepts (so 噪音
//!   meets 噪声 and 白模 meets 消失模); concepts weigh more than bigrams because a concept
//!   match is a match of meaning; a related technique (挤出 for 注塑) counts at a fraction;
//! - fields: an expert's fields and keywords say what they do, their bio and achievements
//!   say it at length, so the short fields weigh three times as much;
//! - domain fit: the cosine between the need's domain profile (industry, kind, concepts of
//!   its text) and the expert's (concepts of their profile), which damps matches of a word in
//!   the wrong trade (色差 of dyed cloth vs of painted panels).
//!
//! Everything that depends on the collection (idf, average lengths) is computed when the
//! index is built; ranking a need adds up the postings of its terms.

use super::expert::{Expert, ExpertField};
use super::explanation::{Explanation, MatchedTerm, Via};
use super::lexicon::{self, DOMAINS, Domain, Hit, Lexicon};
use super::need::Need;
use super::rank::organisation_key;
use super::text::{Run, analyze, is_stop_bigram, normalize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// BM25 term-frequency saturation: the third mention of a term adds little.
const K1: f32 = 1.2;

/// Per field: (weight of n-gram terms, weight of concept terms, length normalisation b).
/// Institution names are read only for concepts ("纺织服装学院" says textiles; its bigrams
/// "南通", "大学" say nothing).
fn field_params(f: ExpertField) -> (f32, f32, f32) {
    match f {
        ExpertField::Fields => (3.0, 3.0, 0.3),
        ExpertField::Keywords => (3.0, 3.0, 0.3),
        ExpertField::Bio => (1.0, 1.0, 0.75),
        ExpertField::Achievements => (1.0, 1.0, 0.75),
        ExpertField::Institution => (0.0, 1.0, 0.0),
    }
}

/// How much each field says about an expert's domains. Achievements are left out: their
/// "(发明专利)" tags would make everyone a patent expert.
fn field_domain_weight(f: ExpertField) -> f32 {
    match f {
        ExpertField::Fields | ExpertField::Keywords => 2.0,
        ExpertField::Institution => 1.5,
        ExpertField::Bio => 1.0,
        ExpertField::Achievements => 0.0,
    }
}

/// A need's title states the problem; the body adds context and filler.
const TITLE_WEIGHT: f32 = 1.5;
/// A concept match is a match of meaning, across wording; a bigram may be a coincidence.
const CONCEPT_WEIGHT: f32 = 2.0;
/// Concepts implied by the need's kind alone, without any word for them in the text.
const KIND_CONCEPT_WEIGHT: f32 = 1.0;
/// A related technique (`lexicon::RELATED`) against the concept itself: a 注塑 need is served
/// in part by an extrusion expert, well below one who knows 注塑.
const RELATED_SHARE: f32 = 0.4;
/// Domain profile of a need: its industry prior, its kind, concepts in its own text.
const INDUSTRY_DOMAIN_WEIGHT: f32 = 1.5;
const KIND_DOMAIN_WEIGHT: f32 = 2.0;
/// An enterprise's name often says its trade (华纶织造, 恒达精细化工): a hint, not a topic.
const ENTERPRISE_DOMAIN_WEIGHT: f32 = 0.5;
/// The share of a lexical score kept when the domains do not meet at all. Not zero: the
/// lexicon does not know every trade, and a strong word match across domains still counts.
const DOMAIN_FLOOR: f32 = 0.35;
/// Added to every score in proportion to the domain fit, small enough to never outweigh a
/// real word match: among experts the words do not separate (often most of the pool), those
/// of the right trade come first rather than those with the smallest id.
const DOMAIN_BONUS: f32 = 0.01;
/// The fit assumed when the lexicon finds no domain at all in a profile or a need (a trade it
/// does not know): neither a match nor a mismatch.
const UNKNOWN_FIT: f32 = 0.5;

/// One expert's weight for one term.
#[derive(Debug, Clone, Copy)]
struct Posting {
    expert: u32,
    /// idf × saturated, length-normalised, field-weighted frequency.
    weight: f32,
    /// `ExpertField::bit`s of the fields the term occurs in.
    fields: u8,
}

struct Indexed {
    id: String,
    /// For the rule that excludes experts of the enterprise's own institution.
    institution_key: String,
    /// Every trigger that found each concept, sorted by concept: the expert's side of a
    /// concept match in an explanation.
    evidence: Vec<(u16, u16)>,
    domains: [f32; DOMAINS],
}

/// Every expert, analysed once. Rebuild it when profiles change (about 0.1 ms per profile).
pub struct ExpertIndex {
    experts: Vec<Indexed>,
    /// Per term id, the experts that have it, by position: ranking a need touches only the
    /// postings of its own terms.
    postings: Vec<Vec<Posting>>,
    /// Bigrams and words; their term ids follow the lexicon's concepts.
    vocab: HashMap<String, u32>,
    idf: Vec<f32>,
    lexicon: &'static Lexicon,
}

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Key {
    Concept(u16),
    Word(String),
}

/// One expert's term frequencies per field before the collection statistics are known.
struct Counted {
    tf: HashMap<Key, [u16; 5]>,
    lengths: [f32; 5],
    evidence: Vec<(u16, u16)>,
    domains: [f32; DOMAINS],
}

fn field_slot(f: ExpertField) -> usize {
    f as usize
}

fn count(expert: &Expert, lx: &Lexicon) -> Counted {
    let texts = expert.texts().map(|(f, t)| (f, normalize(&t)));
    let document: String = texts.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("；");
    let mut tf: HashMap<Key, [u16; 5]> = HashMap::new();
    let mut lengths = [0f32; 5];
    let mut evidence: BTreeSet<(u16, u16)> = BTreeSet::new();
    // Ordered maps wherever floats are summed: the same input must give the same bits in
    // every process, or exact ties could break differently from run to run.
    let mut domain_weight: BTreeMap<u16, f32> = BTreeMap::new();
    for (field, text) in &texts {
        let slot = field_slot(*field);
        let mut bump = |key: Key| {
            let c = &mut tf.entry(key).or_insert([0; 5])[slot];
            *c = c.saturating_add(1);
        };
        if field_params(*field).0 > 0.0 {
            let (runs, words) = analyze(text);
            for run in &runs {
                for i in 0..run.bigram_count() {
                    let gram = run.bigram(i);
                    if !is_stop_bigram(&gram) {
                        bump(Key::Word(gram));
                        lengths[slot] += 1.0;
                    }
                }
            }
            for w in words {
                bump(Key::Word(w));
                lengths[slot] += 1.0;
            }
        }
        for Hit { concept, trigger } in lx.find(text, &document) {
            bump(Key::Concept(concept));
            evidence.insert((concept, trigger));
            let w = domain_weight.entry(concept).or_insert(0.0);
            *w = w.max(field_domain_weight(*field));
        }
    }
    let mut domains = [0f32; DOMAINS];
    for (concept, w) in domain_weight {
        for d in lx.concept(concept).domains {
            domains[*d as usize] += w;
        }
    }
    Counted { tf, lengths, evidence: evidence.into_iter().collect(), domains: unit(domains) }
}

fn unit(mut v: [f32; DOMAINS]) -> [f32; DOMAINS] {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

fn is_zero(v: &[f32; DOMAINS]) -> bool {
    v.iter().all(|x| *x == 0.0)
}

fn bm25_idf(n: usize, df: usize) -> f32 {
    let (n, df) = (n as f32, df as f32);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

impl ExpertIndex {
    pub fn new(experts: &[Expert]) -> Self {
        let lx = lexicon::lexicon();
        let counted: Vec<Counted> = experts.iter().map(|e| count(e, lx)).collect();
        let n = experts.len();

        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<usize> = vec![0; lx.len()];
        let term_of = |key: &Key, vocab: &mut HashMap<String, u32>, df: &mut Vec<usize>| match key {
            Key::Concept(c) => u32::from(*c),
            Key::Word(w) => *vocab.entry(w.clone()).or_insert_with(|| {
                df.push(0);
                df.len() as u32 - 1
            }),
        };
        let mut avg_len = [0f32; 5];
        for c in &counted {
            // Sorted, so term ids (and with them the order of every sum) do not depend on
            // hashing.
            let mut keys: Vec<&Key> = c.tf.keys().collect();
            keys.sort_unstable();
            for key in keys {
                let t = term_of(key, &mut vocab, &mut df);
                df[t as usize] += 1;
            }
            for (a, l) in avg_len.iter_mut().zip(c.lengths) {
                *a += l;
            }
        }
        for a in &mut avg_len {
            *a = if n > 0 { (*a / n as f32).max(1.0) } else { 1.0 };
        }
        let idf: Vec<f32> = df.iter().map(|&d| bm25_idf(n, d)).collect();

        // Experts in order, so every posting list is sorted by expert.
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); idf.len()];
        let mut indexed = Vec::with_capacity(n);
        for (pos, (e, c)) in experts.iter().zip(counted).enumerate() {
            for (key, tfs) in &c.tf {
                let term = match key {
                    Key::Concept(ci) => u32::from(*ci),
                    Key::Word(w) => vocab[w],
                };
                let mut wtf = 0.0;
                let mut fields = 0u8;
                for f in ExpertField::ALL {
                    let s = field_slot(f);
                    if tfs[s] == 0 {
                        continue;
                    }
                    fields |= f.bit();
                    let (gram_w, concept_w, b) = field_params(f);
                    let w = if matches!(key, Key::Concept(_)) { concept_w } else { gram_w };
                    let norm = 1.0 - b + b * c.lengths[s] / avg_len[s];
                    wtf += w * f32::from(tfs[s]) / norm;
                }
                let weight = idf[term as usize] * wtf * (K1 + 1.0) / (wtf + K1);
                postings[term as usize].push(Posting { expert: pos as u32, weight, fields });
            }
            indexed.push(Indexed {
                id: e.id.clone(),
                institution_key: organisation_key(&e.institution),
                evidence: c.evidence,
                domains: c.domains,
            });
        }
        ExpertIndex { experts: indexed, postings, vocab, idf, lexicon: lx }
    }

    pub fn len(&self) -> usize {
        self.experts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.experts.is_empty()
    }

    pub(crate) fn id(&self, pos: usize) -> &str {
        &self.experts[pos].id
    }

    pub(crate) fn institution_key(&self, pos: usize) -> &str {
        &self.experts[pos].institution_key
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.experts.iter().position(|e| e.id == id)
    }

    /// A need read as a query against this collection.
    pub fn query(&self, need: &Need) -> Query {
        let lx = self.lexicon;
        let title = normalize(&need.title);
        let body = normalize(&need.body);
        let enterprise = normalize(&need.enterprise);
        let document = format!("{}；{}；{}；{}", normalize(&need.industry), enterprise, title, body);

        let mut weights: HashMap<u32, f32> = HashMap::new();
        let mut runs = Vec::new();
        let mut words = Vec::new();
        for (text, w) in [(&title, TITLE_WEIGHT), (&body, 1.0)] {
            let (text_runs, text_words) = analyze(text);
            for run in text_runs {
                let terms: Vec<Option<u32>> = (0..run.bigram_count())
                    .map(|i| {
                        let gram = run.bigram(i);
                        if is_stop_bigram(&gram) { None } else { self.vocab.get(&gram).copied() }
                    })
                    .collect();
                for t in terms.iter().flatten() {
                    *weights.entry(*t).or_insert(0.0) += w;
                }
                runs.push(QueryRun { words: run.words(), run, terms });
            }
            for word in text_words {
                if let Some(&t) = self.vocab.get(&word) {
                    *weights.entry(t).or_insert(0.0) += w;
                    words.push((word, t));
                }
            }
        }
        let mut terms: Vec<QueryTerm> =
            weights.into_iter().map(|(term, w)| QueryTerm { term, weight: w.sqrt(), concept: None }).collect();

        let mut domains = [0f32; DOMAINS];
        let (kind_domain, industry_share) = lexicon::kind_domain(need.kind);
        if let Some(ind) = lexicon::industry(&need.industry) {
            for (d, w) in ind.domains {
                domains[*d as usize] += INDUSTRY_DOMAIN_WEIGHT * industry_share * w;
            }
        }
        if let Some(d) = kind_domain {
            domains[d as usize] += KIND_DOMAIN_WEIGHT;
        }
        for Hit { concept, .. } in lx.find(&enterprise, &document) {
            add_domains(&mut domains, lx, concept, ENTERPRISE_DOMAIN_WEIGHT);
        }

        let mut concepts: BTreeMap<u16, (f32, Vec<u16>)> = BTreeMap::new();
        for (text, w) in [(&title, TITLE_WEIGHT), (&body, 1.0)] {
            for Hit { concept, trigger } in lx.find(text, &document) {
                let e = concepts.entry(concept).or_insert((0.0, Vec::new()));
                e.0 += w;
                if !e.1.contains(&trigger) {
                    e.1.push(trigger);
                }
            }
        }
        for (&concept, (w, _)) in &concepts {
            add_domains(&mut domains, lx, concept, w.sqrt());
        }
        let mut concept_weights: HashMap<u16, f32> =
            concepts.iter().map(|(&c, (w, _))| (c, CONCEPT_WEIGHT * w.sqrt())).collect();
        for id in lexicon::kind_concepts(need.kind) {
            let c = lx.index_of(id).expect("kind concepts are in the lexicon");
            *concept_weights.entry(c).or_insert(0.0) += KIND_CONCEPT_WEIGHT;
        }
        // Related techniques the need does not name itself, each through its strongest source.
        let mut related: BTreeMap<u16, (f32, u16)> = BTreeMap::new();
        for (&c, (w, _)) in &concepts {
            for &r in lx.related(c) {
                let weight = RELATED_SHARE * CONCEPT_WEIGHT * w.sqrt();
                if !concept_weights.contains_key(&r) && related.get(&r).is_none_or(|e| e.0 < weight) {
                    related.insert(r, (weight, c));
                }
            }
        }
        for (r, (weight, from)) in related {
            let triggers = concepts[&from].1.clone();
            terms.push(QueryTerm {
                term: u32::from(r),
                weight,
                concept: Some(ConceptSource { triggers, related_to: Some(from) }),
            });
        }
        for (c, weight) in concept_weights {
            terms.push(QueryTerm {
                term: u32::from(c),
                weight,
                concept: Some(ConceptSource {
                    triggers: concepts.remove(&c).map(|(_, t)| t).unwrap_or_default(),
                    related_to: None,
                }),
            });
        }
        terms.sort_unstable_by_key(|t| t.term);
        // What the need itself names: a related technique is a consolation, not part of the
        // best possible match.
        let norm = terms
            .iter()
            .filter(|t| t.concept.as_ref().is_none_or(|c| c.related_to.is_none()))
            .map(|t| t.weight * self.idf[t.term as usize] * (K1 + 1.0))
            .sum::<f32>()
            .max(f32::EPSILON);
        Query { terms, runs, words, domains: unit(domains), norm, enterprise_key: organisation_key(&need.enterprise) }
    }

    /// Lexical score (before domain fit) of expert `pos`, calling `each` for every match.
    /// Sums in query-term order, as `scores` does, so both give the same bits.
    fn matches(&self, q: &Query, pos: usize, mut each: impl FnMut(&QueryTerm, &Posting)) -> f32 {
        let mut sum = 0f32;
        for qt in &q.terms {
            let list = &self.postings[qt.term as usize];
            if let Ok(i) = list.binary_search_by_key(&(pos as u32), |p| p.expert) {
                sum += qt.weight * list[i].weight;
                each(qt, &list[i]);
            }
        }
        sum
    }

    fn domain_fit(&self, q: &Query, pos: usize) -> f32 {
        let e = &self.experts[pos].domains;
        if is_zero(e) || is_zero(&q.domains) {
            return UNKNOWN_FIT;
        }
        q.domains.iter().zip(e).map(|(a, b)| a * b).sum::<f32>().clamp(0.0, 1.0)
    }

    fn multiplier(fit: f32) -> f32 {
        DOMAIN_FLOOR + (1.0 - DOMAIN_FLOOR) * fit
    }

    fn finish(&self, q: &Query, pos: usize, lexical: f32) -> f64 {
        let fit = self.domain_fit(q, pos);
        f64::from(lexical * Self::multiplier(fit) / q.norm + DOMAIN_BONUS * fit)
    }

    /// The relevance of expert `pos` for the query: about 0..1, comparable across needs.
    pub fn score(&self, q: &Query, pos: usize) -> f64 {
        self.finish(q, pos, self.matches(q, pos, |_, _| {}))
    }

    /// `score` of every expert, by position, walking only the postings of the query's terms.
    pub fn scores(&self, q: &Query) -> Vec<f64> {
        let mut lexical = vec![0f32; self.experts.len()];
        for qt in &q.terms {
            for p in &self.postings[qt.term as usize] {
                lexical[p.expert as usize] += qt.weight * p.weight;
            }
        }
        lexical.into_iter().enumerate().map(|(pos, l)| self.finish(q, pos, l)).collect()
    }

    /// Why expert `pos` scored what it did: the same computation as `score`, itemised. Word
    /// matches are shown as whole words of the need (and runs of them); character pairs that
    /// make no whole word (个大 of 这个大问题) count in the score as `scattered`, unshown.
    pub fn explain(&self, q: &Query, pos: usize) -> Explanation {
        let lx = self.lexicon;
        let fit = self.domain_fit(q, pos);
        let scale = Self::multiplier(fit) / q.norm;
        let mut grams: HashMap<u32, (f32, u8)> = HashMap::new();
        let mut matched: Vec<(MatchedTerm, u8)> = Vec::new();
        // Concepts met through the very same word on both sides: word matches, added below.
        let mut same_words: Vec<(String, f32, u8)> = Vec::new();
        let expert = &self.experts[pos];
        self.matches(q, pos, |qt, en| {
            let weight = qt.weight * en.weight * scale;
            let Some(src) = &qt.concept else {
                grams.insert(qt.term, (weight, en.fields));
                return;
            };
            let concept = lx.concept(qt.term as u16);
            let mut need_words: Vec<String> = Vec::new();
            for t in &src.triggers {
                let w = lx.trigger_text(*t);
                if !need_words.iter().any(|x| x == w) {
                    need_words.push(w.to_string());
                }
            }
            let from = expert.evidence.partition_point(|(c, _)| u32::from(*c) < qt.term);
            let expert_words: Vec<&str> = expert.evidence[from..]
                .iter()
                .take_while(|(c, _)| u32::from(*c) == qt.term)
                .map(|(_, t)| lx.trigger_text(*t))
                .collect();
            let via = match src.related_to {
                _ if need_words.is_empty() => Via::NeedKind { concept: concept.id },
                Some(need_concept) => Via::Related {
                    concept: concept.id,
                    need_concept: lx.concept(need_concept).id,
                    need_words,
                    expert_word: expert_words.first().map(|w| w.to_string()).unwrap_or_default(),
                },
                None => {
                    if let Some(same) = need_words.iter().find(|w| expert_words.contains(&w.as_str())) {
                        same_words.push((same.clone(), weight, en.fields));
                        return;
                    }
                    let synonym = need_words.iter().find_map(|n| {
                        expert_words.iter().find(|x| lx.same_meaning(n, x)).map(|x| (n.clone(), x.to_string()))
                    });
                    match synonym {
                        Some((need_word, expert_word)) => {
                            Via::Synonym { concept: concept.id, need_words: vec![need_word], expert_word }
                        }
                        None => Via::Concept {
                            concept: concept.id,
                            need_words,
                            expert_word: expert_words.first().map(|w| w.to_string()).unwrap_or_default(),
                        },
                    }
                }
            };
            let term =
                MatchedTerm { text: concept.label.to_string(), via, fields: Vec::new(), weight: f64::from(weight) };
            matched.push((term, en.fields));
        });
        // Whole words of the need whose every character pair the expert has, joined into one
        // phrase with their neighbours when the pair across the seam matched too ("印染废水").
        for QueryRun { run, terms, words } in &q.runs {
            let hit = |i: usize, grams: &HashMap<u32, (f32, u8)>| terms[i].is_some_and(|t| grams.contains_key(&t));
            let whole = |k: usize, grams: &HashMap<u32, (f32, u8)>| {
                let (s, e) = words[k];
                e - s >= 2 && (s..e - 1).all(|i| hit(i, grams))
            };
            let mut k = 0;
            while k < words.len() {
                if !whole(k, &grams) {
                    k += 1;
                    continue;
                }
                let start = k;
                while k + 1 < words.len() && whole(k + 1, &grams) && hit(words[k].1 - 1, &grams) {
                    k += 1;
                }
                let (first, last) = (words[start].0, words[k].1 - 2);
                let (mut weight, mut mask) = (0f32, 0u8);
                for t in terms[first..=last].iter().flatten() {
                    if let Some((w, m)) = grams.remove(t) {
                        weight += w;
                        mask |= m;
                    }
                }
                if weight > 0.0 {
                    let text = run.phrase(first, last);
                    matched.push((words_term(text, weight), mask));
                }
                k += 1;
            }
        }
        for (word, t) in &q.words {
            if let Some((w, m)) = grams.remove(t) {
                matched.push((words_term(word.clone(), w), m));
            }
        }
        // A phrase holding the word already says where it was found; the concept's fields may
        // come from its other words.
        for (text, weight, mask) in same_words {
            match matched.iter_mut().find(|(t, _)| t.via == Via::Words && t.text.contains(&text)) {
                Some((t, _)) => t.weight += f64::from(weight),
                None => matched.push((words_term(text, weight), mask)),
            }
        }
        let scattered = grams.values().fold(0f32, |sum, (w, _)| sum + w);
        let mut terms: Vec<MatchedTerm> =
            matched.into_iter().map(|(t, mask)| MatchedTerm { fields: fields_of(mask), ..t }).collect();
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight).then_with(|| a.text.cmp(&b.text)));
        let shared_domains = Domain::ALL
            .into_iter()
            .filter(|d| q.domains[*d as usize] > 0.0 && expert.domains[*d as usize] > 0.0)
            .collect();
        Explanation {
            terms,
            scattered: f64::from(scattered),
            domain_fit: f64::from(fit),
            domain_bonus: f64::from(DOMAIN_BONUS * fit),
            shared_domains,
        }
    }
}

fn words_term(text: String, weight: f32) -> MatchedTerm {
    MatchedTerm { text, via: Via::Words, fields: Vec::new(), weight: f64::from(weight) }
}

fn add_domains(domains: &mut [f32; DOMAINS], lx: &Lexicon, concept: u16, w: f32) {
    for d in lx.concept(concept).domains {
        domains[*d as usize] += w;
    }
}

fn fields_of(mask: u8) -> Vec<ExpertField> {
    ExpertField::ALL.into_iter().filter(|f| mask & f.bit() != 0).collect()
}

struct ConceptSource {
    /// Triggers found in the need's text; empty when only the need's kind implied it. For a
    /// related technique, those of the need's own concept.
    triggers: Vec<u16>,
    /// The need's concept this one is a related technique of.
    related_to: Option<u16>,
}

struct QueryTerm {
    term: u32,
    weight: f32,
    concept: Option<ConceptSource>,
}

/// A run of the need's text: its bigrams' term ids (`None`: a stop pair or unknown to the
/// collection) and its words.
struct QueryRun {
    run: Run,
    terms: Vec<Option<u32>>,
    words: Vec<(usize, usize)>,
}

/// A need analysed against one index. Build it once and score every expert with it.
pub struct Query {
    terms: Vec<QueryTerm>,
    runs: Vec<QueryRun>,
    words: Vec<(String, u32)>,
    domains: [f32; DOMAINS],
    /// The most the query could score, so scores are comparable across needs.
    norm: f32,
    enterprise_key: String,
}

impl Query {
    /// For the own-institution rule.
    pub(crate) fn enterprise_key(&self) -> &str {
        &self.enterprise_key
    }
}
