//! The transactional state of one partition log: which producers have a transaction open here
//! (from the offset of their first transactional batch), and the index of aborted transactions
//! that read_committed fetches return.
//!
//! Models `ProducerStateManager`'s ongoing transactions (its `firstUnstableOffset`) and the
//! `TransactionIndex` (`AbortedTxn`: producer id, first offset, last offset) of Kafka's log
//! (KIP-98). The last stable offset (LSO) is the first offset of the oldest open transaction,
//! or the high watermark when it is lower: a read_committed consumer reads only below it.
//!
//! Like the producer state, everything here is derived from the batches, so a truncation
//! rebuilds it.

use super::batch::{ControlType, RecordBatch};
use crate::protocol::types::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A transaction that ended with an ABORT marker (Kafka's `AbortedTxn`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AbortedTxn {
    pub producer_id: ProducerId,
    pub first_offset: Offset,
    /// The offset of the ABORT marker.
    pub last_offset: Offset,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TxnIndex {
    /// Producer id -> the offset of its open transaction's first batch in this partition.
    ongoing: BTreeMap<ProducerId, Offset>,
    /// Aborted transactions in marker order.
    aborted: Vec<AbortedTxn>,
}

impl TxnIndex {
    /// Records one appended batch (leader or follower).
    pub fn update(&mut self, batch: &RecordBatch) {
        if !batch.is_transactional {
            return;
        }
        match batch.control {
            None => {
                self.ongoing.entry(batch.producer_id).or_insert(batch.base_offset);
            }
            Some(control) => {
                // A marker may close a transaction that wrote nothing here (the partition was
                // added but no batch arrived): Kafka writes it anyway, and it opens nothing.
                let first_offset = self.ongoing.remove(&batch.producer_id);
                if let (ControlType::Abort, Some(first_offset)) = (control, first_offset) {
                    self.aborted.push(AbortedTxn {
                        producer_id: batch.producer_id,
                        first_offset,
                        last_offset: batch.base_offset,
                    });
                }
            }
        }
    }

    pub fn rebuild<'a>(batches: impl Iterator<Item = &'a RecordBatch>) -> TxnIndex {
        let mut index = TxnIndex::default();
        for batch in batches {
            index.update(batch);
        }
        index
    }

    /// The first offset of the oldest open transaction (`firstUnstableOffset`).
    pub fn first_unstable_offset(&self) -> Option<Offset> {
        self.ongoing.values().min().copied()
    }

    pub fn ongoing(&self) -> &BTreeMap<ProducerId, Offset> {
        &self.ongoing
    }

    /// Aborted transactions that overlap `[from, to)`: what a read_committed fetch of that range
    /// must skip (`UnifiedLog.collectAbortedTransactions`).
    pub fn aborted_in_range(&self, from: Offset, to: Offset) -> Vec<AbortedTxn> {
        self.aborted.iter().filter(|a| a.last_offset >= from && a.first_offset < to).copied().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txn_batch(producer_id: ProducerId, base_offset: Offset, control: Option<ControlType>) -> RecordBatch {
        let mut b = match control {
            Some(c) => RecordBatch::control_marker(c, producer_id, 0, 0),
            None => RecordBatch::data(vec![Record::data(None, ValueId { producer: 0, sequence: 0 }, 1, 0)]),
        };
        b.producer_id = producer_id;
        b.is_transactional = true;
        b.base_offset = base_offset;
        b
    }

    #[test]
    fn open_transactions_hold_back_the_stable_offset_until_their_marker() {
        let mut index = TxnIndex::default();
        index.update(&txn_batch(7, 3, None));
        index.update(&txn_batch(8, 4, None));
        index.update(&txn_batch(7, 5, None));
        assert_eq!(index.first_unstable_offset(), Some(3));
        index.update(&txn_batch(7, 6, Some(ControlType::Abort)));
        assert_eq!(index.first_unstable_offset(), Some(4));
        index.update(&txn_batch(8, 7, Some(ControlType::Commit)));
        assert_eq!(index.first_unstable_offset(), None);
        assert_eq!(index.aborted_in_range(0, 10), vec![AbortedTxn { producer_id: 7, first_offset: 3, last_offset: 6 }]);
        assert!(index.aborted_in_range(7, 10).is_empty(), "the abort ended before offset 7");
    }

    #[test]
    fn a_marker_without_data_opens_nothing() {
        let mut index = TxnIndex::default();
        index.update(&txn_batch(7, 0, Some(ControlType::Abort)));
        assert_eq!(index.first_unstable_offset(), None);
        assert!(index.aborted_in_range(0, 10).is_empty());
    }
}
