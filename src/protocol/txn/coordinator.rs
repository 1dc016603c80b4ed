//! The transaction coordinator (`TransactionCoordinator`, `TransactionStateManager`,
//! `TransactionMarkerChannelManager`), living on the leader of a `__transaction_state` partition.
//!
//! - InitProducerId with a transactional id: a new id gets a producer id and epoch 0; a known one
//!   gets its epoch bumped, which fences every older producer with that id (PRODUCER_FENCED). If
//!   the old producer left a transaction open, it is aborted first and the new producer is told
//!   CONCURRENT_TRANSACTIONS until the abort is complete.
//! - AddPartitionsToTxn adds partitions to the ongoing transaction; EndTxn moves it to
//!   PrepareCommit/PrepareAbort and answers once that state is durable. The markers then go to
//!   every partition of the transaction (WriteTxnMarkers), and when all are written the state
//!   becomes CompleteCommit/CompleteAbort.
//! - A transaction open longer than its `transaction.timeout.ms` is aborted with a bumped epoch,
//!   so the producer that forgot it is fenced.
//! - Every state change is written to `__transaction_state` with acks=all before it takes effect
//!   (`pendingState` in Kafka: meanwhile other requests for the id get CONCURRENT_TRANSACTIONS);
//!   a new leader of the partition reloads the ids and resends markers of decided transactions.
//! - KIP-890 part 2 (here behind `transaction.partition.verification.enable`): every EndTxn bumps
//!   the epoch and the markers carry the new one, so a late write of the finished transaction is
//!   fenced at the partition.
//!
//! The coordinator never talks to the network itself: it answers with a [`TxnOut`] that the
//! broker carries out (responses, log appends, marker requests, timers).

use super::metadata::{TransactionMetadata, TransactionState};
use crate::history::Event;
use crate::protocol::errors::ErrorCode;
use crate::protocol::group::coordinator::partition_for_group;
use crate::protocol::log::batch::ControlType;
use crate::protocol::message::Response;
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

/// Kafka's internal topic of transaction metadata.
pub const TRANSACTION_STATE_TOPIC: &str = "__transaction_state";

/// Backoff before markers that failed (no leader, leader moved) are sent again.
const MARKER_RETRY_BACKOFF_MS: SimTime = 100;

/// The `__transaction_state` partition of a transactional id: Kafka's
/// `Utils.abs(transactionalId.hashCode) % transactionTopicPartitionCount`, the same hash as
/// the group coordinator's.
pub fn partition_for_transactional_id(transactional_id: &str, partitions: i32) -> i32 {
    partition_for_group(transactional_id, partitions)
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TxnCoordinatorConfig {
    pub transaction_state_log_num_partitions: i32,
    pub transaction_max_timeout_ms: u64,
    pub abort_timed_out_transaction_cleanup_interval_ms: u64,
    /// KIP-890 part 2: bump the epoch at every EndTxn.
    pub bump_epoch_on_end_txn: bool,
}

/// A client request waiting for an answer: (client node, correlation id).
pub type Reply = (NodeId, u64);

/// What to do once a state change is durable.
#[derive(Clone, Debug)]
pub enum TxnAppendPurpose {
    InitProducerId {
        reply: Reply,
    },
    AddPartitions {
        reply: Reply,
        partitions: Vec<TopicPartition>,
    },
    EndTxn {
        reply: Reply,
    },
    /// The coordinator itself decided to abort (timeout, or a new producer fencing an old one).
    Abort,
    /// Markers are all written.
    Complete,
}

#[derive(Clone, Debug)]
pub struct TxnAppend {
    pub partition: i32,
    pub metadata: TransactionMetadata,
    pub purpose: TxnAppendPurpose,
}

/// COMMIT or ABORT markers to write for one transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkerRequest {
    pub transactional_id: String,
    pub producer_id: ProducerId,
    pub producer_epoch: ProducerEpoch,
    pub control: ControlType,
    pub partitions: Vec<TopicPartition>,
}

#[derive(Clone, Debug)]
pub enum TxnTimer {
    AbortTimedOut,
    RetryMarkers(String),
}

/// What one step of the coordinator asks the broker to do.
#[derive(Debug, Default)]
pub struct TxnOut {
    pub responses: Vec<(NodeId, u64, Response)>,
    pub appends: Vec<TxnAppend>,
    pub markers: Vec<MarkerRequest>,
    pub timers: Vec<(SimTime, TxnTimer)>,
    pub events: Vec<Event>,
}

impl TxnOut {
    fn respond(&mut self, (to, correlation_id): Reply, response: Response) {
        self.responses.push((to, correlation_id, response));
    }
}

fn init_error(error: ErrorCode) -> Response {
    Response::InitProducerId { error, producer_id: NO_PRODUCER_ID, producer_epoch: -1 }
}

fn end_error(error: ErrorCode) -> Response {
    Response::EndTxn { error, producer_id: NO_PRODUCER_ID, producer_epoch: -1 }
}

pub struct TransactionCoordinator {
    config: TxnCoordinatorConfig,
    /// Makes producer ids unique across brokers and their restarts.
    producer_id_base: i64,
    next_producer_id: i64,
    /// `__transaction_state` partitions this broker leads and has loaded.
    loaded: BTreeSet<i32>,
    transactions: BTreeMap<String, TransactionMetadata>,
    /// Ids with a state change on its way to the log (`pendingState`).
    pending: BTreeMap<String, TransactionMetadata>,
    /// Partitions still waiting for their marker, per decided transaction.
    markers_outstanding: BTreeMap<String, BTreeSet<TopicPartition>>,
    /// Ids with a marker retry timer set: one retry at a time per transaction, however many
    /// leaders answered with an error (one timer each would double the retries every round).
    marker_retry_armed: BTreeSet<String>,
    /// The timeout sweep's timer is set (only while some partition is loaded, so a broker that
    /// coordinates no transactions wakes for nothing).
    sweep_armed: bool,
}

impl TransactionCoordinator {
    pub fn new(broker: BrokerId, incarnation: u64, config: TxnCoordinatorConfig) -> TransactionCoordinator {
        // Idempotent producers get ids below 500_000 in each broker's block; these come above.
        let producer_id_base = ((incarnation as i64) * 1_000 + broker.0 as i64) * 1_000_000 + 500_000;
        TransactionCoordinator {
            config,
            producer_id_base,
            next_producer_id: 0,
            loaded: BTreeSet::new(),
            transactions: BTreeMap::new(),
            pending: BTreeMap::new(),
            markers_outstanding: BTreeMap::new(),
            marker_retry_armed: BTreeSet::new(),
            sweep_armed: false,
        }
    }

    pub fn partition_for(&self, transactional_id: &str) -> i32 {
        partition_for_transactional_id(transactional_id, self.config.transaction_state_log_num_partitions)
    }

    pub fn transaction(&self, transactional_id: &str) -> Option<&TransactionMetadata> {
        self.transactions.get(transactional_id)
    }

    fn sweep_timer(&self, now: SimTime) -> (SimTime, TxnTimer) {
        (now + self.config.abort_timed_out_transaction_cleanup_interval_ms, TxnTimer::AbortTimedOut)
    }

    /// The error for a request about `transactional_id` that this broker cannot serve now.
    fn not_serving(&self, transactional_id: &str) -> Option<ErrorCode> {
        if !self.loaded.contains(&self.partition_for(transactional_id)) {
            return Some(ErrorCode::NotCoordinator);
        }
        if self.pending.contains_key(transactional_id) {
            return Some(ErrorCode::ConcurrentTransactions);
        }
        None
    }

    fn stage(&mut self, metadata: TransactionMetadata, purpose: TxnAppendPurpose, out: &mut TxnOut) {
        let partition = self.partition_for(&metadata.transactional_id);
        self.pending.insert(metadata.transactional_id.clone(), metadata.clone());
        out.appends.push(TxnAppend { partition, metadata, purpose });
    }

    pub fn handle_init_producer_id(
        &mut self,
        now: SimTime,
        reply: Reply,
        transactional_id: String,
        timeout_ms: u64,
        out: &mut TxnOut,
    ) {
        if let Some(error) = self.not_serving(&transactional_id) {
            return out.respond(reply, init_error(error));
        }
        if timeout_ms > self.config.transaction_max_timeout_ms {
            return out.respond(reply, init_error(ErrorCode::InvalidTransactionTimeout));
        }
        let next = match self.transactions.get(&transactional_id) {
            None => {
                self.next_producer_id += 1;
                TransactionMetadata {
                    transactional_id: transactional_id.clone(),
                    producer_id: self.producer_id_base + self.next_producer_id,
                    producer_epoch: 0,
                    timeout_ms,
                    state: TransactionState::Empty,
                    partitions: BTreeSet::new(),
                    start_ms: now,
                }
            }
            Some(current) if current.state.is_prepare() => {
                return out.respond(reply, init_error(ErrorCode::ConcurrentTransactions));
            }
            Some(current) if current.state == TransactionState::Ongoing => {
                // An older producer left its transaction open: fence it with a new epoch and
                // abort the transaction; the new producer retries once the abort is done.
                let aborting = TransactionMetadata {
                    producer_epoch: Self::bumped(current.producer_epoch),
                    ..current.transition(TransactionState::PrepareAbort)
                };
                self.stage(aborting, TxnAppendPurpose::Abort, out);
                return out.respond(reply, init_error(ErrorCode::ConcurrentTransactions));
            }
            Some(current) => TransactionMetadata {
                producer_epoch: Self::bumped(current.producer_epoch),
                timeout_ms,
                partitions: BTreeSet::new(),
                ..current.transition(TransactionState::Empty)
            },
        };
        self.stage(next, TxnAppendPurpose::InitProducerId { reply }, out);
    }

    fn bumped(epoch: ProducerEpoch) -> ProducerEpoch {
        epoch.checked_add(1).expect("producer epoch exhaustion is not modelled")
    }

    /// The producer's id and epoch against the current metadata: PRODUCER_FENCED for an old
    /// epoch, INVALID_PRODUCER_ID_MAPPING for an id the coordinator does not know.
    fn check_producer(&self, transactional_id: &str, producer_id: ProducerId, epoch: ProducerEpoch) -> ErrorCode {
        match self.transactions.get(transactional_id) {
            None => ErrorCode::InvalidProducerIdMapping,
            Some(m) if m.producer_id != producer_id => ErrorCode::InvalidProducerIdMapping,
            Some(m) if epoch < m.producer_epoch => ErrorCode::ProducerFenced,
            Some(m) if epoch > m.producer_epoch => ErrorCode::InvalidProducerEpoch,
            Some(_) => ErrorCode::None,
        }
    }

    pub fn handle_add_partitions(
        &mut self,
        now: SimTime,
        reply: Reply,
        (transactional_id, producer_id, producer_epoch): (String, ProducerId, ProducerEpoch),
        partitions: Vec<TopicPartition>,
        out: &mut TxnOut,
    ) {
        let error = self.not_serving(&transactional_id).unwrap_or_else(|| {
            let error = self.check_producer(&transactional_id, producer_id, producer_epoch);
            match self.transactions.get(&transactional_id) {
                Some(m) if error.is_none() && m.state.is_prepare() => ErrorCode::ConcurrentTransactions,
                _ => error,
            }
        });
        if !error.is_none() {
            let results = partitions.into_iter().map(|tp| (tp, error)).collect();
            return out.respond(reply, Response::AddPartitionsToTxn { results });
        }
        let current = &self.transactions[&transactional_id];
        let mut next = current.transition(TransactionState::Ongoing);
        if current.state != TransactionState::Ongoing {
            next.partitions.clear();
            next.start_ms = now;
        }
        next.partitions.extend(partitions.iter().cloned());
        self.stage(next, TxnAppendPurpose::AddPartitions { reply, partitions }, out);
    }

    pub fn handle_end_txn(
        &mut self,
        reply: Reply,
        (transactional_id, producer_id, producer_epoch): (String, ProducerId, ProducerEpoch),
        commit: bool,
        out: &mut TxnOut,
    ) {
        if let Some(error) = self.not_serving(&transactional_id) {
            return out.respond(reply, end_error(error));
        }
        let (want_prepare, want_complete) = if commit {
            (TransactionState::PrepareCommit, TransactionState::CompleteCommit)
        } else {
            (TransactionState::PrepareAbort, TransactionState::CompleteAbort)
        };
        let Some(current) = self.transactions.get(&transactional_id) else {
            return out.respond(reply, end_error(ErrorCode::InvalidProducerIdMapping));
        };
        // A retried EndTxn whose first attempt already went through (with KIP-890 part 2 the
        // epoch moved on by one meanwhile).
        let retry_epoch_ok = producer_epoch == current.producer_epoch
            || (self.config.bump_epoch_on_end_txn && producer_epoch + 1 == current.producer_epoch);
        let already = current.state == want_prepare || current.state == want_complete;
        if current.producer_id == producer_id && retry_epoch_ok && already {
            let response =
                Response::EndTxn { error: ErrorCode::None, producer_id, producer_epoch: current.producer_epoch };
            return out.respond(reply, response);
        }
        let error = self.check_producer(&transactional_id, producer_id, producer_epoch);
        if !error.is_none() {
            return out.respond(reply, end_error(error));
        }
        if current.state.is_prepare() {
            return out.respond(reply, end_error(ErrorCode::ConcurrentTransactions));
        }
        if current.state != TransactionState::Ongoing {
            return out.respond(reply, end_error(ErrorCode::InvalidTxnState));
        }
        let mut next = current.transition(want_prepare);
        if self.config.bump_epoch_on_end_txn {
            next.producer_epoch = Self::bumped(next.producer_epoch);
        }
        self.stage(next, TxnAppendPurpose::EndTxn { reply }, out);
    }

    /// A state change reached the log (or failed to).
    pub fn on_append_complete(&mut self, now: SimTime, append: TxnAppend, error: ErrorCode, out: &mut TxnOut) {
        let id = append.metadata.transactional_id.clone();
        if self.pending.get(&id) != Some(&append.metadata) {
            return; // unloaded meanwhile: the new coordinator has the say
        }
        self.pending.remove(&id);
        if !error.is_none() {
            // Kafka maps a failed append to NOT_COORDINATOR (the client finds the new one) or
            // COORDINATOR_NOT_AVAILABLE; the state stays as it was.
            let client_error = if error == ErrorCode::NotLeaderOrFollower {
                ErrorCode::NotCoordinator
            } else {
                ErrorCode::CoordinatorNotAvailable
            };
            match append.purpose {
                TxnAppendPurpose::InitProducerId { reply } => out.respond(reply, init_error(client_error)),
                TxnAppendPurpose::AddPartitions { reply, partitions } => {
                    let results = partitions.into_iter().map(|tp| (tp, client_error)).collect();
                    out.respond(reply, Response::AddPartitionsToTxn { results })
                }
                TxnAppendPurpose::EndTxn { reply } => out.respond(reply, end_error(client_error)),
                // Tried again by the timeout sweep, or by the next load.
                TxnAppendPurpose::Abort | TxnAppendPurpose::Complete => {}
            }
            return;
        }
        let metadata = append.metadata;
        self.transactions.insert(id.clone(), metadata.clone());
        match append.purpose {
            TxnAppendPurpose::InitProducerId { reply } => out.respond(
                reply,
                Response::InitProducerId {
                    error: ErrorCode::None,
                    producer_id: metadata.producer_id,
                    producer_epoch: metadata.producer_epoch,
                },
            ),
            TxnAppendPurpose::AddPartitions { reply, partitions } => {
                let results = partitions.into_iter().map(|tp| (tp, ErrorCode::None)).collect();
                out.respond(reply, Response::AddPartitionsToTxn { results });
            }
            TxnAppendPurpose::EndTxn { reply } => {
                out.respond(
                    reply,
                    Response::EndTxn {
                        error: ErrorCode::None,
                        producer_id: metadata.producer_id,
                        producer_epoch: metadata.producer_epoch,
                    },
                );
                self.send_markers(now, &metadata, out);
            }
            TxnAppendPurpose::Abort => self.send_markers(now, &metadata, out),
            TxnAppendPurpose::Complete => {}
        }
    }

    /// Markers for a decided transaction, to every partition that still lacks one.
    fn send_markers(&mut self, now: SimTime, metadata: &TransactionMetadata, out: &mut TxnOut) {
        let control = match metadata.state {
            TransactionState::PrepareCommit => ControlType::Commit,
            TransactionState::PrepareAbort => ControlType::Abort,
            other => panic!("markers for {} in state {}", metadata.transactional_id, other.name()),
        };
        self.markers_outstanding.insert(metadata.transactional_id.clone(), metadata.partitions.clone());
        if metadata.partitions.is_empty() {
            return self.complete(now, &metadata.transactional_id, out);
        }
        out.markers.push(MarkerRequest {
            transactional_id: metadata.transactional_id.clone(),
            producer_id: metadata.producer_id,
            producer_epoch: metadata.producer_epoch,
            control,
            partitions: metadata.partitions.iter().cloned().collect(),
        });
    }

    /// Answers to WriteTxnMarkers (or their failure, as errors).
    pub fn on_markers_result(
        &mut self,
        now: SimTime,
        transactional_id: &str,
        results: Vec<(TopicPartition, ErrorCode)>,
        out: &mut TxnOut,
    ) {
        let Some(outstanding) = self.markers_outstanding.get_mut(transactional_id) else { return };
        let mut retry = false;
        for (tp, error) in results {
            // INVALID_PRODUCER_EPOCH: the partition already holds a newer epoch's data, so this
            // marker is moot (Kafka logs and drops it too).
            if error.is_none() || error == ErrorCode::InvalidProducerEpoch {
                outstanding.remove(&tp);
            } else {
                retry = true;
            }
        }
        if outstanding.is_empty() {
            self.complete(now, transactional_id, out);
        } else if retry && self.marker_retry_armed.insert(transactional_id.to_string()) {
            out.timers.push((now + MARKER_RETRY_BACKOFF_MS, TxnTimer::RetryMarkers(transactional_id.to_string())));
        }
    }

    fn complete(&mut self, _now: SimTime, transactional_id: &str, out: &mut TxnOut) {
        self.markers_outstanding.remove(transactional_id);
        let Some(current) = self.transactions.get(transactional_id) else { return };
        let next = match current.state {
            TransactionState::PrepareCommit => current.transition(TransactionState::CompleteCommit),
            TransactionState::PrepareAbort => current.transition(TransactionState::CompleteAbort),
            _ => return,
        };
        if self.pending.contains_key(transactional_id) {
            return;
        }
        self.stage(next, TxnAppendPurpose::Complete, out);
    }

    pub fn on_timer(&mut self, now: SimTime, timer: TxnTimer, out: &mut TxnOut) {
        match timer {
            TxnTimer::AbortTimedOut => {
                self.abort_timed_out(now, out);
                self.sweep_armed = !self.loaded.is_empty();
                if self.sweep_armed {
                    out.timers.push(self.sweep_timer(now));
                }
            }
            TxnTimer::RetryMarkers(transactional_id) => {
                self.marker_retry_armed.remove(&transactional_id);
                let Some(outstanding) = self.markers_outstanding.get(&transactional_id) else { return };
                let Some(metadata) = self.transactions.get(&transactional_id) else { return };
                if !metadata.state.is_prepare() || outstanding.is_empty() {
                    return;
                }
                out.markers.push(MarkerRequest {
                    transactional_id: transactional_id.clone(),
                    producer_id: metadata.producer_id,
                    producer_epoch: metadata.producer_epoch,
                    control: if metadata.state == TransactionState::PrepareCommit {
                        ControlType::Commit
                    } else {
                        ControlType::Abort
                    },
                    partitions: outstanding.iter().cloned().collect(),
                });
            }
        }
    }

    /// `abortTimedOutTransactions`: open too long, aborted with a bumped epoch.
    fn abort_timed_out(&mut self, now: SimTime, out: &mut TxnOut) {
        let expired: Vec<TransactionMetadata> = self
            .transactions
            .values()
            .filter(|m| m.state == TransactionState::Ongoing && now >= m.start_ms + m.timeout_ms)
            .filter(|m| !self.pending.contains_key(&m.transactional_id))
            .filter(|m| self.loaded.contains(&self.partition_for(&m.transactional_id)))
            .cloned()
            .collect();
        for m in expired {
            let aborting = TransactionMetadata {
                producer_epoch: Self::bumped(m.producer_epoch),
                ..m.transition(TransactionState::PrepareAbort)
            };
            self.stage(aborting, TxnAppendPurpose::Abort, out);
        }
    }

    /// This broker became leader of `__transaction_state-<partition>`: the last record of each
    /// id is its state. Decided transactions get their markers again (`loadTransactionsForTxnTopicPartition`).
    pub fn load<'a>(
        &mut self,
        now: SimTime,
        partition: i32,
        records: impl Iterator<Item = &'a TransactionMetadata>,
        out: &mut TxnOut,
    ) {
        self.unload(partition);
        self.loaded.insert(partition);
        if !self.sweep_armed {
            self.sweep_armed = true;
            out.timers.push(self.sweep_timer(now));
        }
        for record in records {
            assert_eq!(self.partition_for(&record.transactional_id), partition, "record in the wrong partition");
            self.transactions.insert(record.transactional_id.clone(), record.clone());
        }
        let decided: Vec<TransactionMetadata> = self
            .transactions
            .values()
            .filter(|m| m.state.is_prepare() && self.partition_for(&m.transactional_id) == partition)
            .cloned()
            .collect();
        for m in decided {
            self.send_markers(now, &m, out);
        }
    }

    pub fn unload(&mut self, partition: i32) {
        self.loaded.remove(&partition);
        let n = self.config.transaction_state_log_num_partitions;
        let mine = |id: &String| partition_for_transactional_id(id, n) == partition;
        self.transactions.retain(|id, _| !mine(id));
        self.pending.retain(|id, _| !mine(id));
        self.markers_outstanding.retain(|id, _| !mine(id));
        self.marker_retry_armed.retain(|id| !mine(id));
    }
}
