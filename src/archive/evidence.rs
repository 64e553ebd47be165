//! The evidence the archive holds about its names: how many articles carry each person value,
//! each organisation value and each name beside an organisation cue, and when the people's
//! articles were published. Read from the keyword columns of an index (live articles only, in
//! one pass over each segment's columns, never the stored text), or gathered from entities as
//! `extract` reads them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Searcher, SegmentReader};

use super::names::Evidence;
use crate::article::Entities;
use crate::index::schema::{ORG_CUE_KW, ORG_KW, PERSON_KW, PUBLISHED};

impl Evidence {
    /// Counts one article's names, published at `published` when known.
    pub fn add(&mut self, entities: &Entities, published: Option<Timestamp>) {
        let distinct = |values: &[String]| {
            let mut seen: Vec<&str> = Vec::with_capacity(values.len());
            for value in values {
                if !seen.contains(&value.as_str()) {
                    seen.push(value);
                }
            }
            seen.into_iter()
                .map(str::to_string)
                .collect::<Vec<String>>()
        };
        let people = distinct(&entities.people);
        if let Some(published) = published {
            for person in &people {
                add_date(&mut self.person_dates, person, published.as_second(), 1);
            }
        }
        for (into, values) in [
            (&mut self.people, people),
            (&mut self.orgs, distinct(&entities.orgs)),
            (&mut self.org_cues, distinct(&entities.org_cues)),
        ] {
            for value in values {
                *into.entry(value).or_default() += 1;
            }
        }
    }

    /// The evidence of every live article of an index.
    pub fn from_index(searcher: &Searcher) -> tantivy::Result<Evidence> {
        let mut evidence = Evidence::default();
        for segment in searcher.segment_readers() {
            let live = |doc: DocId| {
                segment
                    .alive_bitset()
                    .is_none_or(|alive| alive.is_alive(doc))
            };
            for (name, into) in [
                (PERSON_KW, &mut evidence.people),
                (ORG_KW, &mut evidence.orgs),
                (ORG_CUE_KW, &mut evidence.org_cues),
            ] {
                each_value(
                    segment,
                    name,
                    &live,
                    0u64,
                    |count, _| *count += 1,
                    |value, count| {
                        *into.entry(value.to_string()).or_default() += count;
                    },
                )?;
            }
            let Ok(published) = segment.fast_fields().date(PUBLISHED) else {
                continue;
            };
            each_value(
                segment,
                PERSON_KW,
                &live,
                (0i64, 0u64),
                |dates, doc| {
                    if let Some(date) = published.first(doc) {
                        dates.0 += date.into_timestamp_secs();
                        dates.1 += 1;
                    }
                },
                |value, (sum, n)| {
                    if n > 0 {
                        add_date(&mut evidence.person_dates, value, sum, n);
                    }
                },
            )?;
        }
        Ok(evidence)
    }
}

fn add_date(into: &mut BTreeMap<String, (i64, u64)>, value: &str, seconds: i64, n: u64) {
    let entry = into.entry(value.to_string()).or_default();
    entry.0 += seconds;
    entry.1 += n;
}

/// Folds the live documents of one segment into a `T` for each value of the keyword column
/// `name` (`fold(per_value, doc)`), then hands each value that any live document holds to
/// `each`, in one sequential pass over the column's dictionary.
fn each_value<T: Clone>(
    segment: &SegmentReader,
    name: &str,
    live: &dyn Fn(DocId) -> bool,
    zero: T,
    mut fold: impl FnMut(&mut T, DocId),
    mut each: impl FnMut(&str, T),
) -> tantivy::Result<()> {
    let Some(column): Option<StrColumn> = segment.fast_fields().str(name)? else {
        return Ok(());
    };
    let mut by_ord = vec![zero.clone(); column.num_terms()];
    let mut held = vec![false; column.num_terms()];
    for doc in (0..segment.max_doc()).filter(|&doc| live(doc)) {
        for ord in column.term_ords(doc) {
            fold(&mut by_ord[ord as usize], doc);
            held[ord as usize] = true;
        }
    }
    let ords: Vec<u64> = (0..by_ord.len() as u64)
        .filter(|&ord| held[ord as usize])
        .collect();
    let mut values = ords
        .iter()
        .map(|&ord| std::mem::replace(&mut by_ord[ord as usize], zero.clone()));
    column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        if let (Some(value), Ok(text)) = (values.next(), std::str::from_utf8(bytes)) {
            each(text, value);
        }
    })?;
    Ok(())
}
