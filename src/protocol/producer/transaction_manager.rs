//! The transactional producer's state machine (the transactional part of Kafka's
//! `TransactionManager`, KIP-98, with KIP-360's epoch bump after an abort with lost batches).
//!
//! - `initTransactions`: FindCoordinator(transaction), then InitProducerId with the
//!   transactional id. CONCURRENT_TRANSACTIONS (the coordinator is still aborting an older
//!   producer's transaction) and coordinator errors are retried.
//! - `beginTransaction`, then sends: a partition's batches go out only once AddPartitionsToTxn
//!   has added the partition to the transaction.
//! - `commitTransaction` waits until every batch is acknowledged, then sends EndTxn(commit).
//!   `abortTransaction` drops the batches not yet sent, waits for those in flight, then sends
//!   EndTxn(abort).
//! - A batch that fails puts the transaction in an abortable error: it can only be aborted, and
//!   after the abort the producer asks InitProducerId again to bump its epoch (KIP-360), since
//!   the partition may hold sequences it never learned about.
//! - PRODUCER_FENCED or INVALID_PRODUCER_EPOCH: a newer producer with the same transactional id
//!   exists (or the coordinator timed the transaction out). Fatal: the producer stops.

use crate::protocol::errors::ErrorCode;
use crate::protocol::types::*;
use std::collections::BTreeSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnState {
    Uninitialized,
    Initializing,
    Ready,
    InTransaction,
    Committing,
    Aborting,
    /// A send failed: the transaction can only be aborted.
    AbortableError,
    /// Fenced: the producer can do nothing more.
    FatalError,
}

/// The next request the transaction manager wants sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TxnRequest {
    FindCoordinator,
    InitProducerId,
    AddPartitions(Vec<TopicPartition>),
    EndTxn { commit: bool },
}

/// How a transaction ended, for the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnOutcome {
    pub committed: bool,
    pub partitions: Vec<TopicPartition>,
    pub values: Vec<ValueId>,
    pub reason: String,
}

/// Backoff after a retriable transactional error (`retry.backoff.ms` would do; Kafka's
/// `TransactionManager` retries these after the same backoff).
const TXN_RETRY_BACKOFF_MS: SimTime = 100;

#[derive(Clone, Debug)]
pub struct TransactionManager {
    pub transactional_id: String,
    pub transaction_timeout_ms: u64,
    state: TxnState,
    coordinator: Option<BrokerId>,
    request_inflight: bool,
    retry_at_ms: SimTime,
    /// Partitions the coordinator has added to the current transaction.
    added: BTreeSet<TopicPartition>,
    /// Partitions with data waiting for AddPartitionsToTxn.
    pending: BTreeSet<TopicPartition>,
    /// Values sent in the current transaction.
    values: Vec<ValueId>,
    /// A batch of this transaction failed: bump the epoch after the abort (KIP-360).
    needs_epoch_bump: bool,
    fatal_error: Option<ErrorCode>,
}

impl TransactionManager {
    pub fn new(transactional_id: String, transaction_timeout_ms: u64) -> TransactionManager {
        TransactionManager {
            transactional_id,
            transaction_timeout_ms,
            state: TxnState::Uninitialized,
            coordinator: None,
            request_inflight: false,
            retry_at_ms: 0,
            added: BTreeSet::new(),
            pending: BTreeSet::new(),
            values: Vec::new(),
            needs_epoch_bump: false,
            fatal_error: None,
        }
    }

    pub fn state(&self) -> TxnState {
        self.state
    }

    pub fn coordinator(&self) -> Option<BrokerId> {
        self.coordinator
    }

    pub fn fatal_error(&self) -> Option<ErrorCode> {
        self.fatal_error
    }

    pub fn values(&self) -> &[ValueId] {
        &self.values
    }

    /// `initTransactions`.
    pub fn init_transactions(&mut self) {
        if self.state == TxnState::Uninitialized {
            self.state = TxnState::Initializing;
        }
    }

    /// `beginTransaction`: only from Ready.
    pub fn begin(&mut self) -> bool {
        if self.state != TxnState::Ready {
            return false;
        }
        self.state = TxnState::InTransaction;
        self.added.clear();
        self.pending.clear();
        self.values.clear();
        true
    }

    /// `commitTransaction`; false when the transaction can only be aborted.
    pub fn commit(&mut self) -> bool {
        if self.state != TxnState::InTransaction {
            return false;
        }
        self.state = TxnState::Committing;
        true
    }

    /// `abortTransaction`.
    pub fn abort(&mut self) -> bool {
        if !matches!(self.state, TxnState::InTransaction | TxnState::AbortableError | TxnState::Committing) {
            return false;
        }
        self.state = TxnState::Aborting;
        self.pending.clear();
        true
    }

    /// Whether new records may be sent now.
    pub fn accepts_sends(&self) -> bool {
        self.state == TxnState::InTransaction
    }

    /// Whether batches may still go out (not while aborting or after an error).
    pub fn may_send_batches(&self) -> bool {
        matches!(self.state, TxnState::InTransaction | TxnState::Committing)
    }

    /// Whether unsent batches must be dropped (`abortUndrainedBatches`).
    pub fn drops_unsent_batches(&self) -> bool {
        matches!(self.state, TxnState::Aborting | TxnState::AbortableError | TxnState::FatalError)
    }

    pub fn record_send(&mut self, value: ValueId) {
        self.values.push(value);
    }

    /// Whether `tp` is part of the transaction; if not, it is queued for AddPartitionsToTxn.
    pub fn partition_added(&mut self, tp: &TopicPartition) -> bool {
        if self.added.contains(tp) {
            return true;
        }
        if self.may_send_batches() {
            self.pending.insert(tp.clone());
        }
        false
    }

    /// The next request to send, if any. `batches_done`: nothing queued or in flight.
    pub fn next_request(&self, now: SimTime, batches_done: bool) -> Option<TxnRequest> {
        if self.request_inflight || now < self.retry_at_ms {
            return None;
        }
        let wants = match self.state {
            TxnState::Initializing => Some(TxnRequest::InitProducerId),
            TxnState::InTransaction | TxnState::Committing if !self.pending.is_empty() => {
                Some(TxnRequest::AddPartitions(self.pending.iter().cloned().collect()))
            }
            TxnState::Committing if batches_done => Some(TxnRequest::EndTxn { commit: true }),
            TxnState::Aborting if batches_done => Some(TxnRequest::EndTxn { commit: false }),
            _ => None,
        }?;
        if self.coordinator.is_none() {
            return Some(TxnRequest::FindCoordinator);
        }
        Some(wants)
    }

    /// A commit or abort of a transaction that never added a partition needs no EndTxn.
    pub fn finish_locally(&mut self) -> Option<TxnOutcome> {
        let committing = match self.state {
            TxnState::Committing => true,
            TxnState::Aborting => false,
            _ => return None,
        };
        if !self.added.is_empty() || !self.pending.is_empty() {
            return None;
        }
        Some(self.finished(committing, if committing { "commit" } else { "abort" }))
    }

    pub fn request_sent(&mut self) {
        self.request_inflight = true;
    }

    /// The request failed without an answer (timeout, lost connection).
    pub fn request_failed(&mut self, now: SimTime) {
        self.request_inflight = false;
        self.coordinator = None;
        self.retry_at_ms = now + TXN_RETRY_BACKOFF_MS;
    }

    pub fn next_retry_ms(&self) -> Option<SimTime> {
        (!self.request_inflight && self.retry_at_ms > 0).then_some(self.retry_at_ms)
    }

    /// Handles an error common to every coordinator request; true if it was one.
    fn retriable_or_fatal(&mut self, now: SimTime, error: ErrorCode) -> bool {
        match error {
            ErrorCode::NotCoordinator | ErrorCode::CoordinatorNotAvailable | ErrorCode::CoordinatorLoadInProgress => {
                self.coordinator = None;
                self.retry_at_ms = now + TXN_RETRY_BACKOFF_MS;
                true
            }
            ErrorCode::ConcurrentTransactions | ErrorCode::NetworkException | ErrorCode::RequestTimedOut => {
                self.retry_at_ms = now + TXN_RETRY_BACKOFF_MS;
                true
            }
            ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch | ErrorCode::InvalidProducerIdMapping => {
                self.fence(error);
                true
            }
            _ => false,
        }
    }

    pub fn on_find_coordinator(&mut self, now: SimTime, error: ErrorCode, coordinator: Option<BrokerId>) {
        self.request_inflight = false;
        match (error, coordinator) {
            (ErrorCode::None, Some(c)) => self.coordinator = Some(c),
            _ => self.retry_at_ms = now + TXN_RETRY_BACKOFF_MS,
        }
    }

    /// Returns the new producer id and epoch once initialized.
    pub fn on_init_producer_id(
        &mut self,
        now: SimTime,
        error: ErrorCode,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
    ) -> Option<(ProducerId, ProducerEpoch)> {
        self.request_inflight = false;
        if error.is_none() {
            self.state = TxnState::Ready;
            self.needs_epoch_bump = false;
            return Some((producer_id, producer_epoch));
        }
        if !self.retriable_or_fatal(now, error) {
            self.fence(error);
        }
        None
    }

    pub fn on_add_partitions(&mut self, now: SimTime, results: &[(TopicPartition, ErrorCode)]) {
        self.request_inflight = false;
        for (tp, error) in results {
            if error.is_none() {
                self.pending.remove(tp);
                self.added.insert(tp.clone());
            } else if !self.retriable_or_fatal(now, *error) {
                self.enter_abortable_error();
            }
        }
    }

    /// EndTxn answered: the outcome when the transaction is over, and the epoch to use from
    /// now on (KIP-890 part 2 hands out a new one).
    pub fn on_end_txn(
        &mut self,
        now: SimTime,
        error: ErrorCode,
        producer_epoch: ProducerEpoch,
    ) -> Option<(TxnOutcome, ProducerEpoch)> {
        self.request_inflight = false;
        if !error.is_none() {
            if !self.retriable_or_fatal(now, error) {
                self.fence(error);
            }
            return None;
        }
        let committed = self.state == TxnState::Committing;
        let outcome = self.finished(committed, if committed { "commit" } else { "abort" });
        Some((outcome, producer_epoch))
    }

    fn finished(&mut self, committed: bool, reason: &str) -> TxnOutcome {
        let outcome = TxnOutcome {
            committed,
            partitions: self.added.iter().cloned().collect(),
            values: std::mem::take(&mut self.values),
            reason: reason.to_string(),
        };
        self.added.clear();
        self.pending.clear();
        self.state = if self.needs_epoch_bump { TxnState::Initializing } else { TxnState::Ready };
        outcome
    }

    /// A batch of the transaction failed for good.
    pub fn on_batch_failed(&mut self, error: ErrorCode) {
        if matches!(error, ErrorCode::ProducerFenced | ErrorCode::InvalidProducerEpoch) {
            self.fence(error);
            return;
        }
        self.needs_epoch_bump = true;
        if matches!(self.state, TxnState::InTransaction | TxnState::Committing) {
            self.enter_abortable_error();
        }
    }

    fn enter_abortable_error(&mut self) {
        if self.state != TxnState::FatalError && self.state != TxnState::Aborting {
            self.state = TxnState::AbortableError;
        }
    }

    /// Fenced: the transaction in progress (if any) ends here; the coordinator aborts it.
    fn fence(&mut self, error: ErrorCode) {
        self.state = TxnState::FatalError;
        self.fatal_error = Some(error);
    }

    /// The transaction the producer was in when it was fenced (its records will be aborted).
    pub fn take_fenced_transaction(&mut self) -> Option<TxnOutcome> {
        if self.state != TxnState::FatalError || (self.values.is_empty() && self.added.is_empty()) {
            return None;
        }
        let outcome = TxnOutcome {
            committed: false,
            partitions: self.added.iter().cloned().collect(),
            values: std::mem::take(&mut self.values),
            reason: format!("fenced ({})", self.fatal_error.map_or("?", |e| e.name())),
        };
        self.added.clear();
        Some(outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ready() -> TransactionManager {
        let mut t = TransactionManager::new("tx".into(), 60_000);
        t.init_transactions();
        assert_eq!(t.next_request(0, true), Some(TxnRequest::FindCoordinator));
        t.request_sent();
        t.on_find_coordinator(1, ErrorCode::None, Some(BrokerId(2)));
        assert_eq!(t.next_request(1, true), Some(TxnRequest::InitProducerId));
        t.request_sent();
        assert_eq!(t.on_init_producer_id(2, ErrorCode::None, 5, 0), Some((5, 0)));
        t
    }

    #[test]
    fn partitions_are_added_before_data_and_commit_waits_for_the_batches() {
        let mut t = ready();
        assert!(t.begin());
        let tp = TopicPartition::new("t", 0);
        assert!(!t.partition_added(&tp));
        assert_eq!(t.next_request(3, false), Some(TxnRequest::AddPartitions(vec![tp.clone()])));
        t.request_sent();
        t.on_add_partitions(4, &[(tp.clone(), ErrorCode::None)]);
        assert!(t.partition_added(&tp));
        assert!(t.commit());
        assert_eq!(t.next_request(5, false), None, "batches still in flight");
        assert_eq!(t.next_request(5, true), Some(TxnRequest::EndTxn { commit: true }));
        t.request_sent();
        let (outcome, _) = t.on_end_txn(6, ErrorCode::None, 0).unwrap();
        assert!(outcome.committed);
        assert_eq!(t.state(), TxnState::Ready);
    }

    #[test]
    fn a_failed_batch_forces_an_abort_and_a_new_epoch() {
        let mut t = ready();
        t.begin();
        t.on_batch_failed(ErrorCode::RequestTimedOut);
        assert!(!t.commit(), "only an abort is possible");
        assert!(t.abort());
        t.request_sent();
        t.on_end_txn(7, ErrorCode::None, 0).unwrap();
        assert_eq!(t.state(), TxnState::Initializing, "KIP-360: bump the epoch before the next transaction");
    }

    #[test]
    fn fencing_is_fatal() {
        let mut t = ready();
        t.begin();
        t.record_send(ValueId { producer: 0, sequence: 1 });
        t.on_add_partitions(3, &[(TopicPartition::new("t", 0), ErrorCode::ProducerFenced)]);
        assert_eq!(t.state(), TxnState::FatalError);
        assert_eq!(t.take_fenced_transaction().unwrap().values.len(), 1);
    }
}
