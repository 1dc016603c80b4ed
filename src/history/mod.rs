//! The recorded History of a run: every client operation and every protocol state change a
//! checker or a plot needs, stamped with simulated time and node.
//!
//! Checkers (`check/`) and reports (`report/`) read only this, so they work the same on a live run
//! and on a saved `history.jsonl`. The trace hash is the sha256 of that canonical JSONL, so two
//! runs are "the same run" exactly when they recorded the same history.

mod jsonl;
mod messages;

pub use jsonl::{read_jsonl, trace_sha256, write_jsonl, JsonlError};
pub use messages::{MessageLog, MessageOutcome, MessageRecord, MAX_RECORDED_MESSAGES};

use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::ControlType;
use crate::protocol::producer::metrics::{ProducerMetricsSample, ProducerMetricsTotals};
use crate::protocol::types::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// How a leader was chosen (Kafka's `PartitionChangeBuilder.Election` and preferred election).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Election {
    /// A new topic's first leader.
    Initial,
    /// From the ISR.
    Clean,
    /// From outside the ISR (`unclean.leader.election.enable`): acked data may be lost.
    Unclean,
    /// Back to the first replica (auto.leader.rebalance.enable).
    Preferred,
}

/// Why a replica removed records from the end of its log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TruncationCause {
    /// OffsetsForLeaderEpoch told the follower where its log diverges (KIP-101/KIP-279).
    LeaderEpoch,
    /// A fetch response carried a diverging epoch (KIP-320).
    DivergingEpoch,
    /// The follower truncated to its own high watermark (pre-KIP-101 behaviour).
    HighWatermark,
    /// A power loss dropped what was never fsynced.
    PowerLoss,
}

/// The records one poll returned from one partition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolledPartition {
    pub tp: TopicPartition,
    pub records: Vec<(Offset, ValueId)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Event {
    // ---- client operations (Jepsen's invoke / ok / fail / info) ------------------------------
    /// The application handed a record to the producer (`KafkaProducer.send`).
    SendInvoked {
        tp: TopicPartition,
        key: Option<Arc<str>>,
        value: ValueId,
    },
    /// The send completed; `offset` is None for acks=0, which learns no offset.
    SendAcked {
        tp: TopicPartition,
        value: ValueId,
        offset: Option<Offset>,
    },
    /// The send failed. `definite` when the record certainly was not written (e.g.
    /// NOT_ENOUGH_REPLICAS before append); a timeout is indefinite (Jepsen's `:info`).
    SendFailed {
        tp: TopicPartition,
        value: ValueId,
        error: ErrorCode,
        definite: bool,
    },
    /// A produce attempt of a batch got an error from the leader (retried or not).
    ProduceError {
        tp: TopicPartition,
        error: ErrorCode,
        records: u32,
        attempt: u32,
    },
    /// One poll by a consumer: what each partition returned, in order.
    Polled {
        partitions: Vec<PolledPartition>,
        /// The group generation the poll was made in (None outside a group). A poll is recorded
        /// once its records are processed, which may be after a later rebalance.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        generation: Option<i32>,
    },
    /// A consumer's assignment changed (manual `assign`, or a group rebalance with its
    /// generation). Positions before and after need not be contiguous.
    Assigned {
        partitions: Vec<TopicPartition>,
        generation: Option<i32>,
    },
    /// A consumer had no valid position for a partition and applied `auto.offset.reset`: it
    /// starts reading at `offset`, the log start (earliest) or the log end (latest).
    PositionReset {
        tp: TopicPartition,
        offset: Offset,
        to_latest: bool,
    },
    /// A consumer validating its position after a leader change (KIP-320) found that the new
    /// leader's log ends the consumer's last epoch at `diverging_offset`, below its `position`:
    /// the log was truncated under it, and it reads on from `diverging_offset`.
    LogTruncationDetected {
        tp: TopicPartition,
        position: Offset,
        diverging_offset: Offset,
    },
    /// A group member gave up partitions (`onPartitionsRevoked`), or lost them without a chance
    /// to commit (`onPartitionsLost`: its generation was over).
    Revoked {
        partitions: Vec<TopicPartition>,
        generation_id: i32,
        lost: bool,
    },
    /// The coordinator accepted a commit of these positions (the next offset to read).
    OffsetsCommitted {
        offsets: Vec<(TopicPartition, Offset)>,
        generation_id: i32,
    },
    OffsetCommitFailed {
        error: ErrorCode,
        partitions: u32,
    },
    /// A member left its group (`max.poll.interval.ms` exceeded, or a fatal error).
    LeftGroup {
        reason: String,
    },

    /// A transactional producer began a transaction (`beginTransaction`).
    TxnBegin {
        transactional_id: String,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
    },
    /// EndTxn(commit) succeeded: the transaction's records become visible to read_committed
    /// consumers once the markers are written. `values`: every record sent in it.
    TxnCommitted {
        transactional_id: String,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        partitions: Vec<TopicPartition>,
        values: Vec<ValueId>,
    },
    /// The transaction was aborted (EndTxn(abort)), or the producer learned it was fenced, in
    /// which case its coordinator aborts the transaction. No record of it may ever be read by a
    /// read_committed consumer.
    TxnAborted {
        transactional_id: String,
        producer_id: ProducerId,
        producer_epoch: ProducerEpoch,
        partitions: Vec<TopicPartition>,
        values: Vec<ValueId>,
        reason: String,
    },

    // ---- protocol state --------------------------------------------------------------------
    /// The controller committed new metadata for a partition.
    PartitionChanged {
        tp: TopicPartition,
        replicas: Vec<BrokerId>,
        leader: Option<BrokerId>,
        leader_epoch: LeaderEpoch,
        partition_epoch: PartitionEpoch,
        isr: Vec<BrokerId>,
        election: Option<Election>,
    },
    /// The controller fenced (or unfenced) a broker.
    BrokerFenced {
        broker: BrokerId,
        fenced: bool,
    },
    /// A broker took up a role for a partition after learning new metadata.
    BecameLeader {
        tp: TopicPartition,
        leader_epoch: LeaderEpoch,
    },
    BecameFollower {
        tp: TopicPartition,
        leader: Option<BrokerId>,
        leader_epoch: LeaderEpoch,
    },
    /// A replica's high watermark moved (node = the broker).
    HighWatermark {
        tp: TopicPartition,
        high_watermark: Offset,
        is_leader: bool,
    },
    /// A replica appended a batch (node = the broker). Values in offset order.
    Appended {
        tp: TopicPartition,
        base_offset: Offset,
        leader_epoch: LeaderEpoch,
        values: Vec<ValueId>,
        control: Option<ControlType>,
        as_leader: bool,
    },
    /// A replica removed its log's tail from `offset` on.
    Truncated {
        tp: TopicPartition,
        offset: Offset,
        removed: Vec<(Offset, ValueId)>,
        cause: TruncationCause,
    },
    /// Retention deleted old segments.
    LogStartAdvanced {
        tp: TopicPartition,
        log_start_offset: Offset,
    },
    /// A group coordinator started a rebalance (node = the coordinating broker).
    GroupRebalancing {
        group: String,
        generation_id: i32,
        reason: String,
    },
    /// A rebalance completed: the group is Stable in a new generation with this assignment
    /// (member id -> partitions), chosen by `protocol` (the assignor).
    GroupStable {
        group: String,
        generation_id: i32,
        protocol: Option<String>,
        members: Vec<GroupMemberAssignment>,
    },
    /// A leader asked the controller to change the ISR (AlterPartition).
    IsrChangeRequested {
        tp: TopicPartition,
        isr: Vec<BrokerId>,
        leader_epoch: LeaderEpoch,
    },

    // ---- the simulation --------------------------------------------------------------------
    /// The entry's node died: a process crash, or with `lose_unflushed` a power loss.
    Crashed {
        lose_unflushed: bool,
    },
    /// The entry's node started again from its disk.
    Restarted,
    /// The entry's node froze (a GC pause, a stuck process) or thawed.
    Paused,
    Resumed,
    /// A fault from the schedule, as it was applied (`detail` names the resolved nodes).
    Fault {
        kind: String,
        detail: String,
    },
    /// The run moved to another phase: "workload", "settle", "quiet" (the end of settle, when
    /// consumers stop committing), "end".
    Phase {
        name: String,
    },
}

/// One member of a group as its coordinator sees it after a rebalance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupMemberAssignment {
    pub member_id: String,
    pub client_id: String,
    /// The member's process (Kafka's HOST column shows its address).
    pub node: NodeId,
    pub partitions: Vec<TopicPartition>,
}

/// One history line: when, where, what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub time_ms: SimTime,
    pub node: NodeId,
    #[serde(flatten)]
    pub event: Event,
}

/// What the checkers need to know about the run besides its events.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunMeta {
    pub scenario: String,
    pub seed: u64,
    pub nodes: Vec<(NodeId, String)>,
    pub topics: Vec<TopicMeta>,
    pub producers: Vec<ClientMeta>,
    pub consumers: Vec<ClientMeta>,
    /// When the workload stopped and the heal-and-settle phase began.
    pub workload_end_ms: SimTime,
    /// When the run ended.
    pub end_ms: SimTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicMeta {
    pub name: TopicName,
    pub partitions: i32,
    pub replication_factor: i32,
    /// Non-default topic configs, as `kafka-topics --describe` prints them.
    pub configs: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientMeta {
    pub node: NodeId,
    pub name: String,
    /// For producers: "acks=all idempotent"; for consumers: the group and settings.
    pub summary: String,
    /// For consumers that subscribe: their group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Reads with `isolation.level = read_committed` (only those may not see aborted
    /// transactions, `G1a`): such consumers, and producers that read inside their transactions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_committed: bool,
}

/// One replica's log at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaSnapshot {
    pub broker: BrokerId,
    pub tp: TopicPartition,
    pub alive: bool,
    pub log_start_offset: Offset,
    pub log_end_offset: Offset,
    pub high_watermark: Offset,
    pub records: Vec<(Offset, ValueId)>,
    pub leader_epochs: Vec<(LeaderEpoch, Offset)>,
}

/// A partition as the controller knows it at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionSnapshot {
    pub tp: TopicPartition,
    pub replicas: Vec<BrokerId>,
    pub leader: Option<BrokerId>,
    pub leader_epoch: LeaderEpoch,
    pub isr: Vec<BrokerId>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FinalState {
    pub partitions: Vec<PartitionSnapshot>,
    pub replicas: Vec<ReplicaSnapshot>,
    /// Each running producer's metrics totals (a crashed producer's are gone with its process).
    #[serde(default)]
    pub producers: Vec<ProducerFinal>,
}

/// A producer process's metrics at the end of the run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProducerFinal {
    pub name: String,
    pub metrics: ProducerMetricsTotals,
    /// The totals once per simulated second of activity, for metrics over time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub samples: Vec<ProducerMetricsSample>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub meta: RunMeta,
    pub entries: Vec<Entry>,
    pub final_state: FinalState,
    /// The network messages of a window, when the run was asked to record them (not part of the
    /// canonical history: the trace hash leaves them out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages: Option<MessageLog>,
}

impl History {
    pub fn node_name(&self, node: NodeId) -> String {
        self.meta
            .nodes
            .iter()
            .find(|(id, _)| *id == node)
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| format!("{node:?}"))
    }

    /// Nodes that read with `isolation.level = read_committed`: such consumers, and transactional
    /// producers that read inside their transactions (`read_topics`).
    pub fn read_committed_nodes(&self) -> std::collections::BTreeSet<NodeId> {
        self.meta.consumers.iter().chain(&self.meta.producers).filter(|c| c.read_committed).map(|c| c.node).collect()
    }

    /// The name of the producer that wrote `value`.
    pub fn producer_name(&self, value: ValueId) -> String {
        self.meta
            .producers
            .get(value.producer as usize)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("producer {}", value.producer))
    }
}
