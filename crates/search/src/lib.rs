//! Full-text search for kexie: one tantivy index over every searchable kind (contents,
//! suggestions, needs, experts), with jieba Chinese segmentation.
//!
//! Texts are cut in jieba's search mode when indexed and in normal mode when queried (see
//! [`tokenizer`]), so "农业" finds "中国农业发展银行" and "简单" finds "安装简单". A query's
//! words are all required; hits are ranked by BM25 over the title (counting double), the body
//! and the tags, and come back with highlighted, HTML-escaped title and snippet.
//!
//! Segmentation can cut a sentence so that a word the user typed is not one of its words
//! ("人参与每个人的生活息息相关" is 人/参与/…). So that no document is lost that way, a recall
//! field also indexes every dictionary word of two characters or more at every position
//! (jieba's full mode). A query word in the dictionary matches wherever its characters occur,
//! as substring search would; a word jieba does not know matches where the dictionary words it
//! is made of all occur. Such matches count in `total` but score low, below documents that
//! have the word as a word. A single character matches only where it is a word on its own
//! (猫 does not find 熊猫).
//!
//! ```
//! use kexie_search::{Doc, Index, Kind, Query};
//! let index = Index::in_memory()?;
//! index.upsert(vec![Doc::new(Kind::Content, 1, "中国农业发展银行支持春耕", "贷款发放到户。")])?;
//! let hits = index.search(&Query::new("农业"))?;
//! assert_eq!(hits.total, 1);
//! assert_eq!(hits.hits[0].title_html, "中国<mark>农业</mark>发展银行支持春耕");
//! # Ok::<(), kexie_search::SearchError>(())
//! ```

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Mutex, MutexGuard};

use chrono::NaiveDate;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, TermQuery, TermSetQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocId, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
};

pub mod tokenizer;

/// Bumped whenever the schema, the analyzers or the query-independent index content change;
/// an on-disk index of another version (or another user dictionary) is rebuilt empty on open,
/// and the caller reindexes.
const SCHEMA_VERSION: u32 = 1;
const VERSION_FILE: &str = "kexie-search.version";
/// The writer's memory budget, shared by its indexing threads.
const WRITER_MEMORY: usize = 96 * 1024 * 1024;
/// `offset + limit` above this is refused: deep paging costs memory and time for nothing.
pub const MAX_WINDOW: usize = 10_000;
/// Longest body snippet, in bytes (about 120 Chinese characters).
const SNIPPET_BYTES: usize = 360;
/// Title matches count this much more than body matches.
const TITLE_BOOST: Score = 2.0;
const TAGS_BOOST: Score = 1.5;
/// Matches in the recall field (full mode) count this much.
const RECALL_BOOST: Score = 0.3;

/// What a document is. Stored as its [`Kind::as_str`] name, so kinds can be added without a
/// reindex of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Content,
    Suggestion,
    Need,
    Expert,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Content, Kind::Suggestion, Kind::Need, Kind::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Content => "content",
            Kind::Suggestion => "suggestion",
            Kind::Need => "need",
            Kind::Expert => "expert",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = SearchError;

    fn from_str(s: &str) -> Result<Self, SearchError> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| SearchError::UnknownKind(s.to_string()))
    }
}

/// One searchable record. `(kind, id)` is its identity: upserting the same pair replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    pub kind: Kind,
    pub id: i64,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    /// The region the record belongs to, for data-scope filtering ([`Query::regions`]).
    pub region_id: Option<i64>,
    /// Visible to the public (anonymous visitors), for [`Query::public_only`].
    pub public: bool,
    /// The record's workflow status ("published", "open", ...), for [`Query::status`].
    pub status: String,
    pub date: Option<NaiveDate>,
}

impl Doc {
    /// A public document with no tags, region, status or date.
    pub fn new(kind: Kind, id: i64, title: impl Into<String>, body: impl Into<String>) -> Doc {
        Doc {
            kind,
            id,
            title: title.into(),
            body: body.into(),
            tags: Vec::new(),
            region_id: None,
            public: true,
            status: String::new(),
            date: None,
        }
    }
}

/// A search request.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// What the user typed. Words are all required; punctuation and query syntax mean nothing.
    pub text: String,
    /// Only these kinds; empty means all.
    pub kinds: Vec<Kind>,
    /// `None`: no restriction. `Some(ids)`: only documents whose `region_id` is one of `ids`
    /// (documents without a region are then excluded).
    pub regions: Option<Vec<i64>>,
    /// Only documents marked public.
    pub public_only: bool,
    /// Only documents with exactly this status.
    pub status: Option<String>,
    /// Hits to return (at most [`MAX_WINDOW`] with `offset`); `total` counts all matches.
    pub limit: usize,
    pub offset: usize,
}

impl Query {
    /// All kinds, no filters, the first 10 hits.
    pub fn new(text: impl Into<String>) -> Query {
        Query {
            text: text.into(),
            kinds: Vec::new(),
            regions: None,
            public_only: false,
            status: None,
            limit: 10,
            offset: 0,
        }
    }
}

/// One ranked match. The HTML fields are escaped text with the matched words in `<mark>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub id: i64,
    pub score: f32,
    /// The whole title.
    pub title_html: String,
    /// The best passage of the body (about 120 characters), or its beginning when only the
    /// title or tags matched; "…" marks cut text.
    pub snippet_html: String,
}

/// A page of hits and the number of all matches.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Hits {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// What can go wrong; [`SearchError::code`] is stable for the UI and the API.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index files: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index directory: {0}")]
    OpenDirectory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search query: {0}")]
    Query(String),
    #[error("unknown search kind {0:?}")]
    UnknownKind(String),
}

impl SearchError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Index(_) | Self::Io(_) | Self::OpenDirectory(_) => "search_index",
            Self::Query(_) => "search_query",
            Self::UnknownKind(_) => "search_unknown_kind",
        }
    }
}

type Result<T, E = SearchError> = std::result::Result<T, E>;

#[derive(Clone, Copy)]
struct Fields {
    /// "kind:id", for replacing and deleting one document.
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    tags: Field,
    /// Title, body and tags in full mode (every dictionary word at every position).
    all: Field,
    region: Field,
    public: Field,
    status: Field,
    date: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer::SEARCH_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored { options.set_stored() } else { options }
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED | tantivy::schema::FAST),
        id: b.add_i64_field("id", INDEXED | STORED | tantivy::schema::FAST),
        title: b.add_text_field("title", text(true)),
        body: b.add_text_field("body", text(true)),
        tags: b.add_text_field("tags", text(false)),
        all: b.add_text_field(
            "all",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(tokenizer::ALL_TOKENIZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        ),
        region: b.add_i64_field("region_id", INDEXED),
        public: b.add_bool_field("public", INDEXED),
        status: b.add_text_field("status", STRING),
        date: b.add_date_field("date", INDEXED | tantivy::schema::FAST),
    };
    (b.build(), fields)
}

/// The version line written beside an on-disk index.
fn version_stamp() -> String {
    // FNV-1a of the user dictionary: a changed dictionary cuts texts differently.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in tokenizer::USER_DICT.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    format!("schema {SCHEMA_VERSION} dict {hash:016x}\n")
}

/// The search index. `Send + Sync`; share it in an `Arc`. Writes are serialized; searches run
/// concurrently and see every write that has returned.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    /// `None` only while [`Index::wait_for_merges`] swaps it.
    writer: Mutex<Option<IndexWriter>>,
    f: Fields,
}

impl fmt::Debug for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Index").field("docs", &self.len()).finish_non_exhaustive()
    }
}

impl Index {
    /// Opens the index in `dir` (created if missing). The directory belongs to the index: when
    /// it holds an index of another version, its contents are removed and it starts empty
    /// ([`Index::len`] is then 0, and the caller reindexes).
    pub fn open_or_create(dir: &Path) -> Result<Index> {
        std::fs::create_dir_all(dir)?;
        let (schema, fields) = schema();
        let stamp_path = dir.join(VERSION_FILE);
        let stamp = std::fs::read_to_string(&stamp_path).ok();
        let has_index = dir.join("meta.json").exists();
        let reusable = has_index
            && stamp.as_deref() == Some(version_stamp().as_str())
            && tantivy::Index::open_in_dir(dir).map(|i| i.schema() == schema).unwrap_or(false);
        if !reusable && (has_index || stamp.is_some()) {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() { std::fs::remove_dir_all(&path)? } else { std::fs::remove_file(&path)? }
            }
        }
        let index =
            if reusable { tantivy::Index::open_in_dir(dir)? } else { tantivy::Index::create_in_dir(dir, schema)? };
        std::fs::write(&stamp_path, version_stamp())?;
        Self::with_index(index, fields)
    }

    /// An index in memory, for tests and demos.
    pub fn in_memory() -> Result<Index> {
        let (schema, fields) = schema();
        Self::with_index(tantivy::Index::create_in_ram(schema), fields)
    }

    fn with_index(index: tantivy::Index, f: Fields) -> Result<Index> {
        for (name, analyzer) in tokenizer::analyzers() {
            index.tokenizers().register(name, analyzer);
        }
        tokenizer::warm_up();
        let writer = index.writer(WRITER_MEMORY)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Index { index, reader, writer: Mutex::new(Some(writer)), f })
    }

    fn writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        match self.writer.lock() {
            Ok(guard) => guard,
            Err(poisoned) => {
                // A write panicked half-way: drop whatever it had added before it died.
                let mut guard = poisoned.into_inner();
                if let Some(writer) = guard.as_mut() {
                    let _ = writer.rollback();
                }
                self.writer.clear_poison();
                guard
            }
        }
    }

    /// Runs `ops` on the writer and commits; on an error, nothing of it is applied.
    fn write(&self, ops: impl FnOnce(&IndexWriter, &Fields) -> tantivy::Result<()>) -> Result<()> {
        let mut guard = self.writer();
        if guard.is_none() {
            *guard = Some(self.index.writer(WRITER_MEMORY)?);
        }
        let Some(writer) = guard.as_mut() else { unreachable!() };
        let result = ops(writer, &self.f).and_then(|()| writer.commit().map(drop));
        if let Err(e) = result {
            let _ = writer.rollback();
            return Err(e.into());
        }
        self.reader.reload()?;
        Ok(())
    }

    /// Adds the documents, replacing any with the same `(kind, id)`, and commits: the next
    /// search sees them. One call is one commit, so batch a reindex into calls of thousands.
    pub fn upsert(&self, docs: Vec<Doc>) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        self.write(|writer, f| {
            for doc in docs {
                writer.delete_term(key_term(f, doc.kind, doc.id));
                writer.add_document(to_tantivy(f, doc))?;
            }
            Ok(())
        })
    }

    /// Removes one document (nothing happens when there is none) and commits.
    pub fn delete(&self, kind: Kind, id: i64) -> Result<()> {
        self.write(|writer, f| {
            writer.delete_term(key_term(f, kind, id));
            Ok(())
        })
    }

    /// Removes every document of one kind and commits, before a full reindex of that kind.
    pub fn clear_kind(&self, kind: Kind) -> Result<()> {
        self.write(|writer, f| {
            writer.delete_term(Term::from_field_text(f.kind, kind.as_str()));
            Ok(())
        })
    }

    /// Waits until the segments written so far have been merged in the background (after a
    /// bulk reindex: searches over fewer segments are faster, and the merges no longer compete
    /// with them for the processor).
    pub fn wait_for_merges(&self) -> Result<()> {
        let mut guard = self.writer();
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        *guard = Some(self.index.writer(WRITER_MEMORY)?);
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Number of documents searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One page of ranked, highlighted hits and the number of all matches. Text without any
    /// word (empty, punctuation) matches nothing.
    pub fn search(&self, q: &Query) -> Result<Hits> {
        if q.offset.saturating_add(q.limit) > MAX_WINDOW {
            return Err(SearchError::Query(format!("offset + limit is over {MAX_WINDOW}")));
        }
        let Some((query, words)) = self.build_query(q) else { return Ok(Hits::default()) };
        let searcher = self.reader.searcher();
        if q.limit == 0 {
            return Ok(Hits { total: searcher.search(&query, &Count)?, hits: Vec::new() });
        }
        let top = TopDocs::with_limit(q.limit).and_offset(q.offset).order_by_score();
        let (total, top) = searcher.search(&query, &(Count, top))?;
        if top.is_empty() {
            return Ok(Hits { total, hits: Vec::new() });
        }
        let (words, title_snippets) = self.snippet_generator(&words, self.f.title, usize::MAX / 2);
        let (_, body_snippets) = self.snippet_generator(&words, self.f.body, SNIPPET_BYTES);
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default();
            let kind = text(self.f.kind).parse()?;
            let id = doc.get_first(self.f.id).and_then(|v| v.as_i64()).unwrap_or_default();
            let (title, body) = (text(self.f.title), text(self.f.body));
            let title_snippet = title_snippets.snippet(title);
            let title_html = highlight(title, 0, 0..title.len(), &title_snippet);
            let snippet_html = body_snippet(&body_snippets, &words, body);
            hits.push(Hit { kind, id, score, title_html, snippet_html });
        }
        Ok(Hits { total, hits })
    }

    /// Every match of `q` (its text and filters; `limit` and `offset` are ignored), unranked:
    /// for exports and for measuring recall.
    pub fn search_keys(&self, q: &Query) -> Result<Vec<(Kind, i64)>> {
        let Some((query, _)) = self.build_query(q) else { return Ok(Vec::new()) };
        Ok(self.reader.searcher().search(&query, &KeysCollector)?)
    }

    /// The tantivy query for `q` and its words, or `None` when its text has no word (nothing
    /// matches).
    fn build_query(&self, q: &Query) -> Option<(BooleanQuery, Vec<String>)> {
        let f = &self.f;
        let words = required_words(&q.text);
        if words.is_empty() {
            return None;
        }
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
        for word in &words {
            clauses.push((Occur::Must, Box::new(self.word_query(word))));
        }
        let filter = |clauses: &mut Vec<_>, query: Box<dyn tantivy::query::Query>| {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)) as Box<dyn tantivy::query::Query>));
        };
        if !q.kinds.is_empty() {
            let terms = q.kinds.iter().map(|k| Term::from_field_text(f.kind, k.as_str()));
            filter(&mut clauses, Box::new(TermSetQuery::new(terms)));
        }
        if let Some(regions) = &q.regions {
            if regions.is_empty() {
                return None;
            }
            let terms = regions.iter().map(|r| Term::from_field_i64(f.region, *r));
            filter(&mut clauses, Box::new(TermSetQuery::new(terms)));
        }
        if q.public_only {
            filter(&mut clauses, term_query(Term::from_field_bool(f.public, true)));
        }
        if let Some(status) = &q.status {
            filter(&mut clauses, term_query(Term::from_field_text(f.status, status)));
        }
        Some((BooleanQuery::new(clauses), words))
    }

    /// Matches `word` wherever the recall field says its characters occur, scored by where it
    /// is a word: the title (boosted), the body or the tags.
    fn word_query(&self, word: &str) -> BooleanQuery {
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn tantivy::query::Query>)> = vec![
            (Occur::Should, Box::new(BoostQuery::new(term_query(Term::from_field_text(f.title, word)), TITLE_BOOST))),
            (Occur::Should, term_query(Term::from_field_text(f.body, word))),
            (Occur::Should, Box::new(BoostQuery::new(term_query(Term::from_field_text(f.tags, word)), TAGS_BOOST))),
        ];
        match tokenizer::dictionary_parts(word) {
            // Every document with the word has each part in the recall field: require them.
            Some(parts) => {
                let mut recall: Vec<(Occur, Box<dyn tantivy::query::Query>)> = Vec::new();
                for part in &parts {
                    let query = term_query(Term::from_field_text(f.all, part));
                    recall.push((Occur::Must, Box::new(BoostQuery::new(query, RECALL_BOOST))));
                }
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(recall))));
            }
            // A single character, Latin letters or digits, or a word with a single character
            // among its parts: matched where it is a word (Latin letters and digits are one
            // token in full mode too).
            None => {
                let query = term_query(Term::from_field_text(f.all, word));
                clauses.push((Occur::Should, Box::new(BoostQuery::new(query, RECALL_BOOST))));
            }
        }
        BooleanQuery::new(clauses)
    }

    /// Highlights the query's words (and the dictionary words inside a long one, which search
    /// mode cuts it into inside a longer word) where the text has them as words.
    /// Returns the highlighted words too.
    fn snippet_generator(&self, words: &[String], field: Field, max_bytes: usize) -> (Vec<String>, SnippetGenerator) {
        let mut terms = std::collections::BTreeMap::new();
        for word in words {
            terms.insert(word.clone(), 1.0);
            if word.chars().count() >= 4 {
                for part in tokenizer::covering_parts(word) {
                    terms.entry(part).or_insert(0.5);
                }
            }
        }
        let analyzer = TextAnalyzer::from(tokenizer::JiebaTokenizer::new(tokenizer::Mode::Search));
        (terms.keys().cloned().collect(), SnippetGenerator::new(terms, analyzer, field, max_bytes))
    }
}

fn term_query(term: Term) -> Box<dyn tantivy::query::Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

/// Function words that a query needs not contain ("如何预防糖尿病" requires 预防 and 糖尿病),
/// unless the query is nothing else.
const STOP_WORDS: &[&str] = &[
    "的", "地", "得", "了", "着", "过", "和", "与", "及", "或", "在", "是", "之", "等", "也", "都", "就", "把", "被",
    "对", "从", "向", "为", "以", "于", "而", "且", "并", "吗", "呢", "吧", "啊", "怎么", "怎样", "如何", "什么",
    "哪些",
];

fn required_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in tokenizer::query_words(text) {
        if !words.contains(&word) {
            words.push(word);
        }
    }
    if words.iter().any(|w| !STOP_WORDS.contains(&w.as_str())) {
        words.retain(|w| !STOP_WORDS.contains(&w.as_str()));
    }
    let glued = tokenizer::glued_characters(text);
    if words.iter().any(|w| !glued.contains(w)) {
        words.retain(|w| !glued.contains(w));
    }
    words
}

fn key_term(f: &Fields, kind: Kind, id: i64) -> Term {
    Term::from_field_text(f.key, &format!("{}:{id}", kind.as_str()))
}

fn to_tantivy(f: &Fields, doc: Doc) -> TantivyDocument {
    let mut d = TantivyDocument::default();
    d.add_text(f.key, format!("{}:{}", doc.kind.as_str(), doc.id));
    d.add_text(f.kind, doc.kind.as_str());
    d.add_i64(f.id, doc.id);
    d.add_text(f.all, &doc.title);
    d.add_text(f.all, &doc.body);
    for tag in &doc.tags {
        d.add_text(f.all, tag);
    }
    d.add_text(f.title, doc.title);
    d.add_text(f.body, doc.body);
    for tag in doc.tags {
        d.add_text(f.tags, tag);
    }
    if let Some(region) = doc.region_id {
        d.add_i64(f.region, region);
    }
    d.add_bool(f.public, doc.public);
    d.add_text(f.status, doc.status);
    if let Some(date) = doc.date {
        let secs = date.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp());
        d.add_date(f.date, tantivy::DateTime::from_timestamp_secs(secs));
    }
    d
}

/// The best passage of the body around the first place where a highlighted word occurs as a
/// word, or its beginning. Only windows around the first few places where its characters occur
/// are segmented: a whole long body would cost more than the search itself.
fn body_snippet(generator: &SnippetGenerator, words: &[String], body: &str) -> String {
    let lowered;
    let haystack = if words.iter().any(|w| w.bytes().any(|b| b.is_ascii_alphabetic())) {
        lowered = body.to_ascii_lowercase();
        lowered.as_str()
    } else {
        body
    };
    let mut places: Vec<usize> =
        words.iter().flat_map(|w| haystack.match_indices(w.as_str()).take(3).map(|(at, _)| at)).collect();
    places.sort_unstable();
    let mut searched_to = 0;
    let mut tries = 0;
    for at in places {
        if at < searched_to {
            continue;
        }
        tries += 1;
        if tries > 3 {
            break;
        }
        let start = floor_char_boundary(body, at.saturating_sub(SNIPPET_BYTES / 3));
        let end = floor_char_boundary(body, at + 2 * SNIPPET_BYTES);
        searched_to = end;
        let snippet = generator.snippet(&body[start..end]);
        if !snippet.is_empty() {
            // The fragment ends with its last word: keep the punctuation after it ("。").
            let range = snippet.fragment_range();
            let (from, to) = (start + range.start, start + range.end);
            let tail = body[to..].chars().take(8).take_while(|c| !c.is_alphanumeric());
            let to = to + tail.map(char::len_utf8).sum::<usize>();
            return highlight(body, start, from..to, &snippet);
        }
    }
    let end = body.char_indices().nth(SNIPPET_BYTES / 3).map_or(body.len(), |(i, _)| i);
    highlight(body, 0, 0..end, &tantivy::snippet::Snippet::empty())
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text[range]` HTML-escaped, with the snippet's highlights in `<mark>`, and "…" where text
/// was cut. The snippet was made from `text[offset..]`.
fn highlight(text: &str, offset: usize, range: std::ops::Range<usize>, snippet: &tantivy::snippet::Snippet) -> String {
    let base = offset + snippet.fragment_range().start;
    let mut marks: Vec<(usize, usize)> = snippet
        .highlighted()
        .iter()
        .map(|h| (base + h.start, base + h.end))
        .filter(|&(s, e)| s >= range.start && e <= range.end)
        .collect();
    marks.sort_unstable();
    let mut out = String::with_capacity(range.len() + 32);
    if range.start > 0 {
        out.push('…');
    }
    let mut at = range.start;
    let mut i = 0;
    while i < marks.len() {
        let (start, mut end) = marks[i];
        // Search mode yields overlapping words (农业, 农业发展银行): one mark covers them all.
        while i + 1 < marks.len() && marks[i + 1].0 <= end {
            i += 1;
            end = end.max(marks[i].1);
        }
        let start = start.max(at);
        escape_into(&text[at..start], &mut out);
        out.push_str("<mark>");
        escape_into(&text[start..end], &mut out);
        out.push_str("</mark>");
        at = end;
        i += 1;
    }
    escape_into(&text[at..range.end], &mut out);
    if range.end < text.len() {
        out.push('…');
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Collects `(kind, id)` of every match from the fast fields.
struct KeysCollector;

struct SegmentKeys {
    kinds: Option<StrColumn>,
    ids: Column<i64>,
    found: Vec<(u64, i64)>,
}

impl Collector for KeysCollector {
    type Fruit = Vec<(Kind, i64)>;
    type Child = SegmentKeys;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentKeys> {
        let fast = segment.fast_fields();
        Ok(SegmentKeys { kinds: fast.str("kind")?, ids: fast.i64("id")?, found: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Kind, i64)>>) -> tantivy::Result<Vec<(Kind, i64)>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentKeys {
    type Fruit = Vec<(Kind, i64)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let kind = self.kinds.as_ref().and_then(|k| k.ords().first(doc)).unwrap_or(u64::MAX);
        if let Some(id) = self.ids.first(doc) {
            self.found.push((kind, id));
        }
    }

    fn harvest(self) -> Vec<(Kind, i64)> {
        let mut kinds: HashMap<u64, Option<Kind>> = HashMap::new();
        let mut name = String::new();
        let mut out = Vec::with_capacity(self.found.len());
        for (ord, id) in self.found {
            let kind = *kinds.entry(ord).or_insert_with(|| {
                name.clear();
                let column = self.kinds.as_ref()?;
                column.ord_to_str(ord, &mut name).ok()?.then(|| name.parse().ok())?
            });
            if let Some(kind) = kind {
                out.push((kind, id));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
