//! The index schema: the only place field names appear.
//!
//! Entities are stored twice: as `STRING | FAST` keyword fields (`country_kw`, ...) that filters
//! and facet counts use — the portable form that Quickwit and OpenSearch accept too — and as
//! tokenized text fields (`country`, `person`, `topic`) so that `person:rubio` and
//! `country:india` work in the query language.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions,
};

pub use crate::article::FacetKind;

/// Bumped whenever the schema or the meaning of a field changes; stored with every commit.
pub const SCHEMA_VERSION: u32 = 6;

/// The stemming tokenizer used for titles and bodies (registered by tantivy by default).
pub const STEM_TOKENIZER: &str = "en_stem";

/// Field handles, resolved once per opened index.
#[derive(Clone, Debug)]
pub struct Fields {
    /// Article id (raw, exact).
    pub id: Field,
    /// Source file path relative to the corpus root (raw, fast: file state and counts).
    pub path: Field,
    /// Source file fingerprint: `size:mtime_ns:content hash` (fast).
    pub fingerprint: Field,
    /// Headline (stemmed, positions).
    pub title: Field,
    /// Dek (stemmed, positions).
    pub subtitle: Field,
    /// Body text (stemmed, positions).
    pub body: Field,
    /// Publication time (indexed for ranges, fast for sorting and timelines).
    pub published: Field,
    /// Publisher, exact (fast for facets).
    pub source: Field,
    /// Canonical URL (stored only).
    pub url: Field,
    /// Author line (stored only).
    pub byline: Field,
    /// Language code, exact (fast for filters and facets).
    pub lang: Field,
    /// People as searchable text, in salience order (stored).
    pub person: Field,
    /// Country codes and names as searchable text (`IN India`).
    pub country: Field,
    /// Topic paths as searchable text, in salience order (stored).
    pub topic: Field,
    /// Organisations as searchable text, in salience order (stored).
    pub org: Field,
    /// People, exact (fast).
    pub person_kw: Field,
    /// Organisations, exact (fast).
    pub org_kw: Field,
    /// Names the article shows beside an organisation cue, exact (fast): evidence for the
    /// archive stage.
    pub org_cue_kw: Field,
    /// Country codes in salience order, exact (fast, stored).
    pub country_kw: Field,
    /// Topic paths and all their ancestors, exact (fast).
    pub topic_kw: Field,
    /// How sure the main topic is, from 0 to 1 (stored; absent on copies).
    pub topic_confidence: Field,
    /// Hash of the normalised text, shared by syndicated copies (indexed, fast).
    pub text_key: Field,
    /// True on a copy of an article held in another file (indexed, fast; see
    /// [`crate::index::copies`]).
    pub copy: Field,
    /// The position of a record in its file (stored; absent for a whole file; see
    /// [`crate::article::Place`]).
    pub ordinal: Field,
    /// The line a record starts on, where its format is read by lines (stored).
    pub line: Field,
}

/// How each facet kind is held in the index.
impl FacetKind {
    /// The keyword field holding this kind's exact values.
    pub fn keyword_field(self, fields: &Fields) -> Field {
        match self {
            FacetKind::Country => fields.country_kw,
            FacetKind::Person => fields.person_kw,
            FacetKind::Org => fields.org_kw,
            FacetKind::Topic => fields.topic_kw,
            FacetKind::Source => fields.source,
            FacetKind::Lang => fields.lang,
        }
    }

    /// The name of the keyword field (fast-field readers address columns by name).
    pub fn keyword_field_name(self) -> &'static str {
        match self {
            FacetKind::Country => COUNTRY_KW,
            FacetKind::Person => PERSON_KW,
            FacetKind::Org => ORG_KW,
            FacetKind::Topic => TOPIC_KW,
            FacetKind::Source => SOURCE,
            FacetKind::Lang => LANG,
        }
    }
}

const ID: &str = "id";
/// Fast-field name of the source path.
pub const PATH: &str = "path";
/// Fast-field name of the file fingerprint.
pub const FINGERPRINT: &str = "fingerprint";
const TITLE: &str = "title";
const SUBTITLE: &str = "subtitle";
const BODY: &str = "body";
/// Fast-field name of the publication date.
pub const PUBLISHED: &str = "published";
const SOURCE: &str = "source";
const URL: &str = "url";
const BYLINE: &str = "byline";
const LANG: &str = "lang";
const PERSON: &str = "person";
const COUNTRY: &str = "country";
const TOPIC: &str = "topic";
const ORG: &str = "org";
/// Fast-field name of the people.
pub const PERSON_KW: &str = "person_kw";
/// Fast-field name of the organisations.
pub const ORG_KW: &str = "org_kw";
/// Fast-field name of the names beside organisation cues.
pub const ORG_CUE_KW: &str = "org_cue_kw";
const COUNTRY_KW: &str = "country_kw";
const TOPIC_KW: &str = "topic_kw";
const TOPIC_CONFIDENCE: &str = "topic_confidence";
/// Fast-field name of the text key.
pub const TEXT_KEY: &str = "text_key";
/// Fast-field name of the copy flag.
pub const COPY: &str = "copy";
const ORDINAL: &str = "ordinal";
const LINE: &str = "line";

/// Builds the schema of this version.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    let stemmed = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEM_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let names = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let keyword = STRING | FAST;
    builder.add_text_field(ID, STRING | STORED);
    builder.add_text_field(PATH, STRING | STORED | FAST);
    builder.add_text_field(FINGERPRINT, STRING | FAST);
    builder.add_text_field(TITLE, stemmed.clone());
    builder.add_text_field(SUBTITLE, stemmed.clone());
    builder.add_text_field(BODY, stemmed);
    builder.add_date_field(
        PUBLISHED,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    builder.add_text_field(SOURCE, STRING | STORED | FAST);
    builder.add_text_field(URL, STORED);
    builder.add_text_field(BYLINE, STORED);
    builder.add_text_field(LANG, STRING | STORED | FAST);
    builder.add_text_field(PERSON, names.clone().set_stored());
    builder.add_text_field(COUNTRY, names.clone());
    builder.add_text_field(TOPIC, names.clone().set_stored());
    builder.add_text_field(ORG, names.set_stored());
    builder.add_text_field(PERSON_KW, keyword.clone());
    builder.add_text_field(ORG_KW, keyword.clone());
    builder.add_text_field(ORG_CUE_KW, keyword.clone());
    builder.add_text_field(COUNTRY_KW, keyword | STORED);
    builder.add_text_field(TOPIC_KW, STRING | FAST);
    builder.add_f64_field(TOPIC_CONFIDENCE, STORED);
    builder.add_u64_field(TEXT_KEY, INDEXED | FAST | STORED);
    builder.add_bool_field(COPY, INDEXED | FAST | STORED);
    builder.add_u64_field(ORDINAL, STORED);
    builder.add_u64_field(LINE, STORED);
    builder.build()
}

impl Fields {
    /// Resolves the field handles of `schema`; fails if a field is missing (an index written by
    /// another schema version).
    pub fn resolve(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: get(ID)?,
            path: get(PATH)?,
            fingerprint: get(FINGERPRINT)?,
            title: get(TITLE)?,
            subtitle: get(SUBTITLE)?,
            body: get(BODY)?,
            published: get(PUBLISHED)?,
            source: get(SOURCE)?,
            url: get(URL)?,
            byline: get(BYLINE)?,
            lang: get(LANG)?,
            person: get(PERSON)?,
            country: get(COUNTRY)?,
            topic: get(TOPIC)?,
            org: get(ORG)?,
            person_kw: get(PERSON_KW)?,
            org_kw: get(ORG_KW)?,
            org_cue_kw: get(ORG_CUE_KW)?,
            country_kw: get(COUNTRY_KW)?,
            topic_kw: get(TOPIC_KW)?,
            topic_confidence: get(TOPIC_CONFIDENCE)?,
            text_key: get(TEXT_KEY)?,
            copy: get(COPY)?,
            ordinal: get(ORDINAL)?,
            line: get(LINE)?,
        })
    }

    /// The fields the query language knows by name (`title:`, `person:`...), with the ones
    /// searched when a term names no field first.
    pub fn query_fields(&self) -> Vec<Field> {
        vec![self.title, self.subtitle, self.body]
    }

    /// The text fields a query may name: the article text and the entities as text.
    pub fn named_query_fields(&self) -> Vec<Field> {
        vec![
            self.title,
            self.subtitle,
            self.body,
            self.person,
            self.org,
            self.country,
            self.topic,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_resolves_every_field() {
        let schema = build_schema();
        let fields = Fields::resolve(&schema).expect("all fields present");
        assert_eq!(schema.get_field_name(fields.country_kw), "country_kw");
        assert_eq!(schema.fields().count(), 25);
        assert!(schema.get_field_entry(fields.lang).is_fast());
    }
}
