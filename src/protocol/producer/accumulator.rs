//! The producer's buffer (`RecordAccumulator`): per-partition queues of batches that fill up to
//! `batch.size` and wait up to `linger.ms`, and the drain that picks, for each broker with room
//! for another in-flight request, one ready batch per partition it leads.

use crate::protocol::log::batch::RECORD_BATCH_OVERHEAD_BYTES;
use crate::protocol::types::*;
use std::collections::{BTreeMap, VecDeque};

/// A batch on the producer side (`ProducerBatch`).
#[derive(Clone, Debug)]
pub struct ProducerBatch {
    pub tp: TopicPartition,
    pub records: Vec<Record>,
    pub size_bytes: u64,
    pub created_ms: SimTime,
    /// Attempts made so far (0 until first sent).
    pub attempts: u32,
    /// Not before this time (retry backoff).
    pub retry_at_ms: SimTime,
    /// Assigned on first drain by an idempotent producer, kept across retries.
    pub base_sequence: Option<i32>,
    pub producer_id: ProducerId,
    pub producer_epoch: ProducerEpoch,
    /// An attempt ended without knowing whether the broker appended it (timeout, lost
    /// connection, or appended but not replicated): a later failure is then indefinite.
    pub maybe_written: bool,
    /// Closed for appends (sent once, or a newer batch follows it).
    pub closed: bool,
}

impl ProducerBatch {
    pub fn record_count(&self) -> i32 {
        self.records.len() as i32
    }

    pub fn last_sequence(&self) -> Option<i32> {
        self.base_sequence.map(|s| s + self.record_count() - 1)
    }

    fn is_ready(&self, now: SimTime, linger_ms: u64, batch_size: u64, has_successor: bool) -> bool {
        if self.attempts > 0 {
            return now >= self.retry_at_ms;
        }
        has_successor || self.size_bytes >= batch_size || now >= self.created_ms + linger_ms
    }

    /// When this batch becomes ready if nothing else happens.
    fn ready_at(&self, linger_ms: u64) -> SimTime {
        if self.attempts > 0 {
            self.retry_at_ms
        } else {
            self.created_ms + linger_ms
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RecordAccumulator {
    queues: BTreeMap<TopicPartition, VecDeque<ProducerBatch>>,
}

impl RecordAccumulator {
    /// Adds a record to the partition's open batch, or starts a new one.
    pub fn append(&mut self, tp: &TopicPartition, record: Record, now: SimTime, batch_size: u64) {
        let queue = self.queues.entry(tp.clone()).or_default();
        let size = record.size_bytes() as u64;
        if let Some(last) = queue.back_mut() {
            if !last.closed
                && last.attempts == 0
                && last.size_bytes + size <= batch_size.max(size + RECORD_BATCH_OVERHEAD_BYTES as u64)
            {
                last.size_bytes += size;
                last.records.push(record);
                return;
            }
            last.closed = true;
        }
        queue.push_back(ProducerBatch {
            tp: tp.clone(),
            records: vec![record],
            size_bytes: RECORD_BATCH_OVERHEAD_BYTES as u64 + size,
            created_ms: now,
            attempts: 0,
            retry_at_ms: 0,
            base_sequence: None,
            producer_id: NO_PRODUCER_ID,
            producer_epoch: -1,
            maybe_written: false,
            closed: false,
        });
    }

    /// Puts a failed batch back for a retry, in sequence order when it has one (`reenqueue`,
    /// `insertInSequenceOrder`), else at the head.
    pub fn reenqueue(&mut self, mut batch: ProducerBatch) {
        batch.closed = true;
        let queue = self.queues.entry(batch.tp.clone()).or_default();
        let position = match batch.base_sequence {
            Some(seq) => queue.iter().position(|b| b.base_sequence.is_none_or(|s| s > seq)).unwrap_or(queue.len()),
            None => 0,
        };
        queue.insert(position, batch);
    }

    /// After an epoch bump: the partition's queued batches will get new sequences from 0.
    pub fn reset_sequences(&mut self, tp: &TopicPartition) {
        if let Some(queue) = self.queues.get_mut(tp) {
            for batch in queue.iter_mut() {
                batch.base_sequence = None;
                batch.producer_id = NO_PRODUCER_ID;
                batch.producer_epoch = -1;
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.queues.values().all(|q| q.is_empty())
    }

    pub fn queued_batches(&self) -> usize {
        self.queues.values().map(|q| q.len()).sum()
    }

    pub fn partitions(&self) -> impl Iterator<Item = &TopicPartition> {
        self.queues.iter().filter(|(_, q)| !q.is_empty()).map(|(tp, _)| tp)
    }

    pub fn head(&self, tp: &TopicPartition) -> Option<&ProducerBatch> {
        self.queues.get(tp).and_then(|q| q.front())
    }

    /// Whether the head batch of `tp` may be sent now.
    pub fn head_is_ready(&self, tp: &TopicPartition, now: SimTime, linger_ms: u64, batch_size: u64) -> bool {
        let Some(queue) = self.queues.get(tp) else { return false };
        queue.front().is_some_and(|b| b.is_ready(now, linger_ms, batch_size, queue.len() > 1))
    }

    pub fn pop_head(&mut self, tp: &TopicPartition) -> Option<ProducerBatch> {
        let batch = self.queues.get_mut(tp)?.pop_front();
        if let Some(b) = &batch {
            debug_assert!(!b.records.is_empty(), "a batch always holds a record");
        }
        batch
    }

    /// The earliest time any queued batch becomes ready on its own.
    pub fn next_ready_at(&self, linger_ms: u64) -> Option<SimTime> {
        self.queues.values().filter_map(|q| q.front()).map(|b| b.ready_at(linger_ms)).min()
    }

    /// Removes and returns batches older than `delivery.timeout.ms` (`expiredBatches`).
    pub fn expire(&mut self, now: SimTime, delivery_timeout_ms: u64) -> Vec<ProducerBatch> {
        let mut expired = Vec::new();
        for queue in self.queues.values_mut() {
            while queue.front().is_some_and(|b| now >= b.created_ms + delivery_timeout_ms) {
                expired.push(queue.pop_front().expect("front exists"));
            }
        }
        expired
    }

    pub fn earliest_created_ms(&self) -> Option<SimTime> {
        self.queues.values().filter_map(|q| q.front()).map(|b| b.created_ms).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(n: u64) -> Record {
        Record::data(None, ValueId { producer: 0, sequence: n }, 100, 0)
    }

    #[test]
    fn batches_fill_to_batch_size_and_linger() {
        let tp = TopicPartition::new("t", 0);
        let mut acc = RecordAccumulator::default();
        for n in 0..3 {
            acc.append(&tp, record(n), 0, 300);
        }
        assert_eq!(acc.queued_batches(), 2, "107-byte records: two fit in 300 bytes with the header");
        assert!(acc.head_is_ready(&tp, 0, 5, 300), "a batch with a successor is full");
        let first = acc.pop_head(&tp).unwrap();
        assert_eq!(first.records.len(), 2);
        assert!(!acc.head_is_ready(&tp, 4, 5, 300), "lingers until 5 ms");
        assert!(acc.head_is_ready(&tp, 5, 5, 300));
        assert_eq!(acc.next_ready_at(5), Some(5));
    }

    #[test]
    fn retries_go_back_in_sequence_order_and_wait_for_backoff() {
        let tp = TopicPartition::new("t", 0);
        let mut acc = RecordAccumulator::default();
        acc.append(&tp, record(9), 0, 16384);
        let mut a =
            ProducerBatch { base_sequence: Some(0), attempts: 1, retry_at_ms: 100, ..acc.pop_head(&tp).unwrap() };
        let b = ProducerBatch { base_sequence: Some(5), ..a.clone() };
        acc.reenqueue(b);
        a.records = vec![record(1)];
        acc.reenqueue(a);
        assert_eq!(acc.head(&tp).unwrap().base_sequence, Some(0));
        assert!(!acc.head_is_ready(&tp, 99, 5, 16384));
        assert!(acc.head_is_ready(&tp, 100, 5, 16384));
        assert_eq!(acc.expire(120_000, 120_000).len(), 2);
    }
}
