//! The active KRaft controller: owner of the metadata log.
//!
//! Follows `org.apache.kafka.controller.QuorumController` with its `ClusterControlManager`
//! (registration, heartbeats, fencing) and `ReplicationControlManager` (topics, ISR, elections):
//!
//! - A broker registers with an incarnation id and gets a broker epoch (the offset of its
//!   registration record). It starts fenced and is unfenced once a heartbeat shows it has
//!   replayed the metadata log up to its registration.
//! - A broker whose heartbeats stop for `broker.session.timeout.ms` is fenced: it leaves every
//!   ISR (except as the last member) and loses its leaderships (`handleBrokerFenced`).
//! - A broker that registers again with a new incarnation restarted without a clean shutdown.
//!   While the old incarnation's session is still valid (unfenced, heard from within
//!   `broker.session.timeout.ms`) the registration is refused with DUPLICATE_BROKER_REGISTRATION
//!   (`ClusterControlManager.registerBroker`); the broker retries until the session expires and
//!   the old incarnation is fenced like any silent broker. From metadata version 4.0-IV1 on the
//!   new registration also removes it from every ISR (`handleBrokerUncleanShutdown`); with an
//!   older `metadata.version` it stays where fencing left it.
//! - Unfencing a broker elects leaders for leaderless partitions (`handleBrokerUnfenced`); both
//!   paths use an unclean election when the topic enables `unclean.leader.election.enable`.
//! - AlterPartition requests from leaders change the ISR, rejected when the leader epoch or the
//!   partition epoch is stale, or when an added replica is fenced (KIP-841).
//! - With `auto.leader.rebalance.enable`, every `leader.imbalance.check.interval.seconds` the
//!   preferred replica is re-elected wherever it is an acceptable ISR member.
//! - Brokers replicate the metadata log with long-polling fetches, answered when new records
//!   are committed. The log is fsynced on every append, so a controller crash loses nothing; while
//!   it is down no metadata changes (fencing, elections, ISR changes) can happen.
//!
//! One controller only: a controller quorum with failover (`controllers = 3`) is not modelled.

use super::election::{build_partition_change, ElectionType};
use super::image::MetadataImage;
use super::placement::assign_replicas;
use crate::history::{Election, Event};
use crate::protocol::actor::{Actor, Outbox};
use crate::protocol::config::broker::{BrokerConfig, TopicConfig};
use crate::protocol::errors::ErrorCode;
use crate::protocol::message::*;
use crate::protocol::types::*;
use std::collections::BTreeMap;

/// A topic the scenario asks for; created once the brokers are up.
#[derive(Clone, Debug)]
pub struct TopicSpec {
    pub name: TopicName,
    pub partitions: i32,
    pub replication_factor: i32,
    pub config: TopicConfig,
}

/// What the controller survives a crash with: the metadata log (KRaft fsyncs it).
#[derive(Clone, Debug, Default)]
pub struct ControllerDisk {
    pub log: Vec<MetadataRecord>,
}

#[derive(Clone, Debug)]
pub enum ControllerTimer {
    /// Look for brokers whose session expired.
    SessionCheck,
    /// A parked metadata fetch of this broker reached its max wait.
    FetchDeadline(BrokerId),
    /// Time to re-elect preferred leaders.
    LeaderBalance,
    /// Create the scenario's topics even if some brokers never came up.
    CreateTopicsDeadline,
}

#[derive(Clone, Debug)]
struct ParkedFetch {
    from: NodeId,
    correlation_id: u64,
    fetch_offset: Offset,
    deadline_ms: SimTime,
}

/// How often expired broker sessions are looked for.
const SESSION_CHECK_INTERVAL_MS: SimTime = 100;

pub struct QuorumController {
    config: BrokerConfig,
    brokers: Vec<BrokerId>,
    topics: Vec<TopicSpec>,
    disk: ControllerDisk,
    image: MetadataImage,
    last_heartbeat_ms: BTreeMap<BrokerId, SimTime>,
    parked_fetches: BTreeMap<BrokerId, ParkedFetch>,
}

impl QuorumController {
    /// A controller starting from `disk` (empty on first boot).
    pub fn new(
        config: BrokerConfig,
        brokers: Vec<BrokerId>,
        topics: Vec<TopicSpec>,
        disk: ControllerDisk,
    ) -> QuorumController {
        let mut image = MetadataImage::new(config.planted_bug);
        for (offset, record) in disk.log.iter().enumerate() {
            image.apply(offset as Offset, record);
        }
        QuorumController {
            config,
            brokers,
            topics,
            disk,
            image,
            last_heartbeat_ms: BTreeMap::new(),
            parked_fetches: BTreeMap::new(),
        }
    }

    pub fn image(&self) -> &MetadataImage {
        &self.image
    }

    pub fn into_disk(self) -> ControllerDisk {
        self.disk
    }

    fn topics_created(&self) -> bool {
        !self.image.topics.is_empty() || self.topics.is_empty()
    }

    /// Appends records to the metadata log, applies them, records history, and answers every
    /// parked metadata fetch (the records are committed at once: one voter).
    fn append(
        &mut self,
        now: SimTime,
        records: Vec<MetadataRecord>,
        elections: &[(TopicPartition, Option<Election>)],
        out: &mut Outbox<ControllerTimer>,
    ) {
        if records.is_empty() {
            return;
        }
        for record in records {
            let offset = self.disk.log.len() as Offset;
            self.image.apply(offset, &record);
            match &record {
                MetadataRecord::Partition { tp, registration } => {
                    let election = elections.iter().find(|(t, _)| t == tp).and_then(|(_, e)| *e);
                    out.record(Event::PartitionChanged {
                        tp: tp.clone(),
                        replicas: registration.replicas.clone(),
                        leader: registration.leader,
                        leader_epoch: registration.leader_epoch,
                        partition_epoch: registration.partition_epoch,
                        isr: registration.isr.clone(),
                        election,
                    });
                }
                MetadataRecord::FenceBroker { broker, .. } => {
                    out.record(Event::BrokerFenced { broker: *broker, fenced: true })
                }
                MetadataRecord::UnfenceBroker { broker, .. } => {
                    out.record(Event::BrokerFenced { broker: *broker, fenced: false })
                }
                _ => {}
            }
            self.disk.log.push(record);
        }
        let parked: Vec<BrokerId> = self.parked_fetches.keys().copied().collect();
        for broker in parked {
            self.answer_parked_fetch(broker, now, out);
        }
    }

    fn answer_parked_fetch(&mut self, broker: BrokerId, _now: SimTime, out: &mut Outbox<ControllerTimer>) {
        if let Some(fetch) = self.parked_fetches.remove(&broker) {
            let records = self.records_from(fetch.fetch_offset);
            out.send(
                fetch.from,
                Message::Response {
                    correlation_id: fetch.correlation_id,
                    response: Response::MetadataFetch { error: ErrorCode::None, records },
                },
            );
        }
    }

    fn records_from(&self, fetch_offset: Offset) -> Vec<(Offset, MetadataRecord)> {
        let from = fetch_offset.clamp(0, self.disk.log.len() as Offset) as usize;
        self.disk.log[from..].iter().enumerate().map(|(i, r)| ((from + i) as Offset, r.clone())).collect()
    }

    /// `generateLeaderAndIsrUpdates`: for each partition, remove `remove` from the ISR, and
    /// elect with `add` acceptable even if still fenced.
    fn leader_and_isr_updates(
        &self,
        partitions: Vec<TopicPartition>,
        remove: Option<BrokerId>,
        add: Option<BrokerId>,
    ) -> (Vec<MetadataRecord>, Vec<(TopicPartition, Option<Election>)>) {
        let mut records = Vec::new();
        let mut elections = Vec::new();
        for tp in partitions {
            let current = &self.image.partitions[&tp];
            let unclean = self
                .image
                .topic_config(&tp.topic)
                .map_or(self.config.unclean_leader_election_enable, |c| c.unclean_leader_election_enable);
            let target_isr: Vec<BrokerId> = current.isr.iter().copied().filter(|b| Some(*b) != remove).collect();
            let acceptable = |b: BrokerId| Some(b) != remove && (Some(b) == add || self.image.is_active(b));
            let election = if unclean { ElectionType::Unclean } else { ElectionType::Online };
            if let Some(change) =
                build_partition_change(current, target_isr, election, acceptable, self.config.planted_bug)
            {
                elections.push((tp.clone(), change.election));
                records.push(MetadataRecord::Partition { tp, registration: change.registration });
            }
        }
        (records, elections)
    }

    fn partitions_with_in_isr(&self, broker: BrokerId) -> Vec<TopicPartition> {
        self.image.partitions.iter().filter(|(_, p)| p.isr.contains(&broker)).map(|(tp, _)| tp.clone()).collect()
    }

    fn partitions_without_leader(&self) -> Vec<TopicPartition> {
        self.image.partitions.iter().filter(|(_, p)| p.leader.is_none()).map(|(tp, _)| tp.clone()).collect()
    }

    fn fence(&mut self, now: SimTime, broker: BrokerId, out: &mut Outbox<ControllerTimer>) {
        let Some(state) = self.image.brokers.get(&broker).cloned() else { return };
        let (mut records, elections) =
            self.leader_and_isr_updates(self.partitions_with_in_isr(broker), Some(broker), None);
        if !state.fenced {
            records.push(MetadataRecord::FenceBroker { broker, broker_epoch: state.broker_epoch });
        }
        self.append(now, records, &elections, out);
    }

    fn maybe_create_topics(&mut self, now: SimTime, deadline_passed: bool, out: &mut Outbox<ControllerTimer>) {
        if self.topics_created() {
            return;
        }
        let active: Vec<BrokerId> = self.image.live_brokers();
        let all_up = self.brokers.iter().all(|b| active.contains(b));
        if !(all_up || (deadline_passed && !active.is_empty())) {
            return;
        }
        let mut records = Vec::new();
        let mut elections = Vec::new();
        for topic in &self.topics {
            records.push(MetadataRecord::Topic {
                name: topic.name.clone(),
                partitions: topic.partitions,
                config: topic.config.clone(),
            });
            let assignment = assign_replicas(&self.brokers, topic.partitions, topic.replication_factor);
            for (partition, replicas) in assignment.into_iter().enumerate() {
                let mut isr: Vec<BrokerId> = replicas.iter().copied().filter(|b| active.contains(b)).collect();
                if isr.is_empty() {
                    isr = replicas.clone();
                }
                let leader = isr.iter().copied().find(|b| active.contains(b));
                let tp = TopicPartition::new(topic.name.clone(), partition as i32);
                elections.push((tp.clone(), leader.map(|_| Election::Initial)));
                records.push(MetadataRecord::Partition {
                    tp,
                    registration: PartitionRegistration { replicas, isr, leader, leader_epoch: 0, partition_epoch: 0 },
                });
            }
        }
        self.append(now, records, &elections, out);
    }

    fn respond(out: &mut Outbox<ControllerTimer>, to: NodeId, correlation_id: u64, response: Response) {
        out.send(to, Message::Response { correlation_id, response });
    }

    fn on_registration(
        &mut self,
        now: SimTime,
        from: NodeId,
        correlation_id: u64,
        broker: BrokerId,
        incarnation: u64,
        out: &mut Outbox<ControllerTimer>,
    ) {
        if !self.brokers.contains(&broker) {
            Self::respond(
                out,
                from,
                correlation_id,
                Response::BrokerRegistration { error: ErrorCode::InvalidRequest, broker_epoch: -1 },
            );
            return;
        }
        if let Some(existing) = self.image.brokers.get(&broker) {
            if existing.incarnation == incarnation {
                let broker_epoch = existing.broker_epoch;
                Self::respond(
                    out,
                    from,
                    correlation_id,
                    Response::BrokerRegistration { error: ErrorCode::None, broker_epoch },
                );
                return;
            }
            // A new incarnation: the broker restarted without a clean shutdown. The old one
            // must be gone first: its session has to expire (or it is fenced already).
            let last_heartbeat_ms = self.last_heartbeat_ms.get(&broker).copied().unwrap_or(0);
            let session_valid =
                !existing.fenced && now.saturating_sub(last_heartbeat_ms) <= self.config.broker_session_timeout_ms;
            if session_valid {
                let response =
                    Response::BrokerRegistration { error: ErrorCode::DuplicateBrokerRegistration, broker_epoch: -1 };
                Self::respond(out, from, correlation_id, response);
                return;
            }
            // Since metadata version 4.0-IV1 it leaves every ISR (`handleBrokerUncleanShutdown`).
            if self.config.unclean_shutdown_leaves_isr {
                self.fence(now, broker, out);
            }
        }
        let broker_epoch = self.disk.log.len() as i64;
        self.append(now, vec![MetadataRecord::RegisterBroker { broker, broker_epoch, incarnation }], &[], out);
        self.last_heartbeat_ms.insert(broker, now);
        Self::respond(out, from, correlation_id, Response::BrokerRegistration { error: ErrorCode::None, broker_epoch });
    }

    fn on_heartbeat(
        &mut self,
        now: SimTime,
        (from, correlation_id): (NodeId, u64),
        broker: BrokerId,
        (broker_epoch, metadata_offset): (i64, Offset),
        out: &mut Outbox<ControllerTimer>,
    ) {
        let Some(state) = self.image.brokers.get(&broker).cloned() else {
            Self::respond(
                out,
                from,
                correlation_id,
                Response::BrokerHeartbeat { error: ErrorCode::BrokerIdNotRegistered, is_fenced: true },
            );
            return;
        };
        if state.broker_epoch != broker_epoch {
            Self::respond(
                out,
                from,
                correlation_id,
                Response::BrokerHeartbeat { error: ErrorCode::StaleBrokerEpoch, is_fenced: true },
            );
            return;
        }
        self.last_heartbeat_ms.insert(broker, now);
        if state.fenced && metadata_offset > broker_epoch {
            // Caught up with its own registration: unfence, then give leaderless partitions a
            // leader (the broker counts as acceptable already).
            self.append(now, vec![MetadataRecord::UnfenceBroker { broker, broker_epoch }], &[], out);
            let (records, elections) =
                self.leader_and_isr_updates(self.partitions_without_leader(), None, Some(broker));
            self.append(now, records, &elections, out);
            self.maybe_create_topics(now, false, out);
        }
        let is_fenced = !self.image.is_active(broker);
        Self::respond(out, from, correlation_id, Response::BrokerHeartbeat { error: ErrorCode::None, is_fenced });
    }

    fn on_alter_partition(
        &mut self,
        now: SimTime,
        (from, correlation_id): (NodeId, u64),
        (broker, broker_epoch): (BrokerId, i64),
        items: Vec<AlterPartitionItem>,
        out: &mut Outbox<ControllerTimer>,
    ) {
        if self.image.brokers.get(&broker).map(|s| s.broker_epoch) != Some(broker_epoch) {
            Self::respond(
                out,
                from,
                correlation_id,
                Response::AlterPartition { error: ErrorCode::StaleBrokerEpoch, results: Vec::new() },
            );
            return;
        }
        let mut results = Vec::new();
        for item in items {
            let result = self.alter_one(now, broker, item, out);
            results.push(result);
        }
        Self::respond(out, from, correlation_id, Response::AlterPartition { error: ErrorCode::None, results });
    }

    fn alter_one(
        &mut self,
        now: SimTime,
        broker: BrokerId,
        item: AlterPartitionItem,
        out: &mut Outbox<ControllerTimer>,
    ) -> AlterPartitionResult {
        let error = |tp: TopicPartition, error: ErrorCode, registration: Option<PartitionRegistration>| {
            AlterPartitionResult { tp, error, registration }
        };
        let Some(current) = self.image.partitions.get(&item.tp).cloned() else {
            return error(item.tp, ErrorCode::UnknownTopicOrPartition, None);
        };
        if current.leader != Some(broker) {
            return error(item.tp, ErrorCode::NotLeaderOrFollower, Some(current));
        }
        if item.leader_epoch != current.leader_epoch {
            return error(item.tp, ErrorCode::FencedLeaderEpoch, Some(current));
        }
        if item.partition_epoch != current.partition_epoch {
            return error(item.tp, ErrorCode::InvalidUpdateVersion, Some(current));
        }
        if !item.new_isr.contains(&broker) || item.new_isr.iter().any(|b| !current.replicas.contains(b)) {
            return error(item.tp, ErrorCode::InvalidRequest, Some(current));
        }
        if item.new_isr.iter().any(|b| !current.isr.contains(b) && !self.image.is_active(*b)) {
            return error(item.tp, ErrorCode::IneligibleReplica, Some(current));
        }
        let acceptable = |b| self.image.is_active(b) || b == broker;
        match build_partition_change(&current, item.new_isr, ElectionType::Online, acceptable, self.config.planted_bug)
        {
            Some(change) => {
                let registration = change.registration.clone();
                self.append(
                    now,
                    vec![MetadataRecord::Partition { tp: item.tp.clone(), registration: change.registration }],
                    &[(item.tp.clone(), change.election)],
                    out,
                );
                error(item.tp, ErrorCode::None, Some(registration))
            }
            None => error(item.tp, ErrorCode::None, Some(current)),
        }
    }

    fn on_session_check(&mut self, now: SimTime, out: &mut Outbox<ControllerTimer>) {
        let expired: Vec<BrokerId> = self
            .image
            .brokers
            .iter()
            .filter(|(_, s)| !s.fenced)
            .map(|(b, _)| *b)
            .filter(|b| {
                let last = self.last_heartbeat_ms.get(b).copied().unwrap_or(0);
                now.saturating_sub(last) > self.config.broker_session_timeout_ms
            })
            .collect();
        for broker in expired {
            self.fence(now, broker, out);
        }
        out.set_timer(now + SESSION_CHECK_INTERVAL_MS, ControllerTimer::SessionCheck);
    }

    fn on_leader_balance(&mut self, now: SimTime, out: &mut Outbox<ControllerTimer>) {
        let mut records = Vec::new();
        let mut elections = Vec::new();
        for (tp, current) in &self.image.partitions {
            if current.leader == Some(current.preferred_leader()) {
                continue;
            }
            let acceptable = |b| self.image.is_active(b);
            let isr = current.isr.clone();
            if let Some(change) =
                build_partition_change(current, isr, ElectionType::Preferred, acceptable, self.config.planted_bug)
            {
                elections.push((tp.clone(), change.election));
                records.push(MetadataRecord::Partition { tp: tp.clone(), registration: change.registration });
            }
        }
        self.append(now, records, &elections, out);
        out.set_timer(now + self.config.leader_imbalance_check_interval_ms, ControllerTimer::LeaderBalance);
    }
}

impl Actor for QuorumController {
    type Timer = ControllerTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<ControllerTimer>) {
        // A newly active controller gives every broker a fresh session (BrokerHeartbeatManager).
        for broker in &self.brokers {
            self.last_heartbeat_ms.insert(*broker, now);
        }
        out.set_timer(now + SESSION_CHECK_INTERVAL_MS, ControllerTimer::SessionCheck);
        if self.config.auto_leader_rebalance_enable {
            out.set_timer(now + self.config.leader_imbalance_check_interval_ms, ControllerTimer::LeaderBalance);
        }
        if !self.topics_created() {
            out.set_timer(now + self.config.broker_session_timeout_ms, ControllerTimer::CreateTopicsDeadline);
        }
    }

    fn on_message(&mut self, now: SimTime, from: NodeId, message: Message, out: &mut Outbox<ControllerTimer>) {
        let Message::Request { correlation_id, request } = message else { return };
        match request {
            Request::BrokerRegistration { broker, incarnation } => {
                self.on_registration(now, from, correlation_id, broker, incarnation, out)
            }
            Request::BrokerHeartbeat { broker, broker_epoch, metadata_offset } => {
                self.on_heartbeat(now, (from, correlation_id), broker, (broker_epoch, metadata_offset), out)
            }
            Request::MetadataFetch { broker, fetch_offset, max_wait_ms } => {
                if fetch_offset < self.disk.log.len() as Offset || max_wait_ms == 0 {
                    let records = self.records_from(fetch_offset);
                    Self::respond(
                        out,
                        from,
                        correlation_id,
                        Response::MetadataFetch { error: ErrorCode::None, records },
                    );
                } else {
                    let deadline_ms = now + max_wait_ms;
                    self.parked_fetches.insert(broker, ParkedFetch { from, correlation_id, fetch_offset, deadline_ms });
                    out.set_timer(deadline_ms, ControllerTimer::FetchDeadline(broker));
                }
            }
            Request::AlterPartition { broker, broker_epoch, items } => {
                self.on_alter_partition(now, (from, correlation_id), (broker, broker_epoch), items, out)
            }
            _ => {}
        }
    }

    fn on_timer(&mut self, now: SimTime, timer: ControllerTimer, out: &mut Outbox<ControllerTimer>) {
        match timer {
            ControllerTimer::SessionCheck => self.on_session_check(now, out),
            ControllerTimer::FetchDeadline(broker) => {
                if self.parked_fetches.get(&broker).is_some_and(|f| f.deadline_ms <= now) {
                    self.answer_parked_fetch(broker, now, out);
                }
            }
            ControllerTimer::LeaderBalance => self.on_leader_balance(now, out),
            ControllerTimer::CreateTopicsDeadline => self.maybe_create_topics(now, true, out),
        }
    }
}
