//! When segments are merged. Sizes follow tantivy's log-size policy; deleted articles are purged
//! segment by segment.
//!
//! tantivy's `LogMergePolicy` purges deletes by merging the whole *level* of a segment that
//! passes the deleted-share threshold, and counts every segment under 10,000 articles as 10,000,
//! so a nightly run that tips one segment over, or that adds the eighth small segment, rewrote
//! the whole index at once. Here a segment over the threshold is rewritten alone, and a night's
//! few hundred articles form a level of their own.

use std::collections::HashSet;

use tantivy::SegmentMeta;
use tantivy::index::SegmentId;
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// Segments smaller than this many articles count as this size when grouped into levels.
const MIN_LAYER_SIZE: u32 = 1_000;

/// The merge policy of every newsdex writer.
#[derive(Debug)]
pub struct NightlyMergePolicy {
    sizes: LogMergePolicy,
    max_deleted_share: f32,
}

impl NightlyMergePolicy {
    /// Rewrites any segment with more than `max_deleted_share` of its articles deleted.
    pub fn new(max_deleted_share: f32) -> NightlyMergePolicy {
        let mut sizes = LogMergePolicy::default();
        sizes.set_min_layer_size(MIN_LAYER_SIZE);
        NightlyMergePolicy {
            sizes,
            max_deleted_share,
        }
    }
}

impl MergePolicy for NightlyMergePolicy {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let mut candidates = self.sizes.compute_merge_candidates(segments);
        let taken: HashSet<SegmentId> = candidates
            .iter()
            .flat_map(|candidate| candidate.0.iter().copied())
            .collect();
        candidates.extend(
            segments
                .iter()
                .filter(|segment| !taken.contains(&segment.id()))
                .filter(|segment| deleted_share(segment) > self.max_deleted_share)
                .map(|segment| MergeCandidate(vec![segment.id()])),
        );
        candidates
    }
}

fn deleted_share(segment: &SegmentMeta) -> f32 {
    if segment.max_doc() == 0 {
        return 0.0;
    }
    segment.num_deleted_docs() as f32 / segment.max_doc() as f32
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{STRING, Schema};
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    use super::*;
    use crate::index::options::MIN_THREAD_BUDGET;

    /// An index of `sizes.len()` segments of the given sizes, with `deleted[i]` of segment `i`'s
    /// documents deleted.
    fn segments(sizes: &[u32], deleted: &[u32]) -> Vec<SegmentMeta> {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter<TantivyDocument> = index
            .writer_with_num_threads(1, MIN_THREAD_BUDGET)
            .expect("writer");
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        for (segment, &size) in sizes.iter().enumerate() {
            for n in 0..size {
                writer
                    .add_document(doc!(id => format!("{segment}-{n}")))
                    .expect("add");
            }
            writer.commit().expect("commit");
        }
        for (segment, &count) in deleted.iter().enumerate() {
            for n in 0..count {
                writer.delete_term(Term::from_field_text(id, &format!("{segment}-{n}")));
            }
        }
        writer.commit().expect("commit");
        index.searchable_segment_metas().expect("metas")
    }

    fn candidate_sizes(policy: &NightlyMergePolicy, metas: &[SegmentMeta]) -> Vec<Vec<u32>> {
        let mut sizes: Vec<Vec<u32>> = policy
            .compute_merge_candidates(metas)
            .into_iter()
            .map(|candidate| {
                let mut sizes: Vec<u32> = candidate
                    .0
                    .iter()
                    .filter_map(|id| metas.iter().find(|m| m.id() == *id))
                    .map(SegmentMeta::max_doc)
                    .collect();
                sizes.sort_unstable();
                sizes
            })
            .collect();
        sizes.sort();
        sizes
    }

    #[test]
    fn a_segment_over_the_deleted_share_is_rewritten_alone() {
        let metas = segments(&[300, 310, 320], &[0, 70, 0]);
        let policy = NightlyMergePolicy::new(0.2);
        assert_eq!(candidate_sizes(&policy, &metas), vec![vec![310]]);
        let lenient = NightlyMergePolicy::new(0.3);
        assert!(candidate_sizes(&lenient, &metas).is_empty());
    }

    #[test]
    fn eight_small_segments_merge_among_themselves() {
        let sizes = [2000, 2100, 10, 11, 12, 13, 14, 15, 16, 17];
        let metas = segments(&sizes, &[]);
        let policy = NightlyMergePolicy::new(0.2);
        assert_eq!(
            candidate_sizes(&policy, &metas),
            vec![vec![10, 11, 12, 13, 14, 15, 16, 17]]
        );
    }
}
