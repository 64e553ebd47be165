//! The evidence the archive holds about its names: how many articles carry each person value,
//! each organisation value and each name beside an organisation cue. Read from the keyword
//! columns of an index (live articles only, in one pass over each segment's columns, never the
//! stored text), or gathered from entities as `extract` reads them.

use std::collections::BTreeMap;

use jiff::Timestamp;
use tantivy::Searcher;
use tantivy::columnar::StrColumn;

use super::names::Evidence;
use crate::article::Entities;
use crate::index::schema::{ORG_CUE_KW, ORG_KW, PERSON_KW, PUBLISHED};

impl Evidence {
    /// Counts one article's names, published at `published` when known.
    pub fn add(&mut self, entities: &Entities, published: Option<Timestamp>) {
        if let Some(year) = published.map(year_of) {
            let mut seen: Vec<&str> = Vec::new();
            for person in &entities.people {
                if !seen.contains(&person.as_str()) {
                    seen.push(person);
                    let entry = self.person_years.entry(person.clone()).or_default();
                    entry.0 += year;
                    entry.1 += 1;
                }
            }
        }
        let count = |into: &mut BTreeMap<String, u64>, values: &[String]| {
            let mut seen: Vec<&str> = Vec::with_capacity(values.len());
            for value in values {
                if !seen.contains(&value.as_str()) {
                    seen.push(value);
                    *into.entry(value.clone()).or_default() += 1;
                }
            }
        };
        count(&mut self.people, &entities.people);
        count(&mut self.orgs, &entities.orgs);
        count(&mut self.org_cues, &entities.org_cues);
    }

    /// The evidence of every live article of an index.
    pub fn from_index(searcher: &Searcher) -> tantivy::Result<Evidence> {
        let mut evidence = Evidence::default();
        for segment in searcher.segment_readers() {
            let alive = segment.alive_bitset();
            let published = segment.fast_fields().date(PUBLISHED).ok();
            for (name, into) in [
                (PERSON_KW, &mut evidence.people),
                (ORG_KW, &mut evidence.orgs),
                (ORG_CUE_KW, &mut evidence.org_cues),
            ] {
                let Some(column) = segment.fast_fields().str(name)? else {
                    continue;
                };
                let mut counts = vec![0u64; column.num_terms()];
                for doc in 0..segment.max_doc() {
                    if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                        continue;
                    }
                    for ord in column.term_ords(doc) {
                        counts[ord as usize] += 1;
                    }
                }
                add_counts(&column, &counts, into)?;
            }
            // The years of the people's articles.
            let (Some(people), Some(published)) =
                (segment.fast_fields().str(PERSON_KW)?, published)
            else {
                continue;
            };
            let mut years = vec![(0i64, 0u64); people.num_terms()];
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|alive| !alive.is_alive(doc)) {
                    continue;
                }
                let Some(date) = published.first(doc) else {
                    continue;
                };
                let year = year_of_seconds(date.into_timestamp_secs());
                for ord in people.term_ords(doc) {
                    let entry = &mut years[ord as usize];
                    entry.0 += year;
                    entry.1 += 1;
                }
            }
            let dated: Vec<(u64, (i64, u64))> = years
                .into_iter()
                .enumerate()
                .filter(|(_, (_, n))| *n > 0)
                .map(|(ord, years)| (ord as u64, years))
                .collect();
            let ords: Vec<u64> = dated.iter().map(|&(ord, _)| ord).collect();
            let mut values = dated.iter().map(|&(_, years)| years);
            people.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let (sum, n) = values.next().unwrap_or_default();
                if let Ok(value) = std::str::from_utf8(bytes) {
                    let entry = evidence.person_years.entry(value.to_string()).or_default();
                    entry.0 += sum;
                    entry.1 += n;
                }
            })?;
        }
        Ok(evidence)
    }
}

/// Adds the non-zero counts by ordinal of `column` to `into`, by value, in one sequential pass
/// over the column's dictionary.
fn add_counts(
    column: &StrColumn,
    counts: &[u64],
    into: &mut BTreeMap<String, u64>,
) -> tantivy::Result<()> {
    let seen: Vec<(u64, u64)> = counts
        .iter()
        .enumerate()
        .filter(|&(_, &count)| count > 0)
        .map(|(ord, &count)| (ord as u64, count))
        .collect();
    let ords: Vec<u64> = seen.iter().map(|&(ord, _)| ord).collect();
    let mut counts = seen.iter().map(|&(_, count)| count);
    column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
        let count = counts.next().unwrap_or(0);
        if let Ok(value) = std::str::from_utf8(bytes) {
            *into.entry(value.to_string()).or_default() += count;
        }
    })?;
    Ok(())
}

/// The calendar year (UTC) of a time.
fn year_of(time: Timestamp) -> i64 {
    year_of_seconds(time.as_second())
}

/// The calendar year (UTC) of seconds since the Unix epoch (the proleptic Gregorian
/// calendar's civil-from-days conversion).
fn year_of_seconds(seconds: i64) -> i64 {
    let days = seconds.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    year_of_era + era * 400 + i64::from(month_index >= 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_the_utc_calendar_years() {
        let year = |text: &str| year_of(text.parse::<Timestamp>().unwrap());
        assert_eq!(year("1987-03-03T00:00:00Z"), 1987);
        assert_eq!(year("2004-12-31T23:59:59Z"), 2004);
        assert_eq!(year("2005-01-01T00:00:00Z"), 2005);
        assert_eq!(year("2000-02-29T12:00:00Z"), 2000);
        assert_eq!(year("1969-12-31T23:59:59Z"), 1969);
    }
}
