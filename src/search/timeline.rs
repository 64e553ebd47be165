//! Counting matching articles per year or month, every period between the first and the last
//! present included (empty ones with 0).

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use tantivy::collector::Count;

use super::collect::PublishedTimes;
use super::{FacetCount, Filters, SearchError, query};
use crate::index::NewsIndex;

/// The size of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// Calendar years (`2026`).
    Year,
    /// Calendar months (`2026-11`).
    Month,
}

/// Counts per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// Matching articles in all, dated or not.
    pub total: u64,
    /// Matching articles without a date.
    pub undated: u64,
    /// One bucket per period, oldest first.
    pub buckets: Vec<FacetCount>,
}

/// Counts the articles matching `text` and `filters` per period.
pub fn timeline(
    index: &NewsIndex,
    text: &str,
    filters: &Filters,
    granularity: Granularity,
) -> Result<Timeline, SearchError> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = index.fields();
    let text_query = query::parse_text(index.index(), fields, text)?;
    let clauses = query::filter_clauses(&searcher, fields, filters)?;
    let full = query::combine(text_query, clauses);
    let (total, (times, undated)) = searcher
        .search(&*full, &(Count, PublishedTimes))
        .map_err(SearchError::Tantivy)?;
    Ok(Timeline {
        total: total as u64,
        undated,
        buckets: bucket(&times, granularity),
    })
}

/// Groups Unix times into consecutive periods.
pub fn bucket(times: &[i64], granularity: Granularity) -> Vec<FacetCount> {
    let mut counts: BTreeMap<(i16, i8), u64> = BTreeMap::new();
    for &secs in times {
        let Ok(time) = Timestamp::from_second(secs) else {
            continue;
        };
        let date = time.to_zoned_datetime(TimeZone::UTC).date();
        let key = match granularity {
            Granularity::Year => (date.year(), 1),
            Granularity::Month => (date.year(), date.month()),
        };
        *counts.entry(key).or_default() += 1;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut buckets = Vec::new();
    let mut key = first;
    while key <= last {
        let value = match granularity {
            Granularity::Year => format!("{:04}", key.0),
            Granularity::Month => format!("{:04}-{:02}", key.0, key.1),
        };
        buckets.push(FacetCount {
            value,
            count: counts.get(&key).copied().unwrap_or(0),
        });
        key = match granularity {
            Granularity::Year => (key.0 + 1, 1),
            Granularity::Month if key.1 == 12 => (key.0 + 1, 1),
            Granularity::Month => (key.0, key.1 + 1),
        };
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(rfc3339: &str) -> i64 {
        rfc3339.parse::<Timestamp>().unwrap().as_second()
    }

    #[test]
    fn months_between_first_and_last_are_all_present() {
        let times = [
            secs("2019-11-30T23:59:59Z"),
            secs("2020-02-01T00:00:00Z"),
            secs("2020-02-15T00:00:00Z"),
        ];
        let buckets: Vec<(String, u64)> = bucket(&times, Granularity::Month)
            .into_iter()
            .map(|b| (b.value, b.count))
            .collect();
        assert_eq!(
            buckets,
            vec![
                ("2019-11".to_string(), 1),
                ("2019-12".to_string(), 0),
                ("2020-01".to_string(), 0),
                ("2020-02".to_string(), 2),
            ]
        );
        let years: Vec<(String, u64)> = bucket(&times, Granularity::Year)
            .into_iter()
            .map(|b| (b.value, b.count))
            .collect();
        assert_eq!(
            years,
            vec![("2019".to_string(), 1), ("2020".to_string(), 2)]
        );
        assert!(bucket(&[], Granularity::Year).is_empty());
    }
}
