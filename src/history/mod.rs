//! The recorded History of a run: every client operation and every protocol state change a
//! checker or a plot needs, stamped with simulated time and node.
//!
//! Checkers (`check/`) and reports (`report/`) read only this, so they work the same on a live run
//! and on a saved `history.jsonl`. The trace hash is the sha256 of that canonical JSONL, so two
//! runs are "the same run" exactly when they recorded the same history.

mod jsonl;

pub use jsonl::{read_jsonl, trace_sha256, write_jsonl, JsonlError};

use crate::protocol::errors::ErrorCode;
use crate::protocol::log::batch::ControlType;
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
    SendInvoked { tp: TopicPartition, key: Option<Arc<str>>, value: ValueId },
    /// The send completed; `offset` is None for acks=0, which learns no offset.
    SendAcked { tp: TopicPartition, value: ValueId, offset: Option<Offset> },
    /// The send failed. `definite` when the record certainly was not written (e.g.
    /// NOT_ENOUGH_REPLICAS before append); a timeout is indefinite (Jepsen's `:info`).
    SendFailed { tp: TopicPartition, value: ValueId, error: ErrorCode, definite: bool },
    /// One poll by a consumer: what each partition returned, in order.
    Polled { partitions: Vec<PolledPartition> },

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
    BrokerFenced { broker: BrokerId, fenced: bool },
    /// A broker took up a role for a partition after learning new metadata.
    BecameLeader { tp: TopicPartition, leader_epoch: LeaderEpoch },
    BecameFollower { tp: TopicPartition, leader: Option<BrokerId>, leader_epoch: LeaderEpoch },
    /// A replica's high watermark moved (node = the broker).
    HighWatermark { tp: TopicPartition, high_watermark: Offset, is_leader: bool },
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
    LogStartAdvanced { tp: TopicPartition, log_start_offset: Offset },
    /// A leader asked the controller to change the ISR (AlterPartition).
    IsrChangeRequested { tp: TopicPartition, isr: Vec<BrokerId>, leader_epoch: LeaderEpoch },

    // ---- the simulation --------------------------------------------------------------------
    /// A fault from the schedule, as it was applied (`detail` names the resolved nodes).
    Fault { kind: String, detail: String },
    /// The run moved to another phase: "workload", "settle", "end".
    Phase { name: String },
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
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub meta: RunMeta,
    pub entries: Vec<Entry>,
    pub final_state: FinalState,
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

    /// The name of the producer that wrote `value`.
    pub fn producer_name(&self, value: ValueId) -> String {
        self.meta
            .producers
            .get(value.producer as usize)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("producer {}", value.producer))
    }
}
