//! Counting matching articles per year or month, every period between the first and the last
//! present included (empty ones with 0).

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use tantivy::collector::Count;

use super::collect::PublishedDays;
use super::{FacetCount, Filters, SearchError, query};
use crate::index::NewsIndex;

/// The size of a period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Granularity {
    /// Calendar years (`2026`).
    Year,
    /// Calendar months (`2026-11`).
    Month,
    /// ISO 8601 weeks, Monday to Sunday (`2026-W48`).
    Week,
    /// Days (`2026-11-26`).
    Day,
}

impl Granularity {
    /// The first day of the period holding `date`.
    fn start(self, date: Date) -> Date {
        match self {
            Granularity::Year => date.first_of_year(),
            Granularity::Month => date.first_of_month(),
            Granularity::Week => date
                .checked_sub(i64::from(date.weekday().to_monday_zero_offset()).days())
                .unwrap_or(date),
            Granularity::Day => date,
        }
    }

    /// The first day of the next period.
    fn next(self, start: Date) -> Option<Date> {
        let step = match self {
            Granularity::Year => 1.year(),
            Granularity::Month => 1.month(),
            Granularity::Week => 1.week(),
            Granularity::Day => 1.day(),
        };
        start.checked_add(step).ok()
    }

    /// The label of the period starting on `start`.
    fn label(self, start: Date) -> String {
        match self {
            Granularity::Year => format!("{:04}", start.year()),
            Granularity::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Granularity::Week => {
                let week = start.iso_week_date();
                format!("{:04}-W{:02}", week.year(), week.week())
            }
            Granularity::Day => start.to_string(),
        }
    }
}

/// At most this many periods are listed (a century of weeks); older ones are cut.
const MAX_PERIODS: usize = 5_300;

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
    let text_query = query::parse_text(&searcher, fields, text)?;
    let full = query::filtered(&searcher, fields, text_query, filters)?;
    let (total, (days, undated)) = searcher
        .search(&*full, &(Count, PublishedDays))
        .map_err(SearchError::Tantivy)?;
    Ok(Timeline {
        total: total as u64,
        undated,
        buckets: bucket(&days, granularity),
    })
}

/// Groups counts per day (days since the Unix epoch) into consecutive periods, every period
/// from the first to the last.
pub fn bucket(days: &BTreeMap<i64, u64>, granularity: Granularity) -> Vec<FacetCount> {
    let mut counts: BTreeMap<Date, u64> = BTreeMap::new();
    for (&day, &count) in days {
        let Ok(time) = Timestamp::from_second(day.saturating_mul(86_400)) else {
            continue;
        };
        let date = time.to_zoned_datetime(TimeZone::UTC).date();
        *counts.entry(granularity.start(date)).or_default() += count;
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut buckets = Vec::new();
    let mut start = Some(first);
    while let Some(period) = start.filter(|p| *p <= last) {
        buckets.push(FacetCount {
            value: granularity.label(period),
            count: counts.get(&period).copied().unwrap_or(0),
        });
        start = granularity.next(period);
    }
    if buckets.len() > MAX_PERIODS {
        buckets.drain(..buckets.len() - MAX_PERIODS);
    }
    buckets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(rfc3339: &[&str]) -> BTreeMap<i64, u64> {
        let mut days = BTreeMap::new();
        for time in rfc3339 {
            let secs = time.parse::<Timestamp>().unwrap().as_second();
            *days.entry(secs.div_euclid(86_400)).or_default() += 1;
        }
        days
    }

    #[test]
    fn months_between_first_and_last_are_all_present() {
        let all = [
            "2019-11-30T23:59:59Z",
            "2020-02-01T00:00:00Z",
            "2020-02-15T00:00:00Z",
        ];
        let times = days(&all);
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
        assert!(bucket(&BTreeMap::new(), Granularity::Year).is_empty());
        let weeks: Vec<(String, u64)> = bucket(&times, Granularity::Week)
            .into_iter()
            .map(|b| (b.value, b.count))
            .collect();
        assert_eq!(weeks.first(), Some(&("2019-W48".to_string(), 1)));
        assert_eq!(weeks.last(), Some(&("2020-W07".to_string(), 1)));
        assert_eq!(weeks.len(), 12);
        assert_eq!(weeks[1], ("2019-W49".to_string(), 0));
        let days = bucket(&days(&all[1..]), Granularity::Day);
        assert_eq!(days.len(), 15);
        assert_eq!((days[0].value.as_str(), days[0].count), ("2020-02-01", 1));
        assert_eq!((days[14].value.as_str(), days[14].count), ("2020-02-15", 1));
    }
}
