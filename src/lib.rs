//! newsdex: a search engine for news archives. Reads a folder of articles, extracts the people,
//! countries and topics each is about, indexes them with tantivy and answers ranked, faceted
//! searches.

#![warn(missing_docs)]

pub mod article;
pub mod corpus;
pub mod enrich;
