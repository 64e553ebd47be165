//! Turning a request into OpenSearch's query DSL, mirroring [`crate::search::query`]: the text
//! through `query_string` (AND by default, title ×2.5, dek ×1.5, field scores summed as tantivy
//! does), filters as `bool.filter` clauses.

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::index::schema::{Fields, build_schema};
use crate::search::{Filters, NameForms, SearchError};

/// Title matches weigh this much more than body matches (as locally).
const TITLE_BOOST: f32 = 2.5;
/// Dek matches weigh this much more than body matches (as locally).
const SUBTITLE_BOOST: f32 = 1.5;

/// The query matching every full article and no copy.
pub fn all_articles() -> Value {
    json!({"constant_score": {"filter": {"term": {"copy": false}}, "boost": 1.0}})
}

/// The user's query text as a query; the text is first checked by the local query parser, so
/// a query that is an error locally is the same error here, at the same position.
pub fn text_query(text: &str) -> Result<Value, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(all_articles());
    }
    check_syntax(text)?;
    Ok(json!({
        "query_string": {
            "query": escape(text),
            "fields": [
                format!("title^{TITLE_BOOST}"),
                format!("subtitle^{SUBTITLE_BOOST}"),
                "body"
            ],
            "type": "most_fields",
            "default_operator": "AND",
            "allow_leading_wildcard": false
        }
    }))
}

/// Parses `text` with tantivy's parser over an empty in-memory index of the local schema.
fn check_syntax(text: &str) -> Result<(), SearchError> {
    static INDEX: OnceLock<Option<(tantivy::IndexReader, Fields)>> = OnceLock::new();
    let parsed = INDEX.get_or_init(|| {
        let index = tantivy::Index::create_in_ram(build_schema());
        let fields = Fields::resolve(&index.schema()).ok()?;
        Some((index.reader().ok()?, fields))
    });
    if let Some((reader, fields)) = parsed {
        crate::search::query::parse_text(&reader.searcher(), fields, text)?;
    }
    Ok(())
}

/// Escapes what `query_string` reads differently from tantivy: `/` starts a regular expression
/// there and is an ordinary character in tantivy (`topic:economy/trade`).
fn escape(text: &str) -> String {
    text.replace('/', "\\/")
}

/// The filter clauses of `filters`; `copy_keys` are the text keys of the articles with a copy
/// from one of the wanted sources (see [`source_copies_query`]).
pub fn filter_clauses(filters: &Filters, copy_keys: &[String]) -> Vec<Value> {
    let mut clauses = Vec::new();
    if !filters.countries.is_empty() {
        let codes: Vec<&str> = filters.countries.iter().map(|c| c.as_str()).collect();
        clauses.push(json!({"terms": {"country_kw": codes}}));
    }
    if !filters.topics.is_empty() {
        let topics: Vec<&str> = filters.topics.iter().map(|t| t.trim_matches('/')).collect();
        clauses.push(json!({"terms": {"topic_kw": topics}}));
    }
    for (forms, values, text_field) in [
        (&filters.people_forms, &filters.people, "person"),
        (&filters.org_forms, &filters.orgs, "org"),
    ] {
        let forms = match forms {
            Some(forms) => forms.clone(),
            None if values.is_empty() => continue,
            None => NameForms {
                text: values.clone(),
                ..NameForms::default()
            },
        };
        let mut any: Vec<Value> = forms
            .text
            .iter()
            .map(|name| json!({"match_phrase": {text_field: name}}))
            .collect();
        if !forms.person_kw.is_empty() {
            any.push(json!({"terms": {"person_kw": forms.person_kw}}));
        }
        if !forms.org_kw.is_empty() {
            any.push(json!({"terms": {"org_kw": forms.org_kw}}));
        }
        clauses.push(json!({"bool": {"should": any, "minimum_should_match": 1}}));
    }
    if !filters.sources.is_empty() {
        let mut any: Vec<Value> = filters
            .sources
            .iter()
            .map(|source| json!({"term": {"source": {"value": source, "case_insensitive": true}}}))
            .collect();
        if !copy_keys.is_empty() {
            any.push(json!({"terms": {"text_key": copy_keys}}));
        }
        clauses.push(json!({"bool": {"should": any, "minimum_should_match": 1}}));
    }
    if !filters.stories.is_empty() || filters.story_keys.is_some() {
        let keys: Vec<String> = filters
            .story_keys
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(u64::to_string)
            .collect();
        clauses.push(json!({"terms": {"text_key": keys}}));
    }
    if !filters.langs.is_empty() {
        let any: Vec<Value> = filters
            .langs
            .iter()
            .map(|lang| json!({"term": {"lang": {"value": lang, "case_insensitive": true}}}))
            .collect();
        clauses.push(json!({"bool": {"should": any, "minimum_should_match": 1}}));
    }
    if filters.since.is_some() || filters.until.is_some() {
        let mut range = serde_json::Map::new();
        if let Some(since) = filters.since {
            range.insert("gte".into(), json!(since.as_second()));
        }
        if let Some(until) = filters.until {
            range.insert("lt".into(), json!(until.as_second()));
        }
        range.insert("format".into(), json!("epoch_second"));
        clauses.push(json!({"range": {"published": range}}));
    }
    clauses
}

/// The request listing the text keys of copies from one of `sources` (ignoring case).
pub fn source_copies_query(sources: &[String]) -> Value {
    let any: Vec<Value> = sources
        .iter()
        .map(|source| json!({"term": {"source": {"value": source, "case_insensitive": true}}}))
        .collect();
    json!({
        "size": 0,
        "query": {"bool": {
            "filter": [{"term": {"copy": true}}],
            "should": any,
            "minimum_should_match": 1
        }},
        "aggs": {"keys": {"terms": {"field": "text_key", "size": 65_536}}}
    })
}

/// `query` restricted by `filters`.
pub fn filtered(query: Value, filters: Vec<Value>) -> Value {
    if filters.is_empty() {
        return query;
    }
    json!({"bool": {"must": [query], "filter": filters}})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::CountryCode;

    #[test]
    fn text_becomes_an_and_query_over_the_boosted_fields() {
        let query = text_query("topic:economy/trade lithium").unwrap();
        assert_eq!(
            query["query_string"]["query"],
            json!("topic:economy\\/trade lithium")
        );
        assert_eq!(query["query_string"]["default_operator"], json!("AND"));
        assert_eq!(
            query["query_string"]["fields"],
            json!(["title^2.5", "subtitle^1.5", "body"])
        );
        assert_eq!(text_query(" * ").unwrap(), all_articles());
    }

    #[test]
    fn syntax_errors_are_the_local_ones() {
        let error = text_query("nosuchfield:x").unwrap_err();
        assert!(
            matches!(error, SearchError::Syntax { position: 0, .. }),
            "{error}"
        );
        assert!(text_query("\"unclosed").is_err());
    }

    #[test]
    fn filters_of_each_kind_become_one_clause() {
        let filters = Filters {
            countries: vec![CountryCode("IN".into())],
            people: vec!["Rubio".into()],
            topics: vec!["/economy/".into()],
            sources: vec!["wire".into()],
            langs: Vec::new(),
            since: Some("2024-01-01T00:00:00Z".parse().unwrap()),
            until: None,
            ..Filters::default()
        };
        let clauses = filter_clauses(&filters, &["42".to_string()]);
        assert_eq!(clauses.len(), 5);
        assert_eq!(clauses[0], json!({"terms": {"country_kw": ["IN"]}}));
        assert_eq!(clauses[1], json!({"terms": {"topic_kw": ["economy"]}}));
        assert_eq!(
            clauses[3]["bool"]["should"][1],
            json!({"terms": {"text_key": ["42"]}})
        );
        assert_eq!(
            clauses[4],
            json!({"range": {"published": {"gte": 1_704_067_200, "format": "epoch_second"}}})
        );
    }
}
