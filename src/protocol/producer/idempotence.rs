//! The idempotent producer's sequence bookkeeping (the non-transactional part of
//! `TransactionManager`, KIP-98 and KIP-360).
//!
//! - Each partition numbers its batches' records from 0 under the current producer epoch; a batch
//!   keeps its sequence across retries, and a retried batch goes out only when it is the first
//!   unacknowledged one of its partition.
//! - OUT_OF_ORDER_SEQUENCE_NUMBER on a batch that is not the next after the last acknowledged
//!   one just means an earlier batch is still unresolved: retry. On the next batch itself (a real
//!   gap, e.g. the leader lost our records in an unclean election), or after a batch failed for
//!   good, the producer bumps its epoch: the broker accepts a new epoch starting again at 0.
//! - After a bump the epoch is global, but each partition switches to it only once its batches
//!   of the old epoch are done, restarting its sequences at 0 (`maybeUpdateProducerIdAndEpoch`).

use super::accumulator::{ProducerBatch, RecordAccumulator};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
struct PartitionSequences {
    epoch: ProducerEpoch,
    next_sequence: i32,
    last_acked_sequence: i32,
    /// Base sequences sent at least once and not yet completed.
    incomplete: BTreeSet<i32>,
    /// Batches of this partition inside requests now.
    in_flight: usize,
}

impl PartitionSequences {
    fn new(epoch: ProducerEpoch) -> PartitionSequences {
        PartitionSequences {
            epoch,
            next_sequence: 0,
            last_acked_sequence: -1,
            incomplete: BTreeSet::new(),
            in_flight: 0,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct IdempotenceState {
    producer_id: Option<(ProducerId, ProducerEpoch)>,
    partitions: BTreeMap<TopicPartition, PartitionSequences>,
    bump_requested: BTreeSet<TopicPartition>,
    /// Partitions with a batch that failed without knowing whether it was written.
    unresolved: BTreeMap<TopicPartition, i32>,
}

/// What to do with a batch after OUT_OF_ORDER_SEQUENCE_NUMBER.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfOrderAction {
    Retry,
    RetryAfterEpochBump,
}

impl IdempotenceState {
    pub fn producer_id(&self) -> Option<(ProducerId, ProducerEpoch)> {
        self.producer_id
    }

    pub fn set_producer_id(&mut self, producer_id: ProducerId, epoch: ProducerEpoch) {
        self.producer_id = Some((producer_id, epoch));
    }

    fn part(&mut self, tp: &TopicPartition) -> &mut PartitionSequences {
        let epoch = self.producer_id.map_or(0, |(_, e)| e);
        self.partitions.entry(tp.clone()).or_insert_with(|| PartitionSequences::new(epoch))
    }

    /// Whether `head`, the first queued batch of its partition, may be sent now.
    pub fn may_send(&self, head: &ProducerBatch) -> bool {
        let Some((_, epoch)) = self.producer_id else { return false };
        if self.bump_requested.contains(&head.tp) {
            return false;
        }
        let Some(part) = self.partitions.get(&head.tp) else { return true };
        match head.base_sequence {
            // A retry goes only when it is the first unacknowledged batch.
            Some(seq) => part.incomplete.first().is_none_or(|first| *first == seq),
            // New batches wait for the old epoch's batches to finish.
            None => part.epoch == epoch || part.incomplete.is_empty(),
        }
    }

    /// Gives a batch its producer id, epoch and sequence on its first send.
    pub fn stamp(&mut self, batch: &mut ProducerBatch) {
        let Some((producer_id, epoch)) = self.producer_id else { return };
        let tp = batch.tp.clone();
        let part = self.part(&tp);
        if batch.base_sequence.is_none() {
            if part.epoch != epoch {
                debug_assert!(part.incomplete.is_empty(), "switching epochs with batches outstanding");
                *part = PartitionSequences { in_flight: part.in_flight, ..PartitionSequences::new(epoch) };
            }
            batch.base_sequence = Some(part.next_sequence);
            batch.producer_id = producer_id;
            batch.producer_epoch = epoch;
            part.next_sequence += batch.record_count();
            part.incomplete.insert(batch.base_sequence.expect("just set"));
        }
        part.in_flight += 1;
    }

    /// A request carrying this batch came back (answered or failed).
    pub fn returned(&mut self, batch: &ProducerBatch) {
        if batch.base_sequence.is_some() {
            let part = self.part(&batch.tp);
            part.in_flight = part.in_flight.saturating_sub(1);
        }
    }

    pub fn acked(&mut self, batch: &ProducerBatch) {
        let (Some(seq), Some(last)) = (batch.base_sequence, batch.last_sequence()) else { return };
        let part = self.part(&batch.tp);
        if batch.producer_epoch != part.epoch {
            return;
        }
        part.incomplete.remove(&seq);
        part.last_acked_sequence = part.last_acked_sequence.max(last);
        if self.unresolved.get(&batch.tp).is_some_and(|u| *u <= last) {
            self.unresolved.remove(&batch.tp);
        }
    }

    /// The batch failed for good. If it may have been written, its sequence is unresolved;
    /// otherwise the partition has a gap and needs a new epoch.
    pub fn failed(&mut self, batch: &ProducerBatch) {
        let (Some(seq), Some(last)) = (batch.base_sequence, batch.last_sequence()) else { return };
        let tp = batch.tp.clone();
        let part = self.part(&tp);
        if batch.producer_epoch != part.epoch {
            return;
        }
        part.incomplete.remove(&seq);
        if batch.maybe_written {
            self.unresolved.insert(tp, last);
        } else {
            self.bump_requested.insert(tp);
        }
    }

    pub fn out_of_order(&mut self, batch: &ProducerBatch) -> OutOfOrderAction {
        let Some(seq) = batch.base_sequence else { return OutOfOrderAction::Retry };
        let tp = batch.tp.clone();
        let unresolved = self.unresolved.get(&tp).copied();
        let part = self.part(&tp);
        let is_next = seq == part.last_acked_sequence + 1;
        let next_after_unresolved = unresolved.is_some_and(|u| seq == u + 1);
        if unresolved.is_none() && !is_next {
            return OutOfOrderAction::Retry;
        }
        if unresolved.is_none() || next_after_unresolved {
            self.bump_requested.insert(tp);
        }
        OutOfOrderAction::RetryAfterEpochBump
    }

    /// Performs a requested epoch bump once the partitions that asked for it have nothing in
    /// flight: the epoch goes up by one, and their queued batches restart at sequence 0.
    pub fn maybe_bump_epoch(&mut self, accumulator: &mut RecordAccumulator) -> bool {
        let Some((producer_id, epoch)) = self.producer_id else { return false };
        if self.bump_requested.is_empty() {
            return false;
        }
        let ready = self.bump_requested.iter().all(|tp| self.partitions.get(tp).is_none_or(|p| p.in_flight == 0));
        if !ready {
            return false;
        }
        let new_epoch = epoch.checked_add(1).expect("producer epoch overflow is not modelled");
        self.producer_id = Some((producer_id, new_epoch));
        for tp in std::mem::take(&mut self.bump_requested) {
            self.partitions.insert(tp.clone(), PartitionSequences::new(new_epoch));
            self.unresolved.remove(&tp);
            accumulator.reset_sequences(&tp);
        }
        true
    }
}
