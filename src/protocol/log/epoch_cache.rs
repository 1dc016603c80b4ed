//! The leader-epoch cache: for each leader epoch, the first offset written in it.
//!
//! Models `org.apache.kafka.storage.internals.epoch.LeaderEpochFileCache` (KIP-101). Its
//! `end_offset_for` answers OffsetsForLeaderEpoch: with KIP-279's fix it returns the largest epoch
//! not above the requested one together with that epoch's end offset, so a follower can detect a
//! divergence even across several fast leader changes. `end_offset_for_kip101` is the answer as
//! KIP-101 first shipped it, which zoo #4 shows losing agreement between replicas.

use crate::protocol::types::{LeaderEpoch, Offset};
use serde::{Deserialize, Serialize};

/// Kafka's `UNDEFINED_EPOCH` and `UNDEFINED_EPOCH_OFFSET`.
pub const UNDEFINED_EPOCH: LeaderEpoch = -1;
pub const UNDEFINED_EPOCH_OFFSET: Offset = -1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EpochEntry {
    pub epoch: LeaderEpoch,
    pub start_offset: Offset,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaderEpochCache {
    entries: Vec<EpochEntry>,
}

impl LeaderEpochCache {
    pub fn entries(&self) -> &[EpochEntry] {
        &self.entries
    }

    pub fn latest_epoch(&self) -> Option<LeaderEpoch> {
        self.entries.last().map(|e| e.epoch)
    }

    /// The start offset of `epoch`, if the cache knows it.
    pub fn start_offset_of(&self, epoch: LeaderEpoch) -> Option<Offset> {
        self.entries.iter().find(|e| e.epoch == epoch).map(|e| e.start_offset)
    }

    /// Records that `epoch` begins at `start_offset`. Like Kafka's `assign`, an epoch not newer
    /// than the latest is ignored, and entries that the new one contradicts (starting at or
    /// after its start offset) are removed first.
    pub fn assign(&mut self, epoch: LeaderEpoch, start_offset: Offset) {
        if let Some(latest) = self.entries.last() {
            if epoch <= latest.epoch {
                return;
            }
        }
        self.entries.retain(|e| e.start_offset < start_offset);
        self.entries.push(EpochEntry { epoch, start_offset });
        self.debug_assert_invariants();
    }

    /// After the log is truncated to `end_offset`: drop epochs that start at or after it.
    pub fn truncate_from_end(&mut self, end_offset: Offset) {
        self.entries.retain(|e| e.start_offset < end_offset);
    }

    /// After the log start advances to `start_offset`: drop epochs wholly before it, and move
    /// the start of the epoch that contains it up to it (Kafka's `truncateFromStartAsyncFlush`).
    pub fn truncate_from_start(&mut self, start_offset: Offset) {
        let keep_from = self.entries.iter().rposition(|e| e.start_offset <= start_offset);
        if let Some(index) = keep_from {
            self.entries.drain(..index);
            self.entries[0].start_offset = start_offset;
        }
    }

    /// OffsetsForLeaderEpoch, KIP-279 semantics (`LeaderEpochFileCache.endOffsetFor`).
    pub fn end_offset_for(
        &self,
        requested_epoch: LeaderEpoch,
        log_end_offset: Offset,
    ) -> (LeaderEpoch, Offset) {
        if requested_epoch == UNDEFINED_EPOCH {
            return (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
        }
        if self.latest_epoch() == Some(requested_epoch) {
            return (requested_epoch, log_end_offset);
        }
        let higher = self.entries.iter().find(|e| e.epoch > requested_epoch);
        let floor = self.entries.iter().rev().find(|e| e.epoch <= requested_epoch);
        match (higher, floor) {
            (None, _) => (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET),
            (Some(higher), None) => (requested_epoch, higher.start_offset),
            (Some(higher), Some(floor)) => (floor.epoch, higher.start_offset),
        }
    }

    /// OffsetsForLeaderEpoch as KIP-101 first shipped it (Kafka 0.11): the start offset of the
    /// first epoch after the requested one, without saying which epoch that offset belongs to.
    pub fn end_offset_for_kip101(
        &self,
        requested_epoch: LeaderEpoch,
        log_end_offset: Offset,
    ) -> (LeaderEpoch, Offset) {
        if self.latest_epoch() == Some(requested_epoch) {
            return (requested_epoch, log_end_offset);
        }
        let first = self.entries.first().map(|e| e.epoch);
        match self.entries.iter().find(|e| e.epoch > requested_epoch) {
            Some(next) if first.is_some_and(|f| requested_epoch >= f) => {
                (requested_epoch, next.start_offset)
            }
            _ => (requested_epoch, UNDEFINED_EPOCH_OFFSET),
        }
    }

    fn debug_assert_invariants(&self) {
        debug_assert!(
            self.entries.windows(2).all(|w| w[0].epoch < w[1].epoch
                && w[0].start_offset <= w[1].start_offset),
            "leader epoch cache must be increasing in epoch and start offset: {:?}",
            self.entries
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cache(entries: &[(LeaderEpoch, Offset)]) -> LeaderEpochCache {
        let mut c = LeaderEpochCache::default();
        for &(epoch, start) in entries {
            c.assign(epoch, start);
        }
        c
    }

    #[test]
    fn end_offset_for_latest_epoch_is_log_end() {
        let c = cache(&[(0, 0), (2, 5)]);
        assert_eq!(c.end_offset_for(2, 9), (2, 9));
    }

    #[test]
    fn end_offset_for_unknown_middle_epoch_returns_floor_epoch_kip279() {
        // Epochs 0 and 2 exist; a follower asks about epoch 1, which this leader never had.
        let c = cache(&[(0, 0), (2, 5)]);
        assert_eq!(c.end_offset_for(1, 9), (0, 5));
        assert_eq!(c.end_offset_for(0, 9), (0, 5));
    }

    #[test]
    fn end_offset_for_epoch_before_first_and_after_latest() {
        let c = cache(&[(3, 10), (5, 20)]);
        assert_eq!(c.end_offset_for(1, 30), (1, 10));
        assert_eq!(c.end_offset_for(7, 30), (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET));
        assert_eq!(c.end_offset_for(UNDEFINED_EPOCH, 30), (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET));
    }

    #[test]
    fn kip101_answer_hides_the_epoch() {
        let c = cache(&[(0, 0), (2, 5)]);
        // KIP-279 would say (0, 5); the original answer claims offset 5 belongs to epoch 1.
        assert_eq!(c.end_offset_for_kip101(1, 9), (1, 5));
    }

    #[test]
    fn assign_ignores_stale_epochs_and_truncation_drops_tail() {
        let mut c = cache(&[(0, 0), (1, 4)]);
        c.assign(1, 8);
        c.assign(0, 9);
        assert_eq!(c.entries().len(), 2);
        c.truncate_from_end(4);
        assert_eq!(c.entries(), &[EpochEntry { epoch: 0, start_offset: 0 }]);
        let mut c = cache(&[(0, 0), (1, 4), (2, 8)]);
        c.truncate_from_start(5);
        assert_eq!(
            c.entries(),
            &[EpochEntry { epoch: 1, start_offset: 5 }, EpochEntry { epoch: 2, start_offset: 8 }]
        );
    }
}
