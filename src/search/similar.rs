//! "More like this": articles sharing an article's most distinctive terms and entities.
//!
//! tantivy's `MoreLikeThisQuery` asserts `doc_count >= doc_freq` and panics while deleted
//! documents are not merged away (after a reindex replaced articles), so the query is built
//! here instead: document frequencies are clamped to the live document count, and the terms
//! come from the stored title and body run through the index's own tokenizer.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TokenStream;
use tantivy::{Searcher, Term};

use super::SearchError;
use crate::index::document::StoredArticle;
use crate::index::schema::Fields;

/// Terms kept from the article's text.
const MAX_TERMS: usize = 25;
/// Terms shorter than this (in bytes) are ignored.
const MIN_TERM_LEN: usize = 3;
/// Weight of a shared person, organisation, country or topic relative to the best text term.
const ENTITY_WEIGHT: f32 = 0.5;

/// Builds the query for articles like `stored` (the article itself excluded).
pub fn like_query(
    searcher: &Searcher,
    fields: &Fields,
    stored: &StoredArticle,
) -> Result<Box<dyn Query>, SearchError> {
    let mut tokenizer = searcher
        .index()
        .tokenizer_for_field(fields.body)
        .map_err(SearchError::Tantivy)?;
    let mut frequencies: HashMap<String, u32> = HashMap::new();
    for text in [
        &stored.article.title,
        &stored.article.title,
        &stored.article.body,
    ] {
        let mut stream = tokenizer.token_stream(text);
        while let Some(token) = stream.next() {
            let term = &token.text;
            if term.len() >= MIN_TERM_LEN && !term.bytes().all(|b| b.is_ascii_digit()) {
                *frequencies.entry(term.clone()).or_default() += 1;
            }
        }
    }
    let live = searcher.num_docs().max(1) as f32;
    let mut weighted: Vec<(f32, String)> = Vec::with_capacity(frequencies.len());
    for (text, tf) in frequencies {
        let term = Term::from_field_text(fields.body, &text);
        let df = searcher.doc_freq(&term).map_err(SearchError::Tantivy)? as f32;
        let df = df.clamp(1.0, live);
        let idf = (1.0 + (live - df + 0.5) / (df + 0.5)).ln();
        weighted.push((tf as f32 * idf, text));
    }
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    weighted.truncate(MAX_TERMS);
    let best = weighted.first().map_or(1.0, |(w, _)| *w).max(f32::EPSILON);

    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (weight, text) in &weighted {
        for field in [fields.body, fields.title] {
            let query = TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            );
            clauses.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(query), weight / best)),
            ));
        }
    }
    let entities = &stored.entities;
    let entity_terms = entities
        .people
        .iter()
        .map(|p| Term::from_field_text(fields.person_kw, p))
        .chain(
            entities
                .orgs
                .iter()
                .map(|o| Term::from_field_text(fields.org_kw, o)),
        )
        .chain(
            entities
                .countries
                .iter()
                .map(|c| Term::from_field_text(fields.country_kw, c.as_str())),
        )
        .chain(
            entities
                .topics
                .iter()
                .map(|t| Term::from_field_text(fields.topic_kw, t)),
        );
    for term in entity_terms {
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), ENTITY_WEIGHT)),
        ));
    }
    let itself = Term::from_field_text(fields.id, stored.article.id.as_str());
    clauses.push((
        Occur::MustNot,
        Box::new(TermQuery::new(itself, IndexRecordOption::Basic)),
    ));
    Ok(Box::new(BooleanQuery::new(clauses)))
}
