//! The glue between `KafkaProducer`'s sender and its `TransactionManager`
//! (`Sender.maybeSendAndPollTransactionalRequest` in Kafka): sending the transaction manager's
//! requests to the coordinator, handing it their answers, dropping unsent batches when a
//! transaction aborts, and recording the transactions in the history.

use super::*;
use crate::protocol::producer::transaction_manager::{TxnOutcome, TxnState};

impl KafkaProducer {
    /// The transaction's state, for the application.
    pub fn txn_state(&self) -> Option<TxnState> {
        self.txn.as_ref().map(|t| t.state())
    }

    /// `initTransactions`: find the coordinator, get the producer id and epoch (fencing every
    /// older producer with this transactional id).
    pub fn init_transactions(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        if let Some(txn) = &mut self.txn {
            txn.init_transactions();
        }
        self.run(now, out);
    }

    /// `beginTransaction`.
    pub fn begin_transaction(&mut self, out: &mut Outbox<ProducerTimer>) -> bool {
        let Some(txn) = &mut self.txn else { return false };
        if !txn.begin() {
            return false;
        }
        let (producer_id, producer_epoch) = self.idempotence.producer_id().expect("initialized before Ready");
        out.record(Event::TxnBegin { transactional_id: txn.transactional_id.clone(), producer_id, producer_epoch });
        true
    }

    /// `commitTransaction`: false when the transaction can only be aborted.
    pub fn commit_transaction(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) -> bool {
        let committing = self.txn.as_mut().is_some_and(|t| t.commit());
        self.run(now, out);
        committing
    }

    /// `abortTransaction`.
    pub fn abort_transaction(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) -> bool {
        let aborting = self.txn.as_mut().is_some_and(|t| t.abort());
        self.run(now, out);
        aborting
    }

    /// Nothing of the transaction is queued or in flight.
    fn transaction_batches_done(&self) -> bool {
        self.accumulator.is_empty()
            && self.blocked.is_empty()
            && !self.inflight.values().any(|i| matches!(i.kind, InflightKind::Produce { .. }))
    }

    /// Drives the transaction: drops unsent batches of an aborting transaction, and sends the
    /// transaction manager's next request.
    pub(super) fn run_transaction(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        let txn = self.txn.as_ref().expect("transactional");
        if txn.drops_unsent_batches() {
            for batch in self.accumulator.drain_all() {
                self.fail_batch(batch, ErrorCode::InvalidTxnState, out);
            }
            for blocked in std::mem::take(&mut self.blocked) {
                let tp = TopicPartition::new(blocked.topic, UNKNOWN_PARTITION);
                out.record(Event::SendFailed {
                    tp,
                    value: blocked.record.value,
                    error: ErrorCode::InvalidTxnState,
                    definite: true,
                });
            }
        }
        self.record_fenced_transaction(out);
        let batches_done = self.transaction_batches_done();
        let txn = self.txn.as_mut().expect("transactional");
        if let Some(outcome) = txn.finish_locally() {
            self.record_outcome(outcome, out);
            return;
        }
        let Some(request) = txn.next_request(now, batches_done) else { return };
        let id = txn.transactional_id.clone();
        let (producer_id, producer_epoch) = self.idempotence.producer_id().unwrap_or((NO_PRODUCER_ID, -1));
        let (broker, wire) = match &request {
            TxnRequest::FindCoordinator => {
                let connections = &self.connections;
                let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) else { return };
                (broker, Request::FindCoordinator { key: id, key_type: CoordinatorType::Transaction })
            }
            other => {
                let broker = txn.coordinator().expect("asked for the coordinator first");
                if !self.connections.is_ready(broker, now) {
                    return;
                }
                let wire = match other {
                    TxnRequest::InitProducerId => Request::InitProducerId {
                        transactional_id: Some(id),
                        transaction_timeout_ms: txn.transaction_timeout_ms,
                    },
                    TxnRequest::AddPartitions(partitions) => Request::AddPartitionsToTxn {
                        transactional_id: id,
                        producer_id,
                        producer_epoch,
                        partitions: partitions.clone(),
                    },
                    TxnRequest::EndTxn { commit } => {
                        Request::EndTxn { transactional_id: id, producer_id, producer_epoch, commit: *commit }
                    }
                    TxnRequest::FindCoordinator => unreachable!(),
                };
                (broker, wire)
            }
        };
        txn.request_sent();
        self.send_request(now, broker, wire, InflightKind::Txn(request), out);
    }

    pub(super) fn on_txn_response(
        &mut self,
        now: SimTime,
        request: TxnRequest,
        response: Response,
        out: &mut Outbox<ProducerTimer>,
    ) {
        let txn = self.txn.as_mut().expect("transactional");
        match (request, response) {
            (TxnRequest::FindCoordinator, Response::FindCoordinator { error, coordinator }) => {
                txn.on_find_coordinator(now, error, coordinator)
            }
            (TxnRequest::InitProducerId, Response::InitProducerId { error, producer_id, producer_epoch }) => {
                if let Some((producer_id, producer_epoch)) =
                    txn.on_init_producer_id(now, error, producer_id, producer_epoch)
                {
                    // A new epoch: every partition's sequences start again at 0.
                    self.idempotence = IdempotenceState::default();
                    self.idempotence.set_producer_id(producer_id, producer_epoch);
                }
            }
            (TxnRequest::AddPartitions(_), Response::AddPartitionsToTxn { results }) => {
                txn.on_add_partitions(now, &results)
            }
            (TxnRequest::EndTxn { .. }, Response::EndTxn { error, producer_epoch, .. }) => {
                if let Some((outcome, new_epoch)) = txn.on_end_txn(now, error, producer_epoch) {
                    let (producer_id, epoch) = self.idempotence.producer_id().expect("initialized");
                    self.record_outcome(outcome, out);
                    if new_epoch != epoch {
                        // KIP-890 part 2: the coordinator bumped the epoch with the markers.
                        self.idempotence = IdempotenceState::default();
                        self.idempotence.set_producer_id(producer_id, new_epoch);
                    }
                }
            }
            (request, response) => {
                panic!("producer {} got {} for {request:?}", self.index, response.api_name())
            }
        }
        self.record_fenced_transaction(out);
    }

    fn record_fenced_transaction(&mut self, out: &mut Outbox<ProducerTimer>) {
        if let Some(outcome) = self.txn.as_mut().and_then(|t| t.take_fenced_transaction()) {
            self.record_outcome(outcome, out);
        }
    }

    fn record_outcome(&mut self, outcome: TxnOutcome, out: &mut Outbox<ProducerTimer>) {
        let transactional_id = self.txn.as_ref().expect("transactional").transactional_id.clone();
        let (producer_id, producer_epoch) = self.idempotence.producer_id().unwrap_or((NO_PRODUCER_ID, -1));
        let TxnOutcome { committed, partitions, values, reason } = outcome;
        out.record(if committed {
            Event::TxnCommitted { transactional_id, producer_id, producer_epoch, partitions, values }
        } else {
            Event::TxnAborted { transactional_id, producer_id, producer_epoch, partitions, values, reason }
        });
    }
}
