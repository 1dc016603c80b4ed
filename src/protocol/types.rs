//! The vocabulary every part of the simulator shares: node identities, topic partitions,
//! offsets, epochs and simulated time.
//!
//! Names follow Apache Kafka (`TopicPartition`, `LeaderEpoch`, `ProducerId`); offsets and epochs
//! keep Kafka's signed widths so that Kafka's sentinels (`-1` for "none") read the same here.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Simulated time in milliseconds since the start of a run.
pub type SimTime = u64;

/// A position in a partition log (Kafka: `long offset`).
pub type Offset = i64;

/// Kafka's leader epoch (`int32`), bumped by the controller on every leader change.
pub type LeaderEpoch = i32;

/// Kafka's partition epoch (`int32`), bumped on every change of a partition's metadata (KIP-631).
pub type PartitionEpoch = i32;

/// Kafka's producer id (`int64`); `-1` (`NO_PRODUCER_ID`) for a non-idempotent producer.
pub type ProducerId = i64;

/// Kafka's producer epoch (`int16`).
pub type ProducerEpoch = i16;

/// Kafka's `RecordBatch.NO_PRODUCER_ID`.
pub const NO_PRODUCER_ID: ProducerId = -1;
/// Kafka's `RecordBatch.NO_SEQUENCE`.
pub const NO_SEQUENCE: i32 = -1;

/// A broker's id, as in `broker.id` / `node.id`. Brokers are numbered 1..=N, named `broker-N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BrokerId(pub u32);

impl fmt::Display for BrokerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Every simulated process. Clients (producers, consumer group members) are indexed into the
/// scenario's client table; their names come from the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NodeId {
    Broker(BrokerId),
    Controller(u32),
    Client(u32),
    /// The simulation itself (the fault schedule, the lab): the node of fault and phase events.
    Supervisor,
}

impl NodeId {
    pub fn broker(id: u32) -> NodeId {
        NodeId::Broker(BrokerId(id))
    }

    pub fn as_broker(self) -> Option<BrokerId> {
        match self {
            NodeId::Broker(b) => Some(b),
            _ => None,
        }
    }
}

/// A topic name. Shared, because records, requests and history events all carry it.
pub type TopicName = Arc<str>;

/// Kafka's `TopicPartition`; displayed as Kafka prints it, `orders-0`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TopicPartition {
    pub topic: TopicName,
    pub partition: i32,
}

// Ordered by topic name, then partition, as a derived Ord would be. Partitions are the keys of
// most maps in the simulation and their topic names are mostly clones of one shared string, so
// comparing the pointers first skips most string comparisons (they were 5% of a run's time).
impl Ord for TopicPartition {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let topic = if Arc::ptr_eq(&self.topic, &other.topic) {
            std::cmp::Ordering::Equal
        } else {
            self.topic.cmp(&other.topic)
        };
        topic.then(self.partition.cmp(&other.partition))
    }
}

impl PartialOrd for TopicPartition {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for TopicPartition {
    fn eq(&self, other: &Self) -> bool {
        self.partition == other.partition && (Arc::ptr_eq(&self.topic, &other.topic) || self.topic == other.topic)
    }
}

impl Eq for TopicPartition {}

// Equal partitions hash alike: the topic's text and the partition, as a derived Hash would.
impl std::hash::Hash for TopicPartition {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.topic.hash(state);
        self.partition.hash(state);
    }
}

impl TopicPartition {
    pub fn new(topic: impl Into<TopicName>, partition: i32) -> Self {
        TopicPartition { topic: topic.into(), partition }
    }

    /// Parses `orders-0` (the topic may itself contain dashes: the last one separates).
    pub fn parse(text: &str) -> Option<TopicPartition> {
        let (topic, partition) = text.rsplit_once('-')?;
        if topic.is_empty() {
            return None;
        }
        Some(TopicPartition::new(topic, partition.parse().ok()?))
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// The identity of one record's value: unique over a whole run, so that the checkers can follow
/// every write from send to poll (Jepsen's Kafka workload does the same with integers).
/// Producer `i` (0-based, scenario order) writes `ValueId { producer: i, sequence: 0, 1, ... }`;
/// records a coordinator writes use `producer = INTERNAL_PRODUCER`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "(u32, u64)", into = "(u32, u64)")]
pub struct ValueId {
    pub producer: u32,
    pub sequence: u64,
}

/// The `producer` of values written by coordinators to internal topics.
pub const INTERNAL_PRODUCER: u32 = u32::MAX;

impl From<(u32, u64)> for ValueId {
    fn from((producer, sequence): (u32, u64)) -> Self {
        ValueId { producer, sequence }
    }
}

impl From<ValueId> for (u32, u64) {
    fn from(v: ValueId) -> Self {
        (v.producer, v.sequence)
    }
}

impl fmt::Display for ValueId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.producer, self.sequence)
    }
}

/// One record as the simulator keeps it: the key (Kafka keys are bytes; ours are strings), the
/// value's identity and its size. Payload bytes are never materialised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub key: Option<Arc<str>>,
    pub value: ValueId,
    pub value_bytes: u32,
    pub timestamp_ms: SimTime,
    /// Set for records of internal topics (`__consumer_offsets`): what a coordinator reloads.
    #[serde(skip)]
    pub internal: Option<Arc<crate::protocol::log::internal::InternalRecord>>,
}

impl Record {
    /// A data record: a value of `value_bytes`, with an optional key.
    pub fn data(key: Option<Arc<str>>, value: ValueId, value_bytes: u32, timestamp_ms: SimTime) -> Record {
        Record { key, value, value_bytes, timestamp_ms, internal: None }
    }

    /// Bytes this record occupies inside a v2 record batch: Kafka's varint-framed record has
    /// about 7 bytes of overhead beyond key and value for small records.
    pub fn size_bytes(&self) -> u32 {
        const RECORD_OVERHEAD_BYTES: u32 = 7;
        RECORD_OVERHEAD_BYTES + self.key.as_ref().map_or(0, |k| k.len() as u32) + self.value_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_partitions_order_by_name_then_partition_whether_or_not_names_are_shared() {
        let shared: TopicName = Arc::from("orders");
        let a = TopicPartition { topic: shared.clone(), partition: 1 };
        let b = TopicPartition { topic: shared, partition: 2 };
        let a_copy = TopicPartition::new("orders", 1);
        let other = TopicPartition::new("audit", 9);
        assert!(a < b);
        assert_eq!(a, a_copy);
        assert_eq!(a.cmp(&a_copy), std::cmp::Ordering::Equal);
        assert!(other < a && other < a_copy, "names compare before partitions");
        let mut sorted = vec![b.clone(), a_copy.clone(), other.clone()];
        sorted.sort();
        assert_eq!(sorted, vec![other, a_copy, b]);
    }
}
