//! The scenario file exactly as written (format v1, SCENARIO-FORMAT.md), with the source span
//! of every value a later check may need to point at. Unknown keys are rejected by serde with
//! their position. This form also serializes back to TOML, which is how the lab saves an
//! experiment and the shrinker writes a smaller scenario.

use crate::protocol::producer::partitioner::CustomPartitionerRules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

pub type ConfigMap = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    pub duration_ms: Spanned<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_ms: Option<Spanned<u64>>,
    pub cluster: RawCluster,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<RawNetwork>,
    #[serde(default)]
    pub topics: Vec<RawTopic>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub producers: Vec<RawProducer>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consumer_groups: Vec<RawConsumerGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<RawFault>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nemesis: Option<Spanned<RawNemesis>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<RawCheck>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCluster {
    pub brokers: Spanned<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controllers: Option<Spanned<u32>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: ConfigMap,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Spanned<[u64; 2]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packet_loss: Option<Spanned<f64>>,
    /// What a client's close after a request timeout does to what it already sent: "reset"
    /// (default: lost) or "fin" (TCP's orderly close: still delivered, only answers are lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_close: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub name: Spanned<String>,
    pub partitions: Spanned<i32>,
    pub replication_factor: Spanned<i32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: ConfigMap,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawProducer {
    pub name: Spanned<String>,
    pub topic: Spanned<String>,
    pub messages_per_sec: Spanned<f64>,
    #[serde(default)]
    pub keys: u64,
    /// Explicit key names instead of `key-0 .. key-N` (e.g. `["premium_1", "basic_7"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_names: Vec<String>,
    /// `uniform` (default) or `zipf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_distribution: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zipf_exponent: Option<Spanned<f64>>,
    #[serde(default = "default_value_bytes")]
    pub value_bytes: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: ConfigMap,
    /// A custom partitioner's rules (`partitioner.class = "custom"`, or implied by the table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partitioner: Option<Spanned<CustomPartitionerRules>>,
    /// More topics to write besides `topic`: records go round-robin over all of them (one
    /// transaction then spans several topics).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<Spanned<String>>,
    /// Topics the application also reads inside each transaction, with a read_committed consumer
    /// (consume-transform-produce; needs `transactional.id`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_topics: Vec<Spanned<String>>,
    /// Records per transaction (needs `transactional.id`; default 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_records: Option<Spanned<u64>>,
    /// Fraction of transactions aborted, drawn from the seed (needs `transactional.id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abort_ratio: Option<Spanned<f64>>,
    /// When the application starts sending (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<u64>,
}

fn default_value_bytes() -> u32 {
    100
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawConsumerGroup {
    pub group: Spanned<String>,
    pub topics: Vec<Spanned<String>>,
    pub members: Spanned<u32>,
    /// Simulated processing cost per polled record, per member.
    #[serde(default)]
    pub processing_ms_per_record: u64,
    /// When each member starts (one entry per member; default: all at 0). Members joining one
    /// by one show the rebalances of a growing group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_start_ms: Option<Spanned<Vec<u64>>>,
    /// `subscribe` (default: members of the group) or `assign` (every member reads every
    /// partition from the beginning by manual assignment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<Spanned<String>>,
    /// `auto` (default: Kafka's enable.auto.commit), `sync` (commitSync) or `async` (commitAsync).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<Spanned<String>>,
    /// `batch` (default) or `record`: how often a manual commit happens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit_every: Option<Spanned<String>>,
    /// `at-least-once` (default: commit after processing) or `at-most-once` (before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub config: ConfigMap,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawFault {
    pub at_ms: Spanned<u64>,
    pub kind: Spanned<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lose_unflushed: Option<Spanned<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Spanned<Vec<Vec<Spanned<String>>>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<Spanned<[u64; 2]>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packet_loss: Option<Spanned<f64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processing_ms_per_record: Option<Spanned<u64>>,
}

/// `[nemesis]`: a random fault schedule drawn from the run's seed (see `scenario::nemesis`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawNemesis {
    pub kinds: Spanned<Vec<Spanned<String>>>,
    pub interval_ms: Spanned<[u64; 2]>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_down: Option<Spanned<u32>>,
    /// Every generated crash is a power loss (the disk's unflushed tail is lost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lose_unflushed: Option<Spanned<bool>>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    pub name: Spanned<String>,
    pub expect: Spanned<String>,
}
