//! The consumer client (`KafkaConsumer` with its `Fetcher`, `SubscriptionState` and offset
//! commits); group membership lives in `group_membership`.
//!
//! - Partitions come from `assign` (manual) or from the group (`subscribe`). A partition's
//!   position starts at the group's committed offset (OffsetFetch), else by `auto.offset.reset`
//!   (ListOffsets to its leader), or at the beginning after `seek_to_beginning`.
//! - One fetch per leader broker in flight, carrying the leader epoch the consumer knows
//!   (KIP-320), for every assigned partition that has a position and no buffered data.
//! - `poll` returns at most `max.poll.records` buffered records and advances positions past
//!   them. With `enable.auto.commit`, a poll first commits the positions reached by earlier polls
//!   every `auto.commit.interval.ms` — which is why auto-commit commits "the previous poll".
//! - NOT_LEADER_OR_FOLLOWER and leader-epoch errors refresh metadata; OFFSET_OUT_OF_RANGE resets
//!   the position by `auto.offset.reset`.
//! - After a leader change the position is validated before the next fetch (KIP-320; see
//!   `position_validation`).

use super::assignment::rebalance_protocol;
use super::config::{ConsumerConfig, OffsetReset};
use super::fetched_records::fetched_records;
use super::group_membership::GroupMembership;
use crate::history::{Event, PolledPartition};
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
}

#[derive(Clone, Debug)]
pub(super) enum InflightKind {
    Metadata,
    Fetch { broker: BrokerId, fetch_offsets: BTreeMap<TopicPartition, Offset> },
    ListOffsets { partitions: Vec<(TopicPartition, OffsetSpec)> },
    FindCoordinator,
    JoinGroup,
    SyncGroup,
    Heartbeat,
    LeaveGroup,
    OffsetCommit { offsets: Vec<(TopicPartition, Offset)>, generation_id: i32, sync: bool },
    OffsetFetch { partitions: Vec<TopicPartition> },
    ValidatePositions { partitions: Vec<TopicPartition> },
}

#[derive(Clone, Debug)]
pub(super) struct Inflight {
    pub peer: NodeId,
    pub kind: InflightKind,
}

/// How a partition's position is (re)established.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PositionState {
    Valid(Offset),
    /// Ask the group for its committed offset.
    AwaitingCommitted,
    FetchingCommitted,
    AwaitingReset(OffsetSpec),
    Resetting,
    /// The partition's leader changed since the position was established (KIP-320): before
    /// fetching again, ask the new leader where the epoch of the last consumed record ends.
    AwaitingValidation(Offset),
    Validating(Offset),
}

pub struct KafkaConsumer {
    pub(super) config: ConsumerConfig,
    pub(super) metadata: ClientMetadata,
    pub(super) connections: ConnectionStates,
    pub(super) rng: ChaCha8Rng,
    pub(super) assignment: BTreeMap<TopicPartition, PositionState>,
    /// Fetched records not yet returned by poll, per partition, oldest first, with their
    /// batch's leader epoch.
    pub(super) buffered: BTreeMap<TopicPartition, VecDeque<(Offset, ValueId, LeaderEpoch)>>,
    /// Where the position goes once a partition's buffered records are all returned, when the
    /// fetch ended with batches poll never returns (markers, aborted records): (the position
    /// after the last buffered record, the next fetch offset).
    pub(super) skip_after_buffered: BTreeMap<TopicPartition, (Offset, Offset)>,
    /// The leader epoch of the last record `poll` returned, per partition (the position's
    /// `offsetEpoch` in Kafka's `SubscriptionState.FetchPosition`); none after a reset or seek.
    pub(super) consumed_epochs: BTreeMap<TopicPartition, LeaderEpoch>,
    /// The leader epoch each partition was last fetched at (Kafka's `FetchPosition.currentLeader`):
    /// a newer one in the metadata means the leader changed under the position.
    pub(super) known_leader_epochs: BTreeMap<TopicPartition, LeaderEpoch>,
    pub(super) inflight: BTreeMap<u64, Inflight>,
    fetching_from: BTreeSet<BrokerId>,
    next_correlation_id: u64,
    scheduled_wakeup_ms: Option<SimTime>,
    pub(super) group: Option<GroupMembership>,
    pub(super) last_poll_ms: SimTime,
    /// The application is processing what it polled (not inside `poll`): the time since the
    /// last poll counts against `max.poll.interval.ms`.
    pub(super) processing: bool,
    next_auto_commit_ms: SimTime,
    /// False once the run's quiet period began (`Control::StopCommitting`).
    commits_enabled: bool,
}

impl KafkaConsumer {
    pub fn new(
        config: ConsumerConfig,
        bootstrap: Vec<BrokerId>,
        topics: Vec<TopicName>,
        rng: ChaCha8Rng,
    ) -> KafkaConsumer {
        KafkaConsumer {
            next_auto_commit_ms: config.auto_commit_interval_ms,
            config,
            metadata: ClientMetadata::new(bootstrap, topics),
            connections: ConnectionStates::default(),
            rng,
            assignment: BTreeMap::new(),
            buffered: BTreeMap::new(),
            skip_after_buffered: BTreeMap::new(),
            consumed_epochs: BTreeMap::new(),
            known_leader_epochs: BTreeMap::new(),
            inflight: BTreeMap::new(),
            fetching_from: BTreeSet::new(),
            next_correlation_id: 0,
            scheduled_wakeup_ms: None,
            group: None,
            last_poll_ms: 0,
            processing: false,
            commits_enabled: true,
        }
    }

    /// From now on `commit` does nothing (the simulated run is ending).
    pub fn stop_committing(&mut self) {
        self.commits_enabled = false;
    }

    pub fn config(&self) -> &ConsumerConfig {
        &self.config
    }

    /// Partition counts learned from metadata (to assign every partition of a topic).
    pub fn partition_counts(&self) -> &BTreeMap<TopicName, i32> {
        &self.metadata.partition_counts
    }

    /// `subscribe`: join `group_id` and consume what the group assigns.
    pub fn subscribe(&mut self, group_id: &str, topics: Vec<TopicName>, client_id: String) {
        let protocol = rebalance_protocol(&self.config.partition_assignment_strategy);
        self.group = Some(GroupMembership::new(group_id, topics, client_id, protocol));
    }

    /// The generation of the group this member is in, if it is in one.
    pub fn group_generation(&self) -> Option<i32> {
        self.group.as_ref().map(|g| g.generation_id).filter(|g| *g >= 0)
    }

    pub fn group_member_id(&self) -> Option<&str> {
        self.group.as_ref().map(|g| g.member_id.as_str()).filter(|m| !m.is_empty())
    }

    /// `assign`: replaces the assignment; new partitions start by `auto.offset.reset`.
    pub fn assign(&mut self, partitions: Vec<TopicPartition>) {
        let reset = self.reset_spec();
        let mut next = BTreeMap::new();
        for tp in partitions {
            let state = self.assignment.get(&tp).copied().unwrap_or(PositionState::AwaitingReset(reset));
            next.insert(tp, state);
        }
        self.buffered.retain(|tp, _| next.contains_key(tp));
        self.assignment = next;
    }

    pub(super) fn reset_spec(&self) -> OffsetSpec {
        match self.config.auto_offset_reset {
            // `none` raises NoOffsetForPartitionException in Kafka; kafkasim starts at the beginning.
            OffsetReset::Earliest | OffsetReset::None => OffsetSpec::Earliest,
            OffsetReset::Latest => OffsetSpec::Latest,
        }
    }

    /// Adds partitions the group gave us: they start at the group's committed offsets.
    pub(super) fn add_assigned(&mut self, partitions: &[TopicPartition]) {
        for tp in partitions {
            self.assignment.entry(tp.clone()).or_insert(PositionState::AwaitingCommitted);
        }
    }

    /// Drops partitions (revoked or lost): their buffered records are discarded.
    pub(super) fn remove_assigned(&mut self, partitions: &[TopicPartition]) {
        for tp in partitions {
            self.assignment.remove(tp);
            self.buffered.remove(tp);
            self.consumed_epochs.remove(tp);
        }
    }

    /// `seekToBeginning` for every assigned partition.
    pub fn seek_to_beginning(&mut self) {
        for state in self.assignment.values_mut() {
            *state = PositionState::AwaitingReset(OffsetSpec::Earliest);
        }
        self.buffered.clear();
        self.consumed_epochs.clear();
    }

    /// `seekToEnd` for every assigned partition.
    pub fn seek_to_end(&mut self) {
        for state in self.assignment.values_mut() {
            *state = PositionState::AwaitingReset(OffsetSpec::Latest);
        }
        self.buffered.clear();
        self.consumed_epochs.clear();
    }

    pub fn seek(&mut self, tp: &TopicPartition, offset: Offset) {
        if let Some(state) = self.assignment.get_mut(tp) {
            *state = PositionState::Valid(offset);
            self.buffered.remove(tp);
            self.consumed_epochs.remove(tp);
        }
    }

    pub fn position(&self, tp: &TopicPartition) -> Option<Offset> {
        match self.assignment.get(tp) {
            Some(PositionState::Valid(offset)) => Some(*offset),
            _ => None,
        }
    }

    /// The positions of every assigned partition that has one: what a commit commits.
    pub fn positions(&self) -> Vec<(TopicPartition, Offset)> {
        self.assignment
            .iter()
            .filter_map(|(tp, s)| match s {
                PositionState::Valid(o) => Some((tp.clone(), *o)),
                _ => None,
            })
            .collect()
    }

    pub fn assigned_partitions(&self) -> Vec<TopicPartition> {
        self.assignment.keys().cloned().collect()
    }

    /// The application starts or finishes processing a poll's records.
    pub fn set_processing(&mut self, processing: bool) {
        self.processing = processing;
    }

    pub fn has_buffered_records(&self) -> bool {
        self.buffered.values().any(|q| !q.is_empty())
    }

    /// `poll`: up to `max.poll.records` buffered records, partitions in turn. Auto-commits first
    /// when its interval has passed.
    pub fn poll(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) -> Vec<PolledPartition> {
        self.last_poll_ms = now;
        if let Some(group) = &mut self.group {
            group.on_poll();
        }
        if self.config.enable_auto_commit && self.group.is_some() && now >= self.next_auto_commit_ms {
            self.next_auto_commit_ms = now + self.config.auto_commit_interval_ms;
            self.commit(now, None, false, out);
        }
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
            let mut last_epoch = None;
            let records: Vec<(Offset, ValueId)> = queue
                .drain(..take)
                .map(|(offset, value, epoch)| {
                    last_epoch = Some(epoch);
                    (offset, value)
                })
                .collect();
            if let Some(epoch) = last_epoch {
                self.consumed_epochs.insert(tp.clone(), epoch);
            }
            budget -= take;
            if let (Some(PositionState::Valid(position)), Some(last)) = (self.assignment.get_mut(tp), records.last()) {
                *position = last.0 + 1;
                if queue.is_empty() {
                    if let Some((after, next)) = self.skip_after_buffered.remove(tp) {
                        if after == *position {
                            *position = next;
                        }
                    }
                }
            }
            result.push(PolledPartition { tp: tp.clone(), records });
        }
        self.buffered.retain(|_, q| !q.is_empty());
        self.run(now, out);
        result
    }

    /// Commits `offsets` (default: every position) for the group. A sync commit is reported done
    /// by `sync_commit_in_flight` turning false.
    pub fn commit(
        &mut self,
        now: SimTime,
        offsets: Option<Vec<(TopicPartition, Offset)>>,
        sync: bool,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        let Some(group) = &self.group else { return };
        if !self.commits_enabled {
            return;
        }
        let offsets = offsets.unwrap_or_else(|| self.positions());
        if offsets.is_empty() {
            return;
        }
        let Some(coordinator) = group.coordinator else {
            out.record(Event::OffsetCommitFailed {
                error: ErrorCode::CoordinatorNotAvailable,
                partitions: offsets.len() as u32,
            });
            return;
        };
        let request = Request::OffsetCommit {
            group_id: group.group_id.clone(),
            generation_id: group.generation_id,
            member_id: group.member_id.clone(),
            group_instance_id: self.config.group_instance_id.clone(),
            offsets: offsets.clone(),
        };
        let generation_id = group.generation_id;
        self.send_request(now, coordinator, request, InflightKind::OffsetCommit { offsets, generation_id, sync }, out);
    }

    pub fn sync_commit_in_flight(&self) -> bool {
        self.inflight.values().any(|i| matches!(i.kind, InflightKind::OffsetCommit { sync: true, .. }))
    }

    /// Numbers this consumer's requests after `first`: a consumer sharing its process with a
    /// producer keeps its correlation ids apart from the producer's.
    pub fn number_requests_after(&mut self, first: u64) {
        self.next_correlation_id = self.next_correlation_id.max(first);
    }

    fn next_correlation(&mut self) -> u64 {
        self.next_correlation_id += 1;
        self.next_correlation_id
    }

    pub(super) fn send_request(
        &mut self,
        now: SimTime,
        broker: BrokerId,
        request: Request,
        kind: InflightKind,
        out: &mut Outbox<ConsumerTimer>,
    ) {
        let correlation_id = self.next_correlation();
        let peer = NodeId::Broker(broker);
        out.send(peer, Message::Request { correlation_id, request });
        out.set_timer(now + self.config.request_timeout_ms, ConsumerTimer::RequestTimeout(correlation_id));
        self.inflight.insert(correlation_id, Inflight { peer, kind });
    }

    pub(super) fn wake_at(&mut self, now: SimTime, at: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let at = at.max(now + 1);
        if !self.scheduled_wakeup_ms.is_some_and(|s| s > now && s <= at) {
            self.scheduled_wakeup_ms = Some(at);
            out.set_timer(at, ConsumerTimer::Wakeup);
        }
    }

    /// Sends what can be sent: metadata, group membership, offset lookups, fetches.
    pub fn run(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let connections = &self.connections;
        if self.metadata.should_request(now, self.config.retry_backoff_ms, self.config.metadata_max_age_ms) {
            if let Some(broker) = self.metadata.next_broker(|b| connections.is_ready(b, now)) {
                self.metadata.request_sent(now);
                let topics = self.metadata.topics.clone();
                self.send_request(now, broker, Request::Metadata { topics }, InflightKind::Metadata, out);
            }
        }
        self.run_group(now, out);
        self.send_offset_fetches(now, out);
        self.send_offset_resets(now, out);
        self.send_validations(now, out);
        self.send_fetches(now, out);
        if let Some(at) = self.connections.next_ready_at(now) {
            self.wake_at(now, at, out);
        }
        if self.config.enable_auto_commit && self.group.is_some() {
            self.wake_at(now, self.next_auto_commit_ms, out);
        }
        if self.metadata.need_update && !self.metadata.inflight {
            self.wake_at(now, self.metadata.last_attempt_ms + self.config.retry_backoff_ms, out);
        }
    }

    fn send_offset_fetches(&mut self, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
        let Some(group) = &self.group else { return };
        let Some(coordinator) = group.coordinator else { return };
        let partitions: Vec<TopicPartition> = self
            .assignment
            .iter()
            .filter(|(_, s)| **s == PositionState::AwaitingCommitted)
            .map(|(tp, _)| tp.clone())
            .collect();
        if partitions.is_empty() {
            return;
        }
        for tp in &partitions {
            self.assignment.insert(tp.clone(), PositionState::FetchingCommitted);
        }
        let request = Request::OffsetFetch { group_id: group.group_id.clone(), partitions: partitions.clone() };
        self.send_request(now, coordinator, request, InflightKind::OffsetFetch { partitions }, out);
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
            let tps: Vec<(TopicPartition, OffsetSpec)> =
                partitions.iter().map(|(tp, _, spec)| (tp.clone(), *spec)).collect();
            for (tp, _) in &tps {
                self.assignment.insert(tp.clone(), PositionState::Resetting);
            }
            let request = Request::ListOffsets { isolation_level: self.config.isolation_level, partitions };
            self.send_request(now, broker, request, InflightKind::ListOffsets { partitions: tps }, out);
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
            let current_leader_epoch = self.metadata.leader_epoch_of(tp);
            if let Some(epoch) = current_leader_epoch.filter(|e| self.known_leader_epochs.get(tp) != Some(e)) {
                self.known_leader_epochs.insert(tp.clone(), epoch);
            }
            per_broker.entry(leader).or_default().push(FetchPartition {
                tp: tp.clone(),
                current_leader_epoch,
                fetch_offset: *position,
                last_fetched_epoch: None,
                partition_max_bytes: self.config.max_partition_fetch_bytes,
                fetcher_high_watermark: None,
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
            self.send_request(now, broker, request, InflightKind::Fetch { broker, fetch_offsets }, out);
        }
    }

    pub fn on_timer(&mut self, now: SimTime, timer: ConsumerTimer, out: &mut Outbox<ConsumerTimer>) {
        match timer {
            ConsumerTimer::RequestTimeout(correlation_id) => {
                if let Some(inflight) = self.inflight.get(&correlation_id) {
                    let peer = inflight.peer;
                    out.disconnects.push(peer);
                    self.fail_connection(peer, now, out);
                }
            }
            ConsumerTimer::Wakeup => {
                if self.scheduled_wakeup_ms.is_some_and(|s| s <= now) {
                    self.scheduled_wakeup_ms = None;
                }
            }
        }
        self.run(now, out);
    }

    pub fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<ConsumerTimer>) {
        self.fail_connection(peer, now, out);
        self.run(now, out);
    }

    fn fail_connection(&mut self, peer: NodeId, now: SimTime, out: &mut Outbox<ConsumerTimer>) {
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
                InflightKind::Fetch { broker, .. } => {
                    self.fetching_from.remove(&broker);
                    self.metadata.request_update();
                }
                InflightKind::ValidatePositions { partitions } => self.retry_validation(&partitions),
                InflightKind::ListOffsets { partitions } => {
                    for (tp, _) in partitions {
                        self.retry_reset(&tp);
                    }
                    self.metadata.request_update();
                }
                InflightKind::OffsetFetch { partitions } => {
                    for tp in partitions {
                        if self.assignment.get(&tp) == Some(&PositionState::FetchingCommitted) {
                            self.assignment.insert(tp, PositionState::AwaitingCommitted);
                        }
                    }
                    self.coordinator_lost(now);
                }
                InflightKind::OffsetCommit { offsets, .. } => {
                    out.record(Event::OffsetCommitFailed {
                        error: ErrorCode::NetworkException,
                        partitions: offsets.len() as u32,
                    });
                    self.coordinator_lost(now);
                }
                kind => self.group_request_failed(now, kind, out),
            }
        }
    }

    fn retry_reset(&mut self, tp: &TopicPartition) {
        let reset = self.reset_spec();
        if let Some(state) = self.assignment.get_mut(tp) {
            if *state == PositionState::Resetting {
                *state = PositionState::AwaitingReset(reset);
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
                self.note_leader_changes();
            }
            (InflightKind::ValidatePositions { .. }, Response::OffsetsForLeaderEpoch { partitions }) => {
                self.on_validation_response(partitions, out)
            }
            (InflightKind::ListOffsets { partitions: asked }, Response::ListOffsets { partitions }) => {
                for (tp, error, offset, _) in partitions {
                    if error.is_none() && self.assignment.get(&tp) == Some(&PositionState::Resetting) {
                        let to_latest = asked.iter().any(|(t, spec)| *t == tp && *spec == OffsetSpec::Latest);
                        out.record(Event::PositionReset { tp: tp.clone(), offset, to_latest });
                        self.consumed_epochs.remove(&tp);
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
            (InflightKind::OffsetFetch { partitions }, Response::OffsetFetch { error, offsets }) => {
                if !error.is_none() {
                    for tp in partitions {
                        if self.assignment.get(&tp) == Some(&PositionState::FetchingCommitted) {
                            self.assignment.insert(tp, PositionState::AwaitingCommitted);
                        }
                    }
                    self.coordinator_lost(now);
                } else {
                    let reset = self.reset_spec();
                    for (tp, committed) in offsets {
                        if self.assignment.get(&tp) == Some(&PositionState::FetchingCommitted) {
                            let state = committed.map_or(PositionState::AwaitingReset(reset), PositionState::Valid);
                            self.consumed_epochs.remove(&tp);
                            self.assignment.insert(tp, state);
                        }
                    }
                }
            }
            (InflightKind::OffsetCommit { offsets, generation_id, .. }, Response::OffsetCommit { results }) => {
                let error = results.iter().map(|(_, e)| *e).find(|e| !e.is_none()).unwrap_or(ErrorCode::None);
                if error.is_none() {
                    out.record(Event::OffsetsCommitted { offsets, generation_id });
                } else {
                    out.record(Event::OffsetCommitFailed { error, partitions: offsets.len() as u32 });
                    self.on_group_error(now, error, out);
                }
            }
            (kind, response) => self.on_group_response(now, kind, response, out),
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
                    let (records, next_fetch_offset) =
                        fetched_records(&p.batches, &p.aborted_transactions, self.config.isolation_level, position);
                    match records.last() {
                        // Nothing to return: move past the markers and aborted records now.
                        None => {
                            self.assignment.insert(p.tp.clone(), PositionState::Valid(next_fetch_offset));
                        }
                        Some((last, _, _)) => {
                            if next_fetch_offset > last + 1 {
                                self.skip_after_buffered.insert(p.tp.clone(), (last + 1, next_fetch_offset));
                            }
                            self.buffered.entry(p.tp.clone()).or_default().extend(records);
                        }
                    }
                }
                ErrorCode::OffsetOutOfRange => {
                    let spec = self.reset_spec();
                    self.assignment.insert(p.tp.clone(), PositionState::AwaitingReset(spec));
                }
                _ => self.metadata.request_update(),
            }
        }
    }
}
