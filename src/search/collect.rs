//! Collectors that count values over a whole result set in the same pass as the top hits:
//! exact counts of keyword values (countries, people, topics, sources) and of publication
//! periods.

use std::collections::BTreeMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DateTime, DocId, Score, SegmentOrdinal, SegmentReader};

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::NameGroups;
use crate::index::schema::{FacetKind, PUBLISHED};

/// Counts, per facet kind, how many matching documents carry each value.
pub struct KeywordCounts {
    kinds: Vec<FacetKind>,
    groups: Option<Arc<NameGroups>>,
}

impl KeywordCounts {
    /// Counts the given kinds (none: the collector does nothing).
    pub fn new(kinds: Vec<FacetKind>) -> KeywordCounts {
        KeywordCounts {
            kinds,
            groups: None,
        }
    }

    /// Counts an article holding several values of one entity once (on the first value met).
    pub fn grouping(mut self, groups: Option<Arc<NameGroups>>) -> KeywordCounts {
        self.groups = groups;
        self
    }
}

/// Counts by value, for each kind.
pub type CountsByKind = BTreeMap<FacetKind, BTreeMap<String, u64>>;

/// The per-segment half of [`KeywordCounts`]: counts by term ordinal.
pub struct SegmentKeywordCounts {
    columns: Vec<(FacetKind, Option<StrColumn>, Vec<u64>)>,
    /// For each column, the entity of each ordinal that belongs to one with several values.
    entities: Vec<FxHashMap<u64, u32>>,
    /// The entities met in the current document.
    seen: Vec<u32>,
}

impl Collector for KeywordCounts {
    type Fruit = CountsByKind;
    type Child = SegmentKeywordCounts;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentKeywordCounts> {
        let mut columns = Vec::with_capacity(self.kinds.len());
        let mut entities = Vec::with_capacity(self.kinds.len());
        for &kind in &self.kinds {
            let column = reader.fast_fields().str(kind.keyword_field_name())?;
            let counts = vec![0; column.as_ref().map_or(0, |c| c.num_terms())];
            let values = match (&self.groups, kind) {
                (Some(groups), FacetKind::Person) => Some(&groups.person),
                (Some(groups), FacetKind::Org) => Some(&groups.org),
                _ => None,
            };
            let mut by_ord = FxHashMap::default();
            if let (Some(values), Some(column)) = (values, &column) {
                for (value, &entity) in values {
                    if let Some(ord) = column.dictionary().term_ord(value)? {
                        by_ord.insert(ord, entity);
                    }
                }
            }
            entities.push(by_ord);
            columns.push((kind, column, counts));
        }
        Ok(SegmentKeywordCounts {
            columns,
            entities,
            seen: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<CountsByKind>) -> tantivy::Result<CountsByKind> {
        let mut merged = CountsByKind::new();
        for fruit in fruits {
            for (kind, counts) in fruit {
                let into = merged.entry(kind).or_default();
                for (value, count) in counts {
                    *into.entry(value).or_default() += count;
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentKeywordCounts {
    type Fruit = CountsByKind;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.seen.clear();
        for ((_, column, counts), entities) in self.columns.iter_mut().zip(&self.entities) {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    if let Some(&entity) = entities.get(&ord) {
                        if self.seen.contains(&entity) {
                            continue;
                        }
                        self.seen.push(entity);
                    }
                    if let Some(count) = counts.get_mut(ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
    }

    fn harvest(self) -> CountsByKind {
        let mut fruit = CountsByKind::new();
        for (kind, column, counts) in self.columns {
            let into = fruit.entry(kind).or_default();
            let Some(column) = column else { continue };
            // One sequential pass over the dictionary for the ordinals seen, in order: looking
            // each up alone would decode its dictionary block again every time.
            let seen: Vec<(u64, u64)> = counts
                .into_iter()
                .enumerate()
                .filter(|&(_, count)| count > 0)
                .map(|(ord, count)| (ord as u64, count))
                .collect();
            let ords: Vec<u64> = seen.iter().map(|&(ord, _)| ord).collect();
            let mut counts = seen.iter().map(|&(_, count)| count);
            let _complete = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                let count = counts.next().unwrap_or(0);
                if let Ok(value) = std::str::from_utf8(bytes) {
                    into.insert(value.to_string(), count);
                }
            });
        }
        fruit
    }
}

/// Counts matching documents per publication day (days since the Unix epoch, UTC), and the
/// undated ones, for timelines.
pub struct PublishedDays;

/// Documents per day, and documents without a date.
pub type DayCounts = (BTreeMap<i64, u64>, u64);

/// The per-segment half of [`PublishedDays`].
pub struct SegmentPublishedDays {
    column: Option<Column<DateTime>>,
    days: BTreeMap<i64, u64>,
    undated: u64,
}

impl Collector for PublishedDays {
    type Fruit = DayCounts;
    type Child = SegmentPublishedDays;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPublishedDays> {
        let column = reader.fast_fields().date(PUBLISHED).ok();
        Ok(SegmentPublishedDays {
            column,
            days: BTreeMap::new(),
            undated: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<DayCounts>) -> tantivy::Result<DayCounts> {
        let mut days = BTreeMap::new();
        let mut undated = 0;
        for (segment_days, segment_undated) in fruits {
            for (day, count) in segment_days {
                *days.entry(day).or_default() += count;
            }
            undated += segment_undated;
        }
        Ok((days, undated))
    }
}

impl SegmentCollector for SegmentPublishedDays {
    type Fruit = DayCounts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        match self.column.as_ref().and_then(|column| column.first(doc)) {
            Some(date) => {
                *self
                    .days
                    .entry(date.into_timestamp_secs().div_euclid(86_400))
                    .or_default() += 1
            }
            None => self.undated += 1,
        }
    }

    fn harvest(self) -> DayCounts {
        (self.days, self.undated)
    }
}
