//! The OpenSearch form of an index: the explicit mapping (field names as in the local schema,
//! so `person:rubio` means the same in both query languages), and articles as JSON documents.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::article::{
    Article, ArticleId, CopyAt, CountryCode, Entities, Fnv1a, Place, StoredArticle,
};
use crate::enrich::countries::country_name;
use crate::index::copies::text_key;

/// The settings and mappings of a new index, with `meta` as its `_meta`.
///
/// Text is analysed as tantivy's `en_stem` and `default` tokenizers do, so that totals match
/// the local index: words are runs of letters and digits, lower-cased, longer ones than 39
/// characters dropped, then (for title, dek and body) reduced by the Snowball English stemmer
/// (`porter2`, the algorithm of tantivy's stemmer). No stop words are removed.
pub fn index_body(shards: u32, replicas: u32, meta: &Value) -> Value {
    let keyword = json!({"type": "keyword"});
    let stored_only = json!({"type": "keyword", "index": false, "doc_values": false});
    let text = json!({"type": "text", "analyzer": "newsdex_text"});
    let names = json!({"type": "text", "analyzer": "newsdex_names"});
    json!({
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": {
                "tokenizer": {
                    "newsdex_words": {"type": "pattern", "pattern": "[^\\p{L}\\p{N}]+"}
                },
                "filter": {
                    "newsdex_long": {"type": "length", "max": 39},
                    "newsdex_stem": {"type": "stemmer", "language": "porter2"}
                },
                "analyzer": {
                    "newsdex_text": {
                        "type": "custom",
                        "tokenizer": "newsdex_words",
                        "filter": ["newsdex_long", "lowercase", "newsdex_stem"]
                    },
                    "newsdex_names": {
                        "type": "custom",
                        "tokenizer": "newsdex_words",
                        "filter": ["newsdex_long", "lowercase"]
                    }
                }
            }
        },
        "mappings": {
            "dynamic": "strict",
            "_meta": meta,
            "properties": {
                "id": keyword,
                "path": keyword,
                "fingerprint": keyword,
                "text_key": keyword,
                "copy": {"type": "boolean"},
                "ordinal": {"type": "long"},
                "line": {"type": "long", "index": false, "doc_values": false},
                "title": text,
                "subtitle": text,
                "body": text,
                "published": {"type": "date", "format": "strict_date_optional_time||epoch_second"},
                "source": keyword,
                "url": stored_only,
                "byline": stored_only,
                "lang": keyword,
                "person": names,
                "country": names,
                "topic": names,
                "org": names,
                "person_kw": keyword,
                "org_kw": keyword,
                "org_cue_kw": keyword,
                "country_kw": keyword,
                "topic_kw": keyword,
                "topic_confidence": {"type": "float", "index": false}
            }
        }
    })
}

/// The `_id` of the article at position `ordinal` ([`crate::article::Place::ordinal`]) of the
/// file at `path`: unique per file and article, as the local index holds a document per
/// article of each file, so that the same article id in two files (a page saved in two web
/// archives), or twice in one, is two documents here too. The article's own id is its `id`
/// field.
pub fn doc_id(path: &str, ordinal: u64) -> String {
    let mut hash = Fnv1a::new();
    hash.write(path.as_bytes());
    format!("{:016x}-{ordinal}", hash.finish())
}

/// The `_id` of a document from its `_source` (see [`doc_id`]).
pub fn doc_id_of(source: &Value) -> String {
    doc_id(
        source["path"].as_str().unwrap_or_default(),
        source["ordinal"].as_u64().unwrap_or_default(),
    )
}

/// The document of one article of a file with the given fingerprint.
pub fn to_json(article: &Article, entities: &Entities, fingerprint: &str) -> Value {
    let ancestors = topic_ancestors(&entities.topics);
    let countries: Vec<String> = entities
        .countries
        .iter()
        .map(|code| {
            let name = country_name(code.as_str()).unwrap_or_default();
            format!("{code} {name}")
        })
        .collect();
    let codes: Vec<&str> = entities.countries.iter().map(CountryCode::as_str).collect();
    json!({
        "id": article.id.as_str(),
        "path": article.path,
        "fingerprint": fingerprint,
        "text_key": text_key(article).to_string(),
        "copy": false,
        "ordinal": record_ordinal(article.place),
        "line": article.place.line(),
        "title": article.title,
        "subtitle": article.subtitle,
        "body": article.body,
        "published": article.published.map(|time| time.as_second()),
        "source": article.source,
        "url": article.url,
        "byline": article.byline,
        "lang": article.lang,
        "person": entities.people,
        "country": countries,
        "topic": entities.topics,
        "org": entities.orgs,
        "person_kw": entities.people,
        "org_kw": entities.orgs,
        "org_cue_kw": entities.org_cues,
        "country_kw": codes,
        "topic_kw": ancestors,
        "topic_confidence": entities.topic_confidence,
    })
}

/// The values of `topic_kw` for these topics: each path and all its ancestors, sorted, once.
pub fn topic_ancestors(topics: &[String]) -> Vec<&str> {
    let mut ancestors: Vec<&str> = Vec::new();
    for topic in topics {
        for (end, _) in topic.match_indices('/').chain([(topic.len(), "")]) {
            ancestors.push(&topic[..end]);
        }
    }
    ancestors.sort_unstable();
    ancestors.dedup();
    ancestors
}

/// The document standing for an article that is a copy of one held in another file (see
/// [`crate::index::copies`]): its id, file, place in it, fingerprint, source and text key,
/// nothing to find.
pub fn copy_json(article: &Article, key: u64, fingerprint: &str) -> Value {
    json!({
        "id": article.id.as_str(),
        "path": article.path,
        "fingerprint": fingerprint,
        "text_key": key.to_string(),
        "copy": true,
        "ordinal": record_ordinal(article.place),
        "line": article.place.line(),
        "source": article.source,
    })
}

/// The `ordinal` of a document: a record's position, none for a whole file.
fn record_ordinal(place: Place) -> Option<u64> {
    place.is_record().then(|| place.ordinal())
}

/// Where in its file the article of a `_source` was read.
fn place_of(source: &Value) -> Place {
    match source["ordinal"].as_u64() {
        None => Place::File,
        Some(ordinal) => Place::record(ordinal, source["line"].as_u64()),
    }
}

/// A copy's `_source` as its article lists it: file, place in it, id.
pub fn copy_at(source: &Value) -> CopyAt {
    let text = |name: &str| source[name].as_str().unwrap_or_default().to_string();
    CopyAt {
        path: text("path"),
        place: place_of(source),
        id: ArticleId(text("id")),
    }
}

/// Reads a document's `_source` back into an article.
pub fn from_json(source: &Value) -> StoredArticle {
    let text = |name: &str| source[name].as_str().map(str::to_string);
    let all = |name: &str| -> Vec<String> {
        match &source[name] {
            Value::Array(values) => values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Value::String(value) => vec![value.clone()],
            _ => Vec::new(),
        }
    };
    let published = match &source["published"] {
        Value::Number(secs) => secs.as_i64().and_then(|s| Timestamp::from_second(s).ok()),
        Value::String(text) => text.parse::<Timestamp>().ok().or_else(|| {
            text.parse()
                .ok()
                .and_then(|s| Timestamp::from_second(s).ok())
        }),
        _ => None,
    };
    let article = Article {
        id: ArticleId(text("id").unwrap_or_default()),
        path: text("path").unwrap_or_default(),
        title: text("title").unwrap_or_default(),
        subtitle: text("subtitle"),
        byline: text("byline"),
        published,
        source: text("source"),
        url: text("url"),
        lang: text("lang"),
        body: text("body").unwrap_or_default(),
        place: place_of(source),
    };
    StoredArticle::new(
        article,
        Entities {
            people: all("person"),
            orgs: all("org"),
            countries: all("country_kw").into_iter().map(CountryCode).collect(),
            topics: all("topic"),
            // Written from f32, so the narrowing gives back the value extracted.
            topic_confidence: source["topic_confidence"]
                .as_f64()
                .map_or(0.0, |value| value as f32),
            ..Entities::default()
        },
    )
}

/// Whether a `_source` stands for a copy.
pub fn is_copy(source: &Value) -> bool {
    source["copy"].as_bool() == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_article_survives_the_round_trip() {
        let article = Article {
            id: ArticleId("a1".into()),
            path: "2024/a.json".into(),
            title: "Minerals pact".into(),
            subtitle: Some("Delhi".into()),
            published: Some("2024-03-01T10:00:00Z".parse().unwrap()),
            source: Some("Wire".into()),
            body: "Ministers met.".into(),
            ..Article::default()
        };
        let entities = Entities {
            people: vec!["Marco Rubio".into()],
            countries: vec![CountryCode("IN".into())],
            topics: vec!["economy/trade".into()],
            topic_confidence: 0.732_115,
            ..Entities::default()
        };
        let doc = to_json(&article, &entities, "1:2:3");
        assert_eq!(doc["topic_kw"], json!(["economy", "economy/trade"]));
        assert_eq!(doc["country"], json!(["IN India"]));
        assert_eq!(doc["published"], json!(1_709_287_200));
        let back = from_json(&doc);
        assert_eq!(back.article, article);
        assert_eq!(back.entities, entities);
        assert!(!is_copy(&doc));
        let copy = copy_json(&article, 7, "fp");
        assert!(is_copy(&copy));
        assert_eq!(copy["text_key"], json!("7"));
    }
}
