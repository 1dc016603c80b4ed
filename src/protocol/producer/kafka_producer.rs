//! The producer client (`KafkaProducer` with its `Sender` and, for idempotence, the sequence
//! bookkeeping of `TransactionManager`).
//!
//! - `send` partitions a record (`partitioner/`) and appends it to the accumulator. Kafka's
//!   `send` blocks while the topic's metadata is unknown or `buffer.memory` is used up; here the
//!   record waits in the producer and the application sends nothing more meanwhile
//!   ([`KafkaProducer::is_blocked`]). After `max.block.ms` the send fails (TimeoutException,
//!   REQUEST_TIMED_OUT).
//! - A batch is compressed with `compression.type` when it is first sent: its size on the wire
//!   and on the brokers' disks is the real compressed size.
//! - The sender drains ready batches into one Produce request per broker, at most
//!   `max.in.flight.requests.per.connection` unanswered per broker.
//! - Retriable errors put the batch back with exponential backoff (`retry.backoff.ms` doubling to
//!   `retry.backoff.max.ms`, 20% jitter) until `retries` or `delivery.timeout.ms` runs out.
//!   Without idempotence, a retry can overtake a later batch in flight (reordering) and a request
//!   that timed out after the leader appended it is written twice (duplicates), as in Kafka.
//! - With `enable.idempotence`, each batch gets a producer id, epoch and base sequence on its
//!   first send and keeps them across retries; a retried batch is only resent when it is the
//!   first unacknowledged one of its partition, and the leader deduplicates.
//! - A request unanswered for `request.timeout.ms`, or a lost connection, fails every request on
//!   that connection: whether the broker appended them is unknown, so a later failure of such a
//!   batch is reported as indefinite.
//! - With `transactional.id`, the `TransactionManager` state machine (`transaction_manager.rs`,
//!   glued in by `transactional.rs`) gates what may be sent: see there.

use super::accumulator::{AccumulatorConfig, Appended, PartitionChooser, ProducerBatch, RecordAccumulator};
use super::compression::{BatchCompressor, CompressionType};
use super::config::ProducerConfig;
use super::idempotence::{IdempotenceState, OutOfOrderAction};
use super::metrics::{ProducerMetrics, ProducerMetricsSample, ProducerMetricsTotals};
use super::partitioner::{
    collect_queue_sizes, NodeLatencyTracker, PartitionQueue, Partitioner, TopicPartitionsView, UNKNOWN_PARTITION,
};
use super::transaction_manager::{TransactionManager, TxnRequest};
use crate::history::Event;
use crate::protocol::actor::Outbox;
use crate::protocol::client::connections::ConnectionStates;
use crate::protocol::client::metadata::ClientMetadata;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::RecordBatch;
use crate::protocol::message::*;
use crate::protocol::types::*;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

#[path = "transactional.rs"]
mod transactional;

#[derive(Clone, Debug)]
pub enum ProducerTimer {
    /// Run the sender: a batch lingered long enough, a backoff ended, or a timeout is due.
    Wakeup,
    RequestTimeout(u64),
}

#[derive(Clone, Debug)]
enum InflightKind {
    Metadata,
    InitProducerId,
    Produce { broker: BrokerId, batches: Vec<ProducerBatch> },
    Txn(TxnRequest),
}

#[derive(Clone, Debug)]
struct Inflight {
    peer: NodeId,
    kind: InflightKind,
    sent_ms: SimTime,
}

/// A record whose `send` is blocked: waiting for its topic's metadata or for buffer memory.
#[derive(Clone, Debug)]
struct BlockedSend {
    topic: TopicName,
    record: Record,
    since_ms: SimTime,
    /// `KafkaProducer.partition`'s answer, asked once the topic's metadata is known (a
    /// round-robin partitioner must not be asked twice for one record).
    partition: Option<i32>,
}

pub struct KafkaProducer {
    /// Index of this producer in the scenario; the `producer` of every `ValueId` it writes.
    pub index: u32,
    config: ProducerConfig,
    metadata: ClientMetadata,
    connections: ConnectionStates,
    accumulator: RecordAccumulator,
    /// Sends blocked for metadata or buffer memory, oldest first (`send` blocks in Kafka).
    blocked: VecDeque<BlockedSend>,
    partitioner: Partitioner,
    node_latency: NodeLatencyTracker,
    compressor: BatchCompressor,
    metrics: ProducerMetrics,
    idempotence: IdempotenceState,
    init_producer_id_inflight: bool,
    inflight: BTreeMap<u64, Inflight>,
    inflight_per_broker: BTreeMap<BrokerId, usize>,
    next_correlation_id: u64,
    scheduled_wakeup_ms: Option<SimTime>,
    rng: ChaCha8Rng,
    /// Some for a transactional producer (`transactional.id`).
    txn: Option<TransactionManager>,
}

impl KafkaProducer {
    /// A producer; its config was validated with the scenario (including `partitioner.class`
    /// and its rules).
    pub fn new(
        index: u32,
        config: ProducerConfig,
        bootstrap: Vec<BrokerId>,
        topics: Vec<TopicName>,
        rng: ChaCha8Rng,
    ) -> KafkaProducer {
        let partitioner = Partitioner::from_config(&config.partitioner).expect("validated with the scenario");
        let accumulator = RecordAccumulator::new(AccumulatorConfig {
            batch_size: config.batch_size,
            compression_type: config.compression.compression_type,
            buffer_memory: config.buffer_memory,
        });
        let txn = config.transactional_id.clone().map(|id| TransactionManager::new(id, config.transaction_timeout_ms));
        KafkaProducer {
            index,
            node_latency: NodeLatencyTracker::new(partitioner.availability_timeout_ms()),
            partitioner,
            compressor: BatchCompressor::new(config.compression),
            metrics: ProducerMetrics::new(0),
            config,
            metadata: ClientMetadata::new(bootstrap, topics),
            connections: ConnectionStates::default(),
            accumulator,
            blocked: VecDeque::new(),
            idempotence: IdempotenceState::default(),
            init_producer_id_inflight: false,
            inflight: BTreeMap::new(),
            inflight_per_broker: BTreeMap::new(),
            next_correlation_id: 0,
            scheduled_wakeup_ms: None,
            rng,
            txn,
        }
    }

    /// The producer process starts: its metrics count from now.
    pub fn start(&mut self, now: SimTime) {
        self.metrics = ProducerMetrics::new(now);
    }

    /// The producer's metrics since its process started.
    pub fn metrics(&self) -> ProducerMetricsTotals {
        self.metrics.totals()
    }

    /// The totals snapshotted every `METRICS_SAMPLE_INTERVAL_MS` of simulated time.
    pub fn metrics_samples(&self) -> &[ProducerMetricsSample] {
        self.metrics.samples()
    }

    /// Whether `send` would block now: an earlier send still waits for metadata or memory.
    pub fn is_blocked(&self) -> bool {
        !self.blocked.is_empty()
    }

    pub fn config(&self) -> &ProducerConfig {
        &self.config
    }

    /// Nothing buffered and nothing in flight.
    pub fn is_idle(&self) -> bool {
        self.accumulator.is_empty()
            && self.blocked.is_empty()
            && !self.inflight.values().any(|i| matches!(i.kind, InflightKind::Produce { .. }))
    }

    /// `KafkaProducer.send`: the application hands over one record. If the send blocks, the
    /// record waits here; the application should not send again while [`Self::is_blocked`].
    pub fn send(&mut self, now: SimTime, topic: TopicName, record: Record, out: &mut Outbox<ProducerTimer>) {
        if let Some(txn) = &mut self.txn {
            txn.record_send(record.value);
        }
        self.blocked.push_back(BlockedSend { topic, record, since_ms: now, partition: None });
        self.unblock(now, out);
        // KafkaProducer.doSend wakes the sender only when the append started a batch or filled
        // one, or when the send must wait (for metadata or memory); a record that joins a
        // lingering batch changes no deadline, so the sender's scheduled wake-up stands. Running
        // the whole sender pass for every record cost most of a run's time.
        if self.accumulator.take_sender_wakeup() || !self.blocked.is_empty() {
            self.run(now, out);
        }
    }

    /// Appends blocked sends, oldest first, as long as they can go; fails those blocked for
    /// `max.block.ms`.
    fn unblock(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        while let Some(front) = self.blocked.front() {
            let expired = now >= front.since_ms + self.config.max_block_ms;
            let has_metadata = self.metadata.partition_counts.contains_key(&front.topic);
            if has_metadata && self.try_append(now, out) {
                continue;
            }
            if !has_metadata {
                self.metadata.request_update();
            }
            if !expired {
                return;
            }
            let blocked = self.blocked.pop_front().expect("front exists");
            // `send` throws a TimeoutException. A record that never got a partition (no
            // metadata) is recorded under partition -1.
            let partition = blocked.partition.unwrap_or(UNKNOWN_PARTITION);
            let partition = if partition == UNKNOWN_PARTITION && has_metadata {
                let view = TopicPartitionsView {
                    num_partitions: self.metadata.partition_counts[&blocked.topic],
                    available_partitions: self.metadata.available_partitions(&blocked.topic),
                };
                self.partitioner.built_in(&blocked.topic).peek_current_partition_info(&view, &mut self.rng).partition()
            } else {
                partition
            };
            let tp = TopicPartition::new(blocked.topic, partition);
            out.record(Event::SendInvoked {
                tp: tp.clone(),
                key: blocked.record.key.clone(),
                value: blocked.record.value,
            });
            out.record(Event::SendFailed {
                tp,
                value: blocked.record.value,
                error: ErrorCode::RequestTimedOut,
                definite: true,
            });
            self.metrics.records_failed(1);
        }
    }

    /// `KafkaProducer.partition`: the record's partition, or [`UNKNOWN_PARTITION`] for the
    /// built-in partitioner to choose during the append.
    fn partition_of(&mut self, topic: &TopicName, record: &Record) -> i32 {
        let view = TopicPartitionsView {
            num_partitions: self.metadata.partition_counts[topic],
            available_partitions: self.metadata.available_partitions(topic),
        };
        self.partitioner
            .partition(topic, None, record.key.as_deref().map(str::as_bytes), &view)
            .unwrap_or_else(|e| panic!("producer {}: the scenario's validation let through: {e}", self.index))
    }

    /// Appends the oldest blocked send; false if it has to keep waiting for buffer memory.
    fn try_append(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) -> bool {
        let blocked = self.blocked.front().expect("called with a blocked send");
        let (topic, record, partition) = (blocked.topic.clone(), blocked.record.clone(), blocked.partition);
        let partition = match partition {
            Some(partition) => partition,
            None => {
                let partition = self.partition_of(&topic, &record);
                self.blocked.front_mut().expect("still there").partition = Some(partition);
                partition
            }
        };
        let view = TopicPartitionsView {
            num_partitions: self.metadata.partition_counts[&topic],
            available_partitions: self.metadata.available_partitions(&topic),
        };
        let (key, value) = (record.key.clone(), record.value);
        let chooser = PartitionChooser { partitioner: &mut self.partitioner, view: &view, rng: &mut self.rng };
        match self.accumulator.append(&topic, partition, record, now, chooser) {
            Appended::To(tp) => {
                self.blocked.pop_front();
                out.record(Event::SendInvoked { tp, key, value });
                true
            }
            Appended::NoMemory => false,
        }
    }

    fn next_correlation(&mut self) -> u64 {
        self.next_correlation_id += 1;
        self.next_correlation_id
    }

    fn send_request(
        &mut self,
        now: SimTime,
        broker: BrokerId,
        request: Request,
        kind: InflightKind,
        out: &mut Outbox<ProducerTimer>,
    ) -> u64 {
        let correlation_id = self.next_correlation();
        let peer = NodeId::Broker(broker);
        out.send(peer, Message::Request { correlation_id, request });
        out.set_timer(now + self.config.request_timeout_ms, ProducerTimer::RequestTimeout(correlation_id));
        self.inflight.insert(correlation_id, Inflight { peer, kind, sent_ms: now });
        correlation_id
    }

    /// The sender loop: metadata, producer id, draining ready batches, expiring old ones.
    pub fn run(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        self.metrics.maybe_sample(now);
        self.expire_batches(now, out);
        self.unblock(now, out);
        let connections = &self.connections;
        if self.metadata.should_request(now, self.config.retry_backoff_ms, self.config.metadata_max_age_ms) {
            if let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) {
                self.metadata.request_sent(now);
                let topics = self.metadata.topics.clone();
                self.send_request(now, broker, Request::Metadata { topics }, InflightKind::Metadata, out);
            }
        }
        let connections = &self.connections;
        if self.txn.is_some() {
            self.run_transaction(now, out);
        } else if self.config.enable_idempotence
            && self.idempotence.producer_id().is_none()
            && !self.init_producer_id_inflight
        {
            if let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) {
                self.init_producer_id_inflight = true;
                self.send_request(
                    now,
                    broker,
                    Request::InitProducerId { transactional_id: None, transaction_timeout_ms: 0 },
                    InflightKind::InitProducerId,
                    out,
                );
            }
        }
        // A transactional producer's epoch belongs to its coordinator.
        if self.config.enable_idempotence && self.txn.is_none() {
            self.idempotence.maybe_bump_epoch(&mut self.accumulator);
        }
        self.update_partitioner_load_stats(now);
        self.accumulator.take_sender_wakeup();
        while self.drain_one_round(now, out) {}
        self.schedule_next_wakeup(now, out);
    }

    /// Builds at most one request per broker; returns whether anything was sent.
    fn drain_one_round(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) -> bool {
        if self.config.enable_idempotence && self.idempotence.producer_id().is_none() {
            return false;
        }
        if self.txn.as_ref().is_some_and(|t| !t.may_send_batches()) {
            return false;
        }
        let mut per_broker: BTreeMap<BrokerId, Vec<ProducerBatch>> = BTreeMap::new();
        let mut request_bytes: BTreeMap<BrokerId, u64> = BTreeMap::new();
        let partitions: Vec<TopicPartition> = self.accumulator.partitions().cloned().collect();
        for tp in partitions {
            let Some(leader) = self.metadata.leader_of(&tp) else {
                self.metadata.request_update();
                continue;
            };
            let inflight = self.inflight_per_broker.get(&leader).copied().unwrap_or(0);
            if inflight >= self.config.max_in_flight_requests_per_connection || !self.connections.is_ready(leader, now)
            {
                continue;
            }
            if !self.accumulator.head_is_ready(&tp, now, self.config.linger_ms) {
                continue;
            }
            if self.txn.as_mut().is_some_and(|t| !t.partition_added(&tp)) {
                continue; // AddPartitionsToTxn first
            }
            if !self.may_send_head(&tp) {
                continue;
            }
            let head_size = self.accumulator.head(&tp).map_or(0, |b| b.size_bytes);
            let bytes = request_bytes.entry(leader).or_insert(0);
            if *bytes > 0 && *bytes + head_size > self.config.max_request_size {
                continue;
            }
            *bytes += head_size;
            let mut batch = self.accumulator.pop_head(&tp).expect("head is ready");
            self.seal(now, &mut batch);
            self.stamp_sequence(&mut batch);
            batch.attempts += 1;
            batch.closed = true;
            per_broker.entry(leader).or_default().push(batch);
        }
        let sent_any = !per_broker.is_empty();
        for (broker, batches) in per_broker {
            self.send_produce(now, broker, batches, out);
        }
        sent_any
    }

    /// Ordering rules for the head batch of a partition.
    fn may_send_head(&self, tp: &TopicPartition) -> bool {
        let Some(head) = self.accumulator.head(tp) else { return false };
        if self.config.enable_idempotence {
            return self.idempotence.may_send(head);
        }
        if self.config.max_in_flight_requests_per_connection == 1 {
            // Kafka mutes a partition with a request in flight when ordering is guaranteed.
            return !self.inflight.values().any(|i| match &i.kind {
                InflightKind::Produce { batches, .. } => batches.iter().any(|b| &b.tp == tp),
                _ => false,
            });
        }
        true
    }

    fn stamp_sequence(&mut self, batch: &mut ProducerBatch) {
        if self.config.enable_idempotence {
            self.idempotence.stamp(batch);
        }
    }

    fn send_produce(
        &mut self,
        now: SimTime,
        broker: BrokerId,
        batches: Vec<ProducerBatch>,
        out: &mut Outbox<ProducerTimer>,
    ) {
        let partitions = batches
            .iter()
            .map(|b| {
                let mut wire = RecordBatch::data(b.records.clone());
                debug_assert!(b.sealed, "a batch is sized for the wire before it is sent");
                wire.size_bytes = b.size_bytes.min(u32::MAX as u64) as u32;
                if let Some(seq) = b.base_sequence {
                    wire.producer_id = b.producer_id;
                    wire.producer_epoch = b.producer_epoch;
                    wire.base_sequence = seq;
                }
                wire.is_transactional = self.txn.is_some();
                (b.tp.clone(), wire)
            })
            .collect();
        let request = Request::Produce(ProduceRequest {
            acks: self.config.acks,
            timeout_ms: self.config.request_timeout_ms,
            transactional_id: self.txn.as_ref().map(|t| t.transactional_id.clone()),
            partitions,
        });
        if self.config.acks == Acks::None {
            // acks=0: done once it is on the wire; no offset is ever learned.
            let correlation_id = self.next_correlation();
            out.send(NodeId::Broker(broker), Message::Request { correlation_id, request });
            for batch in batches {
                for record in &batch.records {
                    out.record(Event::SendAcked { tp: batch.tp.clone(), value: record.value, offset: None });
                }
                self.metrics.records_sent(batch.records.len());
                self.accumulator.deallocate(&batch);
            }
            return;
        }
        *self.inflight_per_broker.entry(broker).or_insert(0) += 1;
        self.send_request(now, broker, request, InflightKind::Produce { broker, batches }, out);
    }

    /// Closes a batch for its first send: compresses it for its real size on the wire and
    /// feeds the topic's compression-ratio estimate (`ProducerBatch.close`).
    fn seal(&mut self, now: SimTime, batch: &mut ProducerBatch) {
        if batch.sealed {
            return;
        }
        let codec = self.config.compression.compression_type;
        let wire_bytes = self.compressor.compressed_batch_size(&batch.records, u64::from(self.index)) as u64;
        let ratio = batch.seal(wire_bytes);
        if codec != CompressionType::None {
            self.accumulator.observe_compression_ratio(&batch.tp.topic, ratio);
        }
        let records_bytes = wire_bytes.saturating_sub(crate::protocol::log::batch::RECORD_BATCH_OVERHEAD_BYTES as u64);
        let uncompressed =
            if codec == CompressionType::None { records_bytes } else { batch.uncompressed_records_bytes };
        self.metrics.batch_sent(wire_bytes, uncompressed, records_bytes, now - batch.created_ms);
    }

    /// Adaptive partitioning's inputs, refreshed on every sender pass as `RecordAccumulator.ready`
    /// and `Sender.sendProducerData` do: which leaders have data ready and can take it, and how
    /// many batches each partition has queued.
    fn update_partitioner_load_stats(&mut self, now: SimTime) {
        if !self.partitioner.enable_adaptive_partitioning() {
            return;
        }
        let mut ready_leaders = std::collections::BTreeSet::new();
        for tp in self.accumulator.partitions() {
            if let Some(leader) = self.metadata.leader_of(tp) {
                if self.accumulator.head_is_ready(tp, now, self.config.linger_ms) {
                    ready_leaders.insert(leader);
                }
            }
        }
        for leader in ready_leaders {
            let can_drain = self.connections.is_ready(leader, now);
            self.node_latency.update_node_latency_stats(leader, now, can_drain);
        }
        let topics: Vec<TopicName> = self.metadata.topics.clone();
        for topic in topics {
            let Some(&num_partitions) = self.metadata.partition_counts.get(&topic) else { continue };
            let leaders = self.metadata.leaders_by_partition(&topic);
            let queues: Vec<PartitionQueue> = self
                .accumulator
                .queue_lengths(&topic)
                .map(|(partition, queued_batches)| PartitionQueue {
                    partition,
                    leader: leaders.get(partition as usize).copied().flatten(),
                    queued_batches,
                })
                .collect();
            let sizes = collect_queue_sizes(true, num_partitions, &queues, &self.node_latency);
            self.partitioner.built_in(&topic).update_partition_load_stats(sizes);
        }
    }

    fn schedule_next_wakeup(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        let mut next = self.accumulator.next_ready_at(self.config.linger_ms);
        if let Some(created) = self.accumulator.earliest_created_ms() {
            let expiry = created + self.config.delivery_timeout_ms;
            next = Some(next.map_or(expiry, |n| n.min(expiry)));
        }
        if self.metadata.need_update && !self.metadata.inflight {
            let retry = self.metadata.last_attempt_ms + self.config.retry_backoff_ms;
            next = Some(next.map_or(retry, |n| n.min(retry)));
        }
        if let Some(ready) = self.connections.next_ready_at(now) {
            next = Some(next.map_or(ready, |n| n.min(ready)));
        }
        if let Some(retry) = self.txn.as_ref().and_then(|t| t.next_retry_ms()).filter(|r| *r > now) {
            next = Some(next.map_or(retry, |n| n.min(retry)));
        }
        if let Some(blocked) = self.blocked.front() {
            // A blocked `send` gives up after max.block.ms even if nothing else happens.
            let give_up = blocked.since_ms + self.config.max_block_ms;
            next = Some(next.map_or(give_up, |n| n.min(give_up)));
        }
        let Some(at) = next.map(|t| t.max(now + 1)) else { return };
        if self.scheduled_wakeup_ms.is_some_and(|s| s <= at && s > now) {
            return;
        }
        self.scheduled_wakeup_ms = Some(at);
        out.set_timer(at, ProducerTimer::Wakeup);
    }

    pub fn on_timer(&mut self, now: SimTime, timer: ProducerTimer, out: &mut Outbox<ProducerTimer>) {
        match timer {
            ProducerTimer::Wakeup => {
                if self.scheduled_wakeup_ms.is_some_and(|s| s <= now) {
                    self.scheduled_wakeup_ms = None;
                }
            }
            ProducerTimer::RequestTimeout(correlation_id) => {
                if let Some(inflight) = self.inflight.get(&correlation_id) {
                    // NetworkClient closes the connection; everything on it fails.
                    let peer = inflight.peer;
                    out.disconnects.push(peer);
                    self.fail_connection(now, peer, ErrorCode::RequestTimedOut, out);
                }
            }
        }
        self.run(now, out);
    }

    pub fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ProducerTimer>) {
        self.fail_connection(now, peer, ErrorCode::NetworkException, out);
        self.run(now, out);
    }

    fn fail_connection(&mut self, now: SimTime, peer: NodeId, error: ErrorCode, out: &mut Outbox<ProducerTimer>) {
        if let NodeId::Broker(broker) = peer {
            self.connections.on_failure(broker, now, &mut self.rng);
        }
        let failed: Vec<u64> = self.inflight.iter().filter(|(_, i)| i.peer == peer).map(|(c, _)| *c).collect();
        for correlation_id in failed {
            let inflight = self.inflight.remove(&correlation_id).expect("listed above");
            match inflight.kind {
                InflightKind::Metadata => self.metadata.request_failed(match peer {
                    NodeId::Broker(broker) => Some(broker),
                    _ => None,
                }),
                InflightKind::InitProducerId => self.init_producer_id_inflight = false,
                InflightKind::Txn(_) => self.txn.as_mut().expect("transactional").request_failed(now),
                InflightKind::Produce { broker, batches } => {
                    self.release_inflight_slot(broker);
                    self.metadata.request_update();
                    for mut batch in batches {
                        self.idempotence.returned(&batch);
                        batch.maybe_written = true;
                        self.retry_or_fail(now, batch, error, out);
                    }
                }
            }
        }
    }

    fn release_inflight_slot(&mut self, broker: BrokerId) {
        if let Some(n) = self.inflight_per_broker.get_mut(&broker) {
            *n = n.saturating_sub(1);
        }
    }

    pub fn on_response(
        &mut self,
        now: SimTime,
        correlation_id: u64,
        response: Response,
        out: &mut Outbox<ProducerTimer>,
    ) {
        let Some(inflight) = self.inflight.remove(&correlation_id) else { return };
        let responder = match inflight.peer {
            NodeId::Broker(broker) => broker,
            other => unreachable!("requests go to brokers only, not {other:?}"),
        };
        if let NodeId::Broker(broker) = inflight.peer {
            self.connections.on_success(broker);
        }
        match (inflight.kind, response) {
            (InflightKind::Metadata, Response::Metadata { brokers, topics }) => {
                self.metadata.update(now, responder, brokers, topics);
            }
            (InflightKind::InitProducerId, Response::InitProducerId { error, producer_id, producer_epoch }) => {
                self.init_producer_id_inflight = false;
                if error.is_none() {
                    self.idempotence.set_producer_id(producer_id, producer_epoch);
                }
            }
            (InflightKind::Produce { broker, batches }, Response::Produce { partitions }) => {
                self.metrics.request_completed(now - inflight.sent_ms);
                self.release_inflight_slot(broker);
                self.complete_produce(now, batches, partitions, out);
            }
            (InflightKind::Txn(request), response) => self.on_txn_response(now, request, response, out),
            (kind, response) => panic!("producer {} got {} for {kind:?}", self.index, response.api_name()),
        }
        self.run(now, out);
    }

    fn complete_produce(
        &mut self,
        now: SimTime,
        batches: Vec<ProducerBatch>,
        partitions: Vec<ProducePartitionResponse>,
        out: &mut Outbox<ProducerTimer>,
    ) {
        for batch in batches {
            self.idempotence.returned(&batch);
            let Some(response) = partitions.iter().find(|p| p.tp == batch.tp) else {
                self.retry_or_fail(now, batch, ErrorCode::NetworkException, out);
                continue;
            };
            if !response.error.is_none() {
                out.record(Event::ProduceError {
                    tp: batch.tp.clone(),
                    error: response.error,
                    records: batch.records.len() as u32,
                    attempt: batch.attempts,
                });
            }
            match response.error {
                ErrorCode::None => self.complete_batch(batch, Some(response.base_offset), out),
                ErrorCode::DuplicateSequenceNumber => self.complete_batch(batch, None, out),
                ErrorCode::OutOfOrderSequenceNumber if self.config.enable_idempotence && self.txn.is_none() => {
                    // Either an earlier batch is unresolved (retry), or there is a real gap and
                    // the retry waits for a new epoch; both retry (KIP-360).
                    let _: OutOfOrderAction = self.idempotence.out_of_order(&batch);
                    self.retry_or_fail(now, batch, response.error, out);
                }
                error if error.is_retriable() => {
                    if matches!(
                        error,
                        ErrorCode::NotLeaderOrFollower
                            | ErrorCode::FencedLeaderEpoch
                            | ErrorCode::UnknownLeaderEpoch
                            | ErrorCode::UnknownTopicOrPartition
                            | ErrorCode::LeaderNotAvailable
                    ) {
                        self.metadata.request_update();
                    }
                    let mut batch = batch;
                    // Appended on the leader but not (yet) replicated: it may survive.
                    if matches!(error, ErrorCode::RequestTimedOut | ErrorCode::NotEnoughReplicasAfterAppend) {
                        batch.maybe_written = true;
                    }
                    self.retry_or_fail(now, batch, error, out);
                }
                error => self.fail_batch(batch, error, out),
            }
        }
    }

    fn complete_batch(&mut self, batch: ProducerBatch, base_offset: Option<Offset>, out: &mut Outbox<ProducerTimer>) {
        self.idempotence.acked(&batch);
        self.metrics.records_sent(batch.records.len());
        self.accumulator.deallocate(&batch);
        for (i, record) in batch.records.iter().enumerate() {
            out.record(Event::SendAcked {
                tp: batch.tp.clone(),
                value: record.value,
                offset: base_offset.map(|o| o + i as Offset),
            });
        }
    }

    fn fail_batch(&mut self, batch: ProducerBatch, error: ErrorCode, out: &mut Outbox<ProducerTimer>) {
        if let Some(txn) = &mut self.txn {
            // Never sent: nothing to resolve. Sent: the partition may hold it (KIP-360).
            if batch.base_sequence.is_some() || batch.maybe_written {
                txn.on_batch_failed(error);
            }
        }
        self.idempotence.failed(&batch);
        self.metrics.records_failed(batch.records.len());
        self.accumulator.deallocate(&batch);
        for record in &batch.records {
            out.record(Event::SendFailed {
                tp: batch.tp.clone(),
                value: record.value,
                error,
                definite: !batch.maybe_written,
            });
        }
    }

    fn retry_or_fail(
        &mut self,
        now: SimTime,
        mut batch: ProducerBatch,
        error: ErrorCode,
        out: &mut Outbox<ProducerTimer>,
    ) {
        let within_retries = batch.attempts <= self.config.retries;
        let within_delivery_timeout = now < batch.created_ms + self.config.delivery_timeout_ms;
        if !(within_retries && within_delivery_timeout) {
            self.fail_batch(batch, error, out);
            return;
        }
        batch.retry_at_ms = now + self.retry_backoff_ms(batch.attempts);
        self.metrics.records_retried(batch.records.len());
        self.accumulator.reenqueue(batch);
    }

    /// Kafka's `ExponentialBackoff(retry.backoff.ms, 2, retry.backoff.max.ms, 0.2)`.
    fn retry_backoff_ms(&mut self, attempts: u32) -> u64 {
        let base = self.config.retry_backoff_ms as f64;
        let max = self.config.retry_backoff_max_ms.max(self.config.retry_backoff_ms) as f64;
        let exp = (base * 2f64.powi(attempts.saturating_sub(1).min(30) as i32)).min(max);
        let jitter = self.rng.gen_range(0.8..1.2);
        (exp * jitter).round() as u64
    }

    fn expire_batches(&mut self, now: SimTime, out: &mut Outbox<ProducerTimer>) {
        for batch in self.accumulator.expire(now, self.config.delivery_timeout_ms) {
            self.fail_batch(batch, ErrorCode::RequestTimedOut, out);
        }
        // In-flight batches past their delivery timeout fail too; a late answer is ignored.
        let deadline = self.config.delivery_timeout_ms;
        let mut expired = Vec::new();
        for inflight in self.inflight.values_mut() {
            if let InflightKind::Produce { batches, .. } = &mut inflight.kind {
                // The common case, nothing expired, must not move every batch in flight.
                if !batches.iter().any(|b| now >= b.created_ms + deadline) {
                    continue;
                }
                let (old, keep): (Vec<_>, Vec<_>) = batches.drain(..).partition(|b| now >= b.created_ms + deadline);
                *batches = keep;
                expired.extend(old);
            }
        }
        for mut batch in expired {
            self.idempotence.returned(&batch);
            batch.maybe_written = true;
            self.fail_batch(batch, ErrorCode::RequestTimedOut, out);
        }
    }

    /// The record's key as Kafka would serialize a string key.
    pub fn key(text: &str) -> Arc<str> {
        Arc::from(text)
    }
}
