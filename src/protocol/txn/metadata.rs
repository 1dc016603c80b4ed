//! A transactional id's state as the coordinator keeps it and persists it to
//! `__transaction_state` (`TransactionMetadata`, `TransactionState`, `TransactionLogValue`).
//!
//! The life of one transaction: Empty -> Ongoing (first AddPartitionsToTxn) -> PrepareCommit or
//! PrepareAbort (EndTxn, a timeout, or a new producer fencing this one) -> CompleteCommit or
//! CompleteAbort (every partition has its marker) -> Ongoing again with the next transaction.

use crate::protocol::types::*;
use std::collections::BTreeSet;

/// Kafka's `TransactionState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TransactionState {
    Empty,
    Ongoing,
    PrepareCommit,
    PrepareAbort,
    CompleteCommit,
    CompleteAbort,
}

impl TransactionState {
    /// Kafka's name, as `kafka-transactions.sh describe` prints it.
    pub fn name(self) -> &'static str {
        match self {
            TransactionState::Empty => "Empty",
            TransactionState::Ongoing => "Ongoing",
            TransactionState::PrepareCommit => "PrepareCommit",
            TransactionState::PrepareAbort => "PrepareAbort",
            TransactionState::CompleteCommit => "CompleteCommit",
            TransactionState::CompleteAbort => "CompleteAbort",
        }
    }

    /// Markers are being written: the transaction is decided but not finished.
    pub fn is_prepare(self) -> bool {
        matches!(self, TransactionState::PrepareCommit | TransactionState::PrepareAbort)
    }

    /// Whether the state machine allows `self -> next` (`TransactionState.validPreviousStates`).
    pub fn may_become(self, next: TransactionState) -> bool {
        use TransactionState::*;
        match next {
            Empty => matches!(self, Empty | CompleteCommit | CompleteAbort),
            Ongoing => matches!(self, Empty | Ongoing | CompleteCommit | CompleteAbort),
            PrepareCommit | PrepareAbort => self == Ongoing,
            CompleteCommit => self == PrepareCommit,
            CompleteAbort => self == PrepareAbort,
        }
    }
}

/// One transactional id's metadata; also the value of its `__transaction_state` record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransactionMetadata {
    pub transactional_id: String,
    pub producer_id: ProducerId,
    pub producer_epoch: ProducerEpoch,
    pub timeout_ms: u64,
    pub state: TransactionState,
    /// The partitions of the current (or last) transaction.
    pub partitions: BTreeSet<TopicPartition>,
    /// When the current transaction became Ongoing.
    pub start_ms: SimTime,
}

impl TransactionMetadata {
    /// The same metadata in state `next`; panics on a transition Kafka's state machine forbids
    /// (a coordinator bug, not a client error).
    pub fn transition(&self, next: TransactionState) -> TransactionMetadata {
        assert!(
            self.state.may_become(next),
            "transactional id {}: illegal transition {} -> {}",
            self.transactional_id,
            self.state.name(),
            next.name()
        );
        TransactionMetadata { state: next, ..self.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::TransactionState::*;

    #[test]
    fn the_state_machine_allows_only_kafkas_transitions() {
        assert!(Empty.may_become(Ongoing));
        assert!(Ongoing.may_become(PrepareAbort));
        assert!(PrepareCommit.may_become(CompleteCommit));
        assert!(!PrepareCommit.may_become(CompleteAbort), "a decided commit never turns into an abort");
        assert!(!Empty.may_become(PrepareCommit), "nothing to commit");
        assert!(CompleteAbort.may_become(Ongoing));
    }
}
