//! A Kafka broker: the node that hosts partition replicas, serves clients and replicates.
//!
//! The pieces follow Kafka's own split: `lifecycle` is `BrokerLifecycleManager` plus the
//! metadata log replication; `roles` applies metadata deltas (`ReplicaManager.applyDelta`,
//! `Partition.makeLeader/makeFollower`); `produce` and `serve_fetch` are `KafkaApis` with their
//! purgatories (`DelayedProduce`, `DelayedFetch`); `replica_fetcher` is `ReplicaFetcherThread`;
//! `isr` is the leader's ISR maintenance and `AlterPartitionManager`; `housekeeping` covers the
//! flusher, the high-watermark checkpoint and retention.

mod disk;
mod group_requests;
mod housekeeping;
mod isr;
mod lifecycle;
mod produce;
mod replica_fetcher;
mod roles;
mod serve_fetch;
mod txn_requests;

pub use disk::BrokerDisk;

use crate::protocol::actor::{Actor, Outbox};
use crate::protocol::config::broker::BrokerConfig;
use crate::protocol::controller::image::MetadataImage;
use crate::protocol::errors::ErrorCode;
use crate::protocol::group::coordinator::{AppendPurpose, CoordinatorTimer, GroupConfig, GroupCoordinator};
use crate::protocol::message::*;
use crate::protocol::replica::leader::LeaderState;
use crate::protocol::txn::coordinator::{TransactionCoordinator, TxnAppend, TxnCoordinatorConfig, TxnTimer};
use crate::protocol::types::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Debug)]
pub enum BrokerTimer {
    Heartbeat,
    RegistrationRetry,
    MetadataFetchRetry,
    /// A request of ours got no answer in time: give up on it and reset the connection.
    RequestTimeout(u64),
    IsrExpiration,
    HighWatermarkCheckpoint,
    FlushCheck,
    RetentionCheck,
    DelayedProduceTimeout(u64),
    DelayedFetchTimeout(u64),
    /// A replica fetcher may retry after a failure.
    FetcherBackoff(BrokerId),
    Coordinator(CoordinatorTimer),
    TxnCoordinator(TxnTimer),
}

/// The role this broker plays for one partition.
#[derive(Clone, Debug)]
pub enum Role {
    /// Hosting the replica, but no leader known yet.
    None,
    Leader(LeaderState),
    Follower {
        leader: Option<BrokerId>,
    },
}

#[derive(Clone, Debug)]
pub struct PartitionState {
    pub replicas: Vec<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub partition_epoch: PartitionEpoch,
    pub role: Role,
}

impl PartitionState {
    pub fn leader_state(&self) -> Option<&LeaderState> {
        match &self.role {
            Role::Leader(state) => Some(state),
            _ => None,
        }
    }
}

/// Why we sent a request, so that its answer, its timeout or a lost connection can be handled.
#[derive(Clone, Debug)]
enum Pending {
    Registration,
    Heartbeat,
    MetadataFetch,
    AlterPartition {
        tp: TopicPartition,
    },
    ReplicaFetch {
        leader: BrokerId,
        fetch_offsets: BTreeMap<TopicPartition, Offset>,
    },
    OffsetsForLeaderEpoch {
        leader: BrokerId,
        asked: BTreeMap<TopicPartition, LeaderEpoch>,
    },
    /// The transaction coordinator's WriteTxnMarkers to one partition leader.
    TxnMarkers {
        transactional_id: String,
        partitions: Vec<TopicPartition>,
    },
}

#[derive(Clone, Debug)]
struct Inflight {
    peer: NodeId,
    pending: Pending,
}

/// A follower-side partition in a replica fetcher.
#[derive(Clone, Debug, PartialEq, Eq)]
enum FetchState {
    /// Waiting to learn (via OffsetsForLeaderEpoch) where to truncate.
    Truncating {
        delayed_until_ms: SimTime,
    },
    Fetching {
        delayed_until_ms: SimTime,
    },
}

/// One `ReplicaFetcherThread`: fetches every partition this broker follows from one leader.
#[derive(Clone, Debug, Default)]
struct ReplicaFetcher {
    partitions: BTreeMap<TopicPartition, FetchState>,
    fetch_inflight: bool,
    epochs_inflight: bool,
}

/// An acks=all produce waiting for the high watermark (`DelayedProduce`).
#[derive(Clone, Debug)]
struct DelayedProduce {
    reply: DelayedReply,
    /// Per partition: the offset the HW must reach, and the result once known.
    partitions: Vec<(TopicPartition, Offset, ProducePartitionResponse, bool)>,
}

/// Who waits for a delayed produce: a client's Produce request, the group coordinator's own
/// append to `__consumer_offsets`, the transaction coordinator's to `__transaction_state`, or
/// a coordinator's WriteTxnMarkers.
#[derive(Clone, Debug)]
enum DelayedReply {
    Client {
        from: NodeId,
        correlation_id: u64,
    },
    Coordinator(AppendPurpose),
    TxnCoordinator(Box<TxnAppend>),
    TxnMarkers {
        from: NodeId,
        correlation_id: u64,
    },
    /// Markers this broker's own coordinator asked for, on partitions this broker leads.
    LocalTxnMarkers {
        transactional_id: String,
    },
}

/// A fetch waiting for `fetch.min.bytes` of data (`DelayedFetch`).
#[derive(Clone, Debug)]
struct DelayedFetch {
    from: NodeId,
    correlation_id: u64,
    request: FetchRequest,
}

pub struct Broker {
    pub id: BrokerId,
    config: BrokerConfig,
    controller: NodeId,
    incarnation: u64,
    disk: BrokerDisk,
    image: MetadataImage,
    broker_epoch: Option<i64>,
    partitions: BTreeMap<TopicPartition, PartitionState>,
    fetchers: BTreeMap<BrokerId, ReplicaFetcher>,
    delayed_produces: BTreeMap<u64, DelayedProduce>,
    delayed_fetches: BTreeMap<u64, DelayedFetch>,
    /// The parked fetches that read each partition (the purgatory's watch keys), so that an
    /// append or a high-watermark move checks only the fetches it can complete.
    delayed_fetch_watchers: BTreeMap<TopicPartition, BTreeSet<u64>>,
    next_delayed_id: u64,
    next_correlation_id: u64,
    next_producer_id: i64,
    inflight: BTreeMap<u64, Inflight>,
    metadata_fetch_inflight: bool,
    registration_inflight: bool,
    /// Set once the broker caught up with the metadata log past its registration.
    acting_on_metadata: bool,
    group_coordinator: GroupCoordinator,
    txn_coordinator: TransactionCoordinator,
    /// Numbers the records this broker's coordinator writes (unique per broker and incarnation).
    next_internal_value: u64,
}

/// How long a broker waits before retrying a failed replica fetch (`replica.fetch.backoff.ms`).
const REPLICA_FETCH_BACKOFF_MS: SimTime = 1000;
/// How long controller-bound requests may take (`controller.quorum.request.timeout.ms`).
const CONTROLLER_REQUEST_TIMEOUT_MS: SimTime = 2000;
/// How long a broker's metadata fetch may wait at the controller (`controller.quorum.fetch.timeout.ms`
/// is the bound on staleness; the long-poll itself waits at most this).
const METADATA_FETCH_MAX_WAIT_MS: SimTime = 500;
/// Backoff after a failed controller request (`controller.quorum.retry.backoff.ms` is 20; the
/// registration retry is slower, `initialBackoffMs` in `BrokerLifecycleManager` is 100).
const CONTROLLER_RETRY_BACKOFF_MS: SimTime = 100;
/// While fenced, a broker heartbeats quickly to be unfenced as soon as it has caught up.
const FENCED_HEARTBEAT_INTERVAL_MS: SimTime = 50;

impl Broker {
    /// A broker process starting with `disk` (empty on first boot). `incarnation` must differ on
    /// every start: it is how the controller tells a restart from a retry.
    pub fn new(
        id: BrokerId,
        config: BrokerConfig,
        controller: NodeId,
        incarnation: u64,
        mut disk: BrokerDisk,
    ) -> Broker {
        disk.recover();
        let group_config = GroupConfig {
            offsets_topic_num_partitions: config.offsets_topic_num_partitions,
            group_initial_rebalance_delay_ms: config.group_initial_rebalance_delay_ms,
            group_min_session_timeout_ms: config.group_min_session_timeout_ms,
            group_max_session_timeout_ms: config.group_max_session_timeout_ms,
        };
        let txn_config = TxnCoordinatorConfig {
            transaction_state_log_num_partitions: config.transaction_state_log_num_partitions,
            transaction_max_timeout_ms: config.transaction_max_timeout_ms,
            abort_timed_out_transaction_cleanup_interval_ms: config
                .transaction_abort_timed_out_transaction_cleanup_interval_ms,
            bump_epoch_on_end_txn: config.transaction_partition_verification_enable,
        };
        let image = MetadataImage::new(config.planted_bug);
        Broker {
            group_coordinator: GroupCoordinator::new(id, group_config),
            txn_coordinator: TransactionCoordinator::new(id, incarnation, txn_config),
            next_internal_value: 0,
            id,
            config,
            controller,
            incarnation,
            disk,
            image,
            broker_epoch: None,
            partitions: BTreeMap::new(),
            fetchers: BTreeMap::new(),
            delayed_produces: BTreeMap::new(),
            delayed_fetches: BTreeMap::new(),
            delayed_fetch_watchers: BTreeMap::new(),
            next_delayed_id: 0,
            next_correlation_id: 0,
            next_producer_id: 0,
            inflight: BTreeMap::new(),
            metadata_fetch_inflight: false,
            registration_inflight: false,
            acting_on_metadata: false,
        }
    }

    /// The broker's disk, for the simulator to keep across a crash.
    pub fn into_disk(self) -> BrokerDisk {
        self.disk
    }

    pub fn disk(&self) -> &BrokerDisk {
        &self.disk
    }

    pub fn metadata(&self) -> &MetadataImage {
        &self.image
    }

    pub fn partition_state(&self, tp: &TopicPartition) -> Option<&PartitionState> {
        self.partitions.get(tp)
    }

    fn node(broker: BrokerId) -> NodeId {
        NodeId::Broker(broker)
    }

    /// Sends a request we expect an answer to, with a timeout.
    fn send_request(
        &mut self,
        now: SimTime,
        peer: NodeId,
        request: Request,
        pending: Pending,
        timeout_ms: SimTime,
        out: &mut Outbox<BrokerTimer>,
    ) -> u64 {
        let correlation_id = self.next_correlation_id;
        self.next_correlation_id += 1;
        self.inflight.insert(correlation_id, Inflight { peer, pending });
        out.send(peer, Message::Request { correlation_id, request });
        out.set_timer(now + timeout_ms, BrokerTimer::RequestTimeout(correlation_id));
        correlation_id
    }

    fn respond(out: &mut Outbox<BrokerTimer>, to: NodeId, correlation_id: u64, response: Response) {
        out.send(to, Message::Response { correlation_id, response });
    }

    /// A request of ours will never be answered (timeout or lost connection).
    fn on_request_failed(&mut self, now: SimTime, pending: Pending, out: &mut Outbox<BrokerTimer>) {
        match pending {
            Pending::Registration => {
                self.registration_inflight = false;
                out.set_timer(now + CONTROLLER_RETRY_BACKOFF_MS, BrokerTimer::RegistrationRetry);
            }
            // Keep heartbeating: the controller may be back by the next one.
            Pending::Heartbeat => out.set_timer(now + self.config.broker_heartbeat_interval_ms, BrokerTimer::Heartbeat),
            Pending::MetadataFetch => {
                self.metadata_fetch_inflight = false;
                out.set_timer(now + CONTROLLER_RETRY_BACKOFF_MS, BrokerTimer::MetadataFetchRetry);
            }
            Pending::AlterPartition { tp } => self.on_alter_partition_failed(&tp),
            Pending::ReplicaFetch { leader, .. } => {
                if let Some(f) = self.fetchers.get_mut(&leader) {
                    f.fetch_inflight = false;
                }
                out.set_timer(now + REPLICA_FETCH_BACKOFF_MS, BrokerTimer::FetcherBackoff(leader));
            }
            Pending::OffsetsForLeaderEpoch { leader, .. } => {
                if let Some(f) = self.fetchers.get_mut(&leader) {
                    f.epochs_inflight = false;
                }
                out.set_timer(now + REPLICA_FETCH_BACKOFF_MS, BrokerTimer::FetcherBackoff(leader));
            }
            Pending::TxnMarkers { transactional_id, partitions } => {
                let results = partitions.into_iter().map(|tp| (tp, ErrorCode::NetworkException)).collect();
                self.on_txn_markers_result(now, &transactional_id, results, out);
            }
        }
    }

    fn on_request(
        &mut self,
        now: SimTime,
        from: NodeId,
        correlation_id: u64,
        request: Request,
        out: &mut Outbox<BrokerTimer>,
    ) {
        match request {
            Request::Produce(produce) => self.handle_produce(now, from, correlation_id, produce, out),
            Request::InitProducerId { transactional_id: None, .. } => {
                self.handle_init_producer_id(from, correlation_id, out)
            }
            Request::InitProducerId { .. } | Request::AddPartitionsToTxn { .. } | Request::EndTxn { .. } => {
                self.handle_txn_request(now, (from, correlation_id), request, out)
            }
            Request::WriteTxnMarkers { producer_id, producer_epoch, control, partitions } => self
                .handle_write_txn_markers(
                    now,
                    (from, correlation_id),
                    (producer_id, producer_epoch, control),
                    partitions,
                    out,
                ),
            Request::Fetch(fetch) => self.handle_fetch(now, from, correlation_id, fetch, out),
            Request::OffsetsForLeaderEpoch { partitions, .. } => {
                self.handle_offsets_for_leader_epoch(from, correlation_id, partitions, out)
            }
            Request::Metadata { topics } => self.handle_metadata(from, correlation_id, topics, out),
            Request::FindCoordinator { key, key_type } => {
                self.handle_find_coordinator(from, correlation_id, key, key_type, out)
            }
            Request::JoinGroup(_)
            | Request::SyncGroup { .. }
            | Request::Heartbeat { .. }
            | Request::LeaveGroup { .. }
            | Request::OffsetCommit { .. }
            | Request::OffsetFetch { .. } => self.handle_group_request(now, (from, correlation_id), request, out),
            Request::ListOffsets { isolation_level, partitions } => {
                self.handle_list_offsets(from, correlation_id, isolation_level, partitions, out)
            }
            // Controller APIs are not served by brokers.
            Request::BrokerRegistration { .. }
            | Request::BrokerHeartbeat { .. }
            | Request::MetadataFetch { .. }
            | Request::AlterPartition { .. } => {}
        }
    }

    fn on_response(&mut self, now: SimTime, correlation_id: u64, response: Response, out: &mut Outbox<BrokerTimer>) {
        let Some(inflight) = self.inflight.remove(&correlation_id) else {
            return; // timed out already, or from before a reconnect
        };
        match (inflight.pending, response) {
            (Pending::Registration, Response::BrokerRegistration { error, broker_epoch }) => {
                self.on_registration_response(now, error, broker_epoch, out)
            }
            (Pending::Heartbeat, Response::BrokerHeartbeat { error, is_fenced }) => {
                self.on_heartbeat_response(now, error, is_fenced, out)
            }
            (Pending::MetadataFetch, Response::MetadataFetch { records, .. }) => {
                self.on_metadata_records(now, records, out)
            }
            (Pending::AlterPartition { tp }, Response::AlterPartition { error, results }) => {
                self.on_alter_partition_response(now, correlation_id, tp, error, results, out)
            }
            (Pending::ReplicaFetch { leader, fetch_offsets }, Response::Fetch(fetch)) => {
                self.on_replica_fetch_response(now, leader, fetch_offsets, fetch, out)
            }
            (Pending::OffsetsForLeaderEpoch { leader, asked }, Response::OffsetsForLeaderEpoch { partitions }) => {
                self.on_offsets_for_leader_epoch_response(now, leader, asked, partitions, out)
            }
            (Pending::TxnMarkers { transactional_id, .. }, Response::WriteTxnMarkers { results }) => {
                self.on_txn_markers_result(now, &transactional_id, results, out)
            }
            (pending, response) => {
                panic!("broker {} got {} for {pending:?}", self.id, response.api_name())
            }
        }
    }
}

impl Actor for Broker {
    type Timer = BrokerTimer;

    fn on_start(&mut self, now: SimTime, out: &mut Outbox<BrokerTimer>) {
        self.start_lifecycle(now, out);
        out.set_timer(now + self.config.replica_lag_time_max_ms / 2, BrokerTimer::IsrExpiration);
        out.set_timer(
            now + self.config.replica_high_watermark_checkpoint_interval_ms,
            BrokerTimer::HighWatermarkCheckpoint,
        );
        if self.config.log_flush_scheduler_interval_ms < u64::MAX / 4 {
            out.set_timer(now + self.config.log_flush_scheduler_interval_ms, BrokerTimer::FlushCheck);
        }
        out.set_timer(now + self.config.log_retention_check_interval_ms, BrokerTimer::RetentionCheck);
    }

    fn on_message(&mut self, now: SimTime, from: NodeId, message: Message, out: &mut Outbox<BrokerTimer>) {
        match message {
            Message::Request { correlation_id, request } => self.on_request(now, from, correlation_id, request, out),
            Message::Response { correlation_id, response } => self.on_response(now, correlation_id, response, out),
        }
    }

    fn on_timer(&mut self, now: SimTime, timer: BrokerTimer, out: &mut Outbox<BrokerTimer>) {
        match timer {
            BrokerTimer::Heartbeat => self.send_heartbeat(now, out),
            BrokerTimer::RegistrationRetry => self.send_registration(now, out),
            BrokerTimer::MetadataFetchRetry => self.send_metadata_fetch(now, out),
            BrokerTimer::RequestTimeout(correlation_id) => {
                if let Some(inflight) = self.inflight.remove(&correlation_id) {
                    // Kafka's NetworkClient closes a connection whose request timed out; every
                    // other request on it fails too.
                    out.disconnects.push(inflight.peer);
                    let peer = inflight.peer;
                    self.on_request_failed(now, inflight.pending, out);
                    self.fail_inflight_to(now, peer, out);
                }
            }
            BrokerTimer::IsrExpiration => self.on_isr_expiration(now, out),
            BrokerTimer::HighWatermarkCheckpoint => self.checkpoint_high_watermarks(now, out),
            BrokerTimer::FlushCheck => self.on_flush_check(now, out),
            BrokerTimer::RetentionCheck => self.on_retention_check(now, out),
            BrokerTimer::DelayedProduceTimeout(id) => self.expire_delayed_produce(now, id, out),
            BrokerTimer::DelayedFetchTimeout(id) => self.expire_delayed_fetch(id, out),
            BrokerTimer::FetcherBackoff(leader) => self.pump_fetcher(now, leader, out),
            BrokerTimer::Coordinator(timer) => {
                let mut coordinator_out = Default::default();
                self.group_coordinator.on_timer(now, timer, &mut coordinator_out);
                self.apply_coordinator_out(now, coordinator_out, out);
            }
            BrokerTimer::TxnCoordinator(timer) => {
                let mut txn_out = Default::default();
                self.txn_coordinator.on_timer(now, timer, &mut txn_out);
                self.apply_txn_out(now, txn_out, out);
            }
        }
    }

    fn on_disconnect(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<BrokerTimer>) {
        self.fail_inflight_to(now, peer, out);
        // Parked requests from that peer can never be answered.
        let orphans: Vec<u64> =
            self.delayed_fetches.iter().filter(|(_, d)| d.from == peer).map(|(id, _)| *id).collect();
        for id in orphans {
            self.unpark_fetch(id);
        }
        self.delayed_produces.retain(|_, d| {
            !matches!(d.reply, DelayedReply::Client { from, .. } | DelayedReply::TxnMarkers { from, .. } if from == peer)
        });
    }
}

impl Broker {
    fn fail_inflight_to(&mut self, now: SimTime, peer: NodeId, out: &mut Outbox<BrokerTimer>) {
        let failed: Vec<u64> = self.inflight.iter().filter(|(_, i)| i.peer == peer).map(|(c, _)| *c).collect();
        for correlation_id in failed {
            if let Some(inflight) = self.inflight.remove(&correlation_id) {
                self.on_request_failed(now, inflight.pending, out);
            }
        }
    }
}

#[cfg(test)]
mod tests;
