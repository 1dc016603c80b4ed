//! The broker's side of transactions (`KafkaApis.handleInitProducerIdRequest`,
//! `handleAddPartitionsToTxnRequest`, `handleEndTxnRequest`, `handleWriteTxnMarkersRequest`):
//! handing transactional requests to its `TransactionCoordinator`, appending the coordinator's
//! records to `__transaction_state` with acks=all, sending its WriteTxnMarkers to partition
//! leaders, appending markers as a partition leader, and loading or unloading transactional ids
//! as leadership of a `__transaction_state` partition moves.

use super::*;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::ControlType;
use crate::protocol::log::internal::InternalRecord;
use crate::protocol::log::RecordBatch;
use crate::protocol::txn::coordinator::{TxnOut, TRANSACTION_STATE_TOPIC};
use crate::protocol::txn::metadata::TransactionMetadata;
use std::sync::Arc;

impl Broker {
    pub(super) fn transaction_state_partition(partition: i32) -> TopicPartition {
        TopicPartition::new(TRANSACTION_STATE_TOPIC, partition)
    }

    /// FindCoordinator(transaction): the leader of the id's `__transaction_state` partition.
    pub(super) fn find_transaction_coordinator(&self, transactional_id: &str) -> Response {
        let tp = Self::transaction_state_partition(self.txn_coordinator.partition_for(transactional_id));
        match self.image.partitions.get(&tp).and_then(|p| p.leader) {
            Some(leader) => Response::FindCoordinator { error: ErrorCode::None, coordinator: Some(leader) },
            None => Response::FindCoordinator { error: ErrorCode::CoordinatorNotAvailable, coordinator: None },
        }
    }

    pub(super) fn handle_txn_request(
        &mut self,
        now: SimTime,
        reply: (NodeId, u64),
        request: Request,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut t = TxnOut::default();
        let coordinator = &mut self.txn_coordinator;
        match request {
            Request::InitProducerId { transactional_id: Some(id), transaction_timeout_ms } => {
                coordinator.handle_init_producer_id(now, reply, id, transaction_timeout_ms, &mut t)
            }
            Request::AddPartitionsToTxn { transactional_id, producer_id, producer_epoch, partitions } => coordinator
                .handle_add_partitions(now, reply, (transactional_id, producer_id, producer_epoch), partitions, &mut t),
            Request::EndTxn { transactional_id, producer_id, producer_epoch, commit } => {
                coordinator.handle_end_txn(reply, (transactional_id, producer_id, producer_epoch), commit, &mut t)
            }
            other => panic!("not a transaction coordinator request: {}", other.api_name()),
        }
        self.apply_txn_out(now, t, out);
    }

    /// Carries out what the transaction coordinator asked for.
    pub(super) fn apply_txn_out(&mut self, now: SimTime, t: TxnOut, out: &mut Outbox<BrokerTimer>) {
        for (to, correlation_id, response) in t.responses {
            Self::respond(out, to, correlation_id, response);
        }
        for (at, timer) in t.timers {
            out.set_timer(at, BrokerTimer::TxnCoordinator(timer));
        }
        for event in t.events {
            out.record(event);
        }
        for append in t.appends {
            self.append_for_txn_coordinator(now, append, out);
        }
        for markers in t.markers {
            self.send_txn_markers(now, markers, out);
        }
    }

    fn append_for_txn_coordinator(&mut self, now: SimTime, append: TxnAppend, out: &mut Outbox<BrokerTimer>) {
        let tp = Self::transaction_state_partition(append.partition);
        self.next_internal_value += 1;
        let sequence = (self.incarnation << 48) | ((self.id.0 as u64) << 32) | self.next_internal_value;
        let mut record = Record::data(None, ValueId { producer: INTERNAL_PRODUCER, sequence }, 80, now);
        record.internal = Some(Arc::new(InternalRecord::TransactionLog(append.metadata.clone())));
        let (response, required_offset) =
            self.append_to_leader(now, &tp, RecordBatch::data(vec![record]), Acks::All, out);
        let done = !response.error.is_none();
        let partitions = vec![(tp.clone(), required_offset, response, done)];
        self.maybe_increment_high_watermark(now, &tp, out);
        self.try_complete_delayed_fetches(now, std::slice::from_ref(&tp), out);
        // Kafka's `transaction.state.log` appends time out after `request.timeout.ms`-like bounds;
        // the offsets commit timeout (5 s) is the same order.
        let timeout = self.config.offsets_commit_timeout_ms;
        self.delay_produce(now, DelayedReply::TxnCoordinator(Box::new(append)), partitions, timeout, out);
    }

    /// WriteTxnMarkers, split by partition leader (`TransactionMarkerChannelManager`).
    fn send_txn_markers(
        &mut self,
        now: SimTime,
        markers: crate::protocol::txn::coordinator::MarkerRequest,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut by_leader: BTreeMap<BrokerId, Vec<TopicPartition>> = BTreeMap::new();
        let mut no_leader = Vec::new();
        for tp in markers.partitions {
            match self.image.partitions.get(&tp).and_then(|p| p.leader) {
                Some(leader) => by_leader.entry(leader).or_default().push(tp),
                None => no_leader.push((tp, ErrorCode::LeaderNotAvailable)),
            }
        }
        let header = (markers.producer_id, markers.producer_epoch, markers.control);
        for (leader, partitions) in by_leader {
            if leader == self.id {
                let reply = DelayedReply::LocalTxnMarkers { transactional_id: markers.transactional_id.clone() };
                self.write_txn_markers(now, reply, header, partitions, out);
                continue;
            }
            let request = Request::WriteTxnMarkers {
                producer_id: markers.producer_id,
                producer_epoch: markers.producer_epoch,
                control: markers.control,
                partitions: partitions.clone(),
            };
            let pending = Pending::TxnMarkers { transactional_id: markers.transactional_id.clone(), partitions };
            let timeout = self.config.replica_socket_timeout_ms;
            self.send_request(now, Self::node(leader), request, pending, timeout, out);
        }
        if !no_leader.is_empty() {
            self.on_txn_markers_result(now, &markers.transactional_id, no_leader, out);
        }
    }

    pub(super) fn on_txn_markers_result(
        &mut self,
        now: SimTime,
        transactional_id: &str,
        results: Vec<(TopicPartition, ErrorCode)>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut t = TxnOut::default();
        self.txn_coordinator.on_markers_result(now, transactional_id, results, &mut t);
        self.apply_txn_out(now, t, out);
    }

    pub(super) fn handle_write_txn_markers(
        &mut self,
        now: SimTime,
        (from, correlation_id): (NodeId, u64),
        header: (ProducerId, ProducerEpoch, ControlType),
        partitions: Vec<TopicPartition>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        self.write_txn_markers(now, DelayedReply::TxnMarkers { from, correlation_id }, header, partitions, out);
    }

    /// Appends one marker per partition as its leader; answers once they are replicated.
    fn write_txn_markers(
        &mut self,
        now: SimTime,
        reply: DelayedReply,
        (producer_id, producer_epoch, control): (ProducerId, ProducerEpoch, ControlType),
        partitions: Vec<TopicPartition>,
        out: &mut Outbox<BrokerTimer>,
    ) {
        let mut results = Vec::new();
        for tp in partitions {
            let marker = RecordBatch::control_marker(control, producer_id, producer_epoch, now);
            let fenced = self
                .disk
                .logs
                .get(&tp)
                .and_then(|log| log.producer_state().entry(producer_id))
                .is_some_and(|entry| entry.producer_epoch > producer_epoch);
            if fenced {
                // A newer epoch already wrote here: this marker belongs to a fenced producer.
                let response = ProducePartitionResponse {
                    tp: tp.clone(),
                    error: ErrorCode::InvalidProducerEpoch,
                    base_offset: -1,
                    log_start_offset: -1,
                };
                results.push((tp, 0, response, true));
                continue;
            }
            let (response, required_offset) = self.append_to_leader(now, &tp, marker, Acks::All, out);
            if response.error.is_none() {
                self.maybe_increment_high_watermark(now, &tp, out);
            }
            let done = !response.error.is_none();
            results.push((tp, required_offset, response, done));
        }
        // A marker moves the last stable offset: read_committed fetches parked there may go.
        let marked: Vec<TopicPartition> = results.iter().map(|(tp, ..)| tp.clone()).collect();
        self.try_complete_delayed_fetches(now, &marked, out);
        let timeout = self.config.replica_socket_timeout_ms;
        self.delay_produce(now, reply, results, timeout, out);
    }

    /// Leadership of a `__transaction_state` partition moved to or from this broker.
    pub(super) fn on_transaction_state_leadership(
        &mut self,
        now: SimTime,
        tp: &TopicPartition,
        leader: bool,
        out: &mut Outbox<BrokerTimer>,
    ) {
        if &*tp.topic != TRANSACTION_STATE_TOPIC {
            return;
        }
        if !leader {
            self.txn_coordinator.unload(tp.partition);
            return;
        }
        let log = &self.disk.logs[tp];
        let records: Vec<TransactionMetadata> = log
            .batches()
            .flat_map(|b| b.records.iter())
            .filter_map(|r| match r.internal.as_deref() {
                Some(InternalRecord::TransactionLog(m)) => Some(m.clone()),
                _ => None,
            })
            .collect();
        let mut t = TxnOut::default();
        self.txn_coordinator.load(now, tp.partition, records.iter(), &mut t);
        self.apply_txn_out(now, t, out);
    }
}
