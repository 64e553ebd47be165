//! `search --explain`: what made a hit's score. tantivy explains a score as a tree (sums of
//! clauses, boosts, BM25 products); this flattens it into the parts that add up to the score:
//! each matched word or phrase in its field, with its BM25 value and the boost applied to it.

use serde_json::Value;
use tantivy::query::{EnableScoring, Occur, Query};
use tantivy::schema::Field;
use tantivy::{DocAddress, DocSet, Score, Searcher};

use super::query::Node;

/// One summand of a score: a word (or phrase) matched in a field.
#[derive(Clone, Debug, PartialEq)]
pub struct Part {
    /// The field name (`title`, `subtitle`, `body`, `person`...); empty when tantivy does not say.
    pub field: String,
    /// The indexed words matched (stems in stemmed fields); several for a phrase.
    pub words: Vec<String>,
    /// Whether the words matched as a phrase.
    pub phrase: bool,
    /// The BM25 value, before boosts.
    pub bm25: Score,
    /// The product of the boosts applied to it (the field's, and any `^N` of the query).
    pub boost: Score,
    /// What it adds to the score: `bm25 × boost`.
    pub score: Score,
}

/// Why a hit scored what it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The summands, in the order tantivy evaluated them.
    pub parts: Vec<Part>,
    /// The hit's score, which the parts add up to.
    pub score: Score,
    /// The `--recent` factor the ranking multiplied the score by, if any.
    pub recency: Option<f64>,
}

/// Explains the score `score` of the document at `address` for the query of `tree`.
///
/// Each leaf of the tree that matches the document is explained by tantivy and flattened;
/// leaves that do not match add nothing (and are not asked: tantivy's phrase scorer cannot
/// explain a document before its first match).
pub fn explain(
    searcher: &Searcher,
    tree: &Node,
    address: DocAddress,
    score: Score,
    recency: Option<f64>,
) -> tantivy::Result<Explanation> {
    let mut parts = Vec::new();
    walk(searcher, tree, address, 1.0, &mut parts)?;
    Ok(Explanation {
        parts,
        score,
        recency,
    })
}

fn walk(
    searcher: &Searcher,
    node: &Node,
    address: DocAddress,
    boost: Score,
    parts: &mut Vec<Part>,
) -> tantivy::Result<()> {
    match node {
        Node::Bool(clauses) => {
            for (occur, node) in clauses {
                if *occur != Occur::MustNot {
                    walk(searcher, node, address, boost, parts)?;
                }
            }
        }
        Node::Boost(node, factor) => walk(searcher, node, address, boost * factor, parts)?,
        Node::Leaf(query) => {
            if !matches(searcher, &**query, address)? {
                return Ok(());
            }
            let tree = query.explain(searcher, address)?;
            let json = serde_json::to_value(&tree).unwrap_or(Value::Null);
            let schema = searcher.schema();
            let mut phrase: Option<(Field, Vec<String>)> = None;
            query.query_terms(&mut |term, needs_positions| {
                if needs_positions && let Some(text) = term.value().as_str() {
                    let (_, words) = phrase.get_or_insert_with(|| (term.field(), Vec::new()));
                    words.push(text.to_string());
                }
            });
            let phrase =
                phrase.map(|(field, words)| (schema.get_field_name(field).to_string(), words));
            let start = parts.len();
            flatten(&json, boost, parts, &|_| phrase.clone());
            for part in &mut parts[start..] {
                if let Some(id) = part.field.strip_prefix('#')
                    && let Ok(id) = id.parse::<u32>()
                {
                    part.field = schema.get_field_name(Field::from_field_id(id)).to_string();
                }
            }
        }
    }
    Ok(())
}

/// Whether `query` matches the document at `address` (walking its scorer forward, which every
/// scorer supports).
fn matches(searcher: &Searcher, query: &dyn Query, address: DocAddress) -> tantivy::Result<bool> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let segment = searcher.segment_reader(address.segment_ord);
    let mut scorer = weight.scorer(segment, 1.0)?;
    let mut doc = scorer.doc();
    while doc < address.doc_id {
        doc = scorer.advance();
    }
    Ok(doc == address.doc_id)
}

type PhraseLookup<'a> = dyn Fn(Score) -> Option<(String, Vec<String>)> + 'a;

/// Walks an explanation tree (as JSON: `value`, `description`, `details`, `context`), pushing
/// one part per scoring leaf with the product of the boosts above it.
fn flatten(node: &Value, boost: Score, parts: &mut Vec<Part>, phrase: &PhraseLookup) {
    let description = node["description"].as_str().unwrap_or_default();
    let value = node["value"].as_f64().unwrap_or_default() as Score;
    let details = node["details"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if let Some(factor) = description
        .strip_prefix("Boost x")
        .and_then(|rest| rest.strip_suffix(" of ..."))
        .and_then(|factor| factor.parse::<Score>().ok())
    {
        for detail in details {
            flatten(detail, boost * factor, parts, phrase);
        }
        return;
    }
    if description.starts_with("BooleanClause") {
        for detail in details {
            flatten(detail, boost, parts, phrase);
        }
        return;
    }
    if value == 0.0 {
        return;
    }
    let (field, words, is_phrase) = if description == "Phrase Scorer" {
        let (field, words) = phrase(boost).unwrap_or_default();
        (field, words, true)
    } else {
        let (field, words) = node["context"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|context| context.as_str().and_then(parse_term))
            .map(|(id, word)| (format!("#{id}"), vec![word]))
            .unwrap_or_default();
        (field, words, false)
    };
    parts.push(Part {
        field,
        words,
        phrase: is_phrase,
        bm25: value,
        boost,
        score: value * boost,
    });
}

/// Reads tantivy's `Term=Term(field=3, type=Str, "critic")` context into the field id and text.
fn parse_term(context: &str) -> Option<(u32, String)> {
    let rest = context.strip_prefix("Term=Term(field=")?;
    let (id, rest) = rest.split_once(',')?;
    let start = rest.find('"')?;
    let end = rest.rfind('"')?;
    let text = rest.get(start + 1..end)?;
    Some((id.trim().parse().ok()?, text.replace("\\\"", "\"")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_context_gives_field_and_word() {
        assert_eq!(
            parse_term(r#"Term=Term(field=3, type=Str, "critic")"#),
            Some((3, "critic".to_string()))
        );
        assert_eq!(parse_term("something else"), None);
    }

    #[test]
    fn boosts_multiply_down_the_tree_and_zero_parts_are_dropped() {
        let tree = serde_json::json!({
            "value": 9.0, "description": "BooleanClause. sum of ...", "details": [
                {"value": 5.0, "description": "Boost x2.5 of ...", "details": [
                    {"value": 2.0, "description": "TermQuery, product of...",
                     "context": ["Term=Term(field=3, type=Str, \"critic\")"]}]},
                {"value": 4.0, "description": "TermQuery, product of...",
                 "context": ["Term=Term(field=5, type=Str, \"miner\")"]},
                {"value": 0.0, "description": "Const"}
            ]
        });
        let mut parts = Vec::new();
        flatten(&tree, 1.0, &mut parts, &|_| None);
        let summary: Vec<(&str, Score, Score, Score)> = parts
            .iter()
            .map(|p| (p.field.as_str(), p.bm25, p.boost, p.score))
            .collect();
        assert_eq!(summary, [("#3", 2.0, 2.5, 5.0), ("#5", 4.0, 1.0, 4.0)]);
        assert_eq!(parts[0].words, ["critic"]);
    }
}
