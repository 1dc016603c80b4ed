//! Idempotent-producer state of one partition (`ProducerStateManager`, `ProducerStateEntry`,
//! `ProducerAppendInfo.checkSequence`): for every producer id, its epoch and the metadata of its
//! last five batches, so that a retried batch is recognised and not written twice.
//!
//! Rules, as Kafka applies them to an incoming batch of producer P, epoch E, first sequence S:
//! - P unknown to this partition: accepted whatever S is (state may have been lost to retention).
//! - E older than P's epoch: INVALID_PRODUCER_EPOCH.
//! - the same sequences as one of P's last five batches: a duplicate, answered with the offset
//!   of the original and not appended.
//! - E newer than P's epoch: S must be 0.
//! - otherwise S must follow P's last sequence, or OUT_OF_ORDER_SEQUENCE_NUMBER.
//!
//! The state is derived from the log (Kafka rebuilds it from snapshots and the log on recovery),
//! so a truncation rebuilds it.

use super::batch::RecordBatch;
use crate::protocol::errors::ErrorCode;
use crate::protocol::types::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Kafka's `ProducerStateEntry.NUM_BATCHES_TO_RETAIN`.
pub const NUM_BATCHES_TO_RETAIN: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchMetadata {
    pub first_sequence: i32,
    pub last_sequence: i32,
    pub first_offset: Offset,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerStateEntry {
    pub producer_epoch: ProducerEpoch,
    pub batches: VecDeque<BatchMetadata>,
}

impl ProducerStateEntry {
    pub fn last_sequence(&self) -> Option<i32> {
        self.batches.back().map(|b| b.last_sequence)
    }
}

/// What to do with an incoming batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceCheck {
    Append,
    /// Already in the log at this offset.
    Duplicate {
        first_offset: Offset,
    },
    Reject(ErrorCode),
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerState {
    producers: BTreeMap<ProducerId, ProducerStateEntry>,
}

fn next_sequence(sequence: i32) -> i32 {
    if sequence == i32::MAX {
        0
    } else {
        sequence + 1
    }
}

impl ProducerState {
    pub fn entry(&self, producer_id: ProducerId) -> Option<&ProducerStateEntry> {
        self.producers.get(&producer_id)
    }

    pub fn check(&self, batch: &RecordBatch) -> SequenceCheck {
        if !batch.has_producer_id() || batch.base_sequence == NO_SEQUENCE {
            return SequenceCheck::Append;
        }
        let Some(entry) = self.producers.get(&batch.producer_id) else {
            return SequenceCheck::Append;
        };
        if batch.producer_epoch < entry.producer_epoch {
            return SequenceCheck::Reject(ErrorCode::InvalidProducerEpoch);
        }
        if batch.producer_epoch == entry.producer_epoch {
            if let Some(duplicate) = entry
                .batches
                .iter()
                .find(|b| b.first_sequence == batch.base_sequence && b.last_sequence == batch.last_sequence())
            {
                return SequenceCheck::Duplicate { first_offset: duplicate.first_offset };
            }
            let in_sequence = entry.last_sequence().is_none_or(|last| batch.base_sequence == next_sequence(last));
            if !in_sequence {
                return SequenceCheck::Reject(ErrorCode::OutOfOrderSequenceNumber);
            }
        } else if batch.base_sequence != 0 {
            return SequenceCheck::Reject(ErrorCode::OutOfOrderSequenceNumber);
        }
        SequenceCheck::Append
    }

    /// The entry of the batch's producer, moved to the batch's epoch if that is newer (a new
    /// epoch's sequences start again at 0).
    fn entry_at_epoch(&mut self, batch: &RecordBatch) -> &mut ProducerStateEntry {
        let entry = self
            .producers
            .entry(batch.producer_id)
            .or_insert(ProducerStateEntry { producer_epoch: batch.producer_epoch, batches: VecDeque::new() });
        if batch.producer_epoch > entry.producer_epoch {
            entry.producer_epoch = batch.producer_epoch;
            entry.batches.clear();
        }
        entry
    }

    /// Records an appended batch (leader or follower).
    pub fn update(&mut self, batch: &RecordBatch) {
        if !batch.has_producer_id() || batch.base_sequence == NO_SEQUENCE || batch.control.is_some() {
            if batch.control.is_some() && batch.has_producer_id() {
                // A marker records its producer's epoch even where the producer wrote nothing
                // yet (`ProducerAppendInfo.appendEndTxnMarker`); with a newer epoch (KIP-890
                // part 2 bumps it at every commit or abort) it fences the old one here.
                self.entry_at_epoch(batch);
            }
            return;
        }
        let entry = self.entry_at_epoch(batch);
        entry.batches.push_back(BatchMetadata {
            first_sequence: batch.base_sequence,
            last_sequence: batch.last_sequence(),
            first_offset: batch.base_offset,
        });
        while entry.batches.len() > NUM_BATCHES_TO_RETAIN {
            entry.batches.pop_front();
        }
    }

    pub fn rebuild<'a>(batches: impl Iterator<Item = &'a RecordBatch>) -> ProducerState {
        let mut state = ProducerState::default();
        for batch in batches {
            state.update(batch);
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(
        producer_id: ProducerId,
        epoch: ProducerEpoch,
        base_sequence: i32,
        n: u64,
        base_offset: Offset,
    ) -> RecordBatch {
        let mut b =
            RecordBatch::data((0..n).map(|i| Record::data(None, ValueId { producer: 0, sequence: i }, 1, 0)).collect());
        b.producer_id = producer_id;
        b.producer_epoch = epoch;
        b.base_sequence = base_sequence;
        b.base_offset = base_offset;
        b
    }

    #[test]
    fn retried_batch_is_a_duplicate_with_its_original_offset() {
        let mut s = ProducerState::default();
        let first = batch(7, 0, 0, 3, 10);
        assert_eq!(s.check(&first), SequenceCheck::Append);
        s.update(&first);
        assert_eq!(s.check(&batch(7, 0, 0, 3, 99)), SequenceCheck::Duplicate { first_offset: 10 });
        assert_eq!(s.check(&batch(7, 0, 3, 2, 99)), SequenceCheck::Append);
    }

    #[test]
    fn gaps_and_old_epochs_are_rejected() {
        let mut s = ProducerState::default();
        s.update(&batch(7, 1, 0, 3, 0));
        assert_eq!(s.check(&batch(7, 1, 5, 1, 3)), SequenceCheck::Reject(ErrorCode::OutOfOrderSequenceNumber));
        assert_eq!(s.check(&batch(7, 0, 3, 1, 3)), SequenceCheck::Reject(ErrorCode::InvalidProducerEpoch));
        assert_eq!(s.check(&batch(7, 2, 4, 1, 3)), SequenceCheck::Reject(ErrorCode::OutOfOrderSequenceNumber));
        assert_eq!(s.check(&batch(7, 2, 0, 1, 3)), SequenceCheck::Append, "a new epoch starts at 0");
        assert_eq!(s.check(&batch(8, 0, 42, 1, 3)), SequenceCheck::Append, "unknown producers are accepted");
    }

    #[test]
    fn only_the_last_five_batches_are_remembered() {
        let mut s = ProducerState::default();
        for i in 0..6 {
            s.update(&batch(7, 0, i, 1, i as Offset));
        }
        assert_eq!(s.check(&batch(7, 0, 0, 1, 9)), SequenceCheck::Reject(ErrorCode::OutOfOrderSequenceNumber));
        assert_eq!(s.check(&batch(7, 0, 1, 1, 9)), SequenceCheck::Duplicate { first_offset: 1 });
    }
}
