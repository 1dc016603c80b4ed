//! Requests and responses between nodes: Kafka's APIs reduced to the fields the protocol uses.
//!
//! Every request carries a correlation id (Kafka's `RequestHeader.correlationId`) that its
//! response echoes. Errors are data (`ErrorCode`), never Rust errors. Nothing here is ever
//! serialized: the simulated network moves these values between nodes as they are.

use crate::protocol::config::broker::TopicConfig;
use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::RecordBatch;
use crate::protocol::types::*;

/// One message on the wire.
#[derive(Clone, Debug)]
pub enum Message {
    Request { correlation_id: u64, request: Request },
    Response { correlation_id: u64, response: Response },
}

impl Message {
    /// Kafka's API name, for message diagrams and traces.
    pub fn api_name(&self) -> &'static str {
        match self {
            Message::Request { request, .. } => request.api_name(),
            Message::Response { response, .. } => response.api_name(),
        }
    }

    pub fn is_request(&self) -> bool {
        matches!(self, Message::Request { .. })
    }

    /// Bytes on the wire, approximately: batches dominate, headers are ~50 bytes.
    pub fn size_bytes(&self) -> u64 {
        const HEADER_BYTES: u64 = 50;
        let batches: u64 = match self {
            Message::Request { request: Request::Produce(p), .. } => {
                p.partitions.iter().map(|(_, b)| b.size_bytes as u64).sum()
            }
            Message::Response { response: Response::Fetch(f), .. } => {
                f.partitions.iter().flat_map(|p| p.batches.iter()).map(|b| b.size_bytes as u64).sum()
            }
            _ => 0,
        };
        HEADER_BYTES + batches
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Acks {
    /// acks=0: the producer does not wait for any acknowledgement.
    None,
    /// acks=1: the leader acknowledges after its own append.
    Leader,
    /// acks=all (-1): the leader acknowledges once every in-sync replica has the batch.
    All,
}

impl Acks {
    pub fn as_kafka(self) -> &'static str {
        match self {
            Acks::None => "0",
            Acks::Leader => "1",
            Acks::All => "all",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum IsolationLevel {
    ReadUncommitted,
    ReadCommitted,
}

// ---- KRaft metadata --------------------------------------------------------------------------

/// A partition's metadata as the controller holds it (Kafka's `PartitionRegistration`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionRegistration {
    pub replicas: Vec<BrokerId>,
    pub isr: Vec<BrokerId>,
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub partition_epoch: PartitionEpoch,
}

impl PartitionRegistration {
    /// The replica listed first: the one preferred-leader election restores.
    pub fn preferred_leader(&self) -> BrokerId {
        self.replicas[0]
    }

    /// `leader ∈ ISR` is skipped when `leader_outside_isr_planted` (a run planting a bug that
    /// breaks it on purpose, for the `leader-in-isr` checker to find).
    pub fn assert_invariants(&self, tp: &TopicPartition, leader_outside_isr_planted: bool) {
        assert!(
            self.isr.iter().all(|b| self.replicas.contains(b)),
            "ISR {:?} of {tp} must be a subset of replicas {:?}",
            self.isr,
            self.replicas
        );
        if let Some(leader) = self.leader.filter(|_| !leader_outside_isr_planted) {
            assert!(self.isr.contains(&leader), "leader {leader} of {tp} must be in ISR {:?}", self.isr);
        }
        assert!(!self.isr.is_empty(), "the ISR of {tp} must never be empty");
    }
}

/// A record of the metadata log (KRaft's `__cluster_metadata`), simplified: partition changes
/// carry the whole new registration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetadataRecord {
    RegisterBroker { broker: BrokerId, broker_epoch: i64, incarnation: u64 },
    FenceBroker { broker: BrokerId, broker_epoch: i64 },
    UnfenceBroker { broker: BrokerId, broker_epoch: i64 },
    Topic { name: TopicName, partitions: i32, config: TopicConfig },
    Partition { tp: TopicPartition, registration: PartitionRegistration },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterPartitionItem {
    pub tp: TopicPartition,
    pub leader_epoch: LeaderEpoch,
    pub partition_epoch: PartitionEpoch,
    pub new_isr: Vec<BrokerId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterPartitionResult {
    pub tp: TopicPartition,
    pub error: ErrorCode,
    /// The registration after the change (or the current one, with an error).
    pub registration: Option<PartitionRegistration>,
}

// ---- data plane ------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct FetchPartition {
    pub tp: TopicPartition,
    /// KIP-320: the leader epoch the fetcher believes current; stale => FENCED_LEADER_EPOCH.
    pub current_leader_epoch: Option<LeaderEpoch>,
    pub fetch_offset: Offset,
    /// KIP-320: the epoch of the last batch the fetcher holds, to detect divergence.
    pub last_fetched_epoch: Option<LeaderEpoch>,
    pub partition_max_bytes: u64,
    /// A follower's own high watermark, None for a consumer. It stands in for the fetch session
    /// a leader keeps per follower (KIP-227): the leader leaves out of its response every
    /// partition that has nothing new for the follower (no records, no error, no divergence, a
    /// high watermark the follower already has), as Kafka's incremental fetch responses do.
    pub fetcher_high_watermark: Option<Offset>,
}

#[derive(Clone, Debug)]
pub struct FetchRequest {
    /// The follower's id; `None` for a consumer.
    pub replica_id: Option<BrokerId>,
    pub max_wait_ms: u64,
    pub min_bytes: u64,
    pub max_bytes: u64,
    pub isolation_level: IsolationLevel,
    pub partitions: Vec<FetchPartition>,
}

#[derive(Clone, Debug)]
pub struct FetchPartitionResponse {
    pub tp: TopicPartition,
    pub error: ErrorCode,
    pub high_watermark: Offset,
    pub last_stable_offset: Offset,
    pub log_start_offset: Offset,
    /// The leader's log end offset. Kafka's follower learns it with a ListOffsets round trip
    /// after OFFSET_OUT_OF_RANGE; here the fetch response carries it.
    pub log_end_offset: Offset,
    /// KIP-320: set when the fetcher's log diverges from the leader's; truncate to this.
    pub diverging_epoch: Option<(LeaderEpoch, Offset)>,
    pub batches: Vec<RecordBatch>,
    /// Producers whose transactions aborted in the returned range, with their first offset.
    pub aborted_transactions: Vec<(ProducerId, Offset)>,
}

impl FetchPartitionResponse {
    pub fn error(tp: TopicPartition, error: ErrorCode) -> FetchPartitionResponse {
        FetchPartitionResponse {
            tp,
            error,
            high_watermark: -1,
            last_stable_offset: -1,
            log_start_offset: -1,
            log_end_offset: -1,
            diverging_epoch: None,
            batches: Vec::new(),
            aborted_transactions: Vec::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct FetchResponse {
    pub partitions: Vec<FetchPartitionResponse>,
}

#[derive(Clone, Debug)]
pub struct ProduceRequest {
    pub acks: Acks,
    pub timeout_ms: u64,
    pub transactional_id: Option<String>,
    pub partitions: Vec<(TopicPartition, RecordBatch)>,
}

#[derive(Clone, Debug)]
pub struct ProducePartitionResponse {
    pub tp: TopicPartition,
    pub error: ErrorCode,
    pub base_offset: Offset,
    pub log_start_offset: Offset,
}

#[derive(Clone, Debug)]
pub struct PartitionMetadata {
    pub tp: TopicPartition,
    pub error: ErrorCode,
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub replicas: Vec<BrokerId>,
    pub isr: Vec<BrokerId>,
}

#[derive(Clone, Debug)]
pub struct TopicMetadata {
    pub name: TopicName,
    pub error: ErrorCode,
    pub partitions: Vec<PartitionMetadata>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffsetSpec {
    Earliest,
    Latest,
}

/// What FindCoordinator looks for (`CoordinatorType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoordinatorType {
    Group,
    Transaction,
}

/// A consumer's protocol metadata in JoinGroup (`ConsumerProtocolSubscription`): its topics, the
/// partitions it owns (KIP-429), and the generation it owned them in (KIP-792).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsumerSubscription {
    pub topics: Vec<TopicName>,
    pub owned_partitions: Vec<TopicPartition>,
    pub generation_id: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinGroupMember {
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub subscription: ConsumerSubscription,
}

#[derive(Clone, Debug)]
pub struct JoinGroupRequest {
    pub group_id: String,
    pub session_timeout_ms: u64,
    pub rebalance_timeout_ms: u64,
    pub member_id: String,
    pub group_instance_id: Option<String>,
    pub client_id: String,
    /// Assignor names in preference order, each with the member's subscription.
    pub protocols: Vec<(String, ConsumerSubscription)>,
}

#[derive(Clone, Debug)]
pub enum Request {
    // KRaft: broker <-> controller
    BrokerRegistration {
        broker: BrokerId,
        incarnation: u64,
    },
    BrokerHeartbeat {
        broker: BrokerId,
        broker_epoch: i64,
        metadata_offset: Offset,
    },
    /// A broker replicating the metadata log (long poll, like KRaft's Fetch on the metadata topic).
    MetadataFetch {
        broker: BrokerId,
        fetch_offset: Offset,
        max_wait_ms: u64,
    },
    AlterPartition {
        broker: BrokerId,
        broker_epoch: i64,
        items: Vec<AlterPartitionItem>,
    },
    // broker <-> broker and client -> broker
    Fetch(FetchRequest),
    OffsetsForLeaderEpoch {
        /// The asking follower; None for a consumer validating its position (KIP-320).
        replica_id: Option<BrokerId>,
        /// (partition, the follower's current leader epoch, the epoch it asks about)
        partitions: Vec<(TopicPartition, LeaderEpoch, LeaderEpoch)>,
    },
    Produce(ProduceRequest),
    /// An idempotent producer asks for a producer id (any broker answers when there is no
    /// transactional id); a transactional one asks its transaction coordinator, which fences
    /// every older producer with the same transactional id.
    InitProducerId {
        transactional_id: Option<String>,
        transaction_timeout_ms: u64,
    },
    /// A transactional producer names the partitions it is about to write (KIP-98).
    AddPartitionsToTxn {
        transactional_id: String,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        partitions: Vec<TopicPartition>,
    },
    /// Commit (`commit = true`) or abort the producer's ongoing transaction.
    EndTxn {
        transactional_id: String,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        commit: bool,
    },
    /// The transaction coordinator asks a partition leader to append a COMMIT or ABORT marker.
    WriteTxnMarkers {
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        control: crate::protocol::log::batch::ControlType,
        partitions: Vec<TopicPartition>,
    },
    Metadata {
        topics: Vec<TopicName>,
    },
    FindCoordinator {
        key: String,
        key_type: CoordinatorType,
    },
    JoinGroup(JoinGroupRequest),
    SyncGroup {
        group_id: String,
        generation_id: i32,
        member_id: String,
        group_instance_id: Option<String>,
        /// Only the leader sends assignments.
        assignments: Vec<(String, Vec<TopicPartition>)>,
    },
    Heartbeat {
        group_id: String,
        generation_id: i32,
        member_id: String,
        group_instance_id: Option<String>,
    },
    LeaveGroup {
        group_id: String,
        member_id: String,
        group_instance_id: Option<String>,
    },
    OffsetCommit {
        group_id: String,
        generation_id: i32,
        member_id: String,
        group_instance_id: Option<String>,
        offsets: Vec<(TopicPartition, Offset)>,
    },
    OffsetFetch {
        group_id: String,
        partitions: Vec<TopicPartition>,
    },
    ListOffsets {
        isolation_level: IsolationLevel,
        partitions: Vec<(TopicPartition, Option<LeaderEpoch>, OffsetSpec)>,
    },
}

impl Request {
    pub fn api_name(&self) -> &'static str {
        match self {
            Request::BrokerRegistration { .. } => "BrokerRegistration",
            Request::BrokerHeartbeat { .. } => "BrokerHeartbeat",
            Request::MetadataFetch { .. } => "MetadataFetch",
            Request::AlterPartition { .. } => "AlterPartition",
            Request::Fetch(_) => "Fetch",
            Request::OffsetsForLeaderEpoch { .. } => "OffsetsForLeaderEpoch",
            Request::Produce(_) => "Produce",
            Request::InitProducerId { .. } => "InitProducerId",
            Request::AddPartitionsToTxn { .. } => "AddPartitionsToTxn",
            Request::EndTxn { .. } => "EndTxn",
            Request::WriteTxnMarkers { .. } => "WriteTxnMarkers",
            Request::Metadata { .. } => "Metadata",
            Request::FindCoordinator { .. } => "FindCoordinator",
            Request::JoinGroup(_) => "JoinGroup",
            Request::SyncGroup { .. } => "SyncGroup",
            Request::Heartbeat { .. } => "Heartbeat",
            Request::LeaveGroup { .. } => "LeaveGroup",
            Request::OffsetCommit { .. } => "OffsetCommit",
            Request::OffsetFetch { .. } => "OffsetFetch",
            Request::ListOffsets { .. } => "ListOffsets",
        }
    }
}

#[derive(Clone, Debug)]
pub enum Response {
    BrokerRegistration {
        error: ErrorCode,
        broker_epoch: i64,
    },
    BrokerHeartbeat {
        error: ErrorCode,
        is_fenced: bool,
    },
    MetadataFetch {
        error: ErrorCode,
        records: Vec<(Offset, MetadataRecord)>,
    },
    AlterPartition {
        error: ErrorCode,
        results: Vec<AlterPartitionResult>,
    },
    Fetch(FetchResponse),
    OffsetsForLeaderEpoch {
        /// (partition, error, leader epoch, end offset)
        partitions: Vec<(TopicPartition, ErrorCode, LeaderEpoch, Offset)>,
    },
    Produce {
        partitions: Vec<ProducePartitionResponse>,
    },
    InitProducerId {
        error: ErrorCode,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
    },
    AddPartitionsToTxn {
        results: Vec<(TopicPartition, ErrorCode)>,
    },
    /// With KIP-890 part 2 the coordinator bumps the epoch at every commit or abort and hands
    /// the new one back; otherwise `producer_epoch` is the request's.
    EndTxn {
        error: ErrorCode,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
    },
    WriteTxnMarkers {
        results: Vec<(TopicPartition, ErrorCode)>,
    },
    Metadata {
        brokers: Vec<BrokerId>,
        topics: Vec<TopicMetadata>,
    },
    FindCoordinator {
        error: ErrorCode,
        coordinator: Option<BrokerId>,
    },
    JoinGroup {
        error: ErrorCode,
        generation_id: i32,
        protocol_name: Option<String>,
        leader: String,
        member_id: String,
        /// Filled for the leader only: every member and its subscription.
        members: Vec<JoinGroupMember>,
    },
    SyncGroup {
        error: ErrorCode,
        assignment: Vec<TopicPartition>,
    },
    Heartbeat {
        error: ErrorCode,
    },
    LeaveGroup {
        error: ErrorCode,
    },
    OffsetCommit {
        results: Vec<(TopicPartition, ErrorCode)>,
    },
    OffsetFetch {
        error: ErrorCode,
        offsets: Vec<(TopicPartition, Option<Offset>)>,
    },
    ListOffsets {
        /// (partition, error, offset, leader epoch)
        partitions: Vec<(TopicPartition, ErrorCode, Offset, LeaderEpoch)>,
    },
}

impl Response {
    pub fn api_name(&self) -> &'static str {
        match self {
            Response::BrokerRegistration { .. } => "BrokerRegistration",
            Response::BrokerHeartbeat { .. } => "BrokerHeartbeat",
            Response::MetadataFetch { .. } => "MetadataFetch",
            Response::AlterPartition { .. } => "AlterPartition",
            Response::Fetch(_) => "Fetch",
            Response::OffsetsForLeaderEpoch { .. } => "OffsetsForLeaderEpoch",
            Response::Produce { .. } => "Produce",
            Response::InitProducerId { .. } => "InitProducerId",
            Response::AddPartitionsToTxn { .. } => "AddPartitionsToTxn",
            Response::EndTxn { .. } => "EndTxn",
            Response::WriteTxnMarkers { .. } => "WriteTxnMarkers",
            Response::Metadata { .. } => "Metadata",
            Response::FindCoordinator { .. } => "FindCoordinator",
            Response::JoinGroup { .. } => "JoinGroup",
            Response::SyncGroup { .. } => "SyncGroup",
            Response::Heartbeat { .. } => "Heartbeat",
            Response::LeaveGroup { .. } => "LeaveGroup",
            Response::OffsetCommit { .. } => "OffsetCommit",
            Response::OffsetFetch { .. } => "OffsetFetch",
            Response::ListOffsets { .. } => "ListOffsets",
        }
    }
}
