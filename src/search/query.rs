//! Turning a request into a tantivy query: the user's text through tantivy's query language
//! (errors reported with their position, never silently dropped), filters built in code.
//!
//! A word followed by `~1` or `~2` (`minerls~1`) is fuzzy: tantivy's parser reads the number as
//! a phrase slop and ignores it on a single word, so such queries are converted here, each fuzzy
//! word becoming the BM25-scored union of the indexed words within that many edits (see
//! [`super::suggest`]) and every other part going through tantivy's parser.

use std::ops::Bound;
use std::sync::Mutex;

use jiff::Timestamp;
use tantivy::index::SegmentId;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;
use tantivy::{DateTime, Searcher, Term};

use super::{Filters, NameForms, SearchError, suggest};
use crate::index::copies;
use crate::index::schema::Fields;

/// Title matches weigh this much more than body matches.
const TITLE_BOOST: f32 = 2.5;
/// Dek matches weigh this much more than body matches.
const SUBTITLE_BOOST: f32 = 1.5;

/// Most indexed words a fuzzy word stands for (the most frequent are kept).
const FUZZY_EXPANSIONS: usize = 50;

/// The structure of a parsed query, kept for `--explain`: which clauses are summed, which are
/// boosted, and the leaves tantivy scores (a word or phrase in one field, or a fuzzy word).
pub enum Node {
    /// Clauses of a boolean query.
    Bool(Vec<(Occur, Node)>),
    /// A boosted part of the query (`^N`, or a field's boost).
    Boost(Box<Node>, f32),
    /// A query tantivy scores as one part.
    Leaf(Box<dyn Query>),
}

impl Node {
    /// The tantivy query of this tree.
    pub fn to_query(&self) -> Box<dyn Query> {
        match self {
            Node::Bool(clauses) => Box::new(BooleanQuery::new(
                clauses
                    .iter()
                    .map(|(occur, node)| (*occur, node.to_query()))
                    .collect(),
            )),
            Node::Boost(node, boost) => Box::new(BoostQuery::new(node.to_query(), *boost)),
            Node::Leaf(query) => query.box_clone(),
        }
    }
}

/// Parses the user's query text. Empty text (or `*`) matches every article (and no copy, see
/// [`crate::index::copies`]; a query with words cannot match a copy, which holds no text).
pub fn parse_text(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
) -> Result<Box<dyn Query>, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(crate::index::copies::all_articles(fields));
    }
    let ast = user_ast(text)?;
    if !has_fuzzy(&ast) {
        let parser = parser(searcher, fields, &fields_in_use(searcher, fields));
        return parser
            .parse_query(text)
            .map_err(|error| syntax(text, error));
    }
    Ok(parse_tree(searcher, fields, text)?.to_query())
}

/// Parses the user's query text into a [`Node`] tree that scores as [`parse_text`]'s query does:
/// a word on the default fields becomes one leaf per field, boosted by the field's boost.
pub fn parse_tree(searcher: &Searcher, fields: &Fields, text: &str) -> Result<Node, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Node::Leaf(crate::index::copies::all_articles(fields)));
    }
    let ast = user_ast(text)?;
    let default_fields = fields_in_use(searcher, fields);
    let per_field = default_fields
        .iter()
        .map(|&field| (field, parser(searcher, fields, &[field])))
        .collect();
    let converter = Converter {
        searcher,
        fields,
        parser: parser(searcher, fields, &default_fields),
        per_field,
        text,
    };
    converter.convert(ast).map_err(|error| match error {
        Converted::Parser(error) => syntax(text, error),
        Converted::Search(error) => error,
    })
}

/// The default text fields that hold terms in at least one segment (all of them in an empty
/// index). A field no article fills, such as the dek of an archive without deks, adds nothing
/// to a query, but opening its empty dictionary costs a command-line search a tenth of its
/// instructions. The answer is kept for the last set of segments seen, so a server asks once
/// per commit.
pub(crate) fn fields_in_use(searcher: &Searcher, fields: &Fields) -> Vec<Field> {
    static LAST: Mutex<Option<(Vec<SegmentId>, Vec<Field>)>> = Mutex::new(None);
    let segments: Vec<SegmentId> = searcher
        .segment_readers()
        .iter()
        .map(|segment| segment.segment_id())
        .collect();
    if let Ok(last) = LAST.lock()
        && let Some((seen, in_use)) = &*last
        && *seen == segments
    {
        return in_use.clone();
    }
    let in_use = scan_fields_in_use(searcher, fields.query_fields());
    if let Ok(mut last) = LAST.lock() {
        *last = Some((segments, in_use.clone()));
    }
    in_use
}

fn scan_fields_in_use(searcher: &Searcher, all: Vec<Field>) -> Vec<Field> {
    let names: Vec<&str> = all
        .iter()
        .map(|&field| searcher.schema().get_field_name(field))
        .collect();
    let mut in_use = vec![false; all.len()];
    for segment in searcher.segment_readers() {
        if !in_use.contains(&false) {
            break;
        }
        let Ok(metadata) = segment.fields_metadata() else {
            return all;
        };
        for meta in metadata {
            let has_terms = meta.postings_size.is_some_and(|size| size.get_bytes() > 0);
            if let Some(i) = names.iter().position(|name| *name == meta.field_name) {
                in_use[i] |= has_terms;
            }
        }
    }
    if !in_use.contains(&true) {
        return all;
    }
    all.into_iter()
        .zip(in_use)
        .filter_map(|(field, used)| used.then_some(field))
        .collect()
}

/// The syntax tree of the user's query text, or the first syntax error with its position.
fn user_ast(text: &str) -> Result<UserInputAst, SearchError> {
    let (ast, errors) = tantivy::query_grammar::parse_query_lenient(text);
    match errors.first() {
        Some(error) => Err(SearchError::Syntax {
            query: text.to_string(),
            position: error.pos.min(text.len()),
            message: error.message.clone(),
        }),
        None => Ok(ast),
    }
}

/// A parser error as a syntax error of `text`, with the position of a missing field.
fn syntax(text: &str, error: tantivy::query::QueryParserError) -> SearchError {
    let message = error.to_string();
    let position = match &error {
        tantivy::query::QueryParserError::FieldDoesNotExist(field) => {
            text.find(&format!("{field}:")).unwrap_or(0)
        }
        _ => 0,
    };
    SearchError::Syntax {
        query: text.to_string(),
        position,
        message,
    }
}

/// tantivy's query parser with `default_fields`, words AND-ed, title and dek boosted.
fn parser(searcher: &Searcher, fields: &Fields, default_fields: &[Field]) -> QueryParser {
    let mut parser = QueryParser::for_index(searcher.index(), default_fields.to_vec());
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST);
    parser.set_field_boost(fields.subtitle, SUBTITLE_BOOST);
    parser
}

/// A fuzzy word: the word, its distance, the field it names.
struct Fuzzy<'a> {
    word: &'a str,
    distance: u32,
    field: Option<&'a str>,
}

/// A single word (not a phrase, not a prefix) with a `~N`. tantivy's grammar reads `word~1` as
/// one word `word~1`, and `"word"~1` as a phrase with a slop.
fn fuzzy_literal(leaf: &UserInputLeaf) -> Option<Fuzzy<'_>> {
    let UserInputLeaf::Literal(literal) = leaf else {
        return None;
    };
    if literal.prefix || literal.delimiter == Delimiter::SingleQuotes {
        return None;
    }
    let field = literal.field_name.as_deref();
    if literal.delimiter == Delimiter::None && literal.slop > 0 {
        return Some(Fuzzy {
            word: &literal.phrase,
            distance: literal.slop,
            field,
        });
    }
    let (word, distance) = literal.phrase.rsplit_once('~')?;
    let single = !word.is_empty() && !word.contains(char::is_whitespace);
    match distance.parse() {
        Ok(distance) if single && literal.delimiter == Delimiter::None => Some(Fuzzy {
            word,
            distance,
            field,
        }),
        _ => None,
    }
}

fn has_fuzzy(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, ast)| has_fuzzy(ast)),
        UserInputAst::Boost(ast, _) => has_fuzzy(ast),
        UserInputAst::Leaf(leaf) => fuzzy_literal(leaf).is_some(),
    }
}

/// Why converting a query with fuzzy words failed.
enum Converted {
    Parser(tantivy::query::QueryParserError),
    Search(SearchError),
}

/// Builds the query of a parsed text holding fuzzy words.
struct Converter<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    parser: QueryParser,
    /// A parser per default field, whose only default field it is.
    per_field: Vec<(Field, QueryParser)>,
    text: &'a str,
}

impl Converter<'_> {
    fn convert(&self, ast: UserInputAst) -> Result<Node, Converted> {
        match ast {
            UserInputAst::Clause(clauses) => {
                let mut nodes = Vec::with_capacity(clauses.len() + 1);
                for (occur, ast) in clauses {
                    nodes.push((occur.unwrap_or(Occur::Must), self.convert(ast)?));
                }
                if nodes.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    nodes.push((Occur::Must, Node::Leaf(copies::all_articles(self.fields))));
                }
                Ok(Node::Bool(nodes))
            }
            UserInputAst::Boost(ast, boost) => Ok(Node::Boost(
                Box::new(self.convert(*ast)?),
                boost.into_inner() as f32,
            )),
            UserInputAst::Leaf(leaf) => {
                if let Some(fuzzy) = fuzzy_literal(&leaf) {
                    return self
                        .fuzzy(&fuzzy)
                        .map(Node::Leaf)
                        .map_err(Converted::Search);
                }
                let on_default_fields = matches!(&*leaf, UserInputLeaf::Literal(literal) if literal.field_name.is_none());
                if !on_default_fields {
                    return self
                        .parser
                        .build_query_from_user_input_ast(UserInputAst::Leaf(leaf))
                        .map(Node::Leaf)
                        .map_err(Converted::Parser);
                }
                let mut alternatives = Vec::with_capacity(self.per_field.len());
                // Each field's query carries the field's boost (a leaf: `--explain` reads the
                // boost from tantivy's explanation of it).
                for (_, parser) in &self.per_field {
                    let query = parser
                        .build_query_from_user_input_ast(UserInputAst::Leaf(leaf.clone()))
                        .map_err(Converted::Parser)?;
                    alternatives.push((Occur::Should, Node::Leaf(query)));
                }
                Ok(Node::Bool(alternatives))
            }
        }
    }

    /// The union of the indexed words within `~N` edits of a word, each scored by BM25 with its
    /// field's boost.
    fn fuzzy(&self, fuzzy: &Fuzzy) -> Result<Box<dyn Query>, SearchError> {
        let fields = self.fields;
        let position = self
            .text
            .find(&format!("{}~{}", fuzzy.word, fuzzy.distance))
            .map_or(0, |at| at + fuzzy.word.len());
        if fuzzy.distance == 0 || fuzzy.distance > u32::from(suggest::MAX_DISTANCE) {
            return Err(SearchError::Syntax {
                query: self.text.to_string(),
                position,
                message: format!(
                    "a fuzzy word allows 1 or 2 edits (`{}~2`), not {}",
                    fuzzy.word, fuzzy.distance
                ),
            });
        }
        let distance = fuzzy.distance as u8;
        let targets: Vec<(Field, f32)> = match fuzzy.field {
            None => vec![
                (fields.title, TITLE_BOOST),
                (fields.subtitle, SUBTITLE_BOOST),
                (fields.body, 1.0),
            ],
            Some(name) => match self.searcher.schema().get_field(name) {
                Ok(field) if fields.named_query_fields().contains(&field) => {
                    vec![(field, 1.0)]
                }
                _ => {
                    return Err(SearchError::Syntax {
                        query: self.text.to_string(),
                        position: self.text.find(&format!("{name}:")).unwrap_or(0),
                        message: format!("field does not exist: '{name}'"),
                    });
                }
            },
        };
        let tantivy = SearchError::Tantivy;
        let index = self.searcher.index();
        let mut words: Vec<Box<dyn Query>> = Vec::new();
        let mut analyzer = index.tokenizer_for_field(targets[0].0).map_err(tantivy)?;
        for (token, written) in suggest::stems(&mut analyzer, fuzzy.word) {
            // Indexed words within the distance of the word's own token, and (in stemmed
            // fields) the stems whose written forms are within it.
            let mut expansions: Vec<(u64, Term)> = Vec::new();
            for &(field, _) in &targets {
                let term = Term::from_field_text(field, &token);
                let automaton = FuzzyTermQuery::new(term, distance, true)
                    .automaton()
                    .map_err(tantivy)?;
                let mut found: std::collections::BTreeMap<Vec<u8>, u64> = Default::default();
                for segment in self.searcher.segment_readers() {
                    let inverted = segment.inverted_index(field).map_err(tantivy)?;
                    let mut stream = inverted
                        .terms()
                        .search(&automaton)
                        .into_stream()
                        .map_err(|e| tantivy(e.into()))?;
                    while stream.advance() {
                        *found.entry(stream.key().to_vec()).or_default() +=
                            u64::from(stream.value().doc_freq);
                    }
                }
                for (bytes, df) in found {
                    if let Ok(text) = std::str::from_utf8(&bytes) {
                        expansions.push((df, Term::from_field_text(field, text)));
                    }
                }
            }
            if fuzzy.field.is_none() {
                let fields_searched: Vec<Field> = targets.iter().map(|(f, _)| *f).collect();
                let near = suggest::near_words(
                    self.searcher,
                    fields,
                    &fields_searched,
                    &mut analyzer,
                    &written,
                    distance,
                    false,
                )
                .map_err(tantivy)?;
                for near in near {
                    for &field in &fields_searched {
                        expansions.push((near.doc_freq, Term::from_field_text(field, &near.stem)));
                    }
                }
            }
            expansions.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            let mut seen = std::collections::BTreeSet::new();
            expansions.retain(|(_, term)| seen.insert(term.clone()));
            expansions.truncate(FUZZY_EXPANSIONS);
            let alternatives: Vec<Box<dyn Query>> = expansions
                .into_iter()
                .map(|(_, term)| {
                    let boost = targets
                        .iter()
                        .find(|(field, _)| *field == term.field())
                        .map_or(1.0, |(_, boost)| *boost);
                    let query: Box<dyn Query> =
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                    if boost == 1.0 {
                        query
                    } else {
                        Box::new(BoostQuery::new(query, boost))
                    }
                })
                .collect();
            words.push(if alternatives.is_empty() {
                Box::new(EmptyQuery)
            } else {
                Box::new(BooleanQuery::union(alternatives))
            });
        }
        Ok(match words.len() {
            0 => Box::new(EmptyQuery),
            1 => words.remove(0),
            _ => Box::new(BooleanQuery::intersection(words)),
        })
    }
}

/// The words of the query's plain (not fuzzy, not prefix) terms and phrases on the article
/// text, with the fields each is searched in: the words to check for typos.
pub fn text_words(fields: &Fields, searcher: &Searcher, text: &str) -> Vec<(String, Vec<Field>)> {
    let (ast, _) = tantivy::query_grammar::parse_query_lenient(text);
    let mut words = Vec::new();
    collect_text_words(fields, searcher, &ast, &mut words);
    words
}

fn collect_text_words(
    fields: &Fields,
    searcher: &Searcher,
    ast: &UserInputAst,
    words: &mut Vec<(String, Vec<Field>)>,
) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, ast) in clauses {
                if *occur != Some(Occur::MustNot) {
                    collect_text_words(fields, searcher, ast, words);
                }
            }
        }
        UserInputAst::Boost(ast, _) => collect_text_words(fields, searcher, ast, words),
        UserInputAst::Leaf(leaf) => {
            let UserInputLeaf::Literal(literal) = &**leaf else {
                return;
            };
            if literal.prefix || fuzzy_literal(leaf).is_some() {
                return;
            }
            let searched = match literal.field_name.as_deref() {
                None => fields_in_use(searcher, fields),
                Some(name) => match searcher.schema().get_field(name) {
                    Ok(field) if fields.query_fields().contains(&field) => vec![field],
                    _ => return,
                },
            };
            for word in literal.phrase.split(|c: char| !c.is_alphanumeric()) {
                if !word.is_empty() {
                    words.push((word.to_string(), searched.clone()));
                }
            }
        }
    }
}

/// A name filter as the archive resolved it, else its values as text; `None` when there is no
/// such filter.
fn resolved_or_text(forms: &Option<NameForms>, values: &[String]) -> Option<NameForms> {
    match forms {
        Some(forms) => Some(forms.clone()),
        None if values.is_empty() => None,
        None => Some(NameForms {
            text: values.to_vec(),
            ..NameForms::default()
        }),
    }
}

/// One name filter: any of the exact keyword values, or any text name as a phrase of
/// `text_field`.
fn name_clause(
    searcher: &Searcher,
    fields: &Fields,
    forms: &NameForms,
    text_field: Field,
) -> Result<Box<dyn Query>, SearchError> {
    let mut tokenizer = searcher
        .index()
        .tokenizer_for_field(text_field)
        .map_err(SearchError::Tantivy)?;
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    for name in &forms.text {
        let mut terms = Vec::new();
        let mut stream = tokenizer.token_stream(name);
        while let Some(token) = stream.next() {
            terms.push(Term::from_field_text(text_field, &token.text));
        }
        match terms.len() {
            0 => {}
            1 => alternatives.push(Box::new(TermQuery::new(
                terms.remove(0),
                IndexRecordOption::Basic,
            ))),
            _ => alternatives.push(Box::new(PhraseQuery::new(terms))),
        }
    }
    let exact = forms
        .person_kw
        .iter()
        .map(|value| Term::from_field_text(fields.person_kw, value))
        .chain(
            forms
                .org_kw
                .iter()
                .map(|value| Term::from_field_text(fields.org_kw, value)),
        );
    for term in exact {
        alternatives.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
    }
    let union = Box::new(BooleanQuery::union(alternatives));
    Ok(Box::new(ConstScoreQuery::new(union, 0.0)))
}

/// Builds the filter clauses: one `Must` per kind of filter, values of a kind OR-ed.
fn filter_clauses(
    searcher: &Searcher,
    fields: &Fields,
    filters: &Filters,
) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let mut clauses: Vec<Box<dyn Query>> = Vec::new();
    if !filters.countries.is_empty() {
        let terms = filters
            .countries
            .iter()
            .map(|code| Term::from_field_text(fields.country_kw, code.as_str()));
        clauses.push(any_of(terms));
    }
    if !filters.topics.is_empty() {
        let terms = filters
            .topics
            .iter()
            .map(|topic| Term::from_field_text(fields.topic_kw, topic.trim_matches('/')));
        clauses.push(any_of(terms));
    }
    let people = resolved_or_text(&filters.people_forms, &filters.people);
    if let Some(forms) = people {
        clauses.push(name_clause(searcher, fields, &forms, fields.person)?);
    }
    let orgs = resolved_or_text(&filters.org_forms, &filters.orgs);
    if let Some(forms) = orgs {
        clauses.push(name_clause(searcher, fields, &forms, fields.org)?);
    }
    if !filters.sources.is_empty() {
        let values = matching_keywords(searcher, fields.source, &filters.sources)?;
        let terms = values
            .iter()
            .map(|value| Term::from_field_text(fields.source, value));
        // An article also comes from the sources of its copies: a story indexed from the
        // agency's feed is found under the newspaper that republished it.
        let republished = copies::keys_from_sources(searcher, fields, &values)
            .map_err(SearchError::Tantivy)?
            .into_iter()
            .map(|key| Term::from_field_u64(fields.text_key, key));
        clauses.push(any_of(terms.chain(republished)));
    }
    if !filters.stories.is_empty() || filters.story_keys.is_some() {
        let keys = filters.story_keys.as_deref().unwrap_or_default();
        clauses.push(any_of(
            keys.iter()
                .map(|&key| Term::from_field_u64(fields.text_key, key)),
        ));
    }
    if !filters.langs.is_empty() {
        let values = matching_keywords(searcher, fields.lang, &filters.langs)?;
        let terms = values
            .iter()
            .map(|value| Term::from_field_text(fields.lang, value));
        clauses.push(any_of(terms));
    }
    if filters.since.is_some() || filters.until.is_some() {
        let bound = |time: Option<Timestamp>, inclusive: bool| match time {
            None => Bound::Unbounded,
            Some(time) => {
                let term = Term::from_field_date_for_search(
                    fields.published,
                    DateTime::from_timestamp_secs(time.as_second()),
                );
                if inclusive {
                    Bound::Included(term)
                } else {
                    Bound::Excluded(term)
                }
            }
        };
        clauses.push(Box::new(RangeQuery::new(
            bound(filters.since, true),
            bound(filters.until, false),
        )));
    }
    Ok(clauses)
}

/// A filter matching documents with any of `terms`, scoring nothing: a union of term queries,
/// cheaper than `TermSetQuery`'s dictionary automaton for the handful of values a filter has.
fn any_of(terms: impl Iterator<Item = Term>) -> Box<dyn Query> {
    let queries: Vec<Box<dyn Query>> = terms
        .map(|term| Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
        .collect();
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::union(queries)),
        0.0,
    ))
}

/// `query` restricted to the articles that pass `filters`.
pub fn filtered(
    searcher: &Searcher,
    fields: &Fields,
    query: Box<dyn Query>,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let filters = filter_clauses(searcher, fields, filters)?;
    if filters.is_empty() {
        return Ok(query);
    }
    let mut clauses = vec![(Occur::Must, query)];
    clauses.extend(filters.into_iter().map(|filter| (Occur::Must, filter)));
    Ok(Box::new(BooleanQuery::new(clauses)))
}

/// The indexed values of a raw keyword field equal to one of `wanted`, ignoring case.
fn matching_keywords(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    wanted: &[String],
) -> Result<Vec<String>, SearchError> {
    let mut found = Vec::new();
    for segment in searcher.segment_readers() {
        let inverted = segment
            .inverted_index(field)
            .map_err(SearchError::Tantivy)?;
        let mut stream = inverted
            .terms()
            .stream()
            .map_err(|e| SearchError::Tantivy(e.into()))?;
        while stream.advance() {
            let Ok(value) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if wanted.iter().any(|w| w.eq_ignore_ascii_case(value))
                && !found.iter().any(|f| f == value)
            {
                found.push(value.to_string());
            }
        }
    }
    Ok(found)
}
