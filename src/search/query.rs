//! Turning a request into a tantivy query: the user's text through tantivy's query language
//! (errors reported with their position, never silently dropped), filters built in code.

use std::ops::Bound;

use jiff::Timestamp;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{DateTime, Index, Searcher, Term};

use super::{Filters, SearchError};
use crate::index::copies;
use crate::index::schema::Fields;

/// Title matches weigh this much more than body matches.
const TITLE_BOOST: f32 = 2.5;
/// Dek matches weigh this much more than body matches.
const SUBTITLE_BOOST: f32 = 1.5;

/// Parses the user's query text. Empty text (or `*`) matches every article (and no copy, see
/// [`crate::index::copies`]; a query with words cannot match a copy, which holds no text).
pub fn parse_text(
    index: &Index,
    fields: &Fields,
    text: &str,
) -> Result<Box<dyn Query>, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(crate::index::copies::all_articles(fields));
    }
    let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
    if let Some(error) = errors.first() {
        return Err(SearchError::Syntax {
            query: text.to_string(),
            position: error.pos.min(text.len()),
            message: error.message.clone(),
        });
    }
    let mut parser = QueryParser::for_index(index, fields.query_fields());
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, TITLE_BOOST);
    parser.set_field_boost(fields.subtitle, SUBTITLE_BOOST);
    parser.parse_query(text).map_err(|error| {
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
    })
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
    if !filters.people.is_empty() {
        let mut tokenizer = searcher
            .index()
            .tokenizer_for_field(fields.person)
            .map_err(SearchError::Tantivy)?;
        let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
        for person in &filters.people {
            let mut terms = Vec::new();
            let mut stream = tokenizer.token_stream(person);
            while let Some(token) = stream.next() {
                terms.push(Term::from_field_text(fields.person, &token.text));
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
        let union = Box::new(BooleanQuery::union(alternatives));
        clauses.push(Box::new(ConstScoreQuery::new(union, 0.0)));
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
