//! One replica's log of one partition, with Kafka's offsets and the disk model.
//!
//! Models `kafka.log.UnifiedLog` / `LocalLog` at the level the protocol needs: batches with
//! offsets, log start offset, log end offset (LEO), high watermark (HW), the leader-epoch cache,
//! truncation, segments for retention, and the flush state. Data below the *recovery point* has
//! been fsynced; a power loss keeps only that (Kafka's defaults never fsync: durability comes
//! from replication, which is the point several lessons make).
//!
//! Invariants, asserted where state changes: `log_start_offset <= high_watermark <= log_end_offset`,
//! `recovery_point <= log_end_offset`, batches are contiguous from `log_start_offset`.

use super::batch::RecordBatch;
use super::epoch_cache::LeaderEpochCache;
use super::producer_state::{ProducerState, SequenceCheck};
use super::txn_index::{AbortedTxn, TxnIndex};
use crate::protocol::types::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// One segment file, reduced to what retention needs (`LogSegment`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub base_offset: Offset,
    pub size_bytes: u64,
    pub largest_timestamp_ms: SimTime,
}

/// Why an append was refused; each is a bug in the caller, not a user error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AppendError {
    #[error("batch at offset {batch_base_offset} does not follow log end offset {log_end_offset}")]
    NotContiguous { batch_base_offset: Offset, log_end_offset: Offset },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionLog {
    batches: VecDeque<RecordBatch>,
    log_start_offset: Offset,
    log_end_offset: Offset,
    high_watermark: Offset,
    epoch_cache: LeaderEpochCache,
    /// Everything below this offset is on stable storage (Kafka's `recoveryPoint`).
    recovery_point: Offset,
    unflushed_messages: u64,
    last_flush_ms: SimTime,
    segments: Vec<Segment>,
    size_bytes: u64,
    /// `segment.bytes`: the active segment rolls when an append would exceed it.
    segment_bytes: u64,
    /// Idempotent producers seen in this log (derived from the batches).
    producer_state: ProducerState,
    /// Open and aborted transactions (derived from the batches).
    #[serde(default)]
    txn_index: TxnIndex,
}

/// Kafka's default `log.segment.bytes` (1 GiB).
pub const DEFAULT_SEGMENT_BYTES: u64 = 1 << 30;

impl Default for PartitionLog {
    fn default() -> Self {
        PartitionLog::new()
    }
}

impl PartitionLog {
    pub fn new() -> PartitionLog {
        PartitionLog::with_segment_bytes(DEFAULT_SEGMENT_BYTES)
    }

    pub fn with_segment_bytes(segment_bytes: u64) -> PartitionLog {
        PartitionLog {
            batches: VecDeque::new(),
            log_start_offset: 0,
            log_end_offset: 0,
            high_watermark: 0,
            epoch_cache: LeaderEpochCache::default(),
            recovery_point: 0,
            unflushed_messages: 0,
            last_flush_ms: 0,
            segments: vec![Segment { base_offset: 0, size_bytes: 0, largest_timestamp_ms: 0 }],
            size_bytes: 0,
            segment_bytes,
            producer_state: ProducerState::default(),
            txn_index: TxnIndex::default(),
        }
    }

    pub fn log_start_offset(&self) -> Offset {
        self.log_start_offset
    }
    pub fn log_end_offset(&self) -> Offset {
        self.log_end_offset
    }
    pub fn high_watermark(&self) -> Offset {
        self.high_watermark
    }
    pub fn recovery_point(&self) -> Offset {
        self.recovery_point
    }
    pub fn epoch_cache(&self) -> &LeaderEpochCache {
        &self.epoch_cache
    }
    pub fn latest_epoch(&self) -> Option<LeaderEpoch> {
        self.epoch_cache.latest_epoch()
    }
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }
    pub fn batches(&self) -> impl DoubleEndedIterator<Item = &RecordBatch> + '_ {
        self.batches.iter()
    }
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    pub fn producer_state(&self) -> &ProducerState {
        &self.producer_state
    }

    pub fn txn_index(&self) -> &TxnIndex {
        &self.txn_index
    }

    /// The last stable offset: below the oldest open transaction and the high watermark
    /// (`UnifiedLog.lastStableOffset`). read_committed consumers read only below it.
    pub fn last_stable_offset(&self) -> Offset {
        let lso = self.txn_index.first_unstable_offset().map_or(self.high_watermark, |f| f.min(self.high_watermark));
        assert!(lso <= self.high_watermark, "LSO {lso} above the high watermark {}", self.high_watermark);
        lso.max(self.log_start_offset)
    }

    /// Aborted transactions overlapping `[from, to)`, for a read_committed fetch.
    pub fn aborted_transactions(&self, from: Offset, to: Offset) -> Vec<AbortedTxn> {
        self.txn_index.aborted_in_range(from, to)
    }

    /// Whether the leader may append this batch of an idempotent producer.
    pub fn check_producer_sequence(&self, batch: &RecordBatch) -> SequenceCheck {
        self.producer_state.check(batch)
    }

    /// Appends records as the leader of `leader_epoch`: assigns offsets from the log end and
    /// stamps the epoch (`UnifiedLog.appendAsLeader`). Returns the batch as stored.
    pub fn append_as_leader(&mut self, mut batch: RecordBatch, leader_epoch: LeaderEpoch) -> &RecordBatch {
        batch.base_offset = self.log_end_offset;
        batch.partition_leader_epoch = leader_epoch;
        self.epoch_cache.assign(leader_epoch, batch.base_offset);
        self.push(batch);
        self.batches.back().expect("just pushed")
    }

    /// A new leader records where its epoch starts, before any append
    /// (`UnifiedLog.maybeAssignEpochStartOffset`).
    pub fn assign_epoch_start_offset(&mut self, leader_epoch: LeaderEpoch) {
        self.epoch_cache.assign(leader_epoch, self.log_end_offset);
    }

    /// Appends a batch fetched from the leader, keeping its offsets and epoch
    /// (`UnifiedLog.appendAsFollower`).
    pub fn append_as_follower(&mut self, batch: RecordBatch) -> Result<(), AppendError> {
        if batch.base_offset != self.log_end_offset {
            return Err(AppendError::NotContiguous {
                batch_base_offset: batch.base_offset,
                log_end_offset: self.log_end_offset,
            });
        }
        self.epoch_cache.assign(batch.partition_leader_epoch, batch.base_offset);
        self.push(batch);
        Ok(())
    }

    fn push(&mut self, batch: RecordBatch) {
        let size = batch.size_bytes as u64;
        let segment_is_full = {
            let active = self.segments.last().expect("a log always has an active segment");
            active.size_bytes > 0 && active.size_bytes + size > self.segment_bytes
        };
        if segment_is_full {
            self.segments.push(Segment { base_offset: batch.base_offset, size_bytes: 0, largest_timestamp_ms: 0 });
        }
        let active = self.segments.last_mut().expect("a log always has an active segment");
        active.size_bytes += size;
        active.largest_timestamp_ms = active.largest_timestamp_ms.max(batch.max_timestamp_ms);
        self.size_bytes += size;
        self.unflushed_messages += batch.record_count() as u64;
        self.log_end_offset = batch.next_offset();
        self.producer_state.update(&batch);
        self.txn_index.update(&batch);
        self.batches.push_back(batch);
        self.assert_invariants();
    }

    /// Sets the high watermark; clamped to `[log_start_offset, log_end_offset]`.
    pub fn set_high_watermark(&mut self, offset: Offset) {
        self.high_watermark = offset.clamp(self.log_start_offset, self.log_end_offset);
    }

    /// Removes every record at or after `offset` (`UnifiedLog.truncateTo`). Returns the removed
    /// batches, oldest first, so the caller can record what was lost.
    pub fn truncate_to(&mut self, offset: Offset) -> Vec<RecordBatch> {
        let offset = offset.max(self.log_start_offset);
        if offset >= self.log_end_offset {
            // Nothing to remove, but an epoch entry at the log end must still go (as
            // `UnifiedLog.truncateTo` does): a broker that became leader, recorded its epoch's
            // start offset and appended nothing before losing leadership would otherwise keep
            // sending that epoch as its last fetched epoch, and every fetch would answer with a
            // diverging epoch that truncates nothing.
            self.epoch_cache.truncate_from_end(self.log_end_offset);
            return Vec::new();
        }
        let mut removed = Vec::new();
        while let Some(last) = self.batches.back() {
            if last.base_offset >= offset {
                let batch = self.batches.pop_back().expect("back exists");
                self.size_bytes -= batch.size_bytes as u64;
                removed.push(batch);
            } else if last.next_offset() > offset {
                let batch = self.batches.pop_back().expect("back exists");
                let kept = batch.truncated_before(offset);
                self.size_bytes -= batch.size_bytes as u64;
                self.size_bytes += kept.size_bytes as u64;
                removed.push(batch);
                self.batches.push_back(kept);
                break;
            } else {
                break;
            }
        }
        removed.reverse();
        self.log_end_offset = offset;
        self.high_watermark = self.high_watermark.min(offset);
        self.recovery_point = self.recovery_point.min(offset);
        self.epoch_cache.truncate_from_end(offset);
        self.producer_state = ProducerState::rebuild(self.batches.iter());
        self.txn_index = TxnIndex::rebuild(self.batches.iter());
        self.rebuild_segments_after_truncation();
        self.assert_invariants();
        removed
    }

    fn rebuild_segments_after_truncation(&mut self) {
        let end = self.log_end_offset;
        self.segments.retain(|s| s.base_offset < end || s.base_offset == 0);
        if self.segments.is_empty() {
            self.segments.push(Segment { base_offset: end, size_bytes: 0, largest_timestamp_ms: 0 });
        }
        // Recompute the sizes of the surviving segments from the batches they hold.
        for i in 0..self.segments.len() {
            let from = self.segments[i].base_offset;
            let to = self.segments.get(i + 1).map_or(Offset::MAX, |s| s.base_offset);
            let (size, ts) = self
                .batches
                .iter()
                .filter(|b| b.base_offset >= from && b.base_offset < to)
                .fold((0u64, 0u64), |(s, t), b| (s + b.size_bytes as u64, t.max(b.max_timestamp_ms)));
            self.segments[i].size_bytes = size;
            self.segments[i].largest_timestamp_ms = ts;
        }
    }

    /// Batches from `fetch_offset` (inclusive) whose records all lie below `max_offset`
    /// (the HW for consumers, the LEO for followers), up to `max_bytes`, but always at least one
    /// batch when one is available (KIP-74). `Err` when `fetch_offset` is outside the log.
    pub fn read(
        &self,
        fetch_offset: Offset,
        max_bytes: u64,
        max_offset: Offset,
    ) -> Result<Vec<RecordBatch>, OffsetOutOfRange> {
        if fetch_offset < self.log_start_offset || fetch_offset > self.log_end_offset {
            return Err(OffsetOutOfRange {
                log_start_offset: self.log_start_offset,
                log_end_offset: self.log_end_offset,
            });
        }
        let first = self.batches.partition_point(|b| b.next_offset() <= fetch_offset);
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for batch in self.batches.range(first..) {
            if batch.next_offset() > max_offset {
                break;
            }
            if !out.is_empty() && bytes + batch.size_bytes as u64 > max_bytes {
                break;
            }
            bytes += batch.size_bytes as u64;
            out.push(batch.clone());
        }
        Ok(out)
    }

    /// Bytes available from `fetch_offset` below `max_offset` (for fetch.min.bytes).
    pub fn bytes_available(&self, fetch_offset: Offset, max_offset: Offset) -> u64 {
        let first = self.batches.partition_point(|b| b.next_offset() <= fetch_offset);
        self.batches.range(first..).take_while(|b| b.next_offset() <= max_offset).map(|b| b.size_bytes as u64).sum()
    }

    /// The batch containing `offset`, if the log holds it.
    pub fn batch_containing(&self, offset: Offset) -> Option<&RecordBatch> {
        let index = self.batches.partition_point(|b| b.next_offset() <= offset);
        self.batches.get(index).filter(|b| b.base_offset <= offset)
    }

    // ---- disk model -------------------------------------------------------------------------

    /// Flushes if `flush.messages` or `flush.ms` says so (`UnifiedLog.flush` after append, or the
    /// scheduled flusher). Returns true when a flush happened.
    pub fn maybe_flush(&mut self, now: SimTime, flush_messages: u64, flush_ms: u64) -> bool {
        let due_by_count = self.unflushed_messages >= flush_messages;
        let due_by_time = self.unflushed_messages > 0 && now.saturating_sub(self.last_flush_ms) >= flush_ms;
        if due_by_count || due_by_time {
            self.flush(now);
            true
        } else {
            false
        }
    }

    /// fsync: everything appended so far becomes durable.
    pub fn flush(&mut self, now: SimTime) {
        self.recovery_point = self.log_end_offset;
        self.unflushed_messages = 0;
        self.last_flush_ms = now;
    }

    /// A power loss: whatever was not flushed is gone. Returns the lost batches.
    pub fn lose_unflushed(&mut self) -> Vec<RecordBatch> {
        let removed = self.truncate_to(self.recovery_point);
        self.unflushed_messages = 0;
        removed
    }

    // ---- retention --------------------------------------------------------------------------

    /// Deletes closed segments past `retention_ms` or beyond `retention_bytes`, never beyond
    /// the high watermark (`UnifiedLog.deleteOldSegments`). Returns the records deleted.
    pub fn apply_retention(&mut self, now: SimTime, retention_ms: i64, retention_bytes: i64) -> u64 {
        let mut deleted_records = 0u64;
        loop {
            if self.segments.len() < 2 {
                break;
            }
            let oldest = &self.segments[0];
            let next_base = self.segments[1].base_offset;
            if next_base > self.high_watermark {
                break;
            }
            let expired = retention_ms >= 0 && now.saturating_sub(oldest.largest_timestamp_ms) > retention_ms as u64;
            let too_big =
                retention_bytes >= 0 && self.size_bytes.saturating_sub(oldest.size_bytes) >= retention_bytes as u64;
            if !(expired || too_big) {
                break;
            }
            let segment = self.segments.remove(0);
            while self.batches.front().is_some_and(|b| b.base_offset < next_base) {
                let batch = self.batches.pop_front().expect("front exists");
                deleted_records += batch.record_count() as u64;
            }
            self.size_bytes -= segment.size_bytes;
            self.log_start_offset = next_base;
            self.epoch_cache.truncate_from_start(next_base);
        }
        self.assert_invariants();
        deleted_records
    }

    fn assert_invariants(&self) {
        assert!(
            self.log_start_offset <= self.high_watermark && self.high_watermark <= self.log_end_offset,
            "log offsets out of order: start {} hw {} leo {}",
            self.log_start_offset,
            self.high_watermark,
            self.log_end_offset
        );
        assert!(self.recovery_point <= self.log_end_offset);
        // An open transaction starts at a batch this log holds: LSO <= HW <= LEO follows.
        assert!(
            self.txn_index.first_unstable_offset().is_none_or(|f| f < self.log_end_offset),
            "open transaction from {:?} at or past the log end {}",
            self.txn_index.first_unstable_offset(),
            self.log_end_offset
        );
        debug_assert!(
            self.batches.iter().zip(self.batches.iter().skip(1)).all(|(a, b)| a.next_offset() == b.base_offset),
            "batches must be contiguous"
        );
    }
}

/// The fetch offset lies outside `[log_start_offset, log_end_offset]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetOutOfRange {
    pub log_start_offset: Offset,
    pub log_end_offset: Offset,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::log::batch::RecordBatch;

    fn records(producer: u32, from: u64, n: u64, now: SimTime) -> RecordBatch {
        RecordBatch::data(
            (from..from + n).map(|sequence| Record::data(None, ValueId { producer, sequence }, 100, now)).collect(),
        )
    }

    #[test]
    fn leader_append_assigns_offsets_and_epochs() {
        let mut log = PartitionLog::new();
        let b = log.append_as_leader(records(0, 0, 3, 0), 1);
        assert_eq!((b.base_offset, b.last_offset(), b.partition_leader_epoch), (0, 2, 1));
        log.append_as_leader(records(0, 3, 2, 0), 2);
        assert_eq!(log.log_end_offset(), 5);
        assert_eq!(log.epoch_cache().end_offset_for(1, 5), (1, 3));
        assert_eq!(log.high_watermark(), 0, "appending never moves the high watermark");
    }

    #[test]
    fn follower_append_must_be_contiguous() {
        let mut leader = PartitionLog::new();
        leader.append_as_leader(records(0, 0, 2, 0), 0);
        leader.append_as_leader(records(0, 2, 2, 0), 0);
        let fetched = leader.read(0, u64::MAX, leader.log_end_offset()).unwrap();
        let mut follower = PartitionLog::new();
        assert!(follower.append_as_follower(fetched[1].clone()).is_err());
        follower.append_as_follower(fetched[0].clone()).unwrap();
        follower.append_as_follower(fetched[1].clone()).unwrap();
        assert_eq!(follower.log_end_offset(), 4);
        assert_eq!(follower.epoch_cache(), leader.epoch_cache());
    }

    #[test]
    fn truncation_returns_removed_batches_and_clamps_offsets() {
        let mut log = PartitionLog::new();
        log.append_as_leader(records(0, 0, 2, 0), 0);
        log.append_as_leader(records(0, 2, 2, 0), 1);
        log.set_high_watermark(4);
        let removed = log.truncate_to(2);
        assert_eq!(removed.len(), 1);
        assert_eq!(removed[0].base_offset, 2);
        assert_eq!((log.log_end_offset(), log.high_watermark()), (2, 2));
        assert_eq!(log.latest_epoch(), Some(0));
        // Truncation inside a batch keeps its head.
        log.truncate_to(1);
        assert_eq!(log.log_end_offset(), 1);
        assert_eq!(log.batches().count(), 1);
    }

    #[test]
    fn truncating_at_the_log_end_drops_an_epoch_that_holds_no_records() {
        // A broker led epoch 1 without appending anything, then followed a leader of epoch 2.
        let mut log = PartitionLog::new();
        log.append_as_leader(records(0, 0, 2, 0), 0);
        log.assign_epoch_start_offset(1);
        assert_eq!(log.latest_epoch(), Some(1));
        assert!(log.truncate_to(2).is_empty());
        assert_eq!(log.latest_epoch(), Some(0), "the empty epoch must not be sent as the last fetched epoch");
        assert_eq!(log.log_end_offset(), 2);
    }

    #[test]
    fn reads_stop_at_max_offset_but_return_at_least_one_batch() {
        let mut log = PartitionLog::new();
        log.append_as_leader(records(0, 0, 2, 0), 0);
        log.append_as_leader(records(0, 2, 2, 0), 0);
        assert_eq!(log.read(0, 1, 4).unwrap().len(), 1, "KIP-74: one batch even over max bytes");
        assert_eq!(log.read(0, u64::MAX, 2).unwrap().len(), 1, "stops at the high watermark");
        assert_eq!(log.read(1, u64::MAX, 4).unwrap()[0].base_offset, 0, "batch holding offset 1");
        assert!(log.read(5, u64::MAX, 4).is_err());
        assert_eq!(log.read(4, u64::MAX, 4).unwrap(), vec![]);
    }

    #[test]
    fn power_loss_drops_only_the_unflushed_tail() {
        let mut log = PartitionLog::new();
        log.append_as_leader(records(0, 0, 2, 0), 0);
        assert!(log.maybe_flush(10, 2, u64::MAX), "flush.messages = 2 reached");
        log.append_as_leader(records(0, 2, 1, 0), 0);
        assert!(!log.maybe_flush(20, 2, u64::MAX));
        let lost = log.lose_unflushed();
        assert_eq!(lost.len(), 1);
        assert_eq!(log.log_end_offset(), 2);
        assert!(log.maybe_flush(1000, u64::MAX, 0) || log.recovery_point() == 2);
    }

    #[test]
    fn retention_deletes_closed_segments_below_the_high_watermark() {
        let mut log = PartitionLog::with_segment_bytes(400);
        for i in 0..6 {
            log.append_as_leader(records(0, i * 2, 2, i * 1000), 0);
        }
        assert!(log.segments().len() >= 3);
        log.set_high_watermark(0);
        assert_eq!(log.apply_retention(100_000, 1000, -1), 0, "nothing above the HW is deleted");
        log.set_high_watermark(12);
        let deleted = log.apply_retention(100_000, 1000, -1);
        assert!(deleted > 0);
        assert!(log.log_start_offset() > 0);
        assert_eq!(log.segments().len(), 1, "the active segment is never deleted");
        assert_eq!(log.read(0, u64::MAX, 12).unwrap_err().log_start_offset, log.log_start_offset());
    }
}
