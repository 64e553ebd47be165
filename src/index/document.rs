//! Conversion between enriched articles and tantivy documents.

use jiff::Timestamp;
use tantivy::schema::Value;
use tantivy::{DateTime, TantivyDocument};

use super::copies::text_key;
use super::schema::Fields;
pub use crate::article::StoredArticle;
use crate::article::{Article, ArticleId, CopyAt, CountryCode, Entities, Place};
use crate::enrich::countries::country_name;

/// Builds the document for one article of a file with the given fingerprint.
pub fn to_document(
    fields: &Fields,
    article: &Article,
    entities: &Entities,
    fingerprint: &str,
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, article.id.as_str());
    doc.add_text(fields.path, &article.path);
    doc.add_text(fields.fingerprint, fingerprint);
    doc.add_u64(fields.text_key, text_key(article));
    doc.add_bool(fields.copy, false);
    add_place(fields, &mut doc, article.place);
    doc.add_text(fields.title, &article.title);
    if let Some(subtitle) = &article.subtitle {
        doc.add_text(fields.subtitle, subtitle);
    }
    doc.add_text(fields.body, &article.body);
    if let Some(published) = article.published {
        doc.add_date(
            fields.published,
            DateTime::from_timestamp_secs(published.as_second()),
        );
    }
    for (field, value) in [
        (fields.source, &article.source),
        (fields.url, &article.url),
        (fields.byline, &article.byline),
        (fields.lang, &article.lang),
    ] {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    for person in &entities.people {
        doc.add_text(fields.person, person);
        doc.add_text(fields.person_kw, person);
    }
    for org in &entities.orgs {
        doc.add_text(fields.org, org);
        doc.add_text(fields.org_kw, org);
    }
    for name in &entities.org_cues {
        doc.add_text(fields.org_cue_kw, name);
    }
    for code in &entities.countries {
        let name = country_name(code.as_str()).unwrap_or_default();
        doc.add_text(fields.country, format!("{code} {name}"));
        doc.add_text(fields.country_kw, code.as_str());
    }
    let mut ancestors: Vec<&str> = Vec::new();
    for topic in &entities.topics {
        doc.add_text(fields.topic, topic);
        for (end, _) in topic.match_indices('/').chain([(topic.len(), "")]) {
            ancestors.push(&topic[..end]);
        }
    }
    ancestors.sort_unstable();
    ancestors.dedup();
    for path in ancestors {
        doc.add_text(fields.topic_kw, path);
    }
    doc.add_f64(
        fields.topic_confidence,
        f64::from(entities.topic_confidence),
    );
    doc
}

/// The document standing for `full`, the document of an article, when that article is a copy
/// of one held in another file: its id, file, source and the text key of the article it copies
/// (see [`crate::index::copies`]).
pub fn copy_document(fields: &Fields, full: &TantivyDocument, key: u64) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for field in [fields.id, fields.path, fields.fingerprint, fields.source] {
        if let Some(value) = full.get_first(field).and_then(|v| v.as_str()) {
            doc.add_text(field, value);
        }
    }
    doc.add_u64(fields.text_key, key);
    doc.add_bool(fields.copy, true);
    add_place(fields, &mut doc, stored_place(fields, full));
    doc
}

/// Stores where in its file an article was read: a record's position and line.
fn add_place(fields: &Fields, doc: &mut TantivyDocument, place: Place) {
    if let Place::Record { ordinal, line } = place {
        doc.add_u64(fields.ordinal, ordinal);
        if let Some(line) = line {
            doc.add_u64(fields.line, line);
        }
    }
}

/// Where in its file the article of a stored document was read.
pub fn stored_place(fields: &Fields, doc: &TantivyDocument) -> Place {
    let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
    match number(fields.ordinal) {
        None => Place::File,
        Some(ordinal) => Place::record(ordinal, number(fields.line)),
    }
}

/// A stored copy as its article lists it.
pub fn copy_at(fields: &Fields, doc: &TantivyDocument) -> CopyAt {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    CopyAt {
        path: text(fields.path),
        place: stored_place(fields, doc),
        id: ArticleId(text(fields.id)),
    }
}

/// Whether a stored document stands for a copy (see [`copy_document`]).
pub fn is_copy(fields: &Fields, doc: &TantivyDocument) -> bool {
    doc.get_first(fields.copy).and_then(|v| v.as_bool()) == Some(true)
}

/// The text key of a stored or built document.
pub fn text_key_of(fields: &Fields, doc: &TantivyDocument) -> Option<u64> {
    doc.get_first(fields.text_key).and_then(|v| v.as_u64())
}

/// Reads the stored fields of a document back into an article.
pub fn from_document(fields: &Fields, doc: &TantivyDocument) -> StoredArticle {
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let all = |field| -> Vec<String> {
        doc.get_all(field)
            .filter_map(|v| v.as_str())
            .map(str::to_string)
            .collect()
    };
    let published = doc
        .get_first(fields.published)
        .and_then(|value| value.as_datetime())
        .and_then(|date| Timestamp::from_second(date.into_timestamp_secs()).ok());
    let article = Article {
        id: ArticleId(text(fields.id).unwrap_or_default()),
        path: text(fields.path).unwrap_or_default(),
        title: text(fields.title).unwrap_or_default(),
        subtitle: text(fields.subtitle),
        byline: text(fields.byline),
        published,
        source: text(fields.source),
        url: text(fields.url),
        lang: text(fields.lang),
        body: text(fields.body).unwrap_or_default(),
        place: stored_place(fields, doc),
    };
    let entities = Entities {
        people: all(fields.person),
        orgs: all(fields.org),
        countries: all(fields.country_kw)
            .into_iter()
            .map(CountryCode)
            .collect(),
        topics: all(fields.topic),
        // Stored from f32, so the narrowing gives back the value extracted.
        topic_confidence: doc
            .get_first(fields.topic_confidence)
            .and_then(|v| v.as_f64())
            .map_or(0.0, |value| value as f32),
        ..Entities::default()
    };
    StoredArticle::new(article, entities)
}
