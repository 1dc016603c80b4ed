//! The consumer client's data path (`KafkaConsumer` with its `Fetcher` and `SubscriptionState`):
//! positions per assigned partition, fetches to each partition's leader, and `poll`.
//!
//! - A partition without a position is reset by `auto.offset.reset` (ListOffsets to its leader),
//!   or to the beginning after `seek_to_beginning`.
//! - One fetch per leader broker in flight, carrying the leader epoch the consumer knows
//!   (KIP-320), for every assigned partition that has a position and no buffered data.
//! - `poll` returns at most `max.poll.records` buffered records and advances positions past
//!   them; the position is where the next fetch starts.
//! - NOT_LEADER_OR_FOLLOWER and leader-epoch errors refresh metadata; OFFSET_OUT_OF_RANGE resets
//!   the position by `auto.offset.reset`.

use super::config::{ConsumerConfig, OffsetReset};
use crate::history::PolledPartition;
use crate::protocol::actor::Outbox;
use crate::protocol::client::connections::ConnectionStates;
use crate::protocol::client::metadata::ClientMetadata;
use crate::protocol::errors::ErrorCode;
use crate::protocol::message::*;
use crate::protocol::types::*;
use rand_chacha::ChaCha8Rng;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Clone, Debug)]
pub enum ConsumerTimer {
    Wakeup,
    RequestTimeout(u64),
    /// The application finished processing the last poll.
    ProcessingDone,
}

#[derive(Clone, Debug)]
enum InflightKind {
    Metadata,
    Fetch { broker: BrokerId, fetch_offsets: BTreeMap<TopicPartition, Offset> },
    ListOffsets { partitions: Vec<TopicPartition> },
}

#[derive(Clone, Debug)]
struct Inflight {
    peer: NodeId,
    kind: InflightKind,
}

/// How a partition's position is (re)established.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PositionState {
    Valid(Offset),
    AwaitingReset(OffsetSpec),
    Resetting,
}

pub struct KafkaConsumer {
    config: ConsumerConfig,
    metadata: ClientMetadata,
    connections: ConnectionStates,
    rng: ChaCha8Rng,
    assignment: BTreeMap<TopicPartition, PositionState>,
    /// Fetched records not yet returned by poll, per partition, oldest first.
    buffered: BTreeMap<TopicPartition, VecDeque<(Offset, ValueId)>>,
    inflight: BTreeMap<u64, Inflight>,
    fetching_from: BTreeSet<BrokerId>,
    next_correlation_id: u64,
    scheduled_wakeup_ms: Option<SimTime>,
}

impl KafkaConsumer {
    pub fn new(
        config: ConsumerConfig,
        bootstrap: Vec<BrokerId>,
        topics: Vec<TopicName>,
        rng: ChaCha8Rng,
    ) -> KafkaConsumer {
        KafkaConsumer {
            config,
            metadata: ClientMetadata::new(bootstrap, topics),
            connections: ConnectionStates::default(),
            rng,
            assignment: BTreeMap::new(),
            buffered: BTreeMap::new(),
            inflight: BTreeMap::new(),
            fetching_from: BTreeSet::new(),
            next_correlation_id: 0,
            scheduled_wakeup_ms: None,
        }
    }

    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// Partition counts learned from metadata (to assign every partition of a topic).
    pub fn partition_counts(&self) -> &BTreeMap<TopicName, i32> {
        &self.metadata.partition_counts
    }

    /// `assign`: replaces the assignment; new partitions start by `auto.offset.reset`.
    pub fn assign(&mut self, partitions: Vec<TopicPartition>) {
        let reset = match self.config.auto_offset_reset {
            OffsetReset::Earliest => OffsetSpec::Earliest,
            _ => OffsetSpec::Latest,
        };
        let mut next = BTreeMap::new();
        for tp in partitions {
            let state = self.assignment.get(&tp).copied().unwrap_or(PositionState::AwaitingReset(reset));
            next.insert(tp, state);
        }
        self.buffered.retain(|tp, _| next.contains_key(tp));
        self.assignment = next;
    }

    /// `seekToBeginning` for every assigned partition.
    pub fn seek_to_beginning(&mut self) {
        for state in self.assignment.values_mut() {
            *state = PositionState::AwaitingReset(OffsetSpec::Earliest);
        }
        self.buffered.clear();
    }

    pub fn seek(&mut self, tp: &TopicPartition, offset: Offset) {
        if let Some(state) = self.assignment.get_mut(tp) {
            *state = PositionState::Valid(offset);
            self.buffered.remove(tp);
        }
    }

    pub fn position(&self, tp: &TopicPartition) -> Option<Offset> {
        match self.assignment.get(tp) {
            Some(PositionState::Valid(offset)) => Some(*offset),
            _ => None,
        }
    }

    pub fn has_buffered_records(&self) -> bool {
        self.buffered.values().any(|q| !q.is_empty())
    }

    /// `poll`: up to `max.poll.records` buffered records, partitions in turn.
    pub fn poll(&mut self) -> Vec<PolledPartition> {
        let mut budget = self.config.max_poll_records;
        let mut result = Vec::new();
        for (tp, queue) in self.buffered.iter_mut() {
            if budget == 0 {
                break;
            }
            let take = budget.min(queue.len());
            if take == 0 {
                continue;
            }
            let records: Vec<(Offset, ValueId)> = queue.drain(..take).collect();
            budget -= take;
            if let (Some(PositionState::Valid(position)), Some(last)) = (self.assignment.get_mut(tp), records.last()) {
                *position = last.0 + 1;
            }
            result.push(PolledPartition { tp: tp.clone(), records });
        }
        self.buffered.retain(|_, q| !q.is_empty());
        result
    }

    fn next_correlation(&mut self) -> u64 {
        self.next_correlation_id += 1;
        self.next_correlation_id
    }

    fn send_request<T>(
        &mut self,
        now: SimTime,
        broker: BrokerId,
        request: Request,
        kind: InflightKind,
        out: &mut Outbox<T>,
        timeout: impl Fn(u64) -> T,
    ) {
        let correlation_id = self.next_correlation();
        let peer = NodeId::Broker(broker);
        out.send(peer, Message::Request { correlation_id, request });
        out.set_timer(now + self.config.request_timeout_ms, timeout(correlation_id));
        self.inflight.insert(correlation_id, Inflight { peer, kind });
    }

    /// Sends what can be sent: metadata, offset resets, fetches.
    pub fn run(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let connections = &self.connections;
        if self.metadata.should_request(now, self.config.retry_backoff_ms, self.config.metadata_max_age_ms) {
            if let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) {
                self.metadata.request_sent(now);
                let topics = self.metadata.topics.clone();
                self.send_request(
                    now,
                    broker,
                    Request::Metadata { topics },
                    InflightKind::Metadata,
                    out,
                    ConsumerTimer::RequestTimeout,
                );
            }
        }
        self.send_offset_resets(now, out);
        self.send_fetches(now, out);
        let mut wake = self.connections.next_ready_at(now);
        if self.metadata.need_update && !self.metadata.inflight {
            let at = (self.metadata.last_attempt_ms + self.config.retry_backoff_ms).max(now + 1);
            wake = Some(wake.map_or(at, |w| w.min(at)));
        }
        if let Some(at) = wake {
            if !self.scheduled_wakeup_ms.is_some_and(|s| s > now && s <= at) {
                self.scheduled_wakeup_ms = Some(at);
                out.set_timer(at, ConsumerTimer::Wakeup);
            }
        }
    }

    fn send_offset_resets(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let mut per_broker: BTreeMap<BrokerId, Vec<(TopicPartition, Option<LeaderEpoch>, OffsetSpec)>> =
            BTreeMap::new();
        for (tp, state) in &self.assignment {
            if let PositionState::AwaitingReset(spec) = state {
                match self.metadata.leader_of(tp).filter(|l| self.connections.is_ready(*l, now)) {
                    Some(leader) => per_broker.entry(leader).or_default().push((
                        tp.clone(),
                        self.metadata.leader_epoch_of(tp),
                        *spec,
                    )),
                    None => self.metadata.need_update = true,
                }
            }
        }
        for (broker, partitions) in per_broker {
            let tps: Vec<TopicPartition> = partitions.iter().map(|(tp, ..)| tp.clone()).collect();
            for tp in &tps {
                self.assignment.insert(tp.clone(), PositionState::Resetting);
            }
            let request = Request::ListOffsets { isolation_level: self.config.isolation_level, partitions };
            self.send_request(
                now,
                broker,
                request,
                InflightKind::ListOffsets { partitions: tps },
                out,
                ConsumerTimer::RequestTimeout,
            );
        }
    }

    fn send_fetches(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let mut per_broker: BTreeMap<BrokerId, Vec<FetchPartition>> = BTreeMap::new();
        for (tp, state) in &self.assignment {
            let PositionState::Valid(position) = state else { continue };
            if self.buffered.get(tp).is_some_and(|q| !q.is_empty()) {
                continue;
            }
            let Some(leader) = self.metadata.leader_of(tp) else {
                self.metadata.need_update = true;
                continue;
            };
            if self.fetching_from.contains(&leader) || !self.connections.is_ready(leader, now) {
                continue;
            }
            per_broker.entry(leader).or_default().push(FetchPartition {
                tp: tp.clone(),
                current_leader_epoch: self.metadata.leader_epoch_of(tp),
                fetch_offset: *position,
                last_fetched_epoch: None,
                partition_max_bytes: self.config.max_partition_fetch_bytes,
            });
        }
        for (broker, partitions) in per_broker {
            let fetch_offsets = partitions.iter().map(|p| (p.tp.clone(), p.fetch_offset)).collect();
            let request = Request::Fetch(FetchRequest {
                replica_id: None,
                max_wait_ms: self.config.fetch_max_wait_ms,
                min_bytes: self.config.fetch_min_bytes,
                max_bytes: self.config.fetch_max_bytes,
                isolation_level: self.config.isolation_level,
                partitions,
            });
            self.fetching_from.insert(broker);
            self.send_request(
                now,
                broker,
                request,
                InflightKind::Fetch { broker, fetch_offsets },
                out,
                ConsumerTimer::RequestTimeout,
            );
        }
    }

    pub fn on_timer(&mut self, now: SimTime, timer: ConsumerTimer, out: &mut Outbox<ConsumerTimer>) {
        match timer {
            ConsumerTimer::RequestTimeout(correlation_id) => {
                if let Some(inflight) = self.inflight.get(&correlation_id) {
                    let peer = inflight.peer;
                    out.disconnects.push(peer);
                    self.fail_connection(peer, now);
                }
            }
            ConsumerTimer::Wakeup => {
                if self.scheduled_wakeup_ms.is_some_and(|s| s <= now) {
                    self.scheduled_wakeup_ms = None;
                }
            }
            ConsumerTimer::ProcessingDone => {}
        }
        self.run(now, out);
    }

    pub fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ConsumerTimer>) {
        self.fail_connection(peer, now);
        self.run(now, out);
    }

    fn fail_connection(&mut self, peer: NodeId, now: SimTime) {
        if let NodeId::Broker(broker) = peer {
            self.connections.on_failure(broker, now, &mut self.rng);
        }
        let failed: Vec<u64> = self.inflight.iter().filter(|(_, i)| i.peer == peer).map(|(c, _)| *c).collect();
        for correlation_id in failed {
            let inflight = self.inflight.remove(&correlation_id).expect("listed above");
            match inflight.kind {
                InflightKind::Metadata => self.metadata.request_failed(),
                InflightKind::Fetch { broker, .. } => {
                    self.fetching_from.remove(&broker);
                    self.metadata.request_update();
                }
                InflightKind::ListOffsets { partitions } => {
                    for tp in partitions {
                        self.retry_reset(&tp);
                    }
                    self.metadata.request_update();
                }
            }
        }
    }

    fn retry_reset(&mut self, tp: &TopicPartition) {
        if let Some(state) = self.assignment.get_mut(tp) {
            if *state == PositionState::Resetting {
                let spec = match self.config.auto_offset_reset {
                    OffsetReset::Latest => OffsetSpec::Latest,
                    _ => OffsetSpec::Earliest,
                };
                *state = PositionState::AwaitingReset(spec);
            }
        }
    }

    pub fn on_response(
        &mut self,
        now: SimTime,
        correlation_id: u64,
        response: Response,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        let Some(inflight) = self.inflight.remove(&correlation_id) else { return };
        if let NodeId::Broker(broker) = inflight.peer {
            self.connections.on_success(broker);
        }
        match (inflight.kind, response) {
            (InflightKind::Metadata, Response::Metadata { brokers, topics }) => {
                self.metadata.update(now, brokers, topics)
            }
            (InflightKind::ListOffsets { .. }, Response::ListOffsets { partitions }) => {
                for (tp, error, offset, _) in partitions {
                    if error.is_none() && self.assignment.get(&tp) == Some(&PositionState::Resetting) {
                        self.assignment.insert(tp, PositionState::Valid(offset));
                    } else {
                        self.retry_reset(&tp);
                        self.metadata.request_update();
                    }
                }
            }
            (InflightKind::Fetch { broker, fetch_offsets }, Response::Fetch(fetch)) => {
                self.fetching_from.remove(&broker);
                self.on_fetch_response(fetch_offsets, fetch);
            }
            (kind, response) => panic!("consumer got {} for {kind:?}", response.api_name()),
        }
        self.run(now, out);
    }

    fn on_fetch_response(&mut self, fetch_offsets: BTreeMap<TopicPartition, Offset>, fetch: FetchResponse) {
        for p in fetch.partitions {
            let Some(PositionState::Valid(position)) = self.assignment.get(&p.tp).copied() else { continue };
            if fetch_offsets.get(&p.tp) != Some(&position) {
                continue; // the position moved (seek, reset) since this fetch was sent
            }
            match p.error {
                ErrorCode::None => {
                    let queue = self.buffered.entry(p.tp.clone()).or_default();
                    for batch in &p.batches {
                        if batch.control.is_some() {
                            continue;
                        }
                        for (offset, record) in batch.offsets_and_records() {
                            if offset >= position {
                                queue.push_back((offset, record.value));
                            }
                        }
                    }
                }
                ErrorCode::OffsetOutOfRange => {
                    let spec = match self.config.auto_offset_reset {
                        OffsetReset::Earliest => OffsetSpec::Earliest,
                        OffsetReset::Latest => OffsetSpec::Latest,
                        // Kafka raises OffsetOutOfRangeException to the application; ours
                        // restarts from the beginning and the checks will show the jump.
                        OffsetReset::None => OffsetSpec::Earliest,
                    };
                    self.assignment.insert(p.tp.clone(), PositionState::AwaitingReset(spec));
                }
                _ => self.metadata.request_update(),
            }
        }
    }
}
